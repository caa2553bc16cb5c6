//! The Spark SQL of each round, as text: pure, so that it can be read and
//! tested without a cluster.
//!
//! # Bundles
//!
//! A *bundle* `(x, y, oa, ca)` sums the paths from `x` to `y` of one class:
//! `oa` when every hop is ownership, `ca` when every hop confers control.
//! It carries the number of paths (`cnt`, saturating at `u32::MAX` as the
//! local engine's counts do, `sat`), the sum of their shares as an exact
//! range (`lo`, `hi`, open bounds, `unk`nown, `rnd`: a product needed
//! rounding past 28 places), the shortest and longest path (`mn`, `mx`),
//! and whether one runs through a cycle (`via`). Paths of every class are
//! kept apart, so that a hop that ends one kind of path ends only that
//! kind: the sums are then exact per path, as the local engine's lists are.
//!
//! # Path doubling
//!
//! `d_k` holds the bundles of paths of exactly `2^k` hops, `t_k` those of
//! fewer than `2^k` hops that end at a node where some kind of path ends
//! (an ultimate party: see [`crate`]). Then
//!
//! ```text
//! t_{k+1} = t_k ⊕ d_k ⊗ t_k      (paths of 2^k to 2^{k+1} - 1 hops, added)
//! d_{k+1} = d_k ⊗ d_k
//! ```
//!
//! and the last `t` is every node's list once `d` is empty: a number of
//! rounds logarithmic in the longest chain. Each round is written out
//! (Parquet) and read back, so that no plan grows with the rounds.
//!
//! # Upper bounds
//!
//! The local engine caps a sum of shares at the whole (`[0%, 100%]` for two
//! unknown holdings, not 200%) at every node, and a product does not
//! distribute over that cap. Doubling sums paths, so its upper bounds are
//! true but may be looser where a cap bound on the way. The *relaxation*
//! rounds recompute, from each party's final list, the upper bound of
//! every pair downstream of a node where a cap bound, until nothing
//! changes: the result is the local engine's, in as many extra rounds as
//! the longest chain below such a node.

/// Paths counted beyond this saturate, as `u32` counts do locally.
pub const MAX_COUNT: &str = "4294967295";

/// The decimal type of shares: 28 places, as the local engine's decimals.
pub const SHARE: &str = "DECIMAL(32,28)";

/// The columns of a bundle, in order.
pub const BUNDLE: &str =
    "x, y, oa, ca, cnt, sat, lo, hi, lo_open, hi_open, unk, rnd, lo_s, hi_s, mn, mx, via";

/// Bundles of one hop: the live edges, by class.
pub fn first_hops(edges: &str) -> String {
    aggregate(&format!(
        "SELECT c AS x, p AS y, own AS oa, ctrl AS ca, CAST(1 AS BIGINT) AS cnt, false AS sat, \
         lo, hi, lo_open, hi_open, unk, rnd, lo_s, hi_s, 1 AS mn, 1 AS mx, false AS via \
         FROM {edges}"
    ))
}

/// The path of no hops from each node where some kind of path ends, to
/// itself.
pub fn own_entries(nodes: &str) -> String {
    format!(
        "SELECT n AS x, n AS y, true AS oa, true AS ca, CAST(1 AS BIGINT) AS cnt, false AS sat, \
         CAST(1 AS {SHARE}) AS lo, CAST(1 AS {SHARE}) AS hi, false AS lo_open, false AS hi_open, \
         false AS unk, false AS rnd, 0 AS lo_s, 0 AS hi_s, 0 AS mn, 0 AS mx, false AS via \
         FROM {nodes} WHERE NOT (own_p AND ctrl_p AND any_p)"
    )
}

