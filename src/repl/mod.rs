//! The read-eval-print loop. One loop serves a terminal (rustyline, prompts, history) and piped stdin (no
//! editor, no prompts, no colours; stops at the first uncaught error like a script).

pub mod complete;
pub mod editor;
pub mod highlight;
pub mod input;
pub mod meta;
pub mod source;

use std::io::Write;
use std::time::{Duration, Instant};

use rhai::Dynamic;

use crate::db::session::{Outcome, TxStatus};
use crate::output::table::Expanded;
use crate::output::Format;
use crate::script::rows::Rows;
use crate::script::runner::Runner;
use input::{classify, Kind, Lang};
use meta::Meta;
use source::{LineSource, NoInput, Read};

/// COPY data typed (or piped) after `COPY … FROM stdin;`, up to a line `\.`.
fn copy_lines(src: &mut dyn LineSource, w: &mut dyn Write) -> std::io::Result<u64> {
    let mut total = 0;
    loop {
        match src.read_line(">> ") {
            Read::Line(l) if l == "\\." => return Ok(total),
            Read::Line(l) => {
                w.write_all(l.as_bytes())?;
                w.write_all(b"\n")?;
                total += l.len() as u64 + 1;
            }
            Read::Eof => return Ok(total),
            Read::Interrupted => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::Interrupted,
                    "COPY cancelled",
                ))
            }
        }
    }
}

/// What the loop should do next.
enum Flow {
    Continue,
    Quit,
    /// Stop with this exit code (non-interactive failure).
    Fail(u8),
}

/// REPL state.
pub struct Repl<'a> {
    runner: &'a mut Runner,
    interactive: bool,
    lang: Lang,
    timing: bool,
    format: Format,
    last_input: Option<String>,
    last_sql: Option<String>,
    /// Line number (1-based) where the current input started, for messages about piped input.
    line_no: usize,
    source_name: String,
    /// Shared with the line editor (completion and highlighting), on a terminal.
    state: Option<editor::SharedState>,
    /// psql's `\pset pager`.
    pager: bool,
    /// The database name and superuser flag of the last live connection, for the prompt after it is lost.
    last_server: Option<(String, bool)>,
}

impl<'a> Repl<'a> {
    pub fn new(runner: &'a mut Runner, interactive: bool, format: Format) -> Self {
        Repl {
            runner,
            interactive,
            lang: Lang::Rhai,
            timing: false,
            format,
            last_input: None,
            last_sql: None,
            line_no: 0,
            source_name: if interactive { "<repl>" } else { "<stdin>" }.to_string(),
            state: None,
            pager: true,
            last_server: None,
        }
    }

    /// Share state with the line editor (completion, highlighting).
    pub fn with_editor_state(mut self, state: editor::SharedState) -> Self {
        {
            let mut st = state.borrow_mut();
            st.functions = crate::script::docs::callable_names(&crate::script::docs::catalog());
            st.colours = crate::term::colours_enabled();
        }
        self.state = Some(state);
        self.sync_editor("");
        self
    }

    /// Tell the editor what is pending and which names exist now.
    fn sync_editor(&self, pending: &str) {
        if let Some(st) = &self.state {
            let mut st = st.borrow_mut();
            st.pending = pending.to_string();
            st.lang = self.lang;
            st.variables = self
                .runner
                .scope()
                .iter_raw()
                .map(|(name, _, _)| name.to_string())
                .collect();
        }
    }

    /// After DDL the catalog the completer knows is out of date.
    fn note_ddl(&self, text: &str) {
        if let Some(st) = &self.state {
            let upper = text.to_ascii_uppercase();
            if ["CREATE", "DROP", "ALTER", "\\C", "\\I", "RENAME", "COMMENT"]
                .iter()
                .any(|k| upper.contains(k))
            {
                st.borrow_mut().catalog_stale = true;
            }
        }
    }

