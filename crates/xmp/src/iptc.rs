//! IPTC-IIM, the metadata of older tools and news agencies: keywords (2:25), object name (2:05, the
//! title), headline (2:105), caption (2:120), by-line (2:80) and copyright (2:116). Read from a
//! Photoshop resource block (a JPEG's APP13, `8BIM` resource 0x0404) or a bare IIM block (TIFF tag
//! 33723). Text is UTF-8 when the block says so (1:90) or is valid UTF-8, else Latin-1.

use argus_core::metadata::PhotoMetadata;

/// The IIM facts of a block, as metadata (no regions, rating or people: IIM has none).
pub fn read_iptc(block: &[u8]) -> PhotoMetadata {
    let iim = photoshop_iptc(block).unwrap_or(block);
    let mut utf8 = false;
    let mut fields: Vec<(u8, u8, &[u8])> = Vec::new();
    let mut pos = 0;
    while pos + 5 <= iim.len() {
        if iim[pos] != 0x1C {
            break;
        }
        let (record, dataset) = (iim[pos + 1], iim[pos + 2]);
        let size = u16::from_be_bytes([iim[pos + 3], iim[pos + 4]]) as usize;
        if size & 0x8000 != 0 {
            // An extended (over 32 KB) dataset: none of the fields read here is that long.
            break;
        }
        let Some(value) = iim.get(pos + 5..pos + 5 + size) else {
            break;
        };
        if (record, dataset) == (1, 90) && value == b"\x1b%G" {
            utf8 = true;
        }
        fields.push((record, dataset, value));
        pos += 5 + size;
    }
    let text = |v: &[u8]| -> String {
        let s = match std::str::from_utf8(v) {
            Ok(s) => s.to_string(),
            Err(_) if utf8 => String::from_utf8_lossy(v).into_owned(),
            Err(_) => v.iter().map(|&b| b as char).collect(),
        };
        crate::limit_text(s.trim_matches(char::from(0)).trim())
    };
    let first = |dataset: u8| -> Option<String> {
        fields
            .iter()
            .find(|(r, d, _)| *r == 2 && *d == dataset)
            .map(|(_, _, v)| text(v))
            .filter(|t| !t.is_empty())
    };
    let keywords: Vec<String> = fields
        .iter()
        .filter(|(r, d, _)| *r == 2 && *d == 25)
        .map(|(_, _, v)| text(v))
        .filter(|t| !t.is_empty())
        .collect();
    PhotoMetadata {
        keywords: crate::keywords::combine(&[], &keywords),
        title: first(5).or_else(|| first(105)),
        caption: first(120),
        creator: first(80),
        copyright: first(116),
        ..PhotoMetadata::default()
    }
}

/// The IIM data of a Photoshop resource block (`Photoshop 3.0\0` then `8BIM` resources).
fn photoshop_iptc(block: &[u8]) -> Option<&[u8]> {
    let mut pos = block.strip_prefix(b"Photoshop 3.0\0").map(|_| 14)?;
    while pos + 12 <= block.len() {
        if &block[pos..pos + 4] != b"8BIM" {
            return None;
        }
        let id = u16::from_be_bytes([block[pos + 4], block[pos + 5]]);
        // A Pascal-string name, padded to an even length (length byte included).
        let name_len = block[pos + 6] as usize;
        pos += 6 + ((name_len + 2) & !1);
        let size = u32::from_be_bytes(block.get(pos..pos + 4)?.try_into().ok()?) as usize;
        pos += 4;
        let data = block.get(pos..pos.checked_add(size)?)?;
        if id == 0x0404 {
            return Some(data);
        }
        pos += (size + 1) & !1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset(record: u8, dataset: u8, value: &[u8]) -> Vec<u8> {
        let mut out = vec![0x1C, record, dataset];
        out.extend_from_slice(&(value.len() as u16).to_be_bytes());
        out.extend_from_slice(value);
        out
    }

    #[test]
    fn keywords_and_texts_from_a_photoshop_block() {
        let mut iim = dataset(1, 90, b"\x1b%G");
        iim.extend(dataset(2, 25, "caf\u{e9}".as_bytes()));
        iim.extend(dataset(2, 25, b"beach"));
        iim.extend(dataset(2, 120, b"At the sea"));
        iim.extend(dataset(2, 5, b"Summer"));
        let mut block = b"Photoshop 3.0\08BIM".to_vec();
        block.extend_from_slice(&0x0404u16.to_be_bytes());
        block.extend_from_slice(&[0, 0]); // empty name, padded
        block.extend_from_slice(&(iim.len() as u32).to_be_bytes());
        block.extend_from_slice(&iim);
        let m = read_iptc(&block);
        assert_eq!(m.keywords, ["caf\u{e9}", "beach"]);
        assert_eq!(m.caption.as_deref(), Some("At the sea"));
        assert_eq!(m.title.as_deref(), Some("Summer"));
    }

    #[test]
    fn latin1_and_damaged_blocks() {
        let mut iim = dataset(2, 25, b"caf\xe9");
        iim.extend_from_slice(&[0x1C, 2, 25, 0x10, 0x00, b'x']); // claims more than is there
        assert_eq!(read_iptc(&iim).keywords, ["caf\u{e9}"]);
        assert!(read_iptc(b"Photoshop 3.0\08BIM\x04").is_empty());
        assert!(read_iptc(&[]).is_empty());
    }
}
