//! The graph as the two tables the cluster reads: its nodes and its live
//! edges, as JSON Lines with exact decimals (read with an explicit schema,
//! so no share passes through a double).
//!
//! Which hops are ownership and which confer control was decided by the
//! register ([`boardroom::definition`], the one definition of control);
//! the tables carry those decisions, and the cluster only follows them.

use boardroom_register::{Graph, NodeKind, ShareRange};
use std::io::{self, Write};

/// The schema of [`write_nodes`]'s rows, as Spark reads them.
pub const NODE_SCHEMA: &str = "n BIGINT, rid STRING, kind STRING, name STRING, reason STRING, \
     entity BOOLEAN, own_p BOOLEAN, ctrl_p BOOLEAN, any_p BOOLEAN";

/// The schema of [`write_edges`]'s rows, as Spark reads them. `DECIMAL(32,28)`
/// holds every share the local engine holds unrounded (28 decimal places)
/// with room for sums of up to 9,999 (the whole is 1). `lo_s` and `hi_s`
/// are the places of the local engine's decimals (`0.50` has two), from
/// which the cluster tells, as the local engine does, when a product
/// needed more than 28 places and was rounded.
pub const EDGE_SCHEMA: &str = "c BIGINT, p BIGINT, own BOOLEAN, ctrl BOOLEAN, \
     lo DECIMAL(32,28), hi DECIMAL(32,28), lo_open BOOLEAN, hi_open BOOLEAN, \
     unk BOOLEAN, rnd BOOLEAN, lo_s INT, hi_s INT";

/// Writes one row per node: its id, kind, name and reason, whether it is
/// an entity (a row of the output), and whether it has live ownership,
/// control or any parties (which kinds of path end there).
pub fn write_nodes(g: &Graph, mut out: impl Write) -> io::Result<u64> {
    let mut rows = 0;
    for n in g.nodes() {
        let (mut own, mut ctrl, mut any) = (false, false, false);
        for e in g.edges(n).iter().filter(|e| e.is_live()) {
            any = true;
            own |= e.is_ownership();
            ctrl |= e.is_control();
        }
        let row = serde_json::json!({
            "n": n,
            "rid": g.id(n),
            "kind": g.kind(n).as_str(),
            "name": g.name(n),
            "reason": g.reason(n),
            "entity": g.kind(n) == NodeKind::Entity,
            "own_p": own,
            "ctrl_p": ctrl,
            "any_p": any,
        });
        serde_json::to_writer(&mut out, &row)?;
        out.write_all(b"\n")?;
        rows += 1;
    }
    Ok(rows)
}

/// Writes one row per live edge, from subject `c` to party `p`. The share
/// of a hop that is not ownership is zero, as the local engine reads it.
pub fn write_edges(g: &Graph, mut out: impl Write) -> io::Result<u64> {
    let mut rows = 0;
    for c in g.nodes() {
        for e in g.edges(c).iter().filter(|e| e.is_live()) {
            let s = if e.is_ownership() {
                g.share(e)
            } else {
                ShareRange::ZERO
            };
            // Decimals as JSON numbers in plain notation: Spark parses them
            // into the schema's DECIMAL exactly.
            writeln!(
                out,
                r#"{{"c":{c},"p":{},"own":{},"ctrl":{},"lo":{},"hi":{},"lo_open":{},"hi_open":{},"unk":{},"rnd":{},"lo_s":{},"hi_s":{}}}"#,
                e.party,
                e.is_ownership(),
                e.is_control(),
                s.lo,
                s.hi,
                s.lo_open,
                s.hi_open,
                s.unknown,
                s.rounded,
                places(s, s.lo),
                places(s, s.hi),
            )?;
            rows += 1;
        }
    }
    Ok(rows)
}

/// The places of a bound as the local engine's products see them: none
/// for zero (a product with it is a plain zero) and none for a share of
/// exactly one (a product with it is the other factor, unchanged).
fn places(s: ShareRange, bound: rust_decimal::Decimal) -> u32 {
    if s.is_one() || bound.is_zero() {
        0
    } else {
        bound.scale()
    }
}
