//! Results → Rhai: turns one column value, in PostgreSQL's binary format, into a natural Rhai value.
//!
//! Types pgsh cannot decode from binary (money, tsvector, extension types, types without a binary output
//! function) are fetched as text instead: [`read_mode`] tells the session which columns to cast, and arrays
//! of them are parsed from their literal. Records and composites stay binary, with their text form fetched
//! beside them when a field may need it ([`ColumnRead::Shadowed`]), so no field type fails a query.

use std::rc::Rc;

use postgres_protocol::types as pgt;
use postgres_types::{Kind, Type};
use rhai::{Array, Blob, Dynamic, Map};

use super::datetime::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz};
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

type DecodeResult = Result<Dynamic, String>;

/// How the session fetches a result column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnRead {
    /// In binary, decoded by [`decode`].
    Binary,
    /// As `::text`, decoded by [`decode_text`] (arrays become arrays of strings).
    Text,
    /// In binary, with its `::text` beside it for the fields pgsh cannot decode: [`decode_shadowed`].
    /// Anonymous records always (their field types are only known per value), composites and arrays of
    /// them when some field type is not binary-decodable.
    Shadowed,
}

/// How to fetch a column of this type (see [`ColumnRead`]).
pub fn read_mode(ty: &Type) -> ColumnRead {
    if *ty == Type::RECORD || *ty == Type::RECORD_ARRAY {
        return ColumnRead::Shadowed;
    }
    match ty.kind() {
        Kind::Domain(base) | Kind::Array(base) => read_mode(base),
        Kind::Composite(fields) => {
            if fields
                .iter()
                .all(|f| read_mode(f.type_()) == ColumnRead::Binary)
            {
                ColumnRead::Binary
            } else {
                ColumnRead::Shadowed
            }
        }
        _ if binary_decodable(ty) => ColumnRead::Binary,
        _ => ColumnRead::Text,
    }
}

/// Can a value of this type be decoded from binary by [`decode`]?
fn binary_decodable(ty: &Type) -> bool {
    if *ty == Type::RECORD {
        return true;
    }
    match ty.kind() {
        Kind::Enum(_) => true,
        Kind::Array(elem) | Kind::Domain(elem) => binary_decodable(elem),
        Kind::Range(elem) => binary_decodable(elem) && range_text_ok(elem),
        Kind::Composite(fields) => fields.iter().all(|f| binary_decodable(f.type_())),
        Kind::Simple => simple_decodable(ty),
        _ => false,
    }
}

fn simple_decodable(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::BOOL
            | Type::INT2
            | Type::INT4
            | Type::INT8
            | Type::OID
            | Type::FLOAT4
            | Type::FLOAT8
            | Type::NUMERIC
            | Type::TEXT
            | Type::VARCHAR
            | Type::BPCHAR
            | Type::NAME
            | Type::CHAR
            | Type::UNKNOWN
            | Type::BYTEA
            | Type::JSON
            | Type::JSONB
            | Type::UUID
            | Type::DATE
            | Type::TIME
            | Type::TIMETZ
            | Type::TIMESTAMP
            | Type::TIMESTAMPTZ
            | Type::INTERVAL
            | Type::INET
            | Type::CIDR
            | Type::MACADDR
            | Type::MACADDR8
            | Type::BIT
            | Type::VARBIT
            | Type::XML
            | Type::POINT
            | Type::BOX
            | Type::LSEG
            | Type::LINE
            | Type::CIRCLE
            | Type::PATH
            | Type::POLYGON
            | Type::PG_LSN
            | Type::RECORD
            | Type::XID
            | Type::CID
            | Type::TID
    ) || ty.name() == "citext"
}

/// Ranges are shown as text; pgsh formats the bounds itself for element types whose text it knows exactly.
fn range_text_ok(elem: &Type) -> bool {
    matches!(
        *elem,
        Type::INT4 | Type::INT8 | Type::NUMERIC | Type::DATE | Type::TIMESTAMP | Type::TIMESTAMPTZ
    )
}

/// Decode one value (`None` = SQL NULL).
pub fn decode(ty: &Type, raw: Option<&[u8]>, ctx: &DecodeCtx) -> DecodeResult {
    let Some(buf) = raw else {
        return Ok(Dynamic::UNIT);
    };
    decode_value(ty, buf, ctx)
}

