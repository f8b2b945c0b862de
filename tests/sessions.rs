//! Sessions and the pool: each `connect()` is its own session, session state stays pinned to it, the pool's
//! size bounds them and a returned session carries nothing over; the statement cache survives DDL.

use crate::common;
use crate::common::{lines, Target};

#[test]
fn native_connects_give_separate_sessions() {
    let pg = require_native!();
    let out = Target::Native(&pg).ok(r#"
let a = connect();
let b = connect();
let pa = a.info().pid;
let pb = b.info().pid;
print(`distinct=${pa != pb}`);
print(`a_backend=${a.query_value("SELECT pg_backend_pid()") == pa}`);
print(`b_backend=${b.query_value("SELECT pg_backend_pid()") == pb}`);
a.execute("CREATE TEMP TABLE only_a (x int)");
print(`a_sees=${a.query_value("SELECT to_regclass('pg_temp.only_a') IS NOT NULL")}`);
print(`b_sees=${b.query_value("SELECT to_regclass('pg_temp.only_a') IS NOT NULL")}`);
"#);
    assert_eq!(
        lines(&out),
        [
            "distinct=true",
            "a_backend=true",
            "b_backend=true",
            "a_sees=true",
            "b_sees=false"
        ],
        "{out}"
    );
}

#[test]
fn two_connects_are_two_sessions() {
    let pg = require_native!();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--eval", r#"let a = connect(); let b = connect();
            print(a.query_value("SELECT pg_backend_pid()") != b.query_value("SELECT pg_backend_pid()"));
            a.execute("SET search_path TO pg_catalog"); print(b.query_value("SHOW search_path"));
            b.close(); try { b.query("SELECT 1"); } catch (e) { print(e.message); }"#])
        .run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "true");
    assert_eq!(lines[1], "\"$user\", public");
    assert!(lines[2].contains("closed"), "{}", out.stdout);
}

const PINNING_SCRIPT: &str = r#"
execute("CREATE SCHEMA myschema");
execute("CREATE TABLE myschema.thing (x int)");
execute("INSERT INTO myschema.thing VALUES (11)");
execute("SET search_path TO myschema");
print(`path=${query_value("SHOW search_path")}`);
print(`unqualified=${query_value("SELECT x FROM thing")}`);
execute("CREATE TEMP TABLE scratch AS SELECT 5 AS v");
print(`temp=${query_value("SELECT v FROM scratch")}`);
execute("BEGIN");
print(`in_tx=${in_transaction()}`);
execute("INSERT INTO thing VALUES (12)");
print(`inside=${query_value("SELECT count(*) FROM thing")}`);
execute("ROLLBACK");
print(`in_tx_after=${in_transaction()}`);
print(`after_rollback=${query_value("SELECT count(*) FROM thing")}`);
"#;

fn check_pinning(target: &Target) {
    let out = target.ok(PINNING_SCRIPT);
    assert_eq!(
        lines(&out),
        [
            "path=myschema",
            "unqualified=11",
            "temp=5",
            "in_tx=true",
            "inside=2",
            "in_tx_after=false",
            "after_rollback=1"
        ],
        "{}: {out}",
        target.name()
    );
}

#[test]
fn session_is_pinned_on_embedded() {
    check_pinning(&Target::Embedded);
}

#[test]
fn session_is_pinned_on_native() {
    let pg = require_native!();
    check_pinning(&Target::Native(&pg));
}

#[test]
fn the_pool_size_bounds_concurrent_sessions() {
    let pg = require_native!();
    let script = "let a = connect(); let b = connect(); print(b.query_value(\"SELECT 2\"));";
    // The default pool holds four sessions per target.
    let out = common::pgsh().envs(pg.env()).args(["--eval", script]).run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "2");
    for run in [
        common::pgsh()
            .envs(pg.env())
            .args(["--pool-size", "1", "--eval", script]),
        common::pgsh()
            .envs(pg.env())
            .env("PGSH_POOL_SIZE", "1")
            .args(["--eval", script]),
    ] {
        let out = run.run();
        out.assert_code(2);
        assert!(
            out.stderr.contains("all 1 connections of the pool"),
            "{}",
            out.stderr
        );
    }
    // Closing a session gives its connection back.
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "--pool-size",
            "1",
            "--eval",
            "let a = connect(); a.close(); print(connect().query_value(\"SELECT 3\"));",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "3");
}

