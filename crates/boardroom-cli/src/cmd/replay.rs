use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, asked, emit_prose, print_json, structure};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    file: Option<String>,
    /// What if these parties (ids, comma-separated) had attended every meeting and voted against, and signed no written consent? The timeline is replayed, and the verdicts that change are listed first
    #[arg(long, value_delimiter = ',')]
    against: Vec<String>,
    /// What if these parties (ids, comma-separated) had stayed away from every meeting and signed nothing?
    #[arg(long, value_delimiter = ',')]
    absent: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.file.as_deref())?;
    if a.against.is_empty() && a.absent.is_empty() {
        let r = boardroom::replay(&s);
        match a.format {
            Format::Json => print_json(&boardroom::Envelope::new(
                "replay",
                &s,
                boardroom::Verdicts {
                    verdicts: r.verdicts.clone(),
                },
            ))?,
            Format::Text => emit_prose(&boardroom_formats::text::cite(
                &s,
                &boardroom_formats::text::replay_text(&s, &r.verdicts),
            ))?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let w = boardroom::question::what_if(&s, &a.against, &a.absent).map_err(|e| {
        // The command line's names for the two lists.
        let message = e
            .message
            .replace("those voting against", "--against")
            .replace("those absent", "--absent")
            .replace(
                "both voting against and absent",
                "both --against and --absent",
            );
        asked(boardroom::question::QuestionError { message, ..e })
    })?;
    let (what_if, alt_verdicts) = (w.what_if, w.verdicts);
    match a.format {
        Format::Json => print_json(&boardroom::Envelope::new(
            "what-if",
            &s,
            boardroom::report::WhatIf {
                what_if,
                verdicts: alt_verdicts,
            },
        ))?,
        Format::Text => {
            let mut text = boardroom_formats::text::what_if_text(&what_if);
            text.push_str("\nThe timeline as it would have run\n");
            text.push_str(&boardroom_formats::text::replay_text(&s, &alt_verdicts));
            emit_prose(&boardroom_formats::text::cite(&s, &text))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
