//! `faces`: face boxes, detection scores and five landmarks (YuNet 2023mar, two scaled passes).

use super::{AnalysisStage, Output, PhotoWork, Scope, Stage};
use crate::detect::detect_faces;
use crate::AnalysisError;

pub const STAGE: Stage = Stage::new("faces");

pub struct Faces;

impl AnalysisStage for Faces {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["yunet"]
    }

    fn scope(&self) -> Scope {
        Scope::Detector
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let (image, options) = (photo.image, photo.detect);
        Ok(Output::Faces(detect_faces(
            photo.session("yunet")?,
            image,
            &options,
        )?))
    }
}
