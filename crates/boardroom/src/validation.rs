//! Static checks of a structure: every reference resolves, ids are unique,
//! values are in range and events are in date order. Every problem is
//! reported, not only the first.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rust_decimal::Decimal;

use crate::diagnostic::{Diagnostic, Path, did_you_mean};
use crate::model::{ActKind, Body, Interest, InterestType, PartyKind, Role, Rule, Structure};

/// Every static problem in `s`.
pub fn validate(s: &Structure) -> Vec<Diagnostic> {
    validate_partial(s, &Unreadable::default())
}

/// What could not be read of a structure read in part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unreadable {
    /// Ids of items that could not be read: references to them are not
    /// reported as unknown (their own problem has been reported already).
    pub ids: BTreeSet<String>,
    /// Whether some event could not be read: checks that need the whole
    /// timeline (who ever holds an office) are then skipped.
    pub events: bool,
}

/// Every static problem in `s`, a structure read in part.
pub fn validate_partial(s: &Structure, unreadable: &Unreadable) -> Vec<Diagnostic> {
    let mut c = Checker {
        s,
        out: Vec::new(),
        actors: BTreeSet::new(),
        unreadable,
    };
    c.ids();
    c.sources();
    c.parties();
    c.share_classes();
    c.bodies();
    c.offices();
    for (i, r) in s.rule.iter().enumerate() {
        c.rule(r, &Path::item("rule", i));
    }
    for (i, interest) in s.interest.iter().enumerate() {
        c.interest(interest, &Path::item("interest", i));
    }
    c.events();
    c.shares_within_whole();
    c.economics();
    c.groups();
    c.constraints();
    c.variants();
    c.questions();
    c.out.extend(crate::control::control_cycles(s));
    c.out
}

struct Checker<'s> {
    s: &'s Structure,
    out: Vec<Diagnostic>,
    /// Ids of parties and bodies: everything that can act.
    actors: BTreeSet<&'s str>,
    unreadable: &'s Unreadable,
}

impl<'s> Checker<'s> {
    fn err(&mut self, path: Path, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(path, message);
        d.hint = hint;
        self.out.push(d);
    }

    /// A source a reader cannot find is a warning: the facts citing it
    /// read as sourced when they are not.
    fn sources(&mut self) {
        for (i, x) in self.s.source.iter().enumerate() {
            if !x.unidentified && !x.findable() {
                self.out.push(
                    Diagnostic::warning(
                        Path::item("source", i),
                        format!(
                            "source `{}` gives only a title: no `publisher`, `date` or `url`, so a reader cannot find it",
                            x.id
                        ),
                    )
                    .hint("add who published it, when and where; or, if it cannot be identified, say so with `unidentified = true`"),
                );
            }
        }
    }

