//! What pgsh adds to the psql engine at its prompt and in piped stdin: Rhai beside SQL (a line that starts
//! as Rhai is read to the end of its Rhai and run by the script engine), `\sql`/`\rhai`, `\lessons`, `\h`
//! on pgsh's functions, `\i` of a `.rhai` file, Rhai variables as `:name`, and the line editor kept in
//! step with both. Everything else — SQL, psql's backslash commands, variables, conditionals, output — is
//! the engine's own.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use rhai::Dynamic;

use super::editor::SharedState;
use super::input::{classify, Kind, Lang};
use crate::psql::engine::{Claimed, Engine, Extension};
use crate::psql::help::HelpSection;
use crate::psql::input::ReadLine;
use crate::psql::scan::PromptStatus;
use crate::script::rows::Rows;
use crate::script::runner::Runner;
use crate::shell::Db;

/// See the module documentation.
pub struct PgshExtension {
    runner: Rc<RefCell<Runner>>,
    lang: Lang,
    /// Shared with the line editor (completion and highlighting), on a terminal.
    state: Option<SharedState>,
    /// The session's count of catalog changes when the editor's catalog was last marked stale.
    seen_catalog_changes: u64,
    /// The last Rhai input and the engine's count of SQL statements sent after it ran: while no SQL has
    /// been sent since, `\watch` reruns it.
    last_rhai: Option<(String, u64)>,
}

/// What the prompt starts with after `\sql`.
pub const SQL_MARK: &str = "[sql] ";

const SCRIPTING: &[(&str, &str)] = &[
    (
        "\\sql",
        "read every input as SQL (and backslash commands) until \\rhai; the prompt shows [sql]",
    ),
    (
        "\\rhai",
        "read Rhai again, and SQL where a line starts with a SQL command (the default)",
    ),
    ("\\lessons", "list the lessons that come with pgsh"),
    (
        "\\h FUNCTION",
        "help on one of pgsh's Rhai functions (\\h functions lists them)",
    ),
    (
        "\\i FILE.rhai",
        "run a Rhai script; its functions stay defined",
    ),
];

impl PgshExtension {
    pub fn new(runner: Rc<RefCell<Runner>>, state: Option<SharedState>) -> PgshExtension {
        if let Some(st) = &state {
            let mut st = st.borrow_mut();
            st.functions = crate::script::docs::callable_names(&crate::script::docs::catalog());
            st.colours = crate::term::colours_enabled();
        }
        PgshExtension {
            runner,
            lang: Lang::Rhai,
            state,
            seen_catalog_changes: 0,
            last_rhai: None,
        }
    }

    /// Run one Rhai chunk that started at line `first_line` of the input.
    fn eval(&mut self, e: &mut Engine, text: &str, first_line: u64) -> Claimed {
        let interactive = e.set.cur_cmd_interactive;
        let name = match &e.set.inputfile {
            Some(f) => f.clone(),
            None if interactive => "<repl>".to_string(),
            None => "<stdin>".to_string(),
        };
        // Piped input keeps its line numbers in errors: the chunk is padded to where it started.
        let code = if interactive {
            text.to_string()
        } else {
            let pad = usize::try_from(first_line.saturating_sub(1)).unwrap_or(0);
            format!("{}{text}", "\n".repeat(pad))
        };
        if !interactive {
            self.runner.borrow().remember_source(&name, &code);
        }
        let started = Instant::now();
        let result = self.run_chunk(e, &name, &code, true);
        // As psql's \timing: the work, not the printing.
        let elapsed = started.elapsed();
        let outcome = match result {
            Ok(v) => {
                show(e, &v);
                Claimed::Ran(true)
            }
            Err(failed) => failed,
        };
        if e.set.timing {
            let ms = elapsed.as_secs_f64() * 1000.0;
            e.stdout(&crate::psql::psqlexec::timing_text(ms));
        }
        self.last_rhai = Some((text.to_string(), e.statements_sent));
        outcome
    }

