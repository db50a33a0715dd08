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

pub use analyzer::{Analyzer, EmbeddedFace, FaceGeometry, StageTimings, SHARPNESS};
pub use argus_core::error::AnalysisError;
pub use argus_core::results::Score;
pub use detect::{DetectOptions, Detection};
pub use run::{analyze, analyze_reusing, AnalyzeOptions, AnalyzeReport};
pub use stages::Stage;
