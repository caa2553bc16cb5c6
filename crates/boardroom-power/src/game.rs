//! The two kinds of game: weighted voting games and simple games given by a
//! monotone winning rule over at most [`MAX_ENUM_PLAYERS`] players.

use num_integer::Integer;

use crate::error::PowerError;

/// The largest number of players a [`SimpleGame`] can have: it stores one
/// bit per coalition, 2^25 bits = 4 MiB, and analysis visits each coalition
/// once per player (about 8·10^8 steps at n = 25).
pub const MAX_ENUM_PLAYERS: usize = 25;

/// A weighted voting game `[q; w_1, ..., w_n]`: a coalition wins when its
/// total weight is at least the quota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeightedGame {
    quota: u64,
    weights: Vec<u64>,
    total: u64,
}

impl WeightedGame {
    /// A weighted game. Zero weights are allowed (such players are dummies);
    /// the quota must satisfy `1 <= quota <= sum of weights`.
    pub fn new(quota: u64, weights: Vec<u64>) -> Result<WeightedGame, PowerError> {
        if weights.is_empty() {
            return Err(PowerError::NoPlayers);
        }
        let total = weights
            .iter()
            .try_fold(0u64, |acc, &w| acc.checked_add(w))
            .ok_or(PowerError::WeightOverflow)?;
        if quota < 1 {
            return Err(PowerError::QuotaTooLow { quota });
        }
        if quota > total {
            return Err(PowerError::QuotaTooHigh {
                quota,
                total_weight: total,
            });
        }
        Ok(WeightedGame {
            quota,
            weights,
            total,
        })
    }

    /// The quota.
    pub fn quota(&self) -> u64 {
        self.quota
    }

    /// The weights, in player order.
    pub fn weights(&self) -> &[u64] {
        &self.weights
    }

    /// The number of players.
    pub fn players(&self) -> usize {
        self.weights.len()
    }

    /// The sum of the weights.
    pub fn total_weight(&self) -> u64 {
        self.total
    }

    /// Does coalition `members` (player indices) win?
    pub fn wins(&self, members: impl IntoIterator<Item = usize>) -> bool {
        let w: u64 = members
            .into_iter()
            .filter_map(|i| self.weights.get(i))
            .fold(0u64, |a, &b| a.saturating_add(b));
        w >= self.quota
    }

    /// The dual game `[W - q + 1; w]`: its winning coalitions are exactly
    /// the blocking coalitions of `self`.
    pub fn dual(&self) -> WeightedGame {
        WeightedGame {
            quota: self.total - self.quota + 1,
            weights: self.weights.clone(),
            total: self.total,
        }
    }

    /// An equivalent game (same winning coalitions) with smaller numbers.
    ///
    /// Two reductions, applied until nothing changes:
    ///
    /// 1. **Cap**: a weight above the quota becomes the quota. A coalition
    ///    containing that player wins before and after; one without it has
    ///    the same weight as before.
    /// 2. **Divide by the gcd** `g` of the weights: `w' = w/g`,
    ///    `q' = ceil(q/g)`. Since `w'(S)` is an integer,
    ///    `g·w'(S) >= q  <=>  w'(S) >= q/g  <=>  w'(S) >= ceil(q/g)`.
    ///
    /// Both are checked against brute force in the tests.
    pub fn reduced(&self) -> Reduction {
        let mut q = self.quota;
        let mut w = self.weights.clone();
        let mut notes = Vec::new();
        loop {
            let mut changed = false;
            let capped = w.iter().filter(|&&x| x > q).count();
            if capped > 0 {
                for x in &mut w {
                    if *x > q {
                        *x = q;
                    }
                }
                notes.push(format!(
                    "capped {capped} weight(s) above the quota {q} at the quota"
                ));
                changed = true;
            }
            let g = w.iter().fold(0u64, |g, &x| g.gcd(&x));
            if g > 1 {
                let nq = q.div_ceil(g);
                notes.push(format!(
                    "divided weights by their gcd {g}: quota {q} -> ceil({q}/{g}) = {nq}"
                ));
                for x in &mut w {
                    *x /= g;
                }
                q = nq;
                changed = true;
            }
            if !changed {
                break;
            }
        }
        let total = w.iter().sum();
        Reduction {
            game: WeightedGame {
                quota: q,
                weights: w,
                total,
            },
            notes,
        }
    }
}

/// The result of [`WeightedGame::reduced`]: an equivalent game and a
/// description of each step taken.
#[derive(Clone, Debug)]
pub struct Reduction {
    /// The equivalent, smaller game (same players in the same order).
    pub game: WeightedGame,
    /// One line per reduction step.
    pub notes: Vec<String>,
}

/// A simple game over `n <= 25` players, given by its winning coalitions.
///
/// Coalitions are bitmasks: bit `i` set means player `i` is a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleGame {
    n: usize,
    bits: Vec<u64>,
}

impl SimpleGame {
    /// Materialise `winning` over all `2^n` coalitions and check that it is
    /// a proper rule: monotone, the empty coalition loses, everyone wins.
    pub fn from_predicate(
        n: usize,
        winning: impl Fn(u64) -> bool,
    ) -> Result<SimpleGame, PowerError> {
        if n == 0 {
            return Err(PowerError::NoPlayers);
        }
        if n > MAX_ENUM_PLAYERS {
            return Err(PowerError::TooManyForEnumeration {
                n,
                max: MAX_ENUM_PLAYERS,
            });
        }
        let size = 1u64 << n;
        let mut bits = vec![0u64; (size as usize).div_ceil(64)];
        for s in 0..size {
            if winning(s) {
                bits[(s >> 6) as usize] |= 1 << (s & 63);
            }
        }
        let g = SimpleGame { n, bits };
        if g.wins(0) {
            return Err(PowerError::Degenerate {
                what: "the empty coalition wins",
            });
        }
        if !g.wins(size - 1) {
            return Err(PowerError::Degenerate {
                what: "the coalition of all players loses",
            });
        }
        for s in 0..size {
            if g.wins(s) {
                for i in 0..n {
                    let t = s | (1 << i);
                    if t != s && !g.wins(t) {
                        return Err(PowerError::NotMonotone {
                            winning: s,
                            losing_superset: t,
                        });
                    }
                }
            }
        }
        Ok(g)
    }

