//! One photo's analysis: runs the pending stages on its upright working image with sessions loaded once
//! per process, and returns what the catalogue stores ([`PhotoAnalysis`]). A failing stage is recorded
//! with its reason; the other stages still run.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use image::RgbImage;
use ort::session::Session;
use serde::Serialize;

use super::appearance::head_crop;
use super::demographics::FaceresOutputs;
use super::detect::{detect_faces, DetectOptions, Detection};
use super::ocr::Ocr;
use super::scene::{self, SceneOutput};
use super::sharpness::sharpness;
use super::stages::Stage;
use super::{
    align, demographics, embed, emotion, mesh, runtime, unsafe_score, vocabulary, AnalysisError,
    Score,
};
use crate::models::ModelStore;
use argus_core::probes::ProbeSet;
use argus_core::probes::{emotion_vector, FaceDescriptors};
use argus_core::results::{
    FaceAttribute, FaceUpdate, LabelKind, NewFace, PhotoAnalysis, PhotoAttribute, PhotoLabel,
};

/// Most faces sent through a per-face network in one batch.
const FACE_BATCH: usize = 16;

/// A face's embedding and how sharp the aligned face was.
#[derive(Debug, Clone)]
pub struct EmbeddedFace {
    pub vector: Vec<f32>,
    /// See [`sharpness`]; the clustering does not let faces below
    /// the people crate's `ClusterParams::min_sharpness` seed people.
    pub sharpness: f32,
}

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

/// Time spent per stage, summed over photos.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StageTimings {
    pub stages: BTreeMap<Stage, StageTime>,
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

/// Outputs of networks that more than one per-face stage reads, kept for one photo.
#[derive(Default)]
struct SharedFaceOutputs {
    faceres: Option<FaceresOutputs>,
    emotion: Option<Vec<Vec<Score>>>,
}

