//! Schema migrations, tracked by SQLite's `user_version` (the approach of the `rusqlite_migration`
//! crate, which has no release for rusqlite 0.41). Each migration runs in its own transaction together
//! with the version bump, so a crash leaves the catalogue at a whole version.
//!
//! The migrations live in `crates/catalog/migrations/NNNN_name.sql`, one file each, numbered from
//! `0001` in the order they run, and are compiled in by `MIGRATIONS`. Append only: a migration that
//! has shipped is never edited, renamed or reordered (the shipped files keep the text, indentation
//! included, they had as Rust strings, so `sqlite_master` reads the same in old and new catalogues).
//! To change the schema:
//!
//! 1. add `migrations/NNNN_name.sql` with the next number (a `--` comment on top saying what it does);
//! 2. add its line, `include_str!("../migrations/NNNN_name.sql")`, at the end of `MIGRATIONS`;
//! 3. regenerate `crates/catalog/schema.sql`, the schema of a fresh catalogue, with
//!    `ARGUS_UPDATE_SNAPSHOTS=1 cargo test -p argus-catalog schema`, and review its diff.
//!
//! What the shared dialect cannot say (triggers) goes in `sqlite/NNNN_name.sql` and
//! `postgres/NNNN_name.sql` with the migration's number, listed in `ENGINE_STEPS`.
//!
//! A migration that must also fill its new columns from what is stored (a rule written in Rust) names
//! the function in `BACKFILLS`; it runs in the migration's transaction.
//!
//! The tests below fail when a file is missing from the list, or when a fresh catalogue's schema is
//! not exactly `schema.sql`.

use crate::db::{Db, Dialect, Transaction};
use crate::{Error, Result};

/// Migration `i` takes the catalogue from version `i` to `i + 1`: the files in `migrations/`, in order.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_libraries_photos_analysis.sql"),
    include_str!("../migrations/0002_analysis_results.sql"),
    include_str!("../migrations/0003_labels_kinds.sql"),
    include_str!("../migrations/0004_people.sql"),
    include_str!("../migrations/0005_formats_and_shots.sql"),
    include_str!("../migrations/0006_xmp_metadata.sql"),
    include_str!("../migrations/0007_objects.sql"),
    include_str!("../migrations/0008_persons.sql"),
    include_str!("../migrations/0009_wearing.sql"),
    include_str!("../migrations/0010_descriptors.sql"),
    include_str!("../migrations/0011_stacks.sql"),
    include_str!("../migrations/0012_confirmed_faces.sql"),
    include_str!("../migrations/0013_analysis_leases.sql"),
    include_str!("../migrations/0014_library_mounts.sql"),
    include_str!("../migrations/0015_catalog_revision.sql"),
    include_str!("../migrations/0016_face_attributes_read_whole.sql"),
    include_str!("../migrations/0017_photo_changes.sql"),
];

/// What one engine runs after a migration, in its transaction, in its own SQL (what the shared
/// dialect cannot say, such as triggers): (the version it migrates to, the engine, the script), from
/// `sqlite/NNNN_name.sql` and `postgres/NNNN_name.sql`.
const ENGINE_STEPS: &[(u32, Dialect, &str)] = &[
    (
        17,
        Dialect::Sqlite,
        include_str!("../sqlite/0017_photo_changes.sql"),
    ),
    (
        17,
        Dialect::Postgres,
        include_str!("../postgres/0017_photo_changes.sql"),
    ),
];

/// Rust steps that complete a migration: (the version it migrates to, the step).
type Backfill = fn(&Db) -> Result<()>;
const BACKFILLS: &[(u32, Backfill)] = &[(8, crate::persons::link_every_photo)];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Brings the catalogue up to [`latest_version`]; refuses a catalogue from a newer build. `name` is
/// what messages call the catalogue (its file, or its server without the password).
pub fn migrate(db: &Db, name: &str) -> Result<()> {
    let current = version(db)?;
    if current > latest_version() {
        return Err(Error::SchemaTooNew {
            catalog: name.to_string(),
            found: current,
            known: latest_version(),
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = Transaction::begin(db, true)?;
        tx.execute_batch(sql)?;
        let version = index as u32 + 1;
        for (_, _, script) in ENGINE_STEPS
            .iter()
            .filter(|(v, engine, _)| *v == version && *engine == db.dialect())
        {
            tx.execute_native_batch(script)?;
        }
        for (_, backfill) in BACKFILLS.iter().filter(|(v, _)| *v == version) {
            backfill(&tx)?;
        }
        set_version(&tx, version)?;
        tx.commit()?;
    }
    if current < latest_version() {
        db.forget_statements()?;
    }
    Ok(())
}

/// The catalogue's schema version: SQLite's `user_version`; on PostgreSQL the one row of
/// `schema_version` (made here, before the first migration).
fn version(db: &Db) -> Result<u32> {
    match db.dialect() {
        Dialect::Sqlite => db.query_row("PRAGMA user_version", (), |row| row.get(0)),
        Dialect::Postgres => {
            db.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
                 INSERT INTO schema_version (version)
                     SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version);",
            )?;
            db.query_row("SELECT version FROM schema_version", (), |row| row.get(0))
        }
    }
}

fn set_version(db: &Db, version: u32) -> Result<()> {
    match db.dialect() {
        Dialect::Sqlite => db.execute_batch(&format!("PRAGMA user_version = {version}")),
        Dialect::Postgres => db
            .execute("UPDATE schema_version SET version = ?1", [version])
            .map(drop),
    }
}

#[cfg(test)]
mod tests {
    //! The migration files against `MIGRATIONS`, and `schema.sql` against a fresh catalogue.
    use std::io::Write;
    use std::path::PathBuf;

