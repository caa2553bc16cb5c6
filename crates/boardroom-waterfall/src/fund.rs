//! A fund's ledger: dated capital calls and distributions through the
//! fund waterfall, whole fund (European) or deal by deal (American), with
//! management fees as their own flow and the general partner's clawback.
//!
//! Each distribution passes through the tiers as they stand on its date:
//! 1. return of capital: each partner's capital called and not yet
//!    returned;
//! 2. preferred return: accrued by the hurdle's day count and compounding
//!    from each call (see [`Hurdle`]);
//! 3. catch-up: `catch_up_percent` to the general partner until it holds
//!    what [`CatchUpBasis`] says, of the preferred return paid so far;
//! 4. carried interest, and above each promote's IRR the promote's carry.
//!
//! Amounts are exact inside; each distribution is rounded to the cent
//! (largest remainder over its cells, so that they sum to it), and what
//! was paid in cents is what the later tiers count.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::accrual::{Accrual, Balance, DIGITS, SCALE};
use crate::error::{Error, Errors, Location};
use crate::money::{Q, cents_to_decimal, percent, q, round_largest_remainder};
use crate::plan::{Context, catch_up_size, suggest};
use crate::terms::{CallKind, CatchUpBasis, Compounding, Fund, FundStyle, Hurdle, Terms};

/// At most this many calls and distributions in one fund.
pub const MAX_FLOWS: usize = 5_000;
/// At most this many partners times flows: each flow updates every
/// partner's accounts (about 2 s at 40,000 on one core).
pub const MAX_WORK: usize = 250_000;
/// At most this many years between a fund's first and last dates.
pub const MAX_YEARS: i64 = 100;

/// The ledger of a fund with dated flows.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Ledger {
    pub entity: String,
    pub currency: String,
    pub style: FundStyle,
    pub general_partner: String,
    pub manager: String,
    pub carry_percent: Decimal,
    /// The IRR above which each promote applies, in order.
    pub promote_irrs: Vec<Decimal>,
    /// The terms in words, one line each.
    pub terms: Vec<String>,
    pub calls: Vec<CallRow>,
    pub distributions: Vec<DistributionRow>,
    /// Each party: what it paid in and received.
    pub parties: Vec<LedgerTotal>,
    /// What the general partner received as carry (catch-up, carry and
    /// promote), and what the manager received as fees.
    pub carried_interest: Decimal,
    pub fees: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clawback: Option<ClawbackRow>,
    /// Conventions and approximations a reader should know.
    pub caveats: Vec<String>,
}

/// A capital call and each partner's share of it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CallRow {
    pub date: NaiveDate,
    pub kind: CallKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal: Option<String>,
    pub amount: Decimal,
    pub from: Vec<PartyAmount>,
}

/// A distribution, tier by tier.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DistributionRow {
    pub date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal: Option<String>,
    pub amount: Decimal,
    /// Tiers that paid something, in order.
    pub tiers: Vec<TierRow>,
    /// Each party's total from this distribution.
    pub to: Vec<PartyAmount>,
    /// Of which the general partner's carry (catch-up, carry, promote).
    pub carried_interest: Decimal,
}

/// What one tier paid on one date.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TierRow {
    pub tier: String,
    pub amount: Decimal,
    pub to: Vec<PartyAmount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PartyAmount {
    pub party: String,
    pub amount: Decimal,
    /// Received as the general partner's carry (catch-up, carry, promote),
    /// not as a partner.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub carry: bool,
}

/// A party over the life of the fund.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LedgerTotal {
    pub party: String,
    /// Capital called from it, fees included.
    pub called: Decimal,
    /// Of which fees.
    pub fees_paid: Decimal,
    /// Received as a partner (return of capital, preferred return, its
    /// share of the later tiers).
    pub distributed: Decimal,
    /// Received as general partner (catch-up, carry, promote).
    pub carried_interest: Decimal,
    /// Received as manager.
    pub fees_received: Decimal,
    /// After the clawback, if any.
    pub clawback: Decimal,
    /// Received less paid in.
    pub net: Decimal,
    /// Distributed over called, to two places (none if nothing was
    /// called).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple: Option<Decimal>,
    /// The partner's IRR on its calls and distributions (actual/365,
    /// annual compounding, as spreadsheet XIRR), in percent to two places;
    /// none if it is not defined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irr_percent: Option<Decimal>,
}

/// The clawback at the end of the fund.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClawbackRow {
    pub on: NaiveDate,
    pub carry_received: Decimal,
    /// Distributions less calls, fees included.
    pub net_profit: Decimal,
    /// `carry_percent` of the net profit (zero if there is none).
    pub carry_earned: Decimal,
    /// Carry received above what was earned.
    pub excess: Decimal,
    /// What the partners still need to have their capital and preferred
    /// return, across the whole fund.
    pub shortfall: Decimal,
    /// The most the general partner gives back: its carry net of tax.
    pub limit: Decimal,
    /// The greater of excess and shortfall, within the limit.
    pub amount: Decimal,
    pub to: Vec<PartyAmount>,
}

/// A participant in a cell of a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The partner with this index in the commitments.
    Partner(usize),
    /// The general partner, as carry.
    Carry,
}

