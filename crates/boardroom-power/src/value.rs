//! Exact values (big rationals with an exact decimal rendering) and Monte
//! Carlo estimates, with their JSON shapes.

use std::fmt;

use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use serde::{Serialize, Serializer};

/// Significant digits of the `decimal` rendering of an [`ExactValue`].
pub const DECIMAL_DIGITS: usize = 20;

/// An exact rational value.
///
/// Serialises as `{"rational": "3/10", "decimal": "0.3"}`; the decimal has
/// [`DECIMAL_DIGITS`] significant digits, rounded half up from the rational
/// itself (never through `f64`), with trailing zeros removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExactValue(pub BigRational);

impl ExactValue {
    /// `numer / denom` (reduced). `denom` must be non-zero: callers in this
    /// crate only divide by counts they have checked.
    pub(crate) fn ratio(numer: BigUint, denom: &BigUint) -> ExactValue {
        if denom.is_zero() {
            return ExactValue(BigRational::zero());
        }
        ExactValue(BigRational::new(
            BigInt::from(numer),
            BigInt::from(denom.clone()),
        ))
    }

    /// The rational as `p/q` (or `p` when the denominator is 1).
    pub fn rational(&self) -> String {
        self.0.to_string()
    }

    /// The value as a decimal string with `digits` significant digits.
    pub fn decimal(&self, digits: usize) -> String {
        decimal_string(&self.0, digits)
    }

    /// The nearest `f64` (for plotting only; never used for exact results).
    pub fn to_f64(&self) -> f64 {
        let d = self.decimal(17);
        d.parse().unwrap_or(f64::NAN)
    }
}

impl Serialize for ExactValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ExactValue", 2)?;
        st.serialize_field("rational", &self.rational())?;
        st.serialize_field("decimal", &self.decimal(DECIMAL_DIGITS))?;
        st.end()
    }
}

impl schemars::JsonSchema for ExactValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExactValue".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "An exact rational: `rational` is `p/q` in lowest terms (or `p`), `decimal` the value to 20 significant digits, rounded half up from the rational",
            "properties": { "rational": { "type": "string" }, "decimal": { "type": "string" } },
            "required": ["rational", "decimal"]
        })
    }
}

/// A Monte Carlo estimate of a probability-like value with a 95% confidence
/// interval (Wilson score interval for a binomial proportion, which stays
/// honest for the small probabilities of light players).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Estimate {
    /// The point estimate.
    pub estimate: f64,
    /// Lower end of the 95% confidence interval.
    pub ci95_low: f64,
    /// Upper end of the 95% confidence interval.
    pub ci95_high: f64,
}

impl Estimate {
    /// Estimate of a Bernoulli mean from `hits` successes in `samples` trials.
    pub(crate) fn bernoulli(hits: u64, samples: u64) -> Estimate {
        let n = samples.max(1) as f64;
        let p = hits as f64 / n;
        let z = 1.959_963_984_540_054;
        let z2 = z * z;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        Estimate {
            estimate: p,
            ci95_low: (centre - half).max(0.0),
            ci95_high: (centre + half).min(1.0),
        }
    }
}

/// A power value: exact, or estimated by Monte Carlo.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Value {
    /// Computed exactly.
    Exact(ExactValue),
    /// Estimated by sampling.
    Estimate(Estimate),
}

impl Value {
    /// A short decimal rendering for tables.
    pub fn short(&self) -> String {
        match self {
            Value::Exact(e) => e.decimal(8),
            Value::Estimate(e) => format!("~{:.6}", e.estimate),
        }
    }

    /// The exact value, if this is one.
    pub fn exact(&self) -> Option<&ExactValue> {
        match self {
            Value::Exact(e) => Some(e),
            Value::Estimate(_) => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Exact(e) => write!(f, "{} ({})", e.rational(), e.decimal(DECIMAL_DIGITS)),
            Value::Estimate(e) => write!(
                f,
                "~{:.6} (95% CI {:.6}..{:.6})",
                e.estimate, e.ci95_low, e.ci95_high
            ),
        }
    }
}

/// Serialise a big unsigned integer as a decimal string (JSON numbers would
/// lose precision).
pub(crate) fn ser_opt_biguint<S: Serializer>(v: &Option<BigUint>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_str(&v.to_string()),
        None => s.serialize_none(),
    }
}

