//! Monte Carlo estimates for weighted games too large for the exact method.
//! Deterministic given the seed (ChaCha8).

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::value::Estimate;

/// Absolute Banzhaf estimates: each sample is a uniformly random coalition
/// `S` of all players; player `i` swings in `S \ {i}` with probability equal
/// to its absolute Banzhaf index, and `S \ {i}` is uniform over coalitions
/// of the others, so every player can reuse the same sample.
pub(crate) fn banzhaf(weights: &[u64], quota: u64, samples: u64, seed: u64) -> Vec<Estimate> {
    let n = weights.len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut hits = vec![0u64; n];
    let mut member = vec![false; n];
    for _ in 0..samples {
        let mut total = 0u64;
        for chunk in member.chunks_mut(64) {
            let bits = rng.next_u64();
            for (j, m) in chunk.iter_mut().enumerate() {
                *m = bits >> j & 1 == 1;
            }
        }
        for (m, &w) in member.iter().zip(weights) {
            if *m {
                total += w;
            }
        }
        for i in 0..n {
            let others = if member[i] { total - weights[i] } else { total };
            if others < quota && others + weights[i] >= quota {
                hits[i] += 1;
            }
        }
    }
    hits.iter()
        .map(|&h| Estimate::bernoulli(h, samples))
        .collect()
}

/// Shapley-Shubik estimates: each sample is a uniformly random order of the
/// players; the player who first brings the running weight to the quota is
/// pivotal.
pub(crate) fn shapley_shubik(
    weights: &[u64],
    quota: u64,
    samples: u64,
    seed: u64,
) -> Vec<Estimate> {
    let n = weights.len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_5eed_5eed_5eed);
    let mut hits = vec![0u64; n];
    let mut perm: Vec<usize> = (0..n).collect();
    for _ in 0..samples {
        let mut total = 0u64;
        for k in 0..n {
            let j = rng.random_range(k..n);
            perm.swap(k, j);
            let p = perm[k];
            total += weights[p];
            if total >= quota {
                hits[p] += 1;
                break;
            }
        }
    }
    hits.iter()
        .map(|&h| Estimate::bernoulli(h, samples))
        .collect()
}
