//! `argus library add|list|mount|remove`.

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
    /// List libraries (where this machine sees each, and where other machines mount it)
    List,
    /// Tell this machine where it sees a library of a shared catalogue (the share mounted at another
    /// folder than on the machine that added it); paths read and written go through FOLDER here.
    /// Give the library's catalogue path as FOLDER to forget the mount
    Mount {
        /// The library's id (see `argus library list`)
        id: i64,
        folder: PathBuf,
    },
    /// Remove a library from the catalogue (its files are not touched)
    Remove { folder: PathBuf },
}

pub fn run(ctx: &Context, cmd: LibraryCommand) -> anyhow::Result<i32> {
    let mut catalog = ctx.open_catalog()?;
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
                let machine = argus_api::catalog::this_machine();
                for lib in &libraries {
                    let state = if lib.path.is_dir() { "" } else { "  (offline)" };
                    println!(
                        "{:>4}  {:>8} photos  {}{state}",
                        lib.id,
                        lib.photos,
                        lib.path.display()
                    );
                    if lib.path.as_os_str() != lib.catalog_path.as_str() {
                        println!("{:>21}catalogue path {}", "", lib.catalog_path);
                    }
                    for mount in lib.mounts.iter().filter(|m| m.machine != machine) {
                        println!("{:>21}on {}: {}", "", mount.machine, mount.path);
                    }
                }
            }
        }
        LibraryCommand::Mount { id, folder } => {
            let library = catalog.mount_library(id, &folder)?;
            if ctx.json {
                print_json(&library)?;
            } else {
                println!(
                    "library {} ({}) is at {} on this machine ({})",
                    library.id,
                    library.catalog_path,
                    library.path.display(),
                    argus_api::catalog::this_machine()
                );
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
