//! EXIF extraction with kamadak-exif: date taken (with offset and sub-seconds), camera, lens, exposure,
//! GPS and orientation. Missing or malformed fields are left empty; a broken EXIF block never makes a
//! photo unreadable.

use std::io::Cursor;

use exif::{Exif, In, Tag, Value};

use argus_core::exif::ExifData;
use argus_core::metadata::ExifTexts;

/// The EXIF fields Argus keeps, plus the orientation (which also drives thumbnails).
#[derive(Debug, Clone, Default)]
pub struct ExifRead {
    pub data: ExifData,
    pub orientation: Option<u16>,
    pub texts: ExifTexts,
}

/// Reads EXIF from a JPEG, TIFF, PNG, WebP or HEIF file's bytes. Returns empty data when there is none.
pub fn read_exif(bytes: &[u8]) -> ExifRead {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => from_exif(&exif),
        Err(_) => ExifRead::default(),
    }
}

/// Reads a bare EXIF block (a TIFF structure, as HEIF and camera RAW containers hold it).
pub(crate) fn read_exif_block(tiff: Vec<u8>) -> ExifRead {
    match exif::Reader::new().read_raw(tiff) {
        Ok(exif) => from_exif(&exif),
        Err(_) => ExifRead::default(),
    }
}

fn from_exif(exif: &Exif) -> ExifRead {
    let (taken_at, taken_offset) = date_taken(exif);
    let data = ExifData {
        taken_at,
        taken_offset,
        camera_make: text(exif, Tag::Make),
        camera_model: text(exif, Tag::Model),
        lens: text(exif, Tag::LensModel),
        focal_length: positive(rational(exif, Tag::FocalLength, 0)),
        focal_length_35mm: uint(exif, Tag::FocalLengthIn35mmFilm).filter(|v| *v > 0),
        aperture: positive(rational(exif, Tag::FNumber, 0)),
        exposure_time: positive(rational(exif, Tag::ExposureTime, 0)),
        iso: uint(exif, Tag::PhotographicSensitivity)
            .or_else(|| uint(exif, Tag::ISOSpeed))
            .filter(|v| *v > 0),
        gps_lat: gps_coordinate(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S', 90.0),
        gps_lon: gps_coordinate(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W', 180.0),
        gps_alt: gps_altitude(exif),
    };
    let orientation = uint(exif, Tag::Orientation)
        .filter(|v| (1..=8).contains(v))
        .map(|v| v as u16);
    let texts = ExifTexts {
        description: text(exif, Tag::ImageDescription).filter(|d| !is_camera_default(d)),
        artist: text(exif, Tag::Artist),
        copyright: text(exif, Tag::Copyright),
    };
    ExifRead {
        data,
        orientation,
        texts,
    }
}

/// Descriptions cameras write by themselves, which say nothing about the photo.
fn is_camera_default(description: &str) -> bool {
    const DEFAULTS: [&str; 8] = [
        "OLYMPUS DIGITAL CAMERA",
        "SONY DSC",
        "DIGITAL CAMERA",
        "KODAK Digital Still Camera",
        "Default",
        "DCIM",
        "SAMSUNG",
        "Exif_JPEG_PICTURE",
    ];
    DEFAULTS
        .iter()
        .any(|d| description.trim().eq_ignore_ascii_case(d))
}

fn field(exif: &Exif, tag: Tag) -> Option<&exif::Field> {
    exif.get_field(tag, In::PRIMARY)
}

fn ascii(exif: &Exif, tag: Tag) -> Option<&[u8]> {
    match &field(exif, tag)?.value {
        Value::Ascii(parts) => parts.first().map(|v| v.as_slice()),
        _ => None,
    }
}

fn text(exif: &Exif, tag: Tag) -> Option<String> {
    let raw = ascii(exif, tag)?;
    let s = String::from_utf8_lossy(raw);
    let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!s.is_empty()).then(|| s.to_string())
}

fn uint(exif: &Exif, tag: Tag) -> Option<u32> {
    field(exif, tag)?.value.get_uint(0)
}

fn rational(exif: &Exif, tag: Tag, index: usize) -> Option<f64> {
    match &field(exif, tag)?.value {
        Value::Rational(v) => v.get(index).filter(|r| r.denom != 0).map(|r| r.to_f64()),
        Value::SRational(v) => v.get(index).filter(|r| r.denom != 0).map(|r| r.to_f64()),
        _ => None,
    }
}

fn positive(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite() && *x > 0.0)
}

