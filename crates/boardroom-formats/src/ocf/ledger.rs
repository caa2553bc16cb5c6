//! The securities ledger: each security from its issuance to the one
//! transaction that ends it, with every reference checked.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;

use super::package::{Object, Package};
use super::{Problem, Severity};

/// What a security is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecurityKind {
    Stock,
    /// Options, RSUs, stock appreciation rights (OCF's equity compensation,
    /// formerly "plan security").
    EquityCompensation,
    Warrant,
    /// SAFEs and convertible notes: an amount, not a number of shares.
    Convertible,
}

impl SecurityKind {
    fn of(object_type: &str) -> Option<SecurityKind> {
        let rest = object_type.strip_prefix("TX_")?;
        Some(if rest.starts_with("STOCK_") {
            SecurityKind::Stock
        } else if rest.starts_with("EQUITY_COMPENSATION_") || rest.starts_with("PLAN_SECURITY_") {
            SecurityKind::EquityCompensation
        } else if rest.starts_with("WARRANT_") {
            SecurityKind::Warrant
        } else if rest.starts_with("CONVERTIBLE_") {
            SecurityKind::Convertible
        } else {
            return None;
        })
    }

    pub fn plain(self) -> &'static str {
        match self {
            SecurityKind::Stock => "stock",
            SecurityKind::EquityCompensation => "equity compensation",
            SecurityKind::Warrant => "warrant",
            SecurityKind::Convertible => "convertible",
        }
    }
}

/// The transaction that ends a security.
#[derive(Debug, Clone)]
pub struct End {
    pub date: NaiveDate,
    /// The index of the transaction in `Package::objects`.
    pub object: usize,
    pub object_type: String,
    /// The quantity (or, for a convertible, the amount) it consumed, when
    /// the transaction states one; otherwise all of it.
    pub quantity: Option<Decimal>,
    /// A retraction: the security is void from its issuance.
    pub void: bool,
    /// What is left of the security stays with its holder: the transaction
    /// consumed part of it and names no balance security that the package
    /// issues.
    pub keeps_rest: bool,
}

/// One security, as issued.
#[derive(Debug, Clone)]
pub struct Security {
    pub id: String,
    /// The index of its issuance in `Package::objects`.
    pub issuance: usize,
    pub kind: SecurityKind,
    pub holder: String,
    pub date: NaiveDate,
    /// Shares (or shares it gives the right to).
    pub quantity: Option<Decimal>,
    /// For a convertible: the amount invested, with its currency.
    pub amount: Option<(Decimal, String)>,
    /// The class of its shares, or the class it converts or exercises into.
    pub class: Option<String>,
    pub plan: Option<String>,
    /// The price paid per share (stock) or to be paid (the exercise price).
    pub price: Option<(Decimal, String)>,
    /// `OPTION`, `RSU`, `SAFE`, `NOTE`, `RSA`...
    pub subtype: Option<String>,
    pub expiration: Option<NaiveDate>,
    /// Issued as the balance or the result of another transaction, not
    /// drawn fresh (from a plan's pool, say).
    pub derived: bool,
    pub end: Option<End>,
}

impl Security {
    /// The quantity held on `date`, before any split.
    pub fn held_on(&self, date: NaiveDate) -> Decimal {
        let q = self.quantity.unwrap_or_default();
        if self.date > date {
            return Decimal::ZERO;
        }
        match &self.end {
            Some(e) if e.void => Decimal::ZERO,
            Some(e) if e.date <= date => {
                if e.keeps_rest {
                    (q - e.quantity.unwrap_or(q)).max(Decimal::ZERO)
                } else {
                    Decimal::ZERO
                }
            }
            _ => q,
        }
    }

    /// Whether it is outstanding (any of it) on `date`.
    pub fn alive_on(&self, date: NaiveDate) -> bool {
        self.date <= date
            && match &self.end {
                Some(e) if e.void => false,
                Some(e) if e.date <= date => e.keeps_rest,
                _ => true,
            }
    }
}

