//! Rhai values → text: the psql-style cell text used in tables, and JSON.

use postgres_types::{Kind, Type};
use rhai::Dynamic;

use super::datetime::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz};

/// The text of a scalar as psql would show it; `None` for `()` (NULL).
pub fn scalar_text(v: &Dynamic) -> Option<String> {
    cell_text(v, None)
}

/// Cell text for a value of column type `ty` (when known): PostgreSQL's output format, so that a table printed
/// by pgsh reads like psql's. `None` means NULL.
pub fn cell_text(v: &Dynamic, ty: Option<&Type>) -> Option<String> {
    if v.is_unit() {
        return None;
    }
    let ty = ty.map(base_type);
    if let Ok(i) = v.as_int() {
        return Some(i.to_string());
    }
    if let Ok(f) = v.as_float() {
        return Some(float_text(f));
    }
    if let Ok(b) = v.as_bool() {
        return Some(if b { "t" } else { "f" }.to_string());
    }
    if v.is_string() {
        // A JSON string scalar decoded from a json/jsonb column: its text form is quoted (as psql shows it,
        // and as COPY must read it back).
        if matches!(ty, Some(t) if *t == Type::JSON || *t == Type::JSONB) {
            return v
                .clone()
                .into_string()
                .ok()
                .map(|s| serde_json::Value::String(s).to_string());
        }
        return v.clone().into_string().ok();
    }
    if let Ok(d) = v.as_decimal() {
        return Some(d.to_string());
    }
    if let Some(j) = v.read_lock::<super::JsonText>() {
        return Some(j.0.clone());
    }
    if let Some(l) = v.read_lock::<super::LiteralText>() {
        return Some(l.0.clone());
    }
    if v.is_blob() {
        let blob = v.read_lock::<rhai::Blob>()?;
        let mut s = String::with_capacity(2 + blob.len() * 2);
        s.push_str("\\x");
        for b in blob.iter() {
            s.push_str(&format!("{b:02x}"));
        }
        return Some(s);
    }
    if let Some(t) = datetime_text(v) {
        return Some(t);
    }
    if v.is_array() {
        if ty == Some(&Type::RECORD_ARRAY) {
            return Some(pg_array_text(v, Some(&Type::RECORD)));
        }
        if let Some(Kind::Array(elem)) = ty.map(Type::kind) {
            return Some(pg_array_text(v, Some(elem)));
        }
        return Some(json_text(v));
    }
    if v.is_map() {
        if let Some(Kind::Composite(fields)) = ty.map(Type::kind) {
            return Some(record_text(v, fields));
        }
        if ty == Some(&Type::RECORD) {
            return Some(anonymous_record_text(v));
        }
        return Some(json_text(v));
    }
    Some(v.to_string())
}

fn base_type(ty: &Type) -> &Type {
    match ty.kind() {
        Kind::Domain(b) => base_type(b),
        _ => ty,
    }
}

/// Date/time values print through their own Display (PostgreSQL's ISO style).
pub fn datetime_text(v: &Dynamic) -> Option<String> {
    datetime_form(v, false)
}

/// A date/time value's text: PostgreSQL's ISO style, or ISO 8601 (for JSON); `None` for other values.
fn datetime_form(v: &Dynamic, iso8601: bool) -> Option<String> {
    macro_rules! try_type {
        ($($t:ty),*) => {$(
            if let Some(x) = v.read_lock::<$t>() {
                return Some(if iso8601 { x.to_iso8601() } else { x.to_string() });
            }
        )*};
    }
    try_type!(Date, Timestamp, TimestampTz, Time, TimeTz, Interval);
    None
}

/// Should a column of this type be right-aligned (psql does so for numbers)?
pub fn is_numeric_type(ty: &Type) -> bool {
    matches!(
        *base_type(ty),
        Type::INT2
            | Type::INT4
            | Type::INT8
            | Type::OID
            | Type::FLOAT4
            | Type::FLOAT8
            | Type::NUMERIC
            | Type::MONEY
            | Type::XID
            | Type::CID
    )
}