/// Sums the bundles of `source` by pair and class.
pub fn aggregate(source: &str) -> String {
    format!(
        "SELECT x, y, oa, ca, \
         CAST(LEAST(SUM(cnt), {MAX_COUNT}) AS BIGINT) AS cnt, \
         BOOL_OR(sat) OR SUM(cnt) > {MAX_COUNT} AS sat, \
         CAST(SUM(lo) AS {SHARE}) AS lo, \
         CAST(LEAST(SUM(hi), 1000) AS {SHARE}) AS hi, \
         BOOL_OR(lo_open) AS lo_open, BOOL_OR(hi_open) AS hi_open, \
         BOOL_OR(unk) AS unk, BOOL_OR(rnd) AS rnd, \
         MAX(lo_s) AS lo_s, MAX(hi_s) AS hi_s, \
         MIN(mn) AS mn, MAX(mx) AS mx, BOOL_OR(via) AS via \
         FROM ({source}) GROUP BY x, y, oa, ca"
    )
}

/// Paths of `a` followed by paths of `b` (`a.y = b.x`), unsummed. A
/// share is carried by ownership paths alone (zero for the rest, as
/// locally); the product of two open or unknown ranges follows
/// `ShareRange::mul`, and so do the scales: they add up (a factor of
/// exactly one leaves the other as it is), and past 28 places the product
/// is rounded and says so.
pub fn compose(a: &str, b: &str) -> String {
    let both = "(a.oa AND b.oa)";
    let one = |t: &str| {
        format!(
            "({t}.lo = 1 AND {t}.hi = 1 AND NOT {t}.lo_open AND NOT {t}.hi_open \
             AND NOT {t}.unk AND NOT {t}.rnd)"
        )
    };
    let (one_a, one_b) = (one("a"), one("b"));
    let scale = |s: &str| {
        format!(
            "CASE WHEN NOT {both} THEN 0 WHEN {one_a} THEN b.{s} WHEN {one_b} THEN a.{s} \
             ELSE LEAST(a.{s} + b.{s}, 28) END"
        )
    };
    let rounds = |v: &str, s: &str| format!("(a.{s} + b.{s} > 28 AND a.{v} * b.{v} != 0)");
    let dec = |e: &str| format!("CAST({e} AS DECIMAL(20,0))");
    let product = format!("{} * {}", dec("a.cnt"), dec("b.cnt"));
    format!(
        "SELECT a.x AS x, b.y AS y, a.oa AND b.oa AS oa, a.ca AND b.ca AS ca, \
         CAST(LEAST({product}, {MAX_COUNT}) AS BIGINT) AS cnt, \
         a.sat OR b.sat OR {product} > {MAX_COUNT} AS sat, \
         CAST(CASE WHEN {both} THEN a.lo * b.lo ELSE 0 END AS {SHARE}) AS lo, \
         CAST(CASE WHEN {both} THEN LEAST(a.hi * b.hi, 1000) ELSE 0 END AS {SHARE}) AS hi, \
         {both} AND ((a.lo_open AND b.lo != 0) OR (b.lo_open AND a.lo != 0)) AS lo_open, \
         {both} AND (a.hi_open OR b.hi_open) AS hi_open, \
         {both} AND (a.unk OR b.unk) AS unk, \
         {both} AND (a.rnd OR b.rnd OR (NOT {one_a} AND NOT {one_b} \
           AND ({lo_rounds} OR {hi_rounds}))) AS rnd, \
         {lo_s} AS lo_s, {hi_s} AS hi_s, \
         a.mn + b.mn AS mn, a.mx + b.mx AS mx, a.via OR b.via AS via \
         FROM {a} a JOIN {b} b ON a.y = b.x",
        lo_rounds = rounds("lo", "lo_s"),
        hi_rounds = rounds("hi", "hi_s"),
        lo_s = scale("lo_s"),
        hi_s = scale("hi_s"),
    )
}

/// The bundles of `source` that still count for something at their end
/// `y`: an ownership path at a node with no ownership parties, a control
/// path at one with no controlling parties, any path at the top.
pub fn kept(source: &str, nodes: &str) -> String {
    format!(
        "SELECT s.* FROM ({source}) s JOIN {nodes} u ON s.y = u.n \
         WHERE (s.oa AND NOT u.own_p) OR (s.ca AND NOT u.ctrl_p) OR NOT u.any_p"
    )
}

