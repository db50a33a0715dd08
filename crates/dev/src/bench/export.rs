//! `argus dev bench export`: how fast face-aware crops are made.
//!
//! Builds (once, cached in the work folder) N real-size JPEGs from real photos with faces, catalogues
//! them and runs face detection on them; then times `export` of every photo at each aspect into a
//! fresh folder — JPEG and WebP — and an unchanged re-run (every crop skipped).

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::analysis::{analyze, AnalyzeOptions};
use crate::catalog::Catalog;
use crate::export::{export, Aspect, ExportOptions, OutputFormat, Target};
use crate::models::ModelStore;
use crate::progress::{CancelToken, Silent};
use crate::{Error, Result};

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct ExportBenchOptions {
    pub photos: usize,
    pub megapixels: f64,
    /// A folder of real photos with faces to build the set from.
    pub source: PathBuf,
    pub aspects: Vec<Aspect>,
    pub width: u32,
    pub models: PathBuf,
    /// Work folder; None: a temporary folder removed afterwards.
    pub dir: Option<PathBuf>,
}

/// Figures for one output format.
#[derive(Debug, Clone, Serialize)]
pub struct FormatFigures {
    pub format: OutputFormat,
    pub seconds: f64,
    pub crops_per_second: f64,
    pub photos_per_second: f64,
    pub mean_kb: f64,
}

/// The figures.
#[derive(Debug, Clone, Serialize)]
pub struct ExportBenchResult {
    pub photos: usize,
    pub width: u32,
    pub height: u32,
    pub faces: usize,
    pub aspects: Vec<String>,
    pub output_width: u32,
    pub crops: usize,
    pub threads: usize,
    pub formats: Vec<FormatFigures>,
    /// An unchanged re-run: every crop found in place and skipped.
    pub rerun_seconds: f64,
    pub rerun_speedup: f64,
    /// Crops holding their face with full padding, with less padding, or cut (face larger than
    /// the aspect allows), and photos cropped on their detail (no face).
    pub padded: usize,
    pub reduced_padding: usize,
    pub focus_cut: usize,
    pub content_fallbacks: usize,
}

impl fmt::Display for ExportBenchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} JPEGs of {}×{} ({:.1} MP) with {} faces; {} crops each ({}) at {} px wide; {} threads",
            self.photos,
            self.width,
            self.height,
            self.width as f64 * self.height as f64 / 1e6,
            self.faces,
            self.aspects.len(),
            self.aspects.join(", "),
            self.output_width,
            self.threads
        )?;
        for format in &self.formats {
            writeln!(
                f,
                "{:<5} {:>7.2} s  {:>7.1} crops/s  {:>6.2} photos/s  {:>6.0} kB per crop",
                format!("{:?}", format.format).to_lowercase(),
                format.seconds,
                format.crops_per_second,
                format.photos_per_second,
                format.mean_kb
            )?;
        }
        writeln!(
            f,
            "unchanged re-run {:.2} s ({:.0}× faster: every crop found in place)",
            self.rerun_seconds, self.rerun_speedup
        )?;
        write!(
            f,
            "fits: {} padded, {} with less padding, {} cut (face too large for the aspect); {} photos without a face",
            self.padded, self.reduced_padding, self.focus_cut, self.content_fallbacks
        )
    }
}

