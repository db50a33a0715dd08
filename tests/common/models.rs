//! The real models for tests: one folder shared by every test binary (`target/models`, or
//! `ARGUS_TEST_MODELS`), installed on first use by the real `argus models fetch`, which verifies every
//! checksum, downloads nothing when all is present, and locks against concurrent fetches.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The installed models folder.
pub fn models_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::var_os("ARGUS_TEST_MODELS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/models"));
        let out = Command::new(env!("CARGO_BIN_EXE_argus"))
            .args(["models", "fetch", "--models"])
            .arg(&dir)
            .env_remove("ARGUS_ORT_LIB")
            .output()
            .expect("run argus models fetch");
        assert!(
            out.status.success(),
            "argus models fetch failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        dir
    })
}
