//! Integration tests: oracles with published numbers, the OpenAI terms,
//! errors, and properties.

use std::collections::BTreeSet;
use std::str::FromStr;

use boardroom_waterfall::{
    Context, Error, EventKind, Holding, HoldingGraph, HoldingShare, Iterative, Location, Q, Terms,
    Waterfall, cumulative, distribute,
};
use num_bigint::BigInt;
use rust_decimal::Decimal;

mod properties;

fn terms(src: &str) -> Terms {
    match toml::from_str(src) {
        Ok(t) => t,
        Err(e) => panic!("bad test terms: {e}"),
    }
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("bad decimal {s}: {e}"))
}

fn rat(n: i128, den: i128) -> Q {
    Q::new(BigInt::from(n), BigInt::from(den))
}

/// Each party's payout to the cent, as `party=amount` strings.
fn check(t: &Terms, amount: &str, expect: &[(&str, &str)]) {
    let dist = distribute(t, d(amount)).unwrap_or_else(|e| panic!("{e}"));
    let sum: Decimal = dist.payouts.iter().map(|p| p.amount).sum();
    assert_eq!(sum, d(amount), "payouts must sum to the amount");
    for (party, want) in expect {
        let got = dist
            .payouts
            .iter()
            .find(|p| p.party == *party)
            .map(|p| p.amount);
        assert_eq!(got, Some(d(want)), "{party} at {amount}\n{dist}");
    }
}

fn openai() -> Terms {
    terms(include_str!("data/openai.toml"))
}

// ---------------------------------------------------------------- OpenAI

#[test]
fn openai_section_deserialises_inside_a_structure() {
    #[derive(serde::Deserialize)]
    struct Structure {
        economics: Vec<Terms>,
    }
    let s: Structure = toml::from_str(include_str!("data/openai-structure.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.economics.len(), 1);
    assert_eq!(s.economics[0], openai());
}

/// The OpenAI Global LLC terms as reported (Fortune, January 2023; the
/// founding article for the 150B group cap; OpenAI LP, March 2019, for
/// the 100x cap). All amounts in billions of dollars:
///
/// - Tier 1 pays Microsoft 75% until it has 13: that takes 13 / 0.75 =
///   52/3 ≈ 17.333 of profit, of which the other investors get 13/3.
/// - Tier 2 pays 49 / 49 / 2. Microsoft's own cap of 92 would need
///   (92 − 13) / 0.49 ≈ 161.2 more; the group cap of 150 on Microsoft and
///   the other investors needs (150 − 52/3) / 0.98 = 19900/147 ≈ 135.4
///   more, so the group cap binds first, at 52/3 + 19900/147 = 22448/147
///   ≈ 152.707. There Microsoft has 13 + 0.49 × 19900/147 = 238/3 ≈ 79.33
///   (so its 92 cap never binds), the other investors 212/3 ≈ 70.67 and
///   the nonprofit 0.02 × 19900/147 = 398/147 ≈ 2.708.
/// - From 22448/147 on the nonprofit receives everything: the tier's
///   capped shares go to its only uncapped party, openai-inc.
/// - The 100x cap on the other investors cannot be evaluated (their
///   investment is not public) and is reported as such.
#[test]
fn openai_breakpoints() {
    let c = cumulative(&openai(), d("200000000000")).unwrap_or_else(|e| panic!("{e}"));
    let b = |n: i128, den: i128| rat(n * 1_000_000_000, den);
    let at: Vec<Q> = c
        .breakpoints
        .iter()
        .map(|b| b.at.rational().clone())
        .collect();
    assert_eq!(at, vec![b(52, 3), b(22448, 147)], "{c}");
    assert!(
        matches!(&c.breakpoints[0].events[0].kind, EventKind::TierFilled { tier } if tier == "microsoft-recoups")
    );
    assert!(matches!(
        &c.breakpoints[1].events[0].kind,
        EventKind::CapBinds { cap: 1, .. }
    ));
    // Cap 0 (Microsoft's 92B) never binds.
    assert!(
        !c.breakpoints
            .iter()
            .flat_map(|b| &b.events)
            .any(|e| matches!(e.kind, EventKind::CapBinds { cap: 0, .. }))
    );
    let parties = &c.parties;
    let at_b2 = c.at(&b(22448, 147));
    let get =
        |v: &[Q], p: &str| v[parties.iter().position(|x| x == p).unwrap_or(usize::MAX)].clone();
    assert_eq!(get(&at_b2, "microsoft"), b(238, 3));
    assert_eq!(get(&at_b2, "other-investors"), b(212, 3));
    assert_eq!(get(&at_b2, "openai-inc"), b(398, 147));
    let at_b1 = c.at(&b(52, 3));
    assert_eq!(get(&at_b1, "microsoft"), b(13, 1));
    assert_eq!(get(&at_b1, "other-investors"), b(13, 3));
    // After the last breakpoint, the nonprofit's marginal share is 1.
    let last = c.segments.last().unwrap_or_else(|| panic!("no segments"));
    assert_eq!(last.shares.len(), 1);
    assert_eq!(last.shares[0].party, "openai-inc");
    assert_eq!(last.shares[0].share.rational(), &rat(1, 1));
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("cap[2]") && n.contains("cannot be evaluated")),
        "{:?}",
        c.notes
    );
    // At 200B, to the cent: 1 cent left over goes to the largest remainder
    // (other-investors: .6666… cents against microsoft's .3333…).
    check(
        &openai(),
        "200000000000",
        &[
            ("microsoft", "79333333333.33"),
            ("other-investors", "70666666666.67"),
            ("openai-inc", "50000000000"),
        ],
    );
}

#[test]
fn openai_agi_declaration_ends_microsofts_right() {
    let mut t = openai();
    t.tier[1].split[0].ends_on = Some("agi".into());
    let ctx = Context {
        known_parties: None,
        in_force: BTreeSet::from(["agi".to_string()]),
        on: None,
    };
    let w = Waterfall::new(&t, &ctx).unwrap_or_else(|e| panic!("{e}"));
    let dist = w
        .distribute(d("52000000000"))
        .unwrap_or_else(|e| panic!("{e}"));
    // Past 52/3 B, Microsoft's 49% is shared 49:2 by the others.
    let ms = dist
        .payouts
        .iter()
        .find(|p| p.party == "microsoft")
        .map(|p| p.amount);
    assert_eq!(ms, Some(d("13000000000")));
    assert!(dist.notes.iter().any(|n| n.contains("ended on `agi`")));
}

// ---------------------------------------------------------- venture terms

const FELD: &str = r#"
entity = "startup"
[[class]]
id = "series-a"
shares = "60"
invested = "50000000"
liquidation_preference_multiple = 1
seniority = 1
[[class]]
id = "common"
shares = "40"
"#;

/// Feld & Mendelson, Venture Deals (ch. "Liquidation Preference"): $50M
/// invested for 60%, exit at $100M. Non-participating: the investors
/// convert and take 60% = $60M, the others $40M.
#[test]
fn venture_deals_non_participating() {
    check(
        &terms(FELD),
        "100000000",
        &[("series-a", "60000000"), ("common", "40000000")],
    );
}

/// Same source: participating preferred takes its $50M back, then 60% of
/// the remaining $50M: $80M, and the others $20M.
#[test]
fn venture_deals_participating() {
    let t = terms(&FELD.replace("seniority = 1", "seniority = 1\nparticipating = true"));
    check(
        &t,
        "100000000",
        &[("series-a", "80000000"), ("common", "20000000")],
    );
}

/// Participating preferred with a 3x cap (the capped participation of
/// Feld & Mendelson, Venture Deals; numbers derived by hand): $10M
/// invested for 50%, 1x participating, total receipts capped at 3x =
/// $30M. At $40M: 10 + 50% × 30 = 25. At $50M: 10 + 20 = 30, the cap.
/// From 50 to 60 the class stays at 30 and common takes everything. At
/// $60M converting pays 50% × 60 = 30 = the cap, so above 60 it converts:
/// at $80M it takes 40.
#[test]
fn participating_with_3x_cap() {
    let t = terms(
        r#"
        entity = "startup"
        [[class]]
        id = "series-a"
        shares = "1000000"
        invested = "10000000"
        liquidation_preference_multiple = 1
        participating = true
        participation_cap_multiple = 3
        [[class]]
        id = "common"
        shares = "1000000"
        "#,
    );
    for (x, a) in [
        ("40000000", "25000000"),
        ("50000000", "30000000"),
        ("55000000", "30000000"),
        ("60000000", "30000000"),
        ("80000000", "40000000"),
    ] {
        check(&t, x, &[("series-a", a)]);
    }
    let c = cumulative(&t, d("100000000")).unwrap_or_else(|e| panic!("{e}"));
    let at: Vec<Q> = c
        .breakpoints
        .iter()
        .map(|b| b.at.rational().clone())
        .collect();
    assert_eq!(
        at,
        vec![rat(10_000_000, 1), rat(50_000_000, 1), rat(60_000_000, 1)],
        "{c}"
    );
    assert!(
        matches!(&c.breakpoints[2].events[0].kind, EventKind::Converts { payee } if payee == "series-a")
    );
}

