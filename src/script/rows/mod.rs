//! The `rows` type scripts get from `query`: array-like, each row an object map, printed as a table in the
//! SELECT's column order. The type is in [`set`], its Rhai functions in [`methods`].
//!
//! Values stay in the compact [`ResultSet`](crate::db::resultset::ResultSet) (one flat vector); a row becomes
//! a Rhai map only when the script looks at it, so a large result does not cost a map per row up front.

mod methods;
mod set;
#[cfg(test)]
mod tests;

pub use methods::module;
pub use set::Rows;
