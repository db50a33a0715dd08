//! The architecture, checked (after rust-analyzer's `tidy` test): which crate may depend on which,
//! that the app and the API layer link no CLI or dev tooling, that no module of a crate uses a
//! sibling module that uses it back, and that SQL is written only in the catalogue crate.
//! ARCHITECTURE.md explains the rules; a failure names the file, the line and what to do.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Which of our crates each package may depend on (normal dependencies). Lower layers first; a
/// package may only use packages listed earlier than itself. Edit this table with ARCHITECTURE.md.
const LAYERS: &[(&str, &[&str])] = &[
    ("argus-core", &[]),
    ("argus-ann", &[]),
    ("argus-query", &["argus-core"]),
    ("argus-media", &["argus-core"]),
    ("argus-xmp", &["argus-core"]),
    ("argus-catalog", &["argus-core", "argus-ann", "argus-query"]),
    (
        "argus-analysis",
        &["argus-core", "argus-ann", "argus-media"],
    ),
    (
        "argus-people",
        &["argus-core", "argus-ann", "argus-catalog"],
    ),
    (
        "argus-similar",
        &["argus-core", "argus-ann", "argus-catalog"],
    ),
    (
        "argus-search",
        &["argus-core", "argus-ann", "argus-query", "argus-catalog"],
    ),
    (
        "argus-scan",
        &["argus-core", "argus-media", "argus-xmp", "argus-catalog"],
    ),
    (
        "argus-export",
        &["argus-core", "argus-media", "argus-catalog", "argus-search"],
    ),
    (
        "argus-api",
        &[
            "argus-core",
            "argus-ann",
            "argus-query",
            "argus-media",
            "argus-xmp",
            "argus-catalog",
            "argus-analysis",
            "argus-people",
            "argus-similar",
            "argus-search",
            "argus-scan",
            "argus-export",
        ],
    ),
    // The dev tools may use every product crate (its row is checked as "anything above in this table").
    ("argus-dev", &[ANY_BELOW]),
    // The CLI: the API layer; the dev tools only as an optional dependency (`--features dev`).
    ("argus", &["argus-api"]),
    ("argus-app", &["argus-api"]),
    ("argus-tidy", &[]),
];

/// In a row: every crate listed above it.
const ANY_BELOW: &str = "*";

/// Optional dependencies allowed beyond the table: the CLI's `argus dev …`.
const OPTIONAL_EXTRA: &[(&str, &str)] = &[("argus", "argus-dev")];

/// Crates the app and the API layer must not link (CLI, progress bars, training, dev tools).
const NOT_IN_THE_APP: &[&str] = &[
    "clap",
    "indicatif",
    "linfa",
    "linfa-logistic",
    "rand_distr",
    "argus-dev",
];

/// Packages that may depend on a database engine's crate: the catalogue alone.
const ENGINES_ALLOWED: &[&str] = &["argus-catalog"];
/// The engines' crates (the first word of their line in a manifest).
const ENGINE_CRATES: &[&str] = &["rusqlite", "postgres", "tokio-postgres"];

/// First words of an SQL statement, as this code base writes them.
const SQL_KEYWORDS: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "CREATE",
    "DROP",
    "ALTER",
    "PRAGMA",
    "WITH",
    "REPLACE",
    "BEGIN",
    "VACUUM",
    "ATTACH",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The host's target triple (the resolve is for the platform the app is built on).
fn host() -> String {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_string()
}

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--filter-platform",
            host().as_str(),
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Workspace packages: name → (manifest path, normal dependencies as (name, optional)).
fn workspace_packages(meta: &Value) -> BTreeMap<String, (PathBuf, Vec<(String, bool)>)> {
    let members: BTreeSet<&str> = meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| members.contains(p["id"].as_str().unwrap()))
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| {
                    (
                        d["name"].as_str().unwrap().to_string(),
                        d["optional"].as_bool().unwrap_or(false),
                    )
                })
                .collect();
            (
                p["name"].as_str().unwrap().to_string(),
                (PathBuf::from(p["manifest_path"].as_str().unwrap()), deps),
            )
        })
        .collect()
}

