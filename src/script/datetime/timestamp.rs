//! `timestamp` and `timestamptz` for scripts: constructors, zones, wall-clock properties, arithmetic with
//! intervals.

use std::fmt;

use rhai::plugin::*;
use rhai::{FLOAT, INT};

use super::common::*;
use crate::value::datetime::*;

/// The plugin module for `timestamp` and `timestamptz`.
pub fn module() -> Module {
    let mut m = exported_module!(timestamps);
    m.combine_flatten(exported_module!(timestamp_text_and_order));
    m.combine_flatten(exported_module!(timestamptz_text_and_order));
    m.combine_flatten(exported_module!(timestamp_finiteness));
    m.combine_flatten(exported_module!(timestamptz_finiteness));
    m.combine_flatten(exported_module!(timestamp_wall));
    m.combine_flatten(exported_module!(timestamptz_wall));
    m.set_custom_type::<Timestamp>("timestamp");
    m.set_custom_type::<TimestampTz>("timestamptz");
    m
}

/// Timestamps read through their wall-clock fields (timestamptz: in its zone).
trait Wall: fmt::Display {
    const NAME: &'static str;
    fn wall(&self) -> Res<Timestamp>;
    fn epoch_seconds(&self) -> f64;
}

impl Wall for Timestamp {
    const NAME: &'static str = "timestamp";
    fn wall(&self) -> Res<Timestamp> {
        Ok(*self)
    }
    fn epoch_seconds(&self) -> f64 {
        self.epoch()
    }
}

impl Wall for TimestampTz {
    const NAME: &'static str = "timestamptz";
    fn wall(&self) -> Res<Timestamp> {
        self.local()
    }
    fn epoch_seconds(&self) -> f64 {
        self.epoch()
    }
}

fn wall_civil<T: Wall>(x: &T, prop: &str) -> RhaiRes<Civil> {
    let wall = x.wall().map_err(rt)?;
    wall.civil().ok_or_else(|| infinite_error(T::NAME, x, prop))
}

/// The wall-clock properties of a timestamp type, with one example line each.
macro_rules! wall_properties {
    ($module:ident, $ty:ty, $recv:ident,
     year: $year:tt, month: $month:tt, day: $day:tt, hour: $hour:tt, minute: $minute:tt,
     second: $second:tt, microsecond: $micro:tt, dow: $dow:tt, doy: $doy:tt, date: $date:tt,
     time: $time:tt, epoch: $epoch_doc:tt, $epoch:tt) => {
        #[export_module]
        mod $module {
            use crate::script::datetime::timestamp::*;

            /// The year; BC years are negative, as EXTRACT(year) gives them (44 BC is -44).
            ///
            /// ```rhai
            #[doc = $year]
            /// ```
            #[rhai_fn(get = "year", return_raw, pure)]
            pub fn year($recv: &mut $ty) -> RhaiRes<INT> {
                wall_civil($recv, "year").map(|c| pg_year(c.ymd.year))
            }

            /// The month, 1 to 12.
            ///
            /// ```rhai
            #[doc = $month]
            /// ```
            #[rhai_fn(get = "month", return_raw, pure)]
            pub fn month($recv: &mut $ty) -> RhaiRes<INT> {
                wall_civil($recv, "month").map(|c| int(c.ymd.month))
            }

            /// The day of the month, 1 to 31.
            ///
            /// ```rhai
            #[doc = $day]
            /// ```
            #[rhai_fn(get = "day", return_raw, pure)]
            pub fn day($recv: &mut $ty) -> RhaiRes<INT> {
                wall_civil($recv, "day").map(|c| int(c.ymd.day))
            }

            /// The hour, 0 to 23.
            ///
            /// ```rhai
            #[doc = $hour]
            /// ```
            #[rhai_fn(get = "hour", return_raw, pure)]
            pub fn hour($recv: &mut $ty) -> RhaiRes<INT> {
                wall_civil($recv, "hour").map(|c| c.tod / USECS_PER_HOUR)
            }

            /// The minute, 0 to 59.
            ///
            /// ```rhai
            #[doc = $minute]
            /// ```
            #[rhai_fn(get = "minute", return_raw, pure)]
            pub fn minute($recv: &mut $ty) -> RhaiRes<INT> {
                wall_civil($recv, "minute").map(|c| c.tod / USECS_PER_MINUTE % 60)
            }

            /// The seconds with their fraction, as a float (EXTRACT(second)).
            ///
            /// ```rhai
            #[doc = $second]
            /// ```
            #[rhai_fn(get = "second", return_raw, pure)]
            pub fn second($recv: &mut $ty) -> RhaiRes<FLOAT> {
                wall_civil($recv, "second").map(|c| seconds(c.tod % USECS_PER_MINUTE))
            }

            /// The fraction of the second in microseconds, 0 to 999999 (unlike EXTRACT(microseconds),
            /// whole seconds are not included).
            ///
            /// ```rhai
            #[doc = $micro]
            /// ```
            #[rhai_fn(get = "microsecond", return_raw, pure)]
            pub fn microsecond($recv: &mut $ty) -> RhaiRes<INT> {
                wall_civil($recv, "microsecond").map(|c| c.tod % USECS_PER_SEC)
            }

            /// The day of the week, 0 = Sunday to 6 = Saturday, as EXTRACT(dow).
            ///
            /// ```rhai
            #[doc = $dow]
            /// ```
            #[rhai_fn(get = "dow", return_raw, pure)]
            pub fn dow($recv: &mut $ty) -> RhaiRes<INT> {
                wall_civil($recv, "dow").map(|c| dow_of_days(c.days))
            }

            /// The day of the year, 1 to 366.
            ///
            /// ```rhai
            #[doc = $doy]
            /// ```
            #[rhai_fn(get = "doy", return_raw, pure)]
            pub fn doy($recv: &mut $ty) -> RhaiRes<INT> {
                wall_civil($recv, "doy").map(|c| doy_of(c.ymd, c.days))
            }

            /// The calendar day (an infinite value gives an infinite date).
            ///
            /// ```rhai
            #[doc = $date]
            /// ```
            #[rhai_fn(get = "date", return_raw, pure)]
            pub fn date($recv: &mut $ty) -> RhaiRes<Date> {
                $recv.wall().map(|w| w.date()).map_err(rt)
            }

            /// The time of day.
            ///
            /// ```rhai
            #[doc = $time]
            /// ```
            #[rhai_fn(get = "time", return_raw, pure)]
            pub fn time($recv: &mut $ty) -> RhaiRes<Time> {
                wall_civil($recv, "time").map(|c| Time(c.tod))
            }

            #[doc = $epoch_doc]
            ///
            /// ```rhai
            #[doc = $epoch]
            /// ```
            #[rhai_fn(get = "epoch", pure)]
            pub fn epoch($recv: &mut $ty) -> FLOAT {
                $recv.epoch_seconds()
            }
        }
    };
}

