//! Which result columns pgsh reads in binary, which as text, and which in binary with their text beside them.

use postgres_types::{Kind, Type};

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
