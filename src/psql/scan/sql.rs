//! The SQL lexer (psqlscan.l's rules): copies SQL text into the query buffer until a command-ending
//! semicolon, a backslash command or the end of the line, tracking quotes, comments, dollar quotes,
//! parentheses and `BEGIN ATOMIC` bodies, and expanding `:var`, `:'var'`, `:"var"` and `:{?var}`.
//!
//! Each flex rule's action here only copies text (ECHO) except where psql's does more, so what matters
//! is where each token ends and which state follows; the functions below compute exactly the token flex's
//! longest-match rule picks wherever that changes either. Runs of characters that no rule distinguishes
//! (operator characters, the inside of a string) are taken in one step, so scanning is linear.

use super::quote::QuoteType;
use super::state::{
    emit, escaped_variable, lookup, tested_variable, var_ref, PromptStatus, PsqlScanState,
    ScanCallbacks, ScanResult, SqlState, VarRef,
};

/// What one lexing step asks the driver to do after consuming its bytes.
enum Step {
    /// Go on lexing.
    Continue,
    /// Return this to `psql_scan` (flex's `return LEXRES_…`).
    Semicolon,
    Backslash,
    /// Scan this variable's value before the rest (the driver pushes it after consuming the token).
    Push(String, String),
}

/// `{space}`: `[ \t\n\r\f]`.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// `{op_chars}`.
fn is_op_char(b: u8) -> bool {
    matches!(
        b,
        b'~' | b'!'
            | b'@'
            | b'#'
            | b'^'
            | b'&'
            | b'|'
            | b'`'
            | b'?'
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'<'
            | b'>'
            | b'='
    )
}

/// `{ident_start}` (also `{dolq_start}`).
fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// `{ident_cont}`.
fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// `{dolq_cont}`.
fn is_dolq_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

fn run(bytes: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    bytes
        .get(from..)
        .map_or(0, |rest| rest.iter().take_while(|&&b| pred(b)).count())
}

/// End of a `--` comment starting at `at`: the next newline (`\n` or `\r`), not included.
fn comment_end(bytes: &[u8], at: usize) -> usize {
    at + run(bytes, at, |b| b != b'\n' && b != b'\r')
}

impl PsqlScanState {
    /// `psql_scan`: lex the text given to `setup`, appending it (with variables expanded) to `query_buf`,
    /// until a command-ending semicolon, a backslash command or the end of the line. Returns why it
    /// stopped and the prompt for the next line.
    ///
    /// After [`ScanResult::Semicolon`], send and clear the buffer and call again for the rest of the line;
    /// after [`ScanResult::Backslash`], read the command with [`PsqlScanState::slash_command`] and its
    /// options, then call again. After `Incomplete` or `Eol`, call [`PsqlScanState::finish`] and set up the
    /// next line. Called without a line set up, it reports the end of the line.
    pub fn scan(
        &mut self,
        query_buf: &mut String,
        cb: &mut dyn ScanCallbacks,
    ) -> (ScanResult, PromptStatus) {
        loop {
            // The text is taken out of its buffer while the lexical state is updated, and put back
            // with the position advanced (a move, not a copy).
            if self.current().is_none() {
                break;
            }
            let Some(b) = self.stack.last_mut().or(self.line.as_mut()) else {
                break;
            };
            let (text, pos) = (std::mem::take(&mut b.text), b.pos);
            let (len, step) = self.sql_step(&text, pos, query_buf, cb);
            if let Some(b) = self.stack.last_mut().or(self.line.as_mut()) {
                b.text = text;
            }
            self.advance(len);
            match step {
                Step::Continue => {}
                Step::Semicolon => return (ScanResult::Semicolon, PromptStatus::Ready),
                Step::Backslash => return (ScanResult::Backslash, PromptStatus::Ready),
                Step::Push(value, name) => self.push_value(value, &name),
            }
        }
        self.end_of_line(query_buf)
    }

