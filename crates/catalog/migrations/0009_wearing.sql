-- 9: what each body wears (the objects stage scores clothing names, argus_core::clothing, on a crop of
-- every large body that counts), stored from a low score so the threshold can move without analysing
-- again. Replaced with the photo's objects.

CREATE TABLE object_wearing (
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    score     REAL NOT NULL,
    PRIMARY KEY (object_id, name)
);
CREATE INDEX object_wearing_name ON object_wearing(name, score);
