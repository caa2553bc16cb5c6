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

use crate::model::{InterestType, Structure};
use crate::timeline::State;

/// One party's integrated interest in one entity.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LookThroughInterest {
    pub party: String,
    pub entity: String,
    /// Exact, as a fraction in lowest terms (exact method only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction: Option<String>,
    /// In percent, to 6 decimal places.
    pub percent: Decimal,
    /// Whether the party also holds directly (the rest comes through chains).
    pub direct: Option<Decimal>,
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

/// A shareholding's percentage of all units of `subject`, when every
/// shareholding in force there states its units.
fn unit_percent(state: &State, subject: &str, units: Option<Decimal>) -> Option<Decimal> {
    let units = units?;
    let mut total = Decimal::ZERO;
    for x in state.interests_in(subject) {
        if x.kind == InterestType::Shareholding {
            total = total.checked_add(x.units?)?;
        }
    }
    if total.is_zero() {
        return None;
    }
    units.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(total)
}

/// Integrated economic interests in `state`.
pub fn lookthrough(s: &Structure, state: &State) -> Result<LookThrough, LookThroughError> {
    let mut left_out = Vec::new();
    // One share per (holder, subject): shareholdings first, else profit rights.
    let mut shares: BTreeMap<(String, String), (Decimal, bool)> = BTreeMap::new();
    for i in state.active_interests() {
        if !i.kind.is_economic() {
            continue;
        }
        let Some(h) = &i.holder else {
            left_out.push(format!("`{}`: the holder is unspecified", i.id));
            continue;
        };
        let by_units = (i.kind == InterestType::Shareholding)
            .then(|| unit_percent(state, &i.subject, i.units))
            .flatten();
        let Some(exact) = i.share.as_ref().and_then(|sh| sh.exact).or(by_units) else {
            left_out.push(format!(
                "`{}` ({} of {} in {}): no exact share",
                i.id,
                i.kind.code(),
                s.name(h),
                s.name(&i.subject)
            ));
            continue;
        };
        let is_shares = i.kind == InterestType::Shareholding;
        let key = (h.clone(), i.subject.clone());
        match shares.get(&key) {
            Some((_, true)) if !is_shares => {}
            Some((old, was)) if *was == is_shares => {
                let sum = *old + exact;
                shares.insert(key, (sum, is_shares));
            }
            _ => {
                shares.insert(key, (exact, is_shares));
            }
        }
    }
    let holdings: Vec<boardroom_waterfall::Holding> = shares
        .iter()
        .map(|((h, e), (pct, _))| boardroom_waterfall::Holding {
            holder: h.clone(),
            subject: e.clone(),
            share: boardroom_waterfall::HoldingShare::Percent(*pct),
        })
        .collect();
    let direct = |p: &str, e: &str| shares.get(&(p.to_string(), e.to_string())).map(|(d, _)| *d);
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
