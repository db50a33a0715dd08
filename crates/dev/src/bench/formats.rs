//! `argus dev bench index --format heic|raw`: how fast the scanner catalogues real HEIC/HEIF/AVIF or
//! camera RAW files (thumbnails per second), each file's decode route timed on one thread, and the same
//! thumbnails made by libvips's `vipsthumbnail` on the same files, side by side.
//!
//! The set is N copies of the real files found in the source folders, each made distinct (a different
//! content hash, so every copy gets its own thumbnails) by a trailing ISO-BMFF `free` box — ignored by
//! HEIF and RAW readers alike.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::Serialize;

use super::index::median_scan_seconds;
use crate::media::{classify_path, inspect, raw, FileKind, DEFAULT_MAX_PIXELS};
use crate::scan::ScanOptions;
use crate::thumbs::{self, DecodeRoute, LARGE};
use crate::{Error, Result};

/// Which files to benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BenchFormat {
    /// HEIC/HEIF and AVIF (libheif).
    Heic,
    /// Camera RAW (rawler).
    Raw,
}

impl BenchFormat {
    fn accepts(self, format: &str) -> bool {
        match self {
            BenchFormat::Heic => matches!(format, "heic" | "avif"),
            BenchFormat::Raw => crate::formats::is_raw(format),
        }
    }
}

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct FormatBenchOptions {
    pub format: BenchFormat,
    /// Folders holding real files of the format (e.g. target/sample-photos, target/format-samples).
    pub sources: Vec<PathBuf>,
    pub photos: usize,
    /// Work folder; None: a temporary folder removed afterwards.
    pub dir: Option<PathBuf>,
    /// Timed scans per measurement (the median is reported).
    pub repeats: usize,
}

/// One original file: its route and its thumbnail time on one thread.
#[derive(Debug, Clone, Serialize)]
pub struct FileRoute {
    pub file: String,
    pub format: String,
    pub width: u32,
    pub height: u32,
    /// `libheif` or `raw-preview` / `raw-demosaic`.
    pub pixel_source: String,
    /// The facts and both thumbnails by the scanner's route (HEIF: the embedded thumbnail when it is
    /// big enough; RAW: the catalogued route).
    pub thumbnail_ms: f64,
    /// The alternative: HEIF's full primary image; a RAW's full demosaic.
    pub alternative_ms: f64,
    pub alternative: String,
}

/// The figures.
#[derive(Debug, Clone, Serialize)]
pub struct FormatBenchResult {
    pub format: BenchFormat,
    pub photos: usize,
    pub originals: usize,
    pub total_mb: f64,
    pub threads: usize,
    pub repeats: usize,
    pub metadata_seconds: f64,
    pub metadata_photos_per_second: f64,
    pub thumbnails_seconds: f64,
    pub thumbnails_photos_per_second: f64,
    pub routes: Vec<FileRoute>,
    /// `vipsthumbnail -s 512` over the same files in `threads` processes; None when it cannot.
    pub vips_seconds: Option<f64>,
    pub vips_photos_per_second: Option<f64>,
    /// How many of the files libvips read, and anything to know about its output.
    pub vips_note: String,
}

impl fmt::Display for FormatBenchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {:?} files ({} distinct originals), {:.0} MB; {} threads, median of {} fresh scans",
            self.photos, self.format, self.originals, self.total_mb, self.threads, self.repeats
        )?;
        writeln!(
            f,
            "argus, metadata only     {:>7.2} s  {:>7.1} photos/s",
            self.metadata_seconds, self.metadata_photos_per_second
        )?;
        writeln!(
            f,
            "argus, with thumbnails   {:>7.2} s  {:>7.1} photos/s  (512 + 256 px, EXIF, hash, catalogue)",
            self.thumbnails_seconds, self.thumbnails_photos_per_second
        )?;
        match (self.vips_seconds, self.vips_photos_per_second) {
            (Some(s), Some(pps)) => writeln!(
                f,
                "vipsthumbnail -s 512     {s:>7.2} s  {pps:>7.1} photos/s  ({:.2}× argus's time; {})",
                s / self.thumbnails_seconds,
                self.vips_note
            )?,
            _ => writeln!(f, "vipsthumbnail -s 512     n/a ({})", self.vips_note)?,
        }
        writeln!(f, "per original, one thread:")?;
        for r in &self.routes {
            writeln!(
                f,
                "  {:<28} {:>5} {:>5}×{:<5} {:<13} thumbnails {:>7.1} ms   {} {:>7.1} ms ({:.1}×)",
                r.file,
                r.format,
                r.width,
                r.height,
                r.pixel_source,
                r.thumbnail_ms,
                r.alternative,
                r.alternative_ms,
                r.alternative_ms / r.thumbnail_ms
            )?;
        }
        Ok(())
    }
}

