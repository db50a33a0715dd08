-- 16: the search index reads every face attribute in one pass over the table (in key order), so the
-- index by attribute name and value — read once per attribute before — is dropped: it was a quarter
-- of a big catalogue (2.3 GB of 9.7 at a million photos) and no query needs it (the others go by
-- face, the table's key).

DROP INDEX face_attributes_name;
