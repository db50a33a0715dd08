//! `argus similar PHOTO` (the photos most like one photo) and `argus duplicates` (exact copies, near
//! copies and bursts, grouped, each with the photo to keep first).

use clap::{Args, Subcommand};
use serde::Serialize;

use super::output::{count, human_bytes, print_json};
use super::photos::find_photo;
use super::Context;
use argus_api::lookalike::{
    dismiss_duplicates, duplicate_groups, most_like, stack_duplicates, unstack,
};
use argus_api::similar::duplicates::{DuplicateOptions, NEAR_SCORE};
use argus_api::similar::DuplicateGroup;

#[derive(Args)]
pub struct SimilarArgs {
    /// The photo, by catalogue id or path
    photo: String,
    /// How many photos to list
    #[arg(long, default_value_t = 20)]
    limit: usize,
}

#[derive(Args)]
pub struct DuplicatesArgs {
    #[command(subcommand)]
    action: Option<DuplicatesAction>,
    /// How alike two photos must be to be copies: their descriptors' cosine less 0.01 per bit their
    /// perceptual hashes differ in (0–1); lower finds more (and looser) copies
    #[arg(long, default_value_t = NEAR_SCORE)]
    threshold: f32,
    /// Leave bursts (one scene seconds apart) out
    #[arg(long)]
    no_bursts: bool,
    /// Print only the paths of the photos that could go (every group's members but its first), one
    /// per line, for your own clean-up (with --json: those photos)
    #[arg(long)]
    others: bool,
}

pub fn similar(ctx: &Context, args: SimilarArgs) -> anyhow::Result<i32> {
    let catalog = ctx.open_catalog()?;
    let photo = find_photo(&catalog, &args.photo)?;
    let found = most_like(&catalog, photo.id, args.limit)?;
    if ctx.json {
        print_json(&found)?;
        return Ok(0);
    }
    if found.is_empty() {
        println!("no other photo has a descriptor yet");
    }
    for s in &found {
        println!(
            "{:.3}  {:>6}  {}",
            s.similarity,
            s.photo.id,
            s.photo.path.display()
        );
    }
    Ok(0)
}

#[derive(Serialize)]
struct DuplicatesJson<'a> {
    groups: &'a [DuplicateGroup],
    /// Photos that could go (every member but the best of each group).
    others: usize,
}

/// What to do about a group (photos by id or path). Argus never deletes or moves a file.
#[derive(Subcommand)]
enum DuplicatesAction {
    /// Keep one photo and stack the others behind it: they leave the grid and search, and stay
    /// in the catalogue
    Stack {
        /// The photo to keep
        keep: String,
        /// The copies to stack behind it
        #[arg(required = true)]
        others: Vec<String>,
    },
    /// Bring a stacked photo back to the grid (a kept photo: its whole stack)
    Unstack { photo: String },
    /// These photos are not duplicates: never group them together again
    Dismiss {
        #[arg(required = true, num_args = 2..)]
        photos: Vec<String>,
    },
}

#[derive(Serialize)]
struct Changed {
    changed: usize,
}

fn act(ctx: &Context, action: DuplicatesAction) -> anyhow::Result<i32> {
    let mut catalog = ctx.open_catalog()?;
    let id = |what: &str| find_photo(&catalog, what).map(|p| p.id);
    let (changed, what) = match action {
        DuplicatesAction::Stack { keep, others } => {
            let keep = id(&keep)?;
            let others = others
                .iter()
                .map(|o| id(o))
                .collect::<anyhow::Result<Vec<_>>>()?;
            (stack_duplicates(&mut catalog, keep, &others)?, "stacked")
        }
        DuplicatesAction::Unstack { photo } => {
            let photo = id(&photo)?;
            (unstack(&mut catalog, photo)?, "back in the grid")
        }
        DuplicatesAction::Dismiss { photos } => {
            let photos = photos
                .iter()
                .map(|p| id(p))
                .collect::<anyhow::Result<Vec<_>>>()?;
            (
                dismiss_duplicates(&mut catalog, &photos)?,
                "pairs remembered as not duplicates",
            )
        }
    };
    if ctx.json {
        print_json(&Changed { changed })?;
    } else {
        println!("{changed} {what}");
    }
    Ok(0)
}

pub fn duplicates(ctx: &Context, args: DuplicatesArgs) -> anyhow::Result<i32> {
    if let Some(action) = args.action {
        return act(ctx, action);
    }
    if !(0.0..=1.0).contains(&args.threshold) {
        anyhow::bail!(
            "--threshold is a similarity between 0 and 1 (got {})",
            args.threshold
        );
    }
    let catalog = ctx.open_catalog()?;
    let options = DuplicateOptions {
        near: args.threshold,
        bursts: !args.no_bursts,
    };
    let groups = duplicate_groups(&catalog, &options)?;
    let others: usize = groups.iter().map(|g| g.members.len() - 1).sum();
    if args.others {
        let photos: Vec<_> = groups
            .iter()
            .flat_map(|g| g.members.iter().skip(1).map(|m| &m.photo))
            .collect();
        if ctx.json {
            print_json(&photos)?;
        } else {
            for p in photos {
                println!("{}", p.path.display());
            }
        }
        return Ok(0);
    }
    if ctx.json {
        print_json(&DuplicatesJson {
            groups: &groups,
            others,
        })?;
        return Ok(0);
    }
    for (n, group) in groups.iter().enumerate() {
        println!(
            "group {} · {} · {}",
            n + 1,
            group.kind.name(),
            count(group.members.len() as u64, "photo")
        );
        for (i, m) in group.members.iter().enumerate() {
            let p = &m.photo;
            println!(
                "  {} {:>6}  {:.3}  {:>9}  {}×{}  {:<5} {}  sharpness {:.0}  {}",
                if i == 0 { "keep" } else { "    " },
                p.id,
                m.similarity,
                human_bytes(p.size),
                p.width.unwrap_or(0),
                p.height.unwrap_or(0),
                p.format.as_deref().unwrap_or("?"),
                p.exif.taken_at.as_deref().unwrap_or("undated"),
                m.sharpness,
                p.path.display()
            );
        }
    }
    println!(
        "{} · {} could go (Argus never deletes: export the list with --json)",
        count(groups.len() as u64, "group"),
        count(others as u64, "other photo")
    );
    Ok(0)
}
