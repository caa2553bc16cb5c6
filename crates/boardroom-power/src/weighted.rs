//! Exact Banzhaf, Shapley-Shubik and minimal-winning-coalition counts for
//! weighted games by generating functions (dynamic programming over the
//! coalition weight), run modulo several primes and rebuilt by CRT
//! (see [`crate::modular`]).
//!
//! Let `c[k]` be the number of coalitions of weight `k` (coefficients of
//! `prod_i (1 + x^{w_i})`, kept only for `k < q`). Player `i` with weight
//! `w` swings in coalition `S` (not containing `i`) when
//! `q - w <= w(S) <= q - 1`, so its swing count is a window sum of
//! `c_{-i}`, the counts without `i`. Since `c = c_{-i} * (1 + x^w)`,
//! `c_{-i}[k] = sum_{j>=0} (-1)^j c[k - j w]`, and with prefix sums `P` of
//! `c` the window sum is
//! `sum_{j>=0} (-1)^j (P[q-1-jw] - P[q-w-1-jw])`: `O(q/w)` per distinct
//! weight after one `O(n q)` pass. Shapley-Shubik does the same with a
//! second variable counting coalition sizes (`O(n · s_max · q)` for the pass).

use num_bigint::BigUint;
use num_traits::{One, Zero};

use crate::error::PowerError;
use crate::game::WeightedGame;
use crate::modular::{
    Crt, FOLD_EVERY, Modulus, add_shifted, add_shifted2, per_prime, primes_for_bits,
};
use crate::value::{ExactValue, factorial};

/// Limit on `n · q · primes` (inner-loop additions) for the exact weighted
/// methods: about ten minutes on one core. Above it the exact methods
/// return [`PowerError::TooLargeForExact`].
pub const EXACT_WORK_LIMIT: u128 = 1_000_000_000_000;

/// Limit on the quota (cells of the one-dimensional table; 8 bytes each,
/// one table per thread).
pub const EXACT_MAX_QUOTA: u64 = 1 << 25;

/// Limit on the cells of the Shapley-Shubik table (size x weight).
pub const SS_MAX_CELLS: u128 = 1 << 25;

const APPROX_HINT: &str = "pass approx mode (a sample count and a seed) for a Monte Carlo estimate with a 95% confidence interval";

/// Exact counts for a weighted game.
pub(crate) struct Counts {
    /// Swings per player (coalitions S not containing i, S losing, S+i winning).
    pub swings: Vec<BigUint>,
    /// Number of winning coalitions.
    pub winning: BigUint,
    /// Number of minimal winning coalitions, if asked for.
    pub mwc: Option<BigUint>,
}

struct Setup {
    q: usize,
    /// Non-zero weights, heaviest first.
    order: Vec<usize>,
    /// Distinct non-zero weights, ascending.
    distinct: Vec<usize>,
    zeros: usize,
}

fn setup(game: &WeightedGame, what: &'static str) -> Result<Setup, PowerError> {
    let too_large = |hint: String| PowerError::TooLargeForExact {
        what,
        n: game.players(),
        total_weight: game.total_weight(),
        hint,
    };
    if game.quota() > EXACT_MAX_QUOTA {
        return Err(too_large(format!(
            "the exact method keeps a table of quota = {} cells (limit {EXACT_MAX_QUOTA}); {APPROX_HINT}",
            game.quota()
        )));
    }
    let q = game.quota() as usize;
    let mut order: Vec<usize> = game
        .weights()
        .iter()
        .filter(|&&w| w > 0)
        .map(|&w| w as usize)
        .collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    let zeros = game.players() - order.len();
    let mut distinct = order.clone();
    distinct.sort_unstable();
    distinct.dedup();
    Ok(Setup {
        q,
        order,
        distinct,
        zeros,
    })
}

fn check_work(game: &WeightedGame, what: &'static str, work: u128) -> Result<(), PowerError> {
    if work > EXACT_WORK_LIMIT {
        return Err(PowerError::TooLargeForExact {
            what,
            n: game.players(),
            total_weight: game.total_weight(),
            hint: format!(
                "the exact method would need about {work:.3e} steps (limit {EXACT_WORK_LIMIT:.0e}); {APPROX_HINT}",
                work = work as f64
            ),
        });
    }
    Ok(())
}

/// Estimated inner-loop steps of [`counts`] (for limits and benchmarks).
pub(crate) fn banzhaf_work(game: &WeightedGame) -> u128 {
    let n = game.weights().iter().filter(|&&w| w > 0).count() as u128;
    let primes = (n + 2).div_ceil(56);
    n * game.quota() as u128 * primes
}

