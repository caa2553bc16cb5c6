//! Ultimate owners and controllers of every entity, cycles, and chains.
//!
//! # The rules
//!
//! * A path runs from an entity up through its interested parties. A path
//!   is an **ownership path** when every hop carries an economic interest;
//!   its share is the product of the hops' shares. It is a **control path**
//!   when every hop confers control (see the crate docs).
//! * A party is **ultimate** for a kind of path when it has no parties above
//!   it of that kind: a person, an unspecified party, or an entity at the
//!   top. A node with no parties at all is ultimate for every kind.
//! * The share of an ultimate owner is the sum over its ownership paths, as
//!   an exact range. Paths through a party with an unknown share give an
//!   `unknown` range whose bounds are still true bounds.
//! * Cycles are the strongly connected components (Tarjan) of the graph.
//!   Inside a component, paths are **simple**: a path that would revisit a
//!   node stops there and is counted as cut, and the component is reported.
//!   Paths leave the component to the owners above it, whose results are
//!   already known. So every resolution terminates. A component's
//!   enumeration has one step budget, [`AnalysisOptions::max_cycle_steps`]
//!   (simple paths are exponential in general: a ring of n members has
//!   n² steps, a complete graph more than n!). When it runs out, the
//!   component is marked truncated, and the members not yet enumerated get
//!   their parties by reachability instead, in time linear in the
//!   component and its lists: each party is still found, by each kind of
//!   path, but its share is only bounded and its counts and depths are
//!   lower bounds ([`Ultimate::truncated`]).
//!
//! Architecture invariant: the work is linear in the size of the results
//! outside cycles. Tarjan's algorithm, run over the intermediate parties
//! only, orders the components and gives each a level above the levels of
//! its parties. Each intermediate party's result list is computed once,
//! level by level (the components of a level in parallel), stored, and
//! reused by every node below it. A [one-hop](Graph::is_one_hop) party's
//! list is read off its edges, as it would be stored. The list of a node
//! that is nobody's party is derived from its parties' lists when it is
//! asked for, and never stored. Results do not depend on the number of
//! threads.

use crate::graph::{Edge, Graph, NodeId, NodeKind};
use crate::progress::Progress;
use crate::share::{ShareBits, ShareRange};
use foldhash::fast::FixedState;

/// Limits of the analysis.
#[derive(Clone, Copy, Debug)]
pub struct AnalysisOptions {
    /// Steps of simple-path enumeration allowed per cycle (strongly
    /// connected component), for all its members together.
    pub max_cycle_steps: u64,
    /// Worker threads: 0 uses rayon's pool (every core), 1 runs on the
    /// calling thread.
    pub threads: usize,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            max_cycle_steps: 1_000_000,
            threads: 0,
        }
    }
}

/// One ultimate party of one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ultimate {
    /// The ultimate party.
    pub party: NodeId,
    /// Sum over ownership paths of the product of shares.
    pub share: ShareRange,
    /// Number of ownership paths (saturating at `u32::MAX`).
    pub ownership_paths: u32,
    /// Number of control paths (saturating at `u32::MAX`).
    pub control_paths: u32,
    /// Number of paths of any interests ending at a party with no parties
    /// above it (saturating at `u32::MAX`); the peers' notion of "ultimate
    /// owner".
    pub any_paths: u32,
    /// Shortest path, in hops.
    pub min_depth: u32,
    /// Longest path, in hops.
    pub max_depth: u32,
    /// At least one path runs through a cycle.
    pub via_cycle: bool,
    /// A path count reached `u32::MAX` and stopped there: the counts are
    /// lower bounds.
    pub saturated: bool,
    /// Reached through a cycle whose simple paths were not all enumerated
    /// (its step budget, [`AnalysisOptions::max_cycle_steps`], ran out):
    /// the party is reached by each kind of path shown, but the share is
    /// only bounded (at most 100%), and the counts and depths are lower
    /// bounds.
    pub truncated: bool,
}

impl Ultimate {
    /// Whether the party is an ultimate owner (an ownership path ends there).
    pub fn is_owner(&self) -> bool {
        self.ownership_paths > 0
    }
    /// Whether the party is an ultimate controller.
    pub fn is_controller(&self) -> bool {
        self.control_paths > 0
    }
    /// Whether the party has no parties above it at all.
    pub fn is_top(&self) -> bool {
        self.any_paths > 0
    }

    fn merge(&mut self, o: &Ultimate) {
        if o.ownership_paths > 0 {
            self.share = if self.ownership_paths > 0 {
                self.share.add(&o.share)
            } else {
                o.share
            };
        }
        let mut saturated = o.saturated;
        let mut add = |a: &mut u32, b: u32| match a.checked_add(b) {
            Some(s) => *a = s,
            None => {
                *a = u32::MAX;
                saturated = true;
            }
        };
        add(&mut self.ownership_paths, o.ownership_paths);
        add(&mut self.control_paths, o.control_paths);
        add(&mut self.any_paths, o.any_paths);
        self.saturated |= saturated;
        self.min_depth = self.min_depth.min(o.min_depth);
        self.max_depth = self.max_depth.max(o.max_depth);
        self.via_cycle |= o.via_cycle;
        self.truncated |= o.truncated;
    }
}

/// A strongly connected component with more than one node, or a node that
/// owns itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    /// The members, in the order Tarjan found them.
    pub members: Vec<NodeId>,
    /// One cycle through the component, first node repeated at the end.
    pub example: Vec<NodeId>,
    /// Paths stopped because they would revisit a node (while the paths
    /// were enumerated: a lower bound when `truncated`).
    pub cut_paths: u64,
    /// The step budget ([`AnalysisOptions::max_cycle_steps`], for the
    /// whole cycle) ran out: the members after the first `enumerated`
    /// have their parties found by reachability, their entries marked
    /// [truncated](Ultimate::truncated).
    pub truncated: bool,
    /// Members whose simple paths were all enumerated: their lists are
    /// exact.
    pub enumerated: u64,
    /// Members whose parties could not be listed within the work allowed
    /// ([`BOUNDED_WORK`] times the step budget), in the cycle's order:
    /// their lists are empty.
    pub unresolved: Vec<NodeId>,
}

/// Figures for a whole register.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Entity nodes analysed (closed records excluded).
    pub entities: u64,
    /// Entities no party is declared to own or control (a party holding
    /// neither, such as a nominee's nomination, gives no edge).
    pub entities_without_parties: u64,
    /// Entities with at least one ultimate owner other than themselves.
    pub entities_with_owner: u64,
    /// Entities with at least one ultimate controller other than themselves.
    pub entities_with_controller: u64,
    /// Entities one of whose ultimate parties is unspecified or undeclared.
    pub entities_with_unknown_party: u64,
    /// Entities in a cycle.
    pub entities_in_cycles: u64,
    /// Entities whose paths reach a cycle.
    pub entities_via_cycles: u64,
    /// (entity, ultimate party) pairs, self excluded.
    pub pairs: u64,
    /// Pairs with an ownership path.
    pub ownership_pairs: u64,
    /// Pairs with a control path.
    pub control_pairs: u64,
    /// Cycles found.
    pub cycles: u64,
    /// Members of the largest cycle.
    pub largest_cycle: u64,
    /// Cycles whose enumeration was truncated.
    pub truncated_cycles: u64,
    /// Entities with parties but no ultimate party: every path from them
    /// runs into a cycle that no party outside it holds.
    pub entities_only_through_cycles: u64,
    /// Members of truncated cycles whose parties could not be listed at
    /// all ([`Cycle::unresolved`]).
    pub entities_unresolved: u64,
    /// `depth_histogram[d]`: entities whose longest chain to an ultimate
    /// party has `d` hops (0: no parties).
    pub depth_histogram: Vec<u64>,
    /// Depths past the end of `depth_histogram`, not yet counted in it: a
    /// chunk's figures are merged by [`Stats::add`], which counts them. (A
    /// chain of 200,000 resolves one entity per level; sizing each level's
    /// histogram to its depth made the whole quadratic.) Empty in the
    /// figures of a finished analysis.
    #[serde(skip)]
    pub depth_pending: Vec<u32>,
}

