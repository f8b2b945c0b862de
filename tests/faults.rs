//! Faults and bad input pgsh must come through with a clear, true outcome and without hanging: a frozen
//! backend (SIGSTOP of the harness's own cluster's process), a network that stops forwarding (a stalling TCP
//! proxy), signals while nothing answers, a connection lost under COPY, bytes SQL cannot carry. Every wait
//! here is bounded.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

use crate::common;
use crate::common::{spawn, NativeCluster, Proxy};

/// A backend stopped with SIGSTOP; dropping this continues it (before the cluster is dropped, when declared
/// after it), so the cluster can always stop.
struct Frozen(i32);

impl Frozen {
    fn freeze(pid: i32) -> Frozen {
        // SAFETY: kill(2) on a backend of the harness's own cluster.
        assert_eq!(
            unsafe { libc::kill(pid, libc::SIGSTOP) },
            0,
            "SIGSTOP {pid}"
        );
        Frozen(pid)
    }
}

impl Drop for Frozen {
    fn drop(&mut self) {
        // SAFETY: as above.
        unsafe { libc::kill(self.0, libc::SIGCONT) };
    }
}

/// The pid of the backend running pgsh's statement that contains `marker` (waits for it, bounded).
fn active_backend(pg: &NativeCluster, marker: &str) -> i32 {
    let sql = format!(
        "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%{marker}%' \
         AND pid <> pg_backend_pid()"
    );
    let start = Instant::now();
    loop {
        let out = pg.psql(&sql);
        if let Ok(pid) = out.trim().parse() {
            return pid;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "pgsh's statement never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: kill(2) on our own child, not yet reaped.
    unsafe { libc::kill(child.id() as i32, sig) };
}

/// Wait for `child` to end within `limit` (killing it and failing otherwise): its status and stderr.
fn end_within(mut child: Child, limit: Duration) -> (ExitStatus, String) {
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let mut err = String::new();
            child.stderr.take().map(|mut s| s.read_to_string(&mut err));
            panic!("pgsh did not end within {limit:?}; stderr: {err}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    child.stderr.take().map(|mut s| s.read_to_string(&mut err));
    (status, err)
}

#[test]
fn sigterm_ends_pgsh_while_its_backend_is_frozen() {
    let pg = require_native!();
    let (child, _home) = spawn(
        common::pgsh()
            .envs(pg.env())
            .args(["--eval", "execute(\"SELECT 'frozen-term', pg_sleep(60)\")"]),
    );
    let _frozen = Frozen::freeze(active_backend(&pg, "frozen-term"));
    let sent = Instant::now();
    signal(&child, libc::SIGTERM);
    // The bound is a hang detector, loose for a busy machine: pgsh ends in milliseconds here.
    let (status, err) = end_within(child, Duration::from_secs(20));
    assert!(
        sent.elapsed() < Duration::from_secs(10),
        "{:?}",
        sent.elapsed()
    );
    // As psql: ended by SIGTERM (a shell reports 143).
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?} {err}");
    assert!(err.contains("pgsh: terminated by SIGTERM"), "{err}");
    assert!(err.contains("a cancel request was sent"), "{err}");
}

#[test]
fn a_second_ctrl_c_ends_pgsh_when_the_cancel_goes_unanswered() {
    let pg = require_native!();
    pg.psql("CREATE TABLE t (n int)");
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args([
        "--eval",
        "begin(); execute(\"INSERT INTO t VALUES (1)\"); execute(\"SELECT 'frozen-int', pg_sleep(60)\"); commit();",
    ]));
    let frozen = Frozen::freeze(active_backend(&pg, "frozen-int"));
    signal(&child, libc::SIGINT);
    // The first Ctrl-C sent a cancel request the frozen backend cannot act on; after the grace period pgsh
    // says so, and the next Ctrl-C ends it.
    std::thread::sleep(Duration::from_millis(2500));
    let sent = Instant::now();
    signal(&child, libc::SIGINT);
    let (status, err) = end_within(child, Duration::from_secs(20));
    assert!(
        sent.elapsed() < Duration::from_secs(10),
        "{:?}",
        sent.elapsed()
    );
    // Ended as an unhandled Ctrl-C ends a program (a shell reports 130).
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?} {err}");
    assert!(err.contains("has not answered the cancel request"), "{err}");
    assert!(
        err.contains("did not answer the cancel request; quitting"),
        "{err}"
    );
    // Nothing was committed: once the backend runs again it finds its client gone and rolls back.
    drop(frozen);
    let start = Instant::now();
    while pg.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%frozen-int%' AND pid <> pg_backend_pid()") != "0" {
        assert!(start.elapsed() < Duration::from_secs(30), "the backend never ended");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(pg.psql("SELECT count(*) FROM t"), "0");
}

