-- Generated: the schema of a fresh catalogue after every migration in migrations/ (schema
-- version 17), from sqlite_master, by type then name. Do not edit; regenerate with
--   ARGUS_UPDATE_SNAPSHOTS=1 cargo test -p argus-catalog schema

CREATE INDEX analysis_leases_worker ON analysis_leases(worker);

CREATE INDEX analysis_ledger_photo ON analysis_ledger(photo_id, stage);

CREATE INDEX analysis_runs_stage ON analysis_runs(stage, model_version);

CREATE INDEX face_rejections_person ON face_rejections(person_id);

CREATE INDEX faces_cell ON faces(cell);

CREATE INDEX faces_confirmed ON faces(person_id) WHERE confirmed = 1;

CREATE INDEX faces_person ON faces(person_id);

CREATE INDEX faces_photo ON faces(photo_id);

CREATE INDEX faces_unclustered ON faces(id) WHERE clustered = 0;

CREATE INDEX labels_label ON labels(kind, label, score);

CREATE INDEX object_wearing_name ON object_wearing(name, score);

CREATE INDEX objects_carrier ON objects(carrier_id);

CREATE INDEX objects_class ON objects(class, score);

CREATE INDEX objects_face ON objects(face_id);

CREATE INDEX objects_photo ON objects(photo_id);

CREATE INDEX people_name ON people(name COLLATE NOCASE);

CREATE INDEX photo_attributes_name ON photo_attributes(name, value);

CREATE INDEX photo_keywords_keyword ON photo_keywords(keyword COLLATE NOCASE);

CREATE INDEX photo_regions_photo ON photo_regions(photo_id);

CREATE INDEX photo_text_photo ON photo_text(photo_id, line);

CREATE INDEX photos_hash ON photos(hash);

CREATE INDEX photos_library ON photos(library_id);

CREATE INDEX photos_not_ok ON photos(status) WHERE status <> 'ok';

CREATE INDEX photos_shot_of ON photos(shot_of) WHERE shot_of IS NOT NULL;

CREATE INDEX photos_taken ON photos(taken_at);

