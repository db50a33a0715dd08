-- 12: the people holding confirmed faces, found without reading every face: the clustering asks for
-- them on every run (their confirmed faces are the prototypes a face may join through).

CREATE INDEX faces_confirmed ON faces(person_id) WHERE confirmed = 1;
