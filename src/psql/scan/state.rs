//! The lexer's shared state (`PsqlScanStateData`), its results and callbacks, and the helpers both the
//! SQL lexer and the backslash-command lexer use (variable references, character lengths).

use std::borrow::Cow;

use super::quote::QuoteType;

/// What stopped [`PsqlScanState::scan`] (`PsqlScanResult`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanResult {
    /// A command-ending semicolon; it is in the query buffer. Send the buffer, clear it, scan on.
    Semicolon,
    /// A backslash that starts a backslash command; the text before it is in the query buffer.
    Backslash,
    /// End of the line with an incomplete statement (open quote, comment, parenthesis or `BEGIN` body,
    /// or nothing at all in the buffer).
    Incomplete,
    /// End of the line; the statement may be complete (`-S` single-line mode sends it here).
    Eol,
}

/// The prompt for the next line (`promptStatus_t`), what `%R` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptStatus {
    Ready,
    Continue,
    Comment,
    SingleQuote,
    DoubleQuote,
    DollarQuote,
    Paren,
    /// Set by the engine while reading `COPY FROM STDIN` data; the lexer never returns it.
    Copy,
}

/// How [`PsqlScanState::slash_option`] reads an argument (`enum slash_option_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlashOptionType {
    /// One word; quotes, `:var` and backquotes are processed.
    Normal,
    /// A SQL identifier: double quotes removed, unquoted letters downcased.
    SqlId,
    /// A SQL identifier whose unquoted letters keep their case (`\connect`).
    SqlIdHack,
    /// A file name, or `|command` taking the rest of the line.
    FilePipe,
    /// The rest of the line, leading whitespace dropped.
    WholeLine,
}

/// What the lexer needs from the engine (`PsqlScanCallbacks` plus the passthrough pointer, the
/// conditional stack, that psql gives it, and psql's logging and `popen`).
pub trait ScanCallbacks {
    /// A variable's value, quoted as `quote` says, or `None` to leave the reference as it was written
    /// (psql's `psql_get_variable`): unset, or quoting failed — the callback then reports why through its
    /// own error output, e.g. with [`quote_value`]'s message, or psql's "cannot escape without active
    /// connection" for [`QuoteType::SqlLiteral`]/[`QuoteType::SqlIdent`] when not connected. The lexer
    /// does not call this in an inactive `\if` branch (see [`ScanCallbacks::conditional_active`]).
    fn get_variable(&mut self, name: &str, quote: QuoteType) -> Option<String>;

    /// Whether the current `\if` branch is active (`conditional_active(cb_passthrough)`). In an inactive
    /// branch no variable is looked up (every reference stays as written, `:{?name}` is `FALSE`) and no
    /// backquoted command runs. `HandleSlashCmds` makes this false while it eats a command's extra
    /// arguments.
    fn conditional_active(&self) -> bool {
        true
    }

    /// Run a backquoted command with the shell (psql's `popen(cmd, "r")`) and return its standard output;
    /// `None` when it could not be run or read, after reporting `"{cmd}: {reason}"` as an error. The exit
    /// status is not an error (psql ignores it). The lexer drops one trailing newline of the output.
    fn backtick(&mut self, cmd: &str) -> Option<String>;

    /// `pg_log_warning`: e.g. "skipping recursive expansion of variable \"x\"".
    fn warning(&mut self, message: &str);

    /// `pg_log_error`: e.g. "unterminated quoted string".
    fn error(&mut self, message: &str);
}

/// Callbacks for lexing without variables or commands (psql with a `NULL` `get_variable`): every
/// reference stays as written, backquoted commands yield nothing, messages are dropped.
#[derive(Debug, Default)]
#[cfg(test)]
pub struct NoCallbacks;

#[cfg(test)]
impl ScanCallbacks for NoCallbacks {
    fn get_variable(&mut self, _name: &str, _quote: QuoteType) -> Option<String> {
        None
    }
    fn backtick(&mut self, _cmd: &str) -> Option<String> {
        None
    }
    fn warning(&mut self, _message: &str) {}
    fn error(&mut self, _message: &str) {}
}

/// The SQL lexer's start conditions (psqlscan.l's `%x` states plus `INITIAL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SqlState {
    Initial,
    /// `B'…'` bit string.
    Xb,
    /// `/* … */` comment, possibly nested.
    Xc,
    /// `"…"` identifier.
    Xd,
    /// `X'…'` hex string.
    Xh,
    /// `'…'` with standard_conforming_strings on.
    Xq,
    /// Just after a closing quote, looking for a continuation (`'a'` newline `'b'`).
    Xqs,
    /// `E'…'`, or `'…'` with standard_conforming_strings off: backslash escapes.
    Xe,
    /// `$tag$ … $tag$`.
    Xdolq,
    /// `U&"…"`.
    Xui,
    /// `U&'…'`.
    Xus,
}