/// The ultimate parties of every node, and the cycles.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Result lists, one segment per chunk of work.
    segments: Vec<Segment>,
    /// Per intermediate node (a party with parties beyond one hop, by its
    /// rank in [`Graph::intermediate`]), where its list is and its cycle:
    /// one cache line holds four. Any other node's list is read off its
    /// edges or synthesised, and it is in no cycle ([`TOP`]).
    slots: Vec<Slot>,
    /// Every cycle found.
    pub cycles: Vec<Cycle>,
    /// Figures for the register.
    pub stats: Stats,
}

/// Where a node's result list is stored, and the cycle it belongs to.
#[derive(Clone, Copy, Debug)]
struct Slot {
    /// The segment of the list, or `SYNTH` when the list is not stored.
    segment: u32,
    offset: u32,
    len: u32,
    cycle: u32,
}

const NONE: u32 = u32::MAX;
const SYNTH: u32 = u32::MAX;
/// The slot of a node that is not intermediate: its list is synthesised
/// (or derived), and it is in no cycle.
const TOP: Slot = Slot {
    segment: SYNTH,
    offset: 0,
    len: 0,
    cycle: NONE,
};
/// The most result entries reserved ahead for one chunk (32 MiB).
const MAX_RESERVE: usize = 1 << 20;
/// How many nodes ahead the walks ask the cache for what they will read.
const AHEAD: usize = 8;
/// Components per unit of parallel work, at most.
const CHUNK: usize = 4096;
/// Components per unit of parallel work, at least: the upper levels of a
/// deep register have a few thousand components, whose lists are the
/// longest, and are still split between the threads.
const MIN_CHUNK: usize = 256;

fn self_entry(g: &Graph, n: NodeId) -> Option<Ultimate> {
    let mut own = false;
    let mut ctrl = false;
    let mut any = false;
    for e in g.edges(n).iter().filter(|e| e.is_live()) {
        any = true;
        own |= e.is_ownership();
        ctrl |= e.is_control();
    }
    if own && ctrl && any {
        return None;
    }
    Some(Ultimate {
        party: n,
        share: ShareRange::ONE,
        ownership_paths: u32::from(!own),
        control_paths: u32::from(!ctrl),
        any_paths: u32::from(!any),
        min_depth: 0,
        max_depth: 0,
        via_cycle: false,
        saturated: false,
        truncated: false,
    })
}

/// An entry of a list merged by party.
trait Merge {
    fn party(&self) -> NodeId;
    /// Adds another entry for the same party.
    fn merge(&mut self, other: &Self);
}

impl Merge for Ultimate {
    fn party(&self) -> NodeId {
        self.party
    }
    fn merge(&mut self, other: &Self) {
        Ultimate::merge(self, other);
    }
}

/// Lists merged by party: a vector, with an index once it grows.
struct Scratch<T = Ultimate> {
    items: Vec<T>,
    index: hashbrown::HashMap<NodeId, usize, FixedState>,
}

impl<T: Merge> Scratch<T> {
    fn new() -> Self {
        Scratch {
            items: Vec::new(),
            index: hashbrown::HashMap::default(),
        }
    }
    fn clear(&mut self) {
        self.items.clear();
        if !self.index.is_empty() {
            self.index = hashbrown::HashMap::default();
        }
    }
    fn add(&mut self, u: T) {
        if self.items.len() < 24 {
            if let Some(x) = self.items.iter_mut().find(|x| x.party() == u.party()) {
                x.merge(&u);
                return;
            }
            self.items.push(u);
            if self.items.len() == 24 {
                for (i, x) in self.items.iter().enumerate() {
                    self.index.insert(x.party(), i);
                }
            }
            return;
        }
        match self.index.get(&u.party()) {
            Some(&i) => self.items[i].merge(&u),
            None => {
                self.index.insert(u.party(), self.items.len());
                self.items.push(u);
            }
        }
    }
}

/// What the statistics need of one (entity, ultimate party) pair: the
/// pair without its share, which is costly to multiply out.
#[derive(Clone, Copy)]
struct Reach {
    party: NodeId,
    own: bool,
    ctrl: bool,
    via_cycle: bool,
    depth: u32,
}

impl Merge for Reach {
    fn party(&self) -> NodeId {
        self.party
    }
    fn merge(&mut self, o: &Self) {
        self.own |= o.own;
        self.ctrl |= o.ctrl;
        self.via_cycle |= o.via_cycle;
        self.depth = self.depth.max(o.depth);
    }
}

/// The strongly connected components that need resolving, grouped by
/// level: a component's level is one more than the highest level among the
/// parties above it; a node with no parties (its result is synthesised)
/// and a one-hop node (its list is read off its edges) have level 0.
/// Components of one level never depend on each other.
///
/// Only the lists other nodes build on, beyond one hop, are resolved and
/// stored: those of intermediate parties, cycle members among them. The
/// list of an entity that is nobody's party is derived from its parties'
/// lists when it is asked for.
struct Plan {
    /// Members of each component, component after component.
    members: Vec<NodeId>,
    /// Component `c` is `members[member_start[c]..member_start[c + 1]]`.
    member_start: Vec<usize>,
    /// Component ids, level 1 first.
    by_level: Vec<u32>,
    /// Level `l` (from 1) is `by_level[level_start[l - 1]..level_start[l]]`.
    level_start: Vec<usize>,
    /// The cycle each intermediate node belongs to (by rank), or `NONE`.
    node_cycle: Vec<u32>,
    /// The cycles, with their members; findings are added when resolved.
    cycles: Vec<Cycle>,
}

