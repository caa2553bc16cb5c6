//! Views and the report: what the commands print, as data.
//!
//! [`StateView`] is the structure on a date; [`Report`] joins the state on
//! the highlighted dates, every verdict, which verdicts change under each
//! variant, control, the block questions, and the rights that a body in
//! which their holder has no vote can end.

use std::collections::{BTreeMap, BTreeSet};

use boardroom_waterfall::grouped;
use chrono::NaiveDate;
use serde::Serialize;

use crate::blocking::{BlockAnswer, could_block};
use crate::control::{ControlReport, Officer, control};
use crate::model::{EconomicTerms, InterestType, Structure};
use crate::timeline::{Ineligible, Outcome, State, Verdict, replay, state_as_of};

/// A member of a body on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MemberView {
    pub party: String,
    pub name: String,
    pub chair: bool,
    pub votes: u64,
    /// Offices the member holds in the body's entity.
    pub offices: Vec<String>,
    /// The source of the seat: the appointing event's, or the body's for
    /// the initial members.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A body on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct BodyView {
    pub body: String,
    pub name: String,
    pub entity: String,
    pub members: Vec<MemberView>,
    /// Fixed seats, when the structure states them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seats: Option<u32>,
    /// What the structure says of the body (that only its chair is named,
    /// say), shown with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An interest in force on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct InterestView {
    pub id: String,
    pub holder: String,
    pub holder_name: String,
    pub subject: String,
    pub subject_name: String,
    #[serde(rename = "type")]
    pub kind: InterestType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// The interest's source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// What is caveated about it: assumed, or resting on an unidentified
    /// source. Empty when it is documented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<String>,
}

/// What a view on a date rests on: from when the file knows its initial
/// state, the date of the latest fact it states, and what that means for
/// the date asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RecordSpan {
    /// The date of the view; absent when the structure has no date at all.
    pub date: Option<NaiveDate>,
    /// From when the initial state (members, officers, undated interests)
    /// is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_from: Option<NaiveDate>,
    /// The date of the latest fact the file states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_fact: Option<NaiveDate>,
    /// What the view cannot say on its date, in words: before the record,
    /// after it, entities not yet founded or already dissolved.
    pub notes: Vec<String>,
}

/// Names as a list in words: "A and B", "A, B and C"; where a name has a
/// comma of its own ("OpenAI, Inc."), three or more are parted by
/// semicolons ("A, Inc.; B; and C"), so that no name reads as two.
pub fn listed(names: &[String]) -> String {
    let sep = if names.iter().any(|n| n.contains(',')) {
        "; "
    } else {
        ", "
    };
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] if sep == ", " => format!("{} and {last}", rest.join(sep)),
        [rest @ .., last] => format!("{}; and {last}", rest.join(sep)),
    }
}

/// A count as people read it: 1,234,567 (decimals kept when there are).
pub fn count(d: rust_decimal::Decimal) -> String {
    let s = d.normalize().to_string();
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// The record span of `s` as seen on `date`.
pub fn record_span(s: &Structure, date: Option<NaiveDate>) -> RecordSpan {
    let known_from = s.known_from();
    let last_fact = s.last_fact();
    let mut notes = Vec::new();
    if let Some(d) = date {
        if let Some(k) = known_from.filter(|k| d < *k) {
            notes.push(format!(
                "the file's record starts on {k}: on {d} it shows no members, officers or undated interests, only what it dates earlier (`scenario.known_from` says from when the initial state holds)"
            ));
        }
        if let Some(l) = last_fact.filter(|l| d > *l) {
            notes.push(format!(
                "the latest fact this rests on is dated {l}; nothing after it is known, so this is the state as of {l}, carried forward to {d}"
            ));
        }
        for p in &s.party {
            if let Some(f) = p.founded.filter(|f| d < *f) {
                notes.push(format!("{} was founded on {f}: not shown", p.name));
            }
            if let Some(x) = p.dissolved.filter(|x| d >= *x) {
                notes.push(format!("{} was dissolved on {x}: not shown", p.name));
            }
        }
    }
    RecordSpan {
        date,
        known_from,
        last_fact,
        notes,
    }
}

/// The structure on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct StateView {
    /// The date; absent when the structure has no date at all (no events,
    /// no `as_of`): then the view is the file's undated initial state.
    pub date: Option<NaiveDate>,
    /// What the view rests on, and what it cannot say on its date.
    pub record: RecordSpan,
    pub bodies: Vec<BodyView>,
    pub offices: Vec<Officer>,
    /// Offices with no holder.
    pub vacant_offices: Vec<String>,
    pub interests: Vec<InterestView>,
    pub declarations: Vec<crate::timeline::Declaration>,
    /// How many events were folded in to reach this state.
    pub events_applied: usize,
}

/// A view of `state` for `date`.
pub fn state_view(s: &Structure, state: &State, date: Option<NaiveDate>) -> StateView {
    let offices_of = |p: &str, entity: &str| -> Vec<String> {
        s.office
            .iter()
            .filter(|o| {
                o.entity == entity && state.holders.get(&o.id).map(String::as_str) == Some(p)
            })
            .map(|o| o.title.clone())
            .collect()
    };
    let bodies = s
        .body
        .iter()
        .filter(|b| state.exists(&b.entity))
        .map(|b| BodyView {
            body: b.id.clone(),
            name: b.name.clone(),
            entity: b.entity.clone(),
            members: state
                .voters(b)
                .into_iter()
                .map(|(p, votes)| MemberView {
                    name: s.name(&p).to_string(),
                    chair: state.chairs.get(&b.id) == Some(&p),
                    offices: offices_of(&p, &b.entity),
                    source: state
                        .source_of(&crate::timeline::Held::Seat(b.id.clone(), p.clone()))
                        .map(str::to_string),
                    party: p,
                    votes,
                })
                .collect(),
            seats: b.seats,
            note: b.note.clone(),
        })
        .collect();
    let offices = crate::control::officers(s, state, None);
    // Before the record starts, an office's holder is unknown, not vacant.
    let before_record = matches!((date, state.known_from), (Some(d), Some(k)) if d < k);
    let vacant_offices = s
        .office
        .iter()
        .filter(|o| !before_record && state.exists(&o.entity))
        .filter(|o| !state.holders.contains_key(&o.id))
        .map(|o| o.id.clone())
        .collect();
    let interests = state
        .active_interests()
        .map(|i| InterestView {
            id: i.id.clone(),
            holder: i.holder.clone().unwrap_or_else(|| "unspecified".into()),
            holder_name: i
                .holder
                .as_deref()
                .map(|h| s.name(h))
                .unwrap_or("unspecified")
                .to_string(),
            subject: i.subject.clone(),
            subject_name: s.name(&i.subject).to_string(),
            kind: i.kind,
            share: i.share.as_ref().map(|x| x.label()),
            details: i.details.clone(),
            source: i.source.clone(),
            caveats: interest_caveats(s, i),
        })
        .collect();
    StateView {
        date,
        record: record_span(s, date),
        bodies,
        offices,
        vacant_offices,
        interests,
        declarations: state.declarations.clone(),
        events_applied: state.events_applied,
    }
}

/// What is caveated about an interest: that it is assumed (with its
/// note), or that its source cannot be identified.
pub fn interest_caveats(s: &Structure, i: &crate::model::Interest) -> Vec<String> {
    let mut out = Vec::new();
    if i.assumption {
        out.push(match &i.note {
            Some(n) => format!("assumed: {n}"),
            None => "assumed".to_string(),
        });
    }
    if let Some(src) = i.source.as_deref().and_then(|id| s.source(id))
        && src.unidentified
    {
        out.push(format!("rests on an unidentified source (`{}`)", src.id));
    }
    out
}

/// The date of the key event: `scenario.key_date`, else the date of the
/// first act (an event that is not a meeting's record), else the default
/// date.
pub fn key_date(s: &Structure) -> Option<NaiveDate> {
    s.scenario
        .key_date
        .or_else(|| {
            s.event
                .iter()
                .find(|e| e.act != crate::model::ActKind::Meeting)
                .map(|e| e.date)
        })
        .or_else(|| default_date(s))
}

