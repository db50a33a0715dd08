//! `argus dev bench analyze`: how fast the analysis stages run on real photos.
//!
//! Builds (once, cached in the work folder) a set of N photos from a folder of real photos: the photos
//! themselves, then — when the folder has fewer than N — distinct variants of them (a crop of 85–100 %
//! of each side at a seeded offset, mirrored every other round, re-encoded), so every file has its own
//! content hash and nothing is served from the ledger. Then it catalogues the set into a fresh catalogue
//! and times one full analysis (per stage and end to end) and an unchanged re-run. With a reference
//! (an earlier run's `--json` output) each figure is printed beside the reference's, with the ratio.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::{analyze as run_analysis, AnalyzeOptions, AnalyzeReport, Stage};
use crate::media::{classify_path, FileKind};
use crate::models::ModelStore;
use crate::progress::{CancelToken, JobObserver};
use crate::{Error, Result};

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct AnalyzeBenchOptions {
    pub photos: usize,
    /// A folder of real photos to build the set from.
    pub source: PathBuf,
    /// Work folder; None: a temporary folder removed afterwards.
    pub dir: Option<PathBuf>,
    pub models: PathBuf,
    pub analysis: AnalyzeOptions,
    /// An earlier run's `--json` output, to compare with.
    pub reference: Option<PathBuf>,
}

/// The figures of an earlier run that this one is compared with (read from its `--json` output).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReferenceRun {
    pub stages: Vec<ReferenceStage>,
    pub pipeline_photos_per_second: f64,
}

/// One stage of the reference run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReferenceStage {
    pub stage: String,
    pub ms_per_photo: f64,
}

impl ReferenceRun {
    /// Reads an earlier run's `--json` output.
    pub fn load(path: &Path) -> Result<ReferenceRun> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        serde_json::from_str(&text).map_err(|e| {
            Error::Other(format!(
                "{} is not the --json output of `argus dev bench analyze`: {e}",
                path.display()
            ))
        })
    }

    fn stage_ms(&self, stage: &str) -> Option<f64> {
        self.stages
            .iter()
            .find(|s| s.stage == stage)
            .map(|s| s.ms_per_photo)
    }
}

/// One stage's figures. Rates are per second of that stage's own inference time.
#[derive(Debug, Clone, Serialize)]
pub struct StageFigures {
    pub stage: Stage,
    pub photos: u64,
    pub faces: u64,
    pub ms_per_photo: f64,
    pub photos_per_second: f64,
    pub faces_per_second: Option<f64>,
    /// Share of the inference time.
    pub share: f64,
}

/// The figures.
#[derive(Debug, Clone, Serialize)]
pub struct AnalyzeBenchResult {
    pub photos: usize,
    pub source: String,
    pub total_mb: f64,
    pub mean_megapixels: f64,
    pub working_side: u32,
    pub cores: usize,
    pub decode_threads: usize,
    pub inference_threads: usize,
    pub faces: u64,
    pub text_lines: u64,
    pub failed: u64,
    pub stages: Vec<StageFigures>,
    /// Decode (read, hash check, decode upright at working size) per photo, on one decode thread.
    pub decode_ms_per_photo: f64,
    /// The whole analysis, wall clock.
    pub pipeline_seconds: f64,
    pub pipeline_photos_per_second: f64,
    pub pipeline_faces_per_second: f64,
    /// A second run over the unchanged catalogue (everything up to date).
    pub rerun_seconds: f64,
    #[serde(rename = "rerun_analysed")]
    pub rerun_analyzed: u64,
    /// The run compared with, if any.
    pub reference: Option<ReferenceRun>,
}

