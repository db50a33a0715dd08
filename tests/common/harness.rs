//! A test harness (libtest-mimic) for test files whose tests may be unable to run here — shared
//! evaluation data absent, no root, no display tools: such a test returns [`Skipped`] with the
//! reason, and the run prints `ignored (skipped: …)` for it instead of `ok`. libtest cannot decide to
//! ignore a test at run time, hence this harness for those files (`harness = false` in Cargo.toml).
//!
//! A file lists its tests in `main` with [`tests!`]; the file carries `#![deny(dead_code)]`, so a test
//! function left out of the list does not compile.

use std::process::ExitCode;

use libtest_mimic::{Arguments, Completion, Trial};

/// Why a test could not run here.
#[derive(Debug)]
pub struct Skipped(pub String);

/// A test's end: `Ok` when it ran (and passed: failures panic), `Err` when it could not run.
pub type Ran = Result<(), Skipped>;

/// A test: its name and its function.
pub type Test = (&'static str, fn() -> Ran);

/// `Err(Skipped)` with a reason.
pub fn skip<T>(reason: impl Into<String>) -> Result<T, Skipped> {
    Err(Skipped(reason.into()))
}

/// Runs the named tests with the standard test arguments (filters, `--list`, `--test-threads` …).
pub fn run(tests: Vec<Test>) -> ExitCode {
    let args = Arguments::from_args();
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            Trial::ignorable_test(name, move || match test() {
                Ok(()) => Ok(Completion::Completed),
                Err(Skipped(why)) => Ok(Completion::ignored_with(format!("skipped: {why}"))),
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// `harness::run` over test functions, each named after itself.
#[macro_export]
macro_rules! tests {
    ($($test:path),+ $(,)?) => {
        $crate::common::harness::run(vec![$((stringify!($test), $test as fn() -> $crate::common::harness::Ran)),+])
    };
}
