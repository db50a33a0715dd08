//! Photo rows: what the scanner writes and what `argus photos`, `argus show` and `argus stats` read.

use std::path::{Path, PathBuf};

use crate::db::{params, Db, Row, ToValue, Value};
use serde::{Deserialize, Serialize};

use super::mounts::Mounts;
use super::{unix_now, Catalog};
use crate::analysis::ANALYSIS_TABLES;
use crate::metadata::{sidecar_state, write_metadata, RecordMetadata, SidecarState};
use crate::Result;
use argus_core::exif::ExifData;

/// Whether a file could be catalogued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum PhotoStatus {
    /// Read and described.
    Ok,
    /// An image file that could not be read or decoded; `error` says why.
    Error,
    /// An image format Argus does not read (yet), e.g. Photoshop; `error` says which.
    Unsupported,
}

impl PhotoStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoStatus::Ok => "ok",
            PhotoStatus::Error => "error",
            PhotoStatus::Unsupported => "unsupported",
        }
    }

    fn parse(s: &str) -> PhotoStatus {
        match s {
            "ok" => PhotoStatus::Ok,
            "unsupported" => PhotoStatus::Unsupported,
            _ => PhotoStatus::Error,
        }
    }
}

/// One catalogued file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Photo {
    pub id: i64,
    pub library_id: i64,
    pub path: PathBuf,
    pub file_name: String,
    pub size: u64,
    pub mtime_ns: i64,
    pub hash: Option<String>,
    pub status: PhotoStatus,
    pub error: Option<String>,
    pub format: Option<String>,
    /// Width as displayed (after EXIF orientation).
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub orientation: Option<u16>,
    #[serde(flatten)]
    pub exif: ExifData,
    /// Where the pixels come from: `decoder`, `libheif`, `jxl-oxide`, `raw-preview` (a camera RAW's
    /// embedded JPEG) or `raw-demosaic` (its sensor data).
    pub pixel_source: Option<String>,
    /// Other images in the same file (HEIF bursts, Live Photo stills); only the primary is catalogued.
    pub other_images: u32,
    /// The photo this one is stacked behind: a shot's primary when this file is its companion (the
    /// RAW of a RAW+JPEG pair), or the copy the user kept when this is a duplicate they stacked.
    pub shot_of: Option<i64>,
    /// `duplicate` when the user stacked this photo behind a copy they kept; null for a shot's
    /// companion (or a photo in no stack).
    pub stack_kind: Option<String>,
    pub added_at: i64,
    pub updated_at: i64,
}

/// What the scanner learnt about one file: the columns it writes.
#[derive(Debug, Clone)]
pub struct PhotoRecord {
    pub library_id: i64,
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
    pub hash: Option<String>,
    pub status: PhotoStatus,
    pub error: Option<String>,
    pub format: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub orientation: Option<u16>,
    pub exif: ExifData,
    pub pixel_source: Option<String>,
    pub other_images: u32,
    /// What other tools say about the photo, as the scanner read it; `None` leaves what is stored
    /// alone (generated catalogues).
    pub metadata: Option<RecordMetadata>,
}

/// The file facts the scanner compares against the disk to decide what to re-read.
#[derive(Debug, Clone)]
pub struct KnownFile {
    pub id: i64,
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
    pub hash: Option<String>,
    pub status: PhotoStatus,
    /// The sidecar read with it last time.
    pub sidecar: Option<SidecarState>,
}

/// Which photos to list.
#[derive(Debug, Clone, Default)]
pub struct PhotoFilter {
    /// Only files that could not be catalogued (status `error` or `unsupported`).
    pub problems_only: bool,
    /// Include problem files alongside good ones.
    pub include_problems: bool,
    pub library_id: Option<i64>,
    pub limit: Option<u32>,
    pub offset: u32,
}

/// Counts over the whole catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub libraries: i64,
    /// Photos as the grid counts them: a RAW+JPEG shot is one.
    pub photos: i64,
    /// Files that are the companion of a shot's primary (the RAW of a RAW+JPEG pair).
    pub companion_files: i64,
    /// Duplicates the user stacked behind a copy they kept (out of the grid, still catalogued).
    pub stacked_duplicates: i64,
    pub errors: i64,
    pub unsupported: i64,
    pub total_bytes: i64,
    pub with_exif_date: i64,
    pub with_gps: i64,
    pub formats: Vec<(String, i64)>,
    pub cameras: Vec<(String, i64)>,
    pub faces: i64,
    pub people: i64,
    pub schema_version: u32,
}

