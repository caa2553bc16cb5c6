//! The structure a user writes down: parties, bodies, offices, rules,
//! interests, events and economic terms.
//!
//! These types are the structure file's schema. Field names are stable:
//! they are the keys of the TOML and JSON formats and of the JSON Schema
//! in `schema/structure.schema.json`.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::quota::Quota;

/// A whole structure: what one file describes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Structure {
    /// What this structure is, and the dates its report highlights.
    #[serde(default)]
    pub scenario: Scenario,
    /// Where the facts come from. Facts and rules name a source by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source: Vec<Source>,
    /// Persons and entities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub party: Vec<Party>,
    /// Organs that decide: boards, members, shareholders' meetings, classes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<Body>,
    /// Offices such as CEO, president or interim CEO.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub office: Vec<Office>,
    /// How a body takes a kind of decision.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule: Vec<Rule>,
    /// Dated interests of parties in entities (BODS 0.4 interest types).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interest: Vec<Interest>,
    /// The timeline: dated acts, in date order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event: Vec<Event>,
    /// Classes of shares or units the entities have issued: counts, votes
    /// per share, treasury shares, voting caps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub share_class: Vec<StockClass>,
    /// Economic terms of an entity: tiers, caps and the residual.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub economics: Vec<EconomicTerms>,
    /// Holders who act in concert (a family, a shareholders' or voting
    /// agreement): where the agreement binds them, their votes count as one
    /// holder's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<Group>,
    /// Charter constraints, checked on every date of the timeline: a
    /// holder that must keep its votes, a party that must keep control, a
    /// class that may not be transferred.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraint: Vec<Constraint>,
    /// Alternative assumptions: the same timeline replayed under other rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variant: Vec<Variant>,
    /// Look-ups by id, found on first use (not part of the file).
    #[serde(skip)]
    #[schemars(skip)]
    pub index: crate::index::Index,
}

/// What the structure is about.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short machine name, such as `openai-2023`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// A human title.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The sources of the description, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Dates whose state the report shows. Defaults to the day before the
    /// first event and the date of the last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlight: Vec<NaiveDate>,
    /// The date of the key event (a removal, a takeover): the graph shows
    /// the structure as it stood at the end of that day unless `--as-of`
    /// says otherwise. Defaults to the date of the first act.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_date: Option<NaiveDate>,
    /// The date commands use when `--as-of` is not given. Defaults to the
    /// date of the last event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// The date from which the file's initial state (its bodies' members,
    /// chairs, office holders, and interests with no start date) is known.
    /// On earlier dates they are not shown: the file says nothing of them.
    /// Defaults to the day before the first event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_from: Option<NaiveDate>,
    /// Questions the report answers: can this group block that act?
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub question: Vec<BlockQuestion>,
    /// Voting power the report shows: a body's game for a decision on dates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub power: Vec<PowerQuestion>,
}

/// "How much power does each member have for this decision on these dates,
/// and can this group block it?"
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerQuestion {
    pub body: String,
    /// The decision kind, such as `remove-officer`.
    pub decision: String,
    pub dates: Vec<NaiveDate>,
    /// The member the decision concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// A group whose power to block is asked about, on the dates where all
    /// its members vote.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<String>,
}

/// "Could this group have blocked that act?"
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockQuestion {
    /// The event (by id) whose act is in question.
    pub event: String,
    /// The parties who would have opposed it.
    pub group: Vec<String>,
}

/// A document, article or statute that a fact comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    /// Who published it: a newspaper, a company, a legislature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// What in it the facts rest on, or how far it can be trusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The source cannot be identified well enough for a reader to find
    /// it: every output that cites it says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unidentified: bool,
}

impl Source {
    /// Whether a reader could find it: it is not marked unidentified and
    /// gives a publisher, a date or an address beside its title.
    pub fn findable(&self) -> bool {
        !self.unidentified
            && (self.publisher.is_some() || self.url.is_some() || self.date.is_some())
    }

    /// The citation, as a reader would write it: title, publisher, date,
    /// address, and whether it can be checked.
    pub fn citation(&self) -> String {
        let mut parts = vec![self.title.clone()];
        parts.extend(self.publisher.clone());
        parts.extend(self.date.map(|d| d.format("%-d %B %Y").to_string()));
        parts.extend(self.url.clone());
        // "Title?. Publisher" reads wrong: a part that ends in its own
        // punctuation takes no full stop.
        let mut out = String::new();
        for p in parts {
            if !out.is_empty() {
                out.push_str(if out.ends_with(['?', '!', '.']) {
                    " "
                } else {
                    ". "
                });
            }
            out.push_str(&p);
        }
        if self.unidentified {
            out.push_str(". Not identified: it cannot be checked");
        } else if !self.findable() {
            out.push_str(". No publisher, date or address: it cannot be found as cited");
        }
        out
    }
}

