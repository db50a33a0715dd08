//! What curation teaches the clustering, measured on labelled faces: a simulated user corrects the
//! people a first clustering made, then everything is re-clustered with their decisions kept (as
//! `argus people recluster` does), and the result is scored against the labels.
//!
//! The simulated user names each label's *home* person (the person holding most of that label's
//! faces; each person is home to one label at most), rejects every face of another label from it,
//! and confirms up to `confirm` faces of the label found elsewhere (or left alone) into it — or,
//! for a label without a home, puts up to `confirm` of its faces into a new named person. People
//! nobody named are dissolved before re-clustering, like untouched people in the catalogue.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Result;
use serde::Serialize;

use super::eval::{cluster, LabelledFaces};
use argus_api::people::memory::MemoryStore;
use argus_api::people::metrics::{quality, ClusterQuality};
use argus_api::people::placement::FaceNode;
use argus_api::people::ClusterParams;

/// The user's simulated decisions.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Curation {
    /// The person of each face after the decisions (before re-clustering).
    #[serde(skip)]
    pub people: Vec<Option<i64>>,
    #[serde(skip)]
    pub confirmed: Vec<bool>,
    #[serde(skip)]
    pub rejected: HashSet<(i64, i64)>,
    pub named: usize,
    pub confirmations: usize,
    pub rejections: usize,
}

/// One way of re-clustering after the same decisions.
#[derive(Debug, Clone, Serialize)]
pub struct TeachPoint {
    pub prototype_similarity: f32,
    pub rejected_radius: f32,
    pub quality: ClusterQuality,
}

/// Decides like a user who curated the first clustering `first` (see the module doc).
pub fn curate(faces: &LabelledFaces, first: &[Option<i64>], confirm: usize) -> Curation {
    let mut counts: BTreeMap<(i64, &str), usize> = BTreeMap::new();
    for (person, label) in first.iter().zip(&faces.labels) {
        if let Some(p) = person {
            *counts.entry((*p, label.as_str())).or_default() += 1;
        }
    }
    let mut pairs: Vec<((i64, &str), usize)> = counts.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut home_of_label: HashMap<&str, i64> = HashMap::new();
    let mut label_of_home: HashMap<i64, &str> = HashMap::new();
    for ((person, label), _) in pairs {
        if !home_of_label.contains_key(label) && !label_of_home.contains_key(&person) {
            home_of_label.insert(label, person);
            label_of_home.insert(person, label);
        }
    }
    let mut out = Curation {
        people: vec![None; first.len()],
        confirmed: vec![false; first.len()],
        named: label_of_home.len(),
        ..Curation::default()
    };
    for (i, person) in first.iter().enumerate() {
        let Some(p) = person else { continue };
        match label_of_home.get(p) {
            Some(label) if *label == faces.labels[i] => out.people[i] = Some(*p),
            Some(_) => {
                out.rejected.insert((i as i64, *p));
                out.rejections += 1;
            }
            None => {} // an unnamed person: dissolved
        }
    }
    let mut next_new = first.iter().flatten().max().copied().unwrap_or(0) + 1;
    let mut by_label: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, label) in faces.labels.iter().enumerate() {
        by_label.entry(label).or_default().push(i);
    }
    for (label, members) in by_label {
        let home = match home_of_label.get(label) {
            Some(&p) => p,
            None if members.len() >= 2 => {
                next_new += 1;
                out.named += 1;
                next_new
            }
            None => continue,
        };
        for &i in members
            .iter()
            .filter(|&&i| first[i] != Some(home))
            .take(confirm)
        {
            out.people[i] = Some(home);
            out.confirmed[i] = true;
            out.confirmations += 1;
        }
    }
    out
}

/// Re-clusters after the decisions with `params` and scores the result.
pub fn recluster_after(
    faces: &LabelledFaces,
    curation: &Curation,
    params: &ClusterParams,
) -> Result<ClusterQuality> {
    let nodes: Vec<FaceNode> = faces
        .embeddings
        .iter()
        .enumerate()
        .map(|(i, e)| FaceNode {
            person: curation.people[i],
            confirmed: curation.confirmed[i],
            ..FaceNode::alone(i as i64, e)
        })
        .collect();
    let order: Vec<i64> = nodes
        .iter()
        .filter(|n| n.person.is_none())
        .map(|n| n.id)
        .collect();
    let mut store = MemoryStore::new(nodes, &curation.rejected, 1);
    store.place_all(&order, params)?;
    let people: Vec<Option<i64>> = store.nodes().iter().map(|n| n.person).collect();
    Ok(quality(&faces.labels, &people))
}

/// The first clustering, the decisions, and the re-clustering under each combination of prototype
/// similarities and rejection radii (0: off).
pub fn teach(
    faces: &LabelledFaces,
    params: &ClusterParams,
    confirm: usize,
    prototype_similarities: &[f32],
    rejected_radii: &[f32],
) -> Result<(ClusterQuality, Curation, Vec<TeachPoint>)> {
    let first = cluster(faces, params)?;
    let before = quality(&faces.labels, &first);
    let curation = curate(faces, &first, confirm);
    let mut points = Vec::new();
    for &prototype_similarity in prototype_similarities {
        for &rejected_radius in rejected_radii {
            let params = ClusterParams {
                prototype_similarity,
                rejected_radius,
                ..*params
            };
            points.push(TeachPoint {
                prototype_similarity,
                rejected_radius,
                quality: recluster_after(faces, &curation, &params)?,
            });
        }
    }
    Ok((before, curation, points))
}
