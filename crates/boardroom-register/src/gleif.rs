//! GLEIF Level 2 relationship records (RR-CDF 2.x golden-copy CSV) into the
//! ownership graph, and ultimate-parent resolution.
//!
//! `StartNode` is the child and `EndNode` the parent. `ACTIVE`
//! `IS_DIRECTLY_CONSOLIDATED_BY` records become control edges (accounting
//! consolidation is control, IFRS 10) with an unknown share: resolving the
//! direct chains gives each child's ultimate parents, which are checked
//! against the declared `IS_ULTIMATELY_CONSOLIDATED_BY` records. A child
//! with no active direct parent in the file but a declared ultimate parent
//! gets that parent as an indirect control edge, so that a declared fact is
//! not lost; a child with a direct parent keeps its computed chain, and the
//! declared parent is shown beside it ([`GleifIndex`]). A feeder fund's
//! link to its master is an ownership edge of unknown share. Fund-managed,
//! sub-fund and branch relationships are neither ownership nor control and
//! are kept as typed pairs beside the graph.
//!
//! [`GleifIndex`] also says why each chain stops where it does: a reporting
//! exception GLEIF records (from the optional RepEx file), a direct-parent
//! record that is not active, or no direct parent in the file.

use crate::analysis::{Analysis, AnalysisOptions};
use crate::graph::{Graph, GraphBuilder, NodeId, NodeKind, edge_flags};
use crate::progress::Progress;
use crate::share::ShareRange;
use std::io::Read;

/// `Relationship.RelationshipType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GleifKind {
    /// `IS_DIRECTLY_CONSOLIDATED_BY`: the accounting-consolidation parent.
    DirectParent,
    /// `IS_ULTIMATELY_CONSOLIDATED_BY`: the declared ultimate parent.
    UltimateParent,
    /// `IS_FUND-MANAGED_BY`.
    FundManagedBy,
    /// `IS_SUBFUND_OF`.
    SubfundOf,
    /// `IS_FEEDER_TO`.
    FeederTo,
    /// `IS_INTERNATIONAL_BRANCH_OF`.
    BranchOf,
    /// Anything else.
    Other,
}

impl GleifKind {
    /// Reads a `RelationshipType` value.
    pub fn parse(s: &str) -> GleifKind {
        match s {
            "IS_DIRECTLY_CONSOLIDATED_BY" => GleifKind::DirectParent,
            "IS_ULTIMATELY_CONSOLIDATED_BY" => GleifKind::UltimateParent,
            "IS_FUND-MANAGED_BY" => GleifKind::FundManagedBy,
            "IS_SUBFUND_OF" => GleifKind::SubfundOf,
            "IS_FEEDER_TO" => GleifKind::FeederTo,
            "IS_INTERNATIONAL_BRANCH_OF" => GleifKind::BranchOf,
            _ => GleifKind::Other,
        }
    }
}

/// One `Relationship.Period.N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// `startDate`.
    pub start: Option<Box<str>>,
    /// `endDate`.
    pub end: Option<Box<str>>,
    /// `periodType` (`RELATIONSHIP_PERIOD`, `ACCOUNTING_PERIOD`, ...).
    pub kind: Box<str>,
}

/// One relationship record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GleifRelationship {
    /// `StartNode.NodeID`: the child.
    pub child: Box<str>,
    /// `EndNode.NodeID`: the parent.
    pub parent: Box<str>,
    /// `RelationshipType`.
    pub kind: GleifKind,
    /// `RelationshipStatus` is `ACTIVE`.
    pub active: bool,
    /// `RelationshipStatus` as written (`ACTIVE`, `INACTIVE`, ...).
    pub relationship_status: Box<str>,
    /// `Registration.RegistrationStatus`: the record's registration, not
    /// the relationship (`PUBLISHED`, `LAPSED`, ...).
    pub registration_status: Box<str>,
    /// The periods given.
    pub periods: Vec<Period>,
}

