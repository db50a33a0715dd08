//! Command-line interface: argument parsing (clap) and dispatch. Each sub-module renders one group of
//! commands; the work itself is done by the library.

mod analyze;
mod catalog;
#[cfg(feature = "dev")]
mod dev;
mod export;
mod library;
mod models;
mod output;
mod people;
mod photos;
mod progress_bar;
mod scan;
mod search;
mod similar;
mod xmp;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use argus_api::catalog::Catalog;
use argus_api::models::ModelStore;
use argus_api::progress::CancelToken;
use argus_api::thumbs::ThumbCache;

/// Argus: an on-device photo catalogue.
#[derive(Parser)]
#[command(name = "argus", version, about, propagate_version = true)]
pub struct Cli {
    /// Catalogue file [default: the platform data folder, e.g. ~/.local/share/argus/catalog.db]
    #[arg(long, global = true, env = "ARGUS_CATALOG", value_name = "PATH")]
    catalog: Option<std::ffi::OsString>,

    /// Cache folder for thumbnails and the saved search index [default: the platform cache folder,
    /// e.g. ~/.cache/argus]
    #[arg(long, global = true, env = "ARGUS_CACHE", value_name = "DIR")]
    cache: Option<PathBuf>,

    /// Folder of the ONNX Runtime and the models [default: CACHE/models]
    #[arg(long, global = true, env = "ARGUS_MODELS", value_name = "DIR")]
    models: Option<PathBuf>,

    /// Print machine-readable JSON on stdout (documented in README.md)
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

/// `argus people …`: the curation commands, and (dev tools) the evaluation on labelled photos.
#[derive(Subcommand)]
pub enum PeopleCli {
    #[command(flatten)]
    Curate(people::PeopleCommand),
    /// Measure face grouping on labelled folders (a sweep of the knobs, a simulated curation)
    #[cfg(feature = "dev")]
    Eval(dev::people_eval::PeopleEvalArgs),
}

#[derive(Subcommand)]
enum Command {
    /// Add, list or remove library folders
    #[command(subcommand)]
    Library(library::LibraryCommand),
    /// Bring the catalogue up to date with the library folders
    Scan(scan::ScanArgs),
    /// Keep the catalogue up to date while running (Ctrl-C to stop)
    Watch(scan::WatchArgs),
    /// List catalogued photos
    Photos(photos::PhotosArgs),
    /// Show one photo, by id or path, with what analysis found in it
    Show(photos::ShowArgs),
    /// RAW+JPEG shots: choose which file the grid, search and analysis use
    #[command(subcommand)]
    Shot(photos::ShotCommand),
    /// Run the analysis models on photos that need them (faces, attributes, unsafe score, text)
    Analyze(analyze::AnalyzeArgs),
    /// Find photos: 'beard and sunglasses', 'person:"Ana" -sunglasses year:2024', with --facets counts
    Search(search::SearchArgs),
    /// The photos most like one photo, by id or path ('argus similar 42 --limit 10')
    Similar(similar::SimilarArgs),
    /// Exact copies, near copies (resized, re-encoded, edited) and bursts, grouped, the photo to keep first
    Duplicates(similar::DuplicatesArgs),
    /// People: faces grouped by who they show; name, merge, split, reject, confirm, hide, suggest
    #[command(subcommand)]
    People(PeopleCli),
    /// Crops of a selection at several aspect ratios, faces kept in frame ('--query Q --aspect 16:9,1:1 --out DIR')
    Export(export::ExportArgs),
    /// XMP sidecars: write Argus's people, labels and attributes for digiKam, Lightroom, exiftool
    #[command(subcommand)]
    Xmp(xmp::XmpCommand),
    /// Install or check the ONNX Runtime and the analysis models
    #[command(subcommand)]
    Models(models::ModelsCommand),
    /// Counts over the whole catalogue
    Stats,
    /// The catalogue itself: copy it into another engine's (SQLite file ⇄ PostgreSQL)
    #[command(subcommand)]
    Catalog(catalog::CatalogCommand),
    /// Dev tools: benchmarks, probe training, evaluation (a build with `--features dev`)
    #[cfg(feature = "dev")]
    #[command(subcommand)]
    Dev(dev::DevCommand),
}

/// What every command gets: resolved locations and output mode.
pub struct Context {
    pub locations: argus_api::paths::Locations,
    pub json: bool,
}

impl Context {
    pub fn open_catalog(&self) -> anyhow::Result<Catalog> {
        self.locations.open_catalog().map_err(|e| {
            anyhow::anyhow!("cannot open the catalogue {}: {e}", self.locations.catalog)
        })
    }

    pub fn thumbs(&self) -> ThumbCache {
        self.locations.thumbs()
    }

    pub fn models(&self) -> ModelStore {
        self.locations.models()
    }
}

/// Runs the CLI and returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    // Absolute (see `Locations`), so that paths printed and stored mean the same from any folder.
    let ctx = Context {
        locations: argus_api::paths::Locations::resolve(cli.catalog, cli.cache, cli.models),
        json: cli.json,
    };
    let result = match cli.command {
        Command::Library(cmd) => library::run(&ctx, cmd),
        Command::Scan(args) => scan::scan(&ctx, args),
        Command::Watch(args) => scan::watch(&ctx, args),
        Command::Photos(args) => photos::list(&ctx, args),
        Command::Show(args) => photos::show(&ctx, args),
        Command::Shot(cmd) => photos::shot(&ctx, cmd),
        Command::Analyze(args) => analyze::run(&ctx, args),
        Command::People(PeopleCli::Curate(cmd)) => people::run(&ctx, cmd),
        #[cfg(feature = "dev")]
        Command::People(PeopleCli::Eval(args)) => dev::people_eval::people_eval(&ctx, args),
        Command::Similar(args) => similar::similar(&ctx, args),
        Command::Duplicates(args) => similar::duplicates(&ctx, args),
        Command::Search(args) => search::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Xmp(cmd) => xmp::run(&ctx, cmd),
        Command::Models(cmd) => models::run(&ctx, cmd),
        Command::Stats => photos::stats(&ctx),
        Command::Catalog(cmd) => catalog::run(&ctx, cmd),
        #[cfg(feature = "dev")]
        Command::Dev(cmd) => dev::run(&ctx, cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("argus: {e:#}");
            1
        }
    }
}

/// Prints clap's message (help and version go to stdout with exit code 0), adding a tip when a query
/// of several words was not quoted, and returns the exit code.
fn usage_error(e: clap::Error) -> i32 {
    use clap::error::ErrorKind;
    let _ = e.print();
    let takes_query = std::env::args()
        .skip(1)
        .any(|a| a == "search" || a == "export");
    if e.kind() == ErrorKind::UnknownArgument && takes_query {
        eprintln!(
            "\nA query of several words is one argument: put it in quotes, e.g. \
             argus search 'beard and sunglasses'"
        );
    }
    e.exit_code()
}

/// A cancel token wired to Ctrl-C: the first press asks the job to stop cleanly, the second exits.
pub fn cancel_on_ctrl_c() -> CancelToken {
    let token = CancelToken::new();
    let handler_token = token.clone();
    let _ = ctrlc::set_handler(move || {
        if handler_token.is_cancelled() {
            std::process::exit(130);
        }
        eprintln!("\nargus: stopping after the files in progress (Ctrl-C again to quit now)…");
        handler_token.cancel();
    });
    token
}