/// Swing counts, winning-coalition count and (optionally) the number of
/// minimal winning coalitions, exactly.
pub(crate) fn counts(
    game: &WeightedGame,
    count_mwc: bool,
    threads: usize,
) -> Result<Counts, PowerError> {
    const WHAT: &str = "exact Banzhaf";
    let s = setup(game, WHAT)?;
    check_work(game, WHAT, banzhaf_work(game))?;
    let n1 = s.order.len();
    let mods = primes_for_bits(n1 as u64 + 1);
    // Keep memory under about 512 MiB: one table of q u64s per thread.
    let threads = threads.min(((64usize << 20) / s.q.max(1)).max(1));
    let per = per_prime(&mods, threads, |m| banzhaf_pass(m, &s, count_mwc));
    let crt = Crt::new(&mods);
    let rebuild = |f: &dyn Fn(&PassResult) -> u64| -> BigUint {
        let r: Vec<u64> = per.iter().map(f).collect();
        crt.rebuild(&r)
    };
    let by_distinct: Vec<BigUint> = (0..s.distinct.len())
        .map(|d| rebuild(&|p| p.swings[d]) << s.zeros)
        .collect();
    let swings = game
        .weights()
        .iter()
        .map(|&w| {
            if w == 0 {
                BigUint::zero()
            } else {
                s.distinct
                    .binary_search(&(w as usize))
                    .map(|d| by_distinct[d].clone())
                    .unwrap_or_default()
            }
        })
        .collect();
    let losing = rebuild(&|p| p.losing) << s.zeros;
    let all = BigUint::one() << game.players();
    let winning = all - losing;
    let mwc = count_mwc.then(|| rebuild(&|p| p.mwc));
    Ok(Counts {
        swings,
        winning,
        mwc,
    })
}

struct PassResult {
    swings: Vec<u64>,
    losing: u64,
    mwc: u64,
}

fn banzhaf_pass(m: &Modulus, s: &Setup, count_mwc: bool) -> PassResult {
    let q = s.q;
    let mut a = vec![0u64; q];
    a[0] = 1;
    let mut mwc = 0u64;
    let mut since_fold = 0;
    // Players two at a time (heaviest first): one sweep per pair.
    for pair in s.order.chunks(2) {
        if since_fold + pair.len() > FOLD_EVERY {
            m.fold_all(&mut a);
            since_fold = 0;
        }
        if count_mwc {
            // `a` counts coalitions of heavier (earlier) players: S + this
            // player is a minimal winning coalition whose lightest member is
            // this player iff q - w <= w(S) <= q - 1.
            let w1 = pair[0];
            mwc = m.add(mwc, m.sum(&a[q.saturating_sub(w1)..]));
            if let Some(&w2) = pair.get(1) {
                // After adding the first player: a[k] + a[k - w1].
                let lo = q.saturating_sub(w2);
                mwc = m.add(mwc, m.sum(&a[lo..]));
                if q > w1 {
                    let src_lo = lo.saturating_sub(w1);
                    mwc = m.add(mwc, m.sum(&a[src_lo..q - w1]));
                }
            }
        }
        match *pair {
            // The third pair since the last fold folds on the way: its
            // inputs are below 2^(58+4) = 2^62.
            [w1, w2] if since_fold + 2 == FOLD_EVERY => {
                add_shifted2(&mut a, w1, w2, Some(m));
                since_fold = 0;
            }
            [w1, w2] => {
                add_shifted2(&mut a, w1, w2, None);
                since_fold += 2;
            }
            [w] => {
                add_shifted(&mut a, w);
                since_fold += 1;
            }
            _ => {}
        }
    }
    m.reduce_all(&mut a);
    // Prefix sums.
    for k in 1..q {
        a[k] = m.add(a[k], a[k - 1]);
    }
    let p = &a;
    let swings = s
        .distinct
        .iter()
        .map(|&w| window_sum(m, q, w, |hi| p[hi]))
        .collect();
    PassResult {
        swings,
        losing: p[q - 1],
        mwc,
    }
}

/// `sum_{j>=0} (-1)^j (P_j[q-1-jw] - P_j[q-w-1-jw])` where `prefix(j, k)`
/// reads `P_j[k]` and `P_j[k] = 0` for `k < 0`.
fn window_sum_rows(
    m: &Modulus,
    q: usize,
    w: usize,
    max_j: usize,
    prefix: impl Fn(usize, usize) -> u64,
) -> u64 {
    let mut acc = 0u64;
    let mut j = 0usize;
    while j <= max_j {
        let Some(hi) = (q - 1).checked_sub(j * w) else {
            break;
        };
        let mut term = prefix(j, hi);
        if hi >= w {
            term = m.sub(term, prefix(j, hi - w));
        }
        acc = if j % 2 == 0 {
            m.add(acc, term)
        } else {
            m.sub(acc, term)
        };
        j += 1;
    }
    acc
}

fn window_sum(m: &Modulus, q: usize, w: usize, prefix: impl Fn(usize) -> u64) -> u64 {
    window_sum_rows(m, q, w, usize::MAX, |_, k| prefix(k))
}

/// The largest number of non-zero-weight players whose total weight is below `q`.
fn max_losing_size(order: &[usize], q: usize) -> usize {
    let mut asc = order.to_vec();
    asc.sort_unstable();
    let mut t = 0usize;
    let mut s = 0;
    for w in asc {
        t += w;
        if t >= q {
            break;
        }
        s += 1;
    }
    s
}

