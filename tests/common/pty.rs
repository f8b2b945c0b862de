//! pgsh in a pseudo-terminal (expectrl), for the interactive REPL: spawn it, type lines, read answers.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::{Regex, Session};

use super::pgsh;

/// A pty session whose whole conversation is logged to stderr (shown when a test fails).
pub type Pty = Session<
    expectrl::session::OsProcess,
    expectrl::stream::log::LogStream<expectrl::session::OsProcessStream, std::io::Stderr>,
>;

/// pgsh in a pseudo-terminal of `cols` columns, with the harness's clean environment and `home` as HOME.
pub fn pty(home: &Path, cols: u16, extra_env: &[(String, String)]) -> Pty {
    spawn_pty(home, cols, &[], extra_env)
}

/// Like [`pty`], with extra pgsh arguments.
pub fn pty_with_args(home: &Path, args: &[&str]) -> Pty {
    spawn_pty(home, 100, args, &[])
}

fn spawn_pty(home: &Path, cols: u16, args: &[&str], extra_env: &[(String, String)]) -> Pty {
    // Everything (HOME, XDG dirs including the runtime dir that holds the embedded server's socket)
    // points into `home`, which the test keeps, not into the harness's temp HOME dropped here.
    let (cmd, _unused_home) = pgsh().home_at(home).into_parts();
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!(
            "stty cols {cols} rows 50; exec \"$0\" {}",
            quoted.join(" ")
        ))
        .arg(cmd.get_program());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => {
                sh.env(k, v);
            }
            None => {
                sh.env_remove(k);
            }
        }
    }
    // No pager in tests.
    sh.env("PAGER", "").env("TERM", "xterm").current_dir(home);
    for (k, v) in extra_env {
        // An empty NO_COLOR means "not set" (the harness sets it for every run).
        if k == "NO_COLOR" && v.is_empty() {
            sh.env_remove(k);
        } else {
            sh.env(k, v);
        }
    }
    let mut s = Session::spawn(sh).expect("spawn pgsh in a pty");
    // ptyprocess sets 80x24 on the master after forking, racing the child's stty: set the size again from
    // here, after that, so it holds whichever came first (pgsh reads it at each output).
    s.get_process_mut()
        .set_window_size(cols, 50)
        .expect("set the pty size");
    let mut s = expectrl::session::log(s, std::io::stderr()).expect("log the pty session");
    // Generous: a loaded CI machine can take many seconds to start or stop the embedded server.
    s.set_expect_timeout(Some(Duration::from_secs(60)));
    s
}

/// Wait for a line of output that is exactly `text` (so the echo of what was typed does not count).
pub fn expect_line(s: &mut Pty, text: &str) -> String {
    let re = format!("\\n{}\\r?\\n", regex_escape(text));
    match s.expect(Regex(re.as_str())) {
        Ok(found) => String::from_utf8_lossy(found.before()).into_owned(),
        Err(e) => panic!("expected the line {text:?}: {e}"),
    }
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Send a line and return what pgsh printed in answer: everything between the end of the echoed input
/// (rustyline turns bracketed paste off, `ESC[?2004l`) and the next prompt (`ESC[?2004h`).
pub fn cmd(s: &mut Pty, line: &str) -> String {
    s.send_line(line).unwrap();
    if let Err(e) = s.expect("\x1b[?2004l") {
        panic!("no echo of {line:?}: {e}");
    }
    match s.expect("\x1b[?2004h") {
        Ok(found) => String::from_utf8_lossy(found.before()).replace("\r\n", "\n"),
        Err(e) => panic!("no prompt after {line:?}: {e}"),
    }
}

pub fn expect(s: &mut Pty, text: &str) -> String {
    match s.expect(text) {
        Ok(found) => String::from_utf8_lossy(found.before()).into_owned(),
        Err(e) => panic!("expected {text:?}: {e}"),
    }
}
