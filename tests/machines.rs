//! One catalogue, two machines that see the photo share at different folders: machine "alpha" adds
//! and analyses the library; machine "beta" (`ARGUS_MACHINE`) mounts the same files elsewhere with
//! `argus library mount`, and then scans, analyses and exports from its own folder without a photo
//! read again, analysed again or catalogued twice — while alpha still sees its own paths. Runs on
//! SQLite and (in the PostgreSQL pass) on a server.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{count, Env};
use serde_json::Value;

/// `argus ARGS` on `machine` (asserting success).
fn on(env: &Env, machine: &str, args: &[&str]) -> Output {
    let out = env
        .command()
        .env("ARGUS_MACHINE", machine)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "argus {args:?} on {machine} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `argus --json ARGS` on `machine`.
fn json_on(env: &Env, machine: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&on(env, machine, &all).stdout).unwrap()
}

fn paths(photos: &Value) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = photos
        .as_array()
        .unwrap()
        .iter()
        .map(|p| PathBuf::from(p["path"].as_str().unwrap()))
        .collect();
    paths.sort();
    paths
}

/// Hard-links every file of `from` into `to`: the same files (contents, sizes, times) at another
/// folder, as a share mounted elsewhere shows them.
fn link_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::hard_link(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn a_library_mounted_elsewhere_on_another_machine_is_the_same_library() {
    let env = Env::with_models();
    env.put("fr_obama.jpg", "obama.jpg");
    env.put("fr_biden.jpg", "biden.jpg");
    let alpha_root = env.lib();
    on(
        &env,
        "alpha",
        &["library", "add", alpha_root.to_str().unwrap()],
    );
    json_on(&env, "alpha", &["scan", "--stages", "faces,embedding"]);
    let alpha_paths = paths(&json_on(&env, "alpha", &["photos"]));
    assert_eq!(alpha_paths.len(), 2);
    let faces = env.open_catalog().stats().unwrap().faces;
    assert!(faces >= 2, "alpha analysed the photos: {faces} faces");

    // Beta sees the share at another folder; alpha's folder does not exist there.
    let beta_root = env.dir.path().join("share-on-beta");
    link_tree(&alpha_root, &beta_root);
    std::fs::remove_dir_all(&alpha_root).unwrap();
    let beta_root = beta_root.canonicalize().unwrap();
    let libraries = json_on(&env, "beta", &["library", "list"]);
    let id = libraries[0]["id"].as_i64().unwrap();
    let mounted = json_on(
        &env,
        "beta",
        &[
            "library",
            "mount",
            &id.to_string(),
            beta_root.to_str().unwrap(),
        ],
    );
    assert_eq!(mounted["path"], beta_root.to_str().unwrap(), "{mounted}");
    assert_eq!(mounted["catalog_path"], alpha_root.to_str().unwrap());

    // Beta: every photo at its own folder, nothing new, nothing read again, nothing pending.
    let beta_paths = paths(&json_on(&env, "beta", &["photos"]));
    let expected: Vec<PathBuf> = alpha_paths
        .iter()
        .map(|p| beta_root.join(p.strip_prefix(&alpha_root).unwrap()))
        .collect();
    assert_eq!(beta_paths, expected);
    let scan = json_on(&env, "beta", &["scan", "--stages", "faces,embedding"]);
    assert_eq!(count(&scan, "unchanged"), 2, "{scan}");
    for key in ["new", "changed", "moved", "deleted", "files_read"] {
        assert_eq!(count(&scan, key), 0, "{key} in {scan}");
    }
    let analysis = json_on(&env, "beta", &["analyze", "--stages", "faces,embedding"]);
    assert_eq!(analysis["analysed"], 0, "analysed again: {analysis}");
    assert_eq!(env.open_catalog().stats().unwrap().faces, faces);

    // Beta exports from its folder (alpha's is gone here).
    let out = env.dir.path().join("out");
    let report = json_on(
        &env,
        "beta",
        &[
            "export",
            "--query",
            "",
            "--aspect",
            "1:1",
            "--width",
            "200",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );
    assert_eq!(report["crops"].as_array().unwrap().len(), 2, "{report}");

    // A photo beta adds is stored at the catalogue's path, so alpha sees it at its own.
    std::fs::copy(common::sample("fr_obama.jpg"), beta_root.join("new.jpg")).unwrap();
    let scan = json_on(&env, "beta", &["scan", "--stages", "faces"]);
    assert_eq!(count(&scan, "new"), 1, "{scan}");
    let alpha_now = paths(&json_on(&env, "alpha", &["photos"]));
    assert!(
        alpha_now.contains(&alpha_root.join("new.jpg")),
        "{alpha_now:?}"
    );
    assert!(alpha_now.iter().all(|p| p.starts_with(&alpha_root)));
    let beta_now = paths(&json_on(&env, "beta", &["photos"]));
    assert!(beta_now.iter().all(|p| p.starts_with(&beta_root)));

    // Alpha's list names beta's mount; mounting at the catalogue path forgets it.
    let listed = json_on(&env, "alpha", &["library", "list"]);
    assert_eq!(listed[0]["path"], alpha_root.to_str().unwrap());
    assert_eq!(listed[0]["mounts"][0]["machine"], "beta", "{listed}");
    assert_eq!(listed[0]["mounts"][0]["path"], beta_root.to_str().unwrap());
    std::fs::create_dir_all(&alpha_root).unwrap();
    let forgotten = json_on(
        &env,
        "beta",
        &[
            "library",
            "mount",
            &id.to_string(),
            alpha_root.to_str().unwrap(),
        ],
    );
    assert_eq!(forgotten["path"], alpha_root.to_str().unwrap());
    assert!(
        forgotten["mounts"].as_array().unwrap().is_empty(),
        "{forgotten}"
    );
}

#[test]
fn a_mount_must_be_a_folder_and_must_not_overlap_another_library() {
    let env = Env::new();
    env.put("fr_obama.jpg", "a.jpg");
    env.add_library();
    let other = env.dir.path().join("other");
    std::fs::create_dir_all(other.join("inner")).unwrap();
    on(&env, "alpha", &["library", "add", other.to_str().unwrap()]);
    let libraries = json_on(&env, "alpha", &["library", "list"]);
    let first = libraries[0]["id"].to_string();
    let refused = |folder: &Path, says: &str| {
        let out = env
            .command()
            .env("ARGUS_MACHINE", "beta")
            .args(["library", "mount", &first, folder.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && stderr.contains(says), "{stderr}");
    };
    refused(&other.join("inner"), "other");
    refused(&env.dir.path().join("missing"), "missing");
    let unknown = env
        .command()
        .args(["library", "mount", "999", other.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no library 999"));
    // Nothing recorded by the refusals.
    let libraries = json_on(&env, "alpha", &["library", "list"]);
    assert!(libraries[0]["mounts"].as_array().unwrap().is_empty());
}
