//! Running Rhai scripts: ARGS, imports (and import cycles), a shebang or byte-order mark, `exit()` and
//! `env()`, `--echo`, and resource limits that fail cleanly.

use std::time::{Duration, Instant};

use crate::common;
use crate::common::{write, Target};

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
            "--eval",
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
    for (arg, shown) in [
        ("\"x\"", "the string \"x\""),
        ("3.5", "the float 3.5"),
        ("date(2024, 1, 1)", "a value of type date"),
    ] {
        let out = common::pgsh()
            .args(["--eval", &format!("exit({arg}); print(\"after\")")])
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
fn exit_code_and_env() {
    // With the embedded server running and a `Db` held, as scripts usually do.
    let t = Instant::now();
    let (out, _) = Target::Embedded.script(
        "let db = connect();\nprint(db.query_value(\"SELECT 'a'\"));\nexit(4);\nprint(\"b\");\n",
    );
    out.assert_code(4);
    assert_eq!(out.stdout, "a\n", "{out}");
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "took {:?}",
        t.elapsed()
    );
    assert!(out.stderr.is_empty(), "exit() printed an error: {out}");

    // exit() cannot be caught by try.
    let (out, _) = Target::Embedded
        .script("try { exit(5); } catch (e) { print(\"caught\"); }\nprint(\"after\");\n");
    out.assert_code(5);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.is_empty(), "{out}");

    let out = common::pgsh()
        .env("PGSH_TEST_X", "hello there")
        .args([
            "--eval",
            "`${env(\"PGSH_TEST_X\")}|${env(\"PGSH_TEST_UNSET\") == ()}`",
        ])
        .env_remove("PGSH_TEST_UNSET")
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "hello there|true\n", "{out}");
}

#[test]
fn runaway_scripts_fail_cleanly() {
    let out = common::pgsh()
        .args(["--eval", "fn f(n) { f(n + 1) } f(0)"])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("Stack overflow"), "{}", out.stderr);
    let out = common::pgsh()
        .args(["--max-operations", "100000", "--eval", "loop { }"])
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
        .args([
            "--eval",
            "fn f(n) { if n == 0 { 0 } else { f(n - 1) } } f(20)",
        ])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("Stack overflow"), "{}", out.stderr);
}

#[test]
fn building_large_arrays_is_not_quadratic_and_configured_size_limits_still_apply() {
    // With a data-size limit on, Rhai re-measures the whole array on every push: 100 000 pushes took many
    // seconds. The generous overall timeout only catches a return of that.
    let out = common::pgsh()
        .args([
            "--eval",
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
        .args(["--eval", "let a = []; for i in 0..2000 { a.push(i) }"])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("Size of array/BLOB too large"),
        "{}",
        out.stderr
    );
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["--eval", "let s = \"x\"; loop { s += s; }"])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("Length of string too large"),
        "{}",
        out.stderr
    );
}

#[test]
fn huge_durations_are_errors_not_crashes() {
    let out = common::pgsh().args(["--eval", "sleep(1e30)"]).run();
    out.assert_code(3);
    assert!(out.stderr.contains("too long"), "{}", out.stderr);
    let out = common::pgsh()
        .args(["--retry-delay", "99999999999999999999999s", "--eval", "1"])
        .run();
    out.assert_code(1);
    assert!(out.stderr.contains("out of range"), "{}", out.stderr);
    let out = common::pgsh().stdin_str("SELECT 1;\n\\watch 1e300\n").run();
    assert!(out.stderr.contains("too long"), "{}", out.stderr);
}