impl fmt::Display for AnalyzeBenchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} photos ({:.0} MB, {:.1} MP mean) from {}; working image {} px long side",
            self.photos, self.total_mb, self.mean_megapixels, self.source, self.working_side
        )?;
        writeln!(
            f,
            "{} cores: {} decode thread(s) beside inference with {} intra-op thread(s)",
            self.cores, self.decode_threads, self.inference_threads
        )?;
        writeln!(
            f,
            "found {} faces, {} lines of text; {} photos with a problem",
            self.faces, self.text_lines, self.failed
        )?;
        let reference = self.reference.as_ref();
        write!(f, "stage          ms/photo   photos/s    faces/s   share")?;
        if reference.is_some() {
            write!(f, "   reference ms/photo  now/ref")?;
        }
        writeln!(f)?;
        for s in &self.stages {
            let faces = s
                .faces_per_second
                .map_or_else(|| "-".to_string(), |v| format!("{v:.1}"));
            write!(
                f,
                "{:<13} {:>9.1} {:>10.1} {:>10} {:>6.0} %",
                s.stage.name(),
                s.ms_per_photo,
                s.photos_per_second,
                faces,
                s.share * 100.0
            )?;
            if let Some(r) = reference {
                match r.stage_ms(s.stage.name()) {
                    Some(ms) => write!(f, " {ms:>20.1} {:>6.2}×", s.ms_per_photo / ms.max(1e-9))?,
                    None => write!(f, " {:>20} {:>7}", "(new stage)", "")?,
                }
            }
            writeln!(f)?;
        }
        writeln!(
            f,
            "decode        {:>9.1} ms/photo (overlaps inference)",
            self.decode_ms_per_photo
        )?;
        write!(
            f,
            "whole pipeline {:>7.1} s  {:>7.2} photos/s  {:>7.2} faces/s",
            self.pipeline_seconds, self.pipeline_photos_per_second, self.pipeline_faces_per_second
        )?;
        if let Some(r) = reference {
            write!(
                f,
                "  (reference {:.2} photos/s: {:.2}×)",
                r.pipeline_photos_per_second,
                self.pipeline_photos_per_second / r.pipeline_photos_per_second.max(1e-9)
            )?;
        }
        writeln!(f)?;
        write!(
            f,
            "unchanged re-run {:>5.3} s  ({} photos analysed)",
            self.rerun_seconds, self.rerun_analyzed
        )
    }
}

/// Runs the analysis benchmark; `log` receives progress lines.
pub fn analyze(
    options: &AnalyzeBenchOptions,
    observer: &dyn JobObserver,
    log: &mut dyn FnMut(&str),
) -> Result<AnalyzeBenchResult> {
    let reference = options
        .reference
        .as_deref()
        .map(ReferenceRun::load)
        .transpose()?;
    super::in_work_dir(options.dir.as_deref(), "analyze", |dir| {
        let photos_dir = photo_set(&options.source, dir, options.photos, log)?;
        let (total_bytes, mean_megapixels) = set_size(&photos_dir)?;

        log("cataloguing the set …");
        let mut catalog = super::catalogued_set(dir, &dir.join("analyze-bench.db"), &photos_dir)?;
        let cancel = CancelToken::new();

        let store = ModelStore::new(&options.models);
        log("analysing …");
        let started = Instant::now();
        let report = run_analysis(&mut catalog, &store, &options.analysis, observer, &cancel)?;
        let pipeline_seconds = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let rerun = run_analysis(
            &mut catalog,
            &store,
            &options.analysis,
            &crate::progress::Silent,
            &cancel,
        )?;
        let rerun_seconds = started.elapsed().as_secs_f64();
        Ok(AnalyzeBenchResult {
            reference: reference.clone(),
            ..figures(
                options,
                &report,
                pipeline_seconds,
                &rerun,
                rerun_seconds,
                total_bytes,
                mean_megapixels,
            )
        })
    })
}

fn figures(
    options: &AnalyzeBenchOptions,
    report: &AnalyzeReport,
    pipeline_seconds: f64,
    rerun: &AnalyzeReport,
    rerun_seconds: f64,
    total_bytes: u64,
    mean_megapixels: f64,
) -> AnalyzeBenchResult {
    let inference_ms: f64 = report.timings.stages.values().map(|t| t.ms).sum();
    let stages = report
        .timings
        .stages
        .iter()
        .map(|(stage, t)| {
            let seconds = (t.ms / 1000.0).max(1e-9);
            StageFigures {
                stage: *stage,
                photos: t.photos,
                faces: t.faces,
                ms_per_photo: t.ms / t.photos.max(1) as f64,
                photos_per_second: t.photos as f64 / seconds,
                faces_per_second: (stage.per_face() || *stage == crate::analysis::stages::FACES)
                    .then(|| t.faces as f64 / seconds),
                share: t.ms / inference_ms.max(1e-9),
            }
        })
        .collect();
    let photos = report.analyzed.max(1) as f64;
    AnalyzeBenchResult {
        photos: options.photos,
        source: options.source.display().to_string(),
        total_mb: total_bytes as f64 / 1e6,
        mean_megapixels,
        working_side: options.analysis.working_side,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        decode_threads: report.decode_threads,
        inference_threads: report.inference_threads,
        faces: report.faces,
        text_lines: report.text_lines,
        failed: report.failed,
        stages,
        decode_ms_per_photo: report.decode_ms / photos,
        pipeline_seconds,
        pipeline_photos_per_second: report.analyzed as f64 / pipeline_seconds,
        pipeline_faces_per_second: report.faces as f64 / pipeline_seconds,
        rerun_seconds,
        rerun_analyzed: rerun.analyzed,
        reference: None,
    }
}

