//! The ownership and control graph on a date: parties and bodies as nodes;
//! interests, board seats, offices and control as edges. The formats crate
//! draws it as DOT or Mermaid.

use serde::Serialize;

use crate::model::Structure;
use crate::timeline::State;

/// A node: a party or a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GraphNode {
    pub id: String,
    pub label: String,
    /// `person`, `body`, or the entity kind (`nonprofit`, `LLC`, ...).
    pub kind: String,
}

/// What an edge stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// An economic interest (shares, rights to profit).
    Economic,
    /// A control interest or right.
    Control,
    /// A seat on a body (label says `chair` for the chair).
    Seat,
    /// An office held.
    Office,
    /// A body that governs an entity.
    Governs,
    /// Any other interest.
    Other,
}

/// A directed edge, from holder to subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: String,
}

/// The graph on the state's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// Build the graph of `s` in `state`.
pub fn graph(s: &Structure, state: &State) -> Graph {
    let mut nodes: Vec<GraphNode> = s
        .party
        .iter()
        .map(|p| GraphNode {
            id: p.id.clone(),
            label: p.name.clone(),
            kind: p.kind.label().to_string(),
        })
        .collect();
    nodes.extend(s.body.iter().map(|b| GraphNode {
        id: b.id.clone(),
        label: b.name.clone(),
        kind: "body".to_string(),
    }));
    let mut edges = Vec::new();
    for b in &s.body {
        edges.push(GraphEdge {
            from: b.id.clone(),
            to: b.entity.clone(),
            kind: EdgeKind::Governs,
            label: "governs".to_string(),
        });
        for (m, votes) in state.voters(b) {
            let chair = state.chairs.get(&b.id) == Some(&m);
            edges.push(GraphEdge {
                from: m,
                to: b.id.clone(),
                kind: EdgeKind::Seat,
                label: match (chair, b.kind.is_holder_body()) {
                    (true, _) => "chair".to_string(),
                    (false, true) => format!("{votes} votes"),
                    (false, false) => "member".to_string(),
                },
            });
        }
    }
    for o in &s.office {
        if let Some(h) = state.holders.get(&o.id) {
            edges.push(GraphEdge {
                from: h.clone(),
                to: o.entity.clone(),
                kind: EdgeKind::Office,
                label: o.title.clone(),
            });
        }
    }
    for i in state.active_interests() {
        let from = i.holder.clone().unwrap_or_else(|| {
            let id = format!("unspecified-{}", i.id);
            nodes.push(GraphNode {
                id: id.clone(),
                label: "unspecified".to_string(),
                kind: "unknown".to_string(),
            });
            id
        });
        let kind = if i.kind.is_economic() {
            EdgeKind::Economic
        } else if crate::control::is_control_type(i.kind) {
            EdgeKind::Control
        } else {
            EdgeKind::Other
        };
        let mut label = i
            .details
            .clone()
            .unwrap_or_else(|| i.kind.code().to_string());
        if let Some(sh) = &i.share {
            label = format!("{label} {}", sh.label());
        }
        edges.push(GraphEdge {
            from,
            to: i.subject.clone(),
            kind,
            label,
        });
    }
    Graph { nodes, edges }
}
