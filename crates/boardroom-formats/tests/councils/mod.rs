//! Composite rules against published values (issue 14, point 3).
//!
//! - The UN Security Council: nine of fifteen members AND the consent of
//!   each of the five permanent members (UN Charter art. 27(3)). Its
//!   Shapley-Shubik values are published: 4/2145 for an elected member
//!   ("0.19% power") and, for a permanent member, the rest shared five ways
//!   ("19.6% each"): 421/2145 (gonitsora.com, "Is it me, or is Veto
//!   starting to sound really good", computing 84 x 6! x 8! / 15!). The
//!   rule is also published as the weighted game [39; 7 x 5, 1 x 10]
//!   (Wolfram Demonstrations, "Power Voting Systems Like the United
//!   Nations Security Council"; mathematics-democracy-institute.org,
//!   "Quantification of power"): boardroom's enumeration of the composite
//!   rule must give every index that game gives.
//! - The Council of the EU (28 members, population shares of 2016 as the
//!   Council published them, via Agence Europe of 9 December 2015): 55% of
//!   the members AND 65% of the population, unless at least four members
//!   block ("The blocking minority must include at least four Council
//!   members representing more than 35% of the EU population", Council of
//!   the EU, "Qualified majority"). Germany, France and the United Kingdom
//!   held 41.70% of the population: more than 35%, and still no blocking
//!   minority. 28 players are beyond the exact enumeration: `power`
//!   refuses the game rather than approximate it; `block` recounts one act
//!   and answers.

use boardroom::{GameError, body_game, could_block, state_as_of};
use boardroom_power::{Game, Index, Options, WeightedGame, analyse};

const PERMANENT: [&str; 5] = ["china", "france", "russia", "uk", "us"];

