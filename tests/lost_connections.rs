//! Connections lost under pgsh: a restart between statements, a terminated session, a server killed during a
//! statement or a COMMIT; what is reconnected, what is reported, and that nothing is replayed.

use std::time::{Duration, Instant};

use crate::common;
use crate::common::{finish, spawn, wait_for_pgsh_session, write};

#[test]
fn a_restart_between_statements_reconnects_with_a_notice() {
    let pg = require_native!();
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args([
        "--eval",
        "print(query_value(\"SELECT 1\")); sleep(2); print(query_value(\"SELECT 2\"));",
    ]));
    wait_for_pgsh_session(&pg);
    // Restart only once the first statement has run, i.e. between statements.
    let start = Instant::now();
    while pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh' AND query LIKE 'SELECT 1%' AND state = 'idle'") == "0" {
        assert!(start.elapsed() < Duration::from_secs(10), "the first statement never ran");
        std::thread::sleep(Duration::from_millis(10));
    }
    pg.restart();
    let (code, out, err) = finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(out, "1\n2\n");
    assert!(err.contains("was lost; reconnecting"), "{err}");
}

#[test]
fn a_terminated_session_reconnects_but_a_transaction_is_reported_lost() {
    let pg = require_native!();
    let script = r#"
        let db = connect();
        let admin = connect();
        db.execute("CREATE TABLE t (n int)");
        let pid = db.query_value("SELECT pg_backend_pid()");
        admin.execute("SELECT pg_terminate_backend($1)", [pid]);
        sleep(0.3);
        print(db.query_value("SELECT 42"));
        db.begin();
        db.execute("INSERT INTO t VALUES (1)");
        admin.execute("SELECT pg_terminate_backend($1)", [db.query_value("SELECT pg_backend_pid()")]);
        sleep(0.3);
        try { db.execute("INSERT INTO t VALUES (2)"); } catch (e) { print(`${e.kind} ${e.message}`); }
        print(db.in_transaction());
        print(db.query_value("SELECT count(*) FROM t"));
    "#;
    let out = common::pgsh().envs(pg.env()).args(["--eval", script]).run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "42");
    assert!(lines[1].starts_with("connection_lost"), "{}", out.stdout);
    assert!(lines[1].contains("transaction is lost"), "{}", out.stdout);
    assert_eq!(&lines[2..], ["false", "0"]);
    assert_eq!(
        out.stderr.matches("reconnecting").count(),
        1,
        "{}",
        out.stderr
    );
}

#[test]
fn a_server_killed_during_a_statement_is_an_error_and_nothing_is_replayed() {
    let pg = require_native!();
    pg.psql("CREATE TABLE t (n int)");
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args([
        "--eval",
        r#"try { execute("INSERT INTO t SELECT 1 FROM pg_sleep(2)"); print("no error"); }
           catch (e) { print(e.kind); }
           sleep(2);
           print(query_value("SELECT count(*) FROM t"));"#,
    ]));
    wait_for_pgsh_session(&pg);
    std::thread::sleep(Duration::from_millis(300));
    pg.kill();
    pg.start_again();
    let (code, out, err) = finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(out, "connection_lost\n0\n", "{err}");
    assert_eq!(pg.psql("SELECT count(*) FROM t"), "0");
}

#[test]
fn a_connection_lost_during_commit_has_an_unknown_outcome() {
    let pg = require_native!();
    // A deferred constraint trigger that sleeps: COMMIT is slow, and the backend dies in the middle of it.
    pg.psql(
        "CREATE TABLE t (n int);
         CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
         CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow();",
    );
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args([
        "--eval",
        "begin(); execute(\"INSERT INTO t VALUES (1)\"); try { commit(); } catch (e) { print(`${e.code} ${e.message}`); } print(in_transaction());",
    ]));
    let start = Instant::now();
    while pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh' AND query = 'COMMIT' AND state = 'active'") == "0" {
        assert!(start.elapsed() < Duration::from_secs(30), "COMMIT never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    pg.psql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgsh'",
    );
    let (code, out, err) = finish(child, Duration::from_secs(60));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.starts_with("08007 "), "{out}\n{err}");
    assert!(
        out.contains("outcome of the transaction is unknown"),
        "{out}"
    );
    assert!(out.ends_with("false\n"), "{out}");
}

/// The connection lost under a statement nobody catches ends the run with exit status 2 (psql's "connection
/// to the server was lost"), naming where, and nothing after it runs: in a script, a SQL file and piped input.
#[test]
fn a_connection_lost_under_an_uncaught_statement_exits_2() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "lost.rhai",
        "print(\"before\");\nexecute(\"SELECT pg_sleep(30)\");\nprint(\"not reached\");\n",
    );
    let sql = "SELECT 'before' AS b;\nSELECT pg_sleep(30);\nSELECT 'not reached' AS r;\n";
    let file = write(dir.path(), "lost.sql", sql);
    let runs = [
        (
            common::pgsh().arg(&script),
            format!("{}:2:", script.display()),
        ),
        (
            common::pgsh().arg("-f").arg(&file),
            format!("pgsh:{}:2: ", file.display()),
        ),
        (
            common::pgsh().stdin_str(sql),
            "pgsh:<stdin>:2: ".to_string(),
        ),
    ];
    for (run, place) in runs {
        let (child, _home) = spawn(run.envs(pg.env()));
        let start = Instant::now();
        while pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh' AND query LIKE '%pg_sleep(30)%' AND state = 'active'") == "0" {
            assert!(start.elapsed() < Duration::from_secs(30), "{place}: the sleep never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        pg.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgsh'");
        let (code, out, err) = finish(child, Duration::from_secs(30));
        assert_eq!(code, Some(2), "{place}\n{out}\n{err}");
        assert!(out.contains("before"), "{place}\n{out}");
        assert!(!out.contains("not reached"), "{place}\n{out}");
        assert!(err.contains(&place), "{place}\n{err}");
    }
}
