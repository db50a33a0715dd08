//! How well Argus sees people as a whole, measured on a hand-labelled set (`tests/data/persons/
//! labels.toml`: photos from registry packages, each person's body box, face box when seen, and what
//! they carry; bags nobody carries). Used by `argus dev eval-persons` and the persons test.
//!
//! Detected bodies are matched to labelled persons (greedy by IoU, at least [`BODY_IOU`]); then
//! - **linking**: a body's face link is right when the face is the labelled person's face (its
//!   centre inside the labelled face box, or IoU ≥ [`FACE_IOU`]); precision over every link made,
//!   recall over the persons whose body and face were both detected (so detector misses do not count
//!   against the rule; they are reported apart);
//! - **`carrying:bag`** per person: the matched body carries a bag (handbag, backpack, suitcase)
//!   against the label; a bag carried by a body that matches nobody is a false positive. Misses are
//!   split into "no bag detected on the person" (the detector) and "detected, not linked" (the rule).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, StoredObject};
use crate::Result;
use argus_api::metadata::NormBox;
use argus_api::objects::{object_matches, OBJECT_MIN_SCORE, PERSON};

/// A detected body matches a labelled person from this IoU.
pub const BODY_IOU: f64 = 0.5;
/// A detected face matches a labelled face from this IoU (or with its centre inside).
pub const FACE_IOU: f64 = 0.3;

/// The label file.
#[derive(Debug, Clone, Deserialize)]
pub struct Labels {
    pub photo: Vec<LabelledPhoto>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LabelledPhoto {
    pub file: String,
    pub source: String,
    #[serde(default)]
    pub person: Vec<LabelledPerson>,
    #[serde(default)]
    pub loose: Vec<LooseObject>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LabelledPerson {
    /// x, y, w, h normalised to the upright photo.
    pub body: [f64; 4],
    pub face: Option<[f64; 4]>,
    #[serde(default)]
    pub carrying: Vec<String>,
}

/// An object of interest nobody carries.
#[derive(Debug, Clone, Deserialize)]
pub struct LooseObject {
    pub class: String,
    #[serde(rename = "box")]
    pub area: [f64; 4],
}

impl Labels {
    pub fn read(path: &Path) -> Result<Labels> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            crate::Error::io(format!("cannot read the labels {}", path.display()), e)
        })?;
        toml::from_str(&text).map_err(|e| {
            crate::Error::Decision(format!("the labels {} do not parse: {e}", path.display()))
        })
    }
}

/// Counts of one yes/no decision.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// What the evaluation found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PersonsReport {
    pub photos: usize,
    pub persons: usize,
    pub persons_with_face: usize,
    pub persons_carrying_bag: usize,
    pub loose_bags: usize,
    /// Labelled persons a detected body matches.
    pub bodies_matched: usize,
    /// Detected bodies (counting) that match no labelled person.
    pub bodies_unmatched: usize,
    /// Labelled persons whose body and face were both detected.
    pub linkable: usize,
    pub linking: Counts,
    pub carrying_bag: Counts,
    /// Of the missed bag carriers: no bag detected overlapping them.
    pub bag_not_detected: usize,
    /// Loose bags that were detected and then given to someone.
    pub loose_bags_carried: usize,
}

fn norm([x, y, w, h]: [f64; 4]) -> NormBox {
    NormBox { x, y, w, h }
}

fn centre_inside(inner: &NormBox, outer: &NormBox) -> bool {
    let (cx, cy) = (inner.x + inner.w / 2.0, inner.y + inner.h / 2.0);
    cx >= outer.x && cx <= outer.x + outer.w && cy >= outer.y && cy <= outer.y + outer.h
}

fn is_bag(class: &str) -> bool {
    object_matches("bag", class)
}

