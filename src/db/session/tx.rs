//! The session's transaction state: what each statement does to it, what an error does, asking the server
//! when it is not known, and rolling back what is left open.

use super::cache::invalidates_plans;
use super::{Session, TxStatus};
use crate::db::connect::map_error;
use crate::error::SqlState;
use crate::error::{Error, ErrorKind, Result};
use crate::sql::scan::{self, TxEffect};

impl Session {
    /// The transaction state as the user sees it (a stream's private transaction does not count).
    pub fn tx_status(&self) -> TxStatus {
        if self.stream_tx && self.tx == TxStatus::InTransaction {
            TxStatus::Idle
        } else {
            self.tx
        }
    }

    pub fn savepoint_depth(&self) -> u32 {
        self.savepoints
    }

    pub fn set_savepoint_depth(&mut self, n: u32) {
        self.savepoints = n;
    }

    /// Bookkeeping after any statement: notices, transaction state, TimeZone changes.
    pub(super) fn finish<T>(&mut self, sql: &str, result: Result<T>) -> Result<T> {
        self.last_used = std::time::Instant::now();
        self.drain_notices();
        match &result {
            Ok(_) => {
                if invalidates_plans(sql) {
                    self.catalog_changes += 1;
                    self.cache.clear();
                }
                self.apply_effect(scan::tx_effect(sql));
                self.after_settings_change(std::slice::from_ref(&sql.to_string()));
                self.note_listening(sql);
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
                    .with_code(SqlState::TRANSACTION_RESOLUTION_UNKNOWN));
                }
                if e.kind() == ErrorKind::ConnectionLost && self.tx != TxStatus::Idle {
                    // Say what the loss means for the open transaction now, whatever the style
                    // (`transaction(|| …)` rethrows this very error). The state stays as after_error leaves
                    // it: the next statement is refused too, so a script that catches this cannot go on
                    // outside the transaction it believes it is in.
                    self.after_error(e);
                    return Err(Error::new(
                        ErrorKind::ConnectionLost,
                        format!(
                            "{}; the open transaction is lost (the server rolled it back)",
                            e.message()
                        ),
                    )
                    .with_code(e.code().cloned().unwrap_or(SqlState::CONNECTION_FAILURE)));
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

    pub(super) fn after_error(&mut self, e: &Error) {
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
                if e.code() == Some(&SqlState::QUERY_CANCELED) && self.tx != TxStatus::Idle {
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

    pub(super) fn apply_effect(&mut self, effect: TxEffect) {
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

    /// Ask the server which transaction state we are in (after an error in a multi-statement string).
    pub(super) fn probe_tx(&mut self) {
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

    /// Roll back whatever transaction is open (used when a script ends or fails with one open).
    pub fn rollback_if_open(&mut self) -> Result<bool> {
        self.reclaim();
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
