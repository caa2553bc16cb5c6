//! What changed in a structure between two dates: the acts in between with
//! their verdicts, who joined and left each body, chairs and offices,
//! interests started, ended or passed on, and who controls each entity.
//!
//! Both states come from the one fold of the timeline ([`state_as_of`]) and
//! control from [`control`]: the changes are exactly the difference of what
//! `state` and `control` say on each date.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::control::control;
use crate::model::{Interest, Structure};
use crate::timeline::{Outcome, State, state_as_of};

/// A party, body or office, by id and by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Named {
    pub id: String,
    pub name: String,
}

impl Named {
    fn of(s: &Structure, id: &str) -> Named {
        Named {
            id: id.to_string(),
            name: s.name(id).to_string(),
        }
    }
}

/// An act dated after `from`, up to `to`, with its verdict.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Act {
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What the act does, in words.
    pub summary: String,
    pub outcome: Outcome,
    /// Why it is invalid, or what would decide it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// The event's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Who joined and who left one body.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Seats {
    pub body: Named,
    pub joined: Vec<Named>,
    pub left: Vec<Named>,
    /// Members on `to`.
    pub members: usize,
}

/// A post (a body's chair, an office) held by someone else on `to`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Post {
    /// The body chaired, or the office.
    pub post: Named,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Named>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Named>,
}

/// How an interest changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InterestChange {
    /// In force on `to`, not on `from`.
    Started,
    /// In force on `from`, not on `to`.
    Ended,
    /// In force on both, held by another party.
    Transferred,
}

/// An interest that started, ended or passed to another holder.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct InterestDelta {
    pub change: InterestChange,
    pub interest: String,
    pub subject: Named,
    /// The BODS interest type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The holder on `from` (ended, transferred).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Named>,
    /// The holder on `to` (started, transferred).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Named>,
    /// The share, in percent, as stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    /// The interest's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// An ultimate controller as `control` names it, with a body's members.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct ControllerOn {
    pub controller: Named,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Named>,
}

/// An entity whose ultimate controllers differ between the dates.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ControlDelta {
    pub entity: Named,
    pub before: Vec<ControllerOn>,
    pub after: Vec<ControllerOn>,
}

/// A member's voting power in a body's game for one kind of decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MemberIndex {
    pub party: Named,
    /// The normalised Penrose-Banzhaf index, exact.
    #[schemars(schema_with = "crate::envelope::fraction_schema")]
    pub banzhaf: String,
    /// The same, as a decimal (6 places).
    pub banzhaf_decimal: String,
}

/// How a body's voting power for one kind of decision changed.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PowerDelta {
    pub body: Named,
    /// The decision kind, such as `remove-officer`.
    pub decision: String,
    /// The member the decision concerns (who may not vote on it), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Named>,
    pub before: Vec<MemberIndex>,
    pub after: Vec<MemberIndex>,
}

/// What changed between `from` and `to`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Changes {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Acts dated after `from` up to `to`, in timeline order.
    pub acts: Vec<Act>,
    pub seats: Vec<Seats>,
    pub chairs: Vec<Post>,
    pub offices: Vec<Post>,
    pub interests: Vec<InterestDelta>,
    pub control: Vec<ControlDelta>,
    /// Voting power, for the decisions the scenario asks about and, for a
    /// body whose members changed, for its first stated rule's decision.
    pub power: Vec<PowerDelta>,
    /// What the record cannot say over the span asked about: a start
    /// before the file's record begins is counted from its beginning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.acts.is_empty()
            && self.seats.is_empty()
            && self.chairs.is_empty()
            && self.offices.is_empty()
            && self.interests.is_empty()
            && self.control.is_empty()
            && self.power.is_empty()
    }
}

