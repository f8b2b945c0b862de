//! Date/time text in and out: PostgreSQL's ISO output (`DateStyle = ISO`) written and read back.

use std::fmt::{self, Write as _};

use super::calendar::*;

pub(crate) fn push_ymd(out: &mut String, ymd: Ymd) {
    let shown = if ymd.year > 0 { ymd.year } else { 1 - ymd.year };
    let _ = write!(out, "{shown:04}-{:02}-{:02}", ymd.month, ymd.day);
}

pub(crate) fn push_era(out: &mut String, ymd: Ymd) {
    if ymd.year <= 0 {
        out.push_str(" BC");
    }
}

/// `.ffffff` without trailing zeros; nothing for whole seconds.
pub(crate) fn push_frac(out: &mut String, frac: u64) {
    if frac != 0 {
        let digits = format!("{frac:06}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
}

pub(crate) fn push_hms(out: &mut String, tod: i64) {
    let secs = tod / USECS_PER_SEC;
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    push_frac(out, (tod % USECS_PER_SEC).unsigned_abs());
}

/// PostgreSQL's offset text: `+05`, `+05:30`, `-04:56:02`; `always_minutes` is the
/// XSD form that to_json uses for timestamptz (`+00:00`).
pub(crate) fn push_offset(out: &mut String, east: i32, always_minutes: bool) {
    let sign = if east >= 0 { '+' } else { '-' };
    let abs = east.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    let _ = write!(out, "{sign}{h:02}");
    if s != 0 {
        let _ = write!(out, ":{m:02}:{s:02}");
    } else if m != 0 || always_minutes {
        let _ = write!(out, ":{m:02}");
    }
}

/// Date and time of local µs since 2000-01-01, optionally with an offset.
pub(crate) fn render_datetime(local: i128, offset: Option<i32>, iso: bool) -> String {
    let mut out = String::new();
    let Some((days, tod)) = split_micros(local) else {
        return String::from("timestamp out of range");
    };
    let ymd = ymd_from_days(days);
    push_ymd(&mut out, ymd);
    out.push(if iso { 'T' } else { ' ' });
    push_hms(&mut out, tod);
    if let Some(east) = offset {
        push_offset(&mut out, east, iso);
    }
    push_era(&mut out, ymd);
    out
}

/// A byte cursor over lowercased ASCII-ish input; never indexes out of bounds.
pub(crate) struct Cursor<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(s: &'a str) -> Self {
        Cursor {
            bytes: s.as_bytes(),
            pos: 0,
        }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(crate) fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_word(&mut self, word: &str) -> bool {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    pub(crate) fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.bump();
        }
        self.pos != start
    }

    pub(crate) fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub(crate) fn rest(&self) -> String {
        String::from_utf8_lossy(self.bytes.get(self.pos..).unwrap_or_default()).into_owned()
    }

    pub(crate) fn digit_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.bump();
        }
        self.bytes.get(start..self.pos).unwrap_or_default()
    }

    /// An unsigned integer of `min..=max` digits.
    pub(crate) fn number(&mut self, min: usize, max: usize) -> Option<i64> {
        let run = self.digit_run();
        if run.len() < min || run.len() > max {
            return None;
        }
        digits_value(run)
    }
}

pub(crate) fn digits_value(run: &[u8]) -> Option<i64> {
    run.iter().try_fold(0i64, |acc, b| {
        acc.checked_mul(10)?
            .checked_add(i64::from(b.checked_sub(b'0')?))
    })
}

/// Fraction digits (after the point) as µs, rounding half to even past the sixth
/// digit as PostgreSQL's `rint` does; may return 1_000_000.
pub(crate) fn frac_to_micros(run: &[u8]) -> i64 {
    let mut micros = 0i64;
    for i in 0..6 {
        let d = run.get(i).map_or(0, |b| i64::from(b.saturating_sub(b'0')));
        micros = micros * 10 + d;
    }
    let rest = run.get(6..).unwrap_or_default();
    let round_up = match rest.split_first() {
        Some((&first, _)) if first > b'5' => true,
        Some((&b'5', tail)) => tail.iter().any(|&b| b != b'0') || micros % 2 == 1,
        _ => false,
    };
    micros + i64::from(round_up)
}

/// `HH:MM[:SS[.ffffff]]` as µs since midnight, up to and including 24:00:00.
pub(crate) fn parse_hms(c: &mut Cursor<'_>) -> Result<i64, String> {
    let hour = c
        .number(1, 2)
        .ok_or("expected HH:MM[:SS[.ffffff]] for the time")?;
    if !c.eat(b':') {
        return Err("expected HH:MM[:SS[.ffffff]] for the time".into());
    }
    let minute = c
        .number(2, 2)
        .ok_or("expected two digits for the minutes")?;
    let mut second = 0;
    let mut frac = 0;
    if c.eat(b':') {
        second = c
            .number(2, 2)
            .ok_or("expected two digits for the seconds")?;
        if c.eat(b'.') {
            let run = c.digit_run();
            if run.is_empty() {
                return Err("expected digits after the decimal point".into());
            }
            frac = frac_to_micros(run);
        }
    }
    if hour > 24 {
        return Err(format!("hour {hour} is out of range"));
    }
    if minute > 59 {
        return Err(format!("minute {minute} is out of range"));
    }
    if second > 60 {
        return Err(format!("second {second} is out of range"));
    }
    let tod = ((hour * 60 + minute) * 60 + second) * USECS_PER_SEC + frac;
    if tod > USECS_PER_DAY {
        return Err("time of day is past 24:00:00".into());
    }
    Ok(tod)
}

