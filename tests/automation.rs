//! Automation you can trust: transactions (incl. serialization retries), script running (ARGS, imports,
//! exit, limits, -1, --echo), and psql-compatible SQL files (Chinook, a pg_dump round trip, COPY, meta-commands,
//! errors with file:line, bounded memory).

mod common;

use std::path::Path;

use common::NativeCluster;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
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
    let out = common::pgsh().envs(pg.env()).args(["-e", script]).run();
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
fn script_running_args_imports_shebang_exit_and_echo() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "lib/util.rhai",
        "import \"sub/inner\" as inner;\nfn greet(n) { `hello ${n} ${inner::mark()}` }\n",
    );
    write(dir.path(), "lib/sub/inner.rhai", "fn mark() { \"!\" }\n");
    let main = write(
        dir.path(),
        "main.rhai",
        "#!/usr/bin/env pgsh\nimport \"lib/util\" as util;\nprint(ARGS);\nprint(util::greet(ARGS[0]));\nprint(env(\"PGSH_TEST_VALUE\"));\nif ARGS.len() > 2 { exit(7); }\nprint(\"end\");\n",
    );
    // Run from another directory: imports resolve next to the script, not the current directory.
    let out = common::pgsh()
        .env("PGSH_TEST_VALUE", "from-env")
        .arg(&main)
        .args(["world", "-x"])
        .run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        "[\"world\", \"-x\"]\nhello world !\nfrom-env\nend\n"
    );
    let out = common::pgsh().arg(&main).args(["a", "b", "c"]).run();
    out.assert_code(7);
    assert!(!out.stdout.contains("end"));
    assert!(out.stderr.is_empty(), "{}", out.stderr);

    // --echo shows each statement and its parameters on stderr.
    let out = common::pgsh()
        .args([
            "--echo",
            "-e",
            "query(\"SELECT $1::int + $2::int AS s\", [40, 2]); execute(\"SELECT 'it''s'\")",
        ])
        .run();
    out.assert_ok();
    assert!(
        out.stderr.contains("SELECT $1::int + $2::int AS s"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("-- parameters: $1 = '40', $2 = '2'"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("SELECT 'it''s'"), "{}", out.stderr);
}

#[test]
fn runaway_scripts_fail_cleanly() {
    let out = common::pgsh()
        .args(["-e", "fn f(n) { f(n + 1) } f(0)"])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("Stack overflow"), "{}", out.stderr);
    let out = common::pgsh()
        .args(["--max-operations", "100000", "-e", "loop { }"])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("Too many operations"), "{}", out.stderr);
    let out = common::pgsh()
        .args(["-e", "let s = \"x\"; loop { s += s; }"])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("Length of string too large"),
        "{}",
        out.stderr
    );
    // Limits from the configuration file.
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "config.toml",
        "[limits]\nmax_call_levels = 10\n",
    );
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["-e", "fn f(n) { if n == 0 { 0 } else { f(n - 1) } } f(20)"])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("Stack overflow"), "{}", out.stderr);
}

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

fn table_counts(pg: &NativeCluster, db: &str) -> String {
    pg.psql_db(
        db,
        "SELECT string_agg(format('%s=%s', table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name), false, true, '')))[1]::text), ', ' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'",
    )
}

#[test]
fn chinook_loads_exactly_as_with_psql() {
    let Some(chinook) = common::chinook_sql() else {
        return;
    };
    let ours = require_native!();
    let theirs = require_native!();
    let out = common::pgsh()
        .envs(ours.env())
        .arg("-q")
        .arg("-f")
        .arg(&chinook)
        .run();
    out.assert_ok();
    theirs.psql_file("postgres", &chinook);
    let a = table_counts(&ours, "chinook");
    let b = table_counts(&theirs, "chinook");
    assert_eq!(a, b);
    assert!(a.contains("track=3503"), "{a}");
    assert_eq!(a.matches('=').count(), 11, "{a}");
}

const RICH_SCHEMA: &str = r#"
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
CREATE TABLE person (id serial PRIMARY KEY, mail email UNIQUE, feeling mood DEFAULT 'ok', data jsonb);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.data := coalesce(NEW.data, '{}'::jsonb) || jsonb_build_object('touched', true);
  RETURN NEW;
END
$fn$;
CREATE TRIGGER person_touch BEFORE INSERT ON person FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW happy AS SELECT id, mail FROM person WHERE feeling = 'happy';
CREATE TABLE event (at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE event_2025 PARTITION OF event FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO person (mail, feeling, data) VALUES ('a@x', 'happy', '{"k": [1, 2]}'), ('b@x', 'sad', NULL), ('c@x', DEFAULT, '{"q": "it''s"}');
INSERT INTO event SELECT d::date, 'day ' || d::date FROM generate_series('2024-12-25'::date, '2025-01-05'::date, '1 day') d;
COMMENT ON TABLE person IS 'people; with a semicolon';
"#;

/// `pg_dump` output with the per-dump random `\restrict` key removed.
fn dump(pg: &NativeCluster, db: &str) -> String {
    let bin = pg.psql_binary().parent().unwrap().join("pg_dump");
    let out = std::process::Command::new(bin)
        .args([
            "-h",
            &pg.socket_dir().display().to_string(),
            "-p",
            &pg.port().to_string(),
            "-U",
            "postgres",
            db,
        ])
        .output()
        .expect("pg_dump");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_pg_dump_reloads_identically() {
    let pg = require_native!();
    pg.psql("CREATE DATABASE src");
    pg.psql_db("src", RICH_SCHEMA);
    let original = dump(&pg, "src");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "src.sql", &original);
    pg.psql("CREATE DATABASE dst");
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-q", "-d", &pg.url_for("dst", "postgres"), "-f"])
        .arg(&file)
        .run();
    out.assert_ok();
    assert_eq!(dump(&pg, "dst"), original);
    assert_eq!(pg.psql_db("dst", "SELECT count(*) FROM event"), "12");
}

/// Peak RSS of a finished child, from wait4's rusage (kilobytes on Linux).
fn run_measured(cmd: &mut std::process::Command) -> (i32, i64) {
    // wait4 reaps the child itself (std's Child::wait would not report the rusage).
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let mut status = 0;
    // SAFETY: waiting on our own child with a zeroed rusage we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
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
