//! `argus dev bench index`: how fast the scanner catalogues real-size photos.
//!
//! Generates (once, cached in the work folder) N JPEGs of the requested size from real photos (scaled to
//! cover the frame, with sensor-like grain so they compress like camera files, and a distinct EXIF block
//! each), then times fresh scans: metadata only, with thumbnails, and an unchanged rescan; and compares
//! the thumbnail route (DCT-scaled decode) with a full decode.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use image::RgbImage;
use rayon::prelude::*;
use serde::Serialize;

use crate::catalog::{Catalog, ExifData};
use crate::media::{classify_path, inspect, jpeg_with_exif, FileKind, DEFAULT_MAX_PIXELS};
use crate::progress::{CancelToken, Silent};
use crate::scan::{scan, ScanOptions, ScanReport, Scope};
use crate::thumbs::{self, DecodeRoute, ThumbCache};
use crate::{Error, Result};

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct IndexBenchOptions {
    pub photos: usize,
    pub megapixels: f64,
    /// A real photo, or a folder of them, to build the set from. None: a generated scene.
    pub source: Option<PathBuf>,
    /// Work folder; None: a temporary folder removed afterwards.
    pub dir: Option<PathBuf>,
    /// Timed scans per measurement (the median is reported).
    pub repeats: usize,
    /// Drop the page cache before each timed scan, so files come from disk (needs root on Linux).
    pub cold: bool,
}

/// The figures.
#[derive(Debug, Clone, Serialize)]
pub struct IndexBenchResult {
    pub photos: usize,
    pub width: u32,
    pub height: u32,
    pub total_mb: f64,
    pub threads: usize,
    pub source: String,
    /// `warm` (files in the page cache) or `cold` (dropped before each scan).
    pub page_cache: String,
    pub repeats: usize,
    /// Medians over `repeats` fresh scans.
    pub metadata_seconds: f64,
    pub metadata_photos_per_second: f64,
    pub thumbnails_seconds: f64,
    pub thumbnails_photos_per_second: f64,
    /// How much slower a scan with thumbnails is than metadata only.
    pub thumbnail_cost_ratio: f64,
    pub rescan_seconds: f64,
    pub rescan_files_read: u64,
    /// Per photo, one thread: both thumbnails via DCT-scaled decode vs via full decode + resize.
    pub scaled_thumbnail_ms: f64,
    pub full_decode_ms: f64,
    pub scaled_speedup: f64,
}

impl fmt::Display for IndexBenchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} JPEGs of {}×{} ({:.1} MP), {:.0} MB, from {}; {} threads",
            self.photos,
            self.width,
            self.height,
            self.width as f64 * self.height as f64 / 1e6,
            self.total_mb,
            self.source,
            self.threads
        )?;
        writeln!(
            f,
            "{} page cache, median of {} fresh scans each:",
            self.page_cache, self.repeats
        )?;
        writeln!(
            f,
            "metadata only     {:>7.2} s  {:>7.1} photos/s",
            self.metadata_seconds, self.metadata_photos_per_second
        )?;
        writeln!(
            f,
            "with thumbnails   {:>7.2} s  {:>7.1} photos/s  ({:.1}× the metadata-only time)",
            self.thumbnails_seconds, self.thumbnails_photos_per_second, self.thumbnail_cost_ratio
        )?;
        writeln!(
            f,
            "unchanged rescan  {:>7.3} s  ({} files read)",
            self.rescan_seconds, self.rescan_files_read
        )?;
        write!(
            f,
            "thumbnail route   {:.1} ms via DCT-scaled decode vs {:.1} ms via full decode + resize, per photo on one thread ({:.2}× speed-up)",
            self.scaled_thumbnail_ms, self.full_decode_ms, self.scaled_speedup
        )
    }
}

/// Runs the index benchmark; `log` receives progress lines.
pub fn index(options: &IndexBenchOptions, log: &mut dyn FnMut(&str)) -> Result<IndexBenchResult> {
    super::in_work_dir(options.dir.as_deref(), "index", |dir| {
        run_index(options, dir, log)
    })
}