impl Plan {
    /// Iterative Tarjan. Components are emitted after every component
    /// above them, so each one's level is known when it is emitted.
    fn of(g: &Graph) -> Plan {
        let n = g.node_count();
        // Only intermediate nodes (parties with parties, beyond one hop)
        // are numbered: every array here is indexed by their rank.
        let m = g.intermediate_count();
        let mut plan = Plan {
            members: Vec::new(),
            member_start: vec![0],
            by_level: Vec::new(),
            level_start: Vec::new(),
            node_cycle: vec![NONE; m],
            cycles: Vec::new(),
        };
        let mut levels: Vec<u32> = Vec::new();
        let mut index = vec![NONE; m];
        // The low link while a node is on the stack, its level afterwards.
        let mut low = vec![0u32; m];
        let mut on_stack = vec![false; m];
        let mut stack: Vec<(NodeId, usize)> = Vec::new();
        /// A node being explored (and its rank), with the highest level
        /// among the parties outside its component seen so far, from it
        /// and from the members of its component explored below it.
        struct Frame {
            node: NodeId,
            rank: usize,
            pos: usize,
            above: u32,
            self_loop: bool,
        }
        let frame = |node, rank| Frame {
            node,
            rank,
            pos: 0,
            above: 0,
            self_loop: false,
        };
        let mut call: Vec<Frame> = Vec::new();
        let mut counter = 0u32;
        for root in 0..n as NodeId {
            // Nobody's party (not in a cycle, and nothing builds on it), a
            // party at the top, or a one-hop party (nothing to resolve) is
            // not intermediate.
            let Some(r) = g.intermediate(root) else {
                continue;
            };
            if index[r] != NONE {
                continue;
            }
            index[r] = counter;
            low[r] = counter;
            counter += 1;
            stack.push((root, r));
            on_stack[r] = true;
            call.push(frame(root, r));
            while let Some(f) = call.last_mut() {
                let (v, vr) = (f.node, f.rank);
                let edges = g.edges(v);
                if f.pos < edges.len() {
                    let e = edges[f.pos];
                    f.pos += 1;
                    if !e.is_live() {
                        continue;
                    }
                    if e.party == v {
                        f.self_loop = true;
                        continue;
                    }
                    match g.intermediate(e.party) {
                        // A party at the top or one hop: its list needs no
                        // resolving (level 0), and it is never numbered.
                        None => f.above = f.above.max(1),
                        Some(w) if index[w] == NONE => {
                            index[w] = counter;
                            low[w] = counter;
                            counter += 1;
                            stack.push((e.party, w));
                            on_stack[w] = true;
                            call.push(frame(e.party, w));
                        }
                        // In the same component.
                        Some(w) if on_stack[w] => low[vr] = low[vr].min(index[w]),
                        // A finished component: `low` holds its level.
                        Some(w) => f.above = f.above.max(low[w] + 1),
                    }
                    continue;
                }
                let Some(done) = call.pop() else { break };
                if low[vr] != index[vr] {
                    // Part of a component rooted further up.
                    if let Some(p) = call.last_mut() {
                        low[p.rank] = low[p.rank].min(low[vr]);
                        p.above = p.above.max(done.above);
                    }
                    continue;
                }
                let level = done.above.max(1);
                let first = plan.members.len();
                while let Some((m, mr)) = stack.pop() {
                    on_stack[mr] = false;
                    low[mr] = level;
                    plan.members.push(m);
                    if m == v {
                        break;
                    }
                }
                let members = &plan.members[first..];
                if members.len() > 1 || done.self_loop {
                    let id = u32::try_from(plan.cycles.len()).unwrap_or(NONE);
                    for &m in members {
                        if let Some(mr) = g.intermediate(m) {
                            plan.node_cycle[mr] = id;
                        }
                    }
                    plan.cycles.push(Cycle {
                        members: members.to_vec(),
                        example: Vec::new(),
                        cut_paths: 0,
                        truncated: false,
                        enumerated: 0,
                        unresolved: Vec::new(),
                    });
                }
                levels.push(level);
                plan.member_start.push(plan.members.len());
                if let Some(p) = call.last_mut() {
                    p.above = p.above.max(level + 1);
                }
            }
        }
        // Counting sort of the components by level.
        let top = levels.iter().copied().max().unwrap_or(0) as usize;
        let mut start = vec![0usize; top + 1];
        for &l in &levels {
            start[l as usize] += 1;
        }
        let mut acc = 0;
        for s in &mut start {
            let count = *s;
            *s = acc;
            acc += count;
        }
        plan.level_start = start[1..].to_vec();
        plan.level_start.push(acc);
        plan.by_level = vec![0; levels.len()];
        for (c, &l) in levels.iter().enumerate() {
            plan.by_level[start[l as usize]] = c as u32;
            start[l as usize] += 1;
        }
        // Within a level, in node order: the graph is read sequentially.
        for l in 0..plan.level_start.len().saturating_sub(1) {
            let range = plan.level_start[l]..plan.level_start[l + 1];
            let (members, member_start) = (&plan.members, &plan.member_start);
            plan.by_level[range].sort_unstable_by_key(|&c| members[member_start[c as usize]]);
        }
        plan
    }

    fn members(&self, c: u32) -> &[NodeId] {
        &self.members[self.member_start[c as usize]..self.member_start[c as usize + 1]]
    }
}

/// A stored result: an [`Ultimate`] whose share is an index into its
/// segment's table of distinct shares. A register's results have few
/// distinct shares (2,220 among 1.3M results on the groups bench), so an
/// entry is 32 bytes instead of 64.
#[derive(Clone, Copy, Debug)]
struct Entry {
    party: NodeId,
    share: u32,
    ownership_paths: u32,
    control_paths: u32,
    any_paths: u32,
    min_depth: u32,
    max_depth: u32,
    via_cycle: bool,
    saturated: bool,
    truncated: bool,
}

impl Entry {
    /// `u` with its share's index.
    fn of(u: &Ultimate, share: u32) -> Entry {
        Entry {
            party: u.party,
            share,
            ownership_paths: u.ownership_paths,
            control_paths: u.control_paths,
            any_paths: u.any_paths,
            min_depth: u.min_depth,
            max_depth: u.max_depth,
            via_cycle: u.via_cycle,
            saturated: u.saturated,
            truncated: u.truncated,
        }
    }
}

/// The result lists one chunk of work stored, and their distinct shares.
#[derive(Debug, Default)]
struct Segment {
    entries: Vec<Entry>,
    shares: Vec<ShareRange>,
}

impl Segment {
    fn share(&self, e: &Entry) -> &ShareRange {
        self.shares
            .get(e.share as usize)
            .unwrap_or(&ShareRange::ZERO)
    }

    fn ultimate(&self, e: &Entry) -> Ultimate {
        Ultimate {
            party: e.party,
            share: *self.share(e),
            ownership_paths: e.ownership_paths,
            control_paths: e.control_paths,
            any_paths: e.any_paths,
            min_depth: e.min_depth,
            max_depth: e.max_depth,
            via_cycle: e.via_cycle,
            saturated: e.saturated,
            truncated: e.truncated,
        }
    }
}

/// What one chunk of components found.
#[derive(Default)]
struct Found {
    segment: Segment,
    /// The index of each distinct share (by its exact bits) in the segment.
    share_ids: hashbrown::HashMap<ShareBits, u32, FixedState>,
    /// (node, offset in `segment.entries`, length).
    spans: Vec<(NodeId, u32, u32)>,
    /// What resolving each cycle found.
    cycles: Vec<CycleFinding>,
    nodes: u64,
    /// The figures of the entities whose lists the chunk stored.
    stats: Stats,
}

/// What resolving one cycle found, for its [`Cycle`].
struct CycleFinding {
    id: u32,
    example: Vec<NodeId>,
    cut_paths: u64,
    truncated: bool,
    enumerated: u64,
    unresolved: Vec<NodeId>,
}

/// Resolves components, reading the results of lower levels.
struct Resolver<'a> {
    g: &'a Graph,
    analysis: &'a Analysis,
    plan: &'a Plan,
    options: &'a AnalysisOptions,
    scratch: Scratch,
    on_path: hashbrown::HashSet<NodeId, FixedState>,
    found: Found,
}

