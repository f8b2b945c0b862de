//! What completion knows of the database: relation, schema and function names, and the columns of the
//! tables a statement names. Read from the session in parts, each only when a completion needs it and each
//! bounded: names by the prefix being typed (at most [`PREFIX_LIMIT`] a query), columns of the few tables
//! named — never the whole catalog of ten thousand tables. What was read stays cached until DDL marks it
//! stale; a prefix whose names were all read answers every longer prefix without a query. The functions
//! are those users call: catalog facts (pg_proc's argument and result types, and the catalogs that point at
//! support functions) leave out type I/O, encoding conversion, operator, aggregate-step, index-support and
//! other internal functions.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use super::sql::TableRef;
use crate::db::session::Session;

/// The names wanted: those starting with `prefix` (compared in lower case), in `schema` when given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    pub schema: Option<String>,
    pub prefix: String,
}

impl Names {
    pub fn new(schema: Option<String>, prefix: &str) -> Names {
        Names {
            schema,
            prefix: prefix.trim_start_matches('"').to_lowercase(),
        }
    }

    /// Whether every name `other` wants is among those this one read.
    fn covers(&self, other: &Names) -> bool {
        (self.schema.is_none() || self.schema == other.schema)
            && other.prefix.starts_with(&self.prefix)
    }

    /// The LIKE pattern for the prefix.
    fn pattern(&self) -> String {
        format!("{}%", escape_like(&self.prefix))
    }
}

/// `text` as a LIKE pattern that matches only itself.
fn escape_like(text: &str) -> String {
    let mut p = String::new();
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            p.push('\\');
        }
        p.push(c);
    }
    p
}

/// The parts of the catalog a completion needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// Relation names (after FROM, or `schema.`), and the schema names.
    pub relations: Option<Names>,
    /// Function names (in an expression).
    pub functions: Option<Names>,
    /// The columns of these tables.
    pub columns: Vec<TableRef>,
}

/// What the catalog offers completion.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub schemas: Vec<String>,
    /// (schema, name) of tables, views, materialized views, foreign and partitioned tables read so far.
    pub relations: Vec<(String, String)>,
    /// Column names by [`TableRef::key`] (`name`, or `schema.name` when the statement qualifies it).
    pub columns: BTreeMap<String, Vec<String>>,
    /// Function names read so far.
    pub functions: Vec<String>,
    loaded: Loaded,
}

/// What has been read: the name queries that returned every match, the tables whose columns were read (a
/// table not found is read once too).
#[derive(Clone, Debug, Default)]
struct Loaded {
    schemas: bool,
    relations: Vec<Names>,
    functions: Vec<Names>,
    columns: BTreeSet<String>,
}

/// At most this many relation names a query: more are not shown anyway (the editor asks before listing
/// 100).
pub const PREFIX_LIMIT: usize = 1000;

/// At most this many function names (PostgreSQL 15 has about 850 that users call; extensions add some).
const FUNCTION_LIMIT: usize = 5000;

/// Catalog parts are read while less than this has passed since the Tab; the rest wait for the next Tab.
pub const BUDGET: std::time::Duration = std::time::Duration::from_millis(100);

/// Relation names starting with `$1` (a LIKE pattern on the lower-cased name) in schemas matching `$2`.
const RELATIONS_SQL: &str = "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') \
       AND n.nspname <> ALL (ARRAY['pg_catalog', 'information_schema']) AND n.nspname !~ '^pg_toast' \
       AND pg_catalog.lower(c.relname) LIKE $1 AND n.nspname LIKE $2 \
     LIMIT 1000";

const SCHEMAS_SQL: &str = "SELECT nspname FROM pg_catalog.pg_namespace \
     WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1";