    /// Run the loop until EOF, `\q` or (non-interactive) the first uncaught error; returns the exit code.
    pub fn run(&mut self, src: &mut dyn LineSource) -> u8 {
        let mut buf = String::new();
        let mut start_line = 0;
        let mut read_lines = 0;
        loop {
            let prompt = self.prompt(!buf.is_empty(), &buf);
            crate::interrupt::clear();
            self.sync_editor(&buf);
            let line = match src.read_line(&prompt) {
                Read::Line(l) => l,
                Read::Interrupted => {
                    buf.clear();
                    continue;
                }
                Read::Eof => {
                    if buf.trim().is_empty() {
                        if self.interactive && !self.confirm_quit(src) {
                            continue;
                        }
                        return 0;
                    }
                    // Whatever is left runs as it is (psql sends an unterminated last statement too).
                    self.line_no = start_line;
                    let text = std::mem::take(&mut buf);
                    return match self.dispatch(&text, src) {
                        Flow::Fail(code) => code,
                        _ => 0,
                    };
                }
            };
            read_lines += 1;
            if buf.is_empty() {
                start_line = read_lines;
            }
            if let Some(at) = input::command_start(&buf, &line, self.lang) {
                let flow =
                    self.line_with_command(&mut buf, &line, at, (start_line, read_lines), src);
                match flow {
                    Flow::Continue => continue,
                    Flow::Quit => return 0,
                    Flow::Fail(code) => return code,
                }
            }
            buf.push_str(&line);
            buf.push('\n');
            let kind = classify(&buf, self.lang);
            let complete = match kind {
                Kind::Blank => {
                    buf.clear();
                    continue;
                }
                Kind::Meta => true,
                Kind::Sql => input::sql_complete(&buf),
                Kind::Rhai => !self.runner.is_incomplete(&buf),
            };
            if !complete {
                continue;
            }
            let text = std::mem::take(&mut buf);
            if self.interactive {
                src.add_history(text.trim_end());
            }
            self.line_no = start_line;
            match self.dispatch(&text, src) {
                Flow::Continue => {}
                Flow::Quit => return 0,
                Flow::Fail(code) => return code,
            }
        }
    }

    /// A line with a backslash command at byte `at`, as psql handles it: the text before the command joins
    /// the query buffer, statements a `;` finished there run first, then the command runs with what is
    /// left in the buffer (`\g`, `\gx`, `\watch` send it; `\r` clears it; the others leave it alone). The
    /// command takes the rest of the line. `lines` is (line where the buffer started, this line).
    fn line_with_command(
        &mut self,
        buf: &mut String,
        line: &str,
        at: usize,
        lines: (usize, usize),
        src: &mut dyn LineSource,
    ) -> Flow {
        let (before, command) = line.split_at(at);
        let typed = format!("{buf}{line}");
        buf.push_str(before);
        let mut sc = crate::sql::scan::Scanner::new();
        if let Some(&end) = sc.feed(buf).last() {
            let done: String = buf.drain(..end).collect();
            self.line_no = lines.0;
            match self.dispatch(&done, src) {
                Flow::Continue => {}
                other => return other,
            }
        }
        if buf.trim().is_empty() {
            buf.clear();
        }
        let sends = meta::split_words(command.trim_start_matches('\\'))
            .first()
            .is_some_and(|w| matches!(w.as_str(), "g" | "gx" | "watch"));
        if self.interactive {
            // A command that sends the buffer is remembered with it; one typed in the middle of a
            // statement on its own, since the statement goes on.
            if sends || buf.is_empty() {
                src.add_history(typed.trim());
            } else {
                src.add_history(command.trim());
            }
        }
        // Errors name the line the query started on when the command sends one, else the command's line.
        self.line_no = if sends && !buf.is_empty() {
            lines.0
        } else {
            lines.1
        };
        self.command(command, buf, src)
    }

    fn dispatch(&mut self, text: &str, src: &mut dyn LineSource) -> Flow {
        self.note_ddl(text);
        match classify(text, self.lang) {
            Kind::Blank => Flow::Continue,
            Kind::Meta => self.command(text, &mut String::new(), src),
            Kind::Sql => {
                self.last_input = Some(text.to_string());
                self.sql(input::strip_go(text), src)
            }
            Kind::Rhai => {
                self.last_input = Some(text.to_string());
                self.rhai(text)
            }
        }
    }

