//! Notifications while the prompt waits: the session lends its connection to a watcher thread, which
//! drives it (the synchronous client reads the socket only while someone calls it) and hands each
//! notification to a printer as it arrives, as psql would print it after the next command. Any use of the
//! session takes the connection back first ([`Session::reclaim`]), so the lending is invisible to callers.
//!
//! Only a session that has said LISTEN lends (a connection that listens to nothing has nothing to show, and
//! taking it back costs up to one polling slice).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::notify::Notification;
use super::Session;
use crate::db::pool::{Pooled, ServerInfo};

/// Where notifications received while idle go (a line editor's external printer at pgsh's prompt).
pub type IdlePrinter = Arc<Mutex<dyn FnMut(String) + Send>>;

/// How long the watcher waits on the socket before looking at its stop flag: taking the connection back
/// costs at most this.
const SLICE: Duration = Duration::from_millis(20);

/// A connection lent to the watcher thread.
pub(super) struct Lent {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Option<Pooled>>>,
    /// The connection's facts, for `server_info` while it is away.
    pub(super) info: ServerInfo,
}

impl Lent {
    /// Stop the watcher and take the connection back (None if the thread died, which it cannot short of a
    /// panic in the client: then the session connects afresh).
    fn take_back(mut self) -> Option<Pooled> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.take().and_then(|t| t.join().ok().flatten())
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// psql's line for a notification (`PrintNotifications`).
pub fn notification_line(channel: &str, payload: &str, pid: i32) -> String {
    if payload.is_empty() {
        format!("Asynchronous notification \"{channel}\" received from server process with PID {pid}.\n")
    } else {
        format!(
            "Asynchronous notification \"{channel}\" with payload \"{payload}\" received from server process with PID {pid}.\n"
        )
    }
}

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
        let info = conn.info.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        // The connection goes over through a slot, so a thread that cannot start leaves it to the session.
        let slot = Arc::new(Mutex::new(Some(conn)));
        let theirs = slot.clone();
        let spawned = std::thread::Builder::new()
            .name("pgsh-idle-notify".into())
            .spawn(move || {
                let mut conn = theirs.lock().ok()?.take()?;
                watch(&mut conn, &flag, &printer);
                Some(conn)
            });
        match spawned {
            Ok(thread) => {
                self.lent = Some(Lent {
                    stop,
                    thread: Some(thread),
                    info,
                })
            }
            Err(_) => self.conn = slot.lock().ok().and_then(|mut c| c.take()),
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

/// The watcher's loop: wait on the socket a slice at a time, printing each notification, until told to stop
/// or the connection ends (the session finds that out itself on its next use).
fn watch(conn: &mut Pooled, stop: &AtomicBool, printer: &IdlePrinter) {
    while !stop.load(Ordering::SeqCst) {
        let got = {
            let mut queue = conn.client.notifications();
            let mut waiting = queue.timeout_iter(SLICE);
            fallible_iterator::FallibleIterator::next(&mut waiting)
        };
        match got {
            Ok(Some(n)) => {
                let n = Notification::from(n);
                if let Ok(mut print) = printer.lock() {
                    print(notification_line(&n.channel, &n.payload, n.pid));
                }
            }
            Ok(None) if conn.client.is_closed() => return,
            Ok(None) => {}
            Err(_) => return,
        }
    }
}