    use super::{latest_version, MIGRATIONS};
    use crate::Catalog;

    /// The command that rewrites `schema.sql` from a fresh catalogue.
    const REGENERATE: &str = "ARGUS_UPDATE_SNAPSHOTS=1 cargo test -p argus-catalog schema";

    fn crate_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// The `.sql` files in `migrations/`, sorted by name.
    fn migration_files() -> Vec<PathBuf> {
        let dir = crate_dir().join("migrations");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
            .collect();
        files.sort();
        files
    }

    /// The schema of a catalogue as `schema.sql` holds it: every table, index, trigger and view in
    /// `sqlite_master` (SQLite's own objects and automatic indexes left out), by type then name.
    fn schema_dump(catalog: &Catalog) -> String {
        let statements: Vec<String> = catalog
            .db()
            .query_map(
                "SELECT sql FROM sqlite_master
                 WHERE type IN ('table', 'index', 'trigger', 'view')
                   AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                   AND sql IS NOT NULL
                 ORDER BY type, name",
                (),
                |row| row.get(0),
            )
            .unwrap();
        let mut out = format!(
            "-- Generated: the schema of a fresh catalogue after every migration in migrations/ (schema\n\
             -- version {}), from sqlite_master, by type then name. Do not edit; regenerate with\n\
             --   {REGENERATE}\n",
            latest_version()
        );
        for sql in statements {
            out.push_str(&format!("\n{sql};\n"));
        }
        out
    }

    /// The lines that differ between `expected` and `actual` (a longest-common-subsequence diff):
    /// `-` lines only in `expected`, `+` lines only in `actual`, with their line numbers.
    fn line_diff(expected: &str, actual: &str) -> String {
        let old: Vec<&str> = expected.lines().collect();
        let new: Vec<&str> = actual.lines().collect();
        // common[i][j]: length of the longest common subsequence of old[i..] and new[j..].
        let mut common = vec![vec![0usize; new.len() + 1]; old.len() + 1];
        for i in (0..old.len()).rev() {
            for j in (0..new.len()).rev() {
                common[i][j] = if old[i] == new[j] {
                    common[i + 1][j + 1] + 1
                } else {
                    common[i + 1][j].max(common[i][j + 1])
                };
            }
        }
        let (mut i, mut j, mut out) = (0, 0, String::new());
        while i < old.len() || j < new.len() {
            if i < old.len() && j < new.len() && old[i] == new[j] {
                i += 1;
                j += 1;
            } else if i < old.len() && (j == new.len() || common[i + 1][j] >= common[i][j + 1]) {
                out.push_str(&format!("  - line {:>4}: {}\n", i + 1, old[i]));
                i += 1;
            } else {
                out.push_str(&format!("  + line {:>4}: {}\n", j + 1, new[j]));
                j += 1;
            }
        }
        if out.is_empty() {
            out.push_str(
                "  (the lines agree; the files differ in line endings or a final newline)\n",
            );
        }
        out
    }

    /// A fresh catalogue, opened the way users open one, has exactly the schema in `schema.sql`.
    /// With `ARGUS_UPDATE_SNAPSHOTS=1` the test rewrites `schema.sql` instead.
    #[test]
    fn fresh_schema_matches_schema_sql() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&dir.path().join("catalog.db")).unwrap();
        let actual = schema_dump(&catalog);
        let path = crate_dir().join("schema.sql");

        if std::env::var_os("ARGUS_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
            std::fs::write(&path, &actual)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            // Straight to stderr, past the test harness's capture, so the rewrite is always seen.
            writeln!(
                std::io::stderr(),
                "ARGUS_UPDATE_SNAPSHOTS=1: rewrote {}",
                path.display()
            )
            .unwrap();
            return;
        }

        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}\ncreate it with: {REGENERATE}",
                path.display()
            )
        });
        if expected != actual {
            panic!(
                "the schema of a fresh catalogue differs from {} (- in the file, + migrated):\n{}\
                 If the change is intended (a new migration), regenerate it with:\n  {REGENERATE}",
                path.display(),
                line_diff(&expected, &actual)
            );
        }
    }

    /// Every file in `migrations/` is in the list: the schema version is the number of files.
    #[test]
    fn schema_version_counts_the_migration_files() {
        let files = migration_files();
        let names: Vec<_> = files.iter().filter_map(|path| path.file_name()).collect();
        assert_eq!(
            latest_version() as usize,
            files.len(),
            "MIGRATIONS in schema.rs has {} entries but migrations/ has {} .sql files {names:?}; \
             each file needs its include_str! line",
            latest_version(),
            files.len()
        );
    }

    /// The files are numbered 0001, 0002 … without gaps, and the list includes them in that order.
    #[test]
    fn schema_migration_files_are_numbered_and_listed_in_order() {
        for (index, path) in migration_files().iter().enumerate() {
            let name = path.file_name().unwrap().to_string_lossy();
            let prefix = format!("{:04}_", index + 1);
            assert!(
                name.starts_with(&prefix) && name.len() > prefix.len() + ".sql".len(),
                "migration file {name} should be named {prefix}<name>.sql"
            );
            let text = std::fs::read_to_string(path).unwrap();
            assert!(
                MIGRATIONS.get(index) == Some(&text.as_str()),
                "MIGRATIONS[{index}] in schema.rs is not include_str!(\"../migrations/{name}\")"
            );
        }
    }

    #[test]
    fn line_diff_names_the_lines_that_differ() {
        let diff = line_diff("a\nb\nc\n", "a\nx\nc\nd\n");
        assert_eq!(
            diff,
            "  - line    2: b\n  + line    2: x\n  + line    4: d\n"
        );
    }
}
