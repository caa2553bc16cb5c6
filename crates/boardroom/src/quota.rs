//! Quotas: how many votes or members a quorum or a threshold needs.
//!
//! A quota is written as a short phrase, so that a rule reads like the
//! bylaw it comes from:
//!
//! | phrase | meaning |
//! |---|---|
//! | `majority of present` | more than half of the members present |
//! | `2/3 of seats-in-office` | at least two thirds of the members in office |
//! | `more than 1/2 of total-seats` | same as `majority of total-seats` |
//! | `at least 1/3 of total-seats` | at least a third of the seats |
//! | `all of seats-in-office` | unanimity |
//! | `3` | at least three |
//! | `plurality` | more votes for than any other candidate; for one candidate, at least one vote |
//!
//! The base is one of `votes-cast`, `present`, `seats-in-office` and
//! `total-seats`, counted in votes (one per seat on a board), or, for
//! holders, `capital-represented` and `capital-outstanding`, counted in
//! shares: the capital of those present, and all the capital.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a quota is a fraction of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Base {
    /// Votes for plus votes against.
    VotesCast,
    /// Eligible members present at the meeting.
    Present,
    /// Eligible members in office.
    SeatsInOffice,
    /// All seats, filled or vacant (less ineligible members).
    TotalSeats,
    /// The capital (shares) of the holders present.
    CapitalRepresented,
    /// All the capital (shares outstanding).
    CapitalOutstanding,
}

impl Base {
    pub fn code(self) -> &'static str {
        match self {
            Base::VotesCast => "votes-cast",
            Base::Present => "present",
            Base::SeatsInOffice => "seats-in-office",
            Base::TotalSeats => "total-seats",
            Base::CapitalRepresented => "capital-represented",
            Base::CapitalOutstanding => "capital-outstanding",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Base::VotesCast => "votes cast",
            Base::Present => "members present",
            Base::SeatsInOffice => "members in office",
            Base::TotalSeats => "seats",
            Base::CapitalRepresented => "capital represented",
            Base::CapitalOutstanding => "capital outstanding",
        }
    }

    /// Whether the base counts capital (shares) rather than votes.
    pub fn is_capital(self) -> bool {
        matches!(self, Base::CapitalRepresented | Base::CapitalOutstanding)
    }

    /// The votes base a capital base stands for, once weights are shares:
    /// capital represented is what is present, capital outstanding is all.
    pub fn as_votes(self) -> Base {
        match self {
            Base::CapitalRepresented => Base::Present,
            Base::CapitalOutstanding => Base::TotalSeats,
            b => b,
        }
    }

    const ALL: [Base; 6] = [
        Base::VotesCast,
        Base::Present,
        Base::SeatsInOffice,
        Base::TotalSeats,
        Base::CapitalRepresented,
        Base::CapitalOutstanding,
    ];
}

/// A quorum or threshold requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quota {
    /// `num/den` of `base`: at least that (or, when `strict`, more than that).
    Fraction {
        num: u32,
        den: u32,
        strict: bool,
        base: Base,
    },
    /// A fixed number.
    Count(u32),
    /// A plurality of the votes cast for a seat: the candidate with the
    /// most votes for is elected (DGCL §216(3), §215(c)(3)); votes against
    /// have no effect. An act names one candidate, who needs one vote.
    Plurality,
}

impl Quota {
    /// The same quota on another base.
    pub fn on(self, base: Base) -> Quota {
        match self {
            Quota::Fraction {
                num, den, strict, ..
            } => Quota::Fraction {
                num,
                den,
                strict,
                base,
            },
            q => q,
        }
    }

    /// More than half of `base`.
    pub const fn majority(base: Base) -> Quota {
        Quota::Fraction {
            num: 1,
            den: 2,
            strict: true,
            base,
        }
    }

    pub fn base(&self) -> Option<Base> {
        match self {
            Quota::Fraction { base, .. } => Some(*base),
            Quota::Count(_) | Quota::Plurality => None,
        }
    }

