//! Structure files: TOML (the format people write) or JSON (the same data).
//!
//! Reading goes in three passes, each reporting every problem it finds:
//! syntax; then each item of each section deserialised on its own, so that
//! one bad event does not hide another; then the library's checks of
//! references, ranges and dates. Every diagnostic is located at a
//! `file:line:col`.

use std::fmt;

use std::collections::BTreeMap;

use boardroom::{
    Diagnostic, Path, Seg, Severity, Structure, Unreadable, did_you_mean, validate_partial,
};
use serde::de::DeserializeOwned;

use crate::document::{LineIndex, Node, Value, line_col, parse_json, parse_toml};

/// The syntax a structure file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
}

impl Syntax {
    /// JSON for `.json` files and text starting with `{`; TOML otherwise.
    pub fn guess(name: &str, text: &str) -> Syntax {
        if name.ends_with(".json") || text.trim_start().starts_with('{') {
            Syntax::Json
        } else {
            Syntax::Toml
        }
    }
}

/// A diagnostic placed in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Located {
    pub file: String,
    pub line: usize,
    pub column: usize,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The line of the file the diagnostic points at, clipped to a window
    /// around the column on a long line: (text, the column of the caret in
    /// it, the caret's width).
    #[serde(skip)]
    #[schemars(skip)]
    pub excerpt: Option<(String, usize, usize)>,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.diagnostic;
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{level}: {}", d.message)?;
        // The gutter is as wide as the line number, as rustc's is.
        let pad = " ".repeat(self.line.to_string().len());
        write!(f, "{pad} --> {}:{}:{}", self.file, self.line, self.column)?;
        if !d.path.0.is_empty() {
            write!(f, " ({})", d.path)?;
        }
        writeln!(f)?;
        if let Some((text, caret, width)) = &self.excerpt {
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {text}", self.line)?;
            writeln!(
                f,
                "{pad} | {}{}",
                " ".repeat(caret.saturating_sub(1)),
                "^".repeat((*width).max(1))
            )?;
        }
        if let Some(e) = &d.expected {
            writeln!(f, "{pad} = expected: {e}")?;
        }
        if let Some(h) = &d.hint {
            writeln!(f, "{pad} = hint: {h}")?;
        }
        Ok(())
    }
}

/// What `check` found in a file: every diagnostic, placed (errors, when
/// the file is not well-formed, and nothing else is judged; otherwise the
/// warnings), and the acts judged invalid.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Checked {
    #[serde(flatten)]
    pub summary: boardroom::report::CheckSummary,
    pub diagnostics: Vec<Located>,
}

impl Checked {
    /// A file that could not be read as a structure.
    pub fn malformed(file: &str, diagnostics: Vec<Located>) -> Checked {
        Checked {
            summary: boardroom::report::CheckSummary {
                file: file.to_string(),
                well_formed: false,
                acts: 0,
                invalid: Vec::new(),
            },
            diagnostics,
        }
    }
}

/// A structure read from a file, with its warnings, able to place any
/// path of the structure back in the file.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub structure: Structure,
    pub warnings: Vec<Located>,
    name: String,
    text: String,
    root: Node,
}

impl Loaded {
    /// `file:line:col` of a path into the structure.
    pub fn place(&self, path: &Path) -> String {
        let span = self.root.locate(path);
        let (line, col) = line_col(&self.text, span.start);
        format!("{}:{line}:{col}", self.name)
    }
}

/// The sections a structure file may have, each an array of items except
/// `scenario`.
const SECTIONS: [&str; 13] = [
    "scenario",
    "source",
    "party",
    "share_class",
    "body",
    "office",
    "rule",
    "interest",
    "event",
    "economics",
    "group",
    "constraint",
    "variant",
];

