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

/// A lexical token of a complete statement, for classification only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok<'a> {
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
pub struct Tokens<'a> {
    src: &'a str,
    pos: usize,
}

pub fn tokens(src: &str) -> Tokens<'_> {
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
}