/// Why a GLEIF file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GleifError {
    /// The CSV is unreadable.
    #[error("cannot read GLEIF CSV: {0}")]
    Csv(#[from] csv::Error),
    /// A required column is missing from the header.
    #[error("missing column `{0}`\nhint: expected an RR-CDF 2.x golden-copy CSV")]
    MissingColumn(&'static str),
    /// The file has no header row.
    #[error("the file is empty\nhint: expected a GLEIF golden-copy CSV with a header row")]
    Empty,
    /// The first line is not a CSV header.
    #[error("the first line is not a CSV header row")]
    Header,
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// A row that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GleifProblem {
    /// 1-based CSV row, the header being row 1.
    pub row: u64,
    /// What was wrong.
    pub message: String,
}

/// The longest row read, in bytes: a longer one is damage, not a row.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// Lines a quoted field may span before its row is taken as damaged.
const MAX_ROW_LINES: usize = 8;

/// CSV rows read line by line, so that damage stays in its row: a row is
/// one line, or a few while a quoted field is open. A row whose quote
/// never closes, or with more fields than the header, is damaged: it is reported with its line and skipped, and reading resumes
/// on the next line (a stray quote cannot swallow the rest of the file). A
/// line longer than [`MAX_ROW_BYTES`] is damaged too, and not kept.
struct Rows<R> {
    input: std::io::BufReader<R>,
    /// Lines read back after a damaged multi-line row: (line number, text;
    /// `None` for a line over the limit).
    pending: std::collections::VecDeque<(u64, Option<Vec<u8>>)>,
    /// The physical line last read.
    line: u64,
    headers: csv::StringRecord,
    parser: LineParser,
    /// The row's text, reused.
    text: Vec<u8>,
}

fn quotes(text: &[u8]) -> usize {
    memchr::memchr_iter(b'"', text).count()
}

impl<R: Read> Rows<R> {
    fn new(input: R) -> Result<Self, GleifError> {
        let mut rows = Rows {
            input: std::io::BufReader::with_capacity(1 << 16, input),
            pending: std::collections::VecDeque::new(),
            line: 0,
            headers: csv::StringRecord::new(),
            parser: LineParser::default(),
            text: Vec::new(),
        };
        let mut first = Vec::new();
        match rows.physical(&mut first)? {
            Some((_, true)) => {}
            _ => return Err(GleifError::Empty),
        }
        let first = first
            .strip_prefix(b"\xef\xbb\xbf")
            .unwrap_or(&first)
            .to_vec();
        let mut headers = csv::StringRecord::new();
        if !rows.parser.parse(&first, &mut headers) {
            return Err(GleifError::Header);
        }
        rows.headers = headers;
        Ok(rows)
    }

    /// Appends the next physical line to `dst` (without its line end):
    /// its number and whether it was kept (false when longer than the
    /// limit: nothing is appended); `None` at the end.
    fn physical(&mut self, dst: &mut Vec<u8>) -> Result<Option<(u64, bool)>, GleifError> {
        use std::io::BufRead;
        if let Some((n, text)) = self.pending.pop_front() {
            return Ok(Some(match text {
                Some(t) => {
                    dst.extend_from_slice(&t);
                    (n, true)
                }
                None => (n, false),
            }));
        }
        let base = dst.len();
        let mut too_long = false;
        let mut read_any = false;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            read_any = true;
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                dst.extend_from_slice(&chunk[..take]);
                if dst.len() - base > MAX_ROW_BYTES {
                    too_long = true;
                    dst.truncate(base);
                }
            }
            self.input.consume(take);
            if done {
                break;
            }
        }
        if !read_any {
            return Ok(None);
        }
        self.line += 1;
        if too_long {
            return Ok(Some((self.line, false)));
        }
        while dst.len() > base && matches!(dst.last(), Some(b'\n' | b'\r')) {
            dst.pop();
        }
        Ok(Some((self.line, true)))
    }

    /// The next well-formed row, into `record`, and its line; damaged
    /// rows go to `problems`.
    fn next(
        &mut self,
        problems: &mut Vec<GleifProblem>,
        record: &mut csv::StringRecord,
    ) -> Result<Option<u64>, GleifError> {
        let mut text = std::mem::take(&mut self.text);
        let out = self.next_into(problems, record, &mut text);
        self.text = text;
        out
    }

    fn next_into(
        &mut self,
        problems: &mut Vec<GleifProblem>,
        record: &mut csv::StringRecord,
        text: &mut Vec<u8>,
    ) -> Result<Option<u64>, GleifError> {
        let width = self.headers.len();
        loop {
            text.clear();
            let Some((line, kept)) = self.physical(text)? else {
                return Ok(None);
            };
            let damaged = |why: String| GleifProblem {
                row: line,
                message: format!("{why}; skipped"),
            };
            if !kept {
                problems.push(damaged(format!("longer than {MAX_ROW_BYTES} bytes")));
                continue;
            }
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // A quoted field left open continues on the next lines.
            let mut taken: Vec<(u64, Option<Vec<u8>>)> = Vec::new();
            let mut open = quotes(text) % 2 == 1;
            while open && taken.len() < MAX_ROW_LINES {
                let at = text.len();
                text.push(b'\n');
                match self.physical(text)? {
                    Some((n, true)) => {
                        let more = &text[at + 1..];
                        open ^= quotes(more) % 2 == 1;
                        taken.push((n, Some(more.to_vec())));
                    }
                    Some((n, false)) => {
                        text.truncate(at);
                        taken.push((n, None));
                        break;
                    }
                    None => {
                        text.truncate(at);
                        break;
                    }
                }
            }
            if open {
                problems.push(damaged("a quote that never closes".into()));
                // The lines after it are rows of their own.
                for t in taken.into_iter().rev() {
                    self.pending.push_front(t);
                }
                continue;
            }
            // Fewer fields than the header: trailing empty fields left out,
            // as real files do. More: a row broken by an unquoted comma.
            if !self.parser.parse(text, record) {
                problems.push(damaged("not a CSV row".into()));
                continue;
            }
            if record.len() <= width {
                return Ok(Some(line));
            }
            problems.push(damaged(format!(
                "{} fields where the header has {width} (a stray quote or an unquoted comma)",
                record.len()
            )));
            for t in taken.into_iter().rev() {
                self.pending.push_front(t);
            }
        }
    }
}

