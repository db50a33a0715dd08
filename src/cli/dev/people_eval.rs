//! `argus dev people-eval`: face grouping measured on a labelled folder.

use std::path::PathBuf;

use clap::Args;

use argus_api::people::ClusterParams;
use argus_dev::people::eval::{
    embed_labelled, evaluate, photos_per_person, similarity_spread, sweep,
};

use crate::cli::output::print_json;
use crate::cli::progress_bar::ScanProgress;
use crate::cli::{cancel_on_ctrl_c, Context};

#[derive(Args)]
pub struct PeopleEvalArgs {
    /// Folder with labels.csv and the photos it lists
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Also try a grid of link similarities and neighbour counts
    #[arg(long)]
    sweep: bool,
}

/// `argus dev people-eval`.
pub fn people_eval(ctx: &Context, args: PeopleEvalArgs) -> anyhow::Result<i32> {
    let (data, with_sweep) = (args.data.as_path(), args.sweep);
    let progress = ScanProgress::new(ctx.json, ctx.json);
    let faces = embed_labelled(&ctx.models(), data, &progress, &cancel_on_ctrl_c());
    progress.finish();
    let faces = faces?;
    let params = ClusterParams::default();
    let quality = evaluate(&faces, &params)?;
    let spread = similarity_spread(&faces);
    let grid = if with_sweep {
        sweep(
            &faces,
            &[0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65],
            &[1, 2, 3],
            &[0.0, 0.5, 0.55, 0.6, 0.65],
        )?
    } else {
        Vec::new()
    };
    if ctx.json {
        print_json(&serde_json::json!({
            "faces": faces.embeddings.len(),
            "people": faces.labels.iter().collect::<std::collections::BTreeSet<_>>().len(),
            "missing": faces.missing,
            "params": params,
            "quality": quality,
            "similarity": spread,
            "sweep": grid,
        }))?;
        return Ok(0);
    }
    let people = faces
        .labels
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    println!(
        "{} faces of {} people ({} photos without a face); photos per person: {:?}",
        faces.embeddings.len(),
        people,
        faces.missing.len(),
        photos_per_person(&faces)
    );
    println!(
        "similarity percentiles 5/25/50/75/95: same person {:.2?}, different people {:.2?}",
        spread.same, spread.different
    );
    println!(
        "link similarity {} · min neighbours {} · growth limit {}: {} clusters, {} faces alone",
        params.link_similarity,
        params.min_neighbours,
        params.centroid_similarity,
        quality.clusters,
        quality.singletons
    );
    println!(
        "  pairwise P {:.3} R {:.3} F {:.3} · BCubed P {:.3} R {:.3} F {:.3}",
        quality.pairwise.precision,
        quality.pairwise.recall,
        quality.pairwise.f,
        quality.bcubed.precision,
        quality.bcubed.recall,
        quality.bcubed.f
    );
    if !grid.is_empty() {
        println!(
            "sweep: link  neighbours  growth  clusters  alone  pairwise P/R/F        BCubed P/R/F"
        );
        for p in &grid {
            let q = &p.quality;
            println!(
                "       {:.2}  {:>10}  {:>6.2}  {:>8}  {:>5}  {:.3}/{:.3}/{:.3}  {:.3}/{:.3}/{:.3}",
                p.link_similarity,
                p.min_neighbours,
                p.centroid_similarity,
                q.clusters,
                q.singletons,
                q.pairwise.precision,
                q.pairwise.recall,
                q.pairwise.f,
                q.bcubed.precision,
                q.bcubed.recall,
                q.bcubed.f
            );
        }
    }
    Ok(0)
}
