//! The proleptic Gregorian calendar on PostgreSQL's day and microsecond counts (Hinnant's civil-day
//! algorithms), and the range checks every date/time type shares.

use super::*;

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

pub(crate) fn check_date(days: i64) -> Res<Date> {
    match i32::try_from(days) {
        Ok(d) if (DATE_MIN..DATE_END).contains(&d) => Ok(Date(d)),
        _ => Err(DateTimeError::new("date out of range")),
    }
}

pub(crate) fn check_ts(micros: Option<i64>) -> Res<i64> {
    match micros {
        Some(t) if (TS_MIN..TS_END).contains(&t) => Ok(t),
        _ => Err(DateTimeError::new("timestamp out of range")),
    }
}
