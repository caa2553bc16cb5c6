//! Look-through economic interest: each party's integrated interest in
//! each entity, across chains and cycles of holdings (Vitali, Glattfelder
//! and Battiston, "The network of global corporate control", 2011:
//! integrated ownership = (I − W)⁻¹ W).
//!
//! Holdings are the economic interests in force with an exact share
//! (`shareholding` first, else rights to profit), or, for shareholdings
//! whose subject states every holding's units, the share of the units. Interests with a range or
//! no share cannot be multiplied exactly; they are listed as left out. The
//! result is exact (rationals) up to `boardroom_waterfall::EXACT_LIMIT`
//! parties, and iterative above, with its error bound.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use boardroom_waterfall::HoldingShare;

use crate::model::{InterestType, Structure};
use crate::timeline::State;

/// One party's integrated interest in one entity.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LookThroughInterest {
    pub party: String,
    pub entity: String,
    /// Exact, as a fraction in lowest terms (exact method only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::envelope::optional_fraction_schema")]
    pub fraction: Option<String>,
    /// In percent, to 6 decimal places.
    pub percent: Decimal,
    /// Whether the party also holds directly (the rest comes through chains).
    pub direct: Option<Decimal>,
    /// The sources of every holding the figure multiplies (each holding
    /// on a chain from the party to the entity), by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// What the figure rests on that is assumed or cannot be checked: the
    /// caveats of those holdings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<String>,
}

/// The look-through on a date.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LookThrough {
    /// `exact` or `iterative`.
    pub method: String,
    /// Why the iterative method was used: the exact one was out of reach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_iterative: Option<String>,
    pub interests: Vec<LookThroughInterest>,
    /// Economic interests not used, and why.
    pub left_out: Vec<String>,
    /// For the iterative method: a bound on the error of every entry, in
    /// percentage points, when one can be given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_bound: Option<f64>,
}

/// Why a look-through could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct LookThroughError(pub String);

/// The units a shareholding's units are a share of: where `subject` has
/// share classes, every share it has issued less its treasury shares
/// (which carry no economic rights), as `holder_votes` counts votes; else
/// the units of every shareholding in force there, when each states them.
fn units_base(state: &State, subject: &str) -> Option<Decimal> {
    let mut classes = state.classes_of(subject).peekable();
    let mut total = Decimal::ZERO;
    if classes.peek().is_some() {
        for c in classes {
            let outstanding = c.issued.checked_sub(c.treasury.unwrap_or_default())?;
            total = total.checked_add(outstanding)?;
        }
    } else {
        for x in state.interests_in(subject) {
            if x.kind == InterestType::Shareholding {
                total = total.checked_add(x.units?)?;
            }
        }
    }
    (total > Decimal::ZERO).then_some(total)
}

/// A share as a percentage rounded to 6 places, as the figures show it.
fn shown(share: HoldingShare) -> Decimal {
    let percent = match share {
        HoldingShare::Percent(p) => Some(p),
        HoldingShare::Fraction(f) => f.checked_mul(Decimal::ONE_HUNDRED),
        HoldingShare::Units { units, of } => units
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|u| u.checked_div(of)),
    };
    percent.unwrap_or_default().round_dp(6).normalize()
}

/// Two shares of one holder in one subject, added; exact where both are
/// units of the same base or both percentages.
fn add(a: HoldingShare, b: HoldingShare) -> HoldingShare {
    match (a, b) {
        (HoldingShare::Units { units, of }, HoldingShare::Units { units: u2, of: o2 })
            if of == o2 =>
        {
            HoldingShare::Units {
                units: units.saturating_add(u2),
                of,
            }
        }
        (HoldingShare::Percent(x), HoldingShare::Percent(y)) => {
            HoldingShare::Percent(x.saturating_add(y))
        }
        (a, b) => HoldingShare::Percent(shown(a).saturating_add(shown(b))),
    }
}

