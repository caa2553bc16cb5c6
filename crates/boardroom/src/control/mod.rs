//! Control: who controls each entity, by what right, and who stands at the
//! top of each chain.
//!
//! What counts as control is written once, in [`definition`]; this module
//! reads a structure's state into the definition's stakes (interests in
//! force, votes counted in a weighted meeting, a board's `filled_by`, the
//! members of a board) and follows the findings up the chains. A board
//! that controls does so as a body: it is an ultimate controller, with its
//! members on the date beside it.

pub mod definition;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Path};
use crate::model::{BodyKind, Interest, InterestType, PartyKind, Structure};
use crate::timeline::{Held, State};
pub use definition::{Basis, Options, Portion, Reading, RightKind, Stake};

impl Serialize for Basis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl schemars::JsonSchema for Basis {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ControlBasis".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes: Vec<&str> = Basis::ALL.iter().map(|b| b.code()).collect();
        schemars::json_schema!({
            "type": "string",
            "description": "why a party controls an entity: votes, votes-follow-capital, appoints-board, company-rules, legal-framework, trustee, other-control, board (the board manages it, as a body), senior-managing-official-fallback",
            "enum": codes,
        })
    }
}

/// One direct controller of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Controller {
    /// A party or body id.
    pub controller: String,
    pub name: String,
    /// Why it controls, as the definition of control says.
    pub basis: Basis,
    /// What in the data it rests on: "60% of votes", "fills the seats of
    /// the board", an interest's details.
    pub detail: String,
    /// False for a possible controller: the data allows a majority and
    /// allows none. Possible controllers are listed, never followed.
    pub certain: bool,
    /// The interest the right comes from, when it comes from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interest: Option<String>,
    /// The source of what it rests on: the interest's, or the body's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// For a board: the sources of its members' seats on this date (the
    /// appointments'), beside the body's own, which may predate them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_sources: Vec<String>,
    /// It rests on an interest or a right to fill seats the file marks
    /// assumed, not confirmed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumed: bool,
}

impl Controller {
    /// "holds more than half of the votes (60% of votes)".
    pub fn describe(&self) -> String {
        let maybe = if self.certain { "" } else { "may control: " };
        if self.detail.is_empty() {
            format!("{maybe}{}", self.basis.describe())
        } else {
            format!("{maybe}{} ({})", self.basis.describe(), self.detail)
        }
    }
}

/// One link of a control chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Link {
    pub controller: String,
    pub controlled: String,
    pub basis: Basis,
    pub detail: String,
    /// The source of what the link rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// An ultimate controller of an entity, with the chain down to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Ultimate {
    pub controller: String,
    pub name: String,
    /// `person`, `body` (collective control by its members) or `entity`
    /// (an entity no one controls).
    pub kind: String,
    /// For a body: its members on the date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// From the ultimate controller down to the entity: every link when
    /// the chain has at most [`CHAIN_SHOWN`] of them, else the first and
    /// the last [`CHAIN_SHOWN`]` / 2` (each entity left out lists its own
    /// controllers).
    pub chain: Vec<Link>,
    /// Links left out of `chain` between its first and last ones.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub links_omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

/// The most links of a chain of control given in full: longer chains keep
/// their first and last links. (A chain of 4,000 entities listed every
/// chain in full, 8 million links, 200 s and 1.2 GB.)
pub const CHAIN_SHOWN: usize = 20;

/// The most chains to ultimate controllers kept per entity; the others
/// are counted in [`EntityControl::chains_omitted`]. (A lattice of
/// entities, each held by two of the level above, has paths in the
/// billions.)
pub const CHAINS_KEPT: usize = 64;

/// A party's economic interest in an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Economic {
    pub party: String,
    pub name: String,
    pub interest: String,
    #[serde(rename = "type")]
    pub kind: InterestType,
    pub share: Option<String>,
    /// The interest's source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The file marks the interest assumed, not confirmed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumed: bool,
}

/// Control of one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EntityControl {
    pub entity: String,
    pub name: String,
    pub kind: PartyKind,
    /// Direct controllers, certain and possible.
    pub direct: Vec<Controller>,
    pub ultimate: Vec<Ultimate>,
    /// Chains to ultimate controllers past the first [`CHAINS_KEPT`],
    /// counted, not listed.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub chains_omitted: u64,
    /// Office holders (CEO, president, ...).
    pub officers: Vec<Officer>,
    pub economic: Vec<Economic>,
    /// Each holder's share of the votes beside its share of the capital.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<VotesAndCapital>,
    /// Where no party controls alone: the smallest groups of named holders
    /// whose votes together are surely a majority (at most four members,
    /// at most twenty groups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joint: Vec<Vec<String>>,
    /// Rights that fall short of control: a party that fills a minority of
    /// the board's seats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub influence: Vec<Influence>,
    /// The share of the votes held by holders the file does not name (a
    /// listed company's public float), when votes are counted from shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unnamed_votes: Option<String>,
    /// The entity's board, where the file has one but names none of its
    /// members on the date: it directs the entity, and no one can be said
    /// to control it through the board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board_without_members: Option<String>,
    /// A fund's general partner, as its economic terms name it, where no
    /// controlling right is recorded: a limited partnership is managed by
    /// its general partner, but the file does not record the right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general_partner: Option<String>,
}

/// A right that falls short of control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Influence {
    pub party: String,
    pub name: String,
    /// What it is: "fills 1 of the 5 seats of the board".
    pub detail: String,
}

/// A holder's share of an entity's votes and of its capital.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct VotesAndCapital {
    pub party: String,
    pub name: String,
    /// Share of the votes that can be cast, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes: Option<String>,
    /// Share of the capital, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capital: Option<String>,
    /// Votes over capital, when both are known and the capital is not nil:
    /// `5.14` means five times as many votes as capital.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<String>,
    /// Where a voting cap cut the holder's votes: by how many, and what
    /// its share of the votes is of (those that can still be cast).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped: Option<String>,
}

/// The ratio of votes to capital at or above which a holder's votes are
/// reported as disproportionate.
pub const DISPROPORTION: Decimal = Decimal::from_parts(15, 0, 0, false, 1);

/// An office and its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Officer {
    pub office: String,
    pub title: String,
    pub holder: String,
    pub name: String,
    /// The source of the appointment: the appointing event's, or the
    /// office's for its initial holder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Where economic interest and control part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Divergence {
    /// `economic-without-control` or `control-without-economic-interest`.
    pub kind: String,
    pub party: String,
    pub entity: String,
    pub explanation: String,
}

/// Control of every entity on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ControlReport {
    pub date: Option<NaiveDate>,
    /// What the view rests on, and what it cannot say on its date.
    pub record: crate::report::RecordSpan,
    pub entities: Vec<EntityControl>,
    pub divergences: Vec<Divergence>,
}

/// The economic share at or above which a party without control is
/// reported as a divergence (the usual beneficial-ownership threshold).
pub const SIGNIFICANT_SHARE: Decimal = Decimal::from_parts(25, 0, 0, false, 0);

/// The id of the board of an entity that states its directors as
/// interests (`boardMember`, `boardChair`) but has no board body: the
/// register's name for the same body.
pub fn board_id(entity: &str) -> String {
    format!("{entity}#board")
}

/// Control of every entity in `s` in `state`.
pub fn control(s: &Structure, state: &State) -> ControlReport {
    control_with(s, state, &Options::default())
}