/// A seniority stack (derived by hand): Series B ($20M, 1x, senior) over
/// Series A ($10M, 1x) over common. At $25M, B takes 20, A the 5 left,
/// common nothing. Pari passu instead, they share 25 in proportion 2:1.
#[test]
fn seniority_stack_and_pari_passu() {
    let src = r#"
        entity = "startup"
        [[class]]
        id = "series-b"
        shares = "1000000"
        invested = "20000000"
        liquidation_preference_multiple = 1
        seniority = 2
        [[class]]
        id = "series-a"
        shares = "1000000"
        invested = "10000000"
        liquidation_preference_multiple = 1
        seniority = 1
        [[class]]
        id = "common"
        shares = "8000000"
    "#;
    check(
        &terms(src),
        "25000000",
        &[
            ("series-b", "20000000"),
            ("series-a", "5000000"),
            ("common", "0"),
        ],
    );
    let pari = terms(&src.replace("seniority = 2", "seniority = 1"));
    check(
        &pari,
        "25000000",
        &[
            ("series-b", "16666666.67"),
            ("series-a", "8333333.33"),
            ("common", "0"),
        ],
    );
    // 2x multiple: B's preference is 40.
    let two = terms(&src.replacen(
        "liquidation_preference_multiple = 1",
        "liquidation_preference_multiple = 2",
        1,
    ));
    check(
        &two,
        "45000000",
        &[("series-b", "40000000"), ("series-a", "5000000")],
    );
}

/// Holders share their class's payout by units.
#[test]
fn holders_split_their_class() {
    let t = terms(&FELD.replace(
        "shares = \"40\"",
        "shares = \"40\"\nholders = [{ party = \"alice\", units = \"1\" }, { party = \"bob\", units = \"2\" }]",
    ));
    check(
        &t,
        "100000000",
        &[
            ("series-a", "60000000"),
            ("alice", "13333333.33"),
            ("bob", "26666666.67"),
        ],
    );
}

// ------------------------------------------------------------- fund terms

/// A European fund waterfall, as worked in the Tentt waterfall calculator
/// (trytentt.com/tools/waterfall-calculator): $50M contributed, 8%
/// preferred return compounded annually over 5 years, 100% catch-up, 20%
/// carry, $125M distributed. Published (rounded to the dollar): return of
/// capital 50,000,000; preferred return 23,466,404; catch-up 5,866,601;
/// split 36,533,596 to the LP and 9,133,399 to the GP; LP total
/// 110,000,000 and GP 15,000,000 (20% of the 75M profit). Exactly:
/// 50M × (1.08⁵ − 1) = 23,466,403.84 and the catch-up 0.25 × that =
/// 5,866,600.96.
#[test]
fn fund_with_hurdle_catch_up_and_carry() {
    let t = terms(
        r#"
        entity = "fund-i"
        [fund]
        general_partner = "gp"
        commitment = [{ party = "lp", contributed = "50000000" }]
        hurdle = { rate_percent = 8, years = 5, compounding = "annual" }
        catch_up_percent = 100
        carry_percent = 20
        "#,
    );
    check(&t, "125000000", &[("lp", "110000000"), ("gp", "15000000")]);
    let dist = distribute(&t, d("125000000")).unwrap_or_else(|e| panic!("{e}"));
    let tier = |id: &str| {
        dist.tiers
            .iter()
            .find(|x| x.tier == id)
            .map(|x| x.amount.decimal(2))
    };
    assert_eq!(tier("return-of-capital"), Some(d("50000000")));
    assert_eq!(tier("preferred-return"), Some(d("23466403.84")));
    assert_eq!(tier("catch-up"), Some(d("5866600.96")));
    assert_eq!(tier("carried-interest"), Some(d("45666995.20")));
}

// ----------------------------------------------------------------- errors

fn errors(t: &Terms, ctx: &Context) -> Vec<Error> {
    match Waterfall::new(t, ctx) {
        Ok(_) => panic!("expected errors"),
        Err(e) => {
            for x in &e.0 {
                assert!(!x.hint().is_empty());
            }
            e.0
        }
    }
}

/// A tier's split at 101% said "expected at most 100%", and at 98%
/// "expected exactly 100%": two expectations for one rule. Both now say
/// what the rule is, and claims off the top at exactly 100% (nothing left
/// for the classes) no longer read "100%, expected at most 100%".
#[test]
fn shares_above_100_name_the_tier() {
    let mut t = openai();
    t.tier[1].split[2].percent = d("3");
    let e = errors(&t, &Context::default());
    assert!(
        matches!(&e[0], Error::SharesAbove100 { at: Location::Tier(id), sum, .. } if id == "capped-sharing" && *sum == d("101"))
    );
    assert_eq!(
        e[0].to_string(),
        "tier `capped-sharing`: shares sum to 101%, expected exactly 100%"
    );
    assert_eq!(
        e[0].hint(),
        "lower the percentages so that they sum to exactly 100%"
    );
    t.tier[1].split[2].percent = d("0");
    let e = errors(&t, &Context::default());
    assert_eq!(
        e[0].to_string(),
        "tier `capped-sharing`: shares sum to 98%, expected exactly 100%"
    );
    let all = terms(
        r#"
entity = "co"
[[class]]
id = "common"
shares = 100
holders = [{ party = "founders", units = 100 }]
[[claim]]
id = "everything"
party = "lender"
percent = 100
"#,
    );
    let e = errors(&all, &Context::default());
    assert_eq!(
        e[0].to_string(),
        "claim `everything`: shares sum to 100%, expected less than 100% (something must be left for the classes)",
        "{e:?}"
    );
}

#[test]
fn unknown_party_is_named_with_a_suggestion() {
    let known: BTreeSet<String> = ["microsoft", "other-investors", "openai-inc"]
        .map(String::from)
        .into();
    let mut t = openai();
    t.tier[0].split[0].party = "microsft".into();
    let e = errors(
        &t,
        &Context {
            known_parties: Some(known),
            in_force: BTreeSet::new(),
            on: None,
        },
    );
    assert!(
        matches!(&e[0], Error::UnknownParty { at: Location::Tier(id), party, suggestion: Some(s) }
        if id == "microsoft-recoups" && party == "microsft" && s == "microsoft")
    );
    assert_eq!(e[0].hint(), "did you mean `microsoft`?");
}

#[test]
fn circular_priority_is_reported() {
    let mut t = openai();
    t.tier[0].after = Some("capped-sharing".into());
    t.tier[1].after = Some("microsoft-recoups".into());
    let e = errors(&t, &Context::default());
    assert!(
        e.iter()
            .any(|x| matches!(x, Error::CircularPriority { cycle, .. } if cycle.len() == 3)),
        "{e:?}"
    );
}

