//! Quoting a variable's value for `:'name'`, `:"name"` and a backquoted command's `:'name'`, as psql's
//! `psql_get_variable` does with libpq's `PQescapeLiteral`/`PQescapeIdentifier` and
//! `appendShellStringNoError`. The engine's [`super::ScanCallbacks::get_variable`] calls [`quote_value`].

/// How a variable's value is to be quoted (`PsqlScanQuoteType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteType {
    /// `:name`: the value as it is.
    Plain,
    /// `:'name'`: a SQL string literal (`PQescapeLiteral`).
    SqlLiteral,
    /// `:"name"`: a SQL identifier (`PQescapeIdentifier`).
    SqlIdent,
    /// `:'name'` inside a backquoted command: one shell word.
    ShellArg,
}

/// `PQescapeLiteral`: `'…'` with quotes doubled; when the value has backslashes they are doubled too and
/// the literal is written ` E'…'` (with the leading space), so it means the same whatever
/// `standard_conforming_strings` is. A NUL cannot be sent in a query, so a value holding one is refused.
pub fn escape_literal(value: &str) -> Result<String, String> {
    escape_internal(value, false)
}

/// `PQescapeIdentifier`: `"…"` with double quotes doubled, always quoted.
pub fn escape_identifier(value: &str) -> Result<String, String> {
    escape_internal(value, true)
}

fn escape_internal(value: &str, as_ident: bool) -> Result<String, String> {
    if value.contains('\0') {
        return Err("variable value contains a zero byte and cannot be quoted".to_string());
    }
    let quote = if as_ident { '"' } else { '\'' };
    let backslashes = !as_ident && value.contains('\\');
    let mut out = String::with_capacity(value.len() + 4);
    if backslashes {
        out.push_str(" E");
    }
    out.push(quote);
    for c in value.chars() {
        if c == quote || (!as_ident && c == '\\') {
            out.push(c);
        }
        out.push(c);
    }
    out.push(quote);
    Ok(out)
}

/// `appendShellStringNoError` (Unix): the value as one shell word — as it is when it is non-empty and
/// only has `[A-Za-z0-9-_./:]`, else in single quotes with each `'` written `'"'"'`. Newlines and carriage
/// returns cannot be passed this way: psql then reports
/// `shell command argument contains a newline or carriage return: "…"`.
pub fn shell_arg(value: &str) -> Result<String, String> {
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':');
    if value.contains('\0') {
        return Err("variable value contains a zero byte and cannot be quoted".to_string());
    }
    if !value.is_empty() && value.chars().all(safe) {
        return Ok(value.to_string());
    }
    if value.contains(['\n', '\r']) {
        return Err(format!(
            "shell command argument contains a newline or carriage return: \"{value}\""
        ));
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            out.push_str("'\"'\"'");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    Ok(out)
}

/// The quoting half of `psql_get_variable`: `value` as `quote` asks. On `Err`, psql reports the message
/// (`pg_log_error`) and leaves the reference as written (the callback returns `None`).
pub fn quote_value(value: &str, quote: QuoteType) -> Result<String, String> {
    match quote {
        QuoteType::Plain => Ok(value.to_string()),
        QuoteType::SqlLiteral => escape_literal(value),
        QuoteType::SqlIdent => escape_identifier(value),
        QuoteType::ShellArg => shell_arg(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from psql 15: `psql -X -v "v=..." -c "select :'v'"` echoed with -e, and
    // `\! echo `echo :'v'`` for the shell form.
    #[test]
    fn literals_double_quotes_and_mark_backslashes() {
        assert_eq!(escape_literal("it's").as_deref(), Ok("'it''s'"));
        assert_eq!(escape_literal("a\\b").as_deref(), Ok(" E'a\\\\b'"));
        assert_eq!(escape_literal("").as_deref(), Ok("''"));
        assert_eq!(escape_literal("é'").as_deref(), Ok("'é'''"));
        assert!(escape_literal("a\0b").is_err());
    }

    #[test]
    fn identifiers_are_always_quoted() {
        assert_eq!(escape_identifier("abc").as_deref(), Ok("\"abc\""));
        assert_eq!(escape_identifier("a\"b").as_deref(), Ok("\"a\"\"b\""));
        assert_eq!(escape_identifier("a\\b").as_deref(), Ok("\"a\\b\""));
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell_arg("a-b_c./:9").as_deref(), Ok("a-b_c./:9"));
        assert_eq!(shell_arg("").as_deref(), Ok("''"));
        assert_eq!(shell_arg("a b").as_deref(), Ok("'a b'"));
        assert_eq!(shell_arg("it's").as_deref(), Ok("'it'\"'\"'s'"));
        assert_eq!(
            shell_arg("a\nb"),
            Err("shell command argument contains a newline or carriage return: \"a\nb\"".into())
        );
        assert_eq!(quote_value("x y", QuoteType::Plain).as_deref(), Ok("x y"));
    }
}
