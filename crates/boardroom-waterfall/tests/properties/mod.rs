//! Properties: conservation, caps, monotonicity, one step = two steps,
//! conversion as a fixed point, options exercised when in the money,
//! discount-only SAFEs, and look-through as a sum over paths.

use std::collections::BTreeMap;

use boardroom_waterfall::{
    Cap, Context, Holder, Holding, HoldingGraph, HoldingShare, OptionGrant, OptionKind, Portion, Q,
    Receipt, Safe, ShareClass, Terms, Tier, Waterfall,
};
use num_bigint::BigInt;
use num_traits::Zero;
use proptest::prelude::*;
use rust_decimal::Decimal;

const POOL: [&str; 4] = ["a", "b", "c", "d"];

fn base(entity: &str) -> Terms {
    Terms {
        entity: entity.into(),
        currency: "USD".into(),
        investment: vec![],
        tier: vec![],
        cap: vec![],
        class: vec![],
        option: vec![],
        claim: vec![],
        safe: vec![],
        pool: Vec::new(),
        fund: None,
        paid: vec![],
        residual: None,
        source: None,
        note: None,
    }
}

/// 1–3 tiers over four parties, optional thresholds, 0–2 caps, and a
/// residual party.
fn tier_terms() -> impl Strategy<Value = Terms> {
    let tier = (
        prop::collection::vec(0u32..5, 4),
        prop::option::of((0usize..4, 1u32..2000)),
        prop::option::of(1u32..3000),
    );
    let cap = (prop::collection::vec(any::<bool>(), 4), 1u32..4000);
    (
        prop::collection::vec(tier, 1..4),
        prop::collection::vec(cap, 0..3),
    )
        .prop_map(|(tiers, caps)| {
            let mut t = base("random");
            for (k, (weights, until, size)) in tiers.into_iter().enumerate() {
                let mut w = weights;
                if w.iter().all(|x| *x == 0) {
                    w[k % 4] = 1;
                }
                let total: u32 = w.iter().sum();
                // Percentages with two decimals; the last party with a weight
                // takes the rounding so that they sum to exactly 100.
                let mut split = Vec::new();
                let mut left = Decimal::ONE_HUNDRED;
                let last = w.iter().rposition(|x| *x > 0).unwrap_or(0);
                for (i, x) in w.iter().enumerate() {
                    if *x == 0 {
                        continue;
                    }
                    let p = if i == last {
                        left
                    } else {
                        (Decimal::from(*x) * Decimal::ONE_HUNDRED / Decimal::from(total))
                            .round_dp(2)
                    };
                    left -= p;
                    split.push(Portion {
                        party: POOL[i].into(),
                        percent: p,
                        ends_on: None,
                        assumption: false,
                    });
                }
                t.tier.push(Tier {
                    id: format!("t{k}"),
                    split,
                    until_received: until.map(|(p, a)| Receipt {
                        party: POOL[p].into(),
                        amount: Decimal::from(a),
                    }),
                    size: size.map(Decimal::from),
                    after: None,
                    ends_on: None,
                    source: None,
                    assumption: false,
                    note: None,
                });
            }
            for (members, amount) in caps {
                let parties: Vec<String> = members
                    .iter()
                    .zip(POOL)
                    .filter(|(m, _)| **m)
                    .map(|(_, p)| p.to_string())
                    .collect();
                if parties.is_empty() {
                    continue;
                }
                t.cap.push(Cap {
                    parties,
                    amount: Some(Decimal::from(amount)),
                    multiple: None,
                    ends_on: None,
                    source: None,
                    assumption: false,
                    note: None,
                });
            }
            t.residual = Some("r".into());
            t
        })
}

fn exact(w: &Waterfall, amount: &Q) -> Vec<Q> {
    let mut st = w.start();
    w.advance(&mut st, amount).unwrap_or_else(|e| panic!("{e}"))
}

fn cents(c: u64) -> Q {
    Q::new(BigInt::from(c), BigInt::from(100))
}

