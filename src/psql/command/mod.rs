//! Backslash commands (`command.c`): the ONE dispatcher every input source uses (`HandleSlashCmds` and
//! `exec_command`), reading each command's options with psql's lexer. Commands live in files by family;
//! to add one, see `docs/ARCHITECTURE.md`.

pub mod basic;
pub mod cond;
pub mod conn;
pub mod describe;
pub mod edit;
pub mod query;

use crate::psql::engine::Engine;
use crate::psql::scan::{PsqlScanState, QuoteType, ScanCallbacks, SlashOptionType};
pub use cond::{CondStack, IfState};

/// What a backslash command asks the main loop to do (`backslashResult`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackslashResult {
    /// Not a known command.
    Unknown,
    /// Send the query buffer (`\g` and friends).
    Send,
    /// Done; go on with the rest of the line.
    SkipLine,
    /// Quit this input (`\q`).
    Terminate,
    /// The query buffer was replaced (`\e`): scan it again as input.
    NewEdit,
    /// The command failed.
    Error,
}

/// The lexer's view of the engine while a command's options are read: variables, backquoted commands,
/// messages, and whether the current `\if` branch is active.
pub struct EngineCallbacks<'a> {
    pub e: &'a mut Engine,
    pub active: bool,
}

impl ScanCallbacks for EngineCallbacks<'_> {
    fn get_variable(&mut self, name: &str, quote: QuoteType) -> Option<String> {
        variable_for_lexer(self.e, name, quote)
    }

    fn conditional_active(&self) -> bool {
        self.active
    }

    fn backtick(&mut self, cmd: &str) -> Option<String> {
        backtick(self.e, cmd)
    }

    fn warning(&mut self, message: &str) {
        self.e.log_warning(message);
    }

    fn error(&mut self, message: &str) {
        self.e.log_error(message);
    }
}

/// `psql_get_variable`: a variable's value quoted as asked; `None` leaves the reference as written.
pub fn variable_for_lexer(e: &mut Engine, name: &str, quote: QuoteType) -> Option<String> {
    let value = match e.vars.get(name) {
        Some(v) => v.to_string(),
        None => e.extension_variable(name)?,
    };
    if matches!(quote, QuoteType::SqlLiteral | QuoteType::SqlIdent) && e.db.is_none() {
        e.log_error("cannot escape without active connection");
        return None;
    }
    match crate::psql::scan::quote_value(&value, quote) {
        Ok(v) => Some(v),
        Err(msg) => {
            match quote {
                // libpq's own message, reported by psql as information.
                QuoteType::SqlLiteral | QuoteType::SqlIdent => e.log_info(&msg),
                _ => e.log_error(&msg),
            }
            None
        }
    }
}

/// A backquoted command (`` `cmd` ``): its standard output, as psql's `popen(cmd, "r")` gives it.
pub fn backtick(e: &mut Engine, cmd: &str) -> Option<String> {
    let _ = std::io::Write::flush(&mut e.out);
    match std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit())
        .output()
    {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(err) => {
            e.log_error(&format!("{cmd}: {}", crate::psql::output::os_error(&err)));
            None
        }
    }
}

/// One backslash command being run: the engine, the lexer positioned after the command name, the `\if`
/// stack and the query buffers (`None` for a `-c` command, as in psql).
pub struct Cmd<'a> {
    pub e: &'a mut Engine,
    pub scan: &'a mut PsqlScanState,
    pub cstack: &'a mut CondStack,
    pub query_buf: Option<&'a mut String>,
    pub previous_buf: Option<&'a mut String>,
    pub name: String,
}

impl Cmd<'_> {
    /// `psql_scan_slash_option`: the next option and the quote character it used.
    pub fn option(
        &mut self,
        ty: SlashOptionType,
        semicolon: bool,
    ) -> Option<(String, Option<char>)> {
        let active = self.cstack.active();
        let mut quote = None;
        let mut cb = EngineCallbacks { e: self.e, active };
        let v = self.scan.slash_option(ty, &mut quote, semicolon, &mut cb)?;
        Some((v, quote))
    }

    /// The next option's text.
    pub fn opt(&mut self, ty: SlashOptionType, semicolon: bool) -> Option<String> {
        self.option(ty, semicolon).map(|(v, _)| v)
    }

    /// Whether the current `\if` branch is active.
    pub fn active(&self) -> bool {
        self.cstack.active()
    }

    /// `ignore_slash_options`: read and drop the normal options (in an inactive branch).
    pub fn ignore_options(&mut self) {
        while self.option(SlashOptionType::Normal, false).is_some() {}
    }

    /// `ignore_slash_filepipe`.
    pub fn ignore_filepipe(&mut self) {
        let _ = self.option(SlashOptionType::FilePipe, false);
    }

    /// `ignore_slash_whole_line`.
    pub fn ignore_whole_line(&mut self) {
        let _ = self.option(SlashOptionType::WholeLine, false);
    }

    /// `copy_previous_query`: an empty query buffer gets the previous query.
    pub fn copy_previous_query(&mut self) -> bool {
        match (self.query_buf.as_deref_mut(), self.previous_buf.as_deref()) {
            (Some(q), Some(p)) if q.is_empty() => {
                q.push_str(p);
                true
            }
            _ => false,
        }
    }

    /// "\\cmd: missing required argument".
    pub fn missing_argument(&mut self) -> BackslashResult {
        let msg = format!("\\{}: missing required argument", self.name);
        self.e.log_error(&msg);
        BackslashResult::Error
    }

    /// `success ? PSQL_CMD_SKIP_LINE : PSQL_CMD_ERROR`.
    pub fn status(success: bool) -> BackslashResult {
        if success {
            BackslashResult::SkipLine
        } else {
            BackslashResult::Error
        }
    }
}

