//! A column value as the server's raw bytes: pgsh decodes values itself (`value::decode`), with the
//! session's context (its TimeZone, the types it knows), so the driver only hands the bytes over.

use postgres::types::{FromSql, Type};

/// See the module documentation; `None` is SQL NULL.
pub struct Raw<'a>(pub Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(Some(raw)))
    }
    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(None))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}