    /// The smallest whole number of votes that meets the quota when the
    /// base counts `of`.
    pub fn required(&self, of: u64) -> u64 {
        match *self {
            Quota::Count(n) => u64::from(n),
            Quota::Plurality => 1,
            Quota::Fraction {
                num, den, strict, ..
            } => {
                let (num, den) = (u128::from(num), u128::from(den.max(1)));
                let product = u128::from(of) * num;
                let needed = if strict {
                    product / den + 1
                } else {
                    product.div_ceil(den)
                };
                u64::try_from(needed).unwrap_or(u64::MAX)
            }
        }
    }
}

impl fmt::Display for Quota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Quota::Count(n) => write!(f, "{n}"),
            Quota::Plurality => write!(f, "plurality"),
            Quota::Fraction {
                num,
                den,
                strict,
                base,
            } => match (num, den, strict) {
                (1, 2, true) => write!(f, "majority of {}", base.code()),
                (1, 1, false) => write!(f, "all of {}", base.code()),
                (n, d, true) => write!(f, "more than {n}/{d} of {}", base.code()),
                (n, d, false) => write!(f, "{n}/{d} of {}", base.code()),
            },
        }
    }
}

/// Why a quota phrase did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a quota: {problem}")]
pub struct QuotaError {
    pub text: String,
    pub problem: String,
}

impl FromStr for Quota {
    type Err = QuotaError;

    fn from_str(text: &str) -> Result<Quota, QuotaError> {
        let fail = |problem: &str| QuotaError {
            text: text.to_string(),
            problem: problem.to_string(),
        };
        let t = text.trim();
        if let Ok(n) = t.parse::<u32>() {
            return Ok(Quota::Count(n));
        }
        if t == "plurality" {
            return Ok(Quota::Plurality);
        }
        let Some((amount, base)) = t.rsplit_once(" of ") else {
            return Err(fail(
                "expected `<amount> of <base>`, such as `majority of present`, or a whole number",
            ));
        };
        let base = Base::ALL
            .into_iter()
            .find(|b| b.code() == base.trim())
            .ok_or_else(|| {
                fail("the base must be one of votes-cast, present, seats-in-office, total-seats, capital-represented, capital-outstanding")
            })?;
        let amount = amount.trim();
        let (strict, fraction) = if let Some(rest) = amount.strip_prefix("more than ") {
            (true, rest.trim())
        } else if let Some(rest) = amount.strip_prefix("at least ") {
            (false, rest.trim())
        } else {
            (false, amount)
        };
        let (num, den) = match fraction {
            "majority" if !strict => (1, 2),
            "majority" => return Err(fail("write `majority of ...` or `more than 1/2 of ...`")),
            "all" | "unanimous" => (1, 1),
            _ => {
                let (n, d) = fraction.split_once('/').ok_or_else(|| {
                    fail("the amount must be `majority`, `all`, or a fraction such as `2/3`")
                })?;
                let n: u32 = n
                    .trim()
                    .parse()
                    .map_err(|_| fail("the numerator must be a whole number"))?;
                let d: u32 = d
                    .trim()
                    .parse()
                    .map_err(|_| fail("the denominator must be a whole number"))?;
                if d == 0 {
                    return Err(fail("the denominator must not be zero"));
                }
                if n > d {
                    return Err(fail("a fraction above 1 can never be met"));
                }
                (n, d)
            }
        };
        let strict = strict || fraction == "majority";
        Ok(Quota::Fraction {
            num,
            den,
            strict,
            base,
        })
    }
}

