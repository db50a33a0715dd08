//! The clustering's quality harness: embeds the main face of every photo in a labelled folder
//! (`labels.csv`: file,person) with the pipeline's own detector and embedding model, clusters them
//! with the same rule and index as the catalogue, and scores the result (pairwise and BCubed
//! precision/recall/F). A sweep over the knobs is how [`ClusterParams::default`] was chosen.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};
use serde::Serialize;

use crate::analysis::Analyzer;
use crate::models::ModelStore;
use crate::probes::dataset::read_labels;
use crate::probes::features::{describe_examples, Descriptor};
use crate::progress::{CancelToken, JobObserver};
use argus_api::ann::{dot, DEFAULT_PROBES};
use argus_api::people::memory::cluster_embeddings;
use argus_api::people::metrics::{quality, ClusterQuality};
use argus_api::people::ClusterParams;

/// The main face of each labelled photo that has one.
#[derive(Debug, Clone)]
pub struct LabelledFaces {
    pub names: Vec<String>,
    pub labels: Vec<String>,
    /// Unit vectors.
    pub embeddings: Vec<Vec<f32>>,
    /// Photos without a detected face (or unreadable).
    pub missing: Vec<String>,
}

/// Embeds the main face of every photo listed in `dir/labels.csv`.
pub fn embed_labelled(
    store: &ModelStore,
    dir: &Path,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<LabelledFaces> {
    let examples = read_labels(dir)?;
    let mut analyzer = Analyzer::load(
        store,
        &[
            crate::analysis::stages::FACES,
            crate::analysis::stages::EMBEDDING,
        ],
        2,
    )?;
    let described = describe_examples(
        &mut analyzer,
        &examples,
        &[Descriptor::Embedding],
        observer,
        cancel,
    )?;
    let mut out = LabelledFaces {
        names: Vec::new(),
        labels: Vec::new(),
        embeddings: Vec::new(),
        missing: Vec::new(),
    };
    for (example, d) in examples.into_iter().zip(described) {
        match d.filter(|d| !d.embedding.is_empty()) {
            Some(d) => {
                out.names.push(example.name);
                out.labels.push(example.label);
                out.embeddings.push(d.embedding);
            }
            None => out.missing.push(example.name),
        }
    }
    if out.embeddings.is_empty() {
        bail!("no faces found in {}", dir.display());
    }
    Ok(out)
}

/// Clusters the faces (in file order) and scores the result against the labels.
pub fn evaluate(faces: &LabelledFaces, params: &ClusterParams) -> Result<ClusterQuality> {
    Ok(quality(&faces.labels, &cluster(faces, params)?))
}

/// The person each face was put into.
pub fn cluster(faces: &LabelledFaces, params: &ClusterParams) -> Result<Vec<Option<i64>>> {
    Ok(cluster_embeddings(&faces.embeddings, params, DEFAULT_PROBES, 1)?.0)
}

/// One point of a sweep.
#[derive(Debug, Clone, Serialize)]
pub struct SweepPoint {
    pub link_similarity: f32,
    pub min_neighbours: usize,
    pub centroid_similarity: f32,
    pub quality: ClusterQuality,
}

/// Scores every combination of the given link similarities, neighbour counts and growth limits.
pub fn sweep(
    faces: &LabelledFaces,
    similarities: &[f32],
    neighbours: &[usize],
    centroid_similarities: &[f32],
) -> Result<Vec<SweepPoint>> {
    let mut points = Vec::new();
    for &link_similarity in similarities {
        for &min_neighbours in neighbours {
            for &centroid_similarity in centroid_similarities {
                let params = ClusterParams {
                    link_similarity,
                    min_neighbours,
                    centroid_similarity,
                    ..ClusterParams::default()
                };
                points.push(SweepPoint {
                    link_similarity,
                    min_neighbours,
                    centroid_similarity,
                    quality: evaluate(faces, &params)?,
                });
            }
        }
    }
    Ok(points)
}

/// Percentiles of pairwise cosine similarity, same person vs different people: the spread the
/// threshold has to separate (and the benchmark's synthetic embeddings imitate).
#[derive(Debug, Clone, Serialize)]
pub struct SimilaritySpread {
    /// 5th, 25th, 50th, 75th, 95th percentile.
    pub same: [f32; 5],
    pub different: [f32; 5],
    /// Share of different-people pairs above each sweep similarity would be false links.
    pub same_pairs: usize,
    pub different_pairs: usize,
}

pub fn similarity_spread(faces: &LabelledFaces) -> SimilaritySpread {
    let (mut same, mut different) = (Vec::new(), Vec::new());
    let e = &faces.embeddings;
    for i in 0..e.len() {
        for j in i + 1..e.len() {
            let s = dot(&e[i], &e[j]);
            if faces.labels[i] == faces.labels[j] {
                same.push(s);
            } else {
                different.push(s);
            }
        }
    }
    SimilaritySpread {
        same: percentiles(&mut same),
        different: percentiles(&mut different),
        same_pairs: same.len(),
        different_pairs: different.len(),
    }
}

fn percentiles(values: &mut [f32]) -> [f32; 5] {
    values.sort_by(f32::total_cmp);
    let at = |q: f64| {
        if values.is_empty() {
            f32::NAN
        } else {
            values[((values.len() - 1) as f64 * q).round() as usize]
        }
    };
    [at(0.05), at(0.25), at(0.5), at(0.75), at(0.95)]
}

/// People per label count (how many photos each person has), for the report.
pub fn photos_per_person(faces: &LabelledFaces) -> BTreeMap<usize, usize> {
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &faces.labels {
        *per.entry(l).or_default() += 1;
    }
    let mut hist = BTreeMap::new();
    for n in per.values() {
        *hist.entry(*n).or_default() += 1;
    }
    hist
}
