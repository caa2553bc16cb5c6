//! Compiling terms into a plan: validated tiers of weighted members,
//! caps as exact limits, and the split of each payee to its parties.
//!
//! Every kind of terms (explicit tiers, share classes, a fund) compiles
//! to the same shape, so one engine runs them all.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use num_bigint::BigInt;
use num_traits::{One, Zero};
use rust_decimal::Decimal;

use crate::error::{Error, Location};
use crate::money::{Q, is_negative, percent, pow, q, qi, to_decimal};
use crate::terms::{CatchUpBasis, Claim, Compounding, Fund, OptionGrant, ShareClass, Terms};

/// The most digits a hurdle's exact compounded factor may have. A rate of
/// up to three decimals compounded monthly for 100 years (1,200 periods,
/// the most allowed) has about 4,000; every figure after it is computed
/// with numbers that long, so 200 limited partners take under a second.
/// A rate of 28 digits would reach 36,000 digits and over a minute.
pub const MAX_HURDLE_DIGITS: u64 = 6_000;

/// What the waterfall is evaluated against: which parties exist, and
/// which declarations (such as `agi`) are in force.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The party ids the terms may name; `None` accepts any name.
    pub known_parties: Option<BTreeSet<String>>,
    /// Declarations in force; rights and tiers whose `ends_on` is among
    /// them have ended.
    pub in_force: BTreeSet<String>,
    /// The date of the distribution: dividends accrue to it.
    pub on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub payee: usize,
    pub weight: Q,
    /// The most this member receives in this tier.
    pub limit: Option<Q>,
    /// Joins once the tier's value per unit of weight reaches this.
    pub join_at: Option<Q>,
    /// Stops once its total receipts reach this.
    pub stop_at_total: Option<Q>,
    /// Resumes (converts) once the value per unit reaches this.
    pub resume_at: Option<Q>,
    /// An option or warrant (its id): joining means it is exercised.
    pub option: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct PlanTier {
    pub id: String,
    pub members: Vec<Member>,
    pub until: Option<(usize, Q)>,
    pub size: Option<Q>,
}

#[derive(Debug, Clone)]
pub(crate) struct PlanCap {
    pub index: usize,
    pub payees: Vec<usize>,
    pub limit: Q,
}

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub entity: String,
    pub currency: String,
    /// Engine-level recipients: parties, and share classes.
    pub payees: Vec<String>,
    /// Final recipients.
    pub parties: Vec<String>,
    /// For each payee, its parties and their fractions.
    pub split: Vec<Split>,
    pub tiers: Vec<PlanTier>,
    pub caps: Vec<PlanCap>,
    pub residual: Option<usize>,
    pub prior: Vec<Q>,
    /// Caps that could not be evaluated, rights that ended, and the like.
    pub notes: Vec<String>,
    /// Share classes as payees: (payee, shares), for the value per share.
    pub class_shares: Vec<(usize, Q)>,
    /// Claims of a share of every dollar, taken off the top: the tiers
    /// share what they leave.
    pub off_top: Vec<OffTop>,
}

/// A claim of a share of the proceeds.
#[derive(Debug, Clone)]
pub(crate) struct OffTop {
    pub id: String,
    pub payee: usize,
    pub share: Q,
}

/// Tier indices of the claims taken off the top, in a step's flows.
pub(crate) const OFF_TOP: usize = usize::MAX / 2;

impl Plan {
    /// What the claims off the top leave of each dollar.
    pub(crate) fn rest(&self) -> Q {
        Q::one() - self.off_top.iter().map(|o| &o.share).sum::<Q>()
    }
}

/// How a payee's receipts divide among its parties: by integer units.
#[derive(Debug, Clone)]
pub(crate) struct Split {
    pub parts: Vec<(usize, BigInt)>,
    pub total: BigInt,
}

impl Split {
    fn whole(party: usize) -> Self {
        Split {
            parts: vec![(party, BigInt::one())],
            total: BigInt::one(),
        }
    }

    /// `amount × units / total`, exact. Left unreduced: reducing ten
    /// thousand fractions costs more than everything else.
    pub fn part(&self, amount: &Q, units: &BigInt) -> Q {
        if *units == self.total {
            return amount.clone();
        }
        Q::new_raw(amount.numer() * units, amount.denom() * &self.total)
    }
}

