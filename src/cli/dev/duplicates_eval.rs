//! `argus dev duplicates-set` (the near-duplicate evaluation set: originals, their copies and hard
//! negatives, with the truth) and `argus dev eval-duplicates` (the catalogue's duplicate groups
//! against it: precision and recall of the pairs, recall per transform); see
//! `argus_dev::duplicates`.

use std::path::PathBuf;

use clap::Args;

use super::super::output::print_json;
use super::super::Context;
use argus_api::similar::duplicates::{DuplicateOptions, NEAR_SCORE};
use argus_dev::duplicates::{evaluate, photo_files, write_set, DuplicatesReport};

#[derive(Args)]
pub struct DuplicatesSetArgs {
    /// Folders (or files) of original photos (e.g. target/sample-photos target/person-photos)
    #[arg(required = true)]
    originals: Vec<PathBuf>,
    /// Where the set is written (a new folder; add it as a library and scan it)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Seed of the transforms
    #[arg(long, default_value_t = 26)]
    seed: u64,
}

#[derive(Args)]
pub struct EvalDuplicatesArgs {
    /// The set's folder (written by `argus dev duplicates-set`, scanned into the catalogue)
    #[arg(long, value_name = "DIR")]
    set: PathBuf,
    /// The near-copy score (descriptor cosine less 0.01 per differing hash bit)
    #[arg(long, default_value_t = NEAR_SCORE)]
    threshold: f32,
}

pub fn duplicates_set(ctx: &Context, args: DuplicatesSetArgs) -> anyhow::Result<i32> {
    let truth = write_set(&photo_files(&args.originals), &args.out, args.seed)?;
    let photos: usize = truth.families.iter().map(Vec::len).sum();
    if ctx.json {
        print_json(&truth)?;
    } else {
        println!(
            "wrote {photos} photos in {} families into {}",
            truth.families.len(),
            args.out.display()
        );
    }
    Ok(0)
}

pub fn eval_duplicates(ctx: &Context, args: EvalDuplicatesArgs) -> anyhow::Result<i32> {
    let catalog = ctx.open_catalog()?;
    let options = DuplicateOptions {
        near: args.threshold,
        ..DuplicateOptions::default()
    };
    let report = evaluate(&catalog, &args.set, &options)?;
    if ctx.json {
        print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(0)
}

fn print_report(r: &DuplicatesReport) {
    println!(
        "set: {} photos in {} families; {} groups found",
        r.photos, r.families, r.groups
    );
    println!(
        "pairs: {} true, {} predicted, {} correct — precision {:.4}, recall {:.4}",
        r.true_pairs,
        r.predicted_pairs,
        r.correct_pairs,
        r.precision(),
        r.recall()
    );
    for (transform, (found, of)) in &r.recall_by_transform {
        let (s, bits) = r.hardest_copy.get(transform).copied().unwrap_or((0.0, 0));
        println!(
            "  {transform:<8} {found:>4} / {of:<4} grouped with their original (least alike {s:.3}, hash up to {bits} bits)"
        );
    }
    for (s, bits, a, b) in &r.closest_negatives {
        println!("  different photos {s:.3} ({bits:>2} bits)  {a}  {b}");
    }
    for p in &r.false_pairs {
        println!("  false pair {:.3}  {}  {}", p.similarity, p.a, p.b);
    }
    if !r.missing.is_empty() {
        println!(
            "{} files not catalogued or not analysed: {:?}",
            r.missing.len(),
            r.missing
        );
    }
}