    /// psql's `%/%R%x%# `: `db=>`, `db=*>` in a transaction, `db=!>` after an error in one, `db=?>` when
    /// disconnected; `#` for superusers; `-` (or the open quote) on continuation lines.
    fn prompt(&mut self, continuation: bool, buf: &str) -> String {
        if !self.interactive {
            return String::new();
        }
        let live = self.runner.host.current_if_any().and_then(|db| {
            db.0.session.try_borrow().ok().map(|s| {
                let info = s.server_info().map(|i| (i.database.clone(), i.superuser));
                (info, s.tx_status(), s.is_connected())
            })
        });
        let (info, tx, connected) = live.unwrap_or((None, TxStatus::Idle, false));
        // A lost connection keeps the name and `#` it had, as psql's prompt does.
        if let Some(info) = info.filter(|_| connected) {
            self.last_server = Some(info);
        }
        let (db, superuser) = self
            .last_server
            .clone()
            .unwrap_or_else(|| ("pgsh".into(), false));
        let sign = if superuser { '#' } else { '>' };
        if continuation {
            let r = if classify(buf, self.lang) == Kind::Sql {
                let mut sc = crate::sql::scan::Scanner::new();
                sc.feed(buf);
                sc.prompt_indicator()
            } else {
                '-'
            };
            return format!("{db}{r}{sign} ");
        }
        let x = match (connected, tx) {
            (false, _) => "?",
            (true, TxStatus::Idle) => "",
            (true, TxStatus::InTransaction) => "*",
            (true, TxStatus::Failed) => "!",
        };
        format!("{db}={x}{sign} ")
    }

    /// Quitting with a transaction open asks first (on a terminal); the transaction is rolled back.
    fn confirm_quit(&self, src: &mut dyn LineSource) -> bool {
        let open = self
            .runner
            .host
            .current_if_any()
            .and_then(|db| db.0.session.try_borrow().ok().map(|s| s.tx_status()))
            .is_some_and(|t| t != TxStatus::Idle);
        if !open {
            return true;
        }
        match src.read_line("A transaction is open; quit and roll it back? [y/N] ") {
            Read::Line(l) => matches!(l.trim(), "y" | "Y" | "yes"),
            Read::Eof => true,
            Read::Interrupted => false,
        }
    }

    /// Results on a terminal go through the pager when they do not fit.
    fn out_result(&self, s: &str) {
        if self.interactive && self.pager {
            if let Some((cols, rows)) = crate::term::size() {
                if crate::term::needs_pager(s, cols, rows) && crate::term::page(s).is_ok() {
                    return;
                }
            }
        }
        self.out(s);
    }

    /// Table options for this output: `\x auto` needs the terminal width.
    fn table_options(&self) -> crate::output::table::TableOptions {
        let mut opts = self.runner.host.table.borrow().clone();
        if self.interactive {
            opts.terminal_width = crate::term::size().map(|(c, _)| c);
        }
        opts
    }

    fn out(&self, s: &str) {
        let mut o = std::io::stdout().lock();
        let _ = o.write_all(s.as_bytes());
        let _ = o.flush();
    }

    fn err(&self, s: &str) {
        let mut e = std::io::stderr().lock();
        let _ = e.write_all(s.as_bytes());
        if !s.ends_with('\n') {
            let _ = e.write_all(b"\n");
        }
    }

    fn where_prefix(&self) -> String {
        if self.interactive {
            String::new()
        } else {
            format!("pgsh:{}:{}: ", self.source_name, self.line_no)
        }
    }

    fn timing_line(&self, d: Duration) {
        if self.timing {
            self.out(&timing_text(d.as_secs_f64() * 1000.0));
        }
    }

    fn rhai(&mut self, text: &str) -> Flow {
        // Piped input keeps its line numbers in errors: pad the chunk to where it started.
        let code = if self.interactive {
            text.to_string()
        } else {
            format!("{}{text}", "\n".repeat(self.line_no.saturating_sub(1)))
        };
        if !self.interactive {
            self.runner.remember_source(&self.source_name, &code);
        }
        let name = self.source_name.clone();
        let started = Instant::now();
        let result = self.runner.eval_chunk(&name, &code);
        let elapsed = started.elapsed();
        match result {
            Ok(v) => {
                self.show_value(&v);
                self.timing_line(elapsed);
                Flow::Continue
            }
            Err(e) => {
                if let Some(code) = crate::script::diag::exit_request(&e) {
                    return if code == 0 {
                        Flow::Quit
                    } else {
                        Flow::Fail(code)
                    };
                }
                let msg = self.runner.render_error(&e, Some(&name));
                self.err(&msg);
                let code = crate::script::diag::exit_code(&e);
                if self.interactive {
                    Flow::Continue
                } else {
                    Flow::Fail(code)
                }
            }
        }
    }

