//! A team's catalogue on PostgreSQL: analysis spread over worker processes (one killed mid-way), a
//! personal catalogue migrated SQLite → PostgreSQL → SQLite with every table equal, and connections
//! encrypted when the server offers TLS (checked, with `verify-full`, against its authority). All need a
//! PostgreSQL server (`ARGUS_TEST_POSTGRES`, set by `scripts/with-postgres.sh`, which the README's test
//! command runs): without one they are reported skipped — except in CI, where they must run.
#![deny(dead_code)]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use argus_catalog::fixture::{
    duplicate_face_boxes, leases_of, open_location, people_twice_in_a_photo, postgres_location,
};
use argus_catalog::Catalog;
use common::harness::{skip, Ran};
use common::{sample, Env};
use image::GenericImageView;

fn main() -> std::process::ExitCode {
    tests![
        three_workers_analyse_300_photos_once_each_though_one_is_killed,
        a_catalogue_goes_to_postgres_and_back_with_every_table_equal,
        a_server_that_offers_tls_gets_an_encrypted_connection
    ]
}

/// A fresh schema of the test server, or why the test cannot run.
fn server() -> Result<String, common::harness::Skipped> {
    match postgres_location() {
        Some(location) => Ok(location),
        None if std::env::var_os("CI").is_some() => {
            panic!("CI runs the PostgreSQL tests: run them through scripts/with-postgres.sh")
        }
        None => {
            skip("no PostgreSQL server (ARGUS_TEST_POSTGRES; scripts/with-postgres.sh starts one)")
        }
    }
}

/// `count` photos of faces, each different: crops of the sample group photos at shifting offsets,
/// 360 px wide (small, so that three workers get through them quickly).
fn make_photos(env: &Env, count: usize) {
    let sources: Vec<image::DynamicImage> = ["faceapi_sample1.jpg", "faceapi_sample3.jpg"]
        .iter()
        .map(|name| image::open(sample(name)).unwrap())
        .collect();
    for i in 0..count {
        let source = &sources[i % sources.len()];
        let (w, h) = source.dimensions();
        let (cw, ch) = (w * 4 / 5, h * 4 / 5);
        let step = (i / sources.len()) as u32;
        let (x, y) = ((step * 7) % (w - cw), (step * 5) % (h - ch));
        let crop = source
            .crop_imm(x, y, cw, ch)
            .resize(360, 360, image::imageops::Triangle);
        crop.save(env.lib().join(format!("shot_{i:03}.jpg")))
            .unwrap();
    }
}

