//! Rhai → parameters: checks each Rhai value against the type PostgreSQL inferred for `$n` and encodes it.
//!
//! Checking and encoding are one step, done before anything is sent, so a mismatch is an error that names the
//! parameter, the PostgreSQL type and the Rhai type. Strings are sent in text format and parsed by the server,
//! which is how any type PostgreSQL can read from text (dates, enums, ranges, extension types) is accepted.

use bytes::BytesMut;
use postgres_protocol::types as pgt;
use postgres_types::{Format, IsNull, Kind, ToSql, Type};
use rhai::Dynamic;

use super::datetime::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz};
use super::format::{cell_text, json_text};

/// One parameter, ready to go on the wire.
#[derive(Debug, Clone)]
pub enum Encoded {
    Null,
    Binary(Vec<u8>),
    /// Text format: the server parses it with the type's input function.
    Text(String),
}

impl ToSql for Encoded {
    fn to_sql(
        &self,
        _ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Encoded::Null => Ok(IsNull::Yes),
            Encoded::Binary(b) => {
                out.extend_from_slice(b);
                Ok(IsNull::No)
            }
            Encoded::Text(s) => {
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &Type) -> Format {
        match self {
            Encoded::Text(_) => Format::Text,
            _ => Format::Binary,
        }
    }

    postgres_types::to_sql_checked!();
}

/// Check and encode all parameters of a statement.
pub fn encode_params(types: &[Type], values: &[Dynamic]) -> Result<Vec<Encoded>, String> {
    if types.len() != values.len() {
        let expected = match types.len() {
            0 => "no parameters".to_string(),
            1 => "1 parameter ($1)".to_string(),
            n => format!("{n} parameters ($1..${n})"),
        };
        return Err(format!(
            "the statement expects {expected}, but {} {} given",
            values.len(),
            if values.len() == 1 { "was" } else { "were" }
        ));
    }
    types
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (ty, v))| encode(v, ty).map_err(|e| e.describe(&format!("${}", i + 1), ty, v)))
        .collect()
}

/// Why a value could not be encoded (rendered by [`Mismatch::describe`] with the parameter's name).
#[derive(Debug)]
pub enum Mismatch {
    Type,
    Range,
    Other(String),
}

impl Mismatch {
    fn describe(&self, name: &str, ty: &Type, v: &Dynamic) -> String {
        match self {
            Mismatch::Type => format!(
                "parameter {name} expects {}, but a Rhai {} was given ({})",
                sql_type_name(ty),
                rhai_type_name(v),
                preview(v)
            ),
            Mismatch::Range => format!(
                "parameter {name}: {} is out of range for {}",
                preview(v),
                sql_type_name(ty)
            ),
            Mismatch::Other(msg) => format!("parameter {name} ({}): {msg}", sql_type_name(ty)),
        }
    }
}

/// A type as SQL spells it in messages: `int4[]`, not the catalog's `_int4`.
pub fn sql_type_name(ty: &Type) -> String {
    match ty.kind() {
        Kind::Array(elem) => format!("{}[]", elem.name()),
        _ => ty.name().to_string(),
    }
}

/// The Rhai-facing name of a value's type in parameter errors, decided by the value's type (not by the
/// text of Rust's `type_name`, which the standard library does not promise to keep).
pub fn rhai_type_name(v: &Dynamic) -> String {
    let known = if v.is_unit() {
        "()"
    } else if v.is_int() {
        "integer"
    } else if v.is_float() {
        "float"
    } else if v.is_decimal() {
        "decimal"
    } else if v.is_bool() {
        "bool"
    } else if v.is_char() {
        "char"
    } else if v.is_blob() {
        "blob"
    } else if v.is_map() {
        "map"
    } else if v.is_array() {
        "array"
    } else if v.is_string() {
        "string"
    } else if v.is::<Date>() {
        "date"
    } else if v.is::<Timestamp>() {
        "timestamp"
    } else if v.is::<TimestampTz>() {
        "timestamptz"
    } else if v.is::<Time>() {
        "time"
    } else if v.is::<TimeTz>() {
        "timetz"
    } else if v.is::<Interval>() {
        "interval"
    } else {
        // A type of a layer above this one (rows, a Db handle) or a function pointer ("fn"): its own name, lowercased,
        // is only ever shown.
        let n = v.type_name();
        return n.rsplit("::").next().unwrap_or(n).to_lowercase();
    };
    known.to_string()
}

