//! The statement parser alone: every line of a BODS JSON Lines file (read
//! into memory first) through `parse_statement`, timed, with no reading
//! threads and no register. Alternate two builds on the same file to
//! compare parsers: this machine's noise is larger than most changes.
//!
//! cargo run --release -p boardroom-register --example parse_micro -- FILE.jsonl [--compare]
//!
//! `--compare` reads every line with serde_json alone as well and stops at
//! the first line where the two differ: the scanner checked on a whole
//! register rather than on the tests' samples.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use boardroom_register::*;
use std::time::Instant;
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: parse_micro FILE.jsonl");
    let data = std::fs::read(&path).expect("a readable file");
    let lines: Vec<&[u8]> = memchr::memchr_iter(b'\n', &data)
        .scan(0usize, |start, end| {
            let l = &data[*start..end];
            *start = end + 1;
            Some(l)
        })
        .collect();
    let t0 = Instant::now();
    let mut n = 0u64;
    for (i, line) in lines.iter().enumerate() {
        if parse_statement(line, i as u64).is_ok() {
            n += 1;
        }
    }
    let e = t0.elapsed().as_secs_f64();
    eprintln!("parse_statement {:.0} ns each ({n})", e * 1e9 / n as f64);
    if std::env::args().any(|a| a == "--compare") {
        let t0 = Instant::now();
        for (i, line) in lines.iter().enumerate() {
            let fast = parse_statement(line, i as u64 + 1);
            let slow = parse_statement_by_serde(line, i as u64 + 1);
            assert_eq!(fast, slow, "line {} reads differently", i + 1);
        }
        let e = t0.elapsed().as_secs_f64();
        eprintln!(
            "every line read alike by serde_json alone ({:.0} ns a line for both)",
            e * 1e9 / lines.len() as f64
        );
    }
}
