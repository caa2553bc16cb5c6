//! The structure's relations over time, as dated interests: BODS's view.
//!
//! Board seats, chairs and offices become `boardMember`, `boardChair` and
//! `seniorManagingOfficial` interests; a member of a nonstock corporation's
//! members holds `votingRights` (one vote in so many); a board whose seats
//! another party fills gives that party `appointmentOfBoard` of every seat;
//! stated and issued interests keep their type; every interest gets the
//! dates the timeline gives it (an appointment starts a seat, a removal
//! ends it, a transfer ends one holder's interest and starts the next
//! one's, a declaration ends the interests that end on it).
//!
//! What the structure counts in units becomes exact shares: a holding of
//! so many shares gets its percentage of all shares of the entity, and
//! each voter of a shareholders' meeting a `votingRights` interest with
//! its percentage of the votes, dated piece by piece as holdings change.
//! Read back by the definition of control, these interests give the same
//! controllers as the structure.

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
        // Valid acts, and acts the record cannot judge, change the state.
        if !matches!(verdict.outcome, Outcome::Valid | Outcome::CannotTell) {
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
    let mut stated = counted_in_shares(s, stated);
    // Non-voting shares say so: no votes from them.
    let silent: Vec<Interest> = stated
        .iter()
        .filter(|i| {
            let class_votes = i
                .class
                .as_deref()
                .and_then(|k| s.classes_of(&i.subject).find(|c| c.id == k))
                .map(|c| c.votes());
            i.kind == InterestType::Shareholding
                && i.votes_per_unit.or(class_votes) == Some(rust_decimal::Decimal::ZERO)
        })
        .map(|i| {
            let mut v = i.clone();
            v.id = format!("{}:votes", i.id);
            v.kind = InterestType::VotingRights;
            v.share = Some(crate::model::Share::exact(rust_decimal::Decimal::ZERO));
            v.details = Some("non-voting shares: no votes".into());
            v.units = None;
            v.votes_per_unit = None;
            v.class = None;
            v
        })
        .collect();
    stated.extend(silent);
    // Votes cast by another party, where they are not counted in units:
    // the voter holds the votes of the shares, the holder none.
    let cast: Vec<Interest> = stated
        .iter()
        .filter(|i| i.kind == InterestType::Shareholding && i.units.is_none())
        .filter_map(|i| {
            let voter = i.voted_by.clone()?;
            let holder = i.holder.clone()?;
            let mut v = i.clone();
            v.id = format!("{}:cast-by:{voter}", i.id);
            v.kind = InterestType::VotingRights;
            v.details = Some(format!("the votes of {}'s shares", holder));
            v.holder = Some(voter.clone());
            v.voted_by = None;
            let mut none = i.clone();
            none.id = format!("{}:votes", i.id);
            none.kind = InterestType::VotingRights;
            none.share = Some(crate::model::Share::exact(rust_decimal::Decimal::ZERO));
            none.details = Some(format!("its votes are cast by {voter}"));
            none.voted_by = None;
            Some([v, none])
        })
        .flatten()
        .collect();
    stated.extend(cast);
    stated.extend(seat_rights(s));
    stated.extend(positions.into_iter().map(|(_, i)| i));
    stated
}

