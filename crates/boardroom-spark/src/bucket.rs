//! Reading the statements on the cluster: each executor reads a bucket
//! of the register with [`boardroom_register::Register`], the reader every
//! other command uses, so the one definition of control decides each hop
//! there as it does here.
//!
//! The cluster routes the statements (`plan::route`): each relationship
//! record to the bucket of its subject (the subject of its first
//! statement), so a subject's relationships are read together, as the
//! definition of control needs; each entity or person statement to its
//! own bucket and to every bucket of a relationship that names it, so
//! whether a party is a person, closed or absent is known wherever it
//! holds. Each bucket's statements are applied in the order of the file.
//! A bucket's graph is written as rows keyed by record id ([`Key::Id`]);
//! the cluster numbers the nodes once every bucket is read.

use crate::tables::{Key, write_edges_keyed, write_nodes_keyed};
use boardroom_register::{Body, Register, RegisterOptions, Statement, read_statement};

/// What a bucket gives: rows tagged `node`, `edge`, `problem` (a statement
/// that could not be read), `warning` (one applied but odd) and `moved`
/// (a statement not routed by what it names: a relationship whose
/// statements name different subjects, say).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BucketRows {
    /// Each row's tag.
    pub tags: Vec<&'static str>,
    /// Each row, as JSON.
    pub rows: Vec<String>,
}

impl BucketRows {
    fn push(&mut self, tag: &'static str, row: String) {
        self.tags.push(tag);
        self.rows.push(row);
    }
}

/// Reads one bucket: `statements` are `(line, text, routed)`, in any
/// order (they are applied in the order of their lines), read as of
/// `as_of` (a `YYYY-MM-DD` date) when given; `routed` is what each was
/// routed by (a relationship's subject, another statement's recordId),
/// checked against what it names.
pub fn read_bucket(
    statements: &mut [(u64, &str, Option<&str>)],
    as_of: Option<&str>,
    senior_official_fallback: bool,
) -> BucketRows {
    statements.sort_unstable_by_key(|(line, _, _)| *line);
    let mut out = BucketRows::default();
    let mut register = Register::new(RegisterOptions {
        as_of: as_of.map(str::to_owned),
        control: boardroom::definition::Options {
            senior_official_fallback,
        },
        ..RegisterOptions::default()
    });
    for &(line, text, routed) in statements.iter() {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match read_statement(text.as_bytes(), line) {
            Ok(mut st) => {
                if let Some(moved) = moved(&st, line, routed) {
                    out.push("moved", moved);
                }
                register.apply(&mut st);
            }
            Err(p) => out.push(
                "problem",
                serde_json::json!({"line": p.line, "message": p.to_string()}).to_string(),
            ),
        }
    }
    let (g, report) = register.finish();
    for w in &report.warnings {
        out.push(
            "warning",
            serde_json::json!({"line": w.line, "rid": &*w.record_id, "message": &w.message})
                .to_string(),
        );
    }
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_nodes_keyed(&g, Key::Id, &mut nodes);
    let _ = write_edges_keyed(&g, Key::Id, &mut edges);
    for (tag, text) in [("node", nodes), ("edge", edges)] {
        for row in String::from_utf8_lossy(&text).lines() {
            out.push(tag, row.to_owned());
        }
    }
    out
}

/// A statement not routed by what it names: a relationship whose subject
/// is not the one its record was routed by (its record's relationships
/// are split between buckets), or a statement the routing read otherwise
/// than the reader does (its record may be missing elsewhere).
fn moved(st: &Statement, line: u64, routed: Option<&str>) -> Option<String> {
    let (named, what) = match &st.body {
        Body::Relationship { subject, .. } => (&**subject, "subject"),
        _ => (&*st.record_id, "recordId"),
    };
    if routed == Some(named) {
        return None;
    }
    let message = match (routed, &st.body) {
        (Some(routed), Body::Relationship { .. }) => format!(
            "relationship `{}` names subject `{named}` here, but `{routed}` in its first statement",
            st.record_id
        ),
        (Some(routed), _) => {
            format!("the statement reads as record `{named}`, but was routed as `{routed}`")
        }
        (None, _) => format!(
            "the statement reads as {what} `{named}`, but could not be routed by its fields"
        ),
    };
    Some(
        serde_json::json!({
            "line": line,
            "rid": &*st.record_id,
            "message": format!("line {line}: {message}"),
        })
        .to_string(),
    )
}
