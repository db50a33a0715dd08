-- 5: where a photo's pixels come from (HEIF, JPEG XL, camera RAW preview or demosaic), how many other
-- images its file holds (HEIF bursts), and shots: a RAW and a JPEG/HEIC with the same name in the same
-- folder are one shot. The shot's primary has `shot_of` NULL; each companion file points at it, and is
-- left out of the grid, search, facets and analysis (the primary carries the shot's analysis).
-- `shot_pinned` marks the file the user made its shot's primary (else the JPEG is).

    ALTER TABLE photos ADD COLUMN pixel_source TEXT;  -- decoder | libheif | jxl-oxide | raw-preview | raw-demosaic
    ALTER TABLE photos ADD COLUMN other_images INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE photos ADD COLUMN shot_of INTEGER REFERENCES photos(id) ON DELETE SET NULL;
    ALTER TABLE photos ADD COLUMN shot_pinned INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX photos_shot_of ON photos(shot_of) WHERE shot_of IS NOT NULL;
