//! `embedding`: a 192-d identity embedding per face (MobileFaceNet, on the face aligned to the ArcFace
//! template), L2-normalised, and the `sharpness` of the aligned face.

use image::RgbImage;

use super::work::FACE_BATCH;
use super::{AnalysisStage, FaceOutput, Output, PhotoWork, Scope, Stage};
use crate::sharpness::sharpness;
use crate::{align, embed, AnalysisError, Score};
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
        let session = photo.session("mobilefacenet")?;
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
                    .map(|(vector, face)| FaceOutput {
                        scores: vec![Score {
                            name: SHARPNESS.into(),
                            value: sharpness(face),
                            confidence: 1.0,
                        }],
                        embedding: Some(vector),
                    }),
            );
        }
        Ok(Output::PerFace(out))
    }
}