#[test]
fn crate_layering() {
    // The table itself only points down.
    let position: HashMap<&str, usize> = LAYERS
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (*name, i))
        .collect();
    for (i, (name, allowed)) in LAYERS.iter().enumerate() {
        for dep in allowed.iter().filter(|d| **d != ANY_BELOW) {
            let at = position.get(dep).unwrap_or_else(|| {
                panic!("LAYERS: {name} lists {dep}, which has no row of its own")
            });
            assert!(*at < i, "LAYERS: {name} lists {dep}, which is not below it");
        }
    }
    let meta = metadata();
    let packages = workspace_packages(&meta);
    let mut violations = Vec::new();
    let mut checked = 0;
    for (name, (manifest, deps)) in &packages {
        let Some((_, allowed)) = LAYERS.iter().find(|(n, _)| n == name) else {
            violations.push(format!(
                "{}: package {name} is not in the LAYERS table of crates/tidy/tests/tidy.rs; \
                 add it where it belongs (and to ARCHITECTURE.md)",
                manifest.display()
            ));
            continue;
        };
        for (dep, optional) in deps.iter().filter(|(d, _)| packages.contains_key(d)) {
            checked += 1;
            let extra = *optional && OPTIONAL_EXTRA.contains(&(name.as_str(), dep.as_str()));
            let below = allowed.contains(&ANY_BELOW)
                && position.get(dep.as_str()) < position.get(name.as_str());
            if !allowed.contains(&dep.as_str()) && !extra && !below {
                violations.push(format!(
                    "{}: {name} depends on {dep}, which its layer may not use (allowed: {}); \
                     move the code down or the dependency up",
                    manifest.display(),
                    allowed.join(", ")
                ));
            }
        }
    }
    println!(
        "layering: {} packages, {checked} dependencies on our crates checked",
        packages.len()
    );
    assert!(violations.is_empty(), "\n{}\n", violations.join("\n"));
}

#[test]
fn the_app_and_the_api_link_no_cli_or_dev_tooling() {
    let meta = metadata();
    let names: HashMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    // Normal (not dev, not build) edges of the resolved graph.
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for node in meta["resolve"]["nodes"].as_array().unwrap() {
        let from = node["id"].as_str().unwrap();
        for dep in node["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null());
            if normal {
                edges
                    .entry(from)
                    .or_default()
                    .push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    let mut violations = Vec::new();
    for start in ["argus-app", "argus-api"] {
        let start_id = names
            .iter()
            .find(|(_, n)| **n == start)
            .map(|(id, _)| *id)
            .unwrap_or_else(|| panic!("{start} is a workspace package"));
        // Breadth-first, remembering the way each crate was reached.
        let mut via: HashMap<&str, &str> = HashMap::new();
        let mut queue = vec![start_id];
        while let Some(id) = queue.pop() {
            for next in edges.get(id).into_iter().flatten() {
                if *next != start_id && !via.contains_key(next) {
                    via.insert(next, id);
                    queue.push(next);
                }
            }
        }
        println!("{start}: {} crates linked", via.len());
        for (id, _) in via.iter() {
            let name = names[id];
            if NOT_IN_THE_APP.contains(&name) {
                let mut chain = vec![name];
                let mut at = *id;
                while let Some(prev) = via.get(at) {
                    chain.push(names[prev]);
                    at = prev;
                }
                chain.push(start);
                chain.reverse();
                chain.dedup();
                violations.push(format!(
                    "{start} links {name} through {}; keep CLI and dev tooling out of the layers \
                     the app uses",
                    chain.join(" → ")
                ));
            }
        }
    }
    assert!(violations.is_empty(), "\n{}\n", violations.join("\n"));
}

/// A Rust source with comments removed and string and char literals blanked, plus the literals'
/// contents with the line each starts on.
struct Scanned {
    code: String,
    strings: Vec<(usize, String)>,
}

/// Splits Rust source into code and string literals (line and block comments, normal, byte and raw
/// strings, char literals and lifetimes are told apart).
fn scan_rust(source: &str) -> Scanned {
    let chars: Vec<char> = source.chars().collect();
    let mut code = String::with_capacity(source.len());
    let mut strings = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let count_lines = |s: &[char]| s.iter().filter(|c| **c == '\n').count();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let start = i;
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            let lines = count_lines(&chars[start..i.min(chars.len())]);
            line += lines;
            code.extend(std::iter::repeat_n('\n', lines));
        } else if (c == 'r' || (c == 'b' && next == Some('r')))
            && !prev_is_ident(&chars, i)
            && raw_string_start(&chars, i + usize::from(c == 'b')).is_some()
        {
            let at = i + usize::from(c == 'b');
            let hashes = raw_string_start(&chars, at).unwrap();
            let body_start = at + 1 + hashes + 1;
            let mut j = body_start;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    break;
                }
                j += 1;
            }
            let body: String = chars[body_start..j.min(chars.len())].iter().collect();
            strings.push((line, body.clone()));
            line += body.matches('\n').count();
            code.push_str("\"\"");
            code.extend(std::iter::repeat_n('\n', body.matches('\n').count()));
            i = (j + 1 + hashes).min(chars.len());
        } else if c == '"' {
            let mut j = i + 1;
            let mut body = String::new();
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' && j + 1 < chars.len() {
                    body.push(chars[j]);
                    body.push(chars[j + 1]);
                    j += 2;
                } else {
                    body.push(chars[j]);
                    j += 1;
                }
            }
            strings.push((line, body.clone()));
            line += body.matches('\n').count();
            code.push_str("\"\"");
            code.extend(std::iter::repeat_n('\n', body.matches('\n').count()));
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('a', '\n', '\'', '\u{1F600}') or a lifetime ('a, '_).
            let close = if next == Some('\\') {
                (i + 2..chars.len().min(i + 12)).find(|&k| chars[k] == '\'' && k > i + 2)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match close {
                Some(k) => {
                    code.push_str("' '");
                    i = k + 1;
                }
                None => {
                    code.push(c);
                    i += 1;
                }
            }
        } else {
            if c == '\n' {
                line += 1;
            }
            code.push(c);
            i += 1;
        }
    }
    Scanned { code, strings }
}

