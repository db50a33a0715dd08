//! How stored analysis results are presented (CLI `show --json`, the app): a face with a readable
//! box, named landmarks and attributes grouped the way people think of them — `gender: male (0.97)`,
//! `age: 34`, `emotion: happy` with every class's probability, and yes/no attributes (`smile`,
//! `beard`, `eyes_open` …) with their probability, yes from the attribute's calibrated threshold.
//! [`PhotoDetail`] is one photo with everything known about it (`argus show --json`, the app's photo
//! view).

use std::path::PathBuf;

use serde::Serialize;
use serde_json::{json, Map, Value};

use argus_analysis::analyzer::SHARPNESS;
use argus_catalog::{
    AnalysisRun, Catalog, FaceAttribute, Photo, PhotoLabel, PhotoStatus, StoredFace,
    StoredMetadata, StoredObject, TextLine,
};
use argus_core::objects::OBJECT_MIN_SCORE;
use argus_core::probes::ProbeSet;
use argus_core::Result;
use argus_media::thumbs::{self, ThumbCache};

/// One photo as `argus show --json` prints it and the app's photo view shows it: the catalogue row,
/// its thumbnail files and everything analysis found in it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoDetail {
    #[serde(flatten)]
    pub photo: Photo,
    pub thumbnails: Option<Thumbnails>,
    pub faces: Vec<FaceView>,
    /// Unsafe-content score, null until the unsafe stage has run.
    #[serde(rename = "unsafe")]
    pub unsafe_score: Option<Score>,
    /// Lines of text found in the photo, in reading order.
    pub text: Vec<TextLine>,
    /// Scene labels (`kind: label`: cat, beach …) and raw classes (`kind: class`), best first.
    pub labels: Vec<PhotoLabel>,
    /// Objects found with boxes (people's bodies among them), best first: those scoring at least
    /// [`argus_core::objects::OBJECT_MIN_SCORE`], the ones search finds.
    pub objects: Vec<StoredObject>,
    pub analysis_runs: Vec<AnalysisRun>,
    /// The other files of this photo's shot (a RAW+JPEG pair's RAW, or for a companion its primary).
    pub shot_files: Vec<Photo>,
    /// What other tools say about it (XMP and IPTC: keywords, rating, captions, named regions).
    pub metadata: StoredMetadata,
}

/// A photo's thumbnail files in the cache.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Thumbnails {
    pub large: PathBuf,
    pub small: PathBuf,
}

/// A photo-level score and the model version that gave it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Score {
    pub score: f32,
    pub model_version: String,
}

impl Thumbnails {
    /// The thumbnails of a good photo whose thumbnails are in the cache.
    pub fn of(photo: &Photo, cache: &ThumbCache) -> Option<Thumbnails> {
        photo
            .hash
            .as_deref()
            .filter(|h| photo.status == PhotoStatus::Ok && cache.has(h))
            .map(|h| Thumbnails {
                large: cache.path(h, thumbs::LARGE),
                small: cache.path(h, thumbs::SMALL),
            })
    }
}

impl PhotoDetail {
    /// Reads everything about `photo` from the catalogue.
    pub fn load(catalog: &Catalog, cache: &ThumbCache, photo: Photo) -> Result<PhotoDetail> {
        let id = photo.id;
        let unsafe_score = catalog
            .photo_attributes(id)?
            .into_iter()
            .find(|a| a.name == "unsafe")
            .map(|a| Score {
                score: a.value,
                model_version: a.model_version,
            });
        Ok(PhotoDetail {
            thumbnails: Thumbnails::of(&photo, cache),
            faces: catalog.faces_of(id)?.iter().map(FaceView::from).collect(),
            unsafe_score,
            text: catalog.photo_text(id)?,
            labels: catalog.photo_labels(id)?,
            objects: catalog
                .photo_objects(id)?
                .into_iter()
                .filter(|o| o.object.score >= OBJECT_MIN_SCORE)
                .collect(),
            analysis_runs: catalog.analysis_runs(id)?,
            shot_files: catalog.shot_files(&photo)?,
            metadata: catalog.photo_metadata(id)?,
            photo,
        })
    }
}

