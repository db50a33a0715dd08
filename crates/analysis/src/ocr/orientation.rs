//! Text direction with the PP-OCR mobile v2.0 classifier: each strip is labelled upright (`0`) or upside
//! down (`180`), and strips confidently upside down are turned half a turn before recognition.
//!
//! Ported from rapidocr 1.4.4 `ch_ppocr_cls` with its `config.yaml` (`Cls:` section): input 3×48×192,
//! batches of 6 strips sorted by aspect ratio, flip when the `180` score is above 0.9.

use image::{imageops, RgbImage};

use super::{run_model, write_normalized_chw, Model};
use crate::AnalysisError;
use argus_media::imaging::resize_exact;

/// `cls_image_shape`: strips are resized to this height, at most this width, and padded to it.
const HEIGHT: u32 = 48;
const WIDTH: u32 = 192;
/// `cls_batch_num`.
const BATCH: usize = 6;
/// `cls_thresh`: the `180` label must score above this to flip the strip.
const FLIP_THRESH: f32 = 0.9;
/// Index of the `180` label in `label_list: ['0', '180']`.
const LABEL_180: usize = 1;

/// Turns upside-down strips upright, in place.
pub fn fix_orientation(model: &mut Model, strips: &mut [RgbImage]) -> Result<(), AnalysisError> {
    for batch in super::batches_by_aspect(strips, BATCH) {
        let input = batch_tensor(strips, &batch)?;
        let (shape, probs) = run_model(
            model,
            [batch.len(), 3, HEIGHT as usize, WIDTH as usize],
            input,
        )?;
        let classes = shape.last().copied().unwrap_or(0);
        if classes <= LABEL_180 || probs.len() < batch.len() * classes {
            return Err(AnalysisError::Inference(format!(
                "text direction model gave shape {shape:?}"
            )));
        }
        for (row, &index) in probs.chunks(classes).zip(&batch) {
            if is_upside_down(row) {
                strips[index] = imageops::rotate180(&strips[index]);
            }
        }
    }
    Ok(())
}

/// Whether the classifier's scores say "upside down" confidently: `180` is the top label and scores
/// above [`FLIP_THRESH`].
fn is_upside_down(scores: &[f32]) -> bool {
    let best = scores
        .iter()
        .enumerate()
        .fold(0, |best, (i, &s)| if s > scores[best] { i } else { best });
    best == LABEL_180 && scores[best] > FLIP_THRESH
}

/// The batch's strips, each resized to height 48 keeping its aspect (width at most 192), normalised and
/// zero-padded on the right to 192.
fn batch_tensor(strips: &[RgbImage], batch: &[usize]) -> Result<Vec<f32>, AnalysisError> {
    let plane = (HEIGHT * WIDTH) as usize;
    let mut input = vec![0.0f32; batch.len() * 3 * plane];
    for (slot, &index) in input.chunks_mut(3 * plane).zip(batch) {
        let strip = &strips[index];
        let aspect = strip.width() as f64 / strip.height() as f64;
        let width = ((HEIGHT as f64 * aspect).ceil() as u32).clamp(1, WIDTH);
        let resized = resize_exact(strip, width, HEIGHT).map_err(|p| AnalysisError::Image(p.0))?;
        write_normalized_chw(&resized, WIDTH as usize, slot);
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flips_only_when_confident() {
        assert!(is_upside_down(&[0.05, 0.95]));
        assert!(!is_upside_down(&[0.15, 0.85]));
        assert!(!is_upside_down(&[0.95, 0.05]));
    }
}