fn prev_is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// At `r#…#"`: the number of hashes.
fn raw_string_start(chars: &[char], at: usize) -> Option<usize> {
    if chars.get(at) != Some(&'r') {
        return None;
    }
    let mut hashes = 0;
    while chars.get(at + 1 + hashes) == Some(&'#') {
        hashes += 1;
    }
    (chars.get(at + 1 + hashes) == Some(&'"')).then_some(hashes)
}

/// Every `.rs` file under `dir`, skipping build output and dependencies.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    find_files(dir, "rs", out);
}

/// A file's module path inside its crate (`src/a/b.rs` and `src/a/b/mod.rs` are `a::b`).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// Paths named by `crate::…` and `super::…` in code, expanded through `{…}` groups, with the line
/// each appears on.
fn referenced_paths(code: &str, module: &[String]) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &code[i..];
        let starts_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let (base, len) = if starts_word && rest.starts_with("crate::") {
            (Some(Vec::new()), "crate::".len())
        } else if starts_word && rest.starts_with("super::") {
            let mut base = module.to_vec();
            let mut len = 0;
            while code[i + len..].starts_with("super::") {
                base.pop();
                len += "super::".len();
            }
            (Some(base), len)
        } else {
            (None, 0)
        };
        match base {
            Some(base) => {
                let line = code[..i].matches('\n').count() + 1;
                let end = path_tree_end(code, i + len);
                for path in expand_tree(&code[i + len..end]) {
                    let mut full = base.clone();
                    full.extend(path);
                    found.push((line, full));
                }
                i = end.max(i + 1);
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    found
}

/// Where a path (with nested `{…}` groups) that starts at `start` ends.
fn path_tree_end(code: &str, start: usize) -> usize {
    let mut depth = 0;
    for (k, c) in code[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') => {
                return start + k;
            }
            _ => {}
        }
    }
    code.len()
}

/// `a::{b::C, d}` → `[a, b, C]`, `[a, d]`.
fn expand_tree(tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()];
    };
    let prefix: Vec<String> = tree[..open]
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut items = Vec::new();
    let (mut depth, mut from) = (0, 0);
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[from..k]);
                from = k + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[from..]);
    items
        .into_iter()
        .filter(|item| !item.is_empty() && *item != "self")
        .flat_map(expand_tree)
        .map(|tail| prefix.iter().cloned().chain(tail).collect())
        .collect()
}

/// The source folders of the workspace's packages (crate roots: `src/`).
fn crate_sources(root: &Path) -> Vec<(String, PathBuf)> {
    let mut sources = vec![
        ("argus".to_string(), root.join("src")),
        ("argus-app".to_string(), root.join("src-tauri/src")),
    ];
    for entry in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name != "tidy" && entry.path().join("src").is_dir() {
            sources.push((format!("argus-{name}"), entry.path().join("src")));
        }
    }
    sources.sort();
    sources
}

