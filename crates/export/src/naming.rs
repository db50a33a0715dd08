//! Output file names from a template such as `{stem}_{aspect}_{w}.{ext}`, made safe: whatever the
//! template or the source names say, the result is a relative path that stays inside the export
//! folder. `/` in the template makes sub-folders; values never do.

use std::path::{Component, Path, PathBuf};

/// The default template.
pub const DEFAULT_TEMPLATE: &str = "{stem}_{aspect}_{w}.{ext}";

/// The placeholders a template may use.
pub const PLACEHOLDERS: &[&str] = &["stem", "id", "aspect", "w", "h", "ext", "person"];

/// Longest value put into a name, in bytes (file systems allow 255 per component).
const MAX_VALUE: usize = 120;

/// A checked template.
#[derive(Debug, Clone)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Value(String),
}

/// The values of one crop's name.
#[derive(Debug, Clone, Default)]
pub struct NameValues<'a> {
    pub stem: &'a str,
    pub id: i64,
    /// `16x9` (a colon is not allowed in file names everywhere).
    pub aspect: String,
    pub w: u32,
    pub h: u32,
    pub ext: &'a str,
    /// The person's name (or `unnamed`), for person exports.
    pub person: &'a str,
}

impl Template {
    /// Checks a template: known placeholders, balanced braces, a relative path with no `..`.
    pub fn parse(template: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find(['{', '}']) {
            if rest[open..].starts_with('}') {
                return Err(format!("template '{template}': '}}' without '{{'"));
            }
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("template '{template}': '{{' is never closed"))?;
            let name = &rest[open + 1..open + close];
            if !PLACEHOLDERS.contains(&name) {
                return Err(format!(
                    "template '{template}': unknown placeholder {{{name}}} (use {})",
                    PLACEHOLDERS
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            parts.push(Part::Value(name.to_string()));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        let literal: String = parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.as_str(),
                Part::Value(_) => "x",
            })
            .collect();
        if literal.starts_with('/') || literal.starts_with('\\') || literal.contains(':') {
            return Err(format!(
                "template '{template}' must be a relative name inside the export folder"
            ));
        }
        if literal
            .split(['/', '\\'])
            .any(|c| c.is_empty() || c == "." || c == "..")
        {
            return Err(format!(
                "template '{template}': empty, '.' and '..' folder names are not allowed"
            ));
        }
        if !parts.iter().any(|p| matches!(p, Part::Value(_))) {
            return Err(format!(
                "template '{template}' has no placeholder: every crop would get the same name"
            ));
        }
        Ok(Template { parts })
    }

    /// Whether the template uses a placeholder.
    pub fn uses(&self, name: &str) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Value(v) if v == name))
    }

    /// The relative output path for `values`: each value made safe for a file name, the result
    /// checked again so that it can only name a file below the export folder.
    pub fn render(&self, values: &NameValues) -> Result<PathBuf, String> {
        let text: String = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Value(name) => safe_value(&match name.as_str() {
                    "stem" => values.stem.to_string(),
                    "id" => values.id.to_string(),
                    "aspect" => values.aspect.clone(),
                    "w" => values.w.to_string(),
                    "h" => values.h.to_string(),
                    "ext" => values.ext.to_string(),
                    _ => values.person.to_string(),
                }),
            })
            .collect();
        let path: PathBuf = text.split('/').collect();
        let relative = path.components().all(|c| matches!(c, Component::Normal(_)));
        if !relative || path.as_os_str().is_empty() {
            return Err(format!("'{text}' is not a name inside the export folder"));
        }
        Ok(path)
    }
}

/// A value fit for one file-name component: no separators, control or reserved characters, not
/// only dots, not hidden, not too long.
pub fn safe_value(value: &str) -> String {
    let mut out: String = value
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    if out.trim().is_empty() {
        out = "_".into();
    }
    if out.len() > MAX_VALUE {
        let mut end = MAX_VALUE;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}

/// Joins `relative` to the export folder `out`, creating the folders between, and makes sure the
/// file's folder really is inside `out` (a symbolic link inside `out` may not lead out of it).
pub fn place_inside(out: &Path, relative: &Path) -> Result<PathBuf, String> {
    let target = out.join(relative);
    let parent = target.parent().unwrap_or(out);
    std::fs::create_dir_all(parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let real_out = out
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", out.display()))?;
    let real_parent = parent
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", parent.display()))?;
    if !real_parent.starts_with(&real_out) {
        return Err(format!(
            "{} leads outside the export folder (through a symbolic link)",
            relative.display()
        ));
    }
    let name = target
        .file_name()
        .ok_or_else(|| format!("{} has no file name", relative.display()))?;
    let file = real_parent.join(name);
    if file.is_symlink() {
        return Err(format!(
            "{} is a symbolic link; Argus does not write through it",
            relative.display()
        ));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(stem: &str) -> NameValues<'_> {
        NameValues {
            stem,
            id: 7,
            aspect: "16x9".into(),
            w: 1024,
            h: 576,
            ext: "jpg",
            person: "Ana",
        }
    }

    #[test]
    fn the_default_template() {
        let t = Template::parse(DEFAULT_TEMPLATE).unwrap();
        assert_eq!(
            t.render(&values("IMG_001")).unwrap(),
            PathBuf::from("IMG_001_16x9_1024.jpg")
        );
        let folders = Template::parse("{person}/{aspect}/{stem}-{id}.{ext}").unwrap();
        assert_eq!(
            folders.render(&values("a")).unwrap(),
            PathBuf::from("Ana/16x9/a-7.jpg")
        );
    }

    #[test]
    fn bad_templates_are_refused() {
        for bad in [
            "/etc/{stem}",
            "../{stem}",
            "a/../../{stem}",
            "{stem}/./x",
            "a//{stem}",
            "C:{stem}",
            "{nope}",
            "{stem",
            "stem}",
            "fixed.jpg",
            "\\\\server\\{stem}",
        ] {
            assert!(Template::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn values_cannot_make_folders_or_climb() {
        let t = Template::parse("{stem}/{aspect}.{ext}").unwrap();
        for stem in [
            "..",
            ".",
            "../../etc/passwd",
            "a/b",
            "a\\..\\b",
            "",
            "\u{0}x",
            ".bashrc",
        ] {
            let path = t.render(&values(stem)).unwrap();
            assert_eq!(path.components().count(), 2, "{stem:?} → {path:?}");
            assert!(path.components().all(
                |c| matches!(c, Component::Normal(n) if !n.to_string_lossy().starts_with('.'))
            ));
        }
        assert_eq!(safe_value(&"é".repeat(100)).len(), MAX_VALUE);
    }
}
