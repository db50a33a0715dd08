//! The engine boundary: [`Db`], one connection to the catalogue's database — an embedded SQLite file
//! or a PostgreSQL server — with the handful of calls the catalogue's modules make (execute, read one
//! row, read many, run a script, transactions). SQL is written once, in the dialect both engines share
//! ([`dialect`] renders it for PostgreSQL); parameters and columns cross as [`Value`]s.
//!
//! Statements are prepared once per connection and reused (SQLite's statement cache; a map of
//! prepared statements on PostgreSQL). A `Db` is used from one thread at a time, like the connection
//! it wraps.
//!
//! Every committed change can be counted ([`Db::count_revisions`]): a transaction that wrote runs the
//! catalogue's revision statements just before it commits (in the same transaction, so the count and
//! the change are one: the revision, then which photos it touched), and a write outside a transaction gets a transaction of its own for it. What
//! writes is told by a statement's first word (`INSERT`, `UPDATE`, `DELETE`, DDL, or a `WITH` that
//! does one of those).

mod dialect;
mod postgres;
pub mod server;
mod value;

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::time::Duration;

use crate::{Error, Result};

pub(crate) use value::params;
pub use value::{params_from_iter, FromValue, Params, ToValue, Value, ValueRef};

/// Which engine a [`Db`] talks to, for the few statements that must differ (schema bookkeeping,
/// maintenance, locks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

enum Engine {
    Sqlite(rusqlite::Connection),
    Postgres(Box<RefCell<postgres::Session>>),
}

/// A connection to the catalogue's database.
pub struct Db {
    engine: Engine,
    /// The statements run by every transaction that wrote, before it commits (see the module's doc).
    revision: Cell<Option<&'static [&'static str]>>,
    /// Between `begin` and `commit`/`rollback`.
    in_transaction: Cell<bool>,
    /// The open transaction wrote something.
    wrote: Cell<bool>,
}

/// One row of a result, read column by column (`row.get::<i64>(0)?`).
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r ::postgres::Row),
}

impl Row<'_> {
    /// Column `index` (from 0) as `T`.
    pub fn get<T: FromValue>(&self, index: usize) -> Result<T> {
        T::from_value(self.get_ref(index)?)
            .map_err(|why| Error::Db(format!("column {index} of a catalogue row: {why}")))
    }

    /// Column `index` as read, borrowed from the row.
    pub fn get_ref(&self, index: usize) -> Result<ValueRef<'_>> {
        match self {
            Row::Sqlite(row) => {
                use rusqlite::types::ValueRef as Raw;
                Ok(match row.get_ref(index).map_err(sqlite_error)? {
                    Raw::Null => ValueRef::Null,
                    Raw::Integer(i) => ValueRef::Int(i),
                    Raw::Real(f) => ValueRef::Real(f),
                    Raw::Text(t) => ValueRef::Text(std::str::from_utf8(t).map_err(|e| {
                        Error::Db(format!("column {index} is not valid UTF-8: {e}"))
                    })?),
                    Raw::Blob(b) => ValueRef::Blob(b),
                })
            }
            Row::Postgres(row) => row
                .try_get::<_, postgres::Loose>(index)
                .map(|loose| loose.0)
                .map_err(|e| Error::Db(format!("column {index}: {}", postgres::describe(&e)))),
        }
    }
}

fn sqlite_error(error: rusqlite::Error) -> Error {
    Error::Db(error.to_string())
}

fn postgres_error(error: ::postgres::Error) -> Error {
    Error::Db(postgres::describe(&error))
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as Raw};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => Raw::Null,
            Value::Int(i) => Raw::Integer(*i),
            Value::Real(f) => Raw::Real(*f),
            Value::Text(t) => Raw::Text(t.as_bytes()),
            Value::Blob(b) => Raw::Blob(b),
        }))
    }
}

