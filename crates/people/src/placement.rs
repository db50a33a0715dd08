//! Where one face goes: the clustering rule, shared by incremental clustering (new faces against the
//! catalogue) and the full re-cluster (every unassigned face against all faces).
//!
//! Density-based, like DBSCAN with cosine similarity: a face's *neighbours* are the faces at least
//! [`ClusterParams::link_similarity`] alike; a face is *core* when it may seed (big and sharp enough,
//! see [`ClusterParams::may_seed`]) and has at least [`ClusterParams::min_neighbours`] seed-worthy
//! neighbours. A face with neighbours in people joins the person most of them belong to (never a
//! person it was rejected from). Otherwise a core face starts a new person and grows it through its
//! unassigned neighbours, expanding further only through core faces. Existing people are never
//! merged by the algorithm; only the user merges.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use super::ClusterParams;
use argus_ann::dot;
use argus_core::Result;

/// A face as the clustering sees it.
#[derive(Debug, Clone)]
pub struct FaceNode {
    pub id: i64,
    /// Unit vector.
    pub embedding: Arc<[f32]>,
    /// Big, confident and sharp enough to seed a person.
    pub may_seed: bool,
    pub person: Option<i64>,
}

/// A neighbour found by the store, with its current person.
#[derive(Debug, Clone)]
pub struct Near {
    pub face: FaceNode,
    pub similarity: f32,
}

/// What placing faces needs from where they live (memory or the catalogue).
pub trait FaceStore {
    /// Faces other than `face` at least `min_similarity` alike, with their current people.
    fn near(&mut self, face: &FaceNode, min_similarity: f32) -> Result<Vec<Near>>;
    /// Puts a face into a person (an automatic assignment).
    fn assign(&mut self, face: &FaceNode, person: i64) -> Result<()>;
    /// The sum of the embeddings of a person's faces (its direction; zero when it has none).
    fn direction(&mut self, person: i64) -> Result<Vec<f32>>;
    /// A new, unnamed person.
    fn new_person(&mut self) -> Result<i64>;
    /// Whether the user rejected `face_id` from `person`.
    fn rejected(&self, face_id: i64, person: i64) -> bool;
}

/// Counts of what placing did (the incremental test and the benchmark read them).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PlacementStats {
    /// Faces placed (each one asked its neighbourhood once).
    pub faces_placed: usize,
    /// Neighbourhood queries, including those made while growing a new person.
    pub queries: usize,
    /// Faces that joined an existing person.
    pub joined: usize,
    /// People started.
    pub new_people: usize,
    /// Faces that went into a new person.
    pub grown: usize,
    /// Faces left unassigned (no person near, not dense enough to start one).
    pub left_alone: usize,
    /// Neighbours not taken into a person because they were too far from its direction.
    pub held_back: usize,
}

/// Places one unassigned face; faces already assigned (e.g. grown into a person earlier in the same
/// run) are left as they are.
pub fn place(
    face: &FaceNode,
    store: &mut dyn FaceStore,
    params: &ClusterParams,
    stats: &mut PlacementStats,
) -> Result<()> {
    stats.faces_placed += 1;
    stats.queries += 1;
    let near = store.near(face, params.link_similarity)?;
    let core = is_core(face, &near, params);
    if let Some(person) = person_to_join(face, &near, store, params)? {
        store.assign(face, person)?;
        stats.joined += 1;
        if core {
            // A core face brings its unassigned neighbours along (they are within reach of it).
            for n in near.iter().filter(|n| n.face.person.is_none()) {
                if may_join(&n.face, person, store, params)? {
                    store.assign(&n.face, person)?;
                    stats.joined += 1;
                } else {
                    stats.held_back += 1;
                }
            }
        }
        return Ok(());
    }
    // A new person needs enough faces of its own: neighbours already in people do not count.
    let free = near
        .iter()
        .filter(|n| n.face.person.is_none() && n.face.may_seed)
        .count();
    if !core || free < params.min_neighbours {
        stats.left_alone += 1;
        return Ok(());
    }
    let person = store.new_person()?;
    stats.new_people += 1;
    store.assign(face, person)?;
    stats.grown += 1;
    grow(person, face.id, near, store, params, stats)
}

/// Breadth-first growth of a new person through unassigned faces; only core faces extend it.
fn grow(
    person: i64,
    seed: i64,
    seed_near: Vec<Near>,
    store: &mut dyn FaceStore,
    params: &ClusterParams,
    stats: &mut PlacementStats,
) -> Result<()> {
    let mut taken: HashSet<i64> = HashSet::from([seed]);
    let mut queue: VecDeque<FaceNode> = VecDeque::new();
    admit(seed_near, &mut taken, &mut queue);
    while let Some(face) = queue.pop_front() {
        if !may_join(&face, person, store, params)? {
            stats.held_back += 1;
            continue;
        }
        store.assign(&face, person)?;
        stats.grown += 1;
        if !face.may_seed {
            continue;
        }
        stats.queries += 1;
        let near = store.near(&face, params.link_similarity)?;
        if is_core(&face, &near, params) {
            admit(near, &mut taken, &mut queue);
        }
    }
    Ok(())
}

/// The person most of the face's neighbours are in (ties: the most similar neighbour), among the
/// people it may join.
fn person_to_join(
    face: &FaceNode,
    near: &[Near],
    store: &mut dyn FaceStore,
    params: &ClusterParams,
) -> Result<Option<i64>> {
    let mut votes: HashMap<i64, (usize, f32)> = HashMap::new();
    for n in near {
        if let Some(p) = n.face.person {
            let v = votes.entry(p).or_insert((0, f32::MIN));
            v.0 += 1;
            v.1 = v.1.max(n.similarity);
        }
    }
    let mut ranked: Vec<(i64, (usize, f32))> = votes.into_iter().collect();
    ranked.sort_by(|a, b| {
        (b.1 .0, b.1 .1, -b.0)
            .partial_cmp(&(a.1 .0, a.1 .1, -a.0))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    for (person, _) in ranked {
        if may_join(face, person, store, params)? {
            return Ok(Some(person));
        }
    }
    Ok(None)
}

/// Whether a face may go into a person: the user did not reject it from there, and it is near the
/// direction of the person's faces. Neighbours alone would let a chain of faces walk from one person
/// into a look-alike; the direction does not move that far.
fn may_join(
    face: &FaceNode,
    person: i64,
    store: &mut dyn FaceStore,
    params: &ClusterParams,
) -> Result<bool> {
    if store.rejected(face.id, person) {
        return Ok(false);
    }
    if params.centroid_similarity <= 0.0 {
        return Ok(true);
    }
    let sum = store.direction(person)?;
    let norm = dot(&sum, &sum).sqrt();
    Ok(norm == 0.0 || dot(&face.embedding, &sum) >= params.centroid_similarity * norm)
}

/// Queues the unassigned faces of `near` not seen yet.
fn admit(near: Vec<Near>, taken: &mut HashSet<i64>, queue: &mut VecDeque<FaceNode>) {
    for n in near {
        if n.face.person.is_none() && taken.insert(n.face.id) {
            queue.push_back(n.face);
        }
    }
}

fn is_core(face: &FaceNode, near: &[Near], params: &ClusterParams) -> bool {
    face.may_seed && near.iter().filter(|n| n.face.may_seed).count() >= params.min_neighbours
}
