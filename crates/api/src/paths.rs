//! Where the catalogue and the thumbnail cache live by default, and how they are overridden.
//!
//! Catalogue: `--catalog PATH`, else `$ARGUS_CATALOG`, else `<platform data dir>/catalog.db`.
//! Cache: `--cache DIR`, else `$ARGUS_CACHE`, else `<platform cache dir>`.
//! Models: `--models DIR`, else `$ARGUS_MODELS`, else `CACHE/models`. [`Locations`] resolves all three,
//! absolute, the same way for the CLI (flag or env, read by clap) and the app (env only).

use std::path::PathBuf;

use directories::ProjectDirs;

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("org", "Argus", "argus")
}

/// The default catalogue file: e.g. `~/.local/share/argus/catalog.db` on Linux.
pub fn default_catalog_path() -> PathBuf {
    match project_dirs() {
        Some(dirs) => dirs.data_dir().join("catalog.db"),
        None => PathBuf::from("argus-catalog.db"),
    }
}

/// The default cache folder (thumbnails): e.g. `~/.cache/argus` on Linux.
pub fn default_cache_dir() -> PathBuf {
    match project_dirs() {
        Some(dirs) => dirs.cache_dir().to_path_buf(),
        None => PathBuf::from("argus-cache"),
    }
}

/// Where one run of Argus keeps things, each absolute: the catalogue file, the cache folder and the
/// models folder. Paths given (CLI flags, `ARGUS_*`) win; else the platform defaults, with the models
/// in `CACHE/models`. The CLI and the app resolve them the same way.
#[derive(Debug, Clone)]
pub struct Locations {
    pub catalog: PathBuf,
    pub cache: PathBuf,
    pub models: PathBuf,
}

impl Locations {
    pub fn resolve(
        catalog: Option<PathBuf>,
        cache: Option<PathBuf>,
        models: Option<PathBuf>,
    ) -> Locations {
        let absolute = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
        let cache = absolute(cache.unwrap_or_else(default_cache_dir));
        Locations {
            catalog: absolute(catalog.unwrap_or_else(default_catalog_path)),
            models: absolute(models.unwrap_or_else(|| cache.join("models"))),
            cache,
        }
    }

    /// From `ARGUS_CATALOG`, `ARGUS_CACHE` and `ARGUS_MODELS` (the app, which has no flags).
    pub fn from_env() -> Locations {
        let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
        Locations::resolve(
            var("ARGUS_CATALOG"),
            var("ARGUS_CACHE"),
            var("ARGUS_MODELS"),
        )
    }

    pub fn thumbs(&self) -> argus_media::thumbs::ThumbCache {
        argus_media::thumbs::ThumbCache::new(&self.cache)
    }

    pub fn models(&self) -> argus_analysis::models::ModelStore {
        argus_analysis::models::ModelStore::new(&self.models)
    }

    pub fn open_catalog(&self) -> argus_core::Result<argus_catalog::Catalog> {
        argus_catalog::Catalog::open(&self.catalog)
    }
}
