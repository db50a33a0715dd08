//! `argus search` on a real catalogue: fields from EXIF, paging, facets, and errors that say where.
//! (Face scope, facet consistency and injection are tested on a catalogue with faces in
//! `crates/search/`.)

mod common;

use common::{known_exif, write_jpeg_with_exif, Env};
use serde_json::Value;

fn names(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            std::path::Path::new(h["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn fields_paging_and_facets_on_exif() {
    let env = Env::new();
    env.add_library();
    write_jpeg_with_exif(
        "fr_obama.jpg",
        &env.lib().join("fuji.jpg"),
        &known_exif(),
        None,
    );
    let mut canon = known_exif();
    canon.camera_make = Some("Canon".into());
    canon.camera_model = Some("EOS R5".into());
    canon.lens = None;
    canon.taken_at = Some("2019-03-01T10:00:00".into());
    canon.gps_lat = None;
    canon.gps_lon = None;
    write_jpeg_with_exif("fr_biden.jpg", &env.lib().join("canon.jpg"), &canon, None);
    env.scan();

    let find = |q: &str| names(&env.json(&["search", q]));
    assert_eq!(find("camera:x100v"), ["fuji.jpg"]);
    assert_eq!(find(r#"camera:"Canon EOS R5""#), ["canon.jpg"]);
    assert_eq!(find("year:2019"), ["canon.jpg"]);
    assert_eq!(find("date:2024-07"), ["fuji.jpg"]);
    assert_eq!(find("near:38.71,-9.14,2km"), ["fuji.jpg"]);
    assert_eq!(
        find("canon"),
        ["canon.jpg"],
        "a bare word matches the file name"
    );
    assert_eq!(
        find(r#"lens:"23mm F2" or year:2019"#),
        ["fuji.jpg", "canon.jpg"]
    );
    assert!(find("year:2020").is_empty());

    let page = env.json(&["search", "--sort", "name", "--limit", "1", "--offset", "1"]);
    assert_eq!(page["total"], 2);
    assert_eq!(names(&page), ["fuji.jpg"]);

    let all = env.json(&["search", "--facets", "--limit", "0"]);
    let facet = |name: &str| -> Vec<(String, u64)> {
        all["facets"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["value"].as_str().unwrap().to_string(),
                    v["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(facet("year"), [("2024".into(), 1), ("2019".into(), 1)]);
    assert_eq!(facet("camera").len(), 2);
    assert_eq!(facet("format"), [("jpeg".into(), 2)]);
    // Each value's `refine` finds exactly its count.
    for v in all["facets"]["camera"].as_array().unwrap() {
        let refined = env.json(&["search", v["refine"].as_str().unwrap()]);
        assert_eq!(refined["total"], v["count"], "{v}");
    }
}

#[test]
fn a_bad_query_says_what_and_where_and_exits_2() {
    let env = Env::new();
    let out = env
        .command()
        .args(["--json", "search", "beard camra:X100V"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["line"], 1);
    assert_eq!(v["error"]["column"], 7);
    assert_eq!(v["error"]["hint"], "did you mean camera?");

    let out = env.command().args(["search", "(beard"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("this '(' is never closed at 1:1"),
        "{stderr}"
    );
    let out = env.command().args(["search", ""]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an empty query is not 'everything'"
    );
}

/// The attributes each face of a photo has (as `show` reports them, at the calibrated thresholds).
fn face_attributes(env: &Env, path: &str) -> Vec<std::collections::BTreeSet<String>> {
    env.json(&["show", path])["faces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["attributes"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, v)| v["value"] == true)
                .map(|(k, _)| k.clone())
                .collect()
        })
        .collect()
}

#[test]
fn face_scoped_and_differs_from_any_face_on_analyzed_photos() {
    let env = Env::with_models();
    let mut names: Vec<String> = std::fs::read_dir(common::sample_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("faceapi_") || n.starts_with("fr_"))
        .collect();
    names.sort();
    for name in &names {
        env.put(name, name);
    }
    env.add_library();
    env.scan();
    let photos: Vec<(String, Vec<std::collections::BTreeSet<String>>)> = env
        .json(&["search", "--limit", "1000"])["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let path = h["path"].as_str().unwrap().to_string();
            let faces = face_attributes(&env, &path);
            (path, faces)
        })
        .collect();
    let found = |q: &str| -> std::collections::BTreeSet<String> {
        env.json(&["search", q, "--limit", "1000"])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    };
    let attributes = [
        "smile",
        "eyes_open",
        "mouth_open",
        "hat",
        "beard",
        "eyeglasses",
    ];
    let mut differing = 0;
    for (i, a) in attributes.iter().enumerate() {
        for b in &attributes[i + 1..] {
            let same_face: std::collections::BTreeSet<String> = photos
                .iter()
                .filter(|(_, faces)| faces.iter().any(|f| f.contains(*a) && f.contains(*b)))
                .map(|(p, _)| p.clone())
                .collect();
            let any_faces: std::collections::BTreeSet<String> = photos
                .iter()
                .filter(|(_, faces)| {
                    faces.iter().any(|f| f.contains(*a)) && faces.iter().any(|f| f.contains(*b))
                })
                .map(|(p, _)| p.clone())
                .collect();
            assert_eq!(found(&format!("{a} and {b}")), same_face, "{a} and {b}");
            assert_eq!(
                found(&format!("any:({a}) any:({b})")),
                any_faces,
                "{a}, {b}"
            );
            if same_face != any_faces {
                differing += 1;
            }
        }
    }
    assert!(
        differing > 0,
        "some pair of attributes is on different faces of one photo"
    );
}

#[test]
fn queries_may_start_with_a_hyphen_and_empty_results_say_why() {
    let env = Env::with_models();
    env.put("materialkit_street.jpg", "street.jpg"); // a bearded man in sunglasses
    env.put("startbootstrap_testimonial1.jpg", "smile.jpg"); // one face, no sunglasses, no beard
    env.put("skimage_coffee.png", "coffee.png"); // no face
    env.add_library();
    env.scan();
    let mut everything = names(&env.json(&["search"]));
    everything.sort();
    assert_eq!(everything, ["coffee.png", "smile.jpg", "street.jpg"]);

    // A negated term first: a query, not an unknown option.
    let mut nobody_in_sunglasses = names(&env.json(&["search", "-sunglasses"]));
    nobody_in_sunglasses.sort();
    assert_eq!(nobody_in_sunglasses, ["coffee.png", "smile.jpg"]);
    let mut after_dashes = names(&env.json(&["search", "--", "-sunglasses"]));
    after_dashes.sort();
    assert_eq!(after_dashes, nobody_in_sunglasses);
    // Options after the query still work.
    let limited = env.json(&["search", "-sunglasses", "--limit", "1"]);
    assert_eq!(limited["total"], 2);
    assert_eq!(limited["hits"].as_array().unwrap().len(), 1);

    let out = env.dir.path().join("crops");
    let report = env.json(&[
        "export",
        "--query",
        "-beard",
        "--aspect",
        "1:1",
        "--width",
        "64",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(report["photos"], 2, "{report}");
    assert_eq!(report["written"], 2, "{report}");

    // A mistyped option is said to be one, not searched for.
    let typo = env.command().args(["search", "--facet"]).output().unwrap();
    assert_eq!(typo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("looks like an option"));

    // Nothing found: each term that finds nothing is named, with the nearest known value.
    let misspelt = env.json(&["search", "sunglases"]);
    assert_eq!(misspelt["total"], 0);
    let notes = misspelt["notes"].to_string();
    assert!(notes.contains("did you mean sunglasses?"), "{notes}");
    let nobody = env.json(&["search", "person:Nobody"]);
    assert!(nobody["notes"]
        .to_string()
        .contains("no person is called 'Nobody'"));
    let apart = env.json(&["search", "beard smile label:coffee"]);
    assert_eq!(apart["total"], 0);
    assert!(
        apart["notes"].to_string().contains("no photo has them all"),
        "{apart}"
    );
    // Found photos carry no notes.
    assert!(env.json(&["search", "sunglasses"]).get("notes").is_none());
}
