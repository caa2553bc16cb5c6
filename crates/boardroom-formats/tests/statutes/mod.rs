//! The statutory defaults, each against the DGCL subsection it cites and
//! tested with a case that the wrong rule would decide the other way
//! (issue 13: a stockholders' removal of a director was judged by "a
//! majority of present" under §216 instead of §141(k)).

use boardroom::{Outcome, replay};

/// Replays `toml` and gives each act's outcome and rule name, in order.
fn verdicts(toml: &str) -> Vec<(Outcome, String, Vec<String>)> {
    let s = boardroom_formats::load("statute.toml", toml)
        .unwrap_or_else(|e| panic!("loads: {e:?}"))
        .structure;
    replay(&s)
        .verdicts
        .into_iter()
        .filter(|v| v.outcome != Outcome::Recorded)
        .map(|v| {
            let rule = v
                .decision
                .as_ref()
                .map(|d| d.rule.name.clone())
                .unwrap_or_default();
            (v.outcome, rule, v.reasons)
        })
        .collect()
}

fn people(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("[[party]]\nid = \"{id}\"\nname = \"{id}\"\nkind = \"person\"\n"))
        .collect()
}

/// A corporation whose stockholders hold 100 shares: `a` 31, `b` 9, `c` 20,
/// `d` 40; a board of `x` and `y` that the stockholders fill.
fn stock_company(kind: &str) -> String {
    let mut t = format!(
        "[[party]]\nid = \"co\"\nname = \"Co\"\nkind = \"{kind}\"\n{}",
        people(&["a", "b", "c", "d", "x", "y", "z"])
    );
    t.push_str(
        r#"
[[body]]
id = "holders"
entity = "co"
name = "Stockholders"
kind = "shareholders"

[[body]]
id = "board"
entity = "co"
name = "Board"
kind = "board"
filled_by = "holders"
members = ["x", "y"]
"#,
    );
    for (h, n) in [("a", 31), ("b", 9), ("c", 20), ("d", 40)] {
        t.push_str(&format!(
            "\n[[interest]]\nid = \"{h}-shares\"\nsubject = \"co\"\nholder = \"{h}\"\ntype = \"shareholding\"\nunits = {n}\n"
        ));
    }
    t
}

/// §141(k): the holders of a majority of the shares then entitled to vote.
/// 60 shares present, 31 for: a majority of those present (the §216(2)
/// rule) would carry it; 31 of 100 entitled does not.
#[test]
fn dgcl_141k_stockholders_remove_a_director_by_a_majority_of_all_shares() {
    let mut t = stock_company("corporation");
    t.push_str(
        r#"
[[event]]
id = "meeting"
date = 2024-05-01
act = "meeting"
body = "holders"
present = ["a", "c", "b"]

[[event]]
date = 2024-05-01
act = "remove"
person = "x"
body = "board"
by = "holders"
meeting = "meeting"
for = ["a"]
against = ["c"]
"#,
    );
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Invalid, "{v:?}");
    assert!(v[0].1.contains("§141(k)"), "{v:?}");
    assert!(
        v[0].2.iter().any(|r| r.contains("31 votes for, 51 needed")),
        "{v:?}"
    );
}

/// §216(3): directors are elected by a plurality. 60 shares present, 20
/// for and 40 abstaining: a majority of those present would fail.
#[test]
fn dgcl_216_3_stockholders_elect_a_director_by_plurality() {
    let mut t = stock_company("corporation");
    t.push_str(
        r#"
[[event]]
id = "meeting"
date = 2024-05-01
act = "meeting"
body = "holders"
present = ["c", "d"]

[[event]]
date = 2024-05-01
act = "appoint"
person = "z"
body = "board"
by = "holders"
meeting = "meeting"
for = ["c"]
abstain = ["d"]
"#,
    );
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Valid, "{v:?}");
    assert!(v[0].1.contains("§216(3)"), "{v:?}");
}

/// Regression (2026-12-07 audit): Patagonia's example calls the election
/// of directors `elect-directors`, and the rulebook, which knew the
/// election only as `appoint-director`, judged it by §216(2)'s majority of
/// the shares present. The same case as above, declared under that word,
/// is judged by §216(3)'s plurality.
#[test]
fn dgcl_216_3_an_election_called_elect_directors_is_by_plurality() {
    let mut t = stock_company("corporation");
    t.push_str(
        r#"
[[event]]
id = "meeting"
date = 2024-05-01
act = "meeting"
body = "holders"
present = ["c", "d"]

[[event]]
date = 2024-05-01
act = "declare"
declaration = "z-elected"
decision = "elect-directors"
by = "holders"
meeting = "meeting"
for = ["c"]
abstain = ["d"]
"#,
    );
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Valid, "{v:?}");
    assert!(v[0].1.contains("§216(3)"), "{v:?}");
}

