//! Object detection with NanoDet-m 416 (COCO-80, Apache-2.0): classes with boxes on the upright
//! photo. The whole photo is resized to 416×416 (the network's fixed input; plain resize, which found
//! more people on the sample photos than a letterboxed one), BGR with the ImageNet mean and scale. Each
//! of the three strides gives per-position class scores (already sigmoid) and, per box side, a
//! distribution over 11 distance bins (GFL): the expected bin × stride is that side's distance from the
//! cell centre. Boxes of the same class are merged by non-maximum suppression.
//!
//! Small things people carry (bags, phones, ties) are a few pixels at 416: a second pass looks at
//! each of the largest bodies on its own, in a square window around it (so the window is magnified
//! without distortion), and adds the carried things it finds there (`argus_core::persons::
//! CARRIED_CLASSES`), merged with the first pass by the same suppression. Bodies that already fill
//! most of the photo are skipped (their window would not be magnified).

use image::RgbImage;
use ort::session::Session;

use super::tensor::{self, InputSpec, Layout};
use super::AnalysisError;
use argus_core::math::softmax;
use argus_core::objects::{COCO_CLASSES, OBJECT_MIN_SCORE, PERSON};
use argus_core::persons::is_carried_class;
use argus_core::results::PhotoObject;
use argus_media::imaging::resize_exact;

/// The network's input side.
pub const SIDE: u32 = 416;
const STRIDES: [u32; 3] = [8, 16, 32];
/// Distance bins per box side.
const BINS: usize = 11;
const INPUT: InputSpec = InputSpec {
    layout: Layout::Nchw,
    bgr: true,
    mean: [103.53, 116.28, 123.675],
    scale: [1.0 / 57.375, 1.0 / 57.12, 1.0 / 58.395],
};

/// Detection settings.
#[derive(Debug, Clone, Copy)]
pub struct ObjectOptions {
    /// Lowest score kept (below what is shown and searched, so a later threshold needs no new run).
    pub min_score: f32,
    /// Boxes of one class overlapping more than this are one object.
    pub nms_iou: f32,
    /// Most objects kept per photo, the best first.
    pub max_objects: usize,
    /// Bodies (the largest, scoring at least [`OBJECT_MIN_SCORE`]) looked at again on their own;
    /// 0 turns the second pass off.
    pub body_passes: usize,
}

impl Default for ObjectOptions {
    fn default() -> Self {
        ObjectOptions {
            min_score: 0.3,
            nms_iou: 0.5,
            max_objects: 100,
            body_passes: 4,
        }
    }
}

/// Finds the objects in `img` (upright, working resolution); boxes normalised to it, best first.
pub fn detect_objects(
    session: &mut Session,
    img: &RgbImage,
    options: &ObjectOptions,
) -> Result<Vec<PhotoObject>, AnalysisError> {
    if img.width() == 0 || img.height() == 0 {
        return Err(AnalysisError::Image("empty image".into()));
    }
    let mut found = non_max_suppression(detect_once(session, img, options)?, options.nms_iou);
    let mut bodies: Vec<&PhotoObject> = found
        .iter()
        .filter(|o| o.class == PERSON && o.score >= OBJECT_MIN_SCORE)
        .collect();
    bodies.sort_by(|a, b| (b.w * b.h).total_cmp(&(a.w * a.h)));
    let windows: Vec<Window> = bodies
        .iter()
        .take(options.body_passes)
        .filter_map(|body| body_window(body, img.width(), img.height()))
        .collect();
    for window in windows {
        let crop =
            image::imageops::crop_imm(img, window.x, window.y, window.side, window.side).to_image();
        let (w, h) = (img.width() as f32, img.height() as f32);
        for o in detect_once(session, &crop, options)? {
            if !is_carried_class(&o.class) {
                continue;
            }
            let scale = window.side as f32;
            found.push(PhotoObject {
                x: (window.x as f32 + o.x * scale) / w,
                y: (window.y as f32 + o.y * scale) / h,
                w: o.w * scale / w,
                h: o.h * scale / h,
                ..o
            });
        }
    }
    let mut kept = non_max_suppression(found, options.nms_iou);
    kept.truncate(options.max_objects);
    Ok(kept)
}

/// A square window on the photo, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Window {
    x: u32,
    y: u32,
    side: u32,
}

/// The square window around a body (its box widened by a fifth on each side, so a bag hanging
/// beside it is inside), clipped to the photo; None when it would not magnify the body (the window
/// is most of the photo's short side).
fn body_window(body: &PhotoObject, width: u32, height: u32) -> Option<Window> {
    let (w, h) = (width as f32, height as f32);
    let (bw, bh) = (body.w * w, body.h * h);
    let side = (bw.max(bh) * 1.4).min(w.min(h));
    if side > 0.75 * w.min(h) || side < 32.0 {
        return None;
    }
    let (cx, cy) = ((body.x + body.w / 2.0) * w, (body.y + body.h / 2.0) * h);
    let x = (cx - side / 2.0).clamp(0.0, w - side);
    let y = (cy - side / 2.0).clamp(0.0, h - side);
    Some(Window {
        x: x as u32,
        y: y as u32,
        side: side as u32,
    })
}

/// One pass of the network over `img` (plain resize to the input side); boxes normalised to `img`,
/// not yet merged.
fn detect_once(
    session: &mut Session,
    img: &RgbImage,
    options: &ObjectOptions,
) -> Result<Vec<PhotoObject>, AnalysisError> {
    let input = resize_exact(img, SIDE, SIDE).map_err(|p| AnalysisError::Image(p.0))?;
    let outputs = tensor::run(session, INPUT.tensor(&[input])?)?;
    let mut found = Vec::new();
    for stride in STRIDES {
        let cols = (SIDE / stride) as usize;
        let positions = cols * cols;
        let scores = level_output(&outputs, positions, COCO_CLASSES.len())?;
        let boxes = level_output(&outputs, positions, 4 * BINS)?;
        decode_level(
            scores,
            boxes,
            cols,
            stride as f32,
            options.min_score,
            &mut found,
        );
    }
    Ok(found)
}

