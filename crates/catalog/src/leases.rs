//! Work leases for analysis spread over machines (`argus analyze --worker`): a worker claims a few
//! pending photos at a time — on PostgreSQL with `SELECT … FOR UPDATE SKIP LOCKED`, so workers
//! claiming at once take different photos without waiting on one another; on SQLite the immediate
//! transaction serialises claims — and holds each until its lease expires. It renews its leases while
//! it works and writes a photo's results only while the lease is still its own (the same transaction
//! ends the lease and records the work in `analysis_ledger`): a worker that died, or stalled past its
//! lease, loses the photo to the next claimer and its late results are dropped.
//!
//! Times are the catalogue's clock (the server's on PostgreSQL), never the workers' own, so machines
//! whose clocks disagree still agree on when a lease runs out.

use std::time::Duration;

use crate::db::{params, Db, Dialect, Transaction, Value};
use crate::runs::PendingPhoto;
use crate::{unix_now, Catalog, Result, Writer};

impl Catalog {
    /// Claims up to `limit` photos pending for one of the `wanted` stages that no live lease holds,
    /// leasing them to `worker` for `lease`; what each needs, as [`Catalog::analysis_pending`] says.
    pub fn claim_pending(
        &self,
        wanted: &[(&str, &str)],
        retry_failed: bool,
        worker: &str,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<PendingPhoto>> {
        if wanted.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let db = self.db();
        let tx = Transaction::begin(db, true)?;
        let now = clock(&tx)?;
        let mut values: Vec<Value<'static>> =
            vec![Value::Int(now), Value::Int(retry_failed as i64)];
        let mut lacking = Vec::new();
        for (stage, version) in wanted {
            values.push(Value::from(*stage));
            values.push(Value::from(*version));
            let (s, v) = (values.len() - 1, values.len());
            lacking.push(format!(
                "NOT EXISTS (SELECT 1 FROM analysis_runs r WHERE r.photo_id = p.id \
                 AND r.stage = ?{s} AND r.model_version = ?{v} AND (r.error IS NULL OR ?2 = 0))"
            ));
        }
        let lock = match tx.dialect() {
            Dialect::Postgres => " FOR UPDATE OF p SKIP LOCKED",
            Dialect::Sqlite => "",
        };
        let ids: Vec<i64> = tx.query_map(
            &format!(
                "SELECT p.id FROM photos p
                 WHERE p.status = 'ok' AND p.hash IS NOT NULL AND p.shot_of IS NULL
                   AND ({})
                   AND NOT EXISTS (SELECT 1 FROM analysis_leases l
                                   WHERE l.photo_id = p.id AND l.expires_at > ?1)
                 ORDER BY p.id LIMIT {limit}{lock}",
                lacking.join(" OR ")
            ),
            values,
            |r| r.get(0),
        )?;
        let expires = now + lease.as_secs().max(1) as i64;
        for id in &ids {
            tx.execute(
                "INSERT INTO analysis_leases (photo_id, worker, expires_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (photo_id)
                     DO UPDATE SET worker = excluded.worker, expires_at = excluded.expires_at",
                params![id, worker, expires],
            )?;
        }
        tx.commit()?;
        self.analysis_pending_among(wanted, retry_failed, &ids)
    }

    /// Extends every lease `worker` holds to `lease` from now; how many it holds.
    pub fn renew_leases(&self, worker: &str, lease: Duration) -> Result<usize> {
        let expires = clock(self.db())? + lease.as_secs().max(1) as i64;
        self.db().execute(
            "UPDATE analysis_leases SET expires_at = ?2 WHERE worker = ?1",
            params![worker, expires],
        )
    }

    /// Gives up every lease `worker` holds (it stops; its photos are free at once).
    pub fn release_leases(&self, worker: &str) -> Result<usize> {
        self.db().execute(
            "DELETE FROM analysis_leases WHERE worker = ?1",
            params![worker],
        )
    }

    /// How many live leases other workers hold (photos that may come back if a worker dies).
    pub fn leases_of_others(&self, worker: &str) -> Result<usize> {
        let now = clock(self.db())?;
        self.db().query_row(
            "SELECT COUNT(*) FROM analysis_leases WHERE worker <> ?1 AND expires_at > ?2",
            params![worker, now],
            |r| r.get(0),
        )
    }

    /// The work ledger: how many times each (photo, stage) was written by a worker, and by whom
    /// (photo, stage, model version, worker), in photo and stage order.
    pub fn analysis_ledger(&self) -> Result<Vec<(i64, String, String, String)>> {
        self.db().query_map(
            "SELECT photo_id, stage, model_version, worker FROM analysis_ledger
             ORDER BY photo_id, stage, done_at",
            (),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
    }
}

impl Writer<'_> {
    /// Ends `worker`'s lease on `photo` if it still holds it (its results may then be written in
    /// this transaction), recording `runs` (stage, model version) in the work ledger. False: the
    /// lease ran out and the photo is someone else's now.
    pub fn end_lease(&self, photo: i64, worker: &str, runs: &[(&str, &str)]) -> Result<bool> {
        let now = clock(&self.tx)?;
        let held = self.tx.execute(
            "DELETE FROM analysis_leases WHERE photo_id = ?1 AND worker = ?2 AND expires_at > ?3",
            params![photo, worker, now],
        )? > 0;
        if held {
            for (stage, version) in runs {
                self.tx.execute(
                    "INSERT INTO analysis_ledger (photo_id, stage, model_version, worker, done_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![photo, stage, version, worker, now],
                )?;
            }
        }
        Ok(held)
    }
}

impl Writer<'_> {
    /// Makes this transaction the only one grouping faces into people until it ends: on PostgreSQL
    /// an advisory lock (workers on several machines cluster one at a time; the step is short —
    /// new faces only — next to the analysis it follows, so they seldom wait); on SQLite every write
    /// transaction is already alone.
    pub fn lock_clustering(&self) -> Result<()> {
        crate::people::one_change_to_people_at_a_time(&self.tx)
    }
}

