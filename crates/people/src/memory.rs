//! Clustering in memory: every face loaded, an in-memory IVF over them. The full re-cluster, the
//! evaluation harness and the benchmark use it; incremental clustering of a few new faces works on the
//! catalogue instead (`catalog::people_index`).

use std::collections::{HashMap, HashSet};

use super::placement::{place, FaceNode, FaceStore, Near, PlacementStats};
use super::ClusterParams;
use argus_ann::{MemoryIndex, DEFAULT_PROBES};
use argus_core::Result;

/// Faces in memory. People created here get negative ids (-1, -2 …) until written.
pub struct MemoryStore<'a> {
    index: MemoryIndex,
    nodes: Vec<FaceNode>,
    row_of: HashMap<i64, usize>,
    rejected: &'a HashSet<(i64, i64)>,
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
            rejected,
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

    fn direction(&mut self, person: i64) -> Result<Vec<f32>> {
        Ok(self.sums.get(&person).cloned().unwrap_or_default())
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
        .map(|(i, e)| FaceNode {
            id: i as i64,
            embedding: e.as_slice().into(),
            may_seed: true,
            person: None,
        })
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
        FaceNode {
            id,
            embedding: unit(v).into(),
            may_seed: true,
            person: None,
        }
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
}