/// PostgreSQL array literal: `{1,2,NULL}`, `{{1,2},{3,4}}`, `{"a b",c}`.
pub(crate) fn pg_array_text(v: &Dynamic, elem: Option<&Type>) -> String {
    let Some(arr) = v.read_lock::<rhai::Array>() else {
        return String::new();
    };
    let parts: Vec<String> = arr
        .iter()
        .map(|x| {
            if x.is_array() {
                pg_array_text(x, elem)
            } else {
                let text = match elem {
                    Some(_) => cell_text(x, elem),
                    None => untyped_text(x),
                };
                match text {
                    None => "NULL".to_string(),
                    Some(s) => quote_array_elem(&s),
                }
            }
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

fn quote_array_elem(s: &str) -> String {
    let needs = s.is_empty()
        || s.eq_ignore_ascii_case("NULL")
        || s.chars()
            .any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || c.is_whitespace());
    if needs {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

/// The text of a value whose PostgreSQL type is not known, inside a record or array: the value was decoded
/// from a record field, so an array is a PostgreSQL array and a map keyed f1, f2, … a nested record, as
/// psql shows them. (A json field holding such an array or map cannot be told apart and reads the same.)
fn untyped_text(v: &Dynamic) -> Option<String> {
    if v.is_array() {
        return Some(pg_array_text(v, None));
    }
    if let Some(map) = v.read_lock::<rhai::Map>() {
        let record_like = (1..=map.len()).all(|i| map.contains_key(format!("f{i}").as_str()));
        return Some(if record_like && !map.is_empty() {
            drop(map);
            anonymous_record_text(v)
        } else {
            json_text(v)
        });
    }
    cell_text(v, None)
}

/// An anonymous record's map (keys f1, f2, …) in field order.
fn anonymous_record_text(v: &Dynamic) -> String {
    let Some(map) = v.read_lock::<rhai::Map>() else {
        return String::new();
    };
    let mut keys: Vec<(u32, &str)> = map
        .keys()
        .map(|k| {
            (
                k.trim_start_matches('f').parse().unwrap_or(u32::MAX),
                k.as_str(),
            )
        })
        .collect();
    keys.sort();
    let parts: Vec<String> = keys
        .iter()
        .map(|(_, k)| match map.get(*k).and_then(untyped_text) {
            None => String::new(),
            Some(s) => quote_record_field(s),
        })
        .collect();
    format!("({})", parts.join(","))
}

fn quote_record_field(s: String) -> String {
    let needs = s.is_empty()
        || s.chars()
            .any(|c| matches!(c, '(' | ')' | ',' | '"' | '\\') || c.is_whitespace());
    if needs {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\"\""))
    } else {
        s
    }
}

/// PostgreSQL record literal: `(1,"a b",)`.
fn record_text(v: &Dynamic, fields: &[postgres_types::Field]) -> String {
    let Some(map) = v.read_lock::<rhai::Map>() else {
        return String::new();
    };
    let parts: Vec<String> = fields
        .iter()
        .map(|f| {
            let value = map.get(f.name()).cloned().unwrap_or(Dynamic::UNIT);
            match cell_text(&value, Some(f.type_())) {
                None => String::new(),
                Some(s) => quote_record_field(s),
            }
        })
        .collect();
    format!("({})", parts.join(","))
}

/// JSON text in PostgreSQL's jsonb style (`{"a": 1, "b": [1, 2]}`).
pub fn json_text(v: &Dynamic) -> String {
    let mut out = String::new();
    write_json(v, &mut out, ", ", ": ");
    out
}

/// Compact JSON (`{"a":1}`) for machine-readable output.
#[cfg(test)]
pub fn json_compact(v: &Dynamic) -> String {
    let mut out = String::new();
    write_json(v, &mut out, ",", ":");
    out
}

/// Write `v` as JSON. Numbers stay numbers (decimals keep their exact digits), NULL is null, date/time values
/// are ISO 8601 strings, blobs are `\x…` hex strings.
pub fn write_json(v: &Dynamic, out: &mut String, comma: &str, colon: &str) {
    if v.is_unit() {
        out.push_str("null");
    } else if let Ok(b) = v.as_bool() {
        out.push_str(if b { "true" } else { "false" });
    } else if let Ok(i) = v.as_int() {
        out.push_str(&i.to_string());
    } else if let Ok(f) = v.as_float() {
        if f.is_finite() {
            out.push_str(&float_text(f).replace("e+", "e"));
        } else {
            json_string(&float_text(f), out);
        }
    } else if let Ok(d) = v.as_decimal() {
        out.push_str(&d.to_string());
    } else if v.is_string() {
        json_string(&v.to_string(), out);
    } else if v.is_array() {
        out.push('[');
        if let Some(arr) = v.read_lock::<rhai::Array>() {
            for (i, x) in arr.iter().enumerate() {
                if i > 0 {
                    out.push_str(comma);
                }
                write_json(x, out, comma, colon);
            }
        }
        out.push(']');
    } else if v.is_map() {
        out.push('{');
        if let Some(map) = v.read_lock::<rhai::Map>() {
            for (i, (k, x)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(comma);
                }
                json_string(k, out);
                out.push_str(colon);
                write_json(x, out, comma, colon);
            }
        }
        out.push('}');
    } else if let Some(j) = v.read_lock::<super::JsonText>() {
        compact_json(&j.0, out, comma, colon);
    } else if let Some(iso) = datetime_iso(v) {
        json_string(&iso, out);
    } else {
        json_string(&cell_text(v, None).unwrap_or_default(), out);
    }
}

/// Valid JSON text with its whitespace outside strings replaced by the output's own separators (JSON lines
/// must stay on one line); keys, their order and numbers stay exactly as the server wrote them.
fn compact_json(text: &str, out: &mut String, comma: &str, colon: &str) {
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            ',' => out.push_str(comma),
            ':' => out.push_str(colon),
            ' ' | '\t' | '\n' | '\r' => {}
            c => out.push(c),
        }
    }
}

