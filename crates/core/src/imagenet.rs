//! EfficientNet-Lite0's 1,000 ImageNet classes and the labels people browse by that each maps to
//! (`cat` for the cat breeds, with its parent `animal`), as listed in `models/imagenet-vocabulary.tsv`
//! (compiled in). Analysis scores labels with it; the catalogue generator draws labels from it.

use std::sync::OnceLock;

const TABLE: &str = include_str!("../../../models/imagenet-vocabulary.tsv");

/// One ImageNet class and where it goes.
#[derive(Debug, Clone)]
pub struct ClassEntry {
    pub name: String,
    pub label: Option<String>,
    pub parent: Option<String>,
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
