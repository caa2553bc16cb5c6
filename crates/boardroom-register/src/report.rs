//! Serialisable views of the analysis, for `--format json` and text.

use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::{Analysis, ChainEnd, Stats, owners};
use crate::graph::{Graph, NodeId, edge_flags};

/// A party as shown: record id, name, kind, and the reason when unspecified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PartyView {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PartyView {
    pub fn of(g: &Graph, n: NodeId) -> PartyView {
        PartyView {
            id: g.id(n).to_string(),
            name: g.name(n).map(str::to_string),
            kind: g.kind(n).as_str(),
            reason: g.reason(n).map(str::to_string),
        }
    }

    fn label(&self) -> String {
        match (&self.name, &self.reason) {
            (Some(n), _) => format!("{n} [{}]", self.id),
            (None, Some(r)) => format!("unspecified ({r})"),
            (None, None) => self.id.clone(),
        }
    }
}

/// One hop of a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct HopView {
    pub party: PartyView,
    pub relationship: String,
    /// The hop's ownership share, when it is an economic interest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    /// The BODS interest type that share is of (`shareholding`,
    /// `rightsToProfitOrIncome`, ...), where the data states one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_kind: Option<&'static str>,
    pub control: bool,
    /// The party may control the subject: the data allows a majority and
    /// allows none.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub may_control: bool,
    /// Why the party controls or may control the subject (a code of the
    /// definition of control: `votes`, `board`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<&'static str>,
    pub indirect: bool,
    /// The sources the hop rests on, by id (listed in the envelope), where
    /// the input is a structure that cites them; a register's hop is
    /// cited by its `relationship` record id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The hop rests on an interest the structure marks assumed, not
    /// confirmed (a structure's hops only: a register has no such flag).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumed: bool,
}

/// One chain from the entity up to an ultimate party, or around a cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ChainView {
    /// The hops, from the entity upwards; of a long chain, the first and
    /// the last ten.
    pub hops: Vec<HopView>,
    /// Hops left out of a long chain, between its first and last ten.
    #[serde(default, skip_serializing_if = "is_zero_usize")]
    pub hops_omitted: usize,
    /// The product of the shares along the chain, when every hop is economic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    pub control: bool,
    /// `top` (a party with no parties above it) or `cycle`.
    pub end: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle_at: Option<String>,
}

/// An ultimate party of the entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct UltimateView {
    pub party: PartyView,
    /// Sum over ownership paths of the product of shares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    /// The BODS interest types the shares on its ownership paths are of:
    /// only `shareholding` is ownership of shares; a share of the profits
    /// multiplied through it is a share of the economics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub share_kinds: Vec<&'static str>,
    /// Some share on its ownership paths is of a kind the data does not
    /// state.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub share_kind_unstated: bool,
    pub owner: bool,
    pub controller: bool,
    /// For a body (a board that controls as a body): its members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<PartyView>,
    pub ownership_paths: u64,
    pub control_paths: u64,
    pub min_depth: u32,
    pub max_depth: u32,
    pub via_cycle: bool,
    /// A path count stopped at 4,294,967,295: the counts are lower bounds.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paths_saturated: bool,
    /// Reached through a cycle too large to follow every path (its step
    /// budget ran out): the party is reached, but the share is a bound
    /// and the counts and depths are lower bounds.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bounded: bool,
    /// A chain shown to it rests on an interest the structure marks
    /// assumed, not confirmed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumed: bool,
}

/// A cycle of holdings the entity is in, or that its paths run into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CycleView {
    /// The entity is a member (otherwise its paths run into the cycle).
    pub member: bool,
    /// How many entities and parties the cycle has.
    pub size: u64,
    /// One loop through the cycle, first party repeated at the end; at
    /// most [`CYCLE_SHOWN`] parties, then the last.
    pub example: Vec<PartyView>,
    /// Parties of the example left out of `example`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub example_omitted: u64,
    /// Not every path through it was followed (its step budget ran out).
    pub truncated: bool,
    /// This entity's parties could not be listed at all.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unresolved: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_zero_usize(n: &usize) -> bool {
    *n == 0
}

