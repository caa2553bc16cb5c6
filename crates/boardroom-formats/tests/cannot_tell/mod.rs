//! Unknown is not no (issue 13): where the file does not say whether
//! notice was given, who attended or how members voted, a rule that
//! depends on it gives a third verdict, "cannot tell", with what would
//! decide it; a count that fails whatever the record would say is still
//! invalid.

use boardroom::{Outcome, Verdict, replay};

/// A corporation with a six-seat board (a..f) and a CEO office, then
/// `events` (TOML), replayed; the verdicts on acts.
fn acts(rule: &str, events: &str) -> Vec<Verdict> {
    let mut t = String::from("[[party]]\nid = \"co\"\nname = \"Co\"\nkind = \"corporation\"\n");
    for p in ["a", "b", "c", "d", "e", "f", "o"] {
        t.push_str(&format!(
            "[[party]]\nid = \"{p}\"\nname = \"{p}\"\nkind = \"person\"\n"
        ));
    }
    t.push_str(
        r#"
[[body]]
id = "board"
entity = "co"
name = "Board"
kind = "board"
seats = 6
members = ["a", "b", "c", "d", "e", "f"]

[[office]]
id = "ceo"
entity = "co"
title = "CEO"
"#,
    );
    t.push_str(rule);
    t.push_str(events);
    let s = boardroom_formats::load("gaps.toml", &t)
        .unwrap_or_else(|e| panic!("loads: {e:?}"))
        .structure;
    replay(&s)
        .verdicts
        .into_iter()
        .filter(|v| v.outcome != Outcome::Recorded)
        .collect()
}

const NOTICE_RULE: &str = r#"
[[rule]]
body = "board"
decision = "*"
quorum = "majority of total-seats"
threshold = "majority of present"
notice = "all-members"
basis = "document"
"#;

fn appoint(meeting: &str, votes: &str) -> String {
    format!(
        r#"
[[event]]
id = "m"
date = 2024-05-01
act = "meeting"
body = "board"
{meeting}

[[event]]
date = 2024-05-01
act = "appoint"
person = "o"
office = "ceo"
by = "board"
meeting = "m"
{votes}
"#
    )
}

/// Regression: a meeting that does not record who was notified was judged
/// invalid under a rule requiring notice to every director.
#[test]
fn unrecorded_notice_cannot_be_told_not_invalid() {
    let v = acts(
        NOTICE_RULE,
        &appoint(
            r#"present = ["a", "b", "c", "d"]"#,
            r#"for = ["a", "b", "c", "d"]"#,
        ),
    );
    assert_eq!(v[0].outcome, Outcome::CannotTell, "{v:?}");
    assert!(v[0].reasons.is_empty(), "{v:?}");
    assert!(
        v[0].would_decide.iter().any(|w| w.contains("notice")),
        "{v:?}"
    );
    // The state goes on as the record shows it: the CEO is appointed.
    assert!(
        v[0].assumptions
            .iter()
            .any(|a| a.contains("applied as the record shows"))
    );
}

/// Recorded notice that missed a director is still a failure.
#[test]
fn notice_recorded_and_missing_a_director_is_invalid() {
    let v = acts(
        NOTICE_RULE,
        &appoint(
            "present = [\"a\", \"b\", \"c\", \"d\"]\nnotified = [\"a\", \"b\", \"c\", \"d\", \"e\"]",
            r#"for = ["a", "b", "c", "d"]"#,
        ),
    );
    assert_eq!(v[0].outcome, Outcome::Invalid, "{v:?}");
}

/// Regression: a meeting with no `present` counted as a meeting of no one.
/// Four directors voted for: at least four attended, a quorum of six seats.
#[test]
fn unrecorded_attendance_counts_those_who_voted() {
    let v = acts("", &appoint("", r#"for = ["a", "b", "c", "d"]"#));
    assert_eq!(v[0].outcome, Outcome::Valid, "{v:?}");
}

/// Two votes for and no attendance recorded: two to six attended, so the
/// quorum (four) and the majority of those present are both open.
#[test]
fn unrecorded_attendance_with_few_votes_cannot_be_told() {
    let v = acts("", &appoint("", r#"for = ["a", "b"]"#));
    assert_eq!(v[0].outcome, Outcome::CannotTell, "{v:?}");
    assert!(
        v[0].would_decide
            .iter()
            .any(|w| w.starts_with("who attended")),
        "{v:?}"
    );
}

/// A meeting that records attendance but no ballots: how they voted is
/// open, and says what is needed.
#[test]
fn unrecorded_ballots_cannot_be_told() {
    let v = acts("", &appoint(r#"present = ["a", "b", "c", "d"]"#, ""));
    assert_eq!(v[0].outcome, Outcome::CannotTell, "{v:?}");
    assert!(
        v[0].would_decide
            .iter()
            .any(|w| w.contains("how the members voted") && w.contains("3 votes for")),
        "{v:?}"
    );
}

/// What the record does say can settle it: three present of six seats is
/// no quorum, whether or not notice was given.
#[test]
fn a_count_that_surely_fails_is_invalid_whatever_is_unknown() {
    let v = acts(
        NOTICE_RULE,
        &appoint(r#"present = ["a", "b", "c"]"#, r#"for = ["a", "b", "c"]"#),
    );
    assert_eq!(v[0].outcome, Outcome::Invalid, "{v:?}");
    assert!(v[0].would_decide.is_empty(), "{v:?}");
    assert!(
        v[0].reasons.iter().any(|r| r.contains("no quorum")),
        "{v:?}"
    );
}
