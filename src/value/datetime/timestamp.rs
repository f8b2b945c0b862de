//! PostgreSQL `timestamp` and `timestamptz` (and the zone-less [`Instant`] the wire gives): text, wire
//! format and arithmetic with intervals.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::str::FromStr;

use bytes::BytesMut;
use jiff::tz::TimeZone;
use postgres_types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

use super::calendar::*;
use super::date::*;
use super::interval::*;
use super::parse::*;
use super::time::*;
use super::zone::*;

/// PostgreSQL `timestamp` (without time zone): µs since 2000-01-01 00:00:00,
/// with `i64::MIN`/`i64::MAX` as `-infinity`/`infinity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// Civil fields of a finite timestamp (astronomical year).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Civil {
    pub(crate) ymd: Ymd,
    pub(crate) days: i32,
    pub(crate) tod: i64,
}

impl Civil {
    pub(crate) fn of(local: i64) -> Option<Civil> {
        let (days, tod) = split_micros(i128::from(local))?;
        Some(Civil {
            ymd: ymd_from_days(days),
            days,
            tod,
        })
    }
}

impl Timestamp {
    pub const INFINITY: Timestamp = Timestamp(i64::MAX);
    pub const NEG_INFINITY: Timestamp = Timestamp(i64::MIN);

    /// Like PostgreSQL's `make_timestamp` (negative years are BC), with whole
    /// seconds and a microsecond part.
    pub fn from_civil(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        minute: i64,
        second: i64,
        microsecond: i64,
    ) -> Res<Timestamp> {
        let ymd = checked_ymd(year, month, day)?;
        let tod = time_of_day(hour, minute, second, microsecond)?;
        let days = days_from_ymd(ymd.year, ymd.month, ymd.day)
            .ok_or_else(|| DateTimeError::new("timestamp out of range"))?;
        check_ts(local_micros(days, tod)).map(Timestamp)
    }

    pub fn is_finite(self) -> bool {
        self.0 != i64::MIN && self.0 != i64::MAX
    }

    pub(crate) fn civil(self) -> Option<Civil> {
        if self.is_finite() {
            Civil::of(self.0)
        } else {
            None
        }
    }

    /// The calendar day, as `timestamp::date`.
    pub fn date(self) -> Date {
        match self.0 {
            i64::MIN => Date::NEG_INFINITY,
            i64::MAX => Date::INFINITY,
            t => split_micros(i128::from(t)).map_or(Date::INFINITY, |(d, _)| Date(d)),
        }
    }

    /// The time of day, as `timestamp::time`; None if infinite.
    pub fn time(self) -> Option<Time> {
        self.civil().map(|c| Time(c.tod))
    }

    /// Nominal seconds since 1970-01-01 00:00, as `EXTRACT(epoch)`; ±inf for infinities.
    pub fn epoch(self) -> f64 {
        micros_epoch(self.0)
    }

    /// `timestamp + interval` with PostgreSQL's rules: months first (clamping the day
    /// to the month's end), then days, then the time part.
    pub fn checked_add_interval(self, span: Interval) -> Res<Timestamp> {
        if let Some(inf) = infinite_sum(self.0, span)? {
            return Ok(Timestamp(inf));
        }
        let mut t = self.0;
        if span.months != 0 {
            t = check_ts(add_months_local(t, span.months))?;
        }
        if span.days != 0 {
            t = check_ts(add_days_local(t, span.days))?;
        }
        check_ts(t.checked_add(span.micros)).map(Timestamp)
    }

    pub fn checked_sub_interval(self, span: Interval) -> Res<Timestamp> {
        self.checked_add_interval(span.checked_neg()?)
    }

    /// `timestamp - timestamp`: days and time only, as PostgreSQL's justify_hours leaves it.
    pub fn checked_sub(self, other: Timestamp) -> Res<Interval> {
        micros_difference(self.0, other.0)
    }

    pub fn to_iso8601(self) -> String {
        match self.0 {
            i64::MIN => "-infinity".into(),
            i64::MAX => "infinity".into(),
            t => render_datetime(i128::from(t), None, true),
        }
    }
}