/// [`control`] with the definition's options.
pub fn control_with(s: &Structure, state: &State, options: &Options) -> ControlReport {
    let direct: BTreeMap<String, Vec<Controller>> = s
        .party
        .iter()
        .filter(|p| !p.kind.is_person() && state.exists(&p.id))
        .map(|p| {
            (
                p.id.clone(),
                direct_controllers_with(s, state, &p.id, options),
            )
        })
        .collect();
    let mut entities = Vec::new();
    let mut chains = ultimates(s, state, &direct);
    for p in s
        .party
        .iter()
        .filter(|p| !p.kind.is_person() && state.exists(&p.id))
    {
        let found = chains.remove(p.id.as_str()).unwrap_or_default();
        let chains_omitted = found.paths - found.kept.len() as u64;
        let ultimate: Vec<Ultimate> = found.kept.into_iter().map(|c| c.ultimate).collect();
        let officers = officers(s, state, Some(&p.id));
        let economic =
            state
                .interests_in(&p.id)
                .filter(|i| i.kind.is_economic())
                .map(|i| Economic {
                    party: holder_id(i),
                    name: i
                        .holder
                        .as_deref()
                        .map(|h| s.name(h))
                        .unwrap_or("unspecified")
                        .to_string(),
                    interest: i.id.clone(),
                    source: i.source.clone(),
                    assumed: i.assumption,
                    kind: i.kind,
                    share: i.share.as_ref().map(|sh| sh.label()).or_else(|| {
                        unit_share(state, i).map(|p| format!("{} (by units)", p.label()))
                    }),
                })
                .collect();
        let (holders, joint) = votes_and_capital(s, state, &p.id, &direct);
        let influence = influence_in(s, state, &p.id);
        // Before the record starts, shares whose holders are not yet known
        // are not "held by holders the file does not name": unknown.
        let unnamed_votes = counted_votes(s, state, &p.id)
            .filter(|c| c.unnamed > Decimal::ZERO && state.in_record())
            .map(|c| c.portion(c.unnamed).label());
        entities.push(EntityControl {
            entity: p.id.clone(),
            name: p.name.clone(),
            kind: p.kind,
            direct: direct.get(&p.id).cloned().unwrap_or_default(),
            ultimate,
            chains_omitted,
            officers,
            economic,
            holders,
            joint,
            influence,
            unnamed_votes,
            general_partner: s
                .economics
                .iter()
                .find(|t| t.entity == p.id)
                .and_then(|t| t.fund.as_ref())
                .filter(|_| direct.get(&p.id).is_none_or(|d| d.is_empty()))
                .map(|f| s.name(&f.general_partner).to_string()),
            board_without_members: board_body(s, &p.id)
                .filter(|b| state.exists(&p.id) && state.voters(b).is_empty())
                .map(|b| b.name.clone()),
        });
    }
    let divergences = divergences(s, state, &entities);
    ControlReport {
        date: state.date,
        record: crate::report::record_span(s, state.date),
        entities,
        divergences,
    }
}

/// A shareholding's exact share of the capital of its subject: of every
/// outstanding share, where the subject has share classes; else of all
/// units, when every shareholding in force in the subject states them.
pub fn unit_share(state: &State, i: &Interest) -> Option<Portion> {
    let units = i.units?;
    let classes: Vec<&crate::model::StockClass> = state
        .classes
        .iter()
        .filter(|c| c.entity == i.subject)
        .collect();
    let outstanding: Decimal = classes
        .iter()
        .map(|c| c.outstanding() * c.capital_per_share())
        .sum();
    if outstanding > Decimal::ZERO {
        let per = match &i.class {
            Some(k) => classes
                .iter()
                .find(|c| &c.id == k)
                .map(|c| c.capital_per_share()),
            None if classes.len() == 1 => Some(classes[0].capital_per_share()),
            None => None,
        }
        .unwrap_or(Decimal::ONE);
        return Some(Portion::of(units * per, outstanding));
    }
    let mut total = Decimal::ZERO;
    for x in state.interests_in(&i.subject) {
        if x.kind == InterestType::Shareholding {
            total += x.units?;
        }
    }
    (total > Decimal::ZERO).then(|| Portion::of(units, total))
}

/// Board appointments that fall short of a majority of the seats.
fn influence_in(s: &Structure, state: &State, entity: &str) -> Vec<Influence> {
    let st = stakes(s, state, entity);
    st.parties
        .iter()
        .filter(|(_, k)| {
            k.appoints
                .is_some_and(|a| a.majority() == definition::Majority::No)
        })
        .filter(|(_, k)| k.appoints.is_some_and(|a| a.hi > Decimal::ZERO))
        .map(|(p, _)| Influence {
            party: p.clone(),
            name: s.name(p).to_string(),
            detail: st
                .details
                .get(p)
                .and_then(|d| d.iter().find(|(b, _, _)| *b == Basis::AppointsBoard))
                .map(|(_, d, _)| d.clone())
                .unwrap_or_else(|| "appoints a minority of the board".into()),
        })
        .collect()
}