    /// `\watch` of the last Rhai input: run it every `interval` seconds under psql's title line (the
    /// time and the interval), until Ctrl-C, a failure, or `count` runs.
    fn watch_rhai(
        &mut self,
        e: &mut Engine,
        text: &str,
        interval: f64,
        count: Option<u64>,
    ) -> bool {
        let name = "<repl>";
        let every = format!("{interval}");
        let every = every.strip_suffix(".0").unwrap_or(&every).to_string();
        let mut runs = 0u64;
        loop {
            let title = format!("{} (every {every}s)\n\n", crate::psql::watch::ctime_now());
            e.query_out(&title);
            match self.run_chunk(e, name, text, false) {
                Ok(v) => {
                    // The pager would hold every run, as psql's \watch knows.
                    let pager = e.set.popt.topt.pager;
                    e.set.popt.topt.pager = crate::output::opts::Pager::Off;
                    show(e, &v);
                    e.set.popt.topt.pager = pager;
                }
                // Ctrl-C ends \watch normally; a failure ends it with an error.
                Err(Claimed::Failed(130)) => {
                    crate::interrupt::clear();
                    return true;
                }
                Err(_) => return false,
            }
            e.query_out("\n");
            runs += 1;
            if count.is_some_and(|c| runs >= c) {
                return true;
            }
            let deadline = Instant::now() + std::time::Duration::from_secs_f64(interval.max(0.0));
            while Instant::now() < deadline {
                if crate::interrupt::is_set() {
                    crate::interrupt::clear();
                    return true;
                }
                std::thread::sleep(
                    std::time::Duration::from_millis(20)
                        .min(deadline.saturating_duration_since(Instant::now())),
                );
            }
        }
    }

    /// Evaluate a chunk as part of the session: `\pset` and psql's variables shared with it before, what it
    /// set and the session it made current taken back after. A failure is reported here, for `typed`
    /// input with a hint when its first word is a typo of a SQL command (neither Rhai nor SQL).
    fn run_chunk(
        &self,
        e: &mut Engine,
        name: &str,
        code: &str,
        typed: bool,
    ) -> Result<Dynamic, Claimed> {
        self.follow_pset(e);
        self.share_variables(e);
        // The engine lets go of its session while Rhai runs: on the embedded database (one session in
        // all) a script's `connect()` may then take the connection over, as a script run alone does.
        let held = e.db.take().map(|db| Rc::downgrade(&db.0));
        let had_session = held.is_some();
        let result = self.runner.borrow_mut().eval_chunk(name, code);
        e.db = held.and_then(|w| w.upgrade()).map(Db);
        let vars_taken = self.take_variables(e);
        self.follow_current(e, had_session);
        match result {
            // A value psql's hooks refused fails the chunk, as the `\set` would have failed.
            Ok(_) if !vars_taken => Err(Claimed::Failed(crate::psql::mainloop::EXIT_USER)),
            Ok(v) => Ok(v),
            Err(err) => {
                if let Some(code) = crate::script::diag::exit_request(&err) {
                    return Err(Claimed::Exit(i32::from(code)));
                }
                let mut msg = self.runner.borrow().render_error(&err, Some(name));
                if typed {
                    if let Some(hint) = sql_typo_hint(&err, code) {
                        if !msg.ends_with('\n') {
                            msg.push('\n');
                        }
                        msg.push_str(&hint);
                    }
                }
                write_stderr(e, &msg);
                Err(Claimed::Failed(i32::from(crate::script::diag::exit_code(
                    &err,
                ))))
            }
        }
    }

    /// Rhai's `print(rows)` lays tables out as `\pset` says, as the rows shown at the prompt are.
    fn follow_pset(&self, e: &Engine) {
        let host = self.runner.borrow().host.clone();
        let mut t = host.table.borrow_mut();
        let p = &e.set.popt;
        t.null = p.null_print.clone();
        t.border = u8::try_from(p.topt.border).unwrap_or(2);
        t.footer = p.topt.default_footer;
        t.expanded = match p.topt.expanded {
            crate::output::opts::Expanded::On => crate::output::table::Expanded::On,
            crate::output::opts::Expanded::Auto => crate::output::table::Expanded::Auto,
            crate::output::opts::Expanded::Off => crate::output::table::Expanded::Off,
        };
    }