/// At the prompt the second Ctrl-C gives the prompt back instead: the statement's connection is closed (the
/// server rolls back what it had open), and the next statement runs on a new connection.
#[test]
fn a_second_ctrl_c_at_the_prompt_abandons_the_statement_and_keeps_the_session() {
    let pg = require_native!();
    pg.psql("CREATE TABLE t (n int)");
    let home = tempfile::tempdir().unwrap();
    let mut s = common::pty(home.path(), 200, &pg.env());
    common::expect(&mut s, "postgres=#");
    s.send_line("BEGIN\\; INSERT INTO t VALUES (1)\\; SELECT 'frozen-repl', pg_sleep(60);")
        .unwrap();
    let frozen = Frozen::freeze(active_backend(&pg, "frozen-repl"));
    s.send(expectrl::ControlCode::EndOfText).unwrap();
    common::expect(&mut s, "press Ctrl-C again to abandon the statement");
    let sent = Instant::now();
    s.send(expectrl::ControlCode::EndOfText).unwrap();
    common::expect(&mut s, "the statement is abandoned");
    common::expect(&mut s, "=#");
    // A hang detector, loose for a busy machine: the prompt is back in milliseconds.
    assert!(
        sent.elapsed() < Duration::from_secs(10),
        "{:?}",
        sent.elapsed()
    );
    s.send_line("SELECT 'after' || 'wards' AS still_here;")
        .unwrap();
    common::expect(&mut s, "afterwards");
    common::expect(&mut s, "postgres=#");
    s.send_line("\\q").unwrap();
    // Nothing was committed: once the backend runs again it finds its client gone and rolls back.
    drop(frozen);
    let start = Instant::now();
    while pg.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%frozen-repl%' AND pid <> pg_backend_pid()") != "0" {
        assert!(start.elapsed() < Duration::from_secs(30), "the backend never ended");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(pg.psql("SELECT count(*) FROM t"), "0");
}

#[test]
fn a_quick_second_ctrl_c_only_cancels_again() {
    // A statement the server cancels at once: two presses in quick succession are two cancel requests (as
    // in psql), not the end of pgsh.
    let pg = require_native!();
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args([
        "--eval",
        "try { execute(\"SELECT 'quick-int', pg_sleep(60)\") } catch (e) { print(e.message) } print(\"after\");",
    ]));
    active_backend(&pg, "quick-int");
    signal(&child, libc::SIGINT);
    signal(&child, libc::SIGINT);
    let (status, err) = end_within(child, Duration::from_secs(20));
    assert_eq!(status.signal(), None, "{status:?} {err}");
    assert!(!err.contains("quitting"), "{err}");
}

#[test]
fn sigterm_ends_pgsh_behind_a_network_that_stopped_forwarding() {
    let pg = require_native!(common::ClusterOptions {
        tcp: true,
        ..Default::default()
    });
    let proxy = Proxy::start(pg.tcp_port().expect("tcp"));
    let (child, _home) = spawn(
        common::pgsh()
            .envs(pg.env())
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", proxy.port().to_string())
            .args(["--eval", "execute(\"SELECT 'stalled-term', pg_sleep(60)\")"]),
    );
    active_backend(&pg, "stalled-term");
    proxy.stall();
    let sent = Instant::now();
    signal(&child, libc::SIGTERM);
    // The cancel request goes through the stalled proxy too: pgsh gives up on it after 2 s.
    let (status, err) = end_within(child, Duration::from_secs(30));
    assert!(
        sent.elapsed() < Duration::from_secs(15),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?} {err}");
    assert!(err.contains("pgsh: terminated by SIGTERM"), "{err}");
}

