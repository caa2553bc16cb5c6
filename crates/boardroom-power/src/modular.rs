//! Exact big-integer counting by residues modulo several primes.
//!
//! Every count this crate produces is a non-negative integer below a known
//! bound `2^bits`. Instead of adding big integers cell by cell, each
//! dynamic program runs once per prime `p = 2^57 - c` (small `c`) on plain
//! `u64`s, and the exact integers are rebuilt at the end by the Chinese
//! remainder theorem (Garner's algorithm). The product of the primes exceeds
//! `2^bits`, so the reconstruction is exact, not probabilistic.
//!
//! Inner loops add without reducing ("lazy" residues): a residue is kept
//! below `2^58`; each dynamic-programming step at most doubles the bound, so
//! after [`FOLD_EVERY`] = 6 steps values are below `2^64` and are folded
//! back with `x -> (x mod 2^57) + c * (x >> 57)`, which preserves `x mod p`.
//!
//! The Shapley-Shubik table is swept once per prime for every player, so
//! there the primes are wider, `p = 2^63 - c` ([`Wide`]), and residues are
//! kept fully reduced: two add without overflow and one comparison reduces
//! the sum ([`add_mod_into`]). For 1,000 bits that is 16 sweeps instead
//! of 18.

use num_bigint::BigUint;
use num_traits::Zero;

/// Bits of each prime: `2^56 < p < 2^57`.
const PBITS: u32 = 57;
const MASK: u64 = (1 << PBITS) - 1;

/// Fold after this many doubling steps: `2^58 * 2^6 = 2^64`.
pub(crate) const FOLD_EVERY: usize = 6;

/// A prime `p = 2^57 - c` with `c < 2^20`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Modulus {
    pub(crate) p: u64,
    c: u64,
}

impl Modulus {
    /// `x` congruent mod p and below `2^57 + 2^27 < 2^58`.
    #[inline(always)]
    pub(crate) fn fold(&self, x: u64) -> u64 {
        (x & MASK) + (x >> PBITS) * self.c
    }

    /// `x mod p`.
    #[inline(always)]
    pub(crate) fn reduce(&self, x: u64) -> u64 {
        let y = self.fold(x);
        if y >= self.p { y - self.p } else { y }
    }

    #[inline(always)]
    pub(crate) fn add(&self, a: u64, b: u64) -> u64 {
        let s = a + b;
        if s >= self.p { s - self.p } else { s }
    }

    #[inline(always)]
    pub(crate) fn sub(&self, a: u64, b: u64) -> u64 {
        if a >= b { a - b } else { a + self.p - b }
    }

    /// Fold every element of `a` (keeps the lazy bound).
    pub(crate) fn fold_all(&self, a: &mut [u64]) {
        fold_into(a, self.c);
    }

    /// Reduce every element of `a` fully.
    pub(crate) fn reduce_all(&self, a: &mut [u64]) {
        for x in a.iter_mut() {
            *x = self.reduce(*x);
        }
    }

    /// Sum of lazy residues, reduced.
    pub(crate) fn sum(&self, a: &[u64]) -> u64 {
        let s: u128 = a.iter().map(|&x| x as u128).sum();
        (s % self.p as u128) as u64
    }
}

fn mulmod(a: u64, b: u64, m: u64) -> u64 {
    ((a as u128 * b as u128) % m as u128) as u64
}

fn powmod(mut b: u64, mut e: u64, m: u64) -> u64 {
    let mut r = 1u64;
    b %= m;
    while e > 0 {
        if e & 1 == 1 {
            r = mulmod(r, b, m);
        }
        b = mulmod(b, b, m);
        e >>= 1;
    }
    r
}

