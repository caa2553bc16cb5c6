//! The definition of control, written once.
//!
//! Every command that says who controls an entity (`control`, `owners`,
//! `analyse`, `graph`, the report and the BODS export) reads what each
//! party holds in the entity into a [`Stake`] and asks [`controllers`].
//! A structure file and a BODS register reach the same stakes by
//! different roads; the decision is made here and nowhere else.
//!
//! A party **controls** an entity directly when, among its interests in
//! force in the entity, it holds:
//!
//! 1. **more than half of the exercisable votes** of the general meeting,
//!    the body that elects the board. Votes are `votingRights`. Where a
//!    party's votes are not stated, its `shareholding` carries the votes of
//!    its shares (one share, one vote), within what the votes stated for
//!    the other parties leave, and the finding says that it rests on that
//!    presumption ([`Basis::VotesFollowCapital`]): 90% of the capital
//!    beside another party's stated 100% of the votes is no vote at all. A
//!    holder of non-voting shares has, from them, no votes, and no
//!    presumption for its other shares (count them in units, with votes per
//!    unit, to be exact);
//! 2. **the right to appoint a majority of the board**
//!    (`appointmentOfBoard`): its share counts the seats it fills. A right
//!    with no share is BODS's "absolute right to appoint members of the
//!    board" and counts as the whole board; a right to fill half the seats
//!    or fewer is influence, not control;
//! 3. **control by the entity's rules** (`controlViaCompanyRulesOrArticles`:
//!    a general partner, a managing member), **by a legal framework**
//!    (`controlByLegalFramework`), or an interest the data marks as control
//!    of another kind (`otherInfluenceOrControl`).
//!
//! Where no party controls in one of those ways, the entity's **board**
//! controls it, as a body (DGCL §141(a): the business and affairs of a
//! corporation are managed by or under the direction of its board). Its
//! members do not control one by one: the finding names the body, and the
//! body's members are listed beside it. A trust's **trustees** act as its
//! board: together, not one by one. A director, a chair, a senior
//! managing official, a protector, a settlor, a nominee and any contract
//! right are not control by themselves.
//!
//! **Holders acting in concert** (a family, the parties to a voting or
//! shareholders' agreement) are one holder where a declared, binding
//! agreement covers the entity on the date (`[[group]]`): their votes and
//! board appointments are added up and the finding names the group, its
//! members listed beside it, as for a board. The UK's PSC rules read a
//! joint arrangement the same way (each party is treated as holding the
//! combined shares or rights). A group declared but not bound is never
//! pooled; where no one controls alone, the smallest coalitions of named
//! holders that would are reported as joint control.
//!
//! BODS's **fallback** (the EU's AMLD art. 3(6)(a)(ii), the UK's "senior
//! managing official" rule): where no one is found to own or control an
//! entity, report its senior managing officials. It is an option
//! ([`Options::senior_official_fallback`]), off by default; when on, its
//! findings carry [`Basis::SeniorManagingOfficial`], never a silent "controls".
//!
//! An interest the data marks `beneficialOwnershipOrControl = false` does
//! not make a **person** a controller: the publisher says it is not a
//! beneficial ownership or control interest (a nominee's holding, say).
//! For an entity or an arrangement the flag says nothing about control:
//! BODS requires it to be false for any party that is not a natural
//! person, since only a person can be a beneficial owner
//! ([`marked_not_control`]).
//!
//! A share the data gives as a range is **surely** a majority when its lower
//! bound is above one half, and **possibly** one when only its upper bound
//! is: a possible majority is reported as such ([`Finding::certain`] is
//! false) and is never followed as control.

use rust_decimal::Decimal;

use crate::model::{InterestType, Share};

/// A portion of a whole (votes, capital, board seats) as a fraction of it:
/// exact, a range with open or closed bounds, or unknown (`[0, 1]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Portion {
    pub lo: Decimal,
    pub lo_open: bool,
    pub hi: Decimal,
    pub hi_open: bool,
}

/// One half, the majority line.
const HALF: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

