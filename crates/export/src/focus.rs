//! What a crop keeps in frame: the largest face, all of them, those of one person, the whole body of
//! the largest person, or the largest object of a class — turned from the catalogue's normalised
//! boxes into a [`Focus`] in the upright photo's pixels.

use serde::{Deserialize, Serialize};

use super::geometry::{Focus, Rect};
use argus_catalog::{StoredFace, StoredObject};
use argus_core::objects::{object_matches, object_name, OBJECT_MIN_SCORE, PERSON};

/// What to keep in frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusMode {
    /// The largest face.
    Largest,
    /// Every face (their union).
    All,
    /// The faces of this person (by id).
    Person(i64),
    /// The whole body of the largest person (with the face that heads it); the largest face when no
    /// body was found.
    Body,
    /// The largest object of a class or group (`bag`), as [`argus_core::objects::object_name`]
    /// spells it.
    Object(&'static str),
}

impl FocusMode {
    /// A focus by name, as the CLI and the app spell it: `largest`, `all`, `person` (the whole body)
    /// or `object:CLASS` (a COCO class or group: `object:bag`). A person's faces are named by the
    /// front end (`person:NAME` on the command line, an id in the app).
    pub fn named(name: &str) -> Result<FocusMode, String> {
        match name.trim() {
            "largest" => Ok(FocusMode::Largest),
            "all" => Ok(FocusMode::All),
            "person" | "body" => Ok(FocusMode::Body),
            other => match other.strip_prefix("object:") {
                Some(class) => object_name(class.trim_matches('"'))
                    .map(FocusMode::Object)
                    .ok_or_else(|| {
                        format!(
                            "no object class '{class}' (a COCO class such as handbag, \
                             \"cell phone\", dog, or a group: bag, phone, vehicle, animal)"
                        )
                    }),
                None => Err(format!(
                    "unknown focus '{other}': use largest, all, person, object:CLASS or person:NAME"
                )),
            },
        }
    }
}

/// Where the focus of a crop came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FocusSource {
    LargestFace,
    AllFaces,
    Person,
    /// A whole body ([`FocusMode::Body`]).
    Body,
    /// An object ([`FocusMode::Object`]).
    Object,
    /// No face to keep: the crop is centred on the most detailed part of the photo instead.
    /// `why` in [`FocusChoice`] says why (no face found, photo not analysed, person not in it).
    Content,
}

/// The focus chosen for one photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FocusChoice {
    pub source: FocusSource,
    /// The faces kept (catalogue ids).
    pub faces: Vec<i64>,
    /// The objects kept (catalogue ids: a body, or the object of [`FocusMode::Object`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<i64>,
    /// Their union in source pixels (upright), None for [`FocusSource::Content`].
    pub rect: Option<Rect>,
    #[serde(skip)]
    pub eyes_y: Option<f64>,
    /// Why the content fallback (or, for a body, the face) was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

impl FocusChoice {
    pub fn focus(&self) -> Option<Focus> {
        self.rect.map(|rect| Focus {
            rect,
            eyes_y: self.eyes_y,
        })
    }

    fn content(why: impl Into<String>) -> FocusChoice {
        FocusChoice {
            source: FocusSource::Content,
            faces: Vec::new(),
            objects: Vec::new(),
            rect: None,
            eyes_y: None,
            why: Some(why.into()),
        }
    }
}

