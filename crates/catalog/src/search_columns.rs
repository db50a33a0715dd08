//! The catalogue's searchable columns, read in one snapshot for the in-memory search index: photos
//! (path, name, date, GPS, camera, lens, format, rating, title, caption), labels, keywords, objects, unsafe
//! photos, text lines, people, faces and face attribute columns. Each read streams its rows into a callback, so a million-photo index
//! is built without a copy of the rows in between. [`ChangeStamp`] says whether the catalogue
//! changed since a snapshot.

use crate::db::{Db, ToValue, Transaction};
use crate::mounts::Mounts;

use super::Catalog;
use crate::Result;
use argus_core::results::LabelKind;
use argus_core::vocabulary::UNSAFE;

/// How the catalogue stood at a moment: SQLite's `data_version` (commits by other connections) and
/// this connection's total changes; on PostgreSQL, how many change notices this connection has
/// received (every committed change sends one). Equal stamps mean nothing changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeStamp {
    data_version: i64,
    own_changes: u64,
}

impl Catalog {
    /// The catalogue's change stamp now.
    pub fn change_stamp(&self) -> Result<ChangeStamp> {
        change_stamp(self.db())
    }

    /// A consistent snapshot of the searchable columns (one read transaction, ended when dropped).
    pub fn search_snapshot(&self) -> Result<SearchSnapshot<'_>> {
        let stamp = change_stamp(self.db())?;
        Ok(SearchSnapshot {
            tx: Transaction::begin_snapshot(self.db())?,
            stamp,
            mounts: self.mounts(),
            since: None,
        })
    }
}

fn change_stamp(conn: &Db) -> Result<ChangeStamp> {
    let (data_version, own_changes) = conn.change_counters()?;
    Ok(ChangeStamp {
        data_version,
        own_changes,
    })
}

/// A photo's searchable columns.
pub struct PhotoColumns {
    pub id: i64,
    pub path: String,
    pub file_name: String,
    pub taken_at: Option<String>,
    pub gps: Option<(f64, f64)>,
    pub camera_make: Option<String>,
    pub camera_model: Option<String>,
    pub lens: Option<String>,
    pub format: Option<String>,
    pub added_at: i64,
    /// Stars 1..=5, -1 rejected (as stored: a file may have held anything).
    pub rating: Option<i64>,
    pub title: Option<String>,
    pub caption: Option<String>,
}

/// An object as search reads it: which body's face it is (`face_id`, for a body) or which body
/// carries it (`carrier_id`).
#[derive(Debug, Clone)]
pub struct ObjectRow {
    pub id: i64,
    pub photo_id: i64,
    pub class: String,
    pub face_id: Option<i64>,
    pub carrier_id: Option<i64>,
}

/// The searchable columns at one moment.
pub struct SearchSnapshot<'c> {
    tx: Transaction<'c>,
    stamp: ChangeStamp,
    mounts: &'c Mounts,
    /// Set by [`SearchSnapshot::only_changed_since`]: only photos changed after this revision.
    since: Option<i64>,
}

