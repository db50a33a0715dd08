//! `argus dev bench workers`: analysis throughput with 1, 2, 3 … `argus analyze --worker`
//! processes sharing one catalogue — a PostgreSQL server (`--server`), or a SQLite file — on the same
//! real photos as `bench analyze`. For each worker count the catalogue starts over (its library
//! removed and added again, so every photo is pending), the workers are started together and timed
//! until the last one exits; the work ledger then says who analysed what, and that no photo was
//! analysed twice for a stage. On one machine the workers share its cores, so this measures the
//! coordination's cost and the machine's ceiling, not what more machines add.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::{Error, Result};

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct WorkersBenchOptions {
    pub photos: usize,
    /// A folder of real photos to build the set from (as `bench analyze`).
    pub source: PathBuf,
    /// Work folder; None: a temporary folder removed afterwards.
    pub dir: Option<PathBuf>,
    /// A PostgreSQL URL (best with its own `?schema=`) to share instead of a SQLite file.
    pub server: Option<String>,
    /// The worker counts to time, in order.
    pub workers: Vec<usize>,
    pub models: PathBuf,
    /// `--stages` for the workers (None: every stage).
    pub stages: Option<String>,
    /// Photos a worker claims at a time (`--claim`).
    pub claim: usize,
}

/// One worker count's run.
#[derive(Debug, Clone, Serialize)]
pub struct WorkersRun {
    pub workers: usize,
    pub seconds: f64,
    pub photos_per_second: f64,
    /// Throughput over the first run's.
    pub speedup: f64,
    /// Photo-stage results each worker wrote (from the work ledger), by worker.
    pub by_worker: BTreeMap<String, usize>,
    /// (photo, stage) pairs the ledger holds more than once: 0 when the leases hold.
    pub analysed_twice: usize,
}

/// What the benchmark measured.
#[derive(Debug, Clone, Serialize)]
pub struct WorkersBenchResult {
    pub catalogue: String,
    pub photos: usize,
    pub stages: String,
    pub runs: Vec<WorkersRun>,
}

impl fmt::Display for WorkersBenchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} photos, stages {}, workers sharing {}\n",
            self.photos, self.stages, self.catalogue
        )?;
        writeln!(
            f,
            "  {:>7} {:>9} {:>9} {:>8} {:>13}  results per worker",
            "workers", "seconds", "photos/s", "× one", "done twice"
        )?;
        for run in &self.runs {
            let shares: Vec<String> = run
                .by_worker
                .iter()
                .map(|(worker, results)| format!("{worker} {results}"))
                .collect();
            writeln!(
                f,
                "  {:>7} {:>9.1} {:>9.2} {:>8.2} {:>13}  {}",
                run.workers,
                run.seconds,
                run.photos_per_second,
                run.speedup,
                run.analysed_twice,
                shares.join(", ")
            )?;
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        write!(
            f,
            "\n  (one machine, {cores} cores: the workers share them — more workers than cores \
             cannot go faster)"
        )
    }
}

/// Runs the benchmark; `log` gets progress lines.
pub fn workers_bench(
    options: &WorkersBenchOptions,
    log: &mut dyn FnMut(&str),
) -> Result<WorkersBenchResult> {
    if options.workers.is_empty() || options.workers.contains(&0) {
        return Err(Error::Other(
            "--workers takes counts of one or more, e.g. 1,2,3".into(),
        ));
    }
    super::in_work_dir(options.dir.as_deref(), "workers", |dir| {
        let photos_dir = super::analyze::photo_set(&options.source, dir, options.photos, log)?;
        let file = dir.join("workers-bench.db");
        let location = match &options.server {
            Some(url) => url.clone(),
            None => file.display().to_string(),
        };
        let mut runs: Vec<WorkersRun> = Vec::new();
        let mut catalogue = String::new();
        for &count in &options.workers {
            log(&format!("{count} worker(s): cataloguing the set afresh …"));
            let catalog = fresh_catalogue(options.server.as_deref(), &file, dir, &photos_dir)?;
            catalogue = catalog.name();
            let photos = catalog.stats()?.photos.max(0) as usize;
            log(&format!("{count} worker(s): analysing {photos} photos …"));
            let started = Instant::now();
            run_workers(options, &location, dir, count)?;
            let seconds = started.elapsed().as_secs_f64();
            let (by_worker, analysed_twice) = ledger_figures(&catalog, count)?;
            let photos_per_second = photos as f64 / seconds.max(1e-6);
            let first = runs
                .first()
                .map_or(photos_per_second, |r| r.photos_per_second);
            runs.push(WorkersRun {
                workers: count,
                seconds,
                photos_per_second,
                speedup: photos_per_second / first.max(1e-9),
                by_worker,
                analysed_twice,
            });
        }
        Ok(WorkersBenchResult {
            catalogue,
            photos: options.photos,
            stages: options.stages.clone().unwrap_or_else(|| "all".into()),
            runs,
        })
    })
}

/// A catalogue holding only `photos_dir`, scanned and not analysed: the server's (at `server`) with
/// every library removed (their photos and analysis go with them) and the set added again, or
/// without a server the SQLite `file` made again.
fn fresh_catalogue(
    server: Option<&str>,
    file: &Path,
    dir: &Path,
    photos_dir: &Path,
) -> Result<Catalog> {
    let Some(url) = server else {
        return super::catalogued_set(dir, file, photos_dir);
    };
    let catalog = Catalog::open_server(url)?;
    for library in catalog.libraries()? {
        catalog.remove_library(&library.path)?;
    }
    super::scanned(catalog, dir, photos_dir)
}

/// Starts `count` workers of this program on `location` together and waits for all of them.
fn run_workers(
    options: &WorkersBenchOptions,
    location: &str,
    dir: &Path,
    count: usize,
) -> Result<()> {
    let program = std::env::current_exe()
        .map_err(|e| Error::io("cannot find this program to run it again", e))?;
    let mut children = Vec::new();
    for n in 1..=count {
        let mut command = Command::new(&program);
        command
            .args(["--catalog", location, "--models"])
            .arg(&options.models)
            .arg("--cache")
            .arg(dir.join("cache"))
            .args(["analyze", "--worker", "--worker-name", &format!("w{n}")])
            .args(["--claim", &options.claim.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(stages) = &options.stages {
            command.args(["--stages", stages]);
        }
        children.push(
            command
                .spawn()
                .map_err(|e| Error::io("cannot start `argus analyze --worker`", e))?,
        );
    }
    let mut failures = Vec::new();
    for (n, child) in children.into_iter().enumerate() {
        let out = child
            .wait_with_output()
            .map_err(|e| Error::io("cannot wait for a worker", e))?;
        if !out.status.success() {
            failures.push(format!(
                "worker w{}: {}",
                n + 1,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Error::Other(failures.join("\n")))
    }
}

/// Results per worker (`w1`..`wN`), and how many (photo, stage) pairs were analysed more than once.
fn ledger_figures(catalog: &Catalog, workers: usize) -> Result<(BTreeMap<String, usize>, usize)> {
    let mut by_worker: BTreeMap<String, usize> =
        (1..=workers).map(|n| (format!("w{n}"), 0)).collect();
    let mut times: HashMap<(i64, String), usize> = HashMap::new();
    for (photo, stage, _version, worker) in catalog.analysis_ledger()? {
        *by_worker.entry(worker).or_insert(0) += 1;
        *times.entry((photo, stage)).or_insert(0) += 1;
    }
    Ok((by_worker, times.values().filter(|&&n| n > 1).count()))
}
