//! The psql engine's state — psql's global `pset` and what hangs off it: settings, variables, the
//! connection, the query output, the one-shot flags of `\g`-style commands — and its logging, which writes
//! messages exactly where and how psql does (`pg_log_info`/`pg_log_error` with psql's locus prefix).

use std::io::Write;
use std::rc::Rc;

use crate::db::pgresult::PgResult;
use crate::output::opts::PrintQueryOpt;
use crate::psql::output::Out;
use crate::psql::settings::Settings;
use crate::shell::{Db, Shell};

/// The one-shot settings of `\g`, `\gx`, `\gset`, `\gdesc`, `\gexec`, `\crosstabview`: they apply to the
/// next query sent and are reset after it (psql's `pset.gfname`, `gsavepopt`, `gset_prefix`, …).
#[derive(Clone, Debug, Default)]
pub struct OneShot {
    /// `\g file` / `\g |command`.
    pub gfname: Option<String>,
    /// Print options saved by `\g (options)` / `\gx`, restored after the query.
    pub gsavepopt: Option<PrintQueryOpt>,
    pub gset_prefix: Option<String>,
    pub gdesc: bool,
    pub gexec: bool,
    pub crosstab: bool,
    pub ctv_args: [Option<String>; 4],
    /// `\bind`'s parameters (psql 16's `pset.bind_params` with `bind_flag` set).
    pub bind_params: Option<Vec<String>>,
}

/// How messages on stderr are prefixed (`pg_logging_config`): psql starts verbose (`psql: error: …`) and
/// turns terse once it runs commands (no program name, no level word; the file and line when reading a
/// file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// Where `\copy` sends or takes its data (psql's `pset.copyStream`).
pub enum CopyStream {
    /// `\copy … from 'file'` or `from program '…'`.
    Reader(Box<dyn std::io::Read>),
    /// `\copy … to 'file'` or `to program '…'`.
    Writer(Box<dyn std::io::Write>),
    /// `from pstdin`: the process's stdin.
    Stdin,
    /// `to pstdout`: the process's stdout.
    Stdout,
}

/// The engine; see the module documentation.
pub struct Engine {
    pub set: Settings,
    pub vars: crate::psql::vars::Variables,
    pub once: OneShot,
    /// `pset.queryFout`.
    pub out: Out,
    /// `-L` log file.
    pub log: Option<std::io::BufWriter<std::fs::File>>,
    /// The most recent error result (`\errverbose`).
    pub last_error: Option<(PgResult, Option<String>)>,
    pub shell: Rc<Shell>,
    pub db: Option<Db>,
    /// `pg_logging_config(PG_LOG_FLAG_TERSE)` was called.
    pub terse: bool,
    /// The client encoding's name (`ENCODING`).
    pub encoding: String,
    /// The connection's `standard_conforming_strings`.
    pub std_strings: bool,
    /// `\copy`'s data source or target while its COPY runs (`pset.copyStream`).
    pub copy_stream: Option<CopyStream>,
    /// Bytes read ahead from `copy_stream` and not yet sent.
    pub copy_pending: Vec<u8>,
    /// The inputs being read, innermost (`\i`) last (`pset.cur_cmd_source`).
    pub inputs: Vec<Box<dyn crate::psql::input::Input>>,
    /// The connection was lost in a non-interactive run: psql exits 2.
    pub lost: bool,
    /// The connection that was lost, kept for a later `\connect` to take its parameters from.
    pub dead_db: Option<Db>,
    /// `\restrict`: backslash commands are refused until `\unrestrict` with this key.
    pub restricted: bool,
    pub restrict_key: Option<String>,
    /// What pgsh adds to psql (Rhai variables, pgsh's own commands, `\i` of a Rhai script).
    pub ext: Option<Box<dyn Extension>>,
    /// What the prompt remembers between prompts (`%w`).
    pub prompt_state: crate::psql::prompt::PromptState,
    /// How `\i` runs a file (`process_file`). The main loop dispatches the commands, so it sits above
    /// them: it is handed down when the engine is made instead of imported by `\i`.
    pub include: IncludeFile,
    /// pgsh's `-1` is running: `\connect` is refused (psql's `-1` lets it split the transaction).
    pub single_transaction_guard: bool,
    /// pgsh's own run, not psql's: the few places pgsh says more than psql (a transaction dropped by
    /// `\connect`, a stopped script) speak up.
    pub pgsh_mode: bool,
    /// Messages are kept here instead of written to stderr (Rhai's `run_sql_file`, which is quiet and
    /// turns the first error into its own).
    pub captured: Option<Vec<Captured>>,
    /// Statements sent to the server so far (what `run_sql_file` returns).
    pub statements_sent: u64,
}

