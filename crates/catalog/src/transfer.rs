//! Copying a whole catalogue into another, across engines (`argus catalog migrate`: a personal SQLite
//! file into a team's PostgreSQL database, and back), and proving nothing was lost.
//!
//! Both catalogues are at the current schema (opening migrates them), so their tables and columns
//! agree. Every table is copied row for row with its ids, parents before children (foreign keys); a
//! column that points into its own table (a shot's primary, the body carrying an object) is filled in
//! once the table's rows are all there. The copy is one transaction on the destination: cancelled or
//! failed, it leaves the destination as it was. [`Catalog::table_digests`] fingerprints every table
//! independently of row order and engine; the copy is checked against it before it commits.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::{Db, Dialect, Transaction, Value};
use crate::{Catalog, Error, Result};
use argus_core::progress::CancelToken;

/// Rows per multi-row INSERT (bounded by the engines' parameter limits: see [`batch_rows`]).
const BATCH_ROWS: usize = 500;

/// A table's fingerprint: how many rows, and a digest of their values that ignores row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TableDigest {
    pub rows: u64,
    pub digest: u128,
}

/// What a copy did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CopyReport {
    /// Rows copied per table, in the order they were copied.
    pub tables: Vec<(String, u64)>,
    pub rows: u64,
}

/// One table as the copy sees it.
struct TableShape {
    name: String,
    columns: Vec<String>,
    /// Columns referencing this same table: written after the rows.
    self_references: Vec<String>,
    /// Tables this one references.
    parents: BTreeSet<String>,
}

impl Catalog {
    /// Every table's [`TableDigest`], by table name (engine bookkeeping left out).
    pub fn table_digests(&self) -> Result<BTreeMap<String, TableDigest>> {
        let db = self.db();
        let mut out = BTreeMap::new();
        for table in tables(db)? {
            let columns = columns(db, &table)?;
            let mut digest = TableDigest { rows: 0, digest: 0 };
            db.query_each(&select_all(&table, &columns), (), |row| {
                let mut hasher = blake3::Hasher::new();
                for i in 0..columns.len() {
                    hash_value(&mut hasher, row.get::<Value>(i)?);
                }
                let bytes: [u8; 16] = hasher.finalize().as_bytes()[..16].try_into().unwrap();
                digest.rows += 1;
                digest.digest = digest.digest.wrapping_add(u128::from_le_bytes(bytes));
                Ok(())
            })?;
            out.insert(table, digest);
        }
        Ok(out)
    }

    /// Whether the catalogue holds nothing of a user's (no library, photo or person).
    pub fn is_empty(&self) -> Result<bool> {
        self.db().query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM libraries) AND NOT EXISTS (SELECT 1 FROM photos)
                 AND NOT EXISTS (SELECT 1 FROM people)",
            (),
            |r| r.get(0),
        )
    }

    /// Copies everything in `self` into `to`, which must be empty; `progress(table, rows)` after
    /// each batch. Checks the copy's digests against the source's before committing.
    pub fn copy_into(
        &self,
        to: &Catalog,
        cancel: &CancelToken,
        progress: &mut dyn FnMut(&str, u64),
    ) -> Result<CopyReport> {
        if !to.is_empty()? {
            return Err(Error::Other(format!(
                "{} already holds a catalogue; migrate into an empty one",
                to.name()
            )));
        }
        let shapes = copy_order(shapes(self.db())?)?;
        let destination = to.db();
        let tx = Transaction::begin(destination, true)?;
        // Rows the migrations themselves wrote (defaults) make way for the source's.
        for shape in shapes.iter().rev() {
            tx.execute(
                &format!(
                    "DELETE FROM {}{}",
                    quoted(&shape.name),
                    own_rows(&shape.name)
                ),
                (),
            )?;
        }
        let mut report = CopyReport {
            tables: Vec::new(),
            rows: 0,
        };
        for shape in &shapes {
            let copied = copy_table(self.db(), &tx, shape, cancel, progress)?;
            report.rows += copied;
            report.tables.push((shape.name.clone(), copied));
        }
        let (before, after) = (self.table_digests()?, to.table_digests()?);
        for (table, digest) in &before {
            if after.get(table) != Some(digest) {
                return Err(Error::Other(format!(
                    "the copy of table {table} differs from the original ({digest:?} → {:?}); \
                     nothing was written to {}",
                    after.get(table),
                    to.name()
                )));
            }
        }
        tx.commit()?;
        Ok(report)
    }
}

