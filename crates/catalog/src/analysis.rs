//! Writing one photo's analysis results in one go: a new face set or updates to stored faces,
//! photo-level scores, text, labels, the descriptor, objects (then which face and objects belong to which body),
//! and the ledger rows of every stage that ran (or failed).

use rusqlite::Connection;

use super::descriptors::replace_descriptor;
use super::faces::{replace_faces, update_faces};
use super::objects::replace_objects;
use super::persons::link_persons;
use super::photo_results::{replace_labels, replace_text, write_photo_attributes};
use super::runs::{forget_runs, record_run};
use crate::Result;
use argus_core::results::PhotoAnalysis;

/// Writes a photo's results (inside the caller's transaction).
pub(crate) fn write_analysis(conn: &Connection, result: &PhotoAnalysis) -> Result<()> {
    if let Some((version, faces)) = &result.new_faces {
        replace_faces(conn, result.photo_id, faces, version)?;
    }
    update_faces(conn, &result.face_updates)?;
    write_photo_attributes(conn, result.photo_id, &result.photo_attributes)?;
    if let Some((version, lines)) = &result.text {
        replace_text(conn, result.photo_id, lines, version)?;
    }
    if let Some((version, labels)) = &result.labels {
        replace_labels(conn, result.photo_id, labels, version)?;
    }
    if let Some((version, objects)) = &result.objects {
        replace_objects(conn, result.photo_id, objects, version)?;
    }
    if let Some((version, descriptor)) = &result.descriptor {
        replace_descriptor(conn, result.photo_id, descriptor, version)?;
    }
    if result.new_faces.is_some() || result.objects.is_some() {
        link_persons(conn, result.photo_id)?;
    }
    let invalidated: Vec<&str> = result.invalidated.iter().map(String::as_str).collect();
    forget_runs(conn, result.photo_id, &invalidated)?;
    for (stage, version, error) in &result.runs {
        record_run(conn, result.photo_id, stage, version, error.as_deref())?;
    }
    Ok(())
}