impl Portion {
    /// Nothing.
    pub const ZERO: Portion = Portion {
        lo: Decimal::ZERO,
        lo_open: false,
        hi: Decimal::ZERO,
        hi_open: false,
    };
    /// The whole.
    pub const ALL: Portion = Portion {
        lo: Decimal::ONE,
        lo_open: false,
        hi: Decimal::ONE,
        hi_open: false,
    };
    /// A portion the data does not state.
    pub const UNKNOWN: Portion = Portion {
        lo: Decimal::ZERO,
        lo_open: false,
        hi: Decimal::ONE,
        hi_open: false,
    };

    /// An exact fraction.
    pub fn exact(fraction: Decimal) -> Portion {
        Portion {
            lo: fraction,
            lo_open: false,
            hi: fraction,
            hi_open: false,
        }
    }

    /// `part` of `whole`, exactly where the quotient is a finite decimal of
    /// at most 28 digits, else the narrowest range of 20-digit decimals
    /// around it (open at both ends: the true value is inside).
    pub fn of(part: Decimal, whole: Decimal) -> Portion {
        if whole <= Decimal::ZERO {
            return Portion::UNKNOWN;
        }
        let q = part / whole;
        if terminates(part, whole) && q * whole == part {
            return Portion::exact(q);
        }
        let lo = q.round_dp_with_strategy(20, rust_decimal::RoundingStrategy::ToZero);
        let hi = q.round_dp_with_strategy(20, rust_decimal::RoundingStrategy::AwayFromZero);
        Portion {
            lo,
            lo_open: true,
            hi,
            hi_open: true,
        }
    }

    /// A BODS share (in percent) as a portion; a share with no bound at
    /// all is unknown.
    pub fn of_share(share: &Share) -> Portion {
        let pct = |d: Decimal| d / Decimal::ONE_HUNDRED;
        if let Some(e) = share.exact {
            return Portion::exact(pct(e));
        }
        let (lo, lo_open) = share
            .lower_bound()
            .map_or((Decimal::ZERO, false), |(m, open)| (pct(m), open));
        let (hi, hi_open) = share
            .upper_bound()
            .map_or((Decimal::ONE, false), |(m, open)| (pct(m), open));
        Portion {
            lo,
            lo_open,
            hi,
            hi_open,
        }
    }

    /// The portion as a BODS share, in percent: exact, or a range with its
    /// open bounds exclusive.
    pub fn to_share(&self) -> Share {
        let pct = |d: Decimal| (d * Decimal::ONE_HUNDRED).normalize();
        if self.lo == self.hi && !self.lo_open && !self.hi_open {
            return Share::exact(pct(self.lo));
        }
        let mut s = Share::default();
        if self.lo_open {
            s.exclusive_minimum = Some(pct(self.lo));
        } else {
            s.minimum = Some(pct(self.lo));
        }
        if self.hi_open {
            s.exclusive_maximum = Some(pct(self.hi));
        } else {
            s.maximum = Some(pct(self.hi));
        }
        s
    }

    /// The sum of two portions of the same whole (at most the whole).
    pub fn plus(self, other: Portion) -> Portion {
        let (hi, hi_open) = match self.hi.checked_add(other.hi) {
            Some(h) if h < Decimal::ONE => (h, self.hi_open || other.hi_open),
            _ => (Decimal::ONE, false),
        };
        Portion {
            lo: self
                .lo
                .checked_add(other.lo)
                .unwrap_or(Decimal::ONE)
                .min(Decimal::ONE),
            lo_open: self.lo_open || other.lo_open,
            hi,
            hi_open,
        }
    }

    /// Where the portion stands against a majority (more than half).
    pub fn majority(&self) -> Majority {
        if self.lo > HALF || (self.lo == HALF && self.lo_open) {
            Majority::Surely
        } else if self.hi > HALF {
            Majority::Possibly
        } else {
            Majority::No
        }
    }

    /// `49%`, `25–50%`, `>50–75%`, as percentages; a range narrower than
    /// a billionth of a percent (a quotient that does not terminate) as
    /// `≈54.0541%`.
    pub fn label(&self) -> String {
        let pct = |d: Decimal| (d * Decimal::ONE_HUNDRED).normalize();
        if self.lo == self.hi && !self.lo_open && !self.hi_open {
            return format!("{}%", pct(self.lo));
        }
        if self.hi - self.lo < Decimal::new(1, 11) {
            return format!("≈{}%", pct(self.lo).round_dp(4).normalize());
        }
        format!(
            "{}{}–{}{}%",
            if self.lo_open { ">" } else { "" },
            pct(self.lo),
            if self.hi_open { "<" } else { "" },
            pct(self.hi)
        )
    }
}

