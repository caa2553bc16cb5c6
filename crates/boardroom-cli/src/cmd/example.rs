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
    // Editors that read `#:schema` (taplo, Even Better TOML) complete and
    // check the file against the structure schema.
    let text = format!(
        "#:schema https://boardroom.dev/schema/structure.schema.json\n# (offline: `boardroom schema > structure.schema.json`, and point the line above at it)\n{}",
        sc.text
    );
    emit(&text, false)?;
    Ok(ExitCode::SUCCESS)
}