/// The most parties of a cycle's loop shown.
pub const CYCLE_SHOWN: usize = 12;

/// The chains above one entity and its ultimate owners and controllers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct OwnersReport {
    pub entity: PartyView,
    /// The date the interests were read in force on; `null` for a
    /// register read without one: each record's latest statement, its
    /// interests with no end date.
    pub as_of: Option<String>,
    pub ultimate: Vec<UltimateView>,
    pub chains: Vec<ChainView>,
    /// More chains exist than were listed.
    pub truncated: bool,
    /// The cycle the entity is in, or else the first its chains run into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle: Option<CycleView>,
    /// What the data declares as the ultimate parent, beside the computed
    /// chains (GLEIF's `IS_ULTIMATELY_CONSOLIDATED_BY`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declared_ultimate: Vec<PartyView>,
    /// Where and why the chains stop, and whether they agree with what is
    /// declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// For a structure read on a date before its record starts: the date
    /// it starts. What is not found then is not known, not absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_starts: Option<String>,
    /// People the data declares beneficial owners of the entity
    /// (`beneficialOwnershipOrControl = true`) by interests this definition
    /// does not count as ownership or control (a settlor, a protector, a
    /// minority's votes): listed, not dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declared_beneficial: Vec<DeclaredView>,
}

/// A person declared a beneficial owner by interests that are neither
/// ownership nor control here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DeclaredView {
    pub party: PartyView,
    /// The BODS interest types, in codelist order.
    pub interests: Vec<&'static str>,
    /// The relationship's recordId.
    pub relationship: String,
}

impl OwnersReport {
    /// Adds what GLEIF declares beside the computed chains of `n`, why each
    /// chain stops where it does, and whether the two agree.
    pub fn with_gleif(
        mut self,
        g: &Graph,
        a: &Analysis,
        n: NodeId,
        index: &crate::GleifIndex,
    ) -> Self {
        let controllers: Vec<NodeId> = a
            .ultimates(g, n)
            .iter()
            .filter(|u| u.is_controller())
            .map(|u| u.party)
            .collect();
        let declared = index.declared.get(&n).cloned().unwrap_or_default();
        self.declared_ultimate = declared.iter().map(|&p| PartyView::of(g, p)).collect();
        if controllers.is_empty() {
            self.notes.push(format!("no parent: {}", index.stop(g, n)));
        }
        for &top in &controllers {
            if g.kind(top) == crate::NodeKind::Entity && !g.has_parties(top) {
                self.notes.push(format!(
                    "the chain stops at {}: {}",
                    label(g, top),
                    index.stop(g, top)
                ));
            }
        }
        if let Some(&d) = declared.first() {
            if controllers.contains(&d) {
                self.notes.push(format!(
                    "the computed chain reaches the ultimate parent GLEIF declares, {}",
                    label(g, d)
                ));
            } else if !controllers.is_empty() {
                let tops: Vec<String> = controllers.iter().map(|&t| label(g, t)).collect();
                let on_chain = self
                    .chains
                    .iter()
                    .any(|c| c.hops.iter().any(|h| h.party.id == g.id(d)));
                self.notes.push(if on_chain {
                    // The declared parent is on the chain, which runs past
                    // it: its own record names a parent above it.
                    format!(
                        "DISAGREE: GLEIF declares the ultimate parent {}, but that entity's own record names a direct parent, and the chain runs past it to {}: the two records disagree (one may be out of date)",
                        label(g, d),
                        tops.join(" and ")
                    )
                } else {
                    format!(
                        "DISAGREE: the computed chain reaches {}, but GLEIF declares the ultimate parent {}, which this file does not link to it",
                        tops.join(" and "),
                        label(g, d)
                    )
                });
                // What the chain's end declares of itself, where it differs.
                for &top in &controllers {
                    if let Some(&up) = index.declared.get(&top).and_then(|v| v.first())
                        && up != top
                        && !controllers.contains(&up)
                    {
                        self.notes.push(format!(
                            "{} declares its own ultimate parent {}",
                            label(g, top),
                            label(g, up)
                        ));
                    }
                }
                // And the entities on the chain that declare one.
                let mut seen: Vec<NodeId> = Vec::new();
                for c in &self.chains {
                    for h in &c.hops {
                        let Some(p) = g.node(&h.party.id) else {
                            continue;
                        };
                        if p == n || seen.contains(&p) || controllers.contains(&p) {
                            continue;
                        }
                        seen.push(p);
                        if let Some(&up) = index.declared.get(&p).and_then(|v| v.first())
                            && !controllers.contains(&up)
                            && up != d
                        {
                            self.notes.push(format!(
                                "{} (on the chain) declares its ultimate parent {}",
                                label(g, p),
                                label(g, up)
                            ));
                        }
                    }
                }
            }
        }
        self
    }
}

