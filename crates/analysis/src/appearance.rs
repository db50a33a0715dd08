//! The head crop the appearance probes look at: a square around the face, eyes level, reaching above
//! the forehead (hats) and below the chin (beards), at EfficientNet-Lite0's 224×224 input.

use image::RgbImage;

use super::align::{warp, Similarity};
use super::scene;
use argus_core::geometry::FaceGeometry;

/// Side of the head crop, in face-box sizes (the longer side of the detector's box).
pub const HEAD_SIZE: f32 = 2.0;
/// How far the crop's centre sits above the box centre, in box heights (a hat needs more room above
/// than a beard below).
pub const HEAD_LIFT: f32 = 0.2;

/// The head around a detected face, rotated so the eyes are level, at 224×224.
pub fn head_crop(img: &RgbImage, face: &FaceGeometry) -> RgbImage {
    let [x, y, w, h] = face.bbox;
    let [left_eye, right_eye] = [face.landmarks[0], face.landmarks[1]];
    let angle = (right_eye[1] - left_eye[1]).atan2(right_eye[0] - left_eye[0]);
    let (cos, sin) = (angle.cos(), angle.sin());
    // The centre, lifted along the face's own "up" (−y rotated by the eye angle).
    let lift = HEAD_LIFT * h;
    let (cx, cy) = (x + w / 2.0 + lift * sin, y + h / 2.0 - lift * cos);
    let side = scene::SIDE;
    let k = w.max(h) * HEAD_SIZE / side as f32;
    let (a, b) = (k * cos, k * sin);
    let half = side as f32 / 2.0;
    let to_source = Similarity {
        a,
        b,
        tx: cx - (a * half - b * half),
        ty: cy - (b * half + a * half),
    };
    warp(img, &to_source, side, side)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_crop_reaches_above_the_face() {
        // A white 40×40 "face" box at (80, 100) on black: the crop (80 px of source) centred 8 px
        // above the box centre shows the box in its lower part.
        let img = RgbImage::from_fn(240, 240, |x, y| {
            let inside = (80..120).contains(&x) && (100..140).contains(&y);
            image::Rgb(if inside { [255; 3] } else { [0; 3] })
        });
        let face = FaceGeometry {
            bbox: [80.0, 100.0, 40.0, 40.0],
            landmarks: [
                [90.0, 110.0],
                [110.0, 110.0],
                [100.0, 120.0],
                [92.0, 130.0],
                [108.0, 130.0],
            ],
        };
        let crop = head_crop(&img, &face);
        assert_eq!(crop.dimensions(), (224, 224));
        let white = |x: u32, y: u32| crop.get_pixel(x, y)[0] > 200;
        assert!(white(112, 112), "the face is in the middle");
        assert!(!white(112, 20), "room above the face");
        assert!(white(112, 150), "the lower face is below the centre");
        assert!(!white(112, 215), "and room below the chin");
    }
}
