//! GLEIF Level 2 relationship records (RR-CDF 2.x golden-copy CSV) into the
//! ownership graph, and ultimate-parent resolution.
//!
//! `StartNode` is the child and `EndNode` the parent. Only `ACTIVE`
//! `IS_DIRECTLY_CONSOLIDATED_BY` records become graph edges (control edges
//! with an unknown share): resolving the direct chains gives each child's
//! ultimate parents, which are then checked against the declared
//! `IS_ULTIMATELY_CONSOLIDATED_BY` records. Fund, sub-fund, feeder and
//! branch relationships are kept as typed pairs beside the graph.

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
    /// `Registration.RegistrationStatus`.
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
}

/// A row that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GleifProblem {
    /// 1-based CSV row, the header being row 1.
    pub row: u64,
    /// What was wrong.
    pub message: String,
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
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = rdr.headers()?.clone();
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
    let mut row = 1u64;
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                row += 1;
                problems.push(GleifProblem {
                    row,
                    message: e.to_string(),
                });
                continue;
            }
        }
        row += 1;
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

/// GLEIF relationships as a graph plus the typed pairs beside it.
#[derive(Debug, Default)]
pub struct GleifBuilder {
    graph: GraphBuilder,
    declared: Vec<(NodeId, NodeId)>,
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
        self.graph.node(lei, NodeKind::Entity, Some(legal_name));
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
            return;
        }
        self.counts.active += 1;
        match r.kind {
            GleifKind::DirectParent => {
                self.counts.direct += 1;
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
            k => {
                match k {
                    GleifKind::FundManagedBy => self.counts.fund_managed += 1,
                    GleifKind::SubfundOf => self.counts.subfund += 1,
                    GleifKind::FeederTo => self.counts.feeder += 1,
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
        let GleifBuilder {
            graph,
            mut declared,
            ..
        } = self;
        let g = graph.build();
        let a = Analysis::run(&g, &AnalysisOptions::default(), progress);
        let mut res = Resolution::default();
        declared.sort_unstable();
        for n in g.nodes() {
            if g.edges(n).is_empty() {
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
            }
            res.pairs.extend(ups.into_iter().map(|p| (n, p)));
        }
        (g, a, res)
    }
}

/// Reads LEI legal names from a GLEIF Level 1 golden-copy CSV (LEI-CDF: the
/// `LEI` and `Entity.LegalName` columns; other columns are ignored).
pub fn read_lei_names<R: Read, F: FnMut(&str, &str)>(
    input: R,
    mut sink: F,
) -> Result<u64, GleifError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = rdr.headers()?.clone();
    let col = |name: &'static str| column(&headers, name);
    let (lei, name) = (col("LEI")?, col("Entity.LegalName")?);
    let mut n = 0;
    let mut record = csv::StringRecord::new();
    while rdr.read_record(&mut record)? {
        if let (Some(l), Some(nm)) = (record.get(lei), record.get(name)) {
            sink(l, nm);
            n += 1;
        }
    }
    Ok(n)
}
