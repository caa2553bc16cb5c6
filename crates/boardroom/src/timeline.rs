//! The timeline: the state on a date is the fold of the events up to it.
//!
//! Each event is checked against the state just before it: who may perform
//! the act, and, when a body decides, the rule for that decision (quorum,
//! notice, ineligible members, threshold). A valid act changes the state;
//! an invalid act is reported with its reasons and not applied.

use crate::index::HashMap;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostic::Path;
use crate::model::{
    ActKind, Basis, Body, BodyKind, Event, Interest, InterestType, Notice, Role, Structure,
};
use crate::quota::{Base, Quota};
use crate::rulebook::{AppliedRule, decision_kind, rule_for};

/// The structure's state at a point of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct State {
    /// The date the state is for (absent before any date is known).
    pub date: Option<NaiveDate>,
    /// Members of each seat-based body, in order of appointment.
    pub members: BTreeMap<String, Vec<String>>,
    /// The chair of each body that has one.
    pub chairs: BTreeMap<String, String>,
    /// The holder of each filled office.
    pub holders: BTreeMap<String, String>,
    /// Every interest known so far (stated or issued), with its current holder.
    pub interests: Vec<Interest>,
    /// Interests ended by an event, with the date.
    pub ended: BTreeMap<String, NaiveDate>,
    /// Rules in force (stated, and as amended).
    #[serde(skip)]
    pub rules: Vec<crate::model::Rule>,
    /// The entities' share classes.
    #[serde(skip)]
    pub classes: Vec<crate::model::StockClass>,
    /// The bodies, for rules whose conditions count another body.
    #[serde(skip)]
    pub bodies: Vec<Body>,
    /// Declarations validly made.
    pub declarations: Vec<Declaration>,
    /// Meetings held so far, by event id.
    pub meetings: BTreeMap<String, Meeting>,
    /// How many events have been folded in.
    pub events_applied: usize,
    /// The source of each seat, chair and office held: the body's or
    /// office's own source for the initial state, the appointing event's
    /// after it.
    #[serde(skip)]
    #[schemars(skip)]
    pub sources: BTreeMap<Held, String>,
    /// From when the initial state is known ([`Structure::known_from`]):
    /// an interest with no start date is in force from then.
    pub known_from: Option<NaiveDate>,
    /// Parties with a founding or dissolution date: id → (founded,
    /// dissolved).
    #[serde(skip)]
    pub lifetimes: HashMap<String, (Option<NaiveDate>, Option<NaiveDate>)>,
    /// Positions in `interests` of each entity's interests, and of each
    /// interest's id: kept as interests are issued, so that an entity's
    /// holders are found without a scan of every interest.
    #[serde(skip)]
    #[schemars(skip)]
    in_entity: HashMap<String, Vec<usize>>,
    #[serde(skip)]
    #[schemars(skip)]
    by_id: HashMap<String, usize>,
    /// Positions in `classes` of each entity's share classes.
    #[serde(skip)]
    #[schemars(skip)]
    classes_in: HashMap<String, Vec<usize>>,
    /// Per body with seat rights: each member sitting in a seat a right
    /// holder fills, and that holder (member, appointer).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub seated_by: BTreeMap<String, Vec<(String, String)>>,
}

/// `rule` with capital bases read as the votes bases they stand for once
/// members are weighed by their shares, and without its further conditions.
fn rule_on_votes(rule: &AppliedRule) -> AppliedRule {
    let map = |q: Quota| q.on(q.base().map_or(Base::Present, Base::as_votes));
    let mut r = rule.clone();
    r.rule.threshold = map(r.rule.threshold);
    r.rule.quorum = r.rule.quorum.map(map);
    r.rule.written_consent = r.rule.written_consent.map(map);
    r.rule.all.clear();
    r.rule.any.clear();
    r
}

/// The voter that stands for every holder the file does not name, in a
/// voting game ([`State::voters_with_unnamed`]).
pub const UNNAMED_HOLDERS: &str = "(holders the file does not name)";

/// Votes counted from shares ([`State::holder_votes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderVotes {
    /// Each voter's votes, voting caps applied.
    pub named: Vec<(String, rust_decimal::Decimal)>,
    /// Every vote that can be cast.
    pub total: rust_decimal::Decimal,
    /// Votes of shares whose holders the file does not name.
    pub unnamed: rust_decimal::Decimal,
    /// Voters whose votes a cap reduced, and by how much.
    pub capped: Vec<(String, rust_decimal::Decimal)>,
}

impl HolderVotes {
    /// The power of ten that makes every count a whole number.
    fn scale(&self) -> u32 {
        self.named
            .iter()
            .map(|(_, v)| v.normalize().scale())
            .chain([self.total.normalize().scale()])
            .max()
            .unwrap_or(0)
            .min(12)
    }
}

/// Capital is counted in ten-thousandths of a share's nominal value.
const CAPITAL_SCALE: u32 = 4;

/// `v` times ten to the `scale`, as a whole number (0 when out of range).
fn whole(v: rust_decimal::Decimal, scale: u32) -> u64 {
    let factor = rust_decimal::Decimal::from(10u64.pow(scale));
    v.checked_mul(factor)
        .map(|x| x.trunc())
        .and_then(|x| u64::try_from(x).ok())
        .unwrap_or(0)
}

/// A declaration validly made, such as that AGI has been reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Declaration {
    pub name: String,
    pub date: NaiveDate,
    pub by: String,
}

/// A meeting of a body.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Meeting {
    pub body: String,
    pub date: NaiveDate,
    /// Who attended; absent when the record does not say.
    pub present: Option<Vec<String>>,
    pub notified: Option<Vec<String>>,
    /// Why the meeting record is assumed, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed: Option<String>,
}

/// Whether an act was valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Valid, and applied.
    Valid,
    /// Invalid, and not applied.
    Invalid,
    /// A record (a meeting) rather than an act.
    Recorded,
    /// The record does not say enough to tell (who was notified, who
    /// attended, how members voted): the verdict says what would decide
    /// it. The act is applied, as the record shows it taken.
    CannotTell,
}

/// The verdict on one event, with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Verdict {
    /// Position in the timeline (0-based).
    pub index: usize,
    /// Where the event is in the structure.
    pub path: Path,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub date: NaiveDate,
    pub act: ActKind,
    /// What the act does, in words.
    pub summary: String,
    pub outcome: Outcome,
    /// Why it is invalid; empty when valid.
    pub reasons: Vec<String>,
    /// When it cannot be told: what the record would have to say to decide.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub would_decide: Vec<String>,
    /// Who performed the act, and by what authority.
    pub authority: String,
    /// For acts a body decided: the rule, the counts and who was ineligible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// What this verdict rests on that is assumed rather than documented.
    pub assumptions: Vec<String>,
    /// The source of the event, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A position held in a state: a seat on a body, a body's chair, an
/// office.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Held {
    /// (body, member)
    Seat(String, String),
    /// body
    Chair(String),
    /// office
    Office(String),
}

/// The sources of the initial state's seats, chairs and offices: each
/// body's and office's own.
fn initial_sources(s: &Structure) -> BTreeMap<Held, String> {
    let mut out = BTreeMap::new();
    for b in s.body.iter().filter(|b| !b.kind.is_holder_body()) {
        if let Some(src) = &b.source {
            for m in &b.members {
                out.insert(Held::Seat(b.id.clone(), m.clone()), src.clone());
            }
            if b.chair.is_some() {
                out.insert(Held::Chair(b.id.clone()), src.clone());
            }
        }
    }
    for o in &s.office {
        if let (Some(_), Some(src)) = (&o.holder, &o.source) {
            out.insert(Held::Office(o.id.clone()), src.clone());
        }
    }
    out
}

/// How a body took a decision, counted against its rule.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Decision {
    pub body: String,
    /// The decision kind that selected the rule.
    pub kind: String,
    pub rule: RuleUsed,
    /// `meeting` or `written-consent`.
    pub mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quorum: Option<Count>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeCheck>,
    pub threshold: Count,
    pub votes_for: Vec<String>,
    pub against: Vec<String>,
    pub abstain: Vec<String>,
    /// Members in office who were not present (or did not sign).
    pub absent: Vec<String>,
    pub ineligible: Vec<Ineligible>,
    /// Ballots the record names that count for nothing here: parties with
    /// no vote in the body on the date, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_counted: Vec<Ineligible>,
    /// Why the body has no power to decide this at all, when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_power: Option<String>,
    /// When no requirement surely fails but some cannot be told from the
    /// record: what the record would have to say to decide it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub would_decide: Vec<String>,
    /// A composite rule's further conditions, each counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionCheck>,
    /// Whether every requirement was met.
    pub passed: bool,
}

impl Decision {
    /// The threshold's quota in words, with its base counted: "a majority
    /// of the 5 eligible members in office" where the rule left a member
    /// out (the director concerned), so that the base is not read as
    /// everyone in office.
    pub fn threshold_words(&self, holders: bool) -> String {
        let t = &self.threshold;
        let base = t.show(t.base.unwrap_or(0));
        let base = if self.ineligible.is_empty() {
            base
        } else {
            format!("{base} eligible")
        };
        crate::quota::in_words(&t.quota, Some(base), holders)
    }
}

