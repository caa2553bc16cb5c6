use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use crate::input::{Format, emit, parse_date, print_json, state_for, structure};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    file: Option<String>,
    /// The date, YYYY-MM-DD. Default: the scenario's `as_of`, else the last event's date.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.file.as_deref())?;
    let (_, state) = state_for(&s, a.as_of);
    let c = boardroom::control(&s, &state);
    match a.format {
        Format::Json => print_json(&c)?,
        Format::Text => emit(&boardroom_formats::text::control_text(&s, &c), false)?,
    }
    Ok(ExitCode::SUCCESS)
}
