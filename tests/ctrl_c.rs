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
            .args(["-e", "query(\"SELECT pg_sleep(30)\")"]),
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
    let (child, _home) = spawn(common::pgsh().args(["-e", "let x = 0; loop { x += 1; }"]));
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

    // Inline COPY data: the load stops inside the data (reported at the COPY's line) and nothing is loaded.
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
    assert!(stderr.contains("copy.sql:2: "), "{stderr}");
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