    /// psql_scan's verdict at the end of the input, from the state lexing stopped in.
    fn end_of_line(&self, query_buf: &str) -> (ScanResult, PromptStatus) {
        use PromptStatus as P;
        use ScanResult::Incomplete;
        match self.start_state {
            SqlState::Initial | SqlState::Xqs => {
                if self.paren_depth > 0 {
                    (Incomplete, P::Paren)
                } else if self.begin_depth > 0 {
                    (Incomplete, P::Continue)
                } else if !query_buf.is_empty() {
                    (ScanResult::Eol, P::Continue)
                } else {
                    // never bother to send an empty buffer
                    (Incomplete, P::Ready)
                }
            }
            SqlState::Xb | SqlState::Xh | SqlState::Xe | SqlState::Xq | SqlState::Xus => {
                (Incomplete, P::SingleQuote)
            }
            SqlState::Xc => (Incomplete, P::Comment),
            SqlState::Xd | SqlState::Xui => (Incomplete, P::DoubleQuote),
            SqlState::Xdolq => (Incomplete, P::DollarQuote),
        }
    }

    /// Lex one token at `pos` (not at the end of `text`): returns the bytes consumed and what follows.
    fn sql_step(
        &mut self,
        text: &str,
        pos: usize,
        out: &mut String,
        cb: &mut dyn ScanCallbacks,
    ) -> (usize, Step) {
        let bytes = text.as_bytes();
        let echo = |out: &mut String, n: usize| emit(out, text, pos, pos + n);
        let at = |i: usize| bytes.get(pos + i).copied();
        match self.start_state {
            SqlState::Initial => self.initial_step(text, pos, out, cb),
            SqlState::Xc => {
                let n = match at(0) {
                    Some(b'/') if at(1) == Some(b'*') => {
                        self.xcdepth += 1;
                        2
                    }
                    Some(b'*') => {
                        let stars = run(bytes, pos, |b| b == b'*');
                        if at(stars) == Some(b'/') {
                            if self.xcdepth == 0 {
                                self.start_state = SqlState::Initial;
                            } else {
                                self.xcdepth -= 1;
                            }
                            stars + 1
                        } else {
                            stars
                        }
                    }
                    Some(b'/') => 1,
                    _ => run(bytes, pos, |b| b != b'*' && b != b'/'),
                };
                echo(out, n);
                (n, Step::Continue)
            }
            SqlState::Xb | SqlState::Xh => {
                let n = if at(0) == Some(b'\'') {
                    self.quote_stop();
                    1
                } else {
                    run(bytes, pos, |b| b != b'\'')
                };
                echo(out, n);
                (n, Step::Continue)
            }
            SqlState::Xq | SqlState::Xus | SqlState::Xe => {
                let escapes = self.start_state == SqlState::Xe;
                let n = match at(0) {
                    Some(b'\'') if at(1) == Some(b'\'') => 2,
                    Some(b'\'') => {
                        self.quote_stop();
                        1
                    }
                    // xeescape, xeoctesc, xehexesc, xeunicode(fail): the backslash and the next
                    // character go together (the digits after it are ordinary inside text); a
                    // backslash at the end of the text stands alone.
                    Some(b'\\') if escapes => {
                        1 + at(1).map_or(0, |_| super::state::char_len(bytes, pos + 1))
                    }
                    _ if escapes => run(bytes, pos, |b| b != b'\'' && b != b'\\'),
                    _ => run(bytes, pos, |b| b != b'\''),
                };
                echo(out, n);
                (n, Step::Continue)
            }
            SqlState::Xqs => match quote_continue(bytes, pos) {
                Some(n) => {
                    self.start_state = self.state_before_str_stop;
                    echo(out, n);
                    (n, Step::Continue)
                }
                None => {
                    // Not continued: rescan everything after the end quote normally.
                    self.start_state = SqlState::Initial;
                    (0, Step::Continue)
                }
            },
            SqlState::Xdolq => {
                let n = if at(0) == Some(b'$') {
                    match dolq_delim(bytes, pos) {
                        Ok(len) => {
                            if self.dolqstart.as_deref().map(str::as_bytes)
                                == bytes.get(pos..pos + len)
                            {
                                self.dolqstart = None;
                                self.start_state = SqlState::Initial;
                                len
                            } else {
                                // $delim$...$junk$delim$: keep the final $ for rescanning.
                                len - 1
                            }
                        }
                        Err(failed) => failed,
                    }
                } else {
                    run(bytes, pos, |b| b != b'$')
                };
                echo(out, n);
                (n, Step::Continue)
            }
            SqlState::Xd | SqlState::Xui => {
                let n = match at(0) {
                    Some(b'"') if at(1) == Some(b'"') => 2,
                    Some(b'"') => {
                        self.start_state = SqlState::Initial;
                        1
                    }
                    _ => run(bytes, pos, |b| b != b'"'),
                };
                echo(out, n);
                (n, Step::Continue)
            }
        }
    }

