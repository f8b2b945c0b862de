//! Quoting for SQL text that pgsh writes itself (`fe_utils/string_utils.c`): identifiers as `fmtId` quotes
//! them and string literals as `appendStringLiteral` writes them. Input is Rust text, so always valid UTF-8
//! (the C code's repair of broken multibyte sequences has nothing to do here).

use crate::sql::keywords::{self, Category};

/// `fmtId`: `name` as an identifier, double-quoted unless it is a plain lower-case name that is not a
/// reserved (or column-name / type-function-name) keyword.
pub fn fmt_id(name: &str) -> String {
    let plain = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && keywords::lookup(name).is_none_or(|c| c == Category::Unreserved);
    if plain {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `appendStringLiteral`: `text` as a SQL string literal. Quotes are doubled; without
/// `standard_conforming_strings`, backslashes are doubled too.
pub fn string_literal(text: &str, std_strings: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if c == '\'' || (c == '\\' && !std_strings) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// `appendStringLiteralConn` (for servers 8.1 and later): text with a backslash becomes an `E'…'` literal
/// with the backslash doubled, whatever `standard_conforming_strings` says (libpq's programs do so to keep
/// the server's `escape_string_warning` quiet); other text is written as [`string_literal`] does. (psql
/// also puts a space before the `E` when the buffer does not end in one; callers here always have one.)
pub fn string_literal_conn(text: &str, std_strings: bool) -> String {
    if text.contains('\\') {
        format!("E{}", string_literal(text, false))
    } else {
        string_literal(text, std_strings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_as_fmt_id_does() {
        assert_eq!(fmt_id("abc_1"), "abc_1");
        assert_eq!(fmt_id("Abc"), "\"Abc\"");
        assert_eq!(fmt_id("1a"), "\"1a\"");
        assert_eq!(fmt_id("select"), "\"select\"");
        // Unreserved keywords stay bare.
        assert_eq!(fmt_id("abort"), "abort");
        assert_eq!(fmt_id("a\"b"), "\"a\"\"b\"");
        assert_eq!(fmt_id(""), "\"\"");
    }

    #[test]
    fn literals() {
        assert_eq!(string_literal("it's", true), "'it''s'");
        assert_eq!(string_literal("a\\b", true), "'a\\b'");
        assert_eq!(string_literal("a\\b", false), "'a\\\\b'");
        // psql 15: `\dT int[]` sends `E'^(integer\\[])$'` (`psql -E`).
        assert_eq!(
            string_literal_conn("^(integer\\[])$", true),
            "E'^(integer\\\\[])$'"
        );
        assert_eq!(string_literal_conn("it's", true), "'it''s'");
    }
}
