//! Pixels of a crop: the source decoded once, upright, at the smallest scale every crop of it still
//! gets full detail from (JPEG DCT scaling), then each crop cut and resized (Lanczos-3) straight
//! from that copy; a crop reaching past the image gets the fill colour there.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;

use super::geometry::Rect;
use argus_media::imaging::{decode_sized, upright};
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
        let inside = rect
            .clip(i64::from(self.width), i64::from(self.height))
            .ok_or_else(|| FileProblem("the crop lies outside the photo".into()))?;
        let (sx, sy) = (
            f64::from(self.pixels.width()) / f64::from(self.width),
            f64::from(self.pixels.height()) / f64::from(self.height),
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
            .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
            .crop(
                inside.x as f64 * sx,
                inside.y as f64 * sy,
                inside.w as f64 * sx,
                inside.h as f64 * sy,
            );
        Resizer::new()
            .resize(&self.pixels, &mut part, &options)
            .map_err(|e| FileProblem(format!("resize failed: {e}")))?;
        if (dx, dy, dw, dh) == (0, 0, out_w, out_h) {
            return Ok(part);
        }
        let mut out = RgbImage::from_pixel(out_w, out_h, image::Rgb(fill));
        image::imageops::replace(&mut out, &part, i64::from(dx), i64::from(dy));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        // Left half red, right half blue; 400 × 200.
        let pixels = RgbImage::from_fn(400, 200, |x, _| {
            if x < 200 {
                image::Rgb([255, 0, 0])
            } else {
                image::Rgb([0, 0, 255])
            }
        });
        Source {
            pixels,
            width: 800,
            height: 400,
        }
    }

    #[test]
    fn crops_from_a_scaled_copy() {
        let rect = Rect {
            x: 0,
            y: 0,
            w: 300,
            h: 300,
        };
        let out = source().render(&rect, 100, 100, [0, 0, 0]).unwrap();
        assert_eq!(out.dimensions(), (100, 100));
        assert_eq!(out.get_pixel(50, 50).0, [255, 0, 0], "all red");
        let right = Rect { x: 500, ..rect };
        let out = source().render(&right, 100, 100, [0, 0, 0]).unwrap();
        assert_eq!(out.get_pixel(50, 50).0, [0, 0, 255], "all blue");
    }

    #[test]
    fn outside_the_photo_is_filled() {
        let rect = Rect {
            x: -200,
            y: 0,
            w: 400,
            h: 400,
        };
        let out = source().render(&rect, 200, 200, [9, 200, 9]).unwrap();
        assert_eq!(out.get_pixel(10, 100).0, [9, 200, 9], "fill on the left");
        assert_eq!(out.get_pixel(150, 100).0, [255, 0, 0], "photo on the right");
    }
}
