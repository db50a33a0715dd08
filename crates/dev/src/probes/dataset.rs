//! Labelled face photos for training and evaluating the appearance probes: a folder with
//! `labels.csv` (`file,label`, paths relative to the folder) as in the shared CelebA subsets.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// One labelled photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub path: PathBuf,
    /// The file as written in `labels.csv` (stable across machines: the split and reports use it).
    pub name: String,
    pub label: String,
}

/// Reads `DIR/labels.csv`.
pub fn read_labels(dir: &Path) -> Result<Vec<Example>> {
    let csv = dir.join("labels.csv");
    let text =
        std::fs::read_to_string(&csv).with_context(|| format!("cannot read {}", csv.display()))?;
    let mut examples = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (i == 0 && line.starts_with("file,")) {
            continue;
        }
        let Some((file, label)) = line.rsplit_once(',') else {
            bail!("{}:{}: expected `file,label`", csv.display(), i + 1);
        };
        examples.push(Example {
            path: dir.join(file),
            name: file.to_string(),
            label: label.trim().to_string(),
        });
    }
    if examples.is_empty() {
        bail!("{} lists no photos", csv.display());
    }
    Ok(examples)
}

/// Whether `example` is held back for testing: a fixed share of each label, chosen by a seeded hash
/// of the file name, so the split does not depend on file order or machine.
pub fn is_held_back(name: &str, seed: u64, share: f64) -> bool {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&seed.to_le_bytes());
    hasher.update(name.as_bytes());
    let bytes = hasher.finalize();
    let x = u64::from_le_bytes(bytes.as_bytes()[..8].try_into().expect("8 bytes"));
    (x as f64 / u64::MAX as f64) < share
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labels_and_splits_stably() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("labels.csv"),
            "file,label\nimages/a.jpg,hat\nimages/b.jpg,no_hat\n\n",
        )
        .unwrap();
        let examples = read_labels(dir.path()).unwrap();
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[1].label, "no_hat");
        assert_eq!(examples[0].path, dir.path().join("images/a.jpg"));
        let names: Vec<String> = (0..2000).map(|i| format!("images/{i}.jpg")).collect();
        let held = names.iter().filter(|n| is_held_back(n, 7, 0.25)).count();
        assert!((400..600).contains(&held), "{held}");
        let again = names.iter().filter(|n| is_held_back(n, 7, 0.25)).count();
        assert_eq!(held, again);
        let differs = names
            .iter()
            .filter(|n| is_held_back(n, 7, 0.25) != is_held_back(n, 8, 0.25))
            .count();
        assert!(differs > 100, "another seed, another split");
    }
}
