//! GLEIF scale: read an RR-CDF CSV and the Level 1 names, build the graph,
//! resolve every child's ultimate parents, check them against the declared
//! ones. Timed end to end.
//!
//! cargo run --release -p boardroom-register --example gleif_bench -- /work/bench-data/rr-490k.csv

// The allocator of the `boardroom` binary, so the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use boardroom_register::*;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: gleif_bench RR.csv")?;
    let t0 = Instant::now();
    let mut b = GleifBuilder::new();
    let names = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/gleif/lei-l1-subset-399k.csv.gz"
    );
    let mut rdr =
        csv::Reader::from_reader(flate2::read::GzDecoder::new(std::fs::File::open(names)?));
    for rec in rdr.records() {
        let rec = rec?;
        if let (Some(l), Some(n)) = (rec.get(0), rec.get(1)) {
            b.name(l, n);
        }
    }
    let t_names = t0.elapsed();
    let file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&path)?);
    let problems = read_relationships(file, |r| b.add(&r))?;
    let t_read = t0.elapsed();
    let counts = b.counts.clone();
    let (g, a, res) = b.resolve(&Silent);
    let total = t0.elapsed();
    println!(
        "records          {} (problems {})",
        counts.records,
        problems.len()
    );
    println!("counts           {counts:?}");
    println!(
        "graph            nodes {} edges {}",
        g.node_count(),
        g.edge_count()
    );
    println!(
        "resolution       children {} pairs {} agree {} disagree {} undeclared {} cyclic {}",
        res.children,
        res.pairs.len(),
        res.agree,
        res.disagree,
        res.undeclared,
        res.cyclic
    );
    println!("depths           {:?}", a.stats.depth_histogram);
    println!(
        "time             names {:.2} s, read {:.2} s, resolve {:.2} s, total {:.2} s",
        t_names.as_secs_f64(),
        (t_read - t_names).as_secs_f64(),
        (total - t_read).as_secs_f64(),
        total.as_secs_f64()
    );
    Ok(())
}
