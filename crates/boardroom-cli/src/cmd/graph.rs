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
    #[command(flatten)]
    on: crate::input::OnDate,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.on.file.as_deref())?;
    // By default the date of the key event, not the last date: the
    // structure as the event found it.
    let date = boardroom::question::graph_date(&s, a.on.as_of)
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
