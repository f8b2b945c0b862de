//! Bugs found in review, each pinned by a test: transaction state after a failed COMMIT, `-1` edge cases,
//! COPY data in files and at the prompt, `\c` safety, password redaction, parameter conversions, huge
//! durations.

mod common;

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
    let out = common::pgsh().args(["-e", script]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "23505\nfalse\n1\n2\n", "{}", out.stderr);
    assert!(!out.stderr.contains("still open"), "{}", out.stderr);
    // At the prompt, COMMIT of a failed transaction is reported as the ROLLBACK it is.
    let out = common::pgsh()
        .stdin_str("CREATE TABLE k (a int);\nBEGIN;\nINSERT INTO k VALUES (1);\nSELECT 1/0;\n")
        .run();
    out.assert_code(3);
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

#[test]
fn single_transaction_is_not_committed_after_a_caught_error_and_covers_connect() {
    let pg = require_native!();
    pg.psql("CREATE TABLE s1 (a int)");
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-1", "-e", r#"execute("INSERT INTO s1 VALUES (7)"); try { execute("SELECT 1/0"); } catch (e) { } "done""#])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("rolled back"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM s1"), "0");
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "-1",
            "-e",
            r#"let db = connect(); execute("INSERT INTO s1 VALUES (1)"); throw "boom";"#,
        ])
        .run();
    out.assert_code(3);
    assert_eq!(pg.psql("SELECT count(*) FROM s1"), "0");
    common::pgsh()
        .envs(pg.env())
        .args([
            "-1",
            "-e",
            r#"connect().execute("INSERT INTO s1 VALUES (1)");"#,
        ])
        .run()
        .assert_ok();
    assert_eq!(pg.psql("SELECT count(*) FROM s1"), "1");
}

#[test]
fn copy_data_in_files_and_at_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sql");
    std::fs::write(
        &bad,
        "CREATE TABLE ec (a int);\nCOPY ec (a) FROM stdin;\n1\nnotanint\n\\.\nINSERT INTO ec VALUES (5);\nCREATE TABLE ec2 (b int);\nSELECT count(*) AS n FROM ec2;\n",
    )
    .unwrap();
    let out = common::pgsh()
        .args(["--continue-on-error", "-f"])
        .arg(&bad)
        .run();
    out.assert_ok();
    assert!(
        out.stderr.contains("invalid input syntax for type integer"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("INSERT 0 1"), "{}", out.stdout);
    assert!(out.stdout.contains("CREATE TABLE"), "{}", out.stdout);
    assert!(out.stdout.contains(" n \n---\n 0\n"), "{}", out.stdout);
    // \i of a SQL file at the REPL goes through the same runner; COPY works at the prompt both ways.
    let data = dir.path().join("data.sql");
    std::fs::write(
        &data,
        "CREATE TABLE ic (a int, b text);\nCOPY ic (a, b) FROM stdin;\n1\tone\n2\ttwo\n\\.\n",
    )
    .unwrap();
    let out = common::pgsh()
        .stdin_str(&format!(
            "\\i {}\nCOPY ic FROM stdin;\n3\tthree\n\\.\nCOPY (SELECT a, b FROM ic ORDER BY a) TO STDOUT;\nSELECT count(*) FROM ic;\n",
            data.display()
        ))
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("COPY 2\n"), "{}", out.stdout);
    assert!(out.stdout.contains("COPY 1\n"), "{}", out.stdout);
    // As psql: data written to stdout is not followed by a tag (it would mix with the data).
    assert!(
        out.stdout.contains("1\tone\n2\ttwo\n3\tthree\n count"),
        "{}",
        out.stdout
    );
    // \copy ... TO stdout in a -c run lands in order in the output.
    let out = common::pgsh()
        .args(["-c", "SELECT 1 AS one", "-c", "\\copy (select 2) to stdout"])
        .run();
    out.assert_ok();
    assert!(
        out.stdout.find("one").unwrap() < out.stdout.find("\n2\n").unwrap(),
        "{}",
        out.stdout
    );
}

