//! The query language: tokens → a syntax tree with every term typed and checked.
//!
//! ```text
//! query   = or
//! or      = and { "or" and }
//! and     = unary { ["and"] unary }          juxtaposition means and
//! unary   = ("not" | "-") unary | primary
//! primary = "(" or ")" | "any:(" or ")" | term
//! term    = word | "phrase" | field ":" value | attribute (">" | ">=" | "<" | "<=") number
//! ```
//!
//! `not` binds tightest, then `and`, then `or`. A field value may list alternatives with `|`
//! (`label:cat|dog`). Face attributes (`beard`, `sunglasses>0.8`, hair and accessories: `bald`,
//! `blond` or `hair:blond`, `bangs`, `earrings`, `necktie` …) and `person:`, `age:`, `emotion:` are
//! about one face: `beard and sunglasses` means one face has both. `carrying:` (what a person
//! carries: `carrying:bag`) and `wearing:` (`wearing:suit`) are about one person, and brings the face terms beside it with it:
//! `age:20-30 carrying:bag` means one person aged 20–30 carries a bag (a person is a face with the
//! body it heads, or a body whose face is not seen). `any:( … )` lets each of them be a different
//! face or person of the photo.
//!
//! What other tools wrote into a photo's XMP is searched with `keyword:` (or its synonym `tag:`:
//! `keyword:Ana`, `tag:"People/Family"`, matched by [`keyword_matches`]), `rating:` (see
//! [`crate::rating`]), `title:` and `caption:` (text anywhere in them, ignoring case).

use serde::Serialize;

use crate::lexer::{tokenize, Spanned, Token};
pub use crate::numbers::NumRange;
use crate::numbers::{comparison, number_range};
use crate::rating::{rating_comparison, rating_value};
use argus_core::clothing::{clothing_name, CLOTHING};
use argus_core::metadata::keyword_levels;
#[cfg(doc)]
use argus_core::metadata::keyword_matches;
use argus_core::objects::{is_object_name, COCO_CLASSES, OBJECT_GROUPS};
use argus_core::persons::{carried_classes, CARRIED_CLASSES};
use argus_core::query_error::{did_you_mean, QueryError, Span};

use argus_core::vocabulary::{attribute_named, ATTRIBUTE_SYNONYMS, HAIR_VALUES};
pub use argus_core::vocabulary::{ATTRIBUTES, EMOTIONS};

/// Fields a term can name.
pub const FIELDS: &[&str] = &[
    "person", "label", "keyword", "tag", "rating", "title", "caption", "camera", "lens", "year",
    "date", "age", "faces", "emotion", "unsafe", "text", "path", "format", "near", "any", "object",
    "persons", "hair", "carrying", "wearing", "similar",
];

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", content = "of", rename_all = "snake_case")]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `any:( … )`: the face terms inside may each be met by a different face.
    AnyFace(Box<Expr>),
    Term(Term),
}

/// One condition and where it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub kind: TermKind,
    pub span: Span,
}

/// What a term asks for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TermKind {
    /// A bare word or phrase: a label, a person's name, a keyword (as `keyword:` matches it), text
    /// in the image, in the title or caption, or in the file name.
    Word {
        text: String,
    },
    /// A face attribute; `threshold` None means the attribute's calibrated default.
    Attribute {
        name: String,
        above: bool,
        threshold: Option<f32>,
    },
    /// A person by name, or by catalogue id as `#12` (unnamed people).
    Person {
        name: String,
    },
    Label {
        name: String,
    },
    /// `object:`: an object class or a group of classes (`bag`), as
    /// [`argus_core::objects::object_classes`] names them; lower case.
    Object {
        name: String,
    },
    /// `carrying:`: a person carries or wears an object of this class or group (`bag`), one of
    /// [`argus_core::persons::CARRIED_CLASSES`]; lower case.
    Carrying {
        name: String,
    },
    /// `wearing:`: a person wears this piece of clothing, one of
    /// [`argus_core::clothing::CLOTHING`]'s names.
    Wearing {
        name: String,
    },
    /// How many people's bodies (objects of class `person`) the photo shows.
    Persons {
        range: NumRange,
    },
    /// `keyword:` or `tag:`: a keyword path or one level of it, as [`keyword_matches`] matches them.
    Keyword {
        path: String,
    },
    /// Rated (stars 1..=5, -1 rejected) within the range; see [`crate::rating`].
    Rating {
        range: NumRange,
    },
    /// Text anywhere in the title, ignoring case.
    Title {
        text: String,
    },
    /// Text anywhere in the caption, ignoring case.
    Caption {
        text: String,
    },
    Camera {
        name: String,
    },
    Lens {
        name: String,
    },
    Text {
        text: String,
    },
    Path {
        text: String,
    },
    Format {
        name: String,
    },
    Emotion {
        name: String,
    },
    /// Taken in these years.
    Year {
        range: NumRange,
    },
    /// Taken on `from` (inclusive) to `until` (exclusive), ISO dates `YYYY-MM-DD`.
    Date {
        from: Option<String>,
        until: Option<String>,
    },
    Age {
        range: NumRange,
    },
    Faces {
        range: NumRange,
    },
    Unsafe {
        unsafe_: bool,
    },
    /// Within `radius_km` of a point (photos with GPS).
    Near {
        lat: f64,
        lon: f64,
        radius_km: f64,
    },
    /// `similar:`: looks like the photo named (at least [`crate::meaning::SIMILAR_MIN`] alike by
    /// their image descriptors), the photo itself not included.
    Similar {
        to: PhotoRef,
    },
}