/// The changes in `s` from the end of `from` to the end of `to` (`from`
/// before `to`; equal dates give no change).
///
/// Before the file's record starts (`known_from`) it states no members,
/// officers or undated interests: a span that starts earlier would show the
/// record's own start as a change (everyone "joined"). Such a span is
/// counted from the end of the record's first day, and says so; one that
/// ends before the record starts finds nothing, and says why.
pub fn changes(s: &Structure, asked_from: NaiveDate, to: NaiveDate) -> Changes {
    let mut notes = Vec::new();
    let from = match s.known_from() {
        Some(k) if asked_from < k && k <= to => {
            notes.push(format!(
                "the file's record starts on {k}: it states nothing before, so the changes are counted from the end of {k}, not from {asked_from}"
            ));
            k
        }
        Some(k) if asked_from < k => {
            notes.push(format!(
                "the file's record starts on {k}: it states nothing of {asked_from} to {to}"
            ));
            return Changes {
                from: asked_from,
                to,
                acts: Vec::new(),
                seats: Vec::new(),
                chairs: Vec::new(),
                offices: Vec::new(),
                interests: Vec::new(),
                control: Vec::new(),
                power: Vec::new(),
                notes,
            };
        }
        _ => asked_from,
    };
    let (before, _) = state_as_of(s, from);
    let (after, verdicts) = state_as_of(s, to);
    let acts = verdicts
        .into_iter()
        .filter(|v| v.date > from && v.date <= to)
        .map(|v| Act {
            date: v.date,
            id: v.id,
            source: v.source,
            summary: v.summary,
            outcome: v.outcome,
            reasons: if v.reasons.is_empty() {
                v.would_decide
            } else {
                v.reasons
            },
        })
        .collect();
    let seats = seats(s, &before, &after);
    let power = power_changes(s, &before, &after, &seats);
    Changes {
        from,
        to,
        acts,
        power,
        seats,
        chairs: posts(s, &before.chairs, &after.chairs),
        offices: posts(s, &before.holders, &after.holders),
        interests: interests(s, &before, &after),
        control: control_changes(s, &before, &after),
        notes,
    }
}

fn seats(s: &Structure, before: &State, after: &State) -> Vec<Seats> {
    let bodies: BTreeSet<&String> = before.members.keys().chain(after.members.keys()).collect();
    let none = Vec::new();
    let mut out = Vec::new();
    for body in bodies {
        let was = before.members.get(body).unwrap_or(&none);
        let is = after.members.get(body).unwrap_or(&none);
        let joined: Vec<Named> = is
            .iter()
            .filter(|m| !was.contains(m))
            .map(|m| Named::of(s, m))
            .collect();
        let left: Vec<Named> = was
            .iter()
            .filter(|m| !is.contains(m))
            .map(|m| Named::of(s, m))
            .collect();
        if joined.is_empty() && left.is_empty() {
            continue;
        }
        out.push(Seats {
            body: Named::of(s, body),
            joined,
            left,
            members: is.len(),
        });
    }
    out
}

fn posts(
    s: &Structure,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<Post> {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| Post {
            post: post_name(s, k),
            before: before.get(k).map(|p| Named::of(s, p)),
            after: after.get(k).map(|p| Named::of(s, p)),
        })
        .collect()
}

/// A body by its name, an office by its title and entity.
fn post_name(s: &Structure, id: &str) -> Named {
    match s.office(id) {
        Some(o) => Named {
            id: id.to_string(),
            name: format!("{} of {}", o.title, s.name(&o.entity)),
        },
        None => Named::of(s, id),
    }
}

fn interests(s: &Structure, before: &State, after: &State) -> Vec<InterestDelta> {
    let active = |state: &State| -> BTreeMap<String, Interest> {
        state
            .active_interests()
            .map(|i| (i.id.clone(), i.clone()))
            .collect()
    };
    let (was, is) = (active(before), active(after));
    let holder = |i: &Interest| i.holder.as_deref().map(|h| Named::of(s, h));
    let delta = |change, i: &Interest, before, after| InterestDelta {
        change,
        interest: i.id.clone(),
        subject: Named::of(s, &i.subject),
        kind: i.kind.code().to_string(),
        before,
        after,
        share: i.share.as_ref().map(|x| x.label()),
        source: i.source.clone(),
    };
    let mut out = Vec::new();
    for (id, i) in &is {
        match was.get(id) {
            None => out.push(delta(InterestChange::Started, i, None, holder(i))),
            Some(w) if w.holder != i.holder => {
                out.push(delta(InterestChange::Transferred, i, holder(w), holder(i)));
            }
            Some(_) => {}
        }
    }
    for (id, w) in &was {
        if !is.contains_key(id) {
            out.push(delta(InterestChange::Ended, w, holder(w), None));
        }
    }
    out.sort_by(|a, b| (&a.subject.id, &a.interest).cmp(&(&b.subject.id, &b.interest)));
    out
}

