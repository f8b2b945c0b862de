//! Transactions in scripts: one left open is rolled back with a warning; `transaction(|| …)` commits, rolls
//! back, nests and retries serialization failures; the styles do not mix; a failed COMMIT leaves the session
//! usable.

use crate::common;
use crate::common::{cmd, embedded, expect, lines, pty, write, Target};

const OPEN_TX_WARNING: &str = "pgsh: warning: a transaction was still open on";

#[test]
fn open_transaction_at_end_is_rolled_back_on_embedded() {
    let data = tempfile::tempdir().expect("temp dir for --data");
    let dir = data.path().join("db");
    let (_d, path) = common::script_file(
        "execute(\"CREATE TABLE k (x int)\");\nbegin();\nexecute(\"INSERT INTO k VALUES (1)\");\nprint(`inside=${query_value(\"SELECT count(*) FROM k\")}`);\n",
    );
    let out = embedded().arg("--data").arg(&dir).arg(&path).run();
    out.assert_ok();
    assert_eq!(out.stdout, "inside=1\n", "{out}");
    assert!(out.stderr.contains(OPEN_TX_WARNING), "{out}");
    assert!(out.stderr.contains("rolled back"), "{out}");

    let check = embedded()
        .arg("--data")
        .arg(&dir)
        .args(["--eval", "query_value(\"SELECT count(*) FROM k\")"])
        .run();
    check.assert_ok();
    assert_eq!(
        check.stdout, "0\n",
        "the uncommitted insert survived: {check}"
    );
    assert!(check.stderr.is_empty(), "{check}");
}

#[test]
fn open_transaction_at_end_is_rolled_back_on_native() {
    let pg = require_native!();
    pg.psql("create table k (x int)");
    for script in [
        "begin();\nexecute(\"INSERT INTO k VALUES (1)\");\nprint(`inside=${query_value(\"SELECT count(*) FROM k\")}`);\n",
        "execute(\"BEGIN\");\nexecute(\"INSERT INTO k VALUES (1)\");\nprint(`inside=${query_value(\"SELECT count(*) FROM k\")}`);\n",
    ] {
        let (_d, path) = common::script_file(script);
        let out = common::pgsh().arg("-d").arg(pg.url()).arg(&path).run();
        out.assert_ok();
        assert_eq!(out.stdout, "inside=1\n", "{out}");
        assert!(out.stderr.contains(OPEN_TX_WARNING), "{out}");
        assert_eq!(pg.psql("select count(*) from k"), "0", "{out}");
    }
    // Committed work is kept, and no warning.
    let (_d, path) =
        common::script_file("begin();\nexecute(\"INSERT INTO k VALUES (2)\");\ncommit();\n");
    let out = common::pgsh().arg("-d").arg(pg.url()).arg(&path).run();
    out.assert_ok();
    assert!(out.stderr.is_empty(), "{out}");
    assert_eq!(pg.psql("select x from k"), "2");
}

#[test]
fn exit_code_on_native_rolls_back() {
    let pg = require_native!();
    pg.psql("create table e (x int)");
    let (out, _) =
        Target::Native(&pg).script("begin();\nexecute(\"INSERT INTO e VALUES (1)\");\nexit(4);\n");
    out.assert_code(4);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(!out.stderr.contains("ERROR"), "{out}");
    assert_eq!(pg.psql("select count(*) from e"), "0", "{out}");
}

