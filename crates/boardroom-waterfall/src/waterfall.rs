//! The engine: pours money through a plan, exactly.
//!
//! Between two breakpoints every payee receives a constant share of each
//! further dollar, so the engine jumps from breakpoint to breakpoint: at
//! each step it finds the nearest amount at which a tier fills, a cap
//! binds, a preference is paid or a class converts, pays up to it, and
//! applies what happens there. All arithmetic is on exact rationals.

use std::collections::BTreeMap;

use num_traits::{One, Zero};
use serde::Serialize;

use crate::error::{Error, Location};
use crate::money::{Exact, Q, to_decimal};
use crate::plan::Plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Waiting,
    Active,
    /// Converted to common: active for good, past any participation cap.
    Converted,
    Stopped,
    Done,
}

/// How far money has flowed: the state between two calls of `advance`.
///
/// Pouring X and then Y from a state gives exactly what pouring X + Y
/// gives.
#[derive(Debug, Clone)]
pub struct State {
    pub(crate) total: Q,
    pub(crate) received: Vec<Q>,
    tier: usize,
    entered: bool,
    residual_announced: bool,
    u: Q,
    tier_paid: Q,
    member_paid: Vec<Q>,
    status: Vec<Status>,
    capped: Vec<bool>,
    cap_bound: Vec<bool>,
}

impl State {
    /// The cumulative amount poured so far.
    pub fn total(&self) -> Exact {
        Exact(self.total.clone())
    }
}

/// Something that happens at a breakpoint.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum EventKind {
    /// A tier's `until_received` or `size` is met.
    TierFilled { tier: String },
    /// Every party of a tier is capped or fully paid.
    TierExhausted { tier: String },
    /// A tier whose `until_received` party is capped and can never meet it.
    TierUnreachable { tier: String, party: String },
    /// A cap binds: its parties receive nothing more.
    CapBinds { cap: usize, parties: Vec<String> },
    /// A class's (or partner's) amount in a tier is paid in full.
    LimitPaid { tier: String, payee: String },
    /// A participating class reaches its participation cap.
    ParticipationCapped { payee: String },
    /// A preferred class is now better off as common, and converts.
    Converts { payee: String },
    /// An option or warrant is in the money: from here it is exercised.
    Exercised { option: String, party: String },
    /// Everything from here on goes to the residual party.
    ResidualBegins { party: String },
}

/// An event and the cumulative amount where it happens.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Event {
    /// Cumulative amount distributed when it happens.
    pub at: Exact,
    #[serde(flatten)]
    pub kind: EventKind,
    /// The event in words.
    pub text: String,
}

impl EventKind {
    fn describe(&self) -> String {
        match self {
            EventKind::TierFilled { tier } => format!("tier `{tier}` is filled"),
            EventKind::TierExhausted { tier } => {
                format!("tier `{tier}` ends: each of its parties is capped or paid in full")
            }
            EventKind::TierUnreachable { tier, party } => {
                format!("tier `{tier}` ends: {party} is capped and can never reach its threshold")
            }
            EventKind::CapBinds { cap, parties } => format!(
                "cap[{cap}] binds: {} receive nothing more",
                parties.join(", ")
            ),
            EventKind::LimitPaid { tier, payee } => {
                format!("{payee} is paid in full in tier `{tier}`")
            }
            EventKind::ParticipationCapped { payee } => {
                format!("{payee} reaches its participation cap")
            }
            EventKind::Converts { payee } => {
                format!("{payee} converts to common: from here common pays it more")
            }
            EventKind::Exercised { option, party } => format!(
                "{party}'s `{option}` is in the money: from here the value per share exceeds its strike, so it is exercised"
            ),
            EventKind::ResidualBegins { party } => {
                format!("{party} (the residual party) receives everything from here")
            }
        }
    }
}

/// A stretch between breakpoints where each payee receives a constant
/// share of every further dollar.
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    pub from: Q,
    pub to: Q,
    pub tier: String,
    /// (payee, share), shares summing to one.
    pub rates: Vec<(usize, Q)>,
}

/// What one call of `advance` paid.
#[derive(Debug, Clone, Default)]
pub(crate) struct Step {
    /// (tier index, payee) → amount; the residual's tier index is the
    /// number of tiers.
    pub flows: BTreeMap<(usize, usize), Q>,
    pub events: Vec<Event>,
    pub segments: Vec<Segment>,
}

pub(crate) fn start(plan: &Plan) -> State {
    State {
        total: Q::zero(),
        received: plan.prior.clone(),
        tier: 0,
        entered: false,
        residual_announced: false,
        u: Q::zero(),
        tier_paid: Q::zero(),
        member_paid: Vec::new(),
        status: Vec::new(),
        capped: vec![false; plan.payees.len()],
        cap_bound: vec![false; plan.caps.len()],
    }
}

fn event(st: &State, out: &mut Step, kind: EventKind) {
    out.events.push(Event {
        at: Exact(st.total.clone()),
        text: kind.describe(),
        kind,
    });
}

