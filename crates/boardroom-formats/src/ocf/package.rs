//! The package: find the manifest, read the files it lists, and keep every
//! object with where it came from.

use std::collections::BTreeMap;

use serde_json::Value;

use super::schema::Checker;
use super::{PackageError, Problem, Severity};
use crate::document::{LineIndex, parse_json};

/// The manifest's lists of files, by the file type each must hold.
const LISTS: [(&str, &str); 9] = [
    ("stakeholders_files", "OCF_STAKEHOLDERS_FILE"),
    ("stock_classes_files", "OCF_STOCK_CLASSES_FILE"),
    ("stock_plans_files", "OCF_STOCK_PLANS_FILE"),
    (
        "stock_legend_templates_files",
        "OCF_STOCK_LEGEND_TEMPLATES_FILE",
    ),
    ("transactions_files", "OCF_TRANSACTIONS_FILE"),
    ("vesting_terms_files", "OCF_VESTING_TERMS_FILE"),
    ("valuations_files", "OCF_VALUATIONS_FILE"),
    ("financings_files", "OCF_FINANCINGS_FILE"),
    ("documents_files", "OCF_DOCUMENTS_FILE"),
];

/// One object of the package, with where it is.
#[derive(Debug, Clone)]
pub struct Object {
    pub file: String,
    /// Its index in the file's `items`.
    pub index: usize,
    pub line: Option<usize>,
    pub object_type: String,
    pub id: String,
    pub value: Value,
}

impl Object {
    /// `items[3] (TX_STOCK_ISSUANCE test-stock-issuance-minimal)`.
    pub fn label(&self) -> String {
        format!("items[{}] ({} `{}`)", self.index, self.object_type, self.id)
    }

    /// A problem in this object.
    pub fn problem(&self, severity: Severity, pointer: &str, message: String) -> Problem {
        Problem {
            severity,
            file: self.file.clone(),
            line: self.line,
            object: self.label(),
            pointer: pointer.to_string(),
            message,
            hint: None,
        }
    }

    /// A string field.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.value.get(key).and_then(Value::as_str)
    }
}

/// A package read: the issuer, the manifest's dates, every object, and
/// every problem found in reading and checking it.
#[derive(Debug, Clone)]
pub struct Package {
    /// The manifest's path within the package.
    pub manifest: String,
    pub ocf_version: String,
    /// The manifest's `as_of`: the date the cap table is stated for.
    pub as_of: Option<chrono::NaiveDate>,
    /// The manifest's `generated_at`, as written.
    pub generated_at: Option<String>,
    pub issuer: Object,
    pub objects: Vec<Object>,
    pub problems: Vec<Problem>,
    /// Files in the package that the manifest does not list (not read).
    pub unlisted: Vec<String>,
}

/// `a/b/../c` → `a/c`, `./x` → `x`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn directory(path: &str) -> &str {
    path.rfind('/').map_or("", |k| &path[..k])
}

