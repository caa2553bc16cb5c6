//! Validate a BODS 0.4 file: the official JSON Schema, statement by
//! statement, and the semantic checks the community validator
//! (`libcovebods`) makes, streamed so that a file of any size runs in
//! memory proportional to its number of records, not its bytes.
//!
//! Check names follow `libcovebods`' `type` strings, so results can be
//! compared line for line.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::bods::{ImportError, for_each_statement};

const SCHEMAS: [(&str, &str); 6] = [
    (
        "urn:statement",
        include_str!("../bods-schema/statement.json"),
    ),
    (
        "urn:entity",
        include_str!("../bods-schema/entity-record.json"),
    ),
    (
        "urn:person",
        include_str!("../bods-schema/person-record.json"),
    ),
    (
        "urn:relationship",
        include_str!("../bods-schema/relationship-record.json"),
    ),
    (
        "urn:components",
        include_str!("../bods-schema/components.json"),
    ),
    (
        "urn:codelists",
        include_str!("../bods-schema/codelist-schema.json"),
    ),
];

struct Embedded;

impl jsonschema::Retrieve for Embedded {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let wanted = uri.as_str();
        SCHEMAS
            .iter()
            .find(|(id, _)| *id == wanted)
            .map(|(_, text)| serde_json::from_str(text))
            .transpose()?
            .ok_or_else(|| format!("no embedded BODS schema for `{wanted}`").into())
    }
}

/// The official schema for one statement, compiled.
pub fn statement_validator() -> Result<jsonschema::Validator, String> {
    let schema = serde_json::json!({ "$ref": "urn:statement#/$defs/Statement" });
    jsonschema::options()
        .with_retriever(Embedded)
        .build(&schema)
        .map_err(|e| format!("the embedded BODS schema does not compile: {e}"))
}

/// One problem, placed by statement number and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Problem {
    /// 1-based position of the statement in the file (its line in JSON Lines).
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_id: Option<String>,
    /// `schema`, or the `libcovebods` check type.
    pub check: String,
    pub message: String,
}

/// The verdict on a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Validation {
    pub statements: usize,
    /// Problems found, in file order (at most `limit` kept).
    pub problems: Vec<Problem>,
    /// How many problems of each check, all counted.
    pub counts: std::collections::BTreeMap<String, usize>,
    pub total_problems: usize,
    /// Whether validation stopped at the first problem (`strict`).
    pub stopped_early: bool,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.total_problems == 0
    }
}

/// Options for [`validate`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Dates after this are "in the future".
    pub today: NaiveDate,
    /// Stop at the first problem.
    pub strict: bool,
    /// Keep at most this many problems in the report (all are counted).
    pub limit: usize,
}

struct Record {
    kind: String,
    /// (statementDate, recordStatus, statement number, statementId) in file order.
    series: Vec<(String, String, usize, Option<String>)>,
}

/// A reference that did not resolve when it was read.
struct Pending {
    statement: usize,
    statement_id: Option<String>,
    what: &'static str,
    id: String,
}

