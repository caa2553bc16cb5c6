//! [`analyse`]: every selected index and the coalition analysis of a game,
//! in one [`Analysis`] that renders as text and serialises to JSON.

use std::fmt;
use std::str::FromStr;

use num_bigint::BigUint;
use num_traits::{One, Zero};
use serde::Serialize;

use crate::enumerate::{self, MwcTally, walk_mwc};
use crate::error::PowerError;
use crate::game::{Game, MAX_ENUM_PLAYERS, SimpleGame, WeightedGame};
use crate::modular::default_threads;
use crate::montecarlo;
use crate::value::{Estimate, ExactValue, Value, big_count_schema, factorial, ser_opt_biguint};
use crate::weighted;

/// A power index (or family of indices) that [`analyse`] can compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Index {
    /// Penrose-Banzhaf: swing counts, absolute (swings / 2^(n-1)) and
    /// normalised (swings / total swings).
    Banzhaf,
    /// Shapley-Shubik: share of player orders in which the player is pivotal.
    ShapleyShubik,
    /// Deegan-Packel: each minimal winning coalition is equally likely and
    /// shares its value equally among its members.
    DeeganPackel,
    /// Johnston: each vulnerable winning coalition shares one unit equally
    /// among its critical members; normalised.
    Johnston,
    /// Holler's public good index: membership in minimal winning
    /// coalitions, normalised.
    PublicGood,
    /// Coleman: power of the collectivity to act (winning / all coalitions),
    /// and each player's power to prevent (swings / winning) and to initiate
    /// (swings / losing) action.
    Coleman,
}

impl Index {
    /// Every index, in the order the text table shows them.
    pub const ALL: [Index; 6] = [
        Index::Banzhaf,
        Index::ShapleyShubik,
        Index::DeeganPackel,
        Index::Johnston,
        Index::PublicGood,
        Index::Coleman,
    ];

    /// The CLI name.
    pub fn name(self) -> &'static str {
        match self {
            Index::Banzhaf => "banzhaf",
            Index::ShapleyShubik => "shapley-shubik",
            Index::DeeganPackel => "deegan-packel",
            Index::Johnston => "johnston",
            Index::PublicGood => "public-good",
            Index::Coleman => "coleman",
        }
    }
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Index {
    type Err = PowerError;

    /// Accepts the CLI names and a few aliases (`ss`, `bz`, `pgi`, `holler`, `dp`).
    fn from_str(s: &str) -> Result<Index, PowerError> {
        let k = s.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match k.as_str() {
            "banzhaf" | "bz" | "penrose-banzhaf" => Index::Banzhaf,
            "shapley-shubik" | "ss" | "shapley" => Index::ShapleyShubik,
            "deegan-packel" | "dp" => Index::DeeganPackel,
            "johnston" => Index::Johnston,
            "public-good" | "pgi" | "holler" => Index::PublicGood,
            "coleman" => Index::Coleman,
            _ => return Err(PowerError::UnknownIndex(s.to_string())),
        })
    }
}

/// Monte Carlo settings. Used only for what is too large to compute exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Approx {
    /// Number of random samples (coalitions for Banzhaf, orders for
    /// Shapley-Shubik).
    pub samples: u64,
    /// Seed: the same seed gives the same estimates.
    pub seed: u64,
}

/// What [`analyse`] computes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Indices to compute.
    pub indices: Vec<Index>,
    /// At most this many coalitions are listed per list (counts are always full).
    pub limit: usize,
    /// Fall back to Monte Carlo where the exact method is too large. Without
    /// it such games return [`PowerError::TooLargeForExact`].
    pub approx: Option<Approx>,
    /// Compute minimal winning / blocking coalitions (counts and lists).
    pub coalitions: bool,
    /// Worker threads for the exact weighted method (0 = all cores).
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            indices: Index::ALL.to_vec(),
            limit: 20,
            approx: None,
            coalitions: true,
            threads: 0,
        }
    }
}

/// Above this many minimal winning coalitions, Deegan-Packel and the public
/// good index of a weighted game with more than 25 players are not computed.
pub const MWC_ENUM_CAP: u64 = 1_000_000;

