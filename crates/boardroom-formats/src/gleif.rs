//! GLEIF Level 2 (RR-CDF 2.x golden-copy CSV) into a structure: every LEI a
//! party, every relationship record an interest with its period.
//!
//! The reading is the register's ([`boardroom_register::GleifBuilder`]), so
//! that `control` on the imported structure and `owners --gleif` on the file
//! name the same ultimate parents. Accounting consolidation means control
//! (IFRS 10): a direct-parent link becomes an `otherInfluenceOrControl`
//! interest. A declared ultimate parent becomes an `indirect` one only
//! where the child has no active direct parent in the file; where it has
//! one, the chain stands and the declaration is kept in the child's note
//! (counting both gave a child two ultimate controllers wherever the chain
//! in the file stops short of the declared parent). A feeder fund's link to
//! its master is a `shareholding` of unstated size; fund-management and
//! sub-fund links are contract rights, neither ownership nor control;
//! branches are skipped (a branch is not a separate legal entity). The
//! GLEIF relationship type is kept in `details`.

use std::collections::BTreeMap;
use std::io::Read;

use boardroom::{DirectOrIndirect, Interest, InterestType, Party, PartyKind, Source, Structure};
use boardroom_register::{
    GleifError, GleifKind, GleifRelationship, read_lei_names, read_relationships,
};
use chrono::NaiveDate;

/// A row that was not used, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GleifNote {
    pub row: u64,
    pub message: String,
    /// The row was damaged and skipped (else: a note on how it was read).
    pub damaged: bool,
}

fn kind_text(k: GleifKind) -> &'static str {
    match k {
        GleifKind::DirectParent => "IS_DIRECTLY_CONSOLIDATED_BY",
        GleifKind::UltimateParent => "IS_ULTIMATELY_CONSOLIDATED_BY",
        GleifKind::FundManagedBy => "IS_FUND-MANAGED_BY",
        GleifKind::SubfundOf => "IS_SUBFUND_OF",
        GleifKind::FeederTo => "IS_FEEDER_TO",
        GleifKind::BranchOf => "IS_INTERNATIONAL_BRANCH_OF",
        GleifKind::Other => "other relationship type",
    }
}

fn date(text: Option<&str>) -> Option<NaiveDate> {
    let t = text?;
    NaiveDate::parse_from_str(t.get(..10).unwrap_or(t), "%Y-%m-%d").ok()
}

