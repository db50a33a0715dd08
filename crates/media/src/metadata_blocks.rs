//! The descriptive metadata blocks embedded in a file, as bytes: the XMP packet and the IPTC-IIM block.
//! Found through each format's structure (JPEG APP1/APP13 segments, PNG `iTXt`, WebP `XMP ` chunk,
//! TIFF and TIFF-based RAW tags 700 and 33723, HEIF `mime` items); other containers (CR3, RAF, JPEG
//! XL) are scanned for an XMP packet, as the XMP specification allows. Parsing them is `argus-xmp`'s job.

/// The raw blocks of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataBlocks {
    /// The XMP packet (`<x:xmpmeta …>` or `<rdf:RDF …>`, usually UTF-8).
    pub xmp: Option<Vec<u8>>,
    /// The IPTC-IIM block, bare or inside a Photoshop resource block.
    pub iptc: Option<Vec<u8>>,
}

const JPEG_XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const JPEG_PHOTOSHOP: &[u8] = b"Photoshop 3.0\0";

/// The blocks of a file whose format `inspect` found (its lower-case name).
pub fn read_blocks(bytes: &[u8], format: &str) -> MetadataBlocks {
    match format {
        "jpeg" => jpeg(bytes),
        "png" => png(bytes),
        "webp" => webp(bytes),
        "heic" | "heif" | "avif" => crate::heif::xmp_block(bytes)
            .map(|xmp| MetadataBlocks {
                xmp: Some(xmp),
                iptc: None,
            })
            .unwrap_or_default(),
        "gif" | "bmp" => MetadataBlocks::default(),
        _ => {
            let tiff = tiff(bytes);
            if tiff.xmp.is_some() || tiff.iptc.is_some() {
                tiff
            } else {
                MetadataBlocks {
                    xmp: scan_for_packet(bytes),
                    iptc: None,
                }
            }
        }
    }
}

/// JPEG: APP1 with the XMP signature, APP13 with a Photoshop resource block; up to the image data.
fn jpeg(bytes: &[u8]) -> MetadataBlocks {
    let mut out = MetadataBlocks::default();
    let mut pos = 2;
    while pos + 4 <= bytes.len() && bytes[pos] == 0xFF {
        let marker = bytes[pos + 1];
        if marker == 0xFF {
            pos += 1;
            continue;
        }
        if matches!(marker, 0xD8 | 0x01 | 0xD0..=0xD7) {
            pos += 2;
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let length = u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]) as usize;
        let Some(body) = bytes.get(pos + 4..pos + 2 + length.max(2)) else {
            break;
        };
        if marker == 0xE1 && out.xmp.is_none() {
            if let Some(packet) = body.strip_prefix(JPEG_XMP) {
                out.xmp = Some(packet.to_vec());
            }
        }
        if marker == 0xED && body.starts_with(JPEG_PHOTOSHOP) {
            // A resource block longer than one segment continues in the next APP13.
            match &mut out.iptc {
                Some(block) => block.extend_from_slice(&body[JPEG_PHOTOSHOP.len()..]),
                None => out.iptc = Some(body.to_vec()),
            }
        }
        pos += 2 + length;
    }
    out
}

/// PNG: the `iTXt` chunk with the keyword `XML:com.adobe.xmp` (uncompressed, as every writer stores it).
fn png(bytes: &[u8]) -> MetadataBlocks {
    let mut pos = 8;
    while pos + 12 <= bytes.len() {
        let length =
            u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap_or_default()) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let Some(data) = bytes.get(pos + 8..(pos + 8).saturating_add(length)) else {
            break;
        };
        if kind == b"iTXt" {
            if let Some(text) = data.strip_prefix(b"XML:com.adobe.xmp\0") {
                // compression flag, method, then language and translated keyword (each NUL-ended).
                if text.first() == Some(&0) && text.len() >= 2 {
                    let rest = &text[2..];
                    let mut parts = rest.splitn(3, |b| *b == 0);
                    let (_, _, packet) = (parts.next(), parts.next(), parts.next());
                    return MetadataBlocks {
                        xmp: packet.map(<[u8]>::to_vec),
                        iptc: None,
                    };
                }
            }
        }
        if kind == b"IEND" {
            break;
        }
        pos += 12 + length;
    }
    MetadataBlocks::default()
}