/// Parses one CSV row from its text, reusing its buffers (a row is parsed
/// per line, so this must cost no allocation beyond the record's).
struct LineParser {
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl Default for LineParser {
    fn default() -> Self {
        LineParser {
            core: csv_core::Reader::new(),
            out: Vec::new(),
            ends: Vec::new(),
        }
    }
}

impl LineParser {
    /// Parses `input` into `record`; false when it is not one row.
    fn parse(&mut self, input: &[u8], record: &mut csv::StringRecord) -> bool {
        use csv_core::ReadRecordResult as R;
        self.core.reset();
        record.clear();
        if self.out.len() < input.len() + 1 {
            self.out.resize(input.len() + 1, 0);
        }
        if self.ends.len() < 64 {
            self.ends.resize(64, 0);
        }
        let (mut i, mut o, mut e) = (0, 0, 0);
        loop {
            let (res, ni, no, ne) =
                self.core
                    .read_record(&input[i..], &mut self.out[o..], &mut self.ends[e..]);
            i += ni;
            o += no;
            e += ne;
            match res {
                // The end of the text ends the record: an empty input says so.
                R::InputEmpty if i == input.len() && ni == 0 && no == 0 && ne == 0 => {
                    let (res, _, no, ne) =
                        self.core
                            .read_record(&[], &mut self.out[o..], &mut self.ends[e..]);
                    o += no;
                    e += ne;
                    if res != R::Record {
                        return false;
                    }
                    break;
                }
                R::InputEmpty => {}
                R::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                R::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                R::Record => break,
                R::End => return false,
            }
        }
        let bytes = &self.out[..o];
        let mut start = 0;
        match std::str::from_utf8(bytes) {
            // Field ends fall on byte boundaries of valid text.
            Ok(text) => {
                for &end in &self.ends[..e] {
                    record.push_field(text.get(start..end).unwrap_or(""));
                    start = end;
                }
            }
            Err(_) => {
                for &end in &self.ends[..e] {
                    record.push_field(&String::from_utf8_lossy(&bytes[start..end]));
                    start = end;
                }
            }
        }
        true
    }
}

/// The position of the column `name` in a header row.
fn column(headers: &csv::StringRecord, name: &'static str) -> Result<usize, GleifError> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or(GleifError::MissingColumn(name))
}

/// Reads every relationship record; bad rows are counted and skipped.
pub fn read_relationships<R: Read, F: FnMut(GleifRelationship)>(
    input: R,
    mut sink: F,
) -> Result<Vec<GleifProblem>, GleifError> {
    let mut rows = Rows::new(input)?;
    let headers = rows.headers.clone();
    let col = |name: &'static str| column(&headers, name);
    let child = col("Relationship.StartNode.NodeID")?;
    let parent = col("Relationship.EndNode.NodeID")?;
    let kind = col("Relationship.RelationshipType")?;
    let status = col("Relationship.RelationshipStatus")?;
    let reg = headers
        .iter()
        .position(|h| h == "Registration.RegistrationStatus");
    let periods: Vec<(Option<usize>, Option<usize>, Option<usize>)> = (1..=5)
        .map(|i| {
            let p = |f: &str| {
                headers
                    .iter()
                    .position(|h| h == format!("Relationship.Period.{i}.{f}"))
            };
            (p("startDate"), p("endDate"), p("periodType"))
        })
        .collect();
    let mut problems = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(row) = rows.next(&mut problems, &mut record)? {
        let get = |i: usize| record.get(i).unwrap_or("");
        let opt = |i: Option<usize>| i.map(get).filter(|s| !s.is_empty()).map(Into::into);
        let (c, p) = (get(child), get(parent));
        if c.is_empty() || p.is_empty() {
            problems.push(GleifProblem {
                row,
                message: "missing StartNode or EndNode NodeID".to_owned(),
            });
            continue;
        }
        sink(GleifRelationship {
            child: c.into(),
            parent: p.into(),
            kind: GleifKind::parse(get(kind)),
            active: get(status) == "ACTIVE",
            relationship_status: get(status).into(),
            registration_status: reg.map(get).unwrap_or("").into(),
            periods: periods
                .iter()
                .filter_map(|&(s, e, k)| {
                    let kind: Option<Box<str>> = opt(k);
                    kind.map(|kind| Period {
                        start: opt(s),
                        end: opt(e),
                        kind,
                    })
                })
                .collect(),
        });
    }
    Ok(problems)
}

/// Counts of relationship records by type and status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GleifCounts {
    /// Records read.
    pub records: u64,
    /// `ACTIVE` records.
    pub active: u64,
    /// `ACTIVE` direct-parent records (the graph's edges).
    pub direct: u64,
    /// `ACTIVE` declared ultimate-parent records.
    pub ultimate: u64,
    /// `ACTIVE` fund-managed, sub-fund, feeder and branch records.
    pub fund_managed: u64,
    /// See [`GleifCounts::fund_managed`].
    pub subfund: u64,
    /// See [`GleifCounts::fund_managed`].
    pub feeder: u64,
    /// See [`GleifCounts::fund_managed`].
    pub branch: u64,
    /// Records of any type with status other than `ACTIVE`.
    pub inactive: u64,
}

