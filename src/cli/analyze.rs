//! `argus analyze`, and the analysis step that `argus scan` runs after cataloguing.

use clap::Args;

use argus_api::analysis::{
    analyze, analyze_as_worker, parse_stages, AnalyzeOptions, AnalyzeReport, Stage, Worker,
};
use argus_api::pipeline::{AnalysisPlan, NotAnalyzed, Skipped};

use super::output::print_json;
use super::progress_bar::ScanProgress;
use super::{cancel_on_ctrl_c, Context};

#[derive(Args, Clone)]
pub struct AnalyzeOpts {
    /// Stages to run, comma-separated: faces, embedding, demographics, emotion, face_mesh, unsafe,
    /// text, labels, appearance, objects, or all
    #[arg(long, default_value = "all", value_parser = stage_list)]
    stages: StageList,
    /// Try photos again whose analysis failed last time
    #[arg(long)]
    retry_failed: bool,
    /// Long side, in pixels, of the image the models look at
    #[arg(long, default_value_t = 1280, value_parser = clap::value_parser!(u32).range(320..=4096))]
    working_side: u32,
    /// Intra-op threads per model [default: one per core]
    #[arg(long)]
    inference_threads: Option<usize>,
    /// Threads decoding photos while the models run [default: half the cores]
    #[arg(long)]
    decode_threads: Option<usize>,
}

impl AnalyzeOpts {
    pub fn options(&self) -> AnalyzeOptions {
        let defaults = AnalyzeOptions::default();
        AnalyzeOptions {
            stages: self.stages.0.clone(),
            working_side: self.working_side,
            decode_threads: self.decode_threads.unwrap_or(defaults.decode_threads),
            inference_threads: self.inference_threads.unwrap_or(defaults.inference_threads),
            retry_failed: self.retry_failed,
            ..defaults
        }
    }
}

/// A parsed `--stages` list.
#[derive(Clone)]
pub struct StageList(Vec<Stage>);

fn stage_list(list: &str) -> Result<StageList, String> {
    parse_stages(list).map(StageList)
}

#[derive(Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    opts: AnalyzeOpts,
    /// Work as one of several workers sharing the catalogue (any number, on any machines): claim a
    /// few photos at a time under a lease, until nothing is left
    #[arg(long)]
    worker: bool,
    /// This worker's name in the catalogue's work ledger [default: HOST:PID]
    #[arg(long, requires = "worker")]
    worker_name: Option<String>,
    /// Seconds a claimed photo stays this worker's without word from it (a dead worker's photos go
    /// to the others after this)
    #[arg(long, default_value_t = 60, requires = "worker",
          value_parser = clap::value_parser!(u64).range(2..=86_400))]
    lease_seconds: u64,
    /// Photos claimed at a time
    #[arg(long, default_value_t = 16, requires = "worker",
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    claim: u64,
}

pub fn run(ctx: &Context, args: AnalyzeArgs) -> anyhow::Result<i32> {
    let mut catalog = ctx.open_catalog()?;
    let cancel = cancel_on_ctrl_c();
    let progress = ScanProgress::new(false, ctx.json);
    let report = if args.worker {
        let mut worker = Worker::on_this_machine();
        if let Some(name) = args.worker_name {
            worker.name = name;
        }
        worker.lease = std::time::Duration::from_secs(args.lease_seconds);
        worker.batch = args.claim as usize;
        analyze_as_worker(
            &mut catalog,
            &ctx.models(),
            &args.opts.options(),
            &worker,
            &progress,
            &cancel,
        )?
    } else {
        analyze(
            &mut catalog,
            &ctx.models(),
            &args.opts.options(),
            &progress,
            &cancel,
        )?
    };
    progress.finish();
    if ctx.json {
        print_json(&report)?;
    } else {
        print_summary(&report);
    }
    Ok(if report.cancelled { 130 } else { 0 })
}

/// The analysis that follows a scan (or runs in the watcher): off with `--no-analysis`, else skipped
/// when the runtime or a model is missing (the API layer decides).
pub fn plan(ctx: &Context, opts: &AnalyzeOpts, no_analysis: bool) -> AnalysisPlan {
    if no_analysis {
        AnalysisPlan::Skip(Skipped::Off)
    } else {
        AnalysisPlan::new(ctx.models(), opts.options())
    }
}

/// Why a scan was not followed by analysis, as `argus scan` says it.
pub fn not_analyzed_text(why: &NotAnalyzed) -> String {
    match why {
        NotAnalyzed::Skipped(Skipped::Off) => "--no-analysis".to_string(),
        NotAnalyzed::Skipped(Skipped::MissingModels(missing)) => format!(
            "analysis skipped: not installed: {} (run `argus models fetch`, or pass --no-analysis)",
            missing.join(", ")
        ),
        NotAnalyzed::Cancelled => "the scan was cancelled".to_string(),
        NotAnalyzed::NothingNew => "nothing new to analyse".to_string(),
    }
}

pub fn print_summary(r: &AnalyzeReport) {
    println!(
        "analyse    {} photos analysed, {} already up to date; {} faces, {} lines of text found",
        r.analyzed, r.up_to_date, r.faces, r.text_lines
    );
    for (stage, t) in &r.timings.stages {
        let per_photo = if t.photos > 0 {
            t.ms / t.photos as f64
        } else {
            0.0
        };
        println!(
            "  {:<13} {:>5} photos {:>6} faces  {:>8.1} ms/photo",
            stage.name(),
            t.photos,
            t.faces,
            per_photo
        );
    }
    if let Some(people) = &r.people {
        super::people::print_cluster_line(people);
    }
    if !r.problems.is_empty() {
        println!("problems   {} photos:", r.failed);
        for p in &r.problems {
            let stage = p.stage.as_deref().unwrap_or("read");
            println!("  {} [{}]: {}", p.path.display(), stage, p.reason);
        }
    }
    if r.cancelled {
        println!("cancelled: what was analysed is kept; run `argus analyze` again to finish");
    }
}
