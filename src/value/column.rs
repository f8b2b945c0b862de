//! One column of a result held compactly: values of the common scalar types in typed vectors, made into
//! Rhai values only when a script reads them.
//!
//! A Rhai value is 16 bytes, and a text or a timestamp in one is a further allocation or two (40 and 32
//! bytes). A million rows of (int, text, timestamptz) held as Rhai values need ~120 MB; held here, ~40 MB
//! (an integer or timestamp is 8 bytes, a text its bytes and an end offset). Columns of other types keep
//! Rhai values ([`Column::Values`]). Reading a value back gives exactly what decoding it would have given
//! (tests below hold the two paths together).

use std::rc::Rc;

use postgres_protocol::types as pgt;
use postgres_types::Type;
use rhai::Dynamic;

use super::datetime::{Date, Timestamp, TimestampTz};
use super::decode::{DecodeCtx, DecodeError};

/// Which rows of a column are NULL, one bit each.
#[derive(Debug, Clone, Default)]
struct Nulls {
    bits: Vec<u64>,
    len: usize,
}

impl Nulls {
    fn push(&mut self, null: bool) {
        let (word, bit) = (self.len / 64, self.len % 64);
        if word == self.bits.len() {
            self.bits.push(0);
        }
        if null {
            if let Some(w) = self.bits.get_mut(word) {
                *w |= 1 << bit;
            }
        }
        self.len += 1;
    }

    fn get(&self, i: usize) -> bool {
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

/// The values of a typed column (a NULL's slot holds a zero or an empty text).
#[derive(Debug, Clone)]
enum Typed {
    /// int2, int4, int8: Rhai's integer.
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<bool>),
    /// text, varchar, char(n), name: every value's bytes one after another, and where each ends.
    Text {
        bytes: String,
        ends: Vec<usize>,
    },
    /// timestamptz: microseconds since 2000-01-01 UTC, shown in the session's zone.
    TimestampTz {
        micros: Vec<i64>,
        zone: Rc<jiff::tz::TimeZone>,
    },
    Timestamp(Vec<i64>),
    /// Days since 2000-01-01.
    Date(Vec<i32>),
}

/// A typed column: its values and which are NULL.
#[derive(Debug, Clone)]
struct TypedColumn {
    values: Typed,
    nulls: Nulls,
}

impl TypedColumn {
    fn push_raw(&mut self, ty: &Type, raw: Option<&[u8]>) -> Result<(), DecodeError> {
        let Some(buf) = raw else {
            self.nulls.push(true);
            match &mut self.values {
                Typed::Int(v) | Typed::Timestamp(v) | Typed::TimestampTz { micros: v, .. } => {
                    v.push(0)
                }
                Typed::Float(v) => v.push(0.0),
                Typed::Bool(v) => v.push(false),
                Typed::Text { bytes, ends } => ends.push(bytes.len()),
                Typed::Date(v) => v.push(0),
            }
            return Ok(());
        };
        let err = DecodeError::format;
        match &mut self.values {
            Typed::Int(v) => v.push(match *ty {
                Type::INT2 => pgt::int2_from_sql(buf).map_err(err)? as i64,
                Type::INT4 => pgt::int4_from_sql(buf).map_err(err)? as i64,
                _ => pgt::int8_from_sql(buf).map_err(err)?,
            }),
            Typed::Float(v) => v.push(pgt::float8_from_sql(buf).map_err(err)?),
            Typed::Bool(v) => v.push(pgt::bool_from_sql(buf).map_err(err)?),
            Typed::Text { bytes, ends } => {
                bytes.push_str(pgt::text_from_sql(buf).map_err(err)?);
                ends.push(bytes.len());
            }
            Typed::TimestampTz { micros: v, .. } | Typed::Timestamp(v) => {
                v.push(pgt::timestamp_from_sql(buf).map_err(err)?)
            }
            Typed::Date(v) => v.push(pgt::date_from_sql(buf).map_err(err)?),
        }
        self.nulls.push(false);
        Ok(())
    }

