//! The ownership and control graph on a date: parties and bodies as nodes;
//! interests, board seats, offices and control as edges. The formats crate
//! draws it as DOT or Mermaid.

use chrono::NaiveDate;
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
    /// A short label for the picture: "49%", "member", "controls, as a
    /// body".
    pub label: String,
    /// The share the edge's interest states, in percent (exact, or a
    /// range): what a share threshold filters on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<crate::model::Share>,
    /// The interest the edge draws, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest: Option<String>,
    /// The interest's own words, when it has them: for a tooltip or a
    /// table, too long for the picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The source of what the edge stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// What is caveated about it (assumed, or resting on an unidentified
    /// source): pictures draw it dashed and say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
}

/// A party left out of the picture, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Omitted {
    pub id: String,
    pub label: String,
    pub reason: String,
}

/// The graph on the state's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Graph {
    /// The date drawn, and what the record can say on it (the same span
    /// `state` and `control` give).
    pub date: Option<NaiveDate>,
    pub record: crate::report::RecordSpan,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// Parties with no seat, office or interest on the date: not drawn,
    /// listed here so that no one disappears unsaid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<Omitted>,
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
                share: None,
                interest: None,
                label: "acts in concert".to_string(),
                detail: None,
                source: g.source.clone(),
                caveat: None,
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
                share: None,
                interest: None,
                label: "governs".to_string(),
                detail: None,
                source: b.source.clone(),
                caveat: None,
            });
        }
        for (m, votes) in state.voters(b) {
            let chair = state.chairs.get(&b.id) == Some(&m);
            edges.push(GraphEdge {
                to: b.id.clone(),
                kind: EdgeKind::Seat,
                share: None,
                interest: None,
                label: match (chair, b.kind.is_holder_body()) {
                    (true, _) => "chair".to_string(),
                    (false, true) => format!("{votes} votes"),
                    (false, false) => "member".to_string(),
                },
                detail: None,
                source: state
                    .source_of(&crate::timeline::Held::Seat(b.id.clone(), m.clone()))
                    .map(str::to_string),
                caveat: None,
                from: m,
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
                share: None,
                interest: c.interest.clone(),
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
                detail: (!c.detail.is_empty()).then(|| c.detail.clone()),
                source: c.source.clone(),
                caveat: c
                    .interest
                    .as_deref()
                    .and_then(|i| state.interest_by_id(i))
                    .map(|i| crate::report::interest_caveats(s, i).join("; "))
                    .filter(|x| !x.is_empty()),
            });
        }
    }
    for o in &s.office {
        if let Some(h) = state.holders.get(&o.id) {
            edges.push(GraphEdge {
                from: h.clone(),
                to: o.entity.clone(),
                kind: EdgeKind::Office,
                share: None,
                interest: None,
                label: o.title.clone(),
                detail: None,
                source: state
                    .source_of(&crate::timeline::Held::Office(o.id.clone()))
                    .map(str::to_string),
                caveat: None,
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
        // The picture's label is short: the share, else the kind in
        // plain words; the interest's own words go in `detail`.
        let words = i.kind.plain().trim_end_matches(',');
        let label = match &i.share {
            Some(sh) if i.kind == crate::model::InterestType::Shareholding => {
                format!("shares {}", sh.label())
            }
            Some(sh) if i.kind == crate::model::InterestType::RightsToProfitOrIncome => {
                format!("profits {}", sh.label())
            }
            Some(sh) => format!("{words} {}", sh.label()),
            None => words.to_string(),
        };
        let caveats = crate::report::interest_caveats(s, i);
        edges.push(GraphEdge {
            from,
            to: i.subject.clone(),
            kind,
            label,
            share: i.share.clone(),
            interest: Some(i.id.clone()),
            detail: i.details.clone(),
            source: i.source.clone(),
            caveat: (!caveats.is_empty()).then(|| caveats.join("; ")),
        });
    }
    // No one disappears unsaid: a party with no edge on the date is listed
    // as omitted, with the reason.
    let linked: std::collections::HashSet<&str> = edges
        .iter()
        .flat_map(|e| [e.from.as_str(), e.to.as_str()])
        .collect();
    let (nodes, lonely): (Vec<GraphNode>, Vec<GraphNode>) = nodes
        .into_iter()
        .partition(|n| linked.contains(n.id.as_str()) || edges.is_empty());
    let omitted = lonely
        .into_iter()
        .map(|n| Omitted {
            reason: if n.kind == "person" {
                "holds no seat, office or interest on this date".to_string()
            } else {
                "no interest, seat or office links it to the rest on this date".to_string()
            },
            id: n.id,
            label: n.label,
        })
        .collect();
    Graph {
        date: state.date,
        record: crate::report::record_span(s, state.date),
        nodes,
        edges,
        omitted,
    }
}
