//! Face embeddings with MobileFaceNet: aligned 112×112 RGB faces, (x − 127.5) / 128, in batches; 192
//! floats per face, L2-normalised so that cosine similarity is a dot product.

use image::RgbImage;
use ort::session::Session;
use ort::value::Tensor;

use super::AnalysisError;

/// Embeds aligned faces (all 112×112), one batch per call.
pub fn embed_faces(
    session: &mut Session,
    faces: &[RgbImage],
) -> Result<Vec<Vec<f32>>, AnalysisError> {
    if faces.is_empty() {
        return Ok(Vec::new());
    }
    let input_name = session.inputs()[0].name().to_string();
    let channels_first = session.inputs()[0]
        .dtype()
        .tensor_shape()
        .is_some_and(|shape| shape.len() == 4 && shape[1] == 3);
    let side = super::align::ALIGNED as usize;
    let mut data = Vec::with_capacity(faces.len() * side * side * 3);
    for face in faces {
        if channels_first {
            for c in 0..3 {
                data.extend(face.pixels().map(|p| (p[c] as f32 - 127.5) / 128.0));
            }
        } else {
            data.extend(face.as_raw().iter().map(|&v| (v as f32 - 127.5) / 128.0));
        }
    }
    let shape = if channels_first {
        [faces.len(), 3, side, side]
    } else {
        [faces.len(), side, side, 3]
    };
    let tensor =
        Tensor::from_array((shape, data)).map_err(|e| AnalysisError::Inference(e.to_string()))?;
    let outputs = session
        .run(ort::inputs![input_name.as_str() => tensor])
        .map_err(|e| AnalysisError::Inference(e.to_string()))?;
    let (_, values) = outputs[0]
        .try_extract_tensor::<f32>()
        .map_err(|e| AnalysisError::Inference(e.to_string()))?;
    let dim = values.len() / faces.len();
    Ok(values.chunks(dim).map(l2_normalized).collect())
}

/// The vector scaled to unit length.
pub fn l2_normalized(v: &[f32]) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter().map(|x| x / norm).collect()
}

/// Cosine similarity of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
