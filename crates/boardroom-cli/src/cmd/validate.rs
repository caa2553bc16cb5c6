use std::process::ExitCode;

use anyhow::{Context, Result};
use boardroom_formats::bods_validation::{Options, validate};

use crate::input::{Format, emit, print_json};

#[derive(clap::Subcommand)]
pub enum Standard {
    /// BODS 0.4: the official schema and the semantic checks of libcovebods.
    /// Exit 0: valid; 1: problems found; 2: the file cannot be read.
    Bods {
        /// A JSON array or JSON Lines file; `-` for standard input.
        file: String,
        /// Stop at the first problem.
        #[arg(long)]
        strict: bool,
        /// List at most this many problems (all are counted).
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// The longest statement read, in bytes; a longer one is a problem, skipped.
        #[arg(long, default_value_t = boardroom_formats::bods::MAX_STATEMENT_BYTES)]
        max_statement_bytes: usize,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    standard: Standard,
}

/// Today's date from the system clock: "in the future" needs one.
fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_days(chrono::Days::new(days)))
        .unwrap_or(chrono::NaiveDate::MAX)
}

pub fn run(a: Args) -> Result<ExitCode> {
    let Standard::Bods {
        file,
        strict,
        limit,
        max_statement_bytes,
        format,
    } = a.standard;
    let reader: Box<dyn std::io::Read> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(&file).with_context(|| format!("could not read `{file}`"))?)
    };
    let options = Options {
        today: today(),
        strict,
        limit,
        max_statement_bytes,
    };
    let v = validate(reader, &options).with_context(|| format!("could not validate `{file}`"))?;
    match format {
        Format::Json => print_json(&boardroom::Envelope::bare("bods-validation", &v))?,
        Format::Text => {
            for p in &v.problems {
                let id = p
                    .statement_id
                    .as_ref()
                    .map(|i| format!(" ({i})"))
                    .unwrap_or_default();
                stderrln!(
                    "error: {}\n  --> {file}: statement {}{id}\n  = check: {}",
                    p.message,
                    p.statement,
                    p.check
                );
            }
            if v.total_problems > v.problems.len() {
                stderrln!("... and {} more", v.total_problems - v.problems.len());
            }
            let verdict = if v.is_valid() { "valid" } else { "invalid" };
            let stopped = if v.stopped_early {
                " (stopped at the first problem: --strict)"
            } else {
                ""
            };
            emit(
                &format!(
                    "{file}: {verdict}: {} statement{}, {} problem{}{stopped}",
                    v.statements,
                    if v.statements == 1 { "" } else { "s" },
                    v.total_problems,
                    if v.total_problems == 1 { "" } else { "s" }
                ),
                true,
            )?;
            for (check, n) in &v.counts {
                emit(&format!("  {n:>8}  {check}"), true)?;
            }
        }
    }
    Ok(if v.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
