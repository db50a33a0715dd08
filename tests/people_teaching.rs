//! People over a real catalogue file, driven through the CLI, with synthetic embeddings (so the
//! geometry is known): a photo never shows one person twice unless the user says so, suggestions
//! respect that, and confirmed faces teach the clustering a person's other look while a look-alike
//! stays apart.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use argus_api::catalog::fixture::person_of;
use argus_dev::people::synthetic::{embeddings, insert_photos};
use common::Env;
use serde_json::Value;

/// A catalogue with single photos of many people and group photos each holding two faces of one
/// person (the hardest case: both match that person) and one face of another.
struct Groups {
    env: Env,
    /// Face ids of each group photo: [same person, same person, someone else].
    groups: Vec<Vec<i64>>,
}

fn groups() -> Groups {
    let env = Env::new();
    let (faces, labels) = embeddings(2500, 60, 27);
    let mut by_label: BTreeMap<usize, Vec<Vec<f32>>> = BTreeMap::new();
    for (e, l) in faces.into_iter().zip(labels) {
        by_label.entry(l).or_default().push(e);
    }
    let people: Vec<Vec<Vec<f32>>> = by_label.into_values().filter(|f| f.len() >= 9).collect();
    assert!(people.len() >= 20, "{} people with 9 faces", people.len());
    let mut photos: Vec<Vec<Vec<f32>>> = Vec::new();
    for faces in &people {
        photos.extend(faces[..6].iter().map(|f| vec![f.clone()]));
    }
    let first_group = photos.len();
    for (i, faces) in people.iter().enumerate() {
        let other = &people[(i + 1) % people.len()];
        photos.push(vec![faces[6].clone(), faces[7].clone(), other[8].clone()]);
    }
    let ids = {
        let mut catalog = env.open_catalog();
        insert_photos(&mut catalog, &photos).unwrap()
    };
    Groups {
        env,
        groups: ids[first_group..].to_vec(),
    }
}

fn people_of(env: &Env, faces: &[i64]) -> Vec<Option<i64>> {
    let catalog = env.open_catalog();
    faces.iter().map(|&f| person_of(&catalog, f)).collect()
}

/// Asserts no group photo (but the one holding `except`, if any) shows one person twice; returns how
/// many of the same-person pairs have one face in a person.
fn assert_once_per_photo(g: &Groups, after: &str, except: Option<i64>) -> usize {
    let mut joined = 0;
    for faces in g
        .groups
        .iter()
        .filter(|f| except.is_none_or(|e| !f.contains(&e)))
    {
        let people = people_of(&g.env, faces);
        let placed: Vec<i64> = people.iter().flatten().copied().collect();
        let distinct: BTreeSet<i64> = placed.iter().copied().collect();
        assert_eq!(
            placed.len(),
            distinct.len(),
            "after {after}: faces {faces:?} of one photo are in people {people:?}"
        );
        if people[0].is_some() || people[1].is_some() {
            joined += 1;
        }
    }
    joined
}

#[test]
fn a_group_photo_never_yields_one_person_twice_after_cluster_or_recluster() {
    let g = groups();
    let run = g.env.json(&["people", "cluster"]);
    println!("cluster: {run}");
    let joined = assert_once_per_photo(&g, "people cluster", None);
    // Both faces match the person: one of them (the better match) is in it, for most photos.
    assert!(
        joined * 10 >= g.groups.len() * 8,
        "{joined} of {}",
        g.groups.len()
    );
    let placement = &run["placement"];
    assert!(
        placement["same_photo"].as_u64().unwrap() + placement["displaced"].as_u64().unwrap() > 0,
        "the rule was exercised: {placement}"
    );
    let full = g.env.json(&["people", "recluster"]);
    println!("recluster: {full}");
    let joined = assert_once_per_photo(&g, "people recluster", None);
    assert!(joined * 10 >= g.groups.len() * 8);
}