/// A person or an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: PartyKind,
    /// ISO 3166-1 or 3166-2 code, such as `US-DE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// Identifiers in other registers (LEI, company number, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// When the entity came into existence (BODS `foundingDate`). Before
    /// it, the entity does not appear and no interest in it or of it is in
    /// force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub founded: Option<NaiveDate>,
    /// When the entity ceased to exist (BODS `dissolutionDate`). From that
    /// date it does not appear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dissolved: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An identifier of a party in a register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identifier {
    /// The scheme, as an org-id.guide code (`XI-LEI`, `GB-COH`, ...).
    pub scheme: String,
    pub id: String,
}

/// What kind of party this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PartyKind {
    Person,
    Nonprofit,
    Corporation,
    Llc,
    Lp,
    Gp,
    Trust,
    /// A trust for a purpose, with no beneficiaries to own it.
    PurposeTrust,
    /// A foundation: no owners, governed by its board (council).
    Foundation,
    Fund,
    StateBody,
    Arrangement,
    Unknown,
}

impl PartyKind {
    pub fn is_person(self) -> bool {
        self == PartyKind::Person
    }

    pub fn label(self) -> &'static str {
        match self {
            PartyKind::Person => "person",
            PartyKind::Nonprofit => "nonprofit",
            PartyKind::Corporation => "corporation",
            PartyKind::Llc => "LLC",
            PartyKind::Lp => "LP",
            PartyKind::Gp => "GP",
            PartyKind::Trust => "trust",
            PartyKind::PurposeTrust => "purpose trust",
            PartyKind::Foundation => "foundation",
            PartyKind::Fund => "fund",
            PartyKind::StateBody => "state body",
            PartyKind::Arrangement => "arrangement",
            PartyKind::Unknown => "unknown entity",
        }
    }
}

/// An organ of an entity that decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub id: String,
    /// The entity this body decides for.
    pub entity: String,
    pub name: String,
    pub kind: BodyKind,
    /// The number of seats the constitution fixes. When absent, the number
    /// of seats is the number of members in office (and that is recorded as
    /// an assumption wherever it matters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats: Option<u32>,
    /// Who appoints and removes members: a body id or a party id. Absent:
    /// the body fills its own seats (a self-perpetuating board).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filled_by: Option<String>,
    /// Members at the start of the timeline (one vote each). Holder bodies
    /// (`shareholders`, `class`) take their members and votes from interests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// The chair at the start of the timeline; must be a member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chair: Option<String>,
    /// For holder bodies: only interests of this share class carry votes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Who fills how many of the seats, and from when: rights by seat that
    /// may phase in by date or on a milestone. Appointing a majority of the
    /// seats is control; a minority, influence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appointments: Vec<SeatRight>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A right to fill some of a body's seats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatRight {
    /// Who fills the seats: a party, or a body (a class of holders electing
    /// its seats: its majority holder, if it has one, appoints them).
    pub by: String,
    /// How many seats.
    pub seats: u32,
    /// From this date (absent: from the start of the record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Until this date (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Only once this declaration is validly made (a milestone, such as
    /// `series-e-closing`), from its date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Members of the body who sit in these seats at the start of the
    /// record (members appointed later by `by` are recorded as they are).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filled_with: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Whether the right, or a detail of it (its day), is assumed rather
    /// than shown by its source: every finding and verdict that rests on
    /// it says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumption: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The kind of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BodyKind {
    /// A board of directors or trustees: one vote per seat.
    Board,
    /// A committee of a board: one vote per seat.
    Committee,
    /// The members of a nonstock corporation: one vote per member.
    Members,
    /// The holders of voting shares or units, weighted by votes.
    Shareholders,
    /// The holders of one share class, weighted by votes.
    Class,
}

impl BodyKind {
    /// Whether members and their votes come from interests (weighted).
    pub fn is_holder_body(self) -> bool {
        matches!(self, BodyKind::Shareholders | BodyKind::Class)
    }
}

/// An office such as CEO.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub id: String,
    /// The entity whose office this is.
    pub entity: String,
    pub title: String,
    /// The body or party that appoints and removes the holder. Absent: the
    /// entity's board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filled_by: Option<String>,
    /// The holder at the start of the timeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// A constitutional document: bylaws, articles, an agreement.
    Document,
    /// A statute's default rule.
    Statute,
    /// Not shown by the public record: assumed.
    Assumption,
}

impl Basis {
    pub fn label(self) -> &'static str {
        match self {
            Basis::Document => "document",
            Basis::Statute => "statute",
            Basis::Assumption => "assumption",
        }
    }
}

