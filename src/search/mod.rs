//! Search: the query language people type (`beard and sunglasses`, `person:"Ana" -sunglasses
//! year:2024`).
//!
//! - [`lexer`]: query text → tokens with their place in the text;
//! - [`query`]: tokens → a checked syntax tree ([`query::parse`]), the grammar;
//! - [`error`]: what is wrong with a query and where, with "did you mean" hints.

pub mod error;
pub mod lexer;
pub mod query;

pub use error::{QueryError, Span};
pub use query::{parse, Expr, Term, TermKind};