#[test]
fn a_double_assignment_by_hand_is_said_and_survives_reclustering() {
    let g = groups();
    g.env.run(&["people", "cluster"]);
    // A group photo where one face of the pair is in a person and the other is not.
    let (faces, person) = g
        .groups
        .iter()
        .find_map(|faces| match people_of(&g.env, &faces[..2])[..] {
            [Some(p), None] => Some(([faces[0], faces[1]], p)),
            [None, Some(p)] => Some(([faces[1], faces[0]], p)),
            _ => None,
        })
        .expect("a pair split by the rule");
    let person_id = person.to_string();
    let [kept, second] = faces;

    // Suggestions may offer the second face while the first is automatic …
    let before = suggested(&g.env, &person_id);
    // … but not once the user confirmed the first one there.
    g.env
        .json(&["people", "confirm", &person_id, &kept.to_string()]);
    let after = suggested(&g.env, &person_id);
    assert!(
        !after.contains(&second),
        "face {second} suggested for person {person} whose photo already has a confirmed face"
    );
    println!("suggested before: {}, after: {}", before.len(), after.len());

    // The user insists (a mirror): allowed, and said.
    let assigned = g
        .env
        .json(&["people", "confirm", &person_id, &second.to_string()]);
    let shown = assigned["shown_twice"].as_array().unwrap();
    assert_eq!(shown.len(), 1, "{assigned}");
    assert_eq!(shown[0]["faces"].as_array().unwrap().len(), 2);
    assert!(assigned["notes"][0]
        .as_str()
        .unwrap()
        .contains("kept as you decided"));
    let text = g
        .env
        .run(&["people", "confirm", &person_id, &second.to_string()]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("note:"));

    for step in ["recluster", "cluster"] {
        g.env.run(&["people", step]);
        assert_eq!(
            people_of(&g.env, &[kept, second]),
            vec![Some(person), Some(person)],
            "after people {step}"
        );
    }
    assert_once_per_photo(&g, "the double assignment", Some(kept));
}

fn suggested(env: &Env, person: &str) -> BTreeSet<i64> {
    env.json(&["people", "suggest", person, "--limit", "500"])["faces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["face_id"].as_i64().unwrap())
        .collect()
}

/// A unit vector along `axes` (weights) in 8 dimensions, with a little of one "pose" axis.
fn toward(axes: &[(usize, f32)], pose: usize) -> Vec<f32> {
    let mut v = vec![0.0f32; 8];
    for &(a, w) in axes {
        v[a] += w;
    }
    v[3 + pose % 5] += 0.15;
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

#[test]
fn confirming_a_few_old_photos_brings_the_other_old_ones_in_and_a_look_alike_stays_apart() {
    let env = Env::new();
    // Ana today (axis 0), Ana decades ago (axis 1, far from today), and someone who looks a bit
    // like young Ana (axes 1 and 2).
    let today: Vec<Vec<Vec<f32>>> = (0..12).map(|i| vec![toward(&[(0, 1.0)], i)]).collect();
    let young: Vec<Vec<Vec<f32>>> = (0..8)
        .map(|i| vec![toward(&[(1, 1.0), (0, 0.15)], i)])
        .collect();
    let look_alike: Vec<Vec<Vec<f32>>> = (0..6)
        .map(|i| vec![toward(&[(1, 0.55), (2, 1.0)], i)])
        .collect();
    let ids = |photos: Vec<Vec<i64>>| photos.into_iter().flatten().collect::<Vec<i64>>();
    let (today, young, look_alike) = {
        let mut catalog = env.open_catalog();
        (
            ids(insert_photos(&mut catalog, &today).unwrap()),
            ids(insert_photos(&mut catalog, &young).unwrap()),
            ids(insert_photos(&mut catalog, &look_alike).unwrap()),
        )
    };
    env.run(&["people", "cluster"]);
    let ana = people_of(&env, &today)[0].expect("today's photos form a person");
    assert!(people_of(&env, &today).iter().all(|p| *p == Some(ana)));
    env.run(&["people", "name", &ana.to_string(), "Ana"]);
    assert!(
        people_of(&env, &young).iter().all(|p| *p != Some(ana)),
        "young Ana is too far from today's Ana to join by herself"
    );

    let first_three: Vec<String> = young[..3].iter().map(|f| f.to_string()).collect();
    env.run(&["people", "confirm", "Ana", &first_three.join(",")]);
    let run: Value = env.json(&["people", "recluster"]);
    println!("recluster: {run}");
    assert_eq!(
        people_of(&env, &young),
        vec![Some(ana); young.len()],
        "the other young photos join Ana through the prototype of the confirmed ones"
    );
    assert!(
        people_of(&env, &look_alike).iter().all(|p| *p != Some(ana)),
        "the look-alike stays apart"
    );

    // New young photos arriving later join her too (incremental clustering).
    let more: Vec<Vec<Vec<f32>>> = (5..8)
        .map(|i| vec![toward(&[(1, 1.0), (0, 0.1)], i)])
        .collect();
    let more = {
        let mut catalog = env.open_catalog();
        ids(insert_photos(&mut catalog, &more).unwrap())
    };
    env.run(&["people", "cluster"]);
    assert_eq!(people_of(&env, &more), vec![Some(ana); more.len()]);
}
