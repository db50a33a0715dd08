//! Schema migrations, tracked by SQLite's `user_version` (the approach of the `rusqlite_migration`
//! crate, which has no release for rusqlite 0.41). Each migration runs in its own transaction together
//! with the version bump, so a crash leaves the catalogue at a whole version. Append only: never edit a
//! migration that has shipped.

use rusqlite::Connection;

use crate::{Error, Result};

/// Migration `i` takes the catalogue from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: libraries and photos, plus the first cut of the analysis tables.
    r#"
    CREATE TABLE libraries (
        id           INTEGER PRIMARY KEY,
        path         TEXT NOT NULL UNIQUE,      -- absolute, canonical
        added_at     INTEGER NOT NULL,          -- unix seconds
        last_scan_at INTEGER
    );

    CREATE TABLE photos (
        id                INTEGER PRIMARY KEY,
        library_id        INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        path              TEXT NOT NULL UNIQUE, -- absolute
        file_name         TEXT NOT NULL,
        size              INTEGER NOT NULL,     -- bytes
        mtime_ns          INTEGER NOT NULL,     -- file modification time, ns since the epoch
        hash              TEXT,                 -- BLAKE3 of the content, hex; NULL if unreadable
        status            TEXT NOT NULL CHECK (status IN ('ok', 'error', 'unsupported')),
        error             TEXT,                 -- why status is not 'ok'
        format            TEXT,                 -- jpeg, png, webp, tiff, gif, bmp
        width             INTEGER,              -- as displayed, i.e. after EXIF orientation
        height            INTEGER,
        orientation       INTEGER,              -- EXIF orientation 1..8 as stored in the file
        taken_at          TEXT,                 -- local wall clock 'YYYY-MM-DDTHH:MM:SS[.fff]'
        taken_offset      TEXT,                 -- '+02:00' when the file says
        camera_make       TEXT,
        camera_model      TEXT,
        lens              TEXT,
        focal_length      REAL,                 -- mm
        focal_length_35mm INTEGER,              -- mm, 35 mm equivalent
        aperture          REAL,                 -- f-number
        exposure_time     REAL,                 -- seconds
        iso               INTEGER,
        gps_lat           REAL,                 -- degrees, + north
        gps_lon           REAL,                 -- degrees, + east
        gps_alt           REAL,                 -- metres
        added_at          INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL
    );
    CREATE INDEX photos_library ON photos(library_id);
    CREATE INDEX photos_hash ON photos(hash);
    CREATE INDEX photos_taken ON photos(taken_at);
    CREATE INDEX photos_not_ok ON photos(status) WHERE status <> 'ok';

    -- Analysis (filled by the analysis pipeline). A photo's analysis belongs to its content: the scanner
    -- deletes these rows when a file's hash changes, and keeps them when a file only moves.
    CREATE TABLE people (
        id            INTEGER PRIMARY KEY,
        name          TEXT,
        hidden        INTEGER NOT NULL DEFAULT 0,
        cover_face_id INTEGER,
        created_at    INTEGER NOT NULL
    );
    CREATE TABLE faces (
        id            INTEGER PRIMARY KEY,
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL, -- normalised 0..1
        score         REAL NOT NULL,
        landmarks     BLOB,
        embedding     BLOB,
        person_id     INTEGER REFERENCES people(id) ON DELETE SET NULL,
        model_version TEXT NOT NULL
    );
    CREATE INDEX faces_photo ON faces(photo_id);
    CREATE INDEX faces_person ON faces(person_id);
    CREATE TABLE labels (
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        label         TEXT NOT NULL,
        score         REAL NOT NULL,
        model_version TEXT NOT NULL,
        PRIMARY KEY (photo_id, label, model_version)
    );
    CREATE INDEX labels_label ON labels(label, score);
    -- Which analysis stage ran on which photo with which model version (incremental analysis).
    CREATE TABLE analysis_runs (
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        stage         TEXT NOT NULL,
        model_version TEXT NOT NULL,
        done_at       INTEGER NOT NULL,
        error         TEXT,
        PRIMARY KEY (photo_id, stage)
    );
    "#,
    // 2: analysis results beyond the face box: per-face attributes, per-photo scores, text in the image.
    r#"
    -- One row per face and attribute. Probabilities (male, smile, eyes_open, emotion.happy …) have
    -- value in 0..1; `age` is in years. `confidence` is how sure the model is of `value` (0..1).
    CREATE TABLE face_attributes (
        face_id       INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        value         REAL NOT NULL,
        confidence    REAL NOT NULL,
        model_version TEXT NOT NULL,
        PRIMARY KEY (face_id, name)
    ) WITHOUT ROWID;
    CREATE INDEX face_attributes_name ON face_attributes(name, value);
    -- Photo-level scores (unsafe …), same conventions.
    CREATE TABLE photo_attributes (
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        value         REAL NOT NULL,
        model_version TEXT NOT NULL,
        PRIMARY KEY (photo_id, name)
    ) WITHOUT ROWID;
    CREATE INDEX photo_attributes_name ON photo_attributes(name, value);
    -- Lines of text found in the photo, in reading order; `quad` is 4 corners (x, y normalised to the
    -- upright photo) as 8 little-endian f32.
    CREATE TABLE photo_text (
        id            INTEGER PRIMARY KEY,
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        line          INTEGER NOT NULL,
        text          TEXT NOT NULL,
        score         REAL NOT NULL,
        quad          BLOB NOT NULL,
        model_version TEXT NOT NULL
    );
    CREATE INDEX photo_text_photo ON photo_text(photo_id, line);
    CREATE INDEX analysis_runs_stage ON analysis_runs(stage, model_version);
    "#,
    // 3: scene labels as the labels stage writes them: browse labels and raw classes side by side.
    r#"
    DROP TABLE labels;
    -- `kind` 'label': a browse label (cat, beach, food …); 'class': a raw ImageNet class name.
    CREATE TABLE labels (
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL CHECK (kind IN ('label', 'class')),
        label         TEXT NOT NULL,
        score         REAL NOT NULL,
        model_version TEXT NOT NULL,
        PRIMARY KEY (photo_id, kind, label)
    ) WITHOUT ROWID;
    CREATE INDEX labels_label ON labels(kind, label, score);
    "#,
    // 4: people. A face's person is automatic unless `confirmed` (the user put it there); rejections
    // are remembered per face and person; `clustered` marks faces the clustering has seen (so a run
    // only looks at new faces) and `cell` is the face's cell in the nearest-neighbour index, whose
    // centroids live in `face_cells`. `meta` holds small catalogue-wide facts (index and embedding
    // versions).
    r#"
    ALTER TABLE faces ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE faces ADD COLUMN clustered INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE faces ADD COLUMN cell INTEGER;
    CREATE INDEX faces_cell ON faces(cell);
    CREATE INDEX faces_unclustered ON faces(id) WHERE clustered = 0;
    CREATE TABLE face_rejections (
        face_id   INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        PRIMARY KEY (face_id, person_id)
    ) WITHOUT ROWID;
    CREATE INDEX face_rejections_person ON face_rejections(person_id);
    CREATE TABLE face_cells (
        cell     INTEGER PRIMARY KEY,
        centroid BLOB NOT NULL
    );
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX people_name ON people(name COLLATE NOCASE);
    "#,
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Brings the catalogue up to [`latest_version`]; refuses a catalogue from a newer build.
pub fn migrate(conn: &mut Connection, path: &std::path::Path) -> Result<()> {
    let current: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > latest_version() {
        return Err(Error::SchemaTooNew {
            path: path.to_path_buf(),
            found: current,
            known: latest_version(),
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
