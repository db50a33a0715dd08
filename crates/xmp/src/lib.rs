//! XMP and IPTC: what other tools (Lightroom, digiKam, Picasa, Windows Photo Gallery, exiftool) say
//! about a photo, read from its embedded packets and its sidecar, and — on request — Argus's own
//! names and keywords merged into a sidecar without disturbing anything else in it.
//!
//! - [`dom`]: an XML tree that keeps everything (for merging) and refuses entities;
//! - [`rdf`]: the XMP data model (descriptions, arrays, structures) over it;
//! - [`read`]: a packet → [`PhotoMetadata`]; [`iptc`]: IPTC-IIM blocks;
//! - [`keywords`]: keyword paths from the several keyword fields;
//! - [`sidecar`]: sidecar names and reading.
//!
//! Why quick-xml and not an XMP toolkit: the Adobe XMP Toolkit's Rust binding builds a large C++
//! library; the parts Argus needs (the RDF forms of a few schemas, and a merge that must keep other
//! tools' elements exactly) are small, and a tree of our own lets entity expansion be refused outright.

pub mod dom;
pub mod iptc;
pub mod keywords;
pub mod namespaces;
pub mod rdf;
pub mod read;
pub mod sidecar;
pub mod write;

use argus_core::metadata::{ExifTexts, PhotoMetadata, MAX_TEXT_CHARS};

pub use sidecar::{SidecarNaming, MAX_SIDECAR_BYTES};

/// Why XMP could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum XmpError {
    #[error("malformed XML: {0}")]
    Malformed(String),
    #[error("refused: {0}")]
    Refused(String),
    #[error("cannot read: {0}")]
    Unreadable(String),
}

/// Where a photo's metadata may be.
#[derive(Debug, Default)]
pub struct Sources<'a> {
    /// The sidecar's text.
    pub sidecar: Option<&'a str>,
    /// The XMP packet embedded in the file.
    pub embedded_xmp: Option<&'a [u8]>,
    /// The IPTC-IIM block embedded in the file.
    pub iptc: Option<&'a [u8]>,
    /// The photo's EXIF orientation (turns regions upright).
    pub orientation: Option<u16>,
    /// The EXIF block's description, artist and copyright.
    pub exif: ExifTexts,
}

/// A photo's metadata, and what could not be read (sentences for the user; the photo is catalogued
/// regardless).
#[derive(Debug, Default)]
pub struct MetadataRead {
    pub metadata: PhotoMetadata,
    pub problems: Vec<String>,
}

/// Reads and merges a photo's metadata, after the Metadata Working Group's reconciliation rules: the
/// sidecar (the user's latest word) wins over the file; in the file, EXIF's description, artist and
/// copyright win over XMP's, and XMP wins over IPTC-IIM. Keywords are the sidecar's and the embedded
/// XMP's together, or IPTC's when XMP has none; regions come from the first source that has any.
pub fn read_metadata(sources: &Sources<'_>) -> MetadataRead {
    let mut out = MetadataRead::default();
    let e = &sources.exif;
    let exif = PhotoMetadata {
        caption: e.description.as_deref().map(limit_text),
        creator: e.artist.as_deref().map(limit_text),
        copyright: e.copyright.as_deref().map(limit_text),
        ..PhotoMetadata::default()
    };
    let mut layers: Vec<PhotoMetadata> = Vec::new();
    let mut read = |place: &str, text: Option<String>, layers: &mut Vec<PhotoMetadata>| {
        let Some(text) = text else { return };
        match read::read_packet(&text, sources.orientation) {
            Ok(read) => {
                out.problems
                    .extend(read.problems.into_iter().map(|p| format!("{place}: {p}")));
                layers.push(read.metadata);
            }
            Err(e) => out.problems.push(format!("{place}: {e}")),
        }
    };
    read("sidecar", sources.sidecar.map(str::to_string), &mut layers);
    layers.push(exif);
    read(
        "embedded XMP",
        sources.embedded_xmp.map(packet_text),
        &mut layers,
    );
    let xmp_has_keywords = layers.iter().any(|l| !l.keywords.is_empty());
    if let Some(block) = sources.iptc {
        let mut iptc = iptc::read_iptc(block);
        if xmp_has_keywords {
            iptc.keywords.clear(); // XMP's keywords are the current ones
        }
        layers.push(iptc);
    }
    out.metadata = merge(layers);
    out
}

fn merge(layers: Vec<PhotoMetadata>) -> PhotoMetadata {
    let mut out = PhotoMetadata::default();
    let mut hierarchical = Vec::new();
    let mut flat = Vec::new();
    for layer in layers {
        for k in layer.keywords {
            if k.contains(argus_core::metadata::KEYWORD_SEPARATOR) {
                hierarchical.push(k);
            } else {
                flat.push(k);
            }
        }
        out.rating = out.rating.or(layer.rating);
        out.label = out.label.or(layer.label);
        out.title = out.title.or(layer.title);
        out.caption = out.caption.or(layer.caption);
        out.creator = out.creator.or(layer.creator);
        out.copyright = out.copyright.or(layer.copyright);
        if out.regions.is_empty() {
            out.regions = layer.regions;
        }
        for name in layer.people {
            if !out.people.iter().any(|p| p.eq_ignore_ascii_case(&name)) {
                out.people.push(name);
            }
        }
    }
    out.keywords = keywords::combine(&hierarchical, &flat);
    out
}

/// A packet's bytes as text (UTF-8, or UTF-16 with a byte-order mark; anything else lossily).
pub fn packet_text(bytes: &[u8]) -> String {
    let utf16 = |be: bool| -> String {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if be {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFE, 0xFF, ..] => utf16(true),
        [0xFF, 0xFE, ..] => utf16(false),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// A text field cut to [`MAX_TEXT_CHARS`].
pub(crate) fn limit_text(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((cut, _)) => text[..cut].to_string(),
        None => text.to_string(),
    }
}
