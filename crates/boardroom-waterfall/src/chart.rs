//! A stacked-area chart of cumulative payouts against cumulative profit,
//! as a self-contained, deterministic SVG.

use std::fmt::Write;

use crate::distribution::Cumulative;
use crate::money::{Q, short_money};

/// How to draw the chart.
#[derive(Debug, Clone)]
pub struct ChartOptions {
    pub width: u32,
    pub height: u32,
    /// Parties drawn separately, largest totals first; the rest are
    /// stacked together as "others".
    pub max_series: usize,
    /// A title; without it, "<entity>: who receives what".
    pub title: Option<String>,
    /// Caveats printed under the chart: figures that are reported,
    /// assumed or derived from an assumption. A chart never travels
    /// without them.
    pub notes: Vec<String>,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            width: 960,
            height: 560,
            max_series: 8,
            title: None,
            notes: Vec::new(),
        }
    }
}

const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A "nice" tick step (1, 2 or 5 × 10ⁿ) giving about `n` ticks.
fn tick_step(max: f64, n: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / n;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Draws `c`: one band per party, stacked in order of mention, so that
/// the top edge is the diagonal (everything distributed); breakpoints as
/// dashed lines with their cumulative amount and what happens there.
pub fn svg(c: &Cumulative, o: &ChartOptions) -> String {
    let (w, h) = (f64::from(o.width.max(320)), f64::from(o.height.max(240)));
    let (ml, mr, mt, mb) = (84.0, 220.0, 56.0, 64.0);
    let (pw, ph) = (w - ml - mr, h - mt - mb);
    let to = c.to.approx().max(1e-9);
    let sx = |x: f64| ml + x / to * pw;
    let sy = |y: f64| mt + ph - y / to * ph;

    // Series: the largest totals first, the rest together.
    let mut order: Vec<usize> = (0..c.parties.len()).collect();
    order.sort_by(|&a, &b| {
        c.totals[b]
            .amount
            .rational()
            .cmp(c.totals[a].amount.rational())
            .then(a.cmp(&b))
    });
    let keep = o.max_series.max(1);
    let mut series: Vec<(String, Vec<usize>)> = Vec::new();
    let mut shown: Vec<usize> = order
        .iter()
        .copied()
        .take(keep)
        .filter(|&i| !c.totals[i].amount.rational().is_zero_like())
        .collect();
    shown.sort_unstable();
    for &i in &shown {
        series.push((c.parties[i].clone(), vec![i]));
    }
    let rest: Vec<usize> = order
        .iter()
        .copied()
        .filter(|i| !shown.contains(i))
        .collect();
    if rest
        .iter()
        .any(|&i| !c.totals[i].amount.rational().is_zero_like())
    {
        series.push((format!("{} others", rest.len()), rest));
    }

    // Vertices: every segment boundary, where the bands bend.
    let mut xs: Vec<Q> = vec![Q::default()];
    for s in &c.segments {
        xs.push(s.to.rational().clone());
    }
    let values: Vec<Vec<f64>> = xs
        .iter()
        .map(|x| {
            let v = c.at(x);
            series
                .iter()
                .map(|(_, idx)| {
                    idx.iter()
                        .map(|&i| crate::money::Exact(v[i].clone()).approx())
                        .sum()
                })
                .collect()
        })
        .collect();
    let xf: Vec<f64> = xs
        .iter()
        .map(|x| crate::money::Exact(x.clone()).approx())
        .collect();

    // The caveats, wrapped to the chart's width, under it.
    let per_line = ((w - 32.0) / 6.2).max(20.0) as usize;
    let mut note_lines: Vec<String> = Vec::new();
    for n in &o.notes {
        let mut line = String::from("* ");
        for word in n.split_whitespace() {
            if line.chars().count() + word.chars().count() + 1 > per_line && line.len() > 2 {
                note_lines.push(std::mem::replace(&mut line, String::from("  ")));
            }
            if !line.ends_with(' ') {
                line.push(' ');
            }
            line.push_str(word);
        }
        note_lines.push(line.replacen("*  ", "* ", 1));
    }
    let full_h = h + note_lines.len() as f64 * 15.0 + if note_lines.is_empty() { 0.0 } else { 8.0 };
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{full_h}" viewBox="0 0 {w} {full_h}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(out, r#"<rect width="{w}" height="{full_h}" fill="white"/>"#);
    for (k, l) in note_lines.iter().enumerate() {
        let _ = writeln!(
            out,
            r##"<text class="caveat" x="16" y="{:.1}" font-size="11" fill="#57606a">{}</text>"##,
            h + 8.0 + 15.0 * k as f64,
            esc(l)
        );
    }
    let title = o
        .title
        .clone()
        .unwrap_or_else(|| format!("{}: who receives what", c.entity));
    let _ = writeln!(
        out,
        r#"<text x="{ml}" y="24" font-size="17" font-weight="bold">{}</text>"#,
        esc(&title)
    );
    let _ = writeln!(
        out,
        r##"<text x="{ml}" y="42" fill="#555">Cumulative payouts by party against cumulative profit distributed ({})</text>"##,
        esc(&c.currency)
    );

    // Grid and axes.
    let step = tick_step(to, 6.0);
    let mut t = 0.0;
    while t <= to * 1.0001 {
        let (x, y) = (sx(t), sy(t));
        // The currency comes from the input: escaped like every input text.
        let label = esc(&short_money(t, &c.currency));
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{mt}" x2="{x:.1}" y2="{:.1}" stroke="#eee"/>"##,
            mt + ph
        );
        let _ = writeln!(
            out,
            r##"<line x1="{ml}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#eee"/>"##,
            ml + pw
        );
        let _ = writeln!(
            out,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{label}</text>"#,
            mt + ph + 18.0
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"#,
            ml - 8.0,
            y + 4.0
        );
        t += step;
    }

    // Bands, bottom to top.
    let mut lower = vec![0.0f64; xf.len()];
    for (k, (_, _)) in series.iter().enumerate() {
        let upper: Vec<f64> = lower.iter().zip(&values).map(|(l, v)| l + v[k]).collect();
        let mut d = String::new();
        for (i, x) in xf.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.2},{:.2} ",
                if i == 0 { "M" } else { "L" },
                sx(*x),
                sy(upper[i])
            );
        }
        for (i, x) in xf.iter().enumerate().rev() {
            let _ = write!(d, "L{:.2},{:.2} ", sx(*x), sy(lower[i]));
        }
        let _ = writeln!(
            out,
            r#"<path d="{}Z" fill="{}" fill-opacity="0.85" stroke="white" stroke-width="0.5"/>"#,
            d,
            PALETTE[k % PALETTE.len()]
        );
        lower = upper;
    }
    let _ = writeln!(
        out,
        r##"<rect x="{ml}" y="{mt}" width="{pw:.1}" height="{ph:.1}" fill="none" stroke="#333"/>"##
    );
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">cumulative profit distributed</text>"#,
        ml + pw / 2.0,
        h - 16.0
    );
    let _ = writeln!(
        out,
        r#"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">paid to each party (stacked)</text>"#,
        mt + ph / 2.0
    );

    // Breakpoints, labelled with the amount and the first event.
    for (i, b) in c.breakpoints.iter().enumerate() {
        let x = sx(b.at.approx());
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{mt}" x2="{x:.1}" y2="{:.1}" stroke="#222" stroke-dasharray="4 3"/>"##,
            mt + ph
        );
        let text = b
            .events
            .first()
            .map(|e| e.text.as_str())
            .unwrap_or_default();
        let more = if b.events.len() > 1 {
            format!(" (+{} more)", b.events.len() - 1)
        } else {
            String::new()
        };
        let label = format!(
            "{}: {}{}",
            short_money(b.at.approx(), &c.currency),
            text,
            more
        );
        let y = mt + 16.0 + 16.0 * (i % 6) as f64;
        let anchor = if x > ml + pw * 0.45 {
            ("end", x - 4.0)
        } else {
            ("start", x + 4.0)
        };
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{y:.1}" text-anchor="{}" stroke="white" stroke-width="3" paint-order="stroke">{}</text>"#,
            anchor.1,
            anchor.0,
            esc(&label)
        );
    }

    // Legend, top band first, with each total.
    let lx = ml + pw + 16.0;
    for (k, (name, idx)) in series.iter().enumerate().rev() {
        let y = mt + 8.0 + 22.0 * (series.len() - 1 - k) as f64;
        let total: f64 = idx.iter().map(|&i| c.totals[i].amount.approx()).sum();
        let _ = writeln!(
            out,
            r#"<rect x="{lx:.1}" y="{y:.1}" width="12" height="12" fill="{}"/>"#,
            PALETTE[k % PALETTE.len()]
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}">{} {}</text>"#,
            lx + 18.0,
            y + 10.0,
            esc(name),
            esc(&short_money(total, &c.currency))
        );
    }
    out.push_str("</svg>\n");
    out
}

trait ZeroLike {
    fn is_zero_like(&self) -> bool;
}

impl ZeroLike for Q {
    fn is_zero_like(&self) -> bool {
        num_traits::Zero::is_zero(self)
    }
}
