//! Appearance probes: small classifiers (beard, mustache, glasses, sunglasses, hat, smile) on top of
//! descriptors the analysis pipeline already computes.
//!
//! - [`dataset`]: labelled photos (`labels.csv`) and the seeded held-back split;
//! - [`features`]: the descriptors of a face, computed by the pipeline's own models;
//! - [`logistic`]: the classifier (multinomial logistic regression folded to one linear map);
//! - [`model`]: the committed probe set (`models/probes/appearance.json`) and prediction;
//! - [`train`]: `argus dev train-attributes` — selection, calibration, held-back metrics.

pub mod dataset;
pub mod features;
pub mod label_eval;
pub mod logistic;
pub mod model;
pub mod train;
