-- 11: stacks the user makes from duplicate groups, on the mechanism RAW+JPEG shots use: a photo stacked
-- behind the copy the user kept has `shot_of` pointing at it and `stack_kind` 'duplicate' (NULL for a
-- shot's companion, which the scan manages); it leaves the grid, search and analysis but stays in the
-- catalogue. And the pairs the user said are not duplicates, never grouped again.

ALTER TABLE photos ADD COLUMN stack_kind TEXT;

CREATE TABLE duplicate_dismissals (
    photo_a      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    photo_b      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    dismissed_at INTEGER NOT NULL,
    PRIMARY KEY (photo_a, photo_b),
    CHECK (photo_a < photo_b)
);
