//! People (the `argus-people` crate), plus the dev tools about it: the evaluation on labelled faces
//! (`eval`), a simulated user's curation and the re-clustering after it (`teach`), and synthetic
//! embeddings (`synthetic`).

pub use argus_api::people::*;

pub mod eval;
pub mod synthetic;
pub mod teach;
