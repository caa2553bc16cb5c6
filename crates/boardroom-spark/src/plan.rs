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
//! unknown holdings, not 200%) at each node where two entries or more for
//! one party add up, and a product does not distribute over that cap.
//! Doubling sums paths, so its upper bounds are true but may be looser
//! where a cap bound on the way. The *relaxation* rounds recompute, from
//! each node's hops and its parties' final lists, the upper bound of every
//! pair whose path sum is above the cap, then of the pairs of the nodes
//! that hold those, until nothing changes: the result is the local
//! engine's, in as many extra rounds as the longest chain of holdings that
//! leads to such a node (linear, not logarithmic, in that chain).

/// Paths counted beyond this saturate, as `u32` counts do locally.
pub const MAX_COUNT: &str = "4294967295";

/// The decimal type of shares: 28 places, as the local engine's decimals.
pub const SHARE: &str = "DECIMAL(32,28)";

/// The columns of a bundle, in order.
pub const BUNDLE: &str = "x, y, oa, ca, cnt, sat, lo, hi, lo_open, hi_open, unk, rnd, st, lo_s, hi_s, lo_z, hi_z, \
     mn, mx, via";

/// Bundles of one hop: the live edges from nodes outside cycles, by
/// class (a path through a member of a cycle runs through it), and the
/// bundles `exits` of the paths from each member of a cycle to the first
/// party outside it.
pub fn first_hops(edges: &str, members: &str, exits: &str) -> String {
    aggregate(&format!(
        "SELECT e.c AS x, e.p AS y, e.own AS oa, e.ctrl AS ca, CAST(1 AS BIGINT) AS cnt, \
         false AS sat, e.lo, e.hi, e.lo_open, e.hi_open, e.unk, e.rnd, e.rnd AS st, \
         e.lo_s, e.hi_s, e.lo_s AS lo_z, e.hi_s AS hi_z, 1 AS mn, 1 AS mx, \
         m.n IS NOT NULL AS via \
         FROM {edges} e LEFT JOIN {members} m ON m.n = e.p \
         LEFT JOIN {members} s ON s.n = e.c WHERE s.n IS NULL \
         UNION ALL SELECT {BUNDLE} FROM {exits}"
    ))
}

/// Pairs `(x, y)` where `y` is reachable from `x` in one hop, among the
/// nodes that are both a subject and a party (no other node is on a
/// cycle).
pub fn reach_first(edges: &str) -> String {
    format!(
        "SELECT DISTINCT e.c AS x, e.p AS y FROM {edges} e \
         LEFT SEMI JOIN (SELECT DISTINCT p FROM {edges}) a ON a.p = e.c \
         LEFT SEMI JOIN (SELECT DISTINCT c FROM {edges}) b ON b.c = e.p"
    )
}

/// Reachability doubled: the pairs of `r`, and of `r` twice.
pub fn reach_next(r: &str) -> String {
    format!(
        "SELECT DISTINCT x, y FROM (SELECT x, y FROM {r} UNION ALL \
         SELECT a.x AS x, b.y AS y FROM {r} a JOIN {r} b ON a.y = b.x)"
    )
}

/// The members of cycles (nodes that reach themselves), each with its
/// strongly connected component, named by its least member.
pub fn members(r: &str) -> String {
    format!(
        "SELECT a.x AS n, MIN(a.y) AS comp FROM {r} a JOIN {r} b ON a.x = b.y AND a.y = b.x \
         GROUP BY a.x"
    )
}

/// The frontier of simple paths inside cycles: at first, each member on
/// its own.
pub fn frontier_start(members: &str) -> String {
    format!(
        "SELECT n AS v, n AS cur, array(n) AS path, true AS oa, true AS ca, \
         CAST(1 AS {SHARE}) AS lo, CAST(1 AS {SHARE}) AS hi, false AS lo_open, false AS hi_open, \
         false AS unk, false AS st, 0 AS lo_s, 0 AS hi_s, 0 AS depth FROM {members}"
    )
}

