//! Control: who controls each entity, by what right, and who stands at the
//! top of each chain.
//!
//! A party controls an entity directly when it holds:
//! - more than half of the votes (`votingRights`, or `shareholding` that
//!   carries votes);
//! - the right to appoint or remove the board (`appointmentOfBoard`, or a
//!   body's `filled_by`);
//! - control through the company rules (`controlViaCompanyRulesOrArticles`:
//!   a managing member or a general partner), or by a legal framework;
//! - a trusteeship of a trust;
//! - an interest of type `otherInfluenceOrControl` (BODS's catch-all for
//!   control other than votes, board appointment and company rules).
//!
//! An entity that no party controls in one of those ways is controlled by
//! its board, which manages it (DGCL §141(a)); a board that fills its own
//! seats is itself an ultimate controller, collectively.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Path};
use crate::model::{BodyKind, Interest, InterestType, PartyKind, Structure};
use crate::timeline::State;

/// A right by which one party controls an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", tag = "right", content = "detail")]
pub enum Right {
    /// More than half of the votes.
    MajorityOfVotes(String),
    /// The right to appoint or remove the board.
    AppointBoard(String),
    /// Control through the company rules: managing member, general partner.
    CompanyRules(String),
    /// Control given by law.
    LegalFramework(String),
    /// Trustee of a trust.
    Trustee(String),
    /// Other influence or control, flagged as control.
    Other(String),
    /// The board manages the entity.
    Board(String),
}

impl Right {
    pub fn describe(&self) -> String {
        match self {
            Right::MajorityOfVotes(d) => format!("majority of votes ({d})"),
            Right::AppointBoard(d) => format!("right to appoint or remove the board ({d})"),
            Right::CompanyRules(d) => format!("control via company rules ({d})"),
            Right::LegalFramework(d) => format!("control by legal framework ({d})"),
            Right::Trustee(d) => format!("trustee ({d})"),
            Right::Other(d) => format!("other influence or control ({d})"),
            Right::Board(d) => format!("board manages the entity ({d})"),
        }
    }
}

/// One direct controller of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Controller {
    /// A party or body id.
    pub controller: String,
    pub name: String,
    pub right: Right,
    /// The interest the right comes from, when it comes from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interest: Option<String>,
}

/// One link of a control chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Link {
    pub controller: String,
    pub controlled: String,
    pub right: Right,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// From the ultimate controller down to the entity.
    pub chain: Vec<Link>,
}

/// A party's economic interest in an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Economic {
    pub party: String,
    pub name: String,
    pub interest: String,
    #[serde(rename = "type")]
    pub kind: InterestType,
    pub share: Option<String>,
}

/// Control of one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EntityControl {
    pub entity: String,
    pub name: String,
    pub kind: PartyKind,
    pub direct: Vec<Controller>,
    pub ultimate: Vec<Ultimate>,
    /// Office holders (CEO, president, ...).
    pub officers: Vec<Officer>,
    pub economic: Vec<Economic>,
}

/// An office and its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Officer {
    pub office: String,
    pub title: String,
    pub holder: String,
    pub name: String,
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
    pub entities: Vec<EntityControl>,
    pub divergences: Vec<Divergence>,
}

/// The economic share at or above which a party without control is
/// reported as a divergence (the usual beneficial-ownership threshold).
pub const SIGNIFICANT_SHARE: Decimal = Decimal::from_parts(25, 0, 0, false, 0);

/// Control of every entity in `s` in `state`.
pub fn control(s: &Structure, state: &State) -> ControlReport {
    let direct: BTreeMap<String, Vec<Controller>> = s
        .party
        .iter()
        .filter(|p| !p.kind.is_person())
        .map(|p| (p.id.clone(), direct_controllers(s, state, &p.id)))
        .collect();
    let mut entities = Vec::new();
    for p in s.party.iter().filter(|p| !p.kind.is_person()) {
        let mut ultimate = Vec::new();
        let mut visiting = BTreeSet::new();
        ultimates(
            s,
            state,
            &direct,
            &p.id,
            &mut Vec::new(),
            &mut visiting,
            &mut ultimate,
        );
        // Two rights over the same link give the same chain of parties.
        let mut seen = BTreeSet::new();
        ultimate.retain(|u| {
            let nodes: Vec<&str> = u.chain.iter().map(|l| l.controller.as_str()).collect();
            seen.insert(format!("{}|{}", u.controller, nodes.join(">")))
        });
        let officers = officers(s, state, Some(&p.id));
        let economic = state
            .active_interests()
            .filter(|i| i.subject == p.id && i.kind.is_economic())
            .map(|i| Economic {
                party: holder_id(i),
                name: i
                    .holder
                    .as_deref()
                    .map(|h| s.name(h))
                    .unwrap_or("unspecified")
                    .to_string(),
                interest: i.id.clone(),
                kind: i.kind,
                share: i
                    .share
                    .as_ref()
                    .map(|sh| sh.label())
                    .or_else(|| unit_share(state, i)),
            })
            .collect();
        entities.push(EntityControl {
            entity: p.id.clone(),
            name: p.name.clone(),
            kind: p.kind,
            direct: direct.get(&p.id).cloned().unwrap_or_default(),
            ultimate,
            officers,
            economic,
        });
    }
    let divergences = divergences(s, state, &entities);
    ControlReport {
        date: state.date,
        entities,
        divergences,
    }
}

