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
//! second variable counting coalition sizes: a (size x weight) table, at
//! most `O(n · s_max · q)` for the pass, where only the weights each row
//! can reach so far are swept (see [`SizeTable`]).

use num_bigint::BigUint;
use num_traits::{One, Zero};

use crate::error::PowerError;
use crate::game::WeightedGame;
use crate::modular::{
    Crt, FOLD_EVERY, Modulus, Wide, add_mod_const, add_mod_into, add_pair_mod_into, add_shifted,
    add_shifted2, parallel_map, prime_count, primes_for_bits, wide_prime_count,
    wide_primes_for_bits,
};
use crate::value::{ExactValue, factorial};

/// Limit on the inner-loop additions of the exact weighted methods (summed
/// over the primes): a few minutes on one core. Above it the exact methods
/// return [`PowerError::TooLargeForExact`].
pub const EXACT_WORK_LIMIT: u128 = 1_000_000_000_000;

/// Limit on the quota (cells of the one-dimensional table; 8 bytes each,
/// one table per thread).
pub const EXACT_MAX_QUOTA: u64 = 1 << 25;

/// Limit on the cells of the Shapley-Shubik table (size x weight, each row
/// stored from the lightest weight of its size; 8 bytes a cell, 2 GiB in
/// all). Threads share the budget: each keeps its own table.
pub const SS_MAX_CELLS: u128 = 1 << 28;

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

