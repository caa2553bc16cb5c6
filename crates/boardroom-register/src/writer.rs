//! Writers of the analysis: one row per (entity, ultimate party), as CSV,
//! JSON Lines or Parquet, and the cycles as JSON Lines.
//!
//! Parquet uses the `parquet` crate's own column writer, without Arrow and
//! without compression codecs, which keeps the build small. Shares are
//! written as exact decimal text, as in CSV; counts as 64-bit integers
//! (saturating) and depths as 32-bit integers.
//!
//! Every format is encoded on every core, a chunk of entities per task, and
//! written in order: CSV and JSON Lines as text, Parquet as one row group
//! per chunk, its column chunks encoded by the task and spliced into the
//! file. The bytes do not depend on the number of threads.

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
    /// Apache Parquet, one row group per 16,384 entities.
    Parquet,
}

/// What the rows rest on and what they leave out, as key-value pairs
/// (`boardroom.input`, `boardroom.as_of`, `boardroom.caveats`, ...).
/// Parquet carries them in its footer's key-value metadata, where
/// `pyarrow.parquet.read_metadata(f).metadata`, DuckDB's
/// `parquet_kv_metadata` and Spark read them; CSV and JSON Lines have no
/// place for them that every reader skips, so they go without (the
/// command says the same on standard error).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance(pub Vec<(String, String)>);

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
    /// A Parquet file could not be written.
    #[error("cannot write Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    /// An Arrow batch could not be built.
    #[cfg(feature = "arrow")]
    #[error("cannot build Arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
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
    share: &'a str,
    share_min_pct: &'a str,
    share_max_pct: &'a str,
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
    /// A path count stopped at its maximum: the counts are lower bounds.
    paths_saturated: bool,
    /// Reached through a cycle too large to follow every path: the share
    /// is a bound, the counts and depths are lower bounds.
    bounded: bool,
}

/// What a text format does with each field of a row, in the row's order.
trait Record {
    fn text(&mut self, key: &'static str, v: Option<&str>);
    fn flag(&mut self, key: &'static str, v: bool);
    fn count(&mut self, key: &'static str, v: u64);
}

impl Row<'_> {
    /// Every field, once, in the order of the struct (and so of serde's
    /// output, the CSV header and the JSON keys).
    #[inline(always)]
    fn fields(&self, r: &mut impl Record) {
        r.text("entity_id", Some(self.entity_id));
        r.text("entity_name", self.entity_name);
        r.text("party_id", Some(self.party_id));
        r.text("party_name", self.party_name);
        r.text("party_kind", Some(self.party_kind));
        r.text("party_reason", self.party_reason);
        r.flag("ownership", self.ownership);
        r.text("share", Some(self.share));
        r.text("share_min_pct", Some(self.share_min_pct));
        r.text("share_max_pct", Some(self.share_max_pct));
        r.flag("share_min_exclusive", self.share_min_exclusive);
        r.flag("share_max_exclusive", self.share_max_exclusive);
        r.flag("share_unknown", self.share_unknown);
        r.flag("control", self.control);
        r.flag("top", self.top);
        r.count("ownership_paths", self.ownership_paths);
        r.count("control_paths", self.control_paths);
        r.count("any_paths", self.any_paths);
        r.count("min_depth", u64::from(self.min_depth));
        r.count("max_depth", u64::from(self.max_depth));
        r.flag("via_cycle", self.via_cycle);
        r.flag("paths_saturated", self.paths_saturated);
        r.flag("bounded", self.bounded);
    }

    /// The row as one CSV record, byte for byte as the csv crate writes it
    /// (its default settings: fields quoted only where they must be,
    /// quotes doubled, `\n` at the end), without serde's field-by-field
    /// machinery: the rows of a register are most of what is written.
    fn csv(&self, out: &mut Vec<u8>) {
        self.fields(&mut Csv(out));
        // The last field's comma becomes the record's end.
        if let Some(last) = out.last_mut() {
            *last = b'\n';
        }
    }

    /// The row as one JSON object, byte for byte as serde_json writes it
    /// (fields in order, strings escaped as serde_json escapes them).
    fn json(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        self.fields(&mut Json(out));
        out.push(b'}');
    }
}

/// CSV fields, each followed by a comma.
struct Csv<'a>(&'a mut Vec<u8>);

impl Record for Csv<'_> {
    #[inline(always)]
    fn text(&mut self, _: &'static str, v: Option<&str>) {
        let b = v.unwrap_or("").as_bytes();
        if needs_quotes(b) {
            self.0.push(b'"');
            for &x in b {
                if x == b'"' {
                    self.0.push(b'"');
                }
                self.0.push(x);
            }
            self.0.push(b'"');
        } else {
            self.0.extend_from_slice(b);
        }
        self.0.push(b',');
    }
    // Each branch copies a constant length, which compiles to a store or
    // two rather than a call to memcpy.
    #[inline(always)]
    fn flag(&mut self, _: &'static str, v: bool) {
        if v {
            self.0.extend_from_slice(b"true,");
        } else {
            self.0.extend_from_slice(b"false,");
        }
    }
    #[inline(always)]
    fn count(&mut self, _: &'static str, v: u64) {
        self.0
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        self.0.push(b',');
    }
}

