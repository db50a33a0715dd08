//! Bulk loading: many rows written into a catalogue at the speed the engine allows, for generated
//! catalogues (benchmarks, scale tests). One transaction with prepared statements (a multi-row
//! insert for a face's attributes). Into a fresh catalogue ([`Catalog::bulk_load`]) the secondary
//! indexes are dropped for the load and built again at the end: sorting once is far cheaper than
//! keeping a dozen B-trees in order row by row. Added to a big one ([`Catalog::bulk_append`]) they
//! stay. Rows are the catalogue's own types. Nothing is visible to other connections until
//! [`BulkLoad::finish`]; dropping the load without finishing rolls it all back, indexes included.
//! A photo's XMP metadata is loaded with it (rating, label, texts, keywords; not regions or the
//! names of people, which only a scan applies to faces).

use std::collections::HashMap;

use crate::db::{params, Db, Dialect, Value};

use super::descriptors::replace_descriptor;
use super::faces::floats_to_blob;
use super::objects::insert_wearing;
use super::persons::link_persons;
use super::photos::{file_columns, file_values};
use super::{
    Catalog, NewFace, PhotoAttribute, PhotoLabel, PhotoMetadata, PhotoObject, PhotoRecord, TextLine,
};
use crate::Result;
use argus_core::results::PhotoDescriptor;

/// Rows of each index `ANALYZE` samples after a load.
const ANALYSIS_ROWS: i64 = 10_000;

/// An open bulk load on a catalogue.
pub struct BulkLoad<'c> {
    db: &'c Db,
    /// `CREATE INDEX` statements of the indexes dropped for the load.
    indexes: Vec<String>,
    /// Multi-row face attribute inserts, by row count (one statement per face instead of one per
    /// attribute).
    attributes: HashMap<usize, String>,
    /// Photos given objects, whose people are linked when the load finishes.
    object_photos: Vec<i64>,
    finished: bool,
}

/// Where a bulk-loaded face stands with the clustering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Not seen by the clustering yet (the next run places it).
    Unseen,
    /// Seen, and in no person.
    Alone,
    /// Seen, and in this person.
    Person(i64),
}

impl Catalog {
    /// Starts a bulk load into a fresh (or small) catalogue: its secondary indexes are built again
    /// when it finishes. Other connections see nothing of it until then.
    pub fn bulk_load(&mut self) -> Result<BulkLoad<'_>> {
        BulkLoad::start(&self.db, true)
    }

    /// Starts a bulk load that adds to a big catalogue, keeping its indexes as they are.
    pub fn bulk_append(&mut self) -> Result<BulkLoad<'_>> {
        BulkLoad::start(&self.db, false)
    }
}