    fn ids(&mut self) {
        let s = self.s;
        let mut seen: BTreeMap<&str, Path> = BTreeMap::new();
        let named = s
            .party
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), Path::item("party", i)))
            .chain(
                s.body
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (b.id.as_str(), Path::item("body", i))),
            )
            .chain(
                s.office
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (o.id.as_str(), Path::item("office", i))),
            )
            .chain(
                s.group
                    .iter()
                    .enumerate()
                    .map(|(i, g)| (g.id.as_str(), Path::item("group", i))),
            );
        // Names are shown on one line: no line break, no terminal escape.
        let names = s
            .party
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), Path::item("party", i)))
            .chain(
                s.body
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (b.name.as_str(), Path::item("body", i))),
            )
            .chain(
                s.office
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (o.title.as_str(), Path::item("office", i))),
            )
            .chain(
                s.group
                    .iter()
                    .enumerate()
                    .map(|(i, g)| (g.name.as_str(), Path::item("group", i))),
            );
        for (name, path) in names {
            if name.chars().any(char::is_control) {
                let key = if path.to_string().starts_with("office") {
                    "title"
                } else {
                    "name"
                };
                self.err(
                    path.key(key),
                    format!(
                        "`{}` holds a control character (a line break or an escape)",
                        crate::one_line(name)
                    ),
                    Some("a name is one line of text: remove the line break or the escape".into()),
                );
            }
        }
        for (id, path) in named {
            self.check_id_text(id, &path.key("id"));
            if let Some(first) = seen.get(id) {
                self.err(
                    path.key("id"),
                    format!("duplicate id `{id}`: already used at {first}"),
                    Some(
                        "parties, bodies, offices and groups share one namespace; rename one"
                            .into(),
                    ),
                );
            } else {
                seen.insert(id, path);
            }
        }
        self.actors = s
            .party
            .iter()
            .map(|p| p.id.as_str())
            .chain(s.body.iter().map(|b| b.id.as_str()))
            .chain(s.group.iter().map(|g| g.id.as_str()))
            .collect();
        let unique = |section: &str, ids: Vec<(usize, Option<&str>)>, out: &mut Vec<Diagnostic>| {
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            for (i, id) in ids {
                let Some(id) = id else { continue };
                if let Some(first) = seen.get(id) {
                    out.push(
                        Diagnostic::error(
                            Path::item(section, i).key("id"),
                            format!("duplicate id `{id}`: already used at {section}[{first}]"),
                        )
                        .hint("ids must be unique; rename one"),
                    );
                } else {
                    seen.insert(id, i);
                }
            }
        };
        let mut out = Vec::new();
        unique(
            "source",
            s.source
                .iter()
                .enumerate()
                .map(|(i, x)| (i, Some(x.id.as_str())))
                .collect(),
            &mut out,
        );
        let mut interest_ids: Vec<(usize, Option<&str>)> = s
            .interest
            .iter()
            .enumerate()
            .map(|(i, x)| (i, Some(x.id.as_str())))
            .collect();
        let n = interest_ids.len();
        interest_ids.extend(
            s.event
                .iter()
                .enumerate()
                .filter_map(|(i, e)| e.interest.as_ref().map(|x| (n + i, Some(x.id.as_str())))),
        );
        // Issued interests are reported at their event.
        let mut seen: BTreeMap<&str, Path> = BTreeMap::new();
        for (i, id) in interest_ids {
            let Some(id) = id else { continue };
            let path = if i < n {
                Path::item("interest", i)
            } else {
                Path::item("event", i - n).key("interest")
            };
            if let Some(first) = seen.get(id) {
                out.push(
                    Diagnostic::error(
                        path.key("id"),
                        format!("duplicate interest id `{id}`: already used at {first}"),
                    )
                    .hint("interest ids must be unique; rename one"),
                );
            } else {
                seen.insert(id, path);
            }
        }
        unique(
            "event",
            s.event
                .iter()
                .enumerate()
                .map(|(i, x)| (i, x.id.as_deref()))
                .collect(),
            &mut out,
        );
        unique(
            "variant",
            s.variant
                .iter()
                .enumerate()
                .map(|(i, x)| (i, Some(x.id.as_str())))
                .collect(),
            &mut out,
        );
        self.out.extend(out);
    }

    fn check_id_text(&mut self, id: &str, path: &Path) {
        if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.err(
                path.clone(),
                format!("`{id}` is not a usable id"),
                Some("ids are short names without spaces, such as `openai-inc`".into()),
            );
        }
    }

    /// A reference to something in `candidates`.
    fn reference<'a>(
        &mut self,
        path: Path,
        what: &str,
        id: &str,
        known: bool,
        candidates: impl FnOnce() -> Vec<&'a str>,
    ) -> bool {
        if known || self.unreadable.ids.contains(id) {
            return true;
        }
        // Only on a miss are the candidates listed, for the hint.
        let candidates = candidates();
        let hint = did_you_mean(id, candidates.iter().copied()).or_else(|| {
            let mut all = candidates;
            if all.is_empty() {
                return Some(format!("the structure defines no {what}"));
            }
            all.truncate(8);
            Some(format!("known {what}: {}", all.join(", ")))
        });
        self.out.push(
            Diagnostic::error(path, format!("unknown {what} `{id}`"))
                .expected(format!("the id of a {what}")),
        );
        if let Some(last) = self.out.last_mut() {
            last.hint = hint;
        }
        false
    }

    fn party_ref(&mut self, path: Path, id: &str) -> bool {
        let s = self.s;
        self.reference(path, "party", id, s.party(id).is_some(), || {
            s.party.iter().map(|p| p.id.as_str()).collect()
        })
    }

    fn person_ref(&mut self, path: Path, id: &str) -> bool {
        if !self.party_ref(path.clone(), id) {
            return false;
        }
        true
    }

    fn entity_ref(&mut self, path: Path, id: &str) -> bool {
        let s = self.s;
        if !self.party_ref(path.clone(), id) {
            return false;
        }
        if s.party(id).is_some_and(|p| p.kind == PartyKind::Person) {
            self.err(
                path,
                format!("`{id}` is a person, but an entity is needed here"),
                Some("give the id of a company, nonprofit, trust or other entity".into()),
            );
            return false;
        }
        true
    }

    fn actor_ref(&mut self, path: Path, id: &str) -> bool {
        let known = self.actors.contains(id);
        let actors: Vec<&str> = if known {
            Vec::new()
        } else {
            self.actors.iter().copied().collect()
        };
        self.reference(path, "party or body", id, known, || actors)
    }

    fn body_ref(&mut self, path: Path, id: &str) -> Option<&'s Body> {
        let s = self.s;
        if self.reference(path, "body", id, s.body(id).is_some(), || {
            s.body.iter().map(|b| b.id.as_str()).collect()
        }) {
            s.body(id)
        } else {
            None
        }
    }

    fn source_ref(&mut self, path: Path, id: &Option<String>) {
        let s = self.s;
        if let Some(id) = id {
            self.reference(path, "source", id, s.source(id).is_some(), || {
                s.source.iter().map(|x| x.id.as_str()).collect()
            });
        }
    }

    fn parties(&mut self) {
        for (i, p) in self.s.party.iter().enumerate() {
            let path = Path::item("party", i);
            self.source_ref(path.key("source"), &p.source);
            if let (Some(f), Some(d)) = (p.founded, p.dissolved)
                && d <= f
            {
                self.err(
                    path.key("dissolved"),
                    format!(
                        "`{}` is dissolved on {d}, not after its founding on {f}",
                        p.id
                    ),
                    Some("an entity is dissolved after it is founded; check both dates".into()),
                );
            }
            if p.kind.is_person() && (p.founded.is_some() || p.dissolved.is_some()) {
                self.err(
                    path.key("founded"),
                    format!(
                        "`{}` is a person: `founded` and `dissolved` are for entities",
                        p.id
                    ),
                    Some("remove the dates, or give the party an entity kind".into()),
                );
            }
        }
        if let (Some(k), Some(first)) = (
            self.s.scenario.known_from,
            self.s.event.iter().map(|e| e.date).min(),
        ) && first < k
        {
            self.err(
                Path::root().key("scenario").key("known_from"),
                format!("the record is said to start on {k}, after the first event ({first})"),
                Some(
                    "`known_from` is the date of the initial state, on or before the first event"
                        .into(),
                ),
            );
        }
    }

    fn groups(&mut self) {
        let s = self.s;
        for (i, g) in s.group.iter().enumerate() {
            let path = Path::item("group", i);
            self.source_ref(path.key("source"), &g.source);
            let mut distinct: Vec<&str> = Vec::new();
            for (k, m) in g.members.iter().enumerate() {
                if self.party_ref(path.key("members").index(k), m)
                    && !distinct.contains(&m.as_str())
                {
                    distinct.push(m);
                }
            }
            if distinct.len() < 2 {
                self.err(
                    path.key("members"),
                    format!("group `{}` has {} distinct member(s)", g.id, distinct.len()),
                    Some("a group acting in concert has two or more members".into()),
                );
            }
            for (k, e) in g.entities.iter().enumerate() {
                self.entity_ref(path.key("entities").index(k), e);
            }
            if let (Some(f), Some(u)) = (g.from, g.until)
                && u <= f
            {
                self.err(
                    path.key("until"),
                    format!("group `{}` ends on {u}, not after it starts on {f}", g.id),
                    Some("`until` is the first day the agreement no longer binds".into()),
                );
            }
            // One party, two agreements binding the same entity at once:
            // which one pools its votes would be a guess.
            for (j, h) in s.group.iter().enumerate().take(i) {
                if !(g.binds && h.binds) {
                    continue;
                }
                let entities_meet = g.entities.is_empty()
                    || h.entities.is_empty()
                    || g.entities.iter().any(|e| h.entities.contains(e));
                let dates_meet = g.from.is_none_or(|f| h.until.is_none_or(|u| f < u))
                    && h.from.is_none_or(|f| g.until.is_none_or(|u| f < u));
                if let Some(m) = g.members.iter().find(|m| h.members.contains(m))
                    && entities_meet
                    && dates_meet
                {
                    self.err(
                        path.key("members"),
                        format!(
                            "`{m}` is in group `{}` and in group `{}` (group[{j}]), which bind the same entity at the same time",
                            g.id, h.id
                        ),
                        Some("merge the two groups, or give each the entities and dates it binds".into()),
                    );
                }
            }
        }
    }

    fn constraints(&mut self) {
        let s = self.s;
        for (i, c) in s.constraint.iter().enumerate() {
            let path = Path::item("constraint", i);
            self.check_id_text(&c.id, &path.key("id"));
            self.entity_ref(path.key("entity"), &c.entity);
            self.source_ref(path.key("source"), &c.source);
            let given = [
                c.keeps_votes.is_some(),
                c.controlled_by.is_some(),
                c.no_transfer.is_some(),
            ]
            .iter()
            .filter(|x| **x)
            .count();
            if given != 1 {
                self.err(
                    path.clone(),
                    format!("constraint `{}` gives {given} rules", c.id),
                    Some(
                        "give exactly one of `keeps_votes`, `controlled_by`, `no_transfer`".into(),
                    ),
                );
            }
            if let Some(k) = &c.keeps_votes {
                self.actor_ref(path.key("keeps_votes").key("party"), &k.party);
                if k.at_least <= Decimal::ZERO || k.at_least > Decimal::ONE_HUNDRED {
                    self.err(
                        path.key("keeps_votes").key("at_least"),
                        format!("{}% of the votes", k.at_least),
                        Some("a percentage above 0 and at most 100".into()),
                    );
                }
            }
            if let Some(p) = &c.controlled_by {
                self.actor_ref(path.key("controlled_by"), p);
            }
            if let Some(k) = &c.no_transfer {
                let classes: Vec<&str> = s.classes_of(&c.entity).map(|x| x.id.as_str()).collect();
                self.reference(
                    path.key("no_transfer"),
                    "share class of the entity",
                    k,
                    classes.contains(&k.as_str()),
                    || classes,
                );
            }
        }
    }

    fn share_classes(&mut self) {
        let s = self.s;
        let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (i, c) in s.share_class.iter().enumerate() {
            let path = Path::item("share_class", i);
            self.check_id_text(&c.id, &path.key("id"));
            self.entity_ref(path.key("entity"), &c.entity);
            self.source_ref(path.key("source"), &c.source);
            if let Some(first) = seen.insert((c.entity.as_str(), c.id.as_str()), i) {
                self.err(
                    path.key("id"),
                    format!(
                        "`{}` already names share_class[{first}] of `{}`",
                        c.id, c.entity
                    ),
                    Some("each class of an entity has its own id".into()),
                );
            }
            if c.issued <= Decimal::ZERO {
                self.err(
                    path.key("issued"),
                    format!("class `{}` has {} shares issued", c.id, c.issued),
                    Some("give the number of shares issued, more than zero".into()),
                );
            }
            if let Some(t) = c.treasury
                && (t < Decimal::ZERO || t > c.issued)
            {
                self.err(
                    path.key("treasury"),
                    format!(
                        "{t} treasury shares of class `{}`, of {} issued",
                        c.id, c.issued
                    ),
                    Some("treasury shares are between none and all the shares issued".into()),
                );
            }
            if c.votes() < Decimal::ZERO {
                self.err(
                    path.key("votes_per_share"),
                    format!("class `{}` has negative votes per share", c.id),
                    Some("0 for non-voting shares".into()),
                );
            }
            if let Some(cap) = c.vote_cap
                && (cap <= Decimal::ZERO || cap > Decimal::ONE_HUNDRED)
            {
                self.err(
                    path.key("vote_cap"),
                    format!("a voting cap of {cap}%"),
                    Some("a cap is a percentage, above 0 and at most 100".into()),
                );
            }
            if let Some(a) = c.authorised
                && c.issued > a
            {
                self.out.push(
                    Diagnostic::warning(
                        path.key("issued"),
                        format!(
                            "class `{}` has {} shares issued, more than the {} its charter authorises",
                            c.id,
                            crate::report::count(c.issued),
                            crate::report::count(a)
                        ),
                    )
                    .hint("shares issued beyond those authorised are void or voidable under most corporate laws; check both figures and their dates"),
                );
            }
            if c.vote_cap_of.is_some() && c.vote_cap.is_none() {
                self.err(
                    path.key("vote_cap_of"),
                    format!(
                        "class `{}` says what its voting cap is a percentage of, but has no `vote_cap`",
                        c.id
                    ),
                    Some("add `vote_cap = 5` (a percentage), or remove `vote_cap_of`".into()),
                );
            }
            if let Some(conv) = &c.converts_into {
                let others: Vec<&str> = s
                    .classes_of(&c.entity)
                    .filter(|x| x.id != c.id)
                    .map(|x| x.id.as_str())
                    .collect();
                self.reference(
                    path.key("converts_into").key("class"),
                    "share class of the same entity",
                    &conv.class,
                    others.contains(&conv.class.as_str()),
                    || others,
                );
            }
        }
        // Holdings in force at the start cannot exceed the shares outstanding.
        for (k, c) in s.share_class.iter().enumerate() {
            let sole = s.classes_of(&c.entity).count() == 1;
            let held: Decimal = s
                .interests_in(&c.entity)
                .filter(|i| {
                    i.kind == InterestType::Shareholding
                        && i.end.is_none()
                        && (i.class.as_deref() == Some(c.id.as_str())
                            || (sole && i.class.is_none()))
                })
                .filter_map(|i| i.units)
                .sum();
            if held > c.outstanding() {
                self.err(
                    Path::item("share_class", k).key("issued"),
                    format!(
                        "the holdings of class `{}` add up to {held} shares, more than the {} outstanding",
                        c.id,
                        c.outstanding()
                    ),
                    Some("check the holdings' units, and the class's issued and treasury counts".into()),
                );
            }
        }
    }

    /// Shareholdings stated as shares of an entity add up to at most 100% on
    /// every date: each counts (at its lowest, for a range) from its start
    /// to its end, an event that ends it, or the day its holder or the
    /// entity ceases to exist, as the state on each date has it. One sweep
    /// over the dates, so that a register of many holdings is checked in
    /// n log n.
    fn shares_within_whole(&mut self) {
        let s = self.s;
        let mut ended: HashMap<&str, chrono::NaiveDate> = HashMap::new();
        for e in &s.event {
            if e.act == ActKind::EndInterest
                && let Some(id) = &e.interest_id
            {
                ended.entry(id.as_str()).or_insert(e.date);
            }
        }
        let life = |id: &str| {
            s.party(id)
                .map_or((None, None), |p| (p.founded, p.dissolved))
        };
        // Per entity: (date, change, the interest's path), None as the
        // earliest date.
        type Change = (Option<chrono::NaiveDate>, Decimal, Path);
        let mut changes: BTreeMap<&str, Vec<Change>> = BTreeMap::new();
        let declared = s
            .interest
            .iter()
            .enumerate()
            .map(|(k, i)| (i, i.start, Path::item("interest", k)));
        let issued = s.event.iter().enumerate().filter_map(|(k, e)| {
            let i = e.interest.as_deref()?;
            Some((
                i,
                i.start.or(Some(e.date)),
                Path::item("event", k).key("interest"),
            ))
        });
        // An indirect interest stands for its components (BODS
        // componentRecords): those are not counted beside it.
        let components: HashSet<&str> = s
            .interest
            .iter()
            .chain(s.event.iter().filter_map(|e| e.interest.as_deref()))
            .flat_map(|i| i.via.iter().map(String::as_str))
            .collect();
        for (i, start, path) in declared.chain(issued) {
            let (Some(share), Some(h)) = (i.share.as_ref().and_then(|x| x.lower()), &i.holder)
            else {
                continue;
            };
            if components.contains(i.id.as_str()) {
                continue;
            }
            if i.kind != InterestType::Shareholding || share <= Decimal::ZERO {
                continue;
            }
            let (hf, hd) = life(h);
            let (sf, sd) = life(&i.subject);
            let from = [start, hf, sf].into_iter().flatten().max();
            let until = [i.end, ended.get(i.id.as_str()).copied(), hd, sd]
                .into_iter()
                .flatten()
                .min();
            if until.is_some_and(|u| from.is_some_and(|f| u <= f)) {
                continue;
            }
            let list = changes.entry(i.subject.as_str()).or_default();
            list.push((from, share, path.clone()));
            if let Some(u) = until {
                list.push((Some(u), -share, path));
            }
        }
        for (entity, mut list) in changes {
            // On a date, what ends goes before what starts.
            list.sort_by_key(|c| (c.0, c.1));
            let mut total = Decimal::ZERO;
            let mut k = 0;
            while k < list.len() {
                let date = list[k].0;
                let mut last_added = None;
                while k < list.len() && list[k].0 == date {
                    total += list[k].1;
                    if list[k].1 > Decimal::ZERO {
                        last_added = Some(k);
                    }
                    k += 1;
                }
                if total > Decimal::ONE_HUNDRED
                    && let Some(at) = last_added
                {
                    // A warning, not an error: registers' own records
                    // overlap so (BODS's official Tecido example holds
                    // 110% for two days, between two statements' dates).
                    // Figures that add holdings up refuse such a date.
                    let when =
                        date.map_or_else(|| "from the start".to_string(), |d| format!("on {d}"));
                    self.out.push(
                        Diagnostic::warning(
                            list[at].2.key("share"),
                            format!(
                                "the shareholdings in `{entity}` add up to {}% {when}, more than all of it; `lookthrough` refuses that date",
                                total.normalize()
                            ),
                        )
                        .hint("check the shares: an ended holding without its `end`, treasury shares and indirect holdings counted beside their components are common causes"),
                    );
                    break;
                }
            }
        }
    }

    /// A body's rights to fill its seats: who, how many, when, and who sits
    /// in them at the start.
    fn seat_rights(&mut self, b: &Body, path: &Path) {
        if b.appointments.is_empty() {
            return;
        }
        if b.kind.is_holder_body() {
            self.err(
                path.key("appointments"),
                format!("`{}` is a body of holders: it has no seats to fill", b.id),
                Some("give `appointments` on the board whose seats are filled".into()),
            );
            return;
        }
        for (k, r) in b.appointments.iter().enumerate() {
            let at = path.key("appointments").index(k);
            self.actor_ref(at.key("by"), &r.by);
            self.source_ref(at.key("source"), &r.source);
            if r.seats == 0 {
                self.err(
                    at.key("seats"),
                    "a right to fill no seat".into(),
                    Some("give the number of seats the right fills, 1 or more".into()),
                );
            }
            if let (Some(f), Some(u)) = (r.from, r.until)
                && u <= f
            {
                self.err(
                    at.key("until"),
                    format!("the right ends on {u}, not after it starts on {f}"),
                    Some("`until` is the first day the right no longer applies".into()),
                );
            }
            if r.filled_with.len() as u32 > r.seats {
                self.err(
                    at.key("filled_with"),
                    format!(
                        "{} members fill a right to {} seat(s)",
                        r.filled_with.len(),
                        r.seats
                    ),
                    Some("list at most as many members as the right has seats".into()),
                );
            }
            for (j, m) in r.filled_with.iter().enumerate() {
                if !b.members.contains(m) {
                    self.err(
                        at.key("filled_with").index(j),
                        format!("`{m}` is not among the members of `{}`", b.id),
                        Some("list the body's initial members in `members` first".into()),
                    );
                }
            }
        }
        // On no date may the rights fill more seats than the body has.
        if let Some(n) = b.seats {
            let mut dates: Vec<Option<chrono::NaiveDate>> = vec![None];
            dates.extend(b.appointments.iter().filter_map(|r| r.from).map(Some));
            for d in dates {
                let live = |r: &&crate::model::SeatRight| {
                    r.after.is_none()
                        && r.from.is_none_or(|f| d.is_some_and(|d| f <= d))
                        && r.until.is_none_or(|u| d.is_none_or(|d| d < u))
                };
                let total: u32 = b.appointments.iter().filter(live).map(|r| r.seats).sum();
                if total > n {
                    let when = d
                        .map(|d| format!("from {d}"))
                        .unwrap_or_else(|| "at the start".into());
                    self.err(
                        path.key("appointments"),
                        format!(
                            "{when}, the rights fill {total} seats of `{}`, which has {n}",
                            b.id
                        ),
                        Some("end one right (`until`) where the next begins".into()),
                    );
                    break;
                }
            }
        }
    }

    fn bodies(&mut self) {
        for (i, b) in self.s.body.iter().enumerate() {
            let path = Path::item("body", i);
            self.entity_ref(path.key("entity"), &b.entity);
            self.seat_rights(b, &path);
            if let Some(f) = &b.filled_by {
                self.actor_ref(path.key("filled_by"), f);
            }
            let mut seen = BTreeSet::new();
            for (j, m) in b.members.iter().enumerate() {
                self.person_ref(path.key("members").index(j), m);
                if !seen.insert(m) {
                    self.err(
                        path.key("members").index(j),
                        format!("`{m}` is listed twice"),
                        Some("a member holds one seat; remove the repeat".into()),
                    );
                }
            }
            if b.kind.is_holder_body() && !b.members.is_empty() {
                self.err(
                    path.key("members"),
                    format!("a `{}` body takes its members from interests", kind_code(b)),
                    Some("remove `members`, and give voting interests with `units` instead".into()),
                );
            }
            if let Some(seats) = b.seats {
                if seats == 0 {
                    self.err(
                        path.key("seats"),
                        "a body needs at least one seat".into(),
                        Some(SEATS_HINT.into()),
                    );
                } else if b.members.len() > seats as usize {
                    self.err(
                        path.key("members"),
                        format!(
                            "{} members listed, but the body has {seats} seats",
                            b.members.len()
                        ),
                        Some("raise `seats` or remove members".into()),
                    );
                }
            }
            if let Some(c) = &b.chair
                && !b.members.contains(c)
            {
                self.err(
                    path.key("chair"),
                    format!("the chair `{c}` is not a member of `{}`", b.id),
                    Some("add the chair to `members`".into()),
                );
            }
            self.source_ref(path.key("source"), &b.source);
        }
    }

    fn offices(&mut self) {
        for (i, o) in self.s.office.iter().enumerate() {
            let path = Path::item("office", i);
            self.entity_ref(path.key("entity"), &o.entity);
            if let Some(f) = &o.filled_by {
                self.actor_ref(path.key("filled_by"), f);
            }
            if let Some(h) = &o.holder {
                self.person_ref(path.key("holder"), h);
            }
            self.source_ref(path.key("source"), &o.source);
        }
    }

    fn rule(&mut self, r: &Rule, path: &Path) {
        let body = self.body_ref(path.key("body"), &r.body);
        for (j, who) in r.ineligible.iter().enumerate() {
            if who != "subject" {
                self.party_ref(path.key("ineligible").index(j), who);
            }
        }
        self.source_ref(path.key("source"), &r.source);
        let holders = |b: Option<&Body>| b.is_some_and(|b| b.kind.is_holder_body());
        let capital_on_seats = |q: Option<crate::quota::Quota>, b: Option<&Body>| {
            q.and_then(|q| q.base()).is_some_and(|x| x.is_capital()) && !holders(b)
        };
        if capital_on_seats(Some(r.threshold), body) || capital_on_seats(r.quorum, body) {
            self.err(
                path.key("threshold"),
                format!("`{}` counts seats, not capital", r.body),
                Some(
                    "capital-represented and capital-outstanding are for holders' meetings".into(),
                ),
            );
        }
        for (group, list) in [("all", &r.all), ("any", &r.any)] {
            for (j, c) in list.iter().enumerate() {
                let p = path.key(group).index(j);
                let target = match &c.body {
                    Some(b) => self.body_ref(p.key("body"), b),
                    None => body,
                };
                if let Some(who) = &c.consent_of {
                    self.actor_ref(p.key("consent_of"), who);
                }
                match (c.threshold, &c.consent_of) {
                    (None, None) => self.err(
                        p.clone(),
                        "a condition needs a `threshold` or `consent_of`".into(),
                        Some("such as `threshold = \"majority of capital-represented\"`".into()),
                    ),
                    (Some(_), Some(_)) => self.err(
                        p.clone(),
                        "a condition is either a `threshold` or a `consent_of`, not both".into(),
                        Some("write them as two conditions".into()),
                    ),
                    _ => {}
                }
                if capital_on_seats(c.threshold, target) {
                    self.err(
                        p.key("threshold"),
                        "this condition counts capital on a body of seats".into(),
                        Some(
                            "capital-represented and capital-outstanding are for holders' meetings"
                                .into(),
                        ),
                    );
                }
            }
        }
    }

    fn share_ok(&mut self, path: &Path, interest: &Interest) {
        let Some(share) = &interest.share else { return };
        let hundred = Decimal::ONE_HUNDRED;
        for (name, value) in share.bounds() {
            if let Some(v) = value
                && (v < Decimal::ZERO || v > hundred)
            {
                self.out.push(
                    Diagnostic::error(
                        path.key("share").key(name),
                        format!("share {name} of {v}% is out of range"),
                    )
                    .expected("a percentage from 0 to 100")
                    .hint("shares are written in percent: 49 means 49%"),
                );
            }
        }
        // Both bounds of one side: the stricter counts (`Share::lower_of`),
        // and the file is told so.
        for (name, both, counts) in [
            (
                "minimum",
                share.minimum.zip(share.exclusive_minimum),
                crate::Share::lower_of(share.minimum, share.exclusive_minimum),
            ),
            (
                "maximum",
                share.maximum.zip(share.exclusive_maximum),
                crate::Share::upper_of(share.maximum, share.exclusive_maximum),
            ),
        ] {
            if let (Some((m, x)), Some((bound, open))) = (both, counts) {
                let reading = match (name, open) {
                    ("minimum", true) => format!("more than {bound}%"),
                    ("minimum", false) => format!("at least {bound}%"),
                    (_, true) => format!("less than {bound}%"),
                    (_, false) => format!("at most {bound}%"),
                };
                self.out.push(
                    Diagnostic::warning(
                        path.key("share"),
                        format!(
                            "both `{name}` ({m}%) and `exclusive_{name}` ({x}%) are given; both hold, so the share is {reading}"
                        ),
                    )
                    .hint(format!("keep one of `{name}` and `exclusive_{name}`")),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (share.lower(), share.upper())
            && lo > hi
        {
            self.err(
                path.key("share"),
                format!("the share's minimum {lo}% is above its maximum {hi}%"),
                Some("swap the bounds".into()),
            );
        }
        if share.exact.is_some()
            && [
                share.minimum,
                share.maximum,
                share.exclusive_minimum,
                share.exclusive_maximum,
            ]
            .iter()
            .any(Option::is_some)
        {
            self.err(
                path.key("share"),
                "a share is either exact or a range, not both".into(),
                Some("keep `exact`, or keep the bounds".into()),
            );
        }
    }

    fn interest(&mut self, interest: &Interest, path: &Path) {
        self.entity_ref(path.key("subject"), &interest.subject);
        match (&interest.holder, &interest.unspecified) {
            (Some(h), None) => {
                self.party_ref(path.key("holder"), h);
            }
            (None, Some(_)) => {}
            (Some(_), Some(_)) => self.err(
                path.key("unspecified"),
                "an interest has a holder or an unspecified reason, not both".into(),
                Some("remove `unspecified`, or remove `holder`".into()),
            ),
            (None, None) => self.err(
                path.clone(),
                format!("interest `{}` has no holder", interest.id),
                Some("give `holder`, or `unspecified = { reason = \"unknown\" }`".into()),
            ),
        }
        if interest.beneficial_ownership_or_control == Some(true)
            && let Some(h) = &interest.holder
            && self.s.party(h).is_some_and(|p| !p.kind.is_person())
        {
            self.out.push(
                Diagnostic::warning(
                    path.key("beneficial_ownership_or_control"),
                    format!("`{h}` is not a person, so it cannot be a beneficial owner"),
                )
                .hint("BODS reserves the flag for natural persons; leave it out for entities"),
            );
        }
        if let Some(v) = &interest.voted_by {
            self.actor_ref(path.key("voted_by"), v);
        }
        let classes: Vec<&str> = self
            .s
            .classes_of(&interest.subject)
            .map(|c| c.id.as_str())
            .collect();
        if let Some(k) = &interest.class
            && !classes.is_empty()
        {
            self.reference(
                path.key("class"),
                "share class of the subject",
                k,
                classes.contains(&k.as_str()),
                || classes.clone(),
            );
        } else if interest.class.is_none()
            && classes.len() > 1
            && interest.units.is_some()
            && matches!(
                interest.kind,
                InterestType::Shareholding | InterestType::VotingRights
            )
        {
            self.err(
                path.key("class"),
                format!(
                    "`{}` has {} share classes; which does this holding belong to?",
                    interest.subject,
                    classes.len()
                ),
                Some(format!("name one: `class = \"{}\"`", classes[0])),
            );
        }
        if interest.holder.as_deref() == Some(interest.subject.as_str()) {
            self.err(
                path.key("holder"),
                format!("`{}` cannot hold an interest in itself", interest.subject),
                None,
            );
        }
        self.share_ok(path, interest);
        for (name, v) in [
            ("units", interest.units),
            ("votes_per_unit", interest.votes_per_unit),
        ] {
            if let Some(v) = v
                && v < Decimal::ZERO
            {
                self.out.push(
                    Diagnostic::error(path.key(name), format!("`{name}` is negative: {v}"))
                        .expected("zero or more"),
                );
            }
        }
        if let (Some(units), Some(per)) = (
            interest.units,
            interest.votes_per_unit.or(Some(Decimal::ONE)),
        ) && (units * per).fract() != Decimal::ZERO
            && self
                .s
                .body
                .iter()
                .any(|b| b.kind.is_holder_body() && b.entity == interest.subject)
        {
            self.out.push(
                Diagnostic::error(
                    path.key("units"),
                    format!("{units} units × {per} votes per unit is not a whole number of votes"),
                )
                .hint("votes in a holder body are counted in whole votes"),
            );
        }
        if let (Some(st), Some(en)) = (interest.start, interest.end)
            && st > en
        {
            self.err(
                path.key("end"),
                format!("the interest ends ({en}) before it starts ({st})"),
                Some("check the dates".into()),
            );
        }
        let s = self.s;
        for (j, v) in interest.via.iter().enumerate() {
            self.reference(
                path.key("via").index(j),
                "interest",
                v,
                s.interest(v).is_some(),
                || all_interest_ids(s),
            );
        }
        self.source_ref(path.key("source"), &interest.source);
    }

    fn events(&mut self) {
        let s = self.s;
        let mut meetings: BTreeMap<&str, (usize, chrono::NaiveDate)> = BTreeMap::new();
        let mut last_date = None;
        // Members each seat-based body ever has: initial members and appointees.
        let mut ever: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for b in &s.body {
            ever.entry(b.id.as_str())
                .or_default()
                .extend(b.members.iter().map(String::as_str));
        }
        for e in &s.event {
            if e.act == ActKind::Appoint
                && e.office.is_none()
                && e.role.is_none()
                && let (Some(b), Some(p)) = (&e.body, &e.person)
            {
                ever.entry(b.as_str()).or_default().insert(p.as_str());
            }
        }
        let mut ever_held: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for o in &s.office {
            if let Some(h) = &o.holder {
                ever_held
                    .entry(o.id.as_str())
                    .or_default()
                    .insert(h.as_str());
            }
        }
        let mut history_broken = false;
        for (i, e) in s.event.iter().enumerate() {
            let path = Path::item("event", i);
            if let Some(prev) = last_date
                && e.date < prev
            {
                self.err(
                    path.key("date"),
                    format!(
                        "events are out of order: {} comes after an event dated {prev}",
                        e.date
                    ),
                    Some(
                        "list events in date order; events on the same date keep file order".into(),
                    ),
                );
            }
            last_date = Some(last_date.map_or(e.date, |p: chrono::NaiveDate| p.max(e.date)));
            if let Some(id) = &e.id {
                self.check_id_text(id, &path.key("id"));
            }
            self.source_ref(path.key("source"), &e.source);
            let needs = |field: &str, present: bool, out: &mut Vec<Diagnostic>| {
                if !present {
                    out.push(
                        Diagnostic::error(
                            path.clone(),
                            format!("a `{}` event needs `{field}`", act_code(e.act)),
                        )
                        .hint(format!("add `{field} = ...` to this event")),
                    );
                }
            };
            let mut out = Vec::new();
            match e.act {
                ActKind::Meeting => {
                    needs("id", e.id.is_some(), &mut out);
                    needs("body", e.body.is_some(), &mut out);
                }
                ActKind::Appoint | ActKind::Remove | ActKind::Resign => {
                    needs("person", e.person.is_some(), &mut out);
                    if e.office.is_none() && e.body.is_none() {
                        out.push(
                            Diagnostic::error(
                                path.clone(),
                                format!("a `{}` event needs `office` or `body`", act_code(e.act)),
                            )
                            .hint("name the office (`office = \"ceo\"`) or the body (`body = \"board\"`)"),
                        );
                    }
                    if e.office.is_some() && e.body.is_some() {
                        out.push(
                            Diagnostic::error(
                                path.key("body"),
                                "give `office` or `body`, not both",
                            )
                            .hint("split this into two events"),
                        );
                    }
                    if e.role == Some(Role::Chair) && e.body.is_none() {
                        out.push(
                            Diagnostic::error(
                                path.key("role"),
                                "a role needs the `body` it is held on",
                            )
                            .hint("add `body = ...`"),
                        );
                    }
                }
                ActKind::Issue => needs("interest", e.interest.is_some(), &mut out),
                ActKind::Transfer => {
                    needs("interest_id", e.interest_id.is_some(), &mut out);
                    needs("to", e.to.is_some(), &mut out);
                }
                ActKind::EndInterest => needs("interest_id", e.interest_id.is_some(), &mut out),
                ActKind::AmendRule => needs("rule", e.rule.is_some(), &mut out),
                ActKind::Declare => {
                    needs("declaration", e.declaration.is_some(), &mut out);
                    needs("by", e.by.is_some(), &mut out);
                }
            }
            self.out.extend(out);
            let person_known = e.person.as_ref().is_none_or(|p| self.s.party(p).is_some());
            if e.act == ActKind::Appoint && !person_known {
                // Later checks of who held what would only echo this error.
                history_broken = true;
            }
            if let Some(p) = &e.person
                && self.person_ref(path.key("person"), p)
                && !s.party(p).is_some_and(|x| x.kind.is_person())
                && e.office.is_some()
            {
                self.err(
                    path.key("person"),
                    format!("`{p}` is not a person and cannot hold an office"),
                    None,
                );
            }
            if let Some(o) = &e.office
                && self.reference(
                    path.key("office"),
                    "office",
                    o,
                    s.office(o).is_some(),
                    || s.office.iter().map(|o| o.id.as_str()).collect(),
                )
                && let Some(p) = &e.person
            {
                if e.act == ActKind::Appoint {
                    ever_held.entry(o.as_str()).or_default().insert(p.as_str());
                } else if !self.unreadable.events
                    && !history_broken
                    && !ever_held
                        .get(o.as_str())
                        .is_some_and(|h| h.contains(p.as_str()))
                {
                    self.err(
                        path.key("person"),
                        format!("`{p}` never holds office `{o}` before this event"),
                        Some(format!(
                            "set `holder = \"{p}\"` on the office, or appoint them first"
                        )),
                    );
                }
            }
            let body = e
                .body
                .as_deref()
                .and_then(|b| self.body_ref(path.key("body"), b));
            if let (Some(b), Some(p), ActKind::Remove | ActKind::Resign) = (body, &e.person, e.act)
                && e.role.is_none()
                && !b.kind.is_holder_body()
                && !self.unreadable.events
                && !history_broken
                && !ever
                    .get(b.id.as_str())
                    .is_some_and(|m| m.contains(p.as_str()))
            {
                self.err(
                    path.key("person"),
                    format!("`{p}` is never a member of `{}`", b.id),
                    Some(format!(
                        "add `{p}` to the body's `members`, or appoint them first"
                    )),
                );
            }
            if let Some(by) = &e.by {
                self.actor_ref(path.key("by"), by);
            }
            if let Some(to) = &e.to {
                self.party_ref(path.key("to"), to);
            }
            if let Some(m) = &e.meeting {
                match meetings.get(m.as_str()) {
                    None if self.unreadable.ids.contains(m) => {}
                    None => self.err(
                        path.key("meeting"),
                        format!("no earlier meeting has id `{m}`"),
                        Some(
                            "add an `act = \"meeting\"` event with this id before the resolutions"
                                .into(),
                        ),
                    ),
                    Some((_, mdate)) if *mdate != e.date => self.err(
                        path.key("meeting"),
                        format!(
                            "meeting `{m}` was held on {mdate}, but this act is dated {}",
                            e.date
                        ),
                        Some("date the act on the day of the meeting".into()),
                    ),
                    _ => {}
                }
                if e.consent.is_some() {
                    self.err(
                        path.key("consent"),
                        "an act is taken at a meeting or by written consent, not both".into(),
                        None,
                    );
                }
                // Voters must be members of the meeting body at some point.
                let mbody = meetings
                    .get(m.as_str())
                    .and_then(|(mi, _)| s.event.get(*mi))
                    .and_then(|me| me.body.as_deref());
                for (field, list) in [
                    ("for", &e.votes_for),
                    ("against", &e.against),
                    ("abstain", &e.abstain),
                ] {
                    for (j, p) in list.iter().enumerate() {
                        if !self.party_ref(path.key(field).index(j), p) {
                            continue;
                        }
                        if let Some(mb) = mbody
                            && !self.unreadable.events
                            && !history_broken
                            && let Some(body) = s.body(mb)
                            && !body.kind.is_holder_body()
                            && !ever.get(mb).is_some_and(|m| m.contains(p.as_str()))
                        {
                            self.err(
                                path.key(field).index(j),
                                format!("`{p}` votes but is never a member of `{mb}`"),
                                Some("only members of the body vote; check the id".into()),
                            );
                        }
                    }
                }
            } else if !e.votes_for.is_empty() || !e.against.is_empty() {
                self.err(
                    path.key("for"),
                    "ballots are recorded, but no `meeting` is named".into(),
                    Some("name the meeting the vote was taken at".into()),
                );
            }
            if let Some(c) = &e.consent {
                for (j, p) in c.iter().enumerate() {
                    self.party_ref(path.key("consent").index(j), p);
                }
            }
            if e.act == ActKind::Meeting {
                if let Some(id) = &e.id {
                    meetings.insert(id.as_str(), (i, e.date));
                }
                for (field, list) in [
                    ("present", e.present.as_ref()),
                    ("notified", e.notified.as_ref()),
                ] {
                    for (j, p) in list.into_iter().flatten().enumerate() {
                        if !self.party_ref(path.key(field).index(j), p) {
                            continue;
                        }
                        if let Some(b) = body
                            && !self.unreadable.events
                            && !history_broken
                            && !b.kind.is_holder_body()
                            && !ever
                                .get(b.id.as_str())
                                .is_some_and(|m| m.contains(p.as_str()))
                        {
                            self.err(
                                path.key(field).index(j),
                                format!("`{p}` is never a member of `{}`", b.id),
                                Some("list members of the body only".into()),
                            );
                        }
                    }
                }
            }
            if let Some(interest) = &e.interest {
                self.interest(interest, &path.key("interest"));
            }
            if let Some(id) = &e.interest_id {
                self.reference(
                    path.key("interest_id"),
                    "interest",
                    id,
                    s.interest(id).is_some(),
                    || all_interest_ids(s),
                );
            }
            if let Some(r) = &e.rule {
                self.rule(r, &path.key("rule"));
            }
        }
    }

    /// Economic terms: compiled by the waterfall engine against the known
    /// parties, every error placed at the tier, cap or class it names.
    fn economics(&mut self) {
        let s = self.s;
        let known: BTreeSet<String> = s.party.iter().map(|p| p.id.clone()).collect();
        let context = boardroom_waterfall::Context {
            known_parties: Some(known),
            in_force: BTreeSet::new(),
            // Dividends accrue to a date; checking the terms needs one.
            on: s.scenario.as_of.or(Some(chrono::NaiveDate::MAX)),
        };
        for (i, terms) in s.economics.iter().enumerate() {
            let path = Path::item("economics", i);
            self.entity_ref(path.key("entity"), &terms.entity);
            self.source_ref(path.key("source"), &terms.source);
            if terms.is_ledger() {
                if let Err(errors) = boardroom_waterfall::ledger(terms, &context) {
                    for e in errors.0 {
                        let at = economics_path(&path, terms, Some(e.location()));
                        let mut d = Diagnostic::error(at, e.to_string());
                        d.hint = Some(e.hint());
                        self.out.push(d);
                    }
                }
                continue;
            }
            let errors = match boardroom_waterfall::Waterfall::new(terms, &context) {
                Ok(w) => {
                    // A tier no amount reaches is a warning, not a silent zero.
                    for tier in w.idle_tiers() {
                        let at = economics_path(
                            &path,
                            terms,
                            Some(&boardroom_waterfall::Location::Tier(tier.clone())),
                        );
                        self.out.push(
                            Diagnostic::warning(
                                at,
                                format!(
                                    "tier `{tier}` never receives money, whatever the amount: the tiers before it never end"
                                ),
                            )
                            .hint("end an earlier tier (`until_received` or `size`) or cap its parties, or remove this tier"),
                        );
                    }
                    continue;
                }
                Err(errors) => errors,
            };
            for e in errors.0 {
                let at = economics_path(&path, terms, Some(e.location()));
                let mut d = Diagnostic::error(at, e.to_string());
                d.hint = Some(e.hint());
                self.out.push(d);
            }
        }
    }

    fn variants(&mut self) {
        for (i, v) in self.s.variant.iter().enumerate() {
            let path = Path::item("variant", i);
            for (j, r) in v.rule.iter().enumerate() {
                self.rule(r, &path.key("rule").index(j));
            }
            for (j, seat) in v.seats.iter().enumerate() {
                let at = path.key("seats").index(j);
                self.body_ref(at.key("body"), &seat.body);
                // The same checks as a body's own `seats`.
                if seat.seats == 0 {
                    self.err(
                        at.key("seats"),
                        "a body needs at least one seat".into(),
                        Some(SEATS_HINT.into()),
                    );
                } else if let Some(b) = self.s.body(&seat.body)
                    && b.members.len() > seat.seats as usize
                {
                    self.err(
                        at.key("seats"),
                        format!(
                            "{} members listed for {}, but the variant gives it {} seats",
                            b.members.len(),
                            b.name,
                            seat.seats
                        ),
                        Some("raise `seats`, or change the body's members in the variant".into()),
                    );
                }
            }
        }
    }

    fn questions(&mut self) {
        let s = self.s;
        for (i, id) in s.scenario.sources.iter().enumerate() {
            let path = Path(vec![
                crate::diagnostic::Seg::Key("scenario".into()),
                crate::diagnostic::Seg::Key("sources".into()),
                crate::diagnostic::Seg::Index(i),
            ]);
            self.source_ref(path, &Some(id.clone()));
        }
        for (i, q) in s.scenario.power.iter().enumerate() {
            let path = Path(vec![
                crate::diagnostic::Seg::Key("scenario".into()),
                crate::diagnostic::Seg::Key("power".into()),
                crate::diagnostic::Seg::Index(i),
            ]);
            self.body_ref(path.key("body"), &q.body);
            if let Some(p) = &q.subject {
                self.party_ref(path.key("subject"), p);
            }
            for (j, p) in q.group.iter().enumerate() {
                self.party_ref(path.key("group").index(j), p);
            }
        }
        for (i, q) in s.scenario.question.iter().enumerate() {
            let path = Path(vec![
                crate::diagnostic::Seg::Key("scenario".into()),
                crate::diagnostic::Seg::Key("question".into()),
                crate::diagnostic::Seg::Index(i),
            ]);
            let ids: Vec<&str> = s.event.iter().filter_map(|e| e.id.as_deref()).collect();
            self.reference(
                path.key("event"),
                "event",
                &q.event,
                ids.contains(&q.event.as_str()),
                || ids,
            );
            for (j, p) in q.group.iter().enumerate() {
                self.party_ref(path.key("group").index(j), p);
            }
        }
    }
}

/// The path of the part of `terms` a waterfall error names.
fn economics_path(
    base: &Path,
    terms: &crate::model::EconomicTerms,
    at: Option<&boardroom_waterfall::Location>,
) -> Path {
    use boardroom_waterfall::Location as L;
    match at {
        Some(L::Tier(id)) => terms
            .tier
            .iter()
            .position(|t| &t.id == id)
            .map_or(base.key("tier"), |j| base.key("tier").index(j)),
        Some(L::Class(id)) => terms
            .class
            .iter()
            .position(|c| &c.id == id)
            .map_or(base.key("class"), |j| base.key("class").index(j)),
        Some(L::Cap(j)) => base.key("cap").index(*j),
        Some(L::Investment(j)) => base.key("investment").index(*j),
        Some(L::Paid(j)) => base.key("paid").index(*j),
        Some(L::Fund) => base.key("fund"),
        Some(L::Call(j)) => base.key("fund").key("call").index(*j),
        Some(L::Distribution(j)) => base.key("fund").key("distribution").index(*j),
        Some(L::Promote(j)) => base.key("fund").key("promote").index(*j),
        Some(L::Residual) => base.key("residual"),
        _ => base.clone(),
    }
}

/// The hint for a body with no seats.
const SEATS_HINT: &str = "give the number of seats the charter or bylaws fix, or leave `seats` out where it is not known (the members are then the seats)";

fn kind_code(b: &Body) -> &'static str {
    use crate::model::BodyKind::*;
    match b.kind {
        Board => "board",
        Committee => "committee",
        Members => "members",
        Shareholders => "shareholders",
        Class => "class",
    }
}

fn act_code(a: ActKind) -> &'static str {
    match a {
        ActKind::Meeting => "meeting",
        ActKind::Appoint => "appoint",
        ActKind::Remove => "remove",
        ActKind::Resign => "resign",
        ActKind::Issue => "issue",
        ActKind::Transfer => "transfer",
        ActKind::EndInterest => "end-interest",
        ActKind::AmendRule => "amend-rule",
        ActKind::Declare => "declare",
    }
}

/// The ids of every interest: declared, then issued by events.
fn all_interest_ids(s: &Structure) -> Vec<&str> {
    s.interest
        .iter()
        .map(|x| x.id.as_str())
        .chain(
            s.event
                .iter()
                .filter_map(|x| x.interest.as_ref().map(|i| i.id.as_str())),
        )
        .collect()
}
