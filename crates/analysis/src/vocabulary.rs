//! From EfficientNet-Lite0's 1,000 ImageNet classes to the labels people browse by (`cat` for the
//! cat breeds, `car`, `beach`, `food` …), as listed in `models/imagenet-vocabulary.tsv` (compiled in).
//! A label scores the summed probability of its classes, a parent label (`animal`, `vehicle`, `food`
//! …) that of its children too. Labels at or above [`LABEL_THRESHOLD`] are kept when one of their
//! classes alone reaches [`MIN_CLASS`]: a sum over many classes collects noise (forest photos scored
//! `animal` up to 0.4 and `dog` 0.15+ from a hundred breeds at 1–2 % each). The most likely raw classes
//! are kept beside the labels. The dev tools measure it on a labelled scene folder.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

pub use argus_core::imagenet::{classes, vocabulary, ClassEntry};

/// Mapped labels with at least this score are stored (like the auto-tagging of other managers).
pub const LABEL_THRESHOLD: f32 = 0.15;
/// A label also needs one of its classes at this probability (not only many faint ones).
pub const MIN_CLASS: f32 = 0.08;
/// Raw classes stored beside the labels: the top few with at least this probability.
pub const CLASS_THRESHOLD: f32 = 0.1;
pub const MAX_CLASSES: usize = 3;

/// A label or raw class found in a photo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundLabel {
    pub name: String,
    pub score: f32,
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