/// Applies everything that happens at the current point, until nothing
/// more does. Afterwards the current tier has a party that can receive,
/// or the state is in the residual phase.
fn settle(plan: &Plan, st: &mut State, out: &mut Step) -> Result<(), Error> {
    // Each round changes a status, binds a cap or moves to the next tier,
    // all of which happen at most a bounded number of times.
    let members: usize = plan.tiers.iter().map(|t| t.members.len()).sum();
    let mut guard = 16 + 4 * (members + plan.caps.len() + plan.tiers.len());
    loop {
        guard -= 1;
        if guard == 0 {
            return Err(Error::NoProgress {
                at: Location::Terms,
                at_amount: to_decimal(&st.total, 2),
            });
        }
        let mut changed = false;
        for (ci, c) in plan.caps.iter().enumerate() {
            if st.cap_bound[ci] {
                continue;
            }
            let got = c.payees.iter().fold(Q::zero(), |a, &p| a + &st.received[p]);
            if got >= c.limit {
                st.cap_bound[ci] = true;
                for &p in &c.payees {
                    st.capped[p] = true;
                }
                let parties = c.payees.iter().map(|&p| plan.payees[p].clone()).collect();
                event(
                    st,
                    out,
                    EventKind::CapBinds {
                        cap: c.index,
                        parties,
                    },
                );
                changed = true;
            }
        }
        let Some(tier) = plan.tiers.get(st.tier) else {
            if !st.residual_announced {
                st.residual_announced = true;
                if let Some(r) = plan.residual {
                    event(
                        st,
                        out,
                        EventKind::ResidualBegins {
                            party: plan.payees[r].clone(),
                        },
                    );
                }
            }
            return Ok(());
        };
        if !st.entered {
            st.entered = true;
            st.u = Q::zero();
            st.tier_paid = Q::zero();
            st.member_paid = vec![Q::zero(); tier.members.len()];
            st.status = tier
                .members
                .iter()
                .map(|m| match &m.join_at {
                    Some(j) if *j > Q::zero() => Status::Waiting,
                    _ => Status::Active,
                })
                .collect();
            changed = true;
        }
        for (mi, m) in tier.members.iter().enumerate() {
            let name = || plan.payees[m.payee].clone();
            match st.status[mi] {
                Status::Active => {
                    if m.limit.as_ref().is_some_and(|l| st.member_paid[mi] >= *l) {
                        st.status[mi] = Status::Done;
                        event(
                            st,
                            out,
                            EventKind::LimitPaid {
                                tier: tier.id.clone(),
                                payee: name(),
                            },
                        );
                        changed = true;
                    } else if m
                        .stop_at_total
                        .as_ref()
                        .is_some_and(|s| st.received[m.payee] >= *s)
                    {
                        st.status[mi] = if m.resume_at.is_some() {
                            Status::Stopped
                        } else {
                            Status::Done
                        };
                        event(st, out, EventKind::ParticipationCapped { payee: name() });
                        changed = true;
                    }
                }
                Status::Waiting if m.join_at.as_ref().is_some_and(|j| st.u >= *j) => {
                    st.status[mi] = Status::Converted;
                    let kind = match &m.option {
                        Some(option) => EventKind::Exercised {
                            option: option.clone(),
                            party: name(),
                        },
                        None => EventKind::Converts { payee: name() },
                    };
                    event(st, out, kind);
                    changed = true;
                }
                Status::Stopped if m.resume_at.as_ref().is_some_and(|r| st.u >= *r) => {
                    st.status[mi] = Status::Converted;
                    event(st, out, EventKind::Converts { payee: name() });
                    changed = true;
                }
                _ => {}
            }
        }
        let mut next = None;
        if let Some((p, a)) = &tier.until {
            if st.received[*p] >= *a {
                next = Some(EventKind::TierFilled {
                    tier: tier.id.clone(),
                });
            } else if st.capped[*p] {
                next = Some(EventKind::TierUnreachable {
                    tier: tier.id.clone(),
                    party: plan.payees[*p].clone(),
                });
            }
        }
        if next.is_none() && tier.size.as_ref().is_some_and(|s| st.tier_paid >= *s) {
            next = Some(EventKind::TierFilled {
                tier: tier.id.clone(),
            });
        }
        let can = |mi: usize| !st.capped[tier.members[mi].payee];
        if next.is_none()
            && !(0..tier.members.len())
                .any(|mi| matches!(st.status[mi], Status::Active | Status::Converted) && can(mi))
        {
            // No one receives at the current value per unit: jump to the
            // next conversion, if any.
            let pending = (0..tier.members.len())
                .filter(|&mi| can(mi))
                .filter_map(|mi| match st.status[mi] {
                    Status::Waiting => tier.members[mi].join_at.clone(),
                    Status::Stopped => tier.members[mi].resume_at.clone(),
                    _ => None,
                })
                .min();
            match pending {
                Some(u) if u > st.u => {
                    st.u = u;
                    changed = true;
                }
                _ => {
                    next = Some(EventKind::TierExhausted {
                        tier: tier.id.clone(),
                    })
                }
            }
        }
        if let Some(kind) = next {
            event(st, out, kind);
            st.tier += 1;
            st.entered = false;
            changed = true;
        }
        if !changed {
            return Ok(());
        }
    }
}