impl Resolver<'_> {
    fn component(&mut self, c: u32) {
        let members = self.plan.members(c);
        self.found.nodes += members.len() as u64;
        match members {
            &[v] if self.analysis.cycle(self.g, v) == NONE => self.trivial(v),
            _ => self.cycle(self.analysis.cycle(self.g, members[0]), members),
        }
    }

    fn store(&mut self, v: NodeId) {
        let f = &mut self.found;
        let offset = u32::try_from(f.segment.entries.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(self.scratch.items.len()).unwrap_or(u32::MAX);
        f.spans.push((v, offset, len));
        for u in &self.scratch.items {
            let shares = &mut f.segment.shares;
            let share = *f.share_ids.entry(u.share.bits()).or_insert_with(|| {
                shares.push(u.share);
                // Fewer distinct shares than entries, which are counted in
                // `u32` (offsets).
                u32::try_from(shares.len() - 1).unwrap_or(u32::MAX)
            });
            f.segment.entries.push(Entry::of(u, share));
        }
    }

    /// The figures of the entities whose lists this chunk stored (none of
    /// them is one hop).
    fn stored_stats(&self) -> Stats {
        let (g, f) = (self.g, &self.found);
        let mut s = Stats::default();
        let unresolved: hashbrown::HashSet<NodeId, FixedState> = f
            .cycles
            .iter()
            .flat_map(|c| c.unresolved.iter().copied())
            .collect();
        for &(n, offset, len) in &f.spans {
            if g.kind(n) != NodeKind::Entity {
                continue;
            }
            s.entities_in_cycles += u64::from(self.analysis.cycle(g, n) != NONE);
            if unresolved.contains(&n) {
                s.entities_unresolved += 1;
                s.depth_pending.push(0);
                continue;
            }
            let mut tally = Tally::default();
            let entries = &f.segment.entries[offset as usize..(offset + len) as usize];
            for u in entries.iter().filter(|u| u.party != n || u.min_depth > 0) {
                let (own, ctrl) = (u.ownership_paths > 0, u.control_paths > 0);
                tally.pair(&mut s, g, u.party, own, ctrl, u.via_cycle, u.max_depth);
            }
            tally.entity(&mut s, true);
        }
        s
    }

    fn trivial(&mut self, v: NodeId) {
        self.analysis.derive(self.g, v, &mut self.scratch);
        self.store(v);
    }

    /// Simple paths from each member through the component, continued by
    /// the results of the parties outside it, within one step budget for
    /// the whole component; the members left when it runs out are
    /// [bounded](Resolver::bounded).
    fn cycle(&mut self, id: u32, members: &[NodeId]) {
        struct Frame {
            node: NodeId,
            pos: usize,
            share: ShareRange,
            own: bool,
            ctrl: bool,
            depth: u32,
        }
        let g = self.g;
        let budget = self.options.max_cycle_steps;
        let (mut steps, mut cut_paths, mut example) = (0u64, 0u64, Vec::new());
        let mut enumerated = members.len();
        'members: for (i, &v) in members.iter().enumerate() {
            self.scratch.clear();
            if let Some(s) = self_entry(g, v) {
                self.scratch.add(s);
            }
            let mut frames = vec![Frame {
                node: v,
                pos: 0,
                share: ShareRange::ONE,
                own: true,
                ctrl: true,
                depth: 0,
            }];
            self.on_path.clear();
            self.on_path.insert(v);
            while let Some(f) = frames.last_mut() {
                let edges = g.edges(f.node);
                if f.pos >= edges.len() {
                    self.on_path.remove(&f.node);
                    frames.pop();
                    continue;
                }
                let e = edges[f.pos];
                f.pos += 1;
                if !e.is_live() {
                    continue;
                }
                let x = e.party;
                if self.analysis.cycle(g, x) != id {
                    let (share, own, ctrl, depth) = (f.share, f.own, f.ctrl, f.depth);
                    let s = &mut self.scratch;
                    self.analysis
                        .extend(g, s, &e, &share, own, ctrl, depth, true);
                    continue;
                }
                if self.on_path.contains(&x) {
                    cut_paths += 1;
                    if example.is_empty() {
                        example = frames
                            .iter()
                            .map(|f| f.node)
                            .skip_while(|&n| n != x)
                            .collect();
                        example.push(x);
                    }
                    continue;
                }
                steps += 1;
                if steps > budget {
                    // This member's list is incomplete: it and the members
                    // after it are bounded instead.
                    enumerated = i;
                    break 'members;
                }
                let own = f.own && e.is_ownership();
                let ctrl = f.ctrl && e.is_control();
                let share = if own {
                    f.share.mul(&g.share(&e))
                } else {
                    ShareRange::ZERO
                };
                let depth = f.depth + 1;
                if let Some(mut s) = self_entry(g, x) {
                    s.ownership_paths &= u32::from(own);
                    s.control_paths &= u32::from(ctrl);
                    s.share = share;
                    s.min_depth = depth;
                    s.max_depth = depth;
                    s.via_cycle = true;
                    if s.ownership_paths > 0 || s.control_paths > 0 {
                        self.scratch.add(s);
                    }
                }
                self.on_path.insert(x);
                frames.push(Frame {
                    node: x,
                    pos: 0,
                    share,
                    own,
                    ctrl,
                    depth,
                });
            }
            self.store(v);
        }
        let truncated = enumerated < members.len();
        let unresolved = if truncated {
            self.bounded(id, members, enumerated)
        } else {
            Vec::new()
        };
        self.found.cycles.push(CycleFinding {
            id,
            example,
            cut_paths,
            truncated,
            enumerated: enumerated as u64,
            unresolved,
        });
    }

    /// The lists of the members from `members[from]` on, whose simple
    /// paths were not enumerated, found by reachability instead: a party
    /// is listed for a member when a path leads there inside the cycle and
    /// beyond it, by ownership, by control or by any interests, as the
    /// cycle's strongly connected components over its ownership edges and
    /// over its control edges say. The entries are marked
    /// [truncated](Ultimate::truncated): a share is bounded by what its
    /// last step out of the cycle leaves, `[0, that]` (a true bound when
    /// the holdings in each entity add up to at most the whole: the paths
    /// to one member then carry at most all of it), and counts and depths
    /// are lower bounds. Linear in the cycle's size and its lists;
    /// when the lists outgrow [`BOUNDED_WORK`] times the step budget, the
    /// members left are stored with no list and returned, unresolved.
    fn bounded(&mut self, id: u32, members: &[NodeId], from: usize) -> Vec<NodeId> {
        let g = self.g;
        let mut work = Work(
            self.options
                .max_cycle_steps
                .saturating_mul(BOUNDED_WORK)
                .max(BOUNDED_WORK_MIN),
        );
        let local: hashbrown::HashMap<NodeId, u32, FixedState> = members
            .iter()
            .enumerate()
            .map(|(i, &m)| (m, i as u32))
            .collect();
        // What each member adds at the end of a path inside the cycle: its
        // own entry when it is ultimate for some kind of path, and the
        // lists of its parties outside the cycle.
        let mut sources: Vec<u32> = Vec::new();
        let mut source_of = vec![NONE; members.len()];
        let mut adds: Vec<Ultimate> = Vec::new();
        let mut adds_start = vec![0usize];
        let bound = |u: &mut Ultimate| {
            u.share = if u.ownership_paths > 0 {
                ShareRange {
                    lo: rust_decimal::Decimal::ZERO,
                    lo_open: false,
                    ..u.share
                }
            } else {
                ShareRange::ZERO
            };
            u.via_cycle = true;
            u.truncated = true;
        };
        for (i, &m) in members.iter().enumerate() {
            self.scratch.clear();
            if let Some(mut s) = self_entry(g, m) {
                (s.min_depth, s.max_depth) = (1, 1);
                self.scratch.add(s);
            }
            for e in g.edges(m).iter().filter(|e| e.is_live()) {
                if self.analysis.cycle(g, e.party) != id {
                    let s = &mut self.scratch;
                    self.analysis
                        .extend(g, s, e, &ShareRange::ONE, true, true, 0, true);
                }
            }
            if self.scratch.items.is_empty() {
                continue;
            }
            source_of[i] = sources.len() as u32;
            sources.push(i as u32);
            for u in &mut self.scratch.items {
                bound(u);
            }
            adds.extend_from_slice(&self.scratch.items);
            adds_start.push(adds.len());
        }
        let own = Reachable::within(
            g,
            members,
            &local,
            &source_of,
            Edge::is_ownership,
            &mut work,
        );
        let ctrl = Reachable::within(g, members, &local, &source_of, Edge::is_control, &mut work);
        let mut groups: hashbrown::HashMap<(u32, u32), Vec<Ultimate>, FixedState> =
            hashbrown::HashMap::default();
        let mut unresolved = Vec::new();
        for (i, &v) in members.iter().enumerate().skip(from) {
            let (Some(own), Some(ctrl)) = (&own, &ctrl) else {
                unresolved.push(v);
                self.scratch.clear();
                self.store(v);
                continue;
            };
            let key = (own.component[i], ctrl.component[i]);
            if !groups.contains_key(&key) && work.spend(adds.len() as u64) {
                let (own_set, ctrl_set) = (own.set(key.0), ctrl.set(key.1));
                self.scratch.clear();
                for (n, span) in adds_start.windows(2).enumerate() {
                    let own_ok = own_set.binary_search(&(n as u32)).is_ok();
                    let ctrl_ok = ctrl_set.binary_search(&(n as u32)).is_ok();
                    for u in &adds[span[0]..span[1]] {
                        let mut u = *u;
                        if !own_ok {
                            u.ownership_paths = 0;
                            u.share = ShareRange::ZERO;
                        }
                        if !ctrl_ok {
                            u.control_paths = 0;
                        }
                        if u.ownership_paths > 0 || u.control_paths > 0 || u.any_paths > 0 {
                            self.scratch.add(u);
                        }
                    }
                }
                groups.insert(key, std::mem::take(&mut self.scratch.items));
            }
            let list = match groups.get(&key) {
                Some(list) if work.spend(list.len() as u64) => list,
                _ => {
                    unresolved.push(v);
                    self.scratch.clear();
                    self.store(v);
                    continue;
                }
            };
            // A member's own entry is its own, at no distance; no simple
            // path from it comes back to it.
            self.scratch.clear();
            if let Some(s) = self_entry(g, v) {
                self.scratch.items.push(s);
            }
            let others = list.iter().filter(|u| u.party != v);
            self.scratch.items.extend(others);
            self.store(v);
        }
        unresolved
    }
}