fn label(g: &Graph, n: NodeId) -> String {
    PartyView::of(g, n).label()
}

/// The report on `n`: its ultimate parties and at most `max_chains` chains.
pub fn owners_report(g: &Graph, a: &Analysis, n: NodeId, max_chains: usize) -> OwnersReport {
    let o = owners(g, n, max_chains);
    let kinds = share_kinds_above(g, n);
    OwnersReport {
        as_of: None,
        entity: PartyView::of(g, n),
        ultimate: a
            .ultimates(g, n)
            .iter()
            .map(|u| {
                let mask = if u.is_owner() {
                    kinds.get(&u.party).copied().unwrap_or(0)
                } else {
                    0
                };
                (u, mask)
            })
            .map(|(u, mask)| UltimateView {
                party: PartyView::of(g, u.party),
                share: u.is_owner().then(|| u.share.to_string()),
                share_kinds: edge_flags::SHARE_KINDS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << (i + 1)) != 0)
                    .map(|(_, k)| k.code())
                    .collect(),
                share_kind_unstated: mask & 1 != 0,
                owner: u.is_owner(),
                controller: u.is_controller(),
                members: g
                    .members(u.party)
                    .iter()
                    .map(|&m| PartyView::of(g, m))
                    .collect(),
                ownership_paths: u64::from(u.ownership_paths),
                control_paths: u64::from(u.control_paths),
                min_depth: u.min_depth,
                max_depth: u.max_depth,
                via_cycle: u.via_cycle,
                paths_saturated: u.saturated,
                bounded: u.truncated,
                assumed: false,
            })
            .collect(),
        chains: o
            .chains
            .iter()
            .map(|c| ChainView {
                hops: c
                    .hops
                    .iter()
                    .map(|h| HopView {
                        party: PartyView::of(g, h.party),
                        relationship: h.relationship.clone(),
                        share: h.share.map(|s| s.to_string()),
                        share_kind: h.share_kind.map(boardroom::InterestType::code),
                        control: h.control,
                        may_control: h.may_control,
                        basis: h.basis.map(|b| b.code()),
                        indirect: h.indirect,
                        sources: Vec::new(),
                        assumed: false,
                    })
                    .collect(),
                hops_omitted: c.hops_omitted,
                share: c.share.map(|s| s.to_string()),
                control: c.control,
                end: match c.end {
                    ChainEnd::Top => "top",
                    ChainEnd::Cycle(_) => "cycle",
                },
                cycle_at: match c.end {
                    ChainEnd::Cycle(x) => Some(g.id(x).to_string()),
                    ChainEnd::Top => None,
                },
            })
            .collect(),
        truncated: o.truncated,
        cycle: cycle_view(g, a, n, &o),
        declared_ultimate: Vec::new(),
        notes: Vec::new(),
        record_starts: None,
        declared_beneficial: g
            .declared(n)
            .iter()
            .map(|d| DeclaredView {
                party: PartyView::of(g, d.party),
                interests: d.kinds().map(boardroom::InterestType::code).collect(),
                relationship: d.relationship.to_string(),
            })
            .collect(),
    }
}