fn preview(v: &Dynamic) -> String {
    let s = if v.is_string() {
        format!("{:?}", v.to_string())
    } else {
        cell_text(v, None).unwrap_or_else(|| "()".into())
    };
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

fn base(ty: &Type) -> &Type {
    match ty.kind() {
        Kind::Domain(b) => base(b),
        _ => ty,
    }
}

fn is_text_like(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::CHAR
    ) || ty.name() == "citext"
}

fn is_json(ty: &Type) -> bool {
    matches!(*ty, Type::JSON | Type::JSONB)
}

fn bin(f: impl FnOnce(&mut BytesMut)) -> Encoded {
    let mut b = BytesMut::new();
    f(&mut b);
    Encoded::Binary(b.to_vec())
}

/// Encode one value for a parameter of type `ty`.
pub fn encode(v: &Dynamic, ty: &Type) -> Result<Encoded, Mismatch> {
    if v.is_unit() {
        return Ok(Encoded::Null);
    }
    let ty = base(ty);
    // Strings go as text for every type: the server's input function is the authority on the syntax. A
    // char is a one-character string wherever a string is taken.
    if v.is_string() || v.is_char() {
        return Ok(Encoded::Text(v.to_string()));
    }
    if let Kind::Array(elem) = ty.kind() {
        if v.is_array() {
            return encode_array(v, elem);
        }
        return Err(Mismatch::Type);
    }
    if let Ok(i) = v.as_int() {
        return encode_int(i, ty);
    }
    if let Ok(f) = v.as_float() {
        return match *ty {
            Type::FLOAT8 => Ok(bin(|b| pgt::float8_to_sql(f, b))),
            Type::FLOAT4 => {
                let narrowed = f as f32;
                if f.is_finite() && narrowed.is_infinite() {
                    Err(Mismatch::Range)
                } else {
                    Ok(bin(|b| pgt::float4_to_sql(narrowed, b)))
                }
            }
            Type::NUMERIC => Ok(Encoded::Text(super::format::float_text(f))),
            _ if is_text_like(ty) || is_json(ty) => Ok(Encoded::Text(super::format::float_text(f))),
            _ => Err(Mismatch::Type),
        };
    }
    if let Ok(d) = v.as_decimal() {
        return match *ty {
            Type::NUMERIC | Type::FLOAT4 | Type::FLOAT8 => Ok(Encoded::Text(d.to_string())),
            Type::INT2 | Type::INT4 | Type::INT8 => {
                if d.fract().is_zero() {
                    // Range-checked here, so the error names the parameter (the server's 22003 would not).
                    let whole = i64::try_from(d).map_err(|_| Mismatch::Range)?;
                    encode_int(whole, ty)
                } else {
                    Err(Mismatch::Other(format!(
                        "{d} is not a whole number; {} needs one",
                        ty.name()
                    )))
                }
            }
            _ if is_text_like(ty) || is_json(ty) => Ok(Encoded::Text(d.to_string())),
            _ => Err(Mismatch::Type),
        };
    }
    if let Ok(flag) = v.as_bool() {
        return match *ty {
            Type::BOOL => Ok(bin(|b| pgt::bool_to_sql(flag, b))),
            _ if is_text_like(ty) || is_json(ty) => Ok(Encoded::Text(flag.to_string())),
            _ => Err(Mismatch::Type),
        };
    }
    if v.is_blob() {
        return match *ty {
            Type::BYTEA => {
                let blob = v.read_lock::<rhai::Blob>().ok_or(Mismatch::Type)?;
                Ok(Encoded::Binary(blob.to_vec()))
            }
            _ => Err(Mismatch::Type),
        };
    }
    if v.is_map() || v.is_array() {
        return match *ty {
            Type::JSONB => Ok(Encoded::Text(json_text(v))),
            Type::JSON => Ok(Encoded::Text(json_text(v))),
            _ if is_text_like(ty) => Ok(Encoded::Text(json_text(v))),
            _ => Err(Mismatch::Type),
        };
    }
    encode_datetime(v, ty)
}

