//! PostgreSQL `interval`: months, days and microseconds kept apart; text in both styles, wire format,
//! arithmetic and PostgreSQL's comparison.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use bytes::{BufMut, BytesMut};
use postgres_types::{to_sql_checked, FromSql, IsNull, ToSql, Type};
use rhai::Map;

use super::calendar::*;
use super::parse::*;

/// PostgreSQL `interval`: months, days and µs kept apart, never normalised into
/// each other (a month is not a fixed number of days). PostgreSQL 17's infinities
/// are all-MAX / all-MIN fields. Equality and ordering are PostgreSQL's: fields are
/// compared as if a month were 30 days and a day 24 hours, so `1 mon = 30 days`;
/// compare the fields themselves when that is not wanted.
#[derive(Clone, Copy, Debug)]
pub struct Interval {
    pub months: i32,
    pub days: i32,
    pub micros: i64,
}

/// Parts of an interval as PostgreSQL's interval2itm splits them (C truncation).
pub(crate) struct IntervalParts {
    pub(crate) year: i64,
    pub(crate) mon: i64,
    pub(crate) mday: i64,
    pub(crate) hour: i64,
    pub(crate) min: i64,
    pub(crate) sec: i64,
    pub(crate) fsec: i64,
}

impl Interval {
    pub const ZERO: Interval = Interval {
        months: 0,
        days: 0,
        micros: 0,
    };
    pub const INFINITY: Interval = Interval {
        months: i32::MAX,
        days: i32::MAX,
        micros: i64::MAX,
    };
    pub const NEG_INFINITY: Interval = Interval {
        months: i32::MIN,
        days: i32::MIN,
        micros: i64::MIN,
    };

    #[cfg(test)]
    pub fn new(months: i32, days: i32, micros: i64) -> Interval {
        Interval {
            months,
            days,
            micros,
        }
    }

    pub fn is_finite(&self) -> bool {
        !self.same_fields(&Interval::INFINITY) && !self.same_fields(&Interval::NEG_INFINITY)
    }

    /// Field-by-field identity (`==` is PostgreSQL's looser comparison).
    pub fn same_fields(&self, other: &Interval) -> bool {
        (self.months, self.days, self.micros) == (other.months, other.days, other.micros)
    }

    pub(crate) fn cmp_key(&self) -> i128 {
        let days = i128::from(self.months) * 30 + i128::from(self.days);
        days * i128::from(USECS_PER_DAY) + i128::from(self.micros)
    }

    pub(crate) fn parts(&self) -> IntervalParts {
        let time = self.micros;
        let hour = time / USECS_PER_HOUR;
        let rest = time % USECS_PER_HOUR;
        IntervalParts {
            year: i64::from(self.months / 12),
            mon: i64::from(self.months % 12),
            mday: i64::from(self.days),
            hour,
            min: rest / USECS_PER_MINUTE,
            sec: rest % USECS_PER_MINUTE / USECS_PER_SEC,
            fsec: rest % USECS_PER_SEC,
        }
    }

    /// Seconds as PostgreSQL's `EXTRACT(epoch)`: a year is 365.25 days, any other
    /// month 30 days, a day 86400 s; ±inf for infinities.
    pub fn epoch(&self) -> f64 {
        if self.same_fields(&Interval::INFINITY) {
            return f64::INFINITY;
        }
        if self.same_fields(&Interval::NEG_INFINITY) {
            return f64::NEG_INFINITY;
        }
        let quarter_days = 1461 * i128::from(self.months / 12)
            + 120 * i128::from(self.months % 12)
            + 4 * i128::from(self.days);
        let micros = quarter_days * 21_600 * i128::from(USECS_PER_SEC) + i128::from(self.micros);
        micros_as_seconds(micros)
    }

    pub fn checked_neg(self) -> Res<Interval> {
        if self.same_fields(&Interval::INFINITY) {
            return Ok(Interval::NEG_INFINITY);
        }
        if self.same_fields(&Interval::NEG_INFINITY) {
            return Ok(Interval::INFINITY);
        }
        let neg = (|| {
            Some(Interval {
                months: self.months.checked_neg()?,
                days: self.days.checked_neg()?,
                micros: self.micros.checked_neg()?,
            })
        })();
        finite_interval(neg)
    }

