//! Reading one image file: which files are photos, what format they really are, their displayed size,
//! their EXIF (functions over bytes already read; nothing here touches the catalogue); decoding them to
//! upright pixels ([`imaging`]); and the content-addressed thumbnail cache ([`thumbs`]).
//!
//! Formats: JPEG, PNG, WebP, TIFF, GIF and BMP with the `image` crate; HEIC/HEIF and AVIF with libheif
//! ([`heif`]); JPEG XL with jxl-oxide ([`jxl`]); camera RAW with rawler ([`raw`]). The content decides the decoder, never the extension.

mod exif;
mod exif_writer;
mod formats;
mod heif;
pub mod imaging;
mod jpeg_structure;
mod jxl;
mod metadata_blocks;
pub mod raw;
pub mod thumbs;

use std::io::Cursor;
use std::sync::Arc;

use image::RgbImage;

pub use exif::read_exif;
pub use exif_writer::jpeg_with_exif;
pub use formats::{classify_path, FileKind, RAW_EXTENSIONS};
pub use jpeg_structure::jpeg_truncation;
pub use metadata_blocks::{read_blocks, MetadataBlocks};

use argus_core::exif::ExifData;
use argus_core::metadata::ExifTexts;

/// Images larger than this many pixels are refused unless the user raises the limit: decoding them
/// would need gigabytes (a "decompression bomb" can claim 50,000 × 50,000 in a few bytes).
pub const DEFAULT_MAX_PIXELS: u64 = 250_000_000;

/// Files larger than this are not read at all.
pub const MAX_FILE_BYTES: u64 = 2 << 30;

/// What Argus learnt about a readable image.
#[derive(Debug, Clone)]
pub struct ImageFacts {
    /// Lower-case format name: jpeg, png, webp, tiff, gif, bmp, heic, avif, jxl, or the RAW format (dng, cr2,
    /// cr3, nef, arw, raf, orf, rw2 …).
    pub format: &'static str,
    /// Stored (sensor) dimensions, before the orientation below is applied.
    pub stored_width: u32,
    pub stored_height: u32,
    /// The orientation (EXIF numbering, 2..=8) the decoded pixels still need; `None` when they come out
    /// upright (also for HEIF, whose decoder applies the file's own rotation).
    pub orientation: Option<u16>,
    pub exif: ExifData,
    /// The EXIF block's descriptive texts (description, artist, copyright).
    pub exif_texts: ExifTexts,
    /// Where the pixels come from.
    pub source: PixelSource,
    /// Other top-level images in the file besides the one catalogued (HEIF bursts, Live Photo stills).
    pub other_images: u32,
    /// Pixels already decoded while inspecting (a RAW's embedded preview), reused by the decode.
    pub decoded: Option<DecodedPixels>,
}

/// Where a photo's pixels come from: what `argus show` reports as its "pixels" route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelSource {
    /// The format's own decoder (JPEG, PNG, WebP, TIFF, GIF, BMP).
    Decoder,
    /// libheif; `thumbnail_long_side` is the embedded thumbnail's size, used for small renders.
    Heif { thumbnail_long_side: Option<u32> },
    /// jxl-oxide (JPEG XL).
    JxlOxide,
    /// A camera RAW's embedded JPEG preview of this size (as stored).
    RawPreview { width: u32, height: u32 },
    /// A camera RAW demosaiced from its sensor data.
    RawDemosaic,
}

impl PixelSource {
    /// The name stored in the catalogue and shown by `argus show`.
    pub fn name(&self) -> &'static str {
        match self {
            PixelSource::Decoder => "decoder",
            PixelSource::Heif { .. } => "libheif",
            PixelSource::JxlOxide => "jxl-oxide",
            PixelSource::RawPreview { .. } => "raw-preview",
            PixelSource::RawDemosaic => "raw-demosaic",
        }
    }
}

/// Decoded pixels kept with the facts (shared, so cloning the facts is cheap).
#[derive(Clone)]
pub struct DecodedPixels(pub Arc<RgbImage>);

impl std::fmt::Debug for DecodedPixels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DecodedPixels({}×{})", self.0.width(), self.0.height())
    }
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
    if let Some(format) = heif::signature(bytes) {
        return heif::inspect(bytes, format, max_pixels);
    }
    if jxl::signature(bytes) {
        return jxl::inspect(bytes, max_pixels);
    }
    // A TIFF header may start a camera RAW (DNG, NEF, ARW …) or an ordinary TIFF image.
    let mut raw_problem = None;
    match raw::signature(bytes) {
        raw::RawSignature::Certain => return raw::inspect(bytes, max_pixels),
        raw::RawSignature::Tiff => match raw::probe(bytes) {
            Ok(()) => return raw::inspect(bytes, max_pixels),
            Err(problem) => raw_problem = Some(problem),
        },
        raw::RawSignature::None => {}
    }
    inspect_image(bytes, max_pixels).map_err(|problem| match raw_problem {
        // Neither reads it: a damaged RAW says so, rather than how it fails as a TIFF image.
        Some(raw) if raw::is_damaged_raw(&raw) => raw,
        _ => problem,
    })
}

/// [`inspect`] for the formats of the image crate.
fn inspect_image(bytes: &[u8], max_pixels: u64) -> Result<ImageFacts, FileProblem> {
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
        exif_texts: exif.texts,
        source: PixelSource::Decoder,
        other_images: 0,
        decoded: None,
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
