//! The report as a page people publish: Markdown, or a self-contained HTML
//! page (no script, no external file) with the summary first, the graph
//! and the waterfall chart inline as SVG with their legends and caveats,
//! the verdict table, and footnoted sources. A journalist can attach it or
//! print it to PDF.
//!
//! Both formats render one [`Page`], built once from the report, so that
//! they never say different things.

use std::fmt::Write;

use base64::Engine;
use boardroom::report::Report;
use boardroom::{Outcome, Structure};

use crate::text::{cite_mark, cite_marks, number_citations};

/// One block of a page. Text may carry citation markers
/// ([`cite_mark`]); each format numbers them.
enum Block {
    Heading {
        id: String,
        text: String,
    },
    Para(String),
    /// Items, each with an optional caveat under it.
    List(Vec<(String, Option<String>)>),
    Table {
        head: Vec<&'static str>,
        rows: Vec<Vec<String>>,
    },
    Figure {
        id: String,
        svg: String,
        caption: String,
    },
}

/// A page: a title and blocks.
struct Page {
    title: String,
    blocks: Vec<Block>,
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Valid => "valid",
        Outcome::Invalid => "INVALID",
        Outcome::CannotTell => "cannot tell",
        Outcome::Recorded => "record",
    }
}

fn page(s: &Structure, r: &Report) -> Page {
    let mut b = Vec::new();
    let title = if r.scenario.title.is_empty() {
        "boardroom report".to_string()
    } else {
        r.scenario.title.clone()
    };
    if let Some(d) = &r.scenario.description {
        b.push(Block::Para(format!(
            "{d}{}",
            cite_marks(&r.scenario.sources)
        )));
    }
    b.push(Block::Heading {
        id: "summary".into(),
        text: "Summary".into(),
    });
    b.push(Block::List(
        r.findings
            .iter()
            .map(|f| {
                (
                    format!("{}{}", f.text, cite_marks(&f.sources)),
                    f.caveat.clone(),
                )
            })
            .collect(),
    ));
    // The graph on the date of the key event.
    if let Some(d) = boardroom::report::key_date(s) {
        let state = boardroom::state_as_of(s, d).0;
        let g = boardroom::graph(s, &state);
        let title = crate::graph_title(s, d);
        b.push(Block::Heading {
            id: "graph".into(),
            text: format!("Ownership and control at the end of {}", day(d)),
        });
        b.push(Block::Figure {
            id: "graph-figure".into(),
            svg: crate::to_svg(&g, &title),
            caption: format!(
                "{title}. Holders above what they hold; the legend gives each kind of line; dashed lines are assumed or unverified."
            ),
        });
    }
    // Every act and its verdict.
    let acts: Vec<&boardroom::Verdict> = r
        .verdicts
        .iter()
        .filter(|v| v.outcome != Outcome::Recorded)
        .collect();
    if !acts.is_empty() {
        b.push(Block::Heading {
            id: "verdicts".into(),
            text: "The acts and their verdicts".into(),
        });
        let rows = acts
            .iter()
            .map(|v| {
                let counts = v.decision.as_ref().map_or_else(String::new, |d| {
                    let holders = s.body(&d.body).is_some_and(|b| b.kind.is_holder_body());
                    let mut parts = Vec::new();
                    if let Some(q) = &d.quorum {
                        parts.push(format!(
                            "quorum: {} present, {} needed",
                            crate::text::counted(q),
                            q.show_needed()
                        ));
                    }
                    let t = &d.threshold;
                    parts.push(format!(
                        "{} for, {} needed ({})",
                        crate::text::counted(t),
                        t.show_needed(),
                        d.threshold_words(holders)
                    ));
                    parts.join("; ")
                });
                let why = v
                    .reasons
                    .first()
                    .or(v.would_decide.first())
                    .cloned()
                    .unwrap_or_default();
                let rests = match v.assumptions.len() {
                    0 => "the record".to_string(),
                    1 => "1 assumption".to_string(),
                    n => format!("{n} assumptions"),
                };
                vec![
                    v.date.to_string(),
                    format!("{}{}", v.summary, cite_mark(v.source.as_deref())),
                    if why.is_empty() {
                        outcome(v.outcome).to_string()
                    } else {
                        format!("{}: {why}", outcome(v.outcome))
                    },
                    counts,
                    rests,
                ]
            })
            .collect();
        b.push(Block::Table {
            head: vec!["Date", "Act", "Verdict", "Counted", "Rests on"],
            rows,
        });
    }
    if !r.assumptions.is_empty() {
        b.push(Block::Heading {
            id: "assumptions".into(),
            text: "What the verdicts assume".into(),
        });
        b.push(Block::List(
            r.assumptions
                .iter()
                .map(|a| {
                    (
                        a.assumption.clone(),
                        Some(format!("used by {} acts", a.events.len())),
                    )
                })
                .collect(),
        ));
    }
    let flips: Vec<&boardroom::report::Sensitivity> = r
        .sensitivity
        .iter()
        .filter(|v| !v.changed.is_empty() || !v.knock_on.is_empty())
        .collect();
    if !r.sensitivity.is_empty() {
        b.push(Block::Heading {
            id: "readings".into(),
            text: "Under other assumptions".into(),
        });
        let mut items: Vec<(String, Option<String>)> = flips
            .iter()
            .map(|v| {
                let acts: Vec<String> = v
                    .changed
                    .iter()
                    .map(|c| {
                        format!(
                            "{}: {} → {}",
                            c.summary,
                            outcome(c.base),
                            outcome(c.variant)
                        )
                    })
                    .collect();
                let knock = (!v.knock_on.is_empty()).then(|| {
                    format!(
                        "and in consequence {} later acts would fail",
                        v.knock_on.len()
                    )
                });
                (
                    format!(
                        "If {}: {}",
                        v.description.trim_end_matches('.'),
                        acts.join("; ")
                    ),
                    knock,
                )
            })
            .collect();
        for v in r
            .sensitivity
            .iter()
            .filter(|v| v.changed.is_empty() && v.knock_on.is_empty())
        {
            items.push((
                format!(
                    "If {}: no verdict changes",
                    v.description.trim_end_matches('.')
                ),
                None,
            ));
        }
        b.push(Block::List(items));
    }
    // Control on the report's date.
    if let Some(c) = &r.control {
        let when = c.date.map(day).unwrap_or_else(|| "the file's state".into());
        b.push(Block::Heading {
            id: "control".into(),
            text: format!("Who controls what, on {when}"),
        });
        let rows = c
            .entities
            .iter()
            .map(|e| {
                let direct = if e.direct.is_empty() {
                    "no one".to_string()
                } else {
                    e.direct
                        .iter()
                        .map(|d| {
                            format!(
                                "{}: {}{}",
                                d.name,
                                d.describe(),
                                cite_mark(d.source.as_deref())
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                let ultimate = e
                    .ultimate
                    .iter()
                    .map(|u| u.name.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
                let economic = e
                    .economic
                    .iter()
                    .map(|x| {
                        format!(
                            "{} {}{}",
                            x.name,
                            x.share.clone().unwrap_or_else(|| "share not stated".into()),
                            cite_mark(x.source.as_deref())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![e.name.clone(), direct, ultimate, economic]
            })
            .collect();
        b.push(Block::Table {
            head: vec![
                "Entity",
                "Controlled by",
                "Ultimately",
                "Economic interests",
            ],
            rows,
        });
        if !c.divergences.is_empty() {
            b.push(Block::List(
                c.divergences
                    .iter()
                    .map(|d| (d.explanation.clone(), None))
                    .collect(),
            ));
        }
    }
    // Where the money goes, with the chart and its caveats.
    for (k, e) in r.economics.iter().enumerate() {
        let Some(c) = &e.cumulative else { continue };
        // The first entity's ids are plain; the others are numbered.
        let suffix = if k == 0 {
            String::new()
        } else {
            format!("-{}", k + 1)
        };
        b.push(Block::Heading {
            id: format!("money{suffix}"),
            text: format!(
                "Who receives what: {}{}",
                s.name(&e.entity),
                cite_marks(&boardroom::report::terms_sources(s, &e.entity))
            ),
        });
        let options = boardroom_waterfall::ChartOptions {
            notes: e.assumptions.iter().chain(&e.readings).cloned().collect(),
            ..boardroom_waterfall::ChartOptions::default()
        };
        b.push(Block::Figure {
            id: format!("waterfall-figure{suffix}"),
            svg: boardroom_waterfall::svg(&boardroom::report::named_cumulative(s, c), &options),
            caption: format!(
                "Cumulative profit of {} and who receives it. Amounts are rounded; `boardroom report --format json` gives them exactly.",
                s.name(&e.entity)
            ),
        });
        let money =
            |x: &boardroom_waterfall::Exact| boardroom::report::short_amount(x, &c.currency);
        let rows = c
            .segments
            .iter()
            .map(|seg| {
                let shares = seg
                    .shares
                    .iter()
                    .map(|sh| {
                        format!(
                            "{} {}%",
                            s.name(&sh.party),
                            (sh.share.decimal(6) * rust_decimal::Decimal::ONE_HUNDRED).normalize()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![money(&seg.from), money(&seg.to), shares]
            })
            .collect();
        b.push(Block::Table {
            head: vec!["From", "To", "Each further dollar"],
            rows,
        });
        let mut caveats: Vec<(String, Option<String>)> = e
            .assumptions
            .iter()
            .map(|a| (format!("Caveat: {a}"), None))
            .chain(e.readings.iter().map(|r| (format!("Reading: {r}"), None)))
            .collect();
        caveats.extend(c.notes.iter().map(|n| (format!("Note: {n}"), None)));
        if !caveats.is_empty() {
            b.push(Block::List(caveats));
        }
    }
    Page { title, blocks: b }
}

fn md_escape(s: &str) -> String {
    boardroom::one_line(s).replace('|', "\\|")
}

/// The report as Markdown (GitHub's dialect): the summary first, the
/// figures as embedded SVG images, tables, and footnoted sources.
pub fn report_markdown(s: &Structure, r: &Report) -> String {
    let p = page(s, r);
    let mut out = format!("# {}\n", p.title);
    for block in &p.blocks {
        out.push('\n');
        match block {
            Block::Heading { text, .. } => {
                let _ = writeln!(out, "## {text}");
            }
            Block::Para(t) => {
                let _ = writeln!(out, "{t}");
            }
            Block::List(items) => {
                for (item, caveat) in items {
                    let _ = writeln!(out, "- {item}");
                    if let Some(c) = caveat {
                        let _ = writeln!(out, "  - *Caveat:* {c}");
                    }
                }
            }
            Block::Table { head, rows } => {
                let _ = writeln!(out, "| {} |", head.join(" | "));
                let _ = writeln!(out, "|{}", "---|".repeat(head.len()));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| md_escape(c)).collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
            }
            Block::Figure { svg, caption, .. } => {
                let data = base64::engine::general_purpose::STANDARD.encode(svg);
                let _ = writeln!(
                    out,
                    "![{}](data:image/svg+xml;base64,{data})",
                    md_escape(caption)
                );
                let _ = writeln!(out, "\n*{}*", md_escape(caption));
            }
        }
    }
    let (mut out, order) = number_citations(&out, |n| format!("[^{n}]"));
    if !order.is_empty() {
        let _ = writeln!(out, "\n## Sources\n");
        for (k, id) in order.iter().enumerate() {
            let line = s
                .source(id)
                .map_or_else(|| format!("`{id}`"), |x| x.citation());
            let _ = writeln!(out, "[^{}]: {line}", k + 1);
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A citation's address as a link, when it is one.
fn html_citation(x: &boardroom::Source) -> String {
    let text = html_escape(&x.citation());
    match &x.url {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
            let e = html_escape(u);
            text.replacen(&e, &format!("<a href=\"{e}\">{e}</a>"), 1)
        }
        _ => text,
    }
}

const STYLE: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.45}\
h1{font-size:1.8rem;margin-bottom:.3rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .45rem;vertical-align:top;text-align:left}\
th{background:#f6f8fa}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#57606a}\
.caveat{color:#6e4b00;font-size:.9rem}sup.cite a{text-decoration:none}ol.sources{font-size:.9rem}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}figure,tr{break-inside:avoid}a{color:inherit}}";

/// The report as one self-contained HTML page: no script and no external
/// file; figures inline as SVG.
pub fn report_html(s: &Structure, r: &Report) -> String {
    let p = page(s, r);
    let mut body = String::new();
    for block in &p.blocks {
        match block {
            Block::Heading { id, text } => {
                let _ = writeln!(body, "<h2 id=\"{id}\">{}</h2>", html_escape(text));
            }
            Block::Para(t) => {
                let _ = writeln!(body, "<p class=\"description\">{}</p>", html_escape(t));
            }
            Block::List(items) => {
                body.push_str("<ul>\n");
                for (item, caveat) in items {
                    let _ = write!(body, "<li>{}", html_escape(item));
                    if let Some(c) = caveat {
                        let _ = write!(
                            body,
                            "<br><span class=\"caveat\">Caveat: {}</span>",
                            html_escape(c)
                        );
                    }
                    body.push_str("</li>\n");
                }
                body.push_str("</ul>\n");
            }
            Block::Table { head, rows } => {
                body.push_str("<table>\n<thead><tr>");
                for h in head {
                    let _ = write!(body, "<th scope=\"col\">{}</th>", html_escape(h));
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    body.push_str("<tr>");
                    for c in row {
                        let _ = write!(body, "<td>{}</td>", html_escape(c));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody>\n</table>\n");
            }
            Block::Figure { id, svg, caption } => {
                let _ = writeln!(
                    body,
                    "<figure id=\"{id}\">\n{svg}<figcaption>{}</figcaption>\n</figure>",
                    html_escape(caption)
                );
            }
        }
    }
    let (mut body, order) = number_citations(&body, |n| {
        format!("<sup class=\"cite\"><a href=\"#source-{n}\">[{n}]</a></sup>")
    });
    if !order.is_empty() {
        body.push_str("<h2 id=\"sources\">Sources</h2>\n<ol class=\"sources\">\n");
        for id in &order {
            let n = order.iter().position(|x| x == id).map_or(0, |k| k + 1);
            let text = s.source(id).map_or_else(|| html_escape(id), html_citation);
            let _ = writeln!(body, "<li id=\"source-{n}\">{text}</li>");
        }
        body.push_str("</ol>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"boardroom\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n{body}<footer><p class=\"caveat\">Computed by boardroom from the structure file: every verdict, controller and amount above follows from the facts and rules it states, each with its source; what rests on an assumption says so.</p></footer>\n</body>\n</html>\n",
        title = html_escape(&p.title)
    )
}
