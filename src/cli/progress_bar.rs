//! Scan progress on the terminal (indicatif, on stderr; hidden when stderr is not a terminal).

use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use argus_api::analysis::AnalyzeReport;
use argus_api::progress::{JobObserver, JobStage};
use argus_api::scan::ScanReport;
use argus_api::watch::{WatchBatch, WatchObserver};

/// A progress bar that follows a scan's stages.
pub struct ScanProgress {
    bar: ProgressBar,
    /// In watch mode batches are small and frequent: no bar, one line per batch.
    quiet: bool,
    json: bool,
}

impl ScanProgress {
    pub fn new(quiet: bool, json: bool) -> ScanProgress {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        };
        ScanProgress { bar, quiet, json }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// A bar over `total` units: `reading ███░░ 12/40 files  3.1 files/s  eta 9s  name.jpg`.
    fn count(&self, verb: &str, unit: &'static str, total: Option<u64>) {
        let template = format!(
            "{verb} {{bar:30}} {{pos}}/{{len}} {unit}  {{rate}}  eta {{eta}}  {{wide_msg}}"
        );
        self.bar.set_style(
            ProgressStyle::with_template(&template)
                .expect("template")
                .with_key(
                    "rate",
                    move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.1} {unit}/s", state.per_sec());
                    },
                ),
        );
        self.bar.set_length(total.unwrap_or(0));
        self.bar.set_position(0);
        self.bar.set_message("");
    }
}

impl JobObserver for ScanProgress {
    fn stage(&self, stage: JobStage, total: Option<u64>) {
        match stage {
            JobStage::Discover => {
                self.bar
                    .set_style(ProgressStyle::with_template("{spinner} {msg}").expect("template"));
                self.bar.set_message("looking for photos…");
                self.bar
                    .enable_steady_tick(std::time::Duration::from_millis(120));
            }
            JobStage::Read => self.count("reading", "files", total),
            JobStage::Analyze => self.count("analysing", "photos", total),
            JobStage::Export => self.count("exporting", "photos", total),
            JobStage::Sidecars => self.count("sidecars", "photos", total),
            JobStage::Reconcile => {
                self.bar
                    .set_style(ProgressStyle::with_template("{spinner} {msg}").expect("template"));
                self.bar
                    .set_message("removing photos whose files are gone…");
            }
        }
    }

    fn advance(&self, path: &Path) {
        self.bar.inc(1);
        if let Some(name) = path.file_name() {
            self.bar.set_message(name.to_string_lossy().into_owned());
        }
    }
}

impl WatchObserver for ScanProgress {
    fn applied(&self, what: &WatchBatch, report: &ScanReport, analysis: Option<&AnalyzeReport>) {
        if self.json {
            let kind = match what {
                WatchBatch::CatchUp => "catch-up".to_string(),
                WatchBatch::Paths(p) => format!("{} paths", p.len()),
                WatchBatch::Rescan(why) => format!("rescan: {why}"),
            };
            let line = serde_json::json!({ "batch": kind, "report": report, "analysis": analysis });
            println!("{line}");
            return;
        }
        let _ = self.quiet;
        let label = match what {
            WatchBatch::CatchUp => "catch-up scan".to_string(),
            WatchBatch::Paths(p) if p.len() == 1 => p[0].display().to_string(),
            WatchBatch::Paths(p) => format!("{} changed paths", p.len()),
            WatchBatch::Rescan(why) => format!("full rescan ({why})"),
        };
        eprintln!("{}: {}", label, report.summary());
        for problem in &report.problems {
            eprintln!("  {}: {}", problem.path.display(), problem.reason);
        }
        if let Some(a) = analysis.filter(|a| a.analyzed > 0 || a.failed > 0) {
            eprintln!(
                "  analysed {} photos: {} faces, {} lines of text",
                a.analyzed, a.faces, a.text_lines
            );
            for p in &a.problems {
                eprintln!("  {}: {}", p.path.display(), p.reason);
            }
        }
    }
}
