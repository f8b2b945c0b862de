//! SQL lexing for statement boundaries (psql-compatible) and light statement classification.
//!
//! The [`Scanner`] follows psql's `psqlscan.l` closely enough to agree with psql on where every
//! statement ends: quotes of every kind, dollar quotes, nested comments, parentheses and the
//! `BEGIN ATOMIC ... END` bodies of `CREATE FUNCTION`/`CREATE PROCEDURE`. It works byte by byte
//! with explicit look-behind state, so text can be fed in chunks split anywhere (even inside a
//! `$tag$` or between the two quotes of `''`) with the same result as feeding it whole.
//!
//! The classifiers ([`leading_keywords`], [`tx_effect`], [`command_tag`], [`returns_rows`]) only
//! look at tokens and are best-effort guesses from the text.

use std::borrow::Cow;

/// Where the scanner is lexically; a REPL can map this to psql's continuation prompts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum State {
    /// Plain SQL text (including right after a closing quote).
    #[default]
    Normal,
    /// Inside `'...'` (also `U&'...'`, `B'...'`, `X'...'`, `N'...'`): only `''` escapes.
    SingleQuote,
    /// Inside `E'...'`: backslash escapes the next byte, `''` also works.
    EscapeQuote,
    /// Inside a `"..."` identifier.
    DoubleQuote,
    /// Inside a dollar quote; holds the tag without the dollars (empty for `$$`).
    Dollar(String),
    /// Inside a `--` comment.
    LineComment,
    /// Inside a `/* */` comment, at this nesting depth (1 = outermost).
    BlockComment(u32),
}

/// Look-behind that psql's flex rules get from longest-match; kept separately so chunks may be
/// split at any byte.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Pending {
    #[default]
    None,
    /// A `'` just closed a string; another `'` right after it means a doubled quote.
    QuoteClose { escape: bool },
    /// A `"` just closed an identifier; another `"` means a doubled quote.
    DQuoteClose,
    /// A `-` that may start `--`.
    Dash,
    /// A `/` that may start `/*`.
    Slash,
    /// `$` plus the tag characters seen so far: may become `$tag$`, a `$1` parameter, or nothing.
    DollarTag(Vec<u8>),
    /// A backslash in plain text: psql turns `\;` and `\:` into literal characters.
    Backslash,
    /// Backslash inside `E'...'`: the next byte is taken literally.
    EscapeNext,
    /// A `/` inside a comment that may open a nested comment.
    CommentSlash,
    /// A `*` inside a comment that may close it.
    CommentStar,
}

/// The token being lexed in plain text, needed because psql's quoting rules depend on it
/// (`E'` only starts an escape string at a token start, `a$b$` is an identifier, ...).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Word {
    #[default]
    None,
    /// An unquoted identifier: its first bytes lower-cased (enough to recognise the keywords psql
    /// tracks) and its full length.
    Ident { head: [u8; WORD_HEAD], len: usize },
    /// A number or `$n` parameter; `dot` once it has a decimal point.
    Number { dot: bool },
    /// A number followed by identifier characters (PostgreSQL's `*_junk` tokens): never a keyword.
    Junk,
}

/// Long enough for "procedure", the longest keyword the `BEGIN ATOMIC` heuristic looks at.
const WORD_HEAD: usize = 9;

impl Word {
    fn ident(bytes: &[u8]) -> Word {
        let mut w = Word::Ident {
            head: [0; WORD_HEAD],
            len: 0,
        };
        for &b in bytes {
            w.push_ident(b);
        }
        w
    }

    fn push_ident(&mut self, b: u8) {
        match self {
            Word::Ident { head, len } => {
                if let Some(slot) = head.get_mut(*len) {
                    *slot = b.to_ascii_lowercase();
                }
                *len = len.saturating_add(1);
            }
            Word::None => *self = Word::ident(&[b]),
            Word::Number { .. } | Word::Junk => *self = Word::Junk,
        }
    }