/// The date commands use when none is given: the scenario's `as_of`, else
/// the last event's date, else `None`.
pub fn default_date(s: &Structure) -> Option<NaiveDate> {
    s.scenario
        .as_of
        .or_else(|| s.event.iter().map(|e| e.date).max())
}

/// The report as of the end of `date`: the record up to it (later events
/// left out, the key dates after it dropped), control and economics on it.
pub fn report_as_of(s: &Structure, date: NaiveDate) -> Report {
    let mut upto = s.clone();
    upto.event.retain(|e| e.date <= date);
    upto.scenario.as_of = Some(date);
    upto.scenario.highlight.retain(|d| *d <= date);
    if !s.scenario.highlight.is_empty() && !upto.scenario.highlight.contains(&date) {
        upto.scenario.highlight.push(date);
    }
    report(&upto)
}

/// The dates the report shows the state on.
pub fn highlight_dates(s: &Structure) -> Vec<NaiveDate> {
    if !s.scenario.highlight.is_empty() {
        return s.scenario.highlight.clone();
    }
    let first = s.event.iter().map(|e| e.date).min();
    let last = s.event.iter().map(|e| e.date).max();
    let mut out = Vec::new();
    if let Some(d) = first.and_then(|d| d.pred_opt()) {
        out.push(d);
    }
    if let Some(d) = last {
        out.push(d);
    }
    out
}

/// A verdict that a variant changes.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub event: String,
    pub summary: String,
    pub base: Outcome,
    pub variant: Outcome,
    /// Why, under the variant.
    pub reasons: Vec<String>,
    /// When the variant leaves it open: what the record would have to say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub would_decide: Vec<String>,
}

/// The timeline replayed under one variant.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Sensitivity {
    pub variant: String,
    pub description: String,
    /// Acts whose verdict the variant's rules change directly: each act
    /// judged against the history as it happened, under the variant.
    pub changed: Vec<Change>,
    /// Acts whose verdict changes only because an earlier act changed
    /// (the whole timeline replayed under the variant).
    pub knock_on: Vec<Change>,
    /// Acts whose verdict the variant leaves as it was.
    pub unchanged: usize,
}

/// An assumption and the acts whose verdicts rest on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AssumptionUse {
    pub assumption: String,
    pub events: Vec<String>,
}

/// A right that a body can end, with whether its holder votes in that body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RightAtRisk {
    pub interest: String,
    pub holder: String,
    pub subject: String,
    /// The declaration that ends it.
    pub ends_on: String,
    /// Bodies with a rule for making that declaration.
    pub decided_by: Vec<String>,
    /// Whether the holder has a vote in any of those bodies.
    pub holder_votes: bool,
    pub explanation: String,
}

/// What `check` found: the structure is well-formed (or `check` would
/// have failed), and these acts are invalid.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CheckSummary {
    pub file: String,
    pub well_formed: bool,
    /// Acts judged (meetings are records, not acts).
    pub acts: usize,
    pub invalid: Vec<Verdict>,
}

impl CheckSummary {
    pub fn of(file: &str, replay: &crate::timeline::Replay) -> CheckSummary {
        CheckSummary {
            file: file.to_string(),
            well_formed: true,
            acts: replay
                .verdicts
                .iter()
                .filter(|v| v.outcome != Outcome::Recorded)
                .count(),
            invalid: replay.invalid().cloned().collect(),
        }
    }
}

/// The waterfall of one entity's terms from the first dollar to past the
/// last breakpoint, and what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EconomicsSummary {
    pub entity: String,
    /// The cumulative distribution (see `boardroom waterfall --cumulative`).
    #[schemars(with = "serde_json::Value")]
    pub cumulative: Option<boardroom_waterfall::Cumulative>,
    /// A fund's ledger of dated calls and distributions (see `boardroom
    /// waterfall` on a fund with dated calls), parties by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<boardroom_waterfall::Ledger>,
    /// Why the waterfall could not be computed, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Figures that are reported or assumed rather than confirmed, with
    /// their sources.
    pub assumptions: Vec<String>,
    /// How the terms are read where they are silent (what a cap counts,
    /// where a capped party's share goes): another reading could differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<String>,
    /// Caps that never bind over the range shown, and why.
    pub caps_never_binding: Vec<String>,
}

/// The economics under another reading: a variant's terms, and what
/// changes from the file's own.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EconomicsReading {
    pub variant: String,
    pub description: String,
    pub summary: EconomicsSummary,
    /// What changes, in words: breakpoints that move, appear or vanish,
    /// and what the residual party has received by each of them.
    pub changes: Vec<String>,
}

/// What differs between two cumulative waterfalls of the same entity.
pub fn economics_changes(
    s: &Structure,
    base: &boardroom_waterfall::Cumulative,
    other: &boardroom_waterfall::Cumulative,
    residual: Option<&str>,
) -> Vec<String> {
    let money = |x: &boardroom_waterfall::Exact| {
        boardroom_waterfall::short_money(
            x.decimal(2).to_string().parse::<f64>().unwrap_or(0.0),
            &base.currency,
        )
    };
    let events =
        |c: &boardroom_waterfall::Cumulative| -> Vec<(String, boardroom_waterfall::Exact)> {
            c.breakpoints
                .iter()
                .flat_map(|b| b.events.iter().map(|e| (e.text.clone(), b.at.clone())))
                .collect()
        };
    let (a, b) = (events(base), events(other));
    let mut out = Vec::new();
    for (text, at) in &a {
        match b.iter().find(|(t, _)| t == text) {
            Some((_, at2)) if at2 != at => out.push(format!(
                "{text}: at {} under this reading, at {} under the file's",
                money(at2),
                money(at)
            )),
            Some(_) => {}
            None => out.push(format!(
                "{text} (at {} under the file's reading): not under this one",
                money(at)
            )),
        }
    }
    for (text, at) in &b {
        if !a.iter().any(|(t, _)| t == text) {
            out.push(format!("{text}: at {} under this reading only", money(at)));
        }
    }
    if let Some(r) = residual {
        let last = |c: &boardroom_waterfall::Cumulative| c.breakpoints.last().map(|b| b.at.clone());
        let mut levels: Vec<boardroom_waterfall::Exact> =
            [last(base), last(other)].into_iter().flatten().collect();
        levels.sort_by(|x, y| x.0.cmp(&y.0));
        levels.dedup();
        for x in levels {
            // Each waterfall runs a quarter past its own last breakpoint
            // (`economics_summary`): past its end, its last shares hold,
            // as no breakpoint lies beyond. (Read clamped at the end, the
            // file's reading said $40B by $247.95B where it pays $97.95B.)
            let got = |c: &boardroom_waterfall::Cumulative| {
                let k = c.parties.iter().position(|p| p == r)?;
                let mut q = c.at(&x.0).get(k).cloned()?;
                if x.0 > c.to.0
                    && let Some(last) = c.segments.last()
                    && let Some(sh) = last.shares.iter().find(|sh| sh.party == r)
                {
                    q += &sh.share.0 * (&x.0 - &c.to.0);
                }
                Some(q)
            };
            let got = |c: &boardroom_waterfall::Cumulative| {
                got(c)
                    .map(|q| money(&boardroom_waterfall::Exact(q)))
                    .unwrap_or_else(|| "nothing".into())
            };
            out.push(format!(
                "by {} of cumulative profit {} has received {} under this reading, {} under the file's",
                money(&x),
                s.name(r),
                got(other),
                got(base)
            ));
        }
    }
    out
}

/// One member's power in a body's game.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MemberPower {
    pub party: String,
    pub name: String,
    /// Coalitions of the others in which this member's vote decides.
    #[schemars(schema_with = "crate::envelope::count_schema")]
    pub swings: String,
    /// Normalised Penrose-Banzhaf index: exact, then as a decimal.
    #[schemars(schema_with = "crate::envelope::fraction_schema")]
    pub banzhaf: String,
    pub banzhaf_decimal: String,
    #[schemars(schema_with = "crate::envelope::fraction_schema")]
    pub shapley_shubik: String,
    pub shapley_shubik_decimal: String,
}

