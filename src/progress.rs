//! Progress and cancellation of long jobs, defined in `argus-core`.

pub use argus_core::progress::*;
