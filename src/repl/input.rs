//! Telling SQL from Rhai at the prompt. Pure functions.
//!
//! The rule (documented in docs/guide.md, one unit test per clause below): input starting with `\` is a
//! meta-command. Otherwise, in the default Rhai mode, input is SQL when it starts with a `--` comment, or when
//! its first word (after leading whitespace and comments) is a SQL command keyword ([`SQL_KEYWORDS`]) — unless
//! that word is directly followed by `(`, `.` or `[` (`values(m)`, `table.len()`, `end[0]`), or followed
//! after spaces by `=` or `.` (`select = 5`), or, for any keyword but `SELECT`, followed by an operator or a
//! closing bracket `+ - * / % < > ! ? ) , }` (`end + 1`: a variable named like a keyword); `DO` counts as
//! SQL only when not followed by `{` (Rhai's `do { } while`). The rule is asked only of a line that starts
//! a statement: Rhai input then runs to where Rhai's parser finds it complete, and everything else is read
//! by the psql engine exactly as psql reads it. After `\sql`, all input is SQL until `\rhai`.

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
    let t = crate::sql::lexer::trim_leading(text);
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
    fn each_documented_classification_rule() {
        let k = |t: &str| classify(t, Lang::Rhai);
        // A meta-command.
        assert_eq!(k("  \\x"), Kind::Meta);
        // A leading `--` comment, and comments before the keyword.
        assert_eq!(k("-- note"), Kind::Sql);
        assert_eq!(k("/* c */ select 1;"), Kind::Sql);
        assert_eq!(k("/* c */ x"), Kind::Rhai);
        // Keywords are case-insensitive.
        assert_eq!(k("sElEcT 1;"), Kind::Sql);
        // Directly followed by `(`, `.` or `[`: Rhai.
        assert_eq!(k("values(m)"), Kind::Rhai);
        assert_eq!(k("table.len()"), Kind::Rhai);
        assert_eq!(k("end[0]"), Kind::Rhai);
        // ... but with a space before `(` it is SQL.
        assert_eq!(k("VALUES (1);"), Kind::Sql);
        // Followed after spaces by `=` or `.`: Rhai.
        assert_eq!(k("select = 5;"), Kind::Rhai);
        assert_eq!(k("table .len()"), Kind::Rhai);
        // Followed by an operator or closing bracket: Rhai, except after SELECT.
        for op in ["+", "-", "*", "/", "%", "<", ">", "!", "?", ")", ",", "}"] {
            assert_eq!(k(&format!("end {op} 1")), Kind::Rhai, "end {op}");
            assert_eq!(k(&format!("SELECT {op} 1")), Kind::Sql, "SELECT {op}");
        }
        assert_eq!(k("SELECT * FROM t;"), Kind::Sql);
        // DO is SQL unless followed by `{`.
        assert_eq!(k("DO $$ BEGIN END $$;"), Kind::Sql);
        assert_eq!(k("do { x += 1 } while x < 3;"), Kind::Rhai);
        // Any other first word: Rhai.
        assert_eq!(k("selectx 1"), Kind::Rhai);
        // In SQL mode everything but a meta-command is SQL.
        assert_eq!(classify("end + 1", Lang::Sql), Kind::Sql);
    }

    #[test]
    fn the_guide_lists_exactly_these_keywords() {
        let readme = include_str!("../../docs/guide.md");
        let list = readme
            .split_once("SQL\n  command keyword (`")
            .or_else(|| readme.split_once("SQL command keyword (`"))
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(list, _)| list)
            .expect("the guide's keyword list");
        let words: Vec<&str> = list.split_whitespace().collect();
        assert_eq!(words, SQL_KEYWORDS);
    }
}