/// Runs the format benchmark; `log` receives progress lines.
pub fn format_bench(
    options: &FormatBenchOptions,
    log: &mut dyn FnMut(&str),
) -> Result<FormatBenchResult> {
    super::in_work_dir(options.dir.as_deref(), "formats", |dir| {
        run(options, dir, log)
    })
}

fn run(
    options: &FormatBenchOptions,
    dir: &Path,
    log: &mut dyn FnMut(&str),
) -> Result<FormatBenchResult> {
    let originals = originals(options)?;
    let set = dir.join(format!("{:?}-{}", options.format, options.photos).to_lowercase());
    build_set(&originals, &set, options.photos)?;
    let total_bytes: u64 = std::fs::read_dir(&set)
        .map_err(|e| Error::io("cannot list the set", e))?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    let repeats = options.repeats.max(1);
    log(&format!(
        "{} files from {} originals; scanning {repeats}× …",
        options.photos,
        originals.len()
    ));
    let metadata_only = ScanOptions {
        thumbnails: false,
        ..ScanOptions::default()
    };
    let meta_s = median_scan_seconds(dir, &set, "meta", &metadata_only, repeats, false)?;
    let thumb_s =
        median_scan_seconds(dir, &set, "thumbs", &ScanOptions::default(), repeats, false)?;
    log("timing each original's route …");
    let routes = originals
        .iter()
        .map(|o| route_timing(o))
        .collect::<Result<Vec<_>>>()?;
    log("vipsthumbnail on the same files …");
    let threads = rayon::current_num_threads();
    let (vips_seconds, mut vips_note) = vips(&set, &dir.join("vips"), threads, repeats);
    if options.format == BenchFormat::Raw {
        vips_note.push_str(
            "; libvips has no RAW loader here: it reads a DNG's undeveloped sensor data as a grey \
             TIFF, not the same work, and no maker format",
        );
    }
    Ok(FormatBenchResult {
        format: options.format,
        photos: options.photos,
        originals: originals.len(),
        total_mb: total_bytes as f64 / 1e6,
        threads,
        repeats,
        metadata_seconds: meta_s,
        metadata_photos_per_second: options.photos as f64 / meta_s,
        thumbnails_seconds: thumb_s,
        thumbnails_photos_per_second: options.photos as f64 / thumb_s,
        routes,
        vips_photos_per_second: vips_seconds.map(|s| options.photos as f64 / s),
        vips_seconds,
        vips_note,
    })
}

/// The real files of the format in the source folders, sorted.
fn originals(options: &FormatBenchOptions) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for source in &options.sources {
        let entries = std::fs::read_dir(source)
            .map_err(|e| Error::io(format!("cannot list {}", source.display()), e))?;
        for entry in entries.filter_map(|e| e.ok()) {
            let path = entry.path();
            if classify_path(&path) != FileKind::Supported {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            if inspect(&bytes, DEFAULT_MAX_PIXELS).is_ok_and(|f| options.format.accepts(f.format)) {
                found.push(path);
            }
        }
    }
    found.sort();
    if found.is_empty() {
        return Err(Error::Other(format!(
            "no readable {:?} file in {:?}: fetch the sample library (scripts/fetch-sample.sh) and \
             the format samples (scripts/make-format-samples.sh)",
            options.format, options.sources
        )));
    }
    Ok(found)
}

