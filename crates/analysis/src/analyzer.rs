//! One photo's analysis: runs the pending stages of the registry ([`crate::stages`]) on its upright
//! working image, with every model's session loaded once, and turns their outputs into what the
//! catalogue stores ([`PhotoAnalysis`]). A failing stage is recorded with its reason; the other
//! stages still run. The networks are also reachable one by one (embeddings, faceres, scene
//! features, emotions) for the tools that train and evaluate on them.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use image::RgbImage;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::demographics::FaceresOutputs;
use super::detect::{detect_faces, DetectOptions, Detection};
use super::scene::{self, SceneOutput};
use super::sessions::Models;
use super::stages::work::FACE_BATCH;
use super::stages::{embed_in_photo, EmbeddedFace, Output, PhotoWork, Scope, Stage};
use super::{appearance, demographics, emotion, runtime, AnalysisError, Score};
use crate::models::ModelStore;
use argus_core::probes::{Descriptor, FaceDescriptors};
use argus_core::results::{FaceAttribute, FaceUpdate, NewFace, PhotoAnalysis, PhotoAttribute};

pub use argus_core::geometry::FaceGeometry;
pub use argus_core::vocabulary::SHARPNESS;

impl From<&Detection> for FaceGeometry {
    fn from(d: &Detection) -> Self {
        FaceGeometry {
            bbox: [d.x, d.y, d.w, d.h],
            landmarks: d.landmarks,
        }
    }
}

/// Time spent per stage, summed over photos (serialised as `{"stages": {name: …}}`, in run order).
#[derive(Debug, Clone, Default)]
pub struct StageTimings {
    pub stages: BTreeMap<Stage, StageTime>,
}