    fn get(&self, i: usize) -> Dynamic {
        if i >= self.nulls.len || self.nulls.get(i) {
            return Dynamic::UNIT;
        }
        let v = match &self.values {
            Typed::Int(v) => v.get(i).map(|&n| Dynamic::from(n)),
            Typed::Float(v) => v.get(i).map(|&f| Dynamic::from(f)),
            Typed::Bool(v) => v.get(i).map(|&b| Dynamic::from(b)),
            Typed::Text { bytes, ends } => {
                let start = match i {
                    0 => Some(0),
                    _ => ends.get(i - 1).copied(),
                };
                start
                    .zip(ends.get(i).copied())
                    .and_then(|(s, e)| bytes.get(s..e))
                    .map(|s| -> Dynamic { s.into() })
            }
            Typed::TimestampTz { micros, zone } => micros
                .get(i)
                .map(|&m| Dynamic::from(TimestampTz::from_micros(m, zone.clone()))),
            Typed::Timestamp(v) => v.get(i).map(|&m| Dynamic::from(Timestamp(m))),
            Typed::Date(v) => v.get(i).map(|&d| Dynamic::from(Date(d))),
        };
        v.unwrap_or(Dynamic::UNIT)
    }
}

/// One column of a result: typed, or Rhai values.
#[derive(Debug, Clone, Default)]
pub struct Column {
    typed: Option<TypedColumn>,
    /// The values when not typed.
    values: Vec<Dynamic>,
}

impl Column {
    /// The column for values of type `ty` read in binary: typed when `ty` is one of the types kept compactly
    /// (exactly as [`decode`](super::decode::decode) reads them when not for display), Rhai values otherwise.
    pub fn for_binary(ty: &Type, ctx: &DecodeCtx) -> Column {
        let values = match *ty {
            _ if ctx.for_display => None,
            Type::INT2 | Type::INT4 | Type::INT8 => Some(Typed::Int(Vec::new())),
            Type::FLOAT8 => Some(Typed::Float(Vec::new())),
            Type::BOOL => Some(Typed::Bool(Vec::new())),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => Some(Typed::Text {
                bytes: String::new(),
                ends: Vec::new(),
            }),
            Type::TIMESTAMPTZ => Some(Typed::TimestampTz {
                micros: Vec::new(),
                zone: ctx.zone.clone(),
            }),
            Type::TIMESTAMP => Some(Typed::Timestamp(Vec::new())),
            Type::DATE => Some(Typed::Date(Vec::new())),
            _ => None,
        };
        Column {
            typed: values.map(|values| TypedColumn {
                values,
                nulls: Nulls::default(),
            }),
            values: Vec::new(),
        }
    }

    /// A column of Rhai values.
    pub fn values() -> Column {
        Column::default()
    }

    /// Whether [`push_raw`](Self::push_raw) takes this column's values (else [`push`](Self::push) does).
    pub fn is_typed(&self) -> bool {
        self.typed.is_some()
    }

    /// Append a value in binary (`None` = NULL) to a typed column, whose type was `ty` in
    /// [`for_binary`](Self::for_binary). Other columns take Rhai values ([`push`](Self::push)).
    pub fn push_raw(&mut self, ty: &Type, raw: Option<&[u8]>) -> Result<(), DecodeError> {
        match &mut self.typed {
            Some(t) => t.push_raw(ty, raw),
            None => Err(DecodeError::NoDecoder(ty.name().to_string())),
        }
    }

    /// Append a Rhai value. A typed column becomes a column of Rhai values first.
    pub fn push(&mut self, v: Dynamic) {
        self.values_mut().push(v);
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        match &self.typed {
            Some(t) => t.nulls.len,
            None => self.values.len(),
        }
    }

    /// Row `i`'s value (`()` past the end).
    pub fn get(&self, i: usize) -> Dynamic {
        match &self.typed {
            Some(t) => t.get(i),
            None => self.values.get(i).cloned().unwrap_or(Dynamic::UNIT),
        }
    }