/// A shareholding's share of all units of its subject, when every
/// shareholding in the subject states its units.
fn unit_share(state: &State, i: &Interest) -> Option<String> {
    let units = i.units?;
    let mut total = Decimal::ZERO;
    for x in state.active_interests() {
        if x.subject == i.subject && x.kind == InterestType::Shareholding {
            total += x.units?;
        }
    }
    if total.is_zero() {
        return None;
    }
    let pct = (units * Decimal::ONE_HUNDRED / total).round_dp(2);
    Some(format!("{}% (by units)", pct.normalize()))
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
            })
        })
        .collect()
}

fn holder_id(i: &Interest) -> String {
    i.holder
        .clone()
        .unwrap_or_else(|| "unspecified".to_string())
}

/// The parties that directly control `entity`, and by what right.
pub fn direct_controllers(s: &Structure, state: &State, entity: &str) -> Vec<Controller> {
    let mut out = Vec::new();
    let name = |id: &str| s.name(id).to_string();
    let interests: Vec<&Interest> = state
        .active_interests()
        .filter(|i| i.subject == entity && i.holder.is_some())
        .collect();
    // Votes: explicit voting rights, else shareholdings that carry votes.
    let mut votes: BTreeMap<&str, (Decimal, Vec<&str>)> = BTreeMap::new();
    let has_voting = interests
        .iter()
        .any(|i| i.kind == InterestType::VotingRights);
    for i in &interests {
        let counts = match i.kind {
            InterestType::VotingRights => true,
            InterestType::Shareholding => !has_voting && i.votes_per_unit != Some(Decimal::ZERO),
            _ => false,
        };
        if counts
            && let (Some(h), Some(lo)) = (
                i.holder.as_deref(),
                i.share.as_ref().and_then(|s| s.lower()),
            )
        {
            let e = votes.entry(h).or_default();
            e.0 += lo;
            e.1.push(&i.id);
        }
    }
    for (holder, (share, ids)) in votes {
        if share > Decimal::from(50) {
            out.push(Controller {
                controller: holder.to_string(),
                name: name(holder),
                right: Right::MajorityOfVotes(format!("{}% of votes", share.normalize())),
                interest: ids.first().map(|s| s.to_string()),
            });
        }
    }
    // Weighted holder bodies: a holder with more than half of the votes.
    for body in s
        .body
        .iter()
        .filter(|b| b.entity == entity && b.kind == BodyKind::Shareholders)
    {
        let voters = state.voters(body);
        let total: u64 = voters.iter().map(|(_, v)| v).sum();
        for (p, v) in voters {
            if total > 0 && v * 2 > total && !out.iter().any(|c| c.controller == p) {
                out.push(Controller {
                    name: name(&p),
                    right: Right::MajorityOfVotes(format!("{v} of {total} votes in {}", body.name)),
                    controller: p,
                    interest: None,
                });
            }
        }
    }
    for i in &interests {
        let holder = i.holder.clone().unwrap_or_default();
        let detail = i.details.clone();
        let right = match i.kind {
            InterestType::AppointmentOfBoard => {
                Right::AppointBoard(detail.unwrap_or_else(|| "appointmentOfBoard".into()))
            }
            InterestType::ControlViaCompanyRulesOrArticles => {
                Right::CompanyRules(detail.unwrap_or_else(|| "company rules or articles".into()))
            }
            InterestType::ControlByLegalFramework => {
                Right::LegalFramework(detail.unwrap_or_else(|| "legal framework".into()))
            }
            InterestType::Trustee => Right::Trustee(detail.unwrap_or_else(|| "trustee".into())),
            InterestType::OtherInfluenceOrControl => {
                Right::Other(detail.unwrap_or_else(|| "other influence or control".into()))
            }
            _ => continue,
        };
        out.push(Controller {
            name: name(&holder),
            controller: holder,
            right,
            interest: Some(i.id.clone()),
        });
    }
    // A board filled by someone else gives that someone control.
    for body in s
        .body
        .iter()
        .filter(|b| b.entity == entity && b.kind == BodyKind::Board)
    {
        if let Some(f) = &body.filled_by
            && f != &body.id
            && !out.iter().any(|c| &c.controller == f)
        {
            out.push(Controller {
                controller: f.clone(),
                name: name(f),
                right: Right::AppointBoard(format!("fills the seats of {}", body.name)),
                interest: None,
            });
        }
    }
    if out.is_empty()
        && let Some(board) = s
            .body
            .iter()
            .find(|b| b.entity == entity && b.kind == BodyKind::Board)
    {
        out.push(Controller {
            controller: board.id.clone(),
            name: board.name.clone(),
            right: Right::Board(
                "no party holds a controlling right; the board manages the entity".into(),
            ),
            interest: None,
        });
    }
    out
}