struct Builder<'a> {
    ctx: &'a Context,
    errors: Vec<Error>,
    payees: Vec<String>,
    payee_index: HashMap<String, usize>,
    class_ids: BTreeSet<String>,
    /// Notes for the distribution, such as an approximation made.
    notes: Vec<String>,
}

impl Builder<'_> {
    fn payee(&mut self, at: &Location, name: &str) -> usize {
        if let Some(known) = &self.ctx.known_parties
            && !known.contains(name)
            && !self.class_ids.contains(name)
        {
            let e = Error::UnknownParty {
                at: at.clone(),
                party: name.to_string(),
                suggestion: suggest(name, known.iter().chain(self.class_ids.iter())),
            };
            if !self.errors.contains(&e) {
                self.errors.push(e);
            }
        }
        if let Some(&i) = self.payee_index.get(name) {
            return i;
        }
        let i = self.payees.len();
        self.payees.push(name.to_string());
        self.payee_index.insert(name.to_string(), i);
        i
    }

    fn positive(&mut self, at: &Location, field: &str, v: Decimal, allow_zero: bool) -> bool {
        let ok = if allow_zero {
            !v.is_sign_negative() || v.is_zero()
        } else {
            v > Decimal::ZERO
        };
        if !ok {
            self.errors.push(Error::NotPositive {
                at: at.clone(),
                field: field.to_string(),
                value: v,
                expected: if allow_zero {
                    "zero or more".into()
                } else {
                    "more than zero".into()
                },
            });
        }
        ok
    }
}

/// The closest name, if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a String>,
) -> Option<String> {
    let mut best: Option<(usize, &String)> = None;
    for c in candidates {
        let d = levenshtein(name, c);
        if d <= 2.max(name.len() / 4) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.clone())
}

/// What the claims taken off the top may sum to: less than the whole, so
/// that something is left for the classes.
const OFF_TOP_LIMIT: &str = "less than 100% (something must be left for the classes)";

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            let v = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Orders tiers: listing order, except that a tier with `after = X` comes
/// right after X (and after tiers placed after X earlier in the listing).
fn order_tiers(terms: &Terms, errors: &mut Vec<Error>) -> Vec<usize> {
    let ids: HashMap<&str, usize> = terms
        .tier
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); terms.tier.len()];
    let mut roots = Vec::new();
    for (i, t) in terms.tier.iter().enumerate() {
        match &t.after {
            None => roots.push(i),
            Some(a) => match ids.get(a.as_str()) {
                Some(&p) => children[p].push(i),
                None => {
                    errors.push(Error::UnknownTier {
                        at: Location::Tier(t.id.clone()),
                        after: a.clone(),
                    });
                    roots.push(i);
                }
            },
        }
    }
    let mut order = Vec::new();
    let mut seen = vec![false; terms.tier.len()];
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        order.push(i);
        stack.extend(children[i].iter().rev());
    }
    // Tiers never reached hang off a cycle of `after`s.
    let mut reported = vec![false; terms.tier.len()];
    for start in 0..terms.tier.len() {
        if seen[start] || reported[start] {
            continue;
        }
        let mut path = vec![start];
        let mut cur = start;
        while let Some(&next) = terms.tier[cur].after.as_deref().and_then(|a| ids.get(a)) {
            if let Some(pos) = path.iter().position(|&p| p == next) {
                let cycle: Vec<usize> = path[pos..].to_vec();
                if cycle.iter().all(|&c| !reported[c]) {
                    let mut names: Vec<String> =
                        cycle.iter().map(|&c| terms.tier[c].id.clone()).collect();
                    names.push(terms.tier[next].id.clone());
                    errors.push(Error::CircularPriority {
                        at: Location::Tier(terms.tier[next].id.clone()),
                        cycle: names,
                    });
                }
                break;
            }
            path.push(next);
            cur = next;
        }
        for p in path {
            reported[p] = true;
        }
    }
    order
}