/// A value fetched as text for a column of type `ty`: arrays (nested, with NULLs as `()`) and composites are
/// parsed from their literal, their elements and fields staying strings; anything else is its text. A
/// literal that does not parse is kept whole, so no value is ever lost to an error.
pub fn decode_text(ty: &Type, text: &str) -> Dynamic {
    if *ty == Type::RECORD_ARRAY {
        return decode_text(&array_of_records(), text);
    }
    match ty.kind() {
        Kind::Domain(base) => decode_text(base, text),
        Kind::Array(elem) => {
            // box is the one built-in type whose array delimiter is not a comma.
            let delim = if *base_type(elem) == Type::BOX {
                ';'
            } else {
                ','
            };
            match literal::parse_array(text, delim) {
                Ok(elems) => text_elems(elem, &elems),
                Err(_) => text.into(),
            }
        }
        Kind::Composite(fields) => match literal::parse_record(text) {
            Ok(values) if values.len() == fields.len() => {
                let map: Map = fields
                    .iter()
                    .zip(values)
                    .map(|(f, v)| {
                        let v = v.map_or(Dynamic::UNIT, |v| decode_text(f.type_(), &v));
                        (f.name().into(), v)
                    })
                    .collect();
                map.into()
            }
            _ => text.into(),
        },
        _ if *ty == Type::RECORD => match literal::parse_record(text) {
            Ok(values) => {
                let map: Map = values
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        (
                            format!("f{}", i + 1).into(),
                            v.map_or(Dynamic::UNIT, Dynamic::from),
                        )
                    })
                    .collect();
                map.into()
            }
            Err(_) => text.into(),
        },
        _ => text.into(),
    }
}

fn text_elems(elem: &Type, elems: &[literal::Elem]) -> Dynamic {
    let arr: Array = elems
        .iter()
        .map(|e| match e {
            literal::Elem::Null => Dynamic::UNIT,
            literal::Elem::Text(s) => decode_text(elem, s),
            literal::Elem::Array(inner) => text_elems(elem, inner),
        })
        .collect();
    Dynamic::from_array(arr)
}

/// `record[]` as an array type (postgres-types calls `_record` a pseudo-type, not an array of record).
pub fn array_of_records() -> Type {
    Type::new(
        "_record".into(),
        Type::RECORD_ARRAY.oid(),
        Kind::Array(Type::RECORD),
        "pg_catalog".into(),
    )
}

