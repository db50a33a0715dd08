//! Photos by keyword, arranged so that `keyword:` is a lookup and the keyword facet one pass: the
//! rule of [`keyword_matches`] worked out ahead for every term that can match a stored keyword.
//!
//! A one-level term matches a keyword that has the term as any level, so the photos of each level
//! (lower case) are kept; a longer term matches a keyword that starts with its levels, so the photos
//! of each prefix of two levels or more (lower case, joined by `/`) are kept. Each key remembers the
//! spelling it was first seen with, for the facet.

use std::collections::{HashMap, HashSet};

use roaring::RoaringBitmap;
use serde::{Deserialize, Serialize};

use argus_core::metadata::{keyword_levels, KEYWORD_SEPARATOR};
#[cfg(doc)]
use argus_query::meaning::keyword_matches;

/// Photos per level and per path prefix of their keywords.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct KeywordIndex {
    /// A level (lower case) → photos with a keyword having that level anywhere.
    by_level: HashMap<String, Spelled>,
    /// Levels (lower case) of two or more, joined → photos with a keyword starting with them.
    by_prefix: HashMap<String, Spelled>,
    /// Top levels and path prefixes (keys of the maps above) in the order first seen: the values
    /// of the keyword facet.
    facet_keys: Vec<FacetKey>,
    top_levels: HashSet<String>,
}

/// Photos and the spelling first seen.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Spelled {
    pub spelling: String,
    pub photos: RoaringBitmap,
}

/// A value of the keyword facet: a top level (matched as one level) or a prefix of a path.
#[derive(Debug, Serialize, Deserialize)]
enum FacetKey {
    Level(String),
    Prefix(String),
}

/// Lower-case levels as [`keyword_matches`] compares them.
fn folded_levels(keyword: &str) -> Vec<String> {
    keyword_levels(keyword).map(str::to_lowercase).collect()
}

/// Adds `photo` under `key`; whether the key is new.
fn add(map: &mut HashMap<String, Spelled>, key: &str, spelling: &str, photo: u32) -> bool {
    if let Some(entry) = map.get_mut(key) {
        entry.photos.insert(photo);
        return false;
    }
    let mut photos = RoaringBitmap::new();
    photos.insert(photo);
    map.insert(
        key.to_string(),
        Spelled {
            spelling: spelling.to_string(),
            photos,
        },
    );
    true
}

impl KeywordIndex {
    /// Adds a stored keyword of photo number `photo`.
    pub fn add(&mut self, keyword: &str, photo: u32) {
        let spelled: Vec<&str> = keyword_levels(keyword).collect();
        let folded = folded_levels(keyword);
        let separator = KEYWORD_SEPARATOR.to_string();
        for (level, spelling) in folded.iter().zip(&spelled) {
            add(&mut self.by_level, level, spelling, photo);
        }
        if let Some(top) = folded.first() {
            if self.top_levels.insert(top.clone()) {
                self.facet_keys.push(FacetKey::Level(top.clone()));
            }
        }
        for end in 2..=folded.len() {
            let key = folded[..end].join(&separator);
            let spelling = spelled[..end].join(&separator);
            if add(&mut self.by_prefix, &key, &spelling, photo) {
                self.facet_keys.push(FacetKey::Prefix(key));
            }
        }
    }

    /// The photos with a keyword `term` matches.
    pub fn photos(&self, term: &str) -> Option<&RoaringBitmap> {
        let levels = folded_levels(term);
        let entry = match levels.len() {
            0 => None,
            1 => self.by_level.get(&levels[0]),
            _ => self
                .by_prefix
                .get(&levels.join(&KEYWORD_SEPARATOR.to_string())),
        };
        entry.map(|e| &e.photos)
    }

