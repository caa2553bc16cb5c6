//! Plain-text renderings of results, for people. Readable without colour;
//! every verdict and finding says which rule or right produced it.

use std::fmt::Write;

use boardroom::report::{Report, StateView};
use boardroom::{BlockAnswer, ControlReport, Decision, Outcome, Structure, Verdict};

fn names(s: &Structure, ids: &[String]) -> String {
    if ids.is_empty() {
        return "none".to_string();
    }
    ids.iter()
        .map(|p| s.name(p).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub use boardroom::envelope::{MARK_CLOSE, MARK_OPEN, cite_mark, cite_marks};

/// Every citation marker in `text` replaced by `render(n)`, `n` numbering
/// the sources in order of first citation (from 1); and those sources' ids
/// in that order. The space before a marker is kept for `render` to keep
/// or drop.
pub fn number_citations(text: &str, render: impl Fn(usize) -> String) -> (String, Vec<String>) {
    let mut order: Vec<String> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARK_OPEN.len_utf8()..];
        let Some(end) = after.find(MARK_CLOSE) else {
            rest = after;
            break;
        };
        let id = &after[..end];
        let n = match order.iter().position(|x| x == id) {
            Some(k) => k + 1,
            None => {
                order.push(id.to_string());
                order.len()
            }
        };
        out.push_str(&render(n));
        rest = &after[end + MARK_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    (out, order)
}

/// The text with every citation numbered in order of first use ("[1]",
/// "[2]", ...) and a numbered list of the sources cited at its end: title,
/// publisher, date, address, and whether it can be checked.
pub fn cite(s: &Structure, text: &str) -> String {
    // Adjacent citations read as one, "[1][2]"; a citation after other
    // brackets (an id, "[remove-altman-ceo]") keeps its space.
    let (out, order) = number_citations(text, |n| format!("\u{E002}[{n}]\u{E003}"));
    let out = out
        .replace("]\u{E003} \u{E002}[", "][")
        .replace(['\u{E002}', '\u{E003}'], "");
    if order.is_empty() {
        return out;
    }
    let mut out = out;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "\n## Sources");
    for (k, id) in order.iter().enumerate() {
        let line = match s.source(id) {
            Some(x) => x.citation(),
            None => format!("`{id}`: not among the file's sources"),
        };
        let _ = writeln!(out, "  [{}] {line}", k + 1);
    }
    out
}

/// The text with its citation markers removed, for a message that lists
/// no sources.
pub fn uncited(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK_OPEN) {
        // The space before the marker goes with it.
        out.push_str(rest[..at].strip_suffix(' ').unwrap_or(&rest[..at]));
        let after = &rest[at + MARK_OPEN.len_utf8()..];
        rest = match after.find(MARK_CLOSE) {
            Some(end) => &after[end + MARK_CLOSE.len_utf8()..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// "1 member", "3 members".
pub(crate) fn counted_noun(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The structure on a date.
pub fn state_text(s: &Structure, v: &StateView) -> String {
    let mut out = String::new();
    let date = v.date.map_or_else(
        || "the file's undated initial state".to_string(),
        |d| d.to_string(),
    );
    let _ = writeln!(
        out,
        "State on {date} ({} applied)",
        counted_noun(v.events_applied, "event", "events")
    );
    record_notes(&v.record, &mut out);
    for b in &v.bodies {
        let seats = b
            .seats
            .map(|n| format!(", {}", counted_noun(n as usize, "seat", "seats")))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n{} ({}{seats})",
            b.name,
            counted_noun(b.members.len(), "member", "members")
        );
        if let Some(n) = &b.note {
            let _ = writeln!(out, "  note: {n}");
        }
        for m in &b.members {
            let mut tags = Vec::new();
            if m.chair {
                tags.push("chair".to_string());
            }
            tags.extend(m.offices.iter().cloned());
            let votes = if m.votes != 1 {
                format!(", {} votes", boardroom::report::count(m.votes.into()))
            } else {
                String::new()
            };
            let tags = if tags.is_empty() {
                String::new()
            } else {
                format!(" ({})", tags.join(", "))
            };
            let _ = writeln!(
                out,
                "  - {}{tags}{votes}{}",
                m.name,
                cite_mark(m.source.as_deref())
            );
        }
    }
    let _ = writeln!(out, "\nOffices");
    for o in &v.offices {
        let _ = writeln!(
            out,
            "  {:<34} {}{}",
            o.title,
            o.name,
            cite_mark(o.source.as_deref())
        );
    }
    for id in &v.vacant_offices {
        let title = s.office(id).map_or(id.as_str(), |o| o.title.as_str());
        let _ = writeln!(out, "  {title:<34} (vacant)");
    }
    if !v.interests.is_empty() {
        let _ = writeln!(out, "\nInterests in force");
        for i in &v.interests {
            let share = i
                .share
                .as_ref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default();
            let details = i
                .details
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {} {}{share}{details}{}",
                i.holder_name,
                i.kind.plain(),
                i.subject_name,
                cite_mark(i.source.as_deref())
            );
            for c in &i.caveats {
                let _ = writeln!(out, "      caveat: {c}");
            }
        }
    }
    if !v.declarations.is_empty() {
        let _ = writeln!(out, "\nDeclarations");
        for d in &v.declarations {
            let _ = writeln!(out, "  {} `{}` by {}", d.date, d.name, s.name(&d.by));
        }
    }
    out
}

/// What a view cannot say on its date, one `note:` line each.
fn record_notes(r: &boardroom::report::RecordSpan, out: &mut String) {
    for n in &r.notes {
        let _ = writeln!(out, "  note: {n}");
    }
}

/// ✓ met, ✗ not met, ? cannot be told from the record.
fn mark(c: &boardroom::Count) -> String {
    match (c.met, c.unknown) {
        (true, _) => "✓".to_string(),
        (false, true) => "? (the record does not say)".to_string(),
        (false, false) => "✗".to_string(),
    }
}

/// A count, or its range where the record leaves it open: "2 to 6".
/// The rule a decision was counted against, for people: a statute's
/// default by its name ("statutory default (DGCL §141(b))"), any other
/// by what it rests on and its id.
pub fn rule_words(rule: &boardroom::RuleUsed) -> String {
    match (rule.defaulted, rule.basis) {
        (true, boardroom::Basis::Assumption) => {
            format!("{} (assumed: a statute applied by analogy)", rule.name)
        }
        (true, _) => rule.name.clone(),
        (false, _) => format!(
            "{} [{}]",
            boardroom::report::rule_basis_words(rule),
            rule.name
        ),
    }
}

pub(crate) fn counted(c: &boardroom::Count) -> String {
    match c.at_most {
        Some(m) if m != c.actual => format!("{} to {}", c.show(c.actual), c.show(m)),
        _ => c.show(c.actual),
    }
}

pub(crate) use boardroom::quota_in_words as quota_words;

fn decision_text(s: &Structure, d: &Decision, out: &mut String) {
    let _ = writeln!(
        out,
        "      rule: {}{}",
        rule_words(&d.rule),
        cite_mark(d.rule.source.as_deref())
    );
    let holders = s.body(&d.body).is_some_and(|b| b.kind.is_holder_body());
    if let Some(q) = &d.quorum {
        let _ = writeln!(
            out,
            "      quorum: {} present, {} needed ({}) {}",
            counted(q),
            q.show_needed(),
            quota_words(&q.quota, q.base.map(|b| q.show(b)), holders),
            mark(q)
        );
    }
    if let Some(n) = &d.notice {
        let _ = writeln!(
            out,
            "      notice: {}; {} {}",
            n.required,
            if !n.recorded {
                "not recorded".to_string()
            } else if n.missing.is_empty() {
                "all notified".to_string()
            } else {
                format!("not notified: {}", names(s, &n.missing))
            },
            if n.met {
                "✓"
            } else if !n.recorded {
                "?"
            } else {
                "✗"
            }
        );
    }
    let what = if d.mode == "written-consent" {
        "consents"
    } else {
        "for"
    };
    let _ = writeln!(
        out,
        "      threshold: {} {what}, {} needed ({}) {}",
        counted(&d.threshold),
        d.threshold.show_needed(),
        d.threshold_words(holders),
        mark(&d.threshold)
    );
    if d.mode == "written-consent" {
        let _ = writeln!(out, "      signed: {}", names(s, &d.votes_for));
    } else {
        let _ = writeln!(
            out,
            "      for: {}; against: {}; abstain: {}; absent: {}",
            names(s, &d.votes_for),
            names(s, &d.against),
            names(s, &d.abstain),
            names(s, &d.absent)
        );
    }
    for i in &d.ineligible {
        let _ = writeln!(out, "      ineligible: {} ({})", s.name(&i.party), i.reason);
    }
    for i in &d.not_counted {
        let _ = writeln!(
            out,
            "      not counted: {} ({})",
            s.name(&i.party),
            i.reason
        );
    }
    for c in &d.conditions {
        let mark = if c.met {
            "✓"
        } else if c.unknown {
            "?"
        } else {
            "✗"
        };
        let what = if c.group == "any" { "or" } else { "and" };
        match &c.count {
            Some(n) => {
                let _ = writeln!(
                    out,
                    "      {what}: {}: {} for, {} needed (of {}) {mark}",
                    c.description,
                    counted(n),
                    n.show_needed(),
                    n.show(n.base.unwrap_or(0))
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "      {what}: {} {mark}",
                    boardroom::condition_text(s, c)
                );
            }
        }
    }
}

/// One verdict, with its explanation.
pub fn verdict_text(s: &Structure, v: &Verdict) -> String {
    verdict_text_with(s, v, None)
}

/// A verdict; with `numbered`, its assumptions by their number in that
/// list ("A2") instead of in full, for a report that lists them once.
fn verdict_text_with(s: &Structure, v: &Verdict, numbered: Option<&[String]>) -> String {
    let mut out = String::new();
    let mark = match v.outcome {
        Outcome::Valid => "valid   ",
        Outcome::Invalid => "INVALID ",
        Outcome::Recorded => "record  ",
        Outcome::CannotTell => "CANNOT TELL",
    };
    let id = v.id.as_ref().map(|i| format!(" [{i}]")).unwrap_or_default();
    let _ = writeln!(
        out,
        "{} {mark} {}{id}{}",
        v.date,
        v.summary,
        cite_mark(v.source.as_deref())
    );
    if v.outcome != Outcome::Recorded && !v.authority.is_empty() {
        let _ = writeln!(out, "      by: {}", v.authority);
    }
    if let Some(d) = &v.decision {
        decision_text(s, d, &mut out);
    }
    for r in &v.reasons {
        let _ = writeln!(out, "      why invalid: {r}");
    }
    for r in &v.would_decide {
        let _ = writeln!(out, "      would decide it: {r}");
    }
    match numbered {
        Some(list) if !v.assumptions.is_empty() => {
            let mut numbers: Vec<usize> = Vec::new();
            let mut unlisted: Vec<String> = Vec::new();
            for a in &v.assumptions {
                match list.iter().position(|x| x == a) {
                    Some(k) => numbers.push(k + 1),
                    None => unlisted.push(a.clone()),
                }
            }
            numbers.sort_unstable();
            let refs: Vec<String> = numbers
                .iter()
                .map(|k| format!("A{k}"))
                .chain(unlisted)
                .collect();
            let _ = writeln!(
                out,
                "      assumes: {} (see \"What the verdicts assume\")",
                refs.join(", ")
            );
        }
        _ => {
            for a in &v.assumptions {
                let _ = writeln!(out, "      assumes: {a}");
            }
        }
    }
    out
}

/// Every verdict, in order.
pub fn replay_text(s: &Structure, verdicts: &[Verdict]) -> String {
    replay_text_with(s, verdicts, None)
}

fn replay_text_with(s: &Structure, verdicts: &[Verdict], numbered: Option<&[String]>) -> String {
    let mut out = String::new();
    for v in verdicts {
        out.push_str(&verdict_text_with(s, v, numbered));
    }
    let acts = verdicts
        .iter()
        .filter(|v| v.outcome != Outcome::Recorded)
        .count();
    let invalid = verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Invalid)
        .count();
    let open = verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::CannotTell)
        .count();
    let open_text = if open > 0 {
        format!(", {open} cannot be told from the record")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "\n{acts} act{}: {} valid, {invalid} invalid{open_text}",
        if acts == 1 { "" } else { "s" },
        acts - invalid - open
    );
    out
}

/// Control of every entity.
pub fn control_text(s: &Structure, c: &ControlReport) -> String {
    let mut out = String::new();
    if let Some(d) = c.date {
        let _ = writeln!(out, "Control on {d}");
    }
    record_notes(&c.record, &mut out);
    for e in &c.entities {
        let _ = writeln!(out, "\n{} ({})", e.name, e.kind.label());
        let before_record = matches!(
            (c.record.date, c.record.known_from),
            (Some(d), Some(k)) if d < k
        );
        if e.direct.is_empty() && before_record {
            let _ = writeln!(
                out,
                "  controlled by: not known on this date (see the note above)"
            );
        } else if e.direct.is_empty()
            && matches!(
                e.kind,
                boardroom::PartyKind::Trust | boardroom::PartyKind::PurposeTrust
            )
        {
            let _ = writeln!(
                out,
                "  controlled by: its trustees, together; the file names none"
            );
        } else if e.direct.is_empty() {
            match &e.board_without_members {
                _ if e.general_partner.is_some() => {
                    let _ = writeln!(
                        out,
                        "  controlled by: no right the file records; its economic terms name {} as its general partner, which manages a limited partnership: record its control as an interest to count it",
                        e.general_partner.as_deref().unwrap_or_default()
                    );
                }
                Some(board) => {
                    let _ = writeln!(
                        out,
                        "  controlled by: no one the file shows: no controlling right, and its board ({board}) has no members in the file on this date"
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "  controlled by: no one (no controlling right and no board)"
                    );
                }
            }
        }
        for d in &e.direct {
            let _ = writeln!(
                out,
                "  controlled by {}: {}{}",
                d.name,
                d.describe(),
                cite_marks(d.source.iter().chain(&d.member_sources))
            );
            if d.assumed {
                let _ = writeln!(
                    out,
                    "      caveat: rests on an interest or a right the file marks assumed, not confirmed"
                );
            }
        }
        for u in &e.ultimate {
            // The ultimate controller by its name (a board with no body of
            // its own has none in the structure), then each entity.
            let mut parties = u
                .chain
                .iter()
                .map(|l| {
                    if l.controller == u.controller {
                        u.name.clone()
                    } else {
                        s.name(&l.controller).to_string()
                    }
                })
                .chain(std::iter::once(e.name.clone()))
                .collect::<Vec<_>>();
            // A long chain is clipped in the middle; each entity left out
            // is listed with its own controllers.
            if u.links_omitted > 0 {
                let at = boardroom::CHAIN_SHOWN / 2;
                parties.insert(at, format!("… {} more …", u.links_omitted));
            }
            let chain = parties.join(" → ");
            let members = if u.members.is_empty() {
                String::new()
            } else {
                format!(" (members: {})", names(s, &u.members))
            };
            let _ = writeln!(
                out,
                "  ultimate controller: {} [{}]{members}",
                u.name, u.kind
            );
            let _ = writeln!(out, "    chain: {chain}");
        }
        for o in &e.officers {
            let _ = writeln!(out, "  {}: {}", o.title, o.name);
        }
        for x in &e.economic {
            let share = x.share.clone().unwrap_or_else(|| "share not stated".into());
            let _ = writeln!(
                out,
                "  economic: {} {} it ({share}){}",
                x.name,
                x.kind.plain(),
                cite_mark(x.source.as_deref())
            );
            if x.assumed {
                let _ = writeln!(out, "      caveat: assumed, not confirmed");
            }
        }
        for h in e.holders.iter().filter(|h| h.votes.is_some()) {
            let capital = h
                .capital
                .as_deref()
                .map(|c| format!(", capital {c}"))
                .unwrap_or_default();
            let ratio = h
                .ratio
                .as_deref()
                .map(|r| format!(" ({r}× its capital)"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  votes: {} {}{capital}{ratio}",
                h.name,
                h.votes.as_deref().unwrap_or("?")
            );
            if let Some(c) = &h.capped {
                let _ = writeln!(out, "    capped: {c}");
            }
        }
        for i in &e.influence {
            let _ = writeln!(out, "  influence, not control: {} {}", i.name, i.detail);
        }
        if let Some(u) = &e.unnamed_votes {
            let _ = writeln!(out, "  votes: holders the file does not name {u}");
        }
    }
    if !c.divergences.is_empty() {
        let _ = writeln!(out, "\nWhere economic interest and control part");
        for d in &c.divergences {
            let _ = writeln!(out, "  - {}", d.explanation);
        }
    }
    out
}

/// The answer to "could this group have blocked that act?".
pub fn block_text(s: &Structure, b: &BlockAnswer) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Could {} block \"{}\" [{}]? {}{}",
        b.group
            .iter()
            .map(|p| s.name(p))
            .collect::<Vec<_>>()
            .join(" and "),
        b.summary,
        b.event,
        if b.could_block { "yes" } else { "no" },
        cite_mark(
            s.event
                .iter()
                .find(|e| e.id.as_deref() == Some(b.event.as_str()))
                .and_then(|e| e.source.as_deref())
        )
    );
    let _ = writeln!(out, "  {}", b.explanation);
    for st in &b.strategies {
        let d = &st.decision;
        let quorum = d
            .quorum
            .as_ref()
            .map(|q| {
                format!(
                    "quorum {} present, {} needed; ",
                    q.show(q.actual),
                    q.show_needed()
                )
            })
            .unwrap_or_default();
        let counted = if d.mode == "written-consent" {
            "consenting"
        } else {
            "for"
        };
        // Blocked with the count met: by a condition, which is said.
        let verdict = match (st.blocks, d.threshold.met && !st.reasons.is_empty()) {
            (true, true) => format!("blocked: {}", st.reasons.join("; ")),
            (true, false) => "blocked".to_string(),
            (false, _) => "still carried".to_string(),
        };
        let _ = writeln!(
            out,
            "  if they {}: {quorum}{} {counted}, {} needed → {verdict}",
            st.description,
            boardroom::report::count(d.threshold.actual.into()),
            boardroom::report::count(d.threshold.required.into()),
        );
    }
    out
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Valid => "valid",
        Outcome::Invalid => "invalid",
        Outcome::Recorded => "recorded",
        Outcome::CannotTell => "cannot tell",
    }
}

