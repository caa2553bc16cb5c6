//! The compact ownership graph: interned node ids, CSR adjacency from each
//! subject to its interested parties, and per-edge share and flags.

pub use crate::interner::{IdHash, Interner};
use crate::share::{ShareBits, ShareRange};
use foldhash::fast::FixedState;

/// A node index in a [`Graph`].
pub type NodeId = u32;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// An entity record (a company, trust, state body...).
    Entity,
    /// A person record.
    Person,
    /// An anonymous or unknown person or entity, or an unspecified
    /// interested party; its reason is in [`Graph::reason`].
    Unspecified,
    /// Referred to by a relationship but never declared.
    Undeclared,
    /// Closed by a later statement, or not in existence on the date asked
    /// about (before its `foundingDate`, from its `dissolutionDate`); it
    /// has no edges.
    Closed,
    /// The board of an entity whose directors the data states
    /// (`boardMember`, `boardChair`): it controls as a body where no party
    /// controls the entity. Its id is the entity's followed by `#board`,
    /// and its members are in [`Graph::members`].
    Body,
}

impl NodeKind {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Entity => "entity",
            NodeKind::Person => "person",
            NodeKind::Unspecified => "unspecified",
            NodeKind::Undeclared => "undeclared",
            NodeKind::Closed => "closed",
            NodeKind::Body => "body",
        }
    }
}

/// Flags of an edge.
pub mod edge_flags {
    /// The edge carries an economic interest; its share multiplies.
    pub const OWNERSHIP: u16 = 1;
    /// The edge confers control (see the crate docs for the rule).
    pub const CONTROL: u16 = 2;
    /// The interest is declared indirect (a summary of a longer chain).
    pub const INDIRECT: u16 = 4;
    /// The relationship is a component of an indirect relationship.
    pub const COMPONENT: u16 = 8;
    /// A component relationship whose indirect summary has the same
    /// subject: the summary stands for it, and analysis skips it.
    pub const SUPERSEDED: u16 = 16;
    /// The party may control the subject: the data allows a majority and
    /// allows none. Never followed as control.
    pub const MAY_CONTROL: u16 = 32;
    /// Bits 8 to 11 hold why the party controls or may control
    /// ([`boardroom::definition::Basis`], by its place in `Basis::ALL`, plus
    /// one; 0 for none).
    pub const BASIS_SHIFT: u16 = 8;
    /// See [`BASIS_SHIFT`].
    pub const BASIS_MASK: u16 = 0xF << BASIS_SHIFT;

    /// The flag bits of a basis.
    pub fn basis(b: boardroom::definition::Basis) -> u16 {
        let i = boardroom::definition::Basis::ALL
            .iter()
            .position(|x| *x == b)
            .unwrap_or(0) as u16;
        (i + 1) << BASIS_SHIFT
    }

    /// Bits 12 to 15 hold the kind of interest the edge's ownership share
    /// is of: its place in [`SHARE_KINDS`] plus one, or 0 for a kind not
    /// stated (no `type`, one outside the codelist, or a relationship
    /// with no interests). So that a share of the profits is not called
    /// ownership of shares.
    pub const SHARE_KIND_SHIFT: u16 = 12;
    /// See [`SHARE_KIND_SHIFT`].
    pub const SHARE_KIND_MASK: u16 = 0xF << SHARE_KIND_SHIFT;

    use boardroom::InterestType;
    /// The economic kinds of interest an ownership share can be of.
    pub const SHARE_KINDS: [InterestType; 8] = [
        InterestType::Shareholding,
        InterestType::RightsToSurplusAssetsOnDissolution,
        InterestType::RightsToProfitOrIncome,
        InterestType::BeneficiaryOfLegalArrangement,
        InterestType::EnjoymentAndUseOfAssets,
        InterestType::RightToProfitOrIncomeFromAssets,
        InterestType::UnknownInterest,
        InterestType::UnpublishedInterest,
    ];

    /// The flag bits of the kind a share is of (`None`: not stated).
    pub fn share_kind(k: Option<InterestType>) -> u16 {
        let i = k
            .and_then(|k| SHARE_KINDS.iter().position(|x| *x == k))
            .map_or(0, |i| i as u16 + 1);
        i << SHARE_KIND_SHIFT
    }

