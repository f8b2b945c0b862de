//! Ctrl-C: a running statement is cancelled, a busy script or SQL file stops, an open transaction is never
//! committed, and the REPL returns to its prompt.

use std::time::{Duration, Instant};

use expectrl::ControlCode;

use crate::common;
use crate::common::{expect, finish, interrupt_when, pty, spawn, wait_for_pgsh_session};

#[test]
fn ctrl_c_cancels_the_running_statement_and_exits_130() {
    let pg = require_native!();
    let (child, _home) = spawn(
        common::pgsh()
            .envs(pg.env())
            .args(["--eval", "query(\"SELECT pg_sleep(30)\")"]),
    );
    wait_for_pgsh_session(&pg);
    std::thread::sleep(Duration::from_millis(200));
    let sent = Instant::now();
    // SAFETY: plain kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let (code, _out, err) = finish(child, Duration::from_secs(10));
    // The sleep would last 30 s: ending this soon means it was cancelled (the bound is loose for loaded CI
    // machines; a cancel normally takes a few milliseconds).
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(code, Some(130), "{err}");
    assert!(
        err.contains("canceling statement due to user request"),
        "{err}"
    );
    // The server is no longer running the sleep.
    assert_eq!(
        pg.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'"),
        "0"
    );
}

#[test]
fn ctrl_c_stops_a_busy_rhai_loop_quickly() {
    let (child, _home) = spawn(common::pgsh().args(["--eval", "let x = 0; loop { x += 1; }"]));
    std::thread::sleep(Duration::from_millis(500));
    let sent = Instant::now();
    // SAFETY: plain kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let (code, _out, _err) = finish(child, Duration::from_secs(10));
    // The loop never ends by itself; the bound is loose for loaded CI machines (it stops in milliseconds).
    assert!(
        sent.elapsed() < Duration::from_secs(3),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(code, Some(130));
}

#[test]
fn ctrl_c_stops_a_sql_file_between_statements_and_in_copy_data_and_minus_1_never_commits() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let total = 300_000;
    let file = dir.path().join("many.sql");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        for i in 0..total {
            writeln!(f, "INSERT INTO m VALUES ({i});").unwrap();
        }
    }
    pg.psql("CREATE TABLE m (v int)");
    // -1: the inserted rows are not visible yet, but the table's file grows as they arrive.
    let (code, stderr) = interrupt_when(
        common::pgsh()
            .envs(pg.env())
            .args(["-1", "-q", "-f"])
            .arg(&file),
        || pg.psql("SELECT pg_relation_size('m') > 0") == "t",
    );
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted by Ctrl-C"), "{stderr}");
    assert!(stderr.contains("rolled back"), "{stderr}");
    assert_eq!(pg.psql("SELECT count(*) FROM m"), "0");
    // Also when errors do not stop the run: a Ctrl-C is not an error to go on after.
    pg.psql("TRUNCATE m");
    let (code, stderr) = interrupt_when(
        common::pgsh()
            .envs(pg.env())
            .args(["-1", "--continue-on-error", "-q", "-f"])
            .arg(&file),
        || pg.psql("SELECT pg_relation_size('m') > 0") == "t",
    );
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("rolled back"), "{stderr}");
    assert_eq!(pg.psql("SELECT count(*) FROM m"), "0");

    // Without -1 the statements run so far stay, and the run stops early (also with --continue-on-error).
    for extra in [None, Some("--continue-on-error")] {
        pg.psql("TRUNCATE m");
        let (code, stderr) = interrupt_when(
            common::pgsh()
                .envs(pg.env())
                .args(extra)
                .args(["-q", "-f"])
                .arg(&file),
            || pg.psql("SELECT count(*) > 0 FROM m") == "t",
        );
        assert_eq!(code, Some(130), "{extra:?}: {stderr}");
        let n: i64 = pg.psql("SELECT count(*) FROM m").parse().unwrap();
        assert!(n > 0 && n < total, "{extra:?}: {n} rows");
    }

    // Inline COPY data: the load stops inside the data (reported, as psql does, at the line it reached) and
    // nothing is loaded.
    let copy = dir.path().join("copy.sql");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&copy).unwrap());
        writeln!(
            f,
            "CREATE TABLE big (v int, note text);\nCOPY big FROM stdin;"
        )
        .unwrap();
        for i in 0..5_000_000 {
            writeln!(f, "{i}\tsome text").unwrap();
        }
        writeln!(f, "\\.\nSELECT 'after the copy';").unwrap();
    }
    let (code, stderr) = interrupt_when(
        common::pgsh().envs(pg.env()).args(["-q", "-f"]).arg(&copy),
        || pg.psql("SELECT coalesce(pg_relation_size(to_regclass('big')), 0) > 0") == "t",
    );
    assert_eq!(code, Some(130), "{stderr}");
    // Cancelled by the server mid-statement, or by pgsh between two lines of data: an error inside the COPY.
    assert!(stderr.contains("CONTEXT:  COPY big, line "), "{stderr}");
    assert_eq!(pg.psql("SELECT count(*) FROM big"), "0");
}

