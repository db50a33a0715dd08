//! The loaded ONNX sessions of a run, by model id (manifest id): what the analyzer loads and the
//! stages take their networks from.

use std::collections::HashMap;

use ort::session::Session;

use crate::AnalysisError;

/// The loaded models' sessions, by manifest id.
#[derive(Default)]
pub struct Models {
    sessions: HashMap<&'static str, Session>,
}

impl Models {
    /// Whether a model's session is loaded.
    pub fn contains(&self, id: &str) -> bool {
        self.sessions.contains_key(id)
    }

    /// Adds a loaded session.
    pub fn insert(&mut self, id: &'static str, session: Session) {
        self.sessions.insert(id, session);
    }

    /// A loaded model's session.
    pub fn session(&mut self, id: &str) -> Result<&mut Session, AnalysisError> {
        self.sessions
            .get_mut(id)
            .ok_or_else(|| AnalysisError::Inference(format!("model {id} was not loaded")))
    }

    /// Sessions of several different models at once.
    pub fn sessions<const N: usize>(
        &mut self,
        ids: [&str; N],
    ) -> Result<[&mut Session; N], AnalysisError> {
        let found = self.sessions.get_disjoint_mut(ids);
        if found.iter().any(Option::is_none) {
            return Err(AnalysisError::Inference(format!(
                "models {} were not all loaded",
                ids.join(", ")
            )));
        }
        Ok(found.map(|s| s.expect("checked above")))
    }

    /// Takes a model's session out (for a stage that keeps it for itself).
    pub fn take(&mut self, id: &str) -> Result<Session, AnalysisError> {
        self.sessions
            .remove(id)
            .ok_or_else(|| AnalysisError::Inference(format!("model {id} was not loaded")))
    }
}
