//! Telling SQL from Rhai at the prompt, and knowing when an input is complete. Pure functions.
//!
//! The rule (documented in the README): input starting with `\` is a meta-command. Otherwise, in the default
//! Rhai mode, input whose first word is a SQL command keyword is SQL — unless that word is directly followed
//! by `(`, `.`, `[` or `=` (so Rhai code such as `values(m)` or `table.len()` stays Rhai), and `DO` counts as
//! SQL only when not followed by `{` (Rhai's `do { } while`). SQL input ends at a `;` outside quotes, dollar
//! quotes, comments and parentheses. After `\sql`, all input is SQL until `\rhai`.

use crate::sql::scan;

/// What the user is typing by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Rhai,
    Sql,
}

/// What an input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Meta,
    Sql,
    Rhai,
    Blank,
}

/// First words that make an input SQL.
pub const SQL_KEYWORDS: &[&str] = &[
    "ABORT",
    "ALTER",
    "ANALYZE",
    "BEGIN",
    "CALL",
    "CHECKPOINT",
    "CLOSE",
    "CLUSTER",
    "COMMENT",
    "COMMIT",
    "COPY",
    "CREATE",
    "DEALLOCATE",
    "DECLARE",
    "DELETE",
    "DISCARD",
    "DO",
    "DROP",
    "END",
    "EXECUTE",
    "EXPLAIN",
    "FETCH",
    "GRANT",
    "IMPORT",
    "INSERT",
    "LISTEN",
    "LOAD",
    "LOCK",
    "MERGE",
    "MOVE",
    "NOTIFY",
    "PREPARE",
    "REASSIGN",
    "REFRESH",
    "REINDEX",
    "RELEASE",
    "RESET",
    "REVOKE",
    "ROLLBACK",
    "SAVEPOINT",
    "SECURITY",
    "SELECT",
    "SET",
    "SHOW",
    "START",
    "TABLE",
    "TRUNCATE",
    "UNLISTEN",
    "UPDATE",
    "VACUUM",
    "VALUES",
    "WITH",
];

/// Classify an input (its first line is enough).
pub fn classify(text: &str, default: Lang) -> Kind {
    let t = text.trim_start();
    if t.is_empty() {
        return Kind::Blank;
    }
    if t.starts_with('\\') {
        return Kind::Meta;
    }
    match default {
        Lang::Sql => Kind::Sql,
        Lang::Rhai if looks_like_sql(t) => Kind::Sql,
        Lang::Rhai => {
            // A line that is only a SQL comment is SQL too (psql users paste those).
            if t.starts_with("--") {
                Kind::Sql
            } else {
                Kind::Rhai
            }
        }
    }
}

/// Does this Rhai-mode input start with a SQL command?
pub fn looks_like_sql(text: &str) -> bool {
    let t = scan::trim_leading(text);
    let word: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '_')
        .collect();
    if word.is_empty() {
        return false;
    }
    let upper = word.to_ascii_uppercase();
    if !SQL_KEYWORDS.contains(&upper.as_str()) {
        return false;
    }
    let rest = t[word.len()..].trim_start();
    let next = rest.chars().next();
    let glued = t[word.len()..].chars().next();
    // `values(m)`, `table.len()`, `select = 5`: Rhai using a SQL word as a name.
    if matches!(glued, Some('(' | '.' | '[')) || matches!(next, Some('=' | '.')) {
        return false;
    }
    if upper == "DO" {
        return !matches!(next, Some('{'));
    }
    // A bare identifier used as a Rhai variable (`table`, `end`) followed by an operator.
    !matches!(
        next,
        Some('+' | '-' | '*' | '/' | '%' | '<' | '>' | '!' | '?' | ')' | ',' | '}')
    ) || upper == "SELECT"
}

/// Is a SQL input complete (ends at a statement-ending `;`)? A trailing `\g` also ends it, as in psql.
pub fn sql_complete(text: &str) -> bool {
    let t = text.trim_end();
    if let Some(body) = t.strip_suffix("\\g") {
        return !scan::split(body).is_empty() || body.trim().is_empty();
    }
    scan::is_complete(text)
}

/// Remove a trailing `\g` (psql's "send the buffer").
pub fn strip_go(text: &str) -> &str {
    let t = text.trim_end();
    t.strip_suffix("\\g").map(str::trim_end).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_is_told_from_rhai() {
        for sql in [
            "SELECT 1;",
            "select * from film where length > 120;",
            "  insert into t values (1);",
            "WITH x AS (SELECT 1) SELECT * FROM x;",
            "do $$ begin end $$;",
            "DO LANGUAGE plpgsql $$ begin end $$;",
            "values (1), (2);",
            "BEGIN;",
            "show search_path;",
            "/* c */ SELECT 1;",
            "TABLE film;",
            "-- just a comment",
        ] {
            assert_eq!(classify(sql, Lang::Rhai), Kind::Sql, "{sql}");
        }
        for rhai in [
            "let x = 1;",
            "query(\"SELECT 1\")",
            "values(m)",
            "table.len()",
            "do { x += 1 } while x < 3;",
            "select = 5;",
            "values = 5;",
            "end + 1",
            "print(\"select\")",
            "for r in rows { print(r) }",
            "x",
        ] {
            assert_eq!(classify(rhai, Lang::Rhai), Kind::Rhai, "{rhai}");
        }
        assert_eq!(classify("\\dt", Lang::Rhai), Kind::Meta);
        assert_eq!(classify("   ", Lang::Rhai), Kind::Blank);
        assert_eq!(classify("let x = 1", Lang::Sql), Kind::Sql);
        assert_eq!(classify("\\rhai", Lang::Sql), Kind::Meta);
    }

    #[test]
    fn sql_completion() {
        assert!(!sql_complete("SELECT 1"));
        assert!(sql_complete("SELECT 1;"));
        assert!(!sql_complete("SELECT ';"));
        assert!(!sql_complete("SELECT $$;"));
        assert!(sql_complete("SELECT 1 \\g"));
        assert_eq!(strip_go("SELECT 1 \\g"), "SELECT 1");
        assert!(sql_complete("SELECT 1; -- done"));
    }
}