/// One piece of text being scanned: the line given to `setup`, or a variable's value being expanded
/// (`StackElem`). `pos` is a byte offset, always at a character boundary.
#[derive(Debug)]
pub(crate) struct Buffer {
    pub(crate) text: String,
    pub(crate) pos: usize,
    /// The variable this text is the value of (for the recursion check), `None` for the line.
    pub(crate) varname: Option<String>,
}

/// The lexer's working state (`PsqlScanStateData`): what it is scanning, and the lexical state that
/// lives across lines until [`PsqlScanState::reset`].
#[derive(Debug)]
pub struct PsqlScanState {
    /// The line given to `setup` (psql's `scanbufhandle`), `None` when not scanning.
    pub(crate) line: Option<Buffer>,
    /// Variable values being expanded, innermost last (psql's `buffer_stack`).
    pub(crate) stack: Vec<Buffer>,
    pub(crate) std_strings: bool,
    pub(crate) start_state: SqlState,
    pub(crate) state_before_str_stop: SqlState,
    pub(crate) paren_depth: usize,
    pub(crate) xcdepth: usize,
    pub(crate) dolqstart: Option<String>,
    /// Identifiers seen since the start of the statement, and the first letters of the first four when
    /// they are CREATE / OR / REPLACE / FUNCTION / PROCEDURE: psql 15's `BEGIN ATOMIC` body tracking.
    pub(crate) identifier_count: usize,
    pub(crate) identifiers: [u8; 4],
    pub(crate) begin_depth: usize,
}

impl Default for PsqlScanState {
    fn default() -> Self {
        Self::new()
    }
}

impl PsqlScanState {
    /// `psql_scan_create`: a lexer in its initial state, scanning nothing.
    pub fn new() -> Self {
        PsqlScanState {
            line: None,
            stack: Vec::new(),
            std_strings: true,
            start_state: SqlState::Initial,
            state_before_str_stop: SqlState::Initial,
            paren_depth: 0,
            xcdepth: 0,
            dolqstart: None,
            identifier_count: 0,
            identifiers: [0; 4],
            begin_depth: 0,
        }
    }

    /// `psql_scan_setup`: scan `line` next (one input line without its newline, or any chunk of text).
    /// `std_strings` is the server's `standard_conforming_strings`: whether `'…'` treats backslashes
    /// literally. Whatever was still unscanned is dropped, as [`PsqlScanState::finish`] would.
    pub fn setup(&mut self, line: &str, std_strings: bool) {
        self.stack.clear();
        self.std_strings = std_strings;
        self.line = Some(Buffer {
            text: line.to_string(),
            pos: 0,
            varname: None,
        });
    }

    /// `psql_scan_finish`: drop the rest of the line and any variable expansion under way. The lexical
    /// state (open quotes, parentheses, …) is kept; that is [`PsqlScanState::reset`]'s business.
    pub fn finish(&mut self) {
        self.stack.clear();
        self.line = None;
    }

    /// `psql_scan_reset`: back to the initial lexical state, as after `\r` or an error.
    pub fn reset(&mut self) {
        self.start_state = SqlState::Initial;
        self.paren_depth = 0;
        self.xcdepth = 0;
        self.dolqstart = None;
        self.identifier_count = 0;
        self.begin_depth = 0;
    }

    /// `psql_scan_reselect_sql_lexer`: back to the SQL lexer's initial state after the backslash lexer,
    /// keeping the parenthesis depth and the rest.
    pub fn reselect_sql_lexer(&mut self) {
        self.start_state = SqlState::Initial;
    }

    /// `psql_scan_in_quote`: inside a quoted string, quoted identifier, dollar quote or comment (mainloop
    /// keeps empty lines only then).
    pub fn in_quote(&self) -> bool {
        !matches!(self.start_state, SqlState::Initial | SqlState::Xqs)
    }

    /// `psql_scan_get_paren_depth`.
    pub fn paren_depth(&self) -> usize {
        self.paren_depth
    }

    /// `psql_scan_set_paren_depth` (`\if` restores the depth around an inactive branch this way).
    pub fn set_paren_depth(&mut self, depth: usize) {
        self.paren_depth = depth;
    }

    /// The buffer being scanned: the innermost variable expansion, else the line.
    pub(crate) fn top(&self) -> Option<&Buffer> {
        self.stack.last().or(self.line.as_ref())
    }

    /// Advance the buffer being scanned by `n` bytes.
    pub(crate) fn advance(&mut self, n: usize) {
        if let Some(b) = self.stack.last_mut().or(self.line.as_mut()) {
            b.pos = (b.pos + n).min(b.text.len());
        }
    }

    /// The buffer to scan next, with text left in it: variable expansions scanned to their end are
    /// popped first (flex's `<<EOF>>` rule in a pushed buffer). `None` at the end of the line.
    pub(crate) fn current(&mut self) -> Option<&Buffer> {
        while self.stack.last().is_some_and(|b| b.pos >= b.text.len()) {
            self.stack.pop();
        }
        self.top().filter(|b| b.pos < b.text.len())
    }

