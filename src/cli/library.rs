//! `argus library add|list|remove`.

use std::path::PathBuf;

use clap::Subcommand;

use super::output::print_json;
use super::Context;

#[derive(Subcommand)]
pub enum LibraryCommand {
    /// Add folders as libraries (then run `argus scan`)
    Add {
        #[arg(required = true)]
        folders: Vec<PathBuf>,
    },
    /// List libraries
    List,
    /// Remove a library from the catalogue (its files are not touched)
    Remove { folder: PathBuf },
}

pub fn run(ctx: &Context, cmd: LibraryCommand) -> anyhow::Result<i32> {
    let catalog = ctx.open_catalog()?;
    match cmd {
        LibraryCommand::Add { folders } => {
            let mut added = Vec::new();
            for folder in folders {
                added.push(catalog.add_library(&folder)?);
            }
            if ctx.json {
                print_json(&added)?;
            } else {
                for lib in &added {
                    println!("library {}: {}", lib.id, lib.path.display());
                }
                println!("run `argus scan` to catalogue the photos");
            }
        }
        LibraryCommand::List => {
            let libraries = catalog.libraries()?;
            if ctx.json {
                print_json(&libraries)?;
            } else if libraries.is_empty() {
                println!("no libraries yet: add a folder with `argus library add FOLDER`");
            } else {
                for lib in &libraries {
                    let state = if lib.path.is_dir() { "" } else { "  (offline)" };
                    println!(
                        "{:>4}  {:>8} photos  {}{state}",
                        lib.id,
                        lib.photos,
                        lib.path.display()
                    );
                }
            }
        }
        LibraryCommand::Remove { folder } => {
            let removed = catalog.remove_library(&folder)?;
            if ctx.json {
                print_json(&removed)?;
            } else {
                println!(
                    "removed library {} ({} photos forgotten; files untouched)",
                    removed.path.display(),
                    removed.photos
                );
            }
        }
    }
    Ok(0)
}
