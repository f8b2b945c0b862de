//! The engine as the describe commands' [`Ctx`]: their hidden queries run through `PSQLexec` and their
//! tables print where psql's do. Kept apart from `engine.rs` so the engine's state does not depend on
//! the query execution that uses it.

use crate::db::pgresult::PgResult;
use crate::output::content::Table;
use crate::output::opts::PrintQueryOpt;
use crate::psql::ctx::Ctx;
use crate::psql::engine::Engine;
use crate::psql::settings::Settings;

impl Ctx for Engine {
    fn settings(&self) -> &Settings {
        &self.set
    }

    fn dbname(&self) -> Option<&str> {
        // Filled by the connection sync (DBNAME).
        self.vars.get("DBNAME")
    }

    fn std_strings(&self) -> bool {
        self.std_strings
    }

    fn exec(&mut self, sql: &str) -> Option<PgResult> {
        crate::psql::psqlexec::psql_exec(self, sql)
    }

    fn exec_unchecked(&mut self, sql: &str) -> Option<PgResult> {
        crate::psql::psqlexec::exec_unchecked(self, sql)
    }

    fn print_table_opt(&mut self, table: &dyn Table, opt: &crate::output::opts::PrintTableOpt) {
        crate::psql::printing::print_table_opt(self, table, opt);
    }

    fn print_query(&mut self, res: &PgResult, opt: &PrintQueryOpt) {
        crate::psql::psqlexec::print_query_to_out(self, res, opt);
    }

    fn print_table(&mut self, table: &dyn Table) {
        crate::psql::psqlexec::print_table_to_out(self, table);
    }

    fn error(&mut self, message: &str) {
        self.log_error(message);
    }

    #[cfg(test)]
    fn out(&mut self, text: &str) {
        self.query_out(text);
    }
}
