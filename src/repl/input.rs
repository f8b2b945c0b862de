//! Telling SQL from Rhai at the prompt. Pure functions.
//!
//! The rule (documented in docs/guide.md, one unit test per clause below): input starting with `\` is a
//! meta-command. Otherwise, in the default Rhai mode, input is SQL when it starts with a `--` comment, or when
//! its first word (after leading whitespace and comments) is a SQL command keyword ([`SQL_KEYWORDS`]) — unless
//! that word is directly followed by `(`, `.` or `[` (`values(m)`, `table.len()`, `end[0]`), or followed
//! after spaces by `=` or `.` (`select = 5`), or, for any keyword but `SELECT`, followed by an operator or a
//! closing bracket `+ - * / % < > ! ? ) , }` (`end + 1`: a variable named like a keyword); `DO` counts as
//! SQL only when not followed by `{` (Rhai's `do { } while`). `SELECT(` is SQL (`SELECT(1);`), and so is a
//! parenthesised query: `(` (any number, with spaces) then `SELECT`, `VALUES`, `WITH` or `TABLE` read by the
//! same rule (`(SELECT 1) UNION (SELECT 2);`). The rule is asked only of a line that starts a statement:
//! Rhai input then runs to where Rhai's parser finds it complete, and everything else is read by the psql
//! engine exactly as psql reads it. After `\sql`, all input is SQL until `\rhai`.
//!
//! Rhai input that fails and starts with a word a typo away from a SQL command gets a hint
//! ([`sql_typo`]): `SELEC 1;` is neither language, and the user most likely meant `SELECT`.

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

/// Keywords that start a query inside parentheses (`(SELECT 1) UNION (SELECT 2)`).
const PAREN_QUERY: &[&str] = &["SELECT", "VALUES", "WITH", "TABLE"];

/// Does this Rhai-mode input start with a SQL command?
pub fn looks_like_sql(text: &str) -> bool {
    let t = crate::sql::lexer::trim_leading(text);
    // A parenthesised query: Rhai's `(x + 1)` starts with no keyword, or with one used as a name.
    if let Some(inner) = t.strip_prefix('(') {
        let inner = crate::sql::lexer::trim_leading(inner);
        let word: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let is_query =
            inner.starts_with('(') || PAREN_QUERY.contains(&word.to_ascii_uppercase().as_str());
        return is_query && looks_like_sql(inner);
    }
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
    // `SELECT(1)`: no Rhai function is called that, but SQL reads it as a query.
    if upper == "SELECT" && glued == Some('(') {
        return true;
    }
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

/// The SQL command a failed Rhai input most likely meant, when its first word is a typo away from one
/// (`SELEC 1;`, `UPDTAE t SET …`, `slect(1)`): a word of letters only, at least three long, followed by
/// a space, `(`, `*`, `;` or the end, that is a prefix of a command keyword or within an edit distance of
/// one (two for words of six letters or more; a swap of two letters counts as one edit).
pub fn sql_typo(text: &str) -> Option<&'static str> {
    let t = crate::sql::lexer::trim_leading(text);
    let word: String = t.chars().take_while(char::is_ascii_alphabetic).collect();
    let after = t[word.len()..].chars().next();
    if word.len() < 3 || !matches!(after, None | Some(' ' | '\t' | '\n' | '(' | '*' | ';')) {
        return None;
    }
    let upper = word.to_ascii_uppercase();
    if SQL_KEYWORDS.contains(&upper.as_str()) || RHAI_WORDS.contains(&word.as_str()) {
        return None;
    }
    // A beginning of a command (`SEL`, `CREAT`) is what was meant; of several, the most common.
    if let Some(k) = COMMON_FIRST
        .iter()
        .chain(SQL_KEYWORDS)
        .find(|k| k.starts_with(upper.as_str()))
    {
        return Some(k);
    }
    let limit = if upper.len() >= 6 { 2 } else { 1 };
    COMMON_FIRST
        .iter()
        .chain(SQL_KEYWORDS)
        .map(|k| (edit_distance(&upper, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Commands typed most, tried first when several are as close.
const COMMON_FIRST: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "WITH", "BEGIN", "COMMIT",
];

/// Rhai's keywords and common functions: a typo of SQL never, whatever they are near to.
const RHAI_WORDS: &[&str] = &[
    "let", "const", "for", "while", "loop", "return", "throw", "try", "catch", "switch", "import",
    "export", "print", "debug", "true", "false", "this", "type_of", "else", "break", "continue",
    "query", "fn", "private", "global", "exit", "sleep",
];

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
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
        // SELECT directly followed by `(` is SQL.
        assert_eq!(k("SELECT(1);"), Kind::Sql);
        assert_eq!(k("select(1) + 1;"), Kind::Sql);
        // A parenthesised query is SQL, a parenthesised Rhai expression is not.
        assert_eq!(k("(SELECT 1) UNION (SELECT 2);"), Kind::Sql);
        assert_eq!(k("( ( select 1) ) union select 2;"), Kind::Sql);
        assert_eq!(k("(VALUES (1)) UNION ALL (VALUES (2));"), Kind::Sql);
        assert_eq!(k("(WITH x AS (SELECT 1) SELECT * FROM x);"), Kind::Sql);
        assert_eq!(k("(x + 1) * 2"), Kind::Rhai);
        assert_eq!(k("(values + 1)"), Kind::Rhai);
        assert_eq!(k("(table.len())"), Kind::Rhai);
        assert_eq!(k("(delete)"), Kind::Rhai);
        assert_eq!(k("(1, 2)"), Kind::Rhai);
    }

    #[test]
    fn typos_of_sql_commands_are_named() {
        assert_eq!(sql_typo("SELEC 1;"), Some("SELECT"));
        assert_eq!(sql_typo("selct * from t;"), Some("SELECT"));
        assert_eq!(sql_typo("SLEECT 1"), Some("SELECT"));
        assert_eq!(sql_typo("updte t set a = 1;"), Some("UPDATE"));
        assert_eq!(sql_typo("creat table t (a int);"), Some("CREATE"));
        assert_eq!(sql_typo("delet from t;"), Some("DELETE"));
        assert_eq!(sql_typo("inser into t values (1);"), Some("INSERT"));
        assert_eq!(sql_typo("sel 1"), Some("SELECT"));
        assert_eq!(sql_typo("  /* c */ SELEC(1);"), Some("SELECT"));
        // Rhai, and words too far from any command, get no hint.
        for rhai in [
            "let x = ;",
            "query(1, 2)",
            "foo bar",
            "x",
            "se 1",
            "selected_rows + 1",
            "SELECT 1;",
            "print(1",
            "seletcion 1",
            "select_x 1",
        ] {
            assert_eq!(sql_typo(rhai), None, "{rhai}");
        }
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("SELECT", "SELECT"), 0);
        assert_eq!(edit_distance("SELEC", "SELECT"), 1);
        assert_eq!(edit_distance("SLEECT", "SELECT"), 1);
        assert_eq!(edit_distance("SELETC", "SELECT"), 1);
        assert_eq!(edit_distance("ABC", ""), 3);
        assert_eq!(edit_distance("KITTEN", "SITTING"), 3);
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
