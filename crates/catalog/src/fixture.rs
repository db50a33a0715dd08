//! Small real catalogues for tests, here and in the crates above (feature `fixture`): built with the
//! catalogue's own SQL, so tests elsewhere need none.
//!
//! The engine the tests run on: with `ARGUS_TEST_ENGINE=postgres`, every test catalogue is a fresh
//! schema of the database at `ARGUS_TEST_POSTGRES` (`scripts/with-postgres.sh` starts a throw-away
//! server and sets it); otherwise a SQLite file in the test's folder. Tests of what only a server
//! does (workers sharing a catalogue, migrating between engines) use [`postgres_location`].

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::db::params;

use super::Catalog;
use argus_query::{parse, Expr, Sort};

/// The test PostgreSQL database's URL, if one is given (`ARGUS_TEST_POSTGRES`).
pub fn postgres_url() -> Option<String> {
    std::env::var("ARGUS_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The PostgreSQL database the catalogue tests run on, when `ARGUS_TEST_ENGINE=postgres`.
pub fn test_postgres() -> Option<String> {
    match std::env::var("ARGUS_TEST_ENGINE").as_deref() {
        Ok("postgres") => Some(postgres_url().unwrap_or_else(|| {
            panic!(
                "ARGUS_TEST_ENGINE=postgres needs ARGUS_TEST_POSTGRES (scripts/with-postgres.sh)"
            )
        })),
        Ok("sqlite") | Ok("") | Err(_) => None,
        Ok(other) => panic!("ARGUS_TEST_ENGINE={other}: the engines are sqlite and postgres"),
    }
}

/// A fresh schema of the test database (a new, empty catalogue), if there is a test database.
pub fn postgres_location() -> Option<String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = postgres_url()?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let schema = format!(
        "t{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let join = if url.contains('?') { '&' } else { '?' };
    Some(format!("{url}{join}schema={schema}"))
}

/// Where a test's catalogue goes: a fresh schema of the test database when the tests run on
/// PostgreSQL (see [`test_postgres`]), else `catalog.db` in `dir`. What `--catalog` /
/// `ARGUS_CATALOG` take.
pub fn test_location(dir: &Path) -> String {
    match test_postgres() {
        Some(_) => postgres_location().expect("a test database"),
        None => dir.join("catalog.db").display().to_string(),
    }
}

/// Opens a catalogue from a [`test_location`].
pub fn open_location(location: &str) -> crate::Result<Catalog> {
    if crate::db::server::is_url(location) {
        Catalog::open_server(location)
    } else {
        Catalog::open(Path::new(location))
    }
}

/// The catalogue at a [`test_location`]; a test that cannot open it fails, naming it.
pub fn reopen(location: &str) -> Catalog {
    open_location(location).unwrap_or_else(|e| panic!("cannot open {location}: {e}"))
}

/// A fresh, empty test catalogue (see [`test_location`]).
pub fn open_test_catalog(dir: &Path) -> Catalog {
    reopen(&test_location(dir))
}

/// A real catalogue: photo 1 has one face with beard and sunglasses (Ana); photo 2 has a
/// bearded face and another with sunglasses; photo 3 has no face; photo 4 has a bearded face
/// (Ana, no sunglasses), a cat, GPS in Amsterdam and was taken in 2023. XMP metadata: photo 1 has
/// 5 stars, the keywords `Places/Beach/North` and `Holiday` and a title; photo 2 is rejected, with
/// `Places/City` and a caption; photo 3 has 2 stars, the flat keyword `beach` and a caption; photo 4
/// has none. Objects (counted from 0.35): photo 1 a body and a handbag; photo 2 two bodies, a tie and
/// a backpack scoring too little to count; photo 4 a cat and a body scoring too little.
pub fn catalogue() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = open_test_catalog(dir.path());
    let conn = catalog.db();
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
             VALUES (?1, 1, ?5, ?6, 1, 0, 'ok', ?2, ?3, ?4, 0, 0)",
            params![
                id,
                taken,
                lat,
                lon,
                format!("/lib/p{id}.jpg"),
                format!("p{id}.jpg")
            ],
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
        let value = |name| {
            if attributes.contains(&name) {
                0.95
            } else {
                0.02
            }
        };
        let values = ["beard", "sunglasses"].map(|name| (name, value(name)));
        insert_face(conn, (face, photo, person), (0.0, 0.0), &values);
    }
    conn.execute_batch(
        "UPDATE photos SET camera_make = 'FUJIFILM', camera_model = 'X100V' WHERE id = 1;
         UPDATE photos SET camera_make = 'FUJIFILM', camera_model = 'X100VI' WHERE id = 2;",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO labels (photo_id, kind, label, score, model_version)
         VALUES (4, 'label', 'cat', 0.8, 'test')",
        (),
    )
    .unwrap();
    conn.execute_batch(
        "UPDATE photos SET rating = 5, title = 'Summer at the beach' WHERE id = 1;
         UPDATE photos SET rating = -1, caption = 'Blurry, the city at night' WHERE id = 2;
         UPDATE photos SET rating = 2, caption = 'Family dinner' WHERE id = 3;
         INSERT INTO photo_keywords (photo_id, keyword) VALUES
             (1, 'Places/Beach/North'), (1, 'Holiday'), (2, 'Places/City'), (3, 'beach');
         INSERT INTO objects (photo_id, class, score, x, y, w, h, model_version) VALUES
             (1, 'person', 0.9, 0.1, 0.1, 0.4, 0.8, 'test'),
             (1, 'handbag', 0.5, 0.3, 0.5, 0.1, 0.1, 'test'),
             (2, 'person', 0.8, 0.0, 0.1, 0.3, 0.9, 'test'),
             (2, 'person', 0.6, 0.5, 0.1, 0.3, 0.9, 'test'),
             (2, 'tie', 0.4, 0.1, 0.3, 0.05, 0.2, 'test'),
             (2, 'backpack', 0.2, 0.6, 0.4, 0.2, 0.3, 'test'),
             (4, 'cat', 0.7, 0.2, 0.2, 0.5, 0.5, 'test'),
             (4, 'person', 0.3, 0.7, 0.1, 0.2, 0.5, 'test');",
    )
    .unwrap();
    (dir, catalog)
}

