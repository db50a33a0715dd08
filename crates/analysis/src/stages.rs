//! The analysis stages, the models each one needs, and the version key each one is recorded under in
//! the ledger. A stage's version is the `id@version` of its models plus the revision of our own pre-
//! and post-processing around them, so bumping one model in the manifest (or changing how a stage
//! reads a model's output) re-runs exactly the stages concerned.

use serde::Serialize;

use crate::models::ModelStore;
use argus_core::probes::ProbeSet;

/// One unit of analysis with its own ledger row per photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Face boxes, scores and 5 landmarks (YuNet). Re-running it replaces the faces, so every face
    /// stage runs again with it.
    Faces,
    /// 192-d identity embedding per face (MobileFaceNet).
    Embedding,
    /// Gender and age per face (faceres).
    Demographics,
    /// Seven emotions per face (emotion).
    Emotion,
    /// Mouth open (468-point face mesh) and eyes open (iris model's eye contours) per face.
    FaceMesh,
    /// Unsafe-content score of the photo (open-nsfw).
    Unsafe,
    /// Text in the photo (PP-OCRv4 detection, orientation, recognition).
    Text,
    /// Scene/object labels of the photo (EfficientNet-Lite0 classes mapped to a browse vocabulary).
    Labels,
    /// Beard, mustache, eyeglasses, sunglasses, hat and smile per face: the trained probes
    /// (`models/probes/appearance.json`) on faceres, head-crop and emotion descriptors.
    Appearance,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Faces,
        Stage::Embedding,
        Stage::Demographics,
        Stage::Emotion,
        Stage::FaceMesh,
        Stage::Unsafe,
        Stage::Text,
        Stage::Labels,
        Stage::Appearance,
    ];

    /// The name in the ledger, the CLI and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Faces => "faces",
            Stage::Embedding => "embedding",
            Stage::Demographics => "demographics",
            Stage::Emotion => "emotion",
            Stage::FaceMesh => "face_mesh",
            Stage::Unsafe => "unsafe",
            Stage::Text => "text",
            Stage::Labels => "labels",
            Stage::Appearance => "appearance",
        }
    }

    pub fn from_name(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Manifest ids of the models the stage runs.
    pub fn models(self) -> &'static [&'static str] {
        match self {
            Stage::Faces => &["yunet"],
            Stage::Embedding => &["mobilefacenet"],
            Stage::Demographics => &["faceres"],
            Stage::Emotion => &["emotion"],
            Stage::FaceMesh => &["facemesh", "iris"],
            Stage::Unsafe => &["opennsfw"],
            Stage::Text => &["ppocr-det", "ppocr-cls", "ppocr-rec"],
            Stage::Labels => &["efficientnet-lite0"],
            Stage::Appearance => &["faceres", "efficientnet-lite0", "emotion"],
        }
    }

    /// Whether the stage works on the faces found by [`Stage::Faces`].
    pub fn per_face(self) -> bool {
        matches!(
            self,
            Stage::Embedding
                | Stage::Demographics
                | Stage::Emotion
                | Stage::FaceMesh
                | Stage::Appearance
        )
    }

    /// Revision of Argus's own code around the stage's models (preprocessing, thresholds,
    /// calibration, filters). Bump it when a change alters what the stage stores.
    pub fn revision(self) -> u32 {
        match self {
            Stage::Text => 2,    // r2: junk-line filter
            Stage::Emotion => 4, // r2: smile moved to the appearance probes; r3: mirror averaged; r4: face-api net
            _ => 1,
        }
    }

    /// The version key: `id@version` of each model joined by `+` (and `probes@<version>` for the
    /// appearance stage), then `#r` and the revision.
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
        if self == Stage::Appearance {
            parts.push(format!("probes@{}", ProbeSet::builtin().version));
        }
        format!("{}#r{}", parts.join("+"), self.revision())
    }
}

/// Parses a comma-separated stage list (`faces,text`); `all` means every stage.
pub fn parse_stages(list: &str) -> Result<Vec<Stage>, String> {
    let mut stages = Vec::new();
    for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if name == "all" {
            return Ok(Stage::ALL.to_vec());
        }
        let stage = Stage::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Stage::ALL.iter().map(|s| s.name()).collect();
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
        for stage in Stage::ALL {
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
            let probes = usize::from(stage == Stage::Appearance);
            assert_eq!(models.split('+').count(), stage.models().len() + probes);
            assert_eq!(revision, stage.revision().to_string());
        }
    }

    #[test]
    fn parses_stage_lists() {
        assert_eq!(
            parse_stages("text, faces").unwrap(),
            vec![Stage::Faces, Stage::Text]
        );
        assert_eq!(parse_stages("all").unwrap().len(), Stage::ALL.len());
        let err = parse_stages("faces,ocr").unwrap_err();
        assert!(
            err.contains("unknown stage 'ocr'") && err.contains("text"),
            "{err}"
        );
        assert!(parse_stages(" , ").is_err());
    }
}