/// A dated figure: a pool size, an authorised count, a split.
#[derive(Debug, Clone)]
pub struct Dated<T> {
    pub date: NaiveDate,
    pub value: T,
}

/// The ledger of a package.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub securities: Vec<Security>,
    by_id: HashMap<String, usize>,
    /// Per class: splits (new shares per old share).
    pub splits: BTreeMap<String, Vec<Dated<Decimal>>>,
    /// Per plan: the shares reserved, from each pool adjustment.
    pub reserved: BTreeMap<String, Vec<Dated<Decimal>>>,
    /// Per class: authorised shares, from each adjustment.
    pub authorized: BTreeMap<String, Vec<Dated<Decimal>>>,
    /// Per plan: shares returned to the pool (cancelled grants).
    pub returned: BTreeMap<String, Vec<Dated<Decimal>>>,
    /// Exercise prices changed by repricings: (security, date, price).
    pub repricings: Vec<(String, NaiveDate, Decimal)>,
    /// Per class: conversion ratios set by adjustments.
    pub conversion_ratios: BTreeMap<String, Vec<Dated<Decimal>>>,
    /// Vesting starts: security → (date, the condition it starts at).
    pub vesting_starts: HashMap<String, (NaiveDate, Option<String>)>,
    /// Vesting events: security → (condition, date).
    pub vesting_events: HashMap<String, Vec<(String, NaiveDate)>>,
    /// Vesting accelerations: security → (date, shares).
    pub accelerations: HashMap<String, Vec<(NaiveDate, Decimal)>>,
    pub problems: Vec<Problem>,
}

const STAKEHOLDER: (&str, &str) = ("stakeholder", "stakeholders");
const CLASS: (&str, &str) = ("stock class", "stock classes");
const PLAN: (&str, &str) = ("stock plan", "stock plans");

/// A decimal from OCF's `Numeric` (a string such as `+1000.00`).
/// A JSON number is read too (as OCF 1.0 betas wrote ratios); the schema
/// check reports it.
/// A figure larger than [`MAX_FIGURE`] is not read (see [`figures`]).
pub fn number(v: &Value) -> Option<Decimal> {
    raw_number(v).filter(|d| d.abs() <= MAX_FIGURE)
}

fn raw_number(v: &Value) -> Option<Decimal> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let t = text.strip_prefix('+').unwrap_or(&text);
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .ok()
}

/// The largest figure read from a package: a trillion (shares, dollars).
/// No real cap table comes near it; past it, sums and products of figures
/// could leave exact decimal arithmetic, so a larger figure is a problem.
pub const MAX_FIGURE: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// The most a split or a conversion multiplies shares by (and the least).
pub const MAX_RATIO: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// The fields OCF writes figures in.
const FIGURES: [&str; 14] = [
    "quantity",
    "quantity_converted",
    "amount",
    "shares_reserved",
    "new_shares_authorized",
    "initial_shares_authorized",
    "initial_shares_reserved",
    "numerator",
    "denominator",
    "votes_per_share",
    "seniority",
    "liquidation_preference_multiple",
    "participation_cap_multiple",
    "converts_to_quantity",
];

/// Every figure of `o` larger than [`MAX_FIGURE`], as a problem at its
/// place: it is not read.
pub fn figures(o: &Object) -> Vec<Problem> {
    fn walk(v: &Value, pointer: &str, out: &mut Vec<(String, Decimal)>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = format!("{pointer}/{k}");
                    if FIGURES.contains(&k.as_str())
                        && let Some(d) = raw_number(x)
                        && d.abs() > MAX_FIGURE
                    {
                        out.push((p.clone(), d));
                    }
                    walk(x, &p, out);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{pointer}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(&o.value, "", &mut found);
    found
        .into_iter()
        .map(|(p, d)| Problem {
            hint: Some("a figure of a cap table is at most a trillion; check the units".into()),
            ..o.problem(
                Severity::Error,
                &p,
                format!("{d} is larger than boardroom reads ({MAX_FIGURE}): not read"),
            )
        })
        .collect()
}

/// A ratio `n / d` within [1/MAX_RATIO, MAX_RATIO].
pub fn ratio(n: Decimal, d: Decimal) -> Option<Decimal> {
    if d.is_zero() || n <= Decimal::ZERO || d < Decimal::ZERO {
        return None;
    }
    let r = n.checked_div(d)?;
    (r <= MAX_RATIO && r * MAX_RATIO >= Decimal::ONE).then_some(r)
}

/// A date from OCF's `Date`.
pub fn date(v: &Value) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()
}