/// Functions on the search path that users call, starting with `$1` (a LIKE pattern on the lower-cased
/// name; completion reads them all, `%`). Left out by catalog facts, not by name: functions taking
/// or returning `cstring`/`internal` or returning a handler or trigger pseudo-type (type input/output and
/// receive functions, encoding conversions like `mic_to_big5`, planner support); functions a type, an
/// operator, an aggregate, an index operator class, a conversion, a range type or a language points at
/// (`int4send`, `int4pl`, `float8_accum`, `btint4cmp`, …). The pg_type scan skips row and array types,
/// which all share the built-in record and array functions, so it stays small with 10,000 tables.
const FUNCTIONS_SQL: &str = "SELECT DISTINCT p.proname FROM pg_catalog.pg_proc p \
     WHERE p.pronamespace::pg_catalog.regnamespace::text = ANY (pg_catalog.current_schemas(true)) \
       AND p.prokind IN ('f', 'a', 'w') AND pg_catalog.lower(p.proname) LIKE $1 \
       AND p.prorettype NOT IN ('cstring'::pg_catalog.regtype, 'internal'::pg_catalog.regtype, \
             'trigger'::pg_catalog.regtype, 'event_trigger'::pg_catalog.regtype, \
             'language_handler'::pg_catalog.regtype, 'fdw_handler'::pg_catalog.regtype, \
             'index_am_handler'::pg_catalog.regtype, 'tsm_handler'::pg_catalog.regtype, \
             'table_am_handler'::pg_catalog.regtype) \
       AND NOT p.proargtypes::pg_catalog.oid[] OPERATOR(pg_catalog.&&) \
             ARRAY['cstring'::pg_catalog.regtype, 'internal'::pg_catalog.regtype]::pg_catalog.oid[] \
       AND p.oid NOT IN ( \
             SELECT f FROM pg_catalog.pg_type t, LATERAL (VALUES (t.typinput), (t.typoutput), \
                 (t.typreceive), (t.typsend), (t.typmodin), (t.typmodout), (t.typanalyze), \
                 (t.typsubscript)) v(f) \
               WHERE t.oid < 16384 OR (t.typtype <> 'c' AND t.typcategory <> 'A') \
             UNION SELECT oprcode FROM pg_catalog.pg_operator \
             UNION SELECT f FROM pg_catalog.pg_aggregate a, LATERAL (VALUES (a.aggtransfn), \
                 (a.aggfinalfn), (a.aggcombinefn), (a.aggserialfn), (a.aggdeserialfn), \
                 (a.aggmtransfn), (a.aggminvtransfn), (a.aggmfinalfn)) v(f) \
             UNION SELECT amproc FROM pg_catalog.pg_amproc \
             UNION SELECT conproc FROM pg_catalog.pg_conversion \
             UNION SELECT f FROM pg_catalog.pg_range r, \
                 LATERAL (VALUES (r.rngcanonical), (r.rngsubdiff)) v(f) \
             UNION SELECT f FROM pg_catalog.pg_language l, \
                 LATERAL (VALUES (l.lanplcallfoid), (l.laninline), (l.lanvalidator)) v(f)) \
     LIMIT 5000";

/// The columns of the tables in `$1`, a JSON array of `{"k": key, "s": schema or null, "r": name}`; an
/// unqualified name is the one the search path finds.
const COLUMNS_SQL: &str = "SELECT w.k, a.attname \
     FROM pg_catalog.json_to_recordset($1::pg_catalog.json) AS w(k text, s text, r text) \
     JOIN pg_catalog.pg_class c ON c.relname = w.r \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
     WHERE CASE WHEN w.s IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) ELSE n.nspname = w.s END \
     ORDER BY w.k, a.attnum";

impl Catalog {
    /// A catalog with these names, every part counted as read (for tests and callers that load it
    /// themselves).
    #[cfg(test)]
    pub fn complete(
        schemas: Vec<String>,
        relations: Vec<(String, String)>,
        columns: BTreeMap<String, Vec<String>>,
        functions: Vec<String>,
    ) -> Catalog {
        let loaded = Loaded {
            schemas: true,
            relations: vec![Names::default()],
            functions: vec![Names::default()],
            columns: columns.keys().cloned().collect(),
        };
        Catalog {
            schemas,
            relations,
            columns,
            functions,
            loaded,
        }
    }

