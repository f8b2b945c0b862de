//! The session's prepared statements: preparing (with a text wrapper for columns pgsh cannot read in
//! binary), the cache of the statements scripts repeat, and what makes cached plans stale.

use std::rc::Rc;

use postgres::Statement;

use super::{ColumnPlan, Prepared, ReadPlan, Session, TxStatus};
use crate::db::connect::map_error;
use crate::db::resultset::Columns;
use crate::error::{Error, Result};
use crate::sql::scan;
use crate::value::decode::{read_mode, ColumnRead};

impl Session {
    /// Prepare (or fetch from the cache) a statement, with its column plan.
    pub(super) fn prepare(&mut self, sql: &str) -> Result<Prepared> {
        self.conn()?;
        if let Some(p) = self.cache.get(sql) {
            return Ok(p.clone());
        }
        let conn = self.conn()?;
        let stmt = conn
            .client
            .prepare(sql)
            .map_err(|e| map_error(&e).with_sql(sql))?;
        let columns = columns_of(&stmt);
        let mut plan = ReadPlan::of(&stmt);
        let mut prepared = Prepared {
            stmt,
            columns,
            wrapped: None,
            plan: Rc::new(ReadPlan {
                cols: Vec::new(),
                unwrapped: None,
            }),
        };
        if plan.needs_wrapper() {
            match wrapper_body(sql) {
                Some(body) => {
                    let text = text_wrapper(body, &mut plan);
                    match self.prepare_wrapper(&text) {
                        Ok(w) => {
                            prepared.stmt = w;
                            prepared.wrapped = Some(text.into());
                        }
                        Err(e) => {
                            for c in &mut plan.cols {
                                c.shadow = None;
                            }
                            plan.unwrapped = Some(format!(
                                "the statement could not be wrapped to ask for that ({})",
                                e.message()
                            ));
                        }
                    }
                }
                None => {
                    let verb = scan::leading_keywords(sql, 1).pop().unwrap_or_default();
                    plan.unwrapped = Some(format!(
                        "pgsh can ask for it only in SELECT, INSERT/UPDATE/DELETE … RETURNING, \
                         VALUES, TABLE and WITH statements, not in {verb}"
                    ));
                }
            }
        }
        prepared.plan = Rc::new(plan);
        if cacheable(sql) {
            self.cache.put(sql.to_string(), prepared.clone());
        }
        Ok(prepared)
    }

    /// Prepare the text wrapper. A failed Parse would abort an open transaction, so there it is tried
    /// inside a savepoint.
    pub(super) fn prepare_wrapper(&mut self, text: &str) -> Result<Statement> {
        let in_tx = self.tx == TxStatus::InTransaction;
        let conn = self.conn()?;
        if !in_tx {
            return conn.client.prepare(text).map_err(|e| map_error(&e));
        }
        conn.client
            .batch_execute("SAVEPOINT _pgsh_wrap")
            .map_err(|e| map_error(&e))?;
        let r = conn.client.prepare(text).map_err(|e| map_error(&e));
        let undo = if r.is_err() {
            "ROLLBACK TO SAVEPOINT _pgsh_wrap; RELEASE SAVEPOINT _pgsh_wrap"
        } else {
            "RELEASE SAVEPOINT _pgsh_wrap"
        };
        conn.client.batch_execute(undo).map_err(|e| map_error(&e))?;
        r
    }

    /// Run `f`; when the server says a cached plan went stale (DDL changed a result type), forget the
    /// prepared statement and run `f` once more. The failed execution did nothing, so this replays no work.
    pub(super) fn with_replan<T>(
        &mut self,
        sql: &str,
        mut f: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<T> {
        match f(self) {
            Err(e) if is_stale_plan(&e) => {
                self.cache.pop(sql);
                if self.tx == TxStatus::Idle {
                    f(self)
                } else {
                    // The failure aborted the transaction, so it cannot be run again here; the next run
                    // prepares afresh.
                    Err(e)
                }
            }
            other => other,
        }
    }
}

impl ReadPlan {
    fn of(stmt: &Statement) -> ReadPlan {
        ReadPlan {
            cols: stmt
                .columns()
                .iter()
                .map(|c| ColumnPlan {
                    ty: c.type_().clone(),
                    read: read_mode(c.type_()),
                    shadow: None,
                })
                .collect(),
            unwrapped: None,
        }
    }