/// A partner in one pool (the fund, or one deal).
#[derive(Debug, Clone, Default)]
struct Account {
    /// The compounded preferred return's hurdle account: capital called,
    /// grown at the hurdle rate, less all that was received.
    hurdle: Balance,
    /// For each promote, every call (fees included) grown at its IRR, less
    /// all that was received.
    promotes: Vec<Balance>,
    capital: Q,
    returned: Q,
    pref_paid: Q,
    /// Simple preferred return accrued to `since`.
    accrued: Q,
    since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
struct Pool {
    accounts: Vec<Account>,
    pref_paid: Q,
    catch_up_paid: Q,
}

/// One kind of tier after the preferred return.
struct CarryTier {
    id: String,
    carry: Q,
    /// The IRR below which this tier applies.
    until_irr: Option<Q>,
}

/// Builds the ledger of a fund whose terms have dated calls.
pub fn ledger(terms: &Terms, ctx: &Context) -> Result<Ledger, Errors> {
    let Some(f) = &terms.fund else {
        return Err(Error::Invalid {
            at: Location::Terms,
            what: "no `fund` section".into(),
            hint: "a ledger needs `[fund]` with dated `call`s and `distribution`s".into(),
        }
        .into());
    };
    let mut errors = Vec::new();
    if !(terms.tier.is_empty()
        && terms.class.is_empty()
        && terms.claim.is_empty()
        && terms.safe.is_empty()
        && terms.option.is_empty()
        && terms.cap.is_empty()
        && terms.investment.is_empty()
        && terms.paid.is_empty()
        && terms.residual.is_none())
    {
        errors.push(Error::Invalid {
            at: Location::Fund,
            what: "a fund with dated calls and distributions stands alone in its terms, but these terms also have tiers, classes, claims, caps or a residual".into(),
            hint: "put the fund's ledger in an [[economics]] section of its own".into(),
        });
    }
    check(f, ctx, &mut errors);
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    Ok(run(terms, f))
}

fn check(f: &Fund, ctx: &Context, errors: &mut Vec<Error>) {
    let at = Location::Fund;
    let known = |name: &str, at: &Location, errors: &mut Vec<Error>| {
        if let Some(k) = &ctx.known_parties
            && !k.contains(name)
        {
            errors.push(Error::UnknownParty {
                at: at.clone(),
                party: name.to_string(),
                suggestion: suggest(name, k.iter()),
            });
        }
    };
    known(&f.general_partner, &at, errors);
    if let Some(m) = &f.manager {
        known(m, &at, errors);
    }
    if f.call.is_empty() {
        errors.push(Error::Invalid {
            at: at.clone(),
            what: "a fund with dated distributions has no `call`s".into(),
            hint: "add `[[fund.call]]` with `date` and `amount`".into(),
        });
    }
    if f.call.len() + f.distribution.len() > MAX_FLOWS {
        errors.push(Error::Invalid {
            at: at.clone(),
            what: format!(
                "{} calls and distributions, over the limit of {MAX_FLOWS}",
                f.call.len() + f.distribution.len()
            ),
            hint: "merge flows of one date, or split the fund".into(),
        });
        return;
    }
    let work = f.commitment.len() * (f.call.len() + f.distribution.len());
    if work > MAX_WORK {
        errors.push(Error::Invalid {
            at: at.clone(),
            what: format!(
                "{} commitments and {} flows: {work} partner-flows, over the limit of {MAX_WORK}",
                f.commitment.len(),
                f.call.len() + f.distribution.len()
            ),
            hint:
                "group partners with the same terms into one commitment, or merge flows of one date"
                    .into(),
        });
        return;
    }
    let mut seen = Vec::new();
    for c in &f.commitment {
        known(&c.party, &at, errors);
        if seen.contains(&&c.party) {
            errors.push(Error::DuplicateParty {
                at: at.clone(),
                party: c.party.clone(),
            });
        }
        seen.push(&c.party);
        if c.contributed.is_some() {
            errors.push(Error::Invalid {
                at: at.clone(),
                what: format!(
                    "commitment of `{}` states `contributed` in a fund with dated calls",
                    c.party
                ),
                hint: "with dated calls, each commitment states what it `committed`; the calls say what was contributed".into(),
            });
        }
        match c.committed {
            None => errors.push(Error::Invalid {
                at: at.clone(),
                what: format!("commitment of `{}` has no `committed` amount", c.party),
                hint: "state what each partner committed: calls are shared pro rata to it".into(),
            }),
            Some(x) if x <= Decimal::ZERO => errors.push(Error::NotPositive {
                at: at.clone(),
                field: format!("committed by {}", c.party),
                value: x,
                expected: "more than zero".into(),
            }),
            Some(_) => {}
        }
    }
    if f.commitment.is_empty() {
        errors.push(Error::Invalid {
            at: at.clone(),
            what: "no commitments".into(),
            hint: "add `commitment = [{ party = \"...\", committed = \"...\" }]`".into(),
        });
    }
    if !f.commitment.iter().any(|c| c.pays_fees) && f.call.iter().any(|c| c.kind == CallKind::Fee) {
        errors.push(Error::Invalid {
            at: at.clone(),
            what: "fees are called but no commitment pays fees".into(),
            hint: "set `pays_fees = true` on the partners that pay them".into(),
        });
    }
    let percent_field = |v: Decimal, field: &str, at: &Location, errors: &mut Vec<Error>| {
        if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
            errors.push(Error::NotPositive {
                at: at.clone(),
                field: field.into(),
                value: v,
                expected: "a percentage from 0 to 100".into(),
            });
        }
    };
    percent_field(f.carry_percent, "carry_percent", &at, errors);
    if let Some(k) = f.catch_up_percent {
        percent_field(k, "catch_up_percent", &at, errors);
        let too_low = match f.catch_up_basis {
            CatchUpBasis::AllProfit => k <= f.carry_percent,
            _ => k.is_zero(),
        };
        if too_low && f.hurdle.is_some() && !f.carry_percent.is_zero() {
            errors.push(Error::CatchUpTooLow {
                at: at.clone(),
                catch_up: k,
                carry: f.carry_percent,
            });
        }
    }
    if let Some(h) = &f.hurdle {
        check_hurdle(h, errors);
    }
    let mut last = Decimal::ZERO;
    for (i, p) in f.promote.iter().enumerate() {
        let at = Location::Promote(i);
        percent_field(p.carry_percent, "carry_percent", &at, errors);
        if p.carry_percent >= Decimal::ONE_HUNDRED {
            errors.push(Error::Invalid {
                at: at.clone(),
                what: "a promote of 100% leaves the partners nothing to reach the next IRR with"
                    .into(),
                hint: "state the general partner's share below 100".into(),
            });
        }
        if p.above_irr_percent <= last || p.above_irr_percent > Decimal::from(1000) {
            errors.push(Error::Invalid {
                at: at.clone(),
                what: format!(
                    "IRR hurdle of {}%, expected above {}% (the one before) and at most 1000%",
                    p.above_irr_percent, last
                ),
                hint: "list promotes in rising order of IRR".into(),
            });
        }
        last = p.above_irr_percent;
    }
    let american = f.style == FundStyle::American;
    let deals: Vec<&String> = f.call.iter().filter_map(|c| c.deal.as_ref()).collect();
    let mut first: Option<NaiveDate> = None;
    let mut end: Option<NaiveDate> = None;
    let mut span = |d: NaiveDate| {
        first = Some(first.map_or(d, |x| x.min(d)));
        end = Some(end.map_or(d, |x| x.max(d)));
    };
    for (i, c) in f.call.iter().enumerate() {
        let at = Location::Call(i);
        span(c.date);
        money(c.amount, "amount", &at, errors);
        if american && c.deal.is_none() {
            errors.push(Error::Invalid {
                at,
                what: "a call without a `deal` in an American fund".into(),
                hint:
                    "name the deal each call pays for; a fee call names the deal it is allocated to"
                        .into(),
            });
        }
    }
    for (i, d) in f.distribution.iter().enumerate() {
        let at = Location::Distribution(i);
        span(d.date);
        money(d.amount, "amount", &at, errors);
        if american {
            match &d.deal {
                None => errors.push(Error::Invalid {
                    at,
                    what: "a distribution without a `deal` in an American fund".into(),
                    hint: "name the deal whose proceeds it is".into(),
                }),
                Some(deal) if !deals.contains(&deal) => errors.push(Error::Invalid {
                    at,
                    what: format!("no call names deal `{deal}`"),
                    hint: match suggest(deal, deals.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "each deal's capital is called before its proceeds are distributed"
                            .into(),
                    },
                }),
                Some(_) => {}
            }
        }
    }
    if let Some(c) = &f.clawback {
        if let Some(t) = c.tax_percent {
            percent_field(t, "clawback.tax_percent", &at, errors);
        }
        if let Some(on) = c.on {
            span(on);
        }
    }
    if let (Some(a), Some(b)) = (first, end)
        && (b - a).num_days() > MAX_YEARS * 366
    {
        errors.push(Error::Invalid {
            at,
            what: format!("the fund's dates run from {a} to {b}, over {MAX_YEARS} years"),
            hint: "check the years of the dates".into(),
        });
    }
}

