//! `emotion`: the seven `emotion.*` probabilities per face (face-api's FaceExpressionNet, the crop
//! and its mirror averaged).

use super::{AnalysisStage, FaceOutput, Output, PhotoWork, Scope, Stage};
use crate::AnalysisError;

pub const STAGE: Stage = Stage::new("emotion");

pub struct Emotion;

impl AnalysisStage for Emotion {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["emotion"]
    }

    fn scope(&self) -> Scope {
        Scope::Face
    }

    /// r2: smile moved to the appearance probes; r3: mirror averaged; r4: face-api's network.
    fn revision(&self) -> u32 {
        4
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        Ok(Output::PerFace(
            photo
                .emotions()?
                .iter()
                .cloned()
                .map(FaceOutput::scores)
                .collect(),
        ))
    }
}
