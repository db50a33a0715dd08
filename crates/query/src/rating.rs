//! `rating:` values: the stars other tools wrote into a photo's XMP (`xmp:Rating`), 1 to 5, or -1 for
//! rejected. A photo without a rating never matches a rating term.
//!
//! `rating:4` is exactly 4 stars; `rating:>=3`, `rating:>3`, `rating:<=2`, `rating:<2` compare
//! stars; `rating:2-4` (or `2..4`) is a range, both ends included; `rating:rejected` is `rating:-1`.
//! Rejected is not "fewer stars": an open lower bound starts at 1 star, so `rating:<3` is 1 or 2
//! stars; rejected photos are found by naming -1 (`rating:rejected`, `rating:-1..2`, `rating:<1`).

use crate::numbers::{comparison, number_range, NumRange};
use argus_core::query_error::{QueryError, Span};

/// The rating of a rejected photo.
pub const REJECTED: i64 = -1;
/// The word for a rejected photo in `rating:`.
pub const REJECTED_WORD: &str = "rejected";
/// The most stars.
pub const MAX_STARS: i64 = 5;

const EXAMPLES: &str = "rating:4, rating:>=3, rating:2-4 or rating:rejected";

/// A `rating:` field value.
pub(crate) fn rating_value(value: &str, span: Span) -> Result<NumRange, QueryError> {
    if value.eq_ignore_ascii_case(REJECTED_WORD) {
        return Ok(NumRange::exactly(REJECTED as f64));
    }
    checked(number_range(value, span, EXAMPLES)?, value, span)
}

/// `rating>=3` (a comparison written without the colon).
pub(crate) fn rating_comparison(
    op: &str,
    number: &str,
    value: f64,
    span: Span,
) -> Result<NumRange, QueryError> {
    checked(comparison(op, value), number, span)
}

/// Checks the bounds (whole numbers from -1 to 5; an exact value is never 0) and starts an open
/// lower bound at 1 star (or at rejected, when the upper bound is below 1 star).
fn checked(mut range: NumRange, written: &str, span: Span) -> Result<NumRange, QueryError> {
    for bound in [range.min, range.max].into_iter().flatten() {
        if bound.fract() != 0.0 || !(REJECTED as f64..=MAX_STARS as f64).contains(&bound) {
            return Err(QueryError::new(
                format!("a rating is 1 to {MAX_STARS} stars or -1 (rejected), not {written}"),
                span,
            )
            .with_hint(format!("write {EXAMPLES}")));
        }
    }
    if range.min == Some(0.0) && range.max == Some(0.0) {
        return Err(QueryError::new("0 stars is no rating", span)
            .with_hint("photos without a rating: -rating:>=-1; the lowest rating is rating:1"));
    }
    if range.min.is_none() {
        let below_one_star = range
            .max
            .is_some_and(|max| max < 1.0 || (max == 1.0 && !range.max_inclusive));
        range.min = Some(if below_one_star { REJECTED as f64 } else { 1.0 });
        range.min_inclusive = true;
    }
    Ok(range)
}

/// The facet value of a stored rating (`5` … `1`, `rejected`) and the term that finds it; None for a
/// value that is no rating (a file may hold anything).
pub fn rating_facet_value(rating: i64) -> Option<(String, String)> {
    match rating {
        REJECTED => Some((REJECTED_WORD.into(), format!("rating:{REJECTED_WORD}"))),
        1..=MAX_STARS => Some((rating.to_string(), format!("rating:{rating}"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Expr, Term, TermKind};

    fn range(q: &str) -> NumRange {
        match parse(q).unwrap_or_else(|e| panic!("{q}: {e}")) {
            Expr::Term(Term {
                kind: TermKind::Rating { range },
                ..
            }) => range,
            other => panic!("{q}: {other:?}"),
        }
    }

    /// The ratings -1, 1..5 a term matches.
    fn matched(q: &str) -> Vec<i64> {
        let r = range(q);
        [-1, 1, 2, 3, 4, 5]
            .into_iter()
            .filter(|v| r.contains(*v as f64))
            .collect()
    }

    #[test]
    fn exact_compared_ranged_and_rejected() {
        assert_eq!(matched("rating:4"), [4]);
        assert_eq!(matched("rating:>=3"), [3, 4, 5]);
        assert_eq!(matched("rating:>3"), [4, 5]);
        assert_eq!(matched("rating>3"), [4, 5]);
        assert_eq!(matched("rating:2-4"), [2, 3, 4]);
        assert_eq!(matched("rating:2..4"), [2, 3, 4]);
        assert_eq!(matched("rating:rejected"), [-1]);
        assert_eq!(matched("rating:REJECTED"), [-1]);
        assert_eq!(matched("rating:-1"), [-1]);
        assert_eq!(matched("rating:>=-1"), [-1, 1, 2, 3, 4, 5]);
        assert_eq!(matched("rating:-1..2"), [-1, 1, 2]);
        assert_eq!(matched("rating:-1-2"), [-1, 1, 2]);
    }

    #[test]
    fn fewer_stars_are_stars_not_rejected() {
        assert_eq!(matched("rating:<3"), [1, 2]);
        assert_eq!(matched("rating:<=2"), [1, 2]);
        assert_eq!(matched("rating<=2"), [1, 2]);
        assert_eq!(matched("rating:..2"), [1, 2]);
        assert_eq!(matched("rating:<1"), [-1]);
        assert_eq!(matched("rating:<=0"), [-1]);
        assert_eq!(matched("rating:>0"), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn bad_ratings_say_what_and_where() {
        let error = |q: &str| parse(q).unwrap_err().to_string();
        assert_eq!(
            error("beach rating:9"),
            "a rating is 1 to 5 stars or -1 (rejected), not 9 at 1:14 — write rating:4, \
             rating:>=3, rating:2-4 or rating:rejected"
        );
        assert_eq!(
            error("rating:abc"),
            "'abc' is not a number or a range at 1:8 — write rating:4, rating:>=3, rating:2-4 or \
             rating:rejected"
        );
        assert!(error("rating:2.5").starts_with("a rating is 1 to 5 stars"));
        assert!(error("rating:>7").starts_with("a rating is 1 to 5 stars"));
        assert!(error("rating>9")
            .starts_with("a rating is 1 to 5 stars or -1 (rejected), not 9 at 1:8"));
        assert!(error("rating:0").starts_with("0 stars is no rating at 1:8"));
        assert!(error("rating:4-2").contains("backwards"));
        assert!(error("rating:").starts_with("rating: needs a value"));
        assert!(error("ratng:3").ends_with("did you mean rating?"));
    }

    #[test]
    fn facet_values_refine_to_themselves() {
        for rating in [-1, 1, 2, 3, 4, 5] {
            let (_, refine) = rating_facet_value(rating).unwrap();
            assert_eq!(matched(&refine), [rating], "{refine}");
        }
        assert_eq!(rating_facet_value(0), None);
        assert_eq!(rating_facet_value(7), None);
    }
}