text_and_order!(timestamp_text_and_order, Timestamp, "timestamp", timestamp,
    to_string: " timestamp(\"2024-02-29 13:45:30.5\").to_string()  // \"2024-02-29 13:45:30.5\"",
    to_debug: " timestamp(\"2024-02-29 13:45:30.5\").to_debug()  // \"timestamp(\\\"2024-02-29 13:45:30.5\\\")\"",
    to_iso8601: " timestamp(\"2024-02-29 13:45:30.5\").to_iso8601()  // \"2024-02-29T13:45:30.5\"",
    eq: " timestamp(2024, 2, 29, 13, 45, 30.5) == timestamp(\"2024-02-29 13:45:30.5\")  // true",
    ne: " timestamp(\"2024-02-29 13:45:30.5\") != timestamp(2024, 3, 1, 0, 0, 0)  // true",
    lt: " timestamp(\"2024-02-29 13:45:30.5\") < timestamp(2024, 3, 1, 0, 0, 0)  // true",
    le: " timestamp(\"2024-02-29 13:45:30.5\") <= timestamp(\"infinity\")  // true",
    gt: " timestamp(\"2024-02-29 13:45:30.5\") > timestamp(2024, 3, 1, 0, 0, 0)  // false",
    ge: " timestamp(\"2024-02-29 13:45:30.5\") >= timestamp(\"-infinity\")  // true");

