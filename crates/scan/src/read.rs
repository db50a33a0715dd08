//! Reading one file for the catalogue: open read-only, hash, inspect, thumbnail. Runs on worker threads;
//! every failure becomes a recorded problem on the photo, never an error of the scan (decoder panics
//! included).

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::discover::DiskFile;
use argus_catalog::{ExifData, PhotoRecord, PhotoStatus, RecordMetadata, SidecarState};
use argus_media::thumbs::ThumbCache;
use argus_media::{FileKind, FileProblem};

/// The result of reading one file.
pub struct ReadOutcome {
    pub record: PhotoRecord,
    /// Whether the file's bytes were read (false for unsupported formats, recorded by name).
    pub was_read: bool,
    pub thumbnail_made: bool,
}

/// Reads and describes `file`. `make_thumbnail` also decodes the pixels, which is what finds truncated
/// or corrupt image data; without it only headers are checked.
pub fn read_file(
    file: &DiskFile,
    library_id: i64,
    cache: &ThumbCache,
    make_thumbnail: bool,
    max_pixels: u64,
) -> ReadOutcome {
    let mut record = PhotoRecord {
        library_id,
        path: file.path.clone(),
        size: file.size,
        mtime_ns: file.mtime_ns,
        hash: None,
        status: PhotoStatus::Error,
        error: None,
        format: None,
        width: None,
        height: None,
        orientation: None,
        exif: ExifData::default(),
        pixel_source: None,
        other_images: 0,
        metadata: None,
    };
    if let FileKind::Unsupported(format) = file.kind {
        record.status = PhotoStatus::Unsupported;
        record.error = Some(format!("{format} files are not supported yet"));
        return ReadOutcome {
            record,
            was_read: false,
            thumbnail_made: false,
        };
    }
    if file.size > argus_media::MAX_FILE_BYTES {
        record.error = Some(format!(
            "file too large to read ({} MB)",
            file.size / 1_000_000
        ));
        return ReadOutcome {
            record,
            was_read: false,
            thumbnail_made: false,
        };
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            record.error = Some(format!("cannot read the file: {e}"));
            return ReadOutcome {
                record,
                was_read: true,
                thumbnail_made: false,
            };
        }
    };
    // The file may have changed since it was listed: describe what was actually read.
    record.size = bytes.len() as u64;
    if let Ok(meta) = std::fs::metadata(&file.path) {
        if meta.len() == record.size {
            record.mtime_ns = argus_media::mtime_ns(&meta);
        }
    }
    let hash = blake3::hash(&bytes).to_hex().to_string();
    record.hash = Some(hash.clone());

    let described = catch_unwind(AssertUnwindSafe(|| {
        let (facts, made) = describe(&bytes, &hash, cache, make_thumbnail, max_pixels)?;
        let metadata = read_metadata(&bytes, &facts, file.sidecar.as_ref());
        Ok((facts, made, metadata))
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(FileProblem(format!(
            "the decoder failed on this file: {what}"
        )))
    });
    let mut thumbnail_made = false;
    match described {
        Ok((facts, made, metadata)) => {
            let (width, height) = facts.displayed_size();
            record.status = PhotoStatus::Ok;
            record.format = Some(facts.format.to_string());
            record.width = Some(width);
            record.height = Some(height);
            record.orientation = facts.orientation;
            record.pixel_source = Some(facts.source.name().to_string());
            record.other_images = facts.other_images;
            record.exif = facts.exif;
            record.metadata = Some(metadata);
            thumbnail_made = made;
        }
        Err(problem) => record.error = Some(problem.0),
    }
    ReadOutcome {
        record,
        was_read: true,
        thumbnail_made,
    }
}

/// What other tools say about the photo: its embedded XMP and IPTC, and its sidecar. Problems are
/// recorded with the photo, which is catalogued regardless.
fn read_metadata(
    bytes: &[u8],
    facts: &argus_media::ImageFacts,
    sidecar: Option<&SidecarState>,
) -> RecordMetadata {
    let blocks = argus_media::read_blocks(bytes, facts.format);
    let mut problems = Vec::new();
    let sidecar_text = sidecar.and_then(|s| match argus_xmp::sidecar::read_sidecar(&s.path) {
        Ok(text) => Some(text),
        Err(e) => {
            problems.push(format!("sidecar: {e}"));
            None
        }
    });
    let read = argus_xmp::read_metadata(&argus_xmp::Sources {
        sidecar: sidecar_text.as_deref(),
        embedded_xmp: blocks.xmp.as_deref(),
        iptc: blocks.iptc.as_deref(),
        orientation: facts.orientation,
        exif: facts.exif_texts.clone(),
    });
    problems.extend(read.problems);
    RecordMetadata {
        metadata: read.metadata,
        sidecar: sidecar.cloned(),
        problem: (!problems.is_empty()).then(|| problems.join("; ")),
    }
}

fn describe(
    bytes: &[u8],
    hash: &str,
    cache: &ThumbCache,
    make_thumbnail: bool,
    max_pixels: u64,
) -> Result<(argus_media::ImageFacts, bool), FileProblem> {
    let facts = argus_media::inspect(bytes, max_pixels)?;
    let made = if make_thumbnail && !cache.has(hash) {
        cache.make(bytes, &facts, hash)?;
        true
    } else {
        false
    };
    Ok((facts, made))
}
