//! The subset of Phraseanet's query language the double understands (documented in
//! `docs/double.md`, "Search"):
//!
//! * words and `"quoted phrases"`: case-insensitive substring of the title or a visible caption value;
//! * `field:value` and `field:"a phrase"` on one caption field (by its name, e.g. `Keywords:night`), and
//!   the special fields `type:` (record type), `collection:` (collection name), `database:` (databox
//!   name) and `recordid:`;
//! * `AND` / `ET` (also implied between terms), `OR` / `OU`, `NOT` / `SAUF` / `EXCEPT`, parentheses.
//!
//! Precedence: NOT, then AND, then OR. Unbalanced parentheses or a dangling operator are forgiven (a
//! search box should not fail on a stray bracket).

use crate::model::{Field, Record};

#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// The empty query: every record.
    All,
    Text(String),
    Field(String, String),
    Not(Box<Query>),
    And(Vec<Query>),
    Or(Vec<Query>),
}

/// What a query is matched against.
pub struct Target<'a> {
    pub record: &'a Record,
    /// Lowercased title and visible caption values, one per line.
    pub text: String,
    pub fields: &'a [Field],
    pub collection: String,
    pub databox: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    Word(String),
    Phrase(String),
}

fn tokens(q: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = q.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Tok::Open);
            }
            ')' => {
                chars.next();
                out.push(Tok::Close);
            }
            '"' => {
                chars.next();
                let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
                out.push(Tok::Phrase(phrase));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' {
                        break;
                    }
                    chars.next();
                    // `field:"a phrase"` is one term.
                    if c == '"' && word.ends_with(':') {
                        word.extend(chars.by_ref().take_while(|&c| c != '"'));
                        break;
                    }
                    word.push(c);
                }
                out.push(match word.as_str() {
                    "AND" | "ET" => Tok::And,
                    "OR" | "OU" => Tok::Or,
                    "NOT" | "SAUF" | "EXCEPT" => Tok::Not,
                    _ => Tok::Word(word),
                });
            }
        }
    }
    out
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn or(&mut self) -> Option<Query> {
        let mut parts: Vec<Query> = self.and().into_iter().collect();
        while self.peek() == Some(&Tok::Or) {
            self.at += 1;
            parts.extend(self.and());
        }
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Query::Or(parts)),
        }
    }

    fn and(&mut self) -> Option<Query> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Or) | Some(Tok::Close) => break,
                Some(Tok::And) => self.at += 1,
                _ => parts.extend(self.unary()),
            }
        }
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Query::And(parts)),
        }
    }

    fn unary(&mut self) -> Option<Query> {
        let tok = self.toks.get(self.at).cloned()?;
        self.at += 1;
        match tok {
            Tok::Not => self.unary().map(|q| Query::Not(Box::new(q))),
            Tok::Open => {
                let inner = self.or();
                if self.peek() == Some(&Tok::Close) {
                    self.at += 1;
                }
                inner
            }
            Tok::Phrase(p) => Some(Query::Text(p.to_lowercase())),
            Tok::Word(w) => Some(match w.split_once(':') {
                Some((field, value)) if !field.is_empty() && !value.is_empty() => {
                    Query::Field(field.to_lowercase(), value.trim_matches('"').to_lowercase())
                }
                _ => Query::Text(w.to_lowercase()),
            }),
            Tok::Close | Tok::And | Tok::Or => None,
        }
    }
}

impl Query {
    pub fn parse(q: &str) -> Query {
        let mut p = Parser { toks: tokens(q), at: 0 };
        let mut parts = Vec::new();
        while p.at < p.toks.len() {
            parts.extend(p.or());
            // A stray `)` at the top level.
            if p.peek() == Some(&Tok::Close) {
                p.at += 1;
            }
        }
        match parts.len() {
            0 => Query::All,
            1 => parts.pop().expect("one part"),
            _ => Query::And(parts),
        }
    }

    /// None: no match; Some(score), the number of text hits (relevance).
    pub fn score(&self, t: &Target) -> Option<usize> {
        match self {
            Query::All => Some(0),
            Query::Text(s) => Some(t.text.matches(s.as_str()).count()).filter(|&n| n > 0),
            Query::Field(field, value) => field_hits(t, field, value).filter(|&n| n > 0),
            Query::Not(q) => match q.score(t) {
                Some(_) => None,
                None => Some(0),
            },
            Query::And(parts) => parts.iter().try_fold(0, |acc, q| Some(acc + q.score(t)?)),
            Query::Or(parts) => parts.iter().filter_map(|q| q.score(t)).max(),
        }
    }
}

fn field_hits(t: &Target, field: &str, value: &str) -> Option<usize> {
    let r = t.record;
    match field {
        "type" => Some(usize::from(r.kind.phrasea_type() == value)),
        "collection" => Some(usize::from(t.collection == value)),
        "database" => Some(usize::from(t.databox == value)),
        "recordid" => Some(usize::from(r.record_id.to_string() == value)),
        name => {
            let f = t.fields.iter().find(|f| !f.business && f.name.eq_ignore_ascii_case(name))?;
            let values =
                r.caption.iter().find(|(id, _)| *id == f.id).map(|(_, v)| v.as_slice()).unwrap_or(&[]);
            Some(values.iter().map(|v| v.to_lowercase().matches(value).count()).sum())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Query::*;
    use super::*;

    fn t(s: &str) -> Query {
        Text(s.into())
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        assert_eq!(Query::parse("a b OR c"), Or(vec![And(vec![t("a"), t("b")]), t("c")]));
        assert_eq!(Query::parse("a AND NOT b"), And(vec![t("a"), Not(Box::new(t("b")))]));
        assert_eq!(Query::parse("(a OR b) AND c"), And(vec![Or(vec![t("a"), t("b")]), t("c")]));
        assert_eq!(Query::parse("a OU b ET c"), Or(vec![t("a"), And(vec![t("b"), t("c")])]));
    }

    #[test]
    fn phrases_and_fields_are_single_terms() {
        assert_eq!(Query::parse("\"Night Sky\""), t("night sky"));
        assert_eq!(Query::parse("type:\"video\""), Field("type".into(), "video".into()));
        assert_eq!(
            Query::parse("Keywords:\"blue hour\" x"),
            And(vec![Field("keywords".into(), "blue hour".into()), t("x")])
        );
    }

    #[test]
    fn stray_brackets_and_operators_are_forgiven() {
        assert_eq!(Query::parse(""), All);
        assert_eq!(Query::parse("  AND  "), All);
        assert_eq!(Query::parse("(a"), t("a"));
        assert_eq!(Query::parse("a) b"), And(vec![t("a"), t("b")]));
        assert_eq!(Query::parse("a OR"), t("a"));
        assert_eq!(Query::parse("NOT"), All);
    }
}