/// Each holder's votes beside its capital, and, where no party controls
/// alone, the smallest groups of named holders whose votes are together
/// surely a majority.
fn votes_and_capital(
    s: &Structure,
    state: &State,
    entity: &str,
    direct: &BTreeMap<String, Vec<Controller>>,
) -> (Vec<VotesAndCapital>, Vec<Vec<String>>) {
    let st = stakes(s, state, entity);
    let mut capital: Vec<(String, Portion)> = Vec::new();
    for i in state
        .interests_in(entity)
        .filter(|i| i.kind == InterestType::Shareholding && i.holder.is_some())
    {
        let Some(h) = &i.holder else { continue };
        let p = i
            .share
            .as_ref()
            .map(Portion::of_share)
            .or_else(|| unit_share(state, i))
            .unwrap_or(Portion::UNKNOWN);
        match capital.iter_mut().find(|(x, _)| x == h) {
            Some((_, c)) => *c = c.plus(p),
            None => capital.push((h.clone(), p)),
        }
    }
    let mut ids: Vec<String> = st
        .parties
        .iter()
        .filter(|(_, k)| k.votes.is_some())
        .map(|(p, _)| p.clone())
        .collect();
    for (p, _) in &capital {
        if !ids.contains(p) {
            ids.push(p.clone());
        }
    }
    // A group acting in concert: its capital is its members'; each member
    // is listed with its own votes beside the group's.
    for (g, members) in &st.groups {
        let mut total: Option<Portion> = None;
        for (m, _) in members {
            if let Some((_, c)) = capital.iter().find(|(p, _)| p == m) {
                total = Some(total.map_or(*c, |t| t.plus(*c)));
            }
        }
        if let Some(t) = total {
            capital.push((g.clone(), t));
        }
    }
    let own_votes = |id: &str| -> Option<Portion> {
        st.parties
            .iter()
            .find(|(p, _)| p == id)
            .and_then(|(_, k)| k.votes)
            .or_else(|| {
                st.groups
                    .iter()
                    .flat_map(|(_, m)| m.iter())
                    .find(|(p, _)| p == id)
                    .and_then(|(_, k)| k.votes)
            })
    };
    for (g, members) in &st.groups {
        for (m, k) in members {
            if k.votes.is_some() && !ids.contains(m) {
                ids.push(m.clone());
            }
        }
        if !ids.contains(g) {
            ids.push(g.clone());
        }
    }
    let known = |p: &Portion| *p != Portion::UNKNOWN;
    // Votes a cap keeps a holder from casting (the cap is a share of all
    // the votes; the shares shown are of those that can be cast, which is
    // fewer, so a capped holder shows more than the cap).
    let caps = state.holder_votes(entity, None);
    let capped_of = |id: &str| -> Option<String> {
        let h = caps.as_ref()?;
        let (_, excess) = h.capped.iter().find(|(p, _)| p == id)?;
        let all = h.total + h.capped.iter().map(|(_, x)| *x).sum::<Decimal>();
        Some(format!(
            "a voting cap keeps {} of its votes from being cast; every share of the votes here is of the {} that can be cast ({} before the caps), so a holder at the cap shows more than it",
            crate::report::count(*excess),
            crate::report::count(h.total),
            crate::report::count(all)
        ))
    };
    let mut out = Vec::new();
    for id in &ids {
        let votes = own_votes(id).filter(known);
        let cap = capital
            .iter()
            .find(|(p, _)| p == id)
            .map(|(_, c)| *c)
            .filter(known);
        let ratio = match (votes, cap) {
            (Some(v), Some(c)) if c.lo > Decimal::ZERO => {
                Some((v.lo / c.lo).round_dp(2).normalize().to_string())
            }
            _ => None,
        };
        if votes.is_none() && cap.is_none() {
            continue;
        }
        out.push(VotesAndCapital {
            party: id.clone(),
            name: s.name(id).to_string(),
            votes: votes.map(|v| v.label()),
            capital: cap.map(|c| c.label()),
            ratio,
            capped: capped_of(id),
        });
    }
    // A group declared but not bound on the date: its members' votes and
    // capital together, beside theirs, and never pooled.
    for g in s.group.iter().filter(|g| {
        !g.binds_in(entity, state.date)
            && (g.entities.is_empty() || g.entities.iter().any(|e| e == entity))
    }) {
        let rows: Vec<&VotesAndCapital> = out
            .iter()
            .filter(|r| g.members.contains(&r.party))
            .collect();
        if rows.len() < 2 {
            continue;
        }
        let sum = |f: &dyn Fn(&str) -> Option<Portion>| {
            rows.iter()
                .map(|r| f(&r.party))
                .try_fold(Portion::ZERO, |acc, p| p.map(|p| acc.plus(p)))
        };
        let votes = sum(&|p| own_votes(p).filter(known));
        let cap = sum(&|p| {
            capital
                .iter()
                .find(|(x, _)| x == p)
                .map(|(_, c)| *c)
                .filter(known)
        });
        let ratio = match (votes, cap) {
            (Some(v), Some(c)) if c.lo > Decimal::ZERO => {
                Some((v.lo / c.lo).round_dp(2).normalize().to_string())
            }
            _ => None,
        };
        out.push(VotesAndCapital {
            party: g.id.clone(),
            name: format!("{} ({}: not pooled)", g.name, g.not_binding_why(state.date)),
            votes: votes.map(|v| v.label()),
            capital: cap.map(|c| c.label()),
            ratio,
            capped: None,
        });
    }
    // Joint control: no one controls alone, but some named holders do.
    let alone = direct
        .get(entity)
        .is_some_and(|cs| cs.iter().any(|c| c.certain && c.basis != Basis::Board));
    let voters: Vec<(String, Decimal)> = st
        .parties
        .iter()
        .filter_map(|(p, k)| k.votes.map(|v| (p.clone(), v.lo)))
        .filter(|(_, v)| *v > Decimal::ZERO)
        .collect();
    let mut joint: Vec<Vec<String>> = Vec::new();
    if !alone && voters.len() <= 24 {
        let half = Decimal::new(5, 1);
        let n = voters.len();
        for size in 2..=n.min(4) {
            let mut idx: Vec<usize> = (0..size).collect();
            loop {
                let sum: Decimal = idx.iter().map(|&k| voters[k].1).sum();
                let minimal = idx.iter().all(|&k| sum - voters[k].1 <= half);
                if sum > half && minimal && joint.len() < 20 {
                    joint.push(idx.iter().map(|&k| voters[k].0.clone()).collect());
                }
                let mut k = size;
                while k > 0 && idx[k - 1] == n - size + k - 1 {
                    k -= 1;
                }
                if k == 0 {
                    break;
                }
                idx[k - 1] += 1;
                for j in k..size {
                    idx[j] = idx[j - 1] + 1;
                }
            }
            if !joint.is_empty() {
                break;
            }
        }
    }
    (out, joint)
}

/// The offices held in `state` (of `entity` only, when given).
pub fn officers(s: &Structure, state: &State, entity: Option<&str>) -> Vec<Officer> {
    s.office
        .iter()
        .filter(|o| entity.is_none_or(|e| o.entity == e))
        .filter_map(|o| {
            state.holders.get(&o.id).map(|h| Officer {
                office: o.id.clone(),
                title: o.title.clone(),
                holder: h.clone(),
                name: s.name(h).to_string(),
                source: state
                    .source_of(&crate::timeline::Held::Office(o.id.clone()))
                    .map(str::to_string),
            })
        })
        .collect()
}

fn holder_id(i: &Interest) -> String {
    i.holder
        .clone()
        .unwrap_or_else(|| "unspecified".to_string())
}

/// The general meeting of an entity: its first `shareholders` body of all
/// classes, else its `members` body. Its voters' votes are the entity's
/// votes.
pub fn general_meeting<'a>(s: &'a Structure, entity: &str) -> Option<&'a crate::model::Body> {
    let of_kind = |k: BodyKind| {
        s.body
            .iter()
            .find(|b| b.entity == entity && b.kind == k && b.class.is_none())
    };
    of_kind(BodyKind::Shareholders).or_else(|| of_kind(BodyKind::Members))
}

/// The votes of an entity's general meeting, counted exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedVotes {
    /// Each voter's votes, in the order of the interests (or members).
    pub votes: Vec<(String, Decimal)>,
    pub total: Decimal,
    /// Votes of shares whose holders the file does not name.
    pub unnamed: Decimal,
    /// Where they are counted: the meeting's name, when it has one.
    pub meeting: Option<String>,
}

impl CountedVotes {
    /// A voter's share of all votes (nothing, when no share carries a vote).
    pub fn portion(&self, v: Decimal) -> Portion {
        if self.total > Decimal::ZERO {
            Portion::of(v, self.total)
        } else {
            Portion::ZERO
        }
    }

    /// "10,000,000 of 19,000,000 votes in the stockholders' meeting".
    pub fn describe(&self, v: Decimal) -> String {
        let place = self
            .meeting
            .as_ref()
            .map(|m| format!(" in {m}"))
            .unwrap_or_default();
        format!(
            "{} of {} vote{}{place}",
            crate::report::count(v),
            crate::report::count(self.total),
            if self.total == Decimal::ONE { "" } else { "s" }
        )
    }
}

/// The votes of `entity` counted exactly, where the structure counts them:
/// one each among the members of a `members` body; else the votes of its
/// shares, as [`State::holder_votes`] counts them (share classes, treasury
/// shares, voting caps, votes cast by another). `None` where votes are
/// stated only as shares, or not at all.
pub fn counted_votes(s: &Structure, state: &State, entity: &str) -> Option<CountedVotes> {
    let meeting = general_meeting(s, entity);
    if let Some(b) = meeting.filter(|b| b.kind == BodyKind::Members) {
        let members = state.voters(b);
        let votes: Vec<(String, Decimal)> = members
            .into_iter()
            .map(|(p, _)| (p, Decimal::ONE))
            .collect();
        let total = Decimal::from(votes.len() as u64);
        return (!votes.is_empty()).then(|| CountedVotes {
            votes,
            total,
            unnamed: Decimal::ZERO,
            meeting: Some(b.name.clone()),
        });
    }
    let h = state.holder_votes(entity, None)?;
    Some(CountedVotes {
        votes: h.named,
        total: h.total,
        unnamed: h.unnamed,
        meeting: meeting.map(|b| b.name.clone()),
    })
}

/// The board of an entity: its `board` body.
pub fn board_body<'a>(s: &'a Structure, entity: &str) -> Option<&'a crate::model::Body> {
    s.body
        .iter()
        .find(|b| b.entity == entity && b.kind == BodyKind::Board)
}