    /// `<xb,xh,xq,xe,xus>{quote}`: the end quote; look ahead for a continuation.
    fn quote_stop(&mut self) {
        self.state_before_str_stop = self.start_state;
        self.start_state = SqlState::Xqs;
    }

    /// One token in the INITIAL state.
    fn initial_step(
        &mut self,
        text: &str,
        pos: usize,
        out: &mut String,
        cb: &mut dyn ScanCallbacks,
    ) -> (usize, Step) {
        let bytes = text.as_bytes();
        let at = |i: usize| bytes.get(pos + i).copied();
        let c = bytes[pos];
        let mut step = Step::Continue;
        let n = match c {
            // {whitespace}: dropped until the buffer holds something (mainloop relies on that).
            _ if is_space(c) || (c == b'-' && at(1) == Some(b'-')) => {
                let n = if is_space(c) {
                    run(bytes, pos, is_space)
                } else {
                    comment_end(bytes, pos) - pos
                };
                if !out.is_empty() {
                    emit(out, text, pos, pos + n);
                }
                return (n, Step::Continue);
            }
            // {xcstart}; the operator characters after slash-star are put back (yyless(2)).
            b'/' if at(1) == Some(b'*') => {
                self.xcdepth = 0;
                self.start_state = SqlState::Xc;
                2
            }
            b'b' | b'B' if at(1) == Some(b'\'') => {
                self.start_state = SqlState::Xb;
                2
            }
            b'x' | b'X' if at(1) == Some(b'\'') => {
                self.start_state = SqlState::Xh;
                2
            }
            // {xnstart}: eat only the 'n' this time.
            b'n' | b'N' if at(1) == Some(b'\'') => 1,
            b'\'' => {
                self.start_state = if self.std_strings {
                    SqlState::Xq
                } else {
                    SqlState::Xe
                };
                1
            }
            b'e' | b'E' if at(1) == Some(b'\'') => {
                self.start_state = SqlState::Xe;
                2
            }
            b'u' | b'U' if at(1) == Some(b'&') => match at(2) {
                Some(b'\'') => {
                    self.start_state = SqlState::Xus;
                    3
                }
                Some(b'"') => {
                    self.start_state = SqlState::Xui;
                    3
                }
                // {xufailed}: throw back all but the u.
                _ => 1,
            },
            b'$' => self.dollar(bytes, pos),
            b'"' => {
                self.start_state = SqlState::Xd;
                1
            }
            b'(' => {
                self.paren_depth += 1;
                1
            }
            b')' => {
                self.paren_depth = self.paren_depth.saturating_sub(1);
                1
            }
            b';' => {
                if self.paren_depth == 0 && self.begin_depth == 0 {
                    self.identifier_count = 0;
                    step = Step::Semicolon;
                }
                1
            }
            b'\\' => match at(1) {
                // "\\"[;:]: a literal semicolon or colon.
                Some(s @ (b';' | b':')) => {
                    out.push(s as char);
                    if s == b';' {
                        self.identifier_count = 0;
                    }
                    return (2, Step::Continue);
                }
                _ => return (1, Step::Backslash),
            },
            b':' => match at(1) {
                Some(b':' | b'=') => 2,
                _ => return self.variable(text, pos, out, cb),
            },
            b'.' => match at(1) {
                Some(b'.') => 2,
                Some(d) if d.is_ascii_digit() => number(bytes, pos),
                _ => 1,
            },
            _ if c.is_ascii_digit() => number(bytes, pos),
            _ if is_ident_start(c) => {
                let n = 1 + run(bytes, pos + 1, is_ident_cont);
                self.identifier(&bytes[pos..pos + n]);
                n
            }
            // {operator} (and the one-character {self} tokens and two-character comparison tokens it
            // overlaps): the token ends where a comment starts; where the backend splits the rest into
            // several operators changes nothing here, so the whole run is one step.
            _ if is_op_char(c) => operator_run(bytes, pos),
            // {self} characters that are not operator characters, and {other}: one character.
            _ => super::state::char_len(bytes, pos),
        };
        emit(out, text, pos, pos + n);
        (n, step)
    }