fn encode_int(i: i64, ty: &Type) -> Result<Encoded, Mismatch> {
    match *ty {
        Type::INT2 => i16::try_from(i)
            .map(|x| bin(|b| pgt::int2_to_sql(x, b)))
            .map_err(|_| Mismatch::Range),
        Type::INT4 => i32::try_from(i)
            .map(|x| bin(|b| pgt::int4_to_sql(x, b)))
            .map_err(|_| Mismatch::Range),
        Type::INT8 => Ok(bin(|b| pgt::int8_to_sql(i, b))),
        Type::OID => u32::try_from(i)
            .map(|x| bin(|b| pgt::oid_to_sql(x, b)))
            .map_err(|_| Mismatch::Range),
        Type::FLOAT8 => Ok(bin(|b| pgt::float8_to_sql(i as f64, b))),
        Type::FLOAT4 => Ok(bin(|b| pgt::float4_to_sql(i as f32, b))),
        Type::NUMERIC => Ok(Encoded::Text(i.to_string())),
        _ if is_text_like(ty) || is_json(ty) => Ok(Encoded::Text(i.to_string())),
        _ => Err(Mismatch::Type),
    }
}

fn encode_datetime(v: &Dynamic, ty: &Type) -> Result<Encoded, Mismatch> {
    let text = |s: String| -> Result<Encoded, Mismatch> {
        if is_text_like(ty) || is_json(ty) {
            Ok(Encoded::Text(s))
        } else {
            Err(Mismatch::Type)
        }
    };
    if let Some(d) = v.read_lock::<Date>() {
        return match *ty {
            Type::DATE => Ok(bin(|b| pgt::date_to_sql(d.0, b))),
            // A date is midnight of that day for timestamp parameters, as in SQL.
            Type::TIMESTAMP | Type::TIMESTAMPTZ => Ok(Encoded::Text(d.to_string())),
            _ => text(d.to_string()),
        };
    }
    if let Some(t) = v.read_lock::<Timestamp>() {
        return match *ty {
            Type::TIMESTAMP => Ok(bin(|b| pgt::timestamp_to_sql(t.0, b))),
            // Interpreted in the session's TimeZone by the server, as `'…'::timestamptz` would be.
            Type::TIMESTAMPTZ | Type::DATE => Ok(Encoded::Text(t.to_string())),
            _ => text(t.to_string()),
        };
    }
    if let Some(t) = v.read_lock::<TimestampTz>() {
        return match *ty {
            Type::TIMESTAMPTZ => Ok(bin(|b| pgt::timestamp_to_sql(t.micros, b))),
            // As SQL's timestamptz → timestamp cast: the wall-clock time in the value's zone (the session's,
            // for values read from it). Sent as text, a timestamp or date would drop the offset instead.
            Type::TIMESTAMP | Type::DATE => {
                let local = t.local().map_err(|e| Mismatch::Other(format!("{e}")))?;
                match *ty {
                    Type::TIMESTAMP => Ok(bin(|b| pgt::timestamp_to_sql(local.0, b))),
                    _ => Ok(bin(|b| pgt::date_to_sql(local.date().0, b))),
                }
            }
            _ => text(t.to_string()),
        };
    }
    if let Some(t) = v.read_lock::<Time>() {
        return match *ty {
            Type::TIME => Ok(bin(|b| pgt::time_to_sql(t.0, b))),
            Type::TIMETZ => Ok(Encoded::Text(t.to_string())),
            _ => text(t.to_string()),
        };
    }
    if let Some(t) = v.read_lock::<TimeTz>() {
        return match *ty {
            Type::TIMETZ => Ok(bin(|b| {
                pgt::time_to_sql(t.micros, b);
                b.extend_from_slice(&(-t.offset_secs).to_be_bytes());
            })),
            _ => text(t.to_string()),
        };
    }
    if let Some(t) = v.read_lock::<Interval>() {
        return match *ty {
            Type::INTERVAL => Ok(bin(|b| {
                b.extend_from_slice(&t.micros.to_be_bytes());
                b.extend_from_slice(&t.days.to_be_bytes());
                b.extend_from_slice(&t.months.to_be_bytes());
            })),
            _ => text(t.to_string()),
        };
    }
    Err(Mismatch::Type)
}