/// Power of one player.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PlayerPower {
    /// 0-based player index.
    pub index: usize,
    /// The player's name (`P1`, `P2`, … when none was given).
    pub name: String,
    /// Weight in the game as given (weighted games only).
    pub weight: Option<u64>,
    /// Number of coalitions of the others in which this player swings.
    #[serde(serialize_with = "ser_opt_biguint")]
    #[schemars(schema_with = "big_count_schema")]
    pub swings: Option<BigUint>,
    /// Absolute Banzhaf index: swings / 2^(n-1).
    pub banzhaf_absolute: Option<Value>,
    /// Normalised Banzhaf index: swings / total swings.
    pub banzhaf_normalised: Option<Value>,
    /// Shapley-Shubik index.
    pub shapley_shubik: Option<Value>,
    /// Deegan-Packel index.
    pub deegan_packel: Option<Value>,
    /// Johnston index (normalised).
    pub johnston: Option<Value>,
    /// Holler's public good index.
    pub public_good: Option<Value>,
    /// Coleman's power to prevent action: swings / winning coalitions.
    pub coleman_prevent: Option<Value>,
    /// Coleman's power to initiate action: swings / losing coalitions.
    pub coleman_initiate: Option<Value>,
    /// In every winning coalition.
    pub veto: bool,
    /// Never swings (only known when swings are exact).
    pub dummy: bool,
}

/// A list of coalitions, bounded by [`Options::limit`], with the full count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CoalitionList {
    /// How many there are in all (exact), if known.
    #[serde(serialize_with = "ser_opt_biguint")]
    #[schemars(schema_with = "big_count_schema")]
    pub count: Option<BigUint>,
    /// The first ones found, each as ascending player indices.
    pub listed: Vec<Vec<usize>>,
    /// True when `listed` is not all of them.
    pub truncated: bool,
}

/// Something asked for that was not computed, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NotComputed {
    /// What was not computed.
    pub what: String,
    /// Why.
    pub reason: String,
}

/// The analysis of a game.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Analysis {
    /// `weighted` or `simple`.
    pub kind: &'static str,
    /// Number of players.
    pub n: usize,
    /// Quota (weighted games).
    pub quota: Option<u64>,
    /// Total weight (weighted games).
    pub total_weight: Option<u64>,
    /// How the game was reduced before computing (weighted games).
    pub reductions: Vec<String>,
    /// How the values were obtained: one line per method used.
    pub method: Vec<String>,
    /// Monte Carlo settings, when any value is an estimate.
    pub approx: Option<Approx>,
    /// Number of winning coalitions (exact).
    #[serde(serialize_with = "ser_opt_biguint")]
    #[schemars(schema_with = "big_count_schema")]
    pub winning_coalitions: Option<BigUint>,
    /// Coleman's power of the collectivity to act: winning / 2^n.
    pub coleman_collectivity: Option<Value>,
    /// Per-player values, in player order.
    pub players: Vec<PlayerPower>,
    /// Minimal winning coalitions.
    pub minimal_winning: Option<CoalitionList>,
    /// Minimal blocking coalitions (complements of maximal losing ones).
    pub minimal_blocking: Option<CoalitionList>,
    /// Players in every winning coalition.
    pub veto_players: Vec<usize>,
    /// Players who never swing (empty when swings were only estimated).
    pub dummies: Vec<usize>,
    /// What was asked for but not computed, with the reason.
    pub not_computed: Vec<NotComputed>,
}

/// Player names: the given ones, one per player, or `P<i+1>` for each
/// where none are given (never a mix: a short list was filled in silently).
pub(crate) fn player_names(n: usize, names: &[String]) -> Result<Vec<String>, PowerError> {
    if !names.is_empty() && names.len() != n {
        return Err(PowerError::NamesMismatch {
            names: names.len(),
            players: n,
        });
    }
    Ok((0..n)
        .map(|i| {
            names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("P{}", i + 1))
        })
        .collect())
}

fn exact(numer: BigUint, denom: &BigUint) -> Option<Value> {
    Some(Value::Exact(ExactValue::ratio(numer, denom)))
}

/// About how many inner-loop steps [`analyse`] will spend in the exact
/// dynamic programs on `game` with `opts` (after reducing it): the swing
/// counts, and the Shapley-Shubik table when it is asked for and within
/// reach. Zero when the game is small enough to enumerate or simple, or
/// when an exact Shapley-Shubik out of reach is refused at once. The
/// steps run at a few billion a second on two cores; a front end can warn
/// before a long computation.
pub fn exact_work(game: &Game, opts: &Options) -> u128 {
    match game {
        Game::Weighted(g) if g.players() > MAX_ENUM_PLAYERS => weighted::dp_work(
            &g.reduced().game,
            opts.indices.contains(&Index::ShapleyShubik),
            opts.approx.is_some(),
        ),
        _ => 0,
    }
}