/// Whether a CSV field holds a comma, a quote or a line break, eight bytes
/// at a time (each field was otherwise read byte by byte).
fn needs_quotes(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero: its high bit set in the result. A false hit
    // can follow a true one only, so any hit is a true one.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let any = |x: u64| {
        zero(x ^ (ONES * u64::from(b',')))
            | zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\n')))
            | zero(x ^ (ONES * u64::from(b'\r')))
    };
    let mut words = b.chunks_exact(8);
    for w in words.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        if any(u64::from_le_bytes(word)) != 0 {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&x| matches!(x, b',' | b'"' | b'\n' | b'\r'))
}

/// JSON members, `"key":value`, with a comma before all but the first.
struct Json<'a>(&'a mut Vec<u8>);

impl Json<'_> {
    #[inline(always)]
    fn key(&mut self, k: &str) {
        if self.0.last() != Some(&b'{') {
            self.0.push(b',');
        }
        self.0.push(b'"');
        self.0.extend_from_slice(k.as_bytes());
        self.0.extend_from_slice(b"\":");
    }
}

impl Record for Json<'_> {
    #[inline(always)]
    fn text(&mut self, k: &'static str, v: Option<&str>) {
        self.key(k);
        let out = &mut *self.0;
        let Some(v) = v else {
            out.extend_from_slice(b"null");
            return;
        };
        out.push(b'"');
        let bytes = v.as_bytes();
        let mut from = 0;
        // Most text needs no escape: found eight bytes at a time.
        while let Some(at) = bytes.get(from..).and_then(crate::statement::special) {
            let i = from + at;
            let x = bytes[i];
            let short = match x {
                b'"' => b'"',
                b'\\' => b'\\',
                0x08 => b'b',
                0x0c => b'f',
                b'\n' => b'n',
                b'\r' => b'r',
                b'\t' => b't',
                _ => b'u',
            };
            out.extend_from_slice(&bytes[from..i]);
            out.push(b'\\');
            out.push(short);
            if short == b'u' {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"00");
                out.push(HEX[usize::from(x >> 4)]);
                out.push(HEX[usize::from(x & 0xf)]);
            }
            from = i + 1;
        }
        out.extend_from_slice(&bytes[from..]);
        out.push(b'"');
    }
    #[inline(always)]
    fn flag(&mut self, k: &'static str, v: bool) {
        self.key(k);
        if v {
            self.0.extend_from_slice(b"true");
        } else {
            self.0.extend_from_slice(b"false");
        }
    }
    #[inline(always)]
    fn count(&mut self, k: &'static str, v: u64) {
        self.key(k);
        self.0
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }
}

/// A row's values by column type, in the order the columnar outputs
/// (Parquet, Arrow) keep them: text (absent where null), flags, path
/// counts, depths.
type Columnar<'a> = ([Option<&'a str>; 9], [bool; 9], [u64; 3], [u32; 2]);

