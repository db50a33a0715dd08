//! Appearance probes and scene labels on labelled photos from the shared evaluation data
//! (`../shared/datasets`, or `ARGUS_SHARED_DATASETS`): research data that users do not have, so every
//! test here is reported as skipped (not ok) when the folder is absent. The faces used come from the
//! probes' held-back split (never trained on).
#![deny(dead_code)]

mod common;

use std::path::PathBuf;

use common::harness::{skip, Ran, Skipped};
use common::Env;
use serde_json::Value;

fn main() -> std::process::ExitCode {
    tests![
        beards_glasses_and_smiles_come_through_the_whole_pipeline,
        training_reproduces_the_committed_probes,
        scene_labels_are_scored_per_class,
    ]
}

/// The shared data sets folder, if this machine has it.
fn datasets() -> Result<PathBuf, Skipped> {
    let dir = std::env::var_os("ARGUS_SHARED_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets"));
    if dir.join("celeba_glasses/labels.csv").is_file() {
        Ok(dir)
    } else {
        skip(format!(
            "no shared data sets at {} (set ARGUS_SHARED_DATASETS)",
            dir.display()
        ))
    }
}

/// An attribute a face must (true) or must not (false) get.
type Expected = &'static [(&'static str, bool)];

/// Held-back faces (data set path, name in the library) and what they must get.
const FACES: [(&str, &str, Expected); 6] = [
    (
        "celeba_facial_hair/images/10114_003773.jpg",
        "bearded.jpg",
        &[("beard", true)],
    ),
    (
        "celeba_facial_hair/images/9323_006029.jpg",
        "clean_shaven.jpg",
        &[("beard", false), ("mustache", false)],
    ),
    (
        "celeba_glasses/images/9774_005616.jpg",
        "sunglasses.jpg",
        &[("sunglasses", true), ("eyeglasses", false)],
    ),
    (
        "celeba_glasses/images/4568_009060.jpg",
        "eyeglasses.jpg",
        &[("eyeglasses", true), ("sunglasses", false)],
    ),
    (
        "celeba_smiling/images/2808_001009.jpg",
        "smiling.jpg",
        &[("smile", true)],
    ),
    (
        "celeba_smiling/images/2515_003393.jpg",
        "not_smiling.jpg",
        &[("smile", false)],
    ),
];

fn beards_glasses_and_smiles_come_through_the_whole_pipeline() -> Ran {
    let data = datasets()?;
    let env = Env::with_models();
    for (source, name, _) in FACES {
        std::fs::copy(data.join(source), env.lib().join(name)).unwrap();
    }
    env.add_library();
    let report = env.scan();
    assert_eq!(report["analysis"]["failed"], 0, "{report}");
    for (source, name, expected) in FACES {
        let shown = env.json(&["show", env.lib().join(name).to_str().unwrap()]);
        let faces = shown["faces"].as_array().unwrap();
        assert_eq!(faces.len(), 1, "{source}: {shown}");
        let attributes = &faces[0]["attributes"];
        for (attribute, present) in expected {
            let got = &attributes[*attribute];
            assert_eq!(
                got["value"],
                Value::Bool(*present),
                "{source} ({name}) {attribute}: {got}"
            );
            assert!(got["model_version"].as_str().unwrap().contains("+probes@"));
        }
    }
    Ok(())
}

