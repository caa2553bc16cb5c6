//! Validate a BODS 0.4 file: the official JSON Schema, statement by
//! statement, and the semantic checks the community validator
//! (`libcovebods`) makes, streamed so that a file of any size runs in
//! memory proportional to its number of records, not its bytes.
//!
//! Check names follow `libcovebods`' `type` strings, so results can be
//! compared line for line.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::io::Read;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::bods::ImportError;
use crate::statement_array::{Element, StatementArray};

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
    /// 1-based line of the file on which the statement starts.
    pub line: usize,
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
    /// The longest statement read, in bytes; a longer one is reported as
    /// a problem and skipped ([`crate::bods::MAX_STATEMENT_BYTES`]).
    pub max_statement_bytes: usize,
}

/// A record seen so far: kept small, a register has millions.
struct Record {
    id: Box<str>,
    kind: Kind,
    /// (statementDate as written, first 10 bytes; recordStatus; statement number).
    series: Vec<([u8; 10], Status, u32)>,
    /// The id of the record's latest statement, for messages.
    last_statement_id: Option<Box<str>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Entity,
    Person,
    Relationship,
    Other,
}

impl Kind {
    fn of(s: &str) -> Kind {
        match s {
            "entity" => Kind::Entity,
            "person" => Kind::Person,
            "relationship" => Kind::Relationship,
            _ => Kind::Other,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Entity => "entity",
            Kind::Person => "person",
            Kind::Relationship => "relationship",
            Kind::Other => "record of another type",
        }
    }

    fn is_party(self) -> bool {
        matches!(self, Kind::Entity | Kind::Person)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    New,
    Updated,
    Closed,
    Missing,
}

/// A 128-bit key for an id: two independent 64-bit hashes, so that sets of
/// millions of ids need no copies of the strings (a collision is about as
/// likely as 2^-100 here).
fn key(s: &str) -> u128 {
    use std::hash::BuildHasher;
    let a = foldhash::quality::FixedState::with_seed(0x243f_6a88_85a3_08d3).hash_one(s);
    let b = foldhash::quality::FixedState::with_seed(0x1319_8a2e_0370_7344).hash_one(s);
    (u128::from(a) << 64) | u128::from(b)
}

/// A reference that did not resolve when it was read.
struct Pending {
    statement: usize,
    statement_id: Option<String>,
    what: &'static str,
    id: String,
}

/// A statement read and checked on its own, or why its line is not one.
enum Item {
    Good(Box<Facts>),
    Bad(String),
}

/// What the checks made in file order need of one statement, taken from it
/// while statements are parsed in parallel, with the problems found in the
/// statement alone. The order of problems within a statement is kept.
struct Facts {
    schema: Vec<(String, String)>,
    statement_id: Option<String>,
    /// Future `statementDate` and `publicationDate`.
    dates: Vec<(String, String)>,
    record_id: Option<String>,
    record_type: String,
    kind: Kind,
    status: Status,
    /// `statementDate` as written, first 10 bytes.
    date: [u8; 10],
    declaration_subject: Option<String>,
    relationship: Option<RelationshipFacts>,
}

struct RelationshipFacts {
    subject: SubjectRef,
    /// `interestedParty` when it is a recordId.
    party: Option<String>,
    components: Vec<String>,
    /// Per interest: flagged as beneficial ownership or control, and the
    /// problems of its dates and share.
    interests: Vec<(bool, Vec<(String, String)>)>,
}

enum SubjectRef {
    RecordId(String),
    /// An object, or no subject: nothing to check here.
    Absent,
    NotRecordId,
}

impl Facts {
    fn of(st: &Value, schema: Vec<(String, String)>, today: &str) -> Facts {
        let text = |v: Option<&Value>| v.and_then(|x| x.as_str()).map(str::to_string);
        let future = |v: Option<&Value>| {
            v.and_then(|x| x.as_str())
                .is_some_and(|d| d.get(..10).unwrap_or(d) > today)
        };
        let mut dates = Vec::new();
        if future(st.get("statementDate")) {
            dates.push((
                "statement_date_is_future_date".into(),
                "statementDate is in the future".into(),
            ));
        }
        if future(st.pointer("/publicationDetails/publicationDate")) {
            dates.push((
                "statement_publication_date_is_future_date".into(),
                "publicationDate is in the future".into(),
            ));
        }
        let record_type = st
            .get("recordType")
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_string();
        let kind = Kind::of(&record_type);
        let status = match st.get("recordStatus").and_then(|x| x.as_str()) {
            Some("new") => Status::New,
            Some("updated") => Status::Updated,
            Some("closed") => Status::Closed,
            _ => Status::Missing,
        };
        let mut date = [b' '; 10];
        if let Some(d) = st.get("statementDate").and_then(|x| x.as_str()) {
            for (slot, b) in date.iter_mut().zip(d.bytes()) {
                *slot = b;
            }
        }
        let relationship = match st.get("recordDetails") {
            Some(d) if kind == Kind::Relationship => Some(RelationshipFacts::of(d)),
            _ => None,
        };
        Facts {
            schema,
            statement_id: text(st.get("statementId")),
            dates,
            record_id: text(st.get("recordId")),
            record_type,
            kind,
            status,
            date,
            declaration_subject: text(st.get("declarationSubject")),
            relationship,
        }
    }
}

impl RelationshipFacts {
    fn of(d: &Value) -> RelationshipFacts {
        let subject = match d.get("subject") {
            Some(Value::String(s)) => SubjectRef::RecordId(s.clone()),
            Some(Value::Object(_)) | None => SubjectRef::Absent,
            Some(_) => SubjectRef::NotRecordId,
        };
        let party = match d.get("interestedParty") {
            Some(Value::String(p)) => Some(p.clone()),
            _ => None,
        };
        let components = d
            .get("componentRecords")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect();
        let interests = d
            .get("interests")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(k, i)| {
                let flagged = i
                    .get("beneficialOwnershipOrControl")
                    .and_then(|x| x.as_bool())
                    == Some(true);
                (flagged, interest_problems(k, i))
            })
            .collect();
        RelationshipFacts {
            subject,
            party,
            components,
            interests,
        }
    }
}

