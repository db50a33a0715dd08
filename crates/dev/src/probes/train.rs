//! Training the appearance probes from labelled photos: descriptors by the pipeline's own models, a
//! seeded held-back split, model selection (descriptor set and regularisation) by cross-validation
//! on the training split only, a threshold calibrated on out-of-fold predictions, and metrics on the
//! held-back photos. The same data and seed give the same probe set.
//!
//! One held-back split of a few hundred photos measures accuracy to about ±3 points, so on request
//! the whole procedure (selection included) is also repeated on more seeded splits, for the mean and
//! spread of held-back accuracy.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::Serialize;

use super::dataset::{is_held_back, read_labels, Example};
use super::features::{describe_examples, Descriptor, FaceDescriptors};
use super::logistic::{fit, Linear};
use super::model::{AttributeMetrics, Candidate, Metrics, Probe, ProbeAttribute, ProbeSet};
use crate::analysis::Analyzer;
use crate::models::ModelStore;
use crate::progress::{CancelToken, JobObserver};

/// What to train: a data set folder, the classes of its labels to use, the attributes it yields.
pub struct Task {
    pub id: &'static str,
    pub dataset: &'static str,
    pub classes: &'static [&'static str],
    /// `(attribute name, class index)`.
    pub attributes: &'static [(&'static str, usize)],
    /// Also add up to [`WOMEN_NEGATIVES`] faces from [`WOMEN_FROM`] that faceres calls female
    /// with P(male) < [`FEMALE_BELOW`], as class 0 (the facial-hair set has only men: without them
    /// the probes call some women bearded).
    pub women_as_negatives: bool,
    /// Descriptor sets tried for this probe besides [`CANDIDATES`].
    pub extra_candidates: &'static [&'static [Descriptor]],
}

pub const WOMEN_NEGATIVES: usize = 200;
/// The data sets the borrowed women come from: fixed, so that adding a probe's data set does not
/// change which women the facial-hair probes learn from.
pub const WOMEN_FROM: &[&str] = &["celeba_glasses", "celeba_hat", "celeba_smiling"];
pub const FEMALE_BELOW: f32 = 0.05;

/// The probes Argus trains, on the CelebA subsets of the shared data sets.
pub const TASKS: &[Task] = &[
    Task {
        id: "glasses",
        dataset: "celeba_glasses",
        classes: &["no_glasses", "eyeglasses", "sunglasses"],
        attributes: &[("eyeglasses", 1), ("sunglasses", 2)],
        women_as_negatives: false,
        extra_candidates: &[],
    },
    Task {
        id: "beard",
        dataset: "celeba_facial_hair",
        classes: &["clean_shaven", "beard_or_goatee"],
        attributes: &[("beard", 1)],
        women_as_negatives: true,
        extra_candidates: &[],
    },
    Task {
        id: "mustache",
        dataset: "celeba_facial_hair",
        classes: &["clean_shaven", "mustache_only"],
        attributes: &[("mustache", 1)],
        women_as_negatives: true,
        extra_candidates: &[],
    },
    Task {
        id: "smile",
        dataset: "celeba_smiling",
        classes: &["not_smiling", "smiling"],
        attributes: &[("smile", 1)],
        women_as_negatives: false,
        extra_candidates: &[],
    },
    Task {
        id: "hat",
        dataset: "celeba_hat",
        classes: &["no_hat", "hat"],
        attributes: &[("hat", 1)],
        women_as_negatives: false,
        extra_candidates: &[],
    },
    Task {
        id: "hair_colour",
        dataset: "celeba_hair_colour",
        classes: &["black", "blond", "brown", "gray", "bald"],
        attributes: &[
            ("black_hair", 0),
            ("blond_hair", 1),
            ("brown_hair", 2),
            ("gray_hair", 3),
            ("bald", 4),
        ],
        women_as_negatives: false,
        extra_candidates: HAIR_CANDIDATES,
    },
    Task {
        id: "bangs",
        dataset: "celeba_bangs",
        classes: &["no_bangs", "bangs"],
        attributes: &[("bangs", 1)],
        women_as_negatives: false,
        extra_candidates: &[],
    },
    Task {
        id: "hair_texture",
        dataset: "celeba_hair_texture",
        classes: &["straight", "wavy"],
        attributes: &[("straight_hair", 0), ("wavy_hair", 1)],
        women_as_negatives: false,
        extra_candidates: &[],
    },
    Task {
        id: "earrings",
        dataset: "celeba_earrings",
        classes: &["no_earrings", "earrings"],
        attributes: &[("earrings", 1)],
        women_as_negatives: false,
        extra_candidates: &[],
    },
    Task {
        id: "necklace",
        dataset: "celeba_necklace",
        classes: &["no_necklace", "necklace"],
        attributes: &[("necklace", 1)],
        women_as_negatives: false,
        extra_candidates: &[],
    },
    Task {
        id: "necktie",
        dataset: "celeba_necktie",
        classes: &["no_necktie", "necktie"],
        attributes: &[("necktie", 1)],
        women_as_negatives: false,
        extra_candidates: &[],
    },
];

