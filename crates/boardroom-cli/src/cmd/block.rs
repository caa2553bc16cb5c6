use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, asked, emit_prose, print_json, structure};

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
    let answer = boardroom::question::block(&s, &a.event, &a.group).map_err(|e| {
        asked(boardroom::question::QuestionError {
            message: e.message.replace("in the group", "in --group"),
            ..e
        })
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
