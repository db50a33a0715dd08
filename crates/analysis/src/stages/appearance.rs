//! `appearance`: beard, mustache, eyeglasses, sunglasses, hat and smile per face — the committed
//! probes (`models/probes/appearance.json`) on the faceres descriptor, EfficientNet-Lite0 features of
//! the head crop and the emotion probabilities.

use image::RgbImage;

use super::{AnalysisStage, FaceOutput, Output, PhotoWork, Scope, Stage};
use crate::appearance::{hair_colour, hair_view, head_crop};
use crate::{scene, AnalysisError};
use argus_core::probes::{emotion_vector, Descriptor, FaceDescriptors, ProbeSet};

pub const STAGE: Stage = Stage::new("appearance");

pub struct Appearance;

impl AnalysisStage for Appearance {
    fn id(&self) -> &'static str {
        STAGE.name()
    }

    fn models(&self) -> &'static [&'static str] {
        &["faceres", "efficientnet-lite0", "emotion"]
    }

    fn scope(&self) -> Scope {
        Scope::Face
    }

    /// New probe weights re-run the stage.
    fn other_inputs(&self) -> Vec<String> {
        vec![format!("probes@{}", ProbeSet::builtin().version)]
    }

    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError> {
        let probes = ProbeSet::builtin();
        let emotions: Vec<Vec<f32>> = photo
            .emotions()?
            .iter()
            .map(|s| emotion_vector(s))
            .collect();
        let descriptors = photo.faceres()?.1.clone();
        let heads: Vec<RgbImage> = photo
            .faces
            .iter()
            .map(|f| head_crop(photo.image, f))
            .collect();
        let hair: Vec<Vec<f32>> = heads.iter().map(hair_colour).collect();
        // The hair views go through the network in the same batches as the heads, after them.
        let mut crops = heads.clone();
        if probes.descriptors().contains(&Descriptor::HairView) {
            for head in &heads {
                crops.push(hair_view(head)?);
            }
        }
        let mut features = scene::run(photo.session("efficientnet-lite0")?, &crops)?
            .into_iter()
            .map(|out| out.features);
        let head: Vec<Vec<f32>> = features.by_ref().take(heads.len()).collect();
        let views: Vec<Vec<f32>> = features.collect();
        Ok(Output::PerFace(
            descriptors
                .into_iter()
                .zip(head)
                .zip(emotions)
                .zip(hair)
                .enumerate()
                .map(|(i, (((faceres, head), emotion), hair))| {
                    FaceOutput::scores(probes.scores(&FaceDescriptors {
                        faceres,
                        head,
                        emotion,
                        hair,
                        hair_view: views.get(i).cloned().unwrap_or_default(),
                        ..FaceDescriptors::default()
                    }))
                })
                .collect(),
        ))
    }
}