/// One hop from each path of the frontier `f`: to a party inside the
/// cycle not yet on the path (`inside`, the path goes on), to one on it
/// (`revisit`, the path is cut there), or to a party outside (the path
/// leaves the cycle), with the share of the path so far times the hop's.
pub fn step(f: &str, edges: &str, members: &str) -> String {
    format!(
        "SELECT f.v AS v, e.p AS nxt, f.path AS path, f.oa AND e.own AS oa, \
         f.ca AND e.ctrl AS ca, {shares}, f.depth + 1 AS depth, fm.comp AS comp, \
         COALESCE(m.comp = fm.comp, false) AS inside, array_contains(f.path, e.p) AS revisit \
         FROM {f} f JOIN {edges} e ON e.c = f.cur JOIN {members} fm ON fm.n = f.v \
         LEFT JOIN {members} m ON m.n = e.p",
        shares = prefix_product("f", "e", "(f.oa AND e.own)"),
    )
}

/// The paths of a step that go on inside the cycle.
pub fn frontier_next(step: &str) -> String {
    format!(
        "SELECT v, nxt AS cur, array_append(path, nxt) AS path, oa, ca, lo, hi, lo_open, \
         hi_open, unk, st, lo_s, hi_s, depth FROM {step} WHERE inside AND NOT revisit"
    )
}

/// The bundles of a step's paths: those that leave the cycle (`exits`,
/// continued by their party's list), or those that end inside it at a
/// node where some kind of path ends (`ends`).
pub fn step_bundles(step: &str, nodes: &str, exits: bool) -> String {
    let (which, kept) = if exits {
        ("NOT s.inside", "true".to_owned())
    } else {
        (
            "s.inside AND NOT s.revisit",
            "((s.oa AND NOT u.own_p) OR (s.ca AND NOT u.ctrl_p) OR NOT u.any_p)".to_owned(),
        )
    };
    format!(
        "SELECT s.v AS x, s.nxt AS y, s.oa, s.ca, CAST(1 AS BIGINT) AS cnt, false AS sat, \
         s.lo, s.hi, s.lo_open, s.hi_open, s.unk, s.st AS rnd, s.st, s.lo_s, s.hi_s, \
         s.lo_s AS lo_z, s.hi_s AS hi_z, s.depth AS mn, \
         s.depth AS mx, true AS via FROM {step} s JOIN {nodes} u ON u.n = s.nxt \
         WHERE {which} AND {kept}"
    )
}

/// The hops of the relaxation: ownership edges from nodes outside cycles,
/// and the ownership paths from each member of a cycle that leave it
/// (`stop` false: continued by the party's list) or end inside it (`stop`
/// true: only the end's own entry).
pub fn hops(edges: &str, members: &str, exits: &str, ends: &str) -> String {
    let cols = "cnt, lo, hi, lo_open, hi_open, unk, st, lo_s, hi_s, lo_z, hi_z";
    format!(
        "SELECT e.c, e.p, false AS stop, CAST(1 AS BIGINT) AS cnt, lo, hi, lo_open, hi_open, \
         unk, rnd AS st, lo_s, hi_s, lo_s AS lo_z, hi_s AS hi_z FROM {edges} e \
         LEFT ANTI JOIN {members} m ON m.n = e.c WHERE e.own \
         UNION ALL SELECT x AS c, y AS p, false AS stop, {cols} FROM {exits} WHERE oa \
         UNION ALL SELECT x AS c, y AS p, true AS stop, {cols} FROM {ends} WHERE oa"
    )
}

/// The path of no hops from each node where some kind of path ends, to
/// itself.
pub fn own_entries(nodes: &str) -> String {
    format!(
        "SELECT n AS x, n AS y, true AS oa, true AS ca, CAST(1 AS BIGINT) AS cnt, false AS sat, \
         CAST(1 AS {SHARE}) AS lo, CAST(1 AS {SHARE}) AS hi, false AS lo_open, false AS hi_open, \
         false AS unk, false AS rnd, false AS st, 0 AS lo_s, 0 AS hi_s, 0 AS lo_z, 0 AS hi_z, \
         0 AS mn, 0 AS mx, false AS via \
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
         BOOL_OR(unk) AS unk, BOOL_OR(rnd) AS rnd, BOOL_OR(st) AS st, \
         MAX(lo_s) AS lo_s, MAX(hi_s) AS hi_s, MAX(lo_z) AS lo_z, MAX(hi_z) AS hi_z, \
         MIN(mn) AS mn, MAX(mx) AS mx, BOOL_OR(via) AS via \
         FROM ({source}) GROUP BY x, y, oa, ca"
    )
}

