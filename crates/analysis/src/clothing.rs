//! What each body wears: EfficientNet-Lite0 (the scene network) on two square views of the body, its
//! upper and its lower part, the ImageNet probabilities of each summed into the clothing names of
//! [`argus_core::clothing::CLOTHING`] looked for there (`suit` above, `jeans` below …). Run by the
//! objects stage on the largest bodies that count.

use std::sync::OnceLock;

use image::RgbImage;
use ort::session::Session;

use super::scene;
use super::AnalysisError;
use argus_core::clothing::{body_part, BodyPart, CLOTHING, WEARING_STORED_SCORE};
use argus_core::geometry::Rect;
use argus_core::imagenet::classes;
use argus_core::objects::{OBJECT_MIN_SCORE, PERSON};
use argus_core::results::{PhotoObject, Worn};
use argus_media::imaging::{render_region, FilterType};

/// Most bodies classified per photo (the largest).
pub const MAX_BODIES: usize = 8;

/// Each clothing name with the indices of its ImageNet classes.
fn clothing_classes() -> &'static [(&'static str, Vec<usize>)] {
    static TABLE: OnceLock<Vec<(&'static str, Vec<usize>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let all = classes();
        CLOTHING
            .iter()
            .map(|(name, members)| {
                let indices = members
                    .iter()
                    .filter_map(|m| all.iter().position(|c| c.name == *m))
                    .collect();
                (*name, indices)
            })
            .collect()
    })
}

