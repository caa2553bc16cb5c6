//! Look-through ownership: each party's integrated economic interest in
//! each entity, across chains and cycles of holdings.
//!
//! With `W[i][j]` the share of entity `j` that `i` holds directly, the
//! integrated ownership of Vitali, Glattfelder and Battiston, "The network
//! of global corporate control" (PLoS ONE, 2011) is
//! `Ũ = (I − W)⁻¹ W = W + W² + W³ + …`: the sum, over every path from `i`
//! to `j`, of the product of the shares along it. With cross-holdings
//! `Ũ[i][i]` may be above zero and entries may exceed 1; they are reported
//! as the formula gives them.
//!
//! Two methods:
//! - [`HoldingGraph::exact`]: exact rationals, by Gauss–Jordan elimination
//!   on sparse rows, for graphs of at most [`EXACT_LIMIT`] parties;
//! - [`HoldingGraph::iterative`]: for large graphs, one sparse "push"
//!   iteration (Gauss–Seidel order) per holder, in `f64`, with the
//!   residual it leaves and, where every entity's holders hold less than
//!   100% of it, the geometric bound `residual / (1 − ρ)` on each entry,
//!   `ρ` being the largest column sum of `W`.
//!
//! Holdings are validated first: shares must be positive, an entity's
//! holders may hold at most 100% of it, and a group of entities that own
//! each other entirely (a closed cycle, where `(I − W)` is singular) is
//! rejected.

use std::collections::{BTreeMap, HashMap, VecDeque};

use num_traits::{One, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Errors, Location};
use crate::money::{Exact, Q, q, qi, to_decimal};

/// The most parties [`HoldingGraph::exact`] takes.
pub const EXACT_LIMIT: usize = 2_000;

/// The most bits [`HoldingGraph::exact`] lets a share grow to, estimated as
/// the longest chain of holdings times the bits of its longest share. A
/// chain of 1,000 holdings of 60% each reaches (3/5)^1000, 5,000 bits, and
/// took 53 s and 490 MB exactly; 1,024 bits (a chain of 200 such, or of 25
/// holdings stated to six decimals) takes under half a second.
pub const EXACT_MAX_BITS: u64 = 1_024;

/// A direct holding: `holder` holds `share` of `subject`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    pub holder: String,
    pub subject: String,
    pub share: HoldingShare,
}

/// A share, as a fraction (`0.5`) or a percentage (`50`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum HoldingShare {
    Fraction(Decimal),
    Percent(Decimal),
    /// `units` of `of` (297,600,000 shares of 2,886,973,941): exact,
    /// where a decimal would round.
    Units {
        units: Decimal,
        of: Decimal,
    },
}

impl HoldingShare {
    /// The share as an exact fraction; zero for units of nothing.
    fn exact(self) -> Q {
        match self {
            HoldingShare::Fraction(f) => q(f),
            HoldingShare::Percent(p) => q(p) / qi(100),
            HoldingShare::Units { of, .. } if of.is_zero() => Q::zero(),
            HoldingShare::Units { units, of } => q(units) / q(of),
        }
    }
}

/// A validated holding graph.
#[derive(Debug, Clone)]
pub struct HoldingGraph {
    names: Vec<String>,
    index: HashMap<String, usize>,
    /// Out-edges of each party: (subject, share).
    out: Vec<Vec<(usize, Q)>>,
    out_f: Vec<Vec<(u32, f64)>>,
    max_column_sum: Q,
}

/// An exact integrated interest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interest {
    pub party: String,
    pub entity: String,
    pub share: Exact,
}

/// Exact integrated ownership: every non-zero entry of `Ũ`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Integrated {
    pub interests: Vec<Interest>,
}

impl Integrated {
    /// `Ũ[party][entity]`, zero if absent.
    pub fn get(&self, party: &str, entity: &str) -> Q {
        self.interests
            .iter()
            .find(|i| i.party == party && i.entity == entity)
            .map_or_else(Q::zero, |i| i.share.0.clone())
    }
}

/// Settings of the iterative method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iterative {
    /// Residual left at each entity when the iteration stops.
    pub tolerance: f64,
    /// Entries below this are left out of the result.
    pub min_share: f64,
}

