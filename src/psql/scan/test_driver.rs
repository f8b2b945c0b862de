//! Tests only: a small `MainLoop` + `HandleSlashCmds` (mainloop.c, command.c) driving the lexers the way
//! psql does, with just the commands the tests observe (`\echo`, `\qecho`, `\warn`, `\p`, `\g`, `\r`,
//! `\set`, `\unset`, `\if`/`\else`/`\endif`; `\!`'s whole-line option and `\o`'s and `\g`'s file-or-pipe
//! option are recorded, not run or opened). Its transcript is what
//! `psql -X -q -e -o /dev/null -f FILE` prints on stdout: each query sent, then a newline (`-e`), and
//! what `\echo` prints; plus the lexer's own messages psql prints on stderr.

use std::collections::HashMap;

use super::{
    quote_value, PromptStatus, PsqlScanState, QuoteType, ScanCallbacks, ScanResult, SlashOptionType,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum IfState {
    True,
    False,
    Ignored,
    ElseTrue,
    ElseFalse,
}

/// The engine side: variables, the `\if` stack, messages, commands run by backquotes.
#[derive(Default)]
pub(super) struct Engine {
    pub vars: HashMap<String, String>,
    /// (state, saved query length, saved paren depth)
    pub cond: Vec<(IfState, usize, usize)>,
    /// stderr lines from the lexer and the commands: `error: …`, `warning: …`
    pub err: Vec<String>,
    /// When set, backquoted commands are answered from here instead of run (for proptests).
    pub fake_backticks: bool,
}

impl ScanCallbacks for Engine {
    fn get_variable(&mut self, name: &str, quote: QuoteType) -> Option<String> {
        let value = self.vars.get(name)?;
        match quote_value(value, quote) {
            Ok(v) => Some(v),
            Err(e) => {
                self.err.push(format!("error: {e}"));
                None
            }
        }
    }
    fn conditional_active(&self) -> bool {
        matches!(
            self.cond.last(),
            None | Some((IfState::True | IfState::ElseTrue, _, _))
        )
    }
    fn backtick(&mut self, cmd: &str) -> Option<String> {
        if self.fake_backticks {
            return Some(format!("[{cmd}]\n"));
        }
        let out = std::process::Command::new("sh").arg("-c").arg(cmd).output();
        match out {
            Ok(o) => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
            Err(e) => {
                self.err.push(format!("error: {cmd}: {e}"));
                None
            }
        }
    }
    fn warning(&mut self, message: &str) {
        self.err.push(format!("warning: {message}"));
    }
    fn error(&mut self, message: &str) {
        self.err.push(format!("error: {message}"));
    }
}

/// What a run produced.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Transcript {
    /// psql's stdout with `-e -o /dev/null`: queries sent and `\echo` output.
    pub out: String,
    /// The queries sent, in order.
    pub sent: Vec<String>,
    /// Backslash commands with their options, as `\name` then each option in brackets.
    pub commands: Vec<String>,
    pub err: Vec<String>,
}

enum Status {
    SkipLine,
    Send,
    Error,
}

struct Loop<'a> {
    scan: PsqlScanState,
    eng: &'a mut Engine,
    std_strings: bool,
    query_buf: String,
    previous_buf: String,
    t: Transcript,
}

/// Run `input` as `psql -f` would (non-interactive), with standard_conforming_strings as given.
pub(super) fn run(input: &str, std_strings: bool, eng: &mut Engine) -> Transcript {
    let mut lp = Loop {
        scan: PsqlScanState::new(),
        eng,
        std_strings,
        query_buf: String::new(),
        previous_buf: String::new(),
        t: Transcript::default(),
    };
    // gets_fromFile: lines end at \n, which is removed; a last line without one still counts
    let mut lines: Vec<&str> = input.split('\n').collect();
    if input.ends_with('\n') || input.is_empty() {
        lines.pop();
    }
    for line in lines {
        lp.line(line);
    }
    if !lp.query_buf.is_empty() && lp.eng.conditional_active() {
        let q = std::mem::take(&mut lp.query_buf);
        lp.send(q);
    }
    lp.t.err = std::mem::take(&mut lp.eng.err);
    lp.t
}

