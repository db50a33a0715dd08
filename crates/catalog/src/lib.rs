//! The catalogue: libraries, photos, analysis results and people, in a SQLite file or (for a team) a
//! PostgreSQL database behind one boundary ([`db`]) — and the only place in Argus with SQL. Every other crate reads through [`Catalog`]'s methods (and, for
//! the search index, a [`SearchSnapshot`]) and writes through a [`Writer`] transaction or a
//! [`BulkLoad`]; none holds a connection.
//!
//! A file is opened in WAL mode with foreign keys on, so readers (the app, `argus photos`) never
//! block the scanner's writer and a killed process leaves a consistent file. All writes from a scan
//! go through one connection in batched transactions.

mod analysis;
mod bulk;
mod changes;
mod clustering;
pub mod db;
mod descriptors;
mod face_decisions;
mod faces;
#[cfg(any(test, feature = "fixture"))]
pub mod fixture;
mod leases;
mod libraries;
mod meta;
mod metadata;
mod mounts;
mod objects;
mod people;
mod persons;
mod photo_results;
mod photos;
mod regions;
mod revision;
mod rows;
mod runs;
mod schema;
mod search_columns;
mod search_sql;
mod shots;
mod stacks;
mod transfer;
mod writer;

use std::path::{Path, PathBuf};

use db::Db;

pub use argus_core::exif::ExifData;
pub use argus_core::metadata::PhotoMetadata;
pub use argus_core::results::{
    FaceAttribute, FaceUpdate, LabelKind, NewFace, PhotoAnalysis, PhotoAttribute, PhotoDescriptor,
    PhotoLabel, PhotoObject, TextLine, Worn,
};
pub use bulk::{BulkLoad, Placement};
pub use clustering::{ClusterFace, SharedPhoto, TaughtFaces};
pub use descriptors::{descriptor_similarity, StoredDescriptor};
pub use faces::StoredFace;
pub use libraries::{Library, LibraryMount};
pub use metadata::{RecordMetadata, SidecarSource, SidecarState, StoredMetadata};
pub use mounts::this_machine;
pub use objects::StoredObject;
pub use people::{Person, PersonFace, SplitTarget};
pub use photos::{KnownFile, Photo, PhotoFilter, PhotoRecord, PhotoStatus, Stats};
pub use regions::REGION_FACE_IOU;
pub use revision::Revision;
pub use runs::{AnalysisRun, PendingPhoto};
pub use schema::latest_version;
pub use search_columns::{ChangeStamp, ObjectRow, PhotoColumns, SearchSnapshot};
pub use search_sql::{compile, Condition};
pub use transfer::{CopyReport, TableDigest};
pub use writer::Writer;

pub use argus_core::{Error, Result};

/// An open catalogue.
pub struct Catalog {
    db: Db,
    location: Location,
    /// Where this machine sees the libraries mounted elsewhere than their catalogue roots.
    mounts: mounts::Mounts,
}

/// Where a catalogue is.
enum Location {
    File(PathBuf),
    /// A PostgreSQL URL (shown only through [`db::server::redacted`]).
    Server(String),
}

