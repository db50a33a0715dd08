//! What a stage gets and gives for one photo. [`PhotoWork`]: the upright working image, its faces,
//! the loaded models, what a stage keeps between photos, and network outputs more than one stage
//! reads (computed once per photo: faceres, emotions, the scene network on the photo). [`Output`]: the stage's results, in the shapes the analyzer
//! knows how to store.

use std::any::Any;
use std::collections::HashMap;

use image::RgbImage;
use ort::session::Session;

use crate::demographics::{faceres_outputs, FaceresOutputs};
use crate::detect::{DetectOptions, Detection};
use crate::scene::{self, SceneOutput};
use crate::sessions::Models;
use crate::{emotion, AnalysisError, FaceGeometry, Score};
use argus_core::results::{PhotoDescriptor, PhotoLabel, PhotoObject, TextLine};

/// Most faces sent through a per-face network in one batch.
pub const FACE_BATCH: usize = 16;

/// A stage's results for one photo.
#[derive(Debug, Clone)]
pub enum Output {
    /// The detector's faces (they replace the photo's stored faces).
    Faces(Vec<Detection>),
    /// One entry per face of [`PhotoWork::faces`], in that order.
    PerFace(Vec<FaceOutput>),
    /// Scores of the whole photo.
    PhotoScores(Vec<Score>),
    /// Lines of text, in reading order.
    Text(Vec<TextLine>),
    /// Scene labels and raw classes.
    Labels(Vec<PhotoLabel>),
    /// Objects with boxes normalised to the photo, best first.
    Objects(Vec<PhotoObject>),
    /// What the photo looks like (look-alikes and copies).
    Descriptor(PhotoDescriptor),
}

/// What a per-face stage found for one face: scores (stored as face attributes) and, for an
/// identity stage, the face's embedding.
#[derive(Debug, Clone, Default)]
pub struct FaceOutput {
    pub scores: Vec<Score>,
    pub embedding: Option<Vec<f32>>,
}

impl FaceOutput {
    pub fn scores(scores: Vec<Score>) -> FaceOutput {
        FaceOutput {
            scores,
            embedding: None,
        }
    }
}

/// One photo as the stages see it.
pub struct PhotoWork<'a> {
    /// The upright working image.
    pub image: &'a RgbImage,
    /// The faces on it: found by the detector in this pass, or the stored ones.
    pub faces: Vec<FaceGeometry>,
    /// How the detector looks for faces.
    pub detect: DetectOptions,
    models: &'a mut Models,
    kept: &'a mut HashMap<&'static str, Box<dyn Any + Send>>,
    faceres: Option<FaceresOutputs>,
    emotions: Option<Vec<Vec<Score>>>,
    scene: Option<SceneOutput>,
}

impl<'a> PhotoWork<'a> {
    pub(crate) fn new(
        image: &'a RgbImage,
        faces: Vec<FaceGeometry>,
        detect: DetectOptions,
        models: &'a mut Models,
        kept: &'a mut HashMap<&'static str, Box<dyn Any + Send>>,
    ) -> PhotoWork<'a> {
        PhotoWork {
            image,
            faces,
            detect,
            models,
            kept,
            faceres: None,
            emotions: None,
            scene: None,
        }
    }

    /// The loaded session of a model the stage names.
    pub fn session(&mut self, model: &str) -> Result<&mut Session, AnalysisError> {
        self.models.session(model)
    }

    /// A model's session with the image and its faces, for routines that read all three.
    pub fn session_and_faces(
        &mut self,
        model: &str,
    ) -> Result<(&mut Session, &RgbImage, &[FaceGeometry]), AnalysisError> {
        Ok((self.models.session(model)?, self.image, &self.faces))
    }

    /// Sessions of several models at once.
    pub fn sessions<const N: usize>(
        &mut self,
        models: [&str; N],
    ) -> Result<[&mut Session; N], AnalysisError> {
        self.models.sessions(models)
    }

    /// What a stage keeps from photo to photo (made by `make` on first use, from the loaded
    /// models), under the stage's id.
    pub fn kept<T: Any + Send>(
        &mut self,
        stage: &'static str,
        make: impl FnOnce(&mut Models) -> Result<T, AnalysisError>,
    ) -> Result<&mut T, AnalysisError> {
        if !self.kept.contains_key(stage) {
            let value = make(self.models)?;
            self.kept.insert(stage, Box::new(value));
        }
        Ok(self
            .kept
            .get_mut(stage)
            .and_then(|v| v.downcast_mut())
            .expect("kept under the stage's own id"))
    }

    /// faceres on every face: `male` and `age` scores and the 1024-d descriptor (read by the
    /// demographics and appearance stages; run once per photo).
    pub fn faceres(&mut self) -> Result<&FaceresOutputs, AnalysisError> {
        if self.faceres.is_none() {
            let session = self.models.session("faceres")?;
            let (mut scores, mut descriptors) = (Vec::new(), Vec::new());
            for chunk in self.faces.chunks(FACE_BATCH) {
                let (s, d) = faceres_outputs(session, self.image, chunk)?;
                scores.extend(s);
                descriptors.extend(d);
            }
            self.faceres = Some((scores, descriptors));
        }
        Ok(self.faceres.as_ref().expect("set above"))
    }

    /// The scene network on the photo's view (read by the labels and descriptor stages; run once per
    /// photo).
    pub fn photo_scene(&mut self) -> Result<&SceneOutput, AnalysisError> {
        if self.scene.is_none() {
            let view = scene::photo_view(self.image)?;
            let output = scene::run(self.models.session("efficientnet-lite0")?, &[view])?
                .pop()
                .ok_or_else(|| AnalysisError::Inference("no scene output".into()))?;
            self.scene = Some(output);
        }
        Ok(self.scene.as_ref().expect("set above"))
    }

    /// The emotion network's `emotion.*` scores of every face (read by the emotion and appearance
    /// stages; run once per photo).
    pub fn emotions(&mut self) -> Result<&[Vec<Score>], AnalysisError> {
        if self.emotions.is_none() {
            let session = self.models.session("emotion")?;
            let mut all = Vec::with_capacity(self.faces.len());
            for chunk in self.faces.chunks(FACE_BATCH) {
                all.extend(emotion::classify(session, self.image, chunk)?);
            }
            self.emotions = Some(all);
        }
        Ok(self.emotions.as_deref().expect("set above"))
    }
}
