//! Typed errors. Each says where (tier id, party, cap index, class id,
//! holding), what was expected, and carries a hint.

use rust_decimal::Decimal;
use serde::Serialize;

/// Where in the terms (or the holdings) an error is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Location {
    /// The terms as a whole.
    Terms,
    /// `tier` with this id.
    Tier(String),
    /// `cap`, by its 0-based index in the list.
    Cap(usize),
    /// `class` with this id.
    Class(String),
    /// `option` with this id.
    Option(String),
    /// `pool` with this id.
    Pool(String),
    /// `claim` with this id.
    Claim(String),
    /// `safe` with this id.
    Safe(String),
    /// `investment`, by its 0-based index.
    Investment(usize),
    /// `paid`, by its 0-based index.
    Paid(usize),
    /// The `fund` section.
    Fund,
    /// `fund.call`, by its 0-based index.
    Call(usize),
    /// `fund.distribution`, by its 0-based index.
    Distribution(usize),
    /// `fund.promote`, by its 0-based index.
    Promote(usize),
    /// The `residual`.
    Residual,
    /// A holding, by its 0-based index in the list of holdings.
    Holding(usize),
    /// An entity of a holding graph.
    Entity(String),
    /// The argument of a call.
    Argument,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Terms => write!(f, "terms"),
            Location::Tier(id) => write!(f, "tier `{id}`"),
            Location::Cap(i) => write!(f, "cap[{i}]"),
            Location::Class(id) => write!(f, "class `{id}`"),
            Location::Option(id) => write!(f, "option `{id}`"),
            Location::Pool(id) => write!(f, "pool `{id}`"),
            Location::Claim(id) => write!(f, "claim `{id}`"),
            Location::Safe(id) => write!(f, "safe `{id}`"),
            Location::Investment(i) => write!(f, "investment[{i}]"),
            Location::Paid(i) => write!(f, "paid[{i}]"),
            Location::Fund => write!(f, "fund"),
            Location::Call(i) => write!(f, "fund.call[{i}]"),
            Location::Distribution(i) => write!(f, "fund.distribution[{i}]"),
            Location::Promote(i) => write!(f, "fund.promote[{i}]"),
            Location::Residual => write!(f, "residual"),
            Location::Holding(i) => write!(f, "holding[{i}]"),
            Location::Entity(id) => write!(f, "entity `{id}`"),
            Location::Argument => write!(f, "argument"),
        }
    }
}