pub(crate) const PHOTO_COLUMNS: &str = "id, library_id, path, file_name, size, mtime_ns, hash, status, error, format,
    width, height, orientation, taken_at, taken_offset, camera_make, camera_model, lens, focal_length,
    focal_length_35mm, aperture, exposure_time, iso, gps_lat, gps_lon, gps_alt, added_at, updated_at,
    pixel_source, other_images, shot_of, stack_kind";

/// A photo row read with [`PHOTO_COLUMNS`], its path as this machine sees it.
pub(crate) fn photo_from_row(row: &Row<'_>, mounts: &Mounts) -> crate::Result<Photo> {
    Ok(Photo {
        id: row.get(0)?,
        library_id: row.get(1)?,
        path: mounts.local(&row.get::<String>(2)?),
        file_name: row.get(3)?,
        size: row.get::<i64>(4)? as u64,
        mtime_ns: row.get(5)?,
        hash: row.get(6)?,
        status: PhotoStatus::parse(&row.get::<String>(7)?),
        error: row.get(8)?,
        format: row.get(9)?,
        width: row.get(10)?,
        height: row.get(11)?,
        orientation: row.get(12)?,
        exif: ExifData {
            taken_at: row.get(13)?,
            taken_offset: row.get(14)?,
            camera_make: row.get(15)?,
            camera_model: row.get(16)?,
            lens: row.get(17)?,
            focal_length: row.get(18)?,
            focal_length_35mm: row.get(19)?,
            aperture: row.get(20)?,
            exposure_time: row.get(21)?,
            iso: row.get(22)?,
            gps_lat: row.get(23)?,
            gps_lon: row.get(24)?,
            gps_alt: row.get(25)?,
        },
        added_at: row.get(26)?,
        updated_at: row.get(27)?,
        pixel_source: row.get(28)?,
        other_images: row.get(29)?,
        shot_of: row.get(30)?,
        stack_kind: row.get(31)?,
    })
}

/// SQL condition matching `path` itself or anything below it (uses the unique index on `path`).
const UNDER_PATH: &str = "(path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0'))";

