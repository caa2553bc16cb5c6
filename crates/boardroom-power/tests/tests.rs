//! Integration tests: published values (each naming its source), agreement
//! of the weighted dynamic program with brute-force enumeration, and
//! structural properties of the indices.

use boardroom_power::{
    Analysis, Approx, Game, Index, Options, PowerError, SimpleGame, Value, WeightedGame, analyse,
    can_block,
};
use num_bigint::BigUint;
use proptest::prelude::*;

fn weighted(q: u64, w: &[u64]) -> Game {
    Game::Weighted(WeightedGame::new(q, w.to_vec()).expect("valid game"))
}

fn run(game: &Game) -> Analysis {
    analyse(game, &[], &Options::default()).expect("analysis")
}

/// Exact rationals of one index, as strings.
fn column(a: &Analysis, get: fn(&boardroom_power::PlayerPower) -> &Option<Value>) -> Vec<String> {
    a.players
        .iter()
        .map(|p| match get(p) {
            Some(Value::Exact(e)) => e.rational(),
            other => panic!("not exact: {other:?}"),
        })
        .collect()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// EEC Council of Ministers 1958: France, Germany, Italy 4, Belgium and the
/// Netherlands 2, Luxembourg 1, quota 12. Shapley-Shubik 14/60 (x3), 9/60
/// (x2), 0; normalised Banzhaf 5/21 (x3), 3/21 (x2), 0; Luxembourg a dummy.
/// Source: Felsenthal & Machover, The Measurement of Voting Power (1998),
/// the EEC example; also the `powerindex` package's tests (Banzhaf). The
/// four minimal winning coalitions give Holler's public good index 1/5 for
/// each of the five non-dummies (Holler 1982's EEC "paradox") and
/// Deegan-Packel 5/24 (x3), 3/16 (x2). Coleman and Johnston values were
/// derived by hand from the 14 winning coalitions.
#[test]
fn eec_council_1958() {
    let a = run(&weighted(12, &[4, 4, 4, 2, 2, 1]));
    assert_eq!(
        column(&a, |p| &p.shapley_shubik),
        strs(&["7/30", "7/30", "7/30", "3/20", "3/20", "0"])
    );
    assert_eq!(
        column(&a, |p| &p.banzhaf_normalised),
        strs(&["5/21", "5/21", "5/21", "1/7", "1/7", "0"])
    );
    assert_eq!(
        column(&a, |p| &p.banzhaf_absolute),
        strs(&["5/16", "5/16", "5/16", "3/16", "3/16", "0"])
    );
    let swings: Vec<String> = a
        .players
        .iter()
        .map(|p| p.swings.as_ref().expect("swings").to_string())
        .collect();
    assert_eq!(swings, strs(&["10", "10", "10", "6", "6", "0"]));
    assert_eq!(
        column(&a, |p| &p.public_good),
        strs(&["1/5", "1/5", "1/5", "1/5", "1/5", "0"])
    );
    assert_eq!(
        column(&a, |p| &p.deegan_packel),
        strs(&["5/24", "5/24", "5/24", "3/16", "3/16", "0"])
    );
    assert_eq!(
        column(&a, |p| &p.johnston),
        strs(&["1/4", "1/4", "1/4", "1/8", "1/8", "0"])
    );
    assert_eq!(
        column(&a, |p| &p.coleman_prevent),
        strs(&["5/7", "5/7", "5/7", "3/7", "3/7", "0"])
    );
    assert_eq!(
        column(&a, |p| &p.coleman_initiate),
        strs(&["1/5", "1/5", "1/5", "3/25", "3/25", "0"])
    );
    let coll = a
        .coleman_collectivity
        .as_ref()
        .and_then(|v| v.exact())
        .expect("exact");
    assert_eq!(coll.rational(), "7/32"); // 14 of 64 coalitions win
    assert_eq!(a.dummies, vec![5]);
    assert!(a.veto_players.is_empty());
    let mwc = a.minimal_winning.as_ref().expect("listed");
    assert_eq!(mwc.count, Some(BigUint::from(4u32)));
    let mut listed = mwc.listed.clone();
    listed.sort();
    assert_eq!(
        listed,
        vec![
            vec![0, 1, 2],
            vec![0, 1, 3, 4],
            vec![0, 2, 3, 4],
            vec![1, 2, 3, 4]
        ]
    );
    // A blocking coalition needs weight >= 17 - 12 + 1 = 6: two big members,
    // or a big member with Belgium or the Netherlands.
    let mbc = a.minimal_blocking.as_ref().expect("listed");
    assert_eq!(mbc.count, Some(BigUint::from(9u32)));
}

/// UN Security Council: 5 permanent members with a veto, 10 elected members;
/// a resolution needs all 5 permanent members and at least 4 elected ones,
/// i.e. weights 7 (x5) and 1 (x10) with quota 39. Shapley-Shubik 421/2145
/// (0.1963) per permanent member and 4/2145 (0.001865) per elected member:
/// Felsenthal & Machover (1998), and Straffin, Game Theory and Strategy
/// (1993), ch. 6. Swing counts 848 and 84 from the same sources' Banzhaf
/// table (normalised 0.1669 and 0.0165).
#[test]
fn un_security_council() {
    let mut w = vec![7; 5];
    w.extend([1; 10]);
    let a = run(&weighted(39, &w));
    let ss = column(&a, |p| &p.shapley_shubik);
    assert_eq!(ss[0], "421/2145");
    assert_eq!(ss[14], "4/2145");
    let d = a.players[0]
        .shapley_shubik
        .as_ref()
        .and_then(|v| v.exact())
        .expect("exact");
    assert_eq!(d.decimal(4), "0.1963");
    assert_eq!(
        a.players[5]
            .shapley_shubik
            .as_ref()
            .and_then(|v| v.exact())
            .expect("exact")
            .decimal(4),
        "0.001865"
    );
    assert_eq!(a.players[0].swings, Some(BigUint::from(848u32)));
    assert_eq!(a.players[5].swings, Some(BigUint::from(84u32)));
    assert_eq!(a.veto_players, vec![0, 1, 2, 3, 4]);
    // Minimal winning coalitions: the five permanent members and any 4 of 10.
    assert_eq!(
        a.minimal_winning.as_ref().and_then(|l| l.count.clone()),
        Some(BigUint::from(210u32))
    );
    // The same rule written as a predicate (quorum AND threshold style).
    let g =
        SimpleGame::from_predicate(15, |s| s & 0b11111 == 0b11111 && (s >> 5).count_ones() >= 4)
            .expect("monotone");
    let b = run(&Game::Simple(g));
    assert_eq!(column(&b, |p| &p.shapley_shubik), ss);
    assert_eq!(
        column(&b, |p| &p.banzhaf_normalised),
        column(&a, |p| &p.banzhaf_normalised)
    );
}

/// Straffin, Game Theory and Strategy (1993), quoted in the `powerindex`
/// package's tests: Banzhaf of [6; 4, 3, 2, 1] is 5/12, 1/4, 1/4, 1/12;
/// Shapley-Shubik of [6; 4, 3, 2] is 4/6, 1/6, 1/6; and (Wikipedia,
/// "Shapley–Shubik power index") [4; 3, 2, 1, 1] gives 1/2, 1/6, 1/6, 1/6.
#[test]
fn textbook_examples() {
    let a = run(&weighted(6, &[4, 3, 2, 1]));
    assert_eq!(
        column(&a, |p| &p.banzhaf_normalised),
        strs(&["5/12", "1/4", "1/4", "1/12"])
    );
    let a = run(&weighted(6, &[4, 3, 2]));
    assert_eq!(
        column(&a, |p| &p.shapley_shubik),
        strs(&["2/3", "1/6", "1/6"])
    );
    let a = run(&weighted(4, &[3, 2, 1, 1]));
    assert_eq!(
        column(&a, |p| &p.shapley_shubik),
        strs(&["1/2", "1/6", "1/6", "1/6"])
    );
}

/// Many players, so that the counts need several primes and CRT: in the
/// symmetric game [101; 1 x 200] a player swings in C(199, 100) coalitions
/// and every Shapley-Shubik value is 1/200.
#[test]
fn symmetric_majority_uses_several_primes() {
    let a = run(&weighted(101, &[1; 200]));
    let mut binom = BigUint::from(1u32);
    for i in 0..100u32 {
        binom = binom * (199 - i) / (i + 1);
    }
    assert!(binom.bits() > 190);
    for p in &a.players {
        assert_eq!(p.swings.as_ref(), Some(&binom));
        assert_eq!(
            p.shapley_shubik
                .as_ref()
                .and_then(|v| v.exact())
                .map(|e| e.rational()),
            Some("1/200".into())
        );
    }
    // Minimal winning coalitions: every set of exactly 101 players.
    let mut c101 = BigUint::from(1u32);
    for i in 0..101u32 {
        c101 = c101 * (200 - i) / (i + 1);
    }
    assert_eq!(
        a.minimal_winning.as_ref().and_then(|l| l.count.clone()),
        Some(c101)
    );
}

#[test]
fn zero_weights_are_dummies_and_double_swings() {
    let a = run(&weighted(3, &[2, 0, 2, 1]));
    let b = run(&weighted(3, &[2, 2, 1]));
    assert_eq!(a.players[1].swings, Some(BigUint::from(0u32)));
    assert_eq!(
        a.players[0].swings.clone(),
        b.players[0].swings.clone().map(|s| s * 2u32)
    );
    assert_eq!(
        column(&a, |p| &p.shapley_shubik)[0],
        column(&b, |p| &p.shapley_shubik)[0]
    );
    assert!(a.dummies.contains(&1));
}

/// Regression: the Shapley-Shubik size table was laid out in `usize` before
/// the quota was checked, so a quota near `u64::MAX` overflowed (a panic in
/// debug builds) while deciding whether to enumerate instead.
#[test]
fn huge_quota_does_not_overflow_the_size_table() {
    let a = run(&weighted(u64::MAX, &[1 << 63, (1 << 63) - 1]));
    assert_eq!(column(&a, |p| &p.shapley_shubik), strs(&["1/2", "1/2"]));
    assert_eq!(a.veto_players, vec![0, 1]);
}

/// Few players with huge weights: the dynamic program would need a table of
/// 3·10^9 cells, so enumeration takes over.
#[test]
fn huge_weights_with_few_players_are_enumerated() {
    let a = run(&weighted(
        3_000_000_001,
        &[2_000_000_000, 1_000_000_001, 1_000_000_000],
    ));
    assert_eq!(
        column(&a, |p| &p.shapley_shubik),
        strs(&["1/2", "1/2", "0"])
    );
    assert_eq!(a.veto_players, vec![0, 1]);
    assert_eq!(a.dummies, vec![2]);
    assert_eq!(a.kind, "weighted");
    assert_eq!(a.players[0].weight, Some(2_000_000_000));
}

#[test]
fn names_are_checked() {
    let g = weighted(2, &[1, 1]);
    let names: Vec<String> = strs(&["a", "b", "c"]);
    assert_eq!(
        analyse(&g, &names, &Options::default()),
        Err(PowerError::NamesMismatch {
            names: 3,
            players: 2
        })
    );
    // Regression: one name for two players was filled in as "P2" without
    // a word; a short list is refused, and no names give P1, P2.
    assert_eq!(
        analyse(&g, &names[..1], &Options::default()),
        Err(PowerError::NamesMismatch {
            names: 1,
            players: 2
        })
    );
    let a = analyse(&g, &[], &Options::default()).expect("ok");
    assert_eq!(a.players[1].name, "P2");
}

#[test]
fn index_names_round_trip() {
    for i in Index::ALL {
        assert_eq!(i.name().parse::<Index>(), Ok(i));
    }
    assert_eq!("SS".parse::<Index>(), Ok(Index::ShapleyShubik));
    assert!(matches!(
        "nope".parse::<Index>(),
        Err(PowerError::UnknownIndex(_))
    ));
}

#[test]
fn too_large_without_approx_is_a_typed_error_and_approx_estimates() {
    let w: Vec<u64> = (0..1000).map(|i| 100_000 + i * 97 % 1000).collect();
    let total: u64 = w.iter().sum();
    let g = weighted(total / 2 + 1, &w);
    let e = analyse(&g, &[], &Options::default()).expect_err("too large");
    assert!(matches!(e, PowerError::TooLargeForExact { .. }), "{e}");
    assert!(e.hint().is_some_and(|h| h.contains("approx")));
    let opts = Options {
        approx: Some(Approx {
            samples: 2000,
            seed: 7,
        }),
        indices: vec![Index::Banzhaf, Index::ShapleyShubik],
        coalitions: false,
        ..Options::default()
    };
    let a = analyse(&g, &[], &opts).expect("estimates");
    let b = analyse(&g, &[], &opts).expect("estimates");
    assert_eq!(a, b, "deterministic given the seed");
    assert!(matches!(
        a.players[0].shapley_shubik,
        Some(Value::Estimate(_))
    ));
    assert!(a.dummies.is_empty());
}

/// The Monte Carlo 95% interval covers the exact value (fixed seed).
#[test]
fn monte_carlo_interval_covers_exact_value() {
    // Exact Shapley-Shubik is too large for this one (big quota), Banzhaf is exact.
    let w: Vec<u64> = (0..300).map(|i| 1 + (i * 7919) % 1000).collect();
    let total: u64 = w.iter().sum();
    let g = weighted(total / 2 + 1, &w);
    let exact = analyse(
        &g,
        &[],
        &Options {
            indices: vec![Index::Banzhaf],
            coalitions: false,
            ..Options::default()
        },
    )
    .expect("exact Banzhaf");
    // The same game scaled by 1000 plus a weight-1 dummy (which defeats the
    // gcd reduction): [1000 q; 1000 w, 1] has the same winning coalitions
    // among the first 300 players and a quota too large for the exact method.
    let q = total / 2 + 1;
    let mut w3: Vec<u64> = w.iter().map(|x| x * 1000).collect();
    w3.push(1);
    let g3 = weighted(q * 1000, &w3);
    // One sample serves every player, so intervals of different players
    // miss together; check each player's coverage over independent seeds.
    let mut covered = [0; 3];
    for seed in 0..40 {
        let opts = Options {
            approx: Some(Approx {
                samples: 3000,
                seed,
            }),
            indices: vec![Index::Banzhaf],
            coalitions: false,
            ..Options::default()
        };
        let mc = analyse(&g3, &[], &opts).expect("estimates");
        for (k, i) in [0usize, 150, 299].into_iter().enumerate() {
            let Some(Value::Estimate(est)) = &mc.players[i].banzhaf_absolute else {
                panic!("estimate")
            };
            let x = exact.players[i]
                .banzhaf_absolute
                .as_ref()
                .and_then(|v| v.exact())
                .expect("exact")
                .to_f64();
            if est.ci95_low <= x && x <= est.ci95_high {
                covered[k] += 1;
            }
        }
    }
    // 95% nominal: at least 33 of 40 (a binomial tail below 1%).
    assert!(
        covered.iter().all(|&c| c >= 33),
        "coverage {covered:?} of 40"
    );
}

#[test]
fn can_block_answers_with_the_smallest_helper_set() {
    let g = weighted(12, &[4, 4, 4, 2, 2, 1]);
    let a = can_block(&g, &[0, 1]).expect("ok");
    assert!(a.can_block);
    let a = can_block(&g, &[3]).expect("ok");
    assert!(!a.can_block);
    // Others hold 15 >= 12; with France they hold 11.
    assert_eq!(a.needs, vec![0]);
    // Luxembourg: others hold 16; without France 12 (still winning), without
    // France and Germany 8.
    let a = can_block(&g, &[5]).expect("ok");
    assert_eq!(a.needs, vec![0, 1]);
    // Regression (issue 13): one helper set was named where several do.
    // Belgium: others hold 15 >= 12; any one of France, Germany or Italy
    // brings them to 11. Luxembourg: others hold 16 and must lose at least
    // 5: any two players but the two weighing 2 together (4).
    assert_eq!(
        can_block(&g, &[3]).expect("ok").completions,
        vec![vec![0], vec![1], vec![2]]
    );
    let pairs: Vec<Vec<usize>> = [
        [0, 1],
        [0, 2],
        [0, 3],
        [0, 4],
        [1, 2],
        [1, 3],
        [1, 4],
        [2, 3],
        [2, 4],
    ]
    .iter()
    .map(|p| p.to_vec())
    .collect();
    assert_eq!(a.completions, pairs);
    let simple = Game::Simple(
        SimpleGame::from_weighted(&WeightedGame::new(12, vec![4, 4, 4, 2, 2, 1]).expect("ok"))
            .expect("ok"),
    );
    for group in [vec![3], vec![5], vec![0, 1], vec![3, 4], vec![]] {
        let x = can_block(&g, &group).expect("ok");
        let y = can_block(&simple, &group).expect("ok");
        assert_eq!(
            (x.can_block, &x.completions),
            (y.can_block, &y.completions),
            "{group:?}"
        );
    }
    assert_eq!(
        can_block(&g, &[6]),
        Err(PowerError::PlayerOutOfRange {
            index: 6,
            players: 6
        })
    );
}

#[test]
fn json_shape_is_stable() {
    let a = run(&weighted(12, &[4, 4, 4, 2, 2, 1]));
    let j = serde_json::to_value(&a).expect("json");
    assert_eq!(j["players"][0]["shapley_shubik"]["rational"], "7/30");
    assert_eq!(
        j["players"][0]["shapley_shubik"]["decimal"],
        "0.23333333333333333333"
    );
    assert_eq!(j["players"][0]["swings"], "10");
    assert_eq!(j["winning_coalitions"], "14");
    assert_eq!(j["minimal_winning"]["count"], "4");
    assert_eq!(j["kind"], "weighted");
    let text = a.to_string();
    assert!(text.contains("minimal winning coalitions: 4"), "{text}");
    assert!(text.contains("dummies: P6"), "{text}");
}

// ---------------------------------------------------------------- properties

fn game_strategy(max_n: usize) -> impl Strategy<Value = (u64, Vec<u64>)> {
    (prop::collection::vec(0u64..=20, 1..=max_n), 0.0f64..1.0).prop_map(|(mut w, f)| {
        w[0] += 1;
        let total: u64 = w.iter().sum();
        let q = 1 + ((total - 1) as f64 * f) as u64;
        (q, w)
    })
}

fn exact_rational(v: &Option<Value>) -> Option<num_rational::BigRational> {
    v.as_ref().and_then(|v| v.exact()).map(|e| e.0.clone())
}

fn sorted(l: &Option<boardroom_power::CoalitionList>) -> (Option<BigUint>, Vec<Vec<usize>>) {
    let l = l.as_ref().expect("list");
    let mut v = l.listed.clone();
    v.sort();
    (l.count.clone(), v)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The weighted dynamic program agrees with brute-force enumeration of
    /// the same rule as a predicate, for every index and coalition list.
    #[test]
    fn weighted_dp_agrees_with_enumeration((q, w) in game_strategy(15)) {
        let wg = WeightedGame::new(q, w.clone()).expect("valid");
        let sg = SimpleGame::from_predicate(w.len(), |s| {
            (0..w.len()).filter(|i| s >> i & 1 == 1).map(|i| w[i]).sum::<u64>() >= q
        }).expect("weighted rules are monotone");
        let opts = Options { limit: 100_000, ..Options::default() };
        let a = analyse(&Game::Weighted(wg), &[], &opts).expect("weighted");
        let b = analyse(&Game::Simple(sg), &[], &opts).expect("simple");
        prop_assert_eq!(&a.winning_coalitions, &b.winning_coalitions);
        prop_assert_eq!(&a.coleman_collectivity, &b.coleman_collectivity);
        prop_assert_eq!(&a.veto_players, &b.veto_players);
        prop_assert_eq!(&a.dummies, &b.dummies);
        prop_assert_eq!(sorted(&a.minimal_winning), sorted(&b.minimal_winning));
        prop_assert_eq!(sorted(&a.minimal_blocking), sorted(&b.minimal_blocking));
        for (x, y) in a.players.iter().zip(&b.players) {
            prop_assert_eq!(&x.swings, &y.swings);
            prop_assert_eq!(&x.banzhaf_absolute, &y.banzhaf_absolute);
            prop_assert_eq!(&x.banzhaf_normalised, &y.banzhaf_normalised);
            prop_assert_eq!(&x.shapley_shubik, &y.shapley_shubik);
            prop_assert_eq!(&x.deegan_packel, &y.deegan_packel);
            prop_assert_eq!(&x.johnston, &y.johnston);
            prop_assert_eq!(&x.public_good, &y.public_good);
            prop_assert_eq!(&x.coleman_prevent, &y.coleman_prevent);
            prop_assert_eq!(&x.coleman_initiate, &y.coleman_initiate);
        }
    }

    /// Normalised indices sum to 1; equal weights get equal values; dummies
    /// get 0; veto players are in every minimal winning coalition.
    #[test]
    fn structural_properties((q, w) in game_strategy(12)) {
        let g = Game::Weighted(WeightedGame::new(q, w.clone()).expect("valid"));
        let a = analyse(&g, &[], &Options { limit: 100_000, ..Options::default() }).expect("analysis");
        let one = num_rational::BigRational::from_integer(1.into());
        type Get = fn(&boardroom_power::PlayerPower) -> &Option<Value>;
        let normalised: [Get; 5] = [|p| &p.banzhaf_normalised, |p| &p.shapley_shubik, |p| &p.deegan_packel, |p| &p.johnston, |p| &p.public_good];
        for get in normalised {
            let sum = a.players.iter().filter_map(|p| exact_rational(get(p))).fold(num_rational::BigRational::from_integer(0.into()), |s, x| s + x);
            prop_assert_eq!(&sum, &one);
            for i in 0..w.len() {
                for j in 0..w.len() {
                    if w[i] == w[j] {
                        prop_assert_eq!(exact_rational(get(&a.players[i])), exact_rational(get(&a.players[j])));
                    }
                }
            }
        }
        for &d in &a.dummies {
            prop_assert_eq!(exact_rational(&a.players[d].banzhaf_absolute), Some(num_rational::BigRational::from_integer(0.into())));
            prop_assert_eq!(exact_rational(&a.players[d].shapley_shubik), Some(num_rational::BigRational::from_integer(0.into())));
        }
        let mwc = a.minimal_winning.as_ref().expect("list");
        prop_assert!(!mwc.truncated);
        for &v in &a.veto_players {
            for c in &mwc.listed {
                prop_assert!(c.contains(&v));
            }
        }
    }

    /// Swing counts are the same in the dual game [W - q + 1; w].
    #[test]
    fn swings_invariant_under_duality((q, w) in game_strategy(15)) {
        let g = WeightedGame::new(q, w.clone()).expect("valid");
        let opts = Options { indices: vec![Index::Banzhaf], coalitions: false, ..Options::default() };
        let a = analyse(&Game::Weighted(g.clone()), &[], &opts).expect("primal");
        let b = analyse(&Game::Weighted(g.dual()), &[], &opts).expect("dual");
        for (x, y) in a.players.iter().zip(&b.players) {
            prop_assert_eq!(&x.swings, &y.swings);
        }
    }

    /// The reductions (cap at quota, divide by gcd with ceil on the quota)
    /// keep every coalition's outcome.
    #[test]
    fn reduction_preserves_the_game((q, w) in game_strategy(10), k in 1u64..6) {
        let w: Vec<u64> = w.iter().map(|x| x * k).collect();
        let q = (q * k).saturating_sub(k / 2).max(1);
        let g = WeightedGame::new(q, w.clone()).expect("valid");
        let r = g.reduced().game;
        for s in 0u64..(1 << w.len()) {
            let members = || (0..w.len()).filter(move |i| s >> i & 1 == 1);
            prop_assert_eq!(g.wins(members()), r.wins(members()));
        }
    }
}
