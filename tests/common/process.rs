//! Running a child process to completion with captured output and a deadline (used by the cluster and CLI helpers).

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

pub struct Captured {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// The deadline passed and the process group was killed.
    pub timed_out: bool,
}

impl Captured {
    pub fn success(&self) -> bool {
        !self.timed_out && self.status.success()
    }

    pub fn describe_status(&self) -> String {
        if self.timed_out {
            "timed out and was killed".to_string()
        } else if let Some(code) = self.status.code() {
            format!("exited with code {code}")
        } else {
            format!("was killed by signal {}", self.status.signal().unwrap_or(0))
        }
    }
}

/// Spawns `cmd` in its own process group, feeds it `stdin` (or /dev/null), and collects stdout/stderr.
/// After `timeout` the whole group is SIGKILLed: killing only the child could leave a grandchild holding
/// the output pipes open, and the reader threads would then never finish.
pub fn run_captured(
    mut cmd: Command,
    stdin: Option<&[u8]>,
    timeout: Duration,
) -> std::io::Result<Captured> {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .process_group(0);
    let mut child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;

    // Writing stdin on its own thread: a child that fills its stdout pipe before reading all of its input
    // would otherwise deadlock against us.
    let writer = match (stdin, child.stdin.take()) {
        (Some(data), Some(mut pipe)) => {
            let data = data.to_vec();
            Some(thread::spawn(move || {
                // A child that exits without reading everything is not our failure to report.
                let _ = pipe.write_all(&data);
            }))
        }
        _ => None,
    };
    let stdout = reader(child.stdout.take());
    let stderr = reader(child.stderr.take());

    let (tx, rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let mut timed_out = false;
    let status = match rx.recv_timeout(timeout) {
        Ok(status) => status,
        Err(_) => {
            timed_out = true;
            // SAFETY: plain syscall; the child is not reaped until the waiter thread sees it exit, so the
            // process group id cannot have been reused yet.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            rx.recv()
                .expect("waiter thread for a killed child vanished")
        }
    }?;
    let _ = waiter.join();
    if let Some(w) = writer {
        let _ = w.join();
    }
    Ok(Captured {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        timed_out,
    })
}

fn reader<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Quotes one word for `sh -c`.
pub fn sh_quote(word: &OsStr) -> String {
    let s = word.to_string_lossy();
    format!("'{}'", s.replace('\'', r"'\''"))
}
