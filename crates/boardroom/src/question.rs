//! The questions a user asks of a structure, with their arguments checked
//! once, for every front end: the command line and the Python package ask
//! through these functions, so that the same arguments give the same
//! answer and the same refusal.
//!
//! Each function takes what a user gives (ids, a date or none, an amount)
//! and returns the answer the library computes, or a [`QuestionError`]
//! saying what was wrong, with a hint naming what would be right.

use chrono::NaiveDate;

use crate::model::{EconomicTerms, Structure};
use crate::timeline::State;
use boardroom_power::{Game, Options, WeightedGame};

/// An argument that does not fit the structure or the question: an unknown
/// id, dates in the wrong order, terms that cannot be distributed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QuestionError {
    /// What was wrong, in one line.
    pub message: String,
    /// What would be right.
    pub hint: Option<String>,
}

impl QuestionError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> QuestionError {
        QuestionError {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

impl From<boardroom_power::PowerError> for QuestionError {
    fn from(e: boardroom_power::PowerError) -> QuestionError {
        QuestionError {
            message: e.to_string(),
            hint: e.hint(),
        }
    }
}

/// The date a question is asked on: the one given, else the structure's
/// default (its `scenario.as_of`, else its last event's date).
pub fn date_on(s: &Structure, as_of: Option<NaiveDate>) -> Result<NaiveDate, QuestionError> {
    as_of
        .or_else(|| crate::report::default_date(s))
        .ok_or_else(|| {
            QuestionError::new(
                "the structure has no events and no `scenario.as_of`",
                "give a date (YYYY-MM-DD)",
            )
        })
}

/// The state a question looks at: on the date given, else on the
/// structure's default date, else after every event when the structure has
/// no date; with the date it is on.
pub fn state_on(s: &Structure, as_of: Option<NaiveDate>) -> (Option<NaiveDate>, State) {
    match as_of.or_else(|| crate::report::default_date(s)) {
        Some(d) => (Some(d), crate::timeline::state_as_of(s, d).0),
        None => (None, crate::timeline::replay(s).state),
    }
}

/// Every id in `ids` names a party of `s` (or, with `groups`, a declared
/// group); `what` names the argument in the message.
pub fn check_parties(
    s: &Structure,
    ids: &[String],
    groups: bool,
    what: &str,
) -> Result<(), QuestionError> {
    for p in ids {
        if s.party(p).is_some() || (groups && s.group(p).is_some()) {
            continue;
        }
        let known = s
            .party
            .iter()
            .map(|x| x.id.as_str())
            .chain(s.group.iter().filter(|_| groups).map(|g| g.id.as_str()));
        let hint = crate::did_you_mean(p, known).unwrap_or_else(|| {
            if groups {
                "give party or group ids, as in the structure file".to_string()
            } else {
                "give party ids as the file states them".to_string()
            }
        });
        return Err(QuestionError::new(
            format!("unknown party `{p}` in {what}"),
            hint,
        ));
    }
    Ok(())
}

/// The economic terms of `entity`, or of the one entity that has terms.
pub fn economic_terms<'a>(
    s: &'a Structure,
    entity: Option<&str>,
) -> Result<&'a EconomicTerms, QuestionError> {
    let with = || {
        s.economics
            .iter()
            .map(|t| t.entity.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match entity {
        Some(e) => s.economics.iter().find(|t| t.entity == e).ok_or_else(|| {
            let list = with();
            QuestionError::new(
                format!("`{e}` has no economic terms"),
                format!(
                    "entities with terms: {}",
                    if list.is_empty() { "none" } else { &list }
                ),
            )
        }),
        None => match s.economics.as_slice() {
            [one] => Ok(one),
            [] => Err(QuestionError::new(
                "the structure has no economic terms",
                "add an [[economics]] section",
            )),
            _ => Err(QuestionError::new(
                "several entities have economic terms",
                format!("choose one entity: {}", with()),
            )),
        },
    }
}

/// What a distribution of `terms` on `as_of` (else the structure's default
/// date) rests on: the parties the terms may name, the declarations in
/// force, the date dividends accrue to; and the caveats of the terms
/// (reported, assumed, or resting on a source that cannot be checked),
/// which travel with every answer.
pub fn economic_context(
    s: &Structure,
    terms: &EconomicTerms,
    as_of: Option<NaiveDate>,
) -> (boardroom_waterfall::Context, Vec<String>) {
    let date = date_on(s, as_of).ok();
    let state = date.map(|d| crate::timeline::state_as_of(s, d).0);
    let context = boardroom_waterfall::Context {
        known_parties: Some(s.party.iter().map(|p| p.id.clone()).collect()),
        in_force: state
            .as_ref()
            .map(|st| st.declarations.iter().map(|d| d.name.clone()).collect())
            .unwrap_or_default(),
        on: date,
    };
    let caveats = state
        .map(|st| {
            let e = crate::report::economics_summary(s, &st, terms);
            e.assumptions.into_iter().chain(e.readings).collect()
        })
        .unwrap_or_default();
    (context, caveats)
}

/// Every error in the terms of `entity`, each with its hint, as one.
pub fn invalid_terms(entity: &str, errors: &boardroom_waterfall::Errors) -> QuestionError {
    let lines: Vec<String> = errors
        .0
        .iter()
        .map(|e| format!("{e}\n  = hint: {}", e.hint()))
        .collect();
    QuestionError {
        message: format!(
            "the economic terms of `{entity}` are invalid:\n{}",
            lines.join("\n")
        ),
        hint: None,
    }
}

/// The decision kinds a body knows: those its rules name, and those the
/// timeline infers from acts.
pub fn known_decisions(s: &Structure, body: &str) -> Vec<String> {
    let mut k: Vec<String> = s
        .rule
        .iter()
        .filter(|r| r.body == body && r.decision != "*")
        .map(|r| r.decision.clone())
        .collect();
    for verb in ["appoint", "remove"] {
        for object in ["officer", "director", "member", "chair"] {
            k.push(format!("{verb}-{object}"));
        }
    }
    k.extend(
        [
            "issue-interest",
            "transfer-interest",
            "end-interest",
            "amend-rules",
            // The statute's words for an election (`rulebook::statutory_kind`).
            "elect-director",
            "elect-directors",
            "appoint-directors",
            "remove-directors",
        ]
        .map(String::from),
    );
    // Every decision the file's own acts and questions name for the body
    // (`power` refused Patagonia's `elect-directors`, which its events,
    // its `[[scenario.power]]` and every other command use).
    k.extend(
        s.event
            .iter()
            .filter(|e| e.by.as_deref() == Some(body))
            .filter_map(|e| e.decision.clone()),
    );
    k.extend(
        s.scenario
            .power
            .iter()
            .filter(|q| q.body == body)
            .map(|q| q.decision.clone()),
    );
    k.sort();
    k.dedup();
    k
}

/// Whose game: a body's for a decision on a date, or a plain weighted game.
#[derive(Debug, Clone)]
pub enum PowerQuestion<'a> {
    /// The game `body` plays for `decision` (about `subject`, who may be
    /// ineligible) on `as_of`, else the structure's default date.
    Body {
        s: &'a Structure,
        body: &'a str,
        decision: &'a str,
        subject: Option<&'a str>,
        as_of: Option<NaiveDate>,
    },
    /// Players with `weights` (named `names`, else P1, P2, ...) and `quota`.
    Weighted {
        quota: u64,
        weights: Vec<u64>,
        names: Vec<String>,
    },
}

/// The voting power of each player, the coalitions where `options` asks
/// for them (always for games of at most
/// [`boardroom_power::MAX_ENUM_PLAYERS`] players, where they cost nothing),
/// and whether `can_block` (player ids or names) can block. `before` is
/// told the exact method's work, in steps, before it starts, so that a
/// front end can say a long computation is coming.
pub fn power(
    q: &PowerQuestion<'_>,
    options: &Options,
    can_block: &[String],
    before: impl FnOnce(u128),
) -> Result<crate::game::PowerReport, QuestionError> {
    let (body_game, game, ids, names) = match q {
        PowerQuestion::Weighted {
            quota,
            weights,
            names,
        } => {
            // One name per weight, or none: names that run short were
            // filled in as P3, P4, ... without a word, and a name left out
            // in the middle shifts every later name onto the wrong weight.
            if !names.is_empty() && names.len() != weights.len() {
                return Err(QuestionError::new(
                    format!(
                        "{} names for {} weights; expected one name per weight, in the same order",
                        names.len(),
                        weights.len()
                    ),
                    "give as many names as weights, or no names (the players are then P1, P2, ...)",
                ));
            }
            let names: Vec<String> = (0..weights.len())
                .map(|i| {
                    names
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| format!("P{}", i + 1))
                })
                .collect();
            let game = Game::Weighted(WeightedGame::new(*quota, weights.clone())?);
            (None, game, names.clone(), names)
        }
        PowerQuestion::Body {
            s,
            body,
            decision,
            subject,
            as_of,
        } => {
            if s.body(body).is_none() {
                let hint = crate::did_you_mean(body, s.body.iter().map(|b| b.id.as_str()))
                    .unwrap_or_else(|| {
                        format!(
                            "bodies: {}",
                            s.body
                                .iter()
                                .map(|b| b.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    });
                return Err(QuestionError::new(format!("unknown body `{body}`"), hint));
            }
            let known = known_decisions(s, body);
            if !known.iter().any(|k| k == decision) && !decision.starts_with("declare-") {
                let hint = crate::did_you_mean(decision, known.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("decisions: {}", known.join(", ")));
                return Err(QuestionError::new(
                    format!("unknown decision `{decision}` for `{body}`"),
                    hint,
                ));
            }
            if let Some(p) = subject
                && s.party(p).is_none()
            {
                return Err(QuestionError::new(
                    format!("unknown party `{p}` as the subject"),
                    "give the id of the member the decision concerns",
                ));
            }
            let (_, state) = state_on(s, *as_of);
            let mut bg = crate::game::body_game(s, &state, body, decision, *subject).map_err(
                |e| match e {
                    crate::game::GameError::Power(p) => QuestionError::from(p),
                    other => QuestionError {
                        message: other.to_string(),
                        hint: None,
                    },
                },
            )?;
            let game = bg.game.take().ok_or_else(|| QuestionError {
                message: "the body's game could not be built".into(),
                hint: None,
            })?;
            let (ids, names) = (bg.players.clone(), bg.names.clone());
            (Some(bg), game, ids, names)
        }
    };
    let options = Options {
        coalitions: options.coalitions || game.players() <= boardroom_power::MAX_ENUM_PLAYERS,
        ..options.clone()
    };
    before(boardroom_power::exact_work(&game, &options));
    let analysis = boardroom_power::analyse(&game, &names, &options)?;
    let block = if can_block.is_empty() {
        None
    } else {
        let mut group = Vec::new();
        for g in can_block {
            let i = body_game
                .as_ref()
                .and_then(|bg: &crate::game::BodyGame| bg.player_of(g))
                .or_else(|| ids.iter().position(|x| x == g))
                .or_else(|| names.iter().position(|x| x == g))
                .ok_or_else(|| {
                    let hint = crate::did_you_mean(g, ids.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("players: {}", ids.join(", ")));
                    QuestionError::new(format!("`{g}` is not a player of this game"), hint)
                })?;
            if !group.contains(&i) {
                group.push(i);
            }
        }
        Some(crate::game::group_block(
            &game,
            &names,
            &group,
            options.limit,
        )?)
    };
    Ok(crate::game::PowerReport {
        game: body_game,
        analysis,
        block,
    })
}

/// Could `group` (party or group ids) have blocked the act of `event`?
pub fn block(
    s: &Structure,
    event: &str,
    group: &[String],
) -> Result<crate::blocking::BlockAnswer, QuestionError> {
    check_parties(s, group, true, "the group")?;
    crate::blocking::could_block(s, event, group).map_err(|e| {
        let ids: Vec<&str> = s.event.iter().filter_map(|e| e.id.as_deref()).collect();
        let hint = crate::did_you_mean(event, ids.iter().copied())
            .unwrap_or_else(|| format!("events with ids: {}", ids.join(", ")));
        QuestionError::new(e.to_string(), hint)
    })
}

/// The timeline replayed as if `against` had attended every meeting and
/// voted against, and `absent` had stayed away, neither signing any
/// written consent: the verdicts that change, and the timeline as it
/// would have run.
pub fn what_if(
    s: &Structure,
    against: &[String],
    absent: &[String],
) -> Result<crate::report::WhatIf, QuestionError> {
    check_parties(s, against, false, "those voting against")?;
    check_parties(s, absent, false, "those absent")?;
    if let Some(p) = against.iter().find(|p| absent.contains(p)) {
        return Err(QuestionError::new(
            format!("`{p}` is both voting against and absent"),
            "a party either attends and votes against, or stays away",
        ));
    }
    let base = crate::timeline::replay(s);
    Ok(crate::report::WhatIf {
        what_if: crate::report::what_if_votes(s, &base.verdicts, against, absent),
        verdicts: crate::timeline::replay(&s.with_votes(against, absent)).verdicts,
    })
}

/// `s` under its variant `id` (another term sheet, another board, another
/// rule), its title saying so, so that every output that shows the title
/// shows the variant.
pub fn under_variant(s: &Structure, id: &str) -> Result<Structure, QuestionError> {
    let Some(v) = s.variant.iter().find(|v| v.id == id) else {
        let hint =
            crate::did_you_mean(id, s.variant.iter().map(|v| v.id.as_str())).unwrap_or_else(|| {
                if s.variant.is_empty() {
                    "this file states no [[variant]]".to_string()
                } else {
                    let ids: Vec<&str> = s.variant.iter().map(|v| v.id.as_str()).collect();
                    format!("variants: {}", ids.join(", "))
                }
            });
        return Err(QuestionError::new(format!("no variant `{id}`"), hint));
    };
    let mut out = s.with_variant(v);
    let title = if out.scenario.title.is_empty() {
        "boardroom report".to_string()
    } else {
        out.scenario.title.clone()
    };
    out.scenario.title = format!("{title}, under variant `{id}`");
    Ok(out)
}

/// The date a graph is drawn on: the one given, else the key event's (the
/// structure as the event found it), else the structure's default.
pub fn graph_date(s: &Structure, as_of: Option<NaiveDate>) -> Result<NaiveDate, QuestionError> {
    match as_of.or_else(|| crate::report::key_date(s)) {
        Some(d) => Ok(d),
        None => date_on(s, None),
    }
}

/// An amount of money: a decimal number, scientific notation, or a number
/// with a K, M, B or T suffix (`13e9`, `13B`, `150000000000`); never
/// negative.
pub fn amount(text: &str) -> Result<rust_decimal::Decimal, QuestionError> {
    use rust_decimal::Decimal;
    let refuse = |message: String| QuestionError {
        message,
        hint: None,
    };
    let t = text.trim().replace(['_', ','], "");
    let (number, scale) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], Decimal::from(1_000u64)),
        Some('M') => (&t[..t.len() - 1], Decimal::from(1_000_000u64)),
        Some('B') => (&t[..t.len() - 1], Decimal::from(1_000_000_000u64)),
        Some('T') => (&t[..t.len() - 1], Decimal::from(1_000_000_000_000u64)),
        _ => (t.as_str(), Decimal::ONE),
    };
    // Exactly as written, or refused: never rounded to fit.
    let value = Decimal::from_str_exact(number)
        .or_else(|_| Decimal::from_scientific(number))
        .map_err(|_| match number.parse::<f64>() {
            // A number, but not one an exact decimal holds.
            Ok(f) if f.is_finite() && f.abs() >= 7.9e28 => refuse(format!(
                "`{text}` is too large: amounts are exact decimals, at most {} (about 7.9e28)",
                crate::report::count(Decimal::MAX)
            )),
            Ok(f) if f.is_finite() => refuse(format!(
                "`{text}` has more digits than an exact amount holds (28 significant digits)"
            )),
            _ => refuse(format!(
                "`{text}` is not an amount; expected a number such as 150000000000, 1.5e11 or 150B"
            )),
        })?;
    if value.is_sign_negative() {
        return Err(refuse(format!(
            "`{text}` is negative; amounts to distribute are zero or more"
        )));
    }
    value.checked_mul(scale).ok_or_else(|| {
        refuse(format!(
            "`{text}` is too large: amounts are exact decimals, at most {} (about 7.9e28)",
            crate::report::count(Decimal::MAX)
        ))
    })
}

