use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use boardroom::{PowerReport, group_block};
use boardroom_formats::text::{cite_mark, cite_marks};
use boardroom_power::{
    Approx, Game, Index, Options, WeightedGame, analyse, exact_work, parse_weights,
};
use chrono::NaiveDate;

use crate::input::{Format, emit, parse_date, print_json, state_for, structure};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON), with --body and --decision. Default: the embedded scenario.
    file: Option<String>,
    /// A plain weighted game: the quota.
    #[arg(long, requires = "weights", conflicts_with_all = ["body", "decision", "file"])]
    quota: Option<u64>,
    /// A plain weighted game: the weights, comma-separated non-negative integers.
    #[arg(long, requires = "quota")]
    weights: Option<String>,
    /// A plain weighted game: the players' names, comma-separated.
    #[arg(long, value_delimiter = ',', requires = "weights")]
    names: Vec<String>,
    /// The body whose game to analyse.
    #[arg(long, requires = "decision")]
    body: Option<String>,
    /// The kind of decision: `remove-officer`, `remove-director`, `appoint-director`, ...
    #[arg(long, requires = "body")]
    decision: Option<String>,
    /// The member the decision concerns (ineligible where the rule says so).
    #[arg(long, requires = "body")]
    subject: Option<String>,
    /// The date, YYYY-MM-DD. Default: the scenario's `as_of`, else the last event's date.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Indices to compute: banzhaf, shapley-shubik, deegan-packel, johnston, public-good, coleman. Default: all.
    #[arg(long, value_delimiter = ',')]
    index: Vec<Index>,
    /// Count and list the minimal winning and blocking coalitions. Default: only for games of at most 25 players, where it costs nothing; on a large weighted game it is most of the work.
    #[arg(long)]
    coalitions: bool,
    /// List at most this many coalitions per list (the counts are always full).
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Where the exact method is out of reach, estimate with this many Monte Carlo samples.
    #[arg(long)]
    approx: Option<u64>,
    /// The seed of the Monte Carlo estimates.
    #[arg(long, default_value_t = 1, requires = "approx")]
    seed: u64,
    /// Can these players (ids or names, comma-separated) block? If not, who must join them? (`--group`, as `block` names it, is the same)
    #[arg(long, value_delimiter = ',', visible_alias = "group")]
    can_block: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn power_error(e: boardroom_power::PowerError) -> anyhow::Error {
    match e.hint() {
        Some(h) => {
            let h = h.replace(
                "pass approx mode (a sample count and a seed)",
                "pass --approx SAMPLES (and --seed)",
            );
            anyhow!("{e}\n  = hint: {h}")
        }
        None => anyhow!("{e}"),
    }
}

/// The decision kinds a body knows: those its rules name, and those the
/// timeline infers from acts.
fn known_decisions(s: &boardroom::Structure, body: &str) -> Vec<String> {
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
        ]
        .map(String::from),
    );
    k.sort();
    k.dedup();
    k
}

