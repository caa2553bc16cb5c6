//! Options and warrants over a preferred class at an exit: which are
//! exercised.
//!
//! Exercised, an option over a preferred class adds its shares to the class
//! (with their preference, at the class's price per share) and its strike
//! to what is distributed; its holder receives what those shares take, less
//! the strike. Whether it pays to exercise depends on what the others do,
//! so every set of exercised options is tried (up to [`MAX_OPTIONS`]) and
//! the set kept is stable: every option in it is worth more than its strike
//! per share, and none outside would be, were it exercised too. With
//! several stable sets, the one with the fewest exercises is shown, and the
//! others are named.

use rust_decimal::Decimal;

use crate::distribution::{Distribution, Waterfall};
use crate::error::{Error, Location};
use crate::money::{Q, q};
use crate::plan::Context;
use crate::terms::{Holder, OptionGrant, ShareClass, Terms};

/// The most options over preferred classes solved together.
pub const MAX_OPTIONS: usize = 10;

#[derive(Debug, Clone)]
pub(crate) struct PreferredOptions {
    /// The terms without these options.
    pub base: Terms,
    pub options: Vec<OptionGrant>,
    pub ctx: Context,
}

/// Whether a class has a liquidation preference.
pub(crate) fn preferred(terms: &Terms, class: &str) -> bool {
    terms.class.iter().any(|c| {
        c.id == class
            && c.liquidation_preference_multiple
                .is_some_and(|m| !m.is_zero())
    })
}