text_and_order!(timestamptz_text_and_order, TimestampTz, "timestamptz", timestamptz,
    to_string: " timestamptz(\"2024-02-29 13:45:30.5+01\").to_string()  // \"2024-02-29 13:45:30.5+01\"",
    to_debug: " timestamptz(\"2024-02-29 13:45:30.5+01\").to_debug()  // \"timestamptz(\\\"2024-02-29 13:45:30.5+01\\\")\"",
    to_iso8601: " timestamptz(\"2024-02-29 13:45:30.5+01\").to_iso8601()  // \"2024-02-29T13:45:30.5+01:00\"",
    eq: " timestamptz(\"2024-02-29 13:00:00+01\") == timestamptz(\"2024-02-29 12:00:00Z\")  // true",
    ne: " timestamptz(\"2024-02-29 13:00:00+01\") != timestamptz(\"2024-02-29 13:00:00Z\")  // true",
    lt: " timestamptz(\"2024-02-29 13:45:30.5+01\") < timestamptz(\"2024-02-29 13:45:30.5Z\")  // true",
    le: " timestamptz(\"2024-02-29 13:00:00+01\") <= timestamptz(\"2024-02-29 12:00:00Z\")  // true",
    gt: " timestamptz(\"2024-02-29 13:45:30.5+01\") > timestamptz(\"2024-02-29 13:45:30.5Z\")  // false",
    ge: " timestamptz(\"2024-02-29 13:45:30.5Z\") >= timestamptz(\"2024-02-29 13:45:30.5+01\")  // true");

finiteness!(timestamp_finiteness, Timestamp, timestamp, |t: &Timestamp| t.is_finite(),
    finite: " timestamp(\"infinity\").is_finite  // false",
    infinite: " timestamp(\"infinity\").is_infinite()  // true");

finiteness!(timestamptz_finiteness, TimestampTz, timestamptz, |t: &TimestampTz| t.is_finite(),
    finite: " timestamptz(\"-infinity\").is_finite()  // false",
    infinite: " timestamptz(\"-infinity\").is_infinite  // true");

wall_properties!(timestamp_wall, Timestamp, timestamp,
    year: " timestamp(\"2024-02-29 13:45:30.5\").year  // 2024",
    month: " timestamp(\"2024-02-29 13:45:30.5\").month  // 2",
    day: " timestamp(\"2024-02-29 13:45:30.5\").day  // 29",
    hour: " timestamp(\"2024-02-29 13:45:30.5\").hour  // 13",
    minute: " timestamp(\"2024-02-29 13:45:30.5\").minute  // 45",
    second: " timestamp(\"2024-02-29 13:45:30.5\").second  // 30.5",
    microsecond: " timestamp(\"2024-02-29 13:45:30.5\").microsecond  // 500000",
    dow: " timestamp(\"2024-02-29 13:45:30.5\").dow  // 4",
    doy: " timestamp(\"2024-02-29 13:45:30.5\").doy  // 60",
    date: " timestamp(\"2024-02-29 13:45:30.5\").date  // 2024-02-29",
    time: " timestamp(\"2024-02-29 13:45:30.5\").time  // 13:45:30.5",
    epoch: " Nominal seconds since 1970-01-01 00:00:00, as a float, as EXTRACT(epoch) (±infinity if infinite).",
    " timestamp(\"2024-02-29 13:45:30.5\").epoch  // 1709214330.5");

wall_properties!(timestamptz_wall, TimestampTz, timestamptz,
    year: " timestamptz(\"2024-02-29 13:45:30.5+01\").year  // 2024",
    month: " timestamptz(\"2024-02-29 13:45:30.5+01\").month  // 2",
    day: " timestamptz(\"2024-02-29 13:45:30.5+01\").day  // 29",
    hour: " timestamptz(\"2024-02-29 13:45:30.5+01\").hour  // 13",
    minute: " timestamptz(\"2024-02-29 13:45:30.5+01\").minute  // 45",
    second: " timestamptz(\"2024-02-29 13:45:30.5+01\").second  // 30.5",
    microsecond: " timestamptz(\"2024-02-29 13:45:30.5+01\").microsecond  // 500000",
    dow: " timestamptz(\"2024-02-29 13:45:30.5+01\").dow  // 4",
    doy: " timestamptz(\"2024-02-29 13:45:30.5+01\").doy  // 60",
    date: " timestamptz(\"2024-02-29 13:45:30.5+01\").date  // 2024-02-29",
    time: " timestamptz(\"2024-02-29 13:45:30.5+01\").time  // 13:45:30.5",
    epoch: " Seconds since 1970-01-01 00:00:00 UTC, as a float, as EXTRACT(epoch) (±infinity if infinite).",
    " timestamptz(\"2024-02-29 13:45:30.5+01\").epoch  // 1709210730.5");

#[export_module]
mod timestamps {
    use super::*;

