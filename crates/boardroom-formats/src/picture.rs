//! Pictures of the ownership and control graph: Graphviz DOT and Mermaid.
//! Output is deterministic: nodes and edges keep the structure's order.

use boardroom::{EdgeKind, Graph};

fn dot_escape(s: &str) -> String {
    boardroom::one_line(s)
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

/// The graph as Graphviz DOT.
pub fn to_dot(g: &Graph, title: &str) -> String {
    let mut out = String::new();
    out.push_str("digraph boardroom {\n");
    out.push_str(&format!("  label=\"{}\";\n", dot_escape(title)));
    out.push_str("  labelloc=t;\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for n in &g.nodes {
        let shape = match n.kind.as_str() {
            "person" => "ellipse",
            "body" => "box, style=\"rounded,filled\", fillcolor=\"#eef3ff\"",
            "group" => "hexagon, style=filled, fillcolor=\"#fff6e0\"",
            "unknown" | "unknown entity" => "box, style=dashed",
            _ => "box",
        };
        out.push_str(&format!(
            "  \"{}\" [label=\"{}\\n({})\", shape={shape}];\n",
            dot_escape(&n.id),
            dot_escape(&n.label),
            dot_escape(&n.kind)
        ));
    }
    for e in &g.edges {
        let style = match e.kind {
            EdgeKind::Economic => "color=\"#1a7f37\"",
            EdgeKind::Control => "color=\"#cf222e\", penwidth=2",
            EdgeKind::MayControl => "color=\"#cf222e\", style=dashed",
            EdgeKind::Seat => "color=\"#0969da\"",
            EdgeKind::Office => "color=\"#8250df\", style=dashed",
            EdgeKind::Governs => "color=\"#cf222e\", penwidth=2, style=bold",
            EdgeKind::Other => "color=gray",
        };
        out.push_str(&format!(
            "  \"{}\" -> \"{}\" [label=\"{}\", {style}];\n",
            dot_escape(&e.from),
            dot_escape(&e.to),
            dot_escape(&e.label)
        ));
    }
    out.push_str("}\n");
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
