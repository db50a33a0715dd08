//! Writing a crop: JPEG, WebP (lossy, libwebp) or PNG, with the source's colour profile and — only
//! when asked — its EXIF, made true for the crop (orientation 1, new pixel size, no thumbnail of
//! the uncropped photo).

use std::io::Cursor;
use std::str::FromStr;

use image::{ExtendedColorType, ImageEncoder, RgbImage};
use serde::Serialize;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Jpeg,
    Webp,
    Png,
}

impl OutputFormat {
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "jpg",
            OutputFormat::Webp => "webp",
            OutputFormat::Png => "png",
        }
    }
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<OutputFormat, String> {
        match s.to_ascii_lowercase().as_str() {
            "jpeg" | "jpg" => Ok(OutputFormat::Jpeg),
            "webp" => Ok(OutputFormat::Webp),
            "png" => Ok(OutputFormat::Png),
            _ => Err(format!("unknown format '{s}' (jpeg, webp or png)")),
        }
    }
}

/// Metadata carried from the source into its crops.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// The ICC colour profile, always kept: without it colours shift.
    pub icc: Option<Vec<u8>>,
    /// EXIF (TIFF bytes), only with `--keep-metadata`.
    pub exif: Option<Vec<u8>>,
}

/// Reads the colour profile and (if `keep_exif`) the EXIF of an image file's bytes.
pub fn source_metadata(bytes: &[u8], keep_exif: bool) -> Metadata {
    let decoder = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_decoder().ok());
    let Some(mut decoder) = decoder else {
        return Metadata::default();
    };
    use image::ImageDecoder;
    let icc = decoder
        .icc_profile()
        .ok()
        .flatten()
        .filter(|p| !p.is_empty());
    let exif = keep_exif
        .then(|| decoder.exif_metadata().ok().flatten())
        .flatten()
        .filter(|e| !e.is_empty());
    Metadata { icc, exif }
}

/// Encodes `img`. `quality` (1–100) applies to JPEG and WebP. `exif` is written as given (see
/// [`exif_for_crop`]).
pub fn encode(
    img: &RgbImage,
    format: OutputFormat,
    quality: u8,
    meta: &Metadata,
) -> Result<Vec<u8>, String> {
    let (w, h) = img.dimensions();
    let mut out = Vec::new();
    match format {
        OutputFormat::Jpeg => {
            let mut encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
            set_metadata(&mut encoder, meta)?;
            encoder
                .write_image(img.as_raw(), w, h, ExtendedColorType::Rgb8)
                .map_err(|e| e.to_string())?;
        }
        OutputFormat::Png => {
            let mut encoder = image::codecs::png::PngEncoder::new(&mut out);
            set_metadata(&mut encoder, meta)?;
            encoder
                .write_image(img.as_raw(), w, h, ExtendedColorType::Rgb8)
                .map_err(|e| e.to_string())?;
        }
        OutputFormat::Webp => {
            let lossy = webp::Encoder::from_rgb(img.as_raw(), w, h).encode(f32::from(quality));
            out = webp_with_metadata(&lossy, w, h, meta)?;
        }
    }
    Ok(out)
}

fn set_metadata(encoder: &mut impl ImageEncoder, meta: &Metadata) -> Result<(), String> {
    if let Some(icc) = &meta.icc {
        encoder
            .set_icc_profile(icc.clone())
            .map_err(|e| format!("cannot embed the colour profile: {e}"))?;
    }
    if let Some(exif) = &meta.exif {
        encoder
            .set_exif_metadata(exif.clone())
            .map_err(|e| format!("cannot embed EXIF: {e}"))?;
    }
    Ok(())
}