impl Db {
    /// Opens (creating if needed) the SQLite file at `path`: WAL mode (readers never block the
    /// writer; a killed process leaves a consistent file), foreign keys on, a 10 s busy timeout.
    pub fn open_sqlite(path: &Path) -> Result<Db> {
        let conn = rusqlite::Connection::open(path).map_err(sqlite_error)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(sqlite_error)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite_error)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite_error)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sqlite_error)?;
        conn.set_prepared_statement_cache_capacity(128);
        Ok(Db::new(Engine::Sqlite(conn)))
    }

    /// Wraps a connected PostgreSQL client.
    pub fn from_postgres(client: ::postgres::Client) -> Db {
        Db::new(Engine::Postgres(Box::new(RefCell::new(
            postgres::Session::new(client),
        ))))
    }

    fn new(engine: Engine) -> Db {
        Db {
            engine,
            revision: Cell::new(None),
            in_transaction: Cell::new(false),
            wrote: Cell::new(false),
        }
    }

    /// From now on, every transaction that writes runs `statements` (in the shared dialect, in
    /// order) just before it commits, and a write outside a transaction runs in one of its own.
    pub fn count_revisions(&self, statements: &'static [&'static str]) {
        self.revision.set(Some(statements));
    }

    /// Notes that `sql` is about to run: a write inside a transaction marks it as having written;
    /// true when it is a write outside any transaction that must get one of its own.
    fn needs_own_transaction(&self, sql: &str) -> bool {
        if !writes(sql) {
            return false;
        }
        if self.in_transaction.get() {
            self.wrote.set(true);
            return false;
        }
        self.revision.get().is_some()
    }

    /// Runs `work` in a write transaction of its own (so that the revision counts it).
    fn in_own_transaction<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        self.begin(true)?;
        self.wrote.set(true);
        match work() {
            Ok(value) => {
                self.commit()?;
                Ok(value)
            }
            Err(error) => {
                let _ = self.rollback();
                Err(error)
            }
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.engine {
            Engine::Sqlite(_) => Dialect::Sqlite,
            Engine::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (registering functions, pragmas).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.engine {
            Engine::Sqlite(conn) => Some(conn),
            Engine::Postgres(_) => None,
        }
    }

    /// Runs one statement; how many rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        if self.needs_own_transaction(sql) {
            return self.in_own_transaction(|| self.execute_counted(sql, params));
        }
        self.execute_counted(sql, params)
    }

    /// [`Db::execute`] once the write is accounted for.
    fn execute_counted<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        let values = params.values();
        match &self.engine {
            Engine::Sqlite(conn) => conn
                .prepare_cached(sql)
                .and_then(|mut s| s.execute(rusqlite::params_from_iter(values.iter())))
                .map_err(sqlite_error),
            Engine::Postgres(session) => postgres::outside_async(|| {
                let mut session = borrow(session)?;
                let statement = session.statement(sql).map_err(postgres_error)?;
                let refs = postgres_params(&values);
                session
                    .client()
                    .execute(&statement, &refs)
                    .map(|n| n as usize)
                    .map_err(postgres_error)
            }),
        }
    }

    /// Runs `sql` (statements separated by `;`, no parameters). A script that starts with a write
    /// counts as one.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        if self.needs_own_transaction(sql) {
            return self.in_own_transaction(|| self.execute_script(sql));
        }
        self.execute_script(sql)
    }

    /// Runs a script as it is (transaction control, or a write already accounted for).
    fn execute_script(&self, sql: &str) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(conn) => conn.execute_batch(sql).map_err(sqlite_error),
            Engine::Postgres(session) => postgres::outside_async(|| {
                borrow(session)?
                    .client()
                    .batch_execute(&dialect::to_postgres(sql))
                    .map_err(postgres_error)
            }),
        }
    }

    /// Runs `sql` as this engine reads it, not rendered from the shared dialect (an engine's own
    /// scripts, such as PostgreSQL's functions).
    pub fn execute_native_batch(&self, sql: &str) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(conn) => conn.execute_batch(sql).map_err(sqlite_error),
            Engine::Postgres(session) => postgres::outside_async(|| {
                borrow(session)?
                    .client()
                    .batch_execute(sql)
                    .map_err(postgres_error)
            }),
        }
    }

    /// Every row of a query, each made into a `T` by `f`.
    pub fn query_map<T, P, F>(&self, sql: &str, params: P, mut f: F) -> Result<Vec<T>>
    where
        P: Params,
        F: FnMut(&Row) -> Result<T>,
    {
        let mut out = Vec::new();
        self.query_each(sql, params, |row| {
            out.push(f(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query made into a `T`; an error when there is none.
    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row) -> Result<T>,
    {
        self.query_opt(sql, params, f)?
            .ok_or_else(|| Error::Db(format!("the query returned no row: {}", first_line(sql))))
    }

    /// The first row of a query made into a `T`, if there is one (any further rows are not read).
    pub fn query_opt<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<Option<T>>
    where
        P: Params,
        F: FnOnce(&Row) -> Result<T>,
    {
        let mut f = Some(f);
        let mut first = None;
        self.rows(sql, params, &mut |row| {
            let f = f.take().expect("called for the first row only");
            first = Some(f(row)?);
            Ok(false)
        })?;
        Ok(first)
    }

    /// Calls `f` on every row of a query, in order, as they arrive (nothing is collected: for big
    /// reads). `f` must not use this `Db`.
    pub fn query_each<P, F>(&self, sql: &str, params: P, mut f: F) -> Result<()>
    where
        P: Params,
        F: FnMut(&Row) -> Result<()>,
    {
        self.rows(sql, params, &mut |row| f(row).map(|()| true))
    }

    /// Runs a query and hands its rows to `f` as they arrive, while it returns true.
    fn rows<P: Params>(
        &self,
        sql: &str,
        params: P,
        f: &mut dyn FnMut(&Row) -> Result<bool>,
    ) -> Result<()> {
        if self.needs_own_transaction(sql) {
            return self.in_own_transaction(|| self.rows_counted(sql, params, f));
        }
        self.rows_counted(sql, params, f)
    }

    /// [`Db::rows`] once a write is accounted for.
    fn rows_counted<P: Params>(
        &self,
        sql: &str,
        params: P,
        f: &mut dyn FnMut(&Row) -> Result<bool>,
    ) -> Result<()> {
        let values = params.values();
        match &self.engine {
            Engine::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql).map_err(sqlite_error)?;
                let mut rows = statement
                    .query(rusqlite::params_from_iter(values.iter()))
                    .map_err(sqlite_error)?;
                while let Some(row) = rows.next().map_err(sqlite_error)? {
                    if !f(&Row::Sqlite(row))? {
                        break;
                    }
                }
                Ok(())
            }
            Engine::Postgres(session) => postgres::outside_async(|| {
                use ::postgres::fallible_iterator::FallibleIterator;
                let mut session = borrow(session)?;
                let statement = session.statement(sql).map_err(postgres_error)?;
                let refs = postgres_params(&values);
                let mut rows = session
                    .client()
                    .query_raw(&statement, refs)
                    .map_err(postgres_error)?;
                while let Some(row) = rows.next().map_err(postgres_error)? {
                    if !f(&Row::Postgres(&row))? {
                        break;
                    }
                }
                Ok(())
            }),
        }
    }

    /// A statement to run several times (`let insert = db.prepare(SQL); insert.execute(…)?`).
    pub fn prepare<'db, 'sql>(&'db self, sql: &'sql str) -> Statement<'db, 'sql> {
        Statement { db: self, sql }
    }

    /// Starts a transaction. `immediate`: take the write lock now (SQLite's `BEGIN IMMEDIATE`, so
    /// two writers queue instead of one failing mid-way); PostgreSQL locks rows as they are written.
    pub fn begin(&self, immediate: bool) -> Result<()> {
        self.begin_with(match self.dialect() {
            Dialect::Sqlite if immediate => "BEGIN IMMEDIATE",
            _ => "BEGIN",
        })
    }

    fn begin_with(&self, sql: &str) -> Result<()> {
        self.execute_script(sql)?;
        self.in_transaction.set(true);
        self.wrote.set(false);
        Ok(())
    }

    /// Commits, counting the revision first when the transaction wrote.
    pub fn commit(&self) -> Result<()> {
        if let Some(statements) = self.revision.get().filter(|_| self.wrote.get()) {
            for statement in statements {
                if let Err(error) = self.execute_counted(statement, ()) {
                    let _ = self.rollback();
                    return Err(error);
                }
            }
        }
        self.in_transaction.set(false);
        self.wrote.set(false);
        self.execute_script("COMMIT")
    }

    pub fn rollback(&self) -> Result<()> {
        self.in_transaction.set(false);
        self.wrote.set(false);
        self.execute_script("ROLLBACK")
    }

    /// Two counters that together change whenever the catalogue's data may have: SQLite's
    /// `data_version` (commits by other connections) and this connection's total changes; on
    /// PostgreSQL, the change notices received (see [`postgres::Session::notices`]) and 0.
    pub fn change_counters(&self) -> Result<(i64, u64)> {
        match &self.engine {
            Engine::Sqlite(conn) => {
                let version = conn
                    .pragma_query_value(None, "data_version", |r| r.get(0))
                    .map_err(sqlite_error)?;
                Ok((version, conn.total_changes()))
            }
            Engine::Postgres(session) => postgres::outside_async(|| {
                Ok((borrow(session)?.notices().map_err(postgres_error)?, 0))
            }),
        }
    }

    /// Starts receiving the catalogue's change notices (PostgreSQL; SQLite needs none).
    pub fn listen(&self) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(_) => Ok(()),
            Engine::Postgres(session) => {
                postgres::outside_async(|| borrow(session)?.listen().map_err(postgres_error))
            }
        }
    }

    /// Forgets prepared statements (after a migration changed the tables under them).
    pub fn forget_statements(&self) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(conn) => {
                conn.flush_prepared_statement_cache();
                Ok(())
            }
            Engine::Postgres(session) => {
                borrow(session)?.forget_statements();
                Ok(())
            }
        }
    }
}

