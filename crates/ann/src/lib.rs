//! Nearest neighbours over unit vectors — face embeddings for grouping people, image descriptors for
//! look-alike photos — with one index for both users:
//!
//! - [`vector`]: the dot product, and the two element types an index holds ([`Element`]: `f32`, or
//!   `i8` for 1,280-d descriptors at a quarter of the memory);
//! - [`centroids`]: spherical k-means cells (the catalogue stores a face's cell and the centroids);
//! - [`index`]: [`MemoryIndex`], an inverted file (IVF) in memory: neighbours within a similarity,
//!   or the k nearest, scanning only the cells nearest to the query.
//!
//! Depends on nothing of ours.

pub mod centroids;
pub mod index;
pub mod vector;

pub use centroids::Centroids;
pub use index::{MemoryIndex, DEFAULT_PROBES, EXACT_BELOW};
pub use vector::{dot, normalize, Element};
