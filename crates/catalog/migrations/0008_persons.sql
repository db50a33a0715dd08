-- 8: people as a whole (argus_core::persons): a body (an object of class `person`) links to the face
-- that heads it, and a carried or worn object to the body that carries it. The catalogue recomputes
-- both whenever a photo's faces or objects change; only objects that count (score 0.35) take part.

ALTER TABLE objects ADD COLUMN face_id INTEGER REFERENCES faces(id) ON DELETE SET NULL;
ALTER TABLE objects ADD COLUMN carrier_id INTEGER REFERENCES objects(id) ON DELETE SET NULL;
CREATE INDEX objects_face ON objects(face_id);
CREATE INDEX objects_carrier ON objects(carrier_id);
