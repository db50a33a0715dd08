//! The catalogue's searchable columns, read in one snapshot for the in-memory search index: photos
//! (path, name, date, GPS, camera, lens, format, rating, title, caption), labels, keywords, objects, unsafe
//! photos, text lines, people, faces and face attribute columns. Each read streams its rows into a callback, so a million-photo index
//! is built without a copy of the rows in between. [`ChangeStamp`] says whether the catalogue
//! changed since a snapshot.

use rusqlite::{params, Connection, Transaction};

use super::Catalog;
use crate::Result;
use argus_core::results::LabelKind;
use argus_core::vocabulary::UNSAFE;

/// How the catalogue stood at a moment: SQLite's `data_version` (commits by other connections) and
/// this connection's total changes. Equal stamps mean nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeStamp {
    data_version: i64,
    own_changes: u64,
}

impl Catalog {
    /// The catalogue's change stamp now.
    pub fn change_stamp(&self) -> Result<ChangeStamp> {
        change_stamp(self.conn())
    }

    /// A consistent snapshot of the searchable columns (one read transaction, ended when dropped).
    pub fn search_snapshot(&self) -> Result<SearchSnapshot<'_>> {
        let stamp = change_stamp(self.conn())?;
        Ok(SearchSnapshot {
            tx: self.conn().unchecked_transaction()?,
            stamp,
        })
    }
}

fn change_stamp(conn: &Connection) -> Result<ChangeStamp> {
    Ok(ChangeStamp {
        data_version: conn.pragma_query_value(None, "data_version", |r| r.get(0))?,
        own_changes: conn.total_changes(),
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
}

impl SearchSnapshot<'_> {
    /// The stamp of the catalogue this snapshot reads.
    pub fn stamp(&self) -> ChangeStamp {
        self.stamp
    }

    /// Every photo that reads fine, in id order.
    pub fn photos(&self, mut each: impl FnMut(PhotoColumns)) -> Result<()> {
        let mut stmt = self.tx.prepare(
            "SELECT id, path, file_name, taken_at, gps_lat, gps_lon, camera_make, camera_model,
                 lens, format, added_at, rating, title, caption
             FROM photos WHERE status = 'ok' AND shot_of IS NULL ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (lat, lon): (Option<f64>, Option<f64>) = (r.get(4)?, r.get(5)?);
            each(PhotoColumns {
                id: r.get(0)?,
                path: r.get(1)?,
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
        }
        Ok(())
    }

    /// Every (photo, kind, label).
    pub fn labels(&self, mut each: impl FnMut(i64, LabelKind, String)) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare("SELECT photo_id, kind, label FROM labels")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind = match r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)? {
                "label" => LabelKind::Label,
                _ => LabelKind::Class,
            };
            each(r.get(0)?, kind, r.get(2)?);
        }
        Ok(())
    }

    /// Every object scoring at least `min_score` (an object counts from there), with its links.
    pub fn objects(&self, min_score: f64, mut each: impl FnMut(ObjectRow)) -> Result<()> {
        let mut stmt = self.tx.prepare(
            "SELECT id, photo_id, class, face_id, carrier_id FROM objects WHERE score >= ?1",
        )?;
        let mut rows = stmt.query(params![min_score])?;
        while let Some(r) = rows.next()? {
            each(ObjectRow {
                id: r.get(0)?,
                photo_id: r.get(1)?,
                class: r.get(2)?,
                face_id: r.get(3)?,
                carrier_id: r.get(4)?,
            });
        }
        Ok(())
    }

    /// What bodies wear from `min_score`: (body object id, clothing name).
    pub fn wearing(&self, min_score: f64, mut each: impl FnMut(i64, String)) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare("SELECT object_id, name FROM object_wearing WHERE score >= ?1")?;
        let mut rows = stmt.query(params![min_score])?;
        while let Some(r) = rows.next()? {
            each(r.get(0)?, r.get(1)?);
        }
        Ok(())
    }

    /// Every (photo, keyword path), photos in id order.
    pub fn keywords(&self, mut each: impl FnMut(i64, String)) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare("SELECT photo_id, keyword FROM photo_keywords ORDER BY photo_id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(r.get(0)?, r.get(1)?);
        }
        Ok(())
    }

    /// The photos whose unsafe score is at least `threshold`.
    pub fn unsafe_photos(&self, threshold: f64, mut each: impl FnMut(i64)) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare("SELECT photo_id FROM photo_attributes WHERE name = ?1 AND value >= ?2")?;
        let mut rows = stmt.query(params![UNSAFE, threshold])?;
        while let Some(r) = rows.next()? {
            each(r.get(0)?);
        }
        Ok(())
    }

    /// Every line of text, by photo and line order.
    pub fn text_lines(&self, mut each: impl FnMut(i64, String)) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare("SELECT photo_id, text FROM photo_text ORDER BY photo_id, line")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(r.get(0)?, r.get(1)?);
        }
        Ok(())
    }

    /// Every person: id, name, hidden.
    pub fn people(&self, mut each: impl FnMut(i64, Option<String>, bool)) -> Result<()> {
        let mut stmt = self.tx.prepare("SELECT id, name, hidden FROM people")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0);
        }
        Ok(())
    }

    /// Every face: id, photo, person.
    pub fn faces(&self, mut each: impl FnMut(i64, i64, Option<i64>)) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare("SELECT id, photo_id, person_id FROM faces")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(r.get(0)?, r.get(1)?, r.get(2)?);
        }
        Ok(())
    }

    /// One face attribute column: (face, value) for every face that has it.
    pub fn face_attribute(&self, name: &str, mut each: impl FnMut(i64, f64)) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT face_id, value FROM face_attributes WHERE name = ?1")?;
        let mut rows = stmt.query([name])?;
        while let Some(r) = rows.next()? {
            each(r.get(0)?, r.get(1)?);
        }
        Ok(())
    }
}
