//! `argus scan` (catalogue, then analyse) and `argus watch`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use serde::Serialize;

use argus_api::analysis::AnalyzeReport;
use argus_api::pipeline::{scan_then_analyze, AnalysisPlan, NotAnalyzed, Skipped};
use argus_api::scan::{ScanOptions, ScanReport, Scope};
use argus_api::watch::{watch as run_watch, WatchOptions};

use super::analyze::{
    not_analyzed_text, plan, print_summary as print_analysis_summary, AnalyzeOpts,
};
use super::output::print_json;
use super::progress_bar::ScanProgress;
use super::{cancel_on_ctrl_c, Context};

#[derive(Args)]
pub struct ScanOpts {
    /// Do not make thumbnails (faster; corrupt pixel data is then not detected)
    #[arg(long)]
    no_thumbnails: bool,
    /// Read files that failed last time again, even if unchanged
    #[arg(long)]
    retry_errors: bool,
    /// Refuse images larger than this (decompression-bomb guard)
    #[arg(long, value_name = "MP", default_value_t = 250)]
    max_megapixels: u64,
    /// Worker threads for reading [default: one per core]
    #[arg(long)]
    threads: Option<usize>,
}

impl ScanOpts {
    fn options(&self) -> ScanOptions {
        ScanOptions {
            thumbnails: !self.no_thumbnails,
            max_pixels: self.max_megapixels * 1_000_000,
            retry_errors: self.retry_errors,
            threads: self.threads,
            ..ScanOptions::default()
        }
    }
}

#[derive(Args)]
pub struct ScanArgs {
    /// Only these files or folders (inside libraries) [default: all libraries]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    opts: ScanOpts,
    /// Catalogue only: do not run the analysis models afterwards
    #[arg(long)]
    no_analysis: bool,
    #[command(flatten)]
    analysis: AnalyzeOpts,
}

/// `argus scan --json`: the scan report, plus what the analysis step did.
#[derive(Serialize)]
struct ScanJson<'a> {
    #[serde(flatten)]
    scan: &'a ScanReport,
    /// The analysis step's report, or null when it did not run.
    analysis: Option<&'a AnalyzeReport>,
    /// Why the analysis step did not run (models not installed, --no-analysis, cancelled).
    analysis_skipped: Option<&'a str>,
}

#[derive(Args)]
pub struct WatchArgs {
    /// Quiet time in milliseconds before a burst of changes is applied
    #[arg(long, default_value_t = 500)]
    debounce_ms: u64,
    #[command(flatten)]
    opts: ScanOpts,
    /// Catalogue only: do not run the analysis models on new and changed photos
    #[arg(long)]
    no_analysis: bool,
    #[command(flatten)]
    analysis: AnalyzeOpts,
}

pub fn scan(ctx: &Context, args: ScanArgs) -> anyhow::Result<i32> {
    let mut catalog = ctx.open_catalog()?;
    if catalog.libraries()?.is_empty() {
        anyhow::bail!("no libraries to scan: add a folder first with `argus library add FOLDER`");
    }
    let scope = if args.paths.is_empty() {
        Scope::All
    } else {
        let paths: Vec<std::path::PathBuf> = args
            .paths
            .iter()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
            .map(|p| p.canonicalize().unwrap_or(p))
            .collect();
        for path in &paths {
            if catalog.library_containing(path)?.is_none() {
                anyhow::bail!(
                    "{} is not in any library (`argus library list`); add a folder first with \
                     `argus library add FOLDER`",
                    path.display()
                );
            }
        }
        Scope::Paths(paths)
    };
    let cancel = cancel_on_ctrl_c();
    let progress = ScanProgress::new(false, ctx.json);
    let run = scan_then_analyze(
        &mut catalog,
        &ctx.thumbs(),
        &scope,
        &args.opts.options(),
        &plan(ctx, &args.analysis, args.no_analysis),
        false,
        &mut None,
        &progress,
        &cancel,
    )?;
    progress.finish();
    let (report, analysis) = (run.scan, run.analysis);
    if ctx.json {
        let skipped = analysis.as_ref().err().map(not_analyzed_text);
        print_json(&ScanJson {
            scan: &report,
            analysis: analysis.as_ref().ok(),
            analysis_skipped: skipped.as_deref(),
        })?;
    } else {
        print_summary(&report);
        match &analysis {
            Ok(a) => print_analysis_summary(a),
            Err(NotAnalyzed::Skipped(Skipped::Off)) => {}
            Err(why) => eprintln!("{}", not_analyzed_text(why)),
        }
    }
    let cancelled = report.cancelled || analysis.as_ref().is_ok_and(|a| a.cancelled);
    Ok(if cancelled { 130 } else { 0 })
}

pub fn watch(ctx: &Context, args: WatchArgs) -> anyhow::Result<i32> {
    let mut catalog = ctx.open_catalog()?;
    let libraries = catalog.libraries()?;
    if libraries.is_empty() {
        anyhow::bail!("no libraries to watch: add a folder first with `argus library add FOLDER`");
    }
    let cancel = cancel_on_ctrl_c();
    let analysis = plan(ctx, &args.analysis, args.no_analysis);
    if let AnalysisPlan::Skip(why @ Skipped::MissingModels(_)) = &analysis {
        eprintln!("{}", not_analyzed_text(&NotAnalyzed::Skipped(why.clone())));
    }
    let options = WatchOptions {
        debounce: Duration::from_millis(args.debounce_ms),
        scan: args.opts.options(),
        analysis,
    };
    if !ctx.json {
        for lib in &libraries {
            eprintln!("watching {}", lib.path.display());
        }
        eprintln!("press Ctrl-C to stop");
    }
    let observer = ScanProgress::new(true, ctx.json);
    run_watch(&mut catalog, &ctx.thumbs(), &options, &observer, &cancel)?;
    Ok(0)
}

fn print_summary(r: &ScanReport) {
    for lib in &r.offline_libraries {
        println!("offline (skipped, photos kept): {}", lib.display());
    }
    println!(
        "discover   {} image files in {} libraries ({} other files ignored)",
        r.discovered, r.libraries, r.ignored
    );
    println!(
        "read       {} files read, {} unchanged skipped, {} thumbnails made",
        r.files_read, r.unchanged, r.thumbnails_made
    );
    println!(
        "catalogue  {} new, {} changed, {} moved, {} removed",
        r.new, r.changed, r.moved, r.deleted
    );
    if !r.problems.is_empty() {
        println!(
            "problems   {} errors, {} unsupported:",
            r.errors, r.unsupported
        );
        for p in &r.problems {
            println!(
                "  {:<11} {}: {}",
                p.status.as_str(),
                p.path.display(),
                p.reason
            );
        }
    }
    if !r.metadata_problems.is_empty() {
        println!(
            "metadata   {} photos with unreadable XMP/IPTC (catalogued; the rest was read):",
            r.metadata_problems.len()
        );
        for p in &r.metadata_problems {
            println!("  {}: {}", p.path.display(), p.reason);
        }
    }
    for p in &r.unreadable_folders {
        println!("  unreadable {}: {}", p.path.display(), p.reason);
    }
    let secs = r.elapsed_ms as f64 / 1000.0;
    if r.cancelled {
        println!(
            "cancelled after {secs:.1} s: what was read is kept; run `argus scan` again to finish"
        );
    } else {
        println!("done in {secs:.1} s");
    }
}
