//! People as a whole, stored: each body's face (`objects.face_id`) and each carried object's body
//! (`objects.carrier_id`), recomputed with [`argus_core::persons`]'s rule whenever a photo's faces or
//! objects change (analysis results, face regions from XMP, faces drawn by hand).

use crate::db::{params, Db};

use crate::rows::norm_box;
use crate::Result;
use argus_core::metadata::NormBox;
use argus_core::objects::{OBJECT_MIN_SCORE, PERSON};
use argus_core::persons::{link_carried, link_faces};

/// Recomputes which face heads each body of photo `photo_id` and which body carries each object.
pub(crate) fn link_persons(conn: &Db, photo_id: i64) -> Result<()> {
    let faces: Vec<(i64, NormBox)> = conn
        .prepare("SELECT id, x, y, w, h FROM faces WHERE photo_id = ?1 ORDER BY id")
        .query_map(params![photo_id], |r| Ok((r.get(0)?, norm_box(r, 1)?)))?;
    let objects: Vec<(i64, String, NormBox)> = conn
        .prepare(
            "SELECT id, class, x, y, w, h FROM objects WHERE photo_id = ?1 AND score >= ?2
             ORDER BY id",
        )
        .query_map(params![photo_id, f64::from(OBJECT_MIN_SCORE)], |r| {
            Ok((r.get(0)?, r.get(1)?, norm_box(r, 2)?))
        })?;
    conn.prepare(
        "UPDATE objects SET face_id = NULL, carrier_id = NULL
         WHERE photo_id = ?1 AND (face_id IS NOT NULL OR carrier_id IS NOT NULL)",
    )
    .execute(params![photo_id])?;
    if objects.is_empty() {
        return Ok(());
    }
    let (bodies, things): (Vec<_>, Vec<_>) = objects.iter().partition(|o| o.1 == PERSON);
    let body_boxes: Vec<NormBox> = bodies.iter().map(|o| o.2).collect();
    let face_boxes: Vec<NormBox> = faces.iter().map(|f| f.1).collect();
    let set_face = conn.prepare("UPDATE objects SET face_id = ?2 WHERE id = ?1");
    for (body, face) in bodies.iter().zip(link_faces(&face_boxes, &body_boxes)) {
        if let Some(face) = face {
            set_face.execute(params![body.0, faces[face].0])?;
        }
    }
    let thing_boxes: Vec<(&str, NormBox)> = things.iter().map(|o| (o.1.as_str(), o.2)).collect();
    let set_carrier = conn.prepare("UPDATE objects SET carrier_id = ?2 WHERE id = ?1");
    for (thing, carrier) in things.iter().zip(link_carried(&thing_boxes, &body_boxes)) {
        if let Some(carrier) = carrier {
            set_carrier.execute(params![thing.0, bodies[carrier].0])?;
        }
    }
    Ok(())
}

/// Links every photo that has objects (a catalogue from before people were linked).
pub(crate) fn link_every_photo(conn: &Db) -> Result<()> {
    let photos: Vec<i64> = conn
        .prepare("SELECT DISTINCT photo_id FROM objects")
        .query_map((), |r| r.get(0))?;
    for photo in photos {
        link_persons(conn, photo)?;
    }
    Ok(())
}
