//! pgsh run in the background, for tests that act while it works: spawn it, wait for its session, send it
//! Ctrl-C, collect its exit status and output, or measure its peak memory.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{NativeCluster, Pgsh};

/// Spawn pgsh in the background (stdout/stderr piped, stdin fed from [`Pgsh::stdin_str`] or /dev/null),
/// keeping its temp HOME alive.
pub fn spawn(cmd: Pgsh) -> (Child, std::sync::Arc<tempfile::TempDir>) {
    let (mut c, home, input) = cmd.into_parts_with_stdin();
    let mut child = c
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pgsh");
    if let (Some(text), Some(mut pipe)) = (input, child.stdin.take()) {
        // On its own thread, closed when written: pgsh may read it slowly, or stop reading.
        std::thread::spawn(move || {
            use std::io::Write;
            let _ = pipe.write_all(text.as_bytes());
        });
    }
    (child, home)
}

pub fn finish(mut child: Child, limit: Duration) -> (Option<i32>, String, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut out = String::new();
            let mut err = String::new();
            child.stdout.take().map(|mut s| s.read_to_string(&mut out));
            child.stderr.take().map(|mut s| s.read_to_string(&mut err));
            return (status.code(), out, err);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("pgsh did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Wait until the cluster shows a pgsh session (so an external action hits an established connection).
pub fn wait_for_pgsh_session(pg: &NativeCluster) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh'") != "0" {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("pgsh never connected");
}

/// Start pgsh on its own, wait until `ready` says the work is under way, press Ctrl-C (SIGINT), and wait for
/// it to end: (exit code, stderr).
pub fn interrupt_when(pgsh: Pgsh, mut ready: impl FnMut() -> bool) -> (Option<i32>, String) {
    use std::io::Read;
    let (mut cmd, _home) = pgsh.into_parts();
    let mut child = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !ready() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "pgsh ended before the work could be interrupted"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "the work never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: a signal to our own child, which has not been reaped yet.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("pgsh went on after Ctrl-C");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stderr)
}

/// Runs `cmd` to its end and returns (exit code, peak resident memory in kB).
///
/// The peak is the child's own `VmHWM`, read from /proc every few milliseconds until it exits (it only grows,
/// so the last reading is the peak, bar growth in the final few milliseconds). wait4's `ru_maxrss` cannot be
/// used: Linux carries a process's high-water mark across exec, so a child spawned by this (large, busy)
/// test process would report at least the test process's own size.
pub fn run_measured(cmd: &mut Command) -> (i32, u64) {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the measured process");
    // spawn() returns after the exec, so from here on /proc shows the child's own memory.
    let status_file = format!("/proc/{}/status", child.id());
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut peak_kb = 0;
    loop {
        if let Some(kb) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| vm_hwm_kb(&s))
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().expect("wait for the measured process") {
            return (status.code().unwrap_or(-1), peak_kb);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the measured process did not finish within 300 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// `VmHWM:   12345 kB` from /proc/<pid>/status.
fn vm_hwm_kb(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()
}