impl Default for Iterative {
    fn default() -> Self {
        Iterative {
            tolerance: 1e-12,
            min_share: 0.0,
        }
    }
}

/// An approximate integrated interest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ApproxInterest {
    pub entity: usize,
    pub share: f64,
}

/// Approximate integrated ownership, with how close it is to exact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approximate {
    pub names: Vec<String>,
    /// For each holder (by index into `names`), its integrated interests.
    pub rows: Vec<(usize, Vec<ApproxInterest>)>,
    /// The largest residual left at any entity (at most `tolerance`).
    pub max_residual: f64,
    /// The sum of every residual left.
    pub total_residual: f64,
    /// The largest column sum of `W`.
    pub max_column_sum: f64,
    /// A bound on the error of every entry: `max_residual / (1 − ρ)`,
    /// present when `ρ`, the largest column sum, is below 1. When some
    /// entity is wholly held the geometric bound does not apply and only
    /// the residual is stated.
    pub error_bound: Option<f64>,
    /// How many pushes the iteration made.
    pub pushes: u64,
}

impl Approximate {
    /// `Ũ[party][entity]`, zero if absent.
    pub fn get(&self, party: &str, entity: &str) -> f64 {
        let p = self.names.iter().position(|n| n == party);
        let e = self.names.iter().position(|n| n == entity);
        match (p, e) {
            (Some(p), Some(e)) => self
                .rows
                .iter()
                .find(|(h, _)| *h == p)
                .and_then(|(_, r)| r.iter().find(|x| x.entity == e))
                .map_or(0.0, |x| x.share),
            _ => 0.0,
        }
    }
}

impl HoldingGraph {
    /// Validates holdings; every error is reported at once.
    pub fn new(holdings: &[Holding]) -> Result<Self, Errors> {
        let mut errors = Vec::new();
        let mut names = Vec::new();
        let mut index = HashMap::new();
        let mut node = |n: &str, names: &mut Vec<String>| -> usize {
            if let Some(&i) = index.get(n) {
                return i;
            }
            names.push(n.to_string());
            index.insert(n.to_string(), names.len() - 1);
            names.len() - 1
        };
        let mut edges: BTreeMap<(usize, usize), Q> = BTreeMap::new();
        for (k, h) in holdings.iter().enumerate() {
            let i = node(&h.holder, &mut names);
            let j = node(&h.subject, &mut names);
            let f = h.share.exact();
            if !f.is_positive() {
                errors.push(Error::NotPositive {
                    at: Location::Holding(k),
                    field: "share".into(),
                    value: to_decimal(&f, 28),
                    expected: "more than zero".into(),
                });
                continue;
            }
            if i == j {
                errors.push(Error::SelfHolding {
                    at: Location::Entity(h.subject.clone()),
                });
                continue;
            }
            *edges.entry((i, j)).or_insert_with(Q::zero) += f;
        }
        let n = names.len();
        let mut out: Vec<Vec<(usize, Q)>> = vec![Vec::new(); n];
        let mut col = vec![Q::zero(); n];
        let mut holders: Vec<Vec<usize>> = vec![Vec::new(); n];
        for ((i, j), f) in edges {
            col[j] += &f;
            out[i].push((j, f));
            holders[j].push(i);
        }
        for j in 0..n {
            if col[j] > Q::one() {
                errors.push(Error::ColumnSumAbove100 {
                    at: Location::Entity(names[j].clone()),
                    sum: to_decimal(&(&col[j] * qi(100)), 10).normalize(),
                    holders: holders[j].iter().map(|&h| names[h].clone()).collect(),
                });
            }
        }
        if errors.is_empty() {
            for scc in strongly_connected(&out) {
                let inside = |h: &usize| scc.binary_search(h).is_ok();
                let closed = scc.len() > 1
                    && scc
                        .iter()
                        .all(|&j| holders[j].iter().all(inside) && col[j].is_one());
                if closed {
                    errors.push(Error::ClosedCycle {
                        at: Location::Entity(names[scc[0]].clone()),
                        entities: scc.iter().map(|&j| names[j].clone()).collect(),
                    });
                }
            }
        }
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
        let max_column_sum = col.into_iter().max().unwrap_or_else(Q::zero);
        let out_f = out
            .iter()
            .map(|v| {
                v.iter()
                    .map(|(j, f)| {
                        (
                            u32::try_from(*j).unwrap_or(u32::MAX),
                            f.to_f64().unwrap_or(0.0),
                        )
                    })
                    .collect()
            })
            .collect();
        Ok(HoldingGraph {
            names,
            index,
            out,
            out_f,
            max_column_sum,
        })
    }