/// Whether `part / whole` is a finite decimal: the reduced denominator has
/// no prime factors but 2 and 5.
fn terminates(part: Decimal, whole: Decimal) -> bool {
    let scale = part.scale().max(whole.scale());
    let int = |d: Decimal| -> Option<i128> {
        let shift = 10i128.checked_pow(scale - d.scale())?;
        d.mantissa().checked_mul(shift)
    };
    let (Some(p), Some(w)) = (int(part), int(whole)) else {
        return false;
    };
    let gcd = |mut a: i128, mut b: i128| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a.abs()
    };
    let g = gcd(p, w);
    if g == 0 {
        return true;
    }
    let mut d = (w / g).abs();
    for f in [2, 5] {
        while d % f == 0 {
            d /= f;
        }
    }
    d == 1
}

/// A portion against the majority line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Majority {
    /// Every value the data allows is above one half.
    Surely,
    /// Some values the data allows are above one half, some not.
    Possibly,
    /// No value the data allows is above one half.
    No,
}

/// A right of control by the entity's rules, the law, a trust, or of
/// another kind the data marks as control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RightKind {
    CompanyRules,
    LegalFramework,
    OtherControl,
}

/// What one party holds in one entity on a date, as the definition reads
/// it. Build one with [`Stake::add`] from each interest in force, or set
/// the fields where a structure knows more (votes counted in a weighted
/// meeting, a board's `filled_by`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stake {
    /// Exercisable votes stated as votes (`votingRights`), of all votes.
    pub votes: Option<Portion>,
    /// Capital whose shares carry votes (`shareholding`), of all capital.
    pub voting_capital: Option<Portion>,
    /// Board seats the party appoints (`appointmentOfBoard`), of all seats.
    pub appoints: Option<Portion>,
    /// The strongest control right held by rules, law or trust.
    pub right: Option<RightKind>,
    /// A seat or the chair on the entity's board (`boardMember`, `boardChair`).
    pub seat: bool,
    /// A senior managing official of the entity (`seniorManagingOfficial`).
    pub senior_official: bool,
}

/// What an interest type means for control, before any share is weighed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Votes in the general meeting.
    Votes,
    /// Capital, which carries votes unless stated otherwise.
    Capital,
    /// The right to appoint board seats.
    Appointment,
    /// A control right by rules, law, trust or of another kind.
    Right(RightKind),
    /// A seat or the chair on the board.
    Seat,
    /// A senior managing official.
    SeniorOfficial,
    /// Economic only, influence, or a contract right: not control.
    NotControl,
}

impl Reading {
    /// How the definition reads an interest type.
    pub fn of(kind: InterestType) -> Reading {
        use InterestType::*;
        match kind {
            VotingRights => Reading::Votes,
            Shareholding => Reading::Capital,
            AppointmentOfBoard => Reading::Appointment,
            ControlViaCompanyRulesOrArticles => Reading::Right(RightKind::CompanyRules),
            ControlByLegalFramework => Reading::Right(RightKind::LegalFramework),
            // Trustees act together, as the trust's board.
            Trustee => Reading::Seat,
            OtherInfluenceOrControl => Reading::Right(RightKind::OtherControl),
            BoardMember | BoardChair => Reading::Seat,
            SeniorManagingOfficial => Reading::SeniorOfficial,
            _ => Reading::NotControl,
        }
    }

    /// Whether an interest of this reading can ever confer control,
    /// alone or with others.
    pub fn can_control(self) -> bool {
        !matches!(
            self,
            Reading::NotControl | Reading::Seat | Reading::SeniorOfficial
        )
    }
}

/// Whether an interest's `beneficialOwnershipOrControl` flag takes it out
/// of control: `false` on the interest of a person. On anyone else's, BODS
/// requires `false` (only a natural person can be a beneficial owner), so
/// it says nothing.
pub fn marked_not_control(flag: Option<bool>, holder_is_person: bool) -> bool {
    flag == Some(false) && holder_is_person
}