/// How many times the step budget the [bounded](Resolver::bounded) lists
/// of one cycle may take (entries copied and merged), and the least they
/// may take whatever the budget.
pub const BOUNDED_WORK: u64 = 16;
/// See [`BOUNDED_WORK`].
pub const BOUNDED_WORK_MIN: u64 = 1 << 20;

/// Work left in a budget.
struct Work(u64);

impl Work {
    /// Takes `n` units, if that many are left.
    fn spend(&mut self, n: u64) -> bool {
        match self.0.checked_sub(n) {
            Some(left) => {
                self.0 = left;
                true
            }
            None => {
                self.0 = 0;
                false
            }
        }
    }
}

/// Which members of a cycle reach which others by one kind of edge: the
/// strongly connected components of the cycle's edges of that kind, and
/// for each component, the sources (members that add entries) reachable
/// from it, inside the cycle.
struct Reachable {
    /// Each member's component (by its index in the cycle).
    component: Vec<u32>,
    /// Per component, the sources it reaches, by source number, sorted.
    sets: Vec<Vec<u32>>,
}

impl Reachable {
    /// Tarjan's algorithm over the cycle's live edges that `keep`;
    /// components are numbered as they finish, so every component a
    /// component reaches has a lower number and its set is known first.
    /// `None` when the sets outgrow `work`.
    fn within(
        g: &Graph,
        members: &[NodeId],
        local: &hashbrown::HashMap<NodeId, u32, FixedState>,
        source_of: &[u32],
        keep: fn(&Edge) -> bool,
        work: &mut Work,
    ) -> Option<Reachable> {
        let k = members.len();
        let inside = |e: &Edge| {
            (e.is_live() && keep(e))
                .then(|| local.get(&e.party).copied())
                .flatten()
        };
        let mut index = vec![NONE; k];
        let mut low = vec![0u32; k];
        let mut component = vec![NONE; k];
        let mut on_stack = vec![false; k];
        let mut stack: Vec<u32> = Vec::new();
        let mut call: Vec<(u32, usize)> = Vec::new();
        let (mut counter, mut count) = (0u32, 0u32);
        for root in 0..k as u32 {
            if index[root as usize] != NONE {
                continue;
            }
            call.push((root, 0));
            index[root as usize] = counter;
            low[root as usize] = counter;
            counter += 1;
            stack.push(root);
            on_stack[root as usize] = true;
            while let Some(&mut (v, ref mut pos)) = call.last_mut() {
                let edges = g.edges(members[v as usize]);
                if *pos < edges.len() {
                    let e = edges[*pos];
                    *pos += 1;
                    let Some(w) = inside(&e) else { continue };
                    let wi = w as usize;
                    if index[wi] == NONE {
                        index[wi] = counter;
                        low[wi] = counter;
                        counter += 1;
                        stack.push(w);
                        on_stack[wi] = true;
                        call.push((w, 0));
                    } else if on_stack[wi] {
                        low[v as usize] = low[v as usize].min(index[wi]);
                    }
                    continue;
                }
                call.pop();
                let vi = v as usize;
                if let Some(&(p, _)) = call.last() {
                    low[p as usize] = low[p as usize].min(low[vi]);
                }
                if low[vi] == index[vi] {
                    while let Some(x) = stack.pop() {
                        on_stack[x as usize] = false;
                        component[x as usize] = count;
                        if x == v {
                            break;
                        }
                    }
                    count += 1;
                }
            }
        }
        // Members by component, then each component's set from its own
        // sources and the sets of the components it has edges into.
        let mut start = vec![0usize; count as usize + 1];
        for &c in &component {
            start[c as usize + 1] += 1;
        }
        for c in 0..count as usize {
            start[c + 1] += start[c];
        }
        let mut by_component = vec![0u32; k];
        let mut next = start.clone();
        for (i, &c) in component.iter().enumerate() {
            by_component[next[c as usize]] = i as u32;
            next[c as usize] += 1;
        }
        let mut sets: Vec<Vec<u32>> = Vec::with_capacity(count as usize);
        for c in 0..count as usize {
            let mut set = Vec::new();
            for &i in &by_component[start[c]..start[c + 1]] {
                if source_of[i as usize] != NONE {
                    set.push(source_of[i as usize]);
                }
                for e in g.edges(members[i as usize]) {
                    let Some(w) = inside(e) else { continue };
                    let d = component[w as usize] as usize;
                    if d != c {
                        if !work.spend(sets[d].len() as u64 + 1) {
                            return None;
                        }
                        set.extend_from_slice(&sets[d]);
                    }
                }
            }
            set.sort_unstable();
            set.dedup();
            sets.push(set);
        }
        Some(Reachable { component, sets })
    }

    /// The sources component `c` reaches.
    fn set(&self, c: u32) -> &[u32] {
        self.sets.get(c as usize).map_or(&[], Vec::as_slice)
    }
}

/// Runs `f` over `0..len` in chunks of `chunk`, on the current rayon pool
/// when `parallel`, and returns the chunks' results in order.
fn chunked<R: Send>(
    parallel: bool,
    len: usize,
    chunk: usize,
    f: impl Fn(std::ops::Range<usize>) -> R + Sync,
) -> Vec<R> {
    let range = |i: usize| i * chunk..((i + 1) * chunk).min(len);
    let chunks = len.div_ceil(chunk);
    if parallel {
        use rayon::prelude::*;
        (0..chunks).into_par_iter().map(|i| f(range(i))).collect()
    } else {
        (0..chunks).map(range).map(f).collect()
    }
}

/// `(a(), b())`, on two threads of the current rayon pool when `parallel`.
fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if parallel {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}

/// Counts every entity, and the figures of those whose every path is one
/// hop to a party at the top ([`Graph::is_one_hop`]). These need only the
/// graph. Returns the entities left that have parties and are nobody's
/// party, in node order.
fn one_hop_stats(g: &Graph, parallel: bool) -> (Stats, Vec<NodeId>) {
    let parts = chunked(parallel, g.node_count(), 1 << 16, |range| {
        let mut s = Stats::default();
        let mut rest = Vec::new();
        for n in range.start as NodeId..range.end as NodeId {
            if g.kind(n) != NodeKind::Entity {
                continue;
            }
            s.entities += 1;
            if !g.has_parties(n) {
                s.entities_without_parties += 1;
                Tally::default().entity(&mut s, false);
                continue;
            }
            if !g.is_one_hop(n) {
                // An intermediate entity is counted when its list is
                // stored ([`Resolver::stored_stats`]).
                if g.intermediate(n).is_none() {
                    rest.push(n);
                }
                continue;
            }
            // Its live edges lead to distinct parties: one pair each.
            let mut tally = Tally::default();
            for e in g.edges(n).iter().filter(|e| e.is_live()) {
                let (own, ctrl) = (e.is_ownership(), e.is_control());
                tally.pair(&mut s, g, e.party, own, ctrl, false, 1);
            }
            tally.entity(&mut s, true);
        }
        (s, rest)
    });
    let mut s = Stats::default();
    let mut rest = Vec::new();
    for (p, r) in parts {
        s.add(&p);
        rest.extend(r);
    }
    (s, rest)
}

