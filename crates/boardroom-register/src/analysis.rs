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
//!   already known. So every resolution terminates; a component whose path
//!   enumeration exceeds [`AnalysisOptions::max_cycle_steps`] is marked
//!   truncated and the paths beyond the budget are not followed.
//!
//! Architecture invariant: the work is linear in the size of the results
//! outside cycles. Each node's result list is computed once, after those of
//! every party above it (Tarjan emits components in that order), and reused
//! by every entity below it.

use crate::graph::{Edge, Graph, NodeId, NodeKind};
use crate::progress::Progress;
use crate::share::ShareRange;
use foldhash::fast::FixedState;

/// Limits of the analysis.
#[derive(Clone, Copy, Debug)]
pub struct AnalysisOptions {
    /// Steps of simple-path enumeration allowed per member of a cycle.
    pub max_cycle_steps: u64,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            max_cycle_steps: 1_000_000,
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
    /// Number of ownership paths (saturating).
    pub ownership_paths: u64,
    /// Number of control paths (saturating).
    pub control_paths: u64,
    /// Number of paths of any interests ending at a party with no parties
    /// above it (saturating); the peers' notion of "ultimate owner".
    pub any_paths: u64,
    /// Shortest path, in hops.
    pub min_depth: u32,
    /// Longest path, in hops.
    pub max_depth: u32,
    /// At least one path runs through a cycle.
    pub via_cycle: bool,
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
        self.ownership_paths = self.ownership_paths.saturating_add(o.ownership_paths);
        self.control_paths = self.control_paths.saturating_add(o.control_paths);
        self.any_paths = self.any_paths.saturating_add(o.any_paths);
        self.min_depth = self.min_depth.min(o.min_depth);
        self.max_depth = self.max_depth.max(o.max_depth);
        self.via_cycle |= o.via_cycle;
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
    /// Paths stopped because they would revisit a node.
    pub cut_paths: u64,
    /// The step budget ran out for at least one member.
    pub truncated: bool,
}

/// Figures for a whole register.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Entity nodes analysed (closed records excluded).
    pub entities: u64,
    /// Entities with no declared interested party.
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
    /// `depth_histogram[d]`: entities whose longest chain to an ultimate
    /// party has `d` hops (0: no parties).
    pub depth_histogram: Vec<u64>,
}

/// The ultimate parties of every node, and the cycles.
#[derive(Debug, Default)]
pub struct Analysis {
    starts: Vec<u64>,
    lens: Vec<u32>,
    entries: Vec<Ultimate>,
    node_cycle: Vec<u32>,
    /// Every cycle found.
    pub cycles: Vec<Cycle>,
    /// Figures for the register.
    pub stats: Stats,
}

const NONE: u32 = u32::MAX;
const SYNTH: u64 = u64::MAX;

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
        ownership_paths: u64::from(!own),
        control_paths: u64::from(!ctrl),
        any_paths: u64::from(!any),
        min_depth: 0,
        max_depth: 0,
        via_cycle: false,
    })
}

/// Result lists merged by party: a vector, with an index once it grows.
struct Scratch {
    items: Vec<Ultimate>,
    index: hashbrown::HashMap<NodeId, usize, FixedState>,
}

impl Scratch {
    fn clear(&mut self) {
        self.items.clear();
        if !self.index.is_empty() {
            self.index = hashbrown::HashMap::default();
        }
    }
    fn add(&mut self, u: Ultimate) {
        if self.items.len() < 24 {
            if let Some(x) = self.items.iter_mut().find(|x| x.party == u.party) {
                x.merge(&u);
                return;
            }
            self.items.push(u);
            if self.items.len() == 24 {
                for (i, x) in self.items.iter().enumerate() {
                    self.index.insert(x.party, i);
                }
            }
            return;
        }
        match self.index.get(&u.party) {
            Some(&i) => self.items[i].merge(&u),
            None => {
                self.index.insert(u.party, self.items.len());
                self.items.push(u);
            }
        }
    }
}

