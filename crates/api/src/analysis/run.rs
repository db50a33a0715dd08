//! The analysis job over the catalogue: every good photo whose ledger lacks a run of a wanted stage at
//! the stage's current version is decoded once (upright, at working size) and gets exactly its pending
//! stages. Decoding runs on its own threads while inference runs here, so the two overlap; results are
//! written in batched transactions. A photo that fails (or a stage that fails on it) is recorded with the
//! reason and the run carries on; failed runs are retried only on request.

use std::time::{Duration, Instant};

use image::RgbImage;
use rayon::prelude::*;
use serde::Serialize;

use argus_analysis::analyzer::{Analyzer, FaceGeometry, StageTimings};
use argus_analysis::models::ModelStore;
use argus_analysis::stages::Stage;
use argus_catalog::{Catalog, PendingPhoto, PhotoAnalysis};
use argus_core::progress::{CancelToken, JobObserver, JobStage};
use argus_core::{Error, Result};
use argus_media::imaging::{decode_upright, DEFAULT_ROUTE};
use argus_media::inspect;
use argus_people::job::{cluster_new_faces, ClusterReport};
use argus_people::ClusterParams;

/// Photos per write transaction (or every half second, whichever comes first).
const WRITE_BATCH: usize = 32;

/// How an analysis run behaves.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// The stages to bring up to date.
    pub stages: Vec<Stage>,
    /// Long side of the working image everything is computed on.
    pub working_side: u32,
    /// Threads decoding photos while inference runs.
    pub decode_threads: usize,
    /// Intra-op threads of each model session.
    pub inference_threads: usize,
    /// Analyse again photos whose last attempt at a stage failed.
    pub retry_failed: bool,
    /// Bigger images are not decoded (decompression-bomb guard), as in the scanner.
    pub max_pixels: u64,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        AnalyzeOptions {
            stages: Stage::all().collect(),
            working_side: 1280,
            decode_threads: 1.max(cores / 2),
            inference_threads: cores,
            retry_failed: false,
            max_pixels: argus_media::DEFAULT_MAX_PIXELS,
        }
    }
}

impl AnalyzeOptions {
    /// The runtime and models these stages need that are not installed in `store` (empty: ready).
    pub fn missing_models(&self, store: &ModelStore) -> Vec<String> {
        // Each model once, though several stages run it.
        let mut ids: Vec<&str> = Vec::new();
        for id in self.stages.iter().flat_map(|s| s.models().iter().copied()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        store.missing(&ids)
    }
}

/// A photo (or one stage of it) that could not be analysed.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisProblem {
    pub photo_id: i64,
    pub path: std::path::PathBuf,
    /// The stage that failed, or null when the photo could not be read at all.
    pub stage: Option<String>,
    pub reason: String,
}

/// A stage and the version it was brought up to.
#[derive(Debug, Clone, Serialize)]
pub struct StageVersion {
    pub stage: Stage,
    pub version: String,
}

/// What an analysis run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AnalyzeReport {
    pub stages: Vec<StageVersion>,
    /// Good photos already up to date for every wanted stage (not touched).
    pub up_to_date: u64,
    /// Photos that had at least one stage to run.
    pub pending: u64,
    /// Photos analysed (every pending stage ran, possibly with a stage failing).
    #[serde(rename = "analysed")]
    pub analyzed: u64,
    /// Faces found by face detection in this run.
    pub faces: u64,
    /// Lines of text found in this run.
    pub text_lines: u64,
    /// Photos with a problem (unreadable, or a stage failed).
    pub failed: u64,
    pub problems: Vec<AnalysisProblem>,
    pub cancelled: bool,
    pub decode_threads: usize,
    pub inference_threads: usize,
    /// Decode time summed over decode threads.
    pub decode_ms: f64,
    /// Inference time per stage (wall time on the inference thread).
    pub timings: StageTimings,
    /// New faces grouped into people after the analysis (when embeddings were wanted).
    pub people: Option<ClusterReport>,
    pub elapsed_ms: u64,
}

struct Decoded {
    photo: PendingPhoto,
    image: std::result::Result<RgbImage, Unreadable>,
    decode_ms: f64,
}

