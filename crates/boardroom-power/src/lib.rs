//! Exact voting-power indices and coalition analysis.
//!
//! A [`Game`] is either a [`WeightedGame`] (quota and integer weights) or a
//! [`SimpleGame`] (any monotone winning rule over at most 25 players, such
//! as "quorum AND threshold"). [`analyse`] computes the selected [`Index`]es
//! — Penrose-Banzhaf (with swing counts), Shapley-Shubik, Deegan-Packel,
//! Johnston, Holler's public good index and Coleman's three measures — plus
//! minimal winning and blocking coalitions, veto players and dummies.
//! [`can_block`] answers whether a group can block and, if not, who else
//! must join it.
//!
//! ```
//! use boardroom_power::{analyse, Game, Options, WeightedGame};
//!
//! // EEC Council of Ministers, 1958: France, Germany, Italy 4; Belgium,
//! // Netherlands 2; Luxembourg 1; quota 12.
//! let game = Game::Weighted(WeightedGame::new(12, vec![4, 4, 4, 2, 2, 1])?);
//! let a = analyse(&game, &[], &Options::default())?;
//! let ss = a.players[0].shapley_shubik.as_ref().and_then(|v| v.exact()).unwrap();
//! assert_eq!(ss.rational(), "7/30"); // 14/60
//! assert_eq!(a.dummies, vec![5]); // Luxembourg
//! # Ok::<(), boardroom_power::PowerError>(())
//! ```
//!
//! # Exactness and limits
//!
//! Counts are exact big integers and values exact rationals
//! ([`ExactValue`], with a 20-significant-digit decimal computed from the
//! rational). Weighted games are solved by generating functions over the
//! coalition weight, computed modulo several primes (57-bit ones for the
//! swing counts, 63-bit ones for Shapley-Shubik) and rebuilt by the Chinese
//! remainder theorem (exact because the primes' product exceeds every
//! count). Costs: Banzhaf, Coleman and the minimal-winning count take about
//! `n · q · n/56` word additions (`q` the quota after reduction);
//! Shapley-Shubik at most `n · s · q · n/63`, with `s` the largest size of
//! a losing coalition, and in practice a fifth of that: each player sweeps
//! only the weights that coalitions of each size can reach so far. Above [`EXACT_WORK_LIMIT`] steps, a quota above
//! [`EXACT_MAX_QUOTA`] or a Shapley-Shubik table above [`SS_MAX_CELLS`]
//! cells, the exact method stops with [`PowerError::TooLargeForExact`];
//! pass [`Approx`] in [`Options`] to get Monte Carlo estimates with 95%
//! confidence intervals there instead. Johnston needs every winning
//! coalition and is exact only up to 25 players; Deegan-Packel and the
//! public good index list every minimal winning coalition (any size up to
//! 25 players, otherwise up to [`MWC_ENUM_CAP`] of them). What is not
//! computed is listed in [`Analysis::not_computed`] with the reason.
//!
//! Before computing, weighted games are reduced to an equivalent game with
//! smaller numbers (see [`WeightedGame::reduced`]).

mod analysis;
mod block;
mod enumerate;
mod error;
mod game;
mod modular;
mod montecarlo;
mod value;
mod weighted;

pub use analysis::{
    Analysis, Approx, CoalitionList, Index, MWC_ENUM_CAP, NotComputed, Options, PlayerPower,
    analyse, exact_work,
};
pub use block::{BlockAnswer, MAX_COMPLETIONS, can_block};
pub use error::PowerError;
pub use game::{Game, MAX_ENUM_PLAYERS, Reduction, SimpleGame, WeightedGame, parse_weights};
pub use value::{DECIMAL_DIGITS, Estimate, ExactValue, Value, decimal_string};
pub use weighted::{EXACT_MAX_QUOTA, EXACT_WORK_LIMIT, SS_MAX_CELLS};
