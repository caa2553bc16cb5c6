//! Whole registers: read, analysed, and every (entity, ultimate owner or
//! controller) row handed to pyarrow as a table, without copying.

use std::fs::File;
use std::io::BufReader;

use arrow_pyarrow::IntoPyArrow;
use boardroom::question::QuestionError;
use boardroom_register::{
    Analysis, AnalysisOptions, GleifBuilder, Graph, ReadOptions, RegisterOptions, Silent,
    read_exceptions, read_lei_names, read_register, read_relationships,
};
use pyo3::prelude::*;
use serde::Serialize;

use crate::{PyStructure, date, interruptible, refuse};

/// What the reading found: the figures, and every problem with its place.
#[derive(Serialize, Default)]
struct Summary {
    /// What was read: `bods`, `gleif` or `structure`.
    input: String,
    /// Statements (BODS) or relationship rows (GLEIF) read.
    read: u64,
    /// Damaged statements or rows skipped: the table covers what was read.
    skipped: u64,
    /// The file ends in the middle of a statement.
    truncated: bool,
    /// Each problem, placed (`line 7 (statementId ...): ...` or
    /// `row 12: ...`), the first 1,000.
    problems: Vec<String>,
    /// Statements applied that are odd (an update of a record never
    /// declared): said, not skipped.
    warnings: Vec<String>,
    /// The analysis's figures: entities, parties, cycles, depths.
    stats: boardroom_register::Stats,
}

const PROBLEMS_KEPT: usize = 1_000;

fn open(path: &str) -> Result<BufReader<File>, QuestionError> {
    File::open(path).map(BufReader::new).map_err(|e| {
        refuse(
            format!("could not read `{path}`: {e}"),
            Some("give the path of a file that exists"),
        )
    })
}

struct Analysed {
    graph: Graph,
    analysis: Analysis,
    summary: Summary,
}

/// The rows as a pyarrow table, and the summary as JSON.
fn table(py: Python<'_>, a: Analysed) -> PyResult<(Py<PyAny>, String)> {
    let Analysed {
        graph,
        analysis,
        mut summary,
    } = a;
    let (batches, summary_json) = interruptible(py, move |_| {
        let batches = boardroom_register::ultimates_arrow(&graph, &analysis, &Silent)
            .map_err(|e| refuse(e.to_string(), None))?;
        summary.stats = analysis.stats.clone();
        let text = serde_json::to_string(&summary)
            .map_err(|e| refuse(format!("could not render JSON: {e}"), None))?;
        Ok((batches, text))
    })?;
    let t = arrow_pyarrow::Table::try_new(batches, boardroom_register::ultimates_arrow_schema())
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    Ok((t.into_pyarrow(py)?.unbind(), summary_json))
}

/// Reads a BODS 0.4 file (JSON array or JSON Lines) or GLEIF Level 2
/// relationships (with Level 1 names and reporting exceptions) and finds
/// every entity's ultimate owners and controllers.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (bods=None, gleif=None, lei=None, repex=None, as_of=None, strict=false, max_statement_bytes=boardroom_register::MAX_STATEMENT_BYTES, max_cycle_steps=AnalysisOptions::default().max_cycle_steps, senior_official_fallback=false))]
pub fn analyse(
    py: Python<'_>,
    bods: Option<String>,
    gleif: Option<String>,
    lei: Option<String>,
    repex: Option<String>,
    as_of: Option<String>,
    strict: bool,
    max_statement_bytes: usize,
    max_cycle_steps: u64,
    senior_official_fallback: bool,
) -> PyResult<(Py<PyAny>, String)> {
    let analysed = interruptible(py, move |stop| {
        let options = AnalysisOptions {
            max_cycle_steps,
            ..AnalysisOptions::default()
        };
        match (bods, gleif) {
            (Some(_), Some(_)) => Err(refuse(
                "both bods= and gleif= were given",
                Some("analyse one register at a time"),
            )),
            (None, None) => Err(refuse(
                "give a register to analyse",
                Some("bods=PATH (BODS 0.4) or gleif=RR.csv (GLEIF Level 2)"),
            )),
            (Some(path), None) => {
                if lei.is_some() || repex.is_some() {
                    return Err(refuse(
                        "lei= and repex= go with gleif=",
                        Some("a BODS file carries its own names and reasons"),
                    ));
                }
                let read = ReadOptions {
                    strict,
                    max_statement_bytes,
                    ..ReadOptions::default()
                };
                let register = RegisterOptions {
                    as_of: date(as_of.as_deref())?.map(|d| d.to_string()),
                    control: boardroom::definition::Options {
                        senior_official_fallback,
                    },
                    ..RegisterOptions::default()
                };
                let input = open(&path)?;
                let (graph, read, report) = read_register(input, &read, &register, &stop)
                    .map_err(|e| refuse(format!("{path}: {e}"), None))?;
                let day = register.as_of.as_deref();
                bods_analysed(&path, "bods", graph, read, report, day, &options)
            }
            (None, Some(path)) => {
                if as_of.is_some() || senior_official_fallback {
                    return Err(refuse(
                        "as_of= and senior_official_fallback= do not apply to GLEIF",
                        Some(
                            "GLEIF's golden copy states no dates to read it on, and records no officers",
                        ),
                    ));
                }
                let mut builder = GleifBuilder::new();
                let mut summary = Summary {
                    input: "gleif".into(),
                    ..Summary::default()
                };
                let mut note = |file: &str, problems: &[boardroom_register::GleifProblem]| {
                    for p in problems {
                        if summary.problems.len() < PROBLEMS_KEPT {
                            summary
                                .problems
                                .push(format!("{file}: row {}: {}", p.row, p.message));
                        }
                    }
                    summary.skipped += problems.len() as u64;
                };
                if let Some(lei) = &lei {
                    let (_, damaged) = read_lei_names(open(lei)?, |l, name| builder.name(l, name))
                        .map_err(|e| {
                            refuse(
                                format!("could not read LEI records from `{lei}`: {e}"),
                                None,
                            )
                        })?;
                    note(lei, &damaged);
                }
                if let Some(repex) = &repex {
                    let (_, damaged) = read_exceptions(open(repex)?, |e| builder.exception(&e))
                        .map_err(|e| {
                            refuse(
                                format!("could not read reporting exceptions from `{repex}`: {e}"),
                                None,
                            )
                        })?;
                    note(repex, &damaged);
                }
                let mut rows = 0u64;
                let problems = read_relationships(open(&path)?, |r| {
                    rows += 1;
                    builder.add(&r)
                })
                .map_err(|e| {
                    refuse(
                        format!("could not read GLEIF relationships from `{path}`: {e}"),
                        None,
                    )
                })?;
                note(&path, &problems);
                if strict && summary.skipped > 0 {
                    return Err(refuse(
                        format!(
                            "{} damaged rows: {}",
                            summary.skipped,
                            summary.problems.join("; ")
                        ),
                        Some("without strict=True, damaged rows are listed and skipped"),
                    ));
                }
                summary.read = rows;
                let (graph, analysis, _, _) = builder.resolve_with_index(&options, &Silent);
                Ok(Analysed {
                    graph,
                    analysis,
                    summary,
                })
            }
        }
    })?;
    table(py, analysed)
}

