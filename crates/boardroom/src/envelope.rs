//! The envelope of every JSON output: which output it is, the version of
//! its format, the answer itself, and the sources the answer cites.
//!
//! A reader (a script, an editor, a newsroom's pipeline) checks `output`
//! and `version` before anything else; a fact's `source` id is looked up
//! in `sources`, which lists each cited source once, in the structure's
//! order, with its title, publisher, date and address.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::{Source, Structure};

/// The version of every JSON output's format. It goes up when a field
/// changes meaning or goes away; new fields do not change it.
pub const VERSION: u32 = 1;

/// One JSON output.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Envelope<T> {
    /// Which output this is: `report`, `state`, `replay`, ... (the
    /// command that printed it, and the name of its schema).
    pub output: String,
    /// The version of the output's format ([`VERSION`]).
    pub version: u32,
    #[serde(flatten)]
    pub body: T,
    /// Every source the output cites by id, once each, in the order the
    /// structure lists them.
    pub sources: Vec<Source>,
    /// What the whole answer rests on that is reported, assumed or not
    /// checkable, for outputs whose body does not say it item by item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<String>,
}

impl<T: Serialize> Envelope<T> {
    /// `body` as the output `output`, with the sources of `s` it cites.
    pub fn new(output: &str, s: &Structure, body: T) -> Envelope<T> {
        let sources = cited(s, &body);
        Envelope {
            output: output.to_string(),
            version: VERSION,
            body,
            sources,
            caveats: Vec::new(),
        }
    }

    /// `body` as the output `output`, citing the sources `ids` of `s` as
    /// well as those the body names.
    pub fn citing(output: &str, s: &Structure, body: T, ids: &[String]) -> Envelope<T> {
        let mut e = Envelope::new(output, s, body);
        let extra: Vec<Source> = s
            .source
            .iter()
            .filter(|x| ids.contains(&x.id) && !e.sources.iter().any(|y| y.id == x.id))
            .cloned()
            .collect();
        e.sources.extend(extra);
        // In the structure's order, as `new` gives them.
        e.sources
            .sort_by_key(|x| s.source.iter().position(|y| y.id == x.id));
        e
    }

    /// `body` as the output `output`, which rests on no structure.
    pub fn bare(output: &str, body: T) -> Envelope<T> {
        Envelope {
            output: output.to_string(),
            version: VERSION,
            body,
            sources: Vec::new(),
            caveats: Vec::new(),
        }
    }

    /// The same, with caveats on the whole answer.
    pub fn with_caveats(mut self, caveats: Vec<String>) -> Envelope<T> {
        self.caveats = caveats;
        self
    }
}

/// The sources of `s` that `body` cites: every string under a `source`
/// key and every string in a `sources` array (or in its arrays, one per
/// item of a parallel list), wherever it is nested. One
/// definition for every output, so that no view can cite a source the
/// envelope leaves out.
pub fn cited<T: Serialize>(s: &Structure, body: &T) -> Vec<Source> {
    let mut ids = BTreeSet::new();
    if let Ok(v) = serde_json::to_value(body) {
        collect(&v, &mut ids);
    }
    s.source
        .iter()
        .filter(|x| ids.contains(x.id.as_str()))
        .cloned()
        .collect()
}

fn collect(v: &serde_json::Value, ids: &mut BTreeSet<String>) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("source", Value::String(id)) => {
                        ids.insert(id.clone());
                    }
                    ("sources", Value::Array(list)) if list.iter().all(is_ids) => {
                        strings(x, ids);
                    }
                    _ => collect(x, ids),
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|x| collect(x, ids)),
        _ => {}
    }
}

/// Whether `v` is a source id, or a list of them (one per item of a
/// parallel list: a game's players).
fn is_ids(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(_) => true,
        serde_json::Value::Array(list) => list.iter().all(serde_json::Value::is_string),
        _ => false,
    }
}

/// Every string in `v`, at any depth.
fn strings(v: &serde_json::Value, ids: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(id) => {
            ids.insert(id.clone());
        }
        serde_json::Value::Array(list) => list.iter().for_each(|x| strings(x, ids)),
        _ => {}
    }
}

/// Opens and closes a citation marker in text for people: private-use
/// characters that no output prints. The formats number them
/// (`boardroom_formats::text::cite`) and list the sources at the end.
pub const MARK_OPEN: char = '\u{E000}';
pub const MARK_CLOSE: char = '\u{E001}';

/// A citation of the source `id`: " [n]" in the finished text. Nothing
/// when there is no source.
pub fn cite_mark(id: Option<&str>) -> String {
    id.map(|id| format!(" {MARK_OPEN}{id}{MARK_CLOSE}"))
        .unwrap_or_default()
}

/// Citations of several sources, each once.
pub fn cite_marks<'a>(ids: impl IntoIterator<Item = &'a String>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        if !seen.contains(&id.as_str()) {
            seen.push(id);
        }
    }
    seen.into_iter().map(|id| cite_mark(Some(id))).collect()
}

/// The verdicts of a replay, as an object (an envelope's body is one).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Verdicts {
    pub verdicts: Vec<crate::timeline::Verdict>,
}

/// The schema of an exact fraction written as text, `p/q` in lowest terms
/// (or `p`): its pattern tells a reader (the Python package reads a
/// `Fraction`) that the text is a number, not a name.
pub fn fraction_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "pattern": "^-?[0-9]+(/[0-9]+)?$"
    })
}

/// [`fraction_schema`], or null.
pub fn optional_fraction_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["string", "null"],
        "pattern": "^-?[0-9]+(/[0-9]+)?$"
    })
}

/// The schema of an exact count written as decimal digits (it may not fit
/// in a JSON number): a reader reads an integer.
pub fn count_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "pattern": "^[0-9]+$"
    })
}