impl Catalog {
    /// Lists photos, newest taken first (undated last), then by path.
    pub fn photos(&self, filter: &PhotoFilter) -> Result<Vec<Photo>> {
        let mut sql = format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE 1 = 1");
        if filter.problems_only {
            sql.push_str(" AND status <> 'ok'");
        } else if !filter.include_problems {
            sql.push_str(" AND status = 'ok' AND shot_of IS NULL");
        } else {
            sql.push_str(" AND shot_of IS NULL");
        }
        if filter.library_id.is_some() {
            sql.push_str(" AND library_id = ?1");
        }
        sql.push_str(" ORDER BY taken_at IS NULL, taken_at DESC, path");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        } else if self.db().dialect() == crate::db::Dialect::Sqlite {
            // SQLite takes OFFSET only after a LIMIT; -1 is none.
            sql.push_str(" LIMIT -1");
        }
        sql.push_str(&format!(" OFFSET {}", filter.offset));
        let stmt = self.db().prepare(&sql);
        let read = |row: &Row<'_>| photo_from_row(row, self.mounts());
        let rows = match filter.library_id {
            Some(id) => stmt.query_map(params![id], read)?,
            None => stmt.query_map((), read)?,
        };
        Ok(rows.into_iter().collect())
    }

    /// One photo by id.
    pub fn photo(&self, id: i64) -> Result<Option<Photo>> {
        let sql = format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE id = ?1");
        self.db()
            .query_opt(&sql, params![id], |row| photo_from_row(row, self.mounts()))
    }

    /// One photo by its absolute path.
    pub fn photo_by_path(&self, path: &Path) -> Result<Option<Photo>> {
        let sql = format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE path = ?1");
        self.db()
            .query_opt(&sql, params![self.mounts().stored(path)], |row| {
                photo_from_row(row, self.mounts())
            })
    }

    /// Counts over the whole catalogue.
    pub fn stats(&self) -> Result<Stats> {
        let conn = self.db();
        let count = |sql: &str| -> Result<i64> { conn.query_row(sql, (), |r| r.get(0)) };
        let grouped = |sql: &str| -> Result<Vec<(String, i64)>> {
            let stmt = conn.prepare(sql);
            let rows = stmt.query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.into_iter().collect())
        };
        Ok(Stats {
            libraries: count("SELECT COUNT(*) FROM libraries")?,
            photos: count("SELECT COUNT(*) FROM photos WHERE status = 'ok' AND shot_of IS NULL")?,
            companion_files: count(
                "SELECT COUNT(*) FROM photos WHERE shot_of IS NOT NULL AND stack_kind IS NULL",
            )?,
            stacked_duplicates: count(
                "SELECT COUNT(*) FROM photos WHERE shot_of IS NOT NULL AND stack_kind IS NOT NULL",
            )?,
            errors: count("SELECT COUNT(*) FROM photos WHERE status = 'error'")?,
            unsupported: count("SELECT COUNT(*) FROM photos WHERE status = 'unsupported'")?,
            total_bytes: count("SELECT COALESCE(SUM(size), 0) FROM photos WHERE status = 'ok'")?,
            with_exif_date: count("SELECT COUNT(*) FROM photos WHERE taken_at IS NOT NULL")?,
            with_gps: count("SELECT COUNT(*) FROM photos WHERE gps_lat IS NOT NULL")?,
            formats: grouped(
                "SELECT format, COUNT(*) FROM photos WHERE status = 'ok'
                 GROUP BY format ORDER BY COUNT(*) DESC, format",
            )?,
            cameras: grouped(
                "SELECT CASE WHEN camera_make IS NULL OR camera_model LIKE camera_make || '%'
                        THEN camera_model ELSE camera_make || ' ' || camera_model END, COUNT(*) FROM photos
                 WHERE camera_model IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 20",
            )?,
            faces: count("SELECT COUNT(*) FROM faces")?,
            people: count("SELECT COUNT(*) FROM people")?,
            schema_version: super::latest_version(),
        })
    }

    /// The catalogued files at or below `prefix` (all of a library when `prefix` is its root).
    pub fn known_files_under(&self, prefix: &Path) -> Result<Vec<KnownFile>> {
        let sql = format!(
            "SELECT id, path, size, mtime_ns, hash, status, sidecar_path, sidecar_size,
                 sidecar_mtime_ns FROM photos WHERE {UNDER_PATH}"
        );
        let stmt = self.db().prepare(&sql);
        let mounts = self.mounts();
        let rows = stmt.query_map(params![mounts.stored(prefix)], |row| {
            Ok(KnownFile {
                id: row.get(0)?,
                path: mounts.local(&row.get::<String>(1)?),
                size: row.get::<i64>(2)? as u64,
                mtime_ns: row.get(3)?,
                hash: row.get(4)?,
                status: PhotoStatus::parse(&row.get::<String>(5)?),
                sidecar: sidecar_state(row, 6, mounts)?,
            })
        })?;
        Ok(rows.into_iter().collect())
    }
}

