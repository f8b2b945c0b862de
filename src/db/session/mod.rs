//! A session: one pinned connection that all statements of a script or REPL run on, its transaction state,
//! its prepared-statement cache, and what happens when the connection breaks.

use std::rc::Rc;

use postgres::Statement;
use postgres_types::{FromSql, Type};
use rhai::Dynamic;

use super::connect::{map_error, Notice};
use super::pool::{PgConn, Pool, Pooled, ServerInfo};
use super::resultset::{Columns, ResultSet};
use super::retry::RetryPolicy;
use crate::error::{Error, ErrorKind, Result};
use crate::sql::scan::{self, TxEffect};
use crate::value::decode::{
    decode, decode_shadowed, decode_text, read_mode, ColumnRead, DecodeCtx,
};
use crate::value::encode::encode_params;

/// The server's transaction status as psql shows it in its prompt (`%x`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxStatus {
    Idle,
    InTransaction,
    Failed,
}

/// Something the session wants the user to know (the front end decides how to show it).
#[derive(Clone, Debug)]
pub enum Report {
    /// A connection attempt failed and will be retried.
    Retry(String),
    /// NOTICE/WARNING from the server.
    Notice(Notice),
    /// The connection was replaced.
    Reconnected(String),
    /// `--echo`: a statement about to run, with its parameters.
    Echo(String),
    Warning(String),
}

pub type Reporter = Rc<dyn Fn(Report)>;

/// The outcome of running one statement whose kind is not known in advance (SQL typed at the prompt).
#[derive(Debug)]
pub enum Outcome {
    Rows(ResultSet),
    /// A command tag like `INSERT 0 1` (None when the statement has none to show).
    Command(Option<String>),
}

/// Session options.
#[derive(Clone, Debug, Default)]
pub struct SessionOptions {
    pub policy: RetryPolicy,
    pub echo: bool,
}

pub struct Session {
    pool: Pool,
    conn: Option<Pooled>,
    tx: TxStatus,
    closed: bool,
    options: SessionOptions,
    reporter: Reporter,
    zone: Rc<jiff::tz::TimeZone>,
    zone_name: String,
    /// A statement in the open transaction may have changed TimeZone: its end (COMMIT, ROLLBACK, ROLLBACK
    /// TO SAVEPOINT) may undo that, so the setting is read again then.
    zone_dirty: bool,
    savepoints: u32,
    /// Prepared statements by SQL text, for the pinned connection only (cleared when it changes).
    cache: lru::LruCache<String, Prepared>,
    /// When the last statement finished (for the idle liveness check).
    last_used: std::time::Instant,
    /// Numbers the cursors `stream()` opens.
    cursor_seq: u64,
    /// A transaction pgsh opened only to host a stream's cursor: invisible to the user, committed (its
    /// WITH HOLD cursor then survives) as soon as any other statement runs, or when the stream ends.
    stream_tx: bool,
    /// Counts the statements scripts run (how a stream sees that its loop body used the connection).
    statements: u64,
}

/// How `fetch_with` reads a statement's rows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    /// All at once, in one trip into the client's runtime.
    All,
    /// Like `All`, from the oldest batch asked for ahead with this token (`Client::prefetch`).
    Ahead(u64),
    /// Decoded as they arrive, for results that are only shown (never two copies of a large result).
    RowByRow,
}

/// Tokens for batches asked for ahead: unique in the process, as a pooled connection outlives its session.
static PREFETCH_TOKEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A server-side cursor opened by [`Session::open_cursor`].
#[derive(Debug)]
pub struct Cursor {
    fetch: String,
    /// The FETCH, prepared on first use.
    fetch_stmt: Option<Prepared>,
    close: String,
    columns: Rc<Columns>,
    /// How the rows are read: the FETCH returns the wrapped statement's columns.
    plan: Rc<ReadPlan>,
    batch: u32,
    /// Names this cursor's batches asked for ahead.
    token: u64,
    /// Keep the next batches asked for while the script works through this one, so the server produces
    /// them meanwhile (outside a user's transaction only). Turned off once the loop body uses the
    /// connection itself: its statements would queue behind the batches asked for.
    prefetch: bool,
    /// Batches asked for and not yet taken.
    ahead: u32,
    /// The session's statement count after this cursor's last fetch.
    seen: u64,
    pub done: bool,
}

impl Cursor {
    pub fn columns(&self) -> &Rc<Columns> {
        &self.columns
    }
}

/// A connection idle this long is checked (one round trip) before the next statement uses it.
const IDLE_CHECK_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

/// A column value as raw bytes: pgsh decodes values itself, with the session's context.
struct Raw<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(Some(raw)))
    }
    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(None))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A statement ready to run, with how to read its columns.
#[derive(Clone)]
struct Prepared {
    stmt: Statement,
    columns: Rc<Columns>,
    /// The SQL actually prepared, when pgsh wrapped the statement to read some columns as text.
    wrapped: Option<Rc<str>>,
    plan: Rc<ReadPlan>,
}

/// How each column of the user's statement is read from the (possibly wrapped) statement's row.
#[derive(Debug)]
struct ReadPlan {
    cols: Vec<ColumnPlan>,
    /// Why the columns that need text could not have it (the statement could not be wrapped).
    unwrapped: Option<String>,
}