/// Analyse `game`: the indices in `opts.indices`, veto players, dummies and
/// (with `opts.coalitions`) minimal winning and blocking coalitions.
///
/// Weighted games use exact dynamic programming (see the crate docs for its
/// limits); simple games enumerate all `2^n` coalitions.
pub fn analyse(game: &Game, names: &[String], opts: &Options) -> Result<Analysis, PowerError> {
    let names = player_names(game.players(), names)?;
    if let Some(a) = opts.approx
        && a.samples == 0
    {
        return Err(PowerError::NoSamples);
    }
    match game {
        Game::Weighted(g) => analyse_weighted(g, names, opts),
        Game::Simple(g) => Ok(analyse_simple(g, names, opts)),
    }
}

fn blank(n: usize, names: Vec<String>, weights: Option<&[u64]>) -> Vec<PlayerPower> {
    names
        .into_iter()
        .enumerate()
        .take(n)
        .map(|(index, name)| PlayerPower {
            index,
            name,
            weight: weights.and_then(|w| w.get(index).copied()),
            swings: None,
            banzhaf_absolute: None,
            banzhaf_normalised: None,
            shapley_shubik: None,
            deegan_packel: None,
            johnston: None,
            public_good: None,
            coleman_prevent: None,
            coleman_initiate: None,
            veto: false,
            dummy: false,
        })
        .collect()
}

/// Fill Banzhaf and Coleman values from exact swing and winning counts.
fn fill_counts(
    players: &mut [PlayerPower],
    swings: &[BigUint],
    winning: &BigUint,
    opts: &Options,
) -> Option<Value> {
    let n = players.len();
    let all = BigUint::one() << n;
    let half = BigUint::one() << (n - 1);
    let losing = &all - winning;
    let total: BigUint = swings.iter().sum();
    let want = |i: Index| opts.indices.contains(&i);
    for (p, s) in players.iter_mut().zip(swings) {
        p.swings = Some(s.clone());
        p.dummy = s.is_zero();
        if want(Index::Banzhaf) {
            p.banzhaf_absolute = exact(s.clone(), &half);
            p.banzhaf_normalised = exact(s.clone(), &total);
        }
        if want(Index::Coleman) {
            p.coleman_prevent = exact(s.clone(), winning);
            p.coleman_initiate = exact(s.clone(), &losing);
        }
    }
    if want(Index::Coleman) {
        exact(winning.clone(), &all)
    } else {
        None
    }
}

fn fill_mwc_indices(players: &mut [PlayerPower], tally: &MwcTally, opts: &Options) {
    let count = BigUint::from(tally.count);
    let memberships = tally.total_memberships();
    for (p, row) in players.iter_mut().zip(&tally.by_size) {
        if opts.indices.contains(&Index::PublicGood) {
            let m: u64 = row.iter().sum();
            p.public_good = exact(BigUint::from(m), &memberships);
        }
        if opts.indices.contains(&Index::DeeganPackel) {
            // (1/|M|) * sum_s row[s]/s, over the common denominator lcm-free n!.
            let n = row.len().saturating_sub(1).max(1);
            let nf = factorial(n);
            let numer: BigUint = row
                .iter()
                .enumerate()
                .skip(1)
                .map(|(s, &c)| BigUint::from(c) * (&nf / BigUint::from(s)))
                .sum();
            p.deegan_packel = exact(numer, &(&count * &nf));
        }
    }
}

fn fill_johnston(players: &mut [PlayerPower], johnston: &[Vec<u64>]) {
    let n = johnston
        .first()
        .map_or(1, |r| r.len().saturating_sub(1))
        .max(1);
    let nf = factorial(n);
    let raw: Vec<BigUint> = johnston
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .skip(1)
                .map(|(k, &c)| BigUint::from(c) * (&nf / BigUint::from(k)))
                .sum()
        })
        .collect();
    let total: BigUint = raw.iter().sum();
    for (p, r) in players.iter_mut().zip(raw) {
        p.johnston = exact(r, &total);
    }
}