impl Stake {
    /// Adds one interest in force: its type, its share (a portion, or
    /// `None` when the data states none), whether its shares carry votes,
    /// and whether the data takes it out of control
    /// ([`marked_not_control`]), in which case it adds nothing.
    pub fn add(
        &mut self,
        kind: InterestType,
        share: Option<Portion>,
        carries_votes: bool,
        not_control: bool,
    ) {
        if not_control {
            return;
        }
        let sum = |slot: &mut Option<Portion>, p: Portion| {
            *slot = Some(slot.map_or(p, |q| q.plus(p)));
        };
        match Reading::of(kind) {
            Reading::Votes => sum(&mut self.votes, share.unwrap_or(Portion::UNKNOWN)),
            Reading::Capital if carries_votes => {
                sum(&mut self.voting_capital, share.unwrap_or(Portion::UNKNOWN))
            }
            // Non-voting shares: the party's votes from them are stated, as none.
            Reading::Capital => sum(&mut self.votes, Portion::ZERO),
            // A right with no share is the absolute right: every seat.
            Reading::Appointment => sum(&mut self.appoints, share.unwrap_or(Portion::ALL)),
            Reading::Right(r) => self.right = Some(self.right.map_or(r, |q| q.min(r))),
            Reading::Seat => self.seat = true,
            Reading::SeniorOfficial => self.senior_official = true,
            Reading::NotControl => {}
        }
    }
}

/// Why a party controls an entity. When a party holds several, its
/// finding gives the first in this order: stated rights before the
/// presumption that votes follow capital.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Basis {
    /// More than half of the votes, stated as votes.
    Votes,
    /// Appoints more than half of the board.
    AppointsBoard,
    /// Control by the entity's rules: a general partner, a managing member.
    CompanyRules,
    /// Control given by a legal framework.
    LegalFramework,
    /// Another interest the data marks as control.
    OtherControl,
    /// The parent consolidates the entity in its accounts (GLEIF Level 2:
    /// control under IFRS 10 or US GAAP). Not read from BODS interests.
    Consolidation,
    /// More than half of the capital, on the presumption that votes follow
    /// capital (no votes are stated apart from shares).
    VotesFollowCapital,
    /// No party controls the entity: its board manages it, as a body.
    Board,
    /// The fallback option: a senior managing official, reported because no
    /// one else is found to control the entity.
    SeniorManagingOfficial,
}

impl Basis {
    /// In words, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Basis::Votes => "holds more than half of the votes",
            Basis::VotesFollowCapital => {
                "holds more than half of the shares, whose votes are presumed to follow them"
            }
            Basis::AppointsBoard => "appoints a majority of the board",
            Basis::CompanyRules => "controls it under its articles or rules",
            Basis::LegalFramework => "controls it by law",
            Basis::OtherControl => "controls it by another right the data marks as control",
            Basis::Consolidation => {
                "consolidates it in its accounts (GLEIF: control under IFRS 10 or US GAAP)"
            }
            Basis::Board => "no party controls it: the board manages it, as a body",
            Basis::SeniorManagingOfficial => {
                "is its senior managing official, reported because no one else is found to control it (fallback option)"
            }
        }
    }

    /// In a few words, for pictures: "majority of votes", "under its articles".
    pub fn short(self) -> &'static str {
        match self {
            Basis::Votes => "majority of votes",
            Basis::VotesFollowCapital => "majority of shares (votes presumed)",
            Basis::AppointsBoard => "appoints the board",
            Basis::CompanyRules => "under its articles",
            Basis::LegalFramework => "by law",
            Basis::OtherControl => "other control",
            Basis::Consolidation => "consolidates it",
            Basis::Board => "as a body",
            Basis::SeniorManagingOfficial => "senior official (fallback)",
        }
    }

    /// A stable code, for JSON and CSV.
    pub fn code(self) -> &'static str {
        match self {
            Basis::Votes => "votes",
            Basis::VotesFollowCapital => "votes-follow-capital",
            Basis::AppointsBoard => "appoints-board",
            Basis::CompanyRules => "company-rules",
            Basis::LegalFramework => "legal-framework",
            Basis::OtherControl => "other-control",
            Basis::Consolidation => "consolidation",
            Basis::Board => "board",
            Basis::SeniorManagingOfficial => "senior-managing-official-fallback",
        }
    }

    /// Every basis, in order.
    pub const ALL: [Basis; 9] = [
        Basis::Votes,
        Basis::AppointsBoard,
        Basis::CompanyRules,
        Basis::LegalFramework,
        Basis::OtherControl,
        Basis::Consolidation,
        Basis::VotesFollowCapital,
        Basis::Board,
        Basis::SeniorManagingOfficial,
    ];
}