/// One condition of a composite rule, counted.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConditionCheck {
    /// `all` (must hold) or `any` (one of these must hold).
    pub group: String,
    /// The condition in words: "majority of capital-represented".
    pub description: String,
    /// For a consent right: the party whose consent is needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_of: Option<String>,
    /// The count, for a threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<Count>,
    pub met: bool,
    /// The record cannot tell.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
    /// When it cannot tell: what would decide it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub would_decide: String,
}

impl Decision {
    /// Whether the record cannot tell whether the decision carried.
    pub fn cannot_tell(&self) -> bool {
        !self.passed && !self.would_decide.is_empty()
    }
}

/// The rule a decision was counted against.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RuleUsed {
    pub name: String,
    pub basis: Basis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub defaulted: bool,
}

/// A requirement counted: what was needed, what there was, of what base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Count {
    /// The quota, as written: `majority of total-seats`.
    pub quota: String,
    /// How many the base counted, when the quota has a base.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<u64>,
    pub required: u64,
    pub actual: u64,
    pub met: bool,
    /// The record does not fix the count: `actual` and `required` are the
    /// bounds most favourable to the act, `at_most` its highest possible
    /// count, and `met` is false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_most: Option<u64>,
    /// The counts are whole numbers of 10^-scale of a vote (shares that
    /// carry fractions of votes) or of the nominal value (a count of
    /// capital): `actual` 7476 with scale 1 is 747.6. [`Count::show`]
    /// writes a count as read.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub scale: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Count {
    /// A count of this kind, as read: divided by 10^scale.
    pub fn show(&self, v: u64) -> String {
        crate::report::count(rust_decimal::Decimal::from_i128_with_scale(
            i128::from(v),
            self.scale,
        ))
    }

    /// What is needed, as read: a strict majority of a count with
    /// decimals (capital) is one tick above a whole number, "more than
    /// 27,880,000" rather than 27,880,000.0001, which no holding can be.
    pub fn show_needed(&self) -> String {
        let tick = 10u64.pow(self.scale.min(18));
        if self.scale > 0
            && self.required > 0
            && (self.required - 1).is_multiple_of(tick)
            && !self.required.is_multiple_of(tick)
        {
            return format!("more than {}", self.show(self.required - 1));
        }
        self.show(self.required)
    }
}

/// Notice checked against the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NoticeCheck {
    pub required: String,
    /// Members in office with no recorded notice.
    pub missing: Vec<String>,
    /// Whether the meeting recorded who was notified at all.
    pub recorded: bool,
    pub met: bool,
}

/// A member who could not vote, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Ineligible {
    pub party: String,
    pub reason: String,
}

/// Ballots for one decision: who was present and how they voted, or who
/// signed a written consent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ballots {
    pub consent: Option<Vec<String>>,
    pub present: Vec<String>,
    /// The record does not say who attended (`present` is then empty).
    pub attendance_unknown: bool,
    pub notified: Option<Vec<String>>,
    pub votes_for: Vec<String>,
    pub against: Vec<String>,
    pub abstain: Vec<String>,
}

/// A whole replay: the verdict on every event and the final state.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Replay {
    pub verdicts: Vec<Verdict>,
    pub state: State,
}

impl Replay {
    pub fn invalid(&self) -> impl Iterator<Item = &Verdict> {
        self.verdicts
            .iter()
            .filter(|v| v.outcome == Outcome::Invalid)
    }
}

/// Replay every event.
pub fn replay(s: &Structure) -> Replay {
    let mut state = State::initial(s);
    let verdicts = state.advance(s, None);
    Replay { verdicts, state }
}

/// The state on `date`: every event dated on or before it, folded. Before
/// the date from which the file's initial state is known
/// ([`Structure::known_from`]), no body has members, no office a holder,
/// and only interests with a start date can be in force.
pub fn state_as_of(s: &Structure, date: NaiveDate) -> (State, Vec<Verdict>) {
    let mut state = State::initial(s);
    let verdicts = state.advance(s, Some(date));
    (state, verdicts)
}

/// The state just before event `index`.
pub fn state_before(s: &Structure, index: usize) -> State {
    let mut state = State::initial(s);
    for (i, event) in s.event.iter().enumerate().take(index) {
        state.apply(s, i, event);
    }
    state
}

impl State {
    /// The state before the first event: initial members, chairs, holders
    /// and stated interests and rules.
    pub fn initial(s: &Structure) -> State {
        let mut state = State {
            date: None,
            members: s
                .body
                .iter()
                .filter(|b| !b.kind.is_holder_body())
                .map(|b| (b.id.clone(), b.members.clone()))
                .collect(),
            chairs: s
                .body
                .iter()
                .filter_map(|b| b.chair.clone().map(|c| (b.id.clone(), c)))
                .collect(),
            holders: s
                .office
                .iter()
                .filter_map(|o| o.holder.clone().map(|h| (o.id.clone(), h)))
                .collect(),
            interests: s.interest.clone(),
            ended: BTreeMap::new(),
            rules: s.rule.clone(),
            classes: s.share_class.clone(),
            bodies: s.body.clone(),
            declarations: Vec::new(),
            meetings: BTreeMap::new(),
            events_applied: 0,
            sources: initial_sources(s),
            known_from: s.known_from(),
            lifetimes: s
                .party
                .iter()
                .filter(|p| p.founded.is_some() || p.dissolved.is_some())
                .map(|p| (p.id.clone(), (p.founded, p.dissolved)))
                .collect(),
            in_entity: HashMap::default(),
            by_id: HashMap::default(),
            classes_in: HashMap::default(),
            seated_by: s
                .body
                .iter()
                .filter(|b| !b.appointments.is_empty())
                .map(|b| {
                    (
                        b.id.clone(),
                        b.appointments
                            .iter()
                            .flat_map(|r| r.filled_with.iter().map(|m| (m.clone(), r.by.clone())))
                            .collect(),
                    )
                })
                .collect(),
        };
        for i in 0..state.interests.len() {
            state.indexed(i);
        }
        for (i, c) in state.classes.iter().enumerate() {
            state
                .classes_in
                .entry(c.entity.clone())
                .or_default()
                .push(i);
        }
        state
    }

    /// The source of a seat, chair or office held in this state.
    pub fn source_of(&self, held: &Held) -> Option<&str> {
        self.sources.get(held).map(String::as_str)
    }

    /// Replace every interest known, and index them again: `interests` is
    /// read through its index ([`State::interests_in`]), so it is never
    /// assigned directly.
    pub fn set_interests(&mut self, interests: Vec<Interest>) {
        self.interests = interests;
        self.in_entity.clear();
        self.by_id.clear();
        for i in 0..self.interests.len() {
            self.indexed(i);
        }
    }

    /// Index the interest at position `i` of `interests`.
    fn indexed(&mut self, i: usize) {
        let x = &self.interests[i];
        self.in_entity.entry(x.subject.clone()).or_default().push(i);
        self.by_id.entry(x.id.clone()).or_insert(i);
    }

    /// Whether a right to fill seats is in force on the state's date: within
    /// its dates, and after its milestone, if it has one, was declared.
    pub fn seat_right_in_force(&self, r: &crate::model::SeatRight) -> bool {
        let date = self.date;
        let dated =
            date.is_none_or(|d| r.from.is_none_or(|f| f <= d) && r.until.is_none_or(|u| d < u));
        let reached = r.after.as_ref().is_none_or(|m| {
            self.declarations
                .iter()
                .any(|x| &x.name == m && date.is_none_or(|d| x.date <= d))
        });
        dated && reached
    }

