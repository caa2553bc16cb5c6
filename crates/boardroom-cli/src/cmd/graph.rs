use std::process::ExitCode;

use anyhow::Result;

use crate::input::{date_or_default, emit, print_json, structure};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
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
    let date = date_or_default(&s, a.on.as_of)?;
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
        GraphFormat::Json => print_json(&boardroom::Envelope::new("graph", &s, &g))?,
    }
    Ok(ExitCode::SUCCESS)
}
