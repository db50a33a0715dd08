//! `unsafe`: the unsafe-content score of the photo (Yahoo open-nsfw).

use super::{AnalysisStage, Output, PhotoWork, Scope, Stage};
use crate::{unsafe_score, AnalysisError, Score};
use argus_core::vocabulary::UNSAFE;

pub const STAGE: Stage = Stage::new("unsafe");

pub struct UnsafeContent;

impl AnalysisStage for UnsafeContent {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["opennsfw"]
    }

    fn scope(&self) -> Scope {
        Scope::Photo
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let image = photo.image;
        let p = unsafe_score::score(photo.session("opennsfw")?, image)?;
        Ok(Output::PhotoScores(vec![Score::probability(UNSAFE, p)]))
    }
}
