//! `argus people …`: list and curate the people faces were grouped into, cluster new faces, re-cluster,
//! and measure clustering quality on labelled photos.

use std::path::PathBuf;

use clap::Subcommand;
use serde::Serialize;

use argus::catalog::{Catalog, Person, PersonFace, SplitTarget};
use argus::people::eval::{embed_labelled, photos_per_person, similarity_spread, sweep};
use argus::people::job::{cluster_new_faces, recluster, ClusterReport};
use argus::people::suggest::{faces_for, people_for};
use argus::people::ClusterParams;

use super::output::print_json;
use super::progress_bar::ScanProgress;
use super::{cancel_on_ctrl_c, Context};

#[derive(Subcommand)]
pub enum PeopleCommand {
    /// People with their face and photo counts (named first)
    List {
        /// Include hidden people
        #[arg(long)]
        all: bool,
    },
    /// One person (id or name) and their faces
    Show { person: String },
    /// Name a person (an empty name clears it)
    Name { person: String, name: String },
    /// Merge people into the first one given; their faces become confirmed
    Merge {
        into: String,
        #[arg(required = true)]
        others: Vec<String>,
    },
    /// Move faces out of a person into a new person (or --to another); they never go back
    Split {
        person: String,
        /// Face ids to move (comma-separated)
        #[arg(long, value_delimiter = ',', required = true)]
        faces: Vec<i64>,
        /// Move them to this person instead of a new one
        #[arg(long, conflicts_with = "name")]
        to: Option<String>,
        /// Name of the new person
        #[arg(long)]
        name: Option<String>,
    },
    /// Take faces out of their people for good (remembered through re-clustering)
    Reject {
        #[arg(required = true, value_delimiter = ',')]
        faces: Vec<i64>,
    },
    /// Confirm faces as a person's (e.g. accepted suggestions)
    Confirm {
        person: String,
        #[arg(required = true, value_delimiter = ',')]
        faces: Vec<i64>,
    },
    /// Hide a person from lists (--show to undo)
    Hide {
        person: String,
        #[arg(long)]
        show: bool,
    },
    /// Choose the face that represents a person
    Cover { person: String, face: i64 },
    /// Suggestions: unassigned faces likely to be this person, and named people an unnamed one resembles
    Suggest {
        person: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Group faces no clustering has seen yet (runs after analysis by itself)
    Cluster,
    /// Re-cluster everything; names, confirmed faces, rejections, hidden people and covers stay
    Recluster,
    /// Cluster the main faces of a labelled folder (labels.csv: file,person) and print
    /// pairwise and BCubed precision/recall/F
    Eval {
        /// Folder with labels.csv and the photos it lists
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Also try a grid of link similarities and neighbour counts
        #[arg(long)]
        sweep: bool,
    },
}

pub fn run(ctx: &Context, cmd: PeopleCommand) -> anyhow::Result<i32> {
    if let PeopleCommand::Eval { data, sweep } = cmd {
        return eval(ctx, &data, sweep);
    }
    let mut catalog = ctx.open_catalog()?;
    let params = ClusterParams::default();
    match cmd {
        PeopleCommand::List { all } => {
            let people = catalog.people(all)?;
            if ctx.json {
                print_json(&people)?;
            } else if people.is_empty() {
                println!(
                    "no people yet: run `argus scan` (or `argus analyze`) on a library with faces"
                );
            } else {
                println!(
                    "{:>6}  {:<24} {:>6} {:>6} {:>9}  cover",
                    "id", "name", "faces", "photos", "confirmed"
                );
                for p in &people {
                    print_person_line(p);
                }
            }
        }
        PeopleCommand::Show { person } => {
            let person = catalog.find_person(&person)?;
            let faces = catalog.person_faces(person.id)?;
            if ctx.json {
                #[derive(Serialize)]
                struct Shown<'a> {
                    #[serde(flatten)]
                    person: &'a Person,
                    face_list: &'a [PersonFace],
                }
                print_json(&Shown {
                    person: &person,
                    face_list: &faces,
                })?;
            } else {
                print_person_line(&person);
                for f in &faces {
                    println!(
                        "  face {:>6}  {}  score {:.2}{}",
                        f.face_id,
                        f.path,
                        f.score,
                        if f.confirmed { "  confirmed" } else { "" }
                    );
                }
            }
        }
        PeopleCommand::Name { person, name } => {
            let p = catalog.find_person(&person)?;
            catalog.name_person(p.id, Some(&name))?;
            done(ctx, &catalog, p.id)?;
        }
        PeopleCommand::Merge { into, others } => {
            let into = catalog.find_person(&into)?.id;
            let others = others
                .iter()
                .map(|o| catalog.find_person(o).map(|p| p.id))
                .collect::<Result<Vec<_>, _>>()?;
            catalog.merge_people(into, &others)?;
            done(ctx, &catalog, into)?;
        }
        PeopleCommand::Split {
            person,
            faces,
            to,
            name,
        } => {
            let from = catalog.find_person(&person)?.id;
            let target = match to {
                Some(to) => SplitTarget::Existing(catalog.find_person(&to)?.id),
                None => SplitTarget::New(name),
            };
            let target = catalog.split_person(from, &faces, target)?;
            done(ctx, &catalog, target)?;
        }
        PeopleCommand::Reject { faces } => {
            let from = catalog.reject_faces(&faces)?;
            if ctx.json {
                print_json(&serde_json::json!({ "rejected": faces, "from": from }))?;
            } else {
                for (face, person) in faces.iter().zip(&from) {
                    println!("face {face} rejected from person {person}");
                }
            }
        }
        PeopleCommand::Confirm { person, faces } => {
            let p = catalog.find_person(&person)?;
            catalog.confirm_faces(p.id, &faces)?;
            done(ctx, &catalog, p.id)?;
        }
        PeopleCommand::Hide { person, show } => {
            let p = catalog.find_person(&person)?;
            catalog.hide_person(p.id, !show)?;
            done(ctx, &catalog, p.id)?;
        }
        PeopleCommand::Cover { person, face } => {
            let p = catalog.find_person(&person)?;
            catalog.set_cover(p.id, face)?;
            done(ctx, &catalog, p.id)?;
        }
        PeopleCommand::Suggest { person, limit } => {
            let p = catalog.find_person(&person)?;
            let faces = faces_for(&catalog, p.id, limit)?;
            let people = people_for(&catalog, p.id, limit.min(5))?;
            if ctx.json {
                print_json(&serde_json::json!({ "person": p, "faces": faces, "people": people }))?;
            } else {
                print_person_line(&p);
                if people.is_empty() && faces.is_empty() {
                    println!("  no suggestions");
                }
                for s in &people {
                    println!(
                        "  looks like person {} '{}' (similarity {:.2}): `argus people merge {} {}`",
                        s.person.id,
                        s.person.name.as_deref().unwrap_or(""),
                        s.similarity,
                        s.person.id,
                        p.id
                    );
                }
                for s in &faces {
                    println!(
                        "  face {:>6}  similarity {:.2}  {}",
                        s.face.face_id, s.similarity, s.face.path
                    );
                }
                if !faces.is_empty() {
                    let ids: Vec<String> =
                        faces.iter().map(|s| s.face.face_id.to_string()).collect();
                    println!(
                        "  confirm all: argus people confirm {} {}",
                        p.id,
                        ids.join(",")
                    );
                }
            }
        }
        PeopleCommand::Cluster => {
            let report = cluster_new_faces(&mut catalog, &params, &embedding_version(ctx))?;
            print_report(ctx, &report)?;
        }
        PeopleCommand::Recluster => {
            let report = recluster(&mut catalog, &params, &embedding_version(ctx))?;
            print_report(ctx, &report)?;
        }
        PeopleCommand::Eval { .. } => unreachable!("handled above"),
    }
    Ok(0)
}