    pub fn checked_add(self, other: Interval) -> Res<Interval> {
        match (self.is_finite(), other.is_finite()) {
            (true, true) => finite_interval((|| {
                Some(Interval {
                    months: self.months.checked_add(other.months)?,
                    days: self.days.checked_add(other.days)?,
                    micros: self.micros.checked_add(other.micros)?,
                })
            })()),
            (false, true) => Ok(self),
            (true, false) => Ok(other),
            (false, false) if self.same_fields(&other) => Ok(self),
            (false, false) => Err(DateTimeError::new("interval out of range")),
        }
    }

    pub fn checked_sub(self, other: Interval) -> Res<Interval> {
        self.checked_add(other.checked_neg()?)
    }

    /// `interval * integer`, field by field.
    pub fn checked_mul(self, factor: i64) -> Res<Interval> {
        if !self.is_finite() {
            return match factor.cmp(&0) {
                Ordering::Greater => Ok(self),
                Ordering::Less => self.checked_neg(),
                Ordering::Equal => Err(DateTimeError::new("interval out of range")),
            };
        }
        // Fields multiply in i64 so that a zero field accepts any factor.
        let scale = |field: i32| i32::try_from(i64::from(field).checked_mul(factor)?).ok();
        finite_interval((|| {
            Some(Interval {
                months: scale(self.months)?,
                days: scale(self.days)?,
                micros: self.micros.checked_mul(factor)?,
            })
        })())
    }

    /// `interval * float8` (or `/`, with `divide`), as PostgreSQL's interval_mul and interval_div: each
    /// field is scaled and truncated, and the fractions cascade down (a month is 30 days, a day 86400 s).
    pub fn checked_scale(self, factor: f64, divide: bool) -> Res<Interval> {
        let range = || DateTimeError::new("interval out of range");
        if divide && factor == 0.0 {
            return Err(DateTimeError::new("division by zero"));
        }
        if factor.is_nan() {
            return Err(range());
        }
        if !self.is_finite() {
            let sign = if divide { 1.0 / factor } else { factor };
            return match sign.partial_cmp(&0.0) {
                Some(Ordering::Greater) => Ok(self),
                Some(Ordering::Less) => self.checked_neg(),
                _ => Err(range()),
            };
        }
        if divide && factor.is_infinite() {
            return Ok(Interval::ZERO);
        }
        if factor.is_infinite() {
            // PostgreSQL 17: a finite interval times ±infinity is ±infinity by the product's sign; zero
            // times infinity has no value.
            return match (self.cmp(&Interval::ZERO), factor > 0.0) {
                (Ordering::Equal, _) => Err(range()),
                (Ordering::Greater, true) | (Ordering::Less, false) => Ok(Interval::INFINITY),
                _ => Ok(Interval::NEG_INFINITY),
            };
        }
        let apply = |x: f64| if divide { x / factor } else { x * factor };
        let fits_i32 = |x: f64| x.is_finite() && x >= i32::MIN as f64 && x < -(i32::MIN as f64);
        // TSROUND: round to microsecond precision so whole numbers come out whole.
        let tsround = |x: f64| (x * 1e6).round_ties_even() / 1e6;
        let months_f = apply(f64::from(self.months));
        let days_f = apply(f64::from(self.days));
        if !fits_i32(months_f) || !fits_i32(days_f) {
            return Err(range());
        }
        let months = months_f as i32;
        let mut days = days_f as i32;
        let month_remainder_days = tsround((months_f - f64::from(months)) * 30.0);
        let mut sec_remainder = tsround(
            (days_f - f64::from(days) + month_remainder_days - month_remainder_days.trunc())
                * 86_400.0,
        );
        if sec_remainder.abs() >= 86_400.0 {
            let whole = (sec_remainder / 86_400.0) as i32;
            days = days.checked_add(whole).ok_or_else(range)?;
            sec_remainder -= f64::from(whole) * 86_400.0;
        }
        days = days
            .checked_add(month_remainder_days as i32)
            .ok_or_else(range)?;
        let micros_f = (apply(self.micros as f64) + sec_remainder * 1e6).round_ties_even();
        if !micros_f.is_finite() || micros_f < i64::MIN as f64 || micros_f >= -(i64::MIN as f64) {
            return Err(range());
        }
        finite_interval(Some(Interval {
            months,
            days,
            micros: micros_f as i64,
        }))
    }

