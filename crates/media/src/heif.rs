//! HEIC/HEIF and AVIF through the system's libheif (`libheif-rs`): the primary image's size and facts,
//! its EXIF block, how many other top-level images the file holds (bursts, Live Photo stills), and its
//! pixels, upright.
//!
//! Orientation: HEIF rotates and mirrors with its own `irot`/`imir` boxes, which libheif applies while
//! decoding (and already reflects in the primary image's width and height). The EXIF orientation tag is
//! informative only in HEIF (an iPhone keeps the camera's value there *and* writes `irot`), so it is
//! never applied on top: the facts carry no orientation for the pixel pipeline.

use std::sync::Once;

use image::RgbImage;
use libheif_rs::{ColorSpace, HeifContext, ImageHandle, ItemId, RgbChroma};

use crate::exif::read_exif_block;
use crate::{check_pixel_limit, FileProblem, ImageFacts, PixelSource};

/// Whether the bytes start an ISO-BMFF file whose brands say HEIF or AVIF (not a Canon CR3, which is
/// ISO-BMFF too). Returns the format name.
pub(crate) fn signature(bytes: &[u8]) -> Option<&'static str> {
    if bytes.get(4..8) != Some(b"ftyp") {
        return None;
    }
    let box_len = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let brands_end = box_len.clamp(16, 256).min(bytes.len());
    let major = bytes.get(8..12)?;
    let compatible: Vec<&[u8]> = bytes.get(16..brands_end)?.chunks_exact(4).collect();
    let has = |brand: &[u8]| major == brand || compatible.contains(&brand);
    if has(b"crx ") {
        None
    } else if has(b"avif") || has(b"avis") {
        Some("avif")
    } else if [
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
    ]
    .iter()
    .any(|b| has(*b))
    {
        Some("heic")
    } else {
        None
    }
}

/// libheif registers its codec plugins once per process.
fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| unsafe {
        libheif_sys::heif_init(std::ptr::null_mut());
    });
}

fn heif_problem(format: &str, e: &libheif_rs::HeifError) -> FileProblem {
    FileProblem(format!(
        "cannot read {format} (corrupt, truncated or an unsupported coding): {}",
        e.message.trim()
    ))
}

fn open(bytes: &[u8], format: &str) -> Result<HeifContext, FileProblem> {
    init();
    HeifContext::read_from_bytes(bytes).map_err(|e| heif_problem(format, &e))
}

/// The facts of a HEIF/AVIF file's primary image, from its headers (no pixels are decoded).
pub(crate) fn inspect(
    bytes: &[u8],
    format: &'static str,
    max_pixels: u64,
) -> Result<ImageFacts, FileProblem> {
    let context = open(bytes, format)?;
    let primary = context
        .primary_image_handle()
        .map_err(|e| heif_problem(format, &e))?;
    // Width and height already include the irot/imir transformation.
    let (width, height) = (primary.width(), primary.height());
    check_pixel_limit(width, height, max_pixels)?;
    let exif = exif_block(&primary)
        .map(read_exif_block)
        .unwrap_or_default();
    Ok(ImageFacts {
        format,
        stored_width: width,
        stored_height: height,
        orientation: None,
        exif: exif.data,
        exif_texts: exif.texts,
        source: PixelSource::Heif {
            thumbnail_long_side: largest_thumbnail(&primary).map(|(_, long)| long),
        },
        other_images: context.number_of_top_level_images().saturating_sub(1) as u32,
        decoded: None,
    })
}

/// The primary image's EXIF block as a bare TIFF structure (libheif hands it out behind a 4-byte
/// offset to the TIFF header).
fn exif_block(handle: &ImageHandle) -> Option<Vec<u8>> {
    let mut ids: [ItemId; 4] = [0; 4];
    let count = handle.metadata_block_ids(&mut ids, b"Exif");
    let block = handle.metadata(*ids.get(..count)?.first()?).ok()?;
    let offset = u32::from_be_bytes(block.get(..4)?.try_into().ok()?) as usize;
    block.get(4 + offset..).map(|tiff| tiff.to_vec())
}