impl<'c> BulkLoad<'c> {
    fn start(db: &'c Db, rebuild_indexes: bool) -> Result<BulkLoad<'c>> {
        if db.dialect() == Dialect::Sqlite {
            // Helper threads for the sorts that build the indexes again. They sort in runs the size
            // of the (default, small) page cache and merge them: measured 3× faster than one
            // in-memory sort with a large cache.
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            db.execute_batch(&format!("PRAGMA threads = {cores}"))?;
        }
        db.begin(true)?;
        let mut load = BulkLoad {
            db,
            indexes: Vec::new(),
            attributes: HashMap::new(),
            object_photos: Vec::new(),
            finished: false,
        };
        if rebuild_indexes {
            load.indexes = drop_secondary_indexes(db)?;
        }
        Ok(load)
    }

    /// The id the next photo will get.
    pub fn next_photo_id(&self) -> Result<i64> {
        self.db
            .query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM photos", (), |r| {
                r.get(0)
            })
    }

    /// A library root (its id; the existing one when the path is already a library).
    pub fn library(&mut self, path: &str, added_at: i64) -> Result<i64> {
        self.db.execute(
            "INSERT OR IGNORE INTO libraries (path, added_at) VALUES (?1, ?2)",
            params![path, added_at],
        )?;
        self.db.query_row(
            "SELECT id FROM libraries WHERE path = ?1",
            params![path],
            |r| r.get(0),
        )
    }

    /// A person (its id).
    pub fn person(&mut self, name: Option<&str>, hidden: bool, created_at: i64) -> Result<i64> {
        self.db.query_row(
            "INSERT INTO people (name, hidden, created_at) VALUES (?1, ?2, ?3) RETURNING id",
            params![name, hidden, created_at],
            |r| r.get(0),
        )
    }

    /// A photo row, added (and updated) at `added_at`, with its metadata (its id).
    pub fn photo(&mut self, rec: &PhotoRecord, added_at: i64) -> Result<i64> {
        let mut values = file_values(rec);
        values.push(Value::Int(added_at));
        let id: i64 = self.db.query_row(
            concat!(
                "INSERT INTO photos (",
                file_columns!(),
                ", added_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                     ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?28)
                 RETURNING id"
            ),
            values,
            |r| r.get(0),
        )?;
        if let Some(read) = &rec.metadata {
            self.metadata(id, &read.metadata)?;
        }
        Ok(id)
    }

    /// A photo's rating, label, texts and keywords (regions and people are not bulk-loaded).
    fn metadata(&mut self, photo_id: i64, m: &PhotoMetadata) -> Result<()> {
        self.db.execute(
            "UPDATE photos SET rating = ?2, color_label = ?3, title = ?4, caption = ?5,
                 creator = ?6, copyright = ?7
             WHERE id = ?1",
            params![
                photo_id,
                m.rating,
                m.label,
                m.title,
                m.caption,
                m.creator,
                m.copyright
            ],
        )?;
        for keyword in &m.keywords {
            self.db.execute(
                "INSERT OR IGNORE INTO photo_keywords (photo_id, keyword) VALUES (?1, ?2)",
                params![photo_id, keyword],
            )?;
        }
        Ok(())
    }

    /// A face with its attributes (its id).
    pub fn face(
        &mut self,
        photo_id: i64,
        face: &NewFace,
        detector_version: &str,
        placement: Placement,
    ) -> Result<i64> {
        let (person, clustered) = match placement {
            Placement::Unseen => (None, false),
            Placement::Alone => (None, true),
            Placement::Person(id) => (Some(id), true),
        };
        let id: i64 = self.db.query_row(
            "INSERT INTO faces (photo_id, x, y, w, h, score, landmarks, embedding, person_id,
                 model_version, clustered)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             RETURNING id",
            params![
                photo_id,
                face.x,
                face.y,
                face.w,
                face.h,
                face.score,
                floats_to_blob(face.landmarks.iter().flat_map(|p| [p[0], p[1]])),
                face.embedding
                    .as_ref()
                    .map(|e| floats_to_blob(e.iter().copied())),
                person,
                detector_version,
                clustered,
            ],
            |r| r.get(0),
        )?;
        let rows = face.attributes.len();
        if rows > 0 {
            let sql = self.attributes.entry(rows).or_insert_with(|| {
                let values = vec!["(?, ?, ?, ?, ?)"; rows].join(", ");
                format!(
                    "INSERT INTO face_attributes (face_id, name, value, confidence,
                         model_version) VALUES {values}"
                )
            });
            let mut values = Vec::with_capacity(rows * 5);
            for a in &face.attributes {
                values.extend([
                    Value::Int(id),
                    Value::Text(a.name.as_str().into()),
                    Value::Real(f64::from(a.value)),
                    Value::Real(f64::from(a.confidence)),
                    Value::Text(a.model_version.as_str().into()),
                ]);
            }
            self.db.execute(sql, values)?;
        }
        Ok(id)
    }

    /// A photo-level score.
    pub fn photo_attribute(&mut self, photo_id: i64, attribute: &PhotoAttribute) -> Result<()> {
        self.db.execute(
            "INSERT INTO photo_attributes (photo_id, name, value, model_version)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                photo_id,
                attribute.name,
                attribute.value,
                attribute.model_version
            ],
        )?;
        Ok(())
    }

    /// Line `line` of the text found in a photo.
    pub fn text_line(
        &mut self,
        photo_id: i64,
        line: usize,
        text: &TextLine,
        model_version: &str,
    ) -> Result<()> {
        self.db.execute(
            "INSERT INTO photo_text (photo_id, line, text, score, quad, model_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                photo_id,
                line as i64,
                text.text,
                text.score,
                floats_to_blob(text.quad.iter().flat_map(|p| [p[0], p[1]])),
                model_version
            ],
        )?;
        Ok(())
    }

    /// A label or class of a photo; false when the photo already had it (the first one stays).
    pub fn label(
        &mut self,
        photo_id: i64,
        label: &PhotoLabel,
        model_version: &str,
    ) -> Result<bool> {
        Ok(self.db.execute(
            "INSERT OR IGNORE INTO labels (photo_id, kind, label, score, model_version)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                photo_id,
                label.kind.as_str(),
                label.name,
                label.score,
                model_version
            ],
        )? > 0)
    }

    /// What a photo looks like (its image descriptor, hash and sharpness).
    pub fn descriptor(
        &mut self,
        photo_id: i64,
        descriptor: &PhotoDescriptor,
        model_version: &str,
    ) -> Result<()> {
        replace_descriptor(self.db, photo_id, descriptor, model_version)
    }

    /// One object with its box.
    pub fn object(
        &mut self,
        photo_id: i64,
        object: &PhotoObject,
        model_version: &str,
    ) -> Result<()> {
        let id: i64 = self.db.query_row(
            "INSERT INTO objects (photo_id, class, score, x, y, w, h, model_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             RETURNING id",
            params![
                photo_id,
                object.class,
                object.score,
                object.x,
                object.y,
                object.w,
                object.h,
                model_version
            ],
            |r| r.get(0),
        )?;
        insert_wearing(self.db, id, &object.wearing)?;
        if self.object_photos.last() != Some(&photo_id) {
            self.object_photos.push(photo_id);
        }
        Ok(())
    }

    /// Builds the dropped indexes again, links the people of photos given objects, commits, and refreshes the query planner's statistics.
    pub fn finish(mut self) -> Result<()> {
        for sql in &self.indexes {
            self.db.execute_batch(sql)?;
        }
        self.object_photos.sort_unstable();
        self.object_photos.dedup();
        for &photo in &self.object_photos {
            link_persons(self.db, photo)?;
        }
        self.db.commit()?;
        self.finished = true;
        if !self.indexes.is_empty() {
            self.db.execute_batch(&match self.db.dialect() {
                // Statistics from a sample of each index: what the planner needs, in a fraction
                // of a full pass over millions of rows.
                Dialect::Sqlite => format!(
                    "PRAGMA analysis_limit = {ANALYSIS_ROWS}; ANALYZE; PRAGMA analysis_limit = 0;"
                ),
                // PostgreSQL samples on its own; the vacuum marks the loaded pages all-visible,
                // so index-only scans need not read the table.
                Dialect::Postgres => "VACUUM ANALYZE".to_string(),
            })?;
        }
        Ok(())
    }
}

impl Drop for BulkLoad<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.db.rollback();
        }
        if self.db.dialect() == Dialect::Sqlite {
            let _ = self.db.execute_batch("PRAGMA threads = 0");
        }
    }
}

/// Drops every index the engine does not need to enforce a constraint (those declared with `CREATE
/// INDEX`), returning their definitions.
fn drop_secondary_indexes(db: &Db) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = db.query_map(
        match db.dialect() {
            Dialect::Sqlite => {
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            }
            Dialect::Postgres => {
                "SELECT indexname, indexdef FROM pg_indexes
                 WHERE schemaname = current_schema()
                   AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            }
        },
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (name, _) in &indexes {
        db.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}
