//! The date/time types in PostgreSQL's binary wire format, and their ordering.

use super::*;

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
