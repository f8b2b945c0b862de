//! The date/time functions as scripts use them (their documented examples are run by `script::docs`).

use super::*;
use rhai::{Engine, FLOAT, INT};

fn engine() -> Engine {
    let mut engine = Engine::new();
    for m in [
        date_module(),
        timestamp_module(),
        time_module(),
        interval_module(),
    ] {
        engine.register_global_module(m.into());
    }
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
        eval::<String>(r#"(timestamp("2024-03-01") - timestamp("2024-01-01 01:00")).to_string()"#),
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
    assert!(eval_err(r#"timestamp("infinity") - timestamp("2024-01-01")"#).contains("infinite"));
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
