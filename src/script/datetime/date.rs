//! `date` for scripts: constructors, calendar properties, day arithmetic, comparison with timestamps.

use rhai::plugin::*;
use rhai::{FLOAT, INT};

use super::common::*;
use crate::value::datetime::*;

/// The plugin module for `date`.
pub fn module() -> Module {
    let mut m = exported_module!(dates);
    m.combine_flatten(exported_module!(date_text_and_order));
    m.combine_flatten(exported_module!(date_finiteness));
    m.set_custom_type::<Date>("date");
    m
}

/// A date or timestamp on one scale, for comparing them as SQL does (a date is its midnight; the
/// infinities of both types are the same; dates past the timestamp range still order correctly).
fn date_key(d: Date) -> i128 {
    match d.0 {
        i32::MIN => i128::MIN,
        i32::MAX => i128::MAX,
        days => i128::from(days) * i128::from(USECS_PER_DAY),
    }
}

fn timestamp_key(t: Timestamp) -> i128 {
    match t.0 {
        i64::MIN => i128::MIN,
        i64::MAX => i128::MAX,
        micros => i128::from(micros),
    }
}

fn ymd(date: &Date, prop: &str) -> RhaiRes<(i64, u8, u8)> {
    date.ymd().ok_or_else(|| infinite_error("date", date, prop))
}

text_and_order!(date_text_and_order, Date, "date", date,
    to_string: " date(2024, 2, 29).to_string()  // \"2024-02-29\"",
    to_debug: " date(2024, 2, 29).to_debug()  // \"date(\\\"2024-02-29\\\")\"",
    to_iso8601: " date(2024, 2, 29).to_iso8601()  // \"2024-02-29\"",
    eq: " date(2024, 2, 29) == date(\"2024-02-29\")  // true",
    ne: " date(2024, 2, 29) != date(\"2024-03-01\")  // true",
    lt: " date(2024, 2, 29) < date(\"2024-03-01\")  // true",
    le: " date(2024, 2, 29) <= date(\"2024-02-29\")  // true",
    gt: " date(2024, 2, 29) > date(\"infinity\")  // false",
    ge: " date(\"infinity\") >= date(2024, 2, 29)  // true");

finiteness!(date_finiteness, Date, date, |d: &Date| d.is_finite(),
    finite: " date(\"infinity\").is_finite  // false",
    infinite: " date(\"-infinity\").is_infinite()  // true");

#[export_module]
mod dates {
    use super::*;

    /// A date from year, month and day, like make_date; negative years are BC (-44 is 44 BC).
    ///
    /// ```rhai
    /// date(2024, 2, 29)  // 2024-02-29
    /// date(-44, 3, 15)  // 0044-03-15 BC
    /// ```
    #[rhai_fn(name = "date", return_raw)]
    pub fn from_ymd(year: INT, month: INT, day: INT) -> RhaiRes<Date> {
        Date::from_ymd(year, month, day).map_err(rt)
    }

    /// A date read from PostgreSQL's output format (`YYYY-MM-DD`, with ` BC`, or `infinity`).
    ///
    /// ```rhai
    /// date("2024-02-29")  // 2024-02-29
    /// date("0044-03-15 BC")  // 0044-03-15 BC
    /// date("infinity")  // infinity
    /// ```
    #[rhai_fn(name = "date", return_raw)]
    pub fn parse(text: &str) -> RhaiRes<Date> {
        text.parse::<Date>().map_err(rt)
    }

    /// The calendar day of a timestamp, as `timestamp::date`.
    ///
    /// ```rhai
    /// date(timestamp("2024-02-29 13:45:00"))  // 2024-02-29
    /// ```
    #[rhai_fn(name = "date")]
    pub fn of_timestamp(timestamp: Timestamp) -> Date {
        timestamp.date()
    }

    /// The calendar day of a timestamptz in its zone, as `timestamptz::date`.
    ///
    /// ```rhai
    /// date(timestamptz("2024-02-29 23:30:00-05"))  // 2024-02-29
    /// ```
    #[rhai_fn(name = "date", return_raw)]
    pub fn of_timestamptz(timestamptz: TimestampTz) -> RhaiRes<Date> {
        timestamptz.local().map(|l| l.date()).map_err(rt)
    }

