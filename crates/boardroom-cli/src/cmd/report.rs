use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::NaiveDate;

use crate::input::{emit, emit_prose, parse_date, print_json, structure};

#[derive(clap::Args)]
pub struct Args {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    file: Option<String>,
    /// The report as of the end of this date, YYYY-MM-DD: the record up to it, control and economics on it.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Only these sections (comma-separated): findings, structure, timeline, assumptions, sensitivity, blocking, power, control, charter, rights, economics, sources (the source list is always kept). Text only: JSON always carries every section
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// text for the terminal; json for programs; markdown or html for a page to publish or print (self-contained, figures inline, footnoted sources).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// The report's formats: the common two, and pages people publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
    Html,
}

pub fn run(a: Args) -> Result<ExitCode> {
    use boardroom_formats::text::REPORT_SECTIONS;
    for o in &a.only {
        if !REPORT_SECTIONS.iter().any(|(name, _)| name == o) {
            let names = REPORT_SECTIONS.iter().map(|(n, _)| *n);
            let hint = boardroom::did_you_mean(o, names.clone())
                .unwrap_or_else(|| format!("sections: {}", names.collect::<Vec<_>>().join(", ")));
            bail!("no report section is called `{o}`\n  = hint: {hint}");
        }
    }
    if !a.only.is_empty() && a.format != ReportFormat::Text {
        bail!(
            "--only selects sections of the text report\n  = hint: JSON, Markdown and HTML carry every section; select keys from JSON (jq '.findings')"
        );
    }
    let s = structure(a.file.as_deref())?;
    let r = match a.as_of {
        Some(d) => boardroom::report::report_as_of(&s, d),
        None => boardroom::report::report(&s),
    };
    match a.format {
        ReportFormat::Markdown => emit(&boardroom_formats::report_markdown(&s, &r), false)?,
        ReportFormat::Html => emit(&boardroom_formats::report_html(&s, &r), false)?,
        ReportFormat::Json => print_json(&boardroom::Envelope::new("report", &s, &r))?,
        ReportFormat::Text => {
            // Numbered as in the whole report, so that "[3]" means the
            // same source whichever sections are shown.
            let text =
                boardroom_formats::text::cite(&s, &boardroom_formats::text::report_text(&s, &r));
            let text = if a.only.is_empty() {
                text
            } else {
                boardroom_formats::text::report_sections(&text, &a.only)
            };
            emit_prose(&text)?
        }
    }
    Ok(ExitCode::SUCCESS)
}
