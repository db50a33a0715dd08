//! Look-alikes on real photos: the near-duplicate set (`argus dev duplicates-set`: the sample
//! library's and the persons set's photos, each with seven kinds of copy, the originals themselves
//! the hard negatives — several photos of one person, of one event, of one street) measured by
//! `argus dev eval-duplicates`; and adding photos to a catalogue analyses only them and finds their
//! copies, which `argus similar` ranks first.

mod common;

use common::{person_photos_dir, sample, sample_dir, Env};
use serde_json::Value;

#[test]
fn copies_are_grouped_with_their_originals_and_different_photos_are_not() {
    let env = Env::with_models();
    let set = env.lib().join("set");
    let (samples, persons) = (
        sample_dir().to_str().unwrap(),
        person_photos_dir().to_str().unwrap(),
    );
    env.run(&[
        "dev",
        "duplicates-set",
        samples,
        persons,
        "--out",
        set.to_str().unwrap(),
    ]);
    env.add_library();
    let report = env.json(&["scan", "--stages", "descriptor"]);
    assert_eq!(report["analysis"]["failed"], 0, "{report}");

    let r = env.json(&["dev", "eval-duplicates", "--set", set.to_str().unwrap()]);
    println!("{r:#}");
    assert!(r["missing"].as_array().unwrap().is_empty(), "{r}");
    assert!(r["photos"].as_u64().unwrap() >= 400, "{r}");
    let (correct, predicted, truth) = (
        r["correct_pairs"].as_f64().unwrap(),
        r["predicted_pairs"].as_f64().unwrap(),
        r["true_pairs"].as_f64().unwrap(),
    );
    // Measured: 1540 of 1540 pairs found, none wrong (seeds 26 and 7 alike).
    assert!(
        correct / predicted >= 0.98,
        "precision {correct}/{predicted}"
    );
    assert!(correct / truth >= 0.95, "recall {correct}/{truth}");
    for (transform, counts) in r["recall_by_transform"].as_object().unwrap() {
        let (found, of) = (counts[0].as_f64().unwrap(), counts[1].as_f64().unwrap());
        assert!(found / of >= 0.9, "{transform}: {found}/{of}");
    }
}

