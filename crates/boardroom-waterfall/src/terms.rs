//! The economic terms a person writes down: the `[[economics]]` section
//! of a structure file.
//!
//! Keys are snake_case; unknown keys are rejected. Every field added
//! after the first version (classes, fund, `after`, `size`, `ends_on`,
//! `paid`) is optional, so older files still read.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::accrual::DayCount;

/// The distribution terms of one entity.
///
/// The waterfall runs, in this order: the liquidation stack built from
/// `class` (if any), the fund waterfall built from `fund` (if any), then
/// the explicit `tier`s. Whatever no tier takes goes to `residual`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// The entity whose profits or proceeds are distributed.
    pub entity: String,
    /// ISO 4217, such as `USD`.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// Amounts invested, which caps stated as multiples refer to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub investment: Vec<Investment>,
    /// Distribution tiers, in order of priority (listing order, unless
    /// a tier names the tier it comes `after`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tier: Vec<Tier>,
    /// Caps on what a party or group receives in total, from all tiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cap: Vec<Cap>,
    /// Claims paid before every share class: debt, transaction costs,
    /// a management carve-out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claim: Vec<Claim>,
    /// Share classes with liquidation preferences (venture terms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class: Vec<ShareClass>,
    /// SAFEs not yet converted, paid out at a liquidity event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub safe: Vec<Safe>,
    /// Options and warrants over a class that shares with common: exercised
    /// at an exit only where the class's value per share exceeds the strike.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub option: Vec<OptionGrant>,
    /// Equity incentive plans' pools: shares reserved for grants and not
    /// yet granted. Unissued, they take nothing at an exit; a fully
    /// diluted count includes what is still available.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pool: Vec<Pool>,
    /// A private-equity fund waterfall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fund: Option<Fund>,
    /// Amounts already received before this distribution; caps and
    /// `until_received` thresholds count them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paid: Vec<Receipt>,
    /// Who receives everything past the last tier, or once every party of
    /// the last tier is capped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual: Option<String>,
    /// The id of the source of these terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Terms {
    /// Whether these terms are a fund's ledger of dated calls and
    /// distributions (see [`crate::ledger`]) rather than terms that one
    /// amount is distributed through.
    pub fn is_ledger(&self) -> bool {
        self.fund
            .as_ref()
            .is_some_and(|f| !f.call.is_empty() || !f.distribution.is_empty())
    }
}

fn default_currency() -> String {
    "USD".to_string()
}

/// Money a party put in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Investment {
    pub party: String,
    pub amount: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumption: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One tier: percentages to parties, until a condition.
///
/// A tier with `until_received` runs until that party has received that
/// amount in total (from every tier, and counting `paid`). A tier with
/// `size` distributes at most that amount. A tier with neither runs until
/// every party in it is capped. When a party of the tier is capped, its
/// percentage is redistributed to the tier's uncapped parties in
/// proportion to their own percentages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    /// Each party's percentage of what this tier distributes; they must
    /// sum to exactly 100.
    pub split: Vec<Portion>,
    /// The tier runs until this party has received this amount in total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_received: Option<Receipt>,
    /// The most this tier distributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Decimal>,
    /// The id of the tier this one follows; without it, listing order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// A declaration (such as `agi`) which, once in force, ends this tier:
    /// it is skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumption: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A party's percentage within a tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Portion {
    pub party: String,
    pub percent: Decimal,
    /// A declaration (such as `agi`) which, once in force, ends this
    /// party's right in the tier; its percentage is then redistributed to
    /// the tier's other parties as for a capped party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumption: bool,
}

/// A party and an amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub party: String,
    pub amount: Decimal,
}

/// A cap on the total receipts of a party or group: an amount, or a
/// multiple of the group's total investment. With both, the lower binds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    /// The parties whose receipts count together against the cap.
    pub parties: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// A multiple of the total `investment` of `parties`. If any of them
    /// has no recorded investment, the cap cannot be evaluated: it is
    /// reported, not applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple: Option<Decimal>,
    /// A declaration which, once in force, lifts this cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumption: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A share class, in the vocabulary of the Open Cap Table Format's stock
