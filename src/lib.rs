//! pgsh: a PostgreSQL shell scripted in Rhai. This library is the whole program; `main.rs` only maps
//! [`run`] to an exit code.

mod app;
#[cfg(test)]
mod arch_tests;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod interrupt;
pub mod lessons;
pub mod output;
pub mod psql;
pub mod redact;
pub mod repl;
pub mod script;
pub mod shell;
pub mod sql;
pub mod sqlrun;
pub mod term;
pub mod value;

pub use app::run;
pub use error::{Error, ErrorKind};