/// For each party reached from `n` up live ownership edges, the kinds of
/// interest the shares on the paths to it are of: bit 0 for a kind not
/// stated, bit i for `SHARE_KINDS[i - 1]`. A worklist to a fixed point
/// (masks only grow), so cycles end; every path the analysis multiplies
/// along is among these.
fn share_kinds_above(g: &Graph, n: NodeId) -> hashbrown::HashMap<NodeId, u16> {
    let mut kinds: hashbrown::HashMap<NodeId, u16> = hashbrown::HashMap::new();
    kinds.insert(n, 0);
    let mut work = vec![n];
    while let Some(v) = work.pop() {
        let here = kinds.get(&v).copied().unwrap_or(0);
        for e in g.edges(v) {
            if !e.is_live() || !e.is_ownership() {
                continue;
            }
            let bit =
                1u16 << ((e.flags & edge_flags::SHARE_KIND_MASK) >> edge_flags::SHARE_KIND_SHIFT);
            let k = kinds.entry(e.party).or_insert(0);
            if *k | here | bit != *k {
                *k |= here | bit;
                work.push(e.party);
            }
        }
    }
    kinds
}

/// How a share of `kind` is said: what the share is of.
fn share_kind_words(kind: Option<&str>) -> &'static str {
    use boardroom::InterestType::*;
    match kind.and_then(boardroom::InterestType::from_code) {
        Some(Shareholding) => "shares",
        Some(RightsToSurplusAssetsOnDissolution) => "a claim on the assets at dissolution",
        Some(RightsToProfitOrIncome) => "a share of the profits",
        Some(BeneficiaryOfLegalArrangement) => "a beneficiary's interest",
        Some(EnjoymentAndUseOfAssets) => "the use of the assets",
        Some(RightToProfitOrIncomeFromAssets) => "a share of the income from the assets",
        Some(UnknownInterest) => "an interest of unknown kind",
        Some(UnpublishedInterest) => "an unpublished interest",
        _ => "an interest of unstated kind",
    }
}

/// The cycle `n` is in, or else the first one its chains run into.
fn cycle_view(g: &Graph, a: &Analysis, n: NodeId, o: &crate::Owners) -> Option<CycleView> {
    let reached = || {
        o.chains.iter().find_map(|c| match c.end {
            ChainEnd::Cycle(x) => a.cycle_of(g, x),
            ChainEnd::Top => None,
        })
    };
    let (member, c) = match a.cycle_of(g, n) {
        Some(c) => (true, c),
        None => (false, reached()?),
    };
    let shown = c.example.len().min(CYCLE_SHOWN);
    let mut example: Vec<PartyView> = c.example[..shown]
        .iter()
        .map(|&m| PartyView::of(g, m))
        .collect();
    let omitted = c.example.len() - shown;
    if omitted > 0
        && let Some(&last) = c.example.last()
    {
        example.push(PartyView::of(g, last));
    }
    Some(CycleView {
        member,
        size: c.members.len() as u64,
        example,
        example_omitted: omitted.saturating_sub(1) as u64,
        truncated: c.truncated,
        unresolved: member && c.unresolved.contains(&n),
    })
}

