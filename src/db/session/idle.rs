//! Notifications while the prompt waits: the session lends its connection to a watcher thread, which
//! drives it (the synchronous client reads the socket only while someone calls it) and hands each
//! notification to a printer as it arrives, as psql would print it after the next command. Any use of the
//! session takes the connection back first ([`Session::reclaim`]), so the lending is invisible to callers.
//!
//! Only a session that has said LISTEN lends (a connection that listens to nothing has nothing to show, and
//! taking it back costs up to one polling slice).

use super::lent::{IdlePrinter, Lent};
use super::Session;

impl Session {
    /// A statement a script ran may have been LISTEN: then the session lends its connection while idle
    /// (psql's way in knows from the command tag; cleared when the connection changes).
    pub(super) fn note_listening(&mut self, sql: &str) {
        if !self.listening
            && crate::sql::scan::leading_keywords(sql, 1)
                .first()
                .is_some_and(|k| k == "LISTEN")
        {
            self.listening = true;
        }
    }

    /// While nothing else uses the session, print notifications as they arrive. Does nothing unless the
    /// session listens, is connected, is outside a transaction and has nothing in flight (a stream's
    /// batches). The next use of the session ends it.
    pub fn watch_while_idle(&mut self, printer: IdlePrinter) {
        self.reclaim();
        // The server delivers notifications only outside a transaction.
        if !self.listening || self.stream_tx || self.tx != super::TxStatus::Idle {
            return;
        }
        let Some(conn) = self
            .conn
            .take_if(|c| !c.broken && !c.client.is_closed() && c.client.prefetches() == 0)
        else {
            return;
        };
        match Lent::start(conn, printer) {
            Ok(lent) => self.lent = Some(lent),
            Err(conn) => self.conn = Some(*conn),
        }
    }

    /// Take a lent connection back (a no-op when nothing is lent). Every use of the session calls this first.
    pub fn reclaim(&mut self) {
        if let Some(lent) = self.lent.take() {
            if let Some(conn) = lent.take_back() {
                self.conn = Some(conn);
            }
        }
    }
}
