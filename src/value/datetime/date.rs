//! PostgreSQL `date`: days since 2000-01-01, text, wire format and day arithmetic.

use std::fmt;
use std::hash::Hash;
use std::str::FromStr;

use bytes::BytesMut;
use postgres_types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

use super::calendar::*;
use super::parse::*;

/// PostgreSQL `date`: days since 2000-01-01, with `i32::MIN`/`i32::MAX` as
/// `-infinity`/`infinity` (PostgreSQL's binary encoding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

impl Date {
    pub const INFINITY: Date = Date(i32::MAX);
    pub const NEG_INFINITY: Date = Date(i32::MIN);

    /// Like PostgreSQL's `make_date`: negative years are BC (-44 is 44 BC), 0 is an error.
    pub fn from_ymd(year: i64, month: i64, day: i64) -> Res<Date> {
        let ymd = checked_ymd(year, month, day)?;
        days_from_ymd(ymd.year, ymd.month, ymd.day)
            .ok_or_else(|| DateTimeError::new("date out of range"))
            .and_then(check_date)
    }

    pub fn is_finite(self) -> bool {
        self.0 != i32::MIN && self.0 != i32::MAX
    }

    pub(crate) fn ymd_opt(self) -> Option<Ymd> {
        self.is_finite().then(|| ymd_from_days(self.0))
    }

    /// (year, month, day) with PostgreSQL's year numbering (44 BC is -44); None if infinite.
    pub fn ymd(self) -> Option<(i64, u8, u8)> {
        self.ymd_opt().map(|d| (pg_year(d.year), d.month, d.day))
    }

    /// Day of week, 0 = Sunday, as `EXTRACT(dow)`.
    pub fn dow(self) -> Option<i64> {
        self.is_finite().then(|| dow_of_days(self.0))
    }

    /// Day of year, 1-based, as `EXTRACT(doy)`.
    pub fn doy(self) -> Option<i64> {
        self.ymd_opt().map(|ymd| doy_of(ymd, self.0))
    }

    /// Seconds since 1970-01-01 00:00 as `EXTRACT(epoch)`; ±inf for infinities.
    pub fn epoch(self) -> f64 {
        match self.0 {
            i32::MIN => f64::NEG_INFINITY,
            i32::MAX => f64::INFINITY,
            d => (i64::from(d) - i64::from(UNIX_EPOCH_DAYS)) as f64 * 86_400.0,
        }
    }

    /// `date + integer`; infinities stay put, as in PostgreSQL.
    pub fn checked_add_days(self, days: i64) -> Res<Date> {
        if !self.is_finite() {
            return Ok(self);
        }
        i64::from(self.0)
            .checked_add(days)
            .ok_or_else(|| DateTimeError::new("date out of range"))
            .and_then(check_date)
    }

    /// `date - date` in days.
    pub fn days_since(self, other: Date) -> Res<i64> {
        if !self.is_finite() || !other.is_finite() {
            return Err(DateTimeError::new("cannot subtract infinite dates"));
        }
        Ok(i64::from(self.0) - i64::from(other.0))
    }

    pub fn to_iso8601(self) -> String {
        self.to_string()
    }
}

/// Validates PostgreSQL-numbered year/month/day fields into an astronomical Ymd.
pub(crate) fn checked_ymd(year: i64, month: i64, day: i64) -> Res<Ymd> {
    if year == 0 {
        return Err(DateTimeError::new(
            "there is no year 0 (use -1 for 1 BC, as make_date does)",
        ));
    }
    let astronomical = if year < 0 {
        year.saturating_add(1)
    } else {
        year
    };
    let month = u8::try_from(month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| DateTimeError::new(format!("month {month} is out of range")))?;
    let day = u8::try_from(day)
        .ok()
        .filter(|d| *d >= 1 && *d <= days_in_month(astronomical, month))
        .ok_or_else(|| {
            DateTimeError::new(format!("day {day} is out of range for month {month}"))
        })?;
    Ok(Ymd {
        year: astronomical,
        month,
        day,
    })
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            i32::MIN => f.pad("-infinity"),
            i32::MAX => f.pad("infinity"),
            d => {
                let ymd = ymd_from_days(d);
                let mut out = String::new();
                push_ymd(&mut out, ymd);
                push_era(&mut out, ymd);
                f.pad(&out)
            }
        }
    }
}

impl FromStr for Date {
    type Err = DateTimeError;

    fn from_str(s: &str) -> Res<Date> {
        match parse_datetime(s, Want::Date).map_err(|why| parse_error("date", s, why))? {
            ParsedDt::PosInf => Ok(Date::INFINITY),
            ParsedDt::NegInf => Ok(Date::NEG_INFINITY),
            ParsedDt::At { days, .. } => check_date(days).map_err(|e| parse_error("date", s, e)),
        }
    }
}

impl<'a> FromSql<'a> for Date {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, SqlError> {
        Ok(Date(postgres_protocol::types::date_from_sql(raw)?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::DATE
    }
}

impl ToSql for Date {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, SqlError> {
        postgres_protocol::types::date_to_sql(self.0, out);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::DATE
    }

    to_sql_checked!();
}

pub(crate) fn check_date(days: i64) -> Res<Date> {
    match i32::try_from(days) {
        Ok(d) if (DATE_MIN..DATE_END).contains(&d) => Ok(Date(d)),
        _ => Err(DateTimeError::new("date out of range")),
    }
}