/// A face as shown to people and scripts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FaceView {
    pub id: i64,
    /// Normalised to the upright photo (0..1).
    #[serde(rename = "box")]
    pub bbox: BoxView,
    pub score: f32,
    /// Five points (`left_eye`, `right_eye`, `nose`, `mouth_left`, `mouth_right`) as `[x, y]`.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, [number, number]>"))]
    pub landmarks: Map<String, Value>,
    pub person_id: Option<i64>,
    pub has_embedding: bool,
    /// What [`attributes_view`] builds: gender, age, emotion, sharpness and every probe by name.
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "Record<string, { value: boolean | string | number; score?: number; \
                   confidence?: number; scores?: Record<string, number>; model_version: string }>"
        )
    )]
    pub attributes: Map<String, Value>,
    /// Version of the detector that found the face (`none` when no model did).
    pub model_version: String,
    /// `detected`, `region` (named in another tool, not found by detection) or `manual` (drawn).
    pub source: String,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BoxView {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

const LANDMARK_NAMES: [&str; 5] = ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"];

impl From<&StoredFace> for FaceView {
    fn from(f: &StoredFace) -> Self {
        FaceView {
            id: f.id,
            bbox: BoxView {
                x: f.x,
                y: f.y,
                w: f.w,
                h: f.h,
            },
            score: f.score,
            landmarks: LANDMARK_NAMES
                .iter()
                .zip(&f.landmarks)
                .map(|(name, p)| (name.to_string(), json!(p)))
                .collect(),
            person_id: f.person_id,
            has_embedding: !f.embedding.is_empty(),
            attributes: attributes_view(&f.attributes),
            model_version: f.model_version.clone(),
            source: f.source.clone(),
        }
    }
}

/// Groups stored attribute rows: `male` → `gender`, `age`, `emotion.*` → `emotion`, and every other
/// probability as `{value: bool, score, confidence}`.
pub fn attributes_view(attributes: &[FaceAttribute]) -> Map<String, Value> {
    let mut out = Map::new();
    let mut emotions: Vec<&FaceAttribute> = Vec::new();
    for a in attributes {
        if a.name.starts_with("emotion.") {
            emotions.push(a);
            continue;
        }
        let view = match a.name.as_str() {
            "male" => (
                "gender".to_string(),
                json!({
                    "value": if a.value >= 0.5 { "male" } else { "female" },
                    "confidence": round(a.confidence),
                    "model_version": a.model_version,
                }),
            ),
            "age" => (
                "age".to_string(),
                json!({
                    "value": (a.value as f64 * 10.0).round() / 10.0,
                    "confidence": round(a.confidence),
                    "model_version": a.model_version,
                }),
            ),
            SHARPNESS => (
                SHARPNESS.to_string(),
                json!({
                    "value": (a.value as f64 * 10.0).round() / 10.0,
                    "model_version": a.model_version,
                }),
            ),
            name => (
                name.to_string(),
                json!({
                    "value": a.value >= ProbeSet::builtin().threshold(name),
                    "score": round(a.value),
                    "confidence": round(a.confidence),
                    "model_version": a.model_version,
                }),
            ),
        };
        out.insert(view.0, view.1);
    }
    if let Some(top) = emotions.iter().max_by(|a, b| a.value.total_cmp(&b.value)) {
        let scores: Map<String, Value> = emotions
            .iter()
            .map(|a| {
                (
                    a.name["emotion.".len()..].to_string(),
                    json!(round(a.value)),
                )
            })
            .collect();
        out.insert(
            "emotion".into(),
            json!({
                "value": &top.name["emotion.".len()..],
                "confidence": round(top.value),
                "scores": scores,
                "model_version": top.model_version,
            }),
        );
    }
    out
}

fn round(v: f32) -> f64 {
    (v as f64 * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str, value: f32, confidence: f32) -> FaceAttribute {
        FaceAttribute {
            name: name.into(),
            value,
            confidence,
            model_version: "m@1".into(),
        }
    }

    #[test]
    fn groups_attributes_for_people() {
        let view = attributes_view(&[
            attr("male", 0.1, 0.9),
            attr("age", 33.26, 0.4),
            attr("emotion.happy", 0.7, 0.7),
            attr("emotion.neutral", 0.2, 0.2),
            attr("smile", 0.8, 0.8),
        ]);
        assert_eq!(view["gender"]["value"], "female");
        assert_eq!(view["gender"]["confidence"], 0.9);
        assert_eq!(view["age"]["value"], 33.3);
        assert_eq!(view["emotion"]["value"], "happy");
        assert_eq!(view["emotion"]["scores"]["neutral"], 0.2);
        assert_eq!(view["smile"]["value"], true);
        assert_eq!(view["smile"]["score"], 0.8);
    }
}