/// Arrays go in binary when every element does; otherwise as a PostgreSQL array literal in text.
fn encode_array(v: &Dynamic, elem: &Type) -> Result<Encoded, Mismatch> {
    let arr = v.read_lock::<rhai::Array>().ok_or(Mismatch::Type)?;
    let mut dims = Vec::new();
    let mut flat = Vec::new();
    flatten(&arr, 0, &mut dims, &mut flat)?;
    let encoded: Vec<Encoded> = flat
        .iter()
        .enumerate()
        .map(|(i, x)| {
            encode(x, elem).map_err(|e| match e {
                Mismatch::Type => Mismatch::Other(format!(
                    "element {} expects {}, but a Rhai {} was given ({})",
                    i,
                    elem.name(),
                    rhai_type_name(x),
                    preview(x)
                )),
                Mismatch::Range => Mismatch::Other(format!(
                    "element {i}: {} is out of range for {}",
                    preview(x),
                    elem.name()
                )),
                other => other,
            })
        })
        .collect::<Result<_, _>>()?;
    if encoded.iter().any(|e| matches!(e, Encoded::Text(_))) {
        let literal = array_literal(&arr);
        return Ok(Encoded::Text(literal));
    }
    let dimensions = dims
        .iter()
        .map(|&len| pgt::ArrayDimension {
            len,
            lower_bound: 1,
        })
        .collect::<Vec<_>>();
    let mut out = BytesMut::new();
    pgt::array_to_sql(
        dimensions,
        elem.oid(),
        encoded.iter(),
        |e, buf| match e {
            Encoded::Null => Ok(postgres_protocol::IsNull::Yes),
            Encoded::Binary(b) => {
                buf.extend_from_slice(b);
                Ok(postgres_protocol::IsNull::No)
            }
            Encoded::Text(s) => {
                buf.extend_from_slice(s.as_bytes());
                Ok(postgres_protocol::IsNull::No)
            }
        },
        &mut out,
    )
    .map_err(|e| Mismatch::Other(e.to_string()))?;
    Ok(Encoded::Binary(out.to_vec()))
}

/// Record the dimensions of a (possibly nested, rectangular) array and its elements in row-major order.
fn flatten(
    arr: &[Dynamic],
    depth: usize,
    dims: &mut Vec<i32>,
    flat: &mut Vec<Dynamic>,
) -> Result<(), Mismatch> {
    let len = i32::try_from(arr.len()).map_err(|_| Mismatch::Range)?;
    match dims.get(depth) {
        None => dims.push(len),
        Some(&d) if d != len => {
            return Err(Mismatch::Other(
                "multidimensional arrays must have sub-arrays of the same length".into(),
            ))
        }
        Some(_) => {}
    }
    let nested = arr.first().is_some_and(|x| x.is_array());
    for x in arr {
        if x.is_array() != nested {
            return Err(Mismatch::Other(
                "multidimensional arrays must not mix arrays and scalars at one level".into(),
            ));
        }
        if nested {
            let inner = x.read_lock::<rhai::Array>().ok_or(Mismatch::Type)?;
            flatten(&inner, depth + 1, dims, flat)?;
        } else {
            flat.push(x.clone());
        }
    }
    if arr.is_empty() && depth == 0 {
        dims.clear();
    }
    Ok(())
}

