//! Syntax colours for the prompt line: Rhai keywords, strings, numbers and comments; SQL keywords (at the
//! prompt and inside strings passed to `query`/`execute`); the bracket matching the one at the cursor.

use super::complete::{RHAI_KEYWORDS, SQL_WORDS};
use super::input::{classify, Kind, Lang};
use crate::sql::lexer::{spanned, Tok};

const RESET: &str = "\x1b[0m";
const KEYWORD: &str = "\x1b[1;34m";
const SQL_KEYWORD: &str = "\x1b[1;35m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[33m";
const COMMENT: &str = "\x1b[2;37m";
const BRACKET: &str = "\x1b[1;7m";

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The colour of a word, or None.
fn word_colour(word: &str, sql: bool) -> Option<&'static str> {
    let upper = word.to_ascii_uppercase();
    let sql_word =
        SQL_WORDS.contains(&upper.as_str()) || super::input::SQL_KEYWORDS.contains(&upper.as_str());
    // In Rhai code, only upper-case SQL words are coloured as SQL (`select` may be a variable).
    let shouting = word.chars().all(|c| c.is_ascii_uppercase());
    if sql_word && (sql || shouting) {
        return Some(SQL_KEYWORD);
    }
    if !sql && RHAI_KEYWORDS.contains(&word) {
        return Some(KEYWORD);
    }
    None
}

