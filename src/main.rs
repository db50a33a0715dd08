//! The `argus` command: the catalogue from a terminal, with `--json` output for scripts, tests and the app.

mod cli;

fn main() {
    // Rust ignores SIGPIPE, so printing to a closed pipe (`argus photos | head`) would panic; a
    // command-line tool should end quietly instead, as the others in the pipeline do.
    #[cfg(unix)]
    // SAFETY: resetting a signal's disposition to its default, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(cli::run());
}
