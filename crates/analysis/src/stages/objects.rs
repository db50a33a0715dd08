//! `objects`: COCO objects with boxes, people's bodies among them (NanoDet-m on the whole photo).

use super::{AnalysisStage, Output, PhotoWork, Scope, Stage};
use crate::objects::{detect_objects, ObjectOptions};
use crate::AnalysisError;

pub const STAGE: Stage = Stage::new("objects");

pub struct Objects;

impl AnalysisStage for Objects {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["nanodet"]
    }

    fn scope(&self) -> Scope {
        Scope::Photo
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let image = photo.image;
        let found = detect_objects(photo.session("nanodet")?, image, &ObjectOptions::default())?;
        Ok(Output::Objects(found))
    }
}
