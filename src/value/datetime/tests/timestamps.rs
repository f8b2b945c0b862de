//! timestamp and timestamptz against PostgreSQL 15's output: text in and out, zones, arithmetic.

use super::*;

// Expected values below were produced by PostgreSQL 15 (psql, DateStyle ISO, MDY).

/// (timestamp µs, psql text, to_json text)
const TIMESTAMPS: &[(i64, &str, &str)] = &[
    (
        762529500000000,
        "2024-02-29 13:45:00",
        "2024-02-29T13:45:00",
    ),
    (
        762529500500000,
        "2024-02-29 13:45:00.5",
        "2024-02-29T13:45:00.5",
    ),
    (
        762529500123456,
        "2024-02-29 13:45:00.123456",
        "2024-02-29T13:45:00.123456",
    ),
    (
        762529500000001,
        "2024-02-29 13:45:00.000001",
        "2024-02-29T13:45:00.000001",
    ),
    (
        -63082281601000000,
        "0001-12-31 23:59:59 BC",
        "0001-12-31T23:59:59 BC",
    ),
    (
        -211813488000000000,
        "4714-11-24 00:00:00 BC",
        "4714-11-24T00:00:00 BC",
    ),
    (
        9223371331199999999,
        "294276-12-31 23:59:59.999999",
        "294276-12-31T23:59:59.999999",
    ),
    (
        -946684800000000,
        "1970-01-01 00:00:00",
        "1970-01-01T00:00:00",
    ),
    (
        -946684800000001,
        "1969-12-31 23:59:59.999999",
        "1969-12-31T23:59:59.999999",
    ),
    (0, "2000-01-01 00:00:00", "2000-01-01T00:00:00"),
    (-900000, "1999-12-31 23:59:59.1", "1999-12-31T23:59:59.1"),
    (
        -64464463800000000,
        "0044-03-15 12:30:00 BC",
        "0044-03-15T12:30:00 BC",
    ),
    (9223372036854775807, "infinity", "infinity"),
    (-9223372036854775808, "-infinity", "-infinity"),
    (
        757468800000000,
        "2024-01-02 00:00:00",
        "2024-01-02T00:00:00",
    ),
    (
        326470291750110000,
        "12345-06-07 08:09:10.11",
        "12345-06-07T08:09:10.11",
    ),
];