/// Read a structure from `text`. `name` is used in diagnostics and to guess
/// the syntax. On failure, every error found is returned.
pub fn load(name: &str, text: &str) -> Result<Loaded, Vec<Located>> {
    // A leading byte order mark is skipped, in TOML and JSON alike.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = Syntax::guess(name, text);
    let lines = LineIndex::new(text);
    let place = |span: std::ops::Range<usize>, d: Diagnostic| locate(name, &lines, text, span, d);
    if text.trim().is_empty() {
        return Err(vec![place(
            0..0,
            Diagnostic::error(Path::root(), "the file is empty")
                .expected("a structure: parties, bodies, rules and events")
                .hint("`boardroom example openai-2023` prints a complete example to start from"),
        )]);
    }
    let (root, syntax_errors) = match syntax {
        Syntax::Toml => parse_toml(text),
        Syntax::Json => parse_json(text),
    };
    if !syntax_errors.is_empty() {
        let what = match syntax {
            Syntax::Toml => "TOML",
            Syntax::Json => "JSON",
        };
        return Err(syntax_errors
            .into_iter()
            .map(|e| {
                place(
                    e.span,
                    Diagnostic::error(Path::root(), format!("invalid {what}: {}", e.message)).hint(
                        if text_looks_truncated(text) {
                            "the file looks cut short; check that it was saved or copied whole"
                        } else {
                            "fix the syntax here; no other check runs until the file parses"
                        },
                    ),
                )
            })
            .collect());
    }
    let Some(root) = root else {
        return Err(vec![place(
            0..0,
            Diagnostic::error(Path::root(), "the file holds no value"),
        )]);
    };
    let mut reading = Reading::default();
    let structure = read_structure(&root, &mut reading);
    let located = |d: Diagnostic| {
        let span = root.locate(&d.path);
        place(span, d)
    };
    let mut diagnostics: Vec<Located> = reading.errors.drain(..).map(located).collect();
    // Check references too, even when some items could not be read: paths
    // are mapped back to the items' places in the file.
    diagnostics.extend(
        validate_partial(&structure, &reading.unreadable)
            .into_iter()
            .map(|mut d| {
                d.path = reading.original_path(&d.path);
                d
            })
            .map(located),
    );
    let (errs, warnings): (Vec<Located>, Vec<Located>) = diagnostics
        .into_iter()
        .partition(|d| d.diagnostic.is_error());
    if errs.is_empty() {
        Ok(Loaded {
            structure,
            warnings,
            name: name.to_string(),
            text: text.to_string(),
            root,
        })
    } else {
        let mut all = errs;
        all.extend(warnings);
        Err(all)
    }
}

fn text_looks_truncated(text: &str) -> bool {
    let t = text.trim_end();
    let opens = t.matches(['[', '{']).count();
    let closes = t.matches([']', '}']).count();
    opens > closes || t.ends_with(['=', ',', ':']) || t.matches('"').count() % 2 == 1
}

/// Characters of a long line shown on each side of the column.
const EXCERPT_SIDE: usize = 50;

fn locate(
    name: &str,
    lines: &LineIndex<'_>,
    text: &str,
    span: std::ops::Range<usize>,
    d: Diagnostic,
) -> Located {
    let (line, column) = lines.line_col(span.start);
    let excerpt = lines.line(line).map(|l| {
        // Byte offsets within the line; a long line (minified JSON) is
        // clipped to a window around the column, found by walking at most
        // EXCERPT_SIDE characters each way: an excerpt never copies, nor
        // scans, the whole line.
        let at = (span.start.min(text.len()) - lines.start(line)).min(l.len());
        let at = (0..=at).rev().find(|&i| l.is_char_boundary(i)).unwrap_or(0);
        let from = l[..at]
            .char_indices()
            .rev()
            .nth(EXCERPT_SIDE - 1)
            .map_or(0, |(i, _)| i);
        let width = text
            .get(span.clone())
            .map(|s| s.lines().next().unwrap_or("").chars().count())
            .unwrap_or(1)
            .max(1);
        let after = EXCERPT_SIDE + width.min(EXCERPT_SIDE);
        let to = l[at..]
            .char_indices()
            .nth(after)
            .map_or(l.len(), |(i, _)| at + i);
        let mut shown = String::new();
        let mut caret = l[from..at].chars().count() + 1;
        if from > 0 {
            shown.push('…');
            caret += 1;
        }
        shown.push_str(&l[from..to]);
        if to < l.len() {
            shown.push('…');
        }
        let rest = l[at..to].chars().count();
        (shown, caret, width.min(rest.max(1)))
    });
    Located {
        file: name.to_string(),
        line,
        column,
        diagnostic: d,
        excerpt,
    }
}

