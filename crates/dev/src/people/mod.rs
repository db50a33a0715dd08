//! People (the `argus-people` crate), plus the evaluation and synthetic embeddings that move to the
//! dev tools next.

pub use argus_api::people::*;

pub mod eval;
pub mod synthetic;
