//! `objects`: COCO objects with boxes, people's bodies among them (NanoDet-m on the whole photo, then
//! on each of the largest bodies for the small things they carry), and what each body wears
//! (EfficientNet-Lite0 on a crop of it).

use super::{AnalysisStage, Output, PhotoWork, Scope, Stage};
use crate::clothing::dress_bodies;
use crate::objects::{detect_objects, ObjectOptions};
use crate::AnalysisError;

pub const STAGE: Stage = Stage::new("objects");

pub struct Objects;

impl AnalysisStage for Objects {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["nanodet", "efficientnet-lite0"]
    }

    fn scope(&self) -> Scope {
        Scope::Photo
    }

    /// 2: a second pass on each of the largest bodies; 3: clothing from two views of each body
    /// (upper and lower).
    fn revision(&self) -> u32 {
        3
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let image = photo.image;
        let mut found =
            detect_objects(photo.session("nanodet")?, image, &ObjectOptions::default())?;
        dress_bodies(photo.session("efficientnet-lite0")?, image, &mut found)?;
        Ok(Output::Objects(found))
    }
}