    /// psql's variables as the chunk about to run sees them (`psql_var`).
    fn share_variables(&self, e: &Engine) {
        let host = self.runner.borrow().host.clone();
        let mut vars = host.psql_vars.borrow_mut();
        vars.values = e
            .vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        vars.changed.clear();
    }

    /// A chunk that made another session current (`connect()`): typed SQL follows it, as `\\c` would
    /// switch the engine's connection, so SQL and `query()` never talk to two different sessions. A chunk
    /// that closed the engine's session (`db.close()`) leaves typed SQL on the session Rhai would use
    /// next (the default target, opened again), not on a closed one.
    fn follow_current(&self, e: &mut Engine, had_session: bool) {
        let host = self.runner.borrow().host.clone();
        let closed = |db: &Db| db.try_session().is_ok_and(|s| s.is_closed());
        let lost_its_session = match &e.db {
            Some(db) => closed(db),
            // Given up to a script's connect() on the embedded database.
            None => had_session,
        };
        let current = match host.current_if_any() {
            Some(current) if !closed(&current) => current,
            _ if lost_its_session => match host.current() {
                Ok(reopened) => reopened,
                Err(_) => return,
            },
            _ => return,
        };
        if !e.db.as_ref().is_some_and(|db| db.same(&current)) {
            e.db = Some(current);
            crate::psql::connect::sync_variables(e);
        }
    }

    /// What the chunk set or unset goes to the engine, through psql's hooks (a refused value is
    /// reported as `\set` reports it).
    fn take_variables(&self, e: &mut Engine) -> bool {
        let host = self.runner.borrow().host.clone();
        let changed = std::mem::take(&mut host.psql_vars.borrow_mut().changed);
        let mut ok = true;
        for (name, value) in changed {
            ok &= e.set_var(&name, value.as_deref());
        }
        ok
    }

    /// Run a `.rhai` file as a chunk of the session, so the functions it defines stay available.
    fn include_rhai(&mut self, e: &mut Engine, path: &str) -> i32 {
        // Invalid UTF-8 is reported with its line and column.
        let text = match crate::script::modules::read_source(std::path::Path::new(path)) {
            Ok(t) => t,
            Err(err) => {
                e.log_error(&format!("{path}: {}", crate::psql::output::os_error(&err)));
                return crate::psql::mainloop::EXIT_FAILURE;
            }
        };
        {
            let mut runner = self.runner.borrow_mut();
            if let Some(dir) = std::path::Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                runner.set_base_dir(dir);
            }
            runner.remember_source(path, &text);
        }
        let code = crate::script::modules::strip_shebang(&text);
        match self.run_chunk(e, path, &code, false) {
            Ok(_) => 0,
            Err(Claimed::Exit(code) | Claimed::Failed(code)) => code,
            Err(Claimed::Ran(ok)) => i32::from(!ok),
        }
    }
}

/// `hint: …` for Rhai input that failed to parse, or named a variable or function that does not exist,
/// when its first word is a typo of a SQL command: it was read as Rhai, and is not SQL either.
fn sql_typo_hint(err: &rhai::EvalAltResult, code: &str) -> Option<String> {
    use rhai::EvalAltResult as E;
    let located = crate::script::diag::locate(err, None);
    if !matches!(
        located.error,
        E::ErrorParsing(..) | E::ErrorVariableNotFound(..) | E::ErrorFunctionNotFound(..)
    ) {
        return None;
    }
    let keyword = super::input::sql_typo(code.trim_start_matches('\n'))?;
    Some(format!(
        "hint: read as Rhai (it does not start with a SQL command); not SQL either: did you mean {keyword}?\n"
    ))
}