/// What reading the sections found besides the structure.
#[derive(Default)]
struct Reading {
    errors: Vec<Diagnostic>,
    unreadable: Unreadable,
    /// For each section, the position in the file of each item read.
    positions: BTreeMap<String, Vec<usize>>,
}

impl Reading {
    /// A path into the structure as read, turned into a path into the file
    /// (items that could not be read are missing from the structure).
    fn original_path(&self, path: &Path) -> Path {
        let mut segs = path.0.clone();
        if let (Some(Seg::Key(section)), Some(Seg::Index(i))) = (segs.first(), segs.get(1))
            && let Some(&orig) = self.positions.get(section).and_then(|p| p.get(*i))
        {
            segs[1] = Seg::Index(orig);
        }
        Path(segs)
    }
}

/// Deserialise every section, item by item, collecting every error.
fn read_structure(root: &Node, r: &mut Reading) -> Structure {
    let mut s = Structure::default();
    let Value::Table(entries) = &root.value else {
        r.errors.push(
            Diagnostic::error(Path::root(), "the file must hold a table of sections")
                .expected("sections such as [[party]], [[body]] and [[event]]"),
        );
        return s;
    };
    for (key, _, node) in entries {
        let path = Path(vec![Seg::Key(key.clone())]);
        match key.as_str() {
            "scenario" => {
                if let Some(v) = item(node, &path, r) {
                    s.scenario = v;
                }
            }
            "source" => s.source = items(node, &path, r),
            "party" => s.party = items(node, &path, r),
            "share_class" => s.share_class = items(node, &path, r),
            "body" => s.body = items(node, &path, r),
            "office" => s.office = items(node, &path, r),
            "rule" => s.rule = items(node, &path, r),
            "interest" => s.interest = items(node, &path, r),
            "event" => s.event = items(node, &path, r),
            "economics" => s.economics = items(node, &path, r),
            "group" => s.group = items(node, &path, r),
            "constraint" => s.constraint = items(node, &path, r),
            "variant" => s.variant = items(node, &path, r),
            other => {
                let mut d = Diagnostic::error(path, format!("unknown section `{other}`"))
                    .expected(format!("one of {}", SECTIONS.join(", ")));
                d.hint = did_you_mean(other, SECTIONS).or_else(|| {
                    Some("sections are written [[party]], [[event]], ... in TOML".to_string())
                });
                r.errors.push(d);
            }
        }
    }
    s
}