/// The share columns of `a`'s share times `b`'s, for rows where `both`
/// (the path is ownership throughout; zero for the rest, as locally).
/// `a` is the part of the path nearer its start, `b` the part nearer the
/// ultimate party. The product of two open or unknown ranges follows
/// `ShareRange::mul`.
///
/// The local engine multiplies from the top down (a node's list is its
/// hop times its party's list), so a product is rounded, and says so
/// (`rnd`), when a part of the path that ends at the top and whose
/// product is not zero needs more than 28 places. So that any grouping
/// gives that flag: `lo_s`, `hi_s` are the places of a bound's product
/// (none when zero: `rust_decimal` returns a plain zero); `lo_z`, `hi_z`
/// those of the factors after the last zero, nearest the top; `st` a
/// flag set by a product of `a`'s own that stays whatever follows (the
/// simple paths through a cycle are multiplied from their start, as
/// locally).
fn product(a: &str, b: &str, both: &str) -> String {
    let scale = |v: &str, s: &str| {
        format!(
            "CASE WHEN NOT {both} OR {a}.{v} * {b}.{v} = 0 THEN 0 \
             ELSE LEAST({a}.{s} + {b}.{s}, 28) END"
        )
    };
    let tail = |v: &str, s: &str, z: &str| {
        format!(
            "CASE WHEN NOT {both} THEN 0 ELSE GREATEST({b}.{z}, \
             CASE WHEN {b}.{v} != 0 THEN LEAST({a}.{z} + {b}.{s}, 29) ELSE 0 END) END"
        )
    };
    let rounds = |v: &str, s: &str, z: &str| format!("({b}.{v} != 0 AND {a}.{z} + {b}.{s} > 28)");
    format!(
        "{values}, {both} AND ({b}.rnd OR {a}.st OR {lo_rounds} OR {hi_rounds}) AS rnd, \
         {both} AND ({a}.st OR {b}.st) AS st, \
         {lo_s} AS lo_s, {hi_s} AS hi_s, {lo_z} AS lo_z, {hi_z} AS hi_z",
        values = values(a, b, both),
        lo_rounds = rounds("lo", "lo_s", "lo_z"),
        hi_rounds = rounds("hi", "hi_s", "hi_z"),
        lo_s = scale("lo", "lo_s"),
        hi_s = scale("hi", "hi_s"),
        lo_z = tail("lo", "lo_s", "lo_z"),
        hi_z = tail("hi", "hi_s", "hi_z"),
    )
}

/// The bounds, open bounds and unknown flag of `a`'s share times `b`'s.
fn values(a: &str, b: &str, both: &str) -> String {
    format!(
        "CAST(CASE WHEN {both} THEN {a}.lo * {b}.lo ELSE 0 END AS {SHARE}) AS lo, \
         CAST(CASE WHEN {both} THEN LEAST({a}.hi * {b}.hi, 1000) ELSE 0 END AS {SHARE}) AS hi, \
         {both} AND (({a}.lo_open AND {b}.lo != 0) OR ({b}.lo_open AND {a}.lo != 0)) AS lo_open, \
         {both} AND ({a}.hi_open OR {b}.hi_open) AS hi_open, \
         {both} AND ({a}.unk OR {b}.unk) AS unk"
    )
}

