//! A parsed document that remembers where every value came from.
//!
//! TOML and JSON are both read into the same [`Node`] tree, each value
//! with its byte span, so that any [`Path`] into the structure can be
//! turned into a `file:line:col`.

use std::ops::Range;

use boardroom::{Path, Seg};

/// A value with its byte span in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub value: Value,
}

/// A parsed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, as written (normalised: no underscores, decimal radix).
    Number(String),
    String(String),
    /// A TOML date or date-time, as written.
    Date(String),
    Array(Vec<Node>),
    /// Keys in file order, each with the span of the key itself.
    Table(Vec<(String, Range<usize>, Node)>),
}

/// A syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Range<usize>,
    pub message: String,
}

impl Node {
    /// The node a path leads to, or the deepest node on the way.
    pub fn locate(&self, path: &Path) -> Range<usize> {
        let mut node = self;
        let mut span = self.span.clone();
        for seg in &path.0 {
            let next = match (seg, &node.value) {
                (Seg::Key(k), Value::Table(entries)) => entries
                    .iter()
                    .find(|(key, _, _)| key == k)
                    .map(|(_, key_span, n)| (key_span.clone(), n)),
                (Seg::Index(i), Value::Array(items)) => items.get(*i).map(|n| (n.span.clone(), n)),
                _ => None,
            };
            match next {
                Some((key_span, n)) => {
                    // Point at the key of a table entry, at the value otherwise.
                    span = if matches!(seg, Seg::Key(_))
                        && !matches!(n.value, Value::Table(_) | Value::Array(_))
                    {
                        key_span
                    } else {
                        n.span.clone()
                    };
                    node = n;
                }
                None => break,
            }
        }
        span
    }

