//! The psql engine: one implementation of psql's language — SQL sent as psql sends it, backslash commands,
//! variables and conditionals, output — for every input source (the REPL, `-c`, `-f`, stdin, `\i`).
//! Ported from PostgreSQL's `src/bin/psql` and `src/fe_utils`; file names follow psql's.

pub mod boolean;
pub mod ctx;
pub mod pattern;
pub mod scan;
pub mod settings;