/// The share of a simple path through a cycle so far (`f`) times its next
/// hop (`e`), multiplied from the start as the local engine does there:
/// a product needing more than 28 places sets `st`, which stays.
fn prefix_product(f: &str, e: &str, both: &str) -> String {
    let scale = |v: &str, s: &str| {
        format!(
            "CASE WHEN NOT {both} OR {f}.{v} * {e}.{v} = 0 THEN 0 \
             ELSE LEAST({f}.{s} + {e}.{s}, 28) END"
        )
    };
    let rounds = |v: &str, s: &str| format!("({f}.{v} * {e}.{v} != 0 AND {f}.{s} + {e}.{s} > 28)");
    format!(
        "{values}, {both} AND ({f}.st OR {e}.rnd OR {lo_rounds} OR {hi_rounds}) AS st, \
         {lo_s} AS lo_s, {hi_s} AS hi_s",
        values = values(f, e, both),
        lo_rounds = rounds("lo", "lo_s"),
        hi_rounds = rounds("hi", "hi_s"),
        lo_s = scale("lo", "lo_s"),
        hi_s = scale("hi", "hi_s"),
    )
}

/// Paths of `a` followed by paths of `b` (`a.y = b.x`), unsummed.
pub fn compose(a: &str, b: &str) -> String {
    let dec = |e: &str| format!("CAST({e} AS DECIMAL(20,0))");
    let count = format!("{} * {}", dec("a.cnt"), dec("b.cnt"));
    format!(
        "SELECT a.x AS x, b.y AS y, a.oa AND b.oa AS oa, a.ca AND b.ca AS ca, \
         CAST(LEAST({count}, {MAX_COUNT}) AS BIGINT) AS cnt, \
         a.sat OR b.sat OR {count} > {MAX_COUNT} AS sat, {shares}, \
         a.mn + b.mn AS mn, a.mx + b.mx AS mx, a.via OR b.via AS via \
         FROM {a} a JOIN {b} b ON a.y = b.x",
        shares = product("a", "b", "(a.oa AND b.oa)"),
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
/// path counts of each kind, the share of the ownership paths, depths and
/// flags. The upper bound is the sum over paths; `over` where it is above
/// the whole (or the lower bound, where that is above the whole), so that
/// the local engine may have capped it (see [`relax`]). Self entries
/// (`x = u`, no hops) stay: the relaxation reads them.
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
        "SELECT x, u, op, cp, ap, lo, CAST(LEAST(hi_sum, 1000) AS {SHARE}) AS hi, \
         lo_open, hi_open, hi_sum > GREATEST(1, lo) AS over, unk, rnd, lo_s, \
         hi_s, mn, mx, via, sat FROM ( \
         SELECT t.x AS x, t.y AS u, \
         CAST(LEAST({own}, {MAX_COUNT}) AS BIGINT) AS op, \
         CAST(LEAST({ctrl}, {MAX_COUNT}) AS BIGINT) AS cp, \
         CAST(LEAST({any}, {MAX_COUNT}) AS BIGINT) AS ap, \
         CAST({lo} AS {SHARE}) AS lo, {hi} AS hi_sum, \
         {lo_open} AS lo_open, {hi_open} AS hi_open, {unk} AS unk, {rnd} AS rnd, \
         MAX(CASE WHEN {owned} THEN t.lo_s ELSE 0 END) AS lo_s, \
         MAX(CASE WHEN {owned} THEN t.hi_s ELSE 0 END) AS hi_s, \
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
    )
}

/// The scale of an upper bound once capped: the cap is the whole (`1`, no
/// places) or the lower bound where that is above it, as `ShareRange::add`
/// caps.
fn capped_scale(hi_s: &str) -> String {
    format!("CASE WHEN capped THEN (CASE WHEN lo > 1 THEN lo_s ELSE 0 END) ELSE {hi_s} END")
}

