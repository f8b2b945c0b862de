//! psql's `strtokx` ("poor man's flex", stringutils.c) with `strip_quotes` and `quote_if_needed`: the
//! tokenizer `\copy` and tab completion use on an argument string. psql keeps its position in static
//! variables; here a [`Strtokx`] value holds it.

/// A string being split into tokens, one per [`Strtokx::next_token`] call (`strtokx(s, …)` then
/// `strtokx(NULL, …)`).
#[derive(Debug, Clone)]
pub struct Strtokx {
    /// The string; `None` once the end was reached (psql frees its copy then).
    storage: Option<String>,
    /// Byte offset where the next call continues.
    pos: usize,
}

impl Strtokx {
    /// Start splitting `s`. psql works on a C string, so the text ends at a NUL if it has one.
    pub fn new(s: &str) -> Self {
        let s = s.split('\0').next().unwrap_or("");
        Strtokx {
            storage: Some(s.to_string()),
            pos: 0,
        }
    }

    /// The next token, or `None` at the end of the string.
    ///
    /// - `whitespace`: characters separating tokens (skipped before a token; one of them right after a
    ///   token is consumed with it, so changing this set between calls can lose one, as in psql);
    /// - `delim`: characters returned as one-character tokens unless quoted;
    /// - `quote`: characters that quote a token; a doubled quote inside stands for one;
    /// - `escape`: a character that makes the next one literal inside quotes;
    /// - `e_strings`: `E'…'` is a quoted token with `\` escapes;
    /// - `del_quotes`: return the token with its quotes removed ([`strip_quotes`]), else as written.
    #[allow(clippy::too_many_arguments)]
    pub fn next_token(
        &mut self,
        whitespace: &str,
        delim: Option<&str>,
        quote: Option<&str>,
        escape: Option<char>,
        e_strings: bool,
        del_quotes: bool,
    ) -> Option<String> {
        let s = self.storage.as_deref()?;
        let rest = s.get(self.pos..).unwrap_or("");
        let start =
            self.pos + (rest.len() - rest.trim_start_matches(|c| whitespace.contains(c)).len());
        let Some(first) = s.get(start..).and_then(|r| r.chars().next()) else {
            self.storage = None;
            return None;
        };
        let in_set = |set: Option<&str>, c: char| set.is_some_and(|set| set.contains(c));

        // A delimiter is a token by itself.
        if in_set(delim, first) {
            let end = start + first.len_utf8();
            let token = s[start..end].to_string();
            self.pos = self.after(end, whitespace);
            return Some(token);
        }

        // E'…' (quote ' with backslash escapes)
        let mut p = start;
        let (mut quote, mut escape) = (quote, escape);
        if e_strings
            && (first == 'E' || first == 'e')
            && s.get(start + 1..).is_some_and(|r| r.starts_with('\''))
        {
            quote = Some("'");
            escape = Some('\\');
            p += 1;
        }

        let at_p = s.get(p..).and_then(|r| r.chars().next());
        if let Some(thisquote) = at_p.filter(|&c| in_set(quote, c)) {
            // A quoted token: scan for the closing quote.
            let mut chars = s[p + thisquote.len_utf8()..].char_indices().peekable();
            let base = p + thisquote.len_utf8();
            let mut end = s.len();
            while let Some((i, c)) = chars.next() {
                let next = chars.peek().map(|&(_, n)| n);
                if Some(c) == escape && next.is_some() {
                    chars.next(); // the escaped character
                } else if c == thisquote && next == Some(thisquote) {
                    chars.next(); // a doubled quote
                } else if c == thisquote {
                    end = base + i + c.len_utf8();
                    break;
                }
            }
            let token = &s[start..end];
            let token = if del_quotes {
                strip_quotes(token, thisquote, escape)
            } else {
                token.to_string()
            };
            self.pos = self.after(end, whitespace);
            return Some(token);
        }

        // Unquoted: up to whitespace, a delimiter or a quote character.
        let end = s[start..]
            .char_indices()
            .find(|&(_, c)| whitespace.contains(c) || in_set(delim, c) || in_set(quote, c))
            .map_or(s.len(), |(i, _)| start + i);
        let token = s[start..end].to_string();
        self.pos = self.after(end, whitespace);
        Some(token)
    }

    /// Where the next call starts after a token ending at `end`: psql overwrites the character after the
    /// token with a NUL when it is whitespace (so it is consumed), else shifts the rest to make room.
    fn after(&self, end: usize, whitespace: &str) -> usize {
        let s = self.storage.as_deref().unwrap_or("");
        match s.get(end..).and_then(|r| r.chars().next()) {
            Some(c) if whitespace.contains(c) => end + c.len_utf8(),
            _ => end,
        }
    }
}

