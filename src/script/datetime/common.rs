//! What the date/time bindings share: error conversions, seconds as floats, and the macros that give each
//! type its text forms, comparisons and finiteness with one documented example each.

use std::fmt;

use rhai::{EvalAltResult, FLOAT, INT};

use crate::value::datetime::{micros_as_seconds, DateTimeError, Res, USECS_PER_SEC};

pub(crate) type RhaiRes<T> = Result<T, Box<EvalAltResult>>;

pub(crate) fn rt(e: DateTimeError) -> Box<EvalAltResult> {
    e.to_string().into()
}

pub(crate) fn infinite_error(
    what: &str,
    value: impl fmt::Display,
    prop: &str,
) -> Box<EvalAltResult> {
    format!("{what} {value} is infinite: it has no {prop}").into()
}

/// Seconds with a fraction as whole seconds and microseconds (0 ..= 60 seconds, as make_time takes them).
pub(crate) fn float_seconds(s: FLOAT) -> Res<(i64, i64)> {
    let micros = (s * 1e6).round();
    if !(0.0..=60e6).contains(&micros) {
        return Err(DateTimeError::new(format!("second {s} is out of range")));
    }
    // 0..=60e6 converts exactly.
    let micros = micros as i64;
    Ok((micros / USECS_PER_SEC, micros % USECS_PER_SEC))
}

/// Microseconds as float seconds (EXTRACT's `second` and `epoch`).
pub(crate) fn seconds(micros: i64) -> FLOAT {
    micros_as_seconds(i128::from(micros))
}

pub(crate) fn int(v: impl Into<INT>) -> INT {
    v.into()
}

/// `to_string`, `to_debug`, `to_iso8601` and the six comparisons of one type, with one example line each.
macro_rules! text_and_order {
    ($module:ident, $ty:ty, $name:literal, $recv:ident,
     to_string: $s:tt, to_debug: $d:tt, to_iso8601: $i:tt,
     eq: $eq:tt, ne: $ne:tt, lt: $lt:tt, le: $le:tt, gt: $gt:tt, ge: $ge:tt) => {
        #[rhai::plugin::export_module]
        pub mod $module {
            use crate::value::datetime::*;

            /// The value as psql prints it: what `print`, `${…}` and the prompt show.
            ///
            /// ```rhai
            #[doc = $s]
            /// ```
            #[rhai_fn(name = "to_string", pure)]
            pub fn to_string($recv: &mut $ty) -> String {
                $recv.to_string()
            }

            /// The value as a constructor call, which is what `debug` shows.
            ///
            /// ```rhai
            #[doc = $d]
            /// ```
            #[rhai_fn(name = "to_debug", pure)]
            pub fn to_debug($recv: &mut $ty) -> String {
                format!("{}(\"{}\")", $name, $recv)
            }

            /// The value in ISO 8601 form, as PostgreSQL's `to_json` writes it (intervals: IntervalStyle
            /// iso_8601).
            ///
            /// ```rhai
            #[doc = $i]
            /// ```
            #[rhai_fn(name = "to_iso8601", pure)]
            pub fn to_iso8601($recv: &mut $ty) -> String {
                $recv.to_iso8601()
            }

            /// Whether two values are equal, as PostgreSQL compares them.
            ///
            /// ```rhai
            #[doc = $eq]
            /// ```
            #[rhai_fn(name = "==")]
            pub fn eq(a: $ty, b: $ty) -> bool {
                a == b
            }

            /// Whether two values differ, as PostgreSQL compares them.
            ///
            /// ```rhai
            #[doc = $ne]
            /// ```
            #[rhai_fn(name = "!=")]
            pub fn ne(a: $ty, b: $ty) -> bool {
                a != b
            }

            /// Whether the first value comes before the second, as PostgreSQL orders them.
            ///
            /// ```rhai
            #[doc = $lt]
            /// ```
            #[rhai_fn(name = "<")]
            pub fn lt(a: $ty, b: $ty) -> bool {
                a < b
            }

            /// Whether the first value comes before the second or equals it.
            ///
            /// ```rhai
            #[doc = $le]
            /// ```
            #[rhai_fn(name = "<=")]
            pub fn le(a: $ty, b: $ty) -> bool {
                a <= b
            }

            /// Whether the first value comes after the second, as PostgreSQL orders them.
            ///
            /// ```rhai
            #[doc = $gt]
            /// ```
            #[rhai_fn(name = ">")]
            pub fn gt(a: $ty, b: $ty) -> bool {
                a > b
            }

            /// Whether the first value comes after the second or equals it.
            ///
            /// ```rhai
            #[doc = $ge]
            /// ```
            #[rhai_fn(name = ">=")]
            pub fn ge(a: $ty, b: $ty) -> bool {
                a >= b
            }
        }
    };
}

/// `is_finite` / `is_infinite`, as properties and as methods, of a type with infinities.
macro_rules! finiteness {
    ($module:ident, $ty:ty, $recv:ident, $finite:expr,
     finite: $f:tt, infinite: $i:tt) => {
        #[rhai::plugin::export_module]
        pub mod $module {
            use crate::value::datetime::*;

            /// Whether the value is finite (not `infinity` or `-infinity`).
            ///
            /// ```rhai
            #[doc = $f]
            /// ```
            #[rhai_fn(get = "is_finite", name = "is_finite", pure)]
            pub fn is_finite($recv: &mut $ty) -> bool {
                ($finite)(&*$recv)
            }

            /// Whether the value is `infinity` or `-infinity`.
            ///
            /// ```rhai
            #[doc = $i]
            /// ```
            #[rhai_fn(get = "is_infinite", name = "is_infinite", pure)]
            pub fn is_infinite($recv: &mut $ty) -> bool {
                !($finite)(&*$recv)
            }
        }
    };
}

pub(crate) use {finiteness, text_and_order};