#[test]
fn switching_databases_is_safe() {
    // A URL given to \c is not echoed back with its password.
    let out = common::pgsh()
        .stdin_str("\\c postgres://postgres:hunter2@localhost/x\n")
        .run();
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
    assert!(!out.stdout.contains("hunter2"), "{}", out.stdout);
    // The embedded database refuses to switch with a transaction open, and keeps the old one on failure.
    let out = common::pgsh()
        .stdin_str("CREATE TABLE k (a int);\nBEGIN;\nINSERT INTO k VALUES (1);\n\\c other\n")
        .run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("a transaction is open"),
        "{}",
        out.stderr
    );
    // A failed \c in a non-interactive run is an error (as in psql, the run does not go on unconnected).
    let out = common::pgsh()
        .args(["-c", "\\c nosuchdb", "-c", "SELECT 1"])
        .run();
    out.assert_code(2);
    assert!(out.stderr.contains("nosuchdb"), "{}", out.stderr);
}

#[test]
fn sql_passwords_are_redacted_in_echo_and_errors() {
    let pg = require_native!();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--echo", "-e", r#"execute("CREATE ROLE bob"); execute("ALTER ROLE bob PASSWORD 'hunter2'"); execute("ALTER ROLE bob PASSWORD 'hunter3' NOSUCH")"#])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("ALTER ROLE bob PASSWORD '****'"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("hunter"), "{}", out.stderr);
}

#[test]
fn parameters_convert_like_sql_casts() {
    let out = common::pgsh()
        .args([
            "-e",
            r#"execute("SET TimeZone = 'UTC'");
            print(query_value("SELECT $1::int4 + 1", [query_value("SELECT 5.0::numeric")]));
            print(query_value("SELECT $1::timestamp", [query_value("SELECT '2024-01-01 12:00:00+05'::timestamptz")]));
            print(query_value("SELECT $1::date", [query_value("SELECT '2024-01-01 23:30:00-05'::timestamptz")]));"#,
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "6\n2024-01-01 07:00:00\n2024-01-02\n");
}

#[test]
fn huge_durations_are_errors_not_crashes() {
    let out = common::pgsh().args(["-e", "sleep(1e30)"]).run();
    out.assert_code(3);
    assert!(out.stderr.contains("too long"), "{}", out.stderr);
    let out = common::pgsh()
        .args(["--retry-delay", "99999999999999999999999s", "-e", "1"])
        .run();
    out.assert_code(1);
    assert!(out.stderr.contains("out of range"), "{}", out.stderr);
    let out = common::pgsh().stdin_str("SELECT 1;\n\\watch 1e300\n").run();
    assert!(out.stderr.contains("too long"), "{}", out.stderr);
}

#[test]
fn retry_options_take_whole_numbers_and_the_sqlstate_is_said_once() {
    // Nothing listens on port 1.
    let out = common::pgsh()
        .args([
            "-e",
            r#"connect(#{host: "127.0.0.1", port: 1, retry: #{attempts: 2, backoff: 2, delay: 0, connect_timeout: 1}})"#,
        ])
        .run();
    out.assert_code(2);
    assert_eq!(
        out.stderr.matches("retrying in").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("gave up after 2 attempts"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.matches("SQLSTATE").count(), 1, "{}", out.stderr);
}

#[test]
fn dollar_quoted_passwords_are_masked_too() {
    let pg = require_native!();
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "--echo",
            "-e",
            r#"execute("CREATE ROLE carol"); execute("ALTER ROLE carol PASSWORD $$Dollar-Pw-1$$ NOSUCH")"#,
        ])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("PASSWORD $$****$$"), "{}", out.stderr);
    assert!(!out.stderr.contains("Dollar-Pw"), "{}", out.stderr);
}

#[test]
fn describe_notices_go_to_stderr_in_command_runs() {
    let out = common::pgsh()
        .args(["-c", "\\dt nosuch", "-c", "SELECT 1 AS one"])
        .run();
    out.assert_ok();
    assert!(
        out.stderr
            .contains("Did not find any relation named \"nosuch\"."),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("Did not find"), "{}", out.stdout);
    assert!(out.stdout.contains(" one"), "{}", out.stdout);
}
