//! Libraries: the root folders the user has added. A library's photos are the supported images below it.
//! On a shared catalogue a library may be mounted at a different folder on each machine (see
//! [`crate::mounts`]): a [`Library`]'s `path` is where this machine sees it.

use std::path::{Path, PathBuf};

use crate::db::params;
use serde::Serialize;

use super::mounts::{this_machine, Mount, Mounts};
use super::{unix_now, Catalog};
use crate::{Error, Result};

/// A root folder of photos.
#[derive(Debug, Clone, Serialize)]
pub struct Library {
    pub id: i64,
    /// Where the library is on this machine.
    pub path: PathBuf,
    /// Its root as the catalogue stores it (where the machine that added it sees it); the same as
    /// `path` unless this machine mounts it elsewhere.
    pub catalog_path: String,
    /// Machines that mount it elsewhere than `catalog_path`, and where.
    pub mounts: Vec<LibraryMount>,
    pub added_at: i64,
    pub last_scan_at: Option<i64>,
    /// Photos catalogued below this root (any status).
    pub photos: i64,
}

/// Where one machine sees a library.
#[derive(Debug, Clone, Serialize)]
pub struct LibraryMount {
    pub machine: String,
    pub path: String,
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
            params![self.mounts().stored(&path), unix_now()],
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
        let mut libraries = stmt.query_map((), |row| {
            let catalog_path: String = row.get(1)?;
            Ok(Library {
                id: row.get(0)?,
                path: self.mounts().local(&catalog_path),
                catalog_path,
                mounts: Vec::new(),
                added_at: row.get(2)?,
                last_scan_at: row.get(3)?,
                photos: row.get(4)?,
            })
        })?;
        let mounts: Vec<(i64, LibraryMount)> = self.db().query_map(
            "SELECT library_id, machine, path FROM library_mounts ORDER BY machine",
            (),
            |row| {
                let mount = LibraryMount {
                    machine: row.get(1)?,
                    path: row.get(2)?,
                };
                Ok((row.get(0)?, mount))
            },
        )?;
        for (id, mount) in mounts {
            if let Some(library) = libraries.iter_mut().find(|l| l.id == id) {
                library.mounts.push(mount);
            }
        }
        Ok(libraries)
    }

    /// Records where this machine sees library `id` (a share mounted elsewhere than where the
    /// machine that added it sees it): from now on its photos' paths read and write through
    /// `folder` here. Mounting it at its catalogue root again forgets the mount.
    pub fn mount_library(&mut self, id: i64, folder: &Path) -> Result<Library> {
        let path = folder
            .canonicalize()
            .map_err(|e| Error::io(format!("cannot open the folder {}", folder.display()), e))?;
        if !path.is_dir() {
            return Err(Error::NotAFolder(path));
        }
        let libraries = self.libraries()?;
        let library = libraries.iter().find(|l| l.id == id).ok_or_else(|| {
            Error::Other(format!(
                "there is no library {id} (see `argus library list`)"
            ))
        })?;
        for other in libraries.iter().filter(|l| l.id != id) {
            if path.starts_with(&other.path) || other.path.starts_with(&path) {
                return Err(Error::OverlappingLibrary {
                    new: path,
                    existing: other.path.clone(),
                });
            }
        }
        if Path::new(&library.catalog_path) == path {
            self.db().execute(
                "DELETE FROM library_mounts WHERE library_id = ?1 AND machine = ?2",
                params![id, this_machine()],
            )?;
        } else {
            self.db().execute(
                "INSERT INTO library_mounts (library_id, machine, path) VALUES (?1, ?2, ?3)
                 ON CONFLICT (library_id, machine) DO UPDATE SET path = excluded.path",
                params![id, this_machine(), path.to_string_lossy()],
            )?;
        }
        self.mounts = self.read_mounts()?;
        self.libraries()?
            .into_iter()
            .find(|l| l.id == id)
            .ok_or_else(|| Error::Other(format!("there is no library {id}")))
    }

    /// This machine's mounts, as stored.
    pub(crate) fn read_mounts(&self) -> Result<Mounts> {
        let mounts = self.db().query_map(
            "SELECT m.library_id, l.path, m.path FROM library_mounts m
             JOIN libraries l ON l.id = m.library_id WHERE m.machine = ?1",
            params![this_machine()],
            |row| {
                Ok(Mount {
                    library_id: row.get(0)?,
                    stored: row.get(1)?,
                    local: PathBuf::from(row.get::<String>(2)?),
                })
            },
        )?;
        Ok(Mounts::new(mounts))
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
            params![self.mounts().stored(root)],
            |row| row.get(0),
        )
    }
}
