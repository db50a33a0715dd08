//! The error type of every Argus crate. Per-file problems during a scan are *not* errors of the scan:
//! they are recorded on the photo row; these are failures of an operation. The catalogue's database
//! errors arrive as text ([`Error::Db`]): whichever engine raised them, no database crate is needed here.

use std::path::PathBuf;

/// Errors returned by library operations.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("catalogue database error: {0}")]
    Db(String),

    #[error("catalogue at {catalog} was written by a newer Argus (schema version {found}, this build knows up to {known})")]
    SchemaTooNew {
        catalog: String,
        found: u32,
        known: u32,
    },

    /// The I/O error is part of the message (not a separate source, so that a printed chain does
    /// not repeat it).
    #[error("{context}: {cause}")]
    Io {
        context: String,
        cause: std::io::Error,
    },

    #[error("no library at {0} (see `argus library list`)")]
    NoSuchLibrary(PathBuf),

    #[error("{0} is not a folder")]
    NotAFolder(PathBuf),

    #[error("{new} overlaps the library {existing}: libraries may not contain one another")]
    OverlappingLibrary { new: PathBuf, existing: PathBuf },

    #[error("no photo matches {0}")]
    NoSuchPhoto(String),

    #[error("no person matches {0} (see `argus people list`)")]
    NoSuchPerson(String),

    /// A people decision that cannot be carried out as asked (the message says why).
    #[error("{0}")]
    Decision(String),

    #[error("file watcher error: {0}")]
    Watch(String),

    #[error(transparent)]
    Analysis(#[from] AnalysisError),

    #[error("{0}")]
    Query(#[from] crate::query_error::QueryError),

    #[error("{0}")]
    Other(String),
}

/// Shorthand for results of library operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with a description of what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            cause: source,
        }
    }
}

/// Why analysis cannot run or failed. Each message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("ONNX Runtime is not installed (looked for {0}): run `argus models fetch`")]
    RuntimeMissing(PathBuf),
    #[error("ONNX Runtime at {path} cannot be loaded ({reason}): run `argus models fetch` to reinstall it")]
    RuntimeBroken { path: PathBuf, reason: String },
    #[error("model {id} is not installed (looked for {path}): run `argus models fetch`")]
    ModelMissing { id: String, path: PathBuf },
    #[error(
        "model file {path} cannot be loaded ({reason}): run `argus models fetch` to reinstall it"
    )]
    ModelLoad { path: PathBuf, reason: String },
    #[error("inference failed: {0}")]
    Inference(String),
    #[error("image problem: {0}")]
    Image(String),
}