    /// IntervalStyle iso_8601, as PostgreSQL prints it: `P1Y2M3DT4H5M6.5S`, `P-1DT2H`, `PT0S`.
    pub fn to_iso8601(self) -> String {
        if let Some(inf) = self.infinity_text() {
            return inf.into();
        }
        let p = self.parts();
        if [p.year, p.mon, p.mday, p.hour, p.min, p.sec, p.fsec]
            .iter()
            .all(|v| *v == 0)
        {
            return "PT0S".into();
        }
        let mut out = String::from("P");
        let part = |v: i64, unit: char, out: &mut String| {
            if v != 0 {
                let _ = write!(out, "{v}{unit}");
            }
        };
        part(p.year, 'Y', &mut out);
        part(p.mon, 'M', &mut out);
        part(p.mday, 'D', &mut out);
        if p.hour != 0 || p.min != 0 || p.sec != 0 || p.fsec != 0 {
            out.push('T');
        }
        part(p.hour, 'H', &mut out);
        part(p.min, 'M', &mut out);
        if p.sec != 0 || p.fsec != 0 {
            if p.sec < 0 || p.fsec < 0 {
                out.push('-');
            }
            let _ = write!(out, "{}", p.sec.unsigned_abs());
            push_frac(&mut out, p.fsec.unsigned_abs());
            out.push('S');
        }
        out
    }

    pub(crate) fn infinity_text(&self) -> Option<&'static str> {
        if self.same_fields(&Interval::INFINITY) {
            Some("infinity")
        } else if self.same_fields(&Interval::NEG_INFINITY) {
            Some("-infinity")
        } else {
            None
        }
    }
}

pub(crate) fn finite_interval(v: Option<Interval>) -> Res<Interval> {
    match v {
        Some(i) if i.is_finite() => Ok(i),
        _ => Err(DateTimeError::new("interval out of range")),
    }
}

impl PartialEq for Interval {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_key() == other.cmp_key()
    }
}

impl Eq for Interval {}

impl PartialOrd for Interval {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Interval {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_key().cmp(&other.cmp_key())
    }
}

impl Hash for Interval {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.cmp_key().hash(state);
    }
}

/// IntervalStyle postgres, PostgreSQL's EncodeInterval: each nonzero field gets its
/// own sign, and a positive field right after a negative one gets an explicit `+`.
impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(inf) = self.infinity_text() {
            return f.pad(inf);
        }
        let p = self.parts();
        let mut out = String::new();
        let mut is_zero = true;
        let mut is_before = false;
        for (value, unit) in [(p.year, "year"), (p.mon, "mon"), (p.mday, "day")] {
            if value == 0 {
                continue;
            }
            let _ = write!(
                out,
                "{}{}{value} {unit}{}",
                if is_zero { "" } else { " " },
                if is_before && value > 0 { "+" } else { "" },
                if value != 1 { "s" } else { "" },
            );
            is_before = value < 0;
            is_zero = false;
        }
        if is_zero || p.hour != 0 || p.min != 0 || p.sec != 0 || p.fsec != 0 {
            let minus = p.hour < 0 || p.min < 0 || p.sec < 0 || p.fsec < 0;
            let _ = write!(
                out,
                "{}{}{:02}:{:02}:{:02}",
                if is_zero { "" } else { " " },
                if minus {
                    "-"
                } else if is_before {
                    "+"
                } else {
                    ""
                },
                p.hour.unsigned_abs(),
                p.min.unsigned_abs(),
                p.sec.unsigned_abs(),
            );
            push_frac(&mut out, p.fsec.unsigned_abs());
        }
        f.pad(&out)
    }
}

/// A signed decimal number split as PostgreSQL does: integer part and a fraction
/// `frac_num / frac_den` carrying the same sign.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Num {
    pub(crate) int: i128,
    pub(crate) frac_num: i128,
    pub(crate) frac_den: i128,
}

/// A leading signed decimal number of `s`, and the rest of `s`.
pub(crate) fn parse_num(s: &str) -> Option<(Num, &str)> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let int_len = body.bytes().take_while(u8::is_ascii_digit).count();
    let (int_digits, after) = body.split_at_checked(int_len)?;
    let (frac_digits, rest) = match after.strip_prefix('.') {
        Some(f) => {
            let n = f.bytes().take_while(u8::is_ascii_digit).count();
            f.split_at_checked(n)?
        }
        None => ("", after),
    };
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    let mut int: i128 = 0;
    for b in int_digits.bytes() {
        int = int
            .checked_mul(10)?
            .checked_add(i128::from(b.checked_sub(b'0')?))?;
    }
    // Digits past the 18th are below any unit's resolution.
    let mut frac_num: i128 = 0;
    let mut frac_den: i128 = 1;
    for b in frac_digits.bytes().take(18) {
        frac_num = frac_num * 10 + i128::from(b.checked_sub(b'0')?);
        frac_den *= 10;
    }
    let sign = if negative { -1 } else { 1 };
    Some((
        Num {
            int: int * sign,
            frac_num: frac_num * sign,
            frac_den,
        },
        rest,
    ))
}

