//! The incremental statement scanner: fed text in chunks split anywhere, it finds where psql would end each
//! statement (quotes, dollar quotes, nested comments, parentheses, `BEGIN ATOMIC … END` bodies) and which
//! lexical state a continuation line starts in.

use crate::sql::lexer::{is_ident_start, is_space};

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
pub(super) enum Event {
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

    #[cfg(test)]
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

    #[cfg(test)]
    pub fn state(&self) -> &State {
        &self.state
    }

    #[cfg(test)]
    pub fn paren_depth(&self) -> u32 {
        self.paren_depth
    }

    #[cfg(test)]
    /// True when nothing but whitespace/comments has been fed since the last statement end.
    pub fn is_blank(&self) -> bool {
        !self.has_content && !matches!(self.pending, Pending::Dash | Pending::Slash)
    }

    #[cfg(test)]
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

    pub(super) fn step(&mut self, b: u8) -> Event {
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