#[test]
fn no_module_cycles() {
    let root = root();
    let mut violations = Vec::new();
    let mut files_read = 0;
    for (package, src) in crate_sources(&root) {
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        // src/bin/* are crate roots of their own; this code base has none.
        files.retain(|f| !f.strip_prefix(&src).unwrap().starts_with("bin"));
        files_read += files.len();
        let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
        // Edges between sibling modules, under their common parent, with one place that makes each.
        let mut edges: BTreeMap<Vec<String>, BTreeMap<(String, String), String>> = BTreeMap::new();
        for file in &files {
            let from = module_of(&src, file);
            let scanned = scan_rust(&std::fs::read_to_string(file).unwrap());
            for (line, path) in referenced_paths(&scanned.code, &from) {
                // The module a path names: its longest prefix that is a module of the crate.
                let to = (0..=path.len())
                    .rev()
                    .map(|n| path[..n].to_vec())
                    .find(|p| modules.contains(p))
                    .unwrap_or_default();
                let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
                if common == from.len() || common == to.len() {
                    continue; // the module itself, an ancestor or a descendant
                }
                let place = format!(
                    "{}:{line}",
                    file.strip_prefix(&root).unwrap_or(file).display()
                );
                edges
                    .entry(from[..common].to_vec())
                    .or_default()
                    .entry((from[common].clone(), to[common].clone()))
                    .or_insert(place);
            }
        }
        for (parent, pairs) in &edges {
            for cycle in cycles(pairs.keys().cloned().collect()) {
                let parent_name = if parent.is_empty() {
                    format!("{package} (crate root)")
                } else {
                    format!("{package}::{}", parent.join("::"))
                };
                let steps: Vec<String> = cycle
                    .windows(2)
                    .map(|w| {
                        let place = &pairs[&(w[0].clone(), w[1].clone())];
                        format!("{} → {} ({place})", w[0], w[1])
                    })
                    .collect();
                violations.push(format!(
                    "cycle between modules of {parent_name}: {}; move what both need into one of \
                     them or into a module below both",
                    steps.join(", ")
                ));
            }
        }
    }
    println!("module cycles: {files_read} files read");
    assert!(violations.is_empty(), "\n{}\n", violations.join("\n"));
}

/// One cycle (as a closed walk a → … → a) per strongly connected group of more than one node.
fn cycles(edges: Vec<(String, String)>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in &edges {
        next.entry(a).or_default().push(b);
    }
    let reaches = |from: &str, to: &str| -> Option<Vec<String>> {
        // Breadth-first path from → to.
        let mut prev: HashMap<&str, &str> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([from]);
        while let Some(at) = queue.pop_front() {
            for n in next.get(at).into_iter().flatten() {
                if !prev.contains_key(n) {
                    prev.insert(n, at);
                    if *n == to {
                        let mut walk = vec![to.to_string()];
                        let mut k = to;
                        loop {
                            k = prev[k];
                            walk.push(k.to_string());
                            if k == from {
                                break;
                            }
                        }
                        walk.reverse();
                        return Some(walk);
                    }
                    queue.push_back(n);
                }
            }
        }
        None
    };
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut found = Vec::new();
    for node in next.keys() {
        if seen.contains(*node) {
            continue;
        }
        if let Some(walk) = reaches(node, node) {
            seen.extend(walk.iter().cloned());
            found.push(walk);
        }
    }
    found
}

/// Whether a string literal's text (escapes as written) starts an SQL statement.
fn is_sql(text: &str) -> Option<&'static str> {
    let mut text = text;
    loop {
        let trimmed = text
            .trim_start()
            .trim_start_matches("\\n")
            .trim_start_matches("\\t")
            .trim_start_matches('\\');
        if trimmed.len() == text.len() {
            break;
        }
        text = trimmed;
    }
    SQL_KEYWORDS.iter().copied().find(|k| {
        text.strip_prefix(k)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_whitespace() || c == '\\'))
    })
}

