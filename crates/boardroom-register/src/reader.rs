//! A streaming reader of BODS 0.4 files: a JSON array or JSON Lines,
//! detected from the first byte, parsed in chunks on several threads and
//! handed on in file order.
//!
//! Architecture invariant: the whole file is never in memory. One thread
//! cuts the input into chunks of whole records (lines, or elements of the
//! top-level array), worker threads parse chunks, and the caller's thread
//! receives statements in input order.

use crate::progress::Progress;
use crate::statement::{Statement, parse_statement, sniff_statement_id};
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::sync::{Arc, Mutex};

/// The layout of a BODS file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One statement per line.
    JsonLines,
    /// One JSON array of statements.
    JsonArray,
}

/// How to read.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Stop at the first problem instead of counting it and going on.
    pub strict: bool,
    /// Parser threads (at least 1).
    pub threads: usize,
    /// Bytes per chunk handed to a parser thread.
    pub chunk_bytes: usize,
    /// Problems kept with their details; every problem is counted.
    pub max_reported: usize,
    /// The longest statement read, in bytes: a longer one is reported as
    /// damaged, with its line, and skipped. Past 64 times this with no end
    /// to the statement (`/dev/zero`), reading stops as at a cut-off file.
    pub max_statement_bytes: usize,
}

/// The default [`ReadOptions::max_statement_bytes`]: 64 MiB, far above any
/// real statement (the largest official example is 6 KB).
pub const MAX_STATEMENT_BYTES: usize = 64 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            strict: false,
            threads: 2,
            chunk_bytes: 4 << 20,
            max_reported: 1000,
            max_statement_bytes: MAX_STATEMENT_BYTES,
        }
    }
}

/// What kind of problem a statement had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The statement is not valid JSON or lacks a required field.
    Damaged,
    /// The input ends in the middle of a statement or of the array.
    Truncated,
    /// Text after the end of the top-level array.
    TrailingData,
}

/// One statement that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line where the statement starts.
    pub line: u64,
    /// The statementId, when it could be found in the damaged text.
    pub statement_id: Option<Box<str>>,
    /// The kind of problem.
    pub kind: ProblemKind,
    /// What was wrong.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(id) = &self.statement_id {
            write!(f, " (statementId {id})")?;
        }
        let kind = match self.kind {
            ProblemKind::Damaged => "damaged statement",
            ProblemKind::Truncated => "truncated input",
            ProblemKind::TrailingData => "data after the closing `]`",
        };
        write!(f, ": {kind}: {}", self.message)
    }
}

/// One statement's text (without its line break), read as the reader
/// reads each: the statement, or the problem, located on `line`, with its
/// statementId where it can be found.
pub fn read_statement(text: &[u8], line: u64) -> Result<Statement, Problem> {
    parse_statement(text, line).map_err(|e| Problem {
        line,
        statement_id: sniff_statement_id(text),
        kind: ProblemKind::Damaged,
        message: e.to_string(),
    })
}

/// What a read found, besides the statements themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadSummary {
    /// The detected layout.
    pub format: Format,
    /// Statements read and handed on.
    pub statements: u64,
    /// Problems, all of them counted here.
    pub problem_count: u64,
    /// The first [`ReadOptions::max_reported`] problems.
    pub problems: Vec<Problem>,
    /// The input ended early (cut line or unterminated array).
    pub truncated: bool,
    /// Bytes read.
    pub bytes: u64,
}

/// Why a read stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The input could not be read.
    #[error("cannot read input: {0}")]
    Io(#[from] std::io::Error),
    /// Strict mode met a problem.
    #[error("{0}\nhint: without --strict, damaged statements are counted and skipped")]
    Strict(Problem),
    /// The caller asked to stop ([`Progress::stopped`]): nothing read is
    /// returned.
    #[error("the read was stopped before the end of the input")]
    Stopped,
}

struct Record {
    start: usize,
    end: usize,
    line: u64,
    unterminated: bool,
}

struct Chunk {
    seq: u64,
    data: Vec<u8>,
    records: Vec<Record>,
    /// Problems found by the splitter itself (end of input).
    tail_problems: Vec<Problem>,
}

/// One chunk parsed: its place in the input, its bytes, what it held, and
/// the parser thread that built it.
struct Parsed {
    seq: u64,
    bytes: usize,
    items: Vec<Result<Statement, Problem>>,
    worker: usize,
}

