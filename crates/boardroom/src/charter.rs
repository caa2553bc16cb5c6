//! Charter constraints: what an entity's charter or an agreement forbids
//! (a holder losing its votes, a party losing control, a class changing
//! hands), checked on a state. The timeline refuses an act that would
//! breach one; the report lists the dates on which one is breached.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::control::{Portion, control, counted_votes, stakes};
use crate::model::{Constraint, Structure};
use crate::timeline::State;

/// A constraint breached on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Breach {
    pub constraint: String,
    pub entity: String,
    /// What is breached, in words.
    pub explanation: String,
}

/// The constraints `state` breaches (those whose entity exists).
pub fn breaches(s: &Structure, state: &State) -> Vec<Breach> {
    let mut out = Vec::new();
    let report = if s.constraint.iter().any(|c| c.controlled_by.is_some()) {
        Some(control(s, state))
    } else {
        None
    };
    for c in s.constraint.iter().filter(|c| state.exists(&c.entity)) {
        if let Some(why) = breach(s, state, c, report.as_ref()) {
            out.push(Breach {
                constraint: c.id.clone(),
                entity: c.entity.clone(),
                explanation: why,
            });
        }
    }
    out
}

fn breach(
    s: &Structure,
    state: &State,
    c: &Constraint,
    report: Option<&crate::control::ControlReport>,
) -> Option<String> {
    if let Some(k) = &c.keeps_votes {
        let share = match counted_votes(s, state, &c.entity) {
            Some(v) => {
                // A group acting in concert keeps its members' votes.
                let (pooled, _) = crate::group::pool(s, &c.entity, state.date, &v.votes);
                v.portion(
                    pooled
                        .iter()
                        .find(|(p, _)| *p == k.party)
                        .map_or(Decimal::ZERO, |(_, x)| *x),
                )
            }
            None => stakes(s, state, &c.entity)
                .parties
                .iter()
                .find(|(p, _)| *p == k.party)
                .and_then(|(_, st)| st.votes.or(st.voting_capital))
                .unwrap_or(Portion::ZERO),
        };
        let need = k.at_least / Decimal::ONE_HUNDRED;
        if share.hi < need {
            return Some(format!(
                "{} must keep at least {}% of the votes of {}; it holds {}",
                s.name(&k.party),
                k.at_least.normalize(),
                s.name(&c.entity),
                share.label()
            ));
        }
    }
    if let (Some(p), Some(r)) = (&c.controlled_by, report) {
        let controls = r
            .entities
            .iter()
            .find(|e| e.entity == c.entity)
            .is_some_and(|e| {
                e.direct.iter().any(|d| d.certain && d.controller == *p)
                    || e.ultimate.iter().any(|u| u.controller == *p)
                    || crate::control::Upstream::of(&r.entities).reaches(p, &c.entity)
            });
        if !controls {
            return Some(format!(
                "{} must control {}; it does not",
                s.name(p),
                s.name(&c.entity)
            ));
        }
    }
    None
}

/// A constraint breached from a date: the first date of each stretch in
/// which it is breached, on the dates the file's facts change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DatedBreach {
    pub from: chrono::NaiveDate,
    pub breach: Breach,
}

/// Every stretch of the record in which a constraint is breached.
pub fn breaches_over_time(s: &Structure) -> Vec<DatedBreach> {
    if s.constraint.is_empty() {
        return Vec::new();
    }
    let mut dates: std::collections::BTreeSet<chrono::NaiveDate> = s
        .event
        .iter()
        .map(|e| e.date)
        .chain(s.interest.iter().flat_map(|i| [i.start, i.end]).flatten())
        .chain(
            s.party
                .iter()
                .flat_map(|p| [p.founded, p.dissolved])
                .flatten(),
        )
        .collect();
    dates.extend(s.known_from());
    let mut out = Vec::new();
    let mut open: Vec<String> = Vec::new();
    // Before the record starts, nothing undated is known: no breach can be
    // told there.
    let from = s.known_from();
    for d in dates.into_iter().filter(|d| from.is_none_or(|k| k <= *d)) {
        let (state, _) = crate::timeline::state_as_of(s, d);
        let now = breaches(s, &state);
        for b in &now {
            if !open.contains(&b.constraint) {
                out.push(DatedBreach {
                    from: d,
                    breach: b.clone(),
                });
            }
        }
        open = now.into_iter().map(|b| b.constraint).collect();
    }
    out
}
