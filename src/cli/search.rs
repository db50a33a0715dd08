//! `argus search QUERY`: photos matching a query, optionally with facet counts.

use clap::builder::TypedValueParser;
use clap::Args;

use argus_api::search::{SearchOptions, Sort};

use super::output::{count, print_json};
use super::Context;

#[derive(Args)]
pub struct SearchArgs {
    /// The query, e.g. 'beard and sunglasses', '-sunglasses', 'person:"Ana" -sunglasses year:2024'
    /// (none: every photo)
    #[arg(allow_hyphen_values = true, value_parser = query_value)]
    query: Option<String>,
    /// Also count photos per person, label, attribute, emotion, age band, camera, lens, year, format
    #[arg(long)]
    facets: bool,
    /// Order: taken, added, faces or name
    #[arg(long, default_value = "taken", value_parser = clap::builder::PossibleValuesParser::new(["taken", "added", "faces", "name", "similar"]).map(|s| s.parse::<Sort>().expect("a listed sort")))]
    sort: Sort,
    #[arg(long, default_value_t = 100)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
}

pub fn run(ctx: &Context, args: SearchArgs) -> anyhow::Result<i32> {
    let catalog = ctx.open_catalog()?;
    let options = SearchOptions {
        sort: args.sort,
        limit: args.limit,
        offset: args.offset,
        facets: args.facets,
        groups: false,
    };
    let mut searcher = ctx.locations.searcher();
    let result = match searcher.search(&catalog, args.query.as_deref(), &options) {
        Ok(r) => r,
        Err(argus_api::Error::Query(e)) => {
            return report_query_error(ctx, args.query.as_deref(), &e)
        }
        Err(e) => return Err(e.into()),
    };
    if ctx.json {
        print_json(&result)?;
        return Ok(0);
    }
    let shown = result.hits.len();
    println!(
        "{}{}",
        count(result.total, "photo"),
        if shown > 0 && (shown as u64) < result.total {
            format!(" (showing {}–{})", result.offset + 1, result.offset + shown)
        } else {
            String::new()
        }
    );
    for note in &result.notes {
        println!("  note: {note}");
    }
    for hit in &result.hits {
        println!(
            "{:>7}  {:<19}  {:>2} faces  {}",
            hit.id,
            hit.taken_at
                .as_deref()
                .unwrap_or("-")
                .get(..19)
                .unwrap_or("-"),
            hit.faces,
            hit.path
        );
    }
    if let Some(facets) = &result.facets {
        let groups = [
            ("person", &facets.person),
            ("label", &facets.label),
            ("object", &facets.object),
            ("carrying", &facets.carrying),
            ("wearing", &facets.wearing),
            ("keyword", &facets.keyword),
            ("rating", &facets.rating),
            ("attribute", &facets.attribute),
            ("emotion", &facets.emotion),
            ("age", &facets.age),
            ("camera", &facets.camera),
            ("lens", &facets.lens),
            ("year", &facets.year),
            ("format", &facets.format),
        ];
        for (name, values) in groups.iter().filter(|(_, v)| !v.is_empty()) {
            let line: Vec<String> = values
                .iter()
                .take(12)
                .map(|v| format!("{} ({})", v.value, v.count))
                .collect();
            println!("{name:<10} {}", line.join(", "));
        }
    }
    Ok(0)
}

/// A query given on the command line. A query may start with `-` (`-sunglasses`: a negated term),
/// so query arguments take values that start with a hyphen; one that starts with `--` is a mistyped
/// option, never a query.
pub fn query_value(value: &str) -> Result<String, String> {
    if value.starts_with("--") && value.len() > 2 {
        return Err(format!(
            "'{value}' looks like an option, not a query (see --help for the options)"
        ));
    }
    Ok(value.to_string())
}

/// Prints a query that does not parse — where it is wrong, under the query — and returns exit code 2.
pub fn report_query_error(
    ctx: &Context,
    query: Option<&str>,
    e: &argus_api::search::QueryError,
) -> anyhow::Result<i32> {
    if ctx.json {
        print_json(&serde_json::json!({ "error": e }))?;
    } else {
        eprintln!("argus: {e}");
        if let Some(q) = query.filter(|q| !q.contains('\n')) {
            eprintln!("  {q}\n  {}^", " ".repeat(e.column - 1));
        }
    }
    Ok(2)
}