fn check_hurdle(h: &Hurdle, errors: &mut Vec<Error>) {
    let at = Location::Fund;
    if h.years.is_some() {
        errors.push(Error::Invalid {
            at: at.clone(),
            what: "the hurdle states `years` in a fund with dated calls".into(),
            hint: "with dated calls the preferred return accrues from each call's date: remove `years`".into(),
        });
    }
    if h.rate_percent < Decimal::ZERO || h.rate_percent > Decimal::from(1000) {
        errors.push(Error::NotPositive {
            at,
            field: "hurdle.rate_percent".into(),
            value: h.rate_percent,
            expected: "a rate from 0% to 1000%".into(),
        });
    }
}

fn money(v: Decimal, field: &str, at: &Location, errors: &mut Vec<Error>) {
    if v <= Decimal::ZERO {
        errors.push(Error::NotPositive {
            at: at.clone(),
            field: field.into(),
            value: v,
            expected: "more than zero".into(),
        });
    } else if v.round_dp(2) != v {
        errors.push(Error::FractionOfCent {
            at: at.clone(),
            amount: v,
        });
    }
}

enum Flow<'a> {
    Call(&'a crate::terms::Call),
    Distribution(&'a crate::terms::FundDistribution),
}

fn run(terms: &Terms, f: &Fund) -> Ledger {
    let n = f.commitment.len();
    let committed: Vec<Q> = f
        .commitment
        .iter()
        .map(|c| q(c.committed.unwrap_or_default()))
        .collect();
    let fee_weights: Vec<Q> = f
        .commitment
        .iter()
        .zip(&committed)
        .map(|(c, w)| if c.pays_fees { w.clone() } else { Q::zero() })
        .collect();
    let manager = f
        .manager
        .clone()
        .unwrap_or_else(|| f.general_partner.clone());
    let carry = percent(f.carry_percent);
    let catch_up = f.catch_up_percent.map(percent);
    let mut accrual = f
        .hurdle
        .as_ref()
        .map(|h| Accrual::new(percent(h.rate_percent), h.compounding, h.day_count));
    let compound = f
        .hurdle
        .as_ref()
        .is_some_and(|h| h.compounding != Compounding::Simple);
    let mut promotes: Vec<(Q, Accrual)> = f
        .promote
        .iter()
        .map(|p| {
            let r = percent(p.above_irr_percent);
            (
                r.clone(),
                Accrual::new(r, Compounding::Annual, crate::accrual::DayCount::Actual365),
            )
        })
        .collect();
    let carry_tiers = carry_tiers(f, &carry);

    // Flows in date order, calls before distributions on one date.
    let mut flows: Vec<(NaiveDate, u8, usize, Flow<'_>)> = Vec::new();
    for (i, c) in f.call.iter().enumerate() {
        flows.push((c.date, 0, i, Flow::Call(c)));
    }
    for (i, d) in f.distribution.iter().enumerate() {
        flows.push((d.date, 1, i, Flow::Distribution(d)));
    }
    flows.sort_by_key(|(d, k, i, _)| (*d, *k, *i));

    let pool_of = |deal: &Option<String>| -> String {
        match f.style {
            FundStyle::European => String::new(),
            FundStyle::American => deal.clone().unwrap_or_default(),
        }
    };
    let mut pools: BTreeMap<String, Pool> = BTreeMap::new();
    let new_pool = || Pool {
        accounts: vec![
            Account {
                promotes: vec![Balance::default(); f.promote.len()],
                ..Account::default()
            };
            n
        ],
        ..Pool::default()
    };
    // The whole fund's hurdle account, for the clawback.
    let mut fund_hurdle = Balance::default();
    let mut calls = Vec::new();
    let mut distributions = Vec::new();
    // Every partner's flows across the fund, for IRRs and the clawback.
    let mut fund_calls: Vec<Vec<(NaiveDate, Q)>> = vec![Vec::new(); n];
    let mut fund_capital_calls: Vec<Vec<(NaiveDate, Q)>> = vec![Vec::new(); n];
    let mut fund_receipts: Vec<Vec<(NaiveDate, Q)>> = vec![Vec::new(); n];
    let mut fees_paid = vec![Q::zero(); n];
    let mut carry_received = Q::zero();
    let mut fees_total = Q::zero();
    let mut last_date = None;

    for (date, _, _, flow) in &flows {
        last_date = Some(*date);
        match flow {
            Flow::Call(c) => {
                let weights = match c.kind {
                    CallKind::Investment => &committed,
                    CallKind::Fee => &fee_weights,
                };
                let amount = q(c.amount);
                let cents = split_cents(&amount, weights);
                let pool = pools.entry(pool_of(&c.deal)).or_insert_with(new_pool);
                let counts = c.kind == CallKind::Investment || f.fees_returned;
                let mut from = Vec::new();
                for (i, share) in cents.iter().enumerate() {
                    if share.is_zero() {
                        continue;
                    }
                    let a = &mut pool.accounts[i];
                    if let Some(acc) = accrual.as_mut()
                        && !compound
                    {
                        accrue_simple(a, acc, *date);
                    }
                    fund_calls[i].push((*date, share.clone()));
                    for (b, (_, acc)) in a.promotes.iter_mut().zip(promotes.iter_mut()) {
                        b.grow(acc, *date);
                        b.add(share);
                    }
                    if counts {
                        if let Some(acc) = accrual.as_mut()
                            && compound
                        {
                            a.hurdle.grow(acc, *date);
                            a.hurdle.add(share);
                            fund_hurdle.grow(acc, *date);
                            fund_hurdle.add(share);
                        }
                        a.capital += share;
                        fund_capital_calls[i].push((*date, share.clone()));
                    }
                    if c.kind == CallKind::Fee {
                        fees_paid[i] += share;
                    }
                    from.push(PartyAmount {
                        party: f.commitment[i].party.clone(),
                        amount: crate::money::to_decimal(share, 2),
                        carry: false,
                    });
                }
                if c.kind == CallKind::Fee {
                    fees_total += &amount;
                }
                calls.push(CallRow {
                    date: *date,
                    kind: c.kind,
                    deal: c.deal.clone(),
                    amount: c.amount,
                    from,
                });
            }
            Flow::Distribution(d) => {
                let pool = pools.entry(pool_of(&d.deal)).or_insert_with(new_pool);
                let ctx = Step {
                    f,
                    date: *date,
                    carry: &carry,
                    catch_up: catch_up.as_ref(),
                    compound,
                    carry_tiers: &carry_tiers,
                };
                let cells = distribute(&ctx, pool, q(d.amount), accrual.as_mut(), &mut promotes);
                if let Some(acc) = accrual.as_mut()
                    && compound
                {
                    fund_hurdle.grow(acc, *date);
                }
                let row = settle(
                    f,
                    *date,
                    d,
                    cells,
                    pool,
                    &mut fund_receipts,
                    &mut fund_hurdle,
                    &mut carry_received,
                );
                distributions.push(row);
            }
        }
    }

    // The clawback.
    let total_called: Q = fund_calls.iter().flatten().map(|(_, a)| a).sum();
    let total_distributed: Q = q(f.distribution.iter().map(|d| d.amount).sum());
    let clawback = f.clawback.as_ref().map(|c| {
        let on = c.on.or(last_date).unwrap_or_default();
        let net_profit = &total_distributed - &total_called;
        let earned = if net_profit.is_positive() {
            &carry * &net_profit
        } else {
            Q::zero()
        };
        let excess = (&carry_received - &earned).max(Q::zero());
        let shortfall = match (&f.hurdle, accrual.as_mut()) {
            (Some(_), Some(acc)) if compound => {
                let mut h = fund_hurdle.clone();
                h.grow(acc, on);
                h.value().max(Q::zero())
            }
            (Some(_), Some(acc)) => {
                // Simple interest on the net balance, flow by flow.
                let mut h = Q::zero();
                for i in 0..n {
                    for (d, a) in &fund_capital_calls[i] {
                        h += a * acc.factor(*d, on);
                    }
                    for (d, a) in &fund_receipts[i] {
                        h -= a * acc.factor(*d, on);
                    }
                }
                h.max(Q::zero())
            }
            _ => {
                let capital: Q = fund_capital_calls.iter().flatten().map(|(_, a)| a).sum();
                let got: Q = fund_receipts.iter().flatten().map(|(_, a)| a).sum();
                (capital - got).max(Q::zero())
            }
        };
        let keep = c.tax_percent.map_or(Q::one(), |t| Q::one() - percent(t));
        let limit = &carry_received * keep;
        let owed = excess.clone().max(shortfall.clone());
        let amount = cents_floor(&owed.min(limit.clone()));
        // Given back to the partners pro rata to their capital, the
        // general partner's own commitment left out.
        let mut weights: Vec<Q> = fund_capital_calls
            .iter()
            .map(|v| v.iter().map(|(_, a)| a).sum())
            .collect();
        let others = |w: &mut Vec<Q>| {
            for (i, c) in f.commitment.iter().enumerate() {
                if c.party == f.general_partner {
                    w[i] = Q::zero();
                }
            }
        };
        if f.commitment.iter().any(|c| c.party != f.general_partner) {
            others(&mut weights);
        }
        let shares = split_cents(&amount, &weights);
        let mut to = Vec::new();
        for (i, s) in shares.iter().enumerate() {
            if !s.is_zero() {
                fund_receipts[i].push((on, s.clone()));
                to.push(PartyAmount {
                    party: f.commitment[i].party.clone(),
                    amount: crate::money::to_decimal(s, 2),
                    carry: false,
                });
            }
        }
        ClawbackRow {
            on,
            carry_received: dec(&carry_received),
            net_profit: dec(&net_profit),
            carry_earned: dec(&earned),
            excess: dec(&excess),
            shortfall: dec(&shortfall),
            limit: dec(&limit),
            amount: dec(&amount),
            to,
        }
    });

    let parties = totals(
        f,
        &manager,
        &fund_calls,
        &fees_paid,
        &fund_receipts,
        &distributions,
        &fees_total,
        clawback.as_ref(),
    );
    let approximated = accrual.as_ref().is_some_and(|a| a.approximated)
        || promotes.iter().any(|(_, a)| a.approximated);
    Ledger {
        entity: terms.entity.clone(),
        currency: terms.currency.clone(),
        style: f.style,
        general_partner: f.general_partner.clone(),
        manager,
        carry_percent: f.carry_percent,
        promote_irrs: f.promote.iter().map(|p| p.above_irr_percent).collect(),
        terms: describe(f),
        calls,
        distributions,
        parties,
        carried_interest: dec(&carry_received),
        fees: dec(&fees_total),
        clawback,
        caveats: caveats(f, approximated),
    }
}

struct Step<'a> {
    f: &'a Fund,
    date: NaiveDate,
    carry: &'a Q,
    catch_up: Option<&'a Q>,
    compound: bool,
    carry_tiers: &'a [CarryTier],
}

fn carry_tiers(f: &Fund, carry: &Q) -> Vec<CarryTier> {
    let mut out = Vec::new();
    let mut rate = carry.clone();
    let mut id = "carried-interest".to_string();
    for (i, p) in f.promote.iter().enumerate() {
        out.push(CarryTier {
            id: id.clone(),
            carry: rate,
            until_irr: Some(percent(p.above_irr_percent)),
        });
        rate = percent(p.carry_percent);
        id = format!("promote-{}", i + 1);
    }
    out.push(CarryTier {
        id,
        carry: rate,
        until_irr: None,
    });
    out
}

/// Accrues a simple preferred return on capital not yet returned, up to
/// `to`.
fn accrue_simple(a: &mut Account, acc: &mut Accrual, to: NaiveDate) {
    if let Some(since) = a.since {
        let unreturned = &a.capital - &a.returned;
        if unreturned.is_positive() && to > since {
            a.accrued += unreturned * (acc.factor(since, to) - Q::one());
        }
    }
    a.since = Some(to);
}

/// Pays `amount` pro rata to what each is owed, at most all of it; returns
/// what was paid.
fn pro_rata(cells: &mut Vec<(String, Role, Q)>, tier: &str, owed: &[Q], left: &mut Q) {
    let total: Q = owed.iter().sum();
    if !total.is_positive() || !left.is_positive() {
        return;
    }
    let paid = if &total <= left {
        total.clone()
    } else {
        left.clone()
    };
    for (i, o) in owed.iter().enumerate() {
        if o.is_positive() {
            cells.push((tier.to_string(), Role::Partner(i), &paid * o / &total));
        }
    }
    *left -= paid;
}

/// Splits a tier of `size` (at most what is left): `gp` of it to the
/// general partner, the rest to the partners in proportion to `weights`.
fn split_tier(
    cells: &mut Vec<(String, Role, Q)>,
    tier: &str,
    size: Option<Q>,
    gp: &Q,
    weights: &[Q],
    left: &mut Q,
) {
    if !left.is_positive() {
        return;
    }
    let paid = match size {
        Some(s) if &s < left => s,
        _ => left.clone(),
    };
    if !paid.is_positive() {
        return;
    }
    let total: Q = weights.iter().sum();
    let partners = if total.is_positive() {
        Q::one() - gp
    } else {
        Q::zero()
    };
    if !gp.is_zero() || total.is_zero() {
        let share = if total.is_zero() {
            Q::one()
        } else {
            gp.clone()
        };
        cells.push((tier.to_string(), Role::Carry, &paid * share));
    }
    if partners.is_positive() {
        for (i, w) in weights.iter().enumerate() {
            if w.is_positive() {
                cells.push((
                    tier.to_string(),
                    Role::Partner(i),
                    &paid * &partners * w / &total,
                ));
            }
        }
    }
    *left -= paid;
}

fn distribute(
    s: &Step<'_>,
    pool: &mut Pool,
    amount: Q,
    mut accrual: Option<&mut Accrual>,
    promotes: &mut [(Q, Accrual)],
) -> Vec<(String, Role, Q)> {
    let mut left = amount;
    let mut cells = Vec::new();
    for a in &mut pool.accounts {
        for (b, (_, acc)) in a.promotes.iter_mut().zip(promotes.iter_mut()) {
            b.grow(acc, s.date);
        }
        if let Some(acc) = accrual.as_deref_mut()
            && s.compound
        {
            a.hurdle.grow(acc, s.date);
        }
    }
    // 1. Return of capital.
    if let Some(acc) = accrual.as_deref_mut()
        && !s.compound
    {
        for a in &mut pool.accounts {
            accrue_simple(a, acc, s.date);
        }
    }
    let owed: Vec<Q> = pool
        .accounts
        .iter()
        .map(|a| (&a.capital - &a.returned).max(Q::zero()))
        .collect();
    pro_rata(&mut cells, "return-of-capital", &owed, &mut left);
    // 2. Preferred return.
    let mut pref_now = Q::zero();
    if accrual.is_some() {
        let roc = per_partner(&cells, Some("return-of-capital"), pool.accounts.len());
        let owed: Vec<Q> = pool
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                if s.compound {
                    // The hurdle account, less the capital still owed
                    // (paid in this distribution or not).
                    let h = a.hurdle.value() - &roc[i];
                    let unreturned = &a.capital - &a.returned - &roc[i];
                    (h - unreturned).max(Q::zero())
                } else {
                    (&a.accrued - &a.pref_paid).max(Q::zero())
                }
            })
            .collect();
        let before = left.clone();
        pro_rata(&mut cells, "preferred-return", &owed, &mut left);
        pref_now = before - &left;
    }
    let weights: Vec<Q> = pool.accounts.iter().map(|a| a.capital.clone()).collect();
    // 3. Catch-up.
    if let (Some(k), Some(_)) = (s.catch_up, &s.f.hurdle)
        && !s.carry.is_zero()
    {
        let pref = &pool.pref_paid + &pref_now;
        let target = catch_up_size(s.f.catch_up_basis, s.carry, k, &pref);
        let due = (target - &pool.catch_up_paid).max(Q::zero());
        if due.is_positive() {
            split_tier(&mut cells, "catch-up", Some(due), k, &weights, &mut left);
        }
    }
    // 4. Carry, and each promote above its IRR.
    for t in s.carry_tiers {
        if !left.is_positive() {
            break;
        }
        let size = match &t.until_irr {
            None => None,
            Some(r) => {
                let Some(j) = promotes.iter().position(|(x, _)| x == r) else {
                    continue;
                };
                // What the partners need to reach the IRR, counting what
                // this distribution has paid them so far.
                let paid: Q = per_partner(&cells, None, 0).iter().sum();
                let h = pool
                    .accounts
                    .iter()
                    .fold(Q::zero(), |h, a| h + a.promotes[j].value())
                    - paid;
                let partners = Q::one() - &t.carry;
                if !h.is_positive() || !partners.is_positive() {
                    continue;
                }
                Some(h / partners)
            }
        };
        split_tier(&mut cells, &t.id, size, &t.carry, &weights, &mut left);
    }
    cells
}