impl Serialize for StageTimings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct ByName<'a>(&'a BTreeMap<Stage, StageTime>);
        impl Serialize for ByName<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (stage, time) in self.0 {
                    map.serialize_entry(stage.name(), time)?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("stages", &ByName(&self.stages))?;
        map.end()
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct StageTime {
    pub photos: u64,
    /// Faces the stage processed (for per-face stages) or found (for `faces`).
    pub faces: u64,
    pub ms: f64,
}

impl StageTimings {
    fn add(&mut self, stage: Stage, faces: usize, started: Instant) {
        let t = self.stages.entry(stage).or_default();
        t.photos += 1;
        t.faces += faces as u64;
        t.ms += started.elapsed().as_secs_f64() * 1000.0;
    }

    pub fn merge(&mut self, other: &StageTimings) {
        for (stage, t) in &other.stages {
            let mine = self.stages.entry(*stage).or_default();
            mine.photos += t.photos;
            mine.faces += t.faces;
            mine.ms += t.ms;
        }
    }
}

/// The loaded models of the stages a run needs.
pub struct Analyzer {
    models: Models,
    /// What stages keep between photos, by stage id.
    kept: HashMap<&'static str, Box<dyn Any + Send>>,
    versions: BTreeMap<Stage, String>,
    pub detect_options: DetectOptions,
}

impl Analyzer {
    /// Loads ONNX Runtime (once per process) and the models of `stages`, each session with `threads`
    /// intra-op threads. Fails with an error naming the fix when the runtime or a model is missing.
    pub fn load(
        store: &ModelStore,
        stages: &[Stage],
        threads: usize,
    ) -> Result<Analyzer, AnalysisError> {
        let env = runtime::environment(&store.runtime_path())?;
        let mut models = Models::default();
        let mut versions = BTreeMap::new();
        for &stage in stages {
            versions.insert(stage, stage.version(store));
            for &id in stage.models() {
                if models.contains(id) {
                    continue;
                }
                let path = store
                    .model_path(id)
                    .ok_or_else(|| AnalysisError::ModelMissing {
                        id: id.into(),
                        path: "(not in this build's manifest)".into(),
                    })?;
                if !path.is_file() {
                    return Err(AnalysisError::ModelMissing {
                        id: id.into(),
                        path,
                    });
                }
                models.insert(id, runtime::session(env, &path, threads)?);
            }
        }
        Ok(Analyzer {
            models,
            kept: HashMap::new(),
            versions,
            detect_options: DetectOptions::default(),
        })
    }

    /// Whether the models of `stage` are loaded.
    pub fn has(&self, stage: Stage) -> bool {
        self.versions.contains_key(&stage)
    }

    /// The ledger version of a loaded stage.
    pub fn version(&self, stage: Stage) -> &str {
        self.versions.get(&stage).map_or("", String::as_str)
    }

    /// Faces on an upright working image.
    pub fn detect(&mut self, img: &RgbImage) -> Result<Vec<Detection>, AnalysisError> {
        let options = self.detect_options;
        detect_faces(self.models.session("yunet")?, img, &options)
    }

    /// L2-normalised embeddings of faces (aligned to the ArcFace template first), with the
    /// sharpness of each aligned face.
    pub fn embed(
        &mut self,
        img: &RgbImage,
        faces: &[FaceGeometry],
    ) -> Result<Vec<EmbeddedFace>, AnalysisError> {
        embed_in_photo(self.models.session("mobilefacenet")?, img, faces)
    }

    /// Gender/age scores and the 1024-d faceres descriptor of each face.
    pub fn faceres(
        &mut self,
        img: &RgbImage,
        faces: &[FaceGeometry],
    ) -> Result<FaceresOutputs, AnalysisError> {
        let session = self.models.session("faceres")?;
        let (mut scores, mut descriptors) = (Vec::new(), Vec::new());
        for chunk in faces.chunks(FACE_BATCH) {
            let (s, d) = demographics::faceres_outputs(session, img, chunk)?;
            scores.extend(s);
            descriptors.extend(d);
        }
        Ok((scores, descriptors))
    }

    /// The emotion network's `emotion.*` scores of each face.
    pub fn emotions(
        &mut self,
        img: &RgbImage,
        faces: &[FaceGeometry],
    ) -> Result<Vec<Vec<Score>>, AnalysisError> {
        let session = self.models.session("emotion")?;
        let mut out = Vec::with_capacity(faces.len());
        for chunk in faces.chunks(FACE_BATCH) {
            out.extend(emotion::classify(session, img, chunk)?);
        }
        Ok(out)
    }

    /// EfficientNet-Lite0 on 224×224 crops (photo views or head crops).
    pub fn scene(&mut self, crops: &[RgbImage]) -> Result<Vec<SceneOutput>, AnalysisError> {
        scene::run(self.models.session("efficientnet-lite0")?, crops)
    }

    /// Fills in the head crops' descriptors of `faces` that `wanted` names
    /// ([`appearance::describe_heads`]); EfficientNet-Lite0 must be loaded only if it names one.
    pub fn describe_heads(
        &mut self,
        img: &RgbImage,
        faces: &[FaceGeometry],
        wanted: &[Descriptor],
        out: &mut [FaceDescriptors],
    ) -> Result<(), AnalysisError> {
        if !appearance::reads_heads(wanted) {
            return Ok(());
        }
        let session = self.models.session("efficientnet-lite0")?;
        appearance::describe_heads(session, img, faces, wanted, out)
    }

    /// Runs `stages` on one photo. `stored` are the photo's stored faces (id and geometry on this
    /// working image); they are used when the detector is not among `stages`.
    pub fn analyze(
        &mut self,
        photo_id: i64,
        img: &RgbImage,
        stages: &[Stage],
        stored: &[(i64, FaceGeometry)],
        timings: &mut StageTimings,
    ) -> PhotoAnalysis {
        let mut out = PhotoAnalysis {
            photo_id,
            ..PhotoAnalysis::default()
        };
        let (w, h) = (img.width() as f32, img.height() as f32);
        let detecting = stages.iter().any(|s| s.scope() == Scope::Detector);
        if !detecting {
            out.face_updates = stored
                .iter()
                .map(|(id, _)| FaceUpdate {
                    face_id: *id,
                    ..FaceUpdate::default()
                })
                .collect();
        }
        let mut work = PhotoWork::new(
            img,
            stored.iter().map(|(_, g)| g.clone()).collect(),
            self.detect_options,
            &mut self.models,
            &mut self.kept,
        );
        // Why the per-face stages cannot run, when the detector failed.
        let mut no_faces: Option<String> = None;
        for stage in Stage::all().filter(|s| stages.contains(s)) {
            let version = self.versions.get(&stage).cloned().unwrap_or_default();
            let scope = stage.scope();
            if scope == Scope::Face {
                if let Some(why) = &no_faces {
                    record(&mut out, stage, &version, Some(why.clone()));
                    continue;
                }
                if work.faces.is_empty() {
                    timings.add(stage, 0, Instant::now());
                    record(&mut out, stage, &version, None);
                    continue;
                }
            }
            let started = Instant::now();
            let result = stage.definition().run(&mut work);
            let faces = work.faces.len();
            match result {
                Ok(Output::Faces(detections)) => {
                    timings.add(stage, detections.len(), started);
                    work.faces = detections.iter().map(FaceGeometry::from).collect();
                    let new_faces = detections
                        .iter()
                        .map(|d| NewFace {
                            x: d.x / w,
                            y: d.y / h,
                            w: d.w / w,
                            h: d.h / h,
                            score: d.score,
                            landmarks: d.landmarks.map(|p| [p[0] / w, p[1] / h]),
                            ..NewFace::default()
                        })
                        .collect();
                    out.new_faces = Some((version.clone(), new_faces));
                    out.invalidated = Stage::all()
                        .filter(|s| s.per_face() && !stages.contains(s))
                        .map(|s| s.name().to_string())
                        .collect();
                    record(&mut out, stage, &version, None);
                }
                Ok(Output::PerFace(per_face)) => {
                    timings.add(stage, faces, started);
                    for (i, face) in per_face.into_iter().enumerate() {
                        if face.embedding.is_some() {
                            *embedding_slot(&mut out, i) = face.embedding;
                        }
                        attributes_slot(&mut out, i).extend(face.scores.into_iter().map(|s| {
                            FaceAttribute {
                                name: s.name,
                                value: s.value,
                                confidence: s.confidence,
                                model_version: version.clone(),
                            }
                        }));
                    }
                    record(&mut out, stage, &version, None);
                }
                Ok(Output::PhotoScores(scores)) => {
                    timings.add(stage, 0, started);
                    out.photo_attributes
                        .extend(scores.into_iter().map(|s| PhotoAttribute {
                            name: s.name,
                            value: s.value,
                            model_version: version.clone(),
                        }));
                    record(&mut out, stage, &version, None);
                }
                Ok(Output::Text(lines)) => {
                    timings.add(stage, 0, started);
                    out.text = Some((version.clone(), lines));
                    record(&mut out, stage, &version, None);
                }
                Ok(Output::Labels(labels)) => {
                    timings.add(stage, 0, started);
                    out.labels = Some((version.clone(), labels));
                    record(&mut out, stage, &version, None);
                }
                Ok(Output::Descriptor(descriptor)) => {
                    timings.add(stage, 0, started);
                    out.descriptor = Some((version.clone(), descriptor));
                    record(&mut out, stage, &version, None);
                }
                Ok(Output::Objects(objects)) => {
                    timings.add(stage, objects.len(), started);
                    out.objects = Some((version.clone(), objects));
                    record(&mut out, stage, &version, None);
                }
                Err(e) => {
                    if scope == Scope::Detector {
                        no_faces = Some(format!("face detection failed: {e}"));
                    }
                    record(&mut out, stage, &version, Some(e.to_string()));
                }
            }
        }
        out
    }
}

fn record(out: &mut PhotoAnalysis, stage: Stage, version: &str, error: Option<String>) {
    out.runs
        .push((stage.name().to_string(), version.to_string(), error));
}

fn embedding_slot(out: &mut PhotoAnalysis, i: usize) -> &mut Option<Vec<f32>> {
    match &mut out.new_faces {
        Some((_, faces)) => &mut faces[i].embedding,
        None => &mut out.face_updates[i].embedding,
    }
}

fn attributes_slot(out: &mut PhotoAnalysis, i: usize) -> &mut Vec<FaceAttribute> {
    match &mut out.new_faces {
        Some((_, faces)) => &mut faces[i].attributes,
        None => &mut out.face_updates[i].attributes,
    }
}
