//! pgsh's integration tests: one binary (as ripgrep's), a module per area, each driving the `pgsh` binary
//! against the embedded database and throwaway native PostgreSQL clusters (see `common`).

// First, so its `require_native!` macro is in scope in every module below.
#[macro_use]
mod common;

mod api;
mod api_example;
mod command_line;
mod connect;
mod copy;
mod csv_json;
mod ctrl_c;
mod describe;
mod dumps;
mod embedded;
mod errors;
mod execute_many;
mod fan_out;
mod faults;
mod harness;
mod lessons;
mod lost_connections;
mod meta_commands;
mod notify;
mod output;
mod psql_commands;
mod reference;
mod repl;
mod repl_completion;
mod repl_welcome;
mod retry;
mod scripts;
mod secrets;
mod sessions;
mod single_transaction;
mod sql_files;
mod stdin;
mod streams;
mod tls;
mod transactions;
mod values;