/// A message kept by [`Engine::captured`]: where the input was (`file:line`) and what was said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captured {
    pub level: Level,
    pub place: Option<String>,
    pub message: String,
}

/// Runs a file through the main loop: the file name, whether it is relative to the current file (`\ir`);
/// gives psql's exit code for it.
pub type IncludeFile = fn(&mut Engine, &str, bool) -> i32;

/// What the extension did with a line the main loop offered it ([`Extension::claim_line`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claimed {
    /// It ran the line (and the lines it read after it); whether that succeeded.
    Ran(bool),
    /// The input asked to stop with this exit code (Rhai's `exit(n)`; 0 is a plain quit).
    Exit(i32),
    /// It failed with this exit code (Rhai's own: 1 for a script error, 2 for a lost connection…); the
    /// main loop stops there when ON_ERROR_STOP is set and the input is not interactive.
    Failed(i32),
}

/// What the layers above the psql engine add to it, without the engine depending on them.
pub trait Extension {
    /// A line at the start of a statement of an input that mixes languages ([`Input::mixed`]: pgsh's REPL
    /// and piped stdin): the extension may take it (and read the lines that complete it with
    /// [`Engine::read_more`]), or leave it to psql's scanner with `None`.
    ///
    /// [`Input::mixed`]: crate::psql::input::Input::mixed
    fn claim_line(&mut self, _e: &mut Engine, _line: &str) -> Option<Claimed> {
        None
    }

    /// Called before each interactive prompt: what is typed so far (the query buffer) and the last
    /// query sent, so a line editor's completion can follow.
    fn before_prompt(&mut self, _e: &mut Engine, _pending: &str, _last_query: &str) {}

    /// Called once the prompt is made, just before the input is read: the engine does nothing more until a
    /// line arrives (pgsh watches for notifications meanwhile).
    fn waiting_for_input(&mut self, _e: &mut Engine) {}

    /// End of input at an interactive prompt: whether to really quit (pgsh asks first when a
    /// transaction is open).
    fn confirm_quit(&mut self, _e: &mut Engine) -> bool {
        true
    }

    /// A variable psql does not have (pgsh: a Rhai variable of the REPL), as text for `:name`.
    fn variable(&mut self, _name: &str) -> Option<String> {
        None
    }

    /// Whether `name` is a backslash command of the extension's (pgsh's `\sql`, `\rhai`, `\lessons`…)
    /// that psql does not know.
    fn has_command(&self, _name: &str) -> bool {
        false
    }

    /// Run the extension's command `name` with the rest of its line (as typed, up to the end of the
    /// line); whether it succeeded.
    fn command(&mut self, _e: &mut Engine, _name: &str, _args: &str) -> bool {
        false
    }

    /// Run a file psql cannot (a `.rhai` script): its exit code, or `None` to read it as SQL.
    fn include(&mut self, _e: &mut Engine, _path: &str) -> Option<i32> {
        None
    }

    /// Help for a topic psql's `\h` does not cover (a Rhai function), or `None`.
    fn help(&mut self, _topic: Option<&str>) -> Option<String> {
        None
    }

