//! BODS 0.4 statements, reduced to the fields the ownership graph needs.
//!
//! Parsing borrows from the input buffer and reads only the fields below;
//! every other field is checked and skipped without being built. A
//! statement is read by [`scanner`] where it can be read exactly, and by
//! serde_json otherwise (and always where it is damaged, so that the
//! message is serde_json's).

mod scanner;
pub(crate) use scanner::special;

use crate::share::ShareRange;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::Deserializer;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::str::FromStr;

/// The `recordStatus` of a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordStatus {
    /// First statement about the record.
    New,
    /// Replaces every earlier statement about the record.
    Updated,
    /// The record no longer exists; it leaves the graph.
    Closed,
}

pub use boardroom::InterestType;

/// Economic interests: their share is an ownership share. `None` is a type
/// outside the codelist, or none given; with unknown and unpublished
/// interests it counts as economic, its share unknown.
pub fn is_economic(kind: Option<InterestType>) -> bool {
    use InterestType::*;
    match kind {
        None => true,
        Some(k) => matches!(
            k,
            Shareholding
                | RightsToSurplusAssetsOnDissolution
                | RightsToProfitOrIncome
                | BeneficiaryOfLegalArrangement
                | EnjoymentAndUseOfAssets
                | RightToProfitOrIncomeFromAssets
                | UnknownInterest
                | UnpublishedInterest
        ),
    }
}

impl boardroom::Dated for Interest {
    type Date = Box<str>;
    fn kind_code(&self) -> Option<&str> {
        self.kind.map(InterestType::code)
    }
    fn start(&self) -> Option<&Box<str>> {
        self.start.as_ref()
    }
    fn end(&self) -> Option<&Box<str>> {
        self.end.as_ref()
    }
    fn same(&self, o: &Self) -> bool {
        self.kind == o.kind
            && self.directness == o.directness
            && self.beneficial == o.beneficial
            && self.share == o.share
            && self.start == o.start
    }
}

/// `directOrIndirect` of an interest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Directness {
    Direct,
    Indirect,
    Unknown,
}

/// One interest of a relationship, as stated.
#[derive(Clone, Debug, PartialEq)]
pub struct Interest {
    /// `type`; `None` when it is missing or outside the codelist.
    pub kind: Option<InterestType>,
    /// `directOrIndirect`.
    pub directness: Directness,
    /// `beneficialOwnershipOrControl`.
    pub beneficial: Option<bool>,
    /// `share`, if stated.
    pub share: Option<ShareRange>,
    /// `startDate`.
    pub start: Option<Box<str>>,
    /// `endDate`.
    pub end: Option<Box<str>>,
}

/// The interested party of a relationship.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartyRef {
    /// The recordId of a person or entity record.
    Record(Box<str>),
    /// An unspecified party, by `reason`.
    Unspecified(Box<str>),
}

/// What a statement says about its record.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// An entity record.
    Entity {
        /// `name`.
        name: Option<Box<str>>,
        /// The reason, for `anonymousEntity` and `unknownEntity`.
        unspecified: Option<Box<str>>,
        /// `foundingDate`, as `YYYY-MM-DD`.
        founded: Option<Box<str>>,
        /// `dissolutionDate`, as `YYYY-MM-DD`.
        dissolved: Option<Box<str>>,
        /// A trust (`entityType.subtype` `trust`): its trustees act as its
        /// board.
        trust: bool,
    },
    /// A person record.
    Person {
        /// The first `names[].fullName`.
        name: Option<Box<str>>,
        /// The reason, for `anonymousPerson` and `unknownPerson`.
        unspecified: Option<Box<str>>,
    },
    /// A relationship record.
    Relationship {
        /// recordId of the subject entity.
        subject: Box<str>,
        /// The interested party.
        party: PartyRef,
        /// Every interest stated.
        interests: Vec<Interest>,
        /// `isComponent`.
        is_component: bool,
        /// `componentRecords`.
        components: Vec<Box<str>>,
    },
}