/// The whole report.
pub fn report_text(s: &Structure, r: &Report) -> String {
    let mut out = String::new();
    let title = if r.scenario.title.is_empty() {
        "boardroom report".to_string()
    } else {
        r.scenario.title.clone()
    };
    let _ = writeln!(out, "{title}\n{}", "=".repeat(title.chars().count()));
    if let Some(d) = &r.scenario.description {
        let _ = writeln!(out, "{d}{}", cite_marks(&r.scenario.sources));
    }
    if !r.findings.is_empty() {
        let _ = writeln!(out, "\n## Findings");
        for f in &r.findings {
            let _ = writeln!(out, "  - {}{}", f.text, cite_marks(&f.sources));
            if let Some(c) = &f.caveat {
                let _ = writeln!(out, "      caveat: {c}");
            }
        }
    }
    let _ = writeln!(out, "\n## The structure on key dates");
    // Each interest block once: a date whose interests are those of the
    // date before says so instead of listing them again.
    let mut before: Option<&StateView> = None;
    for v in &r.states {
        let _ = writeln!(out);
        match before {
            Some(b) if !v.interests.is_empty() && b.interests == v.interests => {
                let mut shown = v.clone();
                shown.interests.clear();
                out.push_str(&state_text(s, &shown));
                let since = b.date.map_or_else(String::new, |d| format!(" on {d}"));
                let _ = writeln!(out, "\nInterests in force: the same as{since}");
            }
            _ => out.push_str(&state_text(s, v)),
        }
        before = Some(v);
    }
    let _ = writeln!(out, "\n## The timeline, act by act");
    let numbered: Vec<String> = r.assumptions.iter().map(|a| a.assumption.clone()).collect();
    out.push_str(&replay_text_with(s, &r.verdicts, Some(&numbered)));
    if !r.assumptions.is_empty() {
        let _ = writeln!(out, "\n## What the verdicts assume");
        for (k, a) in r.assumptions.iter().enumerate() {
            let _ = writeln!(
                out,
                "  A{}. {}\n      used by: {}",
                k + 1,
                a.assumption,
                a.events.join(", ")
            );
        }
    }
    if !r.sensitivity.is_empty() {
        let _ = writeln!(out, "\n## Which conclusions change under other assumptions");
        for v in &r.sensitivity {
            out.push_str(&what_if_text(v));
        }
    }
    if !r.questions.is_empty() {
        let _ = writeln!(out, "\n## Could they have blocked it?");
        for q in &r.questions {
            out.push_str(&block_text(s, q));
        }
    }
    if !r.power.is_empty() {
        let _ = writeln!(out, "\n## Voting power");
    }
    for p in &r.power {
        let _ = writeln!(
            out,
            "\n{}, {}, on {}, under rule [{}]",
            s.name(&p.body),
            boardroom::report::decision_words(&p.decision),
            p.date,
            p.rule
        );
        if let Some(e) = &p.error {
            let _ = writeln!(out, "  cannot be computed: {e}");
            continue;
        }
        for i in &p.ineligible {
            let _ = writeln!(out, "  {} does not vote ({})", s.name(&i.party), i.reason);
        }
        let _ = writeln!(
            out,
            "  {:<20} {:>7}  {:>22}  {:>22}",
            "member", "swings", "Banzhaf (normalised)", "Shapley-Shubik"
        );
        for m in &p.members {
            let _ = writeln!(
                out,
                "  {:<20} {:>7}  {:>22}  {:>22}",
                m.name,
                m.swings,
                format!("{} = {}", m.banzhaf, m.banzhaf_decimal),
                format!("{} = {}", m.shapley_shubik, m.shapley_shubik_decimal)
            );
        }
        let size = p.smallest_winning.first().map_or(0, Vec::len);
        let example = p
            .smallest_winning
            .first()
            .map(|c| format!("{{{}}}", c.join(", ")))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} minimal winning coalitions; the smallest have {size} members, such as {example}",
            p.minimal_winning
        );
        if let Some(b) = &p.block {
            let _ = writeln!(out, "  {b}");
        }
    }
    if let Some(c) = &r.control {
        let _ = writeln!(out, "\n## Control");
        out.push_str(&control_text(s, c));
    }
    if !r.charter.is_empty() {
        let _ = writeln!(out, "\n## Charter constraints breached");
        for b in &r.charter {
            let _ = writeln!(
                out,
                "  - from {}: [{}] {}",
                b.from, b.breach.constraint, b.breach.explanation
            );
        }
    }
    if !r.rights_at_risk.is_empty() {
        let _ = writeln!(out, "\n## Rights a body can end");
        for x in &r.rights_at_risk {
            let _ = writeln!(out, "  - {}", x.explanation);
        }
    }
    for e in &r.economics {
        let _ = writeln!(
            out,
            "\n## Who receives what: {}{}",
            s.name(&e.entity),
            cite_marks(&boardroom::report::terms_sources(s, &e.entity))
        );
        economics_text(s, e, &mut out);
    }
    for reading in &r.economics_readings {
        let _ = writeln!(
            out,
            "\n### Under another reading [{}]: {}",
            reading.variant, reading.description
        );
        economics_text(s, &reading.summary, &mut out);
        if !reading.changes.is_empty() {
            let _ = writeln!(out, "What changes:");
            for c in &reading.changes {
                let _ = writeln!(out, "  - {c}");
            }
        }
    }
    out
}