/// Descriptor sets tried for every probe (the identity embedding is left out: it is trained to
/// ignore exactly these attributes, and measured worst).
pub const CANDIDATES: &[&[Descriptor]] = &[
    &[Descriptor::Faceres],
    &[Descriptor::Faceres, Descriptor::Emotion],
    &[Descriptor::Faceres, Descriptor::Head],
    &[Descriptor::Faceres, Descriptor::Head, Descriptor::Emotion],
];
/// More sets tried for the hair-colour probe: the hair's own colour statistics, and the network's
/// features of the hair view.
pub const HAIR_CANDIDATES: &[&[Descriptor]] = &[
    &[Descriptor::Faceres, Descriptor::Hair],
    &[Descriptor::Faceres, Descriptor::Head, Descriptor::Hair],
    &[Descriptor::Faceres, Descriptor::Hair, Descriptor::HairView],
    &[
        Descriptor::Faceres,
        Descriptor::Head,
        Descriptor::Hair,
        Descriptor::HairView,
    ],
];
/// Regularisation strengths tried (scikit-learn's C on standardised features). Cross-validation
/// picks the smallest for the smallest sets (about 200 training faces against 1000–2300 features:
/// earrings, necklace, necktie) and for smile; it raised their held-back mean over 10 splits by
/// 0.8–2.4 points.
pub const CS: &[f64] = &[0.001, 0.01, 0.1];
pub const FOLDS: u64 = 5;

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub seed: u64,
    pub held_back: f64,
    pub threads: usize,
    /// How many more splits (seeds `seed + 1 …`) to repeat training on for [`Repeated`] estimates.
    pub repeats: u64,
    /// Train only the probe with this id (to measure it; the set made is not the product's).
    pub only: Option<String>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            seed: 20261123,
            held_back: 0.25,
            threads: 2,
            repeats: 0,
            only: None,
        }
    }
}

/// The trained probe set, and the repeated-split estimates when asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Training {
    #[serde(flatten)]
    pub set: ProbeSet,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repeated: Vec<Repeated>,
}

/// A probe's held-back accuracy (on its own data set) over repeated seeded splits, each with its own
/// model selection: what one split's figure would be on average, and how much it varies.
#[derive(Debug, Clone, Serialize)]
pub struct Repeated {
    pub probe: String,
    pub seeds: Vec<u64>,
    pub accuracies: Vec<f64>,
    pub mean: f64,
    pub sd: f64,
    pub min: f64,
    pub max: f64,
}

impl Repeated {
    fn new(probe: &str, seeds: Vec<u64>, accuracies: Vec<f64>) -> Repeated {
        let n = accuracies.len().max(1) as f64;
        let mean = accuracies.iter().sum::<f64>() / n;
        let var = accuracies.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        Repeated {
            probe: probe.into(),
            min: accuracies.iter().copied().fold(f64::INFINITY, f64::min),
            max: accuracies.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            seeds,
            accuracies,
            mean,
            sd: var.sqrt(),
        }
    }
}

/// One labelled face: its descriptors and class index.
struct Sample {
    name: String,
    class: usize,
    descriptors: FaceDescriptors,
    /// Borrowed from another data set (the women negatives).
    borrowed: bool,
}

