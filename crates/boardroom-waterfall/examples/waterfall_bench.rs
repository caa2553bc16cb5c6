//! Benchmarks (not timed tests): a 10,000-holder cap table with 10
//! classes distributed cumulatively and at 20 amounts, and look-through
//! over a 100,000-entity holding graph with cycles.
//!
//! Run: `cargo run --release -p boardroom-waterfall --example waterfall_bench`

use std::time::Instant;

use boardroom_waterfall::{
    Context, Holder, Holding, HoldingGraph, HoldingShare, Iterative, ShareClass, Terms, Waterfall,
};
use rust_decimal::Decimal;

/// A deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn class(id: usize, holders: Vec<Holder>, rng: &mut Rng) -> ShareClass {
    let preferred = id > 0;
    let shares: i64 = holders
        .iter()
        .map(|h| i64::try_from(h.units.mantissa()).unwrap_or(0))
        .sum();
    ShareClass {
        id: if preferred {
            format!("series-{id}")
        } else {
            "common".into()
        },
        shares: Decimal::from(shares.max(1)),
        price_per_share: preferred.then(|| Decimal::from(1 + id as i64)),
        invested: None,
        seniority: if preferred {
            i64::try_from(id.div_ceil(3)).unwrap_or(0)
        } else {
            0
        },
        liquidation_preference_multiple: preferred.then(|| Decimal::from(1 + rng.below(2))),
        participating: preferred && id.is_multiple_of(3),
        participation_cap_multiple: (preferred && id.is_multiple_of(3) && id != 9)
            .then(|| Decimal::from(3)),
        conversion_ratio: None,
        convertible: true,
        dividends_accrued: None,
        dividend: None,
        votes_per_share: Some(Decimal::ONE),
        holders,
        source: None,
        note: None,
    }
}

fn cap_table() -> Terms {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut per_class: Vec<Vec<Holder>> = vec![Vec::new(); 10];
    for h in 0..10_000 {
        let c = if h < 6_000 { 0 } else { 1 + (h % 9) };
        per_class[c].push(Holder {
            party: format!("holder-{h:05}"),
            units: Decimal::from(100 + rng.below(10_000)),
        });
    }
    Terms {
        entity: "bench-co".into(),
        currency: "USD".into(),
        investment: vec![],
        tier: vec![],
        cap: vec![],
        class: per_class
            .into_iter()
            .enumerate()
            .map(|(i, h)| class(i, h, &mut rng))
            .collect(),
        option: Vec::new(),
        claim: Vec::new(),
        safe: Vec::new(),
        pool: Vec::new(),
        fund: None,
        paid: vec![],
        residual: None,
        source: None,
        note: None,
    }
}

fn waterfall_bench() {
    let t0 = Instant::now();
    let terms = cap_table();
    let w = match Waterfall::new(&terms, &Context::default()) {
        Ok(w) => w,
        Err(e) => panic!("{e}"),
    };
    let compiled = t0.elapsed();
    let total_shares: Decimal = terms.class.iter().map(|c| c.shares).sum();
    let top = total_shares * Decimal::from(20);
    let t1 = Instant::now();
    let c = w.cumulative(top).unwrap_or_else(|e| panic!("{e}"));
    let cumulative = t1.elapsed();
    let t2 = Instant::now();
    let mut paid = 0usize;
    for k in 1..=20 {
        let amount = (top * Decimal::from(k) / Decimal::from(20)).round_dp(2);
        let d = w.distribute(amount).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.payouts.iter().map(|p| p.amount).sum::<Decimal>(), amount);
        paid += d.payouts.len();
    }
    let steps = t2.elapsed();
    println!(
        "cap table: 10,000 holders, 10 classes: compile {:.1} ms; cumulative to {} with {} breakpoints and {} segments {:.1} ms; \
         20 distributions ({} payouts, each summing to the cent) {:.1} ms; total {:.1} ms",
        compiled.as_secs_f64() * 1e3,
        boardroom_waterfall::short_money(f64::try_from(top).unwrap_or(0.0), "USD"),
        c.breakpoints.len(),
        c.segments.len(),
        cumulative.as_secs_f64() * 1e3,
        paid,
        steps.as_secs_f64() * 1e3,
        t0.elapsed().as_secs_f64() * 1e3
    );
}

/// 100,000 entities in groups of 50: a chain within each group, closed
/// into a cycle by a cross-holding of the last entity in the first; a
/// tenth of the groups hold 20% of an entity of a later group; 20,000
/// persons hold the rest.
fn holding_graph() -> Vec<Holding> {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let n = 100_000usize;
    let group = 50usize;
    let pct = |p: u64| HoldingShare::Percent(Decimal::from(p));
    let mut v = Vec::new();
    for g in 0..n / group {
        let base = g * group;
        for k in 0..group {
            let e = base + k;
            let mut left = 100u64;
            if k > 0 {
                let p = 40 + rng.below(30);
                v.push(Holding {
                    holder: format!("e{}", e - 1),
                    subject: format!("e{e}"),
                    share: pct(p),
                });
                left -= p;
            } else {
                let p = 10 + rng.below(20);
                v.push(Holding {
                    holder: format!("e{}", base + group - 1),
                    subject: format!("e{e}"),
                    share: pct(p),
                });
                left -= p;
            }
            if k == 1 && g % 10 == 0 && g + 1 < n / group {
                let target = base
                    + group
                    + usize::try_from(rng.below(((n / group - g - 1) * group) as u64)).unwrap_or(0);
                v.push(Holding {
                    holder: format!("e{e}"),
                    subject: format!("e{}", target.min(n - 1)),
                    share: pct(5),
                });
            }
            let person = rng.below(20_000);
            v.push(Holding {
                holder: format!("person-{person}"),
                subject: format!("e{e}"),
                share: pct(left.saturating_sub(6)),
            });
        }
    }
    v
}

fn lookthrough_bench() {
    let holdings = holding_graph();
    let t0 = Instant::now();
    let g = HoldingGraph::new(&holdings).unwrap_or_else(|e| panic!("{e}"));
    let built = t0.elapsed();
    let t1 = Instant::now();
    let it = g.iterative(&Iterative {
        tolerance: 1e-12,
        min_share: 0.0,
    });
    let solved = t1.elapsed();
    let nnz: usize = it.rows.iter().map(|(_, r)| r.len()).sum();
    println!(
        "look-through: {} parties, {} holdings: validate (incl. cycle check) {:.1} ms; iterate {:.2} s: {} holders, {} non-zero \
         interests, {} pushes; max residual {:.2e}, total residual {:.2e}, max column sum {}, error bound per entry {}",
        g.names().len(),
        g.edges(),
        built.as_secs_f64() * 1e3,
        solved.as_secs_f64(),
        it.rows.len(),
        nnz,
        it.pushes,
        it.max_residual,
        it.total_residual,
        it.max_column_sum,
        it.error_bound
            .map_or("n/a".to_string(), |b| format!("{b:.2e}"))
    );
}

fn main() {
    waterfall_bench();
    lookthrough_bench();
}
