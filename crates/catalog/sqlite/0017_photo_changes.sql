-- 17, SQLite: the triggers that note which photo each written row belongs to (see the migration).
-- Faces count when they come, go or change person; face attributes and clothing are written only
-- by analysis, which records its run (`analysis_runs`) in the same transaction.

CREATE TRIGGER photos_changed_insert AFTER INSERT ON photos BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.id);
END;
CREATE TRIGGER photos_changed_update AFTER UPDATE ON photos BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.id);
END;
CREATE TRIGGER photos_changed_delete AFTER DELETE ON photos BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.id);
END;
CREATE TRIGGER faces_changed_insert AFTER INSERT ON faces BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;
CREATE TRIGGER faces_changed_update AFTER UPDATE OF person_id, photo_id ON faces BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;
CREATE TRIGGER faces_changed_delete AFTER DELETE ON faces BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;
CREATE TRIGGER labels_changed_insert AFTER INSERT ON labels BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;
CREATE TRIGGER labels_changed_update AFTER UPDATE ON labels BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;
CREATE TRIGGER labels_changed_delete AFTER DELETE ON labels BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;
CREATE TRIGGER objects_changed_insert AFTER INSERT ON objects BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;
CREATE TRIGGER objects_changed_update AFTER UPDATE ON objects BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;
CREATE TRIGGER objects_changed_delete AFTER DELETE ON objects BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;
CREATE TRIGGER photo_keywords_changed_insert AFTER INSERT ON photo_keywords BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;
CREATE TRIGGER photo_keywords_changed_update AFTER UPDATE ON photo_keywords BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;
CREATE TRIGGER photo_keywords_changed_delete AFTER DELETE ON photo_keywords BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;
CREATE TRIGGER photo_attributes_changed_insert AFTER INSERT ON photo_attributes BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;
CREATE TRIGGER photo_attributes_changed_update AFTER UPDATE ON photo_attributes BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;
CREATE TRIGGER photo_attributes_changed_delete AFTER DELETE ON photo_attributes BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;
CREATE TRIGGER photo_text_changed_insert AFTER INSERT ON photo_text BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;
CREATE TRIGGER photo_text_changed_update AFTER UPDATE ON photo_text BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;
CREATE TRIGGER photo_text_changed_delete AFTER DELETE ON photo_text BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;
CREATE TRIGGER analysis_runs_changed_insert AFTER INSERT ON analysis_runs BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (NEW.photo_id);
END;
CREATE TRIGGER analysis_runs_changed_update AFTER UPDATE ON analysis_runs BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id), (NEW.photo_id);
END;
CREATE TRIGGER analysis_runs_changed_delete AFTER DELETE ON analysis_runs BEGIN
    INSERT INTO photo_changes_pending (photo_id) VALUES (OLD.photo_id);
END;