const TX_SCRIPT: &str = r#"
execute("CREATE TABLE acct (id int PRIMARY KEY, v int)");
let r = transaction(|| {
    execute("INSERT INTO acct VALUES (1, 10)");
    execute("INSERT INTO acct VALUES (2, 20)");
    "committed"
});
print(`value=${r}`);
try {
    transaction(|| {
        execute("INSERT INTO acct VALUES (3, 30)");
        execute("INSERT INTO acct VALUES (1, 99)");
        print("not reached");
    });
    print("not rethrown");
} catch (e) { print(`rethrown=${e.code}`); }
print(`in_tx=${in_transaction()}`);
print(`after_fail=${query("SELECT id FROM acct ORDER BY id").map(|r| r.id)}`);
try {
    transaction(|| { execute("INSERT INTO acct VALUES (7, 70)"); throw "plain failure"; });
} catch (e) { print(`thrown=${e}`); }
print(`after_throw=${query_value("SELECT count(*) FROM acct")}`);
transaction(|| {
    execute("INSERT INTO acct VALUES (4, 40)");
    try {
        transaction(|| {
            execute("INSERT INTO acct VALUES (5, 50)");
            execute("INSERT INTO acct VALUES (5, 51)");
        });
    } catch (e) { print(`inner=${e.code}`); }
    execute("INSERT INTO acct VALUES (6, 60)");
});
print(`final=${query("SELECT id FROM acct ORDER BY id").map(|r| r.id)}`);
"#;

const TX_EXPECTED: &[&str] = &[
    "value=committed",
    "rethrown=23505",
    "in_tx=false",
    "after_fail=[1, 2]",
    "thrown=plain failure",
    "after_throw=2",
    "inner=23505",
    "final=[1, 2, 4, 6]",
];

#[test]
fn transaction_commits_rolls_back_and_nests_on_embedded() {
    let out = Target::Embedded.ok(TX_SCRIPT);
    assert_eq!(lines(&out), TX_EXPECTED, "{out}");
}

#[test]
fn transaction_commits_rolls_back_and_nests_on_native() {
    let pg = require_native!();
    let target = Target::Native(&pg);
    let out = target.ok(TX_SCRIPT);
    assert_eq!(lines(&out), TX_EXPECTED, "{out}");
    // A second connection sees exactly what was committed.
    assert_eq!(
        pg.psql("select string_agg(id::text, ',' order by id) from acct"),
        "1,2,4,6"
    );

    // Seen from a second session while the script runs: the failed transaction's row never shows.
    let out = target.ok(r#"
execute("CREATE TABLE ledger (id int PRIMARY KEY)");
let watcher = connect();
let worker = connect();
try {
    worker.transaction(|tx| {
        tx.execute("INSERT INTO ledger VALUES (1)");
        print(`watcher_during=${watcher.query_value("SELECT count(*) FROM ledger")}`);
        tx.execute("INSERT INTO ledger VALUES (1)");
    });
} catch (e) { print(`failed=${e.code}`); }
print(`watcher_after=${watcher.query_value("SELECT count(*) FROM ledger")}`);
worker.transaction(|tx| tx.execute("INSERT INTO ledger VALUES (2)"));
print(`watcher_commit=${watcher.query_value("SELECT count(*) FROM ledger")}`);
"#);
    assert_eq!(
        lines(&out),
        [
            "watcher_during=0",
            "failed=23505",
            "watcher_after=0",
            "watcher_commit=1"
        ],
        "{out}"
    );
    assert_eq!(pg.psql("select id from ledger"), "2");
}

#[test]
fn transaction_retries_rerun_the_closure_after_a_serialization_failure() {
    let pg = require_native!();
    pg.psql("CREATE TABLE acct (id int PRIMARY KEY, balance int); INSERT INTO acct VALUES (1, 100), (2, 100);");
    // The closure reads, lets a second session commit a conflicting write, then writes: at SERIALIZABLE the
    // first attempt fails with 40001; the retry (fresh snapshot) succeeds.
    let script = r#"
        let other = connect();
        let main = connect();
        let attempts = 0;
        main.transaction(#{isolation: "serializable", retries: 3}, |tx| {
            attempts += 1;
            let b = tx.query_value("SELECT balance FROM acct WHERE id = 1");
            if attempts == 1 {
                other.execute("UPDATE acct SET balance = balance + 1 WHERE id = 1");
            }
            tx.execute("UPDATE acct SET balance = $1 WHERE id = 1", [b + 10]);
        });
        print(attempts);
        print(main.query_value("SELECT balance FROM acct WHERE id = 1"));
        // Without retries the failure surfaces with its SQLSTATE.
        try {
            main.transaction(#{isolation: "serializable"}, |tx| {
                let b = tx.query_value("SELECT balance FROM acct WHERE id = 2");
                other.execute("UPDATE acct SET balance = balance + 1 WHERE id = 2");
                tx.execute("UPDATE acct SET balance = $1 WHERE id = 2", [b + 10]);
            });
        } catch (e) { print(e.code); }
        print(main.in_transaction());
    "#;
    let out = common::pgsh().envs(pg.env()).args(["--eval", script]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "2\n111\n40001\nfalse\n", "{}", out.stderr);
    assert_eq!(pg.psql("SELECT balance FROM acct ORDER BY id"), "111\n101");
}