fn run_index(
    options: &IndexBenchOptions,
    dir: &Path,
    log: &mut dyn FnMut(&str),
) -> Result<IndexBenchResult> {
    let width = ((options.megapixels * 1e6 * 4.0 / 3.0).sqrt()).round() as u32;
    let height = width * 3 / 4;
    let photos_dir = dir.join(format!("photos-{}x{}-{}", width, height, options.photos));
    let source_name = options
        .source
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "a generated scene".into());
    let started = Instant::now();
    generate_set(options, &photos_dir, width, height, log)?;
    log(&format!(
        "photo set ready in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    let total_bytes: u64 = std::fs::read_dir(&photos_dir)
        .map_err(|e| Error::io("cannot list the photo set", e))?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();

    let metadata_only = ScanOptions {
        thumbnails: false,
        ..ScanOptions::default()
    };
    let repeats = options.repeats.max(1);
    let cache_state = if options.cold { "cold" } else { "warm" };
    log(&format!(
        "scanning: metadata only, {repeats}× ({cache_state} page cache)…"
    ));
    let meta_s = median_scan_seconds(
        dir,
        &photos_dir,
        "meta",
        &metadata_only,
        repeats,
        options.cold,
    )?;
    log(&format!(
        "scanning: with thumbnails, {repeats}× ({cache_state} page cache)…"
    ));
    let thumb_s = median_scan_seconds(
        dir,
        &photos_dir,
        "thumbs",
        &ScanOptions::default(),
        repeats,
        options.cold,
    )?;
    let (rescan_s, rescan_report) = timed_rescan(dir, &photos_dir, "thumbs")?;

    log("timing the thumbnail route…");
    let (scaled_ms, full_ms) = decode_routes(&photos_dir, 8)?;
    Ok(IndexBenchResult {
        photos: options.photos,
        width,
        height,
        total_mb: total_bytes as f64 / 1e6,
        threads: rayon::current_num_threads(),
        source: source_name,
        page_cache: cache_state.to_string(),
        repeats,
        metadata_seconds: meta_s,
        metadata_photos_per_second: options.photos as f64 / meta_s,
        thumbnails_seconds: thumb_s,
        thumbnails_photos_per_second: options.photos as f64 / thumb_s,
        thumbnail_cost_ratio: thumb_s / meta_s,
        rescan_seconds: rescan_s,
        rescan_files_read: rescan_report.files_read,
        scaled_thumbnail_ms: scaled_ms,
        full_decode_ms: full_ms,
        scaled_speedup: full_ms / scaled_ms,
    })
}

fn catalog_files(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    (
        dir.join(format!("catalog-{name}.db")),
        dir.join(format!("cache-{name}")),
    )
}

/// Median seconds of `repeats` full scans of the set, each into a fresh catalogue and cache.
pub(super) fn median_scan_seconds(
    dir: &Path,
    photos_dir: &Path,
    name: &str,
    options: &ScanOptions,
    repeats: usize,
    cold: bool,
) -> Result<f64> {
    let (db, cache_dir) = catalog_files(dir, name);
    let mut times = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        super::remove_catalogue(&db);
        let _ = std::fs::remove_dir_all(&cache_dir);
        let mut catalog = Catalog::open(&db)?;
        catalog.add_library(photos_dir)?;
        if cold {
            drop_page_cache()?;
        }
        let started = Instant::now();
        let report = scan(
            &mut catalog,
            &ThumbCache::new(&cache_dir),
            &Scope::All,
            options,
            &Silent,
            &CancelToken::new(),
        )?;
        times.push(started.elapsed().as_secs_f64());
        if report.errors > 0 {
            return Err(Error::Other(format!(
                "benchmark photos failed to scan: {:?}",
                report.problems.first()
            )));
        }
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// Times a rescan of the (unchanged) set over the catalogue the last `name` scan left.
fn timed_rescan(dir: &Path, photos_dir: &Path, name: &str) -> Result<(f64, ScanReport)> {
    let (db, cache_dir) = catalog_files(dir, name);
    let mut catalog = Catalog::open(&db)?;
    catalog.add_library(photos_dir)?;
    let started = Instant::now();
    let report = scan(
        &mut catalog,
        &ThumbCache::new(&cache_dir),
        &Scope::All,
        &ScanOptions::default(),
        &Silent,
        &CancelToken::new(),
    )?;
    Ok((started.elapsed().as_secs_f64(), report))
}

/// Empties the kernel's page cache so the next scan reads from disk (Linux, root only).
fn drop_page_cache() -> Result<()> {
    let _ = std::process::Command::new("sync").status();
    std::fs::write("/proc/sys/vm/drop_caches", "1").map_err(|e| {
        Error::io(
            "--cold needs root to drop the page cache (/proc/sys/vm/drop_caches)",
            e,
        )
    })
}

/// Mean milliseconds per photo on one thread: thumbnails by the scanner's route vs a full decode.
fn decode_routes(photos_dir: &Path, samples: usize) -> Result<(f64, f64)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(photos_dir)
        .map_err(|e| Error::io("cannot list the photo set", e))?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| classify_path(p) == FileKind::Supported)
        .collect();
    files.sort();
    files.truncate(samples);
    let (mut scaled, mut full) = (0.0, 0.0);
    for file in &files {
        let bytes =
            std::fs::read(file).map_err(|e| Error::io("cannot read a benchmark photo", e))?;
        let facts = inspect(&bytes, DEFAULT_MAX_PIXELS).map_err(|p| Error::Other(p.0))?;
        let t = Instant::now();
        thumbs::render_with(&bytes, &facts, DecodeRoute::Scaled).map_err(|p| Error::Other(p.0))?;
        scaled += t.elapsed().as_secs_f64();
        let t = Instant::now();
        thumbs::render_with(&bytes, &facts, DecodeRoute::Full).map_err(|p| Error::Other(p.0))?;
        full += t.elapsed().as_secs_f64();
    }
    let n = files.len().max(1) as f64;
    Ok((scaled * 1000.0 / n, full * 1000.0 / n))
}

