//! What every date/time file shares, at the bottom of the module: units and ranges, the error type, the
//! proleptic Gregorian calendar on PostgreSQL's day and microsecond counts (Hinnant's civil-day
//! algorithms), range checks, and the wire format's big-endian integers.

use std::error::Error as StdError;
use std::fmt;

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

/// A calendar day with an astronomical year (0 is 1 BC, -43 is 44 BC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ymd {
    pub(crate) year: i64,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

/// Hinnant's civil_from_days, shifted to PostgreSQL's 2000-01-01 epoch.
/// An i32 day count keeps every intermediate far inside i64.
pub(crate) fn ymd_from_days(days: i32) -> Ymd {
    let z = i64::from(days) + 730_425;
    let era = z.div_euclid(DAYS_PER_400_YEARS);
    let doe = z.rem_euclid(DAYS_PER_400_YEARS);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    Ymd {
        year: yoe + era * 400 + i64::from(month <= 2),
        // Both are bounded (1..=12, 1..=31) by construction.
        month: month as u8,
        day: day as u8,
    }
}

/// Hinnant's days_from_civil, shifted to PostgreSQL's 2000-01-01 epoch.
/// None for years so large that the arithmetic could overflow; they are out of range anyway.
pub(crate) fn days_from_ymd(year: i64, month: u8, day: u8) -> Option<i64> {
    if !(-100_000_000..=100_000_000).contains(&year) {
        return None;
    }
    let m = i64::from(month);
    let y = year - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * DAYS_PER_400_YEARS + doe - 730_425)
}

pub(crate) fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

pub(crate) fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// PostgreSQL's year numbering (EXTRACT, make_date) has no year 0: 1 BC is -1.
pub(crate) fn pg_year(astronomical: i64) -> i64 {
    if astronomical > 0 {
        astronomical
    } else {
        astronomical - 1
    }
}

/// Splits µs since 2000-01-01 into a day number and µs since that midnight.
/// i128 input lets callers add a zone offset to any i64 without overflow.
pub(crate) fn split_micros(micros: i128) -> Option<(i32, i64)> {
    let day = i128::from(USECS_PER_DAY);
    let days = i32::try_from(micros.div_euclid(day)).ok()?;
    let tod = i64::try_from(micros.rem_euclid(day)).ok()?;
    Some((days, tod))
}

/// Day of week as EXTRACT(dow): 0 = Sunday (2000-01-01 was a Saturday).
pub(crate) fn dow_of_days(days: i32) -> i64 {
    (i64::from(days) + 6).rem_euclid(7)
}

pub(crate) fn doy_of(ymd: Ymd, days: i32) -> i64 {
    let jan1 = days_from_ymd(ymd.year, 1, 1).unwrap_or(i64::from(days));
    i64::from(days) - jan1 + 1
}

pub(crate) fn check_ts(micros: Option<i64>) -> Res<i64> {
    match micros {
        Some(t) if (TS_MIN..TS_END).contains(&t) => Ok(t),
        _ => Err(DateTimeError::new("timestamp out of range")),
    }
}

/// Whole seconds and the fraction convert separately so that typical values stay exact.
/// Microseconds as seconds: the float nearest the exact decimal, as `EXTRACT(...)::float8` gives (adding
/// whole and fractional parts as floats would be off in the last digit, e.g. for -1 µs).
pub(crate) fn micros_as_seconds(micros: i128) -> f64 {
    let usecs = USECS_PER_SEC.unsigned_abs() as u128;
    let abs = micros.unsigned_abs();
    let sign = if micros < 0 { "-" } else { "" };
    format!("{sign}{}.{:06}", abs / usecs, abs % usecs)
        .parse()
        .unwrap_or_else(|_| micros as f64 / 1e6)
}

/// Big-endian integers of the binary wire format, at a byte offset (None past the end).
pub(crate) fn be_i64(raw: &[u8], at: usize) -> Option<i64> {
    let bytes: [u8; 8] = raw.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(i64::from_be_bytes(bytes))
}

pub(crate) fn be_i32(raw: &[u8], at: usize) -> Option<i32> {
    let bytes: [u8; 4] = raw.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(i32::from_be_bytes(bytes))
}
