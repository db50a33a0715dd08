//! Reading one image file: which files are photos, what format they really are, their displayed size,
//! their EXIF (functions over bytes already read; nothing here touches the catalogue); decoding them to
//! upright pixels ([`imaging`]); and the content-addressed thumbnail cache ([`thumbs`]).

mod exif;
mod exif_writer;
mod formats;
pub mod imaging;
mod jpeg_structure;
pub mod thumbs;

use std::io::Cursor;

pub use exif::read_exif;
pub use exif_writer::jpeg_with_exif;
pub use formats::{classify_path, FileKind};
pub use jpeg_structure::jpeg_truncation;

use argus_core::exif::ExifData;

/// Images larger than this many pixels are refused unless the user raises the limit: decoding them
/// would need gigabytes (a "decompression bomb" can claim 50,000 × 50,000 in a few bytes).
pub const DEFAULT_MAX_PIXELS: u64 = 250_000_000;

/// Files larger than this are not read at all.
pub const MAX_FILE_BYTES: u64 = 2 << 30;

/// What Argus learnt about a readable image.
#[derive(Debug, Clone)]
pub struct ImageFacts {
    /// Lower-case format name: jpeg, png, webp, tiff, gif, bmp.
    pub format: &'static str,
    /// Stored (sensor) dimensions, before EXIF orientation.
    pub stored_width: u32,
    pub stored_height: u32,
    /// EXIF orientation 1..=8 when present.
    pub orientation: Option<u16>,
    pub exif: ExifData,
}

impl ImageFacts {
    /// Dimensions as the photo is meant to be seen (orientations 5..=8 swap the axes).
    pub fn displayed_size(&self) -> (u32, u32) {
        if matches!(self.orientation, Some(5..=8)) {
            (self.stored_height, self.stored_width)
        } else {
            (self.stored_width, self.stored_height)
        }
    }
}

/// Why a file could not be described. The message is for people: it says what is wrong with the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem(pub String);

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Sniffs the real format from the content (never trusts the extension), reads the header for the
/// dimensions, enforces the pixel limit, and reads EXIF. Does not decode pixels.
pub fn inspect(bytes: &[u8], max_pixels: u64) -> Result<ImageFacts, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem("empty file (0 bytes)".into()));
    }
    let format = image::guess_format(bytes).map_err(|_| not_an_image(bytes))?;
    let name = format_name(format).ok_or_else(|| {
        FileProblem(format!(
            "{format:?} content is not a supported photo format"
        ))
    })?;
    let reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let (stored_width, stored_height) = reader
        .into_dimensions()
        .map_err(|e| FileProblem(format!("corrupt {name} header: {e}")))?;
    check_pixel_limit(stored_width, stored_height, max_pixels)?;
    if name == "jpeg" {
        if let Some(why) = jpeg_truncation(bytes) {
            return Err(FileProblem(format!("truncated jpeg: {why}")));
        }
    }
    let exif = read_exif(bytes);
    Ok(ImageFacts {
        format: name,
        stored_width,
        stored_height,
        orientation: exif.orientation,
        exif: exif.data,
    })
}

/// Refuses images whose pixel count exceeds `max_pixels`.
pub fn check_pixel_limit(width: u32, height: u32, max_pixels: u64) -> Result<(), FileProblem> {
    let pixels = width as u64 * height as u64;
    if pixels > max_pixels {
        return Err(FileProblem(format!(
            "image too large: {width}×{height} is {:.0} megapixels, above the limit of {:.0} \
             (raise it with --max-megapixels)",
            pixels as f64 / 1e6,
            max_pixels as f64 / 1e6
        )));
    }
    if width == 0 || height == 0 {
        return Err(FileProblem(format!(
            "image has no pixels ({width}×{height})"
        )));
    }
    Ok(())
}

fn format_name(format: image::ImageFormat) -> Option<&'static str> {
    use image::ImageFormat as F;
    Some(match format {
        F::Jpeg => "jpeg",
        F::Png => "png",
        F::WebP => "webp",
        F::Tiff => "tiff",
        F::Gif => "gif",
        F::Bmp => "bmp",
        _ => return None,
    })
}

fn not_an_image(bytes: &[u8]) -> FileProblem {
    let head = &bytes[..bytes.len().min(512)];
    let printable = head
        .iter()
        .filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        .count();
    if printable * 10 >= head.len() * 9 {
        FileProblem("not an image: the file contains text".into())
    } else {
        FileProblem("not an image: the content matches no supported image format".into())
    }
}

/// Modification time in nanoseconds since the epoch (0 when the platform cannot say).
pub fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}
