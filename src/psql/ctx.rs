//! What the ported psql commands need from the engine (psql's global `pset`, `PSQLexec` and the printing
//! calls), as a trait, so each command is written once against it and the engine decides where output goes
//! (stdout, `\o`'s file or pipe, the pager, the log file).

use crate::db::pgresult::PgResult;
use crate::output::content::Table;
use crate::output::opts::{PrintQueryOpt, PrintTableOpt};
use crate::psql::settings::Settings;

/// The engine, as seen by a command.
pub trait Ctx {
    /// psql's `pset`.
    fn settings(&self) -> &Settings;

    /// The connection's database (`PQdb`), `None` when not connected.
    fn dbname(&self) -> Option<&str>;

    /// The server's `standard_conforming_strings` (how literals psql writes must escape backslashes).
    fn std_strings(&self) -> bool;

    /// `PSQLexec`: run a query of psql's own (a describe command's catalog query), echoing it first as
    /// `ECHO_HIDDEN` says. `None` when it failed; the error has then been reported (as libpq's message on
    /// stderr), as psql's `PSQLexec` does. With `ECHO_HIDDEN noexec` nothing runs and the result is `None`.
    fn exec(&mut self, sql: &str) -> Option<PgResult>;

    /// `echo_hidden_command` then `PQexec` (the lookups of command.c's `\sf`, `\ef`, …): echo the query as
    /// `ECHO_HIDDEN` says, run it, and return its result whatever its status, reporting nothing (the
    /// caller prints psql's short `minimal_error_message`). `None` when nothing ran: `ECHO_HIDDEN noexec`,
    /// or no connection (libpq's NULL result).
    fn exec_unchecked(&mut self, sql: &str) -> Option<PgResult>;

    /// `printQuery(res, opt, pset.queryFout, false, pset.logfile)`: print a result with these options.
    fn print_query(&mut self, res: &PgResult, opt: &PrintQueryOpt);

    /// `printTable(cont, pset.queryFout, false, pset.logfile)` with the active print options.
    fn print_table(&mut self, table: &dyn Table);

    /// `printTable` of a table built with `printTableInit(&cont, opt, …)`: print it with these options
    /// instead of the active ones (describe commands turn off the default footer and expanded mode).
    fn print_table_opt(&mut self, table: &dyn Table, opt: &PrintTableOpt);

    /// `pg_log_error`: an error message on stderr, with the `psql:file:line: ` prefix when reading a file.
    fn error(&mut self, message: &str);

    /// Write to psql's query output (`pset.queryFout`): where results go.
    #[cfg(test)]
    fn out(&mut self, text: &str);
}
