//! Which faces a crop keeps: the largest, all of them, or those of one person — turned from the
//! catalogue's normalised boxes into a [`Focus`] in the upright photo's pixels.

use serde::{Deserialize, Serialize};

use super::geometry::{Focus, Rect};
use argus_catalog::StoredFace;

/// What to keep in frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusMode {
    /// The largest face.
    Largest,
    /// Every face (their union).
    All,
    /// The faces of this person (by id).
    Person(i64),
}

/// Where the focus of a crop came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FocusSource {
    LargestFace,
    AllFaces,
    Person,
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
    /// Their union in source pixels (upright), None for [`FocusSource::Content`].
    pub rect: Option<Rect>,
    #[serde(skip)]
    pub eyes_y: Option<f64>,
    /// Why the content fallback was used.
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
            rect: None,
            eyes_y: None,
            why: Some(why.into()),
        }
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
        },
        faces: kept.iter().map(|f| f.id).collect(),
        rect: Some(union),
        eyes_y: (!eye_lines.is_empty())
            .then(|| eye_lines.iter().sum::<f64>() / eye_lines.len() as f64),
        why: None,
    }
}

/// A face's box in pixels, rounded outwards and clipped to the photo (None if outside it).
pub fn face_rect(face: &StoredFace, width: u32, height: u32) -> Option<Rect> {
    let (w, h) = (f64::from(width), f64::from(height));
    let x0 = (f64::from(face.x) * w).floor().max(0.0) as i64;
    let y0 = (f64::from(face.y) * h).floor().max(0.0) as i64;
    let x1 = (f64::from(face.x + face.w) * w).ceil().min(w) as i64;
    let y1 = (f64::from(face.y + face.h) * h).ceil().min(h) as i64;
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