/// The primary image's XMP packet (a `mime` item of type `application/rdf+xml`).
pub(crate) fn xmp_block(bytes: &[u8]) -> Option<Vec<u8>> {
    let context = open(bytes, "heif").ok()?;
    let handle = context.primary_image_handle().ok()?;
    let mut ids: [ItemId; 8] = [0; 8];
    let count = handle.metadata_block_ids(&mut ids, b"mime");
    ids[..count.min(ids.len())]
        .iter()
        .find(|id| handle.metadata_content_type(**id) == Some("application/rdf+xml"))
        .and_then(|id| handle.metadata(*id).ok())
}

/// The id and long side of the largest embedded thumbnail.
fn largest_thumbnail(handle: &ImageHandle) -> Option<(ItemId, u32)> {
    let count = handle.number_of_thumbnails();
    if count == 0 {
        return None;
    }
    let mut ids = vec![0 as ItemId; count];
    let count = handle.thumbnail_ids(&mut ids);
    ids.truncate(count);
    ids.into_iter()
        .filter_map(|id| {
            let thumb = handle.thumbnail(id).ok()?;
            Some((id, thumb.width().max(thumb.height())))
        })
        .max_by_key(|(_, long)| *long)
}

/// Decodes the primary image (or its embedded thumbnail when that is at least `min_long_side` on its
/// long side: a phone's 320–512 px thumbnail decodes ~50× faster than the 12 MP image), upright.
pub(crate) fn decode(
    bytes: &[u8],
    facts: &ImageFacts,
    min_long_side: u32,
) -> Result<RgbImage, FileProblem> {
    let context = open(bytes, facts.format)?;
    let primary = context
        .primary_image_handle()
        .map_err(|e| heif_problem(facts.format, &e))?;
    let handle = match largest_thumbnail(&primary) {
        Some((id, long)) if long >= min_long_side => primary
            .thumbnail(id)
            .map_err(|e| heif_problem(facts.format, &e))?,
        _ => primary,
    };
    let image = handle
        .decode(ColorSpace::Rgb(RgbChroma::Rgb), None)
        .map_err(|e| heif_problem(facts.format, &e))?;
    let plane = image
        .planes()
        .interleaved
        .ok_or_else(|| FileProblem(format!("{}: libheif returned no RGB plane", facts.format)))?;
    let (w, h) = (plane.width, plane.height);
    let row = w as usize * 3;
    let mut rgb = Vec::with_capacity(row * h as usize);
    for y in 0..h as usize {
        let start = y * plane.stride;
        rgb.extend_from_slice(plane.data.get(start..start + row).ok_or_else(|| {
            FileProblem(format!(
                "{}: the decoded image is shorter than its size",
                facts.format
            ))
        })?);
    }
    RgbImage::from_raw(w, h, rgb)
        .ok_or_else(|| FileProblem(format!("{}: decoded size does not match", facts.format)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let len = 16 + 4 * compatible.len();
        let mut v = (len as u32).to_be_bytes().to_vec();
        v.extend_from_slice(b"ftyp");
        v.extend_from_slice(major);
        v.extend_from_slice(&[0, 0, 0, 0]);
        for b in compatible {
            v.extend_from_slice(*b);
        }
        v
    }

    #[test]
    fn brands_decide_the_format() {
        assert_eq!(signature(&ftyp(b"heic", &[b"mif1", b"heic"])), Some("heic"));
        assert_eq!(signature(&ftyp(b"mif1", &[b"mif1", b"heic"])), Some("heic"));
        assert_eq!(signature(&ftyp(b"avif", &[b"avif", b"mif1"])), Some("avif"));
        assert_eq!(signature(&ftyp(b"crx ", &[b"crx ", b"isom"])), None);
        assert_eq!(signature(&ftyp(b"isom", &[b"isom", b"mp41"])), None);
        assert_eq!(signature(b"\xff\xd8\xff"), None);
    }

    #[test]
    fn a_broken_heic_is_an_error() {
        let mut bytes = ftyp(b"heic", &[b"mif1", b"heic"]);
        bytes.extend_from_slice(b"\0\0\0\x10meta garbage garbage");
        let problem = inspect(&bytes, "heic", u64::MAX).unwrap_err();
        assert!(problem.0.contains("cannot read heic"), "{problem}");
    }
}
