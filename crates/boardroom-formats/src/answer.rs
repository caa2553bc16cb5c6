//! Answers as a front end hands them out: each question's JSON envelope
//! (the command line's `--format json`) and the same answer in words (its
//! text output, sources numbered). The Python package and the server ask
//! through these functions, so an answer is rendered one way whichever
//! front end asked; the arguments are checked by `boardroom::question`.

use boardroom::question::{self, Distribute, Distributed, PowerQuestion, QuestionError};
use boardroom::{Envelope, Structure};
use boardroom_power::Options;
use chrono::NaiveDate;
use serde::Serialize;

use crate::text;

/// One answer: its JSON envelope, as text, and the same answer in words.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The envelope: `output`, `version`, the answer, `sources`.
    pub json: String,
    /// What the command line prints for it.
    pub text: String,
}

fn refuse(message: impl Into<String>, hint: Option<&str>) -> QuestionError {
    QuestionError {
        message: message.into(),
        hint: hint.map(str::to_string),
    }
}

/// `value` as JSON text; serialising the library's own types does not
/// fail, but a refusal is kinder than a panic if it ever does.
pub fn json<T: Serialize>(value: &T) -> Result<String, QuestionError> {
    serde_json::to_string(value).map_err(|e| refuse(format!("could not render JSON: {e}"), None))
}

fn answer<T: Serialize>(envelope: &Envelope<T>, text: String) -> Result<Answer, QuestionError> {
    Ok(Answer {
        json: json(envelope)?,
        text,
    })
}

/// The caveats of a whole answer, as the command line ends its text.
pub fn with_caveats(mut text: String, caveats: &[String]) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    for c in caveats {
        text.push_str(&format!("caveat: {c}\n"));
    }
    text
}

/// Who holds which seat and office on a date (the structure's default
/// date when none is given).
pub fn state(s: &Structure, as_of: Option<NaiveDate>) -> Result<Answer, QuestionError> {
    let (d, state) = question::state_on(s, as_of);
    let view = boardroom::report::state_view(s, &state, d);
    let words = text::cite(s, &text::state_text(s, &view));
    answer(&Envelope::new("state", s, &view), words)
}

/// Every act of the timeline judged against the rule in force.
pub fn replay(s: &Structure) -> Answer {
    let r = boardroom::replay(s);
    let words = text::cite(s, &text::replay_text(s, &r.verdicts));
    let envelope = Envelope::new(
        "replay",
        s,
        boardroom::Verdicts {
            verdicts: r.verdicts,
        },
    );
    // The library's own types always serialise.
    Answer {
        json: json(&envelope).unwrap_or_default(),
        text: words,
    }
}

/// The timeline replayed with `against` voting against and `absent` away
/// wherever they voted.
pub fn what_if(
    s: &Structure,
    against: &[String],
    absent: &[String],
) -> Result<Answer, QuestionError> {
    let w = question::what_if(s, against, absent)?;
    let mut words = text::what_if_text(&w.what_if);
    words.push_str("\nThe timeline as it would have run\n");
    words.push_str(&text::replay_text(s, &w.verdicts));
    let words = text::cite(s, &words);
    answer(&Envelope::new("what-if", s, &w), words)
}

/// Who controls each entity on a date.
pub fn control(
    s: &Structure,
    as_of: Option<NaiveDate>,
    senior_official_fallback: bool,
) -> Result<Answer, QuestionError> {
    let (_, state) = question::state_on(s, as_of);
    let options = boardroom::definition::Options {
        senior_official_fallback,
    };
    let c = boardroom::control_with(s, &state, &options);
    let words = text::cite(s, &text::control_text(s, &c));
    answer(&Envelope::new("control", s, &c), words)
}

/// Could `group` have blocked the act `event`?
pub fn block(s: &Structure, event: &str, group: &[String]) -> Result<Answer, QuestionError> {
    if group.is_empty() {
        return Err(refuse(
            "no group given",
            Some("name the parties who would have opposed the act"),
        ));
    }
    let b = question::block(s, event, group)?;
    let words = text::cite(s, &text::block_text(s, &b));
    answer(&Envelope::new("block", s, &b), words)
}

