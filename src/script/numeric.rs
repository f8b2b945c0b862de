//! Mixing exact decimals (numeric columns) with Rhai floats: `price * 1.5`, `total > 99.9`. Rhai itself
//! only mixes decimals with integers.

use rhai::plugin::*;
use rhai::{Dynamic, FLOAT};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

/// The float as a decimal (its shortest exact form), when it has one.
fn dec(f: FLOAT) -> Option<Decimal> {
    Decimal::from_f64(f)
}

fn float(d: Decimal) -> FLOAT {
    d.to_f64().unwrap_or(FLOAT::NAN)
}

/// Arithmetic stays exact (a decimal) when the float converts; otherwise (NaN, infinities, overflow) it
/// is done in floats.
fn arith(
    a: Decimal,
    b: FLOAT,
    op: fn(Decimal, Decimal) -> Option<Decimal>,
    fop: fn(FLOAT, FLOAT) -> FLOAT,
) -> Dynamic {
    match dec(b).and_then(|b| op(a, b)) {
        Some(r) => Dynamic::from_decimal(r),
        None => Dynamic::from(fop(float(a), b)),
    }
}

/// The plugin module: comparisons and arithmetic between decimals and floats.
pub fn module() -> Module {
    exported_module!(decimal_float)
}

#[export_module]
mod decimal_float {
    use super::*;

    /// Whether a decimal is equal to a float (compared as floats).
    ///
    /// ```rhai
    /// parse_decimal("2.50") == 2.5  // true
    /// ```
    #[rhai_fn(name = "==")]
    pub fn eq_decimal_float(a: Decimal, b: FLOAT) -> bool {
        float(a) == b
    }

    /// Whether a float is equal to a decimal (compared as floats).
    ///
    /// ```rhai
    /// 0.5 == parse_decimal("0.50")  // true
    /// ```
    #[rhai_fn(name = "==")]
    pub fn eq_float_decimal(a: FLOAT, b: Decimal) -> bool {
        a == float(b)
    }

    /// Whether a decimal is not equal to a float (compared as floats).
    ///
    /// ```rhai
    /// parse_decimal("2.50") != 2.4  // true
    /// ```
    #[rhai_fn(name = "!=")]
    pub fn ne_decimal_float(a: Decimal, b: FLOAT) -> bool {
        float(a) != b
    }

    /// Whether a float is not equal to a decimal (compared as floats).
    ///
    /// ```rhai
    /// 2.5 != parse_decimal("2.5")  // false
    /// ```
    #[rhai_fn(name = "!=")]
    pub fn ne_float_decimal(a: FLOAT, b: Decimal) -> bool {
        a != float(b)
    }

    /// Whether a decimal is less than a float (compared as floats).
    ///
    /// ```rhai
    /// parse_decimal("2.50") < 3.0  // true
    /// ```
    #[rhai_fn(name = "<")]
    pub fn lt_decimal_float(a: Decimal, b: FLOAT) -> bool {
        float(a) < b
    }

    /// Whether a float is less than a decimal (compared as floats).
    ///
    /// ```rhai
    /// 1.0 < parse_decimal("0.5")  // false
    /// ```
    #[rhai_fn(name = "<")]
    pub fn lt_float_decimal(a: FLOAT, b: Decimal) -> bool {
        a < float(b)
    }

    /// Whether a decimal is at most a float (compared as floats).
    ///
    /// ```rhai
    /// parse_decimal("2.50") <= 2.5  // true
    /// ```
    #[rhai_fn(name = "<=")]
    pub fn le_decimal_float(a: Decimal, b: FLOAT) -> bool {
        float(a) <= b
    }

    /// Whether a float is at most a decimal (compared as floats).
    ///
    /// ```rhai
    /// 2.6 <= parse_decimal("2.5")  // false
    /// ```
    #[rhai_fn(name = "<=")]
    pub fn le_float_decimal(a: FLOAT, b: Decimal) -> bool {
        a <= float(b)
    }

    /// Whether a decimal is greater than a float (compared as floats).
    ///
    /// ```rhai
    /// parse_decimal("2.50") > 2.5  // false
    /// ```
    #[rhai_fn(name = ">")]
    pub fn gt_decimal_float(a: Decimal, b: FLOAT) -> bool {
        float(a) > b
    }

    /// Whether a float is greater than a decimal (compared as floats).
    ///
    /// ```rhai
    /// 3.0 > parse_decimal("2.5")  // true
    /// ```
    #[rhai_fn(name = ">")]
    pub fn gt_float_decimal(a: FLOAT, b: Decimal) -> bool {
        a > float(b)
    }

    /// Whether a decimal is at least a float (compared as floats).
    ///
    /// ```rhai
    /// parse_decimal("2.50") >= 2.5  // true
    /// ```
    #[rhai_fn(name = ">=")]
    pub fn ge_decimal_float(a: Decimal, b: FLOAT) -> bool {
        float(a) >= b
    }