fn base_type(ty: &Type) -> &Type {
    match ty.kind() {
        Kind::Domain(b) => base_type(b),
        _ => ty,
    }
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
    let fallback = |e: String| match text {
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
    let dims: Vec<i32> = arr.dimensions().map(|d| Ok(d.len)).collect().map_err(err)?;
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

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
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
            _ => return Err("unsupported jsonb version".into()),
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
        _ => {
            return Err(format!(
                "pgsh has no binary decoder for type {}; cast the column to text (expr::text)",
                ty.name()
            ))
        }
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
fn record_fields(buf: &[u8]) -> Result<Vec<RawField<'_>>, String> {
    let mut b = buf;
    let n = read_i32(&mut b)?;
    let mut out = Vec::with_capacity(n.max(0) as usize);
    for _ in 0..n {
        let oid = read_u32(&mut b)?;
        let len = read_i32(&mut b)?;
        let raw = if len < 0 {
            None
        } else {
            let (v, t) = b.split_at_checked(len as usize).ok_or("value too short")?;
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
                .ok_or_else(|| {
                    format!(
                        "record field {} has a type pgsh does not know (oid {oid})",
                        i + 1
                    )
                }),
        }
        .map_err(|e| format!("record field f{}: {e}; cast the record to text", i + 1))?;
        map.insert(format!("f{}", i + 1).into(), v);
    }
    Ok(map.into())
}

fn text(buf: &[u8]) -> DecodeResult {
    Ok(pgt::text_from_sql(buf).map_err(err)?.into())
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

fn uuid(b: &[u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push_str(&format!("{x:02x}"));
    }
    s
}

fn hex_join(b: &[u8], sep: &str) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(sep)
}

fn read_i16(b: &mut &[u8]) -> Result<i16, String> {
    let (h, t) = b.split_first_chunk::<2>().ok_or("value too short")?;
    *b = t;
    Ok(i16::from_be_bytes(*h))
}

fn read_u16(b: &mut &[u8]) -> Result<u16, String> {
    Ok(read_i16(b)? as u16)
}

fn read_i32(b: &mut &[u8]) -> Result<i32, String> {
    let (h, t) = b.split_first_chunk::<4>().ok_or("value too short")?;
    *b = t;
    Ok(i32::from_be_bytes(*h))
}

fn read_u32(b: &mut &[u8]) -> Result<u32, String> {
    Ok(read_i32(b)? as u32)
}

fn read_i64(b: &mut &[u8]) -> Result<i64, String> {
    let (h, t) = b.split_first_chunk::<8>().ok_or("value too short")?;
    *b = t;
    Ok(i64::from_be_bytes(*h))
}

fn read_f64(b: &mut &[u8]) -> Result<f64, String> {
    Ok(f64::from_bits(read_i64(b)? as u64))
}

fn floats<const N: usize>(buf: &[u8]) -> Result<[String; N], String> {
    let mut b = buf;
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for slot in out.iter_mut() {
        *slot = float_text(read_f64(&mut b)?);
    }
    Ok(out)
}

fn points(b: &mut &[u8], n: i32) -> Result<String, String> {
    let mut out = Vec::new();
    for _ in 0..n {
        let x = read_f64(b)?;
        let y = read_f64(b)?;
        out.push(format!("({},{})", float_text(x), float_text(y)));
    }
    Ok(out.join(","))
}

fn path(buf: &[u8]) -> Result<String, String> {
    let (&closed, mut b) = buf.split_first().ok_or("value too short")?;
    let closed = closed != 0;
    let n = read_i32(&mut b)?;
    let pts = points(&mut b, n)?;
    Ok(if closed {
        format!("({pts})")
    } else {
        format!("[{pts}]")
    })
}

fn polygon(buf: &[u8]) -> Result<String, String> {
    let mut b = buf;
    let n = read_i32(&mut b)?;
    Ok(format!("({})", points(&mut b, n)?))
}

fn timetz(buf: &[u8]) -> Result<TimeTz, String> {
    let mut b = buf;
    let micros = read_i64(&mut b)?;
    // PostgreSQL stores the zone as seconds *west* of UTC.
    let west = read_i32(&mut b)?;
    Ok(TimeTz {
        micros,
        offset_secs: -west,
    })
}

fn interval(buf: &[u8]) -> Result<Interval, String> {
    let mut b = buf;
    let micros = read_i64(&mut b)?;
    let days = read_i32(&mut b)?;
    let months = read_i32(&mut b)?;
    Ok(Interval {
        months,
        days,
        micros,
    })
}

/// inet/cidr: family, bits, is_cidr, address length, address. The family byte is not trusted: the
/// embedded (WASI) server encodes it with its own AF_INET value, so the address length decides.
fn inet(buf: &[u8], cidr: bool) -> Result<String, String> {
    let [_family, bits, _is_cidr, len, addr @ ..] = buf else {
        return Err("inet value too short".into());
    };
    let (ip, full): (std::net::IpAddr, u8) = match (*len, addr.len()) {
        (4, 4) => {
            let a: [u8; 4] = addr.try_into().map_err(err)?;
            (a.into(), 32)
        }
        (16, 16) => {
            let a: [u8; 16] = addr.try_into().map_err(err)?;
            (a.into(), 128)
        }
        _ => return Err("invalid inet address length".into()),
    };
    // psql shows the mask for inet only when it is not a single host; cidr always shows it.
    Ok(if cidr || *bits != full {
        format!("{ip}/{bits}")
    } else {
        ip.to_string()
    })
}

/// PostgreSQL's numeric binary format → its exact decimal text.
pub fn numeric_text(buf: &[u8]) -> Result<String, String> {
    let mut b = buf;
    let ndigits = read_i16(&mut b)?;
    let weight = read_i16(&mut b)? as i32;
    let sign = read_u16(&mut b)?;
    let dscale = read_u16(&mut b)? as i32;
    match sign {
        0xC000 => return Ok("NaN".into()),
        0xD000 => return Ok("Infinity".into()),
        0xF000 => return Ok("-Infinity".into()),
        _ => {}
    }
    let digits: Vec<i16> = (0..ndigits.max(0))
        .map(|_| read_i16(&mut b))
        .collect::<Result<_, _>>()?;
    let digit = |i: i32| -> i16 {
        if i < 0 {
            0
        } else {
            digits.get(i as usize).copied().unwrap_or(0)
        }
    };
    let mut out = String::new();
    if sign == 0x4000 {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    } else {
        for i in 0..=weight {
            if i == 0 {
                out.push_str(&digit(i).to_string());
            } else {
                out.push_str(&format!("{:04}", digit(i)));
            }
        }
    }
    if dscale > 0 {
        out.push('.');
        let mut frac = String::new();
        let mut i = weight + 1;
        while (frac.len() as i32) < dscale {
            frac.push_str(&format!("{:04}", digit(i)));
            i += 1;
        }
        frac.truncate(dscale as usize);
        out.push_str(&frac);
    }
    Ok(out)
}

/// numeric → an exact Rhai decimal when rust_decimal holds it with its scale (at most 28 decimals, and the
/// digits as one whole number at most 2^96 - 1), else its exact text.
fn numeric(buf: &[u8]) -> DecodeResult {
    let text = numeric_text(buf)?;
    Ok(match rust_decimal::Decimal::from_str_exact(&text) {
        Ok(d) if d.to_string() == text => Dynamic::from_decimal(d),
        _ => text.into(),
    })
}

fn decode_array(elem: &Type, buf: &[u8], ctx: &DecodeCtx) -> DecodeResult {
    let arr = pgt::array_from_sql(buf).map_err(err)?;
    let (dims, lower): (Vec<i32>, Vec<i32>) = {
        use fallible_iterator::FallibleIterator;
        let d: Vec<(i32, i32)> = arr
            .dimensions()
            .map(|d| Ok((d.len, d.lower_bound)))
            .collect()
            .map_err(err)?;
        d.into_iter().unzip()
    };
    let values: Vec<Dynamic> = {
        use fallible_iterator::FallibleIterator;
        arr.values()
            .map(|v| decode(elem, v, ctx).map_err(|e| e.into()))
            .collect()
            .map_err(|e: Box<dyn std::error::Error + Sync + Send>| e.to_string())?
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
        let field = fields.get(i).ok_or("more fields than the type has")?;
        let field_text = texts
            .as_ref()
            .and_then(|t| t.get(i))
            .and_then(Option::as_deref);
        let v = decode_shadowed(field.type_(), raw, field_text, ctx)
            .map_err(|e| format!("field {}: {e}", field.name()))?;
        map.insert(field.name().into(), v);
    }
    Ok(map.into())
}

fn decode_range(elem: &Type, buf: &[u8], ctx: &DecodeCtx) -> DecodeResult {
    use pgt::{Range, RangeBound};
    let bound = |b: &RangeBound<Option<&[u8]>>| -> Result<(String, bool), String> {
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

fn range_elem(elem: &Type, raw: Option<&[u8]>, ctx: &DecodeCtx) -> Result<String, String> {
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

    fn numeric_bytes(ndigits: &[i16], weight: i16, sign: u16, dscale: u16) -> Vec<u8> {
        let mut v = vec![];
        v.extend((ndigits.len() as i16).to_be_bytes());
        v.extend(weight.to_be_bytes());
        v.extend(sign.to_be_bytes());
        v.extend(dscale.to_be_bytes());
        for d in ndigits {
            v.extend(d.to_be_bytes());
        }
        v
    }

    #[test]
    fn numeric_binary_to_text() {
        assert_eq!(
            numeric_text(&numeric_bytes(&[1, 2345], 1, 0, 0)).unwrap(),
            "12345"
        );
        assert_eq!(
            numeric_text(&numeric_bytes(&[12, 5000], 0, 0, 2)).unwrap(),
            "12.50"
        );
        assert_eq!(
            numeric_text(&numeric_bytes(&[5], -1, 0x4000, 4)).unwrap(),
            "-0.0005"
        );
        assert_eq!(numeric_text(&numeric_bytes(&[], 0, 0, 3)).unwrap(), "0.000");
        assert_eq!(
            numeric_text(&numeric_bytes(&[1], 2, 0, 0)).unwrap(),
            "100000000"
        );
        assert_eq!(
            numeric_text(&numeric_bytes(&[], 0, 0xC000, 0)).unwrap(),
            "NaN"
        );
    }

    #[test]
    fn numeric_too_precise_for_decimal_stays_text() {
        // 1 followed by 32 zeros: more than rust_decimal's 28 digits.
        let v = numeric(&numeric_bytes(&[1], 8, 0, 0)).unwrap();
        assert!(v.is_string());
        assert_eq!(v.into_string().unwrap(), format!("1{}", "0".repeat(32)));
        let d = numeric(&numeric_bytes(&[12, 5000], 0, 0, 2)).unwrap();
        assert!(d.is_decimal());
        assert_eq!(d.to_string(), "12.50");
    }

    #[test]
    fn numeric_fits_a_decimal_by_range_and_scale() {
        // (digits in base 10000, weight, dscale) → stays a decimal?
        let cases: [(&[i16], i16, u16, bool); 5] = [
            // 1e30: 31 digits, above 2^96 - 1.
            (&[100], 7, 0, false),
            // 0.00000000000000000000000000001: 29 decimals.
            (&[1000], -8, 29, false),
            // 0.0000000000000000000000000001: 28 decimals.
            (&[1], -7, 28, true),
            // 79228162514264337593543950335 = 2^96 - 1.
            (&[7, 9228, 1625, 1426, 4337, 5935, 4395, 335], 7, 0, true),
            // 79228162514264337593543950336.
            (&[7, 9228, 1625, 1426, 4337, 5935, 4395, 336], 7, 0, false),
        ];
        for (digits, weight, dscale, fits) in cases {
            let bytes = numeric_bytes(digits, weight, 0, dscale);
            let text = numeric_text(&bytes).unwrap();
            let v = numeric(&bytes).unwrap();
            assert_eq!(v.is_decimal(), fits, "{text}");
            assert_eq!(v.to_string(), text);
        }
    }

    #[test]
    fn uuid_is_canonical() {
        let b: [u8; 16] = [
            0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38,
            0x0a, 0x11,
        ];
        assert_eq!(uuid(&b), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    }
}
