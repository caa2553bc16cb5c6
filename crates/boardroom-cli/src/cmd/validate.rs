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
    /// An Open Cap Format (OCF 1.x) package: every object against the
    /// official schema, every reference and quantity against the package's
    /// ledger, and the cap table it adds up to. Exit 0: no error; 1:
    /// errors found; 2: the package cannot be read.
    Ocf {
        /// The package: a directory, a .zip, or Manifest.ocf.json.
        path: String,
        /// The date of the cap table (default: the manifest's `as_of`).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// List at most this many problems (all are counted).
        #[arg(long, default_value_t = 100)]
        limit: usize,
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

fn ocf(
    path: &str,
    as_of: Option<chrono::NaiveDate>,
    limit: usize,
    format: Format,
) -> Result<ExitCode> {
    let imported = crate::ocf_package::import(path, as_of)?;
    let v = imported.validation();
    match format {
        Format::Json => print_json(&boardroom::Envelope::bare("ocf-validation", &v))?,
        Format::Text => {
            crate::ocf_package::report_problems(path, &imported, limit);
            let mut out = String::new();
            if v.ocf_version != v.checked_against {
                out.push_str(&format!(
                    "The package says it is OCF {}; it was checked against OCF {}: where the versions differ, the schema problems say so.\n\n",
                    v.ocf_version, v.checked_against
                ));
            }
            out.push_str(&format!(
                "{}: {} error{}, {} warning{}\n\n",
                path,
                v.errors,
                if v.errors == 1 { "" } else { "s" },
                v.warnings,
                if v.warnings == 1 { "" } else { "s" }
            ));
            out.push_str(&v.cap_table.to_string());
            if !v.unlisted.is_empty() {
                out.push_str(&format!(
                    "\nNot read (not in the manifest): {}\n",
                    v.unlisted.join(", ")
                ));
            }
            emit(&out, false)?;
        }
    }
    Ok(if v.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn run(a: Args) -> Result<ExitCode> {
    let (file, strict, limit, max_statement_bytes, format) = match a.standard {
        Standard::Ocf {
            path,
            as_of,
            limit,
            format,
        } => return ocf(&path, as_of, limit, format),
        Standard::Bods {
            file,
            strict,
            limit,
            max_statement_bytes,
            format,
        } => (file, strict, limit, max_statement_bytes, format),
    };
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
                    "error: {}\n  --> {file}:{}: statement {}{id}\n  = check: {}",
                    p.message,
                    p.line,
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
