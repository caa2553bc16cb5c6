//! The structure's relations over time, as dated interests: BODS's view.
//!
//! Board seats, chairs and offices become `boardMember`, `boardChair` and
//! `seniorManagingOfficial` interests; stated and issued interests keep
//! their type; every interest gets the dates the timeline gives it (an
//! appointment starts a seat, a removal ends it, a transfer ends one
//! holder's interest and starts the next one's, a declaration ends the
//! interests that end on it). Folding a structure made only of these
//! interests gives the same interests back, which is what makes a BODS
//! export, import and export again identical.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{ActKind, Interest, InterestType, Role, Structure};
use crate::timeline::{Outcome, State};

/// Every interest the structure implies, with its dates, in a stable order:
/// stated and issued interests first (in file order), then seats, chairs
/// and offices in order of their start.
pub fn dated_interests(s: &Structure) -> Vec<Interest> {
    let mut out: Vec<(usize, Interest)> = Vec::new();
    let mut open: BTreeMap<(String, String, String), (Interest, usize)> = BTreeMap::new();
    let mut seq = 0usize;
    let mut state = State::initial(s);
    // Positions (roles) held before the first event.
    let mut current = positions(s, &state);
    for (key, item) in &current {
        open.insert(key.clone(), (item.clone(), seq));
        seq += 1;
    }
    // Stated interests, with event-driven ends and transfers applied below.
    let mut stated: Vec<Interest> = s.interest.clone();
    for (i, event) in s.event.iter().enumerate() {
        let verdict = state.apply(s, i, event);
        if verdict.outcome != Outcome::Valid {
            continue;
        }
        let date = event.date;
        match event.act {
            ActKind::Issue => {
                if let Some(new) = &event.interest {
                    let mut new = (**new).clone();
                    new.start = new.start.or(Some(date));
                    stated.push(new);
                }
            }
            ActKind::Transfer => {
                let id = event.interest_id.clone().unwrap_or_default();
                if let Some(pos) = stated
                    .iter()
                    .rposition(|x| x.id == id || x.id.starts_with(&format!("{id}~")))
                {
                    let mut next = stated[pos].clone();
                    stated[pos].end = Some(stated[pos].end.map_or(date, |e| e.min(date)));
                    next.id = format!("{id}~{date}");
                    next.holder = event.to.clone();
                    next.start = Some(date);
                    stated.push(next);
                }
            }
            ActKind::EndInterest => {
                let id = event.interest_id.clone().unwrap_or_default();
                end_latest(&mut stated, &id, date);
            }
            ActKind::Declare => {
                let name = event.declaration.clone().unwrap_or_default();
                let ids: Vec<String> = stated
                    .iter()
                    .filter(|x| x.ends_on.as_deref() == Some(name.as_str()))
                    .map(|x| x.id.clone())
                    .collect();
                for id in ids {
                    end_latest(&mut stated, &id, date);
                }
            }
            _ => {}
        }
        let next = positions(s, &state);
        for key in current.keys() {
            if !next.contains_key(key)
                && let Some((mut it, n)) = open.remove(key)
            {
                it.end = Some(date);
                out.push((n, it));
            }
        }
        for (key, item) in &next {
            if !current.contains_key(key) {
                let mut it = item.clone();
                it.start = Some(date);
                it.id = format!("{}@{date}", it.id);
                open.insert(key.clone(), (it, seq));
                seq += 1;
            }
        }
        current = next;
    }
    let mut positions: Vec<(usize, Interest)> = out
        .into_iter()
        .chain(open.into_values().map(|(i, n)| (n, i)))
        .collect();
    positions
        .sort_by(|(na, a), (nb, b)| a.start.cmp(&b.start).then(na.cmp(nb)).then(a.id.cmp(&b.id)));
    stated.extend(positions.into_iter().map(|(_, i)| i));
    stated
}

fn end_latest(stated: &mut [Interest], id: &str, date: NaiveDate) {
    if let Some(x) = stated
        .iter_mut()
        .rev()
        .find(|x| x.id == id || x.id.starts_with(&format!("{id}~")))
    {
        x.end = Some(x.end.map_or(date, |e| e.min(date)));
    }
}

/// Seats, chairs and offices held in `state`, keyed by (kind, place, person).
fn positions(s: &Structure, state: &State) -> BTreeMap<(String, String, String), Interest> {
    let mut out = BTreeMap::new();
    let blank =
        |id: String, subject: &str, holder: &str, kind: InterestType, details: String| Interest {
            id,
            subject: subject.to_string(),
            holder: Some(holder.to_string()),
            unspecified: None,
            kind,
            direct_or_indirect: Default::default(),
            via: Vec::new(),
            beneficial_ownership_or_control: None,
            details: Some(details),
            share: None,
            units: None,
            class: None,
            votes_per_unit: None,
            start: None,
            end: None,
            ends_on: None,
            source: None,
            assumption: false,
            note: None,
        };
    for b in s.body.iter().filter(|b| !b.kind.is_holder_body()) {
        for m in state.members.get(&b.id).into_iter().flatten() {
            out.insert(
                ("seat".to_string(), b.id.clone(), m.clone()),
                blank(
                    format!("seat:{}:{m}", b.id),
                    &b.entity,
                    m,
                    InterestType::BoardMember,
                    format!("member of {}", b.name),
                ),
            );
        }
        if let Some(c) = state.chairs.get(&b.id) {
            out.insert(
                ("chair".to_string(), b.id.clone(), c.clone()),
                blank(
                    format!("chair:{}:{c}", b.id),
                    &b.entity,
                    c,
                    InterestType::BoardChair,
                    format!("{} of {}", role_label(Role::Chair), b.name),
                ),
            );
        }
    }
    for o in &s.office {
        if let Some(h) = state.holders.get(&o.id) {
            out.insert(
                ("office".to_string(), o.id.clone(), h.clone()),
                blank(
                    format!("office:{}:{h}", o.id),
                    &o.entity,
                    h,
                    InterestType::SeniorManagingOfficial,
                    o.title.clone(),
                ),
            );
        }
    }
    out
}

fn role_label(r: Role) -> &'static str {
    match r {
        Role::Chair => "chair",
    }
}
