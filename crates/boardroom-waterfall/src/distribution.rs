//! Distributing one amount, and distributing cumulative profits from
//! zero: the results and their explanations.

use std::collections::BTreeSet;
use std::fmt;

use num_bigint::BigInt;
use num_traits::Zero;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Errors, Location};
use crate::money::{Exact, Q, cents_to_decimal, q, round_largest_remainder, short_money};
use crate::plan::{Context, OFF_TOP, Plan, compile};
use crate::terms::Terms;
use crate::waterfall::{Event, EventKind, State, Step, advance, start};

/// Compiled, validated terms, ready to distribute.
#[derive(Debug, Clone)]
pub struct Waterfall {
    plan: Plan,
    /// SAFEs at a liquidity event: solved for each amount.
    safes: Option<crate::safe::Safes>,
    /// Options over preferred classes: solved for each amount.
    exercise: Option<crate::exercise::PreferredOptions>,
}

/// What one party receives.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Payout {
    pub party: String,
    /// To the cent; the payouts sum exactly to the amount.
    pub amount: Decimal,
    /// Before rounding.
    pub exact: Exact,
    /// Which tiers paid it (exact, tiers that paid nothing left out).
    pub by_tier: Vec<TierAmount>,
}

/// An amount paid by a tier.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TierAmount {
    pub tier: String,
    pub amount: Exact,
    /// To the cent: a payout split over its tiers so that the parts sum
    /// exactly to it (see [`ROUNDING`]).
    pub paid: Decimal,
}

/// What one tier paid, and to whom (payees: parties, or share classes
/// before they are split among their holders).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TierPayout {
    pub tier: String,
    pub amount: Exact,
    /// To the cent: the sum of the parties' rounded parts from this tier,
    /// so that the tiers sum exactly to the amount.
    pub paid: Decimal,
    pub payees: Vec<PayeeAmount>,
}

/// An amount to a payee.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PayeeAmount {
    pub payee: String,
    pub amount: Exact,
}

/// The result of distributing one amount.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Distribution {
    pub entity: String,
    pub currency: String,
    pub amount: Decimal,
    /// Every party, in order of first mention.
    pub payouts: Vec<Payout>,
    /// Tiers that paid something, in order.
    pub tiers: Vec<TierPayout>,
    /// Breakpoints passed: tiers filled, caps bound, conversions.
    pub events: Vec<Event>,
    /// Caps that could not be evaluated, rights that ended.
    pub notes: Vec<String>,
    /// What each share class took, in all and per share, and from which
    /// tiers (a converting class: its preference or common, never both).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ClassValue>,
    /// How the payouts were rounded.
    pub rounding: String,
}

/// What a share class took at one amount.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClassValue {
    pub class: String,
    pub shares: Decimal,
    /// All it took (exact).
    pub amount: Exact,
    /// `amount / shares` (exact).
    pub per_share: Exact,
    /// From which tiers.
    pub by_tier: Vec<TierAmount>,
}

/// The rounding rule, as stated in every distribution.
pub const ROUNDING: &str = "each payout is rounded down to the cent; the cents left over go one each to the largest remainders, ties to the party listed first; each payout is split over its tiers the same way, so that every row and every tier adds up to the cent";

/// A breakpoint: where the shares of further dollars change.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Breakpoint {
    pub at: Exact,
    pub events: Vec<Event>,
}

/// A party's share of each dollar within a segment.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Share {
    pub party: String,
    pub share: Exact,
}

/// A stretch of cumulative amounts between two breakpoints.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Segment {
    pub from: Exact,
    pub to: Exact,
    pub tier: String,
    /// Marginal shares (parties with none left out); they sum to one.
    pub shares: Vec<Share>,
}

/// A party's total.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PartyTotal {
    pub party: String,
    pub amount: Exact,
}

/// Cumulative profits from 0 to `to`: breakpoints, marginal shares
/// between them, and totals.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Cumulative {
    pub entity: String,
    pub currency: String,
    pub to: Exact,
    pub parties: Vec<String>,
    pub breakpoints: Vec<Breakpoint>,
    pub segments: Vec<Segment>,
    pub totals: Vec<PartyTotal>,
    pub notes: Vec<String>,
}

