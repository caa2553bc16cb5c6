//! `boardroom._native`: the engine for the `boardroom` Python package.
//!
//! Thin, as the command line is: every question is asked through
//! `boardroom::question` and the library's own functions, and every answer
//! is the command line's `--format json` envelope, as text, which the
//! package's Python layer (`python/boardroom`) turns into typed objects with
//! exact values (`Decimal`, `Fraction`, `date`) by the output's JSON
//! Schema. A register's rows come back as an Arrow table, handed to pyarrow
//! without copying.
//!
//! Long work runs on its own thread, without the GIL; the calling thread
//! waits, checking for signals, so Ctrl-C interrupts a call.

use std::sync::Arc;
use std::time::Duration;

// The command line's allocator: reading a register allocates from every
// core, where the system allocator's locks cost a third of the time. Only
// Rust's allocations go through it; Arrow buffers handed to pyarrow are
// freed by their release callback, back in Rust.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use boardroom::Structure;
use boardroom::question::{self, Distribute, PowerQuestion, QuestionError};
use boardroom_formats::answer;
use boardroom_power::{Approx, Index, Options};
use chrono::NaiveDate;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// The exception classes live in Python (`boardroom._errors`), with their
/// attributes; Rust raises them by name.
fn raise<'py>(py: Python<'py>, class: &str, args: impl IntoPyObject<'py>) -> PyErr {
    let made = py
        .import("boardroom._errors")
        .and_then(|m| m.getattr(class))
        .and_then(|c| c.call1((args,)));
    match made {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

/// A question's refusal: `boardroom.QuestionError` (a `ValueError`) with
/// its message and hint.
fn refused(py: Python<'_>, e: QuestionError) -> PyErr {
    raise(py, "_question", (e.message, e.hint))
}

fn refuse(message: impl Into<String>, hint: Option<&str>) -> QuestionError {
    QuestionError {
        message: message.into(),
        hint: hint.map(str::to_string),
    }
}

/// A date given as YYYY-MM-DD (the Python layer turns `datetime.date`
/// into that).
fn date(text: Option<&str>) -> Result<Option<NaiveDate>, QuestionError> {
    text.map(|t| {
        NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|e| {
            refuse(
                format!("`{t}` is not a date ({e})"),
                Some("give a datetime.date or YYYY-MM-DD, such as 2023-11-17"),
            )
        })
    })
    .transpose()
}

/// An answer: its JSON envelope, and the same answer as the command line's
/// text (what `str()` of the Python result shows).
type Answer = (String, String);

fn pair(a: answer::Answer) -> Answer {
    (a.json, a.text)
}

/// Set when the call that started some work was interrupted: work that
/// checks it (reading a register) stops; other work finishes in the
/// background and its result is dropped.
#[derive(Clone, Default)]
struct Stop(Arc<std::sync::atomic::AtomicBool>);

impl boardroom_register::Progress for Stop {
    fn stopped(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Runs `work` on its own thread without the GIL, checking for signals
/// every 50 ms: Ctrl-C raises `KeyboardInterrupt` at once and tells the
/// work to stop.
fn interruptible<T: Send + 'static>(
    py: Python<'_>,
    work: impl FnOnce(Stop) -> Result<T, QuestionError> + Send + 'static,
) -> PyResult<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    let stop = Stop::default();
    let worker = stop.clone();
    std::thread::Builder::new()
        .name("boardroom".into())
        .spawn(move || {
            let _ = tx.send(work(worker));
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a thread: {e}")))?;
    // The receiver moves into each wait and back out: it is not `Sync`.
    let mut rx = Some(rx);
    loop {
        let Some(waiting) = rx.take() else {
            return Err(PyRuntimeError::new_err("boardroom lost its worker"));
        };
        let (got, back) = py.detach(move || {
            let got = waiting.recv_timeout(Duration::from_millis(50));
            (got, waiting)
        });
        rx = Some(back);
        match got {
            Ok(Ok(v)) => return Ok(v),
            Ok(Err(e)) => return Err(refused(py, e)),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if let Err(e) = py.check_signals() {
                    stop.0.store(true, std::sync::atomic::Ordering::Relaxed);
                    return Err(e);
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "boardroom stopped on an internal error; please report it with the input",
                ));
            }
        }
    }
}