    /// Show a value the way the REPL does: rows as a table, `()` as nothing, the rest in Rhai notation.
    fn show_value(&self, v: &Dynamic) {
        if v.is_unit() {
            return;
        }
        if let Some(rows) = v.read_lock::<Rows>() {
            let opts = self.table_options();
            self.out_result(&crate::output::render(&rows.0, self.format, &opts));
            return;
        }
        self.out(&format!("{}\n", display_value(v)));
    }

    fn sql(&mut self, text: &str, src: &mut dyn LineSource) -> Flow {
        let db = match self.runner.host.current() {
            Ok(db) => db,
            Err(e) => return self.fail_error(&e),
        };
        let statements: Vec<String> = crate::sql::scan::split(text)
            .iter()
            .map(|s| s.sql.to_string())
            .collect();
        for sql in statements {
            self.last_sql = Some(sql.clone());
            let started = Instant::now();
            let r = match db.try_session() {
                Ok(mut s) if crate::sql::scan::is_copy_from_stdin(&sql) => {
                    // As psql: the data follows on the next lines, up to `\.`.
                    let mut feed = |w: &mut dyn Write| copy_lines(src, w);
                    s.copy_in(&sql, &mut feed)
                        .map(|n| Outcome::Command(Some(format!("COPY {n}"))))
                }
                Ok(mut s) if crate::sql::scan::is_copy_to_stdout(&sql) => {
                    // The data is the output; psql adds no tag after it.
                    s.copy_out(&sql, &mut std::io::stdout().lock())
                        .map(|_| Outcome::Command(None))
                }
                Ok(mut s) => s.run(&sql),
                Err(e) => Err(e),
            };
            let elapsed = started.elapsed();
            match r {
                Ok(Outcome::Rows(rs)) => {
                    let opts = self.table_options();
                    self.out_result(&crate::output::render(&rs, self.format, &opts));
                }
                Ok(Outcome::Command(Some(tag))) => self.out(&format!("{tag}\n")),
                Ok(Outcome::Command(None)) => {}
                Err(e) => {
                    let flow = self.fail_error(&e);
                    // psql times a failed statement too.
                    self.timing_line(elapsed);
                    if !matches!(flow, Flow::Continue) {
                        return flow;
                    }
                    break;
                }
            }
            self.timing_line(elapsed);
        }
        Flow::Continue
    }

    /// Print a pgsh error psql-style; stop a non-interactive run.
    fn fail_error(&self, e: &crate::error::Error) -> Flow {
        let mut msg = self.where_prefix();
        match e.db() {
            Some(db) => {
                msg.push_str(&format!("{}:  {}\n", db.severity, db.message));
                msg.push_str(&crate::output::server_error::sql_details(db));
            }
            None => msg.push_str(&format!("{e}\n")),
        }
        self.err(&msg);
        if e.kind() == crate::error::ErrorKind::Interrupted && self.interactive {
            return Flow::Continue;
        }
        if self.interactive {
            Flow::Continue
        } else {
            Flow::Fail(e.exit_code())
        }
    }

    /// A bad argument to a meta-command: said on stderr; a piped run stops (exit code 3, as for a command
    /// pgsh does not know).
    fn meta_error(&self, msg: &str) -> Flow {
        self.err(&format!("{}{msg}", self.where_prefix()));
        if self.interactive {
            Flow::Continue
        } else {
            Flow::Fail(3)
        }
    }