/// A photo a query names: `similar:42` by catalogue id, `similar:"2024/IMG_1.jpg"` by its path or
/// the end of it (whole folder names: `IMG_1.jpg` names every photo of that file name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoRef {
    Id(i64),
    Path(String),
}

impl PhotoRef {
    /// Whether a photo with this id and path is the one named.
    pub fn names(&self, id: i64, path: &str) -> bool {
        match self {
            PhotoRef::Id(want) => *want == id,
            PhotoRef::Path(tail) => {
                path == tail
                    || path
                        .strip_suffix(tail.as_str())
                        .is_some_and(|head| head.ends_with('/'))
            }
        }
    }
}

impl TermKind {
    /// Whether the term is about one face (and so shares a face with its `and` siblings).
    pub fn is_face_level(&self) -> bool {
        matches!(
            self,
            TermKind::Attribute { .. }
                | TermKind::Person { .. }
                | TermKind::Age { .. }
                | TermKind::Emotion { .. }
        )
    }

    /// Whether the term is about one person and not only their face (it shares a person with its
    /// `and` siblings, face terms included).
    pub fn is_person_level(&self) -> bool {
        matches!(self, TermKind::Carrying { .. } | TermKind::Wearing { .. })
    }
}

/// Parses a query. An empty query is an error: callers that list everything say so themselves.
pub fn parse(query: &str) -> Result<Expr, QueryError> {
    parse_tokens(query).map_err(|e| e.locate(query))
}

