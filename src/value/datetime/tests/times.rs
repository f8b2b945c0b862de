//! time and timetz, date and time arithmetic, and field accessors against PostgreSQL 15's output.

use super::*;

// Expected values below were produced by PostgreSQL 15 (psql, DateStyle ISO, MDY).

#[test]
fn time_and_timetz() {
    assert_eq!(Time(0).to_string(), "00:00:00");
    assert_eq!(Time(USECS_PER_DAY).to_string(), "24:00:00");
    assert_eq!(Time(49_500_250_000).to_string(), "13:45:00.25");
    for text in [
        "00:00:00",
        "24:00:00",
        "13:45:00.25",
        "23:59:59.999999",
        "00:00:00.000001",
    ] {
        assert_eq!(
            text.parse::<Time>().map(|t| t.to_string()),
            Ok(text.to_string())
        );
    }
    assert_eq!("23:59:60".parse::<Time>(), Ok(Time(USECS_PER_DAY)));
    assert_eq!(
        "13:45:00.123456789".parse::<Time>().map(|t| t.to_string()),
        Ok("13:45:00.123457".into())
    );
    assert!("24:00:00.000001".parse::<Time>().is_err());
    assert!("13:45+01"
        .parse::<Time>()
        .expect_err("offset")
        .to_string()
        .contains("timetz"));
    let tz = TimeTz {
        micros: 49_500_000_000,
        offset_secs: 19_800,
    };
    assert_eq!(tz.to_string(), "13:45:00+05:30");
    for text in [
        "13:45:00+05:30",
        "13:45:00.25-03:30:15",
        "13:45:00+00",
        "13:45:00.5-00:00:30",
        "00:00:00-15:59:59",
    ] {
        assert_eq!(
            text.parse::<TimeTz>().map(|t| t.to_string()),
            Ok(text.to_string())
        );
    }
    assert_eq!(
        "13:45".parse::<TimeTz>().map(|t| t.to_string()),
        Ok("13:45:00+00".into())
    );
    assert_eq!("13:45+0530".parse::<TimeTz>(), Ok(tz));
    assert!("13:45+16".parse::<TimeTz>().is_err());
    // PostgreSQL: timetz '12:00+01' < timetz '11:00+00' (same UTC time, ordered by zone).
    let a: TimeTz = "12:00+01".parse().expect("a");
    let b: TimeTz = "11:00+00".parse().expect("b");
    assert!(a < b && a != b);
    assert!("10:00+00".parse::<TimeTz>().expect("c") < a);
}

#[test]
fn date_and_time_arithmetic() {
    let d = |s: &str| s.parse::<Date>().expect("date");
    assert_eq!(d("2024-02-28").checked_add_days(1), Ok(d("2024-02-29")));
    assert_eq!(
        d("0001-01-01").checked_add_days(-1).map(|d| d.to_string()),
        Ok("0001-12-31 BC".into())
    );
    assert_eq!(d("infinity").checked_add_days(1), Ok(Date::INFINITY));
    assert!(d("5874897-12-31").checked_add_days(1).is_err());
    assert!(d("2024-01-01").checked_add_days(i64::MAX).is_err());
    assert_eq!(d("2024-03-01").days_since(d("2024-01-01")), Ok(60));
    assert!(d("infinity").days_since(d("2024-01-01")).is_err());
    assert_eq!(d("2024-02-29").to_timestamp(), Ok(ts("2024-02-29 00:00")));
    assert!(d("300000-01-01")
        .to_timestamp()
        .expect_err("range")
        .to_string()
        .contains("for timestamp"));
    let t = |s: &str| s.parse::<Time>().expect("time");
    assert_eq!(
        t("23:00").checked_add_interval(iv("2 hours")),
        Ok(t("01:00"))
    );
    assert_eq!(
        t("24:00").checked_add_interval(Interval::ZERO),
        Ok(t("00:00"))
    );
    assert_eq!(
        t("01:00").checked_sub_interval(iv("1 day 2 hours")),
        Ok(t("23:00"))
    );
    assert_eq!(t("10:00").since(t("12:30")).to_string(), "-02:30:00");
    assert!(t("10:00").checked_add_interval(Interval::INFINITY).is_err());
}

#[test]
fn accessors() {
    let d: Date = "0044-03-15 BC".parse().expect("date");
    assert_eq!(d.ymd(), Some((-44, 3, 15)));
    assert_eq!((d.dow(), d.doy()), (Some(5), Some(74)));
    assert_eq!(d.epoch(), -63_517_824_000.0);
    assert_eq!(Date::from_ymd(-44, 3, 15), Ok(d));
    assert!(Date::from_ymd(0, 1, 1).is_err());
    let leap: Date = "2024-12-31".parse().expect("date");
    assert_eq!((leap.dow(), leap.doy()), (Some(2), Some(366)));
    assert_eq!(Date::INFINITY.ymd(), None);
    assert_eq!(Date::NEG_INFINITY.epoch(), f64::NEG_INFINITY);
    assert_eq!(ts("2024-02-29 13:45:00.5").epoch(), 1_709_214_300.5);
    assert_eq!(
        ts("2024-02-29 13:45:00.5").time(),
        Some(Time(49_500_500_000))
    );
    assert_eq!(Timestamp::INFINITY.date(), Date::INFINITY);
    assert_eq!(
        Timestamp::from_civil(-1, 12, 31, 23, 59, 59, 0).map(|t| t.to_string()),
        Ok("0001-12-31 23:59:59 BC".into())
    );
    assert!(Timestamp::from_civil(2024, 2, 29, 25, 0, 0, 0).is_err());
}
