//! libpq's quoting for values psql puts into SQL (`PQescapeLiteral`, `PQescapeIdentifier`) and into shell
//! commands (`appendShellString`).

/// `PQescapeLiteral`: a string literal that is correct whatever `standard_conforming_strings` says — with
/// backslashes, it is written as an `E''` literal with them doubled (as libpq does).
pub fn escape_literal(text: &str) -> String {
    let has_backslash = text.contains('\\');
    let mut out = String::with_capacity(text.len() + 4);
    if has_backslash {
        out.push_str(" E'");
    } else {
        out.push('\'');
    }
    for c in text.chars() {
        if c == '\'' || c == '\\' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// `PQescapeIdentifier`: always double-quoted, embedded quotes doubled.
#[cfg(test)]
pub fn escape_identifier(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `appendShellStringNoError`: single-quoted for a POSIX shell; `None` if it holds a newline or carriage
/// return (which psql refuses to pass to a shell).
#[cfg(test)]
pub fn shell_string(text: &str) -> Option<String> {
    if text.contains(['\n', '\r']) {
        return None;
    }
    // Safe characters need no quotes.
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:".contains(&b))
    {
        return Some(text.to_string());
    }
    let mut out = String::from("'");
    for c in text.chars() {
        if c == '\'' {
            out.push_str("'\"'\"'");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_identifiers_and_shell_words() {
        assert_eq!(escape_literal("it's"), "'it''s'");
        // libpq: a leading space, then E'' with doubled backslashes.
        assert_eq!(escape_literal("a\\b"), " E'a\\\\b'");
        assert_eq!(escape_identifier("My \"T\""), "\"My \"\"T\"\"\"");
        assert_eq!(shell_string("abc.txt").as_deref(), Some("abc.txt"));
        assert_eq!(shell_string("it's").as_deref(), Some("'it'\"'\"'s'"));
        assert_eq!(shell_string("a\nb"), None);
    }
}
