//! Values crossing between PostgreSQL and Rhai: decoding results, encoding parameters, date/time types,
//! and the text forms used for display and JSON.

pub mod column;
pub mod datetime;
pub mod decode;
pub mod encode;
pub mod format;
#[cfg(test)]
mod fuzz_tests;
pub mod literal;

/// A json or jsonb value kept as the server's text, for results that are only shown (SQL typed at the
/// prompt, `-c`, `-f`): psql shows that text, with its key order, duplicate keys and number forms (`1.0`,
/// `3.14159265358979323846`), which a decoded value would not keep. Scripts get decoded values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonText(pub String);

/// A value shown as PostgreSQL's text literal because its decoded form would lose part of it: an array
/// whose lower bounds are not 1 (`[2:3]={a,b}`). Only in results that are only shown, like [`JsonText`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralText(pub String);