/// (session TimeZone, timestamptz µs, psql text, to_json text)
const TIMESTAMPTZS: &[(&str, i64, &str, &str)] = &[
    (
        "America/New_York",
        763367400000000,
        "2024-03-10 01:30:00-05",
        "2024-03-10T01:30:00-05:00",
    ),
    (
        "America/New_York",
        763371000000000,
        "2024-03-10 03:30:00-04",
        "2024-03-10T03:30:00-04:00",
    ),
    (
        "America/New_York",
        783927000000000,
        "2024-11-03 01:30:00-04",
        "2024-11-03T01:30:00-04:00",
    ),
    (
        "America/New_York",
        783930600000000,
        "2024-11-03 01:30:00-05",
        "2024-11-03T01:30:00-05:00",
    ),
    (
        "America/New_York",
        -6311347200000000,
        "1799-12-31 19:03:58-04:56:02",
        "1799-12-31T19:03:58-04:56:02",
    ),
    (
        "America/New_York",
        -64464465600000000,
        "0044-03-15 07:03:58-04:56:02 BC",
        "0044-03-15T07:03:58-04:56:02 BC",
    ),
    (
        "America/New_York",
        568040904000000000,
        "20000-07-01 08:00:00-04",
        "20000-07-01T08:00:00-04:00",
    ),
    (
        "America/New_York",
        568025179200000000,
        "20000-01-01 07:00:00-05",
        "20000-01-01T07:00:00-05:00",
    ),
    (
        "America/New_York",
        9223355476800000000,
        "294276-07-01 08:00:00-04",
        "294276-07-01T08:00:00-04:00",
    ),
    (
        "America/New_York",
        252439761600000000,
        "9999-07-01 08:00:00-04",
        "9999-07-01T08:00:00-04:00",
    ),
    (
        "America/New_York",
        762529500500000,
        "2024-02-29 08:45:00.5-05",
        "2024-02-29T08:45:00.5-05:00",
    ),
    (
        "America/New_York",
        9223372036854775807,
        "infinity",
        "infinity",
    ),
    (
        "America/New_York",
        -9223372036854775808,
        "-infinity",
        "-infinity",
    ),
    (
        "Asia/Kolkata",
        763367400000000,
        "2024-03-10 12:00:00+05:30",
        "2024-03-10T12:00:00+05:30",
    ),
    (
        "Asia/Kolkata",
        763371000000000,
        "2024-03-10 13:00:00+05:30",
        "2024-03-10T13:00:00+05:30",
    ),
    (
        "Asia/Kolkata",
        783927000000000,
        "2024-11-03 11:00:00+05:30",
        "2024-11-03T11:00:00+05:30",
    ),
    (
        "Asia/Kolkata",
        783930600000000,
        "2024-11-03 12:00:00+05:30",
        "2024-11-03T12:00:00+05:30",
    ),
    (
        "Asia/Kolkata",
        -6311347200000000,
        "1800-01-01 05:53:28+05:53:28",
        "1800-01-01T05:53:28+05:53:28",
    ),
    (
        "Asia/Kolkata",
        -64464465600000000,
        "0044-03-15 17:53:28+05:53:28 BC",
        "0044-03-15T17:53:28+05:53:28 BC",
    ),
    (
        "Asia/Kolkata",
        568040904000000000,
        "20000-07-01 17:30:00+05:30",
        "20000-07-01T17:30:00+05:30",
    ),
    (
        "Asia/Kolkata",
        568025179200000000,
        "20000-01-01 17:30:00+05:30",
        "20000-01-01T17:30:00+05:30",
    ),
    (
        "Asia/Kolkata",
        9223355476800000000,
        "294276-07-01 17:30:00+05:30",
        "294276-07-01T17:30:00+05:30",
    ),
    (
        "Asia/Kolkata",
        252439761600000000,
        "9999-07-01 17:30:00+05:30",
        "9999-07-01T17:30:00+05:30",
    ),
    (
        "Asia/Kolkata",
        762529500500000,
        "2024-02-29 19:15:00.5+05:30",
        "2024-02-29T19:15:00.5+05:30",
    ),
    ("Asia/Kolkata", 9223372036854775807, "infinity", "infinity"),
    (
        "Asia/Kolkata",
        -9223372036854775808,
        "-infinity",
        "-infinity",
    ),
    (
        "UTC",
        763367400000000,
        "2024-03-10 06:30:00+00",
        "2024-03-10T06:30:00+00:00",
    ),
    (
        "UTC",
        763371000000000,
        "2024-03-10 07:30:00+00",
        "2024-03-10T07:30:00+00:00",
    ),
    (
        "UTC",
        783927000000000,
        "2024-11-03 05:30:00+00",
        "2024-11-03T05:30:00+00:00",
    ),
    (
        "UTC",
        783930600000000,
        "2024-11-03 06:30:00+00",
        "2024-11-03T06:30:00+00:00",
    ),
    (
        "UTC",
        -6311347200000000,
        "1800-01-01 00:00:00+00",
        "1800-01-01T00:00:00+00:00",
    ),
    (
        "UTC",
        -64464465600000000,
        "0044-03-15 12:00:00+00 BC",
        "0044-03-15T12:00:00+00:00 BC",
    ),
    (
        "UTC",
        568040904000000000,
        "20000-07-01 12:00:00+00",
        "20000-07-01T12:00:00+00:00",
    ),
    (
        "UTC",
        568025179200000000,
        "20000-01-01 12:00:00+00",
        "20000-01-01T12:00:00+00:00",
    ),
    (
        "UTC",
        9223355476800000000,
        "294276-07-01 12:00:00+00",
        "294276-07-01T12:00:00+00:00",
    ),
    (
        "UTC",
        252439761600000000,
        "9999-07-01 12:00:00+00",
        "9999-07-01T12:00:00+00:00",
    ),
    (
        "UTC",
        762529500500000,
        "2024-02-29 13:45:00.5+00",
        "2024-02-29T13:45:00.5+00:00",
    ),
    ("UTC", 9223372036854775807, "infinity", "infinity"),
    ("UTC", -9223372036854775808, "-infinity", "-infinity"),
    (
        "Europe/Paris",
        763367400000000,
        "2024-03-10 07:30:00+01",
        "2024-03-10T07:30:00+01:00",
    ),
    (
        "Europe/Paris",
        763371000000000,
        "2024-03-10 08:30:00+01",
        "2024-03-10T08:30:00+01:00",
    ),
    (
        "Europe/Paris",
        783927000000000,
        "2024-11-03 06:30:00+01",
        "2024-11-03T06:30:00+01:00",
    ),
    (
        "Europe/Paris",
        783930600000000,
        "2024-11-03 07:30:00+01",
        "2024-11-03T07:30:00+01:00",
    ),
    (
        "Europe/Paris",
        -6311347200000000,
        "1800-01-01 00:09:21+00:09:21",
        "1800-01-01T00:09:21+00:09:21",
    ),
    (
        "Europe/Paris",
        -64464465600000000,
        "0044-03-15 12:09:21+00:09:21 BC",
        "0044-03-15T12:09:21+00:09:21 BC",
    ),
    (
        "Europe/Paris",
        568040904000000000,
        "20000-07-01 14:00:00+02",
        "20000-07-01T14:00:00+02:00",
    ),
    (
        "Europe/Paris",
        568025179200000000,
        "20000-01-01 13:00:00+01",
        "20000-01-01T13:00:00+01:00",
    ),
    (
        "Europe/Paris",
        9223355476800000000,
        "294276-07-01 14:00:00+02",
        "294276-07-01T14:00:00+02:00",
    ),
    (
        "Europe/Paris",
        252439761600000000,
        "9999-07-01 14:00:00+02",
        "9999-07-01T14:00:00+02:00",
    ),
    (
        "Europe/Paris",
        762529500500000,
        "2024-02-29 14:45:00.5+01",
        "2024-02-29T14:45:00.5+01:00",
    ),
    ("Europe/Paris", 9223372036854775807, "infinity", "infinity"),
    (
        "Europe/Paris",
        -9223372036854775808,
        "-infinity",
        "-infinity",
    ),
    (
        "Australia/Lord_Howe",
        763367400000000,
        "2024-03-10 17:30:00+11",
        "2024-03-10T17:30:00+11:00",
    ),
    (
        "Australia/Lord_Howe",
        763371000000000,
        "2024-03-10 18:30:00+11",
        "2024-03-10T18:30:00+11:00",
    ),
    (
        "Australia/Lord_Howe",
        783927000000000,
        "2024-11-03 16:30:00+11",
        "2024-11-03T16:30:00+11:00",
    ),
    (
        "Australia/Lord_Howe",
        783930600000000,
        "2024-11-03 17:30:00+11",
        "2024-11-03T17:30:00+11:00",
    ),
    (
        "Australia/Lord_Howe",
        -6311347200000000,
        "1800-01-01 10:36:20+10:36:20",
        "1800-01-01T10:36:20+10:36:20",
    ),
    (
        "Australia/Lord_Howe",
        -64464465600000000,
        "0044-03-15 22:36:20+10:36:20 BC",
        "0044-03-15T22:36:20+10:36:20 BC",
    ),
    (
        "Australia/Lord_Howe",
        568040904000000000,
        "20000-07-01 22:30:00+10:30",
        "20000-07-01T22:30:00+10:30",
    ),
    (
        "Australia/Lord_Howe",
        568025179200000000,
        "20000-01-01 23:00:00+11",
        "20000-01-01T23:00:00+11:00",
    ),
    (
        "Australia/Lord_Howe",
        9223355476800000000,
        "294276-07-01 22:30:00+10:30",
        "294276-07-01T22:30:00+10:30",
    ),
    (
        "Australia/Lord_Howe",
        252439761600000000,
        "9999-07-01 22:30:00+10:30",
        "9999-07-01T22:30:00+10:30",
    ),
    (
        "Australia/Lord_Howe",
        762529500500000,
        "2024-03-01 00:45:00.5+11",
        "2024-03-01T00:45:00.5+11:00",
    ),
    (
        "Australia/Lord_Howe",
        9223372036854775807,
        "infinity",
        "infinity",
    ),
    (
        "Australia/Lord_Howe",
        -9223372036854775808,
        "-infinity",
        "-infinity",
    ),
    (
        "Asia/Kathmandu",
        763367400000000,
        "2024-03-10 12:15:00+05:45",
        "2024-03-10T12:15:00+05:45",
    ),
    (
        "Asia/Kathmandu",
        763371000000000,
        "2024-03-10 13:15:00+05:45",
        "2024-03-10T13:15:00+05:45",
    ),
    (
        "Asia/Kathmandu",
        783927000000000,
        "2024-11-03 11:15:00+05:45",
        "2024-11-03T11:15:00+05:45",
    ),
    (
        "Asia/Kathmandu",
        783930600000000,
        "2024-11-03 12:15:00+05:45",
        "2024-11-03T12:15:00+05:45",
    ),
    (
        "Asia/Kathmandu",
        -6311347200000000,
        "1800-01-01 05:41:16+05:41:16",
        "1800-01-01T05:41:16+05:41:16",
    ),
    (
        "Asia/Kathmandu",
        -64464465600000000,
        "0044-03-15 17:41:16+05:41:16 BC",
        "0044-03-15T17:41:16+05:41:16 BC",
    ),
    (
        "Asia/Kathmandu",
        568040904000000000,
        "20000-07-01 17:45:00+05:45",
        "20000-07-01T17:45:00+05:45",
    ),
    (
        "Asia/Kathmandu",
        568025179200000000,
        "20000-01-01 17:45:00+05:45",
        "20000-01-01T17:45:00+05:45",
    ),
    (
        "Asia/Kathmandu",
        9223355476800000000,
        "294276-07-01 17:45:00+05:45",
        "294276-07-01T17:45:00+05:45",
    ),
    (
        "Asia/Kathmandu",
        252439761600000000,
        "9999-07-01 17:45:00+05:45",
        "9999-07-01T17:45:00+05:45",
    ),
    (
        "Asia/Kathmandu",
        762529500500000,
        "2024-02-29 19:30:00.5+05:45",
        "2024-02-29T19:30:00.5+05:45",
    ),
    (
        "Asia/Kathmandu",
        9223372036854775807,
        "infinity",
        "infinity",
    ),
    (
        "Asia/Kathmandu",
        -9223372036854775808,
        "-infinity",
        "-infinity",
    ),
];