    /// A token starting with `$`: dollar-quote delimiter, parameter, or a lone `$`.
    fn dollar(&mut self, bytes: &[u8], pos: usize) -> usize {
        match bytes.get(pos + 1) {
            Some(d) if d.is_ascii_digit() => {
                // {param} or {param_junk}
                let n = 1 + run(bytes, pos + 1, |b| b.is_ascii_digit());
                match bytes.get(pos + n) {
                    Some(&b) if is_ident_start(b) => n + 1 + run(bytes, pos + n + 1, is_ident_cont),
                    _ => n,
                }
            }
            _ => match dolq_delim(bytes, pos) {
                Ok(len) => {
                    self.dolqstart = bytes
                        .get(pos..pos + len)
                        .map(|d| String::from_utf8_lossy(d).into_owned());
                    self.start_state = SqlState::Xdolq;
                    len
                }
                // {dolqfailed}: throw back all but the initial "$"; or {other}.
                Err(_) => 1,
            },
        }
    }

    /// `:` not followed by `:` or `=`: a variable reference, or just the colon.
    fn variable(
        &mut self,
        text: &str,
        pos: usize,
        out: &mut String,
        cb: &mut dyn ScanCallbacks,
    ) -> (usize, Step) {
        let bytes = text.as_bytes();
        match var_ref(bytes, pos) {
            VarRef::Plain(len) => {
                let varname = text.get(pos + 1..pos + len).unwrap_or("");
                match lookup(cb, varname, QuoteType::Plain) {
                    Some(value) => {
                        if self.var_is_current_source(varname) {
                            cb.warning(&format!(
                                "skipping recursive expansion of variable \"{varname}\""
                            ));
                            emit(out, text, pos, pos + len);
                            (len, Step::Continue)
                        } else {
                            (len, Step::Push(value, varname.to_string()))
                        }
                    }
                    None => {
                        emit(out, text, pos, pos + len);
                        (len, Step::Continue)
                    }
                }
            }
            VarRef::Literal(len) => {
                out.push_str(&escaped_variable(text, pos, len, QuoteType::SqlLiteral, cb));
                (len, Step::Continue)
            }
            VarRef::Ident(len) => {
                out.push_str(&escaped_variable(text, pos, len, QuoteType::SqlIdent, cb));
                (len, Step::Continue)
            }
            VarRef::Test(len) => {
                out.push_str(tested_variable(text, pos, len, cb));
                (len, Step::Continue)
            }
            VarRef::Failed | VarRef::None => {
                out.push(':');
                (1, Step::Continue)
            }
        }
    }

    /// `{identifier}`: psql 15's heuristic for `CREATE [OR REPLACE] {FUNCTION|PROCEDURE}` bodies written
    /// as `BEGIN ATOMIC … END`, whose semicolons do not end the statement.
    fn identifier(&mut self, word: &[u8]) {
        if self.identifier_count == 0 {
            self.identifiers = [0; 4];
        }
        let is = |w: &str| word.eq_ignore_ascii_case(w.as_bytes());
        if is("create") || is("function") || is("procedure") || is("or") || is("replace") {
            if let Some(slot) = self.identifiers.get_mut(self.identifier_count) {
                *slot = word[0].to_ascii_lowercase();
            }
        }
        self.identifier_count = self.identifier_count.saturating_add(1);
        let ids = self.identifiers;
        if ids[0] == b'c'
            && (ids[1] == b'f'
                || ids[1] == b'p'
                || (ids[1] == b'o' && ids[2] == b'r' && (ids[3] == b'f' || ids[3] == b'p')))
            && self.paren_depth == 0
        {
            if is("begin") {
                self.begin_depth += 1;
            } else if is("case") {
                // CASE also ends with END; only tracked inside a BEGIN.
                if self.begin_depth >= 1 {
                    self.begin_depth += 1;
                }
            } else if is("end") {
                self.begin_depth = self.begin_depth.saturating_sub(1);
            }
        }
    }
}

