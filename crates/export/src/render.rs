//! Pixels of a crop: the source decoded once, upright, at the smallest scale every crop of it still
//! gets full detail from (JPEG DCT scaling), then each crop cut and resized (Lanczos-3, the sharpest
//! for the eye) straight from that copy; a crop reaching past the image gets the fill colour there.

use image::RgbImage;

use super::geometry::Rect;
use argus_media::imaging::{decode_sized, render_region, upright, FilterType};
use argus_media::raw::RawPixels;
use argus_media::{FileProblem, ImageFacts};

/// A source photo decoded upright, possibly scaled down.
pub struct Source {
    pub pixels: RgbImage,
    /// The photo's full upright size.
    pub width: u32,
    pub height: u32,
}

impl Source {
    /// Decodes `bytes` upright, at no less than `scale` of the full size (0 < scale ≤ 1); a camera
    /// RAW from the source `raw` chooses.
    pub fn decode(
        bytes: &[u8],
        facts: &ImageFacts,
        scale: f64,
        raw: RawPixels,
    ) -> Result<Source, FileProblem> {
        let (width, height) = facts.displayed_size();
        let long_side = width.max(height);
        let needed = (f64::from(long_side) * scale.clamp(0.0, 1.0)).ceil() as u32;
        let decoded = decode_sized(bytes, facts, needed.clamp(1, long_side), raw)?;
        Ok(Source {
            pixels: upright(decoded, facts.orientation),
            width,
            height,
        })
    }

    /// The crop `rect` (full-size pixels, may reach past the image) as an `out_w × out_h` image.
    pub fn render(
        &self,
        rect: &Rect,
        out_w: u32,
        out_h: u32,
        fill: [u8; 3],
    ) -> Result<RgbImage, FileProblem> {
        render_region(
            &self.pixels,
            (self.width, self.height),
            rect,
            (out_w, out_h),
            FilterType::Lanczos3,
            fill,
        )
    }
}