#[test]
fn timestamps_match_psql_and_round_trip() {
    for &(micros, text, json) in TIMESTAMPS {
        let t = Timestamp(micros);
        assert_eq!(t.to_string(), text);
        assert_eq!(t.to_iso8601(), json);
        assert_eq!(text.parse::<Timestamp>(), Ok(t), "{text}");
        assert_eq!(json.parse::<Timestamp>(), Ok(t), "{json}");
    }
    let mut micros = TS_MIN;
    while micros < TS_END - 1_000_000_007_777_777 {
        let t = Timestamp(micros);
        assert_eq!(t.to_string().parse::<Timestamp>(), Ok(t));
        micros += 1_000_000_007_777_777;
    }
}

#[test]
fn timestamp_input() {
    assert_eq!(ts("2024-01-01 24:00:00"), ts("2024-01-02 00:00:00"));
    assert_eq!(ts("2024-01-01 23:59:60"), ts("2024-01-02 00:00:00"));
    assert_eq!(ts("2024-02-29"), ts("2024-02-29 00:00"));
    assert_eq!(ts("2024-02-29t13:45"), ts("2024-02-29 13:45:00"));
    // Past six digits PostgreSQL rounds half to even.
    assert_eq!(ts("2000-01-01 00:00:00.0000025"), Timestamp(2));
    assert_eq!(ts("2000-01-01 00:00:00.0000035"), Timestamp(4));
    assert_eq!(ts("2000-01-01 00:00:00.00000251"), Timestamp(3));
    assert_eq!(ts("2024-12-31 23:59:59.9999999"), ts("2025-01-01 00:00:00"));
    assert_eq!(ts("epoch"), Timestamp(-UNIX_TO_PG_MICROS));
    for (text, why) in [
        ("2024-02-29 13:45:00+01", "no UTC offset"),
        ("2024-02-29 24:00:01", "past 24:00:00"),
        ("2024-02-29 13:60:00", "minute 60"),
        ("2024-02-29 1:2:3", "two digits"),
        ("4714-11-23 23:59:59.999999 BC", "out of range"),
        ("294277-01-01 00:00:00", "out of range"),
        ("2024-02-29 13:45:00.", "digits after the decimal point"),
    ] {
        let err = text.parse::<Timestamp>().expect_err(text).to_string();
        assert!(err.contains(why) && err.contains(text), "{text}: {err}");
    }
}

