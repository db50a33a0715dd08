//! What analysis produces for one photo, in the words the catalogue stores it in: new faces or
//! updates to stored ones (box, landmarks, embedding, attributes), photo-level scores, text lines and
//! labels, and the ledger entry of every stage that ran. Analysis builds these; the catalogue turns
//! them into rows.

use serde::Serialize;

/// A `(name, value, confidence)` result of a per-face or per-photo model, before it is tagged with the
/// model version and stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub name: String,
    pub value: f32,
    pub confidence: f32,
}

impl Score {
    /// A probability: confidence is how far it is from a coin toss, `max(p, 1 − p)`.
    pub fn probability(name: impl Into<String>, p: f32) -> Score {
        let p = p.clamp(0.0, 1.0);
        Score {
            name: name.into(),
            value: p,
            confidence: p.max(1.0 - p),
        }
    }
}

/// One attribute of a face. Probabilities (`male`, `smile`, `emotion.happy` …) have `value` in 0..1;
/// `age` is in years. `confidence` (0..1) is how sure the model is of `value`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaceAttribute {
    pub name: String,
    pub value: f32,
    pub confidence: f32,
    pub model_version: String,
}

/// A newly detected face (normalised coordinates), with whatever later stages computed for it.
#[derive(Debug, Clone, Default)]
pub struct NewFace {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub score: f32,
    pub landmarks: [[f32; 2]; 5],
    pub embedding: Option<Vec<f32>>,
    pub attributes: Vec<FaceAttribute>,
}

/// New results for a face that is already stored (a later stage ran on its own).
#[derive(Debug, Clone, Default)]
pub struct FaceUpdate {
    pub face_id: i64,
    pub embedding: Option<Vec<f32>>,
    pub attributes: Vec<FaceAttribute>,
}

/// A score of the whole photo, 0..1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhotoAttribute {
    pub name: String,
    pub value: f32,
    pub model_version: String,
}

/// A line of text found in a photo.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TextLine {
    pub text: String,
    /// Mean character confidence, 0..1.
    pub score: f32,
    /// Corners (top-left, top-right, bottom-right, bottom-left), normalised to the upright photo.
    pub quad: [[f32; 2]; 4],
}

/// Whether a stored label is a browse label or a raw classifier class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum LabelKind {
    Label,
    Class,
}

impl LabelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LabelKind::Label => "label",
            LabelKind::Class => "class",
        }
    }
}

/// A scene label or raw class of a photo, with its score (0..1).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoLabel {
    pub kind: LabelKind,
    pub name: String,
    pub score: f32,
}

/// An object found in a photo (one of [`crate::objects::COCO_CLASSES`]) with its box on the upright
/// photo, normalised (0..1).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoObject {
    pub class: String,
    pub score: f32,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    /// For a body: what it wears ([`crate::clothing::CLOTHING`] names scored on a crop of it, from
    /// [`crate::clothing::WEARING_STORED_SCORE`]), best first; empty for other objects.
    pub wearing: Vec<Worn>,
}

/// A piece of clothing a body wears, with its score (the summed probability of its classes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Worn {
    pub name: String,
    pub score: f32,
}

impl PhotoObject {
    /// Its box, as the other normalised boxes are measured ([`crate::metadata::NormBox::iou`]).
    pub fn area(&self) -> crate::metadata::NormBox {
        crate::metadata::NormBox {
            x: f64::from(self.x),
            y: f64::from(self.y),
            w: f64::from(self.w),
            h: f64::from(self.h),
        }
    }
}

/// What a photo looks like, for look-alikes and copies: a unit descriptor in 8 bits per component
/// (cosine = integer dot product over the norms), a 64-bit perceptual hash and a sharpness.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoDescriptor {
    pub vector: Vec<i8>,
    pub phash: u64,
    /// Variance of the Laplacian of the grey levels at a 512 px long side.
    pub sharpness: f32,
}

/// What one analysis pass produced for one photo.
#[derive(Debug, Clone, Default)]
pub struct PhotoAnalysis {
    pub photo_id: i64,
    /// A new face set (detector version, faces), replacing the stored one.
    pub new_faces: Option<(String, Vec<NewFace>)>,
    /// Later-stage results for faces already stored.
    pub face_updates: Vec<FaceUpdate>,
    pub photo_attributes: Vec<PhotoAttribute>,
    /// Text found (model version, lines), replacing the stored text.
    pub text: Option<(String, Vec<TextLine>)>,
    /// Scene labels (model version, labels), replacing the stored ones.
    pub labels: Option<(String, Vec<PhotoLabel>)>,
    /// Objects with boxes (model version, objects), replacing the stored ones.
    pub objects: Option<(String, Vec<PhotoObject>)>,
    /// The photo's descriptor (model version, descriptor), replacing the stored one.
    pub descriptor: Option<(String, PhotoDescriptor)>,
    /// `(stage, model_version, error)` for every stage that ran.
    pub runs: Vec<(String, String, Option<String>)>,
    /// Stages whose stored results depended on the replaced faces and were not redone in this pass:
    /// their runs are forgotten so they run again.
    pub invalidated: Vec<String>,
}