impl Catalog {
    /// Opens (creating if needed) the catalogue at `path` and migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Catalog> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                Error::io(
                    format!("cannot create the catalogue folder {}", parent.display()),
                    e,
                )
            })?;
        }
        let db = Db::open_sqlite(path)?;
        if let Some(conn) = db.sqlite() {
            register_functions(conn)?;
        }
        schema::migrate(&db, &path.display().to_string())?;
        Catalog::with_mounts(db, Location::File(path.to_path_buf()))
    }

    /// Opens (creating if needed) the PostgreSQL catalogue at `url` (`postgres://user@host/db`, see
    /// [`db::server`] for where the password comes from) and migrates it to the current schema.
    /// Several machines may open it at once: one migrates while the others wait.
    pub fn open_server(url: &str) -> Result<Catalog> {
        let db = Db::from_postgres(db::server::connect(url)?);
        let name = db::server::redacted(url);
        // One opener at a time sets the catalogue up (per schema: a database may hold several).
        db.execute_native_batch(
            "SELECT pg_advisory_lock(7110, hashtext(current_schema())::integer)",
        )?;
        let set_up = db
            .execute_native_batch(POSTGRES_PRELUDE)
            .and_then(|()| schema::migrate(&db, &name))
            .and_then(|()| db.execute_native_batch(POSTGRES_TABLES));
        db.execute_native_batch(
            "SELECT pg_advisory_unlock(7110, hashtext(current_schema())::integer)",
        )?;
        set_up?;
        db.listen()?;
        Catalog::with_mounts(db, Location::Server(url.to_string()))
    }

    /// A migrated catalogue made ready for use: named, counting its revisions, with this machine's
    /// library mounts.
    fn with_mounts(db: Db, location: Location) -> Result<Catalog> {
        let name = match &location {
            Location::File(path) => path.display().to_string(),
            Location::Server(url) => db::server::redacted(url),
        };
        revision::name_catalogue(&db, &name)?;
        db.count_revisions(changes::AT_COMMIT);
        let mut catalog = Catalog {
            db,
            location,
            mounts: mounts::Mounts::default(),
        };
        catalog.mounts = catalog.read_mounts()?;
        Ok(catalog)
    }

    /// A second connection to the same catalogue (as another process would have).
    pub fn connect_again(&self) -> Result<Catalog> {
        match &self.location {
            Location::File(path) => Catalog::open(path),
            Location::Server(url) => Catalog::open_server(url),
        }
    }

    /// The file this catalogue lives in (None for a server's catalogue).
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::File(path) => Some(path),
            Location::Server(_) => None,
        }
    }

    /// The catalogue as messages name it: its file, or its server's URL without the password.
    pub fn name(&self) -> String {
        match &self.location {
            Location::File(path) => path.display().to_string(),
            Location::Server(url) => db::server::redacted(url),
        }
    }

    /// The connection, for modules of this crate that own their SQL.
    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// This machine's library mounts, for modules of this crate that read or write paths.
    pub(crate) fn mounts(&self) -> &mounts::Mounts {
        &self.mounts
    }

    /// Gives the space of deleted rows back: the change log is emptied (see [`changes`]: a search
    /// index saved before is then read whole once), then a SQLite file is rewritten without its
    /// free pages (it needs as much free disk as the catalogue takes, and no other writer
    /// meanwhile); on a server, `VACUUM ANALYZE` makes the space reusable and refreshes the
    /// planner's statistics.
    pub fn compact(&self) -> Result<()> {
        self.trim_change_log()?;
        match self.db.dialect() {
            db::Dialect::Sqlite => self
                .db
                .execute_native_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);"),
            db::Dialect::Postgres => self.db.execute_native_batch("VACUUM ANALYZE"),
        }
    }

    /// The catalogue file's size on disk with its write-ahead log (None for a server's catalogue).
    pub fn file_bytes(&self) -> Option<u64> {
        self.path().map(|path| {
            let mut wal = path.as_os_str().to_owned();
            wal.push("-wal");
            [path.to_path_buf(), wal.into()]
                .iter()
                .filter_map(|file| std::fs::metadata(file).ok())
                .map(|m| m.len())
                .sum()
        })
    }

    /// Whether the connection to the catalogue is encrypted (TLS to a server; a file has none).
    pub fn encrypted(&self) -> Result<bool> {
        if self.db.dialect() == db::Dialect::Sqlite {
            return Ok(false);
        }
        self.db.query_row(
            "SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), FALSE)",
            (),
            |row| row.get(0),
        )
    }

    /// What the catalogue's tables and indexes take: SQLite's pages in use (the WAL's included; free
    /// pages, which [`Catalog::compact`] gives back, left out), or the relations of the catalogue's
    /// schema on the server.
    pub fn storage_bytes(&self) -> Result<u64> {
        let bytes: i64 = match self.db.dialect() {
            db::Dialect::Sqlite => self.db.query_row(
                "SELECT (page_count - freelist_count) * page_size
                 FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()",
                (),
                |row| row.get(0),
            )?,
            db::Dialect::Postgres => self.db.query_row(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::BIGINT FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = current_schema() AND c.relkind = 'r'",
                (),
                |row| row.get(0),
            )?,
        };
        Ok(bytes.max(0) as u64)
    }

    /// Runs SQLite's `PRAGMA integrity_check` and returns its verdict (`"ok"` when healthy; a
    /// server checks its own databases, so always `"ok"` there).
    pub fn integrity_check(&self) -> Result<String> {
        if self.db.dialect() == db::Dialect::Postgres {
            return Ok("ok".to_string());
        }
        let rows: Vec<String> = self
            .db
            .query_map("PRAGMA integrity_check", (), |row| row.get(0))?;
        Ok(rows.join("; "))
    }
}