/// num/den rounded to the nearest integer. Ties go to even like C's `rint`
/// (PostgreSQL's fractional years), or toward zero like PostgreSQL's
/// AdjustFractMicroseconds, which only rounds away from zero past one half.
pub(crate) fn div_round(num: i128, den: i128, ties_even: bool) -> i128 {
    let q = num / den;
    let twice_rem = (num % den).abs() * 2;
    let away = match twice_rem.cmp(&den) {
        Ordering::Greater => true,
        Ordering::Equal => ties_even && q % 2 != 0,
        Ordering::Less => false,
    };
    match (away, num < 0) {
        (false, _) => q,
        (true, true) => q - 1,
        (true, false) => q + 1,
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Unit {
    /// A time unit, in µs.
    Micros(i128),
    Day,
    Week,
    Month,
    /// A multiple of years.
    Years(i128),
}

pub(crate) fn unit_of(word: &str) -> Option<Unit> {
    let sec = i128::from(USECS_PER_SEC);
    Some(match word {
        "microsecond" | "microseconds" | "microsecon" | "us" | "usec" | "usecs" | "useconds" => {
            Unit::Micros(1)
        }
        "millisecond" | "milliseconds" | "millisecon" | "ms" | "msec" | "msecs" | "mseconds" => {
            Unit::Micros(1000)
        }
        "second" | "seconds" | "sec" | "secs" | "s" => Unit::Micros(sec),
        "minute" | "minutes" | "min" | "mins" | "m" => Unit::Micros(60 * sec),
        "hour" | "hours" | "hr" | "hrs" | "h" => Unit::Micros(3600 * sec),
        "day" | "days" | "d" => Unit::Day,
        "week" | "weeks" | "w" => Unit::Week,
        "month" | "months" | "mon" | "mons" => Unit::Month,
        "year" | "years" | "yr" | "yrs" | "y" => Unit::Years(1),
        "decade" | "decades" | "dec" | "decs" => Unit::Years(10),
        "century" | "centuries" | "cent" | "c" => Unit::Years(100),
        "millennium" | "millennia" | "mil" | "mils" => Unit::Years(1000),
        _ => return None,
    })
}

/// Interval fields accumulated wide, narrowed (with an overflow check) at the end.
#[derive(Default)]
pub(crate) struct Acc {
    pub(crate) months: i128,
    pub(crate) days: i128,
    pub(crate) micros: i128,
}

impl Acc {
    /// Adds `num` units the way PostgreSQL's DecodeInterval spreads fractions:
    /// fractional years round to months, fractional months and weeks spill into
    /// days and then µs, fractional days into µs.
    pub(crate) fn add(&mut self, num: Num, unit: Unit) -> Option<()> {
        let day = i128::from(USECS_PER_DAY);
        match unit {
            Unit::Micros(scale) => {
                let frac = div_round(num.frac_num.checked_mul(scale)?, num.frac_den, false);
                self.add_micros(num.int.checked_mul(scale)?.checked_add(frac)?)
            }
            Unit::Day => {
                self.days = self.days.checked_add(num.int)?;
                let frac = div_round(num.frac_num.checked_mul(day)?, num.frac_den, false);
                self.add_micros(frac)
            }
            Unit::Week => {
                self.days = self.days.checked_add(num.int.checked_mul(7)?)?;
                self.add_fract_days(num, 7)
            }
            Unit::Month => {
                self.months = self.months.checked_add(num.int)?;
                self.add_fract_days(num, 30)
            }
            Unit::Years(n) => {
                let per_unit = n.checked_mul(12)?;
                self.months = self.months.checked_add(num.int.checked_mul(per_unit)?)?;
                let frac = div_round(num.frac_num.checked_mul(per_unit)?, num.frac_den, true);
                self.months = self.months.checked_add(frac)?;
                Some(())
            }
        }
    }

    pub(crate) fn add_fract_days(&mut self, num: Num, days_per_unit: i128) -> Option<()> {
        let scaled = num.frac_num.checked_mul(days_per_unit)?;
        let whole = scaled / num.frac_den;
        self.days = self.days.checked_add(whole)?;
        let rest = scaled - whole * num.frac_den;
        let day = i128::from(USECS_PER_DAY);
        self.add_micros(div_round(rest.checked_mul(day)?, num.frac_den, false))
    }

    pub(crate) fn add_micros(&mut self, micros: i128) -> Option<()> {
        self.micros = self.micros.checked_add(micros)?;
        Some(())
    }

    pub(crate) fn negate(&mut self) {
        // Saturating is enough: anything near i128's limits fails finish() anyway.
        self.months = self.months.saturating_neg();
        self.days = self.days.saturating_neg();
        self.micros = self.micros.saturating_neg();
    }

    pub(crate) fn finish(self) -> Option<Interval> {
        let i = Interval {
            months: i32::try_from(self.months).ok()?,
            days: i32::try_from(self.days).ok()?,
            micros: i64::try_from(self.micros).ok()?,
        };
        i.is_finite().then_some(i)
    }
}

/// `[+-]H:MM[:SS[.f]]` (or `MM:SS.f`) as signed µs; hours may exceed 24.
pub(crate) fn parse_interval_time(tok: &str) -> Option<i128> {
    let (negative, body) = match tok.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, tok.strip_prefix('+').unwrap_or(tok)),
    };
    let fields: Vec<&str> = body.split(':').collect();
    let (h, m, s) = match fields.as_slice() {
        [m, s] if s.contains('.') => ("0", *m, *s),
        [h, m] => (*h, *m, "0"),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    let int = |t: &str| -> Option<i128> {
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 30 {
            return None;
        }
        t.parse::<i128>().ok()
    };
    let hours = int(h)?;
    let minutes = int(m).filter(|v| *v <= 59)?;
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let seconds = int(whole).filter(|v| *v <= 60)?;
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_micros = i128::from(frac_to_micros(frac.as_bytes()));
    let sec = i128::from(USECS_PER_SEC);
    let total = hours
        .checked_mul(3600 * sec)?
        .checked_add(minutes * 60 * sec + seconds * sec + frac_micros)?;
    Some(if negative { -total } else { total })
}

/// ISO 8601 designators after the `P`: `1Y2M3DT4H5M6.5S`, `-1DT2H`, `1.5W`.
pub(crate) fn parse_iso_interval(body: &str) -> Result<Acc, String> {
    let mut acc = Acc::default();
    let mut rest = body;
    let mut in_time = false;
    if rest.is_empty() {
        return Err("nothing after P".into());
    }
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('t') {
            in_time = true;
            rest = r;
            continue;
        }
        let (num, after) =
            parse_num(rest).ok_or_else(|| format!("expected a number at \"{rest}\""))?;
        let mut chars = after.chars();
        let designator = chars.next().ok_or("number without a designator")?;
        let unit = match (designator, in_time) {
            ('y', false) => Unit::Years(1),
            ('m', false) => Unit::Month,
            ('w', false) => Unit::Week,
            ('d', false) => Unit::Day,
            ('h', true) => Unit::Micros(i128::from(USECS_PER_HOUR)),
            ('m', true) => Unit::Micros(i128::from(USECS_PER_MINUTE)),
            ('s', true) => Unit::Micros(i128::from(USECS_PER_SEC)),
            (other, _) => return Err(format!("unexpected designator '{other}'")),
        };
        acc.add(num, unit).ok_or("out of range")?;
        rest = chars.as_str();
    }
    Ok(acc)
}

