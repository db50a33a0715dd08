-- What the tables of a PostgreSQL catalogue get after the migrations (run by Argus at every open;
-- what is there already is left alone, so tables a migration adds get it too):
--
-- 1. the change-announcing trigger (see prelude.sql);
-- 2. no index of its own any more: the covering index on face attributes an earlier version made
--    here is dropped (the search index now reads the table in one pass: see migration 16);
-- 3. for tables with an identity column (SQLite's INTEGER PRIMARY KEY), a trigger that moves the
--    column's sequence past an id given explicitly, as SQLite does (a new row gets the largest id
--    plus one): rows copied with their ids (`argus catalog migrate`) never collide with later ones.
DROP INDEX IF EXISTS face_attributes_name_covering;

DO $$
DECLARE
    t RECORD;
    sequence TEXT;
BEGIN
    FOR t IN
        SELECT c.oid, c.relname FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
          AND c.relname <> 'schema_version'
          AND NOT EXISTS (SELECT 1 FROM pg_trigger g
                          WHERE g.tgrelid = c.oid AND g.tgname = 'argus_announce_change')
    LOOP
        EXECUTE format('CREATE TRIGGER argus_announce_change
                        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION argus_announce_change()', t.relname);
    END LOOP;

    FOR t IN
        SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
          AND a.attidentity <> ''
          AND NOT EXISTS (SELECT 1 FROM pg_trigger g
                          WHERE g.tgrelid = c.oid AND g.tgname = 'argus_follow_ids')
    LOOP
        sequence := pg_get_serial_sequence(quote_ident(t.relname), t.attname);
        EXECUTE format(
            'CREATE OR REPLACE FUNCTION %I() RETURNS TRIGGER LANGUAGE plpgsql AS $f$
             BEGIN
                 IF NEW.%I > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
                              FROM %s) THEN
                     PERFORM setval(%L, NEW.%I);
                 END IF;
                 RETURN NEW;
             END
             $f$', 'argus_follow_ids_' || t.relname, t.attname, sequence, sequence, t.attname);
        EXECUTE format('CREATE TRIGGER argus_follow_ids BEFORE INSERT ON %I
                        FOR EACH ROW EXECUTE FUNCTION %I()',
                       t.relname, 'argus_follow_ids_' || t.relname);
    END LOOP;
END
$$;
