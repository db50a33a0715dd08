//! Pixels: decoding a photo to RGB (with JPEG DCT scaling where it pays), flattening transparency,
//! resizing (fast_image_resize) and turning it upright. Shared by thumbnails and analysis.

use std::io::Cursor;

use fast_image_resize::{
    images::Image as FirImage, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
};
use image::{metadata::Orientation, DynamicImage, RgbImage};

use crate::raw::RawPixels;
use crate::{FileProblem, ImageFacts, PixelSource};

/// Background that transparent pixels are flattened onto (the app's dark grey).
const BACKGROUND: [u8; 3] = [32, 32, 32];

/// How a thumbnail's source pixels are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeRoute {
    /// JPEGs decoded at 1/2, 1/4 or 1/8 scale by DCT scaling (jpeg-decoder); other formats in full.
    Scaled,
    /// Every format decoded at full size (zune-jpeg for JPEG), then resized.
    Full,
}

/// The route used by default (chosen by `argus dev bench index`, which measures both).
pub const DEFAULT_ROUTE: DecodeRoute = DecodeRoute::Scaled;

/// Decodes `bytes` by `route` with the long side at least `min_long_side` (where the route can save work)
/// and returns it upright (EXIF orientation applied) and no larger than `max_long_side`.
pub fn decode_upright(
    bytes: &[u8],
    facts: &ImageFacts,
    route: DecodeRoute,
    max_long_side: u32,
) -> Result<RgbImage, FileProblem> {
    let decoded = match route {
        DecodeRoute::Scaled => decode_reduced(bytes, facts, max_long_side)?,
        DecodeRoute::Full => decode_full(bytes, facts)?,
    };
    let fitted = resize_to_fit(&decoded, max_long_side)?;
    Ok(upright(fitted, facts.orientation))
}

/// Applies an EXIF orientation (1..=8) to an image.
pub fn upright(img: RgbImage, orientation: Option<u16>) -> RgbImage {
    match orientation.and_then(|o| Orientation::from_exif(o as u8)) {
        Some(o) if o != Orientation::NoTransforms => {
            let mut dynamic = DynamicImage::ImageRgb8(img);
            dynamic.apply_orientation(o);
            dynamic.into_rgb8()
        }
        _ => img,
    }
}

/// Decodes to RGB8 with the long side at least `min_long_side` where the decoder can cut work (JPEG DCT
/// scaling); other formats decode at full size. Measured (`argus dev bench index`): DCT scaling pays off from
/// a 1/4 scale on (12 MP: 2× faster); at 1/2 the general decoder (zune-jpeg) is faster, so it is used.
pub fn decode_reduced(
    bytes: &[u8],
    facts: &ImageFacts,
    min_long_side: u32,
) -> Result<RgbImage, FileProblem> {
    match facts.source {
        PixelSource::Heif { .. } => return crate::heif::decode(bytes, facts, min_long_side),
        PixelSource::JxlOxide => return crate::jxl::decode(bytes),
        PixelSource::RawPreview { .. } | PixelSource::RawDemosaic => {
            return crate::raw::decode(bytes, facts, min_long_side, RawPixels::Catalogued)
        }
        PixelSource::Decoder => {}
    }
    let long_side = facts.stored_width.max(facts.stored_height);
    if facts.format == "jpeg" && long_side >= 4 * min_long_side {
        if let Some(img) = decode_jpeg_scaled(bytes, facts, min_long_side)? {
            return Ok(img);
        }
    }
    decode_full(bytes, facts)
}

/// [`decode_reduced`], with a camera RAW's pixels from the source `raw` chooses.
pub fn decode_sized(
    bytes: &[u8],
    facts: &ImageFacts,
    min_long_side: u32,
    raw: RawPixels,
) -> Result<RgbImage, FileProblem> {
    match facts.source {
        PixelSource::RawPreview { .. } | PixelSource::RawDemosaic => {
            crate::raw::decode(bytes, facts, min_long_side, raw)
        }
        _ => decode_reduced(bytes, facts, min_long_side),
    }
}

/// Decodes at full size: HEIF's primary image, a RAW by its catalogued route, anything
/// else with the image crate's decoders.
pub fn decode_full(bytes: &[u8], facts: &ImageFacts) -> Result<RgbImage, FileProblem> {
    match facts.source {
        PixelSource::Heif { .. } => return crate::heif::decode(bytes, facts, u32::MAX),
        PixelSource::JxlOxide => return crate::jxl::decode(bytes),
        PixelSource::RawPreview { .. } | PixelSource::RawDemosaic => {
            return crate::raw::decode(bytes, facts, u32::MAX, RawPixels::Catalogued)
        }
        PixelSource::Decoder => {}
    }
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
pub fn flatten_to_rgb(img: DynamicImage) -> RgbImage {
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

/// Scales to exactly `width`×`height` with a Catmull-Rom filter.
pub fn resize_exact(img: &RgbImage, width: u32, height: u32) -> Result<RgbImage, FileProblem> {
    let (w, h) = img.dimensions();
    if (w, h) == (width, height) {
        return Ok(img.clone());
    }
    let src = FirImage::from_vec_u8(w, h, img.as_raw().clone(), PixelType::U8x3)
        .map_err(|e| FileProblem(format!("resize failed: {e}")))?;
    let mut dst = FirImage::new(width.max(1), height.max(1), PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| FileProblem(format!("resize failed: {e}")))?;
    RgbImage::from_raw(width.max(1), height.max(1), dst.into_vec())
        .ok_or_else(|| FileProblem("resize produced a buffer of the wrong size".into()))
}

/// Scales down (never up) so the long side is at most `long_side`, with a Catmull-Rom filter.
pub fn resize_to_fit(img: &RgbImage, long_side: u32) -> Result<RgbImage, FileProblem> {
    let (w, h) = img.dimensions();
    if w.max(h) <= long_side {
        return Ok(img.clone());
    }
    let scale = long_side as f64 / w.max(h) as f64;
    let tw = ((w as f64 * scale).round() as u32).max(1);
    let th = ((h as f64 * scale).round() as u32).max(1);
    resize_exact(img, tw, th)
}