fn is_branching_command(cmd: &str) -> bool {
    matches!(cmd, "if" | "elif" | "else" | "endif")
}

/// `HandleSlashCmds`: read the command name after the backslash, run it, then deal with the rest of its
/// arguments (extra ones are warned about; after an error the rest of the line is dropped).
pub fn handle_slash_cmds(
    e: &mut Engine,
    scan: &mut PsqlScanState,
    cstack: &mut CondStack,
    query_buf: Option<&mut String>,
    previous_buf: Option<&mut String>,
) -> BackslashResult {
    let name = scan.slash_command();
    let mut c = Cmd {
        e,
        scan,
        cstack,
        query_buf,
        previous_buf,
        name: name.clone(),
    };
    let mut status = if c.e.restricted && name != "unrestrict" {
        c.e.log_error("backslash commands are restricted; only \\unrestrict is allowed");
        BackslashResult::Error
    } else {
        exec_command(&mut c)
    };
    if status == BackslashResult::Unknown {
        c.e.log_error(&format!("invalid command \\{name}"));
        if c.e.set.cur_cmd_interactive {
            c.e.log_info("Try \\? for help.");
        }
        status = BackslashResult::Error;
    }
    if status != BackslashResult::Error {
        // Eat the remaining arguments, without running backquoted commands in them.
        let active = c.cstack.active();
        c.cstack.push(IfState::Ignored);
        while let Some((arg, _)) = c.option(SlashOptionType::Normal, false) {
            if active {
                c.e.log_warning(&format!("\\{name}: extra argument \"{arg}\" ignored"));
            }
        }
        c.cstack.pop();
    } else {
        // Silently throw away the rest of the line after a failed command.
        while c.option(SlashOptionType::WholeLine, false).is_some() {}
    }
    c.scan.slash_command_end();
    let _ = std::io::Write::flush(&mut c.e.out);
    status
}

/// `exec_command`: run the command named `c.name`.
fn exec_command(c: &mut Cmd<'_>) -> BackslashResult {
    let active = c.active();
    let cmd = c.name.clone();
    if c.e.set.cur_cmd_interactive && !active && !is_branching_command(&cmd) {
        c.e.log_warning(&format!(
            "\\{cmd} command ignored; use \\endif or Ctrl-C to exit current \\if block"
        ));
    }
    match cmd.as_str() {
        "a" | "C" | "f" | "H" | "html" | "t" | "T" | "x" => basic::exec_pset_shortcut(c),
        "c" | "connect" => conn::exec_connect(c),
        "cd" => basic::exec_cd(c),
        "conninfo" => conn::exec_conninfo(c),
        s if s.eq_ignore_ascii_case("copy") => query::exec_copy(c),
        "copyright" => basic::exec_copyright(c),
        "crosstabview" => query::exec_crosstabview(c),
        s if s.starts_with('d') => describe::exec_d(c),
        "e" | "edit" => edit::exec_edit(c),
        "ef" => edit::exec_ef_ev(c, true),
        "ev" => edit::exec_ef_ev(c, false),
        "echo" | "qecho" | "warn" => basic::exec_echo(c),
        "elif" => cond::exec_elif(c),
        "else" => cond::exec_else(c),
        "endif" => cond::exec_endif(c),
        "encoding" => basic::exec_encoding(c),
        "errverbose" => basic::exec_errverbose(c),
        "g" | "gx" => query::exec_g(c),
        "gdesc" => query::exec_gdesc(c),
        "getenv" => basic::exec_getenv(c),
        "gexec" => query::exec_gexec(c),
        "gset" => query::exec_gset(c),
        "h" | "help" => basic::exec_help(c),
        "i" | "include" | "ir" | "include_relative" => basic::exec_include(c),
        "if" => cond::exec_if(c),
        "l" | "list" | "l+" | "list+" => describe::exec_list(c),
        s if s.starts_with("lo_") => describe::exec_lo(c),
        "o" | "out" => basic::exec_out(c),
        "p" | "print" => basic::exec_print(c),
        "password" => conn::exec_password(c),
        "prompt" => basic::exec_prompt(c),
        "pset" => basic::exec_pset(c),
        "q" | "quit" => basic::exec_quit(c),
        "r" | "reset" => basic::exec_reset(c),
        "restrict" => basic::exec_restrict(c),
        "s" => basic::exec_s(c),
        "set" => basic::exec_set(c),
        "setenv" => basic::exec_setenv(c),
        "sf" | "sf+" => describe::exec_sf_sv(c, true),
        "sv" | "sv+" => describe::exec_sf_sv(c, false),
        "timing" => basic::exec_timing(c),
        "unrestrict" => basic::exec_unrestrict(c),
        "unset" => basic::exec_unset(c),
        "w" | "write" => basic::exec_write(c),
        "watch" => query::exec_watch(c),
        "z" => describe::exec_z(c),
        "!" => basic::exec_shell_escape(c),
        "?" => basic::exec_slash_help(c),
        _ => {
            // pgsh's own commands (the extension lives in the engine: take it out while it runs).
            match c.e.ext.take() {
                Some(mut ext) => {
                    let r = ext.command(c);
                    c.e.ext = Some(ext);
                    r.unwrap_or(BackslashResult::Unknown)
                }
                None => BackslashResult::Unknown,
            }
        }
    }
}
