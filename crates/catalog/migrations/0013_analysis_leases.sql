-- 13: analysis spread over machines (`argus analyze --worker`). A photo a worker is analysing is
-- leased to it until `expires_at` (unix seconds by the catalogue's clock), renewed while it works: a
-- worker that dies lets its lease run out and another takes the photo. `analysis_ledger` records each
-- analysis a worker wrote, one row per photo and stage: a photo is analysed once per stage and model
-- version, whichever worker did it.

CREATE TABLE analysis_leases (
    photo_id   INTEGER NOT NULL PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    worker     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX analysis_leases_worker ON analysis_leases(worker);

CREATE TABLE analysis_ledger (
    photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    stage         TEXT NOT NULL,
    model_version TEXT NOT NULL,
    worker        TEXT NOT NULL,
    done_at       INTEGER NOT NULL
);
CREATE INDEX analysis_ledger_photo ON analysis_ledger(photo_id, stage);