/// A file parsed with positions: its value and each item's line.
fn parse(name: &str, bytes: &[u8], problems: &mut Vec<Problem>) -> Option<(Value, Vec<usize>)> {
    let file_problem = |message: String, line: Option<usize>, hint: Option<String>| Problem {
        severity: Severity::Error,
        file: name.to_string(),
        line,
        object: "the file".into(),
        pointer: String::new(),
        message,
        hint,
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        problems.push(file_problem(
            "is not UTF-8 text".into(),
            None,
            Some("OCF files are JSON, in UTF-8".into()),
        ));
        return None;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (node, errors) = parse_json(text);
    let lines = LineIndex::new(text);
    if let Some(e) = errors.first() {
        problems.push(file_problem(
            format!("is not valid JSON: {}", e.message),
            Some(lines.line_col(e.span.start).0),
            None,
        ));
        return None;
    }
    let node = node?;
    let item_lines = match &node.value {
        crate::document::Value::Table(entries) => entries
            .iter()
            .find(|(k, _, _)| k == "items")
            .and_then(|(_, _, n)| match &n.value {
                crate::document::Value::Array(items) => Some(
                    items
                        .iter()
                        .map(|i| lines.line_col(i.span.start).0)
                        .collect(),
                ),
                _ => None,
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Some((node.to_json(), item_lines))
}

/// Read a package from its files (paths relative to the package's root,
/// with `/`), check each against the OCF schema and the manifest. The
/// manifest is `manifest` when given, else the one file that says it is a
/// manifest.
pub fn read(
    files: &BTreeMap<String, Vec<u8>>,
    manifest: Option<&str>,
) -> Result<Package, PackageError> {
    let checker = Checker::shared();
    let mut problems = Vec::new();
    // The manifest: the one file that says it is one.
    let mut manifests: Vec<(&String, Value)> = Vec::new();
    for (name, bytes) in files {
        if !name.ends_with(".json") || manifest.is_some_and(|m| m != name) {
            continue;
        }
        if let Ok(v) = serde_json::from_slice::<Value>(bytes)
            && v.get("file_type").and_then(Value::as_str) == Some("OCF_MANIFEST_FILE")
        {
            manifests.push((name, v));
        }
    }
    let (manifest_name, _) = match manifests.len() {
        1 => manifests.remove(0),
        0 => {
            return Err(PackageError {
                message: format!(
                    "no OCF manifest among the {} file{} of the package",
                    files.len(),
                    if files.len() == 1 { "" } else { "s" }
                ),
                hint: Some(
                    "an OCF package has one JSON file with `\"file_type\": \"OCF_MANIFEST_FILE\"` (usually Manifest.ocf.json)"
                        .into(),
                ),
            });
        }
        _ => {
            return Err(PackageError {
                message: format!(
                    "the package has {} manifests: {}",
                    manifests.len(),
                    manifests
                        .iter()
                        .map(|(n, _)| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                hint: Some("give the manifest's path instead of the directory".into()),
            });
        }
    };
    let manifest_name = manifest_name.clone();
    let (manifest, _) =
        parse(&manifest_name, &files[&manifest_name], &mut problems).ok_or_else(|| {
            PackageError {
                message: problems
                    .first()
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| format!("`{manifest_name}` could not be read")),
                hint: None,
            }
        })?;
    problems.extend(checker.file(&manifest_name, &manifest, "OCF_MANIFEST_FILE", &[]));
    let issuer_value = manifest.get("issuer").cloned().unwrap_or(Value::Null);
    let issuer = Object {
        file: manifest_name.clone(),
        index: 0,
        line: None,
        object_type: "ISSUER".into(),
        id: issuer_value
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("issuer")
            .to_string(),
        value: issuer_value,
    };
    let ocf_version = manifest
        .get("ocf_version")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let as_of = manifest
        .get("as_of")
        .and_then(Value::as_str)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let generated_at = manifest
        .get("generated_at")
        .and_then(Value::as_str)
        .map(str::to_string);
    let base = directory(&manifest_name).to_string();
    let mut listed = vec![manifest_name.clone()];
    let mut objects = Vec::new();
    for (list, file_type) in LISTS {
        let Some(entries) = manifest.get(list).and_then(Value::as_array) else {
            continue;
        };
        for (k, entry) in entries.iter().enumerate() {
            let Some(path) = entry.get("filepath").and_then(Value::as_str) else {
                continue; // the schema check says so
            };
            let name = normalise(&if base.is_empty() {
                path.to_string()
            } else {
                format!("{base}/{path}")
            });
            listed.push(name.clone());
            let Some(bytes) = files.get(&name) else {
                problems.push(Problem {
                    severity: Severity::Error,
                    file: manifest_name.clone(),
                    line: None,
                    object: "the manifest".into(),
                    pointer: format!("/{list}/{k}/filepath"),
                    message: format!("lists `{path}`, which is not in the package"),
                    hint: Some("add the file, or remove it from the manifest".into()),
                });
                continue;
            };
            if let Some(want) = entry.get("md5").and_then(Value::as_str) {
                let got = super::export::md5_hex(bytes);
                if !want.eq_ignore_ascii_case(&got) {
                    problems.push(Problem {
                        severity: Severity::Warning,
                        file: manifest_name.clone(),
                        line: None,
                        object: "the manifest".into(),
                        pointer: format!("/{list}/{k}/md5"),
                        message: format!(
                            "gives `{path}` the MD5 {want}, but the file's is {got}: the file is not the one the manifest was written for, or the manifest's MD5 is a placeholder"
                        ),
                        hint: None,
                    });
                }
            }
            let Some((value, lines)) = parse(&name, bytes, &mut problems) else {
                continue;
            };
            problems.extend(checker.file(&name, &value, file_type, &lines));
            let Some(items) = value.get("items").and_then(Value::as_array) else {
                continue;
            };
            for (index, item) in items.iter().enumerate() {
                let object = Object {
                    file: name.clone(),
                    index,
                    line: lines.get(index).copied(),
                    object_type: item
                        .get("object_type")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    id: item
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    value: item.clone(),
                };
                problems.extend(checker.object(&object));
                problems.extend(super::ledger::figures(&object));
                objects.push(object);
            }
        }
    }
    // Ids are unique across the package.
    let mut seen: BTreeMap<&str, &Object> = BTreeMap::new();
    let mut duplicates = Vec::new();
    for o in &objects {
        if o.id.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(o.id.as_str()) {
            duplicates.push(o.problem(
                Severity::Error,
                "/id",
                format!(
                    "the id `{}` is already used by {} in {}",
                    o.id,
                    first.label(),
                    first.file
                ),
            ));
        } else {
            seen.insert(&o.id, o);
        }
    }
    problems.extend(duplicates);
    let unlisted = files
        .keys()
        .filter(|n| n.ends_with(".json") && !listed.contains(n))
        .cloned()
        .collect();
    Ok(Package {
        manifest: manifest_name,
        ocf_version,
        as_of,
        generated_at,
        issuer,
        objects,
        problems,
        unlisted,
    })
}
