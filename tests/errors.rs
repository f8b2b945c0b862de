//! SQL errors in scripts: caught, they are values with the server's fields; uncaught, they are shown with
//! the script's file:line:column and the server's caret, and the exit status is 3.

use crate::common::{self, lines, Target};

const CAUGHT_SCRIPT: &str = r#"
try { query("SELECT nope"); print("no error"); }
catch (e) {
    print(`code=${e.code}`);
    print(`message=${e.message}`);
    print(`position=${e.position}`);
    print(`sql=${e.sql}`);
    print(`kind=${e.kind}`);
}
execute("CREATE TABLE person (id int PRIMARY KEY, email text CONSTRAINT person_email_key UNIQUE)");
execute("INSERT INTO person VALUES (1, 'ada@example.com')");
try { execute("INSERT INTO person VALUES ($1, $2)", [2, "ada@example.com"]); print("no error"); }
catch (e) {
    print(`code=${e.code}`);
    print(`constraint=${e.constraint}`);
    print(`table=${e.table}`);
    print(`detail=${e.detail}`);
}
print(`after=${query_value("SELECT count(*) FROM person")}`);
"#;

fn check_caught(target: &Target) {
    let out = target.ok(CAUGHT_SCRIPT);
    let t = target.name();
    let expected = [
        "code=42703",
        "message=column \"nope\" does not exist",
        "position=8",
        "sql=SELECT nope",
        "kind=sql",
        "code=23505",
        "constraint=person_email_key",
        "table=person",
        "detail=Key (email)=(ada@example.com) already exists.",
        "after=1",
    ];
    assert_eq!(lines(&out), expected, "{t}:\n{out}");
}

#[test]
fn sql_errors_are_catchable_on_embedded() {
    check_caught(&Target::Embedded);
}

#[test]
fn sql_errors_are_catchable_on_native() {
    let pg = require_native!();
    check_caught(&Target::Native(&pg));
}

const UNCAUGHT_SCRIPT: &str = "print(\"before\");\nlet x = 1;\n  let r = query(\"SELECT id FROM missing_table\");\nprint(\"after\");\n";

fn check_uncaught(target: &Target) {
    let (out, path) = target.script(UNCAUGHT_SCRIPT);
    let t = target.name();
    out.assert_code(3);
    assert_eq!(out.stdout, "before\n", "{t}: {out}");
    let expected = format!(
        "{}:3:11: ERROR:  relation \"missing_table\" does not exist\n\
         \x20  3 |   let r = query(\"SELECT id FROM missing_table\");\n\
         \x20    |           ^\n\
         LINE 1: SELECT id FROM missing_table\n\
         \x20                      ^\n\
         SQLSTATE: 42P01\n",
        path.display()
    );
    assert_eq!(out.stderr, expected, "{t}: {out}");
}

#[test]
fn uncaught_sql_error_is_rendered_on_embedded() {
    check_uncaught(&Target::Embedded);
}

#[test]
fn uncaught_sql_error_is_rendered_on_native() {
    let pg = require_native!();
    check_uncaught(&Target::Native(&pg));
}

#[test]
fn uncaught_query_one_error_exits_3() {
    let (out, path) = Target::Embedded
        .script("let r = query_one(\"SELECT 1 WHERE false\");\nprint(\"after\");\n");
    out.assert_code(3);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(
        out.stderr.starts_with(&format!(
            "{}:1:9: expected exactly one row, but the query returned 0",
            path.display()
        )),
        "{out}"
    );
}

/// Deep recursion and deep nesting end in Rhai's clear error (exit 3), never in a native stack overflow
/// (an abort, 134): pgsh's thread has a stack that holds the deepest nesting its limits allow, and a larger
/// or "unlimited" (0) limit means that cap.
#[test]
fn deep_recursion_and_nesting_are_errors_not_crashes() {
    let recurse = "fn f(n) { f(n + 1) } f(0)";
    for levels in ["2000", "100000", "0"] {
        let out = common::pgsh()
            .args(["--max-call-levels", levels, "--eval", recurse])
            .run();
        out.assert_code(3);
        assert!(out.stderr.contains("Stack overflow"), "{levels}: {out}");
    }
    // 0 is "unlimited" within the stack: a recursion deeper than the default limit (256) runs.
    let out = common::pgsh()
        .args([
            "--max-call-levels",
            "0",
            "--eval",
            "fn f(n) { if n == 0 { 0 } else { 1 + f(n - 1) } } f(3000)",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "3000\n", "{out}");
    // An expression nested 5,000 deep with the depth limit off.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[limits]\nmax_expr_depth = 0\n").unwrap();
    let deep = format!("let x = {}1{};", "(".repeat(5000), ")".repeat(5000));
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["--eval", &deep])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("maximum complexity"),
        "{}",
        &out.stderr[..200.min(out.stderr.len())]
    );
}

/// A query that fails after many rows have arrived (decoded as they come, into compact columns) reports the
/// server's error, keeps no part of the result, and leaves the session usable; a result read whole before it
/// is intact.
const MID_RESULT_SCRIPT: &str = r#"
let sql = "SELECT g, 'name ' || g AS name, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' AS at " +
          "FROM generate_series(1, 60000) g WHERE 1 / (g - 50000) > -2";
let rows = ();
try { rows = query(sql); print("no error"); }
catch (e) { print(`code=${e.code}`); }
print(`rows=${type_of(rows)}`);
let ok = query("SELECT g, 'name ' || g AS name FROM generate_series(1, 3) g");
print(`ok=${ok.len()} ${ok[2].name}`);
print(`after=${query_value("SELECT 7")}`);
"#;

fn check_mid_result(target: &Target) {
    let out = target.ok(MID_RESULT_SCRIPT);
    let t = target.name();
    assert_eq!(
        lines(&out),
        ["code=22012", "rows=()", "ok=3 name 3", "after=7"],
        "{t}:\n{out}"
    );
}

#[test]
fn a_query_failing_mid_result_keeps_nothing_on_embedded() {
    check_mid_result(&Target::Embedded);
}

#[test]
fn a_query_failing_mid_result_keeps_nothing_on_native() {
    let pg = require_native!();
    check_mid_result(&Target::Native(&pg));
}
