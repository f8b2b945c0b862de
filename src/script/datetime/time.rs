//! `time` and `timetz` for scripts: constructors, clock properties, arithmetic with intervals.

use rhai::plugin::*;
use rhai::{FLOAT, INT};

use super::common::*;
use crate::value::datetime::*;

/// The plugin module for `time` and `timetz`.
pub fn module() -> Module {
    let mut m = exported_module!(times);
    m.combine_flatten(exported_module!(time_text_and_order));
    m.combine_flatten(exported_module!(timetz_text_and_order));
    m.combine_flatten(exported_module!(time_clock));
    m.combine_flatten(exported_module!(timetz_clock));
    m.set_custom_type::<Time>("time");
    m.set_custom_type::<TimeTz>("timetz");
    m
}

/// Times of day read through their clock fields.
trait Clock {
    fn tod(&self) -> i64;
    /// Seconds east of UTC (0 for a time without zone).
    fn offset(&self) -> i32 {
        0
    }
}

impl Clock for Time {
    fn tod(&self) -> i64 {
        self.0
    }
}

impl Clock for TimeTz {
    fn tod(&self) -> i64 {
        self.micros
    }
    fn offset(&self) -> i32 {
        self.offset_secs
    }
}

/// The clock properties of a time-of-day type, with one example line each.
macro_rules! clock_properties {
    ($module:ident, $ty:ty, $recv:ident,
     hour: $hour:tt, minute: $minute:tt, second: $second:tt, microsecond: $micro:tt, epoch: $epoch:tt) => {
        #[export_module]
        mod $module {
            use crate::script::datetime::time::*;

            /// The hour, 0 to 24 (24:00:00 is a valid time).
            ///
            /// ```rhai
            #[doc = $hour]
            /// ```
            #[rhai_fn(get = "hour", pure)]
            pub fn hour($recv: &mut $ty) -> INT {
                $recv.tod() / USECS_PER_HOUR
            }

            /// The minute, 0 to 59.
            ///
            /// ```rhai
            #[doc = $minute]
            /// ```
            #[rhai_fn(get = "minute", pure)]
            pub fn minute($recv: &mut $ty) -> INT {
                $recv.tod() / USECS_PER_MINUTE % 60
            }

            /// The seconds with their fraction, as a float.
            ///
            /// ```rhai
            #[doc = $second]
            /// ```
            #[rhai_fn(get = "second", pure)]
            pub fn second($recv: &mut $ty) -> FLOAT {
                seconds($recv.tod() % USECS_PER_MINUTE)
            }

            /// The fraction of the second in microseconds, 0 to 999999.
            ///
            /// ```rhai
            #[doc = $micro]
            /// ```
            #[rhai_fn(get = "microsecond", pure)]
            pub fn microsecond($recv: &mut $ty) -> INT {
                $recv.tod() % USECS_PER_SEC
            }

            /// Seconds since midnight as a float, as EXTRACT(epoch) (a timetz counts them in UTC).
            ///
            /// ```rhai
            #[doc = $epoch]
            /// ```
            #[rhai_fn(get = "epoch", pure)]
            pub fn epoch($recv: &mut $ty) -> FLOAT {
                micros_as_seconds(
                    i128::from($recv.tod())
                        - i128::from($recv.offset()) * i128::from(USECS_PER_SEC),
                )
            }
        }
    };
}

text_and_order!(time_text_and_order, Time, "time", time,
    to_string: " time(\"13:45:00.25\").to_string()  // \"13:45:00.25\"",
    to_debug: " time(\"13:45:00.25\").to_debug()  // \"time(\\\"13:45:00.25\\\")\"",
    to_iso8601: " time(\"13:45:00.25\").to_iso8601()  // \"13:45:00.25\"",
    eq: " time(13, 45, 0.25) == time(\"13:45:00.25\")  // true",
    ne: " time(\"13:45:00.25\") != time(24, 0, 0)  // true",
    lt: " time(\"13:45:00.25\") < time(24, 0, 0)  // true",
    le: " time(\"13:45:00.25\") <= time(13, 45, 0.25)  // true",
    gt: " time(\"13:45:00.25\") > time(24, 0, 0)  // false",
    ge: " time(24, 0, 0) >= time(\"13:45:00.25\")  // true");

text_and_order!(timetz_text_and_order, TimeTz, "timetz", timetz,
    to_string: " timetz(\"13:45:00+05:30\").to_string()  // \"13:45:00+05:30\"",
    to_debug: " timetz(\"13:45:00+05:30\").to_debug()  // \"timetz(\\\"13:45:00+05:30\\\")\"",
    to_iso8601: " timetz(\"13:45:00+05:30\").to_iso8601()  // \"13:45:00+05:30\"",
    eq: " timetz(\"12:00:00+01\") == timetz(\"11:00:00+00\")  // false",
    ne: " timetz(\"12:00:00+01\") != timetz(\"11:00:00+00\")  // true",
    lt: " timetz(\"13:45:00+05:30\") < timetz(\"13:45:00+00\")  // true",
    le: " timetz(\"13:45:00+05:30\") <= timetz(\"13:45:00+05:30\")  // true",
    gt: " timetz(\"13:45:00+05:30\") > timetz(\"13:45:00+00\")  // false",
    ge: " timetz(\"13:45:00+00\") >= timetz(\"13:45:00+05:30\")  // true");

