//! The backslash-command lexer (psqlscanslash.l): a command's name, its options one at a time (quotes,
//! `:var` references, backquoted commands, identifiers, file names or pipes, the whole rest of the line),
//! and the `\\` that may end it, after which the SQL lexer takes over the rest of the line.

use super::quote::QuoteType;
use super::sql::is_space;
use super::state::{
    char_len, escaped_variable, lookup, tested_variable, var_ref, PsqlScanState, ScanCallbacks,
    SlashOptionType, VarRef,
};

/// The backslash lexer's start conditions while reading an option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OptState {
    /// Before the option: skip whitespace.
    ArgStart,
    /// Unquoted option text.
    Arg,
    /// `'…'`: backslash escapes, `''`.
    Quote,
    /// `` `…` ``: a command to run, with `:var` and `:'var'` expanded.
    Backquote,
    /// `"…"`: copied with its quotes.
    Dquote,
    /// The rest of the line.
    WholeLine,
}

/// One option being read (psqlscanslash.l's file-level `option_type`, `option_quote`,
/// `unquoted_option_chars`, `backtick_start_offset`, plus the output buffer). Bytes, not text: `\ooo`
/// and `\xhh` escapes can produce any byte.
struct OptLex {
    ty: SlashOptionType,
    state: OptState,
    quote: Option<char>,
    unquoted: usize,
    backtick_start: usize,
    buf: Vec<u8>,
}

impl OptLex {
    fn echo(&mut self, text: &str, pos: usize, n: usize) {
        if let Some(b) = text.as_bytes().get(pos..pos + n) {
            self.buf.extend_from_slice(b);
        }
    }

    /// Lex one token at `pos` (not at the end of `text`): the bytes consumed, and whether the option
    /// ended here (flex's `return LEXRES_OK`; the text at `pos` is then left for the next call).
    fn step(&mut self, text: &str, pos: usize, cb: &mut dyn ScanCallbacks) -> (usize, bool) {
        let bytes = text.as_bytes();
        let at = |i: usize| bytes.get(pos + i).copied();
        let c = bytes[pos];
        let n = match self.state {
            OptState::ArgStart => {
                if is_space(c) {
                    return (run_of(bytes, pos, is_space), false);
                }
                // "|" is special only at the start of a file-or-pipe option.
                if c == b'|' && self.ty == SlashOptionType::FilePipe {
                    self.echo(text, pos, 1);
                    self.state = OptState::WholeLine;
                    return (1, false);
                }
                self.state = OptState::Arg;
                return (0, false);
            }
            OptState::Arg => match c {
                // Unquoted whitespace ends the option; a backslash ends the command or starts the
                // next one. Neither is eaten.
                _ if is_space(c) || c == b'\\' => return (0, true),
                b'\'' => {
                    self.quote = Some('\'');
                    self.unquoted = 0;
                    self.state = OptState::Quote;
                    return (1, false);
                }
                b'`' => {
                    self.backtick_start = self.buf.len();
                    self.quote = Some('`');
                    self.unquoted = 0;
                    self.state = OptState::Backquote;
                    return (1, false);
                }
                b'"' => {
                    self.echo(text, pos, 1);
                    self.quote = Some('"');
                    self.unquoted = 0;
                    self.state = OptState::Dquote;
                    return (1, false);
                }
                b':' => return (self.variable(text, pos, cb), false),
                _ => {
                    let n = char_len(bytes, pos);
                    self.unquoted += n;
                    n
                }
            },
            OptState::Quote => match c {
                b'\'' if at(1) == Some(b'\'') => {
                    self.buf.push(b'\'');
                    return (2, false);
                }
                b'\'' => {
                    self.state = OptState::Arg;
                    return (1, false);
                }
                b'\\' => return (self.quote_escape(text, pos), false),
                _ => char_len(bytes, pos),
            },
            OptState::Backquote => match c {
                b'`' => {
                    // In an inactive \if branch the command is not run (its text stays).
                    if cb.conditional_active() {
                        self.evaluate_backtick(cb);
                    }
                    self.state = OptState::Arg;
                    return (1, false);
                }
                b':' => match var_ref(bytes, pos) {
                    VarRef::Plain(len) => {
                        let name = text.get(pos + 1..pos + len).unwrap_or("");
                        match lookup(cb, name, QuoteType::Plain) {
                            Some(value) => self.buf.extend_from_slice(value.as_bytes()),
                            None => self.echo(text, pos, len),
                        }
                        return (len, false);
                    }
                    VarRef::Literal(len) => {
                        let value = escaped_variable(text, pos, len, QuoteType::ShellArg, cb);
                        self.buf.extend_from_slice(value.as_bytes());
                        return (len, false);
                    }
                    _ => 1,
                },
                _ => char_len(bytes, pos),
            },
            OptState::Dquote => {
                if c == b'"' {
                    self.state = OptState::Arg;
                }
                char_len(bytes, pos)
            }
            OptState::WholeLine => {
                if is_space(c) {
                    // leading whitespace is dropped
                    let n = run_of(bytes, pos, is_space);
                    if !self.buf.is_empty() {
                        self.echo(text, pos, n);
                    }
                    return (n, false);
                }
                char_len(bytes, pos)
            }
        };
        self.echo(text, pos, n);
        (n, false)
    }

