//! Applies BODS statements in order (later statements about a record
//! replace earlier ones, `closed` removes the record) and builds the graph.
//!
//! Whether a relationship's interests are in force on a date is read by
//! [`boardroom::RecordHistory`], the same reading the BODS import uses;
//! whether a party controls its subject is decided by
//! [`boardroom::definition::controllers`], the same definition every
//! command uses, once all the relationships of the subject are known.

use crate::graph::{Graph, GraphBuilder, IdHash, Interner, NodeId, NodeKind, edge_flags};
use crate::paged::Paged;
use crate::share::ShareRange;
use crate::statement::{
    Body, Directness, Interest, InterestType, PartyRef, RecordStatus, Statement, is_economic,
};
use boardroom::RecordHistory;
use boardroom::definition::{self, Basis, Portion, Reading, RightKind, Stake};

/// How statements become edges.
#[derive(Clone, Debug, Default)]
pub struct RegisterOptions {
    /// The date (`YYYY-MM-DD`) the graph describes: the interests in force
    /// on that date, read from every statement's record history (see
    /// [`boardroom::RecordHistory`]), and the entities that exist on it.
    /// Without a date: the interests of each record's latest statement
    /// that have no `endDate`.
    pub as_of: Option<String>,
    /// Options of the definition of control (BODS's senior managing
    /// official fallback).
    pub control: definition::Options,
    /// The names of boards, by the id of the entity they manage, where
    /// the caller knows them (a structure's bodies: BODS has no statement
    /// for a board, and its members' seats are all it says). Otherwise a
    /// board is "Board of ENTITY", as [`boardroom::board_name`] names one.
    pub board_names: std::collections::BTreeMap<String, String>,
}

/// Something odd in the sequence of statements; the statement was still
/// applied where that made sense.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Line of the statement.
    pub line: u64,
    /// recordId of the statement.
    pub record_id: Box<str>,
    /// What was odd.
    pub message: String,
}

/// Counts of what was applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterReport {
    /// Statements applied, by record type: entity, person, relationship.
    pub statements: [u64; 3],
    /// Statements with status `updated` that replaced an earlier one.
    pub updates: u64,
    /// Statements with status `closed`.
    pub closures: u64,
    /// Relationships that became edges.
    pub edges: u64,
    /// Relationships with no interest in force (all ended): no edge.
    pub inactive_relationships: u64,
    /// Relationships dropped because a party or subject was closed.
    pub dangling_relationships: u64,
    /// Relationships in force that are neither ownership nor control (a
    /// director's seat, an office, a contract right): no edge.
    pub neither_relationships: u64,
    /// Boards that control their entity as a body.
    pub boards: u64,
    /// With a date: statements without a `statementDate`, read as made
    /// before every date (their interests count on any date asked about,
    /// and a closure closes its record on every date).
    pub undated: u64,
    /// The line of the first of them.
    pub first_undated_line: Option<u64>,
    /// All warnings, counted.
    pub warning_count: u64,
    /// The first 1000 warnings.
    pub warnings: Vec<Warning>,
}

impl RegisterReport {
    /// What the answer on `day` rests on where statements had no
    /// `statementDate`: how many, the first line, and how they were read.
    pub fn undated_note(&self, day: &str) -> Option<String> {
        let line = self.first_undated_line?;
        let (has, their) = if self.undated == 1 {
            ("statement has", "its")
        } else {
            ("statements have", "their")
        };
        Some(format!(
            "{} {has} no statementDate (the first on line {line}): read as made before {day}, so {their} interests count on it and a closure closes its record",
            self.undated
        ))
    }
}

/// How many statements ahead the ids to be looked up are asked of the
/// cache (twice as far ahead, the table slots).
const AHEAD: usize = 8;

/// The ids one statement looks up, hashed: its record's (among the nodes,
/// or the relationships), and a relationship's subject and party (a
/// record's own, for an entity or a person).
#[derive(Clone, Copy, Debug)]
struct Lookups {
    record: IdHash,
    subject: IdHash,
    party: Option<IdHash>,
}

/// No share: the interest is absent.
const NO_SHARE: u32 = u32::MAX;

