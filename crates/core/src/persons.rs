//! People as a whole: which face belongs to which body, and which objects a body carries or wears.
//! A pure rule on boxes (normalised, on the upright photo), written once: the catalogue applies it
//! whenever a photo's faces or objects change and stores its answer, search reads the answer.
//!
//! **A face belongs to a body** when its centre lies inside the body box horizontally and in the
//! body's upper part (from a little above the box to [`HEAD_BAND`] of its height), most of the face
//! ([`FACE_INSIDE`]) lies inside the box, and the face is not wider than the body. Among the pairs
//! that qualify, the best fitting (face centre nearest the body's axis and its head position) are
//! taken first, one face per body and one body per face.
//!
//! **An object is carried** by the body whose box holds the largest share of the object's box, when
//! that share is at least [`CARRIED_INSIDE`] and the object's centre lies above the feet
//! ([`FEET_BAND`]: a bag on the floor beside someone is not theirs). Only things people carry or wear
//! count ([`CARRIED_CLASSES`]); a car behind someone is not carried. Ties between two bodies go to
//! the one whose axis is nearer the object.

use crate::metadata::NormBox;
use crate::objects::object_classes;

/// A face's centre must lie above this fraction of the body's height (measured from its top).
pub const HEAD_BAND: f64 = 0.6;
/// How far above the body box a face centre may lie, as a fraction of the body's height (a
/// detector's body box sometimes starts at the forehead).
pub const ABOVE_BODY: f64 = 0.05;
/// The share of the face box that must lie inside the body box.
pub const FACE_INSIDE: f64 = 0.6;
/// The share of an object's box that must lie inside the carrier's body box.
pub const CARRIED_INSIDE: f64 = 0.5;
/// An object whose centre lies below this fraction of the body's height stands on the floor.
pub const FEET_BAND: f64 = 0.88;
/// Where a head's centre usually is in a body box, as a fraction of its height (the fit cost's
/// reference point).
const HEAD_CENTRE: f64 = 0.12;

/// The COCO classes a person carries, holds or wears (the classes `carrying:` can name).
#[rustfmt::skip]
pub const CARRIED_CLASSES: &[&str] = &[
    "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard",
    "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
    "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "banana", "apple",
    "sandwich", "orange", "hot dog", "donut", "laptop", "mouse", "remote", "cell phone", "book",
    "scissors", "teddy bear", "hair drier", "toothbrush",
];

/// Whether a class is something a person carries or wears.
pub fn is_carried_class(class: &str) -> bool {
    CARRIED_CLASSES.contains(&class)
}

/// The classes a `carrying:` term names: those of the class or group that a person carries (empty
/// when none is).
pub fn carried_classes(term: &str) -> Vec<&'static str> {
    object_classes(term)
        .into_iter()
        .filter(|c| is_carried_class(c))
        .collect()
}

/// The face (an index into `faces`) of each body (an index into `bodies`), if any.
pub fn link_faces(faces: &[NormBox], bodies: &[NormBox]) -> Vec<Option<usize>> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (f, face) in faces.iter().enumerate() {
        for (b, body) in bodies.iter().enumerate() {
            if let Some(cost) = face_fit(face, body) {
                pairs.push((cost, f, b));
            }
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut face_of_body = vec![None; bodies.len()];
    let mut face_taken = vec![false; faces.len()];
    for (_, f, b) in pairs {
        if face_of_body[b].is_none() && !face_taken[f] {
            face_of_body[b] = Some(f);
            face_taken[f] = true;
        }
    }
    face_of_body
}

/// How badly a face fits a body as its head (lower is better), or None when it cannot be its head.
fn face_fit(face: &NormBox, body: &NormBox) -> Option<f64> {
    if body.w <= 0.0 || body.h <= 0.0 || face.w <= 0.0 || face.h <= 0.0 {
        return None;
    }
    let (cx, cy) = centre(face);
    let inside_x = cx >= body.x && cx <= body.x + body.w;
    let top = (cy - body.y) / body.h;
    let in_head_band = (-ABOVE_BODY..=HEAD_BAND).contains(&top);
    let fits =
        inside_x && in_head_band && share_inside(face, body) >= FACE_INSIDE && face.w <= body.w;
    fits.then(|| {
        let off_axis = (cx - (body.x + body.w / 2.0)).abs() / body.w;
        let off_head = (top - HEAD_CENTRE).abs();
        off_axis + off_head
    })
}

/// The body (an index into `bodies`) that carries each object (an index into `objects`), if any.
/// `objects` are (class, box); only [`CARRIED_CLASSES`] can be carried.
pub fn link_carried(objects: &[(&str, NormBox)], bodies: &[NormBox]) -> Vec<Option<usize>> {
    objects
        .iter()
        .map(|(class, object)| {
            if !is_carried_class(class) {
                return None;
            }
            let (ox, oy) = centre(object);
            bodies
                .iter()
                .enumerate()
                .filter(|(_, body)| body.h > 0.0 && (oy - body.y) / body.h <= FEET_BAND)
                .map(|(b, body)| {
                    let off_axis = (ox - (body.x + body.w / 2.0)).abs();
                    (b, share_inside(object, body), off_axis)
                })
                .filter(|(_, share, _)| *share >= CARRIED_INSIDE)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.2.total_cmp(&a.2)))
                .map(|(b, _, _)| b)
        })
        .collect()
}

