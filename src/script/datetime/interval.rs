//! `interval` for scripts: constructors, EXTRACT's fields and the stored ones, arithmetic.

use rhai::plugin::*;
use rhai::{Map, FLOAT, INT};

use super::common::*;
use crate::value::datetime::*;

/// The plugin module for `interval`.
pub fn module() -> Module {
    let mut m = exported_module!(intervals);
    m.combine_flatten(exported_module!(interval_text_and_order));
    m.combine_flatten(exported_module!(interval_finiteness));
    m.set_custom_type::<Interval>("interval");
    m
}

/// EXTRACT's split of a finite interval (an infinite one has no fields).
fn parts(interval: &Interval, prop: &str) -> RhaiRes<IntervalParts> {
    if interval.is_finite() {
        Ok(interval.parts())
    } else {
        Err(infinite_error("interval", interval, prop))
    }
}

fn seconds_of(p: &IntervalParts) -> FLOAT {
    micros_as_seconds(i128::from(p.sec) * i128::from(USECS_PER_SEC) + i128::from(p.fsec))
}

text_and_order!(interval_text_and_order, Interval, "interval", interval,
    to_string: " interval(\"1 day 02:00:00\").to_string()  // \"1 day 02:00:00\"",
    to_debug: " interval(\"1 day 02:00:00\").to_debug()  // \"interval(\\\"1 day 02:00:00\\\")\"",
    to_iso8601: " interval(\"1 day 02:00:00\").to_iso8601()  // \"P1DT2H\"",
    eq: " interval(\"1 mon\") == interval(\"30 days\")  // true",
    ne: " interval(\"1 day\") != interval(\"24 hours\")  // false",
    lt: " interval(\"1 day 02:00:00\") < interval(\"1 mon\")  // true",
    le: " interval(\"1 day\") <= interval(\"24 hours\")  // true",
    gt: " interval(\"1 day 02:00:00\") > interval(\"1 mon\")  // false",
    ge: " interval(\"25 hours\") >= interval(\"1 day\")  // true");

finiteness!(interval_finiteness, Interval, interval, |i: &Interval| i.is_finite(),
    finite: " interval(\"infinity\").is_finite  // false",
    infinite: " interval(\"infinity\").is_infinite()  // true");

#[export_module]
mod intervals {
    use super::*;

    /// An interval read from text: psql's output (`1 year 2 mons 3 days 04:05:06`, `-1 days +02:00:00`),
    /// units such as `1.5 hours`, `10ms`, `2 weeks ago`, or ISO 8601 (`P1DT2H`).
    ///
    /// ```rhai
    /// interval("1 day 02:00:00")  // 1 day 02:00:00
    /// interval("90 minutes")  // 01:30:00
    /// interval("P1Y2M3DT4H5M6.5S")  // 1 year 2 mons 3 days 04:05:06.5
    /// ```
    #[rhai_fn(name = "interval", return_raw)]
    pub fn parse(text: &str) -> RhaiRes<Interval> {
        text.parse::<Interval>().map_err(rt)
    }

    /// An interval from named parts, like make_interval: `years`, `months`, `weeks`, `days`, `hours`,
    /// `minutes`, `seconds` (may be a float), `micros`.
    ///
    /// ```rhai
    /// interval(#{days: 1, hours: 2})  // 1 day 02:00:00
    /// ```
    #[rhai_fn(name = "interval", return_raw)]
    pub fn from_parts(parts: Map) -> RhaiRes<Interval> {
        interval_from_map(&parts).map_err(rt)
    }

    /// Whole years of the months field, as EXTRACT(year).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").year  // 1
    /// ```
    #[rhai_fn(get = "year", return_raw, pure)]
    pub fn year(interval: &mut Interval) -> RhaiRes<INT> {
        parts(interval, "year").map(|p| p.year)
    }

    /// Whole years of the months field (as `year`).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").years  // 1
    /// ```
    #[rhai_fn(get = "years", return_raw, pure)]
    pub fn years(interval: &mut Interval) -> RhaiRes<INT> {
        parts(interval, "years").map(|p| p.year)
    }

    /// The months beyond whole years, as EXTRACT(month) (0 to 11, negative for negative intervals).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").month  // 2
    /// ```
    #[rhai_fn(get = "month", return_raw, pure)]
    pub fn month(interval: &mut Interval) -> RhaiRes<INT> {
        parts(interval, "month").map(|p| p.mon)
    }

    /// The months field as stored (years included); `month` is EXTRACT(month).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").months  // 14
    /// ```
    #[rhai_fn(get = "months", pure)]
    pub fn months(interval: &mut Interval) -> INT {
        int(interval.months)
    }

    /// The days field, as EXTRACT(day).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").day  // 3
    /// ```
    #[rhai_fn(get = "day", return_raw, pure)]
    pub fn day(interval: &mut Interval) -> RhaiRes<INT> {
        parts(interval, "day").map(|p| p.mday)
    }

    /// The days field as stored.
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").days  // 3
    /// ```
    #[rhai_fn(get = "days", pure)]
    pub fn days(interval: &mut Interval) -> INT {
        int(interval.days)
    }

    /// Whole hours of the time part, as EXTRACT(hour) (may exceed 23).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").hour  // 4
    /// ```
    #[rhai_fn(get = "hour", return_raw, pure)]
    pub fn hour(interval: &mut Interval) -> RhaiRes<INT> {
        parts(interval, "hour").map(|p| p.hour)
    }

    /// Whole hours of the time part (as `hour`; may exceed 23).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").hours  // 4
    /// interval("30:00:00").hours  // 30
    /// ```
    #[rhai_fn(get = "hours", return_raw, pure)]
    pub fn hours(interval: &mut Interval) -> RhaiRes<INT> {
        parts(interval, "hours").map(|p| p.hour)
    }

