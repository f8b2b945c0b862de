//! Tab completion: what the word under the cursor can become — meta-commands, file names after `\i`, Rhai
//! functions, keywords and variables, and inside SQL (typed at the prompt or in a string passed to
//! `query`/`execute`) columns, tables, functions and keywords by place ([`sql`]), from a catalog read in
//! parts as needed ([`catalog`]), ranked by kind and recent use ([`rank`]).

pub mod catalog;
pub mod rank;
pub mod sql;

pub use catalog::{Catalog, Needs};
pub use rank::Recent;

use super::input::{classify, Kind, Lang};
use rank::Candidate;
use sql::{Analysis, Place};

/// Everything completion may offer besides the catalog.
pub struct Sources<'a> {
    pub functions: &'a [String],
    pub variables: &'a [String],
    pub meta: &'a [String],
    pub catalog: Option<&'a Catalog>,
    /// Words used in this session, which rank first among their kind.
    pub recent: &'a Recent,
    /// Directory file names are completed against (the current directory).
    pub cwd: &'a std::path::Path,
    /// What a leading `~` in a file name stands for.
    pub home: Option<&'a std::path::Path>,
}

pub const RHAI_KEYWORDS: &[&str] = &[
    "let", "const", "fn", "if", "else", "for", "in", "while", "loop", "do", "until", "break",
    "continue", "return", "throw", "try", "catch", "switch", "import", "export", "as", "true",
    "false", "private", "this", "global", "print", "debug", "type_of",
];

pub const SQL_WORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "JOIN",
    "LEFT",
    "RIGHT",
    "INNER",
    "OUTER",
    "FULL",
    "CROSS",
    "ON",
    "USING",
    "GROUP",
    "BY",
    "ORDER",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "INSERT",
    "INTO",
    "VALUES",
    "UPDATE",
    "SET",
    "DELETE",
    "RETURNING",
    "CREATE",
    "TABLE",
    "VIEW",
    "INDEX",
    "DROP",
    "ALTER",
    "ADD",
    "COLUMN",
    "PRIMARY",
    "KEY",
    "FOREIGN",
    "REFERENCES",
    "UNIQUE",
    "NOT",
    "NULL",
    "DEFAULT",
    "AND",
    "OR",
    "IN",
    "IS",
    "LIKE",
    "ILIKE",
    "BETWEEN",
    "EXISTS",
    "DISTINCT",
    "AS",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "UNION",
    "ALL",
    "WITH",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "EXPLAIN",
    "ANALYZE",
    "TRUNCATE",
    "COPY",
    "GRANT",
    "REVOKE",
    "ASC",
    "DESC",
    "COUNT",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "OVER",
    "PARTITION",
    "WINDOW",
    "SHOW",
    "VACUUM",
];

/// Functions that take SQL as their first argument: completion looks inside their string literal.
const SQL_TAKING: &[&str] = &[
    "query",
    "execute",
    "query_one",
    "query_value",
    "stream",
    "explain",
    "copy_out",
];

/// What the word at the cursor is, and where it starts.
#[derive(Debug, PartialEq, Eq)]
pub enum Context {
    Meta {
        start: usize,
    },
    File {
        start: usize,
    },
    /// `sql` is the SQL text up to the cursor; `statement` the whole SQL (FROM may follow the cursor).
    Sql {
        start: usize,
        before: String,
        statement: String,
    },
    Rhai {
        start: usize,
    },
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where the identifier ending at `pos` starts (`.` included for `schema.table` and `row.field`).
fn word_start(line: &str, pos: usize, dots: bool) -> usize {
    line[..pos]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c) || (dots && *c == '.'))
        .last()
        .map(|(i, _)| i)
        .unwrap_or(pos)
}

