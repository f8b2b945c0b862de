//! Streams: server-side cursors read in batches, the batches asked for ahead while a script works
//! through one, and the private transaction a cursor opened outside one lives in.

use std::rc::Rc;

use rhai::Dynamic;

use super::{cancel_guard, Prepared, Read, ReadPlan, Session, TxStatus};
use crate::db::connect::map_error;
use crate::db::resultset::{Columns, ResultSet};
use crate::error::{Error, Result};
use crate::sql::scan;

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

impl Session {
    /// Before any statement that is not a stream's own FETCH/CLOSE: end the stream's private transaction,
    /// so the statement runs in autocommit as the user expects (the WITH HOLD cursor lives on).
    pub(super) fn settle_stream_tx(&mut self) -> Result<()> {
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

    /// Open a server-side cursor for `sql` (a portal the rows are fetched from in batches). Inside a
    /// transaction it is an ordinary cursor; outside one it is declared WITH HOLD, so the session stays in
    /// autocommit (statements run while streaming commit as usual) and no transaction is left open.
    pub fn open_cursor(&mut self, sql: &str, params: &[Dynamic], batch: u32) -> Result<Cursor> {
        super::no_nul(sql)?;
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
}