/// class.
///
/// A class with a `liquidation_preference_multiple` above zero is
/// preferred: first it receives `multiple × invested`, senior classes
/// first, classes of equal seniority pari passu (pro rata to their
/// preference amounts). Then common and participating classes share pro
/// rata by as-converted units (`shares × conversion_ratio`). A
/// participating class stops when its total receipts (preference
/// included) reach `participation_cap_multiple × invested`. A convertible
/// class that is not participating, or whose participation is capped,
/// converts to common where that pays it more; this is solved exactly,
/// as the point where the common value per unit reaches its preference
/// (or cap) per unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareClass {
    pub id: String,
    /// Shares issued.
    pub shares: Decimal,
    /// Original issue price per share; with `shares`, the amount invested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_per_share: Option<Decimal>,
    /// The amount invested, if not `shares × price_per_share`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invested: Option<Decimal>,
    /// Higher numbers are paid first (as in OCF); equal numbers are pari
    /// passu.
    #[serde(default)]
    pub seniority: i64,
    /// Preference as a multiple of the amount invested; absent or zero
    /// for common.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liquidation_preference_multiple: Option<Decimal>,
    /// Whether the class also shares in what is left after preferences.
    #[serde(default)]
    pub participating: bool,
    /// Cap on total receipts of a participating class, as a multiple of
    /// the amount invested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation_cap_multiple: Option<Decimal>,
    /// Common units per share on conversion; 1 if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion_ratio: Option<Decimal>,
    /// Whether a preferred class may convert to common; true if absent.
    #[serde(default = "yes")]
    pub convertible: bool,
    /// Dividends accrued and unpaid on the class, in all: added to its
    /// preference (a cumulative dividend stated as an amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dividends_accrued: Option<Decimal>,
    /// A cumulative dividend that accrues on the amount invested: added to
    /// the preference, counted to the date of the distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dividend: Option<Dividend>,
    /// Votes per share; carried for reports, not used by the waterfall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes_per_share: Option<Decimal>,
    /// Who holds the class, by units. Without holders the class itself
    /// is the payee.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<Holder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A rate that accrues from `since` to the date of the distribution:
/// `rate_percent` a year, simple by default or compounded, counted by
/// `day_count` (days elapsed over 365 by default).
///
/// As a class's cumulative dividend it is of the amount invested (the NVCA
/// model charter's "cumulative and compound annually"): unpaid, it adds to
/// the preference, and a class that converts gives it up, as it gives up
/// its preference. As a note's interest it is of the principal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accruing {
    pub rate_percent: Decimal,
    /// When it starts to accrue (usually the issue date).
    pub since: chrono::NaiveDate,
    #[serde(default, skip_serializing_if = "is_simple")]
    pub compounding: Compounding,
    #[serde(default, skip_serializing_if = "is_default_day_count")]
    pub day_count: DayCount,
}

/// A class's cumulative dividend.
pub type Dividend = Accruing;
/// A note's interest.
pub type NoteInterest = Accruing;

impl Accruing {
    /// What 1 grows to from `since` to `on`, and whether the factor was
    /// rounded (compounding over part of a period). An error at `at` when
    /// there is no date, or `since` is after it; `field` names it.
    pub(crate) fn growth(
        &self,
        on: Option<chrono::NaiveDate>,
        at: &crate::error::Location,
        field: &str,
    ) -> Result<(crate::money::Q, bool), crate::error::Error> {
        match on {
            Some(on) if on >= self.since => {
                let mut a = crate::accrual::Accrual::new(
                    crate::money::percent(self.rate_percent),
                    self.compounding,
                    self.day_count,
                );
                let f = a.factor(self.since, on);
                Ok((f, a.approximated))
            }
            Some(on) => Err(crate::error::Error::NotPositive {
                at: at.clone(),
                field: format!("{field}.since"),
                value: Decimal::ZERO,
                expected: format!("a date on or before the distribution's ({on})"),
            }),
            None => Err(crate::error::Error::NotPositive {
                at: at.clone(),
                field: field.into(),
                value: self.rate_percent,
                expected: format!(
                    "a date for the distribution, which the {field} accrues to (give one: --as-of)"
                ),
            }),
        }
    }
}

fn is_simple(c: &Compounding) -> bool {
    *c == Compounding::Simple
}

fn yes() -> bool {
    true
}

