//! Why a value could not be read: [`DecodeError`], whose text is what `cannot read column …` reports.

use std::fmt;

/// A value pgsh could not decode. The Display text is the message users see after
/// `cannot read column "c" of type t: `.
#[derive(Debug)]
pub enum DecodeError {
    /// The bytes end before the value does.
    TooShort,
    /// An inet or cidr value shorter than its header.
    InetTooShort,
    /// An inet or cidr address that is neither 4 nor 16 bytes.
    InetLength,
    /// A jsonb value in a format version other than 1.
    JsonbVersion,
    /// A type with no binary decoder (by its name).
    NoDecoder(String),
    /// A record field whose type OID pgsh does not know and whose text was not fetched (1-based field).
    UnknownFieldType { field: usize, oid: u32 },
    /// A field of an anonymous record failed (1-based, named `f1`, `f2`, … as PostgreSQL names them).
    RecordField {
        field: usize,
        source: Box<DecodeError>,
    },
    /// A composite value with more fields than its type.
    ExtraField,
    /// A named field of a composite failed.
    CompositeField {
        name: String,
        source: Box<DecodeError>,
    },
    /// The wire format library's (or JSON conversion's) own message.
    Format(String),
}

impl DecodeError {
    /// Any error of the wire-format readers (postgres-protocol's boxed errors, serde's, Rhai's).
    pub(crate) fn format(e: impl fmt::Display) -> DecodeError {
        DecodeError::Format(e.to_string())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooShort => f.write_str("value too short"),
            DecodeError::InetTooShort => f.write_str("inet value too short"),
            DecodeError::InetLength => f.write_str("invalid inet address length"),
            DecodeError::JsonbVersion => f.write_str("unsupported jsonb version"),
            DecodeError::NoDecoder(ty) => write!(
                f,
                "pgsh has no binary decoder for type {ty}; cast the column to text (expr::text)"
            ),
            DecodeError::UnknownFieldType { field, oid } => write!(
                f,
                "record field {field} has a type pgsh does not know (oid {oid})"
            ),
            DecodeError::RecordField { field, source } => {
                write!(
                    f,
                    "record field f{field}: {source}; cast the record to text"
                )
            }
            DecodeError::ExtraField => f.write_str("more fields than the type has"),
            DecodeError::CompositeField { name, source } => write!(f, "field {name}: {source}"),
            DecodeError::Format(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DecodeError::RecordField { source, .. }
            | DecodeError::CompositeField { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}
