use std::io::BufReader;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::input::{emit, print_json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Toml,
    Json,
}

#[derive(clap::Subcommand)]
pub enum Source {
    /// BODS 0.4 statements: a JSON array or JSON Lines, streamed.
    Bods {
        /// The BODS file; `-` for standard input.
        file: String,
        /// The longest statement read, in bytes; a longer one is reported as damaged and skipped.
        #[arg(long, default_value_t = boardroom_formats::bods::MAX_STATEMENT_BYTES)]
        max_statement_bytes: usize,
        /// The structure file to write to standard output.
        #[arg(long, value_enum, default_value_t = Output::Toml)]
        format: Output,
    },
    /// GLEIF Level 2 relationship records (RR-CDF 2.x golden-copy CSV).
    Gleif {
        /// The relationship records.
        #[arg(long)]
        rr: String,
        /// Level 1 records (LEI-CDF CSV), for legal names.
        #[arg(long)]
        lei: Option<String>,
        /// The structure file to write to standard output.
        #[arg(long, value_enum, default_value_t = Output::Toml)]
        format: Output,
    },
    /// An Open Cap Format (OCF 1.x) package: a directory, a zip archive, or
    /// its manifest's path. Every object is checked against the official
    /// schema and every reference against the package.
    Ocf {
        /// The package: a directory, a .zip, or Manifest.ocf.json.
        path: String,
        /// The date the shares outstanding are counted on (default: the
        /// manifest's `as_of`).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// The structure file to write to standard output.
        #[arg(long, value_enum, default_value_t = Output::Toml)]
        format: Output,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    source: Source,
}

fn open(path: &str) -> Result<BufReader<std::fs::File>> {
    Ok(BufReader::new(
        std::fs::File::open(path).with_context(|| format!("could not read `{path}`"))?,
    ))
}

fn write(s: &boardroom::Structure, format: Output) -> Result<()> {
    match format {
        Output::Toml => emit(
            &boardroom_formats::to_toml(s).context("could not write TOML")?,
            false,
        ),
        Output::Json => print_json(s),
    }
}

/// Problems printed one by one; the rest are counted.
const SHOWN: usize = 50;

pub fn run(a: Args) -> Result<ExitCode> {
    match a.source {
        Source::Bods {
            file,
            max_statement_bytes,
            format,
        } => {
            let reader: Box<dyn std::io::Read> = if file == "-" {
                Box::new(std::io::stdin())
            } else {
                Box::new(open(&file)?)
            };
            let options = boardroom_formats::bods::ImportOptions {
                max_statement_bytes,
            };
            let imported = boardroom_formats::bods::import(reader, &options)
                .with_context(|| format!("could not import `{file}` as BODS"))?;
            let (s, problems) = (&imported.structure, &imported.problems);
            let place = |p: &boardroom_formats::bods::ImportProblem| {
                let id = p
                    .statement_id
                    .as_ref()
                    .map(|i| format!(" ({i})"))
                    .unwrap_or_default();
                format!("{file}: statement {}{id}: {}", p.statement, p.message)
            };
            // Nothing read: no structure is passed off as the file's.
            let mut damaged: Vec<usize> = problems.iter().map(|p| p.statement).collect();
            damaged.sort_unstable();
            damaged.dedup();
            if imported.statements > 0 && damaged.len() >= imported.statements && s.party.is_empty()
            {
                anyhow::bail!(
                    "nothing could be read from `{file}`: {} damaged; the first: {}\n  = hint: BODS 0.4 statements are a JSON array of objects, or one object per line (JSON Lines)",
                    if imported.statements == 1 {
                        "its one statement is".to_string()
                    } else {
                        format!("all {} statements are", imported.statements)
                    },
                    problems.first().map(place).unwrap_or_default()
                );
            }
            for p in problems.iter().take(SHOWN) {
                stderrln!("warning: {}", place(p));
            }
            if problems.len() > SHOWN {
                stderrln!(
                    "warning: {file}: {} more problems not shown",
                    problems.len() - SHOWN
                );
            }
            match imported.carried.lost() {
                None => stderrln!(
                    "note: {file}: imported whole, from the structure boardroom exported with it"
                ),
                Some(lost) => stderrln!("note: {file}: {lost}"),
            }
            // What is written always loads: say so if it would not.
            let unsound: Vec<String> = boardroom::validate(s)
                .iter()
                .filter(|d| d.severity == boardroom::Severity::Error)
                .map(|d| format!("{}: {}", d.path, d.message))
                .collect();
            write(s, format)?;
            if !unsound.is_empty() {
                stderrln!(
                    "warning: {file}: the structure read does not check ({}); exit code {}",
                    unsound.join("; "),
                    crate::register::PARTIAL_INPUT
                );
                return Ok(ExitCode::from(crate::register::PARTIAL_INPUT));
            }
            if !problems.is_empty() {
                stderrln!(
                    "warning: {file}: {} of {} statements damaged and skipped; the structure covers what was read (exit code {})",
                    damaged.len(),
                    imported.statements,
                    crate::register::PARTIAL_INPUT
                );
                return Ok(ExitCode::from(crate::register::PARTIAL_INPUT));
            }
        }
        Source::Ocf {
            path,
            as_of,
            format,
        } => {
            let imported = crate::ocf_package::import(&path, as_of)?;
            let errors = crate::ocf_package::report_problems(&path, &imported, SHOWN);
            for n in &imported.not_carried {
                stderrln!("note: {path}: not carried: {n}");
            }
            let unsound: Vec<String> = boardroom::validate(&imported.structure)
                .iter()
                .filter(|d| d.severity == boardroom::Severity::Error)
                .map(|d| format!("{}: {}", d.path, d.message))
                .collect();
            write(&imported.structure, format)?;
            if !unsound.is_empty() {
                stderrln!(
                    "warning: {path}: the structure read does not check ({}); exit code {}",
                    unsound.join("; "),
                    crate::register::PARTIAL_INPUT
                );
                return Ok(ExitCode::from(crate::register::PARTIAL_INPUT));
            }
            if errors > 0 {
                stderrln!(
                    "warning: {path}: {errors} error{} in the package; the structure covers what could be read (exit code {})",
                    if errors == 1 { "" } else { "s" },
                    crate::register::PARTIAL_INPUT
                );
                return Ok(ExitCode::from(crate::register::PARTIAL_INPUT));
            }
        }
        Source::Gleif { rr, lei, format } => {
            let lei_file = lei.as_deref().map(open).transpose()?;
            let (s, notes) =
                boardroom_formats::gleif::import(open(&rr)?, lei_file).with_context(|| {
                    format!("could not import `{rr}` as GLEIF relationship records")
                })?;
            for n in notes.iter().take(SHOWN) {
                let level = if n.damaged { "warning" } else { "note" };
                stderrln!("{level}: {rr}: row {}: {}", n.row, n.message);
            }
            if notes.len() > SHOWN {
                stderrln!("note: {rr}: {} more not shown", notes.len() - SHOWN);
            }
            let damaged = notes.iter().filter(|n| n.damaged).count();
            if damaged > 0 && s.party.is_empty() {
                anyhow::bail!(
                    "nothing could be read from `{rr}`: {damaged} damaged rows and no relationship\n  = hint: expected a GLEIF RR-CDF 2.x golden-copy CSV"
                );
            }
            write(&s, format)?;
            if damaged > 0 {
                stderrln!(
                    "warning: {rr}: {damaged} damaged rows skipped; the structure covers what was read (exit code {})",
                    crate::register::PARTIAL_INPUT
                );
                return Ok(ExitCode::from(crate::register::PARTIAL_INPUT));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