    /// What is wrong with `by` appointing `event.person` to (or removing
    /// them from) `body` under its seat rights on the event's date.
    fn seat_right_problems(
        &self,
        s: &Structure,
        body: &Body,
        by: &str,
        event: &Event,
    ) -> Vec<String> {
        let who = event.person.as_deref().unwrap_or_default();
        let theirs: Vec<&String> = self
            .seated_by
            .get(&body.id)
            .map(|v| v.iter().filter(|(_, a)| a == by).map(|(m, _)| m).collect())
            .unwrap_or_default();
        if event.act != ActKind::Appoint {
            return if theirs.iter().any(|m| *m == who) {
                Vec::new()
            } else {
                vec![format!(
                    "{} does not sit in a seat of {} that {} fills",
                    s.name(who),
                    body.name,
                    s.name(by)
                )]
            };
        }
        let mut out = Vec::new();
        let rights: Vec<&crate::model::SeatRight> =
            body.appointments.iter().filter(|r| r.by == by).collect();
        let allowed: u32 = rights
            .iter()
            .filter(|r| self.seat_right_in_force(r))
            .map(|r| r.seats)
            .sum();
        let describe = |r: &crate::model::SeatRight| {
            let mut t = format!("{} seat{}", r.seats, if r.seats == 1 { "" } else { "s" });
            if let Some(f) = r.from {
                t.push_str(&format!(" from {f}"));
            }
            if let Some(u) = r.until {
                t.push_str(&format!(" until {u}"));
            }
            if let Some(m) = &r.after {
                t.push_str(&format!(" once `{m}` is declared"));
            }
            t
        };
        let all: Vec<String> = rights.iter().map(|r| describe(r)).collect();
        if allowed == 0 {
            out.push(format!(
                "{} has no right in force on {} to fill a seat of {} (its rights: {})",
                s.name(by),
                event.date,
                body.name,
                all.join("; ")
            ));
        } else if theirs.len() as u32 >= allowed {
            out.push(format!(
                "{} fills {allowed} seat{} of {} on {}, and {} filled: {} (its rights: {})",
                s.name(by),
                if allowed == 1 { "" } else { "s" },
                body.name,
                event.date,
                if allowed == 1 { "it is" } else { "they are" },
                theirs
                    .iter()
                    .map(|m| s.name(m).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                all.join("; ")
            ));
        }
        // A full body is refused by the act's preconditions.
        out
    }

    /// Whether the state's date is within the record: on or after the date
    /// from which the initial state is known. Undated facts (a board's
    /// `filled_by`, initial members) hold only then.
    pub fn in_record(&self) -> bool {
        !matches!((self.date, self.known_from), (Some(d), Some(k)) if d < k)
    }

    /// Whether party `id` exists on the state's date (founded and not yet
    /// dissolved); every party exists when the state has no date.
    pub fn exists(&self, id: &str) -> bool {
        let Some(date) = self.date else { return true };
        self.lifetimes
            .get(id)
            .is_none_or(|(f, d)| f.is_none_or(|f| f <= date) && d.is_none_or(|d| date < d))
    }

    /// Fold in the events not yet applied, up to and including `until`.
    pub fn advance(&mut self, s: &Structure, until: Option<NaiveDate>) -> Vec<Verdict> {
        let mut verdicts = Vec::new();
        let start = self.events_applied;
        if start == 0 {
            // The timeline starts from the file's initial state, even if a
            // date before the record was looked at first.
            let initial = State::initial(s);
            self.members = initial.members;
            self.chairs = initial.chairs;
            self.holders = initial.holders;
        }
        for (i, event) in s.event.iter().enumerate().skip(start) {
            if until.is_some_and(|d| event.date > d) {
                break;
            }
            verdicts.push(self.apply(s, i, event));
        }
        if let Some(d) = until {
            self.date = Some(self.date.map_or(d, |cur| cur.max(d)));
        }
        // Before the record starts, the initial members, chairs and office
        // holders are not known; from its start they are the file's.
        let before = matches!((self.date, self.known_from), (Some(d), Some(k)) if d < k);
        if self.events_applied == 0 && before {
            for m in self.members.values_mut() {
                m.clear();
            }
            self.chairs.clear();
            self.holders.clear();
        }
        verdicts
    }

    /// Whether an interest is in force on the state's date: started (an
    /// interest with no start date, from when the initial state is known),
    /// not ended, and between parties that exist.
    pub fn interest_active(&self, interest: &Interest) -> bool {
        let Some(date) = self.date else {
            // With no date at all: the file's undated state, in which an
            // interest that has ended is not in force.
            return interest.start.is_none()
                && interest.end.is_none()
                && !self.ended.contains_key(&interest.id);
        };
        interest
            .start
            .or(self.known_from)
            .is_none_or(|st| st <= date)
            && interest.end.is_none_or(|e| date < e)
            && self.ended.get(&interest.id).is_none_or(|e| date < *e)
            && self.exists(&interest.subject)
            && interest.holder.as_deref().is_none_or(|h| self.exists(h))
    }

    /// The interests in force on the state's date.
    pub fn active_interests(&self) -> impl Iterator<Item = &Interest> {
        self.interests.iter().filter(|i| self.interest_active(i))
    }

    /// The interests in `entity` in force on the state's date, in the
    /// order known.
    pub fn interests_in<'a>(&'a self, entity: &str) -> impl Iterator<Item = &'a Interest> + 'a {
        self.in_entity
            .get(entity)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&i| &self.interests[i])
            .filter(|i| self.interest_active(i))
    }

    /// The share classes `entity` has issued, in the order declared.
    pub fn classes_of<'a>(
        &'a self,
        entity: &str,
    ) -> impl Iterator<Item = &'a crate::model::StockClass> + 'a {
        self.classes_in
            .get(entity)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&i| &self.classes[i])
    }

    /// The interest known by `id` (in force or not).
    pub fn interest_by_id(&self, id: &str) -> Option<&Interest> {
        self.interests.get(*self.by_id.get(id)?)
    }

    /// A body's members with their votes: one each for seat-based bodies;
    /// for holder bodies, the votes [`State::holder_votes`] counts, in
    /// whole numbers (scaled by a power of ten when shares carry fractions
    /// of votes), to whoever casts them.
    pub fn voters(&self, body: &Body) -> Vec<(String, u64)> {
        if !body.kind.is_holder_body() {
            return self
                .members
                .get(&body.id)
                .map(|m| m.iter().map(|p| (p.clone(), 1)).collect())
                .unwrap_or_default();
        }
        let Some(h) = self.holder_votes(&body.entity, body.class.as_deref()) else {
            return Vec::new();
        };
        let scale = h.scale();
        h.named
            .iter()
            .map(|(p, v)| (p.clone(), whole(*v, scale)))
            .filter(|(_, v)| *v > 0)
            .collect()
    }

    /// The votes of `entity`'s holders (of one `class`, for a class
    /// meeting), counted from shares: the one count every command uses.
    ///
    /// Where the entity has share classes, each holding's votes are its
    /// units times its class's votes per share (or its own
    /// `votes_per_unit`), credited to whoever casts them (`voted_by`, else
    /// the holder); the total is every outstanding share's votes (treasury
    /// shares have none), so holders the file does not name keep their
    /// votes; a class's voting cap takes the excess over the cap out of the
    /// votes that can be cast. Without share classes, every holding in force
    /// that carries votes must state its units, and the total is theirs.
    /// `None` where votes are not counted in units.
    pub fn holder_votes(&self, entity: &str, class: Option<&str>) -> Option<HolderVotes> {
        let classes: Vec<&crate::model::StockClass> = self
            .classes_of(entity)
            .filter(|c| class.is_none_or(|k| c.id == k))
            .collect();
        let all_classes = self.classes_of(entity).count();
        let sole = (all_classes == 1)
            .then(|| self.classes_of(entity).next())
            .flatten();
        let class_of = |i: &Interest| -> Option<&crate::model::StockClass> {
            match &i.class {
                Some(k) => self.classes_of(entity).find(|c| &c.id == k),
                None => sole,
            }
        };
        let mut named: indexmap::IndexMap<String, rust_decimal::Decimal> = Default::default();
        // Per (voter, capped class): votes from that class, for the cap.
        let mut by_class: indexmap::IndexMap<(String, String), rust_decimal::Decimal> =
            Default::default();
        for i in self.interests_in(entity).filter(|i| {
            matches!(
                i.kind,
                InterestType::Shareholding | InterestType::VotingRights
            )
        }) {
            let c = class_of(i);
            if all_classes > 0 {
                match (class, c) {
                    (Some(k), Some(c)) if c.id != k => continue,
                    (Some(_), None) => continue,
                    _ => {}
                }
            } else if class.is_some() && i.class.as_deref() != class {
                continue;
            }
            let (Some(holder), Some(units)) = (&i.holder, i.units) else {
                return None;
            };
            let per = i
                .votes_per_unit
                .or_else(|| c.map(|c| c.votes()))
                .unwrap_or(rust_decimal::Decimal::ONE);
            let v = units * per;
            let voter = i.voted_by.clone().unwrap_or_else(|| holder.clone());
            *named.entry(voter.clone()).or_default() += v;
            if let Some(c) = c.filter(|c| c.vote_cap.is_some()) {
                *by_class.entry((voter, c.id.clone())).or_default() += v;
            }
        }
        let named_total: rust_decimal::Decimal = named.values().copied().sum();
        if classes.is_empty() && all_classes == 0 && named.is_empty() {
            return None;
        }
        let mut total = if all_classes > 0 {
            classes.iter().map(|c| c.outstanding() * c.votes()).sum()
        } else {
            named_total
        };
        let unnamed = (total - named_total).max(rust_decimal::Decimal::ZERO);
        // Voting caps: the excess over the cap cannot be cast.
        let mut capped = Vec::new();
        let before = total;
        // The share capital as registered, for caps stated against it.
        let registered: rust_decimal::Decimal = self
            .classes_of(entity)
            .map(|c| c.issued * c.capital_per_share())
            .sum();
        for ((voter, k), v) in by_class {
            let Some(c) = classes.iter().find(|c| c.id == k) else {
                continue;
            };
            let Some(cap) = c.vote_cap else {
                continue;
            };
            // Whole votes: no one casts a fraction of a vote under a cap,
            // nor votes a fraction of a share under a cap on capital.
            let limit = match c.vote_cap_of.unwrap_or_default() {
                crate::model::CapBase::Votes => {
                    (before * cap / rust_decimal::Decimal::ONE_HUNDRED).floor()
                }
                crate::model::CapBase::Capital => {
                    (registered * cap / rust_decimal::Decimal::ONE_HUNDRED / c.capital_per_share())
                        .floor()
                        * c.votes()
                }
            };
            if v > limit {
                let excess = v - limit;
                if let Some(x) = named.get_mut(&voter) {
                    *x -= excess;
                }
                total -= excess;
                capped.push((voter, excess));
            }
        }
        Some(HolderVotes {
            named: named.into_iter().collect(),
            total,
            unnamed,
            capped,
        })
    }

    /// [`State::voters`], with the votes of shares whose holders the file
    /// does not name as one more voter, [`UNNAMED_HOLDERS`], where there
    /// are any: the voting game plays them (left out, Snap's two founders
    /// were called veto players while Class B's 11.5% could side with
    /// either). A recorded decision never names them, so its count is
    /// unchanged.
    pub fn voters_with_unnamed(&self, body: &Body) -> Vec<(String, u64)> {
        let mut out = self.voters(body);
        if body.kind.is_holder_body()
            && let Some(h) = self.holder_votes(&body.entity, body.class.as_deref())
        {
            let v = whole(h.unnamed, h.scale());
            if v > 0 {
                out.push((UNNAMED_HOLDERS.to_string(), v));
            }
        }
        out
    }

    /// A holder body's members weighed by their capital: the shares whose
    /// votes each casts (any body else: one each).
    pub fn capital_voters(&self, body: &Body) -> Vec<(String, u64)> {
        if !body.kind.is_holder_body() {
            return self.voters(body);
        }
        let mut out: indexmap::IndexMap<String, u64> = Default::default();
        for i in self.interests_in(&body.entity).filter(|i| {
            i.kind == InterestType::Shareholding && (body.class.is_none() || i.class == body.class)
        }) {
            let (Some(h), Some(units)) = (&i.holder, i.units) else {
                continue;
            };
            let voter = i.voted_by.clone().unwrap_or_else(|| h.clone());
            let u = whole(
                units * self.capital_per_share(&body.entity, i),
                CAPITAL_SCALE,
            );
            *out.entry(voter).or_default() += u;
        }
        out.into_iter().collect()
    }

    /// What one share of holding `i` counts for as capital.
    fn capital_per_share(&self, entity: &str, i: &Interest) -> rust_decimal::Decimal {
        let classes: Vec<&crate::model::StockClass> = self.classes_of(entity).collect();
        let class = match &i.class {
            Some(k) => classes.iter().find(|c| &c.id == k).copied(),
            None if classes.len() == 1 => classes.first().copied(),
            None => None,
        };
        class.map_or(rust_decimal::Decimal::ONE, |c| c.capital_per_share())
    }

    /// All the capital a holder body counts: every outstanding share of its
    /// classes, or of the holdings, when the entity has no classes.
    fn total_capital(&self, body: &Body) -> u64 {
        let classes: rust_decimal::Decimal = self
            .classes_of(&body.entity)
            .filter(|c| body.class.as_ref().is_none_or(|k| &c.id == k))
            .map(|c| c.outstanding() * c.capital_per_share())
            .sum();
        if classes > rust_decimal::Decimal::ZERO {
            return whole(classes, CAPITAL_SCALE);
        }
        self.capital_voters(body).iter().map(|(_, u)| u).sum()
    }

    /// Total seats of a body: its fixed seats, or the votes in office (for
    /// holder bodies, every vote that can be cast, named holders' or not).
    fn total_seats(&self, body: &Body) -> (u64, bool) {
        if body.kind.is_holder_body() {
            let total = self
                .holder_votes(&body.entity, body.class.as_deref())
                .map_or(0, |h| whole(h.total, h.scale()));
            return (total, false);
        }
        let in_office: u64 = self.voters(body).iter().map(|(_, v)| v).sum();
        match body.seats {
            Some(n) => (u64::from(n), false),
            None => (in_office, true),
        }
    }

    /// Fold one event into the state, returning its verdict.
    pub fn apply(&mut self, s: &Structure, index: usize, event: &Event) -> Verdict {
        self.date = Some(event.date);
        self.events_applied = index + 1;
        let mut v = Verdict {
            index,
            path: Path::item("event", index),
            id: event.id.clone(),
            date: event.date,
            act: event.act,
            summary: summary(s, event),
            outcome: Outcome::Valid,
            reasons: Vec::new(),
            would_decide: Vec::new(),
            authority: String::new(),
            decision: None,
            assumptions: Vec::new(),
            source: event.source.clone(),
        };
        if event.assumption {
            v.assumptions.push(format!(
                "the event itself is assumed{}",
                event
                    .note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ));
        }
        // A class that converts on some condition stated in words: the
        // conversion is not applied, and the verdict says so, for the
        // counts after a transfer rest on it.
        if event.act == ActKind::Transfer
            && let Some(i) = self.interest(event.interest_id.as_deref())
            && let Some(k) = &i.class
            && let Some(c) = self
                .classes
                .iter()
                .find(|c| &c.id == k && c.entity == i.subject)
            && let Some(conv) = &c.converts_into
        {
            v.assumptions.push(format!(
                "class `{}` converts into class `{}`{}; boardroom does not apply a conversion stated in words, so the shares transferred are still counted as class `{}`",
                c.id,
                conv.class,
                conv.when
                    .as_ref()
                    .map(|w| format!(" {w}"))
                    .unwrap_or_default(),
                c.id
            ));
        }
        if event.act == ActKind::Meeting {
            v.outcome = Outcome::Recorded;
            let body = event.body.clone().unwrap_or_default();
            v.authority = format!("meeting of {}", s.name(&body));
            if let Some(id) = &event.id {
                self.meetings.insert(
                    id.clone(),
                    Meeting {
                        body,
                        date: event.date,
                        present: event.present.clone(),
                        notified: event.notified.clone(),
                        assumed: event.assumption.then(|| {
                            event
                                .note
                                .clone()
                                .unwrap_or_else(|| "no detail given".to_string())
                        }),
                    },
                );
            }
            return v;
        }
        let problems = self.preconditions(s, event);
        self.check_authority(s, event, &mut v);
        v.reasons.extend(problems);
        if let Some((body, by)) = seat_right_act(s, event) {
            v.reasons
                .extend(self.seat_right_problems(s, body, by, event));
            // An appointment under a right the file marks assumed rests on it.
            for r in body
                .appointments
                .iter()
                .filter(|r| r.by == by && r.assumption && self.seat_right_in_force(r))
            {
                v.assumptions.push(format!(
                    "{}'s right to fill {} seat{} of {} is assumed{}",
                    s.name(by),
                    r.seats,
                    if r.seats == 1 { "" } else { "s" },
                    body.name,
                    r.note
                        .as_ref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                ));
            }
        }
        // The charter: an act may not breach a constraint that held before.
        // Checked even when the act already fails, so every reason is given.
        if !s.constraint.is_empty() {
            let before = crate::charter::breaches(s, self);
            let mut trial = self.clone();
            trial.effect(s, event);
            for b in crate::charter::breaches(s, &trial) {
                if !before.iter().any(|x| x.constraint == b.constraint) {
                    v.reasons.push(format!(
                        "it would breach constraint `{}`: {}",
                        b.constraint, b.explanation
                    ));
                    // What the constraint rests on is part of the verdict:
                    // a public statement binds less surely than a charter.
                    if let Some(note) = s
                        .constraint
                        .iter()
                        .find(|c| c.id == b.constraint)
                        .and_then(|c| c.note.as_deref())
                    {
                        v.assumptions.push(format!(
                            "constraint `{}` is taken to bind; the file says of it: {note}",
                            b.constraint
                        ));
                    }
                }
            }
        }
        if !v.reasons.is_empty() {
            v.outcome = Outcome::Invalid;
        } else if !v.would_decide.is_empty() {
            v.outcome = Outcome::CannotTell;
            v.assumptions
                .push("applied as the record shows it taken: what follows rests on it".to_string());
            self.effect(s, event);
        } else {
            self.effect(s, event);
        }
        v
    }

    /// Who may perform this act, and whether they did so validly.
    fn check_authority(&self, s: &Structure, event: &Event, v: &mut Verdict) {
        let authority = authority_for(s, event);
        let by = event.by.clone();
        match (&authority, event.act) {
            (_, ActKind::Resign) => {
                v.authority = "the person themself".to_string();
                if let (Some(by), Some(p)) = (&by, &event.person)
                    && by != p
                {
                    v.reasons
                        .push(format!("only {} can resign; `by` names {by}", s.name(p)));
                }
                return;
            }
            (None, _) => match &by {
                Some(by) => v.authority = s.name(by).to_string(),
                None => {
                    v.reasons.push(
                        "no one is named to perform this act: give `by` (a body or a party)"
                            .to_string(),
                    );
                    return;
                }
            },
            (Some(auth), _) => {
                if let Some(by) = &by
                    && by != auth
                {
                    v.reasons.push(format!(
                        "{} acts for this, not {}",
                        s.name(auth),
                        s.name(by)
                    ));
                    return;
                }
                v.authority = s.name(auth).to_string();
            }
        }
        let actor = authority.or(by).unwrap_or_default();
        let Some(body) = s.body(&actor) else {
            // A party acting on its own right.
            if event.act == ActKind::Transfer
                && let Some(i) = self.interest(event.interest_id.as_deref())
                && i.holder.as_deref() != Some(actor.as_str())
            {
                v.reasons.push(format!(
                    "{} does not hold interest `{}`",
                    s.name(&actor),
                    i.id
                ));
            }
            return;
        };
        let kind = decision_kind(s, event);
        let rule = rule_for(s, &self.rules, body, &kind);
        let ballots = Ballots::of_event(self, event);
        if ballots.is_none() {
            v.reasons.push(format!(
                "{} decides this at a meeting or by written consent; the event names neither (`meeting` or `consent`)",
                body.name
            ));
            return;
        }
        let ballots = ballots.unwrap_or_default();
        let decision = self.decide(body, &kind, &rule, event.person.as_deref(), &ballots);
        if rule.rule.basis == Basis::Assumption {
            v.assumptions.push(format!(
                "rule `{}` is an assumption{}",
                rule.name,
                rule.rule
                    .note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ));
        }
        if body.seats.is_none()
            && !body.kind.is_holder_body()
            && mentions_total_seats(&rule, ballots.consent.is_some())
        {
            v.assumptions.push(format!(
                "{} has no fixed number of seats: total seats are taken to be the members in office",
                body.name
            ));
        }

        if let Some(note) = event
            .meeting
            .as_ref()
            .and_then(|m| self.meetings.get(m))
            .and_then(|m| m.assumed.as_ref())
        {
            v.assumptions
                .push(format!("the meeting record is partly assumed: {note}"));
        }
        if let Some(m) = event.meeting.as_ref().and_then(|m| self.meetings.get(m))
            && m.body != body.id
        {
            v.reasons.push(format!(
                "meeting `{}` was a meeting of {}, not of {}",
                event.meeting.as_deref().unwrap_or_default(),
                s.name(&m.body),
                body.name
            ));
        }
        if decision.cannot_tell() {
            v.would_decide.extend(decision.would_decide.iter().cloned());
        } else {
            v.reasons.extend(decision_failures(s, &decision));
        }
        v.decision = Some(decision);
    }

    fn interest(&self, id: Option<&str>) -> Option<&Interest> {
        self.interest_by_id(id?)
    }

    /// Count a decision of `body` against `rule`.
    pub fn decide(
        &self,
        body: &Body,
        kind: &str,
        rule: &AppliedRule,
        subject: Option<&str>,
        ballots: &Ballots,
    ) -> Decision {
        // A threshold on capital weighs each member by its shares.
        let by_capital = rule.rule.threshold.base().is_some_and(Base::is_capital);
        let simple = rule_on_votes(rule);
        let mut d = self.count(body, kind, &simple, subject, ballots, by_capital);
        d.rule.name = rule.name.clone();
        if rule.rule.all.is_empty() && rule.rule.any.is_empty() {
            return d;
        }
        // The further conditions, each counted on the same ballots.
        let mut checks: Vec<ConditionCheck> = Vec::new();
        for (group, conds) in [("all", &rule.rule.all), ("any", &rule.rule.any)] {
            for c in conds {
                checks.push(self.condition(body, kind, rule, subject, ballots, c, group));
            }
        }
        let all_met = checks.iter().filter(|c| c.group == "all").all(|c| c.met);
        let all_fail = checks
            .iter()
            .any(|c| c.group == "all" && !c.met && !c.unknown);
        let anys: Vec<&ConditionCheck> = checks.iter().filter(|c| c.group == "any").collect();
        let any_met = anys.is_empty() || anys.iter().any(|c| c.met);
        let any_fail = !anys.is_empty() && anys.iter().all(|c| !c.met && !c.unknown);
        let main_fails = !d.passed && d.would_decide.is_empty();
        if all_fail || any_fail || main_fails {
            d.would_decide.clear();
        } else {
            for c in checks.iter().filter(|c| c.unknown) {
                d.would_decide
                    .push(format!("{}: {}", c.description, c.would_decide));
            }
        }
        d.passed = d.passed && all_met && any_met;
        d.conditions = checks;
        d
    }

    /// One condition of a composite rule, counted on the same ballots.
    #[allow(clippy::too_many_arguments)]
    fn condition(
        &self,
        body: &Body,
        kind: &str,
        rule: &AppliedRule,
        subject: Option<&str>,
        ballots: &Ballots,
        c: &crate::model::Condition,
        group: &str,
    ) -> ConditionCheck {
        if let Some(party) = &c.consent_of {
            let voted = |l: &[String]| l.iter().any(|p| p == party);
            let signed = ballots.consent.as_deref().is_some_and(&voted);
            let (met, unknown) = if signed || voted(&ballots.votes_for) {
                (true, false)
            } else if ballots.consent.is_some()
                || voted(&ballots.against)
                || voted(&ballots.abstain)
            {
                (false, false)
            } else {
                (false, true)
            };
            return ConditionCheck {
                group: group.to_string(),
                description: format!("the consent of {party}"),
                consent_of: Some(party.clone()),
                count: None,
                met,
                unknown,
                would_decide: format!(
                    "whether {party} consented: the record names no vote of theirs"
                ),
            };
        }
        let target = c
            .body
            .as_deref()
            .and_then(|b| self.body_of(b))
            .unwrap_or_else(|| body.clone());
        let quota = c.threshold.unwrap_or(rule.rule.threshold);
        let by_capital = quota.base().is_some_and(Base::is_capital);
        let sub = AppliedRule {
            rule: crate::model::Rule {
                quorum: None,
                threshold: quota.on(quota.base().map_or(Base::Present, Base::as_votes)),
                all: Vec::new(),
                any: Vec::new(),
                ..rule.rule.clone()
            },
            name: rule.name.clone(),
            defaulted: rule.defaulted,
            no_power: None,
        };
        let d = self.count(&target, kind, &sub, subject, ballots, by_capital);
        let mut count = d.threshold.clone();
        count.quota = quota.to_string();
        let description = match &c.body {
            Some(_) => format!("{} of {}", quota, target.name),
            None => quota.to_string(),
        };
        ConditionCheck {
            group: group.to_string(),
            description,
            consent_of: None,
            met: count.met,
            unknown: count.unknown,
            would_decide: d.would_decide.join("; "),
            count: Some(count),
        }
    }

    /// A body by id, from the rules' view of the structure: bodies are not in
    /// the state, so this looks for a class meeting among the voters'
    /// entities. `None` for an unknown id.
    fn body_of(&self, id: &str) -> Option<Body> {
        self.bodies.iter().find(|b| b.id == id).cloned()
    }

    /// Count a decision of `body` against `rule`, by votes or by capital.
    fn count(
        &self,
        body: &Body,
        kind: &str,
        rule: &AppliedRule,
        subject: Option<&str>,
        ballots: &Ballots,
        by_capital: bool,
    ) -> Decision {
        let names_unnamed = [
            &ballots.present,
            &ballots.votes_for,
            &ballots.against,
            &ballots.abstain,
        ]
        .into_iter()
        .chain(ballots.consent.as_ref())
        .any(|l| l.iter().any(|p| p == UNNAMED_HOLDERS));
        let voters = if by_capital && names_unnamed && body.kind.is_holder_body() {
            // The capital of shares whose holders the file does not name,
            // as one more holder (the game's voter for them).
            let mut v = self.capital_voters(body);
            let named: u64 = v.iter().map(|(_, u)| u).sum();
            let rest = self.total_capital(body).saturating_sub(named);
            if rest > 0 {
                v.push((UNNAMED_HOLDERS.to_string(), rest));
            }
            v
        } else if by_capital {
            self.capital_voters(body)
        } else if names_unnamed {
            self.voters_with_unnamed(body)
        } else {
            self.voters(body)
        };
        let weight = |p: &str| voters.iter().find(|(v, _)| v == p).map(|(_, w)| *w);
        let not_counted = self.not_counted(body, ballots, &voters);
        let mut ineligible = Vec::new();
        for who in &rule.rule.ineligible {
            if who == "subject" {
                if let Some(p) = subject
                    && weight(p).is_some()
                {
                    ineligible.push(Ineligible {
                        party: p.to_string(),
                        reason: "the member concerned".to_string(),
                    });
                }
            } else if weight(who).is_some() {
                ineligible.push(Ineligible {
                    party: who.clone(),
                    reason: "named ineligible by the rule".to_string(),
                });
            }
        }
        let is_ineligible = |p: &str| ineligible.iter().any(|i| i.party == p);
        let eligible_weight = |ps: &[String]| -> u64 {
            ps.iter()
                .filter(|p| !is_ineligible(p))
                .filter_map(|p| weight(p))
                .sum()
        };
        let in_office: Vec<String> = voters.iter().map(|(p, _)| p.clone()).collect();
        let (total, _) = if by_capital {
            (self.total_capital(body), false)
        } else {
            self.total_seats(body)
        };
        let ineligible_weight: u64 = ineligible.iter().filter_map(|i| weight(&i.party)).sum();
        let base_of = |base: Base, present: &[String], cast: u64| -> u64 {
            match base {
                Base::VotesCast => cast,
                Base::Present => eligible_weight(present),
                Base::SeatsInOffice => eligible_weight(&in_office),
                Base::TotalSeats | Base::CapitalOutstanding => {
                    total.saturating_sub(ineligible_weight)
                }
                Base::CapitalRepresented => eligible_weight(present),
            }
        };
        let scale = if by_capital {
            CAPITAL_SCALE
        } else if body.kind.is_holder_body() {
            self.holder_votes(&body.entity, body.class.as_deref())
                .map_or(0, |h| h.scale())
        } else {
            0
        };
        let count = |quota: Quota, actual: u64, base: Option<u64>| -> Count {
            let required = quota.required(base.unwrap_or(0));
            Count {
                quota: quota.to_string(),
                base,
                required,
                actual,
                met: actual >= required,
                unknown: false,
                at_most: None,
                scale,
            }
        };
        // A count the record fixes only between bounds: the count is
        // somewhere in `actual`, the base somewhere in `base`. Surely met
        // when the lowest count meets the highest requirement, surely not
        // when the highest count misses the lowest; else unknown.
        let bounded = |quota: Quota, actual: (u64, u64), base: Option<(u64, u64)>| -> Count {
            let (lo, hi) = base.map_or((0, 0), |b| b);
            let (need_lo, need_hi) = (quota.required(lo), quota.required(hi));
            let mut c = count(quota, actual.0, base.map(|b| b.1));
            c.required = need_hi;
            if actual.0 >= need_hi {
                c.met = true;
            } else if actual.1 < need_lo {
                c.met = false;
                c.required = need_lo;
                c.base = base.map(|b| b.0);
                c.at_most = (actual.1 != actual.0).then_some(actual.1);
            } else {
                c.met = false;
                c.unknown = true;
                c.at_most = Some(actual.1);
            }
            c
        };
        let rule_used = RuleUsed {
            name: rule.name.clone(),
            basis: rule.rule.basis,
            source: rule.rule.source.clone(),
            note: rule.rule.note.clone(),
            defaulted: rule.defaulted,
        };
        let members_only = |ps: &[String]| -> Vec<String> {
            ps.iter().filter(|p| weight(p).is_some()).cloned().collect()
        };
        if let Some(signers) = &ballots.consent {
            let signers = members_only(signers);
            let quota = rule.rule.written_consent.unwrap_or(Quota::Fraction {
                num: 1,
                den: 1,
                strict: false,
                base: Base::SeatsInOffice,
            });
            let actual = eligible_weight(&signers);
            let base = quota.base().map(|b| base_of(b, &in_office, actual));
            let threshold = at_least_one(count(quota, actual, base), (actual, actual));
            let absent = in_office
                .iter()
                .filter(|p| !signers.contains(p))
                .cloned()
                .collect();
            let passed = threshold.met && rule.no_power.is_none();
            return Decision {
                body: body.id.clone(),
                kind: kind.to_string(),
                rule: rule_used,
                mode: "written-consent".to_string(),
                quorum: None,
                notice: None,
                threshold,
                votes_for: signers,
                against: Vec::new(),
                abstain: Vec::new(),
                absent,
                ineligible,
                not_counted,
                no_power: rule.no_power.clone(),
                would_decide: Vec::new(),
                conditions: Vec::new(),
                passed,
            };
        }
        // Who was present: as recorded; where the record does not say, at
        // least those who voted, at most every member in office.
        let voted = |p: &String| {
            ballots.votes_for.contains(p)
                || ballots.against.contains(p)
                || ballots.abstain.contains(p)
        };
        let present = if ballots.attendance_unknown {
            in_office.iter().filter(|p| voted(p)).cloned().collect()
        } else {
            members_only(&ballots.present)
        };
        let present_max: Vec<String> = if ballots.attendance_unknown {
            in_office.clone()
        } else {
            present.clone()
        };
        let absent: Vec<String> = in_office
            .iter()
            .filter(|p| !present_max.contains(p))
            .cloned()
            .collect();
        let w = |ps: &[String]| -> u64 { ps.iter().filter_map(|p| weight(p)).sum() };
        let present_weight = (w(&present), w(&present_max));
        let mut would_decide = Vec::new();
        let quorum = rule.rule.quorum.map(|q| {
            // Interested members count towards a quorum (DGCL §144(b)).
            let base = q.base().map(|b| match b {
                Base::TotalSeats | Base::CapitalOutstanding => (total, total),
                Base::SeatsInOffice => (w(&in_office), w(&in_office)),
                Base::Present | Base::VotesCast | Base::CapitalRepresented => present_weight,
            });
            let c = bounded(q, present_weight, base);
            if c.unknown {
                would_decide.push(format!(
                    "who attended: the record names {} who voted, and {} must be present for a quorum ({})",
                    c.actual, c.required, c.quota
                ));
            }
            c
        });
        let notice = match rule.rule.notice {
            Some(Notice::AllMembers) => {
                let recorded = ballots.notified.is_some();
                let notified = ballots.notified.clone().unwrap_or_default();
                let missing: Vec<String> = in_office
                    .iter()
                    .filter(|p| !notified.contains(p))
                    .cloned()
                    .collect();
                if !recorded {
                    would_decide.push(
                        "whether every member in office was given notice: the record of the meeting does not say"
                            .to_string(),
                    );
                }
                Some(NoticeCheck {
                    required: "notice to every member in office".to_string(),
                    met: recorded && missing.is_empty(),
                    missing,
                    recorded,
                })
            }
            _ => None,
        };
        let in_present = |ps: &[String]| -> Vec<String> {
            ps.iter()
                .filter(|p| present_max.contains(p))
                .cloned()
                .collect()
        };
        let votes_for = in_present(&ballots.votes_for);
        let against = in_present(&ballots.against);
        let abstain = in_present(&ballots.abstain);
        // How the members voted: as recorded; where the record names no
        // ballot at all, anywhere from none to all eligible present.
        let ballots_unknown = ballots.votes_for.is_empty()
            && ballots.against.is_empty()
            && ballots.abstain.is_empty();
        let eligible_present = (eligible_weight(&present), eligible_weight(&present_max));
        let for_weight = if ballots_unknown {
            (0, eligible_present.1)
        } else {
            (eligible_weight(&votes_for), eligible_weight(&votes_for))
        };
        let cast = if ballots_unknown {
            (0, eligible_present.1)
        } else {
            let c = eligible_weight(&votes_for) + eligible_weight(&against);
            (c, c)
        };
        let base = rule.rule.threshold.base().map(|b| match b {
            Base::VotesCast => cast,
            Base::Present => eligible_present,
            _ => {
                let x = base_of(b, &present, 0);
                (x, x)
            }
        });
        let threshold = at_least_one(bounded(rule.rule.threshold, for_weight, base), for_weight);
        if threshold.unknown {
            would_decide.push(if ballots_unknown {
                format!(
                    "how the members voted: the record gives no ballots, and {} votes for are needed ({})",
                    crate::report::count(threshold.required.into()),
                    threshold.quota
                )
            } else {
                format!(
                    "who attended: {} votes for are counted against {} ({} needed if all in office attended)",
                    crate::report::count(threshold.actual.into()),
                    threshold.quota,
                    crate::report::count(threshold.required.into())
                )
            });
        }
        let surely_fails = quorum.as_ref().is_some_and(|q| !q.met && !q.unknown)
            || notice.as_ref().is_some_and(|n| n.recorded && !n.met)
            || (!threshold.met && !threshold.unknown)
            || rule.no_power.is_some();
        if surely_fails {
            would_decide.clear();
        }
        let passed = quorum.as_ref().is_none_or(|q| q.met)
            && notice.as_ref().is_none_or(|n| n.met)
            && threshold.met
            && rule.no_power.is_none();
        Decision {
            body: body.id.clone(),
            kind: kind.to_string(),
            rule: rule_used,
            mode: "meeting".to_string(),
            quorum,
            notice,
            threshold,
            votes_for,
            against,
            abstain,
            absent,
            ineligible,
            not_counted,
            no_power: rule.no_power.clone(),
            would_decide,
            conditions: Vec::new(),
            passed,
        }
    }

    /// The parties a record names at a decision of `body` (present, voting,
    /// signing) who have no vote in it on the date, and why.
    fn not_counted(
        &self,
        body: &Body,
        ballots: &Ballots,
        voters: &[(String, u64)],
    ) -> Vec<Ineligible> {
        let named = ballots
            .present
            .iter()
            .chain(&ballots.votes_for)
            .chain(&ballots.against)
            .chain(&ballots.abstain)
            .chain(ballots.consent.iter().flatten());
        let mut out: Vec<Ineligible> = Vec::new();
        for p in named {
            if voters.iter().any(|(v, _)| v == p) || out.iter().any(|x| &x.party == p) {
                continue;
            }
            let cast_by = self
                .active_interests()
                .find(|i| {
                    i.subject == body.entity
                        && i.holder.as_deref() == Some(p.as_str())
                        && i.voted_by.as_deref().is_some_and(|v| v != p)
                })
                .and_then(|i| i.voted_by.clone());
            let reason = match (cast_by, body.kind.is_holder_body()) {
                (Some(v), _) => format!("its votes in {} are cast by `{v}`", body.name),
                (None, true) => format!("it holds no votes in {}", body.name),
                (None, false) => format!("it is not a member of {}", body.name),
            };
            out.push(Ineligible {
                party: p.clone(),
                reason,
            });
        }
        out
    }

    /// State-dependent conditions of the act itself.
    fn preconditions(&self, s: &Structure, event: &Event) -> Vec<String> {
        let mut out = Vec::new();
        // The entity acted on must exist on the date.
        let entity = event
            .office
            .as_deref()
            .and_then(|o| s.office(o))
            .map(|o| o.entity.clone())
            .or_else(|| {
                event
                    .body
                    .as_deref()
                    .and_then(|b| s.body(b))
                    .map(|b| b.entity.clone())
            })
            .or_else(|| event.interest.as_ref().map(|i| i.subject.clone()));
        if let Some(e) = entity
            && !self.exists(&e)
            && let Some(p) = s.party(&e)
        {
            match (p.founded, p.dissolved) {
                (Some(f), _) if event.date < f => {
                    out.push(format!("{} was founded on {f}, after this act", p.name))
                }
                (_, Some(d)) => out.push(format!("{} was dissolved on {d}", p.name)),
                _ => {}
            }
        }
        let person = event.person.as_deref().unwrap_or_default();
        let who = s.name(person);
        match event.act {
            ActKind::Appoint => {
                if let Some(office) = &event.office {
                    if let Some(h) = self.holders.get(office) {
                        out.push(format!(
                            "{} is already held by {}",
                            office_title(s, office),
                            s.name(h)
                        ));
                    }
                } else if let Some(body) = event.body.as_deref().and_then(|b| s.body(b)) {
                    let members = self.members.get(&body.id).cloned().unwrap_or_default();
                    if event.role == Some(Role::Chair) {
                        if !members.iter().any(|m| m == person) {
                            out.push(format!("{who} is not a member of {}", body.name));
                        }
                        if let Some(c) = self.chairs.get(&body.id) {
                            out.push(format!("{} already chairs {}", s.name(c), body.name));
                        }
                    } else {
                        if members.iter().any(|m| m == person) {
                            out.push(format!("{who} is already a member of {}", body.name));
                        }
                        if let Some(seats) = body.seats
                            && members.len() >= seats as usize
                        {
                            out.push(format!(
                                "{} has no vacant seat: {} of {seats} are filled",
                                body.name,
                                members.len()
                            ));
                        }
                    }
                }
            }
            ActKind::Remove | ActKind::Resign => {
                if let Some(office) = &event.office {
                    if self.holders.get(office).map(String::as_str) != Some(person) {
                        out.push(format!(
                            "{who} does not hold {} on {}",
                            office_title(s, office),
                            event.date
                        ));
                    }
                } else if let Some(body) = event.body.as_deref().and_then(|b| s.body(b)) {
                    if event.role == Some(Role::Chair) {
                        if self.chairs.get(&body.id).map(String::as_str) != Some(person) {
                            out.push(format!(
                                "{who} does not chair {} on {}",
                                body.name, event.date
                            ));
                        }
                    } else if !self
                        .members
                        .get(&body.id)
                        .is_some_and(|m| m.iter().any(|x| x == person))
                    {
                        out.push(format!(
                            "{who} is not a member of {} on {}",
                            body.name, event.date
                        ));
                    }
                }
            }
            ActKind::Transfer | ActKind::EndInterest => {
                if event.act == ActKind::Transfer
                    && let Some(i) = self.interest(event.interest_id.as_deref())
                {
                    for c in s.constraint.iter().filter(|c| {
                        c.entity == i.subject && c.no_transfer.is_some() && c.no_transfer == i.class
                    }) {
                        out.push(format!(
                            "class {} of {} may not be transferred (constraint `{}`)",
                            i.class.as_deref().unwrap_or("?"),
                            s.name(&i.subject),
                            c.id
                        ));
                    }
                }
                match self.interest(event.interest_id.as_deref()) {
                    None => out.push(format!(
                        "interest `{}` does not exist on {}",
                        event.interest_id.as_deref().unwrap_or_default(),
                        event.date
                    )),
                    Some(i) if !self.interest_active(i) => out.push(format!(
                        "interest `{}` is not in force on {}",
                        i.id, event.date
                    )),
                    Some(_) => {}
                }
            }
            ActKind::Issue => {
                if let Some(i) = &event.interest
                    && self.interests.iter().any(|x| x.id == i.id)
                {
                    out.push(format!("an interest with id `{}` already exists", i.id));
                }
            }
            ActKind::Declare => {
                if let Some(d) = &event.declaration
                    && self.declarations.iter().any(|x| &x.name == d)
                {
                    out.push(format!("`{d}` was already declared"));
                }
            }
            ActKind::AmendRule | ActKind::Meeting => {}
        }
        out
    }

    /// Apply a valid act's effect.
    fn effect(&mut self, s: &Structure, event: &Event) {
        let person = event.person.clone().unwrap_or_default();
        match event.act {
            ActKind::Appoint => {
                if let Some((b, by)) = seat_right_act(s, event) {
                    self.seated_by
                        .entry(b.id.clone())
                        .or_default()
                        .push((person.clone(), by.to_string()));
                }
                let held = if let Some(office) = &event.office {
                    self.holders.insert(office.clone(), person.clone());
                    Some(Held::Office(office.clone()))
                } else if let Some(body) = &event.body {
                    if event.role == Some(Role::Chair) {
                        self.chairs.insert(body.clone(), person.clone());
                        Some(Held::Chair(body.clone()))
                    } else {
                        self.members
                            .entry(body.clone())
                            .or_default()
                            .push(person.clone());
                        Some(Held::Seat(body.clone(), person))
                    }
                } else {
                    None
                };
                if let Some(held) = held {
                    match &event.source {
                        Some(src) => self.sources.insert(held, src.clone()),
                        None => self.sources.remove(&held),
                    };
                }
            }
            ActKind::Remove | ActKind::Resign => {
                if event.office.is_none()
                    && event.role != Some(Role::Chair)
                    && let Some(v) = event.body.as_ref().and_then(|b| self.seated_by.get_mut(b))
                {
                    v.retain(|(m, _)| *m != person);
                }
                if let Some(office) = &event.office {
                    self.holders.remove(office);
                    self.sources.remove(&Held::Office(office.clone()));
                } else if let Some(body) = &event.body {
                    if event.role != Some(Role::Chair)
                        && let Some(m) = self.members.get_mut(body)
                    {
                        m.retain(|x| x != &person);
                        self.sources
                            .remove(&Held::Seat(body.clone(), person.clone()));
                    }
                    if self.chairs.get(body) == Some(&person) {
                        self.chairs.remove(body);
                        self.sources.remove(&Held::Chair(body.clone()));
                    }
                }
            }
            ActKind::Issue => {
                if let Some(i) = &event.interest {
                    let mut i = (**i).clone();
                    i.start = i.start.or(Some(event.date));
                    self.interests.push(i);
                    self.indexed(self.interests.len() - 1);
                }
            }
            ActKind::Transfer => {
                let id = event.interest_id.clone().unwrap_or_default();
                if let Some(&at) = self.by_id.get(&id) {
                    self.interests[at].holder = event.to.clone();
                }
            }
            ActKind::EndInterest => {
                let id = event.interest_id.clone().unwrap_or_default();
                self.ended.insert(id, event.date);
            }
            ActKind::AmendRule => {
                if let Some(r) = &event.rule {
                    self.rules
                        .retain(|old| !(old.body == r.body && old.decision == r.decision));
                    self.rules.push((**r).clone());
                }
            }
            ActKind::Declare => {
                let name = event.declaration.clone().unwrap_or_default();
                for i in &self.interests {
                    if i.ends_on.as_deref() == Some(name.as_str()) {
                        self.ended.entry(i.id.clone()).or_insert(event.date);
                    }
                }
                self.declarations.push(Declaration {
                    name,
                    date: event.date,
                    by: authority_for(s, event)
                        .or_else(|| event.by.clone())
                        .unwrap_or_default(),
                });
            }
            ActKind::Meeting => {}
        }
    }
}

