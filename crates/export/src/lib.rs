//! Face-aware bulk crop export: a selection of photos into crops at several aspect ratios and
//! sizes, each keeping its faces in frame.
//!
//! - [`geometry`]: the crop rectangle for an image, an aspect ratio and the faces to keep (pure);
//! - [`focus`]: which faces to keep (largest, all, a person's) from the catalogue's boxes;
//! - [`content`]: the no-face fallback (the most detailed window);
//! - [`naming`]: output names from a template, kept inside the export folder;
//! - [`encode`]: JPEG / WebP / PNG with the colour profile (and EXIF only when asked);
//! - `render`: decoding once at the scale the crops need, cutting and resizing;
//! - `manifest`: the JSON record of every crop in the folder, which also makes runs resumable;
//! - `job`: the parallel, cancellable run; `select`: the photos of a query, a person or a list;
//! - `preview`: the app's live preview (the same crops, from the catalogue and thumbnails);
//! - [`request`]: the settings of an export, checked and turned into [`ExportOptions`] once for the
//!   CLI and the app.

pub mod content;
pub mod encode;
pub mod focus;
pub mod geometry;
mod job;
mod manifest;
pub mod naming;
mod preview;
mod render;
pub mod request;
mod select;

use std::path::PathBuf;

use serde::Serialize;

pub use encode::OutputFormat;
pub use focus::{FocusChoice, FocusMode, FocusSource};
pub use geometry::{Aspect, CropOptions, Fit, Rect};
pub use job::export;
pub use manifest::{CropRecord, CropStatus, Manifest, MANIFEST_NAME};
pub use naming::{Template, DEFAULT_TEMPLATE};
pub use preview::{preview, PreviewCrop, PreviewPhoto};
pub use request::{ExportRequest, MAX_SIDE};
pub use select::{select, Selection};

/// A requested output size: a width, a height, or a box both must fit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Target {
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl Target {
    /// The output size at `aspect` (each side at least 1 pixel).
    pub fn size(&self, aspect: Aspect) -> (u32, u32) {
        let ratio = aspect.ratio();
        let by_width = |w: u32| (w, ((f64::from(w) / ratio).round() as u32).max(1));
        let by_height = |h: u32| (((f64::from(h) * ratio).round() as u32).max(1), h);
        match (self.width, self.height) {
            (Some(w), Some(h)) if f64::from(w) / f64::from(h) > ratio => by_height(h),
            (Some(w), _) => by_width(w),
            (None, Some(h)) => by_height(h),
            (None, None) => by_width(1024),
        }
    }
}

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The export folder; nothing is written outside it.
    pub out: PathBuf,
    pub aspects: Vec<Aspect>,
    pub targets: Vec<Target>,
    pub focus: FocusMode,
    pub crop: CropOptions,
    /// Colour of the part of a [`Fit::Filled`] crop outside the photo.
    pub fill_color: [u8; 3],
    pub format: OutputFormat,
    /// 1–100, for JPEG and WebP.
    pub quality: u8,
    pub template: Template,
    /// Keep the EXIF (camera, date, GPS …); by default only the colour profile is kept.
    pub keep_metadata: bool,
    /// Scale crops smaller than the requested size up to it (otherwise they keep their size).
    pub upscale: bool,
    /// Larger images are refused (decompression-bomb guard), as in the scanner.
    pub max_pixels: u64,
    /// Where a camera RAW's pixels come from: by default its embedded preview when that reaches the
    /// size a crop needs, else a full demosaic.
    pub raw_source: argus_media::raw::RawPixels,
}

impl ExportOptions {
    /// Defaults for a folder: 16:9 and 1:1 at 1024 px wide, largest face, JPEG quality 90.
    pub fn new(out: PathBuf) -> ExportOptions {
        ExportOptions {
            out,
            aspects: vec![Aspect { w: 16, h: 9 }, Aspect { w: 1, h: 1 }],
            targets: vec![Target {
                width: Some(1024),
                height: None,
            }],
            focus: FocusMode::Largest,
            crop: CropOptions::default(),
            fill_color: [255, 255, 255],
            format: OutputFormat::Jpeg,
            quality: 90,
            template: Template::parse(DEFAULT_TEMPLATE).expect("default template"),
            keep_metadata: false,
            upscale: false,
            max_pixels: argus_media::DEFAULT_MAX_PIXELS,
            raw_source: argus_media::raw::RawPixels::Best,
        }
    }
}

impl ExportOptions {
    /// Refuses settings out of range: `padding` 0–5 (a fraction of the face size), `zoom` 1–20,
    /// at least one aspect and one size.
    pub fn check(&self) -> std::result::Result<(), String> {
        if !(0.0..=5.0).contains(&self.crop.padding) {
            return Err("padding must be between 0 and 5 (a fraction of the face size)".into());
        }
        if !(1.0..=20.0).contains(&self.crop.zoom) {
            return Err("zoom must be between 1 and 20".into());
        }
        if self.aspects.is_empty() || self.targets.is_empty() {
            return Err("aspect: choose at least one aspect ratio and size".into());
        }
        Ok(())
    }
}

/// `#rrggbb` (the `#` optional) as RGB.
pub fn parse_color(s: &str) -> std::result::Result<[u8; 3], String> {
    let hex = s.trim_start_matches('#');
    let bad = || format!("'{s}' is not a colour like #ffffff");
    if hex.len() != 6 || !hex.is_ascii() {
        return Err(bad());
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
    Ok([byte(0)?, byte(2)?, byte(4)?])
}

/// A photo that could not be exported (the others go on).
#[derive(Debug, Clone, Serialize)]
pub struct ExportProblem {
    pub photo_id: i64,
    pub path: PathBuf,
    pub reason: String,
}

/// What an export did.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    pub photos: usize,
    /// Crops encoded and written in this run.
    pub written: usize,
    /// Crops already in the folder, identical to what this run would write (not redone).
    pub unchanged: usize,
    /// Crops smaller than requested because the photo is too small (and `upscale` is off).
    pub smaller_than_requested: usize,
    /// Photos with no face to keep, cropped on their most detailed part instead.
    pub content_fallbacks: usize,
    pub problems: Vec<ExportProblem>,
    /// Every crop of this run (written or unchanged).
    pub crops: Vec<CropRecord>,
    pub manifest: PathBuf,
    pub cancelled: bool,
    pub seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_sizes() {
        let a169 = Aspect { w: 16, h: 9 };
        let width = Target {
            width: Some(1024),
            height: None,
        };
        assert_eq!(width.size(a169), (1024, 576));
        let height = Target {
            width: None,
            height: Some(900),
        };
        assert_eq!(height.size(a169), (1600, 900));
        let boxed = Target {
            width: Some(1000),
            height: Some(1000),
        };
        assert_eq!(boxed.size(a169), (1000, 563));
        assert_eq!(boxed.size(Aspect { w: 9, h: 16 }), (563, 1000));
    }
}