/// What each party holds in `entity` in `state`, as the definition of
/// control reads it, with what each reading rests on; and the board, when
/// it has members in office (a board body's id, or [`board_id`] for
/// directors stated as interests).
pub struct Stakes {
    pub parties: Vec<(String, Stake)>,
    /// Per party, what each basis rests on: (basis, detail, interest).
    pub details: BTreeMap<String, Vec<(Basis, String, Option<String>)>>,
    pub board: Option<String>,
    /// The board's members in office.
    pub board_members: Vec<String>,
    /// Groups acting in concert whose members' votes and appointments
    /// count as the group's: each with its members' own stakes.
    pub groups: Vec<(String, Vec<(String, Stake)>)>,
    /// The rights in force to fill some of the board's seats, by holder.
    pub seat_rights: Vec<SeatsHeld>,
}

/// Per party, what each basis rests on: (basis, detail, interest).
type Details = BTreeMap<String, Vec<(Basis, String, Option<String>)>>;

/// The stakes in `entity` in `state` (none while it does not exist).
pub fn stakes(s: &Structure, state: &State, entity: &str) -> Stakes {
    if !state.exists(entity) {
        return Stakes {
            parties: Vec::new(),
            details: BTreeMap::new(),
            board: None,
            board_members: Vec::new(),
            groups: Vec::new(),
            seat_rights: Vec::new(),
        };
    }
    // In the order first met: the order the stakes are reported in.
    let mut parties: indexmap::IndexMap<String, Stake> = Default::default();
    let mut details: BTreeMap<String, Vec<(Basis, String, Option<String>)>> = BTreeMap::new();
    fn slot<'a>(parties: &'a mut indexmap::IndexMap<String, Stake>, p: &str) -> &'a mut Stake {
        if !parties.contains_key(p) {
            parties.insert(p.to_string(), Stake::default());
        }
        &mut parties[p]
    }
    // Votes counted exactly, where the structure counts them.
    let meeting = general_meeting(s, entity);
    let counted_votes = counted_votes(s, state, entity);
    let counted = counted_votes.is_some();
    if let Some(c) = &counted_votes {
        for (p, v) in &c.votes {
            slot(&mut parties, p).votes = Some(c.portion(*v));
            details
                .entry(p.clone())
                .or_default()
                .push((Basis::Votes, c.describe(*v), None));
        }
    }
    // An indirect interest stands for its components in the same entity
    // (BODS componentRecords): those are not counted twice.
    let superseded: Vec<&str> = state
        .interests_in(entity)
        .filter(|i| !i.via.is_empty())
        .flat_map(|i| i.via.iter().map(String::as_str))
        .collect();
    let mut seated: Vec<String> = Vec::new();
    for i in state
        .interests_in(entity)
        .filter(|i| !superseded.contains(&i.id.as_str()))
    {
        let Some(h) = i.holder.as_deref() else {
            continue;
        };
        let reading = Reading::of(i.kind);
        if counted && matches!(reading, Reading::Votes | Reading::Capital) {
            continue; // The meeting's count stands for these.
        }
        let share = i
            .share
            .as_ref()
            .map(Portion::of_share)
            .or_else(|| match reading {
                Reading::Capital => unit_share(state, i),
                _ => None,
            });
        let class_votes = i
            .class
            .as_deref()
            .and_then(|k| s.classes_of(entity).find(|c| c.id == k))
            .map(|c| c.votes());
        let carries_votes = i
            .votes_per_unit
            .or(class_votes)
            .is_none_or(|v| v != Decimal::ZERO);
        let is_person = s.party(h).is_some_and(|p| p.kind.is_person());
        let not_control =
            definition::marked_not_control(i.beneficial_ownership_or_control, is_person);
        // Votes cast by another (a voting trust, a proxy) are that party's.
        let voter = match (reading, &i.voted_by) {
            (Reading::Votes | Reading::Capital, Some(v)) => v.as_str(),
            _ => h,
        };
        slot(&mut parties, voter).add(i.kind, share, carries_votes, not_control);
        if not_control {
            continue;
        }
        if reading == Reading::Seat {
            seated.push(h.to_string());
        }
        let basis = match reading {
            Reading::Votes => Basis::Votes,
            Reading::Capital => Basis::VotesFollowCapital,
            Reading::Appointment => Basis::AppointsBoard,
            Reading::Right(RightKind::CompanyRules) => Basis::CompanyRules,
            Reading::Right(RightKind::LegalFramework) => Basis::LegalFramework,
            Reading::Right(RightKind::OtherControl) => Basis::OtherControl,
            Reading::SeniorOfficial => Basis::SeniorManagingOfficial,
            Reading::Seat | Reading::NotControl => continue,
        };
        let of_what = match reading {
            Reading::Votes => " of the votes",
            Reading::Capital => " of the shares",
            Reading::Appointment => " of the board's seats",
            _ => "",
        };
        let what = match (&i.details, share) {
            (Some(d), Some(p)) => format!("{}{of_what}: {d}", p.label()),
            (Some(d), None) => d.clone(),
            (None, Some(p)) => format!("{}{of_what}", p.label()),
            (None, None) => i.kind.plain().trim_end_matches(',').to_string(),
        };
        details
            .entry(h.to_string())
            .or_default()
            .push((basis, what, Some(i.id.clone())));
    }
    // A board whose seats another party fills gives that party every seat.
    if let Some(board) = board_body(s, entity).filter(|_| state.in_record())
        && let Some(f) = &board.filled_by
        && f != &board.id
        && meeting.is_none_or(|m| &m.id != f)
    {
        let appointer = s
            .body(f)
            .map(|b| b.entity.clone())
            .unwrap_or_else(|| f.clone());
        if appointer != entity && state.exists(&appointer) {
            slot(&mut parties, &appointer).appoints = Some(Portion::ALL);
            details.entry(appointer).or_default().push((
                Basis::AppointsBoard,
                format!("fills the seats of {}", board.name),
                None,
            ));
        }
    }
    // Rights to fill some of the board's seats, in force on the date.
    let mut rights_held: Vec<SeatsHeld> = Vec::new();
    if let Some(board) = board_body(s, entity).filter(|_| state.in_record()) {
        rights_held = seat_rights(s, state, board);
        for held in &rights_held {
            let appointer = held.appointer.clone();
            if appointer == entity || !state.exists(&appointer) {
                continue;
            }
            let p = Portion::of(Decimal::from(held.seats), Decimal::from(held.of));
            let slot = slot(&mut parties, &appointer);
            slot.appoints = Some(slot.appoints.map_or(p, |q| q.plus(p)));
            details.entry(appointer).or_default().push((
                Basis::AppointsBoard,
                held.words(s, &board.name),
                None,
            ));
        }
    }
    // Officers: senior managing officials, for the fallback option.
    for o in s.office.iter().filter(|o| o.entity == entity) {
        if let Some(h) = state.holders.get(&o.id) {
            slot(&mut parties, h).senior_official = true;
            details.entry(h.clone()).or_default().push((
                Basis::SeniorManagingOfficial,
                o.title.clone(),
                None,
            ));
        }
    }
    let mut parties: Vec<(String, Stake)> = parties.into_iter().collect();
    let groups = pool_groups(s, state, entity, &mut parties, &mut details);
    // The board: its body's members in office and anyone the data seats on
    // it by an interest (a director, the chair, a trustee of a trust).
    let body = board_body(s, entity);
    let mut members: Vec<String> = body
        .map(|b| state.voters(b).into_iter().map(|(p, _)| p).collect())
        .unwrap_or_default();
    for p in seated {
        if !members.contains(&p) {
            members.push(p);
        }
    }
    let id = body.map_or_else(|| board_id(entity), |b| b.id.clone());
    let (board, board_members) = ((!members.is_empty()).then_some(id), members);
    Stakes {
        parties,
        details,
        board,
        board_members,
        groups,
        seat_rights: rights_held,
    }
}

