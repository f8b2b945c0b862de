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
    // Limits from the configuration file (the data-size ones are tested with large arrays below).
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
    dump_with(pg, &[db])
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

/// Start pgsh on its own, wait until `ready` says the work is under way, press Ctrl-C (SIGINT), and wait for
/// it to end: (exit code, stderr).
fn interrupt_when(pgsh: common::Pgsh, mut ready: impl FnMut() -> bool) -> (Option<i32>, String) {
    use std::io::Read;
    let (mut cmd, _home) = pgsh.into_parts();
    let mut child = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !ready() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "pgsh ended before the work could be interrupted"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "the work never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: a signal to our own child, which has not been reaped yet.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("pgsh went on after Ctrl-C");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stderr)
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
fn circular_imports_are_an_error_naming_the_cycle() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.rhai", "import \"b\" as b;\nfn fa() { 1 }\n");
    write(
        dir.path(),
        "b.rhai",
        "let x = 1;\nimport \"a\" as a;\nfn fb() { 2 }\n",
    );
    let main = write(
        dir.path(),
        "main.rhai",
        "import \"a\" as a;\nprint(a::fa());\n",
    );
    let out = common::pgsh().arg(&main).run();
    out.assert_code(3);
    assert!(
        out.stderr
            .contains("b.rhai:2:8: circular import: a.rhai → b.rhai → a.rhai"),
        "{}",
        out.stderr
    );
    // A script importing itself.
    let selfish = write(
        dir.path(),
        "self.rhai",
        "import \"self\" as me;\nprint(1);\n",
    );
    let out = common::pgsh().arg(&selfish).run();
    out.assert_code(3);
    assert!(
        out.stderr
            .contains("self.rhai:1:8: circular import: self.rhai → self.rhai"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    // The same module imported twice (no cycle) is fine.
    write(dir.path(), "lib.rhai", "fn one() { 1 }\n");
    write(
        dir.path(),
        "user.rhai",
        "import \"lib\" as lib;\nfn two() { lib::one() + 1 }\n",
    );
    let ok = write(
        dir.path(),
        "ok.rhai",
        "import \"lib\" as lib;\nimport \"user\" as user;\nprint(lib::one() + user::two());\n",
    );
    let out = common::pgsh().arg(&ok).run();
    out.assert_ok();
    assert_eq!(out.stdout, "3\n");
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
fn copy_from_stdin_reads_the_file_for_backslash_copy_and_pgsh_stdin_for_minus_c() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    pg.psql("CREATE TABLE k (v int)");
    // In a file, \copy … from stdin takes the lines that follow (not pgsh's stdin); pstdin is pgsh's stdin.
    let file = write(
        dir.path(),
        "copy.sql",
        "\\copy k from stdin\n1\n2\n\\.\n\\copy k from pstdin\nSELECT count(*) AS n FROM k;\n",
    );
    let out = common::pgsh()
        .envs(pg.env())
        .arg("-f")
        .arg(&file)
        .stdin_str("3\n\\.\nnot data\n")
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("COPY 2\nCOPY 1\n"), "{}", out.stdout);
    assert_eq!(
        pg.psql("SELECT string_agg(v::text, ',' ORDER BY v) FROM k"),
        "1,2,3"
    );
    // -c: the data is pgsh's stdin, and its end ends the data (as psql reads it).
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-c", "COPY k FROM stdin"])
        .stdin_str("7\n8\n")
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "COPY 2\n");
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-c", "\\copy k from stdin"])
        .stdin_str("9\n\\.\n")
        .run();
    out.assert_ok();
    // With the SQL itself on stdin (-f -), pstdin is that same input.
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-f", "-"])
        .stdin_str("\\copy k from pstdin\n10\n\\.\nSELECT 'done' AS d;\n")
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("done"), "{}", out.stdout);
    assert_eq!(
        pg.psql("SELECT string_agg(v::text, ',' ORDER BY v) FROM k"),
        "1,2,3,7,8,9,10"
    );
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

