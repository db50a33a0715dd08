//! `argus export`: crops of a selection at several aspect ratios, keeping faces in frame.

use std::path::PathBuf;

use clap::{ArgGroup, Args};

use argus_api::export::{
    export, parse_color, select, Aspect, ExportReport, ExportRequest, FocusMode, OutputFormat,
    Selection, Target, DEFAULT_TEMPLATE, MAX_SIDE,
};
use argus_api::media::raw::RawPixels;

use super::output::{count, print_json};
use super::progress_bar::ScanProgress;
use super::{cancel_on_ctrl_c, Context};

#[derive(Args)]
#[command(group(ArgGroup::new("selection").required(true).args(["query", "person", "ids"])))]
pub struct ExportArgs {
    /// Export the photos this search finds ('beard and sunglasses year:2024', '-beard')
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true, value_parser = super::search::query_value)]
    query: Option<String>,
    /// Export the photos of this person (name or id); the crops frame that person
    #[arg(long, value_name = "NAME")]
    person: Option<String>,
    /// Export these photos (ids, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "ID,…")]
    ids: Vec<i64>,
    /// Aspect ratios, comma-separated (W:H)
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "16:9,1:1",
        value_name = "W:H,…"
    )]
    aspect: Vec<Aspect>,
    /// Output widths in pixels, comma-separated [default: 1024 unless --height is given]
    #[arg(long, value_delimiter = ',', value_name = "PX,…", value_parser = clap::value_parser!(u32).range(1..=MAX_SIDE as i64))]
    width: Vec<u32>,
    /// Output height in pixels (with --width: the crop fits in width × height)
    #[arg(long, value_name = "PX", value_parser = clap::value_parser!(u32).range(1..=MAX_SIDE as i64))]
    height: Option<u32>,
    /// What to keep in frame: largest (face), all (faces), person:NAME (their faces), person (the
    /// whole body of the largest person) or object:CLASS (the largest bag, dog, "cell phone" …)
    /// [default: largest; with --person, that person]
    #[arg(long, value_name = "FOCUS")]
    focus: Option<String>,
    /// Output format: jpeg, webp or png
    #[arg(long, default_value = "jpeg")]
    format: OutputFormat,
    /// Quality for jpeg and webp (1–100)
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u8).range(1..=100))]
    quality: u8,
    /// The export folder (created if needed); nothing is written outside it
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// File names: {stem} {id} {aspect} {w} {h} {ext} {person}; '/' makes sub-folders
    #[arg(long, default_value = DEFAULT_TEMPLATE)]
    template: String,
    /// Space kept around the faces, as a fraction of their size
    #[arg(long, default_value_t = 0.3)]
    padding: f64,
    /// 1: the largest crop that holds the faces; 2: half as wide and high (never cutting faces)
    #[arg(long, default_value_t = 1.0)]
    zoom: f64,
    /// Rather than cut faces that do not fit at an aspect, extend the crop with this colour (#rrggbb)
    #[arg(long, value_name = "COLOUR", num_args = 0..=1, default_missing_value = "#ffffff", value_parser = parse_color)]
    fill: Option<[u8; 3]>,
    /// Keep the EXIF (camera, date, GPS …); by default only the colour profile is kept
    #[arg(long)]
    keep_metadata: bool,
    /// Scale crops of small photos up to the requested size (by default they keep their own size)
    #[arg(long)]
    upscale: bool,
    /// Camera RAW pixels: the embedded preview, or a full demosaic of the sensor data [default: the
    /// preview when it reaches the requested size, else a full demosaic]
    #[arg(long, value_enum)]
    raw_source: Option<RawSource>,
}

/// `--raw-source`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum RawSource {
    Preview,
    Full,
}

