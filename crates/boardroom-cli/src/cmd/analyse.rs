use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use boardroom_register::{OutputFormat, stderr_progress, write_cycles, write_ultimates};

use crate::register::{Source, load};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Csv,
    Jsonl,
    Parquet,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: Source,
    /// Where to write one row per (entity, ultimate owner or controller). Default: standard output.
    #[arg(long, short)]
    output: Option<String>,
    #[arg(long, value_enum, default_value_t = Output::Csv)]
    format: Output,
    /// Also write every cycle, as JSON Lines, here.
    #[arg(long)]
    cycles: Option<String>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    if a.source.bods.is_none() && a.source.gleif.is_none() {
        bail!(
            "give a register to analyse\n  = hint: --bods FILE (BODS 0.4) or --gleif RR.csv (GLEIF Level 2)"
        );
    }
    // `-q`: no progress.
    let progress: Box<dyn boardroom_register::Progress> = if crate::output::quiet() {
        Box::new(boardroom_register::Silent)
    } else {
        stderr_progress()
    };
    let crate::register::Loaded {
        graph: g,
        analysis,
        input,
        ..
    } = load(&a.source, None, progress.as_ref())?;
    let format = match a.format {
        Output::Csv => OutputFormat::Csv,
        Output::Jsonl => OutputFormat::JsonLines,
        Output::Parquet => OutputFormat::Parquet,
    };
    let rows = match &a.output {
        Some(path) => {
            let f = std::fs::File::create(path)
                .with_context(|| format!("could not create `{path}`"))?;
            write_ultimates(
                &g,
                &analysis,
                format,
                std::io::BufWriter::new(f),
                progress.as_ref(),
            )?
        }
        None => {
            let out = std::io::stdout();
            let rows = write_ultimates(
                &g,
                &analysis,
                format,
                std::io::BufWriter::new(out),
                progress.as_ref(),
            )?;
            std::io::stdout().flush()?;
            rows
        }
    };
    if let Some(path) = &a.cycles {
        let f =
            std::fs::File::create(path).with_context(|| format!("could not create `{path}`"))?;
        write_cycles(&g, &analysis, f)?;
    }
    stderr!("{}", analysis.stats);
    stderrln!("{rows} rows written");
    Ok(input.finish())
}