/// A session closed with a transaction open and session state set goes back to the pool rolled back and
/// reset (ROLLBACK, then DISCARD ALL): the next user of the same connection sees no transaction, no SET, no
/// temporary table, no prepared statement.
const POOL_HYGIENE: &str = r#"
    let a = connect(#{pool_size: 1});
    a.execute("CREATE TABLE t (n int)");
    let pid = a.query_value("SELECT pg_backend_pid()");
    a.execute("SET application_name = 'leaky'");
    a.execute("CREATE TEMP TABLE scratch (x int)");
    a.execute("PREPARE leaky_stmt AS SELECT 1");
    a.begin();
    a.execute("INSERT INTO t VALUES (1)");
    a.close();
    let b = connect(#{pool_size: 1});
    print(b.query_value("SELECT pg_backend_pid()") == pid);
    print(b.in_transaction());
    print(b.query_value("SELECT count(*) FROM t"));
    print(b.query_value("SELECT current_setting('application_name')"));
    print(b.query_value("SELECT count(*) FROM pg_tables WHERE tablename = 'scratch'"));
    print(b.query_value("SELECT count(*) FROM pg_prepared_statements WHERE name = 'leaky_stmt'"));
"#;

fn check_pool_hygiene(target: &Target) {
    let out = target.pgsh().args(["--eval", POOL_HYGIENE]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        "true\nfalse\n0\npgsh\n0\n0\n",
        "{}: {out}",
        target.name()
    );
    assert!(
        out.stderr.contains("rolled back"),
        "{}: {out}",
        target.name()
    );
}

#[test]
fn a_session_closed_inside_a_transaction_leaks_nothing_into_the_pool_on_embedded() {
    check_pool_hygiene(&Target::Embedded);
}

#[test]
fn a_session_closed_inside_a_transaction_leaks_nothing_into_the_pool_on_native() {
    let pg = require_native!();
    check_pool_hygiene(&Target::Native(&pg));
    assert_eq!(pg.psql("SELECT count(*) FROM t"), "0");
}

#[test]
fn cached_statements_are_reprepared_after_ddl() {
    let pg = require_native!();
    let script = r#"
        execute("CREATE TABLE c (a int)");
        execute("INSERT INTO c VALUES (1)");
        for i in 0..6 { query("SELECT * FROM c"); }
        execute("ALTER TABLE c ADD COLUMN b text DEFAULT 'x'");
        let r = query("SELECT * FROM c");
        print(r.columns);
        execute("ALTER TABLE c ALTER COLUMN a TYPE bigint");
        print(query_value("SELECT a FROM c") + 1);
        // DDL from another session: the server reports the stale plan (0A000) and pgsh prepares again.
        let other = connect();
        for i in 0..3 { query("SELECT * FROM c"); }
        other.execute("ALTER TABLE c ADD COLUMN z int DEFAULT 7");
        print(query_one("SELECT * FROM c").z);
        // Inside a transaction a stale plan cannot be retried (the failure aborts the transaction), so at
        // most one run fails, and the next prepares afresh.
        for i in 0..3 { transaction(|| query("SELECT * FROM c")); }
        other.execute("ALTER TABLE c DROP COLUMN z");
        try { transaction(|| query("SELECT * FROM c")); } catch (e) { if e.code != "0A000" { throw e; } }
        print(transaction(|| query("SELECT * FROM c")).columns);
        // A stream reads the columns the table has now, not the ones a cached plan remembers.
        for r in stream("SELECT * FROM c") { }
        other.execute("ALTER TABLE c DROP COLUMN a");
        let n = 0;
        for r in stream("SELECT * FROM c") { n += 1; print(r); }
        print(n);
        // Streams leave no prepared FETCH behind.
        for i in 0..20 { for r in stream("SELECT 1 AS x") { } }
        print(query_value("SELECT count(*) FROM pg_prepared_statements WHERE statement ILIKE 'FETCH%'"));
        // A plain CREATE can change what a cached statement means (a closer overload, a table that now
        // shadows another on the search_path): the server does not re-plan for it, so the cache goes.
        execute("CREATE FUNCTION pick(anyelement) RETURNS text LANGUAGE sql AS 'SELECT ''any'''");
        for i in 0..6 { query_value("SELECT pick(1)"); }
        execute("CREATE FUNCTION pick(int) RETURNS text LANGUAGE sql AS 'SELECT ''int'''");
        print(query_value("SELECT pick(1)"));
    "#;
    let out = common::pgsh().envs(pg.env()).args(["--eval", script]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout, "[\"a\", \"b\"]\n2\n7\n[\"a\", \"b\"]\n#{b: \"x\"}\n1\n0\nint\n",
        "{}",
        out.stderr
    );
}

#[test]
fn connect_never_leaves_an_open_transaction_behind() {
    // Issue 14 item 6: at the prompt, `BEGIN; …; let other = connect();` used to put the transaction's
    // session back in the pool (rolled back without a word) and the following COMMIT warned "there is no
    // transaction in progress". Now the session with the open transaction stays current, with its temp
    // table, and pgsh says why; once it is idle, connect() switches as before.
    let pg = require_native!();
    pg.psql("CREATE TABLE c6 (n int)");
    let dir = tempfile::tempdir().unwrap();
    let lesson = dir.path().join("lesson.rhai");
    std::fs::write(&lesson, "let lesson_db = connect();\nprint(`lesson sees ${lesson_db.query_value(\"SELECT count(*) FROM c6\")}`);\n").unwrap();
    let input = format!(
        "BEGIN;\n\
         INSERT INTO c6 VALUES (1);\n\
         CREATE TEMP TABLE tt (n int);\n\
         let before = query_value(\"SELECT pg_backend_pid()\");\n\
         let other = connect();\n\
         print(`other sees ${{other.query_value(\"SELECT count(*) FROM c6\")}}`);\n\
         \\i {}\n\
         print(`same session ${{query_value(\"SELECT pg_backend_pid()\") == before}}`);\n\
         print(`temp table ${{query_value(\"SELECT to_regclass('pg_temp.tt') IS NOT NULL\")}}`);\n\
         COMMIT;\n\
         let third = connect();\n\
         print(`switched ${{query_value(\"SELECT pg_backend_pid()\") != before}}`);\n",
        lesson.display()
    );
    let out = common::pgsh().envs(pg.env()).stdin_str(&input).run();
    out.assert_ok();
    let printed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| !matches!(*l, "BEGIN" | "INSERT 0 1" | "CREATE TABLE" | "COMMIT"))
        .collect();
    assert_eq!(
        printed,
        [
            "other sees 0",
            "lesson sees 0",
            "same session true",
            "temp table true",
            "switched true"
        ],
        "{}\n{}",
        out.stdout,
        out.stderr
    );
    assert!(
        !out.stderr.contains("no transaction in progress"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr
            .matches("has a transaction open, so it stays the current session")
            .count(),
        2,
        "{}",
        out.stderr
    );
    // The transaction committed: its row is there.
    assert_eq!(pg.psql("SELECT count(*) FROM c6"), "1");
}
