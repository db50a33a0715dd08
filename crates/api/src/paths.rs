//! Where the catalogue and the thumbnail cache live by default, and how they are overridden.
//!
//! Catalogue: `--catalog PATH|URL`, else `$ARGUS_CATALOG`, else `<platform data dir>/catalog.db`. A value
//! of the form `scheme://…` is a database server's URL ([`CatalogLocation::Server`]), never a path.
//! Cache: `--cache DIR`, else `$ARGUS_CACHE`, else `<platform cache dir>`.
//! Models: `--models DIR`, else `$ARGUS_MODELS`, else `CACHE/models`. [`Locations`] resolves all three,
//! absolute, the same way for the CLI (flag or env, read by clap) and the app (env only).

use std::ffi::OsString;
use std::fmt;
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

/// Where the catalogue is: a SQLite file (the default, needs nothing), or a database server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogLocation {
    /// An absolute path.
    File(PathBuf),
    /// A server's URL (`postgres://user@host/db`): never turned into a path, never shown with its
    /// password.
    Server(String),
}

impl CatalogLocation {
    /// A URL when the value is one ([`argus_catalog::db::server::is_url`]), else a path, made
    /// absolute.
    pub fn parse(value: OsString) -> CatalogLocation {
        if let Some(text) = value.to_str() {
            if argus_catalog::db::server::is_url(text) {
                return CatalogLocation::Server(text.to_string());
            }
        }
        let path = PathBuf::from(value);
        CatalogLocation::File(std::path::absolute(&path).unwrap_or(path))
    }

    /// Opens the catalogue: a file with the embedded engine (SQLite), a `postgres://` URL on its
    /// server. Any other scheme is refused with what to give instead.
    pub fn open(&self) -> argus_core::Result<argus_catalog::Catalog> {
        match self {
            CatalogLocation::File(path) => argus_catalog::Catalog::open(path),
            CatalogLocation::Server(url) => {
                let scheme = url.split_once("://").map_or("", |(s, _)| s);
                if matches!(scheme, "postgres" | "postgresql") {
                    argus_catalog::Catalog::open_server(url)
                } else {
                    Err(argus_core::Error::Other(format!(
                        "'{scheme}://' is not a catalogue Argus can open; give a catalogue file \
                         (--catalog PATH) or a PostgreSQL URL (postgres://USER@HOST/DATABASE)"
                    )))
                }
            }
        }
    }
}

/// The path, or the URL without its password.
impl fmt::Display for CatalogLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogLocation::File(path) => write!(f, "{}", path.display()),
            CatalogLocation::Server(url) => {
                write!(f, "{}", argus_catalog::db::server::redacted(url))
            }
        }
    }
}

/// Where one run of Argus keeps things: the catalogue (an absolute file path, or a server's URL),
/// the cache folder and the models folder. Values given (CLI flags, `ARGUS_*`) win; else the
/// platform defaults, with the models in `CACHE/models`. The CLI and the app resolve them the same
/// way.
#[derive(Debug, Clone)]
pub struct Locations {
    pub catalog: CatalogLocation,
    pub cache: PathBuf,
    pub models: PathBuf,
}

impl Locations {
    pub fn resolve(
        catalog: Option<OsString>,
        cache: Option<PathBuf>,
        models: Option<PathBuf>,
    ) -> Locations {
        let absolute = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
        let cache = absolute(cache.unwrap_or_else(default_cache_dir));
        Locations {
            catalog: CatalogLocation::parse(
                catalog.unwrap_or_else(|| default_catalog_path().into_os_string()),
            ),
            models: absolute(models.unwrap_or_else(|| cache.join("models"))),
            cache,
        }
    }

    /// From `ARGUS_CATALOG`, `ARGUS_CACHE` and `ARGUS_MODELS` (the app, which has no flags).
    pub fn from_env() -> Locations {
        let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
        Locations::resolve(
            std::env::var_os("ARGUS_CATALOG"),
            var("ARGUS_CACHE"),
            var("ARGUS_MODELS"),
        )
    }

    /// Where search indexes are saved between processes: `CACHE/search-index`.
    pub fn saved_indexes(&self) -> argus_search::SavedIndexes {
        argus_search::SavedIndexes::in_folder(self.cache.join("search-index"))
    }

    /// A searcher that uses (and keeps) the index saved in the cache.
    pub fn searcher(&self) -> argus_search::Searcher {
        argus_search::Searcher::with_saved(self.saved_indexes())
    }

    pub fn thumbs(&self) -> argus_media::thumbs::ThumbCache {
        argus_media::thumbs::ThumbCache::new(&self.cache)
    }

    pub fn models(&self) -> argus_analysis::models::ModelStore {
        argus_analysis::models::ModelStore::new(&self.models)
    }

    pub fn open_catalog(&self) -> argus_core::Result<argus_catalog::Catalog> {
        self.catalog.open()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_never_a_path_and_never_shows_its_password() {
        let url = CatalogLocation::parse("postgres://ana:s3cret@db.local:5432/argus".into());
        assert_eq!(
            url,
            CatalogLocation::Server("postgres://ana:s3cret@db.local:5432/argus".into())
        );
        assert_eq!(url.to_string(), "postgres://ana@db.local:5432/argus");
        let query = CatalogLocation::parse(
            "postgresql:///argus?user=ana&password=x&sslmode=require".into(),
        );
        assert_eq!(
            query.to_string(),
            "postgresql:///argus?user=ana&sslmode=require"
        );
        let unreachable = CatalogLocation::parse("postgres://ana:s3cret@127.0.0.1:1/argus".into());
        let error = unreachable
            .open()
            .err()
            .expect("nothing listens there")
            .to_string();
        assert!(
            error.contains("cannot reach the catalogue at postgres://ana@127.0.0.1:1/argus")
                && !error.contains("s3cret"),
            "{error}"
        );
        assert!(CatalogLocation::parse("mysql://h/db".into())
            .open()
            .err()
            .expect("refused")
            .to_string()
            .contains("not a catalogue Argus can open"));
    }

    #[test]
    fn a_path_is_made_absolute() {
        let CatalogLocation::File(path) = CatalogLocation::parse("some/dir/catalog.db".into())
        else {
            panic!("a path");
        };
        assert!(path.is_absolute() && path.ends_with("some/dir/catalog.db"));
        // `C:\…` and names with a colon are paths.
        assert!(matches!(
            CatalogLocation::parse("odd:name.db".into()),
            CatalogLocation::File(_)
        ));
    }
}