/// What the partners received from the cells so far (from one tier, or
/// all), partner by partner.
fn per_partner(cells: &[(String, Role, Q)], tier: Option<&str>, n: usize) -> Vec<Q> {
    let mut out = vec![Q::zero(); n];
    for (t, r, a) in cells {
        if let Role::Partner(i) = r
            && tier.is_none_or(|x| x == t)
        {
            if *i >= out.len() {
                out.resize(*i + 1, Q::zero());
            }
            out[*i] += a;
        }
    }
    out
}

/// Rounds a distribution's cells to the cent, records what was paid (in
/// the pool, and in the fund's receipts, hurdle account and carry) and
/// returns its row.
#[allow(clippy::too_many_arguments)]
fn settle(
    f: &Fund,
    date: NaiveDate,
    d: &crate::terms::FundDistribution,
    cells: Vec<(String, Role, Q)>,
    pool: &mut Pool,
    fund_receipts: &mut [Vec<(NaiveDate, Q)>],
    fund_hurdle: &mut Balance,
    carry_received: &mut Q,
) -> DistributionRow {
    let exact: Vec<Q> = cells.iter().map(|(_, _, a)| a.clone()).collect();
    let total_cents = cents_of(&q(d.amount));
    let cents = round_largest_remainder(&exact, &total_cents);
    let name = |r: Role| match r {
        Role::Partner(i) => f.commitment[i].party.clone(),
        Role::Carry => f.general_partner.clone(),
    };
    let mut tiers: Vec<TierRow> = Vec::new();
    let mut to: Vec<PartyAmount> = Vec::new();
    let mut carried_interest = Decimal::ZERO;
    for ((tier, role, _), c) in cells.iter().zip(&cents) {
        let paid = Q::new(c.clone(), BigInt::from(100));
        let amount = cents_to_decimal(c);
        if amount.is_zero() {
            continue;
        }
        match role {
            Role::Partner(i) => {
                let a = &mut pool.accounts[*i];
                match tier.as_str() {
                    "return-of-capital" => a.returned += &paid,
                    "preferred-return" => {
                        a.pref_paid += &paid;
                        pool.pref_paid += &paid;
                    }
                    "catch-up" => pool.catch_up_paid += &paid,
                    _ => {}
                }
                let minus = -paid.clone();
                a.hurdle.add(&minus);
                for b in &mut a.promotes {
                    b.add(&minus);
                }
                fund_hurdle.add(&minus);
                fund_receipts[*i].push((date, paid));
            }
            Role::Carry => {
                if tier == "catch-up" {
                    pool.catch_up_paid += &paid;
                }
                *carry_received += paid;
                carried_interest += amount;
            }
        }
        let who = name(*role);
        let carry = *role == Role::Carry;
        match tiers.iter_mut().find(|t| &t.tier == tier) {
            Some(t) => {
                t.amount += amount;
                add(&mut t.to, &who, amount, carry);
            }
            None => tiers.push(TierRow {
                tier: tier.clone(),
                amount,
                to: vec![PartyAmount {
                    party: who.clone(),
                    amount,
                    carry,
                }],
            }),
        }
        add(&mut to, &who, amount, false);
    }
    DistributionRow {
        date,
        deal: d.deal.clone(),
        amount: d.amount,
        tiers,
        to,
        carried_interest,
    }
}