impl SearchSnapshot<'_> {
    /// The stamp of the catalogue this snapshot reads.
    pub fn stamp(&self) -> ChangeStamp {
        self.stamp
    }

    /// The revision of the catalogue this snapshot reads (see [`crate::Revision`]).
    pub fn revision(&self) -> Result<crate::Revision> {
        crate::revision::read_revision(&self.tx)
    }

    /// The photos changed after `revision` (read, added, analysed, removed, their faces' people
    /// changed), in id order; None when the catalogue's change log does not reach back that far.
    pub fn changed_since(&self, revision: i64) -> Result<Option<Vec<i64>>> {
        crate::changes::photos_changed_since(&self.tx, revision)
    }

    /// From now on every read gives only the rows of photos changed after `revision` (people stay
    /// whole): what brings an index read at `revision` up to date.
    pub fn only_changed_since(mut self, revision: i64) -> Self {
        self.since = Some(revision);
        self
    }

    /// The condition keeping only changed photos' rows (`photo` names the photo id column) — nothing
    /// when reading everything — and the statement's parameters: `values`, then the revision.
    fn scope<'a>(
        &'a self,
        photo: &str,
        mut values: Vec<&'a dyn ToValue>,
    ) -> (String, Vec<&'a dyn ToValue>) {
        let Some(revision) = &self.since else {
            return (String::new(), values);
        };
        values.push(revision);
        let n = values.len();
        let condition =
            format!(" AND {photo} IN (SELECT photo_id FROM photo_changes WHERE revision > ?{n})");
        (condition, values)
    }

    /// How many photos search finds (read fine, not stacked behind another), whatever the scope.
    pub fn searchable_photo_count(&self) -> Result<u64> {
        self.tx.query_row(
            "SELECT COUNT(*) FROM photos WHERE status = 'ok' AND shot_of IS NULL",
            (),
            |r| r.get(0),
        )
    }

    /// Every photo that reads fine, in id order.
    pub fn photos(&self, mut each: impl FnMut(PhotoColumns)) -> Result<()> {
        let (scope, values) = self.scope("id", vec![]);
        self.tx.query_each(
            &format!(
                "SELECT id, path, file_name, taken_at, gps_lat, gps_lon, camera_make, camera_model,
                     lens, format, added_at, rating, title, caption
                 FROM photos WHERE status = 'ok' AND shot_of IS NULL{scope} ORDER BY id"
            ),
            values,
            |r| {
                let (lat, lon): (Option<f64>, Option<f64>) = (r.get(4)?, r.get(5)?);
                each(PhotoColumns {
                    id: r.get(0)?,
                    path: self.mounts.local_text(r.get(1)?),
                    file_name: r.get(2)?,
                    taken_at: r.get(3)?,
                    gps: lat.zip(lon),
                    camera_make: r.get(6)?,
                    camera_model: r.get(7)?,
                    lens: r.get(8)?,
                    format: r.get(9)?,
                    added_at: r.get(10)?,
                    rating: r.get(11)?,
                    title: r.get(12)?,
                    caption: r.get(13)?,
                });
                Ok(())
            },
        )
    }

    /// Every (photo, kind, label).
    pub fn labels(&self, mut each: impl FnMut(i64, LabelKind, String)) -> Result<()> {
        let (scope, values) = self.scope("photo_id", vec![]);
        self.tx.query_each(
            &format!("SELECT photo_id, kind, label FROM labels WHERE TRUE{scope}"),
            values,
            |r| {
                let kind = match r.get_ref(1)?.as_str_or_null().map_err(crate::Error::Db)? {
                    Some("label") => LabelKind::Label,
                    _ => LabelKind::Class,
                };
                each(r.get(0)?, kind, r.get(2)?);
                Ok(())
            },
        )
    }

    /// Every object scoring at least `min_score` (an object counts from there), with its links.
    pub fn objects(&self, min_score: f64, mut each: impl FnMut(ObjectRow)) -> Result<()> {
        let (scope, values) = self.scope("photo_id", vec![&min_score]);
        self.tx.query_each(
            &format!(
                "SELECT id, photo_id, class, face_id, carrier_id FROM objects
                 WHERE score >= ?1{scope}"
            ),
            values,
            |r| {
                each(ObjectRow {
                    id: r.get(0)?,
                    photo_id: r.get(1)?,
                    class: r.get(2)?,
                    face_id: r.get(3)?,
                    carrier_id: r.get(4)?,
                });
                Ok(())
            },
        )
    }

    /// What bodies wear from `min_score`: (body object id, clothing name).
    pub fn wearing(&self, min_score: f64, mut each: impl FnMut(i64, String)) -> Result<()> {
        let (scope, values) = self.scope("photo_id", vec![&min_score]);
        let only = if scope.is_empty() {
            String::new()
        } else {
            format!(" AND object_id IN (SELECT id FROM objects WHERE TRUE{scope})")
        };
        self.tx.query_each(
            &format!("SELECT object_id, name FROM object_wearing WHERE score >= ?1{only}"),
            values,
            |r| {
                each(r.get(0)?, r.get(1)?);
                Ok(())
            },
        )
    }

    /// Every (photo, keyword path), photos in id order.
    pub fn keywords(&self, mut each: impl FnMut(i64, String)) -> Result<()> {
        let (scope, values) = self.scope("photo_id", vec![]);
        self.tx.query_each(
            &format!(
                "SELECT photo_id, keyword FROM photo_keywords WHERE TRUE{scope} ORDER BY photo_id"
            ),
            values,
            |r| {
                each(r.get(0)?, r.get(1)?);
                Ok(())
            },
        )
    }

    /// The photos whose unsafe score is at least `threshold`.
    pub fn unsafe_photos(&self, threshold: f64, mut each: impl FnMut(i64)) -> Result<()> {
        let (scope, values) = self.scope("photo_id", vec![&UNSAFE, &threshold]);
        self.tx.query_each(
            &format!(
                "SELECT photo_id FROM photo_attributes WHERE name = ?1 AND value >= ?2{scope}"
            ),
            values,
            |r| {
                each(r.get(0)?);
                Ok(())
            },
        )
    }

    /// Every line of text, by photo and line order.
    pub fn text_lines(&self, mut each: impl FnMut(i64, String)) -> Result<()> {
        let (scope, values) = self.scope("photo_id", vec![]);
        self.tx.query_each(
            &format!(
                "SELECT photo_id, text FROM photo_text WHERE TRUE{scope} ORDER BY photo_id, line"
            ),
            values,
            |r| {
                each(r.get(0)?, r.get(1)?);
                Ok(())
            },
        )
    }

    /// Every person: id, name, hidden.
    pub fn people(&self, mut each: impl FnMut(i64, Option<String>, bool)) -> Result<()> {
        self.tx
            .query_each("SELECT id, name, hidden FROM people", (), |r| {
                each(r.get(0)?, r.get(1)?, r.get::<i64>(2)? != 0);
                Ok(())
            })
    }

    /// Every face: id, photo, person.
    pub fn faces(&self, mut each: impl FnMut(i64, i64, Option<i64>)) -> Result<()> {
        let (scope, values) = self.scope("photo_id", vec![]);
        self.tx.query_each(
            &format!("SELECT id, photo_id, person_id FROM faces WHERE TRUE{scope}"),
            values,
            |r| {
                each(r.get(0)?, r.get(1)?, r.get(2)?);
                Ok(())
            },
        )
    }

    /// The face attributes named in `names`, in one pass over the table: (face, the name's place in
    /// `names`, value) for every face that has one.
    pub fn face_attributes(
        &self,
        names: &[&str],
        mut each: impl FnMut(i64, usize, f64),
    ) -> Result<()> {
        let wanted: std::collections::HashMap<&str, usize> =
            names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let (scope, values) = self.scope("photo_id", vec![]);
        let only = if scope.is_empty() {
            String::new()
        } else {
            format!(" WHERE face_id IN (SELECT id FROM faces WHERE TRUE{scope})")
        };
        self.tx.query_each(
            &format!("SELECT face_id, name, value FROM face_attributes{only}"),
            values,
            |r| {
                if let crate::db::ValueRef::Text(name) = r.get_ref(1)? {
                    if let Some(&column) = wanted.get(name) {
                        each(r.get(0)?, column, r.get(2)?);
                    }
                }
                Ok(())
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture::{add_label, break_photo_elsewhere, catalogue};

    #[test]
    fn the_stamp_changes_with_every_committed_change_from_any_connection() {
        let (_dir, c) = catalogue();
        let first = c.change_stamp().unwrap();
        assert_eq!(c.change_stamp().unwrap(), first, "nothing changed");
        add_label(&c, 1, "cat");
        let second = c.change_stamp().unwrap();
        assert_ne!(second, first, "a change through this connection");
        break_photo_elsewhere(&c, 4);
        // Another connection's commit reaches this one as a notice, a moment later on a server.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while c.change_stamp().unwrap() == second && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_ne!(
            c.change_stamp().unwrap(),
            second,
            "a change by another connection"
        );
    }
}