#[test]
fn sighup_ends_pgsh_waiting_on_a_statement() {
    let pg = require_native!();
    let (child, _home) = spawn(
        common::pgsh()
            .envs(pg.env())
            .args(["--eval", "execute(\"SELECT 'hup-marker', pg_sleep(60)\")"]),
    );
    active_backend(&pg, "hup-marker");
    signal(&child, libc::SIGHUP);
    let (status, err) = end_within(child, Duration::from_secs(20));
    assert_eq!(status.signal(), Some(libc::SIGHUP), "{status:?} {err}");
    assert!(err.contains("pgsh: terminated by SIGHUP"), "{err}");
    // The cancel request reached the server: the sleep is no longer running.
    let start = Instant::now();
    while pg.psql("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%hup-marker%' AND pid <> pg_backend_pid()") != "0" {
        assert!(start.elapsed() < Duration::from_secs(10), "the statement was not cancelled");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sql_text_with_a_nul_byte_is_a_clear_error_and_the_transaction_stays_open() {
    // Issue 14 item 3: nothing reaches the server, so nothing is lost; before, this was "the connection to
    // the server was lost" and the open transaction was thrown away.
    let pg = require_native!();
    pg.psql("CREATE TABLE t (n int)");
    let script = r#"
        begin();
        execute("INSERT INTO t VALUES (1)");
        for sql in ["SELECT $$a\x00b$$", "SELECT 1;\nSELECT 'x\x00'"] {
            try { execute(sql); print("no error"); } catch (e) { print(`${e.kind}|${e.code}|${e.message}`); }
            try { query(sql); print("no error"); } catch (e) { print(`${e.kind}|${e.code}|${e.message}`); }
        }
        print(in_transaction());
        execute("INSERT INTO t VALUES (2)");
        commit();
        print(query_value("SELECT count(*) FROM t"));
    "#;
    let out = common::pgsh().envs(pg.env()).args(["--eval", script]).run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", out.stdout);
    for line in &lines[..2] {
        assert_eq!(
            *line,
            "parameter|22021|the SQL text contains a NUL byte (line 1, column 11); PostgreSQL cannot accept it, and nothing was sent"
        );
    }
    for line in &lines[2..4] {
        assert!(line.contains("NUL byte (line 2, column 10)"), "{line}");
    }
    assert_eq!(&lines[4..], ["true", "2"]);
    assert!(!out.stderr.contains("lost"), "{}", out.stderr);
}

#[test]
fn a_copy_out_cut_off_by_a_lost_connection_leaves_no_file_that_looks_complete() {
    // Issue 14 item 8: the CSV used to be left behind (empty or half-written) as if the export had worked.
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let out_csv = dir.path().join("out.csv");
    std::fs::write(&out_csv, "previous export\n").unwrap();
    let script = format!(
        r#"try {{
               copy_out("SELECT n, 'copy-marker' AS m, CASE WHEN n = 50000 THEN pg_sleep(60) END AS s FROM generate_series(1, 100000) n", "{out}");
               print("no error");
           }} catch (e) {{ print(e.kind); }}
           try {{ copy_out("SELECT 1 / 0", "{fresh}"); print("no error"); }} catch (e) {{ print(e.kind); }}"#,
        out = out_csv.display(),
        fresh = dir.path().join("fresh.csv").display(),
    );
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args(["--eval", &script]));
    let pid = active_backend(&pg, "copy-marker");
    // Wait until rows have reached the disk (the export is under way), then cut the connection.
    let start = Instant::now();
    loop {
        let written: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum();
        if written > 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no rows were written"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    pg.psql(&format!("SELECT pg_terminate_backend({pid})"));
    let (code, out, err) = common::finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(0), "{out}\n{err}");
    // Both failures are reported as what they are.
    assert_eq!(out, "connection_lost\nsql\n", "{err}");
    // The file that was there is untouched, no partial file remains, and the failed one was not created.
    assert_eq!(
        std::fs::read_to_string(&out_csv).unwrap(),
        "previous export\n"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["out.csv"]);
}