/// A structure, read and validated: ask it questions.
#[pyclass(frozen, name = "Structure", module = "boardroom._native")]
struct PyStructure {
    s: Arc<Structure>,
    /// Where it was read from, for messages.
    #[pyo3(get)]
    name: String,
    /// Warnings found while reading it, as JSON (located diagnostics).
    #[pyo3(get)]
    warnings: String,
}

fn power_options(
    indices: Vec<String>,
    coalitions: bool,
    limit: usize,
    approx: Option<u64>,
    seed: u64,
) -> Result<Options, QuestionError> {
    let indices = if indices.is_empty() {
        Index::ALL.to_vec()
    } else {
        indices
            .iter()
            .map(|i| {
                i.parse::<Index>().map_err(|_| {
                    let known: Vec<&str> = Index::ALL.iter().map(|x| x.name()).collect();
                    refuse(
                        format!("no power index is called `{i}`"),
                        Some(&format!("indices: {}", known.join(", "))),
                    )
                })
            })
            .collect::<Result<_, _>>()?
    };
    Ok(Options {
        indices,
        coalitions,
        limit,
        approx: approx.map(|samples| Approx { samples, seed }),
        ..Options::default()
    })
}

/// The same hint words as the Python keyword arguments.
fn python_hint(e: QuestionError) -> QuestionError {
    QuestionError {
        hint: e.hint.map(|h| {
            h.replace(
                "pass approx mode (a sample count and a seed)",
                "pass approx=SAMPLES (and seed=)",
            )
        }),
        ..e
    }
}

#[pymethods]
impl PyStructure {
    /// The structure's title.
    #[getter]
    fn title(&self) -> String {
        self.s.scenario.title.clone()
    }

    /// The ids of the variants the structure states.
    #[getter]
    fn variants(&self) -> Vec<String> {
        self.s.variant.iter().map(|v| v.id.clone()).collect()
    }

    /// The same structure under variant `id`.
    fn variant(&self, py: Python<'_>, id: &str) -> PyResult<PyStructure> {
        let s = question::under_variant(&self.s, id).map_err(|e| refused(py, e))?;
        Ok(PyStructure {
            s: Arc::new(s),
            name: format!("{} under variant `{id}`", self.name),
            warnings: self.warnings.clone(),
        })
    }

