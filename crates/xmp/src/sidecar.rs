//! XMP sidecars: the two naming conventions (`IMG_1.JPG.xmp` as digiKam and darktable write them,
//! `IMG_1.xmp` as Lightroom does), which photo a sidecar belongs to, and reading one within bounds.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::XmpError;

/// Sidecars larger than this are not read (real ones, with a long edit history, stay under a few MB).
pub const MAX_SIDECAR_BYTES: u64 = 16 << 20;

/// How a sidecar is named after its photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SidecarNaming {
    /// `IMG_1.JPG.xmp` (digiKam, darktable): one sidecar per file, even for RAW+JPEG pairs.
    #[default]
    NameExt,
    /// `IMG_1.xmp` (Lightroom, Capture One, Bridge).
    Stem,
}

impl SidecarNaming {
    /// The name used on the command line and in settings.
    pub fn name(self) -> &'static str {
        match self {
            SidecarNaming::NameExt => "name.ext.xmp",
            SidecarNaming::Stem => "name.xmp",
        }
    }

    /// The inverse of [`SidecarNaming::name`].
    pub fn from_name(name: &str) -> Option<SidecarNaming> {
        match name {
            "name.ext.xmp" => Some(SidecarNaming::NameExt),
            "name.xmp" => Some(SidecarNaming::Stem),
            _ => None,
        }
    }

    /// The sidecar of `photo` under this convention.
    pub fn sidecar_of(self, photo: &Path) -> PathBuf {
        match self {
            SidecarNaming::NameExt => {
                let mut name = photo.file_name().unwrap_or_default().to_os_string();
                name.push(".xmp");
                photo.with_file_name(name)
            }
            SidecarNaming::Stem => photo.with_extension("xmp"),
        }
    }
}

/// Whether `path` names an XMP sidecar (by its extension, in any case).
pub fn is_sidecar(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xmp"))
}

/// The names a sidecar may be found under for `photo`, in order of preference: `IMG_1.JPG.xmp`, then
/// `IMG_1.xmp` (each with the extension in lower and upper case).
pub fn candidates(photo: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for naming in [SidecarNaming::NameExt, SidecarNaming::Stem] {
        let lower = naming.sidecar_of(photo);
        out.push(lower.with_extension("XMP"));
        out.insert(out.len() - 1, lower);
    }
    out
}

/// The key under which a photo and its sidecars meet: for `IMG_1.JPG.xmp` the photo's full name,
/// for `IMG_1.xmp` its stem. Used to pair the files of one folder listing.
pub fn photo_key(sidecar: &Path) -> Option<PathBuf> {
    is_sidecar(sidecar).then(|| sidecar.with_extension(""))
}

/// Reads a sidecar's text, refusing one too large to be a sidecar.
pub fn read_sidecar(path: &Path) -> Result<String, XmpError> {
    let size = std::fs::metadata(path)
        .map_err(|e| XmpError::Unreadable(e.to_string()))?
        .len();
    if size > MAX_SIDECAR_BYTES {
        return Err(XmpError::Refused(format!(
            "the sidecar is {:.0} MB, above the {} MB a sidecar may have",
            size as f64 / 1e6,
            MAX_SIDECAR_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| XmpError::Unreadable(e.to_string()))?;
    Ok(crate::packet_text(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_conventions() {
        let photo = Path::new("/p/IMG_1.JPG");
        assert_eq!(
            SidecarNaming::NameExt.sidecar_of(photo),
            Path::new("/p/IMG_1.JPG.xmp")
        );
        assert_eq!(
            SidecarNaming::Stem.sidecar_of(photo),
            Path::new("/p/IMG_1.xmp")
        );
        assert_eq!(
            candidates(photo),
            [
                "/p/IMG_1.JPG.xmp",
                "/p/IMG_1.JPG.XMP",
                "/p/IMG_1.xmp",
                "/p/IMG_1.XMP"
            ]
            .map(PathBuf::from)
        );
        assert_eq!(
            photo_key(Path::new("/p/IMG_1.JPG.xmp")).unwrap(),
            Path::new("/p/IMG_1.JPG")
        );
        assert_eq!(
            photo_key(Path::new("/p/IMG_1.XMP")).unwrap(),
            Path::new("/p/IMG_1")
        );
        assert!(photo_key(Path::new("/p/IMG_1.jpg")).is_none());
    }
}
