use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::NaiveDate;

use crate::input::{Format, emit_prose, parse_date, print_json, structure};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    file: Option<String>,
    /// The earlier date, YYYY-MM-DD: the state at its end.
    #[arg(long, value_parser = parse_date)]
    from: NaiveDate,
    /// The later date, YYYY-MM-DD: the state at its end.
    #[arg(long, value_parser = parse_date)]
    to: NaiveDate,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    if a.from > a.to {
        bail!(
            "--from {} is after --to {}\n  = hint: give the earlier date first",
            a.from,
            a.to
        );
    }
    let s = structure(a.file.as_deref())?;
    let changes = boardroom::changes(&s, a.from, a.to);
    match a.format {
        Format::Json => print_json(&boardroom::Envelope::new("diff", &s, &changes))?,
        Format::Text => emit_prose(&boardroom_formats::text::cite(
            &s,
            &boardroom_formats::text::changes_text(&changes),
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}
