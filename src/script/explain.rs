//! `explain(sql, params[, #{analyze: true}])`: a statement's plan as a value — printed as a readable tree
//! (node, costs, rows, and actual times with analyze), with accessors for scripts and lessons.

use std::rc::Rc;

use rhai::plugin::*;
use rhai::{Array, Dynamic, Map, NativeCallContext, INT};

use super::handle::shell;
use super::script_error::{throw, RhaiResult};
use crate::error::Error;
use crate::shell::Db;

/// A plan from `EXPLAIN (FORMAT JSON)`.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The top-level object: `Plan`, `Planning Time`, `Execution Time`, …
    pub top: Rc<Map>,
    pub text: Rc<String>,
}

fn get<'a>(m: &'a Map, key: &str) -> Option<&'a Dynamic> {
    m.get(key)
}

fn num(m: &Map, key: &str) -> Option<f64> {
    let v = get(m, key)?;
    v.as_float()
        .ok()
        .or_else(|| v.as_int().ok().map(|i| i as f64))
        .or_else(|| v.as_decimal().ok().and_then(|d| d.to_string().parse().ok()))
}

fn text(m: &Map, key: &str) -> Option<String> {
    get(m, key).filter(|v| v.is_string()).map(|v| v.to_string())
}

fn children(node: &Map) -> Vec<Map> {
    get(node, "Plans")
        .and_then(|p| p.read_lock::<Array>().map(|a| a.clone()))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.try_cast::<Map>())
        .collect()
}

fn fmt_num(f: f64) -> String {
    format!("{f:.2}")
}

/// One node's headline as PostgreSQL's text format writes it.
fn headline(node: &Map) -> String {
    let node_type = text(node, "Node Type").unwrap_or_else(|| "?".into());
    // The JSON format names some nodes by their general type; the text format (what users know from psql)
    // names the variant, as explain.c does.
    let mut s = match node_type.as_str() {
        "Aggregate" => match text(node, "Strategy").as_deref() {
            Some("Sorted") => "GroupAggregate".to_string(),
            Some("Hashed") => "HashAggregate".to_string(),
            Some("Mixed") => "MixedAggregate".to_string(),
            _ => "Aggregate".to_string(),
        },
        "SetOp" => {
            let op = if text(node, "Strategy").as_deref() == Some("Hashed") {
                "HashSetOp"
            } else {
                "SetOp"
            };
            match text(node, "Command") {
                Some(c) => format!("{op} {c}"),
                None => op.to_string(),
            }
        }
        "ModifyTable" => text(node, "Operation").unwrap_or(node_type.clone()),
        _ => node_type.clone(),
    };
    if let Some(mode) = text(node, "Partial Mode").filter(|m| m != "Simple") {
        s = format!("{mode} {s}");
    }
    if get(node, "Parallel Aware").and_then(|v| v.as_bool().ok()) == Some(true) {
        s = format!("Parallel {s}");
    }
    if let Some(j) = text(node, "Join Type").filter(|j| j != "Inner") {
        s = if s.contains(" Join") {
            s.replacen(" Join", &format!(" {j} Join"), 1)
        } else {
            // "Nested Loop Left Join"
            format!("{s} {j} Join")
        };
    }
    if let Some(dir) = text(node, "Scan Direction").filter(|d| d == "Backward") {
        s = format!("{s} {dir}");
    }
    if let Some(idx) = text(node, "Index Name") {
        // PostgreSQL says "Bitmap Index Scan on idx" but "Index Scan using idx on table".
        let word = if s.starts_with("Bitmap Index Scan") {
            "on"
        } else {
            "using"
        };
        s = format!("{s} {word} {idx}");
    }
    let alias = text(node, "Alias");
    let with_alias = |s: String, name: &str| match alias.as_deref() {
        Some(a) if a != name => format!("{s} {a}"),
        _ => s,
    };
    if let Some(rel) = text(node, "Relation Name") {
        s = with_alias(format!("{s} on {rel}"), &rel);
    } else if let Some(cte) = text(node, "CTE Name") {
        s = with_alias(format!("{s} on {cte}"), &cte);
    } else if let Some(f) = text(node, "Function Name") {
        s = with_alias(format!("{s} on {f}"), &f);
    } else if let Some(a) = alias.as_deref() {
        // Subquery, Values and WorkTable scans are named by their range table alias only.
        let shown = if a
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            a.to_string()
        } else {
            format!("\"{}\"", a.replace('"', "\"\""))
        };
        s = format!("{s} on {shown}");
    }
    if let (Some(a), Some(b)) = (num(node, "Startup Cost"), num(node, "Total Cost")) {
        s = format!(
            "{s}  (cost={}..{} rows={} width={})",
            fmt_num(a),
            fmt_num(b),
            num(node, "Plan Rows").unwrap_or(0.0) as i64,
            num(node, "Plan Width").unwrap_or(0.0) as i64
        );
    }
    if let (Some(a), Some(b)) = (
        num(node, "Actual Startup Time"),
        num(node, "Actual Total Time"),
    ) {
        s = format!(
            "{s} (actual time={:.3}..{:.3} rows={} loops={})",
            a,
            b,
            num(node, "Actual Rows").unwrap_or(0.0) as i64,
            num(node, "Actual Loops").unwrap_or(0.0) as i64
        );
    } else if get(node, "Actual Loops").is_some() {
        s = format!("{s} (never executed)");
    }
    s
}

