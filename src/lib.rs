//! pgsh: a PostgreSQL shell scripted in Rhai. This library is the whole program; `main.rs` only maps
//! [`run`] to an exit code. Its modules are private: what is exported here is all the binary (and, later,
//! an embedding API) may use, so rustc can tell which code nothing uses.

mod alloc;
mod app;
#[cfg(test)]
mod arch_tests;
mod cli;
mod config;
mod db;
mod embed;
mod error;
#[cfg(test)]
mod fuzz_input;
mod interrupt;
mod lessons;
mod output;
mod psql;
mod redact;
mod repl;
mod script;
mod shell;
mod sql;
mod term;
#[cfg(test)]
mod test_cluster;
mod value;

pub use alloc::Allocator;
pub use app::run;
pub use embed::{Builder, CallError, Pgsh, Reply};
pub use error::{Error, ErrorKind, SqlState};
/// The Rhai crate pgsh's engine is built with, for [`Builder::register`].
pub use rhai;
