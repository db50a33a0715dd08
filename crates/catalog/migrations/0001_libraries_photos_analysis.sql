-- 1: libraries and photos, plus the first cut of the analysis tables.

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
