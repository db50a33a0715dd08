//! People on LFW (`../shared/datasets/lfw_identities`: 727 photos of 150 people): research data that
//! users do not have, so the test is reported as skipped (not ok) when the folder is absent.
#![deny(dead_code)]

mod common;

use std::path::Path;

use common::harness::{skip, Ran};
use common::Env;

fn main() -> std::process::ExitCode {
    tests![lfw_identities_cluster_with_high_bcubed_f]
}

fn lfw_identities_cluster_with_high_bcubed_f() -> Ran {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/lfw_identities");
    if !shared.join("labels.csv").is_file() {
        return skip(format!("{} is absent", shared.display()));
    }
    let env = Env::with_models();
    let reports = env.json(&["people", "eval", "--data", shared.to_str().unwrap()]);
    let b = &reports[0]["quality"]["bcubed"];
    println!("LFW: BCubed {b}");
    // Measured P 0.987 R 0.938 F 0.962 at the defaults.
    assert!(b["precision"].as_f64().unwrap() >= 0.97);
    assert!(b["f"].as_f64().unwrap() >= 0.93);
    Ok(())
}