    /// Whether a float is at least a decimal (compared as floats).
    ///
    /// ```rhai
    /// 2.5 >= parse_decimal("2.51")  // false
    /// ```
    #[rhai_fn(name = ">=")]
    pub fn ge_float_decimal(a: FLOAT, b: Decimal) -> bool {
        a >= float(b)
    }

    /// A decimal + a float: exact (a decimal) when the float has an exact decimal form, else a float
    /// (NaN, infinities, overflow).
    ///
    /// ```rhai
    /// parse_decimal("1.10") + 0.5  // 1.60
    /// ```
    #[rhai_fn(name = "+")]
    pub fn add_decimal_float(a: Decimal, b: FLOAT) -> Dynamic {
        arith(a, b, |a, b| a.checked_add(b), |a, b| a + b)
    }

    /// A float + a decimal: exact (a decimal) when the float has an exact decimal form, else a float.
    ///
    /// ```rhai
    /// 0.25 + parse_decimal("1")  // 1.25
    /// ```
    #[rhai_fn(name = "+")]
    pub fn add_float_decimal(a: FLOAT, b: Decimal) -> Dynamic {
        match dec(a).and_then(|a| a.checked_add(b)) {
            Some(r) => Dynamic::from_decimal(r),
            None => Dynamic::from(a + float(b)),
        }
    }

    /// A decimal - a float: exact (a decimal) when the float has an exact decimal form, else a float
    /// (NaN, infinities, overflow).
    ///
    /// ```rhai
    /// parse_decimal("1.10") - 0.5  // 0.60
    /// ```
    #[rhai_fn(name = "-")]
    pub fn sub_decimal_float(a: Decimal, b: FLOAT) -> Dynamic {
        arith(a, b, |a, b| a.checked_sub(b), |a, b| a - b)
    }

    /// A float - a decimal: exact (a decimal) when the float has an exact decimal form, else a float.
    ///
    /// ```rhai
    /// 2.5 - parse_decimal("0.5")  // 2.0
    /// ```
    #[rhai_fn(name = "-")]
    pub fn sub_float_decimal(a: FLOAT, b: Decimal) -> Dynamic {
        match dec(a).and_then(|a| a.checked_sub(b)) {
            Some(r) => Dynamic::from_decimal(r),
            None => Dynamic::from(a - float(b)),
        }
    }

    /// A decimal * a float: exact (a decimal) when the float has an exact decimal form, else a float
    /// (NaN, infinities, overflow).
    ///
    /// ```rhai
    /// parse_decimal("2.50") * 1.5  // 3.750
    /// ```
    #[rhai_fn(name = "*")]
    pub fn mul_decimal_float(a: Decimal, b: FLOAT) -> Dynamic {
        arith(a, b, |a, b| a.checked_mul(b), |a, b| a * b)
    }

    /// A float * a decimal: exact (a decimal) when the float has an exact decimal form, else a float.
    ///
    /// ```rhai
    /// 1.5 * parse_decimal("2")  // 3.0
    /// ```
    #[rhai_fn(name = "*")]
    pub fn mul_float_decimal(a: FLOAT, b: Decimal) -> Dynamic {
        match dec(a).and_then(|a| a.checked_mul(b)) {
            Some(r) => Dynamic::from_decimal(r),
            None => Dynamic::from(a * float(b)),
        }
    }

    /// A decimal / a float: exact (a decimal) when the float has an exact decimal form, else a float
    /// (NaN, infinities, overflow).
    ///
    /// ```rhai
    /// parse_decimal("3") / 1.5  // 2.0
    /// ```
    #[rhai_fn(name = "/")]
    pub fn div_decimal_float(a: Decimal, b: FLOAT) -> Dynamic {
        arith(a, b, |a, b| a.checked_div(b), |a, b| a / b)
    }

    /// A float / a decimal: exact (a decimal) when the float has an exact decimal form, else a float.
    ///
    /// ```rhai
    /// 1.5 / parse_decimal("0.5")  // 3
    /// ```
    #[rhai_fn(name = "/")]
    pub fn div_float_decimal(a: FLOAT, b: Decimal) -> Dynamic {
        match dec(a).and_then(|a| a.checked_div(b)) {
            Some(r) => Dynamic::from_decimal(r),
            None => Dynamic::from(a / float(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_mix_with_floats() {
        let mut e = rhai::Engine::new();
        e.register_global_module(super::module().into());
        let r: bool = e
            .eval(r#"let d = parse_decimal("2.50"); d == 2.5 && d < 3.0 && 1.0 < d && (d * 1.5).to_string() == "3.750" && type_of(d + 0.5) == "decimal""#)
            .unwrap();
        assert!(r);
        let f: f64 = e.eval(r#"parse_decimal("1") / (0.0 / 0.0)"#).unwrap();
        assert!(f.is_nan());
    }
}
