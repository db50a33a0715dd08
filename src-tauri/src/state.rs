//! What the app keeps while it runs: where the catalogue, cache and models are, the connections the
//! commands and the image scheme use, the searcher (its index stays in memory between searches), the
//! running jobs, and the export folders this session wrote to (the only folders it will open).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use argus_api::catalog::Catalog;
use argus_api::paths::Locations;
use argus_api::search::Searcher;

use crate::jobs::Jobs;

/// The app's state (Tauri-managed).
pub struct AppState {
    pub locations: Locations,
    /// The commands' connection (jobs and the image scheme open their own).
    catalog: Mutex<Catalog>,
    searcher: Mutex<Searcher>,
    pub jobs: Jobs,
    export_folders: Mutex<HashSet<PathBuf>>,
    pub launched: Instant,
}

impl AppState {
    pub fn new(locations: Locations, launched: Instant) -> argus_api::Result<AppState> {
        Ok(AppState {
            catalog: Mutex::new(locations.open_catalog()?),
            locations,
            searcher: Mutex::new(Searcher::new()),
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