/// Writes the photo set unless a complete one is already there.
fn generate_set(
    options: &IndexBenchOptions,
    photos_dir: &Path,
    width: u32,
    height: u32,
    log: &mut dyn FnMut(&str),
) -> Result<()> {
    if photos_dir.join(".complete").exists() {
        return Ok(());
    }
    log(&format!(
        "generating {} photos of {width}×{height}…",
        options.photos
    ));
    generate_photo_set(
        photos_dir,
        options.photos,
        width,
        height,
        options.source.as_deref(),
    )
}

/// Writes `count` distinct `width`×`height` JPEGs with EXIF (`bench_00000.jpg` …) into `photos_dir`, built
/// from the real photos at `source` (a file or folder; None: a generated scene), then a `.complete` marker.
pub fn generate_photo_set(
    photos_dir: &Path,
    count: usize,
    width: u32,
    height: u32,
    source: Option<&Path>,
) -> Result<()> {
    let marker = photos_dir.join(".complete");
    std::fs::create_dir_all(photos_dir)
        .map_err(|e| Error::io("cannot create the photo set folder", e))?;
    let sources = load_sources(source)?;
    // A handful of distinct frames (each source, mirrored too), each written many times with its own EXIF.
    let variants: Vec<(&RgbImage, bool)> = sources
        .iter()
        .flat_map(|src| [(src, false), (src, true)])
        .collect();
    let frames: Vec<Vec<u8>> = variants
        .into_par_iter()
        .enumerate()
        .map(|(i, (src, mirror))| render_frame(src, width, height, mirror, i as u32))
        .collect::<Result<_>>()?;
    (0..count).into_par_iter().try_for_each(|i| {
        let exif = bench_exif(i);
        let bytes =
            jpeg_with_exif(&frames[i % frames.len()], &exif, Some(1)).map_err(Error::Other)?;
        let path = photos_dir.join(format!("bench_{i:05}.jpg"));
        std::fs::write(&path, bytes)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
    })?;
    std::fs::write(&marker, b"").map_err(|e| Error::io("cannot write the set marker", e))
}

