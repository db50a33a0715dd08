//! Camera RAW files (DNG, CR2, CR3, NEF, ARW, RAF, ORF, RW2 and the other formats `rawler` reads):
//! recognising them, their facts (sensor size, orientation, EXIF and maker facts), and their pixels —
//! from the largest embedded JPEG preview when it is at least [`PREVIEW_MIN_LONG_SIDE`] on the long side
//! (what photographers' tools show, and 10–50× faster), else from a real demosaic of the sensor data.
//!
//! `rawler` is pure Rust (no C library to install) and maintained as dnglab's decoder. Some of its code
//! paths panic on malformed files, so every call into it runs under `catch_unwind` here: a broken RAW is
//! an error with a reason, never a crash.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use image::{DynamicImage, RgbImage};
use rawler::decoders::{Decoder, RawDecodeParams, RawMetadata};
use rawler::rawsource::RawSource;

use argus_core::exif::ExifData;

use crate::exif::{read_exif, taken_at};
use crate::{check_pixel_limit, DecodedPixels, FileProblem, ImageFacts, PixelSource};

/// An embedded preview at least this long on its long side is used for thumbnails and analysis; a
/// smaller one (or none) means a demosaic of the sensor data.
pub const PREVIEW_MIN_LONG_SIDE: u32 = 1280;

/// Where a RAW's pixels come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawPixels {
    /// The route the facts chose (the preview when it is at least [`PREVIEW_MIN_LONG_SIDE`], else a
    /// demosaic): thumbnails and analysis.
    #[default]
    Catalogued,
    /// The preview when it reaches the size asked for, else a demosaic (`argus export`'s default).
    Best,
    /// The embedded preview, whatever its size (a demosaic only when there is none).
    Preview,
    /// Always a demosaic of the sensor data.
    Full,
}

/// How sure the first bytes make us that a file is a camera RAW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawSignature {
    /// A container only RAW formats use (CR2, CR3, ORF, RW2, RAF, MRW, X3F).
    Certain,
    /// A plain TIFF header: DNG, NEF, ARW, PEF … or an ordinary TIFF image.
    Tiff,
    None,
}

/// Recognises RAW containers by their first bytes.
pub(crate) fn signature(bytes: &[u8]) -> RawSignature {
    let head = |n: usize| bytes.get(..n).unwrap_or(&[]);
    let is_cr2 = head(4) == b"II*\0" && bytes.get(8..10) == Some(b"CR");
    let is_cr3 = bytes.get(4..8) == Some(b"ftyp") && bytes.get(8..12) == Some(b"crx ");
    if is_cr2
        || is_cr3
        || matches!(
            head(4),
            b"IIRO" | b"IIRS" | b"MMOR" | b"IIU\0" | b"\0MRM" | b"FOVb"
        )
        || head(15) == b"FUJIFILMCCD-RAW"
    {
        RawSignature::Certain
    } else if matches!(head(4), b"II*\0" | b"MM\0*") {
        RawSignature::Tiff
    } else {
        RawSignature::None
    }
}

