//! Emotion per face (face-api.js FaceExpressionNet, from `@vladmandic/face-api`): the face box as a
//! 112×112 RGB square, `(x − mean) / 255`, run as is and mirrored, the two outputs averaged (an
//! expression is symmetric; the mirror halves the network's noise). Seven probabilities, stored as
//! `emotion.<name>` in [`EMOTIONS`] order (they are also a descriptor of the appearance probes,
//! whose `smile` reads them with the faceres descriptor).

use image::RgbImage;
use ort::session::Session;

use super::align::square_crop;
use super::tensor::{self, InputSpec, Layout};
use super::{AnalysisError, Score};
use argus_core::geometry::FaceGeometry;

const SIDE: u32 = 112;
const MARGIN: f32 = 1.0;
const INPUT: InputSpec = InputSpec {
    layout: Layout::Nchw,
    bgr: false,
    mean: [122.782, 117.001, 104.298],
    scale: [1.0 / 255.0; 3],
};
pub use argus_core::vocabulary::EMOTIONS;
/// Where each of [`EMOTIONS`] is in the network's output (neutral, happy, sad, angry, fearful,
/// disgusted, surprised).
const OUTPUT_INDEX: [usize; 7] = [3, 5, 4, 1, 2, 6, 0];

/// `emotion.<class>` probabilities for each face.
pub fn classify(
    session: &mut Session,
    img: &RgbImage,
    faces: &[FaceGeometry],
) -> Result<Vec<Vec<Score>>, AnalysisError> {
    // Each face's crop, then its mirror image.
    let views: Vec<RgbImage> = faces
        .iter()
        .flat_map(|f| {
            let crop = square_crop(img, f.bbox, MARGIN, SIDE);
            let mirrored = image::imageops::flip_horizontal(&crop);
            [crop, mirrored]
        })
        .collect();
    let probs = tensor::run_first(session, INPUT.tensor(&views)?)?.data;
    if probs.len() != views.len() * EMOTIONS.len() {
        return Err(AnalysisError::Inference(format!(
            "emotion output has {} values for {} faces",
            probs.len(),
            faces.len()
        )));
    }
    Ok(probs
        .chunks(2 * EMOTIONS.len())
        .map(|pair| {
            let (face, mirrored) = pair.split_at(EMOTIONS.len());
            EMOTIONS
                .iter()
                .zip(OUTPUT_INDEX)
                .map(|(name, i)| {
                    let v = ((face[i] + mirrored[i]) / 2.0).clamp(0.0, 1.0);
                    Score {
                        name: format!("emotion.{name}"),
                        value: v,
                        confidence: v,
                    }
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_output_is_named_once() {
        let mut seen = OUTPUT_INDEX;
        seen.sort_unstable();
        assert_eq!(seen, [0, 1, 2, 3, 4, 5, 6]);
        // happy is the network's second output, neutral its first.
        assert_eq!(
            OUTPUT_INDEX[EMOTIONS.iter().position(|&e| e == "happy").unwrap()],
            1
        );
        assert_eq!(
            OUTPUT_INDEX[EMOTIONS.iter().position(|&e| e == "neutral").unwrap()],
            0
        );
    }
}
