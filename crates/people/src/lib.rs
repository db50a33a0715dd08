//! People: faces grouped into the people they show, and the user's decisions about them.
//!
//! - [`placement`]: the clustering rule (density-based, incremental) over any [`placement::FaceStore`];
//! - [`memory`]: a store in memory (full re-cluster, evaluation, benchmark);
//! - [`catalog_store`]: the rule's store over the catalogue, through the stored index;
//! - [`decisions`]: faces put into a person by the user, and the photos that then show them twice;
//! - [`job`]: clustering the catalogue: new faces incrementally, or everything on demand;
//! - [`suggest`]: likely people for a cluster, likely faces for a person;
//! - [`taught`]: what the user's confirmations and rejections teach about a person;
//! - [`metrics`]: pairwise and BCubed quality of a grouping against labelled photos.
//!
//! Neighbourhood queries go through `argus-ann`'s inverted-file index. Depends on `argus-core`,
//! `argus-ann` and `argus-catalog` only; synthetic embeddings and the evaluation on
//! labelled photos are dev tools (`argus-dev`).

pub mod catalog_store;
pub mod decisions;
pub mod job;
pub mod memory;
pub mod metrics;
pub mod placement;
pub mod suggest;
pub mod taught;

use serde::Serialize;

/// The clustering's knobs. Defaults were chosen by measurement (`argus dev people-eval --sweep` on real
/// faces, `argus dev bench people` at 100k synthetic faces calibrated on them):
/// - link 0.60: on LFW (727 photos, 150 people) BCubed F peaks there and falls apart below 0.50 as
///   people chain together; on the registry celebrity set (116 photos, 7 people) 0.40 scores best
///   but 0.60 still has precision 1.0. A wrong merge is worse than a split (splits are one merge
///   away, and suggestions offer the faces left alone). Two neighbours to seed, like Immich.
/// - growth limit 0.50 (similarity to the mean direction of the person a face would join): LFW
///   BCubed P 0.987 → 0.995 (F 0.962 → 0.965), 100k synthetic faces P 0.872 → 0.882, the registry
///   set unchanged. A stricter limit (0.55–0.60) helps more at 100k faces (P 0.92) and on LFW
///   (F 0.972 with link 0.55) but splits people whose photos vary a lot (Elton John across decades).
/// - sharpness 4: blurring LFW faces (Gaussian σ in aligned-face pixels) gives sharpness medians
///   130 (σ 0) / 17 (σ 2) / 6 (σ 3) / 3 (σ 4) / 2 (σ 6); from σ 4 a face's similarity to sharp photos
///   of the same person falls to 0.49 (below the link), and at σ 6 blurred faces of *different*
///   people are ≥ 0.60 alike in 10 % of pairs — they would seed a person made of blur.
/// - prototypes 0.58 (`argus people eval --teach N` on the registry celebrities, dlib's "johns",
///   LFW and all three together: a simulated user names people, rejects wrong faces, confirms N
///   faces each, then everything is re-clustered): with one confirmation per person LFW BCubed F
///   0.987 → 0.989, all sets 0.976 → 0.978; two: 0.994 → 0.996 and 0.984 → 0.986; precision stays
///   1.000 on every set. 0.55–0.56 let one wrong face into a person of the crowded set (P 0.998),
///   0.57 is the lowest that does not; 0.58 keeps a margin. From 0.65 prototypes add nothing.
/// - rejection radius 0.6: measured neutral on these sets (their few rejected faces have no twins);
///   kept because it only ever holds a face back, near a face the user said is someone else.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClusterParams {
    /// Two faces are neighbours at this cosine similarity of their embeddings or more.
    pub link_similarity: f32,
    /// A face is core (may start or extend a person) with this many seed-worthy neighbours.
    pub min_neighbours: usize,
    /// A new person grows only through faces at least this similar to the mean direction of the
    /// faces it has taken so far (0: no limit).
    pub centroid_similarity: f32,
    /// A face may also join a person when it is at least this similar to one of the person's
    /// prototypes (groups of the faces the user confirmed there, see [`taught`]); 0: prototypes
    /// are not used.
    pub prototype_similarity: f32,
    /// A face at least this similar to a face rejected from a person, and more like that face than
    /// like the person, does not join it (0: rejections only bar the rejected face itself).
    pub rejected_radius: f32,
    /// Faces whose box is smaller than this (short side, photo pixels) never seed a person.
    pub min_face_px: f32,
    /// Faces detected with less confidence than this never seed a person.
    pub min_score: f32,
    /// Faces less sharp than this never seed a person (see `argus_analysis::sharpness`).
    pub min_sharpness: f32,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            link_similarity: 0.6,
            min_neighbours: 2,
            centroid_similarity: 0.5,
            prototype_similarity: 0.58,
            rejected_radius: 0.6,
            min_face_px: 40.0,
            min_score: 0.75,
            min_sharpness: 4.0,
        }
    }
}

impl ClusterParams {
    /// Whether a face of this detection score, size (short side in pixels) and sharpness (unknown
    /// for faces embedded before it was measured) may seed a person.
    pub fn may_seed(&self, score: f32, short_side_px: f32, sharpness: Option<f32>) -> bool {
        score >= self.min_score
            && short_side_px >= self.min_face_px
            && sharpness.is_none_or(|s| s >= self.min_sharpness)
    }
}