    /// The year; BC years are negative, as EXTRACT(year) gives them (44 BC is -44).
    ///
    /// ```rhai
    /// date(2024, 2, 29).year  // 2024
    /// date("0044-03-15 BC").year  // -44
    /// ```
    #[rhai_fn(get = "year", return_raw, pure)]
    pub fn year(date: &mut Date) -> RhaiRes<INT> {
        ymd(date, "year").map(|v| v.0)
    }

    /// The month, 1 to 12.
    ///
    /// ```rhai
    /// date(2024, 2, 29).month  // 2
    /// ```
    #[rhai_fn(get = "month", return_raw, pure)]
    pub fn month(date: &mut Date) -> RhaiRes<INT> {
        ymd(date, "month").map(|v| int(v.1))
    }

    /// The day of the month, 1 to 31.
    ///
    /// ```rhai
    /// date(2024, 2, 29).day  // 29
    /// ```
    #[rhai_fn(get = "day", return_raw, pure)]
    pub fn day(date: &mut Date) -> RhaiRes<INT> {
        ymd(date, "day").map(|v| int(v.2))
    }

    /// The day of the week, 0 = Sunday to 6 = Saturday, as EXTRACT(dow).
    ///
    /// ```rhai
    /// date(2024, 2, 29).dow  // 4
    /// ```
    #[rhai_fn(get = "dow", return_raw, pure)]
    pub fn dow(date: &mut Date) -> RhaiRes<INT> {
        date.dow()
            .ok_or_else(|| infinite_error("date", *date, "dow"))
    }

    /// The day of the year, 1 to 366.
    ///
    /// ```rhai
    /// date(2024, 12, 31).doy  // 366
    /// ```
    #[rhai_fn(get = "doy", return_raw, pure)]
    pub fn doy(date: &mut Date) -> RhaiRes<INT> {
        date.doy()
            .ok_or_else(|| infinite_error("date", *date, "doy"))
    }

    /// Seconds from 1970-01-01 to the date's midnight, as a float (±infinity for infinite dates).
    ///
    /// ```rhai
    /// date(2024, 2, 29).epoch  // 1709164800.0
    /// ```
    #[rhai_fn(get = "epoch", pure)]
    pub fn epoch(date: &mut Date) -> FLOAT {
        date.epoch()
    }

    /// A number of days later; infinite dates stay infinite.
    ///
    /// ```rhai
    /// date(2024, 2, 28) + 1  // 2024-02-29
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn add_days(date: Date, days: INT) -> RhaiRes<Date> {
        date.checked_add_days(days).map_err(rt)
    }

    /// A number of days later; infinite dates stay infinite.
    ///
    /// ```rhai
    /// 1 + date(2024, 2, 28)  // 2024-02-29
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn days_add(days: INT, date: Date) -> RhaiRes<Date> {
        date.checked_add_days(days).map_err(rt)
    }

    /// A number of days earlier.
    ///
    /// ```rhai
    /// date(2024, 3, 1) - 1  // 2024-02-29
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn sub_days(date: Date, days: INT) -> RhaiRes<Date> {
        let neg = days
            .checked_neg()
            .ok_or_else(|| DateTimeError::new("date out of range"));
        neg.and_then(|n| date.checked_add_days(n)).map_err(rt)
    }

    /// The number of days between two dates (an error for infinite dates).
    ///
    /// ```rhai
    /// date(2024, 3, 1) - date(2024, 1, 1)  // 60
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn days_between(a: Date, b: Date) -> RhaiRes<INT> {
        a.days_since(b).map_err(rt)
    }

    /// date + interval gives a timestamp, as in PostgreSQL.
    ///
    /// ```rhai
    /// date(2024, 1, 31) + interval("1 mon")  // 2024-02-29 00:00:00
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn add_interval(date: Date, interval: Interval) -> RhaiRes<Timestamp> {
        date.to_timestamp()
            .and_then(|t| t.checked_add_interval(interval))
            .map_err(rt)
    }

    /// date - interval gives a timestamp, as in PostgreSQL.
    ///
    /// ```rhai
    /// date(2024, 3, 1) - interval("1 hour")  // 2024-02-29 23:00:00
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn sub_interval(date: Date, interval: Interval) -> RhaiRes<Timestamp> {
        date.to_timestamp()
            .and_then(|t| t.checked_sub_interval(interval))
            .map_err(rt)
    }

