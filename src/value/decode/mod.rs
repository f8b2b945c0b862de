//! Results → Rhai: turns one column value, in PostgreSQL's binary format, into a natural Rhai value.
//!
//! Types pgsh cannot decode from binary (money, tsvector, extension types, types without a binary output
//! function) are fetched as text instead: [`read_mode`] tells the session which columns to cast, and arrays
//! of them are parsed from their literal. Records and composites stay binary, with their text form fetched
//! beside them when a field may need it ([`ColumnRead::Shadowed`]), so no field type fails a query.
//!
//! This file holds the decoders that call one another (values, arrays, records, composites, ranges); which
//! columns are read how is in [`read_mode`], values read as text in [`text`], scalar binary formats in
//! [`wire`].

use std::rc::Rc;

use postgres_protocol::types as pgt;
use postgres_types::{Kind, Type};
use rhai::{Array, Blob, Dynamic, Map};

mod error;
mod read_mode;
mod text;
mod wire;

pub use error::DecodeError;
pub use read_mode::{read_mode, ColumnRead};
pub use text::decode_text;
use wire::{
    err, floats, hex_join, inet, interval, numeric, path, polygon, read_i32, read_u16, read_u32,
    text, timetz, uuid, DecodeResult,
};

use super::datetime::{Date, Time, Timestamp, TimestampTz};
use super::format::float_text;
use super::literal;

/// What decoding needs to know about the session.
#[derive(Clone)]
pub struct DecodeCtx {
    /// The session's TimeZone, for timestamptz values.
    pub zone: Rc<jiff::tz::TimeZone>,
    /// For results only shown: keep json and jsonb as the server's text ([`JsonText`](super::JsonText)),
    /// and arrays with lower bounds other than 1 as their literal ([`LiteralText`](super::LiteralText)).
    pub for_display: bool,
}

impl Default for DecodeCtx {
    fn default() -> Self {
        DecodeCtx {
            zone: Rc::new(jiff::tz::TimeZone::UTC),
            for_display: false,
        }
    }
}

/// Decode one value (`None` = SQL NULL).
pub fn decode(ty: &Type, raw: Option<&[u8]>, ctx: &DecodeCtx) -> DecodeResult {
    let Some(buf) = raw else {
        return Ok(Dynamic::UNIT);
    };
    decode_value(ty, buf, ctx)
}

/// Decode a binary value with its text form (`text`, when fetched) to fall back on: a record or composite
/// field, or an array element, that pgsh cannot decode (money, an extension type, a type unknown to
/// pgsh) takes its text from the literal instead of failing the value.
pub fn decode_shadowed(
    ty: &Type,
    raw: Option<&[u8]>,
    text: Option<&str>,
    ctx: &DecodeCtx,
) -> DecodeResult {
    let Some(buf) = raw else {
        return Ok(Dynamic::UNIT);
    };
    let fallback = |e: DecodeError| match text {
        Some(t) => Ok(decode_text(ty, t)),
        None => Err(e),
    };
    if *ty == Type::RECORD {
        return decode_record(buf, text, ctx).or_else(fallback);
    }
    if *ty == Type::RECORD_ARRAY {
        return shadowed_array(&Type::RECORD, buf, text, ctx).or_else(fallback);
    }
    match ty.kind() {
        Kind::Domain(base) => decode_shadowed(base, raw, text, ctx),
        Kind::Composite(fields) => decode_composite(fields, buf, text, ctx).or_else(fallback),
        Kind::Array(elem) if read_mode(elem) == ColumnRead::Shadowed => {
            shadowed_array(elem, buf, text, ctx).or_else(fallback)
        }
        _ => decode_value(ty, buf, ctx).or_else(fallback),
    }
}

fn shadowed_array(elem: &Type, buf: &[u8], text: Option<&str>, ctx: &DecodeCtx) -> DecodeResult {
    use fallible_iterator::FallibleIterator;
    let parsed = text.and_then(|t| literal::parse_array(t, ',').ok());
    let texts = parsed.as_deref().map(literal::flatten).unwrap_or_default();
    let arr = pgt::array_from_sql(buf).map_err(err)?;
    let (dims, _) = array_dims(&arr, buf)?;
    let raws: Vec<Option<&[u8]>> = arr.values().collect().map_err(err)?;
    let values: Vec<Dynamic> = raws
        .into_iter()
        .enumerate()
        .map(|(i, v)| decode_shadowed(elem, v, texts.get(i).copied().flatten(), ctx))
        .collect::<Result<_, _>>()?;
    if dims.is_empty() {
        return Ok(Dynamic::from_array(Array::new()));
    }
    Ok(nest(&dims, &mut values.into_iter()))
}