pub(crate) fn compile(terms: &Terms, ctx: &Context) -> Result<Plan, Vec<Error>> {
    let mut b = Builder {
        ctx,
        errors: Vec::new(),
        payees: Vec::new(),
        payee_index: HashMap::new(),
        class_ids: terms.class.iter().map(|c| c.id.clone()).collect(),
        notes: Vec::new(),
    };
    let mut notes = Vec::new();
    let mut tiers = Vec::new();

    // Ids must be unique across tiers and classes.
    let mut ids = BTreeSet::new();
    for t in &terms.tier {
        if !ids.insert(t.id.clone()) {
            b.errors.push(Error::DuplicateId {
                at: Location::Tier(t.id.clone()),
            });
        }
    }
    for c in &terms.class {
        if !ids.insert(c.id.clone()) {
            b.errors.push(Error::DuplicateId {
                at: Location::Class(c.id.clone()),
            });
        }
    }

    let mut investments: BTreeMap<String, Q> = BTreeMap::new();
    for (i, inv) in terms.investment.iter().enumerate() {
        let at = Location::Investment(i);
        b.payee(&at, &inv.party);
        b.positive(&at, "amount", inv.amount, true);
        *investments.entry(inv.party.clone()).or_insert_with(Q::zero) += q(inv.amount);
    }

    let mut off_top = Vec::new();
    claims(&mut b, &terms.claim, &mut ids, &mut tiers, &mut off_top);
    let rest = Q::one() - off_top.iter().map(|o| &o.share).sum::<Q>();
    if rest <= Q::zero() {
        b.errors.push(Error::SharesAbove100 {
            at: Location::Terms,
            sum: to_decimal(&((Q::one() - rest) * qi(100)), 6),
            expected: OFF_TOP_LIMIT,
        });
    }
    if !terms.class.is_empty() || !terms.option.is_empty() {
        classes(&mut b, &terms.class, &terms.option, &mut tiers);
    }
    pools(&mut b, terms);
    if let Some(f) = &terms.fund {
        fund(&mut b, f, &mut tiers);
    }

    for i in order_tiers(terms, &mut b.errors) {
        let t = &terms.tier[i];
        let at = Location::Tier(t.id.clone());
        let mut seen = BTreeSet::new();
        let mut sum = Decimal::ZERO;
        let mut members = Vec::new();
        for p in &t.split {
            let payee = b.payee(&at, &p.party);
            if !seen.insert(p.party.clone()) {
                b.errors.push(Error::DuplicateParty {
                    at: at.clone(),
                    party: p.party.clone(),
                });
            }
            if b.positive(&at, &format!("percent of {}", p.party), p.percent, true) {
                sum += p.percent;
            }
            let ended = p.ends_on.as_ref().is_some_and(|d| ctx.in_force.contains(d));
            if ended {
                notes.push(format!(
                    "{at}: the right of {} ended on `{}`; its share goes to the tier's other parties",
                    p.party,
                    p.ends_on.as_deref().unwrap_or_default()
                ));
            } else if p.percent > Decimal::ZERO {
                members.push(Member {
                    payee,
                    weight: percent(p.percent),
                    limit: None,
                    join_at: None,
                    stop_at_total: None,
                    resume_at: None,
                    option: None,
                });
            }
        }
        if sum > Decimal::ONE_HUNDRED {
            // Said as the shortfall is: a tier's split is the whole tier.
            b.errors.push(Error::SharesAbove100 {
                at: at.clone(),
                sum,
                expected: "exactly 100%",
            });
        } else if sum < Decimal::ONE_HUNDRED {
            b.errors.push(Error::SharesBelow100 {
                at: at.clone(),
                sum,
            });
        }
        let until = t.until_received.as_ref().map(|r| {
            b.positive(&at, "until_received.amount", r.amount, true);
            (b.payee(&at, &r.party), q(r.amount))
        });
        let size = t.size.map(|s| {
            b.positive(&at, "size", s, false);
            q(s)
        });
        if let Some(d) = t.ends_on.as_ref().filter(|d| ctx.in_force.contains(*d)) {
            notes.push(format!("{at}: ended on `{d}`; skipped"));
            continue;
        }
        tiers.push(PlanTier {
            id: t.id.clone(),
            members,
            until,
            size,
        });
    }

    let residual = terms
        .residual
        .as_ref()
        .map(|r| b.payee(&Location::Residual, r));

    let mut prior_named = Vec::new();
    for (i, p) in terms.paid.iter().enumerate() {
        let at = Location::Paid(i);
        let payee = b.payee(&at, &p.party);
        b.positive(&at, "amount", p.amount, true);
        prior_named.push((payee, q(p.amount)));
    }

    let mut caps = Vec::new();
    for (i, c) in terms.cap.iter().enumerate() {
        let at = Location::Cap(i);
        let payees: Vec<usize> = c.parties.iter().map(|p| b.payee(&at, p)).collect();
        if c.amount.is_none() && c.multiple.is_none() {
            b.errors.push(Error::EmptyCap { at: at.clone() });
            continue;
        }
        if let Some(a) = c.amount {
            b.positive(&at, "amount", a, true);
        }
        if let Some(m) = c.multiple {
            b.positive(&at, "multiple", m, true);
        }
        if let Some(d) = c.ends_on.as_ref().filter(|d| ctx.in_force.contains(*d)) {
            notes.push(format!("{at}: lifted on `{d}`"));
            continue;
        }
        let mut limit = c.amount.map(q);
        if let Some(m) = c.multiple {
            let missing: Vec<&String> = c
                .parties
                .iter()
                .filter(|p| !investments.contains_key(*p))
                .collect();
            if missing.is_empty() {
                let inv: Q = c
                    .parties
                    .iter()
                    .filter_map(|p| investments.get(p))
                    .fold(Q::zero(), |a, x| a + x);
                let l = q(m) * inv;
                limit = Some(match limit {
                    Some(a) if a < l => a,
                    _ => l,
                });
            } else {
                notes.push(format!(
                    "{at}: the {m}x cap on {} cannot be evaluated: no investment is recorded for {}{}",
                    c.parties.join(", "),
                    missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                    if limit.is_some() { "; only its amount applies" } else { "; it is not applied" }
                ));
            }
        }
        if let Some(limit) = limit {
            caps.push(PlanCap {
                index: i,
                payees,
                limit,
            });
        }
    }

    let n = b.payees.len();
    let mut prior = vec![Q::zero(); n];
    for (p, a) in prior_named {
        prior[p] += a;
    }
    for c in &caps {
        let paid: Q = c.payees.iter().fold(Q::zero(), |a, &p| a + &prior[p]);
        if paid > c.limit {
            b.errors.push(Error::CapBelowPaid {
                at: Location::Cap(c.index),
                cap: to_decimal(&c.limit, 2),
                paid: to_decimal(&paid, 2),
                parties: c.payees.iter().map(|&p| b.payees[p].clone()).collect(),
            });
        }
    }

    // Split payees to parties: a class with holders goes to its holders.
    let mut parties: Vec<String> = Vec::new();
    let mut party_index: HashMap<String, usize> = HashMap::new();
    let mut party = |name: &str| -> usize {
        if let Some(&i) = party_index.get(name) {
            return i;
        }
        parties.push(name.to_string());
        party_index.insert(name.to_string(), parties.len() - 1);
        parties.len() - 1
    };
    let mut split = Vec::with_capacity(n);
    let classes_by_id: HashMap<&str, &ShareClass> =
        terms.class.iter().map(|c| (c.id.as_str(), c)).collect();
    for name in b.payees.clone() {
        match classes_by_id.get(name.as_str()) {
            Some(c) if !c.holders.is_empty() => {
                let at = Location::Class(c.id.clone());
                let scale = c.holders.iter().map(|h| h.units.scale()).max().unwrap_or(0);
                let mut parts = Vec::with_capacity(c.holders.len());
                let mut total = BigInt::zero();
                for h in &c.holders {
                    b.positive(&at, &format!("units of {}", h.party), h.units, false);
                    if let Some(known) = &ctx.known_parties
                        && !known.contains(&h.party)
                    {
                        b.errors.push(Error::UnknownParty {
                            at: at.clone(),
                            party: h.party.clone(),
                            suggestion: suggest(&h.party, known.iter()),
                        });
                    }
                    let units = BigInt::from(h.units.mantissa())
                        * BigInt::from(10u8).pow(scale - h.units.scale());
                    total += &units;
                    parts.push((party(&h.party), units));
                }
                split.push(Split { parts, total });
            }
            _ => split.push(Split::whole(party(&name))),
        }
    }

    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    let class_shares: Vec<(usize, Q)> = terms
        .class
        .iter()
        .filter_map(|c| {
            let p = b.payees.iter().position(|x| x == &c.id)?;
            (c.shares > Decimal::ZERO).then(|| (p, q(c.shares)))
        })
        .collect();
    Ok(Plan {
        class_shares,
        off_top,
        notes: {
            notes.append(&mut b.notes);
            notes
        },
        entity: terms.entity.clone(),
        currency: terms.currency.clone(),
        payees: b.payees,
        parties,
        split,
        tiers,
        caps,
        residual,
        prior,
    })
}

