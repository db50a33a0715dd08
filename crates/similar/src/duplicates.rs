//! Duplicate groups. Three kinds of link join two photos of the grid:
//! - **exact**: the same content hash (one file at two paths);
//! - **near**: a copy of the same picture — resized, re-encoded, re-exported, slightly cropped,
//!   rotated or brightened, metadata stripped: its [`near_score`] (the descriptors' cosine less a
//!   hundredth per bit the perceptual hashes differ in) is at least [`DuplicateOptions::near`]. The
//!   two signals fail apart: a small copy blurs the descriptor but keeps the hash, a crop or a
//!   rotation moves the hash but keeps the descriptor, and different photos of one person or
//!   scene are alike in descriptor but ~30 bits apart in hash;
//! - **burst**: the same scene seconds apart — descriptors at least [`BURST_SIMILARITY`] alike, both
//!   taken within [`BURST_SECONDS`] by the same camera.
//!
//! Linked photos form groups (transitively); a pair the user marked "not duplicates" is never a
//! link. A group's kind is its loosest link; its members are listed best first ([`crate::best`]).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::best::{compare, deciding_rule, Candidate, KeepReason};
use crate::lookalikes::LookAlikes;
use crate::taken::seconds;
use argus_catalog::Photo;

/// The [`near_score`] from which two photos are copies (the default `--threshold`). On the
/// near-duplicate set (`argus dev eval-duplicates`: 58 registry originals, 394 copies) the copies
/// score 0.60 and up, different photos 0.58 at most (a tight crop of a face against the photo it
/// came from); between them, transitivity (a rotated copy joins through the original's other
/// copies) lets this sit above the middle.
pub const NEAR_SCORE: f32 = 0.64;
/// What one differing bit of the perceptual hash takes off the descriptors' cosine.
pub const NEAR_BIT_WEIGHT: f32 = 0.01;
/// Below this cosine two photos are never copies, whatever the hash says (a hash alone matches
/// flat or dark pictures by chance).
const NEAR_FLOOR: f32 = 0.60;
/// Descriptor similarity of two shots of a burst.
pub const BURST_SIMILARITY: f32 = 0.85;
/// Most seconds between two shots of a burst.
pub const BURST_SECONDS: f64 = 10.0;

/// What makes two photos duplicates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DuplicateOptions {
    /// The [`near_score`] from which two photos are copies.
    pub near: f32,
    /// Whether bursts are grouped too.
    pub bursts: bool,
}

impl Default for DuplicateOptions {
    fn default() -> Self {
        DuplicateOptions {
            near: NEAR_SCORE,
            bursts: true,
        }
    }
}

/// How the photos of a group are alike (its loosest link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum DuplicateKind {
    Exact,
    Near,
    Burst,
}

impl DuplicateKind {
    /// The name in the CLI and JSON.
    pub fn name(self) -> &'static str {
        match self {
            DuplicateKind::Exact => "exact",
            DuplicateKind::Near => "near",
            DuplicateKind::Burst => "burst",
        }
    }
}

/// One photo of a group.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DuplicateMember {
    pub photo: Photo,
    pub sharpness: f32,
    /// Cosine similarity of its descriptor to the best photo's (1 for the best photo).
    pub similarity: f32,
    /// Whether its file has the best photo's content hash.
    pub same_content: bool,
}

/// A group of duplicates, best photo first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DuplicateGroup {
    pub kind: DuplicateKind,
    pub members: Vec<DuplicateMember>,
    /// Why the first member is the one to keep: the first rule of [`crate::best`] that puts it
    /// before the second.
    pub keep_because: KeepReason,
}

impl DuplicateGroup {
    /// The suggested photo to keep.
    pub fn best(&self) -> &Photo {
        &self.members[0].photo
    }

    /// A stable key of the group: its photo ids, sorted.
    pub fn photo_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.members.iter().map(|m| m.photo.id).collect();
        ids.sort_unstable();
        ids
    }
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// How surely two photos are copies of one picture: the cosine of their descriptors less
/// [`NEAR_BIT_WEIGHT`] per bit their perceptual hashes differ in.
pub fn near_score(similarity: f32, hash_bits: u32) -> f32 {
    similarity - NEAR_BIT_WEIGHT * hash_bits as f32
}