    /// The lower-cased letter when the token so far is exactly one letter (a quote prefix candidate).
    fn single_letter(&self) -> Option<u8> {
        match self {
            Word::Ident { head, len: 1 } => head.first().copied(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    None,
    /// A `;` that ends a statement.
    End,
    /// psql's `\;` or `\:`: the byte before this one is a backslash psql would drop.
    Escaped,
}

/// Incremental scanner; feed text in chunks (lines), ask where statements end.
///
/// Plain strings are taken as standard-conforming (backslash is an ordinary character). Outside
/// quotes a backslash is ordinary text too, except psql's `\;`, which does not end a statement
/// (psql sends the statements around it as one query), and `\:`. Recognising backslash commands is
/// left to the caller, which knows whether it is at a line start.
#[derive(Debug, Clone, Default)]
pub struct Scanner {
    state: State,
    pending: Pending,
    word: Word,
    paren_depth: u32,
    begin_depth: u32,
    /// How many unquoted identifiers the current statement has had (psql's `identifier_count`).
    ident_count: usize,
    /// First letters of the leading CREATE/OR/REPLACE/FUNCTION/PROCEDURE keywords (psql's `identifiers`).
    idents: [u8; 4],
    /// How much of the closing `$tag$` has been matched inside a dollar quote.
    dollar_match: usize,
    has_content: bool,
}

impl Scanner {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forget everything, as after psql's `\r`.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Feed a chunk; returns byte offsets (relative to this chunk) just after each `;` that ends a statement.
    pub fn feed(&mut self, chunk: &str) -> Vec<usize> {
        let mut ends = Vec::new();
        for (i, b) in chunk.bytes().enumerate() {
            if self.step(b) == Event::End {
                ends.push(i + 1);
            }
        }
        ends
    }

    /// Feed a chunk only up to the first statement end; returns the offset just after that `;`
    /// (the rest of the chunk is left unscanned), or `None` when the whole chunk was consumed.
    pub fn feed_until_end(&mut self, chunk: &str) -> Option<usize> {
        for (i, b) in chunk.bytes().enumerate() {
            if self.step(b) == Event::End {
                return Some(i + 1);
            }
        }
        None
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    #[cfg(test)]
    pub fn paren_depth(&self) -> u32 {
        self.paren_depth
    }

    /// True when nothing but whitespace/comments has been fed since the last statement end.
    pub fn is_blank(&self) -> bool {
        !self.has_content && !matches!(self.pending, Pending::Dash | Pending::Slash)
    }

    /// The character psql's `%R` prompt escape would show: `=` ready, `-` continuing a statement,
    /// `'` `"` `$` inside quotes, `*` inside a block comment, `(` inside parentheses.
    pub fn prompt_indicator(&self) -> char {
        match self.state {
            State::SingleQuote | State::EscapeQuote => '\'',
            State::DoubleQuote => '"',
            State::Dollar(_) => '$',
            State::BlockComment(_) => '*',
            State::Normal | State::LineComment => {
                if self.paren_depth > 0 {
                    '('
                } else if self.is_blank() {
                    '='
                } else {
                    '-'
                }
            }
        }
    }

    fn step(&mut self, b: u8) -> Event {
        match std::mem::take(&mut self.pending) {
            Pending::None => {}
            Pending::QuoteClose { escape } => {
                if b == b'\'' {
                    self.state = if escape {
                        State::EscapeQuote
                    } else {
                        State::SingleQuote
                    };
                    return Event::None;
                }
            }
            Pending::DQuoteClose => {
                if b == b'"' {
                    self.state = State::DoubleQuote;
                    return Event::None;
                }
            }
            Pending::Dash => {
                if b == b'-' {
                    self.state = State::LineComment;
                    return Event::None;
                }
                self.has_content = true;
            }
            Pending::Slash => {
                if b == b'*' {
                    self.state = State::BlockComment(1);
                    return Event::None;
                }
                self.has_content = true;
            }
            Pending::DollarTag(mut tag) => {
                if b == b'$' {
                    self.state = State::Dollar(String::from_utf8_lossy(&tag).into_owned());
                    self.dollar_match = 0;
                    return Event::None;
                }
                if tag.is_empty() && b.is_ascii_digit() {
                    self.word = Word::Number { dot: false };
                    return Event::None;
                }
                if is_ident_start(b) || (!tag.is_empty() && b.is_ascii_digit()) {
                    tag.push(b);
                    self.pending = Pending::DollarTag(tag);
                    return Event::None;
                }
                // psql's dolqfailed rule consumes only the `$`: the tag re-lexes as an identifier.
                if !tag.is_empty() {
                    self.word = Word::ident(&tag);
                }
            }
            Pending::Backslash => {
                if b == b';' {
                    self.ident_count = 0;
                    return Event::Escaped;
                }
                if b == b':' {
                    return Event::Escaped;
                }
            }
            Pending::EscapeNext => return Event::None,
            Pending::CommentSlash => {
                if b == b'*' {
                    if let State::BlockComment(depth) = &mut self.state {
                        *depth = depth.saturating_add(1);
                    }
                    return Event::None;
                }
            }
            Pending::CommentStar => {
                if b == b'/' {
                    self.state = match self.state {
                        State::BlockComment(depth) if depth > 1 => State::BlockComment(depth - 1),
                        _ => State::Normal,
                    };
                    return Event::None;
                }
            }
        }

        match &self.state {
            State::Normal => return self.normal(b),
            State::SingleQuote => {
                if b == b'\'' {
                    self.state = State::Normal;
                    self.pending = Pending::QuoteClose { escape: false };
                }
            }
            State::EscapeQuote => {
                if b == b'\\' {
                    self.pending = Pending::EscapeNext;
                } else if b == b'\'' {
                    self.state = State::Normal;
                    self.pending = Pending::QuoteClose { escape: true };
                }
            }
            State::DoubleQuote => {
                if b == b'"' {
                    self.state = State::Normal;
                    self.pending = Pending::DQuoteClose;
                }
            }
            State::Dollar(tag) => {
                // The closing delimiter is `$tag$`; tags never contain `$`, so after a mismatch the
                // only possible restart is at a `$`.
                let tag = tag.as_bytes();
                let expected = if self.dollar_match == 0 || self.dollar_match == tag.len() + 1 {
                    Some(b'$')
                } else {
                    tag.get(self.dollar_match - 1).copied()
                };
                if expected == Some(b) {
                    self.dollar_match += 1;
                    if self.dollar_match == tag.len() + 2 {
                        self.state = State::Normal;
                        self.dollar_match = 0;
                    }
                } else {
                    self.dollar_match = usize::from(b == b'$');
                }
            }
            State::LineComment => {
                if b == b'\n' || b == b'\r' {
                    self.state = State::Normal;
                }
            }
            State::BlockComment(_) => {
                if b == b'*' {
                    self.pending = Pending::CommentStar;
                } else if b == b'/' {
                    self.pending = Pending::CommentSlash;
                }
            }
        }
        Event::None
    }

    fn normal(&mut self, b: u8) -> Event {
        if is_space(b) {
            self.finish_word();
            return Event::None;
        }
        match b {
            b'-' => {
                self.finish_word();
                self.pending = Pending::Dash;
                return Event::None;
            }
            b'/' => {
                self.finish_word();
                self.pending = Pending::Slash;
                return Event::None;
            }
            _ => {}
        }
        self.has_content = true;
        match b {
            b'\'' => {
                // E'..', B'..', X'..', N'..' are single tokens in psql, so the letter is no identifier.
                match self.word.single_letter() {
                    Some(b'e') => {
                        self.word = Word::None;
                        self.state = State::EscapeQuote;
                    }
                    Some(b'b' | b'x' | b'n') => {
                        self.word = Word::None;
                        self.state = State::SingleQuote;
                    }
                    _ => {
                        self.finish_word();
                        self.state = State::SingleQuote;
                    }
                }
            }
            b'"' => {
                self.finish_word();
                self.state = State::DoubleQuote;
            }
            b'$' => match self.word {
                Word::Ident { .. } => self.word.push_ident(b),
                Word::Junk => {}
                Word::None | Word::Number { .. } => {
                    self.finish_word();
                    self.pending = Pending::DollarTag(Vec::new());
                }
            },
            b'(' => {
                self.finish_word();
                self.paren_depth = self.paren_depth.saturating_add(1);
            }
            b')' => {
                self.finish_word();
                self.paren_depth = self.paren_depth.saturating_sub(1);
            }
            b';' => {
                self.finish_word();
                if self.paren_depth == 0 && self.begin_depth == 0 {
                    self.has_content = false;
                    self.ident_count = 0;
                    return Event::End;
                }
            }
            b'\\' => {
                self.finish_word();
                self.pending = Pending::Backslash;
            }
            b'&' => {
                // psql's xufailed rule: a lone `U&` is not an identifier.
                if self.word.single_letter() == Some(b'u') {
                    self.word = Word::None;
                } else {
                    self.finish_word();
                }
            }
            b'.' => {
                if self.word == (Word::Number { dot: false }) {
                    self.word = Word::Number { dot: true };
                } else {
                    self.finish_word();
                }
            }
            _ if is_ident_start(b) => self.word.push_ident(b),
            _ if b.is_ascii_digit() => match self.word {
                Word::None => self.word = Word::Number { dot: false },
                Word::Ident { .. } => self.word.push_ident(b),
                Word::Number { .. } | Word::Junk => {}
            },
            _ => self.finish_word(),
        }
        Event::None
    }

    fn finish_word(&mut self) {
        if let Word::Ident { head, len } = std::mem::take(&mut self.word) {
            self.count_identifier(&head, len);
        }
    }

    /// psql's heuristic for `CREATE [OR REPLACE] {FUNCTION|PROCEDURE} ... BEGIN ATOMIC ... END`:
    /// remember the first letters of the leading keywords, and inside such a statement track
    /// BEGIN/CASE ... END nesting outside parentheses so inner semicolons do not end it.
    fn count_identifier(&mut self, head: &[u8; WORD_HEAD], len: usize) {
        let word = head.get(..len).unwrap_or(&[]);
        if self.ident_count == 0 {
            self.idents = [0; 4];
        }
        if matches!(
            word,
            b"create" | b"function" | b"procedure" | b"or" | b"replace"
        ) {
            if let (Some(slot), Some(&first)) =
                (self.idents.get_mut(self.ident_count), word.first())
            {
                *slot = first;
            }
        }
        self.ident_count = self.ident_count.saturating_add(1);

        let [a, b, c, d] = self.idents;
        let in_routine = a == b'c'
            && (b == b'f' || b == b'p' || (b == b'o' && c == b'r' && (d == b'f' || d == b'p')));
        if in_routine && self.paren_depth == 0 {
            match word {
                b"begin" => self.begin_depth = self.begin_depth.saturating_add(1),
                b"case" if self.begin_depth >= 1 => {
                    self.begin_depth = self.begin_depth.saturating_add(1);
                }
                b"end" => self.begin_depth = self.begin_depth.saturating_sub(1),
                _ => {}
            }
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

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

/// One statement found in a text: the SQL without the trailing `;` (but with everything else kept verbatim),
/// the byte range in the input, and the 1-based line where its first non-blank, non-comment token starts.
///
/// `sql` starts at that first token (leading whitespace and comments are dropped) and runs up to,
/// not including, the terminating `;`: `&text[start..end] == sql`, and when `terminated` the `;`
/// is at `text[end]`. A `\;` (psql's "send these together") stays verbatim; see [`strip_psql_escapes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    pub sql: &'a str,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub terminated: bool,
}

/// Split a whole text into statements (a trailing unterminated statement is returned with terminated=false;
/// blank/comment-only pieces are skipped).
pub fn split(text: &str) -> Vec<Statement<'_>> {
    let mut out = Vec::new();
    let mut scanner = Scanner::new();
    // Newlines are counted incrementally so long inputs stay linear.
    let mut line = 1;
    let mut counted_to = 0;
    let mut piece_start = 0;
    let ends = scanner.feed(text);
    let pieces = ends
        .iter()
        .map(|&end| (end - 1, true))
        .chain(std::iter::once((text.len(), false)));
    for (stop, terminated) in pieces {
        let Some(piece) = text.get(piece_start..stop) else {
            break;
        };
        let body = trim_leading(piece);
        if !body.is_empty() {
            let start = stop - body.len();
            line += text
                .get(counted_to..start)
                .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count());
            counted_to = start;
            out.push(Statement {
                sql: body,
                start,
                end: stop,
                line,
                terminated,
            });
        }
        piece_start = stop + 1;
    }
    out
}

/// REPL helper: is `input` complete SQL, i.e. does it end (ignoring trailing whitespace and comments) right after a
/// statement-ending `;`, with no open quote/comment/paren?
pub fn is_complete(input: &str) -> bool {
    let mut scanner = Scanner::new();
    let ended = !scanner.feed(input).is_empty();
    ended && scanner.is_blank() && matches!(scanner.state(), State::Normal | State::LineComment)
}

/// Strip leading whitespace and comments.
pub fn trim_leading(sql: &str) -> &str {
    let bytes = sql.as_bytes();
    let mut i = 0;
    loop {
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(&b), _) if is_space(b) => i += 1,
            (Some(b'-'), Some(b'-')) => {
                i += 2;
                while bytes.get(i).is_some_and(|&b| b != b'\n' && b != b'\r') {
                    i += 1;
                }
            }
            (Some(b'/'), Some(b'*')) => i = skip_block_comment(bytes, i),
            _ => break,
        }
    }
    sql.get(i..).unwrap_or("")
}

/// Index just past the (nested) comment starting at `i`, or the end of input if it never closes.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0u32;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        if b == b'/' && next == Some(b'*') {
            depth += 1;
            i += 2;
        } else if b == b'*' && next == Some(b'/') {
            depth = depth.saturating_sub(1);
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Replace psql's `\;` and `\:` outside quotes and comments by `;` and `:`, as psql does before
/// sending a query (`\;` lets several statements go to the server as one query string).
pub fn strip_psql_escapes(sql: &str) -> Cow<'_, str> {
    let mut scanner = Scanner::new();
    let mut drop = Vec::new();
    for (i, b) in sql.bytes().enumerate() {
        if scanner.step(b) == Event::Escaped {
            drop.push(i - 1);
        }
    }
    if drop.is_empty() {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut from = 0;
    for at in drop {
        out.push_str(sql.get(from..at).unwrap_or(""));
        from = at + 1;
    }
    out.push_str(sql.get(from..).unwrap_or(""));
    Cow::Owned(out)
}

/// A lexical token of a complete statement, for classification only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    Quoted,
    Str,
    Num,
    Param,
    Punct(u8),
    Op,
    Other,
}

/// Tokens of a statement with whitespace and comments skipped, lexed like the [`Scanner`].
struct Tokens<'a> {
    src: &'a str,
    pos: usize,
}

fn tokens(src: &str) -> Tokens<'_> {
    Tokens { src, pos: 0 }
}

