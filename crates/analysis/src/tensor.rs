//! Turning RGB images into model input tensors: channel order, layout (NCHW / NHWC) and per-channel
//! normalisation `(x − mean) · scale`, batched. Every model's contract is one [`InputSpec`].

use image::RgbImage;
use ort::session::Session;
use ort::value::Tensor;

use super::AnalysisError;

/// Memory layout of an image batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `[N, C, H, W]`
    Nchw,
    /// `[N, H, W, C]`
    Nhwc,
}

/// How a model wants its pixels.
#[derive(Debug, Clone, Copy)]
pub struct InputSpec {
    pub layout: Layout,
    /// Channels in BGR order instead of RGB.
    pub bgr: bool,
    /// Subtracted per channel (in the model's channel order), on the 0..255 scale.
    pub mean: [f32; 3],
    /// Multiplied after the subtraction.
    pub scale: [f32; 3],
}

impl InputSpec {
    /// Appends one image to a batch buffer.
    pub fn push(&self, batch: &mut Vec<f32>, img: &RgbImage) {
        let order: [usize; 3] = if self.bgr { [2, 1, 0] } else { [0, 1, 2] };
        let raw = img.as_raw();
        match self.layout {
            Layout::Nchw => {
                for (c, &src) in order.iter().enumerate() {
                    let (m, s) = (self.mean[c], self.scale[c]);
                    batch.extend(raw.chunks_exact(3).map(|p| (p[src] as f32 - m) * s));
                }
            }
            Layout::Nhwc => {
                batch.reserve(raw.len());
                for p in raw.chunks_exact(3) {
                    for (c, &src) in order.iter().enumerate() {
                        batch.push((p[src] as f32 - self.mean[c]) * self.scale[c]);
                    }
                }
            }
        }
    }

    /// A batch tensor of same-sized images.
    pub fn tensor(&self, images: &[RgbImage]) -> Result<Tensor<f32>, AnalysisError> {
        let (w, h) = images
            .first()
            .map(|i| i.dimensions())
            .ok_or_else(|| AnalysisError::Inference("empty batch".into()))?;
        let mut data = Vec::with_capacity(images.len() * (w * h * 3) as usize);
        for img in images {
            debug_assert_eq!(img.dimensions(), (w, h));
            self.push(&mut data, img);
        }
        let (n, w, h) = (images.len(), w as usize, h as usize);
        let shape = match self.layout {
            Layout::Nchw => [n, 3, h, w],
            Layout::Nhwc => [n, h, w, 3],
        };
        Tensor::from_array((shape, data)).map_err(inference)
    }
}

/// One output tensor of a run.
#[derive(Debug, Clone)]
pub struct Output {
    pub shape: Vec<i64>,
    pub data: Vec<f32>,
}

/// Runs a single-input session and returns every output, in the model's order.
pub fn run(session: &mut Session, input: Tensor<f32>) -> Result<Vec<Output>, AnalysisError> {
    let input_name = session.inputs()[0].name().to_string();
    let result = session
        .run(ort::inputs![input_name.as_str() => input])
        .map_err(inference)?;
    result
        .iter()
        .map(|(_, value)| {
            let (shape, data) = value.try_extract_tensor::<f32>().map_err(inference)?;
            Ok(Output {
                shape: shape.to_vec(),
                data: data.to_vec(),
            })
        })
        .collect()
}

/// The data of the output whose last dimension is `width` (models whose outputs are told apart by
/// width, not name).
pub fn output_by_width<'a>(
    outputs: &'a [Output],
    width: i64,
    model: &str,
) -> Result<&'a [f32], AnalysisError> {
    outputs
        .iter()
        .find(|o| o.shape.last() == Some(&width))
        .map(|o| o.data.as_slice())
        .ok_or_else(|| AnalysisError::Inference(format!("{model} has no output of width {width}")))
}

/// The first output of a run.
pub fn run_first(session: &mut Session, input: Tensor<f32>) -> Result<Output, AnalysisError> {
    run(session, input)?
        .into_iter()
        .next()
        .ok_or_else(|| AnalysisError::Inference("the model has no output".into()))
}

pub(crate) fn inference(e: impl std::fmt::Display) -> AnalysisError {
    AnalysisError::Inference(e.to_string())
}

pub use argus_core::math::softmax;

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn packs_bgr_nchw_and_rgb_nhwc() {
        let img = RgbImage::from_fn(2, 1, |x, _| Rgb([10 + x as u8, 20, 30]));
        let bgr = InputSpec {
            layout: Layout::Nchw,
            bgr: true,
            mean: [0.0; 3],
            scale: [1.0; 3],
        };
        let mut out = Vec::new();
        bgr.push(&mut out, &img);
        assert_eq!(out, vec![30.0, 30.0, 20.0, 20.0, 10.0, 11.0]);
        let rgb = InputSpec {
            layout: Layout::Nhwc,
            bgr: false,
            mean: [127.5; 3],
            scale: [1.0 / 128.0; 3],
        };
        let mut out = Vec::new();
        rgb.push(&mut out, &img);
        assert_eq!(out.len(), 6);
        assert!((out[0] - (10.0 - 127.5) / 128.0).abs() < 1e-6);
        assert!((out[3] - (11.0 - 127.5) / 128.0).abs() < 1e-6);
    }

    #[test]
    fn softmax_sums_to_one() {
        let p = softmax(&[1.0, 2.0, 3.0, 1000.0]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(p[3] > 0.99);
    }
}
