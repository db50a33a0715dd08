//! The no-face fallback: where a photo's detail is. Edge energy (luma gradient magnitude) on a small
//! copy of the photo, summed over every window of the crop's size; the crop goes to the window with
//! the most detail (among near-equal windows, the one closest to the centre) — a plain,
//! predictable stand-in for a saliency model.

use image::RgbImage;

use argus_media::imaging::resize_to_fit;

/// Long side of the energy map.
const MAP_SIDE: u32 = 64;

/// Windows within this fraction of the best energy count as equal (the most central wins).
const TIE: f64 = 0.02;

/// Summed edge energy of a photo, on a small grid.
pub struct Detail {
    w: usize,
    h: usize,
    /// Summed-area table, `(w + 1) × (h + 1)`.
    sums: Vec<f64>,
    /// Source pixels per map cell, per axis.
    scale: (f64, f64),
}

impl Detail {
    /// The map of `img`, an upright copy of a `width × height` photo at any scale.
    pub fn of(img: &RgbImage, width: u32, height: u32) -> Detail {
        let small = resize_to_fit(img, MAP_SIDE).unwrap_or_else(|_| img.clone());
        let (w, h) = (small.width() as usize, small.height() as usize);
        let luma: Vec<f64> = small
            .pixels()
            .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
            .collect();
        let at = |x: usize, y: usize| luma[y.min(h - 1) * w + x.min(w - 1)];
        let mut sums = vec![0.0; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0.0;
            for x in 0..w {
                let dx = at(x + 1, y) - at(x.saturating_sub(1), y);
                let dy = at(x, y + 1) - at(x, y.saturating_sub(1));
                row += (dx * dx + dy * dy).sqrt();
                sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
            }
        }
        Detail {
            w,
            h,
            sums,
            scale: (f64::from(width) / w as f64, f64::from(height) / h as f64),
        }
    }

    fn window(&self, x: usize, y: usize, ww: usize, wh: usize) -> f64 {
        let s = |x: usize, y: usize| self.sums[y * (self.w + 1) + x];
        s(x + ww, y + wh) - s(x, y + wh) - s(x + ww, y) + s(x, y)
    }

    /// The centre (source pixels) of the `crop_w × crop_h` window with the most detail.
    pub fn centre_for(&self, crop_w: i64, crop_h: i64) -> (f64, f64) {
        let ww = ((crop_w as f64 / self.scale.0).round() as usize).clamp(1, self.w);
        let wh = ((crop_h as f64 / self.scale.1).round() as usize).clamp(1, self.h);
        let positions =
            || (0..=self.h - wh).flat_map(move |y| (0..=self.w - ww).map(move |x| (x, y)));
        let best = positions()
            .map(|(x, y)| self.window(x, y, ww, wh))
            .fold(0.0, f64::max);
        let centre = ((self.w - ww) as f64 / 2.0, (self.h - wh) as f64 / 2.0);
        let off_centre = |&(x, y): &(usize, usize)| {
            (x as f64 - centre.0).powi(2) + (y as f64 - centre.1).powi(2)
        };
        let (x, y) = positions()
            .filter(|&(x, y)| self.window(x, y, ww, wh) >= best * (1.0 - TIE))
            .min_by(|a, b| off_centre(a).total_cmp(&off_centre(b)))
            .unwrap_or((0, 0));
        (
            (x as f64 + ww as f64 / 2.0) * self.scale.0,
            (y as f64 + wh as f64 / 2.0) * self.scale.1,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A flat grey photo with a busy checkerboard patch at `(px, py)` (fractions of the size).
    fn photo_with_detail_at(px: f64, py: f64) -> RgbImage {
        RgbImage::from_fn(800, 400, |x, y| {
            let (fx, fy) = (f64::from(x) / 800.0, f64::from(y) / 400.0);
            let busy = (fx - px).abs() < 0.08 && (fy - py).abs() < 0.15;
            let v = if busy && (x / 8 + y / 8) % 2 == 0 {
                250
            } else {
                120
            };
            image::Rgb([v, v, v])
        })
    }

    #[test]
    fn the_window_goes_to_the_detail() {
        let detail = Detail::of(&photo_with_detail_at(0.85, 0.5), 4000, 2000);
        let (cx, cy) = detail.centre_for(1000, 2000);
        assert!((cx - 3400.0).abs() < 300.0, "centre x {cx}");
        assert!((cy - 1000.0).abs() < 1.0, "full height: {cy}");
    }

    #[test]
    fn a_flat_photo_is_cropped_in_the_centre() {
        let flat = RgbImage::from_pixel(300, 300, image::Rgb([90, 90, 90]));
        let (cx, cy) = Detail::of(&flat, 3000, 3000).centre_for(1000, 1000);
        assert!((cx - 1500.0).abs() < 60.0 && (cy - 1500.0).abs() < 60.0);
    }
}
