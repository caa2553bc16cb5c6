//! Applies BODS statements in order (later statements about a record
//! replace earlier ones, `closed` removes the record) and builds the graph.

use crate::graph::{Graph, GraphBuilder, Interner, NodeId, NodeKind, edge_flags};
use crate::share::ShareRange;
use crate::statement::{
    Body, Directness, Interest, InterestType, PartyRef, RecordStatus, Statement,
    is_control_by_type, is_economic,
};
use rust_decimal::Decimal;

/// How statements become edges.
#[derive(Clone, Debug, Default)]
pub struct RegisterOptions {
    /// The date (`YYYY-MM-DD`) the graph describes. An interest counts when
    /// it started on or before this date and has not ended by it. Without a
    /// date, an interest counts when it has no `endDate`.
    pub as_of: Option<String>,
}

/// Something odd in the sequence of statements; the statement was still
/// applied where that made sense.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Line of the statement.
    pub line: u64,
    /// recordId of the statement.
    pub record_id: Box<str>,
    /// What was odd.
    pub message: String,
}

/// Counts of what was applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterReport {
    /// Statements applied, by record type: entity, person, relationship.
    pub statements: [u64; 3],
    /// Statements with status `updated` that replaced an earlier one.
    pub updates: u64,
    /// Statements with status `closed`.
    pub closures: u64,
    /// Relationships that became edges.
    pub edges: u64,
    /// Relationships with no interest in force (all ended): no edge.
    pub inactive_relationships: u64,
    /// Relationships dropped because a party or subject was closed.
    pub dangling_relationships: u64,
    /// All warnings, counted.
    pub warning_count: u64,
    /// The first 1000 warnings.
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Debug)]
struct RelData {
    subject: NodeId,
    party: NodeId,
    share: ShareRange,
    flags: u8,
    active: bool,
    components: Option<Box<[u32]>>,
}

/// A register being read: feed it statements in file order with
/// [`Register::apply`], then [`Register::finish`].
#[derive(Debug)]
pub struct Register {
    options: RegisterOptions,
    nodes: GraphBuilder,
    rel_ids: Interner,
    rels: Vec<Option<RelData>>,
    report: RegisterReport,
}

const HALF: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

impl Register {
    /// An empty register.
    pub fn new(options: RegisterOptions) -> Self {
        Register {
            options,
            nodes: GraphBuilder::new(),
            rel_ids: Interner::default(),
            rels: Vec::new(),
            report: RegisterReport::default(),
        }
    }

    fn warn(&mut self, st: &Statement, message: String) {
        self.report.warning_count += 1;
        if self.report.warnings.len() < 1000 {
            self.report.warnings.push(Warning {
                line: st.line,
                record_id: st.record_id.clone(),
                message,
            });
        }
    }

    fn active(&self, i: &Interest) -> bool {
        match &self.options.as_of {
            None => i.end.is_none(),
            Some(d) => {
                i.start.as_deref().is_none_or(|s| s <= d.as_str())
                    && i.end.as_deref().is_none_or(|e| e > d.as_str())
            }
        }
    }

    /// Applies one statement.
    pub fn apply(&mut self, st: Statement) {
        match st.status {
            RecordStatus::Updated => self.report.updates += 1,
            RecordStatus::Closed => self.report.closures += 1,
            RecordStatus::New => {}
        }
        match &st.body {
            Body::Entity { name, unspecified } | Body::Person { name, unspecified } => {
                let person = matches!(st.body, Body::Person { .. });
                self.report.statements[usize::from(person)] += 1;
                let n = self.nodes.touch(&st.record_id);
                let known = self.nodes.kind(n);
                if st.status == RecordStatus::Updated && known == NodeKind::Undeclared {
                    self.warn(
                        &st,
                        "`updated` statement for a record never declared".to_owned(),
                    );
                }
                if st.status == RecordStatus::Closed {
                    self.nodes.set_kind(n, NodeKind::Closed);
                    return;
                }
                let kind = if person {
                    NodeKind::Person
                } else {
                    NodeKind::Entity
                };
                self.nodes.node(&st.record_id, kind, name.as_deref());
                if let Some(reason) = unspecified {
                    self.nodes.set_reason(n, reason);
                }
            }
            Body::Relationship {
                subject,
                party,
                interests,
                is_component,
                components,
            } => {
                self.report.statements[2] += 1;
                let (r, new) = self.rel_ids.intern(&st.record_id);
                if new {
                    self.rels.push(None);
                    if st.status == RecordStatus::Updated {
                        self.warn(
                            &st,
                            "`updated` statement for a relationship never declared".to_owned(),
                        );
                    }
                }
                if st.status == RecordStatus::Closed {
                    self.rels[r as usize] = None;
                    return;
                }
                let subject = self.nodes.touch(subject);
                let party = match party {
                    PartyRef::Record(id) => self.nodes.touch(id),
                    PartyRef::Unspecified(reason) => self.nodes.unspecified(reason),
                };
                let data = self.edge_data(subject, party, interests, *is_component, components);
                self.rels[r as usize] = Some(data);
            }
        }
    }