/// Groups acting in concert: where an agreement binds them in `entity`,
/// the members' votes and board appointments become the group's (the
/// members keep any other right). Returns each group pooled with its
/// members' own stakes.
fn pool_groups(
    s: &Structure,
    state: &State,
    entity: &str,
    parties: &mut Vec<(String, Stake)>,
    details: &mut Details,
) -> Vec<(String, Vec<(String, Stake)>)> {
    let mut groups: Vec<(String, Vec<(String, Stake)>)> = Vec::new();
    let mut k = 0;
    while k < parties.len() {
        let (p, stake) = parties[k].clone();
        let pooled =
            stake.votes.is_some() || stake.voting_capital.is_some() || stake.appoints.is_some();
        let Some(g) = s.group_binding(&p, entity, state.date).filter(|_| pooled) else {
            k += 1;
            continue;
        };
        match groups.iter_mut().find(|(x, _)| *x == g.id) {
            Some((_, m)) => m.push((p.clone(), stake)),
            None => groups.push((g.id.clone(), vec![(p.clone(), stake)])),
        }
        let own = &mut parties[k].1;
        own.votes = None;
        own.voting_capital = None;
        own.appoints = None;
        k += 1;
    }
    let sum = |a: Option<Portion>, b: Option<Portion>| match (a, b) {
        (Some(x), Some(y)) => Some(x.plus(y)),
        (x, None) => x,
        (None, y) => y,
    };
    for (g, members) in &groups {
        let mut pooled = Stake::default();
        for (_, m) in members {
            pooled.votes = sum(pooled.votes, m.votes);
            pooled.voting_capital = sum(pooled.voting_capital, m.voting_capital);
            pooled.appoints = sum(pooled.appoints, m.appoints);
        }
        // Where some members' votes are stated and others' follow their
        // capital, the capital is the members' presumed votes: the stated
        // votes stand for the group, the rest is reported beside them.
        let agreement = s
            .group(g)
            .and_then(|x| x.agreement.clone())
            .map(|a| format!("; {a}"))
            .unwrap_or_default();
        let each = |f: &dyn Fn(&Stake) -> Option<Portion>| {
            members
                .iter()
                .filter_map(|(m, st)| f(st).map(|p| format!("{} {}", s.name(m), p.label())))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let d = details.entry(g.clone()).or_default();
        if let Some(v) = pooled.votes {
            d.push((
                Basis::Votes,
                format!(
                    "together {} of the votes: {}{agreement}",
                    v.label(),
                    each(&|x| x.votes)
                ),
                None,
            ));
        }
        if let Some(c) = pooled.voting_capital {
            d.push((
                Basis::VotesFollowCapital,
                format!(
                    "together {} of the shares: {}{agreement}",
                    c.label(),
                    each(&|x| x.voting_capital)
                ),
                None,
            ));
        }
        if let Some(a) = pooled.appoints {
            d.push((
                Basis::AppointsBoard,
                format!(
                    "together {} of the board's seats: {}{agreement}",
                    a.label(),
                    each(&|x| x.appoints)
                ),
                None,
            ));
        }
        match parties.iter_mut().find(|(x, _)| x == g) {
            Some((_, st)) => *st = pooled,
            None => parties.push((g.clone(), pooled)),
        }
    }
    groups
}

/// Who fills how many of `board`'s seats in `state`, and of how many seats:
/// its `appointments` in force (dated, or after a milestone declared by
/// then). A right held by a class of holders goes to the holder (or the
/// group acting in concert) with a sure majority of the class's votes, if
/// there is one; otherwise no one appoints those seats.
pub fn seat_rights(s: &Structure, state: &State, board: &crate::model::Body) -> Vec<SeatsHeld> {
    let rights: Vec<&crate::model::SeatRight> = board
        .appointments
        .iter()
        .filter(|r| state.seat_right_in_force(r))
        .collect();
    if rights.is_empty() {
        return Vec::new();
    }
    let of = board
        .seats
        .unwrap_or_else(|| rights.iter().map(|r| r.seats).sum());
    let mut out: Vec<SeatsHeld> = Vec::new();
    for r in rights {
        let appointer = match s.body(&r.by) {
            Some(b) if b.kind.is_holder_body() => {
                let Some(h) = state.holder_votes(&b.entity, b.class.as_deref()) else {
                    continue;
                };
                // Holders acting in concert hold their class votes as one.
                let (named, _) = crate::group::pool(s, &b.entity, state.date, &h.named);
                let majority = named.iter().find(|(_, v)| {
                    Portion::of(*v, h.total).majority() == definition::Majority::Surely
                });
                match majority {
                    Some((p, _)) => p.clone(),
                    None => continue,
                }
            }
            Some(b) => b.entity.clone(),
            None => r.by.clone(),
        };
        let seated = |by: &str| -> Vec<String> {
            state
                .seated_by
                .get(&board.id)
                .into_iter()
                .flatten()
                .filter(|(m, b)| {
                    b == by
                        && state
                            .members
                            .get(&board.id)
                            .is_some_and(|ms| ms.contains(m))
                })
                .map(|(m, _)| m.clone())
                .collect()
        };
        match out.iter_mut().find(|h| h.appointer == appointer) {
            Some(h) => {
                h.seats += r.seats;
                if !h.rights_by.contains(&r.by) {
                    h.rights_by.push(r.by.clone());
                    h.seated.extend(seated(&r.by));
                }
                if let Some(src) = &r.source
                    && !h.sources.contains(src)
                {
                    h.sources.push(src.clone());
                }
                if r.assumption {
                    h.assumed.push(r.note.clone().unwrap_or_default());
                }
            }
            None => out.push(SeatsHeld {
                appointer,
                seats: r.seats,
                of,
                seated: seated(&r.by),
                rights_by: vec![r.by.clone()],
                sources: r.source.iter().cloned().collect(),
                assumed: if r.assumption {
                    vec![r.note.clone().unwrap_or_default()]
                } else {
                    Vec::new()
                },
            }),
        }
    }
    out
}

/// A party's rights in force to fill seats of a board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatsHeld {
    /// Who fills them.
    pub appointer: String,
    /// How many seats it has the right to fill.
    pub seats: u32,
    /// Of how many seats on the board.
    pub of: u32,
    /// The members sitting on the date in a seat it filled, as the record
    /// shows them (an appointment under the right, or a right's
    /// `filled_with`).
    pub seated: Vec<String>,
    /// The `by` of the rights it holds them by.
    rights_by: Vec<String>,
    /// The sources of those rights.
    pub sources: Vec<String>,
    /// For each of those rights the file marks assumed, its note (empty
    /// where it has none).
    pub assumed: Vec<String>,
}

impl SeatsHeld {
    /// The right in words: "fills 3 of the 5 seats of the board" where the
    /// record shows 3 of its choosing sitting, else "has the right to fill
    /// 3 of the 5 seats of the board; the record shows 1 sitting by its
    /// choice: Jane Doe". A right is control; the seats filled are a fact.
    pub fn words(&self, s: &Structure, board: &str) -> String {
        let right = format!("{} of the {} seats of {board}", self.seats, self.of);
        if self.seated.len() as u32 >= self.seats {
            return format!("fills {right}");
        }
        let names: Vec<&str> = self.seated.iter().map(|m| s.name(m)).collect();
        match names.len() {
            0 => format!(
                "has the right to fill {right}; the record shows no member sitting by its choice"
            ),
            n => format!(
                "has the right to fill {right}; the record shows {n} sitting by its choice: {}",
                names.join(", ")
            ),
        }
    }
}

