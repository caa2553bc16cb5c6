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
    /// Default: from the extension of -o (`.parquet`, `.jsonl`, `.ndjson`), else CSV. Parquet also carries, in its key-value metadata (`boardroom.input`, `boardroom.read_on`, `boardroom.definition`, `boardroom.caveats`), what the rows rest on and leave out.
    #[arg(long, value_enum)]
    format: Option<Output>,
    /// Also write every cycle, as JSON Lines, here (with --engine spark: a directory the cluster writes).
    #[arg(long)]
    cycles: Option<String>,
    /// Where the analysis runs: on this machine, or on a Spark cluster through Spark Connect (with --remote; a BODS register, JSON Lines at a path or URI the cluster reads, is read there by boardroom's reader on each executor, which needs the boardroom Python package; a GLEIF file is read here and its graph sent; the rows are written by the cluster to -o, a directory). Spark needs a build with `--features spark`.
    #[arg(long, value_enum, default_value_t = Engine::Local)]
    engine: Engine,
    /// The Spark Connect server, sc://HOST:PORT.
    #[arg(long, required_if_eq("engine", "spark"))]
    remote: Option<String>,
    /// With --engine spark: a working directory on storage the cluster reads and writes (s3a://..., hdfs://..., abfss://...; a local path for a cluster on this machine), for the graph's tables, sent there through Spark Connect, and each round's results. Default: a new temporary directory here, removed afterwards (for a cluster on this machine only).
    #[arg(long)]
    work: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// On this machine.
    Local,
    /// On a Spark cluster, through Spark Connect.
    Spark,
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
    let format = a.format.or_else(by_extension);
    if a.engine == Engine::Spark {
        return spark(&a, format, progress.as_ref());
    }
    let crate::register::Loaded {
        graph: g,
        analysis,
        input,
        as_of,
        warnings,
        ..
    } = load(&a.source, None, progress.as_ref())?;
    let declared = declared_note(&g, a.source.bods.as_deref().unwrap_or("FILE"));
    let provenance = provenance(
        &a,
        as_of.as_deref(),
        &input,
        &warnings,
        &analysis,
        &declared,
    );
    let format = match format.unwrap_or(Output::Csv) {
        Output::Csv => OutputFormat::Csv,
        Output::Jsonl => OutputFormat::JsonLines,
        Output::Parquet => OutputFormat::Parquet,
    };
    // One row per (entity, ultimate owner or controller), to -o FILE or
    // standard output.
    let rows = match crate::destination::claim() {
        Some(path) => {
            let mut f = crate::destination::AtomicFile::create(path)?;
            let rows = write_ultimates(
                &g,
                &analysis,
                format,
                &mut f,
                &provenance,
                progress.as_ref(),
            )?;
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
                &provenance,
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
    if let Some((note, hint)) = &declared {
        stderrln!("note: {note}\n  = hint: {hint}");
    }
    Ok(input.finish())
}

/// What the rows cannot show: people the data declares beneficial owners
/// by interests that are neither ownership nor control here (a settlor, a
/// protector, a minority's votes), counted by interest type.
fn declared_note(g: &boardroom_register::Graph, file: &str) -> Option<(String, String)> {
    let all = g.all_declared();
    let first = all.first()?;
    let mut kinds: Vec<(boardroom::InterestType, u64)> = Vec::new();
    for d in all {
        for k in d.kinds() {
            match kinds.iter_mut().find(|(x, _)| *x == k) {
                Some((_, n)) => *n += 1,
                None => kinds.push((k, 1)),
            }
        }
    }
    kinds.sort();
    let kinds: Vec<String> = kinds
        .iter()
        .map(|(k, n)| format!("{} {n}", k.code()))
        .collect();
    let who = if all.len() == 1 {
        "in 1 relationship, a person is declared a beneficial owner".to_string()
    } else {
        format!(
            "in {} relationships, people are declared beneficial owners",
            all.len()
        )
    };
    Some((
        format!(
            "{who} (beneficialOwnershipOrControl) by interests that are neither ownership nor control by this definition ({}): no row shows them",
            kinds.join(", "),
        ),
        format!(
            "`boardroom owners {} --bods {file}` lists them beside the entity's owners and controllers",
            g.id(first.subject)
        ),
    ))
}

/// What the rows rest on and leave out, for the formats that can carry it
/// (Parquet's key-value metadata): the input, the date read on, the
/// definition of control, and every caveat said on standard error.
fn provenance(
    a: &Args,
    as_of: Option<&str>,
    input: &crate::register::InputProblems,
    warnings: &[boardroom_register::Warning],
    analysis: &boardroom_register::Analysis,
    declared: &Option<(String, String)>,
) -> boardroom_register::Provenance {
    let mut kv: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| kv.push((format!("boardroom.{k}"), v));
    put("version", env!("CARGO_PKG_VERSION").to_owned());
    let mut inputs = Vec::new();
    if let Some(p) = &a.source.bods {
        inputs.push(format!("BODS 0.4: {p}"));
    }
    if let Some(p) = &a.source.gleif {
        inputs.push(format!("GLEIF Level 2 relationships (RR-CDF): {p}"));
    }
    if let Some(p) = &a.source.lei {
        inputs.push(format!("GLEIF Level 1 (LEI-CDF): {p}"));
    }
    if let Some(p) = &a.source.repex {
        inputs.push(format!("GLEIF reporting exceptions: {p}"));
    }
    put("input", inputs.join("; "));
    put(
        "read_on",
        match (as_of, &a.source.gleif) {
            (Some(d), _) => format!("interests in force on {d}"),
            (None, Some(_)) => "the golden copy as published (it states no dates)".to_owned(),
            (None, None) => {
                "each record's latest statement, its interests with no end date".to_owned()
            }
        },
    );
    put(
        "definition",
        format!(
            "one row per (entity, ultimate owner or controller). Ownership: shares multiplied along every chain, exact decimals, ranges as bounds. Control: more than half of the exercisable votes, the right to appoint a majority of the board, or control by the rules, by law or of another declared kind; where no party has it, the board as a body{}. Written once, in boardroom's control::definition",
            if a.source.senior_official_fallback {
                "; where none of these, the senior managing officials, marked as the fallback (--senior-official-fallback)"
            } else {
                ""
            }
        ),
    );
    let mut caveats: Vec<String> = Vec::new();
    caveats.extend(input.caveat());
    if !warnings.is_empty() {
        caveats.push(format!(
            "statements applied with warnings (the first: line {}, {}); the command lists them on standard error",
            warnings[0].line, warnings[0].message
        ));
    }
    let s = &analysis.stats;
    if s.truncated_cycles > 0 {
        caveats.push(format!(
            "{} cycle(s) too large to follow every path (--max-cycle-steps): shares through them are bounds, marked in `bounded`",
            s.truncated_cycles
        ));
    }
    if s.entities_unresolved > 0 {
        caveats.push(format!(
            "{} entities in those cycles not resolved at all: their parties are not listed",
            s.entities_unresolved
        ));
    }
    if let Some((note, _)) = declared {
        caveats.push(note.clone());
    }
    put(
        "caveats",
        serde_json::to_string(&caveats).unwrap_or_else(|_| "[]".to_owned()),
    );
    boardroom_register::Provenance(kv)
}

/// The format `-o`'s extension names, if any.
fn by_extension() -> Option<Output> {
    crate::destination::path()
        .and_then(|p| p.extension())
        .and_then(
            |e| match e.to_string_lossy().to_ascii_lowercase().as_str() {
                "parquet" => Some(Output::Parquet),
                "jsonl" | "ndjson" => Some(Output::Jsonl),
                "csv" => Some(Output::Csv),
                _ => None,
            },
        )
}

/// `--engine spark`: the register read here, its graph analysed on the
/// cluster, the rows written there.
#[cfg(feature = "spark")]
fn spark(
    a: &Args,
    format: Option<Output>,
    progress: &dyn boardroom_register::Progress,
) -> Result<ExitCode> {
    use boardroom_spark::{Engine, Output as SparkOutput};
    let out = match crate::destination::claim() {
        Some(p) => p.to_string_lossy().into_owned(),
        None => bail!(
            "--engine spark writes its rows on the cluster: give -o DIR, a directory the cluster can write\n  = hint: a local path for a local cluster, an object-store URI (s3a://...) for a real one"
        ),
    };
    let format = match format {
        Some(Output::Parquet) => SparkOutput::Parquet,
        Some(Output::Jsonl) => SparkOutput::JsonLines,
        Some(Output::Csv) => bail!(
            "--engine spark writes Parquet or JSON Lines, not CSV\n  = hint: --format parquet, --format jsonl, or -o DIR.parquet"
        ),
        None => SparkOutput::Parquet,
    };
    let remote = a.remote.as_deref().unwrap_or("sc://127.0.0.1:15002");
    let temporary;
    let work = match &a.work {
        Some(w) => w.clone(),
        None => {
            temporary = tempfile::Builder::new()
                .prefix("boardroom-spark")
                .tempdir()?;
            temporary.path().to_string_lossy().into_owned()
        }
    };
    // Connected first, so that a wrong address fails before a long read.
    let engine = Engine::connect(remote, &work)?;
    let version = engine.version()?;
    let (rounds, input) = match &a.source.bods {
        // BODS is read on the cluster, by boardroom's reader on each executor.
        Some(location) => {
            let options = boardroom_spark::ReadOptions {
                as_of: a.source.as_of.map(|d| d.to_string()),
                senior_official_fallback: a.source.senior_official_fallback,
                bucket_statements: None,
            };
            stderrln!("spark {version} at {remote}: reading {location} on the cluster");
            let (read, rounds) =
                engine.analyse_bods(location, &options, a.source.max_cycle_steps)?;
            use crate::register::{note_undated, warn_each};
            warn_each(location, &read.problems, read.problem_count, "problems");
            if a.source.strict && read.problem_count > 0 {
                bail!(
                    "{location}: {} damaged statement{} (--strict)\n  = hint: the first are listed above; without --strict they are skipped",
                    read.problem_count,
                    if read.problem_count == 1 { "" } else { "s" }
                );
            }
            warn_each(location, &read.warnings, read.warning_count, "warnings");
            if let Some(day) = &options.as_of {
                let report = boardroom_register::RegisterReport {
                    undated: read.undated,
                    first_undated_line: read.first_undated_line,
                    ..Default::default()
                };
                note_undated(location, day, &report);
            }
            stderrln!(
                "{} statements read in {} buckets: {} nodes, {} edges",
                read.statements,
                read.buckets,
                read.nodes,
                read.edges
            );
            let input =
                crate::register::InputProblems::statements_skipped(location, read.problem_count);
            (rounds, input)
        }
        // GLEIF is read here, and its graph sent.
        None => {
            let (g, input) = crate::register::load_graph(&a.source, None, progress)?;
            stderrln!(
                "spark {version} at {remote}: {} nodes, {} edges",
                g.node_count(),
                g.edge_count()
            );
            (engine.analyse(&g, a.source.max_cycle_steps)?, input)
        }
    };
    engine.write(&out, format)?;
    if let Some(path) = &a.cycles {
        engine.write_cycles(path, SparkOutput::JsonLines)?;
    }
    stderrln!(
        "{} cycles ({} members); rounds: {} reachability, {} through cycles, {} doubling, {} relaxation",
        rounds.cycles,
        rounds.cycle_members,
        rounds.reach,
        rounds.cycle_rounds,
        rounds.doubling,
        rounds.relaxation
    );
    stderrln!("{} rows written to {out}", rounds.rows);
    Ok(input.finish())
}

#[cfg(not(feature = "spark"))]
fn spark(_: &Args, _: Option<Output>, _: &dyn boardroom_register::Progress) -> Result<ExitCode> {
    bail!(
        "this boardroom was built without the Spark engine\n  = hint: build it with `cargo build --release --features boardroom-cli/spark` (the Spark Connect client needs protoc: `apt-get install protobuf-compiler`)"
    )
}