#[test]
fn a_rhai_file_with_invalid_utf8_is_an_error_naming_the_file_and_line() {
    // Issue 14 item 9: std's "stream did not contain valid UTF-8" said neither where nor which byte.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.rhai");
    std::fs::write(&bad, b"print(1);\nlet s = \"a\xc3\xa9\xff\";\nprint(2);\n").unwrap();
    let out = common::pgsh().arg(&bad).run();
    out.assert_code(1);
    assert_eq!(out.stdout, "", "nothing runs");
    assert!(
        out.stderr.contains(&format!(
            "cannot read {}: invalid UTF-8 at line 2, column 12 (byte 0xff)",
            bad.display()
        )),
        "{}",
        out.stderr
    );
    // Imported as a module: the same, at the import (it used to be "module not found").
    let main = dir.path().join("main.rhai");
    std::fs::write(&main, "import \"bad\" as m;\n").unwrap();
    let out = common::pgsh().arg(&main).run();
    out.assert_code(3);
    assert!(
        out.stderr
            .contains("invalid UTF-8 at line 2, column 12 (byte 0xff)"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("not found"), "{}", out.stderr);
}

#[test]
fn a_sql_file_with_invalid_utf8_stops_with_exit_3_at_its_line() {
    // psql 15 (`psql -X -v ON_ERROR_STOP=1 -f bad.sql`, as pgsh stops at the first error): the first
    // statement's result, then `psql:bad.sql:2: ERROR:  invalid byte sequence for encoding "UTF8": 0xff`,
    // exit 3. pgsh's message is its own (it reads SQL as UTF-8 text), at the same place, with the same exit.
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sql");
    std::fs::write(
        &bad,
        b"SELECT 1 AS one;\nSELECT 'a\xffb';\nSELECT 3 AS three;\n",
    )
    .unwrap();
    let out = common::pgsh()
        .envs(pg.env())
        .current_dir(dir.path())
        .args(["-f", "bad.sql"])
        .run();
    out.assert_code(3);
    assert!(out.stdout.contains(" one \n"), "{}", out.stdout);
    assert!(!out.stdout.contains("three"), "{}", out.stdout);
    assert!(out.stderr.contains("bad.sql:2:"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("invalid byte sequence for encoding \"UTF8\""),
        "{}",
        out.stderr
    );
}

#[test]
fn a_connection_lost_mid_statement_inside_a_transaction_says_the_transaction_is_lost() {
    // Issue 14 item 11: inside `transaction(|| …)` the error said "connection lost" only; the closure's
    // error is what the script sees, so it must say that the transaction is gone.
    let pg = require_native!();
    pg.psql("CREATE TABLE t (n int)");
    let script = r#"
        let kill = "SELECT pg_terminate_backend(pg_backend_pid())";
        try {
            transaction(|| { execute("INSERT INTO t VALUES (1)"); execute(kill); });
            print("no error");
        } catch (e) { print(`${e.kind}|${e.message}`); }
        begin();
        execute("INSERT INTO t VALUES (2)");
        try { execute(kill); print("no error"); } catch (e) { print(`${e.kind}|${e.message}`); }
        // The next statement is refused too: the script must not go on outside the transaction it began.
        try { execute("INSERT INTO t VALUES (3)"); print("no error"); } catch (e) { print(`${e.kind}|${e.message}`); }
        print(in_transaction());
        // Outside a transaction, nothing is said about one.
        try { execute(kill); print("no error"); } catch (e) { print(`${e.kind}|${e.message}`); }
        print(query_value("SELECT count(*) FROM t"));
    "#;
    let out = common::pgsh().envs(pg.env()).args(["--eval", script]).run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}\n{}", out.stdout, out.stderr);
    for line in &lines[..3] {
        assert!(line.starts_with("connection_lost|"), "{line}");
        assert!(
            line.ends_with("; the open transaction is lost (the server rolled it back)"),
            "{line}"
        );
    }
    assert_eq!(lines[3], "false");
    assert!(lines[4].starts_with("connection_lost|"), "{}", lines[4]);
    assert!(!lines[4].contains("transaction"), "{}", lines[4]);
    assert_eq!(lines[5], "0");
}

/// SIGTERM on the embedded database ends pgsh and leaves none of its temporary directories behind (the
/// socket's, and the temporary database's): ending by the signal skips the destructors that remove them.
#[test]
fn sigterm_on_the_embedded_database_leaves_no_directories_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let (child, home) = spawn(common::pgsh().env("TMPDIR", tmp.path()).args([
        "--embedded",
        "--eval",
        "query(\"SELECT 1\"); print(\"up\"); sleep(60)",
    ]));
    let runtime = home.path().join(".runtime");
    let entries = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    // Up: the socket's directory exists and the temporary database is in TMPDIR.
    let start = Instant::now();
    while entries(&runtime).iter().all(|n| !n.starts_with("pgsh-"))
        || entries(tmp.path()).is_empty()
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the embedded server never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Give the script time to reach its sleep (the query has run once "up" could be printed).
    std::thread::sleep(Duration::from_millis(500));
    signal(&child, libc::SIGTERM);
    let (status, err) = end_within(child, Duration::from_secs(20));
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?} {err}");
    let left: Vec<String> = entries(&runtime)
        .into_iter()
        .filter(|n| n.starts_with("pgsh-"))
        .collect();
    assert!(left.is_empty(), "socket directories left: {left:?}");
    assert!(
        entries(tmp.path()).is_empty(),
        "left in TMPDIR: {:?}",
        entries(tmp.path())
    );
}

