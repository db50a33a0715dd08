//! The query language people type (`beard and sunglasses`, `person:"Ana" -sunglasses year:2024`):
//! text → tokens ([`lexer`]) → a checked syntax tree ([`grammar`], [`parse`]), and the parts of its
//! meaning both evaluators share ([`meaning`]; [`numbers`] for number conditions, [`rating`] for
//! `rating:`). Pure: no catalogue, no
//! index.

pub mod grammar;
pub mod lexer;
pub mod meaning;
pub mod numbers;
pub mod rating;
pub mod sort;

pub use argus_core::query_error::{QueryError, Span};
pub use grammar::{parse, person_id_ref, Expr, PhotoRef, Term, TermKind, FIELDS};
pub use numbers::NumRange;
pub use sort::Sort;
