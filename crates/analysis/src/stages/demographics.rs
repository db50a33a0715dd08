//! `demographics`: `male` (probability) and `age` (years) per face (faceres).

use super::{AnalysisStage, FaceOutput, Output, PhotoWork, Scope, Stage};
use crate::AnalysisError;

pub const STAGE: Stage = Stage::new("demographics");

pub struct Demographics;

impl AnalysisStage for Demographics {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["faceres"]
    }

    fn scope(&self) -> Scope {
        Scope::Face
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let (scores, _) = photo.faceres()?;
        Ok(Output::PerFace(
            scores.iter().cloned().map(FaceOutput::scores).collect(),
        ))
    }
}
