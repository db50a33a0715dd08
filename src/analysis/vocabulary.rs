//! From EfficientNet-Lite0's 1,000 ImageNet classes to the labels people browse by (`cat` for the
//! cat breeds, `car`, `beach`, `food` …), as listed in `models/imagenet-vocabulary.tsv` (compiled in).
//! A label scores the summed probability of its classes, a parent label (`animal`, `vehicle`, `food`
//! …) that of its children too. Labels at or above [`LABEL_THRESHOLD`] are kept when one of their
//! classes alone reaches [`MIN_CLASS`]: a sum over many classes collects noise (forest photos scored
//! `animal` up to 0.4 and `dog` 0.15+ from a hundred breeds at 1–2 % each). The most likely raw classes
//! are kept beside the labels. [`evaluate_labels`] measures it on a labelled scene folder.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;

use super::{scene, Analyzer, Stage};
use crate::models::ModelStore;
use crate::probes::dataset::read_labels;
use crate::progress::{CancelToken, ScanObserver, ScanStage};

const TABLE: &str = include_str!("../../models/imagenet-vocabulary.tsv");
/// Mapped labels with at least this score are stored (like the auto-tagging of other managers).
pub const LABEL_THRESHOLD: f32 = 0.15;
/// A label also needs one of its classes at this probability (not only many faint ones).
pub const MIN_CLASS: f32 = 0.08;
/// Raw classes stored beside the labels: the top few with at least this probability.
pub const CLASS_THRESHOLD: f32 = 0.1;
pub const MAX_CLASSES: usize = 3;

/// One ImageNet class and where it goes.
#[derive(Debug, Clone)]
pub struct ClassEntry {
    pub name: String,
    pub label: Option<String>,
    pub parent: Option<String>,
}

/// A label or raw class found in a photo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundLabel {
    pub name: String,
    pub score: f32,
}

/// The 1,000 classes in index order.
pub fn classes() -> &'static [ClassEntry] {
    static CLASSES: OnceLock<Vec<ClassEntry>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let dash = |s: &str| (s != "-").then(|| s.to_string());
        let entries: Vec<ClassEntry> = TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("index\t"))
            .map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                assert_eq!(cols.len(), 4, "imagenet-vocabulary.tsv: {l}");
                ClassEntry {
                    name: cols[1].to_string(),
                    label: dash(cols[2]),
                    parent: dash(cols[3]),
                }
            })
            .collect();
        assert_eq!(
            entries.len(),
            1000,
            "imagenet-vocabulary.tsv lists 1000 classes"
        );
        entries
    })
}

/// Every label of the vocabulary (with parents), sorted.
pub fn vocabulary() -> Vec<&'static str> {
    let mut all: Vec<&str> = classes()
        .iter()
        .flat_map(|c| c.label.iter().chain(&c.parent).map(String::as_str))
        .collect();
    all.sort();
    all.dedup();
    all
}

/// Every label's score (summed class probabilities) and its strongest single class, highest first.
pub fn label_scores(probs: &[f32]) -> Vec<(FoundLabel, f32)> {
    let mut scores: BTreeMap<&str, (f32, f32)> = BTreeMap::new();
    for (entry, &p) in classes().iter().zip(probs) {
        for name in entry.label.iter().chain(&entry.parent) {
            let s = scores.entry(name.as_str()).or_default();
            s.0 += p;
            s.1 = s.1.max(p);
        }
    }
    let mut out: Vec<(FoundLabel, f32)> = scores
        .into_iter()
        .map(|(name, (score, strongest))| {
            let label = FoundLabel {
                name: name.to_string(),
                score: score.min(1.0),
            };
            (label, strongest)
        })
        .collect();
    out.sort_by(|a, b| {
        b.0.score
            .total_cmp(&a.0.score)
            .then(a.0.name.cmp(&b.0.name))
    });
    out
}

/// Whether a label has child labels (`animal`, `vehicle`, `landscape` …).
pub fn is_parent(label: &str) -> bool {
    static PARENTS: OnceLock<Vec<&'static str>> = OnceLock::new();
    PARENTS
        .get_or_init(|| {
            let mut all: Vec<&str> = classes()
                .iter()
                .filter_map(|c| c.parent.as_deref())
                .collect();
            all.sort();
            all.dedup();
            all
        })
        .contains(&label)
}

/// The labels to store: at or above [`LABEL_THRESHOLD`], with a class at [`MIN_CLASS`].
pub fn labels(probs: &[f32]) -> Vec<FoundLabel> {
    label_scores(probs)
        .into_iter()
        .filter(|(l, strongest)| l.score >= LABEL_THRESHOLD && *strongest >= MIN_CLASS)
        .map(|(l, _)| l)
        .collect()
}

/// The label of the most probable class (`-` when that class has none).
pub fn top_class_label(probs: &[f32]) -> &'static str {
    probs
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .and_then(|(i, _)| classes().get(i))
        .and_then(|c| c.label.as_deref())
        .unwrap_or("-")
}

/// The most likely raw classes (up to [`MAX_CLASSES`], at least [`CLASS_THRESHOLD`]).
pub fn top_classes(probs: &[f32]) -> Vec<FoundLabel> {
    let mut order: Vec<usize> = (0..probs.len().min(1000)).collect();
    order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
    order
        .into_iter()
        .take(MAX_CLASSES)
        .filter(|&i| probs[i] >= CLASS_THRESHOLD)
        .map(|i| FoundLabel {
            name: classes()[i].name.clone(),
            score: probs[i],
        })
        .collect()
}

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
    observer: &dyn ScanObserver,
    cancel: &CancelToken,
) -> Result<LabelEvaluation> {
    let examples = read_labels(dir).with_context(|| format!("scene set {}", dir.display()))?;
    let mut analyzer = Analyzer::load(store, &[Stage::Labels], 2)?;
    observer.stage(ScanStage::Analyze, Some(examples.len() as u64));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_maps_breeds_to_labels_and_parents() {
        let c = classes();
        assert_eq!(c[281].label.as_deref(), Some("cat"));
        assert_eq!(c[281].parent.as_deref(), Some("animal"));
        assert_eq!(c[967].label.as_deref(), Some("coffee"));
        assert!(vocabulary().contains(&"dog"));
        let mut probs = vec![0.0f32; 1000];
        probs[281] = 0.1; // tabby
        probs[282] = 0.1; // tiger cat
        probs[967] = 0.05; // espresso
        let found = labels(&probs);
        assert_eq!(found[0].name, "animal");
        assert!((found[0].score - 0.2).abs() < 1e-6);
        assert_eq!(found[1].name, "cat");
        assert!(is_parent("animal") && !is_parent("cat"));
        assert!(
            !found.iter().any(|l| l.name == "coffee"),
            "below the threshold"
        );
        // 0.2 spread over twenty dog breeds at 1 % each: noise, not a dog.
        let mut faint = vec![0.0f32; 1000];
        faint[151..171].iter_mut().for_each(|p| *p = 0.01);
        assert!(labels(&faint).is_empty(), "{:?}", labels(&faint));
        let top = top_classes(&probs);
        assert_eq!(top.len(), 2);
        assert_eq!(top[0].name, c[281].name);
    }
}
