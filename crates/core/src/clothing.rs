//! What a person wears, named from EfficientNet-Lite0's ImageNet classes on crops of their body (the
//! upper and the lower body, [`body_part`]): each name scores the summed probability of its classes
//! in its part's view (as the scene labels do). Written once: the analysis scores these names, the
//! catalogue stores them per body, `wearing:` and the facet read them.

/// A clothing name and the ImageNet classes (clean names, as in `models/imagenet-vocabulary.tsv`)
/// whose probabilities it sums.
#[rustfmt::skip]
pub const CLOTHING: &[(&str, &[&str])] = &[
    ("suit", &["suit"]),
    ("tie", &["Windsor tie", "bow tie"]),
    ("t-shirt", &["T-shirt"]),
    ("sweatshirt", &["sweatshirt"]),
    ("cardigan", &["cardigan"]),
    ("coat", &["trench coat", "fur coat", "cloak", "poncho"]),
    ("lab coat", &["lab coat"]),
    ("jeans", &["jeans"]),
    ("dress", &["gown", "overskirt", "hoop skirt", "miniskirt", "sarong"]),
    ("swimwear", &["bikini", "one-piece bathing suit", "swim trunks / shorts"]),
    ("uniform", &["military uniform"]),
    ("apron", &["apron"]),
    ("scarf", &["stole scarf"]),
    ("kimono", &["kimono"]),
    ("abaya", &["abaya"]),
];

/// Where on a body a piece of clothing is looked for: the network sees the upper body and the lower
/// body apart (a whole small body is mostly background and legs to it, and jeans were never named
/// on one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyPart {
    /// The top 60 % of the body box: jackets, shirts, ties, scarves.
    Upper,
    /// The bottom 55 %: trousers, skirts and dresses, swimwear.
    Lower,
    /// Either (the better of the two views): garments that cover the whole body.
    Whole,
}

/// The clothing names looked for on the lower body.
const LOWER_BODY: &[&str] = &["jeans", "dress", "swimwear"];
/// The clothing names looked for on either view.
const WHOLE_BODY: &[&str] = &["lab coat", "apron", "kimono", "abaya"];

/// Where a clothing name (as [`CLOTHING`] spells it) is looked for.
pub fn body_part(name: &str) -> BodyPart {
    if LOWER_BODY.contains(&name) {
        BodyPart::Lower
    } else if WHOLE_BODY.contains(&name) {
        BodyPart::Whole
    } else {
        BodyPart::Upper
    }
}

/// Scores below this are not stored (so the threshold below can move without analysing again).
pub const WEARING_STORED_SCORE: f32 = 0.02;

/// The score from which a person wears a piece of clothing (shown, searched, counted): chosen on the
/// hand-labelled persons set (see README, *People as a whole*: from the two body views, 0.15 keeps
/// the precision 0.2 had from one view and finds more) and portraits (a suit on the sample
/// library's half-length portraits scores 0.30–0.47).
pub const WEARING_MIN_SCORE: f32 = 0.15;

/// Other words for a clothing name (the network does not tell a skirt from a dress).
pub const CLOTHING_SYNONYMS: &[(&str, &str)] = &[
    ("skirt", "dress"),
    ("gown", "dress"),
    ("hoodie", "sweatshirt"),
    ("blazer", "suit"),
    ("bikini", "swimwear"),
    ("necktie", "tie"),
];

/// The clothing name a search term names (any case, or a synonym), as [`CLOTHING`] spells it.
pub fn clothing_name(term: &str) -> Option<&'static str> {
    let term = term.trim();
    CLOTHING
        .iter()
        .map(|(name, _)| *name)
        .find(|name| name.eq_ignore_ascii_case(term))
        .or_else(|| {
            CLOTHING_SYNONYMS
                .iter()
                .find(|(word, _)| word.eq_ignore_ascii_case(term))
                .map(|(_, name)| *name)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_is_an_imagenet_class_and_names_are_found_in_any_case() {
        let classes = crate::imagenet::classes();
        for (name, members) in CLOTHING {
            for m in *members {
                assert!(classes.iter().any(|c| c.name == *m), "{name}: {m}");
            }
        }
        assert_eq!(clothing_name("Suit"), Some("suit"));
        assert_eq!(clothing_name("LAB COAT"), Some("lab coat"));
        assert_eq!(clothing_name("tuxedo"), None);
        assert_eq!(clothing_name("Skirt"), Some("dress"));
        for (word, name) in CLOTHING_SYNONYMS {
            assert!(CLOTHING.iter().any(|(n, _)| n == name), "{word} → {name}");
        }
    }

    #[test]
    fn every_body_part_list_names_clothing() {
        for name in LOWER_BODY.iter().chain(WHOLE_BODY) {
            assert!(CLOTHING.iter().any(|(n, _)| n == name), "{name}");
        }
        assert_eq!(body_part("suit"), BodyPart::Upper);
        assert_eq!(body_part("jeans"), BodyPart::Lower);
        assert_eq!(body_part("kimono"), BodyPart::Whole);
    }
}
