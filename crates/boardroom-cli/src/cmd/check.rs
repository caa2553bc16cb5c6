use std::process::ExitCode;

use anyhow::Result;
use boardroom::replay;
use boardroom::report::CheckSummary;
use boardroom_formats::Checked;

use crate::input::{Format, emit, load_file, print_json};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input.
    file: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let loaded = match load_file(Some(&a.file)) {
        Ok(l) => l,
        // In JSON, every diagnostic, none left out.
        Err(e) if a.format == Format::Json => match e.downcast_ref::<crate::input::Malformed>() {
            Some(m) => {
                print_json(&boardroom::Envelope::bare(
                    "check",
                    Checked::malformed(&a.file, m.0.clone()),
                ))?;
                return Ok(ExitCode::from(2));
            }
            None => return Err(e),
        },
        Err(e) => return Err(e),
    };
    let (name, s) = (a.file.as_str(), &loaded.structure);
    let r = replay(s);
    let summary = CheckSummary::of(name, &r);
    let (acts, invalid) = (summary.acts, &summary.invalid);
    match a.format {
        Format::Json => print_json(&boardroom::Envelope::new(
            "check",
            s,
            Checked {
                summary: summary.clone(),
                diagnostics: loaded.warnings.clone(),
            },
        ))?,
        Format::Text => {
            for v in invalid {
                stderr!(
                    "{}",
                    boardroom_formats::text::uncited(&boardroom_formats::text::verdict_text(s, v))
                );
                stderrln!("      --> {}", loaded.place(&v.path));
            }
            emit(
                &format!(
                    "{name}: well-formed; {acts} act{}, {} valid, {} invalid",
                    if acts == 1 { "" } else { "s" },
                    acts - invalid.len(),
                    invalid.len()
                ),
                true,
            )?;
        }
    }
    Ok(if invalid.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
