//! The app's long jobs, each on its own thread with its own catalogue connection, reporting through
//! events: the library worker (the watcher: a catch-up scan with analysis and face grouping, then
//! live changes as they happen) and exports. Progress goes out as `job-progress` (at most ten a
//! second, and at every stage change), the end of each batch as `job-finished`, and
//! `catalog-changed` tells the window to refresh. Pausing stops the worker after the files in
//! progress; resuming starts it again, and since scans and analysis are incremental it goes on
//! where it stopped.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter, Manager};

use argus_api::analysis::{AnalyzeOptions, AnalyzeReport};
use argus_api::export::{export, ExportOptions, ExportReport};
use argus_api::pipeline::AnalysisPlan;
use argus_api::progress::{CancelToken, JobObserver, JobStage, Silent};
use argus_api::scan::{ScanOptions, ScanReport};
use argus_api::sidecars::{write_sidecars, SidecarSettings};
use argus_api::watch::{watch, WatchBatch, WatchObserver, WatchOptions};

use crate::contract::{JobFinished, JobKind, JobProgress, Problem};
use crate::events::catalog_changed;
use crate::state::{lock, AppState, Running};

const EMIT_EVERY: Duration = Duration::from_millis(100);

/// (Re)starts the library worker: stops the one running (after its files in progress), then scans
/// every library, analyses and groups faces, and watches for changes until paused or the app ends.
pub fn start_worker(app: &AppHandle, retry: bool) {
    let state = app.state::<AppState>();
    let mut slot = lock(&state.jobs.worker);
    let previous = slot.take();
    if let Some(p) = &previous {
        p.cancel.cancel();
    }
    let cancel = CancelToken::new();
    let thread = {
        let app = app.clone();
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            if let Some(p) = previous {
                let _ = p.thread.join();
            }
            run_worker(&app, retry, &cancel);
        })
    };
    *slot = Some(Running { cancel, thread });
}

fn run_worker(app: &AppHandle, retry: bool, cancel: &CancelToken) {
    let state = app.state::<AppState>();
    let locations = state.locations.clone();
    let observer = Progress::new(app, JobKind::Scan);
    let result = (|| -> argus_api::Result<()> {
        let mut catalog = locations.open_catalog()?;
        if catalog.libraries()?.is_empty() {
            return Ok(());
        }
        let analyze = AnalyzeOptions {
            retry_failed: retry,
            ..AnalyzeOptions::default()
        };
        let analysis = AnalysisPlan::new(locations.models(), analyze);
        let options = WatchOptions {
            scan: ScanOptions {
                retry_errors: retry,
                ..ScanOptions::default()
            },
            analysis,
            ..WatchOptions::default()
        };
        watch(
            &mut catalog,
            &locations.thumbs(),
            &options,
            &observer,
            cancel,
        )
    })();
    observer.idle();
    if let Err(e) = result {
        let finished = JobFinished {
            kind: JobKind::Scan,
            cancelled: cancel.is_cancelled(),
            summary: format!("the library worker stopped: {e}"),
            problems: Vec::new(),
            output: None,
            files: 0,
        };
        let _ = app.emit("job-finished", finished);
    }
}

/// Brings the XMP sidecars up to date on a thread of their own, when the user turned "write sidecars"
/// on: after people edits and after each batch of the library worker. One run at a time; a request
/// during a run makes it run once more (it only rewrites sidecars whose text would change).
pub fn write_sidecars_soon(app: &AppHandle) {
    let state = app.state::<AppState>();
    let enabled = SidecarSettings::load(&state.catalog())
        .map(|s| s.write_sidecars)
        .unwrap_or(false);
    if !enabled {
        return;
    }
    let mut slot = lock(&state.jobs.sidecars);
    slot.again = true;
    if slot.running {
        return;
    }
    slot.running = true;
    let app = app.clone();
    std::thread::spawn(move || loop {
        let state = app.state::<AppState>();
        {
            let mut slot = lock(&state.jobs.sidecars);
            if !slot.again {
                slot.running = false;
                return;
            }
            slot.again = false;
        }
        let written = (|| -> argus_api::Result<usize> {
            let mut catalog = state.locations.open_catalog()?;
            let settings = SidecarSettings::load(&catalog)?;
            if !settings.write_sidecars {
                return Ok(0);
            }
            let report = write_sidecars(
                &mut catalog,
                &state.locations.thumbs(),
                &settings.request(),
                &Silent,
                &CancelToken::new(),
            )?;
            Ok(report.written)
        })();
        match written {
            Ok(0) => {}
            Ok(n) => catalog_changed(&app, &format!("{n} sidecars written")),
            Err(e) => {
                let _ = app.emit(
                    "job-finished",
                    JobFinished {
                        kind: JobKind::Scan,
                        cancelled: false,
                        summary: format!("writing sidecars failed: {e}"),
                        problems: Vec::new(),
                        output: None,
                        files: 0,
                    },
                );
            }
        }
    });
}

/// Runs an export of `ids` on its own thread (one export at a time).
pub fn start_export(app: &AppHandle, ids: Vec<i64>, options: ExportOptions) -> Result<(), String> {
    let state = app.state::<AppState>();
    let mut slot = lock(&state.jobs.export);
    if slot.as_ref().is_some_and(|r| !r.thread.is_finished()) {
        return Err("an export is already running".into());
    }
    state.remember_export_folder(&options.out);
    let cancel = CancelToken::new();
    let thread = {
        let app = app.clone();
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            let state = app.state::<AppState>();
            let observer = Progress::new(&app, JobKind::Export);
            let report = state
                .locations
                .open_catalog()
                .and_then(|catalog| export(&catalog, &ids, &options, &observer, &cancel));
            observer.idle();
            let _ = app.emit("job-finished", export_finished(&options.out, report));
        })
    };
    *slot = Some(Running { cancel, thread });
    Ok(())
}