/// An open transaction: rolled back when dropped uncommitted. Reads and writes go through it as
/// through the [`Db`] (it dereferences to it).
pub struct Transaction<'db> {
    db: &'db Db,
    open: bool,
}

impl<'db> Transaction<'db> {
    /// Begins a transaction on `db` (see [`Db::begin`] for `immediate`).
    pub fn begin(db: &'db Db, immediate: bool) -> Result<Transaction<'db>> {
        db.begin(immediate)?;
        Ok(Transaction { db, open: true })
    }

    /// Begins a read-only transaction that sees the catalogue as it is now throughout (SQLite's
    /// read transaction; PostgreSQL's repeatable read).
    pub fn begin_snapshot(db: &'db Db) -> Result<Transaction<'db>> {
        db.begin_with(match db.dialect() {
            Dialect::Sqlite => "BEGIN",
            Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        })?;
        Ok(Transaction { db, open: true })
    }

    /// Makes the transaction's changes durable and visible.
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.db.commit()
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Db;

    fn deref(&self) -> &Db {
        self.db
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            // A failed rollback leaves nothing to undo: the connection dropped the transaction.
            let _ = self.db.rollback();
        }
    }
}

/// A statement kept by its text; each call runs it through the connection's prepared statements.
pub struct Statement<'db, 'sql> {
    db: &'db Db,
    sql: &'sql str,
}

impl Statement<'_, '_> {
    pub fn execute<P: Params>(&self, params: P) -> Result<usize> {
        self.db.execute(self.sql, params)
    }

