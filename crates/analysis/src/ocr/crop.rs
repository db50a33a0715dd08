//! Cutting a text box out of the image as an upright strip: a perspective warp of the box's four corners
//! onto a rectangle (bicubic, edge pixels replicated), then a quarter turn for tall strips.
//!
//! Ported from rapidocr 1.4.4 `main.py` `get_rotate_crop_image` (OpenCV `getPerspectiveTransform` +
//! `warpPerspective(INTER_CUBIC, BORDER_REPLICATE)`, then `np.rot90` when height / width ≥ 1.5).

use image::{imageops, RgbImage};

use super::geometry::{distance, Quad};

/// A strip at least this many times taller than wide is vertical text: turn it a quarter counter-clockwise.
const TALL_RATIO: f64 = 1.5;
/// OpenCV's bicubic kernel parameter.
const CUBIC_A: f64 = -0.75;

/// The box `quad` (TL, TR, BR, BL in pixels of `img`) as an upright strip, or `None` when it is less than a
/// pixel wide or tall.
pub fn crop_box(img: &RgbImage, quad: &Quad) -> Option<RgbImage> {
    let width = distance(quad[0], quad[1]).max(distance(quad[2], quad[3])) as u32;
    let height = distance(quad[0], quad[3]).max(distance(quad[1], quad[2])) as u32;
    if width == 0 || height == 0 || img.width() == 0 || img.height() == 0 {
        return None;
    }
    let target = [
        [0.0, 0.0],
        [width as f64, 0.0],
        [width as f64, height as f64],
        [0.0, height as f64],
    ];
    let to_source =
        homography(&target, quad).or_else(|| homography(&target, &bounding_quad(quad)))?;
    let strip = RgbImage::from_fn(width, height, |x, y| {
        let [sx, sy] = apply(&to_source, x as f64, y as f64);
        image::Rgb(sample_bicubic(img, sx, sy))
    });
    if height as f64 / width as f64 >= TALL_RATIO {
        Some(imageops::rotate270(&strip))
    } else {
        Some(strip)
    }
}

/// The axis-aligned bounding box of a quad, for boxes whose corners are degenerate (collinear).
fn bounding_quad(quad: &Quad) -> Quad {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in quad {
        (x0, y0, x1, y1) = (x0.min(p[0]), y0.min(p[1]), x1.max(p[0]), y1.max(p[1]));
    }
    [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
}

/// The 3×3 projective transform (row-major, `h[8] = 1`) taking the four points `from` to `to`, or `None`
/// when the points are degenerate.
pub fn homography(from: &Quad, to: &Quad) -> Option<[f64; 9]> {
    // Unknowns h0..h7: x' = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), y' = (h3 x + h4 y + h5) / (same).
    let mut rows = [[0.0f64; 9]; 8];
    for (i, (&[x, y], &[u, v])) in from.iter().zip(to.iter()).enumerate() {
        rows[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u, u];
        rows[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -x * v, -y * v, v];
    }
    let h = solve(rows)?;
    Some([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0])
}

/// Solves an 8×8 linear system given as augmented rows, by Gaussian elimination with partial pivoting.
fn solve(mut rows: [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&a, &b| rows[a][col].abs().total_cmp(&rows[b][col].abs()))?;
        if rows[pivot][col].abs() < 1e-12 {
            return None;
        }
        rows.swap(col, pivot);
        let pivot_row = rows[col];
        for (r, row) in rows.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (v, p) in row.iter_mut().zip(pivot_row.iter()).skip(col) {
                    *v -= f * p;
                }
            }
        }
    }
    let mut out = [0.0; 8];
    for (i, v) in out.iter_mut().enumerate() {
        *v = rows[i][8] / rows[i][i];
    }
    Some(out)
}

/// Applies a projective transform to a point.
pub fn apply(h: &[f64; 9], x: f64, y: f64) -> [f64; 2] {
    let w = h[6] * x + h[7] * y + h[8];
    let w = if w.abs() < 1e-12 { 1e-12 } else { w };
    [
        (h[0] * x + h[1] * y + h[2]) / w,
        (h[3] * x + h[4] * y + h[5]) / w,
    ]
}