/// A body's game for a decision on one date.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PowerOnDate {
    pub body: String,
    pub decision: String,
    pub date: NaiveDate,
    pub rule: String,
    /// Members who may not vote on it, and why.
    pub ineligible: Vec<Ineligible>,
    pub members: Vec<MemberPower>,
    pub minimal_winning: String,
    /// The smallest winning coalitions, by name.
    pub smallest_winning: Vec<Vec<String>>,
    /// Whether the question's group could block, and who must join it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Each `[[scenario.power]]` question answered on each of its dates.
pub fn power_sections(s: &Structure) -> Vec<PowerOnDate> {
    use boardroom_power::{Index, Options, analyse, can_block};
    let mut out = Vec::new();
    for q in &s.scenario.power {
        for &date in &q.dates {
            let (state, _) = state_as_of(s, date);
            let mut section = PowerOnDate {
                body: q.body.clone(),
                decision: q.decision.clone(),
                date,
                rule: String::new(),
                ineligible: Vec::new(),
                members: Vec::new(),
                minimal_winning: String::new(),
                smallest_winning: Vec::new(),
                block: None,
                error: None,
            };
            let bg =
                match crate::game::body_game(s, &state, &q.body, &q.decision, q.subject.as_deref())
                {
                    Ok(bg) => bg,
                    Err(e) => {
                        section.error = Some(e.to_string());
                        out.push(section);
                        continue;
                    }
                };
            section.rule = bg.rule.name.clone();
            section.ineligible = bg.ineligible.clone();
            let Some(game) = &bg.game else { continue };
            let options = Options {
                indices: vec![Index::Banzhaf, Index::ShapleyShubik],
                limit: 50,
                ..Options::default()
            };
            match analyse(game, &bg.names, &options) {
                Err(e) => section.error = Some(e.to_string()),
                Ok(a) => {
                    let exact = |v: &Option<boardroom_power::Value>| {
                        v.as_ref()
                            .and_then(|v| v.exact())
                            .map(|x| (x.rational(), x.decimal(6)))
                            .unwrap_or_default()
                    };
                    for (i, p) in a.players.iter().enumerate() {
                        let (bz, bzd) = exact(&p.banzhaf_normalised);
                        let (ss, ssd) = exact(&p.shapley_shubik);
                        section.members.push(MemberPower {
                            party: bg.players[i].clone(),
                            name: bg.names[i].clone(),
                            swings: p.swings.as_ref().map(|x| x.to_string()).unwrap_or_default(),
                            banzhaf: bz,
                            banzhaf_decimal: bzd,
                            shapley_shubik: ss,
                            shapley_shubik_decimal: ssd,
                        });
                    }
                    if let Some(mwc) = &a.minimal_winning {
                        section.minimal_winning = mwc
                            .count
                            .as_ref()
                            .map(|c| c.to_string())
                            .unwrap_or_default();
                        let smallest = mwc.listed.iter().map(Vec::len).min().unwrap_or(0);
                        section.smallest_winning = mwc
                            .listed
                            .iter()
                            .filter(|c| c.len() == smallest)
                            .map(|c| c.iter().map(|&i| bg.names[i].clone()).collect())
                            .collect();
                    }
                }
            }
            let mut in_game: Vec<usize> = q.group.iter().filter_map(|g| bg.player_of(g)).collect();
            in_game.sort_unstable();
            in_game.dedup();
            let outside: Vec<String> = q
                .group
                .iter()
                .filter(|g| bg.player_of(g).is_none())
                .map(|g| s.name(g).to_string())
                .collect();
            if !in_game.is_empty()
                && let Some(game) = &bg.game
                && let Ok(answer) = can_block(game, &in_game)
            {
                let names =
                    |v: &[usize]| v.iter().map(|&i| bg.names[i].clone()).collect::<Vec<_>>();
                let who = names(&answer.group).join(" and ");
                let mut text = if !outside.is_empty() {
                    format!("{} cannot vote on it; ", outside.join(" and "))
                } else {
                    String::new()
                };
                if answer.can_block {
                    text.push_str(&format!("{who} can block it"));
                } else {
                    let sets: Vec<Vec<String>> =
                        answer.completions.iter().map(|c| names(c)).collect();
                    text.push_str(&format!(
                        "{who} cannot block it: {}",
                        completions_text(&sets, answer.more)
                    ));
                }
                section.block = Some(text);
            }
            out.push(section);
        }
    }
    out
}

