//! `argus people …`: list and curate the people faces were grouped into, cluster new faces, re-cluster
//! (`argus people eval`, measuring the grouping on labelled photos, is a dev tool: `dev::people_eval`).

use clap::Subcommand;
use serde::Serialize;

use argus_api::catalog::{Catalog, Person, PersonFace, SplitTarget};
use argus_api::metadata::NormBox;
use argus_api::people::decisions::{self, Assigned};
use argus_api::people::job::{cluster_new_faces, recluster, ClusterReport};
use argus_api::people::suggest::{faces_for, people_for};
use argus_api::people::ClusterParams;

use super::output::print_json;
use super::Context;

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
    /// Say who faces are: they join the person of that name (created when there is none)
    Assign {
        #[arg(required = true, value_delimiter = ',')]
        faces: Vec<i64>,
        #[arg(long)]
        name: String,
    },
    /// Add a face the detector missed: a box on the photo (x,y,w,h, 0..1 of the upright photo) and a name
    AddFace {
        /// Photo id or path
        photo: String,
        #[arg(
            long = "box",
            value_delimiter = ',',
            required = true,
            allow_negative_numbers = true
        )]
        area: Vec<f64>,
        #[arg(long)]
        name: String,
    },
    /// Remove a face added by hand
    RemoveFace { face: i64 },
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
}

pub fn run(ctx: &Context, cmd: PeopleCommand) -> anyhow::Result<i32> {
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
            let assigned = decisions::confirm(&mut catalog, p.id, &faces)?;
            done_assigning(ctx, &catalog, &assigned)?;
        }
        PeopleCommand::Assign { faces, name } => {
            let assigned = decisions::assign_to_name(&mut catalog, &faces, &name)?;
            done_assigning(ctx, &catalog, &assigned)?;
        }
        PeopleCommand::AddFace { photo, area, name } => {
            let photo = super::photos::find_photo(&catalog, &photo)?;
            let [x, y, w, h] = area[..] else {
                anyhow::bail!("--box takes four numbers, x,y,w,h (0..1 of the upright photo)");
            };
            let face = catalog.add_manual_face(photo.id, NormBox { x, y, w, h }, &name)?;
            let person = catalog
                .faces_of(photo.id)?
                .into_iter()
                .find(|f| f.id == face)
                .and_then(|f| f.person_id)
                .unwrap_or_default();
            if !ctx.json {
                println!("face {face} added to photo {}", photo.id);
            }
            done(ctx, &catalog, person)?;
        }
        PeopleCommand::RemoveFace { face } => {
            catalog.remove_manual_face(face)?;
            if ctx.json {
                print_json(&serde_json::json!({ "removed": face }))?;
            } else {
                println!("face {face} removed");
            }
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
    }
    Ok(0)
}

/// The embedding model version the stored embeddings come from (what clustering compares).
pub fn embedding_version(ctx: &Context) -> String {
    argus_api::analysis::stages::EMBEDDING.version(&ctx.models())
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
/// As [`done`], with the photos that now show the person twice (JSON: `shown_twice`).
fn done_assigning(ctx: &Context, catalog: &Catalog, assigned: &Assigned) -> anyhow::Result<()> {
    let person = catalog.person(assigned.person)?;
    if ctx.json {
        let mut value = serde_json::to_value(&person)?;
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "shown_twice".into(),
                serde_json::to_value(&assigned.shown_twice)?,
            );
            object.insert("notes".into(), serde_json::to_value(&assigned.notes)?);
        }
        return print_json(&value);
    }
    done(ctx, catalog, assigned.person)?;
    for note in &assigned.notes {
        println!("note: {note}");
    }
    Ok(())
}

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
