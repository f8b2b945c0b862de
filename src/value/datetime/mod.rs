//! PostgreSQL's date/time values (date, timestamp, timestamptz, time, timetz, interval) psql-identical text, PostgreSQL's full ranges and calendar math, the binary wire format. The Rhai bindings are in `script::datetime`.
//!
//! Values keep PostgreSQL's own binary representation (days or microseconds since
//! 2000-01-01, with the extreme integers meaning ±infinity) because PostgreSQL's
//! ranges (4714 BC .. 5874897 AD) exceed chrono's and jiff's. The calendar is the
//! proleptic Gregorian one, computed here with Howard Hinnant's civil-day
//! algorithms. jiff is only asked for time zone offsets.
//!
//! Text follows psql with `DateStyle = ISO, MDY` and `IntervalStyle = postgres`;
//! `to_iso8601` follows PostgreSQL's `to_json` (intervals: `IntervalStyle = iso_8601`).
//!
//! `timestamptz` comes off the wire as an [`Instant`] because the binary format
//! carries no zone: the caller attaches the session's zone, `session_zone(SHOW
//! timezone)`, with [`Instant::with_zone`] or [`TimestampTz::from_micros`].

mod calendar;
mod date;
mod interval;
mod parse;
#[cfg(test)]
mod tests;
mod time;
mod timestamp;
mod zone;

pub use date::Date;
pub use interval::{interval_from_map, Interval};
pub use time::{Time, TimeTz};
pub use timestamp::{Timestamp, TimestampTz};
pub use zone::{session_zone, zone_by_name, zone_name};

// The parts the Rhai bindings (`script::datetime`) read fields through.
pub(crate) use calendar::{
    dow_of_days, doy_of, micros_as_seconds, pg_year, DateTimeError, Res, USECS_PER_DAY,
    USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC,
};
pub(crate) use interval::IntervalParts;
pub(crate) use timestamp::Civil;
