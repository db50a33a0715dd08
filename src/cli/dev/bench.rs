//! `argus dev bench …`: benchmarks that print figures and ratios.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::cli::analyze::AnalyzeOpts;
use crate::cli::output::print_json;
use crate::cli::progress_bar::ScanProgress;
use crate::cli::Context;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Index speed: photos/second for metadata only and with thumbnails, on generated real-size JPEGs;
    /// with --format heic|raw, on copies of real HEIC/AVIF or camera RAW files, beside vipsthumbnail
    Index {
        /// jpeg (generated real-size JPEGs), heic (HEIC/HEIF/AVIF) or raw (camera RAW)
        #[arg(long, value_enum, default_value = "jpeg")]
        format: IndexFormat,
        /// How many photos to generate
        #[arg(long, default_value_t = 500)]
        photos: usize,
        /// Megapixels per photo
        #[arg(long, default_value_t = 12.0)]
        megapixels: f64,
        /// A real photo to build the set from [default: a generated scene]; with --format heic|raw,
        /// folders of real files (repeatable) [default: target/sample-photos and target/format-samples]
        #[arg(long)]
        source: Vec<PathBuf>,
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
        /// An earlier run's --json output: print its figures beside these, with the ratios
        #[arg(long)]
        reference: Option<PathBuf>,
        #[command(flatten)]
        analysis: AnalyzeOpts,
    },
    /// People clustering speed: full re-cluster, incremental faces and the index's recall, on
    /// synthetic embeddings calibrated on real faces
    People(PeopleArgs),
    /// Search speed: query + facet counts p50/p95 for realistic queries on a generated catalogue
    /// (written once per --dir)
    Search(SearchArgs),
    /// Reads the search index of --catalog once, as a desktop opening it does (the saved index in
    /// --cache when current, else the catalogue's tables, then saved): seconds and memory. Run by
    /// `bench search` in fresh processes
    #[command(hide = true)]
    SearchIndex,
    /// Look-alike index: build time, memory, recall@10 against an exact scan and p50/p95 query
    /// time at 100k and 1M synthetic descriptors shaped like real ones
    Similar(SimilarArgs),
    /// Analysis throughput with 1, 2, 3 … `argus analyze --worker` processes sharing one
    /// catalogue (--server, or a SQLite file), on real photos; checks no photo is analysed twice
    Workers(WorkersArgs),
    /// Export speed: face-aware crops/s at several aspects (JPEG and WebP), on real-size photos
    /// with faces detected by the real model
    Export(ExportBenchArgs),
    /// XMP: what reading a sidecar adds to a scan, and writing sidecars, beside exiftool
    Xmp {
        /// How many photos (each gets a copy of the sidecar)
        #[arg(long, default_value_t = 1000)]
        photos: usize,
        /// The sidecar copied beside every photo [default: tracker-miners' MWG region sidecar from the XMP samples]
        #[arg(long, default_value = "target/xmp-samples/tracker_areas.xmp")]
        sidecar: PathBuf,
        /// Work folder (kept between runs so the photos are generated once) [default: a temporary folder]
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Timed scans per measurement; the median is reported
        #[arg(long, default_value_t = 3)]
        repeats: usize,
    },
}

/// The files `argus dev bench index` catalogues.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum IndexFormat {
    Jpeg,
    Heic,
    Raw,
}

