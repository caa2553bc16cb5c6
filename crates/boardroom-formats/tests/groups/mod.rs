//! Groups acting in concert (issue 14, point 7): where an agreement binds
//! its members, their votes count as one holder's in control, in the
//! voting game, for `block` and for charter constraints; where it does not
//! bind, or no longer binds, they are counted apart.

use boardroom::{Structure, body_game, control, state_as_of, validate};

/// A dual-class company: class A without votes (public), class B one vote,
/// class C ten votes. `f1` holds 45,000 C (450,000 votes), `f2` 40,000 C
/// (400,000), the public 1,500,000 A and 150,000 B (150,000 votes), of
/// 1,000,000 votes in all. The founders have a voting agreement from
/// 2020-01-01 (`group`, TOML, appended).
fn company(group: &str) -> Structure {
    boardroom_formats::load("groups.toml", &text(group))
        .unwrap_or_else(|e| panic!("loads: {e:?}"))
        .structure
}

/// What loading the company with `group` reports: (line, message, hint).
fn refused(group: &str) -> Vec<(usize, String, String)> {
    match boardroom_formats::load("groups.toml", &text(group)) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .into_iter()
            .map(|l| {
                (
                    l.line,
                    format!("{}: {}", l.diagnostic.path, l.diagnostic.message),
                    l.diagnostic.hint.unwrap_or_default(),
                )
            })
            .collect(),
    }
}

fn text(group: &str) -> String {
    format!(
        r#"
[scenario]
known_from = 2019-01-01

[[party]]
id = "co"
name = "Co Inc."
kind = "corporation"
jurisdiction = "US-DE"

[[party]]
id = "f1"
name = "Founder One"
kind = "person"

[[party]]
id = "f2"
name = "Founder Two"
kind = "person"

[[share_class]]
id = "A"
entity = "co"
name = "Class A common (no votes)"
issued = 1500000
votes_per_share = 0

[[share_class]]
id = "B"
entity = "co"
name = "Class B common"
issued = 150000
votes_per_share = 1

[[share_class]]
id = "C"
entity = "co"
name = "Class C common"
issued = 85000
votes_per_share = 10

[[body]]
id = "gm"
entity = "co"
name = "Stockholders"
kind = "shareholders"

[[body]]
id = "board"
entity = "co"
name = "Board of directors"
kind = "board"
members = ["f1", "f2"]

[[interest]]
id = "f1-c"
subject = "co"
holder = "f1"
type = "shareholding"
class = "C"
units = 45000

[[interest]]
id = "f2-c"
subject = "co"
holder = "f2"
type = "shareholding"
class = "C"
units = 40000

{group}
"#
    )
}

const AGREEMENT: &str = r#"
[[group]]
id = "founders"
name = "The founders (voting agreement)"
members = ["f1", "f2"]
entities = ["co"]
agreement = "voting agreement of 2020-01-01"
from = 2020-01-01
until = 2030-01-01
"#;

fn on(s: &Structure, date: &str) -> boardroom::EntityControl {
    let (state, _) = state_as_of(s, date.parse().expect("date"));
    control(s, &state)
        .entities
        .into_iter()
        .find(|e| e.entity == "co")
        .expect("co")
}

#[test]
fn apart_no_founder_controls_and_together_they_are_the_joint_majority() {
    let s = company("");
    assert!(validate(&s).is_empty(), "{:?}", validate(&s));
    let co = on(&s, "2024-01-01");
    // 45% and 40% of the votes: no one alone; the board, as a body.
    assert_eq!(co.direct.len(), 1, "{:?}", co.direct);
    assert_eq!(co.direct[0].controller, "board");
    assert_eq!(co.joint, vec![vec!["f1".to_string(), "f2".to_string()]]);
}