fn compile(t: &Terms) -> Waterfall {
    Waterfall::new(t, &Context::default()).unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn payouts_sum_exactly_to_the_amount(t in tier_terms(), c in 0u64..1_000_000) {
        let amount = Decimal::new(i64::try_from(c).unwrap_or(0), 2);
        let d = compile(&t).distribute(amount).unwrap_or_else(|e| panic!("{e}"));
        let sum: Decimal = d.payouts.iter().map(|p| p.amount).sum();
        prop_assert_eq!(sum, amount);
        let exact: Q = d.payouts.iter().fold(Q::zero(), |a, p| a + p.exact.rational());
        prop_assert_eq!(exact, cents(c));
        for p in &d.payouts {
            prop_assert!(p.amount >= Decimal::ZERO);
        }
    }

    /// Regression: at 20,000,000,000.01 the default's text gave Other
    /// investors 5,640,000,000.01 from tiers of 4,333,333,333.33 and
    /// 1,306,666,666.67, and tiers that summed to a cent more than the
    /// amount: each part was rounded on its own. Now every payout's parts
    /// sum to it, the tiers sum to the amount, each part is within a cent
    /// of its exact amount, and so is each tier, or a note says why not.
    #[test]
    fn every_row_and_every_tier_adds_up_to_the_cent(t in tier_terms(), c in 0u64..1_000_000) {
        let amount = Decimal::new(i64::try_from(c).unwrap_or(0), 2);
        let d = compile(&t).distribute(amount).unwrap_or_else(|e| panic!("{e}"));
        let within = |paid: Decimal, exact: &Q| {
            let diff = Q::new(BigInt::from(paid.mantissa()), BigInt::from(10u64.pow(paid.scale())))
                - exact;
            diff < cents(1) && diff > -cents(1)
        };
        for p in &d.payouts {
            let parts: Decimal = p.by_tier.iter().map(|x| x.paid).sum();
            prop_assert_eq!(parts, p.amount, "{}", p.party);
            for x in &p.by_tier {
                prop_assert!(within(x.paid, x.amount.rational()), "{} {}", p.party, x.tier);
            }
        }
        let tiers: Decimal = d.tiers.iter().map(|x| x.paid).sum();
        prop_assert_eq!(tiers, amount);
        for x in &d.tiers {
            let parts: Decimal = d
                .payouts
                .iter()
                .flat_map(|p| &p.by_tier)
                .filter(|y| y.tier == x.tier)
                .map(|y| y.paid)
                .sum();
            prop_assert_eq!(parts, x.paid, "{}", x.tier);
            // Within a cent, or else the distribution says so: the payouts'
            // rounding can leave no room (a party whose only fraction of a
            // cent is in this tier).
            let said = d.notes.iter().any(|n| n.starts_with(&format!("tier `{}`: its parts", x.tier)));
            prop_assert!(within(x.paid, x.amount.rational()) || said, "{}", x.tier);
        }
    }

    #[test]
    fn no_cap_is_exceeded(t in tier_terms(), c in 0u64..1_000_000) {
        let w = compile(&t);
        let got = exact(&w, &cents(c));
        for cap in &t.cap {
            let sum: Q = w.parties().iter().zip(&got)
                .filter(|(p, _)| cap.parties.contains(p))
                .fold(Q::zero(), |a, (_, x)| a + x);
            let limit = Q::new(BigInt::from(cap.amount.map_or(0, |a| a.mantissa())), BigInt::from(1));
            prop_assert!(sum <= limit, "cap {:?}: {}", cap.parties, sum);
        }
    }

    #[test]
    fn payouts_never_decrease(t in tier_terms(), x in 0u64..500_000, y in 0u64..500_000) {
        let w = compile(&t);
        let (lo, hi) = (x.min(y), x.max(y) + 1);
        let a = exact(&w, &cents(lo));
        let b = exact(&w, &cents(hi));
        for (p, (u, v)) in w.parties().iter().zip(a.iter().zip(&b)) {
            prop_assert!(u <= v, "{p}: {u} > {v}");
        }
    }

    #[test]
    fn one_step_equals_two_steps(t in tier_terms(), x in 0u64..500_000, y in 0u64..500_000) {
        let w = compile(&t);
        let one = exact(&w, &cents(x + y));
        let mut st = w.start();
        let first = w.advance(&mut st, &cents(x)).unwrap_or_else(|e| panic!("{e}"));
        let second = w.advance(&mut st, &cents(y)).unwrap_or_else(|e| panic!("{e}"));
        let two: Vec<Q> = first.iter().zip(&second).map(|(a, b)| a + b).collect();
        prop_assert_eq!(one, two);
    }

    #[test]
    fn cumulative_matches_distribute(t in tier_terms(), x in 0u64..500_000) {
        let w = compile(&t);
        let to = Decimal::new(i64::try_from(x).unwrap_or(0), 2);
        let c = w.cumulative(to).unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(c.at(&cents(x)), exact(&w, &cents(x)));
        // Marginal shares sum to one in every segment.
        for s in &c.segments {
            let sum: Q = s.shares.iter().fold(Q::zero(), |a, x| a + x.share.rational());
            prop_assert_eq!(sum, Q::from_integer(BigInt::from(1)));
        }
    }
}

