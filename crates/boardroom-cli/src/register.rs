//! Loading a register (BODS, GLEIF, or a structure file) into the
//! register-scale graph, for `owners` and `analyse`.

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use boardroom_register::{
    Analysis, AnalysisOptions, GleifBuilder, GleifIndex, Graph, Progress, ReadOptions,
    RegisterOptions, read_exceptions, read_lei_names, read_register, read_relationships,
};
use chrono::NaiveDate;

/// Where a register comes from.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Source {
    /// A BODS 0.4 file (JSON array or JSON Lines).
    #[arg(long, conflicts_with = "gleif")]
    pub bods: Option<String>,
    /// A GLEIF Level 2 relationship file (RR-CDF 2.x golden-copy CSV).
    #[arg(long)]
    pub gleif: Option<String>,
    /// GLEIF Level 1 records (LEI-CDF CSV), for legal names.
    #[arg(long, requires = "gleif", conflicts_with = "bods")]
    pub lei: Option<String>,
    /// GLEIF reporting exceptions (RepEx golden-copy CSV): why an entity reports no parent.
    #[arg(long, requires = "gleif", conflicts_with = "bods")]
    pub repex: Option<String>,
    /// Stop at the first damaged statement (exit 2). Without it, damaged statements are listed and skipped, and the command exits 3.
    #[arg(long)]
    pub strict: bool,
    /// The longest BODS statement read, in bytes; a longer one is reported as damaged and skipped.
    #[arg(long, default_value_t = boardroom_register::MAX_STATEMENT_BYTES, conflicts_with = "gleif")]
    pub max_statement_bytes: usize,
    /// Interests in force on this date, YYYY-MM-DD, read from every record's history. Default: for a register, each record's latest statement's interests with no end date; for a structure, the date its other commands use. Not with --gleif: its golden copy states no dates to read it on
    #[arg(long, value_parser = crate::input::parse_date, conflicts_with = "gleif")]
    pub as_of: Option<NaiveDate>,
    /// Steps of path enumeration allowed for each cycle of holdings (a ring of n entities takes about n² steps). Past it, the cycle's remaining members get their parties by reachability: every party is still found, but its share is shown as a bound and marked
    #[arg(long, default_value_t = AnalysisOptions::default().max_cycle_steps)]
    pub max_cycle_steps: u64,
    /// BODS's fallback (EU AMLD art. 3(6)(a)(ii)): where no party controls an entity and it has no board, report its senior managing officials as controllers, marked as the fallback. Off by default: an officer is not a controller. Not with --gleif, which records no officers
    #[arg(long, conflicts_with = "gleif")]
    pub senior_official_fallback: bool,
}

impl Source {
    fn analysis_options(&self) -> AnalysisOptions {
        AnalysisOptions {
            max_cycle_steps: self.max_cycle_steps,
            ..AnalysisOptions::default()
        }
    }
}

/// The exit code of a command whose results cover only part of its input
/// (damaged or cut-off statements, skipped rows): the outputs are complete
/// for what was read, and the problems are listed.
pub const PARTIAL_INPUT: u8 = 3;

/// What was wrong with a register's input, counted while it was read.
#[derive(Debug, Default)]
pub struct InputProblems {
    /// The input's name, for messages.
    source: String,
    /// What the input is made of: `statement` (BODS) or `row` (GLEIF).
    unit: &'static str,
    /// Statements or rows skipped because they were damaged.
    skipped: u64,
    /// The input ends in the middle of a statement.
    truncated: bool,
}

impl InputProblems {
    /// A BODS register read elsewhere (on a Spark cluster): `skipped`
    /// statements could not be read.
    #[cfg_attr(not(feature = "spark"), allow(dead_code))]
    pub fn statements_skipped(source: &str, skipped: u64) -> Self {
        InputProblems {
            source: source.to_owned(),
            unit: "statement",
            skipped,
            truncated: false,
        }
    }

    /// Says, last on stderr, what the results leave out, and gives the
    /// exit code: success for a clean input, [`PARTIAL_INPUT`] otherwise.
    pub fn finish(&self) -> ExitCode {
        let Some(what) = self.caveat() else {
            return ExitCode::SUCCESS;
        };
        stderrln!(
            "warning: {}: {what} (exit code {PARTIAL_INPUT})\n  = hint: the problems are listed above; --strict stops at the first one",
            self.source,
        );
        ExitCode::from(PARTIAL_INPUT)
    }

    /// What the results leave out, if anything: "3 damaged statements
    /// skipped, the file is cut short; the results cover what was read".
    pub fn caveat(&self) -> Option<String> {
        if self.skipped == 0 && !self.truncated {
            return None;
        }
        let mut what = Vec::new();
        if self.skipped > 0 {
            let plural = if self.skipped == 1 { "" } else { "s" };
            what.push(format!(
                "{} damaged {}{plural} skipped",
                self.skipped, self.unit
            ));
        }
        if self.truncated {
            what.push("the file is cut short".to_owned());
        }
        Some(format!(
            "{}; the results cover what was read",
            what.join(", ")
        ))
    }
}

