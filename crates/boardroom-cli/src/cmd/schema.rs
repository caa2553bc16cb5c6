use std::process::ExitCode;

use crate::input::emit;
use anyhow::{Result, bail};
use boardroom_formats::{SCHEMAS, schema};

#[derive(clap::Args)]
pub struct Args {
    /// Which schema: the structure format, or a command's JSON output.
    #[arg(default_value = "structure")]
    name: String,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let Some(text) = schema(&a.name) else {
        let known: Vec<String> = SCHEMAS
            .iter()
            .map(|(n, what)| format!("{n} ({what})"))
            .collect();
        bail!(
            "no schema is called `{}`\n  = hint: known schemas: {}",
            a.name,
            known.join(", ")
        );
    };
    emit(&text, false)?;
    Ok(ExitCode::SUCCESS)
}