/// A real catalogue of people as a whole (faces, bodies, what they carry), linked by the catalogue's
/// own rule. Photo 1: Ana (25) and Ben (60) side by side, Ben holding a handbag. Photo 2: a bearded
/// 25-year-old carrying a backpack. Photo 3: someone seen from behind (a body, no face) carrying a
/// suitcase, and a 24-year-old's face with no body. Photo 4: a 27-year-old with a suitcase on the
/// floor beside them. Clothing: Ben wears a suit (and a tie scoring too little), the bearded man
/// jeans, the one seen from behind a coat.
pub fn persons_catalogue() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = open_test_catalog(dir.path());
    let conn = catalog.db();
    conn.execute_batch(
        "INSERT INTO libraries (id, path, added_at) VALUES (1, '/lib', 0);
         INSERT INTO people (id, name, created_at) VALUES (1, 'Ana', 0), (2, 'Ben', 0);",
    )
    .unwrap();
    for id in 1..=4 {
        conn.execute(
            "INSERT INTO photos (id, library_id, path, file_name, size, mtime_ns, status,
                 added_at, updated_at)
             VALUES (?1, 1, ?2, ?3, 1, 0, 'ok', 0, 0)",
            params![id, format!("/lib/q{id}.jpg"), format!("q{id}.jpg")],
        )
        .unwrap();
    }
    // (face, photo, person, (x, y), age, beard)
    type Face = (i64, i64, Option<i64>, (f64, f64), f64, f64);
    let faces: [Face; 5] = [
        (10, 1, Some(1), (0.15, 0.12), 25.0, 0.02),
        (11, 1, Some(2), (0.55, 0.12), 60.0, 0.02),
        (20, 2, None, (0.45, 0.1), 25.0, 0.95),
        (30, 3, None, (0.7, 0.1), 24.0, 0.02),
        (40, 4, None, (0.25, 0.12), 27.0, 0.02),
    ];
    for (face, photo, person, at, age, beard) in faces {
        insert_face(
            conn,
            (face, photo, person),
            at,
            &[("age", age), ("beard", beard)],
        );
    }
    conn.execute_batch(
        "INSERT INTO objects (photo_id, class, score, x, y, w, h, model_version) VALUES
             (1, 'person', 0.9, 0.1, 0.1, 0.2, 0.85, 'test'),
             (1, 'person', 0.9, 0.5, 0.1, 0.2, 0.85, 'test'),
             (1, 'handbag', 0.6, 0.62, 0.45, 0.1, 0.12, 'test'),
             (2, 'person', 0.9, 0.4, 0.08, 0.2, 0.9, 'test'),
             (2, 'backpack', 0.6, 0.42, 0.3, 0.15, 0.2, 'test'),
             (3, 'person', 0.8, 0.1, 0.1, 0.25, 0.85, 'test'),
             (3, 'suitcase', 0.7, 0.2, 0.5, 0.12, 0.2, 'test'),
             (4, 'person', 0.9, 0.2, 0.1, 0.2, 0.85, 'test'),
             (4, 'suitcase', 0.7, 0.42, 0.8, 0.15, 0.15, 'test');
         INSERT INTO object_wearing (object_id, name, score) VALUES
             (2, 'suit', 0.6), (2, 'tie', 0.1), (4, 'jeans', 0.4), (6, 'coat', 0.5);",
    )
    .unwrap();
    crate::persons::link_every_photo(conn).unwrap();
    (dir, catalog)
}