fn fill_ss_enum(players: &mut [PlayerPower], ss: &[Vec<u64>]) {
    let n = players.len();
    let fact: Vec<BigUint> = (0..=n).map(factorial).collect();
    for (p, row) in players.iter_mut().zip(ss) {
        let numer: BigUint = row
            .iter()
            .enumerate()
            .map(|(s, &c)| BigUint::from(c) * &fact[s] * &fact[n - 1 - s])
            .sum();
        p.shapley_shubik = exact(numer, &fact[n]);
    }
}

fn list_masks(masks: &[u64], limit: usize) -> CoalitionList {
    CoalitionList {
        count: Some(BigUint::from(masks.len())),
        listed: masks
            .iter()
            .take(limit)
            .map(|&m| enumerate::members(m))
            .collect(),
        truncated: masks.len() > limit,
    }
}

fn analyse_simple(g: &SimpleGame, names: Vec<String>, opts: &Options) -> Analysis {
    let n = g.players();
    let e = enumerate::enumerate(g);
    let mut players = blank(n, names, None);
    let swings: Vec<BigUint> = e.swings.iter().map(|&s| BigUint::from(s)).collect();
    let collectivity = fill_counts(&mut players, &swings, &BigUint::from(e.winning), opts);
    let want = |i: Index| opts.indices.contains(&i);
    if want(Index::ShapleyShubik) {
        fill_ss_enum(&mut players, &e.ss);
    }
    if want(Index::Johnston) {
        fill_johnston(&mut players, &e.johnston);
    }
    let mut tally = MwcTally::new(n);
    for &m in &e.mwc {
        tally.add(&enumerate::members(m));
    }
    fill_mwc_indices(&mut players, &tally, opts);
    let full = (1u64 << n) - 1;
    let veto: Vec<usize> = (0..n).filter(|&i| !g.wins(full & !(1 << i))).collect();
    for &v in &veto {
        players[v].veto = true;
    }
    Analysis {
        kind: "simple",
        n,
        quota: None,
        total_weight: None,
        reductions: Vec::new(),
        method: vec![format!("exact: enumeration of all 2^{n} coalitions")],
        approx: None,
        winning_coalitions: Some(BigUint::from(e.winning)),
        coleman_collectivity: collectivity,
        dummies: players
            .iter()
            .filter(|p| p.dummy)
            .map(|p| p.index)
            .collect(),
        players,
        minimal_winning: opts.coalitions.then(|| list_masks(&e.mwc, opts.limit)),
        minimal_blocking: opts.coalitions.then(|| list_masks(&e.mbc, opts.limit)),
        veto_players: veto,
        not_computed: coalitions_not_asked(opts),
    }
}

/// Minimal winning and blocking coalitions are counted and listed only
/// when asked for ([`Options::coalitions`]): on a large weighted game
/// that is most of the work. Said, so that their absence is not read as
/// "none".
fn coalitions_not_asked(opts: &Options) -> Vec<NotComputed> {
    if opts.coalitions {
        return Vec::new();
    }
    vec![NotComputed {
        what: "minimal winning and blocking coalitions".into(),
        reason: "not asked for".into(),
    }]
}

fn list_weighted(game: &WeightedGame, count: Option<BigUint>, limit: usize) -> CoalitionList {
    let mut listed = Vec::new();
    let mut more = false;
    walk_mwc(game, |c| {
        if listed.len() < limit {
            listed.push(c.to_vec());
            true
        } else {
            more = true;
            false
        }
    });
    CoalitionList {
        count,
        listed,
        truncated: more,
    }
}

