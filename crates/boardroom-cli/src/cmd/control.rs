use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, emit_prose, print_json, state_for, structure};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    view: crate::input::DatedView,
    /// BODS's fallback (EU AMLD art. 3(6)(a)(ii)): where no party controls an entity and it has no board, report its senior managing officials as controllers, marked as the fallback. Off by default: an officer is not a controller
    #[arg(long)]
    senior_official_fallback: bool,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.view.on.file.as_deref())?;
    let (_, state) = state_for(&s, a.view.on.as_of);
    let options = boardroom::definition::Options {
        senior_official_fallback: a.senior_official_fallback,
    };
    let c = boardroom::control_with(&s, &state, &options);
    match a.view.format {
        Format::Json => print_json(&boardroom::Envelope::new("control", &s, &c))?,
        Format::Text => emit_prose(&boardroom_formats::text::cite(
            &s,
            &boardroom_formats::text::control_text(&s, &c),
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}
