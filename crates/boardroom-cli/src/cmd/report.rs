use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, emit, print_json, structure};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    file: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.file.as_deref())?;
    let r = boardroom::report::report(&s);
    match a.format {
        Format::Json => print_json(&r)?,
        Format::Text => emit(&boardroom_formats::text::report_text(&s, &r), false)?,
    }
    Ok(ExitCode::SUCCESS)
}
