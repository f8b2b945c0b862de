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
pub use timestamp::{Instant, Timestamp, TimestampTz};
pub use zone::{session_zone, zone_by_name, zone_name};

// The parts the Rhai bindings (`script::datetime`) read fields through.
pub(crate) use calendar::{dow_of_days, doy_of, pg_year};
pub(crate) use interval::IntervalParts;
pub(crate) use timestamp::{micros_as_seconds, Civil};

// Every file of this module sees every other's items (they were one file, and share the calendar and text
// helpers throughout).
#[allow(unused_imports)]
use self::{calendar::*, date::*, interval::*, parse::*, time::*, timestamp::*, zone::*};

use std::cmp::Ordering;
use std::error::Error as StdError;
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::str::FromStr;

use bytes::{BufMut, BytesMut};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use postgres_types::{to_sql_checked, FromSql, IsNull, ToSql, Type};
use rhai::Map;

pub(crate) const USECS_PER_SEC: i64 = 1_000_000;
pub(crate) const USECS_PER_MINUTE: i64 = 60 * USECS_PER_SEC;
pub(crate) const USECS_PER_HOUR: i64 = 60 * USECS_PER_MINUTE;
pub(crate) const USECS_PER_DAY: i64 = 24 * USECS_PER_HOUR;
/// µs from 1970-01-01 to 2000-01-01, PostgreSQL's epoch.
pub(crate) const UNIX_TO_PG_MICROS: i64 = 946_684_800_000_000;
/// PostgreSQL's date for 1970-01-01.
pub(crate) const UNIX_EPOCH_DAYS: i32 = -10_957;
/// Valid dates are JD 0 (4714-11-24 BC) ..= 5874897-12-31, as days since 2000-01-01.
pub(crate) const DATE_MIN: i32 = -2_451_545;
pub(crate) const DATE_END: i32 = 2_145_031_949;
/// Valid timestamps are 4714-11-24 00:00 BC .. 294277-01-01 00:00 (exclusive).
pub(crate) const TS_MIN: i64 = -211_813_488_000_000_000;
pub(crate) const TS_END: i64 = 9_223_371_331_200_000_000;
/// PostgreSQL rejects UTC offsets of 16 hours or more.
pub(crate) const TZ_LIMIT_SECS: i32 = 16 * 3600;
/// The Gregorian calendar (weekdays included) repeats every 400 years.
pub(crate) const DAYS_PER_400_YEARS: i64 = 146_097;

pub(crate) type Res<T> = Result<T, DateTimeError>;
pub(crate) type SqlError = Box<dyn StdError + Sync + Send>;

/// Why a date/time value could not be parsed, built or computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError(String);

impl DateTimeError {
    pub(crate) fn new(msg: impl Into<String>) -> Self {
        DateTimeError(msg.into())
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for DateTimeError {}
