//! JPEG XL through `jxl-oxide` (pure Rust, maintained; no C library to install): size, EXIF (also from
//! Brotli-compressed `brob` boxes, as cjxl writes them) and pixels, upright.
//!
//! Orientation: JPEG XL stores it in the codestream header and the decoder applies it (width and
//! height already follow it); an EXIF orientation tag beside it is informative only, so, as for HEIF,
//! the facts carry no orientation for the pixel pipeline.

use std::io::Cursor;

use image::{DynamicImage, RgbImage};
use jxl_oxide::integration::JxlDecoder;
use jxl_oxide::{AuxBoxData, JxlImage};

use crate::exif::read_exif_block;
use crate::{check_pixel_limit, FileProblem, ImageFacts, PixelSource};

/// Whether the bytes start a JPEG XL file (a bare codestream or the ISO-BMFF container).
pub(crate) fn signature(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0x0A]) || bytes.starts_with(b"\0\0\0\x0cJXL \r\n\x87\n")
}

fn jxl_problem(e: &dyn std::fmt::Display) -> FileProblem {
    FileProblem(format!(
        "cannot decode jxl (corrupt, truncated or unsupported): {e}"
    ))
}

/// The facts of a JPEG XL file, from its headers.
pub(crate) fn inspect(bytes: &[u8], max_pixels: u64) -> Result<ImageFacts, FileProblem> {
    let image = JxlImage::builder()
        .read(Cursor::new(bytes))
        .map_err(|e| jxl_problem(&e))?;
    let (width, height) = (image.width(), image.height());
    check_pixel_limit(width, height, max_pixels)?;
    let exif = match image.aux_boxes().first_exif() {
        Ok(AuxBoxData::Data(raw)) => raw
            .payload()
            .get(raw.tiff_header_offset() as usize..)
            .map(|tiff| read_exif_block(tiff.to_vec()))
            .unwrap_or_default(),
        _ => Default::default(),
    };
    Ok(ImageFacts {
        format: "jxl",
        stored_width: width,
        stored_height: height,
        orientation: None,
        exif: exif.data,
        exif_texts: exif.texts,
        source: PixelSource::JxlOxide,
        other_images: 0,
        decoded: None,
    })
}

/// Decodes the first frame, upright (alpha is dropped: JPEG XL photos rarely have any).
pub(crate) fn decode(bytes: &[u8]) -> Result<RgbImage, FileProblem> {
    let decoder = JxlDecoder::new(Cursor::new(bytes)).map_err(|e| jxl_problem(&e))?;
    let image = DynamicImage::from_decoder(decoder).map_err(|e| jxl_problem(&e))?;
    Ok(image.into_rgb8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_a_broken_file() {
        assert!(signature(b"\xff\x0a\xfa"));
        assert!(signature(b"\0\0\0\x0cJXL \r\n\x87\n\0\0\0\x14ftypjxl "));
        assert!(!signature(b"\xff\xd8\xff"));
        let problem = inspect(b"\xff\x0a\x00\x01garbage", u64::MAX).unwrap_err();
        assert!(problem.0.starts_with("cannot decode jxl"), "{problem}");
    }
}
