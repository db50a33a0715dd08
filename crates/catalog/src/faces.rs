//! Faces in the catalogue: normalised box, 5 landmarks, detection score, embedding (a BLOB of
//! little-endian f32) and per-face attributes (`face_attributes`: one row per face and attribute name,
//! each with the model version that made it).

use crate::db::{params, Db};
use crate::regions::apply_regions;
use serde::Serialize;

use super::face_decisions::PhotoDecisions;
use super::Catalog;
use crate::Result;
use argus_core::results::{FaceAttribute, FaceUpdate, NewFace};

/// A face as stored: box and landmarks normalised to the upright photo (0..1).
#[derive(Debug, Clone, Serialize)]
pub struct StoredFace {
    pub id: i64,
    pub photo_id: i64,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub score: f32,
    /// Left eye, right eye (as seen in the photo), nose tip, left and right mouth corner.
    pub landmarks: Vec<[f32; 2]>,
    /// L2-normalised; empty until the embedding stage has run.
    #[serde(skip)]
    pub embedding: Vec<f32>,
    pub person_id: Option<i64>,
    /// Version of the detector that found the face (`none` for a face no model found).
    pub model_version: String,
    /// `detected` (by analysis), `region` (a named region of another tool that no detected face
    /// matched) or `manual` (drawn by the user).
    pub source: String,
    pub attributes: Vec<FaceAttribute>,
}

pub(crate) fn floats_to_blob(values: impl IntoIterator<Item = f32>) -> Vec<u8> {
    values.into_iter().flat_map(f32::to_le_bytes).collect()
}

pub(crate) fn blob_to_floats(blob: &[u8]) -> Vec<f32> {
    blob.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

impl Catalog {
    /// Where a face is: its photo and its box (x, y, w, h normalised to the upright photo).
    pub fn face_box(&self, face_id: i64) -> Result<Option<(i64, [f32; 4])>> {
        self.db().query_opt(
            "SELECT photo_id, x, y, w, h FROM faces WHERE id = ?1",
            params![face_id],
            |r| Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])),
        )
    }

    /// The faces of a photo with their attributes, largest first.
    pub fn faces_of(&self, photo_id: i64) -> Result<Vec<StoredFace>> {
        let stmt = self.db().prepare(
            "SELECT id, photo_id, x, y, w, h, score, landmarks, embedding, person_id, model_version,
                 source
             FROM faces WHERE photo_id = ?1 ORDER BY w * h DESC, id",
        );
        let mut faces: Vec<StoredFace> = stmt.query_map(params![photo_id], |r| {
            let landmarks = blob_to_floats(&r.get::<Option<Vec<u8>>>(7)?.unwrap_or_default());
            Ok(StoredFace {
                id: r.get(0)?,
                photo_id: r.get(1)?,
                x: r.get(2)?,
                y: r.get(3)?,
                w: r.get(4)?,
                h: r.get(5)?,
                score: r.get(6)?,
                landmarks: landmarks.chunks_exact(2).map(|p| [p[0], p[1]]).collect(),
                embedding: blob_to_floats(&r.get::<Option<Vec<u8>>>(8)?.unwrap_or_default()),
                person_id: r.get(9)?,
                model_version: r.get(10)?,
                source: r.get(11)?,
                attributes: Vec::new(),
            })
        })?;
        let attrs = self.db().prepare(
            "SELECT name, value, confidence, model_version FROM face_attributes
             WHERE face_id = ?1 ORDER BY name",
        );
        for face in &mut faces {
            face.attributes = attrs.query_map(params![face.id], |r| {
                Ok(FaceAttribute {
                    name: r.get(0)?,
                    value: r.get(1)?,
                    confidence: r.get(2)?,
                    model_version: r.get(3)?,
                })
            })?;
        }
        Ok(faces)
    }
}

