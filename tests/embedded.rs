//! The embedded database: `--data` persistence (and a `--data` that is a file), its databases by name
//! (`-d`, `PGDATABASE`, `\c`, `\l`), a data directory in use, one session at a time, `connect()` options on
//! it, and that a server run never starts it.

use std::time::{Duration, Instant};

use crate::common;
use crate::common::{embedded, expect, finish, lines, pty_with_args, spawn, walk, Target};

#[test]
fn data_dir_persists_between_runs() {
    let data = tempfile::tempdir().expect("temp dir for --data");
    let dir = data.path().join("db");
    let first = embedded()
        .arg("--data")
        .arg(&dir)
        .arg("--eval")
        .arg("execute(\"CREATE TABLE keep (x int, note text)\"); execute(\"INSERT INTO keep VALUES ($1, $2)\", [42, \"kept\"])")
        .run();
    first.assert_ok();
    assert_eq!(first.stdout, "1\n", "{first}");
    assert!(dir.is_dir(), "--data did not create {}", dir.display());

    let second = embedded()
        .arg("--data")
        .arg(&dir)
        .arg("--eval")
        .arg("let r = query_one(\"SELECT * FROM keep\"); `${r.x} ${r.note}`")
        .run();
    second.assert_ok();
    assert_eq!(second.stdout, "42 kept\n", "{second}");

    // Without --data the table is not there: each plain run gets a fresh database.
    let fresh = embedded()
        .arg("--eval")
        .arg("query_value(\"SELECT to_regclass('keep') IS NULL\")")
        .run();
    fresh.assert_ok();
    assert_eq!(fresh.stdout, "true\n", "{fresh}");
}

/// `--data` naming a regular file: the embedded server cannot start there, which is "cannot connect"
/// (exit 2) with a message saying why, not a script error (3).
#[test]
fn data_option_on_a_regular_file_is_a_connection_failure() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    for args in [["--eval", "query(\"select 1\")"], ["-c", "select 1"]] {
        let out = common::pgsh().arg("--data").arg(&file).args(args).run();
        out.assert_code(2);
        out.assert_stderr_contains("is a file, not a directory");
        out.assert_stderr_contains(&file.display().to_string());
    }
    // The file is left alone.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn embedded_second_connect_fails_fast() {
    let t = Instant::now();
    let (out, path) = Target::Embedded
        .script("let a = connect();\nprint(\"a ok\");\nlet b = connect();\nprint(\"b ok\");\n");
    let elapsed = t.elapsed();
    assert!(
        elapsed < Duration::from_secs(10),
        "second connect() took {elapsed:?}"
    );
    out.assert_code(2);
    assert_eq!(out.stdout, "a ok\n", "{out}");
    assert!(
        out.stderr.starts_with(&format!("{}:3:9: ", path.display())),
        "{out}"
    );
    assert!(out.stderr.contains("one session at a time"), "{out}");
    assert!(out.stderr.contains("SQLSTATE 53300"), "{out}");

    // Caught, the first session keeps working; closing it lets a new one in.
    let t = Instant::now();
    let out = Target::Embedded.ok(r#"
let a = connect();
try { let b = connect(); print("b ok"); } catch (e) { print(`caught ${e.code}`); }
print(`a=${a.query_value("SELECT 7")}`);
a.close();
let c = connect();
print(`c=${c.query_value("SELECT 8")}`);
"#);
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(lines(&out), ["caught 53300", "a=7", "c=8"], "{out}");
}

