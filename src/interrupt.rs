//! Signals: Ctrl-C (one process-wide flag, and a cancel request for the statement running on the server),
//! and SIGTERM/SIGHUP, which end pgsh promptly whatever it is waiting for.
//!
//! The signal handler only writes the signal's number to a pipe; a thread of ours reads it and acts, so the
//! work (a cancel request over the network, a message) is never done in signal context. Rhai code notices the
//! Ctrl-C flag in `on_progress`; sleeps poll it.
//!
//! Nothing here waits unboundedly on the server: a cancel request gives up after [`CANCEL_TIMEOUT`]; a server
//! that does not answer one (a frozen backend, a network that stopped forwarding) is reported after
//! [`CANCEL_GRACE`], and a Ctrl-C pressed after that ends pgsh (exit 130, as an unhandled Ctrl-C would) — or,
//! at the prompt ([`abandon_when_unanswered`]), abandons the statement by shutting its connection's socket down,
//! and the prompt comes back; either way the server rolls back what the closed connection had open. SIGTERM and SIGHUP send a cancel request for the
//! running statement (waiting for it at most [`TERM_CANCEL_TIMEOUT`]), say so on stderr, and end pgsh by that
//! signal (a shell reports 143 or 129), as psql ends on them.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How a statement in flight is cancelled (made once per connection, shared cheaply per statement).
#[derive(Clone)]
pub enum Canceller {
    /// A server reached over a socket.
    Server {
        /// Send PostgreSQL's CancelRequest, giving up after the duration; true when it was delivered.
        cancel: Arc<dyn Fn(Duration) -> bool + Send + Sync>,
        /// Shut the connection's socket down, so the wait for an answer ends at once with a lost
        /// connection (the server rolls back what the connection had open). None when the socket is not
        /// known.
        abandon: Option<Arc<dyn Fn() + Send + Sync>>,
    },
    /// The embedded server serves one connection at a time and ignores CancelRequest.
    Uncancellable,
}

/// Directories to remove when a signal ends pgsh (the embedded server's temporary ones: ending by the
/// signal skips the destructors that would remove them).
static CLEANUP: Mutex<Vec<std::path::PathBuf>> = Mutex::new(Vec::new());

/// Remove `dir` if a signal ends pgsh (until [`forget_on_signal_exit`]).
pub fn remove_on_signal_exit(dir: &std::path::Path) {
    if let Ok(mut dirs) = CLEANUP.lock() {
        dirs.push(dir.to_path_buf());
    }
}

/// `dir` is no longer to be removed when a signal ends pgsh (its owner removed it, or keeps it).
pub fn forget_on_signal_exit(dir: &std::path::Path) {
    if let Ok(mut dirs) = CLEANUP.lock() {
        dirs.retain(|d| d != dir);
    }
}

static UNANSWERED_ABANDONS: AtomicBool = AtomicBool::new(false);

/// From now on a Ctrl-C after an unanswered cancel request abandons the statement (its connection closed)
/// instead of ending pgsh: the REPL asks for this, so the prompt comes back.
pub fn abandon_when_unanswered() {
    UNANSWERED_ABANDONS.store(true, Ordering::SeqCst);
}

fn abandons() -> bool {
    UNANSWERED_ABANDONS.load(Ordering::SeqCst)
}

/// A cancel request gives up after this long (a network that stops forwarding could otherwise hold it for ever).
pub const CANCEL_TIMEOUT: Duration = Duration::from_secs(5);
/// A statement still running this long after Ctrl-C is "not answering": pgsh says so, and the next Ctrl-C
/// ends pgsh. Presses before that send the cancel request again, as psql does.
pub const CANCEL_GRACE: Duration = Duration::from_secs(1);
/// SIGTERM/SIGHUP wait at most this long for the cancel request before ending pgsh.
pub const TERM_CANCEL_TIMEOUT: Duration = Duration::from_secs(2);

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
/// The write end of the self-pipe the signal handler writes to (-1 before [`install`]).
static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);
/// Numbers the statements made in flight, so a late watcher can tell "still the same statement".
static GENERATION: AtomicU64 = AtomicU64::new(0);
/// The statement in flight, if any.
static IN_FLIGHT: Mutex<Option<Statement>> = Mutex::new(None);
/// The terminal's settings when pgsh started, restored before a signal ends pgsh (the line editor may have
/// left the terminal in raw mode).
static TERMINAL: OnceLock<Option<libc::termios>> = OnceLock::new();

