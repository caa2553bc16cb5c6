//! Vesting: when the shares of a grant, a warrant or restricted stock
//! vest, from the package's vesting terms and the security's vesting start,
//! or from the security's own dated `vestings` (which take precedence, as
//! the OCF schema says).
//!
//! A schedule is the vesting terms' conditions followed from the start
//! condition: the start date itself, absolute dates, relative schedules of
//! months or days (each occurrence vesting its portion or quantity), dated
//! from the condition they follow, and events on the date the package's
//! vesting event for the security says (an event that has not happened
//! vests nothing, nor anything after it). A portion of the remainder is of
//! what is still unvested then. Amounts are allocated cumulatively: after
//! each occurrence the vested total is the cumulative portion of the
//! quantity, rounded half up (`CUMULATIVE_ROUNDING`) or down
//! (`CUMULATIVE_ROUND_DOWN`); or tranche by tranche, rounded down with the
//! shares left over given to the first or last tranches (front or back
//! loaded), or kept as fractions. Accelerations vest shares early, never
//! more than the whole. Conditions followed by one of several others are
//! not dated: the schedule says so instead of guessing.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde_json::Value;

/// One date on which shares vest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tranche {
    pub date: NaiveDate,
    pub amount: Decimal,
}

/// The most vesting dates one schedule may have (monthly over 400 years,
/// daily over 13): past it, the schedule is not dated.
pub const MAX_OCCURRENCES: u64 = 5_000;

/// What is vested on `date`: the tranches on or before it.
pub fn vested_on(tranches: &[Tranche], date: NaiveDate) -> Decimal {
    tranches
        .iter()
        .filter(|t| t.date <= date)
        .map(|t| t.amount)
        .sum()
}

/// A security's vesting: `None` when it states none (vested from its
/// issuance); else its dated tranches, or why they cannot be dated. Its
/// own `vestings` come first; else its `vesting_terms_id`, started by the
/// package's vesting start for it.
pub fn of(
    p: &super::package::Package,
    l: &super::ledger::Ledger,
    sec: &super::ledger::Security,
) -> Option<Result<Vec<Tranche>, String>> {
    let issuance = &p.objects[sec.issuance].value;
    if let Some(list) = issuance["vestings"].as_array().filter(|v| !v.is_empty()) {
        let mut out = Vec::new();
        for v in list {
            let date = super::ledger::date(&v["date"]);
            let amount = super::ledger::number(&v["amount"]);
            match (date, amount) {
                (Some(date), Some(amount)) => out.push(Tranche { date, amount }),
                _ => return Some(Err("a dated vesting without a date or an amount".into())),
            }
        }
        out.sort_by_key(|t| t.date);
        return Some(Ok(out));
    }
    let id = issuance["vesting_terms_id"].as_str()?;
    let Some(terms) = p
        .objects
        .iter()
        .find(|o| o.object_type == "VESTING_TERMS" && o.id == id)
    else {
        return Some(Err(format!(
            "its vesting terms `{id}` are not in the package"
        )));
    };
    let events: BTreeMap<&str, NaiveDate> = l
        .vesting_events
        .get(&sec.id)
        .map(|v| v.iter().map(|(c, d)| (c.as_str(), *d)).collect())
        .unwrap_or_default();
    // Without a vesting start, terms that begin with an event start on it.
    let (start, from) = match l.vesting_starts.get(&sec.id) {
        Some((d, from)) => (*d, from.clone()),
        None => match events.values().min() {
            Some(d) => (*d, None),
            None => return Some(Err("the package has no vesting start for it".into())),
        },
    };
    let quantity = sec.quantity.unwrap_or_default();
    let tranches = match schedule(&terms.value, quantity, start, from.as_deref(), &events) {
        Ok(t) => t,
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(accelerate(
        tranches,
        l.accelerations
            .get(&sec.id)
            .map_or(&[][..], |v| v.as_slice()),
        quantity,
    )))
}

