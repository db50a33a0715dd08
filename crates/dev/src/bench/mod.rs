//! Benchmarks behind `argus dev bench …`: they print figures and ratios, never pass/fail.
//!
//! - [`index`]: how fast the scanner catalogues real-size photos;
//! - [`formats`]: the same for real HEIC/HEIF/AVIF and camera RAW files, beside libvips;
//! - [`analyze`]: how fast the analysis stages run on real photos (photos/s and faces/s per stage);
//! - [`people`]: how fast faces are grouped into people at 10k–100k faces, full and incremental;
//! - [`search`]: query + facet latency (p50/p95) on a generated 100k-photo catalogue;
//! - [`similar`]: the look-alike index at 100k and 1M descriptors: build, recall@10, p50/p95;
//! - [`export`]: face-aware crops per second at several aspects on real-size photos;
//! - [`xmp`]: what reading sidecars adds to a scan, and writing them, beside exiftool;
//! - [`workers`]: analysis throughput with 1, 2, 3 … `argus analyze --worker` processes sharing a
//!   catalogue.

pub mod analyze;
pub mod export;
pub mod formats;
pub mod index;
pub mod people;
pub mod search;
pub mod similar;
pub mod workers;
pub mod xmp;

pub use analyze::{analyze, AnalyzeBenchOptions, AnalyzeBenchResult};
pub use export::{export_bench, ExportBenchOptions, ExportBenchResult};
pub use formats::{format_bench, BenchFormat, FormatBenchOptions, FormatBenchResult};
pub use index::{generate_photo_set, index, IndexBenchOptions, IndexBenchResult};
pub use people::{people, PeopleBenchOptions, PeopleBenchResult};
pub use search::{search_bench, SearchBenchOptions, SearchBenchResult};
pub use similar::{similar_bench, SimilarBenchOptions, SimilarBenchResult};
pub use workers::{workers_bench, WorkersBenchOptions, WorkersBenchResult};
pub use xmp::{xmp_bench, XmpBenchOptions, XmpBenchResult};

use std::path::Path;

use crate::{Error, Result};

/// Runs `work` in `dir`, or (None) in a temporary folder named after `name` that is removed
/// afterwards, whether the work succeeded or not.
fn in_work_dir<T>(
    dir: Option<&Path>,
    name: &str,
    work: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    let temp = std::env::temp_dir().join(format!("argus-bench-{name}-{}", std::process::id()));
    let path = dir.unwrap_or(&temp);
    std::fs::create_dir_all(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    let outcome = work(path);
    if dir.is_none() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    outcome
}

/// An earlier run's `--json` output, to print beside this run's figures (`what`: the benchmark).
fn read_reference<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::Other(format!(
            "{} is not a `{what} --json` output: {e}",
            path.display()
        ))
    })
}

/// Deletes a catalogue file and its WAL companions, so the next open starts empty.
fn remove_catalogue(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// A fresh catalogue at `path` with `photos_dir` as its library, scanned without thumbnails (the
/// starting point of the benchmarks that time what comes after cataloguing).
fn catalogued_set(dir: &Path, path: &Path, photos_dir: &Path) -> Result<crate::catalog::Catalog> {
    remove_catalogue(path);
    scanned(crate::catalog::Catalog::open(path)?, dir, photos_dir)
}

/// `catalog` with `photos_dir` added as a library and scanned without thumbnails.
fn scanned(
    mut catalog: crate::catalog::Catalog,
    dir: &Path,
    photos_dir: &Path,
) -> Result<crate::catalog::Catalog> {
    catalog.add_library(photos_dir)?;
    let options = crate::scan::ScanOptions {
        thumbnails: false,
        ..crate::scan::ScanOptions::default()
    };
    crate::scan::scan(
        &mut catalog,
        &crate::thumbs::ThumbCache::new(&dir.join("cache")),
        &crate::scan::Scope::All,
        &options,
        &crate::progress::Silent,
        &crate::progress::CancelToken::new(),
    )?;
    Ok(catalog)
}