/// Rights to fill some of a board's seats as `appointmentOfBoard` interests
/// with the share of the seats, dated piece by piece as rights phase in.
fn seat_rights(s: &Structure) -> Vec<Interest> {
    let boards: Vec<&crate::model::Body> = s
        .body
        .iter()
        .filter(|b| b.kind == crate::model::BodyKind::Board && !b.appointments.is_empty())
        .collect();
    if boards.is_empty() {
        return Vec::new();
    }
    // Every date a right may change: its own dates, the milestones'
    // declarations, every event (holdings that decide a class's majority),
    // and the start of the record.
    let mut dates: std::collections::BTreeSet<NaiveDate> = std::collections::BTreeSet::new();
    for b in &boards {
        for r in &b.appointments {
            dates.extend(r.from);
            dates.extend(r.until);
        }
    }
    dates.extend(s.event.iter().map(|e| e.date));
    dates.extend(s.interest.iter().flat_map(|i| [i.start, i.end]).flatten());
    dates.extend(s.known_from());
    let mut out: Vec<Interest> = Vec::new();
    let mut open: BTreeMap<(String, String), (Interest, String)> = BTreeMap::new();
    for d in dates {
        let (state, _) = crate::timeline::state_as_of(s, d);
        let mut now: BTreeMap<(String, String), (Interest, String)> = BTreeMap::new();
        for b in &boards {
            if !state.exists(&b.entity) {
                continue;
            }
            for held in crate::control::seat_rights(s, &state, b) {
                // Cited by the rights' own source, else the board's.
                let source = held.sources.first().cloned().or_else(|| b.source.clone());
                let assumption = !held.assumed.is_empty();
                let (appointer, seats, of) = (held.appointer, held.seats, held.of);
                let p = crate::control::Portion::of(
                    rust_decimal::Decimal::from(seats),
                    rust_decimal::Decimal::from(of),
                );
                let details = format!(
                    "has the right to fill {seats} of the {of} seats of {}",
                    b.name
                );
                let interest = Interest {
                    id: format!("seats:{}:{appointer}", b.id),
                    subject: b.entity.clone(),
                    holder: Some(appointer.clone()),
                    unspecified: None,
                    kind: InterestType::AppointmentOfBoard,
                    direct_or_indirect: Default::default(),
                    via: Vec::new(),
                    beneficial_ownership_or_control: None,
                    details: Some(details.clone()),
                    share: Some(p.to_share()),
                    units: None,
                    class: None,
                    votes_per_unit: None,
                    voted_by: None,
                    start: (Some(d) != s.known_from()).then_some(d),
                    end: None,
                    ends_on: None,
                    source,
                    assumption,
                    note: None,
                };
                now.insert((b.id.clone(), appointer), (interest, details));
            }
        }
        // Close what changed, open what is new.
        let keys: Vec<(String, String)> = open.keys().cloned().collect();
        for k in keys {
            let same = now
                .get(&k)
                .is_some_and(|(_, d2)| open.get(&k).is_some_and(|(_, d1)| d1 == d2));
            if !same && let Some((mut i, _)) = open.remove(&k) {
                i.end = Some(d);
                out.push(i);
            }
        }
        for (k, (mut i, details)) in now {
            if open.contains_key(&k) {
                continue;
            }
            if out.iter().any(|x| x.id == i.id) {
                i.id = format!("{}@{d}", i.id);
            }
            open.insert(k, (i, details));
        }
    }
    out.extend(open.into_values().map(|(i, _)| i));
    out
}