/// §216(1): the plurality still needs a quorum of a majority of the
/// shares: 40 of 100 present is none.
#[test]
fn dgcl_216_1_an_election_without_a_quorum_fails() {
    let mut t = stock_company("corporation");
    t.push_str(
        r#"
[[event]]
id = "meeting"
date = 2024-05-01
act = "meeting"
body = "holders"
present = ["d"]

[[event]]
date = 2024-05-01
act = "appoint"
person = "z"
body = "board"
by = "holders"
meeting = "meeting"
for = ["d"]
"#,
    );
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Invalid, "{v:?}");
    assert!(v[0].2.iter().any(|r| r.contains("no quorum")), "{v:?}");
}

/// §141(k): directors do not remove directors. With no rule stated, the
/// board's own vote (a majority of those present, the §141(b) default)
/// would have carried it; the board has no such power.
#[test]
fn dgcl_141k_a_board_cannot_remove_a_director_without_a_stated_rule() {
    let mut t = format!(
        "[[party]]\nid = \"co\"\nname = \"Co\"\nkind = \"corporation\"\n{}",
        people(&["a", "b", "c"])
    );
    t.push_str(
        r#"
[[body]]
id = "board"
entity = "co"
name = "Board"
kind = "board"
members = ["a", "b", "c"]

[[event]]
id = "m"
date = 2024-05-01
act = "meeting"
body = "board"
present = ["a", "b", "c"]

[[event]]
date = 2024-05-01
act = "remove"
person = "c"
body = "board"
by = "board"
meeting = "m"
for = ["a", "b"]
"#,
    );
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Invalid, "{v:?}");
    assert!(v[0].2.iter().any(|r| r.starts_with("no power")), "{v:?}");
}

/// §102(a)(4) with §141(j) and §141(k): a nonstock corporation whose
/// directors elect their successors has them as its members, so they may
/// remove a director by a majority of all of them (the director concerned
/// among them). Six directors, four present, three for: a majority of
/// those present would carry it; three of six is not a majority.
#[test]
fn dgcl_102a4_the_directors_of_a_memberless_nonstock_corporation_remove_by_a_majority_of_all() {
    let board = |present: &str, votes: &str| {
        let mut t = format!(
            "[[party]]\nid = \"np\"\nname = \"Np\"\nkind = \"nonprofit\"\n{}",
            people(&["a", "b", "c", "d", "e", "f"])
        );
        t.push_str(&format!(
            r#"
[[body]]
id = "board"
entity = "np"
name = "Board"
kind = "board"
members = ["a", "b", "c", "d", "e", "f"]

[[event]]
id = "m"
date = 2024-05-01
act = "meeting"
body = "board"
present = [{present}]

[[event]]
date = 2024-05-01
act = "remove"
person = "f"
body = "board"
by = "board"
meeting = "m"
for = [{votes}]
"#
        ));
        verdicts(&t)
    };
    let v = board(r#""a", "b", "c", "d""#, r#""a", "b", "c""#);
    assert_eq!(v[0].0, Outcome::Invalid, "{v:?}");
    assert!(v[0].1.contains("§102(a)(4)"), "{v:?}");
    let v = board(r#""a", "b", "c", "d""#, r#""a", "b", "c", "d""#);
    assert_eq!(v[0].0, Outcome::Valid, "four of six: {v:?}");
}

/// §141(c)(4): a committee's quorum is a majority of the directors then
/// serving on it, not of its seats. Five seats, three serving, two
/// present: a majority of five (three) would fail; of three, two suffice.
#[test]
fn dgcl_141c4_a_committee_quorum_counts_the_directors_then_serving() {
    let mut t = format!(
        "[[party]]\nid = \"co\"\nname = \"Co\"\nkind = \"corporation\"\n{}",
        people(&["a", "b", "c", "m"])
    );
    t.push_str(
        r#"
[[body]]
id = "audit"
entity = "co"
name = "Audit committee"
kind = "committee"
seats = 5
members = ["a", "b", "c"]

[[office]]
id = "auditor-liaison"
entity = "co"
title = "Auditor liaison"
filled_by = "audit"

[[event]]
id = "m"
date = 2024-05-01
act = "meeting"
body = "audit"
present = ["a", "b"]

[[event]]
date = 2024-05-01
act = "appoint"
person = "m"
office = "auditor-liaison"
by = "audit"
meeting = "m"
for = ["a", "b"]
"#,
    );
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Valid, "{v:?}");
    assert!(v[0].1.contains("§141(c)(4)"), "{v:?}");
}

/// §215(c)(1): one third of the members is a quorum. Nine seats fixed,
/// six members, two present: one third of nine (three) would fail; of
/// the six members, two suffice.
#[test]
fn dgcl_215c1_a_members_quorum_is_a_third_of_the_members() {
    let mut t = format!(
        "[[party]]\nid = \"np\"\nname = \"Np\"\nkind = \"nonprofit\"\n{}",
        people(&["a", "b", "c", "d", "e", "f", "o"])
    );
    t.push_str(
        r#"
[[body]]
id = "members"
entity = "np"
name = "Members"
kind = "members"
seats = 9
members = ["a", "b", "c", "d", "e", "f"]

[[office]]
id = "president"
entity = "np"
title = "President"
filled_by = "members"

[[event]]
id = "m"
date = 2024-05-01
act = "meeting"
body = "members"
present = ["a", "b"]

[[event]]
date = 2024-05-01
act = "appoint"
person = "o"
office = "president"
by = "members"
meeting = "m"
for = ["a", "b"]
"#,
    );
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Valid, "{v:?}");
    assert!(v[0].1.contains("§215(c)"), "{v:?}");
}