/// One statement, as read.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// 1-based line of the statement's first byte in the input.
    pub line: u64,
    /// `statementId`.
    pub statement_id: Option<Box<str>>,
    /// `recordId`.
    pub record_id: Box<str>,
    /// `recordStatus`.
    pub status: RecordStatus,
    /// `statementDate`, its date part (`YYYY-MM-DD`).
    pub date: Option<Box<str>>,
    /// The record's details.
    pub body: Body,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawStatement<'a> {
    #[serde(borrow)]
    statement_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    record_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    record_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    record_status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    statement_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    record_details: Option<RawDetails<'a>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDetails<'a> {
    #[serde(default)]
    is_component: bool,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    names: Option<Vec<RawName<'a>>>,
    #[serde(borrow)]
    entity_type: Option<RawEntityType<'a>>,
    #[serde(borrow)]
    person_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    unspecified_entity_details: Option<RawUnspecified<'a>>,
    #[serde(borrow)]
    unspecified_person_details: Option<RawUnspecified<'a>>,
    #[serde(borrow)]
    subject: Option<Cow<'a, str>>,
    #[serde(borrow)]
    interested_party: Option<RawParty<'a>>,
    #[serde(borrow)]
    interests: Option<Vec<RawInterest<'a>>>,
    #[serde(borrow)]
    component_records: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    founding_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    dissolution_date: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawName<'a> {
    #[serde(borrow)]
    full_name: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RawEntityType<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    subtype: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RawUnspecified<'a> {
    #[serde(borrow)]
    reason: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawParty<'a> {
    Id(#[serde(borrow)] Cow<'a, str>),
    Unspecified(#[serde(borrow)] RawUnspecified<'a>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawInterest<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    direct_or_indirect: Option<Cow<'a, str>>,
    beneficial_ownership_or_control: Option<bool>,
    #[serde(borrow)]
    share: Option<RawShare<'a>>,
    #[serde(borrow)]
    start_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    end_date: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawShare<'a> {
    #[serde(borrow)]
    exact: Option<RawText<'a>>,
    #[serde(borrow)]
    minimum: Option<RawText<'a>>,
    #[serde(borrow)]
    maximum: Option<RawText<'a>>,
    #[serde(borrow)]
    exclusive_minimum: Option<RawText<'a>>,
    #[serde(borrow)]
    exclusive_maximum: Option<RawText<'a>>,
}

/// A JSON value's text as written (serde_json's `RawValue`): a share's
/// figure is read as a decimal from its text, never through a double.
#[derive(Clone, Copy, Debug)]
struct RawText<'a>(&'a str);

impl<'de: 'a, 'a> Deserialize<'de> for RawText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de RawValue>::deserialize(d).map(|v| RawText(v.get()))
    }
}

/// Why one statement could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    /// Not valid JSON, or a field of the wrong JSON type.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A required field is missing.
    #[error("missing `{0}`")]
    Missing(&'static str),
    /// A field has a value outside its codelist or range.
    #[error("invalid `{field}`: {value}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What was found.
        value: String,
    },
}

/// The date part of a BODS date or date-time: `2021-09-11T14:02:11Z` is
/// `2021-09-11`, so that dates compare as text. Anything else (`2023-13-45`,
/// `yesterday`, `2023-1-5`) is refused: compared as text it would start or
/// end interests on no real date, silently.
fn day(c: Cow<'_, str>, field: &'static str) -> Result<Box<str>, StatementError> {
    let date = c.get(..10).unwrap_or(&c);
    let rest = c.get(10..).unwrap_or("");
    if is_date(date) && (rest.is_empty() || rest.starts_with('T')) {
        Ok(date.into())
    } else {
        Err(StatementError::Invalid {
            field,
            value: format!("`{}`, expected a date YYYY-MM-DD", boardroom::one_line(&c)),
        })
    }
}

