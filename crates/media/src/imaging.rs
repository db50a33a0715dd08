//! Pixels: decoding a photo to RGB (with JPEG DCT scaling where it pays), flattening transparency,
//! resizing (fast_image_resize), cutting a region out resized, and turning it upright. Shared by
//! thumbnails, analysis and export.

use std::io::Cursor;

use argus_core::geometry::Rect;
/// The resampling filters [`render_region`] takes.
pub use fast_image_resize::FilterType;
use fast_image_resize::{images::Image as FirImage, PixelType, ResizeAlg, ResizeOptions, Resizer};
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

/// The region `rect` of a picture as an `out_w × out_h` image. `rect` is in the picture's full-size
/// pixels (`full`), of which `pixels` may be a scaled-down copy, and may reach past the picture:
/// only the part inside is resized (with `filter`, straight from `pixels`, no intermediate copy)
/// into its place, and the rest is `fill`.
pub fn render_region(
    pixels: &RgbImage,
    full: (u32, u32),
    rect: &Rect,
    (out_w, out_h): (u32, u32),
    filter: FilterType,
    fill: [u8; 3],
) -> Result<RgbImage, FileProblem> {
    let inside = rect
        .clip(i64::from(full.0), i64::from(full.1))
        .ok_or_else(|| FileProblem("the region lies outside the picture".into()))?;
    let (out_w, out_h) = (out_w.max(1), out_h.max(1));
    let (sx, sy) = (
        f64::from(pixels.width()) / f64::from(full.0),
        f64::from(pixels.height()) / f64::from(full.1),
    );
    // Where the inside part goes in the output.
    let (ox, oy) = (
        f64::from(out_w) / rect.w as f64,
        f64::from(out_h) / rect.h as f64,
    );
    let dx = ((inside.x - rect.x) as f64 * ox).round() as u32;
    let dy = ((inside.y - rect.y) as f64 * oy).round() as u32;
    let dw = ((inside.w as f64 * ox).round() as u32).clamp(1, out_w - dx.min(out_w - 1));
    let dh = ((inside.h as f64 * oy).round() as u32).clamp(1, out_h - dy.min(out_h - 1));
    let mut part = RgbImage::new(dw, dh);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(filter))
        .crop(
            inside.x as f64 * sx,
            inside.y as f64 * sy,
            inside.w as f64 * sx,
            inside.h as f64 * sy,
        );
    Resizer::new()
        .resize(pixels, &mut part, &options)
        .map_err(|e| FileProblem(format!("resize failed: {e}")))?;
    if (dx, dy, dw, dh) == (0, 0, out_w, out_h) {
        return Ok(part);
    }
    let mut out = RgbImage::from_pixel(out_w, out_h, image::Rgb(fill));
    image::imageops::replace(&mut out, &part, i64::from(dx), i64::from(dy));
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Left half red, right half blue; 400 × 200, standing for an 800 × 400 picture.
    fn halves() -> RgbImage {
        RgbImage::from_fn(400, 200, |x, _| {
            if x < 200 {
                image::Rgb([255, 0, 0])
            } else {
                image::Rgb([0, 0, 255])
            }
        })
    }

    #[test]
    fn a_region_is_cut_from_a_scaled_copy() {
        let rect = Rect {
            x: 0,
            y: 0,
            w: 300,
            h: 300,
        };
        let out = render_region(
            &halves(),
            (800, 400),
            &rect,
            (100, 100),
            FilterType::Lanczos3,
            [0, 0, 0],
        )
        .unwrap();
        assert_eq!(out.dimensions(), (100, 100));
        assert_eq!(out.get_pixel(50, 50).0, [255, 0, 0], "all red");
        let right = Rect { x: 500, ..rect };
        let out = render_region(
            &halves(),
            (800, 400),
            &right,
            (100, 100),
            FilterType::Lanczos3,
            [0, 0, 0],
        )
        .unwrap();
        assert_eq!(out.get_pixel(50, 50).0, [0, 0, 255], "all blue");
    }

    #[test]
    fn outside_the_picture_is_filled() {
        // Half of it left of the picture, half of it below.
        let rect = Rect {
            x: -200,
            y: 0,
            w: 400,
            h: 800,
        };
        let out = render_region(
            &halves(),
            (800, 400),
            &rect,
            (200, 200),
            FilterType::Lanczos3,
            [9, 200, 9],
        )
        .unwrap();
        assert_eq!(out.dimensions(), (200, 200));
        assert_eq!(out.get_pixel(10, 100).0, [9, 200, 9], "fill on the left");
        assert_eq!(
            out.get_pixel(150, 50).0,
            [255, 0, 0],
            "picture on the right"
        );
        assert_eq!(
            out.get_pixel(150, 150).0,
            [9, 200, 9],
            "fill below the picture"
        );
    }

    #[test]
    fn a_region_wholly_outside_is_an_error() {
        let rect = Rect {
            x: 900,
            y: 0,
            w: 50,
            h: 50,
        };
        let err = render_region(
            &halves(),
            (800, 400),
            &rect,
            (10, 10),
            FilterType::CatmullRom,
            [0, 0, 0],
        )
        .unwrap_err();
        assert!(err.0.contains("outside"), "{}", err.0);
    }
}
