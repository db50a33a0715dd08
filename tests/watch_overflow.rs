//! When the kernel's event queue overflows, the watcher rescans instead of losing changes.
//!
//! A separate test binary (test binaries run one at a time) because it lowers the system-wide inotify
//! queue limit for the instant the watcher starts: inotify fixes the limit per instance at creation, so
//! the setting is restored right away and nothing else is affected. Needs root (reported as skipped
//! otherwise).
#![deny(dead_code)]

mod common;

use std::time::Duration;

use common::harness::{skip, Ran};
use common::watcher::{eventually, Watcher};
use common::*;

const QUEUE_LIMIT: &str = "/proc/sys/fs/inotify/max_queued_events";

fn main() -> std::process::ExitCode {
    tests![an_overflowing_burst_is_caught_by_a_rescan]
}

fn an_overflowing_burst_is_caught_by_a_rescan() -> Ran {
    let Ok(original) = std::fs::read_to_string(QUEUE_LIMIT) else {
        return skip(format!("{QUEUE_LIMIT} is not readable on this system"));
    };
    if std::fs::write(QUEUE_LIMIT, "2").is_err() {
        return skip(format!("cannot lower {QUEUE_LIMIT} (needs root)"));
    }
    let env = Env::new();
    env.add_library();
    let started = std::panic::catch_unwind(|| Watcher::start(&env));
    std::fs::write(QUEUE_LIMIT, original.trim()).expect("restore the inotify queue limit");
    let watcher = started.expect("watcher started");

    // 600 files in one go: far more than 2 queued events, so the queue overflows.
    let photo = std::fs::read(sample("skimage_chelsea.png")).unwrap();
    for i in 0..600 {
        let mut bytes = photo.clone();
        bytes.extend_from_slice(&(i as u32).to_le_bytes());
        std::fs::write(env.lib().join(format!("cat_{i:03}.png")), bytes).unwrap();
    }
    eventually(Duration::from_secs(60), "all 600 files catalogued", || {
        env.photos().len() == 600
    });
    let log = watcher.log.lock().unwrap().join("\n");
    assert!(
        log.contains("rescan: the event queue overflowed"),
        "no overflow rescan seen:\n{log}"
    );
    assert!(env
        .photos()
        .iter()
        .all(|p| p.status == argus_api::catalog::PhotoStatus::Ok));
    Ok(())
}