#[derive(Debug)]
struct ColumnPlan {
    /// The type in the user's statement (the wrapped one says text for columns cast to it).
    ty: Type,
    read: ColumnRead,
    /// Where the column's `::text` is, for [`ColumnRead::Shadowed`] columns of a wrapped statement.
    shadow: Option<usize>,
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

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("wrapped", &self.wrapped)
            .finish_non_exhaustive()
    }
}

/// Statements worth keeping prepared: the ones scripts repeat. Utility statements are prepared once and
/// dropped (a stream's FETCH names its own cursor, so it is kept on the cursor instead).
fn cacheable(sql: &str) -> bool {
    wrappable(sql)
}

/// Statements after which cached plans may describe the wrong columns (0A000 "cached plan must not change
/// result type" next time, which inside a transaction would fail the whole transaction).
fn invalidates_plans(sql: &str) -> bool {
    let words = scan::leading_keywords(sql, 3);
    match words.first().map(String::as_str) {
        Some("ALTER" | "DROP") => true,
        Some("CREATE") => words.get(1).map(String::as_str) == Some("OR"),
        _ => false,
    }
}

/// Statements that may change the session's TimeZone: SET/RESET/DISCARD, and anything naming set_config or
/// TimeZone (a SELECT set_config(...), a DO block that SETs it). A function that sets it without saying so in
/// the statement is not seen until the next such statement or transaction end.
fn may_change_settings(sql: &str) -> bool {
    if matches!(
        scan::leading_keywords(sql, 1).first().map(String::as_str),
        Some("SET" | "RESET" | "DISCARD")
    ) {
        return true;
    }
    let lower = sql.to_ascii_lowercase();
    lower.contains("set_config") || lower.contains("timezone")
}

/// Statements whose result can be wrapped in a CTE to ask for some columns as text.
fn wrappable(sql: &str) -> bool {
    matches!(
        scan::leading_keywords(sql, 1).first().map(String::as_str),
        Some("SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH" | "VALUES" | "TABLE" | "MERGE")
    )
}

impl Session {
    pub fn new(pool: Pool, options: SessionOptions, reporter: Reporter) -> Session {
        Session {
            conn: None,
            tx: TxStatus::Idle,
            closed: false,
            options,
            reporter,
            zone: Rc::new(jiff::tz::TimeZone::UTC),
            zone_name: "UTC".into(),
            zone_dirty: false,
            savepoints: 0,
            last_used: std::time::Instant::now(),
            cursor_seq: 0,
            stream_tx: false,
            statements: 0,
            cache: lru::LruCache::new(
                std::num::NonZeroUsize::new(pool.settings.statement_cache)
                    .unwrap_or(std::num::NonZeroUsize::MIN),
            ),
            pool,
        }
    }