// ------------------------------------------- liquidation preferences

#[derive(Debug, Clone)]
struct Pref {
    shares: i64,
    invested: i64,
    multiple: i64,
    seniority: i64,
    participating: bool,
    cap: Option<i64>,
}

fn prefs() -> impl Strategy<Value = (Vec<Pref>, i64)> {
    let pref = (
        1i64..100,
        1i64..100,
        1i64..3,
        0i64..3,
        any::<bool>(),
        prop::option::of(2i64..5),
    )
        .prop_map(
            |(shares, invested, multiple, seniority, participating, cap)| Pref {
                shares,
                invested,
                multiple,
                seniority,
                participating,
                cap: if participating { cap } else { None },
            },
        );
    (prop::collection::vec(pref, 1..4), 1i64..100)
}

/// A class of `shares` with no preference, convertible, held by nobody:
/// the fields each test states are written over it.
fn class(id: &str, shares: i64) -> ShareClass {
    ShareClass {
        id: id.into(),
        shares: Decimal::from(shares),
        price_per_share: None,
        invested: None,
        seniority: 0,
        liquidation_preference_multiple: None,
        participating: false,
        participation_cap_multiple: None,
        conversion_ratio: None,
        convertible: true,
        dividends_accrued: None,
        dividend: None,
        votes_per_share: None,
        holders: vec![],
        source: None,
        note: None,
    }
}

fn venture_terms(prefs: &[Pref], common: i64) -> Terms {
    let mut t = base("venture");
    for (i, p) in prefs.iter().enumerate() {
        t.class.push(ShareClass {
            invested: Some(Decimal::from(p.invested)),
            seniority: p.seniority,
            liquidation_preference_multiple: Some(Decimal::from(p.multiple)),
            participating: p.participating,
            participation_cap_multiple: p.cap.map(Decimal::from),
            ..class(&format!("p{i}"), p.shares)
        });
    }
    t.class.push(ShareClass {
        holders: vec![Holder {
            party: "founders".into(),
            units: Decimal::ONE,
        }],
        ..class("common", common)
    });
    t
}

fn qi(n: i64) -> Q {
    Q::from_integer(BigInt::from(n))
}