    /// Parties and entities, in order of first mention.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The number of direct holdings.
    pub fn edges(&self) -> usize {
        self.out.iter().map(Vec::len).sum()
    }

    /// How far exact shares can grow: the longest chain of holdings (every
    /// party, where holdings go round a cycle) and the most bits of one
    /// share's numerator and denominator.
    pub fn growth(&self) -> (u64, u64) {
        let n = self.names.len();
        let bits = self
            .out
            .iter()
            .flatten()
            .map(|(_, x)| x.numer().bits() + x.denom().bits())
            .max()
            .unwrap_or(0);
        // Longest path by depth-first search, without recursion; a cycle
        // (met as an edge back to an open node) counts as every party.
        const NEW: u8 = 0;
        const OPEN: u8 = 1;
        const DONE: u8 = 2;
        let mut mark = vec![NEW; n];
        let mut longest = vec![0u64; n];
        for root in 0..n {
            if mark[root] != NEW {
                continue;
            }
            let mut stack = vec![(root, 0usize)];
            mark[root] = OPEN;
            while let Some(&mut (v, ref mut k)) = stack.last_mut() {
                if let Some(&w) = self.out[v].get(*k).map(|(w, _)| w) {
                    *k += 1;
                    match mark[w] {
                        NEW => {
                            mark[w] = OPEN;
                            stack.push((w, 0));
                        }
                        OPEN => return (n as u64, bits),
                        _ => {}
                    }
                    continue;
                }
                stack.pop();
                mark[v] = DONE;
                longest[v] = self.out[v]
                    .iter()
                    .map(|(w, _)| longest[*w] + 1)
                    .max()
                    .unwrap_or(0);
            }
        }
        (longest.into_iter().max().unwrap_or(0), bits)
    }

    /// Exact integrated ownership, `Ũ = (I − W)⁻¹ W`.
    pub fn exact(&self) -> Result<Integrated, Error> {
        let n = self.names.len();
        if n > EXACT_LIMIT {
            return Err(Error::TooLargeForExact {
                at: Location::Argument,
                entities: n,
                limit: EXACT_LIMIT,
            });
        }
        let (depth, bits) = self.growth();
        if depth.saturating_mul(bits) > EXACT_MAX_BITS {
            return Err(Error::TooDeepForExact {
                at: Location::Argument,
                depth,
                bits,
                limit: EXACT_MAX_BITS,
            });
        }
        // Solve (I − W) X = W by Gauss–Jordan on sparse rows.
        let mut a: Vec<BTreeMap<usize, Q>> = Vec::with_capacity(n);
        let mut b: Vec<BTreeMap<usize, Q>> = Vec::with_capacity(n);
        for i in 0..n {
            let mut ra = BTreeMap::new();
            let mut rb = BTreeMap::new();
            ra.insert(i, Q::one());
            for (j, f) in &self.out[i] {
                ra.insert(*j, -f.clone());
                rb.insert(*j, f.clone());
            }
            a.push(ra);
            b.push(rb);
        }
        for c in 0..n {
            let Some(p) = (c..n).find(|&r| a[r].get(&c).is_some_and(|v| !v.is_zero())) else {
                return Err(Error::ClosedCycle {
                    at: Location::Entity(self.names[c].clone()),
                    entities: vec![self.names[c].clone()],
                });
            };
            a.swap(c, p);
            b.swap(c, p);
            let pivot = a[c].get(&c).cloned().unwrap_or_else(Q::one);
            if !pivot.is_one() {
                for v in a[c].values_mut() {
                    *v /= &pivot;
                }
                for v in b[c].values_mut() {
                    *v /= &pivot;
                }
            }
            let (ra, rb) = (a[c].clone(), b[c].clone());
            for r in 0..n {
                if r == c {
                    continue;
                }
                let Some(factor) = a[r].get(&c).cloned() else {
                    continue;
                };
                if factor.is_zero() {
                    continue;
                }
                axpy(&mut a[r], &ra, &factor);
                axpy(&mut b[r], &rb, &factor);
            }
        }
        let mut interests = Vec::new();
        for (i, row) in b.into_iter().enumerate() {
            for (j, v) in row {
                if !v.is_zero() {
                    interests.push(Interest {
                        party: self.names[i].clone(),
                        entity: self.names[j].clone(),
                        share: Exact(v),
                    });
                }
            }
        }
        Ok(Integrated { interests })
    }

