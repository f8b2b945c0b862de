//! The session's pinned connection: connecting on first use, noticing a lost one before anything is sent
//! on it and reconnecting when no work is lost, Ctrl-C's cancel request, and giving the connection back.

use super::{Report, Session, TxStatus};
use crate::db::pool::PgConn;
use crate::error::SqlState;
use crate::error::{Error, ErrorKind, Result};

/// A connection idle this long is checked (one round trip) before the next statement uses it.
const IDLE_CHECK_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

impl Session {
    /// The pinned connection, connecting (or reconnecting, when that cannot lose work) as needed.
    pub(super) fn conn(&mut self) -> Result<&mut PgConn> {
        self.reclaim();
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
                .with_code(SqlState::CONNECTION_FAILURE));
            }
            (self.reporter)(Report::Reconnected(format!(
                "the connection to {} was lost; reconnecting (no statement was being run)",
                self.pool.spec.label
            )));
        }
        if self.conn.is_none() {
            let reporter = self.reporter.clone();
            let mut progress = |p| reporter(Report::Connecting(p));
            let mut conn = self.pool.checkout(&self.options.policy, &mut progress)?;
            conn.canceller = make_canceller(&conn, self.pool.spec.tls(), self.pool.spec.embedded);
            self.cache.clear();
            self.set_zone(&conn.timezone.clone());
            self.zone_dirty = false;
            self.conn = Some(conn);
            self.listening = false;
            self.tx = TxStatus::Idle;
            self.savepoints = 0;
        }
        match self.conn.as_deref_mut() {
            Some(c) => Ok(c),
            None => Err(Error::new(ErrorKind::Connect, "no connection")),
        }
    }

    /// End the session: roll back an open transaction, reset session state, and give the connection back.
    /// Returns true when a transaction had to be rolled back.
    pub fn close(&mut self) -> bool {
        let rolled_back = self.release();
        self.closed = true;
        rolled_back
    }

    /// End the session and close its connection instead of pooling it (the embedded server allows one
    /// connection in all, so switching databases there must really let go of the old one).
    pub fn close_discard(&mut self) -> bool {
        self.reclaim();
        if let Some(c) = self.conn.as_deref_mut() {
            c.broken = true;
        }
        self.close()
    }

    /// Give the connection back to the pool in a state the next user cannot trip on.
    pub(super) fn release(&mut self) -> bool {
        self.reclaim();
        let mut rolled_back = false;
        if let Some(mut c) = self.conn.take() {
            // A stream that outlived the session (its loop body closed it) leaves its batches behind.
            c.client.clear_prefetches();
            // A frozen server must not hold Ctrl-C off here either (see `crate::interrupt`).
            let _guard = super::cancel_guard(&c);
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
            // DISCARD ALL ended its LISTENs; what they brought in is not the next session's.
            super::notify::forget_notifications(&mut c);
            drop(c);
        }
        self.tx = TxStatus::Idle;
        self.savepoints = 0;
        self.stream_tx = false;
        rolled_back
    }
}

/// What Ctrl-C and SIGTERM do on a connection: send a CancelRequest, bounded in time (the signal thread calls
/// it; see `crate::interrupt`). The embedded server cannot cancel: it serves one connection at a time and
/// ignores CancelRequest, so there Ctrl-C explains that, and a second Ctrl-C ends pgsh.
fn make_canceller(
    conn: &PgConn,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    embedded: bool,
) -> Option<crate::interrupt::Canceller> {
    if embedded {
        return Some(crate::interrupt::Canceller::Uncancellable);
    }
    let token = conn.client.cancel_token();
    Some(crate::interrupt::Canceller::Server {
        cancel: std::sync::Arc::new(move |timeout| {
            token.cancel_query_within(tls.clone(), timeout).is_ok()
        }),
        abandon: conn
            .client
            .socket_fd()
            .and_then(SocketIdentity::of)
            .map(|socket| {
                std::sync::Arc::new(move || socket.shut_down())
                    as std::sync::Arc<dyn Fn() + Send + Sync>
            }),
    })
}

/// A connection's socket, known by its descriptor and its inode: the descriptor alone could by then name
/// another file (a connection that ended closes it, and the number is reused), so shutting down checks that
/// the descriptor still names the same socket.
#[derive(Clone, Copy)]
struct SocketIdentity {
    fd: i32,
    dev: u64,
    ino: u64,
}

impl SocketIdentity {
    fn of(fd: i32) -> Option<SocketIdentity> {
        let (dev, ino) = fstat_id(fd)?;
        Some(SocketIdentity { fd, dev, ino })
    }

    /// Shut the socket down both ways: the connection's reader sees the end of the stream, so a request
    /// waiting on a server that never answers ends with a lost connection.
    fn shut_down(&self) {
        if fstat_id(self.fd) == Some((self.dev, self.ino)) {
            // SAFETY: shutdown(2) on a descriptor just checked to be this connection's socket; it does not
            // close the descriptor, which its owner still closes.
            unsafe {
                libc::shutdown(self.fd, libc::SHUT_RDWR);
            }
        }
    }
}

fn fstat_id(fd: i32) -> Option<(u64, u64)> {
    // SAFETY: fstat fills a stat we own; failure (a closed descriptor) is checked.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        (libc::fstat(fd, &mut st) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFSOCK)
            .then_some((st.st_dev, st.st_ino))
    }
}
