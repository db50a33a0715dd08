//! Running a search on the catalogue: the matching photos (sorted, one page of them), how many
//! there are, and optionally the facet counts for the same query.

use rusqlite::params_from_iter;
use serde::Serialize;

use super::compile::compile;
use super::facets::{facets, Facets};
use super::query::{parse, Expr};
use crate::catalog::Catalog;
use crate::{Error, Result};

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Date taken, newest first (photos without a date last).
    Taken,
    /// Date added to the catalogue, newest first.
    Added,
    /// Most faces first.
    Faces,
    /// File name.
    Name,
}

impl Sort {
    fn order_by(self) -> &'static str {
        match self {
            Sort::Taken => "p.taken_at IS NULL, p.taken_at DESC, p.id DESC",
            Sort::Added => "p.added_at DESC, p.id DESC",
            Sort::Faces => "(SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id) DESC, p.id",
            Sort::Name => "p.file_name, p.id",
        }
    }
}

/// How to search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            sort: Sort::Taken,
            limit: 100,
            offset: 0,
            facets: false,
        }
    }
}

/// One photo found.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: i64,
    pub path: String,
    pub taken_at: Option<String>,
    pub faces: u64,
}

/// What a search found.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// The query as typed (None: everything).
    pub query: Option<String>,
    pub parsed: Option<Expr>,
    pub total: u64,
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
}

/// Searches the catalogue. `query` None lists every photo; a query that does not parse is an
/// [`Error::Query`] saying where.
pub fn search(
    catalog: &Catalog,
    query: Option<&str>,
    options: &SearchOptions,
) -> Result<SearchResult> {
    let parsed = query.map(parse).transpose().map_err(Error::Query)?;
    let condition = parsed.as_ref().map(compile);
    let (sql, params) = match &condition {
        Some(c) => (c.sql.as_str(), c.params.clone()),
        None => ("p.status = 'ok'", Vec::new()),
    };
    let conn = catalog.conn();
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM photos p WHERE {sql}"),
        params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT p.id, p.path, p.taken_at, (SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id)
         FROM photos p WHERE {sql} ORDER BY {} LIMIT {} OFFSET {}",
        options.sort.order_by(),
        options.limit,
        options.offset
    ))?;
    let hits = stmt
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(Hit {
                id: r.get(0)?,
                path: r.get(1)?,
                taken_at: r.get(2)?,
                faces: r.get::<_, i64>(3)? as u64,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let facets = if options.facets {
        Some(facets(conn, parsed.as_ref())?)
    } else {
        None
    };
    Ok(SearchResult {
        query: query.map(str::to_string),
        parsed,
        total: total as u64,
        offset: options.offset,
        hits,
        facets,
    })
}
