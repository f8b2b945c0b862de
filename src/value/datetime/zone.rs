//! Time zones: jiff asked for offsets (also far beyond its range), zone names for scripts and for the
//! session's `TimeZone` setting, read as PostgreSQL reads them.

use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

use super::calendar::*;
use super::parse::*;

/// Maps a Unix-µs instant into jiff's supported range by whole 400-year cycles.
/// PostgreSQL keeps applying a zone's POSIX rule far into the future, and the
/// rule repeats with the calendar, so the shifted instant has the same offset.
pub(crate) fn into_jiff_range(unix: i128) -> i64 {
    let margin = 2 * i128::from(USECS_PER_DAY);
    let lo = i128::from(jiff::Timestamp::MIN.as_microsecond()) + margin;
    let hi = i128::from(jiff::Timestamp::MAX.as_microsecond()) - margin;
    let cycle = i128::from(DAYS_PER_400_YEARS) * i128::from(USECS_PER_DAY);
    let shifted = if unix > hi {
        unix - (unix - hi + cycle - 1) / cycle * cycle
    } else if unix < lo {
        unix + (lo - unix + cycle - 1) / cycle * cycle
    } else {
        unix
    };
    i64::try_from(shifted).unwrap_or(0)
}

/// The zone's UTC offset (seconds east) at an instant given as µs since 2000-01-01 UTC.
pub(crate) fn offset_at(zone: &TimeZone, micros: i64) -> i32 {
    let unix = into_jiff_range(i128::from(micros) + i128::from(UNIX_TO_PG_MICROS));
    match jiff::Timestamp::from_microsecond(unix) {
        Ok(ts) => zone.to_offset(ts).seconds(),
        Err(_) => 0,
    }
}

/// The instant of a wall-clock time (µs since 2000-01-01, local) in `zone`.
/// Like PostgreSQL, a time skipped by a forward jump takes the offset from before
/// the jump, and a repeated time takes the offset from after the backward jump.
pub(crate) fn local_to_instant(zone: &TimeZone, local: i64) -> Res<i64> {
    let unix = i128::from(local) + i128::from(UNIX_TO_PG_MICROS);
    let shifted = i128::from(into_jiff_range(unix)) - i128::from(UNIX_TO_PG_MICROS);
    let bad = || DateTimeError::new("timestamp out of range");
    let (days, tod) = split_micros(shifted).ok_or_else(bad)?;
    let ymd = ymd_from_days(days);
    let secs = tod / USECS_PER_SEC;
    let dt = jiff::civil::DateTime::new(
        i16::try_from(ymd.year).map_err(|_| bad())?,
        ymd.month as i8,
        ymd.day as i8,
        (secs / 3600) as i8,
        (secs / 60 % 60) as i8,
        (secs % 60) as i8,
        ((tod % USECS_PER_SEC) * 1000) as i32,
    )
    .map_err(|_| bad())?;
    let offset = match zone.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset,
        AmbiguousOffset::Gap { before, .. } => before,
        AmbiguousOffset::Fold { after, .. } => after,
    };
    local
        .checked_sub(i64::from(offset.seconds()) * USECS_PER_SEC)
        .ok_or_else(bad)
}

/// A zone for scripts: an IANA name (`Europe/Paris`), `UTC`, an offset with the ISO
/// sign (`+05:30` is east of UTC), or a POSIX TZ string (`EST5EDT`, `<+05>-05`).
pub fn zone_by_name(name: &str) -> Res<TimeZone> {
    let trimmed = name.trim();
    if trimmed.eq_ignore_ascii_case("utc") || trimmed.eq_ignore_ascii_case("z") {
        return Ok(TimeZone::UTC);
    }
    match bare_offset(trimmed) {
        Some(secs) => fixed_zone(secs),
        None => named_zone(trimmed),
    }
}

/// The zone of a PostgreSQL `TimeZone` setting (`SHOW timezone`), read the way the
/// server reads it: IANA names, POSIX strings (`UTC+3` and `<-03>+03` are 3 hours
/// *west*), and bare offsets, which PostgreSQL also takes with the POSIX sign
/// (`SET timezone = '+05:30'` shows times at -05:30).
pub fn session_zone(setting: &str) -> Res<TimeZone> {
    let trimmed = setting.trim();
    if trimmed.eq_ignore_ascii_case("localtime") {
        // The server's local zone is unknowable from here; this machine's is the best guess.
        return Ok(TimeZone::try_system().unwrap_or(TimeZone::UTC));
    }
    match bare_offset(trimmed) {
        Some(secs) => fixed_zone(secs.saturating_neg()),
        None => named_zone(trimmed),
    }
}

/// `+05`, `-05:30`, `+0530`: seconds with the sign as written.
pub(crate) fn bare_offset(text: &str) -> Option<i32> {
    if !text.starts_with(['+', '-']) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let mut c = Cursor::new(&lower);
    match (parse_offset(&mut c), c.done()) {
        (Ok(Some(secs)), true) => Some(secs),
        _ => None,
    }
}

pub(crate) fn named_zone(name: &str) -> Res<TimeZone> {
    // PostgreSQL reports zones set by offset as POSIX strings such as `<+05:30>-05:30`.
    TimeZone::get(name)
        .or_else(|e| TimeZone::posix(&plain_abbreviations(name)).map_err(|_| e))
        .map_err(|e| DateTimeError::new(format!("unknown time zone \"{name}\": {e}")))
}

/// Replaces `<...>` zone abbreviations with a plain one: PostgreSQL writes `<+05:30>`,
/// which jiff's strict POSIX parser rejects, and the abbreviation is never shown.
pub(crate) fn plain_abbreviations(posix: &str) -> String {
    let mut out = String::with_capacity(posix.len());
    let mut quoted = false;
    for c in posix.chars() {
        match (c, quoted) {
            ('<', false) => {
                quoted = true;
                out.push_str("ZZZ");
            }
            ('>', true) => quoted = false,
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    out
}

pub(crate) fn fixed_zone(secs: i32) -> Res<TimeZone> {
    Offset::from_seconds(secs)
        .map(TimeZone::fixed)
        .map_err(|e| DateTimeError::new(format!("invalid UTC offset {secs}s: {e}")))
}

/// A readable name for a zone: its IANA name, else its fixed offset.
pub fn zone_name(zone: &TimeZone) -> String {
    if let Some(name) = zone.iana_name() {
        return name.to_string();
    }
    match zone.to_fixed_offset() {
        Ok(offset) => {
            let mut s = String::from("UTC");
            push_offset(&mut s, offset.seconds(), true);
            s
        }
        Err(_) => String::from("custom"),
    }
}
