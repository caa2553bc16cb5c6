//! The voting game a body plays for a kind of decision on a date.
//!
//! The players are the members who may vote on the decision (the member
//! concerned is left out where the rule makes them ineligible). A
//! coalition wins when its members, voting for, carry the act whatever the
//! others do: whether the others attend and vote against (which raises a
//! threshold counted on those present or on votes cast) or stay away
//! (which can break the quorum). Each coalition is counted against the
//! body's rule exactly as the timeline counts a real vote
//! ([`State::decide`]), so the game follows the quorum, the threshold and
//! its base, ineligibility and weighted votes.
//!
//! Bodies of up to 25 voters become a [`boardroom_power::SimpleGame`] by
//! enumerating every coalition. A larger holder body is a weighted game:
//! with everyone present, a coalition carries the act when its votes reach
//! both the threshold and (alone) the quorum, so its quota is the larger of
//! the two.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Body, Structure};
use crate::rulebook::rule_for;
use crate::timeline::{Ballots, Ineligible, RuleUsed, State};

/// A body's game for one decision.
#[derive(Debug, Clone, Serialize)]
pub struct BodyGame {
    pub body: String,
    pub name: String,
    pub decision: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// The member the decision concerns, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The players: ids of the members who may vote, in order.
    pub players: Vec<String>,
    /// Their names, in the same order.
    pub names: Vec<String>,
    /// Their votes.
    pub weights: Vec<u64>,
    /// The rule the game follows.
    pub rule: RuleUsed,
    /// Members who may not vote, and why.
    pub ineligible: Vec<Ineligible>,
    /// Groups acting in concert that play as one: each group's id and its
    /// members (a holder body only; an agreement binds holders, not
    /// directors).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupPlayer>,
    /// How a winning coalition is defined, in words.
    pub definition: String,
    #[serde(skip)]
    pub game: Option<boardroom_power::Game>,
}

/// A group acting in concert that plays as one.
#[derive(Debug, Clone, Serialize)]
pub struct GroupPlayer {
    pub group: String,
    pub name: String,
    /// Its members' ids.
    pub members: Vec<String>,
    /// Their names, in the same order.
    pub member_names: Vec<String>,
}

impl BodyGame {
    /// The player a party is in the game: itself, or the group acting in
    /// concert it plays within.
    pub fn player_of(&self, party: &str) -> Option<usize> {
        self.players.iter().position(|p| p == party).or_else(|| {
            let g = self
                .groups
                .iter()
                .find(|g| g.members.iter().any(|m| m == party))?;
            self.players.iter().position(|p| *p == g.group)
        })
    }
}

/// Why a body's game could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GameError {
    #[error("unknown body `{0}`")]
    UnknownBody(String),
    #[error("{0} has no members who may vote on this decision on this date")]
    NoVoters(String),
    /// A composite rule (further conditions, or a threshold on capital) is
    /// not one weighted game; beyond the enumeration limit it is refused,
    /// not approximated by its first threshold.
    #[error(
        "the rule for this decision has further conditions or counts capital, and {players} players are more than the {max} the exact enumeration takes"
    )]
    CompositeTooLarge { players: usize, max: usize },
    #[error("{0}")]
    Power(#[from] boardroom_power::PowerError),
}

