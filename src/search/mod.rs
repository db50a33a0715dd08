//! Search: the query language people type (`beard and sunglasses`, `person:"Ana" -sunglasses
//! year:2024`).
//!
//! - [`lexer`]: query text → tokens with their place in the text;
//! - [`query`]: tokens → a checked syntax tree ([`query::parse`]), the grammar;
//! - [`compile`]: a syntax tree → one parameterised SQL condition, with face scope;
//! - [`facets`]: counts per facet value, each equal to the count of the refined query;
//! - [`run`]: a search on the catalogue: total, a sorted page of photos, facets;
//! - [`error`]: what is wrong with a query and where, with "did you mean" hints.

pub mod compile;
pub mod error;
pub mod facets;
#[cfg(test)]
mod fixture;
pub mod lexer;
pub mod query;
pub mod run;

pub use compile::{compile, Condition};
pub use error::{QueryError, Span};
pub use query::{parse, Expr, Term, TermKind};
pub use run::{search, Hit, SearchOptions, SearchResult, Sort};