/// A GLEIF reporting exception (RepEx): why an entity reports no parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GleifException {
    /// The LEI reporting the exception.
    pub lei: Box<str>,
    /// `ExceptionCategory`: `DIRECT_ACCOUNTING_CONSOLIDATION_PARENT` or
    /// `ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT`.
    pub category: Box<str>,
    /// `ExceptionReason`: `NATURAL_PERSONS`, `NON_CONSOLIDATING`,
    /// `NO_KNOWN_PERSON`, `NON_PUBLIC`, ...
    pub reason: Box<str>,
}

/// Reads a GLEIF reporting-exceptions file (RepEx golden-copy CSV: the
/// columns ending in `LEI`, `ExceptionCategory` and `ExceptionReason`).
pub fn read_exceptions<R: Read, F: FnMut(GleifException)>(
    input: R,
    mut sink: F,
) -> Result<(u64, Vec<GleifProblem>), GleifError> {
    let mut rows = Rows::new(input)?;
    let headers = rows.headers.clone();
    let ends = |suffix: &'static str| {
        headers
            .iter()
            .position(|h| h == suffix || h.ends_with(&format!(".{suffix}")))
            .ok_or(GleifError::MissingColumn(suffix))
    };
    let (lei, category, reason) = (
        ends("LEI")?,
        ends("ExceptionCategory")?,
        ends("ExceptionReason")?,
    );
    let mut n = 0;
    let mut damaged = Vec::new();
    let mut record = csv::StringRecord::new();
    while rows.next(&mut damaged, &mut record)?.is_some() {
        let get = |i: usize| record.get(i).unwrap_or("");
        if get(lei).is_empty() {
            continue;
        }
        sink(GleifException {
            lei: get(lei).into(),
            category: get(category).into(),
            reason: get(reason).into(),
        });
        n += 1;
    }
    Ok((n, damaged))
}