impl<'a> Row<'a> {
    fn columnar(&self) -> Columnar<'a> {
        let owner = self.ownership;
        (
            [
                Some(self.entity_id),
                self.entity_name,
                Some(self.party_id),
                self.party_name,
                Some(self.party_kind),
                self.party_reason,
                owner.then_some(self.share),
                owner.then_some(self.share_min_pct),
                owner.then_some(self.share_max_pct),
            ],
            [
                self.ownership,
                self.share_min_exclusive,
                self.share_max_exclusive,
                self.share_unknown,
                self.control,
                self.top,
                self.via_cycle,
                self.paths_saturated,
                self.bounded,
            ],
            [self.ownership_paths, self.control_paths, self.any_paths],
            [self.min_depth, self.max_depth],
        )
    }
}

/// The text of each distinct share a task writes (the share, and its
/// bounds in percent), formatted once: a register has a few thousand
/// distinct shares among millions of rows. Keyed by the exact bits, so that
/// `50%` and `50.0%` stay apart.
#[derive(Default)]
struct ShareText(
    hashbrown::HashMap<crate::share::ShareBits, [Box<str>; 3], foldhash::fast::FixedState>,
);

impl ShareText {
    fn of(&mut self, u: &Ultimate) -> [&str; 3] {
        if !u.is_owner() {
            return [""; 3];
        }
        let [a, b, c] = self.0.entry(u.share.bits()).or_insert_with(|| {
            let (lo, hi) = u.share.percent_bounds();
            [
                u.share.to_string().into(),
                lo.to_string().into(),
                hi.to_string().into(),
            ]
        });
        [a, b, c]
    }
}

fn row<'a>(g: &'a Graph, n: NodeId, u: &Ultimate, share: [&'a str; 3]) -> Row<'a> {
    Row {
        entity_id: g.id(n),
        entity_name: g.name(n),
        party_id: g.id(u.party),
        party_name: g.name(u.party),
        party_kind: g.kind(u.party).as_str(),
        party_reason: g.reason(u.party),
        ownership: u.is_owner(),
        share: share[0],
        share_min_pct: share[1],
        share_max_pct: share[2],
        share_min_exclusive: u.is_owner() && u.share.lo_open,
        share_max_exclusive: u.is_owner() && u.share.hi_open,
        share_unknown: u.is_owner() && u.share.unknown,
        control: u.is_controller(),
        top: u.is_top(),
        ownership_paths: u64::from(u.ownership_paths),
        control_paths: u64::from(u.control_paths),
        any_paths: u64::from(u.any_paths),
        min_depth: u.min_depth,
        max_depth: u.max_depth,
        via_cycle: u.via_cycle,
        paths_saturated: u.saturated,
        bounded: u.truncated,
    }
}

/// How many rows ahead of the one being written its party's id and name
/// are asked for (twice as far ahead, where they are kept).
const TEXT_AHEAD: usize = 8;

/// Calls `each` with the rows of `chunk`'s entities, in order; returns how
/// many there were. A row names a party anywhere in the graph, whose id
/// and name are, on a register larger than the cache, two random reads
/// each (where the text is kept, then the text): most of the time of
/// writing went in waiting for them. So the chunk's rows are listed first,
/// and each party's text asked for ahead of its row.
fn each_row(g: &Graph, a: &Analysis, chunk: &[NodeId], mut each: impl FnMut(Row<'_>)) -> u64 {
    let rows: Vec<(NodeId, Ultimate)> = chunk
        .iter()
        .flat_map(|&e| a.ultimates(g, e).into_iter().map(move |u| (e, u)))
        .collect();
    let mut shares = ShareText::default();
    for (i, (e, u)) in rows.iter().enumerate() {
        if let Some((_, far)) = rows.get(i + 2 * TEXT_AHEAD) {
            g.prefetch_text_slots(far.party);
        }
        if let Some((_, near)) = rows.get(i + TEXT_AHEAD) {
            g.prefetch_text(near.party);
        }
        each(row(g, *e, u, shares.of(u)));
    }
    rows.len() as u64
}

/// Entities whose rows one task encodes: a piece of CSV or JSON Lines, or
/// one Parquet row group.
const CHUNK: usize = 1 << 14;

/// Writes one row per (entity, ultimate party); returns the rows written.
///
/// CSV and JSON Lines are encoded on every core, a chunk of entities per
/// task, and written in order: the bytes are the same as one thread's.
pub fn write_ultimates<W: Write + Send>(
    g: &Graph,
    a: &Analysis,
    format: OutputFormat,
    out: W,
    provenance: &Provenance,
    progress: &dyn Progress,
) -> Result<u64, WriteError> {
    progress.begin("write", Some(a.stats.entities));
    let rows = match format {
        OutputFormat::Parquet => write_parquet(g, a, out, provenance, progress)?,
        OutputFormat::Csv | OutputFormat::JsonLines => write_text(g, a, format, out, progress)?,
    };
    progress.end();
    Ok(rows)
}

/// The entities, in node order: the order of the rows.
fn entities(g: &Graph) -> Vec<NodeId> {
    g.nodes()
        .filter(|&n| g.kind(n) == NodeKind::Entity)
        .collect()
}

/// Chunks encoded together: a few per core, so that memory stays bounded
/// and every core is busy.
fn batch() -> usize {
    CHUNK * 4 * rayon::current_num_threads().max(1)
}

fn write_parquet<W: Write + Send>(
    g: &Graph,
    a: &Analysis,
    out: W,
    provenance: &Provenance,
    progress: &dyn Progress,
) -> Result<u64, WriteError> {
    use rayon::prelude::*;
    let mut w = parquet_out::Writer::new(out, provenance)?;
    let encoder = w.encoder();
    let mut rows = 0u64;
    for entities in entities(g).chunks(batch()) {
        let groups: Vec<Result<parquet_out::Group, WriteError>> = entities
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut cols = parquet_out::Columns::default();
                each_row(g, a, chunk, |r| cols.push(r));
                encoder.encode(cols)
            })
            .collect();
        for group in groups {
            rows += w.append(group?)?;
        }
        // One unit per entity, as the statistics count them.
        progress.advance(entities.len() as u64);
    }
    w.finish()?;
    Ok(rows)
}

