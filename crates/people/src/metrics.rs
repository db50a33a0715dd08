//! Clustering quality against labels: pairwise precision/recall/F (over all pairs of faces) and
//! BCubed precision/recall/F (per face: how pure its cluster is, and how much of its identity the
//! cluster holds). Unassigned faces count as clusters of one: leaving a face alone costs recall,
//! never precision.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

/// Precision, recall and their harmonic mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Prf {
        let f = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f,
        }
    }
}

/// Both measures for one clustering.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClusterQuality {
    pub pairwise: Prf,
    pub bcubed: Prf,
    /// Clusters with two or more faces.
    pub clusters: usize,
    /// Faces in no cluster (or alone in one).
    pub singletons: usize,
}

/// `truth[i]` is face i's identity; `found[i]` its cluster (`None`: unassigned).
pub fn quality<L: Eq + Hash, C: Eq + Hash>(truth: &[L], found: &[Option<C>]) -> ClusterQuality {
    assert_eq!(truth.len(), found.len());
    // Unassigned faces become their own clusters, keyed by index.
    let cluster: Vec<Key<&C>> = found
        .iter()
        .enumerate()
        .map(|(i, c)| c.as_ref().map_or(Key::Alone(i), Key::Cluster))
        .collect();
    let mut cluster_size: HashMap<&Key<&C>, usize> = HashMap::new();
    let mut label_size: HashMap<&L, usize> = HashMap::new();
    let mut both: HashMap<(&Key<&C>, &L), usize> = HashMap::new();
    for (c, l) in cluster.iter().zip(truth) {
        *cluster_size.entry(c).or_default() += 1;
        *label_size.entry(l).or_default() += 1;
        *both.entry((c, l)).or_default() += 1;
    }
    let pairs = |n: usize| (n * n.saturating_sub(1) / 2) as f64;
    let same_both: f64 = both.values().map(|&n| pairs(n)).sum();
    let same_cluster: f64 = cluster_size.values().map(|&n| pairs(n)).sum();
    let same_label: f64 = label_size.values().map(|&n| pairs(n)).sum();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
    let pairwise = Prf::new(ratio(same_both, same_cluster), ratio(same_both, same_label));

    let n = truth.len().max(1) as f64;
    let (mut p, mut r) = (0.0, 0.0);
    for (c, l) in cluster.iter().zip(truth) {
        let shared = both[&(c, l)] as f64;
        p += shared / cluster_size[c] as f64;
        r += shared / label_size[l] as f64;
    }
    ClusterQuality {
        pairwise,
        bcubed: Prf::new(p / n, r / n),
        clusters: cluster_size
            .iter()
            .filter(|(k, &n)| matches!(k, Key::Cluster(_)) && n > 1)
            .count(),
        singletons: cluster_size.values().filter(|&&n| n == 1).count(),
    }
}

#[derive(PartialEq, Eq, Hash)]
enum Key<C> {
    Cluster(C),
    Alone(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_clustering_scores_one() {
        let q = quality(&["a", "a", "b"], &[Some(1), Some(1), Some(2)]);
        assert_eq!(q.bcubed.f, 1.0);
        assert_eq!(q.pairwise.f, 1.0);
        assert_eq!(q.clusters, 1);
    }

    #[test]
    fn known_values() {
        // Truth a a a b b; found {0,1} {2,3,4}.
        let q = quality(
            &["a", "a", "a", "b", "b"],
            &[Some(1), Some(1), Some(2), Some(2), Some(2)],
        );
        // Pairs: same cluster 1 + 3 = 4, same label 3 + 1 = 4, both 1 + 1 = 2.
        assert!((q.pairwise.precision - 0.5).abs() < 1e-9);
        assert!((q.pairwise.recall - 0.5).abs() < 1e-9);
        // BCubed precision: (1 + 1 + 1/3 + 2/3 + 2/3) / 5; recall: (2/3 + 2/3 + 1/3 + 1 + 1) / 5.
        assert!((q.bcubed.precision - (11.0 / 3.0) / 5.0).abs() < 1e-9);
        assert!((q.bcubed.recall - (11.0 / 3.0) / 5.0).abs() < 1e-9);
    }

    #[test]
    fn unassigned_faces_cost_recall_not_precision() {
        let q = quality(&["a", "a", "a"], &[Some(1), None::<i32>, None]);
        assert_eq!(q.bcubed.precision, 1.0);
        assert!((q.bcubed.recall - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(q.singletons, 3);
    }
}