/// Inserts a new photo row, or updates the row already at this path. When the content hash changed, the
/// photo's analysis results are dropped (they described other pixels). Returns the photo id.
pub(crate) fn upsert_photo(conn: &Db, rec: &PhotoRecord) -> Result<i64> {
    let path = rec.path.to_string_lossy();
    let previous: Option<(i64, Option<String>)> = conn.query_opt(
        "SELECT id, hash FROM photos WHERE path = ?1",
        params![path],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let id = match previous {
        Some((id, old_hash)) => {
            if old_hash != rec.hash {
                forget_analysis(conn, id)?;
            }
            write_columns(conn, Some(id), rec)?;
            id
        }
        None => write_columns(conn, None, rec)?,
    };
    if let Some(metadata) = &rec.metadata {
        write_metadata(conn, id, metadata)?;
    }
    Ok(id)
}

/// Points an existing photo row at its new path (a move or rename inside the libraries), keeping its id
/// and therefore its analysis, and refreshes the file facts.
pub(crate) fn move_photo(conn: &Db, id: i64, rec: &PhotoRecord) -> Result<()> {
    // A row may already sit at the destination (the move replaced a file): that file is gone.
    conn.execute(
        "DELETE FROM photos WHERE path = ?1 AND id <> ?2",
        params![rec.path.to_string_lossy(), id],
    )?;
    write_columns(conn, Some(id), rec)?;
    if let Some(metadata) = &rec.metadata {
        write_metadata(conn, id, metadata)?;
    }
    Ok(())
}

/// Removes photo rows whose files are gone (their analysis goes with them, by cascade).
pub(crate) fn delete_photos(conn: &Db, ids: &[i64]) -> Result<()> {
    let stmt = conn.prepare("DELETE FROM photos WHERE id = ?1");
    for id in ids {
        stmt.execute(params![id])?;
    }
    Ok(())
}

/// Drops everything analysis found in a photo.
fn forget_analysis(conn: &Db, photo_id: i64) -> Result<()> {
    for table in ANALYSIS_TABLES {
        conn.execute(
            &format!("DELETE FROM {table} WHERE photo_id = ?1"),
            params![photo_id],
        )?;
    }
    Ok(())
}

/// The columns of a photo row that describe its file (all but `id` and the times), in the order
/// [`bind_file_columns`] binds them.
macro_rules! file_columns {
    () => {
        "library_id, path, file_name, size, mtime_ns, hash, status, error, format, width, height,
         orientation, taken_at, taken_offset, camera_make, camera_model, lens, focal_length,
         focal_length_35mm, aperture, exposure_time, iso, gps_lat, gps_lon, gps_alt, pixel_source,
         other_images"
    };
}
pub(super) use file_columns;

/// How many [`file_columns`] there are.
pub(super) const FILE_COLUMN_COUNT: usize = 27;

/// A record's [`file_columns`] values, in order.
pub(super) fn file_values(rec: &PhotoRecord) -> Vec<Value<'_>> {
    let e = &rec.exif;
    let path = rec.path.to_string_lossy();
    let file_name = rec
        .path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let values: [&dyn ToValue; FILE_COLUMN_COUNT] = [
        &rec.library_id,
        &path,
        &file_name,
        &(rec.size as i64),
        &rec.mtime_ns,
        &rec.hash,
        &rec.status.as_str(),
        &rec.error,
        &rec.format,
        &rec.width,
        &rec.height,
        &rec.orientation,
        &e.taken_at,
        &e.taken_offset,
        &e.camera_make,
        &e.camera_model,
        &e.lens,
        &e.focal_length,
        &e.focal_length_35mm,
        &e.aperture,
        &e.exposure_time,
        &e.iso,
        &e.gps_lat,
        &e.gps_lon,
        &e.gps_alt,
        &rec.pixel_source,
        &rec.other_images,
    ];
    values
        .into_iter()
        .map(|v| v.to_value().into_owned())
        .collect()
}

fn write_columns(conn: &Db, id: Option<i64>, rec: &PhotoRecord) -> Result<i64> {
    let mut values = file_values(rec);
    values.push(Value::Int(unix_now()));
    let Some(id) = id else {
        return conn.query_row(
            concat!(
                "INSERT INTO photos (",
                file_columns!(),
                ", added_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                    ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?28)
                 RETURNING id"
            ),
            values,
            |r| r.get(0),
        );
    };
    values.insert(0, Value::Int(id));
    conn.query_row(
        concat!(
            "INSERT INTO photos (id, ",
            file_columns!(),
            ", added_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?29)
             ON CONFLICT (id) DO UPDATE SET
                library_id = excluded.library_id, path = excluded.path,
                file_name = excluded.file_name, size = excluded.size,
                mtime_ns = excluded.mtime_ns, hash = excluded.hash, status = excluded.status,
                error = excluded.error, format = excluded.format, width = excluded.width,
                height = excluded.height, orientation = excluded.orientation,
                taken_at = excluded.taken_at, taken_offset = excluded.taken_offset,
                camera_make = excluded.camera_make, camera_model = excluded.camera_model,
                lens = excluded.lens, focal_length = excluded.focal_length,
                focal_length_35mm = excluded.focal_length_35mm, aperture = excluded.aperture,
                exposure_time = excluded.exposure_time, iso = excluded.iso,
                gps_lat = excluded.gps_lat, gps_lon = excluded.gps_lon, gps_alt = excluded.gps_alt,
                pixel_source = excluded.pixel_source, other_images = excluded.other_images,
                updated_at = excluded.updated_at
             RETURNING id"
        ),
        values,
        |r| r.get(0),
    )
}
