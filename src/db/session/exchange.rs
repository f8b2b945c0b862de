//! The psql engine's way in: a query as psql sends it (the simple query protocol, or already-encoded
//! extended-protocol messages), every event of the answer handed over in the server's order while the
//! session keeps its own state (transaction status, statement cache, TimeZone) in step; and what libpq
//! exposes beside results (parameter status, backend PID, notifications).

use super::{cancel_guard, Session, TxStatus};
use crate::error::Result;

impl Session {
    /// A server parameter as the server last reported it (`PQparameterStatus`), when connected.
    pub fn parameter_status(&self, name: &str) -> Option<String> {
        self.conn.as_ref()?.client.parameter_status(name)
    }

    /// Notifications (LISTEN/NOTIFY) received and not yet taken, oldest first.
    pub fn take_notifications(&mut self) -> Vec<postgres::Notification> {
        match self.conn.as_deref_mut() {
            Some(c) => {
                let mut n = c.client.notifications();
                let mut out = Vec::new();
                let mut it = n.iter();
                while let Ok(Some(x)) = fallible_iterator::FallibleIterator::next(&mut it) {
                    out.push(x);
                }
                out
            }
            None => Vec::new(),
        }
    }

    /// Run `sql` as psql does — the simple query protocol, the text exactly as given — handing every event
    /// of the server's answer to `on_event` in the server's order (with the query, for COPY). The session
    /// follows along: its transaction status is the server's (ReadyForQuery), DDL drops the statement
    /// cache (so Rhai's prepared statements never outlive what they were planned against), and a TimeZone
    /// the server reports changed is taken up. Ctrl-C cancels the query on the server.
    pub fn simple_query(
        &mut self,
        sql: &str,
        on_event: &mut dyn FnMut(
            crate::db::simple_query::Event,
            &mut crate::db::simple_query::SimpleQuery<'_>,
        ) -> Result<()>,
    ) -> Result<crate::db::simple_query::ReadyStatus> {
        self.run_exchange(sql, None, on_event)
    }

    /// Like [`Session::simple_query`], for already-encoded extended-protocol messages ending with Sync.
    pub fn raw_exchange(
        &mut self,
        what: &str,
        messages: bytes::Bytes,
        on_event: &mut dyn FnMut(
            crate::db::simple_query::Event,
            &mut crate::db::simple_query::SimpleQuery<'_>,
        ) -> Result<()>,
    ) -> Result<crate::db::simple_query::ReadyStatus> {
        self.run_exchange(what, Some(messages), on_event)
    }

    fn run_exchange(
        &mut self,
        sql: &str,
        raw: Option<bytes::Bytes>,
        on_event: &mut dyn FnMut(
            crate::db::simple_query::Event,
            &mut crate::db::simple_query::SimpleQuery<'_>,
        ) -> Result<()>,
    ) -> Result<crate::db::simple_query::ReadyStatus> {
        use crate::db::simple_query::{Event, ReadyStatus, SimpleQuery};
        if raw.is_none() {
            super::no_nul(sql)?;
        }
        self.settle_stream_tx()?;
        let conn = self.conn()?;
        let _guard = cancel_guard(conn);
        let mut ddl = false;
        let mut listen = false;
        let mut zone: Option<String> = None;
        let outcome = (|| {
            let mut q = match raw {
                Some(messages) => SimpleQuery::start_raw(&mut conn.client, messages)?,
                None => SimpleQuery::start(&mut conn.client, sql)?,
            };
            loop {
                let event = q.next_event()?;
                match &event {
                    Event::Ready(status) => return Ok(*status),
                    Event::Result(r) => {
                        let tag = r.command_tag.as_str();
                        listen |= tag == "LISTEN";
                        if tag.starts_with("CREATE")
                            || tag.starts_with("ALTER")
                            || tag.starts_with("DROP")
                            || tag.starts_with("DISCARD")
                        {
                            ddl = true;
                        }
                    }
                    Event::Parameter(name, value) if name == "TimeZone" => {
                        zone = Some(value.clone());
                    }
                    _ => {}
                }
                on_event(event, &mut q)?;
            }
        })();
        self.last_used = std::time::Instant::now();
        self.listening |= listen;
        if ddl {
            self.catalog_changes += 1;
            self.cache.clear();
        }
        if let Some(z) = zone {
            if let Some(c) = self.conn.as_deref_mut() {
                c.timezone = z.clone();
            }
            self.set_zone(&z);
        }
        match outcome {
            Ok(status) => {
                self.tx = match status {
                    ReadyStatus::Idle => TxStatus::Idle,
                    ReadyStatus::InTransaction => TxStatus::InTransaction,
                    ReadyStatus::Failed => TxStatus::Failed,
                };
                if self.tx == TxStatus::Idle {
                    self.savepoints = 0;
                }
                Ok(status)
            }
            Err(e) => {
                self.after_error(&e);
                Err(e)
            }
        }
    }
}
