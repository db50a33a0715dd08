//! `descriptor`: what the photo looks like, for "more like this" and duplicates — the scene network's
//! pooled features of the photo view (shared with `labels`, run once), a perceptual hash and the
//! photo's sharpness ([`crate::descriptor`]). These features know images only: a phrase cannot be
//! put beside them. Search by words would be a stage of its own with an image–text model's image
//! tower, beside a text encoder (see ARCHITECTURE.md, `argus-similar`'s seam); none ships here.

use super::{AnalysisStage, Output, PhotoWork, Scope, Stage};
use crate::descriptor::describe;
use crate::AnalysisError;

pub const STAGE: Stage = Stage::new("descriptor");

pub struct Descriptor;

impl AnalysisStage for Descriptor {
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
        let image = photo.image;
        let features = photo.photo_scene()?.features.clone();
        Ok(Output::Descriptor(describe(image, &features)?))
    }
}