pub(crate) fn micros_epoch(micros: i64) -> f64 {
    match micros {
        i64::MIN => f64::NEG_INFINITY,
        i64::MAX => f64::INFINITY,
        t => micros_as_seconds(i128::from(t) + i128::from(UNIX_TO_PG_MICROS)),
    }
}

/// PostgreSQL 17's rules for an infinite interval added to a timestamp; None when
/// both are finite, the timestamp itself when only it is infinite.
pub(crate) fn infinite_sum(t: i64, span: Interval) -> Res<Option<i64>> {
    let finite = t != i64::MIN && t != i64::MAX;
    if span.is_finite() {
        return Ok((!finite).then_some(t));
    }
    let span_inf = if span == Interval::INFINITY {
        i64::MAX
    } else {
        i64::MIN
    };
    if finite || t == span_inf {
        Ok(Some(span_inf))
    } else {
        Err(DateTimeError::new("timestamp out of range"))
    }
}

pub(crate) fn add_months_local(local: i64, months: i32) -> Option<i64> {
    let c = Civil::of(local)?;
    let total = (c.ymd.year * 12 + i64::from(c.ymd.month) - 1).checked_add(i64::from(months))?;
    let year = total.div_euclid(12);
    let month = u8::try_from(total.rem_euclid(12) + 1).ok()?;
    let day = c.ymd.day.min(days_in_month(year, month));
    local_micros(days_from_ymd(year, month, day)?, c.tod)
}

pub(crate) fn add_days_local(local: i64, days: i32) -> Option<i64> {
    local.checked_add(i64::from(days).checked_mul(USECS_PER_DAY)?)
}

/// PostgreSQL's timestamp_mi: the difference justified into days and time of one sign.
pub(crate) fn micros_difference(a: i64, b: i64) -> Res<Interval> {
    let finite = |t: i64| t != i64::MIN && t != i64::MAX;
    if !finite(a) || !finite(b) {
        return Err(DateTimeError::new("cannot subtract infinite timestamps"));
    }
    let diff = a
        .checked_sub(b)
        .ok_or_else(|| DateTimeError::new("interval out of range"))?;
    let days = i32::try_from(diff / USECS_PER_DAY)
        .map_err(|_| DateTimeError::new("interval out of range"))?;
    Ok(Interval {
        months: 0,
        days,
        micros: diff % USECS_PER_DAY,
    })
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            i64::MIN => f.pad("-infinity"),
            i64::MAX => f.pad("infinity"),
            t => f.pad(&render_datetime(i128::from(t), None, false)),
        }
    }
}

impl FromStr for Timestamp {
    type Err = DateTimeError;

    fn from_str(s: &str) -> Res<Timestamp> {
        let what = "timestamp";
        match parse_datetime(s, Want::Timestamp).map_err(|why| parse_error(what, s, why))? {
            ParsedDt::PosInf => Ok(Timestamp::INFINITY),
            ParsedDt::NegInf => Ok(Timestamp::NEG_INFINITY),
            ParsedDt::At { days, tod, .. } => check_ts(local_micros(days, tod))
                .map(Timestamp)
                .map_err(|e| parse_error(what, s, e)),
        }
    }
}

impl<'a> FromSql<'a> for Timestamp {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, SqlError> {
        Ok(Timestamp(postgres_protocol::types::timestamp_from_sql(
            raw,
        )?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMP
    }
}

impl ToSql for Timestamp {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, SqlError> {
        postgres_protocol::types::timestamp_to_sql(self.0, out);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMP
    }

    to_sql_checked!();
}

/// A `timestamptz` as it comes off the wire: µs since 2000-01-01 00:00:00 UTC,
/// `i64::MIN`/`i64::MAX` for `-infinity`/`infinity`. The binary format has no zone;
/// attach the session's with [`Instant::with_zone`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

impl Instant {
    pub fn with_zone(self, zone: impl Into<Rc<TimeZone>>) -> TimestampTz {
        TimestampTz::from_micros(self.0, zone)
    }
}

impl<'a> FromSql<'a> for Instant {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, SqlError> {
        Ok(Instant(postgres_protocol::types::timestamp_from_sql(raw)?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMPTZ
    }
}

impl ToSql for Instant {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, SqlError> {
        postgres_protocol::types::timestamp_to_sql(self.0, out);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMPTZ
    }