/// Colour `line`; `pos` is the cursor (for bracket matching), `pending` the earlier lines of the input.
pub fn highlight(pending: &str, line: &str, pos: usize, lang: Lang) -> String {
    let bracket = matching_bracket(line, pos);
    if classify(&format!("{pending}{line}"), lang) == Kind::Sql {
        return highlight_sql(line, bracket);
    }
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = String::with_capacity(line.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let next = chars.get(i + 1).map(|(_, c)| *c);
        // Comments.
        if c == '/' && next == Some('/') {
            out.push_str(COMMENT);
            out.push_str(&line[at..]);
            out.push_str(RESET);
            return out;
        }
        // Strings: "…", `…` and '…' (the content of the first two is SQL when it looks like SQL).
        if matches!(c, '"' | '`' | '\'') {
            let mut j = i + 1;
            while j < chars.len() {
                let (_, d) = chars[j];
                if d == '\\' {
                    j += 2;
                    continue;
                }
                if d == c {
                    break;
                }
                j += 1;
            }
            let end = chars.get(j + 1).map(|(b, _)| *b).unwrap_or(line.len());
            let text = &line[at..end];
            if c != '\'' && super::input::looks_like_sql(text.trim_start_matches(['"', '`'])) {
                out.push_str(STRING);
                out.push(c);
                out.push_str(&highlight_sql_in_string(&text[1..], STRING));
                out.push_str(RESET);
            } else {
                out.push_str(STRING);
                out.push_str(text);
                out.push_str(RESET);
            }
            i = j + 1;
            continue;
        }
        if c.is_ascii_digit() && (i == 0 || !is_word(chars[i - 1].1)) {
            let mut j = i;
            while j < chars.len()
                && (chars[j].1.is_ascii_alphanumeric() || chars[j].1 == '.' || chars[j].1 == '_')
            {
                j += 1;
            }
            let end = chars.get(j).map(|(b, _)| *b).unwrap_or(line.len());
            out.push_str(NUMBER);
            out.push_str(&line[at..end]);
            out.push_str(RESET);
            i = j;
            continue;
        }
        if is_word(c) {
            let mut j = i;
            while j < chars.len() && is_word(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map(|(b, _)| *b).unwrap_or(line.len());
            let word = &line[at..end];
            match word_colour(word, false) {
                Some(col) => {
                    out.push_str(col);
                    out.push_str(word);
                    out.push_str(RESET);
                }
                None => out.push_str(word),
            }
            i = j;
            continue;
        }
        if bracket == Some(at) {
            out.push_str(BRACKET);
            out.push(c);
            out.push_str(RESET);
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// A SQL line, read with the SQL lexer, so what is coloured as a string or a comment is what the statement
/// scanner reads as one (`E'…'`, `$$…$$`, `/* … */` included).
fn highlight_sql(line: &str, bracket: Option<usize>) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let paint = |out: &mut String, colour: &str, text: &str| {
        out.push_str(colour);
        out.push_str(text);
        out.push_str(RESET);
    };
    let mut at = 0;
    for (tok, span) in spanned(line) {
        out.push_str(line.get(at..span.start).unwrap_or(""));
        let text = line.get(span.clone()).unwrap_or("");
        match tok {
            Tok::Comment => paint(&mut out, COMMENT, text),
            Tok::Str => paint(&mut out, STRING, text),
            Tok::Num | Tok::Param => paint(&mut out, NUMBER, text),
            Tok::Word(w) => match word_colour(w, true) {
                Some(colour) => paint(&mut out, colour, text),
                None => out.push_str(text),
            },
            _ if bracket == Some(span.start) && text.len() == 1 => paint(&mut out, BRACKET, text),
            _ => out.push_str(text),
        }
        at = span.end;
    }
    out.push_str(line.get(at..).unwrap_or(""));
    out
}

/// SQL keywords inside a string literal, keeping the string colour around them.
fn highlight_sql_in_string(text: &str, base: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            let upper = word.to_ascii_uppercase();
            if SQL_WORDS.contains(&upper.as_str()) {
                out.push_str(SQL_KEYWORD);
                out.push_str(word);
                out.push_str(RESET);
                out.push_str(base);
            } else {
                out.push_str(word);
            }
            word.clear();
        }
    };
    for c in text.chars() {
        if is_word(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The byte offset of the bracket matching the one just before or at the cursor.
pub fn matching_bracket(line: &str, pos: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let at = [pos.checked_sub(1), Some(pos)]
        .into_iter()
        .flatten()
        .find(|&p| bytes.get(p).is_some_and(|b| b"()[]{}".contains(b)))?;
    let b = bytes[at];
    let (open, close, forward) = match b {
        b'(' => (b'(', b')', true),
        b'[' => (b'[', b']', true),
        b'{' => (b'{', b'}', true),
        b')' => (b'(', b')', false),
        b']' => (b'[', b']', false),
        _ => (b'{', b'}', false),
    };
    let mut depth = 0i32;
    if forward {
        for (i, &c) in bytes.iter().enumerate().skip(at) {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
    } else {
        for i in (0..=at).rev() {
            let c = bytes[i];
            if c == close {
                depth += 1;
            } else if c == open {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn colours_but_keeps_the_text() {
        for line in [
            "let x = query(\"SELECT * FROM t WHERE a = $1\", [42]); // go",
            "SELECT 'it''s', 1.5 FROM t -- note",
            "for r in rows { print(`${r.name}`) }",
        ] {
            let h = highlight("", line, 0, Lang::Rhai);
            assert_eq!(strip(&h), line);
            assert_ne!(h, line);
        }
    }

    #[test]
    fn keywords_strings_numbers_comments() {
        let h = highlight("", "let n = 42; // c", 0, Lang::Rhai);
        assert!(h.contains(&format!("{KEYWORD}let{RESET}")), "{h:?}");
        assert!(h.contains(&format!("{NUMBER}42{RESET}")), "{h:?}");
        assert!(h.contains(&format!("{COMMENT}// c{RESET}")), "{h:?}");
        let s = highlight("", "select 'x' from t;", 0, Lang::Rhai);
        assert!(s.contains(&format!("{SQL_KEYWORD}select{RESET}")), "{s:?}");
        assert!(s.contains(&format!("{STRING}'x'{RESET}")), "{s:?}");
        let q = highlight("", "query(\"SELECT 1\")", 0, Lang::Rhai);
        assert!(q.contains(&format!("{SQL_KEYWORD}SELECT{RESET}")), "{q:?}");
    }

    #[test]
    fn sql_lines_are_read_with_the_sql_lexer() {
        let h = highlight(
            "",
            "SELECT E'a\\'b', $$x$$ /* c */ FROM \"select\"",
            0,
            Lang::Sql,
        );
        assert!(h.contains(&format!("{STRING}E'a\\'b'{RESET}")), "{h:?}");
        assert!(h.contains(&format!("{STRING}$$x$${RESET}")), "{h:?}");
        assert!(h.contains(&format!("{COMMENT}/* c */{RESET}")), "{h:?}");
        // A quoted identifier is a name, not a keyword.
        assert!(h.ends_with("\"select\""), "{h:?}");
        assert_eq!(strip(&h), "SELECT E'a\\'b', $$x$$ /* c */ FROM \"select\"");
        // The cursor on `(`: its partner is marked.
        let b = highlight("", "SELECT (1)", 7, Lang::Sql);
        assert!(b.ends_with(&format!("{BRACKET}){RESET}")), "{b:?}");
    }

    #[test]
    fn brackets_match() {
        assert_eq!(matching_bracket("f(a, (b))", 1), Some(8));
        assert_eq!(matching_bracket("f(a, (b))", 9), Some(1));
        assert_eq!(matching_bracket("[1, 2", 1), None);
        let h = highlight("", "f(x)", 4, Lang::Rhai);
        assert!(h.contains(&format!("{BRACKET}({RESET}")), "{h:?}");
    }
}