/// Wraps a simple lossy WebP (`RIFF…WEBPVP8 `) in the extended format with ICCP and EXIF chunks.
fn webp_with_metadata(simple: &[u8], w: u32, h: u32, meta: &Metadata) -> Result<Vec<u8>, String> {
    if meta.icc.is_none() && meta.exif.is_none() {
        return Ok(simple.to_vec());
    }
    if simple.len() < 20 || &simple[..4] != b"RIFF" || &simple[8..12] != b"WEBP" {
        return Err("libwebp returned something that is not a WebP file".into());
    }
    let bitstream = &simple[12..];
    let mut flags = 0u8;
    if meta.icc.is_some() {
        flags |= 0x20;
    }
    if meta.exif.is_some() {
        flags |= 0x08;
    }
    let mut vp8x = vec![flags, 0, 0, 0];
    vp8x.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    push_chunk(&mut body, b"VP8X", &vp8x);
    if let Some(icc) = &meta.icc {
        push_chunk(&mut body, b"ICCP", icc);
    }
    body.extend_from_slice(bitstream);
    if let Some(exif) = &meta.exif {
        push_chunk(&mut body, b"EXIF", exif);
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

fn push_chunk(out: &mut Vec<u8>, tag: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(tag);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

const ORIENTATION: u16 = 0x0112;
const EXIF_IFD: u16 = 0x8769;
const PIXEL_X: u16 = 0xA002;
const PIXEL_Y: u16 = 0xA003;

/// The source's EXIF made true for a `w × h` upright crop: orientation 1, the pixel size tags set,
/// and the thumbnail (IFD1, a picture of the whole uncropped photo) dropped. None if it is not
/// valid TIFF.
pub fn exif_for_crop(tiff: &[u8], w: u32, h: u32) -> Option<Vec<u8>> {
    let little = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let mut t = Tiff {
        bytes: tiff.to_vec(),
        little,
    };
    if t.u16_at(2)? != 42 {
        return None;
    }
    let ifd0 = t.u32_at(4)? as usize;
    let (next_ifd, exif_ifd) = t.patch_ifd(ifd0, w, h)?;
    t.put(next_ifd, 4, 0)?;
    if let Some(sub) = exif_ifd {
        t.patch_ifd(sub, w, h)?;
    }
    Some(t.bytes)
}

/// TIFF bytes with their byte order.
struct Tiff {
    bytes: Vec<u8>,
    little: bool,
}

impl Tiff {
    fn u16_at(&self, at: usize) -> Option<u16> {
        let v = [*self.bytes.get(at)?, *self.bytes.get(at + 1)?];
        Some(if self.little {
            u16::from_le_bytes(v)
        } else {
            u16::from_be_bytes(v)
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let v: [u8; 4] = self.bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if self.little {
            u32::from_le_bytes(v)
        } else {
            u32::from_be_bytes(v)
        })
    }

    /// Writes `value` as a `len`-byte (2 or 4) integer at `at`.
    fn put(&mut self, at: usize, len: usize, value: u32) -> Option<()> {
        let slot = self.bytes.get_mut(at..at + len)?;
        match (len, self.little) {
            (2, true) => slot.copy_from_slice(&(value as u16).to_le_bytes()),
            (2, false) => slot.copy_from_slice(&(value as u16).to_be_bytes()),
            (_, true) => slot.copy_from_slice(&value.to_le_bytes()),
            (_, false) => slot.copy_from_slice(&value.to_be_bytes()),
        }
        Some(())
    }

    /// Sets orientation and pixel size in the IFD at `ifd`; returns where its next-IFD offset is
    /// and the Exif sub-IFD's offset if it points to one.
    fn patch_ifd(&mut self, ifd: usize, w: u32, h: u32) -> Option<(usize, Option<usize>)> {
        let count = self.u16_at(ifd)? as usize;
        let mut exif_ifd = None;
        // Entries: tag (2), type (2), count (4), value or offset (4). SHORT = 3, LONG = 4.
        for i in 0..count {
            let entry = ifd + 2 + i * 12;
            let (tag, kind, value) = (self.u16_at(entry)?, self.u16_at(entry + 2)?, entry + 8);
            let new = match tag {
                ORIENTATION => Some(1),
                PIXEL_X => Some(w),
                PIXEL_Y => Some(h),
                EXIF_IFD => {
                    exif_ifd = Some(self.u32_at(value)? as usize);
                    None
                }
                _ => None,
            };
            match (new, kind) {
                (Some(v), 3) => self.put(value, 2, v)?,
                (Some(v), 4) => self.put(value, 4, v)?,
                _ => {}
            }
        }
        Some((ifd + 2 + count * 12, exif_ifd))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argus_catalog::ExifData;

    fn picture() -> RgbImage {
        RgbImage::from_fn(64, 48, |x, y| {
            image::Rgb([(x * 4) as u8, (y * 5) as u8, 128])
        })
    }

    /// Stand-in profile bytes: what matters is that they arrive unchanged.
    fn profile() -> Vec<u8> {
        (0..=255u8).cycle().take(700).collect()
    }

    fn read_back(bytes: &[u8]) -> (u32, u32, Option<Vec<u8>>, Option<Vec<u8>>) {
        use image::ImageDecoder;
        let mut decoder = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap();
        let (w, h) = decoder.dimensions();
        (
            w,
            h,
            decoder.icc_profile().unwrap(),
            decoder.exif_metadata().unwrap(),
        )
    }

    #[test]
    fn every_format_keeps_the_color_profile_and_size() {
        let meta = Metadata {
            icc: Some(profile()),
            exif: None,
        };
        for format in [OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Png] {
            let bytes = encode(&picture(), format, 85, &meta).unwrap();
            let (w, h, icc, exif) = read_back(&bytes);
            assert_eq!((w, h), (64, 48), "{format:?}");
            assert_eq!(icc, Some(profile()), "{format:?} profile");
            assert_eq!(exif, None, "{format:?} has no EXIF unless asked");
        }
    }

    #[test]
    fn kept_exif_is_made_true_for_the_crop() {
        let source = argus_media::jpeg_with_exif(
            &encode(&picture(), OutputFormat::Jpeg, 90, &Metadata::default()).unwrap(),
            &ExifData {
                camera_model: Some("X100V".into()),
                gps_lat: Some(38.7),
                gps_lon: Some(-9.1),
                ..ExifData::default()
            },
            Some(6),
        )
        .unwrap();
        let kept = source_metadata(&source, true).exif.unwrap();
        let fixed = exif_for_crop(&kept, 30, 20).unwrap();
        for format in [OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Png] {
            let meta = Metadata {
                icc: None,
                exif: Some(fixed.clone()),
            };
            let bytes = encode(&picture(), format, 85, &meta).unwrap();
            let exif = read_back(&bytes).3.expect("EXIF kept");
            let parsed = exif::Reader::new().read_raw(exif).unwrap();
            let field = |tag| parsed.get_field(tag, exif::In::PRIMARY);
            assert_eq!(
                field(exif::Tag::Orientation).and_then(|f| f.value.get_uint(0)),
                Some(1),
                "{format:?}"
            );
            assert!(field(exif::Tag::GPSLatitude).is_some(), "{format:?}");
            assert!(field(exif::Tag::Model).is_some(), "{format:?}");
        }
        assert!(source_metadata(&source, false).exif.is_none());
    }
}