/// `argus dev bench export` options.
#[derive(Args)]
pub struct ExportBenchArgs {
    /// A folder of real photos with faces (e.g. target/sample-photos)
    #[arg(long)]
    pub source: PathBuf,
    /// How many photos
    #[arg(long, default_value_t = 200)]
    pub photos: usize,
    /// Megapixels per photo
    #[arg(long, default_value_t = 12.0)]
    pub megapixels: f64,
    /// Aspect ratios
    #[arg(long, value_delimiter = ',', default_value = "3:1,16:9,1:1,4:5")]
    pub aspect: Vec<argus_api::export::Aspect>,
    /// Output width in pixels
    #[arg(long, default_value_t = 1024)]
    pub width: u32,
    /// Work folder (kept between runs: photos generated and faces detected once) [default: a temporary folder]
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// `argus dev bench search` options.
#[derive(Args)]
pub struct SearchArgs {
    /// Photos in the generated catalogue
    #[arg(long, default_value_t = 100_000)]
    pub photos: usize,
    /// Faces in all (about)
    #[arg(long, default_value_t = 300_000)]
    pub faces: usize,
    /// Label rows in all (about)
    #[arg(long, default_value_t = 1_000_000)]
    pub labels: usize,
    /// People the faces belong to
    #[arg(long, default_value_t = 3_000)]
    pub people: usize,
    /// Timed runs per query
    #[arg(long, default_value_t = 20)]
    pub repeats: usize,
    /// Work folder: the catalogue is kept there and reused [default: a temporary folder]
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Generate (or reuse) the catalogue on this PostgreSQL server instead of a SQLite file:
    /// postgres://USER@HOST/DB?schema=NAME (password from PGPASSWORD or ~/.pgpass)
    #[arg(long)]
    pub server: Option<String>,
    /// Skip reading the index in fresh processes (from the catalogue, then from the saved index)
    #[arg(long)]
    pub no_fresh_processes: bool,
    /// Photos another machine's analysis changes (their labels written again) before the index is
    /// brought up to date, in a fresh process from the saved index and in memory (0: skip)
    #[arg(long, default_value_t = 1000)]
    pub changed: usize,
}

/// `argus dev bench workers` options.
#[derive(Args)]
pub struct WorkersArgs {
    /// A folder of real photos; when it has fewer than --photos, distinct variants fill the set
    #[arg(long)]
    pub source: PathBuf,
    /// How many photos to analyse per run
    #[arg(long, default_value_t = 60)]
    pub photos: usize,
    /// Worker counts to time, comma-separated
    #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
    pub workers: Vec<usize>,
    /// Share a PostgreSQL catalogue instead of a SQLite file: postgres://USER@HOST/DB?schema=NAME
    /// (its libraries are removed before each run)
    #[arg(long)]
    pub server: Option<String>,
    /// Stages the workers run (as `argus analyze --stages`) [default: all]
    #[arg(long)]
    pub stages: Option<String>,
    /// Photos a worker claims at a time (as `argus analyze --claim`; small spreads a small set)
    #[arg(long, default_value_t = 4)]
    pub claim: usize,
    /// Work folder (kept between runs so the set is built once) [default: a temporary folder]
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// `argus dev bench similar` options.
#[derive(Args)]
pub struct SimilarArgs {
    /// Library sizes in photos
    #[arg(long, value_delimiter = ',', default_values_t = vec![100_000, 1_000_000])]
    pub sizes: Vec<usize>,
    /// Sample queries per size
    #[arg(long, default_value_t = 200)]
    pub queries: usize,
    /// Probe counts measured besides the product's
    #[arg(long, value_delimiter = ',', default_values_t = vec![8, 48])]
    pub probes: Vec<usize>,
    /// An earlier run's --json output: print its figures beside these, with the ratios
    #[arg(long)]
    pub reference: Option<PathBuf>,
}

/// `argus dev bench people` options.
#[derive(Args)]
pub struct PeopleArgs {
    /// Library sizes in faces
    #[arg(long, value_delimiter = ',', default_values_t = vec![10_000, 100_000])]
    pub faces: Vec<usize>,
    /// Mean faces per person
    #[arg(long, default_value_t = 25)]
    pub faces_per_person: usize,
    /// New faces added after the full clustering
    #[arg(long, default_value_t = 100)]
    pub incremental: usize,
    /// New faces per incremental run (as after a scan)
    #[arg(long, default_value_t = 10)]
    pub batch: usize,
    /// Sample queries for the index's recall and speed
    #[arg(long, default_value_t = 1000)]
    pub queries: usize,
    /// Also cluster with an exact scan (no index) up to this many faces, for comparison
    #[arg(long, default_value_t = 20_000)]
    pub exact_up_to: usize,
    /// Work folder for the catalogues [default: a temporary folder]
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Link similarity [default: the clustering's]
    #[arg(long)]
    pub link: Option<f32>,
    /// Growth limit: similarity to the direction of the person a face joins [default: the clustering's]
    #[arg(long)]
    pub growth_limit: Option<f32>,
    /// An earlier run's --json output: print its figures beside these, with the ratios
    #[arg(long)]
    pub reference: Option<PathBuf>,
}

impl PeopleArgs {
    fn options(self) -> argus_dev::bench::PeopleBenchOptions {
        let defaults = argus_api::people::ClusterParams::default();
        argus_dev::bench::PeopleBenchOptions {
            sizes: self.faces,
            faces_per_person: self.faces_per_person,
            incremental: self.incremental,
            batch: self.batch,
            queries: self.queries,
            exact_up_to: self.exact_up_to,
            dir: self.dir,
            params: argus_api::people::ClusterParams {
                link_similarity: self.link.unwrap_or(defaults.link_similarity),
                centroid_similarity: self.growth_limit.unwrap_or(defaults.centroid_similarity),
                ..defaults
            },
            reference: self.reference,
        }
    }
}

pub fn run(ctx: &Context, cmd: BenchCommand) -> anyhow::Result<i32> {
    match cmd {
        BenchCommand::Index {
            format: format @ (IndexFormat::Heic | IndexFormat::Raw),
            photos,
            source,
            dir,
            repeats,
            ..
        } => {
            let sources = if source.is_empty() {
                vec![
                    PathBuf::from("target/sample-photos"),
                    PathBuf::from("target/format-samples"),
                ]
            } else {
                source
            };
            let options = argus_dev::bench::FormatBenchOptions {
                format: match format {
                    IndexFormat::Raw => argus_dev::bench::BenchFormat::Raw,
                    _ => argus_dev::bench::BenchFormat::Heic,
                },
                sources,
                photos,
                dir,
                repeats,
            };
            let result = argus_dev::bench::format_bench(&options, &mut |line| eprintln!("{line}"))?;
            print_result(ctx, &result)
        }
        BenchCommand::Index {
            format: IndexFormat::Jpeg,
            photos,
            megapixels,
            source,
            dir,
            repeats,
            cold,
        } => {
            let options = argus_dev::bench::IndexBenchOptions {
                photos,
                megapixels,
                source: source.into_iter().next(),
                dir,
                repeats,
                cold,
            };
            let result = argus_dev::bench::index(&options, &mut |line| eprintln!("{line}"))?;
            print_result(ctx, &result)
        }
        BenchCommand::Xmp {
            photos,
            sidecar,
            dir,
            repeats,
        } => {
            let options = argus_dev::bench::XmpBenchOptions {
                photos,
                sidecar,
                dir,
                repeats,
            };
            let result = argus_dev::bench::xmp_bench(&options, &mut |line| eprintln!("{line}"))?;
            print_result(ctx, &result)
        }
        BenchCommand::Analyze {
            source,
            photos,
            dir,
            reference,
            analysis,
        } => {
            let options = argus_dev::bench::AnalyzeBenchOptions {
                photos,
                source,
                dir,
                reference,
                models: ctx.locations.models.clone(),
                analysis: analysis.options(),
            };
            let progress = ScanProgress::new(false, ctx.json);
            let result =
                argus_dev::bench::analyze(&options, &progress, &mut |line| eprintln!("{line}"))?;
            progress.finish();
            print_result(ctx, &result)
        }
        BenchCommand::Search(args) => {
            let options = argus_dev::bench::SearchBenchOptions {
                generate: argus_dev::generate::GenerateOptions {
                    photos: args.photos,
                    faces: args.faces,
                    labels: args.labels,
                    people: args.people,
                    ..Default::default()
                },
                repeats: args.repeats,
                dir: args.dir,
                server: args.server,
                fresh_processes: !args.no_fresh_processes,
                changed: args.changed,
            };
            let result = argus_dev::bench::search_bench(&options, &mut |line| eprintln!("{line}"))?;
            print_result(ctx, &result)
        }
        BenchCommand::SearchIndex => {
            let catalog = ctx.open_catalog()?;
            let probe =
                argus_dev::bench::search::index_probe(&catalog, ctx.locations.saved_indexes())?;
            print_json(&probe)?;
            Ok(0)
        }
        BenchCommand::Workers(args) => {
            let options = argus_dev::bench::WorkersBenchOptions {
                photos: args.photos,
                source: args.source,
                dir: args.dir,
                server: args.server,
                workers: args.workers,
                models: ctx.locations.models.clone(),
                stages: args.stages,
                claim: args.claim,
            };
            let result =
                argus_dev::bench::workers_bench(&options, &mut |line| eprintln!("{line}"))?;
            print_result(ctx, &result)
        }
        BenchCommand::Similar(args) => {
            let options = argus_dev::bench::SimilarBenchOptions {
                sizes: args.sizes,
                queries: args.queries,
                probes: args.probes,
                reference: args.reference,
            };
            let result =
                argus_dev::bench::similar_bench(&options, &mut |line| eprintln!("{line}"))?;
            print_result(ctx, &result)
        }
        BenchCommand::Export(args) => {
            let options = argus_dev::bench::ExportBenchOptions {
                photos: args.photos,
                megapixels: args.megapixels,
                source: args.source,
                aspects: args.aspect,
                width: args.width,
                models: ctx.locations.models.clone(),
                dir: args.dir,
            };
            let result = argus_dev::bench::export_bench(&options, &mut |line| eprintln!("{line}"))?;
            print_result(ctx, &result)
        }
        BenchCommand::People(args) => {
            let options = args.options();
            let result = argus_dev::bench::people(&options, &mut |line| eprintln!("{line}"))?;
            print_result(ctx, &result)
        }
    }
}

fn print_result<R: serde::Serialize + std::fmt::Display>(
    ctx: &Context,
    result: &R,
) -> anyhow::Result<i32> {
    if ctx.json {
        print_json(result)?;
    } else {
        println!("{result}");
    }
    Ok(0)
}
