//! The cap table on a date: shares outstanding per class and holder, the
//! grants and warrants that would add to them, the pool, and the fully
//! diluted count, each figure exact.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::ledger::{Ledger, SecurityKind, date, money, number};
use super::package::{Object, Package};
use boardroom::report::count;

/// One class of stock.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClassLine {
    pub id: String,
    pub name: String,
    /// `COMMON` or `PREFERRED`.
    pub class_type: String,
    /// Authorised shares on the date, where the package states them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorized: Option<Decimal>,
    /// Shares outstanding: issued, less those cancelled, repurchased,
    /// converted or transferred away (and split-adjusted).
    pub outstanding: Decimal,
    /// Votes per share; absent when the package does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes_per_share: Option<Decimal>,
    /// The class its shares convert into, and how many per share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converts_into: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversion_ratio: Option<Decimal>,
    /// Outstanding × conversion ratio: the common shares it stands for.
    pub as_converted: Decimal,
    /// Higher is paid first (OCF's seniority).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seniority: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liquidation_preference_multiple: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participation_cap_multiple: Option<Decimal>,
    /// The original issue price per share, where stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_per_share: Option<Decimal>,
    /// What the outstanding shares were issued for: Σ shares × the price
    /// each issuance states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invested: Option<Decimal>,
}

/// One stock plan (option pool).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PlanLine {
    pub id: String,
    pub name: String,
    /// Shares reserved on the date.
    pub reserved: Decimal,
    /// Options, RSUs and other grants outstanding under the plan.
    pub outstanding: Decimal,
    /// Shares drawn from the pool: every grant and every share of plan
    /// stock issued under it, whether since exercised, cancelled or
    /// returned.
    pub drawn: Decimal,
    /// Of those, shares returned to the pool by cancellations.
    pub returned: Decimal,
    /// Reserved, less drawn, plus returned: still available for grants.
    pub available: Decimal,
}

/// One stakeholder's holdings.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct HolderLine {
    pub id: String,
    pub name: String,
    /// Shares outstanding, by class id.
    pub shares: BTreeMap<String, Decimal>,
    /// Options, RSUs and other equity compensation outstanding.
    pub equity_compensation: Decimal,
    /// Shares the holder's warrants are exercisable for.
    pub warrants: Decimal,
    /// Amounts invested in SAFEs and notes not yet converted, by currency.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub convertibles: BTreeMap<String, Decimal>,
    /// Shares as converted + grants + warrants.
    pub fully_diluted: Decimal,
    /// Of the fully diluted total, in percent (6 places, rounded).
    pub fully_diluted_percent: Decimal,
    /// Of the grants, warrants and restricted stock held, the shares not
    /// yet vested on the date (by their vesting terms and start, or their
    /// own dated vestings); fully diluted counts them.
    pub unvested: Decimal,
}

/// The totals.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Totals {
    pub outstanding: Decimal,
    pub as_converted: Decimal,
    pub equity_compensation: Decimal,
    pub warrants: Decimal,
    pub pool_available: Decimal,
    /// As converted + grants + warrants + the pool still available.
    pub fully_diluted: Decimal,
    /// Shares of grants, warrants and restricted stock not yet vested.
    pub unvested: Decimal,
}

/// The cap table of a package on a date.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CapTable {
    pub issuer: String,
    pub as_of: NaiveDate,
    pub classes: Vec<ClassLine>,
    pub plans: Vec<PlanLine>,
    pub holders: Vec<HolderLine>,
    pub totals: Totals,
    /// How the figures were counted, and what they leave out.
    pub notes: Vec<String>,
}

fn name_of(o: &Object) -> String {
    o.str("name")
        .map(str::to_string)
        .or_else(|| o.value["name"]["legal_name"].as_str().map(str::to_string))
        .or_else(|| o.str("plan_name").map(str::to_string))
        .unwrap_or_else(|| o.id.clone())
}

