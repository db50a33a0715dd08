-- 10: what each photo looks like, for "more like this" and duplicates (the `descriptor` stage): a unit
-- descriptor of DESCRIPTOR_DIM components in 8 bits each (the scene network's pooled features; the cosine
-- of two photos is the integer dot product over the two norms), a 64-bit perceptual hash (the DCT
-- hash's bits as a signed integer) and the photo's sharpness (variance of the Laplacian at 512 px).

CREATE TABLE photo_descriptors (
    photo_id      INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    vector        BLOB NOT NULL,
    phash         INTEGER NOT NULL,
    sharpness     REAL NOT NULL,
    model_version TEXT NOT NULL
);