impl Serialize for Quota {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quota {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Quota, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Quota {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Quota".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "`majority of BASE`, `all of BASE`, `N/D of BASE`, `more than N/D of BASE`, `at least N/D of BASE`, `plurality`, or a whole number; BASE is votes-cast, present, seats-in-office, total-seats, capital-represented or capital-outstanding",
            "pattern": "^\\s*(\\d+|plurality|((more than |at least )?(majority|all|unanimous|\\d+/\\d+)) of (votes-cast|present|seats-in-office|total-seats|capital-represented|capital-outstanding))\\s*$"
        })
    }
}

/// A quota in words with its base counted: "a majority of the 4 present",
/// "all 3 members in office", "two thirds of all 9 seats". A phrase that
/// does not parse is shown as written, with its base.
pub fn in_words(quota: &str, base: Option<String>, holders: bool) -> String {
    let Ok(q) = quota.parse::<Quota>() else {
        return match base {
            Some(b) => format!("{quota} of {b}"),
            None => quota.to_string(),
        };
    };
    let Quota::Fraction {
        num,
        den,
        strict,
        base: kind,
    } = q
    else {
        return match q {
            Quota::Plurality => "a plurality".to_string(),
            _ => format!("at least {quota}"),
        };
    };
    let n = base.unwrap_or_else(|| "the".to_string());
    // A body of holders counts votes, one per share, not seats.
    let of = match kind {
        Base::Present if holders => format!("the {n} votes present"),
        Base::SeatsInOffice | Base::TotalSeats if holders => format!("all {n} votes"),
        Base::Present => format!("the {n} present"),
        Base::SeatsInOffice => format!("the {n} members in office"),
        Base::TotalSeats => format!("all {n} seats"),
        Base::VotesCast => format!("the {n} votes cast"),
        Base::CapitalRepresented => format!("the {n} shares represented"),
        Base::CapitalOutstanding => format!("all {n} shares outstanding"),
    };
    let part = match (num, den) {
        (1, 2) if strict => return format!("a majority of {of}"),
        (1, 1) => {
            return format!("all of {of}")
                .replacen("all of all ", "all ", 1)
                .replacen("all of the ", "all ", 1);
        }
        (2, 3) => "two thirds".to_string(),
        (1, 3) => "a third".to_string(),
        (3, 4) => "three quarters".to_string(),
        (1, 4) => "a quarter".to_string(),
        (1, 2) => "half".to_string(),
        (n, d) => format!("{n}/{d}"),
    };
    if strict {
        format!("more than {part} of {of}")
    } else {
        format!("at least {part} of {of}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(q: &str, of: u64) -> u64 {
        q.parse::<Quota>().expect("quota parses").required(of)
    }

    #[test]
    fn majority_is_more_than_half() {
        assert_eq!(req("majority of present", 4), 3);
        assert_eq!(req("majority of present", 5), 3);
        assert_eq!(req("majority of total-seats", 6), 4);
        assert_eq!(req("more than 1/2 of total-seats", 6), 4);
    }

    #[test]
    fn fractions_are_at_least() {
        assert_eq!(req("2/3 of seats-in-office", 6), 4);
        assert_eq!(req("2/3 of seats-in-office", 7), 5);
        assert_eq!(req("at least 1/3 of total-seats", 9), 3);
        assert_eq!(req("all of present", 4), 4);
        assert_eq!(req("3", 100), 3);
    }

    #[test]
    fn round_trips_through_text() {
        for q in [
            "majority of present",
            "2/3 of seats-in-office",
            "more than 2/3 of votes-cast",
            "all of total-seats",
            "5",
            "plurality",
        ] {
            assert_eq!(q.parse::<Quota>().expect("parses").to_string(), q);
        }
    }

    #[test]
    fn rejects_nonsense_with_a_reason() {
        for (q, why) in [
            ("half of present", "fraction"),
            ("majority of everyone", "base must be"),
            ("3/0 of present", "zero"),
            ("4/3 of present", "above 1"),
            ("most", "expected"),
        ] {
            let e = q.parse::<Quota>().expect_err(q);
            assert!(e.to_string().contains(why), "{q}: {e}");
        }
    }
}
