//! `argus dev eval-labels`: the labels stage on every photo of a labelled scene folder, scored per
//! class against the labels each class should get.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::vocabulary::{labels, top_class_label, LABEL_THRESHOLD};
use crate::analysis::{scene, Analyzer};
use crate::models::ModelStore;
use crate::probes::dataset::read_labels;
use crate::progress::{CancelToken, JobObserver, JobStage};

/// Which vocabulary labels count as right for a scene class of an evaluation set (Intel image
/// classification's six classes); a class with none is a hole in the vocabulary.
pub fn expected_labels(scene_class: &str) -> &'static [&'static str] {
    match scene_class {
        "buildings" => &["building", "landmark", "bridge", "street"],
        "forest" => &[],
        "glacier" => &["mountain", "snow"],
        "mountain" => &["mountain"],
        "sea" => &["sea", "beach", "landscape"],
        "street" => &["street", "car", "bus", "vehicle", "building"],
        _ => &[],
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LabelEvaluation {
    pub photos: usize,
    pub threshold: f32,
    /// Share of photos with an expected label stored.
    pub right: f64,
    /// Share of photos whose most probable class maps to an expected label.
    pub top1: f64,
    pub classes: Vec<ClassEvaluation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassEvaluation {
    pub class: String,
    pub photos: usize,
    pub expected: Vec<String>,
    pub right: f64,
    pub top1: f64,
    /// The most frequent labels of the most probable class (`-`: a class outside the vocabulary).
    pub top_labels: Vec<(String, usize)>,
}

/// Runs the labels stage on every photo of a labelled folder and scores it per class.
pub fn evaluate_labels(
    store: &ModelStore,
    dir: &Path,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<LabelEvaluation> {
    let examples = read_labels(dir).with_context(|| format!("scene set {}", dir.display()))?;
    let mut analyzer = Analyzer::load(store, &[crate::analysis::stages::LABELS], 2)?;
    observer.stage(JobStage::Analyze, Some(examples.len() as u64));
    let mut per_class: BTreeMap<String, (usize, usize, usize, BTreeMap<String, usize>)> =
        BTreeMap::new();
    for chunk in examples.chunks(64) {
        if cancel.is_cancelled() {
            anyhow::bail!("cancelled");
        }
        let views: Vec<(usize, image::RgbImage)> = chunk
            .par_iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let img = image::open(&e.path).ok()?.to_rgb8();
                scene::photo_view(&img).ok().map(|v| (i, v))
            })
            .collect();
        let crops: Vec<image::RgbImage> = views.iter().map(|(_, v)| v.clone()).collect();
        let outputs = analyzer.scene(&crops)?;
        for ((i, _), out) in views.iter().zip(outputs) {
            let e = &chunk[*i];
            let found = labels(&out.probs);
            let expected = expected_labels(&e.label);
            let entry = per_class.entry(e.label.clone()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(found.iter().any(|l| expected.contains(&l.name.as_str())));
            let best = top_class_label(&out.probs);
            entry.2 += usize::from(expected.contains(&best));
            *entry.3.entry(best.to_string()).or_default() += 1;
        }
        for e in chunk {
            observer.advance(&e.path);
        }
    }
    let photos: usize = per_class.values().map(|c| c.0).sum();
    let classes = per_class
        .into_iter()
        .map(|(class, (n, right, top1, tops))| {
            let mut tops: Vec<(String, usize)> = tops.into_iter().collect();
            tops.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            tops.truncate(4);
            ClassEvaluation {
                expected: expected_labels(&class)
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                class,
                photos: n,
                right: right as f64 / n as f64,
                top1: top1 as f64 / n as f64,
                top_labels: tops,
            }
        })
        .collect::<Vec<_>>();
    let share = |f: fn(&ClassEvaluation) -> f64| {
        classes.iter().map(|c| f(c) * c.photos as f64).sum::<f64>() / photos.max(1) as f64
    };
    Ok(LabelEvaluation {
        photos,
        threshold: LABEL_THRESHOLD,
        right: share(|c| c.right),
        top1: share(|c| c.top1),
        classes,
    })
}
