//! The psql engine: one implementation of psql's language — SQL sent as psql sends it, backslash commands,
//! variables and conditionals, output — for every input source (the REPL, `-c`, `-f`, stdin, `\i`).
//! Ported from PostgreSQL's `src/bin/psql` and `src/fe_utils`; file names follow psql's.

pub mod bind;
pub mod boolean;
pub mod command;
pub mod connect;
pub mod copy;
pub mod crosstab;
pub mod ctx;
pub mod cursor;
pub mod describe;
pub mod engine;
mod engine_ctx;
pub mod errors;
pub mod exec;
pub mod gdesc;
pub mod help;
pub mod help_sql;
pub mod hooks;
pub mod input;
pub mod mainloop;
pub mod output;
pub mod paths;
pub mod pattern;
pub mod printing;
pub mod prompt;
pub mod promptfacts;
pub mod pset;
pub mod psqlexec;
pub mod quote;
pub mod scan;
pub mod settings;
pub mod sql_help;
pub mod startup;
pub mod vars;
pub mod varsync;
pub mod watch;
pub mod words;
