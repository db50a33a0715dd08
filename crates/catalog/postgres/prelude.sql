-- What a PostgreSQL catalogue needs besides its tables (run by Argus at every open, before the
-- migrations; every statement may run again): the collation and the functions SQLite has built in or
-- Argus registers on each SQLite connection, and the change notices.

-- SQLite's NOCASE: equal ignoring case (ICU, accents still count).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_collation
                   WHERE collname = 'nocase' AND collnamespace = current_schema()::regnamespace) THEN
        CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
    END IF;
END
$$;

-- Great-circle distance in km between two points in degrees (NULL when a coordinate is): the same
-- haversine as argus_catalog::great_circle_km.
CREATE OR REPLACE FUNCTION distance_km(lat1 DOUBLE PRECISION, lon1 DOUBLE PRECISION,
                                       lat2 DOUBLE PRECISION, lon2 DOUBLE PRECISION)
RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 6371.0 * 2.0 * asin(least(sqrt(
        sin((radians(lat2) - radians(lat1)) / 2) * sin((radians(lat2) - radians(lat1)) / 2)
        + cos(radians(lat1)) * cos(radians(lat2))
          * sin(radians(lon2 - lon1) / 2) * sin(radians(lon2 - lon1) / 2)), 1.0))
$$;

-- argus_core::metadata::keyword_matches: the term's levels ('/'-separated, trimmed, empty ones
-- dropped) equal the keyword's first levels, or a one-level term equals any level; ignoring case.
CREATE OR REPLACE FUNCTION keyword_levels(path TEXT) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(array_agg(lower(btrim(level, E' \t\n\r\f\v')) ORDER BY n), '{}')
    FROM unnest(string_to_array(path, '/')) WITH ORDINALITY AS levels(level, n)
    WHERE btrim(level, E' \t\n\r\f\v') <> ''
$$;

CREATE OR REPLACE FUNCTION keyword_matches(keyword TEXT, term TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    t TEXT[] := keyword_levels(term);
    k TEXT[] := keyword_levels(keyword);
BEGIN
    IF keyword IS NULL OR term IS NULL OR cardinality(t) = 0 THEN
        RETURN false;
    END IF;
    IF cardinality(t) = 1 THEN
        RETURN t[1] = ANY (k);
    END IF;
    RETURN cardinality(k) >= cardinality(t) AND k[1:cardinality(t)] = t;
END
$$;

-- argus_catalog::descriptor_similarity of two stored descriptors (signed bytes): their cosine, in
-- single precision as the Rust code computes it.
CREATE OR REPLACE FUNCTION photo_similarity(a BYTEA, b BYTEA) RETURNS DOUBLE PRECISION
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    ab BIGINT := 0;
    aa BIGINT := 0;
    bb BIGINT := 0;
    x INT;
    y INT;
BEGIN
    FOR i IN 0 .. least(length(a), length(b)) - 1 LOOP
        x := get_byte(a, i);
        y := get_byte(b, i);
        IF x > 127 THEN x := x - 256; END IF;
        IF y > 127 THEN y := y - 256; END IF;
        ab := ab + x * y;
        aa := aa + x * x;
        bb := bb + y * y;
    END LOOP;
    IF aa = 0 OR bb = 0 THEN
        RETURN 0;
    END IF;
    RETURN (ab::REAL / sqrt(aa::REAL * bb::REAL)::REAL)::REAL;
END
$$;

-- Every committed change is announced on the channel argus_changes (payload: the catalogue's
-- schema), once per transaction and table: how other desktops see names and new photos within
-- seconds. The triggers themselves are put on every table after the migrations.
CREATE OR REPLACE FUNCTION argus_announce_change() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('argus_changes', current_schema());
    RETURN NULL;
END
$$;