fn datetime_iso(v: &Dynamic) -> Option<String> {
    datetime_form(v, true)
}

pub fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// PostgreSQL's float output (shortest exact form; exponent outside 1e-4..1e15): `1.5`, `1e+20`, `-Infinity`.
pub fn float_text(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // `{:e}` gives the shortest round-trip digits; re-lay them out the way PostgreSQL's %g-like output does.
    let sci = format!("{f:e}");
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if !(-4..15).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1;
    let body = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(point as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_postgres() {
        let cases = [
            (1.5, "1.5"),
            (0.1, "0.1"),
            (100.0, "100"),
            (1e20, "1e+20"),
            (1e15, "1e+15"),
            (123456789012345.0, "123456789012345"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (-2.5e-7, "-2.5e-07"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (f64::NAN, "NaN"),
            (-0.0, "-0"),
            (std::f64::consts::PI, "3.141592653589793"),
        ];
        for (f, want) in cases {
            assert_eq!(float_text(f), want, "{f}");
        }
    }

    #[test]
    fn json_text_is_compacted_outside_strings_only() {
        let mut out = String::new();
        compact_json(
            "{ \"a b\" : [1.0,\n 2],\t\"q\": \"x\\\" , y\\\\\", \"k\":{} }",
            &mut out,
            ",",
            ":",
        );
        assert_eq!(out, "{\"a b\":[1.0,2],\"q\":\"x\\\" , y\\\\\",\"k\":{}}");
        let mut spaced = String::new();
        write_json(
            &Dynamic::from(super::super::JsonText("[1,{\"a\":2}]".into())),
            &mut spaced,
            ", ",
            ": ",
        );
        assert_eq!(spaced, "[1, {\"a\": 2}]");
        assert_eq!(
            cell_text(
                &Dynamic::from(super::super::JsonText("{\"b\": 1.50}".into())),
                None
            ),
            Some("{\"b\": 1.50}".into())
        );
    }

    #[test]
    fn scalars_print_like_psql() {
        assert_eq!(scalar_text(&Dynamic::UNIT), None);
        assert_eq!(scalar_text(&true.into()).as_deref(), Some("t"));
        assert_eq!(scalar_text(&42_i64.into()).as_deref(), Some("42"));
        assert_eq!(scalar_text(&1.5_f64.into()).as_deref(), Some("1.5"));
        assert_eq!(
            scalar_text(&Dynamic::from_blob(vec![0xde, 0xad])).as_deref(),
            Some("\\xdead")
        );
    }

    #[test]
    fn arrays_use_postgres_literal_syntax_for_array_columns() {
        let v = Dynamic::from_array(vec![1_i64.into(), Dynamic::UNIT, 3_i64.into()]);
        assert_eq!(
            cell_text(&v, Some(&Type::INT4_ARRAY)).as_deref(),
            Some("{1,NULL,3}")
        );
        let t = Dynamic::from_array(vec!["a b".into(), "".into(), "x\"y".into(), "null".into()]);
        assert_eq!(
            cell_text(&t, Some(&Type::TEXT_ARRAY)).as_deref(),
            Some(r#"{"a b","","x\"y","null"}"#)
        );
        let nested = Dynamic::from_array(vec![
            Dynamic::from_array(vec![1_i64.into(), 2_i64.into()]),
            Dynamic::from_array(vec![3_i64.into(), 4_i64.into()]),
        ]);
        assert_eq!(
            cell_text(&nested, Some(&Type::INT4_ARRAY)).as_deref(),
            Some("{{1,2},{3,4}}")
        );
        // Without a PostgreSQL array type (e.g. a jsonb array) it is JSON.
        assert_eq!(cell_text(&v, None).as_deref(), Some("[1, null, 3]"));
    }

    #[test]
    fn json_keeps_types() {
        let mut m = rhai::Map::new();
        m.insert("a".into(), 1_i64.into());
        m.insert("b".into(), Dynamic::from_decimal("12.50".parse().unwrap()));
        m.insert("c".into(), Dynamic::UNIT);
        m.insert("d".into(), "x\"\n".into());
        assert_eq!(
            json_compact(&m.into()),
            r#"{"a":1,"b":12.50,"c":null,"d":"x\"\n"}"#
        );
    }
}
