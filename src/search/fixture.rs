//! A small real catalogue for the search tests (faces with attributes, people, labels, EXIF, GPS).

use rusqlite::params;

use super::compile::compile;
use super::{parse, Expr};
use crate::catalog::Catalog;

/// A real catalogue: photo 1 has one face with beard and sunglasses (Ana); photo 2 has a
/// bearded face and another with sunglasses; photo 3 has no face; photo 4 has a bearded face
/// (Ana, no sunglasses), a cat, GPS in Amsterdam and was taken in 2023.
pub fn catalogue() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(&dir.path().join("catalog.db")).unwrap();
    let conn = catalog.conn();
    conn.execute_batch(
        "INSERT INTO libraries (id, path, added_at) VALUES (1, '/lib', 0);
         INSERT INTO people (id, name, created_at) VALUES (1, 'Ana', 0);",
    )
    .unwrap();
    for (id, taken, lat, lon) in [
        (1, Some("2024-05-01T10:00:00"), None, None),
        (2, Some("2024-07-01T10:00:00"), None, None),
        (3, None, None, None),
        (4, Some("2023-03-09T08:00:00"), Some(52.3731), Some(4.8922)),
    ] {
        conn.execute(
            "INSERT INTO photos (id, library_id, path, file_name, size, mtime_ns, status,
                 taken_at, gps_lat, gps_lon, added_at, updated_at)
             VALUES (?1, 1, '/lib/p' || ?1 || '.jpg', 'p' || ?1 || '.jpg', 1, 0, 'ok', ?2, ?3, ?4, 0, 0)",
            params![id, taken, lat, lon],
        )
        .unwrap();
    }
    let faces: [(i64, i64, Option<i64>, &[&str]); 4] = [
        (10, 1, Some(1), &["beard", "sunglasses"]),
        (20, 2, None, &["beard"]),
        (21, 2, None, &["sunglasses"]),
        (40, 4, Some(1), &["beard"]),
    ];
    for (face, photo, person, attributes) in faces {
        conn.execute(
            "INSERT INTO faces (id, photo_id, x, y, w, h, score, person_id, model_version)
             VALUES (?1, ?2, 0, 0, 0.1, 0.1, 0.9, ?3, 'test')",
            params![face, photo, person],
        )
        .unwrap();
        for name in ["beard", "sunglasses"] {
            let value = if attributes.contains(&name) {
                0.95
            } else {
                0.02
            };
            conn.execute(
                "INSERT INTO face_attributes (face_id, name, value, confidence, model_version)
                 VALUES (?1, ?2, ?3, 0.9, 'test')",
                params![face, name, value],
            )
            .unwrap();
        }
    }
    conn.execute_batch(
        "UPDATE photos SET camera_make = 'FUJIFILM', camera_model = 'X100V' WHERE id = 1;
         UPDATE photos SET camera_make = 'FUJIFILM', camera_model = 'X100VI' WHERE id = 2;",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO labels (photo_id, kind, label, score, model_version)
         VALUES (4, 'label', 'cat', 0.8, 'test')",
        [],
    )
    .unwrap();
    (dir, catalog)
}

pub fn ids(catalog: &Catalog, query: &str) -> Vec<i64> {
    ids_of(catalog, &parse(query).unwrap())
}

/// The photos a parsed query finds, by id.
pub fn ids_of(catalog: &Catalog, query: &Expr) -> Vec<i64> {
    let condition = compile(query);
    let sql = format!(
        "SELECT p.id FROM photos p WHERE {} ORDER BY p.id",
        condition.sql
    );
    let mut stmt = catalog.conn().prepare(&sql).unwrap();
    stmt.query_map(rusqlite::params_from_iter(condition.params), |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// A small generated catalogue (the benchmark's generator at `photos` photos, 3 faces and 10
/// label rows per photo, eight people of whom six are named — "Ana Silva", "Ben Silva", …).
pub fn generated(photos: usize, seed: u64) -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let mut catalog = Catalog::open(&dir.path().join("catalog.db")).unwrap();
    let options = super::generate::GenerateOptions {
        photos,
        faces: 3 * photos,
        labels: 10 * photos,
        people: 8,
        named: 6,
        seed,
    };
    super::generate::generate(&mut catalog, &options, &mut |_| {}).unwrap();
    (dir, catalog)
}

/// Terms the random queries are made of: every field, face scope, negation, NULL-able columns.
const TERMS: &[&str] = &[
    "beard",
    "sunglasses",
    "smile",
    "-hat",
    "person:\"Ana Silva\"",
    "person:\"ben silva\"",
    "-person:\"Chloé Silva\"",
    "label:cat",
    "label:animal",
    "dog",
    "year:2020..2022",
    "year:>2024",
    "date:2023-01..2023-06",
    "camera:X100V",
    "-camera:X100V",
    "camera:apple",
    "lens:\"FE 85mm F1.8\"",
    "age:20-40",
    "emotion:happy",
    "-emotion:neutral",
    "faces:>=2",
    "faces:0",
    "any:(beard)",
    "any:(smile -eyeglasses)",
    "(beard or mustache)",
    "sunglasses>0.3",
    "format:png",
    "-format:jpeg",
    "near:52.37,4.89,30km",
    "-near:48.85,2.35,40km",
    "unsafe:yes",
    "unsafe:no",
    "text:sale",
    "path:IMG_00001",
    "img_000",
    "-ana",
];

/// `n` random queries of 1–3 terms joined by `and` (mostly) or `or`, seeded.
pub fn random_queries(seed: u64, n: usize) -> Vec<String> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let k = rng.random_range(1..4);
            let picked: Vec<&str> = (0..k)
                .map(|_| TERMS[rng.random_range(0..TERMS.len())])
                .collect();
            let joiner = if rng.random::<f32>() < 0.25 {
                " or "
            } else {
                " "
            };
            picked.join(joiner)
        })
        .collect()
}