impl Analysis {
    /// Analyses every node of `g`.
    ///
    /// Tarjan's algorithm finds the components in dependency order; then
    /// the components of each level are resolved in parallel chunks, each
    /// reading the finished results of the levels below. The results do
    /// not depend on the number of threads.
    pub fn run(g: &Graph, options: &AnalysisOptions, progress: &dyn Progress) -> Analysis {
        match options.threads {
            0 | 1 => Analysis::run_on_pool(g, options, progress),
            t => match rayon::ThreadPoolBuilder::new().num_threads(t).build() {
                Ok(pool) => pool.install(|| Analysis::run_on_pool(g, options, progress)),
                Err(_) => Analysis::run_on_pool(g, options, progress),
            },
        }
    }

    fn run_on_pool(g: &Graph, options: &AnalysisOptions, progress: &dyn Progress) -> Analysis {
        let parallel = options.threads != 1;
        // Most entities of a register are owned straight by people: their
        // figures need only the graph, and are counted beside the plan and
        // the resolution (on two cores, one does each).
        let (mut a, (mut stats, rest)) = join(
            parallel,
            || Analysis::resolve(g, options, progress),
            || one_hop_stats(g, parallel),
        );
        stats.add(&a.stats);
        stats.add(&a.rest_stats(g, &rest, parallel));
        stats.cycles = a.cycles.len() as u64;
        for c in &a.cycles {
            stats.largest_cycle = stats.largest_cycle.max(c.members.len() as u64);
            stats.truncated_cycles += u64::from(c.truncated);
        }
        a.stats = stats;
        a
    }

    /// The plan, then every stored list, level by level, with the
    /// statistics of the entities stored (the others' are counted apart).
    fn resolve(g: &Graph, options: &AnalysisOptions, progress: &dyn Progress) -> Analysis {
        let n = g.node_count();
        let parallel = options.threads != 1;
        progress.begin("analyse", Some(n as u64));
        let mut plan = Plan::of(g);
        progress.advance((n - plan.members.len()) as u64);
        let mut a = Analysis {
            segments: Vec::new(),
            slots: plan
                .node_cycle
                .iter()
                .map(|&cycle| Slot {
                    segment: SYNTH,
                    offset: 0,
                    len: 0,
                    cycle,
                })
                .collect(),
            cycles: std::mem::take(&mut plan.cycles),
            stats: Stats::default(),
        };
        for level in 0..plan.level_start.len().saturating_sub(1) {
            let comps = &plan.by_level[plan.level_start[level]..plan.level_start[level + 1]];
            let chunk = (comps.len() / 8).clamp(MIN_CHUNK, CHUNK);
            let found = chunked(parallel, comps.len(), chunk, |range| {
                let mut r = Resolver {
                    g,
                    analysis: &a,
                    plan: &plan,
                    options,
                    scratch: Scratch::new(),
                    on_path: hashbrown::HashSet::default(),
                    found: Found::default(),
                };
                let comps = &comps[range];
                // An upper bound of the entries outside cycles, so that
                // the chunk's list is usually allocated once; capped, since
                // parties shared by many members overcount.
                let bound: usize = comps
                    .iter()
                    .flat_map(|&c| plan.members(c))
                    .map(|&m| {
                        let live = g.edges(m).iter().filter(|e| e.is_live());
                        1 + live.map(|e| a.len_of(g, e.party)).sum::<usize>()
                    })
                    .sum();
                r.found.segment.entries.reserve(bound.min(MAX_RESERVE));
                // The sizing pass brought the parties' slots in; their
                // lists are asked for a few components ahead.
                for (i, &c) in comps.iter().enumerate() {
                    if let Some(&ahead) = comps.get(i + AHEAD) {
                        a.prefetch(g, None, Some(plan.members(ahead)[0]));
                    }
                    r.component(c);
                }
                // The chunk's lists are still in the cache.
                r.found.stats = r.stored_stats();
                progress.advance(r.found.nodes);
                r.found
            });
            for f in found {
                // At most one segment per component, and node ids are u32:
                // the index always fits below `SYNTH`.
                let segment = u32::try_from(a.segments.len()).unwrap_or(SYNTH - 1);
                for (v, offset, len) in f.spans {
                    let Some(slot) = g.intermediate(v).and_then(|r| a.slots.get_mut(r)) else {
                        continue;
                    };
                    slot.segment = segment;
                    slot.offset = offset;
                    slot.len = len;
                }
                a.segments.push(f.segment);
                a.stats.add(&f.stats);
                for found in f.cycles {
                    let c = &mut a.cycles[found.id as usize];
                    c.example = found.example;
                    c.cut_paths = found.cut_paths;
                    c.truncated = found.truncated;
                    c.enumerated = found.enumerated;
                    c.unresolved = found.unresolved;
                }
            }
        }
        progress.end();
        a
    }

    /// Calls `f` with the ultimate parties of `n`, its own entry included
    /// when it is ultimate for some kind of path (depth 0).
    pub fn with_results<R>(&self, g: &Graph, n: NodeId, f: impl FnOnce(&[Ultimate]) -> R) -> R {
        self.with_results_in(g, n, &mut Scratch::new(), f)
    }

    /// [`Analysis::with_results`], deriving a list that is not stored (of
    /// a node nobody builds on, or a one-hop node's) in `scratch`.
    fn with_results_in<R>(
        &self,
        g: &Graph,
        n: NodeId,
        scratch: &mut Scratch,
        f: impl FnOnce(&[Ultimate]) -> R,
    ) -> R {
        match self.slot(g, n) {
            slot if slot.segment != SYNTH => {
                let (segment, entries) = self.stored(slot);
                scratch.clear();
                scratch
                    .items
                    .extend(entries.iter().map(|e| segment.ultimate(e)));
                f(&scratch.items)
            }
            _ if g.has_parties(n) => {
                self.derive(g, n, scratch);
                f(&scratch.items)
            }
            _ => match self_entry(g, n) {
                Some(e) => f(std::slice::from_ref(&e)),
                None => f(&[]),
            },
        }
    }

    /// The slot of `n`: [`TOP`] unless it is intermediate.
    fn slot(&self, g: &Graph, n: NodeId) -> &Slot {
        g.intermediate(n)
            .and_then(|r| self.slots.get(r))
            .unwrap_or(&TOP)
    }

    /// A stored list, and the segment that holds its shares.
    fn stored(&self, slot: &Slot) -> (&Segment, &[Entry]) {
        let segment = &self.segments[slot.segment as usize];
        let offset = slot.offset as usize;
        (
            segment,
            &segment.entries[offset..offset + slot.len as usize],
        )
    }

    /// Asks the cache for the slots of the parties of `far`, and for the
    /// lists of the parties of `near` (whose slots were asked for earlier),
    /// every cache line of their first 16 entries: following an edge is a
    /// random read, and on a register larger than the cache the walks are
    /// bound by memory latency, not by work.
    fn prefetch(&self, g: &Graph, far: Option<NodeId>, near: Option<NodeId>) {
        if let Some(far) = far {
            for e in g.edges(far) {
                match g.intermediate(e.party) {
                    Some(r) => mem_prefetch::prefetch_read_data::<_, 3>(&self.slots[r]),
                    None => g.prefetch_edges(e.party),
                }
            }
        }
        if let Some(near) = near {
            for e in g.edges(near) {
                let slot = self.slot(g, e.party);
                if slot.segment != SYNTH {
                    for line in self.stored(slot).1.iter().step_by(2).take(8) {
                        mem_prefetch::prefetch_read_data::<_, 3>(line);
                    }
                } else if let Some(first) = g.edges(e.party).first() {
                    mem_prefetch::prefetch_read_data::<_, 3>(first);
                }
            }
        }
    }