/// Statements handed back, once the caller has seen them, to the parser
/// thread that allocated them: freed there, on the allocator's fast path,
/// rather than one by one on the caller's thread, the busiest of a read.
type Spent = Vec<Result<Statement, Problem>>;

/// Reads every statement of `input`, calling `sink` with each run of
/// statements read (a chunk of the input), in file order. A run holds the
/// statements that could not be read too, as `Err`, already counted and
/// reported in the summary: the sink skips them. Seeing a run at once,
/// the sink can prepare for the statements to come (ask the cache for
/// what they will look up). It may take what it keeps out of a statement
/// (`std::mem::take`) rather than copy it; the rest is freed by the thread
/// that parsed it.
///
/// Damaged statements are counted, reported in the summary and skipped;
/// with [`ReadOptions::strict`] the first one stops the read.
pub fn read_statements<R, F>(
    input: R,
    options: &ReadOptions,
    progress: &dyn Progress,
    mut sink: F,
) -> Result<ReadSummary, ReadError>
where
    R: Read + Send,
    F: FnMut(&mut [Result<Statement, Problem>]),
{
    let threads = options.threads.max(1);
    let chunk_bytes = options.chunk_bytes.max(1024);
    let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(threads * 2);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    let (parsed_tx, parsed_rx) = sync_channel::<Parsed>(threads * 2);
    let mut summary = ReadSummary {
        format: Format::JsonLines,
        statements: 0,
        problem_count: 0,
        problems: Vec::new(),
        truncated: false,
        bytes: 0,
    };
    progress.begin("read", None);
    let outcome = std::thread::scope(|scope| -> Result<(), ReadError> {
        let cap = options.max_statement_bytes.max(1024);
        // Chunk buffers parsed come back to the splitter to be filled again.
        let (buffers_tx, buffers_rx) = channel::<Vec<u8>>();
        let splitter = scope.spawn(move || split(input, chunk_bytes, cap, chunk_tx, &buffers_rx));
        let mut spent = Vec::with_capacity(threads);
        for worker in 0..threads {
            let rx = Arc::clone(&chunk_rx);
            let tx = parsed_tx.clone();
            let buffers = buffers_tx.clone();
            let (spent_tx, spent_rx) = channel::<Spent>();
            spent.push(spent_tx);
            scope.spawn(move || parse_chunks(worker, &rx, &tx, &spent_rx, &buffers));
        }
        drop(buffers_tx);
        // Only the parsers hold the chunks' receiver: when the collector
        // stops early (--strict), they stop, the receiver goes, and the
        // splitter's next send fails instead of waiting for ever.
        drop(chunk_rx);
        drop(parsed_tx);
        let result = collect(
            &parsed_rx,
            &spent,
            options,
            progress,
            &mut summary,
            &mut sink,
        );
        drop(spent);
        drop(parsed_rx);
        let split_result = splitter
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the splitter thread panicked")));
        result?;
        let format = split_result?;
        summary.format = format;
        Ok(())
    });
    progress.end();
    outcome.map(|()| summary)
}

fn collect<F: FnMut(&mut [Result<Statement, Problem>])>(
    rx: &Receiver<Parsed>,
    spent: &[Sender<Spent>],
    options: &ReadOptions,
    progress: &dyn Progress,
    summary: &mut ReadSummary,
    sink: &mut F,
) -> Result<(), ReadError> {
    let mut pending: BTreeMap<u64, Parsed> = BTreeMap::new();
    let mut next = 0u64;
    for parsed in rx.iter() {
        pending.insert(parsed.seq, parsed);
        while let Some(Parsed {
            bytes,
            mut items,
            worker,
            ..
        }) = pending.remove(&next)
        {
            next += 1;
            summary.bytes += bytes as u64;
            progress.advance(bytes as u64);
            if progress.stopped() {
                return Err(ReadError::Stopped);
            }
            for item in &items {
                match item {
                    Ok(_) => summary.statements += 1,
                    Err(p) => {
                        if options.strict {
                            return Err(ReadError::Strict(p.clone()));
                        }
                        summary.problem_count += 1;
                        if matches!(p.kind, ProblemKind::Truncated) {
                            summary.truncated = true;
                        }
                        if summary.problems.len() < options.max_reported {
                            summary.problems.push(p.clone());
                        }
                    }
                }
            }
            sink(&mut items);
            // A parser thread that has finished frees nothing more: the
            // items come back and are freed here.
            if let Some(Err(back)) = spent.get(worker).map(|tx| tx.send(items)) {
                drop(back);
            }
        }
    }
    Ok(())
}

