//! The OpenAPI 3.1 document, written from the same tables the router
//! serves (`questions::QUESTIONS`) and from the output types' own JSON
//! Schemas (the `schema/` files the command line checks in): a parameter or
//! an output cannot be served without being documented.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::questions::{COMMON, Kind, Param, QUESTIONS};

fn param_schema(kind: Kind) -> Value {
    match kind {
        Kind::Date => json!({"type": "string", "format": "date"}),
        Kind::Text => json!({"type": "string"}),
        Kind::List => {
            json!({"type": "array", "items": {"type": "string"}})
        }
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Integer => json!({"type": "integer", "minimum": 0}),
        Kind::Amount => {
            json!({"type": "string", "pattern": "^[0-9][0-9_,]*(\\.[0-9]+)?[KMBkmb]?$"})
        }
    }
}

fn parameter(p: &Param) -> Value {
    let mut v = json!({
        "name": p.name,
        "in": "query",
        "required": p.required,
        "description": p.about,
        "schema": param_schema(p.kind),
    });
    if p.kind == Kind::List {
        v["style"] = json!("form");
        v["explode"] = json!(false);
    }
    v
}

fn id_parameter() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"}, "description": "the structure's id"})
}

/// Moves a schema's `$defs` into `defs`, its references rewritten to
/// point there; returns the schema without them.
fn hoist(mut schema: Value, defs: &mut Map<String, Value>) -> Value {
    if let Some(Value::Object(own)) = schema.as_object_mut().and_then(|o| o.remove("$defs")) {
        for (k, v) in own {
            let v = rewrite(v);
            defs.entry(k).or_insert(v);
        }
    }
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
    }
    rewrite(schema)
}

fn rewrite(v: Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| {
                    let v = match (&*k, v) {
                        ("$ref", Value::String(r)) => {
                            Value::String(r.replace("#/$defs/", "#/components/schemas/"))
                        }
                        (_, v) => rewrite(v),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(rewrite).collect()),
        v => v,
    }
}

