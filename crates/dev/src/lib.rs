//! Argus's dev tools: everything that measures, generates or trains, kept out of the product (the
//! `argus` binary built without the `dev` feature and the desktop app do not link this crate).
//! The CLI exposes it as `argus dev …` when built with `--features dev`.
//!
//! - [`bench`]: the benchmarks (index, analyze, search, people, export, xmp) with reference runs;
//! - [`probes`]: appearance probe training and label evaluation on labelled photos;
//! - [`people`]: clustering evaluation on labelled photos and synthetic embeddings at scale;
//! - [`persons`]: face↔body linking and `carrying:bag` on a hand-labelled set.
//!
//! The crates it measures are reached through the API layer, as the front ends reach them.

pub mod bench;
pub mod duplicates;
pub mod people;
pub mod persons;
pub mod probes;
pub mod similar_eval;

pub(crate) use argus_api::{
    analysis, catalog, export, formats, media, models, progress, scan, search, sidecars, thumbs,
    Error, Result,
};

/// The catalogue generator (`argus-search` built with its `generate` feature).
pub use argus_search::generate;