    /// The kind of interest the share of an edge with `flags` is of, or
    /// `None` where it is not stated.
    pub fn share_kind_of(flags: u16) -> Option<InterestType> {
        let i = (flags & SHARE_KIND_MASK) >> SHARE_KIND_SHIFT;
        (i > 0)
            .then(|| SHARE_KINDS.get(i as usize - 1).copied())
            .flatten()
    }
}

/// One edge from a subject to an interested party: 12 bytes, so that the
/// analysis, which follows every edge several times, reads little memory.
/// The share is interned in [`Graph::share`] (a register has few distinct
/// shares), and the relationship's recordId is in
/// [`Graph::relationship_id`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The interested party (the owner or controller).
    pub party: NodeId,
    /// The index of the ownership share in the graph's share table.
    share: u32,
    /// [`edge_flags`].
    pub flags: u16,
}

impl Edge {
    /// Whether [`edge_flags::OWNERSHIP`] is set.
    pub fn is_ownership(&self) -> bool {
        self.flags & edge_flags::OWNERSHIP != 0
    }
    /// Whether [`edge_flags::CONTROL`] is set.
    pub fn is_control(&self) -> bool {
        self.flags & edge_flags::CONTROL != 0
    }
    /// Whether the analysis follows this edge.
    pub fn is_live(&self) -> bool {
        self.flags & edge_flags::SUPERSEDED == 0
    }
    /// Whether [`edge_flags::MAY_CONTROL`] is set.
    pub fn may_control(&self) -> bool {
        self.flags & edge_flags::MAY_CONTROL != 0
    }
    /// Why the party controls or may control the subject, if it does.
    pub fn basis(&self) -> Option<boardroom::definition::Basis> {
        let i = (self.flags & edge_flags::BASIS_MASK) >> edge_flags::BASIS_SHIFT;
        boardroom::definition::Basis::ALL
            .get(usize::from(i).checked_sub(1)?)
            .copied()
    }
}

/// An ownership graph in compressed sparse row form.
#[derive(Debug, Default)]
pub struct Graph {
    pub(crate) ids: Interner,
    pub(crate) kinds: Vec<NodeKind>,
    pub(crate) names: Vec<Option<Box<str>>>,
    pub(crate) reasons: hashbrown::HashMap<NodeId, Box<str>, FixedState>,
    /// The members of each [`NodeKind::Body`] node.
    pub(crate) members: hashbrown::HashMap<NodeId, Box<[NodeId]>, FixedState>,
    pub(crate) offsets: Vec<u64>,
    pub(crate) edges: Vec<Edge>,
    /// The distinct shares, indexed by [`Edge::share`].
    pub(crate) shares: Vec<ShareRange>,
    /// The recordId of the relationship behind each edge, in edge order.
    pub(crate) relationship_ids: Vec<Box<str>>,
    /// Per node: the party of a live edge. The analysis asks this, and
    /// the next two, of every edge it follows, and bit sets stay in the
    /// cache where a byte per node does not.
    pub(crate) party: NodeBits,
    /// Per node: the subject of a live edge.
    pub(crate) subject: NodeBits,
    /// Per node: unspecified or undeclared.
    pub(crate) unknown: NodeBits,
    /// Per node: it has parties, and every path from it is one hop to a
    /// party at the top ([`Graph::is_one_hop`]).
    pub(crate) one_hop: NodeBits,
    /// The nodes that are the party of a live edge and have parties of
    /// their own, beyond one hop, numbered densely: the analysis resolves
    /// and stores their lists, and keeps its per-node arrays for these
    /// alone. People, entities nobody builds on, and entities owned
    /// straight by people are most of a register's nodes and need none.
    pub(crate) intermediate: NodeRanks,
    /// Interests the data declares a beneficial ownership or control
    /// (`beneficialOwnershipOrControl = true`) that no edge or body shows:
    /// a settlor's, a protector's, a minority vote's. Sorted by subject.
    pub(crate) declared: Vec<DeclaredInterest>,
}

/// A person's interests in an entity that the data declares beneficial
/// ownership or control, where this definition of control finds neither
/// (AMLD art. 3(6)(b) makes a trust's settlor and protector beneficial
/// owners; a publisher's threshold for votes may be lower than a
/// majority). Kept beside the edges so that what a publisher declares is
/// never silently dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredInterest {
    pub subject: NodeId,
    pub party: NodeId,
    /// The interest types, as bits: `1 << (InterestType as u32)`.
    pub kinds: u32,
    /// The relationship's recordId.
    pub relationship: Box<str>,
}