/// A reporting exception as (`ExceptionCategory`, `ExceptionReason`).
pub type Exception = (Box<str>, Box<str>);

/// What GLEIF declares beside the computed chains, and why each chain stops
/// where it does.
#[derive(Debug, Default)]
pub struct GleifIndex {
    /// Per child: its declared ultimate parents (`IS_ULTIMATELY_CONSOLIDATED_BY`).
    pub declared: hashbrown::HashMap<NodeId, Vec<NodeId>>,
    /// Per entity: its reporting exceptions.
    pub exceptions: hashbrown::HashMap<NodeId, Vec<Exception>>,
    /// Entities with a direct-parent record that is not active, and its status.
    pub inactive_parent: hashbrown::HashMap<NodeId, Box<str>>,
    /// Entities named in the Level 1 file given.
    pub named: hashbrown::HashSet<NodeId>,
    /// Whether a Level 1 file was given.
    pub level1: bool,
}

impl GleifIndex {
    /// Why a chain stops at `top`, an entity with no direct parent in the
    /// graph.
    pub fn stop(&self, g: &Graph, top: NodeId) -> String {
        let name = g
            .name(top)
            .map_or_else(|| g.id(top).to_string(), str::to_string);
        if let Some(ex) = self.exceptions.get(&top) {
            let list: Vec<String> = ex
                .iter()
                .map(|(c, r)| format!("{r} ({})", c.to_lowercase().replace('_', " ")))
                .collect();
            return format!(
                "{name} reports no parent, with a GLEIF reporting exception: {}",
                list.join("; ")
            );
        }
        if let Some(status) = self.inactive_parent.get(&top) {
            return format!("{name}'s direct-parent record is not active ({status})");
        }
        let mut why = format!(
            "no direct parent of {name} is in this file, and it reports no exception in the files given"
        );
        if self.level1 && !self.named.contains(&top) {
            why.push_str("; its LEI is not in the Level 1 file either");
        }
        why
    }
}

/// GLEIF relationships as a graph plus the typed pairs beside it.
#[derive(Debug, Default)]
pub struct GleifBuilder {
    graph: GraphBuilder,
    declared: Vec<(NodeId, NodeId)>,
    /// Children with an active direct parent.
    has_direct: hashbrown::HashSet<NodeId>,
    index: GleifIndex,
    /// Typed pairs (child, parent) that are not graph edges.
    pub others: Vec<(GleifKind, NodeId, NodeId)>,
    /// Counts.
    pub counts: GleifCounts,
}

/// The resolved ultimate parents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolution {
    /// Children with at least one active direct parent.
    pub children: u64,
    /// (child, resolved ultimate parent) pairs.
    pub pairs: Vec<(NodeId, NodeId)>,
    /// Children whose declared ultimate parent is among the resolved ones.
    pub agree: u64,
    /// Children whose declared ultimate parent is not among the resolved.
    pub disagree: u64,
    /// Of [`Resolution::disagree`], why: the chain stops at an entity with
    /// no parent record of any kind in the file and no exception (the file
    /// does not hold the rest of the chain: a sample, or a partial copy).
    pub disagree_leaves_file: u64,
    /// Of [`Resolution::disagree`]: the chain stops at an entity that
    /// reports a GLEIF exception (no parent, say, or natural persons), so
    /// GLEIF's own records disagree with each other.
    pub disagree_exception: u64,
    /// Of [`Resolution::disagree`]: the chain stops at an entity whose
    /// direct-parent record is not active.
    pub disagree_inactive: u64,
    /// Children with a direct parent but no declared ultimate parent.
    pub undeclared: u64,
    /// Children whose direct chain runs into a cycle.
    pub cyclic: u64,
}