/// How a body takes one kind of decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A name for the rule, used in explanations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub body: String,
    /// The decision kind (`remove-officer`, `appoint-director`, ...) or `*`
    /// for every decision the body has no more specific rule for.
    pub decision: String,
    /// Members who must be present, e.g. `majority of total-seats`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum: Option<Quota>,
    /// Votes for that carry the act, e.g. `majority of present`.
    pub threshold: Quota,
    /// Who may not vote: `subject` (the member the act concerns) or party ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ineligible: Vec<String>,
    /// Notice a meeting needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
    /// Whether the body may act without a meeting by written consent, and
    /// with what support. Absent: unanimous consent of members in office
    /// (DGCL §141(f)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_consent: Option<Quota>,
    /// Further conditions that must all hold too: two thirds of the votes
    /// and a majority of the capital represented; each class voting
    /// separately; a named holder's consent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<Condition>,
    /// Alternatives: where given, at least one of them must hold too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<Condition>,
    pub basis: Basis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One condition of a composite rule, counted on the same ballots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The body whose members are counted (a class voting separately).
    /// Absent: the rule's body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// What the condition needs, such as `2/3 of votes-cast` or `majority of
    /// capital-represented`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Quota>,
    /// A party whose consent is needed (a golden share, a consent right):
    /// it must vote for, or sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Notice a meeting must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Notice {
    /// No notice needed.
    None,
    /// Every member in office must be notified.
    AllMembers,
}

