//! Clustering in memory: every face loaded, an in-memory IVF over them. The full re-cluster, the
//! evaluation harness and the benchmark use it; incremental clustering of a few new faces works on the
//! catalogue instead (`catalog::people_index`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::placement::{place, FaceNode, FaceStore, Near, PlacementStats};
use super::taught::{cosine, Taught};
use super::ClusterParams;
use argus_ann::{MemoryIndex, DEFAULT_PROBES};
use argus_core::Result;

/// Faces in memory. People created here get negative ids (-1, -2 …) until written.
pub struct MemoryStore<'a> {
    index: MemoryIndex,
    nodes: Vec<FaceNode>,
    row_of: HashMap<i64, usize>,
    /// Rows of each photo's faces.
    photo_rows: HashMap<i64, Vec<usize>>,
    rejected: &'a HashSet<(i64, i64)>,
    /// What the user taught about each person (built when first asked).
    taught: HashMap<i64, Arc<Taught>>,
    /// People holding confirmed faces, by id.
    confirmed_people: Vec<i64>,
    next_new: i64,
    /// Sum of the embeddings of each person's faces.
    sums: HashMap<i64, Vec<f32>>,
    /// Embeddings compared by neighbourhood queries.
    pub scanned: usize,
}

impl<'a> MemoryStore<'a> {
    /// Indexes the faces (their embeddings are unit vectors of one length).
    pub fn new(nodes: Vec<FaceNode>, rejected: &'a HashSet<(i64, i64)>, seed: u64) -> Self {
        Self::with_probes(nodes, rejected, seed, DEFAULT_PROBES)
    }

    /// As [`MemoryStore::new`], scanning `probes` cells per query (`usize::MAX`: an exact scan).
    pub fn with_probes(
        nodes: Vec<FaceNode>,
        rejected: &'a HashSet<(i64, i64)>,
        seed: u64,
        probes: usize,
    ) -> Self {
        let dim = nodes.first().map_or(0, |n| n.embedding.len());
        let vectors: Vec<f32> = nodes
            .iter()
            .flat_map(|n| n.embedding.iter().copied())
            .collect();
        let row_of = nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
        let confirmed_people: Vec<i64> = nodes
            .iter()
            .filter(|n| n.confirmed)
            .filter_map(|n| n.person)
            .collect::<std::collections::BTreeSet<i64>>()
            .into_iter()
            .collect();
        let mut photo_rows: HashMap<i64, Vec<usize>> = HashMap::new();
        for (row, n) in nodes.iter().enumerate() {
            photo_rows.entry(n.photo).or_default().push(row);
        }
        let mut sums: HashMap<i64, Vec<f32>> = HashMap::new();
        for n in &nodes {
            if let Some(p) = n.person {
                add_to(
                    sums.entry(p).or_insert_with(|| vec![0.0; dim]),
                    &n.embedding,
                );
            }
        }
        MemoryStore {
            index: MemoryIndex::build(vectors, dim.max(1), probes, seed),
            nodes,
            row_of,
            photo_rows,
            rejected,
            taught: HashMap::new(),
            confirmed_people,
            next_new: -1,
            sums,
            scanned: 0,
        }
    }

    pub fn nodes(&self) -> &[FaceNode] {
        &self.nodes
    }

    pub fn index(&self) -> &MemoryIndex {
        &self.index
    }

