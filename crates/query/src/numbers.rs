//! Number conditions of the query language (`age:20-30`, `rating:>=3`, `year:2020..2024`): the range
//! type and the parsing every numeric field shares.

use argus_core::query_error::{QueryError, Span};
use serde::Serialize;

/// A number condition: `min`/`max` bounds, each inclusive or not.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NumRange {
    pub min: Option<f64>,
    pub min_inclusive: bool,
    pub max: Option<f64>,
    pub max_inclusive: bool,
}

impl NumRange {
    pub(crate) fn exactly(v: f64) -> NumRange {
        NumRange {
            min: Some(v),
            min_inclusive: true,
            max: Some(v),
            max_inclusive: true,
        }
    }

    /// Whether `v` satisfies the condition.
    pub fn contains(&self, v: f64) -> bool {
        let above = self
            .min
            .is_none_or(|m| if self.min_inclusive { v >= m } else { v > m });
        let below = self
            .max
            .is_none_or(|m| if self.max_inclusive { v <= m } else { v < m });
        above && below
    }
}

pub(crate) fn comparison(op: &str, v: f64) -> NumRange {
    let (min, max) = match op.as_bytes()[0] {
        b'>' => (Some(v), None),
        _ => (None, Some(v)),
    };
    let inclusive = op.ends_with('=');
    NumRange {
        min,
        min_inclusive: inclusive,
        max,
        max_inclusive: inclusive,
    }
}

/// `30`, `20-30`, `20..30`, `..30`, `>60`, `>=2`, `<5`.
pub(crate) fn number_range(value: &str, span: Span, example: &str) -> Result<NumRange, QueryError> {
    let bad = || {
        QueryError::new(format!("'{value}' is not a number or a range"), span)
            .with_hint(format!("write {example}"))
    };
    let number = |s: &str| -> Result<Option<f64>, QueryError> {
        if s.is_empty() {
            Ok(None)
        } else {
            s.parse::<f64>().map(Some).map_err(|_| bad())
        }
    };
    for op in [">=", "<=", ">", "<"] {
        if let Some(rest) = value.strip_prefix(op) {
            return Ok(comparison(op, number(rest)?.ok_or_else(bad)?));
        }
    }
    // `a..b`, or `a-b` with the dash after the first character (a leading minus is a sign).
    let split = value.split_once("..").or_else(|| {
        value
            .get(1..)
            .and_then(|v| v.split_once('-'))
            .map(|(a, b)| (&value[..a.len() + 1], b))
    });
    match split {
        Some((a, b)) => {
            let (min, max) = (number(a)?, number(b)?);
            if min.is_none() && max.is_none() {
                return Err(bad());
            }
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    return Err(
                        QueryError::new(format!("the range {value} is backwards"), span)
                            .with_hint(format!("write {b}..{a}")),
                    );
                }
            }
            Ok(NumRange {
                min,
                min_inclusive: true,
                max,
                max_inclusive: true,
            })
        }
        None => Ok(NumRange::exactly(number(value)?.ok_or_else(bad)?)),
    }
}
