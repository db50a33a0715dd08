//! Faces that detection did not supply: named regions from other tools become the user's decisions,
//! and the user can draw a face the detector missed.
//!
//! A named face region (MWG or Microsoft, read from the photo's XMP) that overlaps a face of the photo
//! names that face's person: the face is confirmed into the person of that name (found in any case, or
//! created), unless the user already put it elsewhere or rejected it from that person in Argus — their
//! word in Argus wins. A region that matches no face becomes a face of its own (`source = 'region'`,
//! no embedding, confirmed), remade whenever the regions or the photo's faces change, so a face found
//! later by detection takes its place. A face the user draws (`source = 'manual'`) stays until removed.

use crate::db::{params, Db, Transaction};

use super::Catalog;
use crate::people::{person_called, person_named, tidy_people};
use crate::persons::link_persons;
use crate::rows::norm_box;
use crate::{Error, Result};
use argus_core::metadata::NormBox;

/// A region and a face overlapping at least this much (intersection over union) are the same face.
/// Lower than re-detection's 0.5: tools draw face boxes tighter or looser than the detector does.
pub const REGION_FACE_IOU: f64 = 0.3;

/// The `model_version` of faces that no model found.
const NOT_DETECTED: &str = "none";

/// Applies photo `id`'s named face regions to its faces (see the module doc).
pub(crate) fn apply_regions(conn: &Db, id: i64) -> Result<()> {
    conn.prepare("DELETE FROM faces WHERE photo_id = ?1 AND source = 'region'")
        .execute(params![id])?;
    let regions: Vec<(String, NormBox)> = conn
        .prepare(
            "SELECT name, x, y, w, h FROM photo_regions
             WHERE photo_id = ?1 AND kind = 'face' AND x IS NOT NULL AND TRIM(COALESCE(name, '')) <> ''
             ORDER BY id",
        )
        .query_map(params![id], |r| {
            Ok((
                r.get(0)?,
                norm_box(r, 1)?,
            ))
        })?;
    if regions.is_empty() {
        return Ok(());
    }
    let faces: Vec<(i64, NormBox, Option<i64>, bool)> = conn
        .prepare("SELECT id, x, y, w, h, person_id, confirmed FROM faces WHERE photo_id = ?1")
        .query_map(params![id], |r| {
            Ok((r.get(0)?, norm_box(r, 1)?, r.get(5)?, r.get(6)?))
        })?;

    // Best overlaps first, each region and face used once.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, (_, area)) in regions.iter().enumerate() {
        for (j, face) in faces.iter().enumerate() {
            let overlap = area.iou(&face.1);
            if overlap >= REGION_FACE_IOU {
                pairs.push((overlap, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut region_face: Vec<Option<usize>> = vec![None; regions.len()];
    let mut face_used = vec![false; faces.len()];
    for (_, i, j) in pairs {
        if region_face[i].is_none() && !face_used[j] {
            region_face[i] = Some(j);
            face_used[j] = true;
        }
    }

    for ((name, area), matched) in regions.iter().zip(region_face) {
        let named = person_named(conn, name)?;
        match matched {
            Some(j) => {
                let (face, _, current, confirmed) = faces[j];
                if confirmed && (current != named || named.is_none()) {
                    continue; // the user put this face elsewhere in Argus
                }
                if let Some(person) = named {
                    let rejected: bool = conn
                        .prepare(
                            "SELECT EXISTS (SELECT 1 FROM face_rejections
                                WHERE face_id = ?1 AND person_id = ?2)",
                        )
                        .query_row(params![face, person], |r| r.get(0))?;
                    if rejected {
                        continue;
                    }
                }
                let person = match named {
                    Some(p) => p,
                    None => person_called(conn, name)?,
                };
                conn.prepare(
                    "UPDATE faces SET person_id = ?2, confirmed = 1, clustered = 1 WHERE id = ?1",
                )
                .execute(params![face, person])?;
            }
            None => {
                let person = match named {
                    Some(p) => p,
                    None => person_called(conn, name)?,
                };
                insert_face(conn, id, area, person, "region")?;
            }
        }
    }
    tidy_people(conn)
}

fn insert_face(conn: &Db, photo: i64, area: &NormBox, person: i64, source: &str) -> Result<i64> {
    conn.query_row(
        "INSERT INTO faces (photo_id, x, y, w, h, score, person_id, model_version, confirmed,
             clustered, source)
         VALUES (?1, ?2, ?3, ?4, ?5, 1.0, ?6, ?7, 1, 1, ?8)
         RETURNING id",
        params![
            photo,
            area.x,
            area.y,
            area.w,
            area.h,
            person,
            NOT_DETECTED,
            source
        ],
        |r| r.get(0),
    )
}

impl Catalog {
    /// The user draws a face the detector missed on photo `photo` (a box normalised to the upright
    /// photo) and names it: a face of the person called `name` (found in any case, or created).
    /// Returns the new face's id.
    pub fn add_manual_face(&mut self, photo: i64, area: NormBox, name: &str) -> Result<i64> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Decision("a face needs a name".into()));
        }
        let inside = area.x >= 0.0
            && area.y >= 0.0
            && area.x + area.w <= 1.0 + 1e-9
            && area.y + area.h <= 1.0 + 1e-9;
        if !area.is_finite_with_area() || !inside {
            return Err(Error::Decision(format!(
                "the box ({:.3}, {:.3}, {:.3}, {:.3}) does not lie on the photo",
                area.x, area.y, area.w, area.h
            )));
        }
        let tx = Transaction::begin(self.db(), true)?;
        let exists: Option<i64> = tx.query_opt(
            "SELECT id FROM photos WHERE id = ?1 AND status = 'ok'",
            params![photo],
            |r| r.get(0),
        )?;
        if exists.is_none() {
            return Err(Error::Decision(format!("no photo {photo}")));
        }
        let person = person_called(&tx, name)?;
        let face = insert_face(&tx, photo, &area, person, "manual")?;
        link_persons(&tx, photo)?;
        tx.commit()?;
        Ok(face)
    }

    /// Removes a face the user drew (detected faces are rejected, not removed).
    pub fn remove_manual_face(&mut self, face: i64) -> Result<()> {
        let tx = Transaction::begin(self.db(), true)?;
        let photo: Option<i64> = tx.query_opt(
            "DELETE FROM faces WHERE id = ?1 AND source = 'manual' RETURNING photo_id",
            params![face],
            |r| r.get(0),
        )?;
        let Some(photo) = photo else {
            return Err(Error::Decision(format!(
                "face {face} was not drawn by hand"
            )));
        };
        link_persons(&tx, photo)?;
        tidy_people(&tx)?;
        tx.commit()?;
        Ok(())
    }
}