/// Whether `d` is a real calendar date written `YYYY-MM-DD`.
fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = d.get(r)?;
        part.bytes()
            .all(|x| x.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (Some(y), Some(m), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A name as shown: on one line (no control characters).
fn display_name(c: Cow<'_, str>) -> Box<str> {
    match boardroom::one_line(&c) {
        Cow::Borrowed(_) => boxed(c),
        Cow::Owned(s) => s.into_boxed_str(),
    }
}

fn boxed(c: Cow<'_, str>) -> Box<str> {
    match c {
        Cow::Borrowed(s) => s.into(),
        Cow::Owned(s) => s.into_boxed_str(),
    }
}

fn percent(raw: RawText<'_>, field: &'static str) -> Result<Decimal, StatementError> {
    let text = raw.0;
    let d = Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|_| StatementError::Invalid {
            field,
            value: text.to_owned(),
        })?;
    if d.is_sign_negative() || d > Decimal::ONE_HUNDRED {
        return Err(StatementError::Invalid {
            field,
            value: text.to_owned(),
        });
    }
    Ok(d / Decimal::ONE_HUNDRED)
}

fn share(raw: &RawShare<'_>) -> Result<Option<ShareRange>, StatementError> {
    // Every bound given is read (a bad one damages the statement, even
    // beside another bound), and they are combined as a structure's are.
    let read = |r: Option<RawText<'_>>, field| r.map(|r| percent(r, field)).transpose();
    let lo = boardroom::Share::lower_of(
        read(raw.minimum, "share.minimum")?,
        read(raw.exclusive_minimum, "share.exclusiveMinimum")?,
    );
    let hi = boardroom::Share::upper_of(
        read(raw.maximum, "share.maximum")?,
        read(raw.exclusive_maximum, "share.exclusiveMaximum")?,
    );
    if let Some(text) = raw.exact {
        let e = percent(text, "share.exact")?;
        // An exact share beside bounds it breaks: the statement
        // contradicts itself, and neither figure can be chosen.
        let above = lo.is_none_or(|(l, open)| if open { e > l } else { e >= l });
        let below = hi.is_none_or(|(h, open)| if open { e < h } else { e <= h });
        if !(above && below) {
            return Err(StatementError::Invalid {
                field: "share",
                value: format!("exact {} outside the bounds it also states", text.0),
            });
        }
        return Ok(Some(ShareRange::exact(e)));
    }
    if lo.is_none() && hi.is_none() {
        return Ok(None);
    }
    let (lo, lo_open) = lo.unwrap_or((Decimal::ZERO, false));
    let (hi, hi_open) = hi.unwrap_or((Decimal::ONE, false));
    let r = ShareRange {
        lo,
        hi,
        lo_open,
        hi_open,
        unknown: false,
        rounded: false,
    };
    if r.lo > r.hi || (r.lo == r.hi && (r.lo_open || r.hi_open)) {
        return Err(StatementError::Invalid {
            field: "share",
            value: format!("empty range {r}"),
        });
    }
    Ok(Some(r))
}

/// Parses one statement from its JSON text.
pub fn parse_statement(bytes: &[u8], line: u64) -> Result<Statement, StatementError> {
    let text = utf8(bytes)?;
    let mut raw = RawStatement::default();
    if scanner::scan(text, &mut raw).is_none() {
        raw = serde_json::from_str(text).map_err(|e| StatementError::Json(e.to_string()))?;
    }
    from_raw(raw, line)
}

/// [`parse_statement`] by serde_json alone, without the scanner: what the
/// scanner must agree with (the tests and the `bods_statements` fuzz
/// target compare the two).
#[doc(hidden)]
pub fn parse_statement_by_serde(bytes: &[u8], line: u64) -> Result<Statement, StatementError> {
    let raw =
        serde_json::from_str(utf8(bytes)?).map_err(|e| StatementError::Json(e.to_string()))?;
    from_raw(raw, line)
}

/// The statement as text: one UTF-8 check for all of it, rather than one
/// per string as serde_json's `from_slice` makes (a third of the parsing
/// time).
fn utf8(bytes: &[u8]) -> Result<&str, StatementError> {
    // simdutf8's check (16 or 32 bytes at a time), and the standard
    // library's, slower, only to place an error.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(s);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        StatementError::Json(format!(
            "invalid UTF-8 at byte {} of the statement",
            e.valid_up_to() + 1
        ))
    })
}

fn from_raw(raw: RawStatement<'_>, line: u64) -> Result<Statement, StatementError> {
    let record_id = boxed(raw.record_id.ok_or(StatementError::Missing("recordId"))?);
    let status = match raw.record_status.as_deref() {
        None | Some("new") => RecordStatus::New,
        Some("updated") => RecordStatus::Updated,
        Some("closed") => RecordStatus::Closed,
        Some(other) => {
            return Err(StatementError::Invalid {
                field: "recordStatus",
                value: other.to_owned(),
            });
        }
    };
    let details = raw
        .record_details
        .ok_or(StatementError::Missing("recordDetails"))?;
    let body = match raw.record_type.as_deref() {
        Some("entity") => {
            let unspecified = match details.entity_type.as_ref().and_then(|t| t.kind.as_deref()) {
                Some("anonymousEntity" | "unknownEntity") => Some(
                    details
                        .unspecified_entity_details
                        .and_then(|u| u.reason)
                        .map(boxed)
                        .unwrap_or_else(|| "unknown".into()),
                ),
                _ => None,
            };
            let trust = details
                .entity_type
                .as_ref()
                .and_then(|t| t.subtype.as_deref())
                == Some("trust");
            Body::Entity {
                name: details.name.map(display_name),
                unspecified,
                founded: details
                    .founding_date
                    .map(|d| day(d, "foundingDate"))
                    .transpose()?,
                dissolved: details
                    .dissolution_date
                    .map(|d| day(d, "dissolutionDate"))
                    .transpose()?,
                trust,
            }
        }
        Some("person") => {
            let unspecified = match details.person_type.as_deref() {
                Some("anonymousPerson" | "unknownPerson") => Some(
                    details
                        .unspecified_person_details
                        .and_then(|u| u.reason)
                        .map(boxed)
                        .unwrap_or_else(|| "unknown".into()),
                ),
                _ => None,
            };
            // Shown on one line: a name cannot break the output.
            let name = details
                .names
                .and_then(|ns| ns.into_iter().find_map(|n| n.full_name))
                .map(display_name);
            Body::Person { name, unspecified }
        }
        Some("relationship") => {
            let subject = boxed(
                details
                    .subject
                    .ok_or(StatementError::Missing("recordDetails.subject"))?,
            );
            let party = match details.interested_party {
                Some(RawParty::Id(id)) => PartyRef::Record(boxed(id)),
                Some(RawParty::Unspecified(u)) => {
                    PartyRef::Unspecified(u.reason.map(boxed).unwrap_or_else(|| "unknown".into()))
                }
                None => return Err(StatementError::Missing("recordDetails.interestedParty")),
            };
            let raw_interests = details.interests.unwrap_or_default();
            let mut interests = Vec::with_capacity(raw_interests.len());
            for i in raw_interests {
                let directness = match i.direct_or_indirect.as_deref() {
                    Some("direct") => Directness::Direct,
                    Some("indirect") => Directness::Indirect,
                    _ => Directness::Unknown,
                };
                interests.push(Interest {
                    kind: i.kind.as_deref().and_then(InterestType::from_code),
                    directness,
                    beneficial: i.beneficial_ownership_or_control,
                    share: match &i.share {
                        Some(s) => share(s)?,
                        None => None,
                    },
                    start: i.start_date.map(|d| day(d, "startDate")).transpose()?,
                    end: i.end_date.map(|d| day(d, "endDate")).transpose()?,
                });
            }
            Body::Relationship {
                subject,
                party,
                interests,
                is_component: details.is_component,
                components: details
                    .component_records
                    .unwrap_or_default()
                    .into_iter()
                    .map(boxed)
                    .collect(),
            }
        }
        Some(other) => {
            return Err(StatementError::Invalid {
                field: "recordType",
                value: other.to_owned(),
            });
        }
        None => return Err(StatementError::Missing("recordType")),
    };
    Ok(Statement {
        line,
        statement_id: raw.statement_id.map(boxed),
        record_id,
        status,
        date: raw
            .statement_date
            .map(|d| day(d, "statementDate"))
            .transpose()?,
        body,
    })
}