#[test]
fn cap_below_paid_is_reported() {
    let mut t = openai();
    t.paid.push(boardroom_waterfall::Receipt {
        party: "microsoft".into(),
        amount: d("93000000000"),
    });
    let e = errors(&t, &Context::default());
    assert!(
        matches!(
            &e[0],
            Error::CapBelowPaid {
                at: Location::Cap(0),
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn negative_amounts_are_rejected() {
    let mut t = openai();
    t.investment[0].amount = d("-1");
    let e = errors(&t, &Context::default());
    assert!(matches!(
        &e[0],
        Error::NotPositive {
            at: Location::Investment(0),
            ..
        }
    ));
    let w = Waterfall::new(&openai(), &Context::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        w.distribute(d("-5")),
        Err(Error::NotPositive {
            at: Location::Argument,
            ..
        })
    ));
    assert!(matches!(
        w.distribute(d("1.005")),
        Err(Error::FractionOfCent { .. })
    ));
}

#[test]
fn money_with_no_recipient_is_an_error() {
    let mut t = openai();
    t.tier.truncate(1);
    t.residual = None;
    let w = Waterfall::new(&t, &Context::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        w.distribute(d("20000000000")),
        Err(Error::Unallocated { .. })
    ));
}

#[test]
fn many_errors_are_reported_at_once() {
    let mut t = openai();
    t.tier[1].split[2].percent = d("3");
    t.investment[0].amount = d("-1");
    assert_eq!(errors(&t, &Context::default()).len(), 2);
}

// ------------------------------------------------------------ look-through

fn holding(h: &str, s: &str, percent: i64) -> Holding {
    Holding {
        holder: h.into(),
        subject: s.into(),
        share: HoldingShare::Percent(Decimal::from(percent)),
    }
}

/// A hand-checkable cycle: P and B each hold 50% of A; A and Q each hold
/// 50% of B. P's look-through interest in A sums the paths P→A,
/// P→A→B→A, …: 0.5 × (1 + 0.25 + 0.25² + …) = 0.5 / 0.75 = 2/3, and in
/// B: 0.5 × 0.5 / 0.75 = 1/3. A's interest in itself (through B) is
/// 0.25 / 0.75 = 1/3, as (I − W)⁻¹ W gives it.
#[test]
fn lookthrough_cross_holding() {
    let g = HoldingGraph::new(&[
        holding("p", "a", 50),
        holding("b", "a", 50),
        holding("a", "b", 50),
        holding("q", "b", 50),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let x = g.exact().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(x.get("p", "a"), rat(2, 3));
    assert_eq!(x.get("p", "b"), rat(1, 3));
    assert_eq!(x.get("a", "a"), rat(1, 3));
    assert_eq!(x.get("a", "b"), rat(2, 3));
    let it = g.iterative(&Iterative::default());
    assert!((it.get("p", "a") - 2.0 / 3.0).abs() < 1e-10);
    assert!(it.max_residual <= 1e-12);
}

#[test]
fn lookthrough_rejects_overfull_and_closed_cycles() {
    let e = HoldingGraph::new(&[holding("p", "a", 60), holding("q", "a", 50)])
        .err()
        .map(|e| e.0);
    assert!(
        matches!(e.as_deref(), Some([Error::ColumnSumAbove100 { at: Location::Entity(a), .. }]) if a == "a"),
        "{e:?}"
    );
    let e = HoldingGraph::new(&[holding("a", "b", 100), holding("b", "a", 100)])
        .err()
        .map(|e| e.0);
    assert!(
        matches!(e.as_deref(), Some([Error::ClosedCycle { .. }])),
        "{e:?}"
    );
}

// ------------------------------------------------------------------ chart

/// The chart is deterministic and labels the breakpoints with short
/// amounts. Set `WATERFALL_SVG_OUT` to a directory to keep the pictures.
#[test]
fn chart_of_the_openai_waterfall() {
    let c = cumulative(&openai(), d("200000000000")).unwrap_or_else(|e| panic!("{e}"));
    let opts = boardroom_waterfall::ChartOptions::default();
    let svg = boardroom_waterfall::svg(&c, &opts);
    assert_eq!(svg, boardroom_waterfall::svg(&c, &opts));
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    assert!(
        svg.contains("$17.33B: tier `microsoft-recoups` is filled"),
        "{svg}"
    );
    assert!(svg.contains("$152.71B: cap[1] binds"));
    assert!(svg.contains(">$100B<"));
    if let Some(dir) = std::env::var_os("WATERFALL_SVG_OUT") {
        let dir = std::path::PathBuf::from(dir);
        let write = |name: &str, s: &str| {
            std::fs::write(dir.join(name), s).unwrap_or_else(|e| panic!("{e}"))
        };
        write("openai.svg", &svg);
        let t = terms(
            r#"
            entity = "startup"
            [[class]]
            id = "series-a"
            shares = "1000000"
            invested = "10000000"
            liquidation_preference_multiple = 1
            participating = true
            participation_cap_multiple = 3
            [[class]]
            id = "common"
            shares = "1000000"
            "#,
        );
        let c = cumulative(&t, d("100000000")).unwrap_or_else(|e| panic!("{e}"));
        write("capped.svg", &boardroom_waterfall::svg(&c, &opts));
    }
}

/// Issue 20, item 10: a hurdle of 28 digits compounded 1,200 times took
/// 75 s of exact arithmetic (and 200 partners 73 s after the powers were
/// squared). The factor's size is bounded and the terms refused, located,
/// with a hint; a hurdle of two decimals over 1,200 months is computed.
#[test]
fn a_hurdle_too_precise_to_compound_exactly_is_refused() {
    let fund = |rate: &str| {
        terms(&format!(
            r#"
        entity = "fund-i"
        [fund]
        general_partner = "gp"
        commitment = [{{ party = "lp", contributed = "50000000" }}]
        hurdle = {{ rate_percent = "{rate}", years = 100, compounding = "monthly" }}
        catch_up_percent = 100
        carry_percent = 20
        "#
        ))
    };
    let e = errors(&fund("8.123456789012345678901234567"), &Context::default());
    assert!(
        matches!(e.as_slice(), [Error::HurdleTooPrecise { periods: 1200, limit: 6000, digits, .. }] if *digits > 30_000),
        "{e:?}"
    );
    // (1 + 8.25% / 12)^1200, exactly: 1611/1600 to the 1200th.
    let t = fund("8.25");
    let dist = distribute(&t, d("1e12")).unwrap_or_else(|e| panic!("{e}"));
    let pref = dist
        .tiers
        .iter()
        .find(|x| x.tier == "preferred-return")
        .map(|x| x.amount.clone())
        .expect("the preferred return");
    // 50M × ((1611/1600)^1200 − 1), to the cent: Python's
    // `50_000_000 * (Fraction(1611, 1600)**1200 - 1)` gives the same.
    assert_eq!(pref.decimal(2), d("186004132323.46"));
}

/// Mercer Capital (Travis W. Harms), "A Layperson's Guide to the Option
/// Pricing Model", May 2016, Exhibits 3 and 9 ("ComplexCo"): Class A
/// preferred ($1,000 preference, 500 shares, converts at $2.00), Class B
/// preferred ($1,500, 300 shares, at $5.00), pari passu; 1,500 common;
/// 250 warrants at $10.00. The published breakpoints are $2,500 (the
/// preferences paid), $5,500 (A converts), $11,500 (B converts) and
/// $23,000 (the warrants come into the money), and the last tranche is
/// shared 19.6 / 11.8 / 58.8 / 9.8 (500, 300, 1,500 and 250 of 2,550).
/// At $35,750 a share is worth (35,750 + 250 × 10) / 2,550 = $15: A
/// $7,500, B $4,500, common $22,500, the warrants $1,250 net of strike.
const COMPLEXCO: &str = r#"
entity = "complexco"
[[class]]
id = "class-a"
shares = 500
invested = 1000
seniority = 1
liquidation_preference_multiple = 1
[[class]]
id = "class-b"
shares = 300
invested = 1500
seniority = 1
liquidation_preference_multiple = 1
[[class]]
id = "common"
shares = 1500
[[option]]
id = "warrants"
party = "warrant-holders"
class = "common"
units = 250
strike = 10
kind = "warrant"
"#;

#[test]
fn complexco_breakpoints_match_mercer_capital() {
    let t = terms(COMPLEXCO);
    let c = cumulative(&t, d("35750")).unwrap_or_else(|e| panic!("{e}"));
    let at = |text: &str| -> Vec<Q> {
        c.breakpoints
            .iter()
            .filter(|b| b.events.iter().any(|e| e.text.contains(text)))
            .map(|b| b.at.0.clone())
            .collect()
    };
    assert_eq!(at("class-a converts"), vec![rat(5500, 1)]);
    assert_eq!(at("class-b converts"), vec![rat(11500, 1)]);
    assert_eq!(at("`warrants` is in the money"), vec![rat(23000, 1)]);
    assert!(
        at("paid in full").contains(&rat(2500, 1)),
        "{:?}",
        c.breakpoints
    );
    // The last tranche: each dollar past $23,000 split 500/300/1500/250.
    let last = c.segments.last().unwrap_or_else(|| panic!("segments"));
    let share = |party: &str| {
        last.shares
            .iter()
            .find(|s| s.party == party)
            .map(|s| s.share.0.clone())
    };
    assert_eq!(share("class-a"), Some(rat(500, 2550)));
    assert_eq!(share("class-b"), Some(rat(300, 2550)));
    assert_eq!(share("common"), Some(rat(1500, 2550)));
    assert_eq!(share("warrant-holders"), Some(rat(250, 2550)));
    check(
        &t,
        "35750",
        &[
            ("class-a", "7500"),
            ("class-b", "4500"),
            ("common", "22500"),
            ("warrant-holders", "1250"),
        ],
    );
}

/// TechFranklin, "Dilution and proceeds" (techfranklin.com/blog/
/// dilution_and_proceeds): 6 ordinary shares and an option over 2 at
/// £100. At a £300 sale a share is worth £50, "no point exercising"; at
/// £900 the holder pays in £200, and £1,100 over 8 shares is £137.50 each:
/// the option nets 2 × (137.50 − 100) = £75.
#[test]
fn an_option_is_exercised_only_in_the_money_techfranklin() {
    let src = r#"
entity = "co"
currency = "GBP"
[[class]]
id = "ordinary"
shares = 6
[[option]]
id = "option"
party = "holder"
class = "ordinary"
units = 2
strike = 100
"#;
    let t = terms(src);
    check(&t, "300", &[("ordinary", "300"), ("holder", "0")]);
    check(&t, "900", &[("ordinary", "825"), ("holder", "75")]);
}

/// Claims come before every class: transaction costs first (seniority 2),
/// then the debt (1), then the preference, then common. At $10M: $0.5M
/// costs, $3M debt, leaving $6.5M; Series A's $4M preference beats
/// converting (2/8 of $6.5M = $1.625M); common takes $2.5M, $0.4167 a
/// share. At $5M the preference gets the $1.5M left and common nothing.
#[test]
fn claims_are_paid_before_every_class() {
    let src = r#"
entity = "co"
[[claim]]
id = "costs"
party = "bankers"
amount = 500000
seniority = 2
kind = "transaction_costs"
[[claim]]
id = "loan"
party = "lender"
amount = 3000000
seniority = 1
kind = "debt"
[[class]]
id = "series-a"
shares = 2000000
invested = 4000000
liquidation_preference_multiple = 1
[[class]]
id = "common"
shares = 6000000
"#;
    let t = terms(src);
    check(
        &t,
        "10000000",
        &[
            ("bankers", "500000"),
            ("lender", "3000000"),
            ("series-a", "4000000"),
            ("common", "2500000"),
        ],
    );
    check(
        &t,
        "5000000",
        &[
            ("bankers", "500000"),
            ("lender", "3000000"),
            ("series-a", "1500000"),
            ("common", "0"),
        ],
    );
    let d10 = distribute(&t, d("10000000")).unwrap_or_else(|e| panic!("{e}"));
    let common = d10
        .classes
        .iter()
        .find(|c| c.class == "common")
        .unwrap_or_else(|| panic!("common"));
    assert_eq!(common.per_share.0, rat(2500000, 6000000));
}

#[test]
fn complexco_value_per_share_at_35750_is_15() {
    let d = distribute(&terms(COMPLEXCO), d("35750")).unwrap_or_else(|e| panic!("{e}"));
    for c in ["class-a", "class-b", "common"] {
        let v = d
            .classes
            .iter()
            .find(|x| x.class == c)
            .unwrap_or_else(|| panic!("{c}"));
        assert_eq!(v.per_share.0, rat(15, 1), "{c}");
    }
    // Class A took only common (it converted), never its preference too.
    let a = d
        .classes
        .iter()
        .find(|x| x.class == "class-a")
        .unwrap_or_else(|| panic!("a"));
    assert_eq!(a.by_tier.len(), 1, "{:?}", a.by_tier);
    assert_eq!(a.by_tier[0].tier, "common");
}

/// Abhijit Kumar Singh, "Understanding warrants treatment" (SlideShare,
/// slideshare.net/aks_india/understanding-warrants-treatment-6960998):
/// Series A, 1,000 shares at $1.00 with $0.50 a share of dividends,
/// non-participating; 1,000 common; 1,000 options at $0.20; 1,000
/// warrants at $1.00, counted as common once exercised. Its breakpoints:
/// $1,500 ("the Common receive value"), $1,700 (the options exercise),
/// $3,300 (the warrants, common at $1.00) and $4,800 (Series A converts,
/// common at $1.50).
#[test]
fn dividends_options_and_warrants_match_the_published_breakpoints() {
    let t = terms(
        r#"
entity = "co"
[[class]]
id = "series-a"
shares = 1000
price_per_share = 1
liquidation_preference_multiple = 1
dividends_accrued = 500
[[class]]
id = "common"
shares = 1000
[[option]]
id = "options"
party = "employees"
class = "common"
units = 1000
strike = 0.2
[[option]]
id = "warrants"
party = "warrant-holders"
class = "common"
units = 1000
strike = 1
kind = "warrant"
"#,
    );
    let c = cumulative(&t, d("6000")).unwrap_or_else(|e| panic!("{e}"));
    let at = |text: &str| -> Vec<Q> {
        c.breakpoints
            .iter()
            .filter(|b| b.events.iter().any(|e| e.text.contains(text)))
            .map(|b| b.at.0.clone())
            .collect()
    };
    assert_eq!(at("series-a is paid in full"), vec![rat(1500, 1)]);
    assert_eq!(at("`options` is in the money"), vec![rat(1700, 1)]);
    assert_eq!(at("`warrants` is in the money"), vec![rat(3300, 1)]);
    assert_eq!(at("series-a converts"), vec![rat(4800, 1)]);
}

/// A cumulative dividend of 8% a year, simple, actual/365, on $1M from
/// 1 January 2021 to 1 January 2024 (1,095 days): $240,000, so the
/// preference is $1.24M. Series A (1M shares) converts once common (4M
/// shares) is worth $1.24 a share: at 4M × 1.24 + 1.24M = $6.2M.
#[test]
fn a_cumulative_dividend_accrues_to_the_date_of_the_distribution() {
    let t = terms(
        r#"
entity = "co"
[[class]]
id = "series-a"
shares = 1000000
invested = 1000000
liquidation_preference_multiple = 1
dividend = { rate_percent = 8, since = "2021-01-01" }
[[class]]
id = "common"
shares = 4000000
"#,
    );
    let ctx = Context {
        known_parties: None,
        in_force: BTreeSet::new(),
        on: chrono::NaiveDate::from_ymd_opt(2024, 1, 1),
    };
    let w = Waterfall::new(&t, &ctx).unwrap_or_else(|e| panic!("{e}"));
    let five = w.distribute(d("5000000")).unwrap_or_else(|e| panic!("{e}"));
    let paid = |dist: &boardroom_waterfall::Distribution, p: &str| {
        dist.payouts.iter().find(|x| x.party == p).map(|x| x.amount)
    };
    assert_eq!(paid(&five, "series-a"), Some(d("1240000")));
    assert_eq!(paid(&five, "common"), Some(d("3760000")));
    let c = w
        .cumulative(d("10000000"))
        .unwrap_or_else(|e| panic!("{e}"));
    let converts: Vec<Q> = c
        .breakpoints
        .iter()
        .filter(|b| {
            b.events
                .iter()
                .any(|e| e.text.contains("series-a converts"))
        })
        .map(|b| b.at.0.clone())
        .collect();
    assert_eq!(converts, vec![rat(6200000, 1)]);
    // Without a date the dividend cannot be counted: said, not guessed.
    let none = Waterfall::new(&t, &Context::default());
    assert!(none.is_err());
}

/// A cumulative dividend that compounds (the NVCA model certificate of
/// incorporation's "Accruing Dividends ... cumulative [and compound
/// annually]"): 10% a year on $1M. Simple, it grows the preference by
/// $100,000 a year ("the Liquidation Preference would grow by $100,000
/// every year", Founders Workbench, Cumulative Dividends); compounded
/// annually over three whole years (30/360) it adds 1.1³ − 1 = $331,000;
/// over 2.5 years actual/365 from 1 January 2021 (912 days) the factor is
/// 1.1^(912/365), irrational, computed to 40 digits and said so.
#[test]
fn a_compounded_dividend_grows_on_itself() {
    let src = |compounding: &str, day_count: &str| {
        terms(&format!(
            r#"
entity = "co"
[[class]]
id = "series-a"
shares = 1000000
invested = 1000000
liquidation_preference_multiple = 1
dividend = {{ rate_percent = 10, since = "2021-01-01", compounding = "{compounding}", day_count = "{day_count}" }}
[[class]]
id = "common"
shares = 4000000
"#
        ))
    };
    let on = |y, m, day| Context {
        known_parties: None,
        in_force: BTreeSet::new(),
        on: chrono::NaiveDate::from_ymd_opt(y, m, day),
    };
    let paid = |t: &Terms, ctx: &Context| {
        let dist = Waterfall::new(t, ctx)
            .unwrap_or_else(|e| panic!("{e}"))
            .distribute(d("1500000"))
            .unwrap_or_else(|e| panic!("{e}"));
        let a = dist
            .payouts
            .iter()
            .find(|x| x.party == "series-a")
            .map(|x| x.amount);
        (a, dist.notes)
    };
    let (a, _) = paid(&src("simple", "30/360"), &on(2024, 1, 1));
    assert_eq!(a, Some(d("1300000")));
    let (a, notes) = paid(&src("annual", "30/360"), &on(2024, 1, 1));
    assert_eq!(a, Some(d("1331000")));
    assert!(notes.is_empty(), "{notes:?}");
    let (a, notes) = paid(&src("annual", "actual/365"), &on(2023, 7, 2));
    // $1M × 1.1^(912/365) = $1,268,893.0264 (Python's decimal, 60 digits).
    assert_eq!(a, Some(d("1268893.03")));
    assert!(notes.iter().any(|n| n.contains("40 digits")), "{notes:?}");
}

/// Y Combinator, "Post-Money Safe User Guide", Appendix II, Example 1
/// (as replayed in legalese/l4-ide `etc/safe/README.md` and checked
/// exactly): founders 9,250,000 common, 300,000 options outstanding (the
/// unissued pool not counted); Investor A $200,000 at a $4M post-money
/// cap (5%), Investor B $800,000 at $8M (10%). The liquidity
/// capitalization with both converting is 9,550,000 / 0.85.
/// - Q3, a $10M sale: both convert, A 5% of it ($500,000), B 10%
///   ($1,000,000), common and options $8,500,000.
/// - Q4, a $3M sale: converting would pay A $150,000 and B $300,000, so
///   both take their purchase amounts; common and options $2,000,000.
/// - At $6M (worked the same way): A converts for 5% of the $5.2M left
///   after B's cash-out, $260,000; B takes $800,000.
const YC_SAFES: &str = r#"
entity = "co"
[[class]]
id = "common"
shares = 9250000
holders = [{ party = "founders", units = 9250000 }]
[[option]]
id = "options"
party = "employees"
class = "common"
units = 300000
strike = 0
[[safe]]
id = "investor-a"
party = "a"
purchase_amount = 200000
valuation_cap = 4000000
[[safe]]
id = "investor-b"
party = "b"
purchase_amount = 800000
valuation_cap = 8000000
"#;

#[test]
fn safes_at_a_liquidity_event_match_the_yc_user_guide() {
    let t = terms(YC_SAFES);
    check(&t, "10000000", &[("a", "500000"), ("b", "1000000")]);
    let ten = distribute(&t, d("10000000")).unwrap_or_else(|e| panic!("{e}"));
    let common: Decimal = ten
        .payouts
        .iter()
        .filter(|p| p.party == "founders" || p.party == "employees")
        .map(|p| p.amount)
        .sum();
    assert_eq!(common, d("8500000"));
    assert!(
        ten.notes
            .iter()
            .any(|n| n.contains("`investor-a` converts") && n.contains("11235294.12")),
        "{:?}",
        ten.notes
    );
    check(
        &t,
        "3000000",
        &[("a", "200000"), ("b", "800000"), ("founders", "1937172.77")],
    );
    check(&t, "6000000", &[("a", "260000"), ("b", "800000")]);
    // A path of amounts is not computed with SAFEs: refused, not guessed.
    assert!(cumulative(&t, d("10000000")).is_err());
}

/// A second published case (a SAFE derivation fixture): 9,000,000 common;
/// 500,000 options at $5, counted in the capitalization but out of the
/// money; X $1M at a $10M cap, Y $500,000 at $4M. At $6M, X is cashed out
/// ($1,000,000) and Y converts: the capitalization is 9,500,000 / (7/8),
/// Y holds 1,357,142.86 shares, and takes that share of the $5M left,
/// $655,172.41.
#[test]
fn one_safe_cashes_out_while_another_converts() {
    let t = terms(
        r#"
entity = "co"
[[class]]
id = "common"
shares = 9000000
holders = [{ party = "founders", units = 9000000 }]
[[option]]
id = "options"
party = "employees"
class = "common"
units = 500000
strike = 5
[[safe]]
id = "x"
party = "x-fund"
purchase_amount = 1000000
valuation_cap = 10000000
[[safe]]
id = "y"
party = "y-fund"
purchase_amount = 500000
valuation_cap = 4000000
"#,
    );
    check(
        &t,
        "6000000",
        &[
            ("x-fund", "1000000"),
            ("y-fund", "655172.41"),
            ("employees", "0"),
        ],
    );
}

/// A pre-money cap (Y Combinator's pre-money SAFE, 2018: the Liquidity
/// Capitalization "excluding ... this instrument ... all other Safes, and
/// ... convertible promissory notes") against a post-money one (the 2018
/// post-money SAFE, which counts the converting SAFEs): $200,000 on a $4M
/// cap over 9,550,000 common. Post-money the SAFE holds 5% of the company;
/// pre-money it holds 200,000 × 9,550,000 / 4,000,000 = 477,500 shares,
/// 1/21 of 10,027,500: a $4M pre-money cap is a $4.2M post-money one. At
/// a $20M exit: $1,000,000 against $952,380.95.
#[test]
fn pre_money_and_post_money_caps() {
    let src = |basis: &str| {
        terms(&format!(
            r#"
entity = "co"
[[class]]
id = "common"
shares = 9550000
holders = [{{ party = "founders", units = 9550000 }}]
[[safe]]
id = "investor-a"
party = "a"
purchase_amount = 200000
valuation_cap = 4000000
cap_basis = "{basis}"
"#
        ))
    };
    check(&src("post_money"), "20000000", &[("a", "1000000")]);
    check(
        &src("pre_money"),
        "20000000",
        &[("a", "952380.95"), ("founders", "19047619.05")],
    );
    let dist = distribute(&src("pre_money"), d("20000000")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        dist.notes.iter().any(
            |n| n.contains("capitalization without SAFEs and notes 9550000")
                && n.contains("477500")
        ),
        "{:?}",
        dist.notes
    );
}

/// Y Combinator, "Post-Money Safe User Guide", Appendix II, Example 2
/// (Q3 and Q4): Example 1's company (9,250,000 common, 300,000 options
/// outstanding, the unissued pool not counted), where Investor A's $200,000
/// SAFE is a pre-money SAFE with a $3.8M cap and Investor B's $800,000 one a
/// post-money SAFE with an $8M cap. The guide's published figures:
/// - A's Conversion Amount `$200,000 / ($3,800,000 / 9,550,000) = 502,631`;
///   B's `$800,000 / ($8,000,000 / ((9,550,000 + 502,631) / 90%)) =
///   1,116,959`; the Liquidity Capitalization 11,169,590.
/// - At a $10M sale, "$0.8953 ($10,000,000 divided by the Liquidity
///   Capitalization of 11,169,590)"; A's share "502,631 * $0.8953 =
///   $450,006", B's "$1,000,013".
/// - At a $3M sale ($0.2686 a share: A $135,007, B $300,015) neither SAFE
///   converts; each takes its purchase amount and "the remaining cash
///   consideration of $2m is shared pro rata among all other stockholders".
///
/// The guide rounds shares down to whole shares and the price to $0.0001
/// before it multiplies; boardroom keeps every figure exact. So the test
/// checks the exact figures and that the guide's rounding of them gives
/// the guide's published numbers, each one.
#[test]
fn a_pre_money_safe_beside_a_post_money_one_matches_the_yc_user_guide() {
    let t = terms(&YC_SAFES.replacen(
        "purchase_amount = 200000\nvaluation_cap = 4000000",
        "purchase_amount = 200000\nvaluation_cap = 3800000\ncap_basis = \"pre_money\"",
        1,
    ));
    assert!(
        t.safe.iter().any(|s| s.valuation_cap == Some(d("3800000"))),
        "the pre-money SAFE is in the terms"
    );
    // Exact: A holds 502,631.58 shares, B 1,116,959.06, of 11,169,590.64;
    // A takes 9/200 of the sale and B a tenth.
    check(
        &t,
        "10000000",
        &[
            ("a", "450000"),
            ("b", "1000000"),
            ("founders", "8281413.61"),
            ("employees", "268586.39"),
        ],
    );
    let ten = distribute(&t, d("10000000")).unwrap_or_else(|e| panic!("{e}"));
    let shares = |id: &str| -> Decimal {
        let note = ten
            .notes
            .iter()
            .find(|n| n.contains(&format!("`{id}` converts")))
            .unwrap_or_else(|| panic!("no conversion note for {id}: {:?}", ten.notes));
        let before = note
            .strip_suffix(" shares")
            .and_then(|n| n.rsplit(", ").next())
            .unwrap_or_else(|| panic!("{note}"));
        d(before)
    };
    let (a, b) = (shares("investor-a"), shares("investor-b"));
    assert_eq!((a, b), (d("502631.58"), d("1116959.06")));
    // The guide's rounding of the exact figures gives its numbers.
    assert_eq!((a.floor(), b.floor()), (d("502631"), d("1116959")));
    let capitalization = d("9550000") + a.floor() + b.floor();
    assert_eq!(capitalization, d("11169590"));
    let common = ten
        .classes
        .iter()
        .find(|c| c.class == "common")
        .unwrap_or_else(|| panic!("no common class value: {:?}", ten.classes));
    let price = common.per_share.decimal(4);
    assert_eq!(price, d("0.8953"));
    assert_eq!((a.floor() * price).round(), d("450006"));
    assert_eq!((b.floor() * price).round(), d("1000013"));
    // At $3M converting would pay A $135,000 and B $300,000 (the guide's
    // $135,007 and $300,015 at its rounded $0.2686): both cash out, and
    // the $2M left is shared by the 9,550,000 common and options.
    check(
        &t,
        "3000000",
        &[
            ("a", "200000"),
            ("b", "800000"),
            ("founders", "1937172.77"),
            ("employees", "62827.23"),
        ],
    );
    let lc = d("11169590.64");
    assert_eq!((a * d("3000000") / lc).round(), d("135000"));
    assert_eq!((a.floor() * d("0.2686")).round(), d("135007"));
    assert_eq!((b.floor() * d("0.2686")).round(), d("300015"));
}

/// A convertible note on a change of control, as the usual clause has it
/// ("paying the note back with interest, paying a multiple on the
/// principal, or sharing in the proceeds of a sale as-if-converted", Gust
/// Equity docs, Change In Control): $500,000 at 6% simple interest from
/// 1 January 2022 to 1 January 2024 (730 days, $60,000), repaid at two
/// times ($1,120,000, senior to every class) or converted at a $5M
/// pre-money cap over 10,000,000 common (560,000 × 10M / 5M = 1,120,000
/// shares). A non-converting seed class takes its $1M preference after
/// the note's repayment. The note converts once a share is worth more
/// than $1, past an exit of $12.12M: at $1.5M and $3M it takes
/// $1,120,000; at $100M, 1,120,000 / 11,120,000 of the $99M left after
/// the seed's preference, $9,971,223.02.
#[test]
fn a_convertible_note_repaid_twice_over_or_converted() {
    let t = terms(
        r#"
entity = "co"
[[class]]
id = "series-seed"
shares = 1000000
invested = 1000000
liquidation_preference_multiple = 1
convertible = false
[[class]]
id = "common"
shares = 10000000
holders = [{ party = "founders", units = 10000000 }]
[[safe]]
id = "bridge"
party = "lender"
kind = "note"
purchase_amount = 500000
valuation_cap = 5000000
cap_basis = "pre_money"
repayment_multiple = 2
interest = { rate_percent = 6, since = "2022-01-01" }
"#,
    );
    let ctx = Context {
        known_parties: None,
        in_force: BTreeSet::new(),
        on: chrono::NaiveDate::from_ymd_opt(2024, 1, 1),
    };
    let w = Waterfall::new(&t, &ctx).unwrap_or_else(|e| panic!("{e}"));
    let paid = |amount: &str, party: &str| {
        w.distribute(d(amount))
            .unwrap_or_else(|e| panic!("{e}"))
            .payouts
            .iter()
            .find(|p| p.party == party)
            .map(|p| p.amount)
    };
    // Senior to the seed preference: at $1.5M the note takes $1.12M first.
    assert_eq!(paid("1500000", "lender"), Some(d("1120000")));
    assert_eq!(paid("1500000", "series-seed"), Some(d("380000")));
    assert_eq!(paid("3000000", "lender"), Some(d("1120000")));
    // Converted, it shares as common after the seed's $1M preference.
    let at = |amount: &str| {
        let rest = d(amount) - d("1000000");
        (rest * d("1120000") / d("11120000")).round_dp(2)
    };
    assert_eq!(paid("100000000", "lender"), Some(at("100000000")));
    assert_eq!(at("100000000"), d("9971223.02"));
    // Without a date the interest cannot be counted: said, not guessed.
    assert!(Waterfall::new(&t, &Context::default()).is_err());
}

/// Gust's published payoff of a note simply repaid at a sale (Antone
/// Johnson, "Knowledge Is Power: Convertible Note Financing Terms, Part
/// IV", Gust blog, 21 October 2011): "Assuming a hypothetical $100,000
/// investment at a 10% interest rate", the company "acquired by Google
/// for $30 million six months later", repayment "would yield a return of
/// $5,000 (5%) six months later". Six months is half a year by 30/360
/// (by actual/365, 181 days, it is $4,958.90); the note, with no cap and
/// no conversion at a sale, takes $105,000 before the common and the
/// common the other $29,895,000.
#[test]
fn a_note_repaid_at_a_sale_returns_what_gust_publishes() {
    let t = terms(
        r#"
entity = "co"
[[class]]
id = "common"
shares = 10000000
holders = [{ party = "founders", units = 10000000 }]
[[safe]]
id = "seed-note"
party = "angel"
kind = "note"
purchase_amount = 100000
interest = { rate_percent = 10, since = "2011-01-01", day_count = "30/360" }
"#,
    );
    let ctx = Context {
        known_parties: None,
        in_force: BTreeSet::new(),
        on: chrono::NaiveDate::from_ymd_opt(2011, 7, 1),
    };
    let w = Waterfall::new(&t, &ctx).unwrap_or_else(|e| panic!("{e}"));
    let out = w
        .distribute(d("30000000"))
        .unwrap_or_else(|e| panic!("{e}"));
    let paid = |party: &str| {
        out.payouts
            .iter()
            .find(|p| p.party == party)
            .map(|p| p.amount)
    };
    assert_eq!(paid("angel"), Some(d("105000")));
    assert_eq!(paid("angel").map(|a| a - d("100000")), Some(d("5000")));
    assert_eq!(paid("founders"), Some(d("29895000")));
    // Repaid, not converted, and the output says why.
    assert!(
        out.notes.iter().any(|n| n.contains(
            "note `seed-note` states neither a valuation cap nor a discount: at a sale it is repaid as debt"
        )),
        "{:?}",
        out.notes
    );
    // A SAFE with neither is not debt: still refused, not guessed.
    let safe = terms(
        r#"
entity = "co"
[[class]]
id = "common"
shares = 10000000
holders = [{ party = "founders", units = 10000000 }]
[[safe]]
id = "uncapped"
party = "angel"
purchase_amount = 100000
"#,
    );
    assert!(Waterfall::new(&safe, &ctx).is_err());
}

/// A most-favoured-nation SAFE takes the best cap of a SAFE issued after
/// it (YC's MFN SAFE, section 1(a)): $100,000 MFN and $500,000 at an $8M
/// post-money cap; at $40M the MFN SAFE holds 1.25% ($500,000) and the
/// other 6.25% ($2,500,000). A SAFE with no cap and no MFN is refused at
/// a liquidity event, with a hint, rather than guessed.
#[test]
fn an_mfn_safe_takes_a_later_cap_and_an_uncapped_one_is_refused() {
    let src = |mfn: bool| {
        terms(&format!(
            r#"
entity = "co"
[[class]]
id = "common"
shares = 9500000
holders = [{{ party = "founders", units = 9500000 }}]
[[safe]]
id = "early"
party = "angel"
purchase_amount = 100000
mfn = {mfn}
[[safe]]
id = "seed"
party = "fund"
purchase_amount = 500000
valuation_cap = 8000000
"#
        ))
    };
    check(
        &src(true),
        "40000000",
        &[("angel", "500000"), ("fund", "2500000")],
    );
    let e = errors(&src(false), &Context::default());
    assert!(
        e.iter().any(
            |x| matches!(x, Error::NotComputed { at: Location::Safe(id), .. } if id == "early")
        ),
        "{e:?}"
    );
}

/// A discount-only SAFE at a sale (YC post-money SAFE, discount only:
/// "Liquidity Price" is the fair market value of the common "as determined
/// by reference to the purchase price payable in connection with such
/// Liquidity Event, multiplied by the Discount Rate"; the investor takes
/// the greater of its purchase amount and what its shares are paid).
/// The case is teju-finance's "SAFE mechanics", example 1b: a $200,000
/// SAFE at a Discount Rate of 80%, 1,000,000 common shares, a $10M sale.
/// Reading the fair market value as what each common share receives, the
/// SAFE's own shares counted, its N shares at 0.8 v are worth N v =
/// $200,000 / 0.8 = $250,000 whatever v: $9,750,000 is left, $9.75 a
/// share, and N = 250,000 / 9.75 = 25,641.03 at $7.80. (Our copy of the
/// page stops before its answer: these figures follow from the clause.)
const DISCOUNT_SAFE: &str = r#"
entity = "co"
[[class]]
id = "common"
shares = 1000000
holders = [{ party = "founders", units = 1000000 }]
[[safe]]
id = "angel-safe"
party = "angel"
purchase_amount = 200000
discount_percent = 20
"#;

#[test]
fn a_discount_only_safe_takes_its_purchase_amount_over_its_discount_rate() {
    let t = terms(DISCOUNT_SAFE);
    check(
        &t,
        "10000000",
        &[("angel", "250000"), ("founders", "9750000")],
    );
    let ten = distribute(&t, d("10000000")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        ten.notes
            .iter()
            .any(|n| n.contains("`angel-safe` converts by its discount")
                && n.contains("25641.03 common shares at 7.800000")
                && n.contains("fair market value")),
        "{:?}",
        ten.notes
    );
    // Below $250,000 converting takes all there is, more than the
    // $200,000 cash-out; and a sale of $150,000 is the SAFE's whole.
    check(&t, "240000", &[("angel", "240000"), ("founders", "0")]);
    check(&t, "150000", &[("angel", "150000"), ("founders", "0")]);
}

/// Republic's Crowd SAFE calculator (republic.co/crowdsafe/calculator), a
/// published figure for a discount-only SAFE at a sale: "You received a
/// $1,000 Crowd Safe ... A 20% discount means that in the case of a
/// liquidity event, you will use your $1,000 to buy shares 20% cheaper than
/// face value, thus making a 25.0% profit ... Your return $ 1,250". The
/// calculator leaves the sale price open (the return does not depend on
/// it); here a $10M sale of a company with 1,000,000 common shares, and a
/// $1,000 one, where converting would take all there is and the holder
/// gets the whole $1,000.
#[test]
fn a_discount_only_safe_returns_what_republics_calculator_publishes() {
    // Teju-finance's company (DISCOUNT_SAFE) with a $1,000 SAFE.
    let t = terms(&DISCOUNT_SAFE.replacen("purchase_amount = 200000", "purchase_amount = 1000", 1));
    assert_eq!(t.safe[0].purchase_amount, d("1000"));
    check(
        &t,
        "10000000",
        &[("angel", "1250"), ("founders", "9998750")],
    );
    check(&t, "1000", &[("angel", "1000"), ("founders", "0")]);
}

/// A most-favoured-nation SAFE with no cap beside a later capped one, as
/// published for Y Combinator's standard deal (Hacker News, item 29880627,
/// on YC's $375,000 uncapped MFN SAFE): "if there is a SAFE with a
/// post-money $3.75m cap, then even if the next round is priced at $100m,
/// YC gets 10%". At a $100M sale of a company with 9,000,000 common shares
/// and a later $1M SAFE at that cap (26.67%), the MFN SAFE holds 10% of the
/// liquidity capitalization: $10,000,000; the later SAFE $26,666,666.67.
#[test]
fn an_uncapped_mfn_safe_takes_ten_percent_at_a_later_375m_cap() {
    let t = terms(
        r#"
entity = "co"
[[class]]
id = "common"
shares = 9000000
holders = [{ party = "founders", units = 9000000 }]
[[safe]]
id = "yc-mfn"
party = "yc"
purchase_amount = 375000
mfn = true
[[safe]]
id = "later"
party = "angel"
purchase_amount = 1000000
valuation_cap = 3750000
"#,
    );
    check(
        &t,
        "100000000",
        &[
            ("yc", "10000000"),
            ("angel", "26666666.67"),
            ("founders", "63333333.33"),
        ],
    );
    let dist = distribute(&t, d("100000000")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        dist.notes
            .iter()
            .any(|n| n.contains("`yc-mfn` converts") && n.contains("by most-favoured nation")),
        "{:?}",
        dist.notes
    );
}

/// A discount-only SAFE converts after every preference and before common,
/// and beside a preferred class that converts: Series A, 1x non-participating
/// on $2M (2,000,000 shares), 8,000,000 common, a $1M SAFE at a 20%
/// discount.
/// - At $100M: A converts; the SAFE takes $1,250,000; the $98,750,000 left
///   is $9.875 a share for 10,000,000 shares: A $19,750,000, founders
///   $79,000,000.
/// - At $5M: A keeps its $2M preference (converting would pay it
///   2/10 of $3.75M); the SAFE converts for $1,250,000 rather than take
///   $1,000,000 beside A; founders $1,750,000.
/// - At $2.5M: converting would leave the SAFE $500,000 after A's
///   preference; it cashes out beside A, pro rata: A $1,666,666.67, the
///   SAFE $833,333.33.
#[test]
fn a_discount_only_safe_ranks_after_the_preferences() {
    let t = terms(
        r#"
entity = "co"
[[class]]
id = "series-a"
shares = 2000000
invested = 2000000
liquidation_preference_multiple = 1
seniority = 1
holders = [{ party = "fund", units = 2000000 }]
[[class]]
id = "common"
shares = 8000000
holders = [{ party = "founders", units = 8000000 }]
[[safe]]
id = "bridge"
party = "angel"
purchase_amount = 1000000
discount_percent = 20
"#,
    );
    check(
        &t,
        "100000000",
        &[
            ("angel", "1250000"),
            ("fund", "19750000"),
            ("founders", "79000000"),
        ],
    );
    check(
        &t,
        "5000000",
        &[
            ("angel", "1250000"),
            ("fund", "2000000"),
            ("founders", "1750000"),
        ],
    );
    check(
        &t,
        "2500000",
        &[
            ("angel", "833333.33"),
            ("fund", "1666666.67"),
            ("founders", "0"),
        ],
    );
}

/// A SAFE with both a cap and a discount converts at its cap at a sale (YC
/// post-money SAFE, valuation cap and discount: the Liquidity Price is the
/// cap's), and says its discount is not used. A discount of 100% or more
/// is refused with its place; so is a sale through a discount-only SAFE
/// beside a post-money capped one, whose liquidity capitalization would
/// count the other's price-dependent shares.
#[test]
fn a_safes_discount_counts_only_without_a_cap() {
    let capped = terms(
        r#"
entity = "co"
[[class]]
id = "common"
shares = 9500000
holders = [{ party = "founders", units = 9500000 }]
[[safe]]
id = "seed"
party = "fund"
purchase_amount = 500000
valuation_cap = 10000000
discount_percent = 20
"#,
    );
    check(&capped, "40000000", &[("fund", "2000000")]);
    let dist = distribute(&capped, d("40000000")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        dist.notes
            .iter()
            .any(|n| n.contains("20% discount is not used")),
        "{:?}",
        dist.notes
    );
    let too_much = terms(&DISCOUNT_SAFE.replace("discount_percent = 20", "discount_percent = 100"));
    let e = errors(&too_much, &Context::default());
    assert!(
        e.iter().any(
            |x| matches!(x, Error::Invalid { at: Location::Safe(id), .. } if id == "angel-safe")
        ),
        "{e:?}"
    );
    let beside = terms(&format!(
        "{DISCOUNT_SAFE}\n[[safe]]\nid = \"seed\"\nparty = \"fund\"\npurchase_amount = 500000\nvaluation_cap = 10000000\n"
    ));
    // The terms stand (a real cap table holds both); a sale through them
    // is refused.
    let e = distribute(&beside, d("10000000"))
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
    assert!(
        e.iter().any(
            |x| matches!(x, Error::NotComputed { at: Location::Safe(id), .. } if id == "angel-safe")
        ),
        "{e:?}"
    );
}

/// A carve-out of a share of the proceeds, off the top (waterfalls.app,
/// "Carve Out": "A company raises $50 million but exits for $40 million
/// ... A 15% carve out would reserve $6 million ..., with $34 million to
/// preferred shareholders"). Cumulatively, the carve-out takes 15% of
/// every dollar and the preferred's $50M preference is filled at
/// $50M / 0.85 = $58,823,529.41.
#[test]
fn a_percentage_carve_out_comes_off_the_top() {
    let t = terms(
        r#"
entity = "co"
[[claim]]
id = "carve-out"
party = "management"
percent = 15
kind = "carve_out"
[[class]]
id = "preferred"
shares = 5000000
invested = 50000000
liquidation_preference_multiple = 1
[[class]]
id = "common"
shares = 5000000
holders = [{ party = "founders", units = 5000000 }]
"#,
    );
    check(
        &t,
        "40000000",
        &[
            ("management", "6000000"),
            ("preferred", "34000000"),
            ("founders", "0"),
        ],
    );
    let dist = distribute(&t, d("40000000")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dist.tiers[0].tier, "carve-out", "listed first, as paid");
    let c = cumulative(&t, d("100000000")).unwrap_or_else(|e| panic!("{e}"));
    let filled = c
        .breakpoints
        .iter()
        .find(|b| b.events.iter().any(|e| e.text.contains("preferred")))
        .map(|b| b.at.decimal(2));
    assert_eq!(filled, Some(d("58823529.41")));
    let first = &c.segments[0];
    let share = |p: &str| {
        first
            .shares
            .iter()
            .find(|s| s.party == p)
            .map(|s| s.share.decimal(4))
    };
    assert_eq!(share("management"), Some(d("0.15")));
    assert_eq!(share("preferred"), Some(d("0.85")));
    let total: Decimal = c.totals.iter().map(|t| t.amount.decimal(2)).sum();
    assert_eq!(total, d("100000000"));
    // A claim with both an amount and a percent is refused, located.
    let mut both = t.clone();
    both.claim[0].amount = Some(d("1000"));
    let e = errors(&both, &Context::default());
    assert!(matches!(&e[0], Error::Invalid { at: Location::Claim(id), .. } if id == "carve-out"));
}

/// A warrant over preferred shares (a venture lender's warrant over Series
/// B, at the Series B price): 100,000 shares at $5 beside 1,000,000 Series
/// B ($5M invested, 1x, converting one for one) and 4,000,000 common.
/// Exercised, it adds 100,000 Series B shares with a $500,000 preference
/// and pays $500,000 in. At $8M a Series B share is worth exactly $5 (its
/// preference), with or without the warrant: not exercised. At $100M the
/// class converts and a share is worth 100.5M / 5.1M = $19.705882...:
/// exercised, the lender nets 1,970,588.24 − 500,000 = $1,470,588.24, the
/// founders $78,823,529.41, Series B's holders $19,705,882.35, summing to
/// the $100M. A cumulative run is refused: exercise depends on the amount.
#[test]
fn a_warrant_over_preferred_is_exercised_when_in_the_money() {
    let t = terms(
        r#"
entity = "co"
[[class]]
id = "series-b"
shares = 1000000
invested = 5000000
liquidation_preference_multiple = 1
holders = [{ party = "investors", units = 1000000 }]
[[class]]
id = "common"
shares = 4000000
holders = [{ party = "founders", units = 4000000 }]
[[option]]
id = "lender-warrant"
party = "lender"
class = "series-b"
units = 100000
strike = 5
kind = "warrant"
"#,
    );
    check(
        &t,
        "8000000",
        &[("investors", "5000000"), ("founders", "3000000")],
    );
    let eight = distribute(&t, d("8000000")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        eight
            .notes
            .iter()
            .any(|n| n.contains("`lender-warrant`") && n.contains("not exercised")),
        "{:?}",
        eight.notes
    );
    check(
        &t,
        "100000000",
        &[
            ("lender", "1470588.24"),
            ("founders", "78823529.41"),
            ("investors", "19705882.35"),
        ],
    );
    let hundred = distribute(&t, d("100000000")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hundred.amount, d("100000000"));
    assert!(
        hundred
            .notes
            .iter()
            .any(|n| n.contains("is exercised") && n.contains("19.705882")),
        "{:?}",
        hundred.notes
    );
    assert!(cumulative(&t, d("100000000")).is_err());
}

/// The same published case with the warrants written as they are, over
/// Series A ("Series A Warrants 1,000 $1.0"): exercised, a warrant's shares
/// are Series A shares of their own, with the $1 preference and no
/// dividend accrued before ("from the day it becomes Series A"), converting
/// by themselves. The published breakpoints give their payout net of the
/// strike: nothing below $3,300 (common at $1.00), then a third of each
/// dollar (1,000 of 3,000 shares as common) until $4,800, then a quarter:
/// $233.33 at $4,000, $500 at $4,800, $800 at $6,000.
#[test]
fn warrants_over_series_a_match_the_published_breakpoints() {
    let t = terms(
        r#"
entity = "co"
[[class]]
id = "series-a"
shares = 1000
price_per_share = 1
liquidation_preference_multiple = 1
dividends_accrued = 500
holders = [{ party = "series-a-holders", units = 1000 }]
[[class]]
id = "common"
shares = 1000
[[option]]
id = "options"
party = "employees"
class = "common"
units = 1000
strike = 0.2
[[option]]
id = "warrants"
party = "warrant-holders"
class = "series-a"
units = 1000
strike = 1
kind = "warrant"
"#,
    );
    let net = |amount: &str| {
        distribute(&t, d(amount))
            .unwrap_or_else(|e| panic!("{e}"))
            .payouts
            .iter()
            .find(|p| p.party == "warrant-holders")
            .map_or(Decimal::ZERO, |p| p.amount)
    };
    assert_eq!(net("3000"), Decimal::ZERO);
    assert_eq!(net("3300"), Decimal::ZERO);
    assert_eq!(net("4000"), d("233.33"));
    assert_eq!(net("4800"), d("500"));
    assert_eq!(net("6000"), d("800"));
    check(
        &t,
        "4000",
        &[("series-a-holders", "1500"), ("warrant-holders", "233.33")],
    );
}

/// Regression: at 20,000,000,000.01 the default's text gave Other
/// investors 5,640,000,000.01 from parts of 4,333,333,333.33 and
/// 1,306,666,666.67 (a cent short), and tiers a cent over the amount. Each
/// row and each tier now adds up, each tier within a cent of its exact
/// amount with no note needed: a cent moves between Other investors'
/// parts, which the split by largest remainder alone does not do.
#[test]
fn regression_the_default_at_twenty_billion_and_a_cent_adds_up_by_row_and_by_tier() {
    let dist = distribute(&openai(), d("20000000000.01")).unwrap_or_else(|e| panic!("{e}"));
    let parts = |party: &str| -> Vec<(String, Decimal)> {
        dist.payouts
            .iter()
            .find(|p| p.party == party)
            .map(|p| p.by_tier.iter().map(|t| (t.tier.clone(), t.paid)).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        parts("other-investors"),
        vec![
            ("microsoft-recoups".to_string(), d("4333333333.34")),
            ("capped-sharing".to_string(), d("1306666666.67")),
        ]
    );
    let tiers: Vec<(String, Decimal)> = dist
        .tiers
        .iter()
        .map(|t| (t.tier.clone(), t.paid))
        .collect();
    assert_eq!(
        tiers,
        vec![
            ("microsoft-recoups".to_string(), d("17333333333.34")),
            ("capped-sharing".to_string(), d("2666666666.67")),
        ]
    );
    assert!(
        !dist
            .notes
            .iter()
            .any(|n| n.contains("its parts, each rounded")),
        "{:?}",
        dist.notes
    );
}

/// Splitting each payout over its tiers alone can leave a tier a cent too
/// far: two tiers of one cent each, A taking 40% of the first and 35% of
/// the second, B 60% of the first, C 35% and D 30% of the second. The
/// payouts round to A 1 cent and B 1 cent (the largest remainders, 0.75
/// and 0.6), and A's cent falls in the first tier (0.4 against 0.35), so
/// the first tier would pay 2 cents for its exact 1 and the second 0 for
/// its exact 1. The search moves A's cent to the second tier: each tier
/// pays its cent, and no payout changes.
#[test]
fn a_cent_moves_between_one_partys_tiers_so_that_each_tier_adds_up() {
    let t = terms(
        r#"
entity = "co"
currency = "USD"
[[tier]]
id = "first"
split = [{ party = "a", percent = 40 }, { party = "b", percent = 60 }]
size = "0.01"
[[tier]]
id = "second"
split = [{ party = "a", percent = 35 }, { party = "c", percent = 35 }, { party = "d", percent = 30 }]
size = "0.01"
"#,
    );
    let dist = distribute(&t, d("0.02")).unwrap_or_else(|e| panic!("{e}"));
    let paid = |party: &str| {
        dist.payouts.iter().find(|p| p.party == party).map(|p| {
            (
                p.amount,
                p.by_tier
                    .iter()
                    .map(|x| (x.tier.clone(), x.paid))
                    .collect::<Vec<_>>(),
            )
        })
    };
    assert_eq!(
        paid("a"),
        Some((
            d("0.01"),
            vec![("first".into(), d("0.00")), ("second".into(), d("0.01"))]
        ))
    );
    assert_eq!(paid("b").map(|p| p.0), Some(d("0.01")));
    let tiers: Vec<(String, Decimal)> = dist
        .tiers
        .iter()
        .map(|x| (x.tier.clone(), x.paid))
        .collect();
    assert_eq!(
        tiers,
        vec![("first".into(), d("0.01")), ("second".into(), d("0.01"))]
    );
    assert!(
        !dist
            .notes
            .iter()
            .any(|n| n.contains("its parts, each rounded")),
        "{:?}",
        dist.notes
    );
}