/// The parties that directly control `entity`, and by what right, as the
/// definition of control finds them.
pub fn direct_controllers(s: &Structure, state: &State, entity: &str) -> Vec<Controller> {
    direct_controllers_with(s, state, entity, &Options::default())
}

/// [`direct_controllers`] with the definition's options.
pub fn direct_controllers_with(
    s: &Structure,
    state: &State,
    entity: &str,
    options: &Options,
) -> Vec<Controller> {
    let st = stakes(s, state, entity);
    let keyed: Vec<(usize, Stake)> = st
        .parties
        .iter()
        .enumerate()
        .map(|(k, (_, stake))| (k, *stake))
        .collect();
    let board_key = st.board.as_ref().map(|_| usize::MAX);
    definition::controllers(&keyed, board_key, options)
        .into_iter()
        .map(|f| {
            if f.party == usize::MAX {
                let id = st.board.clone().unwrap_or_default();
                let name = board_name(s, entity, &id);
                let board_source = s.body(&id).and_then(|b| b.source.clone());
                let mut member_sources: Vec<String> = Vec::new();
                for m in &st.board_members {
                    if let Some(src) = state.source_of(&Held::Seat(id.clone(), m.clone()))
                        && board_source.as_deref() != Some(src)
                        && !member_sources.iter().any(|x| x == src)
                    {
                        member_sources.push(src.to_string());
                    }
                }
                return Controller {
                    member_sources,
                    detail: format!("members: {}", names_of(s, &st.board_members)),
                    controller: id,
                    name,
                    basis: f.basis,
                    certain: f.certain,
                    interest: None,
                    source: board_source,
                    assumed: false,
                };
            }
            let id = st.parties[f.party].0.clone();
            // Every interest of the party on that basis: one party's 29%
            // and 73% of the votes are both what it holds.
            let on_basis: Vec<&(Basis, String, Option<String>)> = st
                .details
                .get(&id)
                .map(|d| d.iter().filter(|(b, _, _)| *b == f.basis).collect())
                .unwrap_or_default();
            let detail = on_basis
                .iter()
                .map(|(_, d, _)| d.as_str())
                .collect::<Vec<_>>()
                .join(" and ");
            let interest = on_basis.first().and_then(|(_, _, i)| i.clone());
            // Resting on an interest the file marks assumed: one named on
            // the basis, or, for votes counted from shares, a holding of
            // the party's (Bosch's `rbik-votes`).
            let counted = matches!(f.basis, Basis::Votes | Basis::VotesFollowCapital);
            let assumed = on_basis.iter().any(|(_, _, i)| {
                i.as_deref()
                    .and_then(|i| state.interest_by_id(i))
                    .is_some_and(|i| i.assumption)
            }) || (counted
                && state.interests_in(entity).any(|i| {
                    i.assumption
                        && matches!(
                            i.kind,
                            InterestType::Shareholding | InterestType::VotingRights
                        )
                        && i.voted_by.as_deref().or(i.holder.as_deref()) == Some(id.as_str())
                }));
            // Appointing by rights to fill seats: cited by the rights'
            // sources, and resting on any of them the file marks assumed.
            let rights = st
                .seat_rights
                .iter()
                .find(|h| h.appointer == id && f.basis == Basis::AppointsBoard);
            let assumed = assumed || rights.is_some_and(|h| !h.assumed.is_empty());
            Controller {
                member_sources: Vec::new(),
                assumed,
                name: s.name(&id).to_string(),
                controller: id,
                basis: f.basis,
                detail,
                certain: f.certain,
                source: interest
                    .as_deref()
                    .and_then(|i| state.interest_by_id(i))
                    .and_then(|i| i.source.clone())
                    .or_else(|| rights.and_then(|h| h.sources.first().cloned())),
                interest,
            }
        })
        .collect()
}

fn names_of(s: &Structure, ids: &[String]) -> String {
    ids.iter()
        .map(|p| s.name(p).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of a board: its body's name, or "Board of ENTITY" ("Trustees
/// of ENTITY" for a trust).
pub fn board_name(s: &Structure, entity: &str, id: &str) -> String {
    let trust = s
        .party(entity)
        .is_some_and(|p| matches!(p.kind, PartyKind::Trust | PartyKind::PurposeTrust));
    match s.body(id) {
        Some(b) => b.name.clone(),
        None if trust => format!("Trustees of {}", s.name(entity)),
        None => format!("Board of {}", s.name(entity)),
    }
}

/// An entity's chains to its ultimate controllers, as found.
#[derive(Default)]
struct Chains {
    /// At most [`CHAINS_KEPT`], each with a hash of its parties, so that
    /// two rights over the same link (one chain of parties) count once.
    kept: Vec<KeptChain>,
    /// Every distinct chain, kept or not (saturating).
    paths: u64,
}

struct KeptChain {
    ultimate: Ultimate,
    parties: u64,
}

/// Every entity's ultimate controllers, each entity's found once from its
/// direct controllers' (memoised, in an order where controllers come
/// first; without recursion, so a chain of any length is safe). A chain
/// grows by one link per entity and is clipped to [`CHAIN_SHOWN`] links,
/// so the whole is linear in the size of the control graph.
fn ultimates<'a>(
    s: &Structure,
    state: &State,
    direct: &'a BTreeMap<String, Vec<Controller>>,
) -> std::collections::HashMap<&'a str, Chains> {
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    let certain = |e: &str| direct.get(e).is_some_and(|d| d.iter().any(|x| x.certain));
    let mut done: HashMap<&'a str, Chains> = HashMap::new();
    let mut open: std::collections::HashSet<&'a str> = Default::default();
    for root in direct.keys() {
        let mut stack: Vec<(&'a str, bool)> = vec![(root.as_str(), false)];
        while let Some((e, ready)) = stack.pop() {
            if done.contains_key(e) {
                continue;
            }
            let controllers = direct.get(e).map(Vec::as_slice).unwrap_or_default();
            if !ready {
                if !open.insert(e) {
                    continue;
                }
                stack.push((e, true));
                for c in controllers.iter().filter(|c| c.certain) {
                    let c = c.controller.as_str();
                    if certain(c) && !done.contains_key(c) && !open.contains(c) {
                        stack.push((c, false));
                    }
                }
                continue;
            }
            let mut out = Chains::default();
            let mut seen = std::collections::HashSet::new();
            let mut keep = |out: &mut Chains, k: KeptChain| {
                if seen.insert((k.ultimate.controller.clone(), k.parties)) {
                    out.paths = out.paths.saturating_add(1);
                    if out.kept.len() < CHAINS_KEPT {
                        out.kept.push(k);
                    }
                }
            };
            for c in controllers.iter().filter(|c| c.certain) {
                let link = Link {
                    controller: c.controller.clone(),
                    controlled: e.to_string(),
                    basis: c.basis,
                    detail: c.detail.clone(),
                    source: c.source.clone(),
                };
                let hash_of = |before: u64| {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    (before, c.controller.as_str()).hash(&mut h);
                    h.finish()
                };
                let top = |kind: &str, members: Vec<String>| KeptChain {
                    ultimate: Ultimate {
                        controller: c.controller.clone(),
                        name: c.name.clone(),
                        kind: kind.into(),
                        members,
                        chain: vec![link.clone()],
                        links_omitted: 0,
                    },
                    parties: hash_of(0),
                };
                let is_person = s.party(&c.controller).is_some_and(|p| p.kind.is_person());
                let upper = done.get(c.controller.as_str());
                if c.basis == Basis::Board {
                    keep(&mut out, top("body", stakes(s, state, e).board_members));
                } else if let Some(g) = s.group(&c.controller) {
                    keep(&mut out, top("group", g.members.clone()));
                } else if is_person {
                    keep(&mut out, top("person", Vec::new()));
                } else if let Some(upper) = upper.filter(|u| u.paths > 0) {
                    // Each of the controller's chains, one link longer.
                    let skipped = upper.paths - upper.kept.len() as u64;
                    for k in &upper.kept {
                        let mut u = k.ultimate.clone();
                        u.chain.push(link.clone());
                        if u.chain.len() > CHAIN_SHOWN {
                            u.chain.remove(CHAIN_SHOWN / 2);
                            u.links_omitted += 1;
                        }
                        keep(
                            &mut out,
                            KeptChain {
                                ultimate: u,
                                parties: hash_of(k.parties),
                            },
                        );
                    }
                    out.paths = out.paths.saturating_add(skipped);
                } else {
                    // No one controls the controller (or it is in a cycle,
                    // which `control_cycles` reports).
                    keep(&mut out, top("entity", Vec::new()));
                }
            }
            open.remove(e);
            done.insert(e, out);
        }
    }
    done
}

/// Who controls whom directly (certainly), to ask whether a party
/// controls an entity through a chain of any length without listing the
/// chain.
pub struct Upstream<'a> {
    direct: std::collections::HashMap<&'a str, &'a [Controller]>,
}