/// A claim on the proceeds, paid before every share class: debt to
/// repay, transaction costs, a management carve-out.
///
/// A claim of an `amount` is paid in order of `seniority` (higher first);
/// claims of equal seniority share pro rata to their amounts until each is
/// paid. A claim of a `percent` takes that share of every dollar off the
/// top (a carve-out plan's "10% of the proceeds"), before every other claim
/// and class, which share the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: String,
    /// Who receives it.
    pub party: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// A share of the proceeds, in percent, instead of an amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<Decimal>,
    #[serde(default)]
    pub seniority: i64,
    #[serde(default)]
    pub kind: ClaimKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumption: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a [`Claim`] is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    Debt,
    TransactionCosts,
    CarveOut,
    #[default]
    Other,
}

/// A SAFE or a convertible note at a liquidity event (a sale before it
/// converts), as Y Combinator's SAFEs and the usual note's change-of-control
/// clause have it: the holder receives the greater of its cash-out (the
/// purchase amount; for a note, principal and accrued interest, times
/// `repayment_multiple`), paid at its seniority, and the conversion amount,
/// what its shares of common receive at the liquidity price.
///
/// The liquidity price is the valuation cap over a capitalization: with a
/// `post_money` cap (YC's post-money SAFE, the default) the liquidity
/// capitalization counts every share outstanding as converted, every
/// option and warrant outstanding and the shares of the SAFEs and notes
/// that convert, so a SAFE's shares are `purchase / cap` of it; with a
/// `pre_money` cap (YC's pre-money SAFE, and notes) the capitalization
/// leaves out the SAFEs and notes, so the shares are `amount × S / cap`.
/// Neither counts the unissued pool, nor the SAFEs, notes and preferred
/// classes that take their cash-out. Which convert is solved exactly, as
/// the choice from which none gains by changing its own.
///
/// A most-favoured-nation SAFE without a cap (`mfn = true`) takes the
/// lowest cap of the SAFEs listed after it (issued later), as its holder
/// may elect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Safe {
    pub id: String,
    /// Who holds it.
    pub party: String,
    /// The purchase amount; a note's principal.
    pub purchase_amount: Decimal,
    /// The valuation cap; none for an MFN SAFE that takes a later one's.
    /// A note with neither a cap nor a discount does not convert at a
    /// sale: it is repaid as debt (principal and interest, times
    /// `repayment_multiple`), and the output says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valuation_cap: Option<Decimal>,
    /// `safe` (the default) or `note`: a note is debt, repaid before
    /// every class unless its seniority says otherwise.
    #[serde(default, skip_serializing_if = "ConvertibleKind::is_safe")]
    pub kind: ConvertibleKind,
    /// Whether the cap is post-money (the default) or pre-money.
    #[serde(default, skip_serializing_if = "CapBasis::is_post_money")]
    pub cap_basis: CapBasis,
    /// A note's interest, accrued to the date of the distribution and
    /// added to what it cashes out and converts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest: Option<NoteInterest>,
    /// What a cash-out pays, as a multiple of the amount owed (a note's
    /// "two times principal and interest" on a change of control); 1 if
    /// not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repayment_multiple: Option<Decimal>,
    /// The discount, in percent: 20 for a SAFE whose "Discount Rate" is
    /// 80%. At a liquidity event it counts only where there is no cap: a
    /// discount-only SAFE converts into common at the price each common
    /// share receives in the event times the Discount Rate, so its shares
    /// are worth its purchase amount over the Discount Rate (YC's post-money
    /// SAFE, discount only, "Liquidity Price").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<Decimal>,
    /// A most-favoured-nation SAFE: it takes the lowest cap of the SAFEs
    /// listed after it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mfn: bool,
    /// The seniority of its cash-out, as a class's; default: a SAFE on a
    /// par with the most junior class with a preference, a note above
    /// every class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seniority: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A SAFE or a convertible note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConvertibleKind {
    #[default]
    Safe,
    Note,
}

impl ConvertibleKind {
    fn is_safe(&self) -> bool {
        *self == ConvertibleKind::Safe
    }
    pub fn plain(self) -> &'static str {
        match self {
            ConvertibleKind::Safe => "SAFE",
            ConvertibleKind::Note => "note",
        }
    }
}

/// Which capitalization a valuation cap divides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CapBasis {
    /// The liquidity capitalization counts the converting SAFEs and notes.
    #[default]
    PostMoney,
    /// The capitalization leaves out every SAFE and note.
    PreMoney,
}

impl CapBasis {
    fn is_post_money(&self) -> bool {
        *self == CapBasis::PostMoney
    }
}