clock_properties!(time_clock, Time, time,
    hour: " time(\"13:45:00.25\").hour  // 13",
    minute: " time(\"13:45:00.25\").minute  // 45",
    second: " time(\"13:45:00.25\").second  // 0.25",
    microsecond: " time(\"13:45:00.25\").microsecond  // 250000",
    epoch: " time(\"13:45:00.25\").epoch  // 49500.25");

clock_properties!(timetz_clock, TimeTz, timetz,
    hour: " timetz(\"13:45:00+05:30\").hour  // 13",
    minute: " timetz(\"13:45:00+05:30\").minute  // 45",
    second: " timetz(\"13:45:00+05:30\").second  // 0.0",
    microsecond: " timetz(\"13:45:00+05:30\").microsecond  // 0",
    epoch: " timetz(\"13:45:00+05:30\").epoch  // 29700.0");

#[export_module]
mod times {
    use super::*;

    /// A time of day from hours, minutes and whole seconds (24:00:00 is allowed, as in PostgreSQL).
    ///
    /// ```rhai
    /// time(13, 45, 0)  // 13:45:00
    /// ```
    #[rhai_fn(name = "time", return_raw)]
    pub fn from_hms(hour: INT, minute: INT, second: INT) -> RhaiRes<Time> {
        Time::from_hms_micro(hour, minute, second, 0).map_err(rt)
    }

    /// A time of day with fractional seconds.
    ///
    /// ```rhai
    /// time(13, 45, 0.25)  // 13:45:00.25
    /// ```
    #[rhai_fn(name = "time", return_raw)]
    pub fn from_hms_fraction(hour: INT, minute: INT, second: FLOAT) -> RhaiRes<Time> {
        float_seconds(second)
            .and_then(|(s, us)| Time::from_hms_micro(hour, minute, s, us))
            .map_err(rt)
    }

    /// A time of day read from text (`HH:MM[:SS[.ffffff]]`).
    ///
    /// ```rhai
    /// time("13:45:00.25")  // 13:45:00.25
    /// ```
    #[rhai_fn(name = "time", return_raw)]
    pub fn parse(text: &str) -> RhaiRes<Time> {
        text.parse::<Time>().map_err(rt)
    }

    /// The time of day of a timestamp.
    ///
    /// ```rhai
    /// time(timestamp("2024-02-29 13:45:00"))  // 13:45:00
    /// ```
    #[rhai_fn(name = "time", return_raw)]
    pub fn of_timestamp(timestamp: Timestamp) -> RhaiRes<Time> {
        timestamp
            .time()
            .ok_or_else(|| infinite_error("timestamp", timestamp, "time"))
    }

    /// A time of day with a UTC offset, read from text (UTC when it has none).
    ///
    /// ```rhai
    /// timetz("13:45:00+05:30")  // 13:45:00+05:30
    /// ```
    #[rhai_fn(name = "timetz", return_raw)]
    pub fn parse_tz(text: &str) -> RhaiRes<TimeTz> {
        text.parse::<TimeTz>().map_err(rt)
    }

    /// The UTC offset in seconds east, as EXTRACT(timezone).
    ///
    /// ```rhai
    /// timetz("13:45:00+05:30").utc_offset  // 19800
    /// ```
    #[rhai_fn(get = "utc_offset", pure)]
    pub fn utc_offset(timetz: &mut TimeTz) -> INT {
        int(timetz.offset_secs)
    }

    /// The time part of an interval later, wrapping around midnight.
    ///
    /// ```rhai
    /// time("23:00:00") + interval("2 hours")  // 01:00:00
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn add_interval(time: Time, interval: Interval) -> RhaiRes<Time> {
        time.checked_add_interval(interval).map_err(rt)
    }

    /// The time part of an interval earlier, wrapping around midnight.
    ///
    /// ```rhai
    /// time("01:00:00") - interval("2 hours")  // 23:00:00
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn sub_interval(time: Time, interval: Interval) -> RhaiRes<Time> {
        time.checked_sub_interval(interval).map_err(rt)
    }

    /// The difference between two times, as an interval.
    ///
    /// ```rhai
    /// time("10:00:00") - time("12:30:00")  // -02:30:00
    /// ```
    #[rhai_fn(name = "-")]
    pub fn difference(a: Time, b: Time) -> Interval {
        a.since(b)
    }
}