    fn edge_data(
        &mut self,
        subject: NodeId,
        party: NodeId,
        interests: &[Interest],
        is_component: bool,
        components: &[Box<str>],
    ) -> RelData {
        let mut flags = 0u8;
        let mut holding: Option<ShareRange> = None;
        let mut other_economic: Option<ShareRange> = None;
        let mut any_active = interests.is_empty();
        let mut control = false;
        for i in interests.iter().filter(|i| self.active(i)) {
            any_active = true;
            if i.directness == Directness::Indirect {
                flags |= edge_flags::INDIRECT;
            }
            let share = i.share.unwrap_or(ShareRange::UNKNOWN);
            match i.kind {
                Some(InterestType::Shareholding) => {
                    holding = Some(holding.map_or(share, |h| h.add(&share)));
                }
                Some(InterestType::VotingRights) => {
                    control |= !i.share.is_some_and(|s| s.surely_at_most(HALF));
                }
                k if is_control_by_type(k) => control = true,
                k if is_economic(k) && other_economic.is_none() => other_economic = Some(share),
                _ => {}
            }
        }
        control |= holding.is_some_and(|h| h.surely_above(HALF));
        if interests.is_empty() {
            other_economic = Some(ShareRange::UNKNOWN);
        }
        let share = holding.or(other_economic);
        if share.is_some() {
            flags |= edge_flags::OWNERSHIP;
        }
        if control {
            flags |= edge_flags::CONTROL;
        }
        if is_component {
            flags |= edge_flags::COMPONENT;
        }
        let components = if components.is_empty() {
            None
        } else {
            Some(
                components
                    .iter()
                    .map(|c| self.rel_ids.intern(c).0)
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            )
        };
        while self.rels.len() < self.rel_ids.len() {
            self.rels.push(None);
        }
        RelData {
            subject,
            party,
            share: share.unwrap_or(ShareRange::ZERO),
            flags,
            active: any_active,
            components,
        }
    }

    /// Builds the graph of the records still open.
    pub fn finish(self) -> (Graph, RegisterReport) {
        let Register {
            nodes: mut gb,
            rel_ids,
            mut rels,
            mut report,
            ..
        } = self;
        // Components superseded by an indirect summary with the same subject.
        let mut superseded: Vec<u32> = Vec::new();
        for rel in rels.iter().flatten() {
            if let Some(cs) = &rel.components {
                for &c in cs.iter() {
                    if let Some(Some(comp)) = rels.get(c as usize)
                        && comp.subject == rel.subject
                    {
                        superseded.push(c);
                    }
                }
            }
        }
        for c in superseded {
            if let Some(Some(r)) = rels.get_mut(c as usize) {
                r.flags |= edge_flags::SUPERSEDED;
            }
        }
        for (i, rel) in rels.iter().enumerate() {
            let Some(rel) = rel else { continue };
            if !rel.active {
                report.inactive_relationships += 1;
                continue;
            }
            if gb.kind(rel.subject) == NodeKind::Closed || gb.kind(rel.party) == NodeKind::Closed {
                report.dangling_relationships += 1;
                continue;
            }
            report.edges += 1;
            gb.edge(
                rel.subject,
                rel.party,
                rel.share,
                rel.flags,
                rel_ids.resolve(i as u32),
            );
        }
        (gb.build(), report)
    }
}