/// Deterministic Miller-Rabin for 64-bit integers (these seven bases are
/// known to be exact for all n < 2^64).
fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    for p in [2u64, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
        if n.is_multiple_of(p) {
            return n == p;
        }
    }
    let mut d = n - 1;
    let mut s = 0;
    while d.is_multiple_of(2) {
        d /= 2;
        s += 1;
    }
    'bases: for a in [2u64, 325, 9375, 28178, 450775, 9780504, 1795265022] {
        let a = a % n;
        if a == 0 {
            continue;
        }
        let mut x = powmod(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mulmod(x, x, n);
            if x == n - 1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

/// The first `count` primes `2^e - c` for odd `c` from 1 upwards, as
/// `(p, c)`, all with `c < 2^20` (there are over 20,000 such primes
/// below `2^57` and `2^63`, far more than any count asked for).
fn primes_below_power_of_two(e: u32, count: usize) -> Vec<(u64, u64)> {
    (0..1u64 << 19)
        .map(|i| 2 * i + 1)
        .map(|c| ((1u64 << e) - c, c))
        .filter(|&(p, _)| is_prime(p))
        .take(count)
        .collect()
}

/// How many primes [`primes_for_bits`] gives: each exceeds `2^56`.
pub(crate) fn prime_count(bits: u64) -> usize {
    (bits + 1).div_ceil(56).max(1) as usize
}

/// Enough primes that their product exceeds `2^bits`.
pub(crate) fn primes_for_bits(bits: u64) -> Vec<Modulus> {
    primes_below_power_of_two(PBITS, prime_count(bits))
        .into_iter()
        .map(|(p, c)| Modulus { p, c })
        .collect()
}

/// Rebuilds integers from their residues (Garner's algorithm).
pub(crate) struct Crt {
    primes: Vec<u64>,
    /// `inv[i][j] = p_i^{-1} mod p_j` for `i < j`.
    inv: Vec<Vec<u64>>,
}

impl Crt {
    /// For distinct primes below `2^63`.
    pub(crate) fn new(primes: &[u64]) -> Crt {
        let inv = primes
            .iter()
            .map(|&pi| {
                primes
                    .iter()
                    .map(|&pj| {
                        if pi == pj {
                            0
                        } else {
                            powmod(pi % pj, pj - 2, pj)
                        }
                    })
                    .collect()
            })
            .collect();
        Crt {
            primes: primes.to_vec(),
            inv,
        }
    }

    /// The unique integer in `[0, prod p)` with the given residues
    /// (`residues[i]` modulo prime `i`).
    pub(crate) fn rebuild(&self, residues: &[u64]) -> BigUint {
        let m = self.primes.len();
        let mut v = vec![0u64; m];
        for j in 0..m {
            let pj = self.primes[j];
            let mut t = residues[j] % pj;
            for (i, &vi) in v.iter().enumerate().take(j) {
                // `t - vi` modulo `pj`; both are below `pj < 2^63`.
                let d = (t + pj - vi % pj) % pj;
                t = mulmod(d, self.inv[i][j], pj);
            }
            v[j] = t;
        }
        let mut x = BigUint::zero();
        for j in (0..m).rev() {
            x = x * self.primes[j] + v[j];
        }
        x
    }
}

/// A prime `p = 2^63 - c` (`c < 2^20`) for tables whose residues are kept
/// fully reduced, below `p`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Wide {
    pub(crate) p: u64,
}

impl Wide {
    #[inline(always)]
    pub(crate) fn add(&self, a: u64, b: u64) -> u64 {
        let s = a + b;
        s.min(s.wrapping_sub(self.p))
    }

    #[inline(always)]
    pub(crate) fn sub(&self, a: u64, b: u64) -> u64 {
        if a >= b { a - b } else { a + self.p - b }
    }
}

/// How many primes [`wide_primes_for_bits`] gives: each exceeds
/// `2^63 - 2^20`, so `k` of them exceed `2^(63k - 1)`.
pub(crate) fn wide_prime_count(bits: u64) -> usize {
    (bits + 1).div_ceil(63).max(1) as usize
}

/// Enough [`Wide`] primes that their product exceeds `2^bits`.
pub(crate) fn wide_primes_for_bits(bits: u64) -> Vec<Wide> {
    primes_below_power_of_two(63, wide_prime_count(bits))
        .into_iter()
        .map(|(p, _)| Wide { p })
        .collect()
}