/// Defines [`InterestType`] from one list of (variant, BODS code) pairs, so
/// that the enum, its serde names, `code`, `from_code` and `ALL` cannot
/// disagree.
macro_rules! interest_types {
    ($($variant:ident = $code:literal, $plain:literal,)*) => {
        /// A BODS 0.4 interest type (codelist `interestType.csv`).
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
        )]
        pub enum InterestType {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl InterestType {
            /// Every code, in codelist order.
            pub const ALL: &'static [InterestType] = &[$(InterestType::$variant,)*];

            /// The BODS code, as written in files.
            pub fn code(self) -> &'static str {
                match self {
                    $(InterestType::$variant => $code,)*
                }
            }

            /// The interest in plain words, as a verb phrase between the
            /// holder and the entity: "holds shares in", "appoints the
            /// board of". For people; JSON keeps the code.
            pub fn plain(self) -> &'static str {
                match self {
                    $(InterestType::$variant => $plain,)*
                }
            }

            /// The interest type of a BODS code, if it is in the codelist.
            pub fn from_code(code: &str) -> Option<InterestType> {
                match code {
                    $($code => Some(InterestType::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

interest_types! {
    Shareholding = "shareholding", "holds shares in",
    VotingRights = "votingRights", "holds votes in",
    AppointmentOfBoard = "appointmentOfBoard", "appoints the board of",
    OtherInfluenceOrControl = "otherInfluenceOrControl", "has other influence or control over",
    SeniorManagingOfficial = "seniorManagingOfficial", "is a senior managing official of",
    Settlor = "settlor", "is the settlor of",
    Trustee = "trustee", "is a trustee of",
    Protector = "protector", "is a protector of",
    BeneficiaryOfLegalArrangement = "beneficiaryOfLegalArrangement", "is a beneficiary of",
    RightsToSurplusAssetsOnDissolution = "rightsToSurplusAssetsOnDissolution", "has a claim on the assets left at dissolution of",
    RightsToProfitOrIncome = "rightsToProfitOrIncome", "has a share of the profits of",
    RightsGrantedByContract = "rightsGrantedByContract", "has contractual rights in",
    ConditionalRightsGrantedByContract = "conditionalRightsGrantedByContract", "has conditional contractual rights in",
    ControlViaCompanyRulesOrArticles = "controlViaCompanyRulesOrArticles", "controls, under the articles or rules,",
    ControlByLegalFramework = "controlByLegalFramework", "controls, by law,",
    BoardMember = "boardMember", "sits on the board of",
    BoardChair = "boardChair", "chairs the board of",
    UnknownInterest = "unknownInterest", "has an interest of unknown kind in",
    UnpublishedInterest = "unpublishedInterest", "has an unpublished interest in",
    EnjoymentAndUseOfAssets = "enjoymentAndUseOfAssets", "enjoys and uses the assets of",
    RightToProfitOrIncomeFromAssets = "rightToProfitOrIncomeFromAssets", "has a share of the income from the assets of",
    Nominee = "nominee", "is a nominee in",
    Nominator = "nominator", "is a nominator in",
}

impl InterestType {
    /// Whether the interest is economic: a claim on profits or assets.
    pub fn is_economic(self) -> bool {
        use InterestType::*;
        matches!(
            self,
            Shareholding
                | RightsToProfitOrIncome
                | RightsToSurplusAssetsOnDissolution
                | RightToProfitOrIncomeFromAssets
                | BeneficiaryOfLegalArrangement
        )
    }
}

/// Whether an interest is held directly or through intermediaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum DirectOrIndirect {
    #[default]
    Direct,
    Indirect,
    Unknown,
}

impl DirectOrIndirect {
    pub fn is_direct(&self) -> bool {
        *self == DirectOrIndirect::Direct
    }
}

/// A share, in percent: exact, or a range with optional exclusive bounds
/// (BODS 0.4 `share`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Share {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_minimum: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_maximum: Option<Decimal>,
}

impl Share {
    pub fn exact(percent: Decimal) -> Share {
        Share {
            exact: Some(percent),
            ..Share::default()
        }
    }

    /// The lower bound of a share and whether it is excluded, from its
    /// `minimum` and `exclusiveMinimum`. Where both are given (BODS's
    /// checks call that an error), both constraints hold, so the stricter
    /// counts: `minimum = 50, exclusive_minimum = 50` is more than 50%.
    /// The one reading of a share's bounds, for structures and registers.
    pub fn lower_of(
        minimum: Option<Decimal>,
        exclusive: Option<Decimal>,
    ) -> Option<(Decimal, bool)> {
        match (minimum, exclusive) {
            (Some(m), Some(x)) if x >= m => Some((x, true)),
            (Some(m), _) => Some((m, false)),
            (None, Some(x)) => Some((x, true)),
            (None, None) => None,
        }
    }

    /// The upper bound and whether it is excluded, as [`Share::lower_of`].
    pub fn upper_of(
        maximum: Option<Decimal>,
        exclusive: Option<Decimal>,
    ) -> Option<(Decimal, bool)> {
        match (maximum, exclusive) {
            (Some(m), Some(x)) if x <= m => Some((x, true)),
            (Some(m), _) => Some((m, false)),
            (None, Some(x)) => Some((x, true)),
            (None, None) => None,
        }
    }

    /// The lower bound and whether it is excluded (an exact share is its
    /// own closed bound).
    pub fn lower_bound(&self) -> Option<(Decimal, bool)> {
        match self.exact {
            Some(e) => Some((e, false)),
            None => Share::lower_of(self.minimum, self.exclusive_minimum),
        }
    }

    /// The upper bound and whether it is excluded.
    pub fn upper_bound(&self) -> Option<(Decimal, bool)> {
        match self.exact {
            Some(e) => Some((e, false)),
            None => Share::upper_of(self.maximum, self.exclusive_maximum),
        }
    }

    /// The lowest value the share can take (exclusive bounds count as the bound).
    pub fn lower(&self) -> Option<Decimal> {
        self.lower_bound().map(|(d, _)| d)
    }

    /// The highest value the share can take.
    pub fn upper(&self) -> Option<Decimal> {
        self.upper_bound().map(|(d, _)| d)
    }

    /// Whether the share is certainly above `percent`.
    pub fn surely_above(&self, percent: Decimal) -> bool {
        match self.lower_bound() {
            Some((lo, false)) => lo > percent,
            Some((lo, true)) => lo >= percent,
            None => false,
        }
    }

    /// `49%`, `25–50%`, `>25–50%`.
    pub fn label(&self) -> String {
        if let Some(e) = self.exact {
            return format!("{}%", e.normalize());
        }
        let lo = match self.lower_bound() {
            Some((m, false)) => format!("{}", m.normalize()),
            Some((m, true)) => format!(">{}", m.normalize()),
            None => "?".to_string(),
        };
        let hi = match self.upper_bound() {
            Some((m, false)) => format!("{}", m.normalize()),
            Some((m, true)) => format!("<{}", m.normalize()),
            None => "?".to_string(),
        };
        format!("{lo}–{hi}%")
    }

    /// Every bound given, with its field name.
    pub fn bounds(&self) -> [(&'static str, Option<Decimal>); 5] {
        [
            ("exact", self.exact),
            ("minimum", self.minimum),
            ("maximum", self.maximum),
            ("exclusive_minimum", self.exclusive_minimum),
            ("exclusive_maximum", self.exclusive_maximum),
        ]
    }
}

/// Why an interested party is not named (BODS `unspecifiedReason`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unspecified {
    pub reason: UnspecifiedReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The BODS 0.4 `unspecifiedReason` codelist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum UnspecifiedReason {
    NoBeneficialOwners,
    SubjectUnableToConfirmOrIdentifyBeneficialOwner,
    InterestedPartyHasNotProvidedInformation,
    SubjectExemptFromDisclosure,
    InterestedPartyExemptFromDisclosure,
    Unknown,
    InformationUnknownToPublisher,
}

/// A dated, directed interest of a party in an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interest {
    pub id: String,
    /// The entity the interest is in.
    pub subject: String,
    /// The party holding it. Absent only when `unspecified` says why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unspecified: Option<Unspecified>,
    #[serde(rename = "type")]
    pub kind: InterestType,
    #[serde(default, skip_serializing_if = "DirectOrIndirect::is_direct")]
    pub direct_or_indirect: DirectOrIndirect,
    /// For indirect interests: the interests, in order from the holder's
    /// side, that the indirect interest runs through (BODS component records).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// Whether this makes the holder a beneficial owner or controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficial_ownership_or_control: Option<bool>,
    /// Free text: "managing member", "non-voting observer", ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// In percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Share>,
    /// Number of shares or units held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Votes each unit carries in a holder body (default: its class's
    /// `votes_per_share`, else 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes_per_unit: Option<Decimal>,
    /// Who casts this holding's votes, when not its holder: a voting trust,
    /// a proxy, a partnership that carries a foundation's votes, the other
    /// side of a voting agreement. Capital and economics stay the holder's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voted_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// A declaration (by name) that ends this interest when validly made,
    /// such as `agi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Whether the interest is assumed rather than shown by its source.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumption: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A class of shares (or units) an entity has issued. Holdings name their
/// class and count (`units`); votes and capital are derived from the
/// counts exactly, against every share of the entity, named holder or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StockClass {
    pub id: String,
    /// The entity that issued the class.
    pub entity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Shares issued, treasury shares included.
    pub issued: Decimal,
    /// Shares the charter authorises: at most this many may be issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorised: Option<Decimal>,
    /// Shares the entity holds itself: they carry no votes and no economic
    /// rights, and are outside the voting and capital base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treasury: Option<Decimal>,
    /// Nominal (par) value of a share, where capital is counted in value
    /// rather than in shares (Swiss law's "nominal value represented").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominal: Option<Decimal>,
    /// Votes each share carries at the general meeting; 0 for non-voting
    /// shares. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes_per_share: Option<Decimal>,
    /// A voting cap: no holder casts more than this percentage (of what
    /// `vote_cap_of` says) with the class's shares; the rest cannot be
    /// cast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote_cap: Option<Decimal>,
    /// What the voting cap is a percentage of: `votes`, every vote the
    /// entity's shares carry, treasury shares excluded (the default); or
    /// `capital`, the share capital as registered: every share issued,
    /// treasury shares included, at its nominal value (as Nestlé's
    /// articles word it: "5% of the share capital as recorded in the
    /// commercial register").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote_cap_of: Option<CapBase>,
    /// Economic rank in a liquidation: 1 is paid first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// Economic rights, in words ("dividends equal to class A", "none").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economic_rights: Option<String>,
    /// What each share converts into, if it converts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converts_into: Option<Conversion>,
    /// Limits on transfer, in words ("converts into class A on any transfer
    /// outside the founders").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_restriction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl StockClass {
    /// Votes per share (1 unless stated).
    pub fn votes(&self) -> Decimal {
        self.votes_per_share.unwrap_or(Decimal::ONE)
    }

    /// Shares outstanding: issued less treasury.
    pub fn outstanding(&self) -> Decimal {
        self.issued - self.treasury.unwrap_or(Decimal::ZERO)
    }

    /// What one share counts for as capital: its nominal value, else one.
    pub fn capital_per_share(&self) -> Decimal {
        self.nominal.unwrap_or(Decimal::ONE)
    }
}

/// What a voting cap is a percentage of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CapBase {
    /// Every vote the entity's shares carry, treasury shares excluded.
    #[default]
    Votes,
    /// The share capital as registered: every share issued, treasury
    /// shares included, counted at its nominal value.
    Capital,
}

/// A class's conversion into another class of the same entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    /// The class converted into.
    pub class: String,
    /// Shares of that class per share converted. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Decimal>,
    /// When it converts, in words ("at the holder's option", "on transfer").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// Holders who act in concert: a family, the parties to a shareholders' or
/// voting agreement. Where the agreement binds them (in its `entities`,
/// between `from` and `until`), the votes they hold or cast in those
/// entities' general meetings, and the board seats they appoint, count as
/// one holder's: for control, in `power` and `block`, for seat rights and
/// charter constraints. Each member still votes in the record as it did:
/// an agreement binds holders, not the count of a meeting. Directors are
/// never pooled: a board member's vote is not the subject of an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// An id in the namespace of parties and bodies.
    pub id: String,
    pub name: String,
    /// The parties who act together (two or more).
    pub members: Vec<String>,
    /// The entities whose votes the agreement binds; empty: every entity
    /// in which the members hold votes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<String>,
    /// What binds them, in words: "voting agreement of 2017-02-01", "family".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<String>,
    /// False for a group declared but not bound (a family with no
    /// agreement): its combined votes are reported, never pooled.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub binds: bool,
    /// In force from this date (inclusive); from the start of the record
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// In force until this date (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Group {
    /// Why the group does not bind its members on `date`, in words: it is
    /// declared only, or its agreement is not yet or no longer in force.
    pub fn not_binding_why(&self, date: Option<NaiveDate>) -> String {
        match (self.binds, date) {
            (false, _) => "declared, not binding".to_string(),
            (true, Some(d)) if self.from.is_some_and(|f| d < f) => format!(
                "its agreement binds from {}",
                self.from.map(|f| f.to_string()).unwrap_or_default()
            ),
            (true, Some(d)) if self.until.is_some_and(|u| u <= d) => format!(
                "its agreement ended on {}",
                self.until.map(|u| u.to_string()).unwrap_or_default()
            ),
            (true, _) => "its agreement does not bind here".to_string(),
        }
    }

    /// Whether the group binds its members' votes in `entity` on `date`
    /// (any date when `None`).
    pub fn binds_in(&self, entity: &str, date: Option<NaiveDate>) -> bool {
        self.binds
            && (self.entities.is_empty() || self.entities.iter().any(|e| e == entity))
            && date.is_none_or(|d| {
                self.from.is_none_or(|f| f <= d) && self.until.is_none_or(|u| d < u)
            })
    }
}