impl<'a> Tokens<'a> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.src.as_bytes().get(at).copied()
    }

    /// Skip a quoted section whose opening quote is at `self.pos`.
    fn skip_quoted(&mut self, quote: u8, backslash_escapes: bool) {
        let mut i = self.pos + 1;
        loop {
            match self.byte(i) {
                None => break,
                Some(b'\\') if backslash_escapes => i += 2,
                Some(b) if b == quote => {
                    if self.byte(i + 1) == Some(quote) {
                        i += 2;
                    } else {
                        i += 1;
                        break;
                    }
                }
                Some(_) => i += 1,
            }
        }
        self.pos = i.min(self.src.len());
    }

    fn skip_while(&mut self, pred: impl Fn(u8) -> bool) {
        while self.byte(self.pos).is_some_and(&pred) {
            self.pos += 1;
        }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Tok<'a>;

    fn next(&mut self) -> Option<Tok<'a>> {
        let rest = self.src.get(self.pos..)?;
        self.pos += rest.len() - trim_leading(rest).len();
        let b = self.byte(self.pos)?;
        let next = self.byte(self.pos + 1);
        let start = self.pos;
        let tok = match b {
            b'e' | b'E' if next == Some(b'\'') => {
                self.pos += 1;
                self.skip_quoted(b'\'', true);
                Tok::Str
            }
            b'b' | b'B' | b'x' | b'X' | b'n' | b'N' if next == Some(b'\'') => {
                self.pos += 1;
                self.skip_quoted(b'\'', false);
                Tok::Str
            }
            b'u' | b'U'
                if next == Some(b'&') && matches!(self.byte(self.pos + 2), Some(b'\'' | b'"')) =>
            {
                self.pos += 2;
                let quote = self.byte(self.pos).unwrap_or(b'\'');
                self.skip_quoted(quote, false);
                if quote == b'"' {
                    Tok::Quoted
                } else {
                    Tok::Str
                }
            }
            _ if is_ident_start(b) => {
                self.skip_while(is_ident_cont);
                Tok::Word(self.src.get(start..self.pos).unwrap_or(""))
            }
            b'\'' => {
                self.skip_quoted(b'\'', false);
                Tok::Str
            }
            b'"' => {
                self.skip_quoted(b'"', false);
                Tok::Quoted
            }
            b'$' if next.is_some_and(|b| b.is_ascii_digit()) => {
                self.pos += 1;
                self.skip_while(|b| b.is_ascii_digit());
                self.skip_while(is_ident_cont);
                Tok::Param
            }
            b'$' => {
                let mut i = self.pos + 1;
                if self.byte(i).is_some_and(is_ident_start) {
                    while self
                        .byte(i)
                        .is_some_and(|b| is_ident_start(b) || b.is_ascii_digit())
                    {
                        i += 1;
                    }
                }
                if self.byte(i) == Some(b'$') {
                    let delim = self.src.get(start..=i).unwrap_or("$$");
                    let body_from = i + 1;
                    self.pos = self
                        .src
                        .get(body_from..)
                        .and_then(|body| body.find(delim))
                        .map_or(self.src.len(), |at| body_from + at + delim.len());
                    Tok::Str
                } else {
                    self.pos += 1;
                    Tok::Other
                }
            }
            _ if b.is_ascii_digit() || (b == b'.' && next.is_some_and(|b| b.is_ascii_digit())) => {
                self.skip_while(|b| b.is_ascii_digit());
                if self.byte(self.pos) == Some(b'.') && self.byte(self.pos + 1) != Some(b'.') {
                    self.pos += 1;
                    self.skip_while(|b| b.is_ascii_digit());
                }
                self.skip_while(is_ident_cont);
                Tok::Num
            }
            b'(' | b')' | b',' | b';' | b'.' | b'[' | b']' | b':' => {
                self.pos += 1;
                Tok::Punct(b)
            }
            _ if is_op_char(b) => {
                self.pos += 1;
                while let Some(c) = self.byte(self.pos) {
                    let comment_start = matches!(
                        (c, self.byte(self.pos + 1)),
                        (b'-', Some(b'-')) | (b'/', Some(b'*'))
                    );
                    if !is_op_char(c) || comment_start {
                        break;
                    }
                    self.pos += 1;
                }
                Tok::Op
            }
            _ => {
                self.pos += 1;
                Tok::Other
            }
        };
        Some(tok)
    }
}

/// Tokens paired with their parenthesis depth relative to the statement's leading parentheses
/// (so the body of `(SELECT ...)` counts as top level).
fn leveled(sql: &str) -> impl Iterator<Item = (i64, Tok<'_>)> {
    let base = tokens(sql).take_while(|t| *t == Tok::Punct(b'(')).count();
    let base = i64::try_from(base).unwrap_or(i64::MAX);
    let mut depth = 0i64;
    // Both parentheses of a group get the level of the text around them.
    tokens(sql).map(move |t| {
        let level = match t {
            Tok::Punct(b'(') => {
                depth += 1;
                depth - 1 - base
            }
            Tok::Punct(b')') => {
                depth -= 1;
                depth - base
            }
            _ => depth - base,
        };
        (level, t)
    })
}

fn is_word(t: &Tok<'_>, kw: &str) -> bool {
    matches!(t, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
}

/// Is `kw` a top-level word of the statement (outside any parentheses)?
fn has_top_level_word(sql: &str, kw: &str) -> bool {
    leveled(sql).any(|(level, t)| level == 0 && is_word(&t, kw))
}

/// Does the statement contain `words` in sequence at top level?
fn has_top_level_phrase(sql: &str, words: &[&str]) -> bool {
    let top: Vec<Tok<'_>> = leveled(sql)
        .filter(|(level, t)| *level == 0 && !matches!(t, Tok::Punct(b'(' | b')')))
        .map(|(_, t)| t)
        .collect();
    top.windows(words.len())
        .any(|w| w.iter().zip(words).all(|(t, kw)| is_word(t, kw)))
}

/// The first `n` keywords of a statement, upper-cased, skipping leading whitespace, comments and opening parens
/// (used to classify statements: BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK \[TO\] / ABORT / SAVEPOINT /
/// CREATE TABLE / INSERT / COPY ... FROM STDIN, etc.). A keyword is a run of identifier characters; stop at the first
/// non-keyword token.
pub fn leading_keywords(sql: &str, n: usize) -> Vec<String> {
    tokens(sql)
        .skip_while(|t| *t == Tok::Punct(b'('))
        .map_while(|t| match t {
            Tok::Word(w) => Some(w.to_ascii_uppercase()),
            _ => None,
        })
        .take(n)
        .collect()
}

/// The verb of the statement a `WITH` clause belongs to (upper-cased), if it can be found.
fn with_main_verb(sql: &str) -> Option<String> {
    const VERBS: [&str; 7] = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE",
    ];
    let mut prev: Option<Tok<'_>> = None;
    for (level, t) in leveled(sql) {
        if level != 0 {
            continue;
        }
        if let Tok::Word(w) = t {
            // Right after WITH, RECURSIVE or a comma a word names a CTE, even an unreserved verb.
            let names_cte = prev.is_some_and(|p| {
                p == Tok::Punct(b',') || is_word(&p, "WITH") || is_word(&p, "RECURSIVE")
            });
            if !names_cte {
                if let Some(verb) = VERBS.iter().find(|v| w.eq_ignore_ascii_case(v)) {
                    return Some((*verb).to_string());
                }
            }
        }
        prev = Some(t);
    }
    None
}

/// What a statement does to the session's transaction state.
///
/// `COMMIT AND CHAIN` / `ROLLBACK AND CHAIN` end the transaction and immediately open a new one,
/// so they report [`TxEffect::Begin`] (a fresh transaction without savepoints).
/// `COMMIT PREPARED` / `ROLLBACK PREPARED` act on another, prepared transaction: [`TxEffect::None`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxEffect {
    None,
    Begin,
    Commit,
    Rollback,
    Savepoint,
    RollbackToSavepoint,
    ReleaseSavepoint,
    PrepareTransaction,
}

/// Classify a statement's effect on the transaction state (see [`TxEffect`]).
pub fn tx_effect(sql: &str) -> TxEffect {
    let kw = leading_keywords(sql, 6);
    let w = |i: usize| kw.get(i).map_or("", String::as_str);
    // Optional WORK / TRANSACTION noise word after COMMIT / ROLLBACK / END / ABORT.
    let after_noise = if matches!(w(1), "WORK" | "TRANSACTION") {
        2
    } else {
        1
    };
    let chained = w(after_noise) == "AND" && w(after_noise + 1) == "CHAIN";
    match w(0) {
        "BEGIN" => TxEffect::Begin,
        "START" if w(1) == "TRANSACTION" => TxEffect::Begin,
        "COMMIT" | "END" if w(1) == "PREPARED" => TxEffect::None,
        "COMMIT" | "END" if chained => TxEffect::Begin,
        "COMMIT" | "END" => TxEffect::Commit,
        "ROLLBACK" if w(1) == "PREPARED" => TxEffect::None,
        "ROLLBACK" | "ABORT" if w(after_noise) == "TO" => TxEffect::RollbackToSavepoint,
        "ROLLBACK" | "ABORT" if chained => TxEffect::Begin,
        "ROLLBACK" | "ABORT" => TxEffect::Rollback,
        "SAVEPOINT" => TxEffect::Savepoint,
        "RELEASE" => TxEffect::ReleaseSavepoint,
        "PREPARE" if w(1) == "TRANSACTION" => TxEffect::PrepareTransaction,
        _ => TxEffect::None,
    }
}

