//! The trained probe set as committed in `models/probes/appearance.json` (compiled in): per probe,
//! the descriptors it reads, its linear classifier, the attributes it yields (one class's probability
//! each) with a calibrated threshold, and its held-back metrics. The calibrated thresholds are what
//! "has a beard" means everywhere (analysis output, search, facets); training lives in the dev tools.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::math::softmax;
use crate::results::Score;
use crate::vocabulary::{emotion_of, EMOTIONS};

/// The probes Argus ships with.
pub const BUILTIN: &str = include_str!("../../../models/probes/appearance.json");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeSet {
    /// Recorded in the ledger with the appearance stage: new weights re-run that stage.
    pub version: String,
    /// Where the labelled photos came from.
    pub dataset: String,
    /// Day of training (UTC, YYYY-MM-DD).
    pub trained: String,
    pub seed: u64,
    /// Share of each class held back from training and used only for the metrics.
    pub held_back: f64,
    pub probes: Vec<Probe>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    pub id: String,
    /// The data set folder it was trained on.
    pub dataset: String,
    /// Class names, in the classifier's order.
    pub classes: Vec<String>,
    pub descriptors: Vec<Descriptor>,
    /// Inverse regularisation strength chosen by cross-validation.
    pub c: f64,
    pub classifier: Linear,
    pub attributes: Vec<ProbeAttribute>,
    pub metrics: Metrics,
}

/// An attribute a probe yields: the probability of one of its classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeAttribute {
    pub name: String,
    pub class: usize,
    /// The probability from which the attribute counts as present (calibrated on out-of-fold
    /// training predictions).
    pub threshold: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub train: usize,
    pub held_back: usize,
    /// Mean accuracy over the cross-validation folds of the training split, of the chosen
    /// configuration.
    pub cv_accuracy: f64,
    /// Every configuration tried: descriptors, C and cross-validated accuracy.
    pub selection: Vec<Candidate>,
    /// Held-back accuracy (argmax over the classes).
    pub accuracy: f64,
    /// Held-back accuracy on the probe's own data set only (without borrowed negatives).
    pub own_accuracy: f64,
    /// Held-back faces borrowed from other data sets (women, for the facial-hair probes).
    pub borrowed_held_back: usize,
    /// Held-back confusion matrix: `confusion[true][predicted]`.
    pub confusion: Vec<Vec<usize>>,
    /// Per attribute at its threshold, on the held-back photos.
    pub attributes: Vec<AttributeMetrics>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub descriptors: Vec<Descriptor>,
    pub c: f64,
    pub cv_accuracy: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeMetrics {
    pub name: String,
    pub accuracy: f64,
    pub precision: f64,
    pub recall: f64,
}

impl ProbeSet {
    /// The built-in probe set (parsed once).
    pub fn builtin() -> &'static ProbeSet {
        static SET: OnceLock<ProbeSet> = OnceLock::new();
        SET.get_or_init(|| serde_json::from_str(BUILTIN).expect("models/probes/appearance.json"))
    }

    /// Every descriptor some probe reads.
    pub fn descriptors(&self) -> Vec<Descriptor> {
        let mut all: Vec<Descriptor> = self
            .probes
            .iter()
            .flat_map(|p| p.descriptors.iter().copied())
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The probability from which an attribute counts as present: a probe's calibrated threshold,
    /// or ½ for attributes no probe yields.
    pub fn threshold(&self, attribute: &str) -> f32 {
        self.probes
            .iter()
            .flat_map(|p| &p.attributes)
            .find(|a| a.name == attribute)
            .map_or(0.5, |a| a.threshold)
    }

    /// The attribute scores of one face.
    pub fn scores(&self, face: &FaceDescriptors) -> Vec<Score> {
        self.probes.iter().flat_map(|p| p.scores(face)).collect()
    }
}

impl Probe {
    pub fn scores(&self, face: &FaceDescriptors) -> Vec<Score> {
        let probs = self
            .classifier
            .probabilities(&face.vector(&self.descriptors));
        self.attributes
            .iter()
            .map(|a| Score::probability(a.name.clone(), probs[a.class]))
            .collect()
    }
}

/// Class scores `weights · x + bias`, softmaxed into probabilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linear {
    /// One row per class, one column per feature.
    pub weights: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
}

impl Linear {
    /// Class probabilities of one feature vector.
    pub fn probabilities(&self, x: &[f32]) -> Vec<f32> {
        let logits: Vec<f32> = self
            .weights
            .iter()
            .zip(&self.bias)
            .map(|(w, b)| w.iter().zip(x).map(|(w, x)| w * x).sum::<f32>() + b)
            .collect();
        softmax(&logits)
    }
}

/// A descriptor a probe can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Descriptor {
    /// MobileFaceNet embedding, 192-d, L2-normalised.
    Embedding,
    /// faceres descriptor of the 1.25× face square, 1024-d.
    Faceres,
    /// EfficientNet-Lite0 pooled features of the head crop, 1280-d.
    Head,
    /// The emotion network's log-probabilities, 7-d (in `emotion::EMOTIONS` order), floored at
    /// ln [`EMOTION_FLOOR`].
    Emotion,
    /// The hair's colour statistics in the head crop (CIELAB means, lightness spread and histogram,
    /// grey and yellow shares, above and beside the face), 28-d.
    Hair,
    /// EfficientNet-Lite0 pooled features of the hair view (a square around the head crop's upper
    /// half: the hair above and beside the face, magnified), 1280-d.
    HairView,
}

/// The smallest emotion probability the probes tell apart (a network's 1e-9 and 1e-7 mean the same).
pub const EMOTION_FLOOR: f32 = 1e-6;

/// Every descriptor of one face.
#[derive(Debug, Clone, Default)]
pub struct FaceDescriptors {
    pub embedding: Vec<f32>,
    pub faceres: Vec<f32>,
    pub head: Vec<f32>,
    pub emotion: Vec<f32>,
    pub hair: Vec<f32>,
    pub hair_view: Vec<f32>,
    /// faceres P(male), kept with the faceres descriptor (training uses it to find women, who are
    /// negatives for the facial-hair probes).
    pub male: Option<f32>,
}

impl FaceDescriptors {
    /// The concatenation of `descriptors`, in the given order (emotion as log-probabilities).
    pub fn vector(&self, descriptors: &[Descriptor]) -> Vec<f32> {
        descriptors
            .iter()
            .flat_map(|&d| {
                self.stored(d).iter().map(move |&v| match d {
                    Descriptor::Emotion => v.max(EMOTION_FLOOR).ln(),
                    _ => v,
                })
            })
            .collect()
    }

    /// How many features each of `descriptors` gives, in the given order.
    pub fn widths(&self, descriptors: &[Descriptor]) -> Vec<usize> {
        descriptors.iter().map(|&d| self.stored(d).len()).collect()
    }

    /// A descriptor's values as computed.
    fn stored(&self, descriptor: Descriptor) -> &[f32] {
        match descriptor {
            Descriptor::Embedding => &self.embedding,
            Descriptor::Faceres => &self.faceres,
            Descriptor::Head => &self.head,
            Descriptor::Emotion => &self.emotion,
            Descriptor::Hair => &self.hair,
            Descriptor::HairView => &self.hair_view,
        }
    }
}

/// The emotion probabilities of a face from its emotion-stage scores, in `EMOTIONS` order.
pub fn emotion_vector(scores: &[Score]) -> Vec<f32> {
    EMOTIONS
        .iter()
        .map(|name| {
            scores
                .iter()
                .find(|s| emotion_of(&s.name) == Some(*name))
                .map_or(0.0, |s| s.value)
        })
        .collect()
}