/// PostgreSQL's postgres-style output and the usual input forms: `1 year 2 mons`,
/// `-1 days +02:00:00`, `1.5 hours`, `10ms`, `1 day ago`, `@ 1 day`, `P1DT2H`.
pub(crate) fn parse_interval(text: &str) -> Result<Interval, String> {
    let lower = text.trim().to_ascii_lowercase();
    match lower.as_str() {
        "infinity" | "+infinity" => return Ok(Interval::INFINITY),
        "-infinity" => return Ok(Interval::NEG_INFINITY),
        "" => return Err("empty input".into()),
        _ => {}
    }
    let body = lower.strip_prefix('@').unwrap_or(&lower).trim();
    let acc = if let Some(iso) = body.strip_prefix('p') {
        parse_iso_interval(iso)?
    } else {
        parse_postgres_interval(body)?
    };
    acc.finish().ok_or_else(|| "interval out of range".into())
}

pub(crate) fn parse_postgres_interval(body: &str) -> Result<Acc, String> {
    let tokens: Vec<&str> = body.split_whitespace().collect();
    if tokens.is_empty() {
        return Err("empty input".into());
    }
    let mut acc = Acc::default();
    let mut i = 0;
    let mut ago = false;
    let range = || String::from("out of range");
    while let Some(&tok) = tokens.get(i) {
        i += 1;
        if tok == "ago" {
            if i != tokens.len() {
                return Err("\"ago\" must come last".into());
            }
            ago = true;
            continue;
        }
        if tok.contains(':') {
            let micros =
                parse_interval_time(tok).ok_or_else(|| format!("invalid time field \"{tok}\""))?;
            acc.add_micros(micros).ok_or_else(range)?;
            continue;
        }
        let (num, unit_text) = parse_num(tok).ok_or_else(|| format!("unexpected \"{tok}\""))?;
        let unit = if !unit_text.is_empty() {
            unit_of(unit_text).ok_or_else(|| format!("unknown unit \"{unit_text}\""))?
        } else if let Some(unit) = tokens.get(i).and_then(|t| unit_of(t)) {
            i += 1;
            unit
        } else if let Some(word) = tokens
            .get(i)
            .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()) && **t != "ago")
        {
            return Err(format!("unknown unit \"{word}\""));
        } else if tokens.get(i).is_some_and(|t| t.contains(':')) {
            // PostgreSQL reads `1 02:00:00` as one day and two hours.
            Unit::Day
        } else if tokens.get(i).is_none_or(|t| *t == "ago") {
            Unit::Micros(i128::from(USECS_PER_SEC))
        } else {
            return Err(format!("\"{tok}\" needs a unit"));
        };
        acc.add(num, unit).ok_or_else(range)?;
    }
    if ago {
        acc.negate();
    }
    Ok(acc)
}