impl DeclaredInterest {
    /// The interest types declared, in codelist order.
    pub fn kinds(&self) -> impl Iterator<Item = boardroom::InterestType> + '_ {
        boardroom::InterestType::ALL
            .iter()
            .copied()
            .filter(|k| self.kinds & (1 << (*k as u32)) != 0)
    }
}

/// A set of nodes, each with its rank in the set.
#[derive(Debug, Default)]
pub(crate) struct NodeRanks {
    bits: NodeBits,
    /// Per word of `bits`, the members in the words before it.
    before: Vec<u32>,
}

impl NodeRanks {
    fn new(bits: NodeBits) -> NodeRanks {
        let mut acc = 0u32;
        let before = bits
            .0
            .iter()
            .map(|w| {
                let b = acc;
                acc += w.count_ones();
                b
            })
            .collect();
        NodeRanks { bits, before }
    }
    /// The rank of `n` in the set, or `None` when it is not in it.
    fn rank(&self, n: NodeId) -> Option<usize> {
        let i = n as usize;
        let w = *self.bits.0.get(i / 64)?;
        let bit = 1u64 << (i % 64);
        (w & bit != 0).then(|| (self.before[i / 64] + (w & (bit - 1)).count_ones()) as usize)
    }
    fn len(&self) -> usize {
        self.before.last().map_or(0, |&b| b as usize)
            + self.bits.0.last().map_or(0, |w| w.count_ones() as usize)
    }
}

/// One bit per node.
#[derive(Debug, Default)]
pub(crate) struct NodeBits(Vec<u64>);

impl NodeBits {
    fn new(nodes: usize) -> NodeBits {
        NodeBits(vec![0; nodes.div_ceil(64)])
    }
    fn set(&mut self, n: usize) {
        self.0[n / 64] |= 1 << (n % 64);
    }
    fn get(&self, n: NodeId) -> bool {
        let i = n as usize;
        self.0.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 != 0)
    }
}

