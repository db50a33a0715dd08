//! On-device analysis with ONNX models (ort, ONNX Runtime loaded at run time).
//!
//! - [`stages`]: the analysis stages, their models and ledger versions;
//! - [`analyzer`]: one photo's pending stages on its upright working image, with sessions loaded once;
//! - [`run`]: the catalogue job (pending work, parallel decode, batched writes, progress, cancel);
//! - one module per model family: [`detect`] (YuNet faces + landmarks), [`align`] (face crops),
//!   [`embed`] (MobileFaceNet), [`demographics`] (gender, age), [`emotion`], [`mesh`] (eyes/mouth open),
//!   [`unsafe_score`] (open-nsfw), [`ocr`] (PP-OCRv4 text);
//! - [`view`]: stored results as people and scripts see them;
//! - [`tensor`], [`runtime`]: input tensors and the ONNX Runtime environment.

pub mod align;
pub mod analyzer;
pub mod appearance;
pub mod demographics;
pub mod detect;
pub mod embed;
pub mod emotion;
pub mod mesh;
pub mod ocr;
pub mod run;
pub mod runtime;
pub mod scene;
pub mod sharpness;
pub mod stages;
pub mod tensor;
pub mod unsafe_score;
pub mod view;
pub mod vocabulary;

use std::path::PathBuf;

pub use analyzer::{Analyzer, EmbeddedFace, FaceGeometry, StageTimings, SHARPNESS};
pub use detect::{DetectOptions, Detection};
pub use run::{analyze, analyze_reusing, AnalyzeOptions, AnalyzeReport};
pub use stages::Stage;

/// Why analysis cannot run or failed. Each message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("ONNX Runtime is not installed (looked for {0}): run `argus models fetch`")]
    RuntimeMissing(PathBuf),
    #[error("ONNX Runtime at {path} cannot be loaded ({reason}): run `argus models fetch` to reinstall it")]
    RuntimeBroken { path: PathBuf, reason: String },
    #[error("model {id} is not installed (looked for {path}): run `argus models fetch`")]
    ModelMissing { id: String, path: PathBuf },
    #[error(
        "model file {path} cannot be loaded ({reason}): run `argus models fetch` to reinstall it"
    )]
    ModelLoad { path: PathBuf, reason: String },
    #[error("inference failed: {0}")]
    Inference(String),
    #[error("image problem: {0}")]
    Image(String),
}

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