/// Copies one table's rows (self-references second); how many.
fn copy_table(
    from: &Db,
    to: &Db,
    shape: &TableShape,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<u64> {
    let width = shape.columns.len();
    let per_batch = batch_rows(width);
    let later: Vec<usize> = shape
        .self_references
        .iter()
        .map(|c| shape.columns.iter().position(|x| x == c).expect("a column"))
        .collect();
    let id_column = shape.columns.iter().position(|c| c == "id");
    if !later.is_empty() && id_column.is_none() {
        return Err(Error::Other(format!(
            "table {} refers to itself but has no id column",
            shape.name
        )));
    }
    let mut batch: Vec<Value<'static>> = Vec::with_capacity(per_batch * width);
    let mut deferred: Vec<(Value<'static>, Vec<Value<'static>>)> = Vec::new();
    let mut copied = 0u64;
    let flush = |batch: &mut Vec<Value<'static>>, copied: &mut u64| -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let rows = batch.len() / width;
        to.execute(&insert_rows(&shape.name, &shape.columns, rows), &*batch)?;
        batch.clear();
        *copied += rows as u64;
        Ok(())
    };
    // Streamed: the source and the destination are two connections.
    from.query_each(&select_all(&shape.name, &shape.columns), (), |row| {
        if cancel.is_cancelled() {
            return Err(Error::Other(
                "cancelled; nothing was written to the destination".to_string(),
            ));
        }
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(row.get::<Value>(i)?);
        }
        if !later.is_empty() {
            let refs: Vec<Value<'static>> = later
                .iter()
                .map(|&i| std::mem::replace(&mut values[i], Value::Null))
                .collect();
            if refs.iter().any(|v| *v != Value::Null) {
                deferred.push((values[id_column.unwrap()].clone(), refs));
            }
        }
        batch.extend(values);
        if batch.len() >= per_batch * width {
            flush(&mut batch, &mut copied)?;
            progress(&shape.name, copied);
        }
        Ok(())
    })?;
    flush(&mut batch, &mut copied)?;
    progress(&shape.name, copied);
    if !deferred.is_empty() {
        let sets: Vec<String> = shape
            .self_references
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", quoted(c), i + 2))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE id = ?1",
            quoted(&shape.name),
            sets.join(", ")
        );
        for (id, refs) in deferred {
            let mut values = vec![id];
            values.extend(refs);
            to.execute(&sql, values)?;
        }
    }
    Ok(copied)
}

/// Rows per INSERT for a table `width` columns wide.
fn batch_rows(width: usize) -> usize {
    BATCH_ROWS.min(30_000 / width.max(1)).max(1)
}

fn insert_rows(table: &str, columns: &[String], rows: usize) -> String {
    let names: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
    let row = format!("({})", vec!["?"; columns.len()].join(", "));
    format!(
        "INSERT INTO {} ({}) VALUES {}",
        quoted(table),
        names.join(", "),
        vec![row; rows].join(", ")
    )
}

fn select_all(table: &str, columns: &[String]) -> String {
    let names: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
    format!(
        "SELECT {} FROM {}{}",
        names.join(", "),
        quoted(table),
        own_rows(table)
    )
}

/// The condition leaving out a table's rows that belong to each catalogue itself, not to what it
/// holds (its id, revision and change log: see `crate::revision`, `crate::changes`): neither copied
/// nor compared.
fn own_rows(table: &str) -> &'static str {
    match table {
        "meta" => " WHERE key NOT IN ('catalog_id', 'revision', 'changes_logged_from')",
        "photo_changes" | "photo_changes_pending" => " WHERE 1 = 0",
        _ => "",
    }
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The catalogue's tables (without the engines' own bookkeeping), by name.
fn tables(db: &Db) -> Result<Vec<String>> {
    db.query_map(
        match db.dialect() {
            Dialect::Sqlite => {
                "SELECT name FROM sqlite_master
                 WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            }
            Dialect::Postgres => {
                "SELECT tablename FROM pg_tables
                 WHERE schemaname = current_schema() AND tablename <> 'schema_version'
                 ORDER BY tablename"
            }
        },
        (),
        |r| r.get(0),
    )
}

/// A table's columns, in their order.
fn columns(db: &Db, table: &str) -> Result<Vec<String>> {
    db.query_map(
        match db.dialect() {
            Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            Dialect::Postgres => {
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = ?1
                 ORDER BY ordinal_position"
            }
        },
        [table],
        |r| r.get(0),
    )
}