    /// The column as Rhai values, made so if it was typed (for a change to the result, which keeps them).
    pub fn values_mut(&mut self) -> &mut Vec<Dynamic> {
        if let Some(t) = self.typed.take() {
            self.values = (0..t.nulls.len).map(|i| t.get(i)).collect();
        }
        &mut self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::decode::decode;
    use postgres_types::ToSql;

    fn binary<T: ToSql>(ty: &Type, v: T) -> Vec<u8> {
        let mut b = bytes::BytesMut::new();
        let _ = v.to_sql(ty, &mut b);
        b.to_vec()
    }

    /// Every typed column reads back each value (NULLs among them) exactly as `decode` reads it.
    #[test]
    fn typed_columns_read_back_what_decode_gives() {
        let ctx = DecodeCtx::default();
        let cases: Vec<(Type, Vec<Option<Vec<u8>>>)> = vec![
            (Type::INT2, vec![Some(binary(&Type::INT2, -7_i16)), None]),
            (Type::INT4, vec![None, Some(binary(&Type::INT4, i32::MAX))]),
            (Type::INT8, vec![Some(binary(&Type::INT8, i64::MIN)), None]),
            (
                Type::FLOAT8,
                vec![Some(binary(&Type::FLOAT8, 2.5_f64)), None],
            ),
            (Type::BOOL, vec![Some(binary(&Type::BOOL, true)), None]),
            (
                Type::TEXT,
                vec![
                    Some(b"".to_vec()),
                    None,
                    Some("grüße".as_bytes().to_vec()),
                    Some(b"x".to_vec()),
                ],
            ),
            (Type::VARCHAR, vec![None, Some(b"v".to_vec())]),
            (Type::BPCHAR, vec![Some(b"ab  ".to_vec())]),
            (Type::NAME, vec![Some(b"pg_class".to_vec())]),
            (
                Type::TIMESTAMPTZ,
                vec![Some(binary(&Type::INT8, 757_382_400_000_000_i64)), None],
            ),
            (
                Type::TIMESTAMP,
                vec![Some(binary(&Type::INT8, -1_i64)), None],
            ),
            (Type::DATE, vec![Some(binary(&Type::INT4, 8766_i32)), None]),
        ];
        for (ty, raws) in cases {
            let mut col = Column::for_binary(&ty, &ctx);
            assert!(col.is_typed(), "{ty} should be kept typed");
            for raw in &raws {
                col.push_raw(&ty, raw.as_deref()).unwrap();
            }
            assert_eq!(col.len(), raws.len());
            for (i, raw) in raws.iter().enumerate() {
                let want = decode(&ty, raw.as_deref(), &ctx).unwrap();
                let got = col.get(i);
                assert_eq!(got.type_name(), want.type_name(), "{ty} row {i}");
                assert_eq!(got.to_string(), want.to_string(), "{ty} row {i}");
            }
            // Made Rhai values for a change, the values stay the same.
            let before: Vec<String> = (0..col.len()).map(|i| col.get(i).to_string()).collect();
            col.values_mut();
            assert!(!col.is_typed());
            let after: Vec<String> = (0..col.len()).map(|i| col.get(i).to_string()).collect();
            assert_eq!(before, after, "{ty}");
        }
    }

    #[test]
    fn a_bad_value_is_an_error_not_a_panic() {
        let ctx = DecodeCtx::default();
        let mut col = Column::for_binary(&Type::INT4, &ctx);
        assert!(col.push_raw(&Type::INT4, Some(&[1, 2])).is_err());
        let mut col = Column::for_binary(&Type::TEXT, &ctx);
        assert!(col.push_raw(&Type::TEXT, Some(&[0xff, 0xfe])).is_err());
    }

    #[test]
    fn other_types_and_display_results_keep_rhai_values() {
        let ctx = DecodeCtx::default();
        assert!(!Column::for_binary(&Type::NUMERIC, &ctx).is_typed());
        assert!(!Column::for_binary(&Type::FLOAT4, &ctx).is_typed());
        let shown = DecodeCtx {
            for_display: true,
            ..DecodeCtx::default()
        };
        assert!(!Column::for_binary(&Type::INT4, &shown).is_typed());
        let mut col = Column::values();
        col.push(Dynamic::from(3_i64));
        assert_eq!(col.get(0).as_int(), Ok(3));
        assert!(col.get(1).is_unit());
    }
}
