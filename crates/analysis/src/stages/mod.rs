//! The analysis stages: one trait, [`AnalysisStage`], one file per stage in this folder, and one
//! list, [`REGISTRY`], in the order the stages run (the detector first, then the per-face stages,
//! then the photo stages). A stage names the models it runs, its scope (the detector, each face, or
//! the photo) and the revision of our own code around its models, and turns one photo's
//! [`PhotoWork`] into an [`Output`]; the [`crate::Analyzer`] turns outputs into what the catalogue
//! stores. Adding a stage is one new file here and one line in [`REGISTRY`].
//!
//! A stage is recorded per photo under its version key: the `id@version` of each of its models
//! joined by `+` (plus any other inputs it names, e.g. the probe set), then `#r` and its revision —
//! so bumping a model in the manifest, or changing how a stage reads its output, re-runs exactly the
//! stages concerned.

mod appearance;
mod demographics;
mod descriptor;
mod embedding;
mod emotion;
mod face_mesh;
mod faces;
mod labels;
mod objects;
mod text;
mod unsafe_content;
pub mod work;

use std::cmp::Ordering;

use serde::{Serialize, Serializer};

use crate::models::ModelStore;
use crate::AnalysisError;
pub use embedding::{embed_in_photo, EmbeddedFace};
pub use work::{FaceOutput, Output, PhotoWork};

/// Every stage, in the order they run.
pub static REGISTRY: &[&dyn AnalysisStage] = &[
    &faces::Faces,
    &embedding::Embedding,
    &demographics::Demographics,
    &emotion::Emotion,
    &face_mesh::FaceMesh,
    &unsafe_content::UnsafeContent,
    &text::Text,
    &labels::Labels,
    &descriptor::Descriptor,
    &objects::Objects,
    &appearance::Appearance,
];

/// What a stage works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Finds the photo's faces (its output replaces the stored faces, so every per-face stage runs
    /// again with it).
    Detector,
    /// Each face found by the detector.
    Face,
    /// The whole photo.
    Photo,
}

/// One analysis stage.
pub trait AnalysisStage: Sync {
    /// The name in the ledger, the CLI (`--stages`) and JSON.
    fn id(&self) -> &'static str;
    /// Manifest ids of the models it runs.
    fn models(&self) -> &'static [&'static str];
    fn scope(&self) -> Scope;
    /// Revision of Argus's own code around the models (pre-processing, thresholds, calibration):
    /// bump it when a change alters what the stage stores.
    fn revision(&self) -> u32 {
        1
    }
    /// Other inputs its results depend on, as `name@version` parts of its version key.
    fn other_inputs(&self) -> Vec<String> {
        Vec::new()
    }
    /// The stage's results for one photo.
    fn run(&self, photo: &mut PhotoWork<'_>) -> Result<Output, AnalysisError>;
}

/// A registered stage, by id: small, copied freely, ordered as the stages run.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stage(&'static str);

impl Stage {
    /// The stage with this id; an id not in [`REGISTRY`] is a programming error.
    pub const fn new(id: &'static str) -> Stage {
        Stage(id)
    }

    /// Every registered stage, in run order.
    pub fn all() -> impl Iterator<Item = Stage> {
        REGISTRY.iter().map(|s| Stage(s.id()))
    }

    /// The stage of a name, if one is registered.
    pub fn from_name(name: &str) -> Option<Stage> {
        Stage::all().find(|s| s.0 == name)
    }

    fn position(self) -> usize {
        REGISTRY
            .iter()
            .position(|s| s.id() == self.0)
            .unwrap_or_else(|| panic!("stage {} is not registered", self.0))
    }

    /// The stage's definition.
    pub fn definition(self) -> &'static dyn AnalysisStage {
        REGISTRY[self.position()]
    }

    /// The name in the ledger, the CLI and JSON.
    pub fn name(self) -> &'static str {
        self.0
    }

    pub fn models(self) -> &'static [&'static str] {
        self.definition().models()
    }

    pub fn scope(self) -> Scope {
        self.definition().scope()
    }

    /// Whether the stage works on the faces the detector found.
    pub fn per_face(self) -> bool {
        self.scope() == Scope::Face
    }

    pub fn revision(self) -> u32 {
        self.definition().revision()
    }

    /// The version key the ledger records the stage under (see the module docs).
    pub fn version(self, store: &ModelStore) -> String {
        let mut parts: Vec<String> = self
            .models()
            .iter()
            .map(|id| {
                store
                    .model_version(id)
                    .unwrap_or_else(|| format!("{id}@missing"))
            })
            .collect();
        parts.extend(self.definition().other_inputs());
        format!("{}#r{}", parts.join("+"), self.revision())
    }
}

impl std::fmt::Debug for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Ord for Stage {
    fn cmp(&self, other: &Stage) -> Ordering {
        self.position().cmp(&other.position())
    }
}

impl PartialOrd for Stage {
    fn partial_cmp(&self, other: &Stage) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Stage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// The stages other code names (the rest are reached through [`Stage::all`]).
pub use appearance::STAGE as APPEARANCE;
pub use demographics::STAGE as DEMOGRAPHICS;
pub use descriptor::STAGE as DESCRIPTOR;
pub use embedding::STAGE as EMBEDDING;
pub use emotion::STAGE as EMOTION;
pub use faces::STAGE as FACES;
pub use labels::STAGE as LABELS;
pub use objects::STAGE as OBJECTS;
pub use text::STAGE as TEXT;

/// Parses a comma-separated stage list (`faces,text`); `all` means every stage.
pub fn parse_stages(list: &str) -> Result<Vec<Stage>, String> {
    let mut stages = Vec::new();
    for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if name == "all" {
            return Ok(Stage::all().collect());
        }
        let stage = Stage::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Stage::all().map(Stage::name).collect();
            format!("unknown stage '{name}' (stages: {})", known.join(", "))
        })?;
        if !stages.contains(&stage) {
            stages.push(stage);
        }
    }
    if stages.is_empty() {
        return Err("no stages given".into());
    }
    stages.sort();
    Ok(stages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_model_is_in_the_manifest_and_versions_name_them() {
        let store = ModelStore::new(std::path::Path::new("/nonexistent"));
        let mut ids: Vec<&str> = Stage::all().map(Stage::name).collect();
        ids.dedup();
        assert_eq!(ids.len(), REGISTRY.len(), "stage ids are unique");
        assert_eq!(
            REGISTRY
                .iter()
                .filter(|s| s.scope() == Scope::Detector)
                .count(),
            1,
            "one detector"
        );
        assert_eq!(Stage::all().next().map(Stage::scope), Some(Scope::Detector));
        for stage in Stage::all() {
            for id in stage.models() {
                assert!(
                    store.model(id).is_some(),
                    "{id} ({}) missing from manifest",
                    stage.name()
                );
            }
            let version = stage.version(&store);
            assert!(!version.contains("missing"), "{version}");
            let (models, revision) = version.split_once("#r").expect("revision suffix");
            let others = stage.definition().other_inputs().len();
            assert_eq!(models.split('+').count(), stage.models().len() + others);
            assert_eq!(revision, stage.revision().to_string());
        }
    }

    #[test]
    fn parses_stage_lists() {
        assert_eq!(parse_stages("text, faces").unwrap(), vec![FACES, TEXT]);
        assert_eq!(parse_stages("all").unwrap().len(), REGISTRY.len());
        let err = parse_stages("faces,ocr").unwrap_err();
        assert!(
            err.contains("unknown stage 'ocr'") && err.contains("text"),
            "{err}"
        );
        assert!(parse_stages(" , ").is_err());
    }
}
