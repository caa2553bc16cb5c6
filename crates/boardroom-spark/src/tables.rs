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

/// How a table names its nodes: by the graph's numbers (the graph read
/// here), or by their record ids (a bucket's graph read on the cluster,
/// numbered there once every bucket is read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// `n`, `c` and `p` are the graph's node numbers.
    Number,
    /// `c` and `p` are record ids, and nodes have no `n`.
    Id,
}

/// [`NODE_SCHEMA`] keyed by record id ([`Key::Id`]).
pub const NODE_BY_ID_SCHEMA: &str = "rid STRING, kind STRING, name STRING, reason STRING, \
     entity BOOLEAN, own_p BOOLEAN, ctrl_p BOOLEAN, any_p BOOLEAN";

/// [`EDGE_SCHEMA`] keyed by record id ([`Key::Id`]).
pub const EDGE_BY_ID_SCHEMA: &str = "c STRING, p STRING, own BOOLEAN, ctrl BOOLEAN, \
     lo DECIMAL(32,28), hi DECIMAL(32,28), lo_open BOOLEAN, hi_open BOOLEAN, \
     unk BOOLEAN, rnd BOOLEAN, lo_s INT, hi_s INT";

/// Writes one row per node: its id, kind, name and reason, whether it is
/// an entity (a row of the output), and whether it has live ownership,
/// control or any parties (which kinds of path end there).
pub fn write_nodes(g: &Graph, out: impl Write) -> io::Result<u64> {
    write_nodes_keyed(g, Key::Number, out)
}

/// [`write_nodes`], keyed as `key` says.
pub fn write_nodes_keyed(g: &Graph, key: Key, mut out: impl Write) -> io::Result<u64> {
    let mut rows = 0;
    for n in g.nodes() {
        let (mut own, mut ctrl, mut any) = (false, false, false);
        for e in g.edges(n).iter().filter(|e| e.is_live()) {
            any = true;
            own |= e.is_ownership();
            ctrl |= e.is_control();
        }
        let mut row = serde_json::json!({
            "rid": g.id(n),
            "kind": g.kind(n).as_str(),
            "name": g.name(n),
            "reason": g.reason(n),
            "entity": g.kind(n) == NodeKind::Entity,
            "own_p": own,
            "ctrl_p": ctrl,
            "any_p": any,
        });
        if key == Key::Number {
            row["n"] = n.into();
        }
        serde_json::to_writer(&mut out, &row)?;
        out.write_all(b"\n")?;
        rows += 1;
    }
    Ok(rows)
}

/// Writes one row per live edge, from subject `c` to party `p`. The share
/// of a hop that is not ownership is zero, as the local engine reads it.
pub fn write_edges(g: &Graph, out: impl Write) -> io::Result<u64> {
    write_edges_keyed(g, Key::Number, out)
}