/// A share as [`crate::ShareRange`] writes it (`49%`, `(25%, 50%]`,
/// `unknown [0%, 51%]`), in words for people: "49%", "more than 25% and at
/// most 50%", "an unknown share of at most 51%".
fn share_words(share: &str) -> String {
    let (unknown, range) = match share.strip_prefix("unknown ") {
        Some(r) => (true, r),
        None => (false, share),
    };
    let Some(inner) = range
        .strip_prefix(['[', '('])
        .and_then(|r| r.strip_suffix([']', ')']))
    else {
        return share.to_string();
    };
    let Some((lo, hi)) = inner.split_once(", ") else {
        return share.to_string();
    };
    // An exact share that is no finite decimal (600,000 votes of 2,840,000)
    // is held as the narrowest open range around it: it reads as one
    // number, as `control` writes it, not as an uncertain share.
    let number = |x: &str| {
        x.strip_suffix('%')
            .and_then(|x| x.parse::<rust_decimal::Decimal>().ok())
    };
    if let (false, true, true, Some(l), Some(h)) = (
        unknown,
        range.starts_with('('),
        range.ends_with(')'),
        number(lo),
        number(hi),
    ) && h - l <= rust_decimal::Decimal::new(1, 9)
    {
        return format!("≈{}%", l.round_dp(4).normalize());
    }
    let above = if range.starts_with('(') {
        format!("more than {lo}")
    } else {
        format!("at least {lo}")
    };
    let below = if range.ends_with(')') {
        format!("less than {hi}")
    } else {
        format!("at most {hi}")
    };
    let bounds = if lo == "0%" && range.starts_with('[') {
        below
    } else {
        format!("{above} and {below}")
    };
    if unknown {
        format!("an unknown share, {bounds}")
    } else {
        bounds
    }
}

