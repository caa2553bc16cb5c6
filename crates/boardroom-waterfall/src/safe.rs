//! SAFEs at a liquidity event: which convert, and into how many shares.
//!
//! A SAFE's shares depend on the liquidity capitalization, which counts
//! the shares of the SAFEs that convert and not those of the ones cashed
//! out, nor the preferred classes that take their preference. So each set
//! of converting SAFEs is tried: its shares are computed exactly
//! (`LC = S / (1 − Σ purchase/cap)` over the set, `S` the other shares
//! counted), the waterfall is run with them, and the set is kept when it
//! is stable: every SAFE in it converts, and no SAFE outside would, were it
//! to join. The engine itself decides each SAFE's conversion as for a
//! preferred class: a SAFE converts where its shares are worth more than
//! its purchase amount.
//!
//! A discount-only SAFE (no cap) converts into common at the price each
//! common share receives in the event times its Discount Rate. Its shares
//! `N` then satisfy `N × v = P / d` whatever the price `v`, so converting
//! is a claim of `P / d` on what the preferences leave, before common: it
//! is run as such, and it converts where that pays more than its cash-out.

use std::collections::BTreeSet;

use num_traits::{One, Zero};
use rust_decimal::Decimal;

use crate::error::{Error, Location};
use crate::money::{Q, q, to_decimal};
use crate::plan::{Context, Plan, compile};
use crate::terms::{CapBasis, ConvertibleKind, Safe, ShareClass, Terms};
use crate::waterfall::{EventKind, Step, advance, start};

/// The most SAFEs solved together: every subset is tried.
pub const MAX_SAFES: usize = 10;

#[derive(Debug, Clone)]
pub(crate) struct Safes {
    /// The terms without the SAFEs.
    pub base: Terms,
    pub safes: Vec<Safe>,
    pub ctx: Context,
    pub seniority: Vec<i64>,
    /// Each SAFE's terms as they stand on the date: what it is owed, its
    /// cash-out and its cap.
    pub owed: Vec<Owed>,
    /// The seniority of a discount-only SAFE's conversion: below every
    /// class.
    pub conversion: i64,
    /// Why no amount can be distributed, though the terms stand.
    pub unsupported: Option<Error>,
}

/// What a SAFE or note stands for at the event.
#[derive(Debug, Clone)]
pub(crate) struct Owed {
    /// The purchase amount, with a note's interest accrued to the cent.
    pub balance: Decimal,
    /// The balance times the repayment multiple.
    pub cash_out: Decimal,
    /// The cap, an MFN SAFE's taken from a later SAFE.
    pub cap: Decimal,
    pub post_money: bool,
    /// The Discount Rate (1 − the discount) of a SAFE that converts by its
    /// discount, having no cap.
    pub rate: Option<Decimal>,
    /// It may convert at a sale: false for a note with neither a cap nor a
    /// discount, which is debt repaid, as Gust's note "simply repaid".
    pub convertible: bool,
}

/// One run: the plan for a set of converting SAFEs, and what it paid.
pub(crate) struct Run {
    pub plan: Plan,
    pub step: Step,
    pub converted: BTreeSet<String>,
    pub notes: Vec<String>,
}

/// A post-money SAFE's share of the liquidity capitalization.
fn fraction(o: &Owed) -> Q {
    q(o.balance) / q(o.cap)
}

impl Owed {
    /// What a discount-only SAFE's shares are worth: the balance over the
    /// Discount Rate.
    fn conversion_amount(&self) -> Option<Q> {
        self.rate.map(|d| q(self.balance) / q(d))
    }
}

/// What payee `id` received in a run, before any claim off the top.
fn paid(run: &Run, id: &str) -> Q {
    let Some(p) = run.plan.payees.iter().position(|x| x == id) else {
        return Q::zero();
    };
    run.step
        .flows
        .iter()
        .filter(|((_, x), _)| *x == p)
        .fold(Q::zero(), |a, (_, v)| a + v)
}