/// Runs `f` on the file's decoder, turning rawler's errors and panics into a [`FileProblem`].
fn with_decoder<T>(
    bytes: &[u8],
    f: impl FnOnce(&dyn Decoder, &RawSource) -> Result<T, FileProblem>,
) -> Result<T, FileProblem> {
    let source = RawSource::new_from_slice(bytes);
    catch_unwind(AssertUnwindSafe(|| {
        let decoder = rawler::get_decoder(&source).map_err(|e| raw_problem(&e))?;
        f(decoder.as_ref(), &source)
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unknown failure".into());
        Err(FileProblem(format!(
            "corrupt or unsupported camera raw: the decoder failed ({what})"
        )))
    })
}

fn raw_problem(e: &rawler::RawlerError) -> FileProblem {
    FileProblem(match e {
        rawler::RawlerError::Unsupported { make, model, .. } if !make.is_empty() => {
            format!("camera raw from a camera the decoder does not support ({make} {model})")
        }
        rawler::RawlerError::Unsupported { what, .. } => {
            format!("{NOT_A_RAW}: {what}")
        }
        rawler::RawlerError::DecoderFailed(why) => {
            format!("corrupt or truncated camera raw: {why}")
        }
    })
}

/// Whether rawler has a decoder for this (TIFF-headed) file: DNG and the TIFF-based maker formats;
/// else why not.
pub(crate) fn probe(bytes: &[u8]) -> Result<(), FileProblem> {
    with_decoder(bytes, |_, _| Ok(()))
}

/// Whether a [`probe`] failure says the file is a camera RAW, damaged or from an unknown camera
/// (rather than not one at all).
pub(crate) fn is_damaged_raw(problem: &FileProblem) -> bool {
    !problem.0.starts_with(NOT_A_RAW)
}

const NOT_A_RAW: &str = "not a camera raw the decoder can read";

/// The facts of a camera RAW file. Decodes the embedded preview (it is needed to know its size, which
/// picks the route), and keeps it in the facts so the thumbnail and analysis do not decode it again.
pub(crate) fn inspect(bytes: &[u8], max_pixels: u64) -> Result<ImageFacts, FileProblem> {
    with_decoder(bytes, |decoder, source| {
        let params = RawDecodeParams::default();
        let format = format_name(decoder);
        let metadata = decoder
            .raw_metadata(source, &params)
            .map_err(|e| raw_problem(&e))?;
        // A dummy decode reads the sensor layout without decompressing it.
        let layout = decoder
            .raw_image(source, &params, true)
            .map_err(|e| raw_problem(&e))?;
        let (width, height) = match layout.crop_area.or(layout.active_area) {
            Some(area) => (area.d.w as u32, area.d.h as u32),
            None => (layout.width as u32, layout.height as u32),
        };
        check_pixel_limit(width, height, max_pixels)?;
        let orientation = Some(layout.orientation.to_u16()).filter(|o| (1..=8).contains(o));
        let preview = largest_preview(decoder, source)?;
        let source_kind = match &preview {
            Some(p) if p.width().max(p.height()) >= PREVIEW_MIN_LONG_SIDE => {
                PixelSource::RawPreview {
                    width: p.width(),
                    height: p.height(),
                }
            }
            _ => PixelSource::RawDemosaic,
        };
        let read = read_exif(bytes);
        let mut exif = read.data;
        fill_from_raw_metadata(&mut exif, &metadata);
        Ok(ImageFacts {
            format,
            stored_width: width,
            stored_height: height,
            orientation,
            exif,
            exif_texts: read.texts,
            source: source_kind,
            other_images: 0,
            decoded: preview.map(|p| DecodedPixels(Arc::new(p))),
        })
    })
}

/// The largest embedded JPEG preview, if any, as stored (not yet turned upright).
fn largest_preview(
    decoder: &dyn Decoder,
    source: &RawSource,
) -> Result<Option<RgbImage>, FileProblem> {
    let params = RawDecodeParams::default();
    let mut best: Option<DynamicImage> = None;
    // A broken preview is not a broken file: the sensor data may still be fine.
    for candidate in [
        decoder.full_image(source, &params),
        decoder.preview_image(source, &params),
    ]
    .into_iter()
    .filter_map(|r| r.ok().flatten())
    {
        let long = |i: &DynamicImage| i.width().max(i.height());
        if best.as_ref().is_none_or(|b| long(&candidate) > long(b)) {
            best = Some(candidate);
        }
        if best
            .as_ref()
            .is_some_and(|b| long(b) >= PREVIEW_MIN_LONG_SIDE)
        {
            break;
        }
    }
    // Previews are JPEGs: no transparency to flatten.
    Ok(best.map(DynamicImage::into_rgb8))
}

/// Pixels of a RAW (as stored, before the orientation), the route chosen by `choice` and the size the
/// caller needs (`min_long_side`).
pub(crate) fn decode(
    bytes: &[u8],
    facts: &ImageFacts,
    min_long_side: u32,
    choice: RawPixels,
) -> Result<RgbImage, FileProblem> {
    let preview = facts.decoded.as_ref().map(|d| d.0.clone());
    let preview_long = preview
        .as_ref()
        .map(|p| p.width().max(p.height()))
        .unwrap_or(0);
    let use_preview = match choice {
        RawPixels::Catalogued => matches!(facts.source, PixelSource::RawPreview { .. }),
        RawPixels::Preview => preview.is_some(),
        RawPixels::Full => false,
        RawPixels::Best => preview_long > 0 && preview_long >= min_long_side,
    };
    match preview {
        Some(p) if use_preview => Ok(Arc::unwrap_or_clone(p)),
        _ => demosaic(bytes),
    }
}

/// A full demosaic of the sensor data to sRGB (white balance, colour calibration, default crop).
pub fn demosaic(bytes: &[u8]) -> Result<RgbImage, FileProblem> {
    with_decoder(bytes, |decoder, source| {
        let params = RawDecodeParams::default();
        let raw = decoder
            .raw_image(source, &params, false)
            .map_err(|e| raw_problem(&e))?;
        let developed = rawler::imgop::develop::RawDevelop::default()
            .develop_intermediate(&raw)
            .map_err(|e| raw_problem(&e))?
            .to_dynamic_image()
            .ok_or_else(|| {
                FileProblem("the camera raw's sensor data could not be developed".into())
            })?;
        Ok(developed.into_rgb8())
    })
}

/// The lower-case name of the decoder's format: `dng`, `cr2`, `nef` ….
fn format_name(decoder: &dyn Decoder) -> &'static str {
    use rawler::decoders::FormatHint as F;
    match decoder.format_hint() {
        F::CR2 => "cr2",
        F::CR3 => "cr3",
        F::CRW => "crw",
        F::NEF => "nef",
        F::NRW => "nrw",
        F::ARW => "arw",
        F::RAF => "raf",
        F::RW2 => "rw2",
        F::DNG => "dng",
        F::ORF => "orf",
        F::PEF => "pef",
        F::SRW => "srw",
        F::IIQ => "iiq",
        F::MRW => "mrw",
        F::X3F => "x3f",
        F::ERF => "erf",
        F::KDC | F::DCR | F::DCS => "kdc",
        F::MEF => "mef",
        F::MOS => "mos",
        F::TFR => "3fr",
        F::ARI => "ari",
        F::QTK => "qtk",
        F::Unknown => "raw",
    }
}

