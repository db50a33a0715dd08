-- 17: which photos each committed change touched (see `crate::changes`), so that a copy of what was
-- read at an earlier revision — the search index saved in the cache — is brought up to date by
-- reading those photos again instead of the whole catalogue. Triggers (one file per engine, next
-- to this one's number) note the photo of every row written to the tables the index reads in
-- `photo_changes_pending`; the transaction's last statements move them into `photo_changes` under
-- the revision it commits as. `changes_logged_from`: the log is complete after this revision.
CREATE TABLE photo_changes_pending (photo_id INTEGER NOT NULL);

CREATE TABLE photo_changes (
    revision INTEGER NOT NULL,
    photo_id INTEGER NOT NULL,
    PRIMARY KEY (revision, photo_id)
) WITHOUT ROWID;

INSERT INTO meta (key, value) SELECT 'changes_logged_from', value FROM meta WHERE key = 'revision';
