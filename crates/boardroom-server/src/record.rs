//! A structure as the record holds it: the structure file it was created
//! from, then every entry of the log, each event placed in date order (a
//! late recording of an earlier act goes where its date puts it; acts of
//! one date keep the order they were recorded in). Built again from the
//! log for any point of it, so every state is reproducible as of any date
//! and as of any entry. Appending judges the event with the engine that
//! `replay` uses, on the timeline it would join.

use boardroom::{Diagnostic, Event, Path, Seg, Structure, Verdict};
use boardroom_formats::Located;
use serde::Serialize;

use crate::store::Entry;

/// Where an act of a built timeline comes from.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum Origin {
    /// The structure file the record was created from.
    File,
    /// An entry of the log.
    Log {
        seq: i64,
        recorded_by: String,
        recorded_at: String,
        /// The outcome it got when it was recorded; the replay of the
        /// whole log may judge it again differently when an earlier act
        /// was recorded after it.
        outcome_when_recorded: String,
    },
}

/// A structure built from its record.
#[derive(Debug, Clone)]
pub struct Built {
    pub structure: Structure,
    /// Where each event comes from, by its position in the timeline.
    pub origins: Vec<Origin>,
    /// The last entry included (0: none).
    pub head: i64,
    /// The timeline's verdicts, worked out once when first needed (the
    /// next append compares its own with them).
    verdicts: std::sync::OnceLock<Vec<Verdict>>,
}

impl Built {
    /// Every act's verdict, as `replay` gives it.
    pub fn verdicts(&self) -> &[Verdict] {
        self.verdicts
            .get_or_init(|| boardroom::replay(&self.structure).verdicts)
    }
}

/// Where an event dated `date` joins a timeline: after every event of its
/// date or earlier.
fn position(events: &[Event], date: chrono::NaiveDate) -> usize {
    events.partition_point(|e| e.date <= date)
}

/// The structure `base` with the events of `entries` placed in it.
pub fn build(base: &Structure, entries: &[Entry]) -> Result<Built, String> {
    let mut s = base.clone();
    let mut origins = vec![Origin::File; s.event.len()];
    let mut head = 0;
    for e in entries {
        let event: Event = serde_json::from_str(&e.event)
            .map_err(|err| format!("entry {} of the log cannot be read: {err}", e.seq))?;
        let at = position(&s.event, event.date);
        s.event.insert(at, event);
        origins.insert(
            at,
            Origin::Log {
                seq: e.seq,
                recorded_by: e.recorded_by.clone(),
                recorded_at: e.recorded_at.clone(),
                outcome_when_recorded: e.outcome.clone(),
            },
        );
        head = e.seq;
    }
    Ok(Built {
        structure: s,
        origins,
        head,
        verdicts: std::sync::OnceLock::new(),
    })
}

/// An act whose verdict changes when a new event joins the timeline (an
/// earlier act recorded late).
#[derive(Debug, Clone, Serialize)]
pub struct Changed {
    pub origin: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub date: chrono::NaiveDate,
    pub summary: String,
    pub before: boardroom::Outcome,
    pub after: boardroom::Outcome,
}

/// An event judged against the record: what would be stored.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The event as read, in the structure file's form.
    pub event: Event,
    pub verdict: Verdict,
    /// Acts already recorded whose verdict it changes.
    pub changed: Vec<Changed>,
    /// Warnings about the event, located in the text it came in.
    pub warnings: Vec<Located>,
    /// The structure with the event in it, where it went, and the
    /// verdicts of its timeline.
    pub with: Structure,
    pub at: usize,
    pub after: Vec<Verdict>,
}

impl Judged {
    /// The record after this event is stored as entry `entry`: what the
    /// next read or append would build.
    pub fn built(&self, before: &Built, entry: &Entry) -> Built {
        let mut origins = before.origins.clone();
        origins.insert(
            self.at,
            Origin::Log {
                seq: entry.seq,
                recorded_by: entry.recorded_by.clone(),
                recorded_at: entry.recorded_at.clone(),
                outcome_when_recorded: entry.outcome.clone(),
            },
        );
        Built {
            structure: self.with.clone(),
            origins,
            head: entry.seq,
            verdicts: std::sync::OnceLock::from(self.after.clone()),
        }
    }
}

/// Places a diagnostic: under `event[at]` it is about the posted event and
/// is placed in its text; anything else is about the record it joins.
fn place(d: Diagnostic, at: usize, item: &boardroom_formats::ItemText) -> Located {
    match d.path.0.as_slice() {
        [Seg::Key(k), Seg::Index(i), rest @ ..] if k == "event" && *i == at => {
            let mut d = d.clone();
            d.path = Path(rest.to_vec());
            item.locate(d)
        }
        _ => Located {
            file: "the record".to_string(),
            line: 0,
            column: 0,
            diagnostic: d,
            excerpt: None,
        },
    }
}

/// Judges the event in `text` (one `[[event]]` item, as JSON) against
/// `built`: every problem with it located in `text`, or its verdict.
pub fn judge(built: &Built, name: &str, text: &str) -> Result<Judged, Vec<Located>> {
    let (event, item) = boardroom_formats::read_item::<Event>(name, text)?;
    let before = built.verdicts();
    let mut s = built.structure.clone();
    let at = position(&s.event, event.date);
    s.event.insert(at, event.clone());
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = boardroom::validate(&s)
        .into_iter()
        .partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(errors.into_iter().map(|d| place(d, at, &item)).collect());
    }
    let after = boardroom::replay(&s);
    let Some(verdict) = after.verdicts.iter().find(|v| v.index == at).cloned() else {
        return Err(vec![place(
            Diagnostic::error(
                Path(vec![Seg::Key("event".into()), Seg::Index(at)]),
                "the engine gave this event no verdict",
            )
            .hint("please report it with the structure and the event"),
            at,
            &item,
        )]);
    };
    let changed = before
        .iter()
        .filter_map(|b| {
            let moved = if b.index >= at { b.index + 1 } else { b.index };
            let a = after.verdicts.iter().find(|v| v.index == moved)?;
            (a.outcome != b.outcome).then(|| Changed {
                origin: built.origins.get(b.index).cloned().unwrap_or(Origin::File),
                id: b.id.clone(),
                date: b.date,
                summary: b.summary.clone(),
                before: b.outcome,
                after: a.outcome,
            })
        })
        .collect();
    Ok(Judged {
        event,
        verdict,
        changed,
        warnings: warnings.into_iter().map(|d| place(d, at, &item)).collect(),
        with: s,
        at,
        after: after.verdicts,
    })
}