fn group_of(groups: &Value, photo: i64) -> Option<&Value> {
    groups["groups"].as_array().unwrap().iter().find(|g| {
        g["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["photo"]["id"] == photo)
    })
}

#[test]
fn new_copies_are_analysed_alone_and_found_with_their_original() {
    let env = Env::with_models();
    for name in [
        "fr_obama.jpg",
        "fr_obama2.jpg",
        "fr_biden.jpg",
        "skimage_coffee.png",
        "materialkit_street.jpg",
    ] {
        env.put(name, name);
    }
    env.add_library();
    let first = env.json(&["scan", "--stages", "descriptor"]);
    assert_eq!(first["analysis"]["analysed"], 5, "{first}");
    let none = env.json(&["duplicates"]);
    assert_eq!(none["groups"].as_array().unwrap().len(), 0, "{none}");

    // A copy sent back by a chat app (smaller, re-encoded, no EXIF) and the same file elsewhere.
    let original = image::open(sample("materialkit_street.jpg")).unwrap();
    original
        .resize(
            original.width() / 2,
            original.height() / 2,
            image::imageops::FilterType::Triangle,
        )
        .to_rgb8()
        .save(env.lib().join("street-small.jpg"))
        .unwrap();
    env.put("materialkit_street.jpg", "backup/materialkit_street.jpg");
    let second = env.json(&["scan", "--stages", "descriptor"]);
    assert_eq!(
        second["analysis"]["analysed"], 2,
        "only the new files: {second}"
    );

    let street = env
        .photo_at(&env.lib().join("materialkit_street.jpg"))
        .unwrap();
    let small = env.photo_at(&env.lib().join("street-small.jpg")).unwrap();
    let backup = env
        .photo_at(&env.lib().join("backup/materialkit_street.jpg"))
        .unwrap();
    let groups = env.json(&["duplicates"]);
    assert_eq!(groups["groups"].as_array().unwrap().len(), 1, "{groups:#}");
    let group = group_of(&groups, street.id).expect("the street photo is in a group");
    let ids: Vec<i64> = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["photo"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{group:#}");
    assert!(
        ids.contains(&small.id) && ids.contains(&backup.id),
        "{group:#}"
    );
    assert_eq!(
        group["kind"], "near",
        "a resized copy makes the group near, not exact"
    );
    // The full-size files come first (most pixels), the half-size copy last.
    assert_ne!(ids[0], small.id, "{group:#}");
    assert_eq!(ids[2], small.id, "{group:#}");
    assert_eq!(groups["others"], 2);
    let could_go = env.run(&["duplicates", "--others"]);
    let could_go = String::from_utf8_lossy(&could_go.stdout);
    assert_eq!(
        could_go.lines().count(),
        2,
        "the paths of the photos that could go: {could_go}"
    );
    assert!(
        could_go.contains(small.path.to_str().unwrap()),
        "{could_go}"
    );

    let like = env.json(&["similar", &street.id.to_string(), "--limit", "3"]);
    let like: Vec<i64> = like
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["photo"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(like.len(), 3);
    assert!(
        like[..2].contains(&small.id) && like[..2].contains(&backup.id),
        "the copies are the most alike: {like:?}"
    );
    assert!(
        !like.contains(&street.id),
        "a photo is not listed as like itself"
    );

    // "More like this" in the query language: the copies, most alike first, and nothing else (the
    // others are different photos); combined with other terms; by path.
    let found = |query: &str, sort: &str| -> Vec<i64> {
        env.json(&["search", query, "--sort", sort])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect()
    };
    let like_street = found(&format!("similar:{}", street.id), "similar");
    assert_eq!(like_street.len(), 2, "{like_street:?}");
    assert_eq!(
        like_street,
        like[..2],
        "ranked as `argus similar` ranks them"
    );
    assert_eq!(
        found(&format!("similar:{} -path:backup", street.id), "name"),
        [small.id]
    );
    let mut by_name = found("similar:\"street-small.jpg\"", "similar");
    by_name.sort_unstable();
    let mut street_and_backup = vec![street.id, backup.id];
    street_and_backup.sort_unstable();
    assert_eq!(by_name, street_and_backup);
    let lonely = env.json(&["search", "similar:\"skimage_coffee.png\""]);
    assert_eq!(lonely["total"], 0, "{lonely}");
    assert!(
        lonely["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("no photo looks like 'skimage_coffee.png'"),
        "{lonely}"
    );
    let unsorted = env
        .command()
        .args(["search", "year:2024", "--sort", "similar"])
        .output()
        .unwrap();
    assert_eq!(unsorted.status.code(), Some(2), "a query error");
    let said = String::from_utf8_lossy(&unsorted.stderr);
    assert!(said.contains("needs a similar: term"), "{said}");

    // Keep the original, stack the copies: the grid and search show one photo for the three, the
    // copies stay in the catalogue, stacked behind it, and analysis leaves them alone.
    let total = |env: &Env| {
        env.json(&["search", "--limit", "1"])["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(total(&env), 7);
    let stacked = env.json(&[
        "duplicates",
        "stack",
        &street.id.to_string(),
        &small.id.to_string(),
        backup.path.to_str().unwrap(),
    ]);
    assert_eq!(stacked["changed"], 2, "{stacked}");
    assert_eq!(total(&env), 5);
    assert_eq!(
        env.json(&["duplicates"])["groups"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let shown = env.json(&["show", &small.id.to_string()]);
    assert_eq!(shown["shot_of"], street.id, "{shown}");
    assert_eq!(shown["stack_kind"], "duplicate", "{shown}");
    assert!(
        small.path.exists() && backup.path.exists(),
        "nothing is deleted"
    );
    let again = env.json(&["scan", "--no-analysis"]);
    assert_eq!(total(&env), 5, "a scan keeps the stack: {again}");

    // Undo, then say they are not duplicates: the group does not come back.
    let back = env.json(&["duplicates", "unstack", &street.id.to_string()]);
    assert_eq!(back["changed"], 2, "{back}");
    assert_eq!(total(&env), 7);
    assert_eq!(
        env.json(&["duplicates"])["groups"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    env.run(&[
        "duplicates",
        "dismiss",
        &street.id.to_string(),
        &small.id.to_string(),
        &backup.id.to_string(),
    ]);
    let after = env.json(&["duplicates"]);
    assert_eq!(after["groups"].as_array().unwrap().len(), 0, "{after:#}");
}
