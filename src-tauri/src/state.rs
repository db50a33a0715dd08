//! What the app keeps while it runs: where the catalogue, cache and models are, the connections the
//! commands and the image scheme use, the searcher (its index stays in memory between searches), the
//! running jobs, and the export folders this session wrote to (the only folders it will open).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use argus::catalog::Catalog;
use argus::models::ModelStore;
use argus::search::Searcher;
use argus::thumbs::ThumbCache;

use crate::jobs::Jobs;

/// Where things are. From `ARGUS_CATALOG`, `ARGUS_CACHE`, `ARGUS_MODELS` (as the CLI), else the
/// platform defaults.
#[derive(Debug, Clone)]
pub struct Locations {
    pub catalog: PathBuf,
    pub cache: PathBuf,
    pub models: PathBuf,
}

impl Locations {
    pub fn from_env() -> Locations {
        let absolute = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
        let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
        let cache = absolute(var("ARGUS_CACHE").unwrap_or_else(argus::paths::default_cache_dir));
        Locations {
            catalog: absolute(
                var("ARGUS_CATALOG").unwrap_or_else(argus::paths::default_catalog_path),
            ),
            models: absolute(var("ARGUS_MODELS").unwrap_or_else(|| cache.join("models"))),
            cache,
        }
    }

    pub fn thumbs(&self) -> ThumbCache {
        ThumbCache::new(&self.cache)
    }

    pub fn models(&self) -> ModelStore {
        ModelStore::new(&self.models)
    }

    pub fn open_catalog(&self) -> argus::Result<Catalog> {
        Catalog::open(&self.catalog)
    }
}

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
    pub fn new(locations: Locations, launched: Instant) -> argus::Result<AppState> {
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
        self.catalog.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The catalogue and the searcher together (searches need both).
    pub fn searcher(&self) -> (MutexGuard<'_, Catalog>, MutexGuard<'_, Searcher>) {
        let catalog = self.catalog();
        let searcher = self.searcher.lock().unwrap_or_else(|e| e.into_inner());
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
