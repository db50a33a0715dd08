//! Libraries: the root folders the user has added. A library's photos are the supported images below it.

use std::path::{Path, PathBuf};

use crate::db::params;
use serde::Serialize;

use super::{unix_now, Catalog};
use crate::{Error, Result};

/// A root folder of photos.
#[derive(Debug, Clone, Serialize)]
pub struct Library {
    pub id: i64,
    pub path: PathBuf,
    pub added_at: i64,
    pub last_scan_at: Option<i64>,
    /// Photos catalogued below this root (any status).
    pub photos: i64,
}

impl Catalog {
    /// Adds a folder as a library. Its path is made absolute and canonical; adding the same folder twice
    /// returns the existing library. A folder inside (or around) an existing library is refused, so that
    /// every file belongs to exactly one library.
    pub fn add_library(&self, folder: &Path) -> Result<Library> {
        let path = folder
            .canonicalize()
            .map_err(|e| Error::io(format!("cannot open the folder {}", folder.display()), e))?;
        if !path.is_dir() {
            return Err(Error::NotAFolder(path));
        }
        for existing in self.libraries()? {
            if existing.path == path {
                return Ok(existing);
            }
            if path.starts_with(&existing.path) || existing.path.starts_with(&path) {
                return Err(Error::OverlappingLibrary {
                    new: path,
                    existing: existing.path,
                });
            }
        }
        self.db().execute(
            "INSERT INTO libraries (path, added_at) VALUES (?1, ?2)",
            params![path.to_string_lossy(), unix_now()],
        )?;
        self.library_by_path(&path)?
            .ok_or_else(|| Error::NoSuchLibrary(path.clone()))
    }

    /// All libraries, in the order they were added.
    pub fn libraries(&self) -> Result<Vec<Library>> {
        let stmt = self.db().prepare(
            "SELECT l.id, l.path, l.added_at, l.last_scan_at,
                    (SELECT COUNT(*) FROM photos p WHERE p.library_id = l.id)
             FROM libraries l ORDER BY l.id",
        );
        let rows = stmt.query_map((), |row| {
            Ok(Library {
                id: row.get(0)?,
                path: PathBuf::from(row.get::<String>(1)?),
                added_at: row.get(2)?,
                last_scan_at: row.get(3)?,
                photos: row.get(4)?,
            })
        })?;
        Ok(rows.into_iter().collect())
    }

    fn library_by_path(&self, path: &Path) -> Result<Option<Library>> {
        Ok(self.libraries()?.into_iter().find(|l| l.path == path))
    }

    /// Removes a library (given by its folder, as added or canonical) and forgets its photos. The folder and
    /// its files are not touched.
    pub fn remove_library(&self, folder: &Path) -> Result<Library> {
        let wanted = folder
            .canonicalize()
            .unwrap_or_else(|_| folder.to_path_buf());
        let library = self
            .libraries()?
            .into_iter()
            .find(|l| l.path == wanted || l.path == folder)
            .ok_or_else(|| Error::NoSuchLibrary(folder.to_path_buf()))?;
        self.db()
            .execute("DELETE FROM libraries WHERE id = ?1", params![library.id])?;
        Ok(library)
    }

    /// Records that a full scan of `library_id` finished now.
    pub fn mark_library_scanned(&self, library_id: i64) -> Result<()> {
        self.db().execute(
            "UPDATE libraries SET last_scan_at = ?2 WHERE id = ?1",
            params![library_id, unix_now()],
        )?;
        Ok(())
    }

    /// The library whose root contains `path`, if any.
    pub fn library_containing(&self, path: &Path) -> Result<Option<Library>> {
        Ok(self
            .libraries()?
            .into_iter()
            .find(|l| path.starts_with(&l.path)))
    }

    /// The id of the library with exactly this root.
    pub fn library_id(&self, root: &Path) -> Result<Option<i64>> {
        self.db().query_opt(
            "SELECT id FROM libraries WHERE path = ?1",
            params![root.to_string_lossy()],
            |row| row.get(0),
        )
    }
}
