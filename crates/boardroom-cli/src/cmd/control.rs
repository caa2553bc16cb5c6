use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, emit, print_json, state_for, structure};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    on: crate::input::OnDate,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.on.file.as_deref())?;
    let (_, state) = state_for(&s, a.on.as_of);
    let c = boardroom::control(&s, &state);
    match a.format {
        Format::Json => print_json(&c)?,
        Format::Text => emit(&boardroom_formats::text::control_text(&s, &c), false)?,
    }
    Ok(ExitCode::SUCCESS)
}
