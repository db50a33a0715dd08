//! Where one face goes: the clustering rule, shared by incremental clustering (new faces against the
//! catalogue) and the full re-cluster (every unassigned face against all faces).
//!
//! Density-based, like DBSCAN with cosine similarity: a face's *neighbours* are the faces at least
//! [`ClusterParams::link_similarity`] alike; a face is *core* when it may seed (big and sharp enough,
//! see [`ClusterParams::may_seed`]) and has at least [`ClusterParams::min_neighbours`] seed-worthy
//! neighbours. A face with neighbours in people joins the person most of them belong to, if it may
//! (see [`admission`]). Otherwise a core face starts a new person and grows it through its
//! unassigned neighbours, expanding further only through core faces. Existing people are never
//! merged by the algorithm; only the user merges.
//!
//! **One photo shows a person once**: a face never joins a person holding another face of its photo,
//! unless it matches the person better than that face and that face is automatic — then the two
//! swap, and the displaced face is placed again (its next-best person, or alone). Only the user can
//! put two faces of one photo into one person (mirrors, photos of photos).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use super::taught::{cosine, Taught};
use super::ClusterParams;
use argus_ann::dot;
use argus_core::Result;

/// A face as the clustering sees it.
#[derive(Debug, Clone)]
pub struct FaceNode {
    pub id: i64,
    /// The photo it is in.
    pub photo: i64,
    /// Unit vector.
    pub embedding: Arc<[f32]>,
    /// Big, confident and sharp enough to seed a person.
    pub may_seed: bool,
    pub person: Option<i64>,
    /// The user put it in its person (never moved by the clustering).
    pub confirmed: bool,
}

impl FaceNode {
    /// A face alone in its photo (photo id = face id), in no person, that may seed: how the
    /// evaluation and the synthetic benchmarks see faces.
    pub fn alone(id: i64, embedding: &[f32]) -> FaceNode {
        FaceNode {
            id,
            photo: id,
            embedding: embedding.into(),
            may_seed: true,
            person: None,
            confirmed: false,
        }
    }
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
    /// Takes an automatic face out of its person.
    fn unassign(&mut self, face: &FaceNode) -> Result<()>;
    /// The faces of one photo, with their current people.
    fn photo_faces(&mut self, photo: i64) -> Result<Vec<FaceNode>>;
    /// The sum of the embeddings of a person's faces (its direction; zero when it has none).
    fn direction(&mut self, person: i64) -> Result<Vec<f32>>;
    /// What the user taught about a person (its prototypes and rejected faces).
    fn taught(&mut self, person: i64) -> Result<Arc<Taught>>;
    /// The people holding confirmed faces (those with prototypes).
    fn confirmed_people(&mut self) -> Result<Vec<i64>>;
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
    /// Neighbours not taken into a person because they were too far from its directions, or near
    /// a face rejected from it.
    pub held_back: usize,
    /// Faces kept out of a person because another face of their photo is in it.
    pub same_photo: usize,
    /// Automatic faces that gave their person up to a better-matching face of the same photo.
    pub displaced: usize,
}

/// Whether a face may go into a person.
#[derive(Debug, Clone)]
pub enum Admission {
    Yes,
    /// Yes, in place of these automatic faces of its photo (they match the person less well).
    Displacing(Vec<FaceNode>),
    /// No: rejected from it, too far from its directions, or near a face rejected from it.
    Far,
    /// No: another face of its photo is there (confirmed, or matching better).
    SamePhoto,
}

/// A displaced face is placed again at most this many times within one placement (a guard: every
/// swap strictly improves how well the person matches that photo's face).
const MAX_REPLACEMENTS: usize = 64;

/// Places one unassigned face; faces already assigned (e.g. grown into a person earlier in the same
/// run) are left as they are. Faces it displaces from a person are placed again.
pub fn place(
    face: &FaceNode,
    store: &mut dyn FaceStore,
    params: &ClusterParams,
    stats: &mut PlacementStats,
) -> Result<()> {
    let mut displaced = Vec::new();
    place_one(face, store, params, stats, &mut displaced)?;
    let mut replaced = 0;
    while let Some(face) = displaced.pop() {
        if replaced == MAX_REPLACEMENTS {
            break;
        }
        replaced += 1;
        place_one(&face, store, params, stats, &mut displaced)?;
    }
    Ok(())
}