/// Date taken as local wall-clock time plus the recorded UTC offset, trying the original, digitised and
/// file-change times in that order.
fn date_taken(exif: &Exif) -> (Option<String>, Option<String>) {
    let candidates = [
        (
            Tag::DateTimeOriginal,
            Tag::OffsetTimeOriginal,
            Tag::SubSecTimeOriginal,
        ),
        (
            Tag::DateTimeDigitized,
            Tag::OffsetTimeDigitized,
            Tag::SubSecTimeDigitized,
        ),
        (Tag::DateTime, Tag::OffsetTime, Tag::SubSecTime),
    ];
    for (date_tag, offset_tag, subsec_tag) in candidates {
        let Some(raw) = ascii(exif, date_tag) else {
            continue;
        };
        let taken = taken_at(raw, ascii(exif, subsec_tag), ascii(exif, offset_tag));
        if taken.0.is_some() {
            return taken;
        }
    }
    (None, None)
}

/// An EXIF date (`YYYY:MM:DD HH:MM:SS`) with its sub-seconds and UTC offset as Argus stores them:
/// `YYYY-MM-DDTHH:MM:SS[.fff]` and `+02:00`. `(None, None)` when the date is not a real one.
pub(crate) fn taken_at(
    date: &[u8],
    subsec: Option<&[u8]>,
    offset: Option<&[u8]>,
) -> (Option<String>, Option<String>) {
    let Ok(mut dt) = exif::DateTime::from_ascii(date) else {
        return (None, None);
    };
    if !(1..=12).contains(&dt.month)
        || !(1..=31).contains(&dt.day)
        || dt.hour > 23
        || dt.minute > 59
        || dt.second > 60
        || dt.year < 1800
    {
        return (None, None);
    }
    if let Some(sub) = subsec {
        let _ = dt.parse_subsec(sub);
    }
    if let Some(off) = offset {
        let _ = dt.parse_offset(off);
    }
    let mut taken = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second
    );
    if let Some(ns) = dt.nanosecond {
        taken.push_str(&format!(".{:03}", ns / 1_000_000));
    }
    let offset = dt.offset.filter(|m| m.abs() <= 14 * 60).map(|minutes| {
        let sign = if minutes < 0 { '-' } else { '+' };
        let m = minutes.unsigned_abs();
        format!("{sign}{:02}:{:02}", m / 60, m % 60)
    });
    (Some(taken), offset)
}

/// Degrees from the degrees/minutes/seconds triple, negative for the south or west reference.
fn gps_coordinate(
    exif: &Exif,
    tag: Tag,
    ref_tag: Tag,
    negative_ref: u8,
    limit: f64,
) -> Option<f64> {
    let degrees = rational(exif, tag, 0)?;
    let minutes = rational(exif, tag, 1).unwrap_or(0.0);
    let seconds = rational(exif, tag, 2).unwrap_or(0.0);
    let mut value = degrees + minutes / 60.0 + seconds / 3600.0;
    if ascii(exif, ref_tag).and_then(|r| r.first()).copied() == Some(negative_ref) {
        value = -value;
    }
    (value.is_finite() && value.abs() <= limit).then_some(value)
}

fn gps_altitude(exif: &Exif) -> Option<f64> {
    let altitude = rational(exif, Tag::GPSAltitude, 0)?;
    let below_sea = uint(exif, Tag::GPSAltitudeRef) == Some(1);
    Some(if below_sea { -altitude } else { altitude })
}