#[test]
fn timestamptz_match_psql_and_round_trip() {
    for &(z, micros, text, json) in TIMESTAMPTZS {
        let t = TimestampTz::from_micros(micros, zone(z));
        assert_eq!(t.to_string(), text, "{z}");
        assert_eq!(t.to_iso8601(), json, "{z}");
        let parsed: TimestampTz = text.parse().expect(text);
        assert_eq!(parsed.micros, micros, "{text}");
        assert_eq!(parsed.to_string(), text);
        assert_eq!(json.parse::<TimestampTz>().map(|p| p.micros), Ok(micros));
        assert_eq!(
            TimestampTz::parse_in(text, zone(z)).map(|p| p.to_string()),
            Ok(text.to_string())
        );
    }
}

#[test]
fn timestamptz_reads_wall_time_like_postgres() {
    // A skipped time takes the offset from before the jump; a repeated one from after.
    assert_eq!(
        tstz("2024-03-10 02:30", "America/New_York").to_string(),
        "2024-03-10 03:30:00-04"
    );
    assert_eq!(
        tstz("2024-11-03 01:30", "America/New_York").to_string(),
        "2024-11-03 01:30:00-05"
    );
    assert_eq!(
        tstz("2024-07-01 12:00", "Europe/Paris").to_string(),
        "2024-07-01 12:00:00+02"
    );
    assert_eq!(
        tstz("20000-07-01 12:00", "America/New_York").to_string(),
        "20000-07-01 12:00:00-04"
    );
    assert_eq!(
        tstz("2024-07-01 12:00Z", "Europe/Paris").to_string(),
        "2024-07-01 14:00:00+02"
    );
    assert_eq!(tstz("infinity", "Europe/Paris").micros, i64::MAX);
    let t: TimestampTz = "2024-02-29 13:45:00".parse().expect("utc");
    assert_eq!(t.to_string(), "2024-02-29 13:45:00+00");
    let local = ts("2024-07-01 12:00:00");
    let there = TimestampTz::from_local(local, zone("America/New_York")).expect("local");
    assert_eq!(there.to_string(), "2024-07-01 12:00:00-04");
    assert_eq!(there.local(), Ok(local));
    assert_eq!(there.utc_offset(), -4 * 3600);
    assert_eq!(
        there.with_zone(zone("Asia/Kolkata")).to_string(),
        "2024-07-01 21:30:00+05:30"
    );
    assert!("2024-07-01 12:00+16".parse::<TimestampTz>().is_err());
    assert_eq!(zone_name(&zone("+05:30")), "UTC+05:30");
    // What psql shows after SET timezone = ..., then SHOW timezone.
    for (setting, shown) in [
        ("+05:30", "1999-12-31 18:30:00-05:30"),
        ("UTC+3", "1999-12-31 21:00:00-03"),
        ("<+05>-05", "2000-01-01 05:00:00+05"),
        ("Asia/Kolkata", "2000-01-01 05:30:00+05:30"),
        ("Etc/UTC", "2000-01-01 00:00:00+00"),
    ] {
        let z = session_zone(setting).expect(setting);
        assert_eq!(
            TimestampTz::from_micros(0, z).to_string(),
            shown,
            "{setting}"
        );
    }
    assert!(session_zone("Nowhere/Land").is_err());
    let posix = TimestampTz::from_micros(0, zone("<+05:30>-05:30"));
    assert_eq!(posix.to_string(), "2000-01-01 05:30:00+05:30");
    let rule = TimestampTz::from_micros(568_040_904_000_000_000, zone("EST5EDT,M3.2.0,M11.1.0"));
    assert_eq!(rule.to_string(), "20000-07-01 08:00:00-04");
    assert_eq!(zone_name(&zone("Europe/Paris")), "Europe/Paris");
    assert!(zone_by_name("Mars/Olympus")
        .expect_err("zone")
        .to_string()
        .contains("Mars/Olympus"));
}

