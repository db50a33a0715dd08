//! `appearance`: per face, every attribute of the committed probes (`models/probes/appearance.json`:
//! beard, glasses, hat, smile, hair colour, bangs, earrings, necktie …) from the descriptors they
//! read: the faceres descriptor, the emotion probabilities and what the head crops give
//! ([`describe_heads`]).

use super::{AnalysisStage, FaceOutput, Output, PhotoWork, Scope, Stage};
use crate::appearance::describe_heads;
use crate::AnalysisError;
use argus_core::probes::{emotion_vector, FaceDescriptors, ProbeSet};

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
        let mut faces: Vec<FaceDescriptors> = photo
            .faceres()?
            .1
            .iter()
            .zip(emotions)
            .map(|(faceres, emotion)| FaceDescriptors {
                faceres: faceres.clone(),
                emotion,
                ..FaceDescriptors::default()
            })
            .collect();
        let (session, image, geometry) = photo.session_and_faces("efficientnet-lite0")?;
        describe_heads(session, image, geometry, &probes.descriptors(), &mut faces)?;
        Ok(Output::PerFace(
            faces
                .iter()
                .map(|face| FaceOutput::scores(probes.scores(face)))
                .collect(),
        ))
    }
}
