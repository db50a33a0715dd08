//! The analysis ledger (`analysis_runs`): which stage ran on which photo with which model version, and
//! whether it failed. It is what makes analysis incremental: a photo is pending for a stage until a run
//! with the stage's current version is recorded (failed runs are retried only on request).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::db::{params, Db};
use serde::Serialize;

use super::{unix_now, Catalog};
use crate::Result;

/// A photo that has analysis stages to run.
#[derive(Debug, Clone)]
pub struct PendingPhoto {
    pub id: i64,
    pub path: PathBuf,
    /// BLAKE3 of the content the catalogue knows (checked again before analysing).
    pub hash: String,
    /// Indexes into the `wanted` list given to [`Catalog::analysis_pending`].
    pub stages: Vec<usize>,
}

/// One row of the ledger.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnalysisRun {
    pub stage: String,
    pub model_version: String,
    pub done_at: i64,
    pub error: Option<String>,
}

impl Catalog {
    /// Good photos that lack a run of one of the `wanted` `(stage, model_version)` pairs, with which
    /// ones. Failed runs count as done unless `retry_failed`. Ordered by photo id.
    pub fn analysis_pending(
        &self,
        wanted: &[(&str, &str)],
        retry_failed: bool,
    ) -> Result<Vec<PendingPhoto>> {
        self.pending_where(wanted, retry_failed, "")
    }

    /// [`Catalog::analysis_pending`] among the photos `ids` only.
    pub fn analysis_pending_among(
        &self,
        wanted: &[(&str, &str)],
        retry_failed: bool,
        ids: &[i64],
    ) -> Result<Vec<PendingPhoto>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        self.pending_where(
            wanted,
            retry_failed,
            &format!(" AND p.id IN ({})", list.join(", ")),
        )
    }

    fn pending_where(
        &self,
        wanted: &[(&str, &str)],
        retry_failed: bool,
        among: &str,
    ) -> Result<Vec<PendingPhoto>> {
        let sql = format!(
            "SELECT p.id, p.path, p.hash FROM photos p
             WHERE p.status = 'ok' AND p.hash IS NOT NULL AND p.shot_of IS NULL{among}
               AND NOT EXISTS (
                 SELECT 1 FROM analysis_runs r WHERE r.photo_id = p.id AND r.stage = ?1
                 AND r.model_version = ?2 AND (r.error IS NULL OR ?3 = 0))"
        );
        let stmt = self.db().prepare(&sql);
        let mut pending: BTreeMap<i64, PendingPhoto> = BTreeMap::new();
        for (index, (stage, version)) in wanted.iter().enumerate() {
            let rows = stmt.query_map(params![stage, version, retry_failed], |r| {
                Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<String>(2)?))
            })?;
            for row in rows {
                let (id, path, hash) = row;
                pending
                    .entry(id)
                    .or_insert_with(|| PendingPhoto {
                        id,
                        path: self.mounts().local(&path),
                        hash,
                        stages: Vec::new(),
                    })
                    .stages
                    .push(index);
            }
        }
        Ok(pending.into_values().collect())
    }

    /// The analysis ledger of a photo.
    pub fn analysis_runs(&self, photo_id: i64) -> Result<Vec<AnalysisRun>> {
        let stmt = self.db().prepare(
            "SELECT stage, model_version, done_at, error FROM analysis_runs WHERE photo_id = ?1
             ORDER BY stage",
        );
        let rows = stmt.query_map(params![photo_id], |r| {
            Ok(AnalysisRun {
                stage: r.get(0)?,
                model_version: r.get(1)?,
                done_at: r.get(2)?,
                error: r.get(3)?,
            })
        })?;
        Ok(rows.into_iter().collect())
    }
}

/// Records that `stage` ran on a photo with `model_version` (with the reason if it failed).
pub(crate) fn record_run(
    conn: &Db,
    photo_id: i64,
    stage: &str,
    model_version: &str,
    error: Option<&str>,
) -> Result<()> {
    conn.prepare(
        "INSERT INTO analysis_runs (photo_id, stage, model_version, done_at, error)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (photo_id, stage) DO UPDATE SET model_version = excluded.model_version,
             done_at = excluded.done_at, error = excluded.error",
    )
    .execute(params![photo_id, stage, model_version, unix_now(), error])?;
    Ok(())
}

/// Forgets runs of `stages` for a photo, so they run again (their inputs changed).
pub(crate) fn forget_runs(conn: &Db, photo_id: i64, stages: &[&str]) -> Result<()> {
    let stmt = conn.prepare("DELETE FROM analysis_runs WHERE photo_id = ?1 AND stage = ?2");
    for stage in stages {
        stmt.execute(params![photo_id, stage])?;
    }
    Ok(())
}