/// Evaluates the catalogue's persons against the labels; `photo_id` finds a labelled file's photo.
pub fn evaluate(
    catalog: &Catalog,
    labels: &Labels,
    photo_id: impl Fn(&str) -> Option<i64>,
) -> Result<PersonsReport> {
    let mut r = PersonsReport::default();
    for photo in &labels.photo {
        let Some(id) = photo_id(&photo.file) else {
            return Err(crate::Error::Decision(format!(
                "{} is not in the catalogue",
                photo.file
            )));
        };
        r.photos += 1;
        let objects: Vec<StoredObject> = catalog
            .photo_objects(id)?
            .into_iter()
            .filter(|o| o.object.score >= OBJECT_MIN_SCORE)
            .collect();
        let faces: HashMap<i64, NormBox> = catalog
            .faces_of(id)?
            .into_iter()
            .map(|f| (f.id, norm([f.x, f.y, f.w, f.h].map(f64::from))))
            .collect();
        let bodies: Vec<&StoredObject> = objects
            .iter()
            .filter(|o| o.object.class == PERSON)
            .collect();
        // Greedy matching by IoU.
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (l, person) in photo.person.iter().enumerate() {
            for (b, body) in bodies.iter().enumerate() {
                let iou = body.object.area().iou(&norm(person.body));
                if iou >= BODY_IOU {
                    pairs.push((iou, l, b));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut body_of: Vec<Option<usize>> = vec![None; photo.person.len()];
        let mut person_of: Vec<Option<usize>> = vec![None; bodies.len()];
        for (_, l, b) in pairs {
            if body_of[l].is_none() && person_of[b].is_none() {
                body_of[l] = Some(b);
                person_of[b] = Some(l);
            }
        }
        let carries_bag = |body: &StoredObject| {
            objects
                .iter()
                .any(|o| o.carrier_id == Some(body.id) && is_bag(&o.object.class))
        };
        let face_is = |face: i64, labelled: Option<[f64; 4]>| {
            let (Some(found), Some(labelled)) = (faces.get(&face), labelled) else {
                return false;
            };
            let labelled = norm(labelled);
            centre_inside(found, &labelled) || found.iou(&labelled) >= FACE_IOU
        };
        for (l, person) in photo.person.iter().enumerate() {
            r.persons += 1;
            r.persons_with_face += usize::from(person.face.is_some());
            let carries = person.carrying.iter().any(|c| c == "bag");
            r.persons_carrying_bag += usize::from(carries);
            let Some(b) = body_of[l] else {
                if carries {
                    r.carrying_bag.false_negatives += 1;
                    r.bag_not_detected += usize::from(!bag_on(&objects, person.body));
                }
                continue;
            };
            r.bodies_matched += 1;
            let body = bodies[b];
            // Linking.
            let face_found = faces.keys().any(|&f| face_is(f, person.face));
            if person.face.is_some() && face_found {
                r.linkable += 1;
            }
            match body.face_id {
                Some(f) if face_is(f, person.face) => r.linking.true_positives += 1,
                Some(_) => {
                    r.linking.false_positives += 1;
                    r.linking.false_negatives += usize::from(person.face.is_some() && face_found);
                }
                None => {
                    r.linking.false_negatives += usize::from(person.face.is_some() && face_found)
                }
            }
            // Carrying a bag.
            match (carries, carries_bag(body)) {
                (true, true) => r.carrying_bag.true_positives += 1,
                (false, true) => r.carrying_bag.false_positives += 1,
                (true, false) => {
                    r.carrying_bag.false_negatives += 1;
                    r.bag_not_detected += usize::from(!bag_on(&objects, person.body));
                }
                (false, false) => {}
            }
        }
        for (b, body) in bodies.iter().enumerate() {
            if person_of[b].is_none() {
                r.bodies_unmatched += 1;
                r.linking.false_positives += usize::from(body.face_id.is_some());
                r.carrying_bag.false_positives += usize::from(carries_bag(body));
            }
        }
        for loose in photo.loose.iter().filter(|o| o.class == "bag") {
            r.loose_bags += 1;
            let area = norm(loose.area);
            r.loose_bags_carried += usize::from(objects.iter().any(|o| {
                is_bag(&o.object.class)
                    && o.carrier_id.is_some()
                    && o.object.area().iou(&area) >= 0.3
            }));
        }
    }
    Ok(r)
}

/// Whether a bag was detected overlapping a labelled body at all.
fn bag_on(objects: &[StoredObject], body: [f64; 4]) -> bool {
    let body = norm(body);
    objects
        .iter()
        .any(|o| is_bag(&o.object.class) && o.object.area().iou(&body) > 0.0)
}