pub fn run(ctx: &Context, args: ExportArgs) -> anyhow::Result<i32> {
    let catalog = ctx.open_catalog()?;
    let person = args
        .person
        .as_deref()
        .map(|p| catalog.find_person(p))
        .transpose()?;
    let selection = match (&args.query, &person) {
        (Some(q), _) => Selection::Query(q.clone()),
        (None, Some(p)) => Selection::Person(p.id),
        (None, None) => Selection::Ids(args.ids.clone()),
    };
    let focus = match args.focus.as_deref() {
        None | Some("largest") => match &person {
            Some(p) if args.focus.is_none() => FocusMode::Person(p.id),
            _ => FocusMode::Largest,
        },
        Some(other) => match other.strip_prefix("person:") {
            Some(name) => FocusMode::Person(catalog.find_person(name.trim_matches('"'))?.id),
            None => FocusMode::named(other).map_err(|e| anyhow::anyhow!("--focus: {e}"))?,
        },
    };
    let targets = if args.width.is_empty() {
        vec![Target {
            width: args.height.is_none().then_some(1024),
            height: args.height,
        }]
    } else {
        args.width
            .iter()
            .map(|&w| Target {
                width: Some(w),
                height: args.height,
            })
            .collect()
    };
    let request = ExportRequest {
        out: std::path::absolute(&args.out)?,
        aspects: args.aspect.clone(),
        targets,
        focus,
        zoom: args.zoom,
        padding: args.padding,
        fill: args.fill,
        format: args.format,
        quality: args.quality,
        template: args.template.clone(),
        keep_metadata: args.keep_metadata,
        upscale: args.upscale,
        raw_source: match args.raw_source {
            None => RawPixels::Best,
            Some(RawSource::Preview) => RawPixels::Preview,
            Some(RawSource::Full) => RawPixels::Full,
        },
    };
    let options = request.options().map_err(|e| anyhow::anyhow!("--{e}"))?;
    let ids = match select(&catalog, &selection) {
        Ok(ids) => ids,
        Err(argus_api::Error::Query(e)) => {
            return super::search::report_query_error(ctx, args.query.as_deref(), &e)
        }
        Err(e) => return Err(e.into()),
    };
    warn_if_inside_a_library(&catalog, &options.out)?;
    let progress = ScanProgress::new(false, ctx.json);
    let cancel = cancel_on_ctrl_c();
    let report = export(&catalog, &ids, &options, &progress, &cancel);
    progress.finish();
    let report = report?;
    if ctx.json {
        print_json(&report)?;
    } else {
        print_summary(&report);
    }
    Ok(if report.cancelled { 130 } else { 0 })
}

/// Crops written inside a library folder would be catalogued as photos by the next scan: say so.
fn warn_if_inside_a_library(
    catalog: &argus_api::catalog::Catalog,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    // The nearest existing folder, resolved like the libraries' canonical paths.
    let mut existing = out;
    while !existing.exists() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => return Ok(()),
        }
    }
    let real = existing.canonicalize()?.join(out.strip_prefix(existing)?);
    if let Some(library) = catalog.library_containing(&real)? {
        eprintln!(
            "argus: note: {} is inside the library {}: the next scan will catalogue the crops as photos",
            out.display(),
            library.path.display()
        );
    }
    Ok(())
}

fn print_summary(report: &ExportReport) {
    println!(
        "{} → {} written, {} already there unchanged ({:.1} s)",
        count(report.photos as u64, "photo"),
        count(report.written as u64, "crop"),
        report.unchanged,
        report.seconds
    );
    // One line per photo (its crops share the focus).
    let fallbacks: std::collections::BTreeMap<_, _> = report
        .crops
        .iter()
        .filter_map(|c| Some((&c.source, c.focus.why.as_deref()?)))
        .collect();
    if !fallbacks.is_empty() {
        println!(
            "{} had no face to keep and were cropped on their most detailed part:",
            count(fallbacks.len() as u64, "photo")
        );
        for (path, why) in fallbacks {
            println!("  {}: {why}", path.display());
        }
    }
    let small: Vec<_> = report
        .crops
        .iter()
        .filter(|c| c.smaller_than_requested)
        .collect();
    if !small.is_empty() {
        println!(
            "{} crops are smaller than requested (the photo has fewer pixels; --upscale to scale them up):",
            small.len()
        );
        for c in small {
            println!(
                "  {}: {}×{} instead of {}×{}",
                c.output.display(),
                c.width,
                c.height,
                c.requested[0],
                c.requested[1]
            );
        }
    }
    let cut: Vec<_> = report
        .crops
        .iter()
        .filter(|c| c.fit == argus_api::export::Fit::FocusCut)
        .collect();
    if !cut.is_empty() {
        println!(
            "{} crops could not hold all of their faces at their aspect (--fill keeps them whole):",
            cut.len()
        );
        for c in cut {
            println!("  {}", c.output.display());
        }
    }
    for p in &report.problems {
        eprintln!("  {}: {}", p.path.display(), p.reason);
    }
    if report.cancelled {
        eprintln!("cancelled: the crops written so far are kept and listed in the manifest");
    }
    println!("manifest: {}", report.manifest.display());
}
