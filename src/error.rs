//! The library's error type, defined in `argus-core` (shared by every crate).

pub use argus_core::error::*;