#[test]
fn ctrl_c_cancels_a_query_and_returns_to_the_prompt() {
    let pg = require_native!();
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &pg.env());
    expect(&mut s, "postgres=#");
    s.send_line("SELECT pg_sleep(30);").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let started = std::time::Instant::now();
    s.send(ControlCode::EndOfText).unwrap();
    expect(&mut s, "canceling statement due to user request");
    expect(&mut s, "postgres=#");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    s.send_line("SELECT 'still here' AS s;").unwrap();
    expect(&mut s, "still here");
    // Ctrl-C at the prompt discards the line. Each key waits for the editor: typed ahead while a result is
    // still printing, the Ctrl-C would be a signal and the terminal would drop what follows it.
    expect(&mut s, "postgres=#");
    s.send("SELECT 'discarded'").unwrap();
    expect(&mut s, "'discarded'");
    s.send(ControlCode::EndOfText).unwrap();
    expect(&mut s, "postgres=#");
    s.send_line("SELECT 6 * 7 AS v;").unwrap();
    let before = expect(&mut s, "42");
    assert!(!before.contains("discarded |"), "{before}");
    s.send_line("\\q").unwrap();
}

/// Ctrl-C while a script sits inside `begin()`: the script stops, the open transaction is rolled back with
/// the warning, and pgsh exits 130; nothing the transaction wrote is kept. Both a script waiting (`sleep`) and
/// one computing.
#[test]
fn ctrl_c_inside_begin_rolls_back_warns_and_exits_130() {
    let pg = require_native!();
    pg.psql("CREATE TABLE t (n int)");
    for body in ["sleep(60);", "let x = 0; loop { x += 1; }"] {
        let script = format!("begin();\nexecute(\"INSERT INTO t VALUES (1)\");\n{body}\n");
        let (code, stderr) = interrupt_when(
            common::pgsh().envs(pg.env()).args(["--eval", &script]),
            || {
                pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh' AND state = 'idle in transaction'") == "1"
            },
        );
        assert_eq!(code, Some(130), "{body}: {stderr}");
        assert!(stderr.contains("interrupted"), "{body}: {stderr}");
        assert!(
            stderr.contains("pgsh: warning: a transaction was still open on")
                && stderr.contains("it was rolled back"),
            "{body}: {stderr}"
        );
        assert_eq!(pg.psql("SELECT count(*) FROM t"), "0", "{body}");
    }
}

/// The embedded database cannot cancel a statement: the first Ctrl-C says so and the statement goes on; the
/// second ends pgsh as an unhandled Ctrl-C would (killed by SIGINT, which a shell reports as 130).
#[test]
fn ctrl_c_on_the_embedded_database_explains_then_quits() {
    use std::io::{BufRead, BufReader, Read};
    use std::os::unix::process::ExitStatusExt;
    use std::sync::{Arc, Mutex};

    let (mut child, _home) = spawn(common::pgsh().args([
        "--eval",
        "query(\"SELECT 1\"); print(\"connected\"); query(\"SELECT pg_sleep(60)\"); print(\"not reached\");",
    ]));
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let err = Arc::new(Mutex::new(String::new()));
    let err_sink = Arc::clone(&err);
    let err_reader = std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            err_sink
                .lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let out_reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let started = rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("pgsh never connected: {}", err.lock().unwrap()));
    assert_eq!(started, "connected");
    // Let the sleep reach the server (it then runs for a minute).
    std::thread::sleep(Duration::from_millis(500));
    let sigint = |child: &std::process::Child| {
        // SAFETY: plain kill(2) on our own child's pid, not yet reaped.
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    };
    sigint(&child);
    let notice = "pgsh: the embedded database cannot cancel a running statement; it will finish first (press Ctrl-C again to quit pgsh)";
    let deadline = Instant::now() + Duration::from_secs(10);
    while !err.lock().unwrap().contains(notice) {
        assert!(
            Instant::now() < deadline,
            "no notice after Ctrl-C: {}",
            err.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The statement goes on: pgsh is still running.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "pgsh ended after one Ctrl-C"
    );
    let second = Instant::now();
    sigint(&child);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if second.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("pgsh went on after a second Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = out_reader.join().unwrap();
    err_reader.join().unwrap();
    assert!(
        status.signal() == Some(libc::SIGINT) || status.code() == Some(130),
        "{status:?}"
    );
    assert!(!out.contains("not reached"), "{out}");
    assert_eq!(err.lock().unwrap().matches(notice).count(), 1);
}