/// Payouts when the classes in `converted` convert: preferences by
/// seniority (pari passu within a level, pro rata to preference), then
/// the rest pro rata by units among common, converted and participating
/// classes, a participating class stopping at its cap (water-filling).
fn payout(prefs: &[Pref], common: i64, converted: &[bool], v: &Q) -> Vec<Q> {
    let n = prefs.len();
    let mut got = vec![Q::zero(); n + 1];
    let mut left = v.clone();
    let mut levels: Vec<i64> = prefs.iter().map(|p| p.seniority).collect();
    levels.sort_unstable_by(|a, b| b.cmp(a));
    levels.dedup();
    for s in levels {
        let members: Vec<usize> = (0..n)
            .filter(|&i| prefs[i].seniority == s && !converted[i])
            .collect();
        let need: Q = members.iter().fold(Q::zero(), |a, &i| {
            a + qi(prefs[i].multiple * prefs[i].invested)
        });
        if need.is_zero() {
            continue;
        }
        let pay = if left < need {
            left.clone()
        } else {
            need.clone()
        };
        for &i in &members {
            got[i] += &pay * qi(prefs[i].multiple * prefs[i].invested) / &need;
        }
        left -= pay;
    }
    let mut active: Vec<usize> = (0..n)
        .filter(|&i| converted[i] || prefs[i].participating)
        .collect();
    active.push(n);
    let units = |i: usize| {
        if i == n {
            qi(common)
        } else {
            qi(prefs[i].shares)
        }
    };
    loop {
        let total: Q = active.iter().fold(Q::zero(), |a, &i| a + units(i));
        if total.is_zero() || left.is_zero() {
            break;
        }
        let per = &left / &total;
        let over: Vec<usize> = active
            .iter()
            .copied()
            .filter(|&i| {
                i < n
                    && !converted[i]
                    && prefs[i]
                        .cap
                        .is_some_and(|c| &got[i] + units(i) * &per > qi(c * prefs[i].invested))
            })
            .collect();
        if over.is_empty() {
            for &i in &active {
                got[i] += units(i) * &per;
            }
            break;
        }
        for i in over {
            let room = qi(prefs[i].cap.unwrap_or(0) * prefs[i].invested) - &got[i];
            got[i] += &room;
            left -= room;
            active.retain(|&x| x != i);
        }
    }
    got
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The engine's exact payouts equal those of some set of conversion
    /// decisions from which no class gains by changing its own decision:
    /// the fixed point a real waterfall is solved to.
    #[test]
    fn conversion_is_a_fixed_point((prefs, common) in prefs(), v in 0i64..2000) {
        let t = venture_terms(&prefs, common);
        let w = compile(&t);
        let v = qi(v);
        let got = exact(&w, &v);
        let index: BTreeMap<&str, usize> = w.parties().iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
        let engine: Vec<Q> = (0..prefs.len())
            .map(|i| got[index[format!("p{i}").as_str()]].clone())
            .chain(std::iter::once(got[index["founders"]].clone()))
            .collect();
        let n = prefs.len();
        let mut found = false;
        for mask in 0..(1u32 << n) {
            let conv: Vec<bool> = (0..n).map(|i| mask & (1 << i) != 0).collect();
            let base = payout(&prefs, common, &conv, &v);
            let stable = (0..n).all(|i| {
                let mut flip = conv.clone();
                flip[i] = !flip[i];
                payout(&prefs, common, &flip, &v)[i] <= base[i]
            });
            if stable && base == engine {
                found = true;
                break;
            }
        }
        prop_assert!(found, "engine {:?} is no fixed point", engine);
    }
}

// ------------------------------------------------------------ look-through