/// A value at the prompt: rows as a table laid out as `\pset` says, `()` as nothing, the rest in Rhai's
/// notation — all to the query output (so `\o` takes it).
fn show(e: &mut Engine, v: &Dynamic) {
    if v.is_unit() {
        return;
    }
    if let Some(rows) = v.read_lock::<Rows>() {
        let opt = e.set.popt.clone();
        let table = crate::output::result_table::ResultSetTable::new(&rows.0, &opt);
        crate::psql::printing::print_table_opt(e, &table, &opt.topt);
        return;
    }
    e.query_out(&format!("{}\n", super::display_value(v)));
}

/// An error of pgsh's own (a Rhai error), after the query output so far.
fn write_stderr(e: &mut Engine, msg: &str) {
    use std::io::Write;
    let _ = e.out.flush();
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(msg.as_bytes());
    if !msg.ends_with('\n') {
        let _ = err.write_all(b"\n");
    }
}

impl Extension for PgshExtension {
    fn claim_line(&mut self, e: &mut Engine, line: &str) -> Option<Claimed> {
        if self.lang == Lang::Sql || classify(line, Lang::Rhai) != Kind::Rhai {
            return None;
        }
        let first_line = e.set.lineno;
        let interactive = e.set.cur_cmd_interactive;
        let mut text = format!("{line}\n");
        while self.runner.borrow().is_incomplete(&text) {
            let prompt = if interactive {
                self.before_prompt(e, &text, "");
                let p = crate::psql::promptfacts::prompt(e, PromptStatus::Continue, true);
                self.prompt(p)
            } else {
                String::new()
            };
            match e.read_more(&prompt) {
                ReadLine::Line(l) => {
                    text.push_str(&l);
                    text.push('\n');
                }
                // What is there runs, and Rhai says what is missing.
                ReadLine::Eof | ReadLine::Invalid => break,
                ReadLine::Interrupted => {
                    // Ctrl-C drops the input being typed, as for SQL.
                    crate::interrupt::clear();
                    e.stdout("\n");
                    return Some(Claimed::Ran(true));
                }
            }
        }
        if interactive {
            e.add_history(text.trim_end());
        }
        Some(self.eval(e, &text, first_line))
    }

    fn before_prompt(&mut self, e: &mut Engine, pending: &str, _last_query: &str) {
        let Some(st) = &self.state else {
            return;
        };
        let mut st = st.borrow_mut();
        st.pending = pending.to_string();
        st.lang = self.lang;
        st.variables = self
            .runner
            .borrow()
            .scope()
            .iter_raw()
            .map(|(name, _, _)| name.to_string())
            .collect();
        // DDL (typed, or run by Rhai on the same session) makes the completion catalog stale; the session
        // counts it from command tags and leading keywords, so `SELECT created_at` does not.
        let changes =
            e.db.as_ref()
                .and_then(|db| db.0.session.try_borrow().ok().map(|s| s.catalog_changes()));
        if let Some(n) = changes {
            if n != self.seen_catalog_changes {
                self.seen_catalog_changes = n;
                st.catalog_stale = true;
            }
        }
        // A new connection (`\c`) has another catalog.
        if e.db.is_none() {
            st.catalog_stale = true;
        }
    }

    fn waiting_for_input(&mut self, e: &mut Engine) {
        // Notifications that arrive while the prompt waits are printed as they come (psql prints them
        // only after the next command).
        let printer = self
            .state
            .as_ref()
            .and_then(|st| st.borrow().printer.clone());
        if let (Some(printer), Some(db)) = (printer, e.db.as_ref()) {
            if let Ok(mut session) = db.try_session() {
                session.watch_while_idle(printer);
            }
        }
    }

    fn confirm_quit(&mut self, e: &mut Engine) -> bool {
        use crate::db::session::TxStatus;
        let open =
            e.db.as_ref()
                .and_then(|db| db.try_session().ok().map(|s| s.tx_status()))
                .is_some_and(|t| t != TxStatus::Idle);
        if !open {
            return true;
        }
        match e.read_more("A transaction is open; quit and roll it back? [y/N] ") {
            ReadLine::Line(l) => matches!(l.trim(), "y" | "Y" | "yes"),
            ReadLine::Eof => true,
            ReadLine::Interrupted | ReadLine::Invalid => false,
        }
    }

