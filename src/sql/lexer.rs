//! SQL's lexical rules, written once: what is a space, an identifier or an operator character, where a
//! comment ends, and a token lexer for complete statements (quotes of every kind, dollar quotes, comments)
//! that agrees with psql's `psqlscan.l`. The statement scanner, the classifiers, the prompt's highlighter
//! and password redaction read SQL through here.

pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

pub fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

pub fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

pub fn is_op_char(b: u8) -> bool {
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
pub fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
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

/// A lexical token of a complete statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok<'a> {
    /// An unquoted identifier or keyword.
    Word(&'a str),
    /// A quoted identifier (`"x"`, `U&"x"`).
    Quoted,
    /// A string constant of any kind: `'…'`, `E'…'`, `B'…'`, `X'…'`, `N'…'`, `U&'…'`, `$tag$…$tag$`.
    Str,
    Num,
    /// `$1`.
    Param,
    Punct(u8),
    Op,
    Other,
    /// `-- …` or `/* … */` (only from [`spanned`]; [`tokens`] skips comments).
    Comment,
}

/// Tokens of a statement with whitespace (and comments, unless asked for) skipped, lexed like the
/// statement scanner (`crate::sql::scan::Scanner`).
pub struct Tokens<'a> {
    src: &'a str,
    pos: usize,
    /// Where the token last returned starts.
    start: usize,
    comments: bool,
}

/// The tokens of `src`, comments skipped: what classifying a statement looks at.
pub fn tokens(src: &str) -> Tokens<'_> {
    Tokens {
        src,
        pos: 0,
        start: 0,
        comments: false,
    }
}

/// Every token of `src` with its byte range, comments included: what colouring a line needs. The text
/// between two ranges is whitespace; an unterminated quote or comment runs to the end.
pub fn spanned(src: &str) -> impl Iterator<Item = (Tok<'_>, std::ops::Range<usize>)> {
    let mut toks = Tokens {
        src,
        pos: 0,
        start: 0,
        comments: true,
    };
    std::iter::from_fn(move || {
        let tok = toks.next()?;
        Some((tok, toks.start..toks.pos))
    })
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
        if self.comments {
            self.skip_while(is_space);
            self.start = self.pos;
            match (self.byte(self.pos), self.byte(self.pos + 1)) {
                (Some(b'-'), Some(b'-')) => {
                    self.skip_while(|b| b != b'\n' && b != b'\r');
                    return Some(Tok::Comment);
                }
                (Some(b'/'), Some(b'*')) => {
                    self.pos = skip_block_comment(self.src.as_bytes(), self.pos);
                    return Some(Tok::Comment);
                }
                _ => {}
            }
        } else {
            self.pos += rest.len() - trim_leading(rest).len();
        }
        self.start = self.pos;
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn spans_cover_every_token_and_comment() {
        let src = "SELECT /* a /* b */ c */ 'it''s', $$x$$ -- end";
        let got: Vec<(Tok<'_>, &str)> = spanned(src).map(|(t, r)| (t, &src[r])).collect();
        assert_eq!(
            got,
            [
                (Tok::Word("SELECT"), "SELECT"),
                (Tok::Comment, "/* a /* b */ c */"),
                (Tok::Str, "'it''s'"),
                (Tok::Punct(b','), ","),
                (Tok::Str, "$$x$$"),
                (Tok::Comment, "-- end"),
            ]
        );
        // Comments are skipped by `tokens`, whatever else is the same.
        let plain: Vec<Tok<'_>> = tokens(src).collect();
        let from_spans: Vec<Tok<'_>> = spanned(src)
            .map(|(t, _)| t)
            .filter(|t| *t != Tok::Comment)
            .collect();
        assert_eq!(plain, from_spans);
        let open: Vec<(Tok<'_>, std::ops::Range<usize>)> = spanned("'open").collect();
        assert_eq!(open, vec![(Tok::Str, 0..5)]);
    }
}
