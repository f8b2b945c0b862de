//! The command line itself: `-e` and how it prints values, a script's ARGS, `--version`, `--help`, and
//! bad flags.

use crate::common;
use crate::common::{assert_block, embedded, Target};

#[test]
fn eval_prints_values_and_takes_args() {
    let out = embedded().args(["--eval", "1 + 2"]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "3\n", "{out}");

    let out = embedded()
        .args([
            "--eval",
            "query(\"SELECT 2 AS b, 1 AS a UNION ALL SELECT 4, 3\")",
        ])
        .run();
    out.assert_ok();
    assert_block(
        &out.stdout,
        &[" b | a ", "---+---", " 2 | 1", " 4 | 3", "(2 rows)"],
        "-e query",
    );

    let out = embedded().args(["--eval", "ARGS", "x", "y z"]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "[\"x\", \"y z\"]\n", "{out}");

    let out = embedded()
        .args(["--eval", "`${ARGS.len()}:${ARGS[1]}`", "one", "--two"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "2:--two\n", "{out}");

    // A unit value prints nothing.
    let out = embedded().args(["--eval", "let x = 1;"]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "", "{out}");
}

#[test]
fn eval_on_native() {
    let pg = require_native!();
    let out = Target::Native(&pg)
        .pgsh()
        .args([
            "--eval",
            "query_value(\"SELECT current_setting('server_version_num')::int / 10000\")",
        ])
        .run();
    out.assert_ok();
    let major = pg.psql("select current_setting('server_version_num')::int / 10000");
    assert_eq!(out.stdout, format!("{major}\n"), "{out}");

    let out = Target::Native(&pg)
        .pgsh()
        .args([
            "--eval",
            "query(\"SELECT 'x' AS k, current_database() AS db\")",
        ])
        .run();
    out.assert_ok();
    assert_block(
        &out.stdout,
        &[
            " k |    db    ",
            "---+----------",
            " x | postgres",
            "(1 row)",
        ],
        "-e query on native",
    );
}

#[test]
fn script_args_are_available_as_args() {
    let (_dir, path) = common::script_file("print(ARGS);\nprint(ARGS.len());\n");
    let out = embedded().arg(&path).args(["a", "b", "-x"]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "[\"a\", \"b\", \"-x\"]\n3\n", "{out}");
}

#[test]
fn version_help_and_bad_flags() {
    let out = common::pgsh().arg("--version").run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        format!("pgsh {}\n", env!("CARGO_PKG_VERSION")),
        "{out}"
    );

    let out = common::pgsh().arg("--help").run();
    out.assert_ok();
    assert!(
        out.stdout
            .contains("Usage: pgsh [OPTIONS] [SCRIPT] [ARGS]..."),
        "{out}"
    );
    for flag in ["--eval", "--command", "--data", "--dbname", "--embedded"] {
        assert!(out.stdout.contains(flag), "--help lacks {flag}: {out}");
    }

    let out = common::pgsh().arg("--bogus").run();
    out.assert_code(1);
    assert!(out.stderr.contains("--bogus"), "{out}");
    assert!(out.stdout.is_empty(), "{out}");

    let out = common::pgsh()
        .args(["--format", "xml", "--eval", "1"])
        .run();
    out.assert_code(1);
    assert!(out.stderr.contains("unknown format \"xml\""), "{out}");
}