/// The clothing names two views of a body score (each name in its part's view, the better of the
/// two for a whole-body garment), from the stored score, best first.
pub fn wearing(upper: &[f32], lower: &[f32]) -> Vec<Worn> {
    let sum = |probs: &[f32], indices: &[usize]| -> f32 {
        indices.iter().filter_map(|&i| probs.get(i)).sum()
    };
    let mut out: Vec<Worn> = clothing_classes()
        .iter()
        .map(|(name, indices)| Worn {
            name: name.to_string(),
            score: match body_part(name) {
                BodyPart::Upper => sum(upper, indices),
                BodyPart::Lower => sum(lower, indices),
                BodyPart::Whole => sum(upper, indices).max(sum(lower, indices)),
            },
        })
        .filter(|w| w.score >= WEARING_STORED_SCORE)
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

/// Share of the body box's height the upper view covers, from its top.
const UPPER_SHARE: f32 = 0.6;
/// Share of the body box's height the lower view covers, from its bottom.
const LOWER_SHARE: f32 = 0.55;
/// How much wider than the part's longer side its square view is.
const VIEW_MARGIN: f32 = 1.05;

/// The network's two views of a body: squares around its upper and its lower part (so the network
/// sees them undistorted and magnified; what falls outside the photo is black), at the input side.
/// None for a box under 8 pixels.
pub fn body_views(img: &RgbImage, body: &PhotoObject) -> Option<[RgbImage; 2]> {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let (bx, by, bw, bh) = (body.x * w, body.y * h, body.w * w, body.h * h);
    if bw < 8.0 || bh < 8.0 {
        return None;
    }
    let cx = bx + bw / 2.0;
    let upper = bh * UPPER_SHARE;
    let lower = bh * LOWER_SHARE;
    Some([
        square_view(img, cx, by + upper / 2.0, bw.max(upper) * VIEW_MARGIN)?,
        square_view(img, cx, by + bh - lower / 2.0, bw.max(lower) * VIEW_MARGIN)?,
    ])
}

/// The square of `side` pixels centred on (`cx`, `cy`), black where it leaves the photo, at the
/// network's input side: the inside part resized with a proper filter straight into place
/// ([`render_region`], as export's crops are), not sampled through [`super::align::warp`] as the
/// face crops are: an upright square needs no rotation, and the warp's bilinear sampling after its
/// pre-shrink softens the view (measured: through the warp every suit on the sample portraits
/// scored lower, by up to 0.15; on the persons set both find the same 16 clothing labels at 0.15).
fn square_view(img: &RgbImage, cx: f32, cy: f32, side: f32) -> Option<RgbImage> {
    let side = side.round().max(1.0) as i64;
    let square = Rect {
        x: (cx - side as f32 / 2.0) as i64,
        y: (cy - side as f32 / 2.0) as i64,
        w: side,
        h: side,
    };
    render_region(
        img,
        img.dimensions(),
        &square,
        (scene::SIDE, scene::SIDE),
        FilterType::CatmullRom,
        [0; 3],
    )
    .ok()
}

/// Sets what each of the largest counting bodies among `objects` wears.
pub fn dress_bodies(
    session: &mut Session,
    img: &RgbImage,
    objects: &mut [PhotoObject],
) -> Result<(), AnalysisError> {
    let mut bodies: Vec<usize> = (0..objects.len())
        .filter(|&i| objects[i].class == PERSON && objects[i].score >= OBJECT_MIN_SCORE)
        .collect();
    bodies.sort_by(|&a, &b| {
        let area = |o: &PhotoObject| o.w * o.h;
        area(&objects[b]).total_cmp(&area(&objects[a]))
    });
    bodies.truncate(MAX_BODIES);
    let mut dressed = Vec::new();
    let mut crops = Vec::new();
    for i in bodies {
        if let Some(views) = body_views(img, &objects[i]) {
            dressed.push(i);
            crops.extend(views);
        }
    }
    if crops.is_empty() {
        return Ok(());
    }
    let scored = scene::run(session, &crops)?;
    for (&i, views) in dressed.iter().zip(scored.chunks_exact(2)) {
        objects[i].wearing = wearing(&views[0].probs, &views[1].probs);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_scored_in_its_part_of_the_body_and_faint_ones_are_dropped() {
        let all = classes();
        let at = |name: &str| all.iter().position(|c| c.name == name).unwrap();
        let mut upper = vec![0.0; 1000];
        upper[at("suit")] = 0.4;
        upper[at("Windsor tie")] = 0.1;
        upper[at("bow tie")] = 0.05;
        upper[at("jeans")] = 0.3; // jeans are not looked for on the upper body
        upper[at("kimono")] = 0.05;
        let mut lower = vec![0.0; 1000];
        lower[at("jeans")] = 0.25;
        lower[at("suit")] = 0.5; // nor a suit on the lower body
        lower[at("kimono")] = 0.2; // a whole-body garment takes the better view
        lower[at("sweatshirt")] = 0.01;
        let worn = wearing(&upper, &lower);
        let names: Vec<(&str, f32)> = worn.iter().map(|w| (w.name.as_str(), w.score)).collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert_eq!(names[0], ("suit", 0.4));
        assert_eq!(names[1], ("jeans", 0.25));
        assert_eq!(names[2], ("kimono", 0.2));
        assert_eq!(names[3].0, "tie");
        assert!((names[3].1 - 0.15).abs() < 1e-6);
    }

    #[test]
    fn body_views_are_squares_around_its_parts_black_outside_the_photo() {
        let img = RgbImage::from_pixel(400, 300, image::Rgb([255, 255, 255]));
        let body = PhotoObject {
            class: PERSON.into(),
            score: 0.9,
            x: 0.9,
            y: 0.1,
            w: 0.1,
            h: 0.8,
            wearing: Vec::new(),
        };
        let [upper, lower] = body_views(&img, &body).unwrap();
        let side = scene::SIDE;
        assert_eq!(upper.dimensions(), (side, side));
        assert_eq!(lower.dimensions(), (side, side));
        // The upper part (144 px tall) makes a 151 px square centred on x = 380: its right quarter
        // lies outside the photo.
        let mid = side / 2;
        assert_eq!(upper.get_pixel(2, mid).0, [255, 255, 255]);
        assert_eq!(upper.get_pixel(side - 3, mid).0, [0, 0, 0]);
        // The lower part (132 px) ends 30 px above the photo's bottom, and so does its square.
        assert_eq!(lower.get_pixel(mid, side - 3).0, [255, 255, 255]);
        assert_eq!(lower.get_pixel(side - 3, mid).0, [0, 0, 0]);
        let tiny = PhotoObject {
            w: 0.01,
            h: 0.01,
            ..body
        };
        assert!(body_views(&img, &tiny).is_none());
    }
}
