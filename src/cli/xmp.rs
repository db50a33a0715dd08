//! `argus xmp write`: Argus's people, labels, attributes and keywords into XMP sidecars beside the
//! photos (merged with what other tools wrote there; photos are never touched).

use std::collections::BTreeSet;

use clap::{Args, Subcommand};

use argus_api::sidecars::{
    write_sidecars, SidecarNaming, SidecarPart, SidecarReport, SidecarRequest, SidecarSettings,
};

use super::output::print_json;
use super::progress_bar::ScanProgress;
use super::{cancel_on_ctrl_c, Context};

#[derive(Subcommand)]
pub enum XmpCommand {
    /// Write XMP sidecars: named people as MWG face regions, labels and attributes as keywords
    Write(WriteArgs),
}

#[derive(Args)]
pub struct WriteArgs {
    /// Only the photos this search finds (default: every photo)
    #[arg(long, short)]
    query: Option<String>,
    /// What to write: people, labels, attributes, keywords (comma-separated; default: all)
    #[arg(long, value_delimiter = ',')]
    what: Vec<String>,
    /// How new sidecars are named: name.ext.xmp (digiKam, darktable) or name.xmp (Lightroom).
    /// A photo's existing sidecar is updated whatever its naming. Default: the app's setting
    /// (name.ext.xmp unless changed)
    #[arg(long)]
    naming: Option<String>,
    /// The root of Argus's hierarchical keywords (Argus/People/Ana, Argus/Labels/cat …). Default: the
    /// app's setting (Argus unless changed)
    #[arg(long)]
    root: Option<String>,
    /// Print what would change; write nothing
    #[arg(long)]
    dry_run: bool,
}

pub fn run(ctx: &Context, cmd: XmpCommand) -> anyhow::Result<i32> {
    match cmd {
        XmpCommand::Write(args) => write(ctx, args),
    }
}

fn write(ctx: &Context, args: WriteArgs) -> anyhow::Result<i32> {
    let mut catalog = ctx.open_catalog()?;
    let settings = SidecarSettings::load(&catalog)?;
    let naming = match &args.naming {
        Some(name) => SidecarNaming::from_name(name).ok_or_else(|| {
            anyhow::anyhow!("--naming must be name.ext.xmp or name.xmp, not '{name}'")
        })?,
        None => settings.naming,
    };
    let root = args.root.clone().unwrap_or(settings.keyword_root);
    let parts: BTreeSet<SidecarPart> = if args.what.is_empty() {
        SidecarPart::ALL.into_iter().collect()
    } else {
        args.what
            .iter()
            .map(|w| {
                SidecarPart::from_name(w).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--what: '{w}' is not one of people, labels, attributes, keywords"
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?
    };
    if root.trim().trim_matches('/').is_empty() {
        anyhow::bail!("--root needs a name (the keywords' top level)");
    }
    let request = SidecarRequest {
        query: args.query.clone().unwrap_or_default(),
        parts,
        naming,
        keyword_root: root,
        dry_run: args.dry_run,
    };
    let progress = ScanProgress::new(false, ctx.json);
    let cancel = cancel_on_ctrl_c();
    let report = write_sidecars(&mut catalog, &ctx.thumbs(), &request, &progress, &cancel);
    progress.finish();
    let report = match report {
        Ok(r) => r,
        Err(argus_api::Error::Query(e)) => {
            return super::search::report_query_error(ctx, args.query.as_deref(), &e)
        }
        Err(e) => return Err(e.into()),
    };
    if ctx.json {
        print_json(&report)?;
    } else {
        print_summary(&report, args.dry_run);
    }
    Ok(if report.cancelled {
        130
    } else if report.problems.is_empty() {
        0
    } else {
        1
    })
}

fn print_summary(r: &SidecarReport, dry_run: bool) {
    for change in &r.changes {
        let verb = match (dry_run, change.created) {
            (true, true) => "would create",
            (true, false) => "would update",
            (false, true) => "created",
            (false, false) => "updated",
        };
        println!("{verb} {}", change.sidecar.display());
        for line in &change.diff {
            println!("    {line}");
        }
    }
    println!(
        "sidecars   {} {}, {} already up to date, {} read again first (changed by another tool) — {} photos",
        r.written,
        if dry_run { "would change" } else { "written" },
        r.unchanged,
        r.reread,
        r.photos
    );
    for p in &r.problems {
        println!("  problem {}: {}", p.path.display(), p.reason);
    }
    if r.cancelled {
        eprintln!("cancelled: the sidecars written so far are complete");
    }
}
