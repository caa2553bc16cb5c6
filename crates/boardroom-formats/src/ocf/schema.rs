//! The official OCF JSON Schema, embedded, and the checks made with it:
//! each file's envelope against its file schema, each object against the
//! schema of its `object_type` (so that a bad object is named, not lost in a
//! `oneOf` over every type a file may hold).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use super::package::Object;
use super::{Problem, Severity};

include!(concat!(env!("OUT_DIR"), "/ocf_schema.rs"));

/// Where the schemas' `$id`s and `$ref`s point.
const BASE: &str =
    "https://raw.githubusercontent.com/Open-Cap-Table-Coalition/Open-Cap-Format-OCF/main/schema/";

/// The embedded schema file at `path` (under `schema/`).
fn text(path: &str) -> Option<&'static str> {
    OCF_SCHEMA_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
}

struct Embedded;

impl jsonschema::Retrieve for Embedded {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let wanted = uri.as_str();
        let path = wanted.strip_prefix(BASE).unwrap_or(wanted);
        let path = path.split('#').next().unwrap_or(path);
        text(path)
            .map(serde_json::from_str)
            .transpose()?
            .ok_or_else(|| format!("no embedded OCF schema for `{wanted}`").into())
    }
}

/// The constant or enumerated values of `properties.<key>` in a schema.
fn consts(schema: &Value, key: &str) -> Vec<String> {
    let p = &schema["properties"][key];
    let mut out: Vec<String> = p["const"]
        .as_str()
        .map(str::to_string)
        .into_iter()
        .collect();
    if let Some(e) = p["enum"].as_array() {
        out.extend(e.iter().filter_map(Value::as_str).map(str::to_string));
    }
    out
}

/// Every `$ref` under a value.
fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref"
                    && let Some(r) = x.as_str()
                {
                    out.insert(r.strip_prefix(BASE).unwrap_or(r).to_string());
                }
                refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// The schemas, indexed, with validators compiled on first use.
pub struct Checker {
    /// object_type → schema path.
    objects: BTreeMap<String, String>,
    /// file_type → (schema path, the object types its items may be).
    files: BTreeMap<String, (String, BTreeSet<String>)>,
    compiled: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

impl Checker {
    /// The one checker of the process: the schemas are indexed once, and
    /// each validator compiled once, on first use.
    pub fn shared() -> &'static Checker {
        static CHECKER: OnceLock<Checker> = OnceLock::new();
        CHECKER.get_or_init(Checker::new)
    }

    fn new() -> Checker {
        let mut objects = BTreeMap::new();
        let mut files = BTreeMap::new();
        let parsed: Vec<(&str, Value)> = OCF_SCHEMA_FILES
            .iter()
            .filter_map(|(p, t)| serde_json::from_str(t).ok().map(|v| (*p, v)))
            .collect();
        for (path, schema) in &parsed {
            if path.starts_with("objects/") {
                for t in consts(schema, "object_type") {
                    objects.entry(t).or_insert_with(|| path.to_string());
                }
            }
        }
        let by_path: BTreeMap<&str, Vec<String>> =
            objects.iter().fold(BTreeMap::new(), |mut m, (t, p)| {
                m.entry(p.as_str()).or_insert_with(Vec::new).push(t.clone());
                m
            });
        for (path, schema) in &parsed {
            if path.starts_with("files/") {
                let mut r = BTreeSet::new();
                refs(&schema["properties"]["items"], &mut r);
                let allowed: BTreeSet<String> = r
                    .iter()
                    .flat_map(|p| by_path.get(p.as_str()).cloned().unwrap_or_default())
                    .collect();
                for t in consts(schema, "file_type") {
                    files.insert(t, (path.to_string(), allowed.clone()));
                }
            }
        }
        Checker {
            objects,
            files,
            compiled: Mutex::new(HashMap::new()),
        }
    }

    fn validator(&self, path: &str) -> Option<Arc<jsonschema::Validator>> {
        if let Some(v) = self
            .compiled
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
        {
            return Some(v.clone());
        }
        let schema = serde_json::json!({ "$ref": format!("{BASE}{path}") });
        let v = Arc::new(
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft7)
                .with_retriever(Embedded)
                .build(&schema)
                .ok()?,
        );
        self.compiled
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), v.clone());
        Some(v)
    }

    fn errors(&self, path: &str, value: &Value) -> Vec<(String, String)> {
        let Some(v) = self.validator(path) else {
            return vec![(
                String::new(),
                format!("the embedded OCF schema `{path}` does not compile"),
            )];
        };
        if v.is_valid(value) {
            return Vec::new();
        }
        v.iter_errors(value)
            .map(|e| (e.instance_path().to_string(), e.to_string()))
            .collect()
    }

    /// A file's envelope (its items are checked one by one).
    pub fn file(&self, name: &str, value: &Value, expected: &str, lines: &[usize]) -> Vec<Problem> {
        let problem = |pointer: String, message: String, hint: Option<String>| Problem {
            severity: Severity::Error,
            file: name.to_string(),
            line: None,
            object: "the file".into(),
            pointer,
            message,
            hint,
        };
        let found = value.get("file_type").and_then(Value::as_str);
        if found != Some(expected) {
            return vec![problem(
                "/file_type".into(),
                format!(
                    "the manifest lists it as {expected}, but it says it is {}",
                    found.map_or("nothing".to_string(), |f| f.to_string())
                ),
                Some("list the file under the manifest's key for its type".into()),
            )];
        }
        let Some((path, allowed)) = self.files.get(expected) else {
            return vec![problem(
                "/file_type".into(),
                format!("`{expected}` is not an OCF file type"),
                None,
            )];
        };
        let mut envelope = value.clone();
        let items = envelope
            .get_mut("items")
            .map(std::mem::take)
            .unwrap_or(Value::Null);
        if expected != "OCF_MANIFEST_FILE" {
            envelope["items"] = Value::Array(Vec::new());
        }
        let mut out: Vec<Problem> = self
            .errors(path, &envelope)
            .into_iter()
            .map(|(p, m)| problem(p, m, None))
            .collect();
        if let Value::Array(items) = items {
            for (k, item) in items.iter().enumerate() {
                let t = item
                    .get("object_type")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if !allowed.is_empty() && !allowed.contains(t) && self.objects.contains_key(t) {
                    // OCF's own samples put such objects there: read them,
                    // and say the file schema does not list them.
                    out.push(Problem {
                        severity: Severity::Warning,
                        line: lines.get(k).copied(),
                        object: format!("items[{k}]"),
                        ..problem(
                            "/object_type".into(),
                            format!(
                                "the OCF schema of a {expected} does not list objects of type `{t}`: read anyway"
                            ),
                            None,
                        )
                    });
                }
            }
        }
        out
    }

    /// One object against the schema of its type.
    pub fn object(&self, o: &Object) -> Vec<Problem> {
        let Some(path) = self.objects.get(&o.object_type) else {
            return vec![Problem {
                hint: Some("see the OCF `ObjectType` enumeration".into()),
                ..o.problem(
                    Severity::Error,
                    "/object_type",
                    format!("`{}` is not an OCF object type", o.object_type),
                )
            }];
        };
        self.errors(path, &o.value)
            .into_iter()
            .map(|(p, m)| {
                o.problem(
                    Severity::Error,
                    &p,
                    format!("does not follow the OCF schema: {m}"),
                )
            })
            .collect()
    }
}
