//! `argus bench …`: benchmarks that print figures and ratios.

use std::path::PathBuf;

use clap::Subcommand;

use super::output::print_json;
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
    }
}
