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
    /// Control, as the definition of control finds it: from each direct
    /// controller to the entity, labelled with why.
    Control,
    /// A possible controller: the data allows a majority and allows none.
    MayControl,
    /// A seat on a body (label says `chair` for the chair).
    Seat,
    /// An office held.
    Office,
    /// A body that governs an entity without controlling it (when some
    /// party controls the entity, or the body is not its board).
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
        .filter(|p| state.exists(&p.id))
        .map(|p| GraphNode {
            id: p.id.clone(),
            label: p.name.clone(),
            kind: p.kind.label().to_string(),
        })
        .collect();
    nodes.extend(
        s.body
            .iter()
            .filter(|b| state.exists(&b.entity))
            .map(|b| GraphNode {
                id: b.id.clone(),
                label: b.name.clone(),
                kind: "body".to_string(),
            }),
    );
    let mut edges = Vec::new();
    // Groups acting in concert, bound on the date: a node, and an edge from
    // each member.
    for g in s.group.iter().filter(|g| {
        g.binds
            && state
                .date
                .is_none_or(|d| g.from.is_none_or(|f| f <= d) && g.until.is_none_or(|u| d < u))
    }) {
        nodes.push(GraphNode {
            id: g.id.clone(),
            label: g.name.clone(),
            kind: "group".to_string(),
        });
        for m in g.members.iter().filter(|m| state.exists(m)) {
            edges.push(GraphEdge {
                from: m.clone(),
                to: g.id.clone(),
                kind: EdgeKind::Seat,
                label: "acts in concert".to_string(),
            });
        }
    }
    let controllers: Vec<(String, Vec<crate::control::Controller>)> = s
        .party
        .iter()
        .filter(|p| !p.kind.is_person() && state.exists(&p.id))
        .map(|p| {
            (
                p.id.clone(),
                crate::control::direct_controllers(s, state, &p.id),
            )
        })
        .collect();
    let controls_as_body = |body: &str, entity: &str| {
        controllers
            .iter()
            .any(|(e, cs)| e == entity && cs.iter().any(|c| c.controller == body))
    };
    for b in s.body.iter().filter(|b| state.exists(&b.entity)) {
        if !controls_as_body(&b.id, &b.entity) {
            edges.push(GraphEdge {
                from: b.id.clone(),
                to: b.entity.clone(),
                kind: EdgeKind::Governs,
                label: "governs".to_string(),
            });
        }
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
    // Directors stated as interests, with no board body: the board as a node.
    for (entity, cs) in &controllers {
        for c in cs {
            if c.basis == crate::control::Basis::Board && s.body(&c.controller).is_none() {
                nodes.push(GraphNode {
                    id: c.controller.clone(),
                    label: c.name.clone(),
                    kind: "body".to_string(),
                });
            }
            edges.push(GraphEdge {
                from: c.controller.clone(),
                to: entity.clone(),
                kind: if c.certain {
                    EdgeKind::Control
                } else {
                    EdgeKind::MayControl
                },
                label: if c.certain {
                    format!("controls, {}", c.basis.short())
                } else {
                    format!("may control, {}", c.basis.short())
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
    let drawn_as_control = |i: &crate::model::Interest| {
        !i.kind.is_economic()
            && controllers
                .iter()
                .flat_map(|(_, cs)| cs)
                .any(|c| c.interest.as_deref() == Some(i.id.as_str()))
    };
    for i in state.active_interests().filter(|i| !drawn_as_control(i)) {
        let from = i.holder.clone().unwrap_or_else(|| {
            let id = format!("unspecified-{}", i.id);
            nodes.push(GraphNode {
                id: id.clone(),
                label: "unspecified".to_string(),
                kind: "unknown".to_string(),
            });
            id
        });
        // Control is drawn from the findings above; an interest is drawn
        // for what it is: economic, a seat, an office, or other.
        let kind = if i.kind.is_economic() {
            EdgeKind::Economic
        } else {
            match crate::control::Reading::of(i.kind) {
                crate::control::Reading::Seat => EdgeKind::Seat,
                crate::control::Reading::SeniorOfficial => EdgeKind::Office,
                _ => EdgeKind::Other,
            }
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