fn write_text<W: Write>(
    g: &Graph,
    a: &Analysis,
    format: OutputFormat,
    out: W,
    progress: &dyn Progress,
) -> Result<u64, WriteError> {
    use rayon::prelude::*;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    // CSV's header goes before the first row, as the csv crate writes it.
    let mut header = (format == OutputFormat::Csv).then(csv_header).transpose()?;
    let mut rows = 0u64;
    for entities in entities(g).chunks(batch()) {
        let parts: Vec<Result<(Vec<u8>, u64), WriteError>> = entities
            .par_chunks(CHUNK)
            .map(|chunk| encode(g, a, format, chunk))
            .collect();
        for part in parts {
            let (bytes, n) = part?;
            if n > 0
                && let Some(h) = header.take()
            {
                out.write_all(&h)?;
            }
            out.write_all(&bytes)?;
            rows += n;
        }
        progress.advance(entities.len() as u64);
    }
    out.flush()?;
    Ok(rows)
}

/// The rows of `chunk`'s entities, encoded, and how many there are.
fn encode(
    g: &Graph,
    a: &Analysis,
    format: OutputFormat,
    chunk: &[NodeId],
) -> Result<(Vec<u8>, u64), WriteError> {
    // Room for the rows of a typical register (a few rows of 200 to 500
    // bytes per entity), so that the buffer is seldom copied as it grows.
    let per_entity = if format == OutputFormat::Csv {
        768
    } else {
        1792
    };
    let mut buf = Vec::with_capacity(chunk.len() * per_entity);
    let n = if format == OutputFormat::Csv {
        each_row(g, a, chunk, |r| r.csv(&mut buf))
    } else {
        each_row(g, a, chunk, |r| {
            r.json(&mut buf);
            buf.push(b'\n');
        })
    };
    Ok((buf, n))
}

