//! Query text → tokens with their place in the text. Words, quoted phrases, parentheses,
//! `field:value` pairs (the value may be quoted: `person:"Ana Maria"`), attribute thresholds
//! (`sunglasses>0.8`), and a leading `-` meaning *not*. Keywords (`and`, `or`, `not`) are recognised
//! by the parser, case-insensitively, only when unquoted.

use argus_core::query_error::{QueryError, Span};

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    LParen,
    RParen,
    /// A leading `-` (not).
    Minus,
    /// A bare word or a quoted phrase.
    Text {
        text: String,
        quoted: bool,
    },
    /// `name:value`. The value is empty for `any:(`.
    Field {
        name: String,
        value: String,
        quoted: bool,
        value_span: Span,
    },
    /// `name>0.8`, `name>=0.8`, `name<0.2`, `name<=0.2`.
    Compare {
        name: String,
        op: String,
        number: String,
        number_span: Span,
    },
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub token: Token,
    pub span: Span,
}

/// Splits a query into tokens.
pub fn tokenize(query: &str) -> Result<Vec<Spanned>, QueryError> {
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(query.len(), |c| c.0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let single = |token| Spanned {
            token,
            span: Span::new(start, start + c.len_utf8()),
        };
        match c {
            '(' => {
                out.push(single(Token::LParen));
                i += 1;
            }
            ')' => {
                out.push(single(Token::RParen));
                i += 1;
            }
            '-' if chars.get(i + 1).is_some_and(|n| starts_term(n.1)) => {
                out.push(single(Token::Minus));
                i += 1;
            }
            '"' => {
                let (text, next) = quoted(query, &chars, i)?;
                out.push(Spanned {
                    token: Token::Text { text, quoted: true },
                    span: Span::new(start, end_of(next)),
                });
                i = next;
            }
            _ => {
                let (token, next) = bare(query, &chars, i)?;
                out.push(Spanned {
                    token,
                    span: Span::new(start, end_of(next)),
                });
                i = next;
            }
        }
    }
    Ok(out)
}

/// Whether a character can start a term (so a `-` before it means *not*).
fn starts_term(c: char) -> bool {
    !c.is_whitespace() && c != ')' && c != '-'
}

/// A quoted phrase starting at `chars[i] == '"'`: its text (with `\"` and `\\` unescaped) and the
/// index after the closing quote.
fn quoted(query: &str, chars: &[(usize, char)], i: usize) -> Result<(String, usize), QueryError> {
    let mut text = String::new();
    let mut j = i + 1;
    while j < chars.len() {
        match chars[j].1 {
            '"' => return Ok((text, j + 1)),
            '\\' if j + 1 < chars.len() => {
                text.push(chars[j + 1].1);
                j += 2;
            }
            c => {
                text.push(c);
                j += 1;
            }
        }
    }
    Err(QueryError::new(
        "this quote is never closed",
        Span::new(chars[i].0, query.len()),
    )
    .with_hint("end the phrase with \""))
}

/// A bare word, `field:value` or `name>number` starting at `chars[i]`.
fn bare(query: &str, chars: &[(usize, char)], i: usize) -> Result<(Token, usize), QueryError> {
    let start = chars[i].0;
    let end_of = |k: usize| chars.get(k).map_or(query.len(), |c| c.0);
    let mut j = i;
    while j < chars.len() {
        let c = chars[j].1;
        if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
            break;
        }
        if c == ':' && j > i {
            let name = query[start..chars[j].0].to_string();
            return field_value(query, chars, name, j + 1);
        }
        if (c == '>' || c == '<') && j > i {
            let name = query[start..chars[j].0].to_string();
            let mut k = j + 1;
            if chars.get(k).is_some_and(|n| n.1 == '=') {
                k += 1;
            }
            let op = query[chars[j].0..end_of(k)].to_string();
            let number_start = k;
            while k < chars.len() && !is_boundary(chars[k].1) {
                k += 1;
            }
            return Ok((
                Token::Compare {
                    name,
                    op,
                    number: query[end_of(number_start)..end_of(k)].to_string(),
                    number_span: Span::new(end_of(number_start), end_of(k)),
                },
                k,
            ));
        }
        j += 1;
    }
    Ok((
        Token::Text {
            text: query[start..end_of(j)].to_string(),
            quoted: false,
        },
        j,
    ))
}