#[test]
fn a_failed_script_leaves_nothing_half_written() {
    let pg = require_native!();
    pg.psql("CREATE TABLE item (id int PRIMARY KEY, name text)");
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "load.rhai",
        r#"
        transaction(|| {
            execute("INSERT INTO item VALUES (1, 'a')");
            execute("INSERT INTO item VALUES (2, 'b')");
            execute("INSERT INTO item VALUES (1, 'duplicate')");
        });
        "#,
    );
    let out = common::pgsh().envs(pg.env()).arg(&script).run();
    out.assert_code(3);
    assert!(out.stderr.contains("23505"), "{}", out.stderr);
    assert!(out.stderr.contains("load.rhai:5:13"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM item"), "0");

    // begin() without commit, then an error: rolled back, with a warning.
    let script = write(
        dir.path(),
        "explicit.rhai",
        "begin();\nexecute(\"INSERT INTO item VALUES (3, 'c')\");\nquery(\"SELECT nope\");\n",
    );
    let out = common::pgsh().envs(pg.env()).arg(&script).run();
    out.assert_code(3);
    assert_eq!(pg.psql("SELECT count(*) FROM item"), "0");

    // -1 wraps a whole run: everything or nothing.
    let ok = write(
        dir.path(),
        "ok.rhai",
        "execute(\"INSERT INTO item VALUES (4, 'd')\");",
    );
    common::pgsh()
        .envs(pg.env())
        .arg("-1")
        .arg(&ok)
        .run()
        .assert_ok();
    assert_eq!(pg.psql("SELECT count(*) FROM item"), "1");
    let bad = write(
        dir.path(),
        "bad.rhai",
        "execute(\"INSERT INTO item VALUES (5, 'e')\");\nexecute(\"INSERT INTO item VALUES (4, 'dup')\");",
    );
    let out = common::pgsh().envs(pg.env()).arg("-1").arg(&bad).run();
    out.assert_code(3);
    assert!(out.stderr.contains("rolled back"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM item"), "1");
    // -1 with SQL commands.
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "-1",
            "-c",
            "INSERT INTO item VALUES (6, 'f')",
            "-c",
            "INSERT INTO item VALUES (6, 'g')",
        ])
        .run();
    out.assert_code(3);
    assert_eq!(pg.psql("SELECT count(*) FROM item"), "1");
}

#[test]
fn transaction_styles_do_not_mix() {
    let pg = require_native!();
    pg.psql("CREATE TABLE t (v int)");
    // Options on a nested transaction would be silently meaningless: an error instead.
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "--eval",
            r#"transaction(|| { transaction(#{isolation: "serializable"}, || { execute("INSERT INTO t VALUES (1)") }) })"#,
        ])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr
            .contains("options cannot apply to a nested transaction"),
        "{}",
        out.stderr
    );
    // commit()/rollback() inside a transaction closure would end it under the closure's feet.
    for call in ["commit()", "rollback()"] {
        let script = format!(
            "try {{ transaction(|| {{ execute(\"INSERT INTO t VALUES (2)\"); {call}; }}); }} catch (e) {{ print(e.message); }}\nprint(in_transaction());"
        );
        let out = common::pgsh()
            .envs(pg.env())
            .args(["--eval", &script])
            .run();
        out.assert_ok();
        assert!(
            out.stdout
                .contains(&format!("{call} inside transaction(|| …)")),
            "{}",
            out.stdout
        );
        assert!(out.stdout.ends_with("false\n"), "{}", out.stdout);
    }
    // Nested without options, and begin()/commit() outside closures, still work.
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "--eval",
            r#"transaction(|| { transaction(|| { execute("INSERT INTO t VALUES (3)") }) }); begin(); execute("INSERT INTO t VALUES (4)"); commit();"#,
        ])
        .run();
    out.assert_ok();
    assert_eq!(
        pg.psql("SELECT string_agg(v::text, ',' ORDER BY v) FROM t"),
        "3,4"
    );
    // Under -1 the run's transaction is not the script's to end.
    for call in ["rollback()", "commit()"] {
        let script = format!(
            "execute(\"INSERT INTO t VALUES (5)\"); {call}; execute(\"INSERT INTO t VALUES (6)\");"
        );
        let out = common::pgsh()
            .envs(pg.env())
            .args(["-1", "--eval", &script])
            .run();
        out.assert_code(3);
        assert!(
            out.stderr
                .contains(&format!("{call}: the run is one transaction (-1)")),
            "{}",
            out.stderr
        );
    }
    assert_eq!(
        pg.psql("SELECT string_agg(v::text, ',' ORDER BY v) FROM t"),
        "3,4"
    );
}

