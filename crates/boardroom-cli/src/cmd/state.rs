use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, date_or_default, emit, print_json, structure};

pub type Args = crate::input::DatedView;

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.on.file.as_deref())?;
    let date = date_or_default(&s, a.on.as_of)?;
    let (state, _) = boardroom::state_as_of(&s, date);
    let view = boardroom::report::state_view(&s, &state, date);
    match a.format {
        Format::Json => print_json(&view)?,
        Format::Text => emit(&boardroom_formats::text::state_text(&s, &view), false)?,
    }
    Ok(ExitCode::SUCCESS)
}
