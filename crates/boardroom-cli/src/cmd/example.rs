use std::process::ExitCode;

use crate::input::emit;
use anyhow::{Result, bail};
use boardroom_formats::{SCENARIOS, scenario};

#[derive(clap::Args)]
pub struct Args {
    /// The scenario to print.
    #[arg(default_value = "openai-2023")]
    name: String,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let Some(sc) = scenario(&a.name) else {
        let known: Vec<&str> = SCENARIOS.iter().map(|s| s.id).collect();
        bail!(
            "no embedded scenario is called `{}`\n  = hint: known scenarios: {}",
            a.name,
            known.join(", ")
        );
    };
    emit(sc.text, false)?;
    Ok(ExitCode::SUCCESS)
}
