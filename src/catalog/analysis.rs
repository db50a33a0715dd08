//! Writing one photo's analysis results in one go: a new face set or updates to stored faces,
//! photo-level scores, text, labels, and the ledger rows of every stage that ran (or failed).

use rusqlite::Connection;

use super::faces::{replace_faces, update_faces, FaceUpdate, NewFace};
use super::photo_results::{
    replace_labels, replace_text, write_photo_attributes, PhotoAttribute, PhotoLabel, TextLine,
};
use super::runs::{forget_runs, record_run};
use crate::Result;

/// What one analysis pass produced for one photo.
#[derive(Debug, Clone, Default)]
pub struct PhotoAnalysis {
    pub photo_id: i64,
    /// A new face set (detector version, faces), replacing the stored one.
    pub new_faces: Option<(String, Vec<NewFace>)>,
    /// Later-stage results for faces already stored.
    pub face_updates: Vec<FaceUpdate>,
    pub photo_attributes: Vec<PhotoAttribute>,
    /// Text found (model version, lines), replacing the stored text.
    pub text: Option<(String, Vec<TextLine>)>,
    /// Scene labels (model version, labels), replacing the stored ones.
    pub labels: Option<(String, Vec<PhotoLabel>)>,
    /// `(stage, model_version, error)` for every stage that ran.
    pub runs: Vec<(String, String, Option<String>)>,
    /// Stages whose stored results depended on the replaced faces and were not redone in this pass:
    /// their runs are forgotten so they run again.
    pub invalidated: Vec<String>,
}

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
    let invalidated: Vec<&str> = result.invalidated.iter().map(String::as_str).collect();
    forget_runs(conn, result.photo_id, &invalidated)?;
    for (stage, version, error) in &result.runs {
        record_run(conn, result.photo_id, stage, version, error.as_deref())?;
    }
    Ok(())
}