/// A `Monetary`: amount and currency.
pub fn money(v: &Value) -> Option<(Decimal, String)> {
    Some((number(&v["amount"])?, v["currency"].as_str()?.to_string()))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl Ledger {
    pub fn security(&self, id: &str) -> Option<&Security> {
        self.by_id.get(id).map(|&k| &self.securities[k])
    }

    /// Replay the package's transactions.
    pub fn build(p: &Package) -> Ledger {
        let mut l = Ledger::default();
        let ids = |t: &str| -> Vec<&str> {
            p.objects
                .iter()
                .filter(|o| o.object_type == t)
                .map(|o| o.id.as_str())
                .collect()
        };
        let stakeholders = ids("STAKEHOLDER");
        let classes = ids("STOCK_CLASS");
        let plans = ids("STOCK_PLAN");
        // Securities named as balances or results: issued by a transaction,
        // not drawn fresh.
        let mut derived: HashMap<&str, usize> = HashMap::new();
        for (k, o) in p.objects.iter().enumerate() {
            for key in ["balance_security_id", "resulting_security_id"] {
                if let Some(s) = o.str(key) {
                    derived.insert(s, k);
                }
            }
            if let Some(a) = o.value["resulting_security_ids"].as_array() {
                for s in a.iter().filter_map(Value::as_str) {
                    derived.insert(s, k);
                }
            }
        }
        let reference =
            |o: &Object, key: &str, known: &[&str], what: (&str, &str)| -> Option<Problem> {
                let (what, whats) = what;
                let v = o.str(key)?;
                (!known.contains(&v)).then(|| Problem {
                    hint: Some(format!(
                        "the package's {whats} are: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known
                                .iter()
                                .take(8)
                                .map(|x| format!("`{x}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    )),
                    ..o.problem(
                        Severity::Error,
                        &format!("/{key}"),
                        format!("names {what} `{v}`, which is not in the package"),
                    )
                })
            };
        // Issuances first: a transaction may come before the issuance it
        // names in file order.
        for (k, o) in p.objects.iter().enumerate() {
            if !o.object_type.ends_with("_ISSUANCE") {
                continue;
            }
            let Some(kind) = SecurityKind::of(&o.object_type) else {
                continue;
            };
            let mut bad = false;
            for (key, known, what) in [
                ("stakeholder_id", &stakeholders, STAKEHOLDER),
                ("stock_class_id", &classes, CLASS),
                ("stock_plan_id", &plans, PLAN),
            ] {
                if let Some(mut problem) = reference(o, key, known, what) {
                    if let Some(id) = o.str("security_id") {
                        problem
                            .message
                            .push_str(&format!(": security `{id}` is not counted"));
                    }
                    l.problems.push(problem);
                    bad = true;
                }
            }
            if !o.value["quantity"].is_null() && number(&o.value["quantity"]).is_none() {
                // `figures` has said why; the security is left out whole.
                l.problems.push(o.problem(
                    Severity::Error,
                    "/quantity",
                    format!(
                        "security `{}` is not counted: its quantity is not read",
                        o.str("security_id").unwrap_or_default()
                    ),
                ));
                continue;
            }
            let (Some(id), Some(holder), Some(d)) = (
                o.str("security_id"),
                o.str("stakeholder_id"),
                date(&o.value["date"]),
            ) else {
                continue; // the schema check has said what is missing
            };
            if let Some(&first) = l.by_id.get(id) {
                let f = &p.objects[l.securities[first].issuance];
                l.problems.push(o.problem(
                    Severity::Error,
                    "/security_id",
                    format!(
                        "security `{id}` is already issued by {} in {}",
                        f.label(),
                        f.file
                    ),
                ));
                continue;
            }
            if bad {
                continue;
            }
            let class = o.str("stock_class_id").map(str::to_string).or_else(|| {
                // A warrant's or convertible's class is in its conversion right.
                ["exercise_triggers", "conversion_triggers"]
                    .iter()
                    .flat_map(|key| o.value[*key].as_array().into_iter().flatten())
                    .find_map(|t| t["conversion_right"]["converts_to_stock_class_id"].as_str())
                    .map(str::to_string)
            });
            let quantity = number(&o.value["quantity"]).or_else(|| {
                (kind == SecurityKind::Warrant)
                    .then(|| {
                        o.value["exercise_triggers"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .find_map(|t| {
                                number(&t["conversion_right"]["conversion_mechanism"]["converts_to_quantity"])
                            })
                    })
                    .flatten()
            });
            if kind == SecurityKind::Warrant && quantity.is_none() {
                l.problems.push(o.problem(
                    Severity::Warning,
                    "/quantity",
                    format!("warrant `{id}` states no number of shares: it is not counted in the fully diluted shares"),
                ));
            }
            let price = match kind {
                SecurityKind::Stock => money(&o.value["share_price"]),
                SecurityKind::EquityCompensation => {
                    money(&o.value["exercise_price"]).or_else(|| money(&o.value["base_price"]))
                }
                SecurityKind::Warrant => money(&o.value["exercise_price"]),
                SecurityKind::Convertible => None,
            };
            let subtype = ["compensation_type", "convertible_type", "issuance_type"]
                .iter()
                .find_map(|key| o.str(key))
                .map(str::to_string);
            let expiration = date(&o.value["expiration_date"])
                .or_else(|| date(&o.value["warrant_expiration_date"]));
            if let Some(&by) = derived.get(id)
                && p.objects[by].str("security_id") == Some(id)
            {
                // A transaction naming its own security as its result.
                l.problems.push(o.problem(
                    Severity::Error,
                    "/security_id",
                    format!("security `{id}` is named as its own balance or result"),
                ));
            }
            l.by_id.insert(id.to_string(), l.securities.len());
            l.securities.push(Security {
                id: id.to_string(),
                issuance: k,
                kind,
                holder: holder.to_string(),
                date: d,
                quantity,
                amount: money(&o.value["investment_amount"]),
                class,
                plan: o.str("stock_plan_id").map(str::to_string),
                price,
                subtype,
                expiration,
                derived: derived.contains_key(id),
                end: None,
            });
        }
        for (k, o) in p.objects.iter().enumerate() {
            let t = o.object_type.as_str();
            let Some(d) = date(&o.value["date"]) else {
                continue;
            };
            match t {
                "TX_STOCK_CLASS_SPLIT" => {
                    let r = number(&o.value["split_ratio"]["numerator"])
                        .zip(number(&o.value["split_ratio"]["denominator"]))
                        .and_then(|(n, dn)| ratio(n, dn));
                    if r.is_none() {
                        l.problems.push(o.problem(
                            Severity::Error,
                            "/split_ratio",
                            format!("is not a split boardroom applies: a ratio above zero and between 1/{MAX_RATIO} and {MAX_RATIO} is expected; not applied"),
                        ));
                    }
                    if let (Some(c), Some(r)) = (o.str("stock_class_id"), r) {
                        l.problems
                            .extend(reference(o, "stock_class_id", &classes, CLASS));
                        l.splits
                            .entry(c.to_string())
                            .or_default()
                            .push(Dated { date: d, value: r });
                    }
                    continue;
                }
                "TX_STOCK_PLAN_POOL_ADJUSTMENT" => {
                    l.problems
                        .extend(reference(o, "stock_plan_id", &plans, PLAN));
                    if let (Some(plan), Some(n)) =
                        (o.str("stock_plan_id"), number(&o.value["shares_reserved"]))
                    {
                        l.reserved
                            .entry(plan.to_string())
                            .or_default()
                            .push(Dated { date: d, value: n });
                    }
                    continue;
                }
                "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT" => {
                    l.problems
                        .extend(reference(o, "stock_class_id", &classes, CLASS));
                    if let (Some(c), Some(n)) = (
                        o.str("stock_class_id"),
                        number(&o.value["new_shares_authorized"]),
                    ) {
                        l.authorized
                            .entry(c.to_string())
                            .or_default()
                            .push(Dated { date: d, value: n });
                    }
                    continue;
                }
                "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT" => {
                    l.problems
                        .extend(reference(o, "stock_class_id", &classes, CLASS));
                    let m = &o.value["new_ratio_conversion_mechanism"]["ratio"];
                    let r = number(&m["numerator"])
                        .zip(number(&m["denominator"]))
                        .and_then(|(n, dn)| ratio(n, dn));
                    match (o.str("stock_class_id"), r) {
                        (Some(class), Some(r)) => l
                            .conversion_ratios
                            .entry(class.to_string())
                            .or_default()
                            .push(Dated { date: d, value: r }),
                        _ => l.problems.push(o.problem(
                            Severity::Error,
                            "/new_ratio_conversion_mechanism/ratio",
                            "a conversion ratio adjustment without a usable ratio (numerator and denominator between 10^-6 and 10^6 apart): the class keeps its ratio".into(),
                        )),
                    }
                    continue;
                }
                "TX_STOCK_PLAN_RETURN_TO_POOL" => {
                    l.problems
                        .extend(reference(o, "stock_plan_id", &plans, PLAN));
                    if let (Some(plan), Some(n)) =
                        (o.str("stock_plan_id"), number(&o.value["quantity"]))
                    {
                        l.returned
                            .entry(plan.to_string())
                            .or_default()
                            .push(Dated { date: d, value: n });
                    }
                    l.named(p, k, o, d);
                    continue;
                }
                "TX_STOCK_CONSOLIDATION" => {
                    for s in strings(&o.value["security_ids"]) {
                        l.finish(p, k, o, &s, d, None, false);
                    }
                    l.results(
                        p,
                        o,
                        &strings(&serde_json::json!([o.value["resulting_security_id"]])),
                    );
                    continue;
                }
                _ => {}
            }
            if t.ends_with("_ISSUANCE") || SecurityKind::of(t).is_none() {
                continue;
            }
            if t.ends_with("_ACCEPTANCE") || t.starts_with("TX_VESTING_") {
                if let Some(sec) = o.str("security_id") {
                    let condition = o.str("vesting_condition_id").map(str::to_string);
                    match t {
                        "TX_VESTING_START" => {
                            l.vesting_starts.insert(sec.to_string(), (d, condition));
                        }
                        "TX_VESTING_EVENT" => {
                            if let Some(c) = condition {
                                l.vesting_events
                                    .entry(sec.to_string())
                                    .or_default()
                                    .push((c, d));
                            }
                        }
                        "TX_VESTING_ACCELERATION" => {
                            if let Some(q) = number(&o.value["quantity"]) {
                                l.accelerations
                                    .entry(sec.to_string())
                                    .or_default()
                                    .push((d, q));
                            }
                        }
                        _ => {}
                    }
                }
                l.named(p, k, o, d);
                continue;
            }
            if t.ends_with("_REPRICING") {
                if let (Some(s), Some((price, _))) =
                    (o.str("security_id"), money(&o.value["new_exercise_price"]))
                {
                    l.repricings.push((s.to_string(), d, price));
                }
                l.named(p, k, o, d);
                continue;
            }
            let Some(s) = o.str("security_id") else {
                continue;
            };
            // A convertible's conversion converts all of it: its
            // `quantity_converted` counts the shares it became, not dollars.
            let quantity = if t == "TX_CONVERTIBLE_CONVERSION" {
                None
            } else {
                number(&o.value["quantity"])
                    .or_else(|| number(&o.value["quantity_converted"]))
                    .or_else(|| money(&o.value["amount"]).map(|(a, _)| a.abs()))
            };
            let void = t.ends_with("_RETRACTION");
            l.finish(p, k, o, s, d, quantity, void);
            let results = strings(&o.value["resulting_security_ids"]);
            l.results(p, o, &results);
        }
        l.bound_splits(p);
        l
    }

    /// The splits of a class multiply its shares by at most a trillion over
    /// any stretch of dates (and at most 100 splits): past that, a hostile
    /// package could push the counts beyond exact arithmetic. A class whose
    /// splits go further has none applied, and says so.
    fn bound_splits(&mut self, p: &Package) {
        let limit = MAX_FIGURE;
        let mut refused = Vec::new();
        for (class, splits) in &mut self.splits {
            splits.sort_by_key(|s| s.date);
            let mut ok = splits.len() <= 100;
            'windows: for i in 0..splits.len() {
                let mut product = Decimal::ONE;
                for s in &splits[i..] {
                    match product.checked_mul(s.value) {
                        Some(x) if x <= limit && x * limit >= Decimal::ONE => product = x,
                        _ => {
                            ok = false;
                            break 'windows;
                        }
                    }
                }
                if !ok {
                    break;
                }
            }
            if !ok {
                refused.push(class.clone());
            }
        }
        for class in refused {
            self.splits.remove(&class);
            let at = p.objects.iter().find(|o| {
                o.object_type == "TX_STOCK_CLASS_SPLIT"
                    && o.str("stock_class_id") == Some(class.as_str())
            });
            if let Some(o) = at {
                self.problems.push(o.problem(
                    Severity::Error,
                    "/split_ratio",
                    format!("the splits of class `{class}` multiply its shares by more than {limit} (or there are more than 100): none is applied"),
                ));
            }
        }
    }

    /// A transaction that names a security without ending it.
    fn named(&mut self, _p: &Package, _k: usize, o: &Object, d: NaiveDate) {
        let Some(s) = o.str("security_id") else {
            return;
        };
        match self.by_id.get(s).map(|&i| &self.securities[i]) {
            None => self.problems.push(o.problem(
                Severity::Warning,
                "/security_id",
                format!("names security `{s}`, which no issuance in the package creates"),
            )),
            Some(sec) if sec.date > d => self.problems.push(o.problem(
                Severity::Error,
                "/date",
                format!(
                    "is dated {d}, before security `{s}` was issued ({})",
                    sec.date
                ),
            )),
            _ => {}
        }
    }

    /// Resulting securities must be issued in the package.
    fn results(&mut self, _p: &Package, o: &Object, ids: &[String]) {
        for r in ids {
            if !self.by_id.contains_key(r.as_str()) {
                self.problems.push(o.problem(
                    Severity::Warning,
                    "/resulting_security_ids",
                    format!("names resulting security `{r}`, which no issuance in the package creates: its shares are not counted"),
                ));
            }
        }
    }

    /// End security `s` by transaction `k`.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        p: &Package,
        k: usize,
        o: &Object,
        s: &str,
        d: NaiveDate,
        quantity: Option<Decimal>,
        void: bool,
    ) {
        let Some(&i) = self.by_id.get(s) else {
            self.problems.push(o.problem(
                Severity::Error,
                "/security_id",
                format!("names security `{s}`, which no issuance in the package creates: the transaction is not applied"),
            ));
            return;
        };
        let sec = &self.securities[i];
        if let Some(e) = &sec.end {
            let first = &p.objects[e.object];
            self.problems.push(o.problem(
                Severity::Error,
                "/security_id",
                format!(
                    "security `{s}` was already ended on {} by {} in {}: a security ends once",
                    e.date,
                    first.label(),
                    first.file
                ),
            ));
            return;
        }
        // A transaction dated before its security's issuance contradicts
        // it; the cap table after both dates is the same whichever date is
        // wrong, so it is applied from the issuance, and said.
        let d = if sec.date > d && !void {
            self.problems.push(o.problem(
                Severity::Warning,
                "/date",
                format!(
                    "is dated {d}, before security `{s}` was issued ({}): applied as of the issuance; one of the two dates is wrong",
                    sec.date
                ),
            ));
            sec.date
        } else {
            d
        };
        let whole = if sec.kind == SecurityKind::Convertible {
            sec.amount.as_ref().map(|(a, _)| *a)
        } else {
            sec.quantity
        };
        if let (Some(q), Some(w)) = (quantity, whole)
            && q > w
        {
            self.problems.push(o.problem(
                Severity::Error,
                "/quantity",
                format!("consumes {q} of security `{s}`, which has only {w}: the transaction is not applied"),
            ));
            return;
        }
        let rest = match (quantity, whole) {
            (Some(q), Some(w)) if q < w && !void => w - q,
            _ => Decimal::ZERO,
        };
        let mut keeps_rest = false;
        if rest > Decimal::ZERO {
            match o.str("balance_security_id") {
                // An exercise or a release has no balance security in OCF:
                // what is not exercised stays on the security.
                None if o.object_type.ends_with("_EXERCISE")
                    || o.object_type.ends_with("_RELEASE") =>
                {
                    keeps_rest = true;
                }
                None => {
                    keeps_rest = true;
                    self.problems.push(o.problem(
                        Severity::Warning,
                        "/balance_security_id",
                        format!(
                            "consumes {} of security `{s}` and names no balance security: boardroom keeps the other {rest} with its holder",
                            quantity.unwrap_or_default()
                        ),
                    ));
                }
                Some(b) => match self.by_id.get(b).map(|&j| &self.securities[j]) {
                    None => {
                        keeps_rest = true;
                        self.problems.push(o.problem(
                            Severity::Warning,
                            "/balance_security_id",
                            format!("names balance security `{b}`, which no issuance in the package creates: boardroom keeps the other {rest} with the holder of `{s}`"),
                        ));
                    }
                    Some(bal) => {
                        let got = if bal.kind == SecurityKind::Convertible {
                            bal.amount.as_ref().map(|(a, _)| *a)
                        } else {
                            bal.quantity
                        };
                        if got != Some(rest) {
                            self.problems.push(o.problem(
                                Severity::Warning,
                                "/balance_security_id",
                                format!(
                                    "leaves {rest} of security `{s}`, but its balance security `{b}` is issued for {}",
                                    got.map_or("no stated quantity".to_string(), |g| g.to_string())
                                ),
                            ));
                        }
                    }
                },
            }
        }
        self.securities[i].end = Some(End {
            date: d,
            object: k,
            object_type: o.object_type.clone(),
            quantity,
            void,
            keeps_rest,
        });
    }

    /// The split factor of a class between two dates: the product of its
    /// splits after `from` and on or before `to`.
    /// The splits since a grant or warrant was issued (or since a later
    /// date, such as a repricing), by the class it gives: its shares are
    /// multiplied by this, its price per share divided. One for a security
    /// that names no class.
    pub fn right_split_factor(
        &self,
        p: &Package,
        sec: &Security,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Decimal {
        match right_class(p, sec) {
            Some(class) => self.split_factor(&class, from, to),
            None => Decimal::ONE,
        }
    }

    pub fn split_factor(&self, class: &str, from: NaiveDate, to: NaiveDate) -> Decimal {
        self.splits
            .get(class)
            .map(|s| {
                s.iter()
                    .filter(|x| x.date > from && x.date <= to)
                    .map(|x| x.value)
                    .product()
            })
            .unwrap_or(Decimal::ONE)
    }
}

/// The class a grant or warrant gives shares of: its own, else its plan's
/// first class.
pub fn right_class(p: &Package, sec: &Security) -> Option<String> {
    sec.class.clone().or_else(|| {
        let plan = sec.plan.as_deref()?;
        p.objects
            .iter()
            .find(|o| o.object_type == "STOCK_PLAN" && o.id == plan)
            .and_then(|o| {
                o.value["stock_class_ids"]
                    .as_array()
                    .and_then(|a| a.first())
                    .and_then(|v| v.as_str())
                    .or_else(|| o.str("stock_class_id"))
                    .map(str::to_string)
            })
    })
}
