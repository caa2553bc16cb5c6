use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use boardroom_waterfall::{ChartOptions, Waterfall, svg};
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
    let terms = boardroom::question::economic_terms(&s, a.entity.as_deref()).map_err(|e| {
        // The command line chooses with --entity.
        let e = boardroom::question::QuestionError {
            hint: e
                .hint
                .map(|h| h.replace("choose one entity:", "choose one with --entity:")),
            ..e
        };
        asked(e)
    })?;
    let (context, caveats) = boardroom::question::economic_context(&s, terms, a.as_of);
    let caveat_lines: String = caveats.iter().map(|c| format!("caveat: {c}\n")).collect();
    if terms.is_ledger() {
        if a.amount.is_some() || a.cumulative || a.compare {
            bail!(
                "the terms of `{}` are a fund's ledger of dated calls and distributions: no other amount goes through them\n  = hint: run `boardroom waterfall` without --amount or --cumulative to see each distribution, tier by tier",
                terms.entity
            );
        }
        let ledger = boardroom_waterfall::ledger(terms, &context)
            .map_err(|errors| invalid(&terms.entity, &errors))?;
        let ledger = boardroom::report::plain_ledger(&s, &ledger);
        match a.format {
            Format::Json => print_json(
                &boardroom::Envelope::citing(
                    "fund-ledger",
                    &s,
                    &ledger,
                    &boardroom::report::terms_sources(&s, &terms.entity),
                )
                .with_caveats(caveats),
            )?,
            Format::Text => {
                let mut text = ledger.to_string();
                text.push_str(&caveat_lines);
                emit(&text, false)?
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let waterfall =
        Waterfall::new(terms, &context).map_err(|errors| invalid(&terms.entity, &errors))?;
    if let (Some(amount), true) = (a.amount, a.compare) {
        let c = boardroom::report::compare_term_sheets(&s, &terms.entity, amount, &context)
            .context("no terms to compare")?;
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
                &boardroom::report::terms_sources(&s, &terms.entity),
            ))?,
            Format::Text => emit(&c.to_string(), false)?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(amount) = a.amount {
        let d = waterfall
            .distribute(amount)
            .map_err(|e| anyhow::anyhow!("{e}\n  = hint: {}", e.hint()))?;
        match a.format {
            Format::Json => print_json(
                &boardroom::Envelope::citing(
                    "waterfall",
                    &s,
                    &d,
                    &boardroom::report::terms_sources(&s, &terms.entity),
                )
                .with_caveats(caveats),
            )?,
            Format::Text => {
                let mut text = boardroom::report::plain_distribution(&s, terms, &d).to_string();
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&caveat_lines);
                emit(&text, false)?
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(to) = a.to else {
        bail!(
            "say what to distribute\n  = hint: --amount X for one amount, or --cumulative --to X for cumulative profits"
        );
    };
    let c = waterfall
        .cumulative(to)
        .map_err(|e| anyhow::anyhow!("{e}\n  = hint: {}", e.hint()))?;
    if let Some(path) = &a.svg {
        let named = boardroom::report::named_cumulative(&s, &c);
        // The chart carries the terms' caveats: reported, assumed, or
        // resting on a source that cannot be checked.
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
            &boardroom::Envelope::citing(
                "waterfall-cumulative",
                &s,
                &c,
                &boardroom::report::terms_sources(&s, &terms.entity),
            )
            .with_caveats(caveats),
        )?,
        Format::Text => {
            let mut text = boardroom::report::plain_cumulative(&s, terms, &c).to_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&caveat_lines);
            emit(&text, false)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every error in the terms, each with its hint.
fn invalid(entity: &str, errors: &boardroom_waterfall::Errors) -> anyhow::Error {
    asked(boardroom::question::invalid_terms(entity, errors))
}
