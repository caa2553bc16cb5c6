//! BODS 0.4: export a structure as statements, and import statements
//! (a JSON array or JSON Lines, streamed) back into a structure.
//!
//! The export works from [`boardroom::dated_interests`]: every party is an
//! entity or person record; every (subject, interested party) pair is a
//! relationship record whose history follows the timeline — `new` when its
//! first interest starts, `updated` when its interests change, `closed`
//! when the last one ends. Engine detail that BODS has no field for (units,
//! share class, votes per unit, the declaration an interest ends on, the
//! source and assumption flags, the interest's id) travels in an annotation
//! on the interest, so export → import → export is identical.
//!
//! Serialisation rules kept: parties come before the relationships that
//! name them, component records before the relationship that lists them,
//! and each record's statements in date order (new, updated, closed).
//! Statement ids are UUID v5 over the statement's content: deterministic.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read};

use boardroom::{
    DirectOrIndirect, Identifier, Interest, InterestType, Party, PartyKind, Share, Structure,
    Unspecified, UnspecifiedReason, dated_interests,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

const PUBLISHER: &str = "boardroom";
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f0b_1c0e_7f3a_4b55_9c1d_b0a2_d5e4_0b0d);

fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn number(d: Decimal) -> Value {
    serde_json::from_str::<serde_json::Number>(&d.normalize().to_string())
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// The BODS entity type of a party kind, and its subtype.
fn entity_type(kind: PartyKind) -> (&'static str, Option<&'static str>) {
    match kind {
        PartyKind::Trust | PartyKind::PurposeTrust => ("arrangement", Some("trust")),
        PartyKind::Arrangement => ("arrangement", Some("other")),
        PartyKind::StateBody => ("stateBody", Some("other")),
        PartyKind::Unknown => ("unknownEntity", None),
        _ => ("registeredEntity", None),
    }
}

/// The sources of each relationship record the export writes, by its
/// record id: those of the interests it carries; and of each entity's
/// board (`SUBJECT#board`, as a register analysis names it), those of its
/// first board. For citing a register analysis of a structure.
pub fn relationship_sources(s: &Structure) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let interests = s
        .interest
        .iter()
        .chain(s.event.iter().filter_map(|e| e.interest.as_deref()));
    for i in interests {
        let ids = out.entry(relationship_id(i)).or_default();
        if let Some(src) = &i.source
            && !ids.contains(src)
        {
            ids.push(src.clone());
        }
    }
    // A transfer starts the next holder's relationship: it rests on the
    // transfer's source and on the interest's own.
    for e in s
        .event
        .iter()
        .filter(|e| e.act == boardroom::ActKind::Transfer)
    {
        let (Some(id), Some(to)) = (&e.interest_id, &e.to) else {
            continue;
        };
        let Some(i) = s
            .interest
            .iter()
            .chain(s.event.iter().filter_map(|e| e.interest.as_deref()))
            .find(|i| &i.id == id)
        else {
            continue;
        };
        let ids = out.entry(format!("{}~{to}", i.subject)).or_default();
        for src in [&e.source, &i.source].into_iter().flatten() {
            if !ids.contains(src) {
                ids.push(src.clone());
            }
        }
    }
    for b in s
        .body
        .iter()
        .filter(|b| b.kind == boardroom::BodyKind::Board)
    {
        if let Some(src) = &b.source {
            out.entry(format!("{}#board", b.entity))
                .or_insert_with(|| vec![src.clone()]);
        }
        // A right to fill seats is exported as the holder's relationship
        // with the entity (`appointmentOfBoard`): it rests on the right's
        // source. (A class's right goes to its majority holder of the
        // day, which is not cited here.)
        for r in &b.appointments {
            let Some(src) = &r.source else { continue };
            let by = match s.body(&r.by) {
                Some(x) if x.kind.is_holder_body() => continue,
                Some(x) => x.entity.as_str(),
                None => r.by.as_str(),
            };
            let ids = out.entry(format!("{}~{by}", b.entity)).or_default();
            if !ids.contains(src) {
                ids.push(src.clone());
            }
        }
    }
    out.retain(|_, v| !v.is_empty());
    out
}

/// The relationships (by record id, as the export names them) that rest
/// on an interest the structure marks assumed and that is in force on
/// `on`.
pub fn assumed_relationships(s: &Structure, on: NaiveDate) -> BTreeSet<String> {
    let (state, _) = boardroom::state_as_of(s, on);
    let mut out: BTreeSet<String> = state
        .interests
        .iter()
        .filter(|i| i.assumption)
        .map(relationship_id)
        .collect();
    // Rights to fill a board's seats, exported as `appointmentOfBoard`.
    if state.in_record() {
        for b in s.body.iter().filter(|b| !b.appointments.is_empty()) {
            for held in boardroom::seat_rights(s, &state, b) {
                if !held.assumed.is_empty() {
                    out.insert(format!("{}~{}", b.entity, held.appointer));
                }
            }
        }
    }
    out
}

fn relationship_id(i: &Interest) -> String {
    match &i.holder {
        Some(h) => format!("{}~{h}", i.subject),
        None => format!("{}~unspecified~{}", i.subject, i.id),
    }
}

/// The places an open bound of a range is written to, in percent. A share
/// that is no finite decimal (600,000 votes of 2,840,000) is held as the
/// narrowest open range of 20-digit decimals around it; written so, its
/// two bounds are one number to a reader of IEEE doubles (most JSON
/// readers; RFC 8259 §6 advises expecting no more), which reads an empty
/// range. Twelve places keep the bounds apart as doubles for any share up
/// to 100%, and each is rounded outward, so the range still holds the
/// value; and an open bound rounded outward keeps every comparison with a
/// threshold of twelve places or fewer (50%: more than half) as it was.
/// A closed bound is a stated or summed share and is written as it is:
/// rounded, `minimum = 50.0000000000001` would become 50, no majority.
const BOUND_PLACES: u32 = 12;

