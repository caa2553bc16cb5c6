use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, emit, print_json, state_for, structure};

pub type Args = crate::input::DatedView;

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.on.file.as_deref())?;
    let (date, state) = state_for(&s, a.on.as_of);
    let lt = boardroom::lookthrough(&s, &state).map_err(|e| anyhow::anyhow!("{e}"))?;
    if a.format == Format::Json {
        print_json(&boardroom::Envelope::new("lookthrough", &s, &lt))?;
        return Ok(ExitCode::SUCCESS);
    }
    let out = boardroom_formats::text::lookthrough_text(&s, &lt, date);
    emit(&boardroom_formats::text::cite(&s, &out), false)?;
    Ok(ExitCode::SUCCESS)
}
