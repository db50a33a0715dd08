//! What a photo looks like, for finding look-alikes and copies: a global descriptor (the scene
//! network's pooled 1,280-d features of the photo view, L2-normalised and stored as 8-bit
//! ([`argus_ann::Element`] for `i8`)), a perceptual hash (the signs of the 8×8 lowest frequencies of
//! the 2-D DCT of the upright photo's 32×32 grey levels against their median — unchanged by resizing,
//! re-encoding and small edits), and the photo's sharpness (variance of the Laplacian at a 512 px long
//! side, so copies of different sizes compare).

use image::RgbImage;

use crate::sharpness::sharpness;
use crate::AnalysisError;
use argus_ann::{normalize, Element};
use argus_core::results::PhotoDescriptor;
use argus_media::imaging::{resize_exact, resize_to_fit};

/// The side the hash's DCT runs on.
const HASH_SIDE: usize = 32;
/// The low-frequency block the hash keeps (8 × 8 = 64 bits).
const HASH_BLOCK: usize = 8;
/// The long side sharpness is measured at.
const SHARPNESS_SIDE: u32 = 512;

/// The descriptor of a photo from the scene network's pooled features of its view.
pub fn describe(image: &RgbImage, features: &[f32]) -> Result<PhotoDescriptor, AnalysisError> {
    let mut unit = features.to_vec();
    normalize(&mut unit);
    let reduced = resize_to_fit(image, SHARPNESS_SIDE).map_err(|p| AnalysisError::Image(p.0))?;
    Ok(PhotoDescriptor {
        vector: i8::encode(&unit),
        phash: perceptual_hash(image)?,
        sharpness: sharpness(&reduced),
    })
}

/// The 64-bit DCT hash of a photo (bit `8·v + u` is frequency `(u, v)`).
pub fn perceptual_hash(image: &RgbImage) -> Result<u64, AnalysisError> {
    let n = HASH_SIDE;
    let small = resize_exact(image, n as u32, n as u32).map_err(|p| AnalysisError::Image(p.0))?;
    let grey: Vec<f64> = small
        .pixels()
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect();
    // cos((2x + 1) u π / 2n) for the kept frequencies u.
    let basis: Vec<f64> = (0..HASH_BLOCK)
        .flat_map(|u| {
            (0..n).map(move |x| {
                ((2 * x + 1) as f64 * u as f64 * std::f64::consts::PI / (2 * n) as f64).cos()
            })
        })
        .collect();
    // Rows first (each row's low frequencies), then columns.
    let mut rows = vec![0f64; n * HASH_BLOCK];
    for y in 0..n {
        for u in 0..HASH_BLOCK {
            rows[y * HASH_BLOCK + u] = (0..n).map(|x| grey[y * n + x] * basis[u * n + x]).sum();
        }
    }
    let mut block = [0f64; HASH_BLOCK * HASH_BLOCK];
    for v in 0..HASH_BLOCK {
        for u in 0..HASH_BLOCK {
            block[v * HASH_BLOCK + u] = (0..n)
                .map(|y| rows[y * HASH_BLOCK + u] * basis[v * n + y])
                .sum();
        }
    }
    let mut sorted = block;
    sorted.sort_by(f64::total_cmp);
    let median = (sorted[31] + sorted[32]) / 2.0;
    Ok(block
        .iter()
        .enumerate()
        .fold(0u64, |h, (i, &c)| if c > median { h | 1 << i } else { h }))
}

/// How many bits two hashes differ in.
pub fn hash_distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scene(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
            let v = (128.0 + 100.0 * (fx * 9.0).sin() * (fy * 5.0).cos()) as u8;
            image::Rgb([v, (fx * 255.0) as u8, (fy * 200.0) as u8])
        })
    }

    #[test]
    fn the_hash_survives_resizing_and_tells_photos_apart() {
        let a = perceptual_hash(&scene(640, 480)).unwrap();
        let resized = perceptual_hash(&scene(320, 240)).unwrap();
        assert!(
            hash_distance(a, resized) <= 4,
            "{}",
            hash_distance(a, resized)
        );
        let other = RgbImage::from_fn(640, 480, |x, y| {
            let v = if (x / 40 + y / 60) % 2 == 0 { 30 } else { 220 };
            image::Rgb([v, v, v])
        });
        let b = perceptual_hash(&other).unwrap();
        assert!(hash_distance(a, b) > 16, "{}", hash_distance(a, b));
    }

    #[test]
    fn a_descriptor_is_a_unit_direction_in_eight_bits() {
        let features: Vec<f32> = (0..1280).map(|i| (i % 7) as f32).collect();
        let d = describe(&scene(300, 200), &features).unwrap();
        assert_eq!(d.vector.len(), 1280);
        assert_eq!(d.vector.iter().map(|x| x.unsigned_abs()).max(), Some(127));
        assert!(d.sharpness > 0.0);
    }
}