/// The output of one stride: `[1, positions, width]`.
fn level_output(
    outputs: &[tensor::Output],
    positions: usize,
    width: usize,
) -> Result<&[f32], AnalysisError> {
    outputs
        .iter()
        .find(|o| {
            o.shape.len() == 3 && o.shape[1] == positions as i64 && o.shape[2] == width as i64
        })
        .map(|o| o.data.as_slice())
        .ok_or_else(|| {
            AnalysisError::Inference(format!("nanodet has no output [1,{positions},{width}]"))
        })
}

/// The objects one stride finds: every class at or above `min_score` at each position, its box from
/// the expected distances, normalised to the input.
fn decode_level(
    scores: &[f32],
    boxes: &[f32],
    cols: usize,
    stride: f32,
    min_score: f32,
    out: &mut Vec<PhotoObject>,
) {
    let classes = COCO_CLASSES.len();
    for (i, row) in scores.chunks_exact(classes).enumerate() {
        let mut sides: Option<[f32; 4]> = None;
        for (class, &score) in row.iter().enumerate() {
            if score < min_score {
                continue;
            }
            let [left, top, right, bottom] = *sides.get_or_insert_with(|| {
                let dist = &boxes[i * 4 * BINS..(i + 1) * 4 * BINS];
                std::array::from_fn(|side| {
                    expected_bin(&dist[side * BINS..(side + 1) * BINS]) * stride
                })
            });
            let cx = ((i % cols) as f32 + 0.5) * stride;
            let cy = ((i / cols) as f32 + 0.5) * stride;
            let side = SIDE as f32;
            let x0 = ((cx - left) / side).clamp(0.0, 1.0);
            let y0 = ((cy - top) / side).clamp(0.0, 1.0);
            let x1 = ((cx + right) / side).clamp(0.0, 1.0);
            let y1 = ((cy + bottom) / side).clamp(0.0, 1.0);
            if x1 <= x0 || y1 <= y0 {
                continue;
            }
            out.push(PhotoObject {
                class: COCO_CLASSES[class].to_string(),
                score,
                x: x0,
                y: y0,
                w: x1 - x0,
                h: y1 - y0,
                wearing: Vec::new(),
            });
        }
    }
}

/// The expectation of a distance distribution over bins 0..BINS.
fn expected_bin(logits: &[f32]) -> f32 {
    softmax(logits)
        .iter()
        .enumerate()
        .map(|(bin, p)| bin as f32 * p)
        .sum()
}

/// Keeps the best box of each group of same-class boxes overlapping more than `max_iou`.
fn non_max_suppression(mut found: Vec<PhotoObject>, max_iou: f32) -> Vec<PhotoObject> {
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<PhotoObject> = Vec::new();
    for o in found {
        if kept
            .iter()
            .all(|k| k.class != o.class || k.area().iou(&o.area()) <= f64::from(max_iou))
        {
            kept.push(o);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(class: &str, x: f32, score: f32) -> PhotoObject {
        PhotoObject {
            class: class.into(),
            score,
            x,
            y: 0.1,
            w: 0.2,
            h: 0.2,
            wearing: Vec::new(),
        }
    }

    #[test]
    fn nms_merges_one_class_and_keeps_others() {
        let kept = non_max_suppression(
            vec![
                object("dog", 0.10, 0.5),
                object("dog", 0.11, 0.8),
                object("cat", 0.10, 0.6),
                object("dog", 0.6, 0.4),
            ],
            0.5,
        );
        let summary: Vec<(&str, f32)> = kept.iter().map(|o| (o.class.as_str(), o.score)).collect();
        assert_eq!(summary, [("dog", 0.8), ("cat", 0.6), ("dog", 0.4)]);
    }

    #[test]
    fn a_level_decodes_to_boxes_around_the_cell() {
        // One position (row 1, col 2 of a 4-wide level, stride 8) with a dog; every side's
        // distribution is certain of bin 2 (16 px at stride 8).
        let cols = 4;
        let mut scores = vec![0.0; cols * cols * 80];
        let i = cols + 2;
        scores[i * 80 + 16] = 0.9;
        let mut boxes = vec![-50.0; cols * cols * 44];
        for side in 0..4 {
            boxes[i * 44 + side * 11 + 2] = 50.0;
        }
        let mut out = Vec::new();
        decode_level(&scores, &boxes, cols, 8.0, 0.3, &mut out);
        assert_eq!(out.len(), 1);
        let o = &out[0];
        assert_eq!(o.class, "dog");
        // Centre (20, 12) in input pixels, 16 px each way.
        let px = |v: f32| v * SIDE as f32;
        assert!((px(o.x) - 4.0).abs() < 1e-3, "{o:?}");
        assert!((px(o.y) - 0.0).abs() < 1e-3, "clamped at the top: {o:?}");
        assert!((px(o.w) - 32.0).abs() < 1e-3);
        assert!((px(o.h) - 28.0).abs() < 1e-3);
    }

    #[test]
    fn expectation_of_a_certain_bin_is_the_bin() {
        let mut logits = [-40.0; BINS];
        logits[7] = 40.0;
        assert!((expected_bin(&logits) - 7.0).abs() < 1e-4);
    }
}