/// Object kinds as they appear after CREATE / ALTER / DROP, and the name PostgreSQL's command tag uses.
const OBJECT_KINDS: &[(&[&str], &str)] = &[
    (&["ACCESS", "METHOD"], "ACCESS METHOD"),
    (&["AGGREGATE"], "AGGREGATE"),
    (&["CAST"], "CAST"),
    (&["COLLATION"], "COLLATION"),
    (&["CONVERSION"], "CONVERSION"),
    (&["DATABASE"], "DATABASE"),
    (&["DEFAULT", "PRIVILEGES"], "DEFAULT PRIVILEGES"),
    (&["DOMAIN"], "DOMAIN"),
    (&["EVENT", "TRIGGER"], "EVENT TRIGGER"),
    (&["EXTENSION"], "EXTENSION"),
    (&["FOREIGN", "DATA", "WRAPPER"], "FOREIGN DATA WRAPPER"),
    (&["FOREIGN", "TABLE"], "FOREIGN TABLE"),
    (&["FUNCTION"], "FUNCTION"),
    (&["GROUP"], "ROLE"),
    (&["INDEX"], "INDEX"),
    (&["LANGUAGE"], "LANGUAGE"),
    (&["LARGE", "OBJECT"], "LARGE OBJECT"),
    (&["MATERIALIZED", "VIEW"], "MATERIALIZED VIEW"),
    (&["OPERATOR", "CLASS"], "OPERATOR CLASS"),
    (&["OPERATOR", "FAMILY"], "OPERATOR FAMILY"),
    (&["OPERATOR"], "OPERATOR"),
    (&["OWNED"], "OWNED"),
    (&["POLICY"], "POLICY"),
    (&["PROCEDURE"], "PROCEDURE"),
    (&["PUBLICATION"], "PUBLICATION"),
    (&["ROLE"], "ROLE"),
    (&["ROUTINE"], "ROUTINE"),
    (&["RULE"], "RULE"),
    (&["SCHEMA"], "SCHEMA"),
    (&["SEQUENCE"], "SEQUENCE"),
    (&["SERVER"], "SERVER"),
    (&["STATISTICS"], "STATISTICS"),
    (&["SUBSCRIPTION"], "SUBSCRIPTION"),
    (&["SYSTEM"], "SYSTEM"),
    (&["TABLE"], "TABLE"),
    (&["TABLESPACE"], "TABLESPACE"),
    (
        &["TEXT", "SEARCH", "CONFIGURATION"],
        "TEXT SEARCH CONFIGURATION",
    ),
    (&["TEXT", "SEARCH", "DICTIONARY"], "TEXT SEARCH DICTIONARY"),
    (&["TEXT", "SEARCH", "PARSER"], "TEXT SEARCH PARSER"),
    (&["TEXT", "SEARCH", "TEMPLATE"], "TEXT SEARCH TEMPLATE"),
    (&["TRANSFORM"], "TRANSFORM"),
    (&["TRIGGER"], "TRIGGER"),
    (&["TYPE"], "TYPE"),
    (&["USER", "MAPPING"], "USER MAPPING"),
    (&["USER"], "ROLE"),
    (&["VIEW"], "VIEW"),
];

/// Words between the verb and the object kind that do not change the tag
/// (`CREATE OR REPLACE`, `TEMP`, `UNIQUE`, `CONSTRAINT TRIGGER`, `DEFAULT CONVERSION`, ...).
const OBJECT_MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "GLOBAL",
    "LOCAL",
    "UNLOGGED",
    "UNIQUE",
    "TRUSTED",
    "PROCEDURAL",
    "RECURSIVE",
    "CONSTRAINT",
    "DEFAULT",
];

/// The object kind after a CREATE/ALTER/DROP verb (`kw[0]`), longest match first.
fn object_kind(kw: &[String]) -> Option<&'static str> {
    let mut i = 1;
    loop {
        let rest = kw.get(i..)?;
        let found = OBJECT_KINDS
            .iter()
            .filter(|(words, _)| {
                rest.len() >= words.len() && words.iter().zip(rest).all(|(a, b)| *a == b.as_str())
            })
            .max_by_key(|(words, _)| words.len());
        if let Some((_, name)) = found {
            return Some(*name);
        }
        if !OBJECT_MODIFIERS.contains(&rest.first()?.as_str()) {
            return None;
        }
        i += 1;
    }
}

/// psql-style command tag for a statement that affected `rows` rows, e.g. "INSERT 0 3", "UPDATE 2", "DELETE 0",
/// "SELECT 5", "CREATE TABLE", "DROP INDEX", "ALTER TABLE", "CREATE FUNCTION" (for CREATE OR REPLACE FUNCTION),
/// "CREATE INDEX" (for CREATE UNIQUE INDEX \[CONCURRENTLY\]), "CREATE TABLE" (for CREATE TEMP/UNLOGGED TABLE),
/// "CREATE TABLE AS" → "SELECT n" as PostgreSQL does, "BEGIN", "COMMIT", "ROLLBACK", "SET", "COPY n", "MERGE n",
/// "FETCH n", "MOVE n", "TRUNCATE TABLE", "GRANT", "REVOKE", "VACUUM", "ANALYZE", "EXPLAIN"→none, "DO", "CALL",
/// "SHOW"→none, "COMMENT", "PREPARE", "EXECUTE", "DEALLOCATE", "LISTEN", "NOTIFY", "DISCARD ALL", "LOCK TABLE".
///
/// Follows PostgreSQL's `cmdtaglist.h`. What the text cannot tell: the server answers `COMMIT` with
/// "ROLLBACK" when the transaction had failed, and `EXECUTE` with the prepared statement's own tag.
/// Returns `None` for statements without a well-known tag (and for EXPLAIN and SHOW, which return rows).
pub fn command_tag(sql: &str, rows: u64) -> Option<String> {
    let kw = leading_keywords(sql, 8);
    let w = |i: usize| kw.get(i).map_or("", String::as_str);
    let fixed = |tag: &str| Some(tag.to_string());
    match w(0) {
        "SELECT" | "VALUES" | "TABLE" => Some(format!("SELECT {rows}")),
        "WITH" => match with_main_verb(sql)?.as_str() {
            "INSERT" => Some(format!("INSERT 0 {rows}")),
            "UPDATE" => Some(format!("UPDATE {rows}")),
            "DELETE" => Some(format!("DELETE {rows}")),
            "MERGE" => Some(format!("MERGE {rows}")),
            _ => Some(format!("SELECT {rows}")),
        },
        "INSERT" => Some(format!("INSERT 0 {rows}")),
        "UPDATE" => Some(format!("UPDATE {rows}")),
        "DELETE" => Some(format!("DELETE {rows}")),
        "MERGE" => Some(format!("MERGE {rows}")),
        "COPY" => Some(format!("COPY {rows}")),
        "FETCH" => Some(format!("FETCH {rows}")),
        "MOVE" => Some(format!("MOVE {rows}")),
        "CREATE" => {
            let kind = object_kind(&kw)?;
            let fills = match kind {
                "TABLE" => has_top_level_word(sql, "AS"),
                "MATERIALIZED VIEW" => true,
                _ => false,
            };
            // CREATE TABLE AS / CREATE MATERIALIZED VIEW report the rows they stored, unless
            // WITH NO DATA skipped the query.
            if fills && !has_top_level_phrase(sql, &["WITH", "NO", "DATA"]) {
                Some(format!("SELECT {rows}"))
            } else if kind == "TABLE" && fills {
                fixed("CREATE TABLE AS")
            } else {
                Some(format!("CREATE {kind}"))
            }
        }
        verb @ ("ALTER" | "DROP") => Some(format!("{verb} {}", object_kind(&kw)?)),
        "BEGIN" => fixed("BEGIN"),
        "START" => fixed("START TRANSACTION"),
        "COMMIT" | "END" if w(1) == "PREPARED" => fixed("COMMIT PREPARED"),
        "COMMIT" | "END" => fixed("COMMIT"),
        "ROLLBACK" if w(1) == "PREPARED" => fixed("ROLLBACK PREPARED"),
        "ROLLBACK" | "ABORT" => fixed("ROLLBACK"),
        "SAVEPOINT" => fixed("SAVEPOINT"),
        "RELEASE" => fixed("RELEASE"),
        "PREPARE" if w(1) == "TRANSACTION" => fixed("PREPARE TRANSACTION"),
        "PREPARE" => fixed("PREPARE"),
        "EXECUTE" => fixed("EXECUTE"),
        "DEALLOCATE" if w(1) == "ALL" || (w(1) == "PREPARE" && w(2) == "ALL") => {
            fixed("DEALLOCATE ALL")
        }
        "DEALLOCATE" => fixed("DEALLOCATE"),
        "SET" if w(1) == "CONSTRAINTS" => fixed("SET CONSTRAINTS"),
        "SET" => fixed("SET"),
        "RESET" => fixed("RESET"),
        "TRUNCATE" => fixed("TRUNCATE TABLE"),
        // GRANT/REVOKE of privileges always name the objects with ON; role membership never does.
        verb @ ("GRANT" | "REVOKE") => {
            if has_top_level_word(sql, "ON") {
                fixed(verb)
            } else {
                Some(format!("{verb} ROLE"))
            }
        }
        "VACUUM" => fixed("VACUUM"),
        "ANALYZE" | "ANALYSE" => fixed("ANALYZE"),
        "CLUSTER" => fixed("CLUSTER"),
        "REINDEX" => fixed("REINDEX"),
        "CHECKPOINT" => fixed("CHECKPOINT"),
        "LOAD" => fixed("LOAD"),
        "LISTEN" => fixed("LISTEN"),
        "UNLISTEN" => fixed("UNLISTEN"),
        "NOTIFY" => fixed("NOTIFY"),
        "DO" => fixed("DO"),
        "CALL" => fixed("CALL"),
        "COMMENT" => fixed("COMMENT"),
        "SECURITY" if w(1) == "LABEL" => fixed("SECURITY LABEL"),
        "LOCK" => fixed("LOCK TABLE"),
        "DECLARE" => fixed("DECLARE CURSOR"),
        "CLOSE" if w(1) == "ALL" => fixed("CLOSE CURSOR ALL"),
        "CLOSE" => fixed("CLOSE CURSOR"),
        "DISCARD" => match w(1) {
            "ALL" => fixed("DISCARD ALL"),
            "PLANS" => fixed("DISCARD PLANS"),
            "SEQUENCES" => fixed("DISCARD SEQUENCES"),
            "TEMP" | "TEMPORARY" => fixed("DISCARD TEMP"),
            _ => fixed("DISCARD"),
        },
        "REFRESH" => fixed("REFRESH MATERIALIZED VIEW"),
        "REASSIGN" => fixed("REASSIGN OWNED"),
        "IMPORT" => fixed("IMPORT FOREIGN SCHEMA"),
        _ => None,
    }
}