/// One relaxation round: the upper bound of each pair `(x, u)` of `todo`
/// recomputed as the local engine computes it, from the hops of `x` (an
/// ownership edge, or a path through a cycle) and the lists of their
/// parties: an entry per hop and path whose party has an ownership path to
/// `u`, their upper bounds added, and, where two entries or more were
/// added, capped at the whole (or at the lower bound, where the stated
/// shares add up to more), as `ShareRange::add` caps; with the bound's
/// scale and whether a product on the way was rounded.
/// Rows: `x, u, hi, hi_open, capped, hi_s, rnd`.
pub fn relax(lists: &str, hops: &str, todo: &str) -> String {
    let rounds = |v: &str, s: &str, z: &str| format!("(p.{v} != 0 AND e.{z} + p.{s} > 28)");
    format!(
        "SELECT x, u, CAST(CASE WHEN capped THEN GREATEST(1, lo) ELSE LEAST(hi_sum, 1000) END \
         AS {SHARE}) AS hi, hi_open AND NOT capped AS hi_open, capped, \
         {capped_scale} AS hi_s, rnd FROM ( \
         SELECT x, u, lo, lo_s, hi_sum, hi_open, hi_s, rnd, \
         entries >= 2 AND hi_sum > GREATEST(1, lo) AS capped FROM ( \
         SELECT s.x AS x, s.u AS u, MAX(s.lo) AS lo, MAX(s.lo_s) AS lo_s, \
         SUM(LEAST(e.hi * p.hi, 1000)) AS hi_sum, SUM(e.cnt) AS entries, \
         BOOL_OR(e.hi_open OR p.hi_open) AS hi_open, \
         MAX(CASE WHEN e.hi * p.hi = 0 THEN 0 ELSE LEAST(e.hi_s + p.hi_s, 28) END) AS hi_s, \
         BOOL_OR(p.rnd OR e.st OR {lo_rounds} OR {hi_rounds}) AS rnd \
         FROM {todo} w \
         JOIN {lists} s ON s.x = w.x AND s.u = w.u AND s.op > 0 AND s.x != s.u \
         JOIN {hops} e ON e.c = s.x \
         JOIN {lists} p ON p.x = e.p AND p.u = s.u AND p.op > 0 AND (NOT e.stop OR p.x = p.u) \
         GROUP BY s.x, s.u))",
        capped_scale = capped_scale("hi_s"),
        lo_rounds = rounds("lo", "lo_s", "lo_z"),
        hi_rounds = rounds("hi", "hi_s", "hi_z"),
    )
}

/// The pairs to recompute after a round that changed `changed`: those of
/// each node with a hop to a party whose pair changed.
pub fn next_todo(changed: &str, hops: &str) -> String {
    format!(
        "SELECT DISTINCT e.c AS x, ch.u AS u FROM {changed} ch \
         JOIN {hops} e ON e.p = ch.x AND (NOT e.stop OR ch.u = ch.x)"
    )
}

/// The pairs whose upper bound a relaxation round changed.
pub fn changes(relaxed: &str, lists: &str) -> String {
    format!(
        "SELECT r.x AS x, r.u AS u FROM {relaxed} r JOIN {lists} s ON s.x = r.x AND s.u = r.u \
         WHERE r.hi != s.hi OR r.hi_open != s.hi_open OR r.hi_s != s.hi_s OR r.rnd != s.rnd"
    )
}

/// The lists with the upper bounds relaxed so far (`relaxed`: `x, u, hi,
/// hi_open, hi_s, rnd`) in place.
pub fn relaxed_lists(lists: &str, relaxed: &str) -> String {
    format!(
        "SELECT s.x, s.u, s.op, s.cp, s.ap, s.lo, COALESCE(r.hi, s.hi) AS hi, s.lo_open, \
         COALESCE(r.hi_open, s.hi_open) AS hi_open, s.over, \
         s.unk, COALESCE(r.rnd, s.rnd) AS rnd, s.lo_s, COALESCE(r.hi_s, s.hi_s) AS hi_s, \
         s.mn, s.mx, s.via, s.sat \
         FROM {lists} s LEFT JOIN {relaxed} r ON s.x = r.x AND s.u = r.u"
    )
}