impl Ballots {
    /// The ballots an event records: its meeting's attendance and its votes,
    /// or its written consent. `None` when it records neither.
    pub fn of_event(state: &State, event: &Event) -> Option<Ballots> {
        if let Some(c) = &event.consent {
            return Some(Ballots {
                consent: Some(c.clone()),
                ..Ballots::default()
            });
        }
        let meeting = state.meetings.get(event.meeting.as_ref()?)?;
        Some(Ballots {
            consent: None,
            attendance_unknown: meeting.present.is_none(),
            present: meeting.present.clone().unwrap_or_default(),
            notified: meeting.notified.clone(),
            votes_for: event.votes_for.clone(),
            against: event.against.clone(),
            abstain: event.abstain.clone(),
        })
    }
}

/// Whether the count that applies is taken on total seats: the quorum and
/// threshold at a meeting, the written-consent quota otherwise.
fn mentions_total_seats(rule: &AppliedRule, by_consent: bool) -> bool {
    let quotas = if by_consent {
        vec![rule.rule.written_consent]
    } else {
        vec![rule.rule.quorum, Some(rule.rule.threshold)]
    };
    quotas
        .iter()
        .flatten()
        .any(|q| q.base() == Some(Base::TotalSeats))
}

/// The reasons a decision failed, in words.
/// A condition in words, with the names of the parties it names.
pub fn condition_text(s: &Structure, c: &ConditionCheck) -> String {
    match &c.consent_of {
        Some(p) => format!("the consent of {}", s.name(p)),
        None => c.description.clone(),
    }
}

