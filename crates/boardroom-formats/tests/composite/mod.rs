//! Share classes and composite rules (issue 14): votes apart from capital,
//! a double majority of votes and capital, a class voting separately, a
//! named holder's consent; the same rule drives the verdict, `block` and
//! the voting game.

use boardroom::{Outcome, body_game, could_block, replay, state_as_of};

/// A company with two classes of registered shares of one vote each:
/// voting shares (`V`, nominal 1) and ordinary shares (`O`, nominal 10),
/// held by `a` (600 V), `b` (100 O), `c` (300 O); a shareholders' meeting
/// with `rule` (TOML) and, on 1 May 2024, a meeting of all three and a
/// resolution with `votes` (TOML).
fn company(rule: &str, votes: &str) -> String {
    format!(
        r#"
[[party]]
id = "co"
name = "Co AG"
kind = "corporation"
jurisdiction = "CH"

[[party]]
id = "a"
name = "A"
kind = "person"

[[party]]
id = "b"
name = "B"
kind = "person"

[[party]]
id = "c"
name = "C"
kind = "person"

[[share_class]]
id = "V"
entity = "co"
name = "voting shares"
issued = 600
nominal = 1

[[share_class]]
id = "O"
entity = "co"
name = "ordinary shares"
issued = 400
nominal = 10

[[body]]
id = "gm"
entity = "co"
name = "General meeting"
kind = "shareholders"

[[body]]
id = "ordinary"
entity = "co"
name = "Holders of ordinary shares"
kind = "class"
class = "O"

[[interest]]
id = "a-v"
subject = "co"
holder = "a"
type = "shareholding"
class = "V"
units = 600

[[interest]]
id = "b-o"
subject = "co"
holder = "b"
type = "shareholding"
class = "O"
units = 100

[[interest]]
id = "c-o"
subject = "co"
holder = "c"
type = "shareholding"
class = "O"
units = 300

{rule}

[[event]]
id = "agm"
date = 2024-05-01
act = "meeting"
body = "gm"
present = ["a", "b", "c"]

[[event]]
id = "amend"
date = 2024-05-01
act = "declare"
declaration = "amended-articles"
decision = "amend-articles"
by = "gm"
meeting = "agm"
{votes}
"#
    )
}

/// Swiss CO art. 704: two thirds of the votes represented AND an absolute
/// majority of the nominal value represented.
const ART_704: &str = r#"
[[rule]]
body = "gm"
decision = "amend-articles"
threshold = "2/3 of present"
basis = "statute"
note = "Swiss CO art. 704(1)"

[[rule.all]]
threshold = "majority of capital-represented"
"#;

fn verdict(toml: &str) -> boardroom::Verdict {
    let s = boardroom_formats::load("composite.toml", toml)
        .unwrap_or_else(|e| panic!("loads: {e:?}"))
        .structure;
    replay(&s)
        .verdicts
        .into_iter()
        .find(|v| v.id.as_deref() == Some("amend"))
        .expect("the act")
}