/// Replaces a photo's faces (and, by cascade, their attributes) with a new detection result; the
/// user's decisions move to the new face at the same place ([`PhotoDecisions`]).
pub(crate) fn replace_faces(
    conn: &Db,
    photo_id: i64,
    faces: &[NewFace],
    detector_version: &str,
) -> Result<()> {
    let decisions = PhotoDecisions::read(conn, photo_id)?;
    conn.execute(
        "DELETE FROM faces WHERE photo_id = ?1 AND source = 'detected'",
        params![photo_id],
    )?;
    let mut inserted = Vec::with_capacity(faces.len());
    let insert = conn.prepare(
        "INSERT INTO faces (photo_id, x, y, w, h, score, landmarks, embedding, model_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         RETURNING id",
    );
    for f in faces {
        let id = insert.query_row(
            params![
                photo_id,
                f.x,
                f.y,
                f.w,
                f.h,
                f.score,
                floats_to_blob(f.landmarks.iter().flat_map(|p| [p[0], p[1]])),
                f.embedding
                    .as_ref()
                    .map(|e| floats_to_blob(e.iter().copied())),
                detector_version
            ],
            |r| r.get::<i64>(0),
        )?;
        write_attributes(conn, id, &f.attributes)?;
        inserted.push((id, [f.x, f.y, f.w, f.h]));
    }
    decisions.restore(conn, &inserted)?;
    // Named regions may now match a detected face instead of standing in for one.
    apply_regions(conn, photo_id)
}

/// Applies later-stage results to faces that are already stored.
pub(crate) fn update_faces(conn: &Db, updates: &[FaceUpdate]) -> Result<()> {
    let set_embedding = conn.prepare("UPDATE faces SET embedding = ?2 WHERE id = ?1");
    for u in updates {
        if let Some(e) = &u.embedding {
            set_embedding.execute(params![u.face_id, floats_to_blob(e.iter().copied())])?;
        }
        write_attributes(conn, u.face_id, &u.attributes)?;
    }
    Ok(())
}

/// The model ids of a ledger version without their versions (`faceres@3.0.4+emotion@1#r2` →
/// `faceres+emotion`): what identifies the stage that wrote a row.
fn stage_key(version: &str) -> String {
    let models = version.split('#').next().unwrap_or_default();
    models
        .split('+')
        .map(|m| m.split('@').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("+")
}

/// Writes a face's attributes. The same stage's earlier rows for the face are dropped first (same
/// model ids, any versions), so a new version that no longer reports an attribute leaves nothing
/// stale behind, and other stages' rows stay.
fn write_attributes(conn: &Db, face_id: i64, attributes: &[FaceAttribute]) -> Result<()> {
    let mut stages: Vec<String> = attributes
        .iter()
        .map(|a| stage_key(&a.model_version))
        .collect();
    stages.sort_unstable();
    stages.dedup();
    if !stages.is_empty() {
        let stored =
            conn.prepare("SELECT name, model_version FROM face_attributes WHERE face_id = ?1");
        let stale: Vec<String> = stored
            .query_map(params![face_id], |r| {
                Ok((r.get::<String>(0)?, r.get::<String>(1)?))
            })?
            .into_iter()
            .filter(|(_, version)| stages.contains(&stage_key(version)))
            .map(|(name, _)| name)
            .collect();
        let forget = conn.prepare("DELETE FROM face_attributes WHERE face_id = ?1 AND name = ?2");
        for name in stale {
            forget.execute(params![face_id, name])?;
        }
    }
    let upsert = conn.prepare(
        "INSERT INTO face_attributes (face_id, name, value, confidence, model_version)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (face_id, name) DO UPDATE SET value = excluded.value,
             confidence = excluded.confidence, model_version = excluded.model_version",
    );
    for a in attributes {
        upsert.execute(params![
            face_id,
            a.name,
            a.value,
            a.confidence,
            a.model_version
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::stage_key;

    #[test]
    fn a_stage_is_known_by_its_model_ids() {
        assert_eq!(stage_key("faceres@3.0.4#r1"), "faceres");
        assert_eq!(
            stage_key("faceres@3.0.4+efficientnet-lite0@0.1.0+emotion@3.0.4+probes@ab#r1"),
            "faceres+efficientnet-lite0+emotion+probes"
        );
        assert_eq!(stage_key("faceres@bumped"), "faceres");
    }
}