fn share_json(sh: &Share) -> Value {
    use rust_decimal::RoundingStrategy::{ToNegativeInfinity, ToPositiveInfinity};
    let down = |d: Decimal| d.round_dp_with_strategy(BOUND_PLACES, ToNegativeInfinity);
    let up = |d: Decimal| d.round_dp_with_strategy(BOUND_PLACES, ToPositiveInfinity);
    let mut m = Map::new();
    for (name, key) in [
        ("exact", sh.exact),
        ("minimum", sh.minimum),
        ("maximum", sh.maximum),
        ("exclusiveMinimum", sh.exclusive_minimum.map(down)),
        ("exclusiveMaximum", sh.exclusive_maximum.map(up)),
    ] {
        if let Some(v) = key {
            m.insert(name.to_string(), number(v));
        }
    }
    Value::Object(m)
}

/// The interest with its share class named in its details (BODS has no
/// field for a class): "Class C common stock, 10 votes a share".
fn with_class(s: &Structure, i: &Interest) -> Interest {
    let Some(k) = &i.class else {
        return i.clone();
    };
    let Some(c) = s.classes_of(&i.subject).find(|c| &c.id == k) else {
        return i.clone();
    };
    let votes = c.votes().normalize();
    let class = format!(
        "{}, {} vote{} a share",
        c.name.clone().unwrap_or_else(|| format!("class {k}")),
        votes,
        if votes == rust_decimal::Decimal::ONE {
            ""
        } else {
            "s"
        }
    );
    let mut out = i.clone();
    out.details = Some(match &i.details {
        Some(d) => format!("{d} ({class})"),
        None => class,
    });
    out
}

fn interest_json(i: &Interest, closing: Option<NaiveDate>) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!(i.kind.code()));
    m.insert(
        "directOrIndirect".into(),
        json!(code(&i.direct_or_indirect)),
    );
    if let Some(b) = i.beneficial_ownership_or_control {
        m.insert("beneficialOwnershipOrControl".into(), json!(b));
    }
    if let Some(d) = &i.details {
        m.insert("details".into(), json!(d));
    }
    if let Some(sh) = &i.share {
        m.insert("share".into(), share_json(sh));
    }
    if let Some(st) = i.start {
        m.insert("startDate".into(), json!(st.to_string()));
    }
    if let Some(end) = closing {
        m.insert("endDate".into(), json!(end.to_string()));
    }
    Value::Object(m)
}

/// A source as an annotation value: id, title and address.
fn source_detail(s: &Structure, id: &str) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    if let Some(src) = s.source(id) {
        m.insert("title".into(), json!(src.title));
        if let Some(u) = &src.url {
            m.insert("url".into(), json!(u));
        }
        if let Some(d) = src.date {
            m.insert("date".into(), json!(d.to_string()));
        }
    }
    Value::Object(m)
}

/// The engine detail of an interest, for its annotation.
fn interest_detail(s: &Structure, i: &Interest) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(i.id));
    if let Some(u) = i.units {
        m.insert("units".into(), json!(u.to_string()));
    }
    if let Some(c) = &i.class {
        m.insert("class".into(), json!(c));
    }
    if let Some(v) = i.votes_per_unit {
        m.insert("votes_per_unit".into(), json!(v.to_string()));
    }
    if let Some(v) = &i.voted_by {
        m.insert("voted_by".into(), json!(v));
    }
    if let Some(e) = &i.ends_on {
        m.insert("ends_on".into(), json!(e));
    }
    if !i.via.is_empty() {
        m.insert("via".into(), json!(i.via));
    }
    if let Some(src) = &i.source {
        m.insert("source".into(), source_detail(s, src));
    }
    if i.assumption {
        m.insert("assumption".into(), json!(true));
    }
    if let Some(n) = &i.note {
        m.insert("note".into(), json!(n));
    }
    if let Some(e) = i.end {
        m.insert("end".into(), json!(e.to_string()));
    }
    Value::Object(m)
}

/// Every date the interests mention.
fn dates(items: &[Interest]) -> BTreeSet<NaiveDate> {
    items
        .iter()
        .flat_map(|i| [i.start, i.end])
        .flatten()
        .collect()
}

fn active(i: &Interest, at: NaiveDate) -> bool {
    i.start.is_none_or(|s| s <= at) && i.end.is_none_or(|e| at < e)
}

struct Draft {
    date: NaiveDate,
    rank: u8,
    record: String,
    version: usize,
    statement: Map<String, Value>,
}

