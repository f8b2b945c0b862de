//! The date/time types against PostgreSQL 15's own output, by topic: calendar and dates, timestamps,
//! times, intervals, the binary wire format. Shared here: the imports and the parsing helpers.

mod dates;
mod intervals;
mod times;
mod timestamps;
mod wire;

use bytes::BytesMut;
use jiff::tz::TimeZone;
use postgres_types::{FromSql, ToSql, Type};

use super::calendar::*;
use super::date::*;
use super::interval::*;
use super::time::*;
use super::timestamp::*;
use super::zone::*;

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