/// Units as shares: each holding stated in units only gets its exact share
/// of all the entity's shares, and each voter of a shareholders' meeting a
/// `votingRights` interest with its share of the votes, piece by piece
/// between the dates on which any interest starts or ends.
fn counted_in_shares(s: &Structure, stated: Vec<Interest>) -> Vec<Interest> {
    let mut bounds: std::collections::BTreeSet<NaiveDate> = stated
        .iter()
        .flat_map(|i| [i.start, i.end])
        .flatten()
        .collect();
    bounds.extend(s.known_from());
    bounds.extend(
        s.party
            .iter()
            .flat_map(|p| [p.founded, p.dissolved])
            .flatten(),
    );
    let mut state = State::initial(s);
    state.set_interests(stated.clone());
    let dates: Vec<Option<NaiveDate>> = if bounds.is_empty() {
        vec![None]
    } else {
        bounds.iter().copied().map(Some).collect()
    };
    // For each key, its share on each date (None: not derived then).
    /// (what is counted, of what, for whom) → its value from each date on.
    type Pieces = BTreeMap<(String, String, String), Vec<(Option<NaiveDate>, Interest, bool)>>;
    let mut pieces: Pieces = BTreeMap::new();
    let counts_units = |i: &Interest| {
        i.kind == InterestType::Shareholding && i.share.is_none() && i.units.is_some()
    };
    for date in &dates {
        state.date = *date;
        let mut now: BTreeMap<(String, String, String), Interest> = BTreeMap::new();
        // Capital: each holding's share of all shares, where every holding
        // in force in the entity states its units; else its units alone.
        for i in state.active_interests().filter(|i| counts_units(i)) {
            let mut x = i.clone();
            x.share = crate::control::unit_share(&state, i).map(|p| p.to_share());
            now.insert(("capital".into(), i.id.clone(), String::new()), x);
        }
        // Votes counted in units (a members' meeting's are seat interests).
        for e in s.party.iter().filter(|p| !p.kind.is_person()) {
            let Some(c) = crate::control::counted_votes(s, &state, &e.id) else {
                continue;
            };
            if crate::control::general_meeting(s, &e.id)
                .is_some_and(|b| b.kind == crate::model::BodyKind::Members)
            {
                continue;
            }
            // A holder of non-voting shares only has its `votingRights` of
            // 0 from its shares (below): not a second one here.
            for (holder, v) in c.votes.iter().filter(|(_, v)| !v.is_zero()) {
                now.insert(
                    ("votes".into(), e.id.clone(), holder.clone()),
                    Interest {
                        id: format!("votes:{}:{holder}", e.id),
                        subject: e.id.clone(),
                        holder: Some(holder.clone()),
                        unspecified: None,
                        kind: InterestType::VotingRights,
                        direct_or_indirect: Default::default(),
                        via: Vec::new(),
                        beneficial_ownership_or_control: None,
                        details: Some(c.describe(*v)),
                        share: Some(c.portion(*v).to_share()),
                        units: None,
                        class: None,
                        votes_per_unit: None,
                        voted_by: None,
                        start: None,
                        end: None,
                        ends_on: None,
                        source: None,
                        assumption: false,
                        note: None,
                    },
                );
            }
        }
        let keys: std::collections::BTreeSet<_> =
            pieces.keys().cloned().chain(now.keys().cloned()).collect();
        for key in keys {
            let list = pieces.entry(key.clone()).or_default();
            let next = now.remove(&key);
            // The same value goes on only while its piece is still open.
            let same = match (list.last(), &next) {
                (Some((_, last, open)), Some(n)) => {
                    *open && last.share == n.share && last.details == n.details
                }
                _ => false,
            };
            match next {
                Some(n) if !same => list.push((*date, n, true)),
                Some(_) => {}
                None => {
                    if let Some((_, l, open)) = list.last_mut().filter(|(_, _, open)| *open) {
                        l.end = *date;
                        *open = false;
                    }
                }
            }
        }
    }
    // Close each piece where the next one starts, and date it.
    let mut derived: BTreeMap<String, Vec<Interest>> = BTreeMap::new();
    let mut votes: Vec<Interest> = Vec::new();
    for ((kind, id, _), list) in pieces {
        let count = list.len();
        let mut out = Vec::new();
        for k in 0..count {
            let (from, mut x, open) = list[k].clone();
            let until = list.get(k + 1).and_then(|(d, _, _)| *d);
            if open && until.is_some() {
                x.end = until;
            }
            if k > 0 || kind == "votes" {
                x.start = from.filter(|d| Some(*d) != s.known_from()).or(x.start);
            }
            if k > 0
                && let Some(d) = from
            {
                x.id = format!("{}@{d}", x.id);
            }
            out.push(x);
        }
        if kind == "votes" {
            votes.extend(out);
        } else {
            derived.insert(id, out);
        }
    }
    let mut result = Vec::new();
    for i in stated {
        match derived.remove(&i.id) {
            Some(parts) if counts_units(&i) => result.extend(parts),
            _ => result.push(i),
        }
    }
    result.extend(votes);
    result
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
            voted_by: None,
            start: None,
            end: None,
            ends_on: None,
            source: None,
            assumption: false,
            note: None,
        };
    for b in s.body.iter() {
        // A board whose seats another party fills: that party appoints
        // every seat.
        if b.kind == crate::model::BodyKind::Board
            && let Some(f) = &b.filled_by
            && f != &b.id
            && s.body(f).is_none_or(|fb| fb.entity != b.entity)
        {
            let appointer = s.body(f).map_or(f.as_str(), |fb| fb.entity.as_str());
            let mut it = blank(
                format!("appoints:{}:{appointer}", b.id),
                &b.entity,
                appointer,
                InterestType::AppointmentOfBoard,
                format!("fills the seats of {}", b.name),
            );
            it.share = Some(crate::model::Share::exact(
                rust_decimal::Decimal::ONE_HUNDRED,
            ));
            it.source = b.source.clone();
            out.insert(
                ("appoints".to_string(), b.id.clone(), appointer.to_string()),
                it,
            );
        }
        if b.kind == crate::model::BodyKind::Members {
            // One vote each among the members in office.
            let members = state.members.get(&b.id).cloned().unwrap_or_default();
            let n = members.len();
            for m in &members {
                let p = crate::control::Portion::of(
                    rust_decimal::Decimal::ONE,
                    rust_decimal::Decimal::from(n as u64),
                );
                let mut it = blank(
                    format!("member:{}:{m}", b.id),
                    &b.entity,
                    m,
                    InterestType::VotingRights,
                    format!("one of {n} members of {}", b.name),
                );
                it.share = Some(p.to_share());
                out.insert(("member".to_string(), b.id.clone(), format!("{m}/{n}")), it);
            }
            continue;
        }
        if b.kind != crate::model::BodyKind::Board {
            // Committees (their members are directors) and holder bodies
            // (their votes are counted in shares) have no seat interests.
            continue;
        }
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
