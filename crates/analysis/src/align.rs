//! Face crops. Alignment: the similarity transform (rotation, uniform scale, translation) that best maps
//! the 5 detected landmarks onto the ArcFace 112×112 template (least squares, closed form). Box crops:
//! upright or eye-levelled squares around a face for the attribute and mesh networks. All go through one
//! bilinear warp that pre-shrinks big faces with a proper filter so small crops do not alias.

use image::{Rgb, RgbImage};

use argus_media::imaging::resize_exact;

/// Side of the aligned face.
pub const ALIGNED: u32 = 112;

/// ArcFace's reference landmarks for a 112×112 face: eyes, nose tip, mouth corners.
const TEMPLATE: [[f32; 2]; 5] = [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
];

/// `q = [[a, -b], [b, a]] · p + t`: a similarity transform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    pub a: f32,
    pub b: f32,
    pub tx: f32,
    pub ty: f32,
}

impl Similarity {
    /// Least-squares similarity mapping `from` onto `to`.
    pub fn estimate(from: &[[f32; 2]], to: &[[f32; 2]]) -> Similarity {
        let n = from.len() as f32;
        let mean = |pts: &[[f32; 2]]| {
            let (sx, sy) = pts
                .iter()
                .fold((0.0, 0.0), |(x, y), p| (x + p[0], y + p[1]));
            [sx / n, sy / n]
        };
        let (mp, mq) = (mean(from), mean(to));
        let (mut dot, mut cross, mut var) = (0.0, 0.0, 0.0);
        for (p, q) in from.iter().zip(to) {
            let (px, py) = (p[0] - mp[0], p[1] - mp[1]);
            let (qx, qy) = (q[0] - mq[0], q[1] - mq[1]);
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            var += px * px + py * py;
        }
        let var = var.max(f32::EPSILON);
        let (a, b) = (dot / var, cross / var);
        Similarity {
            a,
            b,
            tx: mq[0] - (a * mp[0] - b * mp[1]),
            ty: mq[1] - (b * mp[0] + a * mp[1]),
        }
    }

    pub fn apply(&self, p: [f32; 2]) -> [f32; 2] {
        [
            self.a * p[0] - self.b * p[1] + self.tx,
            self.b * p[0] + self.a * p[1] + self.ty,
        ]
    }

    /// The inverse transform.
    pub fn inverse(&self) -> Similarity {
        let det = (self.a * self.a + self.b * self.b).max(f32::EPSILON);
        let (a, b) = (self.a / det, -self.b / det);
        Similarity {
            a,
            b,
            tx: -(a * self.tx - b * self.ty),
            ty: -(b * self.tx + a * self.ty),
        }
    }
}

/// The 112×112 aligned face for these landmarks (pixels outside the photo are black).
pub fn align_face(img: &RgbImage, landmarks: &[[f32; 2]; 5]) -> RgbImage {
    let to_source = Similarity::estimate(landmarks, &TEMPLATE).inverse();
    warp(img, &to_source, ALIGNED, ALIGNED)
}

/// The square around a face box, `margin` times its longer side, upright, at `side`×`side`.
pub fn square_crop(img: &RgbImage, bbox: [f32; 4], margin: f32, side: u32) -> RgbImage {
    let [x, y, w, h] = bbox;
    let size = w.max(h) * margin;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let k = size / side as f32;
    let to_source = Similarity {
        a: k,
        b: 0.0,
        tx: cx - size / 2.0,
        ty: cy - size / 2.0,
    };
    warp(img, &to_source, side, side)
}

/// The square around a face box, `margin` times its longer side, rotated so the eyes are level, at
/// `side`×`side`. Returns the crop and the map from crop pixels back to the image.
pub fn level_crop(
    img: &RgbImage,
    bbox: [f32; 4],
    landmarks: &[[f32; 2]; 5],
    margin: f32,
    side: u32,
) -> (RgbImage, Similarity) {
    let [x, y, w, h] = bbox;
    let size = w.max(h) * margin;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let (dx, dy) = (
        landmarks[1][0] - landmarks[0][0],
        landmarks[1][1] - landmarks[0][1],
    );
    let angle = dy.atan2(dx);
    let k = size / side as f32;
    let (a, b) = (k * angle.cos(), k * angle.sin());
    // Crop centre (side/2, side/2) maps to the box centre.
    let half = side as f32 / 2.0;
    let to_source = Similarity {
        a,
        b,
        tx: cx - (a * half - b * half),
        ty: cy - (b * half + a * half),
    };
    (warp(img, &to_source, side, side), to_source)
}

