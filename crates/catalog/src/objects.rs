//! Objects found with boxes (`objects`: a COCO class, its normalised box on the upright photo and
//! score, who it belongs to: see [`super::persons`], and for a body what it wears), written by the `objects` stage and read by
//! the photo view and exports.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use super::Catalog;
use crate::Result;
use argus_core::results::{PhotoObject, Worn};

/// A stored object: what the stage found, with its id, and who it belongs to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredObject {
    pub id: i64,
    #[serde(flatten)]
    pub object: PhotoObject,
    /// For a body (`person`): the face that heads it, if one does.
    pub face_id: Option<i64>,
    /// For a carried or worn object: the body (an object id) that carries it.
    pub carrier_id: Option<i64>,
}

impl Catalog {
    /// A photo's objects, highest score first.
    pub fn photo_objects(&self, photo_id: i64) -> Result<Vec<StoredObject>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, class, score, x, y, w, h, face_id, carrier_id FROM objects WHERE photo_id = ?1
             ORDER BY score DESC, id",
        )?;
        let mut worn = self.conn().prepare_cached(
            "SELECT w.object_id, w.name, w.score FROM object_wearing w
             JOIN objects o ON o.id = w.object_id WHERE o.photo_id = ?1
             ORDER BY w.score DESC, w.name",
        )?;
        let mut wearing: HashMap<i64, Vec<Worn>> = HashMap::new();
        for row in worn.query_map(params![photo_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Worn {
                    name: r.get(1)?,
                    score: r.get(2)?,
                },
            ))
        })? {
            let (object, w) = row?;
            wearing.entry(object).or_default().push(w);
        }
        let rows = stmt.query_map(params![photo_id], |r| {
            Ok(StoredObject {
                id: r.get(0)?,
                object: PhotoObject {
                    class: r.get(1)?,
                    score: r.get(2)?,
                    x: r.get(3)?,
                    y: r.get(4)?,
                    w: r.get(5)?,
                    h: r.get(6)?,
                    wearing: wearing.remove(&r.get::<_, i64>(0)?).unwrap_or_default(),
                },
                face_id: r.get(7)?,
                carrier_id: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Replaces a photo's objects.
pub(crate) fn replace_objects(
    conn: &Connection,
    photo_id: i64,
    objects: &[PhotoObject],
    model_version: &str,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM objects WHERE photo_id = ?1")?
        .execute(params![photo_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO objects (photo_id, class, score, x, y, w, h, model_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for o in objects {
        insert.execute(params![
            photo_id,
            o.class,
            o.score,
            o.x,
            o.y,
            o.w,
            o.h,
            model_version
        ])?;
        insert_wearing(conn, conn.last_insert_rowid(), &o.wearing)?;
    }
    Ok(())
}

/// What a stored body wears.
pub(crate) fn insert_wearing(conn: &Connection, object_id: i64, wearing: &[Worn]) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO object_wearing (object_id, name, score) VALUES (?1, ?2, ?3)",
    )?;
    for w in wearing {
        insert.execute(params![object_id, w.name, w.score])?;
    }
    Ok(())
}
