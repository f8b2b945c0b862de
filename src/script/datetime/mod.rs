//! The date/time types for scripts (date, timestamp, timestamptz, time, timetz, interval): constructors,
//! properties, operators and text forms, as plugin modules. The types themselves are `value::datetime`'s.
//!
//! Every example line `expression  // result` in these docs is checked by the documentation tests.

mod common;
mod date;
mod interval;
#[cfg(test)]
mod tests;
mod time;
mod timestamp;

pub use date::module as date_module;
pub use interval::module as interval_module;
pub use time::module as time_module;
pub use timestamp::module as timestamp_module;