fn parse_tokens(query: &str) -> Result<Expr, QueryError> {
    let tokens = tokenize(query)?;
    if tokens.is_empty() {
        return Err(
            QueryError::new("the query is empty", Span::new(0, query.len()))
                .with_hint("type a word, or a field such as person:Ana or year:2024"),
        );
    }
    let mut parser = Parser {
        tokens,
        at: 0,
        end: query.len(),
    };
    let expr = parser.or()?;
    if let Some(t) = parser.peek() {
        let message = if t.token == Token::RParen {
            "this ')' closes nothing"
        } else {
            "unexpected text"
        };
        return Err(QueryError::new(message, t.span));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Spanned>,
    at: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Spanned> {
        self.tokens.get(self.at)
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Spanned { token: Token::Text { text, quoted: false }, .. })
            if text.eq_ignore_ascii_case(word))
    }

    /// Where the next token starts (or the end of the query).
    fn here(&self) -> Span {
        self.peek()
            .map_or(Span::new(self.end, self.end), |t| t.span)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut parts = vec![self.and()?];
        while self.keyword("or") {
            self.at += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut parts = vec![self.unary()?];
        loop {
            if self.keyword("and") {
                self.at += 1;
                parts.push(self.unary()?);
            } else if self.starts_operand() {
                parts.push(self.unary()?);
            } else {
                break;
            }
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Expr::And(parts)
        })
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            None
            | Some(Spanned {
                token: Token::RParen,
                ..
            }) => false,
            _ => !self.keyword("or"),
        }
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.keyword("not") || matches!(self.peek(), Some(t) if t.token == Token::Minus) {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let Some(token) = self.peek().cloned() else {
            return Err(
                QueryError::new("the query ends where a term was expected", self.here())
                    .with_hint("add a word or a field after the last operator"),
            );
        };
        self.at += 1;
        match token.token {
            Token::LParen => {
                let inner = self.or()?;
                self.close(token.span)?;
                Ok(inner)
            }
            Token::RParen => Err(QueryError::new("this ')' closes nothing", token.span)),
            Token::Minus => unreachable!("handled by unary"),
            Token::Text { text, quoted } => {
                if !quoted && is_keyword(&text) {
                    return Err(QueryError::new(
                        format!("'{}' needs a term before it", text.to_lowercase()),
                        token.span,
                    )
                    .with_hint("put it between two terms, or quote it to search for the word"));
                }
                Ok(Expr::Term(Term {
                    kind: word_term(&text, quoted),
                    span: token.span,
                }))
            }
            Token::Compare {
                name,
                op,
                number,
                number_span,
            } => compare_term(&name, &op, &number, token.span, number_span),
            Token::Field {
                name,
                value,
                quoted,
                value_span,
            } => {
                let name_lower = name.to_lowercase();
                if name_lower == "any" {
                    if !value.is_empty()
                        || !matches!(self.peek(), Some(t) if t.token == Token::LParen)
                    {
                        return Err(QueryError::new("any: needs a group", token.span)
                            .with_hint("write any:(beard) any:(sunglasses)"));
                    }
                    let open = self.peek().expect("checked").span;
                    self.at += 1;
                    let inner = self.or()?;
                    self.close(open)?;
                    return Ok(Expr::AnyFace(Box::new(inner)));
                }
                field_terms(&name_lower, &name, &value, quoted, token.span, value_span)
            }
        }
    }

    fn close(&mut self, open: Span) -> Result<(), QueryError> {
        match self.peek() {
            Some(t) if t.token == Token::RParen => {
                self.at += 1;
                Ok(())
            }
            _ => Err(QueryError::new("this '(' is never closed", open).with_hint("add a ')'")),
        }
    }
}

fn is_keyword(word: &str) -> bool {
    ["and", "or", "not"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k))
}

/// A bare word: an attribute when it names one, else a free word.
fn word_term(text: &str, quoted: bool) -> TermKind {
    let lower = text.to_lowercase();
    if let Some(name) = attribute_named(&lower).filter(|_| !quoted) {
        return TermKind::Attribute {
            name: name.to_string(),
            above: true,
            threshold: None,
        };
    }
    TermKind::Word {
        text: text.to_string(),
    }
}

/// `sunglasses>0.8`, `age>30`, `faces>=2`, `year<2020`.
fn compare_term(
    name: &str,
    op: &str,
    number: &str,
    span: Span,
    number_span: Span,
) -> Result<Expr, QueryError> {
    let lower = name.to_lowercase();
    let value: f64 = number
        .parse()
        .map_err(|_| QueryError::new(format!("'{number}' is not a number"), number_span))?;
    let kind = if let Some(attribute) = attribute_named(&lower) {
        if !(0.0..=1.0).contains(&value) {
            return Err(QueryError::new(
                format!("an attribute threshold is between 0 and 1, not {number}"),
                number_span,
            ));
        }
        TermKind::Attribute {
            name: attribute.to_string(),
            above: op.starts_with('>'),
            threshold: Some(value as f32),
        }
    } else {
        let range = comparison(op, value);
        match lower.as_str() {
            "rating" => TermKind::Rating {
                range: rating_comparison(op, number, value, number_span)?,
            },
            "age" => TermKind::Age { range },
            "faces" => TermKind::Faces { range },
            "persons" => TermKind::Persons { range },
            "year" => TermKind::Year { range },
            _ => return Err(unknown_name(name, span)),
        }
    };
    Ok(Expr::Term(Term { kind, span }))
}

fn unknown_name(name: &str, span: Span) -> QueryError {
    let synonyms = ATTRIBUTE_SYNONYMS.iter().map(|(w, _)| w);
    let candidates = FIELDS.iter().chain(ATTRIBUTES).chain(synonyms).copied();
    let error = QueryError::new(format!("unknown field '{name}'"), span);
    match did_you_mean(name, candidates) {
        Some(m) => error.with_hint(format!("did you mean {m}?")),
        None => error.with_hint(format!("fields are {}", FIELDS.join(", "))),
    }
}

