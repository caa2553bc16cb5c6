use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, emit, print_json, state_for, structure};

pub type Args = crate::input::DatedView;

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
