//! Which files in a library are photos, judged by name before anything is read. The content decides the
//! real format later (see [`super::inspect`]); a `.jpg` that holds text is an error, not a skip.

use std::path::Path;

/// What a file found in a library is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An image format Argus reads.
    Supported,
    /// An image format Argus recognises but does not read; the string names it.
    Unsupported(&'static str),
    /// Not an image (documents, videos, sidecars, hidden files): not catalogued.
    Ignored,
}

/// Image formats read by the image crate, libheif and jxl-oxide; camera RAW files are [`RAW_EXTENSIONS`].
const SUPPORTED: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "png", "webp", "tif", "tiff", "gif", "bmp", "heic", "heif",
    "hif", "avif", "jxl",
];

/// Image formats Argus recognises but cannot read yet, with the reason shown to the user.
const UNSUPPORTED: &[(&str, &str)] = &[("psd", "Photoshop PSD"), ("psb", "Photoshop PSB")];

/// Extensions of the camera RAW files rawler reads: the makers' formats and DNG.
pub const RAW_EXTENSIONS: &[&str] = &[
    "dng", "cr2", "cr3", "crw", "nef", "nrw", "arw", "srf", "sr2", "orf", "ori", "rw2", "rwl",
    "raf", "pef", "srw", "x3f", "3fr", "fff", "iiq", "erf", "kdc", "dcr", "mef", "mos", "mrw",
    "ari",
];

/// Classifies a path by its file name. Hidden files (`.name`, including macOS `._name` resource forks that
/// carry image extensions) are ignored.
pub fn classify_path(path: &Path) -> FileKind {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return FileKind::Ignored;
    };
    if name.starts_with('.') {
        return FileKind::Ignored;
    }
    let Some(ext) = Path::new(name).extension().and_then(|e| e.to_str()) else {
        return FileKind::Ignored;
    };
    let ext = ext.to_ascii_lowercase();
    if SUPPORTED.contains(&ext.as_str()) || RAW_EXTENSIONS.contains(&ext.as_str()) {
        return FileKind::Supported;
    }
    match UNSUPPORTED.iter().find(|(e, _)| *e == ext) {
        Some((_, name)) => FileKind::Unsupported(name),
        None => FileKind::Ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_extension_case_insensitively() {
        assert_eq!(
            classify_path(Path::new("/a/IMG_1.JPG")),
            FileKind::Supported
        );
        assert_eq!(classify_path(Path::new("/a/x.webp")), FileKind::Supported);
        assert_eq!(classify_path(Path::new("/a/x.HEIC")), FileKind::Supported);
        assert_eq!(classify_path(Path::new("/a/x.CR3")), FileKind::Supported);
        assert_eq!(
            classify_path(Path::new("/a/x.psd")),
            FileKind::Unsupported("Photoshop PSD")
        );
        assert_eq!(classify_path(Path::new("/a/notes.txt")), FileKind::Ignored);
        assert_eq!(
            classify_path(Path::new("/a/._IMG_1.jpg")),
            FileKind::Ignored
        );
        assert_eq!(classify_path(Path::new("/a/noext")), FileKind::Ignored);
    }
}
