//! Face detection with YuNet (2023mar): boxes, scores and 5 landmarks (eyes, nose tip, mouth corners, in
//! the ArcFace template's order).
//!
//! The installed model takes any input size whose sides are multiples of 32 (`argus models fetch` marks
//! its input dynamic; the graph itself is size-agnostic). It reliably finds faces from about 14 px of its
//! input up to about 640 px, so a photo gets two passes: the whole photo with the long side at 640 (big
//! faces), and — when that scale would shrink a [`MIN_FACE`] face below 14 px — a second pass at the scale
//! where it does not (small faces). Results are merged by non-maximum suppression. Two passes cost about
//! 2 units of a 640×640 inference on a 1280-px working image, against 7 for overlapping 640 tiles.

use image::RgbImage;
use ort::session::Session;
use ort::value::Tensor;

use super::tensor::inference;
use super::AnalysisError;
use argus_media::imaging::resize_exact;

/// Long side of the whole-photo pass.
const WHOLE_SIDE: u32 = 640;
/// Smallest face, in working-image pixels, that detection must find.
pub const MIN_FACE: f32 = 20.0;
/// Smallest face, in network-input pixels, the network finds reliably (measured: score ≥ 0.85 from 14 px,
/// ≈ 0.8 at 12 px, nothing below 10 px).
const NET_MIN_FACE: f32 = 14.0;
/// In the small-face pass only faces up to this size (input pixels) are kept; bigger ones are the
/// whole-photo pass's.
const SMALL_PASS_MAX_FACE: f32 = 160.0;
const STRIDES: [u32; 3] = [8, 16, 32];
const ALIGN: u32 = 32;

/// A detected face, in working-image pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub score: f32,
    /// Left eye, right eye (as seen in the image), nose tip, left and right mouth corner.
    pub landmarks: [[f32; 2]; 5],
}

/// Detection settings.
#[derive(Debug, Clone, Copy)]
pub struct DetectOptions {
    pub score_threshold: f32,
    pub nms_iou: f32,
    /// Run the small-face pass when the whole-photo pass cannot see [`MIN_FACE`] faces.
    pub small_faces: bool,
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            score_threshold: 0.7,
            nms_iou: 0.3,
            small_faces: true,
        }
    }
}

/// Finds the faces in `img` (upright, working resolution).
pub fn detect_faces(
    session: &mut Session,
    img: &RgbImage,
    options: &DetectOptions,
) -> Result<Vec<Detection>, AnalysisError> {
    let long = img.width().max(img.height()).max(1) as f32;
    let whole_scale = (WHOLE_SIDE as f32 / long).min(1.0);
    let mut found = run_scaled(session, img, whole_scale, options.score_threshold)?;
    let small_scale = NET_MIN_FACE / MIN_FACE;
    if options.small_faces && whole_scale < small_scale {
        let mut small = run_scaled(session, img, small_scale, options.score_threshold)?;
        small.retain(|d| d.w.max(d.h) * small_scale < SMALL_PASS_MAX_FACE);
        found.extend(small);
    }
    let mut kept = non_max_suppression(found, options.nms_iou);
    for d in &mut kept {
        d.clip(img.width() as f32, img.height() as f32);
    }
    kept.retain(|d| d.w > 1.0 && d.h > 1.0);
    Ok(kept)
}

/// Runs the network on `img` scaled by `scale`; detections in `img` pixels.
fn run_scaled(
    session: &mut Session,
    img: &RgbImage,
    scale: f32,
    threshold: f32,
) -> Result<Vec<Detection>, AnalysisError> {
    let (w, h) = img.dimensions();
    let (sw, sh) = (
        ((w as f32 * scale).round() as u32).max(1),
        ((h as f32 * scale).round() as u32).max(1),
    );
    let scaled;
    let input = if (sw, sh) == (w, h) {
        img
    } else {
        scaled = resize_exact(img, sw, sh).map_err(|p| AnalysisError::Image(p.0))?;
        &scaled
    };
    let mut found = run_network(session, input, threshold)?;
    let (kx, ky) = (w as f32 / sw as f32, h as f32 / sh as f32);
    for d in &mut found {
        d.scale_by(kx, ky);
    }
    Ok(found)
}