/// `dst[i] = (dst[i] + src[i]) mod p` for residues below `p < 2^63`: the
/// sum fits, and `min(s, s - p)` (wrapping) is the reduced one, which
/// vectorises (`vpminuq` with AVX-512).
#[multiversion::multiversion(targets("x86_64+avx512f", "x86_64+avx2"))]
pub(crate) fn add_mod_into(dst: &mut [u64], src: &[u64], p: u64) {
    for (d, x) in dst.iter_mut().zip(src) {
        let s = *d + *x;
        *d = s.min(s.wrapping_sub(p));
    }
}

/// `a[i] = (a[i] + c) mod p` for residues below `p < 2^63`.
#[multiversion::multiversion(targets("x86_64+avx512f", "x86_64+avx2"))]
pub(crate) fn add_mod_const(a: &mut [u64], c: u64, p: u64) {
    for x in a.iter_mut() {
        let s = *x + c;
        *x = s.min(s.wrapping_sub(p));
    }
}

/// `dst[i] = (dst[i] + a[i] + b[i] + ab[i]) mod p`, reduced after each
/// addition like [`add_mod_into`]: two players' pass over a row at once.
#[multiversion::multiversion(targets("x86_64+avx512f", "x86_64+avx2"))]
pub(crate) fn add_pair_mod_into(dst: &mut [u64], a: &[u64], b: &[u64], ab: &[u64], p: u64) {
    for (((d, x), y), z) in dst.iter_mut().zip(a).zip(b).zip(ab) {
        let s = *d + *x;
        let s = s.min(s.wrapping_sub(p)) + *y;
        let s = s.min(s.wrapping_sub(p)) + *z;
        *d = s.min(s.wrapping_sub(p));
    }
}

/// `dst[i] += src[i]`, wrapping: the inner loop of every dynamic program
/// here. It is compiled for several vector widths and the widest the CPU
/// has is chosen at run time (8 additions an instruction with AVX-512).
#[multiversion::multiversion(targets("x86_64+avx512f", "x86_64+avx2"))]
pub(crate) fn add_into(dst: &mut [u64], src: &[u64]) {
    for (d, x) in dst.iter_mut().zip(src) {
        *d = d.wrapping_add(*x);
    }
}

/// `dst[i] += s1[i] + s2[i] + s3[i]`, wrapping, vectorised like [`add_into`].
#[multiversion::multiversion(targets("x86_64+avx512f", "x86_64+avx2"))]
fn add3_into(dst: &mut [u64], s1: &[u64], s2: &[u64], s3: &[u64]) {
    for (((d, x), y), z) in dst.iter_mut().zip(s1).zip(s2).zip(s3) {
        *d = d.wrapping_add(x.wrapping_add(y.wrapping_add(*z)));
    }
}

/// [`add3_into`], then [`Modulus::fold`] of each result for `p = 2^57 - c`
/// (inputs below `2^62`, so that the four-term sum fits).
#[multiversion::multiversion(targets("x86_64+avx512f", "x86_64+avx2"))]
fn add3_fold_into(dst: &mut [u64], s1: &[u64], s2: &[u64], s3: &[u64], c: u64) {
    let c = c as u32 as u64;
    for (((d, x), y), z) in dst.iter_mut().zip(s1).zip(s2).zip(s3) {
        let s = d.wrapping_add(x.wrapping_add(y.wrapping_add(*z)));
        // The multiply is 32 x 32 bits: `c < 2^20`, `s >> 57 < 2^7`.
        *d = (s & MASK) + ((s >> PBITS) as u32 as u64) * c;
    }
}

/// [`Modulus::fold`] over a slice, for `p = 2^57 - c`, vectorised like
/// [`add_into`] (the multiply is 32 x 32 bits: `c < 2^20`, `x >> 57 < 2^7`).
#[multiversion::multiversion(targets("x86_64+avx512f", "x86_64+avx2"))]
fn fold_into(a: &mut [u64], c: u64) {
    let c = c as u32 as u64;
    for x in a.iter_mut() {
        *x = (*x & MASK) + ((*x >> PBITS) as u32 as u64) * c;
    }
}

