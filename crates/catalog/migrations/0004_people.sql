-- 4: people. A face's person is automatic unless `confirmed` (the user put it there); rejections
-- are remembered per face and person; `clustered` marks faces the clustering has seen (so a run
-- only looks at new faces) and `cell` is the face's cell in the nearest-neighbour index, whose
-- centroids live in `face_cells`. `meta` holds small catalogue-wide facts (index and embedding
-- versions).

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