/// A constraint of an entity's charter or of an agreement: every act that
/// would breach it is invalid, and every date on which it is breached is
/// reported. Give one of `keeps_votes`, `controlled_by`, `no_transfer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    pub id: String,
    /// The entity constrained.
    pub entity: String,
    /// A party that must keep at least this share of the entity's votes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keeps_votes: Option<KeepsVotes>,
    /// A party that must control the entity, directly or through a chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controlled_by: Option<String>,
    /// A class of the entity's shares that may not be transferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_transfer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// "X must keep at least so much of the votes".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeepsVotes {
    pub party: String,
    /// In percent of the votes that can be cast.
    pub at_least: Decimal,
}

/// What an event does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActKind {
    /// A meeting of a body: who attended and who was notified.
    Meeting,
    /// A person takes an office, a seat on a body, or a role on it.
    Appoint,
    /// A person is removed from an office, a seat or a role.
    Remove,
    /// A person leaves an office, a seat or a role of their own accord.
    Resign,
    /// An interest is created.
    Issue,
    /// An interest passes to another holder.
    Transfer,
    /// An interest ends.
    EndInterest,
    /// A body's rule for a kind of decision is replaced.
    AmendRule,
    /// A declaration, such as that AGI has been reached.
    Declare,
}

/// A dated act on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Needed for meetings (resolutions refer to them) and for questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub date: NaiveDate,
    pub act: ActKind,
    /// The person appointed, removed or resigning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The office concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// The body concerned: the body meeting, or whose seat or role changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A role on `body`: `chair`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Who performs the act: a body (which then needs a meeting or written
    /// consent) or a party holding the right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The meeting (event id) at which `by` resolved this act.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    /// Members who signed a written consent, in lieu of a meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Vec<String>>,
    /// Ballots at the meeting.
    #[serde(default, rename = "for", skip_serializing_if = "Vec::is_empty")]
    pub votes_for: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub against: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abstain: Vec<String>,
    /// The decision kind that selects the rule; inferred from the act when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// For meetings: members present. Absent: not recorded (a quorum then
    /// counts those who voted, and may be undetermined); `[]`: no one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<Vec<String>>,
    /// For meetings: members notified. Absent: not recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified: Option<Vec<String>>,
    /// For `issue`: the new interest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest: Option<Box<Interest>>,
    /// For `transfer` and `end-interest`: the interest concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest_id: Option<String>,
    /// For `transfer`: the new holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// For `amend-rule`: the new rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Box<Rule>>,
    /// For `declare`: what is declared, such as `agi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Whether the event itself, or a detail of it, is assumed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumption: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Event {
    /// An act of `act` on `date` with every other field empty: the start
    /// of an event built in code (`Event { by: ..., ..Event::new(d, a) }`).
    pub fn new(date: NaiveDate, act: ActKind) -> Event {
        Event {
            id: None,
            date,
            act,
            person: None,
            office: None,
            body: None,
            role: None,
            by: None,
            meeting: None,
            consent: None,
            votes_for: Vec::new(),
            against: Vec::new(),
            abstain: Vec::new(),
            decision: None,
            present: None,
            notified: None,
            interest: None,
            interest_id: None,
            to: None,
            rule: None,
            declaration: None,
            source: None,
            assumption: false,
            note: None,
        }
    }
}