/// `a[k] += a[k - w]` for all `k >= w`, using the old values of `a`
/// (multiplication of the polynomial by `1 + x^w`, truncated). Written as
/// block copies of non-overlapping slices so that it vectorises.
pub(crate) fn add_shifted(a: &mut [u64], w: usize) {
    let len = a.len();
    if w == 0 || w >= len {
        return;
    }
    let mut hi = len;
    while hi > w {
        let lo = (hi - w).max(w);
        let (left, right) = a.split_at_mut(lo);
        add_into(&mut right[..hi - lo], &left[lo - w..hi - w]);
        hi = lo;
    }
}

/// Two players at once: `a <- a * (1 + x^w1) * (1 + x^w2)`, truncated, in
/// one sweep over the table instead of two (the table lives in the L2/L3
/// caches, so the sweep count is what costs). With `fold`, every cell is
/// also folded on the way (inputs must then be below `2^62`, so that the
/// four-term sum fits), which saves a separate folding sweep.
pub(crate) fn add_shifted2(a: &mut [u64], w1: usize, w2: usize, fold: Option<&Modulus>) {
    match fold {
        Some(m) => add_shifted2_impl::<true>(a, w1, w2, m),
        None => add_shifted2_impl::<false>(a, w1, w2, &Modulus { p: 1, c: 0 }),
    }
}

fn add_shifted2_impl<const FOLD: bool>(a: &mut [u64], w1: usize, w2: usize, m: &Modulus) {
    let (w1, w2) = (w1.max(w2), w1.min(w2));
    let len = a.len();
    let w12 = w1 + w2;
    let c = m.c;
    if w2 == 0 || w12 >= len {
        add_shifted(a, w1);
        add_shifted(a, w2);
        if FOLD {
            m.fold_all(a);
        }
        return;
    }
    // k >= w1 + w2: all four terms, descending blocks of at most w2 cells
    // whose sources all lie below the block (so they still hold old values).
    let mut hi = len;
    while hi > w12 {
        let lo = (hi - w2).max(w12);
        let (left, right) = a.split_at_mut(lo);
        let dst = &mut right[..hi - lo];
        let s1 = &left[lo - w2..hi - w2];
        let s2 = &left[lo - w1..hi - w1];
        let s3 = &left[lo - w12..hi - w12];
        if FOLD {
            add3_fold_into(dst, s1, s2, s3, c);
        } else {
            add3_into(dst, s1, s2, s3);
        }
        hi = lo;
    }
    // k < w1 + w2 only reads lower cells, which are still old.
    let low = &mut a[..w12];
    add_shifted(low, w1);
    add_shifted(low, w2);
    if FOLD {
        m.fold_all(low);
    }
}

/// Run `f` once per item (a modulus, say) on up to `threads` threads,
/// results in order. Each thread makes one workspace with `init` and hands
/// it to every call it runs, so that a table is allocated (and its pages
/// faulted in) once per thread, not once per prime.
pub(crate) fn parallel_map<M: Sync, T: Send, W>(
    items: &[M],
    threads: usize,
    init: impl Fn() -> W + Sync,
    f: impl Fn(&mut W, &M) -> T + Sync,
) -> Vec<T> {
    let threads = threads.clamp(1, items.len().max(1));
    let (init, f) = (&init, &f);
    let run = move |t: usize| {
        let mut work = init();
        items
            .iter()
            .enumerate()
            .skip(t)
            .step_by(threads)
            .map(|(i, m)| (i, f(&mut work, m)))
            .collect::<Vec<_>>()
    };
    if threads == 1 {
        return run(0).into_iter().map(|(_, t)| t).collect();
    }
    let mut parts: Vec<Vec<(usize, T)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|t| scope.spawn(move || run(t))).collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(v) => v,
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    });
    let mut all: Vec<(usize, T)> = parts.drain(..).flatten().collect();
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, t)| t).collect()
}