/// One inference on `img`, zero-padded right and bottom to multiples of 32. Detections in `img` pixels.
fn run_network(
    session: &mut Session,
    img: &RgbImage,
    threshold: f32,
) -> Result<Vec<Detection>, AnalysisError> {
    let (w, h) = img.dimensions();
    let (pw, ph) = (w.div_ceil(ALIGN) * ALIGN, h.div_ceil(ALIGN) * ALIGN);
    let plane = (pw * ph) as usize;
    let mut input = vec![0f32; 3 * plane];
    for (y, row) in img.as_raw().chunks_exact(3 * w as usize).enumerate() {
        let base = y * pw as usize;
        for (x, px) in row.chunks_exact(3).enumerate() {
            // BGR, 0..255.
            input[base + x] = px[2] as f32;
            input[plane + base + x] = px[1] as f32;
            input[2 * plane + base + x] = px[0] as f32;
        }
    }
    let tensor =
        Tensor::from_array(([1usize, 3, ph as usize, pw as usize], input)).map_err(inference)?;
    let outputs = session
        .run(ort::inputs!["input" => tensor])
        .map_err(inference)?;
    let mut found = Vec::new();
    for stride in STRIDES {
        let get = |name: &str| -> Result<&[f32], AnalysisError> {
            let key = format!("{name}_{stride}");
            let value = outputs
                .get(key.as_str())
                .ok_or_else(|| AnalysisError::Inference(format!("YuNet output {key} missing")))?;
            value
                .try_extract_tensor::<f32>()
                .map(|(_, data)| data)
                .map_err(inference)
        };
        let (cls, obj, bbox, kps) = (get("cls")?, get("obj")?, get("bbox")?, get("kps")?);
        let cols = (pw / stride) as usize;
        let positions = cols * (ph / stride) as usize;
        if cls.len() != positions || bbox.len() != 4 * positions || kps.len() != 10 * positions {
            return Err(AnalysisError::Inference(format!(
                "YuNet output size for stride {stride} does not match a {pw}×{ph} input \
                 (is the installed model the dynamic-input one? run `argus models fetch`)"
            )));
        }
        let s = stride as f32;
        for i in 0..positions {
            let score = (cls[i].clamp(0.0, 1.0) * obj[i].clamp(0.0, 1.0)).sqrt();
            if score < threshold {
                continue;
            }
            let (r, c) = ((i / cols) as f32, (i % cols) as f32);
            let b = &bbox[i * 4..i * 4 + 4];
            let (cx, cy) = ((c + b[0]) * s, (r + b[1]) * s);
            let (bw, bh) = (b[2].exp() * s, b[3].exp() * s);
            let k = &kps[i * 10..i * 10 + 10];
            let mut landmarks = [[0f32; 2]; 5];
            for (j, p) in landmarks.iter_mut().enumerate() {
                *p = [(c + k[2 * j]) * s, (r + k[2 * j + 1]) * s];
            }
            found.push(Detection {
                x: cx - bw / 2.0,
                y: cy - bh / 2.0,
                w: bw,
                h: bh,
                score,
                landmarks,
            });
        }
    }
    // Detections centred in the padding are not faces of the photo.
    found.retain(|d| d.x + d.w / 2.0 < w as f32 && d.y + d.h / 2.0 < h as f32);
    Ok(found)
}

impl Detection {
    fn scale_by(&mut self, kx: f32, ky: f32) {
        self.x *= kx;
        self.y *= ky;
        self.w *= kx;
        self.h *= ky;
        for p in &mut self.landmarks {
            p[0] *= kx;
            p[1] *= ky;
        }
    }

    fn clip(&mut self, w: f32, h: f32) {
        let (x0, y0) = (self.x.max(0.0), self.y.max(0.0));
        let (x1, y1) = ((self.x + self.w).min(w), (self.y + self.h).min(h));
        self.x = x0;
        self.y = y0;
        self.w = (x1 - x0).max(0.0);
        self.h = (y1 - y0).max(0.0);
    }

    fn area(&self) -> f32 {
        self.w * self.h
    }
}

fn iou(a: &Detection, b: &Detection) -> f32 {
    let x0 = a.x.max(b.x);
    let y0 = a.y.max(b.y);
    let x1 = (a.x + a.w).min(b.x + b.w);
    let y1 = (a.y + a.h).min(b.y + b.h);
    let inter = (x1 - x0).max(0.0) * (y1 - y0).max(0.0);
    let union = a.area() + b.area() - inter;
    if union <= 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// Keeps the best-scoring detection of each overlapping group.
fn non_max_suppression(mut found: Vec<Detection>, max_iou: f32) -> Vec<Detection> {
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::new();
    for d in found {
        if kept.iter().all(|k| iou(k, &d) <= max_iou) {
            kept.push(d);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nms_keeps_the_best_of_overlapping_boxes() {
        let d = |x: f32, score: f32| Detection {
            x,
            y: 0.0,
            w: 10.0,
            h: 10.0,
            score,
            landmarks: [[0.0; 2]; 5],
        };
        let kept = non_max_suppression(vec![d(0.0, 0.7), d(1.0, 0.9), d(50.0, 0.8)], 0.3);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].score, 0.9);
        assert_eq!(kept[1].x, 50.0);
    }
}
