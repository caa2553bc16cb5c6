//! Exact analysis by enumeration: every coalition of a [`SimpleGame`], and
//! output-sensitive listing of minimal winning coalitions of weighted games.

use num_bigint::BigUint;
use num_traits::Zero;

use crate::game::{SimpleGame, WeightedGame};

/// Everything enumeration finds about a simple game.
pub(crate) struct Enumerated {
    pub winning: u64,
    pub swings: Vec<u64>,
    /// `ss[i][s]`: coalitions S of size s (without i) where i swings.
    pub ss: Vec<Vec<u64>>,
    /// `johnston[i][k]`: winning coalitions with k critical members, i one of them.
    pub johnston: Vec<Vec<u64>>,
    /// Minimal winning coalitions (bitmasks), ascending.
    pub mwc: Vec<u64>,
    /// Minimal blocking coalitions (bitmasks), ascending.
    pub mbc: Vec<u64>,
}

pub(crate) fn enumerate(g: &SimpleGame) -> Enumerated {
    let n = g.players();
    let full: u64 = (1u64 << n) - 1;
    let mut e = Enumerated {
        winning: 0,
        swings: vec![0; n],
        ss: vec![vec![0; n]; n],
        johnston: vec![vec![0; n + 1]; n],
        mwc: Vec::new(),
        mbc: Vec::new(),
    };
    for s in 0..=full {
        if g.wins(s) {
            e.winning += 1;
            let mut crit = 0u64;
            let mut m = s;
            while m != 0 {
                let b = m & m.wrapping_neg();
                if !g.wins(s ^ b) {
                    crit |= b;
                }
                m ^= b;
            }
            let k = crit.count_ones() as usize;
            let size = s.count_ones() as usize;
            let mut m = crit;
            while m != 0 {
                let i = m.trailing_zeros() as usize;
                e.swings[i] += 1;
                e.ss[i][size - 1] += 1;
                e.johnston[i][k] += 1;
                m &= m - 1;
            }
            if crit == s {
                e.mwc.push(s);
            }
        } else {
            // Maximal losing coalition <=> its complement is minimal blocking.
            let mut out = full & !s;
            let mut maximal = true;
            while out != 0 {
                let b = out & out.wrapping_neg();
                if !g.wins(s | b) {
                    maximal = false;
                    break;
                }
                out ^= b;
            }
            if maximal {
                e.mbc.push(full & !s);
            }
        }
    }
    e.mbc.sort_unstable();
    e
}

/// Members of a bitmask coalition, ascending.
pub(crate) fn members(mask: u64) -> Vec<usize> {
    let mut v = Vec::with_capacity(mask.count_ones() as usize);
    let mut m = mask;
    while m != 0 {
        v.push(m.trailing_zeros() as usize);
        m &= m - 1;
    }
    v
}

/// Walk the minimal winning coalitions of a weighted game, calling `visit`
/// with each (member indices, ascending) until it returns `false`.
///
/// Players are tried heaviest first and a branch stops as soon as its weight
/// reaches the quota, so every coalition found is minimal (its lightest
/// member, added last, was needed, hence so is every heavier one) and every
/// minimal winning coalition is found. A branch is also cut when the
/// remaining players cannot reach the quota, so every node leads to an
/// answer: the walk costs at most `n` steps per coalition visited.
pub(crate) fn walk_mwc(game: &WeightedGame, mut visit: impl FnMut(&[usize]) -> bool) {
    let q = game.quota();
    let mut order: Vec<usize> = (0..game.players())
        .filter(|&i| game.weights()[i] > 0)
        .collect();
    order.sort_by(|&a, &b| game.weights()[b].cmp(&game.weights()[a]).then(a.cmp(&b)));
    let w: Vec<u64> = order.iter().map(|&i| game.weights()[i]).collect();
    let mut suffix = vec![0u64; w.len() + 1];
    for i in (0..w.len()).rev() {
        suffix[i] = suffix[i + 1] + w[i];
    }
    let mut chosen: Vec<usize> = Vec::new();
    let mut sorted = Vec::new();
    // Explicit stack of (position, weight so far, depth of `chosen`, include?).
    let mut stack: Vec<(usize, u64, usize)> = vec![(0, 0, 0)];
    while let Some((pos, cur, depth)) = stack.pop() {
        chosen.truncate(depth);
        if pos >= w.len() || cur + suffix[pos] < q {
            continue;
        }
        // Exclude branch (explored after the include branch).
        stack.push((pos + 1, cur, depth));
        let nw = cur + w[pos];
        if nw >= q {
            chosen.push(order[pos]);
            sorted.clear();
            sorted.extend_from_slice(&chosen);
            sorted.sort_unstable();
            if !visit(&sorted) {
                return;
            }
            chosen.pop();
        } else {
            chosen.push(order[pos]);
            stack.push((pos + 1, nw, depth + 1));
        }
    }
}

/// Per-player tallies over all minimal winning coalitions, for the
/// Deegan-Packel and public good indices.
pub(crate) struct MwcTally {
    pub count: u64,
    /// `by_size[i][s]`: minimal winning coalitions of size s containing i.
    pub by_size: Vec<Vec<u64>>,
}

impl MwcTally {
    pub(crate) fn new(n: usize) -> MwcTally {
        MwcTally {
            count: 0,
            by_size: vec![vec![0; n + 1]; n],
        }
    }

    pub(crate) fn add(&mut self, members: &[usize]) {
        self.count += 1;
        for &i in members {
            if let Some(row) = self.by_size.get_mut(i)
                && let Some(c) = row.get_mut(members.len())
            {
                *c += 1;
            }
        }
    }

    pub(crate) fn total_memberships(&self) -> BigUint {
        self.by_size
            .iter()
            .flatten()
            .fold(BigUint::zero(), |a, &c| a + c)
    }
}