    /// Lines pgsh adds to `\?`.
    fn slash_help(&self) -> Vec<crate::psql::help::HelpSection<'static>> {
        Vec::new()
    }

    /// The interactive prompt psql's `PROMPT1`/`PROMPT2` gave, as shown (pgsh marks a forced mode).
    fn prompt(&mut self, prompt: String) -> String {
        prompt
    }

    /// `\watch` with an empty query buffer: the extension may rerun what it ran last (a Rhai input)
    /// instead of the previous query; whether that succeeded, or `None` to watch the previous query.
    fn watch(&mut self, _e: &mut Engine, _interval: f64, _count: Option<u64>) -> Option<bool> {
        None
    }

    /// `\e` with an empty query buffer: the text to edit instead of the previous query, when what the
    /// extension ran last (a Rhai input) came after it; `None` edits the previous query, as psql does.
    fn last_input(&mut self, _e: &Engine) -> Option<String> {
        None
    }

    /// A query typed at a mixed input failed (psql has reported it): the extension may add a hint.
    fn query_failed(&mut self, _e: &mut Engine, _sql: &str) {}

    /// The text `\e` came back with, at the start of a statement of an interactive mixed input: the
    /// extension may run it (a Rhai input) instead of psql's scanner reading it.
    fn claim_edited(&mut self, _e: &mut Engine, _text: &str) -> Option<Claimed> {
        None
    }
}

impl Engine {
    /// An engine with psql's startup settings and variables (`EstablishVariableSpace`).
    pub fn new(shell: Rc<Shell>, mut set: Settings, include: IncludeFile) -> Engine {
        let vars = crate::psql::hooks::startup_variables(&mut set);
        Engine {
            set,
            vars,
            once: OneShot::default(),
            out: Out::stdout(),
            log: None,
            last_error: None,
            shell,
            db: None,
            terse: false,
            encoding: "UTF8".into(),
            std_strings: true,
            copy_stream: None,
            copy_pending: Vec::new(),
            inputs: Vec::new(),
            lost: false,
            dead_db: None,
            restricted: false,
            restrict_key: None,
            ext: None,
            prompt_state: crate::psql::prompt::PromptState::default(),
            include,
            single_transaction_guard: false,
            pgsh_mode: false,
            captured: None,
            statements_sent: 0,
        }
    }

    /// A variable of the extension (a Rhai variable), for `:name`.
    pub fn extension_variable(&mut self, name: &str) -> Option<String> {
        let mut ext = self.ext.take()?;
        let v = ext.variable(name);
        self.ext = Some(ext);
        v
    }

    /// Offer a line to the extension (see [`Extension::claim_line`]).
    pub fn extension_claim(&mut self, line: &str) -> Option<Claimed> {
        let mut ext = self.ext.take()?;
        let v = ext.claim_line(self, line);
        self.ext = Some(ext);
        v
    }

    /// See [`Extension::prompt`].
    pub fn extension_prompt(&mut self, prompt: String) -> String {
        match self.ext.as_mut() {
            Some(ext) => ext.prompt(prompt),
            None => prompt,
        }
    }

    /// See [`Extension::watch`].
    pub fn extension_watch(&mut self, interval: f64, count: Option<u64>) -> Option<bool> {
        let mut ext = self.ext.take()?;
        let v = ext.watch(self, interval, count);
        self.ext = Some(ext);
        v
    }

    /// See [`Extension::last_input`].
    pub fn extension_last_input(&mut self) -> Option<String> {
        let mut ext = self.ext.take()?;
        let v = ext.last_input(self);
        self.ext = Some(ext);
        v
    }

    /// See [`Extension::query_failed`].
    pub fn extension_query_failed(&mut self, sql: &str) {
        if let Some(mut ext) = self.ext.take() {
            ext.query_failed(self, sql);
            self.ext = Some(ext);
        }
    }

    /// See [`Extension::claim_edited`].
    pub fn extension_claim_edited(&mut self, text: &str) -> Option<Claimed> {
        let mut ext = self.ext.take()?;
        let v = ext.claim_edited(self, text);
        self.ext = Some(ext);
        v
    }