    /// Connect now (sessions otherwise connect on first use).
    pub fn open(&mut self) -> Result<()> {
        self.conn().map(|_| ())
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The transaction state as the user sees it (a stream's private transaction does not count).
    pub fn tx_status(&self) -> TxStatus {
        if self.stream_tx && self.tx == TxStatus::InTransaction {
            TxStatus::Idle
        } else {
            self.tx
        }
    }

    /// Before any statement that is not a stream's own FETCH/CLOSE: end the stream's private transaction,
    /// so the statement runs in autocommit as the user expects (the WITH HOLD cursor lives on).
    fn settle_stream_tx(&mut self) -> Result<()> {
        self.statements += 1;
        if !self.stream_tx {
            return Ok(());
        }
        self.stream_tx = false;
        let Some(c) = self.conn.as_deref_mut() else {
            self.tx = TxStatus::Idle;
            return Ok(());
        };
        // A batch fetched ahead that failed has aborted the transaction, and COMMIT would quietly roll it
        // back: report that failure, as the COMMIT (which runs the rest of the query) would have.
        if let Some(e) = c.client.settle_prefetches() {
            let err = map_error(e);
            let r = c
                .client
                .batch_execute("ROLLBACK")
                .map_err(|e| map_error(&e));
            self.tx = TxStatus::Idle;
            return r.and(Err(err));
        }
        let sql = if self.tx == TxStatus::Failed {
            "ROLLBACK"
        } else {
            "COMMIT"
        };
        let r = c.client.batch_execute(sql).map_err(|e| map_error(&e));
        self.tx = TxStatus::Idle;
        r
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    pub fn is_connected(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| !c.client.is_closed())
    }

    pub fn server_info(&self) -> Option<&ServerInfo> {
        self.conn.as_ref().map(|c| &c.info)
    }

    pub fn savepoint_depth(&self) -> u32 {
        self.savepoints
    }

    pub fn set_savepoint_depth(&mut self, n: u32) {
        self.savepoints = n;
    }

    /// The pinned connection, connecting (or reconnecting, when that cannot lose work) as needed.
    fn conn(&mut self) -> Result<&mut PgConn> {
        if self.closed {
            return Err(Error::api("this connection was closed with close()"));
        }
        // The same bound as the pool's check-out validation (`validation_timeout`).
        let check_timeout = self.pool.settings.validation_timeout;
        let lost = match self.conn.as_mut() {
            None => false,
            Some(c) => {
                // A connection that sat idle may have died meanwhile (server restart, pg_terminate_backend,
                // network). Check before sending anything, so a statement is never sent on a dead
                // connection and never needs replaying. Back-to-back statements skip the round trip.
                // Not while a stream's batches are on the way: the check would queue behind them (and
                // time out behind a slow one), and their answers will show whether the connection lives.
                let idle =
                    self.last_used.elapsed() >= IDLE_CHECK_AFTER && c.client.prefetches() == 0;
                c.client.is_closed()
                    || c.broken
                    || (idle && c.client.is_valid(check_timeout).is_err())
            }
        };
        if lost {
            if let Some(mut old) = self.conn.take() {
                old.broken = true;
            }
            if self.tx != TxStatus::Idle {
                self.tx = TxStatus::Idle;
                self.savepoints = 0;
                return Err(Error::new(
                    ErrorKind::ConnectionLost,
                    "the connection to the server was lost; the open transaction is lost \
                     (the server rolled it back)",
                )
                .with_code("08006"));
            }
            (self.reporter)(Report::Reconnected(format!(
                "the connection to {} was lost; reconnecting (no statement was being run)",
                self.pool.spec.label
            )));
        }
        if self.conn.is_none() {
            let reporter = self.reporter.clone();
            let mut on_retry = |msg: String| reporter(Report::Retry(msg));
            let mut conn = self.pool.checkout(&self.options.policy, &mut on_retry)?;
            conn.canceller = make_canceller(&conn, self.pool.spec.tls(), self.pool.spec.embedded);
            self.cache.clear();
            self.set_zone(&conn.timezone.clone());
            self.zone_dirty = false;
            self.conn = Some(conn);
            self.tx = TxStatus::Idle;
            self.savepoints = 0;
        }
        match self.conn.as_deref_mut() {
            Some(c) => Ok(c),
            None => Err(Error::new(ErrorKind::Connect, "no connection")),
        }
    }

    fn set_zone(&mut self, name: &str) {
        if name != self.zone_name {
            // Read the setting the way the server does (POSIX offsets are west-positive there).
            let zone =
                crate::value::datetime::session_zone(name).unwrap_or(jiff::tz::TimeZone::UTC);
            self.zone = Rc::new(zone);
            self.zone_name = name.to_string();
        }
    }

    fn ctx(&self) -> DecodeCtx {
        DecodeCtx {
            zone: self.zone.clone(),
            for_display: false,
        }
    }

    fn drain_notices(&self) {
        let notices: Vec<Notice> = match self.pool.spec.notices.lock() {
            Ok(mut q) => q.drain(..).collect(),
            Err(_) => return,
        };
        for n in notices {
            (self.reporter)(Report::Notice(n));
        }
    }

    fn echo(&self, sql: &str, params: &[Dynamic]) {
        if self.options.echo {
            let mut s = crate::redact::redact_secrets(sql.trim());
            if !params.is_empty() {
                let shown: Vec<String> = params
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let text = crate::value::format::scalar_text(p)
                            .map(|t| format!("'{}'", t.replace('\'', "''")))
                            .unwrap_or_else(|| "NULL".into());
                        format!("${} = {}", i + 1, crate::redact::redact_secrets(&text))
                    })
                    .collect();
                s.push_str(&format!("\n  -- parameters: {}", shown.join(", ")));
            }
            (self.reporter)(Report::Echo(s));
        }
    }