/// Unix seconds by the catalogue's clock: the server's on PostgreSQL, this machine's for a file.
fn clock(db: &Db) -> Result<i64> {
    match db.dialect() {
        Dialect::Sqlite => Ok(unix_now()),
        Dialect::Postgres => db.query_row(
            "SELECT CAST(floor(EXTRACT(EPOCH FROM clock_timestamp())) AS BIGINT)",
            (),
            |r| r.get(0),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::fixture::people_catalogue;

    const WANTED: &[(&str, &str)] = &[("faces", "never-run")];

    #[test]
    fn workers_claim_different_photos_and_a_dead_workers_lease_runs_out() {
        let (_dir, c) = people_catalogue();
        c.db()
            .execute("UPDATE photos SET hash = 'h' || CAST(id AS TEXT)", ())
            .unwrap();
        let other = c.connect_again().unwrap();
        let a = c
            .claim_pending(WANTED, false, "a", Duration::from_secs(60), 3)
            .unwrap();
        let b = other
            .claim_pending(WANTED, false, "b", Duration::from_secs(60), 3)
            .unwrap();
        let (a_ids, b_ids): (Vec<i64>, Vec<i64>) = (
            a.iter().map(|p| p.id).collect(),
            b.iter().map(|p| p.id).collect(),
        );
        assert_eq!(a_ids.len(), 3);
        assert_eq!(b_ids.len(), 3);
        assert!(
            a_ids.iter().all(|id| !b_ids.contains(id)),
            "{a_ids:?} {b_ids:?}"
        );
        assert_eq!(c.leases_of_others("a").unwrap(), 3);

        // b dies: its leases are made to have run out; a takes its photos.
        c.db()
            .execute(
                "UPDATE analysis_leases SET expires_at = 0 WHERE worker = 'b'",
                (),
            )
            .unwrap();
        assert_eq!(c.leases_of_others("a").unwrap(), 0);
        let again: Vec<i64> = c
            .claim_pending(WANTED, false, "a", Duration::from_secs(60), 100)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect();
        assert!(b_ids.iter().all(|id| again.contains(id)), "{again:?}");
        // b's late results are refused; a's are taken and recorded once.
        let mut other = other;
        let writer = other.writer().unwrap();
        assert!(!writer.end_lease(b_ids[0], "b", &[("faces", "v")]).unwrap());
        drop(writer);
        let mut c = c;
        let writer = c.writer().unwrap();
        assert!(writer.end_lease(b_ids[0], "a", &[("faces", "v")]).unwrap());
        writer.commit().unwrap();
        assert_eq!(
            c.analysis_ledger().unwrap(),
            [(
                b_ids[0],
                "faces".to_string(),
                "v".to_string(),
                "a".to_string()
            )]
        );
        assert!(c.release_leases("a").unwrap() > 0);
    }
}