fn bods_analysed(
    name: &str,
    input: &str,
    graph: Graph,
    read: boardroom_register::ReadSummary,
    report: boardroom_register::RegisterReport,
    as_of: Option<&str>,
    options: &AnalysisOptions,
) -> Result<Analysed, QuestionError> {
    if read.statements == 0 {
        return Err(refuse(
            format!("`{name}` holds no statements"),
            Some("expected a BODS 0.4 JSON array or JSON Lines file"),
        ));
    }
    let summary = Summary {
        input: input.into(),
        read: read.statements,
        skipped: read.problem_count.saturating_sub(u64::from(read.truncated)),
        truncated: read.truncated,
        problems: read
            .problems
            .iter()
            .take(PROBLEMS_KEPT)
            .map(|p| p.to_string())
            .collect(),
        warnings: report
            .warnings
            .iter()
            .take(PROBLEMS_KEPT)
            .map(|w| format!("line {} (recordId {}): {}", w.line, w.record_id, w.message))
            .chain(as_of.and_then(|day| report.undated_note(day)))
            .collect(),
        stats: boardroom_register::Stats::default(),
    };
    let analysis = Analysis::run(&graph, options, &Silent);
    Ok(Analysed {
        graph,
        analysis,
        summary,
    })
}

/// A structure read as a register: exported to BODS and analysed, on
/// `as_of` (else the date its other questions use).
#[pyfunction]
#[pyo3(signature = (structure, as_of=None))]
pub fn analyse_structure(
    py: Python<'_>,
    structure: &PyStructure,
    as_of: Option<String>,
) -> PyResult<(Py<PyAny>, String)> {
    let s = structure.s.clone();
    let analysed = interruptible(py, move |_| {
        let options = RegisterOptions {
            as_of: date(as_of.as_deref())?.map(|d| d.to_string()),
            ..RegisterOptions::default()
        };
        let (text, register) = boardroom_formats::bods::as_register(&s, options)
            .map_err(|e| refuse(format!("could not export BODS: {e}"), None))?;
        let (graph, read, report) =
            read_register(&text[..], &ReadOptions::default(), &register, &Silent)
                .map_err(|e| refuse(e.to_string(), None))?;
        bods_analysed(
            "structure",
            "structure",
            graph,
            read,
            report,
            None,
            &AnalysisOptions::default(),
        )
    })?;
    table(py, analysed)
}

/// One bucket of a register read on a Spark cluster (the Spark engine's
/// `read_bucket`, called by `boardroom._spark` on the executors): each
/// statement's line, text and, for a relationship, the subject it was
/// routed by; the rows, tagged.
#[pyfunction]
#[pyo3(signature = (lines, texts, routed, as_of=None, senior_official_fallback=false))]
pub fn spark_bucket(
    py: Python<'_>,
    lines: Vec<u64>,
    texts: Vec<String>,
    routed: Vec<Option<String>>,
    as_of: Option<String>,
    senior_official_fallback: bool,
) -> (Vec<&'static str>, Vec<String>) {
    py.detach(|| {
        let mut statements: Vec<(u64, &str, Option<&str>)> = lines
            .iter()
            .zip(&texts)
            .zip(&routed)
            .map(|((&l, t), r)| (l, t.as_str(), r.as_deref()))
            .collect();
        let rows = boardroom_spark::bucket::read_bucket(
            &mut statements,
            as_of.as_deref(),
            senior_official_fallback,
        );
        (rows.tags, rows.rows)
    })
}