fn training_reproduces_the_committed_probes() -> Ran {
    let data = datasets()?;
    let env = Env::with_models();
    let out = env.dir.path().join("probes.json");
    let trained = env.json(&[
        "dev",
        "train-attributes",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let committed: Value =
        serde_json::from_str(include_str!("../models/probes/appearance.json")).unwrap();
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written, trained);
    // The same weights, up to float rounding: ONNX Runtime picks its kernels by CPU (AVX2 or not …),
    // which moves network outputs in the 7th digit and so the weights in the 6th (the version, a hash
    // of the exact weights, then differs). Everything discrete — selection, thresholds, every metric —
    // must be identical.
    assert_eq!(trained["seed"], committed["seed"]);
    for (t, c) in trained["probes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(committed["probes"].as_array().unwrap())
    {
        assert_eq!(t["id"], c["id"]);
        assert_eq!(t["descriptors"], c["descriptors"]);
        assert_eq!(t["c"], c["c"]);
        assert_eq!(
            t["attributes"], c["attributes"],
            "{}: same thresholds",
            t["id"]
        );
        assert_eq!(t["metrics"], c["metrics"], "{}: same metrics", t["id"]);
        let (tw, cw) = (numbers(&t["classifier"]), numbers(&c["classifier"]));
        assert_eq!(tw.len(), cw.len());
        let drift = tw
            .iter()
            .zip(&cw)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(drift < 1e-4, "{}: weights differ by up to {drift}", t["id"]);
    }
    if trained["version"] != committed["version"] {
        eprintln!(
            "same probes up to float rounding (version {})",
            trained["version"]
        );
    }
    // The targets of the issue, on the held-back photos.
    let metrics = |id: &str| {
        trained["probes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()["metrics"]
            .clone()
    };
    let accuracy = |id: &str, key: &str| metrics(id)[key].as_f64().unwrap();
    assert!(accuracy("glasses", "accuracy") >= 0.90);
    assert!(accuracy("beard", "own_accuracy") >= 0.88);
    assert!(accuracy("hat", "accuracy") >= 0.88);
    // Smile: 91.7 % on this split (121 of 132), 89.3 % on average over 20 repeated splits
    // (`--repeats 20`).
    assert!(accuracy("smile", "accuracy") >= 0.88);
    // Hair and accessories (issue 25's targets). Hair colour 5-way reads the hair's own colour
    // statistics and the network's features of the hair view besides faceres: 80.5 % on this one
    // split of 123 faces (78.0 % without the hair view; one split moves ±3 points), 84.4 % (sd 2.4)
    // over 10 repeated splits and 85.4 % cross-validated. Black and brown are the confusions.
    assert!(accuracy("hair_colour", "accuracy") >= 0.80);
    assert!(accuracy("bangs", "accuracy") >= 0.85);
    assert!(accuracy("earrings", "accuracy") >= 0.80);
    assert!(accuracy("necktie", "accuracy") >= 0.85);
    let attribute = |id: &str, name: &str| {
        let all = metrics(id)["attributes"].as_array().unwrap().clone();
        let one = all.iter().find(|a| a["name"] == name).unwrap();
        one["accuracy"].as_f64().unwrap()
    };
    assert!(attribute("hair_colour", "bald") >= 0.90);
    Ok(())
}

/// Every number in a JSON value, depth first.
fn numbers(value: &Value) -> Vec<f64> {
    match value {
        Value::Number(n) => vec![n.as_f64().unwrap()],
        Value::Array(items) => items.iter().flat_map(numbers).collect(),
        Value::Object(fields) => fields.values().flat_map(numbers).collect(),
        _ => Vec::new(),
    }
}

fn scene_labels_are_scored_per_class() -> Ran {
    let data = datasets()?;
    let env = Env::with_models();
    let report = env.json(&[
        "dev",
        "eval-labels",
        "--data",
        data.join("intel_scenes").to_str().unwrap(),
    ]);
    assert_eq!(report["photos"], 600, "{report}");
    let class = |name: &str| {
        report["classes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["class"] == name)
            .unwrap()
            .clone()
    };
    assert!(
        class("mountain")["right"].as_f64().unwrap() >= 0.8,
        "{report}"
    );
    assert!(
        class("street")["right"].as_f64().unwrap() >= 0.7,
        "{report}"
    );
    // A hole in the ImageNet vocabulary, reported as such.
    assert_eq!(class("forest")["expected"], serde_json::json!([]));
    assert!(report["right"].as_f64().unwrap() > 0.5, "{report}");
    Ok(())
}