/// One entity's cumulative waterfall: breakpoints, the share of each further
/// dollar, notes and assumptions.
fn economics_text(s: &Structure, e: &boardroom::report::EconomicsSummary, out: &mut String) {
    if let Some(err) = &e.error {
        let _ = writeln!(out, "  the waterfall cannot be computed: {err}");
    }
    if let Some(l) = &e.ledger {
        for t in &l.terms {
            let _ = writeln!(out, "  {t}");
        }
        let _ = writeln!(
            out,
            "  {} calls and {} distributions (`boardroom waterfall` shows each):",
            l.calls.len(),
            l.distributions.len()
        );
        for line in l.summary().lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if let Some(c) = &e.cumulative {
        let money =
            |x: &boardroom_waterfall::Exact| boardroom::report::short_amount(x, &c.currency);
        let _ = writeln!(out, "Breakpoints, as cumulative profit grows:");
        for b in &c.breakpoints {
            for ev in &b.events {
                let _ = writeln!(out, "  {:>9}: {}", money(&b.at), ev.text);
            }
        }
        let _ = writeln!(out, "Each further dollar:");
        for seg in &c.segments {
            let shares = seg
                .shares
                .iter()
                .map(|sh| {
                    format!(
                        "{} {}%",
                        s.name(&sh.party),
                        (sh.share.decimal(6) * rust_decimal::Decimal::ONE_HUNDRED).normalize()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                out,
                "  {} to {}: {shares}",
                money(&seg.from),
                money(&seg.to)
            );
        }
        if let Some((from, party)) = boardroom::report::takes_everything(c) {
            let _ = writeln!(
                out,
                "From {} on, {} receives everything.",
                money(from),
                s.name(party)
            );
        }
        for n in &c.notes {
            let _ = writeln!(out, "  note: {n}");
        }
        for n in &e.caps_never_binding {
            let _ = writeln!(out, "  note: {n}");
        }
    }
    for a in &e.assumptions {
        let _ = writeln!(out, "  assumes: {a}");
    }
    for r in &e.readings {
        let _ = writeln!(out, "  reads: {r}");
    }
}

/// What changed between two dates, for people: the acts and their
/// verdicts, then seats, chairs, offices, interests and control.
pub fn changes_text(c: &boardroom::Changes) -> String {
    use boardroom::{InterestChange, Named, Outcome};
    let names = |v: &[Named]| {
        v.iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let who = |n: &Option<Named>| n.as_ref().map_or("nobody", |n| n.name.as_str()).to_string();
    let mut out = String::new();
    let _ = writeln!(out, "Changes from {} to {}", c.from, c.to);
    for n in &c.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    if c.is_empty() {
        if c.notes.is_empty() {
            let _ = writeln!(out, "  nothing changed");
        }
        return out;
    }
    if !c.acts.is_empty() {
        let _ = writeln!(out, "\nActs");
        for a in &c.acts {
            let verdict = match a.outcome {
                Outcome::Valid => "valid",
                Outcome::Invalid => "INVALID, not applied",
                Outcome::Recorded => "recorded",
                Outcome::CannotTell => "cannot tell from the record",
            };
            let _ = writeln!(
                out,
                "  {}  {} — {verdict}{}",
                a.date,
                a.summary,
                cite_mark(a.source.as_deref())
            );
            for r in &a.reasons {
                let _ = writeln!(out, "      {r}");
            }
        }
    }
    if !c.seats.is_empty() {
        let _ = writeln!(out, "\nSeats");
        for s in &c.seats {
            let mut what = Vec::new();
            if !s.left.is_empty() {
                what.push(format!("left: {}", names(&s.left)));
            }
            if !s.joined.is_empty() {
                what.push(format!("joined: {}", names(&s.joined)));
            }
            let _ = writeln!(
                out,
                "  {}: {} ({} on {})",
                s.body.name,
                what.join("; "),
                counted_noun(s.members, "member", "members"),
                c.to
            );
        }
    }
    for (title, posts) in [("Chairs", &c.chairs), ("Offices", &c.offices)] {
        if !posts.is_empty() {
            let _ = writeln!(out, "\n{title}");
            for p in posts {
                let _ = writeln!(
                    out,
                    "  {}: {} → {}",
                    p.post.name,
                    who(&p.before),
                    who(&p.after)
                );
            }
        }
    }
    if !c.interests.is_empty() {
        let _ = writeln!(out, "\nInterests");
        for i in &c.interests {
            let share = i
                .share
                .as_ref()
                .map(|s| format!(" {s}"))
                .unwrap_or_default();
            // In plain words: "a share of the profits (49%) of OpenAI Global".
            let kind = boardroom::InterestType::from_code(&i.kind)
                .map_or(i.kind.as_str(), |k| k.plain().trim_end_matches(','));
            let what = format!("{kind} {}{share}", i.subject.name);
            let cited = cite_mark(i.source.as_deref());
            let _ = match i.change {
                InterestChange::Started => {
                    writeln!(out, "  started: {} {what}{cited}", who(&i.after))
                }
                InterestChange::Ended => {
                    writeln!(out, "  ended: {} no longer {what}{cited}", who(&i.before))
                }
                InterestChange::Transferred => writeln!(
                    out,
                    "  passed: {what}, from {} to {}{cited}",
                    who(&i.before),
                    who(&i.after)
                ),
            };
        }
    }
    if !c.control.is_empty() {
        let _ = writeln!(out, "\nUltimate control");
        let controllers = |v: &[boardroom::ControllerOn]| {
            if v.is_empty() {
                return "no one".to_string();
            }
            v.iter()
                .map(|u| {
                    if u.members.is_empty() {
                        u.controller.name.clone()
                    } else {
                        format!("{} (members: {})", u.controller.name, names(&u.members))
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        for d in &c.control {
            let _ = writeln!(out, "  {}", d.entity.name);
            let _ = writeln!(out, "    {}: {}", c.from, controllers(&d.before));
            let _ = writeln!(out, "    {}: {}", c.to, controllers(&d.after));
        }
    }
    if !c.power.is_empty() {
        let _ = writeln!(out, "\nVoting power (normalised Banzhaf index)");
        let indices = |v: &[boardroom::MemberIndex]| {
            if v.is_empty() {
                return "no game".to_string();
            }
            v.iter()
                .map(|m| format!("{} {}", m.party.name, m.banzhaf))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for p in &c.power {
            let about = p
                .subject
                .as_ref()
                .map(|x| format!(", concerning {}", x.name))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}, {}{about}",
                p.body.name,
                boardroom::report::decision_words(&p.decision)
            );
            let _ = writeln!(out, "    {}: {}", c.from, indices(&p.before));
            let _ = writeln!(out, "    {}: {}", c.to, indices(&p.after));
        }
    }
    out
}

/// One reading's effect on the verdicts: the acts it changes, each with why,
/// and the later acts that change in consequence.
pub fn what_if_text(v: &boardroom::report::Sensitivity) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nIf {} [{}]:", v.description, v.variant);
    if v.changed.is_empty() && v.knock_on.is_empty() {
        let _ = writeln!(out, "  no verdict changes ({} acts checked)", v.unchanged);
    }
    for c in &v.changed {
        let _ = writeln!(
            out,
            "  - {} [{}]: {} → {}",
            c.summary,
            c.event,
            outcome_word(c.base),
            outcome_word(c.variant)
        );
        for reason in &c.reasons {
            let _ = writeln!(out, "      {reason}");
        }
        for w in &c.would_decide {
            let _ = writeln!(out, "      would decide it: {w}");
        }
    }
    if !v.knock_on.is_empty() {
        let _ = writeln!(
            out,
            "  and in consequence, replaying the whole timeline, {} later act{} would fail:",
            v.knock_on.len(),
            if v.knock_on.len() == 1 { "" } else { "s" },
        );
        for c in &v.knock_on {
            let _ = writeln!(out, "    - {} [{}]", c.summary, c.event);
        }
    }
    out
}

/// The sections of the text report, by the name `report --only` takes and
/// the start of their heading.
pub const REPORT_SECTIONS: [(&str, &str); 12] = [
    ("findings", "## Findings"),
    ("structure", "## The structure on key dates"),
    ("timeline", "## The timeline, act by act"),
    ("assumptions", "## What the verdicts assume"),
    ("sensitivity", "## Which conclusions change"),
    ("blocking", "## Could they have blocked it?"),
    ("power", "## Voting power"),
    ("control", "## Control"),
    ("charter", "## Charter constraints breached"),
    ("rights", "## Rights a body can end"),
    ("economics", "## Who receives what"),
    ("sources", "## Sources"),
];

/// The report's title and the sections named in `only` (see
/// [`REPORT_SECTIONS`]), in the report's order.
pub fn report_sections(text: &str, only: &[String]) -> String {
    let mut out = String::new();
    let mut keep = true;
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") {
            // The source list stays with whatever cites it.
            keep = line.starts_with("## Sources")
                || REPORT_SECTIONS
                    .iter()
                    .find(|(_, heading)| line.starts_with(heading))
                    .is_some_and(|(name, _)| only.iter().any(|o| o == name));
        }
        if keep {
            out.push_str(line);
        }
    }
    out
}

/// Look-through economic interests as text (cite it with [`cite`]).
pub fn lookthrough_text(
    s: &Structure,
    lt: &boardroom::LookThrough,
    date: Option<chrono::NaiveDate>,
) -> String {
    let on = date.map(|d| format!(" on {d}")).unwrap_or_default();
    let mut out = format!(
        "Look-through economic interests{on} ({} method)\n",
        lt.method
    );
    if let Some(why) = &lt.why_iterative {
        let _ = writeln!(out, "not exact: {why}");
    }
    let mut entity = "";
    for x in &lt.interests {
        if x.entity != entity {
            entity = &x.entity;
            let _ = writeln!(out, "\n{}", s.name(entity));
        }
        let exact = x
            .fraction
            .as_ref()
            .map(|f| format!(" = {f}"))
            .unwrap_or_default();
        let direct = match x.direct {
            Some(d) if d.normalize() == x.percent => " (direct)".to_string(),
            Some(d) => format!(" (direct {}%, the rest through chains)", d.normalize()),
            None => " (through chains)".to_string(),
        };
        let _ = writeln!(
            out,
            "  {:<32} {:>12}%{exact}{direct}{}",
            s.name(&x.party),
            x.percent,
            boardroom::envelope::cite_marks(&x.sources)
        );
        for c in &x.caveats {
            let _ = writeln!(out, "      caveat: {c}");
        }
    }
    if let Some(b) = lt.error_bound {
        let _ = writeln!(
            out,
            "\nevery figure is within {b:.2e} percentage points of exact"
        );
    }
    if !lt.left_out.is_empty() {
        let _ = writeln!(out, "\nLeft out (no exact share to multiply)");
        for l in &lt.left_out {
            let _ = writeln!(out, "  - {l}");
        }
    }
    out
}

/// A voting game's power as text, cited when it is a structure's body's
/// game (`s`).
pub fn power_text(s: Option<&Structure>, out: &boardroom::PowerReport) -> String {
    let mut text = String::new();
    if let (Some(g), Some(s)) = (&out.game, s) {
        let on = g
            .date
            .map(|d| format!(", on {}", d.format("%-d %B %Y")))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "{}: {}{on}",
            g.name,
            boardroom::report::decision_words(&g.decision)
        );
        let _ = writeln!(
            text,
            "rule: {}{}",
            rule_words(&g.rule),
            cite_mark(g.rule.source.as_deref())
        );
        let seats = if s.body(&g.body).is_some_and(|b| b.kind.is_holder_body()) {
            "votes"
        } else {
            "seats"
        };
        let _ = writeln!(
            text,
            "players ({seats} on that date): {}",
            g.names
                .iter()
                .zip(&g.sources)
                .map(|(n, src)| format!("{n}{}", cite_marks(src)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for i in &g.ineligible {
            let _ = writeln!(text, "not a player: {} ({})", s.name(&i.party), i.reason);
        }
        for p in &g.groups {
            let _ = writeln!(
                text,
                "one player: {}, acting in concert for {}",
                p.name,
                p.member_names.join(", ")
            );
        }
        let _ = writeln!(text, "{}\n", g.definition);
    }
    let _ = write!(text, "{}", out.analysis);
    if let Some(b) = &out.block {
        let _ = writeln!(text, "\n{}", b.explanation);
    }
    match s {
        Some(s) => cite(s, &text),
        None => text,
    }
}