/// Decoded source photos (RGB), or a generated scene when none is given.
fn load_sources(source: Option<&Path>) -> Result<Vec<RgbImage>> {
    let Some(source) = source else {
        return Ok(vec![generated_scene(1600, 1200)]);
    };
    let mut files = Vec::new();
    if source.is_dir() {
        for entry in
            std::fs::read_dir(source).map_err(|e| Error::io("cannot list the source folder", e))?
        {
            let path = entry
                .map_err(|e| Error::io("cannot list the source folder", e))?
                .path();
            if classify_path(&path) == FileKind::Supported {
                files.push(path);
            }
        }
        files.sort();
        files.truncate(6);
    } else {
        files.push(source.to_path_buf());
    }
    let images: Vec<RgbImage> = files
        .iter()
        .filter_map(|f| image::open(f).ok().map(|img| img.into_rgb8()))
        .collect();
    if images.is_empty() {
        return Err(Error::Other(format!(
            "no readable photo in {}",
            source.display()
        )));
    }
    Ok(images)
}

/// Scales `src` to cover the frame, crops the centre, adds grain, encodes JPEG quality 90.
fn render_frame(
    src: &RgbImage,
    width: u32,
    height: u32,
    mirror: bool,
    seed: u32,
) -> Result<Vec<u8>> {
    let scale = (width as f64 / src.width() as f64).max(height as f64 / src.height() as f64);
    let (sw, sh) = (
        (src.width() as f64 * scale).ceil() as u32,
        (src.height() as f64 * scale).ceil() as u32,
    );
    let scaled = image::imageops::resize(src, sw, sh, image::imageops::FilterType::Triangle);
    let mut frame =
        image::imageops::crop_imm(&scaled, (sw - width) / 2, (sh - height) / 2, width, height)
            .to_image();
    if mirror {
        image::imageops::flip_horizontal_in_place(&mut frame);
    }
    let mut state = 0x9E37_79B9u32 ^ seed.wrapping_mul(0x85EB_CA6B);
    for px in frame.pixels_mut() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 13) as i16 - 6;
        for c in px.0.iter_mut() {
            *c = (*c as i16 + grain).clamp(0, 255) as u8;
        }
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&frame)
        .map_err(|e| Error::Other(e.to_string()))?;
    Ok(out)
}

fn generated_scene(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let fx = x as f32 / width as f32;
        let fy = y as f32 / height as f32;
        let ripple = ((fx * 40.0).sin() * (fy * 30.0).cos() * 40.0) as i32;
        image::Rgb([
            (fx * 200.0) as u8 + 20,
            ((fy * 180.0) as i32 + ripple).clamp(0, 255) as u8,
            (((fx + fy) * 90.0) as i32 - ripple).clamp(0, 255) as u8,
        ])
    })
}

fn bench_exif(i: usize) -> ExifData {
    let minutes = i as u32;
    ExifData {
        taken_at: Some(format!(
            "2024-{:02}-{:02}T{:02}:{:02}:00",
            1 + (minutes / 1440 / 28) % 12,
            1 + (minutes / 1440) % 28,
            (minutes / 60) % 24,
            minutes % 60
        )),
        taken_offset: Some("+01:00".into()),
        camera_make: Some("FUJIFILM".into()),
        camera_model: Some("X100V".into()),
        lens: Some("23mm F2".into()),
        focal_length: Some(23.0),
        focal_length_35mm: Some(35),
        aperture: Some(2.0 + (i % 5) as f64),
        exposure_time: Some(1.0 / 250.0),
        iso: Some(200 * (1 + (i % 4) as u32)),
        gps_lat: Some(38.7223 + i as f64 * 1e-4),
        gps_lon: Some(-9.1393),
        gps_alt: Some(42.0),
    }
}
