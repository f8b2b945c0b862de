//! One backslash command being run (`Cmd`: the engine, the lexer, the `\\if` stack, the query buffers),
//! what it asks the main loop to do, and the lexer's callbacks into the engine while options are read.

use super::condstack::CondStack;
use crate::psql::engine::Engine;
use crate::psql::scan::{PsqlScanState, QuoteType, ScanCallbacks, SlashOptionType};

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