impl<'a> Upstream<'a> {
    pub fn of(entities: &'a [EntityControl]) -> Self {
        Upstream {
            direct: entities
                .iter()
                .map(|e| (e.entity.as_str(), e.direct.as_slice()))
                .collect(),
        }
    }

    /// Whether `party` controls `entity` through a chain of certain direct
    /// controllers: a walk up from `entity` that stops when it meets
    /// `party` (one step, where `party` is its direct controller).
    pub fn reaches(&self, party: &str, entity: &str) -> bool {
        let mut seen = std::collections::HashSet::new();
        let mut todo = vec![entity];
        while let Some(x) = todo.pop() {
            for c in self
                .direct
                .get(x)
                .copied()
                .unwrap_or_default()
                .iter()
                .filter(|c| c.certain)
            {
                if c.controller == party {
                    return true;
                }
                if seen.insert(c.controller.as_str()) {
                    todo.push(c.controller.as_str());
                }
            }
        }
        false
    }
}

fn divergences(s: &Structure, state: &State, entities: &[EntityControl]) -> Vec<Divergence> {
    let mut out = Vec::new();
    let by_id: std::collections::HashMap<&str, &EntityControl> =
        entities.iter().map(|e| (e.entity.as_str(), e)).collect();
    let ultimates_of = |id: &str| -> BTreeSet<String> {
        by_id
            .get(id)
            .map(|e| e.ultimate.iter().map(|u| u.controller.clone()).collect())
            .unwrap_or_default()
    };
    let up = Upstream::of(entities);
    for e in entities {
        // The parties in control: those up the chains (found by a walk up,
        // not from the chains, which are clipped), and bodies' members.
        let members: BTreeSet<&str> = e
            .ultimate
            .iter()
            .flat_map(|u| u.members.iter().map(String::as_str))
            .collect();
        let in_control = |h: &str| members.contains(h) || up.reaches(h, &e.entity);
        let tops = ultimates_of(&e.entity);
        let controllers = tops
            .iter()
            .map(|c| s.name(c).to_string())
            .collect::<Vec<_>>()
            .join(", ");
        // Economic holders outside the control group: neither in a chain
        // nor controlled by the same ultimate controllers.
        let outside = |h: &str| !in_control(h) && ultimates_of(h).is_disjoint(&tops);
        let mut outsiders = false;
        // Each holder's interests of one kind are judged together: 15% and
        // 15% are 30%, and a holder of two classes is named once, with its
        // whole share (each interest's share stated, else counted from
        // units).
        type Part = (Portion, String, bool);
        let mut held: Vec<(&str, crate::model::InterestType, Vec<Part>)> = Vec::new();
        for i in state.interests_in(&e.entity) {
            if !i.kind.is_economic() {
                continue;
            }
            let Some(h) = &i.holder else { continue };
            if !outside(h) {
                continue;
            }
            outsiders = true;
            let part = match &i.share {
                Some(share) => (Portion::of_share(share), share.label(), false),
                None => match unit_share(state, i) {
                    Some(p) => (p, p.label(), true),
                    None => continue,
                },
            };
            match held
                .iter_mut()
                .find(|(x, k, _)| *x == h.as_str() && *k == i.kind)
            {
                Some((_, _, parts)) => parts.push(part),
                None => held.push((h.as_str(), i.kind, vec![part])),
            }
        }
        for (h, kind, parts) in held {
            let total = parts
                .iter()
                .map(|(p, _, _)| *p)
                .reduce(Portion::plus)
                .unwrap_or(Portion::UNKNOWN);
            if total.hi < SIGNIFICANT_SHARE / Decimal::ONE_HUNDRED {
                continue;
            }
            let by_units = |all: bool| if all { ", by units" } else { "" };
            let label = match parts.as_slice() {
                [(_, one, units)] => format!("{one}{}", by_units(*units)),
                _ => {
                    let all_units = parts.iter().all(|(_, _, u)| *u);
                    let each: Vec<String> = parts
                        .iter()
                        .map(|(_, l, u)| format!("{l}{}", by_units(*u && !all_units)))
                        .collect();
                    format!(
                        "{} in all{}: {}",
                        total.label(),
                        by_units(all_units),
                        each.join(" and ")
                    )
                }
            };
            out.push(Divergence {
                kind: "economic-without-control".into(),
                party: h.to_string(),
                entity: e.entity.clone(),
                explanation: format!(
                    "{} {} {} ({label}) and no control: {} is controlled by {controllers}",
                    s.name(h),
                    kind.plain(),
                    e.name,
                    e.name
                ),
            });
        }
        // Where others bear the economics: controllers (a body's members)
        // with no economic interest in the entity or along the chain.
        if outsiders {
            for u in &e.ultimate {
                let upstream = economic_upstream(state, &e.entity);
                let holds = |p: &str| {
                    upstream.contains(p)
                        || state.active_interests().any(|i| {
                            i.kind.is_economic()
                                && i.holder.as_deref() == Some(p)
                                && up.reaches(&i.subject, &e.entity)
                        })
                };
                let candidates: Vec<&str> = if u.kind == "body" {
                    u.members.iter().map(String::as_str).collect()
                } else {
                    vec![u.controller.as_str()]
                };
                let all = candidates.len();
                let without: Vec<&str> = candidates.into_iter().filter(|p| !holds(p)).collect();
                if without.is_empty() {
                    continue;
                }
                // Which members: all of them, or some (a member who holds
                // an interest is not to be counted among those who hold none).
                let which = if without.len() == all {
                    if all == 1 {
                        "its only member".to_string()
                    } else {
                        format!("none of its {all} members")
                    }
                } else {
                    format!("{} of its {all} members", without.len())
                };
                let names = without
                    .iter()
                    .map(|p| s.name(p))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Divergence {
                    kind: "control-without-economic-interest".into(),
                    party: u.controller.clone(),
                    entity: e.entity.clone(),
                    explanation: if u.kind == "body" {
                        if without.len() == all && all > 1 {
                            // "Control of X rests with Y": a body's name
                            // may be singular (a board) or plural
                            // (trustees), so no verb agrees with it.
                            format!(
                                "Control of {} rests with {}, but {which} ({names}) holds an economic interest in it",
                                e.name, u.name
                            )
                        } else {
                            format!(
                                "Control of {} rests with {}, but {which} ({names}) {} no economic interest in it",
                                e.name,
                                u.name,
                                if without.len() == 1 { "holds" } else { "hold" }
                            )
                        }
                    } else {
                        format!("{names} controls {} but holds no economic interest in it", e.name)
                    },
                });
            }
        }
        // Votes far above capital: dual classes, foundations' votes carried
        // by others, voting trusts.
        for h in &e.holders {
            let ratio = h.ratio.as_deref().and_then(|r| r.parse::<Decimal>().ok());
            if let Some(r) = ratio.filter(|r| *r >= DISPROPORTION) {
                out.push(Divergence {
                    kind: "votes-above-capital".into(),
                    party: h.party.clone(),
                    entity: e.entity.clone(),
                    explanation: format!(
                        "{} {} {} of the votes of {} with {} of its capital: {r} times its capital",
                        h.name,
                        // A group acting in concert is its members: plural.
                        if s.group.iter().any(|g| g.id == h.party) {
                            "hold"
                        } else {
                            "holds"
                        },
                        h.votes.as_deref().unwrap_or("?"),
                        e.name,
                        h.capital.as_deref().unwrap_or("?")
                    ),
                });
            }
        }
        if !e.joint.is_empty() {
            let groups: Vec<String> = e
                .joint
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|p| s.name(p).to_string())
                        .collect::<Vec<_>>()
                        .join(" and ")
                })
                .collect();
            out.push(Divergence {
                kind: "joint-control".into(),
                party: e.joint[0].join("+"),
                entity: e.entity.clone(),
                explanation: format!(
                    "no one holds a majority of the votes of {} alone; together, {} would",
                    e.name,
                    groups.join("; or ")
                ),
            });
        }
        // Officers with no economic interest in the entity or in anything
        // it controls: their position rests on the body that appoints them.
        let controlled: BTreeSet<&str> = entities
            .iter()
            .filter(|x| !e.officers.is_empty() && up.reaches(&e.entity, &x.entity))
            .map(|x| x.entity.as_str())
            .chain(std::iter::once(e.entity.as_str()))
            .collect();
        for o in &e.officers {
            let holds = controlled
                .iter()
                .any(|x| economic_upstream(state, x).contains(o.holder.as_str()));
            if !holds {
                let appointer = s
                    .office(&o.office)
                    .and_then(|x| x.filled_by.clone())
                    .or_else(|| {
                        s.body
                            .iter()
                            .find(|b| b.entity == e.entity && b.kind == BodyKind::Board)
                            .map(|b| b.id.clone())
                    })
                    .map(|b| s.name(&b).to_string())
                    .unwrap_or_else(|| "whoever appoints them".to_string());
                out.push(Divergence {
                    kind: "office-without-economic-interest".into(),
                    party: o.holder.clone(),
                    entity: e.entity.clone(),
                    explanation: format!(
                        "{} is {} of {} and holds no economic interest in it or in what it controls: the office rests on {appointer} alone",
                        o.name, o.title, e.name
                    ),
                });
            }
        }
    }
    out
}

