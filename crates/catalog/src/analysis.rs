//! Writing one photo's analysis results in one go: a new face set or updates to stored faces,
//! photo-level scores, text, labels, the descriptor, objects (then which face and objects belong to which body),
//! and the ledger rows of every stage that ran (or failed).

use crate::db::Db;

use super::descriptors::replace_descriptor;
use super::faces::{replace_faces, update_faces};
use super::objects::replace_objects;
use super::persons::link_persons;
use super::photo_results::{replace_labels, replace_text, write_photo_attributes};
use super::runs::{forget_runs, record_run};
use crate::Result;
use argus_core::results::PhotoAnalysis;

/// Tables holding a photo's analysis, keyed by `photo_id` (face attributes go with their faces, a
/// body's clothing with its object, by cascade): dropped when the photo's content changes, moved when
/// a shot's primary changes.
pub(crate) const ANALYSIS_TABLES: [&str; 7] = [
    "faces",
    "objects",
    "photo_descriptors",
    "labels",
    "photo_attributes",
    "photo_text",
    "analysis_runs",
];

/// Writes a photo's results (inside the caller's transaction).
pub(crate) fn write_analysis(conn: &Db, result: &PhotoAnalysis) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use crate::fixture::photo_record as record;
    use crate::{PhotoAnalysis, PhotoDescriptor, PhotoObject};

    #[test]
    fn new_content_at_the_same_path_forgets_everything_analysis_found() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalog = crate::fixture::open_test_catalog(dir.path());
        let library = catalog.add_library(dir.path()).unwrap();
        let path = dir.path().join("a.jpg");
        let tx = catalog.writer().unwrap();
        let id = tx.upsert_photo(&record(library.id, &path, "old")).unwrap();
        let result = PhotoAnalysis {
            photo_id: id,
            descriptor: Some((
                "d".into(),
                PhotoDescriptor {
                    vector: vec![1, 2, 3],
                    phash: u64::MAX,
                    sharpness: 5.0,
                },
            )),
            objects: Some((
                "o".into(),
                vec![PhotoObject {
                    class: "dog".into(),
                    score: 0.9,
                    w: 0.5,
                    h: 0.5,
                    ..PhotoObject::default()
                }],
            )),
            runs: vec![("descriptor".into(), "d".into(), None)],
            ..PhotoAnalysis::default()
        };
        assert!(tx.write_analysis_of("old", &result).unwrap());
        tx.commit().unwrap();
        let stored = catalog.photo_descriptor(id).unwrap().expect("stored");
        assert_eq!(
            stored.descriptor.phash,
            u64::MAX,
            "the hash's 64 bits survive"
        );
        assert_eq!(stored.descriptor.vector, vec![1, 2, 3]);
        assert_eq!(catalog.photo_objects(id).unwrap().len(), 1);

        let tx = catalog.writer().unwrap();
        assert_eq!(
            tx.upsert_photo(&record(library.id, &path, "new")).unwrap(),
            id
        );
        tx.commit().unwrap();
        assert!(catalog.photo_descriptor(id).unwrap().is_none());
        assert!(catalog.photo_objects(id).unwrap().is_empty());
    }
}