/// Adds accelerations (shares vesting early on a date) to a schedule, the
/// later tranches reduced so that no more than the whole ever vests.
fn accelerate(
    tranches: Vec<Tranche>,
    accelerations: &[(NaiveDate, Decimal)],
    quantity: Decimal,
) -> Vec<Tranche> {
    if accelerations.is_empty() {
        return tranches;
    }
    let mut all: Vec<Tranche> = tranches;
    all.extend(accelerations.iter().map(|(date, amount)| Tranche {
        date: *date,
        amount: *amount,
    }));
    all.sort_by_key(|t| t.date);
    let mut vested = Decimal::ZERO;
    let mut out: Vec<Tranche> = Vec::new();
    for t in all {
        let amount = t.amount.min(quantity - vested).max(Decimal::ZERO);
        if amount.is_zero() {
            continue;
        }
        vested += amount;
        match out.last_mut() {
            Some(x) if x.date == t.date => x.amount += amount,
            _ => out.push(Tranche {
                date: t.date,
                amount,
            }),
        }
    }
    out
}

/// An exact fraction of the quantity, in lowest terms.
#[derive(Debug, Clone, Copy)]
struct Fraction(i128, i128);

impl Fraction {
    fn add(self, o: Fraction) -> Option<Fraction> {
        let n = self
            .0
            .checked_mul(o.1)?
            .checked_add(o.0.checked_mul(self.1)?)?;
        let d = self.1.checked_mul(o.1)?;
        let g = gcd(n.abs(), d.abs()).max(1);
        Some(Fraction(n / g, d / g))
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Where a relative schedule counts from: a date, and for schedules of
/// months its offset in months from the start (so that the start's day of
/// the month is kept through short months).
#[derive(Debug, Clone, Copy)]
struct Anchor {
    date: NaiveDate,
    months: Option<u32>,
}

/// The schedule of `quantity` shares under vesting `terms` (an OCF
/// `VESTING_TERMS` object), starting on `start` at condition `from` (the
/// condition a vesting start names; else the terms' `VESTING_START_DATE`
/// condition). An error says, in words, what is not dated.
pub fn schedule(
    terms: &Value,
    quantity: Decimal,
    start: NaiveDate,
    from: Option<&str>,
    events: &BTreeMap<&str, NaiveDate>,
) -> Result<Vec<Tranche>, String> {
    let allocation = match terms["allocation_type"].as_str() {
        Some("CUMULATIVE_ROUNDING") | None => Allocation::CumulativeRounding,
        Some("CUMULATIVE_ROUND_DOWN") => Allocation::CumulativeRoundDown,
        Some("FRONT_LOADED") => Allocation::FrontLoaded,
        Some("BACK_LOADED") => Allocation::BackLoaded,
        Some("FRONT_LOADED_TO_SINGLE_TRANCHE") => Allocation::FrontLoadedToSingleTranche,
        Some("BACK_LOADED_TO_SINGLE_TRANCHE") => Allocation::BackLoadedToSingleTranche,
        Some("FRACTIONAL") => Allocation::Fractional,
        Some(other) => {
            return Err(format!(
                "its allocation `{other}` is not an OCF allocation type"
            ));
        }
    };
    let conditions: BTreeMap<&str, &Value> = terms["vesting_conditions"]
        .as_array()
        .ok_or("it has no vesting conditions")?
        .iter()
        .filter_map(|c| Some((c["id"].as_str()?, c)))
        .collect();
    let first = match from {
        Some(id) => id,
        None => conditions
            .iter()
            .find(|(_, c)| c["trigger"]["type"].as_str() == Some("VESTING_START_DATE"))
            .map(|(id, _)| *id)
            .or_else(|| {
                terms["vesting_conditions"]
                    .as_array()
                    .and_then(|a| a.first())
                    .and_then(|c| c["id"].as_str())
            })
            .ok_or("no condition starts the vesting")?,
    };
    // Each condition's occurrences: (date, fraction vested then).
    let mut occurrences: Vec<(NaiveDate, Fraction)> = Vec::new();
    let mut anchors: BTreeMap<&str, Anchor> = BTreeMap::new();
    let mut queue = vec![(
        first,
        Anchor {
            date: start,
            months: Some(0),
        },
    )];
    let mut seen = 0usize;
    while let Some((id, parent)) = queue.pop() {
        seen += 1;
        if seen > conditions.len() * 2 + 2 {
            return Err("its conditions form a cycle".into());
        }
        let c = conditions
            .get(id)
            .ok_or_else(|| format!("it names condition `{id}`, which it does not define"))?;
        let share = |c: &Value| -> Result<Fraction, String> {
            if let Some(p) = c.get("portion").filter(|p| !p.is_null()) {
                let n = number(&p["numerator"])?;
                let d = number(&p["denominator"])?;
                if d <= 0 || n < 0 || n > d {
                    return Err(format!("condition `{id}` has a portion of {n}/{d}"));
                }
                if p["remainder"].as_bool() == Some(true) {
                    // A share of what is still unvested: marked by a
                    // negative numerator, resolved in date order below.
                    return Ok(Fraction(-n - 1, d));
                }
                Ok(Fraction(n, d))
            } else if let Some(q) = c["quantity"].as_str() {
                let q: Decimal = q
                    .parse()
                    .map_err(|_| format!("condition `{id}`: quantity `{q}`"))?;
                if quantity.is_zero() {
                    return Ok(Fraction(0, 1));
                }
                // A fixed quantity as a fraction of the whole, to 10^-12.
                let scaled = (q / quantity * Decimal::from(1_000_000_000_000i64)).round();
                Ok(Fraction(
                    scaled.mantissa() / 10i128.pow(scaled.scale()),
                    1_000_000_000_000,
                ))
            } else {
                Ok(Fraction(0, 1))
            }
        };
        let trigger = &c["trigger"];
        let anchor = match trigger["type"].as_str() {
            Some("VESTING_START_DATE") => {
                occurrences.push((start, share(c)?));
                Anchor {
                    date: start,
                    months: Some(0),
                }
            }
            Some("VESTING_SCHEDULE_ABSOLUTE") => {
                let date = trigger["date"]
                    .as_str()
                    .and_then(|d| d.parse().ok())
                    .ok_or_else(|| format!("condition `{id}` has no date"))?;
                occurrences.push((date, share(c)?));
                Anchor { date, months: None }
            }
            Some("VESTING_SCHEDULE_RELATIVE") => {
                let base = match trigger["relative_to_condition_id"].as_str() {
                    Some(r) if r != id => anchors.get(r).copied().unwrap_or(parent),
                    _ => parent,
                };
                let period = &trigger["period"];
                let length = period["length"].as_u64().unwrap_or(0);
                let n = period["occurrences"].as_u64().unwrap_or(1);
                if length == 0 || n == 0 || n > MAX_OCCURRENCES || length > 1200 {
                    return Err(format!(
                        "condition `{id}` has {n} occurrences of {length} {}",
                        period["type"].as_str().unwrap_or("periods")
                    ));
                }
                let each = share(c)?;
                let mut last = base;
                let out_of_range = || format!("condition `{id}`: a date out of range");
                for k in 1..=n {
                    // length ≤ 1,200 and k ≤ 5,000: the product fits.
                    let step = u32::try_from(length * k).map_err(|_| out_of_range())?;
                    let months = match base.months {
                        Some(m) => Some(m.checked_add(step).ok_or_else(out_of_range)?),
                        None => None,
                    };
                    let date = match period["type"].as_str() {
                        Some("MONTHS") => match months {
                            Some(m) => add_months(start, m, period["day_of_month"].as_str())
                                .ok_or_else(out_of_range)?,
                            None => base
                                .date
                                .checked_add_months(Months::new(step))
                                .ok_or_else(out_of_range)?,
                        },
                        Some("DAYS") => base
                            .date
                            .checked_add_days(Days::new(u64::from(step)))
                            .ok_or_else(out_of_range)?,
                        other => {
                            return Err(format!(
                                "condition `{id}` has periods of `{}`",
                                other.unwrap_or("nothing")
                            ));
                        }
                    };
                    occurrences.push((date, each));
                    if occurrences.len() as u64 > MAX_OCCURRENCES {
                        return Err(format!("it has over {MAX_OCCURRENCES} vesting dates"));
                    }
                    last = Anchor {
                        date,
                        months: match period["type"].as_str() {
                            Some("MONTHS") => months,
                            _ => None,
                        },
                    };
                }
                last
            }
            Some("VESTING_EVENT") => match events.get(id) {
                Some(date) => {
                    occurrences.push((*date, share(c)?));
                    Anchor {
                        date: *date,
                        months: None,
                    }
                }
                // Not happened: it and what follows it are not vested.
                None => continue,
            },
            other => {
                return Err(format!(
                    "condition `{id}` has a trigger `{}`",
                    other.unwrap_or("none")
                ));
            }
        };
        anchors.insert(id, anchor);
        if let Some(next) = c["next_condition_ids"].as_array() {
            match next.as_slice() {
                [] => {}
                [one] => {
                    if let Some(n) = one.as_str() {
                        queue.push((n, anchor));
                    }
                }
                _ => {
                    return Err(format!(
                        "condition `{id}` is followed by one of several conditions, whichever happens first"
                    ));
                }
            }
        }
    }
    occurrences.sort_by_key(|(d, _)| *d);
    let mut cumulative = Fraction(0, 1);
    let mut vested = Decimal::ZERO;
    let mut out: Vec<Tranche> = Vec::new();
    let mut portions: Vec<(NaiveDate, Fraction)> = Vec::new();
    for (date, f) in occurrences {
        let f = if f.0 < 0 {
            // A portion of the remainder: of what is not vested yet.
            let p = Fraction(-f.0 - 1, f.1);
            let left = Fraction(cumulative.1 - cumulative.0, cumulative.1);
            Fraction(
                p.0.checked_mul(left.0).ok_or("its portions overflow")?,
                p.1.checked_mul(left.1).ok_or("its portions overflow")?,
            )
        } else {
            f
        };
        cumulative = cumulative.add(f).ok_or("its portions overflow")?;
        if cumulative.0 > cumulative.1 {
            return Err("its portions add up to more than the whole".into());
        }
        // A condition that vests nothing (a start of quantity 0) is no
        // tranche.
        if f.0 != 0 {
            portions.push((date, f));
        }
        let exact = quantity * Decimal::from(cumulative.0) / Decimal::from(cumulative.1);
        let total = match allocation {
            Allocation::CumulativeRoundDown => exact.floor(),
            Allocation::CumulativeRounding => exact
                .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
            _ => continue,
        };
        let amount = total - vested;
        vested = total;
        push(&mut out, date, amount);
    }
    match allocation {
        Allocation::CumulativeRounding | Allocation::CumulativeRoundDown => Ok(out),
        _ => allocate(allocation, quantity, &portions, cumulative),
    }
}

/// OCF's allocation types. With 18 shares in 4 tranches (the schema's own
/// example): cumulative rounding 5-4-5-4, cumulative round down 4-5-4-5,
/// front loaded 5-5-4-4, back loaded 4-4-5-5, front loaded to a single
/// tranche 6-4-4-4, back loaded to a single tranche 4-4-4-6, fractional
/// 4.5 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allocation {
    CumulativeRounding,
    CumulativeRoundDown,
    FrontLoaded,
    BackLoaded,
    FrontLoadedToSingleTranche,
    BackLoadedToSingleTranche,
    Fractional,
}

impl Allocation {
    fn name(self) -> &'static str {
        match self {
            Allocation::CumulativeRounding => "CUMULATIVE_ROUNDING",
            Allocation::CumulativeRoundDown => "CUMULATIVE_ROUND_DOWN",
            Allocation::FrontLoaded => "FRONT_LOADED",
            Allocation::BackLoaded => "BACK_LOADED",
            Allocation::FrontLoadedToSingleTranche => "FRONT_LOADED_TO_SINGLE_TRANCHE",
            Allocation::BackLoadedToSingleTranche => "BACK_LOADED_TO_SINGLE_TRANCHE",
            Allocation::Fractional => "FRACTIONAL",
        }
    }
}