fn decode_value(ty: &Type, buf: &[u8], ctx: &DecodeCtx) -> DecodeResult {
    match ty.kind() {
        Kind::Enum(_) => return text(buf),
        Kind::Domain(base) => return decode_value(base, buf, ctx),
        Kind::Array(elem) => return decode_array(elem, buf, ctx),
        Kind::Composite(fields) => return decode_composite(fields, buf, None, ctx),
        Kind::Range(elem) => return decode_range(elem, buf, ctx),
        _ => {}
    }
    Ok(match *ty {
        Type::BOOL => pgt::bool_from_sql(buf).map_err(err)?.into(),
        Type::INT2 => (pgt::int2_from_sql(buf).map_err(err)? as i64).into(),
        Type::INT4 => (pgt::int4_from_sql(buf).map_err(err)? as i64).into(),
        Type::INT8 => pgt::int8_from_sql(buf).map_err(err)?.into(),
        Type::OID | Type::XID | Type::CID => (pgt::oid_from_sql(buf).map_err(err)? as i64).into(),
        // Through the float4's shortest decimal form, so 1.1::float4 reads as 1.1 (as psql shows it), not
        // as 1.100000023841858.
        Type::FLOAT4 => {
            let f = pgt::float4_from_sql(buf).map_err(err)?;
            let widened = if f.is_finite() {
                f.to_string().parse::<f64>().unwrap_or(f as f64)
            } else {
                f as f64
            };
            widened.into()
        }
        Type::FLOAT8 => pgt::float8_from_sql(buf).map_err(err)?.into(),
        Type::NUMERIC => numeric(buf)?,
        Type::CHAR => {
            let c = pgt::char_from_sql(buf).map_err(err)? as u8;
            if c == 0 {
                Dynamic::from(String::new())
            } else {
                Dynamic::from(String::from_utf8_lossy(&[c]).into_owned())
            }
        }
        Type::BYTEA => Dynamic::from_blob(Blob::from(buf)),
        Type::JSON => json(buf, ctx)?,
        Type::JSONB => match buf.split_first() {
            Some((1, rest)) => json(rest, ctx)?,
            _ => return Err(DecodeError::JsonbVersion),
        },
        Type::UUID => uuid(&pgt::uuid_from_sql(buf).map_err(err)?).into(),
        Type::DATE => Dynamic::from(Date(pgt::date_from_sql(buf).map_err(err)?)),
        Type::TIMESTAMP => Dynamic::from(Timestamp(pgt::timestamp_from_sql(buf).map_err(err)?)),
        Type::TIMESTAMPTZ => Dynamic::from(TimestampTz::from_micros(
            pgt::timestamp_from_sql(buf).map_err(err)?,
            ctx.zone.clone(),
        )),
        Type::TIME => Dynamic::from(Time(pgt::time_from_sql(buf).map_err(err)?)),
        Type::TIMETZ => Dynamic::from(timetz(buf)?),
        Type::INTERVAL => Dynamic::from(interval(buf)?),
        Type::INET | Type::CIDR => inet(buf, *ty == Type::CIDR)?.into(),
        Type::MACADDR => {
            let m = pgt::macaddr_from_sql(buf).map_err(err)?;
            hex_join(&m, ":").into()
        }
        Type::MACADDR8 => hex_join(buf, ":").into(),
        Type::BIT | Type::VARBIT => {
            let v = pgt::varbit_from_sql(buf).map_err(err)?;
            let bits: String = (0..v.len())
                .map(|i| {
                    let byte = v.bytes().get(i / 8).copied().unwrap_or(0);
                    if byte & (0x80 >> (i % 8)) != 0 {
                        '1'
                    } else {
                        '0'
                    }
                })
                .collect();
            bits.into()
        }
        Type::POINT => {
            let p = pgt::point_from_sql(buf).map_err(err)?;
            format!("({},{})", float_text(p.x()), float_text(p.y())).into()
        }
        Type::BOX => {
            let b = pgt::box_from_sql(buf).map_err(err)?;
            let (ur, ll) = (b.upper_right(), b.lower_left());
            format!(
                "({},{}),({},{})",
                float_text(ur.x()),
                float_text(ur.y()),
                float_text(ll.x()),
                float_text(ll.y())
            )
            .into()
        }
        Type::LSEG => {
            let [a, b, c, d] = floats::<4>(buf)?;
            format!("[({a},{b}),({c},{d})]").into()
        }
        Type::LINE => {
            let [a, b, c] = floats::<3>(buf)?;
            format!("{{{a},{b},{c}}}").into()
        }
        Type::CIRCLE => {
            let [x, y, r] = floats::<3>(buf)?;
            format!("<({x},{y}),{r}>").into()
        }
        Type::PATH => path(buf)?.into(),
        Type::POLYGON => polygon(buf)?.into(),
        Type::PG_LSN => {
            let lsn = pgt::lsn_from_sql(buf).map_err(err)?;
            format!("{:X}/{:X}", lsn >> 32, lsn & 0xffff_ffff).into()
        }
        Type::TID => {
            let mut b = buf;
            let block = read_u32(&mut b)?;
            let off = read_u16(&mut b)?;
            format!("({block},{off})").into()
        }
        Type::RECORD => decode_record(buf, None, ctx)?,
        Type::RECORD_ARRAY => decode_array(&Type::RECORD, buf, ctx)?,
        _ if text_on_the_wire(ty) => text(buf)?,
        _ => return Err(DecodeError::NoDecoder(ty.name().to_string())),
    })
}

