//! JSON Schemas: of the structure format, and of every command's JSON
//! output. The checked-in copies live in `schema/`; a test keeps them current.

use schemars::JsonSchema;

/// Every schema: (name, what it describes).
pub const SCHEMAS: [(&str, &str); 19] = [
    ("structure", "a structure file (TOML or JSON)"),
    ("report", "`report --format json`"),
    ("state", "`state --format json`"),
    ("replay", "`replay --format json`"),
    ("what-if", "`replay --against/--absent ... --format json`"),
    ("check", "`check --format json`"),
    ("control", "`control --format json`"),
    ("graph", "`graph --format json`"),
    ("block", "`block --format json`"),
    ("diff", "`diff --format json`"),
    ("bods-validation", "`validate bods --format json`"),
    ("ocf-validation", "`validate ocf --format json`"),
    (
        "waterfall-comparison",
        "`waterfall --amount X --compare --format json`",
    ),
    ("lookthrough", "`lookthrough --format json`"),
    ("power", "`power --format json`"),
    ("owners", "`owners --format json`"),
    ("waterfall", "`waterfall --amount ... --format json`"),
    (
        "waterfall-cumulative",
        "`waterfall --cumulative ... --format json`",
    ),
    (
        "fund-ledger",
        "`waterfall --format json` on a fund with dated calls",
    ),
];

fn render<T: JsonSchema>(id: &str, title: &str) -> String {
    let mut schema = schemars::schema_for!(T);
    // Every output but the structure file comes in an envelope that
    // names it: the schema says which output it validates.
    if id != "structure"
        && let Some(props) = schema.get_mut("properties").and_then(|p| p.as_object_mut())
    {
        props.insert("output".to_string(), serde_json::json!({ "const": id }));
        props.insert(
            "version".to_string(),
            serde_json::json!({ "const": boardroom::envelope::VERSION }),
        );
    }
    schema.insert(
        "$id".to_string(),
        serde_json::Value::String(format!("https://boardroom.dev/schema/{id}.schema.json")),
    );
    schema.insert(
        "title".to_string(),
        serde_json::Value::String(title.to_string()),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema named `name` (see [`SCHEMAS`]), pretty-printed.
pub fn schema(name: &str) -> Option<String> {
    use boardroom::Envelope;
    use boardroom::report::{Report, StateView};
    Some(match name {
        "structure" => render::<boardroom::Structure>("structure", "boardroom structure"),
        "report" => render::<Envelope<Report>>("report", "boardroom report"),
        "state" => render::<Envelope<StateView>>("state", "boardroom state on a date"),
        "replay" => render::<Envelope<boardroom::Verdicts>>("replay", "boardroom verdicts"),
        "what-if" => render::<Envelope<boardroom::report::WhatIf>>(
            "what-if",
            "boardroom replay with votes changed",
        ),
        "check" => render::<Envelope<crate::structure_file::Checked>>("check", "boardroom check"),
        "control" => render::<Envelope<boardroom::ControlReport>>("control", "boardroom control"),
        "graph" => render::<Envelope<boardroom::Graph>>("graph", "boardroom graph"),
        "block" => render::<Envelope<boardroom::BlockAnswer>>("block", "boardroom block question"),
        "diff" => {
            render::<Envelope<boardroom::Changes>>("diff", "boardroom changes between two dates")
        }
        "bods-validation" => render::<Envelope<crate::bods_validation::Validation>>(
            "bods-validation",
            "BODS validation",
        ),
        "waterfall-comparison" => render::<Envelope<boardroom::report::SheetComparison>>(
            "waterfall-comparison",
            "Term sheets compared at one amount",
        ),
        "ocf-validation" => render::<Envelope<crate::ocf::Validation>>(
            "ocf-validation",
            "OCF package validation and cap table",
        ),
        "lookthrough" => render::<Envelope<boardroom::LookThrough>>(
            "lookthrough",
            "boardroom look-through interests",
        ),
        "power" => {
            render::<Envelope<boardroom::PowerReport>>("power", "boardroom voting power of a game")
        }
        "owners" => render::<Envelope<boardroom_register::OwnersReport>>(
            "owners",
            "boardroom owners and controllers of one entity",
        ),
        "waterfall" => render::<Envelope<boardroom_waterfall::Distribution>>(
            "waterfall",
            "boardroom waterfall of one amount",
        ),
        "waterfall-cumulative" => render::<Envelope<boardroom_waterfall::Cumulative>>(
            "waterfall-cumulative",
            "boardroom cumulative waterfall",
        ),
        "fund-ledger" => render::<Envelope<boardroom_waterfall::Ledger>>(
            "fund-ledger",
            "boardroom fund ledger: calls and distributions through the waterfall",
        ),
        _ => return None,
    })
}

/// The JSON Schema of a structure file.
pub fn structure_schema() -> String {
    schema("structure").unwrap_or_default()
}