/// The kind of link between two photos, if any.
fn link(
    a: &Photo,
    b: &Photo,
    similarity: f32,
    lookalikes: &LookAlikes,
    options: &DuplicateOptions,
) -> Option<DuplicateKind> {
    if a.hash.is_some() && a.hash == b.hash {
        return Some(DuplicateKind::Exact);
    }
    let hash_bits = match (lookalikes.phash(a.id), lookalikes.phash(b.id)) {
        (Some(x), Some(y)) => (x ^ y).count_ones(),
        _ => 64,
    };
    if similarity >= NEAR_FLOOR && near_score(similarity, hash_bits) >= options.near {
        return Some(DuplicateKind::Near);
    }
    if options.bursts && similarity >= BURST_SIMILARITY {
        let (ta, tb) = (
            a.exif.taken_at.as_deref().and_then(seconds),
            b.exif.taken_at.as_deref().and_then(seconds),
        );
        let same_camera = match (&a.exif.camera_model, &b.exif.camera_model) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        if let (Some(ta), Some(tb)) = (ta, tb) {
            if (ta - tb).abs() <= BURST_SECONDS && same_camera {
                return Some(DuplicateKind::Burst);
            }
        }
    }
    None
}

/// Groups the photos (the grid's, with their descriptors in `lookalikes`) into duplicates. `dismissed`
/// holds `(lower id, higher id)` pairs the user said are not duplicates. Groups come largest first,
/// then by their best photo's id.
pub fn find_duplicates(
    photos: &[Photo],
    lookalikes: &LookAlikes,
    dismissed: &HashSet<(i64, i64)>,
    options: &DuplicateOptions,
) -> Vec<DuplicateGroup> {
    let at: HashMap<i64, usize> = photos.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut sets = UnionFind((0..photos.len()).collect());
    let mut loosest: HashMap<(usize, usize), DuplicateKind> = HashMap::new();
    let mut edges: Vec<(usize, usize, DuplicateKind)> = Vec::new();
    // Same content: no descriptor needed.
    let mut by_hash: HashMap<&str, usize> = HashMap::new();
    for (i, p) in photos.iter().enumerate() {
        if let Some(h) = p.hash.as_deref() {
            if let Some(&first) = by_hash.get(h) {
                edges.push((first, i, DuplicateKind::Exact));
            } else {
                by_hash.insert(h, i);
            }
        }
    }
    let floor = options.near.max(NEAR_FLOOR).min(if options.bursts {
        BURST_SIMILARITY
    } else {
        f32::MAX
    });
    for (a, b, s) in lookalikes.all_pairs(floor) {
        let (Some(&ia), Some(&ib)) = (at.get(&a), at.get(&b)) else {
            continue;
        };
        if let Some(kind) = link(&photos[ia], &photos[ib], s, lookalikes, options) {
            edges.push((ia, ib, kind));
        }
    }
    for (a, b, kind) in edges {
        let key = (
            photos[a].id.min(photos[b].id),
            photos[a].id.max(photos[b].id),
        );
        if dismissed.contains(&key) {
            continue;
        }
        sets.union(a, b);
        let slot = loosest.entry((a.min(b), a.max(b))).or_insert(kind);
        *slot = (*slot).max(kind);
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..photos.len() {
        let root = sets.find(i);
        members.entry(root).or_default().push(i);
    }
    let mut kinds: HashMap<usize, DuplicateKind> = HashMap::new();
    for (&(a, _), &kind) in &loosest {
        let root = sets.find(a);
        let slot = kinds.entry(root).or_insert(kind);
        *slot = (*slot).max(kind);
    }
    let mut groups: Vec<DuplicateGroup> = members
        .into_iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(root, mut m)| {
            let sharp = |i: usize| lookalikes.sharpness(photos[i].id).unwrap_or(0.0);
            m.sort_by(|&x, &y| {
                compare(
                    &Candidate {
                        photo: &photos[x],
                        sharpness: sharp(x),
                    },
                    &Candidate {
                        photo: &photos[y],
                        sharpness: sharp(y),
                    },
                )
            });
            let best = &photos[m[0]];
            let keep_because = deciding_rule(
                &Candidate {
                    photo: best,
                    sharpness: sharp(m[0]),
                },
                &Candidate {
                    photo: &photos[m[1]],
                    sharpness: sharp(m[1]),
                },
            );
            DuplicateGroup {
                keep_because,
                kind: kinds.get(&root).copied().unwrap_or(DuplicateKind::Exact),
                members: m
                    .iter()
                    .map(|&i| DuplicateMember {
                        photo: photos[i].clone(),
                        sharpness: sharp(i),
                        similarity: if i == m[0] {
                            1.0
                        } else {
                            lookalikes.similarity(best.id, photos[i].id).unwrap_or(0.0)
                        },
                        same_content: best.hash.is_some() && photos[i].hash == best.hash,
                    })
                    .collect(),
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.best().id.cmp(&b.best().id))
    });
    groups
}