/// Options of the definition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Report senior managing officials as controllers of an entity that
    /// no party controls and that has no board (BODS's fallback).
    pub senior_official_fallback: bool,
}

/// Which kinds of stake, stated for the parties of one entity, add up to
/// more than the whole: the least each can be, summed, above 100%. Votes
/// and capital only: a right to appoint the board stated with no share is
/// read as the whole board, so a sum of appointments may pass the whole by
/// that reading rather than by what the data states.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Overfull {
    pub votes: bool,
    pub capital: bool,
}

impl Overfull {
    pub fn any(self) -> bool {
        self.votes || self.capital
    }
}

/// Whether the stakes of one entity's parties add up to more than the
/// whole, kind by kind (see [`Overfull`]), each party's taken at most whole.
pub fn overfull<K>(stakes: &[(K, Stake)]) -> Overfull {
    // One party's own interests that add up to more than the whole are
    // capped at it, as `Portion::plus` caps them: the contradiction this
    // finds is between parties.
    let least = |f: fn(&Stake) -> Option<Portion>| {
        stakes
            .iter()
            .filter_map(|(_, s)| f(s).map(|p| p.lo.min(Decimal::ONE)))
            .fold(Decimal::ZERO, |a, b| {
                a.checked_add(b).unwrap_or(Decimal::MAX)
            })
            > Decimal::ONE
    };
    Overfull {
        votes: least(|s| s.votes),
        capital: least(|s| s.voting_capital),
    }
}

/// One direct controller of an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding<K> {
    /// The party, or the board.
    pub party: K,
    pub basis: Basis,
    /// False when the data allows both a majority and not (a share given
    /// as a range across one half, or not given): a possible controller,
    /// never followed as control.
    pub certain: bool,
}

