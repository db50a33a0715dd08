//! The pipeline every front end runs to bring the catalogue up to date: scan the library folders,
//! then analyse what is new (which groups its faces into people) when the models are installed.
//! `argus scan`, the watcher (its catch-up scan and every batch) and the app's library worker all go
//! through [`scan_then_analyze`]; whether analysis runs is decided once, by [`AnalysisPlan::new`].

use argus_analysis::models::ModelStore;
use argus_analysis::Analyzer;
use argus_catalog::Catalog;
use argus_core::progress::{CancelToken, JobObserver};
use argus_core::Result;
use argus_media::thumbs::ThumbCache;
use argus_scan::{scan, ScanOptions, ScanReport, Scope};

use crate::analysis::{analyze_reusing, AnalyzeOptions, AnalyzeReport};

/// Whether analysis follows a scan, and with what. (One per job, so the size of `Run` does not matter.)
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum AnalysisPlan {
    /// Analyse with these models and options.
    Run(ModelStore, AnalyzeOptions),
    /// Catalogue only, for this reason.
    Skip(Skipped),
}

/// Why analysis does not follow a scan.
#[derive(Debug, Clone, PartialEq)]
pub enum Skipped {
    /// The caller asked for a catalogue-only scan.
    Off,
    /// The runtime or these models are not installed (`argus models fetch` installs them).
    MissingModels(Vec<String>),
}

impl AnalysisPlan {
    /// Analysis with `options` when `store` has the runtime and every model its stages need.
    pub fn new(store: ModelStore, options: AnalyzeOptions) -> AnalysisPlan {
        let missing = options.missing_models(&store);
        if missing.is_empty() {
            AnalysisPlan::Run(store, options)
        } else {
            AnalysisPlan::Skip(Skipped::MissingModels(missing))
        }
    }

    /// The runtime and models missing for this plan (empty when it runs or was turned off).
    pub fn missing(&self) -> &[String] {
        match self {
            AnalysisPlan::Skip(Skipped::MissingModels(missing)) => missing,
            _ => &[],
        }
    }
}

/// What one run of the pipeline did.
#[derive(Debug)]
pub struct PipelineReport {
    pub scan: ScanReport,
    /// The analysis, or why there was none.
    pub analysis: std::result::Result<AnalyzeReport, NotAnalyzed>,
}

/// Why a pipeline run did not analyse.
#[derive(Debug, Clone, PartialEq)]
pub enum NotAnalyzed {
    /// The plan skips analysis.
    Skipped(Skipped),
    /// The scan was cancelled.
    Cancelled,
    /// The scan found nothing new or changed (only when asked to analyse changes only).
    NothingNew,
}

/// Scans `scope`, then analyses pending photos as `plan` says. With `changes_only`, analysis runs only
/// when the scan brought new or changed photos (the watcher's batches); `models` keeps the loaded
/// models between runs.
#[allow(clippy::too_many_arguments)]
pub fn scan_then_analyze(
    catalog: &mut Catalog,
    cache: &ThumbCache,
    scope: &Scope,
    options: &ScanOptions,
    plan: &AnalysisPlan,
    changes_only: bool,
    models: &mut Option<Analyzer>,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<PipelineReport> {
    let scan = scan(catalog, cache, scope, options, observer, cancel)?;
    let analysis = match plan {
        _ if scan.cancelled || cancel.is_cancelled() => Err(NotAnalyzed::Cancelled),
        AnalysisPlan::Skip(why) => Err(NotAnalyzed::Skipped(why.clone())),
        _ if changes_only && scan.new + scan.changed == 0 => Err(NotAnalyzed::NothingNew),
        AnalysisPlan::Run(store, analyze_options) => Ok(analyze_reusing(
            catalog,
            store,
            models,
            analyze_options,
            observer,
            cancel,
        )?),
    };
    Ok(PipelineReport { scan, analysis })
}