/// Bicubic sample (OpenCV's kernel) at a sub-pixel position, with out-of-image pixels replicated from
/// the nearest edge.
fn sample_bicubic(img: &RgbImage, x: f64, y: f64) -> [u8; 3] {
    let (x0, y0) = (x.floor(), y.floor());
    let (wx, wy) = (cubic_weights(x - x0), cubic_weights(y - y0));
    let max_x = img.width() as i64 - 1;
    let max_y = img.height() as i64 - 1;
    let mut acc = [0.0f64; 3];
    for (j, wyj) in wy.iter().enumerate() {
        let py = (y0 as i64 + j as i64 - 1).clamp(0, max_y) as u32;
        for (i, wxi) in wx.iter().enumerate() {
            let px = (x0 as i64 + i as i64 - 1).clamp(0, max_x) as u32;
            let p = img.get_pixel(px, py).0;
            let w = wxi * wyj;
            for c in 0..3 {
                acc[c] += w * p[c] as f64;
            }
        }
    }
    acc.map(|v| v.round().clamp(0.0, 255.0) as u8)
}

/// The four bicubic weights for taps at offsets −1, 0, 1, 2 from a fractional position `t` in [0, 1).
fn cubic_weights(t: f64) -> [f64; 4] {
    let a = CUBIC_A;
    let near = |d: f64| ((a + 2.0) * d - (a + 3.0)) * d * d + 1.0; // |d| ≤ 1
    let far = |d: f64| ((a * d - 5.0 * a) * d + 8.0 * a) * d - 4.0 * a; // 1 < |d| < 2
    [far(t + 1.0), near(t), near(1.0 - t), far(2.0 - t)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_maps_corners() {
        let from = [[0.0, 0.0], [100.0, 0.0], [100.0, 20.0], [0.0, 20.0]];
        let to = [[10.0, 5.0], [108.0, 15.0], [105.0, 36.0], [8.0, 25.0]];
        let h = homography(&from, &to).unwrap();
        for (f, t) in from.iter().zip(to.iter()) {
            let p = apply(&h, f[0], f[1]);
            assert!((p[0] - t[0]).abs() < 1e-9 && (p[1] - t[1]).abs() < 1e-9);
        }
        let flat = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]];
        assert!(homography(&from, &flat).is_none());
    }

    #[test]
    fn cubic_weights_sum_to_one() {
        for t in [0.0, 0.25, 0.5, 0.9] {
            let s: f64 = cubic_weights(t).iter().sum();
            assert!((s - 1.0).abs() < 1e-12);
        }
        assert_eq!(cubic_weights(0.0), [0.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn axis_aligned_crop_copies_pixels_and_turns_tall_strips() {
        let img = RgbImage::from_fn(20, 10, |x, y| image::Rgb([x as u8, y as u8, 0]));
        let strip = crop_box(&img, &[[2.0, 3.0], [12.0, 3.0], [12.0, 7.0], [2.0, 7.0]]).unwrap();
        assert_eq!(strip.dimensions(), (10, 4));
        assert_eq!(strip.get_pixel(0, 0).0, [2, 3, 0]);
        assert_eq!(strip.get_pixel(9, 3).0, [11, 6, 0]);
        let tall = crop_box(&img, &[[2.0, 0.0], [5.0, 0.0], [5.0, 9.0], [2.0, 9.0]]).unwrap();
        assert_eq!(tall.dimensions(), (9, 3));
        // A quarter turn counter-clockwise: the strip's top-right pixel is now top-left.
        assert_eq!(tall.get_pixel(0, 0).0, [4, 0, 0]);
        assert!(crop_box(&img, &[[2.0, 3.0], [2.5, 3.0], [2.5, 3.2], [2.0, 3.2]]).is_none());
    }
}
