//! Where the catalogue and the thumbnail cache live by default, and how they are overridden.
//!
//! Catalogue: `--catalog PATH`, else `$ARGUS_CATALOG`, else `<platform data dir>/catalog.db`.
//! Cache: `--cache DIR`, else `$ARGUS_CACHE`, else `<platform cache dir>`.
//! (The CLI resolves flag-or-env with clap; this module supplies the platform defaults.)

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
