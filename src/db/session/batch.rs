//! Pipelined batches: one statement prepared once and executed for many parameter rows, every execution
//! sent before the first answer is read (`execute_many`), all or nothing.

use super::{cancel_guard, Session, TxStatus};
use crate::db::connect::map_error;
use crate::error::SqlState;
use crate::error::{Error, ErrorKind, Result};
use crate::value::encode::{encode_params, Encoded};

/// Rows sent per pipeline: bounds the requests (and their encoded parameters) held at once, while a
/// round trip per thousand rows costs nothing measurable.
const CHUNK: usize = 1000;

impl Session {
    /// Run `sql` once per row of `rows` (each row the statement's parameters), pipelined, and return the
    /// total rows affected. Inside an open transaction the rows join it; otherwise they run in one of their
    /// own. Every row is encoded before anything is sent, so a bad value fails with nothing run; a row the
    /// server rejects fails the whole batch (its index, counted from 0, is in the error) and, outside a
    /// transaction of the caller's, nothing is committed.
    pub fn execute_many(&mut self, sql: &str, rows: &[rhai::Array]) -> Result<u64> {
        self.settle_stream_tx()?;
        if self.tx == TxStatus::Failed {
            return Err(Error::new(
                ErrorKind::Sql,
                "current transaction is aborted, commands ignored until end of transaction block",
            )
            .with_code(SqlState::IN_FAILED_SQL_TRANSACTION));
        }
        if self.options.echo {
            self.echo(
                &format!("{} -- execute_many: {} rows", sql.trim(), rows.len()),
                &[],
            );
        }
        let result = self.with_replan(sql, |s| s.execute_many_once(sql, rows));
        self.last_used = std::time::Instant::now();
        self.drain_notices();
        result
    }

    fn execute_many_once(&mut self, sql: &str, rows: &[rhai::Array]) -> Result<u64> {
        let p = self.prepare(sql)?;
        let encoded: Vec<Vec<Encoded>> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                encode_params(p.stmt.params(), row)
                    .map_err(|e| Error::param(format!("execute_many: parameter row {i}: {e}")))
            })
            .collect::<Result<_>>()?;
        let own_tx = self.tx == TxStatus::Idle;
        let conn = self.conn()?;
        let _guard = cancel_guard(conn);
        if own_tx {
            conn.client
                .batch_execute("BEGIN")
                .map_err(|e| map_error(&e).with_sql("BEGIN"))?;
        }
        let mut total = 0;
        let mut failure = None;
        for (c, chunk) in encoded.chunks(CHUNK).enumerate() {
            let refs: Vec<Vec<&(dyn postgres_types::ToSql + Sync)>> = chunk
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|v| v as &(dyn postgres_types::ToSql + Sync))
                        .collect()
                })
                .collect();
            let slices: Vec<&[&(dyn postgres_types::ToSql + Sync)]> =
                refs.iter().map(Vec::as_slice).collect();
            match conn.client.execute_pipelined(&p.stmt, &slices) {
                Ok(n) => total += n,
                Err((i, e)) => {
                    let index = c * CHUNK + i;
                    let err = map_error(&e).with_sql(sql);
                    // Where the failing statement was, as a SQL file's errors say `file:line`.
                    failure = Some(if err.kind() == ErrorKind::Sql {
                        err.with_place(format!("execute_many: parameter row {index}"))
                    } else {
                        err
                    });
                    break;
                }
            }
        }
        let ended = if own_tx {
            let end = if failure.is_some() {
                "ROLLBACK"
            } else {
                "COMMIT"
            };
            conn.client
                .batch_execute(end)
                .map_err(|e| map_error(&e).with_sql(end))
        } else {
            Ok(())
        };
        // A batch of its own is over either way (committed, or rolled back by ROLLBACK or by a failed
        // COMMIT); in the caller's transaction a failure aborts it, as any failed statement does.
        match failure.map(Err).unwrap_or(ended.map(|_| total)) {
            Err(e) => {
                self.after_error(&e);
                Err(e)
            }
            ok => ok,
        }
    }
}
