//! Calendar arithmetic and the date type against PostgreSQL 15's output.

use super::*;

// Expected values below were produced by PostgreSQL 15 (psql, DateStyle ISO, MDY).

/// (date as days since 2000-01-01, psql text)
const DATES: &[(i32, &str)] = &[
    (8825, "2024-02-29"),
    (-10957, "1970-01-01"),
    (60, "2000-03-01"),
    (0, "2000-01-01"),
    (-1, "1999-12-31"),
    (-730119, "0001-01-01"),
    (-730120, "0001-12-31 BC"),
    (-746117, "0044-03-15 BC"),
    (-2451545, "4714-11-24 BC"),
    (2145031948, "5874897-12-31"),
    (-36466, "1900-02-28"),
    (-36465, "1900-03-01"),
    (36889, "2100-12-31"),
    (2921940, "10000-01-01"),
    (-584329, "0400-02-29"),
    (-731887, "0005-02-29 BC"),
    (2147483647, "infinity"),
    (-2147483648, "-infinity"),
    (-152389, "1582-10-10"),
    (13898, "2038-01-19"),
];

#[test]
fn calendar_known_days() {
    let cases = [
        (1970, 1, 1, -10_957),
        (2000, 1, 1, 0),
        (2000, 3, 1, 60),
        (2000, 2, 29, 59),
        (1, 1, 1, -730_119),
        (0, 12, 31, -730_120),
        (-4713, 11, 24, DATE_MIN as i64),
        (5_874_897, 12, 31, i64::from(DATE_END) - 1),
    ];
    for (y, m, d, days) in cases {
        assert_eq!(days_from_ymd(y, m, d), Some(days), "{y}-{m}-{d}");
        let back = ymd_from_days(i32::try_from(days).unwrap());
        assert_eq!((back.year, back.month, back.day), (y, m, d));
    }
    assert!(is_leap(2000) && is_leap(2024) && is_leap(0) && is_leap(-4));
    assert!(!is_leap(1900) && !is_leap(2023) && !is_leap(-1) && !is_leap(2100));
    assert_eq!(days_in_month(2024, 2), 29);
    assert_eq!(days_in_month(1900, 2), 28);
    assert_eq!(days_from_ymd(200_000_000, 1, 1), None);
}

#[test]
fn calendar_is_continuous() {
    let starts = [DATE_MIN, -800_000, -1_000, 0, 1_000_000, DATE_END - 800];
    for start in starts {
        let mut prev = ymd_from_days(start);
        for days in start + 1..start + 800 {
            let cur = ymd_from_days(days);
            assert_eq!(
                days_from_ymd(cur.year, cur.month, cur.day),
                Some(i64::from(days))
            );
            let next_day = prev.day < days_in_month(prev.year, prev.month);
            if next_day {
                assert_eq!(
                    (cur.year, cur.month, cur.day),
                    (prev.year, prev.month, prev.day + 1)
                );
            } else {
                assert_eq!(cur.day, 1);
            }
            prev = cur;
        }
    }
    let mut days = DATE_MIN;
    while days < DATE_END {
        let ymd = ymd_from_days(days);
        assert_eq!(
            days_from_ymd(ymd.year, ymd.month, ymd.day),
            Some(i64::from(days))
        );
        days += 9_973;
    }
}

#[test]
fn dates_match_psql_and_round_trip() {
    for &(days, text) in DATES {
        let d = Date(days);
        assert_eq!(d.to_string(), text);
        assert_eq!(d.to_iso8601(), text);
        assert_eq!(text.parse::<Date>(), Ok(d), "{text}");
    }
    let mut days = DATE_MIN;
    while days < DATE_END {
        let d = Date(days);
        assert_eq!(d.to_string().parse::<Date>(), Ok(d));
        days += 104_729;
    }
    assert_eq!(format!("{:>12}|", Date(0)), "  2000-01-01|");
}

#[test]
fn date_input_errors() {
    for (text, why) in [
        ("2023-02-29", "day 29 is out of range"),
        ("2024-13-01", "month 13"),
        ("0000-01-01", "no year 0"),
        ("4714-11-23 BC", "out of range"),
        ("5874898-01-01", "out of range"),
        ("2024-02-29 12:00", "unexpected"),
        ("yesterday", "expected YYYY-MM-DD"),
        ("", "empty"),
    ] {
        let err = text.parse::<Date>().expect_err(text).to_string();
        assert!(err.contains(why) && err.contains(text), "{text}: {err}");
    }
    assert_eq!(" Epoch ".parse::<Date>(), Ok(Date(UNIX_EPOCH_DAYS)));
    assert_eq!("0044-03-15 bc".parse::<Date>(), Ok(Date(-746_117)));
    assert_eq!("2024-2-9 AD".parse::<Date>(), "2024-02-09".parse::<Date>());
}