/// Claims senior to every class: one tier per level of seniority, each
/// claim limited to its amount, pari passu within a level.
fn claims(
    b: &mut Builder<'_>,
    claims: &[Claim],
    ids: &mut BTreeSet<String>,
    tiers: &mut Vec<PlanTier>,
    off_top: &mut Vec<OffTop>,
) {
    let mut levels: BTreeMap<std::cmp::Reverse<i64>, Vec<Member>> = BTreeMap::new();
    let mut names: BTreeMap<std::cmp::Reverse<i64>, Vec<String>> = BTreeMap::new();
    for c in claims {
        let at = Location::Claim(c.id.clone());
        if !ids.insert(c.id.clone()) {
            b.errors.push(Error::DuplicateId { at: at.clone() });
        }
        let payee = b.payee(&at, &c.party);
        let amount = match (c.amount, c.percent) {
            (Some(a), None) => a,
            (None, Some(p)) => {
                if b.positive(&at, "percent", p, false) && p < Decimal::ONE_HUNDRED {
                    off_top.push(OffTop {
                        id: c.id.clone(),
                        payee,
                        share: percent(p),
                    });
                } else if p >= Decimal::ONE_HUNDRED {
                    b.errors.push(Error::SharesAbove100 {
                        at,
                        sum: p,
                        expected: OFF_TOP_LIMIT,
                    });
                }
                continue;
            }
            _ => {
                b.errors.push(Error::Invalid {
                    at,
                    what: "a claim states both or neither of `amount` and `percent`".into(),
                    hint: "write `amount = \"...\"` for a fixed claim, or `percent = 10` for a share of the proceeds".into(),
                });
                continue;
            }
        };
        if !b.positive(&at, "amount", amount, false) {
            continue;
        }
        let level = std::cmp::Reverse(c.seniority);
        levels.entry(level).or_default().push(Member {
            payee,
            weight: q(amount),
            limit: Some(q(amount)),
            join_at: None,
            stop_at_total: None,
            resume_at: None,
            option: None,
        });
        names.entry(level).or_default().push(c.id.clone());
    }
    for (level, members) in levels {
        let n = &names[&level];
        tiers.push(PlanTier {
            id: if n.len() == 1 {
                n[0].clone()
            } else {
                format!("claims-seniority-{}", level.0)
            },
            members,
            until: None,
            size: None,
        });
    }
}