/// Integrated economic interests in `state`.
pub fn lookthrough(s: &Structure, state: &State) -> Result<LookThrough, LookThroughError> {
    let mut left_out = Vec::new();
    // One share per (holder, subject): shareholdings first, else profit rights.
    let mut shares: BTreeMap<(String, String), (HoldingShare, bool)> = BTreeMap::new();
    // What each of those shares rests on.
    let mut used: BTreeMap<(String, String), Vec<Basis>> = BTreeMap::new();
    for i in state.active_interests() {
        if !i.kind.is_economic() {
            continue;
        }
        let Some(h) = &i.holder else {
            left_out.push(format!(
                "an interest in {} [{}]: the holder is unspecified",
                s.name(&i.subject),
                i.id
            ));
            continue;
        };
        let by_units = (i.kind == InterestType::Shareholding)
            .then(|| {
                Some(HoldingShare::Units {
                    units: i.units?,
                    of: units_base(state, &i.subject)?,
                })
            })
            .flatten();
        let Some(exact) = i
            .share
            .as_ref()
            .and_then(|sh| sh.exact)
            .map(HoldingShare::Percent)
            .or(by_units)
        else {
            left_out.push(format!(
                "{} {} {} [{}]: no exact share",
                s.name(h),
                i.kind.plain(),
                s.name(&i.subject),
                i.id
            ));
            continue;
        };
        let is_shares = i.kind == InterestType::Shareholding;
        let key = (h.clone(), i.subject.clone());
        let mut caveats = crate::report::interest_caveats(s, i);
        let classes = state.classes_of(&i.subject).count();
        if matches!(exact, HoldingShare::Units { .. }) && classes > 1 {
            caveats.push(format!(
                "counts every share of {} alike across its {classes} classes, whose economic rights may differ",
                s.name(&i.subject)
            ));
        }
        let basis = Basis {
            source: i.source.clone(),
            caveats,
        };
        match shares.get(&key) {
            Some((_, true)) if !is_shares => {}
            Some((old, was)) if *was == is_shares => {
                let sum = add(*old, exact);
                shares.insert(key.clone(), (sum, is_shares));
                used.entry(key).or_default().push(basis);
            }
            _ => {
                shares.insert(key.clone(), (exact, is_shares));
                used.insert(key, vec![basis]);
            }
        }
    }
    let holdings: Vec<boardroom_waterfall::Holding> = shares
        .iter()
        .map(|((h, e), (share, _))| boardroom_waterfall::Holding {
            holder: h.clone(),
            subject: e.clone(),
            share: *share,
        })
        .collect();
    let direct = |p: &str, e: &str| {
        shares
            .get(&(p.to_string(), e.to_string()))
            .map(|(d, _)| shown(*d))
    };
    let graph = boardroom_waterfall::HoldingGraph::new(&holdings).map_err(|errors| {
        LookThroughError(
            errors
                .0
                .iter()
                .map(|e| format!("{e} (hint: {})", e.hint()))
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let mut interests = Vec::new();
    let mut why_iterative = None;
    let (method, error_bound) = match graph.exact() {
        Ok(exact) => {
            for x in exact.interests {
                let percent = (x.share.decimal(10) * Decimal::ONE_HUNDRED)
                    .round_dp(6)
                    .normalize();
                interests.push(LookThroughInterest {
                    direct: direct(&x.party, &x.entity),
                    fraction: Some(x.share.fraction()),
                    percent,
                    party: x.party,
                    entity: x.entity,
                    sources: Vec::new(),
                    caveats: Vec::new(),
                });
            }
            ("exact".to_string(), None)
        }
        Err(why) => {
            why_iterative = Some(why.to_string());
            let approx = graph.iterative(&boardroom_waterfall::Iterative::default());
            for (h, row) in &approx.rows {
                for x in row {
                    let (party, entity) =
                        (approx.names[*h].clone(), approx.names[x.entity].clone());
                    interests.push(LookThroughInterest {
                        direct: direct(&party, &entity),
                        fraction: None,
                        percent: Decimal::from_f64_retain(x.share * 100.0)
                            .unwrap_or_default()
                            .round_dp(6)
                            .normalize(),
                        party,
                        entity,
                        sources: Vec::new(),
                        caveats: Vec::new(),
                    });
                }
            }
            (
                "iterative".to_string(),
                approx.error_bound.map(|b| b * 100.0),
            )
        }
    };
    let parties: BTreeSet<&str> = s.party.iter().map(|p| p.id.as_str()).collect();
    // An entity's "interest in itself" (value that comes back to it round a
    // cycle) is part of the method, not an interest anyone holds.
    interests.retain(|x| {
        parties.contains(x.party.as_str()) && x.party != x.entity && x.percent > Decimal::ZERO
    });
    cite(s, &used, &mut interests);
    interests.sort_by(|a, b| {
        a.entity
            .cmp(&b.entity)
            .then(b.percent.cmp(&a.percent))
            .then(a.party.cmp(&b.party))
    });
    Ok(LookThrough {
        method,
        why_iterative,
        interests,
        left_out,
        error_bound,
    })
}

/// What one holding rests on.
struct Basis {
    source: Option<String>,
    caveats: Vec<String>,
}

/// Each figure's sources and caveats: those of every holding on a chain
/// from its party to its entity, that is every holding (h, e) where the
/// party is h or reaches h through holdings, and e is the entity or
/// reaches it.
fn cite(
    s: &Structure,
    used: &BTreeMap<(String, String), Vec<Basis>>,
    interests: &mut [LookThroughInterest],
) {
    let mut above: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (h, e) in used.keys() {
        above.entry(h.as_str()).or_default().push(e.as_str());
    }
    // Who each node reaches through holdings, itself included.
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::from([from.to_string()]);
        let mut todo = vec![from.to_string()];
        while let Some(n) = todo.pop() {
            for &e in above.get(n.as_str()).into_iter().flatten() {
                if seen.insert(e.to_string()) {
                    todo.push(e.to_string());
                }
            }
        }
        seen
    };
    let mut reaches: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let nodes = used
        .keys()
        .flat_map(|(h, e)| [h, e])
        .chain(interests.iter().map(|x| &x.party));
    for n in nodes {
        if !reaches.contains_key(n) {
            reaches.insert(n.clone(), reach(n));
        }
    }
    for x in interests.iter_mut() {
        let from_party = &reaches[&x.party];
        let mut sources = BTreeSet::new();
        let mut caveats = BTreeSet::new();
        for ((h, e), bases) in used {
            if !from_party.contains(h) || !reaches[e].contains(&x.entity) {
                continue;
            }
            for b in bases {
                sources.extend(b.source.clone());
                caveats.extend(b.caveats.iter().cloned());
            }
        }
        let mut sources: Vec<String> = sources.into_iter().collect();
        sources.sort_by_key(|id| s.source.iter().position(|y| &y.id == id));
        x.sources = sources;
        x.caveats = caveats.into_iter().collect();
    }
}
