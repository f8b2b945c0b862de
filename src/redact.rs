//! Scrubbing secrets out of text that may be shown: passwords in connection strings and URIs, in
//! `password: "…"` map entries and in SQL's `PASSWORD '…'`. History lines, echoed statements and error
//! messages go through here, since any of them can repeat what the user typed.

/// Replace the password in any connection-string-like text with `****`: URIs
/// `scheme://user:pass@`, `password=...` (also `PGPASSWORD=`, `sslpassword=`), quoted or not, and
/// `password: "..."` map entries. Errs toward hiding too much, since it scrubs history lines and
/// error messages that may echo user input.
pub fn redact_secrets(text: &str) -> String {
    redact_sql_passwords(&redact_keyed(&redact_uris(text)))
}

/// SQL's `PASSWORD '…'` (CREATE/ALTER ROLE/USER): the literal becomes `'****'`.
fn redact_sql_passwords(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let at_word = (i == 0 || !chars[i - 1].is_alphanumeric() && chars[i - 1] != '_')
            && chars.len() >= i + 8
            && chars[i..i + 8]
                .iter()
                .collect::<String>()
                .eq_ignore_ascii_case("password");
        if !at_word {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        out.extend(&chars[i..i + 8]);
        i += 8;
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j < chars.len()
            && (chars[j] == 'E' || chars[j] == 'e')
            && chars.get(j + 1) == Some(&'\'')
        {
            j += 1;
        }
        if chars.get(j) == Some(&'$') {
            // A dollar-quoted literal: $$…$$ or $tag$…$tag$.
            let mut t = j + 1;
            while t < chars.len() && (chars[t].is_alphanumeric() || chars[t] == '_') {
                t += 1;
            }
            if chars.get(t) == Some(&'$') {
                let tag: String = chars[j..=t].iter().collect();
                let body: String = chars[t + 1..].iter().collect();
                out.extend(&chars[i..=t]);
                out.push_str(MASK);
                match body.find(&tag) {
                    Some(end) => {
                        out.push_str(&tag);
                        i = t + 1 + body[..end].chars().count() + tag.chars().count();
                    }
                    None => i = chars.len(),
                }
                continue;
            }
        }
        if chars.get(j) != Some(&'\'') {
            continue;
        }
        // Copy up to the opening quote, then skip the literal ('' is an escaped quote inside it).
        out.extend(&chars[i..=j]);
        let mut k = j + 1;
        while k < chars.len() {
            if chars[k] == '\'' {
                if chars.get(k + 1) == Some(&'\'') {
                    k += 2;
                    continue;
                }
                break;
            }
            k += 1;
        }
        out.push_str(MASK);
        if k < chars.len() {
            out.push('\'');
        }
        i = k + 1;
    }
    out
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
