//! Mixing exact decimals (numeric columns) with Rhai floats: `price * 1.5`, `total > 99.9`. Rhai itself
//! only mixes decimals with integers.

use rhai::{Dynamic, Engine, FLOAT};
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

pub fn register(engine: &mut Engine) {
    macro_rules! cmp {
        ($op:literal, $f:expr) => {
            engine.register_fn($op, |a: Decimal, b: FLOAT| $f(float(a), b));
            engine.register_fn($op, |a: FLOAT, b: Decimal| $f(a, float(b)));
        };
    }
    cmp!("==", |a: FLOAT, b: FLOAT| a == b);
    cmp!("!=", |a: FLOAT, b: FLOAT| a != b);
    cmp!("<", |a: FLOAT, b: FLOAT| a < b);
    cmp!("<=", |a: FLOAT, b: FLOAT| a <= b);
    cmp!(">", |a: FLOAT, b: FLOAT| a > b);
    cmp!(">=", |a: FLOAT, b: FLOAT| a >= b);
    macro_rules! op {
        ($op:literal, $d:expr, $f:expr, $flip:expr) => {
            engine.register_fn($op, |a: Decimal, b: FLOAT| arith(a, b, $d, $f));
            engine.register_fn($op, |a: FLOAT, b: Decimal| {
                match dec(a).and_then(|a| $d(a, b)) {
                    Some(r) => Dynamic::from_decimal(r),
                    None => Dynamic::from($flip(a, float(b))),
                }
            });
        };
    }
    op!(
        "+",
        |a: Decimal, b| a.checked_add(b),
        |a, b| a + b,
        |a: FLOAT, b: FLOAT| a + b
    );
    op!(
        "-",
        |a: Decimal, b| a.checked_sub(b),
        |a, b| a - b,
        |a: FLOAT, b: FLOAT| a - b
    );
    op!(
        "*",
        |a: Decimal, b| a.checked_mul(b),
        |a, b| a * b,
        |a: FLOAT, b: FLOAT| a * b
    );
    op!(
        "/",
        |a: Decimal, b| a.checked_div(b),
        |a, b| a / b,
        |a: FLOAT, b: FLOAT| a / b
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_mix_with_floats() {
        let mut e = rhai::Engine::new();
        super::register(&mut e);
        let r: bool = e
            .eval(r#"let d = parse_decimal("2.50"); d == 2.5 && d < 3.0 && 1.0 < d && (d * 1.5).to_string() == "3.750" && type_of(d + 0.5) == "decimal""#)
            .unwrap();
        assert!(r);
        let f: f64 = e.eval(r#"parse_decimal("1") / (0.0 / 0.0)"#).unwrap();
        assert!(f.is_nan());
    }
}