#[test]
fn connect_options_refine_the_embedded_default_and_describe_works_in_c() {
    let out = common::pgsh()
        .args([
            "--eval",
            r#"execute("CREATE DATABASE other");
            let o = connect(#{dbname: "other"});
            print(o.query_value("SELECT current_database()"));
            try { connect(); } catch (e) { print(e.code); }
            o.close();
            print(connect().query_value("SELECT current_database()"));"#,
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "other\n53300\npostgres\n");
    let out = common::pgsh()
        .args([
            "-c",
            "CREATE TABLE zz (a int PRIMARY KEY)",
            "-c",
            "\\dt",
            "-c",
            "\\d zz",
        ])
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("List of relations"), "{}", out.stdout);
    assert!(
        out.stdout.contains("\"zz_pkey\" PRIMARY KEY, btree (a)"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_embedded_server_is_never_started_for_a_server_run() {
    let pg = require_native!();
    let started = Instant::now();
    let out = common::pgsh().args(["--version"]).run();
    out.assert_ok();
    let cache = tempfile::tempdir().unwrap();
    let out = common::pgsh()
        .envs(pg.env())
        .env("XDG_CACHE_HOME", cache.path())
        .args(["--eval", "print(query_value(\"SELECT version()\"))"])
        .run();
    out.assert_ok();
    // The server's own version, as psql reads it from the same server.
    assert_eq!(out.stdout.trim_end(), pg.psql("SELECT version()"), "{out}");
    // No runtime was unpacked into the run's private cache.
    let cached: Vec<_> = walk(cache.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("pglite"))
        .collect();
    assert!(cached.is_empty(), "{cached:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// The embedded server as a server: a database created with SQL is reached with -d, the positional
/// DBNAME, PGDATABASE or \c, listed by \l; a missing one is PostgreSQL's FATAL, as psql shows it.
#[test]
fn databases_on_the_embedded_server_are_reached_by_name() {
    let data = tempfile::tempdir().expect("temp dir for --data");
    let dir = data.path().join("db");
    let dir = dir.to_str().unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        common::pgsh()
            .envs(env.iter().map(|(k, v)| (k.to_string(), v.to_string())))
            .args(["--data", dir])
            .args(args)
            .run()
    };
    run(&["-c", "CREATE DATABASE shop"], &[]).assert_ok();
    let current = ["-At", "-c", "SELECT current_database()"];
    for (args, env) in [
        (&["-d", "shop"][..], &[][..]),
        (&["shop"], &[]),
        (&["-d", "dbname=shop"], &[]),
        (&[], &[("PGDATABASE", "shop")]),
        (&["-d", "shop"], &[("PGDATABASE", "other")]),
    ] {
        let out = run(&[args, &current[..]].concat(), env);
        out.assert_ok();
        assert_eq!(out.stdout, "shop\n", "{args:?} {env:?}: {out}");
    }
    // Scripts' connect() goes to the database the run was started on.
    let out = run(
        &[
            "-d",
            "shop",
            "--eval",
            "connect().query_value(\"SELECT current_database()\")",
        ],
        &[],
    );
    out.assert_ok();
    assert_eq!(out.stdout, "shop\n", "{out}");
    // -d postgres is the default database.
    let out = run(&[&["-d", "postgres"][..], &current[..]].concat(), &[]);
    out.assert_ok();
    assert_eq!(out.stdout, "postgres\n", "{out}");
    let out = run(
        &[
            "-At",
            "-c",
            "\\c shop",
            "-c",
            "SELECT current_database()",
            "-c",
            "\\l",
        ],
        &[],
    );
    out.assert_ok();
    assert!(
        out.stdout
            .starts_with("You are now connected to database \"shop\" as user \"postgres\""),
        "{out}"
    );
    assert!(out.stdout.contains("\nshop\n"), "{out}");
    assert!(out.stdout.contains("\nshop|postgres|UTF8|"), "{out}");
    // psql 15 against a server, for a database that does not exist:
    // `psql: error: connection to server on socket "…" failed: FATAL:  database "nosuch" does not exist`.
    for (args, env) in [
        (&["-d", "nosuch", "-c", "SELECT 1"][..], &[][..]),
        (&["-c", "SELECT 1"], &[("PGDATABASE", "nosuch")]),
    ] {
        let out = run(args, env);
        out.assert_code(2);
        out.assert_stderr_contains("FATAL:  database \"nosuch\" does not exist");
    }
    let out = run(&["-c", "\\c nosuch"], &[]);
    out.assert_code(2);
    out.assert_stderr_contains("\\connect: ");
    out.assert_stderr_contains("FATAL:  database \"nosuch\" does not exist");
    // -h and -p name another server: refused with --data.
    let out = run(&["-p", "5433", "-c", "SELECT 1"], &[]);
    out.assert_code(1);
    out.assert_stderr_contains("cannot be combined with -h, -p");

    // The REPL says where it is, and the prompt names the database.
    let home = tempfile::tempdir().unwrap();
    let mut s = pty_with_args(home.path(), &["--data", dir, "-d", "shop"]);
    expect(
        &mut s,
        "connected to embedded PostgreSQL, database shop, data in ",
    );
    expect(&mut s, "shop=#");
    s.send_line("\\q").unwrap();
    expect(&mut s, "\\q");
}

/// A second pgsh on a data directory in use is told which process holds it (read from the kernel's lock
/// table), not the runtime's lock error.
#[test]
fn a_data_directory_in_use_names_its_holder() {
    let data = tempfile::tempdir().expect("temp dir for --data");
    let dir = data.path().join("db");
    let (mut holder, _home) = spawn(common::pgsh().arg("--data").arg(&dir).args([
        "--eval",
        "print(query_value(\"SELECT 'holding'\")); sleep(120);",
    ]));
    // Wait until it holds the directory: it has printed once its query ran.
    let mut first = [0u8; 8];
    use std::io::Read;
    let read = holder
        .stdout
        .as_mut()
        .expect("stdout")
        .read_exact(&mut first);
    if read.is_err() || &first != b"holding\n" {
        let _ = holder.kill();
        let (_, _, err) = finish(holder, Duration::from_secs(30));
        panic!("the first pgsh did not start: {err}");
    }
    let out = common::pgsh()
        .arg("--data")
        .arg(&dir)
        .args(["-c", "SELECT 1"])
        .run();
    let pid = holder.id();
    let _ = holder.kill();
    let _ = holder.wait();
    out.assert_code(2);
    out.assert_stderr_contains(&format!(
        "the data directory {} is in use by another pgsh (pid {pid})",
        dir.display()
    ));
    assert!(!out.stderr.contains("lock acquisition failed"), "{out}");
    // Once it is gone, the directory opens again.
    let out = common::pgsh()
        .arg("--data")
        .arg(&dir)
        .args(["-At", "-c", "SELECT 'free'"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "free\n", "{out}");
}