/// Adds `amount` on `date` to a schedule, merging tranches of one date.
fn push(out: &mut Vec<Tranche>, date: NaiveDate, amount: Decimal) {
    if amount.is_zero() {
        return;
    }
    match out.last_mut() {
        Some(t) if t.date == date => t.amount += amount,
        _ => out.push(Tranche { date, amount }),
    }
}

/// The loaded and fractional allocations, tranche by tranche: each
/// tranche's exact share, rounded down, and the whole shares that rounding
/// leaves given one each to the first (front) or last (back) tranches, or
/// all to the first or last; fractional keeps the exact shares, the last
/// tranche taking what the others leave. The leftover depends on every
/// tranche, so the whole schedule must be dated.
fn allocate(
    allocation: Allocation,
    quantity: Decimal,
    portions: &[(NaiveDate, Fraction)],
    cumulative: Fraction,
) -> Result<Vec<Tranche>, String> {
    if cumulative.0 != cumulative.1 {
        return Err(format!(
            "its allocation `{}` spreads what rounding leaves over every tranche, and only {}/{} of the shares have a date (an event has not happened)",
            allocation.name(),
            cumulative.0,
            cumulative.1
        ));
    }
    let exact: Vec<Decimal> = portions
        .iter()
        .map(|(_, f)| quantity * Decimal::from(f.0) / Decimal::from(f.1))
        .collect();
    let mut amounts: Vec<Decimal> = if allocation == Allocation::Fractional {
        exact.clone()
    } else {
        if quantity.fract() != Decimal::ZERO {
            return Err(format!(
                "its allocation `{}` gives whole shares, and the quantity {quantity} is not whole",
                allocation.name()
            ));
        }
        exact.iter().map(|a| a.floor()).collect()
    };
    let left = quantity - amounts.iter().sum::<Decimal>();
    let n = amounts.len();
    if n > 0 {
        match allocation {
            Allocation::FrontLoaded | Allocation::BackLoaded => {
                // Fewer whole shares are left than there are tranches.
                let whole = usize::try_from(left.trunc().mantissa()).unwrap_or(0).min(n);
                for k in 0..whole {
                    let i = if allocation == Allocation::FrontLoaded {
                        k
                    } else {
                        n - 1 - k
                    };
                    amounts[i] += Decimal::ONE;
                }
            }
            Allocation::FrontLoadedToSingleTranche => amounts[0] += left,
            Allocation::BackLoadedToSingleTranche | Allocation::Fractional => {
                amounts[n - 1] += left
            }
            Allocation::CumulativeRounding | Allocation::CumulativeRoundDown => {}
        }
    }
    let mut out = Vec::new();
    for ((date, _), amount) in portions.iter().zip(amounts) {
        push(&mut out, *date, amount);
    }
    Ok(out)
}

