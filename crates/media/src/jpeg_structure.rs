//! JPEG structure check: does the file reach its end-of-image marker? Decoders differ on truncated data
//! (zune-jpeg fills the missing part with grey and reports success), so truncation is detected here,
//! from the marker structure, for every scan mode.

/// Why a JPEG's structure is incomplete, or `None` when it is whole.
pub fn jpeg_truncation(bytes: &[u8]) -> Option<&'static str> {
    // Walk the marker segments after SOI up to the first start-of-scan. Their lengths let us skip APPn
    // blocks, whose embedded EXIF thumbnail has an end-of-image marker of its own.
    let mut pos = 2;
    loop {
        if pos + 4 > bytes.len() {
            return Some("the file ends inside its headers");
        }
        if bytes[pos] != 0xFF {
            return Some("the header segments are damaged");
        }
        let marker = bytes[pos + 1];
        match marker {
            0xFF => pos += 1, // fill byte
            0xD8 | 0x01 | 0xD0..=0xD7 => pos += 2,
            0xD9 => return Some("the image ends before any image data"),
            _ => {
                let length = u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]) as usize;
                if length < 2 {
                    return Some("the header segments are damaged");
                }
                pos += 2 + length;
                if marker == 0xDA {
                    break;
                }
            }
        }
    }
    // In entropy-coded data a literal 0xFF is stuffed as FF 00, so FF D9 is the real end marker.
    let data = bytes.get(pos..).unwrap_or_default();
    if data.windows(2).any(|w| w == [0xFF, 0xD9]) {
        None
    } else {
        Some("the image data ends early (no end-of-image marker)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_jpeg() -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn a_whole_jpeg_passes_and_cut_ones_do_not() {
        let whole = tiny_jpeg();
        assert_eq!(jpeg_truncation(&whole), None);
        for cut in [whole.len() - 2, whole.len() * 2 / 3, 40, 3] {
            assert!(jpeg_truncation(&whole[..cut]).is_some(), "cut at {cut}");
        }
    }

    #[test]
    fn trailing_data_after_the_image_is_accepted() {
        // Motion photos and some cameras append data after the end-of-image marker.
        let mut with_tail = tiny_jpeg();
        with_tail.extend_from_slice(b"....appended video or maker data....");
        assert_eq!(jpeg_truncation(&with_tail), None);
    }

    #[test]
    fn an_exif_thumbnail_end_marker_does_not_hide_truncation() {
        let whole = tiny_jpeg();
        // An APP1 segment that contains FF D9 (as an embedded EXIF thumbnail would).
        let mut app1 = vec![0xFF, 0xE1, 0x00, 0x08];
        app1.extend_from_slice(&[b'E', b'x', 0xFF, 0xD8, 0xFF, 0xD9]);
        let mut jpeg = whole[..2].to_vec();
        jpeg.extend_from_slice(&app1);
        jpeg.extend_from_slice(&whole[2..]);
        assert_eq!(jpeg_truncation(&jpeg), None);
        assert!(jpeg_truncation(&jpeg[..jpeg.len() * 3 / 4]).is_some());
    }
}
