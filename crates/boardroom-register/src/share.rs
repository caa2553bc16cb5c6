//! Exact share ranges: a fraction of the whole (1 = 100%), with open or
//! closed bounds, and a flag for shares the data leaves unknown.

use rust_decimal::Decimal;
use std::fmt;

/// A share of an entity as an exact range of fractions of the whole.
///
/// `lo` and `hi` are fractions (`0.25` is 25%). An unknown share is the
/// range `[0, 1]` with `unknown` set, so that bounds stay true bounds after
/// multiplication and addition. Products that need more than 28 significant
/// digits are rounded by [`rust_decimal`] (banker's rounding); `rounded`
/// records when that happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShareRange {
    /// Lower bound, as a fraction of the whole.
    pub lo: Decimal,
    /// Upper bound, as a fraction of the whole.
    pub hi: Decimal,
    /// The lower bound itself is excluded (`exclusiveMinimum`).
    pub lo_open: bool,
    /// The upper bound itself is excluded (`exclusiveMaximum`).
    pub hi_open: bool,
    /// At least one contributing hop had no stated share.
    pub unknown: bool,
    /// A product or sum needed rounding to 28 significant digits.
    pub rounded: bool,
}

impl ShareRange {
    /// 100%, exactly: the identity of multiplication.
    pub const ONE: ShareRange = ShareRange {
        lo: Decimal::ONE,
        hi: Decimal::ONE,
        lo_open: false,
        hi_open: false,
        unknown: false,
        rounded: false,
    };
    /// 0%, exactly: the identity of addition.
    pub const ZERO: ShareRange = ShareRange {
        lo: Decimal::ZERO,
        hi: Decimal::ZERO,
        lo_open: false,
        hi_open: false,
        unknown: false,
        rounded: false,
    };
    /// A share the data does not state: somewhere in `[0, 1]`.
    pub const UNKNOWN: ShareRange = ShareRange {
        lo: Decimal::ZERO,
        hi: Decimal::ONE,
        lo_open: false,
        hi_open: false,
        unknown: true,
        rounded: false,
    };

    /// An exact share given as a fraction.
    pub fn exact(fraction: Decimal) -> ShareRange {
        ShareRange {
            lo: fraction,
            hi: fraction,
            ..ShareRange::ONE
        }
    }

    /// An exact share given in percent (`50` is one half).
    pub fn percent(p: Decimal) -> ShareRange {
        ShareRange::exact(p / Decimal::ONE_HUNDRED)
    }

    /// The range's exact representation, for interning: two ranges with
    /// the same bits are the same in every respect, the scale of their
    /// decimals included (`0.5` and `0.50` are equal, but not the same
    /// bits, and their products round alike only if their scales agree).
    pub(crate) fn bits(&self) -> ShareBits {
        let flags = u8::from(self.lo_open)
            | u8::from(self.hi_open) << 1
            | u8::from(self.unknown) << 2
            | u8::from(self.rounded) << 3;
        ShareBits(self.lo.serialize(), self.hi.serialize(), flags)
    }

    /// Whether the range is one exact, stated value.
    pub fn is_exact(&self) -> bool {
        !self.unknown && self.lo == self.hi && !self.lo_open && !self.hi_open
    }

    /// Whether every value in the range is strictly above `threshold`.
    pub fn surely_above(&self, threshold: Decimal) -> bool {
        !self.unknown && (self.lo > threshold || (self.lo == threshold && self.lo_open))
    }

    /// Whether every value in the range is at most `threshold`.
    pub fn surely_at_most(&self, threshold: Decimal) -> bool {
        !self.unknown && self.hi <= threshold
    }

    /// The share of a chain: this hop followed by `other`.
    pub fn mul(&self, other: &ShareRange) -> ShareRange {
        if other.is_one() {
            return *self;
        }
        if self.is_one() {
            return *other;
        }
        let (lo, r1) = mul_dec(self.lo, other.lo);
        // Most shares are one value: its product is computed once.
        let same = |d: &ShareRange| d.lo.serialize() == d.hi.serialize();
        let (hi, r2) = if same(self) && same(other) {
            (lo, r1)
        } else {
            mul_dec(self.hi, other.hi)
        };
        ShareRange {
            lo,
            hi,
            // A product is open at a bound if either factor is open there
            // and the product is not pinned at zero by the other factor.
            lo_open: (self.lo_open && !other.lo.is_zero()) || (other.lo_open && !self.lo.is_zero()),
            hi_open: self.hi_open || other.hi_open,
            unknown: self.unknown || other.unknown,
            rounded: self.rounded || other.rounded || r1 || r2,
        }
    }

    /// The share of two disjoint sets of paths together. Shares of one
    /// whole never add up to more than the whole: an upper bound above
    /// 100% stops there, so two unknown shares are still `[0%, 100%]`
    /// (stated shares that add up to more than the whole keep their sum,
    /// which shows the data's inconsistency).
    pub fn add(&self, other: &ShareRange) -> ShareRange {
        let (lo, r1) = add_dec(self.lo, other.lo);
        let (hi, r2) = add_dec(self.hi, other.hi);
        let ceiling = Decimal::ONE.max(lo);
        let capped = hi > ceiling;
        ShareRange {
            lo,
            hi: if capped { ceiling } else { hi },
            lo_open: self.lo_open || other.lo_open,
            hi_open: (self.hi_open || other.hi_open) && !capped,
            unknown: self.unknown || other.unknown,
            rounded: self.rounded || other.rounded || r1 || r2,
        }
    }