/// Types whose binary form is their text.
fn text_on_the_wire(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::XML
    ) || ty.name() == "citext"
}

/// One field of a record in binary: its type OID and its raw value (None = NULL).
type RawField<'a> = (u32, Option<&'a [u8]>);

/// The fields of a record or composite value in binary.
fn record_fields(buf: &[u8]) -> Result<Vec<RawField<'_>>, DecodeError> {
    let mut b = buf;
    let n = read_i32(&mut b)?;
    // Each field takes at least 8 bytes (OID and length): a count beyond that is a bad header, and must
    // not size the list (an i32 count of 24-byte entries is tens of GB).
    let mut out = Vec::with_capacity((n.max(0) as usize).min(b.len() / 8));
    for _ in 0..n {
        let oid = read_u32(&mut b)?;
        let len = read_i32(&mut b)?;
        let raw = if len < 0 {
            None
        } else {
            let (v, t) = b
                .split_at_checked(len as usize)
                .ok_or(DecodeError::TooShort)?;
            b = t;
            Some(v)
        };
        out.push((oid, raw));
    }
    Ok(out)
}

/// An anonymous record (`ROW(1, 'a')`): fields carry their type OIDs; keys are PostgreSQL's f1, f2, …
/// A field pgsh cannot decode takes its text from the record's literal when that was fetched too.
fn decode_record(buf: &[u8], text: Option<&str>, ctx: &DecodeCtx) -> DecodeResult {
    let texts = text.and_then(|t| literal::parse_record(t).ok());
    let mut map = Map::new();
    for (i, (oid, raw)) in record_fields(buf)?.into_iter().enumerate() {
        let field_text = texts
            .as_ref()
            .and_then(|t| t.get(i))
            .and_then(Option::as_deref);
        let v = match Type::from_oid(oid) {
            Some(ty) => decode_shadowed(&ty, raw, field_text, ctx),
            // A type pgsh does not know (a user composite, an extension's type): its text is all there is.
            None if raw.is_none() => Ok(Dynamic::UNIT),
            None => field_text
                .map(|t| Dynamic::from(t.to_string()))
                .ok_or(DecodeError::UnknownFieldType { field: i + 1, oid }),
        }
        .map_err(|e| DecodeError::RecordField {
            field: i + 1,
            source: Box::new(e),
        })?;
        map.insert(format!("f{}", i + 1).into(), v);
    }
    Ok(map.into())
}

