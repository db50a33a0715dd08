//! `text`: lines of text in the photo, in reading order, with their corners (PP-OCRv4 detection,
//! direction classifier, recognition).

use super::{AnalysisStage, Output, PhotoWork, Scope, Stage};
use crate::ocr::Ocr;
use crate::AnalysisError;

pub const STAGE: Stage = Stage::new("text");

pub struct Text;

impl AnalysisStage for Text {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["ppocr-det", "ppocr-cls", "ppocr-rec"]
    }

    fn scope(&self) -> Scope {
        Scope::Photo
    }

    /// r2: the junk-line filter.
    fn revision(&self) -> u32 {
        2
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let image = photo.image;
        let ocr = photo.kept(STAGE.name(), |models| {
            Ocr::new(
                models.take("ppocr-det")?,
                models.take("ppocr-cls")?,
                models.take("ppocr-rec")?,
            )
        })?;
        Ok(Output::Text(ocr.read(image)?))
    }
}
