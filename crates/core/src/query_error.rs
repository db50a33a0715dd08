//! What is wrong with a query and where: a byte span in the query, the line and column people read
//! (1-based, in characters), and a hint such as the field that was probably meant.

use std::fmt;

use serde::Serialize;

/// Bytes `start..end` of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A query that cannot be run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QueryError {
    pub message: String,
    pub span: Span,
    /// 1-based line and column (in characters) of the span's start; set by [`QueryError::locate`].
    pub line: usize,
    pub column: usize,
    pub hint: Option<String>,
}

impl QueryError {
    pub fn new(message: impl Into<String>, span: Span) -> QueryError {
        QueryError {
            message: message.into(),
            span,
            line: 1,
            column: 1,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> QueryError {
        self.hint = Some(hint.into());
        self
    }

    /// Fills in the line and column of the span in `query`.
    pub fn locate(mut self, query: &str) -> QueryError {
        let before = &query[..self.span.start.min(query.len())];
        self.line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        self.column = before[line_start..].chars().count() + 1;
        self
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}:{}", self.message, self.line, self.column)?;
        if let Some(hint) = &self.hint {
            write!(f, " — {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

/// The candidate closest to `word` when it is a likely typo of it.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (c, strsim::damerau_levenshtein(&word, c)))
        .filter(|(c, d)| *d <= 2 && *d < c.chars().count())
        .min_by_key(|(_, d)| *d)
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_and_hint_are_printed() {
        let e = QueryError::new("unknown field 'camra'", Span::new(6, 11))
            .with_hint("did you mean camera?")
            .locate("beard camra:x");
        assert_eq!(
            e.to_string(),
            "unknown field 'camra' at 1:7 — did you mean camera?"
        );
        // Column in characters: 'c' is the fifth character of the second line ("bé (c)").
        let e = QueryError::new("x", Span::new(7, 8)).locate("a\nbé (c)");
        assert_eq!((e.line, e.column), (2, 5));
    }

    #[test]
    fn typos_find_their_word() {
        let fields = ["camera", "lens", "year"];
        assert_eq!(did_you_mean("camra", fields), Some("camera"));
        assert_eq!(did_you_mean("CAMERA", fields), Some("camera"));
        assert_eq!(did_you_mean("zzzzzz", fields), None);
    }
}