impl Graph {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.kinds.len()
    }
    /// Number of edges, superseded components included.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }
    /// The node of a recordId (or of `unspecified:<reason>`).
    pub fn node(&self, record_id: &str) -> Option<NodeId> {
        self.ids.get(record_id)
    }
    /// The recordId of a node.
    pub fn id(&self, n: NodeId) -> &str {
        self.ids.resolve(n)
    }
    /// The kind of a node.
    pub fn kind(&self, n: NodeId) -> NodeKind {
        self.kinds
            .get(n as usize)
            .copied()
            .unwrap_or(NodeKind::Undeclared)
    }
    /// The declared name of a node.
    pub fn name(&self, n: NodeId) -> Option<&str> {
        self.names.get(n as usize).and_then(|s| s.as_deref())
    }
    /// The reason of an unspecified node.
    pub fn reason(&self, n: NodeId) -> Option<&str> {
        self.reasons.get(&n).map(|s| &**s)
    }
    /// The members of a body node (the directors of a board), in the order
    /// the data gives them.
    pub fn members(&self, n: NodeId) -> &[NodeId] {
        self.members.get(&n).map_or(&[], |m| m)
    }
    /// The interests in `n` declared beneficial ownership or control that
    /// are neither here (see [`DeclaredInterest`]).
    pub fn declared(&self, n: NodeId) -> &[DeclaredInterest] {
        let from = self.declared.partition_point(|d| d.subject < n);
        let to = from + self.declared[from..].partition_point(|d| d.subject == n);
        &self.declared[from..to]
    }
    /// Every such interest, by subject.
    pub fn all_declared(&self) -> &[DeclaredInterest] {
        &self.declared
    }
    /// The edges from `n` to its interested parties.
    pub fn edges(&self, n: NodeId) -> &[Edge] {
        let i = n as usize;
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.edges[a as usize..b as usize],
            _ => &[],
        }
    }
    /// Asks the cache for where the edges of `n` are, ahead of
    /// [`Graph::edges`].
    /// Asks the cache for where `n`'s id and name are kept (the first of
    /// two reads of each; see [`Graph::prefetch_text`]).
    pub(crate) fn prefetch_text_slots(&self, n: NodeId) {
        let i = n as usize;
        self.ids.prefetch_location(n);
        if let Some(s) = self.names.get(i) {
            mem_prefetch::prefetch_read_data::<_, 3>(s);
        }
        if let Some(k) = self.kinds.get(i) {
            mem_prefetch::prefetch_read_data::<_, 3>(k);
        }
    }
    /// Asks the cache for the text of `n`'s id and name, once
    /// [`Graph::prefetch_text_slots`] has brought where they are kept.
    pub(crate) fn prefetch_text(&self, n: NodeId) {
        self.ids.prefetch_resolved(n);
        if let Some(b) = self.name(n).and_then(|s| s.as_bytes().first()) {
            mem_prefetch::prefetch_read_data::<_, 3>(b);
        }
    }
    pub(crate) fn prefetch_edges(&self, n: NodeId) {
        if let Some(offset) = self.offsets.get(n as usize) {
            mem_prefetch::prefetch_read_data::<_, 3>(offset);
        }
    }
    /// The ownership share of an edge (meaningful when
    /// [`edge_flags::OWNERSHIP`] is set).
    pub fn share(&self, e: &Edge) -> ShareRange {
        self.shares
            .get(e.share as usize)
            .copied()
            .unwrap_or(ShareRange::UNKNOWN)
    }
    /// The recordId of the relationship behind edge `i` of `n` (the edge
    /// `g.edges(n)[i]`), or `""` when `n` has no such edge.
    pub fn relationship_id(&self, n: NodeId, i: usize) -> &str {
        let k = n as usize;
        match (self.offsets.get(k), self.offsets.get(k + 1)) {
            (Some(&a), Some(&b)) if (i as u64) < b - a => {
                self.relationship_ids.get(a as usize + i).map_or("", |s| s)
            }
            _ => "",
        }
    }
    /// Whether `n` is the interested party of a live edge (some node
    /// builds on it).
    pub fn is_party(&self, n: NodeId) -> bool {
        self.party.get(n)
    }
    /// Whether `n` has a live edge to an interested party.
    pub fn has_parties(&self, n: NodeId) -> bool {
        self.subject.get(n)
    }
    /// Whether `n` has parties and every path from it is one hop to a
    /// party at the top: at most 16 edges, whose live ones lead to
    /// distinct parties without parties. Its ultimate parties can be read
    /// off its edges, and it is in no cycle.
    pub fn is_one_hop(&self, n: NodeId) -> bool {
        self.one_hop.get(n)
    }
    /// The rank of `n` among the nodes that are a party, have parties and
    /// are not [one hop](Graph::is_one_hop) (dense, in node order), or
    /// `None` for any other node.
    pub(crate) fn intermediate(&self, n: NodeId) -> Option<usize> {
        self.intermediate.rank(n)
    }
    /// How many nodes are [intermediate](Graph::intermediate).
    pub(crate) fn intermediate_count(&self) -> usize {
        self.intermediate.len()
    }
    /// Whether `n` is [`NodeKind::Unspecified`] or [`NodeKind::Undeclared`]
    /// (as [`Graph::kind`] says, also for a node not in the graph).
    pub fn is_unknown(&self, n: NodeId) -> bool {
        (n as usize) >= self.kinds.len() || self.unknown.get(n)
    }
    /// Every node.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        0..self.kinds.len() as NodeId
    }
}

/// Builds a [`Graph`] from nodes and edges given in any order.
#[derive(Debug, Default)]
pub struct GraphBuilder {
    g: Graph,
    /// (subject, edge, relationship recordId).
    pending: Vec<(NodeId, Edge, Box<str>)>,
    /// The index of each distinct share in `g.shares`.
    share_index: hashbrown::HashMap<ShareBits, u32, FixedState>,
}