impl PreferredOptions {
    /// `None` when no option is over a preferred class.
    pub fn new(terms: &Terms, ctx: &Context) -> Result<Option<PreferredOptions>, Vec<Error>> {
        let (over, rest): (Vec<OptionGrant>, Vec<OptionGrant>) = terms
            .option
            .iter()
            .cloned()
            .partition(|o| preferred(terms, &o.class));
        if over.is_empty() {
            return Ok(None);
        }
        let mut errors = Vec::new();
        if !terms.safe.is_empty() {
            errors.push(Error::NotComputed {
                at: Location::Option(over[0].id.clone()),
                what: "options over a preferred class together with SAFEs".into(),
                hint: "each is solved by trying every choice; the two together are not (yet): model one of them".into(),
            });
        }
        if over.len() > MAX_OPTIONS {
            errors.push(Error::NotComputed {
                at: Location::Terms,
                what: format!("{} options over preferred classes", over.len()),
                hint: format!("every set of exercised options is tried; up to {MAX_OPTIONS} are solved: group options of one holder, class and strike"),
            });
        }
        for o in &over {
            let at = Location::Option(o.id.clone());
            if o.units <= Decimal::ZERO {
                errors.push(Error::NotPositive {
                    at: at.clone(),
                    field: "units".into(),
                    value: o.units,
                    expected: "more than zero".into(),
                });
            }
            if o.strike < Decimal::ZERO {
                errors.push(Error::NotPositive {
                    at,
                    field: "strike".into(),
                    value: o.strike,
                    expected: "zero or more".into(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut base = terms.clone();
        base.option = rest;
        Ok(Some(PreferredOptions {
            base,
            options: over,
            ctx: ctx.clone(),
        }))
    }

    /// The terms with the options in `set` exercised: each one's shares
    /// are a class of their own with the terms of the class they are of
    /// (its preference per share, participation, conversion and
    /// seniority; no dividend accrued before the exercise), so that they
    /// convert or not by themselves, as each holder of preferred shares
    /// may.
    fn terms(&self, set: &[bool]) -> Terms {
        let mut t = self.base.clone();
        for (k, o) in self.options.iter().enumerate() {
            if !set[k] {
                continue;
            }
            let Some(c) = self.base.class.iter().find(|c| c.id == o.class) else {
                continue;
            };
            let price = c
                .price_per_share
                .or_else(|| c.invested.and_then(|i| i.checked_div(c.shares)))
                .unwrap_or_default();
            t.class.push(ShareClass {
                id: o.id.clone(),
                shares: o.units,
                price_per_share: Some(price),
                invested: None,
                dividends_accrued: None,
                dividend: None,
                holders: vec![Holder {
                    party: o.party.clone(),
                    units: o.units,
                }],
                source: o.source.clone(),
                note: None,
                ..c.clone()
            });
        }
        t
    }

    /// The strikes paid by the options in `set`, to the cent (rounded half
    /// up: a strike total with fractions of a cent cannot be paid).
    fn strikes(&self, set: &[bool]) -> Decimal {
        self.options
            .iter()
            .zip(set)
            .filter(|(_, e)| **e)
            .map(|(o, _)| (o.units * o.strike).round_dp(2))
            .sum()
    }

    /// The distribution of `amount` with the options in `set` exercised,
    /// and the value per share of each option's class.
    fn run(&self, set: &[bool], amount: Decimal) -> Result<(Distribution, Vec<Q>), Error> {
        let w = Waterfall::new(&self.terms(set), &self.ctx).map_err(|mut e| e.0.remove(0))?;
        let d = w.distribute(amount + self.strikes(set))?;
        // An option's shares are worth what a share of its class is: of
        // its own class once exercised, of the class it is over before.
        let per_share = self
            .options
            .iter()
            .enumerate()
            .map(|(k, o)| {
                let class = if set[k] { &o.id } else { &o.class };
                d.classes
                    .iter()
                    .find(|c| &c.class == class)
                    .map_or_else(Q::default, |c| c.per_share.0.clone())
            })
            .collect();
        Ok((d, per_share))
    }

    /// The stable outcome at `amount`, each exercised option's payout net
    /// of its strike.
    pub fn solve(&self, amount: Decimal) -> Result<Distribution, Error> {
        let n = self.options.len();
        let in_money = |per_share: &[Q], k: usize| per_share[k] > q(self.options[k].strike);
        let mut stable: Vec<(Vec<bool>, Distribution)> = Vec::new();
        for mask in 0..(1u32 << n) {
            let set: Vec<bool> = (0..n).map(|k| mask & (1 << k) != 0).collect();
            let (d, per_share) = self.run(&set, amount)?;
            if !(0..n).filter(|k| set[*k]).all(|k| in_money(&per_share, k)) {
                continue;
            }
            let mut outside = true;
            for k in (0..n).filter(|k| !set[*k]) {
                let mut more = set.clone();
                more[k] = true;
                let (_, ps) = self.run(&more, amount)?;
                if in_money(&ps, k) {
                    outside = false;
                    break;
                }
            }
            if outside {
                stable.push((set, d));
            }
        }
        stable.sort_by_key(|(s, _)| s.iter().filter(|e| **e).count());
        let words = |set: &[bool]| -> String {
            let ids: Vec<&str> = (0..n)
                .filter(|k| set[*k])
                .map(|k| self.options[k].id.as_str())
                .collect();
            if ids.is_empty() {
                "none exercised".into()
            } else {
                format!("{} exercised", ids.join(", "))
            }
        };
        let others: Vec<String> = stable.iter().skip(1).map(|(s, _)| words(s)).collect();
        let Some((set, mut d)) = stable.into_iter().next() else {
            return Err(Error::NotComputed {
                at: Location::Terms,
                what: "which options over preferred classes are exercised: no choice is stable"
                    .into(),
                hint: "please report this with the terms".into(),
            });
        };
        // Net of the strikes: the holders paid them in, so the payouts sum
        // to the amount again.
        for (k, o) in self.options.iter().enumerate() {
            let class_value = |d: &Distribution| {
                d.classes
                    .iter()
                    .find(|c| c.class == o.id)
                    .map(|c| c.per_share.decimal(6))
            };
            if set[k] {
                let strike = (o.units * o.strike).round_dp(2);
                if let Some(p) = d.payouts.iter_mut().find(|p| p.party == o.party) {
                    p.amount -= strike;
                    p.exact.0 -= q(strike);
                }
                d.notes.push(format!(
                    "option `{}` over {} shares of `{}` is exercised: a share is worth {} against a strike of {}; the strike ({strike}) is added to the proceeds and taken from its holder's payout",
                    o.id,
                    o.units,
                    o.class,
                    class_value(&d).unwrap_or_default(),
                    o.strike
                ));
            } else {
                d.notes.push(format!(
                    "option `{}` over {} shares of `{}` is not exercised: a share would be worth no more than its strike of {}",
                    o.id, o.units, o.class, o.strike
                ));
            }
        }
        if !others.is_empty() {
            d.notes.push(format!(
                "other choices of the options over preferred classes are also stable ({}): the one with the fewest exercises is shown",
                others.join("; ")
            ));
        }
        d.amount = amount;
        Ok(d)
    }
}