/// The embedding model version the stored embeddings come from (what clustering compares).
pub fn embedding_version(ctx: &Context) -> String {
    argus::analysis::stages::EMBEDDING.version(&ctx.models())
}

pub fn print_cluster_line(r: &ClusterReport) {
    if r.pending == 0 {
        return;
    }
    println!(
        "people     {} new faces placed ({} joined people, {} in {} new people, {} alone); {} people, {:.2} s",
        r.pending,
        r.placement.joined,
        r.placement.grown,
        r.placement.new_people,
        r.placement.left_alone,
        r.people,
        r.seconds
    );
}

fn print_report(ctx: &Context, report: &ClusterReport) -> anyhow::Result<()> {
    if ctx.json {
        print_json(report)
    } else {
        println!(
            "{} clustering of {} faces ({} placed, {} people dissolved first): {} joined people, {} in {} new people, {} left alone",
            report.mode,
            report.faces,
            report.pending,
            report.dissolved,
            report.placement.joined,
            report.placement.grown,
            report.placement.new_people,
            report.placement.left_alone
        );
        println!(
            "  {} neighbourhood queries compared {} embeddings ({} cells); {} people; {:.2} s",
            report.placement.queries, report.compared, report.cells, report.people, report.seconds
        );
        Ok(())
    }
}

fn print_person_line(p: &Person) {
    println!(
        "{:>6}  {:<24} {:>6} {:>6} {:>9}  {}{}",
        p.id,
        p.name.as_deref().unwrap_or("(unnamed)"),
        p.faces,
        p.photos,
        p.confirmed_faces,
        p.cover_face_id.map_or("-".into(), |f| format!("face {f}")),
        if p.hidden { "  hidden" } else { "" }
    );
}

/// Prints the person after a decision.
fn done(ctx: &Context, catalog: &Catalog, person: i64) -> anyhow::Result<()> {
    match catalog.person(person)? {
        Some(p) if ctx.json => print_json(&p),
        Some(p) => {
            print_person_line(&p);
            Ok(())
        }
        None if ctx.json => print_json(&serde_json::Value::Null),
        None => {
            println!("person {person} no longer exists");
            Ok(())
        }
    }
}

fn eval(ctx: &Context, data: &std::path::Path, with_sweep: bool) -> anyhow::Result<i32> {
    let progress = ScanProgress::new(ctx.json, ctx.json);
    let faces = embed_labelled(&ctx.models(), data, &progress, &cancel_on_ctrl_c());
    progress.finish();
    let faces = faces?;
    let params = ClusterParams::default();
    let quality = argus::people::eval::evaluate(&faces, &params)?;
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
