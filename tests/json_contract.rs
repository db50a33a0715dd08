//! The `--json` contract, pinned: `show` of every sample photo, `search --facets`, `people list` and
//! `export` on the analysed sample library, compared with `tests/snapshots/json_contract.json`. What
//! differs from run to run is normalised away first: the temporary folders become `<lib>`, `<cache>`,
//! `<out>`; times and timings are dropped; floats are rounded to 3 decimals (ONNX Runtime picks its
//! kernels by CPU, which moves outputs in the 6th digit). Any other change to the JSON fails here:
//! refactors must keep it, and a deliberate change updates the snapshot with
//! `ARGUS_UPDATE_SNAPSHOTS=1 cargo test --test json_contract` (and the README's JSON section).

mod common;

use std::path::Path;

use common::{sample_dir, Env};
use serde_json::{json, Map, Value};

const SNAPSHOT: &str = "tests/snapshots/json_contract.json";

/// Keys whose values change from run to run (times, timings, file times).
const VOLATILE: &[&str] = &[
    "added_at",
    "updated_at",
    "done_at",
    "last_scan_at",
    "created_at",
    "mtime_ns",
    "seconds",
    "elapsed_ms",
    "decode_ms",
    "timings",
    "ms",
];

#[test]
fn json_output_matches_the_snapshot() {
    let env = Env::with_models();
    let mut names: Vec<String> = std::fs::read_dir(sample_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    for name in &names {
        env.put(name, name);
    }
    env.add_library();
    // One scan thread: photos get their ids in file order, so ids are the same every run.
    env.json(&["scan", "--threads", "1"]);
    let out = env.dir.path().join("exports");
    let shown: Map<String, Value> = names
        .iter()
        .map(|n| {
            let path = env.lib().join(n);
            (n.clone(), env.json(&["show", path.to_str().unwrap()]))
        })
        .collect();
    let got = json!({
        "show": shown,
        "search": env.json(&["search", "--facets", "--limit", "1000"]),
        "search_query": env.json(&["search", "beard and sunglasses", "--facets"]),
        "people": env.json(&["people", "list"]),
        "similar": env.json(&["similar", env.lib().join("fr_obama.jpg").to_str().unwrap(), "--limit", "3"]),
        "duplicates": env.json(&["duplicates"]),
        "export": env.json(&[
            "export",
            "--query",
            "faces:>=1",
            "--aspect",
            "1:1,16:9",
            "--width",
            "128",
            "--out",
            out.to_str().unwrap(),
        ]),
    });
    let got = normalize(
        &got,
        &[
            (env.lib().to_str().unwrap(), "<lib>"),
            (env.cache().to_str().unwrap(), "<cache>"),
            (out.to_str().unwrap(), "<out>"),
        ],
    );
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os("ARGUS_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
        std::fs::write(
            &snapshot,
            serde_json::to_string_pretty(&got).unwrap() + "\n",
        )
        .unwrap();
        return;
    }
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(&snapshot)
            .unwrap_or_else(|e| panic!("{}: {e}", snapshot.display())),
    )
    .unwrap();
    let mut differences = Vec::new();
    compare(&want, &got, "", &mut differences);
    assert!(
        differences.is_empty(),
        "the JSON differs from {SNAPSHOT} in {} places:\n{}",
        differences.len(),
        differences
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Drops volatile keys, replaces the temporary folders in strings, rounds floats.
fn normalize(value: &Value, folders: &[(&str, &str)]) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(k, _)| !VOLATILE.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), normalize(v, folders)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| normalize(v, folders)).collect()),
        Value::String(s) => Value::String(
            folders
                .iter()
                .fold(s.clone(), |s, (from, to)| s.replace(from, to)),
        ),
        Value::Number(n) if n.is_f64() => json!((n.as_f64().unwrap() * 1000.0).round() / 1000.0),
        other => other.clone(),
    }
}

/// Every place where `got` differs from `want`, as `path: want → got`. Rounded floats may differ in
/// the last place (a value near a rounding boundary), so numbers within 0.002 are equal.
fn compare(want: &Value, got: &Value, at: &str, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                match g.get(k) {
                    Some(gv) => compare(wv, gv, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}.{k}: missing")),
                }
            }
            for k in g.keys().filter(|k| !w.contains_key(*k)) {
                out.push(format!("{at}.{k}: new"));
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                compare(wv, gv, &format!("{at}[{i}]"), out);
            }
        }
        (Value::Number(w), Value::Number(g))
            if (w.as_f64().unwrap() - g.as_f64().unwrap()).abs() > 0.002 =>
        {
            out.push(format!("{at}: {w} → {g}"));
        }
        (Value::Number(_), Value::Number(_)) => {}
        (w, g) if w != g => out.push(format!("{at}: {w} → {g}")),
        _ => {}
    }
}
