use std::process::ExitCode;

use anyhow::{Context, Result};

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

pub fn run(a: Args) -> Result<ExitCode> {
    let Source::Bods { file, format } = a.source;
    let reader: Box<dyn std::io::Read> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(&file).with_context(|| format!("could not read `{file}`"))?)
    };
    let (s, problems) = boardroom_formats::bods::import(reader)
        .with_context(|| format!("could not import `{file}` as BODS"))?;
    for p in &problems {
        let id = p
            .statement_id
            .as_ref()
            .map(|i| format!(" ({i})"))
            .unwrap_or_default();
        eprintln!(
            "warning: {file}: statement {}{id}: {}",
            p.statement, p.message
        );
    }
    match format {
        Output::Toml => print!(
            "{}",
            boardroom_formats::to_toml(&s).context("could not write TOML")?
        ),
        Output::Json => println!("{}", serde_json::to_string_pretty(&s)?),
    }
    Ok(ExitCode::SUCCESS)
}
