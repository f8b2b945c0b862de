//! Scrubbing secrets out of text that may be shown: passwords in connection strings and URIs, in
//! `password: "…"` map entries and in SQL's `PASSWORD '…'`. History lines, echoed statements and error
//! messages go through here, since any of them can repeat what the user typed.

use crate::sql::lexer::{spanned, Tok};

/// Replace the password in any connection-string-like text with `****`: URIs
/// `scheme://user:pass@`, `password=...` (also `PGPASSWORD=`, `sslpassword=`), quoted or not, and
/// `password: "..."` map entries. Errs toward hiding too much, since it scrubs history lines and
/// error messages that may echo user input.
pub fn redact_secrets(text: &str) -> String {
    redact_sql_passwords(&redact_keyed(&redact_uris(text)))
}

/// SQL's `PASSWORD '…'` (CREATE/ALTER ROLE/USER): the string constant after the word becomes `****` inside
/// its quotes. The constant is read with the SQL lexer, so every quoting the server accepts is covered
/// (`'…'`, `E'…'` with backslash escapes, `$tag$…$tag$`), as are comments before it.
fn redact_sql_passwords(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = lower.get(search..).and_then(|s| s.find("password")) {
        let word = search + found;
        let after = word + "password".len();
        search = after;
        let at_word = text
            .get(..word)
            .and_then(|t| t.chars().next_back())
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let rest = text.get(after..).unwrap_or("");
        let first = spanned(rest).find(|(t, _)| *t != Tok::Comment);
        let (true, Some((Tok::Str, span))) = (at_word, first) else {
            continue;
        };
        let literal = rest.get(span.clone()).unwrap_or("");
        let (open, close) = literal_delimiters(literal);
        out.push_str(text.get(copied..after + span.start).unwrap_or(""));
        out.push_str(open);
        out.push_str(MASK);
        out.push_str(close);
        copied = after + span.end;
        search = copied;
    }
    out.push_str(text.get(copied..).unwrap_or(""));
    out
}

/// The opening and closing delimiters of a string constant (`E'` and `'`, `$tag$` twice); the closing one
/// is empty when the constant is not terminated.
fn literal_delimiters(literal: &str) -> (&str, &str) {
    if literal.starts_with('$') {
        let tag_len = literal
            .get(1..)
            .and_then(|t| t.find('$'))
            .map_or(literal.len(), |i| i + 2);
        let tag = literal.get(..tag_len).unwrap_or(literal);
        let closed = literal.len() >= 2 * tag.len() && literal.ends_with(tag);
        (tag, if closed { tag } else { "" })
    } else {
        let open_len = literal.find('\'').map_or(literal.len(), |i| i + 1);
        let closed = literal.len() > open_len && literal.ends_with('\'');
        (
            literal.get(..open_len).unwrap_or(literal),
            if closed { "'" } else { "" },
        )
    }
}

const MASK: &str = "****";

fn redact_uris(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        out.push(c);
        i += 1;
        let is_scheme_sep = c == ':'
            && chars.get(i) == Some(&'/')
            && chars.get(i + 1) == Some(&'/')
            && i >= 2
            && chars.get(i - 2).is_some_and(|p| p.is_ascii_alphanumeric());
        if !is_scheme_sep {
            continue;
        }
        out.push_str("//");
        i += 2;
        let token_end = (i..chars.len())
            .find(|&j| {
                chars
                    .get(j)
                    .is_some_and(|&c| c.is_whitespace() || "\"'`<>".contains(c))
            })
            .unwrap_or(chars.len());
        let token = chars.get(i..token_end).unwrap_or_default();
        // The last '@' ends the user part unless it sits in a query value (an '=' between the
        // first '?' and it); then the last '@' before the query does.
        let query = token.iter().position(|&c| c == '?').unwrap_or(token.len());
        let last_at = token.iter().rposition(|&c| c == '@');
        let at = match last_at {
            Some(a) if a > query && token.get(query..a).is_some_and(|q| q.contains(&'=')) => token
                .get(..query)
                .and_then(|t| t.iter().rposition(|&c| c == '@')),
            other => other,
        };
        let colon = at.and_then(|at| token.get(..at)?.iter().position(|&c| c == ':'));
        if let (Some(at), Some(colon)) = (at, colon) {
            out.extend(token.get(..=colon).unwrap_or_default());
            out.push_str(MASK);
            i += at;
        }
    }
    out
}