#[test]
fn timestamp_arithmetic_like_postgres() {
    let add = |t: &str, i: &str| ts(t).checked_add_interval(iv(i)).map(|t| t.to_string());
    assert_eq!(
        add("2024-01-31 00:00", "1 mon"),
        Ok("2024-02-29 00:00:00".into())
    );
    assert_eq!(
        add("2024-01-31 10:00", "1 mon 1 day 1 hour"),
        Ok("2024-03-01 11:00:00".into())
    );
    assert_eq!(
        add("2024-02-29 00:00", "-1 year"),
        Ok("2023-02-28 00:00:00".into())
    );
    assert_eq!(
        add("2024-02-29 12:00", "-1 mon -1 day -1 hour"),
        Ok("2024-01-28 11:00:00".into())
    );
    assert_eq!(
        add("0001-01-01 00:00", "-1 day"),
        Ok("0001-12-31 00:00:00 BC".into())
    );
    assert_eq!(add("infinity", "1 day"), Ok("infinity".into()));
    assert_eq!(add("2024-01-01", "infinity"), Ok("infinity".into()));
    assert!(add("-infinity", "infinity").is_err());
    assert!(add("294276-12-31 12:00", "1 day")
        .expect_err("range")
        .to_string()
        .contains("out of range"));
    assert_eq!(
        ts("2024-03-31")
            .checked_sub_interval(iv("1 mon"))
            .map(|t| t.to_string()),
        Ok("2024-02-29 00:00:00".into())
    );
    let diff = |a: &str, b: &str| ts(a).checked_sub(ts(b)).map(|i| i.to_string());
    assert_eq!(
        diff("2024-03-01", "2024-01-01 01:00"),
        Ok("59 days 23:00:00".into())
    );
    assert_eq!(
        diff("2024-01-01", "2024-03-01 01:00"),
        Ok("-60 days -01:00:00".into())
    );
    assert_eq!(
        diff("2024-02-29 13:45:00.5", "0001-01-01 BC"),
        Ok("739310 days 13:45:00.5".into())
    );
    assert!(diff("infinity", "2024-01-01")
        .expect_err("inf")
        .to_string()
        .contains("infinite"));
    // PostgreSQL 15 wraps around here; an error is the honest answer.
    assert!(diff("294276-12-31 23:59:59.999999", "4714-11-24 00:00 BC").is_err());
}

