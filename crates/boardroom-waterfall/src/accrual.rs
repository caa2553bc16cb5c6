//! Interest between two dates: day-count conventions and growth factors.
//!
//! A growth factor is exact whenever it can be: simple interest always,
//! compounding over whole periods. Compounding over part of a period
//! (`(1 + r)^(days/365)`, the convention of spreadsheet IRR functions) is
//! irrational; it is computed to [`DIGITS`] significant digits, far below
//! a cent on any amount of money, and said to be so.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use num_bigint::BigInt;
use num_traits::{One, ToPrimitive, Zero};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::money::{Q, pow, qi};
use crate::terms::Compounding;

/// Digits kept where a factor is irrational.
pub const DIGITS: u32 = 40;

/// How the days between two dates count as a fraction of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum DayCount {
    /// Days elapsed over 365 (also called actual/365 fixed).
    #[default]
    #[serde(rename = "actual/365")]
    Actual365,
    /// Days elapsed over 360.
    #[serde(rename = "actual/360")]
    Actual360,
    /// 30/360 (US bond basis): each month counts as 30 days.
    #[serde(rename = "30/360")]
    Thirty360,
    /// Actual/actual (ISDA): the days in each calendar year over that
    /// year's length, 365 or 366.
    #[serde(rename = "actual/actual")]
    ActualActual,
}

impl DayCount {
    pub fn plain(self) -> &'static str {
        match self {
            DayCount::Actual365 => "actual/365",
            DayCount::Actual360 => "actual/360",
            DayCount::Thirty360 => "30/360",
            DayCount::ActualActual => "actual/actual",
        }
    }

    /// The year fraction from `from` to `to` as a sum of `days / length`
    /// parts (one part, except actual/actual across calendar years).
    /// Zero or negative spans give no parts.
    pub(crate) fn parts(self, from: NaiveDate, to: NaiveDate) -> Vec<(i64, i64)> {
        if to <= from {
            return Vec::new();
        }
        let days = (to - from).num_days();
        match self {
            DayCount::Actual365 => vec![(days, 365)],
            DayCount::Actual360 => vec![(days, 360)],
            DayCount::Thirty360 => {
                let mut d1 = i64::from(from.day());
                let mut d2 = i64::from(to.day());
                if d1 == 31 {
                    d1 = 30;
                }
                if d2 == 31 && d1 >= 30 {
                    d2 = 30;
                }
                let n = 360 * i64::from(to.year() - from.year())
                    + 30 * (i64::from(to.month()) - i64::from(from.month()))
                    + (d2 - d1);
                if n <= 0 { Vec::new() } else { vec![(n, 360)] }
            }
            DayCount::ActualActual => {
                let mut out = Vec::new();
                let mut start = from;
                while start < to {
                    let year = start.year();
                    let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(to);
                    let end = next.min(to);
                    let len = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
                        366
                    } else {
                        365
                    };
                    out.push(((end - start).num_days(), len));
                    if end <= start {
                        break;
                    }
                    start = end;
                }
                out
            }
        }
    }

    /// The year fraction, exactly.
    pub fn year_fraction(self, from: NaiveDate, to: NaiveDate) -> Q {
        self.parts(from, to)
            .into_iter()
            .fold(Q::zero(), |a, (n, d)| a + Q::new(n.into(), d.into()))
    }
}

/// A rate of return accruing by a convention; computes growth factors,
/// remembering the roots it has taken.
#[derive(Debug, Clone)]
pub(crate) struct Accrual {
    /// The annual rate, as a fraction (8% is 0.08).
    rate: Q,
    compounding: Compounding,
    day_count: DayCount,
    roots: HashMap<i64, Q>,
    /// Factors already computed, by span: every partner's balance grows
    /// over the same spans.
    factors: HashMap<(NaiveDate, NaiveDate), Q>,
    /// Whether any factor so far was rounded to [`DIGITS`] digits.
    pub(crate) approximated: bool,
}

impl Accrual {
    pub(crate) fn new(rate: Q, compounding: Compounding, day_count: DayCount) -> Accrual {
        Accrual {
            rate,
            compounding,
            day_count,
            roots: HashMap::new(),
            factors: HashMap::new(),
            approximated: false,
        }
    }

    fn per_year(&self) -> i64 {
        match self.compounding {
            Compounding::Simple => 0,
            Compounding::Annual => 1,
            Compounding::Quarterly => 4,
            Compounding::Monthly => 12,
        }
    }

    /// What 1 invested at `from` is worth at `to`: `1 + r·t` for simple
    /// interest, `(1 + r/m)^(m·t)` compounded `m` times a year, where `t`
    /// is the year fraction. 1 when `to` is not after `from`.
    pub(crate) fn factor(&mut self, from: NaiveDate, to: NaiveDate) -> Q {
        if let Some(f) = self.factors.get(&(from, to)) {
            return f.clone();
        }
        let f = self.compute(from, to);
        if self.factors.len() < 100_000 {
            self.factors.insert((from, to), f.clone());
        }
        f
    }