fn worker(env: &Env, name: &str) -> Child {
    let mut cmd = env.command();
    cmd.args([
        "analyze",
        "--worker",
        "--worker-name",
        name,
        "--stages",
        "faces,embedding",
        "--claim",
        "4",
        "--lease-seconds",
        "3",
        "--inference-threads",
        "1",
        "--decode-threads",
        "1",
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    cmd.spawn().unwrap()
}

fn ledger_by_worker(catalog: &Catalog) -> BTreeMap<String, usize> {
    let mut by = BTreeMap::new();
    for (_, _, _, worker) in catalog.analysis_ledger().unwrap() {
        *by.entry(worker).or_insert(0) += 1;
    }
    by
}

fn three_workers_analyse_300_photos_once_each_though_one_is_killed() -> Ran {
    let location = server()?;
    let env = Env::with_models().on_catalog(location);
    make_photos(&env, 300);
    env.add_library();
    env.run(&["scan", "--no-analysis"]);
    let catalog = env.open_catalog();

    let mut workers: Vec<(String, Child)> = ["w1", "w2", "w3"]
        .iter()
        .map(|name| (name.to_string(), worker(&env, name)))
        .collect();
    // Mid-way: once w2 has written some photos and the three together about a fifth, w2 dies.
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let by = ledger_by_worker(&catalog);
        let total: usize = by.values().sum();
        if by.get("w2").copied().unwrap_or(0) >= 2 && total >= 120 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the workers made no progress: {by:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (_, mut victim) = workers.remove(1);
    victim.kill().unwrap(); // SIGKILL: no chance to give its leases back
    victim.wait().unwrap();
    let held_by_dead = leases_of(&catalog, "w2");
    for (name, child) in workers {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Every photo analysed exactly once per stage, whichever worker did it.
    let ledger = catalog.analysis_ledger().unwrap();
    let mut seen = HashSet::new();
    for (photo, stage, _, worker) in &ledger {
        assert!(
            seen.insert((*photo, stage.clone())),
            "photo {photo} {stage} written twice (again by {worker})"
        );
    }
    assert_eq!(seen.len(), 2 * 300, "300 photos × faces, embedding");
    let by = ledger_by_worker(&catalog);
    println!("ledger rows by worker: {by:?}; the killed worker held {held_by_dead} photos");
    assert!(by.contains_key("w1") && by.contains_key("w3"));
    let stats = env.json(&["stats"]);
    assert!(stats["faces"].as_u64().unwrap() >= 300, "{stats}");
    // No face twice: no two faces of a photo share a box.
    assert_eq!(duplicate_face_boxes(&catalog), 0, "faces written twice");
    // People consistent: every face clustered, each in at most one person, never twice in a
    // photo (nobody confirmed anything), and a second look changes nothing.
    let people = env.json(&["people", "list"]);
    assert!(!people.as_array().unwrap().is_empty(), "{people}");
    assert_eq!(people_twice_in_a_photo(&catalog), 0);
    let again = env.json(&["people", "cluster"]);
    assert_eq!(again["pending"].as_u64(), Some(0), "{again}");
    assert_eq!(leases_of(&catalog, "w1") + leases_of(&catalog, "w3"), 0);
    Ok(())
}

fn a_catalogue_goes_to_postgres_and_back_with_every_table_equal() -> Ran {
    let team = server()?;
    let env = Env::with_models();
    for name in [
        "faceapi_sample1.jpg",
        "faceapi_sample3.jpg",
        "faceapi_sample4.jpg",
    ] {
        env.put(name, name);
    }
    env.add_library();
    env.scan();
    // The user's decisions: faces named (two people), a rejection, a hidden person, a face drawn
    // by hand.
    let photo = env
        .photos()
        .into_iter()
        .find(|p| p.file_name == "faceapi_sample1.jpg")
        .unwrap();
    let shown = env.json(&["show", &photo.id.to_string()]);
    let faces: Vec<String> = shown["faces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].to_string())
        .collect();
    assert!(faces.len() >= 3, "{shown}");
    env.run(&[
        "people",
        "assign",
        &format!("{},{}", faces[0], faces[1]),
        "--name",
        "Ana",
    ]);
    env.run(&["people", "assign", &faces[2], "--name", "Ben"]);
    env.run(&["people", "reject", &faces[1]]);
    env.run(&["people", "hide", "Ben"]);
    env.run(&[
        "people",
        "add-face",
        &photo.id.to_string(),
        "--box",
        "0.1,0.1,0.05,0.05",
        "--name",
        "Cy",
    ]);
    let personal = env.open_catalog();
    let before = personal.table_digests().unwrap();
    assert!(before["face_rejections"].rows > 0 && before["faces"].rows > 5);

    env.run(&["catalog", "migrate", "--from", env.catalog(), "--to", &team]);
    let back = env.dir.path().join("back.db");
    let report = env.json(&[
        "catalog",
        "migrate",
        "--from",
        &team,
        "--to",
        back.to_str().unwrap(),
    ]);
    assert_eq!(
        report["copy"]["rows"].as_u64().unwrap(),
        before.values().map(|d| d.rows).sum::<u64>()
    );
    let on_server = open_location(&team).unwrap().table_digests().unwrap();
    let round_trip = Catalog::open(&back).unwrap().table_digests().unwrap();
    assert_eq!(on_server, before, "SQLite → PostgreSQL");
    assert_eq!(round_trip, before, "PostgreSQL → SQLite");
    // The team's catalogue works as the personal one did.
    let found = |location: &str| {
        let out = env
            .command()
            .env("ARGUS_CATALOG", location)
            .args(["--json", "search", "person:\"Ana\""])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["total"].clone()
    };
    assert_eq!(found(&team), found(env.catalog()));
    // Into a catalogue that is not empty: refused, nothing touched.
    let out = env
        .command()
        .args(["catalog", "migrate", "--from", env.catalog(), "--to", &team])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds a catalogue"));
    Ok(())
}

/// The test server's TLS port (see scripts/with-postgres.sh), its authority's certificate, and a
/// fresh schema name.
fn tls_server() -> Result<(String, String, String), common::harness::Skipped> {
    server()?;
    let (Ok(url), Ok(ca)) = (
        std::env::var("ARGUS_TEST_POSTGRES_TLS"),
        std::env::var("ARGUS_TEST_POSTGRES_CA"),
    ) else {
        return skip("the test server has no TLS port (ARGUS_TEST_POSTGRES_TLS)");
    };
    let schema = format!("tls{}", std::process::id());
    Ok((url, ca, schema))
}

fn a_server_that_offers_tls_gets_an_encrypted_connection() -> Ran {
    let (url, ca, schema) = tls_server()?;
    let with = |query: &str| format!("{url}?schema={schema}{query}");
    // By default (sslmode=prefer) TLS is used when offered; disable turns it off.
    let default = open_location(&with("")).unwrap();
    assert!(
        default.encrypted().unwrap(),
        "prefer uses the TLS the server offers"
    );
    let plain = open_location(&with("&sslmode=disable")).unwrap();
    assert!(!plain.encrypted().unwrap());
    // verify-full checks the certificate against the authority given …
    let encoded = ca.replace('/', "%2F");
    let verified = open_location(&with(&format!(
        "&sslmode=verify-full&sslrootcert={encoded}"
    )))
    .unwrap();
    assert!(verified.encrypted().unwrap());
    // … and refuses a server it cannot vouch for (the system's roots do not know this authority).
    let err = open_location(&with("&sslmode=verify-full&sslrootcert=%2Fdev%2Fnull"))
        .err()
        .expect("an unknown authority is refused")
        .to_string();
    assert!(err.contains("cannot reach the catalogue"), "{err}");
    // The CLI works the same way, and a wrong sslmode is a clear error.
    let env = Env::new().on_catalog(with(&format!("&sslmode=verify-full&sslrootcert={encoded}")));
    env.json(&["library", "list"]);
    let bad = Env::new().on_catalog(with("&sslmode=sometimes"));
    let out = bad.command().args(["library", "list"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("sslmode=sometimes"),
        "{stderr}"
    );
    Ok(())
}
