//! The committed probe set (defined in `argus_api::probes`, where search and analysis read it).

pub use argus_api::probes::*;