/// A 0.1 × 0.1 face (id, photo, person) at `(x, y)` with attribute values.
fn insert_face(
    conn: &crate::db::Db,
    (face, photo, person): (i64, i64, Option<i64>),
    (x, y): (f64, f64),
    attributes: &[(&str, f64)],
) {
    conn.execute(
        "INSERT INTO faces (id, photo_id, x, y, w, h, score, person_id, model_version)
         VALUES (?1, ?2, ?3, ?4, 0.1, 0.1, 0.9, ?5, 'test')",
        params![face, photo, x, y, person],
    )
    .unwrap();
    for (name, value) in attributes {
        conn.execute(
            "INSERT INTO face_attributes (face_id, name, value, confidence, model_version)
             VALUES (?1, ?2, ?3, 0.9, 'test')",
            params![face, name, value],
        )
        .unwrap();
    }
}

/// The photos a query finds through the SQL reference, by id.
pub fn ids(catalog: &Catalog, query: &str) -> Vec<i64> {
    ids_of(catalog, &parse(query).unwrap())
}

/// The photos a parsed query finds through the SQL reference, by id.
pub fn ids_of(catalog: &Catalog, query: &Expr) -> Vec<i64> {
    let mut ids = catalog
        .reference_search(Some(query), Sort::Name, usize::MAX >> 1, 0)
        .unwrap();
    ids.sort_unstable();
    ids
}

/// A catalogue with faces to decide about: 12 photos with two faces each; the first face of each
/// photo is in one of three people (ids 1–3), the second is unassigned. Face ids are 1..=24
/// (photo n has faces 2n − 1 and 2n).
pub fn people_catalogue() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = open_test_catalog(dir.path());
    let conn = catalog.db();
    conn.execute(
        "INSERT INTO libraries (id, path, added_at) VALUES (1, '/lib', 0)",
        (),
    )
    .unwrap();
    for person in 1..=3 {
        conn.execute(
            "INSERT INTO people (id, created_at) VALUES (?1, 0)",
            params![person],
        )
        .unwrap();
    }
    for photo in 1..=12i64 {
        conn.execute(
            "INSERT INTO photos (id, library_id, path, file_name, size, mtime_ns, status, added_at,
                 updated_at)
             VALUES (?1, 1, ?2, ?3, 1, 0, 'ok', 0, 0)",
            params![photo, format!("/lib/p{photo}.jpg"), format!("p{photo}.jpg")],
        )
        .unwrap();
        for (face, person) in [(2 * photo - 1, Some(photo % 3 + 1)), (2 * photo, None)] {
            conn.execute(
                "INSERT INTO faces (id, photo_id, x, y, w, h, score, person_id, model_version,
                     clustered)
                 VALUES (?1, ?2, 0.1, 0.1, 0.2, 0.2, 0.9, ?3, 'test', 1)",
                params![face, photo, person],
            )
            .unwrap();
        }
    }
    (dir, catalog)
}