    /// See [`Extension::before_prompt`].
    pub fn extension_before_prompt(&mut self, pending: &str, last_query: &str) {
        if let Some(mut ext) = self.ext.take() {
            ext.before_prompt(self, pending, last_query);
            self.ext = Some(ext);
        }
    }

    /// See [`Extension::waiting_for_input`].
    pub fn extension_waiting_for_input(&mut self) {
        if let Some(mut ext) = self.ext.take() {
            ext.waiting_for_input(self);
            self.ext = Some(ext);
        }
    }

    /// See [`Extension::confirm_quit`].
    pub fn extension_confirm_quit(&mut self) -> bool {
        let Some(mut ext) = self.ext.take() else {
            return true;
        };
        let v = ext.confirm_quit(self);
        self.ext = Some(ext);
        v
    }

    /// The next line of the current input, for an extension completing what it claimed: counted in
    /// the line numbers of messages and echoed by `-a`, as the main loop's own lines are.
    pub fn read_more(&mut self, prompt: &str) -> crate::psql::input::ReadLine {
        let line = match self.inputs.last_mut() {
            Some(i) => i.read_line(prompt),
            None => crate::psql::input::ReadLine::Eof,
        };
        if let crate::psql::input::ReadLine::Line(l) = &line {
            self.set.lineno += 1;
            if self.set.echo == crate::psql::settings::Echo::All && !self.set.cur_cmd_interactive {
                self.stdout(&format!("{l}\n"));
            }
        }
        line
    }

    /// The current input mixes pgsh's languages (the REPL, piped stdin).
    pub fn current_input_is_mixed(&self) -> bool {
        self.inputs.last().is_some_and(|i| i.mixed())
    }

    /// Add an entry to the line editor's history.
    pub fn add_history(&mut self, entry: &str) {
        if let Some(i) = self.inputs.last_mut() {
            i.add_history(entry);
        }
    }

    /// Help the extension has for `\\h topic`.
    pub fn extension_help(&mut self, topic: Option<&str>) -> Option<String> {
        let mut ext = self.ext.take()?;
        let v = ext.help(topic);
        self.ext = Some(ext);
        v
    }

    /// `\\i` of a file the extension runs itself.
    pub fn extension_include(&mut self, path: &str) -> Option<i32> {
        let mut ext = self.ext.take()?;
        let v = ext.include(self, path);
        self.ext = Some(ext);
        v
    }

    /// The history entries so far (`\\s`).
    pub fn history_entries(&self) -> Vec<String> {
        // The terminal's line editor, under any `\i` files being read.
        self.inputs
            .iter()
            .map(|i| i.history())
            .find(|h| !h.is_empty())
            .unwrap_or_default()
    }

    /// Long help texts go through the pager when they do not fit the terminal, as psql's do.
    pub fn page_text(&mut self, text: &str) {
        // Lines longer than the screen is wide take more than one row of it.
        let cols = crate::term::size().map_or(80, |(cols, _)| cols);
        let lines = crate::term::screen_rows(text, cols);
        let paged = self.set.popt.topt.pager != crate::output::opts::Pager::Off
            && std::io::IsTerminal::is_terminal(&std::io::stdin())
            && self.out.is_terminal()
            && crate::term::size().is_some_and(|(_, rows)| lines >= rows);
        if paged && crate::term::page(text).is_ok() {
            return;
        }
        self.stdout(text);
    }

    /// `usage()` for `\\? options`.
    pub fn usage_text(&self) -> String {
        let env = |k: &str| std::env::var(k).ok();
        let user = env("PGUSER").or_else(|| env("USER")).unwrap_or_default();
        let (db, host, port) = (env("PGDATABASE"), env("PGHOST"), env("PGPORT"));
        crate::psql::help::usage(&crate::psql::help::UsageEnv {
            progname: &self.set.progname,
            user: &user,
            pgdatabase: db.as_deref(),
            pghost: host.as_deref(),
            pgport: port.as_deref(),
            extra_options: None,
        })
    }