impl Loop<'_> {
    fn send(&mut self, q: String) {
        self.t.out.push_str(&q);
        self.t.out.push('\n');
        self.t.sent.push(q.clone());
        self.previous_buf = q;
    }

    fn line(&mut self, line: &str) {
        if line.is_empty() && !self.scan.in_quote() {
            return;
        }
        let added_nl_pos = if self.query_buf.is_empty() {
            None
        } else {
            self.query_buf.push('\n');
            Some(self.query_buf.len())
        };
        self.scan.setup(line, self.std_strings);
        let mut added_nl_pos = added_nl_pos;
        loop {
            let (res, _prompt): (ScanResult, PromptStatus) =
                self.scan.scan(&mut self.query_buf, &mut *self.eng);
            match res {
                ScanResult::Semicolon => {
                    if self.eng.conditional_active() {
                        let q = std::mem::take(&mut self.query_buf);
                        self.send(q);
                        added_nl_pos = None;
                    }
                }
                ScanResult::Backslash => {
                    if Some(self.query_buf.len()) == added_nl_pos {
                        self.query_buf.pop();
                    }
                    added_nl_pos = None;
                    if let Status::Send = self.slash() {
                        let q = std::mem::take(&mut self.query_buf);
                        self.send(q);
                        self.scan.reset();
                    }
                }
                ScanResult::Incomplete | ScanResult::Eol => break,
            }
        }
        self.scan.finish();
    }

    fn opt(&mut self, ty: SlashOptionType) -> Option<String> {
        self.scan.slash_option(ty, &mut None, false, &mut *self.eng)
    }

    /// HandleSlashCmds.
    fn slash(&mut self) -> Status {
        let cmd = self.scan.slash_command();
        let status = self.exec(&cmd);
        match status {
            Status::Error => while self.opt(SlashOptionType::WholeLine).is_some() {},
            _ => {
                let active = self.eng.conditional_active();
                self.eng.cond.push((IfState::Ignored, 0, 0));
                while let Some(arg) = self.opt(SlashOptionType::Normal) {
                    if active {
                        self.eng.err.push(format!(
                            "warning: \\{cmd}: extra argument \"{arg}\" ignored"
                        ));
                    }
                }
                self.eng.cond.pop();
            }
        }
        self.scan.slash_command_end();
        status
    }

    fn all_opts(&mut self) -> Vec<String> {
        std::iter::from_fn(|| self.opt(SlashOptionType::Normal)).collect()
    }

    fn exec(&mut self, cmd: &str) -> Status {
        let active = self.eng.conditional_active();
        let mut record = vec![format!("\\{cmd}")];
        let status = match cmd {
            "echo" | "qecho" | "warn" => {
                if active {
                    let mut text = String::new();
                    let mut first = true;
                    let mut no_newline = false;
                    let mut quote = None;
                    while let Some(v) = self.scan.slash_option(
                        SlashOptionType::Normal,
                        &mut quote,
                        false,
                        &mut *self.eng,
                    ) {
                        record.push(format!("[{v}]"));
                        if first && !no_newline && quote.is_none() && v == "-n" {
                            no_newline = true;
                        } else {
                            if !first {
                                text.push(' ');
                            }
                            first = false;
                            text.push_str(&v);
                        }
                    }
                    if !no_newline {
                        text.push('\n');
                    }
                    if cmd == "warn" {
                        self.eng.err.push(text);
                    } else if cmd == "echo" {
                        self.t.out.push_str(&text);
                    }
                } else {
                    self.all_opts();
                }
                Status::SkipLine
            }
            "p" => {
                if active {
                    let shown = if self.query_buf.is_empty() {
                        self.previous_buf.clone()
                    } else {
                        self.query_buf.clone()
                    };
                    if !shown.is_empty() {
                        self.t.out.push_str(&shown);
                        self.t.out.push('\n');
                    }
                }
                Status::SkipLine
            }
            "g" => {
                // \g FILE: psql writes the result there; here the option is only recorded
                if let Some(o) = self.opt(SlashOptionType::FilePipe) {
                    record.push(format!("[{o}]"));
                }
                if active {
                    if self.query_buf.is_empty() {
                        self.query_buf = self.previous_buf.clone();
                    }
                    Status::Send
                } else {
                    Status::SkipLine
                }
            }
            "r" => {
                if active {
                    self.query_buf.clear();
                    self.scan.reset();
                }
                Status::SkipLine
            }
            "set" | "unset" => {
                // \set takes every option, \unset one (the rest are extra arguments)
                let opts = if cmd == "set" {
                    self.all_opts()
                } else {
                    self.opt(SlashOptionType::Normal).into_iter().collect()
                };
                record.extend(opts.iter().map(|o| format!("[{o}]")));
                if active {
                    if let Some((name, rest)) = opts.split_first() {
                        if cmd == "set" {
                            self.eng.vars.insert(name.clone(), rest.concat());
                        } else {
                            self.eng.vars.remove(name);
                        }
                    }
                }
                Status::SkipLine
            }
            "!" | "o" => {
                let ty = if cmd == "!" {
                    SlashOptionType::WholeLine
                } else {
                    SlashOptionType::FilePipe
                };
                if let Some(o) = self.opt(ty) {
                    record.push(format!("[{o}]"));
                }
                Status::SkipLine
            }
            "if" | "else" | "endif" => self.conditional(cmd, &mut record),
            _ => {
                self.eng.err.push(format!("error: invalid command \\{cmd}"));
                Status::Error
            }
        };
        self.t.commands.push(record.concat());
        status
    }

    fn conditional(&mut self, cmd: &str, record: &mut Vec<String>) -> Status {
        let saved = (self.query_buf.len(), self.scan.paren_depth());
        let discard = |lp: &mut Self, len: usize, depth: usize| {
            lp.query_buf.truncate(len.min(lp.query_buf.len()));
            lp.scan.set_paren_depth(depth);
        };
        match cmd {
            "if" => {
                if self.eng.conditional_active() {
                    self.eng.cond.push((IfState::True, saved.0, saved.1));
                    let expr = self.all_opts().join(" ");
                    record.push(format!("[{expr}]"));
                    if !matches!(expr.as_str(), "true" | "on" | "1" | "t") {
                        if let Some(top) = self.eng.cond.last_mut() {
                            top.0 = IfState::False;
                        }
                    }
                } else {
                    self.eng.cond.push((IfState::Ignored, saved.0, saved.1));
                    self.all_opts();
                }
            }
            "else" => {
                if let Some(&(st, len, depth)) = self.eng.cond.last() {
                    let new = match st {
                        IfState::True => (IfState::ElseFalse, saved.0, saved.1),
                        IfState::False => {
                            discard(self, len, depth);
                            (IfState::ElseTrue, len, depth)
                        }
                        _ => {
                            discard(self, len, depth);
                            (st, len, depth)
                        }
                    };
                    if let Some(top) = self.eng.cond.last_mut() {
                        *top = new;
                    }
                }
            }
            _ => {
                if let Some((st, len, depth)) = self.eng.cond.pop() {
                    if !matches!(st, IfState::True | IfState::ElseTrue) {
                        discard(self, len, depth);
                    }
                }
            }
        }
        Status::SkipLine
    }
}

/// `run` with variables and standard_conforming_strings on.
pub(super) fn run_with(input: &str, std_strings: bool, vars: &[(&str, &str)]) -> Transcript {
    let mut eng = Engine::default();
    for (k, v) in vars {
        eng.vars.insert((*k).to_string(), (*v).to_string());
    }
    run(input, std_strings, &mut eng)
}