/// Does this statement return rows to the client? (SELECT, VALUES, TABLE, WITH...SELECT, SHOW, EXPLAIN, FETCH,
/// anything with RETURNING) — a best-effort guess from the text, used only for display decisions.
///
/// `SELECT ... INTO table` does not; `EXECUTE` is assumed to (prepared statements are mostly
/// queries); `CALL` is assumed not to, although procedures with OUT parameters return a row.
#[cfg(test)]
pub fn returns_rows(sql: &str) -> bool {
    let kw = leading_keywords(sql, 1);
    let verb = match kw.first().map(String::as_str) {
        Some("WITH") => with_main_verb(sql),
        Some(v) => Some(v.to_string()),
        None => None,
    };
    match verb.as_deref() {
        Some("SELECT") => !has_top_level_word(sql, "INTO"),
        Some("VALUES" | "TABLE" | "SHOW" | "EXPLAIN" | "FETCH" | "EXECUTE") => true,
        Some("INSERT" | "UPDATE" | "DELETE" | "MERGE") => has_top_level_word(sql, "RETURNING"),
        _ => false,
    }
}

/// Is this a `COPY … TO STDOUT` (the client receives the data)?
pub fn is_copy_to_stdout(sql: &str) -> bool {
    is_copy_via(sql, "TO", "STDOUT")
}

/// Is this statement a `COPY ... FROM STDIN` (any case, any options)?
pub fn is_copy_from_stdin(sql: &str) -> bool {
    is_copy_via(sql, "FROM", "STDIN")
}

/// A `COPY` whose top-level `direction` keyword (`TO`/`FROM`) is followed by `stream` (`STDOUT`/`STDIN`);
/// words inside a `COPY (query)` do not count.
fn is_copy_via(sql: &str, direction: &str, stream: &str) -> bool {
    if leading_keywords(sql, 1).first().map(String::as_str) != Some("COPY") {
        return false;
    }
    let mut after_direction = false;
    for (level, t) in leveled(sql) {
        if level != 0 {
            after_direction = false;
            continue;
        }
        if after_direction && is_word(&t, stream) {
            return true;
        }
        after_direction = is_word(&t, direction);
    }
    false
}

/// The data format of a COPY, as its options say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyFormat {
    Text,
    Csv,
    Binary,
}

/// What a `COPY … TO STDOUT|FROM STDIN …` statement's options say about its data: the format, and whether
/// a header line comes first (`HEADER`, `HEADER true|on|1|match`; not `HEADER false|off|0`).
pub fn copy_data_shape(sql: &str) -> (CopyFormat, bool) {
    let toks: Vec<Tok<'_>> = leveled(sql)
        .skip_while(|(level, t)| !(*level == 0 && (is_word(t, "STDOUT") || is_word(t, "STDIN"))))
        .map(|(_, t)| t)
        .collect();
    let mut format = CopyFormat::Text;
    let mut header = false;
    let mut i = 0;
    while i < toks.len() {
        let next_word = |k: usize| match toks.get(k) {
            Some(Tok::Word(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        };
        let t = &toks[i];
        if is_word(t, "CSV") {
            format = CopyFormat::Csv;
        } else if is_word(t, "BINARY") {
            format = CopyFormat::Binary;
        } else if is_word(t, "FORMAT") {
            match next_word(i + 1).as_deref() {
                Some("csv") => format = CopyFormat::Csv,
                Some("binary") => format = CopyFormat::Binary,
                Some("text") => format = CopyFormat::Text,
                _ => {}
            }
        } else if is_word(t, "HEADER") {
            header = !matches!(next_word(i + 1).as_deref(), Some("false" | "off"))
                && !matches!(toks.get(i + 1), Some(Tok::Num) if sql_zero_follows(sql));
        }
        i += 1;
    }
    (format, header)
}

/// `HEADER 0`: the one number that turns a header off.
fn sql_zero_follows(sql: &str) -> bool {
    let l = sql.to_ascii_lowercase();
    l.split("header").skip(1).any(|rest| {
        rest.trim_start()
            .strip_prefix('0')
            .is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_digit()))
    })
}

#[cfg(test)]
mod copy_direction_tests {
    use super::*;

    #[test]
    fn copy_data_shapes() {
        use CopyFormat::*;
        assert_eq!(copy_data_shape("COPY t TO STDOUT"), (Text, false));
        assert_eq!(copy_data_shape("COPY t TO STDOUT CSV HEADER"), (Csv, true));
        assert_eq!(
            copy_data_shape("COPY t TO STDOUT WITH (FORMAT csv, HEADER false)"),
            (Csv, false)
        );
        assert_eq!(
            copy_data_shape("copy t from stdin with (format csv, header 0)"),
            (Csv, false)
        );
        assert_eq!(
            copy_data_shape("copy t from stdin with (format csv, header match)"),
            (Csv, true)
        );
        assert_eq!(copy_data_shape("COPY headers TO STDOUT CSV"), (Csv, false));
        assert_eq!(
            copy_data_shape("COPY (SELECT 1 AS header, 'csv') TO STDOUT"),
            (Text, false)
        );
        assert_eq!(
            copy_data_shape("COPY t TO STDOUT (FORMAT binary)"),
            (Binary, false)
        );
    }