/// Validate a BODS file (JSON array or JSON Lines) from `reader`.
pub fn validate(reader: impl Read, options: &Options) -> Result<Validation, ImportError> {
    let validator = statement_validator().map_err(ImportError::Schema)?;
    let mut out = Validation {
        statements: 0,
        problems: Vec::new(),
        counts: Default::default(),
        total_problems: 0,
        stopped_early: false,
    };
    let mut ids: HashSet<String> = HashSet::new();
    let mut records: HashMap<String, Record> = HashMap::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut declaration_subjects: HashMap<String, (usize, Option<String>)> = HashMap::new();
    let mut stop = false;
    let today = options.today.to_string();
    let result = for_each_statement(reader, |n, st| {
        if stop {
            return;
        }
        out.statements = n;
        let st = match st {
            Ok(st) => st,
            Err(message) => Value::String(message),
        };
        if let Value::String(message) = &st {
            *out.counts.entry("json".into()).or_default() += 1;
            out.total_problems += 1;
            if out.problems.len() < options.limit {
                out.problems.push(Problem {
                    statement: n,
                    statement_id: None,
                    check: "json".into(),
                    message: message.clone(),
                });
            }
            if options.strict {
                stop = true;
                out.stopped_early = true;
            }
            return;
        }
        let statement_id = st
            .get("statementId")
            .and_then(|x| x.as_str())
            .map(str::to_string);
        let mut found: Vec<(String, String)> = Vec::new();
        for e in validator.iter_errors(&st) {
            found.push(("schema".into(), format!("{} at `{}`", e, e.instance_path())));
        }
        if let Some(id) = &statement_id
            && !ids.insert(id.clone())
        {
            found.push((
                "duplicate_statement_id".into(),
                format!("statementId `{id}` is used twice"),
            ));
        }
        let future = |v: Option<&Value>| {
            v.and_then(|x| x.as_str())
                .is_some_and(|d| d.get(..10).unwrap_or(d) > today.as_str())
        };
        if future(st.get("statementDate")) {
            found.push((
                "statement_date_is_future_date".into(),
                "statementDate is in the future".into(),
            ));
        }
        if future(st.pointer("/publicationDetails/publicationDate")) {
            found.push((
                "statement_publication_date_is_future_date".into(),
                "publicationDate is in the future".into(),
            ));
        }
        let record_id = st
            .get("recordId")
            .and_then(|x| x.as_str())
            .map(str::to_string);
        let record_type = st
            .get("recordType")
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_string();
        let status = st.get("recordStatus").and_then(|x| x.as_str());
        let details = st.get("recordDetails");
        if let Some(rid) = &record_id {
            let entry = (
                st.get("statementDate")
                    .and_then(|x| x.as_str())
                    .unwrap_or("")
                    .to_string(),
                status.unwrap_or("").to_string(),
                n,
                statement_id.clone(),
            );
            match records.get_mut(rid) {
                Some(r) => {
                    if r.kind != record_type {
                        found.push((
                            "statements_in_series_with_different_record_types".into(),
                            format!("record `{rid}` was a {} and is now a {record_type}", r.kind),
                        ));
                    }
                    r.series.push(entry);
                }
                None => {
                    records.insert(
                        rid.clone(),
                        Record {
                            kind: record_type.clone(),
                            series: vec![entry],
                        },
                    );
                }
            }
        }
        if let Some(ds) = st.get("declarationSubject").and_then(|x| x.as_str()) {
            declaration_subjects
                .entry(ds.to_string())
                .or_insert((n, statement_id.clone()));
        }
        if record_type == "relationship"
            && let Some(d) = details
        {
            match d.get("subject") {
                Some(Value::String(s)) => match records.get(s) {
                    None => pending.push(Pending {
                        statement: n,
                        statement_id: statement_id.clone(),
                        what: "subject",
                        id: s.clone(),
                    }),
                    Some(r) if r.kind != "entity" => found.push((
                        "subject_can_only_refer_to_entity".into(),
                        format!("subject `{s}` is a {}, not an entity", r.kind),
                    )),
                    _ => {}
                },
                Some(Value::Object(_)) | None => {}
                Some(_) => found.push((
                    "subject_must_be_record_id".into(),
                    "subject is not a recordId".into(),
                )),
            }
            let party_kind = match d.get("interestedParty") {
                Some(Value::String(p)) => match records.get(p) {
                    None => {
                        pending.push(Pending {
                            statement: n,
                            statement_id: statement_id.clone(),
                            what: "interested party",
                            id: p.clone(),
                        });
                        None
                    }
                    Some(r) if r.kind != "entity" && r.kind != "person" => {
                        found.push((
                            "interested_party_can_only_refer_to_entity_or_person".into(),
                            format!(
                                "interested party `{p}` is a {}, not an entity or person",
                                r.kind
                            ),
                        ));
                        None
                    }
                    Some(r) => Some(r.kind.clone()),
                },
                _ => None,
            };
            for c in d
                .get("componentRecords")
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(c) = c.as_str()
                    && !records.contains_key(c)
                {
                    found.push((
                        "component_record_id_not_in_dataset".into(),
                        format!("component record `{c}` is not an earlier record"),
                    ));
                }
            }
            for (k, i) in d
                .get("interests")
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
                .enumerate()
            {
                if i.get("beneficialOwnershipOrControl")
                    .and_then(|x| x.as_bool())
                    == Some(true)
                    && party_kind.as_deref() == Some("entity")
                {
                    found.push((
                        "interest_beneficial_ownership_interested_party_not_person".into(),
                        format!("interest {k} flags beneficial ownership, but the interested party is not a person"),
                    ));
                }
                let date = |key: &str| {
                    i.get(key)
                        .and_then(|x| x.as_str())
                        .map(|s| s.get(..10).unwrap_or(s).to_string())
                };
                if let (Some(st), Some(en)) = (date("startDate"), date("endDate"))
                    && st > en
                {
                    found.push((
                        "statement_relationship_interests_start_after_end_date".into(),
                        format!("interest {k} starts ({st}) after it ends ({en})"),
                    ));
                }
                if let Some(sh) = i.get("share") {
                    let num = |key: &str| sh.get(key).and_then(|x| x.as_f64());
                    let (exact, min, max, xmin, xmax) = (
                        num("exact"),
                        num("minimum"),
                        num("maximum"),
                        num("exclusiveMinimum"),
                        num("exclusiveMaximum"),
                    );
                    if exact.is_some()
                        && (min.is_some() || max.is_some() || xmin.is_some() || xmax.is_some())
                    {
                        if min.is_some() && max.is_some() && min == max && min == exact {
                        } else {
                            found.push((
                                "statement_relationship_interests_exact_has_min_max".into(),
                                format!("interest {k} has an exact share and a range"),
                            ));
                        }
                    }
                    if let (Some(a), Some(b)) = (min.or(xmin), max.or(xmax))
                        && exact.is_none()
                        && a > b
                    {
                        found.push((
                            "statement_relationship_interests_not_exact_max_greater_than_min"
                                .into(),
                            format!(
                                "interest {k}: the share's minimum {a} is above its maximum {b}"
                            ),
                        ));
                    }
                    if min.is_some() && xmin.is_some() {
                        found.push((
                            "statement_relationship_interests_share_min_and_exclusivemin".into(),
                            format!("interest {k} has both minimum and exclusiveMinimum"),
                        ));
                    }
                    if max.is_some() && xmax.is_some() {
                        found.push((
                            "statement_relationship_interests_share_max_and_exclusivemax".into(),
                            format!("interest {k} has both maximum and exclusiveMaximum"),
                        ));
                    }
                }
            }
        }
        for (check, message) in found {
            *out.counts.entry(check.clone()).or_default() += 1;
            out.total_problems += 1;
            if out.problems.len() < options.limit {
                out.problems.push(Problem {
                    statement: n,
                    statement_id: statement_id.clone(),
                    check,
                    message,
                });
            }
            if options.strict {
                stop = true;
                out.stopped_early = true;
                break;
            }
        }
    });
    if let Ok(n) = result
        && !stop
    {
        out.statements = n;
        let mut late: Vec<Problem> = Vec::new();
        let mut add =
            |statement: usize, statement_id: Option<String>, check: &str, message: String| {
                late.push(Problem {
                    statement,
                    statement_id,
                    check: check.to_string(),
                    message,
                });
            };
        for p in pending {
            let (never, later) = match p.what {
                "subject" => (
                    "subject_must_be_record_id",
                    "relationship_subject_not_before_relationship_in_dataset",
                ),
                _ => (
                    "interested_party_must_be_record_id",
                    "relationship_interested_party_not_before_relationship_in_dataset",
                ),
            };
            if records.contains_key(&p.id) {
                add(
                    p.statement,
                    p.statement_id,
                    later,
                    format!(
                        "{} `{}` is defined only after this relationship",
                        p.what, p.id
                    ),
                );
            } else {
                add(
                    p.statement,
                    p.statement_id,
                    never,
                    format!("{} `{}` is not a record in the file", p.what, p.id),
                );
            }
        }
        for (ds, (statement, sid)) in &declaration_subjects {
            match records.get(ds) {
                None => add(
                    *statement,
                    sid.clone(),
                    "statement_declaration_subject_not_exist",
                    format!("declarationSubject `{ds}` is not a record in the file"),
                ),
                Some(r) if r.kind != "entity" && r.kind != "person" => add(
                    *statement,
                    sid.clone(),
                    "statement_declaration_subject_not_entity_person",
                    format!("declarationSubject `{ds}` is a {}", r.kind),
                ),
                _ => {}
            }
        }
        // Record series, ordered by statement date as libcovebods orders them.
        for (rid, r) in &records {
            let mut series = r.series.clone();
            series.sort_by(|a, b| a.0.cmp(&b.0));
            let statuses: Vec<&str> = series.iter().map(|s| s.1.as_str()).collect();
            let last = series
                .last()
                .map(|s| (s.2, s.3.clone()))
                .unwrap_or((0, None));
            if statuses.iter().filter(|s| **s == "new").count() > 1 {
                add(
                    last.0,
                    last.1.clone(),
                    "multiple_statements_in_series_with_record_status_new",
                    format!("record `{rid}` is `new` more than once"),
                );
            } else if statuses.contains(&"new") && statuses.first() != Some(&"new") {
                add(
                    last.0,
                    last.1.clone(),
                    "statement_with_record_status_new_must_be_first",
                    format!("record `{rid}` has a statement before its `new` one"),
                );
            }
            if statuses.iter().filter(|s| **s == "closed").count() > 1 {
                add(
                    last.0,
                    last.1.clone(),
                    "multiple_statements_in_series_with_record_status_closed",
                    format!("record `{rid}` is closed more than once"),
                );
            } else if statuses.contains(&"closed") && statuses.last() != Some(&"closed") {
                add(
                    last.0,
                    last.1.clone(),
                    "statement_with_record_status_closed_must_be_last",
                    format!("record `{rid}` has a statement after it was closed"),
                );
            }
        }
        late.sort_by(|a, b| a.statement.cmp(&b.statement).then(a.check.cmp(&b.check)));
        for p in late {
            *out.counts.entry(p.check.clone()).or_default() += 1;
            out.total_problems += 1;
            if out.problems.len() < options.limit {
                out.problems.push(p);
            }
        }
        out.problems.sort_by_key(|p| p.statement);
        return Ok(out);
    }
    match result {
        Ok(_) => Ok(out),
        Err(_) if stop => Ok(out),
        Err(e) => Err(e),
    }
}
