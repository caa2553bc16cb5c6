//! Invariants of the timeline on generated boards.

use boardroom::{
    ActKind, Basis, Body, BodyKind, Event, Office, Outcome, Party, PartyKind, Quota, Rule, State,
    Structure, replay, state_as_of,
};
use chrono::NaiveDate;
use proptest::prelude::*;

fn person(i: usize) -> String {
    format!("p{i}")
}

/// A board of `n` of `pool` people, a CEO office, one rule, and meetings
/// each resolving one act with random attendance and ballots.
fn board(
    n: usize,
    seats: Option<u32>,
    quorum: &str,
    threshold: &str,
    meetings: Vec<(u16, u16, u16, u8, usize)>,
) -> Structure {
    let pool = n + 3;
    let mut s = Structure::default();
    s.party.push(Party {
        id: "co".into(),
        name: "Co".into(),
        kind: PartyKind::Corporation,
        jurisdiction: None,
        identifier: Vec::new(),
        founded: None,
        dissolved: None,
        source: None,
        note: None,
    });
    for i in 0..pool {
        s.party.push(Party {
            id: person(i),
            name: format!("Person {i}"),
            kind: PartyKind::Person,
            jurisdiction: None,
            identifier: Vec::new(),
            founded: None,
            dissolved: None,
            source: None,
            note: None,
        });
    }
    s.body.push(Body {
        id: "board".into(),
        entity: "co".into(),
        name: "Board".into(),
        kind: BodyKind::Board,
        seats,
        filled_by: None,
        members: (0..n).map(person).collect(),
        chair: None,
        class: None,
        appointments: Vec::new(),
        source: None,
        note: None,
    });
    s.office.push(Office {
        id: "ceo".into(),
        entity: "co".into(),
        title: "CEO".into(),
        filled_by: None,
        holder: Some(person(0)),
        source: None,
        note: None,
    });
    s.rule.push(Rule {
        id: Some("r".into()),
        body: "board".into(),
        decision: "*".into(),
        quorum: Some(quorum.parse::<Quota>().expect("quota")),
        threshold: threshold.parse().expect("quota"),
        ineligible: vec!["subject".into()],
        notice: None,
        written_consent: None,
        all: Vec::new(),
        any: Vec::new(),
        basis: Basis::Assumption,
        source: None,
        note: None,
    });
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    for (k, (present, votes, against, act, who)) in meetings.into_iter().enumerate() {
        let date = start + chrono::Duration::days(k as i64);
        let id = format!("m{k}");
        let present: Vec<String> = (0..pool)
            .filter(|i| present & (1 << i) != 0)
            .map(person)
            .collect();
        let votes_for: Vec<String> = present
            .iter()
            .enumerate()
            .filter(|(i, _)| votes & (1 << i) != 0)
            .map(|(_, p)| p.clone())
            .collect();
        let against: Vec<String> = present
            .iter()
            .enumerate()
            .filter(|(i, _)| votes & (1 << i) == 0 && against & (1 << i) != 0)
            .map(|(_, p)| p.clone())
            .collect();
        s.event.push(Event {
            id: Some(id.clone()),
            date,
            act: ActKind::Meeting,
            body: Some("board".into()),
            present: Some(present),
            ..Event::new(date, ActKind::Meeting)
        });
        let person = person(who % pool);
        let (act, office, body) = match act % 4 {
            0 => (ActKind::Remove, Some("ceo".to_string()), None),
            1 => (ActKind::Appoint, Some("ceo".to_string()), None),
            2 => (ActKind::Remove, None, Some("board".to_string())),
            _ => (ActKind::Appoint, None, Some("board".to_string())),
        };
        s.event.push(Event {
            id: Some(format!("a{k}")),
            act,
            person: Some(person),
            office,
            body,
            by: Some("board".into()),
            meeting: Some(id),
            votes_for,
            against,
            ..Event::new(date, ActKind::Meeting)
        });
    }
    s
}

fn quota() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("majority of present"),
        Just("majority of total-seats"),
        Just("majority of seats-in-office"),
        Just("majority of votes-cast"),
        Just("2/3 of seats-in-office"),
        Just("all of present"),
        Just("3"),
    ]
}

fn arb_board() -> impl Strategy<Value = Structure> {
    (
        3usize..9,
        prop::option::of(9u32..12),
        quota(),
        quota(),
        prop::collection::vec(
            (
                any::<u16>(),
                any::<u16>(),
                any::<u16>(),
                any::<u8>(),
                any::<usize>(),
            ),
            1..10,
        ),
    )
        .prop_map(|(n, seats, q, t, m)| board(n, seats, q, t, m))
}

proptest! {
    #[test]
    fn replay_is_deterministic(s in arb_board()) {
        prop_assert_eq!(replay(&s), replay(&s));
    }

    #[test]
    fn folding_in_two_steps_equals_folding_in_one(s in arb_board(), a in 0i64..12, b in 0i64..12) {
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
        let (d1, d2) = (start + chrono::Duration::days(a.min(b)), start + chrono::Duration::days(a.max(b)));
        let (once, _) = state_as_of(&s, d2);
        let mut twice = State::initial(&s);
        twice.advance(&s, Some(d1));
        twice.advance(&s, Some(d2));
        prop_assert_eq!(once, twice);
    }

    /// A valid decision met every count it was held to, and an invalid
    /// decision failed at least one (or the act itself was impossible).
    #[test]
    fn verdicts_agree_with_their_counts(s in arb_board()) {
        for v in replay(&s).verdicts {
            let Some(d) = &v.decision else { continue };
            let counts_met = d.quorum.as_ref().is_none_or(|q| q.actual >= q.required)
                && d.threshold.actual >= d.threshold.required
                && d.no_power.is_none();
            prop_assert_eq!(counts_met, d.passed);
            match v.outcome {
                Outcome::Valid => {
                    prop_assert!(d.passed);
                    prop_assert!(v.reasons.is_empty());
                }
                // The record leaves a count open: it says what would decide it.
                Outcome::CannotTell => {
                    prop_assert!(!d.passed && v.reasons.is_empty());
                    prop_assert!(!v.would_decide.is_empty());
                }
                _ => prop_assert!(!v.reasons.is_empty()),
            }
            // Ineligible members' votes are never counted.
            let counted = d.votes_for.iter().filter(|p| !d.ineligible.iter().any(|i| &i.party == *p)).count();
            prop_assert_eq!(d.threshold.actual, counted as u64);
        }
    }

    /// One more vote for never turns a carried decision into a failed one.
    #[test]
    fn an_extra_vote_for_never_hurts(s in arb_board(), pick in any::<usize>()) {
        let base = replay(&s);
        for (i, v) in base.verdicts.iter().enumerate() {
            let Some(d) = &v.decision else { continue };
            if !d.passed { continue; }
            let absent_from_for: Vec<String> = d.abstain.iter().chain(&d.against).cloned().collect();
            let Some(extra) = absent_from_for.get(pick % absent_from_for.len().max(1)) else { continue };
            let mut t = s.clone();
            t.event[i].votes_for.push(extra.clone());
            t.event[i].against.retain(|p| p != extra);
            t.event[i].abstain.retain(|p| p != extra);
            let mut st = boardroom::state_before(&t, i);
            let w = st.apply(&t, i, &t.event[i]);
            prop_assert!(w.decision.is_some_and(|d| d.passed));
        }
    }
}