/// Read relationship records (and, optionally, Level 1 records for names)
/// into a structure.
pub fn import(
    rr: impl Read,
    lei: Option<impl Read>,
) -> Result<(Structure, Vec<GleifNote>), GleifError> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut notes: Vec<GleifNote> = Vec::new();
    if let Some(lei) = lei {
        let (_, damaged) = read_lei_names(lei, |l, n| {
            names.insert(l.to_string(), boardroom::one_line(n).into_owned());
        })?;
        notes.extend(damaged.into_iter().map(|p| GleifNote {
            row: p.row,
            message: format!("LEI records: {}", p.message),
            damaged: true,
        }));
    }
    let mut rows: Vec<GleifRelationship> = Vec::new();
    let problems = read_relationships(rr, |r| rows.push(r))?;
    notes.extend(problems.into_iter().map(|p| GleifNote {
        row: p.row,
        message: p.message,
        damaged: true,
    }));
    let mut s = Structure::default();
    s.source.push(Source {
        id: "gleif".into(),
        title: "GLEIF Level 2 relationship records (RR-CDF 2.x)".into(),
        publisher: Some("Global Legal Entity Identifier Foundation (GLEIF)".into()),
        url: Some("https://www.gleif.org/en/lei-data/gleif-golden-copy".into()),
        date: None,
        note: None,
        unidentified: false,
    });
    let mut parties: BTreeMap<String, ()> = BTreeMap::new();
    // Children with an active direct parent: their chains stand, and a
    // declared ultimate parent is a note beside them.
    let has_direct: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| r.active && r.kind == GleifKind::DirectParent && r.child != r.parent)
        .map(|r| &*r.child)
        .collect();
    let mut declared: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (n, r) in rows.iter().enumerate() {
        let row = n as u64 + 2;
        let (kind, direct) = match r.kind {
            GleifKind::DirectParent => (
                InterestType::OtherInfluenceOrControl,
                DirectOrIndirect::Direct,
            ),
            GleifKind::FundManagedBy | GleifKind::SubfundOf => (
                InterestType::RightsGrantedByContract,
                DirectOrIndirect::Direct,
            ),
            GleifKind::UltimateParent if r.active && has_direct.contains(&*r.child) => {
                declared
                    .entry(r.child.to_string())
                    .or_default()
                    .push(r.parent.to_string());
                parties.insert(r.child.to_string(), ());
                parties.insert(r.parent.to_string(), ());
                continue;
            }
            GleifKind::UltimateParent => (
                InterestType::OtherInfluenceOrControl,
                DirectOrIndirect::Indirect,
            ),
            GleifKind::FeederTo => (InterestType::Shareholding, DirectOrIndirect::Direct),
            GleifKind::BranchOf | GleifKind::Other => {
                notes.push(GleifNote {
                    row,
                    message: format!(
                        "{} ({} → {}) skipped: not a link between legal entities",
                        kind_text(r.kind),
                        r.child,
                        r.parent
                    ),
                    damaged: false,
                });
                continue;
            }
        };
        if r.child == r.parent {
            notes.push(GleifNote {
                row,
                message: format!("{} is its own parent; skipped", r.child),
                damaged: true,
            });
            continue;
        }
        let period = r
            .periods
            .iter()
            .find(|p| &*p.kind == "RELATIONSHIP_PERIOD")
            .or_else(|| r.periods.first());
        let start = period.and_then(|p| date(p.start.as_deref()));
        let mut end = period.and_then(|p| date(p.end.as_deref()));
        if !r.active && end.is_none() {
            // An inactive relationship with no end date: ended, date unknown.
            end = start.or(NaiveDate::from_ymd_opt(1970, 1, 1));
            notes.push(GleifNote {
                row,
                message: format!(
                    "{} → {} is INACTIVE with no end date; recorded as ended",
                    r.child, r.parent
                ),
                damaged: false,
            });
        }
        parties.insert(r.child.to_string(), ());
        parties.insert(r.parent.to_string(), ());
        s.interest.push(Interest {
            id: format!("rr-{row}"),
            subject: r.child.to_string(),
            holder: Some(r.parent.to_string()),
            unspecified: None,
            kind,
            direct_or_indirect: direct,
            via: Vec::new(),
            beneficial_ownership_or_control: Some(false),
            details: Some(format!("GLEIF {}", kind_text(r.kind))),
            share: None,
            units: None,
            class: None,
            votes_per_unit: None,
            voted_by: None,
            start,
            end: end.filter(|e| start.is_none_or(|s| s <= *e)),
            ends_on: None,
            source: Some("gleif".into()),
            assumption: false,
            note: (&*r.registration_status != "PUBLISHED")
                .then(|| format!("registration status {}", r.registration_status)),
        });
    }
    s.party = parties
        .into_keys()
        .map(|lei| Party {
            name: names
                .get(&lei)
                .cloned()
                .unwrap_or_else(|| format!("LEI {lei}")),
            identifier: vec![boardroom::Identifier {
                scheme: "XI-LEI".into(),
                id: lei.clone(),
            }],
            kind: PartyKind::Corporation,
            jurisdiction: None,
            founded: None,
            dissolved: None,
            source: Some("gleif".into()),
            note: declared.get(&lei).map(|ps| {
                format!(
                    "GLEIF declares its ultimate accounting consolidation parent (IS_ULTIMATELY_CONSOLIDATED_BY): {}; its direct-parent chain in this file is what control follows",
                    ps.join(", ")
                )
            }),
            id: lei,
        })
        .collect();
    // The file's date: its latest relationship date, so that every command
    // takes the same date when none is given.
    s.scenario.as_of = s
        .interest
        .iter()
        .flat_map(|i| [i.start, i.end])
        .flatten()
        .max();
    Ok((s, notes))
}