    /// Forget everything (after DDL, or on another connection): parts are read again when needed.
    pub fn clear(&mut self) {
        *self = Catalog::default();
    }

    /// The parts of `needs` not read yet.
    pub fn missing(&self, needs: &Needs) -> Needs {
        let unread = |want: &Option<Names>, read: &[Names]| {
            want.clone().filter(|w| !read.iter().any(|r| r.covers(w)))
        };
        Needs {
            relations: unread(&needs.relations, &self.loaded.relations),
            functions: unread(&needs.functions, &self.loaded.functions),
            columns: needs
                .columns
                .iter()
                .filter(|t| !self.loaded.columns.contains(&t.key()))
                .cloned()
                .collect(),
        }
    }

    /// Read the missing parts of `needs` from `s`: the columns first (what a completion offers first), then
    /// functions, then relations, each only while less than [`BUDGET`] has passed since `started`. Not in
    /// a failed transaction (every query would fail); a part that fails stays unread.
    pub fn fill(
        &mut self,
        s: &mut Session,
        needs: &Needs,
        started: Instant,
    ) -> crate::error::Result<()> {
        let missing = self.missing(needs);
        if missing == Needs::default() {
            return Ok(());
        }
        if s.tx_status() == crate::db::session::TxStatus::Failed {
            return Err(crate::error::Error::api("in a failed transaction"));
        }
        let in_budget = || started.elapsed() < BUDGET;
        if !missing.columns.is_empty() && in_budget() {
            self.load_columns(s, &missing.columns)?;
        }
        if missing.functions.is_some() && in_budget() {
            // All of them at once: the cost is the scan of the support catalogs, not the ~850 names.
            let names = match functions_sql(server_major(s)) {
                Some(sql) => column_text(&s.query(&sql, &[rhai::Dynamic::from("%")])?, 0),
                None => Vec::new(),
            };
            let all = names.len() < FUNCTION_LIMIT;
            merge(&mut self.functions, names);
            if all {
                self.loaded.functions.push(Names::default());
            }
        }
        if let Some(want) = missing.relations.filter(|_| in_budget()) {
            if !self.loaded.schemas {
                self.schemas = column_text(&s.query(SCHEMAS_SQL, &[])?, 0);
                self.loaded.schemas = true;
                // First, all of them if there are not many: then no other Tab needs a query.
                if self.read_relations(s, Names::default())? {
                    return Ok(());
                }
            }
            if want != Names::default() {
                self.read_relations(s, want)?;
            }
        }
        Ok(())
    }

    /// Read the relation names `want` asks for; whether that was all of them.
    fn read_relations(&mut self, s: &mut Session, want: Names) -> crate::error::Result<bool> {
        let schema = want.schema.as_deref().map_or("%".to_string(), escape_like);
        let rows = s.query(
            RELATIONS_SQL,
            &[
                rhai::Dynamic::from(want.pattern()),
                rhai::Dynamic::from(schema),
            ],
        )?;
        let (schemas, names) = (column_text(&rows, 0), column_text(&rows, 1));
        let all = names.len() < PREFIX_LIMIT;
        merge(
            &mut self.relations,
            schemas.into_iter().zip(names).collect(),
        );
        if all {
            self.loaded.relations.push(want);
        }
        Ok(all)
    }

    fn load_columns(&mut self, s: &mut Session, tables: &[TableRef]) -> crate::error::Result<()> {
        let wanted: Vec<serde_json::Value> = tables
            .iter()
            .map(|t| serde_json::json!({"k": t.key(), "s": t.schema, "r": t.name}))
            .collect();
        let param = serde_json::Value::Array(wanted).to_string();
        let rows = s.query(COLUMNS_SQL, &[rhai::Dynamic::from(param)])?;
        let (keys, names) = (column_text(&rows, 0), column_text(&rows, 1));
        for t in tables {
            self.columns.entry(t.key()).or_default().clear();
            self.loaded.columns.insert(t.key());
        }
        for (k, name) in keys.into_iter().zip(names) {
            self.columns.entry(k).or_default().push(name);
        }
        Ok(())
    }
}

