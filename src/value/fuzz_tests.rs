//! Fuzzing the value converters (issue 14): binary values of every built-in type as random bytes and as
//! hostile array, record and range headers (huge counts and dimensions, negative lengths, truncation);
//! text values and array/record literals; date, time and interval text; zone names; and parameters of
//! every type. Each is decoded, parsed or encoded without a panic, an abort or a hang: a value or an error.

use std::rc::Rc;

use postgres_types::{Field, Kind, Type};
use proptest::prelude::*;
use rhai::{Array, Dynamic};

use super::datetime::{
    session_zone, zone_by_name, Date, Interval, Time, TimeTz, Timestamp, TimestampTz,
};
use super::decode::{decode, decode_shadowed, decode_text, DecodeCtx};
use super::encode::encode;
use super::literal::{flatten, parse_array, parse_record};
use crate::fuzz_input::{config, hostile_bytes_with, hostile_text_with, within, CASE_LIMIT};

/// The OIDs of every type postgres-types knows (the built-in ones), arrays and ranges included.
fn builtin_oids() -> Vec<u32> {
    (0..20_000)
        .filter(|&oid| Type::from_oid(oid).is_some())
        .collect()
}

/// A type to decode as: a built-in one, or a composite, domain or enum over built-in ones (the kinds a
/// session learns from the catalog).
#[derive(Debug, Clone)]
enum TypeSpec {
    Builtin(u32),
    Composite(Vec<u32>),
    Domain(u32),
    Enum,
    ArrayOfComposite(Vec<u32>),
}

fn type_spec() -> impl Strategy<Value = TypeSpec> {
    let oid = prop::sample::select(builtin_oids());
    prop_oneof![
        8 => oid.clone().prop_map(TypeSpec::Builtin),
        1 => prop::collection::vec(oid.clone(), 0..4).prop_map(TypeSpec::Composite),
        1 => oid.clone().prop_map(TypeSpec::Domain),
        1 => Just(TypeSpec::Enum),
        1 => prop::collection::vec(oid, 0..3).prop_map(TypeSpec::ArrayOfComposite),
    ]
}

fn build_type(spec: &TypeSpec) -> Type {
    let builtin = |oid: u32| Type::from_oid(oid).unwrap_or(Type::TEXT);
    let fields = |oids: &[u32]| {
        oids.iter()
            .enumerate()
            .map(|(i, &o)| Field::new(format!("f{i}"), builtin(o)))
            .collect::<Vec<_>>()
    };
    let user =
        |name: &str, oid: u32, kind: Kind| Type::new(name.into(), oid, kind, "public".into());
    match spec {
        TypeSpec::Builtin(oid) => builtin(*oid),
        TypeSpec::Composite(oids) => user("comp", 900_001, Kind::Composite(fields(oids))),
        TypeSpec::Domain(oid) => user("dom", 900_002, Kind::Domain(builtin(*oid))),
        TypeSpec::Enum => user("mood", 900_003, Kind::Enum(vec!["sad".into(), "ok".into()])),
        TypeSpec::ArrayOfComposite(oids) => user(
            "_comp",
            900_004,
            Kind::Array(user("comp", 900_001, Kind::Composite(fields(oids)))),
        ),
    }
}

/// Four bytes of a count or a length: the ones that break readers (negative, zero, huge) and small ones.
fn count() -> impl Strategy<Value = i32> + Clone {
    prop_oneof![
        3 => 0i32..4,
        1 => prop::sample::select(vec![-2, -1, 7, 6, 65_536, 1 << 24, i32::MAX - 1, i32::MAX, i32::MIN]),
        1 => any::<i32>(),
    ]
}

