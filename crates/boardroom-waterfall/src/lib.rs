//! Exact distribution waterfalls and look-through ownership.
//!
//! - [`Terms`] is what a person writes: tiers with percentage splits,
//!   caps, share classes with liquidation preferences, a fund waterfall.
//!   It is the `[[economics]]` section of a structure file.
//! - [`Waterfall`] compiles and validates terms against a [`Context`]
//!   (the known parties, the declarations in force), then
//!   [`Waterfall::distribute`]s an amount or distributes
//!   [`Waterfall::cumulative`] profits from zero, with breakpoints.
//! - [`svg`] draws a [`Cumulative`] as a stacked-area chart.
//! - [`HoldingGraph`] computes integrated (look-through) ownership across
//!   chains and cycles of holdings.
//!
//! All money is exact: rationals inside, `Decimal` at the edges, payouts
//! rounded to the cent by a stated rule ([`ROUNDING`]) so that they sum
//! exactly to the amount. Nothing here reads files or the clock, and bad
//! input gives a typed [`Error`] naming where it is, never a panic.
//!
//! ```
//! use boardroom_waterfall::{Terms, distribute};
//! use rust_decimal::Decimal;
//!
//! let terms: Terms = toml::from_str(r#"
//!     entity = "acme"
//!     residual = "founders"
//!     [[tier]]
//!     id = "investors-first"
//!     split = [{ party = "investors", percent = 100 }]
//!     until_received = { party = "investors", amount = "50" }
//! "#).unwrap();
//! let d = distribute(&terms, Decimal::from(80)).unwrap();
//! assert_eq!(d.payouts[0].amount, Decimal::from(50));
//! assert_eq!(d.payouts[1].amount, Decimal::from(30));
//! ```

mod accrual;
mod chart;
mod distribution;
mod error;
mod exercise;
mod fund;
mod lookthrough;
mod money;
mod plan;
mod safe;
mod terms;
mod waterfall;

pub use accrual::DayCount;
pub use chart::{ChartOptions, svg};
pub use distribution::{
    Breakpoint, ClassValue, Cumulative, Distribution, PartyTotal, PayeeAmount, Payout, ROUNDING,
    Segment, Share, TierAmount, TierPayout, Waterfall, cumulative, distribute,
};
pub use error::{Error, Errors, Location};
pub use fund::{
    CallRow, ClawbackRow, DistributionRow, Ledger, LedgerTotal, MAX_FLOWS, PartyAmount, TierRow,
    ledger,
};
pub use lookthrough::{
    ApproxInterest, Approximate, EXACT_LIMIT, Holding, HoldingGraph, HoldingShare, Integrated,
    Interest, Iterative,
};
pub use money::{Exact, Q, grouped, short_money};
pub use plan::Context;
pub use terms::{
    Accruing, Call, CallKind, Cap, CapBasis, CatchUpBasis, Claim, ClaimKind, Clawback, Commitment,
    Compounding, ConvertibleKind, Fund, FundDistribution, FundStyle, Holder, Hurdle, Investment,
    NoteInterest, OptionGrant, OptionKind, Pool, Portion, Promote, Receipt, Safe, ShareClass,
    Terms, Tier,
};
pub use waterfall::{Event, EventKind, State};
