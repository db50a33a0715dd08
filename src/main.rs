//! The `argus` command: the catalogue from a terminal, with `--json` output for scripts, tests and the app.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
