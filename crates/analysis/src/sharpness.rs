//! How sharp a face is, for deciding whether it may seed a person: the variance of the Laplacian
//! of the aligned face's grey levels, over its central part (the alignment warp may leave black
//! borders). Out-of-focus and motion blur lower it, and so does a face too small for the 112 px
//! crop it was scaled up to — both leave the embedding with little to go on.

use image::RgbImage;

/// Variance of the 4-neighbour Laplacian of the grey levels (0–255) inside the central 80 % of `face`.
pub fn sharpness(face: &RgbImage) -> f32 {
    let (w, h) = (face.width() as usize, face.height() as usize);
    if w < 5 || h < 5 {
        return 0.0;
    }
    let grey: Vec<f32> = face
        .pixels()
        .map(|p| 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32)
        .collect();
    let at = |x: usize, y: usize| grey[y * w + x];
    let (x0, x1) = ((w / 10).max(1), (w - w / 10).min(w - 1));
    let (y0, y1) = ((h / 10).max(1), (h - h / 10).min(h - 1));
    let (mut sum, mut sum_sq, mut n) = (0f64, 0f64, 0f64);
    for y in y0..y1 {
        for x in x0..x1 {
            let l =
                (at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y)) as f64;
            sum += l;
            sum_sq += l * l;
            n += 1.0;
        }
    }
    let mean = sum / n;
    (sum_sq / n - mean * mean).max(0.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::imageops::blur;

    fn checkerboard() -> RgbImage {
        RgbImage::from_fn(112, 112, |x, y| {
            let v = if (x / 4 + y / 4) % 2 == 0 { 40 } else { 210 };
            image::Rgb([v, v, v])
        })
    }

    #[test]
    fn blur_lowers_sharpness_and_a_flat_face_has_none() {
        let sharp = checkerboard();
        let a = sharpness(&sharp);
        let b = sharpness(&blur(&sharp, 1.5));
        let c = sharpness(&blur(&sharp, 3.0));
        assert!(a > b && b > c, "{a} {b} {c}");
        assert_eq!(
            sharpness(&RgbImage::from_pixel(112, 112, image::Rgb([90, 90, 90]))),
            0.0
        );
    }
}
