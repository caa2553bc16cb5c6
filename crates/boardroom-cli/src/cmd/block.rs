use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, emit_prose, print_json, structure};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    file: Option<String>,
    /// The id of the event whose act is in question.
    #[arg(long)]
    event: String,
    /// The parties who would have opposed it, comma-separated; a declared
    /// group (`[[group]]`) stands for its members.
    #[arg(
        long,
        value_delimiter = ',',
        required = true,
        visible_alias = "can-block"
    )]
    group: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.file.as_deref())?;
    for p in &a.group {
        if s.party(p).is_none() && s.group(p).is_none() {
            let ids = s
                .party
                .iter()
                .map(|x| x.id.as_str())
                .chain(s.group.iter().map(|g| g.id.as_str()));
            let hint = boardroom::did_you_mean(p, ids)
                .unwrap_or_else(|| "give party or group ids, as in the structure file".to_string());
            anyhow::bail!("unknown party `{p}` in --group\n  = hint: {hint}");
        }
    }
    let answer = boardroom::could_block(&s, &a.event, &a.group).map_err(|e| {
        let ids: Vec<&str> = s.event.iter().filter_map(|e| e.id.as_deref()).collect();
        let hint = boardroom::did_you_mean(&a.event, ids.iter().copied())
            .unwrap_or_else(|| format!("events with ids: {}", ids.join(", ")));
        anyhow::anyhow!("{e}\n  = hint: {hint}")
    })?;
    match a.format {
        Format::Json => print_json(&boardroom::Envelope::new("block", &s, &answer))?,
        Format::Text => emit_prose(&boardroom_formats::text::cite(
            &s,
            &boardroom_formats::text::block_text(&s, &answer),
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}
