//! The descriptors the appearance probes read, computed by the analysis pipeline itself (detector,
//! aligner, networks) so that training sees exactly what analysis will: the MobileFaceNet identity
//! embedding, the faceres descriptor of the face crop, EfficientNet-Lite0 features of the head crop and
//! the emotion network's seven probabilities (read as log-probabilities, the scale on which a linear
//! probe can weigh them), the hair's colour statistics in the head crop and EfficientNet-Lite0
//! features of its hair view.

use image::RgbImage;
use rayon::prelude::*;

use crate::analysis::{AnalysisError, Analyzer, FaceGeometry};
use crate::progress::{CancelToken, JobObserver, JobStage};

use super::dataset::Example;

pub use argus_api::probes::{emotion_vector, Descriptor, FaceDescriptors, EMOTION_FLOOR};

/// The `wanted` descriptors of the given faces on one upright image (the others stay empty).
pub fn describe(
    analyzer: &mut Analyzer,
    img: &RgbImage,
    faces: &[FaceGeometry],
    wanted: &[Descriptor],
) -> Result<Vec<FaceDescriptors>, AnalysisError> {
    let mut out = vec![FaceDescriptors::default(); faces.len()];
    if faces.is_empty() {
        return Ok(out);
    }
    if wanted.contains(&Descriptor::Embedding) {
        for (o, e) in out.iter_mut().zip(analyzer.embed(img, faces)?) {
            o.embedding = e.vector;
        }
    }
    if wanted.contains(&Descriptor::Faceres) {
        let (scores, descriptors) = analyzer.faceres(img, faces)?;
        for ((o, d), s) in out.iter_mut().zip(descriptors).zip(scores) {
            o.faceres = d;
            o.male = s.iter().find(|s| s.name == "male").map(|s| s.value);
        }
    }
    analyzer.describe_heads(img, faces, wanted, &mut out)?;
    if wanted.contains(&Descriptor::Emotion) {
        for (o, s) in out.iter_mut().zip(analyzer.emotions(img, faces)?) {
            o.emotion = emotion_vector(&s);
        }
    }
    Ok(out)
}

/// The face a portrait data set is about: the largest detection, ties to the one nearest the centre.
pub fn main_face(img: &RgbImage, faces: &[FaceGeometry]) -> Option<FaceGeometry> {
    let (cx, cy) = (img.width() as f32 / 2.0, img.height() as f32 / 2.0);
    let rank = |f: &FaceGeometry| {
        let [x, y, w, h] = f.bbox;
        let off = ((x + w / 2.0 - cx).powi(2) + (y + h / 2.0 - cy).powi(2)).sqrt();
        w * h - off
    };
    faces
        .iter()
        .max_by(|a, b| rank(a).total_cmp(&rank(b)))
        .cloned()
}

/// Descriptors of each example's main face (`None` where no face was found or the file is
/// unreadable), in example order. Decoding runs in parallel with inference.
pub fn describe_examples(
    analyzer: &mut Analyzer,
    examples: &[Example],
    wanted: &[Descriptor],
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<Vec<Option<FaceDescriptors>>, AnalysisError> {
    observer.stage(JobStage::Analyze, Some(examples.len() as u64));
    let mut out = Vec::with_capacity(examples.len());
    for chunk in examples.chunks(32) {
        if cancel.is_cancelled() {
            return Err(AnalysisError::Inference("cancelled".into()));
        }
        let images: Vec<Option<RgbImage>> = chunk
            .par_iter()
            .map(|e| image::open(&e.path).ok().map(|i| i.to_rgb8()))
            .collect();
        for (example, img) in chunk.iter().zip(images) {
            let described = match img {
                Some(img) => describe_main_face(analyzer, &img, wanted)?,
                None => None,
            };
            out.push(described);
            observer.advance(&example.path);
        }
    }
    Ok(out)
}

fn describe_main_face(
    analyzer: &mut Analyzer,
    img: &RgbImage,
    wanted: &[Descriptor],
) -> Result<Option<FaceDescriptors>, AnalysisError> {
    let faces: Vec<FaceGeometry> = analyzer
        .detect(img)?
        .iter()
        .map(FaceGeometry::from)
        .collect();
    match main_face(img, &faces) {
        Some(face) => Ok(describe(analyzer, img, &[face], wanted)?.pop()),
        None => Ok(None),
    }
}
