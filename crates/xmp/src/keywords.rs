//! Keywords from several fields into one list: hierarchical ones as `/`-joined paths, flat ones kept
//! only when they are not already a level of a hierarchical one (Lightroom writes every level of
//! `People|Family|Ana` into `dc:subject` as well), without duplicates (case-insensitive).

use argus_core::metadata::{keyword_levels, KEYWORD_SEPARATOR, MAX_KEYWORDS};

/// A keyword path from its levels (trimmed, empty levels dropped).
pub fn from_levels<'a>(levels: impl Iterator<Item = &'a str>) -> String {
    let sep = KEYWORD_SEPARATOR.to_string();
    levels
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.replace(KEYWORD_SEPARATOR, " "))
        .collect::<Vec<_>>()
        .join(&sep)
}

/// Hierarchical paths first, then flat keywords that are no level of them; duplicates dropped.
pub fn combine(hierarchical: &[String], flat: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut levels = std::collections::HashSet::new();
    for path in hierarchical {
        if path.is_empty() {
            continue;
        }
        levels.extend(keyword_levels(path).map(str::to_lowercase));
        if seen.insert(path.to_lowercase()) {
            out.push(crate::limit_text(path));
        }
    }
    for keyword in flat {
        let keyword = keyword.trim();
        let key = keyword.to_lowercase();
        if keyword.is_empty() || levels.contains(&key) {
            continue;
        }
        if seen.insert(key) {
            out.push(crate::limit_text(keyword));
        }
    }
    out.truncate(MAX_KEYWORDS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_levels_of_a_path_are_not_repeated() {
        let h = vec![
            "People/Family/Ana".to_string(),
            "people/family/ana".to_string(),
        ];
        let f = vec![
            "Ana".into(),
            "People".into(),
            "beach".into(),
            "Beach".into(),
            " ".into(),
        ];
        assert_eq!(combine(&h, &f), ["People/Family/Ana", "beach"]);
    }

    #[test]
    fn levels_are_trimmed_and_joined() {
        assert_eq!(from_levels(" People | Ana ".split('|')), "People/Ana");
        assert_eq!(from_levels("A||B".split('|')), "A/B");
        assert_eq!(from_levels(["AC/DC"].into_iter()), "AC DC");
    }
}
