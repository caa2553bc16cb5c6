//! Typed errors. Every variant says what was wrong and what was expected;
//! [`PowerError::hint`] gives a one-line hint for the CLI's `hint:` line.

use thiserror::Error;

/// Everything that can go wrong when building a game or analysing it.
///
/// The library never panics on user input: bad input always ends up here.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PowerError {
    /// A game needs at least one player.
    #[error("the game has no players; expected at least one weight")]
    NoPlayers,
    /// The quota is 0, so even the empty coalition would win.
    #[error("quota is {quota}; expected a quota of at least 1")]
    QuotaTooLow {
        /// The quota given.
        quota: u64,
    },
    /// The quota exceeds the total weight, so no coalition can win.
    #[error(
        "quota {quota} is above the total weight {total_weight}; expected 1 <= quota <= {total_weight}"
    )]
    QuotaTooHigh {
        /// The quota given.
        quota: u64,
        /// The sum of all weights.
        total_weight: u64,
    },
    /// The total weight does not fit in 64 bits.
    #[error("the weights add up to more than 2^64-1")]
    WeightOverflow,
    /// An entry of a weight list is not a non-negative integer.
    #[error("weight #{position} is {found:?}; expected a non-negative integer")]
    BadWeight {
        /// 1-based position of the bad entry in the list.
        position: usize,
        /// The text found there.
        found: String,
    },
    /// Names given, but not one per player.
    #[error("{names} names given for {players} players; expected one name per player, in order")]
    NamesMismatch {
        /// Number of names given.
        names: usize,
        /// Number of players.
        players: usize,
    },
    /// A player index (for example in a group passed to `can_block`) is out of range.
    #[error("player index {index} is out of range; expected an index below {players}")]
    PlayerOutOfRange {
        /// The bad index (0-based).
        index: usize,
        /// Number of players.
        players: usize,
    },
    /// A simple game given by a predicate has too many players to enumerate.
    #[error("{n} players is too many for exact enumeration; expected at most {max}")]
    TooManyForEnumeration {
        /// Number of players asked for.
        n: usize,
        /// The largest number of players enumeration accepts.
        max: usize,
    },
    /// The winning predicate is not monotone: a superset of a winning coalition loses.
    #[error(
        "the winning rule is not monotone: coalition {winning:#b} wins but its superset {losing_superset:#b} loses"
    )]
    NotMonotone {
        /// A winning coalition, as a bitmask (bit i = player i).
        winning: u64,
        /// A superset of it that loses.
        losing_superset: u64,
    },
    /// The empty coalition wins or the grand coalition loses.
    #[error("the winning rule is degenerate: {what}")]
    Degenerate {
        /// Which of the two conditions failed.
        what: &'static str,
    },
    /// The exact method would need too much time or memory.
    #[error("{what} is too large for the exact method ({n} players, total weight {total_weight})")]
    TooLargeForExact {
        /// What was being computed.
        what: &'static str,
        /// Number of players.
        n: usize,
        /// Total weight after reduction.
        total_weight: u64,
        /// How to proceed.
        hint: String,
    },
    /// An index name that [`crate::Index`] does not know.
    #[error(
        "unknown power index {0:?}; expected one of banzhaf, shapley-shubik, deegan-packel, johnston, public-good, coleman"
    )]
    UnknownIndex(String),
    /// Monte Carlo was asked for with zero samples.
    #[error("approximation needs at least one sample")]
    NoSamples,
}

impl PowerError {
    /// A short hint telling the user how to fix the input, where there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            PowerError::NoPlayers => Some("give weights such as `4,4,4,2,2,1`".into()),
            PowerError::QuotaTooLow { .. } => {
                Some("a simple majority of total weight W is floor(W/2)+1".into())
            }
            PowerError::QuotaTooHigh { total_weight, .. } => Some(format!(
                "lower the quota to at most {total_weight}, or check the weights"
            )),
            PowerError::WeightOverflow => Some("divide all weights by a common factor".into()),
            PowerError::BadWeight { .. } => Some(
                "weights are whole numbers separated by commas or spaces, e.g. `4, 4, 4, 2, 2, 1`"
                    .into(),
            ),
            PowerError::NamesMismatch { .. } => {
                Some("give one name per player, or none (the players are then P1, P2, ...)".into())
            }
            PowerError::PlayerOutOfRange { .. } => Some("player indices start at 0".into()),
            PowerError::TooManyForEnumeration { .. } => Some(
                "express the rule as a weighted game (quota and weights), which has no such limit"
                    .into(),
            ),
            PowerError::NotMonotone { .. } => Some(
                "a voting rule must be monotone: adding a member to a winning coalition keeps it winning"
                    .into(),
            ),
            PowerError::Degenerate { .. } => Some(
                "the empty coalition must lose and the coalition of all players must win".into(),
            ),
            PowerError::TooLargeForExact { hint, .. } => Some(hint.clone()),
            PowerError::UnknownIndex(_) => None,
            PowerError::NoSamples => Some("pass a sample count such as 1000000".into()),
        }
    }
}