fn place_one(
    face: &FaceNode,
    store: &mut dyn FaceStore,
    params: &ClusterParams,
    stats: &mut PlacementStats,
    displaced: &mut Vec<FaceNode>,
) -> Result<()> {
    stats.faces_placed += 1;
    stats.queries += 1;
    let near = store.near(face, params.link_similarity)?;
    let core = is_core(face, &near, params);
    if let Some(person) = person_to_join(face, &near, store, params, stats, displaced)? {
        stats.joined += 1;
        if core {
            // A core face brings its unassigned neighbours along (they are within reach of it).
            for n in near.iter().filter(|n| n.face.person.is_none()) {
                if try_join(&n.face, person, store, params, stats, displaced)? {
                    stats.joined += 1;
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
    grow(person, face.id, near, store, params, stats, displaced)
}

/// Breadth-first growth of a new person through unassigned faces; only core faces extend it.
fn grow(
    person: i64,
    seed: i64,
    seed_near: Vec<Near>,
    store: &mut dyn FaceStore,
    params: &ClusterParams,
    stats: &mut PlacementStats,
    displaced: &mut Vec<FaceNode>,
) -> Result<()> {
    let mut taken: HashSet<i64> = HashSet::from([seed]);
    let mut queue: VecDeque<FaceNode> = VecDeque::new();
    admit(seed_near, &mut taken, &mut queue);
    while let Some(face) = queue.pop_front() {
        if !try_join(&face, person, store, params, stats, displaced)? {
            continue;
        }
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
/// people it may join; failing those, the person with the prototype most like the face, when it is
/// at least [`ClusterParams::prototype_similarity`] alike (a prototype of confirmed faces counts
/// as a neighbour the user vouched for).
fn person_to_join(
    face: &FaceNode,
    near: &[Near],
    store: &mut dyn FaceStore,
    params: &ClusterParams,
    stats: &mut PlacementStats,
    displaced: &mut Vec<FaceNode>,
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
    let mut candidates: Vec<i64> = ranked.into_iter().map(|(p, _)| p).collect();
    if params.prototype_similarity > 0.0 {
        let mut by_prototype = Vec::new();
        for person in store.confirmed_people()? {
            if candidates.contains(&person) {
                continue;
            }
            let best = store.taught(person)?.best_prototype(&face.embedding);
            if let Some(s) = best.filter(|s| *s >= params.prototype_similarity) {
                by_prototype.push((person, s));
            }
        }
        by_prototype.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        candidates.extend(by_prototype.into_iter().map(|(p, _)| p));
    }
    let mut held = PlacementStats::default();
    for person in candidates {
        if try_join(face, person, store, params, &mut held, displaced)? {
            stats.same_photo += held.same_photo;
            stats.displaced += held.displaced;
            return Ok(Some(person));
        }
    }
    stats.same_photo += held.same_photo;
    Ok(None)
}

/// Puts the face into the person if it may go there (displacing automatic faces of its photo that
/// match the person less well: they are queued to be placed again). Counts what held it back.
fn try_join(
    face: &FaceNode,
    person: i64,
    store: &mut dyn FaceStore,
    params: &ClusterParams,
    stats: &mut PlacementStats,
    displaced: &mut Vec<FaceNode>,
) -> Result<bool> {
    match admission(face, person, store, params)? {
        Admission::Yes => {}
        Admission::Displacing(others) => {
            for other in others {
                store.unassign(&other)?;
                stats.displaced += 1;
                displaced.push(FaceNode {
                    person: None,
                    ..other
                });
            }
        }
        Admission::Far => {
            stats.held_back += 1;
            return Ok(false);
        }
        Admission::SamePhoto => {
            stats.same_photo += 1;
            return Ok(false);
        }
    }
    store.assign(face, person)?;
    Ok(true)
}

/// Whether a face may go into a person:
/// - the user did not reject it from there;
/// - it is near one of the person's directions: the mean of its faces
///   ([`ClusterParams::centroid_similarity`]) or a prototype of the faces the user confirmed
///   ([`ClusterParams::prototype_similarity`]). Neighbours alone would let a chain of faces walk from
///   one person into a look-alike; the directions do not move that far;
/// - it is not closer to a face rejected from the person than to the person
///   ([`ClusterParams::rejected_radius`]);
/// - no other face of its photo is in the person, or only automatic ones that match it less well.
pub fn admission(
    face: &FaceNode,
    person: i64,
    store: &mut dyn FaceStore,
    params: &ClusterParams,
) -> Result<Admission> {
    if store.rejected(face.id, person) {
        return Ok(Admission::Far);
    }
    let sum = store.direction(person)?;
    let taught = store.taught(person)?;
    let to_mean = if dot(&sum, &sum) == 0.0 {
        1.0
    } else {
        cosine(&face.embedding, &sum)
    };
    let to_prototype = taught
        .best_prototype(&face.embedding)
        .filter(|_| params.prototype_similarity > 0.0);
    let near_direction = params.centroid_similarity <= 0.0
        || to_mean >= params.centroid_similarity
        || to_prototype.is_some_and(|s| s >= params.prototype_similarity);
    if !near_direction {
        return Ok(Admission::Far);
    }
    if params.rejected_radius > 0.0 {
        if let Some(rejected) = taught.nearest_rejected(&face.embedding) {
            let to_person = to_prototype.map_or(to_mean, |p| p.max(to_mean));
            if rejected >= params.rejected_radius && rejected > to_person {
                return Ok(Admission::Far);
            }
        }
    }
    let rivals: Vec<FaceNode> = store
        .photo_faces(face.photo)?
        .into_iter()
        .filter(|f| f.id != face.id && f.person == Some(person))
        .collect();
    if rivals.is_empty() {
        return Ok(Admission::Yes);
    }
    if rivals.iter().any(|r| r.confirmed) {
        return Ok(Admission::SamePhoto);
    }
    // Compare against the person without the rivals, so that no face is measured against itself.
    let mut rest = sum;
    for r in &rivals {
        rest.iter_mut()
            .zip(r.embedding.iter())
            .for_each(|(s, e)| *s -= e);
    }
    let mine = cosine(&face.embedding, &rest);
    let comparable = dot(&rest, &rest) >= 1e-6;
    if comparable && rivals.iter().all(|r| mine > cosine(&r.embedding, &rest)) {
        Ok(Admission::Displacing(rivals))
    } else {
        Ok(Admission::SamePhoto)
    }
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