/// Adds a browse label to a photo (as the labels stage would).
pub fn add_label(catalog: &Catalog, photo: i64, label: &str) {
    catalog
        .db()
        .execute(
            "INSERT INTO labels (photo_id, kind, label, score, model_version)
             VALUES (?1, 'label', ?2, 0.9, 'test')",
            params![photo, label],
        )
        .unwrap();
}

/// A copy of a photo (another path) with its faces and their attributes and people, labels,
/// objects (unlinked), keywords and descriptor, written through a second connection in one transaction (as
/// another machine's scan and analysis would); returns the copy's id.
pub fn copy_photo_elsewhere(catalog: &Catalog, photo: i64) -> i64 {
    let other = catalog.connect_again().unwrap();
    let tx = crate::db::Transaction::begin(other.db(), true).unwrap();
    let copy: i64 = tx
        .query_row(
            "INSERT INTO photos (library_id, path, file_name, size, mtime_ns, hash, status, format,
                 taken_at, camera_make, camera_model, lens, gps_lat, gps_lon, added_at, updated_at,
                 rating, title, caption)
             SELECT library_id, path || '.copy', file_name, size, mtime_ns, hash, status, format,
                 taken_at, camera_make, camera_model, lens, gps_lat, gps_lon, added_at + 1,
                 updated_at, rating, title, caption
             FROM photos WHERE id = ?1 RETURNING id",
            params![photo],
            |r| r.get(0),
        )
        .unwrap();
    let faces: Vec<i64> = tx
        .query_map(
            "SELECT id FROM faces WHERE photo_id = ?1 ORDER BY id",
            params![photo],
            |r| r.get(0),
        )
        .unwrap();
    for face in faces {
        let new_face: i64 = tx
            .query_row(
                "INSERT INTO faces (photo_id, x, y, w, h, score, person_id, model_version, clustered)
                 SELECT ?2, x, y, w, h, score, person_id, model_version, clustered
                 FROM faces WHERE id = ?1 RETURNING id",
                params![face, copy],
                |r| r.get(0),
            )
            .unwrap();
        tx.execute(
            "INSERT INTO face_attributes (face_id, name, value, confidence, model_version)
             SELECT ?2, name, value, confidence, model_version FROM face_attributes
             WHERE face_id = ?1",
            params![face, new_face],
        )
        .unwrap();
    }
    for sql in [
        "INSERT INTO labels (photo_id, kind, label, score, model_version)
         SELECT ?2, kind, label, score, model_version FROM labels WHERE photo_id = ?1",
        "INSERT INTO objects (photo_id, class, score, x, y, w, h, model_version)
         SELECT ?2, class, score, x, y, w, h, model_version FROM objects WHERE photo_id = ?1",
        "INSERT INTO photo_keywords (photo_id, keyword)
         SELECT ?2, keyword FROM photo_keywords WHERE photo_id = ?1",
        "INSERT INTO photo_descriptors (photo_id, vector, phash, sharpness, model_version)
         SELECT ?2, vector, phash, sharpness, model_version FROM photo_descriptors
         WHERE photo_id = ?1",
    ] {
        tx.execute(sql, params![photo, copy]).unwrap();
    }
    tx.commit().unwrap();
    copy
}

/// Rates photos (every one when `photos` is None) through a second connection, as another
/// machine reading sidecars would.
pub fn rate_photos_elsewhere(catalog: &Catalog, photos: Option<&[i64]>, rating: i64) {
    let other = catalog.connect_again().unwrap();
    match photos {
        None => other
            .db()
            .execute("UPDATE photos SET rating = ?1", params![rating])
            .unwrap(),
        Some(ids) => ids
            .iter()
            .map(|id| {
                other
                    .db()
                    .execute(
                        "UPDATE photos SET rating = ?2 WHERE id = ?1",
                        params![id, rating],
                    )
                    .unwrap()
            })
            .sum(),
    };
}

