use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
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
    /// Default: from the extension of -o (`.parquet`, `.jsonl`, `.ndjson`), else CSV.
    #[arg(long, value_enum)]
    format: Option<Output>,
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
    let by_extension = crate::destination::path()
        .and_then(|p| p.extension())
        .and_then(
            |e| match e.to_string_lossy().to_ascii_lowercase().as_str() {
                "parquet" => Some(Output::Parquet),
                "jsonl" | "ndjson" => Some(Output::Jsonl),
                _ => None,
            },
        );
    let format = match a.format.or(by_extension).unwrap_or(Output::Csv) {
        Output::Csv => OutputFormat::Csv,
        Output::Jsonl => OutputFormat::JsonLines,
        Output::Parquet => OutputFormat::Parquet,
    };
    // One row per (entity, ultimate owner or controller), to -o FILE or
    // standard output.
    let rows = match crate::destination::claim() {
        Some(path) => {
            let mut f = crate::destination::AtomicFile::create(path)?;
            let rows = write_ultimates(&g, &analysis, format, &mut f, progress.as_ref())?;
            f.persist()?;
            rows
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
        let mut f = crate::destination::AtomicFile::create(std::path::Path::new(path))?;
        write_cycles(&g, &analysis, &mut f)?;
        f.persist()?;
    }
    stderr!("{}", analysis.stats);
    stderrln!("{rows} rows written");
    Ok(input.finish())
}
