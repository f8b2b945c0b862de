//! psql-compatible SQL files (`-f`, `-c`, `run_sql_file`): statements split as psql splits them, errors
//! named by file:line, ON_ERROR_STOP, `-c` strings as one transaction, `\i`/`\q`/`\echo`, bounded memory.

use crate::common;
use crate::common::{run_measured, write};

/// A SQL file with the psql features dumps and course datasets use.
const DATASET: &str = r#"-- a course dataset
SET client_min_messages = warning;
CREATE TABLE person (id int PRIMARY KEY, name text, note text);
CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $body$
BEGIN
  -- a semicolon; inside a dollar-quoted body
  RETURN upper(t) || '!';
END
$body$;
/* a /* nested */ comment; with a semicolon */
INSERT INTO person VALUES (1, 'it''s; tricky', E'line\nbreak'), (2, "shout"('x'), $$dollar; quoted$$);
COPY person (id, name, note) FROM stdin;
3	Chen	tab\tescaped
4	O'Brien	\N
5	semi;colon	back\\slash
\.
\echo loaded people
\set ON_ERROR_STOP on
SELECT count(*) AS people FROM person;
"#;

#[test]
fn sql_files_split_like_psql_and_copy_inline_data() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "data.sql", DATASET);
    let ours = common::pgsh().envs(pg.env()).arg("-f").arg(&file).run();
    ours.assert_ok();
    assert!(ours.stdout.contains("COPY 3"), "{}", ours.stdout);
    assert!(ours.stdout.contains("loaded people"), "{}", ours.stdout);
    assert!(ours.stdout.contains("     5\n"), "{}", ours.stdout);
    let rows = pg.psql(
        "SELECT id || '|' || coalesce(name, '<null>') || '|' || coalesce(replace(note, E'\\t', '<tab>'), '<null>') FROM person ORDER BY id",
    );
    assert_eq!(
        rows,
        "1|it's; tricky|line\nbreak\n2|X!|dollar; quoted\n3|Chen|tab<tab>escaped\n4|O'Brien|<null>\n5|semi;colon|back\\slash"
    );
    // Same data as psql -f gives.
    let theirs_db = "viapsql";
    pg.psql(&format!("CREATE DATABASE {theirs_db}"));
    pg.psql_file(theirs_db, &file);
    let q = "SELECT string_agg(id || ':' || coalesce(name, 'N') || ':' || coalesce(note, 'N'), ',' ORDER BY id) FROM person";
    assert_eq!(pg.psql(q), pg.psql_db(theirs_db, q));
}

#[test]
fn sql_file_errors_name_file_line_and_sqlstate_and_stop_by_default() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "bad.sql",
        "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n\nINSERT INTO t\n  VALUES ('x');\nINSERT INTO t VALUES (2);\n",
    );
    let out = common::pgsh().envs(pg.env()).arg("-f").arg(&file).run();
    out.assert_code(3);
    let name = file.display().to_string();
    assert!(
        out.stderr.contains(&format!(
            "pgsh:{name}:4: ERROR:  invalid input syntax for type integer"
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("SQLSTATE: 22P02"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT string_agg(a::text, ',') FROM t"), "1");
    // --continue-on-error: psql's default, the rest runs and the exit code is 0.
    pg.psql("DROP TABLE t");
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--continue-on-error", "-f"])
        .arg(&file)
        .run();
    out.assert_ok();
    assert!(out.stderr.contains(":4: ERROR"), "{}", out.stderr);
    assert_eq!(
        pg.psql("SELECT string_agg(a::text, ',' ORDER BY a) FROM t"),
        "1,2"
    );
    // An unsupported backslash command names file:line.
    let meta = write(dir.path(), "meta.sql", "SELECT 1;\n\\gexec\n");
    let out = common::pgsh().envs(pg.env()).arg("-f").arg(&meta).run();
    out.assert_code(3);
    assert!(
        out.stderr
            .contains("meta.sql:2: unsupported psql meta-command \\gexec"),
        "{}",
        out.stderr
    );
    // \i and \ir include other files; -c and -f run in command-line order.
    write(dir.path(), "inc/part.sql", "SELECT 'included' AS what;\n");
    let top = write(dir.path(), "top.sql", "\\ir inc/part.sql\n");
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-c", "SELECT 'first' AS what", "-f"])
        .arg(&top)
        .args(["-c", "SELECT 'last' AS what"])
        .run();
    out.assert_ok();
    let first = out.stdout.find("first").unwrap();
    let included = out.stdout.find("included").unwrap();
    let last = out.stdout.find("last").unwrap();
    assert!(first < included && included < last, "{}", out.stdout);
}

#[test]
fn run_sql_file_from_rhai_throws_with_the_place() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "schema.sql",
        "CREATE TABLE k (v int);\nCOPY k FROM stdin;\n1\n2\n\\.\n",
    );
    write(
        dir.path(),
        "broken.sql",
        "INSERT INTO k VALUES (3);\nINSERT INTO k VALUES ('oops');\n",
    );
    let script = write(
        dir.path(),
        "go.rhai",
        r#"print(run_sql_file("schema.sql"));
try { run_sql_file("broken.sql"); } catch (e) { print(`${e.code} ${e}`); }
print(query_value("SELECT string_agg(v::text, ',' ORDER BY v) FROM k"));
print(connect().run_sql_file("schema.sql"));"#,
    );
    let out = common::pgsh().arg(&script).run();
    out.assert_code(3);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "2");
    assert!(lines[1].starts_with("22P02 "), "{}", out.stdout);
    assert!(lines[1].contains("broken.sql:2:"), "{}", out.stdout);
    assert_eq!(lines[2], "1,2,3");
    // The second load fails (the table exists), naming the file and line.
    assert!(
        out.stderr
            .contains("schema.sql:1: ERROR:  relation \"k\" already exists"),
        "{}",
        out.stderr
    );
}