    pub fn query_map<T, P, F>(&self, params: P, f: F) -> Result<Vec<T>>
    where
        P: Params,
        F: FnMut(&Row) -> Result<T>,
    {
        self.db.query_map(self.sql, params, f)
    }

    pub fn query_row<T, P, F>(&self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row) -> Result<T>,
    {
        self.db.query_row(self.sql, params, f)
    }

    pub fn query_opt<T, P, F>(&self, params: P, f: F) -> Result<Option<T>>
    where
        P: Params,
        F: FnOnce(&Row) -> Result<T>,
    {
        self.db.query_opt(self.sql, params, f)
    }
}

fn borrow(
    session: &RefCell<postgres::Session>,
) -> Result<std::cell::RefMut<'_, postgres::Session>> {
    session.try_borrow_mut().map_err(|_| {
        Error::Db(
            "the catalogue's connection was used while it was reading rows (a bug in Argus)"
                .to_string(),
        )
    })
}

fn postgres_params<'v>(values: &'v [Value<'v>]) -> Vec<&'v (dyn ::postgres::types::ToSql + Sync)> {
    values
        .iter()
        .map(|v| v as &(dyn ::postgres::types::ToSql + Sync))
        .collect()
}

/// Whether a statement (or a script, by its first statement) writes: its first word is `INSERT`,
/// `UPDATE`, `DELETE`, `REPLACE`, `CREATE`, `DROP` or `ALTER`, or it is a `WITH` whose statement is
/// one of the first three (comments before the first word are skipped).
fn writes(sql: &str) -> bool {
    let mut rest = sql.trim_start();
    while let Some(comment) = rest.strip_prefix("--") {
        rest = comment
            .split_once('\n')
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    let first: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match first.as_str() {
        "INSERT" | "UPDATE" | "DELETE" | "REPLACE" | "CREATE" | "DROP" | "ALTER" => true,
        "WITH" => rest.split(|c: char| !c.is_ascii_alphabetic()).any(|word| {
            ["INSERT", "UPDATE", "DELETE"]
                .iter()
                .any(|w| word.eq_ignore_ascii_case(w))
        }),
        _ => false,
    }
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or("")
}