/// The collation, functions and change notices of a PostgreSQL catalogue (before the migrations).
const POSTGRES_PRELUDE: &str = include_str!("../postgres/prelude.sql");
/// The triggers every table gets (after the migrations): change notices, ids that follow SQLite's.
const POSTGRES_TABLES: &str = include_str!("../postgres/tables.sql");

/// Seconds since the Unix epoch, now.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// SQL functions the queries use that SQLite lacks: `distance_km(lat1, lon1, lat2, lon2)`, the
/// great-circle distance in kilometres (NULL when a coordinate is), `keyword_matches(keyword,
/// term)` (see `search_sql`) and `photo_similarity(a, b)` (see `descriptors`).
fn register_functions(conn: &rusqlite::Connection) -> Result<()> {
    register_sqlite_functions(conn).map_err(|e| Error::Db(e.to_string()))
}

fn register_sqlite_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "distance_km",
        4,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let mut v = [0f64; 4];
            for (i, slot) in v.iter_mut().enumerate() {
                match ctx.get::<Option<f64>>(i)? {
                    Some(x) => *slot = x,
                    None => return Ok(None),
                }
            }
            Ok(Some(great_circle_km(v[0], v[1], v[2], v[3])))
        },
    )?;
    search_sql::register_keyword_matches(conn)?;
    descriptors::register_photo_similarity(conn)?;
    Ok(())
}

/// Haversine distance between two points in degrees, in kilometres.
pub fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use crate::db::params;
    use crate::fixture::catalogue;

    #[test]
    fn compacting_gives_the_space_of_deleted_rows_back() {
        let (_dir, catalog) = catalogue();
        let file_size = |c: &crate::Catalog| c.file_bytes();
        let used_before = catalog.storage_bytes().unwrap();
        let tx = crate::db::Transaction::begin(catalog.db(), true).unwrap();
        for i in 0..20_000 {
            tx.execute(
                "INSERT INTO labels (photo_id, kind, label, score, model_version)
                 VALUES (1, 'class', ?1, 0.5, 'test')",
                params![format!("a fairly long label number {i}")],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        let used_full = catalog.storage_bytes().unwrap();
        assert!(
            used_full > used_before + 500_000,
            "{used_before} → {used_full}"
        );
        catalog
            .db()
            .execute(
                "DELETE FROM labels WHERE model_version = 'test' AND kind = 'class'",
                (),
            )
            .unwrap();
        let file_full = file_size(&catalog);
        catalog.compact().unwrap();
        let used_after = catalog.storage_bytes().unwrap();
        assert!(used_after < used_full, "{used_full} → {used_after}");
        if let (Some(full), Some(after)) = (file_full, file_size(&catalog)) {
            assert!(after < full / 2, "the file shrank: {full} → {after}");
        }
    }
}