/// N distinct copies of the originals (a trailing `free` box with the copy's number).
fn build_set(originals: &[PathBuf], set: &Path, photos: usize) -> Result<()> {
    if set.join(".complete").exists() {
        return Ok(());
    }
    std::fs::create_dir_all(set).map_err(|e| Error::io("cannot create the set", e))?;
    for i in 0..photos {
        let original = &originals[i % originals.len()];
        let mut bytes =
            std::fs::read(original).map_err(|e| Error::io("cannot read an original", e))?;
        bytes.extend_from_slice(&16u32.to_be_bytes());
        bytes.extend_from_slice(b"free");
        bytes.extend_from_slice(&(i as u64).to_be_bytes());
        let ext = original
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("bin");
        std::fs::write(set.join(format!("{i:05}.{ext}")), bytes)
            .map_err(|e| Error::io("cannot write the set", e))?;
    }
    std::fs::write(set.join(".complete"), b"").map_err(|e| Error::io("cannot write the set", e))
}

/// Mean milliseconds of `work` over three runs.
fn mean_ms(mut work: impl FnMut() -> Result<()>) -> Result<f64> {
    let started = Instant::now();
    for _ in 0..3 {
        work()?;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0 / 3.0)
}

fn route_timing(original: &Path) -> Result<FileRoute> {
    let bytes = std::fs::read(original).map_err(|e| Error::io("cannot read an original", e))?;
    let problem = |p: crate::media::FileProblem| Error::Other(p.0);
    let facts = inspect(&bytes, DEFAULT_MAX_PIXELS).map_err(problem)?;
    // Reading the facts is part of the route: a RAW's preview is decoded there.
    let thumbnail_ms = mean_ms(|| {
        let facts = inspect(&bytes, DEFAULT_MAX_PIXELS).map_err(problem)?;
        thumbs::render_with(&bytes, &facts, DecodeRoute::Scaled)
            .map(|_| ())
            .map_err(problem)
    })?;
    let is_raw = crate::formats::is_raw(facts.format);
    let (alternative, alternative_ms) = if is_raw {
        let ms = mean_ms(|| raw::demosaic(&bytes).map(|_| ()).map_err(problem))?;
        ("full demosaic".to_string(), ms)
    } else {
        let ms = mean_ms(|| {
            thumbs::render_with(&bytes, &facts, DecodeRoute::Full)
                .map(|_| ())
                .map_err(problem)
        })?;
        ("full decode".to_string(), ms)
    };
    let (width, height) = facts.displayed_size();
    Ok(FileRoute {
        file: original
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        format: facts.format.to_string(),
        width,
        height,
        pixel_source: facts.source.name().to_string(),
        thumbnail_ms,
        alternative,
        alternative_ms,
    })
}

/// Median seconds of `vipsthumbnail -s 512` over the set in `threads` parallel processes, and a note;
/// None when libvips is missing or reads none of the files.
fn vips(set: &Path, out: &Path, threads: usize, repeats: usize) -> (Option<f64>, String) {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(set) {
        Ok(entries) => entries
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| classify_path(p) == FileKind::Supported)
            .collect(),
        Err(e) => return (None, format!("cannot list the set: {e}")),
    };
    files.sort();
    let chunks: Vec<Vec<PathBuf>> = (0..threads.max(1))
        .map(|t| {
            files
                .iter()
                .skip(t)
                .step_by(threads.max(1))
                .cloned()
                .collect()
        })
        .collect();
    let mut times = Vec::new();
    let mut written = 0;
    for _ in 0..repeats.max(1) {
        let _ = std::fs::remove_dir_all(out);
        if let Err(e) = std::fs::create_dir_all(out) {
            return (None, format!("cannot create {}: {e}", out.display()));
        }
        let started = Instant::now();
        let children: Vec<_> = chunks
            .iter()
            .filter(|c| !c.is_empty())
            .map(|chunk| {
                Command::new("vipsthumbnail")
                    .args(["-s", &LARGE.to_string(), "-o"])
                    .arg(out.join("%s.jpg"))
                    .args(chunk)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
            })
            .collect();
        for child in children {
            match child {
                Ok(mut c) => {
                    let _ = c.wait();
                }
                Err(e) => {
                    return (
                        None,
                        format!("vipsthumbnail not found ({e}): Debian package libvips-tools"),
                    )
                }
            }
        }
        times.push(started.elapsed().as_secs_f64());
        written = std::fs::read_dir(out).map(|d| d.count()).unwrap_or(0);
    }
    times.sort_by(f64::total_cmp);
    let note = format!("libvips read {written} of {} files", files.len());
    if written == 0 {
        return (None, note);
    }
    (Some(times[times.len() / 2]), note)
}