    fn compute(&mut self, from: NaiveDate, to: NaiveDate) -> Q {
        let parts = self.day_count.parts(from, to);
        let m = self.per_year();
        if m == 0 {
            let t = parts
                .into_iter()
                .fold(Q::zero(), |a, (n, d)| a + Q::new(n.into(), d.into()));
            return Q::one() + &self.rate * t;
        }
        let base = Q::one() + &self.rate / qi(m);
        let mut out = Q::one();
        for (n, d) in parts {
            // base^(m·n/d): whole periods exactly, the rest by a root.
            let periods = m * n;
            let whole = periods / d;
            let rest = periods % d;
            out *= pow(&base, u32::try_from(whole).unwrap_or(u32::MAX));
            if rest != 0 {
                let root = self.root(&base, d);
                out = truncate(&(out * power_truncated(&root, rest)));
                self.approximated = true;
            }
        }
        out
    }

    /// `base^(1/d)` to [`DIGITS`] + 10 digits, remembered by `d` (the
    /// base is the same for every call): Newton's method from a
    /// floating-point guess, each step doubling the digits.
    fn root(&mut self, base: &Q, d: i64) -> Q {
        if let Some(r) = self.roots.get(&d) {
            return r.clone();
        }
        let guess = base.to_f64().unwrap_or(1.0).powf(1.0 / d as f64);
        let mut y = Q::from_float(guess).map_or_else(Q::one, |g| truncate(&g));
        let n = qi(d);
        for _ in 0..8 {
            let next =
                truncate(&((&n - Q::one()) * &y / &n + base / (&n * power_truncated(&y, d - 1))));
            if next == y {
                break;
            }
            y = next;
        }
        self.roots.insert(d, y.clone());
        y
    }
}

/// Decimal places kept by a [`Balance`].
pub const SCALE: u32 = 32;

/// A balance that grows at an accrual's compounded rate: money in fixed
/// point, to [`SCALE`] decimal places (far below a cent after any number
/// of steps). Growing it from date to date costs one factor per step,
/// where summing each flow's own factor would cost one per flow.
#[derive(Debug, Clone, Default)]
pub(crate) struct Balance {
    since: Option<NaiveDate>,
    value: BigInt,
}

impl Balance {
    /// Grows the balance to `to` (compounded rates only: a factor over
    /// two spans is the product of the factors over each).
    pub(crate) fn grow(&mut self, acc: &mut Accrual, to: NaiveDate) {
        match self.since {
            Some(since) if to > since => {
                if !self.value.is_zero() {
                    let f = acc.factor(since, to);
                    self.value = &self.value * f.numer() / f.denom();
                }
                self.since = Some(to);
            }
            Some(_) => {}
            None => self.since = Some(to),
        }
    }

    /// Adds money (negative to take it away).
    pub(crate) fn add(&mut self, x: &Q) {
        let scale = BigInt::from(10u8).pow(SCALE);
        self.value += x.numer() * scale / x.denom();
    }

    pub(crate) fn value(&self) -> Q {
        Q::new_raw(self.value.clone(), BigInt::from(10u8).pow(SCALE))
    }
}

/// `x` truncated to [`DIGITS`] + 10 decimal places.
fn truncate(x: &Q) -> Q {
    let scale = BigInt::from(10u8).pow(DIGITS + 10);
    Q::new(x.numer() * &scale / x.denom(), scale)
}

fn power_truncated(x: &Q, mut e: i64) -> Q {
    let mut base = x.clone();
    let mut out = Q::one();
    while e > 0 {
        if e & 1 == 1 {
            out = truncate(&(out * &base));
        }
        e >>= 1;
        if e > 0 {
            base = truncate(&(&base * &base));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    #[test]
    fn thirty_360_counts_months_as_thirty_days() {
        // 31 January to 28 February: 28 days (d1 = 30, d2 = 28).
        let f = DayCount::Thirty360.year_fraction(date("2024-01-31"), date("2024-02-28"));
        assert_eq!(f, Q::new(28.into(), 360.into()));
        // 30 June to 31 December: 180 days (d2 = 31 → 30 since d1 = 30).
        let f = DayCount::Thirty360.year_fraction(date("2024-06-30"), date("2024-12-31"));
        assert_eq!(f, Q::new(1.into(), 2.into()));
    }

    #[test]
    fn actual_actual_splits_at_the_new_year() {
        // 2023-07-01 .. 2024-07-01: 184/365 + 182/366.
        let f = DayCount::ActualActual.year_fraction(date("2023-07-01"), date("2024-07-01"));
        let want = Q::new(184.into(), 365.into()) + Q::new(182.into(), 366.into());
        assert_eq!(f, want);
    }

    #[test]
    fn whole_years_compound_exactly_and_parts_by_a_root() {
        let mut a = Accrual::new(
            Q::new(8.into(), 100.into()),
            Compounding::Annual,
            DayCount::Actual365,
        );
        // 2021-01-01 .. 2023-01-01 is 730 days: exactly 1.08².
        let f = a.factor(date("2021-01-01"), date("2023-01-01"));
        assert_eq!(f, Q::new(11664.into(), 10000.into()));
        assert!(!a.approximated);
        // 200 days: 1.08^(200/365) = 1.04307223805376329161612936037...
        let f = a.factor(date("2021-01-01"), date("2021-07-20"));
        assert!(a.approximated);
        // Python's decimal at 60 digits: 1.0430722380537632916161293603715358137(6).
        let scale = BigInt::from(10u8).pow(38);
        let digits = (f * Q::from_integer(scale.clone())).round().to_integer();
        assert_eq!(
            digits.to_string(),
            "104307223805376329161612936037153581376"
        );
    }
}
