//! `face_mesh`: `mouth_open` (468-point face mesh) and `eyes_open` (the iris model's eye contours)
//! per face.

use super::work::FACE_BATCH;
use super::{AnalysisStage, FaceOutput, Output, PhotoWork, Scope, Stage};
use crate::{mesh, AnalysisError};

pub const STAGE: Stage = Stage::new("face_mesh");

pub struct FaceMesh;

impl AnalysisStage for FaceMesh {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["facemesh", "iris"]
    }

    fn scope(&self) -> Scope {
        Scope::Face
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let (image, faces) = (photo.image, photo.faces.clone());
        let [mesh_model, iris] = photo.sessions(["facemesh", "iris"])?;
        let mut out = Vec::with_capacity(faces.len());
        for chunk in faces.chunks(FACE_BATCH) {
            out.extend(
                mesh::measure(mesh_model, iris, image, chunk)?
                    .into_iter()
                    .map(FaceOutput::scores),
            );
        }
        Ok(Output::PerFace(out))
    }
}