/// Decimal arithmetic that notes an overflow instead of panicking: a
/// hostile package cannot stop the reading, and a total that overflowed is
/// never given.
struct Checked(std::cell::Cell<bool>);

impl Checked {
    fn add(&self, a: Decimal, b: Decimal) -> Decimal {
        a.checked_add(b).unwrap_or_else(|| {
            self.0.set(true);
            Decimal::ZERO
        })
    }

    fn mul(&self, a: Decimal, b: Decimal) -> Decimal {
        a.checked_mul(b).unwrap_or_else(|| {
            self.0.set(true);
            Decimal::ZERO
        })
    }

    fn sum(&self, it: impl Iterator<Item = Decimal>) -> Decimal {
        it.fold(Decimal::ZERO, |a, v| self.add(a, v))
    }
}

/// The latest dated value on or before `on`, else `initial`.
fn latest(list: Option<&Vec<super::ledger::Dated<Decimal>>>, on: NaiveDate) -> Option<Decimal> {
    list?
        .iter()
        .filter(|x| x.date <= on)
        .max_by_key(|x| x.date)
        .map(|x| x.value)
}

/// A class's ratio conversion: (into, common shares per share).
pub(crate) fn conversion(o: &Object) -> Option<(String, Decimal)> {
    o.value["conversion_rights"]
        .as_array()?
        .iter()
        .find_map(|r| {
            let m = &r["conversion_mechanism"];
            let ratio = if m["type"].as_str() == Some("RATIO_CONVERSION") || m["ratio"].is_object()
            {
                let n = number(&m["ratio"]["numerator"])?;
                let d = number(&m["ratio"]["denominator"])?;
                super::ledger::ratio(n, d)?
            } else {
                return None;
            };
            Some((r["converts_to_stock_class_id"].as_str()?.to_string(), ratio))
        })
}

/// Votes per share, when stated as a number.
pub(crate) fn votes(o: &Object) -> Option<Decimal> {
    number(&o.value["votes_per_share"])
}

