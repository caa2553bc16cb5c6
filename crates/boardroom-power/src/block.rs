//! "Can this group block a decision?" with the smallest set of players who
//! would have to join it when it cannot.

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
    /// group, make it blocking (empty when `can_block`).
    pub needs: Vec<usize>,
    /// Why, in words.
    pub explanation: String,
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
        };
    }
    let mut outsiders: Vec<usize> = (0..game.players())
        .filter(|i| group.binary_search(i).is_err())
        .collect();
    outsiders.sort_by(|&a, &b| game.weights()[b].cmp(&game.weights()[a]).then(a.cmp(&b)));
    let mut left = rest;
    let mut needs = Vec::new();
    for i in outsiders {
        if left < q {
            break;
        }
        left -= game.weights()[i];
        needs.push(i);
    }
    needs.sort_unstable();
    BlockAnswer {
        explanation: format!(
            "the group holds weight {gw}; the others hold {rest} >= quota {q}, so they can pass motions without it; with {} more player(s) (the heaviest outsiders) the others would hold {left} < {q}",
            needs.len()
        ),
        group,
        can_block: false,
        needs,
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
            explanation: "the players outside the group do not form a winning coalition, so no motion passes without the group".into(),
        };
    }
    let outsiders: Vec<usize> = (0..n).filter(|i| gmask >> i & 1 == 0).collect();
    // Subsets of outsiders by increasing size: the first blocking one is smallest.
    for size in 1..=outsiders.len() {
        let mut idx: Vec<usize> = (0..size).collect();
        loop {
            let extra = idx.iter().fold(0u64, |m, &k| m | 1 << outsiders[k]);
            if blocks(extra) {
                let needs: Vec<usize> = idx.iter().map(|&k| outsiders[k]).collect();
                return BlockAnswer {
                    group,
                    can_block: false,
                    explanation: format!(
                        "the players outside the group form a winning coalition; no set of fewer than {size} further player(s) makes the group blocking"
                    ),
                    needs,
                };
            }
            // Next combination.
            let mut k = size;
            while k > 0 && idx[k - 1] == outsiders.len() - size + k - 1 {
                k -= 1;
            }
            if k == 0 {
                break;
            }
            idx[k - 1] += 1;
            for j in k..size {
                idx[j] = idx[j - 1] + 1;
            }
        }
    }
    // Unreachable for a proper game (the empty coalition loses), kept total.
    BlockAnswer {
        group,
        can_block: false,
        needs: outsiders,
        explanation: "only all players together can block".into(),
    }
}