/// Samples `img` at `to_source(u, v)` for every output pixel (bilinear; black outside the image).
/// When the output is much smaller than the source region, the region is first downscaled with a
/// proper filter so that small crops of big faces do not alias.
pub fn warp(img: &RgbImage, to_source: &Similarity, out_w: u32, out_h: u32) -> RgbImage {
    let step = (to_source.a * to_source.a + to_source.b * to_source.b).sqrt();
    if step > 2.0 {
        if let Some((reduced, map)) = reduce_region(img, to_source, out_w, out_h, step) {
            return sample(&reduced, &map, out_w, out_h);
        }
    }
    sample(img, to_source, out_w, out_h)
}

/// The part of `img` the output covers, shrunk so one output pixel spans about one source pixel, and the
/// output→reduced-image map.
fn reduce_region(
    img: &RgbImage,
    to_source: &Similarity,
    out_w: u32,
    out_h: u32,
    step: f32,
) -> Option<(RgbImage, Similarity)> {
    let corners = [
        [0.0, 0.0],
        [out_w as f32, 0.0],
        [0.0, out_h as f32],
        [out_w as f32, out_h as f32],
    ]
    .map(|p| to_source.apply(p));
    let x0 = corners
        .iter()
        .map(|p| p[0])
        .fold(f32::MAX, f32::min)
        .floor()
        .max(0.0) as u32;
    let y0 = corners
        .iter()
        .map(|p| p[1])
        .fold(f32::MAX, f32::min)
        .floor()
        .max(0.0) as u32;
    let x1 =
        (corners.iter().map(|p| p[0]).fold(f32::MIN, f32::max).ceil() as u32 + 1).min(img.width());
    let y1 =
        (corners.iter().map(|p| p[1]).fold(f32::MIN, f32::max).ceil() as u32 + 1).min(img.height());
    if x1 <= x0 + 1 || y1 <= y0 + 1 {
        return None;
    }
    let region = image::imageops::crop_imm(img, x0, y0, x1 - x0, y1 - y0).to_image();
    let factor = 1.0 / step;
    let rw = ((region.width() as f32 * factor).round() as u32).max(1);
    let rh = ((region.height() as f32 * factor).round() as u32).max(1);
    let reduced = resize_exact(&region, rw, rh).ok()?;
    let (sx, sy) = (
        rw as f32 / region.width() as f32,
        rh as f32 / region.height() as f32,
    );
    // reduced = (source − origin) · s; anisotropy from rounding is below half a pixel.
    let s = (sx + sy) / 2.0;
    let map = Similarity {
        a: to_source.a * s,
        b: to_source.b * s,
        tx: (to_source.tx - x0 as f32) * s,
        ty: (to_source.ty - y0 as f32) * s,
    };
    Some((reduced, map))
}

fn sample(img: &RgbImage, to_source: &Similarity, out_w: u32, out_h: u32) -> RgbImage {
    RgbImage::from_fn(out_w, out_h, |u, v| {
        let [x, y] = to_source.apply([u as f32, v as f32]);
        bilinear(img, x, y)
    })
}

fn bilinear(img: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (x0, y0) = (x.floor() as i64, y.floor() as i64);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let px = |xi: i64, yi: i64| -> [f32; 3] {
        if xi < 0 || yi < 0 || xi >= w || yi >= h {
            [0.0; 3]
        } else {
            let p = img.get_pixel(xi as u32, yi as u32);
            [p[0] as f32, p[1] as f32, p[2] as f32]
        }
    };
    let (p00, p10, p01, p11) = (
        px(x0, y0),
        px(x0 + 1, y0),
        px(x0, y0 + 1),
        px(x0 + 1, y0 + 1),
    );
    let mut out = [0u8; 3];
    for c in 0..3 {
        let top = p00[c] * (1.0 - fx) + p10[c] * fx;
        let bottom = p01[c] * (1.0 - fx) + p11[c] * fx;
        out[c] = (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8;
    }
    Rgb(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_similarity() {
        let truth = Similarity {
            a: 0.8 * 0.5f32.cos(),
            b: 0.8 * 0.5f32.sin(),
            tx: 12.0,
            ty: -7.0,
        };
        let from: Vec<[f32; 2]> = TEMPLATE.to_vec();
        let to: Vec<[f32; 2]> = from.iter().map(|p| truth.apply(*p)).collect();
        let est = Similarity::estimate(&from, &to);
        for (got, want) in [
            (est.a, truth.a),
            (est.b, truth.b),
            (est.tx, truth.tx),
            (est.ty, truth.ty),
        ] {
            assert!((got - want).abs() < 1e-3, "{est:?} vs {truth:?}");
        }
        let back = est.inverse().apply(est.apply([3.0, 4.0]));
        assert!((back[0] - 3.0).abs() < 1e-3 && (back[1] - 4.0).abs() < 1e-3);
    }

    #[test]
    fn template_landmarks_align_to_themselves() {
        let img = RgbImage::from_fn(112, 112, |x, y| Rgb([x as u8, y as u8, 7]));
        let aligned = align_face(&img, &TEMPLATE);
        assert_eq!(aligned.get_pixel(50, 60), img.get_pixel(50, 60));
    }
}