#[test]
fn on_error_stop_takes_psql_booleans() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    pg.psql("CREATE TABLE seen (what text)");
    // Every spelling of "off": the failing statement does not stop the file.
    for off in ["OFF", "no", "FALSE", "of", "0", "f", "N"] {
        let file = write(
            dir.path(),
            "off.sql",
            &format!(
                "\\set ON_ERROR_STOP {off}\nSELECT 1/0;\nINSERT INTO seen VALUES ('{off}');\n"
            ),
        );
        let out = common::pgsh().envs(pg.env()).arg("-f").arg(&file).run();
        out.assert_ok();
    }
    // \unset is off too; \set with no value, and spellings of "on", stop.
    let file = write(
        dir.path(),
        "unset.sql",
        "\\unset ON_ERROR_STOP\nSELECT 1/0;\nINSERT INTO seen VALUES ('unset');\n",
    );
    common::pgsh()
        .envs(pg.env())
        .arg("-f")
        .arg(&file)
        .run()
        .assert_ok();
    for on in ["", "ON", "yes", "True", "1", "o n"] {
        let file = write(
            dir.path(),
            "on.sql",
            &format!(
                "\\set ON_ERROR_STOP off\n\\set ON_ERROR_STOP {on}\nSELECT 1/0;\nINSERT INTO seen VALUES ('on {on}');\n"
            ),
        );
        let out = common::pgsh()
            .envs(pg.env())
            .args(["--continue-on-error", "-f"])
            .arg(&file)
            .run();
        out.assert_code(3);
    }
    assert_eq!(
        pg.psql("SELECT string_agg(what, ',' ORDER BY what COLLATE \"C\") FROM seen"),
        "0,FALSE,N,OFF,f,no,of,unset"
    );
    // A value psql does not accept is psql's error, and the setting stays as it was.
    let file = write(
        dir.path(),
        "bad.sql",
        "\\set ON_ERROR_STOP off\n\\set ON_ERROR_STOP o\nSELECT 1/0;\nSELECT 'still going';\n",
    );
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--continue-on-error", "-f"])
        .arg(&file)
        .run();
    out.assert_ok();
    assert!(
        out.stderr.contains(
            "bad.sql:2: unrecognized value \"o\" for \"ON_ERROR_STOP\": Boolean expected"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("still going"), "{}", out.stdout);
}

#[test]
fn a_multi_statement_minus_c_is_one_transaction_as_in_psql() {
    let pg = require_native!();
    pg.psql("CREATE TABLE k (v int)");
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-c", "INSERT INTO k VALUES (5); SELECT 1/0"])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("division by zero"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM k"), "0");
    // As psql: VACUUM cannot run in the implicit transaction of a multi-statement string.
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-c", "INSERT INTO k VALUES (6); VACUUM k"])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr
            .contains("VACUUM cannot run inside a transaction block"),
        "{}",
        out.stderr
    );
    assert_eq!(pg.psql("SELECT count(*) FROM k"), "0");
    // Alone, VACUUM runs; a string that manages its own transaction keeps what it committed.
    common::pgsh()
        .envs(pg.env())
        .args(["-c", "VACUUM k"])
        .run()
        .assert_ok();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-c", "BEGIN; INSERT INTO k VALUES (7); COMMIT; SELECT 1/0"])
        .run();
    out.assert_code(3);
    assert_eq!(pg.psql("SELECT string_agg(v::text, ',') FROM k"), "7");
    // The first error ends the string even with --continue-on-error (the server would not run the rest),
    // the next -c runs, and the exit status is the last -c's, as psql's: 1 when it failed.
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "--continue-on-error",
            "-c",
            "INSERT INTO k VALUES (8); SELECT 1/0; INSERT INTO k VALUES (9)",
            "-c",
            "INSERT INTO k VALUES (10)",
        ])
        .run();
    out.assert_ok();
    assert_eq!(
        pg.psql("SELECT string_agg(v::text, ',' ORDER BY v) FROM k"),
        "7,10"
    );
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--continue-on-error", "-c", "SELECT 1", "-c", "SELECT 1/0"])
        .run();
    out.assert_code(1);
    // Several statements that succeed are all kept.
    common::pgsh()
        .envs(pg.env())
        .args(["-c", "INSERT INTO k VALUES (11); INSERT INTO k VALUES (12)"])
        .run()
        .assert_ok();
    assert_eq!(pg.psql("SELECT count(*) FROM k"), "4");
}