    /// Run a backslash command (`text` starts with it and runs to the end of its line). `buf` is the query
    /// buffer typed before it, which `\g`, `\gx` and `\watch` send and `\r` empties.
    fn command(&mut self, text: &str, buf: &mut String, src: &mut dyn LineSource) -> Flow {
        let line = text.trim();
        self.note_ddl(line);
        // \copy takes the rest of the line verbatim (quotes, parentheses and all), as psql does.
        if let Some(rest) = line
            .strip_prefix("\\copy")
            .filter(|r| r.starts_with(char::is_whitespace))
        {
            // `from stdin` data follows in this loop's own input (a terminal, or the piped script): reading
            // stdin directly would wait on the lock this loop's reader holds.
            let mut feed = |session: &mut crate::db::session::Session, sql: &str| {
                session.copy_in(sql, &mut |w: &mut dyn Write| copy_lines(src, w))
            };
            let result = self.runner.host.current().and_then(|db| {
                crate::sqlrun::meta_copy_with(
                    &db,
                    rest,
                    None,
                    &mut std::io::stdout(),
                    Some(&mut feed),
                    true,
                )
            });
            return match result {
                Ok(tag) => {
                    if let Some(tag) = tag {
                        self.out(&format!("{tag}\n"));
                    }
                    Flow::Continue
                }
                Err(e) => self.fail_error(&e),
            };
        }
        let cmd = match meta::parse(line) {
            Ok(c) => c,
            Err(msg) => return self.meta_error(&msg),
        };
        if let Meta::Watch { args } = &cmd {
            return self.watch(args, buf);
        }
        // psql sends the buffer when one is pending, else the previous query again.
        let pending = (!buf.trim().is_empty()).then(|| std::mem::take(buf));
        match cmd {
            Meta::Go { args } | Meta::GoExpanded { args } if !args.is_empty() => {
                // Put the buffer back: nothing was sent.
                if let Some(p) = pending {
                    *buf = p;
                }
                let name = line.split_whitespace().next().unwrap_or("\\g");
                self.meta_error(&format!(
                    "{name}: sending results to a file or a command is not supported; use \\copy or copy_out()"
                ))
            }
            Meta::Go { .. } => self.send(pending, false, src),
            Meta::GoExpanded { .. } => self.send(pending, true, src),
            Meta::Reset => {
                self.out("Query buffer reset (cleared).\n");
                Flow::Continue
            }
            Meta::Print => {
                let shown = pending.clone().or_else(|| self.last_sql.clone());
                match shown {
                    Some(q) => self.out(&format!("{}\n", q.trim_end_matches('\n'))),
                    None => self.out("Query buffer is empty.\n"),
                }
                if let Some(p) = pending {
                    *buf = p;
                }
                Flow::Continue
            }
            Meta::Quit => {
                // Piped, psql sends what is pending before it quits (as at the end of the input); at a
                // terminal the unfinished statement is dropped.
                if self.interactive {
                    if !self.confirm_quit(src) {
                        if let Some(p) = pending {
                            *buf = p;
                        }
                        return Flow::Continue;
                    }
                } else if let Some(p) = pending {
                    if let Flow::Fail(code) = self.dispatch(&p, src) {
                        return Flow::Fail(code);
                    }
                }
                Flow::Quit
            }
            other => {
                if let Some(p) = pending {
                    *buf = p;
                }
                self.meta(other, src)
            }
        }
    }

    /// `\g` / `\gx`: send the pending buffer, or the last query again; `\gx` shows it expanded.
    fn send(&mut self, pending: Option<String>, expanded: bool, src: &mut dyn LineSource) -> Flow {
        let Some(query) = pending.or_else(|| self.last_sql.clone()) else {
            // psql does nothing when there has been no query yet.
            return Flow::Continue;
        };
        self.note_ddl(&query);
        self.last_input = Some(query.clone());
        if !expanded {
            return self.sql(&query, src);
        }
        let saved = std::mem::replace(
            &mut self.runner.host.table.borrow_mut().expanded,
            Expanded::On,
        );
        let flow = self.sql(&query, src);
        self.runner.host.table.borrow_mut().expanded = saved;
        flow
    }

    /// A meta-command that does not touch the query buffer.
    fn meta(&mut self, cmd: Meta, src: &mut dyn LineSource) -> Flow {
        match cmd {
            Meta::Help => self.out_result(&meta::help_text()),
            Meta::HelpFn { name } => self.out_result(&help_fn(name.as_deref())),
            Meta::Echo { text } => {
                // psql: a first argument `-n` drops the newline.
                match text.split_first() {
                    Some((first, rest)) if first == "-n" => self.out(&rest.join(" ")),
                    _ => self.out(&format!("{}\n", text.join(" "))),
                }
            }
            Meta::Sql => self.lang = Lang::Sql,
            Meta::Rhai => self.lang = Lang::Rhai,
            Meta::Timing { mode } => {
                self.timing = match mode.as_deref() {
                    None => !self.timing,
                    Some(v) => match meta::parse_bool(v) {
                        Some(b) => b,
                        None => {
                            return self.meta_error(&format!(
                                "unrecognized value \"{v}\" for \"\\timing\": Boolean expected"
                            ))
                        }
                    },
                };
                self.out(&format!(
                    "Timing is {}.\n",
                    if self.timing { "on" } else { "off" }
                ));
            }
            Meta::Expanded { mode } => return self.pset(Some("expanded"), mode.as_deref()),
            Meta::Pset { name, value } => return self.pset(name.as_deref(), value.as_deref()),
            Meta::Conninfo => match self.runner.host.current() {
                Ok(db) => {
                    let s = db.0.session.try_borrow();
                    let info = s.as_ref().ok().and_then(|s| s.server_info().cloned());
                    match info {
                        Some(i) => self.out(&format!(
                            "You are connected to database \"{}\" as user \"{}\" on {} (PostgreSQL {}, backend pid {}).\n",
                            i.database, i.user, db.label(), i.version, i.pid
                        )),
                        None => self.out(&format!("Connected to {}.\n", db.label())),
                    }
                }
                Err(e) => return self.fail_error(&e),
            },
            Meta::Include { file } => return self.include(&file),
            Meta::Edit => return self.edit(src),
            other => return self.catalog(other),
        }
        Flow::Continue
    }

