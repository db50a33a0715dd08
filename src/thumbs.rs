//! Orientation-correct thumbnails in a content-addressed cache: `<cache>/thumbs/ab/<blake3>-512.jpg` (long
//! side 512, for the photo view and normal grids) and `…-256.jpg` (dense grids). Keyed by content hash, so
//! a moved or duplicated file reuses its thumbnails and a changed file gets new ones.
//!
//! Fast route: JPEGs are decoded at 1/2, 1/4 or 1/8 scale by the decoder's DCT scaling (a 12 MP photo
//! decodes at 1000×750 instead of 4000×3000), then resized with SIMD (fast_image_resize) and rotated
//! after resizing, when the image is small. Files are written to a temporary name and renamed, so a
//! killed process never leaves a half-written thumbnail.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use fast_image_resize::{
    images::Image as FirImage, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
};
use image::{metadata::Orientation, DynamicImage, RgbImage};

use crate::media::{FileProblem, ImageFacts};

/// Long side of the standard thumbnail.
pub const LARGE: u32 = 512;
/// Long side of the dense-grid thumbnail.
pub const SMALL: u32 = 256;
/// JPEG quality of thumbnails.
const QUALITY: u8 = 82;
/// Background that transparent pixels are flattened onto (the app's dark grey).
const BACKGROUND: [u8; 3] = [32, 32, 32];

/// The thumbnail cache folder.
#[derive(Debug, Clone)]
pub struct ThumbCache {
    dir: PathBuf,
}

impl ThumbCache {
    /// The cache below `cache_dir` (thumbnails go in its `thumbs/` folder).
    pub fn new(cache_dir: &Path) -> ThumbCache {
        ThumbCache {
            dir: cache_dir.join("thumbs"),
        }
    }

    /// The folder holding the thumbnails.
    pub fn root(&self) -> &Path {
        &self.dir
    }

    /// Where the thumbnail of long side `size` for content `hash` lives (whether or not it exists yet).
    pub fn path(&self, hash: &str, size: u32) -> PathBuf {
        let shard = hash.get(..2).unwrap_or("xx");
        self.dir.join(shard).join(format!("{hash}-{size}.jpg"))
    }

    /// Whether both thumbnails of `hash` exist.
    pub fn has(&self, hash: &str) -> bool {
        self.path(hash, LARGE).is_file() && self.path(hash, SMALL).is_file()
    }

    /// Decodes the photo, makes both thumbnails upright and writes them. Returns the large one's size.
    pub fn make(
        &self,
        bytes: &[u8],
        facts: &ImageFacts,
        hash: &str,
    ) -> Result<(u32, u32), FileProblem> {
        let (large, small) = render(bytes, facts)?;
        self.write(&large, &self.path(hash, LARGE))?;
        self.write(&small, &self.path(hash, SMALL))?;
        Ok(large.dimensions())
    }

    fn write(&self, img: &RgbImage, path: &Path) -> Result<(), FileProblem> {
        let cache_error = |e: &dyn std::fmt::Display| {
            FileProblem(format!("cannot write thumbnail {}: {e}", path.display()))
        };
        let folder = path.parent().expect("thumbnail paths have a shard folder");
        std::fs::create_dir_all(folder).map_err(|e| cache_error(&e))?;
        let mut encoded = Vec::with_capacity(64 * 1024);
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut encoded, QUALITY)
            .encode_image(img)
            .map_err(|e| cache_error(&e))?;
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, &encoded).map_err(|e| cache_error(&e))?;
        std::fs::rename(&tmp, path).map_err(|e| cache_error(&e))
    }
}

/// How a thumbnail's source pixels are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeRoute {
    /// JPEGs decoded at 1/2, 1/4 or 1/8 scale by DCT scaling (jpeg-decoder); other formats in full.
    Scaled,
    /// Every format decoded at full size (zune-jpeg for JPEG), then resized.
    Full,
}

/// The route the scanner uses (chosen by `argus bench index`, which measures both).
pub const DEFAULT_ROUTE: DecodeRoute = DecodeRoute::Scaled;

/// Decodes and renders the large and small thumbnails, upright.
pub fn render(bytes: &[u8], facts: &ImageFacts) -> Result<(RgbImage, RgbImage), FileProblem> {
    render_with(bytes, facts, DEFAULT_ROUTE)
}

/// [`render`] by a chosen decode route.
pub fn render_with(
    bytes: &[u8],
    facts: &ImageFacts,
    route: DecodeRoute,
) -> Result<(RgbImage, RgbImage), FileProblem> {
    let decoded = match route {
        DecodeRoute::Scaled => decode_reduced(bytes, facts, LARGE)?,
        DecodeRoute::Full => decode_full(bytes, facts)?,
    };
    let large = resize_to_fit(&decoded, LARGE)?;
    let mut upright = DynamicImage::ImageRgb8(large);
    if let Some(orientation) = facts
        .orientation
        .and_then(|o| Orientation::from_exif(o as u8))
    {
        upright.apply_orientation(orientation);
    }
    let large = upright.into_rgb8();
    let small = resize_to_fit(&large, SMALL)?;
    Ok((large, small))
}