/// CSV's header line, as the csv crate writes it before a first row.
fn csv_header() -> Result<Vec<u8>, WriteError> {
    let blank = Row {
        entity_id: "",
        entity_name: None,
        party_id: "",
        party_name: None,
        party_kind: "",
        party_reason: None,
        ownership: false,
        share: "",
        share_min_pct: "",
        share_max_pct: "",
        share_min_exclusive: false,
        share_max_exclusive: false,
        share_unknown: false,
        control: false,
        top: false,
        ownership_paths: 0,
        control_paths: 0,
        any_paths: 0,
        min_depth: 0,
        max_depth: 0,
        via_cycle: false,
        paths_saturated: false,
        bounded: false,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(blank)?;
    let bytes = w
        .into_inner()
        .map_err(|e| WriteError::Io(std::io::Error::other(e.to_string())))?;
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| i + 1);
    Ok(bytes[..end].to_vec())
}

/// The rows as Apache Arrow record batches, in memory: one batch per
/// 16,384 entities, built on every core, in row order, with the columns
/// and types of the Parquet output (shares as exact decimal text, counts
/// as 64-bit and depths as 32-bit integers). For callers that hand the
/// table on without copying (the Python package gives it to pyarrow).
#[cfg(feature = "arrow")]
pub fn ultimates_arrow(
    g: &Graph,
    a: &Analysis,
    progress: &dyn Progress,
) -> Result<Vec<arrow_array::RecordBatch>, WriteError> {
    use rayon::prelude::*;
    progress.begin("table", Some(a.stats.entities));
    let schema = arrow_out::schema();
    let mut batches = Vec::new();
    for entities in entities(g).chunks(batch()) {
        let built: Vec<Result<arrow_array::RecordBatch, WriteError>> = entities
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut cols = arrow_out::Columns::default();
                each_row(g, a, chunk, |r| cols.push(&r));
                cols.finish(&schema)
            })
            .collect();
        for b in built {
            let b = b?;
            if b.num_rows() > 0 {
                batches.push(b);
            }
        }
        progress.advance(entities.len() as u64);
    }
    progress.end();
    Ok(batches)
}

/// The schema of [`ultimates_arrow`]'s batches.
#[cfg(feature = "arrow")]
pub fn ultimates_arrow_schema() -> arrow_schema::SchemaRef {
    arrow_out::schema()
}

#[cfg(feature = "arrow")]
mod arrow_out {
    //! The rows as Arrow columns, the Parquet output's schema.

    use std::sync::Arc;

    use arrow_array::builder::{BooleanBuilder, Int32Builder, Int64Builder, StringBuilder};
    use arrow_array::{ArrayRef, RecordBatch};
    use arrow_schema::{DataType, Field, Schema, SchemaRef};

    use super::{Row, WriteError};