/// Find the completion context. `pending` holds earlier lines of a multi-line input.
pub fn context(pending: &str, line: &str, pos: usize, lang: Lang) -> Context {
    let pos = pos.min(line.len());
    let full_before = format!("{pending}{}", &line[..pos]);
    let full = format!("{pending}{line}");
    if pending.is_empty() && line.trim_start().starts_with('\\') {
        let body = line.trim_start();
        let offset = line.len() - body.len();
        let first_end = body.find(char::is_whitespace).map(|i| i + offset);
        match first_end {
            Some(end) if pos > end => {
                let cmd = line[offset + 1..end].trim_end_matches('+');
                let start = line[..pos]
                    .rfind(char::is_whitespace)
                    .map(|i| i + 1)
                    .unwrap_or(pos);
                return if matches!(cmd, "i" | "ir" | "include" | "e") {
                    Context::File { start }
                } else {
                    Context::Sql {
                        start: word_start(line, pos, true),
                        before: format!("FROM {}", &line[start..pos]),
                        statement: format!("FROM {}", &line[start..]),
                    }
                };
            }
            _ => {
                return Context::Meta {
                    start: offset.min(pos),
                }
            }
        }
    }
    if classify(&full, lang) == Kind::Sql {
        return Context::Sql {
            start: word_start(line, pos, true),
            before: full_before,
            statement: full,
        };
    }
    if let Some(open) = open_sql_string(&full_before) {
        let statement_end = full[open..]
            .find(['"', '`'])
            .map(|i| open + i)
            .unwrap_or(full.len());
        return Context::Sql {
            start: word_start(line, pos, true),
            before: full_before[open..].to_string(),
            statement: full[open..statement_end].to_string(),
        };
    }
    Context::Rhai {
        start: word_start(line, pos, true),
    }
}

/// If `text` ends inside a string literal that is the first argument of `query(`/`execute(`/…, the byte
/// offset where the string's content starts.
fn open_sql_string(text: &str) -> Option<usize> {
    let mut in_str: Option<(char, usize)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match in_str {
            Some((q, _)) if c == '\\' && q == '"' => {
                chars.next();
            }
            Some((q, _)) if c == q => in_str = None,
            Some(_) => {}
            None if c == '"' || c == '`' => in_str = Some((c, i + 1)),
            None if c == '/' && chars.peek().is_some_and(|(_, n)| *n == '/') => {
                // A line comment runs to the end of the line.
                for (_, n) in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            None => {}
        }
    }
    let (_, start) = in_str?;
    let before = text[..start - 1].trim_end();
    let before = before.strip_suffix('(')?.trim_end();
    let name_start = word_start(before, before.len(), false);
    SQL_TAKING.contains(&&before[name_start..]).then_some(start)
}

