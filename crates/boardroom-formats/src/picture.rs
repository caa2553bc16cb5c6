//! Pictures of the ownership and control graph: Graphviz DOT and Mermaid.
//! Output is deterministic: nodes and edges keep the structure's order.

use boardroom::{EdgeKind, Graph};

fn dot_escape(s: &str) -> String {
    boardroom::one_line(s)
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

/// The picture's title: the structure's, and the date it shows.
pub fn graph_title(s: &boardroom::Structure, date: chrono::NaiveDate) -> String {
    let what = if s.scenario.title.is_empty() {
        "The structure"
    } else {
        s.scenario.title.as_str()
    };
    format!("{what} at the end of {}", date.format("%-d %B %Y"))
}

/// How each kind of edge is drawn, and what the legend calls it: one
/// table for DOT, SVG and the legends of both.
struct EdgeStyle {
    kind: EdgeKind,
    legend: &'static str,
    color: &'static str,
    width: f32,
    dashed: bool,
}

const EDGE_STYLES: [EdgeStyle; 7] = [
    EdgeStyle {
        kind: EdgeKind::Control,
        legend: "controls",
        color: "#cf222e",
        width: 2.5,
        dashed: false,
    },
    EdgeStyle {
        kind: EdgeKind::MayControl,
        legend: "may control (the data allows both)",
        color: "#cf222e",
        width: 1.5,
        dashed: true,
    },
    EdgeStyle {
        kind: EdgeKind::Governs,
        legend: "governs, without control",
        color: "#cf222e",
        width: 1.0,
        dashed: false,
    },
    EdgeStyle {
        kind: EdgeKind::Economic,
        legend: "ownership or economic interest",
        color: "#1a7f37",
        width: 1.5,
        dashed: false,
    },
    EdgeStyle {
        kind: EdgeKind::Seat,
        legend: "board seat",
        color: "#0969da",
        width: 1.2,
        dashed: false,
    },
    EdgeStyle {
        kind: EdgeKind::Office,
        legend: "office held",
        color: "#8250df",
        width: 1.0,
        dashed: true,
    },
    EdgeStyle {
        kind: EdgeKind::Other,
        legend: "other right (by contract, ...)",
        color: "#6e7781",
        width: 1.0,
        dashed: false,
    },
];

fn style_of(kind: EdgeKind) -> &'static EdgeStyle {
    EDGE_STYLES
        .iter()
        .find(|s| s.kind == kind)
        .unwrap_or(&EDGE_STYLES[EDGE_STYLES.len() - 1])
}

/// The kinds of edge the graph has, in legend order.
fn kinds_present(g: &Graph) -> Vec<&'static EdgeStyle> {
    EDGE_STYLES
        .iter()
        .filter(|s| g.edges.iter().any(|e| e.kind == s.kind))
        .collect()
}

/// An edge's label with its caveat marked: "49% (assumed)".
fn edge_label(e: &boardroom::GraphEdge) -> String {
    match &e.caveat {
        Some(c) if c.starts_with("assumed") => format!("{} (assumed)", e.label),
        Some(_) => format!("{} (unverified)", e.label),
        None => e.label.clone(),
    }
}

/// An edge's label in the SVG picture, where colour already says the
/// kind: only what the colour does not (a share, the chair, an office, the
/// basis of control, a caveat).
fn picture_label(e: &boardroom::GraphEdge) -> String {
    let base = match e.kind {
        EdgeKind::Economic => e
            .label
            .rsplit_once(' ')
            .filter(|(_, share)| share.contains('%'))
            .map(|(_, share)| share.to_string())
            .unwrap_or_default(),
        EdgeKind::Seat if e.label == "member" => String::new(),
        EdgeKind::Control | EdgeKind::MayControl => e
            .label
            .split_once(", ")
            .map_or(e.label.clone(), |(_, how)| how.to_string()),
        EdgeKind::Other => String::new(),
        _ => e.label.clone(),
    };
    let caveat = match &e.caveat {
        Some(c) if c.starts_with("assumed") => "assumed",
        Some(_) => "unverified",
        None => "",
    };
    match (base.is_empty(), caveat.is_empty()) {
        (_, true) => base,
        (true, false) => caveat.to_string(),
        (false, false) => format!("{base} ({caveat})"),
    }
}