fn classes(
    b: &mut Builder<'_>,
    classes: &[ShareClass],
    options: &[OptionGrant],
    tiers: &mut Vec<PlanTier>,
) {
    struct C {
        payee: usize,
        seniority: i64,
        pref: Q,
    }
    let mut prefs: Vec<C> = Vec::new();
    let mut common = Vec::new();
    for c in classes {
        let at = Location::Class(c.id.clone());
        let payee = b.payee(&at, &c.id);
        b.positive(&at, "shares", c.shares, false);
        let ratio = c.conversion_ratio.unwrap_or(Decimal::ONE);
        b.positive(&at, "conversion_ratio", ratio, false);
        let units = q(c.shares) * q(ratio);
        let multiple = c.liquidation_preference_multiple.unwrap_or(Decimal::ZERO);
        b.positive(&at, "liquidation_preference_multiple", multiple, true);
        let invested = match (c.invested, c.price_per_share) {
            (Some(i), _) => {
                b.positive(&at, "invested", i, true);
                Some(q(i))
            }
            (None, Some(p)) => {
                b.positive(&at, "price_per_share", p, true);
                Some(q(p) * q(c.shares))
            }
            (None, None) => None,
        };
        if multiple.is_zero() {
            common.push(Member {
                payee,
                weight: units,
                limit: None,
                join_at: None,
                stop_at_total: None,
                resume_at: None,
                option: None,
            });
            continue;
        }
        let Some(invested) = invested else {
            b.errors.push(Error::NotPositive {
                at,
                field: "invested".into(),
                value: Decimal::ZERO,
                expected: "`invested` or `price_per_share`, which the preference multiplies".into(),
            });
            continue;
        };
        let mut pref = q(multiple) * &invested;
        if let Some(d) = c.dividends_accrued
            && b.positive(&at, "dividends_accrued", d, true)
        {
            pref += q(d);
        }
        if let Some(div) = &c.dividend {
            b.positive(&at, "dividend.rate_percent", div.rate_percent, true);
            match div.growth(b.ctx.on, &at, "dividend") {
                Ok((factor, approximated)) => {
                    pref += &invested * (factor - Q::one());
                    if approximated {
                        b.notes.push(format!(
                            "class `{}`: its dividend compounds over part of a period, computed to {} digits",
                            c.id,
                            crate::accrual::DIGITS
                        ));
                    }
                }
                Err(e) => b.errors.push(e),
            }
        }
        if units.is_zero() || is_negative(&units) {
            continue;
        }
        if c.participating {
            let stop = c.participation_cap_multiple.map(|m| {
                b.positive(&at, "participation_cap_multiple", m, false);
                q(m) * &invested
            });
            let resume = match (&stop, c.convertible) {
                (Some(s), true) => Some(s / &units),
                _ => None,
            };
            common.push(Member {
                payee,
                weight: units.clone(),
                limit: None,
                join_at: None,
                stop_at_total: stop,
                resume_at: resume,
                option: None,
            });
        } else if c.convertible {
            common.push(Member {
                payee,
                weight: units.clone(),
                limit: None,
                join_at: Some(&pref / &units),
                stop_at_total: None,
                resume_at: None,
                option: None,
            });
        }
        prefs.push(C {
            payee,
            seniority: c.seniority,
            pref,
        });
    }
    // Options and warrants: in the common tier from their strike on.
    for o in options {
        let at = Location::Option(o.id.clone());
        let Some(c) = classes.iter().find(|c| c.id == o.class) else {
            b.errors.push(Error::UnknownClass {
                at,
                class: o.class.clone(),
                suggestion: suggest(&o.class, classes.iter().map(|c| &c.id)),
            });
            continue;
        };
        if c.liquidation_preference_multiple
            .is_some_and(|m| !m.is_zero())
        {
            b.errors.push(Error::NotPositive {
                at,
                field: "class".into(),
                value: c.liquidation_preference_multiple.unwrap_or_default(),
                expected: format!(
                    "a class without a liquidation preference: `{}` has one, and an option over preferred shares is not modelled (state it over the common it converts into)",
                    c.id
                ),
            });
            continue;
        }
        b.positive(&at, "units", o.units, false);
        b.positive(&at, "strike", o.strike, true);
        let payee = b.payee(&at, &o.party);
        let ratio = q(c.conversion_ratio.unwrap_or(Decimal::ONE));
        if ratio.is_zero()
            || is_negative(&ratio)
            || o.units <= Decimal::ZERO
            || o.strike < Decimal::ZERO
        {
            continue;
        }
        common.push(Member {
            payee,
            weight: q(o.units) * &ratio,
            limit: None,
            join_at: (o.strike > Decimal::ZERO).then(|| q(o.strike) / &ratio),
            stop_at_total: None,
            resume_at: None,
            option: Some(o.id.clone()),
        });
    }
    prefs.sort_by_key(|c| std::cmp::Reverse(c.seniority));
    let mut i = 0;
    while i < prefs.len() {
        let s = prefs[i].seniority;
        let level: Vec<&C> = prefs[i..].iter().take_while(|c| c.seniority == s).collect();
        i += level.len();
        let members: Vec<Member> = level
            .iter()
            .filter(|c| !c.pref.is_zero())
            .map(|c| Member {
                payee: c.payee,
                weight: c.pref.clone(),
                limit: Some(c.pref.clone()),
                join_at: None,
                stop_at_total: None,
                resume_at: None,
                option: None,
            })
            .collect();
        let id = if level.len() == 1 {
            format!("{}-preference", b.payees[level[0].payee])
        } else {
            format!("seniority-{s}-preference")
        };
        if !members.is_empty() {
            tiers.push(PlanTier {
                id,
                members,
                until: None,
                size: None,
            });
        }
    }
    tiers.push(PlanTier {
        id: "common".into(),
        members: common,
        until: None,
        size: None,
    });
}