fn export_finished(out: &Path, report: argus_api::Result<ExportReport>) -> JobFinished {
    match report {
        Ok(r) => JobFinished {
            kind: JobKind::Export,
            cancelled: r.cancelled,
            summary: format!(
                "{} crops written, {} unchanged, of {} photos{}",
                r.written,
                r.unchanged,
                r.photos,
                if r.content_fallbacks > 0 {
                    format!(
                        " ({} without a face: cropped on detail)",
                        r.content_fallbacks
                    )
                } else {
                    String::new()
                }
            ),
            problems: r
                .problems
                .iter()
                .map(|p| Problem {
                    path: p.path.display().to_string(),
                    stage: "export".into(),
                    reason: p.reason.clone(),
                })
                .collect(),
            output: Some(out.display().to_string()),
            files: r.written + r.unchanged,
        },
        Err(e) => JobFinished {
            kind: JobKind::Export,
            cancelled: false,
            summary: format!("the export failed: {e}"),
            problems: Vec::new(),
            output: Some(out.display().to_string()),
            files: 0,
        },
    }
}

/// The library batch's problems: files that could not be catalogued and photos whose analysis failed.
fn batch_problems(report: &ScanReport, analysis: Option<&AnalyzeReport>) -> Vec<Problem> {
    let read = report.problems.iter().map(|p| Problem {
        path: p.path.display().to_string(),
        stage: "read".into(),
        reason: p.reason.clone(),
    });
    let analyzed = analysis
        .into_iter()
        .flat_map(|a| &a.problems)
        .map(|p| Problem {
            path: p.path.display().to_string(),
            stage: p.stage.clone().unwrap_or_else(|| "read".into()),
            reason: p.reason.clone(),
        });
    read.chain(analyzed).collect()
}

struct StageState {
    stage: JobStage,
    total: Option<u64>,
    done: u64,
    started: Instant,
    last_emit: Option<Instant>,
}

/// Turns a job's observer calls into events.
struct Progress {
    app: AppHandle,
    kind: JobKind,
    state: Mutex<Option<StageState>>,
}

impl Progress {
    fn new(app: &AppHandle, kind: JobKind) -> Progress {
        Progress {
            app: app.clone(),
            kind,
            state: Mutex::new(None),
        }
    }

    fn emit(&self, s: &StageState, current: Option<&Path>) {
        let elapsed = s.started.elapsed().as_secs_f64();
        let eta_seconds = match s.total {
            Some(total) if s.done > 0 && elapsed > 0.5 => {
                Some(elapsed / s.done as f64 * total.saturating_sub(s.done) as f64)
            }
            _ => None,
        };
        let progress = JobProgress {
            kind: self.kind,
            stage: s.stage,
            done: s.done,
            total: s.total,
            eta_seconds,
            current: current
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned()),
        };
        *lock(&self.app.state::<AppState>().jobs.current) = Some(progress.clone());
        let _ = self.app.emit("job-progress", progress);
    }

    /// The job ended (or is only watching now).
    fn idle(&self) {
        *lock(&self.state) = None;
        *lock(&self.app.state::<AppState>().jobs.current) = None;
    }
}

impl JobObserver for Progress {
    fn stage(&self, stage: JobStage, total: Option<u64>) {
        let mut state = lock(&self.state);
        let s = state.insert(StageState {
            stage,
            total,
            done: 0,
            started: Instant::now(),
            last_emit: Some(Instant::now()),
        });
        self.emit(s, None);
    }

    fn advance(&self, path: &Path) {
        let mut state = lock(&self.state);
        let Some(s) = state.as_mut() else { return };
        s.done += 1;
        let due = s.last_emit.is_none_or(|t| t.elapsed() >= EMIT_EVERY) || Some(s.done) == s.total;
        if due {
            s.last_emit = Some(Instant::now());
            self.emit(s, Some(path));
        }
    }
}

impl WatchObserver for Progress {
    fn applied(&self, what: &WatchBatch, report: &ScanReport, analysis: Option<&AnalyzeReport>) {
        let problems = batch_problems(report, analysis);
        *lock(&self.app.state::<AppState>().jobs.last_problems) = problems.clone();
        let mut summary = match what {
            WatchBatch::CatchUp => format!("Libraries scanned: {}", report.summary()),
            WatchBatch::Paths(_) => format!("Changes applied: {}", report.summary()),
            WatchBatch::Rescan(why) => format!("Rescanned ({why}): {}", report.summary()),
        };
        if let Some(a) = analysis {
            summary.push_str(&format!(
                "; {} photos analysed, {} faces found",
                a.analyzed, a.faces
            ));
            if let Some(people) = &a.people {
                let n = people.people;
                summary.push_str(&format!(
                    ", {n} {}",
                    if n == 1 { "person" } else { "people" }
                ));
            }
        }
        self.idle();
        let finished = JobFinished {
            kind: JobKind::Scan,
            cancelled: report.cancelled || analysis.is_some_and(|a| a.cancelled),
            summary,
            problems,
            output: None,
            files: 0,
        };
        let _ = self.app.emit("job-finished", finished);
        catalog_changed(&self.app, "library batch applied");
        write_sidecars_soon(&self.app);
    }
}
