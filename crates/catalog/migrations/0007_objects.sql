-- 7: objects found with boxes (the `objects` stage): a COCO class (spelled as in
-- argus_core::objects::COCO_CLASSES; `person` is a whole body), its box on the upright photo
-- (normalised, 0..1) and score. The stage replaces a photo's objects each time it runs.

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
);
CREATE INDEX objects_photo ON objects(photo_id);
CREATE INDEX objects_class ON objects(class, score);