/// Chooses the focus of a body or object mode among `objects` (those that count; bodies with the
/// face that heads them among `faces`), normalised to the upright photo of `width × height`.
/// `analyzed` is whether the objects stage has run on the photo; face modes go to [`choose`].
pub fn choose_object(
    faces: &[StoredFace],
    objects: &[StoredObject],
    mode: FocusMode,
    width: u32,
    height: u32,
    analyzed: bool,
) -> FocusChoice {
    let area = |o: &&StoredObject| o.object.w * o.object.h;
    let counting = objects
        .iter()
        .filter(|o| o.object.score >= OBJECT_MIN_SCORE);
    let (kept, source) = match mode {
        FocusMode::Body => (
            counting
                .filter(|o| o.object.class == PERSON)
                .max_by(|a, b| area(a).total_cmp(&area(b))),
            FocusSource::Body,
        ),
        FocusMode::Object(name) => (
            counting
                .filter(|o| object_matches(name, &o.object.class))
                .max_by(|a, b| area(a).total_cmp(&area(b))),
            FocusSource::Object,
        ),
        face_mode => return choose(faces, face_mode, width, height, true),
    };
    let why = match (mode, analyzed) {
        (_, false) => "objects not analysed yet (run `argus analyze`)".to_string(),
        (FocusMode::Object(name), true) => format!("no {name} found"),
        _ => "no body found".to_string(),
    };
    let Some(kept) = kept.filter(|o| object_rect(o, width, height).is_some()) else {
        if mode == FocusMode::Body {
            // A face is still a better centre for a person than the busiest part of the photo.
            let face = choose(faces, FocusMode::Largest, width, height, true);
            if face.rect.is_some() {
                return FocusChoice {
                    why: Some(format!("{why}; kept the largest face")),
                    ..face
                };
            }
        }
        return FocusChoice::content(why);
    };
    let head = kept
        .face_id
        .and_then(|id| faces.iter().find(|f| f.id == id));
    let rects = std::iter::once(object_rect(kept, width, height))
        .chain(head.map(|f| face_rect(f, width, height)))
        .flatten();
    FocusChoice {
        source,
        faces: head.map(|f| f.id).into_iter().collect(),
        objects: vec![kept.id],
        rect: rects.reduce(union),
        eyes_y: head.and_then(|f| eye_line(f, height)),
        why: None,
    }
}

/// Chooses the focus among `faces` (normalised to the upright photo of `width × height`).
/// `analysed` is whether face detection has run on the photo.
pub fn choose(
    faces: &[StoredFace],
    mode: FocusMode,
    width: u32,
    height: u32,
    analyzed: bool,
) -> FocusChoice {
    if !analyzed {
        return FocusChoice::content("faces not analysed yet (run `argus analyze`)");
    }
    let largest = |f: &&StoredFace| f.w * f.h;
    let kept: Vec<&StoredFace> = match mode {
        FocusMode::Largest => faces
            .iter()
            .max_by(|a, b| largest(a).total_cmp(&largest(b)))
            .into_iter()
            .collect(),
        FocusMode::All => faces.iter().collect(),
        FocusMode::Person(id) => faces.iter().filter(|f| f.person_id == Some(id)).collect(),
        FocusMode::Body | FocusMode::Object(_) => {
            unreachable!("body and object modes are chosen by choose_object")
        }
    };
    let rects: Vec<Rect> = kept
        .iter()
        .filter_map(|f| face_rect(f, width, height))
        .collect();
    let Some(union) = rects.iter().copied().reduce(union) else {
        return FocusChoice::content(match (mode, faces.is_empty()) {
            (_, true) => "no face found",
            (FocusMode::Person(_), false) => "the person is not in this photo",
            _ => "no face inside the photo",
        });
    };
    let eye_lines: Vec<f64> = kept.iter().filter_map(|f| eye_line(f, height)).collect();
    FocusChoice {
        source: match mode {
            FocusMode::Largest => FocusSource::LargestFace,
            FocusMode::All => FocusSource::AllFaces,
            FocusMode::Person(_) => FocusSource::Person,
            FocusMode::Body => FocusSource::Body,
            FocusMode::Object(_) => FocusSource::Object,
        },
        faces: kept.iter().map(|f| f.id).collect(),
        objects: Vec::new(),
        rect: Some(union),
        eyes_y: (!eye_lines.is_empty())
            .then(|| eye_lines.iter().sum::<f64>() / eye_lines.len() as f64),
        why: None,
    }
}