/// Drops a photo's keywords through a second connection (its sidecar lost them).
pub fn drop_keywords_elsewhere(catalog: &Catalog, photo: i64) {
    let other = catalog.connect_again().unwrap();
    other
        .db()
        .execute(
            "DELETE FROM photo_keywords WHERE photo_id = ?1",
            params![photo],
        )
        .unwrap();
}

/// Marks a photo unreadable through a second connection to the same file (as a scan running in
/// another process would).
pub fn break_photo_elsewhere(catalog: &Catalog, photo: i64) {
    let other = catalog.connect_again().unwrap();
    other
        .db()
        .execute(
            "UPDATE photos SET status = 'error' WHERE id = ?1",
            params![photo],
        )
        .unwrap();
}

/// The person a face is in.
pub fn person_of(catalog: &Catalog, face: i64) -> Option<i64> {
    catalog
        .db()
        .query_row("SELECT person_id FROM faces WHERE id = ?1", [face], |r| {
            r.get(0)
        })
        .unwrap()
}

/// The photo a face is on.
pub fn photo_of_face(catalog: &Catalog, face: i64) -> i64 {
    catalog
        .db()
        .query_row("SELECT photo_id FROM faces WHERE id = ?1", [face], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Pretends a stage ran on a photo with another version of its models (as after a model update),
/// so the next analysis runs it again.
pub fn outdate_stage(catalog: &Catalog, photo: i64, stage: &str) {
    catalog
        .db()
        .execute(
            "UPDATE analysis_runs SET model_version = 'outdated' WHERE photo_id = ?1 AND stage = ?2",
            params![photo, stage],
        )
        .unwrap();
}

/// Query values that would do harm if a query reached SQL as text: the SQL reference and the index
/// must both find nothing with them.
pub const INJECTION_PAYLOADS: [&str; 4] = [
    "x' OR '1'='1",
    "1); DELETE FROM photos; --",
    "%' OR 1=1 --",
    "\\' UNION SELECT id FROM photos --",
];

/// A readable JPEG's row at `path` with content hash `hash` (10 × 10 px, no metadata).
pub fn photo_record(library_id: i64, path: &std::path::Path, hash: &str) -> super::PhotoRecord {
    super::PhotoRecord {
        library_id,
        path: path.to_path_buf(),
        size: 1,
        mtime_ns: 0,
        hash: Some(hash.into()),
        status: super::PhotoStatus::Ok,
        error: None,
        format: Some("jpeg".into()),
        width: Some(10),
        height: Some(10),
        orientation: None,
        exif: Default::default(),
        pixel_source: None,
        other_images: 0,
        metadata: None,
    }
}

/// How many photos `worker` holds a lease on (live or not).
pub fn leases_of(catalog: &Catalog, worker: &str) -> usize {
    catalog
        .db()
        .query_row(
            "SELECT COUNT(*) FROM analysis_leases WHERE worker = ?1",
            [worker],
            |r| r.get(0),
        )
        .unwrap()
}

/// How many faces share their photo and box with another (a face written twice).
pub fn duplicate_face_boxes(catalog: &Catalog) -> usize {
    catalog
        .db()
        .query_row(
            "SELECT COUNT(*) FROM (SELECT photo_id FROM faces
                 GROUP BY photo_id, x, y, w, h HAVING COUNT(*) > 1) AS twice",
            (),
            |r| r.get(0),
        )
        .unwrap()
}

/// How many (photo, person) pairs have two or more faces.
pub fn people_twice_in_a_photo(catalog: &Catalog) -> usize {
    catalog
        .db()
        .query_row(
            "SELECT COUNT(*) FROM (SELECT photo_id FROM faces WHERE person_id IS NOT NULL
                 GROUP BY photo_id, person_id HAVING COUNT(*) > 1) AS twice",
            (),
            |r| r.get(0),
        )
        .unwrap()
}