/// Why a photo could not be decoded, and whether that is worth recording in the ledger.
struct Unreadable {
    reason: String,
    /// False when the file changed or went away since the scan: the next scan deals with it, so no
    /// failed run is recorded (it would block a retry).
    record: bool,
}

/// Brings the wanted stages up to date for every good photo.
pub fn analyze(
    catalog: &mut Catalog,
    store: &ModelStore,
    options: &AnalyzeOptions,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<AnalyzeReport> {
    analyze_reusing(catalog, store, &mut None, options, observer, cancel)
}

/// [`analyze`] with models kept loaded between calls (the watcher): `loaded` is used when it has every
/// stage the pending photos need, and (re)loaded otherwise. Nothing is loaded when nothing is pending.
pub fn analyze_reusing(
    catalog: &mut Catalog,
    store: &ModelStore,
    loaded: &mut Option<Analyzer>,
    options: &AnalyzeOptions,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<AnalyzeReport> {
    let started = Instant::now();
    let (stages, versions) = plan(options, store);
    let wanted: Vec<(&str, &str)> = versions.iter().map(|(s, v)| (*s, v.as_str())).collect();
    let mut report = empty_report(options, &stages, &versions);
    let mut pending = catalog.analysis_pending(&wanted, options.retry_failed)?;
    redo_face_stages_with_detection(&mut pending, &stages);
    report.pending = pending.len() as u64;
    report.up_to_date = (catalog.stats()?.photos as u64).saturating_sub(report.pending);
    if !pending.is_empty() {
        observer.stage(JobStage::Analyze, Some(pending.len() as u64));
        analyze_photos(
            catalog,
            store,
            loaded,
            options,
            &stages,
            &pending,
            None,
            observer,
            cancel,
            &mut report,
        )?;
    }
    report.cancelled = cancel.is_cancelled();
    if !report.cancelled {
        cluster_people(catalog, store, &stages, &mut report)?;
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// One worker of several sharing a catalogue (`argus analyze --worker`): its name (unique among
/// the workers), how long a claimed photo stays its own without word from it, and how many photos
/// it claims at a time.
#[derive(Debug, Clone)]
pub struct Worker {
    pub name: String,
    pub lease: Duration,
    pub batch: usize,
}

impl Worker {
    /// A worker named after this machine and process, with a 60 s lease and 16 photos a claim.
    pub fn on_this_machine() -> Worker {
        Worker {
            name: format!("{}:{}", argus_catalog::this_machine(), std::process::id()),
            lease: Duration::from_secs(60),
            batch: 16,
        }
    }
}

/// [`analyze`] as one of several workers on a shared catalogue: claims a few pending photos at a
/// time under a lease (see `argus_catalog::leases`), analyses them, writes each only while its lease
/// holds, and groups new faces into people one worker at a time. Returns when no photo is pending
/// and no other worker holds one (a dead worker's photos come back when its lease runs out).
pub fn analyze_as_worker(
    catalog: &mut Catalog,
    store: &ModelStore,
    options: &AnalyzeOptions,
    worker: &Worker,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<AnalyzeReport> {
    let started = Instant::now();
    let (stages, versions) = plan(options, store);
    let wanted: Vec<(&str, &str)> = versions.iter().map(|(s, v)| (*s, v.as_str())).collect();
    let mut report = empty_report(options, &stages, &versions);
    observer.stage(JobStage::Analyze, None);
    let mut loaded = None;
    let outcome = (|| -> Result<()> {
        while !cancel.is_cancelled() {
            let mut claimed = catalog.claim_pending(
                &wanted,
                options.retry_failed,
                &worker.name,
                worker.lease,
                worker.batch,
            )?;
            if claimed.is_empty() {
                if catalog.leases_of_others(&worker.name)? == 0 {
                    break;
                }
                // Others hold the rest: wait for them to finish, or for a dead one's lease to end.
                std::thread::sleep(Duration::from_millis(500));
                continue;
            }
            redo_face_stages_with_detection(&mut claimed, &stages);
            report.pending += claimed.len() as u64;
            analyze_photos(
                catalog,
                store,
                &mut loaded,
                options,
                &stages,
                &claimed,
                Some(worker),
                observer,
                cancel,
                &mut report,
            )?;
            cluster_people(catalog, store, &stages, &mut report)?;
        }
        Ok(())
    })();
    // Whatever happened, what this worker still holds is free for the others at once.
    let released = catalog.release_leases(&worker.name);
    outcome?;
    released?;
    report.cancelled = cancel.is_cancelled();
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// The wanted stages in run order, with their current versions.
fn plan<'s>(options: &AnalyzeOptions, store: &ModelStore) -> (Vec<Stage>, Vec<(&'s str, String)>) {
    let stages: Vec<Stage> = Stage::all()
        .filter(|s| options.stages.contains(s))
        .collect();
    let versions = stages
        .iter()
        .map(|s| (s.name(), s.version(store)))
        .collect();
    (stages, versions)
}

fn empty_report(
    options: &AnalyzeOptions,
    stages: &[Stage],
    versions: &[(&str, String)],
) -> AnalyzeReport {
    AnalyzeReport {
        stages: stages
            .iter()
            .zip(versions)
            .map(|(s, (_, v))| StageVersion {
                stage: *s,
                version: v.clone(),
            })
            .collect(),
        decode_threads: options.decode_threads.max(1),
        inference_threads: options.inference_threads.max(1),
        ..AnalyzeReport::default()
    }
}

/// Decodes and analyses `pending` (loading the models they need into `loaded` unless it has them),
/// writing results in batches; as a `worker`, each only while its lease holds.
#[allow(clippy::too_many_arguments)]
fn analyze_photos(
    catalog: &mut Catalog,
    store: &ModelStore,
    loaded: &mut Option<Analyzer>,
    options: &AnalyzeOptions,
    stages: &[Stage],
    pending: &[PendingPhoto],
    worker: Option<&Worker>,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
    report: &mut AnalyzeReport,
) -> Result<()> {
    let needed: Vec<Stage> = stages
        .iter()
        .enumerate()
        .filter(|(i, _)| pending.iter().any(|p| p.stages.contains(i)))
        .map(|(_, s)| *s)
        .collect();
    if !loaded
        .as_ref()
        .is_some_and(|a| needed.iter().all(|s| a.has(*s)))
    {
        *loaded = Some(Analyzer::load(store, &needed, report.inference_threads)?);
        if let Some(worker) = worker {
            // Loading the models may take a while: the claimed photos stay this worker's.
            catalog.renew_leases(&worker.name, worker.lease)?;
        }
    }
    let analyzer = loaded.as_mut().expect("loaded above");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(report.decode_threads)
        .thread_name(|i| format!("argus-decode-{i}"))
        .build()
        .map_err(|e| Error::Other(format!("cannot start decode threads: {e}")))?;
    let (tx, rx) = crossbeam_channel::bounded::<Decoded>(2 * report.decode_threads + 1);
    let (working_side, max_pixels) = (options.working_side, options.max_pixels);
    std::thread::scope(|s| -> Result<()> {
        s.spawn(move || {
            pool.install(|| {
                pending.par_iter().for_each_with(tx, |tx, photo| {
                    if cancel.is_cancelled() {
                        return;
                    }
                    let t = Instant::now();
                    let image = load_working_image(photo, working_side, max_pixels);
                    let _ = tx.send(Decoded {
                        photo: photo.clone(),
                        image,
                        decode_ms: t.elapsed().as_secs_f64() * 1000.0,
                    });
                });
            });
        });
        let mut job = Job {
            catalog,
            analyzer,
            stages,
            worker,
            observer,
            report,
        };
        let result = job.consume(&rx, cancel);
        if result.is_err() {
            cancel.cancel();
            while rx.recv().is_ok() {}
        }
        result
    })
}

/// Groups the faces no clustering has seen into people (only new faces: see `people::job`).
fn cluster_people(
    catalog: &mut Catalog,
    store: &ModelStore,
    stages: &[Stage],
    report: &mut AnalyzeReport,
) -> Result<()> {
    if stages.contains(&argus_analysis::stages::EMBEDDING) {
        report.people = Some(cluster_new_faces(
            catalog,
            &ClusterParams::default(),
            &argus_analysis::stages::EMBEDDING.version(store),
        )?);
    }
    Ok(())
}

/// Detection replaces a photo's faces, so wherever it runs every wanted per-face stage runs too.
fn redo_face_stages_with_detection(pending: &mut [PendingPhoto], stages: &[Stage]) {
    let Some(faces) = stages
        .iter()
        .position(|s| *s == argus_analysis::stages::FACES)
    else {
        return;
    };
    for photo in pending.iter_mut().filter(|p| p.stages.contains(&faces)) {
        for (i, stage) in stages.iter().enumerate() {
            if stage.per_face() && !photo.stages.contains(&i) {
                photo.stages.push(i);
            }
        }
        photo.stages.sort_unstable();
    }
}

/// Reads a photo, checks it is still the content the catalogue knows, and decodes it upright.
fn load_working_image(
    photo: &PendingPhoto,
    working_side: u32,
    max_pixels: u64,
) -> std::result::Result<RgbImage, Unreadable> {
    let unreadable = |reason: String, record: bool| Unreadable { reason, record };
    let bytes = std::fs::read(&photo.path)
        .map_err(|e| unreadable(format!("cannot read the file: {e}"), false))?;
    if blake3::hash(&bytes).to_hex().as_str() != photo.hash {
        return Err(unreadable(
            "the file changed since it was scanned: run `argus scan`".into(),
            false,
        ));
    }
    let facts = inspect(&bytes, max_pixels).map_err(|p| unreadable(p.0, true))?;
    std::panic::catch_unwind(|| decode_upright(&bytes, &facts, DEFAULT_ROUTE, working_side))
        .map_err(|_| unreadable("the decoder failed on this file".into(), true))?
        .map_err(|p| unreadable(p.0, true))
}

/// The inference-and-write side of a run.
struct Job<'a> {
    catalog: &'a mut Catalog,
    analyzer: &'a mut Analyzer,
    stages: &'a [Stage],
    /// As one of several workers: results are written only under the worker's lease.
    worker: Option<&'a Worker>,
    observer: &'a dyn JobObserver,
    report: &'a mut AnalyzeReport,
}

impl Job<'_> {
    fn consume(
        &mut self,
        rx: &crossbeam_channel::Receiver<Decoded>,
        cancel: &CancelToken,
    ) -> Result<()> {
        let mut batch: Vec<(String, PhotoAnalysis)> = Vec::new();
        let mut last_commit = Instant::now();
        let mut last_renewal = Instant::now();
        for decoded in rx {
            if cancel.is_cancelled() {
                // Photos decoded ahead are dropped: they stay pending for the next run.
                continue;
            }
            self.report.decode_ms += decoded.decode_ms;
            let photo_stages: Vec<Stage> = decoded
                .photo
                .stages
                .iter()
                .map(|&i| self.stages[i])
                .collect();
            let result = match &decoded.image {
                Ok(img) => Some(self.analyze(&decoded.photo, img, &photo_stages)?),
                Err(why) => {
                    self.problem(&decoded.photo, None, &why.reason);
                    why.record.then(|| {
                        failed_everywhere(&decoded.photo, &photo_stages, self.analyzer, &why.reason)
                    })
                }
            };
            if let Some(result) = result {
                batch.push((decoded.photo.hash.clone(), result));
            }
            self.observer.advance(&decoded.photo.path);
            if batch.len() >= WRITE_BATCH
                || last_commit.elapsed() > Duration::from_millis(500)
                || cancel.is_cancelled()
            {
                commit(self.catalog, &mut batch, self.worker)?;
                last_commit = Instant::now();
            }
            if let Some(worker) = self.worker {
                // Slow photos: word from this worker well before its leases run out.
                if last_renewal.elapsed() > worker.lease / 3 {
                    self.catalog.renew_leases(&worker.name, worker.lease)?;
                    last_renewal = Instant::now();
                }
            }
        }
        commit(self.catalog, &mut batch, self.worker)
    }

    fn analyze(
        &mut self,
        photo: &PendingPhoto,
        img: &RgbImage,
        stages: &[Stage],
    ) -> Result<PhotoAnalysis> {
        let needs_stored_faces =
            !stages.contains(&argus_analysis::stages::FACES) && stages.iter().any(|s| s.per_face());
        let stored = if needs_stored_faces {
            stored_geometry(self.catalog, photo.id, img)?
        } else {
            Vec::new()
        };
        let mut timings = StageTimings::default();
        let result = self
            .analyzer
            .analyze(photo.id, img, stages, &stored, &mut timings);
        self.report.timings.merge(&timings);
        self.report.analyzed += 1;
        self.report.faces += result.new_faces.as_ref().map_or(0, |(_, f)| f.len() as u64);
        self.report.text_lines += result.text.as_ref().map_or(0, |(_, t)| t.len() as u64);
        let failures: Vec<(String, String)> = result
            .runs
            .iter()
            .filter_map(|(stage, _, error)| error.clone().map(|e| (stage.clone(), e)))
            .collect();
        for (stage, reason) in failures {
            self.problem(photo, Some(stage), &reason);
        }
        Ok(result)
    }

    fn problem(&mut self, photo: &PendingPhoto, stage: Option<String>, reason: &str) {
        let first_for_photo = self
            .report
            .problems
            .last()
            .is_none_or(|p| p.photo_id != photo.id);
        if first_for_photo {
            self.report.failed += 1;
        }
        self.report.problems.push(AnalysisProblem {
            photo_id: photo.id,
            path: photo.path.clone(),
            stage,
            reason: reason.to_string(),
        });
    }
}

/// Every pending stage of an unreadable photo, recorded as failed with the reason.
fn failed_everywhere(
    photo: &PendingPhoto,
    stages: &[Stage],
    analyzer: &Analyzer,
    reason: &str,
) -> PhotoAnalysis {
    PhotoAnalysis {
        photo_id: photo.id,
        runs: stages
            .iter()
            .map(|s| {
                (
                    s.name().to_string(),
                    analyzer.version(*s).to_string(),
                    Some(reason.to_string()),
                )
            })
            .collect(),
        ..PhotoAnalysis::default()
    }
}

/// The stored faces of a photo, in the pixels of its working image.
fn stored_geometry(
    catalog: &Catalog,
    photo_id: i64,
    img: &RgbImage,
) -> Result<Vec<(i64, FaceGeometry)>> {
    let (w, h) = (img.width() as f32, img.height() as f32);
    Ok(catalog
        .faces_of(photo_id)?
        .into_iter()
        .filter(|f| f.landmarks.len() == 5)
        .map(|f| {
            let mut landmarks = [[0f32; 2]; 5];
            for (dst, src) in landmarks.iter_mut().zip(&f.landmarks) {
                *dst = [src[0] * w, src[1] * h];
            }
            let geometry = FaceGeometry {
                bbox: [f.x * w, f.y * h, f.w * w, f.h * h],
                landmarks,
            };
            (f.id, geometry)
        })
        .collect())
}

/// Writes a batch of results, each with the content hash it was computed from; as a `worker`, each
/// only if the worker still holds the photo's lease (then the others' leases are renewed).
fn commit(
    catalog: &mut Catalog,
    batch: &mut Vec<(String, PhotoAnalysis)>,
    worker: Option<&Worker>,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let tx = catalog.writer()?;
    for (hash, result) in batch.drain(..) {
        if let Some(worker) = worker {
            let runs: Vec<(&str, &str)> = result
                .runs
                .iter()
                .map(|(stage, version, _)| (stage.as_str(), version.as_str()))
                .collect();
            if !tx.end_lease(result.photo_id, &worker.name, &runs)? {
                // The lease ran out and another worker has the photo: its results count.
                continue;
            }
        }
        // A scan running meanwhile may have removed the photo or seen its content change: then these
        // results describe pixels the catalogue no longer has, and are not written.
        tx.write_analysis_of(&hash, &result)?;
    }
    tx.commit()?;
    if let Some(worker) = worker {
        catalog.renew_leases(&worker.name, worker.lease)?;
    }
    Ok(())
}
