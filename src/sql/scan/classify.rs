//! Light statement classification from tokens: the leading keywords, what a statement does to the
//! transaction state, its command tag, whether it returns rows, and what a COPY reads or writes. These are
//! best-effort guesses from the text.

use crate::sql::lexer::{tokens, Tok};

/// Tokens paired with their parenthesis depth relative to the statement's leading parentheses
/// (so the body of `(SELECT ...)` counts as top level).
fn leveled(sql: &str) -> impl Iterator<Item = (i64, Tok<'_>)> {
    let base = tokens(sql).take_while(|t| *t == Tok::Punct(b'(')).count();
    let base = i64::try_from(base).unwrap_or(i64::MAX);
    let mut depth = 0i64;
    // Both parentheses of a group get the level of the text around them.
    tokens(sql).map(move |t| {
        let level = match t {
            Tok::Punct(b'(') => {
                depth += 1;
                depth - 1 - base
            }
            Tok::Punct(b')') => {
                depth -= 1;
                depth - base
            }
            _ => depth - base,
        };
        (level, t)
    })
}

fn is_word(t: &Tok<'_>, kw: &str) -> bool {
    matches!(t, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
}

/// Is `kw` a top-level word of the statement (outside any parentheses)?
fn has_top_level_word(sql: &str, kw: &str) -> bool {
    leveled(sql).any(|(level, t)| level == 0 && is_word(&t, kw))
}

/// Does the statement contain `words` in sequence at top level?
fn has_top_level_phrase(sql: &str, words: &[&str]) -> bool {
    let top: Vec<Tok<'_>> = leveled(sql)
        .filter(|(level, t)| *level == 0 && !matches!(t, Tok::Punct(b'(' | b')')))
        .map(|(_, t)| t)
        .collect();
    top.windows(words.len())
        .any(|w| w.iter().zip(words).all(|(t, kw)| is_word(t, kw)))
}

/// The first `n` keywords of a statement, upper-cased, skipping leading whitespace, comments and opening parens
/// (used to classify statements: BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK \[TO\] / ABORT / SAVEPOINT /
/// CREATE TABLE / INSERT / COPY ... FROM STDIN, etc.). A keyword is a run of identifier characters; stop at the first
/// non-keyword token.
pub fn leading_keywords(sql: &str, n: usize) -> Vec<String> {
    tokens(sql)
        .skip_while(|t| *t == Tok::Punct(b'('))
        .map_while(|t| match t {
            Tok::Word(w) => Some(w.to_ascii_uppercase()),
            _ => None,
        })
        .take(n)
        .collect()
}

/// The verb of the statement a `WITH` clause belongs to (upper-cased), if it can be found.
fn with_main_verb(sql: &str) -> Option<String> {
    const VERBS: [&str; 7] = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE",
    ];
    let mut prev: Option<Tok<'_>> = None;
    for (level, t) in leveled(sql) {
        if level != 0 {
            continue;
        }
        if let Tok::Word(w) = t {
            // Right after WITH, RECURSIVE or a comma a word names a CTE, even an unreserved verb.
            let names_cte = prev.is_some_and(|p| {
                p == Tok::Punct(b',') || is_word(&p, "WITH") || is_word(&p, "RECURSIVE")
            });
            if !names_cte {
                if let Some(verb) = VERBS.iter().find(|v| w.eq_ignore_ascii_case(v)) {
                    return Some((*verb).to_string());
                }
            }
        }
        prev = Some(t);
    }
    None
}

/// What a statement does to the session's transaction state.
///
/// `COMMIT AND CHAIN` / `ROLLBACK AND CHAIN` end the transaction and immediately open a new one,
/// so they report [`TxEffect::Begin`] (a fresh transaction without savepoints).
/// `COMMIT PREPARED` / `ROLLBACK PREPARED` act on another, prepared transaction: [`TxEffect::None`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxEffect {
    None,
    Begin,
    Commit,
    Rollback,
    Savepoint,
    RollbackToSavepoint,
    ReleaseSavepoint,
    PrepareTransaction,
}