fn number(v: &Value) -> Result<i128, String> {
    let s = v
        .as_str()
        .map(str::to_string)
        .or_else(|| v.as_i64().map(|n| n.to_string()))
        .ok_or("a portion without a number")?;
    let d: Decimal = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if d.fract() != Decimal::ZERO {
        return Err(format!("a portion of `{s}`, expected whole numbers"));
    }
    Ok(d.mantissa() / 10i128.pow(d.scale()))
}

/// `start` plus `months`, on the day the rule says: the start's day, or
/// the month's last day when it has fewer days (the OCF
/// `VESTING_START_DAY_OR_LAST_DAY_OF_MONTH`, the default), or a stated
/// day (`"01"` to `"31"`, with `_OR_LAST_DAY_OF_MONTH` meaning the same).
fn add_months(start: NaiveDate, months: u32, rule: Option<&str>) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(start.year(), start.month(), 1)?
        .checked_add_months(Months::new(months))?;
    let day = match rule {
        None | Some("VESTING_START_DAY_OR_LAST_DAY_OF_MONTH") => start.day(),
        Some(r) => r
            .get(..2)
            .and_then(|d| d.parse().ok())
            .unwrap_or(start.day()),
    };
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?.day();
    NaiveDate::from_ymd_opt(first.year(), first.month(), day.min(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn samples(file: &str) -> Value {
        let path = format!(
            "{}/../../fixtures/ocf/samples/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).expect("a sample")).expect("JSON")
    }

    fn item<'a>(v: &'a Value, id: &str) -> &'a Value {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["id"] == id)
            .expect("the item")
    }

    /// The official sample `test-stock-issuance-full-fields` states both
    /// the four-year, one-year-cliff terms and its own dated vestings
    /// (1,200 on 2023-02-01, then 100 on the first of each month to
    /// 2026-02-01): the terms, started on its issuance date, give exactly
    /// those dates and amounts.
    #[test]
    fn four_years_with_a_cliff_matches_the_official_sample() {
        let terms = item(&samples("VestingTerms.ocf.json"), "4yr-1yr-cliff-schedule").clone();
        let tx = samples("Transactions.ocf.json");
        let stock = item(&tx, "test-stock-issuance-full-fields");
        let quantity: Decimal = stock["quantity"]
            .as_str()
            .expect("quantity")
            .parse()
            .expect("number");
        let got = schedule(&terms, quantity, date("2022-02-01"), None, &BTreeMap::new())
            .expect("a schedule");
        let want: Vec<Tranche> = stock["vestings"]
            .as_array()
            .expect("vestings")
            .iter()
            .map(|v| Tranche {
                date: date(v["date"].as_str().expect("date")),
                amount: v["amount"]
                    .as_str()
                    .expect("amount")
                    .parse()
                    .expect("number"),
            })
            .collect();
        assert_eq!(got, want);
        assert_eq!(vested_on(&got, date("2024-01-31")), Decimal::from(2_300));
    }

    /// Four quarterly tranches of a quarter each, by `allocation`.
    fn quarterly(allocation: &str) -> Value {
        serde_json::json!({
            "allocation_type": allocation,
            "vesting_conditions": [
                { "id": "start", "quantity": "0", "trigger": { "type": "VESTING_START_DATE" }, "next_condition_ids": ["quarterly"] },
                { "id": "quarterly", "portion": { "numerator": "1", "denominator": "4" },
                  "trigger": { "type": "VESTING_SCHEDULE_RELATIVE", "relative_to_condition_id": "start",
                    "period": { "length": 3, "type": "MONTHS", "occurrences": 4, "day_of_month": "VESTING_START_DAY_OR_LAST_DAY_OF_MONTH" } },
                  "next_condition_ids": [] }
            ]
        })
    }

    /// The official warrant sample vests 22,538 shares over a year,
    /// quarterly: 5,635, 5,634, 5,635, 5,634. Cumulative rounding gives
    /// exactly that (5,634.5 rounds up, 11,269, 16,903.5 up, 22,538).
    #[test]
    fn cumulative_rounding_matches_the_official_warrant() {
        let terms = quarterly("CUMULATIVE_ROUNDING");
        let got = schedule(
            &terms,
            Decimal::from(22_538),
            date("2022-02-01"),
            None,
            &BTreeMap::new(),
        )
        .expect("a schedule");
        let amounts: Vec<Decimal> = got.iter().map(|t| t.amount).collect();
        assert_eq!(amounts, [5635, 5634, 5635, 5634].map(Decimal::from));
        assert_eq!(got[0].date, date("2022-05-01"));
        assert_eq!(got[3].date, date("2023-02-01"));
    }

    /// The start's day is kept through short months: from 31 January,
    /// monthly vesting falls on 28 February, 31 March, 30 April.
    #[test]
    fn the_start_day_or_the_last_day_of_the_month() {
        assert_eq!(
            add_months(date("2023-01-31"), 1, None),
            Some(date("2023-02-28"))
        );
        assert_eq!(
            add_months(date("2023-01-31"), 2, None),
            Some(date("2023-03-31"))
        );
        assert_eq!(
            add_months(date("2024-01-31"), 1, None),
            Some(date("2024-02-29"))
        );
    }

    /// The schema's own example of its allocation types (AllocationType:
    /// "18 shares split across 4 tranches"): cumulative rounding 5-4-5-4,
    /// cumulative round down 4-5-4-5, front loaded 5-5-4-4, back loaded
    /// 4-4-5-5, front loaded to a single tranche 6-4-4-4, back loaded to a
    /// single tranche 4-4-4-6, fractional 4.5 each.
    #[test]
    fn allocation_types_match_the_schemas_example() {
        let amounts = |allocation: &str| -> Vec<String> {
            schedule(
                &quarterly(allocation),
                Decimal::from(18),
                date("2022-01-01"),
                None,
                &BTreeMap::new(),
            )
            .expect("a schedule")
            .iter()
            .map(|t| t.amount.normalize().to_string())
            .collect()
        };
        let cases = [
            ("CUMULATIVE_ROUNDING", ["5", "4", "5", "4"]),
            ("CUMULATIVE_ROUND_DOWN", ["4", "5", "4", "5"]),
            ("FRONT_LOADED", ["5", "5", "4", "4"]),
            ("BACK_LOADED", ["4", "4", "5", "5"]),
            ("FRONT_LOADED_TO_SINGLE_TRANCHE", ["6", "4", "4", "4"]),
            ("BACK_LOADED_TO_SINGLE_TRANCHE", ["4", "4", "4", "6"]),
            ("FRACTIONAL", ["4.5", "4.5", "4.5", "4.5"]),
        ];
        for (allocation, want) in cases {
            assert_eq!(amounts(allocation), want, "{allocation}");
        }
    }

    /// The official back-loaded sample (six years: 10% at 24 months, then
    /// 1/80, 1/60, 1/48 and 1/40 a month, twelve months each) over 1,000
    /// shares: each tranche rounded down (100, 12, 16, 20, 25) leaves 24
    /// shares, one each to the last 24 tranches, so the fifth and sixth
    /// years vest 21 and 26 a month. Every share vests once.
    #[test]
    fn the_official_back_loaded_sample() {
        let v = samples("VestingTerms.ocf.json");
        let got = schedule(
            item(&v, "6-yr-option-back-loaded"),
            Decimal::from(1000),
            date("2020-01-15"),
            None,
            &BTreeMap::new(),
        )
        .expect("a schedule");
        let amounts: Vec<Decimal> = got.iter().map(|t| t.amount).collect();
        let mut want = vec![Decimal::from(100)];
        for a in [12, 16, 21, 26] {
            want.extend(std::iter::repeat_n(Decimal::from(a), 12));
        }
        assert_eq!(amounts, want);
        assert_eq!(got[0].date, date("2022-01-15"));
        assert_eq!(got[48].date, date("2026-01-15"));
        assert_eq!(vested_on(&got, date("2026-01-15")), Decimal::from(1000));
    }

    /// A loaded allocation needs every tranche dated: with an event still to
    /// happen it is refused, in words.
    #[test]
    fn a_loaded_allocation_with_an_event_to_come_is_refused() {
        let terms = serde_json::json!({
            "allocation_type": "FRONT_LOADED",
            "vesting_conditions": [
                { "id": "start", "quantity": "0", "trigger": { "type": "VESTING_START_DATE" }, "next_condition_ids": ["sale"] },
                { "id": "sale", "portion": { "numerator": "1", "denominator": "3" }, "trigger": { "type": "VESTING_EVENT" }, "next_condition_ids": ["ipo"] },
                { "id": "ipo", "portion": { "numerator": "2", "denominator": "3" }, "trigger": { "type": "VESTING_EVENT" }, "next_condition_ids": [] }
            ]
        });
        let events: BTreeMap<&str, NaiveDate> = [("sale", date("2021-03-01"))].into();
        let got = schedule(
            &terms,
            Decimal::from(100),
            date("2020-01-01"),
            None,
            &events,
        );
        assert_eq!(
            got,
            Err("its allocation `FRONT_LOADED` spreads what rounding leaves over every tranche, and only 1/3 of the shares have a date (an event has not happened)".to_string())
        );
    }

    /// What is not dated is said; an event vests on the date
    /// its vesting event says, and not before; a portion of the remainder
    /// is of what is still unvested (the official sample's multi-tranche
    /// terms: 20% of the shares on each of two sales, then the remainder
    /// on a double trigger: 200, 200, then all of the 600 left).
    #[test]
    fn events_remainders_and_what_is_not_dated() {
        let v = samples("VestingTerms.ocf.json");
        let none = BTreeMap::new();
        let terms = item(&v, "custom-vesting-100pct-upfront");
        let pending = schedule(terms, Decimal::from(100), date("2020-01-01"), None, &none);
        assert_eq!(pending, Ok(Vec::new()), "no event yet: nothing vested");
        let happened: BTreeMap<&str, NaiveDate> = [("full-vesting", date("2021-01-11"))].into();
        let got = schedule(
            terms,
            Decimal::from(100),
            date("2021-01-11"),
            None,
            &happened,
        )
        .expect("a schedule");
        assert_eq!(
            got,
            vec![Tranche {
                date: date("2021-01-11"),
                amount: Decimal::from(100)
            }]
        );
        let multi = serde_json::json!({
            "allocation_type": "CUMULATIVE_ROUND_DOWN",
            "vesting_conditions": [
                { "id": "start", "quantity": "0", "trigger": { "type": "VESTING_START_DATE" }, "next_condition_ids": ["sale-1"] },
                { "id": "sale-1", "portion": { "numerator": "20", "denominator": "100" }, "trigger": { "type": "VESTING_EVENT" }, "next_condition_ids": ["sale-2"] },
                { "id": "sale-2", "portion": { "numerator": "20", "denominator": "100" }, "trigger": { "type": "VESTING_EVENT" }, "next_condition_ids": ["double-trigger"] },
                { "id": "double-trigger", "portion": { "numerator": "1", "denominator": "1", "remainder": true }, "trigger": { "type": "VESTING_EVENT" }, "next_condition_ids": [] }
            ]
        });
        let events: BTreeMap<&str, NaiveDate> = [
            ("sale-1", date("2021-03-01")),
            ("sale-2", date("2022-03-01")),
            ("double-trigger", date("2023-01-01")),
        ]
        .into();
        let got = schedule(
            &multi,
            Decimal::from(1000),
            date("2020-01-01"),
            None,
            &events,
        )
        .expect("a schedule");
        let amounts: Vec<Decimal> = got.iter().map(|t| t.amount).collect();
        assert_eq!(amounts, [200, 200, 600].map(Decimal::from));
    }

    /// An acceleration vests shares early; what vests later is cut so that
    /// no more than the grant ever vests.
    #[test]
    fn an_acceleration_vests_early_and_never_more_than_the_whole() {
        let t = |d: &str, a: i64| Tranche {
            date: date(d),
            amount: Decimal::from(a),
        };
        let got = accelerate(
            vec![
                t("2021-01-01", 250),
                t("2022-01-01", 250),
                t("2023-01-01", 500),
            ],
            &[(date("2021-06-01"), Decimal::from(600))],
            Decimal::from(1000),
        );
        assert_eq!(
            got,
            vec![
                t("2021-01-01", 250),
                t("2021-06-01", 600),
                t("2022-01-01", 150)
            ]
        );
    }
}
