//! `labels`: scene and object labels of the photo (EfficientNet-Lite0's ImageNet classes mapped to
//! the browse vocabulary) and its most likely raw classes.

use super::{AnalysisStage, Output, PhotoWork, Scope, Stage};
use crate::{vocabulary, AnalysisError};
use argus_core::results::{LabelKind, PhotoLabel};

pub const STAGE: Stage = Stage::new("labels");

pub struct Labels;

impl AnalysisStage for Labels {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["efficientnet-lite0"]
    }

    fn scope(&self) -> Scope {
        Scope::Photo
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let probs = &photo.photo_scene()?.probs;
        let labels = vocabulary::labels(probs).into_iter().map(|l| PhotoLabel {
            kind: LabelKind::Label,
            name: l.name,
            score: l.score,
        });
        let classes = vocabulary::top_classes(probs)
            .into_iter()
            .map(|l| PhotoLabel {
                kind: LabelKind::Class,
                name: l.name,
                score: l.score,
            });
        Ok(Output::Labels(labels.chain(classes).collect()))
    }
}
