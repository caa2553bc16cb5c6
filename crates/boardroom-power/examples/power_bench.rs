//! Benchmark of the exact weighted methods on random games.
//!
//! Games: weights uniform in 1..=1000 from ChaCha8 seeded with 2024 + n,
//! quota floor(total / 2) + 1. Writes the games (and our normalised Banzhaf
//! values) to JSON so that `bench/power/powerindex_bench.py` times the peer
//! on the very same games.
//!
//! ```text
//! cargo run --release -p boardroom-power --example power_bench -- \
//!     --ns 50,200,1000,5000 --ss-ns 50,200,1000 --out target/power-bench.json
//! ```

use std::time::Instant;

use boardroom_power::{Game, Index, Options, PowerError, Value, WeightedGame, analyse};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn game(n: usize) -> (u64, Vec<u64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(2024 + n as u64);
    let w: Vec<u64> = (0..n).map(|_| rng.random_range(1..=1000)).collect();
    let total: u64 = w.iter().sum();
    (total / 2 + 1, w)
}

fn list(args: &[String], flag: &str, default: &str) -> Vec<usize> {
    let v = args
        .iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |s| s.as_str());
    v.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let ns = list(&args, "--ns", "50,200,1000,5000");
    let ss_ns = list(&args, "--ss-ns", "50,200");
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let mut records = Vec::new();
    for &n in &ns {
        let (q, w) = game(n);
        let g = Game::Weighted(WeightedGame::new(q, w.clone())?);
        let opts = Options {
            indices: vec![Index::Banzhaf],
            coalitions: false,
            ..Options::default()
        };
        let t = Instant::now();
        let a = analyse(&g, &[], &opts)?;
        let bz_secs = t.elapsed().as_secs_f64();
        let norm: Vec<String> = a
            .players
            .iter()
            .map(|p| match &p.banzhaf_normalised {
                Some(Value::Exact(e)) => e.decimal(17),
                _ => "nan".into(),
            })
            .collect();
        println!(
            "n={n:5} W={:8} q={:8}  exact Banzhaf {bz_secs:9.3} s",
            w.iter().sum::<u64>(),
            q
        );
        let mut ss_secs = serde_json::Value::Null;
        if ss_ns.contains(&n) {
            let opts = Options {
                indices: vec![Index::ShapleyShubik],
                coalitions: false,
                ..Options::default()
            };
            let t = Instant::now();
            match analyse(&g, &[], &opts) {
                Ok(a) => {
                    let s = t.elapsed().as_secs_f64();
                    // An exact check at any size: the values sum to 1.
                    let sum = a
                        .players
                        .iter()
                        .filter_map(|p| p.shapley_shubik.as_ref().and_then(|v| v.exact()))
                        .fold(
                            num_rational::BigRational::from_integer(0.into()),
                            |acc, e| acc + &e.0,
                        );
                    let one = sum == num_rational::BigRational::from_integer(1.into());
                    println!(
                        "                                  exact Shapley-Shubik {s:9.3} s (includes the Banzhaf pass); values sum to exactly 1: {one}"
                    );
                    if !one {
                        return Err(format!("n={n}: Shapley-Shubik values sum to {sum}").into());
                    }
                    ss_secs = s.into();
                }
                Err(e @ PowerError::TooLargeForExact { .. }) => {
                    println!("                                  exact Shapley-Shubik: {e}");
                    ss_secs = e.to_string().into();
                }
                Err(e) => return Err(e.into()),
            }
        }
        records.push(serde_json::json!({
            "n": n, "quota": q, "weights": w,
            "banzhaf_seconds": bz_secs, "shapley_shubik_seconds": ss_secs,
            "banzhaf_normalised": norm,
        }));
    }
    if let Some(path) = out {
        std::fs::write(&path, serde_json::to_string(&records)?)
            .map_err(|e| format!("writing {path}: {e}"))?;
        eprintln!("wrote {path}");
    }
    Ok(())
}
