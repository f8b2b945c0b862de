//! Ctrl-C: one process-wide flag, and a way to cancel the statement that is running on the server.
//!
//! The signal handler (from the `ctrlc` crate, run on its own thread) sets the flag and, when a statement is in
//! flight, sends PostgreSQL's CancelRequest for it. Rhai code notices the flag in `on_progress`; sleeps poll it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Cancels the statement in flight (made once per connection, shared cheaply per statement).
pub type Canceller = std::sync::Arc<dyn Fn() + Send + Sync>;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Ctrl-C presses during the current statement.
static PRESSES: AtomicU64 = AtomicU64::new(0);
static IN_FLIGHT: Mutex<Option<Canceller>> = Mutex::new(None);
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

/// Install the process's SIGINT handler (once; later calls are no-ops).
pub fn install() -> Result<(), String> {
    INSTALLED
        .get_or_init(|| {
            ctrlc::set_handler(|| {
                INTERRUPTED.store(true, Ordering::SeqCst);
                PRESSES.fetch_add(1, Ordering::SeqCst);
                if let Ok(guard) = IN_FLIGHT.lock() {
                    if let Some(cancel) = guard.as_ref() {
                        cancel();
                    }
                }
            })
            .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))
        })
        .clone()
}

/// Has Ctrl-C been pressed since the last [`clear`]?
pub fn is_set() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Forget an earlier Ctrl-C (the REPL does this before each input).
pub fn clear() {
    INTERRUPTED.store(false, Ordering::SeqCst);
}

/// Sleep for `d`, waking early (with `Err`) when Ctrl-C is pressed; polls every 10 ms so a script stops promptly.
pub fn sleep(d: Duration) -> Result<(), Interrupted> {
    // A wait too long to represent is, for all purposes, until Ctrl-C.
    let end = Instant::now().checked_add(d);
    loop {
        if is_set() {
            return Err(Interrupted);
        }
        let now = Instant::now();
        let left = match end {
            Some(end) if now >= end => return Ok(()),
            Some(end) => end - now,
            None => Duration::from_millis(10),
        };
        std::thread::sleep(left.min(Duration::from_millis(10)));
    }
}

/// Ctrl-C was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

/// For a statement that cannot be cancelled (the embedded server): the first Ctrl-C says so on stderr, the
/// second ends pgsh the way an unhandled Ctrl-C would (default SIGINT action, exit status 130).
pub fn uncancellable_press() {
    // The handler counts the press before calling us.
    if PRESSES.load(Ordering::SeqCst) <= 1 {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "pgsh: the embedded database cannot cancel a running statement; it will finish first \
             (press Ctrl-C again to quit pgsh)"
        );
    } else {
        // SAFETY: restoring the default disposition and re-raising is the conventional way to terminate
        // "by SIGINT" from a handler thread; no Rust state is touched afterwards.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::raise(libc::SIGINT);
        }
    }
}

/// While alive, Ctrl-C cancels the statement this guard was made for.
pub struct InFlight(());

impl InFlight {
    pub fn new(cancel: Canceller) -> InFlight {
        PRESSES.store(0, Ordering::SeqCst);
        if let Ok(mut slot) = IN_FLIGHT.lock() {
            *slot = Some(cancel);
        }
        InFlight(())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut slot) = IN_FLIGHT.lock() {
            *slot = None;
        }
    }
}