/// Decodes to RGB8 with the long side at least `min_long_side` where the decoder can cut work (JPEG DCT
/// scaling); other formats decode at full size. Measured (`argus bench index`): DCT scaling pays off from
/// a 1/4 scale on (12 MP: 2× faster); at 1/2 the general decoder (zune-jpeg) is faster, so it is used.
fn decode_reduced(
    bytes: &[u8],
    facts: &ImageFacts,
    min_long_side: u32,
) -> Result<RgbImage, FileProblem> {
    let long_side = facts.stored_width.max(facts.stored_height);
    if facts.format == "jpeg" && long_side >= 4 * min_long_side {
        if let Some(img) = decode_jpeg_scaled(bytes, facts, min_long_side)? {
            return Ok(img);
        }
    }
    decode_full(bytes, facts)
}

/// Decodes at full size with the image crate's decoders.
fn decode_full(bytes: &[u8], facts: &ImageFacts) -> Result<RgbImage, FileProblem> {
    let format = image::ImageFormat::from_extension(facts.format)
        .ok_or_else(|| FileProblem(format!("no decoder for {}", facts.format)))?;
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc =
        Some(facts.stored_width as u64 * facts.stored_height as u64 * 8 + (64 << 20));
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| decode_problem(facts.format, &e))?;
    Ok(flatten_to_rgb(img))
}

/// Scaled JPEG decode. `Ok(None)` for colour spaces it does not handle (CMYK, 16-bit), which then go
/// through the general decoder.
fn decode_jpeg_scaled(
    bytes: &[u8],
    facts: &ImageFacts,
    min_long_side: u32,
) -> Result<Option<RgbImage>, FileProblem> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    // Ask for the long side; the other axis is left unconstrained.
    let (req_w, req_h) = if facts.stored_width >= facts.stored_height {
        (min_long_side as u16, u16::MAX)
    } else {
        (u16::MAX, min_long_side as u16)
    };
    decoder
        .read_info()
        .map_err(|e| decode_problem("jpeg", &e))?;
    let (w, h) = decoder
        .scale(req_w, req_h)
        .map_err(|e| decode_problem("jpeg", &e))?;
    let info = decoder.info().expect("read_info succeeded");
    let pixels = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 | jpeg_decoder::PixelFormat::L8 => {
            decoder.decode().map_err(|e| decode_problem("jpeg", &e))?
        }
        _ => return Ok(None),
    };
    let (w, h) = (w as u32, h as u32);
    let rgb = if info.pixel_format == jpeg_decoder::PixelFormat::L8 {
        pixels.iter().flat_map(|&g| [g, g, g]).collect()
    } else {
        pixels
    };
    RgbImage::from_raw(w, h, rgb)
        .map(Some)
        .ok_or_else(|| FileProblem("corrupt jpeg: decoded size does not match its header".into()))
}

fn decode_problem(format: &str, e: &dyn std::fmt::Display) -> FileProblem {
    FileProblem(format!(
        "cannot decode {format} (corrupt or truncated): {e}"
    ))
}

/// RGB8 with any transparency composited onto the thumbnail background.
fn flatten_to_rgb(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (dst, src) in out.pixels_mut().zip(rgba.pixels()) {
        let a = src[3] as u32;
        for c in 0..3 {
            dst[c] = ((src[c] as u32 * a + BACKGROUND[c] as u32 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

/// Scales down (never up) so the long side is at most `long_side`, with a Lanczos-class filter.
fn resize_to_fit(img: &RgbImage, long_side: u32) -> Result<RgbImage, FileProblem> {
    let (w, h) = img.dimensions();
    if w.max(h) <= long_side {
        return Ok(img.clone());
    }
    let scale = long_side as f64 / w.max(h) as f64;
    let (tw, th) = (
        ((w as f64 * scale).round() as u32).max(1),
        ((h as f64 * scale).round() as u32).max(1),
    );
    let src = FirImage::from_vec_u8(w, h, img.as_raw().clone(), PixelType::U8x3)
        .map_err(|e| FileProblem(format!("resize failed: {e}")))?;
    let mut dst = FirImage::new(tw, th, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| FileProblem(format!("resize failed: {e}")))?;
    RgbImage::from_raw(tw, th, dst.into_vec())
        .ok_or_else(|| FileProblem("resize produced a buffer of the wrong size".into()))
}
