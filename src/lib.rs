//! Argus: an on-device photo catalogue.
//!
//! The library is what both front ends (the `argus` CLI and the Tauri app in `src-tauri/`) build on:
//! - [`catalog`]: the SQLite catalogue (schema, migrations, queries);
//! - [`scan`]: the incremental, parallel scanner that keeps the catalogue in step with the libraries;
//! - [`watch`]: live watching of library folders, feeding the scanner;
//! - [`thumbs`]: orientation-correct thumbnails in a content-addressed cache;
//! - [`media`]: reading one image file (format sniffing, dimensions, EXIF);
//! - [`imaging`]: decoding to upright RGB, resizing (shared by thumbnails and analysis);
//! - [`analysis`]: on-device ONNX models (faces, landmarks, embeddings);
//! - [`people`]: faces grouped into people, incremental clustering, the user's decisions;
//! - [`models`]: the model manifest, installed model files, fetching them;
//! - [`search`]: the query language (parsing; compiling to SQL and facets come next);
//! - [`bench`]: the benchmarks behind `argus bench …`.
//!
//! See `ARCHITECTURE.md` for the invariants that tie these together.

pub mod analysis;
pub mod bench;
pub mod error;
pub mod export;
pub mod paths;
pub mod people;
pub mod probes;
pub mod progress;
pub mod scan;
pub mod search;
pub mod watch;

pub use argus_analysis::models;
/// The SQLite catalogue (the `argus-catalog` crate).
pub use argus_catalog as catalog;
/// Reading one image file (the `argus-media` crate).
pub use argus_media as media;
pub use argus_media::{imaging, thumbs};
pub use error::{Error, Result};