/// A role on a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Chair,
}

/// Economic terms of one entity: tiers, caps, share classes, a fund
/// waterfall and the residual. The type, and its computation, live in
/// `boardroom-waterfall`.
pub use boardroom_waterfall::{
    Cap, Investment, Portion, Receipt, ShareClass, Terms as EconomicTerms, Tier,
};

/// An alternative assumption: rules replaced or added, and the seat count
/// of bodies changed, to see which verdicts depend on the assumption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    pub description: String,
    /// Rules that replace the rule for the same body and decision.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule: Vec<Rule>,
    /// Seat counts that replace a body's `seats`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seats: Vec<SeatCount>,
    /// Economic terms that replace an entity's terms: another term sheet,
    /// or another reading of disputed terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub economics: Vec<EconomicTerms>,
}

/// A body's fixed number of seats, in a variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatCount {
    pub body: String,
    pub seats: u32,
}

/// The part of `items` at `pos` when its id is `id`, else (no index, or
/// an id not indexed) the first found by a scan.
fn found<'a, T>(
    items: &'a [T],
    pos: Option<Option<usize>>,
    id: &str,
    id_of: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    match pos {
        Some(Some(i)) => items.get(i).filter(|x| id_of(x) == id),
        Some(None) => None,
        None => items.iter().find(|x| id_of(x) == id),
    }
}

