//! Face-aware bulk crop export.
//!
//! - [`geometry`]: the crop rectangle for an image, an aspect ratio and the faces to keep (pure).

pub mod geometry;
