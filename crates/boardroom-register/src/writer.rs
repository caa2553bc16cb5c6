//! Writers of the analysis: one row per (entity, ultimate party), as CSV or
//! JSON Lines, and the cycles as JSON Lines.
//!
//! Parquet is deliberately absent: the `parquet` crate pulls in the Arrow
//! stack, which would multiply the workspace's compile time.

use crate::analysis::{Analysis, Ultimate};
use crate::graph::{Graph, NodeId, NodeKind};
use crate::progress::Progress;
use serde::Serialize;
use std::io::Write;

/// The layout of the results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// Why writing failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output could not be written.
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
    /// A CSV row could not be written.
    #[error("cannot write CSV: {0}")]
    Csv(csv::Error),
    /// A JSON row could not be written.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<csv::Error> for WriteError {
    /// Input/output failures stay input/output errors, so that a caller can
    /// tell a closed pipe from a bad row.
    fn from(e: csv::Error) -> WriteError {
        if e.is_io_error() {
            match e.into_kind() {
                csv::ErrorKind::Io(io) => WriteError::Io(io),
                other => WriteError::Io(std::io::Error::other(format!("{other:?}"))),
            }
        } else {
            WriteError::Csv(e)
        }
    }
}

#[derive(Serialize)]
struct Row<'a> {
    entity_id: &'a str,
    entity_name: Option<&'a str>,
    party_id: &'a str,
    party_name: Option<&'a str>,
    party_kind: &'static str,
    party_reason: Option<&'a str>,
    ownership: bool,
    share: String,
    share_min_pct: String,
    share_max_pct: String,
    share_min_exclusive: bool,
    share_max_exclusive: bool,
    share_unknown: bool,
    control: bool,
    top: bool,
    ownership_paths: u64,
    control_paths: u64,
    any_paths: u64,
    min_depth: u32,
    max_depth: u32,
    via_cycle: bool,
}

fn row<'a>(g: &'a Graph, n: NodeId, u: &Ultimate) -> Row<'a> {
    let (lo, hi) = if u.is_owner() {
        u.share.percent_bounds()
    } else {
        Default::default()
    };
    Row {
        entity_id: g.id(n),
        entity_name: g.name(n),
        party_id: g.id(u.party),
        party_name: g.name(u.party),
        party_kind: g.kind(u.party).as_str(),
        party_reason: g.reason(u.party),
        ownership: u.is_owner(),
        share: if u.is_owner() {
            u.share.to_string()
        } else {
            String::new()
        },
        share_min_pct: if u.is_owner() {
            lo.to_string()
        } else {
            String::new()
        },
        share_max_pct: if u.is_owner() {
            hi.to_string()
        } else {
            String::new()
        },
        share_min_exclusive: u.is_owner() && u.share.lo_open,
        share_max_exclusive: u.is_owner() && u.share.hi_open,
        share_unknown: u.is_owner() && u.share.unknown,
        control: u.is_controller(),
        top: u.is_top(),
        ownership_paths: u.ownership_paths,
        control_paths: u.control_paths,
        any_paths: u.any_paths,
        min_depth: u.min_depth,
        max_depth: u.max_depth,
        via_cycle: u.via_cycle,
    }
}

/// Writes one row per (entity, ultimate party); returns the rows written.
pub fn write_ultimates<W: Write>(
    g: &Graph,
    a: &Analysis,
    format: OutputFormat,
    out: W,
    progress: &dyn Progress,
) -> Result<u64, WriteError> {
    let mut rows = 0u64;
    progress.begin("write", Some(g.node_count() as u64));
    let mut tick = 0u64;
    match format {
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            for n in g.nodes().filter(|&n| g.kind(n) == NodeKind::Entity) {
                for u in a.ultimates(g, n) {
                    w.serialize(row(g, n, &u))?;
                    rows += 1;
                }
                tick += 1;
                if tick == 1 << 16 {
                    progress.advance(tick);
                    tick = 0;
                }
            }
            w.flush()?;
        }
        OutputFormat::JsonLines => {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
            for n in g.nodes().filter(|&n| g.kind(n) == NodeKind::Entity) {
                for u in a.ultimates(g, n) {
                    serde_json::to_writer(&mut w, &row(g, n, &u))?;
                    w.write_all(b"\n")?;
                    rows += 1;
                }
                tick += 1;
                if tick == 1 << 16 {
                    progress.advance(tick);
                    tick = 0;
                }
            }
            w.flush()?;
        }
    }
    progress.advance(tick);
    progress.end();
    Ok(rows)
}

#[derive(Serialize)]
struct CycleRow<'a> {
    cycle: usize,
    members: Vec<&'a str>,
    example: Vec<&'a str>,
    cut_paths: u64,
    truncated: bool,
}

/// Writes one JSON line per cycle; returns the cycles written.
pub fn write_cycles<W: Write>(g: &Graph, a: &Analysis, out: W) -> Result<u64, WriteError> {
    let mut w = std::io::BufWriter::new(out);
    for (i, c) in a.cycles.iter().enumerate() {
        let r = CycleRow {
            cycle: i,
            members: c.members.iter().map(|&m| g.id(m)).collect(),
            example: c.example.iter().map(|&m| g.id(m)).collect(),
            cut_paths: c.cut_paths,
            truncated: c.truncated,
        };
        serde_json::to_writer(&mut w, &r)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    Ok(a.cycles.len() as u64)
}