/// The graph as Graphviz DOT: each body drawn in a cluster with the
/// entity it decides for, a legend of the edge kinds present, caveated
/// edges dashed, and the parties left out named under the title.
pub fn to_dot(g: &Graph, title: &str) -> String {
    let mut out = String::new();
    out.push_str("digraph boardroom {\n");
    let mut label = dot_escape(title);
    if !g.omitted.is_empty() {
        let names: Vec<&str> = g.omitted.iter().map(|o| o.label.as_str()).collect();
        label.push_str(&format!(
            "\\nnot drawn (no seat, office or interest on this date): {}",
            dot_escape(&names.join(", "))
        ));
    }
    out.push_str(&format!("  label=\"{label}\";\n"));
    out.push_str("  labelloc=t;\n  rankdir=BT;\n  newrank=true;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
    let node_line = |n: &boardroom::GraphNode| {
        let shape = match n.kind.as_str() {
            "person" => "ellipse",
            "body" => "box, style=\"rounded,filled\", fillcolor=\"#eef3ff\"",
            "group" => "hexagon, style=filled, fillcolor=\"#fff6e0\"",
            "unknown" | "unknown entity" => "box, style=dashed",
            _ => "box",
        };
        format!(
            "\"{}\" [label=\"{}\\n({})\", shape={shape}];\n",
            dot_escape(&n.id),
            dot_escape(&n.label),
            dot_escape(&n.kind)
        )
    };
    // A body and the entity it decides for, together.
    let mut clustered: Vec<&str> = Vec::new();
    for (k, e) in g.edges.iter().enumerate() {
        let is_board = matches!(e.kind, EdgeKind::Control | EdgeKind::Governs)
            && g.nodes.iter().any(|n| n.id == e.from && n.kind == "body");
        if !is_board || clustered.contains(&e.to.as_str()) || clustered.contains(&e.from.as_str()) {
            continue;
        }
        let (Some(body), Some(entity)) = (
            g.nodes.iter().find(|n| n.id == e.from),
            g.nodes.iter().find(|n| n.id == e.to),
        ) else {
            continue;
        };
        out.push_str(&format!(
            "  subgraph cluster_{k} {{\n    label=\"{}\";\n    style=rounded;\n    color=\"#d0d7de\";\n    ",
            dot_escape(&entity.label)
        ));
        out.push_str(&node_line(entity));
        out.push_str("    ");
        out.push_str(&node_line(body));
        out.push_str("  }\n");
        clustered.push(&e.to);
        clustered.push(&e.from);
    }
    for n in g
        .nodes
        .iter()
        .filter(|n| !clustered.contains(&n.id.as_str()))
    {
        out.push_str("  ");
        out.push_str(&node_line(n));
    }
    for e in &g.edges {
        let st = style_of(e.kind);
        let dashed = st.dashed || e.caveat.is_some();
        let tooltip = match (&e.detail, &e.caveat) {
            (Some(d), Some(c)) => format!("{d} ({c})"),
            (Some(d), None) => d.clone(),
            (None, Some(c)) => c.clone(),
            (None, None) => e.label.clone(),
        };
        out.push_str(&format!(
            "  \"{}\" -> \"{}\" [label=\"{}\", tooltip=\"{}\", color=\"{}\", penwidth={}{}];\n",
            dot_escape(&e.from),
            dot_escape(&e.to),
            dot_escape(&edge_label(e)),
            dot_escape(&tooltip),
            st.color,
            st.width,
            if dashed { ", style=dashed" } else { "" }
        ));
    }
    // The legend: one invisible pair of nodes per kind of edge present.
    out.push_str("  subgraph cluster_legend {\n    label=\"Legend\";\n    style=rounded;\n    color=\"#d0d7de\";\n    node [shape=point, width=0.05];\n");
    for (k, st) in kinds_present(g).into_iter().enumerate() {
        out.push_str(&format!(
            "    legend_{k}a -> legend_{k}b [label=\"{}\", color=\"{}\", penwidth={}{}];\n",
            st.legend,
            st.color,
            st.width,
            if st.dashed { ", style=dashed" } else { "" }
        ));
    }
    if g.edges.iter().any(|e| e.caveat.is_some()) {
        out.push_str("    legend_caveat_a -> legend_caveat_b [label=\"dashed: assumed or unverified\", style=dashed, color=\"#6e7781\"];\n");
    }
    out.push_str("  }\n}\n");
    out
}

fn mermaid_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Text for a Mermaid label or title: on one line, with the characters
/// Mermaid or HTML would read as markup written as entity codes.
fn mermaid_text(s: &str) -> String {
    boardroom::one_line(s)
        .replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// The graph as a Mermaid flowchart.
pub fn to_mermaid(g: &Graph, title: &str) -> String {
    let mut out = format!("---\ntitle: {}\n---\nflowchart BT\n", mermaid_text(title));
    for n in &g.nodes {
        let (open, close) = match n.kind.as_str() {
            "person" => ("([", "])"),
            "body" => ("[[", "]]"),
            "group" => ("{{", "}}"),
            _ => ("[", "]"),
        };
        out.push_str(&format!(
            "  {}{open}\"{}<br/><small>{}</small>\"{close}\n",
            mermaid_id(&n.id),
            mermaid_text(&n.label),
            mermaid_text(&n.kind)
        ));
    }
    for e in &g.edges {
        let arrow = match e.kind {
            EdgeKind::Control | EdgeKind::Governs => "==>",
            EdgeKind::Office | EdgeKind::MayControl => "-.->",
            _ => "-->",
        };
        out.push_str(&format!(
            "  {} {arrow}|\"{}\"| {}\n",
            mermaid_id(&e.from),
            mermaid_text(&e.label),
            mermaid_id(&e.to)
        ));
    }
    out
}

fn xml(s: &str) -> String {
    boardroom::one_line(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A label in lines of at most `width` characters, at most three.
fn wrap_label(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2].push('…');
    }
    lines
}

/// The graph as a self-contained SVG: holders above what they hold, each
/// rank a row ordered to keep edges short, a legend of the edge kinds
/// present, caveated edges dashed and labelled, and the parties left out
/// named at the foot. Deterministic: the same graph gives the same bytes.
pub fn to_svg(g: &Graph, title: &str) -> String {
    use std::collections::HashMap;
    use std::fmt::Write;
    const CHAR_W: f64 = 6.6;
    const ROW: f64 = 120.0;
    const GAP: f64 = 28.0;
    const TOP: f64 = 56.0;
    let index: HashMap<&str, usize> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let ends: Vec<(usize, usize)> = g
        .edges
        .iter()
        .filter_map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?)))
        .collect();
    // Rank: the longest path from a node that nothing points to, each
    // holder above what it holds; a cycle stops growing after n passes.
    let n = g.nodes.len();
    let mut rank = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for &(a, b) in &ends {
            if a != b && rank[b] < rank[a] + 1 && rank[a] + 1 < n.max(1) {
                rank[b] = rank[a] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // A node that nothing points to sits just above the highest of what
    // it holds, not at the top: Microsoft beside what it owns.
    for i in 0..n {
        if ends.iter().any(|&(a, b)| b == i && a != i) {
            continue;
        }
        if let Some(m) = ends
            .iter()
            .filter(|&&(a, b)| a == i && b != i)
            .map(|&(_, b)| rank[b])
            .min()
        {
            rank[i] = m.saturating_sub(1);
        }
    }
    let rows = rank.iter().copied().max().map_or(0, |m| m + 1);

    let mut row_of: Vec<Vec<usize>> = vec![Vec::new(); rows];
    for (i, &r) in rank.iter().enumerate() {
        row_of[r].push(i);
    }
    let lines: Vec<Vec<String>> = g.nodes.iter().map(|x| wrap_label(&x.label, 24)).collect();
    let width_of = |i: usize| {
        let longest = lines[i]
            .iter()
            .map(|l| l.chars().count())
            .chain([g.nodes[i].kind.chars().count()])
            .max()
            .unwrap_or(4);
        longest as f64 * CHAR_W + 20.0
    };
    let height_of = |i: usize| 18.0 + 14.0 * (lines[i].len() as f64) + 12.0;
    // Order each row by the mean position of the nodes above it, twice.
    let mut x = vec![0.0f64; n];
    let place = |row: &[usize], x: &mut Vec<f64>| {
        let mut at = 0.0;
        for &i in row {
            let w = width_of(i);
            x[i] = at + w / 2.0;
            at += w + GAP;
        }
    };
    for row in &row_of {
        place(row, &mut x);
    }
    for _ in 0..2 {
        for (r, row) in row_of.iter_mut().enumerate().skip(1) {
            let mut keyed: Vec<(f64, usize)> = row
                .iter()
                .map(|&i| {
                    let above: Vec<f64> = ends
                        .iter()
                        .filter(|&&(a, b)| b == i && rank[a] < r)
                        .map(|&(a, _)| x[a])
                        .collect();
                    let key = if above.is_empty() {
                        x[i]
                    } else {
                        above.iter().sum::<f64>() / above.len() as f64
                    };
                    (key, i)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            *row = keyed.into_iter().map(|(_, i)| i).collect();
            place(row, &mut x);
        }
    }
    let row_width =
        |r: &Vec<usize>| -> f64 { r.iter().map(|&i| width_of(i) + GAP).sum::<f64>() - GAP };
    let widest = row_of.iter().map(row_width).fold(480.0f64, f64::max);
    // Centre each row.
    for r in &row_of {
        let shift = (widest - row_width(r)) / 2.0;
        for &i in r {
            x[i] += shift;
        }
    }
    let margin = 24.0;
    let y_of = |i: usize| TOP + rank[i] as f64 * ROW;
    let legend = kinds_present(g);
    let caveated = g.edges.iter().any(|e| e.caveat.is_some());
    let legend_rows = legend.len() + usize::from(caveated);
    let foot = TOP + rows as f64 * ROW + 10.0;
    let omitted_h = if g.omitted.is_empty() { 0.0 } else { 36.0 };
    let total_w = widest + 2.0 * margin;
    let total_h = foot + 26.0 + legend_rows as f64 * 20.0 + omitted_h + margin;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w:.0} {total_h:.0}" width="{total_w:.0}" height="{total_h:.0}" font-family="Helvetica, Arial, sans-serif" role="img" aria-labelledby="graph-title">"#
    );
    let _ = writeln!(out, r#"<title id="graph-title">{}</title>"#, xml(title));
    out.push_str("<defs>\n");
    for (k, st) in EDGE_STYLES.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<marker id="arrow-{k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>"#,
            st.color
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/><text x="{margin}" y="28" font-size="16" font-weight="bold">{}</text>"##,
        xml(title)
    );
    let _ = writeln!(out, r#"<g transform="translate({margin},0)">"#);
    // Edges first, under the nodes; parallel edges fan out.
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    for (e, &(a, b)) in g.edges.iter().zip(&ends) {
        let k = EDGE_STYLES
            .iter()
            .position(|s| s.kind == e.kind)
            .unwrap_or(6);
        let st = &EDGE_STYLES[k];
        let nth = seen.entry((a.min(b), a.max(b))).or_insert(0);
        let bend = *nth as f64 * 26.0;
        *nth += 1;
        let (x1, y1, x2, y2) = if rank[b] > rank[a] {
            (x[a], y_of(a) + height_of(a), x[b], y_of(b))
        } else if rank[b] < rank[a] {
            (x[a], y_of(a), x[b], y_of(b) + height_of(b))
        } else {
            let dir = if x[b] > x[a] { 1.0 } else { -1.0 };
            (
                x[a] + dir * width_of(a) / 2.0,
                y_of(a) + height_of(a) / 2.0,
                x[b] - dir * width_of(b) / 2.0,
                y_of(b) + height_of(b) / 2.0,
            )
        };
        let (mx, my) = ((x1 + x2) / 2.0 + bend, (y1 + y2) / 2.0 - bend / 3.0);
        let dashed = if st.dashed || e.caveat.is_some() {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let tip = match (&e.detail, &e.caveat) {
            (Some(d), Some(c)) => format!("{}: {d} ({c})", e.label),
            (Some(d), None) => format!("{}: {d}", e.label),
            (None, Some(c)) => format!("{} ({c})", e.label),
            (None, None) => e.label.clone(),
        };
        let _ = writeln!(
            out,
            r#"<path class="edge edge-{kind}" d="M{x1:.1},{y1:.1} Q{mx:.1},{my:.1} {x2:.1},{y2:.1}" fill="none" stroke="{}" stroke-width="{}"{dashed} marker-end="url(#arrow-{k})"><title>{}</title></path>"#,
            st.color,
            st.width,
            xml(&tip),
            kind = serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        );
        let label = picture_label(e);
        if label.is_empty() {
            continue;
        }
        // On the curve, a little past its middle, toward the target.
        let tpos = 0.6;
        let (lx, ly) = (
            (1.0 - tpos) * (1.0 - tpos) * x1 + 2.0 * tpos * (1.0 - tpos) * mx + tpos * tpos * x2,
            (1.0 - tpos) * (1.0 - tpos) * y1 + 2.0 * tpos * (1.0 - tpos) * my + tpos * tpos * y2,
        );
        let lw = label.chars().count() as f64 * 5.6 + 6.0;
        let _ = writeln!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{lw:.1}" height="13" fill="#ffffff" fill-opacity="0.85"/><text x="{lx:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="{}">{}</text>"##,
            lx - lw / 2.0,
            ly - 10.0,
            ly,
            st.color,
            xml(&label)
        );
    }
    for (i, node) in g.nodes.iter().enumerate() {
        let (w, h) = (width_of(i), height_of(i));
        let (fill, stroke, rx, dash) = match node.kind.as_str() {
            "person" => ("#ffffff", "#57606a", h / 2.0, ""),
            "body" => ("#eef3ff", "#0969da", 10.0, ""),
            "group" => ("#fff6e0", "#9a6700", 4.0, ""),
            "unknown" | "unknown entity" => {
                ("#ffffff", "#8c959f", 2.0, r#" stroke-dasharray="4 3""#)
            }
            _ => ("#f6f8fa", "#24292f", 2.0, ""),
        };
        let _ = writeln!(
            out,
            r#"<g class="node" id="node-{}"><rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" rx="{rx:.1}" fill="{fill}" stroke="{stroke}"{dash}/>"#,
            xml(&node.id),
            x[i] - w / 2.0,
            y_of(i)
        );
        for (k, l) in lines[i].iter().enumerate() {
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle">{}</text>"#,
                x[i],
                y_of(i) + 17.0 + 14.0 * k as f64,
                xml(l)
            );
        }
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#57606a">{}</text></g>"##,
            x[i],
            y_of(i) + 17.0 + 14.0 * lines[i].len() as f64,
            xml(&node.kind)
        );
    }
    // The legend.
    let _ = writeln!(
        out,
        r#"<g class="legend"><text x="0" y="{:.1}" font-size="12" font-weight="bold">Legend</text>"#,
        foot + 14.0
    );
    let mut ly = foot + 34.0;
    for st in &legend {
        let dashed = if st.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r#"<line x1="0" y1="{:.1}" x2="36" y2="{:.1}" stroke="{}" stroke-width="{}"{dashed}/><text x="44" y="{:.1}" font-size="11">{}</text>"#,
            ly - 4.0,
            ly - 4.0,
            st.color,
            st.width,
            ly,
            st.legend
        );
        ly += 20.0;
    }
    if caveated {
        let _ = writeln!(
            out,
            r##"<line x1="0" y1="{:.1}" x2="36" y2="{:.1}" stroke="#6e7781" stroke-width="1.5" stroke-dasharray="6 4"/><text x="44" y="{:.1}" font-size="11">dashed: assumed or unverified (the label says which)</text>"##,
            ly - 4.0,
            ly - 4.0,
            ly
        );
        ly += 20.0;
    }
    out.push_str("</g>\n");
    if !g.omitted.is_empty() {
        let names: Vec<&str> = g.omitted.iter().map(|o| o.label.as_str()).collect();
        let _ = writeln!(
            out,
            r##"<text class="omitted" x="0" y="{:.1}" font-size="11" fill="#57606a">Not drawn (no seat, office or interest on this date): {}</text>"##,
            ly + 8.0,
            xml(&names.join(", "))
        );
    }
    out.push_str("</g>\n</svg>\n");
    out
}