/// Classify a statement's effect on the transaction state (see [`TxEffect`]).
pub fn tx_effect(sql: &str) -> TxEffect {
    let kw = leading_keywords(sql, 6);
    let w = |i: usize| kw.get(i).map_or("", String::as_str);
    // Optional WORK / TRANSACTION noise word after COMMIT / ROLLBACK / END / ABORT.
    let after_noise = if matches!(w(1), "WORK" | "TRANSACTION") {
        2
    } else {
        1
    };
    let chained = w(after_noise) == "AND" && w(after_noise + 1) == "CHAIN";
    match w(0) {
        "BEGIN" => TxEffect::Begin,
        "START" if w(1) == "TRANSACTION" => TxEffect::Begin,
        "COMMIT" | "END" if w(1) == "PREPARED" => TxEffect::None,
        "COMMIT" | "END" if chained => TxEffect::Begin,
        "COMMIT" | "END" => TxEffect::Commit,
        "ROLLBACK" if w(1) == "PREPARED" => TxEffect::None,
        "ROLLBACK" | "ABORT" if w(after_noise) == "TO" => TxEffect::RollbackToSavepoint,
        "ROLLBACK" | "ABORT" if chained => TxEffect::Begin,
        "ROLLBACK" | "ABORT" => TxEffect::Rollback,
        "SAVEPOINT" => TxEffect::Savepoint,
        "RELEASE" => TxEffect::ReleaseSavepoint,
        "PREPARE" if w(1) == "TRANSACTION" => TxEffect::PrepareTransaction,
        _ => TxEffect::None,
    }
}

/// Object kinds as they appear after CREATE / ALTER / DROP, and the name PostgreSQL's command tag uses.
const OBJECT_KINDS: &[(&[&str], &str)] = &[
    (&["ACCESS", "METHOD"], "ACCESS METHOD"),
    (&["AGGREGATE"], "AGGREGATE"),
    (&["CAST"], "CAST"),
    (&["COLLATION"], "COLLATION"),
    (&["CONVERSION"], "CONVERSION"),
    (&["DATABASE"], "DATABASE"),
    (&["DEFAULT", "PRIVILEGES"], "DEFAULT PRIVILEGES"),
    (&["DOMAIN"], "DOMAIN"),
    (&["EVENT", "TRIGGER"], "EVENT TRIGGER"),
    (&["EXTENSION"], "EXTENSION"),
    (&["FOREIGN", "DATA", "WRAPPER"], "FOREIGN DATA WRAPPER"),
    (&["FOREIGN", "TABLE"], "FOREIGN TABLE"),
    (&["FUNCTION"], "FUNCTION"),
    (&["GROUP"], "ROLE"),
    (&["INDEX"], "INDEX"),
    (&["LANGUAGE"], "LANGUAGE"),
    (&["LARGE", "OBJECT"], "LARGE OBJECT"),
    (&["MATERIALIZED", "VIEW"], "MATERIALIZED VIEW"),
    (&["OPERATOR", "CLASS"], "OPERATOR CLASS"),
    (&["OPERATOR", "FAMILY"], "OPERATOR FAMILY"),
    (&["OPERATOR"], "OPERATOR"),
    (&["OWNED"], "OWNED"),
    (&["POLICY"], "POLICY"),
    (&["PROCEDURE"], "PROCEDURE"),
    (&["PUBLICATION"], "PUBLICATION"),
    (&["ROLE"], "ROLE"),
    (&["ROUTINE"], "ROUTINE"),
    (&["RULE"], "RULE"),
    (&["SCHEMA"], "SCHEMA"),
    (&["SEQUENCE"], "SEQUENCE"),
    (&["SERVER"], "SERVER"),
    (&["STATISTICS"], "STATISTICS"),
    (&["SUBSCRIPTION"], "SUBSCRIPTION"),
    (&["SYSTEM"], "SYSTEM"),
    (&["TABLE"], "TABLE"),
    (&["TABLESPACE"], "TABLESPACE"),
    (
        &["TEXT", "SEARCH", "CONFIGURATION"],
        "TEXT SEARCH CONFIGURATION",
    ),
    (&["TEXT", "SEARCH", "DICTIONARY"], "TEXT SEARCH DICTIONARY"),
    (&["TEXT", "SEARCH", "PARSER"], "TEXT SEARCH PARSER"),
    (&["TEXT", "SEARCH", "TEMPLATE"], "TEXT SEARCH TEMPLATE"),
    (&["TRANSFORM"], "TRANSFORM"),
    (&["TRIGGER"], "TRIGGER"),
    (&["TYPE"], "TYPE"),
    (&["USER", "MAPPING"], "USER MAPPING"),
    (&["USER"], "ROLE"),
    (&["VIEW"], "VIEW"),
];