#[test]
fn a_failed_commit_leaves_the_session_idle_and_usable() {
    let script = r#"
        execute("CREATE TABLE dc (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
        try { transaction(|| execute("INSERT INTO dc VALUES (1), (1)")); } catch (e) { print(e.code); }
        print(in_transaction());
        transaction(|| execute("INSERT INTO dc VALUES (2)"));
        print(query_value("SELECT count(*) FROM dc"));
        // ROLLBACK AND CHAIN after a failure starts a fresh, usable transaction.
        execute("BEGIN");
        try { execute("SELECT 1/0"); } catch (e) { }
        execute("ROLLBACK AND CHAIN");
        execute("INSERT INTO dc VALUES (3)");
        commit();
        print(query_value("SELECT count(*) FROM dc"));
    "#;
    let out = common::pgsh().args(["--eval", script]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "23505\nfalse\n1\n2\n", "{}", out.stderr);
    assert!(!out.stderr.contains("still open"), "{}", out.stderr);
    // At the prompt, COMMIT of a failed transaction is reported as the ROLLBACK it is (psql prints the
    // server's command tag), the prompt leaves the failed state, and the INSERT is gone.
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    for line in [
        "CREATE TABLE k (a int);",
        "BEGIN;",
        "INSERT INTO k VALUES (1);",
    ] {
        cmd(&mut s, line);
    }
    assert!(cmd(&mut s, "SELECT 1/0;").contains("division by zero"));
    expect(&mut s, "postgres=!#");
    let out = cmd(&mut s, "COMMIT;");
    assert!(lines(&out).contains(&"ROLLBACK"), "{out:?}");
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "SELECT count(*) AS n FROM k;");
    assert!(out.contains(" n \n---\n 0\n"), "{out:?}");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
    let out = common::pgsh()
        .args([
            "--continue-on-error",
            "-c",
            "CREATE TABLE k (a int)",
            "-c",
            "BEGIN",
            "-c",
            "SELECT 1/0",
            "-c",
            "COMMIT",
        ])
        .run();
    out.assert_ok();
    assert!(out.stdout.ends_with("ROLLBACK\n"), "{}", out.stdout);
}
