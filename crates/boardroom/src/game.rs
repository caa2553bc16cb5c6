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
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    /// What each player's seat or votes rest on: the source ids of the
    /// seat (a board) or of the holdings that carry the votes (a holders'
    /// body), in player order; empty where the structure cites none.
    pub sources: Vec<Vec<String>>,
    /// The rule the game follows.
    pub rule: RuleUsed,
    /// Members who may not vote, and why.
    pub ineligible: Vec<Ineligible>,
    /// Groups acting in concert that play as one: each group's id and its
    /// members (a holder body only; an agreement binds holders, not
    /// directors).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupPlayer>,
    /// How a winning coalition is defined, in words.
    pub definition: String,
    #[serde(skip)]
    #[schemars(skip)]
    pub game: Option<boardroom_power::Game>,
}

/// A group acting in concert that plays as one.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    // Every vote plays, those of holders the file does not name as one.
    let voters = state.voters_with_unnamed(b);
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
    let mut definition = "a coalition wins when, voting for, it carries the act under this rule both when every other member attends and votes against and when the others stay away".to_string();
    if players
        .iter()
        .any(|p| p == crate::timeline::UNNAMED_HOLDERS)
    {
        definition.push_str("; the votes of holders the file does not name play as one voter, though they may be many holders voting apart");
    }
    let sources = voters_of
        .iter()
        .map(|voters| {
            let mut ids: Vec<String> = Vec::new();
            for m in voters {
                if b.kind.is_holder_body() {
                    ids.extend(
                        state
                            .interests_in(&b.entity)
                            .filter(|x| {
                                x.voted_by.as_deref().or(x.holder.as_deref()) == Some(m.as_str())
                            })
                            .filter_map(|x| x.source.clone()),
                    );
                } else {
                    ids.extend(
                        state
                            .source_of(&crate::timeline::Held::Seat(b.id.clone(), m.clone()))
                            .map(str::to_string),
                    );
                }
            }
            ids.sort_by_key(|id| s.source.iter().position(|x| &x.id == id));
            ids.dedup();
            ids
        })
        .collect();
    Ok(BodyGame {
        sources,
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

/// What `power` answers: the game (a body's, when one was named), its
/// analysis, and whether a group can block.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PowerReport {
    /// The body's game, when the game is a body's (not a plain weighted game).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub game: Option<BodyGame>,
    pub analysis: boardroom_power::Analysis,
    /// Whether a group can block, when one was asked about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<GroupBlock>,
}

/// Whether a group of players can block, and if not who must join it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupBlock {
    /// The group, by name.
    pub group: Vec<String>,
    pub can_block: bool,
    /// One smallest set that must join the group (the first of `completions`).
    pub needs: Vec<String>,
    /// Every smallest set that must join the group for it to block.
    pub completions: Vec<Vec<String>>,
    /// More smallest sets exist than are listed.
    pub more: bool,
    /// The answer in words.
    pub explanation: String,
}

/// Whether the players `group` (indices into `names`) can block in
/// `game`; the words list at most `limit` of the sets that must join.
pub fn group_block(
    game: &boardroom_power::Game,
    names: &[String],
    group: &[usize],
    limit: usize,
) -> Result<GroupBlock, boardroom_power::PowerError> {
    let answer = boardroom_power::can_block(game, group)?;
    let named = |v: &[usize]| v.iter().map(|&i| names[i].clone()).collect::<Vec<_>>();
    let explanation = if answer.can_block {
        format!(
            "yes: {} can block: the others together cannot carry it",
            named(&answer.group).join(" and ")
        )
    } else {
        let sets: Vec<Vec<String>> = answer
            .completions
            .iter()
            .take(limit)
            .map(|c| named(c))
            .collect();
        let more = answer.more || answer.completions.len() > limit;
        format!(
            "no: {} cannot block; {}",
            named(&answer.group).join(" and "),
            crate::report::completions_text(&sets, more)
        )
    };
    Ok(GroupBlock {
        group: named(&answer.group),
        can_block: answer.can_block,
        needs: named(&answer.needs),
        completions: answer.completions.iter().map(|c| named(c)).collect(),
        more: answer.more,
        explanation,
    })
}