    /// A `:` in unquoted option text: the variable rules of `<xslasharg>`.
    fn variable(&mut self, text: &str, pos: usize, cb: &mut dyn ScanCallbacks) -> usize {
        match var_ref(text.as_bytes(), pos) {
            VarRef::Plain(len) => {
                // The value is used as it is, never rescanned (nor guarded against recursion).
                let name = text.get(pos + 1..pos + len).unwrap_or("");
                match lookup(cb, name, QuoteType::Plain) {
                    Some(value) => self.buf.extend_from_slice(value.as_bytes()),
                    None => self.echo(text, pos, len),
                }
                self.quote = Some(':');
                self.unquoted = 0;
                len
            }
            VarRef::Literal(len) | VarRef::Ident(len) => {
                let quote = match var_ref(text.as_bytes(), pos) {
                    VarRef::Literal(_) => QuoteType::SqlLiteral,
                    _ => QuoteType::SqlIdent,
                };
                let value = escaped_variable(text, pos, len, quote, cb);
                self.buf.extend_from_slice(value.as_bytes());
                self.quote = Some(':');
                self.unquoted = 0;
                len
            }
            VarRef::Test(len) => {
                self.buf
                    .extend_from_slice(tested_variable(text, pos, len, cb).as_bytes());
                len
            }
            VarRef::Failed | VarRef::None => {
                self.unquoted += 1;
                self.buf.push(b':');
                1
            }
        }
    }

    /// A backslash inside `'…'`: `\n \t \b \r \f`, octal `\ooo`, hex `\xhh`, or any other character
    /// taken literally. Returns the bytes consumed.
    fn quote_escape(&mut self, text: &str, pos: usize) -> usize {
        let bytes = text.as_bytes();
        let next = bytes.get(pos + 1).copied();
        let control = match next {
            Some(b'n') => Some(b'\n'),
            Some(b't') => Some(b'\t'),
            Some(b'b') => Some(0x08),
            Some(b'r') => Some(b'\r'),
            Some(b'f') => Some(0x0c),
            _ => None,
        };
        if let Some(b) = control {
            self.buf.push(b);
            return 2;
        }
        match next {
            Some(b'0'..=b'7') => {
                let k = run_of(bytes, pos + 1, |b| (b'0'..=b'7').contains(&b)).min(3);
                let value = bytes[pos + 1..pos + 1 + k]
                    .iter()
                    .fold(0u32, |v, &d| v * 8 + u32::from(d - b'0'));
                // (char) strtol(...): only the low byte survives
                self.buf.push((value & 0xFF) as u8);
                1 + k
            }
            Some(b'x') if bytes.get(pos + 2).is_some_and(u8::is_ascii_hexdigit) => {
                let k = run_of(bytes, pos + 2, |b| b.is_ascii_hexdigit()).min(2);
                let value = bytes[pos + 2..pos + 2 + k]
                    .iter()
                    .fold(0u8, |v, &d| v.wrapping_mul(16).wrapping_add(hex_value(d)));
                self.buf.push(value);
                2 + k
            }
            // "\\". : the character after the backslash ('.' is anything but a newline)
            Some(b) if b != b'\n' => {
                let n = char_len(bytes, pos + 1);
                self.echo(text, pos + 1, n);
                1 + n
            }
            // a backslash before a newline or at the end is itself
            _ => {
                self.buf.push(b'\\');
                1
            }
        }
    }

    /// `evaluate_backtick`: replace the command text collected since the opening backquote by the
    /// command's output, less one trailing newline (nothing when it could not be run).
    fn evaluate_backtick(&mut self, cb: &mut dyn ScanCallbacks) {
        let start = self.backtick_start.min(self.buf.len());
        let cmd = String::from_utf8_lossy(&self.buf[start..]).into_owned();
        self.buf.truncate(start);
        if let Some(output) = cb.backtick(&cmd) {
            let output = output.strip_suffix('\n').unwrap_or(&output);
            self.buf.extend_from_slice(output.as_bytes());
        }
    }
}

