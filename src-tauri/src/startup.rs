//! Launch-time measurement: the window reports when the grid painted its first cells (`grid`) and
//! then their thumbnails (`thumbnails`); the app logs the time since the process started and, when
//! `ARGUS_APP_STARTUP_REPORT` names a file, writes both with the memory in use (this process and its
//! WebKit children) there, then quits if `ARGUS_APP_EXIT_AFTER_PAINT` is set — what
//! `scripts/bench-app.sh` runs on a 10k-photo catalogue.

use std::sync::Mutex;
use std::time::Instant;

use tauri::AppHandle;

/// Milliseconds after launch of each stage reported so far.
static PAINTED: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

pub fn painted(app: &AppHandle, launched: Instant, stage: &str) {
    let ms = launched.elapsed().as_secs_f64() * 1000.0;
    let mut painted = PAINTED.lock().unwrap_or_else(|e| e.into_inner());
    if painted.iter().any(|(s, _)| s == stage) {
        return;
    }
    painted.push((stage.to_string(), ms));
    eprintln!("argus-app: first {stage} paint {ms:.0} ms after launch");
    if stage != "thumbnails" {
        return;
    }
    let own = rss_kib(std::process::id()).unwrap_or(0);
    let web: u64 = descendants(std::process::id())
        .into_iter()
        .filter_map(rss_kib)
        .sum();
    eprintln!(
        "argus-app: memory {} MiB (app) + {} MiB (web views)",
        own / 1024,
        web / 1024
    );
    if let Some(path) = std::env::var_os("ARGUS_APP_STARTUP_REPORT") {
        let mut report: serde_json::Map<String, serde_json::Value> = painted
            .iter()
            .map(|(s, ms)| (format!("first_{s}_paint_ms"), (*ms).into()))
            .collect();
        report.insert("app_rss_kib".into(), own.into());
        report.insert("webview_rss_kib".into(), web.into());
        let _ = std::fs::write(path, serde_json::Value::Object(report).to_string());
    }
    if std::env::var_os("ARGUS_APP_EXIT_AFTER_PAINT").is_some() {
        app.exit(0);
    }
}

/// Resident memory of a process (Linux `/proc`; None elsewhere).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Every descendant of a process (WebKit's web and network processes).
fn descendants(parent: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut queue = vec![parent];
    while let Some(pid) = queue.pop() {
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        for child in children.split_whitespace().filter_map(|c| c.parse().ok()) {
            found.push(child);
            queue.push(child);
        }
    }
    found
}