/// Who must join a group for it to block, in words: "1 more must join
/// them: any one of A, B or C", or "2 more must join them, any of: A and
/// B; A and C".
pub fn completions_text(sets: &[Vec<String>], more: bool) -> String {
    let Some(first) = sets.first() else {
        return "no set of other players makes them blocking".to_string();
    };
    let n = first.len();
    let tail = if more { ", and more" } else { "" };
    if n == 1 {
        let all: Vec<&str> = sets
            .iter()
            .filter_map(|s| s.first())
            .map(String::as_str)
            .collect();
        let list = match all.as_slice() {
            [one] => (*one).to_string(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
            [] => String::new(),
        };
        if all.len() == 1 {
            format!("1 more must join them: {list}{tail}")
        } else {
            format!("1 more must join them: any one of {list}{tail}")
        }
    } else {
        let list: Vec<String> = sets.iter().map(|s| s.join(" and ")).collect();
        if list.len() == 1 {
            format!("{n} more must join them: {}{tail}", list[0])
        } else {
            format!("{n} more must join them, any of: {}{tail}", list.join("; "))
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Report {
    pub scenario: crate::model::Scenario,
    /// The findings, a line each, computed from the sections below: what
    /// happened and how each act stands, who controls what, who could
    /// have blocked, which assumptions would change a verdict, where the
    /// money goes.
    #[serde(default)]
    pub findings: Vec<Finding>,
    pub states: Vec<StateView>,
    pub verdicts: Vec<Verdict>,
    pub assumptions: Vec<AssumptionUse>,
    pub sensitivity: Vec<Sensitivity>,
    pub control: Option<ControlReport>,
    pub questions: Vec<BlockAnswer>,
    pub power: Vec<PowerOnDate>,
    pub rights_at_risk: Vec<RightAtRisk>,
    pub economics: Vec<EconomicsSummary>,
    /// The economics under each variant that replaces terms, and what
    /// changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub economics_readings: Vec<EconomicsReading>,
    /// Charter constraints breached, and from when.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charter: Vec<crate::charter::DatedBreach>,
}

/// One finding of the report's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Finding {
    /// `acts`, `control`, `divergence`, `blocking`, `assumptions`,
    /// `money` or `charter`.
    pub topic: String,
    /// The finding, in words.
    pub text: String,
    /// The sources of the facts it rests on, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// What it rests on that is reported, assumed or unidentified rather
    /// than documented; absent when nothing is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
}

/// The summary of a report: each finding a sentence, from the report's
/// own sections, so that the summary and the detail never disagree.
pub fn findings(s: &Structure, r: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    // Each finding a sentence: one full stop, even after "Inc.".
    let mut add = |topic: &str, text: String, sources: Vec<String>, caveat: Option<String>| {
        let mut text = text.trim_end_matches('.').to_string();
        if !text.ends_with(['?', '!']) {
            text.push('.');
        }
        let mut unique = Vec::new();
        for x in sources {
            if !unique.contains(&x) {
                unique.push(x);
            }
        }
        out.push(Finding {
            topic: topic.to_string(),
            text,
            sources: unique,
            caveat,
        })
    };
    let of_verdicts = |vs: &mut dyn Iterator<Item = &Verdict>| -> (Vec<String>, Option<String>) {
        let mut sources = Vec::new();
        let (mut assumed, mut all) = (0, 0);
        for v in vs {
            all += 1;
            sources.extend(v.source.clone());
            sources.extend(v.decision.as_ref().and_then(|d| d.rule.source.clone()));
            assumed += usize::from(!v.assumptions.is_empty());
        }
        let caveat = (assumed > 0).then(|| {
            let which = match (assumed, all) {
                (1, 1) => "it rests".to_string(),
                (n, m) if n == m => format!("all {n} rest"),
                (1, m) => format!("1 of the {m} rests"),
                (n, m) => format!("{n} of the {m} rest"),
            };
            format!(
                "{which} on assumptions the record does not show: see \"What the verdicts assume\""
            )
        });
        (sources, caveat)
    };
    let unidentified = |ids: &[String]| -> Option<String> {
        let bad: Vec<String> = ids
            .iter()
            .filter(|id| s.source(id).is_some_and(|x| x.unidentified))
            .map(|id| source_short(s, id))
            .collect();
        (!bad.is_empty()).then(|| format!("rests on {}", bad.join("; ")))
    };
    let day = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    // What happened, and how each act stands.
    let acts: Vec<&Verdict> = r
        .verdicts
        .iter()
        .filter(|v| v.outcome != Outcome::Recorded)
        .collect();
    if let (Some(first), Some(last)) = (acts.first(), acts.last()) {
        let count = |o: Outcome| acts.iter().filter(|v| v.outcome == o).count();
        let mut parts = vec![format!("{} valid", count(Outcome::Valid))];
        for (o, what) in [
            (Outcome::Invalid, "invalid"),
            (Outcome::CannotTell, "that the record cannot decide"),
        ] {
            if count(o) > 0 {
                parts.push(format!("{} {what}", count(o)));
            }
        }
        let span = if first.date == last.date {
            format!("on {}", day(first.date))
        } else {
            format!("from {} to {}", day(first.date), day(last.date))
        };
        let (sources, caveat) = of_verdicts(&mut acts.iter().copied());
        add(
            "acts",
            format!(
                "{} act{} {span}: {}",
                acts.len(),
                if acts.len() == 1 { "" } else { "s" },
                parts.join(", ")
            ),
            sources,
            caveat,
        );
    }
    for v in acts.iter().filter(|v| v.outcome == Outcome::Invalid) {
        let why = v.reasons.first().map(String::as_str).unwrap_or("");
        let (sources, caveat) = of_verdicts(&mut std::iter::once(*v));
        add(
            "acts",
            format!("Invalid: {} ({}): {why}", v.summary, day(v.date)),
            sources,
            caveat,
        );
    }
    for v in acts.iter().filter(|v| v.outcome == Outcome::CannotTell) {
        let needs = v.would_decide.first().map(String::as_str).unwrap_or("");
        let (sources, caveat) = of_verdicts(&mut std::iter::once(*v));
        add(
            "acts",
            format!("Cannot tell: {} ({}): {needs}", v.summary, day(v.date)),
            sources,
            caveat,
        );
    }
    // Who controls what, grouped by ultimate controller.
    if let (Some(c), Some(d)) = (&r.control, r.control.as_ref().and_then(|c| c.date)) {
        let mut by: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
        for e in &c.entities {
            for u in &e.ultimate {
                // The chain's sources, and those of the seats of the
                // members named (a board's own source may predate them).
                let links: Vec<String> = u
                    .chain
                    .iter()
                    .filter_map(|l| l.source.clone())
                    .chain(
                        e.direct
                            .iter()
                            .filter(|d| d.controller == u.controller)
                            .flat_map(|d| d.member_sources.iter().cloned()),
                    )
                    .collect();
                let who = if u.members.is_empty() {
                    u.name.clone()
                } else {
                    format!(
                        "{} ({})",
                        u.name,
                        u.members
                            .iter()
                            .map(|m| s.name(m))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                match by.iter_mut().find(|(w, _, _)| *w == who) {
                    Some((_, es, srcs)) => {
                        if !es.contains(&e.name) {
                            es.push(e.name.clone());
                        }
                        srcs.extend(links);
                    }
                    None => by.push((who, vec![e.name.clone()], links)),
                }
            }
        }
        for (who, entities, sources) in by
            .into_iter()
            .filter(|(w, es, _)| es.len() > 1 || !es.contains(w))
        {
            let caveat = unidentified(&sources);
            add(
                "control",
                format!(
                    "On {}, control of {} ultimately rests with {who}",
                    day(d),
                    listed(&entities)
                ),
                sources,
                caveat,
            );
        }
        for dv in &c.divergences {
            let mut sources = Vec::new();
            let mut caveats = Vec::new();
            if let Some(e) = c.entities.iter().find(|e| e.entity == dv.entity) {
                sources.extend(e.direct.iter().filter_map(|x| x.source.clone()));
                for x in e.economic.iter().filter(|x| x.party == dv.party) {
                    sources.extend(x.source.clone());
                    if let Some(i) = s.interest(&x.interest) {
                        caveats.extend(interest_caveats(s, i));
                    }
                }
            }
            caveats.extend(unidentified(&sources));
            let caveat = (!caveats.is_empty()).then(|| caveats.join("; "));
            add("divergence", dv.explanation.clone(), sources, caveat);
        }
    }
    // Who could have blocked.
    for q in &r.questions {
        let group: Vec<&str> = q.group.iter().map(|g| s.name(g)).collect();
        let answer = if q.could_block { "yes" } else { "no" };
        let how = match &q.needed {
            Some(n) if !q.could_block => format!(
                ": they would have needed {} more of the act's supporters",
                n.more
            ),
            _ => String::new(),
        };
        let (sources, caveat) = of_verdicts(
            &mut r
                .verdicts
                .iter()
                .filter(|v| v.id.as_deref() == Some(&q.event)),
        );
        add(
            "blocking",
            format!(
                "Could {} block \"{}\"? {answer}{how}",
                group.join(" and "),
                q.summary
            ),
            sources,
            caveat,
        );
    }
    // Which assumptions would change a verdict.
    let (flips, steady): (Vec<&Sensitivity>, Vec<&Sensitivity>) = r
        .sensitivity
        .iter()
        .partition(|v| !v.changed.is_empty() || !v.knock_on.is_empty());
    for v in flips {
        // Per new outcome: how many acts, and the first two by name.
        let all: Vec<&Change> = v.changed.iter().chain(&v.knock_on).collect();
        let mut parts = Vec::new();
        for o in [Outcome::Invalid, Outcome::CannotTell, Outcome::Valid] {
            let acts: Vec<&str> = all
                .iter()
                .filter(|c| c.variant == o)
                .map(|c| c.summary.as_str())
                .collect();
            if acts.is_empty() {
                continue;
            }
            let named = acts
                .iter()
                .take(2)
                .copied()
                .collect::<Vec<_>>()
                .join("\"; \"");
            let more = match acts.len() {
                0..=2 => String::new(),
                n => format!(" and {} more", n - 2),
            };
            parts.push(format!(
                "{} become{} {} (\"{named}\"{more})",
                acts.len(),
                if acts.len() == 1 { "s" } else { "" },
                outcome_word(o)
            ));
        }
        let (sources, _) = of_verdicts(&mut r.verdicts.iter().filter(|x| {
            all.iter()
                .any(|c| x.id.as_deref() == Some(c.event.as_str()))
        }));
        add(
            "assumptions",
            format!(
                "If {}: {} of the verdicts change: {}",
                v.description.trim_end_matches('.'),
                all.len(),
                parts.join("; ")
            ),
            sources,
            Some("a what-if: the file's own reading is the one above".into()),
        );
    }
    if !steady.is_empty() {
        // Each reading in its own words, with the id `--variant` takes.
        let readings: Vec<String> = steady
            .iter()
            .map(|v| format!("{} [{}]", v.description.trim_end_matches('.'), v.variant))
            .collect();
        add(
            "assumptions",
            format!("No verdict changes if {}.", readings.join(", nor if ")),
            Vec::new(),
            None,
        );
    }
    // Where the money goes.
    for e in &r.economics {
        let Some(c) = &e.cumulative else { continue };
        if let Some((from, party)) = takes_everything(c) {
            let sources = terms_sources(s, &e.entity);
            let mut caveats = Vec::new();
            if !e.assumptions.is_empty() {
                caveats.push(format!(
                    "{} of the terms are reported or assumed, not confirmed",
                    e.assumptions.len()
                ));
            }
            caveats.extend(unidentified(&sources));
            add(
                "money",
                format!(
                    "Profits of {}: from {} of cumulative profit on, {} receives everything",
                    s.name(&c.entity),
                    short_amount(from, &c.currency),
                    s.name(party)
                ),
                sources,
                (!caveats.is_empty()).then(|| caveats.join("; ")),
            );
        }
    }
    for b in &r.charter {
        add(
            "charter",
            format!(
                "From {}, the charter is breached: {}",
                day(b.from),
                b.breach.explanation.trim_end_matches('.')
            ),
            s.constraint
                .iter()
                .filter(|c| c.id == b.breach.constraint)
                .filter_map(|c| c.source.clone())
                .collect(),
            None,
        );
    }
    out
}

/// The sources of an entity's economic terms: the terms', then each
/// investment's, tier's and cap's, each once.
pub fn terms_sources(s: &Structure, entity: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in s.economics.iter().filter(|t| t.entity == entity) {
        let all = t
            .source
            .iter()
            .chain(t.investment.iter().filter_map(|x| x.source.as_ref()))
            .chain(t.tier.iter().filter_map(|x| x.source.as_ref()))
            .chain(t.cap.iter().filter_map(|x| x.source.as_ref()));
        for id in all {
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
    }
    out
}

/// Where one party receives every further dollar of a cumulative
/// distribution: from what cumulative profit, and who.
pub fn takes_everything(
    c: &boardroom_waterfall::Cumulative,
) -> Option<(&boardroom_waterfall::Exact, &str)> {
    let last = c.segments.last()?;
    match last.shares.as_slice() {
        [only] if only.share.decimal(6) == rust_decimal::Decimal::ONE => {
            Some((&last.from, only.party.as_str()))
        }
        _ => None,
    }
}

/// An amount as people read it: `$152.71B`.
pub fn short_amount(x: &boardroom_waterfall::Exact, currency: &str) -> String {
    boardroom_waterfall::short_money(
        x.decimal(2).to_string().parse::<f64>().unwrap_or(0.0),
        currency,
    )
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Valid => "valid",
        Outcome::Invalid => "invalid",
        Outcome::Recorded => "a record",
        Outcome::CannotTell => "undecidable on the record",
    }
}

fn event_label(v: &Verdict) -> String {
    v.id.clone().unwrap_or_else(|| v.path.to_string())
}

/// Compare the replay of `s` with its replay under each variant.
pub fn sensitivity(s: &Structure, base: &[Verdict]) -> Vec<Sensitivity> {
    s.variant
        .iter()
        .map(|variant| {
            let alt = s.with_variant(variant);
            compare(
                s,
                base,
                &alt,
                &variant.rule,
                &variant.id,
                &variant.description,
            )
        })
        .collect()
}

/// A replay with some votes changed (`replay --against/--absent`): what
/// changes, then the timeline as it would have run.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct WhatIf {
    pub what_if: Sensitivity,
    pub verdicts: Vec<Verdict>,
}

/// The timeline replayed with some parties' votes changed at every
/// decision ([`Structure::with_votes`]): each act judged again against the
/// history as it happened, and the whole timeline replayed for the knock-on
/// effects.
pub fn what_if_votes(
    s: &Structure,
    base: &[Verdict],
    against: &[String],
    absent: &[String],
) -> Sensitivity {
    let names = |ps: &[String]| {
        ps.iter()
            .map(|p| s.name(p).to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let mut parts = Vec::new();
    if !against.is_empty() {
        parts.push(format!("{} attend and vote against", names(against)));
    }
    if !absent.is_empty() {
        parts.push(format!("{} stay away", names(absent)));
    }
    let description = format!("{} at every decision", parts.join(", and "));
    let alt = s.with_votes(against, absent);
    compare(s, base, &alt, &[], "votes", &description)
}

/// `base`, the verdicts of `s`, against those of `alt`: each act of `alt`
/// judged against the history of `s` as it happened (with `rules` in
/// force instead of those for the same body and decision), and the whole
/// of `alt` replayed.
fn compare(
    s: &Structure,
    base: &[Verdict],
    alt: &Structure,
    rules: &[crate::model::Rule],
    id: &str,
    description: &str,
) -> Sensitivity {
    let change = |b: &Verdict, a: &Verdict| Change {
        event: event_label(b),
        summary: b.summary.clone(),
        base: b.outcome,
        variant: a.outcome,
        reasons: a.reasons.clone(),
        would_decide: a.would_decide.clone(),
    };
    // Each act against the history as it happened, under the change.
    let mut history = State::initial(s);
    let mut direct = Vec::new();
    for (i, event) in s.event.iter().enumerate() {
        let mut judged = history.clone();
        for r in rules {
            judged
                .rules
                .retain(|old| !(old.body == r.body && old.decision == r.decision));
            judged.rules.push(r.clone());
        }
        let alt_event = alt.event.get(i).unwrap_or(event);
        direct.push(judged.apply(alt, i, alt_event));
        history.apply(s, i, event);
    }
    let full = replay(alt);
    let mut changed = Vec::new();
    let mut knock_on = Vec::new();
    let mut unchanged = 0;
    for ((b, d), f) in base.iter().zip(&direct).zip(&full.verdicts) {
        if b.outcome == Outcome::Recorded {
            continue;
        }
        if b.outcome != d.outcome {
            changed.push(change(b, d));
        } else if b.outcome != f.outcome {
            knock_on.push(change(b, f));
        } else {
            unchanged += 1;
        }
    }
    Sensitivity {
        variant: id.to_string(),
        description: description.to_string(),
        changed,
        knock_on,
        unchanged,
    }
}

/// Which verdicts rest on which assumption.
pub fn assumption_uses(verdicts: &[Verdict]) -> Vec<AssumptionUse> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for v in verdicts {
        for a in &v.assumptions {
            map.entry(a.clone()).or_default().push(event_label(v));
        }
    }
    map.into_iter()
        .map(|(assumption, events)| AssumptionUse { assumption, events })
        .collect()
}

/// Rights that end on a declaration, and who can make it.
pub fn rights_at_risk(s: &Structure, state: &State) -> Vec<RightAtRisk> {
    state
        .interests
        .iter()
        .filter_map(|i| {
            let ends_on = i.ends_on.clone()?;
            let holder = i.holder.clone().unwrap_or_else(|| "unspecified".into());
            let decision = format!("declare-{ends_on}");
            let decided_by: Vec<String> = state
                .rules
                .iter()
                .filter(|r| r.decision == decision)
                .map(|r| r.body.clone())
                .collect();
            let holder_votes = decided_by.iter().any(|b| {
                s.body(b)
                    .is_some_and(|body| state.voters(body).iter().any(|(p, _)| *p == holder))
            });
            let by = decided_by
                .iter()
                .map(|b| s.name(b).to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let explanation = if decided_by.is_empty() {
                format!(
                    "{}'s `{}` ends when `{ends_on}` is declared; no body has a rule for that declaration",
                    s.name(&holder),
                    i.id
                )
            } else if holder_votes {
                format!(
                    "{}'s `{}` ends when {by} declares `{ends_on}`; {} votes there",
                    s.name(&holder),
                    i.id,
                    s.name(&holder)
                )
            } else {
                format!(
                    "{}'s `{}` ends when {by} declares `{ends_on}`, and {} has no vote there",
                    s.name(&holder),
                    i.id,
                    s.name(&holder)
                )
            };
            Some(RightAtRisk {
                interest: i.id.clone(),
                subject: i.subject.clone(),
                holder,
                ends_on,
                decided_by,
                holder_votes,
                explanation,
            })
        })
        .collect()
}

/// A cap in words: "the $150B cap shared by Microsoft Corporation and
/// Other investors", "the 100x cap on Other investors".
pub fn cap_words(s: &Structure, terms: &EconomicTerms, i: usize) -> String {
    let Some(cap) = terms.cap.get(i) else {
        return format!("cap {}", i + 1);
    };
    let names: Vec<&str> = cap.parties.iter().map(|p| s.name(p)).collect();
    let whose = match names.as_slice() {
        [one] => format!("on {one}"),
        many => format!("shared by {}", many.join(" and ")),
    };
    let size = match (cap.amount, cap.multiple) {
        (Some(a), Some(m)) => format!(
            "{} (or {}x) ",
            boardroom_waterfall::short_money(
                a.to_string().parse::<f64>().unwrap_or(0.0),
                &terms.currency
            ),
            m.normalize()
        ),
        (Some(a), None) => format!(
            "{} ",
            boardroom_waterfall::short_money(
                a.to_string().parse::<f64>().unwrap_or(0.0),
                &terms.currency
            )
        ),
        (None, Some(m)) => format!("{}x ", m.normalize()),
        (None, None) => String::new(),
    };
    format!("the {size}cap {whose}")
}

/// A waterfall event in words: "the $150B cap shared by Microsoft
/// Corporation and Other investors is reached: they receive nothing more".
pub fn event_words(
    s: &Structure,
    terms: &EconomicTerms,
    kind: &boardroom_waterfall::EventKind,
) -> String {
    use boardroom_waterfall::EventKind as K;
    let names = |ids: &[String]| {
        ids.iter()
            .map(|p| s.name(p).to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    match kind {
        K::TierFilled { tier } => format!("{} is filled", tier_words(s, terms, tier)),
        K::TierExhausted { tier } => {
            format!(
                "{} ends: each of its parties is capped or paid in full",
                tier_words(s, terms, tier)
            )
        }
        K::TierUnreachable { tier, party } => format!(
            "{} ends: {} is capped and can never reach its threshold",
            tier_words(s, terms, tier),
            s.name(party)
        ),
        K::CapBinds { cap, parties } => {
            let who = if parties.len() == 1 {
                "it receives"
            } else {
                "they receive"
            };
            let _ = parties;
            format!(
                "{} is reached: {who} nothing more",
                cap_words(s, terms, *cap)
            )
        }
        K::LimitPaid { tier, payee } => {
            format!(
                "{} is paid in full in {}",
                s.name(payee),
                tier_words(s, terms, tier)
            )
        }
        K::ParticipationCapped { payee } => {
            format!("{} reaches its participation cap", s.name(payee))
        }
        K::Converts { payee } => format!(
            "{} converts to common: from here common pays it more",
            s.name(payee)
        ),
        K::Exercised { option, party } => {
            let strike = terms
                .option
                .iter()
                .find(|o| &o.id == option)
                .map(|o| format!(" of {}", o.strike.normalize()))
                .unwrap_or_default();
            format!(
                "{}'s {} is in the money: from here a share is worth more than its strike{strike}, so it is exercised",
                s.name(party),
                terms
                    .option
                    .iter()
                    .find(|o| &o.id == option)
                    .map_or("option", |o| o.kind.plain())
            )
        }
        K::ResidualBegins { party } => format!(
            "{} (the residual party) receives everything from here",
            names(std::slice::from_ref(party))
        ),
    }
}

/// A tier by its place in the terms: "tier 1".
pub fn tier_number(terms: &EconomicTerms, id: &str) -> String {
    match terms.tier.iter().position(|x| x.id == id) {
        Some(i) => format!("tier {}", i + 1),
        None => format!("tier `{id}`"),
    }
}

/// A tier for people: its place and who it pays, "tier 1 (Microsoft
/// Corporation 75%, Other investors 25%)".
pub fn tier_words(s: &Structure, terms: &EconomicTerms, id: &str) -> String {
    let Some(tier) = terms.tier.iter().find(|x| x.id == id) else {
        return format!("tier `{id}`");
    };
    let split: Vec<String> = tier
        .split
        .iter()
        .map(|p| format!("{} {}%", s.name(&p.party), p.percent.normalize()))
        .collect();
    if split.is_empty() {
        tier_number(terms, id)
    } else {
        format!("{} ({})", tier_number(terms, id), split.join(", "))
    }
}

/// "Microsoft's", "Other investors'".
fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// `c` with party names for ids, for a chart people read.
pub fn named_cumulative(
    s: &Structure,
    c: &boardroom_waterfall::Cumulative,
) -> boardroom_waterfall::Cumulative {
    let mut named = c.clone();
    let name = |id: &mut String| {
        if let Some(p) = s.party(id) {
            *id = p.name.clone();
        }
    };
    named.parties.iter_mut().for_each(name);
    named.totals.iter_mut().for_each(|t| name(&mut t.party));
    for seg in &mut named.segments {
        seg.shares.iter_mut().for_each(|sh| name(&mut sh.party));
    }
    named
}

/// `text` with each whole-word party id of `s` replaced by the party's
/// name, and a leading "cap[i]: " (the waterfall's own index) dropped.
pub fn with_names(s: &Structure, text: &str) -> String {
    let text = match text.strip_prefix("cap[").and_then(|r| r.split_once("]: ")) {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => text,
    };
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let w = word.trim_end_matches('.');
        match s.party(w) {
            Some(p) => {
                out.push_str(&p.name);
                out.push_str(&word[w.len()..]);
            }
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if is_word(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A cumulative waterfall for people: names for ids, events in words,
/// notes with names. JSON keeps the ids.
pub fn plain_cumulative(
    s: &Structure,
    terms: &EconomicTerms,
    c: &boardroom_waterfall::Cumulative,
) -> boardroom_waterfall::Cumulative {
    let mut out = named_cumulative(s, c);
    out.entity = s.name(&c.entity).to_string();
    for seg in &mut out.segments {
        seg.tier = tier_number(terms, &seg.tier);
    }
    for b in &mut out.breakpoints {
        for ev in &mut b.events {
            ev.text = event_words(s, terms, &ev.kind);
        }
    }
    out.notes = c.notes.iter().map(|n| tiers_named(s, terms, n)).collect();
    out
}

/// One amount's distribution for people: names for ids, events in words.
pub fn plain_distribution(
    s: &Structure,
    terms: &EconomicTerms,
    d: &boardroom_waterfall::Distribution,
) -> boardroom_waterfall::Distribution {
    let mut out = d.clone();
    out.entity = s.name(&d.entity).to_string();
    for p in &mut out.payouts {
        p.party = s.name(&p.party).to_string();
    }
    for ev in &mut out.events {
        ev.text = event_words(s, terms, &ev.kind);
    }
    out.notes = d.notes.iter().map(|n| tiers_named(s, terms, n)).collect();
    out
}

/// A fund's ledger for people: parties and the entity by name.
pub fn plain_ledger(s: &Structure, l: &boardroom_waterfall::Ledger) -> boardroom_waterfall::Ledger {
    let mut out = l.clone();
    let name = |id: &mut String| *id = s.name(id).to_string();
    name(&mut out.entity);
    name(&mut out.general_partner);
    name(&mut out.manager);
    out.terms = l.terms.iter().map(|t| with_names(s, t)).collect();
    for c in &mut out.calls {
        c.from.iter_mut().for_each(|p| name(&mut p.party));
    }
    for d in &mut out.distributions {
        d.to.iter_mut().for_each(|p| name(&mut p.party));
        for t in &mut d.tiers {
            t.to.iter_mut().for_each(|p| name(&mut p.party));
        }
    }
    out.parties.iter_mut().for_each(|p| name(&mut p.party));
    if let Some(c) = &mut out.clawback {
        c.to.iter_mut().for_each(|p| name(&mut p.party));
    }
    out
}

/// A waterfall note for people: names for ids, and each tier named by
/// its place and split rather than its id.
fn tiers_named(s: &Structure, terms: &EconomicTerms, note: &str) -> String {
    let mut out = with_names(s, note);
    for t in &terms.tier {
        out = out.replace(&format!("tier `{}`", t.id), &tier_words(s, terms, &t.id));
    }
    out
}

/// A source as a reader would name it in passing: "Fortune, 24 January
/// 2023"; its title when it has no publisher.
pub fn source_short(s: &Structure, id: &str) -> String {
    match s.source(id) {
        Some(x) => match (&x.publisher, x.date) {
            (Some(p), Some(d)) => format!("{p}, {}", d.format("%-d %B %Y")),
            (Some(p), None) => p.clone(),
            (None, _) if x.unidentified => format!(
                "{}, which cannot be identified",
                x.title.split(" (").next().unwrap_or(&x.title)
            ),
            (None, _) => x.title.clone(),
        },
        None => id.to_string(),
    }
}

/// The waterfall of `terms` from zero to a quarter past its last
/// breakpoint, with the declarations in force in `state`.
pub fn economics_summary(s: &Structure, state: &State, terms: &EconomicTerms) -> EconomicsSummary {
    let context = boardroom_waterfall::Context {
        known_parties: Some(s.party.iter().map(|p| p.id.clone()).collect()),
        in_force: state.declarations.iter().map(|d| d.name.clone()).collect(),
        on: state.date,
    };
    let source = |id: &Option<String>| {
        id.as_deref()
            .map(|i| format!(" (source: {})", source_short(s, i)))
            .unwrap_or_default()
    };
    let mut assumptions = Vec::new();
    for tier in &terms.tier {
        if tier.assumption {
            assumptions.push(format!(
                "{} is assumed{}",
                tier_words(s, terms, &tier.id),
                source(&tier.source)
            ));
        }
        for p in tier.split.iter().filter(|p| p.assumption) {
            assumptions.push(format!(
                "in {}, {} {}% is assumed{}",
                tier_number(terms, &tier.id),
                possessive(s.name(&p.party)),
                p.percent.normalize(),
                tier.note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ));
        }
    }
    for (i, cap) in terms.cap.iter().enumerate() {
        if cap.assumption {
            assumptions.push(format!(
                "{} is reported, not confirmed{}",
                cap_words(s, terms, i),
                source(&cap.source)
            ));
        } else if let Some(x) = cap.source.as_deref().and_then(|id| s.source(id))
            && x.unidentified
        {
            assumptions.push(format!(
                "{} rests on a source that cannot be checked{}",
                cap_words(s, terms, i),
                source(&cap.source)
            ));
        }
    }
    for inv in terms.investment.iter().filter(|x| x.assumption) {
        assumptions.push(format!(
            "{} investment is assumed{}",
            possessive(s.name(&inv.party)),
            source(&inv.source)
        ));
    }
    if terms.is_ledger() {
        let (ledger, error) = match boardroom_waterfall::ledger(terms, &context) {
            Ok(l) => (Some(plain_ledger(s, &l)), None),
            Err(errors) => (None, Some(errors.summary())),
        };
        return EconomicsSummary {
            entity: terms.entity.clone(),
            cumulative: None,
            ledger,
            error,
            assumptions,
            readings: Vec::new(),
            caps_never_binding: Vec::new(),
        };
    }
    let (cumulative, error) = match boardroom_waterfall::Waterfall::new(terms, &context) {
        Err(errors) => (None, Some(errors.summary())),
        Ok(w) => {
            // Find the breakpoints over a wide range, then show a quarter past the last.
            let wide = rust_decimal::Decimal::from(10u64.pow(15));
            match w.cumulative(wide) {
                Err(e) => (None, Some(format!("{e}: {}", e.hint()))),
                Ok(c) => {
                    let last = c
                        .breakpoints
                        .last()
                        .map(|b| b.at.decimal(0))
                        .unwrap_or(rust_decimal::Decimal::from(1_000_000_000u64));
                    let to = (last * rust_decimal::Decimal::new(125, 2))
                        .round_sf(2)
                        .unwrap_or(last);
                    match w.cumulative(to) {
                        Ok(c) => (Some(c), None),
                        Err(e) => (None, Some(e.to_string())),
                    }
                }
            }
        }
    };
    // Events in words for people: names for ids, the cap's size and
    // holders for its index. The kind keeps the ids for machines.
    let mut cumulative = cumulative;
    if let Some(c) = &mut cumulative {
        c.notes = c.notes.iter().map(|n| tiers_named(s, terms, n)).collect();
        for b in &mut c.breakpoints {
            for ev in &mut b.events {
                ev.text = event_words(s, terms, &ev.kind);
            }
        }
    }
    let bound: BTreeSet<usize> = cumulative
        .iter()
        .flat_map(|c| c.breakpoints.iter().flat_map(|b| b.events.iter()))
        .filter_map(|ev| match &ev.kind {
            boardroom_waterfall::EventKind::CapBinds { cap, .. } => Some(*cap),
            _ => None,
        })
        .collect();
    // How the engine reads a cap where the terms are silent: said, as the
    // assumptions are, with every answer the terms give.
    let mut readings = Vec::new();
    if let Some(c) = &cumulative {
        for (i, cap) in terms
            .cap
            .iter()
            .enumerate()
            .filter(|(i, _)| bound.contains(i))
        {
            let tiers_of_parties = terms
                .tier
                .iter()
                .filter(|t| t.split.iter().any(|p| cap.parties.contains(&p.party)))
                .count();
            if cap.amount.is_some() && tiers_of_parties > 1 {
                let who: Vec<&str> = cap.parties.iter().map(|p| s.name(p)).collect();
                readings.push(format!(
                    "{} is read as counting every payment to {}, from every tier (the return of the investment included)",
                    cap_words(s, terms, i),
                    who.join(" and ")
                ));
            }
            // Where the tier goes on past the cap: who takes the capped
            // parties' share, by the engine's rule.
            let Some(k) = c.breakpoints.iter().position(|b| {
                b.events.iter().any(|e| {
                    matches!(&e.kind, boardroom_waterfall::EventKind::CapBinds { cap: x, .. } if *x == i)
                })
            }) else {
                continue;
            };
            let at = &c.breakpoints[k].at;
            let (Some(before), Some(after)) = (
                c.segments.iter().find(|g| &g.to == at),
                c.segments.iter().find(|g| &g.from == at),
            ) else {
                continue;
            };
            if before.tier != after.tier {
                continue;
            }
            let takers: Vec<&str> = after
                .shares
                .iter()
                .map(|sh| sh.party.as_str())
                .filter(|p| !cap.parties.iter().any(|c| c == p))
                .collect();
            if takers.is_empty() || terms.residual.as_deref().is_some_and(|r| takers == [r]) {
                continue;
            }
            let names: Vec<&str> = takers.iter().map(|p| s.name(p)).collect();
            let residual = terms
                .residual
                .as_deref()
                .map(|r| {
                    format!(
                        "; it could as well go to {}, who takes what is left",
                        s.name(r)
                    )
                })
                .unwrap_or_default();
            readings.push(format!(
                "once {} is reached, the capped share of {} goes to the tier's other parties ({}) in proportion to theirs: the terms do not say where it goes{residual}",
                cap_words(s, terms, i),
                tier_words(s, terms, &after.tier),
                names.join(" and ")
            ));
        }
    }
    let caps_never_binding = match &cumulative {
        Some(c) => terms
            .cap
            .iter()
            .enumerate()
            .filter(|(i, cap)| !bound.contains(i) && cap.amount.is_some())
            .map(|(i, _)| {
                format!(
                    "{} is never reached up to {}: other limits stop payments first",
                    cap_words(s, terms, i),
                    short_amount(&c.to, &terms.currency)
                )
            })
            .collect(),
        None => Vec::new(),
    };
    EconomicsSummary {
        entity: terms.entity.clone(),
        cumulative,
        ledger: None,
        error,
        assumptions,
        readings,
        caps_never_binding,
    }
}

/// Build the report on `s`.
pub fn report(s: &Structure) -> Report {
    let full = replay(s);
    let states = highlight_dates(s)
        .into_iter()
        .map(|d| {
            let (state, _) = state_as_of(s, d);
            state_view(s, &state, Some(d))
        })
        .collect();
    let as_of = default_date(s);
    let control = as_of.map(|d| control(s, &state_as_of(s, d).0));
    let questions = s
        .scenario
        .question
        .iter()
        .filter_map(|q| could_block(s, &q.event, &q.group).ok())
        .collect();
    let final_state = match as_of {
        Some(d) => state_as_of(s, d).0,
        None => full.state.clone(),
    };
    let mut r = Report {
        scenario: s.scenario.clone(),
        findings: Vec::new(),
        states,
        assumptions: assumption_uses(&full.verdicts),
        sensitivity: sensitivity(s, &full.verdicts),
        verdicts: full.verdicts,
        control,
        questions,
        power: power_sections(s),
        rights_at_risk: rights_at_risk(s, &final_state),
        economics: s
            .economics
            .iter()
            .map(|t| economics_summary(s, &final_state, t))
            .collect(),
        economics_readings: economics_readings(s, &final_state),
        charter: crate::charter::breaches_over_time(s),
    };
    r.findings = findings(s, &r);
    r
}

/// The economics under every variant that replaces terms.
fn economics_readings(s: &Structure, state: &State) -> Vec<EconomicsReading> {
    let mut out = Vec::new();
    for v in s.variant.iter().filter(|v| !v.economics.is_empty()) {
        let alt = s.with_variant(v);
        for terms in &v.economics {
            let summary = economics_summary(&alt, state, terms);
            let base = s
                .economics
                .iter()
                .find(|t| t.entity == terms.entity)
                .map(|t| economics_summary(s, state, t));
            let changes = match (&base, &summary.cumulative) {
                (Some(b), Some(c)) => b
                    .cumulative
                    .as_ref()
                    .map(|bc| economics_changes(s, bc, c, terms.residual.as_deref()))
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            out.push(EconomicsReading {
                variant: v.id.clone(),
                description: v.description.clone(),
                summary,
                changes,
            });
        }
    }
    out
}

/// A kind of decision in words, for people: `remove-officer` is
/// "removing an officer", `amend-rules` "amending the rules".
pub fn decision_words(decision: &str) -> String {
    if decision == "*" {
        return "any decision".to_string();
    }
    if let Some(what) = decision.strip_prefix("declare-") {
        return format!("declaring {}", what.replace('-', " "));
    }
    let Some((verb, object)) = decision.split_once('-') else {
        return decision.replace('-', " ");
    };
    let verb = match verb {
        "appoint" => "appointing",
        "remove" => "removing",
        "issue" => "issuing",
        "transfer" => "transferring",
        "end" => "ending",
        "amend" => "amending",
        _ => return decision.replace('-', " "),
    };
    let object = match object {
        "officer" => "an officer",
        "director" => "a director",
        "member" => "a member",
        "chair" => "the chair",
        "interest" => "an interest",
        "rules" => "the rules",
        other => return format!("{verb} {}", other.replace('-', " ")),
    };
    format!("{verb} {object}")
}

/// What a rule rests on, in words: "the body's own rules", "assumed: the
/// record does not show it".
pub fn rule_basis_words(rule: &crate::timeline::RuleUsed) -> &'static str {
    use crate::model::Basis;
    match (rule.defaulted, rule.basis) {
        (true, Basis::Assumption) => "assumed: a statute applied by analogy",
        (true, _) => "the statute's default rule",
        (false, Basis::Document) => "the body's own rules",
        (false, Basis::Statute) => "a statute",
        (false, Basis::Assumption) => "assumed: the record does not show it",
    }
}

/// One term sheet's outcome at an amount, in a side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SheetOutcome {
    /// `as written`, or the variant's id.
    pub sheet: String,
    pub description: String,
    /// Each party's payout, to the cent (absent where the terms fail).
    pub payouts: Vec<SheetPayout>,
    /// Each class's value per share (exact, as a decimal to 6 places).
    pub per_share: Vec<SheetClassValue>,
    /// Why the terms could not be distributed, when they could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A party's payout under one term sheet, to the cent.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SheetPayout {
    pub party: String,
    pub amount: rust_decimal::Decimal,
}

/// A class's value per share under one term sheet (6 places).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SheetClassValue {
    pub class: String,
    pub per_share: rust_decimal::Decimal,
}

/// Term sheets compared at one amount: the terms as written and each
/// variant that replaces the entity's terms.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SheetComparison {
    pub entity: String,
    /// Each party's name, by id.
    pub names: BTreeMap<String, String>,
    pub currency: String,
    pub amount: rust_decimal::Decimal,
    pub sheets: Vec<SheetOutcome>,
}

/// Compare the term sheets of `entity` at `amount`.
pub fn compare_term_sheets(
    s: &Structure,
    entity: &str,
    amount: rust_decimal::Decimal,
    ctx: &boardroom_waterfall::Context,
) -> Option<SheetComparison> {
    let base = s.economics.iter().find(|t| t.entity == entity)?;
    let mut sheets = vec![(
        "as written".to_string(),
        "the terms of the structure".to_string(),
        base.clone(),
    )];
    for v in &s.variant {
        if let Some(t) = v.economics.iter().find(|t| t.entity == entity) {
            sheets.push((v.id.clone(), v.description.clone(), t.clone()));
        }
    }
    let outcomes: Vec<SheetOutcome> = sheets
        .into_iter()
        .map(|(sheet, description, terms)| {
            let result = boardroom_waterfall::Waterfall::new(&terms, ctx)
                .map_err(|e| e.to_string())
                .and_then(|w| w.distribute(amount).map_err(|e| e.to_string()));
            match result {
                Ok(d) => SheetOutcome {
                    sheet,
                    description,
                    payouts: d
                        .payouts
                        .iter()
                        .map(|p| SheetPayout {
                            party: p.party.clone(),
                            amount: p.amount,
                        })
                        .collect(),
                    per_share: d
                        .classes
                        .iter()
                        .map(|c| SheetClassValue {
                            class: c.class.clone(),
                            per_share: c.per_share.decimal(6),
                        })
                        .collect(),
                    error: None,
                },
                Err(e) => SheetOutcome {
                    sheet,
                    description,
                    payouts: Vec::new(),
                    per_share: Vec::new(),
                    error: Some(e),
                },
            }
        })
        .collect();
    let names = outcomes_parties(&outcomes)
        .into_iter()
        .map(|p| (p.clone(), s.name(&p).to_string()))
        .collect();
    Some(SheetComparison {
        entity: entity.to_string(),
        names,
        currency: base.currency.clone(),
        amount,
        sheets: outcomes,
    })
}

fn outcomes_parties(outcomes: &[SheetOutcome]) -> Vec<String> {
    let mut parties: Vec<String> = Vec::new();
    for o in outcomes {
        for SheetPayout { party: p, .. } in &o.payouts {
            if !parties.contains(p) {
                parties.push(p.clone());
            }
        }
    }
    parties
}

impl std::fmt::Display for SheetComparison {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Term sheets compared at {} {} ({})",
            grouped(self.amount),
            self.currency,
            self.entity
        )?;
        let parties = outcomes_parties(&self.sheets);
        let mut rows: Vec<Vec<String>> = vec![
            std::iter::once("party".to_string())
                .chain(self.sheets.iter().map(|o| o.sheet.clone()))
                .collect(),
        ];
        for p in &parties {
            let mut r = vec![self.names.get(p).cloned().unwrap_or_else(|| p.clone())];
            for o in &self.sheets {
                r.push(match (&o.error, o.payouts.iter().find(|x| &x.party == p)) {
                    (Some(_), _) => "—".into(),
                    (None, Some(x)) => grouped(x.amount),
                    (None, None) => "0.00".into(),
                });
            }
            rows.push(r);
        }
        let mut classes: Vec<&str> = Vec::new();
        for o in &self.sheets {
            for SheetClassValue { class: c, .. } in &o.per_share {
                if !classes.contains(&c.as_str()) {
                    classes.push(c);
                }
            }
        }
        for c in &classes {
            let mut r = vec![format!("{c}, a share")];
            for o in &self.sheets {
                r.push(
                    o.per_share
                        .iter()
                        .find(|x| x.class == *c)
                        .map_or("—".into(), |x| x.per_share.normalize().to_string()),
                );
            }
            rows.push(r);
        }
        let n = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..n)
            .map(|k| {
                rows.iter()
                    .filter_map(|r| r.get(k))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for r in &rows {
            let mut line = String::from("  ");
            for (k, c) in r.iter().enumerate() {
                if k == 0 {
                    line.push_str(&format!("{c:<w$}", w = widths[0]));
                } else {
                    line.push_str(&format!("  {c:>w$}", w = widths[k]));
                }
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        for o in &self.sheets {
            match &o.error {
                Some(e) => writeln!(f, "{}: cannot be distributed: {e}", o.sheet)?,
                None if o.sheet != "as written" => writeln!(f, "{}: {}", o.sheet, o.description)?,
                None => {}
            }
        }
        Ok(())
    }
}
