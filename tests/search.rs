//! `argus search` on a real catalogue: fields from EXIF, paging, facets, and errors that say where.
//! (Face scope, facet consistency and injection are tested on a catalogue with faces in
//! `src/search/`.)

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