    /// Exactly one, closed, stated and unrounded, whatever the scale (`1`,
    /// `1.00`): a test of the mantissa against a power of ten, cheaper than
    /// comparing decimals. A product with it is the other factor, unchanged.
    pub fn is_one(&self) -> bool {
        const POW10: [i128; 29] = {
            let mut t = [1i128; 29];
            let mut i = 1;
            while i < 29 {
                t[i] = t[i - 1] * 10;
                i += 1;
            }
            t
        };
        let one = |d: &Decimal| POW10.get(d.scale() as usize) == Some(&d.mantissa());
        !(self.lo_open || self.hi_open || self.unknown || self.rounded)
            && one(&self.lo)
            && one(&self.hi)
    }

    /// Bounds in percent, normalised (no trailing zeros).
    pub fn percent_bounds(&self) -> (Decimal, Decimal) {
        (
            (self.lo * Decimal::ONE_HUNDRED).normalize(),
            (self.hi * Decimal::ONE_HUNDRED).normalize(),
        )
    }
}

/// The exact representation of a [`ShareRange`] (see [`ShareRange::bits`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ShareBits([u8; 16], [u8; 16], u8);

fn mul_dec(a: Decimal, b: Decimal) -> (Decimal, bool) {
    match a.checked_mul(b) {
        Some(p) => {
            // rust_decimal rounds silently when the exact product needs more
            // than 28 fractional digits; detect that from the scales.
            let rounded = a.scale() + b.scale() > p.scale() && !p.is_zero() && p.scale() >= 28;
            (p, rounded)
        }
        None => (Decimal::MAX, true),
    }
}

fn add_dec(a: Decimal, b: Decimal) -> (Decimal, bool) {
    match a.checked_add(b) {
        Some(s) => (s, false),
        None => (Decimal::MAX, true),
    }
}

impl fmt::Display for ShareRange {
    /// `50%`, `(25%, 50%]`, `unknown [0%, 100%]`.
    /// A rounded product (past 28 decimal places) is marked `≈`; one so
    /// small that rounding at 28 places decides it is shown as an upper
    /// bound: a chain of 100,000 holdings of 60% showed "0.00000000000000000000000001%"
    /// for 0.6^100000, about 10^-22185.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lo, hi) = self.percent_bounds();
        if self.unknown {
            f.write_str("unknown ")?;
        }
        if self.rounded {
            let floor = Decimal::new(1, 18);
            if hi < floor {
                return write!(f, "under {floor}%");
            }
            f.write_str("≈")?;
        }
        if self.is_exact() {
            return write!(f, "{lo}%");
        }
        let l = if self.lo_open { '(' } else { '[' };
        let r = if self.hi_open { ')' } else { ']' };
        write!(f, "{l}{lo}%, {hi}%{r}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(v: i64) -> ShareRange {
        ShareRange::percent(Decimal::from(v))
    }

    /// Issue 20, item 5: a share rounded to nothing at 28 places was shown
    /// as a tiny positive figure.
    #[test]
    fn a_share_rounded_past_28_places_says_so() {
        let mut x = pct(60);
        for _ in 0..1000 {
            x = x.mul(&pct(60));
        }
        assert!(x.rounded);
        assert_eq!(x.to_string(), "under 0.000000000000000001%");
        let third = ShareRange::exact(Decimal::ONE / Decimal::from(3));
        assert_eq!(third.mul(&third).to_string().chars().next(), Some('≈'));
    }

    #[test]
    fn chain_of_halves_is_a_quarter() {
        assert_eq!(pct(50).mul(&pct(50)).to_string(), "25%");
    }

    #[test]
    fn band_times_exact_keeps_open_bounds() {
        let band = ShareRange {
            lo: Decimal::new(25, 2),
            hi: Decimal::new(50, 2),
            lo_open: true,
            ..ShareRange::ONE
        };
        assert_eq!(band.mul(&pct(50)).to_string(), "(12.5%, 25%]");
    }

    #[test]
    fn one_at_any_scale_is_the_identity() {
        let one = ShareRange::exact(Decimal::new(100, 2)); // 1.00
        let half = pct(50);
        assert!(one.is_one() && ShareRange::ONE.is_one());
        assert!(!half.is_one() && !ShareRange::ZERO.is_one());
        assert_eq!(half.mul(&one).lo.scale(), half.lo.scale());
        assert_eq!(one.mul(&half).lo.scale(), half.lo.scale());
    }

    /// Regression (issue 13): two unknown holdings added up to
    /// "unknown [0%, 200%]".
    #[test]
    fn two_unknown_shares_of_one_whole_stay_within_it() {
        let s = ShareRange::UNKNOWN.add(&ShareRange::UNKNOWN);
        assert_eq!(s.to_string(), "unknown [0%, 100%]");
        assert_eq!(pct(60).add(&pct(40)).to_string(), "100%");
    }

    #[test]
    fn unknown_spreads() {
        let s = pct(60).mul(&ShareRange::UNKNOWN);
        assert_eq!(s.to_string(), "unknown [0%, 60%]");
        assert!(!s.surely_above(Decimal::new(5, 1)));
    }
}