fn control_changes(s: &Structure, before: &State, after: &State) -> Vec<ControlDelta> {
    let ultimate = |state: &State| -> BTreeMap<String, Vec<ControllerOn>> {
        control(s, state)
            .entities
            .into_iter()
            .map(|e| {
                let mut us: Vec<ControllerOn> = e
                    .ultimate
                    .iter()
                    .map(|u| ControllerOn {
                        controller: Named {
                            id: u.controller.clone(),
                            name: u.name.clone(),
                        },
                        members: u.members.iter().map(|m| Named::of(s, m)).collect(),
                    })
                    .collect();
                us.sort();
                us.dedup();
                (e.entity, us)
            })
            .collect()
    };
    let (was, is) = (ultimate(before), ultimate(after));
    let entities: BTreeSet<&String> = was.keys().chain(is.keys()).collect();
    let none = Vec::new();
    entities
        .into_iter()
        .filter(|e| was.get(*e).unwrap_or(&none) != is.get(*e).unwrap_or(&none))
        .map(|e| ControlDelta {
            entity: Named::of(s, e),
            before: was.get(e).cloned().unwrap_or_default(),
            after: is.get(e).cloned().unwrap_or_default(),
        })
        .collect()
}

/// The games asked about: the scenario's power questions, then the first
/// stated rule's decision of each body whose members changed.
fn power_changes(s: &Structure, before: &State, after: &State, seats: &[Seats]) -> Vec<PowerDelta> {
    let mut asked: Vec<(String, String, Option<String>)> = Vec::new();
    let mut ask = |q: (String, String, Option<String>)| {
        if !asked.contains(&q) {
            asked.push(q);
        }
    };
    for q in &s.scenario.power {
        ask((q.body.clone(), q.decision.clone(), q.subject.clone()));
    }
    for changed in seats {
        if let Some(r) = s
            .rule
            .iter()
            .find(|r| r.body == changed.body.id && r.decision != "*")
            && !asked
                .iter()
                .any(|(b, d, _)| *b == r.body && *d == r.decision)
        {
            asked.push((r.body.clone(), r.decision.clone(), None));
        }
    }
    asked
        .into_iter()
        .filter_map(|(body, decision, subject)| {
            let was = banzhaf(s, before, &body, &decision, subject.as_deref());
            let is = banzhaf(s, after, &body, &decision, subject.as_deref());
            (was != is).then(|| PowerDelta {
                body: Named::of(s, &body),
                decision,
                subject: subject.as_deref().map(|p| Named::of(s, p)),
                before: was,
                after: is,
            })
        })
        .collect()
}

/// Each voting member's normalised Banzhaf index in `body`'s game for
/// `decision` in `state` (none where the game cannot be built).
fn banzhaf(
    s: &Structure,
    state: &State,
    body: &str,
    decision: &str,
    subject: Option<&str>,
) -> Vec<MemberIndex> {
    use boardroom_power::{Index, Options, analyse};
    let Ok(bg) = crate::game::body_game(s, state, body, decision, subject) else {
        return Vec::new();
    };
    let Some(game) = &bg.game else {
        return Vec::new();
    };
    let options = Options {
        indices: vec![Index::Banzhaf],
        limit: 0,
        ..Options::default()
    };
    let Ok(a) = analyse(game, &bg.names, &options) else {
        return Vec::new();
    };
    a.players
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let x = p.banzhaf_normalised.as_ref()?.exact()?;
            Some(MemberIndex {
                party: Named::of(s, bg.players.get(i)?),
                banzhaf: x.rational(),
                banzhaf_decimal: x.decimal(6),
            })
        })
        .collect()
}