    /// Prepare (or fetch from the cache) a statement, with its column plan.
    fn prepare(&mut self, sql: &str) -> Result<Prepared> {
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
    fn prepare_wrapper(&mut self, text: &str) -> Result<Statement> {
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

    /// Open a server-side cursor for `sql` (a portal the rows are fetched from in batches). Inside a
    /// transaction it is an ordinary cursor; outside one it is declared WITH HOLD, so the session stays in
    /// autocommit (statements run while streaming commit as usual) and no transaction is left open.
    pub fn open_cursor(&mut self, sql: &str, params: &[Dynamic], batch: u32) -> Result<Cursor> {
        self.settle_stream_tx()?;
        // Prepared afresh: the cursor's rows are read with these columns, and a cached statement's could be
        // stale after DDL without the server ever saying so (the DECLARE re-plans silently).
        self.cache.pop(sql);
        let p = self.prepare(sql);
        let p = self.finish(sql, p)?;
        self.cursor_seq += 1;
        let name = format!("pgsh_stream_{}", self.cursor_seq);
        // Outside a transaction, open a private one: a cursor there is read as the query runs, where a
        // WITH HOLD cursor declared in autocommit would first be materialised whole on the server.
        let private = self.tx == TxStatus::Idle;
        if private {
            self.control("BEGIN")?;
        }
        let hold = true;
        let single = match scan::split(sql).as_slice() {
            [one] => one.sql.trim_end(),
            _ => sql.trim().trim_end_matches(';'),
        };
        let body = p.wrapped.as_deref().unwrap_or(single);
        let declare = format!(
            "DECLARE {name} NO SCROLL CURSOR {} FOR {body}",
            if hold { "WITH HOLD" } else { "WITHOUT HOLD" }
        );
        let declared = self.execute_inner(&declare, params);
        if private {
            if declared.is_ok() {
                self.stream_tx = true;
            } else {
                let _ = self.rollback_if_open();
            }
        }
        declared.map_err(|e| {
            // Point the caret at the user's statement, not at the DECLARE around it.
            match e.db() {
                Some(db) if db.sql.as_deref() == Some(declare.as_str()) => {
                    let mut d = db.clone();
                    let shift = declare.len() - body.len();
                    d.position = d.position.and_then(|p| p.checked_sub(shift as u32));
                    d.sql = Some(sql.to_string());
                    Error::server(d)
                }
                _ => e,
            }
        })?;
        Ok(Cursor {
            fetch: format!("FETCH FORWARD {} FROM {name}", batch.max(1)),
            fetch_stmt: None,
            close: format!("CLOSE {name}"),
            columns: p.columns,
            plan: p.plan,
            batch: batch.max(1),
            token: PREFETCH_TOKEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            // Only in the stream's own transaction: batches asked for ahead may run past where the loop
            // stops, and an error there must not abort a transaction of the user's.
            prefetch: private,
            ahead: 0,
            seen: self.statements,
            done: false,
        })
    }

    /// The next batch of a cursor's rows (empty when it is exhausted).
    pub fn fetch_cursor(&mut self, cursor: &mut Cursor) -> Result<ResultSet> {
        if self.statements != cursor.seen {
            cursor.prefetch = false;
        }
        let sql = cursor.fetch.clone();
        let prepared = match cursor.fetch_stmt.clone() {
            Some(p) => Ok(p),
            None => self.prepare(&sql),
        };
        let plan = cursor.plan.clone();
        let r = prepared.and_then(|p| {
            // Ask for the batch after this one before reading this one: the server produces it while
            // this one is read and used (without the wait, the server idles while the script works).
            // Sending does not wait for the server; a batch's error comes when it is taken, in order.
            while cursor.prefetch
                && cursor.ahead < 2
                && self.conn()?.client.prefetch(&p.stmt, cursor.token)
            {
                cursor.ahead += 1;
            }
            let read = if cursor.ahead > 0 {
                cursor.ahead -= 1;
                Read::Ahead(cursor.token)
            } else {
                Read::All
            };
            let rows = self.fetch_with(&p, &plan, &sql, &[], read);
            if rows.is_err() && cursor.ahead > 0 {
                // The batches asked for after a failed one fail too (the transaction is aborted): this
                // error is the one to report, and theirs must not surface at the next statement.
                if let Some(c) = self.conn.as_deref_mut() {
                    while c.client.take_prefetch(cursor.token).is_some() {}
                }
                cursor.ahead = 0;
                cursor.prefetch = false;
            }
            cursor.fetch_stmt = Some(p);
            rows
        });
        let mut rs = self.finish(&sql, r)?;
        rs.columns = cursor.columns.clone();
        // FETCH FORWARD n returns fewer than n rows only at the end.
        if rs.row_count() < cursor.batch as usize {
            cursor.done = true;
            cursor.prefetch = false;
        }
        cursor.seen = self.statements;
        Ok(rs)
    }

    /// Close a cursor (an early `break` out of a stream, or its end), and end its private transaction.
    pub fn close_cursor(&mut self, cursor: &Cursor) -> Result<()> {
        if !self.is_connected() {
            self.stream_tx = false;
            return Ok(());
        }
        let Some(c) = self.conn.as_deref_mut() else {
            return Ok(());
        };
        // Batches asked for ahead are not wanted any more (an early `break`, or past the end); Ctrl-C
        // cancels a slow one. One that failed (the query errs further on) has aborted the stream's own
        // transaction, if that is still open: roll it back.
        let guard = cancel_guard(c);
        while let Some(r) = c.client.take_prefetch(cursor.token) {
            if r.is_err() && self.stream_tx && self.tx == TxStatus::InTransaction {
                self.tx = TxStatus::Failed;
            }
        }
        drop(guard);
        let mut result = Ok(());
        // In a failed transaction the cursor is already gone with it.
        if self.tx != TxStatus::Failed {
            result = c
                .client
                .batch_execute(&cursor.close)
                .map_err(|e| map_error(&e));
        }
        if self.stream_tx {
            self.stream_tx = false;
            let end = if self.tx == TxStatus::Failed || result.is_err() {
                "ROLLBACK"
            } else {
                "COMMIT"
            };
            let r = c.client.batch_execute(end).map_err(|e| map_error(&e));
            self.tx = TxStatus::Idle;
            result = result.and(r);
        }
        result
    }

    /// Run a statement that returns rows.
    pub fn query(&mut self, sql: &str, params: &[Dynamic]) -> Result<ResultSet> {
        self.settle_stream_tx()?;
        self.echo(sql, params);
        let result = self.with_replan(sql, |s| s.query_once(sql, params));
        self.finish(sql, result)
    }

    /// Run a statement for its effect; the number of rows affected.
    pub fn execute(&mut self, sql: &str, params: &[Dynamic]) -> Result<u64> {
        self.settle_stream_tx()?;
        self.execute_inner(sql, params)
    }

    fn execute_inner(&mut self, sql: &str, params: &[Dynamic]) -> Result<u64> {
        self.echo(sql, params);
        let result = self.with_replan(sql, |s| {
            let p = s.prepare(sql)?;
            let values = encode_params(p.stmt.params(), params).map_err(Error::param)?;
            let refs: Vec<&(dyn postgres_types::ToSql + Sync)> = values
                .iter()
                .map(|v| v as &(dyn postgres_types::ToSql + Sync))
                .collect();
            let conn = s.conn()?;
            let _guard = cancel_guard(conn);
            conn.client
                .execute(&p.stmt, &refs)
                .map_err(|e| map_error(&e).with_sql(sql))
        });
        self.finish(sql, result)
    }

    /// Run a string of one or more statements without parameters (simple protocol, as psql -c does: one
    /// implicit transaction unless the text itself controls transactions). Returns the total rows affected.
    pub fn execute_batch(&mut self, sql: &str) -> Result<u64> {
        self.settle_stream_tx()?;
        self.echo(sql, &[]);
        let before = self.tx;
        let conn = self.conn()?;
        let result = {
            let _guard = cancel_guard(conn);
            conn.client.simple_query(sql)
        };
        self.last_used = std::time::Instant::now();
        self.drain_notices();
        let statements: Vec<String> = scan::split(sql).iter().map(|s| s.sql.to_string()).collect();
        match result {
            Ok(messages) => {
                for s in &statements {
                    self.apply_effect(scan::tx_effect(s));
                }
                self.after_settings_change(&statements);
                Ok(messages
                    .iter()
                    .map(|m| match m {
                        postgres::SimpleQueryMessage::CommandComplete(n) => *n,
                        _ => 0,
                    })
                    .sum())
            }
            Err(e) => {
                let err = map_error(&e).with_sql(sql);
                self.after_error(&err);
                let controls = statements
                    .iter()
                    .any(|s| scan::tx_effect(s) != TxEffect::None);
                if controls || before != TxStatus::Idle {
                    self.probe_tx();
                }
                // Part of the text may have run (and set TimeZone) before the failing statement.
                if err.kind() != ErrorKind::ConnectionLost {
                    self.after_settings_change(&statements);
                }
                Err(err)
            }
        }
    }

    /// Run one statement of unknown kind (typed at the prompt, or from a SQL file): rows or a command tag.
    pub fn run(&mut self, sql: &str) -> Result<Outcome> {
        self.settle_stream_tx()?;
        let failed_before = self.tx == TxStatus::Failed;
        self.echo(sql, &[]);
        let result = self.with_replan(sql, |s| {
            let p = s.prepare(sql)?;
            if p.stmt.columns().is_empty() {
                if !p.stmt.params().is_empty() {
                    return Err(Error::param(
                        "the statement uses parameters ($1…) but none were given",
                    ));
                }
                let conn = s.conn()?;
                let _guard = cancel_guard(conn);
                let n = conn
                    .client
                    .execute(&p.stmt, &[])
                    .map_err(|e| map_error(&e).with_sql(sql))?;
                // A COMMIT of a failed transaction rolls back: say so, as the server's tag (and psql) does.
                if failed_before && scan::tx_effect(sql) == TxEffect::Commit {
                    return Ok(Outcome::Command(Some("ROLLBACK".into())));
                }
                Ok(Outcome::Command(scan::command_tag(sql, n)))
            } else if p.plan.unwrapped.is_some()
                && p.plan.cols.iter().any(|c| c.read == ColumnRead::Text)
                && p.stmt.params().is_empty()
            {
                // Shown only, as psql does: in text, every column exactly as the server writes it.
                s.fetch_as_text(&p, sql).map(Outcome::Rows)
            } else {
                s.fetch(&p, sql, &[], Read::RowByRow).map(Outcome::Rows)
            }
        });
        self.finish(sql, result)
    }

    /// Run `sql` over the simple protocol, each value as the text the server sends (for display only: a
    /// statement pgsh could not wrap to read some columns as text, like FETCH from a cursor of money).
    fn fetch_as_text(&mut self, p: &Prepared, sql: &str) -> Result<ResultSet> {
        let conn = self.conn()?;
        let _guard = cancel_guard(conn);
        let messages = conn
            .client
            .simple_query(sql)
            .map_err(|e| map_error(&e).with_sql(sql))?;
        let mut out = ResultSet::new(p.columns.clone());
        for m in messages {
            if let postgres::SimpleQueryMessage::Row(r) = m {
                out.push_row((0..p.columns.names.len()).map(|i| match r.get(i) {
                    Some(t) => Dynamic::from(t.to_string()),
                    None => Dynamic::UNIT,
                }));
            }
        }
        Ok(out)
    }

    fn query_once(&mut self, sql: &str, params: &[Dynamic]) -> Result<ResultSet> {
        let p = self.prepare(sql)?;
        self.fetch(&p, sql, params, Read::All)
    }

    fn fetch(
        &mut self,
        p: &Prepared,
        sql: &str,
        params: &[Dynamic],
        read: Read,
    ) -> Result<ResultSet> {
        let plan = p.plan.clone();
        self.fetch_with(p, &plan, sql, params, read)
    }

    /// Run `p` and read its rows as `plan` says (a cursor's FETCH reads with the plan of its query).
    fn fetch_with(
        &mut self,
        p: &Prepared,
        plan: &ReadPlan,
        sql: &str,
        params: &[Dynamic],
        read: Read,
    ) -> Result<ResultSet> {
        let values = encode_params(p.stmt.params(), params).map_err(Error::param)?;
        let names = &p.columns.names;
        if let Some(why) = &plan.unwrapped {
            // Refused before it runs: the statement may change data, and its rows could not be read.
            if let Some((i, col)) =
                (plan.cols.iter().enumerate()).find(|(_, c)| c.read == ColumnRead::Text)
            {
                let name = names.get(i).map(String::as_str).unwrap_or("?");
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!(
                        "cannot read column \"{name}\" of type {ty}: pgsh reads {ty} values as text, and {why}; \
                         cast the column to text ({name}::text); the statement was not run",
                        ty = col.ty.name()
                    ),
                ));
            }
        }
        // Row by row is how results only shown are read (`run`): there values keep the server's text forms
        // where decoding would lose something.
        let ctx = DecodeCtx {
            for_display: read == Read::RowByRow,
            ..self.ctx()
        };
        let conn = self.conn()?;
        let _guard = cancel_guard(conn);
        let mut out = ResultSet::new(p.columns.clone());
        let decode_row = |out: &mut ResultSet, row: &postgres::Row| -> Result<()> {
            for (i, col) in plan.cols.iter().enumerate() {
                let raw: Raw = row.try_get(i).map_err(|e| map_error(&e))?;
                let v = match col.read {
                    ColumnRead::Binary => decode(&col.ty, raw.0, &ctx),
                    ColumnRead::Text => Ok(match raw.0 {
                        None => Dynamic::UNIT,
                        Some(b) => decode_text(&col.ty, &String::from_utf8_lossy(b)),
                    }),
                    ColumnRead::Shadowed => {
                        let text: Option<Raw> = match col.shadow {
                            Some(at) => Some(row.try_get(at).map_err(|e| map_error(&e))?),
                            None => None,
                        };
                        let text = text.and_then(|t| t.0).map(String::from_utf8_lossy);
                        decode_shadowed(&col.ty, raw.0, text.as_deref(), &ctx).map_err(|e| {
                            match &plan.unwrapped {
                                Some(why) => format!("{e} (its text form was not fetched: {why})"),
                                None => e,
                            }
                        })
                    }
                }
                .map_err(|e| {
                    Error::new(
                        ErrorKind::Decode,
                        format!(
                            "cannot read column \"{}\" of type {}: {e}",
                            names.get(i).map(String::as_str).unwrap_or("?"),
                            col.ty.name()
                        ),
                    )
                })?;
                out.data.push(v);
            }
            out.nrows += 1;
            Ok(())
        };
        if read != Read::RowByRow {
            // The whole result in one trip into the client's runtime (one per row costs ~15% more time);
            // raw rows are freed as they are decoded. `stream()` is the bounded-memory way.
            let ahead = match read {
                Read::Ahead(token) => conn.client.take_prefetch(token),
                _ => None,
            };
            let rows = match ahead {
                Some(rows) => rows,
                None => {
                    let refs: Vec<&(dyn postgres_types::ToSql + Sync)> = values
                        .iter()
                        .map(|v| v as &(dyn postgres_types::ToSql + Sync))
                        .collect();
                    conn.client.query(&p.stmt, &refs)
                }
            }
            .map_err(|e| map_error(&e).with_sql(sql))?;
            out.data.reserve(rows.len() * plan.cols.len());
            for row in rows {
                decode_row(&mut out, &row)?;
            }
        } else {
            // Decode row by row as they arrive, never holding all raw rows.
            let mut rows = conn
                .client
                .query_raw(&p.stmt, values.iter())
                .map_err(|e| map_error(&e).with_sql(sql))?;
            use fallible_iterator::FallibleIterator;
            while let Some(row) = rows.next().map_err(|e| map_error(&e).with_sql(sql))? {
                decode_row(&mut out, &row)?;
            }
        }
        Ok(out)
    }