/// The structure as BODS 0.4 statements, in serialisation order.
pub fn export(s: &Structure) -> Vec<Value> {
    let items = dated_interests(s);
    let all_dates = dates(&items);
    let publication = boardroom::report::default_date(s)
        .or_else(|| all_dates.last().copied())
        .unwrap_or(NaiveDate::MIN);
    // The initial state is stated as of the date from which the structure
    // knows it; undated interests are in force from that statement on.
    let baseline = s
        .known_from()
        .or_else(|| all_dates.first().and_then(|d| d.pred_opt()))
        .unwrap_or(publication);
    let mut drafts: Vec<Draft> = Vec::new();
    let source_of = |id: &Option<String>| -> Option<Value> {
        let src = s.source(id.as_deref()?)?;
        let mut m = Map::new();
        m.insert("type".into(), json!(["thirdParty"]));
        m.insert("description".into(), json!(src.title));
        if let Some(u) = &src.url {
            m.insert("url".into(), json!(u));
        }
        Some(Value::Object(m))
    };
    let subject_of: BTreeMap<&str, &str> = items
        .iter()
        .filter_map(|i| i.holder.as_deref().map(|h| (h, i.subject.as_str())))
        .rev()
        .collect();
    for (n, p) in s.party.iter().enumerate() {
        let mut details = Map::new();
        details.insert("isComponent".into(), json!(false));
        let record_type = if p.kind.is_person() {
            details.insert("personType".into(), json!("knownPerson"));
            details.insert(
                "names".into(),
                json!([{ "type": "legal", "fullName": p.name }]),
            );
            "person"
        } else {
            let (t, sub) = entity_type(p.kind);
            let mut et = Map::new();
            et.insert("type".into(), json!(t));
            if let Some(sub) = sub {
                et.insert("subtype".into(), json!(sub));
            }
            et.insert("details".into(), json!(p.kind.label()));
            details.insert("entityType".into(), Value::Object(et));
            details.insert("name".into(), json!(p.name));
            if let Some(j) = &p.jurisdiction {
                let country = j.split('-').next().unwrap_or(j);
                details.insert("jurisdiction".into(), json!({ "name": j, "code": country }));
            }
            if let Some(f) = p.founded {
                details.insert("foundingDate".into(), json!(f.to_string()));
            }
            if let Some(d) = p.dissolved {
                details.insert("dissolutionDate".into(), json!(d.to_string()));
            }
            "entity"
        };
        if !p.identifier.is_empty() {
            details.insert(
                "identifiers".into(),
                json!(
                    p.identifier
                        .iter()
                        .map(|i| json!({"scheme": i.scheme, "id": i.id}))
                        .collect::<Vec<_>>()
                ),
            );
        }
        let mut st = Map::new();
        st.insert(
            "declarationSubject".into(),
            json!(if p.kind.is_person() {
                subject_of
                    .get(p.id.as_str())
                    .copied()
                    .unwrap_or(p.id.as_str())
            } else {
                p.id.as_str()
            }),
        );
        st.insert("statementDate".into(), json!(baseline.to_string()));
        st.insert("recordId".into(), json!(p.id));
        st.insert("recordType".into(), json!(record_type));
        st.insert("recordStatus".into(), json!("new"));
        st.insert("recordDetails".into(), Value::Object(details));
        if let Some(src) = source_of(&p.source) {
            st.insert("source".into(), src);
        }
        let mut detail = Map::new();
        detail.insert("kind".into(), json!(code(&p.kind)));
        if let Some(note) = &p.note {
            detail.insert("note".into(), json!(note));
        }
        if let Some(src) = &p.source {
            detail.insert("source".into(), source_detail(s, src));
        }
        st.insert(
            "annotations".into(),
            json!([{
                "statementPointerTarget": "",
                "motivation": "commenting",
                "description": "boardroom: party detail",
                "boardroom": Value::Object(detail),
            }]),
        );
        drafts.push(Draft {
            date: baseline,
            rank: 0,
            record: format!("{n:08}"),
            version: 0,
            statement: st,
        });
    }
    // Relationships: group the interests by (subject, interested party).
    let mut groups: Vec<(String, Vec<&Interest>)> = Vec::new();
    for i in &items {
        let rid = relationship_id(i);
        match groups.iter_mut().find(|(r, _)| *r == rid) {
            Some((_, list)) => list.push(i),
            None => groups.push((rid, vec![i])),
        }
    }
    let components: BTreeSet<String> = items
        .iter()
        .flat_map(|i| i.via.iter())
        .filter_map(|v| items.iter().find(|x| &x.id == v))
        .map(relationship_id)
        .collect();
    for (rid, mut list) in groups {
        list.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(a.kind.cmp(&b.kind))
                .then(a.id.cmp(&b.id))
        });
        let owned: Vec<Interest> = list.iter().map(|i| (*i).clone()).collect();
        let mut points: Vec<NaiveDate> = dates(&owned).into_iter().collect();
        if owned.iter().any(|i| i.start.is_none()) {
            points.insert(0, baseline);
        }
        points.sort();
        points.dedup();
        let mut previous: Vec<&Interest> = Vec::new();
        let mut version = 0;
        // A closed record stays closed: a relationship that starts again
        // is a new record, numbered from 2.
        let mut record = rid.clone();
        let mut reopened = 1;
        let first = list[0];
        let is_component = components.contains(&rid);
        let component_records: Vec<String> = list
            .iter()
            .flat_map(|i| i.via.iter())
            .filter_map(|v| items.iter().find(|x| &x.id == v))
            .map(relationship_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for at in points {
            let now: Vec<&Interest> = list.iter().copied().filter(|i| active(i, at)).collect();
            if now == previous {
                continue;
            }
            if version == 0 && reopened > 1 {
                record = format!("{rid}~{reopened}");
            }
            // An update keeps the interests that have ended, each with its
            // end date: an updated statement replaces the whole record, and
            // an interest left out of it would be lost, not ended.
            let (status, shown): (&str, Vec<(&Interest, Option<NaiveDate>)>) = if now.is_empty() {
                ("closed", previous.iter().map(|i| (*i, Some(at))).collect())
            } else if version == 0 {
                ("new", now.iter().map(|i| (*i, None)).collect())
            } else {
                // An ended interest stated as one still in force (its end
                // and details aside) is not kept: a reader cannot tell the
                // two apart, and would end both.
                let ended = list.iter().filter(|i| {
                    !active(i, at)
                        && i.start.is_none_or(|st| st <= at)
                        && i.end.is_some_and(|e| e <= at)
                        && !now.iter().any(|n| {
                            // What a reader compares (`record::Dated::same`).
                            n.kind == i.kind
                                && n.direct_or_indirect == i.direct_or_indirect
                                && n.beneficial_ownership_or_control
                                    == i.beneficial_ownership_or_control
                                && n.share == i.share
                                && n.start == i.start
                        })
                });
                (
                    "updated",
                    now.iter()
                        .map(|i| (*i, None))
                        .chain(ended.map(|i| (*i, i.end)))
                        .collect(),
                )
            };
            let mut details = Map::new();
            details.insert("isComponent".into(), json!(is_component));
            if !is_component {
                details.insert("componentRecords".into(), json!(component_records));
            }
            details.insert("subject".into(), json!(first.subject));
            let party = match (&first.holder, &first.unspecified) {
                (Some(h), _) => json!(h),
                (None, Some(u)) => {
                    let mut m = Map::new();
                    m.insert("reason".into(), json!(code(&u.reason)));
                    if let Some(d) = &u.description {
                        m.insert("description".into(), json!(d));
                    }
                    Value::Object(m)
                }
                (None, None) => json!({ "reason": "unknown" }),
            };
            details.insert("interestedParty".into(), party);
            details.insert(
                "interests".into(),
                json!(
                    shown
                        .iter()
                        .map(|(i, closing)| interest_json(&with_class(s, i), *closing))
                        .collect::<Vec<_>>()
                ),
            );
            let annotations: Vec<Value> = shown
                .iter()
                .enumerate()
                .map(|(k, (i, _))| {
                    json!({
                        "statementPointerTarget": format!("/recordDetails/interests/{k}"),
                        "motivation": "commenting",
                        "description": "boardroom: interest detail",
                        "boardroom": interest_detail(s, i),
                    })
                })
                .collect();
            let mut st = Map::new();
            st.insert("declarationSubject".into(), json!(first.subject));
            st.insert("statementDate".into(), json!(at.to_string()));
            st.insert("recordId".into(), json!(record));
            st.insert("recordType".into(), json!("relationship"));
            st.insert("recordStatus".into(), json!(status));
            st.insert("recordDetails".into(), Value::Object(details));
            let sources: BTreeSet<&Option<String>> = shown.iter().map(|(i, _)| &i.source).collect();
            if sources.len() == 1
                && let Some(src) = sources.into_iter().next().and_then(&source_of)
            {
                st.insert("source".into(), src);
            }
            st.insert("annotations".into(), Value::Array(annotations));
            drafts.push(Draft {
                date: at,
                rank: if is_component { 1 } else { 2 },
                record: record.clone(),
                version,
                statement: st,
            });
            if status == "closed" {
                version = 0;
                reopened += 1;
            } else {
                version += 1;
            }
            previous = now;
        }
    }
    drafts.sort_by(|a, b| {
        (a.date, a.rank, &a.record, a.version).cmp(&(b.date, b.rank, &b.record, b.version))
    });
    // What BODS has no place for (bodies, offices, rules, the timeline,
    // economic terms, variants) travels whole, in an annotation on the
    // first statement, so that an import of this file loses nothing.
    if let (Some(first), Ok(whole)) = (drafts.first_mut(), serde_json::to_value(s)) {
        let note = json!({
            "statementPointerTarget": "",
            "motivation": "commenting",
            "description": "boardroom: the whole structure (bodies, offices, rules, events, economic terms, variants), for an import that loses nothing",
            "boardroom": { "structure": whole },
        });
        match first
            .statement
            .get_mut("annotations")
            .and_then(Value::as_array_mut)
        {
            Some(list) => list.push(note),
            None => {
                first
                    .statement
                    .insert("annotations".into(), Value::Array(vec![note]));
            }
        }
    }
    drafts
        .into_iter()
        .map(|d| {
            let mut st = d.statement;
            let canonical = serde_json::to_string(&st).unwrap_or_default();
            let id = uuid::Uuid::new_v5(&NAMESPACE, canonical.as_bytes());
            let mut out = Map::new();
            out.insert("statementId".into(), json!(id.to_string()));
            out.insert(
                "publicationDetails".into(),
                json!({
                    "publicationDate": publication.to_string(),
                    "bodsVersion": "0.4",
                    "publisher": { "name": PUBLISHER },
                }),
            );
            out.append(&mut st);
            Value::Object(out)
        })
        .collect()
}