    /// Minutes within the hour, as EXTRACT(minute).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").minute  // 5
    /// ```
    #[rhai_fn(get = "minute", return_raw, pure)]
    pub fn minute(interval: &mut Interval) -> RhaiRes<INT> {
        parts(interval, "minute").map(|p| p.min)
    }

    /// Minutes within the hour (as `minute`).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").minutes  // 5
    /// ```
    #[rhai_fn(get = "minutes", return_raw, pure)]
    pub fn minutes(interval: &mut Interval) -> RhaiRes<INT> {
        parts(interval, "minutes").map(|p| p.min)
    }

    /// Seconds within the minute with their fraction, as a float (EXTRACT(second)).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").second  // 6.5
    /// ```
    #[rhai_fn(get = "second", return_raw, pure)]
    pub fn second(interval: &mut Interval) -> RhaiRes<FLOAT> {
        parts(interval, "second").map(|p| seconds_of(&p))
    }

    /// Seconds within the minute with their fraction (as `second`).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").seconds  // 6.5
    /// ```
    #[rhai_fn(get = "seconds", return_raw, pure)]
    pub fn seconds_prop(interval: &mut Interval) -> RhaiRes<FLOAT> {
        parts(interval, "seconds").map(|p| seconds_of(&p))
    }

    /// The fraction of the second in microseconds, as for the other types (EXTRACT(microseconds) also
    /// counts the whole seconds).
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").microsecond  // 500000
    /// ```
    #[rhai_fn(get = "microsecond", return_raw, pure)]
    pub fn microsecond(interval: &mut Interval) -> RhaiRes<INT> {
        parts(interval, "microsecond").map(|p| p.fsec)
    }

    /// The time part as stored, in microseconds.
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").micros  // 14706500000
    /// ```
    #[rhai_fn(get = "micros", pure)]
    pub fn micros(interval: &mut Interval) -> INT {
        interval.micros
    }

    /// Total seconds as a float, as EXTRACT(epoch): a year counts 365.25 days, other months 30 days.
    ///
    /// ```rhai
    /// interval("1 year 2 mons 3 days 04:05:06.5").epoch  // 37015506.5
    /// ```
    #[rhai_fn(get = "epoch", pure)]
    pub fn epoch(interval: &mut Interval) -> FLOAT {
        interval.epoch()
    }

    /// The sum of two intervals, field by field.
    ///
    /// ```rhai
    /// interval("1 mon") + interval("-1 day")  // 1 mon -1 days
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn add(a: Interval, b: Interval) -> RhaiRes<Interval> {
        a.checked_add(b).map_err(rt)
    }

    /// The difference of two intervals, field by field.
    ///
    /// ```rhai
    /// interval("1 day") - interval("2 hours")  // 1 day -02:00:00
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn sub(a: Interval, b: Interval) -> RhaiRes<Interval> {
        a.checked_sub(b).map_err(rt)
    }

    /// The interval negated.
    ///
    /// ```rhai
    /// -interval("1 day 02:00:00")  // -1 days -02:00:00
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn neg(interval: Interval) -> RhaiRes<Interval> {
        interval.checked_neg().map_err(rt)
    }

    /// Each field multiplied by an integer.
    ///
    /// ```rhai
    /// interval("1 day 02:00:00") * 3  // 3 days 06:00:00
    /// ```
    #[rhai_fn(name = "*", return_raw)]
    pub fn mul_int(interval: Interval, factor: INT) -> RhaiRes<Interval> {
        interval.checked_mul(factor).map_err(rt)
    }

    /// Each field multiplied by an integer.
    ///
    /// ```rhai
    /// 2 * interval("1 mon")  // 2 mons
    /// ```
    #[rhai_fn(name = "*", return_raw)]
    pub fn int_mul(factor: INT, interval: Interval) -> RhaiRes<Interval> {
        interval.checked_mul(factor).map_err(rt)
    }

    /// Multiplied by a float as PostgreSQL does: fractions of months and days cascade down.
    ///
    /// ```rhai
    /// interval("1 mon") * 1.5  // 1 mon 15 days
    /// ```
    #[rhai_fn(name = "*", return_raw)]
    pub fn mul_float(interval: Interval, factor: FLOAT) -> RhaiRes<Interval> {
        interval.checked_scale(factor, false).map_err(rt)
    }

    /// Multiplied by a float as PostgreSQL does: fractions of months and days cascade down.
    ///
    /// ```rhai
    /// 0.5 * interval("1 day")  // 12:00:00
    /// ```
    #[rhai_fn(name = "*", return_raw)]
    pub fn float_mul(factor: FLOAT, interval: Interval) -> RhaiRes<Interval> {
        interval.checked_scale(factor, false).map_err(rt)
    }

    /// Divided by an integer as PostgreSQL does: fractions of months and days cascade down.
    ///
    /// ```rhai
    /// interval("1 day") / 2  // 12:00:00
    /// interval("1 mon") / 4  // 7 days 12:00:00
    /// ```
    #[rhai_fn(name = "/", return_raw)]
    pub fn div_int(interval: Interval, divisor: INT) -> RhaiRes<Interval> {
        interval.checked_scale(divisor as FLOAT, true).map_err(rt)
    }

    /// Divided by a float as PostgreSQL does: fractions of months and days cascade down.
    ///
    /// ```rhai
    /// interval("1 hour") / 1.5  // 00:40:00
    /// ```
    #[rhai_fn(name = "/", return_raw)]
    pub fn div_float(interval: Interval, divisor: FLOAT) -> RhaiRes<Interval> {
        interval.checked_scale(divisor, true).map_err(rt)
    }
}
