//! `argus dev train-attributes` and `argus dev eval-labels`: the appearance probes and scene labels
//! measured on labelled photos.

use std::path::PathBuf;

use clap::Args;

use argus_dev::probes::label_eval::{evaluate_labels, LabelEvaluation};
use argus_dev::probes::model::ProbeSet;
use argus_dev::probes::train::{train, Repeated, TrainOptions};

use crate::cli::output::print_json;
use crate::cli::progress_bar::ScanProgress;
use crate::cli::{cancel_on_ctrl_c, Context};

#[derive(Args)]
pub struct TrainArgs {
    /// Folder holding the CelebA subsets the probes learn from (celeba_glasses/, celeba_hair_colour/,
    /// celeba_necktie/ …, each with labels.csv; ../shared/datasets has them)
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
    /// Train and report only this probe (e.g. hair_colour), to measure it; not with --out
    #[arg(long, value_name = "ID", conflicts_with = "out")]
    only: Option<String>,
}

#[derive(Args)]
pub struct EvalLabelsArgs {
    /// A folder with labels.csv and the photos it lists (e.g. intel_scenes)
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
}

/// `argus dev train-attributes`.
pub fn train_attributes(ctx: &Context, args: TrainArgs) -> anyhow::Result<i32> {
    let TrainArgs {
        data,
        out,
        seed,
        repeats,
        only,
    } = args;
    let store = ctx.models();
    let options = TrainOptions {
        seed,
        repeats,
        only,
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

/// `argus dev eval-labels`.
pub fn eval_labels(ctx: &Context, args: EvalLabelsArgs) -> anyhow::Result<i32> {
    let data = args.data;
    let store = ctx.models();
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