impl Structure {
    pub fn party(&self, id: &str) -> Option<&Party> {
        let pos = self.index.of(self).map(|p| p.party.get(id).copied());
        found(&self.party, pos, id, |p| &p.id)
    }

    pub fn body(&self, id: &str) -> Option<&Body> {
        let pos = self.index.of(self).map(|p| p.body.get(id).copied());
        found(&self.body, pos, id, |b| &b.id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        let pos = self.index.of(self).map(|p| p.group.get(id).copied());
        found(&self.group, pos, id, |g| &g.id)
    }

    /// The interest declared with id `id`, or else the first issued by an
    /// event.
    pub fn interest(&self, id: &str) -> Option<&Interest> {
        match self.index.of(self) {
            Some(p) => found(&self.interest, Some(p.interest.get(id).copied()), id, |i| {
                &i.id
            })
            .or_else(|| {
                let e = self.event.get(*p.event_interest.get(id)?)?;
                e.interest.as_deref().filter(|i| i.id == id)
            }),
            None => self.interest.iter().find(|i| i.id == id).or_else(|| {
                self.event
                    .iter()
                    .filter_map(|e| e.interest.as_deref())
                    .find(|i| i.id == id)
            }),
        }
    }

    /// The interests declared in `entity` (not those issued by events), in
    /// the order declared.
    pub fn interests_in<'a>(&'a self, entity: &str) -> Box<dyn Iterator<Item = &'a Interest> + 'a> {
        match self.index.of(self) {
            Some(p) => Box::new(
                p.interests_in
                    .get(entity)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|&i| &self.interest[i]),
            ),
            None => {
                let entity = entity.to_string();
                Box::new(self.interest.iter().filter(move |i| i.subject == entity))
            }
        }
    }

    /// The interests `holder` holds as declared (not those issued by
    /// events), in the order declared.
    pub fn interests_of<'a>(&'a self, holder: &str) -> Box<dyn Iterator<Item = &'a Interest> + 'a> {
        match self.index.of(self) {
            Some(p) => Box::new(
                p.interests_of
                    .get(holder)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|&i| &self.interest[i]),
            ),
            None => {
                let holder = holder.to_string();
                Box::new(
                    self.interest
                        .iter()
                        .filter(move |i| i.holder.as_deref() == Some(holder.as_str())),
                )
            }
        }
    }

    /// The group that binds `party`'s votes in `entity` on `date`: the
    /// first declared, where (against validation) two would.
    pub fn group_binding(
        &self,
        party: &str,
        entity: &str,
        date: Option<NaiveDate>,
    ) -> Option<&Group> {
        self.group
            .iter()
            .find(|g| g.members.iter().any(|m| m == party) && g.binds_in(entity, date))
    }

    pub fn office(&self, id: &str) -> Option<&Office> {
        let pos = self.index.of(self).map(|p| p.office.get(id).copied());
        found(&self.office, pos, id, |o| &o.id)
    }

    /// The share classes `entity` has issued, in the order declared.
    pub fn classes_of<'a>(&'a self, entity: &str) -> Box<dyn Iterator<Item = &'a StockClass> + 'a> {
        match self.index.of(self) {
            Some(p) => Box::new(
                p.classes
                    .get(entity)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|&i| &self.share_class[i]),
            ),
            None => {
                let entity = entity.to_string();
                Box::new(self.share_class.iter().filter(move |c| c.entity == entity))
            }
        }
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        let pos = self.index.of(self).map(|p| p.source.get(id).copied());
        found(&self.source, pos, id, |x| &x.id)
    }

    /// The date from which the initial state is known: `scenario.known_from`,
    /// else the day before the first event; `None` when neither is given.
    pub fn known_from(&self) -> Option<NaiveDate> {
        self.scenario.known_from.or_else(|| {
            self.event
                .iter()
                .map(|e| e.date)
                .min()
                .and_then(|d| d.pred_opt())
        })
    }

    /// The date of the latest fact the file states: an event, an interest's
    /// start or end, a party's founding or dissolution, the dates of a seat
    /// right or of a group.
    pub fn last_fact(&self) -> Option<NaiveDate> {
        let events = self.event.iter().map(|e| e.date);
        let issued = self
            .event
            .iter()
            .filter_map(|e| e.interest.as_ref())
            .flat_map(|i| [i.start, i.end])
            .flatten();
        let interests = self
            .interest
            .iter()
            .flat_map(|i| [i.start, i.end])
            .flatten();
        let parties = self
            .party
            .iter()
            .flat_map(|p| [p.founded, p.dissolved])
            .flatten();
        // Dated rights and agreements: seats that phase in, groups that
        // bind from or until a date.
        let seats = self
            .body
            .iter()
            .flat_map(|b| b.appointments.iter())
            .flat_map(|r| [r.from, r.until])
            .flatten();
        let groups = self.group.iter().flat_map(|g| [g.from, g.until]).flatten();
        events
            .chain(issued)
            .chain(interests)
            .chain(parties)
            .chain(seats)
            .chain(groups)
            .max()
    }

    /// Whether party `id` exists on `date`: founded by then and not yet
    /// dissolved. A party with no dates, or not in the structure, exists.
    pub fn exists(&self, id: &str, date: NaiveDate) -> bool {
        self.party(id).is_none_or(|p| {
            p.founded.is_none_or(|f| f <= date) && p.dissolved.is_none_or(|d| date < d)
        })
    }

    /// A party's name, or the id itself when unknown.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        if let Some(p) = self.party(id) {
            &p.name
        } else if let Some(b) = self.body(id) {
            &b.name
        } else if let Some(g) = self.group(id) {
            &g.name
        } else {
            id
        }
    }

    /// The same structure with the record of some parties' votes changed
    /// at every decision: those in `against` attend every meeting and vote
    /// against, and sign no written consent; those in `absent` stay away
    /// and sign nothing. A party who is not a member of the deciding body
    /// on the day counts for nothing there, as in any count.
    pub fn with_votes(&self, against: &[String], absent: &[String]) -> Structure {
        let mut s = self.clone();
        let listed = |p: &String| against.contains(p) || absent.contains(p);
        for e in &mut s.event {
            if let Some(c) = &mut e.consent {
                c.retain(|p| !listed(p));
            }
            if let Some(present) = &mut e.present {
                present.retain(|p| !listed(p));
                present.extend(against.iter().cloned());
            }
            if e.meeting.is_some() {
                e.votes_for.retain(|p| !listed(p));
                e.abstain.retain(|p| !listed(p));
                e.against.retain(|p| !listed(p));
                e.against.extend(against.iter().cloned());
            }
        }
        s
    }

    /// The same structure with a variant's rules and seat counts applied.
    pub fn with_variant(&self, variant: &Variant) -> Structure {
        let mut s = self.clone();
        for r in &variant.rule {
            s.rule
                .retain(|old| !(old.body == r.body && old.decision == r.decision));
            s.rule.push(r.clone());
        }
        for seat in &variant.seats {
            if let Some(b) = s.body.iter_mut().find(|b| b.id == seat.body) {
                b.seats = Some(seat.seats);
            }
        }
        for terms in &variant.economics {
            s.economics.retain(|t| t.entity != terms.entity);
            s.economics.push(terms.clone());
        }
        s
    }
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