fn items<T: DeserializeOwned>(node: &Node, path: &Path, r: &mut Reading) -> Vec<T> {
    let Value::Array(list) = &node.value else {
        r.errors.push(
            Diagnostic::error(path.clone(), format!("`{path}` must be a list of items"))
                .expected("an array of tables")
                .hint(format!(
                    "in TOML, write each item under its own [[{path}]] header"
                )),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut positions = Vec::new();
    for (i, n) in list.iter().enumerate() {
        match item(n, &path.index(i), r) {
            Some(v) => {
                out.push(v);
                positions.push(i);
            }
            None => {
                if path.to_string() == "event" {
                    r.unreadable.events = true;
                }
                if let Value::Table(entries) = &n.value
                    && let Some((_, _, id)) = entries.iter().find(|(k, _, _)| k == "id")
                    && let Value::String(id) = &id.value
                {
                    r.unreadable.ids.insert(id.clone());
                }
            }
        }
    }
    r.positions.insert(path.to_string(), positions);
    out
}

/// The most problems reported in one item: each is found by reading the
/// item again without the key at fault.
const PROBLEMS_PER_ITEM: usize = 16;

fn item<T: DeserializeOwned>(node: &Node, path: &Path, r: &mut Reading) -> Option<T> {
    let mut json = node.to_json();
    // Keys taken out after a problem: a "missing field" for one of them is
    // a follow-on of the problem already reported, not another.
    let mut removed: Vec<(Vec<String>, String)> = Vec::new();
    let mut reported = 0;
    loop {
        let e = match serde_path_to_error::deserialize::<_, T>(json.clone()) {
            Ok(v) if reported == 0 => return Some(v),
            Ok(_) => return None,
            Err(e) => e,
        };
        let mut full = path.clone();
        let mut keys: Vec<String> = Vec::new();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => {
                    full = full.index(*index);
                    keys.push(format!("[{index}]"));
                }
                // serde_json's private key for exact numbers is not a place.
                serde_path_to_error::Segment::Map { key } if key.starts_with('$') => {}
                serde_path_to_error::Segment::Map { key } => {
                    full = full.key(key);
                    keys.push(key.clone());
                }
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        let message = e.inner().to_string();
        let follow_on = message.strip_prefix("missing field `").is_some_and(|rest| {
            let field = rest.split('`').next().unwrap_or("");
            removed
                .iter()
                .any(|(at, k)| k == field && at.as_slice() == keys.as_slice())
        });
        if !follow_on {
            r.errors.push(describe_serde_error(full, &message));
            reported += 1;
        }
        // Read the item again without the key at fault, to find the next
        // problem; stop where there is no key to take out.
        let (last, parent) = keys.split_last()?;
        if follow_on || reported >= PROBLEMS_PER_ITEM || last.starts_with('[') {
            return None;
        }
        let mut at = &mut json;
        for k in parent {
            let next = match k.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
                Some(i) => i.parse::<usize>().ok().and_then(|i| at.get_mut(i)),
                None => at.get_mut(k.as_str()),
            };
            match next {
                Some(n) => at = n,
                None => return None,
            }
        }
        match at.as_object_mut().and_then(|m| m.remove(last.as_str())) {
            Some(_) => removed.push((parent.to_vec(), last.clone())),
            None => return None,
        }
    }
}

/// "did you mean `remove`?" for a misspelled field name or value: serde
/// names the word (the first in backticks) and the ones it expected.
fn suggestion(message: &str) -> Option<String> {
    let (head, expected) = message.split_once(", expected ")?;
    let word = head.split('`').nth(1)?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(word, candidates)
}

/// Turn serde's message into a diagnostic with an expectation and a hint.
fn describe_serde_error(path: Path, message: &str) -> Diagnostic {
    let field = match path.0.last() {
        Some(Seg::Key(k)) => k.clone(),
        _ => String::new(),
    };
    let mut d = Diagnostic::error(path, message.to_string());
    if let Some((head, expected)) = message.split_once(", expected ") {
        d.message = head.to_string();
        d.expected = Some(expected.to_string());
    }
    if d.expected.as_deref() == Some("string or map") {
        d.expected = Some("a name, as a string".to_string());
    }
    // rust_decimal's words, and a too large integer read "as u128": an
    // exact decimal holds 28 significant digits.
    if d.expected.as_deref() == Some("a Decimal type representing a fixed-point number") {
        d.expected = Some(
            "an exact decimal number of at most 28 significant digits (at most 79,228,162,514,264,337,593,543,950,335)"
                .to_string(),
        );
        if let Some(at) = d.message.find(" as u128") {
            d.message.truncate(at);
        }
        d.message = d
            .message
            .replacen("invalid type: integer", "the number", 1)
            .replacen("invalid value: string", "the number", 1);
        d.message.push_str(" is not an exact decimal");
        d.hint = Some(
            "write the number as stated in the source; counts and amounts above 7.9e28 cannot be held exactly".into(),
        );
        return d;
    }
    if message.starts_with("missing field") {
        d.hint = Some("add the field to this item".to_string());
    } else if message.starts_with("unknown field") {
        d.hint = Some(suggestion(message).unwrap_or_else(|| {
            "check the spelling; the JSON Schema in schema/structure.schema.json lists every field"
                .into()
        }));
    } else if message.starts_with("unknown variant") {
        d.hint = Some(suggestion(message).unwrap_or_else(|| "use one of the values listed".into()));
    } else if matches!(
        field.as_str(),
        "date" | "start" | "end" | "as_of" | "highlight"
    ) || message.contains("input contains invalid characters")
        || message.contains("premature end of input")
        || message.contains("trailing input")
    {
        d.expected = Some("a date, YYYY-MM-DD".into());
        d.hint = Some("write dates as 2023-11-17; times of day are not used".into());
    } else if message.contains("out of range")
        || message.contains("overflow")
        || message.contains("too large")
        || message == "invalid number"
        || message.contains("maximum precision")
    {
        d.message = format!("{message}: the number does not fit this field");
        d.expected = Some(match field.as_str() {
            "seats" => "a whole number, 0 or more, at most 4,294,967,295".into(),
            _ => "a number this field can hold: counts are whole and never negative".into(),
        });
        d.hint = Some(
            "check the sign and the size; shares are percentages from 0 to 100, and seats and votes are counts"
                .into(),
        );
    }
    d
}

/// The structure as TOML, for `boardroom example` and round trips.
pub fn to_toml(s: &Structure) -> Result<String, toml::ser::Error> {
    toml::to_string_pretty(s)
}

/// One item of a section read from a text of its own, such as an event
/// posted to the server: the item, and a way to place any later diagnostic
/// about it (a path relative to the item) in that text.
pub struct ItemText {
    name: String,
    text: String,
    root: Node,
}

impl ItemText {
    /// A diagnostic whose path is relative to the item, placed in its text.
    pub fn locate(&self, d: Diagnostic) -> Located {
        let lines = LineIndex::new(&self.text);
        let span = self.root.locate(&d.path);
        locate(&self.name, &lines, &self.text, span, d)
    }
}

/// Reads one item (`T`, such as an `Event`) from JSON `text`: the item and
/// its text, or every problem located in it, as a structure file's items
/// are read (paths relative to the item). `name` says where the text came
/// from.
pub fn read_item<T: DeserializeOwned>(
    name: &str,
    text: &str,
) -> Result<(T, ItemText), Vec<Located>> {
    let lines = LineIndex::new(text);
    let place = |span: std::ops::Range<usize>, d: Diagnostic| locate(name, &lines, text, span, d);
    let (root, syntax_errors) = parse_json(text);
    if !syntax_errors.is_empty() {
        return Err(syntax_errors
            .into_iter()
            .map(|e| {
                place(
                    e.span,
                    Diagnostic::error(Path::root(), format!("invalid JSON: {}", e.message))
                        .expected("one JSON object"),
                )
            })
            .collect());
    }
    let Some(root) = root else {
        return Err(vec![place(
            0..0,
            Diagnostic::error(Path::root(), "the text holds no value").expected("one JSON object"),
        )]);
    };
    let mut reading = Reading::default();
    match item::<T>(&root, &Path::root(), &mut reading) {
        Some(v) if reading.errors.is_empty() => Ok((
            v,
            ItemText {
                name: name.to_string(),
                text: text.to_string(),
                root,
            },
        )),
        _ => Err(reading
            .errors
            .into_iter()
            .map(|d| {
                let span = root.locate(&d.path);
                place(span, d)
            })
            .collect()),
    }
}