    /// A timestamp from its fields, like make_timestamp; negative years are BC.
    ///
    /// ```rhai
    /// timestamp(2024, 2, 29, 13, 45, 0)  // 2024-02-29 13:45:00
    /// ```
    #[rhai_fn(name = "timestamp", return_raw)]
    pub fn from_fields(
        year: INT,
        month: INT,
        day: INT,
        hour: INT,
        minute: INT,
        second: INT,
    ) -> RhaiRes<Timestamp> {
        Timestamp::from_civil(year, month, day, hour, minute, second, 0).map_err(rt)
    }

    /// A timestamp from its fields with fractional seconds, like make_timestamp.
    ///
    /// ```rhai
    /// timestamp(2024, 2, 29, 13, 45, 0.5)  // 2024-02-29 13:45:00.5
    /// ```
    #[rhai_fn(name = "timestamp", return_raw)]
    pub fn from_fields_fraction(
        year: INT,
        month: INT,
        day: INT,
        hour: INT,
        minute: INT,
        second: FLOAT,
    ) -> RhaiRes<Timestamp> {
        float_seconds(second)
            .and_then(|(s, us)| Timestamp::from_civil(year, month, day, hour, minute, s, us))
            .map_err(rt)
    }

    /// A timestamp read from PostgreSQL's output format (a `T` separator and a date alone work too).
    ///
    /// ```rhai
    /// timestamp("2024-02-29 13:45:00.5")  // 2024-02-29 13:45:00.5
    /// timestamp("0001-12-31 23:59:59 BC")  // 0001-12-31 23:59:59 BC
    /// timestamp("2024-02-29")  // 2024-02-29 00:00:00
    /// ```
    #[rhai_fn(name = "timestamp", return_raw)]
    pub fn parse(text: &str) -> RhaiRes<Timestamp> {
        text.parse::<Timestamp>().map_err(rt)
    }

    /// Midnight of a date, as `date::timestamp`.
    ///
    /// ```rhai
    /// timestamp(date(2024, 2, 29))  // 2024-02-29 00:00:00
    /// ```
    #[rhai_fn(name = "timestamp", return_raw)]
    pub fn of_date(date: Date) -> RhaiRes<Timestamp> {
        date.to_timestamp().map_err(rt)
    }

    /// The wall-clock time of a timestamptz in its zone, as `timestamptz::timestamp`.
    ///
    /// ```rhai
    /// timestamp(timestamptz("2024-02-29 13:45:00+01"))  // 2024-02-29 13:45:00
    /// ```
    #[rhai_fn(name = "timestamp", return_raw)]
    pub fn of_timestamptz(timestamptz: TimestampTz) -> RhaiRes<Timestamp> {
        timestamptz.local().map_err(rt)
    }

    /// A timestamptz read from text; it is shown at the offset it was written with (UTC if none).
    ///
    /// ```rhai
    /// timestamptz("2024-03-10 01:30:00-05")  // 2024-03-10 01:30:00-05
    /// timestamptz("2024-02-29T13:45:00.5+05:30")  // 2024-02-29 13:45:00.5+05:30
    /// ```
    #[rhai_fn(name = "timestamptz", return_raw)]
    pub fn parse_tz(text: &str) -> RhaiRes<TimestampTz> {
        text.parse::<TimestampTz>().map_err(rt)
    }

    /// A timestamptz read from text and shown in a time zone; text without an offset is wall-clock time
    /// there.
    ///
    /// ```rhai
    /// timestamptz("2024-07-01 12:00:00", "Europe/Paris")  // 2024-07-01 12:00:00+02
    /// ```
    #[rhai_fn(name = "timestamptz", return_raw)]
    pub fn parse_in_zone(text: &str, zone: &str) -> RhaiRes<TimestampTz> {
        zone_by_name(zone)
            .and_then(|z| TimestampTz::parse_in(text, z))
            .map_err(rt)
    }

    /// A wall-clock timestamp read in a time zone, as `timestamp AT TIME ZONE zone`.
    ///
    /// ```rhai
    /// timestamptz(timestamp("2024-07-01 12:00:00"), "America/New_York")  // 2024-07-01 12:00:00-04
    /// ```
    #[rhai_fn(name = "timestamptz", return_raw)]
    pub fn at_zone(timestamp: Timestamp, zone: &str) -> RhaiRes<TimestampTz> {
        zone_by_name(zone)
            .and_then(|z| TimestampTz::from_local(timestamp, z))
            .map_err(rt)
    }