fn analyse_weighted(
    game: &WeightedGame,
    names: Vec<String>,
    opts: &Options,
) -> Result<Analysis, PowerError> {
    let n = game.players();
    let threads = if opts.threads == 0 {
        default_threads()
    } else {
        opts.threads
    };
    let red = game.reduced();
    let rg = &red.game;
    let want = |i: Index| opts.indices.contains(&i);
    let mut reductions = red.notes.clone();
    if reductions.is_empty() {
        reductions.push("none: weights are already coprime and at most the quota".into());
    }
    if n <= MAX_ENUM_PLAYERS && weighted::beyond_dp(rg, want(Index::ShapleyShubik)) {
        // Huge weights but few players: enumerate the coalitions instead.
        let mut a = analyse_simple(&SimpleGame::from_weighted(rg)?, names, opts);
        for (p, &w) in a.players.iter_mut().zip(game.weights()) {
            p.weight = Some(w);
        }
        a.kind = "weighted";
        a.quota = Some(game.quota());
        a.total_weight = Some(game.total_weight());
        a.reductions = reductions;
        a.method = vec![format!(
            "exact: enumeration of all 2^{n} coalitions (the weights are too large for the dynamic program)"
        )];
        return Ok(a);
    }
    let mut players = blank(n, names, Some(game.weights()));
    let mut method = Vec::new();
    let mut not_computed = Vec::new();
    let mut used_approx = None;
    let mut collectivity = None;
    let mut winning = None;
    let mut mwc_count = None;

    // Veto players: the others together cannot reach the quota.
    for (i, p) in players.iter_mut().enumerate() {
        p.veto = rg.total_weight() - rg.weights()[i] < rg.quota();
    }

    // Refuse before the swing counts (seconds on a large game) when the
    // exact Shapley-Shubik asked for is out of reach and no estimate is.
    if want(Index::ShapleyShubik) && opts.approx.is_none() {
        weighted::ss_setup(rg)?;
    }

    // Swing and winning counts (Banzhaf, Coleman, dummies, MWC count).
    let mut exact_swings = false;
    // Minimal winning coalitions are counted when they are listed, or for
    // the indices that are shares of them.
    let need_mwc = opts.coalitions || want(Index::DeeganPackel) || want(Index::PublicGood);
    match weighted::counts(rg, need_mwc, threads) {
        Ok(c) => {
            method.push(
                "exact: generating function over coalition weight, modulo primes with CRT".into(),
            );
            collectivity = fill_counts(&mut players, &c.swings, &c.winning, opts);
            winning = Some(c.winning);
            mwc_count = c.mwc;
            exact_swings = true;
        }
        Err(err @ PowerError::TooLargeForExact { .. }) => {
            let Some(a) = opts.approx else {
                return Err(err);
            };
            used_approx = Some(a);
            method.push(format!(
                "Monte Carlo: {} random coalitions (seed {}), 95% confidence intervals",
                a.samples, a.seed
            ));
            let est = montecarlo::banzhaf(rg.weights(), rg.quota(), a.samples, a.seed);
            let total: f64 = est.iter().map(|e| e.estimate).sum();
            if want(Index::Banzhaf) {
                for (p, e) in players.iter_mut().zip(&est) {
                    let scale = if total > 0.0 { 1.0 / total } else { 0.0 };
                    p.banzhaf_normalised = Some(Value::Estimate(Estimate {
                        estimate: e.estimate * scale,
                        ci95_low: e.ci95_low * scale,
                        ci95_high: (e.ci95_high * scale).min(1.0),
                    }));
                    p.banzhaf_absolute = Some(Value::Estimate(e.clone()));
                }
            }
            for what in ["dummies", "coleman"] {
                if what != "coleman" || want(Index::Coleman) {
                    not_computed.push(NotComputed {
                        what: what.into(),
                        reason: format!("needs exact swing counts; {err}"),
                    });
                }
            }
        }
        Err(e) => return Err(e),
    }

    if want(Index::ShapleyShubik) {
        match weighted::shapley_shubik(rg, threads) {
            Ok(v) => {
                for (p, x) in players.iter_mut().zip(v) {
                    p.shapley_shubik = Some(Value::Exact(x));
                }
                method.push(
                    "exact: Shapley-Shubik by generating function over (weight, size)".into(),
                );
            }
            Err(err @ PowerError::TooLargeForExact { .. }) => {
                let Some(a) = opts.approx else {
                    return Err(err);
                };
                used_approx = Some(a);
                method.push(format!(
                    "Monte Carlo: Shapley-Shubik from {} random orders (seed {}), 95% confidence intervals",
                    a.samples, a.seed
                ));
                let est = montecarlo::shapley_shubik(rg.weights(), rg.quota(), a.samples, a.seed);
                for (p, e) in players.iter_mut().zip(est) {
                    p.shapley_shubik = Some(Value::Estimate(e));
                }
            }
            Err(e) => return Err(e),
        }
    }

    // Indices that need minimal winning coalitions or critical players.
    let small = n <= MAX_ENUM_PLAYERS;
    if want(Index::Johnston) {
        if small {
            let sg = SimpleGame::from_weighted(rg)?;
            let e = enumerate::enumerate(&sg);
            fill_johnston(&mut players, &e.johnston);
            method.push(format!(
                "exact: Johnston by enumeration of all 2^{n} coalitions"
            ));
        } else {
            not_computed.push(NotComputed {
                what: "johnston".into(),
                reason: format!(
                    "needs every winning coalition's critical players: enumeration, only for at most {MAX_ENUM_PLAYERS} players"
                ),
            });
        }
    }
    if want(Index::DeeganPackel) || want(Index::PublicGood) {
        let count = match &mwc_count {
            Some(c) => Some(c.clone()),
            None if small => None, // walk anyway: at most C(25,12) coalitions
            None => weighted::counts(rg, true, threads).ok().and_then(|c| c.mwc),
        };
        let feasible = small
            || count
                .as_ref()
                .is_some_and(|c| *c <= BigUint::from(MWC_ENUM_CAP));
        if feasible {
            let mut tally = MwcTally::new(n);
            walk_mwc(rg, |c| {
                tally.add(c);
                true
            });
            fill_mwc_indices(&mut players, &tally, opts);
            method.push(
                "exact: Deegan-Packel / public good by listing every minimal winning coalition"
                    .into(),
            );
        } else {
            let reason = match &count {
                Some(c) => format!("the game has {c} minimal winning coalitions; listing them all is only done up to {MWC_ENUM_CAP}"),
                None => "the number of minimal winning coalitions is unknown (the game is too large to count them exactly)".into(),
            };
            for i in [Index::DeeganPackel, Index::PublicGood] {
                if want(i) {
                    not_computed.push(NotComputed {
                        what: i.name().into(),
                        reason: reason.clone(),
                    });
                }
            }
        }
    }

    let (minimal_winning, minimal_blocking) = if opts.coalitions {
        let dual = rg.dual().reduced().game;
        let dual_count = weighted::counts(&dual, true, threads)
            .ok()
            .and_then(|c| c.mwc);
        (
            Some(list_weighted(rg, mwc_count.clone(), opts.limit)),
            Some(list_weighted(&dual, dual_count, opts.limit)),
        )
    } else {
        (None, None)
    };

    not_computed.extend(coalitions_not_asked(opts));
    let dummies = if exact_swings {
        players
            .iter()
            .filter(|p| p.dummy)
            .map(|p| p.index)
            .collect()
    } else {
        Vec::new()
    };
    Ok(Analysis {
        kind: "weighted",
        n,
        quota: Some(game.quota()),
        total_weight: Some(game.total_weight()),
        reductions,
        method,
        approx: used_approx,
        winning_coalitions: winning,
        coleman_collectivity: collectivity,
        veto_players: players.iter().filter(|p| p.veto).map(|p| p.index).collect(),
        dummies,
        players,
        minimal_winning,
        minimal_blocking,
        not_computed,
    })
}

