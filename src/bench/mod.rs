//! Benchmarks behind `argus bench …`: they print figures and ratios, never pass/fail.
//!
//! - [`index`]: how fast the scanner catalogues real-size photos;
//! - [`analyze`]: how fast the analysis stages run on real photos (photos/s and faces/s per stage);
//! - [`people`]: how fast faces are grouped into people at 10k–100k faces, full and incremental;
//! - [`search`]: query + facet latency (p50/p95) on a generated 100k-photo catalogue.

pub mod analyze;
pub mod index;
pub mod people;
pub mod search;

pub use analyze::{analyze, AnalyzeBenchOptions, AnalyzeBenchResult};
pub use index::{generate_photo_set, index, IndexBenchOptions, IndexBenchResult};
pub use people::{people, PeopleBenchOptions, PeopleBenchResult};
pub use search::{search_bench, SearchBenchOptions, SearchBenchResult};