fn centre(b: &NormBox) -> (f64, f64) {
    (b.x + b.w / 2.0, b.y + b.h / 2.0)
}

/// The share of `inner`'s area that lies inside `outer` (0 for an empty `inner`).
pub fn share_inside(inner: &NormBox, outer: &NormBox) -> f64 {
    let ix = (inner.x + inner.w).min(outer.x + outer.w) - inner.x.max(outer.x);
    let iy = (inner.y + inner.h).min(outer.y + outer.h) - inner.y.max(outer.y);
    let area = inner.w * inner.h;
    if ix <= 0.0 || iy <= 0.0 || area <= 0.0 {
        0.0
    } else {
        ix * iy / area
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x: f64, y: f64, w: f64, h: f64) -> NormBox {
        NormBox { x, y, w, h }
    }

    #[test]
    fn each_face_goes_to_the_body_it_heads() {
        // Two people side by side, overlapping; faces given right one first.
        let bodies = [b(0.1, 0.2, 0.3, 0.7), b(0.35, 0.25, 0.3, 0.7)];
        let faces = [b(0.45, 0.27, 0.1, 0.1), b(0.2, 0.22, 0.1, 0.1)];
        assert_eq!(link_faces(&faces, &bodies), [Some(1), Some(0)]);
    }

    #[test]
    fn a_face_low_in_the_box_or_outside_it_heads_nothing() {
        let bodies = [b(0.1, 0.1, 0.3, 0.8)];
        // At the body's knees (someone in front), beside the box, mostly outside it.
        let knee = b(0.2, 0.7, 0.08, 0.08);
        let beside = b(0.5, 0.12, 0.08, 0.08);
        let half_out = b(0.36, 0.12, 0.1, 0.1);
        assert_eq!(link_faces(&[knee, beside, half_out], &bodies), [None]);
        // A face wider than a narrow body box is not its head.
        assert_eq!(
            link_faces(&[b(0.1, 0.1, 0.3, 0.2)], &[b(0.15, 0.1, 0.1, 0.8)]),
            [None]
        );
    }

    #[test]
    fn one_face_per_body_and_one_body_per_face() {
        // Two faces in one box: the one nearer the head position wins; a second box for the same
        // face stays without one.
        let bodies = [b(0.1, 0.1, 0.4, 0.8), b(0.12, 0.12, 0.36, 0.78)];
        let faces = [b(0.25, 0.13, 0.1, 0.1), b(0.27, 0.4, 0.08, 0.08)];
        let links = link_faces(&faces, &bodies);
        assert_eq!(links.iter().filter(|l| l.is_some()).count(), 2);
        assert!(links.contains(&Some(0)));
        assert!(links.contains(&Some(1)));
    }

    #[test]
    fn a_bag_is_carried_by_the_body_that_holds_it_not_by_the_floor_beside_it() {
        let ana = b(0.1, 0.1, 0.25, 0.85);
        let ben = b(0.5, 0.1, 0.25, 0.85);
        let at_hip = ("handbag", b(0.28, 0.5, 0.1, 0.1));
        let on_floor = ("suitcase", b(0.36, 0.8, 0.14, 0.15));
        let under_feet = ("backpack", b(0.55, 0.86, 0.1, 0.09));
        let car = ("car", b(0.1, 0.3, 0.3, 0.3));
        let links = link_carried(&[at_hip, on_floor, under_feet, car], &[ana, ben]);
        assert_eq!(links, [Some(0), None, None, None]);
    }

    #[test]
    fn an_object_in_two_boxes_goes_to_the_box_that_holds_more_of_it() {
        let front = b(0.3, 0.2, 0.3, 0.7);
        let behind = b(0.1, 0.1, 0.35, 0.8);
        let bag = ("backpack", b(0.38, 0.4, 0.12, 0.15));
        assert_eq!(link_carried(&[bag], &[behind, front]), [Some(1)]);
    }
}
