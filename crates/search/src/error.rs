//! What is wrong with a query and where, defined in `argus-core` (the shared error type carries it).

pub use argus_core::query_error::*;
