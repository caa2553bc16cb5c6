use std::process::ExitCode;

use anyhow::Result;

use crate::input::{emit, print_json, structure};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    /// A self-contained picture, with a legend.
    Svg,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    file: Option<String>,
    /// The date, YYYY-MM-DD. Default: the key event's (`scenario.key_date`, else the first act's):
    /// the structure as the event found it. Other commands default to `scenario.as_of`; the
    /// picture states its date.
    #[arg(long, value_parser = crate::input::parse_date)]
    as_of: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.file.as_deref())?;
    // By default the date of the key event, not the last date: the
    // structure as the event found it.
    let date = boardroom::question::graph_date(&s, a.as_of)
        .map_err(|e| anyhow::anyhow!("{}\n  = hint: pass --as-of YYYY-MM-DD", e.message))?;
    let (state, _) = boardroom::state_as_of(&s, date);
    let g = boardroom::graph(&s, &state);
    let title = boardroom_formats::graph_title(&s, date);
    match a.format {
        GraphFormat::Dot => emit(&boardroom_formats::to_dot(&g, &title), false)?,
        GraphFormat::Mermaid => emit(&boardroom_formats::to_mermaid(&g, &title), false)?,
        GraphFormat::Svg => emit(&boardroom_formats::to_svg(&g, &title), false)?,
        GraphFormat::Json => print_json(&boardroom::Envelope::new("graph", &s, &g))?,
    }
    Ok(ExitCode::SUCCESS)
}