impl std::fmt::Display for OwnersReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.as_of {
            Some(d) => writeln!(
                f,
                "Owners and controllers of {}, on {d}",
                self.entity.label()
            )?,
            None => writeln!(
                f,
                "Owners and controllers of {}, by each record's latest statement",
                self.entity.label()
            )?,
        }
        match &self.cycle {
            _ if !self.ultimate.is_empty() => {}
            Some(c) if c.unresolved => writeln!(
                f,
                "  not resolved: a cycle of {} too large to follow (raise --max-cycle-steps)",
                c.size
            )?,
            Some(_) => writeln!(
                f,
                "  held only through a cycle: no party outside it holds an interest"
            )?,
            None => match &self.record_starts {
                Some(k) => writeln!(
                    f,
                    "  not known on this date: the file's record starts on {k} (see the notes)"
                )?,
                None => writeln!(f, "  no party is declared to own or control it")?,
            },
        }
        for u in &self.ultimate {
            let mut roles = Vec::new();
            if u.owner {
                let share = share_words(u.share.as_deref().unwrap_or("?"));
                if u.share_kinds == ["shareholding"] && !u.share_kind_unstated {
                    roles.push(format!("owns {share}"));
                } else {
                    // Not ownership of shares: a share of the profits, or
                    // shares held through one, is a share of the economics.
                    let mut through: Vec<&str> = u
                        .share_kinds
                        .iter()
                        .map(|k| share_kind_words(Some(k)))
                        .collect();
                    if u.share_kind_unstated {
                        through.push(share_kind_words(None));
                    }
                    let (share, rest) = match share.strip_prefix("an unknown share") {
                        Some(rest) => ("an unknown share".to_string(), rest.to_string()),
                        None => (share, String::new()),
                    };
                    roles.push(format!(
                        "has {share} of the economics{rest}, through {}",
                        through.join(" and ")
                    ));
                }
            }
            if u.controller && !u.members.is_empty() {
                let names: Vec<String> = u.members.iter().map(PartyView::label).collect();
                roles.push(format!(
                    "controls, as a body (members: {})",
                    names.join(", ")
                ));
            } else if u.controller {
                roles.push("controls".to_string());
            }
            // A chain to it of control, some of it only possible: the data
            // allows a majority and allows none.
            let possible = !u.controller
                && self.chains.iter().any(|c| {
                    c.hops.last().is_some_and(|h| h.party.id == u.party.id)
                        && c.hops.iter().all(|h| h.control || h.may_control)
                        && c.hops.iter().any(|h| h.may_control)
                });
            if possible {
                roles.push("may control (a majority is possible, not certain)".to_string());
            }
            if roles.is_empty() {
                roles.push("top of a chain (neither ownership nor control)".to_string());
            }
            let depth = if u.bounded {
                format!(
                    "at least {} hop{}",
                    u.min_depth,
                    if u.min_depth == 1 { "" } else { "s" }
                )
            } else if u.min_depth == u.max_depth {
                format!(
                    "{} hop{}",
                    u.min_depth,
                    if u.min_depth == 1 { "" } else { "s" }
                )
            } else {
                format!("{}–{} hops", u.min_depth, u.max_depth)
            };
            let cycle = match (u.bounded, u.via_cycle) {
                (true, _) => {
                    ", through a cycle too large to follow every path: the share is a bound"
                }
                (false, true) => ", through a cycle",
                (false, false) => "",
            };
            writeln!(
                f,
                "  {}: {} ({depth}{cycle})",
                u.party.label(),
                roles.join(", ")
            )?;
            if u.assumed {
                writeln!(
                    f,
                    "      caveat: a chain to it rests on an interest or a right the file marks assumed, not confirmed"
                )?;
            }
        }
        if !self.declared_beneficial.is_empty() {
            writeln!(
                f,
                "\nAlso declared beneficial owners (beneficialOwnershipOrControl), by interests not counted above as ownership or control"
            )?;
            let mut trust_role = false;
            for d in &self.declared_beneficial {
                let what: Vec<&str> = d
                    .interests
                    .iter()
                    .filter_map(|c| boardroom::InterestType::from_code(c))
                    .map(|k| {
                        trust_role |= matches!(
                            k,
                            boardroom::InterestType::Settlor | boardroom::InterestType::Protector
                        );
                        k.plain()
                    })
                    .collect();
                writeln!(
                    f,
                    "  {} {} {} [relationship {}]",
                    d.party.label(),
                    what.join(" and "),
                    self.entity.name.as_deref().unwrap_or(&self.entity.id),
                    d.relationship
                )?;
            }
            if trust_role {
                writeln!(
                    f,
                    "  (the EU's AML Directive, art. 3(6)(b), names a trust's settlor and protector among its beneficial owners; neither role is ownership or control by this definition)"
                )?;
            }
        }
        if let Some(c) = &self.cycle {
            let mut names: Vec<String> = c.example.iter().map(PartyView::label).collect();
            if c.example_omitted > 0 {
                let last = names.pop().unwrap_or_default();
                names.push(format!("… {} more …", c.example_omitted));
                names.push(last);
            }
            let role = if c.member {
                "In"
            } else {
                "Its chains run into"
            };
            writeln!(
                f,
                "\n{role} a cycle of {} entities: {}",
                c.size,
                names.join(" → ")
            )?;
            if c.truncated {
                writeln!(
                    f,
                    "  too large to follow every path (--max-cycle-steps): shares through it are bounds"
                )?;
            }
        }
        if !self.chains.is_empty() {
            writeln!(f, "\nChains")?;
        }
        for c in &self.chains {
            let mut line = self.entity.label();
            for (i, h) in c.hops.iter().enumerate() {
                if c.hops_omitted > 0 && i == c.hops.len() / 2 {
                    let _ = write!(line, " ← … {} more hops …", c.hops_omitted);
                }
                let basis = h
                    .basis
                    .and_then(|code| {
                        boardroom::definition::Basis::ALL
                            .iter()
                            .find(|b| b.code() == code)
                    })
                    .map(|b| b.short());
                let mut what: Vec<String> = Vec::new();
                if let Some(s) = &h.share {
                    match h.share_kind {
                        Some("shareholding") => what.push(share_words(s)),
                        k => what.push(format!("{} ({})", share_words(s), share_kind_words(k))),
                    }
                }
                match (h.control, h.may_control, basis) {
                    (true, _, Some(b)) => what.push(format!("controls, {b}")),
                    (true, _, None) => what.push("controls".into()),
                    (false, true, Some(b)) => what.push(format!("may control, {b}")),
                    (false, true, None) => what.push("may control".into()),
                    _ => {}
                }
                if h.assumed {
                    what.push("assumed".into());
                }
                let _ = write!(
                    line,
                    " ← {}{} ← {}",
                    what.join(", "),
                    boardroom::envelope::cite_marks(&h.sources),
                    h.party.label()
                );
            }
            let end = match &c.cycle_at {
                Some(x) => format!(" (back to {x}: a cycle)"),
                None => String::new(),
            };
            let total = c
                .share
                .as_deref()
                .map(|s| format!(" = {}", share_words(s)))
                .unwrap_or_default();
            writeln!(f, "  {line}{end}{total}")?;
        }
        if self.truncated {
            writeln!(f, "  ... more chains exist; raise --max-chains")?;
        }
        for d in &self.declared_ultimate {
            writeln!(f, "\nDeclared ultimate parent (GLEIF): {}", d.label())?;
        }
        if !self.notes.is_empty() {
            writeln!(f, "\nNotes")?;
            for n in &self.notes {
                writeln!(f, "  - {n}")?;
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} entities", self.entities)?;
        writeln!(
            f,
            "  {} with an ultimate owner, {} with an ultimate controller",
            self.entities_with_owner, self.entities_with_controller
        )?;
        writeln!(
            f,
            "  {} with no party declared to own or control it, {} reaching an unspecified or undeclared party",
            self.entities_without_parties, self.entities_with_unknown_party
        )?;
        writeln!(
            f,
            "  {} in cycles, {} reaching a cycle; {} cycles, the largest of {} members",
            self.entities_in_cycles, self.entities_via_cycles, self.cycles, self.largest_cycle
        )?;
        if self.entities_only_through_cycles > 0 {
            writeln!(
                f,
                "  {} held only through cycles (no party outside them holds an interest)",
                self.entities_only_through_cycles
            )?;
        }
        if self.truncated_cycles > 0 {
            writeln!(
                f,
                "  {} too large to follow every path (--max-cycle-steps): shares through {} are bounds, marked",
                plural(self.truncated_cycles, "cycle"),
                if self.truncated_cycles == 1 {
                    "it"
                } else {
                    "them"
                }
            )?;
        }
        if self.entities_unresolved > 0 {
            writeln!(
                f,
                "  {} entities in those cycles not resolved at all: their parties are not listed",
                self.entities_unresolved
            )?;
        }
        writeln!(
            f,
            "{} (entity, ultimate party) pairs: {} by ownership, {} by control",
            self.pairs, self.ownership_pairs, self.control_pairs
        )?;
        writeln!(
            f,
            "chain depth (hops: entities): {}",
            depth_summary(&self.depth_histogram)
        )
    }
}

fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// A depth histogram on one short line: depths 0 to 7 each, deeper ones in
/// ranges that double (8-15, 16-31, ...), and the deepest. (A chain of a
/// million entities printed a million entries, 4 MB on one line.)
pub fn depth_summary(histogram: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut from = 0usize;
    while from < histogram.len() {
        let to = if from < 8 {
            from
        } else {
            (2 * from - 1).min(histogram.len() - 1)
        };
        let n: u64 = histogram[from..=to].iter().sum();
        if n > 0 {
            parts.push(if from == to {
                format!("{from}: {n}")
            } else {
                format!("{from}-{to}: {n}")
            });
        }
        from = to + 1;
    }
    if let Some(deepest) = histogram.iter().rposition(|&n| n > 0)
        && deepest >= 8
    {
        parts.push(format!("deepest {deepest}"));
    }
    parts.join(", ")
}

#[cfg(test)]
mod depth_tests {
    use super::depth_summary;

    #[test]
    fn a_deep_histogram_is_summarised_in_doubling_ranges() {
        let mut h = vec![1u64; 1_000_001];
        h[3] = 0;
        assert_eq!(
            depth_summary(&h),
            "0: 1, 1: 1, 2: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8-15: 8, 16-31: 16, 32-63: 32, \
             64-127: 64, 128-255: 128, 256-511: 256, 512-1023: 512, 1024-2047: 1024, \
             2048-4095: 2048, 4096-8191: 4096, 8192-16383: 8192, 16384-32767: 16384, \
             32768-65535: 32768, 65536-131071: 65536, 131072-262143: 131072, \
             262144-524287: 262144, 524288-1000000: 475713, deepest 1000000"
        );
        assert_eq!(depth_summary(&[0, 2, 5]), "1: 2, 2: 5");
        assert_eq!(depth_summary(&[]), "");
    }
}