pub(crate) struct Setup {
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
    let order = heaviest_first(game);
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

/// The non-zero weights, heaviest first: the order the dynamic programs add
/// players in.
fn heaviest_first(game: &WeightedGame) -> Vec<usize> {
    let mut order: Vec<usize> = game
        .weights()
        .iter()
        .filter(|&&w| w > 0)
        .map(|&w| w as usize)
        .collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    order
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
    // Every count is below `2^(n + 1)`.
    let primes = prime_count(n as u64 + 1) as u128;
    n * game.quota() as u128 * primes
}

/// Swing counts, winning-coalition count and (optionally) the number of
/// minimal winning coalitions, exactly.
pub(crate) fn counts(
    game: &WeightedGame,
    count_mwc: bool,
    threads: usize,
) -> Result<Counts, PowerError> {
    const WHAT: &str = "counting swings (for Banzhaf, Coleman and the dummies)";
    let s = setup(game, WHAT)?;
    check_work(game, WHAT, banzhaf_work(game))?;
    let n1 = s.order.len();
    let mods = primes_for_bits(n1 as u64 + 1);
    // Keep memory under about 512 MiB: one table of q u64s per thread.
    let threads = threads.min(((64usize << 20) / s.q.max(1)).max(1));
    let per = parallel_map(
        &mods,
        threads,
        || vec![0u64; s.q],
        |a, m| banzhaf_pass(m, &s, a, count_mwc),
    );
    let crt = Crt::new(&mods.iter().map(|m| m.p).collect::<Vec<_>>());
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

/// One prime's Banzhaf counts, in `a` (a table of `q` cells, any contents).
fn banzhaf_pass(m: &Modulus, s: &Setup, a: &mut [u64], count_mwc: bool) -> PassResult {
    let q = s.q;
    a.fill(0);
    a[0] = 1;
    let mut mwc = 0u64;
    let mut since_fold = 0;
    // Players two at a time (heaviest first): one sweep per pair.
    for pair in s.order.chunks(2) {
        if since_fold + pair.len() > FOLD_EVERY {
            m.fold_all(a);
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
                add_shifted2(a, w1, w2, Some(m));
                since_fold = 0;
            }
            [w1, w2] => {
                add_shifted2(a, w1, w2, None);
                since_fold += 2;
            }
            [w] => {
                add_shifted(a, w);
                since_fold += 1;
            }
            _ => {}
        }
    }
    m.reduce_all(a);
    // Prefix sums.
    for k in 1..q {
        a[k] = m.add(a[k], a[k - 1]);
    }
    let p = &*a;
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
        acc = if j.is_multiple_of(2) {
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

/// About how many inner-loop steps the exact dynamic programs will take
/// on `game` (already reduced): the swing counts, and the Shapley-Shubik
/// table when `ss`, each only when it is within reach (the others are
/// estimated, which is quick). Zero when an exact Shapley-Shubik out of
/// reach is refused before any count (`ss` and not `estimate`).
pub(crate) fn dp_work(game: &WeightedGame, ss: bool, estimate: bool) -> u128 {
    if game.quota() > EXACT_MAX_QUOTA {
        return 0;
    }
    let swings = banzhaf_work(game);
    let mut work = if swings <= EXACT_WORK_LIMIT {
        swings
    } else {
        0
    };
    if ss {
        let (cells, steps) = ss_work(game);
        if cells <= SS_MAX_CELLS && steps <= EXACT_WORK_LIMIT {
            work += steps;
        } else if !estimate {
            return 0;
        }
    }
    work
}

/// Would the dynamic program refuse this game (for Banzhaf, or for
/// Shapley-Shubik when `ss`)?
pub(crate) fn beyond_dp(game: &WeightedGame, ss: bool) -> bool {
    let (cells, work) = ss_work(game);
    game.quota() > EXACT_MAX_QUOTA
        || banzhaf_work(game) > EXACT_WORK_LIMIT
        || (ss && (cells > SS_MAX_CELLS || work > EXACT_WORK_LIMIT))
}

/// Cells of the Shapley-Shubik table and inner-loop steps of
/// [`shapley_shubik`] (summed over the primes), from the same live ranges
/// the dynamic program will sweep.
pub(crate) fn ss_work(game: &WeightedGame) -> (u128, u128) {
    if game.quota() > EXACT_MAX_QUOTA {
        // No table is built for such a quota (and its layout would not fit).
        return (u128::MAX, u128::MAX);
    }
    let order = heaviest_first(game);
    let q = game.quota() as usize;
    let n = order.len() as u128;
    let smax = max_losing_size(&order, q);
    let table = SizeTable::new(&order, q, smax);
    let primes = wide_prime_count(n as u64 + 1) as u128;
    let cells = table.cells() as u128;
    if n * (smax as u128 + 1) > SIMULATION_LIMIT {
        // Following the live ranges would itself take long: every player
        // over every stored cell bounds the sweep.
        return (cells, n * cells * primes);
    }
    let mut live = LiveRows::new(smax + 1);
    let mut steps = 0u128;
    for (step, &w) in order.iter().enumerate() {
        live.add_player(w, (step + 1).min(smax), q, |_, lo, hi| {
            steps += (hi - lo + 1) as u128;
        });
    }
    (cells, steps * primes)
}

/// Players per wavefront band of [`SizeTable::fill`]: each row's tile
/// stays in the cache while the band's players pass over it (24 and 32
/// measured best with [`TILE`], 16 and 48 slower).
const BAND: usize = 24;

/// Skewed weights per tile of [`SizeTable::fill`]: a band's rows, one tile
/// each, fit in L2 (2048 measured best; 1024 and 4096 were slower).
const TILE: usize = 2048;

/// One unit's pass over one row of the table, at weights `lo..=hi`, and
/// its skew: in tile `c` it covers the weights from `c * TILE - skew`. A
/// unit is one player (weight `a`, and `b = 0`) or two (`a >= b`).
struct Step {
    row: usize,
    a: usize,
    b: usize,
    lo: usize,
    hi: usize,
    skew: usize,
}

/// Player-row steps beyond which [`ss_work`] bounds the sweep instead of
/// following it (a fraction of a second).
const SIMULATION_LIMIT: u128 = 50_000_000;

/// The (coalition size x weight) table of the Shapley-Shubik pass, row by
/// row. Row `s` counts the coalitions of `s` players by weight below `q`;
/// none weighs less than the `s` lightest weights together, so row `s` is
/// stored from that weight (`base[s]`) up to `q - 1`, after `pad` zeros
/// (the heaviest weight below `q`) that a pass may read below the row's
/// lightest coalition.
struct SizeTable {
    base: Vec<usize>,
    /// Row `s`, with its padding, is `start[s]..start[s + 1]`.
    start: Vec<usize>,
    pad: usize,
}

impl SizeTable {
    /// Rows `0..=smax`, where `smax` is the largest losing size (so that
    /// `base[smax] < q`).
    fn new(order: &[usize], q: usize, smax: usize) -> SizeTable {
        let mut asc = order.to_vec();
        asc.sort_unstable();
        // Only players lighter than the quota are added (see `fill`).
        let pad = asc.iter().copied().filter(|&w| w < q).max().unwrap_or(0);
        let (mut base, mut start) = (Vec::with_capacity(smax + 1), vec![0]);
        let mut lightest = 0usize;
        for s in 0..=smax {
            if s > 0 {
                lightest += asc[s - 1];
            }
            base.push(lightest);
            start.push(start[s] + pad + q.saturating_sub(lightest));
        }
        SizeTable { base, start, pad }
    }

    fn cells(&self) -> usize {
        self.start.last().copied().unwrap_or(0)
    }

    /// The position of cell (size `s`, weight `k`), for `k >= base[s]`.
    fn at(&self, s: usize, k: usize) -> usize {
        self.shifted(s, k, 0)
    }

    /// The position of cell (size `s`, weight `k - shift`), which may lie
    /// in the padding: `k - shift >= base[s] - pad`.
    fn shifted(&self, s: usize, k: usize, shift: usize) -> usize {
        self.start[s] + self.pad + k - self.base[s] - shift
    }

    /// Row `s` without its padding: weights `base[s]..q`.
    fn row(&self, s: usize) -> std::ops::Range<usize> {
        self.start[s] + self.pad..self.start[s + 1]
    }

    /// Fills `t` (any contents) with the counts, modulo `m` and reduced, of
    /// the coalitions of `order` (heaviest first) by size and weight.
    ///
    /// Player by player, row `r` gains row `r - 1` shifted by the player's
    /// weight, rows taken from the top down. Done literally, every player
    /// streams the whole table through memory. Instead:
    ///
    /// - The players go in units of two, `(1 + y x^a)(1 + y x^b)`: row `r`
    ///   gains row `r - 1` shifted by `a` and by `b`, and row `r - 2`
    ///   shifted by `a + b`, so each row is written once per two players.
    /// - The units go in bands of [`BAND`] players, each band as a
    ///   wavefront: at time `t`, unit `u` goes into row `top + 3u - t`. Row
    ///   `r` then gets unit `u` after rows `r - 1` and `r - 2` got unit
    ///   `u - 1` (whose results it reads) and after row `r` got it, and
    ///   before rows `r - 1` and `r - 2` get unit `u` (which overwrites what
    ///   it reads), as the row-by-row order requires.
    /// - A row holds up to `q` weights, too many for a band's rows to stay
    ///   in the cache, so the wavefront itself goes in tiles of [`TILE`]
    ///   skewed weights: step (`u`, `r`) covers, in tile `c`, the weights
    ///   from `c * TILE - skew(u, r)`, with `skew(u, r) = (top - r) M +
    ///   f(u)`, `M` the band's heaviest weight, and `f(u) = f(u - 1) + kM -
    ///   (the unit's k weights)`. Then in row `r - j` (`j <= k`) step (`u`,
    ///   `r`) reads no weight that step (`u - 1`, `r - j`) has not yet
    ///   written (`skew(u, r) + (its j lightest) >= skew(u - 1, r - j)`),
    ///   nor one that step (`u`, `r - j`) has already overwritten
    ///   (`skew(u, r - j) = skew(u, r) + jM`), and step (`u - 1`, `r`) is
    ///   done with every weight it touches (`skew(u, r) >= skew(u - 1,
    ///   r)`). So the tiles, each a wavefront, keep the order the rows
    ///   require, and a band's tiles stay in L2 while all its players pass.
    fn fill(&self, m: &Wide, order: &[usize], q: usize, t: &mut [u64]) {
        let smax = self.base.len() - 1;
        // A player of weight `q` or more is in no coalition below `q`.
        let order = &order[order.partition_point(|&w| w >= q)..];
        t.fill(0);
        t[self.at(0, 0)] = 1;
        let mut live = LiveRows::new(smax + 1);
        let mut steps: Vec<Step> = Vec::new();
        // Per tile, the steps that reach it, in wavefront order.
        let mut tiles: Vec<Vec<u32>> = Vec::new();
        let mut lead = Vec::with_capacity(BAND);
        for (band_no, band) in order.chunks(BAND).enumerate() {
            let first = band_no * BAND;
            let top = (first + band.len()).min(smax);
            let heaviest = band.iter().copied().max().unwrap_or(0);
            let units = band.chunks(2);
            lead.clear();
            for (u, unit) in units.clone().enumerate() {
                let gap = unit.len() * heaviest - unit.iter().sum::<usize>();
                lead.push(if u == 0 { 0 } else { lead[u - 1] + gap });
            }
            steps.clear();
            for time in 0..top + 3 * (units.len() - 1) {
                for (u, unit) in units.clone().enumerate() {
                    let Some(r) = (top + 3 * u)
                        .checked_sub(time)
                        .filter(|&r| r >= 1 && r <= top)
                    else {
                        continue;
                    };
                    if r <= (first + 2 * u + unit.len()).min(smax) {
                        live.add_unit_to_row(r, unit, q, &mut |r, lo, hi| {
                            steps.push(Step {
                                row: r,
                                a: unit[0],
                                b: unit.get(1).copied().unwrap_or(0),
                                lo,
                                hi,
                                skew: (top - r) * heaviest + lead[u],
                            })
                        });
                    }
                }
            }
            tiles.iter_mut().for_each(Vec::clear);
            for (i, st) in steps.iter().enumerate() {
                let last = (st.hi + st.skew) / TILE;
                if tiles.len() <= last {
                    tiles.resize_with(last + 1, Vec::new);
                }
                for tile in &mut tiles[(st.lo + st.skew) / TILE..=last] {
                    tile.push(i as u32);
                }
            }
            for (c, in_tile) in tiles.iter().enumerate() {
                let (from, to) = (c * TILE, c * TILE + TILE - 1);
                for &i in in_tile {
                    let st = &steps[i as usize];
                    let lo = st.lo.max(from.saturating_sub(st.skew));
                    let hi = st.hi.min(to - st.skew);
                    self.add_unit(m, t, st, lo, hi);
                }
            }
        }
    }

    /// Step `st` at weights `lo..=hi`: row `r` gains row `r - 1` shifted by
    /// `a` (and by `b`) and, for two players, row `r - 2` shifted by
    /// `a + b`, all read before the unit (`(1 + y x^a)(1 + y x^b)`).
    fn add_unit(&self, m: &Wide, t: &mut [u64], st: &Step, lo: usize, hi: usize) {
        let r = st.row;
        let (prev, cur) = t.split_at_mut(self.start[r]);
        let dst = &mut cur[self.at(r, lo) - self.start[r]..=self.at(r, hi) - self.start[r]];
        let from =
            |s: usize, shift: usize| &prev[self.shifted(s, lo, shift)..=self.shifted(s, hi, shift)];
        if st.b == 0 {
            add_mod_into(dst, from(r - 1, st.a), m.p);
        } else if r == 1 {
            // Row 0 never changes: one player after the other.
            add_mod_into(dst, from(0, st.a), m.p);
            add_mod_into(dst, from(0, st.b), m.p);
        } else {
            add_pair_mod_into(
                dst,
                from(r - 1, st.a),
                from(r - 1, st.b),
                from(r - 2, st.a + st.b),
                m.p,
            );
        }
    }
}

/// The weights at which each row of the table can be non-zero so far: an
/// interval per row (empty when `lo > hi`). With the players added
/// heaviest first, the intervals stay far narrower than `0..q`, and each
/// step sweeps only them.
struct LiveRows {
    lo: Vec<usize>,
    hi: Vec<usize>,
}

impl LiveRows {
    fn new(rows: usize) -> LiveRows {
        let mut lo = vec![usize::MAX; rows];
        lo[0] = 0;
        LiveRows {
            lo,
            hi: vec![0; rows],
        }
    }

    /// Adds a player of weight `w` to rows `top` down to 1 (see
    /// [`LiveRows::add_to_row`]).
    fn add_player(
        &mut self,
        w: usize,
        top: usize,
        q: usize,
        mut f: impl FnMut(usize, usize, usize),
    ) {
        for s in (1..=top).rev() {
            self.add_unit_to_row(s, &[w], q, &mut f);
        }
    }

    /// Adds a unit of players (one or two) to row `s`: it gains the
    /// coalitions of row `s - 1` shifted by each weight and, for two, those
    /// of row `s - 2` shifted by both, at weights `lo..=hi` below `q` (the
    /// hull of the three), announced as `f(s, lo, hi)` before the row
    /// changes. Rows `s - 1` and `s - 2` must not have the unit yet.
    fn add_unit_to_row(
        &mut self,
        s: usize,
        unit: &[usize],
        q: usize,
        f: &mut impl FnMut(usize, usize, usize),
    ) {
        let (mut lo, mut hi) = (usize::MAX, 0);
        let mut term = |row: usize, shift: usize| {
            let (plo, phi) = (self.lo[row], self.hi[row]);
            if plo <= phi && plo + shift < q {
                lo = lo.min(plo + shift);
                hi = hi.max((phi + shift).min(q - 1));
            }
        };
        for &w in unit {
            term(s - 1, w);
        }
        if let [a, b] = unit
            && s >= 2
        {
            term(s - 2, a + b);
        }
        if lo > hi {
            return;
        }
        f(s, lo, hi);
        self.lo[s] = self.lo[s].min(lo);
        self.hi[s] = self.hi[s].max(hi);
    }
}

/// The setup of [`shapley_shubik`], or the error it would return because
/// the game is beyond the exact method: a fraction of a second, so that a
/// caller can refuse before other work.
pub(crate) fn ss_setup(game: &WeightedGame) -> Result<Setup, PowerError> {
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
    Ok(s)
}

/// Exact Shapley-Shubik values, one per player.
pub(crate) fn shapley_shubik(
    game: &WeightedGame,
    threads: usize,
) -> Result<Vec<ExactValue>, PowerError> {
    let s = ss_setup(game)?;
    let n1 = s.order.len();
    let smax = max_losing_size(&s.order, s.q);
    let table = SizeTable::new(&s.order, s.q, smax);
    let mods = wide_primes_for_bits(n1 as u64 + 1);
    // One table per thread, all of them within `SS_MAX_CELLS` cells.
    let table_threads =
        threads.min((SS_MAX_CELLS / (table.cells() as u128).max(1)).max(1) as usize);
    let per = parallel_map(
        &mods,
        table_threads,
        || vec![0u64; table.cells()],
        |t, m| ss_pass(m, &s, &table, t),
    );
    let crt = Crt::new(&mods.iter().map(|m| m.p).collect::<Vec<_>>());
    let sizes = smax.min(n1.saturating_sub(1));
    // `s! (n - 1 - s)!`, the weight of a swing in a coalition of size `s`.
    let weight: Vec<BigUint> = {
        let mut fact = vec![BigUint::one()];
        for i in 1..n1 {
            let next = &fact[i - 1] * BigUint::from(i);
            fact.push(next);
        }
        (0..=sizes).map(|s| &fact[s] * &fact[n1 - 1 - s]).collect()
    };
    let denom = factorial(n1);
    let distinct: Vec<usize> = (0..s.distinct.len()).collect();
    let by_distinct = parallel_map(
        &distinct,
        threads,
        || (),
        |_, &d| {
            let mut numer = BigUint::zero();
            let mut r = vec![0u64; per.len()];
            for (size, weight) in weight.iter().enumerate() {
                r.iter_mut().zip(&per).for_each(|(r, p)| *r = p[d][size]);
                let a = crt.rebuild(&r);
                if !a.is_zero() {
                    numer += a * weight;
                }
            }
            ExactValue::ratio(numer, &denom)
        },
    );
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

/// Replaces residues by their running sums, modulo `m`: four quarters at
/// once (four independent chains of additions), then each quarter shifted
/// by the totals before it.
fn prefix_sums(m: &Wide, row: &mut [u64]) {
    let quarter = row.len().div_ceil(4);
    if quarter < 64 {
        let mut acc = 0u64;
        for x in row.iter_mut() {
            acc = m.add(acc, *x);
            *x = acc;
        }
        return;
    }
    let (a, rest) = row.split_at_mut(quarter);
    let (b, rest) = rest.split_at_mut(quarter);
    let (c, d) = rest.split_at_mut(quarter);
    let mut acc = [0u64; 4];
    for i in 0..d.len() {
        acc[0] = m.add(acc[0], a[i]);
        a[i] = acc[0];
        acc[1] = m.add(acc[1], b[i]);
        b[i] = acc[1];
        acc[2] = m.add(acc[2], c[i]);
        c[i] = acc[2];
        acc[3] = m.add(acc[3], d[i]);
        d[i] = acc[3];
    }
    for (part, acc) in [&mut *a, &mut *b, &mut *c].into_iter().zip(&mut acc) {
        for x in &mut part[d.len()..] {
            *acc = m.add(*acc, *x);
            *x = *acc;
        }
    }
    let mut shift = 0u64;
    for (part, total) in [b, c, d].into_iter().zip(acc) {
        shift = m.add(shift, total);
        add_mod_const(part, shift, m.p);
    }
}

/// Weights per block of [`ss_pass`]'s window sums: a block of a row stays
/// in L2 while every distinct weight reads it.
const WINDOW_BLOCK: usize = 32 * 1024;

/// Residues of `A_w(s)`: coalitions of size `s` of the other players with
/// weight in `[q - w, q - 1]`, per distinct weight `w` and size `s <= smax`.
/// `t` is the table's storage, any contents.
fn ss_pass(m: &Wide, s: &Setup, table: &SizeTable, t: &mut [u64]) -> Vec<Vec<u64>> {
    table.fill(m, &s.order, s.q, t);
    window_sums(m, &s.distinct, s.q, table, t, WINDOW_BLOCK)
}

/// [`ss_pass`] after the fill: the residues of `A_w(s)` for each distinct
/// weight `w` and size `s`, from the filled table `t` (left as prefix
/// sums), reading each row in blocks of `block` weights.
fn window_sums(
    m: &Wide,
    distinct: &[usize],
    q: usize,
    table: &SizeTable,
    t: &mut [u64],
    block: usize,
) -> Vec<Vec<u64>> {
    let smax = table.base.len() - 1;
    let rows = smax + 1;
    // `A_w(s) = sum_{j>=0} (-1)^j V_j(s - j)`, with `V_j(r)` the sum of row
    // `r` over the window `[q - w - jw, q - 1 - jw]` (see the module docs).
    // With `P_r` the prefix sums of row `r` and `x_i = P_r(q - 1 - iw)`,
    // `V_j(r) = x_j - x_{j+1}`, so
    //   `A_w(s) = (-1)^s (G(s) - H(s))`,
    //   `G(s) = sum_r (-1)^r x_{s-r}` (terms `s - r <= smax - r`),
    //   `H(s) = sum_r (-1)^r x_{s-r+1}`,
    // and each point `x_i` of row `r` is read once and added, signed, to
    // `G(r + i)` and `H(r + i - 1)`. Points below the row's lightest
    // coalition are 0. `plus` gathers the positive parts of `G - H`,
    // `minus` the negative ones.
    let nd = distinct.len();
    let mut plus = vec![0u64; nd * rows];
    let mut minus = vec![0u64; nd * rows];
    let mut next = vec![0usize; nd];
    for r in 0..rows {
        let base = table.base[r];
        let row = &mut t[table.row(r)];
        prefix_sums(m, row);
        let (g, h) = if r % 2 == 0 {
            (&mut plus, &mut minus)
        } else {
            (&mut minus, &mut plus)
        };
        let last = smax - r + 1;
        next.fill(0);
        // Blocks of weights from the top down, so that each distinct
        // weight's points `i` go up block by block.
        let mut top = q - 1;
        loop {
            let bottom = top.saturating_sub(block - 1).max(base);
            for (d, &w) in distinct.iter().enumerate() {
                let (gd, hd) = (&mut g[d * rows..][..rows], &mut h[d * rows..][..rows]);
                let mut i = next[d];
                while i <= last {
                    let Some(k) = (q - 1).checked_sub(i * w).filter(|&k| k >= bottom) else {
                        break;
                    };
                    let x = row[k - base];
                    if i < last {
                        gd[r + i] = m.add(gd[r + i], x);
                    }
                    if i > 0 {
                        hd[r + i - 1] = m.add(hd[r + i - 1], x);
                    }
                    i += 1;
                }
                next[d] = i;
            }
            if bottom == base {
                break;
            }
            top = bottom - 1;
        }
    }
    (0..nd)
        .map(|d| {
            (0..rows)
                .map(|size| {
                    let (p, n) = (plus[d * rows + size], minus[d * rows + size]);
                    if size % 2 == 0 {
                        m.sub(p, n)
                    } else {
                        m.sub(n, p)
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The (size x weight) counts below `q`, modulo `m`, by the textbook
    /// dynamic program: one player at a time over the whole table.
    fn plain_table(m: &Wide, weights: &[usize], q: usize, rows: usize) -> Vec<Vec<u64>> {
        let mut t = vec![vec![0u64; q]; rows];
        t[0][0] = 1;
        for &w in weights {
            for s in (1..rows).rev() {
                for k in (w..q).rev() {
                    t[s][k] = m.add(t[s][k], t[s - 1][k - w]);
                }
            }
        }
        t
    }

    /// A random game of `n` players weighing `1..=hi` (heaviest first) and
    /// a random quota, with its table filled over storage that held junk.
    fn random_filled_table(
        rng: &mut ChaCha8Rng,
        m: &Wide,
        n: usize,
        hi: usize,
    ) -> (Vec<usize>, usize, SizeTable, Vec<u64>) {
        let mut order: Vec<usize> = (0..n).map(|_| rng.random_range(1..=hi)).collect();
        order.sort_unstable_by(|a, b| b.cmp(a));
        let total: usize = order.iter().sum();
        let q = rng.random_range(1..=total);
        let table = SizeTable::new(&order, q, max_losing_size(&order, q));
        let mut t = vec![u64::MAX; table.cells()];
        table.fill(m, &order, q, &mut t);
        (order, q, table, t)
    }

    /// A player heavier than the quota is in no coalition the table counts,
    /// so it neither pads the rows nor is added: the unreduced game is
    /// solved, in a table of the size the capped game needs, with the
    /// capped game's values.
    #[test]
    fn players_heavier_than_the_quota_do_not_pad_the_table() {
        let mut weights = vec![1u64 << 40, 25];
        weights.extend((0..30).map(|i| 1 + i % 4));
        let game = WeightedGame::new(40, weights).expect("valid game");
        let capped = game.reduced().game;
        assert!(capped.weights()[0] <= 40, "{:?}", capped.weights());
        assert_eq!(ss_work(&game).0, ss_work(&capped).0);
        let values = |g: &WeightedGame| -> Vec<String> {
            let v = shapley_shubik(g, 2).expect("exact");
            v.iter().map(|x| x.rational()).collect()
        };
        assert_eq!(values(&game), values(&capped));
    }

    /// The work a front end warns about counts what will run exactly: the
    /// swing counts, the Shapley-Shubik table when asked for and within
    /// reach, nothing for a Shapley-Shubik refused at once.
    #[test]
    fn exact_work_counts_what_will_run() {
        let small =
            WeightedGame::new(301, (1..=60).map(|w| w % 17 + 1).collect()).expect("valid game");
        let swings = banzhaf_work(&small);
        let (cells, ss) = ss_work(&small);
        assert!(swings > 0 && ss > 0 && cells <= SS_MAX_CELLS);
        assert_eq!(dp_work(&small, false, false), swings);
        assert_eq!(dp_work(&small, true, false), swings + ss);
        // 3000 players: the table is past SS_MAX_CELLS; the swing counts
        // still run (about 1e11 steps, seconds).
        let big = WeightedGame::new(700_001, (0..3000).map(|i| 1 + (i * 7919) % 1000).collect())
            .expect("valid game");
        let swings = banzhaf_work(&big);
        assert!(
            swings > 20_000_000_000 && swings <= EXACT_WORK_LIMIT,
            "{swings}"
        );
        assert!(ss_work(&big).0 > SS_MAX_CELLS);
        assert_eq!(
            dp_work(&big, true, true),
            swings,
            "estimated, the counts run"
        );
        assert_eq!(dp_work(&big, true, false), 0, "refused before the counts");
        assert_eq!(dp_work(&big, false, false), swings);
    }

    /// The wavefront over live ranges gives the textbook table, every cell
    /// reduced: many bands, rows that start above weight 0, players heavier
    /// than the quota, and counts past the prime (so that a missed
    /// reduction shows).
    #[test]
    fn wavefront_fill_matches_the_plain_table() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let m = wide_primes_for_bits(60)[0];
        for case in 0..40 {
            let n = rng.random_range(1..=90);
            let hi = if case % 4 == 0 { 400 } else { 60 };
            let (order, q, table, t) = random_filled_table(&mut rng, &m, n, hi);
            let smax = table.base.len() - 1;
            let plain = plain_table(&m, &order, q, smax + 1);
            for (s, row) in plain.iter().enumerate() {
                for (k, &want) in row.iter().enumerate() {
                    let got = if k < table.base[s] {
                        assert_eq!(want, 0, "case {case}: ({s}, {k}) lies below row {s}");
                        0
                    } else {
                        t[table.at(s, k)]
                    };
                    assert_eq!(got, want, "case {case}: n={n} q={q} cell ({s}, {k})");
                }
            }
        }
    }

    /// Running sums in four chains, shifted, equal the running sums, at
    /// every length around the quarter boundaries.
    #[test]
    fn prefix_sums_match_running_sums() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let m = wide_primes_for_bits(60)[0];
        for len in (0..300).chain([1000, 1001, 1002, 1003]) {
            let row: Vec<u64> = (0..len).map(|_| rng.random_range(0..m.p)).collect();
            let mut want = row.clone();
            let mut acc = 0;
            for x in &mut want {
                acc = m.add(acc, *x);
                *x = acc;
            }
            let mut got = row;
            prefix_sums(&m, &mut got);
            assert_eq!(got, want, "length {len}");
        }
    }

    /// The window sums give, for every distinct weight and size, the
    /// coalitions of the other players (one player of that weight left
    /// out) of that size whose weight is in `[q - w, q - 1]`, counted from
    /// the textbook table of those players; with blocks smaller than a
    /// row, so that every point crosses blocks.
    #[test]
    fn window_sums_count_the_swings_of_each_weight() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let m = wide_primes_for_bits(60)[0];
        for case in 0..12 {
            let n = rng.random_range(2..=40);
            let (order, q, table, mut t) = random_filled_table(&mut rng, &m, n, 90);
            let smax = table.base.len() - 1;
            let mut distinct = order.clone();
            distinct.sort_unstable();
            distinct.dedup();
            let block = [1, 7, 64, usize::MAX / 2][case % 4];
            let got = window_sums(&m, &distinct, q, &table, &mut t, block);
            for (d, &w) in distinct.iter().enumerate() {
                let mut others = order.clone();
                let at = others.iter().position(|&x| x == w).expect("present");
                others.remove(at);
                let plain = plain_table(&m, &others, q, smax + 1);
                for size in 0..=smax {
                    let want =
                        (q.saturating_sub(w)..q).fold(0, |acc, k| m.add(acc, plain[size][k]));
                    assert_eq!(got[d][size], want, "case {case}: w={w} size={size} q={q}");
                }
            }
        }
    }

    /// The work estimate counts the cells the dynamic program sweeps: far
    /// fewer than the full table for the benchmark's shape of game.
    #[test]
    fn live_ranges_cut_the_work() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let w: Vec<u64> = (0..200).map(|_| rng.random_range(1..=1000)).collect();
        let q = w.iter().sum::<u64>() / 2 + 1;
        let game = WeightedGame::new(q, w).expect("valid game");
        let (cells, work) = ss_work(&game);
        let rows = max_losing_size(&heaviest_first(&game), q as usize) as u128 + 1;
        let primes = wide_prime_count(201) as u128;
        // Every player over every row of the full table, per prime.
        let full = 200 * rows * q as u128 * primes;
        assert!(cells < rows * q as u128, "{cells}");
        assert!(work * 3 < full, "work {work} vs full {full}");
    }
}