impl Safes {
    pub fn new(terms: &Terms, ctx: &Context) -> Result<Safes, Vec<Error>> {
        let mut errors = Vec::new();
        let junior = terms
            .class
            .iter()
            .filter(|c| {
                c.liquidation_preference_multiple
                    .is_some_and(|m| !m.is_zero())
            })
            .map(|c| c.seniority)
            .min()
            .unwrap_or(0);
        let senior = terms.class.iter().map(|c| c.seniority).max().unwrap_or(0) + 1;
        let mut owed = Vec::new();
        for (k, s) in terms.safe.iter().enumerate() {
            let at = Location::Safe(s.id.clone());
            let mut positive = |field: &str, v: Decimal| {
                if v <= Decimal::ZERO {
                    errors.push(Error::NotPositive {
                        at: at.clone(),
                        field: field.into(),
                        value: v,
                        expected: "a positive amount".into(),
                    });
                }
            };
            positive("purchase_amount", s.purchase_amount);
            if let Some(c) = s.valuation_cap {
                positive("valuation_cap", c);
            }
            if let Some(m) = s.repayment_multiple {
                positive("repayment_multiple", m);
            }
            if let Some(p) = s.discount_percent
                && (p < Decimal::ZERO || p >= Decimal::ONE_HUNDRED)
            {
                errors.push(Error::Invalid {
                    at: at.clone(),
                    what: format!("`discount_percent = {p}`: a discount from 0 up to, not including, 100"),
                    hint: "state the discount, not the Discount Rate: 20 for a SAFE that converts at 80% of the price".into(),
                });
            }
            let later_cap = terms.safe[k + 1..]
                .iter()
                .filter_map(|x| x.valuation_cap)
                .min();
            let cap = match (s.valuation_cap, s.mfn, s.discount_percent) {
                (Some(c), _, _) => Some(c),
                (None, true, _) if later_cap.is_some() => later_cap,
                (None, _, Some(_)) => None,
                (None, true, None) => {
                    errors.push(Error::NotComputed {
                        at: at.clone(),
                        what: "an MFN SAFE's cap: no SAFE listed after it has one".into(),
                        hint: "list the later SAFEs whose terms it may take after it, or state its cap or its `discount_percent`".into(),
                    });
                    None
                }
                // A note with no term to convert by at a sale is debt:
                // repaid, principal and interest (times its multiple).
                (None, false, None) if s.kind == ConvertibleKind::Note => None,
                (None, false, None) => {
                    errors.push(Error::NotComputed {
                        at: at.clone(),
                        what: format!(
                            "a {} with neither a valuation cap nor a discount at a liquidity event",
                            s.kind.plain()
                        ),
                        hint: "state its `valuation_cap` or its `discount_percent`, or `mfn = true` for one that takes a later SAFE's cap".into(),
                    });
                    None
                }
            };
            let rate = match (cap, s.discount_percent) {
                (None, Some(p)) => Some(Decimal::ONE - p / Decimal::ONE_HUNDRED),
                _ => None,
            };
            let mut balance = q(s.purchase_amount);
            if let Some(i) = &s.interest {
                match i.growth(ctx.on, &at, "interest") {
                    Ok((factor, _)) => balance *= factor,
                    Err(e) => errors.push(e),
                }
            }
            // Interest is owed to the cent.
            let balance = to_decimal(&balance, 2);
            let cash_out = balance * s.repayment_multiple.unwrap_or(Decimal::ONE);
            owed.push(Owed {
                balance,
                cash_out,
                cap: cap.unwrap_or(Decimal::ONE),
                post_money: s.cap_basis == CapBasis::PostMoney,
                rate,
                convertible: cap.is_some() || s.discount_percent.is_some(),
            });
        }
        if terms.safe.len() > MAX_SAFES {
            errors.push(Error::NotComputed {
                at: Location::Terms,
                what: format!("a liquidity event with {} SAFEs", terms.safe.len()),
                hint: format!(
                    "every set of converting SAFEs is tried; up to {MAX_SAFES} are solved"
                ),
            });
        }
        let discounted = terms.safe.iter().zip(&owed).find(|(_, o)| o.rate.is_some());
        let post_capped = terms
            .safe
            .iter()
            .zip(&owed)
            .find(|(_, o)| o.rate.is_none() && o.post_money && o.convertible);
        // The terms stand; only an amount through them is refused.
        let unsupported = match (discounted, post_capped) {
            (Some((d, _)), Some((c, _))) => Some(Error::NotComputed {
                at: Location::Safe(d.id.clone()),
                what: format!(
                    "a sale with the discount-only `{}` beside the post-money capped `{}` (the liquidity capitalization of `{}` counts the shares of `{}`, which depend on the sale's price)",
                    d.id, c.id, c.id, d.id
                ),
                hint: "a discount-only SAFE is computed beside pre-money SAFEs, notes and classes; state an equivalent cap to compute this sale".into(),
            }),
            _ => None,
        };
        if errors.is_empty() {
            let total: Q = owed
                .iter()
                .filter(|o| o.post_money && o.rate.is_none() && o.convertible)
                .map(fraction)
                .fold(Q::zero(), |a, x| a + x);
            if total >= Q::one() {
                errors.push(Error::NotComputed {
                    at: Location::Terms,
                    what: "the SAFEs' shares: their purchase amounts over their caps add up to 100% or more".into(),
                    hint: "check the purchase amounts and valuation caps".into(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut base = terms.clone();
        base.safe.clear();
        // A discount-only SAFE's conversion is paid after every preference.
        let conversion = terms
            .class
            .iter()
            .map(|c| c.seniority)
            .chain(terms.safe.iter().filter_map(|s| s.seniority))
            .chain([junior, 0])
            .min()
            .unwrap_or(0)
            - 1;
        Ok(Safes {
            unsupported,
            conversion,
            seniority: terms
                .safe
                .iter()
                .map(|s| {
                    s.seniority.unwrap_or(match s.kind {
                        ConvertibleKind::Safe => junior,
                        ConvertibleKind::Note => senior,
                    })
                })
                .collect(),
            owed,
            safes: terms.safe.clone(),
            base,
            ctx: ctx.clone(),
        })
    }

    /// The terms with every SAFE cashed out.
    pub fn all_cashed_out(&self) -> Terms {
        self.terms(&vec![false; self.safes.len()])
    }

    /// The terms with SAFE `k` as a class: convertible when it is in the
    /// set (its shares fixed after compiling), its cash-out only when not.
    fn terms(&self, set: &[bool]) -> Terms {
        let mut t = self.base.clone();
        for (k, s) in self.safes.iter().enumerate() {
            // A discount-only SAFE converting: a claim after every
            // preference, its amount set exactly after compiling.
            let by_discount = set[k] && self.owed[k].rate.is_some();
            t.class.push(ShareClass {
                id: s.id.clone(),
                shares: Decimal::ONE,
                price_per_share: None,
                invested: Some(self.owed[k].cash_out),
                seniority: if by_discount {
                    self.conversion
                } else {
                    self.seniority[k]
                },
                liquidation_preference_multiple: Some(Decimal::ONE),
                participating: false,
                participation_cap_multiple: None,
                conversion_ratio: None,
                convertible: set[k] && !by_discount,
                dividends_accrued: None,
                dividend: None,
                votes_per_share: None,
                holders: vec![crate::terms::Holder {
                    party: s.party.clone(),
                    units: Decimal::ONE,
                }],
                source: s.source.clone(),
                note: None,
            });
        }
        t
    }

    /// The shares counted in the liquidity capitalization besides the
    /// SAFEs': common and the preferred classes in `converting` as
    /// converted, and every option and warrant.
    fn others(&self, converting: &BTreeSet<String>) -> Q {
        let mut s = Q::zero();
        for c in &self.base.class {
            let preferred = c
                .liquidation_preference_multiple
                .is_some_and(|m| !m.is_zero());
            if !preferred || converting.contains(&c.id) {
                s += q(c.shares) * q(c.conversion_ratio.unwrap_or(Decimal::ONE));
            }
        }
        for o in &self.base.option {
            let ratio = self
                .base
                .class
                .iter()
                .find(|c| c.id == o.class)
                .and_then(|c| c.conversion_ratio)
                .unwrap_or(Decimal::ONE);
            s += q(o.units) * q(ratio);
        }
        s
    }

    /// The waterfall with the SAFEs in `set` converting, at `amount`.
    fn run(&self, set: &[bool], amount: &Q) -> Result<Run, Error> {
        let preferred: BTreeSet<String> = self
            .base
            .class
            .iter()
            .filter(|c| {
                c.liquidation_preference_multiple
                    .is_some_and(|m| !m.is_zero())
                    && c.convertible
            })
            .map(|c| c.id.clone())
            .collect();
        // The preferred classes counted: first all that may convert, then
        // those that did, until the count stands.
        let mut counted = preferred.clone();
        let share: Q = self
            .owed
            .iter()
            .enumerate()
            .filter(|(k, o)| set[*k] && o.post_money && o.rate.is_none())
            .map(|(_, o)| fraction(o))
            .fold(Q::zero(), |a, x| a + x);
        for _ in 0..=preferred.len() + 1 {
            let others = self.others(&counted);
            // Pre-money SAFEs and notes divide their cap by the
            // capitalization without any SAFE or note; the post-money ones'
            // liquidity capitalization counts them.
            let pre_money: Q = self
                .owed
                .iter()
                .enumerate()
                .filter(|(k, o)| set[*k] && !o.post_money && o.rate.is_none())
                .map(|(_, o)| q(o.balance) * &others / q(o.cap))
                .fold(Q::zero(), |a, x| a + x);
            let lc = (&others + pre_money) / (Q::one() - &share);
            let mut plan = compile(&self.terms(set), &self.ctx).map_err(|mut e| e.remove(0))?;
            let mut notes = Vec::new();
            for (k, s) in self.safes.iter().enumerate() {
                let Some(payee) = plan.payees.iter().position(|p| p == &s.id) else {
                    continue;
                };
                let o = &self.owed[k];
                let kind = s.kind.plain();
                if !set[k] {
                    // Cashed out: no shares, so no value per share.
                    plan.class_shares.retain(|(p, _)| *p != payee);
                    notes.push(format!(
                        "{kind} `{}` is cashed out: {} {} ({}), paid at its seniority",
                        s.id,
                        o.cash_out.normalize(),
                        plan.currency,
                        match (s.interest.is_some(), s.repayment_multiple) {
                            (false, None) => "its purchase amount".to_string(),
                            (true, None) =>
                                format!("principal and interest to the date, {}", o.balance),
                            (_, Some(m)) => format!("{m} times {}", o.balance),
                        }
                    ));
                    continue;
                }
                if let Some(amount) = o.conversion_amount() {
                    // Its tier pays the conversion amount, exactly.
                    plan.class_shares.retain(|(p, _)| *p != payee);
                    for tier in &mut plan.tiers {
                        if tier.members.iter().any(|m| m.payee == payee) {
                            tier.id = format!("{}-conversion", s.id);
                            for m in tier.members.iter_mut().filter(|m| m.payee == payee) {
                                m.weight = amount.clone();
                                m.limit = Some(amount.clone());
                            }
                        }
                    }
                    continue;
                }
                if s.discount_percent.is_some() {
                    notes.push(format!(
                        "{kind} `{}`: its {}% discount is not used at a liquidity event, where its cap sets the price (YC post-money SAFE, \"Liquidity Price\")",
                        s.id,
                        s.discount_percent.unwrap_or_default().normalize()
                    ));
                }
                let shares = if o.post_money {
                    fraction(o) * &lc
                } else {
                    q(o.balance) * &others / q(o.cap)
                };
                for tier in &mut plan.tiers {
                    for m in tier
                        .members
                        .iter_mut()
                        .filter(|m| m.payee == payee && m.join_at.is_some())
                    {
                        m.weight = shares.clone();
                        m.join_at = Some(q(o.cash_out) / &shares);
                    }
                }
                for (p, n) in &mut plan.class_shares {
                    if *p == payee {
                        *n = shares.clone();
                    }
                }
                let (basis, capitalization) = if o.post_money {
                    ("liquidity capitalization", lc.clone())
                } else {
                    ("capitalization without SAFEs and notes", others.clone())
                };
                notes.push(format!(
                    "{kind} `{}` converts: {basis} {} shares, liquidity price {} (cap {}{} / capitalization), {} shares",
                    s.id,
                    to_decimal(&capitalization, 2),
                    to_decimal(&(q(o.cap) / &capitalization), 6),
                    o.cap.normalize(),
                    if s.mfn && s.valuation_cap.is_none() { ", a later SAFE's, by most-favoured nation" } else { "" },
                    to_decimal(&shares, 2)
                ));
            }
            let mut st = start(&plan);
            let mut step = Step::default();
            advance(&plan, &mut st, amount, &mut step)?;
            self.discount_notes(set, &plan, &step, &mut notes);
            let converted: BTreeSet<String> = step
                .events
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::Converts { payee } => Some(payee.clone()),
                    _ => None,
                })
                .collect();
            let now: BTreeSet<String> = preferred.intersection(&converted).cloned().collect();
            if now == counted {
                return Ok(Run {
                    plan,
                    step,
                    converted,
                    notes,
                });
            }
            counted = now;
        }
        Err(Error::NotComputed {
            at: Location::Terms,
            what: "the liquidity capitalization: the preferred classes that convert do not settle"
                .into(),
            hint: "please report this with the terms".into(),
        })
    }

    /// What each converting discount-only SAFE took, and its shares at the
    /// price each common share received.
    fn discount_notes(&self, set: &[bool], plan: &Plan, step: &Step, notes: &mut Vec<String>) {
        let common = plan.tiers.iter().position(|t| t.id == "common");
        // The value of one common share: a plain member of the common tier.
        let price = common.and_then(|ci| {
            plan.tiers[ci]
                .members
                .iter()
                .find(|m| {
                    m.join_at.is_none()
                        && m.option.is_none()
                        && m.stop_at_total.is_none()
                        && m.weight > Q::zero()
                })
                .map(|m| {
                    step.flows
                        .get(&(ci, m.payee))
                        .cloned()
                        .unwrap_or_else(Q::zero)
                        / &m.weight
                })
        });
        for (k, s) in self.safes.iter().enumerate() {
            let (true, Some(amount)) = (set[k], self.owed[k].conversion_amount()) else {
                continue;
            };
            let Some(payee) = plan.payees.iter().position(|p| p == &s.id) else {
                continue;
            };
            let took = step
                .flows
                .iter()
                .filter(|((_, x), _)| *x == payee)
                .fold(Q::zero(), |a, (_, v)| a + v);
            let rate = self.owed[k].rate.unwrap_or(Decimal::ONE);
            let shares = match &price {
                Some(v) if *v > Q::zero() => format!(
                    "{} common shares at {} a share, {}% of the {} each common share receives",
                    to_decimal(&(&took / v), 2),
                    to_decimal(&(v * q(rate)), 6),
                    (rate * Decimal::ONE_HUNDRED).normalize(),
                    to_decimal(v, 6)
                ),
                Some(_) => {
                    "common receives nothing after it, so its share count has no bound".into()
                }
                None => "no common share is priced to count its shares".into(),
            };
            notes.push(format!(
                "{} `{}` converts by its discount: its shares are worth its {} over its Discount Rate, {}; it took {} ({shares}). The fair market value of common is read as what each common share receives in this event, its own shares counted",
                s.kind.plain(),
                s.id,
                if s.interest.is_some() { "principal and interest" } else { "purchase amount" },
                to_decimal(&amount, 2),
                to_decimal(&took, 2),
            ));
        }
    }

    /// Whether SAFE `k` converts in `with`, a run where it is in the set:
    /// by the engine's choice for a capped one; for a discount-only one,
    /// where it takes more than in `without`, the run where it cashes out.
    fn converts(
        &self,
        k: usize,
        with: &Run,
        without: impl FnOnce() -> Result<Run, Error>,
    ) -> Result<bool, Error> {
        let id = &self.safes[k].id;
        if self.owed[k].rate.is_none() {
            return Ok(with.converted.contains(id));
        }
        Ok(paid(with, id) > paid(&without()?, id))
    }

    /// The stable outcome at `amount`: the run, and the other stable sets.
    pub fn solve(&self, amount: &Q) -> Result<(Run, Vec<String>), Error> {
        if let Some(e) = &self.unsupported {
            return Err(e.clone());
        }
        let n = self.safes.len();
        let mut stable: Vec<(Vec<bool>, Run)> = Vec::new();
        for mask in 0..(1u32 << n) {
            let set: Vec<bool> = (0..n).map(|k| mask & (1 << k) != 0).collect();
            // A note that cannot convert is never in the set.
            if (0..n).any(|k| set[k] && !self.owed[k].convertible) {
                continue;
            }
            let run = self.run(&set, amount)?;
            let mut inside = true;
            for k in (0..n).filter(|k| set[*k]) {
                let mut less = set.clone();
                less[k] = false;
                if !self.converts(k, &run, || self.run(&less, amount))? {
                    inside = false;
                    break;
                }
            }
            if !inside {
                continue;
            }
            let mut outside = true;
            for k in (0..n).filter(|k| !set[*k] && self.owed[*k].convertible) {
                let mut more = set.clone();
                more[k] = true;
                let with = self.run(&more, amount)?;
                if self.converts(k, &with, || self.run(&set, amount))? {
                    outside = false;
                    break;
                }
            }
            if outside {
                stable.push((set, run));
            }
        }
        let words = |set: &[bool]| -> String {
            let c: Vec<&str> = (0..n)
                .filter(|k| set[*k])
                .map(|k| self.safes[k].id.as_str())
                .collect();
            if c.is_empty() {
                "none converting".to_string()
            } else {
                format!("{} converting", c.join(", "))
            }
        };
        let others: Vec<String> = stable.iter().skip(1).map(|(s, _)| words(s)).collect();
        match stable.into_iter().next() {
            Some((_, mut run)) => {
                for (k, o) in self.owed.iter().enumerate() {
                    if !o.convertible {
                        run.notes.push(format!(
                            "note `{}` states neither a valuation cap nor a discount: at a sale it is repaid as debt ({} with interest{}), and does not convert",
                            self.safes[k].id,
                            o.balance,
                            if o.cash_out == o.balance {
                                String::new()
                            } else {
                                format!(", times its repayment multiple: {}", o.cash_out)
                            }
                        ));
                    }
                }
                if !others.is_empty() {
                    run.notes.push(format!(
                        "other choices of the SAFEs are also stable ({}): the one with the fewest conversions is shown",
                        others.join("; ")
                    ));
                }
                Ok((run, others))
            }
            None => Err(Error::NotComputed {
                at: Location::Terms,
                what: "the SAFEs' choice: no set of conversions is stable".into(),
                hint: "please report this with the terms".into(),
            }),
        }
    }
}