/// `t_{k+1}` from `d_k` and `t_k`.
pub fn next_lists(d: &str, t: &str, nodes: &str) -> String {
    aggregate(&format!(
        "SELECT {BUNDLE} FROM {t} UNION ALL SELECT {BUNDLE} FROM ({kept})",
        kept = kept(&compose(d, t), nodes)
    ))
}

/// `d_{k+1}` from `d_k`.
pub fn next_hops(d: &str) -> String {
    aggregate(&compose(d, d))
}

/// Each node's list, one row per ultimate party: the classes summed into
/// path counts of each kind, the share of the ownership paths (its upper
/// bound capped at the whole, `capped` when that bound), depths and flags.
/// Self entries (`x = u`, no hops) stay: the relaxation reads them.
pub fn lists(t: &str, nodes: &str) -> String {
    let owned = "(t.oa AND NOT u.own_p)";
    let count = |cond: &str| format!("SUM(CASE WHEN {cond} THEN t.cnt ELSE 0 END)");
    let sat = |cond: &str| format!("{} > {MAX_COUNT}", count(cond));
    let own = count(owned);
    let ctrl = count("(t.ca AND NOT u.ctrl_p)");
    let any = count("NOT u.any_p");
    let lo = format!("SUM(CASE WHEN {owned} THEN t.lo ELSE 0 END)");
    let hi = format!("SUM(CASE WHEN {owned} THEN t.hi ELSE 0 END)");
    let flag = |f: &str| format!("BOOL_OR({owned} AND t.{f})");
    format!(
        "SELECT x, u, op, cp, ap, lo, \
         CAST(LEAST(hi_sum, GREATEST(1, lo)) AS {SHARE}) AS hi, \
         lo_open, hi_open AND NOT hi_sum > GREATEST(1, lo) AS hi_open, \
         hi_sum > GREATEST(1, lo) AS capped, unk, rnd, lo_s, \
         {capped_scale} AS hi_s, mn, mx, via, sat FROM ( \
         SELECT t.x AS x, t.y AS u, \
         CAST(LEAST({own}, {MAX_COUNT}) AS BIGINT) AS op, \
         CAST(LEAST({ctrl}, {MAX_COUNT}) AS BIGINT) AS cp, \
         CAST(LEAST({any}, {MAX_COUNT}) AS BIGINT) AS ap, \
         CAST({lo} AS {SHARE}) AS lo, {hi} AS hi_sum, \
         {lo_open} AS lo_open, {hi_open} AS hi_open, {unk} AS unk, {rnd} AS rnd, \
         MAX(CASE WHEN {owned} THEN t.lo_s ELSE 0 END) AS lo_s, \
         MAX(CASE WHEN {owned} THEN t.hi_s ELSE 0 END) AS hi_s_sum, \
         MIN(t.mn) AS mn, MAX(t.mx) AS mx, BOOL_OR(t.via) AS via, \
         BOOL_OR(t.sat) OR {sat_own} OR {sat_ctrl} OR {sat_any} AS sat \
         FROM {t} t JOIN {nodes} u ON t.y = u.n GROUP BY t.x, t.y)",
        lo_open = flag("lo_open"),
        hi_open = flag("hi_open"),
        unk = flag("unk"),
        rnd = flag("rnd"),
        sat_own = sat(owned),
        sat_ctrl = sat("(t.ca AND NOT u.ctrl_p)"),
        sat_any = sat("NOT u.any_p"),
        capped_scale = capped_scale("hi_s_sum"),
    )
}

/// The scale of an upper bound `hi_sum` once capped: the cap is the whole
/// (`1`, no places) or the lower bound where that is above it, as
/// `ShareRange::add` caps.
fn capped_scale(hi_s: &str) -> String {
    format!(
        "CASE WHEN hi_sum > GREATEST(1, lo) THEN (CASE WHEN lo > 1 THEN lo_s ELSE 0 END) \
         ELSE {hi_s} END"
    )
}