impl GraphBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares (or re-declares) a node.
    pub fn node(&mut self, id: &str, kind: NodeKind, name: Option<&str>) -> NodeId {
        let n = self.touch(id);
        self.declare(n, kind, name.map(Into::into));
        n
    }

    /// Declares node `n` (from [`GraphBuilder::touch`]) of `kind`, with its
    /// name if given.
    pub fn declare(&mut self, n: NodeId, kind: NodeKind, name: Option<Box<str>>) {
        self.g.kinds[n as usize] = kind;
        if name.is_some() {
            self.g.names[n as usize] = name;
        }
    }

    /// The node `unspecified:<reason>`, shared by every use of the reason.
    pub fn unspecified(&mut self, reason: &str) -> NodeId {
        let n = self.touch(&format!("unspecified:{reason}"));
        self.g.kinds[n as usize] = NodeKind::Unspecified;
        self.g.reasons.insert(n, reason.into());
        n
    }

    /// Records the reason of an anonymous or unknown person or entity.
    pub fn set_reason(&mut self, n: NodeId, reason: &str) {
        self.g.kinds[n as usize] = NodeKind::Unspecified;
        self.g.reasons.insert(n, reason.into());
    }

    /// The node for `id`, created as [`NodeKind::Undeclared`] if new.
    pub fn touch(&mut self, id: &str) -> NodeId {
        let (n, new) = self.g.ids.intern(id);
        self.grown(new);
        n
    }

    /// [`GraphBuilder::touch`], with `id`'s [`Interner::hash`].
    pub fn touch_hashed(&mut self, id: &str, h: IdHash) -> NodeId {
        let (n, new) = self.g.ids.intern_hashed(id, h);
        self.grown(new);
        n
    }

    /// The interner of the node ids, to hash and prefetch with.
    pub(crate) fn ids(&self) -> &Interner {
        &self.g.ids
    }

    fn grown(&mut self, new: bool) {
        if new {
            self.g.kinds.push(NodeKind::Undeclared);
            self.g.names.push(None);
        }
    }

    /// Adds an edge from `subject` to `party`; `relationship` names it.
    pub fn edge(
        &mut self,
        subject: NodeId,
        party: NodeId,
        share: ShareRange,
        flags: u16,
        relationship: &str,
    ) {
        let shares = &mut self.g.shares;
        let share = *self.share_index.entry(share.bits()).or_insert_with(|| {
            shares.push(share);
            // Fewer distinct shares than edges, and edges are counted in
            // `u32` (their relationships are numbered so).
            u32::try_from(shares.len() - 1).unwrap_or(u32::MAX)
        });
        self.pending.push((
            subject,
            Edge {
                party,
                share,
                flags,
            },
            relationship.into(),
        ));
    }

    /// The kind given so far to a node.
    pub fn kind(&self, n: NodeId) -> NodeKind {
        self.g.kind(n)
    }

    /// Records interests declared beneficial ownership or control that
    /// are neither here (see [`DeclaredInterest`]).
    pub fn declared(&mut self, d: DeclaredInterest) {
        self.g.declared.push(d);
    }

    /// Records the members of a body node.
    pub fn set_members(&mut self, body: NodeId, members: Vec<NodeId>) {
        self.g.members.insert(body, members.into_boxed_slice());
    }

    /// The record id of a node.
    pub fn id(&self, n: NodeId) -> &str {
        self.g.id(n)
    }

    /// The name given so far to a node.
    pub fn name(&self, n: NodeId) -> Option<&str> {
        self.g.name(n)
    }

    /// Changes the kind of a node.
    pub fn set_kind(&mut self, n: NodeId, kind: NodeKind) {
        if let Some(k) = self.g.kinds.get_mut(n as usize) {
            *k = kind;
        }
    }

    /// Finishes the CSR arrays.
    pub fn build(mut self) -> Graph {
        let n = self.g.kinds.len();
        let mut counts = vec![0u64; n + 1];
        for (s, _, _) in &self.pending {
            counts[*s as usize + 1] += 1;
        }
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let mut fill = counts.clone();
        let placeholder = Edge {
            party: 0,
            share: 0,
            flags: 0,
        };
        let mut edges = vec![placeholder; self.pending.len()];
        let mut relationship_ids: Vec<Box<str>> = vec![Box::from(""); self.pending.len()];
        let (mut party, mut subject) = (NodeBits::new(n), NodeBits::new(n));
        for (s, e, r) in self.pending.drain(..) {
            if e.is_live() {
                party.set(e.party as usize);
                subject.set(s as usize);
            }
            let slot = &mut fill[s as usize];
            edges[*slot as usize] = e;
            relationship_ids[*slot as usize] = r;
            *slot += 1;
        }
        self.g.relationship_ids = relationship_ids;
        self.g.declared.sort_by_key(|d| (d.subject, d.party));
        let mut one_hop = NodeBits::new(n);
        for v in (0..n).filter(|&v| subject.get(v as NodeId)) {
            let mine = &edges[counts[v] as usize..counts[v + 1] as usize];
            let live = || mine.iter().filter(|e| e.is_live());
            // Parties are matched pairwise, so only for a few edges.
            if mine.len() <= 16
                && live().all(|e| !subject.get(e.party))
                && live()
                    .enumerate()
                    .all(|(i, e)| live().take(i).all(|f| f.party != e.party))
            {
                one_hop.set(v);
            }
        }
        let deeper = (party.0.iter().zip(&subject.0).zip(&one_hop.0))
            .map(|((p, s), o)| p & s & !o)
            .collect();
        self.g.intermediate = NodeRanks::new(NodeBits(deeper));
        self.g.one_hop = one_hop;
        self.g.party = party;
        self.g.subject = subject;
        let mut unknown = NodeBits::new(n);
        for (i, k) in self.g.kinds.iter().enumerate() {
            if matches!(k, NodeKind::Unspecified | NodeKind::Undeclared) {
                unknown.set(i);
            }
        }
        self.g.unknown = unknown;
        self.g.offsets = counts;
        self.g.edges = edges;
        self.g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The intermediate nodes (a party with parties, not one hop) get the ranks
    /// 0, 1, 2... in node order, across word boundaries; no other node
    /// gets one, nor does a node outside the graph.
    #[test]
    fn intermediate_nodes_are_ranked_densely_in_node_order() {
        let mut b = GraphBuilder::new();
        let nodes: Vec<NodeId> = (0..300)
            .map(|i| b.node(&format!("n{i}"), NodeKind::Entity, None))
            .collect();
        for i in (0..300).filter(|i| i % 3 != 0) {
            let flags = if i % 11 == 0 {
                edge_flags::SUPERSEDED
            } else {
                edge_flags::CONTROL
            };
            b.edge(
                nodes[i],
                nodes[(i * 7 + 3) % 300],
                ShareRange::UNKNOWN,
                flags,
                "r",
            );
        }
        let g = b.build();
        let mut next = 0;
        for n in g.nodes() {
            if g.is_party(n) && g.has_parties(n) && !g.is_one_hop(n) {
                assert_eq!(g.intermediate(n), Some(next), "node {n}");
                next += 1;
            } else {
                assert_eq!(g.intermediate(n), None, "node {n}");
            }
        }
        assert!(next > 64, "the test should cross words ({next})");
        assert!(g.nodes().any(|n| g.is_party(n) && g.is_one_hop(n)));
        assert_eq!(g.intermediate_count(), next);
        assert_eq!(g.intermediate(g.node_count() as NodeId + 5), None);
    }

    /// A node is one hop when its live edges, at most 16, lead to
    /// distinct parties without parties.
    #[test]
    fn one_hop_nodes_have_distinct_parties_at_the_top() {
        let mut b = GraphBuilder::new();
        let mut node = |id: &str, kind| b.node(id, kind, None);
        let (p, q) = (node("p", NodeKind::Person), node("q", NodeKind::Person));
        let [two, twice, deep, dead, wide, top] =
            ["two", "twice", "deep", "dead", "wide", "top"].map(|id| node(id, NodeKind::Entity));
        let people: Vec<NodeId> = (0..17)
            .map(|i| node(&format!("w{i}"), NodeKind::Person))
            .collect();
        let own = edge_flags::OWNERSHIP;
        let mut edge = |s, t, flags| b.edge(s, t, ShareRange::UNKNOWN, flags, "r");
        edge(two, p, own);
        edge(two, q, own);
        edge(twice, p, own);
        edge(twice, p, edge_flags::CONTROL);
        edge(deep, two, own);
        edge(deep, p, own);
        // A superseded edge is not followed: `dead` reaches `p` alone.
        edge(dead, deep, own | edge_flags::SUPERSEDED);
        edge(dead, p, own);
        for &w in &people {
            edge(wide, w, own);
        }
        let g = b.build();
        assert!(g.is_one_hop(two));
        assert!(g.is_one_hop(dead));
        assert!(!g.is_one_hop(twice), "the same party twice");
        assert!(!g.is_one_hop(deep), "a party with parties");
        assert!(!g.is_one_hop(wide), "17 edges");
        assert!(!g.is_one_hop(top) && !g.is_one_hop(p), "no parties");
        // `two` is a party with parties, but one hop: not intermediate.
        assert!(g.is_party(two) && g.intermediate(two).is_none());
        assert_eq!(g.intermediate_count(), 0);
    }
}
