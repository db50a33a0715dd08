-- 14: one library, several machines. A shared catalogue stores each photo's path as the machine that
-- added its library saw it (`libraries.path` is that root); another machine that mounts the same
-- share elsewhere records its own root here, and paths are translated on the way in and out.
-- `machine` is the machine's name (ARGUS_MACHINE, else its host name).

CREATE TABLE library_mounts (
    library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    machine    TEXT NOT NULL,
    path       TEXT NOT NULL,
    PRIMARY KEY (library_id, machine)
);