/// What one relationship holds, as the graph and the definition of
/// control need it: shares interned in the register's table.
#[derive(Clone, Debug)]
struct RelData {
    subject: NodeId,
    party: NodeId,
    /// The ownership share, or `NO_SHARE` when no interest is economic.
    share: u32,
    /// What the definition of control reads, when the holder is not a
    /// person.
    control: ControlRead,
    /// What it reads when the holder is a person, where that differs (an
    /// interest marked `beneficialOwnershipOrControl: false`). Which one
    /// applies is decided in [`Register::finish`], when every record is
    /// known, so that the order of the statements in the file does not
    /// change who controls.
    if_person: Option<Box<ControlRead>>,
    /// `edge_flags::INDIRECT`, `COMPONENT`, `SUPERSEDED`, the control
    /// bits set by `finish`, and [`ACTIVE`].
    flags: u16,
    /// Line of the statement that set it, for warnings.
    line: u64,
    components: Option<Box<[u32]>>,
    /// The interest types other than economic ones that the data marks
    /// `beneficialOwnershipOrControl = true`, as bits of [`DECLARABLE`]
    /// (16 bits, with [`ACTIVE`] in `flags`, keep this at 64 bytes).
    declared: u16,
}

// A register holds millions of these: keep each at 64 bytes.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<RelData>() == 64);

/// A [`RelData`] flag beside [`edge_flags`] (whose bits 6 and 7 are free),
/// never given to an edge: some interest is in force.
const ACTIVE: u16 = 64;

/// The interest types [`RelData::declared`] keeps, by bit: every type that
/// is not economic (an economic one makes its holder an owner, shown as
/// one).
const DECLARABLE: [InterestType; 15] = {
    use InterestType::*;
    [
        VotingRights,
        AppointmentOfBoard,
        OtherInfluenceOrControl,
        SeniorManagingOfficial,
        Settlor,
        Trustee,
        Protector,
        RightsGrantedByContract,
        ConditionalRightsGrantedByContract,
        ControlViaCompanyRulesOrArticles,
        ControlByLegalFramework,
        BoardMember,
        BoardChair,
        Nominee,
        Nominator,
    ]
};

/// The bit of `kind` in [`RelData::declared`], if it has one.
fn declarable_bit(kind: InterestType) -> u16 {
    DECLARABLE
        .iter()
        .position(|k| *k == kind)
        .map_or(0, |i| 1 << i)
}

/// The interests of a relationship as the definition of control reads
/// them, shares interned in the register's table (`NO_SHARE` for none).
#[derive(Clone, Debug, PartialEq, Eq)]
struct ControlRead {
    /// Votes stated as `votingRights`.
    votes: u32,
    /// Capital (`shareholding`) that may carry votes.
    capital: u32,
    /// Board seats appointed (`appointmentOfBoard`).
    appoints: u32,
    right: Option<RightKind>,
    /// A seat on the subject's board.
    seat: bool,
    /// A senior managing official of the subject.
    senior_official: bool,
}

/// [`ControlRead`] being summed over a relationship's interests.
#[derive(Clone, Copy, Debug, Default)]
struct ControlSum {
    votes: Option<ShareRange>,
    capital: Option<ShareRange>,
    appoints: Option<ShareRange>,
    right: Option<RightKind>,
    seat: bool,
    senior_official: bool,
}

impl ControlSum {
    fn add(&mut self, i: &Interest, kind: InterestType) {
        let share = i.share.unwrap_or(ShareRange::UNKNOWN);
        let sum = |slot: &mut Option<ShareRange>, s: ShareRange| {
            *slot = Some(slot.map_or(s, |h| h.add(&s)));
        };
        match Reading::of(kind) {
            Reading::Votes => sum(&mut self.votes, share),
            Reading::Capital => sum(&mut self.capital, share),
            Reading::Appointment => sum(&mut self.appoints, i.share.unwrap_or(ShareRange::ONE)),
            Reading::Right(r) => self.right = Some(self.right.map_or(r, |q| q.min(r))),
            Reading::Seat => self.seat = true,
            Reading::SeniorOfficial => self.senior_official = true,
            Reading::NotControl => {}
        }
    }
}