fn json(buf: &[u8], ctx: &DecodeCtx) -> DecodeResult {
    if ctx.for_display {
        return Ok(Dynamic::from(super::JsonText(
            String::from_utf8_lossy(buf).into_owned(),
        )));
    }
    match serde_json::from_slice::<serde_json::Value>(buf) {
        Ok(v) => rhai::serde::to_dynamic(v).map_err(err),
        // The server checked the JSON, so only a number beyond a float's range (`1e400`) gets here: the
        // document comes back as its text rather than failing the column.
        Err(e) if e.is_data() || e.is_syntax() => {
            Ok(Dynamic::from(String::from_utf8_lossy(buf).into_owned()))
        }
        Err(e) => Err(err(e)),
    }
}

fn decode_array(elem: &Type, buf: &[u8], ctx: &DecodeCtx) -> DecodeResult {
    let arr = pgt::array_from_sql(buf).map_err(err)?;
    let (dims, lower) = array_dims(&arr, buf)?;
    let values: Vec<Dynamic> = {
        use fallible_iterator::FallibleIterator;
        arr.values()
            .map(|v| decode(elem, v, ctx).map_err(|e| e.into()))
            .collect()
            .map_err(|e: Box<dyn std::error::Error + Sync + Send>| err(e))?
    };
    if dims.is_empty() {
        return Ok(Dynamic::from_array(Array::new()));
    }
    let mut iter = values.into_iter();
    let nested = nest(&dims, &mut iter);
    if ctx.for_display && lower.iter().any(|&l| l != 1) {
        let bounds: String = (dims.iter().zip(&lower))
            .map(|(n, l)| format!("[{l}:{}]", l + n - 1))
            .collect();
        let literal = super::format::pg_array_text(&nested, Some(elem));
        return Ok(Dynamic::from(super::LiteralText(format!(
            "{bounds}={literal}"
        ))));
    }
    Ok(nested)
}

/// The dimensions (lengths, lower bounds) of a binary array, checked as the server's `array_recv` checks
/// them before anything is read: at most MAXDIM (6) of them, a zero length making the array empty (no
/// dimensions), and no more elements than the bytes can hold (each has at least its 4-byte length). A
/// bad header is then an error, not an allocation of gigabytes (the element list is sized from the
/// header) or a recursion as deep as the dimension count.
fn array_dims(arr: &pgt::Array<'_>, buf: &[u8]) -> Result<(Vec<i32>, Vec<i32>), DecodeError> {
    use fallible_iterator::FallibleIterator;
    const MAXDIM: usize = 6;
    let mut dims: Vec<(i32, i32)> = Vec::new();
    let mut it = arr.dimensions();
    while let Some(d) = it.next().map_err(err)? {
        if dims.len() == MAXDIM {
            return Err(err(format!("more than {MAXDIM} array dimensions")));
        }
        dims.push((d.len, d.lower_bound));
    }
    if dims.iter().any(|&(len, _)| len == 0) {
        return Ok((Vec::new(), Vec::new()));
    }
    let elements = dims
        .iter()
        .map(|&(len, _)| i128::from(len))
        .product::<i128>();
    if !dims.is_empty() && elements > (buf.len() / 4) as i128 {
        return Err(DecodeError::TooShort);
    }
    Ok(dims.into_iter().unzip())
}

/// Rebuild a multi-dimensional array from the flat, row-major element list.
fn nest(dims: &[i32], values: &mut impl Iterator<Item = Dynamic>) -> Dynamic {
    match dims.split_first() {
        None => values.next().unwrap_or(Dynamic::UNIT),
        Some((n, rest)) => {
            let arr: Array = (0..*n).map(|_| nest(rest, values)).collect();
            Dynamic::from_array(arr)
        }
    }
}