/// What to distribute through an entity's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distribute {
    /// Nothing given: a fund's ledger of dated distributions (other terms
    /// need an amount).
    Ledger,
    /// One amount, to the cent.
    Amount(rust_decimal::Decimal),
    /// One amount, under the terms as written and under every variant
    /// that replaces them.
    Compare(rust_decimal::Decimal),
    /// Every amount from 0 to this one: the breakpoints, exactly.
    Cumulative(rust_decimal::Decimal),
}

/// Who receives what, in the form the question asked for.
#[derive(Debug, Clone)]
pub enum Distributed {
    Ledger(Box<boardroom_waterfall::Ledger>),
    Amount(boardroom_waterfall::Distribution),
    Compare(crate::report::SheetComparison),
    Cumulative(boardroom_waterfall::Cumulative),
}

/// A waterfall answered: what was distributed, through whose terms, the
/// caveats the terms rest on and the sources they cite.
#[derive(Debug, Clone)]
pub struct WaterfallAnswer<'a> {
    pub terms: &'a EconomicTerms,
    pub distributed: Distributed,
    pub caveats: Vec<String>,
    pub sources: Vec<String>,
}

/// Distributes through the terms of `entity` (or of the one entity with
/// terms) on `as_of`, as `what` asks; a fund's ledger takes no amount, and
/// other terms need one.
pub fn waterfall<'a>(
    s: &'a Structure,
    entity: Option<&str>,
    as_of: Option<NaiveDate>,
    what: Distribute,
) -> Result<WaterfallAnswer<'a>, QuestionError> {
    let terms = economic_terms(s, entity)?;
    let (context, caveats) = economic_context(s, terms, as_of);
    let sources = crate::report::terms_sources(s, &terms.entity);
    let invalid = |errors: boardroom_waterfall::Errors| invalid_terms(&terms.entity, &errors);
    let failed = |e: boardroom_waterfall::Error| QuestionError::new(e.to_string(), e.hint());
    let distributed = if terms.is_ledger() {
        if what != Distribute::Ledger {
            return Err(QuestionError::new(
                format!(
                    "the terms of `{}` are a fund's ledger of dated calls and distributions: no other amount goes through them",
                    terms.entity
                ),
                "ask without an amount to see each distribution, tier by tier",
            ));
        }
        let ledger = boardroom_waterfall::ledger(terms, &context).map_err(invalid)?;
        Distributed::Ledger(Box::new(crate::report::plain_ledger(s, &ledger)))
    } else {
        let waterfall = boardroom_waterfall::Waterfall::new(terms, &context).map_err(invalid)?;
        match what {
            Distribute::Ledger => {
                return Err(QuestionError::new(
                    "say what to distribute",
                    "one amount, or every amount up to one (cumulative)",
                ));
            }
            Distribute::Amount(x) => Distributed::Amount(waterfall.distribute(x).map_err(failed)?),
            Distribute::Compare(x) => Distributed::Compare(
                crate::report::compare_term_sheets(s, &terms.entity, x, &context).ok_or_else(
                    || QuestionError {
                        message: "no terms to compare".into(),
                        hint: None,
                    },
                )?,
            ),
            Distribute::Cumulative(x) => {
                Distributed::Cumulative(waterfall.cumulative(x).map_err(failed)?)
            }
        }
    };
    Ok(WaterfallAnswer {
        terms,
        distributed,
        caveats,
        sources,
    })
}
