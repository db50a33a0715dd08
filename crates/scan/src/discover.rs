//! Discovery: a parallel walk (jwalk) of the folders in scope, listing image files with the size and
//! modification time that decide whether a file must be read again.

use std::path::{Path, PathBuf};

use argus_media::{classify_path, mtime_ns, FileKind};

/// An image file seen on disk.
#[derive(Debug, Clone)]
pub struct DiskFile {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
    pub kind: FileKind,
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
}

/// Lists the image files at or below `path` (a folder or a single file), skipping hidden entries,
/// symbolic links and the `excluded` folders (Argus's own catalogue and cache, should they sit inside a
/// library). A path that does not exist yields nothing.
pub fn discover(path: &Path, excluded: &[PathBuf], out: &mut Discovery) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.is_file() {
        add_file(path, &meta, out);
        return;
    }
    if !meta.is_dir() {
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
        if classify_path(&file_path) == FileKind::Ignored {
            out.ignored += 1;
            continue;
        }
        match entry.metadata() {
            Ok(meta) => add_file(&file_path, &meta, out),
            Err(e) => out.unreadable.push((file_path, e.to_string())),
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
    });
}
