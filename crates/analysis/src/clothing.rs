//! What each body wears: EfficientNet-Lite0 (the scene network) on a square window around the body,
//! its ImageNet probabilities summed into the clothing names of [`argus_core::clothing::CLOTHING`]
//! (`suit`, `jeans`, `dress` …). Run by the objects stage on the largest bodies that count.

use std::sync::OnceLock;

use image::RgbImage;
use ort::session::Session;

use super::scene;
use super::AnalysisError;
use argus_core::clothing::{CLOTHING, WEARING_STORED_SCORE};
use argus_core::imagenet::classes;
use argus_core::objects::{OBJECT_MIN_SCORE, PERSON};
use argus_core::results::{PhotoObject, Worn};
use argus_media::imaging::resize_exact;

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

/// The clothing names a body crop's ImageNet probabilities score, from the stored score, best first.
pub fn wearing(probs: &[f32]) -> Vec<Worn> {
    let mut out: Vec<Worn> = clothing_classes()
        .iter()
        .map(|(name, indices)| Worn {
            name: name.to_string(),
            score: indices.iter().filter_map(|&i| probs.get(i)).sum(),
        })
        .filter(|w| w.score >= WEARING_STORED_SCORE)
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

/// The network's view of a body: the square around its box (a tenth wider than its longer side,
/// clipped to the photo), resized to the input side. None for a box under 8 pixels.
pub fn body_view(img: &RgbImage, body: &PhotoObject) -> Option<RgbImage> {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let x0 = (body.x * w).max(0.0);
    let y0 = (body.y * h).max(0.0);
    let x1 = ((body.x + body.w) * w).min(w);
    let y1 = ((body.y + body.h) * h).min(h);
    if x1 - x0 < 8.0 || y1 - y0 < 8.0 {
        return None;
    }
    let crop = image::imageops::crop_imm(
        img,
        x0 as u32,
        y0 as u32,
        (x1 - x0) as u32,
        (y1 - y0) as u32,
    )
    .to_image();
    resize_exact(&crop, scene::SIDE, scene::SIDE).ok()
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
    let views: Vec<(usize, RgbImage)> = bodies
        .into_iter()
        .filter_map(|i| body_view(img, &objects[i]).map(|v| (i, v)))
        .collect();
    if views.is_empty() {
        return Ok(());
    }
    let crops: Vec<RgbImage> = views.iter().map(|(_, v)| v.clone()).collect();
    for ((i, _), out) in views.iter().zip(scene::run(session, &crops)?) {
        objects[*i].wearing = wearing(&out.probs);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_sums_its_classes_and_faint_ones_are_dropped() {
        let all = classes();
        let at = |name: &str| all.iter().position(|c| c.name == name).unwrap();
        let mut probs = vec![0.0; 1000];
        probs[at("suit")] = 0.4;
        probs[at("Windsor tie")] = 0.1;
        probs[at("bow tie")] = 0.05;
        probs[at("jeans")] = 0.01;
        let worn = wearing(&probs);
        let names: Vec<(&str, f32)> = worn.iter().map(|w| (w.name.as_str(), w.score)).collect();
        assert_eq!(names.len(), 2);
        assert_eq!(names[0], ("suit", 0.4));
        assert_eq!(names[1].0, "tie");
        assert!((names[1].1 - 0.15).abs() < 1e-6);
    }

    #[test]
    fn a_body_view_is_a_square_around_the_body_inside_the_photo() {
        let img = RgbImage::new(400, 300);
        let body = PhotoObject {
            class: PERSON.into(),
            score: 0.9,
            x: 0.9,
            y: 0.1,
            w: 0.1,
            h: 0.8,
            wearing: Vec::new(),
        };
        let view = body_view(&img, &body).unwrap();
        assert_eq!(view.dimensions(), (scene::SIDE, scene::SIDE));
        let tiny = PhotoObject {
            w: 0.01,
            h: 0.01,
            ..body
        };
        assert!(body_view(&img, &tiny).is_none());
    }
}