/// Fills what kamadak-exif could not read (CR3, RAF, ORF and RW2 are not TIFF containers it knows)
/// from the decoder's metadata, which also covers the makers' own notes.
fn fill_from_raw_metadata(exif: &mut ExifData, metadata: &RawMetadata) {
    let raw = &metadata.exif;
    let text = |s: &str| {
        let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
        (!s.is_empty()).then(|| s.to_string())
    };
    let ratio = |r: &rawler::formats::tiff::Rational| {
        (r.d != 0)
            .then(|| r.n as f64 / r.d as f64)
            .filter(|v| v.is_finite() && *v > 0.0)
    };
    if exif.taken_at.is_none() {
        for (date, subsec, offset) in [
            (
                &raw.date_time_original,
                &raw.sub_sec_time_original,
                &raw.offset_time_original,
            ),
            (
                &raw.create_date,
                &raw.sub_sec_time_digitized,
                &raw.offset_time_digitized,
            ),
        ] {
            if let Some(date) = date {
                let (taken, offset) = taken_at(
                    date.as_bytes(),
                    subsec.as_deref().map(str::as_bytes),
                    offset.as_deref().map(str::as_bytes),
                );
                if taken.is_some() {
                    exif.taken_at = taken;
                    exif.taken_offset = offset;
                    break;
                }
            }
        }
    }
    exif.camera_make = exif.camera_make.take().or_else(|| text(&metadata.make));
    exif.camera_model = exif.camera_model.take().or_else(|| text(&metadata.model));
    exif.lens = exif.lens.take().or_else(|| {
        raw.lens_model
            .as_deref()
            .and_then(text)
            .or_else(|| metadata.lens.as_ref().and_then(|l| text(&l.lens_model)))
    });
    exif.focal_length = exif
        .focal_length
        .or_else(|| raw.focal_length.as_ref().and_then(ratio));
    exif.aperture = exif
        .aperture
        .or_else(|| raw.fnumber.as_ref().and_then(ratio));
    exif.exposure_time = exif
        .exposure_time
        .or_else(|| raw.exposure_time.as_ref().and_then(ratio));
    exif.iso = exif.iso.or_else(|| {
        raw.iso_speed_ratings
            .map(u32::from)
            .or(raw.iso_speed)
            .filter(|v| *v > 0)
    });
    if let Some(gps) = &raw.gps {
        let coordinate = |dms: &Option<[rawler::formats::tiff::Rational; 3]>,
                          reference: &Option<String>,
                          negative: &str,
                          limit: f64| {
            let dms = dms.as_ref()?;
            let part =
                |r: &rawler::formats::tiff::Rational| (r.d != 0).then(|| r.n as f64 / r.d as f64);
            let mut v = part(&dms[0])?
                + part(&dms[1]).unwrap_or(0.0) / 60.0
                + part(&dms[2]).unwrap_or(0.0) / 3600.0;
            if reference.as_deref().map(|r| r.trim_matches('\0')) == Some(negative) {
                v = -v;
            }
            (v.is_finite() && v.abs() <= limit).then_some(v)
        };
        exif.gps_lat = exif
            .gps_lat
            .or_else(|| coordinate(&gps.gps_latitude, &gps.gps_latitude_ref, "S", 90.0));
        exif.gps_lon = exif
            .gps_lon
            .or_else(|| coordinate(&gps.gps_longitude, &gps.gps_longitude_ref, "W", 180.0));
        exif.gps_alt = exif.gps_alt.or_else(|| {
            let alt = gps.gps_altitude.as_ref().and_then(ratio)?;
            Some(if gps.gps_altitude_ref == Some(1) {
                -alt
            } else {
                alt
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        assert_eq!(signature(b"II*\0\x10\0\0\0CR\x02\0"), RawSignature::Certain);
        assert_eq!(signature(b"FUJIFILMCCD-RAW 0201"), RawSignature::Certain);
        assert_eq!(signature(b"IIU\0\x08\0\0\0"), RawSignature::Certain);
        assert_eq!(
            signature(b"\0\0\0\x18ftypcrx \0\0\0\x01"),
            RawSignature::Certain
        );
        assert_eq!(signature(b"MM\0*\0\0\0\x08"), RawSignature::Tiff);
        assert_eq!(signature(b"\xff\xd8\xff\xe1"), RawSignature::None);
        assert_eq!(signature(b""), RawSignature::None);
    }

    #[test]
    fn text_pretending_to_be_a_raw_is_an_error_not_a_panic() {
        let problem = inspect(b"II*\0 this is not a camera raw at all", u64::MAX).unwrap_err();
        assert!(problem.0.contains("raw"), "{problem}");
    }
}