/// A face's box in pixels, rounded outwards and clipped to the photo (None if outside it).
pub fn face_rect(face: &StoredFace, width: u32, height: u32) -> Option<Rect> {
    norm_rect([face.x, face.y, face.w, face.h], width, height)
}

/// An object's box in pixels, as [`face_rect`].
fn object_rect(o: &StoredObject, width: u32, height: u32) -> Option<Rect> {
    norm_rect(
        [o.object.x, o.object.y, o.object.w, o.object.h],
        width,
        height,
    )
}

/// A normalised box (x, y, w, h as stored) in pixels, rounded outwards and clipped to the photo
/// (None if outside it).
fn norm_rect([x, y, bw, bh]: [f32; 4], width: u32, height: u32) -> Option<Rect> {
    let (w, h) = (f64::from(width), f64::from(height));
    let x0 = (f64::from(x) * w).floor().max(0.0) as i64;
    let y0 = (f64::from(y) * h).floor().max(0.0) as i64;
    let x1 = (f64::from(x + bw) * w).ceil().min(w) as i64;
    let y1 = (f64::from(y + bh) * h).ceil().min(h) as i64;
    (x1 > x0 && y1 > y0).then_some(Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    })
}

/// The height of the eyes (mean of the two eye landmarks), in pixels.
fn eye_line(face: &StoredFace, height: u32) -> Option<f64> {
    let eyes = face.landmarks.get(..2)?;
    Some(f64::from(eyes[0][1] + eyes[1][1]) / 2.0 * f64::from(height))
}