impl CapTable {
    /// The cap table on `on`; an error when its figures are too large to
    /// add up exactly.
    pub fn on(p: &Package, l: &Ledger, on: NaiveDate) -> Result<CapTable, String> {
        let x = Checked(std::cell::Cell::new(false));
        let mut notes = Vec::new();
        let objects = |t: &'static str| p.objects.iter().filter(move |o| o.object_type == t);
        let mut holders: BTreeMap<&str, HolderLine> = objects("STAKEHOLDER")
            .map(|o| {
                (
                    o.id.as_str(),
                    HolderLine {
                        id: o.id.clone(),
                        name: name_of(o),
                        shares: BTreeMap::new(),
                        equity_compensation: Decimal::ZERO,
                        warrants: Decimal::ZERO,
                        convertibles: BTreeMap::new(),
                        fully_diluted: Decimal::ZERO,
                        fully_diluted_percent: Decimal::ZERO,
                        unvested: Decimal::ZERO,
                    },
                )
            })
            .collect();
        let mut classes: Vec<ClassLine> = objects("STOCK_CLASS")
            .map(|o| {
                // A conversion ratio adjustment in force replaces the
                // class's own ratio.
                let conv = conversion(o).map(|(into, r)| {
                    (
                        into,
                        latest(l.conversion_ratios.get(&o.id), on).unwrap_or(r),
                    )
                });
                ClassLine {
                    id: o.id.clone(),
                    name: name_of(o),
                    class_type: o.str("class_type").unwrap_or_default().to_string(),
                    authorized: latest(l.authorized.get(&o.id), on).or_else(|| {
                        number(&o.value["initial_shares_authorized"])
                            .or_else(|| number(&o.value["current_shares_authorized"]))
                    }),
                    outstanding: Decimal::ZERO,
                    votes_per_share: votes(o),
                    converts_into: conv.as_ref().map(|c| c.0.clone()),
                    conversion_ratio: conv.map(|c| c.1),
                    as_converted: Decimal::ZERO,
                    seniority: number(&o.value["seniority"]),
                    liquidation_preference_multiple: number(
                        &o.value["liquidation_preference_multiple"],
                    ),
                    participation_cap_multiple: number(&o.value["participation_cap_multiple"]),
                    price_per_share: money(&o.value["price_per_share"]).map(|m| m.0),
                    invested: None,
                }
            })
            .collect();
        let mut invested: BTreeMap<String, Option<Decimal>> = BTreeMap::new();
        let (mut unpriced, mut convertibles) = (0usize, 0usize);
        for s in &l.securities {
            let Some(h) = holders.get_mut(s.holder.as_str()) else {
                continue;
            };
            if !s.alive_on(on) {
                continue;
            }
            match s.kind {
                SecurityKind::Stock => {
                    let Some(c) = &s.class else { continue };
                    let q = x.mul(s.held_on(on), l.split_factor(c, s.date, on));
                    let e = h.shares.entry(c.clone()).or_default();
                    *e = x.add(*e, q);
                    if let Some(line) = classes.iter_mut().find(|x| &x.id == c) {
                        line.outstanding = x.add(line.outstanding, q);
                    }
                    let entry = invested.entry(c.clone()).or_insert(Some(Decimal::ZERO));
                    match (&s.price, entry.as_mut()) {
                        (Some((price, _)), Some(total)) => {
                            *total = x.add(*total, x.mul(s.held_on(on), *price));
                        }
                        _ => {
                            unpriced += 1;
                            *entry = None;
                        }
                    }
                }
                SecurityKind::EquityCompensation => {
                    let f = l.right_split_factor(p, s, s.date, on);
                    h.equity_compensation = x.add(h.equity_compensation, x.mul(s.held_on(on), f))
                }
                SecurityKind::Warrant => {
                    let f = l.right_split_factor(p, s, s.date, on);
                    h.warrants = x.add(h.warrants, x.mul(s.held_on(on), f))
                }
                SecurityKind::Convertible => {
                    if let Some((a, cur)) = &s.amount {
                        let left = match &s.end {
                            Some(e) if e.keeps_rest && e.date <= on => {
                                *a - e.quantity.unwrap_or(*a)
                            }
                            _ => *a,
                        };
                        let e = h.convertibles.entry(cur.clone()).or_default();
                        *e = x.add(*e, left);
                        convertibles += 1;
                    }
                }
            }
        }
        // As converted: the ratio to the class it converts into (one step;
        // common and classes without a ratio count one for one).
        for c in &mut classes {
            c.as_converted = x.mul(c.outstanding, c.conversion_ratio.unwrap_or(Decimal::ONE));
            c.invested = invested.get(&c.id).copied().flatten();
        }
        if unpriced > 0 {
            notes.push(format!(
                "{unpriced} stock issuance{} state no share price: the amount invested in {} is not given",
                if unpriced == 1 { "" } else { "s" },
                if unpriced == 1 { "its class" } else { "their classes" }
            ));
        }
        let ratio_of = |class: &str| {
            classes
                .iter()
                .find(|c| c.id == class)
                .and_then(|c| c.conversion_ratio)
                .unwrap_or(Decimal::ONE)
        };
        for (class, list) in &l.conversion_ratios {
            let Some(last) = list.iter().filter(|d| d.date <= on).max_by_key(|d| d.date) else {
                continue;
            };
            match classes.iter().find(|c| &c.id == class) {
                Some(c) if c.converts_into.is_some() => notes.push(format!(
                    "class `{}`: conversion ratio {} from its adjustment on {}",
                    c.name, last.value, last.date
                )),
                Some(c) => notes.push(format!(
                    "class `{}`: a conversion ratio adjustment on {}, but the class states no conversion right: not applied",
                    c.name, last.date
                )),
                None => {}
            }
        }
        // Plans: reserved, drawn, returned, available.
        let plan_objects: Vec<&Object> = objects("STOCK_PLAN").collect();
        let mut plans = Vec::new();
        for o in &plan_objects {
            let reserved = latest(l.reserved.get(&o.id), on)
                .or_else(|| number(&o.value["initial_shares_reserved"]))
                .unwrap_or_default();
            let behaviour = o.str("default_cancellation_behavior");
            let explicit: Vec<&str> = p
                .objects
                .iter()
                .filter(|x| {
                    x.object_type == "TX_STOCK_PLAN_RETURN_TO_POOL"
                        && x.str("stock_plan_id") == Some(o.id.as_str())
                        && date(&x.value["date"]).is_some_and(|d| d <= on)
                })
                .filter_map(|x| x.str("security_id"))
                .collect();
            let mut returned: Decimal = l
                .returned
                .get(&o.id)
                .map(|r| x.sum(r.iter().filter(|d| d.date <= on).map(|d| d.value)))
                .unwrap_or_default();
            let (mut drawn, mut outstanding, mut unknown) =
                (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for s in l
                .securities
                .iter()
                .filter(|s| s.plan.as_deref() == Some(o.id.as_str()))
            {
                if s.date > on {
                    continue;
                }
                if s.kind == SecurityKind::EquityCompensation {
                    outstanding = x.add(outstanding, s.held_on(on));
                }
                let void = s.end.as_ref().is_some_and(|e| e.void);
                if !s.derived && !void {
                    drawn = x.add(drawn, s.quantity.unwrap_or_default());
                }
                if let Some(e) = &s.end
                    && !e.void
                    && e.date <= on
                    && e.object_type.ends_with("_CANCELLATION")
                    && !explicit.contains(&s.id.as_str())
                {
                    let q = e.quantity.unwrap_or(s.quantity.unwrap_or_default());
                    match behaviour {
                        Some("RETURN_TO_POOL") => returned = x.add(returned, q),
                        Some("RETIRE") | Some("HOLD_AS_CAPITAL_STOCK") => {}
                        _ => unknown = x.add(unknown, q),
                    }
                }
            }
            if unknown > Decimal::ZERO {
                notes.push(format!(
                    "plan `{}`: the package does not say whether {unknown} cancelled shares went back to the pool (no return-to-pool transaction, and the plan's default is {}): they are counted as not returned",
                    name_of(o),
                    behaviour.unwrap_or("not stated")
                ));
            }
            plans.push(PlanLine {
                id: o.id.clone(),
                name: name_of(o),
                reserved,
                outstanding,
                drawn,
                returned,
                available: x.add(x.add(reserved, -drawn), returned),
            });
        }
        // Vesting: what of each security held is not yet vested.
        let mut undated: Vec<String> = Vec::new();
        let mut dated = 0usize;
        for s in l.securities.iter().filter(|s| s.alive_on(on)) {
            if s.kind == SecurityKind::Convertible {
                continue;
            }
            let Some(v) = super::vesting::of(p, l, s) else {
                continue;
            };
            match v {
                Ok(tranches) => {
                    dated += 1;
                    // What was exercised came from the vested shares: the
                    // unvested are the grant's not yet vested, at most what
                    // is still held.
                    let held = s.held_on(on);
                    let vested = super::vesting::vested_on(&tranches, on);
                    let unvested = x
                        .add(s.quantity.unwrap_or_default(), -vested)
                        .clamp(Decimal::ZERO, held.max(Decimal::ZERO));
                    // In shares of today, after the splits since.
                    let f = match s.kind {
                        SecurityKind::Stock => s
                            .class
                            .as_deref()
                            .map_or(Decimal::ONE, |c| l.split_factor(c, s.date, on)),
                        _ => l.right_split_factor(p, s, s.date, on),
                    };
                    if let Some(h) = holders.get_mut(s.holder.as_str()) {
                        h.unvested = x.add(h.unvested, x.mul(unvested, f));
                    }
                }
                Err(why) => undated.push(format!("`{}`: {why}", s.id)),
            }
        }
        // Warrants and grants count as the shares of the class they give.
        for h in holders.values_mut() {
            let as_converted = x.sum(h.shares.iter().map(|(c, q)| x.mul(*q, ratio_of(c))));
            h.fully_diluted = x.sum([as_converted, h.equity_compensation, h.warrants].into_iter());
        }
        let totals = Totals {
            outstanding: x.sum(classes.iter().map(|c| c.outstanding)),
            as_converted: x.sum(classes.iter().map(|c| c.as_converted)),
            equity_compensation: x.sum(holders.values().map(|h| h.equity_compensation)),
            warrants: x.sum(holders.values().map(|h| h.warrants)),
            pool_available: x.sum(plans.iter().map(|p| p.available.max(Decimal::ZERO))),
            fully_diluted: Decimal::ZERO,
            unvested: x.sum(holders.values().map(|h| h.unvested)),
        };
        let fully_diluted = x.sum(
            [
                totals.as_converted,
                totals.equity_compensation,
                totals.warrants,
                totals.pool_available,
            ]
            .into_iter(),
        );
        let totals = Totals {
            fully_diluted,
            ..totals
        };
        for h in holders.values_mut() {
            if !fully_diluted.is_zero() {
                h.fully_diluted_percent = x
                    .mul(h.fully_diluted, Decimal::ONE_HUNDRED)
                    .checked_div(fully_diluted)
                    .unwrap_or_default()
                    .round_dp(6);
            }
        }
        notes.push(
            "fully diluted = shares outstanding as converted + grants and warrants outstanding + the pool still available, vested or not".into(),
        );
        if !plans.is_empty() {
            notes.push(
                "a plan's available = reserved - drawn (every grant and share issued under it, exercised, cancelled or not) + returned to the pool".into(),
            );
        }
        if dated > 0 {
            notes.push(format!(
                "vesting: {dated} securit{} dated by their vesting terms and start, or their own dated vestings ({} shares unvested on {on})",
                if dated == 1 { "y is" } else { "ies are" },
                totals.unvested
            ));
        }
        if !undated.is_empty() {
            let shown: Vec<&String> = undated.iter().take(5).collect();
            notes.push(format!(
                "vesting of {} securit{} is not dated, so counted as vested: {}{}",
                undated.len(),
                if undated.len() == 1 { "y" } else { "ies" },
                shown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                if undated.len() > 5 { "; ..." } else { "" }
            ));
        }
        if convertibles > 0 {
            notes.push(format!(
                "{convertibles} SAFE{s} and note{s} are listed by amount, not counted in shares: their shares are set at conversion",
                s = if convertibles == 1 { "" } else { "s" }
            ));
        }
        if !l.splits.is_empty() {
            notes.push("stock splits are applied to shares outstanding; grants and warrants are counted as stated".into());
        }
        let issuer = p.issuer.value["legal_name"]
            .as_str()
            .unwrap_or(p.issuer.id.as_str())
            .to_string();
        if x.0.get() {
            return Err(format!(
                "the figures of {issuer}'s cap table add up to more than boardroom counts exactly ({}): not given",
                Decimal::MAX
            ));
        }
        Ok(CapTable {
            issuer,
            as_of: on,
            classes,
            plans,
            holders: holders.into_values().collect(),
            totals,
            notes,
        })
    }
}

/// Rows of cells, each column as wide as its widest cell; the first column
/// left-aligned, the others right-aligned.
fn table(f: &mut std::fmt::Formatter<'_>, rows: &[Vec<String>]) -> std::fmt::Result {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|k| {
            rows.iter()
                .filter_map(|r| r.get(k))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in rows {
        let mut line = String::from("  ");
        for (k, c) in r.iter().enumerate() {
            if k == 0 {
                line.push_str(&format!("{c:<w$}", w = widths[0]));
            } else {
                line.push_str(&format!("  {c:>w$}", w = widths[k]));
            }
        }
        writeln!(f, "{}", line.trim_end())?;
    }
    Ok(())
}

impl std::fmt::Display for CapTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}: cap table on {}", self.issuer, self.as_of)?;
        writeln!(f)?;
        writeln!(f, "Classes")?;
        let mut rows = vec![vec![
            "class".to_string(),
            "outstanding".into(),
            "converts at".into(),
            "as converted".into(),
            "votes per share".into(),
            "authorised".into(),
        ]];
        for c in &self.classes {
            rows.push(vec![
                c.name.clone(),
                count(c.outstanding),
                c.conversion_ratio.map_or("1".into(), count),
                count(c.as_converted),
                c.votes_per_share.map_or("not stated".into(), count),
                c.authorized.map_or("not stated".into(), count),
            ]);
        }
        table(f, &rows)?;
        if !self.plans.is_empty() {
            writeln!(f)?;
            writeln!(f, "Plans")?;
            let mut rows = vec![vec![
                "plan".to_string(),
                "reserved".into(),
                "grants outstanding".into(),
                "drawn".into(),
                "returned".into(),
                "available".into(),
            ]];
            for p in &self.plans {
                rows.push(vec![
                    p.name.clone(),
                    count(p.reserved),
                    count(p.outstanding),
                    count(p.drawn),
                    count(p.returned),
                    count(p.available),
                ]);
            }
            table(f, &rows)?;
        }
        writeln!(f)?;
        writeln!(f, "Holders (fully diluted, largest first)")?;
        let mut header = vec!["holder".to_string()];
        header.extend(self.classes.iter().map(|c| c.name.clone()));
        header.extend([
            "grants".into(),
            "warrants".into(),
            "fully diluted".into(),
            "%".into(),
        ]);
        let mut rows = vec![header];
        let mut holders: Vec<&HolderLine> = self
            .holders
            .iter()
            .filter(|h| !h.fully_diluted.is_zero() || !h.convertibles.is_empty())
            .collect();
        holders.sort_by(|a, b| {
            b.fully_diluted
                .cmp(&a.fully_diluted)
                .then(a.name.cmp(&b.name))
        });
        for h in &holders {
            // Two stakeholders with one name are told apart by their ids.
            let twin = self.holders.iter().filter(|x| x.name == h.name).count() > 1;
            let mut r = vec![if twin {
                format!("{} ({})", h.name, h.id)
            } else {
                h.name.clone()
            }];
            r.extend(
                self.classes
                    .iter()
                    .map(|c| count(h.shares.get(&c.id).copied().unwrap_or_default())),
            );
            r.extend([
                count(h.equity_compensation),
                count(h.warrants),
                count(h.fully_diluted),
                format!("{:.2}", h.fully_diluted_percent),
            ]);
            rows.push(r);
        }
        let t = &self.totals;
        let mut r = vec!["total".to_string()];
        r.extend(self.classes.iter().map(|c| count(c.outstanding)));
        r.extend([
            count(t.equity_compensation),
            count(t.warrants),
            count(t.fully_diluted - t.pool_available),
            String::new(),
        ]);
        rows.push(r);
        table(f, &rows)?;
        writeln!(f)?;
        writeln!(
            f,
            "Fully diluted: {} = {} as converted + {} in grants + {} in warrants + {} still available in the pool",
            count(t.fully_diluted),
            count(t.as_converted),
            count(t.equity_compensation),
            count(t.warrants),
            count(t.pool_available)
        )?;
        for h in holders.iter().filter(|h| !h.convertibles.is_empty()) {
            let amounts: Vec<String> = h
                .convertibles
                .iter()
                .map(|(c, a)| format!("{c} {}", count(*a)))
                .collect();
            writeln!(f, "Convertibles: {} holds {}", h.name, amounts.join(", "))?;
        }
        if !self.notes.is_empty() {
            writeln!(f)?;
            writeln!(f, "Notes")?;
            for n in &self.notes {
                writeln!(f, "  - {n}")?;
            }
        }
        Ok(())
    }
}