/// Runs the export benchmark; `log` receives progress lines.
pub fn export_bench(
    options: &ExportBenchOptions,
    log: &mut dyn FnMut(&str),
) -> Result<ExportBenchResult> {
    super::in_work_dir(options.dir.as_deref(), "export", |dir| {
        let width = (options.megapixels * 1e6 * 4.0 / 3.0).sqrt().round() as u32;
        let height = width * 3 / 4;
        let photos_dir = dir.join(format!("export-photos-{}-{width}", options.photos));
        if !photos_dir.join(".complete").exists() {
            log(&format!(
                "generating {} photos of {width}×{height} from {} …",
                options.photos,
                options.source.display()
            ));
            super::generate_photo_set(
                &photos_dir,
                options.photos,
                width,
                height,
                Some(&options.source),
            )?;
        }
        let catalog = detected_catalogue(dir, &photos_dir, options, log)?;
        let ids: Vec<i64> = catalog
            .photos(&Default::default())?
            .iter()
            .map(|p| p.id)
            .collect();
        let faces = catalog.stats()?.faces as usize;
        let cancel = CancelToken::new();
        let mut formats = Vec::new();
        let mut last = None;
        for format in [OutputFormat::Jpeg, OutputFormat::Webp] {
            let out = dir.join(format!("export-out-{format:?}"));
            let _ = std::fs::remove_dir_all(&out);
            let export_options = ExportOptions {
                aspects: options.aspects.clone(),
                targets: vec![Target {
                    width: Some(options.width),
                    height: None,
                }],
                format,
                ..ExportOptions::new(out.clone())
            };
            log(&format!("exporting as {format:?} …"));
            let started = Instant::now();
            let report = export(&catalog, &ids, &export_options, &Silent, &cancel)?;
            let seconds = started.elapsed().as_secs_f64();
            if !report.problems.is_empty() {
                return Err(Error::Other(format!(
                    "export problems: {:?}",
                    report.problems
                )));
            }
            formats.push(FormatFigures {
                format,
                seconds,
                crops_per_second: report.written as f64 / seconds,
                photos_per_second: ids.len() as f64 / seconds,
                mean_kb: folder_bytes(&out) as f64 / 1e3 / report.written.max(1) as f64,
            });
            last = Some((export_options, report));
        }
        let (export_options, report) = last.expect("two formats");
        let started = Instant::now();
        let rerun = export(&catalog, &ids, &export_options, &Silent, &cancel)?;
        let rerun_seconds = started.elapsed().as_secs_f64();
        assert_eq!(rerun.written, 0, "an unchanged re-run writes nothing");
        let fits = |fit: crate::export::Fit| report.crops.iter().filter(|c| c.fit == fit).count();
        Ok(ExportBenchResult {
            photos: ids.len(),
            width,
            height,
            faces,
            aspects: options.aspects.iter().map(|a| a.to_string()).collect(),
            output_width: options.width,
            crops: report.crops.len(),
            threads: rayon::current_num_threads(),
            rerun_speedup: formats[1].seconds / rerun_seconds,
            formats,
            rerun_seconds,
            padded: fits(crate::export::Fit::Padded),
            reduced_padding: fits(crate::export::Fit::ReducedPadding),
            focus_cut: fits(crate::export::Fit::FocusCut),
            content_fallbacks: report.content_fallbacks,
        })
    })
}

/// The set catalogued with faces detected (kept in the work folder once complete).
fn detected_catalogue(
    dir: &Path,
    photos_dir: &Path,
    options: &ExportBenchOptions,
    log: &mut dyn FnMut(&str),
) -> Result<Catalog> {
    let path = dir.join(format!(
        "export-bench-{}.db",
        photos_dir.file_name().unwrap_or_default().to_string_lossy()
    ));
    let done = path.with_extension("complete");
    if done.exists() {
        return Catalog::open(&path);
    }
    log("cataloguing the set …");
    let mut catalog = super::catalogued_set(dir, &path, photos_dir)?;
    let cancel = CancelToken::new();
    log("detecting faces …");
    let analysis = AnalyzeOptions {
        stages: vec![crate::analysis::stages::FACES],
        ..AnalyzeOptions::default()
    };
    analyze(
        &mut catalog,
        &ModelStore::new(&options.models),
        &analysis,
        &Silent,
        &cancel,
    )?;
    std::fs::write(&done, b"").map_err(|e| Error::io("cannot write the marker", e))?;
    Ok(catalog)
}

fn folder_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.file_name() != crate::export::MANIFEST_NAME)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}
