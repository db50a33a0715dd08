//! Crash safety: `kill -9` a real scan midway; the catalogue opens, passes `PRAGMA integrity_check`, and a
//! new scan finishes the job without duplicates.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

#[test]
fn a_scan_killed_midway_leaves_a_sound_catalogue_that_a_rescan_completes() {
    let env = Env::new();
    let total = 300;
    // Real-size photos (3 MP, built from the sample photos), slow enough to kill mid-scan.
    argus_dev::bench::generate_photo_set(
        &env.lib().join("set"),
        total,
        2000,
        1500,
        Some(sample_dir()),
    )
    .unwrap();
    std::fs::remove_file(env.lib().join("set/.complete")).unwrap();
    env.add_library();

    let mut child = env
        .command()
        .args(["scan", "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as some (not all) photos are committed.
    let start = Instant::now();
    let mut committed = 0;
    while start.elapsed() < Duration::from_secs(60) {
        committed = env.open_catalog().stats().unwrap().photos;
        if committed > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(committed > 0, "the scan committed nothing within a minute");

    let catalog = env.open_catalog();
    assert_eq!(catalog.integrity_check().unwrap(), "ok");
    let after_kill = catalog.stats().unwrap().photos;
    assert!(
        after_kill < total as i64,
        "the scan was not interrupted midway ({after_kill} of {total} done)"
    );
    drop(catalog);

    let report = env.scan();
    assert_eq!(
        count(&report, "unchanged") as i64,
        after_kill,
        "committed photos are not read again"
    );
    assert_eq!(count(&report, "new") as i64, total as i64 - after_kill);
    let catalog = env.open_catalog();
    assert_eq!(catalog.integrity_check().unwrap(), "ok");
    let photos = env.photos();
    assert_eq!(photos.len(), total);
    let paths: std::collections::HashSet<_> = photos.iter().map(|p| p.path.clone()).collect();
    assert_eq!(paths.len(), total, "no duplicate photos");
    assert!(photos
        .iter()
        .all(|p| p.status == argus_api::catalog::PhotoStatus::Ok));
}
