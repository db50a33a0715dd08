//! Photo-level analysis results: scores of the whole photo (`photo_attributes`, e.g. `unsafe`), the
//! lines of text found in it (`photo_text`, in reading order, with their corners) and its scene labels
//! (`labels`: browse labels and raw classes).

use crate::db::{params, Db};

use super::faces::{blob_to_floats, floats_to_blob};
use super::Catalog;
use crate::Result;
use argus_core::results::{LabelKind, PhotoAttribute, PhotoLabel, TextLine};

impl Catalog {
    /// A photo's labels (browse labels first), highest score first.
    pub fn photo_labels(&self, photo_id: i64) -> Result<Vec<PhotoLabel>> {
        let stmt = self.db().prepare(
            "SELECT kind, label, score FROM labels WHERE photo_id = ?1
             ORDER BY kind DESC, score DESC, label",
        );
        let rows = stmt.query_map(params![photo_id], |r| {
            let kind: String = r.get(0)?;
            Ok(PhotoLabel {
                kind: if kind == "class" {
                    LabelKind::Class
                } else {
                    LabelKind::Label
                },
                name: r.get(1)?,
                score: r.get(2)?,
            })
        })?;
        Ok(rows.into_iter().collect())
    }

    /// Photo-level scores of a photo, by name.
    pub fn photo_attributes(&self, photo_id: i64) -> Result<Vec<PhotoAttribute>> {
        let stmt = self.db().prepare(
            "SELECT name, value, model_version FROM photo_attributes WHERE photo_id = ?1 ORDER BY name",
        );
        let rows = stmt.query_map(params![photo_id], |r| {
            Ok(PhotoAttribute {
                name: r.get(0)?,
                value: r.get(1)?,
                model_version: r.get(2)?,
            })
        })?;
        Ok(rows.into_iter().collect())
    }

    /// The text found in a photo, in reading order.
    pub fn photo_text(&self, photo_id: i64) -> Result<Vec<TextLine>> {
        let stmt = self
            .db()
            .prepare("SELECT text, score, quad FROM photo_text WHERE photo_id = ?1 ORDER BY line");
        let rows = stmt.query_map(params![photo_id], |r| {
            let q = blob_to_floats(&r.get::<Vec<u8>>(2)?);
            let corner = |i: usize| {
                [
                    q.get(2 * i).copied().unwrap_or(0.0),
                    q.get(2 * i + 1).copied().unwrap_or(0.0),
                ]
            };
            Ok(TextLine {
                text: r.get(0)?,
                score: r.get(1)?,
                quad: [corner(0), corner(1), corner(2), corner(3)],
            })
        })?;
        Ok(rows.into_iter().collect())
    }
}

/// Sets photo-level scores (replacing earlier values of the same names).
pub(crate) fn write_photo_attributes(
    conn: &Db,
    photo_id: i64,
    attributes: &[PhotoAttribute],
) -> Result<()> {
    let upsert = conn.prepare(
        "INSERT INTO photo_attributes (photo_id, name, value, model_version) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (photo_id, name) DO UPDATE SET value = excluded.value,
             model_version = excluded.model_version",
    );
    for a in attributes {
        upsert.execute(params![photo_id, a.name, a.value, a.model_version])?;
    }
    Ok(())
}

/// Replaces the text found in a photo.
pub(crate) fn replace_text(
    conn: &Db,
    photo_id: i64,
    lines: &[TextLine],
    model_version: &str,
) -> Result<()> {
    conn.prepare("DELETE FROM photo_text WHERE photo_id = ?1")
        .execute(params![photo_id])?;
    let insert = conn.prepare(
        "INSERT INTO photo_text (photo_id, line, text, score, quad, model_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    );
    for (i, line) in lines.iter().enumerate() {
        insert.execute(params![
            photo_id,
            i as i64,
            line.text,
            line.score,
            floats_to_blob(line.quad.iter().flat_map(|p| [p[0], p[1]])),
            model_version
        ])?;
    }
    Ok(())
}

/// Replaces a photo's labels.
pub(crate) fn replace_labels(
    conn: &Db,
    photo_id: i64,
    labels: &[PhotoLabel],
    model_version: &str,
) -> Result<()> {
    conn.prepare("DELETE FROM labels WHERE photo_id = ?1")
        .execute(params![photo_id])?;
    let insert = conn.prepare(
        "INSERT INTO labels (photo_id, kind, label, score, model_version)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (photo_id, kind, label)
             DO UPDATE SET score = excluded.score, model_version = excluded.model_version",
    );
    for l in labels {
        insert.execute(params![
            photo_id,
            l.kind.as_str(),
            l.name,
            l.score,
            model_version
        ])?;
    }
    Ok(())
}