    /// The cycle of `n`, or `NONE`.
    fn cycle(&self, g: &Graph, n: NodeId) -> u32 {
        self.slot(g, n).cycle
    }

    /// The list of a node outside cycles, from the lists of its parties,
    /// into `scratch`. Every party's list is stored or synthesised.
    fn derive(&self, g: &Graph, v: NodeId, scratch: &mut Scratch) {
        scratch.clear();
        if let Some(s) = self_entry(g, v) {
            scratch.add(s);
        }
        for e in g.edges(v).iter().filter(|e| e.is_live()) {
            self.extend(g, scratch, e, &ShareRange::ONE, true, true, 0, false);
        }
    }

    /// The pairs of a node outside cycles that no other node builds on,
    /// as [`Analysis::derive`] finds them but without their shares, into
    /// `scratch`.
    fn reach(&self, g: &Graph, v: NodeId, scratch: &mut Scratch<Reach>) {
        scratch.clear();
        for e in g.edges(v).iter().filter(|e| e.is_live()) {
            let (own, ctrl) = (e.is_ownership(), e.is_control());
            let slot = self.slot(g, e.party);
            let via = slot.cycle != NONE;
            if slot.segment == SYNTH && !g.has_parties(e.party) {
                scratch.add(Reach {
                    party: e.party,
                    own,
                    ctrl,
                    via_cycle: via,
                    depth: 1,
                });
                continue;
            }
            self.for_each_entry(g, e.party, slot, |y, _| {
                let r = Reach {
                    party: y.party,
                    own: own && y.ownership_paths > 0,
                    ctrl: ctrl && y.control_paths > 0,
                    via_cycle: via || y.via_cycle,
                    depth: y.max_depth + 1,
                };
                if r.own || r.ctrl || y.any_paths > 0 {
                    scratch.add(r);
                }
            });
        }
    }

    /// Adds the results of `e.party`, seen through `e` at the end of a path
    /// prefix with share `prefix` and `depth` hops, to `scratch`.
    #[allow(clippy::too_many_arguments)]
    fn extend(
        &self,
        g: &Graph,
        scratch: &mut Scratch,
        e: &Edge,
        prefix: &ShareRange,
        own_alive: bool,
        ctrl_alive: bool,
        depth: u32,
        via_cycle: bool,
    ) {
        let own = own_alive && e.is_ownership();
        let ctrl = ctrl_alive && e.is_control();
        let hop = if own {
            prefix.mul(&g.share(e))
        } else {
            ShareRange::ZERO
        };
        let slot = self.slot(g, e.party);
        let via = via_cycle || slot.cycle != NONE;
        // A party at the top: the path ends there (the common case in real
        // registers, where most parties are people), and the entry is
        // built directly.
        if slot.segment == SYNTH && !g.has_parties(e.party) {
            scratch.add(Ultimate {
                party: e.party,
                share: hop,
                ownership_paths: u32::from(own),
                control_paths: u32::from(ctrl),
                any_paths: 1,
                min_depth: depth + 1,
                max_depth: depth + 1,
                via_cycle: via,
                saturated: false,
                truncated: false,
            });
            return;
        }
        self.for_each_entry(g, e.party, slot, |y, share| {
            let u = Ultimate {
                party: y.party,
                share: if own && y.ownership_paths > 0 {
                    hop.mul(share)
                } else {
                    ShareRange::ZERO
                },
                ownership_paths: if own { y.ownership_paths } else { 0 },
                control_paths: if ctrl { y.control_paths } else { 0 },
                any_paths: y.any_paths,
                min_depth: y.min_depth + depth + 1,
                max_depth: y.max_depth + depth + 1,
                via_cycle: via || y.via_cycle,
                saturated: y.saturated,
                truncated: y.truncated,
            };
            if u.ownership_paths > 0 || u.control_paths > 0 || u.any_paths > 0 {
                scratch.add(u);
            }
        });
    }

    /// Calls `f` with each entry of the list of `n`, a party with parties,
    /// and the entry's share. The list of an intermediate node is stored
    /// (`slot` is its slot); a [one-hop](Graph::is_one_hop) node's is read
    /// off its edges, as [`Analysis::derive`] would build it: its own
    /// entry, then one per edge (their parties are distinct).
    fn for_each_entry(
        &self,
        g: &Graph,
        n: NodeId,
        slot: &Slot,
        mut f: impl FnMut(&Entry, &ShareRange),
    ) {
        if slot.segment != SYNTH {
            let (segment, entries) = self.stored(slot);
            for y in entries {
                f(y, segment.share(y));
            }
            return;
        }
        if let Some(s) = self_entry(g, n) {
            f(&Entry::of(&s, 0), &s.share);
        }
        for e in g.edges(n).iter().filter(|e| e.is_live()) {
            let (own, ctrl) = (e.is_ownership(), e.is_control());
            let share = if own { g.share(e) } else { ShareRange::ZERO };
            let entry = Entry {
                party: e.party,
                share: 0,
                ownership_paths: u32::from(own),
                control_paths: u32::from(ctrl),
                any_paths: 1,
                min_depth: 1,
                max_depth: 1,
                via_cycle: false,
                saturated: false,
                truncated: false,
            };
            f(&entry, &share);
        }
    }

    /// The length of the result list of `n`, at most (a one-hop node's
    /// is read off its edges, a top node's is its own entry).
    fn len_of(&self, g: &Graph, n: NodeId) -> usize {
        match self.slot(g, n) {
            slot if slot.segment != SYNTH => slot.len as usize,
            _ => 1 + g.edges(n).len(),
        }
    }

    /// The ultimate parties of `n`, itself excluded.
    pub fn ultimates(&self, g: &Graph, n: NodeId) -> Vec<Ultimate> {
        let not_self = |u: &Ultimate| u.party != n || u.min_depth > 0;
        match self.slot(g, n) {
            slot if slot.segment != SYNTH => {
                let (segment, entries) = self.stored(slot);
                let all = entries.iter().map(|e| segment.ultimate(e));
                all.filter(not_self).collect()
            }
            _ => self.with_results(g, n, |rs| rs.iter().copied().filter(not_self).collect()),
        }
    }

    /// The cycle `n` belongs to, if any.
    pub fn cycle_of(&self, g: &Graph, n: NodeId) -> Option<&Cycle> {
        self.cycles.get(self.slot(g, n).cycle as usize)
    }

    /// The figures of the entities [`one_hop_stats`] left, which are
    /// nobody's party (their lists are not stored), from their parties'
    /// lists, without the shares. Not stored, so in no cycle: no path comes
    /// back to such an entity, and its own entry (depth 0) is not a pair.
    fn rest_stats(&self, g: &Graph, rest: &[NodeId], parallel: bool) -> Stats {
        let parts = chunked(parallel, rest.len(), 1 << 14, |range| {
            let mut s = Stats::default();
            let mut scratch = Scratch::<Reach>::new();
            let rest = &rest[range];
            for (i, &n) in rest.iter().enumerate() {
                // Each entity reads its parties' slots and lists: random
                // reads, asked for ahead.
                let ahead = |k: usize| rest.get(i + k * AHEAD).copied();
                self.prefetch(g, ahead(2), ahead(1));
                let mut tally = Tally::default();
                self.reach(g, n, &mut scratch);
                for r in &scratch.items {
                    tally.pair(&mut s, g, r.party, r.own, r.ctrl, r.via_cycle, r.depth);
                }
                tally.entity(&mut s, true);
            }
            s
        });
        let mut s = Stats::default();
        for p in parts {
            s.add(&p);
        }
        s
    }
}

/// What one entity's (entity, ultimate party) pairs add to the statistics.
#[derive(Default)]
struct Tally {
    any: bool,
    own: bool,
    ctrl: bool,
    unknown: bool,
    via: bool,
    depth: u32,
}

