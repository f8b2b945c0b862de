//! The interval type against PostgreSQL 15's output: text in and out, infinities, arithmetic.

use super::*;

// Expected values below were produced by PostgreSQL 15 (psql, DateStyle ISO, MDY).

/// (months, days, µs, IntervalStyle postgres, IntervalStyle iso_8601, EXTRACT(epoch))
const INTERVALS: &[(i32, i32, i64, &str, &str, &str)] = &[
    (
        14,
        3,
        14706500000,
        "1 year 2 mons 3 days 04:05:06.5",
        "P1Y2M3DT4H5M6.5S",
        "37015506.500000",
    ),
    (
        0,
        -1,
        7200000000,
        "-1 days +02:00:00",
        "P-1DT2H",
        "-79200.000000",
    ),
    (0, 0, 0, "00:00:00", "PT0S", "0.000000"),
    (0, 1, 0, "1 day", "P1D", "86400.000000"),
    (0, 0, -1000000, "-00:00:01", "PT-1S", "-1.000000"),
    (3, 0, 0, "3 mons", "P3M", "7776000.000000"),
    (-14, 0, 0, "-1 years -2 mons", "P-1Y-2M", "-36741600.000000"),
    (-1, 2, 0, "-1 mons +2 days", "P-1M2D", "-2419200.000000"),
    (
        0,
        1,
        -7200000000,
        "1 day -02:00:00",
        "P1DT-2H",
        "79200.000000",
    ),
    (
        -1,
        0,
        -7200000000,
        "-1 mons -02:00:00",
        "P-1MT-2H",
        "-2599200.000000",
    ),
    (0, 0, 108000000000, "30:00:00", "PT30H", "108000.000000"),
    (0, 0, -1500000, "-00:00:01.5", "PT-1.5S", "-1.500000"),
    (11, 0, 0, "11 mons", "P11M", "28512000.000000"),
    (
        -27,
        -4,
        -18367000008,
        "-2 years -3 mons -4 days -05:06:07.000008",
        "P-2Y-3M-4DT-5H-6M-7.000008S",
        "-71255167.000008",
    ),
    (
        1,
        -1,
        3600000000,
        "1 mon -1 days +01:00:00",
        "P1M-1DT1H",
        "2509200.000000",
    ),
    (12, 0, 0, "1 year", "P1Y", "31557600.000000"),
    (-12, 0, 0, "-1 years", "P-1Y", "-31557600.000000"),
    (1, 0, 0, "1 mon", "P1M", "2592000.000000"),
    (0, 0, 1, "00:00:00.000001", "PT0.000001S", "0.000001"),
    (
        -2147483648,
        0,
        0,
        "-178956970 years -8 mons",
        "P-178956970Y-8M",
        "-5647452497208000.000000",
    ),
    (
        0,
        -2147483648,
        0,
        "-2147483648 days",
        "P-2147483648D",
        "-185542587187200.000000",
    ),
    (
        0,
        0,
        -9223372036854775808,
        "-2562047788:00:54.775808",
        "PT-2562047788H-54.775808S",
        "-9223372036854.775808",
    ),
    (0, 0, -500000, "-00:00:00.5", "PT-0.5S", "-0.500000"),
    (0, 0, 300000000, "00:05:00", "PT5M", "300.000000"),
    (0, 0, 7200250000, "02:00:00.25", "PT2H0.25S", "7200.250000"),
    (0, 1, 500000, "1 day 00:00:00.5", "P1DT0.5S", "86400.500000"),
    (
        0,
        -1,
        -500000,
        "-1 days -00:00:00.5",
        "P-1DT-0.5S",
        "-86400.500000",
    ),
    (
        1,
        1,
        3661000001,
        "1 mon 1 day 01:01:01.000001",
        "P1M1DT1H1M1.000001S",
        "2682061.000001",
    ),
];

/// (input text, months, days, µs) as PostgreSQL parses it.
const INTERVAL_INPUTS: &[(&str, i32, i32, i64)] = &[
    ("1.5 years", 18, 0, 0),
    ("0.1 years", 1, 0, 0),
    ("1.5 mons", 1, 15, 0),
    ("1.5 days", 0, 1, 43200000000),
    ("1.5 weeks", 0, 10, 43200000000),
    ("1 day ago", 0, -1, 0),
    ("1.5 hours", 0, 0, 5400000000),
    ("2 decades", 240, 0, 0),
    ("1 century", 1200, 0, 0),
    ("1 millennium", 12000, 0, 0),
    ("1.7 mons", 1, 21, 0),
    ("0.3 days", 0, 0, 25920000000),
    ("-1.5 mons", -1, -15, 0),
    ("1 mon 1.5 days", 1, 1, 43200000000),
    ("P1Y2M3DT4H5M6.5S", 14, 3, 14706500000),
    ("1:2", 0, 0, 3720000000),
    ("1:2:3.5", 0, 0, 3723500000),
    ("-1 day -02:00", 0, -1, -7200000000),
    ("@ 1 day", 0, 1, 0),
    ("10 ms 5 us", 0, 0, 10005),
    ("5", 0, 0, 5000000),
    ("1:2.5", 0, 0, 62500000),
    ("1 day 1:2.5", 0, 1, 62500000),
    ("1 02:00:00", 0, 1, 7200000000),
    ("2 weeks ago", 0, -14, 0),
    ("-1 days +02:00:00", 0, -1, 7200000000),
    ("1 year 2 mons 3 days 04:05:06.5 ago", -14, -3, -14706500000),
    ("0.5 seconds", 0, 0, 500000),
    ("0.0000005 seconds", 0, 0, 0),
    ("0.0000015 seconds", 0, 0, 1),
    ("1.25 minutes", 0, 0, 75000000),
    ("+2 days", 0, 2, 0),
    ("10ms", 0, 0, 10000),
    ("3h", 0, 0, 10800000000),
    ("1y 2mon", 14, 0, 0),
    ("P-1Y-2M", -14, 0, 0),
    ("PT-1.5S", 0, 0, -1500000),
    ("P1.5Y", 18, 0, 0),
    ("P2W", 0, 14, 0),
    ("P1DT0.5S", 0, 1, 500000),
    ("1 mon 1 day 01:01:01.000001", 1, 1, 3661000001),
    ("100:00:00", 0, 0, 360000000000),
    ("-0.5 years", -6, 0, 0),
    ("0.05 years", 1, 0, 0),
    ("1.0416666666666667 days", 0, 1, 3600000000),
    ("2.5 microseconds", 0, 0, 2),
    ("3.5 microseconds", 0, 0, 3),
];

