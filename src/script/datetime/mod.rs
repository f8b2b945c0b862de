//! The date/time types for scripts (date, timestamp, timestamptz, time, timetz, interval): constructors,
//! properties, operators and text forms, as plugin modules. The types themselves are `value::datetime`'s.
//!
//! Every example line `expression  // result` in these docs is checked by the documentation tests.

mod date;
mod interval;
mod time;
mod timestamp;

use std::fmt;

use rhai::{EvalAltResult, FLOAT, INT};

use crate::value::datetime::*;

pub use date::module as date_module;
pub use interval::module as interval_module;
pub use time::module as time_module;
pub use timestamp::module as timestamp_module;

type RhaiRes<T> = Result<T, Box<EvalAltResult>>;

fn rt(e: DateTimeError) -> Box<EvalAltResult> {
    e.to_string().into()
}

fn infinite_error(what: &str, value: impl fmt::Display, prop: &str) -> Box<EvalAltResult> {
    format!("{what} {value} is infinite: it has no {prop}").into()
}

/// Seconds with a fraction as whole seconds and microseconds (0 ..= 60 seconds, as make_time takes them).
fn float_seconds(s: FLOAT) -> Res<(i64, i64)> {
    let micros = (s * 1e6).round();
    if !(0.0..=60e6).contains(&micros) {
        return Err(DateTimeError::new(format!("second {s} is out of range")));
    }
    // 0..=60e6 converts exactly.
    let micros = micros as i64;
    Ok((micros / USECS_PER_SEC, micros % USECS_PER_SEC))
}

/// Microseconds as float seconds (EXTRACT's `second` and `epoch`).
fn seconds(micros: i64) -> FLOAT {
    micros_as_seconds(i128::from(micros))
}

fn int(v: impl Into<INT>) -> INT {
    v.into()
}

/// `to_string`, `to_debug`, `to_iso8601` and the six comparisons of one type, with one example line each.
macro_rules! text_and_order {
    ($module:ident, $ty:ty, $name:literal, $recv:ident,
     to_string: $s:tt, to_debug: $d:tt, to_iso8601: $i:tt,
     eq: $eq:tt, ne: $ne:tt, lt: $lt:tt, le: $le:tt, gt: $gt:tt, ge: $ge:tt) => {
        #[rhai::plugin::export_module]
        pub mod $module {
            use super::*;

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
            use super::*;

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

#[cfg(test)]
mod tests;