    /// The simple game with the same winning coalitions as `game`.
    pub fn from_weighted(game: &WeightedGame) -> Result<SimpleGame, PowerError> {
        let w = game.weights().to_vec();
        let q = game.quota();
        SimpleGame::from_predicate(w.len(), |s| {
            let mut t = 0u64;
            let mut m = s;
            while m != 0 {
                let i = m.trailing_zeros() as usize;
                t += w[i];
                m &= m - 1;
            }
            t >= q
        })
    }

    /// The number of players.
    pub fn players(&self) -> usize {
        self.n
    }

    /// Does coalition `mask` win? Bits at or above `n` are ignored.
    pub fn wins(&self, mask: u64) -> bool {
        let s = mask & ((1u64 << self.n) - 1);
        self.bits
            .get((s >> 6) as usize)
            .is_some_and(|b| b >> (s & 63) & 1 == 1)
    }
}

/// A game to analyse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Game {
    /// A weighted voting game (analysed by dynamic programming).
    Weighted(WeightedGame),
    /// A simple game (analysed by enumerating all coalitions).
    Simple(SimpleGame),
}

impl Game {
    /// The number of players.
    pub fn players(&self) -> usize {
        match self {
            Game::Weighted(g) => g.players(),
            Game::Simple(g) => g.players(),
        }
    }

    /// Whether the coalition `mask` (bit `i` for player `i`; players beyond
    /// the 64th cannot be named this way) wins.
    pub fn wins(&self, mask: u64) -> bool {
        match self {
            Game::Weighted(g) => g.wins((0..g.players().min(64)).filter(|i| mask >> i & 1 == 1)),
            Game::Simple(g) => g.wins(mask),
        }
    }
}

/// Parse a weight list such as `"4, 4, 4, 2, 2, 1"` (commas and/or
/// whitespace between entries). A bad entry is reported with its 1-based
/// position.
pub fn parse_weights(text: &str) -> Result<Vec<u64>, PowerError> {
    let entries: Vec<&str> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect();
    if entries.is_empty() {
        return Err(PowerError::NoPlayers);
    }
    entries
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let digits = s.strip_prefix('+').unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PowerError::BadWeight {
                    position: i + 1,
                    found: (*s).to_string(),
                });
            }
            digits.parse::<u64>().map_err(|_| PowerError::BadWeight {
                position: i + 1,
                found: (*s).to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_weights_accepts_commas_and_spaces() {
        assert_eq!(parse_weights("4, 4,4 2\t2 1"), Ok(vec![4, 4, 4, 2, 2, 1]));
    }

    #[test]
    fn parse_weights_names_the_bad_entry() {
        for (text, pos, found) in [
            ("4,4,-1", 3, "-1"),
            ("1.5", 1, "1.5"),
            ("3 x", 2, "x"),
            ("1,99999999999999999999", 2, "99999999999999999999"),
        ] {
            assert_eq!(
                parse_weights(text),
                Err(PowerError::BadWeight {
                    position: pos,
                    found: found.into()
                })
            );
        }
        assert_eq!(parse_weights(" , "), Err(PowerError::NoPlayers));
    }

    #[test]
    fn quota_is_checked() {
        assert_eq!(
            WeightedGame::new(0, vec![1]),
            Err(PowerError::QuotaTooLow { quota: 0 })
        );
        assert_eq!(
            WeightedGame::new(4, vec![1, 2]),
            Err(PowerError::QuotaTooHigh {
                quota: 4,
                total_weight: 3
            })
        );
        assert_eq!(WeightedGame::new(1, vec![]), Err(PowerError::NoPlayers));
        assert_eq!(
            WeightedGame::new(1, vec![u64::MAX, 1]),
            Err(PowerError::WeightOverflow)
        );
    }

    #[test]
    fn reduction_caps_then_divides() {
        let g = WeightedGame::new(7, vec![20, 4, 6]).expect("valid");
        let r = g.reduced();
        // cap 20 -> 7: gcd(7,4,6) = 1, nothing more.
        assert_eq!(r.game.weights(), &[7, 4, 6]);
        let g = WeightedGame::new(13, vec![6, 6, 4, 2]).expect("valid");
        let r = g.reduced();
        assert_eq!((r.game.quota(), r.game.weights()), (7, &[3, 3, 2, 1][..]));
    }

    #[test]
    fn non_monotone_rules_are_rejected() {
        // Player 0 alone wins, but together with player 1 loses.
        let e = SimpleGame::from_predicate(3, |s| s == 1 || s == 7).expect_err("not monotone");
        assert!(matches!(e, PowerError::NotMonotone { .. }), "{e:?}");
        let e = SimpleGame::from_predicate(2, |_| true).expect_err("empty wins");
        assert!(matches!(e, PowerError::Degenerate { .. }));
        let e = SimpleGame::from_predicate(26, |_| true).expect_err("too many");
        assert_eq!(e, PowerError::TooManyForEnumeration { n: 26, max: 25 });
    }
}
