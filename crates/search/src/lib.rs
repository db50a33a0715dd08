//! Search: the query language people type (`beard and sunglasses`, `person:"Ana" -sunglasses
//! year:2024`).
//!
//! - [`lexer`]: query text → tokens with their place in the text;
//! - [`query`]: tokens → a checked syntax tree ([`query::parse`]), the grammar;
//! - the SQL compilation of a query (the reference meaning) is the catalogue's (`argus_catalog::compile`);
//! - [`index`]: the catalogue's searchable columns in memory, as bitmaps (the fast path);
//!   `keywords` holds the photos per keyword level and path prefix;
//! - `numbering`: ids to the index's numbers, and numbers mapped anew when photos are taken out;
//! - `eval`: a syntax tree evaluated on the index, with the same meaning as the SQL;
//! - [`facets`]: counts per facet value, each equal to the count of the refined query;
//! - `generate` (feature `generate`, for the dev tools and tests): a generated catalogue at benchmark
//!   size (100k photos) with a real one's shape;
//! - `saved`: the index saved in the cache, read back instead of the catalogue's tables;
//! - `update`: an index read at an earlier revision brought up to date by reading again only the
//!   photos changed since (the catalogue's change log);
//! - `similar`: `similar:` and `--sort similar` on the index (`descriptors`, read when first needed);
//! - [`run`]: a search on the catalogue: total, a sorted page of photos, facets;
//! - `hints`: why a query found nothing (terms that find nothing, the nearest known values);
//! - [`error`]: what is wrong with a query and where, with "did you mean" hints.

mod descriptors;
pub mod error;
mod eval;
pub mod facets;
#[cfg(test)]
pub(crate) mod fixture;
#[cfg(any(test, feature = "generate"))]
pub mod generate;
mod hints;
pub mod index;
mod keywords;
mod numbering;
pub mod run;
mod saved;
mod similar;
mod update;

pub use argus_catalog::{compile, Condition};
pub use argus_query::{grammar as query, lexer};
pub use argus_query::{parse, Expr, Term, TermKind};
pub use error::{QueryError, Span};
pub use facets::{FacetValue, Facets};
pub use index::SearchIndex;
pub use run::{search, Group, Hit, IndexRead, SearchOptions, SearchResult, Searcher, Sort};
pub use saved::SavedIndexes;