pub fn run(a: Args) -> Result<ExitCode> {
    let options = Options {
        indices: if a.index.is_empty() {
            Index::ALL.to_vec()
        } else {
            a.index.clone()
        },
        limit: a.limit,
        approx: a.approx.map(|samples| Approx {
            samples,
            seed: a.seed,
        }),
        ..Options::default()
    };
    let mut read: Option<boardroom::Structure> = None;
    let (body_game, game, ids, names) = if let (Some(q), Some(w)) = (a.quota, &a.weights) {
        let weights = parse_weights(w).map_err(power_error)?;
        if a.names.len() > weights.len() {
            bail!(
                "{} names for {} weights; expected at most one name per weight\n  = hint: give as many names as weights, or fewer",
                a.names.len(),
                weights.len()
            );
        }
        let n = weights.len();
        let game = Game::Weighted(WeightedGame::new(q, weights).map_err(power_error)?);
        let names: Vec<String> = (0..n)
            .map(|i| {
                a.names
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("P{}", i + 1))
            })
            .collect();
        (None, game, names.clone(), names)
    } else {
        let (Some(body), Some(decision)) = (&a.body, &a.decision) else {
            bail!(
                "say which game\n  = hint: --quota Q --weights W1,W2,... for a weighted game, or --body BODY --decision KIND for a body's game"
            );
        };
        let s = structure(a.file.as_deref())?;
        if s.body(body).is_none() {
            let hint = boardroom::did_you_mean(body, s.body.iter().map(|b| b.id.as_str()))
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
            bail!("unknown body `{body}`\n  = hint: {hint}");
        }
        let known = known_decisions(&s, body);
        if !known.contains(decision) && !decision.starts_with("declare-") {
            let hint = boardroom::did_you_mean(decision, known.iter().map(String::as_str))
                .unwrap_or_else(|| format!("decisions: {}", known.join(", ")));
            bail!("unknown decision `{decision}` for `{body}`\n  = hint: {hint}");
        }
        if let Some(p) = &a.subject
            && s.party(p).is_none()
        {
            bail!("unknown party `{p}` in --subject");
        }
        let (_, state) = state_for(&s, a.as_of);
        let mut bg = boardroom::body_game(&s, &state, body, decision, a.subject.as_deref())
            .map_err(|e| match e {
                boardroom::GameError::Power(p) => power_error(p),
                other => anyhow!("{other}"),
            })?;
        let game = bg
            .game
            .take()
            .ok_or_else(|| anyhow!("the body's game could not be built"))?;
        let (ids, names) = (bg.players.clone(), bg.names.clone());
        read = Some(s);
        (Some(bg), game, ids, names)
    };
    // Say so before a long exact computation (a few seconds and more; the
    // exact methods refuse past EXACT_WORK_LIMIT steps), --approx or not:
    // what is within exact reach is computed exactly.
    let options = Options {
        coalitions: a.coalitions || game.players() <= boardroom_power::MAX_ENUM_PLAYERS,
        ..options
    };
    let work = exact_work(&game, &options);
    if work > 20_000_000_000 {
        let hint = if a.approx.is_none() {
            "; --approx SAMPLES estimates instead, --index limits what is computed"
        } else {
            "; --index limits what is computed"
        };
        stderrln!(
            "note: the exact method needs about {:.1e} steps here; this can take a while{hint}",
            work as f64
        );
    }
    let mut analysis = analyse(&game, &names, &options).map_err(power_error)?;
    for nc in &mut analysis.not_computed {
        if nc.reason == "not asked for" {
            nc.reason = "not asked for: --coalitions counts and lists them".into();
        }
    }
    let block = if a.can_block.is_empty() {
        None
    } else {
        let mut group = Vec::new();
        for g in &a.can_block {
            let i = body_game
                .as_ref()
                .and_then(|bg| bg.player_of(g))
                .or_else(|| ids.iter().position(|x| x == g))
                .or_else(|| names.iter().position(|x| x == g))
                .ok_or_else(|| {
                    let hint = boardroom::did_you_mean(g, ids.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("players: {}", ids.join(", ")));
                    anyhow!("`{g}` is not a player of this game\n  = hint: {hint}")
                })?;
            if !group.contains(&i) {
                group.push(i);
            }
        }
        Some(group_block(&game, &names, &group, a.limit).map_err(power_error)?)
    };
    let out = PowerReport {
        game: body_game,
        analysis,
        block,
    };
    match a.format {
        Format::Json => print_json(&match &read {
            Some(s) => boardroom::Envelope::new("power", s, &out),
            None => boardroom::Envelope::bare("power", &out),
        })?,
        Format::Text => {
            let mut text = String::new();
            if let (Some(g), Some(s)) = (&out.game, &read) {
                let on = g
                    .date
                    .map(|d| format!(", on {}", d.format("%-d %B %Y")))
                    .unwrap_or_default();
                let _ = writeln!(
                    text,
                    "{}: {}{on}",
                    g.name,
                    boardroom::report::decision_words(&g.decision)
                );
                let _ = writeln!(
                    text,
                    "rule: {}{}",
                    boardroom_formats::text::rule_words(&g.rule),
                    cite_mark(g.rule.source.as_deref())
                );
                let seats = if s.body(&g.body).is_some_and(|b| b.kind.is_holder_body()) {
                    "votes"
                } else {
                    "seats"
                };
                let _ = writeln!(
                    text,
                    "players ({seats} on that date): {}",
                    g.names
                        .iter()
                        .zip(&g.sources)
                        .map(|(n, src)| format!("{n}{}", cite_marks(src)))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                for i in &g.ineligible {
                    let _ = writeln!(text, "not a player: {} ({})", s.name(&i.party), i.reason);
                }
                for p in &g.groups {
                    let _ = writeln!(
                        text,
                        "one player: {}, acting in concert for {}",
                        p.name,
                        p.member_names.join(", ")
                    );
                }
                let _ = writeln!(text, "{}\n", g.definition);
            }
            let _ = write!(text, "{}", out.analysis);
            if let Some(b) = &out.block {
                let _ = writeln!(text, "\n{}", b.explanation);
            }
            let text = match &read {
                Some(s) => boardroom_formats::text::cite(s, &text),
                None => text,
            };
            emit(&text, !text.ends_with('\n'))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