fn open(path: &str) -> Result<BufReader<File>> {
    Ok(BufReader::new(
        File::open(path).with_context(|| format!("could not read `{path}`"))?,
    ))
}

/// A register read and analysed.
pub struct Loaded {
    pub graph: Graph,
    pub analysis: Analysis,
    /// What was wrong with the input.
    pub input: InputProblems,
    /// For GLEIF: what it declares beside the chains, and why they stop.
    pub gleif: Option<GleifIndex>,
    /// The structure read, when the input is one (not a register): its
    /// sources cite the results.
    pub structure: Option<boardroom::Structure>,
    /// The date the interests were read in force on: `--as-of`, or for a
    /// structure the date its other commands use; none for a register read
    /// without one (each record's latest statement) or for GLEIF.
    pub as_of: Option<String>,
    /// What was odd in the statements applied (also printed as warnings),
    /// so that a command can say those about what it shows.
    pub warnings: Vec<boardroom_register::Warning>,
}

/// A register read but not analysed: made once and taken apart at once,
/// so the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
enum Raw {
    /// GLEIF relationships, to be resolved.
    Gleif { builder: GleifBuilder, path: String },
    /// A BODS register's graph, or a structure's.
    Graph {
        graph: Graph,
        structure: Option<boardroom::Structure>,
        /// The date the interests were read in force on, if any.
        as_of: Option<String>,
        /// What was odd in the statements applied.
        warnings: Vec<boardroom_register::Warning>,
    },
}

/// The graph, its analysis, and what was wrong with the input (each
/// problem is printed as a warning as it is found). With neither `--bods`
/// nor `--gleif`, the structure in `file` (or the embedded default) is
/// exported to BODS and read.
pub fn load(src: &Source, file: Option<&str>, progress: &dyn Progress) -> Result<Loaded> {
    let (raw, input) = read(src, file, progress)?;
    match raw {
        Raw::Gleif { builder, path } => {
            let (g, a, res, index) = builder.resolve_with_index(&src.analysis_options(), progress);
            stderrln!(
                "{path}: {} children with a direct parent; declared ultimate parent agrees for {}, differs for {}, is missing for {}; {} in cycles",
                res.children,
                res.agree,
                res.disagree,
                res.undeclared,
                res.cyclic
            );
            if res.disagree > 0 {
                // Why they differ: mostly a file that does not hold the whole
                // chain, which is not a disagreement in GLEIF's data.
                stderrln!(
                    "  of the {} that differ, the computed chain stops at an entity with no parent record in this file for {} (the file does not hold the rest of the chain), at one reporting a GLEIF exception for {}, at one whose direct-parent record is not active for {}; `owners LEI --gleif` shows a chain and why it stops",
                    res.disagree,
                    res.disagree_leaves_file,
                    res.disagree_exception,
                    res.disagree_inactive
                );
            }
            Ok(Loaded {
                graph: g,
                analysis: a,
                input,
                gleif: Some(index),
                structure: None,
                as_of: None,
                warnings: Vec::new(),
            })
        }
        Raw::Graph {
            graph,
            structure,
            as_of,
            warnings,
        } => {
            let a = Analysis::run(&graph, &src.analysis_options(), progress);
            Ok(Loaded {
                graph,
                analysis: a,
                input,
                gleif: None,
                structure,
                as_of,
                warnings,
            })
        }
    }
}

/// The graph alone, for an engine that analyses it elsewhere, and what was
/// wrong with the input.
#[cfg(feature = "spark")]
pub fn load_graph(
    src: &Source,
    file: Option<&str>,
    progress: &dyn Progress,
) -> Result<(Graph, InputProblems)> {
    let (raw, input) = read(src, file, progress)?;
    Ok(match raw {
        Raw::Gleif { builder, .. } => (builder.graph(), input),
        Raw::Graph { graph, .. } => (graph, input),
    })
}