/// Words between the verb and the object kind that do not change the tag
/// (`CREATE OR REPLACE`, `TEMP`, `UNIQUE`, `CONSTRAINT TRIGGER`, `DEFAULT CONVERSION`, ...).
const OBJECT_MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "GLOBAL",
    "LOCAL",
    "UNLOGGED",
    "UNIQUE",
    "TRUSTED",
    "PROCEDURAL",
    "RECURSIVE",
    "CONSTRAINT",
    "DEFAULT",
];

/// The object kind after a CREATE/ALTER/DROP verb (`kw[0]`), longest match first.
fn object_kind(kw: &[String]) -> Option<&'static str> {
    let mut i = 1;
    loop {
        let rest = kw.get(i..)?;
        let found = OBJECT_KINDS
            .iter()
            .filter(|(words, _)| {
                rest.len() >= words.len() && words.iter().zip(rest).all(|(a, b)| *a == b.as_str())
            })
            .max_by_key(|(words, _)| words.len());
        if let Some((_, name)) = found {
            return Some(*name);
        }
        if !OBJECT_MODIFIERS.contains(&rest.first()?.as_str()) {
            return None;
        }
        i += 1;
    }
}

/// psql-style command tag for a statement that affected `rows` rows, e.g. "INSERT 0 3", "UPDATE 2", "DELETE 0",
/// "SELECT 5", "CREATE TABLE", "DROP INDEX", "ALTER TABLE", "CREATE FUNCTION" (for CREATE OR REPLACE FUNCTION),
/// "CREATE INDEX" (for CREATE UNIQUE INDEX \[CONCURRENTLY\]), "CREATE TABLE" (for CREATE TEMP/UNLOGGED TABLE),
/// "CREATE TABLE AS" → "SELECT n" as PostgreSQL does, "BEGIN", "COMMIT", "ROLLBACK", "SET", "COPY n", "MERGE n",
/// "FETCH n", "MOVE n", "TRUNCATE TABLE", "GRANT", "REVOKE", "VACUUM", "ANALYZE", "EXPLAIN"→none, "DO", "CALL",
/// "SHOW"→none, "COMMENT", "PREPARE", "EXECUTE", "DEALLOCATE", "LISTEN", "NOTIFY", "DISCARD ALL", "LOCK TABLE".
///
/// Follows PostgreSQL's `cmdtaglist.h`. What the text cannot tell: the server answers `COMMIT` with
/// "ROLLBACK" when the transaction had failed, and `EXECUTE` with the prepared statement's own tag.
/// Returns `None` for statements without a well-known tag (and for EXPLAIN and SHOW, which return rows).
pub fn command_tag(sql: &str, rows: u64) -> Option<String> {
    let kw = leading_keywords(sql, 8);
    let w = |i: usize| kw.get(i).map_or("", String::as_str);
    let fixed = |tag: &str| Some(tag.to_string());
    match w(0) {
        "SELECT" | "VALUES" | "TABLE" => Some(format!("SELECT {rows}")),
        "WITH" => match with_main_verb(sql)?.as_str() {
            "INSERT" => Some(format!("INSERT 0 {rows}")),
            "UPDATE" => Some(format!("UPDATE {rows}")),
            "DELETE" => Some(format!("DELETE {rows}")),
            "MERGE" => Some(format!("MERGE {rows}")),
            _ => Some(format!("SELECT {rows}")),
        },
        "INSERT" => Some(format!("INSERT 0 {rows}")),
        "UPDATE" => Some(format!("UPDATE {rows}")),
        "DELETE" => Some(format!("DELETE {rows}")),
        "MERGE" => Some(format!("MERGE {rows}")),
        "COPY" => Some(format!("COPY {rows}")),
        "FETCH" => Some(format!("FETCH {rows}")),
        "MOVE" => Some(format!("MOVE {rows}")),
        "CREATE" => {
            let kind = object_kind(&kw)?;
            let fills = match kind {
                "TABLE" => has_top_level_word(sql, "AS"),
                "MATERIALIZED VIEW" => true,
                _ => false,
            };
            // CREATE TABLE AS / CREATE MATERIALIZED VIEW report the rows they stored, unless
            // WITH NO DATA skipped the query.
            if fills && !has_top_level_phrase(sql, &["WITH", "NO", "DATA"]) {
                Some(format!("SELECT {rows}"))
            } else if kind == "TABLE" && fills {
                fixed("CREATE TABLE AS")
            } else {
                Some(format!("CREATE {kind}"))
            }
        }
        verb @ ("ALTER" | "DROP") => Some(format!("{verb} {}", object_kind(&kw)?)),
        "BEGIN" => fixed("BEGIN"),
        "START" => fixed("START TRANSACTION"),
        "COMMIT" | "END" if w(1) == "PREPARED" => fixed("COMMIT PREPARED"),
        "COMMIT" | "END" => fixed("COMMIT"),
        "ROLLBACK" if w(1) == "PREPARED" => fixed("ROLLBACK PREPARED"),
        "ROLLBACK" | "ABORT" => fixed("ROLLBACK"),
        "SAVEPOINT" => fixed("SAVEPOINT"),
        "RELEASE" => fixed("RELEASE"),
        "PREPARE" if w(1) == "TRANSACTION" => fixed("PREPARE TRANSACTION"),
        "PREPARE" => fixed("PREPARE"),
        "EXECUTE" => fixed("EXECUTE"),
        "DEALLOCATE" if w(1) == "ALL" || (w(1) == "PREPARE" && w(2) == "ALL") => {
            fixed("DEALLOCATE ALL")
        }
        "DEALLOCATE" => fixed("DEALLOCATE"),
        "SET" if w(1) == "CONSTRAINTS" => fixed("SET CONSTRAINTS"),
        "SET" => fixed("SET"),
        "RESET" => fixed("RESET"),
        "TRUNCATE" => fixed("TRUNCATE TABLE"),
        // GRANT/REVOKE of privileges always name the objects with ON; role membership never does.
        verb @ ("GRANT" | "REVOKE") => {
            if has_top_level_word(sql, "ON") {
                fixed(verb)
            } else {
                Some(format!("{verb} ROLE"))
            }
        }
        "VACUUM" => fixed("VACUUM"),
        "ANALYZE" | "ANALYSE" => fixed("ANALYZE"),
        "CLUSTER" => fixed("CLUSTER"),
        "REINDEX" => fixed("REINDEX"),
        "CHECKPOINT" => fixed("CHECKPOINT"),
        "LOAD" => fixed("LOAD"),
        "LISTEN" => fixed("LISTEN"),
        "UNLISTEN" => fixed("UNLISTEN"),
        "NOTIFY" => fixed("NOTIFY"),
        "DO" => fixed("DO"),
        "CALL" => fixed("CALL"),
        "COMMENT" => fixed("COMMENT"),
        "SECURITY" if w(1) == "LABEL" => fixed("SECURITY LABEL"),
        "LOCK" => fixed("LOCK TABLE"),
        "DECLARE" => fixed("DECLARE CURSOR"),
        "CLOSE" if w(1) == "ALL" => fixed("CLOSE CURSOR ALL"),
        "CLOSE" => fixed("CLOSE CURSOR"),
        "DISCARD" => match w(1) {
            "ALL" => fixed("DISCARD ALL"),
            "PLANS" => fixed("DISCARD PLANS"),
            "SEQUENCES" => fixed("DISCARD SEQUENCES"),
            "TEMP" | "TEMPORARY" => fixed("DISCARD TEMP"),
            _ => fixed("DISCARD"),
        },
        "REFRESH" => fixed("REFRESH MATERIALIZED VIEW"),
        "REASSIGN" => fixed("REASSIGN OWNED"),
        "IMPORT" => fixed("IMPORT FOREIGN SCHEMA"),
        _ => None,
    }
}

