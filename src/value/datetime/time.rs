//! PostgreSQL `time` and `timetz`: times of day, text, wire format and arithmetic.

use std::cmp::Ordering;
use std::fmt;
use std::hash::Hash;
use std::str::FromStr;

use bytes::{BufMut, BytesMut};
use postgres_types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

use super::calendar::*;
use super::interval::*;
use super::parse::*;

/// PostgreSQL `time`: µs since midnight, 0 ..= 86_400_000_000 (24:00:00 is valid).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub i64);

impl Time {
    pub fn from_hms_micro(hour: i64, minute: i64, second: i64, microsecond: i64) -> Res<Time> {
        time_of_day(hour, minute, second, microsecond).map(Time)
    }

    /// `time + interval`: only the interval's time part counts, wrapping at midnight.
    pub fn checked_add_interval(self, span: Interval) -> Res<Time> {
        if !span.is_finite() {
            return Err(DateTimeError::new("cannot add infinite interval to time"));
        }
        let moved = self.0.checked_add(span.micros % USECS_PER_DAY);
        moved
            .map(|t| Time(t.rem_euclid(USECS_PER_DAY)))
            .ok_or_else(|| DateTimeError::new("time out of range"))
    }

    pub fn checked_sub_interval(self, span: Interval) -> Res<Time> {
        self.checked_add_interval(span.checked_neg()?)
    }

    /// `time - time`: an interval of the time part only.
    pub fn since(self, other: Time) -> Interval {
        Interval {
            micros: self.0.saturating_sub(other.0),
            ..Interval::ZERO
        }
    }

    pub fn to_iso8601(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        push_hms(&mut out, self.0);
        f.pad(&out)
    }
}

pub(crate) fn parse_time(text: &str, with_offset: bool) -> Result<(i64, Option<i32>), String> {
    let lower = text.trim().to_ascii_lowercase();
    if lower == "allballs" {
        return Ok((0, Some(0)));
    }
    let mut c = Cursor::new(&lower);
    let tod = parse_hms(&mut c)?;
    c.skip_ws();
    let offset = parse_offset(&mut c)?;
    if offset.is_some() && !with_offset {
        return Err("a time without time zone takes no UTC offset (use timetz)".into());
    }
    c.skip_ws();
    if !c.done() {
        return Err(format!("unexpected \"{}\"", c.rest()));
    }
    Ok((tod, offset))
}

impl FromStr for Time {
    type Err = DateTimeError;

    fn from_str(s: &str) -> Res<Time> {
        parse_time(s, false)
            .map(|(tod, _)| Time(tod))
            .map_err(|why| parse_error("time", s, why))
    }
}

impl<'a> FromSql<'a> for Time {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, SqlError> {
        let micros = postgres_protocol::types::time_from_sql(raw)?;
        if !(0..=USECS_PER_DAY).contains(&micros) {
            return Err(Box::new(DateTimeError::new("time out of range")));
        }
        Ok(Time(micros))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIME
    }
}

impl ToSql for Time {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, SqlError> {
        postgres_protocol::types::time_to_sql(self.0, out);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIME
    }

    to_sql_checked!();
}

/// PostgreSQL `timetz`: µs since midnight plus a UTC offset in seconds east (ISO
/// sign, `+05:30` is 19800). The wire format stores the offset west-positive; the
/// conversion happens in FromSql/ToSql. Ordered as PostgreSQL does: by the UTC
/// time, then by offset, so `12:00+01` and `11:00+00` are different but ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeTz {
    pub micros: i64,
    pub offset_secs: i32,
}

impl TimeTz {
    pub(crate) fn utc_key(&self) -> (i128, i32) {
        let west = -i128::from(self.offset_secs);
        (
            i128::from(self.micros) + west * i128::from(USECS_PER_SEC),
            self.offset_secs.saturating_neg(),
        )
    }

    pub fn to_iso8601(self) -> String {
        self.to_string()
    }
}

impl PartialOrd for TimeTz {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimeTz {
    fn cmp(&self, other: &Self) -> Ordering {
        self.utc_key().cmp(&other.utc_key())
    }
}

impl fmt::Display for TimeTz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        push_hms(&mut out, self.micros);
        push_offset(&mut out, self.offset_secs, false);
        f.pad(&out)
    }
}

/// Text without an offset is taken as UTC.
impl FromStr for TimeTz {
    type Err = DateTimeError;

    fn from_str(s: &str) -> Res<TimeTz> {
        parse_time(s, true)
            .map(|(micros, offset)| TimeTz {
                micros,
                offset_secs: offset.unwrap_or(0),
            })
            .map_err(|why| parse_error("timetz", s, why))
    }
}

impl<'a> FromSql<'a> for TimeTz {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, SqlError> {
        let bad = || Box::new(DateTimeError::new("invalid timetz binary value"));
        if raw.len() != 12 {
            return Err(bad());
        }
        let micros = be_i64(raw, 0).ok_or_else(bad)?;
        let west = be_i32(raw, 8).ok_or_else(bad)?;
        Ok(TimeTz {
            micros,
            offset_secs: west.checked_neg().ok_or_else(bad)?,
        })
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMETZ
    }
}

impl ToSql for TimeTz {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, SqlError> {
        let west = self
            .offset_secs
            .checked_neg()
            .ok_or_else(|| Box::new(DateTimeError::new("timetz offset out of range")))?;
        out.put_i64(self.micros);
        out.put_i32(west);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMETZ
    }

    to_sql_checked!();
}

/// A time of day from its fields as µs since midnight, 24:00:00 included (make_time's checks).
pub(crate) fn time_of_day(hour: i64, minute: i64, second: i64, microsecond: i64) -> Res<i64> {
    let bad = |what: &str, v: i64| DateTimeError::new(format!("{what} {v} is out of range"));
    if !(0..=24).contains(&hour) {
        return Err(bad("hour", hour));
    }
    if !(0..=59).contains(&minute) {
        return Err(bad("minute", minute));
    }
    if !(0..=60).contains(&second) {
        return Err(bad("second", second));
    }
    if !(0..USECS_PER_SEC).contains(&microsecond) {
        return Err(bad("microsecond", microsecond));
    }
    let tod = ((hour * 60 + minute) * 60 + second) * USECS_PER_SEC + microsecond;
    if tod > USECS_PER_DAY {
        return Err(DateTimeError::new("time of day is past 24:00:00"));
    }
    Ok(tod)
}
