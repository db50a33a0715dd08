//! `embedding`: a 192-d identity embedding per face (MobileFaceNet, on the face aligned to the ArcFace
//! template), L2-normalised, and the `sharpness` of the aligned face.

use image::RgbImage;
use ort::session::Session;

use super::work::FACE_BATCH;
use super::{AnalysisStage, FaceOutput, Output, PhotoWork, Scope, Stage};
use crate::sharpness::sharpness;
use crate::{align, embed, AnalysisError, FaceGeometry, Score};
use argus_core::vocabulary::SHARPNESS;

pub const STAGE: Stage = Stage::new("embedding");

pub struct Embedding;

impl AnalysisStage for Embedding {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["mobilefacenet"]
    }

    fn scope(&self) -> Scope {
        Scope::Face
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let (image, faces) = (photo.image, photo.faces.clone());
        let embedded = embed_in_photo(photo.session("mobilefacenet")?, image, &faces)?;
        Ok(Output::PerFace(
            embedded
                .into_iter()
                .map(|face| FaceOutput {
                    scores: vec![Score {
                        name: SHARPNESS.into(),
                        value: face.sharpness,
                        confidence: 1.0,
                    }],
                    embedding: Some(face.vector),
                })
                .collect(),
        ))
    }
}

/// A face's embedding and how sharp the aligned face was.
#[derive(Debug, Clone)]
pub struct EmbeddedFace {
    pub vector: Vec<f32>,
    /// See [`sharpness`]; the clustering does not let faces below
    /// the people crate's `ClusterParams::min_sharpness` seed people.
    pub sharpness: f32,
}

/// L2-normalised embeddings of a photo's faces (each aligned to the ArcFace template first, in
/// batches), with the sharpness of each aligned face: the stage's work, also used by the dev tools.
pub fn embed_in_photo(
    session: &mut Session,
    image: &RgbImage,
    faces: &[FaceGeometry],
) -> Result<Vec<EmbeddedFace>, AnalysisError> {
    let mut out = Vec::with_capacity(faces.len());
    for chunk in faces.chunks(FACE_BATCH) {
        let aligned: Vec<RgbImage> = chunk
            .iter()
            .map(|f| align::align_face(image, &f.landmarks))
            .collect();
        let vectors = embed::embed_faces(session, &aligned)?;
        out.extend(
            vectors
                .into_iter()
                .zip(&aligned)
                .map(|(vector, face)| EmbeddedFace {
                    vector,
                    sharpness: sharpness(face),
                }),
        );
    }
    Ok(out)
}