    /// Run `f`; when the server says a cached plan went stale (DDL changed a result type), forget the
    /// prepared statement and run `f` once more. The failed execution did nothing, so this replays no work.
    fn with_replan<T>(
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

    /// Bookkeeping after any statement: notices, transaction state, TimeZone changes.
    fn finish<T>(&mut self, sql: &str, result: Result<T>) -> Result<T> {
        self.last_used = std::time::Instant::now();
        self.drain_notices();
        match &result {
            Ok(_) => {
                if invalidates_plans(sql) {
                    self.cache.clear();
                }
                self.apply_effect(scan::tx_effect(sql));
                self.after_settings_change(std::slice::from_ref(&sql.to_string()));
            }
            Err(e) => {
                if scan::tx_effect(sql) == TxEffect::Commit && e.kind() == ErrorKind::ConnectionLost
                {
                    self.tx = TxStatus::Idle;
                    return Err(Error::new(
                        ErrorKind::ConnectionLost,
                        "the connection was lost during COMMIT: the outcome of the transaction is \
                         unknown (check the data before retrying)",
                    )
                    .with_code("08007"));
                }
                match scan::tx_effect(sql) {
                    // A failing COMMIT (a deferred constraint, a serialization failure) or ROLLBACK still
                    // ends the transaction block: the server is idle again.
                    TxEffect::Commit | TxEffect::Rollback | TxEffect::PrepareTransaction
                        if e.kind() != ErrorKind::ConnectionLost =>
                    {
                        self.tx = TxStatus::Idle;
                        self.savepoints = 0;
                        self.after_settings_change(std::slice::from_ref(&sql.to_string()));
                    }
                    _ => self.after_error(e),
                }
            }
        }
        result
    }

    fn after_error(&mut self, e: &Error) {
        match e.kind() {
            ErrorKind::ConnectionLost => {
                if let Some(c) = self.conn.as_deref_mut() {
                    c.broken = true;
                }
                if self.tx != TxStatus::Idle {
                    // Leave the state as is: the next statement reports the lost transaction.
                    self.tx = TxStatus::Failed;
                }
            }
            // Client-side errors never reached the server.
            ErrorKind::Param | ErrorKind::Api | ErrorKind::Decode | ErrorKind::Interrupted => {
                if e.code() == Some("57014") && self.tx != TxStatus::Idle {
                    self.tx = TxStatus::Failed;
                }
            }
            _ => {
                if self.tx != TxStatus::Idle {
                    self.tx = TxStatus::Failed;
                }
            }
        }
    }

    fn apply_effect(&mut self, effect: TxEffect) {
        self.tx = match (effect, self.tx) {
            // BEGIN, or COMMIT/ROLLBACK AND CHAIN (which start a new transaction even after a failed one).
            (TxEffect::Begin, _) => {
                if self.tx == TxStatus::Failed {
                    self.savepoints = 0;
                }
                TxStatus::InTransaction
            }
            (TxEffect::Commit | TxEffect::Rollback | TxEffect::PrepareTransaction, _) => {
                self.savepoints = 0;
                TxStatus::Idle
            }
            (TxEffect::RollbackToSavepoint, _) => TxStatus::InTransaction,
            (_, s) => s,
        };
    }

    /// Re-read TimeZone when a statement may have changed it, or a transaction in which one ran has ended
    /// (which undoes SET LOCAL, and any SET of a rolled-back transaction). The sync client does not expose
    /// the server's ParameterStatus reports, so pgsh asks (one round trip, only after such statements).
    fn after_settings_change(&mut self, statements: &[String]) {
        let mut touches = false;
        let mut ends = false;
        for s in statements {
            if may_change_settings(s) {
                touches = true;
                if self.tx != TxStatus::Idle {
                    self.zone_dirty = true;
                }
            }
            if matches!(
                scan::tx_effect(s),
                TxEffect::Commit
                    | TxEffect::Rollback
                    | TxEffect::RollbackToSavepoint
                    | TxEffect::PrepareTransaction
            ) || (scan::tx_effect(s) == TxEffect::Begin && self.zone_dirty)
            {
                ends = true;
            }
        }
        let ended_dirty = ends && self.zone_dirty;
        if ended_dirty && self.tx == TxStatus::Idle {
            self.zone_dirty = false;
        }
        if (touches || ended_dirty) && self.tx != TxStatus::Failed {
            self.refresh_zone();
        }
    }

    fn refresh_zone(&mut self) {
        if let Some(c) = self.conn.as_deref_mut() {
            if c.refresh_timezone().is_ok() {
                let tz = c.timezone.clone();
                self.set_zone(&tz);
            }
        }
    }

    /// Ask the server which transaction state we are in (after an error in a multi-statement string).
    fn probe_tx(&mut self) {
        let Some(c) = self.conn.as_deref_mut() else {
            return;
        };
        self.tx = match c
            .client
            .simple_query("SELECT now() = statement_timestamp()")
        {
            Err(e) if e.code().map(|c| c.code()) == Some("25P02") => TxStatus::Failed,
            Err(_) => self.tx,
            Ok(msgs) => {
                let same = msgs.iter().any(
                    |m| matches!(m, postgres::SimpleQueryMessage::Row(r) if r.get(0) == Some("t")),
                );
                if same {
                    TxStatus::Idle
                } else {
                    TxStatus::InTransaction
                }
            }
        };
    }

    /// `COPY ... FROM STDIN`: `feed` writes the data (streamed, never held whole); returns the rows copied.
    pub fn copy_in(
        &mut self,
        sql: &str,
        feed: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<u64>,
    ) -> Result<u64> {
        self.settle_stream_tx()?;
        self.echo(sql, &[]);
        let conn = self.conn()?;
        let result = (|| {
            let _guard = cancel_guard(conn);
            let mut writer = conn
                .client
                .copy_in(sql)
                .map_err(|e| map_error(&e).with_sql(sql))?;
            if let Err(e) = feed(&mut writer) {
                // Dropping the writer without finish() aborts the COPY on the server.
                drop(writer);
                return Err(
                    match e
                        .get_ref()
                        .and_then(|x| x.downcast_ref::<postgres::Error>())
                    {
                        Some(pe) => map_error(pe).with_sql(sql),
                        None => Error::new(ErrorKind::Io, format!("COPY data: {e}")),
                    },
                );
            }
            writer.finish().map_err(|e| map_error(&e).with_sql(sql))
        })();
        self.finish(sql, result)
    }

    /// `COPY ... TO STDOUT`: `sink` receives the data as it arrives; returns the bytes written.
    pub fn copy_out(&mut self, sql: &str, sink: &mut dyn std::io::Write) -> Result<u64> {
        self.settle_stream_tx()?;
        self.echo(sql, &[]);
        let conn = self.conn()?;
        let result = (|| {
            let _guard = cancel_guard(conn);
            let mut reader = conn
                .client
                .copy_out(sql)
                .map_err(|e| map_error(&e).with_sql(sql))?;
            // COPY sends one message per row: gather them into large writes, so whatever the sink does per
            // write (counting records, progress, the file) happens once per 256 KB rather than once per row.
            let read_err = |e: std::io::Error| match e
                .get_ref()
                .and_then(|x| x.downcast_ref::<postgres::Error>())
            {
                Some(pe) => map_error(pe).with_sql(sql),
                None => Error::new(ErrorKind::Io, format!("COPY output: {e}")),
            };
            let write_err =
                |e: std::io::Error| Error::new(ErrorKind::Io, format!("COPY output: {e}"));
            let mut staged: Vec<u8> = Vec::with_capacity(256 * 1024);
            let mut total = 0u64;
            loop {
                use std::io::BufRead;
                let chunk = reader.fill_buf().map_err(read_err)?;
                if chunk.is_empty() {
                    break;
                }
                let n = chunk.len();
                staged.extend_from_slice(chunk);
                reader.consume(n);
                total += n as u64;
                if staged.len() >= 256 * 1024 {
                    sink.write_all(&staged).map_err(write_err)?;
                    staged.clear();
                }
            }
            sink.write_all(&staged).map_err(write_err)?;
            Ok(total)
        })();
        self.finish(sql, result)
    }

    /// Run a simple-protocol statement for pgsh's own bookkeeping (BEGIN/COMMIT/SAVEPOINT issued by the API).
    pub fn control(&mut self, sql: &str) -> Result<()> {
        self.settle_stream_tx()?;
        self.echo(sql, &[]);
        let conn = self.conn()?;
        let r = conn
            .client
            .batch_execute(sql)
            .map_err(|e| map_error(&e).with_sql(sql));
        self.finish(sql, r)
    }

    /// End the session: roll back an open transaction, reset session state, and give the connection back.
    /// Returns true when a transaction had to be rolled back.
    pub fn close(&mut self) -> bool {
        let rolled_back = self.release();
        self.closed = true;
        rolled_back
    }

    /// Give the connection back to the pool in a state the next user cannot trip on.
    fn release(&mut self) -> bool {
        let mut rolled_back = false;
        if let Some(mut c) = self.conn.take() {
            // A stream that outlived the session (its loop body closed it) leaves its batches behind.
            c.client.clear_prefetches();
            if self.tx != TxStatus::Idle {
                rolled_back = true;
                if !c.broken && c.client.batch_execute("ROLLBACK").is_err() {
                    c.broken = true;
                }
            }
            // DISCARD ALL drops prepared statements too: forget ours first so they are not closed twice.
            self.cache.clear();
            if !c.broken && c.client.batch_execute("DISCARD ALL").is_err() {
                c.broken = true;
            }
            drop(c);
        }
        self.tx = TxStatus::Idle;
        self.savepoints = 0;
        self.stream_tx = false;
        rolled_back
    }

    /// Roll back whatever transaction is open (used when a script ends or fails with one open).
    pub fn rollback_if_open(&mut self) -> Result<bool> {
        let private = std::mem::take(&mut self.stream_tx);
        if self.tx == TxStatus::Idle {
            return Ok(false);
        }
        self.savepoints = 0;
        let r = match self.conn.as_deref_mut() {
            Some(c) => c
                .client
                .batch_execute("ROLLBACK")
                .map_err(|e| map_error(&e)),
            None => Ok(()),
        };
        self.tx = TxStatus::Idle;
        if std::mem::take(&mut self.zone_dirty) && r.is_ok() {
            self.refresh_zone();
        }
        // Only a stream's own transaction was open: ending it is not news for the user.
        r.map(|_| !private)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.release();
    }
}

fn is_stale_plan(e: &Error) -> bool {
    e.code() == Some("0A000")
        && e.db().is_some_and(|d| {
            d.message
                .contains("cached plan must not change result type")
        })
}

/// Ctrl-C while a statement runs sends a CancelRequest for it.
fn cancel_guard(conn: &PgConn) -> Option<crate::interrupt::InFlight> {
    conn.canceller.clone().map(crate::interrupt::InFlight::new)
}

/// What Ctrl-C does on a connection: send a CancelRequest from its own thread (so the signal handler never
/// waits on the network). The embedded server cannot cancel: it serves one connection at a time and ignores
/// CancelRequest, so there Ctrl-C explains that, and a second Ctrl-C ends pgsh.
fn make_canceller(
    conn: &PgConn,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    embedded: bool,
) -> Option<crate::interrupt::Canceller> {
    if embedded {
        return Some(std::sync::Arc::new(crate::interrupt::uncancellable_press));
    }
    let token = conn.client.cancel_token();
    Some(std::sync::Arc::new(move || {
        let token = token.clone();
        let tls = tls.clone();
        let _ = std::thread::Builder::new()
            .name("pgsh-cancel".into())
            .spawn(move || {
                let _ = token.cancel_query(tls);
            });
    }))
}

/// The statement to put inside a text wrapper: one statement of a wrappable kind, without its trailing `;`
/// and comments (a comment after the `;` would otherwise swallow the wrapper's closing parenthesis).
fn wrapper_body(sql: &str) -> Option<&str> {
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
fn text_wrapper(body: &str, plan: &mut ReadPlan) -> String {
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
fn columns_of(stmt: &Statement) -> Rc<Columns> {
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
