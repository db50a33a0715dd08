-- 3: scene labels as the labels stage writes them: browse labels and raw classes side by side.

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