/// What an import could carry over from a BODS file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "carried")]
pub enum Carried {
    /// boardroom exported the file and it is unchanged: the whole structure
    /// (bodies, rules, events, economics) came back from its annotation.
    Whole,
    /// boardroom exported the file, but its statements were changed since:
    /// the structure was read from the statements, and the annotation's
    /// bodies, rules, events and economics were not used.
    Changed {
        /// Statements not in boardroom's export of the annotation.
        added: usize,
        /// Statements of that export missing from the file.
        missing: usize,
    },
    /// The structure was read from the statements alone.
    Statements,
}

impl Carried {
    /// What the import could not carry, in words; `None` when nothing is
    /// lost.
    pub fn lost(&self) -> Option<String> {
        const BODS: &str = "BODS has no bodies, rules, meetings, votes, economic terms or variants: board seats, chairs and offices were read as interests, and the timeline as their dates, so verdicts, voting power and waterfalls cannot be recomputed from it";
        match self {
            Carried::Whole => None,
            Carried::Changed { added, missing } => Some(format!(
                "the file was exported by boardroom and then changed ({} added or altered, {missing} removed): it was read from its statements, and the structure in its annotation was not used. {BODS}",
                crate::text::counted_noun(*added, "statement", "statements")
            )),
            Carried::Statements => Some(format!("{BODS}.")),
        }
    }
}

/// How [`import`] reads.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The longest statement read, in bytes; a longer one is reported as
    /// damaged and skipped.
    pub max_statement_bytes: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            max_statement_bytes: MAX_STATEMENT_BYTES,
        }
    }
}

/// The longest BODS statement [`import`] and
/// [`validate`](crate::bods_validation::validate) read by default: BODS
/// statements are a few kilobytes, and a longer one is most likely a
/// string or bracket never closed.
pub const MAX_STATEMENT_BYTES: usize = crate::statement_array::MAX_STATEMENT_BYTES;