struct Statement {
    cancel: Canceller,
    generation: u64,
    presses: u32,
    first_press: Option<Instant>,
}

/// Install the process's SIGINT, SIGTERM and SIGHUP handling (once; later calls are no-ops).
pub fn install() -> Result<(), String> {
    INSTALLED.get_or_init(install_once).clone()
}

fn install_once() -> Result<(), String> {
    TERMINAL.get_or_init(saved_terminal);
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe2 fills the two-element array we own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(format!(
            "cannot install the signal handlers: {}",
            std::io::Error::last_os_error()
        ));
    }
    let [read_end, write_end] = fds;
    PIPE_WRITE.store(write_end, Ordering::SeqCst);
    std::thread::Builder::new()
        .name("pgsh-signals".into())
        .spawn(move || signal_loop(read_end))
        .map_err(|e| format!("cannot install the signal handlers: {e}"))?;
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: a zeroed sigaction with our handler; the handler only calls write(2) (async-signal-safe)
        // and preserves errno. SA_RESTART keeps blocking reads elsewhere from failing with EINTR.
        let ok = unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut()) == 0
        };
        if !ok {
            return Err(format!(
                "cannot install the signal handlers: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
    Ok(())
}

extern "C" fn on_signal(sig: libc::c_int) {
    // SAFETY: errno is saved and restored around write(2), the only call made here.
    unsafe {
        let errno = *libc::__errno_location();
        let byte = sig as u8;
        libc::write(
            PIPE_WRITE.load(Ordering::Relaxed),
            (&byte as *const u8).cast(),
            1,
        );
        *libc::__errno_location() = errno;
    }
}

fn signal_loop(read_end: libc::c_int) {
    loop {
        let mut byte = 0u8;
        // SAFETY: reads one byte into a local.
        let n = unsafe { libc::read(read_end, (&mut byte as *mut u8).cast(), 1) };
        if n == 1 {
            match byte as libc::c_int {
                libc::SIGINT => on_interrupt(),
                sig => on_terminate(sig),
            }
        } else if n == 0
            || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted
        {
            return;
        }
    }
}

/// Ctrl-C: set the flag; cancel the statement in flight; after [`CANCEL_GRACE`] without an answer, end pgsh.
fn on_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let (cancel, generation, presses, since_first) = {
        let Ok(mut slot) = IN_FLIGHT.lock() else {
            return;
        };
        let Some(st) = slot.as_mut() else {
            return;
        };
        st.presses += 1;
        let first = *st.first_press.get_or_insert_with(Instant::now);
        (
            st.cancel.clone(),
            st.generation,
            st.presses,
            first.elapsed(),
        )
    };
    match cancel {
        Canceller::Uncancellable if presses <= 1 => say(
            "pgsh: the embedded database cannot cancel a running statement; it will finish first \
             (press Ctrl-C again to quit pgsh)",
        ),
        Canceller::Uncancellable => end_by(libc::SIGINT),
        Canceller::Server {
            abandon: Some(abandon),
            ..
        } if presses > 1 && since_first >= CANCEL_GRACE && abandons() => {
            say(
                "pgsh: the server did not answer the cancel request; the statement is abandoned \
                 (its connection is closed, and the server rolls back what it had open)",
            );
            abandon();
        }
        Canceller::Server { .. } if presses > 1 && since_first >= CANCEL_GRACE => {
            say(
                "pgsh: the server did not answer the cancel request; quitting \
                 (closing the connection makes the server roll back what it had open)",
            );
            end_by(libc::SIGINT);
        }
        Canceller::Server { cancel: send, .. } => {
            let first = presses == 1;
            let _ = std::thread::Builder::new()
                .name("pgsh-cancel".into())
                .spawn(move || {
                    let started = Instant::now();
                    send(CANCEL_TIMEOUT);
                    if first {
                        std::thread::sleep(CANCEL_GRACE.saturating_sub(started.elapsed()));
                        if still_in_flight(generation) {
                            say(if abandons() {
                                "pgsh: the server has not answered the cancel request \
                                 (press Ctrl-C again to abandon the statement)"
                            } else {
                                "pgsh: the server has not answered the cancel request \
                                 (press Ctrl-C again to quit pgsh)"
                            });
                        }
                    }
                });
        }
    }
}

fn still_in_flight(generation: u64) -> bool {
    IN_FLIGHT
        .lock()
        .map(|slot| slot.as_ref().is_some_and(|s| s.generation == generation))
        .unwrap_or(false)
}

/// SIGTERM or SIGHUP: a bounded cancel request for the statement in flight, a line on stderr, and the end.
fn on_terminate(sig: libc::c_int) {
    let cancel = IN_FLIGHT
        .lock()
        .ok()
        .and_then(|slot| slot.as_ref().map(|s| s.cancel.clone()));
    let name = if sig == libc::SIGHUP {
        "SIGHUP"
    } else {
        "SIGTERM"
    };
    let detail = match cancel {
        Some(Canceller::Server { cancel: send, .. }) => {
            if send(TERM_CANCEL_TIMEOUT) {
                " (a cancel request was sent for the running statement)"
            } else {
                " (the cancel request for the running statement could not be sent; closing the connection \
                 makes the server roll back what it had open)"
            }
        }
        _ => "",
    };
    say(&format!("pgsh: terminated by {name}{detail}"));
    end_by(sig);
}

/// End the process by `sig`'s default action (so the parent sees "killed by SIGINT/SIGTERM/SIGHUP", 130, 143
/// or 129 in a shell), with the terminal as it was found.
fn end_by(sig: libc::c_int) {
    restore_terminal();
    // Bounded by the directories' size; this runs on the signal thread, not in signal context.
    if let Ok(mut dirs) = CLEANUP.lock() {
        for dir in dirs.drain(..) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    // SAFETY: restoring the default disposition and re-raising is the conventional way to end "by the
    // signal"; raise from this thread delivers it to this thread, and its default action ends the process.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

/// One line on stderr, without waiting on a full pipe (a reader that stopped reading must not stop us).
fn say(text: &str) {
    let line = format!("{text}\n");
    let mut poll = libc::pollfd {
        fd: libc::STDERR_FILENO,
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: poll on one pollfd we own, then write(2) of our own buffer (shorter than PIPE_BUF, so a
    // writable pipe takes it whole without blocking).
    unsafe {
        if libc::poll(&mut poll, 1, 200) == 1 && poll.revents & libc::POLLOUT != 0 {
            libc::write(libc::STDERR_FILENO, line.as_ptr().cast(), line.len());
        }
    }
}

fn saved_terminal() -> Option<libc::termios> {
    // SAFETY: tcgetattr fills a termios we own; failure (not a terminal) is checked.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        (libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0).then_some(t)
    }
}

fn restore_terminal() {
    let Some(Some(saved)) = TERMINAL.get() else {
        return;
    };
    // SAFETY: plain terminal syscalls on stdin. Only the foreground process group may set the terminal (a
    // background one would be stopped by SIGTTOU), and only when the line editor left it changed.
    unsafe {
        if libc::tcgetpgrp(libc::STDIN_FILENO) != libc::getpgrp() {
            return;
        }
        let mut now: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(libc::STDIN_FILENO, &mut now) == 0
            && (now.c_lflag != saved.c_lflag
                || now.c_iflag != saved.c_iflag
                || now.c_oflag != saved.c_oflag)
        {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved);
        }
    }
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

/// While alive, Ctrl-C cancels the statement this guard was made for.
pub struct InFlight(u64);

impl InFlight {
    pub fn new(cancel: Canceller) -> InFlight {
        let generation = GENERATION.fetch_add(1, Ordering::SeqCst) + 1;
        if let Ok(mut slot) = IN_FLIGHT.lock() {
            *slot = Some(Statement {
                cancel,
                generation,
                presses: 0,
                first_press: None,
            });
        }
        InFlight(generation)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut slot) = IN_FLIGHT.lock() {
            if slot.as_ref().is_some_and(|s| s.generation == self.0) {
                *slot = None;
            }
        }
    }
}