fn ultimates(
    s: &Structure,
    state: &State,
    direct: &BTreeMap<String, Vec<Controller>>,
    entity: &str,
    chain: &mut Vec<Link>,
    visiting: &mut BTreeSet<String>,
    out: &mut Vec<Ultimate>,
) {
    if !visiting.insert(entity.to_string()) {
        return; // A cycle; reported by `control_cycles`.
    }
    let controllers = direct.get(entity).cloned().unwrap_or_default();
    for c in controllers {
        chain.push(Link {
            controller: c.controller.clone(),
            controlled: entity.to_string(),
            right: c.right.clone(),
        });
        let top = || chain.iter().rev().cloned().collect::<Vec<_>>();
        if let Some(body) = s.body(&c.controller) {
            match &body.filled_by {
                Some(f) if f != &body.id && !visiting.contains(f) => {
                    chain.push(Link {
                        controller: f.clone(),
                        controlled: body.id.clone(),
                        right: Right::AppointBoard(format!("fills the seats of {}", body.name)),
                    });
                    if s.party(f).is_some_and(|p| p.kind.is_person()) {
                        out.push(Ultimate {
                            controller: f.clone(),
                            name: s.name(f).to_string(),
                            kind: "person".into(),
                            members: Vec::new(),
                            chain: chain.iter().rev().cloned().collect(),
                        });
                    } else {
                        ultimates(s, state, direct, f, chain, visiting, out);
                    }
                    chain.pop();
                }
                _ if majority_voter(state, body).is_some() => {
                    let (holder, votes, total) = majority_voter(state, body).unwrap_or_default();
                    chain.push(Link {
                        controller: holder.clone(),
                        controlled: body.id.clone(),
                        right: Right::MajorityOfVotes(format!(
                            "{votes} of {total} votes in {}",
                            body.name
                        )),
                    });
                    if s.party(&holder).is_some_and(|p| p.kind.is_person())
                        || direct.get(&holder).is_none_or(|d| d.is_empty())
                        || visiting.contains(&holder)
                    {
                        out.push(Ultimate {
                            controller: holder.clone(),
                            name: s.name(&holder).to_string(),
                            kind: if s.party(&holder).is_some_and(|p| p.kind.is_person()) {
                                "person".into()
                            } else {
                                "entity".into()
                            },
                            members: Vec::new(),
                            chain: chain.iter().rev().cloned().collect(),
                        });
                    } else {
                        ultimates(s, state, direct, &holder, chain, visiting, out);
                    }
                    chain.pop();
                }
                _ => out.push(Ultimate {
                    controller: body.id.clone(),
                    name: body.name.clone(),
                    kind: "body".into(),
                    members: state.voters(body).into_iter().map(|(p, _)| p).collect(),
                    chain: top(),
                }),
            }
        } else if s.party(&c.controller).is_some_and(|p| p.kind.is_person()) {
            out.push(Ultimate {
                controller: c.controller.clone(),
                name: c.name.clone(),
                kind: "person".into(),
                members: Vec::new(),
                chain: top(),
            });
        } else if direct.get(&c.controller).is_some_and(|d| !d.is_empty())
            && !visiting.contains(&c.controller)
        {
            ultimates(s, state, direct, &c.controller, chain, visiting, out);
        } else {
            out.push(Ultimate {
                controller: c.controller.clone(),
                name: c.name.clone(),
                kind: "entity".into(),
                members: Vec::new(),
                chain: top(),
            });
        }
        chain.pop();
    }
    visiting.remove(entity);
}