/// §223(a)(1): a vacancy is filled by a majority of the directors then in
/// office, although less than a quorum. Five seats, three directors, two
/// present and for: the §141(b) default (a quorum of three) would fail.
#[test]
fn dgcl_223a1_a_vacancy_is_filled_by_a_majority_of_directors_in_office() {
    let mut t = format!(
        "[[party]]\nid = \"co\"\nname = \"Co\"\nkind = \"corporation\"\n{}",
        people(&["a", "b", "c", "n"])
    );
    t.push_str(
        r#"
[[body]]
id = "board"
entity = "co"
name = "Board"
kind = "board"
seats = 5
members = ["a", "b", "c"]

[[event]]
id = "m"
date = 2024-05-01
act = "meeting"
body = "board"
present = ["a", "b"]

[[event]]
date = 2024-05-01
act = "appoint"
person = "n"
body = "board"
by = "board"
meeting = "m"
for = ["a", "b"]
"#,
    );
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Valid, "{v:?}");
    assert!(v[0].1.contains("§223(a)(1)"), "{v:?}");
}

/// §141(b): a majority of the total number of directors is a quorum,
/// vacancies included. Five seats, three directors, all three present: a
/// quorum of the directors in office would be met; of five seats it is.
/// Two present is not.
#[test]
fn dgcl_141b_a_board_quorum_counts_every_seat() {
    let mut t = format!(
        "[[party]]\nid = \"co\"\nname = \"Co\"\nkind = \"corporation\"\n{}",
        people(&["a", "b", "c", "o"])
    );
    t.push_str(
        r#"
[[body]]
id = "board"
entity = "co"
name = "Board"
kind = "board"
seats = 5
members = ["a", "b", "c"]

[[office]]
id = "ceo"
entity = "co"
title = "CEO"

[[event]]
id = "m"
date = 2024-05-01
act = "meeting"
body = "board"
present = ["a", "b"]

[[event]]
date = 2024-05-01
act = "appoint"
person = "o"
office = "ceo"
by = "board"
meeting = "m"
for = ["a", "b"]
"#,
    );
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Invalid, "{v:?}");
    assert!(v[0].1.contains("§141(b)"), "{v:?}");
    assert!(
        v[0].2
            .iter()
            .any(|r| r.contains("no quorum: 2 present, 3 needed")),
        "{v:?}"
    );
}