/// The server's major version (9 for 9.6), from its `server_version` parameter; 0 when unknown.
fn server_major(s: &Session) -> u32 {
    s.parameter_status("server_version")
        .and_then(|v| {
            v.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|m| m.parse().ok())
        })
        .unwrap_or(0)
}

/// The function query for a server of this major version, if it has what the query reads: pg_type's
/// `typsubscript` came in 14, the `table_am_handler` type in 12. (A query that failed inside the user's
/// transaction would abort it, so an older server gets no function names rather than an error.)
fn functions_sql(major: u32) -> Option<String> {
    match major {
        14.. => Some(FUNCTIONS_SQL.to_string()),
        12 | 13 => Some(FUNCTIONS_SQL.replace(", (t.typsubscript)", "")),
        _ => None,
    }
}

/// Add what a query read to what earlier ones did, each once.
fn merge<T: Ord>(into: &mut Vec<T>, more: Vec<T>) {
    into.extend(more);
    into.sort();
    into.dedup();
}

/// Column `i` of every row, as text.
fn column_text(rows: &crate::db::resultset::ResultSet, i: usize) -> Vec<String> {
    (0..rows.row_count())
        .filter_map(|r| rows.value(r, i))
        .map(|v| crate::value::format::scalar_text(&v).unwrap_or_default())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str) -> TableRef {
        TableRef {
            schema: None,
            name: name.into(),
            alias: None,
        }
    }

    #[test]
    fn missing_parts_are_what_was_not_read() {
        let mut columns = BTreeMap::new();
        columns.insert("track".to_string(), vec!["name".to_string()]);
        let cat = Catalog::complete(Vec::new(), Vec::new(), columns, Vec::new());
        let needs = Needs {
            relations: Some(Names::new(None, "tr")),
            functions: Some(Names::new(None, "mi")),
            columns: vec![t("track"), t("album")],
        };
        assert_eq!(
            cat.missing(&needs),
            Needs {
                columns: vec![t("album")],
                ..Needs::default()
            }
        );
        let mut cleared = cat.clone();
        cleared.clear();
        assert_eq!(cleared.missing(&needs), needs);
    }

    #[test]
    fn a_prefix_read_whole_answers_longer_ones() {
        let mut cat = Catalog::default();
        cat.loaded.relations.push(Names::new(None, "T9"));
        cat.loaded.functions.push(Names::new(None, "mi"));
        cat.loaded.schemas = true;
        let want = |rel: &str, schema: Option<&str>| Needs {
            relations: Some(Names::new(schema.map(String::from), rel)),
            ..Needs::default()
        };
        assert_eq!(cat.missing(&want("t98", None)), Needs::default());
        assert_eq!(cat.missing(&want("\"t98", Some("sales"))), Needs::default());
        assert_eq!(cat.missing(&want("t", None)), want("t", None));
        assert_eq!(cat.missing(&want("x9", None)), want("x9", None));
        let mut in_schema = Catalog::default();
        in_schema
            .loaded
            .relations
            .push(Names::new(Some("sales".into()), ""));
        assert_eq!(
            in_schema.missing(&want("inv", Some("sales"))),
            Needs::default()
        );
        assert_eq!(in_schema.missing(&want("inv", None)), want("inv", None));
    }

    #[test]
    fn the_function_query_fits_the_server() {
        assert!(functions_sql(15).is_some_and(|q| q.contains("typsubscript")));
        let q13 = functions_sql(13).unwrap_or_default();
        assert!(
            q13.contains("typsend") && !q13.contains("typsubscript"),
            "{q13}"
        );
        assert_eq!(functions_sql(11), None);
        assert_eq!(functions_sql(0), None);
    }

    #[test]
    fn like_patterns_match_only_the_prefix() {
        assert_eq!(Names::new(None, "Unit_P").pattern(), "unit\\_p%");
        assert_eq!(Names::new(None, "50%\\").pattern(), "50\\%\\\\%");
    }
}