fn decode_composite(
    fields: &[postgres_types::Field],
    buf: &[u8],
    text: Option<&str>,
    ctx: &DecodeCtx,
) -> DecodeResult {
    let texts = text.and_then(|t| literal::parse_record(t).ok());
    let mut map = Map::new();
    for (i, (_, raw)) in record_fields(buf)?.into_iter().enumerate() {
        let field = fields.get(i).ok_or(DecodeError::ExtraField)?;
        let field_text = texts
            .as_ref()
            .and_then(|t| t.get(i))
            .and_then(Option::as_deref);
        let v = decode_shadowed(field.type_(), raw, field_text, ctx).map_err(|e| {
            DecodeError::CompositeField {
                name: field.name().to_string(),
                source: Box::new(e),
            }
        })?;
        map.insert(field.name().into(), v);
    }
    Ok(map.into())
}

fn decode_range(elem: &Type, buf: &[u8], ctx: &DecodeCtx) -> DecodeResult {
    use pgt::{Range, RangeBound};
    let bound = |b: &RangeBound<Option<&[u8]>>| -> Result<(String, bool), DecodeError> {
        Ok(match b {
            RangeBound::Unbounded => (String::new(), false),
            RangeBound::Inclusive(v) => (range_elem(elem, *v, ctx)?, true),
            RangeBound::Exclusive(v) => (range_elem(elem, *v, ctx)?, false),
        })
    };
    Ok(match pgt::range_from_sql(buf).map_err(err)? {
        Range::Empty => "empty".into(),
        Range::Nonempty(lo, hi) => {
            let (l, li) = bound(&lo)?;
            let (h, hi_inc) = bound(&hi)?;
            format!(
                "{}{},{}{}",
                if li { '[' } else { '(' },
                l,
                h,
                if hi_inc { ']' } else { ')' }
            )
            .into()
        }
    })
}

fn range_elem(elem: &Type, raw: Option<&[u8]>, ctx: &DecodeCtx) -> Result<String, DecodeError> {
    let v = decode(elem, raw, ctx)?;
    let s = super::format::scalar_text(&v).unwrap_or_default();
    // Range output quotes bounds that contain spaces, commas or quotes, like record output.
    Ok(if s.contains([' ', ',', '"', '(', ')', '[', ']', '\\']) {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(ty: &Type, buf: &[u8]) -> String {
        decode(ty, Some(buf), &DecodeCtx::default())
            .unwrap_err()
            .to_string()
    }

    /// A record in binary: (type OID, value) per field, `None` for NULL.
    fn record(fields: &[(u32, Option<&[u8]>)]) -> Vec<u8> {
        let mut v = (fields.len() as i32).to_be_bytes().to_vec();
        for (oid, raw) in fields {
            v.extend(oid.to_be_bytes());
            match raw {
                Some(b) => {
                    v.extend((b.len() as i32).to_be_bytes());
                    v.extend(*b);
                }
                None => v.extend((-1_i32).to_be_bytes()),
            }
        }
        v
    }

    #[test]
    fn errors_say_what_could_not_be_read() {
        assert_eq!(message(&Type::TID, &[0, 0]), "value too short");
        assert_eq!(message(&Type::INET, &[2, 32]), "inet value too short");
        assert_eq!(
            message(&Type::INET, &[2, 32, 0, 3, 1, 2, 3]),
            "invalid inet address length"
        );
        assert_eq!(
            message(&Type::JSONB, &[2, b'1']),
            "unsupported jsonb version"
        );
        assert_eq!(
            message(&Type::MONEY, &[0; 8]),
            "pgsh has no binary decoder for type money; cast the column to text (expr::text)"
        );
        // A field pgsh cannot read names the field, its cause kept as the error's source.
        let unknown = record(&[(23, Some(&7_i32.to_be_bytes())), (99_999, Some(b"x"))]);
        let e = decode(&Type::RECORD, Some(&unknown), &DecodeCtx::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "record field f2: record field 2 has a type pgsh does not know (oid 99999); cast the record to text"
        );
        assert!(matches!(
            std::error::Error::source(&e).and_then(|s| s.downcast_ref::<DecodeError>()),
            Some(DecodeError::UnknownFieldType {
                field: 2,
                oid: 99_999
            })
        ));
        // Its text form, when fetched, stands in for the field instead.
        let v = decode_shadowed(
            &Type::RECORD,
            Some(&unknown),
            Some("(7,x)"),
            &DecodeCtx::default(),
        )
        .unwrap();
        assert_eq!(v.to_string(), "#{\"f1\": 7, \"f2\": \"x\"}");
    }
}