/// Would the dynamic program refuse this game (for Banzhaf, or for
/// Shapley-Shubik when `ss`)?
pub(crate) fn beyond_dp(game: &WeightedGame, ss: bool) -> bool {
    let (cells, work) = ss_work(game);
    game.quota() > EXACT_MAX_QUOTA
        || banzhaf_work(game) > EXACT_WORK_LIMIT
        || (ss && (cells > SS_MAX_CELLS || work > EXACT_WORK_LIMIT))
}

/// Estimated inner-loop steps of [`shapley_shubik`].
pub(crate) fn ss_work(game: &WeightedGame) -> (u128, u128) {
    let mut order: Vec<usize> = game
        .weights()
        .iter()
        .filter(|&&w| w > 0)
        .map(|&w| w as usize)
        .collect();
    order.sort_unstable();
    let n = order.len() as u128;
    let rows = max_losing_size(&order, game.quota() as usize) as u128 + 1;
    let cells = rows * game.quota() as u128;
    let primes = (n + 2).div_ceil(56);
    (cells, n * cells * primes / 2)
}

/// Exact Shapley-Shubik values, one per player.
pub(crate) fn shapley_shubik(
    game: &WeightedGame,
    threads: usize,
) -> Result<Vec<ExactValue>, PowerError> {
    const WHAT: &str = "exact Shapley-Shubik";
    let s = setup(game, WHAT)?;
    let (cells, work) = ss_work(game);
    if cells > SS_MAX_CELLS {
        return Err(PowerError::TooLargeForExact {
            what: WHAT,
            n: game.players(),
            total_weight: game.total_weight(),
            hint: format!(
                "the exact method keeps a (coalition size x weight) table of {cells} cells (limit {SS_MAX_CELLS}); {APPROX_HINT}"
            ),
        });
    }
    check_work(game, WHAT, work)?;
    let n1 = s.order.len();
    let smax = max_losing_size(&s.order, s.q);
    let mods = primes_for_bits(n1 as u64 + 1);
    let threads = threads.min(((SS_MAX_CELLS * 2) / cells.max(1)).max(1) as usize);
    let per = per_prime(&mods, threads, |m| ss_pass(m, &s, smax));
    let crt = Crt::new(&mods);
    let fact: Vec<BigUint> = {
        let mut f = vec![BigUint::one()];
        for i in 1..=n1 {
            let next = &f[i - 1] * BigUint::from(i);
            f.push(next);
        }
        f
    };
    let denom = factorial(n1);
    let by_distinct: Vec<ExactValue> = (0..s.distinct.len())
        .map(|d| {
            let mut numer = BigUint::zero();
            for size in 0..=smax.min(n1.saturating_sub(1)) {
                let r: Vec<u64> = per.iter().map(|p| p[d][size]).collect();
                let a = crt.rebuild(&r);
                if !a.is_zero() {
                    numer += a * &fact[size] * &fact[n1 - 1 - size];
                }
            }
            ExactValue::ratio(numer, &denom)
        })
        .collect();
    Ok(game
        .weights()
        .iter()
        .map(|&w| {
            s.distinct
                .binary_search(&(w as usize))
                .ok()
                .filter(|_| w > 0)
                .map(|d| by_distinct[d].clone())
                .unwrap_or_else(|| ExactValue::ratio(BigUint::zero(), &BigUint::one()))
        })
        .collect())
}

/// Residues of `A_w(s)`: coalitions of size `s` of the other players with
/// weight in `[q - w, q - 1]`, per distinct weight `w` and size `s <= smax`.
fn ss_pass(m: &Modulus, s: &Setup, smax: usize) -> Vec<Vec<u64>> {
    let q = s.q;
    let rows = smax + 1;
    let mut t = vec![0u64; rows * q];
    t[0] = 1;
    for (step, &w) in s.order.iter().enumerate() {
        let top = (step + 1).min(smax);
        if w < q {
            for size in (1..=top).rev() {
                let (prev, cur) = t.split_at_mut(size * q);
                let src = &prev[(size - 1) * q..(size - 1) * q + (q - w)];
                let dst = &mut cur[w..q];
                for (d, x) in dst.iter_mut().zip(src) {
                    *d = d.wrapping_add(*x);
                }
            }
        }
        if (step + 1) % FOLD_EVERY == 0 {
            m.fold_all(&mut t[..(top + 1) * q]);
        }
    }
    m.reduce_all(&mut t);
    for row in t.chunks_mut(q) {
        for k in 1..q {
            row[k] = m.add(row[k], row[k - 1]);
        }
    }
    s.distinct
        .iter()
        .map(|&w| {
            (0..rows)
                .map(|size| window_sum_rows(m, q, w, size, |j, k| t[(size - j) * q + k]))
                .collect()
        })
        .collect()
}