const DETAILS: &[&str] = &[
    "Index Cond",
    "Recheck Cond",
    "Hash Cond",
    "Merge Cond",
    "Join Filter",
    "Filter",
    "Rows Removed by Filter",
    "Rows Removed by Index Recheck",
    "Sort Method",
    "Heap Fetches",
];

fn render(node: &Map, depth: usize, out: &mut String) {
    let (indent, arrow) = if depth == 0 {
        (String::new(), "")
    } else {
        (" ".repeat(6 * depth - 4), "->  ")
    };
    out.push_str(&format!("{indent}{arrow}{}\n", headline(node)));
    let detail_indent = " ".repeat(if depth == 0 { 2 } else { 6 * depth + 2 });
    for key in ["Sort Key", "Group Key"] {
        if let Some(keys) = get(node, key).and_then(|v| v.read_lock::<Array>().map(|a| a.clone())) {
            let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            out.push_str(&format!("{detail_indent}{key}: {}\n", keys.join(", ")));
        }
    }
    for key in DETAILS {
        if let Some(v) = get(node, key) {
            // Like the text format: counters that stayed at zero are not worth a line.
            if key.starts_with("Rows Removed") && v.as_int().is_ok_and(|n| n == 0) {
                continue;
            }
            out.push_str(&format!("{detail_indent}{key}: {v}\n"));
        }
    }
    for child in children(node) {
        render(&child, depth + 1, out);
    }
}

fn walk(node: &Map, f: &mut dyn FnMut(&Map)) {
    f(node);
    for c in children(node) {
        walk(&c, f);
    }
}

impl Plan {
    fn from_json(v: Dynamic) -> Result<Plan, Error> {
        let top = v
            .read_lock::<Array>()
            .and_then(|a| a.first().cloned())
            .and_then(|t| t.try_cast::<Map>())
            .ok_or_else(|| Error::api("explain: the server returned no plan"))?;
        let root = top
            .get("Plan")
            .and_then(|p| p.read_lock::<Map>().map(|m| m.clone()))
            .ok_or_else(|| Error::api("explain: the plan has no root node"))?;
        let mut s = String::new();
        render(&root, 0, &mut s);
        if let Some(t) = num(&top, "Planning Time") {
            s.push_str(&format!("Planning Time: {t:.3} ms\n"));
        }
        if let Some(t) = num(&top, "Execution Time") {
            s.push_str(&format!("Execution Time: {t:.3} ms\n"));
        }
        Ok(Plan {
            top: Rc::new(top),
            text: Rc::new(s.trim_end().to_string()),
        })
    }

    fn root(&self) -> Map {
        self.top
            .get("Plan")
            .and_then(|p| p.read_lock::<Map>().map(|m| m.clone()))
            .unwrap_or_default()
    }