    #[pyo3(signature = (as_of=None))]
    fn state(&self, py: Python<'_>, as_of: Option<String>) -> PyResult<Answer> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            answer::state(&s, date(as_of.as_deref())?).map(pair)
        })
    }

    #[pyo3(signature = (against=Vec::new(), absent=Vec::new()))]
    fn replay(
        &self,
        py: Python<'_>,
        against: Vec<String>,
        absent: Vec<String>,
    ) -> PyResult<Answer> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            if against.is_empty() && absent.is_empty() {
                return Ok(pair(answer::replay(&s)));
            }
            answer::what_if(&s, &against, &absent)
                .map(pair)
                .map_err(|e| QuestionError {
                    // The Python names of the two lists.
                    message: e
                        .message
                        .replace("those voting against", "against=")
                        .replace("those absent", "absent="),
                    ..e
                })
        })
    }

    #[pyo3(signature = (as_of=None, senior_official_fallback=false))]
    fn control(
        &self,
        py: Python<'_>,
        as_of: Option<String>,
        senior_official_fallback: bool,
    ) -> PyResult<Answer> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            answer::control(&s, date(as_of.as_deref())?, senior_official_fallback).map(pair)
        })
    }

    fn block(&self, py: Python<'_>, event: String, group: Vec<String>) -> PyResult<Answer> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            answer::block(&s, &event, &group)
                .map(pair)
                .map_err(|e| QuestionError {
                    message: e.message.replace("in the group", "in group="),
                    ..e
                })
        })
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (body, decision, subject=None, as_of=None, indices=Vec::new(), coalitions=false, limit=20, approx=None, seed=1, can_block=Vec::new()))]
    fn power(
        &self,
        py: Python<'_>,
        body: String,
        decision: String,
        subject: Option<String>,
        as_of: Option<String>,
        indices: Vec<String>,
        coalitions: bool,
        limit: usize,
        approx: Option<u64>,
        seed: u64,
        can_block: Vec<String>,
    ) -> PyResult<Answer> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            let options = power_options(indices, coalitions, limit, approx, seed)?;
            let q = PowerQuestion::Body {
                s: &s,
                body: &body,
                decision: &decision,
                subject: subject.as_deref(),
                as_of: date(as_of.as_deref())?,
            };
            answer::power(&q, &options, &can_block)
                .map(pair)
                .map_err(python_hint)
        })
    }

    #[pyo3(signature = (amount=None, entity=None, as_of=None, cumulative_to=None, compare=false))]
    fn waterfall(
        &self,
        py: Python<'_>,
        amount: Option<String>,
        entity: Option<String>,
        as_of: Option<String>,
        cumulative_to: Option<String>,
        compare: bool,
    ) -> PyResult<Answer> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            let amount = amount.as_deref().map(question::amount).transpose()?;
            let to = cumulative_to.as_deref().map(question::amount).transpose()?;
            let what = match (amount, to) {
                (Some(_), Some(_)) => {
                    return Err(refuse(
                        "both an amount and a cumulative range were given",
                        Some(
                            "amount= distributes one amount; cumulative_to= every amount up to it",
                        ),
                    ));
                }
                (Some(x), None) if compare => Distribute::Compare(x),
                (Some(x), None) => Distribute::Amount(x),
                (None, Some(_)) if compare => {
                    return Err(refuse(
                        "compare=True compares one amount",
                        Some("give amount= with compare=True"),
                    ));
                }
                (None, Some(x)) => Distribute::Cumulative(x),
                (None, None) => Distribute::Ledger,
            };
            answer::waterfall(&s, entity.as_deref(), date(as_of.as_deref())?, what)
                .map(pair)
                .map_err(|e| {
                    // The Python words for what the question names.
                    let hint = e.hint.map(|h| match h.as_str() {
                        "ask without an amount to see each distribution, tier by tier" => {
                            "call waterfall() without an amount to see each distribution, tier by tier".to_string()
                        }
                        "one amount, or every amount up to one (cumulative)" => {
                            "amount=X for one amount (with compare=True beside every variant), or cumulative_to=X for every amount up to X".to_string()
                        }
                        other => other.replace("choose one entity:", "choose one with entity=:"),
                    });
                    QuestionError { hint, ..e }
                })
        })
    }

    #[pyo3(signature = (as_of=None))]
    fn lookthrough(&self, py: Python<'_>, as_of: Option<String>) -> PyResult<Answer> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            answer::lookthrough(&s, date(as_of.as_deref())?).map(pair)
        })
    }

    fn diff(&self, py: Python<'_>, start: String, end: String) -> PyResult<Answer> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            let (Some(from), Some(to)) = (date(Some(&start))?, date(Some(&end))?) else {
                return Err(refuse("two dates are needed", None));
            };
            answer::diff(&s, from, to).map(pair)
        })
    }

    /// The ownership and control graph: `json` (the envelope), `dot`,
    /// `mermaid` or `svg`.
    #[pyo3(signature = (as_of=None, format="json".to_string()))]
    fn graph(&self, py: Python<'_>, as_of: Option<String>, format: String) -> PyResult<String> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            answer::graph(&s, date(as_of.as_deref())?, &format)
        })
    }

    /// The report: `json` (the envelope), `text`, `markdown` or `html`.
    #[pyo3(signature = (as_of=None, format="json".to_string()))]
    fn report(&self, py: Python<'_>, as_of: Option<String>, format: String) -> PyResult<String> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            answer::report(&s, date(as_of.as_deref())?, &format)
        })
    }

    /// The structure as BODS 0.4 statements, a JSON array.
    fn to_bods(&self, py: Python<'_>) -> PyResult<String> {
        let s = self.s.clone();
        interruptible(py, move |_| {
            answer::json(&boardroom_formats::bods::export(&s))
        })
    }

    /// The structure as a TOML structure file.
    fn to_toml(&self, py: Python<'_>) -> PyResult<String> {
        boardroom_formats::to_toml(&self.s)
            .map_err(|e| refused(py, refuse(format!("could not write TOML: {e}"), None)))
    }

    fn __repr__(&self) -> String {
        let s = &self.s;
        format!(
            "<boardroom.Structure {:?} from {}: {} parties, {} bodies, {} interests, {} events>",
            s.scenario.title,
            self.name,
            s.party.len(),
            s.body.len(),
            s.interest.len(),
            s.event.len()
        )
    }
}