fn cell(v: &Option<Value>) -> String {
    v.as_ref().map_or_else(|| "-".into(), |v| v.short())
}

fn coalition_names(c: &[usize], players: &[PlayerPower]) -> String {
    let names: Vec<&str> = c
        .iter()
        .map(|&i| players.get(i).map_or("?", |p| p.name.as_str()))
        .collect();
    format!("{{{}}}", names.join(", "))
}

impl fmt::Display for Analysis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.quota, self.total_weight) {
            (Some(q), Some(w)) => writeln!(
                f,
                "weighted game: {} player{}, quota {q} of total weight {w}",
                self.n,
                if self.n == 1 { "" } else { "s" }
            )?,
            _ => writeln!(
                f,
                "simple game: {} player{}",
                self.n,
                if self.n == 1 { "" } else { "s" }
            )?,
        }
        for r in &self.reductions {
            writeln!(f, "reduction: {r}")?;
        }
        for m in &self.method {
            writeln!(f, "method: {m}")?;
        }
        if let Some(w) = &self.winning_coalitions {
            writeln!(f, "winning coalitions: {w} of 2^{}", self.n)?;
        }
        if let Some(c) = &self.coleman_collectivity {
            writeln!(f, "Coleman power of the collectivity to act: {c}")?;
        }
        writeln!(f)?;
        type Col = (&'static str, fn(&PlayerPower) -> String);
        let cols: [Col; 11] = [
            ("weight", |p| p.weight.map_or("-".into(), |w| w.to_string())),
            ("swings", |p| {
                p.swings.as_ref().map_or("-".into(), |s| s.to_string())
            }),
            ("banzhaf", |p| cell(&p.banzhaf_absolute)),
            ("banzhaf-norm", |p| cell(&p.banzhaf_normalised)),
            ("shapley-shubik", |p| cell(&p.shapley_shubik)),
            ("deegan-packel", |p| cell(&p.deegan_packel)),
            ("johnston", |p| cell(&p.johnston)),
            ("public-good", |p| cell(&p.public_good)),
            ("coleman-prevent", |p| cell(&p.coleman_prevent)),
            ("coleman-initiate", |p| cell(&p.coleman_initiate)),
            ("", |p| {
                let mut t = Vec::new();
                if p.veto {
                    t.push("veto");
                }
                if p.dummy {
                    t.push("dummy");
                }
                t.join(" ")
            }),
        ];
        // Keep only columns with something in them.
        let cols: Vec<&Col> = cols
            .iter()
            .filter(|(_, get)| {
                self.players
                    .iter()
                    .any(|p| !matches!(get(p).as_str(), "-" | ""))
            })
            .collect();
        let mut rows: Vec<Vec<String>> = vec![
            std::iter::once("player".to_string())
                .chain(cols.iter().map(|(h, _)| h.to_string()))
                .collect(),
        ];
        for p in &self.players {
            rows.push(
                std::iter::once(p.name.clone())
                    .chain(cols.iter().map(|(_, get)| get(p)))
                    .collect(),
            );
        }
        let widths: Vec<usize> = (0..rows[0].len())
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for r in &rows {
            let line: Vec<String> = r
                .iter()
                .zip(&widths)
                .map(|(s, w)| format!("{s:<w$}"))
                .collect();
            writeln!(f, "{}", line.join("  ").trim_end())?;
        }
        // Exact rationals, when short enough to read.
        let mut exact_lines = Vec::new();
        for p in &self.players {
            let fields = [
                ("banzhaf", &p.banzhaf_absolute),
                ("banzhaf-norm", &p.banzhaf_normalised),
                ("shapley-shubik", &p.shapley_shubik),
                ("deegan-packel", &p.deegan_packel),
                ("johnston", &p.johnston),
                ("public-good", &p.public_good),
                ("coleman-prevent", &p.coleman_prevent),
                ("coleman-initiate", &p.coleman_initiate),
            ];
            let parts: Vec<String> = fields
                .iter()
                .filter_map(|(k, v)| {
                    let r = v.as_ref()?.exact()?.rational();
                    (r.len() <= 40).then(|| format!("{k} {r}"))
                })
                .collect();
            if !parts.is_empty() {
                exact_lines.push(format!("  {}: {}", p.name, parts.join(", ")));
            }
        }
        if !exact_lines.is_empty() {
            writeln!(
                f,
                "\nexact values (rationals up to 40 characters; all are in --format json):"
            )?;
            for l in exact_lines {
                writeln!(f, "{l}")?;
            }
        }
        for (title, list) in [
            ("minimal winning coalitions", &self.minimal_winning),
            ("minimal blocking coalitions", &self.minimal_blocking),
        ] {
            if let Some(l) = list {
                let count = l.count.as_ref().map_or("unknown".into(), |c| c.to_string());
                writeln!(f, "\n{title}: {count}")?;
                for c in &l.listed {
                    writeln!(f, "  {}", coalition_names(c, &self.players))?;
                }
                if l.truncated {
                    writeln!(f, "  … (first {} shown)", l.listed.len())?;
                }
            }
        }
        let names = |v: &[usize]| -> String {
            if v.is_empty() {
                "none".into()
            } else {
                v.iter()
                    .map(|&i| self.players.get(i).map_or("?", |p| p.name.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        writeln!(f, "\nveto players: {}", names(&self.veto_players))?;
        writeln!(f, "dummies: {}", names(&self.dummies))?;
        for nc in &self.not_computed {
            writeln!(f, "not computed: {}: {}", nc.what, nc.reason)?;
        }
        Ok(())
    }
}
