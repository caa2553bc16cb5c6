use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use crate::input::{Format, date_or_default, emit, parse_date, print_json, structure};

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
    let date = date_or_default(&s, a.as_of)?;
    let (state, _) = boardroom::state_as_of(&s, date);
    let view = boardroom::report::state_view(&s, &state, date);
    match a.format {
        Format::Json => print_json(&view)?,
        Format::Text => emit(&boardroom_formats::text::state_text(&s, &view), false)?,
    }
    Ok(ExitCode::SUCCESS)
}