    pub fn node_types(&self) -> Vec<String> {
        let mut out = Vec::new();
        walk(&self.root(), &mut |n| {
            if let Some(t) = text(n, "Node Type") {
                out.push(t);
            }
        });
        out
    }
}

/// Run EXPLAIN for `sql` with its parameters.
pub fn explain(db: &Db, sql: &str, params: &[Dynamic], opts: &Map) -> Result<Plan, Error> {
    let mut flags = vec!["FORMAT JSON".to_string()];
    for (k, v) in opts {
        let on = v
            .as_bool()
            .map_err(|_| Error::usage(format!("explain: option \"{k}\" must be true or false")))?;
        let name = match k.as_str() {
            "analyze" => "ANALYZE",
            "verbose" => "VERBOSE",
            "buffers" => "BUFFERS",
            "costs" => "COSTS",
            other => {
                return Err(Error::usage(format!(
                    "explain: unknown option \"{other}\" (known: analyze, verbose, buffers, costs)"
                )))
            }
        };
        flags.push(format!("{name} {on}"));
    }
    let prefix = format!("EXPLAIN ({}) ", flags.join(", "));
    let body = sql.trim().trim_end_matches(';');
    let full = format!("{prefix}{body}");
    let rs = db
        .try_session()?
        .query(&full, params)
        .map_err(|e| match e.db() {
            // Point the caret at the user's statement, not at the EXPLAIN around it.
            Some(d) if d.sql.as_deref() == Some(full.as_str()) => {
                let mut d = d.clone();
                d.position = d
                    .position
                    .and_then(|p| p.checked_sub(prefix.chars().count() as u32));
                d.sql = Some(body.to_string());
                Error::server(d)
            }
            _ => e,
        })?;
    let value = rs
        .value(0, 0)
        .ok_or_else(|| Error::api("explain: the server returned no plan"))?;
    Plan::from_json(value)
}

/// The plugin module: `explain` and the `plan` type.
pub fn module() -> Module {
    let mut m = exported_module!(plans);
    m.set_custom_type::<Plan>("plan");
    m
}

fn current(ctx: &NativeCallContext) -> RhaiResult<Db> {
    shell(ctx)?.current().map_err(throw)
}

#[export_module]
mod plans {
    use super::*;

    /// The plan of a statement on the current session (EXPLAIN), as a value: print it for the tree of
    /// nodes with their costs and estimated rows; its properties say what it does.
    ///
    /// ```rhai
    /// let plan = explain("SELECT * FROM fruit ORDER BY price");
    /// plan.node_types  // ["Sort", "Seq Scan"]
    /// ```
    #[rhai_fn(name = "explain", return_raw)]
    pub fn explain_sql(ctx: NativeCallContext, sql: &str) -> RhaiResult<Plan> {
        explain(&current(&ctx)?, sql, &[], &Map::new()).map_err(throw)
    }

    /// The plan of a statement with parameters (`$1`, `$2`, …).
    ///
    /// ```rhai
    /// let plan = explain("SELECT * FROM fruit WHERE price > $1", [2]);
    /// plan.node_types  // ["Seq Scan"]
    /// ```
    #[rhai_fn(name = "explain", return_raw)]
    pub fn explain_params(ctx: NativeCallContext, sql: &str, params: Array) -> RhaiResult<Plan> {
        explain(&current(&ctx)?, sql, &params, &Map::new()).map_err(throw)
    }

    /// The plan of a statement with options: `analyze` (run it, and show actual times and rows),
    /// `verbose`, `buffers`, `costs`.
    ///
    /// ```rhai
    /// let plan = explain("SELECT count(*) FROM fruit", [], #{analyze: true});
    /// plan.execution_time > 0.0  // true
    /// ```
    #[rhai_fn(name = "explain", return_raw)]
    pub fn explain_options(
        ctx: NativeCallContext,
        sql: &str,
        params: Array,
        options: Map,
    ) -> RhaiResult<Plan> {
        explain(&current(&ctx)?, sql, &params, &options).map_err(throw)
    }

    /// The plan of a statement on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.explain("SELECT 1").node_types  // ["Result"]
    /// ```
    #[rhai_fn(name = "explain", return_raw, pure)]
    pub fn explain_on(db: &mut Db, sql: &str) -> RhaiResult<Plan> {
        explain(db, sql, &[], &Map::new()).map_err(throw)
    }

