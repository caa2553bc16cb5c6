//! The JSON Schema of the structure format, generated from the model.

/// The JSON Schema of a structure file, pretty-printed, with a trailing newline.
pub fn structure_schema() -> String {
    let mut schema = schemars::schema_for!(boardroom::Structure);
    schema.insert(
        "$id".to_string(),
        serde_json::Value::String("https://boardroom.dev/schema/structure.schema.json".to_string()),
    );
    schema.insert(
        "title".to_string(),
        serde_json::Value::String("boardroom structure".to_string()),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
