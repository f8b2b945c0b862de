//! Values fetched as text: arrays and composites parsed from their literal, everything else kept as its text.

use postgres_types::{Kind, Type};
use rhai::{Array, Dynamic, Map};

use crate::value::literal;

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
fn array_of_records() -> Type {
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