CREATE TABLE analysis_leases (
    photo_id   INTEGER NOT NULL PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    worker     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE analysis_ledger (
    photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    stage         TEXT NOT NULL,
    model_version TEXT NOT NULL,
    worker        TEXT NOT NULL,
    done_at       INTEGER NOT NULL
);

CREATE TABLE analysis_runs (
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        stage         TEXT NOT NULL,
        model_version TEXT NOT NULL,
        done_at       INTEGER NOT NULL,
        error         TEXT,
        PRIMARY KEY (photo_id, stage)
    );

CREATE TABLE duplicate_dismissals (
    photo_a      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    photo_b      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    dismissed_at INTEGER NOT NULL,
    PRIMARY KEY (photo_a, photo_b),
    CHECK (photo_a < photo_b)
);

CREATE TABLE face_attributes (
        face_id       INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        value         REAL NOT NULL,
        confidence    REAL NOT NULL,
        model_version TEXT NOT NULL,
        PRIMARY KEY (face_id, name)
    ) WITHOUT ROWID;

CREATE TABLE face_cells (
        cell     INTEGER PRIMARY KEY,
        centroid BLOB NOT NULL
    );

CREATE TABLE face_rejections (
        face_id   INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        PRIMARY KEY (face_id, person_id)
    ) WITHOUT ROWID;

CREATE TABLE faces (
        id            INTEGER PRIMARY KEY,
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL, -- normalised 0..1
        score         REAL NOT NULL,
        landmarks     BLOB,
        embedding     BLOB,
        person_id     INTEGER REFERENCES people(id) ON DELETE SET NULL,
        model_version TEXT NOT NULL
    , confirmed INTEGER NOT NULL DEFAULT 0, clustered INTEGER NOT NULL DEFAULT 0, cell INTEGER, source TEXT NOT NULL DEFAULT 'detected'
    CHECK (source IN ('detected', 'region', 'manual')));

CREATE TABLE labels (
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL CHECK (kind IN ('label', 'class')),
        label         TEXT NOT NULL,
        score         REAL NOT NULL,
        model_version TEXT NOT NULL,
        PRIMARY KEY (photo_id, kind, label)
    ) WITHOUT ROWID;

CREATE TABLE libraries (
        id           INTEGER PRIMARY KEY,
        path         TEXT NOT NULL UNIQUE,      -- absolute, canonical
        added_at     INTEGER NOT NULL,          -- unix seconds
        last_scan_at INTEGER
    );

CREATE TABLE library_mounts (
    library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    machine    TEXT NOT NULL,
    path       TEXT NOT NULL,
    PRIMARY KEY (library_id, machine)
);

CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;

CREATE TABLE object_wearing (
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    score     REAL NOT NULL,
    PRIMARY KEY (object_id, name)
);

CREATE TABLE objects (
    id            INTEGER PRIMARY KEY,
    photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    class         TEXT NOT NULL,
    score         REAL NOT NULL,
    x             REAL NOT NULL,
    y             REAL NOT NULL,
    w             REAL NOT NULL,
    h             REAL NOT NULL,
    model_version TEXT NOT NULL
, face_id INTEGER REFERENCES faces(id) ON DELETE SET NULL, carrier_id INTEGER REFERENCES objects(id) ON DELETE SET NULL);

CREATE TABLE people (
        id            INTEGER PRIMARY KEY,
        name          TEXT,
        hidden        INTEGER NOT NULL DEFAULT 0,
        cover_face_id INTEGER,
        created_at    INTEGER NOT NULL
    );

CREATE TABLE photo_attributes (
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        value         REAL NOT NULL,
        model_version TEXT NOT NULL,
        PRIMARY KEY (photo_id, name)
    ) WITHOUT ROWID;

CREATE TABLE photo_changes (
    revision INTEGER NOT NULL,
    photo_id INTEGER NOT NULL,
    PRIMARY KEY (revision, photo_id)
) WITHOUT ROWID;

CREATE TABLE photo_changes_pending (photo_id INTEGER NOT NULL);

CREATE TABLE photo_descriptors (
    photo_id      INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    vector        BLOB NOT NULL,
    phash         INTEGER NOT NULL,
    sharpness     REAL NOT NULL,
    model_version TEXT NOT NULL
);

CREATE TABLE photo_keywords (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    keyword  TEXT NOT NULL,  -- levels joined by '/': 'People/Family/Ana'; a flat keyword is one level
    PRIMARY KEY (photo_id, keyword)
) WITHOUT ROWID;

CREATE TABLE photo_regions (
    id       INTEGER PRIMARY KEY,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,  -- face, pet, focus … as the file says, lower case; 'person' for a name alone
    name     TEXT,
    x REAL, y REAL, w REAL, h REAL, -- normalised to the upright image; NULL for a name alone
    source   TEXT NOT NULL CHECK (source IN ('mwg', 'microsoft', 'person-in-image'))
);

CREATE TABLE photo_text (
        id            INTEGER PRIMARY KEY,
        photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        line          INTEGER NOT NULL,
        text          TEXT NOT NULL,
        score         REAL NOT NULL,
        quad          BLOB NOT NULL,
        model_version TEXT NOT NULL
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
    , pixel_source TEXT, other_images INTEGER NOT NULL DEFAULT 0, shot_of INTEGER REFERENCES photos(id) ON DELETE SET NULL, shot_pinned INTEGER NOT NULL DEFAULT 0, rating INTEGER, color_label TEXT, title TEXT, caption TEXT, creator TEXT, copyright TEXT, sidecar_path TEXT, sidecar_size INTEGER, sidecar_mtime_ns INTEGER, metadata_problem TEXT, stack_kind TEXT);

CREATE TRIGGER analysis_runs_changed_delete AFTER DELETE ON analysis_runs BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;

CREATE TRIGGER analysis_runs_changed_insert AFTER INSERT ON analysis_runs BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;

CREATE TRIGGER analysis_runs_changed_update AFTER UPDATE ON analysis_runs BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;

CREATE TRIGGER faces_changed_delete AFTER DELETE ON faces BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;

CREATE TRIGGER faces_changed_insert AFTER INSERT ON faces BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;

CREATE TRIGGER faces_changed_update AFTER UPDATE OF person_id, photo_id ON faces BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;

CREATE TRIGGER labels_changed_delete AFTER DELETE ON labels BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;

CREATE TRIGGER labels_changed_insert AFTER INSERT ON labels BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;

CREATE TRIGGER labels_changed_update AFTER UPDATE ON labels BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;

CREATE TRIGGER objects_changed_delete AFTER DELETE ON objects BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;

CREATE TRIGGER objects_changed_insert AFTER INSERT ON objects BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;

CREATE TRIGGER objects_changed_update AFTER UPDATE ON objects BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;

CREATE TRIGGER photo_attributes_changed_delete AFTER DELETE ON photo_attributes BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;

CREATE TRIGGER photo_attributes_changed_insert AFTER INSERT ON photo_attributes BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;

CREATE TRIGGER photo_attributes_changed_update AFTER UPDATE ON photo_attributes BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;

CREATE TRIGGER photo_keywords_changed_delete AFTER DELETE ON photo_keywords BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;

CREATE TRIGGER photo_keywords_changed_insert AFTER INSERT ON photo_keywords BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;

CREATE TRIGGER photo_keywords_changed_update AFTER UPDATE ON photo_keywords BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;

CREATE TRIGGER photo_text_changed_delete AFTER DELETE ON photo_text BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;

CREATE TRIGGER photo_text_changed_insert AFTER INSERT ON photo_text BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;

CREATE TRIGGER photo_text_changed_update AFTER UPDATE ON photo_text BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;

CREATE TRIGGER photos_changed_delete AFTER DELETE ON photos BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.id);
END;

CREATE TRIGGER photos_changed_insert AFTER INSERT ON photos BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.id);
END;

CREATE TRIGGER photos_changed_update AFTER UPDATE ON photos BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.id);
END;
