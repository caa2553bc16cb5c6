use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow, bail};
use boardroom::question::PowerQuestion;
use boardroom_power::{Approx, Index, Options, parse_weights};
use chrono::NaiveDate;

use crate::input::{Format, asked, emit, parse_date, print_json, structure};

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
    let read: Option<boardroom::Structure>;
    let question = if let (Some(quota), Some(w)) = (a.quota, &a.weights) {
        read = None;
        PowerQuestion::Weighted {
            quota,
            weights: parse_weights(w).map_err(power_error)?,
            names: a.names.clone(),
        }
    } else {
        let (Some(body), Some(decision)) = (&a.body, &a.decision) else {
            bail!(
                "say which game\n  = hint: --quota Q --weights W1,W2,... for a weighted game, or --body BODY --decision KIND for a body's game"
            );
        };
        read = Some(structure(a.file.as_deref())?);
        PowerQuestion::Body {
            s: read.as_ref().context("the structure was just read")?,
            body,
            decision,
            subject: a.subject.as_deref(),
            as_of: a.as_of,
        }
    };
    let options = Options {
        coalitions: a.coalitions,
        ..options
    };
    // Say so before a long exact computation (a few seconds and more; the
    // exact methods refuse past EXACT_WORK_LIMIT steps), --approx or not:
    // what is within exact reach is computed exactly.
    let say_work = |work: u128| {
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
    };
    let mut out =
        boardroom::question::power(&question, &options, &a.can_block, say_work).map_err(|e| {
            asked(boardroom::question::QuestionError {
                hint: e.hint.map(|h| {
                    h.replace(
                        "pass approx mode (a sample count and a seed)",
                        "pass --approx SAMPLES (and --seed)",
                    )
                }),
                ..e
            })
        })?;
    for nc in &mut out.analysis.not_computed {
        if nc.reason == "not asked for" {
            nc.reason = "not asked for: --coalitions counts and lists them".into();
        }
    }
    match a.format {
        Format::Json => print_json(&match &read {
            Some(s) => boardroom::Envelope::new("power", s, &out),
            None => boardroom::Envelope::bare("power", &out),
        })?,
        Format::Text => {
            let text = boardroom_formats::text::power_text(read.as_ref(), &out);
            emit(&text, !text.ends_with('\n'))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