/// The game `body` plays for `decision` in `state`.
pub fn body_game(
    s: &Structure,
    state: &State,
    body: &str,
    decision: &str,
    subject: Option<&str>,
) -> Result<BodyGame, GameError> {
    let b: &Body = s
        .body(body)
        .ok_or_else(|| GameError::UnknownBody(body.to_string()))?;
    let rule = rule_for(s, &state.rules, b, decision);
    let voters = state.voters(b);
    let all: Vec<String> = voters.iter().map(|(p, _)| p.clone()).collect();
    // Find who is ineligible by counting one vote with everyone present.
    let probe = state.decide(
        b,
        decision,
        &rule,
        subject,
        &Ballots {
            present: all.clone(),
            ..Ballots::default()
        },
    );
    let ineligible = probe.ineligible.clone();
    let eligible: Vec<(String, u64)> = voters
        .into_iter()
        .filter(|(p, _)| !ineligible.iter().any(|i| &i.party == p))
        .collect();
    if eligible.is_empty() {
        return Err(GameError::NoVoters(b.name.clone()));
    }
    // Holders bound by an agreement to act in concert play as one.
    let (eligible, pooled) = if b.kind.is_holder_body() {
        crate::group::pool(s, &b.entity, state.date, &eligible)
    } else {
        (eligible, Vec::new())
    };
    let players: Vec<String> = eligible.iter().map(|(p, _)| p.clone()).collect();
    let weights: Vec<u64> = eligible.iter().map(|(_, w)| *w).collect();
    let n = players.len();
    // A player's voters: a group's members, else the player.
    let voters_of: Vec<Vec<String>> = players
        .iter()
        .map(|p| match pooled.iter().find(|g| &g.group == p) {
            Some(g) => g.members.iter().map(|(m, _)| m.clone()).collect(),
            None => vec![p.clone()],
        })
        .collect();
    let carries = |mask: u64| -> bool {
        let yes: Vec<String> = (0..n)
            .filter(|i| mask & (1 << i) != 0)
            .flat_map(|i| voters_of[i].iter().cloned())
            .collect();
        let no: Vec<String> = (0..n)
            .filter(|i| mask & (1 << i) == 0)
            .flat_map(|i| voters_of[i].iter().cloned())
            .collect();
        // Everyone attends; the others vote against.
        let attend = state.decide(
            b,
            decision,
            &rule,
            subject,
            &Ballots {
                present: all.clone(),
                // The game is about votes: every member had notice.
                notified: Some(all.clone()),
                votes_for: yes.clone(),
                against: no,
                ..Ballots::default()
            },
        );
        // The others stay away (the ineligible too).
        let away = state.decide(
            b,
            decision,
            &rule,
            subject,
            &Ballots {
                present: yes.clone(),
                notified: Some(all.clone()),
                votes_for: yes,
                ..Ballots::default()
            },
        );
        attend.passed && away.passed
    };
    let composite = !rule.rule.all.is_empty()
        || !rule.rule.any.is_empty()
        || rule
            .rule
            .threshold
            .base()
            .is_some_and(crate::quota::Base::is_capital);
    if composite && n > boardroom_power::MAX_ENUM_PLAYERS {
        return Err(GameError::CompositeTooLarge {
            players: n,
            max: boardroom_power::MAX_ENUM_PLAYERS,
        });
    }
    let game = if n <= boardroom_power::MAX_ENUM_PLAYERS {
        boardroom_power::Game::Simple(boardroom_power::SimpleGame::from_predicate(n, carries)?)
    } else {
        // Everyone present, so every base counts all the eligible votes;
        // the quorum must be met by the coalition alone.
        let total: u64 = weights.iter().sum();
        let threshold = rule.rule.threshold.required(total);
        let quorum = rule.rule.quorum.map_or(0, |q| q.required(total));
        boardroom_power::Game::Weighted(boardroom_power::WeightedGame::new(
            threshold.max(quorum).max(1),
            weights.clone(),
        )?)
    };
    let definition = format!(
        "a coalition wins when, voting for, it carries the act under `{}` both when every other member attends and votes against and when the others stay away",
        rule.name
    );
    Ok(BodyGame {
        body: b.id.clone(),
        name: b.name.clone(),
        decision: decision.to_string(),
        date: state.date,
        subject: subject.map(str::to_string),
        names: players.iter().map(|p| s.name(p).to_string()).collect(),
        players,
        weights,
        rule: crate::timeline::RuleUsed {
            name: rule.name.clone(),
            basis: rule.rule.basis,
            source: rule.rule.source.clone(),
            note: rule.rule.note.clone(),
            defaulted: rule.defaulted,
        },
        ineligible,
        groups: pooled
            .iter()
            .map(|g| GroupPlayer {
                group: g.group.clone(),
                name: s.name(&g.group).to_string(),
                members: g.members.iter().map(|(m, _)| m.clone()).collect(),
                member_names: g
                    .members
                    .iter()
                    .map(|(m, _)| s.name(m).to_string())
                    .collect(),
            })
            .collect(),
        definition,
        game: Some(game),
    })
}