/// The direct controllers of one entity, from what each party holds in it
/// (`stakes`, one per party) and the entity's board, if it has one. The
/// findings come in the order of `stakes`, each party once with its
/// first basis (in [`Basis`] order); the board, when it controls, comes
/// last. Where some party surely controls, only the certain findings are
/// given.
pub fn controllers<K: Copy>(
    stakes: &[(K, Stake)],
    board: Option<K>,
    options: &Options,
) -> Vec<Finding<K>> {
    // What the votes stated for all parties leave for those whose votes are
    // not stated: at most one minus the least they can add up to.
    let stated: Decimal = stakes
        .iter()
        .filter_map(|(_, s)| s.votes.map(|v| v.lo))
        .fold(Decimal::ZERO, |a, b| {
            a.checked_add(b).unwrap_or(Decimal::MAX)
        });
    let left = (Decimal::ONE - stated.min(Decimal::ONE)).max(Decimal::ZERO);
    // Stated shares that add up to more than the whole contradict one
    // another (a holding the record ends a day after the next begins): no
    // majority among them is certain, though each is possible.
    let over = overfull(stakes);
    let mut out = Vec::new();
    for &(party, s) in stakes {
        let mut best: Option<Finding<K>> = None;
        let mut consider = |basis: Basis, m: Majority| {
            let contradicted = match basis {
                Basis::Votes => over.votes,
                Basis::VotesFollowCapital => over.votes || over.capital,
                _ => false,
            };
            let certain = match m {
                Majority::Surely => !contradicted,
                Majority::Possibly => false,
                Majority::No => return,
            };
            let better = match &best {
                None => true,
                Some(b) => (certain && !b.certain) || (certain == b.certain && basis < b.basis),
            };
            if better {
                best = Some(Finding {
                    party,
                    basis,
                    certain,
                });
            }
        };
        if let Some(v) = s.votes {
            consider(Basis::Votes, v.majority());
        } else if let Some(c) = s.voting_capital {
            // The presumption, within what the stated votes leave.
            let presumed = Portion {
                lo: c.lo.min(left),
                lo_open: c.lo_open && c.lo <= left,
                hi: c.hi.min(left),
                hi_open: c.hi_open && c.hi <= left,
            };
            consider(Basis::VotesFollowCapital, presumed.majority());
        }
        if let Some(a) = s.appoints {
            consider(Basis::AppointsBoard, a.majority());
        }
        if let Some(r) = s.right {
            let basis = match r {
                RightKind::CompanyRules => Basis::CompanyRules,
                RightKind::LegalFramework => Basis::LegalFramework,
                RightKind::OtherControl => Basis::OtherControl,
            };
            consider(basis, Majority::Surely);
        }
        out.extend(best);
    }
    // Where a party surely controls, the others' possible majorities are
    // not reported: the data gives a controller.
    if out.iter().any(|f| f.certain) {
        out.retain(|f| f.certain);
        return out;
    }
    // No party surely controls: the board does, as a body (surely when no
    // party possibly does).
    let possibly = !out.is_empty();
    if let Some(board) = board {
        out.push(Finding {
            party: board,
            basis: Basis::Board,
            certain: !possibly,
        });
    } else if options.senior_official_fallback {
        for &(party, s) in stakes {
            if s.senior_official {
                out.push(Finding {
                    party,
                    basis: Basis::SeniorManagingOfficial,
                    certain: !possibly,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(p: i64) -> Portion {
        Portion::exact(Decimal::new(p, 2))
    }

    fn stake(kind: InterestType, share: Option<Portion>) -> Stake {
        let mut s = Stake::default();
        s.add(kind, share, true, false);
        s
    }

    #[test]
    fn a_majority_of_votes_controls_and_a_minority_does_not() {
        let f = controllers(
            &[
                ("a", stake(InterestType::VotingRights, Some(pct(51)))),
                ("b", stake(InterestType::VotingRights, Some(pct(49)))),
            ],
            None,
            &Options::default(),
        );
        assert_eq!(
            f,
            [Finding {
                party: "a",
                basis: Basis::Votes,
                certain: true
            }]
        );
    }

    #[test]
    fn capital_does_not_control_where_votes_sit_with_another_party() {
        let f = controllers(
            &[
                ("capital", stake(InterestType::Shareholding, Some(pct(90)))),
                ("votes", stake(InterestType::VotingRights, Some(pct(100)))),
            ],
            None,
            &Options::default(),
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].party, f[0].basis), ("votes", Basis::Votes));
    }

    #[test]
    fn votes_follow_capital_within_what_stated_votes_leave() {
        // Another holder states 30% of the votes: the 70% holder's shares
        // carry the other 70%.
        let f = controllers(
            &[
                ("a", stake(InterestType::VotingRights, Some(pct(30)))),
                ("b", stake(InterestType::Shareholding, Some(pct(70)))),
            ],
            None,
            &Options::default(),
        );
        assert_eq!(
            f,
            [Finding {
                party: "b",
                basis: Basis::VotesFollowCapital,
                certain: true
            }]
        );
        // Another holder states 60%: at most 40% is left.
        let f = controllers(
            &[
                ("a", stake(InterestType::VotingRights, Some(pct(60)))),
                ("b", stake(InterestType::Shareholding, Some(pct(70)))),
            ],
            None,
            &Options::default(),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].party, "a");
    }

    #[test]
    fn non_voting_capital_never_controls() {
        let mut s = Stake::default();
        s.add(InterestType::Shareholding, Some(pct(90)), false, false);
        let f = controllers(&[("a", s)], Some("board"), &Options::default());
        assert_eq!(f[0].basis, Basis::Board);
    }

    #[test]
    fn appointing_one_of_five_seats_is_not_control() {
        let f = controllers(
            &[("a", stake(InterestType::AppointmentOfBoard, Some(pct(20))))],
            Some("board"),
            &Options::default(),
        );
        assert_eq!((f[0].party, f[0].basis), ("board", Basis::Board));
        let f = controllers(
            &[("a", stake(InterestType::AppointmentOfBoard, None))],
            Some("board"),
            &Options::default(),
        );
        assert_eq!((f[0].party, f[0].basis), ("a", Basis::AppointsBoard));
    }

    #[test]
    fn an_interest_marked_not_control_is_not_control() {
        let mut s = Stake::default();
        let flag = Some(false);
        s.add(
            InterestType::ControlViaCompanyRulesOrArticles,
            None,
            true,
            marked_not_control(flag, true),
        );
        assert_eq!(s, Stake::default());
        // For an entity, BODS requires `false`: it says nothing.
        s.add(
            InterestType::ControlViaCompanyRulesOrArticles,
            None,
            true,
            marked_not_control(flag, false),
        );
        assert_eq!(s.right, Some(RightKind::CompanyRules));
    }

    #[test]
    fn directors_and_officers_control_only_as_the_board() {
        let f = controllers(
            &[
                ("ceo", stake(InterestType::SeniorManagingOfficial, None)),
                ("director", stake(InterestType::BoardMember, None)),
            ],
            Some("board"),
            &Options::default(),
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].party, f[0].basis), ("board", Basis::Board));
    }

    #[test]
    fn the_fallback_names_senior_officials_only_when_asked_and_only_without_a_board() {
        let stakes = [("ceo", stake(InterestType::SeniorManagingOfficial, None))];
        assert!(controllers(&stakes, None, &Options::default()).is_empty());
        let on = Options {
            senior_official_fallback: true,
        };
        let f = controllers(&stakes, None, &on);
        assert_eq!(
            (f[0].party, f[0].basis),
            ("ceo", Basis::SeniorManagingOfficial)
        );
        let f = controllers(&stakes, Some("board"), &on);
        assert_eq!((f[0].party, f[0].basis), ("board", Basis::Board));
    }

    #[test]
    fn a_range_across_one_half_is_a_possible_majority() {
        let range = Portion {
            lo: Decimal::new(25, 2),
            lo_open: true,
            hi: Decimal::new(75, 2),
            hi_open: false,
        };
        let f = controllers(
            &[("a", stake(InterestType::VotingRights, Some(range)))],
            Some("board"),
            &Options::default(),
        );
        assert_eq!(f.len(), 2);
        assert!(!f[0].certain && !f[1].certain);
        let above = Portion {
            lo: Decimal::new(50, 2),
            lo_open: true,
            ..range
        };
        assert_eq!(above.majority(), Majority::Surely);
        let at_most = Portion {
            hi: Decimal::new(50, 2),
            ..range
        };
        assert_eq!(at_most.majority(), Majority::No);
    }

    #[test]
    fn votes_add_up_across_interests() {
        let mut s = Stake::default();
        s.add(InterestType::VotingRights, Some(pct(30)), true, false);
        s.add(InterestType::VotingRights, Some(pct(25)), true, false);
        let f = controllers(&[("a", s)], None, &Options::default());
        assert_eq!(f[0].basis, Basis::Votes);
    }

    #[test]
    fn nineteenths_are_bounded_not_rounded_to_exact() {
        // 2/19 rounds to 28 digits and back to 2: it is still not exact.
        let p = Portion::of(Decimal::from(200), Decimal::from(1900));
        assert!(p.lo < p.hi && p.lo_open, "{p:?}");
        assert_eq!(
            Portion::of(Decimal::new(15, 1), Decimal::from(6)),
            Portion::exact(Decimal::new(25, 2))
        );
    }

    #[test]
    fn thirds_are_bounded_exactly() {
        let third = Portion::of(Decimal::ONE, Decimal::from(3));
        assert!(third.lo < third.hi && third.lo_open && third.hi_open);
        assert_eq!(
            Portion::of(Decimal::from(2), Decimal::from(3)).majority(),
            Majority::Surely
        );
        assert_eq!(
            Portion::of(Decimal::from(1), Decimal::from(4)),
            Portion::exact(Decimal::new(25, 2))
        );
    }
}
