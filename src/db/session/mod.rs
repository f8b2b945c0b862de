//! A session: one pinned connection that all statements of a script or REPL run on, and running statements
//! on it. The other concerns of a session each have a file: its prepared statements ([`cache`]), streams
//! ([`cursor`]), COPY ([`copy`]), its transaction state ([`tx`]), its TimeZone ([`zone`]), its
//! notifications ([`notify`]), pipelined batches ([`batch`]) and its connection ([`reconnect`]). They add methods to [`Session`]; the types its fields hold live here, so
//! that this file needs nothing from them.

mod batch;
mod cache;
mod copy;
pub mod cursor;
mod exchange;
mod idle;
pub mod lent;
pub mod notify;
mod reconnect;
mod tx;
mod zone;

use crate::error::SqlState;
use std::rc::Rc;

use crate::db::raw::Raw;
use postgres::Statement;
use postgres_types::Type;
use rhai::Dynamic;

use super::connect::{map_error, Notice};
use super::pool::{PgConn, Pool, Pooled, ServerInfo};
use super::resultset::{Columns, ResultSet};
use super::retry::RetryPolicy;
use crate::error::{Error, ErrorKind, Result};
use crate::sql::scan::{self, TxEffect};
use crate::value::column::Column;
use crate::value::decode::{decode, decode_shadowed, decode_text, ColumnRead, DecodeCtx};
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
    /// A connection attempt failed and will be retried (`fan_out`'s targets).
    Retry(String),
    /// Connecting a session under the retry policy: an attempt failed, or retrying is over.
    Connecting(crate::db::retry::ConnectProgress),
    /// NOTICE/WARNING from the server.
    Notice(Notice),
    /// The connection was replaced.
    Reconnected(String),
    /// `--echo`: a statement about to run, with its parameters.
    Echo(String),
    Warning(String),
}

pub type Reporter = Rc<dyn Fn(Report)>;

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
    /// Counts the statements that may have changed the catalog (CREATE, ALTER, DROP, DISCARD), so a
    /// completion cache knows to read it again.
    catalog_changes: u64,
    /// The connection may be listening (SQL with LISTEN ran on it): it is lent out while idle (`idle.rs`).
    listening: bool,
    /// The connection, while a watcher thread prints its notifications (`idle.rs`).
    lent: Option<lent::Lent>,
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

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("wrapped", &self.wrapped)
            .finish_non_exhaustive()
    }
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
            catalog_changes: 0,
            listening: false,
            lent: None,
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

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// How many statements that may have changed the catalog this session has run (see `catalog_changes`).
    pub fn catalog_changes(&self) -> u64 {
        self.catalog_changes
    }

    pub fn is_connected(&self) -> bool {
        self.lent.is_some() || self.conn.as_ref().is_some_and(|c| !c.client.is_closed())
    }

    pub fn server_info(&self) -> Option<&ServerInfo> {
        match &self.lent {
            Some(lent) => Some(&lent.info),
            None => self.conn.as_ref().map(|c| &c.info),
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

    /// Run a statement that returns rows.
    pub fn query(&mut self, sql: &str, params: &[Dynamic]) -> Result<ResultSet> {
        no_nul(sql)?;
        self.settle_stream_tx()?;
        self.echo(sql, params);
        let result = self.with_replan(sql, |s| s.query_once(sql, params));
        self.finish(sql, result)
    }

    /// Run a statement for its effect; the number of rows affected.
    pub fn execute(&mut self, sql: &str, params: &[Dynamic]) -> Result<u64> {
        no_nul(sql)?;
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
        no_nul(sql)?;
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
        // Columns of the common scalar types read in binary keep their values compactly (`Column`).
        let typed: Vec<Column> = plan
            .cols
            .iter()
            .map(|col| match col.read {
                ColumnRead::Binary => Column::for_binary(&col.ty, &ctx),
                _ => Column::values(),
            })
            .collect();
        let mut out = ResultSet::with_columns(p.columns.clone(), typed);
        let decode_row = |out: &mut ResultSet, row: &postgres::Row| -> Result<()> {
            out.push_row_with(|i, column| {
                let Some(col) = plan.cols.get(i) else {
                    column.push(Dynamic::UNIT);
                    return Ok(());
                };
                let raw: Raw = row.try_get(i).map_err(|e| map_error(&e))?;
                let decoded = if column.is_typed() {
                    column.push_raw(&col.ty, raw.0).map_err(|e| e.to_string())
                } else {
                    match col.read {
                        ColumnRead::Binary => {
                            decode(&col.ty, raw.0, &ctx).map_err(|e| e.to_string())
                        }
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
                                    Some(why) => {
                                        format!("{e} (its text form was not fetched: {why})")
                                    }
                                    None => e.to_string(),
                                }
                            })
                        }
                    }
                    .map(|v| column.push(v))
                };
                decoded.map_err(|e| {
                    Error::new(
                        ErrorKind::Decode,
                        format!(
                            "cannot read column \"{}\" of type {}: {e}",
                            names.get(i).map(String::as_str).unwrap_or("?"),
                            col.ty.name()
                        ),
                    )
                })
            })
        };
        if read != Read::RowByRow {
            // The whole result in one trip into the client's runtime (one per row costs ~15% more time).
            // `stream()` is the bounded-memory way.
            let ahead = match read {
                Read::Ahead(token) => conn.client.take_prefetch(token),
                _ => None,
            };
            match ahead {
                Some(rows) => {
                    let rows = rows.map_err(|e| map_error(&e).with_sql(sql))?;
                    for row in rows {
                        decode_row(&mut out, &row)?;
                    }
                }
                None => {
                    // Decoded as they arrive, in one trip into the runtime: the raw rows are never all
                    // held at once beside their decoded values (peak memory).
                    let refs: Vec<&(dyn postgres_types::ToSql + Sync)> = values
                        .iter()
                        .map(|v| v as &(dyn postgres_types::ToSql + Sync))
                        .collect();
                    conn.client
                        .query_each(&p.stmt, &refs, |row| decode_row(&mut out, &row))
                        .map_err(|e| map_error(&e).with_sql(sql))??;
                }
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

    /// Run a simple-protocol statement for pgsh's own bookkeeping (BEGIN/COMMIT/SAVEPOINT issued by the API).
    pub fn control(&mut self, sql: &str) -> Result<()> {
        no_nul(sql)?;
        self.settle_stream_tx()?;
        self.echo(sql, &[]);
        let conn = self.conn()?;
        let r = {
            let _guard = cancel_guard(conn);
            conn.client
                .batch_execute(sql)
                .map_err(|e| map_error(&e).with_sql(sql))
        };
        self.finish(sql, r)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.release();
    }
}

/// SQL text cannot carry a NUL byte (the protocol's strings end at one, and the client library refuses to
/// send it, which used to surface as a lost connection). Checked before anything is sent, so the session and
/// its open transaction are untouched.
pub(super) fn no_nul(sql: &str) -> Result<()> {
    match sql.find('\0') {
        None => Ok(()),
        Some(at) => {
            let before = &sql[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            Err(Error::new(
                ErrorKind::Param,
                format!(
                    "the SQL text contains a NUL byte (line {line}, column {column}); PostgreSQL cannot \
                     accept it, and nothing was sent"
                ),
            )
            .with_code(SqlState::CHARACTER_NOT_IN_REPERTOIRE))
        }
    }
}

/// Ctrl-C while a statement runs sends a CancelRequest for it.
fn cancel_guard(conn: &PgConn) -> Option<crate::interrupt::InFlight> {
    conn.canceller.clone().map(crate::interrupt::InFlight::new)
}