fn add(v: &mut Vec<PartyAmount>, party: &str, amount: Decimal, carry: bool) {
    match v.iter_mut().find(|p| p.party == party && p.carry == carry) {
        Some(p) => p.amount += amount,
        None => v.push(PartyAmount {
            party: party.to_string(),
            amount,
            carry,
        }),
    }
}

fn cents_of(x: &Q) -> BigInt {
    crate::money::floor_cents(x)
}

fn cents_floor(x: &Q) -> Q {
    Q::new(crate::money::floor_cents(x), BigInt::from(100))
}

/// Shares an amount in whole cents pro rata to `weights`, summing exactly.
fn split_cents(amount: &Q, weights: &[Q]) -> Vec<Q> {
    let total: Q = weights.iter().sum();
    if !total.is_positive() {
        return vec![Q::zero(); weights.len()];
    }
    let exact: Vec<Q> = weights.iter().map(|w| amount * w / &total).collect();
    round_largest_remainder(&exact, &cents_of(amount))
        .into_iter()
        .map(|c| Q::new(c, BigInt::from(100)))
        .collect()
}

fn dec(x: &Q) -> Decimal {
    crate::money::to_decimal(x, 2)
}

#[allow(clippy::too_many_arguments)]
fn totals(
    f: &Fund,
    manager: &str,
    calls: &[Vec<(NaiveDate, Q)>],
    fees_paid: &[Q],
    receipts: &[Vec<(NaiveDate, Q)>],
    distributions: &[DistributionRow],
    fees_total: &Q,
    clawback: Option<&ClawbackRow>,
) -> Vec<LedgerTotal> {
    let mut names: Vec<String> = f.commitment.iter().map(|c| c.party.clone()).collect();
    for extra in [&f.general_partner, &manager.to_string()] {
        if !names.contains(extra) {
            names.push(extra.clone());
        }
    }
    names
        .into_iter()
        .map(|party| {
            let i = f.commitment.iter().position(|c| c.party == party);
            let sum = |v: &[(NaiveDate, Q)]| -> Q { v.iter().map(|(_, a)| a).sum() };
            let called = i.map_or(Q::zero(), |i| sum(&calls[i]));
            let fees = i.map_or(Q::zero(), |i| fees_paid[i].clone());
            let clawed_in = clawback
                .and_then(|c| c.to.iter().find(|p| p.party == party))
                .map_or(Decimal::ZERO, |p| p.amount);
            let received = i.map_or(Q::zero(), |i| sum(&receipts[i]));
            // Receipts include the clawback paid to the partner; show it apart.
            let distributed = dec(&received) - clawed_in;
            let carry: Decimal = if party == f.general_partner {
                distributions.iter().map(|d| d.carried_interest).sum()
            } else {
                Decimal::ZERO
            };
            let given_back = if party == f.general_partner {
                clawback.map_or(Decimal::ZERO, |c| c.amount)
            } else {
                Decimal::ZERO
            };
            let fees_received = if party == manager {
                dec(fees_total)
            } else {
                Decimal::ZERO
            };
            let clawback = clawed_in - given_back;
            let called_d = dec(&called);
            let net = distributed + carry + fees_received + clawback - called_d;
            let multiple =
                (!called.is_zero()).then(|| crate::money::to_decimal(&(&received / &called), 2));
            let irr_percent = i.and_then(|i| irr(&calls[i], &receipts[i]));
            LedgerTotal {
                party,
                called: called_d,
                fees_paid: dec(&fees),
                distributed,
                carried_interest: carry,
                fees_received,
                clawback,
                net,
                multiple,
                irr_percent,
            }
        })
        .collect()
}