/// Threads to use: the machine's parallelism.
pub(crate) fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_traits::One;

    #[test]
    fn primes_are_prime_and_distinct() {
        let ps = primes_for_bits(1000);
        assert!(ps.len() >= 18);
        for m in &ps {
            assert!(is_prime(m.p));
            assert!(m.c < 1 << 20);
        }
        assert!(!is_prime((1u64 << 57) - 3 * 5));
        assert!(is_prime(1_000_000_007));
        assert!(!is_prime(1_000_000_007u64 * 998_244_353));
    }

    #[test]
    fn crt_rebuilds_big_integers() {
        let x = BigUint::from(3u32).pow(180) + 12345u32; // about 286 bits
        let narrow: Vec<u64> = primes_for_bits(300).iter().map(|m| m.p).collect();
        let wide: Vec<u64> = wide_primes_for_bits(300).iter().map(|m| m.p).collect();
        assert_eq!(wide.len(), 5);
        for ps in [narrow, wide] {
            let crt = Crt::new(&ps);
            let res: Vec<u64> = ps
                .iter()
                .map(|&p| (&x % p).try_into().expect("fits"))
                .collect();
            assert_eq!(crt.rebuild(&res), x);
        }
    }

    #[test]
    fn wide_residues_stay_reduced() {
        let ps = wide_primes_for_bits(1000);
        assert_eq!(ps.len(), 16);
        let product = ps.iter().fold(BigUint::one(), |acc, m| acc * m.p);
        assert!(product > BigUint::one() << 1000u32);
        let m = ps[0];
        assert!(is_prime(m.p) && m.p > 1 << 62);
        let edge = [0, 1, m.p / 2, m.p - 2, m.p - 1];
        let mut dst: Vec<u64> = edge.iter().flat_map(|&a| edge.map(|_| a)).collect();
        let src: Vec<u64> = edge.iter().flat_map(|_| edge).collect();
        let want: Vec<u64> = dst
            .iter()
            .zip(&src)
            .map(|(&a, &b)| ((a as u128 + b as u128) % m.p as u128) as u64)
            .collect();
        add_mod_into(&mut dst, &src, m.p);
        assert_eq!(dst, want);
        for (&a, &b) in edge.iter().zip(edge.iter().rev()) {
            assert_eq!(m.add(a, b) as u128, (a as u128 + b as u128) % m.p as u128);
            assert_eq!(m.add(m.sub(a, b), b), a);
        }
    }

    #[test]
    fn fold_preserves_residue() {
        let m = primes_for_bits(10)[0];
        for x in [0u64, 1, m.p, m.p + 5, u64::MAX, u64::MAX - 12345, 1 << 63] {
            assert_eq!(m.reduce(x), x % m.p);
            assert!(m.fold(x) < 1 << 58);
        }
    }

    #[test]
    fn add_shifted2_multiplies_by_two_factors() {
        for w1 in 1..12 {
            for w2 in 1..12 {
                let mut a: Vec<u64> = (0..30).map(|i| i * i + 1).collect();
                let mut b = a.clone();
                add_shifted2(&mut a, w1, w2, None);
                let mut f = (0..30).map(|i| (i * i + 1) << 58).collect::<Vec<u64>>();
                let mut g = f.clone();
                let m = primes_for_bits(1)[0];
                add_shifted2(&mut f, w1, w2, Some(&m));
                add_shifted(&mut g, w1);
                add_shifted(&mut g, w2);
                for (x, y) in f.iter().zip(&g) {
                    assert!(*x < 1 << 58);
                    assert_eq!(m.reduce(*x), m.reduce(*y));
                }
                add_shifted(&mut b, w1);
                add_shifted(&mut b, w2);
                assert_eq!(a, b, "w1={w1} w2={w2}");
            }
        }
    }

    #[test]
    fn add_shifted_multiplies_by_one_plus_x_w() {
        for w in 1..9 {
            let mut a: Vec<u64> = (0..20).map(|i| i * i + 1).collect();
            let old = a.clone();
            add_shifted(&mut a, w);
            for k in 0..20 {
                let expect = old[k] + if k >= w { old[k - w] } else { 0 };
                assert_eq!(a[k], expect, "w={w} k={k}");
            }
        }
    }
}