impl Cumulative {
    /// Each party's cumulative receipts at `x` (clamped to `[0, to]`), in
    /// the order of `parties`; exact.
    pub fn at(&self, x: &Q) -> Vec<Q> {
        let index: std::collections::HashMap<&str, usize> = self
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let mut v = vec![Q::zero(); self.parties.len()];
        for s in &self.segments {
            if *x <= s.from.0 {
                break;
            }
            let end = if *x < s.to.0 {
                x.clone()
            } else {
                s.to.0.clone()
            };
            let width = end - &s.from.0;
            for sh in &s.shares {
                if let Some(&i) = index.get(sh.party.as_str()) {
                    v[i] += &sh.share.0 * &width;
                }
            }
        }
        v
    }
}

fn check_amount(amount: Decimal, cents: bool) -> Result<Q, Error> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(Error::NotPositive {
            at: Location::Argument,
            field: "amount".into(),
            value: amount,
            expected: "zero or more".into(),
        });
    }
    if cents && amount.normalize().scale() > 2 {
        return Err(Error::FractionOfCent {
            at: Location::Argument,
            amount,
        });
    }
    Ok(q(amount))
}

impl Waterfall {
    /// Validates and compiles the terms. Every error is reported at once.
    pub fn new(terms: &Terms, ctx: &Context) -> Result<Self, Errors> {
        let exercise = crate::exercise::PreferredOptions::new(terms, ctx).map_err(Errors)?;
        let safes = if terms.safe.is_empty() || exercise.is_some() {
            None
        } else {
            Some(crate::safe::Safes::new(terms, ctx).map_err(Errors)?)
        };
        // With SAFEs, the plan kept is the one where each is cashed out;
        // with options over preferred classes, the one where none is
        // exercised: it names every party and tier; amounts are solved one
        // by one.
        let plan = match (&safes, &exercise) {
            (Some(sf), _) => compile(&sf.all_cashed_out(), ctx),
            (None, Some(ex)) => compile(&ex.base, ctx),
            (None, None) => compile(terms, ctx),
        };
        let mut w = plan
            .map(|plan| Waterfall {
                plan,
                safes,
                exercise,
            })
            .map_err(Errors)?;
        // A tier no amount reaches is said, not left a silent zero.
        for tier in w.idle_tiers() {
            w.plan.notes.push(format!(
                "tier `{tier}` never receives money, whatever the amount: the tiers before it never end"
            ));
        }
        Ok(w)
    }

    /// The tiers no amount reaches: those that pay nothing before the
    /// shares settle for good. Found by pouring a sum far past every
    /// breakpoint (10^24; the events, not the amount, set the cost).
    pub fn idle_tiers(&self) -> Vec<String> {
        let mut st = self.start();
        let mut step = Step::default();
        let far = q(Decimal::from_i128_with_scale(10i128.pow(24), 0));
        if advance(&self.plan, &mut st, &far, &mut step).is_err() {
            return Vec::new();
        }
        self.plan
            .tiers
            .iter()
            .filter(|t| !step.segments.iter().any(|s| s.tier == t.id))
            .map(|t| t.id.clone())
            .collect()
    }

    /// Every party, in order of first mention.
    pub fn parties(&self) -> &[String] {
        &self.plan.parties
    }

    /// A state before any money has flowed (counting `paid`).
    pub fn start(&self) -> State {
        start(&self.plan)
    }

    /// Pours `amount` more from `state`, exactly; returns what each party
    /// received in this step, in the order of `parties()`.
    pub fn advance(&self, state: &mut State, amount: &Q) -> Result<Vec<Q>, Error> {
        self.no_safes("pouring money step by step")?;
        let mut step = Step::default();
        advance(&self.plan, state, amount, &mut step)?;
        Ok(self.party_amounts(&step))
    }