fn parse_chunks(
    worker: usize,
    rx: &Mutex<Receiver<Chunk>>,
    tx: &SyncSender<Parsed>,
    spent: &Receiver<Spent>,
    buffers: &Sender<Vec<u8>>,
) {
    loop {
        // What the caller has seen of this thread's chunks is freed here.
        while let Ok(items) = spent.try_recv() {
            drop(items);
        }
        let chunk = match rx.lock() {
            Ok(guard) => match guard.recv() {
                Ok(c) => c,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let mut out = Vec::with_capacity(chunk.records.len() + chunk.tail_problems.len());
        for r in &chunk.records {
            let text = trim(&chunk.data[r.start..r.end]);
            if text.is_empty() {
                continue;
            }
            out.push(if r.unterminated {
                parse_statement(text, r.line).map_err(|e| Problem {
                    line: r.line,
                    statement_id: sniff_statement_id(text),
                    kind: ProblemKind::Truncated,
                    message: format!("the last statement is cut off ({e})"),
                })
            } else {
                read_statement(text, r.line)
            });
        }
        out.extend(chunk.tail_problems.into_iter().map(Err));
        let parsed = Parsed {
            seq: chunk.seq,
            bytes: chunk.data.len(),
            items: out,
            worker,
        };
        // The statements own their text: the buffer is free for the next
        // chunk (a splitter that has finished has dropped its receiver).
        let _ = buffers.send(chunk.data);
        if tx.send(parsed).is_err() {
            return;
        }
    }
}

fn trim(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = b {
        if last.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// The top-level array scanner's state, carried across chunks.
#[derive(Default)]
struct ArrayScan {
    depth: u32,
    in_string: bool,
    escape: bool,
    opened: bool,
    closed: bool,
    elem_start: Option<(usize, u64)>,
    trailing: Option<u64>,
    /// The element being read is over the cap: it is scanned to its end
    /// but not kept.
    skipping: bool,
}

/// Cuts the input into chunks of whole records; returns the format.
fn split<R: Read>(
    mut input: R,
    chunk_bytes: usize,
    cap: usize,
    tx: SyncSender<Chunk>,
    buffers: &Receiver<Vec<u8>>,
) -> std::io::Result<Format> {
    // Bytes of an over-long statement dropped so far; `Some` while one is
    // being skipped.
    let mut skipped: Option<usize> = None;
    let mut buf: Vec<u8> = Vec::with_capacity(chunk_bytes + (64 << 10));
    let mut seq = 0u64;
    let mut format: Option<Format> = None;
    let mut scan_pos = 0usize; // bytes of buf already scanned
    let mut line = 1u64; // line number at scan_pos
    let mut rec_start = 0usize; // JSON Lines: start of the current line
    let mut rec_line = 1u64;
    let mut array = ArrayScan::default();
    let mut records: Vec<Record> = Vec::new();
    let mut boundary = 0usize; // end of the last complete record
    let mut eof = false;
    while !eof {
        // Fill the buffer up to chunk_bytes.
        let want = chunk_bytes.saturating_sub(buf.len()).max(64 << 10);
        let old = buf.len();
        buf.resize(old + want, 0);
        let n = loop {
            match input.read(&mut buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        buf.truncate(old + n);
        eof = n == 0;
        if format.is_none() {
            let first = buf
                .iter()
                .copied()
                .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
            match first {
                Some(b'[') => format = Some(Format::JsonArray),
                Some(_) => format = Some(Format::JsonLines),
                None if eof => format = Some(Format::JsonLines),
                None => continue,
            }
        }
        let mut tail_problems = Vec::new();
        let known = records.len();
        match format {
            Some(Format::JsonArray) => {
                scan_array(
                    &buf,
                    scan_pos,
                    &mut line,
                    &mut array,
                    &mut records,
                    &mut boundary,
                    &mut tail_problems,
                );
                scan_pos = buf.len();
                if !array.skipping {
                    skipped = None;
                }
                if let Some((start, at)) = array.elem_start
                    && buf.len() - start > cap
                {
                    // Scanned on to its end, but not kept: the bytes read so
                    // far are dropped, the scanner's state kept.
                    if !array.skipping {
                        array.skipping = true;
                        tail_problems.push(Problem {
                            line: at,
                            statement_id: sniff_statement_id(&buf[start..]),
                            kind: ProblemKind::Damaged,
                            message: format!(
                                "a statement longer than {cap} bytes (the most read; --max-statement-bytes raises it); skipped"
                            ),
                        });
                    }
                    let dropped = skipped.unwrap_or(0) + (buf.len() - start - 1);
                    buf.truncate(start + 1);
                    scan_pos = buf.len();
                    skipped = Some(dropped);
                    if dropped > cap.saturating_mul(64) {
                        tail_problems.push(Problem {
                            line: at,
                            statement_id: None,
                            kind: ProblemKind::Truncated,
                            message: format!(
                                "no end to this statement within {} bytes; reading stopped here",
                                cap.saturating_mul(64)
                            ),
                        });
                        array.elem_start = None;
                        array.closed = true;
                        boundary = start;
                        buf.truncate(start);
                        eof = true;
                    }
                }
                if eof {
                    if !array.closed {
                        let (at, id) = match array.elem_start {
                            Some((s, l)) => (l, sniff_statement_id(&buf[s..])),
                            None => (line, None),
                        };
                        tail_problems.push(Problem {
                            line: at,
                            statement_id: id,
                            kind: ProblemKind::Truncated,
                            message: if array.opened {
                                "the top-level array is not closed with `]`".to_owned()
                            } else {
                                "expected a JSON array".to_owned()
                            },
                        });
                    }
                    array.elem_start = None;
                    boundary = buf.len();
                }
            }
            _ => {
                if let Some(dropped) = skipped {
                    // Drop the over-long line up to its end.
                    match memchr::memchr(b'\n', &buf[scan_pos..]) {
                        Some(nl) => {
                            buf.drain(rec_start..=scan_pos + nl);
                            scan_pos = rec_start;
                            rec_line += 1;
                            skipped = None;
                        }
                        None => {
                            let more = dropped + (buf.len() - rec_start);
                            buf.truncate(rec_start);
                            scan_pos = rec_start;
                            skipped = Some(more);
                            if more > cap.saturating_mul(64) {
                                tail_problems.push(Problem {
                                    line: rec_line,
                                    statement_id: None,
                                    kind: ProblemKind::Truncated,
                                    message: format!(
                                        "no end to this line within {} bytes; reading stopped here",
                                        cap.saturating_mul(64)
                                    ),
                                });
                                eof = true;
                            }
                        }
                    }
                }
                for nl in memchr::memchr_iter(b'\n', &buf[scan_pos..]) {
                    let end = scan_pos + nl;
                    records.push(Record {
                        start: rec_start,
                        end,
                        line: rec_line,
                        unterminated: false,
                    });
                    rec_start = end + 1;
                    rec_line += 1;
                }
                scan_pos = buf.len();
                boundary = rec_start;
                if skipped.is_none() && buf.len() - rec_start > cap {
                    tail_problems.push(Problem {
                        line: rec_line,
                        statement_id: sniff_statement_id(&buf[rec_start..]),
                        kind: ProblemKind::Damaged,
                        message: format!(
                            "a statement longer than {cap} bytes (the most read; --max-statement-bytes raises it); skipped"
                        ),
                    });
                    skipped = Some(buf.len() - rec_start);
                    buf.truncate(rec_start);
                    scan_pos = rec_start;
                }
                if eof && rec_start < buf.len() && skipped.is_none() {
                    records.push(Record {
                        start: rec_start,
                        end: buf.len(),
                        line: rec_line,
                        unterminated: true,
                    });
                    array.elem_start = None;
                    boundary = buf.len();
                }
            }
        }
        // A whole record over the cap (read in one go) is damaged too.
        if records[known..].iter().any(|r| r.end - r.start > cap) {
            let mut kept = Vec::with_capacity(records.len());
            for r in records.drain(..) {
                if r.end - r.start > cap {
                    tail_problems.push(Problem {
                        line: r.line,
                        statement_id: sniff_statement_id(&buf[r.start..r.end]),
                        kind: ProblemKind::Damaged,
                        message: format!(
                            "a statement longer than {cap} bytes (the most read; --max-statement-bytes raises it); skipped"
                        ),
                    });
                } else {
                    kept.push(r);
                }
            }
            records = kept;
        }
        // A chunk goes out once it holds a whole record: a long record is
        // read on into the same buffer (which doubles), not copied again
        // for every read (that made a 500 MB line take 180 s).
        if (buf.len() >= chunk_bytes && boundary > 0) || eof {
            // A buffer already parsed is filled again where one is back:
            // its pages are mapped, where a new one's would be faulted in
            // and zeroed by the kernel for every chunk.
            // One grown for a long statement is let go.
            let mut next = match buffers.try_recv() {
                Ok(mut v) if v.capacity() <= 2 * chunk_bytes + (64 << 10) => {
                    v.clear();
                    v
                }
                _ => Vec::with_capacity(chunk_bytes + (64 << 10)),
            };
            next.extend_from_slice(&buf[boundary..]);
            buf.truncate(boundary);
            let data = std::mem::replace(&mut buf, next);
            let chunk = Chunk {
                seq,
                data,
                records: std::mem::take(&mut records),
                tail_problems,
            };
            seq += 1;
            if tx.send(chunk).is_err() {
                break;
            }
            scan_pos -= boundary;
            rec_start = rec_start.saturating_sub(boundary);
            if let Some((s, l)) = array.elem_start {
                array.elem_start = Some((s - boundary, l));
            }
            boundary = 0;
        } else if !tail_problems.is_empty() {
            let chunk = Chunk {
                seq,
                data: Vec::new(),
                records: Vec::new(),
                tail_problems,
            };
            seq += 1;
            if tx.send(chunk).is_err() {
                break;
            }
        }
    }
    Ok(format.unwrap_or(Format::JsonLines))
}

fn scan_array(
    buf: &[u8],
    from: usize,
    line: &mut u64,
    st: &mut ArrayScan,
    records: &mut Vec<Record>,
    boundary: &mut usize,
    problems: &mut Vec<Problem>,
) {
    let mut i = from;
    while i < buf.len() {
        let b = buf[i];
        if st.in_string {
            if st.escape {
                st.escape = false;
            } else if b == b'\\' {
                st.escape = true;
            } else if b == b'"' {
                st.in_string = false;
            } else if b == b'\n' {
                *line += 1;
            }
            i += 1;
            continue;
        }
        if st.closed {
            if b == b'\n' {
                *line += 1;
            } else if !b.is_ascii_whitespace() && st.trailing.is_none() {
                st.trailing = Some(*line);
                problems.push(Problem {
                    line: *line,
                    statement_id: None,
                    kind: ProblemKind::TrailingData,
                    message: "ignored everything after the end of the array".to_owned(),
                });
            }
            i += 1;
            continue;
        }
        match b {
            b'\n' => *line += 1,
            b' ' | b'\t' | b'\r' => {}
            b'[' if !st.opened => {
                st.opened = true;
                st.depth = 1;
            }
            b'"' => {
                if st.depth == 1 && st.elem_start.is_none() {
                    st.elem_start = Some((i, *line));
                }
                st.in_string = true;
            }
            b'{' | b'[' => {
                if st.depth == 1 && st.elem_start.is_none() {
                    st.elem_start = Some((i, *line));
                }
                st.depth += 1;
            }
            b'}' | b']' => {
                if st.depth <= 1 {
                    if b == b']' && st.depth == 1 {
                        finish(st, i, records, boundary);
                        st.closed = true;
                        st.depth = 0;
                    }
                } else {
                    st.depth -= 1;
                    if st.depth == 1 {
                        finish(st, i + 1, records, boundary);
                    }
                }
            }
            b',' if st.depth == 1 => finish(st, i, records, boundary),
            _ => {
                if st.depth == 1 && st.elem_start.is_none() {
                    st.elem_start = Some((i, *line));
                }
            }
        }
        i += 1;
    }
}

fn finish(st: &mut ArrayScan, end: usize, records: &mut Vec<Record>, boundary: &mut usize) {
    if std::mem::take(&mut st.skipping) {
        // An over-long element, reported when it passed the cap: only its
        // first byte is left in the buffer, and it is not read.
        st.elem_start = None;
        *boundary = end;
        return;
    }
    if let Some((start, line)) = st.elem_start.take() {
        records.push(Record {
            start,
            end,
            line,
            unterminated: false,
        });
    }
    *boundary = end;
}
