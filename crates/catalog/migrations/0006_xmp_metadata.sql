-- 6: what other tools say about a photo (embedded XMP and IPTC-IIM, and its XMP sidecar): rating,
-- colour label, title, caption, creator, copyright, keywords, named regions and the names of the
-- people shown (Iptc4xmpExt:PersonInImage, as regions without an area); the sidecar read
-- (path, size, mtime: a changed sidecar is read again); a recorded problem with that metadata (the
-- photo is catalogued regardless). Faces gain `source`: `detected` (by analysis), `region` (made from
-- a named region no detected face matched; remade whenever the regions or faces change) or `manual`
-- (drawn by the user).

ALTER TABLE photos ADD COLUMN rating INTEGER;            -- 1..5 stars, -1 rejected; NULL: none
ALTER TABLE photos ADD COLUMN color_label TEXT;          -- xmp:Label as written
ALTER TABLE photos ADD COLUMN title TEXT;
ALTER TABLE photos ADD COLUMN caption TEXT;
ALTER TABLE photos ADD COLUMN creator TEXT;
ALTER TABLE photos ADD COLUMN copyright TEXT;
ALTER TABLE photos ADD COLUMN sidecar_path TEXT;         -- the sidecar read with the photo, if any
ALTER TABLE photos ADD COLUMN sidecar_size INTEGER;
ALTER TABLE photos ADD COLUMN sidecar_mtime_ns INTEGER;
ALTER TABLE photos ADD COLUMN metadata_problem TEXT;     -- what in the metadata could not be read

CREATE TABLE photo_keywords (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    keyword  TEXT NOT NULL,  -- levels joined by '/': 'People/Family/Ana'; a flat keyword is one level
    PRIMARY KEY (photo_id, keyword)
) WITHOUT ROWID;
CREATE INDEX photo_keywords_keyword ON photo_keywords(keyword COLLATE NOCASE);

CREATE TABLE photo_regions (
    id       INTEGER PRIMARY KEY,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,  -- face, pet, focus … as the file says, lower case; 'person' for a name alone
    name     TEXT,
    x REAL, y REAL, w REAL, h REAL, -- normalised to the upright image; NULL for a name alone
    source   TEXT NOT NULL CHECK (source IN ('mwg', 'microsoft', 'person-in-image'))
);
CREATE INDEX photo_regions_photo ON photo_regions(photo_id);

ALTER TABLE faces ADD COLUMN source TEXT NOT NULL DEFAULT 'detected'
    CHECK (source IN ('detected', 'region', 'manual'));