    const TEXT: [(&str, bool); 9] = [
        ("entity_id", false),
        ("entity_name", true),
        ("party_id", false),
        ("party_name", true),
        ("party_kind", false),
        ("party_reason", true),
        ("share", true),
        ("share_min_pct", true),
        ("share_max_pct", true),
    ];
    const FLAGS: [&str; 9] = [
        "ownership",
        "share_min_exclusive",
        "share_max_exclusive",
        "share_unknown",
        "control",
        "top",
        "via_cycle",
        "paths_saturated",
        "bounded",
    ];
    const COUNTS: [&str; 3] = ["ownership_paths", "control_paths", "any_paths"];
    const DEPTHS: [&str; 2] = ["min_depth", "max_depth"];
    /// The columns in the Parquet output's order: where each comes from
    /// (text, flag, count, depth) and its index there.
    const ORDER: [(u8, usize); 23] = [
        (0, 0),
        (0, 1),
        (0, 2),
        (0, 3),
        (0, 4),
        (0, 5),
        (1, 0),
        (0, 6),
        (0, 7),
        (0, 8),
        (1, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (1, 5),
        (2, 0),
        (2, 1),
        (2, 2),
        (3, 0),
        (3, 1),
        (1, 6),
        (1, 7),
        (1, 8),
    ];

    pub fn schema() -> SchemaRef {
        let fields: Vec<Field> = ORDER
            .iter()
            .map(|&(kind, i)| match kind {
                0 => Field::new(TEXT[i].0, DataType::Utf8, TEXT[i].1),
                1 => Field::new(FLAGS[i], DataType::Boolean, false),
                2 => Field::new(COUNTS[i], DataType::Int64, false),
                _ => Field::new(DEPTHS[i], DataType::Int32, false),
            })
            .collect();
        Arc::new(Schema::new(fields))
    }

    #[derive(Default)]
    pub struct Columns {
        text: [StringBuilder; 9],
        flags: [BooleanBuilder; 9],
        counts: [Int64Builder; 3],
        depths: [Int32Builder; 2],
    }

    impl Columns {
        pub fn push(&mut self, r: &Row<'_>) {
            let (text, flags, counts, depths) = r.columnar();
            for (col, v) in self.text.iter_mut().zip(text) {
                col.append_option(v);
            }
            for (col, v) in self.flags.iter_mut().zip(flags) {
                col.append_value(v);
            }
            for (col, v) in self.counts.iter_mut().zip(counts) {
                col.append_value(i64::try_from(v).unwrap_or(i64::MAX));
            }
            for (col, v) in self.depths.iter_mut().zip(depths) {
                col.append_value(i32::try_from(v).unwrap_or(i32::MAX));
            }
        }

        pub fn finish(mut self, schema: &SchemaRef) -> Result<RecordBatch, WriteError> {
            let columns: Vec<ArrayRef> = ORDER
                .iter()
                .map(|&(kind, i)| -> ArrayRef {
                    match kind {
                        0 => Arc::new(self.text[i].finish()),
                        1 => Arc::new(self.flags[i].finish()),
                        2 => Arc::new(self.counts[i].finish()),
                        _ => Arc::new(self.depths[i].finish()),
                    }
                })
                .collect();
            Ok(RecordBatch::try_new(schema.clone(), columns)?)
        }
    }
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

mod parquet_out {
    //! Rows buffered by column; each row group's column chunks encoded on
    //! its own (on any thread), then spliced into the file in order.

    use std::io::Write;
    use std::sync::Arc;

    use bytes::Bytes;
    use parquet::column::writer::{ColumnCloseResult, get_column_writer};
    use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DataType, Int32Type, Int64Type};
    use parquet::file::metadata::KeyValue;
    use parquet::file::properties::{WriterProperties, WriterPropertiesPtr};
    use parquet::file::writer::{SerializedFileWriter, SerializedPageWriter, TrackedWrite};
    use parquet::schema::parser::parse_message_type;
    use parquet::schema::types::{ColumnDescPtr, ColumnPath, SchemaDescriptor};

    use super::{Row, WriteError};

    const SCHEMA: &str = "message ultimate {
        required binary entity_id (STRING);
        optional binary entity_name (STRING);
        required binary party_id (STRING);
        optional binary party_name (STRING);
        required binary party_kind (STRING);
        optional binary party_reason (STRING);
        required boolean ownership;
        optional binary share (STRING);
        optional binary share_min_pct (STRING);
        optional binary share_max_pct (STRING);
        required boolean share_min_exclusive;
        required boolean share_max_exclusive;
        required boolean share_unknown;
        required boolean control;
        required boolean top;
        required int64 ownership_paths;
        required int64 control_paths;
        required int64 any_paths;
        required int32 min_depth;
        required int32 max_depth;
        required boolean via_cycle;
        required boolean paths_saturated;
        required boolean bounded;
    }";

    /// A text column: its values end to end in one buffer, where each
    /// ends, and a definition level per row when optional. One buffer, not
    /// an allocation per value.
    #[derive(Default)]
    struct Text {
        bytes: Vec<u8>,
        ends: Vec<usize>,
        levels: Vec<i16>,
    }

    impl Text {
        fn push(&mut self, v: Option<&str>) {
            match v {
                Some(s) => {
                    self.bytes.extend_from_slice(s.as_bytes());
                    self.ends.push(self.bytes.len());
                    self.levels.push(1);
                }
                None => self.levels.push(0),
            }
        }

