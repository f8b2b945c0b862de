//! The date/time types against PostgreSQL 15's own output: calendar, text in and out, zones, arithmetic,
//! the binary wire format.

use bytes::BytesMut;
use jiff::tz::TimeZone;
use postgres_types::{FromSql, ToSql, Type};

use super::calendar::*;
use super::date::*;
use super::interval::*;
use super::time::*;
use super::timestamp::*;
use super::zone::*;

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

fn zone(name: &str) -> TimeZone {
    zone_by_name(name).expect("zone")
}

fn fields(i: Interval) -> (i32, i32, i64) {
    (i.months, i.days, i.micros)
}

fn iv(s: &str) -> Interval {
    s.parse().expect("interval")
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn tstz(s: &str, z: &str) -> TimestampTz {
    TimestampTz::parse_in(s, zone(z)).expect("timestamptz")
}

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

fn round_trip<T>(value: &T, ty: &Type) -> T
where
    T: ToSql + for<'a> FromSql<'a>,
{
    let mut buf = BytesMut::new();
    value.to_sql_checked(ty, &mut buf).expect("encode");
    T::from_sql(ty, &buf).expect("decode")
}

fn encode(value: &dyn ToSql, ty: &Type) -> Vec<u8> {
    let mut buf = BytesMut::new();
    value.to_sql_checked(ty, &mut buf).expect("encode");
    buf.to_vec()
}

#[test]
fn binary_round_trips() {
    for d in [
        Date(0),
        Date(DATE_MIN),
        Date(DATE_END - 1),
        Date::INFINITY,
        Date::NEG_INFINITY,
    ] {
        assert_eq!(round_trip(&d, &Type::DATE), d);
    }
    for t in [
        Timestamp(0),
        Timestamp(TS_MIN),
        Timestamp(TS_END - 1),
        Timestamp::INFINITY,
        Timestamp::NEG_INFINITY,
    ] {
        assert_eq!(round_trip(&t, &Type::TIMESTAMP), t);
    }
    for micros in [0, TS_MIN, TS_END - 1, i64::MAX, i64::MIN] {
        assert_eq!(
            round_trip(&Instant(micros), &Type::TIMESTAMPTZ),
            Instant(micros)
        );
        let tz = TimestampTz::from_micros(micros, zone("Asia/Kolkata"));
        assert_eq!(
            encode(&tz, &Type::TIMESTAMPTZ),
            encode(&Instant(micros), &Type::TIMESTAMPTZ)
        );
        assert_eq!(Instant(micros).with_zone(TimeZone::UTC), tz);
    }
    for t in [Time(0), Time(USECS_PER_DAY), Time(49_500_250_000)] {
        assert_eq!(round_trip(&t, &Type::TIME), t);
    }
    for tz in [
        TimeTz {
            micros: 0,
            offset_secs: -57_599,
        },
        TimeTz {
            micros: USECS_PER_DAY,
            offset_secs: 57_599,
        },
    ] {
        assert_eq!(round_trip(&tz, &Type::TIMETZ), tz);
    }
    for i in [
        Interval::ZERO,
        Interval::INFINITY,
        Interval::NEG_INFINITY,
        Interval::new(i32::MIN, i32::MAX, -1),
    ] {
        assert!(round_trip(&i, &Type::INTERVAL).same_fields(&i));
    }
    // Bytes as PostgreSQL's *_send functions produce them.
    let timetz: TimeTz = "13:45:00+05:30".parse().expect("timetz");
    assert_eq!(
        encode(&timetz, &Type::TIMETZ),
        [0, 0, 0, 0x0b, 0x86, 0x6e, 0x0f, 0, 0xff, 0xff, 0xb2, 0xa8]
    );
    assert_eq!(
        encode(&iv("1 mon 2 days 3 us"), &Type::INTERVAL),
        [0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1]
    );
    assert_eq!(
        encode(&Time(USECS_PER_DAY), &Type::TIME),
        [0, 0, 0, 0x14, 0x1d, 0xd7, 0x60, 0]
    );
    assert!(Interval::from_sql(&Type::INTERVAL, &[0; 15]).is_err());
    assert!(TimeTz::from_sql(&Type::TIMETZ, &[0; 8]).is_err());
    assert!(Time::from_sql(&Type::TIME, &[0xff; 8]).is_err());
    // Types are not interchangeable on the wire.
    assert!(
        <Timestamp as ToSql>::accepts(&Type::TIMESTAMP)
            && !<Timestamp as ToSql>::accepts(&Type::TIMESTAMPTZ)
    );
    assert!(
        <Instant as FromSql>::accepts(&Type::TIMESTAMPTZ)
            && !<Instant as FromSql>::accepts(&Type::TIMESTAMP)
    );
    assert!(Date(0)
        .to_sql_checked(&Type::TIMESTAMP, &mut BytesMut::new())
        .is_err());
}

#[test]
fn ordering_and_equality() {
    let mut dates = vec![Date::INFINITY, Date(5), Date::NEG_INFINITY, Date(-5)];
    dates.sort();
    assert_eq!(
        dates,
        [Date::NEG_INFINITY, Date(-5), Date(5), Date::INFINITY]
    );
    assert!(
        Timestamp::NEG_INFINITY < Timestamp(TS_MIN) && Timestamp(TS_END - 1) < Timestamp::INFINITY
    );
    let paris = tstz("2024-07-01 14:00", "Europe/Paris");
    let utc: TimestampTz = "2024-07-01 12:00Z".parse().expect("utc");
    assert_eq!(paris, utc);
    assert_ne!(paris.to_string(), utc.to_string());
    assert!(tstz("2024-07-01 13:00", "Europe/Paris") < utc);
}
