//! The SQL around the cursor, for completion: the statement it is in, the tables that statement names (with
//! their aliases), and what kind of word fits at the cursor — a relation, a column, the start of an
//! expression, or a keyword that continues the clause. Pure functions of the text, lexed with
//! [`crate::sql::lexer`] so quotes, dollar quotes and comments are read as the server reads them.

use crate::sql::lexer::{spanned, Tok};

/// A relation a statement names, and what it is called there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRef {
    pub schema: Option<String>,
    /// As the catalog stores it: unquoted names folded to lower case, quoted ones as written.
    pub name: String,
    pub alias: Option<String>,
}

impl TableRef {
    /// What the statement calls it: the alias when there is one (PostgreSQL then hides the name).
    pub fn visible_name(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }

    /// The key its columns are cached under: `schema.name` when qualified, else `name`.
    pub fn key(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The clause the cursor is in, at its level of parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clause {
    Other,
    Select,
    From,
    Where,
    Group,
    Order,
    Having,
    Update,
    Set,
    Into,
    Values,
    /// The column list of `INSERT INTO t (…)`.
    Columns,
}

/// What kind of word fits at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The first word of a statement.
    Start,
    /// A relation name (after FROM, JOIN, UPDATE, INTO, TABLE, TRUNCATE, or a comma in FROM).
    Relation,
    /// A column of the table the statement writes to, and nothing else (`UPDATE t SET x`,
    /// `INSERT INTO t (x`).
    TargetColumn,
    /// The start of an expression: columns in scope, the tables in scope, functions, a few keywords.
    Expression,
    /// After a complete item (a name, a literal, `)`): keywords that continue this clause.
    After(Clause),
    /// After `qualifier.`: a column of that table or alias, or a relation of that schema.
    Qualified(String),
    /// Nothing sensible (a new alias after AS, inside a string or a comment).
    Nothing,
}

/// What completion needs to know about the SQL at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    pub place: Place,
    /// The relations the current statement names, in order.
    pub tables: Vec<TableRef>,
    /// The relation UPDATE or INSERT INTO writes to.
    pub target: Option<TableRef>,
}

impl Analysis {
    /// The tables whose columns this place offers.
    pub fn column_tables(&self) -> Vec<&TableRef> {
        match &self.place {
            Place::TargetColumn => self.target.iter().collect(),
            Place::Expression => self.tables.iter().collect(),
            Place::Qualified(q) => self.resolve(q).into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The table an alias or table name in the statement stands for.
    pub fn resolve(&self, qualifier: &str) -> Option<&TableRef> {
        let q = fold(qualifier);
        self.tables.iter().find(|t| t.visible_name() == q)
    }
}

/// An identifier as the server folds it: unquoted to lower case, `"quoted"` as written.
pub fn fold(ident: &str) -> String {
    match ident.strip_prefix('"') {
        Some(rest) => rest.strip_suffix('"').unwrap_or(rest).replace("\"\"", "\""),
        None => ident.to_lowercase(),
    }
}

/// One token of SQL text, comments dropped.
#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    tok: Tok<'a>,
    text: &'a str,
}

impl Token<'_> {
    /// The upper-cased keyword if this is an unquoted word.
    fn kw(&self) -> Option<String> {
        match self.tok {
            Tok::Word(w) => Some(w.to_ascii_uppercase()),
            _ => None,
        }
    }

