//! Exact money: conversions between `Decimal` and rationals, rounding to
//! the cent, and short labels such as `$13B`.

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Serialize, Serializer};

/// Exact rational number used for every internal computation.
pub type Q = BigRational;

/// `Decimal` to an exact rational.
pub(crate) fn q(d: Decimal) -> Q {
    let mantissa = BigInt::from(d.mantissa());
    let den = BigInt::from(10u8).pow(d.scale());
    Q::new(mantissa, den)
}

pub(crate) fn qi(n: i64) -> Q {
    Q::from_integer(BigInt::from(n))
}

pub(crate) fn percent(d: Decimal) -> Q {
    q(d) / qi(100)
}

/// Rounds half away from zero to `dp` decimal places. Saturates at the
/// `Decimal` range (about 7.9e28), far beyond any amount of money.
pub(crate) fn to_decimal(x: &Q, dp: u32) -> Decimal {
    let scale = BigInt::from(10u8).pow(dp);
    let scaled = x * Q::from_integer(scale);
    let rounded = scaled.round().to_integer();
    match rounded.to_i128() {
        Some(m) if m.unsigned_abs() < 79_228_162_514_264_337_593_543_950_335u128 => {
            Decimal::try_from_i128_with_scale(m, dp).unwrap_or(Decimal::MAX)
        }
        _ if rounded.sign() == Sign::Minus => Decimal::MIN,
        _ => Decimal::MAX,
    }
}

/// Whole cents, rounded down (toward negative infinity).
pub(crate) fn floor_cents(x: &Q) -> BigInt {
    let scaled = x * qi(100);
    scaled.numer().div_floor(scaled.denom())
}

pub(crate) fn cents_to_decimal(c: &BigInt) -> Decimal {
    match c.to_i128() {
        Some(m) => Decimal::try_from_i128_with_scale(m, 2).unwrap_or(Decimal::MAX),
        None => Decimal::MAX,
    }
}

/// Rounds exact amounts, which must sum to a whole number of cents, to
/// cents so that they still sum exactly to that total.
///
/// Rule (largest remainder): each amount is first rounded down to the
/// cent; the cents left over go one each to the amounts with the largest
/// remainders, ties going to the amount listed first.
pub(crate) fn round_largest_remainder(amounts: &[Q], total_cents: &BigInt) -> Vec<BigInt> {
    // floor(a × 100) and the remainder (a × 100 − floor) as num/den, with
    // no reduction of fractions: cheap for ten thousand parties.
    let mut floors = Vec::with_capacity(amounts.len());
    let mut rems = Vec::with_capacity(amounts.len());
    for a in amounts {
        let num: BigInt = a.numer() * BigInt::from(100u8);
        let (f, r) = num.div_mod_floor(a.denom());
        floors.push(f);
        rems.push(r);
    }
    let assigned: BigInt = floors.iter().fold(BigInt::zero(), |a, b| a + b);
    let mut left = (total_cents - assigned).to_usize().unwrap_or(0);
    if left == 0 {
        return floors;
    }
    let mut order: Vec<usize> = (0..amounts.len()).filter(|&i| !rems[i].is_zero()).collect();
    // Largest remainder first (r_i/d_i > r_j/d_j ⇔ r_i·d_j > r_j·d_i); a
    // stable sort keeps listing order on ties.
    order.sort_by(|&i, &j| (&rems[j] * amounts[i].denom()).cmp(&(&rems[i] * amounts[j].denom())));
    for i in order {
        if left == 0 {
            break;
        }
        floors[i] += BigInt::one();
        left -= 1;
    }
    floors
}

/// An exact quantity, serialised as the exact fraction and a decimal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Exact(pub Q);

impl Exact {
    /// The exact value as a fraction in lowest terms, such as `52000000000/3`.
    pub fn fraction(&self) -> String {
        let r = self.0.reduced();
        if r.is_integer() {
            r.numer().to_string()
        } else {
            format!("{}/{}", r.numer(), r.denom())
        }
    }
    /// The value rounded (half away from zero) to `dp` decimal places.
    pub fn decimal(&self, dp: u32) -> Decimal {
        to_decimal(&self.0, dp)
    }
    /// The value as a float, for drawing only.
    pub fn approx(&self) -> f64 {
        self.0.to_f64().unwrap_or(0.0)
    }
    /// The exact rational.
    pub fn rational(&self) -> &Q {
        &self.0
    }
}

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Exact", 2)?;
        st.serialize_field("exact", &self.fraction())?;
        st.serialize_field("decimal", &self.decimal(6).normalize().to_string())?;
        st.end()
    }
}

impl JsonSchema for Exact {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Exact".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "An exact rational: `exact` is a fraction in lowest terms, `decimal` the value rounded to 6 places",
            "properties": { "exact": { "type": "string" }, "decimal": { "type": "string" } },
            "required": ["exact", "decimal"]
        })
    }
}

impl std::fmt::Display for Exact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.decimal(2))
    }
}

fn currency_symbol(currency: &str) -> &str {
    match currency {
        "USD" | "CAD" | "AUD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        _ => "",
    }
}

/// A short money label such as `$13B`, `$17.33B`, `$250M` or `$0`.
pub fn short_money(x: f64, currency: &str) -> String {
    let sym = currency_symbol(currency);
    let (sign, a) = if x < 0.0 { ("-", -x) } else { ("", x) };
    let (v, unit) = if a >= 1e12 {
        (a / 1e12, "T")
    } else if a >= 1e9 {
        (a / 1e9, "B")
    } else if a >= 1e6 {
        (a / 1e6, "M")
    } else if a >= 1e3 {
        (a / 1e3, "K")
    } else {
        (a, "")
    };
    let mut s = format!("{v:.2}");
    while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
        s.pop();
    }
    if sym.is_empty() && !currency.is_empty() {
        format!("{sign}{s}{unit} {currency}")
    } else {
        format!("{sign}{sym}{s}{unit}")
    }
}

/// Exact non-negative integer power.
pub(crate) fn pow(base: &Q, exp: u32) -> Q {
    // A reduced fraction's powers are reduced: no gcd is needed, and the
    // numerator and denominator are raised by squaring.
    Q::new_raw(base.numer().pow(exp), base.denom().pow(exp))
}

pub(crate) fn is_negative(x: &Q) -> bool {
    x.is_negative()
}

/// An amount to the cent, as people read it: 1234567.5 → 1,234,567.50.
pub fn grouped(d: Decimal) -> String {
    let s = format!("{:.2}", d.round_dp(2));
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = s.split_once('.').unwrap_or((s, "00"));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{sign}{out}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_sums_exactly() {
        let third = Q::new(BigInt::from(100), BigInt::from(3));
        let r = round_largest_remainder(
            &[third.clone(), third.clone(), third],
            &BigInt::from(10_000),
        );
        let cents: Vec<i64> = r.iter().map(|c| c.to_i64().unwrap_or(0)).collect();
        assert_eq!(cents, vec![3334, 3333, 3333]);
    }

    #[test]
    fn short_labels() {
        assert_eq!(short_money(13e9, "USD"), "$13B");
        assert_eq!(short_money(17.333e9, "USD"), "$17.33B");
        assert_eq!(short_money(0.0, "USD"), "$0");
        assert_eq!(short_money(2.5e6, "CHF"), "2.5M CHF");
    }
}