    /// The same instant shown in another time zone: an IANA name, `UTC`, or an offset such as `+05:30`,
    /// which here means east of UTC (ISO 8601, unlike SET TIME ZONE).
    ///
    /// ```rhai
    /// timestamptz("2024-07-01 12:00:00Z").in_zone("Asia/Kolkata")  // 2024-07-01 17:30:00+05:30
    /// ```
    #[rhai_fn(name = "in_zone", return_raw, pure)]
    pub fn in_zone(timestamptz: &mut TimestampTz, zone: &str) -> RhaiRes<TimestampTz> {
        zone_by_name(zone)
            .map(|z| timestamptz.with_zone(z))
            .map_err(rt)
    }

    /// The UTC offset in seconds east at this instant, as EXTRACT(timezone).
    ///
    /// ```rhai
    /// timestamptz("2024-07-01 12:00:00", "Europe/Paris").utc_offset  // 7200
    /// ```
    #[rhai_fn(get = "utc_offset", pure)]
    pub fn utc_offset(timestamptz: &mut TimestampTz) -> INT {
        int(timestamptz.utc_offset())
    }

    /// The name of the time zone the timestamptz is shown in.
    ///
    /// ```rhai
    /// timestamptz("2024-07-01 12:00:00", "Europe/Paris").zone  // "Europe/Paris"
    /// ```
    #[rhai_fn(get = "zone", pure)]
    pub fn zone(timestamptz: &mut TimestampTz) -> String {
        zone_name(&timestamptz.zone)
    }

    /// An interval later, as PostgreSQL adds it: months first (clamped to the month's end), then days,
    /// then time.
    ///
    /// ```rhai
    /// timestamp("2024-01-31 10:00:00") + interval("1 mon 1 day 1 hour")  // 2024-03-01 11:00:00
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn add_interval(timestamp: Timestamp, interval: Interval) -> RhaiRes<Timestamp> {
        timestamp.checked_add_interval(interval).map_err(rt)
    }

    /// An interval later.
    ///
    /// ```rhai
    /// interval("1 day") + timestamp("2024-02-28 12:00:00")  // 2024-02-29 12:00:00
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn interval_add(interval: Interval, timestamp: Timestamp) -> RhaiRes<Timestamp> {
        timestamp.checked_add_interval(interval).map_err(rt)
    }

    /// An interval earlier.
    ///
    /// ```rhai
    /// timestamp("2024-03-31 00:00:00") - interval("1 mon")  // 2024-02-29 00:00:00
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn sub_interval(timestamp: Timestamp, interval: Interval) -> RhaiRes<Timestamp> {
        timestamp.checked_sub_interval(interval).map_err(rt)
    }

    /// The difference as an interval of days and time (no months), as PostgreSQL gives it.
    ///
    /// ```rhai
    /// timestamp("2024-03-01 00:00:00") - timestamp("2024-01-01 01:00:00")  // 59 days 23:00:00
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn difference(a: Timestamp, b: Timestamp) -> RhaiRes<Interval> {
        a.checked_sub(b).map_err(rt)
    }

    /// An interval later; months and days move the wall-clock time in the zone, so a day across a DST
    /// change can be 23 or 25 hours.
    ///
    /// ```rhai
    /// timestamptz("2024-03-09 12:00:00", "America/New_York") + interval("1 day")  // 2024-03-10 12:00:00-04
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn add_interval_tz(timestamptz: TimestampTz, interval: Interval) -> RhaiRes<TimestampTz> {
        timestamptz.checked_add_interval(interval).map_err(rt)
    }

    /// An interval later.
    ///
    /// ```rhai
    /// interval("24 hours") + timestamptz("2024-03-09 12:00:00", "America/New_York")  // 2024-03-10 13:00:00-04
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn interval_add_tz(interval: Interval, timestamptz: TimestampTz) -> RhaiRes<TimestampTz> {
        timestamptz.checked_add_interval(interval).map_err(rt)
    }

    /// An interval earlier.
    ///
    /// ```rhai
    /// timestamptz("2024-03-01 00:00:00Z") - interval("1 mon")  // 2024-02-01 00:00:00+00
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn sub_interval_tz(timestamptz: TimestampTz, interval: Interval) -> RhaiRes<TimestampTz> {
        timestamptz.checked_sub_interval(interval).map_err(rt)
    }

    /// The time between two instants, as days and time.
    ///
    /// ```rhai
    /// timestamptz("2024-03-01 00:00:00Z") - timestamptz("2024-02-29 23:00:00-02")  // -01:00:00
    /// ```
    #[rhai_fn(name = "-", return_raw)]
    pub fn difference_tz(a: TimestampTz, b: TimestampTz) -> RhaiRes<Interval> {
        a.checked_sub(&b).map_err(rt)
    }
}