    /// One holder's approximate integrated interests; `None` for an
    /// unknown name.
    pub fn interests_of(&self, holder: &str, it: &Iterative) -> Option<Approximate> {
        let &h = self.index.get(holder)?;
        Some(self.run(&[h], it))
    }

    /// Approximate integrated ownership of every holder.
    pub fn iterative(&self, it: &Iterative) -> Approximate {
        let holders: Vec<usize> = (0..self.names.len())
            .filter(|&i| !self.out[i].is_empty())
            .collect();
        self.run(&holders, it)
    }

    fn run(&self, holders: &[usize], it: &Iterative) -> Approximate {
        let n = self.names.len();
        let tol = if it.tolerance > 0.0 {
            it.tolerance
        } else {
            1e-15
        };
        let mut resid = vec![0.0f64; n];
        let mut x = vec![0.0f64; n];
        let mut queued = vec![false; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut queue = VecDeque::new();
        let mut rows = Vec::with_capacity(holders.len());
        let (mut max_residual, mut total_residual, mut pushes) = (0.0f64, 0.0f64, 0u64);
        for &h in holders {
            let touch = |j: usize, touched: &mut Vec<usize>, x: &[f64], resid: &[f64]| {
                if x[j] == 0.0 && resid[j] == 0.0 {
                    touched.push(j);
                }
            };
            for &(j, f) in &self.out_f[h] {
                let j = j as usize;
                touch(j, &mut touched, &x, &resid);
                resid[j] += f;
                if !queued[j] {
                    queued[j] = true;
                    queue.push_back(j);
                }
            }
            while let Some(k) = queue.pop_front() {
                queued[k] = false;
                let v = std::mem::take(&mut resid[k]);
                if v <= tol {
                    resid[k] = v;
                    continue;
                }
                x[k] += v;
                pushes += 1;
                for &(j, f) in &self.out_f[k] {
                    let j = j as usize;
                    touch(j, &mut touched, &x, &resid);
                    resid[j] += f * v;
                    if !queued[j] && resid[j] > tol {
                        queued[j] = true;
                        queue.push_back(j);
                    }
                }
            }
            let mut row = Vec::new();
            touched.sort_unstable();
            touched.dedup();
            for &j in &touched {
                max_residual = max_residual.max(resid[j]);
                total_residual += resid[j];
                if x[j] > 0.0 && x[j] >= it.min_share {
                    row.push(ApproxInterest {
                        entity: j,
                        share: x[j],
                    });
                }
                x[j] = 0.0;
                resid[j] = 0.0;
            }
            touched.clear();
            rows.push((h, row));
        }
        let rho = self.max_column_sum.to_f64().unwrap_or(1.0);
        Approximate {
            names: self.names.clone(),
            rows,
            max_residual,
            total_residual,
            max_column_sum: rho,
            error_bound: (rho < 1.0).then(|| max_residual / (1.0 - rho)),
            pushes,
        }
    }
}

fn axpy(row: &mut BTreeMap<usize, Q>, pivot_row: &BTreeMap<usize, Q>, factor: &Q) {
    for (k, v) in pivot_row {
        let e = row.entry(*k).or_insert_with(Q::zero);
        *e -= factor * v;
        if e.is_zero() {
            row.remove(k);
        }
    }
}

/// Tarjan's strongly connected components, iteratively; each component
/// sorted.
fn strongly_connected<W>(out: &[Vec<(usize, W)>]) -> Vec<Vec<usize>> {
    let n = out.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comps = Vec::new();
    let mut next = 0usize;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if let Some(&(w, _)) = out[v].get(*ei) {
                *ei += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    comp.sort_unstable();
                    comps.push(comp);
                }
            }
        }
    }
    comps
}