/// WebP: the RIFF chunk `XMP `.
fn webp(bytes: &[u8]) -> MetadataBlocks {
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let kind = &bytes[pos..pos + 4];
        let size =
            u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().unwrap_or_default()) as usize;
        let Some(data) = bytes.get(pos + 8..(pos + 8).saturating_add(size)) else {
            break;
        };
        if kind == b"XMP " {
            return MetadataBlocks {
                xmp: Some(data.to_vec()),
                iptc: None,
            };
        }
        pos += 8 + size + (size & 1);
    }
    MetadataBlocks::default()
}

/// TIFF and TIFF-based RAW (DNG, NEF, ARW, CR2, ORF, RW2, PEF …): tags 700 (XMP) and 33723 (IPTC) of
/// the first image directory.
fn tiff(bytes: &[u8]) -> MetadataBlocks {
    let mut out = MetadataBlocks::default();
    let little = match bytes.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return out,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = bytes.get(at..at + 2)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let Some(ifd) = u32_at(4).map(|o| o as usize) else {
        return out;
    };
    let Some(count) = u16_at(ifd) else {
        return out;
    };
    for i in 0..count as usize {
        let entry = ifd + 2 + i * 12;
        let (Some(tag), Some(kind), Some(n)) =
            (u16_at(entry), u16_at(entry + 2), u32_at(entry + 4))
        else {
            break;
        };
        let unit = match kind {
            1 | 2 | 6 | 7 => 1,
            4 | 9 => 4,
            _ => continue,
        };
        let size = n as usize * unit;
        let data = if size <= 4 {
            bytes.get(entry + 8..entry + 8 + size)
        } else {
            u32_at(entry + 8).and_then(|o| bytes.get(o as usize..(o as usize).saturating_add(size)))
        };
        match (tag, data) {
            (700, Some(d)) => out.xmp = Some(d.to_vec()),
            (33723, Some(d)) => out.iptc = Some(d.to_vec()),
            _ => {}
        }
    }
    out
}

/// The first XMP packet anywhere in the bytes (`<x:xmpmeta` … `</x:xmpmeta>`).
fn scan_for_packet(bytes: &[u8]) -> Option<Vec<u8>> {
    let start = memchr::memmem::find(bytes, b"<x:xmpmeta")?;
    let end_tag = b"</x:xmpmeta>";
    let end = memchr::memmem::find(&bytes[start..], end_tag)? + start + end_tag.len();
    Some(bytes[start..end].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKET: &[u8] = b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"></x:xmpmeta>";

    fn tiny_jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(8, 8, image::Rgb([9, 9, 9]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut out)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn jpeg_app1_and_app13() {
        let plain = tiny_jpeg();
        let mut jpeg = plain[..2].to_vec();
        for (marker, body) in [
            (0xE1u8, [JPEG_XMP, PACKET].concat()),
            (0xED, [JPEG_PHOTOSHOP, b"8BIM"].concat()),
        ] {
            jpeg.extend_from_slice(&[0xFF, marker]);
            jpeg.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
            jpeg.extend_from_slice(&body);
        }
        jpeg.extend_from_slice(&plain[2..]);
        let blocks = read_blocks(&jpeg, "jpeg");
        assert_eq!(blocks.xmp.as_deref(), Some(PACKET));
        assert_eq!(
            blocks.iptc.as_deref(),
            Some(&[JPEG_PHOTOSHOP, b"8BIM"].concat()[..])
        );
        assert_eq!(read_blocks(&plain, "jpeg"), MetadataBlocks::default());
    }

    #[test]
    fn truncated_and_garbage_input_finds_nothing_and_does_not_panic() {
        let jpeg = tiny_jpeg();
        for format in ["jpeg", "png", "webp", "tiff", "dng", "cr3"] {
            for cut in [0, 1, 3, 9, 20, jpeg.len() / 2] {
                let _ = read_blocks(&jpeg[..cut], format);
            }
            let _ = read_blocks(b"II*\0\xff\xff\xff\xff", format);
            let _ = read_blocks(b"MM\0*\0\0\0\x08\xff\xff", format);
        }
    }

    #[test]
    fn a_packet_is_found_by_scanning() {
        let mut bytes = b"....ftypcrx ....".to_vec();
        bytes.extend_from_slice(PACKET);
        bytes.extend_from_slice(b"trailing");
        assert_eq!(read_blocks(&bytes, "cr3").xmp.as_deref(), Some(PACKET));
    }
}
