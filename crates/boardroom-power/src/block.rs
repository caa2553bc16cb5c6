//! "Can this group block a decision?" with every smallest set of players
//! who would have to join it when it cannot.

use serde::Serialize;

use crate::error::PowerError;
use crate::game::{Game, SimpleGame, WeightedGame};

/// The answer of [`can_block`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockAnswer {
    /// The group asked about (ascending, without duplicates).
    pub group: Vec<usize>,
    /// Can the group on its own stop every motion (are the others, together,
    /// losing)?
    pub can_block: bool,
    /// When it cannot: a smallest set of further players who, joining the
    /// group, make it blocking (empty when `can_block`); the first of
    /// `completions`.
    pub needs: Vec<usize>,
    /// When it cannot: every smallest set of further players that makes it
    /// blocking, in lexicographic order (at most [`MAX_COMPLETIONS`]).
    pub completions: Vec<Vec<usize>>,
    /// More smallest sets exist than `completions` lists.
    pub more: bool,
    /// Why, in words.
    pub explanation: String,
}

/// The most smallest completions listed.
pub const MAX_COMPLETIONS: usize = 256;

/// Every `size`-subset of `candidates` that `ok` accepts, in the order of
/// `candidates`, at most `MAX_COMPLETIONS`, and whether more exist.
/// `prune(chosen, next)` may say that no completion of the chosen prefix
/// from position `next` on can be accepted (and none from any later
/// position).
fn subsets(
    candidates: &[usize],
    size: usize,
    ok: &mut dyn FnMut(&[usize]) -> bool,
    prune: &dyn Fn(&[usize], usize) -> bool,
) -> (Vec<Vec<usize>>, bool) {
    struct Walk<'a> {
        candidates: &'a [usize],
        size: usize,
        ok: &'a mut dyn FnMut(&[usize]) -> bool,
        prune: &'a dyn Fn(&[usize], usize) -> bool,
        chosen: Vec<usize>,
        out: Vec<Vec<usize>>,
        more: bool,
    }
    impl Walk<'_> {
        fn from(&mut self, start: usize) {
            if self.more {
                return;
            }
            if self.chosen.len() == self.size {
                if (self.ok)(&self.chosen) {
                    if self.out.len() == MAX_COMPLETIONS {
                        self.more = true;
                    } else {
                        self.out.push(self.chosen.clone());
                    }
                }
                return;
            }
            let left = self.size - self.chosen.len();
            for k in start..self.candidates.len() {
                if self.candidates.len() - k < left || (self.prune)(&self.chosen, k) {
                    break;
                }
                self.chosen.push(self.candidates[k]);
                self.from(k + 1);
                self.chosen.pop();
            }
        }
    }
    let mut w = Walk {
        candidates,
        size,
        ok,
        prune,
        chosen: Vec::with_capacity(size),
        out: Vec::new(),
        more: false,
    };
    w.from(0);
    (w.out, w.more)
}

/// Can `group` block, and if not, who else must join?
///
/// A group blocks when everyone outside it together cannot win. For
/// weighted games the smallest helper set takes the heaviest outsiders first
/// (removing the most weight per player from the others is optimal for the
/// number of players); for simple games helper sets are tried in increasing
/// size.
pub fn can_block(game: &Game, group: &[usize]) -> Result<BlockAnswer, PowerError> {
    let n = game.players();
    let mut g: Vec<usize> = group.to_vec();
    g.sort_unstable();
    g.dedup();
    if let Some(&bad) = g.iter().find(|&&i| i >= n) {
        return Err(PowerError::PlayerOutOfRange {
            index: bad,
            players: n,
        });
    }
    Ok(match game {
        Game::Weighted(w) => weighted(w, g),
        Game::Simple(s) => simple(s, g),
    })
}

fn weighted(game: &WeightedGame, group: Vec<usize>) -> BlockAnswer {
    let q = game.quota();
    let gw: u64 = group.iter().map(|&i| game.weights()[i]).sum();
    let rest = game.total_weight() - gw;
    if rest < q {
        return BlockAnswer {
            explanation: format!(
                "the group holds weight {gw}; everyone else together holds {rest}, below the quota {q}, so no motion passes without the group"
            ),
            group,
            can_block: true,
            needs: Vec::new(),
            completions: Vec::new(),
            more: false,
        };
    }
    let mut outsiders: Vec<usize> = (0..game.players())
        .filter(|i| group.binary_search(i).is_err())
        .collect();
    outsiders.sort_by(|&a, &b| game.weights()[b].cmp(&game.weights()[a]).then(a.cmp(&b)));
    // The fewest helpers: the heaviest outsiders first.
    let mut left = rest;
    let mut size = 0;
    for &i in &outsiders {
        if left < q {
            break;
        }
        left -= game.weights()[i];
        size += 1;
    }
    // Every set of that many outsiders that takes enough weight from the
    // others: at least `rest - q + 1`.
    let need = rest - q + 1;
    let w = |i: usize| game.weights()[i];
    // Heaviest first, so a prefix that cannot reach `need` even with the
    // heaviest remaining outsiders is cut.
    let sum = |c: &[usize]| c.iter().map(|&i| w(i)).sum::<u64>();
    let prune = |chosen: &[usize], k: usize| {
        let more: u64 = outsiders[k..]
            .iter()
            .take(size - chosen.len())
            .map(|&i| w(i))
            .sum();
        sum(chosen) + more < need
    };
    let (mut completions, more) =
        subsets(&outsiders, size, &mut |c: &[usize]| sum(c) >= need, &prune);
    for c in &mut completions {
        c.sort_unstable();
    }
    completions.sort();
    let needs = completions.first().cloned().unwrap_or_default();
    BlockAnswer {
        explanation: format!(
            "the group holds weight {gw}; the others hold {rest} >= quota {q}, so they can pass motions without it; {size} more player(s) must join it, taking at least {need} from the others"
        ),
        group,
        can_block: false,
        needs,
        completions,
        more,
    }
}

fn simple(game: &SimpleGame, group: Vec<usize>) -> BlockAnswer {
    let n = game.players();
    let full = (1u64 << n) - 1;
    let gmask = group.iter().fold(0u64, |m, &i| m | 1 << i);
    let blocks = |extra: u64| !game.wins(full & !(gmask | extra));
    if blocks(0) {
        return BlockAnswer {
            group,
            can_block: true,
            needs: Vec::new(),
            completions: Vec::new(),
            more: false,
            explanation: "the players outside the group do not form a winning coalition, so no motion passes without the group".into(),
        };
    }
    let outsiders: Vec<usize> = (0..n).filter(|i| gmask >> i & 1 == 0).collect();
    // Subsets of outsiders by increasing size: the first size with a
    // blocking one is the smallest, and all of that size are listed.
    for size in 1..=outsiders.len() {
        let (completions, more) = subsets(
            &outsiders,
            size,
            &mut |c: &[usize]| blocks(c.iter().fold(0u64, |m, &i| m | 1 << i)),
            &|_, _| false,
        );
        if let Some(first) = completions.first().cloned() {
            return BlockAnswer {
                group,
                can_block: false,
                explanation: format!(
                    "the players outside the group form a winning coalition; no set of fewer than {size} further player(s) makes the group blocking"
                ),
                needs: first,
                completions,
                more,
            };
        }
    }
    // Unreachable for a proper game (the empty coalition loses), kept total.
    BlockAnswer {
        group,
        can_block: false,
        needs: outsiders.clone(),
        completions: vec![outsiders],
        more: false,
        explanation: "only all players together can block".into(),
    }
}
