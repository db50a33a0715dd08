//! Writing an EXIF block into a JPEG (kamadak-exif's experimental writer). Argus never writes to the
//! user's originals; this serves the benchmark's generated photos, test fixtures and, later, exports.

use std::io::Cursor;

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};

use argus_core::exif::ExifData;

/// Returns `jpeg` with an EXIF (APP1) segment carrying `data` and `orientation` inserted after SOI.
/// Any EXIF segment already present is left in place after the new one (readers take the first).
pub fn jpeg_with_exif(
    jpeg: &[u8],
    data: &ExifData,
    orientation: Option<u16>,
) -> Result<Vec<u8>, String> {
    if jpeg.len() < 2 || jpeg[..2] != [0xFF, 0xD8] {
        return Err("not a JPEG (no SOI marker)".into());
    }
    let tiff = exif_tiff(data, orientation)?;
    let length = 2 + 6 + tiff.len();
    if length > u16::MAX as usize {
        return Err("EXIF block too large for one APP1 segment".into());
    }
    let mut out = Vec::with_capacity(jpeg.len() + length + 2);
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE1]);
    out.extend_from_slice(&(length as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    Ok(out)
}

fn ascii(tag: Tag, text: &str) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![text.as_bytes().to_vec()]),
    }
}

fn rational(tag: Tag, values: Vec<Rational>) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Rational(values),
    }
}

fn short(tag: Tag, value: u16) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Short(vec![value]),
    }
}

/// Rational with a fixed denominator, good to 1/10000.
fn ratio(value: f64) -> Rational {
    let denom = 10_000u32;
    Rational::from(((value * denom as f64).round() as u32, denom))
}

/// Degrees as the EXIF degrees/minutes/seconds triple.
fn dms(value: f64) -> Vec<Rational> {
    let v = value.abs();
    let degrees = v.floor();
    let minutes = ((v - degrees) * 60.0).floor();
    let seconds = (v - degrees - minutes / 60.0) * 3600.0;
    vec![
        Rational::from((degrees as u32, 1)),
        Rational::from((minutes as u32, 1)),
        ratio(seconds),
    ]
}

fn exif_tiff(d: &ExifData, orientation: Option<u16>) -> Result<Vec<u8>, String> {
    let mut fields = Vec::new();
    if let Some(o) = orientation {
        fields.push(short(Tag::Orientation, o));
    }
    if let Some(make) = &d.camera_make {
        fields.push(ascii(Tag::Make, make));
    }
    if let Some(model) = &d.camera_model {
        fields.push(ascii(Tag::Model, model));
    }
    if let Some(lens) = &d.lens {
        fields.push(ascii(Tag::LensModel, lens));
    }
    if let Some(taken) = &d.taken_at {
        // 'YYYY-MM-DDTHH:MM:SS[.fff]' → 'YYYY:MM:DD HH:MM:SS' + sub-seconds.
        let (main, sub) = taken.split_once('.').unwrap_or((taken, ""));
        let exif_date = main.replacen('-', ":", 2).replace('T', " ");
        fields.push(ascii(Tag::DateTimeOriginal, &exif_date));
        if !sub.is_empty() {
            fields.push(ascii(Tag::SubSecTimeOriginal, sub));
        }
    }
    if let Some(offset) = &d.taken_offset {
        fields.push(ascii(Tag::OffsetTimeOriginal, offset));
    }
    if let Some(f) = d.focal_length {
        fields.push(rational(Tag::FocalLength, vec![ratio(f)]));
    }
    if let Some(f) = d.focal_length_35mm {
        fields.push(short(Tag::FocalLengthIn35mmFilm, f as u16));
    }
    if let Some(a) = d.aperture {
        fields.push(rational(Tag::FNumber, vec![ratio(a)]));
    }
    if let Some(t) = d.exposure_time {
        let value = if t < 1.0 {
            Rational::from((1, (1.0 / t).round() as u32))
        } else {
            ratio(t)
        };
        fields.push(rational(Tag::ExposureTime, vec![value]));
    }
    if let Some(iso) = d.iso {
        fields.push(short(Tag::PhotographicSensitivity, iso as u16));
    }
    if let (Some(lat), Some(lon)) = (d.gps_lat, d.gps_lon) {
        fields.push(ascii(
            Tag::GPSLatitudeRef,
            if lat < 0.0 { "S" } else { "N" },
        ));
        fields.push(rational(Tag::GPSLatitude, dms(lat)));
        fields.push(ascii(
            Tag::GPSLongitudeRef,
            if lon < 0.0 { "W" } else { "E" },
        ));
        fields.push(rational(Tag::GPSLongitude, dms(lon)));
    }
    if let Some(alt) = d.gps_alt {
        fields.push(Field {
            tag: Tag::GPSAltitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Byte(vec![(alt < 0.0) as u8]),
        });
        fields.push(rational(Tag::GPSAltitude, vec![ratio(alt.abs())]));
    }
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut buf = Cursor::new(Vec::new());
    writer.write(&mut buf, false).map_err(|e| e.to_string())?;
    Ok(buf.into_inner())
}