fn fund(b: &mut Builder<'_>, f: &Fund, tiers: &mut Vec<PlanTier>) {
    let at = Location::Fund;
    let gp = b.payee(&at, &f.general_partner);
    let mut contributions: Vec<(usize, Q)> = Vec::new();
    if !f.call.is_empty() || !f.distribution.is_empty() {
        b.errors.push(Error::NotComputed {
            at: at.clone(),
            what: "one amount through a fund with dated calls and distributions".into(),
            hint: "a fund with dated calls is a ledger of its own distributions: run `boardroom waterfall FILE` without --amount or --cumulative".into(),
        });
        return;
    }
    if !f.promote.is_empty() {
        b.errors.push(Error::NotComputed {
            at: at.clone(),
            what: "a promote (carry above an IRR) without dates".into(),
            hint: "an IRR needs dates: state the fund's `call`s and `distribution`s".into(),
        });
    }
    for c in &f.commitment {
        let p = b.payee(&at, &c.party);
        let Some(contributed) = c.contributed else {
            b.errors.push(Error::Invalid {
                at: at.clone(),
                what: format!("commitment of `{}` has no `contributed` amount", c.party),
                hint: "without dated calls, each commitment states the capital it `contributed`"
                    .into(),
            });
            continue;
        };
        b.positive(
            &at,
            &format!("contributed by {}", c.party),
            contributed,
            true,
        );
        match contributions.iter_mut().find(|(x, _)| *x == p) {
            Some((_, a)) => *a += q(contributed),
            None => contributions.push((p, q(contributed))),
        }
    }
    let total: Q = contributions.iter().fold(Q::zero(), |a, (_, c)| a + c);
    let member = |payee: usize, weight: Q, limit: Option<Q>| Member {
        payee,
        weight,
        limit,
        join_at: None,
        stop_at_total: None,
        resume_at: None,
        option: None,
    };
    let positive = |v: &[(usize, Q)]| -> Vec<(usize, Q)> {
        v.iter().filter(|(_, w)| !w.is_zero()).cloned().collect()
    };
    let contributions = positive(&contributions);
    tiers.push(PlanTier {
        id: "return-of-capital".into(),

        members: contributions
            .iter()
            .map(|(p, c)| member(*p, c.clone(), Some(c.clone())))
            .collect(),
        until: None,
        size: None,
    });
    let carry = percent(f.carry_percent);
    b.positive(&at, "carry_percent", f.carry_percent, true);
    if f.carry_percent > Decimal::ONE_HUNDRED {
        b.errors.push(Error::SharesAbove100 {
            at: at.clone(),
            sum: f.carry_percent,
            expected: "at most 100%",
        });
    }
    let mut pref_total = Q::zero();
    if let Some(h) = &f.hurdle {
        b.positive(&at, "hurdle.rate_percent", h.rate_percent, true);
        let years = match h.years {
            Some(y) => y,
            None => {
                b.errors.push(Error::Invalid {
                    at: at.clone(),
                    what: "the hurdle has no `years`".into(),
                    hint: "without dated calls, say how long the capital was out: `years = 5`"
                        .into(),
                });
                Decimal::ZERO
            }
        };
        b.positive(&at, "hurdle.years", years, true);
        let rate = percent(h.rate_percent);
        let per_year: i64 = match h.compounding {
            Compounding::Simple => 0,
            Compounding::Annual => 1,
            Compounding::Quarterly => 4,
            Compounding::Monthly => 12,
        };
        let factor = if per_year == 0 {
            rate * q(years)
        } else {
            let periods = years * Decimal::from(per_year);
            if periods.fract() != Decimal::ZERO || periods > Decimal::from(1200) {
                b.errors.push(Error::FractionalPeriods {
                    at: at.clone(),
                    periods,
                });
                Q::zero()
            } else {
                let n = u32::try_from(periods.trunc().mantissa() / 10i128.pow(periods.scale()))
                    .unwrap_or(0);
                let base = Q::one() + rate / qi(per_year);
                // Exact, within a bound: the factor's digits grow with the
                // rate's and the periods (28 digits over 1,200 months gave
                // 36,000 digits and 75 s of arithmetic).
                let bits = base.numer().bits().max(base.denom().bits());
                let digits = (bits * u64::from(n)) * 30_103 / 100_000 + 1;
                if digits > MAX_HURDLE_DIGITS {
                    b.errors.push(Error::HurdleTooPrecise {
                        at: at.clone(),
                        periods: n,
                        rate: h.rate_percent,
                        digits,
                        limit: MAX_HURDLE_DIGITS,
                    });
                    Q::zero()
                } else {
                    pow(&base, n) - Q::one()
                }
            }
        };
        pref_total = &total * &factor;
        if !factor.is_zero() {
            tiers.push(PlanTier {
                id: "preferred-return".into(),

                members: contributions
                    .iter()
                    .map(|(p, c)| member(*p, c.clone(), Some(c * &factor)))
                    .collect(),
                until: None,
                size: None,
            });
        }
    }
    if let Some(k) = f.catch_up_percent
        && !pref_total.is_zero()
        && !carry.is_zero()
    {
        let kq = percent(k);
        let too_low = match f.catch_up_basis {
            CatchUpBasis::AllProfit => kq <= carry,
            CatchUpBasis::PreferredReturn | CatchUpBasis::OnePass => kq.is_zero(),
        };
        if too_low || k > Decimal::ONE_HUNDRED {
            b.errors.push(Error::CatchUpTooLow {
                at: at.clone(),
                catch_up: k,
                carry: f.carry_percent,
            });
        } else {
            let size = catch_up_size(f.catch_up_basis, &carry, &kq, &pref_total);
            let mut members = weighted(&contributions, &total, &(Q::one() - &kq));
            add_weight(&mut members, gp, kq);
            tiers.push(PlanTier {
                id: "catch-up".into(),

                members: members
                    .into_iter()
                    .map(|(p, w)| member(p, w, None))
                    .collect(),
                until: None,
                size: Some(size),
            });
        }
    }
    let mut members = weighted(&contributions, &total, &(Q::one() - &carry));
    add_weight(&mut members, gp, carry);
    tiers.push(PlanTier {
        id: "carried-interest".into(),

        members: members
            .into_iter()
            .map(|(p, w)| member(p, w, None))
            .collect(),
        until: None,
        size: None,
    });
}

