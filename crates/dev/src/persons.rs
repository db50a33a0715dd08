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
//!   split into "no bag detected on the person" (the detector) and "detected, not linked" (the rule);
//! - **`wearing:X`** per person and clothing name (and all names together over a threshold sweep).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, StoredObject};
use crate::Result;
use argus_api::clothing::{clothing_name, WEARING_MIN_SCORE};
use argus_api::metadata::NormBox;
use argus_api::objects::{object_matches, OBJECT_MIN_SCORE, PERSON};

/// A detected body matches a labelled person from this IoU.
pub const BODY_IOU: f64 = 0.5;
/// A detected face matches a labelled face from this IoU (or with its centre inside).
pub const FACE_IOU: f64 = 0.3;

/// The label file: real photos, and composites (a real object crop pasted into a real photo, made by
/// [`Composite::make`]).
#[derive(Debug, Clone, Deserialize)]
pub struct Labels {
    pub photo: Vec<LabelledPhoto>,
    #[serde(default)]
    pub composite: Vec<Composite>,
}

/// A photo made from real photos: `base` with each of `paste` on it; labelled like a photo.
#[derive(Debug, Clone, Deserialize)]
pub struct Composite {
    pub file: String,
    pub source: String,
    pub base: String,
    pub paste: Vec<Paste>,
    #[serde(default)]
    pub person: Vec<LabelledPerson>,
    #[serde(default)]
    pub loose: Vec<LooseObject>,
}

/// A crop of one photo pasted (opaque, resized bilinearly) onto another.
#[derive(Debug, Clone, Deserialize)]
pub struct Paste {
    pub from: String,
    /// x0, y0, x1, y1 in pixels of `from`.
    pub crop: [u32; 4],
    /// Top-left in pixels of the base photo.
    pub at: [u32; 2],
    /// The pasted size in pixels.
    pub size: [u32; 2],
}

impl Composite {
    /// The composite image, from the photos in `photos`.
    pub fn make(&self, photos: &Path) -> Result<image::RgbImage> {
        let open = |name: &str| {
            image::open(photos.join(name))
                .map(|i| i.to_rgb8())
                .map_err(|e| crate::Error::Decision(format!("{name}: {e}")))
        };
        let mut base = open(&self.base)?;
        for p in &self.paste {
            let from = open(&p.from)?;
            let [x0, y0, x1, y1] = p.crop;
            if x1 <= x0 || y1 <= y0 || x1 > from.width() || y1 > from.height() {
                return Err(crate::Error::Decision(format!(
                    "{}: the crop {:?} is not inside {}",
                    self.file, p.crop, p.from
                )));
            }
            let crop = image::imageops::crop_imm(&from, x0, y0, x1 - x0, y1 - y0).to_image();
            let [w, h] = p.size;
            let resized =
                image::imageops::resize(&crop, w, h, image::imageops::FilterType::Triangle);
            image::imageops::replace(&mut base, &resized, i64::from(p.at[0]), i64::from(p.at[1]));
        }
        Ok(base)
    }

    /// The composite as a labelled photo.
    pub fn labelled(&self) -> LabelledPhoto {
        LabelledPhoto {
            file: self.file.clone(),
            source: self.source.clone(),
            person: self.person.clone(),
            loose: self.loose.clone(),
        }
    }
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
    /// Clothing seen on the person (the names of `argus_core::clothing::CLOTHING`, plus `shorts`).
    #[serde(default)]
    pub wearing: Vec<String>,
}

/// An object of interest nobody carries.
#[derive(Debug, Clone, Deserialize)]
pub struct LooseObject {
    pub class: String,
    #[serde(rename = "box")]
    pub area: [f64; 4],
}

impl Labels {
    /// Writes every composite into `photos` (where the photos they are made from are).
    pub fn write_composites(&self, photos: &Path) -> Result<()> {
        for c in &self.composite {
            let path = photos.join(&c.file);
            c.make(photos)?.save(&path).map_err(|e| {
                crate::Error::Decision(format!("cannot write {}: {e}", path.display()))
            })?;
        }
        Ok(())
    }

    /// The real photos, then the composites, as labelled photos.
    pub fn all(&self) -> Vec<LabelledPhoto> {
        self.photo
            .iter()
            .cloned()
            .chain(self.composite.iter().map(Composite::labelled))
            .collect()
    }

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
    /// Of the photos, how many are composites.
    pub composites: usize,
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
    /// Loose bags that were detected (a bag box with IoU ≥ 0.3), and those then given to someone.
    pub loose_bags_detected: usize,
    pub loose_bags_carried: usize,
    /// `carrying:X` per person for the other things the labels name (umbrella, phone, tie, cup …).
    pub carrying_other: BTreeMap<String, Counts>,
    /// `wearing:X` per person, per clothing name labelled or found, at the wearing threshold.
    pub wearing: BTreeMap<String, Counts>,
    /// Every clothing name together at other thresholds: (threshold, counts).
    pub wearing_sweep: Vec<(f32, Counts)>,
}