fn redact_keyed(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        out.push(c);
        i += 1;
        // Look for the end of a word ending in "password" (case-insensitive).
        let word_ends_here = is_word(c) && !chars.get(i).is_some_and(|&n| is_word(n));
        let ends_in_password = i >= 8
            && chars.get(i - 8..i).is_some_and(|w| {
                w.iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("password")
            });
        if !(word_ends_here && ends_in_password) {
            continue;
        }
        let mut j = i;
        if chars.get(j).is_some_and(|&c| c == '"' || c == '\'') {
            j += 1;
        }
        while chars.get(j).is_some_and(|&c| c == ' ' || c == '\t') {
            j += 1;
        }
        let Some(&sep) = chars.get(j).filter(|&&c| c == '=' || c == ':') else {
            continue;
        };
        j += 1;
        while chars.get(j).is_some_and(|&c| c == ' ' || c == '\t') {
            j += 1;
        }
        let value_start = j;
        let value_end;
        let mut closing = None;
        match chars.get(j) {
            Some(&q) if q == '\'' || q == '"' => {
                j += 1;
                loop {
                    match chars.get(j) {
                        None => break,
                        Some('\\') => j += 2,
                        Some(&c) if c == q => {
                            if q == '\'' && chars.get(j + 1) == Some(&'\'') {
                                j += 2;
                            } else {
                                closing = Some(j);
                                break;
                            }
                        }
                        Some(_) => j += 1,
                    }
                }
                let inner_end = closing.unwrap_or(chars.len()).min(chars.len());
                if inner_end <= value_start + 1 {
                    continue;
                }
                out.extend(chars.get(i..=value_start).unwrap_or_default());
                out.push_str(MASK);
                value_end = inner_end;
            }
            _ => {
                let stops: &str = if sep == '=' { "&\"'`" } else { ",;}])\"'`" };
                while let Some(&c) = chars.get(j) {
                    if c.is_whitespace() || stops.contains(c) {
                        break;
                    }
                    j += if c == '\\' { 2 } else { 1 };
                }
                let end = j.min(chars.len());
                if end == value_start {
                    continue;
                }
                out.extend(chars.get(i..value_start).unwrap_or_default());
                out.push_str(MASK);
                value_end = end;
            }
        }
        i = value_end;
    }
    out
}

#[cfg(test)]
mod fuzz_tests;

#[cfg(test)]
mod tests {
    use super::redact_secrets;

    #[test]
    fn sql_password_literals_are_masked() {
        assert_eq!(
            redact_secrets("ALTER ROLE bob PASSWORD 'hunter2';"),
            "ALTER ROLE bob PASSWORD '****';"
        );
        assert_eq!(
            redact_secrets("create user x with password E'it''s' login"),
            "create user x with password E'****' login"
        );
        assert_eq!(
            redact_secrets("SELECT password FROM t"),
            "SELECT password FROM t"
        );
        assert_eq!(redact_secrets("mypassword 'x'"), "mypassword 'x'");
        assert_eq!(
            redact_secrets("ALTER ROLE a PASSWORD $$S3cret$$; SELECT 1"),
            "ALTER ROLE a PASSWORD $$****$$; SELECT 1"
        );
        assert_eq!(
            redact_secrets("alter role a password $pw$x$y$pw$ valid until 'infinity'"),
            "alter role a password $pw$****$pw$ valid until 'infinity'"
        );
        assert_eq!(redact_secrets("PASSWORD $$open"), "PASSWORD $$****");
        // Read as the server reads it: a backslash-escaped quote in E'…' does not end the secret, and a
        // comment may come between the word and the literal.
        assert_eq!(
            redact_secrets(r"ALTER ROLE a PASSWORD E'x\'secret' LOGIN"),
            "ALTER ROLE a PASSWORD E'****' LOGIN"
        );
        assert_eq!(
            redact_secrets("ALTER ROLE a PASSWORD /* new */ 'secret'"),
            "ALTER ROLE a PASSWORD /* new */ '****'"
        );
        assert_eq!(redact_secrets("PASSWORD 'open"), "PASSWORD '****");
    }

    #[test]
    fn redact_uris() {
        assert_eq!(
            redact_secrets("psql postgresql://bob:hunter2@db/app -c 'select 1'"),
            "psql postgresql://bob:****@db/app -c 'select 1'"
        );
        assert_eq!(
            redact_secrets(r#"db.connect("postgres://bob:p@ss/w?rd@db:5432/app?sslmode=require")"#),
            r#"db.connect("postgres://bob:****@db:5432/app?sslmode=require")"#
        );
        assert_eq!(
            redact_secrets("https://u:x@example.com/a"),
            "https://u:****@example.com/a"
        );
        // No credentials: untouched.
        for text in [
            "postgresql://db:5432/app?application_name=x@y",
            "postgresql://bob@db/app",
            "see https://www.postgresql.org/docs/",
        ] {
            assert_eq!(redact_secrets(text), text);
        }
    }

    #[test]
    fn redact_keyword_values() {
        assert_eq!(
            redact_secrets("host=db password=hunter2 user=bob"),
            "host=db password=**** user=bob"
        );
        assert_eq!(
            redact_secrets(r"host=db password='hunter 2 \' x' user=bob"),
            "host=db password='****' user=bob"
        );
        assert_eq!(
            redact_secrets("PGPASSWORD=hunter2 psql -h db"),
            "PGPASSWORD=**** psql -h db"
        );
        assert_eq!(
            redact_secrets("postgresql://db/app?password=hunter2&sslmode=require"),
            "postgresql://db/app?password=****&sslmode=require"
        );
        assert_eq!(
            redact_secrets(r#"db.connect(#{host: "db", password: "hunter2"})"#),
            r#"db.connect(#{host: "db", password: "****"})"#
        );
        assert_eq!(
            redact_secrets(r#"{"password": "hunter2", "user": "bob"}"#),
            r#"{"password": "****", "user": "bob"}"#
        );
        assert_eq!(redact_secrets("sslpassword = 'k'"), "sslpassword = '****'");
        assert_eq!(
            redact_secrets(r#"connect("host=db Password=hunter2")"#),
            r#"connect("host=db Password=****")"#
        );
    }

    #[test]
    fn redact_leaves_ordinary_text_alone() {
        for text in [
            "FATAL: password authentication failed for user \"bob\"",
            "\\password bob",
            "select * from users where password_hash = $1",
            "password=",
            "password=''",
            "",
            "日本語 password",
        ] {
            assert_eq!(redact_secrets(text), text);
        }
    }
}
