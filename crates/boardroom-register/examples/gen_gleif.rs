//! Generates a GLEIF RR-CDF 2.x relationship file at golden-copy scale:
//! 3.4M LEIs (the 399k real ones from the Level 1 subset, then synthetic
//! ones) and about 490k relationship records in the golden copy's mix of
//! types, with consolidation chains up to 6 levels. Deterministic.
//!
//! cargo run --release -p boardroom-register --example gen_gleif -- --out /work/bench-data/rr-490k.csv

use std::io::{BufWriter, Write};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let out = opt("--out").unwrap_or_else(|| "/work/bench-data/rr-490k.csv".to_owned());
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/gleif");
    let header = std::fs::read_to_string(format!("{base}/rr-sample-400.csv"))?
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    let ncols = header.split(',').count();
    let file = std::fs::File::open(format!("{base}/lei-l1-subset-399k.csv.gz"))?;
    let mut rdr = csv::Reader::from_reader(flate2::read::GzDecoder::new(file));
    let mut leis: Vec<String> = Vec::with_capacity(3_428_477);
    for rec in rdr.records() {
        if let Some(l) = rec?.get(0) {
            leis.push(l.to_owned());
        }
    }
    let mut rng = Rng(11);
    while leis.len() < 3_428_477 {
        leis.push(format!("9999{:014}{:02}", leis.len(), rng.below(100)));
    }
    let mut w = BufWriter::with_capacity(1 << 22, std::fs::File::create(&out)?);
    writeln!(w, "{header}")?;
    let rest = ",".repeat(ncols - 15);
    let row = |w: &mut BufWriter<std::fs::File>,
               c: &str,
               p: &str,
               kind: &str,
               active: bool|
     -> std::io::Result<()> {
        writeln!(
            w,
            "{c},LEI,{p},LEI,{kind},{},2018-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,PUBLISHED,2025-01-01T00:00:00.000Z,5493001KJTIIGC8Y1R12,FULLY_CORROBORATED,ACCOUNTS_FILING,,2018-01-01T00:00:00.000Z{rest}",
            if active { "ACTIVE" } else { "INACTIVE" }
        )
    };
    let n = leis.len() as u64;
    let mut records = 0u64;
    // Consolidation trees: each group has a top and chains below it.
    let (mut direct, mut ultimate) = (0u64, 0u64);
    while direct < 126_688 {
        let top = rng.below(n) as usize;
        let mut level = vec![top];
        for _depth in 0..(1 + rng.below(6)) {
            let mut next = Vec::new();
            for &parent in &level {
                for _ in 0..(1 + rng.below(3)) {
                    let child = rng.below(n) as usize;
                    if child == parent || child == top {
                        continue;
                    }
                    row(
                        &mut w,
                        &leis[child],
                        &leis[parent],
                        "IS_DIRECTLY_CONSOLIDATED_BY",
                        true,
                    )?;
                    direct += 1;
                    if ultimate < 132_877 {
                        row(
                            &mut w,
                            &leis[child],
                            &leis[top],
                            "IS_ULTIMATELY_CONSOLIDATED_BY",
                            true,
                        )?;
                        ultimate += 1;
                    }
                    next.push(child);
                }
            }
            level = next;
            if level.len() > 50 {
                level.truncate(50);
            }
        }
    }
    records += direct + ultimate;
    for (kind, count) in [
        ("IS_FUND-MANAGED_BY", 150_982u64),
        ("IS_SUBFUND_OF", 73_834),
        ("IS_INTERNATIONAL_BRANCH_OF", 1_959),
        ("IS_FEEDER_TO", 1_381),
    ] {
        for i in 0..count {
            let (c, p) = (rng.below(n) as usize, rng.below(n) as usize);
            row(&mut w, &leis[c], &leis[p], kind, i % 50 != 0)?;
        }
        records += count;
    }
    w.flush()?;
    eprintln!("wrote {records} relationship records over {n} LEIs to {out}");
    Ok(())
}