/// An option or a warrant: the right to buy `units` shares of `class` at
/// `strike` each.
///
/// At an exit it is exercised only when that pays: when the value per
/// share of the class, counted with the options exercised, exceeds the
/// strike. The holder pays the strike, which is added to what is
/// distributed, and receives the shares' value; the payout shown is net of
/// the strike (value − strike per share), so the payouts still sum to the
/// amount. This is solved exactly, as for a preferred class that converts:
/// the option joins the common tier from the point where the value per
/// as-converted unit reaches its strike. Each dollar past that point is
/// shared over the exercised shares too, which is the same as adding the
/// strikes to the proceeds and dividing over all shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionGrant {
    pub id: String,
    /// Who holds it.
    pub party: String,
    /// The class its shares are of: a class without a liquidation
    /// preference (common, or a class that shares as common).
    pub class: String,
    /// Shares it buys.
    pub units: Decimal,
    /// The exercise price per share.
    pub strike: Decimal,
    /// `option` (the default) or `warrant`: the same at an exit.
    #[serde(default)]
    pub kind: OptionKind,
    /// The pool (`pool` id) it was granted from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An equity incentive plan's pool: the shares reserved for grants under
/// it, and how many were still available for grants on a date (reserved,
/// less every grant drawn from it, plus what cancellations returned).
/// The available shares are not issued: they take nothing at an exit, and
/// a fully diluted count includes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub id: String,
    /// The plan's name ("2021 Equity Incentive Plan").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The class its grants are of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Shares reserved under the plan.
    pub reserved: Decimal,
    /// Shares still available for grants on `counted_on`.
    pub available: Decimal,
    /// The date `available` was counted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_on: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What an [`OptionGrant`] is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    #[default]
    Option,
    Warrant,
}

impl OptionKind {
    pub fn plain(self) -> &'static str {
        match self {
            OptionKind::Option => "option",
            OptionKind::Warrant => "warrant",
        }
    }
}

/// A holder of units of a class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    pub party: String,
    pub units: Decimal,
}

/// A private-equity fund waterfall: return of capital, preferred return,
/// general-partner catch-up, carried interest, and optionally higher
/// carry above IRR hurdles (a promote).
///
/// Every `commitment` (the general partner's own included) receives its
/// capital back, then its preferred return, pro rata. The catch-up then
/// pays `catch_up_percent` to the general partner (the rest to the
/// commitments pro rata) until the general partner holds what
/// `catch_up_basis` says. What is left is split `carry_percent` to the
/// general partner, the rest to the commitments pro rata.
///
/// Without `call`s the fund is one distribution of an amount, all capital
/// taken as contributed at the start (`contributed`) and the preferred
/// return as accrued over `hurdle.years`. With dated `call`s and
/// `distribution`s it is a ledger: each distribution passes through the
/// tiers as they stand on its date, the whole fund at once (`european`)
/// or deal by deal (`american`), with management fees as their own flow
/// and a clawback at the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fund {
    /// The general partner, who receives the carried interest.
    pub general_partner: String,
    pub commitment: Vec<Commitment>,
    /// The preferred return; without it, no hurdle and no catch-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hurdle: Option<Hurdle>,
    /// The general partner's share of the catch-up tier (100 for a full
    /// catch-up, less for a partial one); without it, no catch-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch_up_percent: Option<Decimal>,
    /// What the catch-up catches up to.
    #[serde(default, skip_serializing_if = "CatchUpBasis::is_default")]
    pub catch_up_basis: CatchUpBasis,
    /// The general partner's share of profits.
    pub carry_percent: Decimal,
    /// Higher carry once the commitments reach an IRR, in rising order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promote: Vec<Promote>,
    /// Whole fund (`european`, the default) or deal by deal (`american`).
    /// Only with dated calls.
    #[serde(default, skip_serializing_if = "FundStyle::is_default")]
    pub style: FundStyle,
    /// Dated capital calls, for investments and for fees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub call: Vec<Call>,
    /// Dated distributions of proceeds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distribution: Vec<FundDistribution>,
    /// Who receives the management fees (the general partner if not
    /// named).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// Whether fees called count as capital contributed: returned in the
    /// first tier and earning the preferred return (the default, as the
    /// ILPA Principles recommend). If not, they are a cost to the
    /// partners that the waterfall never returns.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub fees_returned: bool,
    /// The general partner's obligation to give back carry at the end of
    /// the fund; computed when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clawback: Option<Clawback>,
}

fn is_true(b: &bool) -> bool {
    *b
}

