//! Installing and checking the models: a second fetch downloads nothing, status tells present /
//! missing / corrupt, a corrupt file is restored from a mirror, the hub path downloads from an upstream
//! URL and verifies it, and a missing runtime or model is a clear error, never a panic.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use common::models::models_dir;
use common::Env;
use serde_json::Value;

fn argus(models: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_argus"))
        .arg("--models")
        .arg(models)
        .args(args)
        .env_remove("ARGUS_ORT_LIB")
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn manifest_ids() -> Vec<String> {
    let manifest = argus_api::models::Manifest::embedded();
    std::iter::once(manifest.runtime.id)
        .chain(manifest.models.into_iter().map(|m| m.id))
        .collect()
}

#[test]
fn every_model_is_installed_and_a_second_fetch_downloads_nothing() {
    let dir = models_dir();
    let status = argus(dir, &["--json", "models", "status"]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let items = json(&status);
    let ids: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, manifest_ids());
    for item in items.as_array().unwrap() {
        assert_eq!(item["state"], "present", "{item}");
    }
    // Again: every item is already there and intact, so nothing is downloaded or converted.
    let again = argus(dir, &["--json", "models", "fetch"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(!stderr.contains("downloading"), "{stderr}");
    for item in json(&again)["items"].as_array().unwrap() {
        assert_eq!(item["state"], "present", "{item}");
    }
}

#[test]
fn a_corrupt_model_is_reported_and_restored_from_a_mirror_without_downloading() {
    let temp = tempfile::tempdir().unwrap();
    let models = temp.path().join("models");
    let yunet = argus_api::models::ModelStore::new(&models)
        .model_path("yunet")
        .unwrap();
    std::fs::create_dir_all(&models).unwrap();
    std::fs::write(&yunet, b"not an onnx model").unwrap();

    let status = argus(&models, &["--json", "models", "status"]);
    assert!(
        !status.status.success(),
        "status fails while something is missing or corrupt"
    );
    let items = json(&status);
    let state = |id: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(state("yunet"), "corrupt");
    assert_eq!(state("onnxruntime"), "missing");

    let fetch = argus(
        &models,
        &[
            "--json",
            "models",
            "fetch",
            "--only",
            "yunet",
            "--mirror",
            models_dir().to_str().unwrap(),
        ],
    );
    assert!(
        fetch.status.success(),
        "{}",
        String::from_utf8_lossy(&fetch.stderr)
    );
    assert_eq!(json(&fetch)["items"][0]["state"], "installed");
    assert!(!String::from_utf8_lossy(&fetch.stderr).contains("downloading"));
    assert_eq!(
        argus_api::models::sha256_file(&yunet).unwrap(),
        argus_api::models::ModelStore::new(&models)
            .model("yunet")
            .unwrap()
            .sha256
    );
}

/// A local web server standing in for the model hub.
struct Hub {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Hub {
    fn start() -> Hub {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        let port = line
            .split_whitespace()
            .skip_while(|w| *w != "port")
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("cannot read the port from: {line}"));
        Hub { child, port, dir }
    }

    fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The embedded manifest with one model's upstream URL pointed at `url`.
fn manifest_with_url(id: &str, url: &str) -> String {
    let mut manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(manifest_path()).unwrap()).unwrap();
    let models = manifest["model"].as_array_mut().unwrap();
    let entry = models
        .iter_mut()
        .find(|m| m["id"].as_str() == Some(id))
        .unwrap();
    let table = entry.as_table_mut().unwrap();
    table.insert("url".into(), url.into());
    table.remove("alt_urls");
    toml::to_string(&manifest).unwrap()
}

fn manifest_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/manifest.toml")
}

#[test]
fn the_hub_source_downloads_from_the_upstream_url_and_verifies_the_checksum() {
    let hub = Hub::start();
    let store = argus_api::models::ModelStore::new(models_dir());
    let installed = store.model_path("ppocr-cls").unwrap();
    std::fs::copy(&installed, hub.dir.path().join("cls.onnx")).unwrap();
    std::fs::write(hub.dir.path().join("tampered.onnx"), b"something else").unwrap();
    let work = tempfile::tempdir().unwrap();
    let fetch = |url: &str, dest: &Path| {
        let manifest = work.path().join("manifest.toml");
        std::fs::write(&manifest, manifest_with_url("ppocr-cls", url)).unwrap();
        Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/fetch.py"))
            .arg("--manifest")
            .arg(&manifest)
            .arg("--dest")
            .arg(dest)
            .args(["--source", "hub", "--only", "ppocr-cls", "--json"])
            .output()
            .unwrap()
    };

    let good = work.path().join("good");
    let out = fetch(&hub.url("cls.onnx"), &good);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(&hub.url("cls.onnx")));
    let file = good.join(installed.file_name().unwrap());
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&installed).unwrap()
    );

    let bad = work.path().join("bad");
    let out = fetch(&hub.url("tampered.onnx"), &bad);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sha256"), "{stderr}");
    assert!(
        !bad.join(installed.file_name().unwrap()).exists(),
        "nothing installed"
    );
    assert_eq!(json(&out)["items"][0]["state"], "failed");
}

#[test]
fn a_missing_runtime_or_model_is_a_clear_error_not_a_panic() {
    let env = Env::new();
    env.put("fr_obama.jpg", "obama.jpg");
    env.add_library();
    // Scanning without models catalogues and says how to get analysis.
    let scan = env.json(&["scan"]);
    assert_eq!(scan["new"], 1);
    assert!(scan["analysis"].is_null());
    let why = scan["analysis_skipped"].as_str().unwrap();
    assert!(
        why.contains("onnxruntime") && why.contains("argus models fetch"),
        "{why}"
    );

    let check = |out: Output, expected: &[&str]| {
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        for e in expected {
            assert!(stderr.contains(e), "'{e}' not in: {stderr}");
        }
    };
    // No runtime at all.
    check(
        env.command().arg("analyze").output().unwrap(),
        &["ONNX Runtime is not installed", "argus models fetch"],
    );
    // A runtime file that is not a library.
    let fake = env.dir.path().join("libonnxruntime.so");
    std::fs::write(&fake, b"not a library").unwrap();
    check(
        env.command()
            .arg("analyze")
            .env("ARGUS_ORT_LIB", &fake)
            .output()
            .unwrap(),
        &["cannot be loaded", "argus models fetch"],
    );
    // The real runtime, but a model missing, and then one that is corrupt.
    let models = env.dir.path().join("some-models");
    let store = argus_api::models::ModelStore::new(models_dir());
    let runtime = store.runtime_path();
    std::fs::create_dir_all(models.join("runtime")).unwrap();
    std::fs::copy(
        &runtime,
        models.join("runtime").join(runtime.file_name().unwrap()),
    )
    .unwrap();
    check(
        env.command()
            .args(["analyze", "--stages", "faces"])
            .env("ARGUS_MODELS", &models)
            .output()
            .unwrap(),
        &["model yunet is not installed", "argus models fetch"],
    );
    let yunet = argus_api::models::ModelStore::new(&models)
        .model_path("yunet")
        .unwrap();
    std::fs::write(&yunet, b"garbage").unwrap();
    check(
        env.command()
            .args(["analyze", "--stages", "faces"])
            .env("ARGUS_MODELS", &models)
            .output()
            .unwrap(),
        &["cannot be loaded", "argus models fetch"],
    );
}
