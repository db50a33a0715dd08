//! Discovery: a parallel walk (jwalk) of the folders in scope, listing image files with the size and
//! modification time that decide whether a file must be read again, and the XMP sidecar beside each
//! (`IMG_1.JPG.xmp`, else `IMG_1.xmp`; a changed sidecar also makes its photo be read again).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use argus_catalog::SidecarState;
use argus_media::{classify_path, mtime_ns, FileKind};
use argus_xmp::sidecar::{candidates, is_sidecar, photo_key};

/// An image file seen on disk.
#[derive(Debug, Clone)]
pub struct DiskFile {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
    pub kind: FileKind,
    /// The XMP sidecar beside it, if any.
    pub sidecar: Option<SidecarState>,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<DiskFile>,
    /// Files that are not images (not catalogued).
    pub ignored: u64,
    /// Folders or files that could not be listed or stat'ed. Catalogued photos below them are kept, not
    /// taken for deleted.
    pub unreadable: Vec<(PathBuf, String)>,
    /// XMP sidecars seen, by the lower-cased path of the photo name they stand for (see
    /// [`photo_key`]); paired with the files at the end of the walk.
    sidecars: HashMap<String, SidecarState>,
}

/// Lists the image files at or below `path` (a folder or a single file), skipping hidden entries,
/// symbolic links and the `excluded` folders (Argus's own catalogue and cache, should they sit inside a
/// library). A path that does not exist yields nothing.
pub fn discover(path: &Path, excluded: &[PathBuf], out: &mut Discovery) {
    let meta = std::fs::symlink_metadata(path).ok();
    if !meta.as_ref().is_some_and(|m| m.is_dir()) {
        discover_file(path, meta.as_ref(), out);
        return;
    }
    let excluded = excluded.to_vec();
    let walker = jwalk::WalkDir::new(path)
        .skip_hidden(true)
        .follow_links(false)
        .sort(true)
        .process_read_dir(move |_, _, _, children| {
            for child in children.iter_mut().flatten() {
                if child.file_type.is_dir() && excluded.iter().any(|ex| child.path() == *ex) {
                    child.read_children_path = None;
                }
            }
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let at = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| path.to_path_buf());
                out.unreadable.push((at, e.to_string()));
                continue;
            }
        };
        if let Some(err) = &entry.read_children_error {
            out.unreadable.push((entry.path(), err.to_string()));
        }
        if !entry.file_type.is_file() {
            continue;
        }
        let file_path = entry.path();
        if is_sidecar(&file_path) {
            if let (Ok(meta), Some(key)) = (entry.metadata(), photo_key(&file_path)) {
                out.sidecars.insert(
                    key.to_string_lossy().to_lowercase(),
                    SidecarState {
                        path: file_path,
                        size: meta.len(),
                        mtime_ns: mtime_ns(&meta),
                    },
                );
            }
            continue;
        }
        if classify_path(&file_path) == FileKind::Ignored {
            out.ignored += 1;
            continue;
        }
        match entry.metadata() {
            Ok(meta) => add_file(&file_path, &meta, out),
            Err(e) => out.unreadable.push((file_path, e.to_string())),
        }
    }
    pair_sidecars(out);
}

/// One named file (a watcher event): the photo itself, or for a sidecar (there, or just removed) the
/// photos it belongs to — each with its sidecar as the disk has it now.
fn discover_file(path: &Path, meta: Option<&std::fs::Metadata>, out: &mut Discovery) {
    let before = out.files.len();
    match meta {
        _ if is_sidecar(path) => add_photos_of_sidecar(path, out),
        Some(meta) if meta.is_file() => add_file(path, meta, out),
        _ => return,
    }
    for file in &mut out.files[before..] {
        file.sidecar = sidecar_on_disk(&file.path);
    }
}

/// The keys a photo's sidecars are found under: its full path (`IMG_1.JPG.xmp`), then its path without
/// the extension (`IMG_1.xmp`), lower-cased like [`photo_key`]'s.
fn sidecar_keys(photo: &Path) -> [String; 2] {
    [
        photo.to_string_lossy().to_lowercase(),
        photo.with_extension("").to_string_lossy().to_lowercase(),
    ]
}

/// Gives each file the sidecar seen for it: `name.ext.xmp` first, then `name.xmp`.
fn pair_sidecars(out: &mut Discovery) {
    if out.sidecars.is_empty() {
        return;
    }
    for file in &mut out.files {
        file.sidecar = sidecar_keys(&file.path)
            .iter()
            .find_map(|key| out.sidecars.get(key))
            .cloned();
    }
}

/// The sidecar of one photo, looked up on disk.
fn sidecar_on_disk(photo: &Path) -> Option<SidecarState> {
    candidates(photo).into_iter().find_map(|path| {
        let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
        Some(SidecarState {
            size: meta.len(),
            mtime_ns: mtime_ns(&meta),
            path,
        })
    })
}

/// A sidecar named on its own (a watcher event): the photos beside it that it belongs to.
fn add_photos_of_sidecar(sidecar: &Path, out: &mut Discovery) {
    let (Some(key), Some(folder)) = (photo_key(sidecar), sidecar.parent()) else {
        return;
    };
    let key = key.to_string_lossy().to_lowercase();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if sidecar_keys(&path).contains(&key) && !is_sidecar(&path) {
            if let Ok(meta) = entry.metadata() {
                if meta.is_file() {
                    add_file(&path, &meta, out);
                }
            }
        }
    }
}

fn add_file(path: &Path, meta: &std::fs::Metadata, out: &mut Discovery) {
    let kind = classify_path(path);
    if kind == FileKind::Ignored {
        out.ignored += 1;
        return;
    }
    out.files.push(DiskFile {
        path: path.to_path_buf(),
        size: meta.len(),
        mtime_ns: mtime_ns(meta),
        kind,
        sidecar: None,
    });
}