    to_sql_checked!();
}

/// PostgreSQL `timestamptz`: an instant (µs since 2000-01-01 00:00:00 UTC,
/// `i64::MIN`/`i64::MAX` for ±infinity) plus the zone it is shown in, normally the
/// session's `TimeZone` (see [`session_zone`]); every value of a result shares one `Rc`.
/// Equality, ordering and hashing look at the instant only.
#[derive(Clone, Debug)]
pub struct TimestampTz {
    pub micros: i64,
    pub zone: Rc<TimeZone>,
}

impl TimestampTz {
    /// Takes a `TimeZone` or an `Rc<TimeZone>`.
    pub fn from_micros(micros: i64, zone: impl Into<Rc<TimeZone>>) -> TimestampTz {
        TimestampTz {
            micros,
            zone: zone.into(),
        }
    }

    pub fn is_finite(&self) -> bool {
        self.micros != i64::MIN && self.micros != i64::MAX
    }

    /// The same instant shown in another zone.
    pub fn with_zone(&self, zone: impl Into<Rc<TimeZone>>) -> TimestampTz {
        TimestampTz::from_micros(self.micros, zone)
    }

    /// UTC offset in seconds east at this instant, as `EXTRACT(timezone)`.
    pub fn utc_offset(&self) -> i32 {
        offset_at(&self.zone, self.micros)
    }

    /// The wall-clock time in the zone, as `timestamptz::timestamp`.
    pub fn local(&self) -> Res<Timestamp> {
        if !self.is_finite() {
            return Ok(Timestamp(self.micros));
        }
        let offset = i64::from(self.utc_offset()) * USECS_PER_SEC;
        check_ts(self.micros.checked_add(offset)).map(Timestamp)
    }

    /// Seconds since 1970-01-01 00:00 UTC, as `EXTRACT(epoch)`; ±inf for infinities.
    pub fn epoch(&self) -> f64 {
        micros_epoch(self.micros)
    }

    /// Interprets a wall-clock timestamp in `zone`, as `timestamp AT TIME ZONE zone`.
    pub fn from_local(local: Timestamp, zone: impl Into<Rc<TimeZone>>) -> Res<TimestampTz> {
        let zone = zone.into();
        let micros = if local.is_finite() {
            check_ts(local_to_instant(&zone, local.0).ok())?
        } else {
            local.0
        };
        Ok(TimestampTz { micros, zone })
    }

    /// Parses PostgreSQL's text; text without an offset is wall-clock time in `zone`
    /// (PostgreSQL's reading of timestamptz input), and the result is shown in `zone`.
    pub fn parse_in(text: &str, zone: impl Into<Rc<TimeZone>>) -> Res<TimestampTz> {
        Self::parse_with(text, Some(zone.into()))
    }

    pub(crate) fn parse_with(text: &str, zone: Option<Rc<TimeZone>>) -> Res<TimestampTz> {
        let what = "timestamptz";
        let parsed =
            parse_datetime(text, Want::TimestampTz).map_err(|why| parse_error(what, text, why))?;
        let (micros, offset) = match parsed {
            ParsedDt::PosInf => (i64::MAX, None),
            ParsedDt::NegInf => (i64::MIN, None),
            ParsedDt::At { days, tod, offset } => {
                let local = local_micros(days, tod);
                let instant = match (offset, &zone) {
                    (Some(secs), _) => {
                        local.and_then(|l| l.checked_sub(i64::from(secs) * USECS_PER_SEC))
                    }
                    (None, Some(z)) => local.and_then(|l| local_to_instant(z, l).ok()),
                    (None, None) => local,
                };
                let micros = check_ts(instant).map_err(|e| parse_error(what, text, e))?;
                (micros, offset)
            }
        };
        let zone = match zone {
            Some(z) => z,
            None => Rc::new(fixed_zone(offset.unwrap_or(0))?),
        };
        Ok(Instant(micros).with_zone(zone))
    }