    /// `\pset [option [value]]` (and `\x`, which is `\pset expanded`). Booleans read as psql reads them;
    /// a missing value toggles a boolean and shows the others.
    fn pset(&mut self, name: Option<&str>, value: Option<&str>) -> Flow {
        let bool_of = |option: &str, v: &str| -> Result<bool, String> {
            meta::parse_bool(v).ok_or_else(|| {
                format!("unrecognized value \"{v}\" for \"{option}\": Boolean expected")
            })
        };
        let mut t = self.runner.host.table.borrow_mut();
        let msg = match (name, value) {
            (Some("null"), v) => {
                if let Some(v) = v {
                    t.null = v.to_string();
                }
                format!("Null display is \"{}\".", t.null)
            }
            (Some("border"), None) => format!("Border style is {}.", t.border),
            (Some("border"), Some(v)) => match v.parse::<u8>() {
                Ok(b) => {
                    t.border = b;
                    format!("Border style is {b}.")
                }
                Err(_) => {
                    drop(t);
                    return self.meta_error(&format!("\\pset: border must be a number, not \"{v}\""));
                }
            },
            (Some("footer"), v) => {
                t.footer = match v.map(|v| bool_of("footer", v)) {
                    None => !t.footer,
                    Some(Ok(b)) => b,
                    Some(Err(e)) => {
                        drop(t);
                        return self.meta_error(&e);
                    }
                };
                format!("Default footer is {}.", if t.footer { "on" } else { "off" })
            }
            (Some(option @ ("expanded" | "x")), v) => {
                t.expanded = match v {
                    None => match t.expanded {
                        Expanded::Off => Expanded::On,
                        _ => Expanded::Off,
                    },
                    Some(v) if v.eq_ignore_ascii_case("auto") => Expanded::Auto,
                    Some(v) => match meta::parse_bool(v) {
                        Some(true) => Expanded::On,
                        Some(false) => Expanded::Off,
                        None => {
                            drop(t);
                            return self.meta_error(&format!(
                                "unrecognized value \"{v}\" for \"{option}\"\nAvailable values are: on, off, auto."
                            ));
                        }
                    },
                };
                match t.expanded {
                    Expanded::On => "Expanded display is on.".to_string(),
                    Expanded::Off => "Expanded display is off.".to_string(),
                    Expanded::Auto => "Expanded display is used automatically.".to_string(),
                }
            }
            (Some("format"), None) => format!("Output format is {}.", format_name(self.format)),
            (Some("format"), Some(v)) => match v.parse::<Format>() {
                Ok(f) => {
                    self.format = f;
                    format!("Output format is {v}.")
                }
                Err(e) => {
                    drop(t);
                    return self.meta_error(&format!("\\pset: {e}"));
                }
            },
            (Some("pager"), v) => {
                self.pager = match v.map(|v| bool_of("pager", v)) {
                    None => !self.pager,
                    Some(Ok(b)) => b,
                    Some(Err(e)) => {
                        drop(t);
                        return self.meta_error(&e);
                    }
                };
                format!("Pager usage is {}.", if self.pager { "on" } else { "off" })
            }
            (Some(other), _) => {
                drop(t);
                return self.meta_error(&format!(
                    "\\pset: unknown option: {other} (pgsh knows border, expanded, footer, format, null, pager)"
                ));
            }
            (None, _) => format!(
                "border                   {}\nexpanded                 {}\nfooter                   {}\nformat                   {}\nnull                     \"{}\"\npager                    {}",
                t.border,
                match t.expanded {
                    Expanded::On => "on",
                    Expanded::Off => "off",
                    Expanded::Auto => "auto",
                },
                if t.footer { "on" } else { "off" },
                format_name(self.format),
                t.null,
                if self.pager { "on" } else { "off" }
            ),
        };
        drop(t);
        self.out(&format!("{msg}\n"));
        Flow::Continue
    }

