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
    /// An Open Cap Format (OCF 1.x) package, as a zip archive written with
    /// `-o PACKAGE.zip`: the entity's share classes and the holdings in
    /// force on the date. What OCF cannot carry is said on standard error.
    Ocf {
        /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
        file: Option<String>,
        /// The issuer: an entity with share classes (default: the only one).
        #[arg(long)]
        entity: Option<String>,
        /// The date of the cap table (default: the structure's `as_of`, else its last date).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    target: Target,
}

fn ocf(file: Option<&str>, entity: Option<String>, as_of: Option<NaiveDate>) -> Result<ExitCode> {
    let s = structure(file)?;
    let Some(path) = crate::destination::claim() else {
        anyhow::bail!(
            "an OCF package is several files: give the zip archive to write with -o\n  = hint: boardroom export ocf FILE -o package.zip"
        );
    };
    let with_classes: std::collections::BTreeSet<&str> =
        s.share_class.iter().map(|c| c.entity.as_str()).collect();
    let entity = match entity {
        Some(e) => e,
        None if with_classes.len() == 1 => with_classes
            .iter()
            .next()
            .map(|e| e.to_string())
            .unwrap_or_default(),
        None => anyhow::bail!(
            "name the issuer with --entity: {}\n  = hint: an OCF package describes one issuer's cap table",
            if with_classes.is_empty() {
                "no entity of the structure has share classes".to_string()
            } else {
                format!(
                    "these entities have share classes: {}",
                    with_classes.iter().copied().collect::<Vec<_>>().join(", ")
                )
            }
        ),
    };
    let last = s
        .interest
        .iter()
        .flat_map(|i| [i.start, i.end])
        .flatten()
        .chain(s.event.iter().map(|e| e.date))
        .max();
    let Some(date) = as_of.or(s.scenario.as_of).or(last) else {
        anyhow::bail!("the structure has no date: give one with --as-of YYYY-MM-DD");
    };
    let exported =
        boardroom_formats::ocf::export(&s, &entity, date).map_err(|e| anyhow::anyhow!(e))?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in &exported.files {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())?;
        std::io::Write::write_all(&mut zip, text.as_bytes())?;
    }
    let bytes = zip.finish()?.into_inner();
    crate::destination::write_file(path, &bytes)?;
    for n in &exported.not_carried {
        stderrln!("note: not carried: {n}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(a: Args) -> Result<ExitCode> {
    let (file, as_of, jsonl) = match a.target {
        Target::Ocf {
            file,
            entity,
            as_of,
        } => return ocf(file.as_deref(), entity, as_of),
        Target::Bods { file, as_of, jsonl } => (file, as_of, jsonl),
    };
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
