//! What each photo looks like (`photo_descriptors`, written by the `descriptor` stage): an 8-bit unit
//! descriptor, a perceptual hash and a sharpness, read whole by the look-alike index and duplicates;
//! and how alike two stored descriptors are ([`descriptor_similarity`]), the one rule `similar:`
//! uses in SQL (the function `photo_similarity(a, b)` on the stored blobs) and in the index.

use crate::db::{params, Db, Row};
use rusqlite::functions::FunctionFlags;

use super::Catalog;
use crate::Result;
use argus_core::results::PhotoDescriptor;

/// A photo's stored descriptor.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDescriptor {
    pub photo_id: i64,
    pub descriptor: PhotoDescriptor,
}

const COLUMNS: &str = "d.photo_id, d.vector, d.phash, d.sharpness";

fn from_row(r: &Row<'_>) -> crate::Result<StoredDescriptor> {
    let bytes: Vec<u8> = r.get(1)?;
    Ok(StoredDescriptor {
        photo_id: r.get(0)?,
        descriptor: PhotoDescriptor {
            vector: bytes.into_iter().map(|b| b as i8).collect(),
            phash: r.get::<i64>(2)? as u64,
            sharpness: r.get(3)?,
        },
    })
}

/// How alike two photos look: the cosine similarity of their 8-bit descriptors (−1..1).
pub fn descriptor_similarity(a: &[i8], b: &[i8]) -> f32 {
    argus_ann::vector::cosine(a, b)
}

/// Registers `photo_similarity(a, b)`: [`descriptor_similarity`] of two stored descriptor blobs
/// (NULL when either is).
pub(crate) fn register_photo_similarity(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "photo_similarity",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let a = ctx.get_raw(0).as_blob_or_null()?;
            let b = ctx.get_raw(1).as_blob_or_null()?;
            let signed = |v: &[u8]| v.iter().map(|&x| x as i8).collect::<Vec<i8>>();
            Ok(a.zip(b)
                .map(|(a, b)| f64::from(descriptor_similarity(&signed(a), &signed(b)))))
        },
    )
}

/// Stores a photo's descriptor in place of the old one (inside the caller's transaction).
pub(crate) fn replace_descriptor(
    conn: &Db,
    photo_id: i64,
    descriptor: &PhotoDescriptor,
    version: &str,
) -> Result<()> {
    let bytes: Vec<u8> = descriptor.vector.iter().map(|&x| x as u8).collect();
    conn.prepare(
        "INSERT INTO photo_descriptors (photo_id, vector, phash, sharpness, model_version)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (photo_id) DO UPDATE SET vector = excluded.vector, phash = excluded.phash,
             sharpness = excluded.sharpness, model_version = excluded.model_version",
    )
    .execute(params![
        photo_id,
        bytes,
        descriptor.phash as i64,
        descriptor.sharpness,
        version
    ])?;
    Ok(())
}

impl Catalog {
    /// One photo's descriptor, if the `descriptor` stage has run on it.
    pub fn photo_descriptor(&self, photo_id: i64) -> Result<Option<StoredDescriptor>> {
        let sql = format!("SELECT {COLUMNS} FROM photo_descriptors d WHERE d.photo_id = ?1");
        self.db()
            .prepare(&sql)
            .query_opt(params![photo_id], from_row)
    }

    /// The descriptors of every photo the grid shows (readable, not stacked behind another photo),
    /// by photo id.
    pub fn descriptors(&self) -> Result<Vec<StoredDescriptor>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM photo_descriptors d JOIN photos p ON p.id = d.photo_id
             WHERE p.status = 'ok' AND p.shot_of IS NULL ORDER BY d.photo_id"
        );
        let stmt = self.db().prepare(&sql);
        let rows = stmt.query_map((), from_row)?;
        Ok(rows.into_iter().collect())
    }
}