/// A register being read: feed it statements in file order with
/// [`Register::apply`], then [`Register::finish`].
#[derive(Debug)]
pub struct Register {
    options: RegisterOptions,
    nodes: GraphBuilder,
    rel_ids: Interner,
    rels: Paged<Option<RelData>>,
    /// With a date: each relationship's history, as far as it is needed.
    histories: Vec<Option<Box<RecordHistory<Interest>>>>,
    /// With a date: entities that do not exist on it.
    absent: Vec<NodeId>,
    /// Trusts: their trustees act as their board.
    trusts: hashbrown::HashSet<NodeId, foldhash::fast::FixedState>,
    shares: Vec<ShareRange>,
    share_index: hashbrown::HashMap<crate::share::ShareBits, u32, foldhash::fast::FixedState>,
    report: RegisterReport,
}

impl Register {
    /// An empty register.
    pub fn new(options: RegisterOptions) -> Self {
        Register {
            options,
            nodes: GraphBuilder::new(),
            rel_ids: Interner::default(),
            rels: Paged::default(),
            histories: Vec::new(),
            absent: Vec::new(),
            trusts: hashbrown::HashSet::default(),
            shares: Vec::new(),
            share_index: hashbrown::HashMap::default(),
            report: RegisterReport::default(),
        }
    }

    fn warn(&mut self, line: u64, record_id: &str, message: String) {
        self.report.warning_count += 1;
        if self.report.warnings.len() < 1000 {
            self.report.warnings.push(Warning {
                line,
                record_id: record_id.into(),
                message,
            });
        }
    }

    fn intern(&mut self, share: ShareRange) -> u32 {
        let shares = &mut self.shares;
        *self.share_index.entry(share.bits()).or_insert_with(|| {
            shares.push(share);
            u32::try_from(shares.len() - 1).unwrap_or(NO_SHARE - 1)
        })
    }

    /// Whether a statement dated `date` has happened by the date asked
    /// about (always, without one).
    fn by_as_of(&self, date: Option<&str>) -> bool {
        match (&self.options.as_of, date) {
            (Some(d), Some(x)) => x <= d.as_str(),
            _ => true,
        }
    }

    /// The ids `st` looks up, hashed.
    fn lookups(&self, st: &Statement) -> Lookups {
        let ids = self.nodes.ids();
        match &st.body {
            Body::Relationship { subject, party, .. } => Lookups {
                record: ids.hash(&st.record_id),
                subject: ids.hash(subject),
                party: match party {
                    PartyRef::Record(id) => Some(ids.hash(id)),
                    PartyRef::Unspecified(_) => None,
                },
            },
            _ => {
                let h = ids.hash(&st.record_id);
                Lookups {
                    record: h,
                    subject: h,
                    party: None,
                }
            }
        }
    }

    /// Asks of the interners, for each id `st` looks up, what `ask` asks
    /// ([`Interner::prefetch_slot`], then [`Interner::prefetch_text`]).
    fn prefetch(&self, st: &Statement, l: &Lookups, ask: fn(&Interner, IdHash)) {
        let ids = self.nodes.ids();
        match st.body {
            Body::Relationship { .. } => {
                ask(&self.rel_ids, l.record);
                ask(ids, l.subject);
                if let Some(p) = l.party {
                    ask(ids, p);
                }
            }
            _ => ask(ids, l.record),
        }
    }

    /// Applies statements in order, skipping the ones that could not be
    /// read. Each statement looks up its ids among all those read before
    /// (random reads, on a large register out of the cache): knowing the
    /// statements to come, this asks the cache for them ahead of time.
    pub fn apply_all<E>(&mut self, items: &mut [Result<Statement, E>]) {
        let lookups: Vec<Option<Lookups>> = items
            .iter()
            .map(|it| it.as_ref().ok().map(|st| self.lookups(st)))
            .collect();
        for i in 0..items.len() {
            if let (Some(Ok(st)), Some(Some(l))) =
                (items.get(i + 2 * AHEAD), lookups.get(i + 2 * AHEAD))
            {
                self.prefetch(st, l, Interner::prefetch_slot);
            }
            if let (Some(Ok(st)), Some(Some(l))) = (items.get(i + AHEAD), lookups.get(i + AHEAD)) {
                self.prefetch(st, l, Interner::prefetch_text);
            }
            if let (Some(Ok(st)), Some(Some(l))) = (items.get_mut(i), lookups.get(i)) {
                self.apply_looked_up(st, l);
            }
        }
    }

