//! Could a group have blocked an act a body took?
//!
//! The act is recounted against the same rule, with everyone outside the
//! group acting as recorded and the group either attending and voting
//! against, or staying away to break the quorum. When neither blocks, the
//! answer names the smallest number of supporters who would have had to
//! join the group, and which ones.

use serde::Serialize;

use crate::model::Structure;
use crate::rulebook::{decision_kind, rule_for};
use crate::timeline::{Ballots, Decision, authority_for, decision_failures, state_before, summary};

/// What a group could do against one act.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BlockAnswer {
    pub event: String,
    pub summary: String,
    pub group: Vec<String>,
    pub could_block: bool,
    /// Each way the group could have opposed the act, recounted.
    pub strategies: Vec<Strategy>,
    /// When the group could not block: how many more of the supporters it
    /// would have needed, and which sets of that size would have done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needed: Option<Needed>,
    pub explanation: String,
}

/// One way of opposing an act, and its recount.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Strategy {
    pub description: String,
    pub blocks: bool,
    pub decision: Decision,
    pub reasons: Vec<String>,
}

/// The smallest reinforcement that would have blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Needed {
    pub more: usize,
    pub any_of: Vec<Vec<String>>,
}

/// Why a question could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlockError {
    #[error("no event has id `{0}`")]
    UnknownEvent(String),
    #[error("event `{0}` was not decided by a body at a meeting, so there is no vote to block")]
    NotADecision(String),
}

/// Could `group` have blocked the act of the event with id `event_id`?
pub fn could_block(
    s: &Structure,
    event_id: &str,
    group: &[String],
) -> Result<BlockAnswer, BlockError> {
    let index = s
        .event
        .iter()
        .position(|e| e.id.as_deref() == Some(event_id))
        .ok_or_else(|| BlockError::UnknownEvent(event_id.to_string()))?;
    let event = &s.event[index];
    let not_decision = || BlockError::NotADecision(event_id.to_string());
    let state = state_before(s, index);
    let body = authority_for(s, event)
        .or_else(|| event.by.clone())
        .and_then(|b| s.body(&b))
        .ok_or_else(not_decision)?;
    let recorded = Ballots::of_event(&state, event).ok_or_else(not_decision)?;
    if recorded.consent.is_some() {
        return Err(not_decision());
    }
    let kind = decision_kind(s, event);
    let rule = rule_for(s, &state.rules, body, &kind);
    let subject = event.person.as_deref();
    // A declared group acting in concert stands for its members.
    let expanded: Vec<String> = group
        .iter()
        .flat_map(|g| match s.group(g) {
            Some(x) => x.members.clone(),
            None => vec![g.clone()],
        })
        .fold(Vec::new(), |mut v, p| {
            if !v.contains(&p) {
                v.push(p);
            }
            v
        });
    let group = expanded.as_slice();
    let recount = |g: &[String], attend: bool| -> (Decision, Vec<String>) {
        let mut b = recorded.clone();
        let out = |list: &mut Vec<String>| list.retain(|p| !g.contains(p));
        out(&mut b.votes_for);
        out(&mut b.abstain);
        out(&mut b.against);
        out(&mut b.present);
        if attend {
            b.present.extend(g.iter().cloned());
            b.against.extend(g.iter().cloned());
        }
        let d = state.decide(body, &kind, &rule, subject, &b);
        let reasons = decision_failures(s, &d);
        (d, reasons)
    };
    let strategies_for = |g: &[String]| -> Vec<Strategy> {
        [(true, "attend and vote against"), (false, "stay away")]
            .into_iter()
            .map(|(attend, what)| {
                let (decision, reasons) = recount(g, attend);
                Strategy {
                    description: what.to_string(),
                    // Blocked when the recount surely fails, not when the
                    // record leaves it open.
                    blocks: !decision.passed && !decision.cannot_tell(),
                    decision,
                    reasons,
                }
            })
            .collect()
    };
    let strategies = strategies_for(group);
    let could = strategies.iter().any(|st| st.blocks);
    let names = |ps: &[String]| {
        ps.iter()
            .map(|p| s.name(p).to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let mut needed = None;
    let explanation = if could {
        let how = strategies
            .iter()
            .filter(|st| st.blocks)
            .map(|st| format!("{} ({})", st.description, st.reasons.join("; ")))
            .collect::<Vec<_>>()
            .join(", or ");
        format!("yes: {} could have blocked it: {how}", names(group))
    } else {
        let supporters: Vec<String> = recorded
            .votes_for
            .iter()
            .filter(|p| !group.contains(p))
            .cloned()
            .collect();
        for k in 1..=supporters.len() {
            let sets: Vec<Vec<String>> = combinations(&supporters, k)
                .into_iter()
                .filter(|extra| {
                    let mut g = group.to_vec();
                    g.extend(extra.iter().cloned());
                    strategies_for(&g).iter().any(|st| st.blocks)
                })
                .collect();
            if !sets.is_empty() {
                needed = Some(Needed {
                    more: k,
                    any_of: sets,
                });
                break;
            }
        }
        let against = &strategies[0];
        let d = &against.decision;
        let mut text = format!(
            "no: with {} present and voting against, {} votes for still met the {} needed ({})",
            names(group),
            d.threshold.actual,
            d.threshold.required,
            d.threshold.quota
        );
        if let Some(q) = &strategies[1].decision.quorum {
            text.push_str(&format!(
                "; staying away left {} present, and the quorum needed {}",
                q.actual, q.required
            ));
        }
        if let Some(n) = &needed {
            let who: Vec<String> = n.any_of.iter().map(|set| names(set)).collect();
            let ordinal = ordinal(group.len() + n.more);
            text.push_str(&format!(
                "; they needed {} more (a {ordinal} vote): any of {}",
                n.more,
                who.join(", ")
            ));
        }
        text
    };
    Ok(BlockAnswer {
        event: event_id.to_string(),
        summary: summary(s, event),
        group: group.to_vec(),
        could_block: could,
        strategies,
        needed,
        explanation,
    })
}

fn ordinal(n: usize) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        5 => "fifth".into(),
        n => format!("{n}th"),
    }
}

fn combinations(items: &[String], k: usize) -> Vec<Vec<String>> {
    if k == 0 {
        return vec![Vec::new()];
    }
    if items.len() < k {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, first) in items.iter().enumerate() {
        for mut rest in combinations(&items[i + 1..], k - 1) {
            rest.insert(0, first.clone());
            out.push(rest);
        }
    }
    out
}