    /// Takes automatic faces out of a person that holds another face of their photo (catalogues
    /// clustered before a photo showed each person once, or faces the user moved): confirmed faces
    /// stay, else the face most like the rest of the person. Returns the faces taken out.
    pub fn part_same_photo_faces(&mut self) -> Result<Vec<i64>> {
        let mut groups: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
        for (row, n) in self.nodes.iter().enumerate() {
            if let Some(person) = n.person {
                groups.entry((n.photo, person)).or_default().push(row);
            }
        }
        let mut parted = Vec::new();
        for ((_, person), rows) in groups.into_iter().filter(|(_, rows)| rows.len() > 1) {
            let keep: Vec<usize> = if rows.iter().any(|&r| self.nodes[r].confirmed) {
                rows.iter()
                    .copied()
                    .filter(|&r| self.nodes[r].confirmed)
                    .collect()
            } else {
                let mut rest = self.sums[&person].clone();
                for &r in &rows {
                    let e = &self.nodes[r].embedding;
                    rest.iter_mut().zip(e.iter()).for_each(|(s, x)| *s -= x);
                }
                let best = rows
                    .iter()
                    .copied()
                    .max_by(|&a, &b| {
                        cosine(&self.nodes[a].embedding, &rest)
                            .total_cmp(&cosine(&self.nodes[b].embedding, &rest))
                            .then(self.nodes[b].id.cmp(&self.nodes[a].id))
                    })
                    .expect("a group has faces");
                vec![best]
            };
            for r in rows.into_iter().filter(|r| !keep.contains(r)) {
                let node = self.nodes[r].clone();
                self.unassign(&node)?;
                parted.push(node.id);
            }
        }
        Ok(parted)
    }

    /// Places every unassigned face, in the given order of face ids.
    pub fn place_all(&mut self, order: &[i64], params: &ClusterParams) -> Result<PlacementStats> {
        let mut stats = PlacementStats::default();
        for id in order {
            let node = &self.nodes[self.row_of[id]];
            if node.person.is_none() {
                let node = node.clone();
                place(&node, self, params, &mut stats)?;
            }
        }
        Ok(stats)
    }
}

impl FaceStore for MemoryStore<'_> {
    fn near(&mut self, face: &FaceNode, min_similarity: f32) -> Result<Vec<Near>> {
        let (found, scanned) = self.index.within(&face.embedding, min_similarity);
        self.scanned += scanned;
        Ok(found
            .into_iter()
            .filter(|(row, _)| self.nodes[*row].id != face.id)
            .map(|(row, similarity)| Near {
                face: self.nodes[row].clone(),
                similarity,
            })
            .collect())
    }

    fn assign(&mut self, face: &FaceNode, person: i64) -> Result<()> {
        let row = self.row_of[&face.id];
        self.nodes[row].person = Some(person);
        let dim = face.embedding.len();
        add_to(
            self.sums.entry(person).or_insert_with(|| vec![0.0; dim]),
            &face.embedding,
        );
        Ok(())
    }

    fn unassign(&mut self, face: &FaceNode) -> Result<()> {
        let row = self.row_of[&face.id];
        if let Some(person) = self.nodes[row].person.take() {
            if let Some(sum) = self.sums.get_mut(&person) {
                sum.iter_mut()
                    .zip(face.embedding.iter())
                    .for_each(|(s, e)| *s -= e);
            }
        }
        Ok(())
    }

    fn photo_faces(&mut self, photo: i64) -> Result<Vec<FaceNode>> {
        Ok(self
            .photo_rows
            .get(&photo)
            .map(|rows| rows.iter().map(|&r| self.nodes[r].clone()).collect())
            .unwrap_or_default())
    }

    fn direction(&mut self, person: i64) -> Result<Vec<f32>> {
        Ok(self.sums.get(&person).cloned().unwrap_or_default())
    }

    fn confirmed_people(&mut self) -> Result<Vec<i64>> {
        Ok(self.confirmed_people.clone())
    }

    fn taught(&mut self, person: i64) -> Result<Arc<Taught>> {
        if let Some(t) = self.taught.get(&person) {
            return Ok(t.clone());
        }
        // Confirmed faces never move during a run, so what they teach is fixed.
        let confirmed: Vec<&[f32]> = self
            .nodes
            .iter()
            .filter(|n| n.confirmed && n.person == Some(person))
            .map(|n| &*n.embedding)
            .collect();
        let mut rejected: Vec<(i64, Arc<[f32]>)> = self
            .rejected
            .iter()
            .filter(|(_, p)| *p == person)
            .filter_map(|(f, _)| {
                self.row_of
                    .get(f)
                    .map(|&r| (*f, self.nodes[r].embedding.clone()))
            })
            .collect();
        rejected.sort_by_key(|(f, _)| *f);
        let taught = Arc::new(Taught::new(
            &confirmed,
            rejected.into_iter().map(|(_, e)| e).collect(),
        ));
        self.taught.insert(person, taught.clone());
        Ok(taught)
    }

    fn new_person(&mut self) -> Result<i64> {
        let id = self.next_new;
        self.next_new -= 1;
        Ok(id)
    }

    fn rejected(&self, face_id: i64, person: i64) -> bool {
        self.rejected.contains(&(face_id, person))
    }
}

