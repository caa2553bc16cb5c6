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
    /// Sets of `more` supporters that would have blocked: the first
    /// [`NEEDED_LISTED`], in the order the supporters voted.
    pub any_of: Vec<Vec<String>>,
    /// How many sets of `more` would have blocked: all of them when
    /// `complete`, else at least this many (the search stopped at
    /// [`RECOUNT_BUDGET`] recounts).
    pub sets: u64,
    pub complete: bool,
}

/// The most sets of supporters listed in [`Needed::any_of`]; `sets` counts
/// them all.
pub const NEEDED_LISTED: usize = 20;

/// The most recounts tried when the supporters are not interchangeable (a
/// board of 30 has 20 million sets of 10: listing each took 3 GB and over
/// ten minutes). Interchangeable supporters (the same votes, none the chair
/// nor the act's subject) are counted by formula, not tried one by one.
pub const RECOUNT_BUDGET: usize = 100_000;

/// Why a question could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlockError {
    #[error("no event has id `{0}`")]
    UnknownEvent(String),
    #[error(
        "event `{0}` was not decided by a body (at a meeting or by written consent), so there is no decision to block"
    )]
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
    // A written consent is blocked by withholding it: the act is recounted
    // with the group's signatures taken away (DGCL §141(f): a board acts
    // without a meeting only by the consent of every director in office).
    let by_consent = recorded.consent.is_some();
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
        let stance = if attend {
            Stance::Against
        } else {
            Stance::Away
        };
        let b = recast(&recorded, g, stance);
        let d = state.decide(body, &kind, &rule, subject, &b);
        let reasons = decision_failures(s, &d);
        (d, reasons)
    };
    let ways: &[(bool, &str)] = if by_consent {
        &[(false, "withhold consent")]
    } else {
        &[(true, "attend and vote against"), (false, "stay away")]
    };
    let strategies_for = |g: &[String]| -> Vec<Strategy> {
        ways.iter()
            .copied()
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
    let names = |ps: &[String]| {
        ps.iter()
            .map(|p| s.name(p).to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    // An act that failed as recorded: the group blocked it if its support
    // would have carried it; otherwise there was nothing to block ("yes,
    // they could have blocked it" of an act that fails whatever they do
    // misleads).
    let as_recorded = state.decide(body, &kind, &rule, subject, &recorded);
    if !as_recorded.passed && !as_recorded.cannot_tell() {
        let reasons = decision_failures(s, &as_recorded).join("; ");
        let support = recast(&recorded, group, Stance::For);
        let with_them = state.decide(body, &kind, &rule, subject, &support);
        let decisive = with_them.passed && !with_them.cannot_tell();
        let explanation = if decisive {
            format!(
                "yes: it was not carried as recorded ({reasons}), and with {} for it, it would have been",
                names(group)
            )
        } else {
            format!(
                "no need: the act was not carried as recorded ({reasons}), and {} for it would not have carried it: there was nothing to block",
                names(group)
            )
        };
        return Ok(BlockAnswer {
            event: event_id.to_string(),
            summary: summary(s, event),
            group: group.to_vec(),
            could_block: decisive,
            strategies: Vec::new(),
            needed: None,
            explanation,
        });
    }
    let strategies = strategies_for(group);
    let could = strategies.iter().any(|st| st.blocks);
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
            .consent
            .as_ref()
            .unwrap_or(&recorded.votes_for)
            .iter()
            .filter(|p| !group.contains(p))
            .cloned()
            .collect();
        let blocks_with = |extra: &[&String]| {
            let mut g = group.to_vec();
            g.extend(extra.iter().map(|p| (*p).clone()));
            strategies_for(&g).iter().any(|st| st.blocks)
        };
        // Supporters are interchangeable when they have the same votes and
        // neither is the chair (a casting vote) nor the act's subject: one
        // class each, the chair and the subject classes of their own.
        let weights: std::collections::HashMap<String, u64> =
            state.voters(body).into_iter().collect();
        let chair = state.chairs.get(&body.id);
        let mut classes: Vec<(Option<u64>, Vec<String>)> = Vec::new();
        for p in &supporters {
            let special = Some(p) == chair || Some(p.as_str()) == subject;
            let key = (!special).then(|| weights.get(p).copied().unwrap_or(0));
            match classes.iter_mut().find(|(k, _)| key.is_some() && *k == key) {
                Some((_, members)) => members.push(p.clone()),
                None => classes.push((key, vec![p.clone()])),
            }
        }
        let classes: Vec<Vec<String>> = classes.into_iter().map(|(_, m)| m).collect();
        let search = smallest_reinforcement(&classes, &blocks_with);
        let stopped_at = search.as_ref().err().copied();
        needed = search.ok().flatten();
        let against = &strategies[0];
        let d = &against.decision;
        // A member the rule leaves out (the director concerned) may attend
        // but not vote: say so rather than count them against.
        let barred: Vec<String> = group
            .iter()
            .filter(|p| d.ineligible.iter().any(|i| &i.party == *p))
            .cloned()
            .collect();
        let voting: Vec<String> = group
            .iter()
            .filter(|p| !barred.contains(p))
            .cloned()
            .collect();
        let opposed = match (voting.is_empty(), barred.is_empty()) {
            (_, true) => format!("with {} present and voting against", names(group)),
            (true, false) => format!("with {} present but not entitled to vote", names(&barred)),
            (false, false) => format!(
                "with {} present and voting against ({} present but not entitled to vote)",
                names(&voting),
                names(&barred)
            ),
        };
        let mut text = if by_consent {
            format!(
                "no: without the consent of {}, {} consenting still met the {} needed ({})",
                names(group),
                crate::report::count(d.threshold.actual.into()),
                crate::report::count(d.threshold.required.into()),
                d.threshold_words(body.kind.is_holder_body())
            )
        } else {
            format!(
                "no: {opposed}, {} votes for still met the {} needed ({})",
                crate::report::count(d.threshold.actual.into()),
                crate::report::count(d.threshold.required.into()),
                d.threshold_words(body.kind.is_holder_body())
            )
        };
        if let Some(q) = strategies.get(1).and_then(|st| st.decision.quorum.as_ref()) {
            text.push_str(&format!(
                "; staying away left {} present, and the quorum needed {}",
                q.actual, q.required
            ));
        }
        if let Some(k) = stopped_at {
            text.push_str(&format!(
                "; no set of fewer than {k} supporters joining them would have blocked it, and the search stopped at sets of {k} after {RECOUNT_BUDGET} recounts"
            ));
        }
        if let Some(n) = &needed {
            let who: Vec<String> = n.any_of.iter().map(|set| names(set)).collect();
            let ordinal = ordinal(group.len() + n.more);
            let rest = match (n.complete, n.sets as usize > n.any_of.len()) {
                (true, true) => format!(
                    " ({} sets in all, the first {} shown)",
                    n.sets,
                    n.any_of.len()
                ),
                (false, _) => format!(
                    " (at least {} sets; the search stopped after {RECOUNT_BUDGET} recounts)",
                    n.sets
                ),
                (true, false) => String::new(),
            };
            let what = if by_consent { "refusal" } else { "vote" };
            text.push_str(&format!(
                "; they needed {} more (a {ordinal} {what}): any of {}{rest}",
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

/// How a group is recast in a recount.
#[derive(Clone, Copy)]
enum Stance {
    /// Present and voting against; by written consent, not consenting.
    Against,
    /// Away; by written consent, not consenting.
    Away,
    /// Present and voting for; by written consent, consenting.
    For,
}

/// The recorded ballots with `g` taken out of every list, then cast as
/// `stance`; everyone else as recorded.
fn recast(recorded: &Ballots, g: &[String], stance: Stance) -> Ballots {
    let mut b = recorded.clone();
    let out = |list: &mut Vec<String>| list.retain(|p| !g.contains(p));
    out(&mut b.votes_for);
    out(&mut b.abstain);
    out(&mut b.against);
    out(&mut b.present);
    let them = g.iter().cloned();
    match (b.consent.as_mut(), stance) {
        (Some(c), Stance::For) => {
            out(c);
            c.extend(them);
        }
        (Some(c), _) => out(c),
        (None, Stance::Against) => {
            b.present.extend(them.clone());
            b.against.extend(them);
        }
        (None, Stance::For) => {
            b.present.extend(them.clone());
            b.votes_for.extend(them);
        }
        (None, Stance::Away) => {}
    }
    b
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

/// The fewest supporters who, joining the group, would have blocked: sets
/// of one, two, ... tried in order. Supporters come in `classes` of
/// interchangeable members, so a set is tried once per number taken from
/// each class, and the sets it stands for are counted by formula (a board
/// of 30 alike is one recount per size, not 20 million). At most
/// [`RECOUNT_BUDGET`] recounts: past it, `Err` with the size reached, or
/// the sets found so far at that size, marked incomplete.
fn smallest_reinforcement(
    classes: &[Vec<String>],
    blocks_with: &dyn Fn(&[&String]) -> bool,
) -> Result<Option<Needed>, usize> {
    let n: usize = classes.iter().map(Vec::len).sum();
    let mut recounts = 0usize;
    for k in 1..=n {
        let mut any_of: Vec<Vec<String>> = Vec::new();
        let mut sets = 0u64;
        let mut out_of_budget = false;
        for counts in Compositions::new(classes.iter().map(Vec::len).collect(), k) {
            if recounts == RECOUNT_BUDGET {
                out_of_budget = true;
                break;
            }
            recounts += 1;
            let first: Vec<&String> = classes
                .iter()
                .zip(&counts)
                .flat_map(|(members, &c)| &members[..c])
                .collect();
            if !blocks_with(&first) {
                continue;
            }
            let many = classes
                .iter()
                .zip(&counts)
                .map(|(members, &c)| choose(members.len() as u64, c as u64))
                .fold(1u64, u64::saturating_mul);
            sets = sets.saturating_add(many);
            // List the sets this stands for, up to the limit.
            let mut picks: Vec<Vec<Vec<String>>> = vec![Vec::new()];
            for (members, &c) in classes.iter().zip(&counts) {
                let options: Vec<Vec<String>> = Combinations::new(members.len(), c)
                    .take(NEEDED_LISTED)
                    .map(|ix| ix.iter().map(|&i| members[i].clone()).collect())
                    .collect();
                picks = picks
                    .iter()
                    .flat_map(|p| {
                        options.iter().map(move |o| {
                            let mut q = p.clone();
                            q.push(o.clone());
                            q
                        })
                    })
                    .take(NEEDED_LISTED)
                    .collect();
            }
            for p in picks {
                if any_of.len() < NEEDED_LISTED {
                    any_of.push(p.concat());
                }
            }
        }
        if sets > 0 {
            return Ok(Some(Needed {
                more: k,
                any_of,
                sets,
                complete: !out_of_budget,
            }));
        }
        if out_of_budget {
            return Err(k);
        }
    }
    Ok(None)
}

/// The ways of taking `k` members from classes of the given sizes: how
/// many from each, one vector at a time.
struct Compositions {
    sizes: Vec<usize>,
    next: Option<Vec<usize>>,
}

impl Compositions {
    fn new(sizes: Vec<usize>, k: usize) -> Self {
        // The first: as many as possible from the first classes.
        let mut first = vec![0; sizes.len()];
        let mut left = k;
        for (c, &size) in first.iter_mut().zip(&sizes) {
            *c = size.min(left);
            left -= *c;
        }
        Compositions {
            next: (left == 0).then_some(first),
            sizes,
        }
    }
}

impl Iterator for Compositions {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        // The next in reverse lexicographic order: take one fewer from the
        // rightmost class that can give one to a class after it, and refill
        // the classes after it greedily.
        let m = current.len();
        let mut c = current.clone();
        for i in (0..m.saturating_sub(1)).rev() {
            if c[i] == 0 {
                continue;
            }
            let room: usize = (i + 1..m).map(|j| self.sizes[j]).sum();
            let after: usize = c[i + 1..].iter().sum();
            if after < room {
                c[i] -= 1;
                let mut left = after + 1;
                for (cj, &size) in c[i + 1..].iter_mut().zip(&self.sizes[i + 1..]) {
                    *cj = size.min(left);
                    left -= *cj;
                }
                self.next = Some(c);
                break;
            }
        }
        Some(current)
    }
}

/// n choose k, saturating.
fn choose(n: u64, k: u64) -> u64 {
    let k = k.min(n - k);
    let mut r: u128 = 1;
    for i in 0..k {
        r = r * u128::from(n - i) / u128::from(i + 1);
        if r > u128::from(u64::MAX) {
            return u64::MAX;
        }
    }
    r as u64
}

/// The k-subsets of 0..n in lexicographic order, one at a time.
struct Combinations {
    n: usize,
    next: Option<Vec<usize>>,
}

impl Combinations {
    fn new(n: usize, k: usize) -> Self {
        Combinations {
            n,
            next: (k <= n).then(|| (0..k).collect()),
        }
    }
}

impl Iterator for Combinations {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        let k = current.len();
        let mut c = current.clone();
        // The rightmost position that can still move right.
        if let Some(i) = (0..k).rev().find(|&i| c[i] < self.n - k + i) {
            c[i] += 1;
            for j in i + 1..k {
                c[j] = c[j - 1] + 1;
            }
            self.next = Some(c);
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every way of taking k from the classes, once each.
        #[test]
        fn compositions_are_every_way_of_taking_k(
            sizes in proptest::collection::vec(0usize..4, 0..5),
            k in 0usize..10,
        ) {
            let got: Vec<Vec<usize>> = Compositions::new(sizes.clone(), k).collect();
            let mut all = vec![Vec::new()];
            for &size in &sizes {
                all = all
                    .into_iter()
                    .flat_map(|v: Vec<usize>| (0..=size).map(move |c| [v.clone(), vec![c]].concat()))
                    .collect();
            }
            let mut want: Vec<Vec<usize>> =
                all.into_iter().filter(|v| v.iter().sum::<usize>() == k).collect();
            let mut sorted = got.clone();
            sorted.sort();
            want.sort();
            prop_assert_eq!(sorted, want);
        }

        /// The smallest reinforcement found by classes is the one a trial of
        /// every subset finds: the same size, the same number of sets, and
        /// each set listed blocks.
        #[test]
        fn the_smallest_reinforcement_is_that_of_every_subset(
            classes in proptest::collection::vec((1u64..5, 1usize..4), 1..4),
            threshold in 1u64..20,
        ) {
            let mut members: Vec<Vec<String>> = Vec::new();
            let mut weight = std::collections::HashMap::new();
            let mut next = 0;
            for (w, size) in &classes {
                let class: Vec<String> = (0..*size).map(|i| format!("p{}", next + i)).collect();
                next += size;
                for p in &class {
                    weight.insert(p.clone(), *w);
                }
                members.push(class);
            }
            let blocks = |set: &[&String]| set.iter().map(|p| weight[*p]).sum::<u64>() >= threshold;
            let all: Vec<String> = members.concat();
            let mut best: Option<(usize, u64)> = None;
            for mask in 1u32..(1 << all.len()) {
                let set: Vec<&String> =
                    (0..all.len()).filter(|i| mask & (1 << i) != 0).map(|i| &all[i]).collect();
                if blocks(&set) {
                    best = match best {
                        Some((k, n)) if set.len() > k => Some((k, n)),
                        Some((k, n)) if set.len() == k => Some((k, n + 1)),
                        _ => Some((set.len(), 1)),
                    };
                }
            }
            let found = smallest_reinforcement(&members, &blocks).expect("within budget");
            prop_assert_eq!(found.as_ref().map(|n| (n.more, n.sets)), best);
            if let Some(n) = found {
                prop_assert!(n.complete);
                let mut seen = std::collections::BTreeSet::new();
                for set in &n.any_of {
                    let refs: Vec<&String> = set.iter().collect();
                    prop_assert!(blocks(&refs));
                    prop_assert_eq!(set.len(), n.more);
                    prop_assert!(seen.insert(set.clone()));
                }
                prop_assert_eq!(n.any_of.len() as u64, n.sets.min(NEEDED_LISTED as u64));
            }
        }
    }
}