/// Reads a structure (TOML or JSON) from `text`; `name` is where it came
/// from, for the located diagnostics. Raises `StructureError` carrying
/// every diagnostic.
#[pyfunction]
fn load(py: Python<'_>, name: &str, text: &str) -> PyResult<PyStructure> {
    match boardroom_formats::load(name, text) {
        Ok(loaded) => Ok(PyStructure {
            warnings: serde_json::to_string(&loaded.warnings).unwrap_or_else(|_| "[]".into()),
            s: Arc::new(loaded.structure),
            name: name.to_string(),
        }),
        Err(diagnostics) => {
            let rendered: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
            let data = serde_json::to_string(&diagnostics).unwrap_or_else(|_| "[]".into());
            Err(raise(py, "_structure", (name.to_string(), rendered, data)))
        }
    }
}

/// The embedded scenarios' ids, the default first.
#[pyfunction]
fn scenarios() -> Vec<String> {
    boardroom_formats::SCENARIOS
        .iter()
        .map(|s| s.id.to_string())
        .collect()
}

/// An embedded scenario's text.
#[pyfunction]
fn scenario_text(py: Python<'_>, id: &str) -> PyResult<String> {
    boardroom_formats::scenario(id)
        .map(|s| s.text.to_string())
        .ok_or_else(|| {
            refused(
                py,
                refuse(
                    format!("no scenario is called `{id}`"),
                    Some(&format!("scenarios: {}", scenarios().join(", "))),
                ),
            )
        })
}

/// The JSON Schema of an output (or `structure`), as text.
#[pyfunction]
fn schema(py: Python<'_>, name: &str) -> PyResult<String> {
    boardroom_formats::schema(name).ok_or_else(|| {
        let known: Vec<&str> = boardroom_formats::SCHEMAS.iter().map(|(n, _)| *n).collect();
        refused(
            py,
            refuse(
                format!("no schema is called `{name}`"),
                Some(&format!("known schemas: {}", known.join(", "))),
            ),
        )
    })
}

/// A plain weighted game's power.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (quota, weights, names=Vec::new(), indices=Vec::new(), coalitions=false, limit=20, approx=None, seed=1, can_block=Vec::new()))]
fn power_weights(
    py: Python<'_>,
    quota: u64,
    weights: Vec<u64>,
    names: Vec<String>,
    indices: Vec<String>,
    coalitions: bool,
    limit: usize,
    approx: Option<u64>,
    seed: u64,
    can_block: Vec<String>,
) -> PyResult<Answer> {
    interruptible(py, move |_| {
        let options = power_options(indices, coalitions, limit, approx, seed)?;
        let q = PowerQuestion::Weighted {
            quota,
            weights,
            names,
        };
        answer::power(&q, &options, &can_block)
            .map(pair)
            .map_err(python_hint)
    })
}

mod register;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyStructure>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_text, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(power_weights, m)?)?;
    m.add_function(wrap_pyfunction!(register::analyse, m)?)?;
    m.add_function(wrap_pyfunction!(register::analyse_structure, m)?)?;
    m.add_function(wrap_pyfunction!(register::spark_bucket, m)?)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