/// One row per cycle (strongly connected component): its members' ids,
/// sorted; one cycle through it, the shortest the enumeration cut (first
/// node repeated at the end); and the number of paths cut because they
/// would revisit a node, as the local engine counts them.
pub fn cycles(members: &str, cuts: &str, nodes: &str) -> String {
    format!(
        "WITH m AS (SELECT m.comp, sort_array(collect_list(n.rid)) AS members \
           FROM {members} m JOIN {nodes} n ON n.n = m.n GROUP BY m.comp), \
         c AS (SELECT comp, COUNT(*) AS cut_paths, \
           min(struct(size(path), concat(slice(path, array_position(path, nxt), \
             size(path)), array(nxt)) AS cyc)).cyc AS example FROM {cuts} GROUP BY comp), \
         e AS (SELECT x.comp, x.pos, n.rid FROM \
           (SELECT comp, posexplode(example) AS (pos, id) FROM c) x JOIN {nodes} n ON n.n = x.id) \
         SELECT m.comp, m.members, \
           transform(array_sort(collect_list(struct(e.pos, e.rid))), s -> s.rid) AS example, \
           COALESCE(FIRST(c.cut_paths), 0) AS cut_paths \
         FROM m LEFT JOIN c ON c.comp = m.comp LEFT JOIN e ON e.comp = m.comp \
         GROUP BY m.comp, m.members"
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

// ---- reading the statements on the cluster ---------------------------

/// The statements of `lines` (`pid`, `mid`, `value`: the text file's
/// partition, `monotonically_increasing_id()` and line, read in file
/// order) with their line numbers, from `offsets` (`pid`, `m0`: the
/// partition's first id, `base`: the lines before it).
pub fn numbered(lines: &str, offsets: &str) -> String {
    format!(
        "SELECT l.mid - o.m0 + o.base + 1 AS line, l.value FROM {lines} l \
         JOIN {offsets} o ON l.pid = o.pid"
    )
}

/// Each statement of `statements` (`line`, `value`) with the bucket (of
/// `buckets`) that reads it, and what it was routed by (`routed`): a
/// relationship record goes to the bucket of its subject (that of its
/// first statement), so that a subject's relationships are read together;
/// an entity or person statement goes to the bucket of its recordId and
/// to every bucket of a relationship that names it as subject or party;
/// anything else (damaged, or of no known type) to a bucket by its line,
/// where the reader reports it. The fields are only looked up here: the
/// reader on the executors reads each statement, and checks that it names
/// what it was routed by.
pub fn route(statements: &str, buckets: u64) -> String {
    let b = |e: &str| format!("pmod(xxhash64({e}), {buckets})");
    format!(
        "WITH s AS (SELECT line, \
           get_json_object(value, '$.recordType') AS rt, \
           get_json_object(value, '$.recordId') AS rid, \
           get_json_object(value, '$.recordDetails.subject') AS subj, \
           get_json_object(value, '$.recordDetails.interestedParty') AS party \
           FROM {statements} WHERE trim(value) != ''), \
         first AS (SELECT rid, min_by(subj, line) AS subj FROM s \
           WHERE rt = 'relationship' AND rid IS NOT NULL GROUP BY rid), \
         rel AS (SELECT s.line, f.subj AS routed, {rb} AS b, s.subj, s.party \
           FROM s JOIN first f ON s.rid = f.rid WHERE s.rt = 'relationship'), \
         refs AS (SELECT DISTINCT b, ref FROM (SELECT b, subj AS ref FROM rel \
           UNION ALL SELECT b, party AS ref FROM rel) WHERE ref IS NOT NULL), \
         node AS (SELECT line, rid FROM s \
           WHERE rt IN ('entity', 'person') AND rid IS NOT NULL), \
         routes AS ( \
           SELECT line, routed, b FROM rel \
           UNION ALL SELECT line, rid AS routed, {nb} AS b FROM node \
           UNION ALL SELECT n.line, n.rid AS routed, r.b FROM node n JOIN refs r ON r.ref = n.rid \
           UNION ALL SELECT line, CAST(NULL AS STRING) AS routed, {ob} AS b FROM s \
             WHERE rid IS NULL OR rt IS NULL \
               OR rt NOT IN ('entity', 'person', 'relationship')) \
         SELECT DISTINCT line, routed, b FROM routes",
        rb = b("f.subj"),
        nb = b("rid"),
        ob = b("line"),
    )
}

/// The routed statements with their text and the reader's options, as
/// the executors' reader takes them.
pub fn bucketed(routes: &str, statements: &str, as_of: Option<&str>, fallback: bool) -> String {
    let as_of = match as_of {
        Some(d) => format!("'{}'", d.replace('\'', "")),
        None => "CAST(NULL AS STRING)".to_owned(),
    };
    format!(
        "SELECT r.b, r.line, s.value, r.routed, {as_of} AS as_of, {fallback} AS fallback \
         FROM {routes} r JOIN {statements} s ON s.line = r.line"
    )
}

/// The nodes the buckets read (`tag` `node`), once each, numbered: a node
/// is in the bucket of every relationship that names it, read the same in
/// each (its own statements are in each), and has parties only in its own
/// subject's bucket. `ids` numbers the record ids.
pub fn nodes_read(rows: &str, ids: &str) -> String {
    format!(
        "WITH r AS ({flat}) \
         SELECT i.n, r.rid, first(r.kind) AS kind, first(r.name) AS name, \
           first(r.reason) AS reason, first(r.entity) AS entity, \
           bool_or(r.own_p) AS own_p, bool_or(r.ctrl_p) AS ctrl_p, bool_or(r.any_p) AS any_p \
         FROM r JOIN {ids} i ON i.rid = r.rid GROUP BY i.n, r.rid",
        flat = flat(rows, "node", crate::tables::NODE_BY_ID_SCHEMA),
    )
}

/// The rows of one tag, their JSON read with `schema` into columns.
fn flat(rows: &str, tag: &str, schema: &str) -> String {
    format!(
        "SELECT x.* FROM (SELECT from_json(row, '{schema}') AS x FROM {rows} WHERE tag = '{tag}')"
    )
}

/// Nodes that two buckets read differently (a fault of this engine).
pub fn nodes_disagreeing(rows: &str) -> String {
    format!(
        "WITH r AS ({flat}) SELECT rid FROM r GROUP BY rid \
         HAVING COUNT(DISTINCT to_json(struct(kind, name, reason, entity))) > 1",
        flat = flat(rows, "node", crate::tables::NODE_BY_ID_SCHEMA),
    )
}

/// The record ids of the nodes, numbered.
pub fn ids(rows: &str) -> String {
    format!(
        "SELECT rid, monotonically_increasing_id() AS n FROM (SELECT DISTINCT \
           get_json_object(row, '$.rid') AS rid FROM {rows} WHERE tag = 'node')"
    )
}

/// The edges the buckets read (`tag` `edge`; each in one bucket only,
/// its subject's), their ends numbered by `ids`.
pub fn edges_read(rows: &str, ids: &str) -> String {
    format!(
        "WITH e AS ({flat}) \
         SELECT ic.n AS c, ip.n AS p, e.own, e.ctrl, e.lo, e.hi, e.lo_open, e.hi_open, \
           e.unk, e.rnd, e.lo_s, e.hi_s \
         FROM e JOIN {ids} ic ON ic.rid = e.c JOIN {ids} ip ON ip.rid = e.p",
        flat = flat(rows, "edge", crate::tables::EDGE_BY_ID_SCHEMA),
    )
}

/// The distinct rows of one tag (`problem`, `warning`, `moved`), by line.
pub fn notes(rows: &str, tag: &str) -> String {
    format!(
        "SELECT DISTINCT CAST(get_json_object(row, '$.line') AS BIGINT) AS line, \
           row FROM {rows} WHERE tag = '{tag}'"
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
            first_hops("edges", "members", "exits"),
            own_entries("nodes"),
            next_lists("d0", "t0", "nodes"),
            next_hops("d0"),
            lists("t3", "nodes"),
            relax("s", "hops", "todo"),
            next_todo("ch", "hops"),
            cycles("members", "cuts", "nodes"),
            step("f0", "edges", "members"),
            hops("edges", "members", "exits", "ends"),
            changes("r", "s"),
            relaxed_lists("s", "r"),
            rows("s", "nodes"),
            numbered("lines", "offsets"),
            route("statements", 8),
            bucketed("routes", "statements", Some("2020-01-01"), true),
            nodes_read("rows", "ids"),
            nodes_disagreeing("rows"),
            ids("rows"),
            edges_read("rows", "ids"),
            notes("rows", "problem"),
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
