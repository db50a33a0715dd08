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

/// A generated catalogue: `photos` photos with 0–3 faces each; every face has a score for each
/// attribute, an age, emotion scores and maybe one of four named people; photos have labels, a
/// camera, a year and a format. Seeded.
pub fn generated(photos: i64, seed: u64) -> (tempfile::TempDir, Catalog) {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(&dir.path().join("catalog.db")).unwrap();
    let conn = catalog.conn();
    conn.execute_batch(
        "INSERT INTO libraries (id, path, added_at) VALUES (1, '/lib', 0);
         INSERT INTO people (id, name, created_at) VALUES (1, 'Ana', 0), (2, 'Ben', 0), (3, 'Cy', 0),
             (4, 'Di', 0);",
    )
    .unwrap();
    let cameras = ["X100V", "EOS R5", "ILCE-7M2"];
    let labels = ["cat", "dog", "beach", "food"];
    let emotions = super::query::EMOTIONS;
    let mut face_id = 0;
    for id in 1..=photos {
        let year = rng.random_range(2017..2025);
        let taken = (rng.random::<f32>() < 0.85)
            .then(|| format!("{year}-0{}-15T12:00:00", rng.random_range(1..10)));
        conn.execute(
            "INSERT INTO photos (id, library_id, path, file_name, size, mtime_ns, status, format,
                 taken_at, camera_model, added_at, updated_at)
             VALUES (?1, 1, '/lib/g' || ?1 || '.jpg', 'g' || ?1 || '.jpg', 1, 0, 'ok', ?2, ?3, ?4, 0, 0)",
            params![
                id,
                if rng.random::<bool>() { "jpeg" } else { "png" },
                taken,
                cameras[rng.random_range(0..cameras.len())]
            ],
        )
        .unwrap();
        for label in labels {
            if rng.random::<f32>() < 0.3 {
                conn.execute(
                    "INSERT INTO labels (photo_id, kind, label, score, model_version)
                     VALUES (?1, 'label', ?2, 0.5, 'test')",
                    params![id, label],
                )
                .unwrap();
            }
        }
        for _ in 0..rng.random_range(0..4) {
            face_id += 1;
            let person: Option<i64> = (rng.random::<f32>() < 0.5).then(|| rng.random_range(1..5));
            conn.execute(
                "INSERT INTO faces (id, photo_id, x, y, w, h, score, person_id, model_version)
                 VALUES (?1, ?2, 0, 0, 0.1, 0.1, 0.9, ?3, 'test')",
                params![face_id, id, person],
            )
            .unwrap();
            let attribute = |name: String, value: f32| {
                conn.execute(
                    "INSERT INTO face_attributes (face_id, name, value, confidence, model_version)
                     VALUES (?1, ?2, ?3, 0.9, 'test')",
                    params![face_id, name, value],
                )
                .unwrap();
            };
            for name in super::query::ATTRIBUTES {
                attribute(name.to_string(), rng.random());
            }
            attribute("age".into(), rng.random_range(3.0..85.0));
            for e in emotions {
                attribute(format!("emotion.{e}"), rng.random());
            }
        }
    }
    (dir, catalog)
}
