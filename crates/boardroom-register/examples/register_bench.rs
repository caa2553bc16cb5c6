//! Ingest and full analysis of a BODS file, timed by phase.
//!
//! cargo run --release -p boardroom-register --example register_bench -- \
//!     /work/bench-data/reg-1m.jsonl [--out DIR] [--edges FILE] [--pairs FILE] [--threads N]
//!     [--repeat N] [--csv-only]
//!
//! Without `--threads N`, reading and analysis use the CLI's defaults.
//!
//! `--repeat N` runs the analysis N more times on the same graph and prints
//! the fastest and the median of those runs beside the first (cold) one:
//! on a noisy machine, one run says little.
//!
//! `--out` writes ultimates.csv, ultimates.jsonl, ultimates.parquet and
//! cycles.jsonl (with `--csv-only`, the CSV and the cycles); `--edges`
//! writes the live edges (subject,party) and `--pairs` the (entity, party
//! at the top) pairs, for the peer comparison in bench/register/.

// The allocator of the `boardroom` binary, so the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use boardroom_register::*;
use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let input = args.get(1).ok_or(
        "usage: register_bench FILE [--out DIR] [--edges FILE] [--pairs FILE] [--threads N] [--repeat N]",
    )?;
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    // Without `--threads`, the CLI's settings: two parser threads, and the
    // analysis on rayon's global pool (one thread per core).
    let threads: Option<usize> = opt("--threads").map(|t| t.parse()).transpose()?;
    let repeat: usize = opt("--repeat").map_or(Ok(0), |t| t.parse())?;
    let csv_only = args.iter().any(|a| a == "--csv-only");
    let progress = stderr_progress();
    let t0 = Instant::now();
    let file = std::fs::File::open(input).map_err(|e| format!("{input}: {e}"))?;
    let read = ReadOptions {
        threads: threads.unwrap_or(ReadOptions::default().threads),
        ..ReadOptions::default()
    };
    let (g, summary, report) = read_register(
        std::io::BufReader::with_capacity(1 << 20, file),
        &read,
        &RegisterOptions::default(),
        progress.as_ref(),
    )?;
    let t_read = t0.elapsed();
    let t1 = Instant::now();
    let options = AnalysisOptions {
        threads: threads.unwrap_or(AnalysisOptions::default().threads),
        ..AnalysisOptions::default()
    };
    let a = Analysis::run(&g, &options, progress.as_ref());
    let t_analyse = t1.elapsed();
    let mut again: Vec<f64> = (0..repeat)
        .map(|_| {
            let t = Instant::now();
            let b = Analysis::run(&g, &options, &Silent);
            let secs = t.elapsed().as_secs_f64();
            assert_eq!(b.stats, a.stats, "a repeated analysis differs");
            secs
        })
        .collect();
    again.sort_by(f64::total_cmp);
    println!("input            {input}");
    println!("bytes            {}", summary.bytes);
    println!(
        "statements       {} (problems {}, truncated {})",
        summary.statements, summary.problem_count, summary.truncated
    );
    println!(
        "register         updates {} closures {} edges {} inactive {} dangling {} warnings {}",
        report.updates,
        report.closures,
        report.edges,
        report.inactive_relationships,
        report.dangling_relationships,
        report.warning_count
    );
    println!(
        "graph            nodes {} edges {}",
        g.node_count(),
        g.edge_count()
    );
    println!(
        "read+build       {:.2} s ({:.0} MB/s)",
        t_read.as_secs_f64(),
        summary.bytes as f64 / 1e6 / t_read.as_secs_f64()
    );
    println!("analyse          {:.4} s", t_analyse.as_secs_f64());
    if let (Some(fastest), Some(median)) = (again.first(), again.get(again.len() / 2)) {
        println!(
            "analyse again    fastest {fastest:.4} s, median {median:.4} s ({} runs)",
            again.len()
        );
    }
    let s = &a.stats;
    println!(
        "entities         {} (no parties {}, with owner {}, with controller {}, unknown party {}, in cycles {}, via cycles {})",
        s.entities,
        s.entities_without_parties,
        s.entities_with_owner,
        s.entities_with_controller,
        s.entities_with_unknown_party,
        s.entities_in_cycles,
        s.entities_via_cycles
    );
    println!(
        "pairs            {} (ownership {}, control {})",
        s.pairs, s.ownership_pairs, s.control_pairs
    );
    println!(
        "cycles           {} (largest {}, truncated {})",
        s.cycles, s.largest_cycle, s.truncated_cycles
    );
    println!("depth histogram  {:?}", s.depth_histogram);
    if let Some(dir) = opt("--out") {
        let t = Instant::now();
        std::fs::create_dir_all(&dir)?;
        let f = std::fs::File::create(format!("{dir}/ultimates.csv"))?;
        let rows = write_ultimates(
            &g,
            &a,
            OutputFormat::Csv,
            std::io::BufWriter::with_capacity(1 << 20, f),
            &Default::default(),
            progress.as_ref(),
        )?;
        let t_csv = t.elapsed();
        let t = Instant::now();
        if !csv_only {
            let f = std::fs::File::create(format!("{dir}/ultimates.jsonl"))?;
            write_ultimates(
                &g,
                &a,
                OutputFormat::JsonLines,
                f,
                &Default::default(),
                progress.as_ref(),
            )?;
        }
        let t_jsonl = t.elapsed();
        let t = Instant::now();
        if !csv_only {
            let f = std::fs::File::create(format!("{dir}/ultimates.parquet"))?;
            write_ultimates(
                &g,
                &a,
                OutputFormat::Parquet,
                f,
                &Default::default(),
                progress.as_ref(),
            )?;
        }
        let t_parquet = t.elapsed();
        write_cycles(
            &g,
            &a,
            std::fs::File::create(format!("{dir}/cycles.jsonl"))?,
        )?;
        println!(
            "write            {rows} rows: csv {:.2} s, jsonl {:.2} s, parquet {:.2} s",
            t_csv.as_secs_f64(),
            t_jsonl.as_secs_f64(),
            t_parquet.as_secs_f64()
        );
    }
    if let Some(path) = opt("--edges") {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        writeln!(w, "subject,party")?;
        for n in g.nodes() {
            for e in g.edges(n).iter().filter(|e| e.is_live()) {
                writeln!(w, "{},{}", g.id(n), g.id(e.party))?;
            }
        }
        w.flush()?;
    }
    if let Some(path) = opt("--pairs") {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        writeln!(w, "entity,party")?;
        for n in g.nodes() {
            a.with_results(&g, n, |rs| -> std::io::Result<()> {
                for u in rs
                    .iter()
                    .filter(|u| u.is_top() && (u.party != n || u.min_depth > 0))
                {
                    writeln!(w, "{},{}", g.id(n), g.id(u.party))?;
                }
                Ok(())
            })?;
        }
        w.flush()?;
    }
    println!("total            {:.2} s", t0.elapsed().as_secs_f64());
    Ok(())
}