/// One relaxation round: the upper bound of each pair `(x, u)` with an
/// ownership path, whose party `p` on some ownership hop from `x` has
/// `(p, u)` in `changed`, recomputed as the local engine computes it: the
/// sum over the hops of the hop's upper bound times `p`'s, capped at the
/// whole (or at the lower bound, where the stated shares add up to more),
/// with its scale and whether a product on the way was rounded.
/// Rows: `x, u, hi, hi_open, capped, hi_s, rnd`.
pub fn relax(lists: &str, edges: &str, changed: &str) -> String {
    let one = |t: &str| {
        format!(
            "({t}.lo = 1 AND {t}.hi = 1 AND NOT {t}.lo_open AND NOT {t}.hi_open \
             AND NOT {t}.unk AND NOT {t}.rnd)"
        )
    };
    let (one_e, one_p) = (one("e"), one("p"));
    let rounds = |v: &str, s: &str| format!("(e.{s} + p.{s} > 28 AND e.{v} * p.{v} != 0)");
    format!(
        "SELECT x, u, CAST(LEAST(hi_sum, GREATEST(1, lo)) AS {SHARE}) AS hi, \
         hi_open AND NOT hi_sum > GREATEST(1, lo) AS hi_open, \
         hi_sum > GREATEST(1, lo) AS capped, {capped_scale} AS hi_s, rnd FROM ( \
         SELECT s.x AS x, s.u AS u, MAX(s.lo) AS lo, MAX(s.lo_s) AS lo_s, \
         SUM(LEAST(e.hi * p.hi, 1000)) AS hi_sum, \
         BOOL_OR(e.hi_open OR p.hi_open) AS hi_open, \
         MAX(CASE WHEN {one_e} THEN p.hi_s WHEN {one_p} THEN e.hi_s \
             ELSE LEAST(e.hi_s + p.hi_s, 28) END) AS hi_s, \
         BOOL_OR(e.rnd OR p.rnd OR (NOT {one_e} AND NOT {one_p} \
             AND ({lo_rounds} OR {hi_rounds}))) AS rnd \
         FROM (SELECT DISTINCT e.c AS x, ch.u AS u FROM {changed} ch \
               JOIN {edges} e ON e.p = ch.x AND e.own) w \
         JOIN {lists} s ON s.x = w.x AND s.u = w.u AND s.op > 0 AND s.x != s.u \
         JOIN {edges} e ON e.c = s.x AND e.own \
         JOIN {lists} p ON p.x = e.p AND p.u = s.u AND p.op > 0 \
         GROUP BY s.x, s.u)",
        capped_scale = capped_scale("hi_s"),
        lo_rounds = rounds("lo", "lo_s"),
        hi_rounds = rounds("hi", "hi_s"),
    )
}

/// The pairs whose upper bound a relaxation round changed.
pub fn changes(relaxed: &str, lists: &str) -> String {
    format!(
        "SELECT r.x AS x, r.u AS u FROM {relaxed} r JOIN {lists} s ON s.x = r.x AND s.u = r.u \
         WHERE r.hi != s.hi OR r.hi_open != s.hi_open OR r.hi_s != s.hi_s OR r.rnd != s.rnd"
    )
}

/// The lists with a relaxation round's upper bounds in place.
pub fn relaxed_lists(lists: &str, relaxed: &str) -> String {
    format!(
        "SELECT s.x, s.u, s.op, s.cp, s.ap, s.lo, COALESCE(r.hi, s.hi) AS hi, s.lo_open, \
         COALESCE(r.hi_open, s.hi_open) AS hi_open, COALESCE(r.capped, s.capped) AS capped, \
         s.unk, COALESCE(r.rnd, s.rnd) AS rnd, s.lo_s, COALESCE(r.hi_s, s.hi_s) AS hi_s, \
         s.mn, s.mx, s.via, s.sat \
         FROM {lists} s LEFT JOIN {relaxed} r ON s.x = r.x AND s.u = r.u"
    )
}