    /// `slashUsage()` for `\\?`, with the extension's commands.
    pub fn slash_usage_text(&self) -> String {
        let extra = self
            .ext
            .as_ref()
            .map(|x| x.slash_help())
            .unwrap_or_default();
        let db = self.vars.get("DBNAME");
        crate::psql::help::slash_usage(&self.set, db, &extra)
    }

    /// `SetVariable`: set or (`None`) unset a variable; a refusal by its hook is reported as psql does.
    pub fn set_var(&mut self, name: &str, value: Option<&str>) -> bool {
        match self.vars.assign(&mut self.set, name, value) {
            Ok(()) => true,
            Err(msg) => {
                self.log_error(&msg);
                false
            }
        }
    }

    /// The current input is the process's stdin.
    pub fn current_input_is_stdin(&self) -> bool {
        self.inputs.last().is_some_and(|i| i.is_stdin())
    }

    /// The current input is a terminal.
    pub fn current_input_is_terminal(&self) -> bool {
        self.inputs.last().is_some_and(|i| i.is_terminal())
    }

    /// COPY text data from the current input: the next raw line.
    pub fn read_current_raw_line(&mut self, buf: &mut Vec<u8>) -> std::io::Result<usize> {
        match self.inputs.last_mut() {
            Some(i) => i.read_raw_line(buf),
            None => Ok(0),
        }
    }

    /// COPY binary data from the current input.
    pub fn read_current_raw(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.inputs.last_mut() {
            Some(i) => i.read_raw(buf),
            None => Ok(0),
        }
    }

    /// `pg_log_generic`: flush the outputs, then write `message` (one trailing newline dropped) to stderr
    /// with psql's prefix.
    pub fn log(&mut self, level: Level, message: &str) {
        if let Some(kept) = self.captured.as_mut() {
            let place = self
                .set
                .inputfile
                .as_ref()
                .map(|f| format!("{f}:{}", self.set.lineno));
            kept.push(Captured {
                level,
                place,
                message: message.strip_suffix('\n').unwrap_or(message).to_string(),
            });
            return;
        }
        let _ = self.out.flush();
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        let file = self.set.inputfile.clone();
        if !self.terse || file.is_some() {
            if !self.terse {
                line.push_str(&self.set.progname);
                line.push(':');
            }
            if let Some(f) = &file {
                line.push_str(f);
                line.push(':');
                if self.set.lineno > 0 {
                    line.push_str(&self.set.lineno.to_string());
                    line.push(':');
                }
            }
            line.push(' ');
        }
        if !self.terse {
            match level {
                Level::Error => line.push_str("error: "),
                Level::Warning => line.push_str("warning: "),
                Level::Info => {}
            }
        }
        line.push_str(message.strip_suffix('\n').unwrap_or(message));
        line.push('\n');
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes());
    }

    pub fn log_error(&mut self, message: &str) {
        self.log(Level::Error, message);
    }

    pub fn log_info(&mut self, message: &str) {
        self.log(Level::Info, message);
    }

    pub fn log_warning(&mut self, message: &str) {
        self.log(Level::Warning, message);
    }

    /// Write to stdout (not the query output): psql's `printf`/`puts` of echoes and timing.
    pub fn stdout(&mut self, text: &str) {
        if self.out.is_stdout() {
            let _ = self.out.write_all(text.as_bytes());
            let _ = self.out.flush();
        } else {
            let _ = self.out.flush();
            let mut o = std::io::stdout().lock();
            let _ = o.write_all(text.as_bytes());
            let _ = o.flush();
        }
    }

    /// Write to the query output and flush it.
    pub fn query_out(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    /// Write to the log file, if one is open.
    pub fn write_log(&mut self, text: &str) {
        if let Some(l) = self.log.as_mut() {
            let _ = l.write_all(text.as_bytes());
            let _ = l.flush();
        }
    }

    /// A server parameter as last reported (`PQparameterStatus`).
    pub fn parameter(&self, name: &str) -> Option<String> {
        let db = self.db.as_ref()?;
        let s = db.try_session().ok()?;
        s.parameter_status(name)
    }
}
