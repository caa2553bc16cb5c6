use std::process::ExitCode;

use anyhow::Result;
use boardroom::{Outcome, replay};
use serde::Serialize;

use crate::input::{Format, load_file, print_json};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input.
    file: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Serialize)]
struct CheckResult<'a> {
    file: &'a str,
    well_formed: bool,
    acts: usize,
    invalid: Vec<&'a boardroom::Verdict>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let loaded = load_file(Some(&a.file))?;
    let (name, s) = (a.file.as_str(), &loaded.structure);
    let r = replay(s);
    let invalid: Vec<_> = r.invalid().collect();
    let acts = r
        .verdicts
        .iter()
        .filter(|v| v.outcome != Outcome::Recorded)
        .count();
    match a.format {
        Format::Json => print_json(&CheckResult {
            file: name,
            well_formed: true,
            acts,
            invalid: invalid.clone(),
        })?,
        Format::Text => {
            for v in &invalid {
                eprint!("{}", boardroom_formats::text::verdict_text(s, v));
                eprintln!("      --> {}", loaded.place(&v.path));
            }
            println!(
                "{name}: well-formed; {acts} acts, {} valid, {} invalid",
                acts - invalid.len(),
                invalid.len()
            );
        }
    }
    Ok(if invalid.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