/// `field:value`, `field:a|b` (alternatives).
fn field_terms(
    field: &str,
    name: &str,
    value: &str,
    quoted: bool,
    span: Span,
    value_span: Span,
) -> Result<Expr, QueryError> {
    if !FIELDS.contains(&field) {
        return Err(unknown_name(name, span));
    }
    if value.is_empty() {
        return Err(QueryError::new(format!("{field}: needs a value"), span)
            .with_hint(format!("write {field}:… with no space after the colon")));
    }
    let alternatives: Vec<(&str, Span)> = if quoted {
        vec![(value, value_span)]
    } else {
        let mut out = Vec::new();
        let mut offset = value_span.start;
        for part in value.split('|') {
            out.push((part, Span::new(offset, offset + part.len())));
            offset += part.len() + 1;
        }
        out
    };
    let mut terms = Vec::new();
    for (part, part_span) in alternatives {
        if part.is_empty() {
            return Err(QueryError::new("an empty alternative", part_span));
        }
        terms.push(Expr::Term(Term {
            kind: field_value(field, part, quoted, part_span)?,
            span,
        }));
    }
    Ok(if terms.len() == 1 {
        terms.pop().expect("one term")
    } else {
        Expr::Or(terms)
    })
}

/// The photo a `similar:` value names: digits (unquoted) are a catalogue id, anything else a path.
fn photo_ref(value: &str, quoted: bool) -> PhotoRef {
    match value.parse::<i64>() {
        Ok(id) if !quoted && value.bytes().all(|b| b.is_ascii_digit()) => PhotoRef::Id(id),
        _ => PhotoRef::Path(value.to_string()),
    }
}

/// The person id a `person:` value names as `#12`, if it does.
pub fn person_id_ref(name: &str) -> Option<i64> {
    name.strip_prefix('#')?.parse().ok()
}

