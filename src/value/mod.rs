//! Values crossing between PostgreSQL and Rhai: decoding results, encoding parameters, date/time types,
//! and the text forms used for display and JSON.

pub mod datetime;
pub mod decode;
pub mod encode;
pub mod format;
pub mod literal;