impl Analysis {
    /// Analyses every node of `g`.
    pub fn run(g: &Graph, options: &AnalysisOptions, progress: &dyn Progress) -> Analysis {
        let n = g.node_count();
        let mut a = Analysis {
            starts: vec![SYNTH; n],
            lens: vec![0; n],
            entries: Vec::with_capacity(g.edge_count()),
            node_cycle: vec![NONE; n],
            cycles: Vec::new(),
            stats: Stats::default(),
        };
        let mut scratch = Scratch {
            items: Vec::new(),
            index: hashbrown::HashMap::default(),
        };
        let mut on_path = vec![false; n];
        progress.begin("analyse", Some(n as u64));
        // Iterative Tarjan.
        let mut index = vec![NONE; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<NodeId> = Vec::new();
        let mut call: Vec<(NodeId, usize)> = Vec::new();
        let mut counter = 0u32;
        let mut done = 0u64;
        for root in 0..n as NodeId {
            if index[root as usize] != NONE {
                continue;
            }
            index[root as usize] = counter;
            low[root as usize] = counter;
            counter += 1;
            stack.push(root);
            on_stack[root as usize] = true;
            call.push((root, 0));
            while let Some(&mut (v, ref mut pos)) = call.last_mut() {
                let edges = g.edges(v);
                if *pos < edges.len() {
                    let e = edges[*pos];
                    *pos += 1;
                    if !e.is_live() {
                        continue;
                    }
                    let w = e.party as usize;
                    if index[w] == NONE {
                        index[w] = counter;
                        low[w] = counter;
                        counter += 1;
                        stack.push(e.party);
                        on_stack[w] = true;
                        call.push((e.party, 0));
                    } else if on_stack[w] {
                        low[v as usize] = low[v as usize].min(index[w]);
                    }
                    continue;
                }
                call.pop();
                if let Some(&(p, _)) = call.last() {
                    low[p as usize] = low[p as usize].min(low[v as usize]);
                }
                if low[v as usize] == index[v as usize] {
                    let mut members = Vec::new();
                    while let Some(m) = stack.pop() {
                        on_stack[m as usize] = false;
                        members.push(m);
                        if m == v {
                            break;
                        }
                    }
                    done += members.len() as u64;
                    if done >= 1 << 16 {
                        progress.advance(done);
                        done = 0;
                    }
                    let self_loop = members.len() == 1
                        && g.edges(v).iter().any(|e| e.is_live() && e.party == v);
                    if members.len() == 1 && !self_loop {
                        a.trivial(g, v, &mut scratch);
                    } else {
                        a.cycle(g, members, options, &mut scratch, &mut on_path);
                    }
                }
            }
        }
        progress.advance(done);
        progress.end();
        a.stats = a.compute_stats(g);
        a
    }

    fn store(&mut self, v: NodeId, scratch: &Scratch) {
        self.starts[v as usize] = self.entries.len() as u64;
        self.lens[v as usize] = u32::try_from(scratch.items.len()).unwrap_or(u32::MAX);
        self.entries.extend_from_slice(&scratch.items);
    }

    fn trivial(&mut self, g: &Graph, v: NodeId, scratch: &mut Scratch) {
        let edges = g.edges(v);
        if !edges.iter().any(Edge::is_live) {
            return; // synthesised on demand
        }
        scratch.clear();
        if let Some(s) = self_entry(g, v) {
            scratch.add(s);
        }
        for e in edges.iter().filter(|e| e.is_live()) {
            self.extend(g, scratch, e, &ShareRange::ONE, true, true, 0, false);
        }
        self.store(v, scratch);
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
            prefix.mul(&e.share)
        } else {
            ShareRange::ZERO
        };
        let via = via_cycle || self.node_cycle[e.party as usize] != NONE;
        self.with_results(g, e.party, |rs| {
            for y in rs {
                let u = Ultimate {
                    party: y.party,
                    share: if own && y.ownership_paths > 0 {
                        hop.mul(&y.share)
                    } else {
                        ShareRange::ZERO
                    },
                    ownership_paths: if own { y.ownership_paths } else { 0 },
                    control_paths: if ctrl { y.control_paths } else { 0 },
                    any_paths: y.any_paths,
                    min_depth: y.min_depth + depth + 1,
                    max_depth: y.max_depth + depth + 1,
                    via_cycle: via || y.via_cycle,
                };
                if u.ownership_paths > 0 || u.control_paths > 0 || u.any_paths > 0 {
                    scratch.add(u);
                }
            }
        });
    }

