//! Which photo of a duplicate group to keep: the one with the most to lose. In order —
//! 1. most pixels (a resized or cropped copy has fewer);
//! 2. the most camera metadata (capture time, camera, GPS: what chat apps and exports strip);
//! 3. the sharpest (variance of the Laplacian at 512 px: the steady frame of a burst);
//! 4. the largest file (least compressed);
//! 5. the oldest file (the original, when the rest is equal: exact copies);
//! 6. the lowest id (first catalogued) — so the choice is stable.

use std::cmp::Ordering;

use serde::Serialize;

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

/// The rule of the order that decided between two photos (the app's Duplicates view says why it
/// suggests keeping a photo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum KeepReason {
    /// More pixels.
    Pixels,
    /// More camera metadata (capture time, camera, GPS).
    Metadata,
    /// Sharper.
    Sharpness,
    /// A larger file.
    FileSize,
    /// An older file.
    Oldest,
    /// Catalogued first (everything else equal).
    FirstCatalogued,
}

/// One rule: `Less` when `a` is the better photo to keep by it.
type Rule = fn(&Candidate<'_>, &Candidate<'_>) -> Ordering;

/// The rules in order, each with the reason it gives.
const RULES: [(KeepReason, Rule); 6] = [
    (KeepReason::Pixels, |a, b| {
        pixels(b.photo).cmp(&pixels(a.photo))
    }),
    (KeepReason::Metadata, |a, b| {
        metadata_richness(b.photo).cmp(&metadata_richness(a.photo))
    }),
    (KeepReason::Sharpness, |a, b| {
        b.sharpness.total_cmp(&a.sharpness)
    }),
    (KeepReason::FileSize, |a, b| b.photo.size.cmp(&a.photo.size)),
    (KeepReason::Oldest, |a, b| {
        a.photo.mtime_ns.cmp(&b.photo.mtime_ns)
    }),
    (KeepReason::FirstCatalogued, |a, b| {
        a.photo.id.cmp(&b.photo.id)
    }),
];

/// `Less` when `a` is the better photo to keep.
pub fn compare(a: &Candidate<'_>, b: &Candidate<'_>) -> Ordering {
    RULES
        .iter()
        .map(|(_, rule)| rule(a, b))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// The first rule that tells `a` and `b` apart (the last one when nothing does: the same photo).
pub fn deciding_rule(a: &Candidate<'_>, b: &Candidate<'_>) -> KeepReason {
    RULES
        .iter()
        .find(|(_, rule)| rule(a, b).is_ne())
        .map_or(KeepReason::FirstCatalogued, |(reason, _)| *reason)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use argus_catalog::PhotoStatus;

    fn photo(id: i64, width: u32, size: u64) -> Photo {
        Photo {
            id,
            library_id: 1,
            path: PathBuf::from(format!("/p/{id}.jpg")),
            file_name: format!("{id}.jpg"),
            size,
            mtime_ns: 0,
            hash: None,
            status: PhotoStatus::Ok,
            error: None,
            format: Some("jpeg".into()),
            width: Some(width),
            height: Some(width),
            orientation: None,
            pixel_source: None,
            other_images: 0,
            shot_of: None,
            stack_kind: None,
            added_at: 0,
            updated_at: 0,
            exif: Default::default(),
        }
    }

    fn candidate(photo: &Photo, sharpness: f32) -> Candidate<'_> {
        Candidate { photo, sharpness }
    }

    #[test]
    fn the_deciding_rule_is_the_first_that_tells_two_photos_apart() {
        let (big, small) = (photo(2, 100, 10), photo(1, 50, 20));
        let (a, b) = (candidate(&big, 1.0), candidate(&small, 9.0));
        assert_eq!(compare(&a, &b), Ordering::Less);
        assert_eq!(deciding_rule(&a, &b), KeepReason::Pixels);

        let (sharp, soft) = (photo(3, 100, 10), photo(4, 100, 20));
        let (a, b) = (candidate(&sharp, 9.0), candidate(&soft, 1.0));
        assert_eq!(compare(&a, &b), Ordering::Less);
        assert_eq!(deciding_rule(&a, &b), KeepReason::Sharpness);

        let (first, copy) = (photo(5, 100, 10), photo(6, 100, 10));
        let (a, b) = (candidate(&first, 1.0), candidate(&copy, 1.0));
        assert_eq!(compare(&a, &b), Ordering::Less);
        assert_eq!(deciding_rule(&a, &b), KeepReason::FirstCatalogued);
    }
}