fn array_literal(arr: &[Dynamic]) -> String {
    let parts: Vec<String> = arr
        .iter()
        .map(|x| {
            if let Some(inner) = x.read_lock::<rhai::Array>() {
                array_literal(&inner)
            } else {
                match cell_text(x, None) {
                    None => "NULL".into(),
                    Some(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
                }
            }
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rhai_type_names_come_from_the_value_type() {
        let names = |v: Dynamic| (rhai_type_name(&v), rhai_type_name(&v.into_shared()));
        let cases: Vec<(Dynamic, &str)> = vec![
            (Dynamic::UNIT, "()"),
            (1_i64.into(), "integer"),
            (1.5_f64.into(), "float"),
            (Dynamic::from_decimal(rust_decimal::Decimal::ONE), "decimal"),
            (true.into(), "bool"),
            ('c'.into(), "char"),
            (Dynamic::from_blob(vec![1, 2]), "blob"),
            (rhai::Map::new().into(), "map"),
            (rhai::Array::new().into(), "array"),
            ("s".into(), "string"),
            (Dynamic::from(Date(0)), "date"),
            (Dynamic::from(Timestamp(0)), "timestamp"),
            (
                Dynamic::from(TimestampTz::from_micros(0, jiff::tz::TimeZone::UTC)),
                "timestamptz",
            ),
            (Dynamic::from(Time(0)), "time"),
            (
                Dynamic::from(TimeTz {
                    micros: 0,
                    offset_secs: 0,
                }),
                "timetz",
            ),
            (
                Dynamic::from(Interval {
                    months: 0,
                    days: 0,
                    micros: 0,
                }),
                "interval",
            ),
            (Dynamic::from(rhai::FnPtr::new("f").unwrap()), "fn"),
        ];
        for (v, want) in cases {
            // A value shared by a closure is named as the value it holds.
            assert_eq!(names(v), (want.to_string(), want.to_string()));
        }
    }

    #[test]
    fn integers_are_range_checked_per_type() {
        assert!(matches!(
            encode(&70000_i64.into(), &Type::INT2),
            Err(Mismatch::Range)
        ));
        assert!(matches!(
            encode(&70000_i64.into(), &Type::INT4),
            Ok(Encoded::Binary(_))
        ));
        assert!(matches!(
            encode(&(-1_i64).into(), &Type::OID),
            Err(Mismatch::Range)
        ));
        let err = encode_params(&[Type::INT2], &[70000_i64.into()]).unwrap_err();
        assert_eq!(err, "parameter $1: 70000 is out of range for int2");
    }

    #[test]
    fn mismatches_name_parameter_type_and_rhai_type() {
        let mut m = rhai::Map::new();
        m.insert("a".into(), 1_i64.into());
        let err = encode_params(&[Type::INT4, Type::INT4], &[1_i64.into(), m.into()]).unwrap_err();
        assert!(
            err.starts_with("parameter $2 expects int4, but a Rhai map was given"),
            "{err}"
        );
        let err = encode_params(&[Type::UUID], &[1.5_f64.into()]).unwrap_err();
        assert!(
            err.starts_with("parameter $1 expects uuid, but a Rhai float was given"),
            "{err}"
        );
        let err = encode_params(&[Type::INT4], &[]).unwrap_err();
        assert_eq!(
            err,
            "the statement expects 1 parameter ($1), but 0 were given"
        );
    }

    #[test]
    fn strings_go_as_text_for_any_type() {
        for ty in [Type::DATE, Type::UUID, Type::INET, Type::INT4, Type::JSONB] {
            assert!(matches!(encode(&"x".into(), &ty), Ok(Encoded::Text(_))));
        }
        match encode(&Dynamic::from_char('x'), &Type::TEXT) {
            Ok(Encoded::Text(s)) => assert_eq!(s, "x"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn decimals_for_integers_are_range_checked_and_arrays_named_as_in_sql() {
        let dec = |s: &str| Dynamic::from_decimal(s.parse().unwrap());
        let err = encode_params(&[Type::INT2], &[dec("40000")]).unwrap_err();
        assert_eq!(err, "parameter $1: 40000 is out of range for int2");
        let err =
            encode_params(&[Type::INT4, Type::INT8], &[1_i64.into(), dec("1e19")]).unwrap_err();
        assert_eq!(
            err,
            "parameter $2: 10000000000000000000 is out of range for int8"
        );
        assert!(matches!(
            encode(&dec("5.0"), &Type::INT4),
            Ok(Encoded::Binary(_))
        ));
        let err = encode_params(&[Type::INT4_ARRAY], &[1_i64.into()]).unwrap_err();
        assert!(
            err.starts_with("parameter $1 expects int4[], but a Rhai integer"),
            "{err}"
        );
    }

    #[test]
    fn arrays_encode_in_binary_or_as_literal() {
        let a = Dynamic::from_array(vec![1_i64.into(), Dynamic::UNIT]);
        assert!(matches!(
            encode(&a, &Type::INT4_ARRAY),
            Ok(Encoded::Binary(_))
        ));
        let d = Dynamic::from_array(vec!["2024-01-01".into()]);
        match encode(&d, &Type::DATE_ARRAY) {
            Ok(Encoded::Text(s)) => assert_eq!(s, r#"{"2024-01-01"}"#),
            other => panic!("{other:?}"),
        }
        let ragged = Dynamic::from_array(vec![
            Dynamic::from_array(vec![1_i64.into()]),
            Dynamic::from_array(vec![1_i64.into(), 2_i64.into()]),
        ]);
        assert!(encode(&ragged, &Type::INT4_ARRAY).is_err());
    }
}