fn dag() -> impl Strategy<Value = Vec<(usize, usize, u32)>> {
    // Entity j may be held by entities i < j, at most 100% in total.
    prop::collection::vec(prop::collection::vec(0u32..40, 0..6), 7).prop_map(|cols| {
        let mut edges = Vec::new();
        for (j, col) in cols.into_iter().enumerate() {
            let mut left = 100u32;
            for (i, p) in col.into_iter().enumerate().take(j) {
                let p = p.min(left);
                if p > 0 {
                    edges.push((i, j, p));
                    left -= p;
                }
            }
        }
        edges
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn lookthrough_on_acyclic_graphs_is_the_sum_over_paths(edges in dag()) {
        let name = |i: usize| format!("e{i}");
        let holdings: Vec<Holding> = edges
            .iter()
            .map(|&(i, j, p)| Holding { holder: name(i), subject: name(j), share: HoldingShare::Percent(Decimal::from(p)) })
            .collect();
        let g = HoldingGraph::new(&holdings).unwrap_or_else(|e| panic!("{e}"));
        let x = g.exact().unwrap_or_else(|e| panic!("{e}"));
        // Sum over paths, by depth-first enumeration.
        let mut paths: BTreeMap<(usize, usize), Q> = BTreeMap::new();
        for start in 0..7 {
            let mut stack = vec![(start, Q::from_integer(BigInt::from(1)))];
            while let Some((node, product)) = stack.pop() {
                for &(i, j, p) in &edges {
                    if i == node {
                        let next = &product * Q::new(BigInt::from(p), BigInt::from(100));
                        *paths.entry((start, j)).or_insert_with(Q::zero) += &next;
                        stack.push((j, next));
                    }
                }
            }
        }
        for i in 0..7 {
            for j in 0..7 {
                let want = paths.get(&(i, j)).cloned().unwrap_or_else(Q::zero);
                prop_assert_eq!(x.get(&name(i), &name(j)), want);
            }
        }
        let it = g.iterative(&boardroom_waterfall::Iterative::default());
        for xi in &x.interests {
            let f: f64 = xi.share.approx();
            prop_assert!((it.get(&xi.party, &xi.entity) - f).abs() < 1e-9);
        }
    }
}

// ------------------------------------------------------------ options

/// Common shares held by `founders`, and options over common held by
/// `o0`, `o1`, ... with (units, strike in cents).
fn option_terms(common: i64, options: &[(i64, i64)]) -> Terms {
    let mut t = base("options");
    t.class.push(ShareClass {
        holders: vec![Holder {
            party: "founders".into(),
            units: Decimal::from(common),
        }],
        ..class("common", common)
    });
    for (i, (units, strike)) in options.iter().enumerate() {
        t.option.push(OptionGrant {
            id: format!("grant{i}"),
            party: format!("o{i}"),
            class: "common".into(),
            units: Decimal::from(*units),
            strike: Decimal::new(*strike, 2),
            kind: OptionKind::Option,
            plan: None,
            source: None,
            note: None,
        });
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Options are exercised exactly when in the money: the engine's
    /// payouts are those of a set of exercised options whose price per
    /// share, with their strikes added to the proceeds,
    /// P = (amount + Σ units × strike) / (common + Σ units), is at least
    /// the strike of each exercised option and at most that of each other;
    /// each option receives units × (P − strike), net of its strike.
    #[test]
    fn options_are_exercised_exactly_when_in_the_money(
        common in 1i64..10_000,
        options in prop::collection::vec((1i64..5_000, 0i64..500), 1..4),
        v in 0i64..50_000,
    ) {
        let w = compile(&option_terms(common, &options));
        let v = qi(v);
        let got = exact(&w, &v);
        let index: BTreeMap<&str, usize> =
            w.parties().iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
        let cents = |c: i64| Q::new(BigInt::from(c), BigInt::from(100));
        let n = options.len();
        let mut found = false;
        for mask in 0..(1u32 << n) {
            let ex: Vec<bool> = (0..n).map(|i| mask & (1 << i) != 0).collect();
            let mut proceeds = v.clone();
            let mut shares = qi(common);
            for (i, (units, strike)) in options.iter().enumerate() {
                if ex[i] {
                    proceeds += qi(*units) * cents(*strike);
                    shares += qi(*units);
                }
            }
            let price = proceeds / shares;
            let stable = options.iter().enumerate().all(|(i, (_, strike))| {
                if ex[i] { cents(*strike) <= price } else { cents(*strike) >= price }
            });
            if !stable {
                continue;
            }
            let founders = &price * qi(common);
            let holders_match = options.iter().enumerate().all(|(i, (units, strike))| {
                let want = if ex[i] { (&price - cents(*strike)) * qi(*units) } else { Q::zero() };
                let have = index.get(format!("o{i}").as_str()).map_or(Q::zero(), |&k| got[k].clone());
                have == want
            });
            if got[index["founders"]] == founders && holders_match {
                found = true;
                break;
            }
        }
        prop_assert!(found, "no exercise set gives the engine's payouts {:?}", got);
    }
}

/// Common held by `founders`, a 1x non-participating convertible preferred
/// held by `fund` when given as (shares, invested in cents), and a
/// discount-only SAFE held by `angel`: purchase in cents, discount in
/// percent.
fn discount_terms(
    common: i64,
    preferred: Option<(i64, i64)>,
    purchase: i64,
    discount: i64,
) -> Terms {
    let mut t = option_terms(common, &[]);
    if let Some((shares, invested)) = preferred {
        t.class.push(ShareClass {
            invested: Some(Decimal::new(invested, 2)),
            seniority: 1,
            liquidation_preference_multiple: Some(Decimal::ONE),
            holders: vec![Holder {
                party: "fund".into(),
                units: Decimal::from(shares),
            }],
            ..class("series-a", shares)
        });
    }
    t.safe.push(Safe {
        id: "safe".into(),
        party: "angel".into(),
        purchase_amount: Decimal::new(purchase, 2),
        valuation_cap: None,
        kind: Default::default(),
        cap_basis: Default::default(),
        interest: None,
        repayment_multiple: None,
        discount_percent: Some(Decimal::from(discount)),
        mfn: false,
        seniority: None,
        source: None,
        note: None,
    });
    t
}

/// Each party's exact receipts from one distribution of `cents`.
fn distributed(t: &Terms, cents: i64) -> BTreeMap<String, Q> {
    let d = compile(t)
        .distribute(Decimal::new(cents, 2))
        .unwrap_or_else(|e| panic!("{e}"));
    d.payouts
        .into_iter()
        .map(|p| (p.party, p.exact.0))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A discount-only SAFE over common alone takes the greater of its
    /// cash-out, min(P, V), and its conversion, min(P/d, V): so min(P/d, V)
    /// exactly, common the rest.
    #[test]
    fn a_discount_only_safe_takes_its_conversion_amount_or_all_there_is(
        common in 1i64..10_000,
        purchase in 1i64..10_000_000,
        discount in 1i64..60,
        v in 0i64..50_000_000,
    ) {
        let got = distributed(&discount_terms(common, None, purchase, discount), v);
        let amount = cents(v as u64);
        let conversion = cents(purchase as u64) * qi(100) / qi(100 - discount);
        let safe = if conversion < amount { conversion } else { amount.clone() };
        prop_assert_eq!(got.get("angel").cloned().unwrap_or_else(Q::zero), safe.clone());
        prop_assert_eq!(got.get("founders").cloned().unwrap_or_else(Q::zero), amount - safe);
    }

    /// Beside a convertible preferred, every dollar is paid once, the SAFE
    /// never takes more than its conversion amount, and it takes at least
    /// what its cash-out alone would (the greater of the two).
    #[test]
    fn a_discount_only_safe_beside_a_preferred_pays_every_dollar_once(
        common in 1i64..10_000,
        preferred in (1i64..10_000, 1i64..10_000_000),
        purchase in 1i64..10_000_000,
        discount in 1i64..60,
        v in 0i64..50_000_000,
    ) {
        let t = discount_terms(common, Some(preferred), purchase, discount);
        let got = distributed(&t, v);
        let total = got.values().fold(Q::zero(), |a, x| a + x);
        prop_assert_eq!(total, cents(v as u64));
        let safe = got.get("angel").cloned().unwrap_or_else(Q::zero);
        let conversion = cents(purchase as u64) * qi(100) / qi(100 - discount);
        prop_assert!(safe <= conversion, "{} over its conversion amount", safe);
        // Cashed out, it ranks with the preferred: pro rata to P and I.
        let (p, i) = (cents(purchase as u64), cents(preferred.1 as u64));
        let pot = if cents(v as u64) < &p + &i { cents(v as u64) } else { &p + &i };
        let cash_out = pot * &p / (&p + &i);
        prop_assert!(safe >= cash_out, "{} under its cash-out {}", safe, cash_out);
    }
}