/// `pg_dump` with extra arguments, without the per-dump random `\restrict` key.
fn dump_with(pg: &NativeCluster, args: &[&str]) -> String {
    let bin = pg.psql_binary().parent().unwrap().join("pg_dump");
    let out = std::process::Command::new(bin)
        .args([
            "-h",
            &pg.socket_dir().display().to_string(),
            "-p",
            &pg.port().to_string(),
            "-U",
            "postgres",
        ])
        .args(args)
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
fn a_pg_dump_with_create_reloads_databases_whose_names_need_quoting() {
    let from = require_native!();
    let to = require_native!();
    let dir = tempfile::tempdir().unwrap();
    for db in ["My-App", "Shop"] {
        from.psql(&format!("CREATE DATABASE \"{db}\""));
        from.psql_db(db, RICH_SCHEMA);
        let original = dump_with(&from, &["-C", db]);
        // pg_dump writes `\connect "Shop"` and `\encoding …` + `\connect -reuse-previous=on "dbname='My-App'"`.
        assert!(original.contains("\\connect"), "{original}");
        let file = write(dir.path(), &format!("{db}.sql"), &original);
        let out = common::pgsh()
            .envs(to.env())
            .args(["-q", "-f"])
            .arg(&file)
            .run();
        out.assert_ok();
        assert_eq!(dump_with(&to, &["-C", db]), original, "{db}");
        assert_eq!(to.psql_db(db, "SELECT count(*) FROM event"), "12");
    }
    // psql's argument rules: `""` inside quotes, `-` keeps the current value, an unknown encoding is refused.
    to.psql("CREATE DATABASE \"q\"\"d\"");
    let file = write(
        dir.path(),
        "meta.sql",
        "\\encoding UTF8\n\\c \"q\"\"d\" -\nSELECT current_database();\n\\encoding LATIN1\n",
    );
    let out = common::pgsh().envs(to.env()).args(["-f"]).arg(&file).run();
    out.assert_code(3);
    assert!(
        out.stdout
            .contains("You are now connected to database \"q\"d\" as user \"postgres\"."),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(" q\"d\n"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("meta.sql:4: \\encoding LATIN1: pgsh reads SQL files as UTF-8"),
        "{}",
        out.stderr
    );
}

#[test]
fn transaction_styles_do_not_mix() {
    let pg = require_native!();
    pg.psql("CREATE TABLE t (v int)");
    // Options on a nested transaction would be silently meaningless: an error instead.
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "-e",
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
        let out = common::pgsh().envs(pg.env()).args(["-e", &script]).run();
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
            "-e",
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
            .args(["-1", "-e", &script])
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
fn scripts_with_a_byte_order_mark_run_and_exit_takes_only_integers() {
    let dir = tempfile::tempdir().unwrap();
    let bom = write(
        dir.path(),
        "bom.rhai",
        "\u{feff}#!/usr/bin/env pgsh\nprint(\"ran\");\n",
    );
    let out = common::pgsh().arg(&bom).run();
    out.assert_ok();
    assert_eq!(out.stdout, "ran\n");
    let bom = write(dir.path(), "bom2.rhai", "\u{feff}print(\"also\");\n");
    common::pgsh()
        .arg(&bom)
        .run()
        .assert_ok()
        .assert_stdout_contains("also");
    for (arg, shown) in [("\"x\"", "the string \"x\""), ("3.5", "the float 3.5")] {
        let out = common::pgsh()
            .args(["-e", &format!("exit({arg}); print(\"after\")")])
            .run();
        out.assert_code(3);
        assert!(
            out.stderr.contains(&format!(
                "exit: the exit code must be an integer 0-255, not {shown}"
            )),
            "{}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
}

#[test]
fn building_large_arrays_is_not_quadratic_and_configured_size_limits_still_apply() {
    // With a data-size limit on, Rhai re-measures the whole array on every push: 100 000 pushes took many
    // seconds. The generous overall timeout only catches a return of that.
    let out = common::pgsh()
        .args([
            "-e",
            "let a = []; for i in 0..100000 { a.push(#{id: i, name: `n${i}`}) } print(a.len());",
        ])
        .timeout(std::time::Duration::from_secs(60))
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "100000\n");
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "config.toml",
        "[limits]\nmax_array_size = 1000\nmax_string_size = 1000\n",
    );
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["-e", "let a = []; for i in 0..2000 { a.push(i) }"])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("Size of array/BLOB too large"),
        "{}",
        out.stderr
    );
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["-e", "let s = \"x\"; loop { s += s; }"])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("Length of string too large"),
        "{}",
        out.stderr
    );
}