/// Trains every probe in [`TASKS`] from the data set folders under `data`.
pub fn train(
    store: &ModelStore,
    data: &Path,
    options: &TrainOptions,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<Training> {
    let tasks: Vec<&Task> = TASKS
        .iter()
        .filter(|t| options.only.as_deref().is_none_or(|id| t.id == id))
        .collect();
    if tasks.is_empty() {
        let ids: Vec<&str> = TASKS.iter().map(|t| t.id).collect();
        bail!(
            "no probe is called {:?}; the probes are {}",
            options.only.as_deref().unwrap_or_default(),
            ids.join(", ")
        );
    }
    // Each task's data set, and the sets the borrowed women come from.
    let mut wanted_sets: Vec<&str> = Vec::new();
    for task in &tasks {
        wanted_sets.push(task.dataset);
        if task.women_as_negatives {
            wanted_sets.extend(WOMEN_FROM);
        }
    }
    let mut datasets: BTreeMap<&str, Vec<Example>> = BTreeMap::new();
    for name in wanted_sets {
        if !datasets.contains_key(name) {
            let dir = data.join(name);
            let examples = read_labels(&dir)
                .with_context(|| format!("data set {name} (under {})", data.display()))?;
            datasets.insert(name, examples);
        }
    }
    let stages = [
        crate::analysis::stages::FACES,
        crate::analysis::stages::DEMOGRAPHICS,
        crate::analysis::stages::EMOTION,
        crate::analysis::stages::LABELS,
    ];
    let mut analyzer = Analyzer::load(store, &stages, options.threads)?;
    let wanted = [
        Descriptor::Faceres,
        Descriptor::Head,
        Descriptor::Emotion,
        Descriptor::Hair,
        Descriptor::HairView,
    ];
    let mut described: BTreeMap<&str, Vec<(Example, FaceDescriptors)>> = BTreeMap::new();
    for (name, examples) in &datasets {
        let found = describe_examples(&mut analyzer, examples, &wanted, observer, cancel)?;
        let with_faces: Vec<(Example, FaceDescriptors)> = examples
            .iter()
            .cloned()
            .zip(found)
            .filter_map(|(e, d)| d.map(|d| (e, d)))
            .collect();
        if with_faces.len() < examples.len() / 2 {
            bail!(
                "{name}: a face was found in only {} of {} photos",
                with_faces.len(),
                examples.len()
            );
        }
        described.insert(name, with_faces);
    }

    let mut probes = Vec::new();
    let mut repeated = Vec::new();
    for task in tasks {
        let mut samples: Vec<Sample> = described[task.dataset]
            .iter()
            .filter_map(|(e, d)| {
                let class = task.classes.iter().position(|c| *c == e.label)?;
                Some(Sample {
                    name: e.name.clone(),
                    class,
                    descriptors: d.clone(),
                    borrowed: false,
                })
            })
            .collect();
        if task.women_as_negatives {
            samples.extend(women(&described, task.dataset));
        }
        probes.push(train_probe(task, &samples, options)?);
        if options.repeats > 0 {
            let seeds: Vec<u64> = (1..=options.repeats).map(|r| options.seed + r).collect();
            let mut accuracies = Vec::new();
            for &seed in &seeds {
                if cancel.is_cancelled() {
                    bail!("cancelled");
                }
                let split = TrainOptions {
                    seed,
                    ..options.clone()
                };
                accuracies.push(train_probe(task, &samples, &split)?.metrics.own_accuracy);
            }
            repeated.push(Repeated::new(task.id, seeds, accuracies));
        }
    }
    let mut set = ProbeSet {
        version: String::new(),
        dataset: format!("CelebA subsets ({})", dataset_names().join(", ")),
        trained: utc_date(std::time::SystemTime::now()),
        seed: options.seed,
        held_back: options.held_back,
        probes,
    };
    set.version = weights_version(&set);
    Ok(Training { set, repeated })
}

/// The data set folders [`TASKS`] read, each once, in order.
pub fn dataset_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = Vec::new();
    for task in TASKS {
        if !names.contains(&task.dataset) {
            names.push(task.dataset);
        }
    }
    names
}