    fn cycle(
        &mut self,
        g: &Graph,
        members: Vec<NodeId>,
        options: &AnalysisOptions,
        scratch: &mut Scratch,
        on_path: &mut [bool],
    ) {
        let id = u32::try_from(self.cycles.len()).unwrap_or(NONE);
        for &m in &members {
            self.node_cycle[m as usize] = id;
        }
        let mut cycle = Cycle {
            members: members.clone(),
            example: Vec::new(),
            cut_paths: 0,
            truncated: false,
        };
        struct Frame {
            node: NodeId,
            pos: usize,
            share: ShareRange,
            own: bool,
            ctrl: bool,
            depth: u32,
        }
        let mut results: Vec<(NodeId, Vec<Ultimate>)> = Vec::with_capacity(members.len());
        for &v in &members {
            scratch.clear();
            if let Some(s) = self_entry(g, v) {
                scratch.add(s);
            }
            let mut steps = 0u64;
            let mut frames = vec![Frame {
                node: v,
                pos: 0,
                share: ShareRange::ONE,
                own: true,
                ctrl: true,
                depth: 0,
            }];
            on_path[v as usize] = true;
            while let Some(f) = frames.last_mut() {
                let edges = g.edges(f.node);
                if f.pos >= edges.len() {
                    on_path[f.node as usize] = false;
                    frames.pop();
                    continue;
                }
                let e = edges[f.pos];
                f.pos += 1;
                if !e.is_live() {
                    continue;
                }
                let x = e.party;
                if self.node_cycle[x as usize] != id {
                    let (share, own, ctrl, depth) = (f.share, f.own, f.ctrl, f.depth);
                    self.extend(g, scratch, &e, &share, own, ctrl, depth, true);
                    continue;
                }
                if on_path[x as usize] {
                    cycle.cut_paths += 1;
                    if cycle.example.is_empty() {
                        let mut ex: Vec<NodeId> = frames
                            .iter()
                            .map(|f| f.node)
                            .skip_while(|&n| n != x)
                            .collect();
                        ex.push(x);
                        cycle.example = ex;
                    }
                    continue;
                }
                steps += 1;
                if steps > options.max_cycle_steps {
                    cycle.truncated = true;
                    continue;
                }
                let own = f.own && e.is_ownership();
                let ctrl = f.ctrl && e.is_control();
                let share = if own {
                    f.share.mul(&e.share)
                } else {
                    ShareRange::ZERO
                };
                let depth = f.depth + 1;
                if let Some(mut s) = self_entry(g, x) {
                    s.ownership_paths &= u64::from(own);
                    s.control_paths &= u64::from(ctrl);
                    s.share = share;
                    s.min_depth = depth;
                    s.max_depth = depth;
                    s.via_cycle = true;
                    if s.ownership_paths > 0 || s.control_paths > 0 {
                        scratch.add(s);
                    }
                }
                on_path[x as usize] = true;
                frames.push(Frame {
                    node: x,
                    pos: 0,
                    share,
                    own,
                    ctrl,
                    depth,
                });
            }
            results.push((v, std::mem::take(&mut scratch.items)));
        }
        for (v, items) in results {
            scratch.clear();
            scratch.items = items;
            self.store(v, scratch);
        }
        self.cycles.push(cycle);
    }

    /// Calls `f` with the ultimate parties of `n`, its own entry included
    /// when it is ultimate for some kind of path (depth 0).
    pub fn with_results<R>(&self, g: &Graph, n: NodeId, f: impl FnOnce(&[Ultimate]) -> R) -> R {
        let i = n as usize;
        match self.starts.get(i) {
            Some(&s) if s != SYNTH => {
                let len = self.lens[i] as usize;
                f(&self.entries[s as usize..s as usize + len])
            }
            _ => match self_entry(g, n) {
                Some(e) => f(std::slice::from_ref(&e)),
                None => f(&[]),
            },
        }
    }

    /// The ultimate parties of `n`, itself excluded.
    pub fn ultimates(&self, g: &Graph, n: NodeId) -> Vec<Ultimate> {
        self.with_results(g, n, |rs| {
            rs.iter()
                .filter(|u| u.party != n || u.min_depth > 0)
                .copied()
                .collect()
        })
    }

    /// The cycle `n` belongs to, if any.
    pub fn cycle_of(&self, n: NodeId) -> Option<&Cycle> {
        let c = *self.node_cycle.get(n as usize)?;
        self.cycles.get(c as usize)
    }

