//! What completion knows of the database: relation, schema and function names, and the columns of the
//! tables a statement names. Read from the session in parts, each only when a completion needs it (the
//! columns of a few tables, not of all ten thousand), cached until DDL marks it stale. The functions are
//! those users call: catalog facts (pg_proc's argument and result types, and the catalogs that point at
//! support functions) leave out type I/O, encoding conversion, operator, aggregate-step, index-support
//! and other internal functions.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use super::sql::TableRef;
use crate::db::session::Session;

/// The parts of the catalog a completion needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// Relation and schema names (after FROM, or `schema.`).
    pub relations: bool,
    /// Function names (in an expression).
    pub functions: bool,
    /// The columns of these tables.
    pub columns: Vec<TableRef>,
}

/// What the catalog offers completion.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub schemas: Vec<String>,
    /// (schema, name) of tables, views, materialized views, foreign and partitioned tables.
    pub relations: Vec<(String, String)>,
    /// Column names by [`TableRef::key`] (`name`, or `schema.name` when the statement qualifies it).
    pub columns: BTreeMap<String, Vec<String>>,
    pub functions: Vec<String>,
    loaded: Loaded,
}

/// Which parts have been read (a table without columns, or not found, is read once too).
#[derive(Clone, Debug, Default)]
struct Loaded {
    relations: bool,
    functions: bool,
    columns: BTreeSet<String>,
}

/// Catalog parts are read while less than this has passed since the Tab; the rest wait for the next Tab.
pub const BUDGET: std::time::Duration = std::time::Duration::from_millis(100);

/// Relation names; at most 50,000, a bound so the first Tab on a huge catalog stays quick.
const RELATIONS_SQL: &str = "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') \
       AND n.nspname <> ALL (ARRAY['pg_catalog', 'information_schema']) AND n.nspname !~ '^pg_toast' \
     LIMIT 50000";

const SCHEMAS_SQL: &str = "SELECT nspname FROM pg_catalog.pg_namespace \
     WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1";

/// Functions on the search path that users call. Left out by catalog facts, not by name: functions taking
/// or returning `cstring`/`internal` or returning a handler or trigger pseudo-type (type input/output and
/// receive functions, encoding conversions like `mic_to_big5`, planner support); functions a type, an
/// operator, an aggregate, an index operator class, a conversion, a range type or a language points at
/// (`int4send`, `int4pl`, `float8_accum`, `btint4cmp`, …). The pg_type scan skips row and array types,
/// which all share the built-in record and array functions, so it stays small with 10,000 tables.
const FUNCTIONS_SQL: &str = "SELECT DISTINCT p.proname FROM pg_catalog.pg_proc p \
     WHERE p.pronamespace::pg_catalog.regnamespace::text = ANY (pg_catalog.current_schemas(true)) \
       AND p.prokind IN ('f', 'a', 'w') \
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
                 LATERAL (VALUES (l.lanplcallfoid), (l.laninline), (l.lanvalidator)) v(f))";

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
            relations: true,
            functions: true,
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
        Needs {
            relations: needs.relations && !self.loaded.relations,
            functions: needs.functions && !self.loaded.functions,
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
        if missing.functions && in_budget() {
            self.functions = column_text(&s.query(FUNCTIONS_SQL, &[])?, 0);
            self.loaded.functions = true;
        }
        if missing.relations && in_budget() {
            let rels = s.query(RELATIONS_SQL, &[])?;
            let (schemas, names) = (column_text(&rels, 0), column_text(&rels, 1));
            self.relations = schemas.into_iter().zip(names).collect();
            self.schemas = column_text(&s.query(SCHEMAS_SQL, &[])?, 0);
            self.loaded.relations = true;
        }
        Ok(())
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

/// Column `i` of every row, as text.
fn column_text(rows: &crate::db::resultset::ResultSet, i: usize) -> Vec<String> {
    (0..rows.row_count())
        .filter_map(|r| rows.row(r).and_then(|row| row.get(i)))
        .map(|v| crate::value::format::scalar_text(v).unwrap_or_default())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_parts_are_what_was_not_read() {
        let mut columns = BTreeMap::new();
        columns.insert("track".to_string(), vec!["name".to_string()]);
        let cat = Catalog::complete(Vec::new(), Vec::new(), columns, Vec::new());
        let t = |name: &str| TableRef {
            schema: None,
            name: name.into(),
            alias: None,
        };
        let needs = Needs {
            relations: true,
            functions: true,
            columns: vec![t("track"), t("album")],
        };
        assert_eq!(
            cat.missing(&needs),
            Needs {
                relations: false,
                functions: false,
                columns: vec![t("album")],
            }
        );
        let mut cleared = cat.clone();
        cleared.clear();
        assert_eq!(cleared.missing(&needs), needs);
    }
}