fn matches_prefix(candidate: &str, prefix: &str) -> bool {
    candidate.len() >= prefix.len()
        && candidate
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// Keep candidates that start with `prefix`, in the case the user is typing, sorted, unique.
fn filter(cands: impl IntoIterator<Item = String>, prefix: &str) -> Vec<String> {
    let upper = !prefix.is_empty() && prefix.chars().all(|c| !c.is_lowercase());
    let mut v: Vec<String> = cands
        .into_iter()
        .filter(|c| matches_prefix(c, prefix))
        .map(|c| {
            // Keywords follow the user's case; catalog names keep theirs.
            if c.chars().all(|ch| !ch.is_lowercase()) && !upper {
                c.to_lowercase()
            } else {
                c
            }
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Complete the word at `pos`: (where the replacement starts, candidates).
pub fn complete(
    pending: &str,
    line: &str,
    pos: usize,
    lang: Lang,
    src: &Sources,
) -> (usize, Vec<String>) {
    let pos = pos.min(line.len());
    match context(pending, line, pos, lang) {
        Context::Meta { start } => {
            let typed = line.get(start..pos).unwrap_or("").trim_start_matches('\\');
            let c = src
                .meta
                .iter()
                .filter(|m| m.starts_with(typed))
                .map(|m| format!("\\{m}"))
                .collect();
            (start, c)
        }
        Context::File { start } => (start, files(&line[start..pos], src.cwd, src.home)),
        Context::Rhai { start } => {
            let word = &line[start..pos];
            if word.contains('.') {
                // A method or property: offer the common array/rows/map methods after the last dot.
                let dot = start + word.rfind('.').map(|i| i + 1).unwrap_or(0);
                let methods = [
                    "len",
                    "filter",
                    "map",
                    "reduce",
                    "for_each",
                    "find",
                    "some",
                    "all",
                    "columns",
                    "to_array",
                    "first",
                    "last",
                    "column",
                    "keys",
                    "values",
                    "contains",
                    "query",
                    "execute",
                    "query_one",
                    "query_value",
                    "close",
                    "info",
                    "transaction",
                    "begin",
                    "commit",
                    "rollback",
                ];
                return (
                    dot,
                    filter(methods.iter().map(|s| s.to_string()), &line[dot..pos]),
                );
            }
            let cands = src
                .functions
                .iter()
                .cloned()
                .chain(src.variables.iter().cloned())
                .chain(RHAI_KEYWORDS.iter().map(|s| s.to_string()));
            let mut v: Vec<String> = cands.filter(|c| c.starts_with(word)).collect();
            v.sort();
            v.dedup();
            (start, v)
        }
        Context::Sql {
            start,
            before,
            statement,
        } => (
            start,
            sql_candidates(
                &line[start..pos],
                &before,
                &statement,
                src.catalog,
                src.recent,
            ),
        ),
    }
}

/// The SQL analysis for completing `word`, which `before` (the SQL up to the cursor) ends with;
/// `statement` is the whole SQL text, `before` its start.
fn analysis(word: &str, before: &str, statement: &str) -> Analysis {
    let head = before.strip_suffix(word).unwrap_or(before);
    let after = statement.get(before.len()..).unwrap_or("");
    sql::analyse(head, word, after)
}

/// What the catalog must hold for a completion at `pos` (`None` outside SQL): the caller reads it before
/// calling [`complete`].
pub fn catalog_needs(pending: &str, line: &str, pos: usize, lang: Lang) -> Option<Needs> {
    let pos = pos.min(line.len());
    match context(pending, line, pos, lang) {
        Context::Sql {
            start,
            before,
            statement,
        } => {
            let word = line.get(start..pos).unwrap_or("");
            Some(needs_of(&analysis(word, &before, &statement), word))
        }
        _ => None,
    }
}

fn needs_of(a: &Analysis, word: &str) -> Needs {
    use catalog::Names;
    let columns = a.column_tables().into_iter().cloned().collect();
    match &a.place {
        Place::Relation => Needs {
            relations: Some(Names::new(None, word)),
            ..Needs::default()
        },
        Place::Expression => Needs {
            // An empty word offers no functions (only the columns in scope).
            functions: (!word.is_empty()).then(|| Names::new(None, word)),
            columns,
            ..Needs::default()
        },
        Place::TargetColumn => Needs {
            columns,
            ..Needs::default()
        },
        Place::Qualified(q) => Needs {
            relations: a.resolve(q).is_none().then(|| {
                let rest = word.rsplit_once('.').map_or("", |(_, r)| r);
                Names::new(Some(sql::fold(q)), rest)
            }),
            columns,
            ..Needs::default()
        },
        _ => Needs::default(),
    }
}

/// A function name as it can be typed: quoted only when it is not a plain lower-case name (keywords such as
/// `left` are valid function names).
fn function_name(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        crate::sql::quote::fmt_id(name)
    }
}

/// The SQL candidates for `word`, best first.
fn sql_candidates(
    word: &str,
    before: &str,
    statement: &str,
    catalog: Option<&Catalog>,
    recent: &Recent,
) -> Vec<String> {
    use crate::sql::quote::fmt_id;
    use rank::Kind as K;
    let a = analysis(word, before, statement);
    let none = Catalog::default();
    let cat = catalog.unwrap_or(&none);
    let columns_of = |t: &sql::TableRef| -> Vec<String> {
        cat.columns
            .get(&t.key())
            .map(|cols| cols.iter().map(|c| fmt_id(c)).collect())
            .unwrap_or_default()
    };
    let keywords = |words: &[&str]| -> Vec<Candidate> {
        words
            .iter()
            .map(|w| Candidate::new(*w, K::Keyword))
            .collect()
    };
    let cands: Vec<Candidate> = match &a.place {
        Place::Start => keywords(sql::START_WORDS),
        Place::Relation => cat
            .relations
            .iter()
            .map(|(_, r)| Candidate::new(fmt_id(r), K::Table))
            .chain(
                cat.schemas
                    .iter()
                    .map(|s| Candidate::new(format!("{}.", fmt_id(s)), K::Schema)),
            )
            .collect(),
        Place::TargetColumn => a
            .column_tables()
            .into_iter()
            .flat_map(columns_of)
            .map(|c| Candidate::new(c, K::Column))
            .collect(),
        Place::Expression => {
            let columns: Vec<Candidate> = a
                .tables
                .iter()
                .flat_map(columns_of)
                .map(|c| Candidate::new(c, K::Column))
                .collect();
            if word.is_empty() {
                // No flood: an empty word offers the columns in scope, or the few keywords that start an
                // expression when there are none.
                if columns.is_empty() {
                    keywords(sql::EXPRESSION_WORDS)
                } else {
                    columns
                }
            } else {
                columns
                    .into_iter()
                    .chain(
                        a.tables
                            .iter()
                            .map(|t| Candidate::new(fmt_id(t.visible_name()), K::Table)),
                    )
                    .chain(
                        cat.functions
                            .iter()
                            .map(|f| Candidate::new(function_name(f), K::Function)),
                    )
                    .chain(keywords(sql::EXPRESSION_WORDS))
                    .collect()
            }
        }
        Place::After(clause) => keywords(&sql::after_words(*clause)),
        Place::Qualified(q) => match a.resolve(q) {
            Some(t) => columns_of(t)
                .into_iter()
                .map(|c| Candidate::new(format!("{q}.{c}"), K::Column))
                .collect(),
            None => {
                let schema = sql::fold(q);
                cat.relations
                    .iter()
                    .filter(|(s, _)| *s == schema)
                    .map(|(_, r)| Candidate::new(format!("{q}.{}", fmt_id(r)), K::Table))
                    .collect()
            }
        },
        Place::Nothing => Vec::new(),
    };
    rank::rank(cands, word, recent)
}

/// File names in the directory part of `typed`, for `\i`; `~/` is looked up in the home directory and kept
/// in what is offered.
fn files(typed: &str, cwd: &std::path::Path, home: Option<&std::path::Path>) -> Vec<String> {
    let (dir_part, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let expanded = expand_tilde(dir_part, home);
    let dir = if expanded.is_absolute() {
        expanded
    } else {
        cwd.join(expanded)
    };
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if !name.starts_with(prefix)
                        || (name.starts_with('.') && !prefix.starts_with('.'))
                    {
                        return None;
                    }
                    let slash = if e.path().is_dir() { "/" } else { "" };
                    Some(format!("{dir_part}{name}{slash}"))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `~/` is `home` (the caller's, so tests can choose it); `~user/` is that user's home, as psql finds it.
fn expand_tilde(path: &str, home: Option<&std::path::Path>) -> std::path::PathBuf {
    match path.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => match home {
            Some(h) => {
                let mut s = h.as_os_str().to_os_string();
                s.push(rest);
                s.into()
            }
            None => path.into(),
        },
        _ => crate::psql::paths::expand_tilde(path).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let mut columns = std::collections::BTreeMap::new();
        columns.insert(
            "film".to_string(),
            vec!["film_id".into(), "title".into(), "length".into()],
        );
        columns.insert(
            "actor".to_string(),
            vec!["actor_id".into(), "first_name".into()],
        );
        Catalog::complete(
            vec!["public".into(), "sales".into()],
            vec![
                ("public".into(), "film".into()),
                ("public".into(), "film_actor".into()),
                ("public".into(), "actor".into()),
                ("sales".into(), "invoice".into()),
            ],
            columns,
            vec!["lower".into(), "length".into()],
        )
    }

    fn run(pending: &str, line: &str, lang: Lang) -> Vec<String> {
        run_at(pending, line, line.len(), lang)
    }

    fn run_at(pending: &str, line: &str, pos: usize, lang: Lang) -> Vec<String> {
        let cat = catalog();
        let functions = vec![
            "query".to_string(),
            "query_value".to_string(),
            "execute".to_string(),
        ];
        let vars = vec!["rows".to_string(), "result".to_string()];
        let meta = vec![
            "dt".to_string(),
            "d".to_string(),
            "q".to_string(),
            "timing".to_string(),
        ];
        let src = Sources {
            functions: &functions,
            variables: &vars,
            meta: &meta,
            catalog: Some(&cat),
            recent: &Recent::default(),
            cwd: std::path::Path::new("/nonexistent"),
            home: None,
        };
        complete(pending, line, pos, lang, &src).1
    }

    #[test]
    fn tables_after_from_and_join() {
        assert_eq!(
            run("", "SELECT * FROM fi", Lang::Rhai),
            vec!["film", "film_actor"]
        );
        assert_eq!(
            run("", "select * from film f join ac", Lang::Rhai),
            vec!["actor"]
        );
        assert_eq!(
            run("", "SELECT * FROM sales.", Lang::Rhai),
            vec!["sales.invoice"]
        );
    }

    #[test]
    fn columns_of_the_tables_in_from() {
        let c = run_at("", "SELECT ti FROM film", 9, Lang::Sql);
        assert!(c.contains(&"title".to_string()), "{c:?}");
        // FROM on an earlier line, cursor in the WHERE clause.
        let c = run("SELECT title\nFROM film\n", "WHERE le", Lang::Sql);
        assert_eq!(c, vec!["length", "least"]);
        // An alias defined after the cursor.
        let c = run_at("", "SELECT f.t FROM film f", 10, Lang::Rhai);
        assert_eq!(c, vec!["f.title"]);
        assert!(run("", "SELECT nope.", Lang::Rhai).is_empty());
        let c = run_at("", "select title, len from film", 17, Lang::Rhai);
        assert_eq!(c, vec!["length"]);
        // No table in scope: no columns to offer, functions and keywords are.
        assert_eq!(run("", "SELECT le", Lang::Sql), vec!["length", "least"]);
    }

    /// The cases of issue 16, on a catalog shaped like Chinook's `track`.
    #[test]
    fn columns_in_scope_come_first() {
        let mut cat = catalog();
        cat.columns.insert(
            "track".into(),
            vec![
                "track_id".into(),
                "name".into(),
                "milliseconds".into(),
                "unit_price".into(),
            ],
        );
        cat.relations.push(("public".into(), "track".into()));
        cat.functions
            .extend(["min", "mod", "unnest", "upper"].map(String::from));
        let run = |line: &str| {
            let src = Sources {
                functions: &[],
                variables: &[],
                meta: &[],
                catalog: Some(&cat),
                recent: &Recent::default(),
                cwd: std::path::Path::new("/nonexistent"),
                home: None,
            };
            complete("", line, line.len(), Lang::Sql, &src).1
        };
        assert_eq!(
            run("SELECT * FROM track WHERE mi"),
            vec!["milliseconds", "min"]
        );
        // SET takes a column of the updated table, nothing else.
        assert_eq!(run("UPDATE track SET un"), vec!["unit_price"]);
        assert_eq!(
            run("UPDATE track SET unit_price = un"),
            vec!["unit_price", "unnest"]
        );
        // An empty word offers the columns in scope and nothing more.
        assert_eq!(
            run("SELECT * FROM track WHERE "),
            vec!["milliseconds", "name", "track_id", "unit_price"]
        );
        // Tables in scope before functions, keywords last.
        assert_eq!(
            run("SELECT * FROM track t WHERE t"),
            vec!["track_id", "t", "true"]
        );
        assert_eq!(
            run("SELECT * FROM track WHERE name = 'x' "),
            vec![
                "AND",
                "BETWEEN",
                "EXCEPT",
                "FOR UPDATE",
                "GROUP BY",
                "HAVING",
                "ILIKE",
                "IN",
                "INTERSECT",
                "IS DISTINCT FROM",
                "IS NOT NULL",
                "IS NULL",
                "LIKE",
                "LIMIT",
                "NOT",
                "OFFSET",
                "OR",
                "ORDER BY",
                "RETURNING",
                "UNION",
                "WINDOW"
            ]
        );
    }

    #[test]
    fn recent_words_rank_first_among_their_kind() {
        let cat = catalog();
        let recent = Recent::from_entries(["SELECT length(title) FROM film;"]);
        let src = Sources {
            functions: &[],
            variables: &[],
            meta: &[],
            catalog: Some(&cat),
            recent: &recent,
            cwd: std::path::Path::new("/nonexistent"),
            home: None,
        };
        let line = "SELECT * FROM film WHERE l";
        let got = complete("", line, line.len(), Lang::Sql, &src).1;
        // `length` is a column and a function: offered once, as the column.
        assert_eq!(got, vec!["length", "lower", "least"]);
    }

    #[test]
    fn without_a_catalog_keywords_only() {
        let src = Sources {
            functions: &[],
            variables: &[],
            meta: &[],
            catalog: None,
            recent: &Recent::default(),
            cwd: std::path::Path::new("/nonexistent"),
            home: None,
        };
        let line = "SELECT * FROM film WHERE n";
        assert_eq!(
            complete("", line, line.len(), Lang::Sql, &src).1,
            vec!["not", "null", "nullif"]
        );
    }

    #[test]
    fn what_the_catalog_must_hold() {
        let t = |name: &str| sql::TableRef {
            schema: None,
            name: name.into(),
            alias: None,
        };
        assert_eq!(
            catalog_needs("", "SELECT * FROM tr", 16, Lang::Sql),
            Some(Needs {
                relations: Some(catalog::Names::new(None, "tr")),
                ..Needs::default()
            })
        );
        assert_eq!(
            catalog_needs("", "SELECT * FROM track WHERE mi", 28, Lang::Sql),
            Some(Needs {
                functions: Some(catalog::Names::new(None, "mi")),
                columns: vec![t("track")],
                ..Needs::default()
            })
        );
        assert_eq!(
            catalog_needs("", "UPDATE track SET u", 18, Lang::Sql),
            Some(Needs {
                columns: vec![t("track")],
                ..Needs::default()
            })
        );
        assert_eq!(catalog_needs("", "let x = 1", 9, Lang::Rhai), None);
    }

    #[test]
    fn sql_inside_a_query_string() {
        let c = run("", "let r = query(\"SELECT * FROM ac", Lang::Rhai);
        assert_eq!(c, vec!["actor"]);
        let c = run("", "execute(`UPDATE fi", Lang::Rhai);
        assert_eq!(c, vec!["film", "film_actor"]);
        // Not in a query string: Rhai names.
        let c = run("", "let r = print(\"SELECT * FROM ac", Lang::Rhai);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn rhai_names_and_meta_commands() {
        assert_eq!(run("", "query_v", Lang::Rhai), vec!["query_value"]);
        assert_eq!(run("", "let x = re", Lang::Rhai), vec!["result", "return"]);
        assert_eq!(run("", "\\ti", Lang::Rhai), vec!["\\timing"]);
        assert_eq!(run("", "\\d fi", Lang::Rhai), vec!["film", "film_actor"]);
        assert!(run("", "rows.fi", Lang::Rhai).contains(&"filter".to_string()));
    }

    #[test]
    fn keyword_case_follows_the_user() {
        assert!(run("", "SEL", Lang::Sql).contains(&"SELECT".to_string()));
        assert!(run("", "sel", Lang::Sql).contains(&"select".to_string()));
    }

    #[test]
    fn file_names_after_include_expand_a_tilde() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(home.path().join("setup.sql"), "").unwrap();
        std::fs::create_dir(home.path().join("scripts")).unwrap();
        let (functions, vars, meta) = (Vec::new(), Vec::new(), Vec::new());
        let src = Sources {
            functions: &functions,
            variables: &vars,
            meta: &meta,
            catalog: None,
            recent: &Recent::default(),
            cwd: std::path::Path::new("/nonexistent"),
            home: Some(home.path()),
        };
        let line = "\\i ~/s";
        let (start, got) = complete("", line, line.len(), Lang::Rhai, &src);
        assert_eq!(start, 3);
        assert_eq!(
            got,
            vec!["~/scripts/".to_string(), "~/setup.sql".to_string()]
        );
    }
}