    fn compute_stats(&self, g: &Graph) -> Stats {
        let mut s = Stats {
            cycles: self.cycles.len() as u64,
            ..Stats::default()
        };
        for c in &self.cycles {
            s.largest_cycle = s.largest_cycle.max(c.members.len() as u64);
            s.truncated_cycles += u64::from(c.truncated);
        }
        for n in g.nodes() {
            if g.kind(n) != NodeKind::Entity {
                continue;
            }
            s.entities += 1;
            if !g.edges(n).iter().any(Edge::is_live) {
                s.entities_without_parties += 1;
            }
            if self.node_cycle[n as usize] != NONE {
                s.entities_in_cycles += 1;
            }
            let (mut own, mut ctrl, mut unknown, mut via, mut depth) =
                (false, false, false, false, 0u32);
            self.with_results(g, n, |rs| {
                for u in rs.iter().filter(|u| u.party != n || u.min_depth > 0) {
                    s.pairs += 1;
                    s.ownership_pairs += u64::from(u.is_owner());
                    s.control_pairs += u64::from(u.is_controller());
                    own |= u.is_owner();
                    ctrl |= u.is_controller();
                    unknown |= matches!(
                        g.kind(u.party),
                        NodeKind::Unspecified | NodeKind::Undeclared
                    );
                    via |= u.via_cycle;
                    depth = depth.max(u.max_depth);
                }
            });
            s.entities_with_owner += u64::from(own);
            s.entities_with_controller += u64::from(ctrl);
            s.entities_with_unknown_party += u64::from(unknown);
            s.entities_via_cycles += u64::from(via);
            let d = depth as usize;
            if s.depth_histogram.len() <= d {
                s.depth_histogram.resize(d + 1, 0);
            }
            s.depth_histogram[d] += 1;
        }
        s
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
    /// The hop confers control.
    pub control: bool,
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
    /// The hops, from the entity upwards.
    pub hops: Vec<Hop>,
    /// The product of the shares, when every hop is economic.
    pub share: Option<ShareRange>,
    /// Every hop confers control.
    pub control: bool,
    /// How it ends.
    pub end: ChainEnd,
}

/// The chains above one entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owners {
    /// The chains, in depth-first order.
    pub chains: Vec<Chain>,
    /// More chains exist than were asked for.
    pub truncated: bool,
}

/// Lists the chains above `n` (simple paths up to a party with no parties,
/// or back to a node already on the chain), at most `max_chains` of them.
pub fn owners(g: &Graph, n: NodeId, max_chains: usize) -> Owners {
    let mut out = Owners {
        chains: Vec::new(),
        truncated: false,
    };
    let mut path: Vec<(NodeId, usize)> = vec![(n, 0)];
    let mut hops: Vec<Hop> = Vec::new();
    let emit = |hops: &[Hop], end: ChainEnd, out: &mut Owners| {
        let mut share = Some(ShareRange::ONE);
        for h in hops {
            share = match (share, h.share) {
                (Some(a), Some(b)) => Some(a.mul(&b)),
                _ => None,
            };
        }
        out.chains.push(Chain {
            hops: hops.to_vec(),
            share,
            control: hops.iter().all(|h| h.control),
            end,
        });
    };
    if !g.edges(n).iter().any(Edge::is_live) {
        return out;
    }
    while let Some(&mut (v, ref mut pos)) = path.last_mut() {
        let edges = g.edges(v);
        if *pos >= edges.len() {
            path.pop();
            hops.pop();
            continue;
        }
        let e = edges[*pos];
        *pos += 1;
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
            relationship: g.relationship_id(&e).to_owned(),
            share: e.is_ownership().then_some(e.share),
            control: e.is_control(),
            indirect: e.flags & crate::graph::edge_flags::INDIRECT != 0,
        };
        hops.push(hop);
        if path.iter().any(|&(p, _)| p == e.party) {
            emit(&hops, ChainEnd::Cycle(e.party), &mut out);
            hops.pop();
        } else if !g.edges(e.party).iter().any(Edge::is_live) {
            emit(&hops, ChainEnd::Top, &mut out);
            hops.pop();
        } else {
            path.push((e.party, 0));
        }
    }
    out
}