/// Faces of [`WOMEN_FROM`] (but `except`) that faceres is sure are women, as class-0 samples (names
/// prefixed with their data set), the first [`WOMEN_NEGATIVES`] by name.
fn women(described: &BTreeMap<&str, Vec<(Example, FaceDescriptors)>>, except: &str) -> Vec<Sample> {
    let mut found: Vec<Sample> = described
        .iter()
        .filter(|(name, _)| **name != except && WOMEN_FROM.contains(name))
        .flat_map(|(name, faces)| {
            faces
                .iter()
                .filter(|(_, d)| d.male.is_some_and(|m| m < FEMALE_BELOW))
                .map(move |(e, d)| Sample {
                    name: format!("{name}/{}", e.name),
                    class: 0,
                    descriptors: d.clone(),
                    borrowed: true,
                })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found.truncate(WOMEN_NEGATIVES);
    found
}

/// A short hash of the probes' weights and thresholds (not the date), so retraining to the same
/// weights keeps the version and analysis results.
pub fn weights_version(set: &ProbeSet) -> String {
    let mut hasher = blake3::Hasher::new();
    for p in &set.probes {
        let part = (&p.id, &p.descriptors, &p.classifier, &p.attributes);
        hasher.update(
            serde_json::to_string(&part)
                .expect("serialisable")
                .as_bytes(),
        );
    }
    hasher.finalize().to_hex()[..12].to_string()
}

fn train_probe(task: &Task, samples: &[Sample], options: &TrainOptions) -> Result<Probe> {
    let (train, test): (Vec<&Sample>, Vec<&Sample>) = samples
        .iter()
        .partition(|s| !is_held_back(&s.name, options.seed, options.held_back));
    let fold_of = |s: &Sample| fold(&s.name, options.seed);
    let classes = task.classes.len();

    // Model selection on the training split: every (descriptor set, C) scored by k-fold accuracy.
    let candidates: Vec<&[Descriptor]> = CANDIDATES
        .iter()
        .chain(task.extra_candidates)
        .copied()
        .collect();
    let configs: Vec<(usize, f64)> = (0..candidates.len())
        .flat_map(|c| CS.iter().map(move |&reg| (c, reg)))
        .collect();
    let scored: Vec<Result<(f64, Vec<Vec<f32>>)>> = configs
        .par_iter()
        .map(|&(candidate, c)| out_of_fold(&train, candidates[candidate], classes, c, &fold_of))
        .collect();
    let mut best: Option<(usize, f64, f64, Vec<Vec<f32>>)> = None;
    let mut selection = Vec::new();
    for (&(candidate, c), result) in configs.iter().zip(scored) {
        let (accuracy, oof) = result?;
        selection.push(Candidate {
            descriptors: candidates[candidate].to_vec(),
            c,
            cv_accuracy: accuracy,
        });
        if best.as_ref().is_none_or(|b| accuracy > b.2 + 1e-12) {
            best = Some((candidate, c, accuracy, oof));
        }
    }
    let (candidate, c, cv_accuracy, oof) = best.expect("at least one configuration");
    let descriptors = candidates[candidate].to_vec();

    let (x, y) = training_rows(train.iter().copied(), &descriptors);
    let classifier = fit(&x, &y, classes, c, &widths(&train, &descriptors))?;
    let train_y: Vec<usize> = train.iter().map(|s| s.class).collect();

    let attributes: Vec<ProbeAttribute> = task
        .attributes
        .iter()
        .map(|&(name, class)| ProbeAttribute {
            name: name.into(),
            class,
            threshold: calibrate(&oof, &train_y, class),
        })
        .collect();

    let test_probs: Vec<Vec<f32>> = test
        .iter()
        .map(|s| classifier.probabilities(&s.descriptors.vector(&descriptors)))
        .collect();
    let test_y: Vec<usize> = test.iter().map(|s| s.class).collect();
    let own: Vec<usize> = (0..test.len()).filter(|&i| !test[i].borrowed).collect();
    let own_accuracy = argmax_accuracy(
        &own.iter()
            .map(|&i| test_probs[i].clone())
            .collect::<Vec<_>>(),
        &own.iter().map(|&i| test_y[i]).collect::<Vec<_>>(),
    );
    let metrics = Metrics {
        train: train.len(),
        held_back: test.len(),
        cv_accuracy,
        selection,
        accuracy: argmax_accuracy(&test_probs, &test_y),
        own_accuracy,
        borrowed_held_back: test.len() - own.len(),
        confusion: confusion(&test_probs, &test_y, classes),
        attributes: attributes
            .iter()
            .map(|a| attribute_metrics(&a.name, &test_probs, &test_y, a.class, a.threshold))
            .collect(),
    };
    Ok(Probe {
        id: task.id.into(),
        dataset: task.dataset.into(),
        classes: task.classes.iter().map(|c| c.to_string()).collect(),
        descriptors,
        c,
        classifier,
        attributes,
        metrics,
    })
}

/// Feature rows and classes of samples.
fn training_rows<'a>(
    samples: impl Iterator<Item = &'a Sample>,
    descriptors: &[Descriptor],
) -> (Vec<Vec<f32>>, Vec<usize>) {
    samples
        .map(|s| (s.descriptors.vector(descriptors), s.class))
        .unzip()
}

/// The width of each descriptor's block of features (all samples have the same).
fn widths(samples: &[&Sample], descriptors: &[Descriptor]) -> Vec<usize> {
    samples
        .first()
        .map_or_else(Vec::new, |s| s.descriptors.widths(descriptors))
}

/// The cross-validation fold of a sample (seeded hash of its name).
fn fold(name: &str, seed: u64) -> u64 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"fold");
    hasher.update(&seed.to_le_bytes());
    hasher.update(name.as_bytes());
    let bytes = hasher.finalize();
    u64::from_le_bytes(bytes.as_bytes()[..8].try_into().expect("8 bytes")) % FOLDS
}

