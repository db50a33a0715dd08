//! `argus watch --json` as a real child process, for the watcher tests.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Env;

/// `argus watch --json` in the background; killed when dropped.
pub struct Watcher {
    child: Child,
    /// Batches the watcher has applied so far (one JSON line each).
    batches: Arc<AtomicUsize>,
    /// The JSON lines it printed.
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Watcher {
    pub fn start(env: &Env) -> Watcher {
        let mut child = env
            .command()
            .args(["--json", "watch", "--debounce-ms", "300"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        // Wait for the catch-up scan to be applied: the watch is armed by then.
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().expect("watch printed nothing").unwrap();
        assert!(first.contains("catch-up"), "{first}");
        let batches = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(vec![first]));
        let (counter, sink) = (batches.clone(), log.clone());
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                counter.fetch_add(1, Ordering::SeqCst);
                sink.lock().unwrap().push(line);
            }
        });
        Watcher {
            child,
            batches,
            log,
        }
    }

    /// Asserts that a quiet library stays quiet: no batch is applied for two seconds (the scanner's
    /// own reads must not wake the watcher).
    pub fn assert_idle(&self) {
        std::thread::sleep(Duration::from_secs(1));
        let before = self.batches.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_secs(2));
        assert_eq!(
            self.batches.load(Ordering::SeqCst),
            before,
            "the watcher keeps scanning an idle library"
        );
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` until it holds or `limit` passes.
pub fn eventually(limit: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("not within {limit:?}: {what}");
}