/// Finds `"statementId": "…"` in damaged text, for error reports.
pub fn sniff_statement_id(bytes: &[u8]) -> Option<Box<str>> {
    let key = b"\"statementId\"";
    let pos = bytes.windows(key.len()).position(|w| w == key)?;
    let rest = &bytes[pos + key.len()..];
    let start = rest.iter().position(|&b| b == b'"')? + 1;
    let len = rest[start..].iter().position(|&b| b == b'"')?;
    std::str::from_utf8(&rest[start..start + len])
        .ok()
        .map(Into::into)
}

#[cfg(test)]
mod date_tests {
    use super::is_date;

    /// Issue 20, item 8: dates were compared as text, so `2023-13-45` or
    /// `yesterday` started and ended interests silently.
    #[test]
    fn only_real_calendar_dates_are_read() {
        for d in ["2023-11-17", "2024-02-29", "2000-02-29", "0001-01-01"] {
            assert!(is_date(d), "{d}");
        }
        for d in [
            "2023-13-01",
            "2023-02-29",
            "1900-02-29",
            "2023-04-31",
            "2023-1-05",
            "yesterday",
            "2023-11-1x",
            "",
            "2023/11/17",
        ] {
            assert!(!is_date(d), "{d}");
        }
    }
}

#[cfg(test)]
mod utf8_tests {
    use super::utf8;
    use proptest::prelude::*;

    /// Bytes that make UTF-8 hard: ASCII, continuation bytes, lead bytes of
    /// each length, overlong and surrogate leads, and bytes never valid.
    fn tricky() -> impl Strategy<Value = u8> {
        prop_oneof![
            0x20u8..0x7f,
            0x80u8..0xc0,
            Just(0xc0u8),
            Just(0xc1u8),
            0xc2u8..0xe0,
            Just(0xe0u8),
            Just(0xedu8),
            0xe1u8..0xf0,
            Just(0xf0u8),
            0xf1u8..0xf5,
            0xf5u8..=0xff,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// simdutf8's check accepts exactly what the standard library's
        /// does, and a rejected statement is placed where the standard
        /// library places its first bad byte.
        #[test]
        fn the_utf8_check_agrees_with_the_standard_library(
            prefix in "[ -~é€😀]{0,40}",
            bytes in proptest::collection::vec(tricky(), 0..12),
            suffix in "[ -~]{0,40}",
        ) {
            let mut s = prefix.into_bytes();
            s.extend_from_slice(&bytes);
            s.extend_from_slice(suffix.as_bytes());
            match (std::str::from_utf8(&s), utf8(&s)) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(e), Err(m)) => prop_assert!(
                    m.to_string().contains(&format!("at byte {} ", e.valid_up_to() + 1)),
                    "{}", m
                ),
                (a, b) => prop_assert!(false, "std {:?}, ours {:?}", a.is_ok(), b.is_ok()),
            }
        }
    }
}