/// A binary value with a hostile header: an array (`ndim`, flags, element OID, dimensions, elements), a
/// record (field count, then OID, length and bytes per field) or a range (flags, bounds), cut short or
/// with trailing bytes at random.
fn hostile_binary() -> impl Strategy<Value = Vec<u8>> + Clone {
    let oid = prop_oneof![prop::sample::select(builtin_oids()), any::<u32>()];
    let payload = prop::collection::vec(any::<u8>(), 0..24);
    let element = (count(), payload.clone());
    let array = (
        count(),
        any::<i32>(),
        oid.clone(),
        prop::collection::vec((count(), count()), 0..8),
        prop::collection::vec(element.clone(), 0..8),
    )
        .prop_map(|(ndim, flags, elem, dims, elems)| {
            let mut b = Vec::new();
            b.extend(ndim.to_be_bytes());
            b.extend(flags.to_be_bytes());
            b.extend(elem.to_be_bytes());
            for (len, lower) in dims {
                b.extend(len.to_be_bytes());
                b.extend(lower.to_be_bytes());
            }
            for (len, bytes) in elems {
                b.extend(len.to_be_bytes());
                b.extend(bytes);
            }
            b
        });
    let record =
        (count(), prop::collection::vec((oid, element.clone()), 0..6)).prop_map(|(n, fields)| {
            let mut b = n.to_be_bytes().to_vec();
            for (oid, (len, bytes)) in fields {
                b.extend(oid.to_be_bytes());
                b.extend(len.to_be_bytes());
                b.extend(bytes);
            }
            b
        });
    let range = (any::<u8>(), prop::collection::vec(element, 0..3)).prop_map(|(flags, bounds)| {
        let mut b = vec![flags];
        for (len, bytes) in bounds {
            b.extend(len.to_be_bytes());
            b.extend(bytes);
        }
        b
    });
    (prop_oneof![array, record, range], any::<usize>(), payload).prop_map(|(mut b, cut, tail)| {
        match cut % 4 {
            0 => b.truncate(cut / 4 % (b.len() + 1)),
            1 => b.extend(tail),
            _ => {}
        }
        b
    })
}

/// Any bytes a column might hold: hostile text's bytes or a hostile binary header.
fn column_bytes() -> impl Strategy<Value = Vec<u8>> + Clone {
    prop_oneof![
        hostile_bytes_with(&["{", "}", "(", ")", "[1:2]=", "NULL", "\"", ","], 12),
        prop::collection::vec(any::<u8>(), 0..64),
        hostile_binary(),
    ]
}

/// Array and record literal pieces, date/time and interval words, among hostile text.
fn literal_text() -> impl Strategy<Value = String> + Clone {
    hostile_text_with(
        &[
            "{",
            "}",
            "{{",
            "}}",
            "(",
            ")",
            "[",
            "]",
            "[1:2]",
            "[-2147483648:2147483647]",
            "=",
            ",",
            ";",
            "\"",
            "\\",
            "\\\"",
            "NULL",
            "null",
            " ",
            "a b",
            "{}",
            "()",
            "{\"a\",NULL}",
        ],
        30,
    )
}

fn datetime_text() -> impl Strategy<Value = String> + Clone {
    hostile_text_with(
        &[
            "2024",
            "-",
            "02",
            "29",
            "1999-12-31",
            "0044-03-15",
            "294276",
            "5874897",
            "99999999999",
            " BC",
            " AD",
            "T",
            " ",
            ":",
            "23:59:59",
            "24:00:00",
            ".",
            "999999",
            "9999999999",
            "+",
            "-",
            "+05:30",
            "+15:59:59",
            "Z",
            "UTC",
            "Europe/Paris",
            "infinity",
            "-infinity",
            "epoch",
            "now",
            "allballs",
            "P",
            "P1Y2M3DT4H5M6S",
            "1 year",
            "2 mons",
            "-3 days",
            "04:05:06.5",
            "@",
            "ago",
            "century",
            "millennium",
            "microseconds",
            "1e308",
            "-9223372036854775808",
            "9223372036854775807",
        ],
        16,
    )
}

/// Parameters of hostile text, and arrays and numbers, to encode for a type.
#[derive(Debug, Clone)]
enum Param {
    Text(String),
    Int(i64),
    Float(f64),
    Texts(Vec<Option<String>>),
    Nested(Vec<Vec<i64>>),
}

fn param() -> impl Strategy<Value = Param> {
    let text = literal_text();
    prop_oneof![
        text.clone().prop_map(Param::Text),
        any::<i64>().prop_map(Param::Int),
        any::<f64>().prop_map(Param::Float),
        prop::collection::vec(prop::option::of(text), 0..4).prop_map(Param::Texts),
        prop::collection::vec(prop::collection::vec(any::<i64>(), 0..3), 0..3)
            .prop_map(Param::Nested),
    ]
}

fn param_value(p: &Param) -> Dynamic {
    match p {
        Param::Text(s) => s.clone().into(),
        Param::Int(i) => (*i).into(),
        Param::Float(f) => (*f).into(),
        Param::Texts(v) => {
            let arr: Array = v
                .iter()
                .map(|s| s.clone().map_or(Dynamic::UNIT, Dynamic::from))
                .collect();
            arr.into()
        }
        Param::Nested(rows) => {
            let arr: Array = rows
                .iter()
                .map(|r| Dynamic::from_array(r.iter().map(|&i| i.into()).collect()))
                .collect();
            arr.into()
        }
    }
}