    /// The keyword facet's values: every top level and every longer prefix of a stored keyword
    /// (`People`, `People/Family`, `People/Family/Ana`), each with its photos. A value's photos are
    /// exactly what `keyword:"value"` finds, and a parent's include its children's.
    pub fn facet_values(&self) -> impl Iterator<Item = &Spelled> {
        self.facet_keys.iter().filter_map(|key| match key {
            FacetKey::Level(k) => self.by_level.get(k),
            FacetKey::Prefix(k) => self.by_prefix.get(k),
        })
    }

    /// Photo numbers mapped through `map` (see `numbering::renumbered`); levels and prefixes left with
    /// no photo go.
    pub fn renumber(&mut self, map: &[u32]) {
        for entries in [&mut self.by_level, &mut self.by_prefix] {
            for entry in entries.values_mut() {
                entry.photos = crate::numbering::renumbered(&entry.photos, map);
            }
            entries.retain(|_, entry| !entry.photos.is_empty());
        }
        let (by_level, by_prefix) = (&self.by_level, &self.by_prefix);
        self.facet_keys.retain(|key| match key {
            FacetKey::Level(k) => by_level.contains_key(k),
            FacetKey::Prefix(k) => by_prefix.contains_key(k),
        });
        self.top_levels.retain(|k| by_level.contains_key(k));
    }

    /// Every level and path prefix spelled as first seen (what a word may have meant).
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        self.by_level
            .values()
            .chain(self.by_prefix.values())
            .map(|s| s.spelling.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argus_query::meaning::keyword_matches;

    const STORED: &[&str] = &[
        "People/Family/Ana",
        "people/friends/Ben",
        "Ana",
        "Places/Lisbon",
        " Events / Wedding /Ana ",
        "Café",
        "CAFÉ/Menu",
        "Holiday",
        "a//b",
    ];

    fn index() -> KeywordIndex {
        let mut index = KeywordIndex::default();
        for (photo, keyword) in STORED.iter().enumerate() {
            index.add(keyword, photo as u32);
        }
        index
    }

    /// What `term` finds by the rule itself.
    fn by_rule(term: &str) -> Vec<u32> {
        (0..STORED.len() as u32)
            .filter(|&p| keyword_matches(STORED[p as usize], term))
            .collect()
    }

    #[test]
    fn lookups_find_what_the_rule_finds() {
        let index = index();
        let mut terms: Vec<String> = [
            "ana",
            "ANA",
            "people",
            "People/Family",
            "people/family/ana",
            "family",
            "family/ana",
            "people/friends",
            "events/wedding",
            "Events / Wedding / Ana",
            "café",
            "Café/menu",
            "menu",
            "a/b",
            "a",
            "b",
            "nothing",
            "/",
            "",
            "people/family/ana/more",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        terms.extend(STORED.iter().map(|s| s.to_string()));
        for term in terms {
            let found: Vec<u32> = index
                .photos(&term)
                .map(|b| b.iter().collect())
                .unwrap_or_default();
            assert_eq!(found, by_rule(&term), "{term:?}");
        }
    }

    #[test]
    fn facet_values_are_top_levels_and_prefixes_spelled_as_first_seen() {
        let index = index();
        let values: Vec<(&str, u64)> = index
            .facet_values()
            .map(|v| (v.spelling.as_str(), v.photos.len()))
            .collect();
        assert_eq!(
            values,
            [
                ("People", 2),
                ("People/Family", 1),
                ("People/Family/Ana", 1),
                ("people/friends", 1),
                ("people/friends/Ben", 1),
                ("Ana", 3),
                ("Places", 1),
                ("Places/Lisbon", 1),
                ("Events", 1),
                ("Events/Wedding", 1),
                ("Events/Wedding/Ana", 1),
                ("Café", 2),
                ("CAFÉ/Menu", 1),
                ("Holiday", 1),
                ("a", 1),
                ("a/b", 1),
            ]
        );
        for value in index.facet_values() {
            let rule: Vec<u32> = by_rule(&value.spelling);
            assert_eq!(value.photos.iter().collect::<Vec<_>>(), rule);
        }
    }
}