/// A body's voting power for a decision, or a plain weighted game's.
pub fn power(
    q: &PowerQuestion<'_>,
    options: &Options,
    can_block: &[String],
) -> Result<Answer, QuestionError> {
    let r = question::power(q, options, can_block, |_| ())?;
    match q {
        PowerQuestion::Body { s, .. } => {
            let words = text::power_text(Some(s), &r);
            answer(&Envelope::new("power", s, &r), words)
        }
        PowerQuestion::Weighted { .. } => {
            let words = text::power_text(None, &r);
            answer(&Envelope::bare("power", &r), words)
        }
    }
}

/// Who receives what: a fund's ledger, one amount, a comparison of term
/// sheets or a cumulative run, by `what`.
pub fn waterfall(
    s: &Structure,
    entity: Option<&str>,
    as_of: Option<NaiveDate>,
    what: Distribute,
) -> Result<Answer, QuestionError> {
    let w = question::waterfall(s, entity, as_of, what)?;
    let (terms, caveats, sources) = (w.terms, w.caveats, w.sources);
    match w.distributed {
        Distributed::Ledger(ledger) => {
            let words = with_caveats(ledger.to_string(), &caveats);
            answer(
                &Envelope::citing("fund-ledger", s, &ledger, &sources).with_caveats(caveats),
                words,
            )
        }
        Distributed::Compare(c) => {
            let words = c.to_string();
            answer(
                &Envelope::citing("waterfall-comparison", s, &c, &sources),
                words,
            )
        }
        Distributed::Amount(d) => {
            let words = with_caveats(
                boardroom::report::plain_distribution(s, terms, &d).to_string(),
                &caveats,
            );
            answer(
                &Envelope::citing("waterfall", s, &d, &sources).with_caveats(caveats),
                words,
            )
        }
        Distributed::Cumulative(c) => {
            let words = with_caveats(
                boardroom::report::plain_cumulative(s, terms, &c).to_string(),
                &caveats,
            );
            answer(
                &Envelope::citing("waterfall-cumulative", s, &c, &sources).with_caveats(caveats),
                words,
            )
        }
    }
}

/// Each party's economic interest in each entity, through every chain.
pub fn lookthrough(s: &Structure, as_of: Option<NaiveDate>) -> Result<Answer, QuestionError> {
    let (d, state) = question::state_on(s, as_of);
    let lt = boardroom::lookthrough(s, &state).map_err(|e| refuse(e.to_string(), None))?;
    let words = text::cite(s, &text::lookthrough_text(s, &lt, d));
    answer(&Envelope::new("lookthrough", s, &lt), words)
}

/// What changed between two dates.
pub fn diff(s: &Structure, from: NaiveDate, to: NaiveDate) -> Result<Answer, QuestionError> {
    if from > to {
        return Err(refuse(
            format!("{from} is after {to}"),
            Some("give the earlier date first"),
        ));
    }
    let c = boardroom::changes(s, from, to);
    let words = text::cite(s, &text::changes_text(&c));
    answer(&Envelope::new("diff", s, &c), words)
}

/// The ownership and control graph on a date: `json` (the envelope), `dot`,
/// `mermaid` or `svg`.
pub fn graph(
    s: &Structure,
    as_of: Option<NaiveDate>,
    format: &str,
) -> Result<String, QuestionError> {
    let d = question::graph_date(s, as_of)?;
    let (state, _) = boardroom::state_as_of(s, d);
    let g = boardroom::graph(s, &state);
    let title = crate::graph_title(s, d);
    match format {
        "json" => json(&Envelope::new("graph", s, &g)),
        "dot" => Ok(crate::to_dot(&g, &title)),
        "mermaid" => Ok(crate::to_mermaid(&g, &title)),
        "svg" => Ok(crate::to_svg(&g, &title)),
        other => Err(refuse(
            format!("no graph format is called `{other}`"),
            Some("json, dot, mermaid or svg"),
        )),
    }
}

/// The report, as of a date or over the whole record: `json` (the
/// envelope), `text`, `markdown` or `html`.
pub fn report(
    s: &Structure,
    as_of: Option<NaiveDate>,
    format: &str,
) -> Result<String, QuestionError> {
    let r = match as_of {
        Some(d) => boardroom::report::report_as_of(s, d),
        None => boardroom::report::report(s),
    };
    match format {
        "json" => json(&Envelope::new("report", s, &r)),
        "text" => Ok(text::cite(s, &text::report_text(s, &r))),
        "markdown" => Ok(crate::report_markdown(s, &r)),
        "html" => Ok(crate::report_html(s, &r)),
        other => Err(refuse(
            format!("no report format is called `{other}`"),
            Some("json, text, markdown or html"),
        )),
    }
}
