//! Which photo of a duplicate group to keep: the one with the most to lose. In order —
//! 1. most pixels (a resized or cropped copy has fewer);
//! 2. the most camera metadata (capture time, camera, GPS: what chat apps and exports strip);
//! 3. the sharpest (variance of the Laplacian at 512 px: the steady frame of a burst);
//! 4. the largest file (least compressed);
//! 5. the oldest file (the original, when the rest is equal: exact copies);
//! 6. the lowest id (first catalogued) — so the choice is stable.

use std::cmp::Ordering;

use argus_catalog::Photo;

/// What the rule reads about one photo.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub photo: &'a Photo,
    pub sharpness: f32,
}

/// How much camera metadata a photo carries (0–3).
pub fn metadata_richness(photo: &Photo) -> u8 {
    let exif = &photo.exif;
    exif.taken_at.is_some() as u8
        + (exif.camera_model.is_some() || exif.camera_make.is_some()) as u8
        + exif.gps_lat.is_some() as u8
}

fn pixels(photo: &Photo) -> u64 {
    u64::from(photo.width.unwrap_or(0)) * u64::from(photo.height.unwrap_or(0))
}

/// `Less` when `a` is the better photo to keep.
pub fn compare(a: &Candidate<'_>, b: &Candidate<'_>) -> Ordering {
    pixels(b.photo)
        .cmp(&pixels(a.photo))
        .then(metadata_richness(b.photo).cmp(&metadata_richness(a.photo)))
        .then(b.sharpness.total_cmp(&a.sharpness))
        .then(b.photo.size.cmp(&a.photo.size))
        .then(a.photo.mtime_ns.cmp(&b.photo.mtime_ns))
        .then(a.photo.id.cmp(&b.photo.id))
}
