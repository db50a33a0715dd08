//! EfficientNet-Lite0 (ImageNet-1k, Apache-2.0) on 224×224 RGB crops, `(x − 127) / 128`: class
//! probabilities for scene/object labels (see [`super::vocabulary`]) and the pooled 1280-d head
//! features that the appearance probes read from a head crop.

use image::RgbImage;
use ort::session::Session;

use super::tensor::{self, InputSpec, Layout};
use super::AnalysisError;
use argus_media::imaging::resize_exact;

/// The network's input side.
pub const SIDE: u32 = 224;
/// The short side a photo is scaled to before its centre crop (224 / 0.875).
const RESIZE_SHORT: u32 = 256;
const INPUT: InputSpec = InputSpec {
    layout: Layout::Nchw,
    bgr: false,
    mean: [127.0; 3],
    scale: [1.0 / 128.0; 3],
};
/// Most crops in one run.
const BATCH: usize = 16;

/// What the network says about one crop.
#[derive(Debug, Clone)]
pub struct SceneOutput {
    /// Softmax over the 1,000 ImageNet classes, in index order.
    pub probs: Vec<f32>,
    /// The pooled head activations (the classifier's input).
    pub features: Vec<f32>,
}

/// The ImageNet evaluation view of a photo: short side scaled to 256, centre 224×224.
pub fn photo_view(img: &RgbImage) -> Result<RgbImage, AnalysisError> {
    let (w, h) = img.dimensions();
    if w == 0 || h == 0 {
        return Err(AnalysisError::Image("empty image".into()));
    }
    let k = RESIZE_SHORT as f64 / w.min(h) as f64;
    let tw = ((w as f64 * k).round() as u32).max(SIDE);
    let th = ((h as f64 * k).round() as u32).max(SIDE);
    let resized = resize_exact(img, tw, th).map_err(|p| AnalysisError::Image(p.0))?;
    let (x, y) = ((tw - SIDE) / 2, (th - SIDE) / 2);
    Ok(image::imageops::crop_imm(&resized, x, y, SIDE, SIDE).to_image())
}

/// Runs 224×224 crops through the network, in batches.
pub fn run(session: &mut Session, crops: &[RgbImage]) -> Result<Vec<SceneOutput>, AnalysisError> {
    let mut out = Vec::with_capacity(crops.len());
    for chunk in crops.chunks(BATCH) {
        let outputs = tensor::run(session, INPUT.tensor(chunk)?)?;
        let by_width = |width| tensor::output_by_width(&outputs, width, "efficientnet-lite0");
        let (logits, features) = (by_width(1000)?, by_width(1280)?);
        out.extend((0..chunk.len()).map(|i| SceneOutput {
            probs: tensor::softmax(&logits[i * 1000..(i + 1) * 1000]),
            features: features[i * 1280..(i + 1) * 1280].to_vec(),
        }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_view_is_the_centre_of_the_short_side() {
        let img = RgbImage::from_fn(512, 256, |x, _| image::Rgb([(x / 2) as u8, 0, 0]));
        let view = photo_view(&img).unwrap();
        assert_eq!(view.dimensions(), (SIDE, SIDE));
        // 512×256 stays 512×256; the crop starts at x = 144, i.e. source column 144 → value 72.
        assert!((view.get_pixel(0, 0)[0] as i32 - 72).abs() <= 1);
        let tiny = RgbImage::new(10, 3);
        assert_eq!(photo_view(&tiny).unwrap().dimensions(), (SIDE, SIDE));
    }
}
