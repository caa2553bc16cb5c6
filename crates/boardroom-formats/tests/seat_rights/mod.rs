//! Rights to fill a board's seats (issue 14, point 4): who fills how many
//! seats from when; a majority of the seats is control, a minority is
//! influence; an appointment beyond the right in force is refused, with
//! the right's dates in the reason.

use boardroom::{Outcome, Structure, control, replay, state_as_of};

/// A company whose five-seat board is increasingly filled by a trust: one
/// seat until 2024-07-01, two until 2024-11-01, three after. At the start
/// the trust's seat is held by `d1`; `d2`-`d4` sit in the other seats.
fn company(events: &str) -> Structure {
    let text = format!(
        r#"
[scenario]
known_from = 2023-10-01

[[party]]
id = "co"
name = "Co PBC"
kind = "corporation"
jurisdiction = "US-DE"

[[party]]
id = "trust"
name = "The Trust"
kind = "purpose-trust"

[[party]]
id = "t1"
name = "Trustee One"
kind = "person"

[[party]]
id = "t2"
name = "Trustee Two"
kind = "person"

{people}

[[interest]]
id = "t1-trustee"
subject = "trust"
holder = "t1"
type = "trustee"

[[interest]]
id = "t2-trustee"
subject = "trust"
holder = "t2"
type = "trustee"

[[body]]
id = "board"
entity = "co"
name = "Board of directors"
kind = "board"
seats = 5
members = ["d1", "d2", "d3", "d4"]

[[body.appointments]]
by = "trust"
seats = 1
until = 2024-07-01
filled_with = ["d1"]

[[body.appointments]]
by = "trust"
seats = 2
from = 2024-07-01
until = 2024-11-01

[[body.appointments]]
by = "trust"
seats = 3
from = 2024-11-01

{events}
"#,
        people = (1..=6)
            .map(|k| format!(
                "[[party]]\nid = \"d{k}\"\nname = \"Director {k}\"\nkind = \"person\"\n"
            ))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    boardroom_formats::load("seats.toml", &text)
        .unwrap_or_else(|e| panic!("loads: {e:?}"))
        .structure
}

fn appoint(id: &str, date: &str, person: &str) -> String {
    format!(
        "[[event]]\nid = \"{id}\"\ndate = {date}\nact = \"appoint\"\nperson = \"{person}\"\nbody = \"board\"\nby = \"trust\"\n"
    )
}

fn verdict(s: &Structure, id: &str) -> boardroom::Verdict {
    replay(s)
        .verdicts
        .into_iter()
        .find(|v| v.id.as_deref() == Some(id))
        .expect("the act")
}

#[test]
fn a_second_appointment_before_the_second_seat_phases_in_is_refused() {
    let s = company(&appoint("early", "2024-03-01", "d5"));
    let v = verdict(&s, "early");
    assert_eq!(v.outcome, Outcome::Invalid, "{v:?}");
    assert!(
        v.reasons.iter().any(|r| r.contains("The Trust fills 1 seat of Board of directors on 2024-03-01, and it is filled: Director 1")
            && r.contains("2 seats from 2024-07-01 until 2024-11-01")),
        "{:?}",
        v.reasons
    );
}

#[test]
fn the_same_appointment_after_the_phase_in_is_valid_and_a_sixth_director_finds_no_seat() {
    let s = company(&format!(
        "{}\n{}",
        appoint("july", "2024-07-15", "d5"),
        appoint("november", "2024-11-15", "d6")
    ));
    let v = verdict(&s, "july");
    assert_eq!(v.outcome, Outcome::Valid, "{v:?}");
    assert!(v.authority.contains("The Trust"), "{}", v.authority);
    let v = verdict(&s, "november");
    assert_eq!(v.outcome, Outcome::Invalid, "{v:?}");
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("no vacant seat: 5 of 5 are filled")),
        "{:?}",
        v.reasons
    );
}

#[test]
fn the_trust_removes_only_whom_it_appointed() {
    let remove = |who: &str| {
        format!(
            "[[event]]\nid = \"remove-{who}\"\ndate = 2024-01-10\nact = \"remove\"\nperson = \"{who}\"\nbody = \"board\"\nby = \"trust\"\n"
        )
    };
    let s = company(&format!("{}\n{}", remove("d2"), remove("d1")));
    let v = verdict(&s, "remove-d2");
    assert_eq!(v.outcome, Outcome::Invalid);
    assert!(
        v.reasons.iter().any(|r| r.contains(
            "Director 2 does not sit in a seat of Board of directors that The Trust fills"
        )),
        "{:?}",
        v.reasons
    );
    assert_eq!(verdict(&s, "remove-d1").outcome, Outcome::Valid);
}

#[test]
fn a_minority_of_seats_is_influence_and_a_majority_is_control_through_the_trustees() {
    let s = company("");
    let at = |d: &str| {
        let (state, _) = state_as_of(&s, d.parse().expect("date"));
        control(&s, &state)
            .entities
            .into_iter()
            .find(|e| e.entity == "co")
            .expect("co")
    };
    let before = at("2024-08-01");
    assert_eq!(before.direct[0].controller, "board", "{:?}", before.direct);
    assert!(
        before.influence.iter().any(|i| i.party == "trust"
            && i.detail.contains(
                "has the right to fill 2 of the 5 seats of Board of directors; \
                     the record shows 1 sitting by its choice: Director 1"
            )),
        "{:?}",
        before.influence
    );
    // While its one seat is filled, the Trust fills it.
    let early = at("2024-03-01");
    assert!(
        early
            .influence
            .iter()
            .any(|i| i.party == "trust"
                && i.detail == "fills 1 of the 5 seats of Board of directors"),
        "{:?}",
        early.influence
    );
    let after = at("2024-12-01");
    assert_eq!(after.direct[0].controller, "trust", "{:?}", after.direct);
    assert!(
        after.direct[0]
            .detail
            .contains("has the right to fill 3 of the 5 seats"),
        "{:?}",
        after.direct
    );
    let u = &after.ultimate[0];
    assert_eq!(u.kind, "body");
    assert_eq!(u.name, "Trustees of The Trust");
    assert_eq!(u.members, ["t1", "t2"]);
}

#[test]
fn rights_that_fill_more_seats_than_the_board_has_are_refused() {
    let mut s = company("");
    assert!(boardroom::validate(&s).is_empty());
    // Rights that never end pile up: 1 + 2 + 3 seats from 2024-11-01.
    for r in &mut s.body[0].appointments {
        r.until = None;
    }
    let d = boardroom::validate(&s);
    assert!(
        d.iter().any(|x| x.message
            == "from 2024-11-01, the rights fill 6 seats of `board`, which has 5"
            && x.path.to_string() == "body[0].appointments"),
        "{d:?}"
    );
}
