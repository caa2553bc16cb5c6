use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::input::{Format, emit_prose, print_json, structure};

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
    let r = boardroom::replay(&s);
    if a.against.is_empty() && a.absent.is_empty() {
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
    for p in a.against.iter().chain(&a.absent) {
        if s.party(p).is_none() {
            let hint = boardroom::did_you_mean(p, s.party.iter().map(|x| x.id.as_str()))
                .unwrap_or_else(|| "give party ids as the file states them".into());
            bail!("unknown party `{p}` in --against/--absent\n  = hint: {hint}");
        }
        if a.against.contains(p) && a.absent.contains(p) {
            bail!(
                "`{p}` is both --against and --absent\n  = hint: a party either attends and votes against, or stays away"
            );
        }
    }
    let what_if = boardroom::report::what_if_votes(&s, &r.verdicts, &a.against, &a.absent);
    let alt = boardroom::replay(&s.with_votes(&a.against, &a.absent));
    match a.format {
        Format::Json => print_json(&boardroom::Envelope::new(
            "what-if",
            &s,
            boardroom::report::WhatIf {
                what_if,
                verdicts: alt.verdicts,
            },
        ))?,
        Format::Text => {
            let mut text = boardroom_formats::text::what_if_text(&what_if);
            text.push_str("\nThe timeline as it would have run\n");
            text.push_str(&boardroom_formats::text::replay_text(&s, &alt.verdicts));
            emit_prose(&boardroom_formats::text::cite(&s, &text))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