    fn party_amounts(&self, step: &Step) -> Vec<Q> {
        let mut by_payee = vec![Q::zero(); self.plan.payees.len()];
        for ((_, p), a) in &step.flows {
            by_payee[*p] += a;
        }
        let mut v = vec![Q::zero(); self.plan.parties.len()];
        for (p, a) in by_payee.iter().enumerate() {
            if a.is_zero() {
                continue;
            }
            let split = &self.plan.split[p];
            for (party, units) in &split.parts {
                let x = split.part(a, units);
                if v[*party].is_zero() {
                    v[*party] = x;
                } else {
                    v[*party] += x;
                }
            }
        }
        v
    }

    /// A class that converted took common for all its shares, not its
    /// preference and then common: the engine reaches the same total by
    /// paying the preference first and letting the class join common where
    /// converting starts to pay more, so its preference is moved to the
    /// common tier in what is reported. Totals do not change.
    fn attribute_conversions(&self, step: &mut Step) {
        let Some(common) = self.plan.tiers.iter().position(|t| t.id == "common") else {
            return;
        };
        let converted: BTreeSet<usize> = step
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Converts { payee } => self.plan.payees.iter().position(|p| p == payee),
                _ => None,
            })
            .collect();
        if converted.is_empty() {
            return;
        }
        let flows = std::mem::take(&mut step.flows);
        for ((t, p), a) in flows {
            let t = if converted.contains(&p) && t < common {
                common
            } else {
                t
            };
            *step.flows.entry((t, p)).or_insert_with(Q::zero) += a;
        }
    }

    fn tier_name(&self, t: usize) -> String {
        if let Some(o) = t
            .checked_sub(OFF_TOP)
            .and_then(|k| self.plan.off_top.get(k))
        {
            return o.id.clone();
        }
        self.plan
            .tiers
            .get(t)
            .map_or_else(|| "residual".to_string(), |t| t.id.clone())
    }

    /// Distributes `amount` (a whole number of cents).
    /// Refuses what SAFEs make amount-dependent (a path of amounts).
    fn no_safes(&self, what: &str) -> Result<(), Error> {
        if let Some(ex) = &self.exercise {
            return Err(Error::NotComputed {
                at: Location::Option(ex.options[0].id.clone()),
                what: format!("{what} with options over a preferred class"),
                hint: "whether an option over preferred shares is exercised depends on the amount: give one amount (--amount)".into(),
            });
        }
        match &self.safes {
            Some(_) => Err(Error::NotComputed {
                at: Location::Terms,
                what: format!("{what} with SAFEs"),
                hint: "the shares a SAFE converts into depend on which SAFEs convert at each amount: give one amount (--amount)".into(),
            }),
            None => Ok(()),
        }
    }

    pub fn distribute(&self, amount: Decimal) -> Result<Distribution, Error> {
        let x = check_amount(amount, true)?;
        if let Some(ex) = &self.exercise {
            return ex.solve(amount);
        }
        // Claims of a share of the proceeds come off the top; the tiers
        // share the rest.
        let rest = &x * self.plan.rest();
        if let Some(sf) = &self.safes {
            let (mut run, _) = sf.solve(&rest)?;
            off_top(&run.plan, &mut run.step, &x);
            let w = Waterfall {
                plan: run.plan,
                safes: None,
                exercise: None,
            };
            let mut d = w.settle(amount, run.step)?;
            d.notes.extend(run.notes);
            return Ok(d);
        }
        let mut st = self.start();
        let mut step = Step::default();
        advance(&self.plan, &mut st, &rest, &mut step)?;
        off_top(&self.plan, &mut step, &x);
        self.settle(amount, step)
    }

    /// The distribution of `amount`, from the flows that paid it.
    fn settle(&self, amount: Decimal, mut step: Step) -> Result<Distribution, Error> {
        let x = check_amount(amount, true)?;
        self.attribute_conversions(&mut step);
        let exact = self.party_amounts(&step);
        let cents = round_largest_remainder(&exact, &crate::money::floor_cents(&x));
        let n_parties = self.plan.parties.len();
        let mut by_tier: Vec<Vec<TierAmount>> = vec![Vec::new(); n_parties];
        let mut tiers: Vec<TierPayout> = Vec::new();
        for ((t, p), a) in &step.flows {
            let name = self.tier_name(*t);
            match tiers.last_mut() {
                Some(tp) if tp.tier == name => {
                    tp.amount.0 += a;
                    tp.payees.push(PayeeAmount {
                        payee: self.plan.payees[*p].clone(),
                        amount: Exact(a.clone()),
                    });
                }
                _ => tiers.push(TierPayout {
                    tier: name.clone(),
                    amount: Exact(a.clone()),
                    paid: Decimal::ZERO,
                    payees: vec![PayeeAmount {
                        payee: self.plan.payees[*p].clone(),
                        amount: Exact(a.clone()),
                    }],
                }),
            }
            let split = &self.plan.split[*p];
            for (party, units) in &split.parts {
                let v = &mut by_tier[*party];
                let amt = split.part(a, units);
                match v.last_mut() {
                    Some(ta) if ta.tier == name => ta.amount.0 += amt,
                    _ => v.push(TierAmount {
                        tier: name.clone(),
                        amount: Exact(amt),
                        paid: Decimal::ZERO,
                    }),
                }
            }
        }
        // Claims off the top are listed first, as they are paid.
        let first: Vec<&str> = self.plan.off_top.iter().map(|o| o.id.as_str()).collect();
        tiers.sort_by_key(|t| !first.contains(&t.tier.as_str()));
        for v in &mut by_tier {
            v.sort_by_key(|t| !first.contains(&t.tier.as_str()));
        }
        let rounding_notes = split_to_the_cent(&mut by_tier, &cents, &mut tiers);
        let payouts = self
            .plan
            .parties
            .iter()
            .zip(exact)
            .zip(cents.iter().zip(by_tier))
            .map(|((party, e), (c, bt))| Payout {
                party: party.clone(),
                amount: cents_to_decimal(c),
                exact: Exact(e),
                by_tier: bt,
            })
            .collect();
        let classes = self
            .plan
            .class_shares
            .iter()
            .map(|(payee, shares)| {
                let mut by_tier: Vec<TierAmount> = Vec::new();
                let mut total = Q::zero();
                for ((t, p), a) in &step.flows {
                    if p != payee {
                        continue;
                    }
                    total += a;
                    let name = self.tier_name(*t);
                    match by_tier.last_mut() {
                        Some(ta) if ta.tier == name => ta.amount.0 += a,
                        _ => by_tier.push(TierAmount {
                            tier: name,
                            amount: Exact(a.clone()),
                            paid: Decimal::ZERO,
                        }),
                    }
                }
                let cents = crate::money::floor_cents(&(&total + Q::new(1.into(), 200.into())));
                let parts: Vec<Q> = by_tier.iter().map(|t| t.amount.0.clone()).collect();
                for (t, c) in by_tier
                    .iter_mut()
                    .zip(round_largest_remainder(&parts, &cents))
                {
                    t.paid = cents_to_decimal(&c);
                }
                ClassValue {
                    class: self.plan.payees[*payee].clone(),
                    shares: crate::money::to_decimal(shares, 10),
                    per_share: Exact(&total / shares),
                    amount: Exact(total),
                    by_tier,
                }
            })
            .collect();
        Ok(Distribution {
            entity: self.plan.entity.clone(),
            currency: self.plan.currency.clone(),
            amount,
            payouts,
            tiers,
            events: step.events,
            notes: self
                .plan
                .notes
                .iter()
                .cloned()
                .chain(rounding_notes)
                .collect(),
            classes,
            rounding: ROUNDING.to_string(),
        })
    }

    /// Distributes cumulative profits from 0 to `to`.
    pub fn cumulative(&self, to: Decimal) -> Result<Cumulative, Error> {
        self.no_safes("a cumulative waterfall")?;
        let x = check_amount(to, false)?;
        let rest = self.plan.rest();
        let mut st = self.start();
        let mut step = Step::default();
        advance(&self.plan, &mut st, &(&x * &rest), &mut step)?;
        // The tiers ran on what the claims off the top leave: their
        // amounts are those of the whole over `rest`, their shares times it.
        if !self.plan.off_top.is_empty() {
            for seg in &mut step.segments {
                seg.from = &seg.from / &rest;
                seg.to = &seg.to / &rest;
                for (_, r) in &mut seg.rates {
                    *r = &*r * &rest;
                }
                for o in &self.plan.off_top {
                    seg.rates.push((o.payee, o.share.clone()));
                }
            }
            off_top(&self.plan, &mut step, &x);
        }
        let totals = self
            .party_amounts(&step)
            .into_iter()
            .zip(&self.plan.parties)
            .map(|(a, p)| PartyTotal {
                party: p.clone(),
                amount: Exact(a),
            })
            .collect();
        let mut breakpoints: Vec<Breakpoint> = Vec::new();
        for e in step.events {
            match breakpoints.last_mut() {
                Some(b) if b.at == e.at => b.events.push(e),
                _ => breakpoints.push(Breakpoint {
                    at: e.at.clone(),
                    events: vec![e],
                }),
            }
        }
        let segments = step
            .segments
            .into_iter()
            .map(|s| {
                let mut shares = vec![Q::zero(); self.plan.parties.len()];
                let mut order = Vec::new();
                for (payee, r) in &s.rates {
                    let split = &self.plan.split[*payee];
                    for (party, units) in &split.parts {
                        let x = split.part(r, units);
                        if shares[*party].is_zero() {
                            order.push(*party);
                            shares[*party] = x;
                        } else {
                            shares[*party] += x;
                        }
                    }
                }
                order.sort_unstable();
                Segment {
                    from: Exact(s.from),
                    to: Exact(s.to),
                    tier: s.tier,
                    shares: order
                        .into_iter()
                        .map(|p| Share {
                            party: self.plan.parties[p].clone(),
                            share: Exact(shares[p].clone()),
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(Cumulative {
            entity: self.plan.entity.clone(),
            currency: self.plan.currency.clone(),
            to: Exact(x),
            parties: self.plan.parties.clone(),
            breakpoints,
            segments,
            totals,
            notes: self.plan.notes.clone(),
        })
    }
}

/// Pays the claims off the top their shares of `x`, and states the
/// events of the tiers, which ran on the rest, at amounts of the whole.
fn off_top(plan: &Plan, step: &mut Step, x: &Q) {
    if plan.off_top.is_empty() {
        return;
    }
    let rest = plan.rest();
    for e in &mut step.events {
        e.at.0 = &e.at.0 / &rest;
    }
    for (k, o) in plan.off_top.iter().enumerate() {
        step.flows.insert((OFF_TOP + k, o.payee), x * &o.share);
    }
}

/// Distributes `amount` under `terms`, with any party name accepted and
/// no declaration in force.
pub fn distribute(terms: &Terms, amount: Decimal) -> Result<Distribution, Errors> {
    Ok(Waterfall::new(terms, &Context::default())?.distribute(amount)?)
}

/// Distributes cumulative profits from 0 to `to` under `terms`.
pub fn cumulative(terms: &Terms, to: Decimal) -> Result<Cumulative, Errors> {
    Ok(Waterfall::new(terms, &Context::default())?.cumulative(to)?)
}

/// Splits each party's payout in `cents` over its tiers to the cent, so
/// that the parts sum exactly to it (largest remainder, as the payouts),
/// and sets each tier's `paid` to the sum of its parts. Where that leaves
/// a tier more than a cent from its exact amount, a cent is moved along a
/// path of tiers, at each step from a party's part rounded up to a part of
/// the same party rounded down, so that the tier is within a cent again
/// and every payout is unchanged.
///
/// Returns a note for each tier that no such move brings within a cent
/// (the payouts' rounding leaves no room: a party whose only fraction of a
/// cent is in that tier), so that the difference is said, not hidden.
fn split_to_the_cent(
    by_tier: &mut [Vec<TierAmount>],
    cents: &[BigInt],
    tiers: &mut [TierPayout],
) -> Vec<String> {
    let hundred = Q::from_integer(100.into());
    // Each part: its party and its tier's column.
    struct Part {
        row: usize,
        col: usize,
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut cells: Vec<BigInt> = Vec::new();
    // Each party's parts are contiguous: `rows[r]` is their range.
    let mut rows: Vec<std::ops::Range<usize>> = Vec::with_capacity(by_tier.len());
    for (row, (v, c)) in by_tier.iter().zip(cents).enumerate() {
        rows.push(parts.len()..parts.len() + v.len());
        if v.len() == 1 {
            // Most parties are paid by one tier: their part is their payout.
            cells.push(c.clone());
        } else {
            let exact: Vec<Q> = v.iter().map(|t| t.amount.0.clone()).collect();
            cells.extend(round_largest_remainder(&exact, c));
        }
        for t in v {
            parts.push(Part {
                row,
                col: tiers.iter().position(|p| p.tier == t.tier).unwrap_or(0),
            });
        }
    }
    let bounds: Vec<(BigInt, BigInt)> = tiers
        .iter()
        .map(|t| {
            let x = &t.amount.0 * &hundred;
            (x.floor().to_integer(), x.ceil().to_integer())
        })
        .collect();
    let mut sums = vec![BigInt::zero(); tiers.len()];
    for (p, c) in parts.iter().zip(&cells) {
        sums[p.col] += c;
    }
    // A cent moves along a path of tiers: from an up-rounded part to a
    // down-rounded part of the same party, tier to tier, so that the first
    // tier gives a cent, the last takes one, and every party's payout is
    // unchanged. Each path brings a tier a cent nearer its bounds and takes
    // none out of them; a breadth-first search finds one if any exists.
    let n = tiers.len();
    // Each part's floor and ceil in cents, once a tier is out of bounds.
    let mut limits: Vec<(BigInt, BigInt)> = Vec::new();
    for _ in 0..=parts.len() {
        let over: Vec<usize> = (0..n).filter(|&j| sums[j] > bounds[j].1).collect();
        let under: Vec<usize> = (0..n).filter(|&j| sums[j] < bounds[j].0).collect();
        if over.is_empty() && under.is_empty() {
            break;
        }
        if limits.is_empty() {
            limits = by_tier
                .iter()
                .flatten()
                .map(|t| {
                    let x = &t.amount.0 * &hundred;
                    (x.floor().to_integer(), x.ceil().to_integer())
                })
                .collect();
        }
        // Search from every tier that must give (or, to fill a tier that
        // is short, from every tier that can give) to one that can take
        // (or must take).
        let sources: Vec<usize> = if over.is_empty() {
            (0..n).filter(|&j| sums[j] > bounds[j].0).collect()
        } else {
            over.clone()
        };
        let target = |j: usize| {
            if over.is_empty() {
                under.contains(&j)
            } else {
                sums[j] < bounds[j].1
            }
        };
        // prev[v] = (the column before v, the part giving, the part taking)
        let mut prev: Vec<Option<(usize, usize, usize)>> = vec![None; n];
        let mut seen = vec![false; n];
        let mut queue = std::collections::VecDeque::new();
        for &s in &sources {
            seen[s] = true;
            queue.push_back(s);
        }
        let mut found = None;
        while let Some(u) = queue.pop_front() {
            if !sources.contains(&u) && target(u) {
                found = Some(u);
                break;
            }
            for (a, pa) in parts.iter().enumerate() {
                if pa.col != u || cells[a] <= limits[a].0 {
                    continue;
                }
                for b in rows[pa.row].clone() {
                    let pb = &parts[b];
                    if b != a && !seen[pb.col] && cells[b] < limits[b].1 {
                        seen[pb.col] = true;
                        prev[pb.col] = Some((u, a, b));
                        queue.push_back(pb.col);
                    }
                }
            }
        }
        let Some(mut v) = found else { break };
        while let Some((u, a, b)) = prev[v] {
            cells[a] -= 1;
            cells[b] += 1;
            sums[u] -= 1;
            sums[v] += 1;
            v = u;
        }
    }
    let mut it = cells.iter();
    for v in by_tier.iter_mut() {
        for t in v.iter_mut() {
            t.paid = cents_to_decimal(it.next().unwrap_or(&BigInt::zero()));
        }
    }
    let mut notes = Vec::new();
    for ((t, s), (lo, hi)) in tiers.iter_mut().zip(&sums).zip(&bounds) {
        t.paid = cents_to_decimal(s);
        if s < lo || s > hi {
            notes.push(format!(
                "tier `{}`: its parts, each rounded to the cent, sum to {}, more than a cent from its exact {}: no rounding of the payouts to the cent lets both the payouts and this tier add up",
                t.tier,
                money(t.paid),
                t.amount.decimal(6).normalize()
            ));
        }
    }
    notes
}

use crate::money::grouped as money;

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Distribution of {} {} by {}",
            money(self.amount),
            self.currency,
            self.entity
        )?;
        let w = self
            .payouts
            .iter()
            .map(|p| p.party.len())
            .max()
            .unwrap_or(5)
            .max(5);
        for p in &self.payouts {
            let tiers: Vec<String> = p
                .by_tier
                .iter()
                .map(|t| format!("{} {}", t.tier, money(t.paid)))
                .collect();
            writeln!(
                f,
                "  {:<w$}  {:>22}  {}",
                p.party,
                money(p.amount),
                tiers.join("; ")
            )?;
        }
        if !self.tiers.is_empty() {
            writeln!(f, "Tiers")?;
            for t in &self.tiers {
                writeln!(f, "  {}: {}", t.tier, money(t.paid))?;
            }
        }
        if !self.events.is_empty() {
            writeln!(f, "Breakpoints passed")?;
            for e in &self.events {
                writeln!(
                    f,
                    "  at {} ({}): {}",
                    money(e.at.decimal(2)),
                    short_money(e.at.approx(), &self.currency),
                    e.text
                )?;
            }
        }
        if !self.classes.is_empty() {
            writeln!(f, "Per share")?;
            let w = self
                .classes
                .iter()
                .map(|c| c.class.len())
                .max()
                .unwrap_or(0);
            for c in &self.classes {
                let from: Vec<String> = c
                    .by_tier
                    .iter()
                    .map(|t| format!("{} {}", t.tier, money(t.paid)))
                    .collect();
                let exact = (&c.per_share.0 * crate::money::qi(10_000)).is_integer();
                writeln!(
                    f,
                    "  {:<w$}  {}{} a share ({} shares: {}{})",
                    c.class,
                    if exact { "" } else { "≈" },
                    c.per_share.decimal(4),
                    money(c.shares).trim_end_matches(".00"),
                    money(c.amount.decimal(2)),
                    if from.is_empty() {
                        String::new()
                    } else {
                        format!(", from {}", from.join(" and "))
                    }
                )?;
            }
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        write!(f, "rounding: {}", self.rounding)
    }
}

impl fmt::Display for Cumulative {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Cumulative distribution by {} from 0 to {} {}",
            self.entity,
            money(self.to.decimal(2)),
            self.currency
        )?;
        writeln!(f, "Breakpoints")?;
        for b in &self.breakpoints {
            for e in &b.events {
                // The exact amount to the cent; a rational that is not a
                // whole number of cents is said to be rounded (JSON keeps
                // the fraction).
                let cents = &b.at.0 * crate::money::qi(100);
                let rounded = if cents.is_integer() { "" } else { ", rounded" };
                writeln!(
                    f,
                    "  {} ({}{rounded}): {}",
                    short_money(b.at.approx(), &self.currency),
                    money(b.at.decimal(2)),
                    e.text
                )?;
            }
        }
        writeln!(f, "Marginal shares")?;
        for s in &self.segments {
            let shares: Vec<String> = s
                .shares
                .iter()
                .map(|x| {
                    format!(
                        "{} {}%",
                        x.party,
                        Exact(&x.share.0 * crate::money::qi(100))
                            .decimal(2)
                            .normalize()
                    )
                })
                .collect();
            writeln!(
                f,
                "  {} to {} ({}): {}",
                short_money(s.from.approx(), &self.currency),
                short_money(s.to.approx(), &self.currency),
                s.tier,
                shares.join(", ")
            )?;
        }
        writeln!(f, "Totals")?;
        for t in &self.totals {
            writeln!(f, "  {}: {}", t.party, money(t.amount.decimal(2)))?;
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        Ok(())
    }
}
