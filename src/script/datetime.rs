//! The date/time types for scripts: constructors, properties, operators and text forms.

use std::fmt;

use rhai::{Engine, EvalAltResult, FuncRegistration, Map, FLOAT, INT};

use crate::value::datetime::*;

type RhaiRes<T> = Result<T, Box<EvalAltResult>>;

fn rt(e: DateTimeError) -> Box<EvalAltResult> {
    e.to_string().into()
}

/// A doc comment in rhai's metadata form: `///` lines, then a ```rhai example block
/// whose lines read `expression  // printed result`.
fn doc(summary: &str, examples: &[&str]) -> String {
    let mut out = String::new();
    for line in summary.lines() {
        out.push_str("/// ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("/// ```rhai\n");
    for line in examples {
        out.push_str("/// ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("/// ```");
    out
}

fn func(name: &str, summary: &str, examples: &[&str]) -> FuncRegistration {
    FuncRegistration::new(name).with_comments([doc(summary, examples)])
}

fn getter(prop: &str, summary: &str, examples: &[&str]) -> FuncRegistration {
    FuncRegistration::new_getter(prop).with_comments([doc(summary, examples)])
}

fn infinite_error(what: &str, value: impl fmt::Display, prop: &str) -> Box<EvalAltResult> {
    format!("{what} {value} is infinite: it has no {prop}").into()
}

/// What every scripted date/time type shares: a Rhai name, text forms, comparisons.
trait Scripted: Clone + Ord + fmt::Display + 'static {
    const NAME: &'static str;
    /// A constructor call producing an example value.
    const EXAMPLE: &'static str;
    /// A constructor call producing a larger value, for the comparison docs.
    const LATER: &'static str;
    /// A `==` example showing how this type compares.
    const EQ_EXAMPLE: &'static str;
    fn iso(&self) -> String;
}

impl Scripted for Date {
    const NAME: &'static str = "date";
    const EXAMPLE: &'static str = "date(2024, 2, 29)";
    const LATER: &'static str = "date(\"2024-03-01\")";
    const EQ_EXAMPLE: &'static str = "date(2024, 2, 29) == date(\"2024-02-29\")  // true";
    fn iso(&self) -> String {
        self.to_iso8601()
    }
}

impl Scripted for Timestamp {
    const NAME: &'static str = "timestamp";
    const EXAMPLE: &'static str = "timestamp(\"2024-02-29 13:45:30.5\")";
    const LATER: &'static str = "timestamp(2024, 3, 1, 0, 0, 0)";
    const EQ_EXAMPLE: &'static str =
        "timestamp(2024, 2, 29, 13, 45, 30.5) == timestamp(\"2024-02-29 13:45:30.5\")  // true";
    fn iso(&self) -> String {
        self.to_iso8601()
    }
}

impl Scripted for TimestampTz {
    const NAME: &'static str = "timestamptz";
    const EXAMPLE: &'static str = "timestamptz(\"2024-02-29 13:45:30.5+01\")";
    const LATER: &'static str = "timestamptz(\"2024-02-29 13:45:30.5Z\")";
    const EQ_EXAMPLE: &'static str =
        "timestamptz(\"2024-02-29 13:00:00+01\") == timestamptz(\"2024-02-29 12:00:00Z\")  // true";
    fn iso(&self) -> String {
        self.to_iso8601()
    }
}

impl Scripted for Time {
    const NAME: &'static str = "time";
    const EXAMPLE: &'static str = "time(\"13:45:00.25\")";
    const LATER: &'static str = "time(24, 0, 0)";
    const EQ_EXAMPLE: &'static str = "time(13, 45, 0.25) == time(\"13:45:00.25\")  // true";
    fn iso(&self) -> String {
        self.to_iso8601()
    }
}

impl Scripted for TimeTz {
    const NAME: &'static str = "timetz";
    const EXAMPLE: &'static str = "timetz(\"13:45:00+05:30\")";
    const LATER: &'static str = "timetz(\"13:45:00+00\")";
    const EQ_EXAMPLE: &'static str = "timetz(\"12:00:00+01\") == timetz(\"11:00:00+00\")  // false";
    fn iso(&self) -> String {
        self.to_iso8601()
    }
}

impl Scripted for Interval {
    const NAME: &'static str = "interval";
    const EXAMPLE: &'static str = "interval(\"1 day 02:00:00\")";
    const LATER: &'static str = "interval(\"1 mon\")";
    const EQ_EXAMPLE: &'static str = "interval(\"1 mon\") == interval(\"30 days\")  // true";
    fn iso(&self) -> String {
        self.to_iso8601()
    }
}

fn register_common<T: Scripted>(engine: &mut Engine) {
    let (name, ex, later) = (T::NAME, T::EXAMPLE, T::LATER);
    engine.register_type_with_name::<T>(name);
    let shown = |v: &str| format!("{ex}.{v}");
    func(
        "to_string",
        &format!("The {name} as psql prints it (also what `print` and `${{}}` show)."),
        &[&format!(
            "{}  // {}",
            shown("to_string()"),
            example_text::<T>().0
        )],
    )
    .register_into_engine(engine, |x: &mut T| x.to_string());
    func(
        "to_debug",
        &format!("The {name} as a constructor call, which is what `debug` shows."),
        &[&shown("to_debug()")],
    )
    .register_into_engine(engine, |x: &mut T| format!("{}(\"{}\")", T::NAME, x));
    func(
        "to_iso8601",
        &format!("The {name} in ISO 8601 form, as PostgreSQL's to_json writes it (intervals: IntervalStyle iso_8601)."),
        &[&format!("{}  // {}", shown("to_iso8601()"), example_text::<T>().1)],
    )
    .register_into_engine(engine, |x: &mut T| x.iso());
    let cmp_doc = |op: &str, result: bool| {
        let mut lines = vec![format!("{ex} {op} {later}  // {result}")];
        if op == "==" {
            lines.push(T::EQ_EXAMPLE.to_string());
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        doc(
            &format!("Compares two {name} values as PostgreSQL does."),
            &refs,
        )
    };
    FuncRegistration::new("==")
        .with_comments([cmp_doc("==", false)])
        .register_into_engine(engine, |a: T, b: T| a == b);
    FuncRegistration::new("!=")
        .with_comments([cmp_doc("!=", true)])
        .register_into_engine(engine, |a: T, b: T| a != b);
    FuncRegistration::new("<")
        .with_comments([cmp_doc("<", true)])
        .register_into_engine(engine, |a: T, b: T| a < b);
    FuncRegistration::new("<=")
        .with_comments([cmp_doc("<=", true)])
        .register_into_engine(engine, |a: T, b: T| a <= b);
    FuncRegistration::new(">")
        .with_comments([cmp_doc(">", false)])
        .register_into_engine(engine, |a: T, b: T| a > b);
    FuncRegistration::new(">=")
        .with_comments([cmp_doc(">=", false)])
        .register_into_engine(engine, |a: T, b: T| a >= b);
}

/// The printed and ISO 8601 forms of `T::EXAMPLE`, quoted, for the docs.
fn example_text<T: Scripted>() -> (&'static str, &'static str) {
    match T::NAME {
        "date" => ("\"2024-02-29\"", "\"2024-02-29\""),
        "timestamp" => ("\"2024-02-29 13:45:30.5\"", "\"2024-02-29T13:45:30.5\""),
        "timestamptz" => (
            "\"2024-02-29 13:45:30.5+01\"",
            "\"2024-02-29T13:45:30.5+01:00\"",
        ),
        "time" => ("\"13:45:00.25\"", "\"13:45:00.25\""),
        "timetz" => ("\"13:45:00+05:30\"", "\"13:45:00+05:30\""),
        _ => ("\"1 day 02:00:00\"", "\"P1DT2H\""),
    }
}

/// Registers the date/time types, their constructors, operators and property
/// getters. Type names in scripts are "date", "timestamp", "timestamptz", "time",
/// "timetz" and "interval".
pub fn register(engine: &mut Engine) {
    register_common::<Date>(engine);
    register_common::<Timestamp>(engine);
    register_common::<TimestampTz>(engine);
    register_common::<Time>(engine);
    register_common::<TimeTz>(engine);
    register_common::<Interval>(engine);
    register_date(engine);
    register_timestamps(engine);
    register_wall_getters::<Timestamp>(engine);
    register_wall_getters::<TimestampTz>(engine);
    register_times(engine);
    register_clock_getters::<Time>(engine);
    register_clock_getters::<TimeTz>(engine);
    register_interval(engine);
}

fn register_date(engine: &mut Engine) {
    func(
        "date",
        "Builds a date like make_date; negative years are BC (-44 is 44 BC).",
        &[
            "date(2024, 2, 29)  // 2024-02-29",
            "date(-44, 3, 15)  // 0044-03-15 BC",
        ],
    )
    .register_into_engine(engine, |y: INT, m: INT, d: INT| {
        Date::from_ymd(y, m, d).map_err(rt)
    });
    func(
        "date",
        "Parses a date in PostgreSQL's output format (`YYYY-MM-DD`, ` BC`, `infinity`).",
        &[
            "date(\"2024-02-29\")  // 2024-02-29",
            "date(\"0044-03-15 BC\")  // 0044-03-15 BC",
            "date(\"infinity\")  // infinity",
        ],
    )
    .register_into_engine(engine, |s: &str| s.parse::<Date>().map_err(rt));
    func(
        "date",
        "The calendar day of a timestamp, as `timestamp::date`.",
        &["date(timestamp(\"2024-02-29 13:45:00\"))  // 2024-02-29"],
    )
    .register_into_engine(engine, |t: Timestamp| t.date());
    func(
        "date",
        "The calendar day of a timestamptz in its zone, as `timestamptz::date`.",
        &["date(timestamptz(\"2024-02-29 23:30:00-05\"))  // 2024-02-29"],
    )
    .register_into_engine(engine, |t: TimestampTz| {
        t.local().map(|l| l.date()).map_err(rt)
    });

    let ymd = |d: &Date, prop: &str| d.ymd().ok_or_else(|| infinite_error("date", d, prop));
    getter(
        "year",
        "The year; BC years are negative as in EXTRACT(year) (44 BC is -44).",
        &[
            "date(2024, 2, 29).year  // 2024",
            "date(\"0044-03-15 BC\").year  // -44",
        ],
    )
    .register_into_engine(engine, move |d: &mut Date| ymd(d, "year").map(|v| v.0));
    getter(
        "month",
        "The month, 1 to 12.",
        &["date(2024, 2, 29).month  // 2"],
    )
    .register_into_engine(engine, move |d: &mut Date| {
        ymd(d, "month").map(|v| INT::from(v.1))
    });
    getter(
        "day",
        "The day of the month, 1 to 31.",
        &["date(2024, 2, 29).day  // 29"],
    )
    .register_into_engine(engine, move |d: &mut Date| {
        ymd(d, "day").map(|v| INT::from(v.2))
    });
    getter(
        "dow",
        "The day of the week, 0 = Sunday to 6 = Saturday, as EXTRACT(dow).",
        &["date(2024, 2, 29).dow  // 4"],
    )
    .register_into_engine(engine, |d: &mut Date| {
        d.dow().ok_or_else(|| infinite_error("date", *d, "dow"))
    });
    getter(
        "doy",
        "The day of the year, 1 to 366.",
        &["date(2024, 12, 31).doy  // 366"],
    )
    .register_into_engine(engine, |d: &mut Date| {
        d.doy().ok_or_else(|| infinite_error("date", *d, "doy"))
    });
    getter(
        "epoch",
        "Seconds from 1970-01-01 to the date's midnight, as a float (±infinity for infinite dates).",
        &["date(2024, 2, 29).epoch  // 1709164800.0"],
    )
    .register_into_engine(engine, |d: &mut Date| d.epoch());
    register_finiteness(engine, "date", "date(\"infinity\")", |d: &Date| {
        d.is_finite()
    });

    let add_doc = "Adds a number of days; infinite dates stay infinite.";
    func("+", add_doc, &["date(2024, 2, 28) + 1  // 2024-02-29"])
        .register_into_engine(engine, |d: Date, n: INT| d.checked_add_days(n).map_err(rt));
    func("+", add_doc, &["1 + date(2024, 2, 28)  // 2024-02-29"])
        .register_into_engine(engine, |n: INT, d: Date| d.checked_add_days(n).map_err(rt));
    func(
        "-",
        "Subtracts a number of days.",
        &["date(2024, 3, 1) - 1  // 2024-02-29"],
    )
    .register_into_engine(engine, |d: Date, n: INT| {
        let neg = n
            .checked_neg()
            .ok_or_else(|| DateTimeError::new("date out of range"));
        neg.and_then(|n| d.checked_add_days(n)).map_err(rt)
    });
    func(
        "-",
        "The number of days between two dates (an error for infinite dates).",
        &["date(2024, 3, 1) - date(2024, 1, 1)  // 60"],
    )
    .register_into_engine(engine, |a: Date, b: Date| a.days_since(b).map_err(rt));
    func(
        "+",
        "date + interval gives a timestamp, as in PostgreSQL.",
        &["date(2024, 1, 31) + interval(\"1 mon\")  // 2024-02-29 00:00:00"],
    )
    .register_into_engine(engine, |d: Date, i: Interval| {
        d.to_timestamp()
            .and_then(|t| t.checked_add_interval(i))
            .map_err(rt)
    });
    func(
        "-",
        "date - interval gives a timestamp, as in PostgreSQL.",
        &["date(2024, 3, 1) - interval(\"1 hour\")  // 2024-02-29 23:00:00"],
    )
    .register_into_engine(engine, |d: Date, i: Interval| {
        d.to_timestamp()
            .and_then(|t| t.checked_sub_interval(i))
            .map_err(rt)
    });
}

/// `is_finite` / `is_infinite` as both properties and methods.
fn register_finiteness<T: Scripted>(
    engine: &mut Engine,
    name: &str,
    infinite_example: &str,
    finite: fn(&T) -> bool,
) {
    let fin_doc = format!("Whether the {name} is finite (not `infinity` or `-infinity`).");
    let inf_doc = format!("Whether the {name} is `infinity` or `-infinity`.");
    let fin_ex = format!("{infinite_example}.is_finite  // false");
    let inf_ex = format!("{infinite_example}.is_infinite()  // true");
    getter("is_finite", &fin_doc, &[&fin_ex])
        .register_into_engine(engine, move |x: &mut T| finite(x));
    func("is_finite", &fin_doc, &[&fin_ex])
        .register_into_engine(engine, move |x: &mut T| finite(x));
    getter("is_infinite", &inf_doc, &[&inf_ex])
        .register_into_engine(engine, move |x: &mut T| !finite(x));
    func("is_infinite", &inf_doc, &[&inf_ex])
        .register_into_engine(engine, move |x: &mut T| !finite(x));
}

fn float_seconds(s: FLOAT) -> Res<(i64, i64)> {
    let micros = (s * 1e6).round();
    if !(0.0..=60e6).contains(&micros) {
        return Err(DateTimeError::new(format!("second {s} is out of range")));
    }
    // 0..=60e6 converts exactly.
    let micros = micros as i64;
    Ok((micros / USECS_PER_SEC, micros % USECS_PER_SEC))
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

fn register_date_timestamp_comparisons(engine: &mut Engine) {
    type Cmp = fn(std::cmp::Ordering) -> bool;
    let ops: [(&str, Cmp); 6] = [
        ("==", |o| o.is_eq()),
        ("!=", |o| o.is_ne()),
        ("<", |o| o.is_lt()),
        ("<=", |o| o.is_le()),
        (">", |o| o.is_gt()),
        (">=", |o| o.is_ge()),
    ];
    for (op, test) in ops {
        func(
            op,
            "Compares a date with a timestamp as SQL does: the date is its midnight.",
            &["date(\"2024-01-01\") == timestamp(\"2024-01-01 00:00\")  // true"],
        )
        .register_into_engine(engine, move |a: Date, b: Timestamp| {
            test(date_key(a).cmp(&timestamp_key(b)))
        });
        func(
            op,
            "Compares a timestamp with a date as SQL does: the date is its midnight.",
            &["timestamp(\"2024-01-01 12:00\") > date(\"2024-01-01\")  // true"],
        )
        .register_into_engine(engine, move |a: Timestamp, b: Date| {
            test(timestamp_key(a).cmp(&date_key(b)))
        });
    }
}

fn register_timestamps(engine: &mut Engine) {
    register_date_timestamp_comparisons(engine);
    let make = "Builds a timestamp like make_timestamp; negative years are BC.";
    func(
        "timestamp",
        make,
        &["timestamp(2024, 2, 29, 13, 45, 0)  // 2024-02-29 13:45:00"],
    )
    .register_into_engine(
        engine,
        |y: INT, mo: INT, d: INT, h: INT, mi: INT, s: INT| {
            Timestamp::from_civil(y, mo, d, h, mi, s, 0).map_err(rt)
        },
    );
    func(
        "timestamp",
        make,
        &["timestamp(2024, 2, 29, 13, 45, 0.5)  // 2024-02-29 13:45:00.5"],
    )
    .register_into_engine(
        engine,
        |y: INT, mo: INT, d: INT, h: INT, mi: INT, s: FLOAT| {
            float_seconds(s)
                .and_then(|(s, us)| Timestamp::from_civil(y, mo, d, h, mi, s, us))
                .map_err(rt)
        },
    );
    func(
        "timestamp",
        "Parses a timestamp in PostgreSQL's output format (a `T` separator and a date alone work too).",
        &[
            "timestamp(\"2024-02-29 13:45:00.5\")  // 2024-02-29 13:45:00.5",
            "timestamp(\"0001-12-31 23:59:59 BC\")  // 0001-12-31 23:59:59 BC",
            "timestamp(\"2024-02-29\")  // 2024-02-29 00:00:00",
        ],
    )
    .register_into_engine(engine, |s: &str| s.parse::<Timestamp>().map_err(rt));
    func(
        "timestamp",
        "Midnight of a date, as `date::timestamp`.",
        &["timestamp(date(2024, 2, 29))  // 2024-02-29 00:00:00"],
    )
    .register_into_engine(engine, |d: Date| d.to_timestamp().map_err(rt));
    func(
        "timestamp",
        "The wall-clock time of a timestamptz in its zone, as `timestamptz::timestamp`.",
        &["timestamp(timestamptz(\"2024-02-29 13:45:00+01\"))  // 2024-02-29 13:45:00"],
    )
    .register_into_engine(engine, |t: TimestampTz| t.local().map_err(rt));

    func(
        "timestamptz",
        "Parses a timestamptz; it is shown at the offset it was written with (UTC if none).",
        &[
            "timestamptz(\"2024-03-10 01:30:00-05\")  // 2024-03-10 01:30:00-05",
            "timestamptz(\"2024-02-29T13:45:00.5+05:30\")  // 2024-02-29 13:45:00.5+05:30",
        ],
    )
    .register_into_engine(engine, |s: &str| s.parse::<TimestampTz>().map_err(rt));
    func(
        "timestamptz",
        "Parses a timestamptz shown in a time zone; text without an offset is wall-clock time there.",
        &["timestamptz(\"2024-07-01 12:00:00\", \"Europe/Paris\")  // 2024-07-01 12:00:00+02"],
    )
    .register_into_engine(engine, |s: &str, zone: &str| {
        zone_by_name(zone)
            .and_then(|z| TimestampTz::parse_in(s, z))
            .map_err(rt)
    });
    func(
        "timestamptz",
        "A wall-clock timestamp read in a time zone, as `timestamp AT TIME ZONE zone`.",
        &["timestamptz(timestamp(\"2024-07-01 12:00:00\"), \"America/New_York\")  // 2024-07-01 12:00:00-04"],
    )
    .register_into_engine(engine, |t: Timestamp, zone: &str| {
        zone_by_name(zone)
            .and_then(|z| TimestampTz::from_local(t, z))
            .map_err(rt)
    });
    func(
        "in_zone",
        "The same instant shown in another time zone: an IANA name, `UTC`, or an offset\nsuch as `+05:30`, which here means east of UTC (ISO 8601, unlike SET TIME ZONE).",
        &["timestamptz(\"2024-07-01 12:00:00Z\").in_zone(\"Asia/Kolkata\")  // 2024-07-01 17:30:00+05:30"],
    )
    .register_into_engine(engine, |t: &mut TimestampTz, zone: &str| {
        zone_by_name(zone).map(|z| t.with_zone(z)).map_err(rt)
    });
    getter(
        "utc_offset",
        "The UTC offset in seconds east at this instant, as EXTRACT(timezone).",
        &["timestamptz(\"2024-07-01 12:00:00\", \"Europe/Paris\").utc_offset  // 7200"],
    )
    .register_into_engine(engine, |t: &mut TimestampTz| INT::from(t.utc_offset()));
    getter(
        "zone",
        "The name of the time zone the timestamptz is shown in.",
        &["timestamptz(\"2024-07-01 12:00:00\", \"Europe/Paris\").zone  // \"Europe/Paris\""],
    )
    .register_into_engine(engine, |t: &mut TimestampTz| zone_name(&t.zone));
    register_finiteness(
        engine,
        "timestamp",
        "timestamp(\"infinity\")",
        |t: &Timestamp| t.is_finite(),
    );
    register_finiteness(
        engine,
        "timestamptz",
        "timestamptz(\"-infinity\")",
        |t: &TimestampTz| t.is_finite(),
    );

    func(
        "+",
        "Adds an interval as PostgreSQL does: months first (clamped to the month's end), then days, then time.",
        &["timestamp(\"2024-01-31 10:00:00\") + interval(\"1 mon 1 day 1 hour\")  // 2024-03-01 11:00:00"],
    )
    .register_into_engine(engine, |t: Timestamp, i: Interval| {
        t.checked_add_interval(i).map_err(rt)
    });
    func(
        "+",
        "Adds an interval to a timestamp.",
        &["interval(\"1 day\") + timestamp(\"2024-02-28 12:00:00\")  // 2024-02-29 12:00:00"],
    )
    .register_into_engine(engine, |i: Interval, t: Timestamp| {
        t.checked_add_interval(i).map_err(rt)
    });
    func(
        "-",
        "Subtracts an interval.",
        &["timestamp(\"2024-03-31 00:00:00\") - interval(\"1 mon\")  // 2024-02-29 00:00:00"],
    )
    .register_into_engine(engine, |t: Timestamp, i: Interval| {
        t.checked_sub_interval(i).map_err(rt)
    });
    func(
        "-",
        "The difference as an interval of days and time (no months), as PostgreSQL gives it.",
        &["timestamp(\"2024-03-01 00:00:00\") - timestamp(\"2024-01-01 01:00:00\")  // 59 days 23:00:00"],
    )
    .register_into_engine(engine, |a: Timestamp, b: Timestamp| a.checked_sub(b).map_err(rt));
    func(
        "+",
        "Adds an interval; months and days move the wall-clock time in the zone, so a day across a DST change can be 23 or 25 hours.",
        &["timestamptz(\"2024-03-09 12:00:00\", \"America/New_York\") + interval(\"1 day\")  // 2024-03-10 12:00:00-04"],
    )
    .register_into_engine(engine, |t: TimestampTz, i: Interval| {
        t.checked_add_interval(i).map_err(rt)
    });
    func(
        "+",
        "Adds an interval to a timestamptz.",
        &["interval(\"24 hours\") + timestamptz(\"2024-03-09 12:00:00\", \"America/New_York\")  // 2024-03-10 13:00:00-04"],
    )
    .register_into_engine(engine, |i: Interval, t: TimestampTz| {
        t.checked_add_interval(i).map_err(rt)
    });
    func(
        "-",
        "Subtracts an interval from a timestamptz.",
        &["timestamptz(\"2024-03-01 00:00:00Z\") - interval(\"1 mon\")  // 2024-02-01 00:00:00+00"],
    )
    .register_into_engine(engine, |t: TimestampTz, i: Interval| {
        t.checked_sub_interval(i).map_err(rt)
    });
    func(
        "-",
        "The time between two instants, as days and time.",
        &["timestamptz(\"2024-03-01 00:00:00Z\") - timestamptz(\"2024-02-29 23:00:00-02\")  // -01:00:00"],
    )
    .register_into_engine(engine, |a: TimestampTz, b: TimestampTz| {
        a.checked_sub(&b).map_err(rt)
    });
}

/// Timestamps read through their wall-clock fields (timestamptz: in its zone).
trait Wall: Scripted {
    fn wall(&self) -> Res<Timestamp>;
    fn epoch_seconds(&self) -> f64;
}

impl Wall for Timestamp {
    fn wall(&self) -> Res<Timestamp> {
        Ok(*self)
    }
    fn epoch_seconds(&self) -> f64 {
        self.epoch()
    }
}

impl Wall for TimestampTz {
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

fn register_wall_getters<T: Wall>(engine: &mut Engine) {
    let (name, ex) = (T::NAME, T::EXAMPLE);
    let line = |prop: &str, result: &str| format!("{ex}.{prop}  // {result}");
    getter(
        "year",
        "The year; BC years are negative as in EXTRACT(year) (44 BC is -44).",
        &[&line("year", "2024")],
    )
    .register_into_engine(engine, |x: &mut T| {
        wall_civil(x, "year").map(|c| pg_year(c.ymd.year))
    });
    getter("month", "The month, 1 to 12.", &[&line("month", "2")])
        .register_into_engine(engine, |x: &mut T| {
            wall_civil(x, "month").map(|c| INT::from(c.ymd.month))
        });
    getter("day", "The day of the month.", &[&line("day", "29")])
        .register_into_engine(engine, |x: &mut T| {
            wall_civil(x, "day").map(|c| INT::from(c.ymd.day))
        });
    getter("hour", "The hour, 0 to 23.", &[&line("hour", "13")])
        .register_into_engine(engine, |x: &mut T| {
            wall_civil(x, "hour").map(|c| c.tod / USECS_PER_HOUR)
        });
    getter("minute", "The minute, 0 to 59.", &[&line("minute", "45")])
        .register_into_engine(engine, |x: &mut T| {
            wall_civil(x, "minute").map(|c| c.tod / USECS_PER_MINUTE % 60)
        });
    getter(
        "second",
        "The seconds with their fraction, as a float (EXTRACT(second)).",
        &[&line("second", "30.5")],
    )
    .register_into_engine(engine, |x: &mut T| {
        wall_civil(x, "second").map(|c| micros_as_seconds(i128::from(c.tod % USECS_PER_MINUTE)))
    });
    getter(
        "microsecond",
        "The fraction of the second in microseconds, 0 to 999999 (unlike EXTRACT(microseconds), whole seconds are not included).",
        &[&line("microsecond", "500000")],
    )
    .register_into_engine(engine, |x: &mut T| {
        wall_civil(x, "microsecond").map(|c| c.tod % USECS_PER_SEC)
    });
    getter(
        "dow",
        "The day of the week, 0 = Sunday to 6 = Saturday, as EXTRACT(dow).",
        &[&line("dow", "4")],
    )
    .register_into_engine(engine, |x: &mut T| {
        wall_civil(x, "dow").map(|c| dow_of_days(c.days))
    });
    getter(
        "doy",
        "The day of the year, 1 to 366.",
        &[&line("doy", "60")],
    )
    .register_into_engine(engine, |x: &mut T| {
        wall_civil(x, "doy").map(|c| doy_of(c.ymd, c.days))
    });
    getter(
        "date",
        &format!("The calendar day of the {name} (infinite stays infinite)."),
        &[&line("date", "2024-02-29")],
    )
    .register_into_engine(engine, |x: &mut T| x.wall().map(|w| w.date()).map_err(rt));
    getter(
        "time",
        &format!("The time of day of the {name}."),
        &[&line("time", "13:45:30.5")],
    )
    .register_into_engine(engine, |x: &mut T| {
        wall_civil(x, "time").map(|c| Time(c.tod))
    });
    let epoch_result = if name == "timestamp" {
        "1709214330.5"
    } else {
        "1709210730.5"
    };
    getter(
        "epoch",
        if name == "timestamp" {
            "Nominal seconds since 1970-01-01 00:00:00 as a float, as EXTRACT(epoch) (±infinity if infinite)."
        } else {
            "Seconds since 1970-01-01 00:00:00 UTC as a float, as EXTRACT(epoch) (±infinity if infinite)."
        },
        &[&line("epoch", epoch_result)],
    )
    .register_into_engine(engine, |x: &mut T| x.epoch_seconds());
}

/// Times of day read through their clock fields.
trait Clock: Scripted {
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

fn register_clock_getters<T: Clock>(engine: &mut Engine) {
    let ex = T::EXAMPLE;
    let line = |prop: &str, result: &str| format!("{ex}.{prop}  // {result}");
    getter("hour", "The hour, 0 to 24.", &[&line("hour", "13")])
        .register_into_engine(engine, |x: &mut T| x.tod() / USECS_PER_HOUR);
    getter("minute", "The minute, 0 to 59.", &[&line("minute", "45")])
        .register_into_engine(engine, |x: &mut T| x.tod() / USECS_PER_MINUTE % 60);
    let second = if T::NAME == "time" { "0.25" } else { "0.0" };
    getter(
        "second",
        "The seconds with their fraction, as a float.",
        &[&line("second", second)],
    )
    .register_into_engine(engine, |x: &mut T| {
        micros_as_seconds(i128::from(x.tod() % USECS_PER_MINUTE))
    });
    let epoch = if T::NAME == "time" {
        "49500.25"
    } else {
        "29700.0"
    };
    getter(
        "epoch",
        "Seconds since midnight as a float, as EXTRACT(epoch) (a timetz counts them in UTC).",
        &[&line("epoch", epoch)],
    )
    .register_into_engine(engine, |x: &mut T| {
        micros_as_seconds(i128::from(x.tod()) - i128::from(x.offset()) * i128::from(USECS_PER_SEC))
    });
    let micro = if T::NAME == "time" { "250000" } else { "0" };
    getter(
        "microsecond",
        "The fraction of the second in microseconds, 0 to 999999.",
        &[&line("microsecond", micro)],
    )
    .register_into_engine(engine, |x: &mut T| x.tod() % USECS_PER_SEC);
}

fn register_times(engine: &mut Engine) {
    func(
        "time",
        "Builds a time of day (24:00:00 is allowed, as in PostgreSQL).",
        &["time(13, 45, 0)  // 13:45:00"],
    )
    .register_into_engine(engine, |h: INT, m: INT, s: INT| {
        Time::from_hms_micro(h, m, s, 0).map_err(rt)
    });
    func(
        "time",
        "Builds a time of day with fractional seconds.",
        &["time(13, 45, 0.25)  // 13:45:00.25"],
    )
    .register_into_engine(engine, |h: INT, m: INT, s: FLOAT| {
        float_seconds(s)
            .and_then(|(s, us)| Time::from_hms_micro(h, m, s, us))
            .map_err(rt)
    });
    func(
        "time",
        "Parses a time of day (`HH:MM[:SS[.ffffff]]`).",
        &["time(\"13:45:00.25\")  // 13:45:00.25"],
    )
    .register_into_engine(engine, |s: &str| s.parse::<Time>().map_err(rt));
    func(
        "time",
        "The time of day of a timestamp.",
        &["time(timestamp(\"2024-02-29 13:45:00\"))  // 13:45:00"],
    )
    .register_into_engine(engine, |t: Timestamp| {
        t.time()
            .ok_or_else(|| infinite_error("timestamp", t, "time"))
    });
    func(
        "timetz",
        "Parses a time of day with a UTC offset (UTC if none).",
        &["timetz(\"13:45:00+05:30\")  // 13:45:00+05:30"],
    )
    .register_into_engine(engine, |s: &str| s.parse::<TimeTz>().map_err(rt));
    getter(
        "utc_offset",
        "The UTC offset in seconds east, as EXTRACT(timezone).",
        &["timetz(\"13:45:00+05:30\").utc_offset  // 19800"],
    )
    .register_into_engine(engine, |t: &mut TimeTz| INT::from(t.offset_secs));
    func(
        "+",
        "Adds the time part of an interval, wrapping around midnight.",
        &["time(\"23:00:00\") + interval(\"2 hours\")  // 01:00:00"],
    )
    .register_into_engine(engine, |t: Time, i: Interval| {
        t.checked_add_interval(i).map_err(rt)
    });
    func(
        "-",
        "Subtracts the time part of an interval, wrapping around midnight.",
        &["time(\"01:00:00\") - interval(\"2 hours\")  // 23:00:00"],
    )
    .register_into_engine(engine, |t: Time, i: Interval| {
        t.checked_sub_interval(i).map_err(rt)
    });
    func(
        "-",
        "The difference between two times as an interval.",
        &["time(\"10:00:00\") - time(\"12:30:00\")  // -02:30:00"],
    )
    .register_into_engine(engine, |a: Time, b: Time| a.since(b));
}

fn register_interval(engine: &mut Engine) {
    func(
        "interval",
        "Parses an interval: psql's output (`1 year 2 mons 3 days 04:05:06`, `-1 days +02:00:00`), units such as `1.5 hours`, `10ms`, `2 weeks ago`, or ISO 8601 (`P1DT2H`).",
        &[
            "interval(\"1 day 02:00:00\")  // 1 day 02:00:00",
            "interval(\"90 minutes\")  // 01:30:00",
            "interval(\"P1Y2M3DT4H5M6.5S\")  // 1 year 2 mons 3 days 04:05:06.5",
        ],
    )
    .register_into_engine(engine, |s: &str| s.parse::<Interval>().map_err(rt));
    func(
        "interval",
        "Builds an interval from named parts like make_interval: years, months, weeks, days, hours, minutes, seconds (may be a float), micros.",
        &["interval(#{days: 1, hours: 2})  // 1 day 02:00:00"],
    )
    .register_into_engine(engine, |m: Map| interval_from_map(&m).map_err(rt));

    let finite = |i: &Interval, prop: &str| {
        if i.is_finite() {
            Ok(i.parts())
        } else {
            Err(infinite_error("interval", i, prop))
        }
    };
    let ex = "interval(\"1 year 2 mons 3 days 04:05:06.5\")";
    let line = |prop: &str, result: &str| format!("{ex}.{prop}  // {result}");
    getter(
        "years",
        "Whole years of the months field, as EXTRACT(year).",
        &[&line("years", "1")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "years").map(|p| p.year)
    });
    getter(
        "months",
        "The months field as stored (years included); `month` is EXTRACT(month).",
        &[&line("months", "14")],
    )
    .register_into_engine(engine, |i: &mut Interval| INT::from(i.months));
    // The singular names are EXTRACT's fields, as for the other date/time types.
    getter(
        "year",
        "The years, as EXTRACT(year): whole years of the months field.",
        &[&line("year", "1")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "year").map(|p| p.year)
    });
    getter(
        "month",
        "The months beyond whole years, as EXTRACT(month) (0 to 11, negative for negative intervals).",
        &[&line("month", "2")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "month").map(|p| p.mon)
    });
    getter(
        "day",
        "The days field, as EXTRACT(day).",
        &[&line("day", "3")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "day").map(|p| p.mday)
    });
    getter(
        "hour",
        "Whole hours of the time part, as EXTRACT(hour) (may exceed 23).",
        &[&line("hour", "4")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "hour").map(|p| p.hour)
    });
    getter(
        "minute",
        "Minutes within the hour, as EXTRACT(minute).",
        &[&line("minute", "5")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "minute").map(|p| p.min)
    });
    getter(
        "second",
        "Seconds within the minute with their fraction, as a float (EXTRACT(second)).",
        &[&line("second", "6.5")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "second").map(|p| {
            micros_as_seconds(i128::from(p.sec) * i128::from(USECS_PER_SEC) + i128::from(p.fsec))
        })
    });
    getter(
        "microsecond",
        "The fraction of the second in microseconds, as for the other types (EXTRACT(microseconds) also counts the whole seconds).",
        &[&line("microsecond", "500000")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "microsecond").map(|p| p.fsec)
    });
    getter("days", "The days field as stored.", &[&line("days", "3")])
        .register_into_engine(engine, |i: &mut Interval| INT::from(i.days));
    getter(
        "hours",
        "Whole hours of the time part, as EXTRACT(hour) (may exceed 23).",
        &[&line("hours", "4"), "interval(\"30:00:00\").hours  // 30"],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "hours").map(|p| p.hour)
    });
    getter(
        "minutes",
        "Minutes within the hour, as EXTRACT(minute).",
        &[&line("minutes", "5")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "minutes").map(|p| p.min)
    });
    getter(
        "seconds",
        "Seconds within the minute with their fraction, as a float (EXTRACT(second)).",
        &[&line("seconds", "6.5")],
    )
    .register_into_engine(engine, move |i: &mut Interval| {
        finite(i, "seconds").map(|p| {
            micros_as_seconds(i128::from(p.sec) * i128::from(USECS_PER_SEC) + i128::from(p.fsec))
        })
    });
    getter(
        "micros",
        "The time part as stored, in microseconds.",
        &[&line("micros", "14706500000")],
    )
    .register_into_engine(engine, |i: &mut Interval| i.micros);
    getter(
        "epoch",
        "Total seconds as a float, as EXTRACT(epoch): a year counts 365.25 days, other months 30 days.",
        &[&line("epoch", "37015506.5")],
    )
    .register_into_engine(engine, |i: &mut Interval| i.epoch());
    register_finiteness(
        engine,
        "interval",
        "interval(\"infinity\")",
        |i: &Interval| i.is_finite(),
    );

    func(
        "+",
        "Adds two intervals field by field.",
        &["interval(\"1 mon\") + interval(\"-1 day\")  // 1 mon -1 days"],
    )
    .register_into_engine(engine, |a: Interval, b: Interval| {
        a.checked_add(b).map_err(rt)
    });
    func(
        "-",
        "Subtracts two intervals field by field.",
        &["interval(\"1 day\") - interval(\"2 hours\")  // 1 day -02:00:00"],
    )
    .register_into_engine(engine, |a: Interval, b: Interval| {
        a.checked_sub(b).map_err(rt)
    });
    func(
        "-",
        "Negates an interval.",
        &["-interval(\"1 day 02:00:00\")  // -1 days -02:00:00"],
    )
    .register_into_engine(engine, |a: Interval| a.checked_neg().map_err(rt));
    func(
        "*",
        "Multiplies each field by an integer.",
        &["interval(\"1 day 02:00:00\") * 3  // 3 days 06:00:00"],
    )
    .register_into_engine(engine, |a: Interval, n: INT| a.checked_mul(n).map_err(rt));
    func(
        "*",
        "Multiplies each field by an integer.",
        &["2 * interval(\"1 mon\")  // 2 mons"],
    )
    .register_into_engine(engine, |n: INT, a: Interval| a.checked_mul(n).map_err(rt));
    func(
        "*",
        "Multiplies by a float as PostgreSQL does: fractions of months and days cascade down.",
        &["interval(\"1 mon\") * 1.5  // 1 mon 15 days"],
    )
    .register_into_engine(engine, |a: Interval, f: FLOAT| {
        a.checked_scale(f, false).map_err(rt)
    });
    func(
        "*",
        "Multiplies by a float as PostgreSQL does: fractions of months and days cascade down.",
        &["0.5 * interval(\"1 day\")  // 12:00:00"],
    )
    .register_into_engine(engine, |f: FLOAT, a: Interval| {
        a.checked_scale(f, false).map_err(rt)
    });
    func(
        "/",
        "Divides as PostgreSQL does: fractions of months and days cascade down.",
        &[
            "interval(\"1 day\") / 2  // 12:00:00",
            "interval(\"1 mon\") / 4  // 7 days 12:00:00",
        ],
    )
    .register_into_engine(engine, |a: Interval, n: INT| {
        a.checked_scale(n as FLOAT, true).map_err(rt)
    });
    func(
        "/",
        "Divides by a float as PostgreSQL does: fractions of months and days cascade down.",
        &["interval(\"1 hour\") / 1.5  // 00:40:00"],
    )
    .register_into_engine(engine, |a: Interval, f: FLOAT| {
        a.checked_scale(f, true).map_err(rt)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        let mut engine = Engine::new();
        register(&mut engine);
        engine
    }

    fn eval<T: Clone + 'static>(script: &str) -> T {
        match engine().eval::<T>(script) {
            Ok(v) => v,
            Err(e) => panic!("{script}: {e}"),
        }
    }

    fn eval_err(script: &str) -> String {
        match engine().eval::<rhai::Dynamic>(script) {
            Ok(v) => panic!("{script} gave {v}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn intervals_times_infinity_as_postgresql_17() {
        let e = |x: &str| eval::<String>(&format!("`${{{x}}}`"));
        assert_eq!(e(r#"interval("1 day") * (1.0/0.0)"#), "infinity");
        assert_eq!(e(r#"interval("-1 day") * (1.0/0.0)"#), "-infinity");
        assert_eq!(e(r#"interval("1 day") * (-1.0/0.0)"#), "-infinity");
        assert_eq!(e(r#"interval("1 day") / (1.0/0.0)"#), "00:00:00");
        assert!(eval_err(r#"interval("0") * (1.0/0.0)"#).contains("out of range"));
    }

    #[test]
    fn rhai_dates() {
        assert!(eval::<bool>(
            r#"let d = date(2024, 2, 29); d.year == 2024 && d.to_string() == "2024-02-29""#
        ));
        assert_eq!(eval::<String>(r#"type_of(date("2024-02-29"))"#), "date");
        assert_eq!(eval::<String>(r#"`${date(-44, 3, 15)}`"#), "0044-03-15 BC");
        assert_eq!(
            eval::<String>(r#""d=" + date(2024, 2, 29)"#),
            "d=2024-02-29"
        );
        assert_eq!(
            eval::<String>(r#"(date(2024, 1, 31) + interval("1 mon")).to_string()"#),
            "2024-02-29 00:00:00"
        );
        assert_eq!(eval::<INT>(r#"date(2024, 3, 1) - date(2024, 1, 1)"#), 60);
        assert!(eval::<bool>(
            r#"let d = date(2024, 2, 28); d += 1; d == date("2024-02-29")"#
        ));
        assert!(eval::<bool>(
            r#"date("infinity") > date(2024, 1, 1) && date("-infinity") < date(-4713, 11, 24)"#
        ));
        assert!(eval::<bool>(
            r#"date("infinity").is_infinite && !date("infinity").is_finite() && date(2024, 1, 1).is_finite"#
        ));
        assert_eq!(eval::<FLOAT>(r#"date("infinity").epoch"#), f64::INFINITY);
        assert_eq!(
            eval::<String>(r#"debug(date(2024, 2, 29)); date(2024, 2, 29).to_debug()"#),
            "date(\"2024-02-29\")"
        );
        assert_eq!(
            eval::<String>(r#"date(2024, 2, 29).to_iso8601()"#),
            "2024-02-29"
        );
        let err = eval_err(r#"date("2024-02-30")"#);
        assert!(
            err.contains("2024-02-30") && err.contains("day 30"),
            "{err}"
        );
        assert!(eval_err("date(2023, 2, 29)").contains("day 29"));
        assert!(eval_err(r#"date("infinity").year"#).contains("infinite"));
        assert!(eval_err("date(5874897, 12, 31) + 1").contains("out of range"));
    }

    #[test]
    fn rhai_timestamps() {
        assert_eq!(
            eval::<String>(r#"timestamp(2024, 2, 29, 13, 45, 0.5).to_string()"#),
            "2024-02-29 13:45:00.5"
        );
        assert_eq!(
            eval::<FLOAT>(r#"timestamp("2024-02-29 13:45:30.25").second"#),
            30.25
        );
        assert_eq!(
            eval::<INT>(r#"timestamp("2024-02-29 13:45:30.25").microsecond"#),
            250_000
        );
        assert_eq!(
            eval::<INT>(r#"timestamp("0001-12-31 23:59:59 BC").year"#),
            -1
        );
        assert_eq!(
            eval::<String>(
                r#"(timestamp("2024-03-01") - timestamp("2024-01-01 01:00")).to_string()"#
            ),
            "59 days 23:00:00"
        );
        assert_eq!(
            eval::<String>(r#"timestamp("2024-02-29 13:45:00").date.to_string()"#),
            "2024-02-29"
        );
        assert_eq!(
            eval::<String>(r#"timestamp("2024-02-29 13:45:00.5").to_iso8601()"#),
            "2024-02-29T13:45:00.5"
        );
        assert!(eval::<bool>(
            r#"timestamp("2024-01-01") < timestamp("infinity")"#
        ));
        assert!(eval_err(r#"timestamp("2024-02-29 25:00")"#).contains("hour 25"));
        assert!(eval_err(r#"timestamp("infinity").hour"#).contains("infinite"));
        assert!(
            eval_err(r#"timestamp("infinity") - timestamp("2024-01-01")"#).contains("infinite")
        );
        assert!(eval_err("timestamp(2024, 2, 29, 13, 45, 61.0)").contains("second"));
    }

    #[test]
    fn rhai_timestamptz() {
        let script = r#"let t = timestamptz("2024-03-09 12:00:00", "America/New_York");
            let u = t + interval("1 day");
            [u.to_string(), u.utc_offset, u.hour, u.zone, (u - t).to_string(), u.to_iso8601()]"#;
        let out: rhai::Array = eval(script);
        let out: Vec<String> = out.iter().map(|v| v.to_string()).collect();
        assert_eq!(
            out,
            [
                "2024-03-10 12:00:00-04",
                "-14400",
                "12",
                "America/New_York",
                "23:00:00",
                "2024-03-10T12:00:00-04:00"
            ]
        );
        assert!(eval::<bool>(
            r#"timestamptz("2024-07-01 14:00:00+02") == timestamptz("2024-07-01 12:00:00Z")"#
        ));
        assert_eq!(
            eval::<String>(r#"timestamptz("2024-07-01 12:00:00Z").in_zone("+05:30").to_string()"#),
            "2024-07-01 17:30:00+05:30"
        );
        assert!(
            eval_err(r#"timestamptz("2024-07-01 12:00", "Nowhere/Land")"#).contains("Nowhere/Land")
        );
    }

    #[test]
    fn rhai_times_and_intervals() {
        assert_eq!(
            eval::<String>(r#"time(13, 45, 0.25).to_string()"#),
            "13:45:00.25"
        );
        assert_eq!(
            eval::<INT>(r#"timetz("13:45:00+05:30").utc_offset"#),
            19_800
        );
        assert_eq!(
            eval::<String>(r#"interval(#{days: 1, hours: 2}).to_string()"#),
            "1 day 02:00:00"
        );
        assert_eq!(
            eval::<String>(
                r#"interval(#{years: 1, months: 2, weeks: 1, minutes: 5, seconds: 6.5, micros: 1}).to_string()"#
            ),
            "1 year 2 mons 7 days 00:05:06.500001"
        );
        assert_eq!(
            eval::<String>(r#"interval("-1 day 2 hours").to_string()"#),
            "-1 days +02:00:00"
        );
        assert_eq!(
            eval::<String>(r#"(-interval("1 day") * 2).to_iso8601()"#),
            "P-2D"
        );
        assert!(eval::<bool>(
            r#"interval("1 mon") == interval("30 days") && interval("1 day") < interval("25 hours")"#
        ));
        assert_eq!(eval::<FLOAT>(r#"interval("1 year").epoch"#), 31_557_600.0);
        assert!(eval_err(r#"interval(#{fortnights: 1})"#).contains("fortnights"));
        assert!(eval_err(r#"interval(#{days: 1.5})"#).contains("integer"));
        assert!(eval_err(r#"interval("1 parsec")"#).contains("parsec"));
        assert!(eval_err(r#"interval("infinity").hours"#).contains("infinite"));
    }

    /// Every registered function carries a doc, and every example line
    /// `expression  // result` in those docs evaluates to what it claims.
    #[test]
    fn rhai_docs_are_present_and_true() {
        let engine = engine();
        let json = engine.gen_fn_metadata_to_json(false).expect("metadata");
        let functions = json.matches("\"signature\":").count();
        assert!(functions > 100, "{functions}");
        assert_eq!(json.matches("\"docComments\":").count(), functions);
        let mut checked = 0;
        for block in json.split("```rhai\\n").skip(1) {
            let body = block.split("\\n/// ```").next().unwrap_or_default();
            for line in body.split("\\n") {
                let line = line.trim_start_matches("/// ").replace("\\\"", "\"");
                let (expr, expected) = line.split_once("  // ").unwrap_or((&line, ""));
                let script = format!(
                    "let v = {expr}; if type_of(v) == \"string\" {{ \"\\\"\" + v + \"\\\"\" }} else {{ v.to_string() }}"
                );
                let got = engine
                    .eval::<String>(&script)
                    .unwrap_or_else(|e| panic!("{expr}: {e}"));
                if !expected.is_empty() {
                    assert_eq!(got, expected, "{expr}");
                }
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
