//! `argus dev eval-similar`: "more like this" on a labelled folder scanned into the catalogue — how
//! often the nearest photos share a photo's label, whether the ranking is stable, and the pairs and
//! label agreement at each similarity (see `argus_dev::similar_eval`).

use std::path::PathBuf;

use clap::Args;

use super::super::output::print_json;
use super::super::Context;
use argus_dev::similar_eval::evaluate;

#[derive(Args)]
pub struct EvalSimilarArgs {
    /// A folder with labels.csv and the photos it lists (e.g. intel_scenes), scanned into the catalogue
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// How many nearest photos count
    #[arg(long, default_value_t = 5)]
    k: usize,
}

pub fn eval_similar(ctx: &Context, args: EvalSimilarArgs) -> anyhow::Result<i32> {
    let catalog = ctx.open_catalog()?;
    let r = evaluate(&catalog, &args.data, args.k)?;
    if ctx.json {
        print_json(&r)?;
        return Ok(0);
    }
    println!(
        "{} photos ({} not catalogued): the {} nearest share the photo's label {:.1} % of the time; ranking stable: {}",
        r.photos,
        r.missing,
        r.k,
        r.agreement * 100.0,
        if r.stable { "yes" } else { "no" }
    );
    for (label, (same, of)) in &r.per_label {
        println!(
            "  {label:<12} {:>5.1} %",
            *same as f64 * 100.0 / (*of).max(1) as f64
        );
    }
    println!("similarity  pairs  same label");
    for t in &r.thresholds {
        println!(
            "  >= {:.2} {:>7}  {:>5.1} %",
            t.threshold,
            t.pairs,
            t.same_label * 100.0
        );
    }
    Ok(0)
}
