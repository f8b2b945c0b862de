//! The embedded database: `--data` persistence (and a `--data` that is a file), one session at a time,
//! `connect()` options on it, and that a server run never starts it.

use std::time::{Duration, Instant};

use crate::common;
use crate::common::{embedded, lines, walk, Target};

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