/// Does this statement return rows to the client? (SELECT, VALUES, TABLE, WITH...SELECT, SHOW, EXPLAIN, FETCH,
/// anything with RETURNING) — a best-effort guess from the text, used only for display decisions.
///
/// `SELECT ... INTO table` does not; `EXECUTE` is assumed to (prepared statements are mostly
/// queries); `CALL` is assumed not to, although procedures with OUT parameters return a row.
#[cfg(test)]
pub fn returns_rows(sql: &str) -> bool {
    let kw = leading_keywords(sql, 1);
    let verb = match kw.first().map(String::as_str) {
        Some("WITH") => with_main_verb(sql),
        Some(v) => Some(v.to_string()),
        None => None,
    };
    match verb.as_deref() {
        Some("SELECT") => !has_top_level_word(sql, "INTO"),
        Some("VALUES" | "TABLE" | "SHOW" | "EXPLAIN" | "FETCH" | "EXECUTE") => true,
        Some("INSERT" | "UPDATE" | "DELETE" | "MERGE") => has_top_level_word(sql, "RETURNING"),
        _ => false,
    }
}

/// Is this a `COPY … TO STDOUT` (the client receives the data)?
pub fn is_copy_to_stdout(sql: &str) -> bool {
    is_copy_via(sql, "TO", "STDOUT")
}