#[test]
fn timestamptz_arithmetic_follows_the_zone() {
    let ny = "America/New_York";
    let add = |t: &str, i: &str| {
        tstz(t, ny)
            .checked_add_interval(iv(i))
            .map(|t| t.to_string())
    };
    assert_eq!(
        add("2024-03-09 12:00", "1 day"),
        Ok("2024-03-10 12:00:00-04".into())
    );
    assert_eq!(
        add("2024-03-09 12:00", "24 hours"),
        Ok("2024-03-10 13:00:00-04".into())
    );
    assert_eq!(
        add("2024-01-31 12:00", "1 mon"),
        Ok("2024-02-29 12:00:00-05".into())
    );
    assert_eq!(
        add("2024-11-02 01:30", "1 day"),
        Ok("2024-11-03 01:30:00-05".into())
    );
    assert_eq!(
        add("2024-03-09 02:30", "1 day"),
        Ok("2024-03-10 03:30:00-04".into())
    );
    assert_eq!(
        add("2024-02-10 02:30", "1 mon"),
        Ok("2024-03-10 03:30:00-04".into())
    );
    assert!(add("294276-12-31 12:00", "1 day").is_err());
    let d = tstz("2024-03-10 12:00", ny).checked_sub(&tstz("2024-03-09 12:00", ny));
    assert_eq!(d.map(|i| i.to_string()), Ok("23:00:00".into()));
    let back = tstz("2024-03-10 12:00", ny).checked_sub_interval(iv("1 day"));
    assert_eq!(
        back.map(|t| t.to_string()),
        Ok("2024-03-09 12:00:00-05".into())
    );
}