/// The schema of [`ser_opt_biguint`]'s output: decimal digits, or null.
/// The pattern tells a reader (the Python package) to read an integer.
pub(crate) fn big_count_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["string", "null"],
        "pattern": "^[0-9]+$"
    })
}

fn pow10(e: u32) -> BigUint {
    BigUint::from(10u32).pow(e)
}

/// `r` with `digits` significant digits, rounded half up, computed exactly.
///
/// Plain notation for magnitudes from 1e-30 up, scientific below that.
pub fn decimal_string(r: &BigRational, digits: usize) -> String {
    let digits = digits.max(1);
    if r.is_zero() {
        return "0".into();
    }
    let neg = r.is_negative();
    let a = r.numer().abs().to_biguint().unwrap_or_default();
    let b = r.denom().abs().to_biguint().unwrap_or_default();
    if b.is_zero() {
        return "NaN".into();
    }
    // e = floor(log10(a/b)).
    let da = a.to_string().len() as i64;
    let db = b.to_string().len() as i64;
    let mut e = da - db;
    // Is a/b >= 10^e ?
    let ge = |e: i64| -> bool {
        if e >= 0 {
            a >= &b * pow10(e as u32)
        } else {
            &a * pow10((-e) as u32) >= b
        }
    };
    if !ge(e) {
        e -= 1;
    }
    // scaled = round(a/b * 10^(digits-1-e)).
    let shift = digits as i64 - 1 - e;
    let (num, den) = if shift >= 0 {
        (&a * pow10(shift as u32), b.clone())
    } else {
        (a.clone(), &b * pow10((-shift) as u32))
    };
    let two = BigUint::from(2u32);
    let mut scaled = (&num * &two + &den).div_floor(&(&den * &two));
    if scaled >= pow10(digits as u32) {
        scaled /= BigUint::from(10u32);
        e += 1;
    }
    let ds = scaled.to_string();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if e < -30 {
        let (first, rest) = ds.split_at(1);
        let rest = rest.trim_end_matches('0');
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push_str(&format!("e{e}"));
        return out;
    }
    let body = if e >= digits as i64 - 1 {
        let mut s = ds.clone();
        s.push_str(&"0".repeat((e - (digits as i64 - 1)) as usize));
        s
    } else if e >= 0 {
        let (int, frac) = ds.split_at((e + 1) as usize);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    } else {
        let frac = format!("{}{}", "0".repeat((-e - 1) as usize), ds);
        format!("0.{}", frac.trim_end_matches('0'))
    };
    out.push_str(&body);
    out
}

/// `n!` as a big integer.
pub(crate) fn factorial(n: usize) -> BigUint {
    let mut f = BigUint::one();
    for i in 2..=n as u64 {
        f *= i;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(n: i64, d: i64, digits: usize, expect: &str) {
        let r = BigRational::new(BigInt::from(n), BigInt::from(d));
        assert_eq!(decimal_string(&r, digits), expect, "{n}/{d}");
    }

    #[test]
    fn decimals_are_exact_and_rounded() {
        check(3, 10, 20, "0.3");
        check(1, 3, 20, "0.33333333333333333333");
        check(2, 3, 5, "0.66667");
        check(5, 21, 6, "0.238095");
        check(1, 1, 20, "1");
        check(-1, 8, 20, "-0.125");
        check(123456, 1, 3, "123000");
        check(99999, 100000, 3, "1");
        check(1, 1000, 20, "0.001");
        check(0, 5, 20, "0");
        check(7, 2, 20, "3.5");
    }

    #[test]
    fn tiny_values_use_scientific_notation() {
        let r = BigRational::new(BigInt::from(3), BigInt::from(10u32).pow(40));
        assert_eq!(decimal_string(&r, 20), "3e-40");
    }

    #[test]
    fn exact_value_serialises_as_rational_and_decimal() {
        let v = ExactValue::ratio(BigUint::from(3u32), &BigUint::from(10u32));
        let j = serde_json::to_string(&v).expect("serialise");
        assert_eq!(j, r#"{"rational":"3/10","decimal":"0.3"}"#);
    }
}
