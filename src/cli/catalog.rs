//! `argus catalog migrate --from A --to B`: a catalogue copied into another engine's (see
//! `argus_api::transfer`); `argus catalog compact`: the space of deleted rows given back.

use std::ffi::OsString;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};

use super::output::{count, print_json};
use super::{cancel_on_ctrl_c, Context};
use argus_api::paths::CatalogLocation;

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Copy a whole catalogue into an empty one — a file into a team's PostgreSQL database
    /// ('--from catalog.db --to postgres://ana@server/argus') or back — checked table by table
    Migrate {
        /// The catalogue to copy: a file, or postgres://USER@HOST/DB (password from PGPASSWORD or
        /// ~/.pgpass)
        #[arg(long)]
        from: OsString,
        /// The empty catalogue to copy into (made if missing)
        #[arg(long)]
        to: OsString,
    },
    /// Give the space of deleted rows back (after a library was removed, or after an upgrade that
    /// dropped an index): a catalogue file is rewritten smaller; a server's tables are vacuumed.
    /// The log of which photos changed is emptied too, so every machine's saved search index is
    /// read whole once more
    Compact,
}

pub fn run(ctx: &Context, cmd: CatalogCommand) -> anyhow::Result<i32> {
    match cmd {
        CatalogCommand::Migrate { from, to } => {
            let (from, to) = (CatalogLocation::parse(from), CatalogLocation::parse(to));
            let bar = if ctx.json {
                ProgressBar::hidden()
            } else {
                ProgressBar::new_spinner()
            };
            bar.set_style(ProgressStyle::with_template("{spinner} {msg}").unwrap());
            let cancel = cancel_on_ctrl_c();
            let migrated = argus_api::transfer::migrate(&from, &to, &cancel, &mut |table, rows| {
                bar.set_message(format!("{table}: {rows} rows"));
                bar.tick();
            });
            bar.finish_and_clear();
            let migrated = migrated?;
            if ctx.json {
                print_json(&migrated)?;
            } else {
                println!(
                    "copied {} in {} from {} to {}; every table checked equal",
                    count(migrated.copy.rows, "row"),
                    count(migrated.copy.tables.len() as u64, "table"),
                    migrated.from,
                    migrated.to
                );
            }
            Ok(0)
        }
        CatalogCommand::Compact => {
            let catalog = ctx.open_catalog()?;
            let on_disk = |c: &argus_api::catalog::Catalog| c.file_bytes().unwrap_or(0);
            let before = (catalog.storage_bytes()?, on_disk(&catalog));
            catalog.compact()?;
            let after = (catalog.storage_bytes()?, on_disk(&catalog));
            if ctx.json {
                print_json(&serde_json::json!({
                    "catalogue": catalog.name(),
                    "used_bytes": [before.0, after.0],
                    "file_bytes": [before.1, after.1],
                }))?;
            } else {
                let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
                print!(
                    "{}: tables and indexes {:.0} MiB → {:.0} MiB",
                    catalog.name(),
                    mib(before.0),
                    mib(after.0)
                );
                if catalog.path().is_some() {
                    print!("; file {:.0} MiB → {:.0} MiB", mib(before.1), mib(after.1));
                }
                println!();
            }
            Ok(0)
        }
    }
}
