//! A connection lent to a thread that prints its notifications as they arrive (see `idle.rs`): the
//! thread, its stop flag, and psql's line for a notification.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::db::pool::{Pooled, ServerInfo};

/// Where notifications received while idle go (a line editor's external printer at pgsh's prompt).
pub type IdlePrinter = Arc<Mutex<dyn FnMut(String) + Send>>;

/// How long the watcher waits on the socket before looking at its stop flag: taking the connection back
/// costs at most this.
const SLICE: Duration = Duration::from_millis(20);

/// A connection lent to the watcher thread.
pub struct Lent {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Option<Pooled>>>,
    /// The connection's facts, for `server_info` while it is away.
    pub info: ServerInfo,
}

impl Lent {
    /// Stop the watcher and take the connection back (None if the thread died, which it cannot short of a
    /// panic in the client: then the session connects afresh).
    pub fn take_back(mut self) -> Option<Pooled> {
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

impl Lent {
    /// Hand `conn` to a new watcher thread printing through `printer`; the connection back when no
    /// thread can start.
    pub fn start(conn: Pooled, printer: IdlePrinter) -> Result<Lent, Box<Pooled>> {
        let info = conn.info.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        // The connection goes over through a slot, so a thread that cannot start leaves it to the caller.
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
            Ok(thread) => Ok(Lent {
                stop,
                thread: Some(thread),
                info,
            }),
            Err(_) => match slot.lock().ok().and_then(|mut c| c.take()) {
                Some(conn) => Err(Box::new(conn)),
                // Unreachable: the thread never started, so the slot still holds the connection.
                None => Ok(Lent {
                    stop,
                    thread: None,
                    info,
                }),
            },
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
                if let Ok(mut print) = printer.lock() {
                    print(notification_line(n.channel(), n.payload(), n.process_id()));
                }
            }
            Ok(None) if conn.client.is_closed() => return,
            Ok(None) => {}
            Err(_) => return,
        }
    }
}
