//! `argus dev eval-persons`: face↔body linking and `carrying:bag` on a hand-labelled set, measured on
//! the catalogue after a scan of the labelled photos (see `argus_dev::persons`).

use std::path::PathBuf;

use clap::Args;

use super::super::output::print_json;
use super::super::Context;
use argus_dev::persons::{evaluate, Labels, PersonsReport, BODY_IOU};

#[derive(Args)]
pub struct EvalPersonsArgs {
    /// The label file (tests/data/persons/labels.toml)
    #[arg(long, value_name = "FILE")]
    labels: PathBuf,
    /// The folder holding the labelled photos, scanned into the catalogue
    /// (scripts/fetch-sample.sh --set persons writes target/person-photos)
    #[arg(long, value_name = "DIR")]
    photos: PathBuf,
    /// Write the composites the labels describe into the photos folder and stop (scan it, then
    /// evaluate)
    #[arg(long)]
    write_composites: bool,
}

/// `argus dev eval-persons`.
pub fn eval_persons(ctx: &Context, args: EvalPersonsArgs) -> anyhow::Result<i32> {
    let labels = Labels::read(&args.labels)?;
    if args.write_composites {
        labels.write_composites(&args.photos)?;
        println!(
            "wrote {} composites into {}; scan it, then run this again without --write-composites",
            labels.composite.len(),
            args.photos.display()
        );
        return Ok(0);
    }
    let catalog = ctx.open_catalog()?;
    let report = evaluate(&catalog, &labels, |file| {
        catalog
            .photo_by_path(&args.photos.join(file))
            .ok()
            .flatten()
            .map(|p| p.id)
    })?;
    if ctx.json {
        print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(0)
}

/// The figures as a table.
fn print_report(r: &PersonsReport) {
    println!(
        "labelled set: {} photos ({} composites), {} persons ({} with a visible face, {} carrying a bag), {} bags nobody carries",
        r.photos, r.composites, r.persons, r.persons_with_face, r.persons_carrying_bag, r.loose_bags
    );
    println!(
        "bodies: {} of {} persons found (IoU >= {BODY_IOU}), {} detected bodies match nobody",
        r.bodies_matched, r.persons, r.bodies_unmatched
    );
    println!(
        "{:<22} {:>5} {:>5} {:>5} {:>10} {:>8}",
        "", "TP", "FP", "FN", "precision", "recall"
    );
    let others = r
        .carrying_other
        .iter()
        .map(|(class, c)| (format!("carrying:{class}"), *c));
    let worn = r
        .wearing
        .iter()
        .map(|(name, c)| (format!("wearing:{name}"), *c));
    let sweep = r
        .wearing_sweep
        .iter()
        .map(|(t, c)| (format!("all clothing @ {t:.2}"), *c));
    let rows = [
        ("face <-> body link".to_string(), r.linking),
        ("carrying:bag".to_string(), r.carrying_bag),
    ]
    .into_iter()
    .chain(others)
    .chain(worn)
    .chain(sweep);
    for (name, c) in rows {
        println!(
            "{:<22} {:>5} {:>5} {:>5} {:>9.1}% {:>7.1}%",
            name,
            c.true_positives,
            c.false_positives,
            c.false_negatives,
            100.0 * c.precision(),
            100.0 * c.recall()
        );
    }
    println!(
        "linking recall is over the {} persons whose body and face were both detected",
        r.linkable
    );
    println!(
        "bag carriers missed: {} with no bag detected on them, {} with a bag detected but not linked; \
         loose bags detected: {} of {}, given to someone: {}",
        r.bag_not_detected,
        r.carrying_bag.false_negatives - r.bag_not_detected.min(r.carrying_bag.false_negatives),
        r.loose_bags_detected,
        r.loose_bags,
        r.loose_bags_carried
    );
}