/// Nothing is carried without a vote for it: where the quota asks for
/// none (a fraction of no votes cast), one vote for is needed. `actual`
/// bounds the votes for.
fn at_least_one(mut c: Count, actual: (u64, u64)) -> Count {
    if c.required > 0 {
        return c;
    }
    c.required = 1;
    if actual.0 >= 1 {
        c.met = true;
        c.unknown = false;
    } else if actual.1 < 1 {
        c.met = false;
        c.unknown = false;
    } else {
        c.met = false;
        c.unknown = true;
        c.at_most = Some(actual.1);
    }
    c
}

pub fn decision_failures(s: &Structure, d: &Decision) -> Vec<String> {
    let mut out = Vec::new();
    // Ballots that counted for nothing explain a failure; beside a decision
    // carried without them, they change nothing.
    if !d.passed {
        for n in &d.not_counted {
            out.push(format!(
                "{} was named at the decision, but counts for nothing: {}",
                s.name(&n.party),
                n.reason
            ));
        }
    }
    if let Some(why) = &d.no_power {
        out.push(format!("no power: {why}"));
    }
    let names = |ps: &[String]| {
        ps.iter()
            .map(|p| s.name(p).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let holders = s.body(&d.body).is_some_and(|b| b.kind.is_holder_body());
    if let Some(q) = &d.quorum
        && !q.met
    {
        out.push(format!(
            "no quorum: {} present, {} needed ({})",
            q.show(q.actual),
            q.show_needed(),
            crate::quota::in_words(&q.quota, q.base.map(|b| q.show(b)), holders)
        ));
    }
    if let Some(n) = &d.notice
        && !n.met
    {
        if n.recorded {
            out.push(format!(
                "{} required; not given to {}",
                n.required,
                names(&n.missing)
            ));
        } else {
            out.push(format!(
                "{} required; the meeting's record does not say who was given notice",
                n.required
            ));
        }
    }
    for c in d
        .conditions
        .iter()
        .filter(|c| c.group == "all" && !c.met && !c.unknown)
    {
        out.push(match &c.count {
            Some(n) => format!(
                "condition not met: {}: {} for, {} needed (of {})",
                c.description,
                n.show(n.actual),
                n.show_needed(),
                n.show(n.base.unwrap_or(0))
            ),
            None => format!("condition not met: {}", condition_text(s, c)),
        });
    }
    let anys: Vec<&ConditionCheck> = d.conditions.iter().filter(|c| c.group == "any").collect();
    if !anys.is_empty() && anys.iter().all(|c| !c.met && !c.unknown) {
        out.push(format!(
            "none of the alternatives is met: {}",
            anys.iter()
                .map(|c| condition_text(s, c))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if !d.threshold.met {
        let t = &d.threshold;
        let one = t.show(t.actual) == "1";
        let what = match (d.mode == "written-consent", one) {
            (true, true) => "consent",
            (true, false) => "consents",
            (false, true) => "vote for",
            (false, false) => "votes for",
        };
        out.push(format!(
            "not carried: {} {what}, {} needed ({})",
            t.show(t.actual),
            t.show_needed(),
            d.threshold_words(holders)
        ));
    }
    out
}

/// Who performs an act by right of the structure: the office's or body's
/// `filled_by`, the entity's board, or the body itself. `None` when the
/// structure names no one (then the event's `by` decides).
/// An appointment to, or removal from, a body's seat by one of the
/// holders of a right to fill its seats (`appointments`): the body and the
/// holder.
fn seat_right_act<'a>(s: &'a Structure, event: &'a Event) -> Option<(&'a Body, &'a str)> {
    if !matches!(event.act, ActKind::Appoint | ActKind::Remove)
        || event.office.is_some()
        || event.role.is_some()
    {
        return None;
    }
    let body = s.body(event.body.as_deref()?)?;
    let by = event.by.as_deref()?;
    body.appointments
        .iter()
        .any(|r| r.by == by)
        .then_some((body, by))
}

pub fn authority_for(s: &Structure, event: &Event) -> Option<String> {
    // A holder of a right to fill a body's seats appoints to them, and
    // removes whom it appointed.
    if let Some((_, by)) = seat_right_act(s, event) {
        return Some(by.to_string());
    }
    let board_of = |entity: &str| {
        s.body
            .iter()
            .find(|b| b.entity == entity && b.kind == BodyKind::Board)
            .map(|b| b.id.clone())
    };
    match event.act {
        ActKind::Appoint | ActKind::Remove => {
            if let Some(o) = event.office.as_deref().and_then(|o| s.office(o)) {
                o.filled_by.clone().or_else(|| board_of(&o.entity))
            } else if let Some(b) = event.body.as_deref().and_then(|b| s.body(b)) {
                if event.role == Some(Role::Chair) {
                    Some(b.id.clone())
                } else {
                    b.filled_by.clone().or_else(|| Some(b.id.clone()))
                }
            } else {
                None
            }
        }
        ActKind::AmendRule => event.rule.as_ref().map(|r| r.body.clone()),
        ActKind::Issue if event.by.is_none() => {
            event.interest.as_ref().and_then(|i| board_of(&i.subject))
        }
        _ => None,
    }
}

fn office_title(s: &Structure, office: &str) -> String {
    let title = s.office(office).map_or(office, |o| o.title.as_str());
    let entity = s
        .office(office)
        .map(|o| s.name(&o.entity).to_string())
        .unwrap_or_default();
    if entity.is_empty() {
        title.to_string()
    } else {
        format!("{title} of {entity}")
    }
}

/// An interest in words: "Microsoft Corporation has contractual rights in
/// OpenAI, Inc.".
fn interest_words(s: &Structure, i: &Interest) -> String {
    format!(
        "{} {} {}",
        i.holder
            .as_deref()
            .map_or("an unspecified holder", |h| s.name(h)),
        i.kind.plain(),
        s.name(&i.subject)
    )
}

/// The interest `id` named for people: "the interest by which Microsoft
/// Corporation has a share of the profits of OpenAI Global, LLC", found
/// among the structure's interests and those its events issue.
fn interest_named(s: &Structure, id: &str) -> String {
    s.interest
        .iter()
        .chain(s.event.iter().filter_map(|e| e.interest.as_deref()))
        .find(|i| i.id == id)
        .map_or_else(
            || format!("interest `{id}`"),
            |i| format!("the interest by which {}", interest_words(s, i)),
        )
}

/// The act in words: "remove Sam Altman as chief executive officer".
pub fn summary(s: &Structure, e: &Event) -> String {
    let who = e.person.as_deref().map(|p| s.name(p)).unwrap_or("?");
    let place = if let Some(o) = &e.office {
        office_title(s, o)
    } else if let Some(b) = &e.body {
        match e.role {
            Some(Role::Chair) => format!("chair of {}", s.name(b)),
            None => s.name(b).to_string(),
        }
    } else {
        "?".to_string()
    };
    let interest = e
        .interest_id
        .clone()
        .or_else(|| e.interest.as_ref().map(|i| i.id.clone()))
        .unwrap_or_default();
    match e.act {
        ActKind::Meeting => match &e.present {
            Some(p) => format!(
                "meeting of {} ({} present)",
                e.body.as_deref().map(|b| s.name(b)).unwrap_or("?"),
                p.len()
            ),
            None => format!(
                "meeting of {} (attendance not recorded)",
                e.body.as_deref().map(|b| s.name(b)).unwrap_or("?")
            ),
        },
        ActKind::Appoint if e.office.is_some() || e.role.is_some() => {
            format!("appoint {who} as {place}")
        }
        ActKind::Appoint => format!("appoint {who} to {place}"),
        ActKind::Remove if e.office.is_some() || e.role.is_some() => {
            format!("remove {who} as {place}")
        }
        ActKind::Remove => format!("remove {who} from {place}"),
        ActKind::Resign if e.office.is_some() || e.role.is_some() => {
            format!("{who} resigns as {place}")
        }
        ActKind::Resign => format!("{who} resigns from {place}"),
        ActKind::Issue => match &e.interest {
            Some(i) => format!("issue an interest: {}", interest_words(s, i)),
            None => format!("issue interest `{interest}`"),
        },
        ActKind::Transfer => format!(
            "transfer {} to {}",
            interest_named(s, &interest),
            e.to.as_deref().map(|t| s.name(t)).unwrap_or("?")
        ),
        ActKind::EndInterest => format!("end {}", interest_named(s, &interest)),
        ActKind::AmendRule => format!(
            "amend the rule of {} for {}",
            e.rule.as_ref().map(|r| s.name(&r.body)).unwrap_or("?"),
            e.rule.as_ref().map(|r| r.decision.as_str()).unwrap_or("?")
        ),
        ActKind::Declare => format!("declare `{}`", e.declaration.as_deref().unwrap_or("?")),
    }
}