fn read(src: &Source, file: Option<&str>, progress: &dyn Progress) -> Result<(Raw, InputProblems)> {
    if let (Some(f), Some(flag)) = (
        file,
        src.bods
            .as_ref()
            .map(|_| "--bods")
            .or(src.gleif.as_ref().map(|_| "--gleif")),
    ) {
        bail!(
            "both a structure file (`{f}`) and {flag} were given; only one is read\n  = hint: drop `{f}` to read the register, or {flag} to read the structure"
        );
    }
    if (src.bods.is_some() || src.gleif.is_some())
        && let Some(v) = crate::input::variant()
    {
        bail!(
            "--variant `{v}` applies to a structure file; a register has no variants\n  = hint: remove --variant, or give the structure file instead of --bods/--gleif"
        );
    }
    let read = ReadOptions {
        strict: src.strict,
        max_statement_bytes: src.max_statement_bytes,
        ..ReadOptions::default()
    };
    let register = RegisterOptions {
        as_of: src.as_of.map(|d| d.to_string()),
        control: boardroom::definition::Options {
            senior_official_fallback: src.senior_official_fallback,
        },
        ..RegisterOptions::default()
    };
    if let Some(path) = &src.gleif {
        let mut builder = GleifBuilder::new();
        // Damaged rows of every file read: reported, counted, exit code 3.
        let mut skipped = 0u64;
        let mut report = |file: &str, problems: &[boardroom_register::GleifProblem]| {
            for p in problems.iter().take(20) {
                stderrln!("warning: {file}: row {}: {}", p.row, p.message);
            }
            if problems.len() > 20 {
                stderrln!("warning: {file}: {} more rows skipped", problems.len() - 20);
            }
            skipped += problems.len() as u64;
        };
        if let Some(lei) = &src.lei {
            let (n, damaged) = read_lei_names(open(lei)?, |l, name| builder.name(l, name))
                .with_context(|| format!("could not read LEI records from `{lei}`"))?;
            stderrln!("{lei}: {n} LEI records");
            report(lei, &damaged);
        }
        if let Some(repex) = &src.repex {
            let (n, damaged) = read_exceptions(open(repex)?, |e| builder.exception(&e))
                .with_context(|| format!("could not read reporting exceptions from `{repex}`"))?;
            stderrln!("{repex}: {n} reporting exceptions");
            report(repex, &damaged);
        }
        let problems = read_relationships(open(path)?, |r| builder.add(&r))
            .with_context(|| format!("could not read GLEIF relationships from `{path}`"))?;
        report(path, &problems);
        let input = InputProblems {
            source: path.clone(),
            unit: "row",
            skipped,
            truncated: false,
        };
        return Ok((
            Raw::Gleif {
                builder,
                path: path.clone(),
            },
            input,
        ));
    }
    let mut structure = None;
    // Said of a BODS file only: a structure's statements are made here.
    let as_of = src.bods.as_ref().and(register.as_of.clone());
    let mut read_on = register.as_of.clone();
    let (g, summary, report) = if let Some(path) = &src.bods {
        read_register(open(path)?, &read, &register, progress)?
    } else {
        let s = crate::input::structure(file)?;
        let (text, register) = boardroom_formats::bods::as_register(&s, register)?;
        read_on = register.as_of.clone();
        let read = read_register(&text[..], &read, &register, progress)?;
        structure = Some(s);
        read
    };
    let name = src.bods.as_deref().unwrap_or("structure");
    warn_each(name, &summary.problems, summary.problem_count, "problems");
    if summary.truncated {
        stderrln!(
            "warning: {name}: the file is cut short; the statements before the cut were read"
        );
    }
    if summary.statements == 0 {
        bail!(
            "`{name}` holds no statements\n  = hint: expected a BODS 0.4 JSON array or JSON Lines file"
        );
    }
    // Statements that were applied but are odd (an update of a record
    // never declared): said, not counted as skipped.
    let warnings: Vec<String> = report
        .warnings
        .iter()
        .take(20)
        .map(|w| format!("line {} (recordId {}): {}", w.line, w.record_id, w.message))
        .collect();
    warn_each(name, &warnings, report.warning_count, "warnings");
    if let Some(day) = as_of.as_deref() {
        note_undated(name, day, &report);
    }
    let input = InputProblems {
        source: name.to_owned(),
        unit: "statement",
        skipped: summary
            .problem_count
            .saturating_sub(u64::from(summary.truncated)),
        truncated: summary.truncated,
    };
    Ok((
        Raw::Graph {
            graph: g,
            structure,
            as_of: read_on,
            warnings: report.warnings,
        },
        input,
    ))
}

/// Prints each of `first` as a warning about `source`, then how many more
/// of `total` there are.
pub fn warn_each(source: &str, first: &[impl std::fmt::Display], total: u64, what: &str) {
    for item in first {
        stderrln!("warning: {source}: {item}");
    }
    if total > first.len() as u64 {
        stderrln!(
            "warning: {source}: {} more {what}",
            total - first.len() as u64
        );
    }
}

/// Says, when statements had no `statementDate`, how the answer on `day`
/// read them ([`boardroom_register::RegisterReport::undated_note`]).
pub fn note_undated(source: &str, day: &str, report: &boardroom_register::RegisterReport) {
    if let Some(note) = report.undated_note(day) {
        stderrln!(
            "note: {source}: {note}\n  = hint: the answer on {day} is only as sure as those statements' dates; add them to be sure"
        );
    }
}
