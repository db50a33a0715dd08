//! Text recognition with the PP-OCRv4 CRNN model and greedy CTC decoding.
//!
//! Ported from rapidocr 1.4.4 `ch_ppocr_rec` with its `config.yaml` (`Rec:` section): strips sorted by
//! aspect ratio in batches of 6, each batch as wide as its widest strip at height 48 (never narrower than
//! 320), strips resized to height 48 keeping their aspect and zero-padded on the right; the output is
//! decoded by taking the best class per time step, merging repeats and dropping the blank (index 0).

use super::{run_model, write_normalized_chw, Model};
use crate::AnalysisError;
use argus_media::imaging::resize_exact;

/// `rec_img_shape` height and minimum width.
const HEIGHT: u32 = 48;
const MIN_WIDTH: u32 = 320;
/// `rec_batch_num`.
const BATCH: usize = 6;

/// The recogniser's alphabet: index 0 is the CTC blank, then the model's `character` metadata one per
/// line, then a space (rapidocr's `CTCLabelDecode`).
#[derive(Debug, Clone)]
pub struct Charset(Vec<String>);

impl Charset {
    /// From the model's `character` metadata value.
    pub fn from_metadata(characters: &str) -> Charset {
        let mut chars = vec![String::new()];
        chars.extend(characters.lines().map(str::to_owned));
        chars.push(" ".into());
        Charset(chars)
    }

    /// Number of classes including the blank.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is nothing but the blank (never, for a real model).
    pub fn is_empty(&self) -> bool {
        self.0.len() <= 1
    }
}

/// Text and mean character confidence of each strip, in the strips' order.
pub fn recognize(
    model: &mut Model,
    charset: &Charset,
    strips: &[image::RgbImage],
) -> Result<Vec<(String, f32)>, AnalysisError> {
    let mut out = vec![(String::new(), 0.0); strips.len()];
    for batch in super::batches_by_aspect(strips, BATCH) {
        let width = batch_width(strips, &batch);
        let input = batch_tensor(strips, &batch, width)?;
        let (shape, probs) = run_model(
            model,
            [batch.len(), 3, HEIGHT as usize, width as usize],
            input,
        )?;
        let [_, steps, classes] = shape[..] else {
            return Err(AnalysisError::Inference(format!(
                "text model gave shape {shape:?}"
            )));
        };
        if classes != charset.len() || probs.len() < batch.len() * steps * classes {
            return Err(AnalysisError::Inference(format!(
                "text model gave {classes} classes for an alphabet of {}",
                charset.len()
            )));
        }
        for (rows, &index) in probs.chunks(steps * classes).zip(&batch) {
            out[index] = ctc_greedy(rows, classes, charset);
        }
    }
    Ok(out)
}

/// Width of a batch: 48 × the largest width/height ratio among its strips, at least 320.
fn batch_width(strips: &[image::RgbImage], batch: &[usize]) -> u32 {
    let max_ratio = batch
        .iter()
        .map(|&i| aspect(&strips[i]))
        .fold(MIN_WIDTH as f64 / HEIGHT as f64, f64::max);
    (HEIGHT as f64 * max_ratio) as u32
}

fn aspect(img: &image::RgbImage) -> f64 {
    img.width() as f64 / img.height() as f64
}

/// The batch's strips resized to height 48 (width `ceil(48 × aspect)`, at most `width`), normalised and
/// zero-padded on the right to `width`.
fn batch_tensor(
    strips: &[image::RgbImage],
    batch: &[usize],
    width: u32,
) -> Result<Vec<f32>, AnalysisError> {
    let plane = (HEIGHT * width) as usize;
    let mut input = vec![0.0f32; batch.len() * 3 * plane];
    for (slot, &index) in input.chunks_mut(3 * plane).zip(batch) {
        let strip = &strips[index];
        let resized_width = ((HEIGHT as f64 * aspect(strip)).ceil() as u32).clamp(1, width);
        let resized =
            resize_exact(strip, resized_width, HEIGHT).map_err(|p| AnalysisError::Image(p.0))?;
        write_normalized_chw(&resized, width as usize, slot);
    }
    Ok(input)
}

/// Greedy CTC decoding of one strip's `steps × classes` probabilities: the best class per step, repeats
/// merged, blanks dropped; the score is the mean probability of the kept steps (0 when none are kept).
pub fn ctc_greedy(probs: &[f32], classes: usize, charset: &Charset) -> (String, f32) {
    let mut text = String::new();
    let (mut sum, mut kept) = (0.0f64, 0usize);
    let mut previous = None;
    for row in probs.chunks_exact(classes) {
        let (best, p) = row
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, f32::MIN),
                |acc, (i, p)| if p > acc.1 { (i, p) } else { acc },
            );
        if best != 0 && previous != Some(best) {
            text.push_str(&charset.0[best]);
            sum += p as f64;
            kept += 1;
        }
        previous = Some(best);
    }
    let score = if kept == 0 {
        0.0
    } else {
        (sum / kept as f64) as f32
    };
    (text, score)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One-hot-ish rows: class `c` with probability `p`, the rest share what is left.
    fn rows(steps: &[(usize, f32)], classes: usize) -> Vec<f32> {
        steps
            .iter()
            .flat_map(|&(c, p)| {
                (0..classes).map(move |i| {
                    if i == c {
                        p
                    } else {
                        (1.0 - p) / (classes - 1) as f32
                    }
                })
            })
            .collect()
    }

    #[test]
    fn charset_has_blank_first_and_space_last() {
        let cs = Charset::from_metadata("a\nb\nc\n");
        assert_eq!(cs.0, vec!["", "a", "b", "c", " "]);
        assert_eq!(cs.len(), 5);
    }

    #[test]
    fn ctc_merges_repeats_and_drops_blanks() {
        let cs = Charset::from_metadata("a\nb\nc");
        // a a _ a b b _ _ c space  →  "aab c " ... repeats merged only when adjacent.
        let probs = rows(
            &[
                (1, 0.9),
                (1, 0.8),
                (0, 0.99),
                (1, 0.7),
                (2, 0.6),
                (2, 0.9),
                (0, 0.9),
                (0, 0.9),
                (3, 0.5),
                (4, 0.8),
            ],
            5,
        );
        let (text, score) = ctc_greedy(&probs, 5, &cs);
        assert_eq!(text, "aabc ");
        // Kept steps: first a (0.9), a after blank (0.7), first b (0.6), c (0.5), space (0.8).
        assert!(
            (score - (0.9 + 0.7 + 0.6 + 0.5 + 0.8) / 5.0).abs() < 1e-6,
            "{score}"
        );
    }

    #[test]
    fn ctc_all_blank_is_empty_with_zero_score() {
        let cs = Charset::from_metadata("a");
        let probs = rows(&[(0, 0.9), (0, 0.9)], 3);
        assert_eq!(ctc_greedy(&probs, 3, &cs), (String::new(), 0.0));
        assert_eq!(ctc_greedy(&[], 3, &cs), (String::new(), 0.0));
    }
}