/// SIGTERM ends pgsh promptly in every state it can wait in, ended by the signal (a shell reports 143):
/// retrying a connection, connecting through a network that stopped forwarding, reading COPY data from a
/// stdin that never ends, walking a stream, and in `sleep`.
#[test]
fn sigterm_ends_pgsh_promptly_in_every_state() {
    use std::process::Stdio;
    let pg = require_native!(common::ClusterOptions {
        tcp: true,
        ..Default::default()
    });
    pg.psql("CREATE TABLE t (n int)");
    let closed_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let proxy = Proxy::start(pg.tcp_port().expect("tcp"));
    proxy.stall();
    let tcp = |port: u16| {
        common::pgsh()
            .envs(pg.env())
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", port.to_string())
    };
    let stream = "for r in stream(\"SELECT 'streaming-term', pg_sleep(0.01) FROM generate_series(1, 100000)\") { }";
    let cases: Vec<(&str, common::Pgsh, Option<&str>)> = vec![
        (
            "retrying",
            tcp(closed_port).args(["--retry-deadline", "120s", "--eval", "query(\"SELECT 1\")"]),
            None,
        ),
        (
            "connecting",
            tcp(proxy.port()).args(["--eval", "query(\"SELECT 1\")"]),
            None,
        ),
        (
            "COPY from stdin",
            common::pgsh()
                .envs(pg.env())
                .args(["-c", "COPY t FROM STDIN"]),
            Some("COPY t FROM STDIN"),
        ),
        (
            "a stream",
            common::pgsh().envs(pg.env()).args(["--eval", stream]),
            // The stream's cursor is read by FETCHes; between them the backend is idle in transaction with
            // the last FETCH as its query.
            Some("FETCH FORWARD"),
        ),
        (
            "sleep",
            common::pgsh().envs(pg.env()).args(["--eval", "sleep(120)"]),
            None,
        ),
    ];
    for (state, cmd, marker) in cases {
        let (mut cmd, _home) = cmd.into_parts();
        // A stdin that stays open (COPY waits on it) and is never written.
        let child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn pgsh");
        match marker {
            Some(m) => {
                active_backend_any(&pg, m);
            }
            None => std::thread::sleep(Duration::from_millis(1500)),
        }
        let sent = Instant::now();
        signal(&child, libc::SIGTERM);
        // A hang detector, loose for a busy machine: pgsh ends within the bounded cancel wait (2 s).
        let (status, err) = end_within(child, Duration::from_secs(30));
        assert!(
            sent.elapsed() < Duration::from_secs(15),
            "{state}: {:?}",
            sent.elapsed()
        );
        assert_eq!(
            status.signal(),
            Some(libc::SIGTERM),
            "{state}: {status:?} {err}"
        );
        assert!(
            err.contains("pgsh: terminated by SIGTERM"),
            "{state}: {err}"
        );
    }
}

/// The pid of a backend (active or waiting on the client, as COPY FROM STDIN does) running a statement that
/// contains `marker` (waits for it, bounded).
fn active_backend_any(pg: &NativeCluster, marker: &str) -> i32 {
    let sql = format!(
        "SELECT pid FROM pg_stat_activity WHERE query LIKE '%{marker}%' AND pid <> pg_backend_pid() \
         AND state <> 'idle' LIMIT 1"
    );
    let start = Instant::now();
    loop {
        if let Ok(pid) = pg.psql(&sql).trim().parse() {
            return pid;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "pgsh's statement never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