#[test]
fn psql_details_echo_n_quit_in_included_files_ordered_echo_and_single_transaction_status() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    // \echo -n: no newline; a quoted -n is text.
    let file = write(
        dir.path(),
        "echo.sql",
        "\\echo -n a b\n\\echo c\n\\echo '-n' d\n",
    );
    let out = common::pgsh().envs(pg.env()).arg("-f").arg(&file).run();
    out.assert_ok();
    assert_eq!(out.stdout, "a bc\n-n d\n");
    // psql 15: \q ends the file it is in; the including file, and later -c/-f, go on.
    write(
        dir.path(),
        "inc.sql",
        "SELECT 'inner' AS w;\n\\q\nSELECT 'not run' AS w;\n",
    );
    let top = write(dir.path(), "top.sql", "\\i inc.sql\nSELECT 'outer' AS w;\n");
    let out = common::pgsh()
        .envs(pg.env())
        .current_dir(dir.path())
        .args(["--format", "csv", "-f"])
        .arg(&top)
        .args(["-c", "SELECT 'after' AS w"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "w\ninner\nw\nouter\nw\nafter\n");
    // --echo and results interleave in order when both go to one file.
    let log = dir.path().join("log");
    let sink = std::fs::File::create(&log).unwrap();
    let (mut cmd, _home) = common::pgsh()
        .envs(pg.env())
        .args([
            "--echo",
            "--format",
            "csv",
            "-c",
            "SELECT 1 AS a",
            "-c",
            "SELECT 2 AS b",
        ])
        .into_parts();
    let status = cmd
        .stdin(std::process::Stdio::null())
        .stdout(sink.try_clone().unwrap())
        .stderr(sink)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "SELECT 1 AS a\na\n1\nSELECT 2 AS b\nb\n2\n"
    );
    // -1 --continue-on-error: as psql -1 without ON_ERROR_STOP, the failed transaction is rolled back and
    // the exit status is that of the run (0 for a file).
    pg.psql("CREATE TABLE one (v int)");
    let file = write(
        dir.path(),
        "fail.sql",
        "INSERT INTO one VALUES (1);\nSELECT 1/0;\nINSERT INTO one VALUES (2);\n",
    );
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-1", "--continue-on-error", "-f"])
        .arg(&file)
        .run();
    out.assert_ok();
    assert!(out.stderr.contains("rolled back"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM one"), "0");
    // \c with a transaction open says that it was rolled back.
    let file = write(
        dir.path(),
        "switch.sql",
        "BEGIN;\nINSERT INTO one VALUES (3);\n\\c postgres\nSELECT 1;\n",
    );
    let out = common::pgsh().envs(pg.env()).arg("-f").arg(&file).run();
    out.assert_ok();
    assert!(
        out.stderr
            .contains("switch.sql:3: warning: a transaction was open on the previous connection"),
        "{}",
        out.stderr
    );
    assert_eq!(pg.psql("SELECT count(*) FROM one"), "0");
}

#[test]
fn a_large_sql_file_loads_in_bounded_memory() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.sql");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        writeln!(
            f,
            "CREATE TABLE big (id int, payload text);\nCOPY big FROM stdin;"
        )
        .unwrap();
        let payload = "x".repeat(200);
        for i in 0..400_000 {
            writeln!(f, "{i}\t{payload}").unwrap();
        }
        writeln!(f, "\\.\nSELECT count(*) FROM big;").unwrap();
    }
    let size_mb = std::fs::metadata(&file).unwrap().len() / (1024 * 1024);
    assert!(size_mb >= 75, "{size_mb} MB");
    let (cmd, _home) = common::pgsh()
        .envs(pg.env())
        .arg("-f")
        .arg(&file)
        .into_parts();
    let mut cmd = cmd;
    let (code, max_rss_kb) = run_measured(&mut cmd);
    assert_eq!(code, 0);
    assert_eq!(pg.psql("SELECT count(*) FROM big"), "400000");
    // The file is ~80 MB; pgsh must not hold it: well under its size.
    assert!(
        max_rss_kb < 60 * 1024,
        "peak RSS {max_rss_kb} kB for a {size_mb} MB file"
    );
}
