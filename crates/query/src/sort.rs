//! The orders results come in. The SQL reference (catalogue) and the index (search) implement the
//! same five, tie-breaks included.

use serde::{Deserialize, Serialize};

use crate::grammar::Expr;
use crate::meaning::similar_refs;
use crate::{QueryError, Span};

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
    /// Most alike first to the photos the query's `similar:` terms name (the highest similarity to
    /// any of them; photos without a descriptor last; ties: oldest id first). Only for a query with
    /// a `similar:` term.
    Similar,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Taken,
        Sort::Added,
        Sort::Faces,
        Sort::Name,
        Sort::Similar,
    ];

    /// The name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Taken => "taken",
            Sort::Added => "added",
            Sort::Faces => "faces",
            Sort::Name => "name",
            Sort::Similar => "similar",
        }
    }
}

impl Sort {
    /// Whether this order can sort what `query` (None: everything) finds: [`Sort::Similar`] needs a
    /// `similar:` term to be alike to.
    pub fn check(self, query: Option<&Expr>) -> Result<(), QueryError> {
        if self == Sort::Similar && query.is_none_or(|e| similar_refs(e).is_empty()) {
            return Err(QueryError::new(
                "sorting by similarity needs a similar: term",
                Span::new(0, 0),
            )
            .with_hint("add similar:ID (a photo's id) or similar:\"file name\""));
        }
        Ok(())
    }
}

impl std::str::FromStr for Sort {
    type Err = String;

    fn from_str(s: &str) -> Result<Sort, String> {
        Sort::ALL
            .into_iter()
            .find(|o| o.name() == s)
            .ok_or_else(|| format!("unknown sort '{s}' (taken, added, faces, name or similar)"))
    }
}
