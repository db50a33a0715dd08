//! The app's live preview of an export: each photo's crop rectangles for the chosen aspects, from
//! the same focus choice and geometry as [`super::export`], without reading the originals. The
//! no-face fallback's detail map comes from the cached thumbnail (an upright copy at a smaller
//! scale, which [`Detail::of`] accepts), so a preview is a few milliseconds per photo.

use serde::Serialize;

use super::content::Detail;
use super::focus::FocusChoice;
use super::geometry::{plan, Crop, Fit, Rect};
use super::job::{exportable, output_size, photo_focus};
use super::ExportOptions;
use argus_catalog::Catalog;
use argus_core::Result;
use argus_media::thumbs::{ThumbCache, LARGE};

/// One crop of the preview.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviewCrop {
    /// `16:9`.
    pub aspect: String,
    /// In the upright photo's pixels (a filled crop may reach outside it).
    pub rect: Rect,
    pub fit: Fit,
    /// The output size at the first requested size.
    pub size: (u32, u32),
}

/// One photo of the preview.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviewPhoto {
    pub photo_id: i64,
    pub width: u32,
    pub height: u32,
    pub focus: FocusChoice,
    pub crops: Vec<PreviewCrop>,
}

/// The crops `options` would make of each photo (photos that cannot be exported are left out).
pub fn preview(
    catalog: &Catalog,
    cache: &ThumbCache,
    photo_ids: &[i64],
    options: &ExportOptions,
) -> Result<Vec<PreviewPhoto>> {
    let mut out = Vec::with_capacity(photo_ids.len());
    for &id in photo_ids {
        let Ok((photo, width, height)) = exportable(catalog, id)? else {
            continue;
        };
        let (focus, _) = photo_focus(catalog, id, width, height, options.focus)?;
        let focus_rect = focus.focus();
        let centre = (f64::from(width) / 2.0, f64::from(height) / 2.0);
        let detail = match (&focus_rect, &photo.hash) {
            (None, Some(hash)) => image::open(cache.path(hash, LARGE))
                .ok()
                .map(|img| Detail::of(&img.to_rgb8(), width, height)),
            _ => None,
        };
        let content = |w: i64, h: i64| detail.as_ref().map_or(centre, |d| d.centre_for(w, h));
        let requested = options.targets.first().copied().unwrap_or_default();
        let crops = options
            .aspects
            .iter()
            .map(|&aspect| {
                let crop: Crop = plan(
                    width,
                    height,
                    aspect,
                    focus_rect.as_ref(),
                    &content,
                    &options.crop,
                );
                PreviewCrop {
                    aspect: aspect.to_string(),
                    size: output_size(requested.size(aspect), &crop, options.upscale),
                    rect: crop.rect,
                    fit: crop.fit,
                }
            })
            .collect();
        out.push(PreviewPhoto {
            photo_id: id,
            width,
            height,
            focus,
            crops,
        });
    }
    Ok(out)
}
