//! Diagnostics: what is wrong with a structure, where, and what to do.
//!
//! The library names a place by its [`Path`] in the structure
//! (`event[3].person`); the formats crate turns a path into a
//! `file:line:col` in the file the structure came from.

use std::fmt;

use serde::Serialize;

/// One step of a path into a structure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Where in a structure a diagnostic points, such as `event[3].person`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Path(pub Vec<Seg>);

impl Path {
    pub fn root() -> Path {
        Path(Vec::new())
    }

    /// `section[index]`, such as `party[2]`.
    pub fn item(section: &str, index: usize) -> Path {
        Path(vec![Seg::Key(section.to_string()), Seg::Index(index)])
    }

    pub fn key(&self, key: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.to_string()));
        p
    }

    pub fn index(&self, index: usize) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Key(k) if first => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

impl schemars::JsonSchema for Path {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Path".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Where in the structure, such as `event[3].person`"
        })
    }
}

impl Serialize for Path {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How bad a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem with a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Where in the structure.
    pub path: Path,
    /// What is wrong.
    pub message: String,
    /// What was expected instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path,
            message: message.into(),
            expected: None,
            hint: None,
        }
    }

    pub fn warning(path: Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Diagnostic {
        self.expected = Some(expected.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// "did you mean `x`?" for the closest of `candidates`, if one is close;
/// "`x` or `y`?" when two are about as close (`bdy`: `body` or `by`).
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut close: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score > 0.8)
        .collect();
    // Best first; equal scores keep the candidates' order.
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    let best = close.first()?.0;
    let names: Vec<String> = close
        .iter()
        .take_while(|(score, _)| best - score < 0.05)
        .take(3)
        .map(|(_, c)| format!("`{c}`"))
        .collect();
    Some(format!("did you mean {}?", names.join(" or ")))
}

/// Text from the input as one line, for display: every control character
/// (a line break, a terminal escape) becomes a space, so that a name
/// cannot break a line of output or drive the terminal.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod one_line_tests {
    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(
            super::one_line("Acme\nerror: forged\x1b[2J"),
            "Acme error: forged [2J"
        );
        assert!(matches!(
            super::one_line("Acme"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