/// `{dolqdelim}` at `pos` (a `$`): `Ok(length)` of `$tag$` or `$$`, else `Err(length)` of the
/// `{dolqfailed}` or `{other}` token that matches instead (`$tag` without its closing `$`, or `$`).
fn dolq_delim(bytes: &[u8], pos: usize) -> Result<usize, usize> {
    match bytes.get(pos + 1) {
        Some(b'$') => Ok(2),
        Some(&b) if is_ident_start(b) => {
            let n = 2 + run(bytes, pos + 2, is_dolq_cont);
            if bytes.get(pos + n) == Some(&b'$') {
                Ok(n + 1)
            } else {
                Err(n)
            }
        }
        _ => Err(1),
    }
}

/// `{quotecontinue}` at `pos`: whitespace (with `--` comments) containing a newline, then a quote. The
/// length matched, or `None` when it does not match.
fn quote_continue(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos;
    // {horiz_whitespace}*
    loop {
        match bytes.get(i) {
            Some(b' ' | b'\t' | 0x0c) => i += 1,
            Some(b'-') if bytes.get(i + 1) == Some(&b'-') => i = comment_end(bytes, i),
            _ => break,
        }
    }
    // {newline}
    if !matches!(bytes.get(i), Some(b'\n' | b'\r')) {
        return None;
    }
    i += 1;
    // {special_whitespace}*: spaces, or comments ended by a newline
    loop {
        match bytes.get(i) {
            Some(&b) if is_space(b) => i += 1,
            Some(b'-') if bytes.get(i + 1) == Some(&b'-') => {
                let end = comment_end(bytes, i);
                if end >= bytes.len() {
                    break;
                }
                i = end + 1;
            }
            _ => break,
        }
    }
    (bytes.get(i) == Some(&b'\'')).then_some(i + 1 - pos)
}

/// An operator-character run at `pos` (not starting a comment), up to where a comment starts.
fn operator_run(bytes: &[u8], pos: usize) -> usize {
    let mut n = 1;
    while let Some(&b) = bytes.get(pos + n) {
        if !is_op_char(b) {
            break;
        }
        let prev = bytes[pos + n - 1];
        if (prev == b'-' && b == b'-') || (prev == b'/' && b == b'*') {
            return n - 1;
        }
        n += 1;
    }
    n
}

/// A numeric token at `pos` (a digit, or `.` then a digit): the longest of {integer}, {decimal},
/// {real}, {realfail}, their `_junk` forms (a number running into an identifier) and {decimalfail}
/// (`1..`, which gives back the `..`).
fn number(bytes: &[u8], pos: usize) -> usize {
    let digits = |from: usize| run(bytes, from, |b| b.is_ascii_digit());
    let at = |i: usize| bytes.get(i).copied();
    let int = digits(pos);
    let mut end = pos + int;
    if at(end) == Some(b'.') {
        if int > 0 && at(end + 1) == Some(b'.') {
            return int; // {decimalfail}
        }
        end += 1 + digits(end + 1);
    }
    // An exponent without a sign is never longer than the same text read as junk: `e5$x` is one
    // identifier (identifiers go on through digits and `$`), so `1e5$t$` is all {integer_junk}.
    if matches!(at(end), Some(b'e' | b'E')) && matches!(at(end + 1), Some(b'+' | b'-')) {
        let exp = digits(end + 2);
        if exp == 0 {
            return end + 2 - pos; // {realfail}
        }
        end += 2 + exp; // {real}
    }
    // {integer_junk}, {decimal_junk}, {real_junk}
    if at(end).is_some_and(is_ident_start) {
        end += 1 + run(bytes, end + 1, is_ident_cont);
    }
    end - pos
}