fn field_value(field: &str, value: &str, quoted: bool, span: Span) -> Result<TermKind, QueryError> {
    let text = value.to_string();
    Ok(match field {
        "person" => TermKind::Person { name: text },
        "label" => TermKind::Label {
            name: value.to_lowercase(),
        },
        "keyword" | "tag" => {
            if keyword_levels(value).next().is_none() {
                return Err(QueryError::new(format!("{field}: needs a keyword"), span)
                    .with_hint(format!("write {field}:Ana or {field}:\"People/Family\"")));
            }
            TermKind::Keyword { path: text }
        }
        "rating" => TermKind::Rating {
            range: rating_value(value, span)?,
        },
        "title" => TermKind::Title { text },
        "caption" => TermKind::Caption { text },
        "camera" => TermKind::Camera { name: text },
        "lens" => TermKind::Lens { name: text },
        "text" => TermKind::Text { text },
        "path" => TermKind::Path { text },
        "similar" => TermKind::Similar {
            to: photo_ref(value, quoted),
        },
        "format" => TermKind::Format {
            name: value.to_lowercase(),
        },
        "emotion" => {
            let lower = value.to_lowercase();
            if !EMOTIONS.contains(&lower.as_str()) {
                let error = QueryError::new(format!("unknown emotion '{value}'"), span);
                return Err(match did_you_mean(&lower, EMOTIONS.iter().copied()) {
                    Some(m) => error.with_hint(format!("did you mean {m}?")),
                    None => error.with_hint(format!("emotions are {}", EMOTIONS.join(", "))),
                });
            }
            TermKind::Emotion { name: lower }
        }
        "unsafe" => match value.to_lowercase().as_str() {
            "yes" | "true" => TermKind::Unsafe { unsafe_: true },
            "no" | "false" => TermKind::Unsafe { unsafe_: false },
            _ => {
                return Err(QueryError::new(
                    format!("unsafe: is yes or no, not '{value}'"),
                    span,
                ))
            }
        },
        "year" => TermKind::Year {
            range: number_range(value, span, "year:2024, year:2020..2022 or year:>2019")?,
        },
        "age" => TermKind::Age {
            range: number_range(value, span, "age:30, age:20-30 or age:>60")?,
        },
        "faces" => {
            let range = number_range(value, span, "faces:2, faces:>3 or faces:0")?;
            TermKind::Faces { range }
        }
        "persons" => {
            let range = number_range(value, span, "persons:2, persons:>2 or persons:1-3")?;
            TermKind::Persons { range }
        }
        "object" => {
            let lower = value.trim().to_lowercase();
            if !is_object_name(&lower) {
                let names = COCO_CLASSES
                    .iter()
                    .chain(OBJECT_GROUPS.iter().map(|(g, _)| g))
                    .copied();
                let error = QueryError::new(format!("unknown object '{value}'"), span);
                return Err(match did_you_mean(&lower, names) {
                    Some(m) => error.with_hint(format!("did you mean {m}?")),
                    None => error.with_hint(
                        "objects are the 80 COCO classes (person, bicycle, dog, handbag, tie, \
                         \"cell phone\" …) or bag, phone, vehicle, animal",
                    ),
                });
            }
            TermKind::Object { name: lower }
        }
        "carrying" => {
            let lower = value.trim().to_lowercase();
            if carried_classes(&lower).is_empty() {
                let names = CARRIED_CLASSES
                    .iter()
                    .chain(OBJECT_GROUPS.iter().map(|(g, _)| g))
                    .copied()
                    .filter(|n| !carried_classes(n).is_empty());
                let carried = "a person carries a bag (handbag, backpack, suitcase), an umbrella, \
                     a phone, a tie, a bottle, a cup, a book, a laptop …";
                if is_object_name(&lower) {
                    return Err(QueryError::new(
                        format!("a person does not carry '{value}'"),
                        span,
                    )
                    .with_hint(format!("{carried}; object:{lower} finds it in the photo")));
                }
                let error = QueryError::new(format!("unknown object '{value}'"), span);
                return Err(match did_you_mean(&lower, names) {
                    Some(m) => error.with_hint(format!("did you mean {m}?")),
                    None => error.with_hint(carried),
                });
            }
            TermKind::Carrying { name: lower }
        }
        "wearing" => {
            let Some(name) = clothing_name(value) else {
                let names = CLOTHING.iter().map(|(n, _)| *n);
                let error = QueryError::new(format!("unknown clothing '{value}'"), span);
                return Err(match did_you_mean(&value.trim().to_lowercase(), names) {
                    Some(m) => error.with_hint(format!("did you mean {m}?")),
                    None => error.with_hint(format!(
                        "clothing is {}",
                        CLOTHING
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                });
            };
            TermKind::Wearing {
                name: name.to_string(),
            }
        }
        "hair" => {
            let lower = value.trim().to_lowercase();
            let Some((_, attribute)) = HAIR_VALUES.iter().find(|(v, _)| *v == lower) else {
                let error = QueryError::new(format!("unknown hair '{value}'"), span);
                let values = HAIR_VALUES.iter().map(|(v, _)| *v);
                return Err(match did_you_mean(&lower, values) {
                    Some(m) => error.with_hint(format!("did you mean {m}?")),
                    None => error.with_hint(format!(
                        "hair is {}",
                        HAIR_VALUES
                            .iter()
                            .map(|(v, _)| *v)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                });
            };
            TermKind::Attribute {
                name: attribute.to_string(),
                above: true,
                threshold: None,
            }
        }
        "date" => date_term(value, span)?,
        "near" => near_term(value, span)?,
        _ => unreachable!("fields are checked first"),
    })
}

/// `2024`, `2024-05`, `2024-05-17`, and ranges of them with `..` (either end open).
fn date_term(value: &str, span: Span) -> Result<TermKind, QueryError> {
    let (from, until) = match value.split_once("..") {
        Some((a, b)) => (a, b),
        None => (value, value),
    };
    let from = if from.is_empty() {
        None
    } else {
        Some(date_bounds(from, span)?.0)
    };
    let until = if until.is_empty() {
        None
    } else {
        Some(date_bounds(until, span)?.1)
    };
    if from.is_none() && until.is_none() {
        return Err(QueryError::new("date: needs a date", span)
            .with_hint("write date:2024-05, date:2023-01..2023-06 or date:..2020"));
    }
    if let (Some(a), Some(b)) = (&from, &until) {
        if a >= b {
            return Err(QueryError::new(
                format!("the dates {value} are backwards"),
                span,
            ));
        }
    }
    Ok(TermKind::Date { from, until })
}

/// The first day of a partial date and the first day after it, as `YYYY-MM-DD`.
fn date_bounds(text: &str, span: Span) -> Result<(String, String), QueryError> {
    let bad = || {
        QueryError::new(format!("'{text}' is not a date"), span)
            .with_hint("write YYYY, YYYY-MM or YYYY-MM-DD")
    };
    let parts: Vec<&str> = text.split('-').collect();
    let num = |s: &str, digits: usize| -> Result<u32, QueryError> {
        if s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let day = |y: u32, m: u32, d: u32| format!("{y:04}-{m:02}-{d:02}");
    match parts.as_slice() {
        [y] => {
            let y = num(y, 4)?;
            Ok((day(y, 1, 1), day(y + 1, 1, 1)))
        }
        [y, m] => {
            let (y, m) = (num(y, 4)?, num(m, 2)?);
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            Ok((day(y, m, 1), day(next.0, next.1, 1)))
        }
        [y, m, d] => {
            let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
            if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
                return Err(bad());
            }
            let next = if d < days_in_month(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
            Ok((day(y, m, d), day(next.0, next.1, next.2)))
        }
        _ => Err(bad()),
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `near:52.37,4.89` (1 km) or `near:52.37,4.89,5km`.
fn near_term(value: &str, span: Span) -> Result<TermKind, QueryError> {
    let bad = || {
        QueryError::new(format!("'{value}' is not a place"), span)
            .with_hint("write near:LAT,LON or near:LAT,LON,5km")
    };
    let parts: Vec<&str> = value.split(',').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return Err(bad());
    }
    let lat: f64 = parts[0].parse().map_err(|_| bad())?;
    let lon: f64 = parts[1].parse().map_err(|_| bad())?;
    let radius_km = match parts.get(2) {
        Some(r) => {
            let lower = r.to_lowercase();
            let (number, scale) = if let Some(n) = lower.strip_suffix("km") {
                (n, 1.0)
            } else if let Some(n) = lower.strip_suffix('m') {
                (n, 0.001)
            } else {
                (lower.as_str(), 1.0)
            };
            number.parse::<f64>().map_err(|_| bad())? * scale
        }
        None => 1.0,
    };
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) || radius_km <= 0.0 {
        return Err(bad());
    }
    Ok(TermKind::Near {
        lat,
        lon,
        radius_km,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(kind: TermKind) -> Expr {
        Expr::Term(Term {
            kind,
            span: Span::new(0, 0),
        })
    }

    /// The tree without spans, for comparing shapes.
    fn shape(e: &Expr) -> Expr {
        match e {
            Expr::And(v) => Expr::And(v.iter().map(shape).collect()),
            Expr::Or(v) => Expr::Or(v.iter().map(shape).collect()),
            Expr::Not(x) => Expr::Not(Box::new(shape(x))),
            Expr::AnyFace(x) => Expr::AnyFace(Box::new(shape(x))),
            Expr::Term(t) => term(t.kind.clone()),
        }
    }

    fn parsed(q: &str) -> Expr {
        shape(&parse(q).unwrap_or_else(|e| panic!("{q}: {e}")))
    }

    fn attr(name: &str) -> Expr {
        term(TermKind::Attribute {
            name: name.into(),
            above: true,
            threshold: None,
        })
    }

    fn word(w: &str) -> Expr {
        term(TermKind::Word { text: w.into() })
    }

    fn error(q: &str) -> String {
        parse(q).unwrap_err().to_string()
    }

    #[test]
    fn not_binds_tighter_than_and_which_binds_tighter_than_or() {
        assert_eq!(
            parsed("beach or beard sunglasses"),
            Expr::Or(vec![
                word("beach"),
                Expr::And(vec![attr("beard"), attr("sunglasses")])
            ])
        );
        assert_eq!(
            parsed("not beard and hat"),
            Expr::And(vec![Expr::Not(Box::new(attr("beard"))), attr("hat")])
        );
        assert_eq!(
            parsed("(beach or dog) AND -hat"),
            Expr::And(vec![
                Expr::Or(vec![word("beach"), word("dog")]),
                Expr::Not(Box::new(attr("hat")))
            ])
        );
    }

    #[test]
    fn fields_and_alternatives() {
        assert_eq!(
            parsed(r#"person:"Ana Maria" label:Cat|dog"#),
            Expr::And(vec![
                term(TermKind::Person {
                    name: "Ana Maria".into()
                }),
                Expr::Or(vec![
                    term(TermKind::Label { name: "cat".into() }),
                    term(TermKind::Label { name: "dog".into() })
                ])
            ])
        );
        assert_eq!(
            parsed("date:2023-01..2023-06"),
            term(TermKind::Date {
                from: Some("2023-01-01".into()),
                until: Some("2023-07-01".into())
            })
        );
        assert_eq!(
            parsed("date:2024-02-29"),
            term(TermKind::Date {
                from: Some("2024-02-29".into()),
                until: Some("2024-03-01".into())
            })
        );
        let Expr::Term(Term {
            kind: TermKind::Age { range },
            ..
        }) = parsed("age:20-30")
        else {
            panic!()
        };
        assert!(range.contains(20.0) && range.contains(30.0) && !range.contains(31.0));
        let Expr::Term(Term {
            kind: TermKind::Faces { range },
            ..
        }) = parsed("faces:>3")
        else {
            panic!()
        };
        assert!(!range.contains(3.0) && range.contains(4.0));
        // Hair and accessories are face attributes: by name, by synonym, or through hair:.
        assert_eq!(parsed("hair:blond"), attr("blond_hair"));
        assert_eq!(parsed("Blonde"), attr("blond_hair"));
        assert_eq!(
            parsed("bald earrings"),
            Expr::And(vec![attr("bald"), attr("earrings")])
        );
        assert_eq!(
            parsed("hair:gray|bald"),
            Expr::Or(vec![attr("gray_hair"), attr("bald")])
        );
        assert_eq!(
            parsed("\"blond\""),
            term(TermKind::Word {
                text: "blond".into()
            })
        );
        assert_eq!(
            parsed("necktie>0.7"),
            term(TermKind::Attribute {
                name: "necktie".into(),
                above: true,
                threshold: Some(0.7)
            })
        );
        assert_eq!(
            parsed("sunglasses>0.8"),
            term(TermKind::Attribute {
                name: "sunglasses".into(),
                above: true,
                threshold: Some(0.8)
            })
        );
        assert_eq!(
            parsed("near:52.37,4.89,500m"),
            term(TermKind::Near {
                lat: 52.37,
                lon: 4.89,
                radius_km: 0.5
            })
        );
        assert_eq!(
            parsed("unsafe:no"),
            term(TermKind::Unsafe { unsafe_: false })
        );
    }

    #[test]
    fn similar_names_a_photo_by_id_or_by_the_end_of_its_path() {
        let similar = |to: PhotoRef| term(TermKind::Similar { to });
        assert_eq!(parsed("similar:42"), similar(PhotoRef::Id(42)));
        assert_eq!(
            parsed(r#"similar:"42""#),
            similar(PhotoRef::Path("42".into())),
            "quoted digits are a file name"
        );
        assert_eq!(
            parsed(r#"similar:"2024/IMG 1.jpg" -person:Ana"#),
            Expr::And(vec![
                similar(PhotoRef::Path("2024/IMG 1.jpg".into())),
                Expr::Not(Box::new(term(TermKind::Person { name: "Ana".into() })))
            ])
        );
        assert_eq!(
            parsed("similar:1|2"),
            Expr::Or(vec![similar(PhotoRef::Id(1)), similar(PhotoRef::Id(2))])
        );
        let tail = PhotoRef::Path("2024/IMG_1.jpg".into());
        assert!(tail.names(7, "/photos/2024/IMG_1.jpg"));
        assert!(tail.names(7, "2024/IMG_1.jpg"));
        assert!(
            !tail.names(7, "/photos/x2024/IMG_1.jpg"),
            "whole folder names"
        );
        assert!(PhotoRef::Id(7).names(7, "/a.jpg") && !PhotoRef::Id(8).names(7, "/a.jpg"));
        assert!(error("similar:").contains("needs a value"));
    }

    #[test]
    fn keyword_and_tag_are_one_term_and_texts_are_kept_as_written() {
        let keyword = |p: &str| term(TermKind::Keyword { path: p.into() });
        assert_eq!(parsed("keyword:Ana"), keyword("Ana"));
        assert_eq!(parsed("tag:Ana"), keyword("Ana"));
        assert_eq!(parsed("TAG:People/Family"), keyword("People/Family"));
        assert_eq!(
            parsed(r#"tag:"People/Family|Friends" -keyword:x|y"#),
            Expr::And(vec![
                keyword("People/Family|Friends"),
                Expr::Not(Box::new(Expr::Or(vec![keyword("x"), keyword("y")])))
            ])
        );
        assert_eq!(
            parsed(r#"title:"Beach Day" caption:sunset"#),
            Expr::And(vec![
                term(TermKind::Title {
                    text: "Beach Day".into()
                }),
                term(TermKind::Caption {
                    text: "sunset".into()
                })
            ])
        );
        assert!(error("tag:/").starts_with("tag: needs a keyword at 1:5"));
        assert!(error(r#"keyword:" / ""#).starts_with("keyword: needs a keyword"));
        assert!(error("keywords:x").ends_with("did you mean keyword?"));
        assert!(error("captoin:x").ends_with("did you mean caption?"));
    }

    #[test]
    fn objects_and_bodies() {
        let object = |name: &str| term(TermKind::Object { name: name.into() });
        assert_eq!(parsed("object:Dog"), object("dog"));
        assert_eq!(parsed(r#"object:"cell phone""#), object("cell phone"));
        assert_eq!(
            parsed("object:bag|tie"),
            Expr::Or(vec![object("bag"), object("tie")])
        );
        match parsed("persons:>2") {
            Expr::Term(Term {
                kind: TermKind::Persons { range },
                ..
            }) => assert_eq!((range.min, range.min_inclusive), (Some(2.0), false)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parsed("persons>=1"),
            Expr::Term(Term {
                kind: TermKind::Persons { .. },
                ..
            })
        ));
        assert_eq!(
            error("object:hadbag"),
            "unknown object 'hadbag' at 1:8 — did you mean handbag?"
        );
        assert!(error("object:unicorn").contains("objects are the 80 COCO classes"));
    }

    #[test]
    fn carrying_names_what_a_person_carries() {
        let carrying = |name: &str| term(TermKind::Carrying { name: name.into() });
        assert_eq!(parsed("carrying:Bag"), carrying("bag"));
        assert_eq!(
            parsed("carrying:umbrella|phone"),
            Expr::Or(vec![carrying("umbrella"), carrying("phone")])
        );
        assert_eq!(
            error("carrying:hanbag"),
            "unknown object 'hanbag' at 1:10 — did you mean handbag?"
        );
        assert!(error("carrying:dog").starts_with("a person does not carry 'dog' at 1:10"));
        assert!(error("carrying:dog").contains("object:dog finds it in the photo"));
        assert_eq!(
            parsed("wearing:Suit|jeans"),
            Expr::Or(vec![
                term(TermKind::Wearing {
                    name: "suit".into()
                }),
                term(TermKind::Wearing {
                    name: "jeans".into()
                })
            ])
        );
        assert_eq!(
            parsed("wearing:\"Lab Coat\""),
            term(TermKind::Wearing {
                name: "lab coat".into()
            })
        );
        assert_eq!(
            error("wearing:jens"),
            "unknown clothing 'jens' at 1:9 — did you mean jeans?"
        );
    }

    #[test]
    fn any_scopes_a_group_and_quoted_keywords_are_words() {
        assert_eq!(
            parsed("any:(beard) any:(sunglasses)"),
            Expr::And(vec![
                Expr::AnyFace(Box::new(attr("beard"))),
                Expr::AnyFace(Box::new(attr("sunglasses")))
            ])
        );
        assert_eq!(
            parsed(r#""or" "beard""#),
            Expr::And(vec![word("or"), word("beard")])
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(
            error("camra:X100V"),
            "unknown field 'camra' at 1:1 — did you mean camera?"
        );
        assert_eq!(
            error("beard sunglases>0.5"),
            "unknown field 'sunglases' at 1:7 — did you mean sunglasses?"
        );
        assert!(error("").starts_with("the query is empty at 1:1"));
        assert!(error("   ").starts_with("the query is empty"));
        assert!(error("(beard or hat").starts_with("this '(' is never closed at 1:1"));
        assert!(error("beard)").starts_with("this ')' closes nothing at 1:6"));
        assert!(error("beard and").starts_with("the query ends where a term was expected at 1:10"));
        assert!(error("or beard").starts_with("'or' needs a term before it at 1:1"));
        assert!(error("year:20x4").starts_with("'20x4' is not a number or a range at 1:6"));
        assert!(error("date:2023-13").starts_with("'2023-13' is not a date at 1:6"));
        assert!(error("date:2024..2023").contains("backwards"));
        assert!(error("age:40-20").contains("backwards"));
        assert!(error("emotion:hapy").ends_with("did you mean happy?"));
        assert!(error("sunglasses>2").contains("between 0 and 1"));
        assert_eq!(
            error("hair:blnd"),
            "unknown hair 'blnd' at 1:6 — did you mean blond?"
        );
        assert!(error("person:").starts_with("person: needs a value"));
        assert!(error("any:beard").starts_with("any: needs a group"));
        assert!(error("label:cat|").starts_with("an empty alternative at 1:11"));
        assert!(error("near:200,1").contains("not a place"));
        assert!(error("café zzzz:1").starts_with("unknown field 'zzzz' at 1:6 — fields are person"));
    }
}