/// Mean fold accuracy and every training sample's out-of-fold class probabilities.
fn out_of_fold(
    train: &[&Sample],
    descriptors: &[Descriptor],
    classes: usize,
    c: f64,
    fold_of: &(dyn Fn(&Sample) -> u64 + Sync),
) -> Result<(f64, Vec<Vec<f32>>)> {
    let mut oof = vec![Vec::new(); train.len()];
    let mut accuracies = Vec::new();
    for k in 0..FOLDS {
        let (fit_idx, eval_idx): (Vec<usize>, Vec<usize>) =
            (0..train.len()).partition(|&i| fold_of(train[i]) != k);
        if eval_idx.is_empty() {
            continue;
        }
        let (x, y) = training_rows(fit_idx.iter().map(|&i| train[i]), descriptors);
        let model: Linear = fit(&x, &y, classes, c, &widths(train, descriptors))?;
        let mut correct = 0;
        for &i in &eval_idx {
            let p = model.probabilities(&train[i].descriptors.vector(descriptors));
            correct += usize::from(argmax(&p) == train[i].class);
            oof[i] = p;
        }
        accuracies.push(correct as f64 / eval_idx.len() as f64);
    }
    Ok((
        accuracies.iter().sum::<f64>() / accuracies.len() as f64,
        oof,
    ))
}

/// The threshold on `class`'s probability that is right most often on out-of-fold predictions
/// (ties go to the one nearest 0.5).
pub fn calibrate(probs: &[Vec<f32>], y: &[usize], class: usize) -> f32 {
    let mut best = (0usize, 0.5f32);
    for step in 5..=95 {
        let t = step as f32 / 100.0;
        let right = probs
            .iter()
            .zip(y)
            .filter(|(p, &k)| (p[class] >= t) == (k == class))
            .count();
        let nearer = (t - 0.5).abs() < (best.1 - 0.5).abs();
        if right > best.0 || (right == best.0 && nearer) {
            best = (right, t);
        }
    }
    best.1
}

fn argmax(p: &[f32]) -> usize {
    p.iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}

fn argmax_accuracy(probs: &[Vec<f32>], y: &[usize]) -> f64 {
    let right = probs.iter().zip(y).filter(|(p, &k)| argmax(p) == k).count();
    right as f64 / y.len().max(1) as f64
}

fn confusion(probs: &[Vec<f32>], y: &[usize], classes: usize) -> Vec<Vec<usize>> {
    let mut m = vec![vec![0; classes]; classes];
    for (p, &k) in probs.iter().zip(y) {
        m[k][argmax(p)] += 1;
    }
    m
}

fn attribute_metrics(
    name: &str,
    probs: &[Vec<f32>],
    y: &[usize],
    class: usize,
    threshold: f32,
) -> AttributeMetrics {
    let (mut tp, mut fp, mut tn, mut fn_) = (0usize, 0usize, 0usize, 0usize);
    for (p, &k) in probs.iter().zip(y) {
        match (p[class] >= threshold, k == class) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, false) => tn += 1,
            (false, true) => fn_ += 1,
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    AttributeMetrics {
        name: name.into(),
        accuracy: ratio(tp + tn, tp + tn + fp + fn_),
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn_),
    }
}

/// `YYYY-MM-DD` (UTC) of a time (days-to-civil, proleptic Gregorian).
pub fn utc_date(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_thresholds() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_435_200);
        assert_eq!(utc_date(t), "2026-11-23");
        assert_eq!(utc_date(std::time::UNIX_EPOCH), "1970-01-01");
        let probs = vec![
            vec![0.8, 0.2],
            vec![0.7, 0.3],
            vec![0.4, 0.6],
            vec![0.3, 0.7],
        ];
        // Class 1 is right from 0.31 to 0.6; the nearest to 0.5 of those wins.
        assert_eq!(calibrate(&probs, &[0, 0, 1, 1], 1), 0.5);
        let skewed = vec![
            vec![0.9, 0.1],
            vec![0.8, 0.2],
            vec![0.75, 0.25],
            vec![0.7, 0.3],
        ];
        let t = calibrate(&skewed, &[0, 0, 1, 1], 1);
        assert!(t > 0.2 && t <= 0.25, "{t}");
    }
}