    /// `psqlscan_push_new_buffer`: scan a variable's value before the rest of the current text.
    pub(crate) fn push_value(&mut self, value: String, varname: &str) {
        self.stack.push(Buffer {
            text: value,
            pos: 0,
            varname: Some(varname.to_string()),
        });
    }

    /// `psqlscan_var_is_current_source`: is `varname`'s value being expanded already?
    pub(crate) fn var_is_current_source(&self, varname: &str) -> bool {
        self.stack
            .iter()
            .any(|b| b.varname.as_deref() == Some(varname))
    }
}

/// psql's variable lookup as the lexers make it: nothing in an inactive `\if` branch
/// (`psql_get_variable` returns `NULL` there before looking at the variable).
pub(crate) fn lookup(cb: &mut dyn ScanCallbacks, name: &str, quote: QuoteType) -> Option<String> {
    if !cb.conditional_active() {
        return None;
    }
    cb.get_variable(name, quote)
}

/// `variable_char`: `[A-Za-z\200-\377_0-9]` (every byte of a multibyte character).
pub(crate) fn is_variable_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Length of the run of `variable_char` bytes at `from`.
pub(crate) fn variable_chars(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|&&b| is_variable_char(b)).count()
    })
}

/// The kind of variable reference at a `:`, as both lexers' rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VarRef {
    /// `:name` (length of the whole token).
    Plain(usize),
    /// `:'name'`.
    Literal(usize),
    /// `:"name"`.
    Ident(usize),
    /// `:{?name}`.
    Test(usize),
    /// `:'`, `:"`, `:{?` or `:{` not completing a reference: the colon alone is a token.
    Failed,
    /// Not a variable token at all.
    None,
}

/// Classify the text at `at` (a `:`) by the longest of the variable rules that matches.
pub(crate) fn var_ref(bytes: &[u8], at: usize) -> VarRef {
    let get = |i: usize| bytes.get(i).copied();
    match get(at + 1) {
        Some(b) if is_variable_char(b) => VarRef::Plain(1 + variable_chars(bytes, at + 1)),
        Some(q @ (b'\'' | b'"')) => {
            let n = variable_chars(bytes, at + 2);
            if n > 0 && get(at + 2 + n) == Some(q) {
                let len = n + 3;
                if q == b'\'' {
                    VarRef::Literal(len)
                } else {
                    VarRef::Ident(len)
                }
            } else {
                VarRef::Failed
            }
        }
        Some(b'{') => {
            if get(at + 2) == Some(b'?') {
                let n = variable_chars(bytes, at + 3);
                if n > 0 && get(at + 3 + n) == Some(b'}') {
                    return VarRef::Test(n + 4);
                }
            }
            VarRef::Failed
        }
        _ => VarRef::None,
    }
}

/// `psqlscan_escape_variable`: the text for `:'name'` or `:"name"` (`len` bytes at `pos`): its quoted
/// value, or the reference as written when the variable is unset or cannot be quoted. The value is never
/// rescanned.
pub(crate) fn escaped_variable<'a>(
    text: &'a str,
    pos: usize,
    len: usize,
    quote: QuoteType,
    cb: &mut dyn ScanCallbacks,
) -> Cow<'a, str> {
    let name = text.get(pos + 2..pos + len - 1).unwrap_or("");
    match lookup(cb, name, quote) {
        Some(value) => Cow::Owned(value),
        None => Cow::Borrowed(text.get(pos..pos + len).unwrap_or("")),
    }
}

/// `psqlscan_test_variable`: the text for `:{?name}` (`len` bytes at `pos`), `TRUE` or `FALSE`.
pub(crate) fn tested_variable(
    text: &str,
    pos: usize,
    len: usize,
    cb: &mut dyn ScanCallbacks,
) -> &'static str {
    let name = text.get(pos + 3..pos + len - 1).unwrap_or("");
    if lookup(cb, name, QuoteType::Plain).is_some() {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// Append `text[a..b]` to `out`. Token boundaries fall on ASCII bytes or the end of the text, so the
/// range is always on character boundaries; should it not be, the bytes are still kept (lossily) rather
/// than panicking.
pub(crate) fn emit(out: &mut String, text: &str, a: usize, b: usize) {
    match text.get(a..b) {
        Some(s) => out.push_str(s),
        None => {
            // Tests must hear of it: the fallback would otherwise hide a lexer bug.
            if cfg!(test) {
                panic!("token boundary inside a character at {a}..{b}");
            }
            if let Some(bytes) = text.as_bytes().get(a..b) {
                out.push_str(&String::from_utf8_lossy(bytes));
            }
        }
    }
}

/// Byte length of the character starting at `at` (1 for a stray continuation byte, which &str never has
/// at a boundary).
pub(crate) fn char_len(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(&b) if b >= 0xF0 => 4,
        Some(&b) if b >= 0xE0 => 3,
        Some(&b) if b >= 0xC0 => 2,
        _ => 1,
    }
    .min(bytes.len().saturating_sub(at).max(1))
}
