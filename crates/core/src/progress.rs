//! Progress reporting and cancellation for long jobs, shared by the CLI (indicatif bars, Ctrl-C) and
//! the app (events, a cancel button). Jobs call an observer; they never print.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A flag a job polls between units of work; cloning shares the flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Asks the job to stop at the next unit of work; what is done so far is kept.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The stages of a long job (a scan, then analysis; or an export), in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum JobStage {
    /// Walking the library folders.
    Discover,
    /// Reading new and changed files: hash, header, EXIF, thumbnails.
    Read,
    /// Resolving moves and removing photos whose files are gone.
    Reconcile,
    /// Running the analysis models on photos that need them.
    Analyze,
    /// Cutting and writing crops (`argus export`).
    Export,
    /// Writing XMP sidecars (`argus xmp write`).
    Sidecars,
}

/// Receives a scan's progress. Called from worker threads: implementations must be cheap and `Sync`.
pub trait JobObserver: Sync {
    /// A stage starts; `total` is the number of units it will report, when known.
    fn stage(&self, stage: JobStage, total: Option<u64>);
    /// One unit of the current stage is done (`path` is the file it concerned).
    fn advance(&self, path: &std::path::Path);
}

/// An observer that ignores everything.
pub struct Silent;

impl JobObserver for Silent {
    fn stage(&self, _: JobStage, _: Option<u64>) {}
    fn advance(&self, _: &std::path::Path) {}
}
