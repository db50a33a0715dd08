//! "More like this", measured (`argus dev eval-similar`): on a labelled folder (`labels.csv`:
//! `file,label`, e.g. the shared Intel scenes) scanned into the catalogue, how often each photo's
//! nearest photos (among the labelled ones) share its label, per label; whether the ranking is the
//! same when the index is built again; and, for the `similar:` term's threshold, how many pairs reach
//! each similarity and what share of them share a label.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::probes::dataset::read_labels;
use argus_api::similar::LookAlikes;

/// One similarity threshold: the pairs at or above it, and the share that share a label.
#[derive(Debug, Clone, Serialize)]
pub struct ThresholdFigures {
    pub threshold: f32,
    pub pairs: usize,
    pub same_label: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimilarReport {
    pub photos: usize,
    pub missing: usize,
    pub k: usize,
    /// Share of the k nearest photos that have the photo's label, over all photos.
    pub agreement: f64,
    /// Per label: (neighbours with the label, neighbours).
    pub per_label: BTreeMap<String, (usize, usize)>,
    /// Whether a second index built from the same descriptors ranks every photo's neighbours the same.
    pub stable: bool,
    pub thresholds: Vec<ThresholdFigures>,
}

/// Measures the catalogue's descriptors of the photos `dir/labels.csv` lists.
pub fn evaluate(catalog: &Catalog, dir: &Path, k: usize) -> anyhow::Result<SimilarReport> {
    let examples = read_labels(dir)?;
    let mut label_of = BTreeMap::new();
    let mut missing = 0;
    for e in &examples {
        let path = e.path.canonicalize().unwrap_or_else(|_| e.path.clone());
        match catalog.photo_by_path(&path)? {
            Some(p) => {
                label_of.insert(p.id, e.label.clone());
            }
            None => missing += 1,
        }
    }
    let labelled: Vec<_> = catalog
        .descriptors()?
        .into_iter()
        .filter(|d| label_of.contains_key(&d.photo_id))
        .collect();
    let first = LookAlikes::from_descriptors(labelled.clone());
    let second = LookAlikes::from_descriptors(labelled);
    let (mut same, mut total, mut stable) = (0usize, 0usize, true);
    let mut per_label: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for &id in first.photo_ids() {
        let near = first.most_like(id, k);
        stable &= near == second.most_like(id, k);
        let label = &label_of[&id];
        let hits = near.iter().filter(|(n, _)| &label_of[n] == label).count();
        same += hits;
        total += near.len();
        let slot = per_label.entry(label.clone()).or_default();
        slot.0 += hits;
        slot.1 += near.len();
    }
    let ids = first.photo_ids().to_vec();
    let mut pairs: Vec<(f32, bool)> = Vec::new();
    for (i, &a) in ids.iter().enumerate() {
        for &b in &ids[i + 1..] {
            let s = first.similarity(a, b).unwrap_or(0.0);
            pairs.push((s, label_of[&a] == label_of[&b]));
        }
    }
    let thresholds = (10..=19)
        .map(|t| t as f32 * 0.05)
        .map(|threshold| {
            let above: Vec<bool> = pairs
                .iter()
                .filter(|p| p.0 >= threshold)
                .map(|p| p.1)
                .collect();
            ThresholdFigures {
                threshold,
                pairs: above.len(),
                same_label: above.iter().filter(|s| **s).count() as f64 / above.len().max(1) as f64,
            }
        })
        .collect();
    Ok(SimilarReport {
        photos: ids.len(),
        missing,
        k,
        agreement: same as f64 / total.max(1) as f64,
        per_label,
        stable,
        thresholds,
    })
}
