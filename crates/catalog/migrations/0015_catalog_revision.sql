-- 15: the catalogue's revision, a number every committed change raises (in the transaction that
-- writes: see `db::Db::count_revisions`), so that a copy of what was read from the catalogue — the
-- search index saved in the cache — can tell whether it is still current, in any process on any
-- machine. `catalog_id` (written on first open) tells catalogues apart.

INSERT INTO meta (key, value) VALUES ('revision', '0');
