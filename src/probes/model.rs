//! The committed probe set (defined in `argus_core::probes`, where search and analysis read it).

pub use argus_core::probes::*;