fn security_council() -> boardroom::Structure {
    let mut t =
        String::from("[[party]]\nid = \"un\"\nname = \"United Nations\"\nkind = \"state-body\"\n");
    let elected: Vec<String> = (1..=10).map(|k| format!("elected-{k}")).collect();
    let members: Vec<String> = PERMANENT
        .iter()
        .map(|s| s.to_string())
        .chain(elected.iter().cloned())
        .collect();
    for m in &members {
        t.push_str(&format!(
            "\n[[party]]\nid = \"{m}\"\nname = \"{m}\"\nkind = \"state-body\"\n"
        ));
    }
    t.push_str(&format!(
        r#"
[[body]]
id = "unsc"
entity = "un"
name = "Security Council"
kind = "board"
seats = 15
members = [{}]

[[rule]]
body = "unsc"
decision = "substantive"
quorum = "1"
threshold = "9"
basis = "statute"
note = "UN Charter art. 27(3): nine members, including the concurring votes of the permanent members"
"#,
        members
            .iter()
            .map(|m| format!("\"{m}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for p in PERMANENT {
        t.push_str(&format!("\n[[rule.all]]\nconsent_of = \"{p}\"\n"));
    }
    boardroom_formats::load("unsc.toml", &t)
        .unwrap_or_else(|e| panic!("loads: {e:?}"))
        .structure
}

#[test]
fn the_security_council_rule_gives_the_published_shapley_shubik_values() {
    let s = security_council();
    let (state, _) = state_as_of(&s, "2024-01-01".parse().expect("date"));
    let g = body_game(&s, &state, "unsc", "substantive", None).expect("game");
    let options = Options {
        indices: vec![Index::Banzhaf, Index::ShapleyShubik],
        ..Options::default()
    };
    let composite = analyse(g.game.as_ref().expect("game"), &g.names, &options).expect("analysis");
    for (i, p) in composite.players.iter().enumerate() {
        let ss = p
            .shapley_shubik
            .as_ref()
            .and_then(|v| v.exact())
            .expect("exact")
            .rational();
        let want = if PERMANENT.contains(&g.players[i].as_str()) {
            "421/2145"
        } else {
            "4/2145"
        };
        assert_eq!(ss, want, "{}", g.players[i]);
    }
    // The same rule as the published weighted game: every index agrees.
    let weights: Vec<u64> = g
        .players
        .iter()
        .map(|p| {
            if PERMANENT.contains(&p.as_str()) {
                7
            } else {
                1
            }
        })
        .collect();
    let weighted = Game::Weighted(WeightedGame::new(39, weights).expect("weighted"));
    let reference = analyse(&weighted, &g.names, &options).expect("analysis");
    for (a, b) in composite.players.iter().zip(&reference.players) {
        assert_eq!(a.swings, b.swings, "{}", a.name);
        assert_eq!(
            a.banzhaf_normalised
                .as_ref()
                .and_then(|v| v.exact())
                .map(|x| x.rational()),
            b.banzhaf_normalised
                .as_ref()
                .and_then(|v| v.exact())
                .map(|x| x.rational()),
            "{}",
            a.name
        );
    }
    // 848 and 84 swings: 106/635 and 21/1270 normalised (0.1669, 0.0165).
    let bz = |i: usize| {
        composite.players[i]
            .banzhaf_normalised
            .as_ref()
            .and_then(|v| v.exact())
            .expect("exact")
            .rational()
    };
    let china = g.players.iter().position(|p| p == "china").expect("china");
    let elected = g.players.iter().position(|p| p == "elected-1").expect("e1");
    assert_eq!(
        (bz(china), bz(elected)),
        ("106/635".into(), "21/1270".into())
    );
}

/// Population shares of 2016, in hundredths of a percent, as the Council
/// set them (Agence Europe, 9 December 2015). They add up to 100.01%.
const EU28: [(&str, u32); 28] = [
    ("de", 1593),
    ("fr", 1304),
    ("uk", 1273),
    ("it", 1207),
    ("es", 912),
    ("pl", 747),
    ("ro", 390),
    ("nl", 337),
    ("be", 221),
    ("el", 213),
    ("cz", 205),
    ("pt", 204),
    ("hu", 194),
    ("se", 192),
    ("at", 169),
    ("bg", 142),
    ("dk", 111),
    ("fi", 108),
    ("sk", 106),
    ("ie", 91),
    ("hr", 83),
    ("lt", 57),
    ("si", 41),
    ("lv", 39),
    ("ee", 26),
    ("cy", 17),
    ("lu", 11),
    ("mt", 8),
];

/// The Council with its qualified majority: at least 16 of the 28 members,
/// and either 65% of the population or at least 25 members (no blocking
/// minority of fewer than four). `against` vote against; the others for.
fn council(against: &[&str], with_four_member_clause: bool) -> boardroom::Structure {
    let mut t =
        String::from("[[party]]\nid = \"eu\"\nname = \"European Union\"\nkind = \"state-body\"\n");
    for (m, _) in EU28 {
        t.push_str(&format!(
            "\n[[party]]\nid = \"{m}\"\nname = \"{m}\"\nkind = \"state-body\"\n"
        ));
    }
    let ids: Vec<String> = EU28.iter().map(|(m, _)| format!("\"{m}\"")).collect();
    t.push_str(&format!(
        r#"
[[body]]
id = "council"
entity = "eu"
name = "Council of the EU"
kind = "members"
members = [{members}]

[[body]]
id = "population"
entity = "eu"
name = "Population of the member states"
kind = "shareholders"

[[rule]]
body = "council"
decision = "qmv"
quorum = "1"
threshold = "16"
basis = "statute"
note = "TEU art. 16(4): 55% of the members (16 of 28)"

[[rule.any]]
body = "population"
threshold = "13/20 of total-seats"
note = "members representing 65% of the population"
"#,
        members = ids.join(", ")
    ));
    if with_four_member_clause {
        t.push_str("\n[[rule.any]]\nthreshold = \"25\"\nnote = \"a blocking minority needs at least four members\"\n");
    }
    for (m, pop) in EU28 {
        t.push_str(&format!(
            "\n[[interest]]\nid = \"{m}-pop\"\nsubject = \"eu\"\nholder = \"{m}\"\ntype = \"votingRights\"\nunits = {pop}\n"
        ));
    }
    let votes_for: Vec<String> = EU28
        .iter()
        .filter(|(m, _)| !against.contains(m))
        .map(|(m, _)| format!("\"{m}\""))
        .collect();
    let votes_against: Vec<String> = against.iter().map(|m| format!("\"{m}\"")).collect();
    t.push_str(&format!(
        r#"
[[event]]
id = "session"
date = 2016-06-01
act = "meeting"
body = "council"
present = [{members}]

[[event]]
id = "adopt"
date = 2016-06-01
act = "declare"
declaration = "adopted"
decision = "qmv"
by = "council"
meeting = "session"
for = [{votes_for}]
against = [{votes_against}]
"#,
        members = ids.join(", "),
        votes_for = votes_for.join(", "),
        votes_against = votes_against.join(", ")
    ));
    boardroom_formats::load("council.toml", &t)
        .unwrap_or_else(|e| panic!("loads: {e:?}"))
        .structure
}

#[test]
fn three_members_with_more_than_35_percent_cannot_block_a_qualified_majority() {
    let group: Vec<String> = ["de", "fr", "uk"].iter().map(|s| s.to_string()).collect();
    let s = council(&[], true);
    let a = could_block(&s, "adopt", &group).expect("answer");
    assert!(!a.could_block, "{}", a.explanation);
    // Without the four-member clause, their 41.70% would block: the other
    // 25 members hold 58.31% of the population, short of 65%.
    let s = council(&[], false);
    let a = could_block(&s, "adopt", &group).expect("answer");
    assert!(a.could_block, "{}", a.explanation);
    // Four members with more than 35% block.
    let four: Vec<String> = ["de", "fr", "uk", "it"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let s = council(&[], true);
    let a = could_block(&s, "adopt", &four).expect("answer");
    assert!(a.could_block, "{}", a.explanation);
    // Four small members (2.37% together) do not: 24 members with 97.64%.
    let small: Vec<String> = ["lv", "ee", "cy", "lu"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let a = could_block(&s, "adopt", &small).expect("answer");
    assert!(!a.could_block, "{}", a.explanation);
}

#[test]
fn the_council_game_is_refused_beyond_the_exact_enumeration_not_approximated() {
    let s = council(&[], true);
    let (state, _) = state_as_of(&s, "2016-06-01".parse().expect("date"));
    match body_game(&s, &state, "council", "qmv", None) {
        Err(GameError::CompositeTooLarge { players, max }) => {
            assert_eq!((players, max), (28, boardroom_power::MAX_ENUM_PLAYERS));
        }
        other => panic!("expected a refusal, got {:?}", other.map(|g| g.players)),
    }
}