/// Pours `amount` more from the state.
pub(crate) fn advance(
    plan: &Plan,
    st: &mut State,
    amount: &Q,
    out: &mut Step,
) -> Result<(), Error> {
    let mut remaining = amount.clone();
    let members: usize = plan.tiers.iter().map(|t| t.members.len()).sum();
    let mut guard = 64 + 8 * (members + plan.caps.len() + plan.tiers.len());
    loop {
        settle(plan, st, out)?;
        if remaining <= Q::zero() {
            return Ok(());
        }
        guard = guard.saturating_sub(1);
        if guard == 0 {
            return Err(Error::NoProgress {
                at: Location::Terms,
                at_amount: to_decimal(&st.total, 2),
            });
        }
        let Some(tier) = plan.tiers.get(st.tier) else {
            return match plan.residual {
                Some(r) if !st.capped[r] => {
                    let t = plan.tiers.len();
                    *out.flows.entry((t, r)).or_insert_with(Q::zero) += &remaining;
                    st.received[r] += &remaining;
                    let from = st.total.clone();
                    st.total += &remaining;
                    push_segment(out, from, st.total.clone(), "residual", vec![(r, Q::one())]);
                    Ok(())
                }
                _ => Err(Error::Unallocated {
                    at: if plan.residual.is_some() {
                        Location::Residual
                    } else {
                        Location::Terms
                    },
                    from: to_decimal(&st.total, 2),
                    amount: to_decimal(&remaining, 2),
                }),
            };
        };
        let active: Vec<usize> = (0..tier.members.len())
            .filter(|&mi| {
                matches!(st.status[mi], Status::Active | Status::Converted)
                    && !st.capped[tier.members[mi].payee]
            })
            .collect();
        let w: Q = active
            .iter()
            .fold(Q::zero(), |a, &mi| a + &tier.members[mi].weight);
        if w <= Q::zero() {
            return Err(Error::NoProgress {
                at: Location::Tier(tier.id.clone()),
                at_amount: to_decimal(&st.total, 2),
            });
        }
        let rate_of = |mi: usize| &tier.members[mi].weight / &w;
        let mut delta = remaining.clone();
        let mut consider = |d: Q| {
            if d < delta {
                delta = d;
            }
        };
        if let Some(s) = &tier.size {
            consider(s - &st.tier_paid);
        }
        for &mi in &active {
            let m = &tier.members[mi];
            let r = rate_of(mi);
            if st.status[mi] == Status::Active {
                if let Some(l) = &m.limit {
                    consider((l - &st.member_paid[mi]) / &r);
                }
                if let Some(s) = &m.stop_at_total {
                    consider((s - &st.received[m.payee]) / &r);
                }
            }
            if let Some((p, a)) = &tier.until
                && *p == m.payee
            {
                consider((a - &st.received[*p]) / &r);
            }
        }
        for (mi, m) in tier.members.iter().enumerate() {
            if st.capped[m.payee] {
                continue;
            }
            let threshold = match st.status[mi] {
                Status::Waiting => m.join_at.as_ref(),
                Status::Stopped => m.resume_at.as_ref(),
                _ => None,
            };
            if let Some(t) = threshold {
                consider((t - &st.u) * &w);
            }
        }
        for (ci, c) in plan.caps.iter().enumerate() {
            if st.cap_bound[ci] {
                continue;
            }
            let rate: Q = active
                .iter()
                .filter(|&&mi| c.payees.contains(&tier.members[mi].payee))
                .fold(Q::zero(), |a, &mi| a + rate_of(mi));
            if rate > Q::zero() {
                let got = c.payees.iter().fold(Q::zero(), |a, &p| a + &st.received[p]);
                consider((&c.limit - got) / rate);
            }
        }
        if delta <= Q::zero() {
            return Err(Error::NoProgress {
                at: Location::Tier(tier.id.clone()),
                at_amount: to_decimal(&st.total, 2),
            });
        }
        let mut rates = Vec::with_capacity(active.len());
        for &mi in &active {
            let m = &tier.members[mi];
            let r = rate_of(mi);
            let amt = &r * &delta;
            st.received[m.payee] += &amt;
            st.member_paid[mi] += &amt;
            *out.flows.entry((st.tier, m.payee)).or_insert_with(Q::zero) += amt;
            rates.push((m.payee, r));
        }
        st.u += &delta / &w;
        st.tier_paid += &delta;
        let from = st.total.clone();
        st.total += &delta;
        remaining -= &delta;
        let id = tier.id.clone();
        push_segment(out, from, st.total.clone(), &id, rates);
    }
}

fn push_segment(out: &mut Step, from: Q, to: Q, tier: &str, rates: Vec<(usize, Q)>) {
    if let Some(last) = out.segments.last_mut()
        && last.to == from
        && last.tier == tier
        && last.rates == rates
    {
        last.to = to;
        return;
    }
    out.segments.push(Segment {
        from,
        to,
        tier: tier.to_string(),
        rates,
    });
}
