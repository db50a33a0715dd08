//! The orders results come in. The SQL reference (catalogue) and the index (search) implement the
//! same four, tie-breaks included.

use serde::{Deserialize, Serialize};

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Date taken, newest first (photos without a date last; ties: newest id first).
    Taken,
    /// Date added to the catalogue, newest first (ties: newest id first).
    Added,
    /// Most faces first (ties: oldest id first).
    Faces,
    /// File name (byte order), then id.
    Name,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Taken, Sort::Added, Sort::Faces, Sort::Name];

    /// The name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Taken => "taken",
            Sort::Added => "added",
            Sort::Faces => "faces",
            Sort::Name => "name",
        }
    }
}

impl std::str::FromStr for Sort {
    type Err = String;

    fn from_str(s: &str) -> Result<Sort, String> {
        Sort::ALL
            .into_iter()
            .find(|o| o.name() == s)
            .ok_or_else(|| format!("unknown sort '{s}' (taken, added, faces or name)"))
    }
}
