//! The SQLite catalogue: one file holding libraries, photos, analysis results and people — and the
//! only place in Argus with SQL. Every other crate reads through [`Catalog`]'s methods (and, for
//! the search index, a [`SearchSnapshot`]) and writes through a [`Writer`] transaction or a
//! [`BulkLoad`]; none holds a connection.
//!
//! Opened in WAL mode with foreign keys on, so readers (the app, `argus photos`) never block the
//! scanner's writer and a killed process leaves a consistent file. All writes from a scan go through
//! one connection in batched transactions.

mod analysis;
mod bulk;
mod clustering;
mod descriptors;
mod face_decisions;
mod faces;
#[cfg(any(test, feature = "fixture"))]
pub mod fixture;
mod libraries;
mod meta;
mod metadata;
mod objects;
mod people;
mod persons;
mod photo_results;
mod photos;
mod regions;
mod rows;
mod runs;
mod schema;
mod search_columns;
mod search_sql;
mod shots;
mod stacks;
mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

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
pub use libraries::Library;
pub use metadata::{RecordMetadata, SidecarSource, SidecarState, StoredMetadata};
pub use objects::StoredObject;
pub use people::{Person, PersonFace, SplitTarget};
pub use photos::{KnownFile, Photo, PhotoFilter, PhotoRecord, PhotoStatus, Stats};
pub use regions::REGION_FACE_IOU;
pub use runs::{AnalysisRun, PendingPhoto};
pub use schema::latest_version;
pub use search_columns::{ChangeStamp, ObjectRow, PhotoColumns, SearchSnapshot};
pub use search_sql::{compile, Condition};
pub use writer::Writer;

pub use argus_core::{Error, Result};

/// An open catalogue.
pub struct Catalog {
    conn: Connection,
    path: PathBuf,
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
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        register_functions(&conn)?;
        schema::migrate(&mut conn, path)?;
        Ok(Catalog {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The file this catalogue lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for modules of this crate that own their SQL.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Runs `PRAGMA integrity_check` and returns its verdict (`"ok"` when healthy).
    pub fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.join("; "))
    }
}

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
fn register_functions(conn: &Connection) -> Result<()> {
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