fn union(a: Rect, b: Rect) -> Rect {
    let (x0, y0) = (a.x.min(b.x), a.y.min(b.y));
    let (x1, y1) = (a.right().max(b.right()), a.bottom().max(b.bottom()));
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(id: i64, x: f32, y: f32, w: f32, h: f32, person: Option<i64>) -> StoredFace {
        StoredFace {
            id,
            photo_id: 1,
            x,
            y,
            w,
            h,
            score: 0.9,
            landmarks: vec![[x + w * 0.3, y + h * 0.4], [x + w * 0.7, y + h * 0.4]],
            embedding: Vec::new(),
            person_id: person,
            model_version: "test".into(),
            source: "detected".into(),
            attributes: Vec::new(),
        }
    }

    #[test]
    fn modes_pick_their_faces() {
        let faces = [
            face(1, 0.1, 0.1, 0.1, 0.1, Some(7)),
            face(2, 0.5, 0.5, 0.2, 0.2, None),
        ];
        let largest = choose(&faces, FocusMode::Largest, 1000, 1000, true);
        assert_eq!(largest.faces, vec![2]);
        assert_eq!(
            largest.rect,
            Some(Rect {
                x: 500,
                y: 500,
                w: 200,
                h: 200
            })
        );
        assert!((largest.eyes_y.unwrap() - 580.0).abs() < 1.0);
        let all = choose(&faces, FocusMode::All, 1000, 1000, true);
        assert_eq!(all.source, FocusSource::AllFaces);
        assert_eq!(
            all.rect,
            Some(Rect {
                x: 100,
                y: 100,
                w: 600,
                h: 600
            })
        );
        let person = choose(&faces, FocusMode::Person(7), 1000, 1000, true);
        assert_eq!(
            (person.source, person.faces),
            (FocusSource::Person, vec![1])
        );
    }

    #[test]
    fn falls_back_to_content_and_says_why() {
        let faces = [face(1, 0.1, 0.1, 0.1, 0.1, None)];
        let absent = choose(&faces, FocusMode::Person(3), 100, 100, true);
        assert_eq!(absent.source, FocusSource::Content);
        assert_eq!(
            absent.why.as_deref(),
            Some("the person is not in this photo")
        );
        let none = choose(&[], FocusMode::Largest, 100, 100, true);
        assert_eq!(none.why.as_deref(), Some("no face found"));
        let unanalyzed = choose(&faces, FocusMode::Largest, 100, 100, false);
        assert!(unanalyzed.why.unwrap().contains("not analysed"));
    }

    fn object(id: i64, class: &str, score: f32, area: [f32; 4], face: Option<i64>) -> StoredObject {
        let [x, y, w, h] = area;
        StoredObject {
            id,
            object: argus_core::results::PhotoObject {
                class: class.into(),
                score,
                x,
                y,
                w,
                h,
                wearing: Vec::new(),
            },
            face_id: face,
            carrier_id: None,
        }
    }

    #[test]
    fn a_body_focus_keeps_the_largest_body_with_its_face_and_an_object_focus_the_largest_object() {
        let faces = [
            face(1, 0.2, 0.1, 0.1, 0.1, None),
            face(2, 0.7, 0.1, 0.05, 0.05, None),
        ];
        let objects = [
            object(10, "person", 0.9, [0.125, 0.0625, 0.25, 0.875], Some(1)),
            object(11, "person", 0.9, [0.6, 0.05, 0.2, 0.5], Some(2)),
            object(12, "person", 0.2, [0.0, 0.0, 1.0, 1.0], None),
            object(13, "handbag", 0.6, [0.3, 0.5, 0.1, 0.1], None),
            object(14, "suitcase", 0.5, [0.6, 0.6, 0.2, 0.3], None),
        ];
        let body = choose_object(&faces, &objects, FocusMode::Body, 1000, 1000, true);
        assert_eq!(
            (body.source, body.faces, body.objects),
            (FocusSource::Body, vec![1], vec![10])
        );
        assert_eq!(
            body.rect,
            Some(Rect {
                x: 125,
                y: 62,
                w: 250,
                h: 876
            })
        );
        assert!((body.eyes_y.unwrap() - 140.0).abs() < 1.0);
        let bag = choose_object(&faces, &objects, FocusMode::Object("bag"), 1000, 1000, true);
        assert_eq!((bag.source, bag.objects), (FocusSource::Object, vec![14]));
        assert!(bag.faces.is_empty());
        // No dog: the content fallback says so; no body: the largest face, saying why.
        let dog = choose_object(&faces, &objects, FocusMode::Object("dog"), 1000, 1000, true);
        assert_eq!(
            (dog.source, dog.why.as_deref()),
            (FocusSource::Content, Some("no dog found"))
        );
        let faceless = choose_object(&faces, &objects[2..], FocusMode::Body, 1000, 1000, true);
        assert_eq!(faceless.source, FocusSource::LargestFace);
        assert_eq!(
            faceless.why.as_deref(),
            Some("no body found; kept the largest face")
        );
        let unanalysed = choose_object(&[], &[], FocusMode::Body, 1000, 1000, false);
        assert!(unanalysed.why.unwrap().contains("objects not analysed"));
    }

    #[test]
    fn focus_names_parse_as_the_cli_and_the_app_write_them() {
        assert_eq!(FocusMode::named("largest"), Ok(FocusMode::Largest));
        assert_eq!(FocusMode::named("person"), Ok(FocusMode::Body));
        assert_eq!(FocusMode::named("object:Bag"), Ok(FocusMode::Object("bag")));
        assert_eq!(
            FocusMode::named("object:\"cell phone\""),
            Ok(FocusMode::Object("cell phone"))
        );
        assert!(FocusMode::named("object:unicorn")
            .unwrap_err()
            .contains("no object class"));
        assert!(FocusMode::named("middle")
            .unwrap_err()
            .contains("unknown focus"));
    }

    #[test]
    fn boxes_past_the_edge_are_clipped() {
        // Rounded outwards (12.5 → 13, 87.5 → 87), clipped at 0 and 100.
        let f = face(1, -0.125, 0.875, 0.25, 0.25, None);
        assert_eq!(
            face_rect(&f, 100, 100),
            Some(Rect {
                x: 0,
                y: 87,
                w: 13,
                h: 13
            })
        );
    }
}
