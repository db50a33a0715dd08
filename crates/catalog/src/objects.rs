//! Objects found with boxes (`objects`: a COCO class, its normalised box on the upright photo and
//! score, who it belongs to: see [`super::persons`], and for a body what it wears), written by the `objects` stage and read by
//! the photo view and exports.

use std::collections::HashMap;

use crate::db::{params, Db};

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
        let stmt = self.db().prepare(
            "SELECT id, class, score, x, y, w, h, face_id, carrier_id FROM objects WHERE photo_id = ?1
             ORDER BY score DESC, id",
        );
        let worn = self.db().prepare(
            "SELECT w.object_id, w.name, w.score FROM object_wearing w
             JOIN objects o ON o.id = w.object_id WHERE o.photo_id = ?1
             ORDER BY w.score DESC, w.name",
        );
        let mut wearing: HashMap<i64, Vec<Worn>> = HashMap::new();
        for row in worn.query_map(params![photo_id], |r| {
            Ok((
                r.get::<i64>(0)?,
                Worn {
                    name: r.get(1)?,
                    score: r.get(2)?,
                },
            ))
        })? {
            let (object, w) = row;
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
                    wearing: wearing.remove(&r.get::<i64>(0)?).unwrap_or_default(),
                },
                face_id: r.get(7)?,
                carrier_id: r.get(8)?,
            })
        })?;
        Ok(rows.into_iter().collect())
    }
}

/// Replaces a photo's objects.
pub(crate) fn replace_objects(
    conn: &Db,
    photo_id: i64,
    objects: &[PhotoObject],
    model_version: &str,
) -> Result<()> {
    conn.prepare("DELETE FROM objects WHERE photo_id = ?1")
        .execute(params![photo_id])?;
    let insert = conn.prepare(
        "INSERT INTO objects (photo_id, class, score, x, y, w, h, model_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         RETURNING id",
    );
    for o in objects {
        let id = insert.query_row(
            params![
                photo_id,
                o.class,
                o.score,
                o.x,
                o.y,
                o.w,
                o.h,
                model_version
            ],
            |r| r.get::<i64>(0),
        )?;
        insert_wearing(conn, id, &o.wearing)?;
    }
    Ok(())
}

/// What a stored body wears.
pub(crate) fn insert_wearing(conn: &Db, object_id: i64, wearing: &[Worn]) -> Result<()> {
    let insert = conn.prepare(
        "INSERT INTO object_wearing (object_id, name, score) VALUES (?1, ?2, ?3)
         ON CONFLICT (object_id, name) DO UPDATE SET score = excluded.score",
    );
    for w in wearing {
        insert.execute(params![object_id, w.name, w.score])?;
    }
    Ok(())
}