impl GleifBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives a LEI its legal name (from Level 1 data).
    pub fn name(&mut self, lei: &str, legal_name: &str) {
        let legal_name = boardroom::one_line(legal_name);
        let n = self.graph.node(lei, NodeKind::Entity, Some(&legal_name));
        self.index.named.insert(n);
        self.index.level1 = true;
    }

    /// Adds a reporting exception (from a RepEx file).
    pub fn exception(&mut self, e: &GleifException) {
        let n = self.graph.touch(&e.lei);
        if self.graph.kind(n) == NodeKind::Undeclared {
            self.graph.set_kind(n, NodeKind::Entity);
        }
        self.index
            .exceptions
            .entry(n)
            .or_default()
            .push((e.category.clone(), e.reason.clone()));
    }

    /// Adds one relationship record.
    pub fn add(&mut self, r: &GleifRelationship) {
        self.counts.records += 1;
        let c = self.graph.touch(&r.child);
        let p = self.graph.touch(&r.parent);
        for n in [c, p] {
            if self.graph.kind(n) == NodeKind::Undeclared {
                self.graph.set_kind(n, NodeKind::Entity);
            }
        }
        if !r.active {
            self.counts.inactive += 1;
            if r.kind == GleifKind::DirectParent {
                self.index.inactive_parent.insert(
                    c,
                    format!(
                        "relationship status {}; the record's registration {}",
                        if r.relationship_status.is_empty() {
                            "not given"
                        } else {
                            &r.relationship_status
                        },
                        r.registration_status
                    )
                    .into(),
                );
            }
            return;
        }
        self.counts.active += 1;
        match r.kind {
            GleifKind::DirectParent => {
                self.counts.direct += 1;
                self.has_direct.insert(c);
                self.index.inactive_parent.remove(&c);
                let id = format!("{}>{}", r.child, r.parent);
                self.graph.edge(
                    c,
                    p,
                    ShareRange::UNKNOWN,
                    edge_flags::CONTROL
                        | edge_flags::basis(boardroom::definition::Basis::Consolidation),
                    &id,
                );
            }
            GleifKind::UltimateParent => {
                self.counts.ultimate += 1;
                self.declared.push((c, p));
            }
            GleifKind::FeederTo => {
                // The feeder invests in its master: an economic interest of
                // unstated size, not control.
                self.counts.feeder += 1;
                let id = format!("{}>{}", r.child, r.parent);
                self.graph
                    .edge(c, p, ShareRange::UNKNOWN, edge_flags::OWNERSHIP, &id);
                self.others.push((r.kind, c, p));
            }
            k => {
                match k {
                    GleifKind::FundManagedBy => self.counts.fund_managed += 1,
                    GleifKind::SubfundOf => self.counts.subfund += 1,
                    GleifKind::BranchOf => self.counts.branch += 1,
                    _ => {}
                }
                self.others.push((k, c, p));
            }
        }
    }

    /// Builds the graph, analyses it and resolves every child's ultimate
    /// parents along the direct-parent chains.
    pub fn resolve(self, progress: &dyn Progress) -> (Graph, Analysis, Resolution) {
        let (g, a, r, _) = self.resolve_with_index(&AnalysisOptions::default(), progress);
        (g, a, r)
    }

    /// The graph alone, for an engine that analyses it elsewhere (Spark):
    /// the direct and ultimate parents as edges, as [`GleifBuilder::resolve`]
    /// builds them, without the analysis or the comparison with what GLEIF
    /// declares.
    pub fn graph(self) -> Graph {
        self.build().0
    }

    /// The graph, the declared ultimate parents (sorted), the children with
    /// a direct parent, and the index.
    #[allow(clippy::type_complexity)]
    fn build(
        self,
    ) -> (
        Graph,
        Vec<(NodeId, NodeId)>,
        hashbrown::HashSet<NodeId>,
        GleifIndex,
    ) {
        let GleifBuilder {
            mut graph,
            mut declared,
            has_direct,
            mut index,
            ..
        } = self;
        declared.sort_unstable();
        declared.dedup();
        for &(c, p) in &declared {
            index.declared.entry(c).or_default().push(p);
            // A declared ultimate parent with no direct chain in the file
            // to reach it: the declaration is the only link.
            if !has_direct.contains(&c) && c != p {
                let id = format!("{}>>{}", graph.id(c), graph.id(p));
                graph.edge(
                    c,
                    p,
                    ShareRange::UNKNOWN,
                    edge_flags::CONTROL
                        | edge_flags::INDIRECT
                        | edge_flags::basis(boardroom::definition::Basis::Consolidation),
                    &id,
                );
            }
        }
        (graph.build(), declared, has_direct, index)
    }

    /// [`GleifBuilder::resolve`], with what GLEIF declares beside the chains.
    pub fn resolve_with_index(
        self,
        options: &AnalysisOptions,
        progress: &dyn Progress,
    ) -> (Graph, Analysis, Resolution, GleifIndex) {
        let (g, declared, has_direct, index) = self.build();
        let a = Analysis::run(&g, options, progress);
        let mut res = Resolution::default();
        for n in g.nodes() {
            if !has_direct.contains(&n) {
                continue;
            }
            res.children += 1;
            let ups: Vec<NodeId> = a
                .ultimates(&g, n)
                .into_iter()
                .filter(|u| u.is_controller())
                .map(|u| u.party)
                .collect();
            if a.cycle_of(&g, n).is_some() || a.ultimates(&g, n).iter().any(|u| u.via_cycle) {
                res.cyclic += 1;
            }
            let lo = declared.partition_point(|&(c, _)| c < n);
            let mine: Vec<NodeId> = declared[lo..]
                .iter()
                .take_while(|&&(c, _)| c == n)
                .map(|&(_, p)| p)
                .collect();
            if mine.is_empty() {
                res.undeclared += 1;
            } else if mine.iter().any(|p| ups.contains(p)) {
                res.agree += 1;
            } else {
                res.disagree += 1;
                if ups.iter().any(|t| index.exceptions.contains_key(t)) {
                    res.disagree_exception += 1;
                } else if ups.iter().any(|t| index.inactive_parent.contains_key(t)) {
                    res.disagree_inactive += 1;
                } else {
                    res.disagree_leaves_file += 1;
                }
            }
            res.pairs.extend(ups.into_iter().map(|p| (n, p)));
        }
        (g, a, res, index)
    }
}