/// Is this statement a `COPY ... FROM STDIN` (any case, any options)?
pub fn is_copy_from_stdin(sql: &str) -> bool {
    is_copy_via(sql, "FROM", "STDIN")
}

/// A `COPY` whose top-level `direction` keyword (`TO`/`FROM`) is followed by `stream` (`STDOUT`/`STDIN`);
/// words inside a `COPY (query)` do not count.
fn is_copy_via(sql: &str, direction: &str, stream: &str) -> bool {
    if leading_keywords(sql, 1).first().map(String::as_str) != Some("COPY") {
        return false;
    }
    let mut after_direction = false;
    for (level, t) in leveled(sql) {
        if level != 0 {
            after_direction = false;
            continue;
        }
        if after_direction && is_word(&t, stream) {
            return true;
        }
        after_direction = is_word(&t, direction);
    }
    false
}

/// The data format of a COPY, as its options say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyFormat {
    Text,
    Csv,
    Binary,
}

/// What a `COPY … TO STDOUT|FROM STDIN …` statement's options say about its data: the format, and whether
/// a header line comes first (`HEADER`, `HEADER true|on|1|match`; not `HEADER false|off|0`).
pub fn copy_data_shape(sql: &str) -> (CopyFormat, bool) {
    let toks: Vec<Tok<'_>> = leveled(sql)
        .skip_while(|(level, t)| !(*level == 0 && (is_word(t, "STDOUT") || is_word(t, "STDIN"))))
        .map(|(_, t)| t)
        .collect();
    let mut format = CopyFormat::Text;
    let mut header = false;
    let mut i = 0;
    while i < toks.len() {
        let next_word = |k: usize| match toks.get(k) {
            Some(Tok::Word(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        };
        let t = &toks[i];
        if is_word(t, "CSV") {
            format = CopyFormat::Csv;
        } else if is_word(t, "BINARY") {
            format = CopyFormat::Binary;
        } else if is_word(t, "FORMAT") {
            match next_word(i + 1).as_deref() {
                Some("csv") => format = CopyFormat::Csv,
                Some("binary") => format = CopyFormat::Binary,
                Some("text") => format = CopyFormat::Text,
                _ => {}
            }
        } else if is_word(t, "HEADER") {
            header = !matches!(next_word(i + 1).as_deref(), Some("false" | "off"))
                && !matches!(toks.get(i + 1), Some(Tok::Num) if sql_zero_follows(sql));
        }
        i += 1;
    }
    (format, header)
}

/// `HEADER 0`: the one number that turns a header off.
fn sql_zero_follows(sql: &str) -> bool {
    let l = sql.to_ascii_lowercase();
    l.split("header").skip(1).any(|rest| {
        rest.trim_start()
            .strip_prefix('0')
            .is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_digit()))
    })
}

#[cfg(test)]
mod copy_direction_tests {
    use super::*;

    #[test]
    fn copy_data_shapes() {
        use CopyFormat::*;
        assert_eq!(copy_data_shape("COPY t TO STDOUT"), (Text, false));
        assert_eq!(copy_data_shape("COPY t TO STDOUT CSV HEADER"), (Csv, true));
        assert_eq!(
            copy_data_shape("COPY t TO STDOUT WITH (FORMAT csv, HEADER false)"),
            (Csv, false)
        );
        assert_eq!(
            copy_data_shape("copy t from stdin with (format csv, header 0)"),
            (Csv, false)
        );
        assert_eq!(
            copy_data_shape("copy t from stdin with (format csv, header match)"),
            (Csv, true)
        );
        assert_eq!(copy_data_shape("COPY headers TO STDOUT CSV"), (Csv, false));
        assert_eq!(
            copy_data_shape("COPY (SELECT 1 AS header, 'csv') TO STDOUT"),
            (Text, false)
        );
        assert_eq!(
            copy_data_shape("COPY t TO STDOUT (FORMAT binary)"),
            (Binary, false)
        );
    }

    #[test]
    fn copy_directions() {
        assert!(is_copy_to_stdout("COPY t TO STDOUT"));
        assert!(is_copy_to_stdout(
            "copy (select 1) to stdout with (format csv)"
        ));
        assert!(!is_copy_to_stdout("COPY t TO '/tmp/x'"));
        assert!(!is_copy_to_stdout("COPY (SELECT 'to stdout') TO '/x'"));
        assert!(!is_copy_to_stdout("SELECT 1"));
    }
}