/// `strip_quotes`: remove a leading and a trailing `quote`, reduce doubled quotes inside to one, and let
/// `escape` make the next character literal.
pub fn strip_quotes(source: &str, quote: char, escape: Option<char>) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    if chars.peek() == Some(&quote) {
        chars.next();
    }
    while let Some(mut c) = chars.next() {
        let next = chars.peek().copied();
        if c == quote && next.is_none() {
            break; // the trailing quote
        } else if (c == quote && next == Some(quote)) || (Some(c) == escape && next.is_some()) {
            // a doubled quote, or an escaped character: keep the second one
            match chars.next() {
                Some(n) => c = n,
                None => break,
            }
        }
        out.push(c);
    }
    out
}

/// `quote_if_needed`: the opposite of [`strip_quotes`]. `None` when `source` stands for itself (it has
/// none of `entails_quote`, `quote` or `escape`, and `force_quote` is off); else `source` in `quote`s
/// with `quote` and `escape` doubled.
#[cfg(test)]
pub fn quote_if_needed(
    source: &str,
    entails_quote: &str,
    quote: char,
    escape: Option<char>,
    force_quote: bool,
) -> Option<String> {
    let mut need = force_quote;
    let mut out = String::with_capacity(source.len() + 2);
    out.push(quote);
    for c in source.chars() {
        if c == quote || Some(c) == escape {
            need = true;
            out.push(c);
        } else if entails_quote.contains(c) {
            need = true;
        }
        out.push(c);
    }
    out.push(quote);
    need.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WS: &str = " \t\n\r";

    fn all(s: &str, f: impl Fn(&mut Strtokx) -> Option<String>) -> Vec<String> {
        let mut t = Strtokx::new(s);
        std::iter::from_fn(|| f(&mut t)).collect()
    }

    // Expected values follow stringutils.c by hand (strtokx is not directly observable in psql 15):
    // copy.c's calls are `(whitespace, ".,()", "\"", 0, false, false)` for table names and
    // `(whitespace, ";", "'", 0, false, false)` for the file name.
    #[test]
    fn splits_on_whitespace_delimiters_and_quotes() {
        let toks = all("public.\"My Tab\"(a, b) from 'f;x' ;", |t| {
            t.next_token(WS, Some(".,();"), Some("\"'"), None, false, false)
        });
        assert_eq!(
            toks,
            [
                "public",
                ".",
                "\"My Tab\"",
                "(",
                "a",
                ",",
                "b",
                ")",
                "from",
                "'f;x'",
                ";"
            ]
        );
    }

    #[test]
    fn quoted_tokens_keep_or_strip_quotes() {
        let keep = all("'it''s' \"a\\\"b\"", |t| {
            t.next_token(WS, None, Some("'\""), Some('\\'), false, false)
        });
        assert_eq!(keep, ["'it''s'", "\"a\\\"b\""]);
        let strip = all("'it''s' \"a\\\"b\" 'open", |t| {
            t.next_token(WS, None, Some("'\""), Some('\\'), false, true)
        });
        assert_eq!(strip, ["it's", "a\"b", "open"]);
    }

    #[test]
    fn e_strings_take_backslash_escapes() {
        let toks = all("E'a\\'b' e'x' Ex", |t| {
            t.next_token(WS, None, None, None, true, false)
        });
        assert_eq!(toks, ["E'a\\'b'", "e'x'", "Ex"]);
    }

    #[test]
    fn a_consumed_whitespace_character_is_lost_when_the_set_changes() {
        // copy.c reads the rest of the line with whitespace "": the separator after the previous
        // token was already eaten, further ones stay.
        let mut t = Strtokx::new("from  rest of line");
        assert_eq!(
            t.next_token(WS, None, None, None, false, false).as_deref(),
            Some("from")
        );
        assert_eq!(
            t.next_token("", None, None, None, false, false).as_deref(),
            Some(" rest of line")
        );
        assert_eq!(t.next_token("", None, None, None, false, false), None);
        // a delimiter right after a token is not eaten
        let mut t = Strtokx::new("a(b");
        assert_eq!(
            t.next_token(WS, Some("("), None, None, false, false)
                .as_deref(),
            Some("a")
        );
        assert_eq!(
            t.next_token(WS, Some("("), None, None, false, false)
                .as_deref(),
            Some("(")
        );
        assert_eq!(
            t.next_token(WS, Some("("), None, None, false, false)
                .as_deref(),
            Some("b")
        );
    }

    #[test]
    fn quote_if_needed_round_trips() {
        assert_eq!(quote_if_needed("abc", " ", '\'', None, false), None);
        assert_eq!(
            quote_if_needed("abc", " ", '\'', None, true).as_deref(),
            Some("'abc'")
        );
        assert_eq!(
            quote_if_needed("a b", " ", '\'', None, false).as_deref(),
            Some("'a b'")
        );
        let q = quote_if_needed("it's é\\", " ", '\'', Some('\\'), false);
        assert_eq!(q.as_deref(), Some("'it''s é\\\\'"));
        assert_eq!(
            strip_quotes(q.as_deref().unwrap_or(""), '\'', Some('\\')),
            "it's é\\"
        );
        assert_eq!(
            Strtokx::new("a\0b")
                .next_token(WS, None, None, None, false, false)
                .as_deref(),
            Some("a")
        );
    }
}
