//! `argus dev people-eval` (also `argus people eval` in a dev build): face grouping measured on
//! labelled folders — each one, and all of them together (a crowded set) when given several — with
//! a sweep of the knobs and a simulated curation (what the user's confirmations and rejections
//! teach a re-clustering).

use std::path::PathBuf;

use clap::Args;

use argus_api::people::metrics::{ClusterQuality, Prf};
use argus_api::people::ClusterParams;
use argus_dev::people::eval::{
    embed_labelled, evaluate, photos_per_person, similarity_spread, sweep, LabelledFaces,
};
use argus_dev::people::teach::teach;

use crate::cli::output::print_json;
use crate::cli::progress_bar::ScanProgress;
use crate::cli::{cancel_on_ctrl_c, Context};

#[derive(Args)]
pub struct PeopleEvalArgs {
    /// Folder with labels.csv and the photos it lists (repeat for several sets: each is scored, and
    /// all of them together)
    #[arg(long, value_name = "DIR", required = true)]
    data: Vec<PathBuf>,
    /// Also try a grid of link similarities, neighbour counts and growth limits
    #[arg(long)]
    sweep: bool,
    /// Simulate a user who names people, rejects wrong faces and confirms up to N faces per person
    /// found elsewhere, then re-cluster with prototypes and rejection radii on and off
    #[arg(long, value_name = "N")]
    teach: Option<usize>,
}

/// `argus dev people-eval`.
pub fn people_eval(ctx: &Context, args: PeopleEvalArgs) -> anyhow::Result<i32> {
    let mut sets: Vec<(String, LabelledFaces)> = Vec::new();
    for dir in &args.data {
        let progress = ScanProgress::new(ctx.json, ctx.json);
        let faces = embed_labelled(&ctx.models(), dir, &progress, &cancel_on_ctrl_c());
        progress.finish();
        let name = dir
            .file_name()
            .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into());
        sets.push((name, faces?));
    }
    if sets.len() > 1 {
        sets.push(("all".into(), together(&sets)));
    }
    let mut reports = Vec::new();
    for (name, faces) in &sets {
        reports.push(report(ctx, name, faces, &args)?);
    }
    if ctx.json {
        print_json(&reports)?;
    }
    Ok(0)
}

/// Every set's faces in one, labels prefixed with the set's name.
fn together(sets: &[(String, LabelledFaces)]) -> LabelledFaces {
    let mut all = LabelledFaces {
        names: Vec::new(),
        labels: Vec::new(),
        embeddings: Vec::new(),
        missing: Vec::new(),
    };
    for (set, faces) in sets {
        let prefix = |s: &String| format!("{set}/{s}");
        all.names.extend(faces.names.iter().map(prefix));
        all.labels.extend(faces.labels.iter().map(prefix));
        all.embeddings.extend(faces.embeddings.iter().cloned());
        all.missing.extend(faces.missing.iter().map(prefix));
    }
    all
}

fn report(
    ctx: &Context,
    set: &str,
    faces: &LabelledFaces,
    args: &PeopleEvalArgs,
) -> anyhow::Result<serde_json::Value> {
    let params = ClusterParams::default();
    let quality = evaluate(faces, &params)?;
    let spread = similarity_spread(faces);
    let grid = if args.sweep {
        sweep(
            faces,
            &[0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7],
            &[1, 2, 3],
            &[0.0, 0.5, 0.55, 0.6, 0.65],
        )?
    } else {
        Vec::new()
    };
    let taught = match args.teach {
        Some(confirm) => Some(teach(
            faces,
            &params,
            confirm,
            &[0.0, 0.5, 0.55, 0.56, 0.57, 0.58, 0.6, 0.65],
            &[0.0, 0.6],
        )?),
        None => None,
    };
    let people = faces
        .labels
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if ctx.json {
        return Ok(serde_json::json!({
            "set": set,
            "faces": faces.embeddings.len(),
            "people": people,
            "missing": faces.missing,
            "params": params,
            "quality": quality,
            "similarity": spread,
            "sweep": grid,
            "teach": taught.map(|(before, curation, points)| serde_json::json!({
                "before": before, "curation": curation, "after": points,
            })),
        }));
    }
    println!("== {set}");
    println!(
        "{} faces of {} people ({} photos without a face); photos per person: {:?}",
        faces.embeddings.len(),
        people,
        faces.missing.len(),
        photos_per_person(faces)
    );
    println!(
        "similarity percentiles 5/25/50/75/95: same person {:.2?}, different people {:.2?}",
        spread.same, spread.different
    );
    println!(
        "link similarity {} · min neighbours {} · growth limit {}: {}",
        params.link_similarity,
        params.min_neighbours,
        params.centroid_similarity,
        line(&quality)
    );
    if !grid.is_empty() {
        println!(
            "sweep: link  neighbours  growth  clusters  alone  pairwise P/R/F        BCubed P/R/F"
        );
        for p in &grid {
            println!(
                "       {:.2}  {:>10}  {:>6.2}  {}",
                p.link_similarity,
                p.min_neighbours,
                p.centroid_similarity,
                columns(&p.quality)
            );
        }
    }
    if let Some((before, curation, points)) = taught {
        println!(
            "curation: {} people named, {} faces rejected, {} confirmed; before: {}",
            curation.named,
            curation.rejections,
            curation.confirmations,
            line(&before)
        );
        println!("re-clustered: prototypes  rejection radius  clusters  alone  pairwise P/R/F        BCubed P/R/F");
        for p in &points {
            println!(
                "              {:>10.2}  {:>16.2}  {}",
                p.prototype_similarity,
                p.rejected_radius,
                columns(&p.quality)
            );
        }
    }
    Ok(serde_json::Value::Null)
}

fn line(q: &ClusterQuality) -> String {
    format!(
        "{} clusters, {} faces alone; pairwise P/R/F {} · BCubed P/R/F {}",
        q.clusters,
        q.singletons,
        prf(&q.pairwise),
        prf(&q.bcubed)
    )
}

fn columns(q: &ClusterQuality) -> String {
    format!(
        "{:>8}  {:>5}  {}  {}",
        q.clusters,
        q.singletons,
        prf(&q.pairwise),
        prf(&q.bcubed)
    )
}

fn prf(p: &Prf) -> String {
    format!("{:.3}/{:.3}/{:.3}", p.precision, p.recall, p.f)
}