    fn include(&mut self, file: &str) -> Flow {
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let expanded = meta::expand_tilde(file, home.as_deref());
        let path = expanded.as_path();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                self.err(&format!("{}{file}: {e}", self.where_prefix()));
                return if self.interactive {
                    Flow::Continue
                } else {
                    Flow::Fail(1)
                };
            }
        };
        if file.ends_with(".sql") {
            // Through the SQL-file runner: COPY data, \c, \set and friends work as with -f.
            let mut runner = crate::sqlrun::SqlRunner::new(
                &self.runner.host,
                crate::sqlrun::SqlRunOptions {
                    stop_on_error: true,
                    keep_error: false,
                    quiet: false,
                    format: self.format,
                    table: self.table_options(),
                },
            );
            let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
            let (mut out, mut err) = (stdout.lock(), stderr.lock());
            let r = runner.run_file(
                path,
                &mut crate::sqlrun::Outputs {
                    out: &mut out,
                    err: &mut err,
                },
            );
            return match r {
                Err(crate::sqlrun::Stop::Failed(code)) if !self.interactive => Flow::Fail(code),
                _ => Flow::Continue,
            };
        }
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.runner.set_base_dir(dir);
        }
        let name = path.display().to_string();
        self.runner.remember_source(&name, &text);
        // A REPL chunk, so functions the file defines stay available at the prompt.
        match self
            .runner
            .eval_chunk(&name, &crate::script::modules::strip_shebang(&text))
        {
            Ok(_) => Flow::Continue,
            Err(e) => {
                self.err(&self.runner.render_error(&e, Some(&name)));
                if self.interactive {
                    Flow::Continue
                } else {
                    Flow::Fail(crate::script::diag::exit_code(&e))
                }
            }
        }
    }

    /// `\watch [SECONDS] [c=COUNT]` (psql 16's `i=`/`c=` forms too): re-run the pending query (or the last
    /// one) until Ctrl-C, an error, or COUNT runs.
    fn watch(&mut self, args: &[String], buf: &mut String) -> Flow {
        let mut seconds = 2.0_f64;
        let mut count: Option<u64> = None;
        // Arguments first, so a typo leaves the query buffer as it was.
        for a in args {
            let (key, value) = a.split_once('=').unwrap_or(("i", a));
            match (key, value.parse::<f64>()) {
                ("i" | "interval", Ok(v)) if v >= 0.0 => seconds = v,
                ("c" | "count", Ok(v)) if v >= 1.0 => count = Some(v as u64),
                _ => {
                    return self.meta_error(&format!(
                        "\\watch: invalid argument \"{a}\" (use \\watch [SECONDS] [c=COUNT])"
                    ));
                }
            }
        }
        let Ok(interval) = Duration::try_from_secs_f64(seconds.max(0.01)) else {
            return self.meta_error(&format!("\\watch: {seconds} seconds is too long"));
        };
        let pending = (!buf.trim().is_empty()).then(|| std::mem::take(buf));
        let Some(sql) = pending.or_else(|| self.last_sql.clone()) else {
            return self.meta_error("\\watch cannot be used with an empty query buffer");
        };
        let mut runs = 0;
        loop {
            let now = jiff::ZonedDateTime::now()
                .strftime("%a %b %e %H:%M:%S %Y")
                .to_string();
            self.out(&format!("{now} (every {seconds}s)\n\n"));
            if let Flow::Fail(c) = self.sql(&sql, &mut NoInput) {
                return Flow::Fail(c);
            }
            runs += 1;
            if count.is_some_and(|c| runs >= c) {
                return Flow::Continue;
            }
            if crate::interrupt::is_set() || crate::interrupt::sleep(interval).is_err() {
                crate::interrupt::clear();
                return Flow::Continue;
            }
        }
    }

    fn edit(&mut self, _src: &mut dyn LineSource) -> Flow {
        let initial = self.last_input.clone().unwrap_or_default();
        match editor::edit_in_editor(&initial) {
            Ok(text) if !text.trim().is_empty() => {
                self.out(&text);
                if !text.ends_with('\n') {
                    self.out("\n");
                }
                self.dispatch(&text, _src)
            }
            Ok(_) => Flow::Continue,
            Err(e) => {
                self.err(&e);
                Flow::Continue
            }
        }
    }

    fn catalog(&mut self, cmd: Meta) -> Flow {
        let db = match self.runner.host.current() {
            Ok(db) => db,
            Err(e) => return self.fail_error(&e),
        };
        if let Meta::Connect { dbname, user } = &cmd {
            return match self
                .runner
                .host
                .reconnect(dbname.as_deref(), user.as_deref())
            {
                Ok(new) => {
                    let info = new
                        .0
                        .session
                        .try_borrow()
                        .ok()
                        .and_then(|s| s.server_info().cloned());
                    if let Some(i) = info {
                        self.out(&format!(
                            "You are now connected to database \"{}\" as user \"{}\".\n",
                            i.database, i.user
                        ));
                    }
                    Flow::Continue
                }
                Err(e) => self.fail_error(&e),
            };
        }
        if let Meta::Lessons = cmd {
            self.out_result(&crate::lessons::listing());
            return Flow::Continue;
        }
        let opts = self.table_options();
        let result = {
            let mut s = match db.try_session() {
                Ok(s) => s,
                Err(e) => return self.fail_error(&e),
            };
            crate::catalog::describe_command(&mut s, &cmd, &opts)
        };
        match result {
            Ok(d) => {
                self.out_result(&d.text);
                if let Some(notice) = d.notice {
                    self.err(&notice);
                }
                Flow::Continue
            }
            Err(e) => self.fail_error(&e),
        }
    }
}