impl Tally {
    /// One pair: its party, whether an ownership or a control path ends
    /// there, whether a path runs through a cycle, and its longest path.
    #[allow(clippy::too_many_arguments)]
    fn pair(
        &mut self,
        s: &mut Stats,
        g: &Graph,
        party: NodeId,
        own: bool,
        ctrl: bool,
        via: bool,
        depth: u32,
    ) {
        s.pairs += 1;
        s.ownership_pairs += u64::from(own);
        s.control_pairs += u64::from(ctrl);
        self.any = true;
        self.own |= own;
        self.ctrl |= ctrl;
        self.unknown |= g.is_unknown(party);
        self.via |= via;
        self.depth = self.depth.max(depth);
    }

    /// The entity's own figures, once its pairs are counted; an entity
    /// with parties but no pair is held only through cycles.
    fn entity(self, s: &mut Stats, has_parties: bool) {
        s.entities_only_through_cycles += u64::from(has_parties && !self.any);
        s.entities_with_owner += u64::from(self.own);
        s.entities_with_controller += u64::from(self.ctrl);
        s.entities_with_unknown_party += u64::from(self.unknown);
        s.entities_via_cycles += u64::from(self.via);
        let d = self.depth as usize;
        match s.depth_histogram.get_mut(d) {
            Some(count) => *count += 1,
            None => s.depth_pending.push(self.depth),
        }
    }
}

impl Stats {
    /// Adds the per-entity counts of `o` (not the cycle figures).
    fn add(&mut self, o: &Stats) {
        self.entities += o.entities;
        self.entities_without_parties += o.entities_without_parties;
        self.entities_with_owner += o.entities_with_owner;
        self.entities_with_controller += o.entities_with_controller;
        self.entities_with_unknown_party += o.entities_with_unknown_party;
        self.entities_in_cycles += o.entities_in_cycles;
        self.entities_via_cycles += o.entities_via_cycles;
        self.entities_only_through_cycles += o.entities_only_through_cycles;
        self.entities_unresolved += o.entities_unresolved;
        self.pairs += o.pairs;
        self.ownership_pairs += o.ownership_pairs;
        self.control_pairs += o.control_pairs;
        if self.depth_histogram.len() < o.depth_histogram.len() {
            self.depth_histogram.resize(o.depth_histogram.len(), 0);
        }
        for (a, b) in self.depth_histogram.iter_mut().zip(&o.depth_histogram) {
            *a += b;
        }
        for &d in self.depth_pending.iter().chain(&o.depth_pending) {
            let d = d as usize;
            if self.depth_histogram.len() <= d {
                // Amortised: the vector's capacity doubles as it grows.
                self.depth_histogram.resize(d + 1, 0);
            }
            self.depth_histogram[d] += 1;
        }
        self.depth_pending.clear();
    }
}

/// One hop of a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The owned or controlled node.
    pub subject: NodeId,
    /// The interested party.
    pub party: NodeId,
    /// The relationship's recordId.
    pub relationship: String,
    /// The hop's ownership share, if it is an economic interest.
    pub share: Option<ShareRange>,
    /// The kind of interest that share is of, where stated.
    pub share_kind: Option<boardroom::InterestType>,
    /// The hop confers control.
    pub control: bool,
    /// The party may control the subject (the data allows a majority and
    /// allows none); not followed as control.
    pub may_control: bool,
    /// Why the party controls or may control the subject.
    pub basis: Option<boardroom::definition::Basis>,
    /// The interest is declared indirect.
    pub indirect: bool,
}

/// How a chain ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainEnd {
    /// At a party with no parties above it.
    Top,
    /// At a node already on the chain: a cycle.
    Cycle(NodeId),
}

/// One chain from an entity up to an ultimate party.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    /// The hops, from the entity upwards; of a chain longer than
    /// [`CHAIN_HOPS_SHOWN`], the first and the last half of that many.
    pub hops: Vec<Hop>,
    /// Hops left out of a long chain, between its first and its last
    /// hops shown.
    pub hops_omitted: usize,
    /// The product of the shares, when every hop is economic.
    pub share: Option<ShareRange>,
    /// Every hop confers control.
    pub control: bool,
    /// How it ends.
    pub end: ChainEnd,
}

/// The most hops of one chain kept: a chain of a million holdings printed
/// a million hops per chain.
pub const CHAIN_HOPS_SHOWN: usize = 20;

/// The chains above one entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owners {
    /// The chains, in depth-first order.
    pub chains: Vec<Chain>,
    /// More chains exist than were asked for.
    pub truncated: bool,
}

/// Lists the chains above `n` (simple paths up to a party with no parties,
/// or back to a node already on the chain), at most `max_chains` of them,
/// each clipped to [`CHAIN_HOPS_SHOWN`] hops. Linear in the hops walked:
/// the chain's nodes are kept in a set, its shares and control as running
/// products.
pub fn owners(g: &Graph, n: NodeId, max_chains: usize) -> Owners {
    let mut out = Owners {
        chains: Vec::new(),
        truncated: false,
    };
    /// A node on the chain, the next of its edges to follow, and the share
    /// and control of the chain up to it.
    struct Step {
        node: NodeId,
        pos: usize,
        share: Option<ShareRange>,
        control: bool,
    }
    let mut path: Vec<Step> = vec![Step {
        node: n,
        pos: 0,
        share: Some(ShareRange::ONE),
        control: true,
    }];
    let mut on_path: hashbrown::HashSet<NodeId, FixedState> = hashbrown::HashSet::default();
    on_path.insert(n);
    let mut hops: Vec<Hop> = Vec::new();
    let emit = |hops: &[Hop], top: &Step, end: ChainEnd, out: &mut Owners| {
        let half = CHAIN_HOPS_SHOWN / 2;
        let (kept, omitted) = if hops.len() > CHAIN_HOPS_SHOWN {
            let mut kept = hops[..half].to_vec();
            kept.extend_from_slice(&hops[hops.len() - half..]);
            (kept, hops.len() - CHAIN_HOPS_SHOWN)
        } else {
            (hops.to_vec(), 0)
        };
        out.chains.push(Chain {
            hops: kept,
            hops_omitted: omitted,
            share: top.share,
            control: top.control,
            end,
        });
    };
    if !g.has_parties(n) {
        return out;
    }
    while let Some(step) = path.last_mut() {
        let v = step.node;
        let edges = g.edges(v);
        if step.pos >= edges.len() {
            on_path.remove(&v);
            path.pop();
            hops.pop();
            continue;
        }
        let e = edges[step.pos];
        step.pos += 1;
        if !e.is_live() {
            continue;
        }
        if out.chains.len() >= max_chains {
            out.truncated = true;
            break;
        }
        let hop = Hop {
            subject: v,
            party: e.party,
            relationship: g.relationship_id(v, step.pos - 1).to_owned(),
            share: e.is_ownership().then_some(g.share(&e)),
            share_kind: e
                .is_ownership()
                .then(|| crate::graph::edge_flags::share_kind_of(e.flags))
                .flatten(),
            control: e.is_control(),
            may_control: e.may_control(),
            basis: e.basis(),
            indirect: e.flags & crate::graph::edge_flags::INDIRECT != 0,
        };
        let next = Step {
            node: e.party,
            pos: 0,
            share: match (step.share, hop.share) {
                (Some(a), Some(b)) => Some(a.mul(&b)),
                _ => None,
            },
            control: step.control && hop.control,
        };
        hops.push(hop);
        if on_path.contains(&e.party) {
            emit(&hops, &next, ChainEnd::Cycle(e.party), &mut out);
            hops.pop();
        } else if !g.has_parties(e.party) {
            emit(&hops, &next, ChainEnd::Top, &mut out);
            hops.pop();
        } else {
            on_path.insert(e.party);
            path.push(next);
        }
    }
    out
}
