//! ONNX Runtime, loaded at run time (ort `load-dynamic`) from the library that `argus models fetch`
//! installs from the pinned PyPI wheel. One environment per process; one session per model, reused.
//! A missing or broken runtime is an error that names the fix, never a panic.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::environment::Environment;
use ort::session::Session;

use super::AnalysisError;

static ENVIRONMENT: OnceLock<Result<Environment, String>> = OnceLock::new();

/// The process-wide ONNX Runtime environment, loading the shared library at `library` on first use.
pub fn environment(library: &Path) -> Result<&'static Environment, AnalysisError> {
    if !library.is_file() {
        return Err(AnalysisError::RuntimeMissing(library.to_path_buf()));
    }
    let env = ENVIRONMENT.get_or_init(|| {
        let builder = ort::init_from(library).map_err(|e| e.to_string())?;
        builder
            .with_name("argus")
            .build()
            .map_err(|e| e.to_string())
    });
    env.as_ref().map_err(|e| AnalysisError::RuntimeBroken {
        path: library.to_path_buf(),
        reason: e.clone(),
    })
}

/// Opens a model file as a session with `threads` intra-op threads (not spinning between runs).
pub fn session(env: &Environment, model: &Path, threads: usize) -> Result<Session, AnalysisError> {
    let fail = |e: String| AnalysisError::ModelLoad {
        path: model.to_path_buf(),
        reason: e,
    };
    Session::builder(env)
        .map_err(|e| fail(e.to_string()))?
        .with_intra_threads(threads)
        .map_err(|e| fail(e.to_string()))?
        .with_inter_threads(1)
        .map_err(|e| fail(e.to_string()))?
        // Spin-waiting workers compete with the decode thread and each other on a 2-core machine:
        // measured (`argus dev bench analyze`, 60 photos) 2.11 photos/s without spinning, 1.37 with.
        .with_intra_op_spinning(false)
        .map_err(|e| fail(e.to_string()))?
        .commit_from_file(model)
        .map_err(|e| fail(e.to_string()))
}

/// Where the runtime library is looked for: `$ARGUS_ORT_LIB`, else the models folder's `runtime/`.
pub fn library_path(models_dir: &Path, file_name: &str) -> PathBuf {
    match std::env::var_os("ARGUS_ORT_LIB") {
        Some(p) => PathBuf::from(p),
        None => models_dir.join("runtime").join(file_name),
    }
}