    /// The plan of a statement with parameters on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.explain("SELECT $1::int + 1", [1]).rows  // 1
    /// ```
    #[rhai_fn(name = "explain", return_raw, pure)]
    pub fn explain_params_on(db: &mut Db, sql: &str, params: Array) -> RhaiResult<Plan> {
        explain(db, sql, &params, &Map::new()).map_err(throw)
    }

    /// The plan of a statement with options on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.explain("SELECT 1", [], #{costs: false}).text  // "Result"
    /// ```
    #[rhai_fn(name = "explain", return_raw, pure)]
    pub fn explain_options_on(
        db: &mut Db,
        sql: &str,
        params: Array,
        options: Map,
    ) -> RhaiResult<Plan> {
        explain(db, sql, &params, &options).map_err(throw)
    }

    /// The plan as PostgreSQL's text format shows it (what `print` shows).
    ///
    /// ```rhai
    /// explain("SELECT 1").text  // "Result  (cost=0.00..0.01 rows=1 width=4)"
    /// ```
    #[rhai_fn(get = "text", pure)]
    pub fn text(plan: &mut Plan) -> String {
        plan.text.to_string()
    }

    /// The plan as PostgreSQL's JSON format gives it (`Plan`, `Planning Time`, …), as a map.
    ///
    /// ```rhai
    /// explain("SELECT 1").json.Plan["Node Type"]  // "Result"
    /// ```
    #[rhai_fn(get = "json", pure)]
    pub fn json(plan: &mut Plan) -> Dynamic {
        Dynamic::from_map((*plan.top).clone())
    }

    /// The plan's node types, top down.
    ///
    /// ```rhai
    /// explain("SELECT name FROM fruit ORDER BY price LIMIT 1").node_types  // ["Limit", "Sort", "Seq Scan"]
    /// ```
    #[rhai_fn(get = "node_types", pure)]
    pub fn node_types(plan: &mut Plan) -> Array {
        plan.node_types().into_iter().map(Dynamic::from).collect()
    }

    /// Whether any node of the plan reads an index.
    ///
    /// ```rhai
    /// explain("SELECT * FROM fruit").uses_index  // false
    /// ```
    #[rhai_fn(get = "uses_index", pure)]
    pub fn uses_index(plan: &mut Plan) -> bool {
        plan.node_types().iter().any(|t| t.contains("Index"))
    }

    /// The planner's total cost estimate for the whole plan.
    ///
    /// ```rhai
    /// explain("SELECT 1").total_cost  // 0.01
    /// ```
    #[rhai_fn(get = "total_cost", pure)]
    pub fn total_cost(plan: &mut Plan) -> Dynamic {
        num(&plan.root(), "Total Cost")
            .map(Dynamic::from)
            .unwrap_or(Dynamic::UNIT)
    }

    /// The planner's estimate of the rows the statement returns.
    ///
    /// ```rhai
    /// explain("SELECT 1").rows  // 1
    /// ```
    #[rhai_fn(get = "rows", pure)]
    pub fn rows(plan: &mut Plan) -> Dynamic {
        num(&plan.root(), "Plan Rows")
            .map(|r| Dynamic::from(r as INT))
            .unwrap_or(Dynamic::UNIT)
    }

    /// The execution time in milliseconds, with `#{analyze: true}`; `()` without.
    ///
    /// ```rhai
    /// explain("SELECT 1").execution_time  // ()
    /// ```
    #[rhai_fn(get = "execution_time", pure)]
    pub fn execution_time(plan: &mut Plan) -> Dynamic {
        num(&plan.top, "Execution Time")
            .map(Dynamic::from)
            .unwrap_or(Dynamic::UNIT)
    }

    /// The plan as PostgreSQL's text format shows it.
    ///
    /// ```rhai
    /// explain("SELECT 1").to_string()  // "Result  (cost=0.00..0.01 rows=1 width=4)"
    /// ```
    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn to_string(plan: &mut Plan) -> String {
        plan.text.to_string()
    }
}
