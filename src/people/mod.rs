//! People: faces grouped into the people they show, and the user's decisions about them.
//!
//! - [`placement`]: the clustering rule (density-based, incremental) over any [`placement::FaceStore`];
//! - [`ann`]: the inverted-file index that keeps neighbourhood queries off a full scan;
//! - [`memory`]: a store in memory (full re-cluster, evaluation, benchmark);
//! - [`job`]: clustering the catalogue: new faces incrementally, or everything on demand;
//! - [`suggest`]: likely people for a cluster, likely faces for a person;
//! - [`metrics`] and [`eval`]: pairwise and BCubed quality against labelled photos.

pub mod ann;
pub mod eval;
pub mod job;
pub mod memory;
pub mod metrics;
pub mod placement;
pub mod suggest;

use serde::Serialize;

/// The clustering's knobs. Defaults were chosen by measurement (`argus people eval --sweep`): on
/// LFW (727 photos, 150 people) BCubed F peaks at link 0.60 (P 0.99, R 0.94) and falls apart below
/// 0.50 as people chain together; on the registry celebrity set (116 photos, 7 people) 0.40 scores
/// best but 0.60 still has precision 1.0. A wrong merge is worse than a split (splits are one merge
/// away, and suggestions offer the faces left alone), so 0.60; two neighbours to seed, like Immich.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClusterParams {
    /// Two faces are neighbours at this cosine similarity of their embeddings or more.
    pub link_similarity: f32,
    /// A face is core (may start or extend a person) with this many seed-worthy neighbours.
    pub min_neighbours: usize,
    /// Faces whose box is smaller than this (short side, photo pixels) never seed a person.
    pub min_face_px: f32,
    /// Faces detected with less confidence than this never seed a person.
    pub min_score: f32,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            link_similarity: 0.6,
            min_neighbours: 2,
            min_face_px: 40.0,
            min_score: 0.75,
        }
    }
}

impl ClusterParams {
    /// Whether a face of this detection score and size (short side in pixels) may seed a person.
    pub fn may_seed(&self, score: f32, short_side_px: f32) -> bool {
        score >= self.min_score && short_side_px >= self.min_face_px
    }
}
