//! Synthetic-but-realistic face embeddings for benchmarks and scale tests. Each person is a random
//! direction and each face is its person's direction plus Gaussian noise, calibrated so the pairwise
//! similarities match the ones measured on real faces (`argus dev people-eval`, LFW, MobileFaceNet):
//!
//! - identity lives in a 32-dimensional subspace of the 192-d embedding, so two different people
//!   have a similarity spread of about ±0.23 (5th–95th percentile; LFW −0.22 … 0.25), not the ±0.12
//!   of random directions in 192-d;
//! - the per-dimension noise is 0.040 scaled by a log-normal factor (σ 0.40) per face, because real
//!   photos vary in pose, light and sharpness: same-person similarity 0.49/0.66/0.75/0.83/0.90 at the
//!   5/25/50/75/95th percentile (LFW 0.50/0.65/0.74/0.80/0.88).
//!
//! Photo counts per person are skewed, as in real libraries (a few people in most photos).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use crate::catalog::{Catalog, ExifData, NewFace, PhotoRecord, PhotoStatus, Placement};
use crate::Result;

/// Embedding length of MobileFaceNet.
pub const DIM: usize = 192;
/// Dimensions that carry identity (sets the different-people similarity spread).
pub const IDENTITY_DIMS: usize = 32;
/// Median per-dimension noise of a face around its person.
pub const SPREAD: f32 = 0.040;
/// Log-normal σ of the per-face noise scale.
pub const SPREAD_VARIATION: f32 = 0.40;
/// The detector version written on synthetic faces (how to tell them apart in a catalogue).
pub const MODEL_VERSION: &str = "synthetic";

/// `faces` unit embeddings of `people` people (label = person index), seeded.
pub fn embeddings(faces: usize, people: usize, seed: u64) -> (Vec<Vec<f32>>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let unit = Normal::new(0.0f32, 1.0).expect("valid normal");
    let normalize = |v: Vec<f32>| {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
        v.into_iter().map(|x| x / n).collect::<Vec<f32>>()
    };
    let centres: Vec<Vec<f32>> = (0..people.max(1))
        .map(|_| {
            normalize(
                (0..DIM)
                    .map(|d| {
                        if d < IDENTITY_DIMS {
                            unit.sample(&mut rng)
                        } else {
                            0.0
                        }
                    })
                    .collect(),
            )
        })
        .collect();
    let mut out = Vec::with_capacity(faces);
    let mut labels = Vec::with_capacity(faces);
    for _ in 0..faces {
        // Skewed: person index ~ people × u², so low indices appear far more often.
        let u: f64 = rng.random();
        let person = ((u * u) * people.max(1) as f64) as usize;
        let sigma = SPREAD * (SPREAD_VARIATION * unit.sample(&mut rng)).exp();
        let v: Vec<f32> = centres[person]
            .iter()
            .map(|c| c + sigma * unit.sample(&mut rng))
            .collect();
        out.push(normalize(v));
        labels.push(person);
    }
    (out, labels)
}

/// Writes one synthetic photo per embedding (under a library folder that does not exist, so scans
/// treat it as offline and keep it) with one big, confident face. Returns the face ids.
pub fn insert_faces(catalog: &mut Catalog, embeddings: &[Vec<f32>]) -> Result<Vec<i64>> {
    let photos: Vec<Vec<Vec<f32>>> = embeddings.iter().map(|e| vec![e.clone()]).collect();
    Ok(insert_photos(catalog, &photos)?
        .into_iter()
        .flatten()
        .collect())
}

/// Writes one synthetic photo per entry with one big, confident face per embedding of the entry,
/// side by side (group photos). Returns each photo's face ids.
pub fn insert_photos(catalog: &mut Catalog, photos: &[Vec<Vec<f32>>]) -> Result<Vec<Vec<i64>>> {
    let mut load = catalog.bulk_append()?;
    let root = "/nonexistent/argus-synthetic-faces";
    let library = load.library(root, 0)?;
    let start = load.next_photo_id()?;
    let mut ids = Vec::with_capacity(photos.len());
    for (i, faces) in photos.iter().enumerate() {
        let n = start + i as i64;
        let photo = PhotoRecord {
            library_id: library,
            path: format!("{root}/synthetic-{n}.jpg").into(),
            size: 1,
            mtime_ns: 0,
            hash: Some(format!("{n:064x}")),
            status: PhotoStatus::Ok,
            error: None,
            format: Some("jpeg".into()),
            width: Some(1000 * faces.len().max(1) as u32),
            height: Some(1000),
            orientation: None,
            exif: ExifData::default(),
            pixel_source: Some("decoder".into()),
            other_images: 0,
            metadata: None,
        };
        let photo_id = load.photo(&photo, 0)?;
        let width = 1.0 / faces.len().max(1) as f32;
        let mut face_ids = Vec::with_capacity(faces.len());
        for (k, e) in faces.iter().enumerate() {
            let face = NewFace {
                x: (k as f32 + 0.4) * width,
                y: 0.3,
                w: 0.2 * width,
                h: 0.25,
                score: 0.95,
                embedding: Some(e.clone()),
                ..NewFace::default()
            };
            face_ids.push(load.face(photo_id, &face, MODEL_VERSION, Placement::Unseen)?);
        }
        ids.push(face_ids);
    }
    load.finish()?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::eval::{similarity_spread, LabelledFaces};

    #[test]
    fn the_spread_matches_the_one_measured_on_real_faces() {
        let (embeddings, labels) = embeddings(2000, 100, 3);
        let faces = LabelledFaces {
            names: labels.iter().map(|l| l.to_string()).collect(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            embeddings,
            missing: Vec::new(),
        };
        let spread = similarity_spread(&faces);
        // LFW with MobileFaceNet: same 0.50/0.65/0.74/0.80/0.88, different −0.22/…/0.25.
        let near = |a: f32, b: f32| (a - b).abs() <= 0.04;
        assert!(
            near(spread.same[0], 0.50) && near(spread.same[2], 0.74),
            "{spread:?}"
        );
        assert!(near(spread.same[4], 0.88), "{spread:?}");
        assert!(
            near(spread.different[0], -0.22) && near(spread.different[4], 0.25),
            "{spread:?}"
        );
    }
}
