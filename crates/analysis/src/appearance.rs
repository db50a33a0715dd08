//! The head crop the appearance probes look at: a square around the face, eyes level, reaching above
//! the forehead (hats) and below the chin (beards), at EfficientNet-Lite0's 224×224 input; and the
//! colour of the hair in it (the band above the face and the bands beside it, in CIELAB), a
//! descriptor the hair-colour probe reads besides the networks' features; and the hair view, the
//! crop's upper half magnified for the network. [`describe_heads`] turns them into the probes'
//! descriptors, for the appearance stage and for training alike.

use image::RgbImage;
use ort::session::Session;

use super::align::{warp, Similarity};
use super::scene;
use super::AnalysisError;
use argus_core::geometry::{FaceGeometry, Rect};
use argus_core::probes::{Descriptor, FaceDescriptors};
use argus_media::imaging::{render_region, FilterType};

/// Whether `wanted` names a descriptor the head crops give (only then does [`describe_heads`] need
/// EfficientNet-Lite0).
pub fn reads_heads(wanted: &[Descriptor]) -> bool {
    [Descriptor::Head, Descriptor::Hair, Descriptor::HairView]
        .iter()
        .any(|d| wanted.contains(d))
}

/// Fills in the descriptors the head crops give (`head`, `hair`, `hair_view`) of each face in
/// `out` (one per face, in order), those of them that `wanted` names; the others stay as they are.
/// The crops and views go through EfficientNet-Lite0 (`session`) together, in its batches.
pub fn describe_heads(
    session: &mut Session,
    img: &RgbImage,
    faces: &[FaceGeometry],
    wanted: &[Descriptor],
    out: &mut [FaceDescriptors],
) -> Result<(), AnalysisError> {
    if !reads_heads(wanted) {
        return Ok(());
    }
    let wants = |d: Descriptor| wanted.contains(&d);
    let heads: Vec<RgbImage> = faces.iter().map(|f| head_crop(img, f)).collect();
    if wants(Descriptor::Hair) {
        for (o, head) in out.iter_mut().zip(&heads) {
            o.hair = hair_colour(head);
        }
    }
    let views = if wants(Descriptor::HairView) {
        heads.iter().map(hair_view).collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let mut crops = if wants(Descriptor::Head) {
        heads
    } else {
        Vec::new()
    };
    let head_count = crops.len();
    crops.extend(views);
    if crops.is_empty() {
        return Ok(());
    }
    let mut features = scene::run(session, &crops)?.into_iter().map(|o| o.features);
    for (o, head) in out.iter_mut().zip(features.by_ref().take(head_count)) {
        o.head = head;
    }
    // What is left are the hair views, if any.
    for (o, view) in out.iter_mut().zip(features) {
        o.hair_view = view;
    }
    Ok(())
}

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

/// The part of a head crop the hair view shows, as (x0, y0, x1, y1) fractions of its side: above the
/// eyes, from the top of the crop, beside the face out to the ears.
const HAIR_VIEW: [f32; 4] = [0.1, 0.0, 0.9, 0.5];

/// The hair view of a head crop: the square as wide as its [`HAIR_VIEW`] part and centred on it, so
/// it reaches past the crop's top (black there) and down to the eyes, at the network's input side
/// (the hair's texture and colour at a larger scale than the whole head shows them).
pub fn hair_view(head: &RgbImage) -> Result<RgbImage, AnalysisError> {
    let side = head.width() as f32;
    let [x0, y0, x1, y1] = HAIR_VIEW.map(|f| (f * side) as i64);
    let (w, h) = (x1 - x0, y1 - y0);
    let square = Rect {
        x: x0,
        y: y0 - (w - h) / 2,
        w,
        h: w,
    };
    render_region(
        head,
        head.dimensions(),
        &square,
        (scene::SIDE, scene::SIDE),
        FilterType::CatmullRom,
        [0; 3],
    )
    .map_err(|p| AnalysisError::Image(p.0))
}

/// Where the hair is looked for in a head crop, as (x0, y0, x1, y1) fractions of its side: the
/// band above the face box (which spans x 0.25–0.75, y 0.35–0.85 of the crop) and the two bands
/// beside it, read together.
const HAIR_TOP: [f32; 4] = [0.3, 0.2, 0.7, 0.36];
const HAIR_SIDES: [[f32; 4]; 2] = [[0.14, 0.32, 0.26, 0.62], [0.74, 0.32, 0.86, 0.62]];
/// Lightness bins of the hair histogram.
const HAIR_BINS: usize = 8;

/// The hair's colour statistics in a head crop: for the band above the face, then the bands beside
/// it, the mean L*, a*, b* (/100), the standard deviation of L* (/100), a histogram of L* in
/// [`HAIR_BINS`] bins, the share of grey pixels (chroma under 10) and of yellow ones (b* over 15) —
/// 14 values each, 28 in all.
pub fn hair_colour(head: &RgbImage) -> Vec<f32> {
    let mut out = region_colour(head, &[HAIR_TOP]);
    out.extend(region_colour(head, &HAIR_SIDES));
    out
}

fn region_colour(img: &RgbImage, regions: &[[f32; 4]]) -> Vec<f32> {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let mut labs: Vec<[f32; 3]> = Vec::new();
    for [x0, y0, x1, y1] in regions {
        for y in (y0 * h) as u32..(y1 * h) as u32 {
            for x in (x0 * w) as u32..(x1 * w) as u32 {
                // Pure black is outside the photo (the crop's fill), not hair.
                let rgb = img.get_pixel(x, y).0;
                if rgb != [0, 0, 0] {
                    labs.push(lab(rgb));
                }
            }
        }
    }
    let n = labs.len().max(1) as f32;
    let mean = |i: usize| labs.iter().map(|l| l[i]).sum::<f32>() / n;
    let (l, a, b) = (mean(0), mean(1), mean(2));
    let sd = (labs.iter().map(|p| (p[0] - l).powi(2)).sum::<f32>() / n).sqrt();
    let mut bins = [0.0f32; HAIR_BINS];
    for p in &labs {
        let bin = ((p[0] / 100.0 * HAIR_BINS as f32) as usize).min(HAIR_BINS - 1);
        bins[bin] += 1.0 / n;
    }
    let grey = labs.iter().filter(|p| p[1].hypot(p[2]) < 10.0).count() as f32 / n;
    let yellow = labs.iter().filter(|p| p[2] > 15.0).count() as f32 / n;
    let mut out = vec![l / 100.0, a / 100.0, b / 100.0, sd / 100.0];
    out.extend(bins);
    out.extend([grey, yellow]);
    out
}

/// sRGB (D65) to CIELAB.
fn lab([r, g, b]: [u8; 3]) -> [f32; 3] {
    let linear = |c: u8| {
        let c = f32::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (linear(r), linear(g), linear(b));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f32| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hair_colour_reads_light_and_yellow_above_the_face() {
        // Blond above, dark beside.
        let img = RgbImage::from_fn(224, 224, |x, y| {
            let above = y < 81 && (56..168).contains(&x);
            image::Rgb(if above { [230, 200, 120] } else { [20, 20, 20] })
        });
        let hair = hair_colour(&img);
        assert_eq!(hair.len(), 28);
        assert!(hair[0] > 0.75, "light: {}", hair[0]);
        assert!(hair[13] > 0.9, "yellow: {}", hair[13]);
        assert!(hair[14] < 0.15, "dark beside: {}", hair[14]);
        assert!(hair[14 + 12] > 0.9, "grey beside: {}", hair[14 + 12]);
        let white = lab([255, 255, 255]);
        assert!((white[0] - 100.0).abs() < 0.1 && white[1].abs() < 0.1 && white[2].abs() < 0.1);
    }

    #[test]
    fn hair_view_magnifies_the_upper_half_black_above_the_crop() {
        // Red above the eyes' line (the upper half), blue below it.
        let head = RgbImage::from_fn(224, 224, |_, y| {
            image::Rgb(if y < 112 { [200, 0, 0] } else { [0, 0, 200] })
        });
        let view = hair_view(&head).unwrap();
        assert_eq!(view.dimensions(), (scene::SIDE, scene::SIDE));
        // A 179 px square from 33 px above the crop to 34 px below its middle, magnified 1.25×.
        assert_eq!(view.get_pixel(112, 10).0, [0, 0, 0], "black above the crop");
        assert_eq!(
            view.get_pixel(112, 112).0,
            [200, 0, 0],
            "hair in the middle"
        );
        assert_eq!(view.get_pixel(5, 100).0, [200, 0, 0], "the whole width");
        assert_eq!(view.get_pixel(112, 214).0, [0, 0, 200], "down to the eyes");
        let blue_rows = (0..view.height())
            .filter(|&y| view.get_pixel(112, y).0 == [0, 0, 200])
            .count();
        assert!(
            (38..=46).contains(&blue_rows),
            "{blue_rows} rows below the middle"
        );
    }

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