/// Every party with an economic interest in `entity`, directly or through
/// entities that hold one (look-through), cycles included once.
pub fn economic_upstream(state: &State, entity: &str) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue = vec![entity.to_string()];
    while let Some(x) = queue.pop() {
        for i in state.interests_in(&x) {
            if i.kind.is_economic()
                && let Some(h) = &i.holder
                && seen.insert(h.clone())
            {
                queue.push(h.clone());
            }
        }
    }
    seen
}

/// Cycles of control: an entity that, through control rights, controls
/// itself. Checked on every date an interest starts.
pub fn control_cycles(s: &Structure) -> Vec<Diagnostic> {
    let mut dates: BTreeSet<Option<NaiveDate>> = BTreeSet::new();
    dates.insert(None);
    dates.extend(s.interest.iter().filter_map(|i| i.start.map(Some)));
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut out = Vec::new();
    for date in dates {
        let mut state = State::initial(s);
        state.date = date;
        let mut edges: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for p in s.party.iter().filter(|p| !p.kind.is_person()) {
            for c in direct_controllers(s, &state, &p.id) {
                if c.certain && s.party(&c.controller).is_some_and(|x| !x.kind.is_person()) {
                    edges
                        .entry(c.controller.clone())
                        .or_default()
                        .push((p.id.clone(), c.interest.clone().unwrap_or_default()));
                }
            }
        }
        // Each strongly connected component is one knot of control: one
        // cycle through its first member is reported (linear in the size
        // of the graph, however long the chain or the ring).
        for knot in knots(&edges) {
            let start = knot[0].as_str();
            let within: BTreeSet<&str> = knot.iter().map(String::as_str).collect();
            if let Some(cycle) = find_cycle(&edges, start, &within) {
                let mut key: Vec<String> = cycle.iter().map(|(n, _)| n.clone()).collect();
                key.sort();
                if !found.insert(key) {
                    continue;
                }
                let path_text = cycle
                    .iter()
                    .map(|(n, _)| s.name(n).to_string())
                    .chain(std::iter::once(s.name(start).to_string()))
                    .collect::<Vec<_>>()
                    .join(" → ");
                let interest = cycle
                    .iter()
                    .find_map(|(_, i)| s.interest.iter().position(|x| &x.id == i));
                let path = interest.map_or_else(Path::root, |i| Path::item("interest", i));
                out.push(
                    Diagnostic::error(path, format!("cycle of control: {path_text}"))
                        .expected("control that ends at a person, a body or an uncontrolled entity")
                        .hint("an entity cannot control itself; check the types and shares of these interests"),
                );
            }
        }
    }
    out
}

/// The members (in id order) of each strongly connected component of
/// `edges` that holds a cycle: two or more members, or one with an edge to
/// itself. Tarjan's algorithm, without recursion.
fn knots(edges: &BTreeMap<String, Vec<(String, String)>>) -> Vec<Vec<String>> {
    let mut ids: Vec<&str> = edges.keys().map(String::as_str).collect();
    for outs in edges.values() {
        ids.extend(outs.iter().map(|(to, _)| to.as_str()));
    }
    ids.sort_unstable();
    ids.dedup();
    let at = |id: &str| ids.binary_search(&id).ok();
    let succ: Vec<Vec<usize>> = ids
        .iter()
        .map(|id| {
            edges
                .get(*id)
                .map(|outs| outs.iter().filter_map(|(to, _)| at(to)).collect())
                .unwrap_or_default()
        })
        .collect();
    const UNSEEN: usize = usize::MAX;
    let n = ids.len();
    let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
    let (mut next, mut stack, mut out) = (0, Vec::new(), Vec::new());
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut calls: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut k)) = calls.last_mut() {
            if let Some(&w) = succ[v].get(*k) {
                *k += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                if members.len() > 1 || succ[v].contains(&v) {
                    members.sort_unstable();
                    out.push(members.iter().map(|&m| ids[m].to_string()).collect());
                }
            }
        }
    }
    out.sort();
    out
}

/// A cycle through `start`, as (node, interest into the next node),
/// through the nodes `within` only.
fn find_cycle(
    edges: &BTreeMap<String, Vec<(String, String)>>,
    start: &str,
    within: &BTreeSet<&str>,
) -> Option<Vec<(String, String)>> {
    let mut stack: Vec<(String, usize)> = vec![(start.to_string(), 0)];
    let mut path: Vec<(String, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    while let Some((node, next)) = stack.pop() {
        let outs = edges.get(&node).map(Vec::as_slice).unwrap_or_default();
        if next < outs.len() {
            stack.push((node.clone(), next + 1));
            let (to, via) = &outs[next];
            if to == start {
                path.push((node, via.clone()));
                return Some(path);
            }
            if within.contains(to.as_str()) && seen.insert(to.clone()) {
                path.push((node, via.clone()));
                stack.push((to.clone(), 0));
            }
        } else {
            path.pop();
        }
    }
    None
}