#[test]
fn a_binding_agreement_makes_the_group_the_controller_and_names_its_members() {
    let s = company(AGREEMENT);
    assert!(validate(&s).is_empty(), "{:?}", validate(&s));
    let co = on(&s, "2024-01-01");
    assert_eq!(co.direct.len(), 1, "{:?}", co.direct);
    let d = &co.direct[0];
    assert_eq!(d.controller, "founders");
    assert_eq!(d.basis, boardroom::definition::Basis::Votes);
    assert!(
        d.detail.contains("together 85% of the votes"),
        "{}",
        d.detail
    );
    assert!(d.detail.contains("Founder One 45%"), "{}", d.detail);
    assert!(
        d.detail.contains("voting agreement of 2020-01-01"),
        "{}",
        d.detail
    );
    let u = &co.ultimate[0];
    assert_eq!(
        (u.controller.as_str(), u.kind.as_str()),
        ("founders", "group")
    );
    assert_eq!(u.members, ["f1", "f2"]);
    // Each member keeps its own row beside the group's.
    let row = |p: &str| co.holders.iter().find(|h| h.party == p).cloned();
    assert_eq!(row("f1").and_then(|r| r.votes).as_deref(), Some("45%"));
    assert_eq!(
        row("founders").and_then(|r| r.votes).as_deref(),
        Some("85%")
    );
    // No joint coalition is reported: the group controls alone.
    assert!(co.joint.is_empty(), "{:?}", co.joint);
}

#[test]
fn before_and_after_the_agreement_the_founders_are_counted_apart() {
    let s = company(AGREEMENT);
    for date in ["2019-06-01", "2030-01-01"] {
        let co = on(&s, date);
        assert_eq!(co.direct[0].controller, "board", "{date}: {:?}", co.direct);
    }
}

#[test]
fn a_group_declared_but_not_bound_is_never_pooled() {
    let s = company(&AGREEMENT.replace("until = 2030-01-01", "until = 2030-01-01\nbinds = false"));
    assert!(validate(&s).is_empty(), "{:?}", validate(&s));
    let co = on(&s, "2024-01-01");
    assert_eq!(co.direct[0].controller, "board");
}

#[test]
fn the_group_plays_as_one_in_the_stockholders_game() {
    let s = company(AGREEMENT);
    let (state, _) = state_as_of(&s, "2024-01-01".parse().expect("date"));
    let g = body_game(&s, &state, "gm", "elect-directors", None).expect("game");
    // The public's votes, not named, play as one voter beside the group.
    assert_eq!(g.players, ["founders", boardroom::UNNAMED_HOLDERS]);
    assert_eq!(g.groups[0].members, ["f1", "f2"]);
    assert_eq!(g.player_of("f2"), Some(0));
    // Apart, they are two players, and neither is a dictator.
    let (state, _) = state_as_of(&s, "2019-06-01".parse().expect("date"));
    let g = body_game(&s, &state, "gm", "elect-directors", None).expect("game");
    assert_eq!(g.players, ["f1", "f2", boardroom::UNNAMED_HOLDERS]);
    assert!(g.groups.is_empty());
}

#[test]
fn a_group_must_keep_its_votes_under_a_charter_constraint() {
    let s = company(&format!(
        "{AGREEMENT}
[[constraint]]
id = \"founders-keep-control\"
entity = \"co\"
keeps_votes = {{ party = \"founders\", at_least = 51 }}
"
    ));
    assert!(validate(&s).is_empty(), "{:?}", validate(&s));
    let (state, _) = state_as_of(&s, "2024-01-01".parse().expect("date"));
    assert!(boardroom::breaches(&s, &state).is_empty());
}

#[test]
fn bad_groups_are_refused_with_the_place_and_a_hint() {
    let one = refused(&AGREEMENT.replace(r#"members = ["f1", "f2"]"#, r#"members = ["f1", "f1"]"#));
    assert!(
        one.iter().any(|(line, m, h)| *line > 60
            && m.contains("group[0].members: group `founders` has 1 distinct member")
            && h.contains("two or more")),
        "{one:?}"
    );
    let unknown =
        refused(&AGREEMENT.replace(r#"members = ["f1", "f2"]"#, r#"members = ["f1", "f3"]"#));
    assert!(
        unknown
            .iter()
            .any(|(_, m, h)| m.contains("unknown party `f3`") && !h.is_empty()),
        "{unknown:?}"
    );
    let twice = refused(&format!(
        "{AGREEMENT}{}",
        AGREEMENT.replace("id = \"founders\"", "id = \"founders-2\"")
    ));
    assert!(
        twice.iter().any(
            |(_, m, h)| m.contains("bind the same entity at the same time") && h.contains("merge")
        ),
        "{twice:?}"
    );
}