/// The problems of interest number `k` on its own: its dates and share.
fn interest_problems(k: usize, i: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
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
            && !(min.is_some() && max.is_some() && min == max && min == exact)
        {
            found.push((
                "statement_relationship_interests_exact_has_min_max".into(),
                format!("interest {k} has an exact share and a range"),
            ));
        }
        if let (Some(a), Some(b)) = (min.or(xmin), max.or(xmax))
            && exact.is_none()
            && a > b
        {
            found.push((
                "statement_relationship_interests_not_exact_max_greater_than_min".into(),
                format!("interest {k}: the share's minimum {a} is above its maximum {b}"),
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
    found
}

/// The schema errors of one statement (none for most: the fast check first).
fn schema_errors(validator: &jsonschema::Validator, st: &Value) -> Vec<(String, String)> {
    if validator.is_valid(st) {
        return Vec::new();
    }
    validator
        .iter_errors(st)
        .map(|e| {
            (
                "schema".to_string(),
                format!("{} at `{}`", e, e.instance_path()),
            )
        })
        .collect()
}

/// Statements a batch at a time, as raw text: the elements of an array as
/// [`StatementArray`] splits them, or lines of JSON Lines.
enum Texts<R> {
    Array(StatementArray<R>),
    /// Lines, and the most bytes read of one.
    Lines(R, usize),
}

const BATCH: usize = 4096;

impl<R: std::io::BufRead> Texts<R> {
    fn next_batch(&mut self) -> Result<Vec<Element>, ImportError> {
        match self {
            Texts::Array(a) => a.next_batch(BATCH),
            Texts::Lines(r, cap) => {
                let mut out = Vec::with_capacity(BATCH);
                for _ in 0..BATCH {
                    let mut text = Vec::new();
                    let (n, too_long) =
                        crate::statement_array::read_line_capped(r, &mut text, *cap)?;
                    if n == 0 {
                        break;
                    }
                    // A line's errors are placed by its line number.
                    out.push(Element {
                        line: 1,
                        column: 1,
                        text,
                        too_long,
                    });
                }
                Ok(out)
            }
        }
    }
}

/// One statement's text, parsed and checked against the schema.
enum Parsed {
    /// An empty line.
    Skip,
    Item(Item),
    /// Syntax that ends the reading: `(truncated, message)`.
    Fatal(bool, String),
}

fn parse(
    element: &Element,
    array: bool,
    validator: &jsonschema::Validator,
    today: &str,
    cap: usize,
) -> Parsed {
    if element.too_long {
        return Parsed::Item(Item::Bad(format!(
            "a statement longer than {}, the most read (--max-statement-bytes); skipped",
            crate::statement_array::bytes(cap)
        )));
    }
    let text = &element.text;
    let trimmed = text.trim_ascii();
    if trimmed.is_empty() {
        return Parsed::Skip;
    }
    match crate::statement_array::parse_statement(trimmed) {
        Err(e) if crate::statement_array::is_data_error(&e) => {
            let at = if array {
                element.place(&e)
            } else {
                crate::statement_array::at_column(&e)
            };
            Parsed::Item(Item::Bad(at))
        }
        Ok(v) => {
            let e = schema_errors(validator, &v);
            Parsed::Item(Item::Good(Box::new(Facts::of(&v, e, today))))
        }
        Err(e) if array => Parsed::Fatal(false, element.place(&e)),
        // Only the last line of a file can lack its newline.
        Err(e) if e.is_eof() && !text.ends_with(b"\n") => {
            Parsed::Fatal(true, format!("the last line is incomplete: {e}"))
        }
        Err(e) => Parsed::Item(Item::Bad(format!(
            "invalid JSON: {}",
            crate::statement_array::at_column(&e)
        ))),
    }
}

/// Statements in file order, numbered from 1 (the line number in JSON
/// Lines). A pipeline on rayon's pool: while one batch is parsed and
/// checked against the schema in parallel, the batch before it is handed
/// to `visit` (the semantic checks, which need file order) on another
/// thread.
fn read_items(
    reader: impl Read,
    validator: &jsonschema::Validator,
    today: &str,
    cap: usize,
    visit: &mut (impl FnMut(usize, usize, Item) + Send),
) -> Result<usize, ImportError> {
    use rayon::prelude::*;
    use std::io::BufReader;
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let first = crate::bods::first_byte(&mut reader)?;
    let array = first == b'[';
    let mut texts = if array {
        Texts::Array(StatementArray::new(reader, cap))
    } else {
        Texts::Lines(reader, cap)
    };
    // Hands a parsed batch to `visit`; the number of the first statement
    // after it, or the error that ends the reading.
    let deliver = |start: usize,
                   batch: Vec<(usize, Parsed)>,
                   visit: &mut (dyn FnMut(usize, usize, Item) + Send)| {
        let mut n = start;
        for (line, p) in batch {
            n += 1;
            match p {
                Parsed::Skip => {}
                // A line of JSON Lines is its statement's number.
                Parsed::Item(item) => visit(n, if array { line } else { n }, item),
                Parsed::Fatal(true, m) => {
                    return Err(ImportError::Truncated(format!("line {n}: {m}")));
                }
                Parsed::Fatal(false, message) => {
                    return Err(ImportError::Json {
                        statement: n,
                        message,
                    });
                }
            }
        }
        Ok(n)
    };
    let mut count = 0usize;
    let mut ready: Vec<(usize, Parsed)> = Vec::new();
    loop {
        let ready_now = std::mem::take(&mut ready);
        let mut delivered = Ok(count);
        let next = rayon::in_place_scope(|scope| {
            scope.spawn(|_| delivered = deliver(count, ready_now, visit));
            texts.next_batch().map(|batch| {
                batch
                    .par_iter()
                    .map(|text| (text.line, parse(text, array, validator, today, cap)))
                    .collect::<Vec<_>>()
            })
        });
        count = delivered?;
        ready = next?;
        if ready.is_empty() {
            return Ok(count);
        }
    }
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
    let mut ids: HashSet<u128> = HashSet::new();
    let mut records: HashMap<u128, Record> = HashMap::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut stop = false;
    let today = options.today.to_string();
    // The line each statement starts on, where it is not its number (the
    // elements of an array); 0 where it is.
    let mut lines: Vec<u32> = Vec::new();
    let mut visit = |n: usize, line: usize, item: Item| {
        if stop {
            return;
        }
        out.statements = n;
        if line != n {
            if lines.len() < n {
                lines.resize(n, 0);
            }
            lines[n - 1] = u32::try_from(line).unwrap_or(u32::MAX);
        }
        let facts = match item {
            Item::Good(facts) => facts,
            Item::Bad(message) => {
                *out.counts.entry("json".into()).or_default() += 1;
                out.total_problems += 1;
                if out.problems.len() < options.limit {
                    out.problems.push(Problem {
                        statement: n,
                        line,
                        statement_id: None,
                        check: "json".into(),
                        message,
                    });
                }
                if options.strict {
                    stop = true;
                    out.stopped_early = true;
                }
                return;
            }
        };
        let Facts {
            schema,
            statement_id,
            dates,
            record_id,
            record_type,
            kind,
            status,
            date,
            declaration_subject,
            relationship,
        } = *facts;
        let mut found: Vec<(String, String)> = schema;
        if let Some(id) = &statement_id
            && !ids.insert(key(id))
        {
            found.push((
                "duplicate_statement_id".into(),
                format!("statementId `{id}` is used twice"),
            ));
        }
        found.extend(dates);
        if let Some(rid) = &record_id {
            let entry = (date, status, u32::try_from(n).unwrap_or(u32::MAX));
            let last_id = statement_id.as_deref().map(Box::from);
            match records.get_mut(&key(rid)) {
                Some(r) => {
                    if r.kind != kind {
                        found.push((
                            "statements_in_series_with_different_record_types".into(),
                            format!(
                                "record `{rid}` was a {} and is now a {record_type}",
                                r.kind.name()
                            ),
                        ));
                    }
                    r.series.push(entry);
                    r.last_statement_id = last_id;
                }
                None => {
                    records.insert(
                        key(rid),
                        Record {
                            id: Box::from(rid.as_str()),
                            kind,
                            series: vec![entry],
                            last_statement_id: last_id,
                        },
                    );
                }
            }
        }
        if let Some(ds) = declaration_subject {
            match records.get(&key(&ds)) {
                Some(r) if r.kind.is_party() => {}
                _ => pending.push(Pending {
                    statement: n,
                    statement_id: statement_id.clone(),
                    what: "declarationSubject",
                    id: ds,
                }),
            }
        }
        if let Some(rel) = relationship {
            match rel.subject {
                SubjectRef::RecordId(s) => match records.get(&key(&s)) {
                    None => pending.push(Pending {
                        statement: n,
                        statement_id: statement_id.clone(),
                        what: "subject",
                        id: s,
                    }),
                    Some(r) if r.kind != Kind::Entity => found.push((
                        "subject_can_only_refer_to_entity".into(),
                        format!("subject `{s}` is a {}, not an entity", r.kind.name()),
                    )),
                    _ => {}
                },
                SubjectRef::Absent => {}
                SubjectRef::NotRecordId => found.push((
                    "subject_must_be_record_id".into(),
                    "subject is not a recordId".into(),
                )),
            }
            let party_kind = match rel.party {
                Some(p) => match records.get(&key(&p)) {
                    None => {
                        pending.push(Pending {
                            statement: n,
                            statement_id: statement_id.clone(),
                            what: "interested party",
                            id: p,
                        });
                        None
                    }
                    Some(r) if !r.kind.is_party() => {
                        found.push((
                            "interested_party_can_only_refer_to_entity_or_person".into(),
                            format!(
                                "interested party `{p}` is a {}, not an entity or person",
                                r.kind.name()
                            ),
                        ));
                        None
                    }
                    Some(r) => Some(r.kind),
                },
                None => None,
            };
            for c in rel.components {
                if !records.contains_key(&key(&c)) {
                    found.push((
                        "component_record_id_not_in_dataset".into(),
                        format!("component record `{c}` is not an earlier record"),
                    ));
                }
            }
            for (k, (flagged, problems)) in rel.interests.into_iter().enumerate() {
                if flagged && party_kind == Some(Kind::Entity) {
                    found.push((
                        "interest_beneficial_ownership_interested_party_not_person".into(),
                        format!("interest {k} flags beneficial ownership, but the interested party is not a person"),
                    ));
                }
                found.extend(problems);
            }
        }
        for (check, message) in found {
            *out.counts.entry(check.clone()).or_default() += 1;
            out.total_problems += 1;
            if out.problems.len() < options.limit {
                out.problems.push(Problem {
                    statement: n,
                    line,
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
    };
    let result = read_items(
        reader,
        &validator,
        &today,
        options.max_statement_bytes,
        &mut visit,
    );
    if let Ok(n) = result
        && !stop
    {
        out.statements = n;
        let mut late: Vec<Problem> = Vec::new();
        let mut add =
            |statement: usize, statement_id: Option<String>, check: &str, message: String| {
                late.push(Problem {
                    statement,
                    line: 0,
                    statement_id,
                    check: check.to_string(),
                    message,
                });
            };
        for p in pending {
            let found = records.get(&key(&p.id));
            let (check, message) = match (p.what, found) {
                ("declarationSubject", None) => (
                    "statement_declaration_subject_not_exist",
                    format!("declarationSubject `{}` is not a record in the file", p.id),
                ),
                ("declarationSubject", Some(r)) if !r.kind.is_party() => (
                    "statement_declaration_subject_not_entity_person",
                    format!("declarationSubject `{}` is a {}", p.id, r.kind.name()),
                ),
                ("declarationSubject", Some(_)) => continue,
                ("subject", None) => (
                    "subject_must_be_record_id",
                    format!("subject `{}` is not a record in the file", p.id),
                ),
                ("subject", Some(_)) => (
                    "relationship_subject_not_before_relationship_in_dataset",
                    format!("subject `{}` is defined only after this relationship", p.id),
                ),
                (_, None) => (
                    "interested_party_must_be_record_id",
                    format!("interested party `{}` is not a record in the file", p.id),
                ),
                (_, Some(_)) => (
                    "relationship_interested_party_not_before_relationship_in_dataset",
                    format!(
                        "interested party `{}` is defined only after this relationship",
                        p.id
                    ),
                ),
            };
            add(p.statement, p.statement_id, check, message);
        }
        // Record series, ordered by statement date as libcovebods orders them.
        for r in records.values() {
            if r.series.len() == 1 && r.series[0].1 != Status::Closed {
                continue;
            }
            let mut series = r.series.clone();
            series.sort_by_key(|s| s.0);
            let statuses: Vec<Status> = series.iter().map(|s| s.1).collect();
            // Each problem names the statement that breaks the order: the
            // record's statements are kept by index only, so the statement
            // id is given where that statement is the record's last in the
            // file (whose id is kept), and left out otherwise rather than
            // given wrong.
            let last_in_file = r.series.iter().map(|s| s.2).max();
            let at = |i: u32| {
                let id = (Some(i) == last_in_file)
                    .then(|| r.last_statement_id.as_deref().map(str::to_string))
                    .flatten();
                (i as usize, id)
            };
            let nth = |status: Status, n: usize| {
                series
                    .iter()
                    .filter(|x| x.1 == status)
                    .nth(n)
                    .map_or(0, |x| x.2)
            };
            let rid = &r.id;
            let count = |s: Status| statuses.iter().filter(|x| **x == s).count();
            if count(Status::New) > 1 {
                let (i, id) = at(nth(Status::New, 1));
                add(
                    i,
                    id,
                    "multiple_statements_in_series_with_record_status_new",
                    format!("record `{rid}` is `new` more than once"),
                );
            } else if count(Status::New) == 1 && statuses.first() != Some(&Status::New) {
                let (i, id) = at(series.first().map_or(0, |x| x.2));
                add(
                    i,
                    id,
                    "statement_with_record_status_new_must_be_first",
                    format!(
                        "record `{rid}` has a statement dated before its `new` one (statement {})",
                        nth(Status::New, 0)
                    ),
                );
            }
            if count(Status::Closed) > 1 {
                let (i, id) = at(nth(Status::Closed, 1));
                add(
                    i,
                    id,
                    "multiple_statements_in_series_with_record_status_closed",
                    format!("record `{rid}` is closed more than once"),
                );
            } else if count(Status::Closed) == 1 && statuses.last() != Some(&Status::Closed) {
                let (i, id) = at(series.last().map_or(0, |x| x.2));
                add(
                    i,
                    id,
                    "statement_with_record_status_closed_must_be_last",
                    format!(
                        "record `{rid}` has a statement dated after it was closed (statement {})",
                        nth(Status::Closed, 0)
                    ),
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
        // Problems found after the reading are placed on their lines too.
        for p in &mut out.problems {
            p.line = match lines.get(p.statement.wrapping_sub(1)) {
                Some(&l) if l > 0 => l as usize,
                _ => p.statement,
            };
        }
        return Ok(out);
    }
    match result {
        Ok(_) => Ok(out),
        Err(_) if stop => Ok(out),
        Err(e) => Err(e),
    }
}
