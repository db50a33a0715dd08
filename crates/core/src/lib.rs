//! The bottom layer of Argus: the types and names every other crate shares, with no I/O and no
//! knowledge of SQLite files, models or images beyond their descriptions.
//!
//! - [`error`]: the error type of every crate ([`Error`], [`Result`]) and [`error::AnalysisError`];
//! - [`query_error`]: what is wrong with a query and where;
//! - [`progress`]: cancellation and progress reporting of long jobs;
//! - [`exif`]: the facts read from a photo's EXIF block;
//! - [`formats`]: format names, which are camera RAW, and a shot's primary;
//! - [`geometry`]: where a face is on an image, and pixel rectangles that may reach past it;
//! - [`metadata`]: keywords, rating, captions and named regions from XMP and IPTC;
//! - [`objects`]: the object classes found with boxes and the groups a search may name;
//! - [`results`]: what analysis produces for a photo, as the catalogue stores it;
//! - [`vocabulary`]: attribute, emotion and score names, age bands;
//! - [`imagenet`]: the classifier's classes and the browse labels they map to;
//! - [`probes`]: the committed appearance probe set and its calibrated thresholds;
//! - [`math`]: small numeric helpers.

pub mod clothing;
pub mod error;
pub mod exif;
pub mod formats;
pub mod geometry;
pub mod imagenet;
pub mod math;
pub mod metadata;
pub mod objects;
pub mod persons;
pub mod probes;
pub mod progress;
pub mod query_error;
pub mod results;
pub mod vocabulary;

pub use error::{Error, Result};