    fn needs_wrapper(&self) -> bool {
        self.cols.iter().any(|c| c.read != ColumnRead::Binary)
    }
}

/// Statements worth keeping prepared: the ones scripts repeat. Utility statements are prepared once and
/// dropped (a stream's FETCH names its own cursor, so it is kept on the cursor instead).
pub(super) fn cacheable(sql: &str) -> bool {
    wrappable(sql)
}

/// DDL, after which a cached statement may no longer mean what an unprepared run means: its plan may
/// describe the wrong columns (0A000 "cached plan must not change result type" next time, which inside a
/// transaction would fail the whole transaction), and a plain CREATE (a closer function overload, a table
/// that now shadows another on the search_path) changes what a name resolves to without the server ever
/// re-planning. The cache is dropped after every one (as the simple-query path does by command tag).
pub(super) fn invalidates_plans(sql: &str) -> bool {
    let words = scan::leading_keywords(sql, 1);
    matches!(
        words.first().map(String::as_str),
        Some("ALTER" | "DROP" | "CREATE" | "DISCARD")
    )
}

/// Statements whose result can be wrapped in a CTE to ask for some columns as text.
pub(super) fn wrappable(sql: &str) -> bool {
    matches!(
        scan::leading_keywords(sql, 1).first().map(String::as_str),
        Some("SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH" | "VALUES" | "TABLE" | "MERGE")
    )
}

/// The statement to put inside a text wrapper: one statement of a wrappable kind, without its trailing `;`
/// and comments (a comment after the `;` would otherwise swallow the wrapper's closing parenthesis).
pub(super) fn wrapper_body(sql: &str) -> Option<&str> {
    if !wrappable(sql) {
        return None;
    }
    match scan::split(sql).as_slice() {
        [one] => Some(one.sql.trim_end()),
        _ => None,
    }
}

/// `WITH _pgsh_q(c1, c2, …) AS (<sql>) SELECT c1, c2::text, …, c3, c3::text`: the same rows, with the
/// columns pgsh cannot read in binary asked for as text, and shadowed columns' text added after all the
/// others (their positions are recorded in `plan`). Positional aliases keep duplicate column names apart.
pub(super) fn text_wrapper(body: &str, plan: &mut ReadPlan) -> String {
    let n = plan.cols.len();
    let aliases: Vec<String> = (1..=n).map(|i| format!("c{i}")).collect();
    let mut select: Vec<String> = plan
        .cols
        .iter()
        .enumerate()
        .map(|(i, c)| match c.read {
            ColumnRead::Text => format!("c{}::text", i + 1),
            _ => format!("c{}", i + 1),
        })
        .collect();
    for (i, c) in plan.cols.iter_mut().enumerate() {
        if c.read == ColumnRead::Shadowed {
            c.shadow = Some(select.len());
            select.push(format!("c{}::text", i + 1));
        }
    }
    format!(
        "WITH _pgsh_q({}) AS ({body}\n) SELECT {} FROM _pgsh_q",
        aliases.join(", "),
        select.join(", ")
    )
}

/// Column metadata: names from the original statement, display types from it too (so `money` stays
/// right-aligned even when read as text).
pub(super) fn columns_of(stmt: &Statement) -> Rc<Columns> {
    Rc::new(Columns::new(
        stmt.columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect(),
        stmt.columns()
            .iter()
            .map(|c| Some(c.type_().clone()))
            .collect(),
    ))
}

pub(super) fn is_stale_plan(e: &Error) -> bool {
    e.code() == Some(&crate::error::SqlState::FEATURE_NOT_SUPPORTED)
        && e.db().is_some_and(|d| {
            d.message
                .contains("cached plan must not change result type")
        })
}