/// The IRR of calls (paid in) and receipts (paid out), actual/365 and
/// compounded annually as spreadsheet XIRR, in percent to two places.
/// Found by bisection on the net present value in floating point: a
/// figure for reading, not for computing money.
fn irr(calls: &[(NaiveDate, Q)], receipts: &[(NaiveDate, Q)]) -> Option<Decimal> {
    let mut flows: Vec<(f64, f64)> = Vec::new();
    let start = calls.iter().chain(receipts).map(|(d, _)| *d).min()?;
    for (d, a) in calls {
        flows.push(((*d - start).num_days() as f64 / 365.0, -a.to_f64()?));
    }
    for (d, a) in receipts {
        flows.push(((*d - start).num_days() as f64 / 365.0, a.to_f64()?));
    }
    if !flows.iter().any(|(_, a)| *a > 0.0) || !flows.iter().any(|(_, a)| *a < 0.0) {
        return None;
    }
    let npv = |r: f64| -> f64 { flows.iter().map(|(t, a)| a / (1.0 + r).powf(*t)).sum() };
    let (mut lo, mut hi) = (-0.9999_f64, 100.0_f64);
    let (flo, fhi) = (npv(lo), npv(hi));
    if !(flo.is_finite() && fhi.is_finite()) || flo.signum() == fhi.signum() {
        return None;
    }
    while hi - lo > 1e-12 {
        let mid = (lo + hi) / 2.0;
        let v = npv(mid);
        if v.signum() == flo.signum() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Decimal::from_f64_retain(((lo + hi) / 2.0) * 100.0).map(|d| d.round_dp(2))
}

fn describe(f: &Fund) -> Vec<String> {
    let mut out = vec![format!(
        "{}; carry {}% to {}",
        f.style.plain(),
        f.carry_percent,
        f.general_partner
    )];
    match &f.hurdle {
        Some(h) => out.push(format!(
            "preferred return {}% a year, {}, {}, from each call's date",
            h.rate_percent,
            match h.compounding {
                Compounding::Simple => "simple, on capital not yet returned",
                Compounding::Annual => "compounded annually",
                Compounding::Quarterly => "compounded quarterly",
                Compounding::Monthly => "compounded monthly",
            },
            h.day_count.plain()
        )),
        None => out.push("no preferred return".into()),
    }
    if let (Some(k), Some(_)) = (f.catch_up_percent, &f.hurdle) {
        out.push(format!(
            "catch-up {}% to the general partner ({}), to {}% {}",
            k,
            if k == Decimal::ONE_HUNDRED {
                "full"
            } else {
                "partial"
            },
            f.carry_percent,
            f.catch_up_basis.plain()
        ));
    }
    for p in &f.promote {
        out.push(format!(
            "above a {}% IRR, {}% to the general partner",
            p.above_irr_percent, p.carry_percent
        ));
    }
    out.push(if f.fees_returned {
        "management fees count as capital: returned first, with their preferred return".into()
    } else {
        "management fees are not returned by the waterfall".into()
    });
    if let Some(c) = &f.clawback {
        out.push(format!(
            "clawback at the end{}: the greater of carry above {}% of net profit and the partners' shortfall of capital and preferred return{}",
            c.on.map(|d| format!(" ({d})")).unwrap_or_default(),
            f.carry_percent,
            c.tax_percent
                .map(|t| format!(", net of {t}% tax"))
                .unwrap_or_default()
        ));
    }
    out
}

fn caveats(f: &Fund, approximated: bool) -> Vec<String> {
    let mut out = vec![
        "each distribution is rounded to the cent (largest remainder); later tiers count what was paid in cents".to_string(),
        "calls are shared pro rata to commitments (fees to the partners that pay them), rounded to the cent".to_string(),
        "IRRs are computed in floating point (XIRR: actual/365, annual compounding), shown to 0.01%".to_string(),
    ];
    if approximated {
        out.push(format!(
            "compounding over part of a period, (1 + r)^(days/365), is irrational: computed to {DIGITS} digits"
        ));
    }
    if f.hurdle
        .as_ref()
        .is_some_and(|h| h.compounding != Compounding::Simple)
        || !f.promote.is_empty()
    {
        out.push(format!(
            "compounded hurdle accounts are carried to {SCALE} decimal places, then what is owed is paid to the cent"
        ));
    }
    if f.style == FundStyle::American && f.clawback.is_none() {
        out.push("no clawback is stated: the carry paid deal by deal is final".into());
    }
    if f.hurdle
        .as_ref()
        .is_some_and(|h| h.compounding == Compounding::Simple)
        && f.clawback.is_some()
    {
        out.push("the clawback's shortfall counts simple interest on the partners' net balance (calls less receipts)".into());
    }
    out
}

impl Ledger {
    /// What the ledger finds, in a few lines: each party's money in and
    /// out, the carry, the fees and the clawback.
    pub fn summary(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let m = |x: Decimal| crate::money::grouped(x);
        let _ = writeln!(
            out,
            "{:<24} {:>18} {:>16} {:>18} {:>16} {:>16} {:>18} {:>8} {:>8}",
            "party",
            "called",
            "of which fees",
            "distributed",
            "carry",
            "fees received",
            "net",
            "multiple",
            "IRR"
        );
        for p in &self.parties {
            let _ = writeln!(
                out,
                "{:<24} {:>18} {:>16} {:>18} {:>16} {:>16} {:>18} {:>8} {:>8}",
                p.party,
                m(p.called),
                m(p.fees_paid),
                m(p.distributed + p.clawback.max(Decimal::ZERO)),
                m(p.carried_interest + p.clawback.min(Decimal::ZERO)),
                m(p.fees_received),
                m(p.net),
                p.multiple.map_or("-".into(), |x| format!("{x}x")),
                p.irr_percent.map_or("-".into(), |x| format!("{x}%")),
            );
        }
        let _ = writeln!(
            out,
            "Carried interest to {}: {}{}; management fees to {}: {}.",
            self.general_partner,
            m(self.carried_interest),
            self.clawback
                .as_ref()
                .filter(|c| !c.amount.is_zero())
                .map(|c| format!(", of which {} given back", m(c.amount)))
                .unwrap_or_default(),
            self.manager,
            m(self.fees)
        );
        if let Some(c) = &self.clawback {
            let _ = write!(
                out,
                "Clawback on {}: carry received {}; {}% of the net profit of {} is {}, an excess of {}; the partners' shortfall of capital and preferred return is {}; at most {} (carry net of tax): ",
                c.on,
                m(c.carry_received),
                self.terms_carry_percent(),
                m(c.net_profit),
                m(c.carry_earned),
                m(c.excess),
                m(c.shortfall),
                m(c.limit),
            );
            if c.amount.is_zero() {
                let _ = writeln!(out, "nothing to give back.");
            } else {
                let _ = writeln!(
                    out,
                    "{} gives back {} ({}).",
                    self.general_partner,
                    m(c.amount),
                    c.to.iter()
                        .map(|p| format!("{} {}", p.party, m(p.amount)))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        out
    }

    fn terms_carry_percent(&self) -> String {
        self.carry_percent.normalize().to_string()
    }
}

/// A tier's name for people.
pub fn tier_name(id: &str, promotes: &[Decimal]) -> String {
    match id {
        "return-of-capital" => "return of capital".into(),
        "preferred-return" => "preferred return".into(),
        "catch-up" => "catch-up".into(),
        "carried-interest" => "carried interest".into(),
        other => match other
            .strip_prefix("promote-")
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(n) => match promotes.get(n - 1) {
                Some(irr) => format!("promote above {irr}% IRR"),
                None => format!("promote {n}"),
            },
            None => other.to_string(),
        },
    }
}

impl std::fmt::Display for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = |x: Decimal| crate::money::grouped(x);
        let list = |v: &[PartyAmount]| {
            v.iter()
                .map(|p| {
                    if p.carry {
                        format!("{} (carry) {}", p.party, m(p.amount))
                    } else {
                        format!("{} {}", p.party, m(p.amount))
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(f, "Fund ledger of {} ({})", self.entity, self.currency)?;
        for t in &self.terms {
            writeln!(f, "  {t}")?;
        }
        writeln!(f, "Calls")?;
        for c in &self.calls {
            let kind = match c.kind {
                CallKind::Investment => "investment",
                CallKind::Fee => "fee",
            };
            writeln!(
                f,
                "  {}  {:<10} {:<12} {:>18}   {}",
                c.date,
                kind,
                c.deal.as_deref().unwrap_or(""),
                m(c.amount),
                list(&c.from)
            )?;
        }
        writeln!(f, "Distributions")?;
        for d in &self.distributions {
            writeln!(
                f,
                "  {}  {:<23} {:>18}",
                d.date,
                d.deal.as_deref().unwrap_or(""),
                m(d.amount)
            )?;
            for t in &d.tiers {
                writeln!(
                    f,
                    "    {:<32} {:>18}   {}",
                    tier_name(&t.tier, &self.promote_irrs),
                    m(t.amount),
                    list(&t.to)
                )?;
            }
        }
        write!(f, "{}", self.summary())?;
        for c in &self.caveats {
            writeln!(f, "caveat: {c}")?;
        }
        Ok(())
    }
}
