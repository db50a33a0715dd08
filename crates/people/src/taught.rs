//! What the user taught the clustering about one person: **prototypes** — the directions of groups of
//! the faces they confirmed there (a person photographed across decades, with and without a beard or
//! glasses, keeps one direction per look instead of one blurred mean) — and the faces they rejected
//! from there, near which the person becomes stricter.

use std::sync::Arc;

use argus_ann::dot;
use argus_catalog::TaughtFaces;

/// A person has at most this many prototypes; further confirmed faces join the nearest one.
pub const MAX_PROTOTYPES: usize = 8;
/// A confirmed face joins a prototype at least this alike (the clustering's link similarity: faces
/// of one look).
pub const GROUP_SIMILARITY: f32 = 0.6;

/// Prototypes and rejected faces of one person (both empty: nothing taught).
#[derive(Debug, Clone, Default)]
pub struct Taught {
    /// Unit vectors.
    pub prototypes: Vec<Vec<f32>>,
    /// Unit embeddings of faces rejected from the person.
    pub rejected: Vec<Arc<[f32]>>,
}

impl Taught {
    /// Groups confirmed faces (unit vectors, in id order) into prototypes: a face joins the prototype
    /// it is most alike when at least [`GROUP_SIMILARITY`], or starts one.
    pub fn new(confirmed: &[&[f32]], rejected: Vec<Arc<[f32]>>) -> Taught {
        let mut sums: Vec<Vec<f32>> = Vec::new();
        for face in confirmed {
            let best = sums
                .iter()
                .enumerate()
                .map(|(i, sum)| (i, cosine(face, sum)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match best {
                Some((i, s)) if s >= GROUP_SIMILARITY || sums.len() >= MAX_PROTOTYPES => sums[i]
                    .iter_mut()
                    .zip(face.iter())
                    .for_each(|(a, b)| *a += b),
                _ => sums.push(face.to_vec()),
            }
        }
        Taught {
            prototypes: sums.into_iter().map(unit).collect(),
            rejected,
        }
    }

    /// From the faces the catalogue holds for a person.
    pub fn from_catalogue(faces: &TaughtFaces) -> Taught {
        let confirmed: Vec<&[f32]> = faces.confirmed.iter().map(|e| e.as_slice()).collect();
        Taught::new(
            &confirmed,
            faces.rejected.iter().map(|e| e.as_slice().into()).collect(),
        )
    }

    /// The similarity of a face to its most alike prototype (`None`: no prototypes).
    pub fn best_prototype(&self, face: &[f32]) -> Option<f32> {
        self.prototypes
            .iter()
            .map(|p| dot(p, face))
            .max_by(f32::total_cmp)
    }

    /// The similarity of a face to the most alike face rejected from the person.
    pub fn nearest_rejected(&self, face: &[f32]) -> Option<f32> {
        self.rejected
            .iter()
            .map(|r| dot(r, face))
            .max_by(f32::total_cmp)
    }
}

/// Cosine similarity of a unit vector to any vector (0 against a zero vector).
pub fn cosine(unit_face: &[f32], v: &[f32]) -> f32 {
    let norm = dot(v, v).sqrt();
    if norm == 0.0 {
        0.0
    } else {
        dot(unit_face, v) / norm
    }
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let norm = dot(&v, &v).sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(degrees: f32) -> Vec<f32> {
        let r = degrees.to_radians();
        vec![r.cos(), r.sin()]
    }

    #[test]
    fn confirmed_faces_of_two_looks_make_two_prototypes() {
        let faces = [at(0.0), at(10.0), at(90.0), at(100.0), at(5.0)];
        let refs: Vec<&[f32]> = faces.iter().map(|f| f.as_slice()).collect();
        let taught = Taught::new(&refs, Vec::new());
        assert_eq!(taught.prototypes.len(), 2);
        assert!(taught.best_prototype(&at(95.0)).unwrap() > 0.99);
        assert!(taught.best_prototype(&at(3.0)).unwrap() > 0.99);
        assert!(taught.best_prototype(&at(45.0)).unwrap() < 0.8);
        assert_eq!(taught.nearest_rejected(&at(0.0)), None);
    }

    #[test]
    fn prototypes_stop_at_the_cap() {
        // 20 directions 60° apart in 10 dimensions: no two within the grouping similarity.
        let faces: Vec<Vec<f32>> = (0..20)
            .map(|i| {
                let mut v = vec![0.0; 10];
                v[i % 10] = if i < 10 { 1.0 } else { -1.0 };
                v
            })
            .collect();
        let refs: Vec<&[f32]> = faces.iter().map(|f| f.as_slice()).collect();
        let taught = Taught::new(&refs, Vec::new());
        assert_eq!(taught.prototypes.len(), MAX_PROTOTYPES);
    }
}