/// The thresholds the clothing sweep tries: a fixed ladder and the one in use, in order, once each.
pub fn wearing_sweep() -> Vec<f32> {
    let mut sweep = vec![0.05, 0.1, 0.15, 0.2, 0.3, 0.4, WEARING_MIN_SCORE];
    sweep.sort_by(f32::total_cmp);
    sweep.dedup();
    sweep
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
    let mut r = PersonsReport {
        composites: labels.composite.len(),
        ..PersonsReport::default()
    };
    let photos = labels.all();
    let others: BTreeSet<&str> = photos
        .iter()
        .flat_map(|p| &p.person)
        .flat_map(|p| &p.carrying)
        .map(String::as_str)
        .filter(|c| *c != "bag")
        .collect();
    for photo in &photos {
        let Some(id) = photo_id(&photo.file) else {
            return Err(crate::Error::Decision(format!(
                "{} is not in the catalogue",
                photo.file
            )));
        };
        r.photos += 1;
        // Objects that count.
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
            .filter(|o| o.object.class == PERSON && o.object.score >= OBJECT_MIN_SCORE)
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
        let carries = |body: &StoredObject, what: &str| {
            objects
                .iter()
                .any(|o| o.carrier_id == Some(body.id) && object_matches(what, &o.object.class))
        };
        let carries_bag = |body: &StoredObject| carries(body, "bag");
        // Clothing, per person, at the threshold and over the sweep.
        let worn = |body: &StoredObject, threshold: f32| -> BTreeSet<String> {
            body.object
                .wearing
                .iter()
                .filter(|w| w.score >= threshold)
                .map(|w| w.name.clone())
                .collect()
        };
        // Labels in the product's words (a labelled skirt is a `dress` to the network).
        let labelled_worn = |person: &LabelledPerson| -> BTreeSet<String> {
            person
                .wearing
                .iter()
                .map(|w| clothing_name(w).map_or_else(|| w.clone(), str::to_string))
                .collect()
        };
        let tally = |counts: &mut Counts, truth: &BTreeSet<String>, found: &BTreeSet<String>| {
            counts.true_positives += truth.intersection(found).count();
            counts.false_positives += found.difference(truth).count();
            counts.false_negatives += truth.difference(found).count();
        };
        if r.wearing_sweep.is_empty() {
            r.wearing_sweep = wearing_sweep()
                .into_iter()
                .map(|t| (t, Counts::default()))
                .collect();
        }
        let none = BTreeSet::new();
        for (person, body) in photo.person.iter().zip(&body_of) {
            let truth = labelled_worn(person);
            let body = body.map(|b| bodies[b]);
            for (t, counts) in &mut r.wearing_sweep {
                let found = body.map_or_else(BTreeSet::new, |b| worn(b, *t));
                tally(counts, &truth, &found);
            }
            let found = body.map_or_else(BTreeSet::new, |b| worn(b, WEARING_MIN_SCORE));
            for name in truth.union(&found) {
                let one = |set: &BTreeSet<String>| -> BTreeSet<String> {
                    set.iter().filter(|n| *n == name).cloned().collect()
                };
                tally(
                    r.wearing.entry(name.clone()).or_default(),
                    &one(&truth),
                    &one(&found),
                );
            }
        }
        for (b, body) in bodies.iter().enumerate() {
            if person_of[b].is_some() {
                continue;
            }
            for (t, counts) in &mut r.wearing_sweep {
                tally(counts, &none, &worn(body, *t));
            }
            for name in worn(body, WEARING_MIN_SCORE) {
                r.wearing.entry(name).or_default().false_positives += 1;
            }
        }
        for class in &others {
            let counts = r.carrying_other.entry(class.to_string()).or_default();
            for (l, person) in photo.person.iter().enumerate() {
                let truth = person.carrying.iter().any(|c| c == class);
                let found = body_of[l].is_some_and(|b| carries(bodies[b], class));
                counts.true_positives += usize::from(truth && found);
                counts.false_positives += usize::from(!truth && found);
                counts.false_negatives += usize::from(truth && !found);
            }
            for (b, body) in bodies.iter().enumerate() {
                counts.false_positives +=
                    usize::from(person_of[b].is_none() && carries(body, class));
            }
        }
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
            let found: Vec<&StoredObject> = objects
                .iter()
                .filter(|o| is_bag(&o.object.class) && o.object.area().iou(&area) >= 0.3)
                .collect();
            r.loose_bags_detected += usize::from(!found.is_empty());
            r.loose_bags_carried += usize::from(found.iter().any(|o| o.carrier_id.is_some()));
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