/// The loaded models of the stages a run needs.
pub struct Analyzer {
    sessions: HashMap<&'static str, Session>,
    ocr: Option<Ocr>,
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
        let mut sessions = HashMap::new();
        let mut versions = BTreeMap::new();
        for &stage in stages {
            versions.insert(stage, stage.version(store));
            for &id in stage.models() {
                if sessions.contains_key(id) {
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
                sessions.insert(id, runtime::session(env, &path, threads)?);
            }
        }
        let ocr = if stages.contains(&Stage::Text) {
            Some(Ocr::new(
                sessions.remove("ppocr-det").expect("loaded above"),
                sessions.remove("ppocr-cls").expect("loaded above"),
                sessions.remove("ppocr-rec").expect("loaded above"),
            )?)
        } else {
            None
        };
        Ok(Analyzer {
            sessions,
            ocr,
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

    fn session(&mut self, id: &str) -> Result<&mut Session, AnalysisError> {
        self.sessions
            .get_mut(id)
            .ok_or_else(|| AnalysisError::Inference(format!("model {id} was not loaded")))
    }

    /// Faces on an upright working image.
    pub fn detect(&mut self, img: &RgbImage) -> Result<Vec<Detection>, AnalysisError> {
        let options = self.detect_options;
        detect_faces(self.session("yunet")?, img, &options)
    }

    /// L2-normalised embeddings of faces (aligned to the ArcFace template first), with the
    /// sharpness of each aligned face.
    pub fn embed(
        &mut self,
        img: &RgbImage,
        faces: &[FaceGeometry],
    ) -> Result<Vec<EmbeddedFace>, AnalysisError> {
        let session = self.session("mobilefacenet")?;
        let mut out = Vec::with_capacity(faces.len());
        for chunk in faces.chunks(FACE_BATCH) {
            let aligned: Vec<RgbImage> = chunk
                .iter()
                .map(|f| align::align_face(img, &f.landmarks))
                .collect();
            let vectors = embed::embed_faces(session, &aligned)?;
            out.extend(
                vectors
                    .into_iter()
                    .zip(&aligned)
                    .map(|(vector, face)| EmbeddedFace {
                        vector,
                        sharpness: sharpness(face),
                    }),
            );
        }
        Ok(out)
    }

    /// Gender/age scores and the 1024-d faceres descriptor of each face.
    pub fn faceres(
        &mut self,
        img: &RgbImage,
        faces: &[FaceGeometry],
    ) -> Result<FaceresOutputs, AnalysisError> {
        let session = self.session("faceres")?;
        let (mut scores, mut descriptors) = (Vec::new(), Vec::new());
        for chunk in faces.chunks(FACE_BATCH) {
            let (s, d) = demographics::faceres_outputs(session, img, chunk)?;
            scores.extend(s);
            descriptors.extend(d);
        }
        Ok((scores, descriptors))
    }

    /// EfficientNet-Lite0 on 224×224 crops (photo views or head crops).
    pub fn scene(&mut self, crops: &[RgbImage]) -> Result<Vec<SceneOutput>, AnalysisError> {
        scene::run(self.session("efficientnet-lite0")?, crops)
    }

    /// Scores of one per-face stage for every face.
    pub fn face_scores(
        &mut self,
        stage: Stage,
        img: &RgbImage,
        faces: &[FaceGeometry],
    ) -> Result<Vec<Vec<Score>>, AnalysisError> {
        let mut out = Vec::with_capacity(faces.len());
        for chunk in faces.chunks(FACE_BATCH) {
            let scores = match stage {
                Stage::Demographics => {
                    demographics::estimate(self.session("faceres")?, img, chunk)?
                }
                Stage::Emotion => emotion::classify(self.session("emotion")?, img, chunk)?,
                Stage::FaceMesh => {
                    let [mesh, iris] =
                        self.sessions
                            .get_disjoint_mut([&"facemesh", &"iris"])
                            .map(|s| {
                                s.ok_or_else(|| {
                                    AnalysisError::Inference("face mesh models not loaded".into())
                                })
                            });
                    mesh::measure(mesh?, iris?, img, chunk)?
                }
                other => unreachable!("{} is not a per-face score stage", other.name()),
            };
            out.extend(scores);
        }
        Ok(out)
    }

    /// Runs `stages` on one photo. `stored` are the photo's stored faces (id and geometry on this
    /// working image); they are used when face detection itself is not among `stages`.
    pub fn analyse(
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

        // Faces: detected now, or the stored ones.
        let mut faces: Result<Vec<FaceGeometry>, String> =
            Ok(stored.iter().map(|(_, g)| g.clone()).collect());
        if stages.contains(&Stage::Faces) {
            let started = Instant::now();
            let version = self.version(Stage::Faces).to_string();
            match self.detect(img) {
                Ok(detections) => {
                    timings.add(Stage::Faces, detections.len(), started);
                    faces = Ok(detections.iter().map(FaceGeometry::from).collect());
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
                    record(&mut out, Stage::Faces, &version, None);
                    out.invalidated = Stage::ALL
                        .into_iter()
                        .filter(|s| s.per_face() && !stages.contains(s))
                        .map(|s| s.name().to_string())
                        .collect();
                }
                Err(e) => {
                    faces = Err(format!("face detection failed: {e}"));
                    record(&mut out, Stage::Faces, &version, Some(e.to_string()));
                }
            }
        } else {
            out.face_updates = stored
                .iter()
                .map(|(id, _)| FaceUpdate {
                    face_id: *id,
                    ..FaceUpdate::default()
                })
                .collect();
        }

        // Network outputs two per-face stages share (faceres, emotion), computed once per photo.
        let mut shared = SharedFaceOutputs::default();
        for &stage in stages.iter().filter(|s| s.per_face()) {
            let version = self.version(stage).to_string();
            let faces = match &faces {
                Ok(f) => f,
                Err(why) => {
                    record(&mut out, stage, &version, Some(why.clone()));
                    continue;
                }
            };
            let started = Instant::now();
            let result = if faces.is_empty() {
                Ok(())
            } else if stage == Stage::Embedding {
                self.embed(img, faces).map(|embeddings| {
                    for (i, e) in embeddings.into_iter().enumerate() {
                        *embedding_slot(&mut out, i) = Some(e.vector);
                        attributes_slot(&mut out, i).push(FaceAttribute {
                            name: SHARPNESS.into(),
                            value: e.sharpness,
                            confidence: 1.0,
                            model_version: version.clone(),
                        });
                    }
                })
            } else {
                self.stage_scores(stage, img, faces, &mut shared)
                    .map(|scores| {
                        for (i, face_scores) in scores.into_iter().enumerate() {
                            attributes_slot(&mut out, i).extend(face_scores.into_iter().map(|s| {
                                FaceAttribute {
                                    name: s.name,
                                    value: s.value,
                                    confidence: s.confidence,
                                    model_version: version.clone(),
                                }
                            }));
                        }
                    })
            };
            match result {
                Ok(()) => {
                    timings.add(stage, faces.len(), started);
                    record(&mut out, stage, &version, None);
                }
                Err(e) => record(&mut out, stage, &version, Some(e.to_string())),
            }
        }

        if stages.contains(&Stage::Unsafe) {
            let version = self.version(Stage::Unsafe).to_string();
            let started = Instant::now();
            match self
                .session("opennsfw")
                .and_then(|s| unsafe_score::score(s, img))
            {
                Ok(p) => {
                    timings.add(Stage::Unsafe, 0, started);
                    out.photo_attributes.push(PhotoAttribute {
                        name: "unsafe".into(),
                        value: p,
                        model_version: version.clone(),
                    });
                    record(&mut out, Stage::Unsafe, &version, None);
                }
                Err(e) => record(&mut out, Stage::Unsafe, &version, Some(e.to_string())),
            }
        }

        if stages.contains(&Stage::Text) {
            let version = self.version(Stage::Text).to_string();
            let started = Instant::now();
            let ocr = self.ocr.as_mut().expect("loaded with the text stage");
            match ocr.read(img) {
                Ok(lines) => {
                    timings.add(Stage::Text, 0, started);
                    out.text = Some((version.clone(), lines));
                    record(&mut out, Stage::Text, &version, None);
                }
                Err(e) => record(&mut out, Stage::Text, &version, Some(e.to_string())),
            }
        }

        if stages.contains(&Stage::Labels) {
            let version = self.version(Stage::Labels).to_string();
            let started = Instant::now();
            match self.photo_labels(img) {
                Ok(found) => {
                    timings.add(Stage::Labels, 0, started);
                    out.labels = Some((version.clone(), found));
                    record(&mut out, Stage::Labels, &version, None);
                }
                Err(e) => record(&mut out, Stage::Labels, &version, Some(e.to_string())),
            }
        }
        out
    }

    /// Scene labels and the top raw classes of a photo.
    fn photo_labels(&mut self, img: &RgbImage) -> Result<Vec<PhotoLabel>, AnalysisError> {
        let view = scene::photo_view(img)?;
        let probs = self
            .scene(&[view])?
            .pop()
            .ok_or_else(|| AnalysisError::Inference("no scene output".into()))?
            .probs;
        let labels = vocabulary::labels(&probs).into_iter().map(|l| PhotoLabel {
            kind: LabelKind::Label,
            name: l.name,
            score: l.score,
        });
        let classes = vocabulary::top_classes(&probs)
            .into_iter()
            .map(|l| PhotoLabel {
                kind: LabelKind::Class,
                name: l.name,
                score: l.score,
            });
        Ok(labels.chain(classes).collect())
    }

    /// The scores of a per-face stage other than the embedding, reusing what `shared` holds.
    fn stage_scores(
        &mut self,
        stage: Stage,
        img: &RgbImage,
        faces: &[FaceGeometry],
        shared: &mut SharedFaceOutputs,
    ) -> Result<Vec<Vec<Score>>, AnalysisError> {
        match stage {
            Stage::Demographics => Ok(self.shared_faceres(img, faces, shared)?.0.clone()),
            Stage::Emotion => self.shared_emotion(img, faces, shared).cloned(),
            Stage::Appearance => {
                let probes = ProbeSet::builtin();
                let emotions: Vec<Vec<f32>> = self
                    .shared_emotion(img, faces, shared)?
                    .iter()
                    .map(|s| emotion_vector(s))
                    .collect();
                let descriptors = self.shared_faceres(img, faces, shared)?.1.clone();
                let heads: Vec<RgbImage> = faces.iter().map(|f| head_crop(img, f)).collect();
                let head = self.scene(&heads)?;
                Ok(descriptors
                    .into_iter()
                    .zip(head)
                    .zip(emotions)
                    .map(|((faceres, head), emotion)| {
                        probes.scores(&FaceDescriptors {
                            faceres,
                            head: head.features,
                            emotion,
                            ..FaceDescriptors::default()
                        })
                    })
                    .collect())
            }
            other => self.face_scores(other, img, faces),
        }
    }

    fn shared_faceres<'s>(
        &mut self,
        img: &RgbImage,
        faces: &[FaceGeometry],
        shared: &'s mut SharedFaceOutputs,
    ) -> Result<&'s FaceresOutputs, AnalysisError> {
        if shared.faceres.is_none() {
            shared.faceres = Some(self.faceres(img, faces)?);
        }
        Ok(shared.faceres.as_ref().expect("set above"))
    }

    fn shared_emotion<'s>(
        &mut self,
        img: &RgbImage,
        faces: &[FaceGeometry],
        shared: &'s mut SharedFaceOutputs,
    ) -> Result<&'s Vec<Vec<Score>>, AnalysisError> {
        if shared.emotion.is_none() {
            shared.emotion = Some(self.face_scores(Stage::Emotion, img, faces)?);
        }
        Ok(shared.emotion.as_ref().expect("set above"))
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
