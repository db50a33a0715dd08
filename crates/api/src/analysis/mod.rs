//! Analysis over the catalogue: the job ([`run`]: pending photos → decode → the `argus-analysis`
//! crate's models → batched writes, then face grouping) and stored results as people and scripts
//! see them ([`view`]). The models themselves are the `argus-analysis` crate, re-exported here.

pub mod run;
pub mod view;

pub use argus_analysis::*;
pub use run::{analyze, analyze_as_worker, analyze_reusing, AnalyzeOptions, AnalyzeReport, Worker};