/// psql's `\timing` line: milliseconds, and from one second on also `[[d ]hh:]mm:ss.fff`.
pub fn timing_text(ms: f64) -> String {
    if ms < 1000.0 {
        return format!("Time: {ms:.3} ms\n");
    }
    let mut seconds = ms / 1000.0;
    let mut minutes = (seconds / 60.0).floor();
    seconds -= 60.0 * minutes;
    if minutes < 60.0 {
        return format!("Time: {ms:.3} ms ({:02}:{seconds:06.3})\n", minutes as u64);
    }
    let mut hours = (minutes / 60.0).floor();
    minutes -= 60.0 * hours;
    if hours < 24.0 {
        return format!(
            "Time: {ms:.3} ms ({:02}:{:02}:{seconds:06.3})\n",
            hours as u64, minutes as u64
        );
    }
    let days = (hours / 24.0).floor();
    hours -= 24.0 * days;
    format!(
        "Time: {ms:.3} ms ({days:.0} d {:02}:{:02}:{seconds:06.3})\n",
        hours as u64, minutes as u64
    )
}

/// `\pset format`'s name for an output format.
fn format_name(f: Format) -> &'static str {
    match f {
        Format::Table => "table",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Markdown => "markdown",
    }
}

/// `\h [function]`: pgsh's functions by topic, or one in full, from their own documentation.
pub fn help_fn(name: Option<&str>) -> String {
    let catalog = crate::script::docs::catalog();
    match name {
        None => crate::script::docs::help_index(&catalog),
        Some(n) => crate::script::docs::help_on(&catalog, n),
    }
}

/// A value at the prompt as `print` shows it (rows are shown by the caller, in the output format).
pub fn display_value(v: &Dynamic) -> String {
    crate::script::show::display(v, &crate::output::table::TableOptions::default())
}

#[cfg(test)]
mod tests {
    use super::timing_text;

    #[test]
    fn timing_lines_as_psql_prints_them() {
        assert_eq!(timing_text(0.405), "Time: 0.405 ms\n");
        assert_eq!(timing_text(999.9994), "Time: 999.999 ms\n");
        assert_eq!(timing_text(1102.789), "Time: 1102.789 ms (00:01.103)\n");
        assert_eq!(timing_text(61_000.0), "Time: 61000.000 ms (01:01.000)\n");
        assert_eq!(
            timing_text(3_723_004.5),
            "Time: 3723004.500 ms (01:02:03.005)\n"
        );
        assert_eq!(
            timing_text(90_061_000.0),
            "Time: 90061000.000 ms (1 d 01:01:01.000)\n"
        );
    }
}
