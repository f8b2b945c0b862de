//! `-1` (`--single-transaction`): the whole run (a script, `-e`, piped input) is one transaction, never
//! committed after an error (caught or not), covering `connect()` to the default target, on both targets;
//! `\c` is refused inside it.

use crate::common;
use crate::common::{assert_block, embedded, NativeCluster, Pgsh};

/// Where `-1` runs go, and how what they left is read afterwards: a native cluster (read with psql), or the
/// embedded database kept in a `--data` directory (every run starts its own server on it, so what a run
/// committed is what the next run finds).
enum Place<'a> {
    Native(&'a NativeCluster),
    Embedded(tempfile::TempDir),
}

impl Place<'_> {
    fn embedded() -> Place<'static> {
        Place::Embedded(tempfile::tempdir().expect("a temp dir for --data"))
    }

    fn name(&self) -> &'static str {
        match self {
            Place::Native(_) => "native",
            Place::Embedded(_) => "embedded",
        }
    }

    fn pgsh(&self) -> Pgsh {
        match self {
            Place::Native(pg) => common::pgsh().envs(pg.env()),
            Place::Embedded(dir) => embedded().arg("--data").arg(dir.path().join("db")),
        }
    }

    /// Runs `sql` (setup) outside any -1 run.
    fn execute(&self, sql: &str) {
        match self {
            Place::Native(pg) => {
                pg.psql(sql);
            }
            Place::Embedded(_) => {
                self.pgsh().args(["-c", sql]).run().assert_ok();
            }
        }
    }

    /// Runs `sql` outside any -1 run; its one value as text.
    fn value(&self, sql: &str) -> String {
        match self {
            Place::Native(pg) => pg.psql(sql),
            Place::Embedded(_) => {
                let out = self
                    .pgsh()
                    .args(["--eval", &format!("query_value({sql:?})")])
                    .run();
                out.assert_ok();
                out.stdout.trim_end().to_string()
            }
        }
    }
}

fn check_caught_errors_and_connect(place: &Place) {
    let name = place.name();
    place.execute("CREATE TABLE s1 (a int)");
    let out = place
        .pgsh()
        .args(["-1", "--eval", r#"execute("INSERT INTO s1 VALUES (7)"); try { execute("SELECT 1/0"); } catch (e) { } "done""#])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("rolled back"), "{name}: {out}");
    assert_eq!(place.value("SELECT count(*) FROM s1"), "0", "{name}");
    let out = place
        .pgsh()
        .args([
            "-1",
            "--eval",
            r#"let db = connect(); execute("INSERT INTO s1 VALUES (1)"); throw "boom";"#,
        ])
        .run();
    out.assert_code(3);
    assert_eq!(place.value("SELECT count(*) FROM s1"), "0", "{name}");
    place
        .pgsh()
        .args([
            "-1",
            "--eval",
            r#"connect().execute("INSERT INTO s1 VALUES (1)");"#,
        ])
        .run()
        .assert_ok();
    assert_eq!(place.value("SELECT count(*) FROM s1"), "1", "{name}");
}

#[test]
fn single_transaction_is_not_committed_after_a_caught_error_and_covers_connect_on_embedded() {
    check_caught_errors_and_connect(&Place::embedded());
}

#[test]
fn single_transaction_is_not_committed_after_a_caught_error_and_covers_connect_on_native() {
    let pg = require_native!();
    check_caught_errors_and_connect(&Place::Native(&pg));
}

/// `-1` wraps piped input as it wraps a file: SQL and Rhai lines run in one transaction (the transaction id
/// does not change), committed at the end; a failing statement, or an error a Rhai line catches, rolls all of
/// it back.
fn check_piped_input(place: &Place) {
    let name = place.name();
    place.execute("CREATE TABLE p1 (n int)");
    let out = place
        .pgsh()
        .arg("-1")
        .stdin_str(
            "INSERT INTO p1 VALUES (1);\n\
             execute(\"INSERT INTO p1 VALUES (2)\");\n\
             CREATE TEMP TABLE first_tx AS SELECT txid_current() AS id;\n\
             SELECT txid_current() = (SELECT id FROM first_tx) AS same_tx;\n",
        )
        .run();
    out.assert_ok();
    assert_block(
        &out.stdout,
        &[" same_tx ", "---------", " t", "(1 row)"],
        name,
    );
    assert_eq!(place.value("SELECT count(*) FROM p1"), "2", "{name}");
    let out = place
        .pgsh()
        .arg("-1")
        .stdin_str("INSERT INTO p1 VALUES (3);\nSELECT 1/0;\nINSERT INTO p1 VALUES (4);\n")
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("division by zero"), "{name}: {out}");
    assert!(
        out.stderr.contains("transaction: it was rolled back"),
        "{name}: {out}"
    );
    let out = place
        .pgsh()
        .arg("-1")
        .stdin_str("INSERT INTO p1 VALUES (5);\ntry { execute(\"SELECT 1/0\") } catch (e) { print(e.code) }\n")
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("rolled back"), "{name}: {out}");
    assert_eq!(
        place.value("SELECT string_agg(n::text, ',' ORDER BY n) FROM p1"),
        "1,2",
        "{name}"
    );
}

#[test]
fn single_transaction_wraps_piped_input_on_embedded() {
    check_piped_input(&Place::embedded());
}

#[test]
fn single_transaction_wraps_piped_input_on_native() {
    let pg = require_native!();
    check_piped_input(&Place::Native(&pg));
}

#[test]
fn backslash_c_is_refused_inside_the_single_transaction() {
    let pg = require_native!();
    pg.psql("CREATE TABLE ci (n int)");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("switch.sql");
    std::fs::write(
        &f,
        "INSERT INTO ci VALUES (1);\n\\c postgres\nINSERT INTO ci VALUES (2);\n",
    )
    .unwrap();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-1", "-f"])
        .arg(&f)
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("single transaction"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM ci"), "0");
}