    /// Applies one statement. What the graph keeps of it (its name) is
    /// moved out of it, not copied.
    pub fn apply(&mut self, st: &mut Statement) {
        let l = self.lookups(st);
        self.apply_looked_up(st, &l);
    }

    fn apply_looked_up(&mut self, st: &mut Statement, l: &Lookups) {
        if self.options.as_of.is_some() && st.date.is_none() {
            self.report.undated += 1;
            self.report.first_undated_line.get_or_insert(st.line);
        }
        match st.status {
            RecordStatus::Updated => self.report.updates += 1,
            RecordStatus::Closed => self.report.closures += 1,
            RecordStatus::New => {}
        }
        // The name moves into the graph rather than being copied.
        let name = match &mut st.body {
            Body::Entity { name, .. } | Body::Person { name, .. } => name.take(),
            Body::Relationship { .. } => None,
        };
        match &st.body {
            Body::Entity { unspecified, .. } | Body::Person { unspecified, .. } => {
                let person = matches!(st.body, Body::Person { .. });
                self.report.statements[usize::from(person)] += 1;
                let n = self.nodes.touch_hashed(&st.record_id, l.record);
                let known = self.nodes.kind(n);
                if st.status == RecordStatus::Updated && known == NodeKind::Undeclared {
                    let id: Box<str> = self.nodes.id(n).into();
                    self.warn(
                        st.line,
                        &id,
                        "`updated` statement for a record never declared".to_owned(),
                    );
                }
                if st.status == RecordStatus::Closed {
                    // With a date, a record closed after it still existed on it.
                    if self.by_as_of(st.date.as_deref()) {
                        self.nodes.set_kind(n, NodeKind::Closed);
                    }
                    return;
                }
                let kind = if person {
                    NodeKind::Person
                } else {
                    NodeKind::Entity
                };
                self.nodes.declare(n, kind, name);
                if let Some(reason) = unspecified {
                    self.nodes.set_reason(n, reason);
                }
                if let Body::Entity { trust: true, .. } = &st.body {
                    self.trusts.insert(n);
                }
                if let (
                    Some(d),
                    Body::Entity {
                        founded, dissolved, ..
                    },
                ) = (&self.options.as_of, &st.body)
                {
                    let before = founded.as_deref().is_some_and(|f| f > d.as_str());
                    let after = dissolved.as_deref().is_some_and(|x| x <= d.as_str());
                    if before || after {
                        self.absent.push(n);
                    }
                }
            }
            Body::Relationship {
                subject,
                party,
                interests,
                is_component,
                components,
            } => {
                self.report.statements[2] += 1;
                let (r, new) = self.rel_ids.intern_hashed(&st.record_id, l.record);
                if new {
                    self.rels.push(None);
                    if st.status == RecordStatus::Updated {
                        let id: Box<str> = self.rel_ids.resolve(r).into();
                        self.warn(
                            st.line,
                            &id,
                            "`updated` statement for a relationship never declared".to_owned(),
                        );
                    }
                }
                let closed = st.status == RecordStatus::Closed;
                let Some(as_of) = self.options.as_of.clone() else {
                    // The latest statement alone: interests without an end.
                    if closed {
                        self.rels[r as usize] = None;
                        return;
                    }
                    let current = || interests.iter().filter(|i| i.end.is_none());
                    let any = interests.is_empty() || current().next().is_some();
                    let data = self.edge_data(
                        (subject, l),
                        party,
                        current(),
                        interests.is_empty(),
                        any,
                        *is_component,
                        components,
                        st.line,
                    );
                    self.rels[r as usize] = Some(data);
                    return;
                };
                // With a date: the record's whole history.
                while self.histories.len() <= r as usize {
                    self.histories.push(None);
                }
                let history = self.histories[r as usize].get_or_insert_with(Box::default);
                let date: Box<str> = st.date.clone().unwrap_or_else(|| "".into());
                let day: Box<str> = as_of.as_str().into();
                history.push(&date, closed, interests, |x| x.on(&day));
                let in_force: Vec<Interest> = history.on(&day).cloned().collect();
                // A relationship stating no interest (an exempt listed
                // company, say) is in force from its statement on.
                let bare = interests.is_empty() && !closed && date <= day;
                let any = bare || !in_force.is_empty();
                let data = self.edge_data(
                    (subject, l),
                    party,
                    in_force.iter(),
                    bare,
                    any,
                    *is_component,
                    components,
                    st.line,
                );
                self.rels[r as usize] = Some(data);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn edge_data<'i>(
        &mut self,
        (subject, l): (&str, &Lookups),
        party: &PartyRef,
        interests: impl Iterator<Item = &'i Interest>,
        bare: bool,
        active: bool,
        is_component: bool,
        components: &[Box<str>],
        line: u64,
    ) -> RelData {
        let subject = self.nodes.touch_hashed(subject, l.subject);
        let party = match (party, l.party) {
            (PartyRef::Record(id), Some(h)) => self.nodes.touch_hashed(id, h),
            (PartyRef::Record(id), None) => self.nodes.touch(id),
            (PartyRef::Unspecified(reason), _) => self.nodes.unspecified(reason),
        };
        let mut flags = 0u16;
        let mut holding: Option<ShareRange> = None;
        let mut other_economic: Option<(ShareRange, Option<InterestType>)> = None;
        // The definition of control reads the same interests; one the data
        // marks `beneficialOwnershipOrControl = false` is not a person's
        // control, and whether the holder is a person is known only once
        // every record is read: both readings are kept where they differ.
        let mut control = ControlSum::default();
        let mut if_person = ControlSum::default();
        let mut flagged = false;
        let mut declared = 0u16;
        for i in interests {
            if i.directness == Directness::Indirect {
                flags |= edge_flags::INDIRECT;
            }
            let share = i.share.unwrap_or(ShareRange::UNKNOWN);
            match i.kind {
                Some(InterestType::Shareholding) => {
                    holding = Some(holding.map_or(share, |h| h.add(&share)));
                }
                k if is_economic(k) && other_economic.is_none() => {
                    other_economic = Some((share, k))
                }
                _ => {}
            }
            let Some(kind) = i.kind else { continue };
            if i.beneficial == Some(true) {
                declared |= declarable_bit(kind);
            }
            control.add(i, kind);
            if definition::marked_not_control(i.beneficial, true) {
                flagged = true;
            } else {
                if_person.add(i, kind);
            }
        }
        if bare {
            other_economic = Some((ShareRange::UNKNOWN, None));
        }
        let economic = match (holding, other_economic) {
            (Some(h), _) => Some((h, Some(InterestType::Shareholding))),
            (None, o) => o,
        };
        if let Some((_, kind)) = economic {
            flags |= edge_flags::share_kind(kind);
        }
        if is_component {
            flags |= edge_flags::COMPONENT;
        }
        let components = if components.is_empty() {
            None
        } else {
            Some(
                components
                    .iter()
                    .map(|c| self.rel_ids.intern(c).0)
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            )
        };
        while self.rels.len() < self.rel_ids.len() {
            self.rels.push(None);
        }
        let mut intern = |s: Option<ShareRange>| s.map_or(NO_SHARE, |s| self.intern(s));
        let mut read = |c: ControlSum| ControlRead {
            votes: intern(c.votes),
            capital: intern(c.capital),
            appoints: intern(c.appoints),
            right: c.right,
            seat: c.seat,
            senior_official: c.senior_official,
        };
        let control_read = read(control);
        let if_person = flagged.then(|| Box::new(read(if_person)));
        RelData {
            subject,
            party,
            share: intern(economic.map(|(s, _)| s)),
            control: control_read,
            if_person,
            flags: flags | if active { ACTIVE } else { 0 },
            components,
            line,
            declared,
        }
    }
}

/// The definition of control's reading of what `rel` holds, its holder
/// a person or not.
fn stake(shares: &[ShareRange], rel: &RelData, person: bool) -> Stake {
    // An unknown share's range is still a true bound.
    let portion = |i: u32| {
        shares.get(i as usize).map(|s| Portion {
            lo: s.lo,
            lo_open: s.lo_open,
            hi: s.hi,
            hi_open: s.hi_open,
        })
    };
    let read = match &rel.if_person {
        Some(p) if person => p,
        _ => &rel.control,
    };
    Stake {
        votes: portion(read.votes),
        voting_capital: portion(read.capital),
        appoints: portion(read.appoints),
        right: read.right,
        seat: read.seat,
        senior_official: read.senior_official,
    }
}

/// Says which stated shares of `subject` add up to more than the whole,
/// party by party, and what follows: no majority among them is certain.
fn overfull_message(
    gb: &GraphBuilder,
    subject: NodeId,
    stakes: &[(NodeId, Stake)],
    over: definition::Overfull,
    options: &RegisterOptions,
) -> String {
    let pct = |p: &Portion| {
        format!(
            "{}%",
            (p.lo * rust_decimal::Decimal::ONE_HUNDRED).normalize()
        )
    };
    let list = |f: fn(&Stake) -> Option<Portion>| {
        stakes
            .iter()
            .filter_map(|(p, s)| f(s).map(|v| format!("`{}` {}", gb.id(*p), pct(&v))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut kinds = Vec::new();
    if over.votes {
        kinds.push(format!("votes ({})", list(|s| s.votes)));
    }
    if over.capital {
        kinds.push(format!("shares ({})", list(|s| s.voting_capital)));
    }
    let when = match &options.as_of {
        Some(d) => format!("in force on {d}"),
        None => "in force".to_owned(),
    };
    format!(
        "the {} {when} for `{}` add up to more than 100%: the statements contradict one another (one may have ended before its closing statement says), so no majority among them is certain; each is shown as stated, as a possible controller",
        kinds.join(" and the "),
        gb.id(subject)
    )
}

impl Register {
    /// Builds the graph of the records still open (with a date: in force
    /// on it): an edge per relationship that is ownership or control, the
    /// control found per subject by the definition of control, and a body
    /// node for each board that controls its entity.
    pub fn finish(self) -> (Graph, RegisterReport) {
        let Register {
            nodes: mut gb,
            rel_ids,
            mut rels,
            absent,
            trusts,
            shares,
            options,
            mut report,
            ..
        } = self;
        let absent: hashbrown::HashSet<NodeId, foldhash::fast::FixedState> =
            absent.into_iter().collect();
        for &n in &absent {
            gb.set_kind(n, NodeKind::Closed);
        }
        // Components superseded by an indirect summary with the same subject.
        let mut superseded: Vec<u32> = Vec::new();
        for rel in rels.iter().flatten() {
            if let Some(cs) = &rel.components {
                for &c in cs.iter() {
                    if let Some(Some(comp)) = rels.get(c as usize)
                        && comp.subject == rel.subject
                    {
                        superseded.push(c);
                    }
                }
            }
        }
        for c in superseded {
            if let Some(Some(r)) = rels.get_mut(c as usize) {
                r.flags |= edge_flags::SUPERSEDED;
            }
        }
        // The relationships in force between parties that exist, grouped
        // by subject (a counting sort), for the definition of control.
        let mut live: Vec<u32> = Vec::new();
        for (i, rel) in rels.iter().enumerate() {
            let Some(rel) = rel else { continue };
            if rel.flags & ACTIVE == 0 {
                report.inactive_relationships += 1;
            } else if gb.kind(rel.subject) == NodeKind::Closed
                || gb.kind(rel.party) == NodeKind::Closed
            {
                // In force, but naming a party that is gone: left out,
                // and said, for the interests it held in an entity that
                // is still there go with it. (A subject that is gone takes
                // its holders with it: nothing of it is reported.)
                report.dangling_relationships += 1;
                if gb.kind(rel.subject) != NodeKind::Closed {
                    report.warning_count += 1;
                    if report.warnings.len() < 1000 {
                        let gone = match &options.as_of {
                            Some(d) if absent.contains(&rel.party) => {
                                format!("did not exist on {d}")
                            }
                            Some(d) => format!("was closed by {d}"),
                            None => "is closed".to_owned(),
                        };
                        report.warnings.push(Warning {
                            line: rel.line,
                            record_id: rel_ids.resolve(i as u32).into(),
                            message: format!(
                                "in force, but its interested party `{}` {gone}: left out, with the interests it holds in `{}`",
                                gb.id(rel.party),
                                gb.id(rel.subject)
                            ),
                        });
                    }
                }
            } else {
                live.push(i as u32);
            }
        }
        let by_subject = {
            let subject = |i: &u32| rels[*i as usize].as_ref().map_or(0, |r| r.subject);
            let mut counts = vec![
                0usize;
                live.iter()
                    .map(|i| subject(i) as usize + 2)
                    .max()
                    .unwrap_or(1)
            ];
            for i in &live {
                counts[subject(i) as usize + 1] += 1;
            }
            for k in 1..counts.len() {
                counts[k] += counts[k - 1];
            }
            let mut out = vec![0u32; live.len()];
            for i in &live {
                let slot = &mut counts[subject(i) as usize];
                out[*slot] = *i;
                *slot += 1;
            }
            out
        };
        let mut control: Vec<(u32, u16)> = Vec::new();
        let mut boards: Vec<(NodeId, Vec<NodeId>, u16)> = Vec::new();
        let mut stakes: Vec<(NodeId, Stake)> = Vec::new();
        let mut first_rel: Vec<u32> = Vec::new();
        let mut controlling: Vec<NodeId> = Vec::new();
        let mut declared: Vec<(NodeId, NodeId, u16, u32)> = Vec::new();
        // The kinds a controller's finding (or its board's) shows.
        let control_bits = {
            use InterestType::*;
            [
                VotingRights,
                AppointmentOfBoard,
                OtherInfluenceOrControl,
                ControlViaCompanyRulesOrArticles,
                ControlByLegalFramework,
                BoardMember,
                BoardChair,
                Trustee,
                SeniorManagingOfficial,
            ]
            .into_iter()
            .fold(0u16, |b, k| b | declarable_bit(k))
        };
        for group in by_subject.chunk_by(|a, b| {
            rels[*a as usize].as_ref().map(|r| r.subject)
                == rels[*b as usize].as_ref().map(|r| r.subject)
        }) {
            stakes.clear();
            first_rel.clear();
            let mut members: Vec<NodeId> = Vec::new();
            for &i in group {
                let Some(rel) = rels[i as usize].as_ref() else {
                    continue;
                };
                if rel.flags & edge_flags::SUPERSEDED != 0 {
                    continue;
                }
                let st = stake(&shares, rel, gb.kind(rel.party) == NodeKind::Person);
                if st.seat && !members.contains(&rel.party) {
                    members.push(rel.party);
                }
                match stakes.iter().position(|(p, _)| *p == rel.party) {
                    Some(k) => {
                        let s = &mut stakes[k].1;
                        let add = |a: Option<Portion>, b: Option<Portion>| match (a, b) {
                            (Some(a), Some(b)) => Some(a.plus(b)),
                            (a, b) => a.or(b),
                        };
                        s.votes = add(s.votes, st.votes);
                        s.voting_capital = add(s.voting_capital, st.voting_capital);
                        s.appoints = add(s.appoints, st.appoints);
                        s.right = match (s.right, st.right) {
                            (Some(a), Some(b)) => Some(a.min(b)),
                            (a, b) => a.or(b),
                        };
                        s.seat |= st.seat;
                        s.senior_official |= st.senior_official;
                    }
                    None => {
                        stakes.push((rel.party, st));
                        first_rel.push(i);
                    }
                }
            }
            let Some(subject) = group
                .first()
                .and_then(|&i| rels[i as usize].as_ref())
                .map(|r| r.subject)
            else {
                continue;
            };
            let over = definition::overfull(&stakes);
            if over.any() {
                report.warning_count += 1;
                if report.warnings.len() < 1000 {
                    let line = group
                        .iter()
                        .filter_map(|&i| rels[i as usize].as_ref().map(|r| r.line))
                        .max()
                        .unwrap_or(0);
                    report.warnings.push(Warning {
                        line,
                        record_id: gb.id(subject).into(),
                        message: overfull_message(&gb, subject, &stakes, over, &options),
                    });
                }
            }
            let board = (!members.is_empty()).then_some(NodeId::MAX);
            // Who (may) control it, or sits on a board that does.
            controlling.clear();
            for f in definition::controllers(&stakes, board, &options.control) {
                let mut bits = edge_flags::basis(f.basis);
                bits |= if f.certain {
                    edge_flags::CONTROL
                } else {
                    edge_flags::MAY_CONTROL
                };
                if f.basis == Basis::Board {
                    controlling.extend_from_slice(&members);
                    boards.push((subject, std::mem::take(&mut members), bits));
                } else if let Some(k) = stakes.iter().position(|(p, _)| *p == f.party) {
                    controlling.push(f.party);
                    control.push((first_rel[k], bits));
                }
            }
            // What the data declares beneficial ownership or control, where
            // neither an edge nor a body will show it: kept, not dropped.
            for &i in group {
                let Some(rel) = rels[i as usize].as_ref() else {
                    continue;
                };
                if rel.declared == 0 || rel.flags & edge_flags::SUPERSEDED != 0 {
                    continue;
                }
                if matches!(
                    gb.kind(rel.party),
                    NodeKind::Entity | NodeKind::Body | NodeKind::Closed
                ) {
                    // Only a person is a beneficial owner: BODS requires
                    // the flag false for any other party.
                    continue;
                }
                if rel.share != NO_SHARE {
                    // An owner, shown as one: what else is declared of
                    // them (a minority's votes) is not repeated.
                    continue;
                }
                let mut left = rel.declared;
                if controlling.contains(&rel.party) {
                    left &= !control_bits;
                }
                if left != 0 {
                    declared.push((subject, rel.party, left, i));
                }
            }
        }
        for (i, bits) in control {
            if let Some(Some(r)) = rels.get_mut(i as usize) {
                r.flags |= bits;
            }
        }
        for &i in &live {
            let Some(rel) = rels[i as usize].as_ref() else {
                continue;
            };
            let share = shares.get(rel.share as usize).copied();
            let mut flags = rel.flags & !ACTIVE;
            if share.is_some() {
                flags |= edge_flags::OWNERSHIP;
            }
            if flags & (edge_flags::OWNERSHIP | edge_flags::CONTROL | edge_flags::MAY_CONTROL) == 0
            {
                report.neither_relationships += 1;
                continue;
            }
            report.edges += 1;
            gb.edge(
                rel.subject,
                rel.party,
                share.unwrap_or(ShareRange::ZERO),
                flags,
                rel_ids.resolve(i),
            );
        }
        for (subject, party, kinds, i) in declared {
            gb.declared(crate::graph::DeclaredInterest {
                subject,
                party,
                kinds: DECLARABLE
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| kinds >> b & 1 != 0)
                    .fold(0, |m, (_, k)| m | 1 << (*k as u32)),
                relationship: rel_ids.resolve(i).into(),
            });
        }
        for (subject, members, bits) in boards {
            let id = boardroom::board_id(gb.id(subject));
            let what = if trusts.contains(&subject) {
                "Trustees"
            } else {
                "Board"
            };
            let name = match options.board_names.get(gb.id(subject)) {
                Some(name) => name.clone(),
                None => format!(
                    "{what} of {}",
                    gb.name(subject).unwrap_or_else(|| gb.id(subject))
                ),
            };
            let body = gb.node(&id, NodeKind::Body, Some(&name));
            gb.set_members(body, members);
            gb.edge(subject, body, ShareRange::ZERO, bits, &id);
            report.boards += 1;
            report.edges += 1;
        }
        (gb.build(), report)
    }
}