    #[test]
    fn copy_directions() {
        assert!(is_copy_to_stdout("COPY t TO STDOUT"));
        assert!(is_copy_to_stdout(
            "copy (select 1) to stdout with (format csv)"
        ));
        assert!(!is_copy_to_stdout("COPY t TO '/tmp/x'"));
        assert!(!is_copy_to_stdout("COPY (SELECT 'to stdout') TO '/x'"));
        assert!(!is_copy_to_stdout("SELECT 1"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sqls(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|s| s.sql).collect()
    }

    /// Offsets from feeding `text` in the given chunk sizes, made absolute.
    fn chunked_ends(text: &str, cuts: &[usize]) -> (Vec<usize>, Scanner) {
        let mut scanner = Scanner::new();
        let mut ends = Vec::new();
        let mut from = 0;
        let mut points: Vec<usize> = cuts
            .iter()
            .map(|c| c % (text.len() + 1))
            .filter(|c| text.is_char_boundary(*c))
            .collect();
        points.push(text.len());
        points.sort_unstable();
        for to in points {
            if to < from {
                continue;
            }
            ends.extend(scanner.feed(&text[from..to]).into_iter().map(|e| e + from));
            from = to;
        }
        (ends, scanner)
    }

    #[test]
    fn plain_statements() {
        assert_eq!(sqls("select 1; select 2;"), vec!["select 1", "select 2"]);
        assert_eq!(sqls("select 1"), vec!["select 1"]);
        assert!(!split("select 1")[0].terminated);
        assert!(split("select 1;")[0].terminated);
        assert!(sqls("").is_empty());
        assert!(sqls(" ;; \n ; -- x\n /* y */ ;").is_empty());
    }

    #[test]
    fn single_quotes() {
        assert_eq!(sqls("select 'a;b'; x"), vec!["select 'a;b'", "x"]);
        assert_eq!(sqls("select 'it''s;'; x"), vec!["select 'it''s;'", "x"]);
        // standard_conforming_strings: the backslash is an ordinary character.
        assert_eq!(sqls(r"select 'a\'; x"), vec![r"select 'a\'", "x"]);
        assert_eq!(sqls("select '';x"), vec!["select ''", "x"]);
        assert_eq!(sqls("select '''';x"), vec!["select ''''", "x"]);
    }

    #[test]
    fn escape_strings() {
        assert_eq!(sqls(r"select E'\'';x"), vec![r"select E'\''", "x"]);
        assert_eq!(sqls(r"select e'a\';b';x"), vec![r"select e'a\';b'", "x"]);
        assert_eq!(sqls(r"select E'a\\';x"), vec![r"select E'a\\'", "x"]);
        assert_eq!(sqls(r"select E'a'';b';x"), vec![r"select E'a'';b'", "x"]);
        // Only a lone E at a token start makes an escape string.
        assert_eq!(sqls(r"select xe'a\';x"), vec![r"select xe'a\'", "x"]);
        assert_eq!(sqls(r"select 1e'a\';x"), vec![r"select 1e'a\'", "x"]);
        // psql's dolqfailed: `$e` gives back `e`, which then starts an E string.
        assert_eq!(sqls(r"select $e'\';';x"), vec![r"select $e'\';'", "x"]);
    }

    #[test]
    fn prefixed_strings() {
        assert_eq!(
            sqls("select U&'d;\\0061';x"),
            vec!["select U&'d;\\0061'", "x"]
        );
        assert_eq!(sqls("select U&\"a;b\";x"), vec!["select U&\"a;b\"", "x"]);
        assert_eq!(sqls("select B'10;';x"), vec!["select B'10;'", "x"]);
        assert_eq!(sqls("select X'1F;';x"), vec!["select X'1F;'", "x"]);
        assert_eq!(sqls("select N'a;\\';x"), vec!["select N'a;\\'", "x"]);
        assert_eq!(sqls("select u & 1;x"), vec!["select u & 1", "x"]);
    }

    #[test]
    fn double_quotes() {
        assert_eq!(sqls(r#"select "a;b"; x"#), vec![r#"select "a;b""#, "x"]);
        assert_eq!(sqls(r#"select "a"";b"; x"#), vec![r#"select "a"";b""#, "x"]);
        assert_eq!(
            sqls(r#"select "a'b"; 'c;'"#),
            vec![r#"select "a'b""#, "'c;'"]
        );
    }

    #[test]
    fn dollar_quotes() {
        assert_eq!(sqls("select $$a;b$$; x"), vec!["select $$a;b$$", "x"]);
        assert_eq!(
            sqls("select $fn$ a; $$ ; $f$ ;$fn$; x"),
            vec!["select $fn$ a; $$ ; $f$ ;$fn$", "x"]
        );
        assert_eq!(
            sqls("select $_$ ';' $_$; x"),
            vec!["select $_$ ';' $_$", "x"]
        );
        // A near-miss delimiter followed by the real one.
        assert_eq!(
            sqls("select $a$ $ab$ ; $a$;x"),
            vec!["select $a$ $ab$ ; $a$", "x"]
        );
        assert_eq!(
            sqls("select $a$ $Ab$ ; $A$ ;$a$;x"),
            vec!["select $a$ $Ab$ ; $A$ ;$a$", "x"]
        );
        // psql gives back the last `$` of a wrong delimiter, so it can start the right one.
        assert_eq!(sqls("select $a$ $b$a$ ;x"), vec!["select $a$ $b$a$ ", "x"]);
        assert_eq!(sqls("select $a$ $$a$; x"), vec!["select $a$ $$a$", "x"]);
        // Non-ASCII tags are identifier characters.
        assert_eq!(sqls("select $é$;$é$;x"), vec!["select $é$;$é$", "x"]);
    }

    #[test]
    fn dollar_non_quotes() {
        assert_eq!(sqls("select $1; select $2"), vec!["select $1", "select $2"]);
        assert_eq!(sqls("select a$b$; x $b$"), vec!["select a$b$", "x $b$"]);
        assert_eq!(sqls("select $1$a$;$a$;x"), vec!["select $1$a$;$a$", "x"]);
        assert_eq!(sqls("select 1$a$;$a$;x"), vec!["select 1$a$;$a$", "x"]);
        assert_eq!(sqls("select $1a$b$;x"), vec!["select $1a$b$", "x"]);
        assert_eq!(sqls("select $ 1;x"), vec!["select $ 1", "x"]);
        assert_eq!(sqls("select $a + 1;x"), vec!["select $a + 1", "x"]);
        assert_eq!(sqls("select $9a;x"), vec!["select $9a", "x"]);
    }

    #[test]
    fn comments() {
        assert_eq!(sqls("select 1 -- a;b\n; x"), vec!["select 1 -- a;b\n", "x"]);
        assert_eq!(sqls("select 1 -- a;b\r; x"), vec!["select 1 -- a;b\r", "x"]);
        assert_eq!(sqls("select /* a; */ 1; x"), vec!["select /* a; */ 1", "x"]);
        assert_eq!(
            sqls("select /* a /* b; */ c; */ 1; x"),
            vec!["select /* a /* b; */ c; */ 1", "x"]
        );
        assert_eq!(sqls("select /*/ ; */ 1;x"), vec!["select /*/ ; */ 1", "x"]);
        assert_eq!(
            sqls("select /** ; **/ 1;x"),
            vec!["select /** ; **/ 1", "x"]
        );
        assert_eq!(
            sqls("select 1 +/* ; */2;x"),
            vec!["select 1 +/* ; */2", "x"]
        );
        assert_eq!(sqls("select 1--2;\n;x"), vec!["select 1--2;\n", "x"]);
        assert_eq!(
            sqls("select 1 - 2; select 3/4;"),
            vec!["select 1 - 2", "select 3/4"]
        );
        assert_eq!(sqls("select '--';x"), vec!["select '--'", "x"]);
        assert_eq!(sqls("select '/*';x"), vec!["select '/*'", "x"]);
    }

    #[test]
    fn parentheses() {
        let rule = "CREATE RULE r AS ON INSERT TO t DO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); x";
        assert_eq!(
            sqls(rule),
            vec!["CREATE RULE r AS ON INSERT TO t DO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))", "x"]
        );
        assert_eq!(sqls("select (1;2"), vec!["select (1;2"]);
        assert!(!split("select (1;2")[0].terminated);
        // psql never lets the depth go negative.
        assert_eq!(
            sqls("select 1)); select (2);"),
            vec!["select 1))", "select (2)"]
        );
        assert_eq!(sqls("select ')'; x"), vec!["select ')'", "x"]);
    }

    #[test]
    fn begin_atomic() {
        let f = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;\nselect 3;";
        let got = sqls(f);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("END"));
        assert_eq!(got[1], "select 3");

        let p = "create or replace procedure p() begin atomic insert into t values (1); insert into t values (2); end; call p();";
        assert_eq!(sqls(p).len(), 2);
        let p2 = "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END; CALL p();";
        assert_eq!(sqls(p2).len(), 2);
        // Nested BEGIN ... END inside the body.
        let n =
            "create function f() returns int begin atomic select 1; begin select 2; end; end; x";
        assert_eq!(sqls(n).len(), 2);
        // Parenthesised BEGIN does not count.
        let q = "create function f(begin int) returns int return 1; x";
        assert_eq!(sqls(q).len(), 2);
    }

    #[test]
    fn begin_transactions_unaffected() {
        assert_eq!(
            sqls("BEGIN; insert into t values (1); END; begin work; commit;"),
            vec![
                "BEGIN",
                "insert into t values (1)",
                "END",
                "begin work",
                "commit"
            ]
        );
        assert_eq!(
            sqls("do $$ begin perform 1; end $$; select 1;"),
            vec!["do $$ begin perform 1; end $$", "select 1"]
        );
        // A dollar-quoted function body is opaque; BEGIN inside it is not tracked.
        let f = "create function f() returns int as $$ begin return 1; end $$ language plpgsql; select 2;";
        assert_eq!(sqls(f).len(), 2);
        // CREATE TABLE with a column called begin.
        assert_eq!(sqls("create table t (begin int); select 1;").len(), 2);
        // Identifier state is reset at each statement end.
        let seq = "create table x (a int); begin; select 1; end;";
        assert_eq!(sqls(seq).len(), 4);
    }

    #[test]
    fn backslash_semicolon() {
        assert_eq!(
            sqls(r"select 1 \; select 2; x"),
            vec![r"select 1 \; select 2", "x"]
        );
        assert_eq!(
            strip_psql_escapes(r"select 1 \; select 2"),
            "select 1 ; select 2"
        );
        assert_eq!(strip_psql_escapes(r"select '\;' \:x"), r"select '\;' :x");
        assert!(matches!(strip_psql_escapes("select 1"), Cow::Borrowed(_)));
    }

    #[test]
    fn statement_positions_and_lines() {
        let text = "-- header\n\nselect 1;\n/* c\n */ select\n 2 ;  select 3\n";
        let st = split(text);
        assert_eq!(st.len(), 3);
        assert_eq!((st[0].sql, st[0].line), ("select 1", 3));
        assert_eq!((st[1].sql, st[1].line), ("select\n 2 ", 5));
        assert_eq!(
            (st[2].sql, st[2].line, st[2].terminated),
            ("select 3\n", 6, false)
        );
        for s in &st {
            assert_eq!(&text[s.start..s.end], s.sql);
            if s.terminated {
                assert_eq!(&text[s.end..=s.end], ";");
            }
        }
        assert_eq!(split("a;\r\nb;")[1].line, 2);
    }

    #[test]
    fn unterminated_constructs() {
        for text in [
            "select 'abc;",
            "select \"a;",
            "select $$;",
            "select /* ;",
            "select E'\\';",
        ] {
            let st = split(text);
            assert_eq!(st.len(), 1, "{text}");
            assert!(!st[0].terminated);
            assert_eq!(st[0].sql, text);
        }
        // A comment-only tail is not a statement.
        assert_eq!(split("select 1; /* open ;").len(), 1);
    }

    #[test]
    fn scanner_states() {
        let mut s = Scanner::new();
        assert!(s.is_blank());
        assert_eq!(s.prompt_indicator(), '=');
        s.feed("select 'a");
        assert_eq!(s.state(), &State::SingleQuote);
        assert_eq!(s.prompt_indicator(), '\'');
        s.feed("' , E'x\\");
        assert_eq!(s.state(), &State::EscapeQuote);
        s.feed("'");
        assert_eq!(s.state(), &State::EscapeQuote);
        s.feed("' , \"q");
        assert_eq!(s.state(), &State::DoubleQuote);
        s.feed("\" , $tag$ body");
        assert_eq!(s.state(), &State::Dollar("tag".into()));
        assert_eq!(s.prompt_indicator(), '$');
        s.feed("$tag$ /* a /* b");
        assert_eq!(s.state(), &State::BlockComment(2));
        s.feed(" */");
        assert_eq!(s.state(), &State::BlockComment(1));
        s.feed(" */ (");
        assert_eq!(s.state(), &State::Normal);
        assert_eq!(s.paren_depth(), 1);
        assert_eq!(s.prompt_indicator(), '(');
        assert!(s.feed(";").is_empty());
        assert_eq!(s.feed(") -- x"), Vec::<usize>::new());
        assert_eq!(s.state(), &State::LineComment);
        assert_eq!(s.feed("\n;"), vec![2]);
        assert!(s.is_blank());
        s.feed("  -- only a comment\n /* and this */ ");
        assert!(s.is_blank());
        s.feed("-");
        assert!(!s.is_blank());
        s.feed("-");
        assert!(s.is_blank());
        s.reset();
        s.feed("x");
        assert_eq!(s.prompt_indicator(), '-');
    }

    #[test]
    fn chunk_splits_inside_tokens() {
        let text =
            "select 'a''b', E'\\'', \"x\"\"y\", $tg$ ; $t $tg$ /* /* */ */ -- ;\n, $1; select 2;";
        let whole = Scanner::new().feed(text);
        assert_eq!(whole.len(), 2);
        for cut in 0..=text.len() {
            if !text.is_char_boundary(cut) {
                continue;
            }
            let (ends, _) = chunked_ends(text, &[cut]);
            assert_eq!(ends, whole, "cut at {cut}");
        }
        // Byte-at-a-time, too.
        let cuts: Vec<usize> = (0..text.len()).collect();
        assert_eq!(chunked_ends(text, &cuts).0, whole);
    }

    #[test]
    fn feed_until_end_stops() {
        let mut s = Scanner::new();
        assert_eq!(s.feed_until_end("a; b; c"), Some(2));
        assert!(s.is_blank());
        assert_eq!(s.feed_until_end(" b; c"), Some(3));
        assert_eq!(s.feed_until_end(" c"), None);
        assert!(!s.is_blank());
    }

    #[test]
    fn completeness() {
        assert!(is_complete("select 1;"));
        assert!(is_complete("select 1;  \n"));
        assert!(is_complete("select 1; -- done"));
        assert!(is_complete("select 1; /* done */"));
        assert!(is_complete("select 1; select 2;"));
        assert!(is_complete(";"));
        assert!(!is_complete(""));
        assert!(!is_complete("select 1"));
        assert!(!is_complete("select 1; select 2"));
        assert!(!is_complete("select 'a;"));
        assert!(!is_complete("select \"a;"));
        assert!(!is_complete("select $$a;"));
        assert!(!is_complete("select (1;"));
        assert!(!is_complete("select 1; /* open"));
        assert!(!is_complete("select 1 /* ; */"));
        assert!(!is_complete("select 1; -"));
        assert!(!is_complete("select 1; /"));
        assert!(!is_complete(
            "create function f() returns int begin atomic select 1;"
        ));
        assert!(is_complete(
            "create function f() returns int begin atomic select 1; end;"
        ));
    }

    #[test]
    fn trimming() {
        assert_eq!(trim_leading("  -- a\n /* b /* c */ */\tselect"), "select");
        assert_eq!(trim_leading("/* open"), "");
        assert_eq!(trim_leading("-- only"), "");
        assert_eq!(trim_leading("- 1"), "- 1");
        assert_eq!(trim_leading("/ 1"), "/ 1");
        assert_eq!(trim_leading("select -- x"), "select -- x");
    }

    #[test]
    fn keywords() {
        assert_eq!(
            leading_keywords("  -- c\n /* d */ ( (select 1", 3),
            vec!["SELECT"]
        );
        assert_eq!(
            leading_keywords("start transaction read only", 2),
            vec!["START", "TRANSACTION"]
        );
        assert_eq!(
            leading_keywords("rollback to savepoint a", 9),
            vec!["ROLLBACK", "TO", "SAVEPOINT", "A"]
        );
        assert_eq!(
            leading_keywords("create table \"T\" (a int)", 5),
            vec!["CREATE", "TABLE"]
        );
        assert_eq!(
            leading_keywords("copy public.t from stdin", 5),
            vec!["COPY", "PUBLIC"]
        );
        assert_eq!(leading_keywords("insert", 0), Vec::<String>::new());
        assert_eq!(leading_keywords("'x' select", 2), Vec::<String>::new());
        assert_eq!(leading_keywords("", 2), Vec::<String>::new());
        assert_eq!(leading_keywords("Über_1$ x", 2), vec!["ÜBER_1$", "X"]);
    }

    #[test]
    fn transaction_effects() {
        use TxEffect::*;
        let cases = [
            ("BEGIN", Begin),
            ("begin work", Begin),
            ("BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", Begin),
            ("start transaction", Begin),
            ("start", None),
            ("COMMIT", Commit),
            ("commit work", Commit),
            ("END", Commit),
            ("end transaction", Commit),
            ("COMMIT AND CHAIN", Begin),
            ("commit work and chain", Begin),
            ("COMMIT AND NO CHAIN", Commit),
            ("ROLLBACK", Rollback),
            ("abort", Rollback),
            ("rollback and chain", Begin),
            ("ROLLBACK TO a", RollbackToSavepoint),
            ("rollback to savepoint a", RollbackToSavepoint),
            ("ROLLBACK WORK TO SAVEPOINT a", RollbackToSavepoint),
            ("SAVEPOINT a", Savepoint),
            ("RELEASE a", ReleaseSavepoint),
            ("release savepoint a", ReleaseSavepoint),
            ("PREPARE TRANSACTION 'x'", PrepareTransaction),
            ("PREPARE q AS SELECT 1", None),
            ("COMMIT PREPARED 'x'", None),
            ("ROLLBACK PREPARED 'x'", None),
            ("select 1", None),
            ("/* c */ BEGIN", Begin),
            ("", None),
        ];
        for (sql, want) in cases {
            assert_eq!(tx_effect(sql), want, "{sql}");
        }
    }

    #[test]
    fn command_tags() {
        let cases: &[(&str, u64, Option<&str>)] = &[
            ("insert into t values (1),(2),(3)", 3, Some("INSERT 0 3")),
            ("UPDATE t SET a = 1", 2, Some("UPDATE 2")),
            ("delete from t", 0, Some("DELETE 0")),
            ("select * from t", 5, Some("SELECT 5")),
            ("(select 1) union (select 2)", 2, Some("SELECT 2")),
            ("values (1)", 1, Some("SELECT 1")),
            ("table t", 4, Some("SELECT 4")),
            ("select 1 into t2", 1, Some("SELECT 1")),
            (
                "with x as (select 1) insert into t select * from x",
                1,
                Some("INSERT 0 1"),
            ),
            (
                "with x as (delete from a returning *) update t set b = 1",
                7,
                Some("UPDATE 7"),
            ),
            (
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT * FROM r",
                9,
                Some("SELECT 9"),
            ),
            (
                "with update as (select 1), delete as (select 2) delete from t",
                1,
                Some("DELETE 1"),
            ),
            (
                "with x as (select 1) merge into t using x on true when matched then do nothing",
                0,
                Some("MERGE 0"),
            ),
            (
                "merge into t using s on t.id = s.id when matched then delete",
                2,
                Some("MERGE 2"),
            ),
            ("create table t (a int)", 0, Some("CREATE TABLE")),
            ("CREATE TEMP TABLE t (a int)", 0, Some("CREATE TABLE")),
            ("create unlogged table t (a int)", 0, Some("CREATE TABLE")),
            (
                "create global temporary table t (a int generated always as (1) stored)",
                0,
                Some("CREATE TABLE"),
            ),
            ("create table t as select 1", 1, Some("SELECT 1")),
            (
                "create table if not exists t (a) as select 1",
                1,
                Some("SELECT 1"),
            ),
            (
                "create table t as select 1 with no data",
                0,
                Some("CREATE TABLE AS"),
            ),
            (
                "create materialized view v as select 1",
                1,
                Some("SELECT 1"),
            ),
            (
                "create materialized view v as select 1 with no data",
                0,
                Some("CREATE MATERIALIZED VIEW"),
            ),
            ("drop index i", 0, Some("DROP INDEX")),
            ("drop index concurrently if exists i", 0, Some("DROP INDEX")),
            ("DROP TABLE IF EXISTS a, b CASCADE", 0, Some("DROP TABLE")),
            (
                "drop materialized view v",
                0,
                Some("DROP MATERIALIZED VIEW"),
            ),
            ("drop user bob", 0, Some("DROP ROLE")),
            ("drop owned by bob", 0, Some("DROP OWNED")),
            ("drop procedural language plx", 0, Some("DROP LANGUAGE")),
            ("alter table t add column b int", 0, Some("ALTER TABLE")),
            ("alter user bob password 'x'", 0, Some("ALTER ROLE")),
            (
                "alter user mapping for bob server s options (x 'y')",
                0,
                Some("ALTER USER MAPPING"),
            ),
            (
                "alter default privileges grant select on tables to bob",
                0,
                Some("ALTER DEFAULT PRIVILEGES"),
            ),
            ("alter system set work_mem = '1MB'", 0, Some("ALTER SYSTEM")),
            (
                "alter text search dictionary d (x = 1)",
                0,
                Some("ALTER TEXT SEARCH DICTIONARY"),
            ),
            (
                "create or replace function f() returns int as $$ select 1 $$ language sql",
                0,
                Some("CREATE FUNCTION"),
            ),
            (
                "create or replace procedure p() begin atomic select 1; end",
                0,
                Some("CREATE PROCEDURE"),
            ),
            (
                "create unique index concurrently i on t (a)",
                0,
                Some("CREATE INDEX"),
            ),
            (
                "create or replace temp recursive view v (n) as select 1",
                0,
                Some("CREATE VIEW"),
            ),
            (
                "create constraint trigger tr after insert on t for each row execute function f()",
                0,
                Some("CREATE TRIGGER"),
            ),
            (
                "create or replace trigger tr before update on t execute function f()",
                0,
                Some("CREATE TRIGGER"),
            ),
            ("create user bob", 0, Some("CREATE ROLE")),
            ("create group g", 0, Some("CREATE ROLE")),
            (
                "create user mapping for bob server s",
                0,
                Some("CREATE USER MAPPING"),
            ),
            (
                "create default conversion c for 'LATIN1' to 'UTF8' from f",
                0,
                Some("CREATE CONVERSION"),
            ),
            (
                "create trusted procedural language plx",
                0,
                Some("CREATE LANGUAGE"),
            ),
            (
                "create operator class c for type int using btree as operator 1 <",
                0,
                Some("CREATE OPERATOR CLASS"),
            ),
            (
                "create operator === (leftarg = int, rightarg = int, function = f)",
                0,
                Some("CREATE OPERATOR"),
            ),
            (
                "create foreign table ft (a int) server s",
                0,
                Some("CREATE FOREIGN TABLE"),
            ),
            (
                "create foreign data wrapper w",
                0,
                Some("CREATE FOREIGN DATA WRAPPER"),
            ),
            (
                "create text search configuration c (copy = english)",
                0,
                Some("CREATE TEXT SEARCH CONFIGURATION"),
            ),
            (
                "create event trigger e on ddl_command_start execute function f()",
                0,
                Some("CREATE EVENT TRIGGER"),
            ),
            ("create schema s", 0, Some("CREATE SCHEMA")),
            (
                "create extension if not exists pgcrypto",
                0,
                Some("CREATE EXTENSION"),
            ),
            ("create type mood as enum ('a')", 0, Some("CREATE TYPE")),
            ("create sequence s", 0, Some("CREATE SEQUENCE")),
            ("create database d", 0, Some("CREATE DATABASE")),
            ("create frobnicator x", 0, None),
            ("BEGIN", 0, Some("BEGIN")),
            ("start transaction", 0, Some("START TRANSACTION")),
            ("commit", 0, Some("COMMIT")),
            ("end", 0, Some("COMMIT")),
            ("COMMIT PREPARED 'x'", 0, Some("COMMIT PREPARED")),
            ("rollback", 0, Some("ROLLBACK")),
            ("abort", 0, Some("ROLLBACK")),
            ("rollback to savepoint a", 0, Some("ROLLBACK")),
            ("rollback prepared 'x'", 0, Some("ROLLBACK PREPARED")),
            ("savepoint a", 0, Some("SAVEPOINT")),
            ("release a", 0, Some("RELEASE")),
            ("prepare transaction 'x'", 0, Some("PREPARE TRANSACTION")),
            ("SET search_path = public", 0, Some("SET")),
            ("set local work_mem = 1", 0, Some("SET")),
            ("set constraints all deferred", 0, Some("SET CONSTRAINTS")),
            ("reset all", 0, Some("RESET")),
            ("copy t from stdin", 12, Some("COPY 12")),
            ("copy (select 1) to stdout", 1, Some("COPY 1")),
            ("fetch 5 from c", 5, Some("FETCH 5")),
            ("move forward 3 in c", 3, Some("MOVE 3")),
            ("truncate t", 0, Some("TRUNCATE TABLE")),
            ("grant select on t to bob", 0, Some("GRANT")),
            ("grant admin to bob", 0, Some("GRANT ROLE")),
            (
                "revoke all privileges on all tables in schema s from bob",
                0,
                Some("REVOKE"),
            ),
            ("revoke admin from bob", 0, Some("REVOKE ROLE")),
            ("vacuum full t", 0, Some("VACUUM")),
            ("vacuum analyze", 0, Some("VACUUM")),
            ("analyze t", 0, Some("ANALYZE")),
            ("analyse", 0, Some("ANALYZE")),
            ("explain select 1", 0, None),
            ("show search_path", 0, None),
            ("do $$ begin end $$", 0, Some("DO")),
            ("call p()", 0, Some("CALL")),
            ("comment on table t is 'x'", 0, Some("COMMENT")),
            ("prepare q as select 1", 0, Some("PREPARE")),
            ("execute q", 1, Some("EXECUTE")),
            ("deallocate q", 0, Some("DEALLOCATE")),
            ("deallocate all", 0, Some("DEALLOCATE ALL")),
            ("deallocate prepare all", 0, Some("DEALLOCATE ALL")),
            ("listen ch", 0, Some("LISTEN")),
            ("unlisten *", 0, Some("UNLISTEN")),
            ("notify ch, 'x'", 0, Some("NOTIFY")),
            ("discard all", 0, Some("DISCARD ALL")),
            ("discard temporary", 0, Some("DISCARD TEMP")),
            ("lock table t in exclusive mode", 0, Some("LOCK TABLE")),
            ("lock t", 0, Some("LOCK TABLE")),
            ("declare c cursor for select 1", 0, Some("DECLARE CURSOR")),
            ("close c", 0, Some("CLOSE CURSOR")),
            ("close all", 0, Some("CLOSE CURSOR ALL")),
            (
                "refresh materialized view v",
                0,
                Some("REFRESH MATERIALIZED VIEW"),
            ),
            (
                "security label on table t is 'x'",
                0,
                Some("SECURITY LABEL"),
            ),
            ("checkpoint", 0, Some("CHECKPOINT")),
            ("reindex table t", 0, Some("REINDEX")),
            ("cluster t", 0, Some("CLUSTER")),
            (
                "import foreign schema s from server x into y",
                0,
                Some("IMPORT FOREIGN SCHEMA"),
            ),
            ("reassign owned by a to b", 0, Some("REASSIGN OWNED")),
            ("", 0, None),
            ("-- just a comment", 0, None),
        ];
        for (sql, rows, want) in cases {
            assert_eq!(command_tag(sql, *rows).as_deref(), *want, "{sql}");
        }
    }

    #[test]
    fn row_returning() {
        for sql in [
            "select 1",
            "  (select 1)",
            "values (1)",
            "table t",
            "with x as (select 1) select * from x",
            "show all",
            "explain analyze delete from t",
            "fetch all from c",
            "insert into t values (1) returning id",
            "update t set a = 1 returning *",
            "delete from t returning a",
            "with x as (select 1) delete from t returning a",
            "execute q",
        ] {
            assert!(returns_rows(sql), "{sql}");
        }
        for sql in [
            "insert into t values (1)",
            "with x as (insert into a values (1) returning id) insert into b select id from x",
            "select 1 into t2",
            "create table t as select 1",
            "declare c cursor for select 1",
            "move 1 in c",
            "update t set a = (select 1)",
            "copy t to stdout",
            "begin",
            "",
        ] {
            assert!(!returns_rows(sql), "{sql}");
        }
    }

    #[test]
    fn copy_from_stdin() {
        assert!(is_copy_from_stdin("COPY t FROM stdin"));
        assert!(is_copy_from_stdin(
            "copy public.t (a, \"b\") from STDIN with (format csv, header)"
        ));
        assert!(is_copy_from_stdin("  -- x\n copy t from stdin csv"));
        assert!(!is_copy_from_stdin("copy t from '/tmp/x'"));
        assert!(!is_copy_from_stdin("copy t to stdout"));
        assert!(!is_copy_from_stdin("copy (select 1 from stdin) to stdout"));
        assert!(!is_copy_from_stdin("select 'copy t from stdin'"));
    }

    #[test]
    fn tokenizer_handles_odd_input() {
        let toks: Vec<Tok<'_>> =
            tokens("E'a\\'b' U&\"x\" $q$ ; $q$ $1 1.5e3 .5 1..2 +- -- c\n :: é").collect();
        assert_eq!(toks.first(), Some(&Tok::Str));
        assert!(toks.contains(&Tok::Quoted));
        assert!(toks.contains(&Tok::Param));
        assert_eq!(toks.last(), Some(&Tok::Word("é")));
        // Unterminated constructs just run to the end.
        assert_eq!(tokens("'abc").count(), 1);
        assert_eq!(tokens("$a$ abc").count(), 1);
        assert_eq!(tokens("E'\\").count(), 1);
    }

    /// A statement fragment: (text, is it a real token rather than blank/comment?).
    fn fragment() -> impl Strategy<Value = (String, bool)> {
        prop_oneof![
            "[a-zA-Z_][a-zA-Z0-9_$]{0,6}".prop_map(|s| (s, true)),
            "[0-9]{1,3}".prop_map(|s| (s, true)),
            "[0-9]{1,2}".prop_map(|s| (format!("${s}"), true)),
            "[a-z ;'\"$\\\\]{0,8}".prop_map(|s| (format!("'{}'", s.replace('\'', "''")), true)),
            "[a-z ;'\"$]{0,8}".prop_map(|s| (format!("E'{}'", s.replace('\'', "\\'")), true)),
            "[a-z ;'$]{0,8}".prop_map(|s| (format!("\"{}\"", s.replace('"', "\"\"")), true)),
            "[a-z ;'\"]{0,8}".prop_map(|s| (format!("$$ {s} $ $$"), true)),
            ("[a-z]{1,3}", "[a-z ;'\"]{0,8}")
                .prop_map(|(t, s)| (format!("${t}$ {s} $ ${t}x$ ${t}$"), true)),
            "[a-z ;]{0,8}".prop_map(|s| (format!("(x; {s})"), true)),
            "[a-z ;'\"$]{0,8}".prop_map(|s| (format!("/* {s} /* ; */ */"), false)),
            "[a-z ;'\"$]{0,8}".prop_map(|s| (format!("-- {s}\n"), false)),
            Just(("\n".to_string(), false)),
            Just(("+".to_string(), true)),
        ]
    }

    fn statement() -> impl Strategy<Value = (String, bool)> {
        prop::collection::vec(fragment(), 1..6).prop_map(|frags| {
            let real = frags.iter().any(|(_, r)| *r);
            let text = frags
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
                .join(" ");
            (text, real)
        })
    }

    proptest! {
        #[test]
        fn split_reassembles_input(stmts in prop::collection::vec(statement(), 0..6), trailing_semi in any::<bool>()) {
            let mut text = String::new();
            let mut expected = 0;
            for (i, (s, real)) in stmts.iter().enumerate() {
                text.push_str(s);
                if i + 1 < stmts.len() || trailing_semi {
                    text.push(';');
                }
                text.push(' ');
                expected += usize::from(*real);
            }
            let st = split(&text);
            prop_assert_eq!(st.len(), expected, "{:?}", text);
            let mut rebuilt = String::new();
            let mut pos = 0;
            for s in &st {
                prop_assert_eq!(&text[s.start..s.end], s.sql);
                rebuilt.push_str(&text[pos..s.start]);
                rebuilt.push_str(s.sql);
                pos = s.end;
                if s.terminated {
                    rebuilt.push(';');
                    pos += 1;
                }
            }
            rebuilt.push_str(&text[pos..]);
            prop_assert_eq!(rebuilt, text);
        }

        #[test]
        fn chunking_never_changes_results(stmts in prop::collection::vec(statement(), 0..5), cuts in prop::collection::vec(0usize..400, 0..8)) {
            let text = stmts.into_iter().map(|(s, _)| s).collect::<Vec<_>>().join(";");
            let mut whole = Scanner::new();
            let ends = whole.feed(&text);
            let (chunked, scanner) = chunked_ends(&text, &cuts);
            prop_assert_eq!(chunked, ends);
            prop_assert_eq!(scanner.state(), whole.state());
            prop_assert_eq!(scanner.paren_depth(), whole.paren_depth());
            prop_assert_eq!(scanner.is_blank(), whole.is_blank());
        }

        #[test]
        fn never_panics_on_arbitrary_text(text in any::<String>(), rows in any::<u64>()) {
            let _ = split(&text);
            let _ = is_complete(&text);
            let _ = leading_keywords(&text, 4);
            let _ = tx_effect(&text);
            let _ = command_tag(&text, rows);
            let _ = returns_rows(&text);
            let _ = is_copy_from_stdin(&text);
            let _ = strip_psql_escapes(&text);
            let _ = trim_leading(&text);
        }
    }
}
