use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use crate::input::{date_or_default, emit, parse_date, print_json, structure};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    file: Option<String>,
    /// The date, YYYY-MM-DD. Default: the scenario's `as_of`, else the last event's date.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.file.as_deref())?;
    let date = date_or_default(&s, a.as_of)?;
    let (state, _) = boardroom::state_as_of(&s, date);
    let g = boardroom::graph(&s, &state);
    let title = format!(
        "{} on {date}",
        if s.scenario.title.is_empty() {
            "structure"
        } else {
            &s.scenario.title
        }
    );
    match a.format {
        GraphFormat::Dot => emit(&boardroom_formats::to_dot(&g, &title), false)?,
        GraphFormat::Mermaid => emit(&boardroom_formats::to_mermaid(&g, &title), false)?,
        GraphFormat::Json => print_json(&g)?,
    }
    Ok(ExitCode::SUCCESS)
}
