-- 2: analysis results beyond the face box: per-face attributes, per-photo scores, text in the image.

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