#[test]
fn intervals_match_psql() {
    for &(months, days, micros, text, iso, epoch) in INTERVALS {
        let i = Interval::new(months, days, micros);
        assert_eq!(i.to_string(), text);
        assert_eq!(i.to_iso8601(), iso);
        assert_eq!(
            text.parse::<Interval>().map(fields),
            Ok((months, days, micros)),
            "{text}"
        );
        assert_eq!(
            iso.parse::<Interval>().map(fields),
            Ok((months, days, micros)),
            "{iso}"
        );
        let expected: f64 = epoch.parse().expect("epoch");
        assert!(
            (i.epoch() - expected).abs() <= expected.abs() * 1e-15,
            "{text}: {}",
            i.epoch()
        );
    }
}

#[test]
fn interval_input_like_postgres() {
    for &(text, months, days, micros) in INTERVAL_INPUTS {
        assert_eq!(
            text.parse::<Interval>().map(fields),
            Ok((months, days, micros)),
            "{text}"
        );
    }
    for (text, why) in [
        ("1 fortnight", "unknown unit"),
        ("2 1 day", "needs a unit"),
        ("1 2", "needs a unit"),
        ("ago 1 day", "must come last"),
        ("1:99", "invalid time field"),
        ("2147483648 days", "out of range"),
        ("P", "nothing after P"),
        ("P1X", "designator"),
        ("", "empty"),
        ("banana", "unexpected"),
    ] {
        let err = text.parse::<Interval>().expect_err(text).to_string();
        assert!(err.contains(why) && err.contains(text), "{text}: {err}");
    }
}

#[test]
fn interval_infinities_and_comparison() {
    assert_eq!(Interval::INFINITY.to_string(), "infinity");
    assert_eq!(Interval::NEG_INFINITY.to_iso8601(), "-infinity");
    assert!("-infinity"
        .parse::<Interval>()
        .expect("inf")
        .same_fields(&Interval::NEG_INFINITY));
    assert!(!Interval::INFINITY.is_finite() && Interval::ZERO.is_finite());
    assert_eq!(Interval::INFINITY.epoch(), f64::INFINITY);
    assert_eq!(iv("1 mon"), iv("30 days"));
    assert_eq!(iv("1 day"), iv("24 hours"));
    assert!(!iv("1 mon").same_fields(&iv("30 days")));
    assert!(iv("1 mon") < iv("31 days") && iv("-1 day") < iv("00:00:01"));
    assert!(
        Interval::NEG_INFINITY < iv("-178956970 years")
            && iv("178956970 years") < Interval::INFINITY
    );
}

#[test]
fn interval_arithmetic() {
    assert_eq!(
        fields(iv("1 mon").checked_add(iv("-1 day")).expect("add")),
        (1, -1, 0)
    );
    assert_eq!(
        fields(iv("1 day 02:00").checked_mul(3).expect("mul")),
        (0, 3, 6 * USECS_PER_HOUR)
    );
    assert_eq!(fields(iv("1 day").checked_neg().expect("neg")), (0, -1, 0));
    assert_eq!(
        fields(iv("00:00:01").checked_mul(3_000_000_000).expect("big")),
        (0, 0, 3_000_000_000 * USECS_PER_SEC)
    );
    assert!(iv("1 day").checked_mul(3_000_000_000).is_err());
    assert!(Interval::new(i32::MIN, 0, 0).checked_neg().is_err());
    assert!(iv("2147483647 days").checked_add(iv("1 day")).is_err());
    assert!(Interval::INFINITY
        .checked_add(Interval::NEG_INFINITY)
        .is_err());
    assert!(Interval::INFINITY
        .checked_add(iv("1 day"))
        .expect("inf")
        .same_fields(&Interval::INFINITY));
    assert!(Interval::INFINITY
        .checked_mul(-2)
        .expect("neg")
        .same_fields(&Interval::NEG_INFINITY));
    assert!(Interval::INFINITY.checked_mul(0).is_err());
}