/// A and B: 700 of 1,000 votes (70%, two thirds met) but 1,600 of 4,600 of
/// nominal value (35%): the capital condition fails, which a rule on votes
/// alone would have passed.
#[test]
fn a_double_majority_fails_on_capital_where_votes_alone_pass() {
    let v = verdict(&company(
        ART_704,
        r#"for = ["a", "b"]
against = ["c"]"#,
    ));
    assert_eq!(v.outcome, Outcome::Invalid, "{v:?}");
    let d = v.decision.as_ref().expect("decision");
    assert!(
        d.threshold.met,
        "two thirds of the votes: {:?}",
        d.threshold
    );
    let c = &d.conditions[0];
    assert!(!c.met);
    let n = c.count.as_ref().expect("count");
    // In ten-thousandths of a franc: 1,600 of 4,600.
    assert_eq!((n.actual, n.base), (16_000_000, Some(46_000_000)));
    // B and C: 400 votes (40%) fail the votes; 4,000 of capital pass.
    let v = verdict(&company(
        ART_704,
        r#"for = ["b", "c"]
against = ["a"]"#,
    ));
    assert_eq!(v.outcome, Outcome::Invalid);
    assert!(v.decision.as_ref().expect("d").conditions[0].met);
    // All three: both majorities.
    let v = verdict(&company(ART_704, r#"for = ["a", "b", "c"]"#));
    assert_eq!(v.outcome, Outcome::Valid, "{v:?}");
}

/// A class voting separately: a majority of the general meeting and a
/// majority of the ordinary shares present.
#[test]
fn a_class_voting_separately_can_stop_a_majority_of_all() {
    let rule = r#"
[[rule]]
body = "gm"
decision = "amend-articles"
threshold = "majority of present"
basis = "document"

[[rule.all]]
body = "ordinary"
threshold = "majority of present"
"#;
    // A alone: 600 of 1,000 votes, but no ordinary share.
    let v = verdict(&company(
        rule,
        r#"for = ["a"]
against = ["b", "c"]"#,
    ));
    assert_eq!(v.outcome, Outcome::Invalid, "{v:?}");
    let v = verdict(&company(
        rule,
        r#"for = ["a", "c"]
against = ["b"]"#,
    ));
    assert_eq!(v.outcome, Outcome::Valid, "{v:?}");
}

/// A golden share: a named holder's consent. Unrecorded is not no.
#[test]
fn a_consent_right_is_met_refused_or_unknown() {
    let rule = r#"
[[rule]]
body = "gm"
decision = "amend-articles"
threshold = "majority of present"
basis = "document"

[[rule.all]]
consent_of = "b"
"#;
    let with = |votes: &str| verdict(&company(rule, votes)).outcome;
    assert_eq!(with(r#"for = ["a", "b"]"#), Outcome::Valid);
    assert_eq!(
        with(
            r#"for = ["a"]
against = ["b"]"#
        ),
        Outcome::Invalid
    );
    let v = verdict(&company(rule, r#"for = ["a", "c"]"#));
    assert_eq!(v.outcome, Outcome::CannotTell, "{v:?}");
    assert!(
        v.would_decide
            .iter()
            .any(|w| w.contains("whether b consented"))
    );
}

/// The same composite rule drives `block` and the voting game: C alone
/// (300 votes, 3,000 of capital) blocks the art. 704 majority, since the
/// others hold 1,600 of 4,600 of nominal value; the game's winning
/// coalitions are exactly those with both majorities.
#[test]
fn the_composite_rule_drives_block_and_power() {
    let toml = company(
        ART_704,
        r#"for = ["a", "b"]
against = ["c"]"#,
    );
    let s = boardroom_formats::load("composite.toml", &toml)
        .expect("loads")
        .structure;
    let b = could_block(&s, "amend", &["c".to_string()]).expect("a decision");
    assert!(b.could_block, "{b:?}");
    let date = chrono::NaiveDate::from_ymd_opt(2024, 5, 1).expect("date");
    let (state, _) = state_as_of(&s, date);
    let g = body_game(&s, &state, "gm", "amend-articles", None).expect("a game");
    let game = g.game.as_ref().expect("exact");
    let names: Vec<&str> = g.players.iter().map(String::as_str).collect();
    let wins = |who: &[&str]| {
        let mask = who.iter().fold(0u64, |m, p| {
            m | 1 << names.iter().position(|x| x == p).expect("player")
        });
        game.wins(mask)
    };
    // Votes: a 600, b 100, c 300; capital: a 600, b 1,000, c 3,000.
    assert!(!wins(&["a", "b"]), "70% of votes, 35% of capital");
    assert!(!wins(&["b", "c"]), "40% of votes");
    assert!(wins(&["a", "c"]), "90% of votes, 78% of capital");
    assert!(wins(&["a", "b", "c"]));
}

/// Charter constraints (issue 14): an act that would breach one is
/// invalid, and the report lists every stretch in which one is breached.
#[test]
fn charter_constraints_refuse_a_breaching_act_and_report_breaches_over_time() {
    let base = company("", "");
    // Without the resolution event, which needs a rule; keep the parties,
    // classes and holdings.
    let cut = base.find("[[event]]").expect("events");
    let mut t = base[..cut].to_string();
    t.push_str(
        r#"
[[constraint]]
id = "a-keeps-control"
entity = "co"
keeps_votes = { party = "a", at_least = 51 }

[[constraint]]
id = "voting-shares-stay"
entity = "co"
no_transfer = "V"

[[interest]]
id = "c-o-more"
subject = "co"
holder = "c"
type = "shareholding"
class = "O"
units = 0
start = 2024-06-01

[[event]]
id = "sell-v"
date = 2024-05-01
act = "transfer"
interest_id = "a-v"
to = "c"
by = "a"

[[event]]
id = "sell-o"
date = 2024-05-02
act = "transfer"
interest_id = "b-o"
to = "a"
by = "b"
"#,
    );
    let s = boardroom_formats::load("charter.toml", &t)
        .unwrap_or_else(|e| panic!("loads: {e:?}"))
        .structure;
    let r = replay(&s);
    let sell_v = r
        .verdicts
        .iter()
        .find(|v| v.id.as_deref() == Some("sell-v"))
        .expect("act");
    assert_eq!(sell_v.outcome, Outcome::Invalid);
    assert!(
        sell_v
            .reasons
            .iter()
            .any(|x| x.contains("may not be transferred")),
        "{sell_v:?}"
    );
    assert!(
        sell_v
            .reasons
            .iter()
            .any(|x| x.contains("would breach constraint `a-keeps-control`")),
        "{sell_v:?}"
    );
    // B's ordinary shares may change hands: A's votes only grow.
    let sell_o = r
        .verdicts
        .iter()
        .find(|v| v.id.as_deref() == Some("sell-o"))
        .expect("act");
    assert_eq!(sell_o.outcome, Outcome::Valid, "{sell_o:?}");
    assert!(boardroom::breaches_over_time(&s).is_empty());
    // A structure that starts in breach says so, from its first date.
    let low = t.replace("at_least = 51", "at_least = 75");
    let s = boardroom_formats::load("charter.toml", &low)
        .expect("loads")
        .structure;
    let over = boardroom::breaches_over_time(&s);
    assert_eq!(over.len(), 1, "{over:?}");
    assert!(
        over[0]
            .breach
            .explanation
            .contains("must keep at least 75%")
    );
}