/// A BODS file read into a structure.
#[derive(Debug, Clone)]
pub struct Imported {
    pub structure: Structure,
    /// Statements in the file, damaged ones included.
    pub statements: usize,
    /// Problems that did not stop the import: each a statement (or an
    /// interest of one) skipped.
    pub problems: Vec<ImportProblem>,
    /// What could be carried over.
    pub carried: Carried,
}

/// A problem met while importing, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportProblem {
    /// 1-based statement number in the file.
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_id: Option<String>,
    pub message: String,
}

/// Why an import failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("statement {statement}: invalid JSON: {message}")]
    Json { statement: usize, message: String },
    #[error("the file is empty")]
    Empty,
    #[error("the file is cut short: {0}")]
    Truncated(String),
    #[error("{0}")]
    Schema(String),
}

/// The first byte that is not white space, left unread: `[` for a JSON
/// array, anything else for JSON Lines. A leading byte order mark (which
/// some Windows tools write) is skipped, as every reader skips it.
pub(crate) fn first_byte(reader: &mut impl BufRead) -> Result<u8, ImportError> {
    if reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Err(ImportError::Empty);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(p) => return Ok(buf[p]),
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// Each statement of a BODS file, whether a JSON array or JSON Lines,
/// streamed: `visit` sees the statement's number (from 1; the line number
/// in JSON Lines) and the statement, or why that line is not one. A damaged
/// line in JSON Lines is reported and reading goes on; in an array, a
/// syntax error ends the reading. A file cut short is reported as such.
///
/// A statement longer than `max_statement_bytes` is read past, not kept,
/// and reported to `visit` as damaged, in either layout.
pub fn for_each_statement(
    reader: impl Read,
    max_statement_bytes: usize,
    mut visit: impl FnMut(usize, Result<Value, String>),
) -> Result<usize, ImportError> {
    let too_long = || {
        format!(
            "a statement longer than {}, the most read (--max-statement-bytes)",
            crate::statement_array::bytes(max_statement_bytes)
        )
    };
    let mut reader = BufReader::new(reader);
    let first = first_byte(&mut reader)?;
    let mut count = 0;
    if first == b'[' {
        let mut array = crate::statement_array::StatementArray::new(reader, max_statement_bytes);
        loop {
            let batch = array.next_batch(1024)?;
            if batch.is_empty() {
                return Ok(count);
            }
            for element in batch {
                count += 1;
                if element.too_long {
                    visit(count, Err(too_long()));
                    continue;
                }
                match crate::statement_array::parse_statement(&element.text) {
                    Ok(v) => visit(count, Ok(v)),
                    Err(e) if crate::statement_array::is_data_error(&e) => {
                        visit(count, Err(element.place(&e)));
                    }
                    Err(e) => {
                        return Err(ImportError::Json {
                            statement: count,
                            message: element.place(&e),
                        });
                    }
                }
            }
        }
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        let (n, cut) =
            crate::statement_array::read_line_capped(&mut reader, &mut line, max_statement_bytes)?;
        if n == 0 {
            break;
        }
        count += 1;
        if cut {
            visit(count, Err(too_long()));
            continue;
        }
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        match crate::statement_array::parse_statement(text) {
            Ok(v) => visit(count, Ok(v)),
            Err(e) if crate::statement_array::is_data_error(&e) => {
                visit(count, Err(crate::statement_array::at_column(&e)));
            }
            Err(e) if e.is_eof() && !line.ends_with(b"\n") => {
                return Err(ImportError::Truncated(format!(
                    "the last line ({count}) is incomplete: {e}"
                )));
            }
            Err(e) => visit(
                count,
                Err(format!(
                    "invalid JSON: {}",
                    crate::statement_array::at_column(&e)
                )),
            ),
        }
    }
    Ok(count)
}

/// One version of a relationship record.
struct Version {
    date: NaiveDate,
    closed: bool,
    subject: String,
    party: Value,
    interests: Vec<(Value, Option<Value>)>,
    /// `componentRecords`: the relationships an indirect one runs through.
    components: Vec<String>,
}

fn date_of(v: &Value) -> Option<NaiveDate> {
    let s = v.as_str()?;
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

fn decimal(v: Option<&Value>) -> Option<Decimal> {
    let v = v?;
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}

fn from_code<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(Value::String(s.to_string())).ok()
}

/// Read BODS statements into a structure: parties from entity and person
/// records, interests (with their dates) from relationship records and
/// their history. Problems that do not stop the import are returned.
pub fn import(reader: impl Read, options: &ImportOptions) -> Result<Imported, ImportError> {
    let mut ids: Vec<String> = Vec::new();
    let mut whole: Option<Value> = None;
    // Each statement as text, once the first carries a structure: the
    // annotation is used only if the statements are exactly its export.
    let mut texts: Vec<String> = Vec::new();
    let (s, problems, statements) = import_statements(reader, options, |st| {
        if let Some(id) = st.get("statementId").and_then(|x| x.as_str()) {
            ids.push(id.to_string());
        }
        if whole.is_none() && ids.len() <= 1 {
            whole = st
                .get("annotations")
                .and_then(|a| a.as_array())
                .and_then(|a| a.iter().find_map(|x| x.pointer("/boardroom/structure")))
                .cloned();
        }
        if whole.is_some() {
            texts.push(st.to_string());
        }
    })?;
    let Some(whole) = whole else {
        return Ok(Imported {
            structure: s,
            statements,
            problems,
            carried: Carried::Statements,
        });
    };
    // The annotation is used only if exporting it gives the file back.
    let annotated: Option<Structure> = serde_json::from_value(whole).ok();
    let Some(annotated) = annotated else {
        return Ok(Imported {
            structure: s,
            statements,
            problems,
            carried: Carried::Changed {
                added: ids.len(),
                missing: 0,
            },
        });
    };
    let exported = export(&annotated);
    let mut expected: Vec<String> = exported
        .iter()
        .filter_map(|st| {
            st.get("statementId")
                .and_then(|x| x.as_str())
                .map(str::to_string)
        })
        .collect();
    expected.sort();
    ids.sort();
    let mut expected_texts: Vec<String> = exported.iter().map(Value::to_string).collect();
    expected_texts.sort();
    texts.sort();
    if expected_texts == texts && problems.is_empty() {
        return Ok(Imported {
            structure: annotated,
            statements,
            problems,
            carried: Carried::Whole,
        });
    }
    // Statements added, or changed under the same id, and statements
    // missing or changed.
    let added = texts
        .iter()
        .filter(|t| expected_texts.binary_search(t).is_err())
        .count()
        .max(
            ids.iter()
                .filter(|i| expected.binary_search(i).is_err())
                .count(),
        );
    let missing = expected_texts
        .iter()
        .filter(|t| texts.binary_search(t).is_err())
        .count();
    Ok(Imported {
        structure: s,
        statements,
        problems,
        carried: Carried::Changed { added, missing },
    })
}

/// The structure the statements alone say, with `seen` shown each statement.
fn import_statements(
    reader: impl Read,
    options: &ImportOptions,
    mut seen: impl FnMut(&Value),
) -> Result<(Structure, Vec<ImportProblem>, usize), ImportError> {
    let mut s = Structure::default();
    let mut problems = Vec::new();
    // Records in the order first seen, found by id (a scan per statement
    // made 200,000 relationships take 82 s).
    let mut parties: Vec<(String, Party)> = Vec::new();
    let mut party_at: HashMap<String, usize> = HashMap::new();
    let mut relationships: Vec<(String, Vec<Version>)> = Vec::new();
    let mut relationship_at: HashMap<String, usize> = HashMap::new();
    let mut publication: Option<NaiveDate> = None;
    let mut sources: Vec<boardroom::Source> = Vec::new();
    let mut note_source = |v: Option<&Value>| -> Option<String> {
        let v = v?;
        let id = v.get("id").and_then(|x| x.as_str())?.to_string();
        if !sources.iter().any(|x| x.id == id) {
            sources.push(boardroom::Source {
                id: id.clone(),
                title: v
                    .get("title")
                    .and_then(|x| x.as_str())
                    .unwrap_or(&id)
                    .to_string(),
                publisher: v
                    .get("assertedBy")
                    .and_then(|x| x.as_array())
                    .map(|agents| {
                        agents
                            .iter()
                            .filter_map(|a| a.get("name").and_then(|n| n.as_str()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .filter(|x| !x.is_empty()),
                url: v.get("url").and_then(|x| x.as_str()).map(str::to_string),
                date: v.get("date").and_then(date_of),
                note: None,
                unidentified: false,
            });
        }
        Some(id)
    };
    let statements = for_each_statement(reader, options.max_statement_bytes, |n, st| {
        let st = match st {
            Ok(st) => {
                seen(&st);
                st
            }
            Err(message) => {
                problems.push(ImportProblem {
                    statement: n,
                    statement_id: None,
                    message: format!("{message}; skipped"),
                });
                return;
            }
        };
        let problem = |m: String| ImportProblem {
            statement: n,
            statement_id: st
                .get("statementId")
                .and_then(|x| x.as_str())
                .map(str::to_string),
            message: m,
        };
        let Some(record) = st.get("recordId").and_then(|x| x.as_str()) else {
            problems.push(problem("the statement has no recordId; skipped".into()));
            return;
        };
        if let Some(p) = st
            .pointer("/publicationDetails/publicationDate")
            .and_then(date_of)
        {
            publication = Some(publication.map_or(p, |q| q.max(p)));
        }
        let details = st.get("recordDetails").cloned().unwrap_or(Value::Null);
        let annotations: Vec<&Value> = st
            .get("annotations")
            .and_then(|a| a.as_array())
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let detail_at = |pointer: &str| {
            annotations
                .iter()
                .find(|a| a.get("statementPointerTarget").and_then(|p| p.as_str()) == Some(pointer))
                .and_then(|a| a.get("boardroom"))
                .cloned()
        };
        let status = st
            .get("recordStatus")
            .and_then(|x| x.as_str())
            .unwrap_or("new");
        match st.get("recordType").and_then(|x| x.as_str()) {
            Some(kind @ ("entity" | "person")) => {
                let extra = detail_at("");
                let name = details
                    .get("name")
                    .and_then(|x| x.as_str())
                    .or_else(|| {
                        details
                            .pointer("/names/0/fullName")
                            .and_then(|x| x.as_str())
                    })
                    .map(|n| boardroom::one_line(n).into_owned())
                    .unwrap_or_else(|| "(unnamed)".to_string());
                let party_kind = extra
                    .as_ref()
                    .and_then(|e| e.get("kind"))
                    .and_then(|k| k.as_str())
                    .and_then(from_code::<PartyKind>)
                    .unwrap_or_else(|| {
                        if kind == "person" {
                            PartyKind::Person
                        } else {
                            match (
                                details.pointer("/entityType/type").and_then(|x| x.as_str()),
                                details
                                    .pointer("/entityType/subtype")
                                    .and_then(|x| x.as_str()),
                            ) {
                                (_, Some("trust")) => PartyKind::Trust,
                                (Some("arrangement"), _) => PartyKind::Arrangement,
                                (Some("state" | "stateBody"), _) => PartyKind::StateBody,
                                (Some("unknownEntity" | "anonymousEntity"), _) => {
                                    PartyKind::Unknown
                                }
                                _ => PartyKind::Corporation,
                            }
                        }
                    });
                let identifier = details
                    .get("identifiers")
                    .and_then(|x| x.as_array())
                    .map(|ids| {
                        ids.iter()
                            .filter_map(|i| {
                                Some(Identifier {
                                    scheme: i
                                        .get("scheme")
                                        .and_then(|x| x.as_str())
                                        .unwrap_or("")
                                        .to_string(),
                                    id: i.get("id").and_then(|x| x.as_str())?.to_string(),
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let text = |k: &str| {
                    extra
                        .as_ref()
                        .and_then(|e| e.get(k))
                        .and_then(|x| x.as_str())
                        .map(str::to_string)
                };
                let party = Party {
                    id: record.to_string(),
                    name,
                    kind: party_kind,
                    jurisdiction: details
                        .pointer("/jurisdiction/name")
                        .and_then(|x| x.as_str())
                        .map(str::to_string),
                    founded: details.get("foundingDate").and_then(date_of),
                    dissolved: details.get("dissolutionDate").and_then(date_of),
                    identifier,
                    source: note_source(extra.as_ref().and_then(|e| e.get("source"))),
                    note: text("note"),
                };
                match party_at.get(record) {
                    Some(&i) => parties[i].1 = party,
                    None => {
                        party_at.insert(record.to_string(), parties.len());
                        parties.push((record.to_string(), party));
                    }
                }
            }
            Some("relationship") => {
                let Some(date) = st.get("statementDate").and_then(date_of) else {
                    problems.push(problem(format!(
                        "relationship `{record}` has no statementDate; skipped"
                    )));
                    return;
                };
                let subject = match details.get("subject") {
                    Some(Value::String(x)) => x.clone(),
                    _ => {
                        problems.push(problem(format!(
                            "relationship `{record}` has an unspecified subject; boardroom needs a known subject, skipped"
                        )));
                        return;
                    }
                };
                let mut interests: Vec<(Value, Option<Value>)> = details
                    .get("interests")
                    .and_then(|x| x.as_array())
                    .map(|list| {
                        list.iter()
                            .enumerate()
                            .map(|(k, i)| {
                                (
                                    i.clone(),
                                    detail_at(&format!("/recordDetails/interests/{k}")),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if interests.is_empty() && status != "closed" {
                    // A relationship that states no interest (say, a listed
                    // company exempt from disclosure) still says something:
                    // keep it as an interest of unknown type.
                    interests.push((
                        json!({ "type": "unknownInterest", "directOrIndirect": "unknown" }),
                        None,
                    ));
                }
                for (_, extra) in &interests {
                    note_source(extra.as_ref().and_then(|e| e.get("source")));
                }
                let version = Version {
                    date,
                    closed: status == "closed",
                    subject,
                    party: details
                        .get("interestedParty")
                        .cloned()
                        .unwrap_or(Value::Null),
                    interests,
                    components: details
                        .get("componentRecords")
                        .and_then(|x| x.as_array())
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                match relationship_at.get(record) {
                    Some(&i) => relationships[i].1.push(version),
                    None => {
                        relationship_at.insert(record.to_string(), relationships.len());
                        relationships.push((record.to_string(), vec![version]));
                    }
                }
            }
            other => problems.push(problem(format!(
                "unknown recordType {}; skipped",
                other.map_or("(none)".to_string(), |o| format!("`{o}`"))
            ))),
        }
    })?;
    s.party = parties.into_iter().map(|(_, p)| p).collect();
    s.source = sources;
    s.scenario.as_of = publication;
    // The file's record starts with its earliest statement: an interest
    // first stated then with no start date is in force from then.
    let first = relationships
        .iter()
        .flat_map(|(_, vs)| vs.iter().map(|v| v.date))
        .min();
    s.scenario.known_from = first;
    // The interests read from each record, and the records each lists as
    // its components, to link an indirect interest to what it stands for.
    let mut from_record: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut components: Vec<(usize, Vec<String>)> = Vec::new();
    for (record, versions) in relationships {
        // The record's history, read as every command reads it.
        let mut history: boardroom::RecordHistory<Stated> = boardroom::RecordHistory::default();
        for (vi, v) in versions.iter().enumerate() {
            let stated: Vec<Stated> = v
                .interests
                .iter()
                .enumerate()
                .map(|(k, (raw, extra))| Stated::of(raw, extra.as_ref(), vi, k))
                .collect();
            history.push(&v.date, v.closed, &stated, |_| true);
        }
        for x in history.interests() {
            let st = &x.interest;
            let v = &versions[st.version];
            let Some(mut interest) = interest_from(
                &record,
                st.index,
                st.version,
                v,
                &v.interests[st.index].0,
                v.interests[st.index].1.as_ref(),
                &mut problems,
            ) else {
                continue;
            };
            interest.start = match interest.start {
                None if Some(x.from) == first => None,
                _ => Some(x.from),
            };
            interest.end = x.until;
            from_record
                .entry(record.clone())
                .or_default()
                .push(s.interest.len());
            if interest.via.is_empty() && !v.components.is_empty() {
                components.push((s.interest.len(), v.components.clone()));
            }
            s.interest.push(interest);
        }
    }
    for (k, records) in components {
        let via: Vec<String> = records
            .iter()
            .flat_map(|r| from_record.get(r).into_iter().flatten())
            .map(|&i| s.interest[i].id.clone())
            .collect();
        s.interest[k].via = via;
    }
    // A party a relationship names whose own statement was not read (it
    // is missing, or was damaged and skipped): an unknown party that says
    // so, so that the structure still loads.
    let mut named: Vec<String> = s
        .interest
        .iter()
        .flat_map(|i| std::iter::once(i.subject.clone()).chain(i.holder.clone()))
        .collect();
    named.sort();
    named.dedup();
    for id in named {
        if s.party(&id).is_none() {
            s.party.push(Party {
                name: format!("{id} (no statement read)"),
                id,
                kind: PartyKind::Unknown,
                jurisdiction: None,
                identifier: Vec::new(),
                founded: None,
                dissolved: None,
                source: None,
                note: Some(
                    "named by a relationship, but no entity or person statement for it was read: missing from the file, or damaged and skipped"
                        .to_string(),
                ),
            });
        }
    }
    Ok((s, problems, statements))
}

/// An interest as one statement states it, for the record's history.
#[derive(Clone, Debug)]
struct Stated {
    key: String,
    kind: Option<String>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    /// Where it is stated: the version and the place in its interests.
    version: usize,
    index: usize,
}

impl Stated {
    fn of(raw: &Value, extra: Option<&Value>, version: usize, index: usize) -> Stated {
        let end = extra
            .and_then(|e| e.get("end"))
            .and_then(date_of)
            .or_else(|| raw.get("endDate").and_then(date_of));
        Stated {
            key: interest_key(raw, extra),
            kind: raw.get("type").and_then(|x| x.as_str()).map(str::to_string),
            start: raw.get("startDate").and_then(date_of),
            end,
            version,
            index,
        }
    }
}

impl boardroom::Dated for Stated {
    type Date = NaiveDate;
    fn kind_code(&self) -> Option<&str> {
        self.kind.as_deref()
    }
    fn start(&self) -> Option<&NaiveDate> {
        self.start.as_ref()
    }
    fn end(&self) -> Option<&NaiveDate> {
        self.end.as_ref()
    }
    fn same(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

/// What identifies an interest across a record's versions: the id its
/// boardroom annotation gives, else the interest itself less its end date.
fn interest_key(raw: &Value, extra: Option<&Value>) -> String {
    extra
        .and_then(|e| e.get("id"))
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| {
            let mut r = raw.clone();
            if let Some(o) = r.as_object_mut() {
                o.remove("endDate");
            }
            r.to_string()
        })
}

fn interest_from(
    record: &str,
    k: usize,
    vi: usize,
    v: &Version,
    raw: &Value,
    extra: Option<&Value>,
    problems: &mut Vec<ImportProblem>,
) -> Option<Interest> {
    let text = |key: &str| {
        extra
            .and_then(|e| e.get(key))
            .and_then(|x| x.as_str())
            .map(str::to_string)
    };
    let kind = raw
        .get("type")
        .and_then(|x| x.as_str())
        .and_then(from_code::<InterestType>)
        .unwrap_or(InterestType::UnknownInterest);
    let share = raw.get("share").map(|sh| Share {
        exact: decimal(sh.get("exact")),
        minimum: decimal(sh.get("minimum")),
        maximum: decimal(sh.get("maximum")),
        exclusive_minimum: decimal(sh.get("exclusiveMinimum")),
        exclusive_maximum: decimal(sh.get("exclusiveMaximum")),
    });
    let (holder, unspecified) = match &v.party {
        Value::String(h) => (Some(h.clone()), None),
        Value::Object(o) => (
            None,
            Some(Unspecified {
                reason: o
                    .get("reason")
                    .and_then(|x| x.as_str())
                    .and_then(from_code::<UnspecifiedReason>)
                    .unwrap_or(UnspecifiedReason::Unknown),
                description: o
                    .get("description")
                    .and_then(|x| x.as_str())
                    .map(str::to_string),
            }),
        ),
        _ => {
            problems.push(ImportProblem {
                statement: 0,
                statement_id: None,
                message: format!("relationship `{record}` has no interested party; skipped"),
            });
            return None;
        }
    };
    Some(Interest {
        id: text("id").unwrap_or_else(|| format!("{record}/{vi}/{k}")),
        subject: v.subject.clone(),
        holder,
        unspecified,
        kind,
        direct_or_indirect: raw
            .get("directOrIndirect")
            .and_then(|x| x.as_str())
            .and_then(from_code::<DirectOrIndirect>)
            .unwrap_or_default(),
        via: extra
            .and_then(|e| e.get("via"))
            .and_then(|x| x.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        beneficial_ownership_or_control: raw
            .get("beneficialOwnershipOrControl")
            .and_then(|x| x.as_bool()),
        details: raw
            .get("details")
            .and_then(|x| x.as_str())
            .map(str::to_string),
        share,
        units: text("units").and_then(|u| u.parse().ok()),
        class: text("class"),
        votes_per_unit: text("votes_per_unit").and_then(|u| u.parse().ok()),
        voted_by: text("voted_by"),
        start: raw.get("startDate").and_then(date_of),
        end: text("end")
            .and_then(|e| NaiveDate::parse_from_str(&e, "%Y-%m-%d").ok())
            .or_else(|| raw.get("endDate").and_then(date_of)),
        ends_on: text("ends_on"),
        source: extra
            .and_then(|e| e.get("source"))
            .and_then(|x| x.get("id"))
            .and_then(|x| x.as_str())
            .map(str::to_string),
        assumption: extra
            .and_then(|e| e.get("assumption"))
            .and_then(|x| x.as_bool())
            .unwrap_or(false),
        note: text("note"),
    })
}

/// A structure as a register reads it: its BODS export as JSON, and
/// `options` completed so that the register reads it as `control` does: on
/// the date its other commands use (unless `options` gives one), its boards
/// by the names `control` gives them (the export carries only their
/// members' seats).
pub fn as_register(
    s: &Structure,
    mut options: boardroom_register::RegisterOptions,
) -> Result<(Vec<u8>, boardroom_register::RegisterOptions), serde_json::Error> {
    if options.as_of.is_none() {
        options.as_of = boardroom::report::default_date(s).map(|d| d.to_string());
    }
    for b in s
        .body
        .iter()
        .filter(|b| b.kind == boardroom::BodyKind::Board)
    {
        // The first board of an entity is its board, as for `control`.
        options
            .board_names
            .entry(b.entity.clone())
            .or_insert_with(|| boardroom::board_name(s, &b.entity, &b.id));
    }
    Ok((serde_json::to_vec(&export(s))?, options))
}
