//! An export as a front end asks for it — the user's settings, already parsed into values — checked
//! and turned into [`ExportOptions`] in one place for the CLI and the app: the export folder, sizes,
//! quality, padding, zoom, the fill colour and the name template, with the same limits for both.

use std::path::PathBuf;

use crate::{Aspect, CropOptions, ExportOptions, FocusMode, OutputFormat, Target, Template};
use argus_media::raw::RawPixels;

/// The longest side, in pixels, an export may ask for.
pub const MAX_SIDE: u32 = 20_000;

/// The settings of an export.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// The export folder (absolute); nothing is written outside it.
    pub out: PathBuf,
    pub aspects: Vec<Aspect>,
    pub targets: Vec<Target>,
    pub focus: FocusMode,
    /// How much closer than the framing of the faces, 1–20.
    pub zoom: f64,
    /// Space around the faces, as a fraction of their size, 0–5.
    pub padding: f64,
    /// Fill the part of a crop outside the photo with this colour, instead of padding less.
    pub fill: Option<[u8; 3]>,
    pub format: OutputFormat,
    /// 1–100, for JPEG and WebP.
    pub quality: u8,
    /// The output name template (see [`Template`]).
    pub template: String,
    pub keep_metadata: bool,
    pub upscale: bool,
    /// Where a camera RAW's pixels come from (`--raw-source`).
    pub raw_source: RawPixels,
}

impl ExportRequest {
    /// The options of this export, or what is wrong with it (the message starts with the setting).
    pub fn options(&self) -> Result<ExportOptions, String> {
        if !self.out.is_absolute() {
            return Err(format!(
                "out: the export folder must be an absolute path: {}",
                self.out.display()
            ));
        }
        let sides = self.targets.iter().flat_map(|t| [t.width, t.height]);
        if sides.flatten().any(|side| !(1..=MAX_SIDE).contains(&side)) {
            return Err(format!(
                "width and height must be between 1 and {MAX_SIDE} pixels"
            ));
        }
        if !(1..=100).contains(&self.quality) {
            return Err("quality must be between 1 and 100".into());
        }
        let template = Template::parse(&self.template).map_err(|e| format!("template: {e}"))?;
        let options = ExportOptions {
            aspects: self.aspects.clone(),
            targets: self.targets.clone(),
            focus: self.focus,
            crop: CropOptions {
                zoom: self.zoom,
                padding: self.padding,
                fill: self.fill.is_some(),
                ..CropOptions::default()
            },
            fill_color: self.fill.unwrap_or([255, 255, 255]),
            format: self.format,
            quality: self.quality,
            template,
            keep_metadata: self.keep_metadata,
            upscale: self.upscale,
            raw_source: self.raw_source,
            ..ExportOptions::new(self.out.clone())
        };
        options.check()?;
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> ExportRequest {
        ExportRequest {
            out: std::env::temp_dir().join("argus-export"),
            aspects: vec![Aspect { w: 1, h: 1 }],
            targets: vec![Target {
                width: Some(1024),
                height: None,
            }],
            focus: FocusMode::Largest,
            zoom: 1.0,
            padding: 0.5,
            fill: Some([0, 0, 0]),
            format: OutputFormat::Jpeg,
            quality: 90,
            template: crate::DEFAULT_TEMPLATE.to_string(),
            keep_metadata: false,
            upscale: false,
            raw_source: RawPixels::Best,
        }
    }

    #[test]
    fn a_request_becomes_options_or_says_which_setting_is_wrong() {
        let options = request().options().unwrap();
        assert!(options.crop.fill);
        assert_eq!(options.fill_color, [0, 0, 0]);
        let wrong = |change: fn(&mut ExportRequest)| {
            let mut r = request();
            change(&mut r);
            r.options().unwrap_err()
        };
        assert!(wrong(|r| r.out = "relative".into()).starts_with("out:"));
        assert!(wrong(|r| r.targets[0].width = Some(MAX_SIDE + 1)).starts_with("width"));
        assert!(wrong(|r| r.quality = 0).starts_with("quality"));
        assert!(wrong(|r| r.padding = 6.0).starts_with("padding"));
        assert!(wrong(|r| r.zoom = 0.5).starts_with("zoom"));
        assert!(wrong(|r| r.template = "{nope}".into()).starts_with("template"));
        assert!(wrong(|r| r.aspects.clear()).starts_with("aspect"));
    }
}
