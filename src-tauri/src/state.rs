//! What the app keeps while it runs: where the catalogue, cache and models are, the connections the
//! commands and the image scheme use, the searcher (its index stays in memory between searches), the
//! look-alike index (kept until the catalogue changes), the running jobs, and the export folders
//! this session wrote to (the only folders it will open).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

use argus_api::catalog::{Catalog, ChangeStamp};
use argus_api::paths::Locations;
use argus_api::progress::CancelToken;
use argus_api::search::Searcher;
use argus_api::similar::LookAlikes;

use crate::contract::{JobProgress, Problem};

/// The app's state (Tauri-managed).
pub struct AppState {
    pub locations: Locations,
    /// The commands' connection (jobs and the image scheme open their own).
    catalog: Mutex<Catalog>,
    searcher: Mutex<Searcher>,
    /// The look-alike index ("more like this", duplicate groups) and the catalogue it was read from.
    lookalikes: Mutex<Option<(ChangeStamp, Arc<LookAlikes>)>>,
    pub jobs: Jobs,
    export_folders: Mutex<HashSet<PathBuf>>,
    pub launched: Instant,
}

impl AppState {
    pub fn new(locations: Locations, launched: Instant) -> argus_api::Result<AppState> {
        Ok(AppState {
            catalog: Mutex::new(locations.open_catalog()?),
            searcher: Mutex::new(locations.searcher()),
            locations,
            lookalikes: Mutex::new(None),
            jobs: Jobs::default(),
            export_folders: Mutex::new(HashSet::new()),
            launched,
        })
    }

    pub fn catalog(&self) -> MutexGuard<'_, Catalog> {
        lock(&self.catalog)
    }

    /// The catalogue and the searcher together (searches need both).
    pub fn searcher(&self) -> (MutexGuard<'_, Catalog>, MutexGuard<'_, Searcher>) {
        let catalog = self.catalog();
        let searcher = lock(&self.searcher);
        (catalog, searcher)
    }

    /// The look-alike index of `catalog` (the commands' connection) as it stands: the one kept,
    /// unless the catalogue changed since it was read (reading it takes seconds at 100k photos).
    pub fn lookalikes(&self, catalog: &Catalog) -> argus_api::Result<Arc<LookAlikes>> {
        let stamp = catalog.change_stamp()?;
        let mut kept = lock(&self.lookalikes);
        if let Some((at, index)) = kept.as_ref() {
            if *at == stamp {
                return Ok(Arc::clone(index));
            }
        }
        let index = Arc::new(LookAlikes::load(catalog)?);
        *kept = Some((stamp, Arc::clone(&index)));
        Ok(index)
    }

    pub fn remember_export_folder(&self, folder: &Path) {
        let mut folders = self
            .export_folders
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        folders.insert(folder.to_path_buf());
    }

    pub fn is_export_folder(&self, folder: &Path) -> bool {
        let folders = self
            .export_folders
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        folders.contains(folder)
    }
}

/// Locks a mutex; a panic elsewhere while it was held does not make the data unusable here (every
/// guarded value is a connection, a cache or a list that stays consistent).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A job's thread and the token that stops it.
pub struct Running {
    pub cancel: CancelToken,
    pub thread: JoinHandle<()>,
}

/// The running jobs, what the last one reported and its problems.
#[derive(Default)]
pub struct Jobs {
    pub worker: Mutex<Option<Running>>,
    pub export: Mutex<Option<Running>>,
    /// Progress of the job running now (for a window that opens meanwhile).
    pub current: Mutex<Option<JobProgress>>,
    /// Problems of the last library batch (analysis problems are not in the catalogue's error list).
    pub last_problems: Mutex<Vec<Problem>>,
    /// The sidecar writer ("write sidecars"): whether it runs, and whether to run once more.
    pub sidecars: Mutex<SidecarJob>,
}

/// The state of the background sidecar writer.
#[derive(Debug, Default)]
pub struct SidecarJob {
    pub running: bool,
    pub again: bool,
}

impl Jobs {
    /// Stops the library worker after the files in progress (pause). Returns whether one ran.
    pub fn pause_worker(&self) -> bool {
        match lock(&self.worker).as_ref() {
            Some(r) if !r.thread.is_finished() => {
                r.cancel.cancel();
                true
            }
            _ => false,
        }
    }

    pub fn cancel_export(&self) -> bool {
        match lock(&self.export).as_ref() {
            Some(r) if !r.thread.is_finished() => {
                r.cancel.cancel();
                true
            }
            _ => false,
        }
    }
}