    /// `timestamptz + interval` as PostgreSQL does it: months and days move the
    /// wall-clock time in the zone (so a day across a DST change is 23 or 25 hours),
    /// the time part moves the instant.
    pub fn checked_add_interval(&self, span: Interval) -> Res<TimestampTz> {
        if let Some(inf) = infinite_sum(self.micros, span)? {
            return Ok(self.with_micros(inf));
        }
        let mut t = self.micros;
        let bad = || DateTimeError::new("timestamp out of range");
        if span.months != 0 {
            let local = t
                .checked_add(i64::from(offset_at(&self.zone, t)) * USECS_PER_SEC)
                .ok_or_else(bad)?;
            let moved = add_months_local(local, span.months).ok_or_else(bad)?;
            t = check_ts(local_to_instant(&self.zone, moved).ok())?;
        }
        if span.days != 0 {
            let local = t
                .checked_add(i64::from(offset_at(&self.zone, t)) * USECS_PER_SEC)
                .ok_or_else(bad)?;
            let moved = add_days_local(local, span.days).ok_or_else(bad)?;
            t = check_ts(local_to_instant(&self.zone, moved).ok())?;
        }
        check_ts(t.checked_add(span.micros)).map(|t| self.with_micros(t))
    }

    pub fn checked_sub_interval(&self, span: Interval) -> Res<TimestampTz> {
        self.checked_add_interval(span.checked_neg()?)
    }

    pub fn checked_sub(&self, other: &TimestampTz) -> Res<Interval> {
        micros_difference(self.micros, other.micros)
    }

    pub(crate) fn with_micros(&self, micros: i64) -> TimestampTz {
        TimestampTz::from_micros(micros, self.zone.clone())
    }

    pub(crate) fn render(&self, iso: bool) -> String {
        match self.micros {
            i64::MIN => "-infinity".into(),
            i64::MAX => "infinity".into(),
            t => {
                let offset = self.utc_offset();
                let local = i128::from(t) + i128::from(offset) * i128::from(USECS_PER_SEC);
                render_datetime(local, Some(offset), iso)
            }
        }
    }

    pub fn to_iso8601(&self) -> String {
        self.render(true)
    }
}

impl PartialEq for TimestampTz {
    fn eq(&self, other: &Self) -> bool {
        self.micros == other.micros
    }
}

impl Eq for TimestampTz {}

impl PartialOrd for TimestampTz {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimestampTz {
    fn cmp(&self, other: &Self) -> Ordering {
        self.micros.cmp(&other.micros)
    }
}

impl Hash for TimestampTz {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.micros.hash(state);
    }
}

impl fmt::Display for TimestampTz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.render(false))
    }
}

/// The zone is the text's own fixed offset (UTC when it has none), so that
/// `to_string` round-trips; use [`TimestampTz::parse_in`] for the session zone.
impl FromStr for TimestampTz {
    type Err = DateTimeError;

    fn from_str(s: &str) -> Res<TimestampTz> {
        TimestampTz::parse_with(s, None)
    }
}

impl ToSql for TimestampTz {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, SqlError> {
        postgres_protocol::types::timestamp_to_sql(self.micros, out);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMPTZ
    }

    to_sql_checked!();
}

// A date's midnight is a timestamp: this conversion lives with the timestamp, so that date.rs does not
// depend on this file.
impl Date {
    /// Midnight of this date, as PostgreSQL's `date::timestamp`.
    pub fn to_timestamp(self) -> Res<Timestamp> {
        match self.0 {
            i32::MIN => Ok(Timestamp::NEG_INFINITY),
            i32::MAX => Ok(Timestamp::INFINITY),
            d => check_ts(i64::from(d).checked_mul(USECS_PER_DAY))
                .map(Timestamp)
                .map_err(|_| DateTimeError::new("date out of range for timestamp")),
        }
    }
}