    fn variable(&mut self, name: &str) -> Option<String> {
        let runner = self.runner.borrow();
        let v = runner.scope().get_value::<Dynamic>(name)?;
        if v.is_unit() || v.is::<Rows>() {
            return None;
        }
        Some(match v.clone().into_immutable_string() {
            Ok(s) => s.to_string(),
            Err(_) => v.to_string(),
        })
    }

    fn has_command(&self, name: &str) -> bool {
        matches!(name, "sql" | "rhai" | "lessons")
    }

    fn command(&mut self, e: &mut Engine, name: &str, _args: &str) -> bool {
        let say = e.set.cur_cmd_interactive && !e.set.quiet;
        match name {
            "sql" => {
                self.lang = Lang::Sql;
                if say {
                    e.stdout("Input is now SQL only (and backslash commands); \\rhai goes back.\n");
                }
            }
            "rhai" => {
                self.lang = Lang::Rhai;
                if say {
                    e.stdout("Input is now Rhai, and SQL where a line starts with a SQL command; \\sql for SQL only.\n");
                }
            }
            "lessons" => e.page_text(&crate::lessons::listing()),
            _ => return false,
        }
        true
    }

    fn include(&mut self, e: &mut Engine, path: &str) -> Option<i32> {
        path.ends_with(".rhai").then(|| self.include_rhai(e, path))
    }

    fn help(&mut self, topic: Option<&str>) -> Option<String> {
        let topic = topic?.trim();
        let catalog = crate::script::docs::catalog();
        if matches!(topic, "functions" | "rhai") {
            return Some(crate::script::docs::help_index(&catalog));
        }
        (!crate::script::docs::lookup(&catalog, topic).is_empty())
            .then(|| crate::script::docs::help_on(&catalog, topic))
    }

    fn slash_help(&self) -> Vec<HelpSection<'static>> {
        vec![HelpSection {
            title: "Scripting (pgsh)",
            lines: SCRIPTING,
        }]
    }

    /// `\sql` shows in the prompt: `[sql] postgres=# ` (the default mode keeps psql's prompt).
    fn prompt(&mut self, prompt: String) -> String {
        match self.lang {
            Lang::Sql => format!("{SQL_MARK}{prompt}"),
            Lang::Rhai => prompt,
        }
    }

    fn watch(&mut self, e: &mut Engine, interval: f64, count: Option<u64>) -> Option<bool> {
        let text = self.last_input(e)?;
        Some(self.watch_rhai(e, &text, interval, count))
    }

    fn last_input(&mut self, e: &Engine) -> Option<String> {
        let (text, sent) = self.last_rhai.as_ref()?;
        // SQL sent since the Rhai ran is what psql's \watch reruns and \e edits.
        if *sent != e.statements_sent || self.lang == Lang::Sql {
            return None;
        }
        Some(text.clone())
    }

    /// In `\sql` mode, Rhai sent to the server fails as a syntax error: say that it is Rhai.
    fn query_failed(&mut self, e: &mut Engine, sql: &str) {
        if self.lang != Lang::Sql {
            return;
        }
        let syntax_error = e.last_error.as_ref().is_some_and(|(r, text)| {
            text.as_deref() == Some(sql) && r.error.as_ref().is_some_and(|d| d.code == "42601")
        });
        let is_rhai = {
            let runner = self.runner.borrow();
            runner
                .engine
                .compile_with_scope(runner.scope(), sql)
                .is_ok()
        };
        if syntax_error && is_rhai {
            write_stderr(
                e,
                "hint: input is SQL only (\\sql); as Rhai this parses: \\rhai reads Rhai again",
            );
        }
    }

    fn claim_edited(&mut self, e: &mut Engine, text: &str) -> Option<Claimed> {
        if self.lang == Lang::Sql || classify(text, Lang::Rhai) != Kind::Rhai {
            return None;
        }
        let first_line = e.set.lineno;
        e.add_history(text.trim_end());
        Some(self.eval(e, text, first_line))
    }
}