fn divergences(s: &Structure, state: &State, entities: &[EntityControl]) -> Vec<Divergence> {
    let mut out = Vec::new();
    let ultimates_of = |id: &str| -> BTreeSet<String> {
        entities
            .iter()
            .find(|e| e.entity == id)
            .map(|e| e.ultimate.iter().map(|u| u.controller.clone()).collect())
            .unwrap_or_default()
    };
    for e in entities {
        let in_control: BTreeSet<&str> = e
            .ultimate
            .iter()
            .flat_map(|u| {
                u.chain
                    .iter()
                    .map(|l| l.controller.as_str())
                    .chain(u.members.iter().map(String::as_str))
            })
            .collect();
        let tops = ultimates_of(&e.entity);
        let controllers = tops
            .iter()
            .map(|c| s.name(c).to_string())
            .collect::<Vec<_>>()
            .join(", ");
        // Economic holders outside the control group: neither in a chain
        // nor controlled by the same ultimate controllers.
        let outside = |h: &str| !in_control.contains(h) && ultimates_of(h).is_disjoint(&tops);
        let mut outsiders = false;
        for i in state.active_interests() {
            if i.subject != e.entity || !i.kind.is_economic() {
                continue;
            }
            let Some(h) = &i.holder else { continue };
            if !outside(h) {
                continue;
            }
            outsiders = true;
            let Some(share) = &i.share else { continue };
            if share.upper().is_some_and(|u| u >= SIGNIFICANT_SHARE) {
                out.push(Divergence {
                    kind: "economic-without-control".into(),
                    party: h.clone(),
                    entity: e.entity.clone(),
                    explanation: format!(
                        "{} holds {} ({}) of {} and no control: {} is controlled by {controllers}",
                        s.name(h),
                        share.label(),
                        i.kind.code(),
                        e.name,
                        e.name
                    ),
                });
            }
        }
        // Where others bear the economics: controllers (a body's members)
        // with no economic interest in the entity or along the chain.
        if outsiders {
            for u in &e.ultimate {
                let chain_parties: BTreeSet<&str> =
                    u.chain.iter().map(|l| l.controller.as_str()).collect();
                let upstream = economic_upstream(state, &e.entity);
                let holds = |p: &str| {
                    upstream.contains(p)
                        || state.active_interests().any(|i| {
                            i.kind.is_economic()
                                && i.holder.as_deref() == Some(p)
                                && chain_parties.contains(i.subject.as_str())
                        })
                };
                let candidates: Vec<&str> = if u.kind == "body" {
                    u.members.iter().map(String::as_str).collect()
                } else {
                    vec![u.controller.as_str()]
                };
                let without: Vec<&str> = candidates.into_iter().filter(|p| !holds(p)).collect();
                if without.is_empty() {
                    continue;
                }
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
                        format!(
                            "{} controls {}, but its members ({names}) hold no economic interest in it",
                            u.name, e.name
                        )
                    } else {
                        format!("{names} controls {} but holds no economic interest in it", e.name)
                    },
                });
            }
        }
        // Officers with no economic interest in the entity or in anything
        // it controls: their position rests on the body that appoints them.
        let controlled: BTreeSet<&str> = entities
            .iter()
            .filter(|x| {
                x.ultimate
                    .iter()
                    .any(|u| u.chain.iter().any(|l| l.controller == e.entity))
            })
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

/// The member of a holder body with more than half of its votes, with
/// their votes and the total.
fn majority_voter(state: &State, body: &crate::model::Body) -> Option<(String, u64, u64)> {
    if !body.kind.is_holder_body() {
        return None;
    }
    let voters = state.voters(body);
    let total: u64 = voters.iter().map(|(_, v)| v).sum();
    voters
        .into_iter()
        .find(|(_, v)| total > 0 && v * 2 > total)
        .map(|(p, v)| (p, v, total))
}

/// Every party with an economic interest in `entity`, directly or through
/// entities that hold one (look-through), cycles included once.
pub fn economic_upstream(state: &State, entity: &str) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue = vec![entity.to_string()];
    while let Some(x) = queue.pop() {
        for i in state.active_interests() {
            if i.subject == x
                && i.kind.is_economic()
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
                if s.party(&c.controller).is_some_and(|x| !x.kind.is_person()) {
                    edges
                        .entry(c.controller.clone())
                        .or_default()
                        .push((p.id.clone(), c.interest.clone().unwrap_or_default()));
                }
            }
        }
        for start in edges.keys() {
            if let Some(cycle) = find_cycle(&edges, start) {
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

/// A cycle through `start`, as (node, interest into the next node).
fn find_cycle(
    edges: &BTreeMap<String, Vec<(String, String)>>,
    start: &str,
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
            if seen.insert(to.clone()) {
                path.push((node, via.clone()));
                stack.push((to.clone(), 0));
            }
        } else {
            path.pop();
        }
    }
    None
}

/// Whether an interest type is a control right.
pub fn is_control_type(kind: InterestType) -> bool {
    matches!(
        kind,
        InterestType::VotingRights
            | InterestType::AppointmentOfBoard
            | InterestType::ControlViaCompanyRulesOrArticles
            | InterestType::ControlByLegalFramework
            | InterestType::OtherInfluenceOrControl
            | InterestType::Trustee
            | InterestType::SeniorManagingOfficial
            | InterestType::BoardMember
            | InterestType::BoardChair
    )
}