/// Capital a partner put in (`contributed`, for a fund without dated
/// calls) or promised (`committed`, which shares out each call).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub party: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contributed: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed: Option<Decimal>,
    /// Whether the partner pays management fees (a general partner's own
    /// commitment often does not).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub pays_fees: bool,
}

/// A preferred return on contributed capital.
///
/// Without dated calls, all capital is taken as contributed at the start
/// and all proceeds as distributed after `years`. With dated calls, it
/// accrues from each call to each distribution, by `day_count`: simple
/// interest on capital not yet returned, or, compounded, on a hurdle
/// account (capital plus return, less all that the partner received), which
/// is met exactly when the partner's IRR reaches the rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hurdle {
    /// Annual rate, in percent.
    pub rate_percent: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<Decimal>,
    pub compounding: Compounding,
    #[serde(default, skip_serializing_if = "is_default_day_count")]
    pub day_count: DayCount,
}

fn is_default_day_count(d: &DayCount) -> bool {
    *d == DayCount::default()
}

/// What a catch-up gives the general partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CatchUpBasis {
    /// Until it holds `carry_percent` of all profit paid so far (preferred
    /// return and catch-up together): the usual clause.
    #[default]
    AllProfit,
    /// Until it has received `carry / (100 − carry)` of the preferred
    /// return paid; the same as `all_profit` for a full catch-up, less for
    /// a partial one.
    PreferredReturn,
    /// The clause read once, literally: until it has received
    /// `carry_percent` of the preferred return paid, the catch-up itself
    /// not counted (a full catch-up then leaves it short of its carry).
    OnePass,
}

impl CatchUpBasis {
    fn is_default(&self) -> bool {
        *self == CatchUpBasis::default()
    }
    pub fn plain(self) -> &'static str {
        match self {
            CatchUpBasis::AllProfit => "of all profit",
            CatchUpBasis::PreferredReturn => "of the preferred return, grossed up",
            CatchUpBasis::OnePass => "of the preferred return, one pass",
        }
    }
}

/// Whole fund or deal by deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FundStyle {
    /// Every distribution first returns all capital called and its
    /// preferred return across the fund.
    #[default]
    European,
    /// Each deal's distributions return that deal's capital and preferred
    /// return, then carry on that deal alone; a clawback at the end
    /// corrects what the whole fund did not earn.
    American,
}

impl FundStyle {
    fn is_default(&self) -> bool {
        *self == FundStyle::default()
    }
    pub fn plain(self) -> &'static str {
        match self {
            FundStyle::European => "European (whole fund)",
            FundStyle::American => "American (deal by deal)",
        }
    }
}

/// Carry above an IRR: once the commitments' IRR (actual/365, compounded
/// annually, as spreadsheet XIRR) reaches `above_irr_percent`, the
/// general partner takes `carry_percent` of what follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Promote {
    pub above_irr_percent: Decimal,
    pub carry_percent: Decimal,
}

/// What a capital call is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    #[default]
    Investment,
    /// A management fee: paid to the manager, shared by the partners
    /// that pay fees.
    Fee,
}

/// A capital call, shared among the commitments pro rata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Call {
    pub date: chrono::NaiveDate,
    pub amount: Decimal,
    #[serde(default, skip_serializing_if = "is_investment")]
    pub kind: CallKind,
    /// The deal it pays for (every call names one in an American fund).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn is_investment(k: &CallKind) -> bool {
    *k == CallKind::Investment
}

/// Proceeds distributed on a date (from a deal, in an American fund).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundDistribution {
    pub date: chrono::NaiveDate,
    pub amount: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The general partner's clawback at the end of the fund: it gives back
/// the greater of (a) what the partners still need to have their capital
/// and preferred return and (b) its carry above `carry_percent` of the
/// fund's net profit, at most what it received net of `tax_percent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Clawback {
    /// When it is computed: the end of the fund (the last distribution if
    /// not stated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<chrono::NaiveDate>,
    /// The tax the general partner paid on its carry, which it keeps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_percent: Option<Decimal>,
}

/// How a preferred return accrues. Compounded returns need a whole number
/// of periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Compounding {
    /// `rate × years`.
    #[default]
    Simple,
    /// `(1 + rate)^years − 1`.
    Annual,
    /// `(1 + rate/4)^(4 × years) − 1`.
    Quarterly,
    /// `(1 + rate/12)^(12 × years) − 1`.
    Monthly,
}