fn is_boundary(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')'
}

/// The value after `name:` (starting at `chars[j]`): quoted, bare, or nothing (before `(`).
fn field_value(
    query: &str,
    chars: &[(usize, char)],
    name: String,
    j: usize,
) -> Result<(Token, usize), QueryError> {
    let end_of = |k: usize| chars.get(k).map_or(query.len(), |c| c.0);
    if chars.get(j).is_some_and(|c| c.1 == '"') {
        let (value, next) = quoted(query, chars, j)?;
        return Ok((
            Token::Field {
                name,
                value,
                quoted: true,
                value_span: Span::new(end_of(j), end_of(next)),
            },
            next,
        ));
    }
    let mut k = j;
    while k < chars.len() && !is_boundary(chars[k].1) && chars[k].1 != '"' {
        k += 1;
    }
    Ok((
        Token::Field {
            name,
            value: query[end_of(j)..end_of(k)].to_string(),
            quoted: false,
            value_span: Span::new(end_of(j), end_of(k)),
        },
        k,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(q: &str) -> Vec<Token> {
        tokenize(q).unwrap().into_iter().map(|t| t.token).collect()
    }

    fn text(t: &str) -> Token {
        Token::Text {
            text: t.into(),
            quoted: false,
        }
    }

    #[test]
    fn words_fields_quotes_and_negation() {
        let tokens = tokenize(r#"person:"Ana Maria" -sunglasses (beach or "new york")"#).unwrap();
        assert_eq!(
            tokens[0].token,
            Token::Field {
                name: "person".into(),
                value: "Ana Maria".into(),
                quoted: true,
                value_span: Span::new(7, 18),
            }
        );
        assert_eq!(tokens[0].span, Span::new(0, 18));
        assert_eq!(tokens[1].token, Token::Minus);
        assert_eq!(tokens[2].token, text("sunglasses"));
        assert_eq!(tokens[3].token, Token::LParen);
        assert_eq!(tokens[4].token, text("beach"));
        assert_eq!(tokens[5].token, text("or"));
        assert_eq!(
            tokens[6].token,
            Token::Text {
                text: "new york".into(),
                quoted: true
            }
        );
        assert_eq!(tokens[7].token, Token::RParen);
    }

    #[test]
    fn thresholds_ranges_and_any() {
        assert_eq!(
            kinds("sunglasses>=0.8 date:2023-01..2023-06 any:(beard)"),
            vec![
                Token::Compare {
                    name: "sunglasses".into(),
                    op: ">=".into(),
                    number: "0.8".into(),
                    number_span: Span::new(12, 15),
                },
                Token::Field {
                    name: "date".into(),
                    value: "2023-01..2023-06".into(),
                    quoted: false,
                    value_span: Span::new(21, 37),
                },
                Token::Field {
                    name: "any".into(),
                    value: String::new(),
                    quoted: false,
                    value_span: Span::new(42, 42),
                },
                Token::LParen,
                text("beard"),
                Token::RParen,
            ]
        );
    }

    #[test]
    fn an_open_quote_is_an_error_where_it_starts() {
        let e = tokenize(r#"beard "sun"#).unwrap_err();
        assert_eq!(e.span, Span::new(6, 10));
    }

    #[test]
    fn unicode_is_kept_whole() {
        assert_eq!(
            kinds("café -ümlaut"),
            vec![text("café"), Token::Minus, text("ümlaut")]
        );
    }
}
