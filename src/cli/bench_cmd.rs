//! `argus bench …`: benchmarks that print figures and ratios.

use std::path::PathBuf;

use clap::Subcommand;

use super::analyze_cmd::AnalyzeOpts;
use super::output::print_json;
use super::progress_bar::ScanProgress;
use super::Context;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Index speed: photos/second for metadata only and with thumbnails, on generated real-size JPEGs
    Index {
        /// How many photos to generate
        #[arg(long, default_value_t = 500)]
        photos: usize,
        /// Megapixels per photo
        #[arg(long, default_value_t = 12.0)]
        megapixels: f64,
        /// A real photo to build the set from [default: a generated scene]
        #[arg(long)]
        source: Option<PathBuf>,
        /// Work folder (kept between runs so the photos are generated once) [default: a temporary folder]
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Timed scans per measurement; the median is reported
        #[arg(long, default_value_t = 3)]
        repeats: usize,
        /// Drop the page cache before each timed scan so files come from disk (Linux, root)
        #[arg(long)]
        cold: bool,
    },
    /// Analysis speed: photos/s and faces/s per stage and end to end, on real photos
    Analyze {
        /// A folder of real photos; when it has fewer than --photos, distinct variants fill the set
        #[arg(long)]
        source: PathBuf,
        /// How many photos to analyse
        #[arg(long, default_value_t = 200)]
        photos: usize,
        /// Work folder (kept between runs so the set is built once) [default: a temporary folder]
        #[arg(long)]
        dir: Option<PathBuf>,
        #[command(flatten)]
        analysis: AnalyzeOpts,
    },
}

pub fn run(ctx: &Context, cmd: BenchCommand) -> anyhow::Result<i32> {
    match cmd {
        BenchCommand::Index {
            photos,
            megapixels,
            source,
            dir,
            repeats,
            cold,
        } => {
            let options = argus::bench::IndexBenchOptions {
                photos,
                megapixels,
                source,
                dir,
                repeats,
                cold,
            };
            let result = argus::bench::index(&options, &mut |line| eprintln!("{line}"))?;
            if ctx.json {
                print_json(&result)?;
            } else {
                println!("{result}");
            }
            Ok(0)
        }
        BenchCommand::Analyze {
            source,
            photos,
            dir,
            analysis,
        } => {
            let options = argus::bench::AnalyzeBenchOptions {
                photos,
                source,
                dir,
                models: ctx.models_dir.clone(),
                analysis: analysis.options(),
            };
            let progress = ScanProgress::new(false, ctx.json);
            let result =
                argus::bench::analyze(&options, &progress, &mut |line| eprintln!("{line}"))?;
            progress.finish();
            if ctx.json {
                print_json(&result)?;
            } else {
                println!("{result}");
            }
            Ok(0)
        }
    }
}