        /// The values, as slices of the one buffer.
        fn values(&self) -> Vec<ByteArray> {
            let all = Bytes::copy_from_slice(&self.bytes);
            let mut start = 0;
            self.ends
                .iter()
                .map(|&end| {
                    let v = ByteArray::from(all.slice(start..end));
                    start = end;
                    v
                })
                .collect()
        }
    }

    /// The rows of one row group, by column.
    #[derive(Default)]
    pub struct Columns {
        text: [Text; 9],
        flags: [Vec<bool>; 9],
        counts: [Vec<i64>; 3],
        depths: [Vec<i32>; 2],
        rows: usize,
    }

    impl Columns {
        pub fn push(&mut self, r: Row<'_>) {
            let (text, flags, counts, depths) = r.columnar();
            for (col, v) in self.text.iter_mut().zip(text) {
                col.push(v);
            }
            for (col, v) in self.flags.iter_mut().zip(flags) {
                col.push(v);
            }
            for (col, v) in self.counts.iter_mut().zip(counts) {
                col.push(i64::try_from(v).unwrap_or(i64::MAX));
            }
            for (col, v) in self.depths.iter_mut().zip(depths) {
                col.push(i32::try_from(v).unwrap_or(i32::MAX));
            }
            self.rows += 1;
        }
    }

    /// One row group, encoded: each column chunk's bytes and metadata, in
    /// schema order.
    pub struct Group {
        rows: usize,
        columns: Vec<(Bytes, ColumnCloseResult)>,
    }

    pub struct Writer<W: Write + Send> {
        file: SerializedFileWriter<W>,
        encoder: Encoder,
    }

    /// What encoding a row group needs: the columns and the properties.
    #[derive(Clone)]
    pub struct Encoder {
        columns: Vec<ColumnDescPtr>,
        props: WriterPropertiesPtr,
    }

    /// One column chunk, encoded into memory.
    fn encode_column<T: DataType>(
        descr: &ColumnDescPtr,
        props: &WriterPropertiesPtr,
        values: &[T::T],
        levels: Option<&[i16]>,
    ) -> Result<(Bytes, ColumnCloseResult), WriteError> {
        let mut sink = TrackedWrite::new(Vec::new());
        let close = {
            let pages = Box::new(SerializedPageWriter::new(&mut sink));
            let mut column =
                T::get_column_writer(get_column_writer(descr.clone(), props.clone(), pages))
                    .ok_or_else(|| {
                        parquet::errors::ParquetError::General(format!(
                            "column `{}` is not of its schema's type",
                            descr.name()
                        ))
                    })?;
            column.write_batch(values, levels, None)?;
            column.close()?
        };
        Ok((Bytes::from(sink.into_inner()?), close))
    }

    impl<W: Write + Send> Writer<W> {
        pub fn new(out: W, provenance: &super::Provenance) -> Result<Self, WriteError> {
            let schema = Arc::new(parse_message_type(SCHEMA)?);
            // Ids and names are nearly all distinct: a dictionary for them
            // is built, found too large and dropped, page after page.
            let mut props = WriterProperties::builder();
            for column in ["entity_id", "entity_name", "party_id", "party_name"] {
                props = props.set_column_dictionary_enabled(ColumnPath::from(column), false);
            }
            if !provenance.0.is_empty() {
                props = props.set_key_value_metadata(Some(
                    provenance
                        .0
                        .iter()
                        .map(|(k, v)| KeyValue::new(k.clone(), v.clone()))
                        .collect(),
                ));
            }
            let props = Arc::new(props.build());
            Ok(Writer {
                encoder: Encoder {
                    columns: SchemaDescriptor::new(schema.clone()).columns().to_vec(),
                    props: props.clone(),
                },
                file: SerializedFileWriter::new(out, schema, props)?,
            })
        }

        pub fn encoder(&self) -> Encoder {
            self.encoder.clone()
        }
    }