/// A decimal fraction as a normalised percentage (`0.125` is `12.5`).
fn percent(e: &str) -> String {
    let s = format!("CAST(CAST({e} * CAST(100 AS DECIMAL(3,0)) AS DECIMAL(38,26)) AS STRING)");
    format!(
        "CASE WHEN {s} LIKE '%.%' THEN regexp_replace(regexp_replace({s}, '0+$', ''), '[.]$', '') \
         ELSE {s} END"
    )
}

/// The rows the local engine writes (`write_ultimates`), one per entity
/// and ultimate party, with the same columns and the same text of shares
/// (`60%`, `(12.5%, 25%]`, `unknown [0%, 100%]`, `≈…` when rounded).
pub fn rows(lists: &str, nodes: &str) -> String {
    let (lo, hi) = (percent("s.lo"), percent("s.hi"));
    let exact = "(NOT s.unk AND s.lo = s.hi AND NOT s.lo_open AND NOT s.hi_open)";
    format!(
        "SELECT e.rid AS entity_id, e.name AS entity_name, p.rid AS party_id, \
         p.name AS party_name, p.kind AS party_kind, p.reason AS party_reason, \
         s.op > 0 AS ownership, \
         CASE WHEN s.op = 0 THEN NULL ELSE concat( \
           CASE WHEN s.unk THEN 'unknown ' ELSE '' END, \
           CASE WHEN s.rnd AND s.hi < 0.00000000000000000001 \
                THEN 'under 0.000000000000000001%' \
           ELSE concat(CASE WHEN s.rnd THEN '≈' ELSE '' END, \
             CASE WHEN {exact} THEN concat({lo}, '%') \
             ELSE concat(CASE WHEN s.lo_open THEN '(' ELSE '[' END, {lo}, '%, ', {hi}, '%', \
                         CASE WHEN s.hi_open THEN ')' ELSE ']' END) END) END) END AS share, \
         CASE WHEN s.op = 0 THEN NULL ELSE {lo} END AS share_min_pct, \
         CASE WHEN s.op = 0 THEN NULL ELSE {hi} END AS share_max_pct, \
         s.op > 0 AND s.lo_open AS share_min_exclusive, \
         s.op > 0 AND s.hi_open AS share_max_exclusive, \
         s.op > 0 AND s.unk AS share_unknown, \
         s.cp > 0 AS control, s.ap > 0 AS top, \
         s.op AS ownership_paths, s.cp AS control_paths, s.ap AS any_paths, \
         s.mn AS min_depth, s.mx AS max_depth, s.via AS via_cycle, \
         s.sat AS paths_saturated, false AS bounded \
         FROM {lists} s JOIN {nodes} e ON s.x = e.n JOIN {nodes} p ON s.u = p.n \
         WHERE e.entity AND s.x != s.u"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every statement names the columns it is later read by, and
    /// parenthesises what it nests (a cheap check that a typo in one
    /// format string does not reach a cluster).
    #[test]
    fn the_statements_are_balanced_and_name_their_columns() {
        let all = [
            first_hops("edges"),
            own_entries("nodes"),
            next_lists("d0", "t0", "nodes"),
            next_hops("d0"),
            lists("t3", "nodes"),
            relax("s", "edges", "ch"),
            changes("r", "s"),
            relaxed_lists("s", "r"),
            rows("s", "nodes"),
        ];
        for sql in &all {
            let open = sql.matches('(').count();
            let close = sql.matches(')').count();
            assert_eq!(open, close, "unbalanced: {sql}");
        }
        for c in BUNDLE.split(", ") {
            assert!(all[2].contains(&format!("AS {c}")), "{c}");
        }
        assert!(rows("s", "nodes").contains("AS paths_saturated"));
    }
}