/// An error in the terms, a holding graph or a call.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum Error {
    /// The percentages of a split sum to more than they may: a tier's to
    /// more than 100, the claims off the top to 100 or more (nothing
    /// would be left for the classes), a carry to more than 100.
    #[error("{at}: shares sum to {sum}%, expected {expected}")]
    SharesAbove100 {
        at: Location,
        sum: Decimal,
        /// What the sum may be: `exactly 100%`, `less than 100%`, ...
        expected: &'static str,
    },
    /// The percentages of a tier's split sum to less than 100.
    #[error("{at}: shares sum to {sum}%, expected exactly 100%")]
    SharesBelow100 { at: Location, sum: Decimal },
    /// An amount, share, percentage or count is negative (or zero where it
    /// must be positive).
    #[error("{at}: `{field}` is {value}, expected {expected}")]
    NotPositive {
        at: Location,
        field: String,
        value: Decimal,
        expected: String,
    },
    /// A name that is not a known party.
    #[error("{at}: unknown party `{party}`")]
    UnknownParty {
        at: Location,
        party: String,
        suggestion: Option<String>,
    },
    /// An option names a class the terms do not have.
    #[error("{at}: unknown class `{class}`")]
    UnknownClass {
        at: Location,
        class: String,
        suggestion: Option<String>,
    },
    /// A party listed twice where it may appear once.
    #[error("{at}: party `{party}` is listed twice")]
    DuplicateParty { at: Location, party: String },
    /// Two tiers or classes with one id.
    #[error("{at}: the id is used twice")]
    DuplicateId { at: Location },
    /// A tier comes `after` a tier that does not exist.
    #[error("{at}: `after` names unknown tier `{after}`")]
    UnknownTier { at: Location, after: String },
    /// Tiers whose `after` fields form a cycle.
    #[error("{at}: circular priority: {}", cycle.join(" after "))]
    CircularPriority { at: Location, cycle: Vec<String> },
    /// A cap below what its parties have already been paid.
    #[error("{at}: cap of {cap} is below the {paid} already paid to {}", parties.join(", "))]
    CapBelowPaid {
        at: Location,
        cap: Decimal,
        paid: Decimal,
        parties: Vec<String>,
    },
    /// A cap with neither `amount` nor `multiple`.
    #[error("{at}: expected `amount` or `multiple`")]
    EmptyCap { at: Location },
    /// An amount with fractions of a cent.
    #[error("{at}: {amount} has fractions of a cent, expected a whole number of cents")]
    FractionOfCent { at: Location, amount: Decimal },
    /// Money is left when no one may receive it.
    #[error("{at}: {amount} is left from cumulative {from} and no party may receive it")]
    Unallocated {
        at: Location,
        from: Decimal,
        amount: Decimal,
    },
    /// A compounded hurdle over a fraction of a period.
    #[error("{at}: {periods} compounding periods, expected a whole number")]
    FractionalPeriods { at: Location, periods: Decimal },
    /// A hurdle whose exact compounded factor is too long to compute with.
    #[error(
        "{at}: the hurdle compounds {periods} times at a rate of {rate}%: its exact factor would have about {digits} digits, over the limit of {limit}"
    )]
    HurdleTooPrecise {
        at: Location,
        periods: u32,
        rate: Decimal,
        digits: u64,
        limit: u64,
    },
    /// A catch-up that cannot restore the carry.
    #[error("{at}: catch-up of {catch_up}% is not above the carry of {carry}%")]
    CatchUpTooLow {
        at: Location,
        catch_up: Decimal,
        carry: Decimal,
    },
    /// The holders of an entity hold more than all of it.
    #[error("{at}: holders hold {sum}% in total, expected at most 100% ({})", holders.join(", "))]
    ColumnSumAbove100 {
        at: Location,
        sum: Decimal,
        holders: Vec<String>,
    },
    /// An entity that holds itself.
    #[error("{at}: holds its own shares")]
    SelfHolding { at: Location },
    /// Entities that own each other entirely, so that look-through
    /// interests are infinite.
    #[error("{at}: closed cycle: these entities are owned entirely by each other")]
    ClosedCycle { at: Location, entities: Vec<String> },
    /// A graph too large for the exact method.
    #[error("{at}: {entities} entities, the exact method takes at most {limit}")]
    TooLargeForExact {
        at: Location,
        entities: usize,
        limit: usize,
    },
    /// Exact shares that would grow too long along the chains.
    #[error(
        "{at}: chains of {depth} holdings with shares of up to {bits} bits would give exact shares of about {} bits, over the limit of {limit}",
        depth * bits
    )]
    TooDeepForExact {
        at: Location,
        depth: u64,
        bits: u64,
        limit: u64,
    },
    /// The engine stopped making progress; a bug, reported not panicked.
    #[error("{at}: the waterfall made no progress at cumulative {at_amount}")]
    NoProgress { at: Location, at_amount: Decimal },
    /// Terms that do not hold together, said in words.
    #[error("{at}: {what}")]
    Invalid {
        at: Location,
        what: String,
        hint: String,
    },
    /// What the terms ask is not computed (yet), rather than approximated.
    #[error("{at}: {what} is not computed")]
    NotComputed {
        at: Location,
        what: String,
        hint: String,
    },
}