/// A UTC offset (`Z`, `+HH`, `+HH:MM`, `+HH:MM:SS`, `+HHMM`) as seconds east, if present.
pub(crate) fn parse_offset(c: &mut Cursor<'_>) -> Result<Option<i32>, String> {
    if c.eat(b'z') {
        return Ok(Some(0));
    }
    let negative = match c.peek() {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return Ok(None),
    };
    c.bump();
    let run = c.digit_run();
    let bad = || String::from("expected a UTC offset like +05, +05:30 or +0530");
    let (hours, mut minutes) = match run.len() {
        1 | 2 => (digits_value(run).ok_or_else(bad)?, 0),
        4 => {
            let v = digits_value(run).ok_or_else(bad)?;
            (v / 100, v % 100)
        }
        _ => return Err(bad()),
    };
    let mut seconds = 0;
    if run.len() <= 2 && c.eat(b':') {
        minutes = c.number(2, 2).ok_or_else(bad)?;
        if c.eat(b':') {
            seconds = c.number(2, 2).ok_or_else(bad)?;
        }
    }
    if minutes > 59 || seconds > 59 {
        return Err(bad());
    }
    let total = i32::try_from(hours * 3600 + minutes * 60 + seconds).map_err(|_| bad())?;
    if total >= TZ_LIMIT_SECS {
        return Err("UTC offset is out of range (at most 15:59:59)".into());
    }
    Ok(Some(if negative { -total } else { total }))
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Date,
    Timestamp,
    TimestampTz,
}

pub(crate) enum ParsedDt {
    PosInf,
    NegInf,
    At {
        days: i64,
        tod: i64,
        offset: Option<i32>,
    },
}

/// PostgreSQL's ISO output (`YYYY-MM-DD[ HH:MM:SS[.f]][±HH[:MM]][ BC]`), also with `T`.
pub(crate) fn parse_datetime(text: &str, want: Want) -> Result<ParsedDt, String> {
    let lower = text.trim().to_ascii_lowercase();
    match lower.as_str() {
        "infinity" | "+infinity" => return Ok(ParsedDt::PosInf),
        "-infinity" => return Ok(ParsedDt::NegInf),
        "epoch" => {
            return Ok(ParsedDt::At {
                days: i64::from(UNIX_EPOCH_DAYS),
                tod: 0,
                offset: Some(0),
            });
        }
        "" => return Err("empty input".into()),
        _ => {}
    }
    let mut c = Cursor::new(&lower);
    let ymd_err = "expected YYYY-MM-DD";
    let year = c.number(1, 7).ok_or(ymd_err)?;
    let month = if c.eat(b'-') { c.number(1, 2) } else { None }.ok_or(ymd_err)?;
    let day = if c.eat(b'-') { c.number(1, 2) } else { None }.ok_or(ymd_err)?;
    let mut tod = 0;
    let mut offset = None;
    if want != Want::Date {
        let save = c.pos;
        let separated = c.eat(b't') || c.skip_ws();
        if separated && c.peek().is_some_and(|b| b.is_ascii_digit()) {
            tod = parse_hms(&mut c)?;
            let before_offset = c.pos;
            c.skip_ws();
            match parse_offset(&mut c)? {
                Some(_) if want == Want::Timestamp => {
                    return Err(
                        "a timestamp without time zone takes no UTC offset (use timestamptz)"
                            .into(),
                    );
                }
                Some(secs) => offset = Some(secs),
                None => c.pos = before_offset,
            }
        } else {
            c.pos = save;
        }
    }
    c.skip_ws();
    let bc = if c.eat_word("bc") {
        true
    } else {
        c.eat_word("ad");
        false
    };
    c.skip_ws();
    if !c.done() {
        return Err(format!("unexpected \"{}\"", c.rest()));
    }
    if year < 1 {
        return Err("there is no year 0 (1 BC precedes 0001)".into());
    }
    let astronomical = if bc { 1 - year } else { year };
    let month = u8::try_from(month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| format!("month {month} is out of range"))?;
    let day = u8::try_from(day)
        .ok()
        .filter(|d| *d >= 1 && *d <= days_in_month(astronomical, month))
        .ok_or_else(|| format!("day {day} is out of range for month {month}"))?;
    let days = days_from_ymd(astronomical, month, day).ok_or("out of range")?;
    Ok(ParsedDt::At { days, tod, offset })
}

pub(crate) fn parse_error(what: &str, text: &str, why: impl fmt::Display) -> DateTimeError {
    DateTimeError::new(format!("invalid {what} \"{text}\": {why}"))
}

/// Local µs since 2000-01-01 of a parsed day and time of day.
pub(crate) fn local_micros(days: i64, tod: i64) -> Option<i64> {
    days.checked_mul(USECS_PER_DAY)?.checked_add(tod)
}