/// The DGCL governs corporations: for an LLC the same default is applied
/// by analogy, and the verdict says it rests on an assumption.
#[test]
fn an_llc_takes_the_dgcl_defaults_by_analogy_as_an_assumption() {
    let mut t = stock_company("llc");
    t.push_str(
        r#"
[[event]]
id = "meeting"
date = 2024-05-01
act = "meeting"
body = "holders"
present = ["a", "c", "d"]

[[event]]
date = 2024-05-01
act = "remove"
person = "x"
body = "board"
by = "holders"
meeting = "meeting"
for = ["a", "c"]
"#,
    );
    let s = boardroom_formats::load("llc.toml", &t)
        .expect("loads")
        .structure;
    let r = replay(&s);
    let v = r
        .verdicts
        .iter()
        .find(|v| v.outcome != Outcome::Recorded)
        .expect("act");
    assert_eq!(v.outcome, Outcome::Valid, "{v:?}");
    let d = v.decision.as_ref().expect("decision");
    assert_eq!(d.rule.basis, boardroom::Basis::Assumption);
    assert!(d.rule.name.contains("by analogy"), "{}", d.rule.name);
}

/// Regression (found modelling Robert Bosch GmbH): a German GmbH was judged
/// by the DGCL's quorum as if it were statute. A corporation of another
/// jurisdiction gets the DGCL default only by analogy, as an assumption
/// that names the jurisdiction.
#[test]
fn a_foreign_corporation_is_not_judged_by_the_dgcl_as_statute() {
    let t = stock_company("corporation").replacen(
        "kind = \"corporation\"\n",
        "kind = \"corporation\"\njurisdiction = \"DE\"\n",
        1,
    ) + r#"
[[event]]
id = "meeting"
date = 2024-05-01
act = "meeting"
body = "holders"
present = ["a", "b", "c", "d"]

[[event]]
id = "resolve"
date = 2024-05-01
act = "declare"
declaration = "dividend"
by = "holders"
meeting = "meeting"
for = ["d", "b", "c"]
"#;
    let s = boardroom_formats::load("statute.toml", &t)
        .expect("loads")
        .structure;
    let v = replay(&s)
        .verdicts
        .into_iter()
        .find(|v| v.id.as_deref() == Some("resolve"))
        .expect("act");
    let d = v.decision.as_ref().expect("decision");
    assert_eq!(d.rule.basis, boardroom::Basis::Assumption, "{d:?}");
    assert!(d.rule.name.contains("by analogy"), "{}", d.rule.name);
    assert!(
        v.assumptions
            .iter()
            .any(|a| a.contains("a corporation of DE is governed by its own statute")),
        "{:?}",
        v.assumptions
    );
    // A stated rule without a quorum takes the analogy's quorum as an
    // assumption too, never as "statutory default".
    let stated = format!(
        "{t}\n[[rule]]\nbody = \"holders\"\ndecision = \"*\"\nthreshold = \"majority of votes-cast\"\nbasis = \"statute\"\n"
    );
    let s = boardroom_formats::load("statute.toml", &stated)
        .expect("loads")
        .structure;
    let v = replay(&s)
        .verdicts
        .into_iter()
        .find(|v| v.id.as_deref() == Some("resolve"))
        .expect("act");
    let d = v.decision.as_ref().expect("decision");
    assert!(
        d.rule.name.ends_with("(quorum: assumed by analogy)"),
        "{}",
        d.rule.name
    );
    assert!(!v.assumptions.is_empty());
}

/// Regression (found modelling Robert Bosch GmbH): a resolution whose only
/// ballot came from a party with no vote passed, "0 for, 0 needed", because
/// two thirds of no votes cast is none. Nothing is carried without a vote
/// for it, and the ballot that counted for nothing is named.
#[test]
fn a_resolution_with_no_vote_for_is_not_carried() {
    let t = stock_company("corporation")
        + r#"
[[party]]
id = "e"
name = "e"
kind = "person"

[[event]]
id = "meeting"
date = 2024-05-01
act = "meeting"
body = "holders"
present = ["a", "b", "c", "d"]

[[event]]
id = "resolve"
date = 2024-05-01
act = "declare"
declaration = "dividend"
decision = "dividend"
by = "holders"
meeting = "meeting"
for = ["e"]

[[rule]]
body = "holders"
decision = "dividend"
quorum = "1"
threshold = "2/3 of votes-cast"
basis = "statute"
"#;
    let v = verdicts(&t);
    assert_eq!(v[0].0, Outcome::Invalid, "{v:?}");
    assert!(
        v[0].2
            .iter()
            .any(|r| r.contains("not carried: 0 votes for, 1 needed")),
        "{v:?}"
    );
    assert!(
        v[0].2.iter().any(|r| r.contains(
            "e was named at the decision, but counts for nothing: it holds no votes in Stockholders"
        )),
        "{v:?}"
    );
}
