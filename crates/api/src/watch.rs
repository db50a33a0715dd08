//! Live watching: keeps the catalogue in step with the libraries while it runs.
//!
//! File-system events (notify, debounced so a copy in progress or a rename pair arrives as one batch) are
//! turned into a [`Scope::Paths`] scan of just the touched files and folders, which reuses the scanner's
//! logic: unchanged files are skipped, a rename is a move (same photo id), a removal deletes. When the
//! kernel's event queue overflows (a burst too large to report) or the watcher reports an error, the
//! affected libraries are rescanned whole, so no change is lost. When asked, each batch that brought new
//! or changed photos is followed by analysis of what is pending, with the models kept loaded.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{MetadataKind, ModifyKind};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::analysis::AnalyzeReport;
use crate::pipeline::{scan_then_analyze, AnalysisPlan};
use argus_catalog::Catalog;
use argus_core::progress::{CancelToken, JobObserver};
use argus_core::Result;
use argus_media::thumbs::ThumbCache;
use argus_media::{classify_path, FileKind};
use argus_scan::{ScanOptions, ScanReport, Scope};

/// How the watcher behaves.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Quiet time before a batch of events is processed.
    pub debounce: Duration,
    pub scan: ScanOptions,
    /// Analyse what each batch brings in (models stay loaded between batches), or catalogue only.
    pub analysis: AnalysisPlan,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            debounce: Duration::from_millis(500),
            scan: ScanOptions::default(),
            analysis: AnalysisPlan::Skip(crate::pipeline::Skipped::Off),
        }
    }
}

/// What the watcher tells its caller.
pub trait WatchObserver: JobObserver {
    /// The catch-up scan at start, or a batch of changes, was applied (and analysed, when asked).
    fn applied(&self, what: &WatchBatch, report: &ScanReport, analysis: Option<&AnalyzeReport>);
}

/// Why a scan ran.
#[derive(Debug, Clone)]
pub enum WatchBatch {
    /// The scan of all libraries when watching starts.
    CatchUp,
    /// Changes under these paths.
    Paths(Vec<PathBuf>),
    /// Events were lost (queue overflow or watcher error): everything was rescanned.
    Rescan(String),
}

/// Watches every library until `cancel` is set. Starts with a full scan so that changes made while Argus
/// was not running are picked up.
pub fn watch(
    catalog: &mut Catalog,
    cache: &ThumbCache,
    options: &WatchOptions,
    observer: &dyn WatchObserver,
    cancel: &CancelToken,
) -> Result<()> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(options.debounce, None, tx).map_err(watch_error)?;
    for library in catalog.libraries()? {
        if library.path.is_dir() {
            debouncer
                .watch(&library.path, RecursiveMode::Recursive)
                .map_err(watch_error)?;
        }
    }
    // Watch first, then catch up: nothing that happens in between is missed.
    let mut models = None;
    let run = scan_then_analyze(
        catalog,
        cache,
        &Scope::All,
        &options.scan,
        &options.analysis,
        false,
        &mut models,
        observer,
        cancel,
    )?;
    observer.applied(&WatchBatch::CatchUp, &run.scan, run.analysis.as_ref().ok());

    while !cancel.is_cancelled() {
        let first = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // Take everything already queued as one batch.
        let mut pending = vec![first];
        pending.extend(rx.try_iter());
        let batch = collect_batch(pending);
        let scope = match &batch {
            WatchBatch::Paths(paths) if paths.is_empty() => continue,
            WatchBatch::Paths(paths) => Scope::Paths(paths.clone()),
            _ => Scope::All,
        };
        let run = scan_then_analyze(
            catalog,
            cache,
            &scope,
            &options.scan,
            &options.analysis,
            true,
            &mut models,
            observer,
            cancel,
        )?;
        observer.applied(&batch, &run.scan, run.analysis.as_ref().ok());
    }
    debouncer.stop();
    Ok(())
}

/// Turns debounced events into the paths to rescan, or a full rescan when events were lost.
fn watch_error(e: notify::Error) -> argus_core::Error {
    argus_core::Error::Watch(e.to_string())
}

fn collect_batch(results: Vec<DebounceEventResult>) -> WatchBatch {
    let mut paths = BTreeSet::new();
    for result in results {
        match result {
            Err(errors) => {
                let why = errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
                return WatchBatch::Rescan(why);
            }
            Ok(events) => {
                for event in events {
                    if event.need_rescan() {
                        return WatchBatch::Rescan("the event queue overflowed".into());
                    }
                    if !changes_content(&event.kind) {
                        continue;
                    }
                    let structural = is_structural(&event.kind);
                    for path in &event.paths {
                        if is_relevant(path, structural) {
                            paths.insert(path.clone());
                        }
                    }
                }
            }
        }
    }
    WatchBatch::Paths(paths.into_iter().collect())
}

/// Whether an event can change what the catalogue holds. Opening, reading and closing a file (which the
/// scanner itself does: without this filter it would wake itself up forever) and access-time updates
/// cannot.
fn changes_content(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// Creations, renames and removals change which files exist (as opposed to a file's content).
fn is_structural(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_))
            | EventKind::Any
    )
}

/// Image files and XMP sidecars (their photo is read again) matter, and so does anything that no longer
/// exists (it may have been a folder or a photo).
/// A folder matters when it appeared, moved or went away (its files may not have events of their own);
/// a folder's own metadata changes do not (its files' events cover them). Other files (documents, Argus's
/// own database journal) are ignored.
fn is_relevant(path: &std::path::Path, structural: bool) -> bool {
    match std::fs::symlink_metadata(path) {
        Err(_) => true,
        Ok(meta) if meta.is_dir() => structural,
        Ok(_) => classify_path(path) != FileKind::Ignored || argus_xmp::sidecar::is_sidecar(path),
    }
}