proptest! {
    // Every case is well under a millisecond but for the odd huge token: a few seconds per property.
    #![proptest_config(config(400))]

    #[test]
    fn any_bytes_decode_to_a_value_or_an_error(
        spec in type_spec(),
        bytes in column_bytes(),
        text in prop::option::of(literal_text()),
        display in any::<bool>(),
    ) {
        within(CASE_LIMIT, move || {
            let ty = build_type(&spec);
            let ctx = DecodeCtx {
                zone: Rc::new(jiff::tz::TimeZone::UTC),
                for_display: display,
            };
            let _ = decode(&ty, Some(&bytes), &ctx);
            let _ = decode_shadowed(&ty, Some(&bytes), text.as_deref(), &ctx);
            let _ = decode_text(&ty, &String::from_utf8_lossy(&bytes));
            if let Some(t) = &text {
                let _ = decode_text(&ty, t);
            }
        });
    }

    #[test]
    fn any_literal_parses_or_is_refused(text in literal_text(), box_delim in any::<bool>()) {
        within(CASE_LIMIT, move || {
            if let Ok(elems) = parse_array(&text, if box_delim { ';' } else { ',' }) {
                let _ = flatten(&elems);
            }
            if let Ok(fields) = parse_record(&text) {
                assert!(text.contains('(') && text.contains(')'), "{text:?} gave {fields:?}");
            }
        });
    }

    #[test]
    fn any_date_time_or_zone_text_parses_or_is_refused(text in datetime_text()) {
        within(CASE_LIMIT, move || {
            let _ = text.parse::<Date>();
            let _ = text.parse::<Time>();
            let _ = text.parse::<TimeTz>();
            let _ = text.parse::<Timestamp>();
            let _ = text.parse::<TimestampTz>();
            let _ = text.parse::<Interval>();
            let _ = TimestampTz::parse_in(&text, jiff::tz::TimeZone::UTC);
            if let Ok(zone) = zone_by_name(&text) {
                let _ = TimestampTz::parse_in("2024-02-29 12:00", zone);
            }
            let _ = session_zone(&text);
        });
    }

    #[test]
    fn any_parameter_encodes_for_any_type_or_is_refused(spec in type_spec(), p in param()) {
        within(CASE_LIMIT, move || {
            let _ = encode(&param_value(&p), &build_type(&spec));
        });
    }
}

/// Headers the fuzzing above found aborting the process (an allocation sized from the header): each is an
/// error now, or for a zero-length dimension the empty array the server makes of it.
#[test]
fn hostile_headers_found_by_fuzzing_are_errors() {
    let ctx = DecodeCtx::default();
    let be = |v: &[i32]| v.iter().flat_map(|n| n.to_be_bytes()).collect::<Vec<u8>>();
    let int4 = Type::INT4.oid() as i32;
    // A record claiming i32::MAX fields: tens of GB were reserved for them.
    let record = be(&[i32::MAX, int4, 4, 7]);
    for ty in [Type::RECORD, build_type(&TypeSpec::Composite(vec![23]))] {
        let e = decode(&ty, Some(&record), &ctx).unwrap_err();
        assert_eq!(e.to_string(), "value too short");
    }
    // An int4[] of i32::MAX elements in 16 bytes: the element list was sized from the header.
    let huge = be(&[1, 0, int4, i32::MAX, 1, 4, 7]);
    let e = decode(&Type::INT4_ARRAY, Some(&huge), &ctx).unwrap_err();
    assert_eq!(e.to_string(), "value too short");
    assert!(decode_shadowed(&Type::INT4_ARRAY, Some(&huge), None, &ctx).is_err());
    // A zero-length dimension beside a huge one: no elements, and the server's empty array (nesting built
    // i32::MAX empty arrays).
    let empty = be(&[2, 0, int4, 0, 1, i32::MAX, 1]);
    let v = decode(&Type::INT4_ARRAY, Some(&empty), &ctx).unwrap();
    assert_eq!(v.into_array().unwrap().len(), 0);
    // Seven dimensions (the server's limit is 6).
    let mut deep = vec![7, 0, int4];
    deep.extend([1, 1].repeat(7));
    deep.extend([4, 7]);
    let e = decode(&Type::INT4_ARRAY, Some(&be(&deep)), &ctx).unwrap_err();
    assert!(
        e.to_string().contains("more than 6 array dimensions"),
        "{e}"
    );
    // Six dimensions of one element still decode.
    let mut six = vec![6, 0, int4];
    six.extend([1, 1].repeat(6));
    six.extend([4, 7]);
    let v = decode(&Type::INT4_ARRAY, Some(&be(&six)), &ctx).unwrap();
    assert_eq!(format!("{v:?}"), "[[[[[[7]]]]]]");
}