/// The photos of `source` (sorted by name), then distinct variants of them until there are `count`.
/// The set of `count` photos built from `source` in `dir` (once: kept for later runs); its folder.
pub(super) fn photo_set(
    source: &Path,
    dir: &Path,
    count: usize,
    log: &mut dyn FnMut(&str),
) -> Result<PathBuf> {
    let photos_dir = dir.join(format!("analyze-photos-{count}"));
    if !photos_dir.join(".complete").is_file() {
        log(&format!(
            "building {count} photos from {} in {} …",
            source.display(),
            photos_dir.display()
        ));
        build_photo_set(source, &photos_dir, count)?;
    }
    Ok(photos_dir)
}

fn build_photo_set(source: &Path, photos_dir: &Path, count: usize) -> Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(source)
        .map_err(|e| Error::io(format!("cannot list {}", source.display()), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| classify_path(p) == FileKind::Supported && !is_hidden(p))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Other(format!("no photos in {}", source.display())));
    }
    std::fs::create_dir_all(photos_dir)
        .map_err(|e| Error::io("cannot create the set folder", e))?;
    (0..count).into_par_iter().try_for_each(|i| {
        let original = &files[i % files.len()];
        let round = i / files.len();
        let stem = original
            .file_stem()
            .map_or_else(|| "photo".into(), |s| s.to_string_lossy().into_owned());
        if round == 0 {
            let ext = original
                .extension()
                .map_or_else(String::new, |e| e.to_string_lossy().into_owned());
            let dest = photos_dir.join(format!("{i:05}_{stem}.{ext}"));
            return std::fs::copy(original, &dest)
                .map(|_| ())
                .map_err(|e| Error::io(format!("cannot copy {}", original.display()), e));
        }
        // The media crate's decoders, so HEIC, AVIF and RAW sources vary like the rest.
        let bytes = std::fs::read(original)
            .map_err(|e| Error::io(format!("cannot read {}", original.display()), e))?;
        let cannot = |e: crate::media::FileProblem| {
            Error::Other(format!("cannot decode {}: {}", original.display(), e.0))
        };
        let facts =
            crate::media::inspect(&bytes, crate::media::DEFAULT_MAX_PIXELS).map_err(cannot)?;
        let img = crate::media::imaging::decode_upright(
            &bytes,
            &facts,
            crate::media::imaging::DecodeRoute::Full,
            u32::MAX,
        )
        .map_err(cannot)?;
        let variant = vary(&img, i as u32, round % 2 == 1);
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 92)
            .encode_image(&variant)
            .map_err(|e| Error::Other(e.to_string()))?;
        let dest = photos_dir.join(format!("{i:05}_{stem}_v{round}.jpg"));
        std::fs::write(&dest, bytes)
            .map_err(|e| Error::io(format!("cannot write {}", dest.display()), e))
    })?;
    std::fs::write(photos_dir.join(".complete"), b"")
        .map_err(|e| Error::io("cannot write the set marker", e))
}

/// A crop of 85–100 % of each side at an offset drawn from `seed`, mirrored if asked.
fn vary(img: &image::RgbImage, seed: u32, mirror: bool) -> image::RgbImage {
    let mut state = seed.wrapping_mul(0x9E37_79B9) | 1;
    let mut next = |range: u32| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state % range.max(1)
    };
    let (w, h) = img.dimensions();
    let cw = w - w * next(16) / 100;
    let ch = h - h * next(16) / 100;
    let (x, y) = (next(w - cw + 1), next(h - ch + 1));
    let mut out = image::imageops::crop_imm(img, x, y, cw, ch).to_image();
    if mirror {
        image::imageops::flip_horizontal_in_place(&mut out);
    }
    out
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Total bytes and mean megapixels of the set.
fn set_size(photos_dir: &Path) -> Result<(u64, f64)> {
    let mut bytes = 0;
    let mut megapixels = Vec::new();
    for entry in std::fs::read_dir(photos_dir).map_err(|e| Error::io("cannot list the set", e))? {
        let path = entry
            .map_err(|e| Error::io("cannot list the set", e))?
            .path();
        if classify_path(&path) != FileKind::Supported {
            continue;
        }
        bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if let Ok((w, h)) = image::image_dimensions(&path) {
            megapixels.push(w as f64 * h as f64 / 1e6);
        }
    }
    let mean = megapixels.iter().sum::<f64>() / megapixels.len().max(1) as f64;
    Ok((bytes, mean))
}