impl FromStr for Interval {
    type Err = DateTimeError;

    fn from_str(s: &str) -> Res<Interval> {
        parse_interval(s).map_err(|why| parse_error("interval", s, why))
    }
}

impl<'a> FromSql<'a> for Interval {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, SqlError> {
        let bad = || Box::new(DateTimeError::new("invalid interval binary value"));
        if raw.len() != 16 {
            return Err(bad());
        }
        Ok(Interval {
            micros: be_i64(raw, 0).ok_or_else(bad)?,
            days: be_i32(raw, 8).ok_or_else(bad)?,
            months: be_i32(raw, 12).ok_or_else(bad)?,
        })
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INTERVAL
    }
}

impl ToSql for Interval {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, SqlError> {
        out.put_i64(self.micros);
        out.put_i32(self.days);
        out.put_i32(self.months);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INTERVAL
    }

    to_sql_checked!();
}

/// Builds an interval from named parts like PostgreSQL's make_interval:
/// years, months, weeks, days, hours, minutes, seconds (int or float), micros.
pub fn interval_from_map(map: &Map) -> Res<Interval> {
    let mut acc = Acc::default();
    let range = || DateTimeError::new("interval out of range");
    for (key, value) in map {
        let unit = match key.as_str() {
            "years" => Unit::Years(1),
            "months" => Unit::Month,
            "weeks" => Unit::Week,
            "days" => Unit::Day,
            "hours" => Unit::Micros(i128::from(USECS_PER_HOUR)),
            "minutes" => Unit::Micros(i128::from(USECS_PER_MINUTE)),
            "seconds" => Unit::Micros(i128::from(USECS_PER_SEC)),
            "micros" | "microseconds" => Unit::Micros(1),
            other => {
                return Err(DateTimeError::new(format!(
                    "unknown interval part \"{other}\" (use years, months, weeks, days, hours, minutes, seconds, micros)"
                )));
            }
        };
        let num = if let Ok(i) = value.as_int() {
            Num {
                int: i128::from(i),
                frac_num: 0,
                frac_den: 1,
            }
        } else if let (Ok(f), "seconds") = (value.as_float(), key.as_str()) {
            let micros = (f * 1e6).round();
            if !micros.is_finite() || micros.abs() > 9.2e18 {
                return Err(range());
            }
            // In range, so the cast is exact; the unit scales it back from a fraction.
            Num {
                int: 0,
                frac_num: micros as i128,
                frac_den: i128::from(USECS_PER_SEC),
            }
        } else {
            return Err(DateTimeError::new(format!(
                "interval part \"{key}\" must be an integer{}, not {}",
                if key.as_str() == "seconds" {
                    " or a float"
                } else {
                    ""
                },
                value.type_name()
            )));
        };
        acc.add(num, unit).ok_or_else(range)?;
    }
    acc.finish().ok_or_else(range)
}