fn component(name: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in name.chars() {
        if c == '-' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out + "Output"
}

fn problem_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

/// The document.
pub fn openapi() -> Value {
    let mut schemas = Map::new();
    let mut outputs: Vec<&str> = QUESTIONS
        .iter()
        .flat_map(|q| q.outputs.iter().copied())
        .collect();
    outputs.push("structure");
    for name in outputs {
        if let Some(text) = boardroom_formats::schema(name)
            && let Ok(v) = serde_json::from_str::<Value>(&text)
        {
            let mut defs = Map::new();
            let s = hoist(v, &mut defs);
            for (k, v) in defs {
                schemas.entry(k).or_insert(v);
            }
            schemas.insert(component(name), s);
        }
    }
    schemas.insert(
        "Problem".into(),
        json!({
            "type": "object",
            "description": "RFC 9457 problem details, with located diagnostics",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string", "description": "urn:boardroom:problem:<kind>"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "hint": {"type": "string"},
                "diagnostics": {"type": "array", "items": {"type": "object", "description": "file, line, column, path, severity, message, expected, hint"}}
            }
        }),
    );
    let common_errors = |o: &mut Map<String, Value>| {
        o.insert(
            "400".into(),
            problem_response("a parameter is unknown or malformed"),
        );
        o.insert(
            "401".into(),
            problem_response("a token is needed, or the one sent is not valid"),
        );
        o.insert(
            "403".into(),
            problem_response("the token does not reach this structure"),
        );
        o.insert("404".into(), problem_response("no such structure"));
    };
    let mut paths = Map::new();
    for q in QUESTIONS {
        let mut params = vec![id_parameter()];
        params.extend(COMMON.iter().map(parameter));
        params.extend(q.params.iter().map(parameter));
        let mut content = Map::new();
        let json_schema = match q.outputs {
            [] => {
                json!({"type": "array", "items": {"type": "object"}, "description": "BODS 0.4 statements"})
            }
            [one] => json!({"$ref": format!("#/components/schemas/{}", component(one))}),
            many => {
                json!({"oneOf": many.iter().map(|o| json!({"$ref": format!("#/components/schemas/{}", component(o))})).collect::<Vec<_>>()})
            }
        };
        content.insert("application/json".into(), json!({"schema": json_schema}));
        for f in q.formats {
            let media = match *f {
                "svg" => "image/svg+xml",
                "html" => "text/html",
                "markdown" => "text/markdown",
                "dot" => "text/vnd.graphviz",
                "jsonl" => "application/jsonl",
                _ => "text/plain",
            };
            content
                .entry(media.to_string())
                .or_insert(json!({"schema": {"type": "string"}}));
        }
        let mut responses = Map::new();
        responses.insert("200".into(), json!({"description": format!("the answer (format: json, {})", q.formats.join(", ")), "content": content}));
        common_errors(&mut responses);
        responses.insert(
            "422".into(),
            problem_response(
                "the question does not fit the structure (an unknown id, dates in the wrong order)",
            ),
        );
        paths.insert(
            format!("/api/structures/{{id}}/{}", q.name),
            json!({"get": {
                "operationId": q.name,
                "summary": q.summary,
                "tags": ["questions"],
                "parameters": params,
                "responses": responses,
            }}),
        );
    }
    let known_at = parameter(&COMMON[0]);
    let mut list = Map::new();
    list.insert(
        "200".into(),
        json!({"description": "the structures the caller may read"}),
    );
    common_errors(&mut list);
    let mut created = Map::new();
    created.insert(
        "201".into(),
        json!({"description": "created; Location names it"}),
    );
    common_errors(&mut created);
    created.insert(
        "409".into(),
        problem_response("the id is taken; structures are never replaced"),
    );
    created.insert(
        "413".into(),
        problem_response("the body is larger than the server accepts"),
    );
    created.insert(
        "422".into(),
        problem_response("the structure file has problems, each located"),
    );
    paths.insert("/api/structures".into(), json!({
        "get": {"operationId": "structures", "summary": "The structures in the record", "tags": ["record"], "responses": list},
        "post": {
            "operationId": "createStructure",
            "summary": "Create a structure from a structure file (TOML or JSON); needs a token made with --write '*'",
            "tags": ["record"],
            "security": [{"bearer": []}],
            "parameters": [
                {"name": "id", "in": "query", "schema": {"type": "string"}, "description": "the new id (default: its scenario.id)"},
                {"name": "name", "in": "query", "schema": {"type": "string"}, "description": "the file's name, for messages"}
            ],
            "requestBody": {"required": true, "content": {
                "application/toml": {"schema": {"type": "string"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/StructureOutput"}}
            }},
            "responses": created
        }
    }));
    paths.insert("/api/structures/import/bods".into(), json!({
        "post": {
            "operationId": "importBods",
            "summary": "Create a structure from BODS 0.4 statements (array or JSON Lines)",
            "tags": ["record"],
            "security": [{"bearer": []}],
            "parameters": [{"name": "id", "in": "query", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}},
            "responses": created
        }
    }));
    let read = |op: &str, summary: &str, extra: Vec<Value>| {
        let mut params = vec![id_parameter(), known_at.clone()];
        params.extend(extra);
        let mut r = Map::new();
        r.insert("200".into(), json!({"description": summary}));
        common_errors(&mut r);
        json!({"get": {"operationId": op, "summary": summary, "tags": ["record"], "parameters": params, "responses": r}})
    };
    paths.insert("/api/structures/{id}".into(), read("structure", "What the structure holds: parties, bodies and their decisions, events and where each comes from, variants, dates", vec![]));
    paths.insert(
        "/api/structures/{id}/file".into(),
        read(
            "structureFile",
            "The structure file as the record stands (TOML or JSON)",
            vec![json!({"name": "format", "in": "query", "schema": {"enum": ["toml", "json"]}})],
        ),
    );
    paths.insert(
        "/api/structures/{id}/log".into(),
        read(
            "log",
            "The log: every entry, who recorded it and when, and the verdict it got then",
            vec![],
        ),
    );
    paths.insert("/api/structures/{id}/acts".into(), read("acts", "Every act with its verdict now and where it comes from (the file, or an entry of the log)", vec![parameter(&COMMON[1])]));
    let mut appended = Map::new();
    appended.insert(
        "200".into(),
        json!({"description": "dry run: the verdict the event would get; nothing stored"}),
    );
    appended.insert("201".into(), json!({"description": "stored (durable before this answer): the entry, its verdict, and acts whose verdict it changes"}));
    common_errors(&mut appended);
    appended.insert(
        "413".into(),
        problem_response("the body is larger than the server accepts"),
    );
    appended.insert(
        "422".into(),
        problem_response("the event has problems, each located in the body; nothing was stored"),
    );
    paths.insert("/api/structures/{id}/events".into(), json!({
        "post": {
            "operationId": "appendEvent",
            "summary": "Append an event, judged by the engine first; an invalid act is stored with its verdict and not applied",
            "tags": ["record"],
            "security": [{"bearer": []}],
            "parameters": [id_parameter(), {"name": "dry_run", "in": "query", "schema": {"type": "boolean"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
            "responses": appended
        }
    }));
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "boardroom",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "A shared, append-only governance record: structures, their events judged by the engine, and every question the command line answers, at any date (as_of) and any point of the log (known_at). Answers are the command line's --format json envelopes; errors are application/problem+json.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "record", "description": "structures and their log"},
            {"name": "questions", "description": "what the record implies"}
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "a token from `boardroom token create` (brt_...)"}}
        }
    })
}

pub async fn document() -> Response {
    let mut r = openapi().to_string().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}