    impl Encoder {
        /// Encodes a row group's columns; any thread may call it.
        pub fn encode(&self, c: Columns) -> Result<Group, WriteError> {
            let props = &self.props;
            let mut descr = self.columns.iter();
            let mut next = || {
                descr.next().ok_or_else(|| {
                    WriteError::Parquet(parquet::errors::ParquetError::General(
                        "the schema has fewer columns than the rows".into(),
                    ))
                })
            };
            // entity_id, party_id and party_kind are required: no levels.
            let text = |i: usize, d: &ColumnDescPtr| {
                let t = &c.text[i];
                let levels = (![0, 2, 4].contains(&i)).then_some(t.levels.as_slice());
                encode_column::<ByteArrayType>(d, props, &t.values(), levels)
            };
            let flag = |i: usize, d: &ColumnDescPtr| {
                encode_column::<BoolType>(d, props, &c.flags[i], None)
            };
            // Columns in schema order: text 0..6, ownership, text 6..9,
            // five flags, three counts, two depths, via_cycle,
            // paths_saturated, bounded.
            let mut columns = Vec::with_capacity(self.columns.len());
            for i in 0..6 {
                columns.push(text(i, next()?)?);
            }
            columns.push(flag(0, next()?)?);
            for i in 6..9 {
                columns.push(text(i, next()?)?);
            }
            for i in 1..6 {
                columns.push(flag(i, next()?)?);
            }
            for v in &c.counts {
                columns.push(encode_column::<Int64Type>(next()?, props, v, None)?);
            }
            for v in &c.depths {
                columns.push(encode_column::<Int32Type>(next()?, props, v, None)?);
            }
            for i in 6..9 {
                columns.push(flag(i, next()?)?);
            }
            Ok(Group {
                rows: c.rows,
                columns,
            })
        }
    }

    impl<W: Write + Send> Writer<W> {
        /// Appends an encoded row group; returns its rows.
        pub fn append(&mut self, g: Group) -> Result<u64, WriteError> {
            if g.rows == 0 {
                return Ok(0);
            }
            let mut group = self.file.next_row_group()?;
            for (bytes, close) in g.columns {
                group.append_column(&bytes, close)?;
            }
            group.close()?;
            Ok(g.rows as u64)
        }

        pub fn finish(self) -> Result<(), WriteError> {
            self.file.close()?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Row;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "a", "Z", "7", " ", ",", "\"", "\n", "\r", "é", "#", "'", ";", "\\", "\t", "\u{1}",
                "\u{8}", "\u{c}", "\u{1f}", "\u{7f}", "/", "\u{2028}", "😀",
            ]),
            0..24,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The CSV record written by hand is the csv crate's, and the JSON
        /// object serde_json's, byte for byte.
        #[test]
        fn a_row_is_written_as_the_csv_crate_and_serde_json_write_it(
            t in prop::collection::vec(text(), 9),
            none in prop::collection::vec(any::<bool>(), 3),
            b in prop::collection::vec(any::<bool>(), 9),
            c in prop::collection::vec(any::<u64>(), 3),
            depth in prop::collection::vec(any::<u32>(), 2),
        ) {
            let opt = |i: usize, s: &str| (!none[i]).then(|| s.to_owned());
            let (en, pn, pr) = (opt(0, &t[1]), opt(1, &t[3]), opt(2, &t[5]));
            let row = Row {
                entity_id: &t[0],
                entity_name: en.as_deref(),
                party_id: &t[2],
                party_name: pn.as_deref(),
                party_kind: "entity",
                party_reason: pr.as_deref(),
                ownership: b[0],
                share: &t[6],
                share_min_pct: &t[7],
                share_max_pct: &t[8],
                share_min_exclusive: b[1],
                share_max_exclusive: b[2],
                share_unknown: b[3],
                control: b[4],
                top: b[5],
                ownership_paths: c[0],
                control_paths: c[1],
                any_paths: c[2],
                min_depth: depth[0],
                max_depth: depth[1],
                via_cycle: b[6],
                paths_saturated: b[7],
                bounded: b[8],
            };
            let mut ours = Vec::new();
            row.csv(&mut ours);
            let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
            w.serialize(&row).expect("serialises");
            let theirs = w.into_inner().expect("flushes");
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
            let mut ours = Vec::new();
            row.json(&mut ours);
            let theirs = serde_json::to_vec(&row).expect("serialises");
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
    }
}