#[cfg(test)]
mod interest_type_tests {
    use super::InterestType;

    #[test]
    fn codes_round_trip_through_the_code_and_serde() {
        assert_eq!(InterestType::ALL.len(), 23);
        for &t in InterestType::ALL {
            assert_eq!(InterestType::from_code(t.code()), Some(t));
            let json = serde_json::to_string(&t).expect("serialises");
            assert_eq!(json, format!("\"{}\"", t.code()));
        }
        assert_eq!(InterestType::from_code("shares"), None);
    }
}

#[cfg(test)]
mod share_bound_tests {
    use super::Share;
    use rust_decimal::Decimal;

    /// Both bounds of a side hold, so the stricter counts; one alone is
    /// read as it is.
    #[test]
    fn the_stricter_of_two_bounds_counts() {
        let d = Decimal::from;
        assert_eq!(
            Share::lower_of(Some(d(50)), Some(d(50))),
            Some((d(50), true))
        );
        assert_eq!(
            Share::lower_of(Some(d(50)), Some(d(25))),
            Some((d(50), false))
        );
        assert_eq!(
            Share::lower_of(Some(d(25)), Some(d(50))),
            Some((d(50), true))
        );
        assert_eq!(Share::lower_of(None, Some(d(25))), Some((d(25), true)));
        assert_eq!(Share::lower_of(Some(d(25)), None), Some((d(25), false)));
        assert_eq!(Share::lower_of(None, None), None);
        assert_eq!(
            Share::upper_of(Some(d(75)), Some(d(75))),
            Some((d(75), true))
        );
        assert_eq!(
            Share::upper_of(Some(d(75)), Some(d(90))),
            Some((d(75), false))
        );
        assert_eq!(
            Share::upper_of(Some(d(90)), Some(d(75))),
            Some((d(75), true))
        );
        let s = Share {
            minimum: Some(d(50)),
            exclusive_minimum: Some(d(50)),
            ..Share::default()
        };
        assert!(s.surely_above(d(50)));
        assert_eq!(s.label(), ">50–?%");
    }
}