/// [`write_edges`], keyed as `key` says.
pub fn write_edges_keyed(g: &Graph, key: Key, mut out: impl Write) -> io::Result<u64> {
    let name = |n: boardroom_register::NodeId| match key {
        Key::Number => n.to_string(),
        Key::Id => serde_json::Value::from(g.id(n)).to_string(),
    };
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
                r#"{{"c":{},"p":{},"own":{},"ctrl":{},"lo":{},"hi":{},"lo_open":{},"hi_open":{},"unk":{},"rnd":{},"lo_s":{},"hi_s":{}}}"#,
                name(c),
                name(e.party),
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

/// A writer that cuts a table into part files of about `part_bytes` each,
/// each ending at the end of a row, in `dir`, named `PREFIX-00000.jsonl`
/// and on; `done` is called with each part as soon as it is complete
/// (the engine sends it to the cluster and removes it), so that neither
/// memory nor this machine's disk holds more than a part of the table.
pub struct Parts<F: FnMut(&std::path::Path) -> io::Result<()>> {
    dir: std::path::PathBuf,
    prefix: String,
    part_bytes: usize,
    done: F,
    buf: Vec<u8>,
    file: Option<(std::path::PathBuf, std::io::BufWriter<std::fs::File>, usize)>,
    names: Vec<String>,
}

impl<F: FnMut(&std::path::Path) -> io::Result<()>> Parts<F> {
    /// Parts of `prefix` in `dir`.
    pub fn new(dir: &std::path::Path, prefix: &str, part_bytes: usize, done: F) -> Self {
        Parts {
            dir: dir.to_path_buf(),
            prefix: prefix.to_owned(),
            part_bytes: part_bytes.max(1),
            done,
            buf: Vec::new(),
            file: None,
            names: Vec::new(),
        }
    }

    /// Writes the whole rows in the buffer to the current part, and closes
    /// it once it holds `part_bytes`.
    fn drain(&mut self, all: bool) -> io::Result<()> {
        let end = if all {
            self.buf.len()
        } else {
            match self.buf.iter().rposition(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => return Ok(()),
            }
        };
        let mut at = 0;
        while at < end {
            if self.file.is_none() {
                let name = format!("{}-{:05}.jsonl", self.prefix, self.names.len());
                let path = self.dir.join(&name);
                let f = std::io::BufWriter::new(std::fs::File::create(&path)?);
                self.names.push(name);
                self.file = Some((path, f, 0));
            }
            let Some((_, f, written)) = self.file.as_mut() else {
                break;
            };
            // Up to the end of the first row that reaches the part's size.
            let room = self.part_bytes.saturating_sub(*written);
            let cut = if end - at <= room {
                end
            } else {
                match self.buf[at + room..end].iter().position(|&b| b == b'\n') {
                    Some(i) => at + room + i + 1,
                    None => end,
                }
            };
            f.write_all(&self.buf[at..cut])?;
            *written += cut - at;
            at = cut;
            if *written >= self.part_bytes {
                self.close()?;
            }
        }
        self.buf.drain(..end);
        Ok(())
    }

    fn close(&mut self) -> io::Result<()> {
        if let Some((path, mut f, _)) = self.file.take() {
            f.flush()?;
            drop(f);
            (self.done)(&path)?;
        }
        Ok(())
    }

    /// Writes what is left as the last part, and returns the names of the
    /// parts, in order (none for an empty table).
    pub fn finish(mut self) -> io::Result<Vec<String>> {
        self.drain(true)?;
        self.close()?;
        Ok(self.names)
    }
}

impl<F: FnMut(&std::path::Path) -> io::Result<()>> Write for Parts<F> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 1 << 20 {
            self.drain(false)?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every part ends at the end of a row, none passes its size by more
    /// than a row, and together they are the table, byte for byte.
    #[test]
    fn parts_end_at_rows_and_add_up_to_the_table() {
        let dir = tempfile::tempdir().expect("tempdir");
        let table: String = (0..5000)
            .map(|i| format!("{{\"row\":{i},\"pad\":\"{}\"}}\n", "x".repeat(i % 97)))
            .collect();
        for (part_bytes, chunk) in [(1000, 7), (4096, 1 << 21), (1 << 30, 333), (1, 50)] {
            let mut sent = Vec::new();
            let mut parts = Parts::new(dir.path(), "t", part_bytes, |p: &std::path::Path| {
                sent.push(std::fs::read_to_string(p)?);
                std::fs::remove_file(p)
            });
            for piece in table.as_bytes().chunks(chunk) {
                parts.write_all(piece).expect("write");
            }
            let names = parts.finish().expect("finish");
            assert_eq!(names.len(), sent.len());
            assert_eq!(sent.concat(), table, "part size {part_bytes}");
            let longest_row = table.lines().map(str::len).max().unwrap_or(0) + 1;
            for s in &sent {
                assert!(s.ends_with('\n'));
                assert!(
                    s.len() < part_bytes + longest_row,
                    "{} > {part_bytes}",
                    s.len()
                );
            }
            if part_bytes == 1 << 30 {
                assert_eq!(names, ["t-00000.jsonl"]);
            }
        }
        // An empty table has no parts.
        let parts = Parts::new(dir.path(), "e", 10, |_: &std::path::Path| Ok(()));
        assert!(parts.finish().expect("finish").is_empty());
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
    }
}
