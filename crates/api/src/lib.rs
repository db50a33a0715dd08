//! The API layer: what the `argus` CLI and the desktop app both do, written once. A front end turns
//! its input (clap arguments, a Tauri command) into a call here and prints or serialises the result;
//! it holds no logic of its own.
//!
//! - [`paths`]: where the catalogue, the cache and the models live ([`paths::Locations`]);
//! - [`analysis`]: the analysis job over the catalogue (pending photos → models → batched writes →
//!   face grouping) and a photo's stored results as the front ends show them ([`analysis::view`]);
//! - [`pipeline`]: scan → analyse → cluster, and the analysis plan (or why analysis is skipped);
//! - [`sidecars`]: writing XMP sidecars (people, labels, attributes, keywords), merged, never clobbering;
//! - [`transfer`]: copying a catalogue into another (SQLite ⇄ PostgreSQL), checked table by table;
//! - [`watch`]: live watching of the library folders, running the pipeline on each batch;
//! - the crates below, re-exported so a front end depends on this crate only: [`catalog`],
//!   [`media`] ([`imaging`], [`thumbs`]), [`people`], [`search`], [`scan`], [`export`], and the
//!   shared types of `argus-core` ([`error`], [`progress`], [`vocabulary`]).

pub mod analysis;
pub mod lookalike;
pub mod paths;
pub mod pipeline;
pub mod sidecars;
pub mod transfer;
pub mod watch;

pub use argus_analysis::models;
pub use argus_ann as ann;
/// The catalogue (the `argus-catalog` crate).
pub use argus_catalog as catalog;
pub use argus_core::{
    clothing, error, exif, formats, metadata, objects, persons, probes, progress, vocabulary,
    Error, Result,
};
/// Export (the `argus-export` crate).
pub use argus_export as export;
/// Reading one image file (the `argus-media` crate).
pub use argus_media as media;
pub use argus_media::{imaging, thumbs};
/// People (the `argus-people` crate).
pub use argus_people as people;
/// The scanner (the `argus-scan` crate).
pub use argus_scan as scan;
/// Search (the `argus-search` crate).
pub use argus_search as search;
pub use argus_similar as similar;