    /// The value as JSON, for typed deserialisation.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str::<serde_json::Number>(n)
                .map(serde_json::Value::Number)
                .unwrap_or_else(|_| serde_json::Value::String(n.clone())),
            Value::String(s) | Value::Date(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Table(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, _, n)| (k.clone(), n.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parse TOML, returning the tree (when the text parses at all) and every
/// syntax error found.
pub fn parse_toml(text: &str) -> (Option<Node>, Vec<SyntaxError>) {
    let (table, errors) = toml::de::DeTable::parse_recoverable(text);
    let errors: Vec<SyntaxError> = errors
        .into_iter()
        .map(|e| SyntaxError {
            span: e.span().unwrap_or(0..0),
            message: e.message().trim().to_string(),
        })
        .collect();
    let span = table.span();
    let node = Node {
        span,
        value: toml_table(table.get_ref()),
    };
    (Some(node), errors)
}

fn toml_table(t: &toml::de::DeTable<'_>) -> Value {
    Value::Table(
        t.iter()
            .map(|(k, v)| (k.get_ref().to_string(), k.span(), toml_node(v)))
            .collect(),
    )
}

fn toml_node(v: &toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue;
    let value = match v.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => Value::Number(
            i128::from_str_radix(i.as_str(), i.radix())
                .map(|n| n.to_string())
                .unwrap_or_else(|_| i.as_str().to_string()),
        ),
        DeValue::Float(f) => Value::Number(f.as_str().replace('_', "")),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Date(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(toml_node).collect()),
        DeValue::Table(t) => toml_table(t),
    };
    Node {
        span: v.span(),
        value,
    }
}

/// Parse strict JSON.
pub fn parse_json(text: &str) -> (Option<Node>, Vec<SyntaxError>) {
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match jsonc_parser::parse_to_ast(text, &Default::default(), &options) {
        Ok(result) => match result.value {
            Some(v) => {
                // Keys given twice in one object are refused, as TOML
                // refuses them: serde would keep the last one silently.
                let mut duplicates = Vec::new();
                let node = json_node(&v, &mut duplicates);
                if duplicates.is_empty() {
                    (Some(node), duplicates)
                } else {
                    (None, duplicates)
                }
            }
            None => (
                None,
                vec![SyntaxError {
                    span: 0..0,
                    message: "the file is empty".to_string(),
                }],
            ),
        },
        Err(e) => {
            let r = e.range();
            (
                None,
                vec![SyntaxError {
                    span: r.start..r.end,
                    message: e.kind().to_string(),
                }],
            )
        }
    }
}

fn json_node(v: &jsonc_parser::ast::Value<'_>, duplicates: &mut Vec<SyntaxError>) -> Node {
    use jsonc_parser::ast::Value as J;
    let (range, value) = match v {
        J::StringLit(s) => (s.range, Value::String(s.value.to_string())),
        J::NumberLit(n) => (n.range, Value::Number(n.value.to_string())),
        J::BooleanLit(b) => (b.range, Value::Bool(b.value)),
        J::NullKeyword(n) => (n.range, Value::Null),
        J::Array(a) => (
            a.range,
            Value::Array(
                a.elements
                    .iter()
                    .map(|e| json_node(e, duplicates))
                    .collect(),
            ),
        ),
        J::Object(o) => {
            let mut seen = std::collections::HashSet::new();
            let mut table = Vec::with_capacity(o.properties.len());
            for p in &o.properties {
                let key_range = match &p.name {
                    jsonc_parser::ast::ObjectPropName::String(s) => s.range,
                    jsonc_parser::ast::ObjectPropName::Word(w) => w.range,
                };
                let key = p.name.as_str();
                if !seen.insert(key) {
                    duplicates.push(SyntaxError {
                        span: key_range.start..key_range.end,
                        message: format!("duplicate key `{key}`"),
                    });
                }
                table.push((
                    key.to_string(),
                    key_range.start..key_range.end,
                    json_node(&p.value, duplicates),
                ));
            }
            (o.range, Value::Table(table))
        }
    };
    Node {
        span: range.start..range.end,
        value,
    }
}

/// The lines of a text, found once, so that placing many diagnostics
/// costs one pass over the text and a short count each, not a rescan from
/// the start (nor from the start of a long line) for each.
pub struct LineIndex<'a> {
    text: &'a str,
    /// The byte offset at which each line starts.
    starts: Vec<usize>,
    /// Every `CHECKPOINT` bytes (on a character boundary): the offset and
    /// the characters from the start of its line to it. A column on a
    /// minified line of megabytes is counted from the nearest one.
    checkpoints: Vec<(usize, usize)>,
}

const CHECKPOINT: usize = 1 << 16;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        Self::with_checkpoints(text, CHECKPOINT)
    }

    fn with_checkpoints(text: &'a str, every: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut checkpoints = Vec::new();
        if text.len() > every {
            let (mut line, mut at, mut chars) = (0, 0, 0);
            let mut next = every;
            while next < text.len() {
                let mut cut = next;
                while !text.is_char_boundary(cut) {
                    cut += 1;
                }
                // Restart the count at each line start passed.
                while line + 1 < starts.len() && starts[line + 1] <= cut {
                    line += 1;
                    at = starts[line];
                    chars = 0;
                }
                chars += text[at..cut].chars().count();
                at = cut;
                checkpoints.push((cut, chars));
                next = cut + every;
            }
        }
        LineIndex {
            text,
            starts,
            checkpoints,
        }
    }

    /// The byte offset at which line `line` (from 1) starts.
    pub fn start(&self, line: usize) -> usize {
        self.starts[line - 1]
    }

    /// Line and column (both from 1, columns in characters) of a byte
    /// offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        // The nearest checkpoint at or before the offset, on this line.
        let k = self.checkpoints.partition_point(|&(o, _)| o <= offset);
        let (from, before) = match k.checked_sub(1).map(|i| self.checkpoints[i]) {
            Some((o, c)) if o >= start => (o, c),
            _ => (start, 0),
        };
        (line, before + self.text[from..offset].chars().count() + 1)
    }

    /// The text of line `line` (from 1), without its line end.
    pub fn line(&self, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(self.text.len(), |e| e - 1);
        self.text
            .get(start..end.max(start))
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
    }
}

/// Line and column (both from 1, columns in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit_once('\n')
        .map_or(before, |(_, tail)| tail)
        .chars()
        .count()
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Lines and columns from the index, with checkpoints close
        /// together, are those counted from the start of the text.
        #[test]
        fn line_index_places_every_offset_as_a_rescan_does(
            text in "[a\\né\r€]{0,200}",
            every in 1usize..9,
        ) {
            let index = LineIndex::with_checkpoints(&text, every);
            for offset in 0..=text.len() {
                if text.is_char_boundary(offset) {
                    prop_assert_eq!(index.line_col(offset), line_col(&text, offset));
                }
            }
            for (i, l) in text.split('\n').enumerate() {
                prop_assert_eq!(index.line(i + 1), Some(l.strip_suffix('\r').unwrap_or(l)));
            }
        }
    }
}
