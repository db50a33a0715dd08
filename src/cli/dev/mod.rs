//! `argus dev …` (built with `--features dev` only): benchmarks, probe training, label and people
//! evaluation — the dev tools of the `argus-dev` crate behind the CLI's own options and output.

mod bench;
mod duplicates_eval;
pub mod people_eval;
mod persons_eval;
mod probes;
mod similar_eval;

use clap::Subcommand;

use super::Context;

#[derive(Subcommand)]
pub enum DevCommand {
    /// Benchmarks that print figures and ratios against a reference run
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Train the appearance probes (beard, mustache, glasses, sunglasses, hat, smile) from labelled
    /// photos and print held-back metrics
    TrainAttributes(probes::TrainArgs),
    /// Scene labels on a labelled folder (labels.csv: file,class): accuracy per class
    EvalLabels(probes::EvalLabelsArgs),
    /// Cluster the main faces of a labelled folder (labels.csv: file,person) and print pairwise
    /// and BCubed precision/recall/F
    PeopleEval(people_eval::PeopleEvalArgs),
    /// Face-to-body linking and carrying:bag on a hand-labelled set of photos (labels.toml),
    /// scanned into the catalogue: precision and recall
    EvalPersons(persons_eval::EvalPersonsArgs),
    /// Write the near-duplicate evaluation set: originals, their copies (resized, re-encoded,
    /// cropped, rotated, brightened, PNG/JPEG, EXIF stripped) and hard negatives, with the truth
    DuplicatesSet(duplicates_eval::DuplicatesSetArgs),
    /// "More like this" on a labelled folder (labels.csv: file,label) scanned into the catalogue:
    /// how often the nearest photos share the label, per similarity threshold
    EvalSimilar(similar_eval::EvalSimilarArgs),
    /// The catalogue's duplicate groups against that set (scanned): precision and recall of pairs
    EvalDuplicates(duplicates_eval::EvalDuplicatesArgs),
}

pub fn run(ctx: &Context, cmd: DevCommand) -> anyhow::Result<i32> {
    match cmd {
        DevCommand::Bench(cmd) => bench::run(ctx, cmd),
        DevCommand::TrainAttributes(args) => probes::train_attributes(ctx, args),
        DevCommand::EvalLabels(args) => probes::eval_labels(ctx, args),
        DevCommand::PeopleEval(args) => people_eval::people_eval(ctx, args),
        DevCommand::EvalPersons(args) => persons_eval::eval_persons(ctx, args),
        DevCommand::DuplicatesSet(args) => duplicates_eval::duplicates_set(ctx, args),
        DevCommand::EvalDuplicates(args) => duplicates_eval::eval_duplicates(ctx, args),
        DevCommand::EvalSimilar(args) => similar_eval::eval_similar(ctx, args),
    }
}