#[test]
fn sql_only_in_the_catalogue() {
    let root = root();
    let catalog = root.join("crates/catalog");
    let tidy = root.join("crates/tidy");
    let mut files = Vec::new();
    for dir in ["src", "tests", "src-tauri", "crates"] {
        rust_files(&root.join(dir), &mut files);
    }
    files.retain(|f| !f.starts_with(&catalog) && !f.starts_with(&tidy));
    let mut violations = Vec::new();
    let mut literals = 0;
    for file in &files {
        let scanned = scan_rust(&std::fs::read_to_string(file).unwrap());
        literals += scanned.strings.len();
        for (line, text) in &scanned.strings {
            if let Some(keyword) = is_sql(text) {
                violations.push(format!(
                    "{}:{line}: an SQL statement ({keyword} …) outside the catalogue; add a method \
                     to argus-catalog and call it",
                    file.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    // No .sql files elsewhere.
    let mut sql_files = Vec::new();
    find_files(&root, "sql", &mut sql_files);
    for file in sql_files.iter().filter(|f| !f.starts_with(&catalog)) {
        violations.push(format!(
            "{}: an .sql file outside crates/catalog; migrations and queries belong to the catalogue",
            file.strip_prefix(&root).unwrap().display()
        ));
    }
    // No other package talks to a database (SQLite or PostgreSQL).
    let engine_line = |line: &str| {
        let line = line.trim_start();
        ENGINE_CRATES.iter().any(|c| {
            line.strip_prefix(c)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
    };
    let meta = metadata();
    for (name, (manifest, _)) in workspace_packages(&meta) {
        let text = std::fs::read_to_string(&manifest).unwrap();
        let uses_engine = text.lines().any(engine_line);
        if uses_engine && !ENGINES_ALLOWED.contains(&name.as_str()) && name != "argus" {
            violations.push(format!(
                "{}: {name} depends on a database engine's crate; SQL belongs to argus-catalog",
                manifest.display()
            ));
        }
        if name == "argus" {
            // The root manifest declares the workspace's engine versions for the catalogue; the CLI
            // itself must not depend on them.
            let own = text
                .split("\n[")
                .filter(|section| {
                    section.starts_with("dependencies") || section.starts_with("dev-dependencies")
                })
                .any(|section| section.lines().any(engine_line));
            if own {
                violations.push(format!(
                    "{}: the CLI depends on a database engine's crate; SQL belongs to argus-catalog",
                    manifest.display()
                ));
            }
        }
    }
    println!(
        "SQL: {} files and {literals} string literals read outside crates/catalog",
        files.len()
    );
    assert!(literals > 1000, "the scan found the code base's strings");
    assert!(violations.is_empty(), "\n{}\n", violations.join("\n"));
}

/// Every file with this extension under `dir`, skipping build output, dependencies and generated
/// files (`target`, `node_modules`, `.git`, Tauri's `gen`, the UI's `dist`).
fn find_files(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                "target" | "node_modules" | ".git" | "gen" | "dist"
            ) {
                find_files(&path, extension, out);
            }
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

#[test]
fn the_scanner_tells_code_from_literals() {
    let scanned = scan_rust(
        "let a = \"SELECT x\"; // \"DELETE y\"\nlet c = '\"'; fn f<'a>(x: &'a str) {}\n\
         let r = r#\"INSERT \"q\" \"#; /* \"DROP\" */ let p = \"\\' UNION SELECT id\";",
    );
    let texts: Vec<&str> = scanned.strings.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(texts, ["SELECT x", "INSERT \"q\" ", "\\' UNION SELECT id"]);
    assert_eq!(is_sql(texts[0]), Some("SELECT"));
    assert_eq!(is_sql(texts[1]), Some("INSERT"));
    assert_eq!(is_sql(texts[2]), None, "a payload that only contains SQL");
    assert!(scanned.code.contains("fn f<'a>(x: &'a str)"));
    let paths = referenced_paths(
        "use crate::{a::B, c::{d::E, F}};\nuse super::g::H;",
        &["x".to_string(), "y".to_string()],
    );
    let named: Vec<String> = paths.iter().map(|(_, p)| p.join("::")).collect();
    assert_eq!(named, ["a::B", "c::d::E", "c::F", "x::g::H"]);
    let found = cycles(vec![
        ("a".into(), "b".into()),
        ("b".into(), "a".into()),
        ("b".into(), "c".into()),
    ]);
    assert_eq!(found, [vec!["a", "b", "a"]]);
}
