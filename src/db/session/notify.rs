//! LISTEN/NOTIFY on a session: listening, notifying, and taking the notifications the connection has
//! received, in the order the server sent them. The driver queues every notification it reads, whatever
//! statement was running when it came, so none is lost between calls.

use crate::error::SqlState;
use std::time::{Duration, Instant};

use rhai::Dynamic;

use super::Session;
use crate::db::pool::PgConn;
use crate::error::{Error, ErrorKind, Result};

/// One notification, as `wait_notification` and `notifications` give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub channel: String,
    pub payload: String,
    /// The backend process that sent it (the session's own, for a NOTIFY it sent itself).
    pub pid: i32,
}

impl From<postgres::Notification> for Notification {
    fn from(n: postgres::Notification) -> Self {
        Notification {
            channel: n.channel().to_string(),
            payload: n.payload().to_string(),
            pid: n.process_id(),
        }
    }
}

/// How long one wait blocks before looking at Ctrl-C again.
const SLICE: Duration = Duration::from_millis(50);

/// A channel name as SQL: always quoted, so `listen(x)` and `notify(x, …)` (which passes `x` as a value)
/// name the same channel whatever its case or spelling.
fn channel_sql(channel: &str) -> Result<String> {
    if channel.is_empty() {
        return Err(Error::usage("the channel name is empty"));
    }
    Ok(format!("\"{}\"", channel.replace('"', "\"\"")))
}

impl Session {
    /// `LISTEN channel`: this session receives the channel's notifications from now on.
    pub fn listen(&mut self, channel: &str) -> Result<()> {
        let sql = format!("LISTEN {}", channel_sql(channel)?);
        self.control(&sql)?;
        self.listening = true;
        Ok(())
    }

    /// `UNLISTEN channel`, or `UNLISTEN *` for `"*"`.
    pub fn unlisten(&mut self, channel: &str) -> Result<()> {
        let sql = if channel == "*" {
            "UNLISTEN *".to_string()
        } else {
            format!("UNLISTEN {}", channel_sql(channel)?)
        };
        self.control(&sql)
    }

    /// `pg_notify(channel, payload)` (sent at once, or when the open transaction commits).
    pub fn notify(&mut self, channel: &str, payload: &str) -> Result<()> {
        channel_sql(channel)?;
        self.execute(
            "SELECT pg_notify($1, $2)",
            &[
                Dynamic::from(channel.to_string()),
                Dynamic::from(payload.to_string()),
            ],
        )
        .map(|_| ())
    }

    /// The oldest notification not yet taken, waiting up to `timeout` for one to arrive; `None` when the
    /// time runs out. Ctrl-C ends the wait with an error.
    pub fn wait_notification(&mut self, timeout: Duration) -> Result<Option<Notification>> {
        // A stream's private transaction would hold back delivery (the server sends notifications only
        // between transactions).
        self.settle_stream_tx()?;
        let end = Instant::now().checked_add(timeout);
        let got = wait_on(self.conn()?, end);
        // Waiting read the socket, which shows the connection alive as well as a check would: without this,
        // a loop of waits sent the idle check's round trip before nearly every one.
        if got.is_ok() {
            self.last_used = Instant::now();
        }
        got
    }

    /// Every notification received and not yet taken, oldest first (without waiting).
    pub fn notifications(&mut self) -> Result<Vec<Notification>> {
        let mut out = Vec::new();
        if let Some(conn) = self.conn.as_deref_mut() {
            while let Some(n) = next_queued(conn)? {
                out.push(n);
            }
        }
        Ok(out)
    }
}

/// Wait until `end` (None: for ever, until Ctrl-C) for the oldest notification.
fn wait_on(conn: &mut PgConn, end: Option<Instant>) -> Result<Option<Notification>> {
    loop {
        if let Some(n) = next_queued(conn)? {
            return Ok(Some(n));
        }
        if crate::interrupt::is_set() {
            return Err(Error::interrupted());
        }
        let left = match end {
            Some(end) => end.saturating_duration_since(Instant::now()),
            None => SLICE,
        };
        if left.is_zero() {
            return Ok(None);
        }
        let got = {
            let mut queue = conn.client.notifications();
            let mut waiting = queue.timeout_iter(left.min(SLICE));
            fallible_iterator::FallibleIterator::next(&mut waiting)
                .map_err(|e| crate::db::connect::map_error(&e))
        };
        match got {
            Ok(Some(n)) => return Ok(Some(n.into())),
            Ok(None) if conn.client.is_closed() => {
                conn.broken = true;
                return Err(lost());
            }
            Ok(None) => {}
            Err(e) => {
                conn.broken = true;
                return Err(e);
            }
        }
    }
}

/// The oldest queued notification, reading what the socket already holds but never waiting.
fn next_queued(conn: &mut PgConn) -> Result<Option<Notification>> {
    let got = {
        let mut queue = conn.client.notifications();
        let mut taking = queue.iter();
        fallible_iterator::FallibleIterator::next(&mut taking)
    };
    match got {
        Ok(n) => Ok(n.map(Notification::from)),
        Err(e) => {
            conn.broken = true;
            Err(crate::db::connect::map_error(&e))
        }
    }
}

fn lost() -> Error {
    Error::new(
        ErrorKind::ConnectionLost,
        "the connection to the server was lost while waiting for a notification (its LISTENs are gone)",
    )
    .with_code(SqlState::CONNECTION_FAILURE)
}

/// Drop what a connection going back to the pool still has queued: the next session did not listen.
pub(super) fn forget_notifications(conn: &mut PgConn) {
    while let Ok(Some(_)) = next_queued(conn) {}
}
