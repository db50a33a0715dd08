//! User decisions survive a face being detected again. A new detector version (or an edited photo)
//! replaces a photo's face rows; the user's word about a face — it is this person (confirmed), it
//! is not that person (rejected), it is the person's cover — moves to the new face at the same place
//! (box overlap, IoU ≥ 0.5, best pairs first). Automatic assignments are not carried: the new faces
//! are clustered again.

use crate::db::{params, Db};

use crate::Result;

/// Boxes overlapping at least this much (intersection over union) are the same face.
const SAME_FACE_IOU: f32 = 0.5;

/// What the user said about one face of the photo.
struct FaceDecisions {
    bbox: [f32; 4],
    confirmed_person: Option<i64>,
    rejected_from: Vec<i64>,
    cover_of: Vec<i64>,
}

/// The decisions about a photo's faces, read before its face rows are replaced.
pub(crate) struct PhotoDecisions(Vec<FaceDecisions>);

impl PhotoDecisions {
    pub(crate) fn read(conn: &Db, photo_id: i64) -> Result<PhotoDecisions> {
        let faces = conn.prepare(
            "SELECT id, x, y, w, h, CASE WHEN confirmed = 1 THEN person_id END FROM faces
             WHERE photo_id = ?1 AND source = 'detected'",
        );
        let rejections = conn.prepare("SELECT person_id FROM face_rejections WHERE face_id = ?1");
        let covers = conn.prepare("SELECT id FROM people WHERE cover_face_id = ?1");
        let rows: Vec<(i64, [f32; 4], Option<i64>)> = faces.query_map(params![photo_id], |r| {
            Ok((
                r.get(0)?,
                [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
                r.get(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for (id, bbox, confirmed_person) in rows {
            let rejected_from: Vec<i64> = rejections.query_map(params![id], |r| r.get(0))?;
            let cover_of: Vec<i64> = covers.query_map(params![id], |r| r.get(0))?;
            if confirmed_person.is_some() || !rejected_from.is_empty() || !cover_of.is_empty() {
                out.push(FaceDecisions {
                    bbox,
                    confirmed_person,
                    rejected_from,
                    cover_of,
                });
            }
        }
        Ok(PhotoDecisions(out))
    }

    /// Applies the decisions to the photo's new faces (`(id, [x, y, w, h])`); covers whose face
    /// is gone fall back to the automatic choice.
    pub(crate) fn restore(self, conn: &Db, new_faces: &[(i64, [f32; 4])]) -> Result<()> {
        let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
        for (i, old) in self.0.iter().enumerate() {
            for (j, (_, bbox)) in new_faces.iter().enumerate() {
                let overlap = iou(&old.bbox, bbox);
                if overlap >= SAME_FACE_IOU {
                    pairs.push((overlap, i, j));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (mut old_used, mut new_used) =
            (vec![false; self.0.len()], vec![false; new_faces.len()]);
        for (_, i, j) in pairs {
            if old_used[i] || new_used[j] {
                continue;
            }
            old_used[i] = true;
            new_used[j] = true;
            let (face, old) = (new_faces[j].0, &self.0[i]);
            if let Some(person) = old.confirmed_person {
                conn.execute(
                    "UPDATE faces SET person_id = ?2, confirmed = 1 WHERE id = ?1",
                    params![face, person],
                )?;
            }
            for person in &old.rejected_from {
                conn.execute(
                    "INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?1, ?2)",
                    params![face, person],
                )?;
            }
            for person in &old.cover_of {
                conn.execute(
                    "UPDATE people SET cover_face_id = ?2 WHERE id = ?1",
                    params![person, face],
                )?;
            }
        }
        for (old, used) in self.0.iter().zip(old_used) {
            if !used {
                for person in &old.cover_of {
                    conn.execute(
                        "UPDATE people SET cover_face_id = NULL WHERE id = ?1",
                        params![person],
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// Intersection over union of two `[x, y, w, h]` boxes.
fn iou(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    let w = (a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0]);
    let h = (a[1] + a[3]).min(b[1] + b[3]) - a[1].max(b[1]);
    let inter = w.max(0.0) * h.max(0.0);
    let union = a[2] * a[3] + b[2] * b[3] - inter;
    if union > 0.0 {
        inter / union
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_of_boxes() {
        let a = [0.1, 0.1, 0.2, 0.2];
        assert!((iou(&a, &a) - 1.0).abs() < 1e-6);
        assert_eq!(iou(&a, &[0.5, 0.5, 0.1, 0.1]), 0.0);
        let shifted = [0.12, 0.1, 0.2, 0.2];
        assert!(iou(&a, &shifted) > 0.8);
    }
}