    fn is(&self, kw: &str) -> bool {
        matches!(self.tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    fn is_name(&self) -> bool {
        matches!(self.tok, Tok::Word(_) | Tok::Quoted)
    }
}

/// Tokens of `text`, comments dropped; and whether `text` ends inside a string or a comment.
fn lex(text: &str) -> (Vec<Token<'_>>, bool) {
    let mut out = Vec::new();
    let mut open = false;
    for (tok, range) in spanned(text) {
        let t = text.get(range.clone()).unwrap_or("");
        open = range.end == text.len() && unterminated(tok, t);
        if tok != Tok::Comment {
            out.push(Token { tok, text: t });
        }
    }
    (out, open)
}

/// Whether a string, quoted identifier or comment token runs to the end of the text without closing.
fn unterminated(tok: Tok, t: &str) -> bool {
    match tok {
        Tok::Comment => t.starts_with("--") || !t.ends_with("*/") || t.len() < 4,
        Tok::Quoted => t.len() < 2 || !t.ends_with('"'),
        Tok::Str => {
            if let Some(body) = t.strip_prefix('$') {
                // `$tag$ … $tag$`: closed when the delimiter appears twice.
                let delim_len = body.find('$').map(|i| i + 2).unwrap_or(t.len());
                t.len() < 2 * delim_len || t[..delim_len] != t[t.len() - delim_len..]
            } else {
                let quote_at = t.find('\'').unwrap_or(0);
                t.len() < quote_at + 2 || !t.ends_with('\'')
            }
        }
        _ => false,
    }
}

/// Tokens of the statement around the cursor: the last statement of `before`, and what follows the
/// cursor up to the next `;`. `before` ends where the word being completed starts; `word` is that word.
pub fn analyse(before: &str, word: &str, after: &str) -> Analysis {
    let (before_toks, open) = lex(before);
    let from = before_toks
        .iter()
        .rposition(|t| t.tok == Tok::Punct(b';'))
        .map_or(0, |i| i + 1);
    let head = &before_toks[from..];
    let (after_toks, _) = lex(after);
    let tail_end = after_toks
        .iter()
        .position(|t| t.tok == Tok::Punct(b';'))
        .unwrap_or(after_toks.len());
    // The word being typed is not (yet) a name of the statement: `FROM tra|` names no `tra`.
    let statement: Vec<Token> = head
        .iter()
        .chain(after_toks[..tail_end].iter())
        .copied()
        .collect();
    let (tables, target) = tables_named(&statement);
    let place = if open {
        Place::Nothing
    } else if let Some((q, _)) = word.rsplit_once('.') {
        Place::Qualified(q.to_string())
    } else {
        place(head)
    };
    Analysis {
        place,
        tables,
        target,
    }
}

/// A possibly schema-qualified name starting at `i`: (schema, name, index after it).
fn qualified_name(toks: &[Token], i: usize) -> Option<(Option<String>, String, usize)> {
    let first = toks.get(i).filter(|t| t.is_name() && !reserved(t))?;
    if toks.get(i + 1).is_some_and(|t| t.tok == Tok::Punct(b'.')) {
        if let Some(second) = toks.get(i + 2).filter(|t| t.is_name()) {
            return Some((Some(fold(first.text)), fold(second.text), i + 3));
        }
    }
    Some((None, fold(first.text), i + 1))
}

/// Whether a token is a reserved keyword, which cannot be a name unquoted.
fn reserved(t: &Token) -> bool {
    use crate::sql::keywords::{lookup, Category};
    matches!(t.tok, Tok::Word(w) if lookup(&w.to_ascii_lowercase()) == Some(Category::Reserved))
}

/// Whether a word can be a table alias written without AS: not a keyword that would start the next
/// clause (the reserved ones, and the few unreserved ones that follow a table name).
fn alias_word(t: &Token) -> bool {
    match t.tok {
        Tok::Quoted => true,
        Tok::Word(w) => {
            let lower = w.to_ascii_lowercase();
            use crate::sql::keywords::{lookup, Category};
            lookup(&lower).is_none_or(|c| c == Category::Unreserved)
                && !matches!(lower.as_str(), "set" | "overriding" | "default")
        }
        _ => false,
    }
}

/// The index after the parenthesised group opening at `i`.
fn skip_group(toks: &[Token], mut i: usize) -> usize {
    let mut depth = 0usize;
    while let Some(t) = toks.get(i) {
        match t.tok {
            Tok::Punct(b'(') => depth += 1,
            Tok::Punct(b')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// The relations named after FROM, JOIN, UPDATE and INTO (comma lists in FROM included), with their
/// aliases; and the one UPDATE or INSERT INTO writes to.
fn tables_named(toks: &[Token]) -> (Vec<TableRef>, Option<TableRef>) {
    let mut tables = Vec::new();
    let mut target = None;
    let mut i = 0;
    while i < toks.len() {
        let Some(kw) = toks[i].kw() else {
            i += 1;
            continue;
        };
        let list = kw == "FROM";
        if !matches!(kw.as_str(), "FROM" | "JOIN" | "UPDATE" | "INTO") {
            i += 1;
            continue;
        }
        i += 1;
        loop {
            while toks.get(i).is_some_and(|t| t.is("ONLY") || t.is("LATERAL")) {
                i += 1;
            }
            let named = if toks.get(i).is_some_and(|t| t.tok == Tok::Punct(b'(')) {
                // A subquery or a function call: its columns are not in the catalog.
                i = skip_group(toks, i);
                None
            } else if let Some((schema, name, next)) = qualified_name(toks, i) {
                i = next;
                Some((schema, name))
            } else {
                break;
            };
            if toks.get(i).is_some_and(|t| t.is("AS")) {
                i += 1;
            }
            let alias = toks.get(i).filter(|t| alias_word(t)).map(|t| {
                i += 1;
                fold(t.text)
            });
            if let Some((schema, name)) = named {
                let table = TableRef {
                    schema,
                    name,
                    alias,
                };
                if matches!(kw.as_str(), "UPDATE" | "INTO") && target.is_none() {
                    target = Some(table.clone());
                }
                tables.push(table);
            }
            if list && toks.get(i).is_some_and(|t| t.tok == Tok::Punct(b',')) {
                i += 1;
                continue;
            }
            break;
        }
    }
    (tables, target)
}

/// The clause a keyword starts, if it starts one.
fn clause_of(kw: &str) -> Option<Clause> {
    Some(match kw {
        "SELECT" => Clause::Select,
        "FROM" | "JOIN" => Clause::From,
        "WHERE" | "ON" | "USING" => Clause::Where,
        "GROUP" => Clause::Group,
        "ORDER" => Clause::Order,
        "HAVING" => Clause::Having,
        "UPDATE" => Clause::Update,
        "SET" => Clause::Set,
        "INTO" => Clause::Into,
        "VALUES" => Clause::Values,
        "LIMIT" | "OFFSET" | "RETURNING" | "WINDOW" => Clause::Other,
        _ => return None,
    })
}

/// What fits after the tokens of the current statement up to the cursor.
fn place(toks: &[Token]) -> Place {
    let Some(last) = toks.last() else {
        return Place::Start;
    };
    let update = toks.first().is_some_and(|t| t.is("UPDATE"));
    // The clause at each level of parentheses, innermost last.
    let mut clauses = vec![Clause::Other];
    for (i, t) in toks.iter().enumerate() {
        match t.tok {
            Tok::Punct(b'(') => {
                // `INSERT INTO t (` opens the column list.
                let into_name = (i >= 2 && toks[i - 2].is("INTO") && toks[i - 1].is_name())
                    || (i >= 4 && toks[i - 4].is("INTO") && toks[i - 2].tok == Tok::Punct(b'.'));
                clauses.push(if into_name {
                    Clause::Columns
                } else {
                    Clause::Other
                });
            }
            Tok::Punct(b')') if clauses.len() > 1 => {
                clauses.pop();
            }
            Tok::Word(_) => {
                if let Some(c) = t.kw().and_then(|k| clause_of(&k)) {
                    if let Some(top) = clauses.last_mut() {
                        *top = c;
                    }
                }
            }
            _ => {}
        }
    }
    let clause = clauses.last().copied().unwrap_or(Clause::Other);
    match last.tok {
        Tok::Word(_) => match last.kw().unwrap_or_default().as_str() {
            "FROM" | "JOIN" | "UPDATE" | "INTO" | "TABLE" | "TRUNCATE" | "ONLY" | "LATERAL" => {
                Place::Relation
            }
            "SET" if update => Place::TargetColumn,
            "SET" | "AS" | "WITH" => Place::Nothing,
            "SELECT" | "WHERE" | "AND" | "OR" | "NOT" | "ON" | "BY" | "HAVING" | "RETURNING"
            | "DISTINCT" | "WHEN" | "THEN" | "ELSE" | "CASE" | "IN" | "LIKE" | "ILIKE"
            | "BETWEEN" | "USING" | "LIMIT" | "OFFSET" | "ALL" | "ANY" | "SOME" | "EXISTS" => {
                Place::Expression
            }
            _ => Place::After(clause),
        },
        Tok::Punct(b',') => match clause {
            Clause::From => Place::Relation,
            Clause::Set | Clause::Columns => Place::TargetColumn,
            _ => Place::Expression,
        },
        Tok::Punct(b'(') => match clause {
            Clause::Columns => Place::TargetColumn,
            _ => Place::Expression,
        },
        Tok::Punct(b'[') | Tok::Op => Place::Expression,
        Tok::Punct(b')') | Tok::Str | Tok::Num | Tok::Quoted | Tok::Param => Place::After(clause),
        _ => Place::Nothing,
    }
}

/// Statement keywords: what a statement starts with.
pub const START_WORDS: &[&str] = &[
    "SELECT",
    "INSERT INTO",
    "UPDATE",
    "DELETE FROM",
    "WITH",
    "CREATE",
    "ALTER",
    "DROP",
    "TRUNCATE",
    "EXPLAIN",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "COPY",
    "GRANT",
    "REVOKE",
    "SHOW",
    "SET",
    "RESET",
    "VACUUM",
    "ANALYZE",
    "VALUES",
    "TABLE",
    "CALL",
    "COMMENT ON",
    "LISTEN",
    "NOTIFY",
    "PREPARE",
    "EXECUTE",
    "LOCK",
    "REFRESH MATERIALIZED VIEW",
    "REINDEX",
    "DO",
];

/// Keywords that can start an expression (beside column and function names).
pub const EXPRESSION_WORDS: &[&str] = &[
    "NOT",
    "NULL",
    "TRUE",
    "FALSE",
    "CASE",
    "EXISTS",
    "DISTINCT",
    "ARRAY",
    "CAST",
    "INTERVAL",
    "COALESCE",
    "NULLIF",
    "GREATEST",
    "LEAST",
    "CURRENT_DATE",
    "CURRENT_TIMESTAMP",
    "CURRENT_USER",
    "SELECT",
];

/// Keywords that continue an expression in a condition.
const CONDITION_WORDS: &[&str] = &[
    "AND",
    "OR",
    "IS NULL",
    "IS NOT NULL",
    "IS DISTINCT FROM",
    "NOT",
    "IN",
    "LIKE",
    "ILIKE",
    "BETWEEN",
];

/// Keywords that end a query's clauses.
const QUERY_TAIL_WORDS: &[&str] = &[
    "GROUP BY",
    "ORDER BY",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "UNION",
    "EXCEPT",
    "INTERSECT",
    "WINDOW",
    "FOR UPDATE",
];

/// Keywords that fit after a complete item in `clause`.
pub fn after_words(clause: Clause) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    match clause {
        Clause::Select => {
            v.extend(["FROM", "AS", "INTO", "OVER", "FILTER"]);
            v.extend(CONDITION_WORDS);
            v.extend(QUERY_TAIL_WORDS);
        }
        Clause::From => {
            v.extend([
                "WHERE",
                "JOIN",
                "LEFT JOIN",
                "RIGHT JOIN",
                "INNER JOIN",
                "FULL JOIN",
                "CROSS JOIN",
                "NATURAL JOIN",
                "ON",
                "USING",
                "AS",
                "TABLESAMPLE",
            ]);
            v.extend(QUERY_TAIL_WORDS);
        }
        Clause::Where | Clause::Having => {
            v.extend(CONDITION_WORDS);
            v.extend(QUERY_TAIL_WORDS);
            v.push("RETURNING");
        }
        Clause::Group => v.extend(QUERY_TAIL_WORDS),
        Clause::Order => {
            v.extend(["ASC", "DESC", "NULLS FIRST", "NULLS LAST", "USING"]);
            v.extend(["LIMIT", "OFFSET", "FETCH", "FOR UPDATE"]);
        }
        Clause::Update => v.extend(["SET", "AS"]),
        Clause::Set => {
            v.extend(["WHERE", "FROM", "RETURNING"]);
            v.extend(CONDITION_WORDS);
        }
        Clause::Into => v.extend([
            "VALUES",
            "SELECT",
            "DEFAULT VALUES",
            "OVERRIDING",
            "AS",
            "FROM",
        ]),
        Clause::Values => v.extend(["ON CONFLICT", "RETURNING"]),
        Clause::Columns => {}
        Clause::Other => {
            v.extend(CONDITION_WORDS);
            v.extend(["FROM", "WHERE", "AS", "RETURNING"]);
            v.extend(QUERY_TAIL_WORDS);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(sql: &str) -> Analysis {
        // The cursor is at `|`; the word being completed runs back from it to a space.
        let (before, after) = sql.split_once('|').unwrap_or((sql, ""));
        let start = before
            .rfind(|c: char| c.is_whitespace() || c == '(' || c == ',')
            .map_or(0, |i| i + 1);
        analyse(&before[..start], &before[start..], after)
    }

    fn t(name: &str, alias: Option<&str>) -> TableRef {
        TableRef {
            schema: None,
            name: name.into(),
            alias: alias.map(String::from),
        }
    }

    #[test]
    fn places() {
        assert_eq!(at("SEL|").place, Place::Start);
        assert_eq!(at("SELECT * FROM tr|").place, Place::Relation);
        assert_eq!(at("SELECT * FROM a, |").place, Place::Relation);
        assert_eq!(at("select * from a join |").place, Place::Relation);
        assert_eq!(at("SELECT * FROM track WHERE mi|").place, Place::Expression);
        assert_eq!(at("SELECT * FROM track WHERE |").place, Place::Expression);
        assert_eq!(at("SELECT a, |").place, Place::Expression);
        assert_eq!(at("SELECT f(a, |").place, Place::Expression);
        assert_eq!(at("UPDATE track SET un|").place, Place::TargetColumn);
        assert_eq!(at("UPDATE track SET a = 1, |").place, Place::TargetColumn);
        assert_eq!(at("UPDATE track SET a = |").place, Place::Expression);
        assert_eq!(at("INSERT INTO track (|").place, Place::TargetColumn);
        assert_eq!(
            at("INSERT INTO public.track (a, |").place,
            Place::TargetColumn
        );
        assert_eq!(
            at("INSERT INTO track (a) VALUES (|").place,
            Place::Expression
        );
        assert_eq!(
            at("SELECT * FROM track |").place,
            Place::After(Clause::From)
        );
        assert_eq!(
            at("SELECT * FROM track WHERE a = 1 |").place,
            Place::After(Clause::Where)
        );
        assert_eq!(
            at("SELECT * FROM track t WHERE t.na|").place,
            Place::Qualified("t".into())
        );
        assert_eq!(at("SELECT 'it is |").place, Place::Nothing);
        assert_eq!(at("SELECT 1 -- a comment |").place, Place::Nothing);
        assert_eq!(at("SELECT 1 AS |").place, Place::Nothing);
        // Only the statement at the cursor counts.
        assert_eq!(at("SELECT * FROM a; |").place, Place::Start);
        // A closed string or comment is not open.
        assert_eq!(
            at("SELECT * FROM a WHERE b = 'x' |").place,
            Place::After(Clause::Where)
        );
        assert_eq!(at("SELECT /* c */ |").place, Place::Expression);
    }

    #[test]
    fn tables_and_aliases() {
        let a = at("SELECT | FROM public.film AS f JOIN actor a ON true, \"Mixed\" m");
        assert_eq!(
            a.tables,
            vec![
                TableRef {
                    schema: Some("public".into()),
                    name: "film".into(),
                    alias: Some("f".into())
                },
                t("actor", Some("a")),
                // `ON true, …` is not a FROM list: only FROM's commas add tables.
            ]
        );
        let a = at("SELECT | FROM Film, \"Mixed\" m, (SELECT 1) s WHERE x");
        assert_eq!(a.tables, vec![t("film", None), t("Mixed", Some("m"))]);
        let a = at("UPDATE track SET |");
        assert_eq!(a.target, Some(t("track", None)));
        let a = at("SELECT | FROM track WHERE x; SELECT * FROM other");
        assert_eq!(a.tables, vec![t("track", None)]);
        // Neither the word being typed nor the keyword after the gap is a table.
        let a = at("SELECT * FROM tr| WHERE x");
        assert_eq!(a.tables, vec![]);
        let a = at("SELECT * FROM track t LEFT JOIN album USING (album_id) WHERE |");
        assert_eq!(a.tables, vec![t("track", Some("t")), t("album", None)]);
        assert_eq!(a.resolve("T"), Some(&t("track", Some("t"))));
        let a = at("INSERT INTO track (|) VALUES (1)");
        assert_eq!(a.target, Some(t("track", None)));
        assert_eq!(a.column_tables(), vec![&t("track", None)]);
    }

    #[test]
    fn after_words_fit_the_clause() {
        assert!(after_words(Clause::From).contains(&"WHERE"));
        assert!(!after_words(Clause::From).contains(&"ASC"));
        assert!(after_words(Clause::Order).contains(&"DESC"));
        assert!(after_words(Clause::Update).contains(&"SET"));
    }
}
