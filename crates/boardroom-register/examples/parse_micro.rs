//! The statement parser alone: every line of a BODS JSON Lines file (read
//! into memory first) through `parse_statement`, timed, with no reading
//! threads and no register. Alternate two builds on the same file to
//! compare parsers: this machine's noise is larger than most changes.
//!
//! cargo run --release -p boardroom-register --example parse_micro -- FILE.jsonl

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
}