impl Error {
    /// What to do about it, for a `hint:` line.
    pub fn hint(&self) -> String {
        match self {
            Error::SharesAbove100 { expected, .. } => {
                format!("lower the percentages so that they sum to {expected}")
            }
            Error::SharesBelow100 { .. } => {
                "name who receives the rest of the tier (the residual party, if no one else)".into()
            }
            Error::NotPositive { .. } => "amounts, units and shares are written as positive numbers".into(),
            Error::UnknownParty { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            Error::UnknownClass { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            Error::UnknownClass { .. } => "name one of the terms' classes".into(),
            Error::UnknownParty { .. } => "declare the party first, or fix the spelling".into(),
            Error::DuplicateParty { .. } => "merge the two entries into one".into(),
            Error::DuplicateId { .. } => "give each tier and class its own id".into(),
            Error::UnknownTier { .. } => "`after` takes the id of another tier".into(),
            Error::CircularPriority { .. } => "remove one `after` so that the tiers have an order".into(),
            Error::CapBelowPaid { .. } => {
                "raise the cap, or correct the amounts in `paid`".into()
            }
            Error::EmptyCap { .. } => "write `amount = \"...\"` or `multiple = ...`".into(),
            Error::FractionOfCent { .. } => "round the amount to the cent".into(),
            Error::Unallocated { .. } => "add `residual = \"<party>\"` to the terms".into(),
            Error::FractionalPeriods { .. } => {
                "use `compounding = \"simple\"`, or a whole number of periods".into()
            }
            Error::HurdleTooPrecise { .. } => {
                "state the rate with fewer decimal places (a fund's hurdle is rarely stated beyond two), or compound over fewer periods".into()
            }
            Error::CatchUpTooLow { .. } => "a catch-up must give the general partner more than its carry".into(),
            Error::ColumnSumAbove100 { .. } => {
                "check the shares: treasury shares and double-counted indirect holdings are common causes".into()
            }
            Error::SelfHolding { .. } => "treasury shares carry no economic interest: remove the holding".into(),
            Error::ClosedCycle { .. } => {
                "some outside party must hold part of at least one of these entities".into()
            }
            Error::TooLargeForExact { .. } => "use the iterative method, which states its error bound".into(),
            Error::TooDeepForExact { .. } => "use the iterative method, which states its error bound".into(),
            Error::NoProgress { .. } => "please report this with the terms that caused it".into(),
            Error::NotComputed { hint, .. } | Error::Invalid { hint, .. } => hint.clone(),
        }
    }
}

impl Error {
    /// Where the error is.
    pub fn location(&self) -> &Location {
        match self {
            Error::SharesAbove100 { at, .. }
            | Error::SharesBelow100 { at, .. }
            | Error::NotPositive { at, .. }
            | Error::UnknownParty { at, .. }
            | Error::UnknownClass { at, .. }
            | Error::DuplicateParty { at, .. }
            | Error::DuplicateId { at, .. }
            | Error::UnknownTier { at, .. }
            | Error::CircularPriority { at, .. }
            | Error::CapBelowPaid { at, .. }
            | Error::EmptyCap { at, .. }
            | Error::FractionOfCent { at, .. }
            | Error::Unallocated { at, .. }
            | Error::FractionalPeriods { at, .. }
            | Error::HurdleTooPrecise { at, .. }
            | Error::CatchUpTooLow { at, .. }
            | Error::ColumnSumAbove100 { at, .. }
            | Error::SelfHolding { at, .. }
            | Error::ClosedCycle { at, .. }
            | Error::TooLargeForExact { at, .. }
            | Error::TooDeepForExact { at, .. }
            | Error::NoProgress { at, .. }
            | Error::NotComputed { at, .. }
            | Error::Invalid { at, .. } => at,
        }
    }
}

/// Every error found in the terms, so that a user sees all at once.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[error("{}", self.0.iter().map(|e| format!("error: {e}\nhint: {}", e.hint())).collect::<Vec<_>>().join("\n"))]
pub struct Errors(pub Vec<Error>);

impl Errors {
    /// Every error on one line, separated by semicolons.
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl From<Error> for Errors {
    fn from(e: Error) -> Self {
        Errors(vec![e])
    }
}