/// (column, referenced table) of each of a table's foreign keys.
fn foreign_keys(db: &Db, table: &str) -> Result<Vec<(String, String)>> {
    db.query_map(
        match db.dialect() {
            Dialect::Sqlite => "SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?1)",
            Dialect::Postgres => {
                "SELECT a.attname::text, parent.relname::text
                 FROM pg_constraint k
                 JOIN pg_class child ON child.oid = k.conrelid
                 JOIN pg_class parent ON parent.oid = k.confrelid
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
                 WHERE k.contype = 'f' AND child.relname = ?1
                   AND child.relnamespace = current_schema()::regnamespace"
            }
        },
        [table],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

fn shapes(db: &Db) -> Result<Vec<TableShape>> {
    tables(db)?
        .into_iter()
        .map(|name| {
            let keys = foreign_keys(db, &name)?;
            Ok(TableShape {
                columns: columns(db, &name)?,
                self_references: keys
                    .iter()
                    .filter(|(_, parent)| *parent == name)
                    .map(|(column, _)| column.clone())
                    .collect(),
                parents: keys
                    .into_iter()
                    .map(|(_, parent)| parent)
                    .filter(|parent| *parent != name)
                    .collect(),
                name,
            })
        })
        .collect()
}

/// The tables, parents before children.
fn copy_order(mut left: Vec<TableShape>) -> Result<Vec<TableShape>> {
    let mut ordered: Vec<TableShape> = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let done: BTreeSet<String> = ordered.iter().map(|s| s.name.clone()).collect();
        let before = left.len();
        let (ready, waiting): (Vec<_>, Vec<_>) = left
            .into_iter()
            .partition(|s| s.parents.iter().all(|p| done.contains(p)));
        ordered.extend(ready);
        left = waiting;
        if left.len() == before {
            let names: Vec<&str> = left.iter().map(|s| s.name.as_str()).collect();
            return Err(Error::Other(format!(
                "the tables {names:?} refer to one another in a cycle; they cannot be copied"
            )));
        }
    }
    Ok(ordered)
}

/// Feeds one value to a row's hash: its kind, then its bytes (text and blobs with their length).
fn hash_value(hasher: &mut blake3::Hasher, value: Value) {
    match value {
        Value::Null => {
            hasher.update(&[0]);
        }
        Value::Int(i) => {
            hasher.update(&[1]);
            hasher.update(&i.to_le_bytes());
        }
        Value::Real(f) => {
            hasher.update(&[2]);
            hasher.update(&f.to_bits().to_le_bytes());
        }
        Value::Text(t) => {
            hasher.update(&[3]);
            hasher.update(&(t.len() as u64).to_le_bytes());
            hasher.update(t.as_bytes());
        }
        Value::Blob(b) => {
            hasher.update(&[4]);
            hasher.update(&(b.len() as u64).to_le_bytes());
            hasher.update(&b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::persons_catalogue;

    #[test]
    fn a_catalogue_copies_into_a_fresh_one_digest_for_digest() {
        let (_dir, source) = persons_catalogue();
        let target_dir = tempfile::tempdir().unwrap();
        let target = crate::fixture::open_test_catalog(target_dir.path());
        let mut seen = 0;
        let report = source
            .copy_into(&target, &CancelToken::new(), &mut |_, _| seen += 1)
            .unwrap();
        assert!(report.rows > 20 && seen > 0, "{report:?}");
        assert_eq!(
            source.table_digests().unwrap(),
            target.table_digests().unwrap()
        );
        // Ids continue after the copied ones.
        let next: i64 = target
            .db()
            .query_row(
                "INSERT INTO people (created_at) VALUES (0) RETURNING id",
                (),
                |r| r.get(0),
            )
            .unwrap();
        let highest: i64 = source
            .db()
            .query_row("SELECT MAX(id) FROM people", (), |r| r.get(0))
            .unwrap();
        assert_eq!(next, highest + 1);
        // A second copy is refused: the destination is no longer empty.
        let error = source
            .copy_into(&target, &CancelToken::new(), &mut |_, _| {})
            .unwrap_err()
            .to_string();
        assert!(error.contains("already holds a catalogue"), "{error}");
    }

    #[test]
    fn a_cancelled_copy_leaves_the_destination_empty() {
        let (_dir, source) = persons_catalogue();
        let target_dir = tempfile::tempdir().unwrap();
        let target = crate::fixture::open_test_catalog(target_dir.path());
        let cancel = CancelToken::new();
        cancel.cancel();
        assert!(source.copy_into(&target, &cancel, &mut |_, _| {}).is_err());
        assert!(target.is_empty().unwrap());
    }

    #[test]
    fn the_digest_sees_any_changed_value_but_not_the_row_order() {
        let (_dir, c) = persons_catalogue();
        let before = c.table_digests().unwrap();
        c.db()
            .execute(
                "UPDATE faces SET score = score + 1e-12 WHERE id = (SELECT MIN(id) FROM faces)",
                (),
            )
            .unwrap();
        let after = c.table_digests().unwrap();
        assert_ne!(before["faces"], after["faces"]);
        assert_eq!(before["faces"].rows, after["faces"].rows);
        assert_eq!(before["photos"], after["photos"]);
    }
}