/// Clusters unit embeddings from scratch (every face may seed, placed in order), scanning `probes`
/// cells per query. Returns each face's person and how many embeddings were compared.
pub fn cluster_embeddings(
    embeddings: &[Vec<f32>],
    params: &ClusterParams,
    probes: usize,
    seed: u64,
) -> Result<(Vec<Option<i64>>, usize)> {
    let nodes: Vec<FaceNode> = embeddings
        .iter()
        .enumerate()
        .map(|(i, e)| FaceNode::alone(i as i64, e))
        .collect();
    let order: Vec<i64> = (0..nodes.len() as i64).collect();
    let rejected = HashSet::new();
    let mut store = MemoryStore::with_probes(nodes, &rejected, seed, probes);
    store.place_all(&order, params)?;
    Ok((
        store.nodes().iter().map(|n| n.person).collect(),
        store.scanned,
    ))
}

/// Adds an embedding to a running sum.
pub fn add_to(sum: &mut [f32], embedding: &[f32]) {
    sum.iter_mut().zip(embedding).for_each(|(s, e)| *s += e);
}

/// Faces in the order they should seed: the most reliable first (detection score × size), ties by id.
pub fn seeding_order(faces: &[(i64, f32)]) -> Vec<i64> {
    let mut sorted = faces.to_vec();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    sorted.into_iter().map(|(id, _)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    fn node(id: i64, v: &[f32]) -> FaceNode {
        FaceNode::alone(id, &unit(v))
    }

    #[test]
    fn two_dense_groups_become_two_people_and_a_loner_stays_alone() {
        let nodes = vec![
            node(1, &[1.0, 0.05, 0.0]),
            node(2, &[1.0, -0.05, 0.0]),
            node(3, &[1.0, 0.0, 0.05]),
            node(4, &[0.0, 1.0, 0.05]),
            node(5, &[0.05, 1.0, 0.0]),
            node(6, &[0.0, 1.0, -0.05]),
            node(7, &[0.0, 0.0, 1.0]),
        ];
        let rejected = HashSet::new();
        let mut store = MemoryStore::new(nodes, &rejected, 1);
        let params = ClusterParams::default();
        let stats = store.place_all(&[1, 2, 3, 4, 5, 6, 7], &params).unwrap();
        let people: Vec<Option<i64>> = store.nodes().iter().map(|n| n.person).collect();
        assert_eq!(people[0], people[1]);
        assert_eq!(people[1], people[2]);
        assert_eq!(people[3], people[4]);
        assert_eq!(people[4], people[5]);
        assert_ne!(people[0], people[3]);
        assert!(people[0].is_some() && people[3].is_some());
        assert_eq!(people[6], None);
        assert_eq!(stats.new_people, 2);
        // Faces grown into a person are not placed again: 1 and 4 seed, 7 is placed alone.
        assert_eq!(stats.faces_placed, 3);
    }

    #[test]
    fn a_rejected_face_does_not_join_that_person() {
        let mut nodes = vec![
            node(1, &[1.0, 0.05, 0.0]),
            node(2, &[1.0, -0.05, 0.0]),
            node(3, &[1.0, 0.0, 0.05]),
        ];
        nodes[0].person = Some(9);
        nodes[1].person = Some(9);
        let rejected = HashSet::from([(3, 9)]);
        let mut store = MemoryStore::new(nodes, &rejected, 1);
        store.place_all(&[3], &ClusterParams::default()).unwrap();
        assert_eq!(store.nodes()[2].person, None);
    }

    #[test]
    fn a_bridge_face_does_not_walk_one_person_into_a_look_alike() {
        // Person A around 0°, person B around 80°, one face at 40° within reach of both.
        let at = |id: i64, degrees: f32, wobble: f32| {
            let r = degrees.to_radians();
            node(id, &[r.cos(), r.sin(), wobble])
        };
        let nodes = vec![
            at(1, 0.0, 0.02),
            at(2, 2.0, -0.02),
            at(3, -2.0, 0.0),
            at(4, 40.0, 0.0),
            at(5, 80.0, 0.02),
            at(6, 82.0, -0.02),
            at(7, 78.0, 0.0),
        ];
        let order = [1, 2, 3, 4, 5, 6, 7];
        let rejected = HashSet::new();
        let people = |params: &ClusterParams| {
            let mut store = MemoryStore::new(nodes.clone(), &rejected, 1);
            store.place_all(&order, params).unwrap();
            store
                .nodes()
                .iter()
                .map(|n| n.person)
                .collect::<Vec<Option<i64>>>()
        };
        let chained = people(&ClusterParams {
            centroid_similarity: 0.0,
            ..ClusterParams::default()
        });
        assert!(
            chained.iter().all(|p| p.is_some() && *p == chained[0]),
            "{chained:?}"
        );
        let limited = people(&ClusterParams::default());
        assert_eq!(limited[0], limited[1]);
        assert_eq!(limited[4], limited[5]);
        assert_eq!(limited[5], limited[6]);
        assert!(limited[0].is_some() && limited[4].is_some());
        assert_ne!(limited[0], limited[4], "{limited:?}");
    }

    /// A unit vector mostly along `axis`, with a little of `wobble` (axes of an 8-d space).
    fn toward(axis: &[(usize, f32)], wobble: usize) -> Vec<f32> {
        let mut v = vec![0.0; 8];
        for &(a, w) in axis {
            v[a] += w;
        }
        v[3 + wobble % 5] += 0.15;
        unit(&v)
    }

    fn in_photo(id: i64, photo: i64, v: Vec<f32>) -> FaceNode {
        FaceNode {
            photo,
            embedding: v.into(),
            ..node(id, &[1.0])
        }
    }

    fn people_after(nodes: Vec<FaceNode>, rejected: &HashSet<(i64, i64)>) -> Vec<Option<i64>> {
        let mut store = MemoryStore::new(nodes, rejected, 1);
        let parted = store.part_same_photo_faces().unwrap();
        let mut order: Vec<i64> = store
            .nodes()
            .iter()
            .filter(|n| n.person.is_none() || parted.contains(&n.id))
            .map(|n| n.id)
            .collect();
        order.sort();
        store.place_all(&order, &ClusterParams::default()).unwrap();
        store.nodes().iter().map(|n| n.person).collect()
    }

    #[test]
    fn two_faces_of_one_photo_never_share_a_person_and_the_better_match_wins() {
        // Faces 1–3 in photos 1–3; photo 3 also holds face 4, a closer match to the others than 3.
        let nodes = vec![
            in_photo(1, 1, toward(&[(0, 1.0)], 0)),
            in_photo(2, 2, toward(&[(0, 1.0)], 1)),
            in_photo(3, 3, toward(&[(0, 1.0), (1, 0.45)], 2)),
            in_photo(4, 3, toward(&[(0, 1.0)], 3)),
            in_photo(5, 4, toward(&[(0, 1.0)], 4)),
        ];
        let rejected = HashSet::new();
        let mut store = MemoryStore::new(nodes, &rejected, 1);
        let stats = store
            .place_all(&[1, 2, 3, 4, 5], &ClusterParams::default())
            .unwrap();
        let people: Vec<Option<i64>> = store.nodes().iter().map(|n| n.person).collect();
        assert!(people[0].is_some());
        assert_eq!(people[0], people[1]);
        assert_eq!(
            people[3], people[0],
            "the better match keeps the person: {people:?}"
        );
        assert_ne!(people[2], people[0], "{people:?}");
        assert!(stats.displaced + stats.same_photo >= 1, "{stats:?}");
    }

    #[test]
    fn a_double_assignment_by_the_user_stays_and_automatic_doubles_are_parted() {
        let mut nodes: Vec<FaceNode> = (1..=4)
            .map(|i| in_photo(i, i, toward(&[(0, 1.0)], i as usize)))
            .collect();
        // Photo 10: two faces the user put into person 9 (a mirror); photo 11: two automatic ones.
        nodes.push(in_photo(5, 10, toward(&[(0, 1.0)], 0)));
        nodes.push(in_photo(6, 10, toward(&[(0, 1.0)], 1)));
        nodes.push(in_photo(7, 11, toward(&[(0, 1.0)], 2)));
        nodes.push(in_photo(8, 11, toward(&[(0, 1.0), (2, 0.4)], 3)));
        for n in nodes.iter_mut().skip(4) {
            n.person = Some(9);
            n.confirmed = n.photo == 10;
        }
        let people = people_after(nodes, &HashSet::new());
        assert_eq!((people[4], people[5]), (Some(9), Some(9)));
        assert_eq!(
            people[6],
            Some(9),
            "the closer automatic face stays: {people:?}"
        );
        assert_ne!(people[7], Some(9), "{people:?}");
        assert_eq!(people[0], Some(9), "{people:?}");
    }

    /// Person 9: ten recent faces (axis 0, three confirmed) and old faces (axis 1, far from the
    /// recent ones); a look-alike of the old faces (axis 1 and 2) in photos of their own.
    fn decades(confirm_old: usize) -> Vec<FaceNode> {
        let mut nodes = Vec::new();
        for i in 0..10 {
            let mut n = in_photo(i, i, toward(&[(0, 1.0)], i as usize));
            n.person = Some(9);
            n.confirmed = i < 3;
            nodes.push(n);
        }
        for i in 10..18 {
            let mut n = in_photo(i, i, toward(&[(1, 1.0), (0, 0.15)], i as usize));
            if i < 10 + confirm_old as i64 {
                n.person = Some(9);
                n.confirmed = true;
            }
            nodes.push(n);
        }
        for i in 18..24 {
            nodes.push(in_photo(i, i, toward(&[(1, 0.55), (2, 1.0)], i as usize)));
        }
        nodes
    }

    #[test]
    fn confirming_a_few_old_faces_brings_the_others_in_and_a_look_alike_stays_out() {
        let taught = people_after(decades(3), &HashSet::new());
        assert!(
            taught[13..18].iter().all(|p| *p == Some(9)),
            "the other old faces join through the prototype: {taught:?}"
        );
        assert!(taught[18..24].iter().all(|p| *p != Some(9)), "{taught:?}");
        // Without prototypes the mean direction (recent faces) holds them back.
        let nodes = decades(3);
        let rejected = HashSet::new();
        let mut store = MemoryStore::new(nodes, &rejected, 1);
        let order: Vec<i64> = (13..24).collect();
        let params = ClusterParams {
            prototype_similarity: 0.0,
            ..ClusterParams::default()
        };
        store.place_all(&order, &params).unwrap();
        assert!(store.nodes()[13..18].iter().all(|n| n.person != Some(9)));
    }

    #[test]
    fn a_rejection_makes_the_person_stricter_near_the_rejected_face() {
        // Person 9 around axis 0; face 5 (axis 0 + 2) was rejected from it; face 6 is its twin.
        let mut nodes: Vec<FaceNode> = (1..=4)
            .map(|i| {
                let mut n = in_photo(i, i, toward(&[(0, 1.0)], i as usize));
                n.person = Some(9);
                n
            })
            .collect();
        nodes.push(in_photo(5, 5, toward(&[(0, 1.0), (2, 0.9)], 0)));
        nodes.push(in_photo(6, 6, toward(&[(0, 1.0), (2, 0.9)], 1)));
        let rejected = HashSet::from([(5, 9)]);
        let people = people_after(nodes.clone(), &rejected);
        assert_ne!(people[5], Some(9), "{people:?}");
        let loose = {
            let mut store = MemoryStore::new(nodes, &rejected, 1);
            let params = ClusterParams {
                rejected_radius: 0.0,
                ..ClusterParams::default()
            };
            store.place_all(&[5, 6], &params).unwrap();
            store.nodes()[5].person
        };
        assert_eq!(loose, Some(9), "without the rule the twin joins");
    }
}
