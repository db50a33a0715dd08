-- 17, PostgreSQL: the triggers that note which photo each written row belongs to (see the
-- migration). Faces count when they come, go or change person; face attributes and clothing are
-- written only by analysis, which records its run (`analysis_runs`) in the same transaction.
CREATE OR REPLACE FUNCTION argus_photo_changed() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.photo_id IS DISTINCT FROM OLD.photo_id) THEN
        INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION argus_photo_row_changed() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.id);
    ELSE
        INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER argus_photo_changed AFTER INSERT OR UPDATE OR DELETE ON photos
    FOR EACH ROW EXECUTE FUNCTION argus_photo_row_changed();
CREATE TRIGGER argus_photo_changed AFTER INSERT OR DELETE OR UPDATE OF person_id, photo_id ON faces
    FOR EACH ROW EXECUTE FUNCTION argus_photo_changed();
CREATE TRIGGER argus_photo_changed AFTER INSERT OR UPDATE OR DELETE ON labels
    FOR EACH ROW EXECUTE FUNCTION argus_photo_changed();
CREATE TRIGGER argus_photo_changed AFTER INSERT OR UPDATE OR DELETE ON objects
    FOR EACH ROW EXECUTE FUNCTION argus_photo_changed();
CREATE TRIGGER argus_photo_changed AFTER INSERT OR UPDATE OR DELETE ON photo_keywords
    FOR EACH ROW EXECUTE FUNCTION argus_photo_changed();
CREATE TRIGGER argus_photo_changed AFTER INSERT OR UPDATE OR DELETE ON photo_attributes
    FOR EACH ROW EXECUTE FUNCTION argus_photo_changed();
CREATE TRIGGER argus_photo_changed AFTER INSERT OR UPDATE OR DELETE ON photo_text
    FOR EACH ROW EXECUTE FUNCTION argus_photo_changed();
CREATE TRIGGER argus_photo_changed AFTER INSERT OR UPDATE OR DELETE ON analysis_runs
    FOR EACH ROW EXECUTE FUNCTION argus_photo_changed();
