use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, emit_prose, print_json, state_for, structure};

pub type Args = crate::input::DatedView;

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.on.file.as_deref())?;
    let (date, state) = state_for(&s, a.on.as_of);
    let view = boardroom::report::state_view(&s, &state, date);
    match a.format {
        Format::Json => print_json(&boardroom::Envelope::new("state", &s, &view))?,
        Format::Text => emit_prose(&boardroom_formats::text::cite(
            &s,
            &boardroom_formats::text::state_text(&s, &view),
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}
