//! On-device analysis with ONNX models (ort, ONNX Runtime loaded at run time): what the models of
//! one photo find, with no catalogue in sight.
//!
//! - [`models`]: the model manifest (compiled in), the installed model files, fetching them;
//! - [`runtime`], [`tensor`]: the ONNX Runtime environment and input tensors;
//! - [`stages`]: the stage registry — one trait, one file per stage, one list — and ledger versions;
//! - [`analyzer`]: one photo's pending stages on its upright working image, with sessions loaded once
//!   ([`sessions`]: the loaded sessions by model id);
//! - one module per model family: [`detect`] (YuNet faces + landmarks), [`align`] (face crops),
//!   [`embed`] (MobileFaceNet), [`demographics`] (gender, age), [`emotion`], [`mesh`] (eyes/mouth
//!   open), [`unsafe_score`] (open-nsfw), [`ocr`] (PP-OCRv4 text), [`scene`] and [`vocabulary`]
//!   (EfficientNet-Lite0 classes → browse labels), [`objects`] (NanoDet objects with boxes),
//!   [`appearance`] (the head crop the probes see), [`sharpness`].

pub mod align;
pub mod analyzer;
pub mod appearance;
pub mod clothing;
pub mod demographics;
pub mod descriptor;
pub mod detect;
pub mod embed;
pub mod emotion;
pub mod mesh;
pub mod models;
pub mod objects;
pub mod ocr;
pub mod runtime;
pub mod scene;
pub mod sessions;
pub mod sharpness;
pub mod stages;
pub mod tensor;
pub mod unsafe_score;
pub mod vocabulary;

pub use analyzer::{Analyzer, FaceGeometry, StageTimings, SHARPNESS};
pub use argus_core::error::AnalysisError;
pub use argus_core::results::Score;
pub use detect::{DetectOptions, Detection};
pub use sessions::Models;
pub use stages::EmbeddedFace;
pub use stages::{parse_stages, AnalysisStage, Stage};