/// Reads LEI legal names from a GLEIF Level 1 golden-copy CSV (LEI-CDF: the
/// `LEI` and `Entity.LegalName` columns; other columns are ignored). Gives
/// the number read and the damaged rows skipped.
pub fn read_lei_names<R: Read, F: FnMut(&str, &str)>(
    input: R,
    mut sink: F,
) -> Result<(u64, Vec<GleifProblem>), GleifError> {
    let mut rows = Rows::new(input)?;
    let headers = rows.headers.clone();
    let col = |name: &'static str| column(&headers, name);
    let (lei, name) = (col("LEI")?, col("Entity.LegalName")?);
    let mut n = 0;
    let mut damaged = Vec::new();
    let mut record = csv::StringRecord::new();
    while rows.next(&mut damaged, &mut record)?.is_some() {
        if let (Some(l), Some(nm)) = (record.get(lei), record.get(name)) {
            sink(l, nm);
            n += 1;
        }
    }
    Ok((n, damaged))
}

#[cfg(test)]
mod line_parser_tests {
    use super::LineParser;

    #[test]
    fn parses_quoted_and_plain_fields() {
        let mut p = LineParser::default();
        let mut r = csv::StringRecord::new();
        assert!(p.parse(br#""a","b ""q""",c,"#, &mut r));
        assert_eq!(r.iter().collect::<Vec<_>>(), ["a", "b \"q\"", "c", ""]);
        assert!(p.parse(b"x,y", &mut r));
        assert_eq!(r.iter().collect::<Vec<_>>(), ["x", "y"]);
    }
}
