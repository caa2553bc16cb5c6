use std::process::ExitCode;

use anyhow::Result;
use boardroom::question::{Distribute, Distributed};
use boardroom_waterfall::{ChartOptions, svg};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::input::{Format, asked, emit, parse_date, print_json, structure};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    file: Option<String>,
    /// The entity whose terms apply; may be left out when only one entity has terms.
    #[arg(long)]
    entity: Option<String>,
    /// Distribute this amount once: a year's profit or an exit value (`13e9`, `13B`, `150000000000`).
    #[arg(long, value_parser = parse_money, conflicts_with_all = ["cumulative", "to"])]
    amount: Option<Decimal>,
    /// Distribute cumulative profits from 0 up to --to: breakpoints, shares between them, totals.
    #[arg(long, requires = "to")]
    cumulative: bool,
    /// The end of the cumulative range.
    #[arg(long, value_parser = parse_money)]
    to: Option<Decimal>,
    /// Also draw the cumulative chart, as SVG, to this file.
    #[arg(long, requires = "cumulative")]
    svg: Option<String>,
    /// With --amount: the terms as written beside every variant that
    /// replaces them (another term sheet), party by party.
    #[arg(long, requires = "amount")]
    compare: bool,
    /// Declarations in force on this date (such as `agi`) end the rights that end on them.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// An amount of money, as [`boardroom::question::amount`] reads it.
pub fn parse_money(text: &str) -> Result<Decimal, String> {
    boardroom::question::amount(text).map_err(|e| e.message)
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.file.as_deref())?;
    let what = match (a.amount, a.to) {
        (Some(x), _) if a.compare => Distribute::Compare(x),
        (Some(x), _) => Distribute::Amount(x),
        (None, Some(to)) if a.cumulative => Distribute::Cumulative(to),
        _ => Distribute::Ledger,
    };
    let answer = boardroom::question::waterfall(&s, a.entity.as_deref(), a.as_of, what)
        .map_err(|e| {
            // The command line's words for what the question names.
            let hint = e.hint.map(|h| match h.as_str() {
                "ask without an amount to see each distribution, tier by tier" => "run `boardroom waterfall` without --amount or --cumulative to see each distribution, tier by tier".to_string(),
                "one amount, or every amount up to one (cumulative)" => "--amount X for one amount, or --cumulative --to X for cumulative profits".to_string(),
                other => other.replace("choose one entity:", "choose one with --entity:"),
            });
            asked(boardroom::question::QuestionError { hint, ..e })
        })?;
    let (terms, caveats, sources) = (answer.terms, answer.caveats, answer.sources);
    let caveat_lines: String = caveats.iter().map(|c| format!("caveat: {c}\n")).collect();
    let with_caveats = |mut text: String| {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&caveat_lines);
        text
    };
    match answer.distributed {
        Distributed::Ledger(ledger) => match a.format {
            Format::Json => print_json(
                &boardroom::Envelope::citing("fund-ledger", &s, &ledger, &sources)
                    .with_caveats(caveats),
            )?,
            Format::Text => emit(&with_caveats(ledger.to_string()), false)?,
        },
        Distributed::Compare(c) => {
            if c.sheets.len() < 2 {
                stderrln!(
                    "note: no variant replaces the terms of `{}`: only the terms as written are shown\n  = hint: add a [[variant]] with [[variant.economics]] for `{}`",
                    terms.entity,
                    terms.entity
                );
            }
            match a.format {
                Format::Json => print_json(&boardroom::Envelope::citing(
                    "waterfall-comparison",
                    &s,
                    &c,
                    &sources,
                ))?,
                Format::Text => emit(&c.to_string(), false)?,
            }
        }
        Distributed::Amount(d) => match a.format {
            Format::Json => print_json(
                &boardroom::Envelope::citing("waterfall", &s, &d, &sources).with_caveats(caveats),
            )?,
            Format::Text => emit(
                &with_caveats(boardroom::report::plain_distribution(&s, terms, &d).to_string()),
                false,
            )?,
        },
        Distributed::Cumulative(c) => {
            if let Some(path) = &a.svg {
                let named = boardroom::report::named_cumulative(&s, &c);
                // The chart carries the terms' caveats: reported, assumed,
                // or resting on a source that cannot be checked.
                let options = ChartOptions {
                    notes: caveats.clone(),
                    ..ChartOptions::default()
                };
                crate::destination::write_file(
                    std::path::Path::new(path),
                    svg(&named, &options).as_bytes(),
                )?;
                stderrln!("chart written to {path}");
            }
            match a.format {
                Format::Json => print_json(
                    &boardroom::Envelope::citing("waterfall-cumulative", &s, &c, &sources)
                        .with_caveats(caveats),
                )?,
                Format::Text => emit(
                    &with_caveats(boardroom::report::plain_cumulative(&s, terms, &c).to_string()),
                    false,
                )?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
