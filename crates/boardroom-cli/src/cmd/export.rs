use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use crate::input::{emit, parse_date, structure};

#[derive(clap::Subcommand)]
pub enum Target {
    /// BODS 0.4 statements, as a JSON array (or JSON Lines with --jsonl).
    Bods {
        /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
        file: Option<String>,
        /// Leave out statements dated after this date, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// One statement per line instead of a JSON array.
        #[arg(long)]
        jsonl: bool,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    target: Target,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let Target::Bods { file, as_of, jsonl } = a.target;
    let s = structure(file.as_deref())?;
    let mut statements = boardroom_formats::bods::export(&s);
    if let Some(d) = as_of {
        let d = d.to_string();
        statements.retain(|st| {
            st["statementDate"]
                .as_str()
                .is_some_and(|x| x <= d.as_str())
        });
    }
    if jsonl {
        for st in &statements {
            emit(&serde_json::to_string(st)?, true)?;
        }
    } else {
        emit(&serde_json::to_string_pretty(&statements)?, true)?;
    }
    Ok(ExitCode::SUCCESS)
}