fn hex_value(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        b'A'..=b'F' => d - b'A' + 10,
        _ => 0,
    }
}

fn run_of(bytes: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    bytes
        .get(from..)
        .map_or(0, |rest| rest.iter().take_while(|&&b| pred(b)).count())
}

impl PsqlScanState {
    /// `psql_scan_slash_command`: the name of the backslash command whose backslash
    /// [`PsqlScanState::scan`] just consumed — everything up to whitespace, a backslash or the end.
    pub fn slash_command(&mut self) -> String {
        let mut name = String::new();
        while let Some(b) = self.current() {
            let c = b.text.as_bytes()[b.pos];
            if is_space(c) || c == b'\\' {
                break;
            }
            let n = char_len(b.text.as_bytes(), b.pos);
            super::state::emit(&mut name, &b.text, b.pos, b.pos + n);
            self.advance(n);
        }
        self.reselect_sql_lexer();
        name
    }

    /// `psql_scan_slash_option`: the next option of the current backslash command, read as `ty` says,
    /// or `None` when there is none (or its quote is unterminated: then "unterminated quoted string" is
    /// reported through `cb`). `quote` is set to the last quoting used in it — `'`, `"`, `` ` ``, or
    /// `:` for a variable reference — or `None`. With `semicolon`, unquoted trailing semicolons are
    /// dropped. In an inactive `\if` branch (see [`ScanCallbacks::conditional_active`]) options are still
    /// read, but variables are not expanded and backquoted commands are not run.
    ///
    /// psql's option is a C string: it ends at the first NUL an escape such as `'\0'` produced. Bytes
    /// that are not UTF-8 (from `\ooo`/`\xhh` escapes) are replaced by U+FFFD.
    pub fn slash_option(
        &mut self,
        ty: SlashOptionType,
        quote: &mut Option<char>,
        semicolon: bool,
        cb: &mut dyn ScanCallbacks,
    ) -> Option<String> {
        let mut lx = OptLex {
            ty,
            state: if ty == SlashOptionType::WholeLine {
                OptState::WholeLine
            } else {
                OptState::ArgStart
            },
            quote: None,
            unquoted: 0,
            backtick_start: 0,
            buf: Vec::new(),
        };
        while let Some(b) = self.current() {
            let (n, done) = lx.step(&b.text, b.pos, cb);
            self.advance(n);
            if done {
                break;
            }
        }
        self.reselect_sql_lexer();
        *quote = lx.quote;
        let mut buf = lx.buf;
        match lx.state {
            OptState::ArgStart | OptState::WholeLine => {}
            OptState::Arg => {
                if semicolon {
                    let mut unquoted = lx.unquoted;
                    while unquoted > 0 && buf.last() == Some(&b';') {
                        buf.pop();
                        unquoted -= 1;
                    }
                }
                if matches!(ty, SlashOptionType::SqlId | SlashOptionType::SqlIdHack) {
                    buf = dequote_downcase_bytes(&buf, ty != SlashOptionType::SqlIdHack);
                }
            }
            OptState::Quote | OptState::Backquote | OptState::Dquote => {
                cb.error("unterminated quoted string");
                return None;
            }
        }
        // An unquoted empty option is only possible at the end of the command.
        if buf.is_empty() && lx.quote.is_none() {
            return None;
        }
        if let Some(nul) = buf.iter().position(|&b| b == 0) {
            buf.truncate(nul);
        }
        Some(match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// `psql_scan_slash_command_end`: eat a `\\` that ends the command, nothing else.
    pub fn slash_command_end(&mut self) {
        if let Some(b) = self.current() {
            if b.text.as_bytes().get(b.pos..b.pos + 2) == Some(b"\\\\") {
                self.advance(2);
            }
        }
        self.reselect_sql_lexer();
    }
}

fn dequote_downcase_bytes(s: &[u8], downcase: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut inquotes = false;
    let mut i = 0;
    // psql works on a C string: it stops at a NUL.
    while let Some(&c) = s.get(i).filter(|&&c| c != 0) {
        if c == b'"' {
            if inquotes && s.get(i + 1) == Some(&b'"') {
                // keep the first quote, drop the second
                out.push(b'"');
                i += 2;
            } else {
                inquotes = !inquotes;
                i += 1;
            }
        } else {
            out.push(if downcase && !inquotes {
                c.to_ascii_lowercase()
            } else {
                c
            });
            i += 1;
        }
    }
    out
}