/// The size of a catch-up tier of which the general partner takes `k`,
/// after a preferred return of `pref`:
/// - all profit: it must end with carry·(pref + x), so k·x = carry·(pref + x);
/// - preferred return: k·x = carry/(1 − carry)·pref;
/// - one pass: k·x = carry·pref.
pub(crate) fn catch_up_size(basis: CatchUpBasis, carry: &Q, k: &Q, pref: &Q) -> Q {
    match basis {
        CatchUpBasis::AllProfit => carry * pref / (k - carry),
        CatchUpBasis::PreferredReturn => carry * pref / ((Q::one() - carry) * k),
        CatchUpBasis::OnePass => carry * pref / k,
    }
}

fn weighted(contributions: &[(usize, Q)], total: &Q, share: &Q) -> Vec<(usize, Q)> {
    if total.is_zero() || share.is_zero() {
        return Vec::new();
    }
    contributions
        .iter()
        .map(|(p, c)| (*p, c / total * share))
        .collect()
}

fn add_weight(v: &mut Vec<(usize, Q)>, p: usize, w: Q) {
    if w.is_zero() {
        return;
    }
    match v.iter_mut().find(|(x, _)| *x == p) {
        Some((_, a)) => *a += w,
        None => v.push((p, w)),
    }
}

/// Pools: their counts hold together, their class and the grants drawn
/// from them exist; what is available is said to take nothing at an exit.
fn pools(b: &mut Builder, terms: &Terms) {
    let mut seen = BTreeSet::new();
    for p in &terms.pool {
        let at = Location::Pool(p.id.clone());
        if !seen.insert(p.id.as_str()) {
            b.errors.push(Error::DuplicateId { at: at.clone() });
        }
        b.positive(&at, "reserved", p.reserved, true);
        b.positive(&at, "available", p.available, true);
        if p.available > p.reserved {
            b.errors.push(Error::Invalid {
                at: at.clone(),
                what: format!(
                    "{} shares available, more than the {} reserved",
                    crate::money::grouped(p.available).trim_end_matches(".00"),
                    crate::money::grouped(p.reserved).trim_end_matches(".00")
                ),
                hint: "available = reserved - every grant drawn from the pool + what cancellations returned to it".into(),
            });
        }
        if let Some(c) = &p.class
            && !terms.class.is_empty()
            && !terms.class.iter().any(|x| &x.id == c)
        {
            b.errors.push(Error::UnknownClass {
                at: at.clone(),
                class: c.clone(),
                suggestion: suggest(c, terms.class.iter().map(|c| &c.id)),
            });
        }
        if p.available > Decimal::ZERO {
            b.notes.push(format!(
                "{at}: its {} shares available for grants are not issued: they take nothing at an exit",
                crate::money::grouped(p.available).trim_end_matches(".00")
            ));
        }
    }
    for o in &terms.option {
        if let Some(plan) = &o.plan
            && !terms.pool.iter().any(|p| &p.id == plan)
        {
            b.errors.push(Error::Invalid {
                at: Location::Option(o.id.clone()),
                what: format!("`plan` names `{plan}`, which is not a pool of these terms"),
                hint: match suggest(plan, terms.pool.iter().map(|p| &p.id)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "add it under `pool`, or leave `plan` out".into(),
                },
            });
        }
    }
}