    /// A date equals a timestamp at its midnight, as in SQL.
    ///
    /// ```rhai
    /// date("2024-01-01") == timestamp("2024-01-01 00:00")  // true
    /// ```
    #[rhai_fn(name = "==")]
    pub fn eq_timestamp(a: Date, b: Timestamp) -> bool {
        date_key(a) == timestamp_key(b)
    }

    /// A date differs from a timestamp that is not its midnight, as in SQL.
    ///
    /// ```rhai
    /// date("2024-01-01") != timestamp("2024-01-01 12:00")  // true
    /// ```
    #[rhai_fn(name = "!=")]
    pub fn ne_timestamp(a: Date, b: Timestamp) -> bool {
        date_key(a) != timestamp_key(b)
    }

    /// Whether a date's midnight is before a timestamp.
    ///
    /// ```rhai
    /// date("2024-01-01") < timestamp("2024-01-01 12:00")  // true
    /// ```
    #[rhai_fn(name = "<")]
    pub fn lt_timestamp(a: Date, b: Timestamp) -> bool {
        date_key(a) < timestamp_key(b)
    }

    /// Whether a date's midnight is before a timestamp or equal to it.
    ///
    /// ```rhai
    /// date("2024-01-01") <= timestamp("2024-01-01 00:00")  // true
    /// ```
    #[rhai_fn(name = "<=")]
    pub fn le_timestamp(a: Date, b: Timestamp) -> bool {
        date_key(a) <= timestamp_key(b)
    }

    /// Whether a date's midnight is after a timestamp.
    ///
    /// ```rhai
    /// date("2024-01-02") > timestamp("2024-01-01 12:00")  // true
    /// ```
    #[rhai_fn(name = ">")]
    pub fn gt_timestamp(a: Date, b: Timestamp) -> bool {
        date_key(a) > timestamp_key(b)
    }

    /// Whether a date's midnight is after a timestamp or equal to it.
    ///
    /// ```rhai
    /// date("2024-01-01") >= timestamp("2024-01-01 12:00")  // false
    /// ```
    #[rhai_fn(name = ">=")]
    pub fn ge_timestamp(a: Date, b: Timestamp) -> bool {
        date_key(a) >= timestamp_key(b)
    }

    /// A timestamp equals a date when it is the date's midnight, as in SQL.
    ///
    /// ```rhai
    /// timestamp("2024-01-01 00:00") == date("2024-01-01")  // true
    /// ```
    #[rhai_fn(name = "==")]
    pub fn timestamp_eq(a: Timestamp, b: Date) -> bool {
        timestamp_key(a) == date_key(b)
    }

    /// A timestamp differs from a date unless it is the date's midnight.
    ///
    /// ```rhai
    /// timestamp("2024-01-01 12:00") != date("2024-01-01")  // true
    /// ```
    #[rhai_fn(name = "!=")]
    pub fn timestamp_ne(a: Timestamp, b: Date) -> bool {
        timestamp_key(a) != date_key(b)
    }

    /// Whether a timestamp is before a date's midnight.
    ///
    /// ```rhai
    /// timestamp("2023-12-31 23:59") < date("2024-01-01")  // true
    /// ```
    #[rhai_fn(name = "<")]
    pub fn timestamp_lt(a: Timestamp, b: Date) -> bool {
        timestamp_key(a) < date_key(b)
    }

    /// Whether a timestamp is before a date's midnight or equal to it.
    ///
    /// ```rhai
    /// timestamp("2024-01-01 00:00") <= date("2024-01-01")  // true
    /// ```
    #[rhai_fn(name = "<=")]
    pub fn timestamp_le(a: Timestamp, b: Date) -> bool {
        timestamp_key(a) <= date_key(b)
    }

    /// Whether a timestamp is after a date's midnight.
    ///
    /// ```rhai
    /// timestamp("2024-01-01 12:00") > date("2024-01-01")  // true
    /// ```
    #[rhai_fn(name = ">")]
    pub fn timestamp_gt(a: Timestamp, b: Date) -> bool {
        timestamp_key(a) > date_key(b)
    }

    /// Whether a timestamp is after a date's midnight or equal to it.
    ///
    /// ```rhai
    /// timestamp("2024-01-01 00:00") >= date("2024-01-02")  // false
    /// ```
    #[rhai_fn(name = ">=")]
    pub fn timestamp_ge(a: Timestamp, b: Date) -> bool {
        timestamp_key(a) >= date_key(b)
    }
}
