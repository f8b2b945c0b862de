//! psql's meta-commands: every one from piped input, backslash commands inside a statement, arguments checked
//! as psql checks them, `\timing`.

use crate::common;

/// Every meta-command through piped stdin (no terminal): the same loop as the REPL.
#[test]
fn every_meta_command_works_from_piped_stdin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inc.sql"),
        "SELECT 'from sql file' AS src;\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("inc.rhai"), "print(\"from rhai file\");\n").unwrap();
    let editor = dir.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nsed -i 's/first/edited/' \"$1\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let input = format!(
        r#"\?
\h query
\h functions
CREATE SCHEMA shop;
CREATE TABLE shop.item (id int PRIMARY KEY, name text);
CREATE VIEW item_names AS SELECT name FROM shop.item;
CREATE SEQUENCE counter;
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql AS 'SELECT x * 2';
CREATE ROLE reader;
\l
\dn
\dt shop.*
\dv
\di shop.*
\ds
\df twice
\du reader
\d shop.item
\conninfo
\timing on
SELECT 'timed' AS t;
\timing off
\x on
SELECT 1 AS a, 2 AS b;
\x off
\pset null (null)
SELECT NULL AS n;
\i {dir}/inc.sql
\i {dir}/inc.rhai
SELECT 'first' AS word;
\e
\watch 0.05 c=2
\echo hello   world
\lessons
\sql
SELECT 'sql mode' AS m;
\rhai
let back = "rhai again"; back
\sql
let_is_sql_now;
\dz
"#,
        dir = dir.path().display()
    );
    let out = common::pgsh()
        .env("EDITOR", &editor)
        .stdin_str(&input)
        .run();
    let expected = [
        "General",
        "\\dt",
        "query(sql: string, params: array) -> rows",
        "pgsh's functions by topic",
        "List of databases",
        "List of schemas",
        // \dn's row for the new schema (psql 15 prints the same rows for this input).
        " shop   | postgres\n",
        "List of relations",
        " item ",
        "item_names",
        // \di's row: `\d shop.item` names item_pkey too, so the name alone would not show that \di ran.
        " shop   | item_pkey | index | postgres | item\n",
        "counter",
        "List of functions",
        "twice",
        "List of roles",
        "reader",
        "Table \"shop.item\"",
        "You are connected to database \"postgres\"",
        "Timing is on.",
        "Time: ",
        "-[ RECORD 1 ]",
        "Null display is \"(null)\".",
        // The NULL shown as "(null)": `\pset` echoes the string itself, so only the table shows it is used.
        "   n    \n--------\n (null)\n",
        "from sql file",
        "from rhai file",
        "edited",
        "(every 0.05s)",
        "hello world",
        // \lessons' list (`\?` mentions \lessons too).
        "/scripts/lessons (run one with \\i ",
        "\n  01_first_contact.rhai  Lesson 1: First contact",
        "sql mode",
        "rhai again",
    ];
    for want in expected {
        assert!(
            out.stdout.contains(want),
            "missing {want:?} in stdout:\n{}\nstderr:\n{}",
            out.stdout,
            out.stderr
        );
    }
    // \watch ran the edited query twice.
    assert_eq!(
        out.stdout.matches("(every 0.05s)").count(),
        2,
        "{}",
        out.stdout
    );
    // `let_is_sql_now;` went to the server as SQL (a syntax error there), and the run stopped at the first
    // error — so the unknown \dz after it never ran.
    assert!(
        out.stderr
            .contains("syntax error at or near \"let_is_sql_now\""),
        "{}",
        out.stderr
    );
    assert_eq!(out.status, Some(3));
    // The unknown command, on its own: psql's words.
    let out = common::pgsh().stdin_str("\\dz\n").run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("invalid command \\dz"),
        "{}",
        out.stderr
    );
    // \c switches database, \q stops reading.
    let out = common::pgsh()
        .stdin_str(
            "CREATE DATABASE other;\n\\c other\nSELECT current_database();\n\\q\nSELECT 'never';\n",
        )
        .run();
    out.assert_ok();
    assert!(
        out.stdout
            .contains("You are now connected to database \"other\""),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(" other\n"), "{}", out.stdout);
    assert!(!out.stdout.contains("never"), "{}", out.stdout);
}

/// psql runs a backslash command wherever it appears on a line outside quotes and comments: the text before
/// it stays in the query buffer, `\g`, `\gx` and `\watch` send the buffer, the others leave it alone.
#[test]
fn backslash_commands_in_the_middle_of_a_statement() {
    let out = common::pgsh()
        .stdin_str(
            "SELECT 2 AS y\n\\x\n;\n\\x off\nSELECT 1 AS a \\gx\nSELECT 'after gx' AS b;\n\
             SELECT 3 AS c \\watch 0.05 c=2\nSELECT ';' AS semi, '\\x' AS text \\g\n\
             SELECT 5; SELECT 6 AS six \\g\nSELECT 'dropped'\n\\r\nSELECT 7 AS seven \\p\n;\n",
        )
        .run();
    out.assert_ok();
    let o = &out.stdout;
    // \x ran at once, the buffer waited for its `;` and ran expanded.
    assert!(
        o.contains("Expanded display is on.\n-[ RECORD 1 ]\ny | 2\n"),
        "{out}"
    );
    // \gx: this query expanded, the next one not.
    assert!(o.contains("-[ RECORD 1 ]\na | 1\n"), "{out}");
    assert!(o.contains("    b     \n----------\n after gx\n"), "{out}");
    // \watch ran the pending query twice.
    assert_eq!(o.matches("(every 0.05s)").count(), 2, "{out}");
    assert_eq!(o.matches(" c \n---\n 3\n").count(), 2, "{out}");
    // A backslash inside quotes is text.
    assert!(
        o.contains(" semi | text \n------+------\n ;    | \\x\n"),
        "{out}"
    );
    // The statement a `;` ended before \g ran on its own, then \g sent the rest.
    assert!(o.contains("        5\n"), "{out}");
    assert!(o.contains(" six \n-----\n   6\n"), "{out}");
    // \r emptied the buffer; \p printed it and left it for the `;`.
    assert!(o.contains("Query buffer reset (cleared).\n"), "{out}");
    assert!(!o.contains("dropped"), "{out}");
    assert!(o.contains("SELECT 7 AS seven \n seven \n"), "{out}");
    assert_eq!(out.stderr, "", "{out}");

    // \q on a continuation line quits; piped, psql sends what is pending first, and nothing after runs.
    let out = common::pgsh()
        .stdin_str("SELECT 'pending' AS p\n\\q\nSELECT 'never' AS n;\n")
        .run();
    out.assert_ok();
    assert!(out.stdout.contains(" pending\n"), "{out}");
    assert!(!out.stdout.contains("never"), "{out}");

    // A bad command in the middle of a statement is reported with the line it is on.
    let out = common::pgsh().stdin_str("SELECT 1\n\\x maybe\n;\n").run();
    out.assert_code(3);
    assert!(
        out.stderr
            .contains("pgsh:<stdin>:2: error: unrecognized value \"maybe\" for \"expanded\""),
        "{out}"
    );
}

#[test]
fn meta_command_arguments_are_checked_like_psql() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("tilde.sql"),
        "SELECT 'from home' AS src;\n",
    )
    .unwrap();
    let out = common::pgsh()
        .env("HOME", home.path())
        .stdin_str(
            "\\x T\n\\x of\n\\x AUTO\n\\x\n\\timing 1\n\\timing OFF\n\\pset null (n)\n\\pset null\n\
             \\echo -n text\n\\echo after -n\n\\i ~/tilde.sql\n",
        )
        .run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        "Expanded display is on.\nExpanded display is off.\nExpanded display is used automatically.\n\
         Expanded display is off.\nTiming is on.\nTiming is off.\nNull display is \"(n)\".\n\
         Null display is \"(n)\".\ntextafter -n\n    src    \n-----------\n from home\n(1 row)\n\n"
    );
    for (input, msg) in [
        (
            "\\x maybe\n",
            "unrecognized value \"maybe\" for \"expanded\"\nAvailable values are: on, off, auto.",
        ),
        ("\\x o\n", "unrecognized value \"o\" for \"expanded\""),
        (
            "\\timing foo\n",
            "unrecognized value \"foo\" for \"\\timing\": Boolean expected",
        ),
        (
            "\\pset pager sometimes\n",
            // psql 15: `printf '\\pset pager sometimes\n' | psql -X -f -`.
            "unrecognized value \"sometimes\" for \"pager\"\nAvailable values are: on, off, always.",
        ),
    ] {
        let out = common::pgsh().stdin_str(input).run();
        out.assert_code(3);
        assert!(out.stderr.contains(msg), "{input}: {out}");
        assert!(!out.stdout.contains("display is"), "{input}: {out}");
    }
}

#[test]
fn timing_shows_minutes_from_one_second_and_after_errors() {
    let out = common::pgsh()
        .stdin_str("\\timing on\nSELECT pg_sleep(1.05);\nSELECT 1/0;\n")
        .run();
    out.assert_code(3);
    let times: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("Time: "))
        .collect();
    assert_eq!(times.len(), 2, "{out}");
    // `Time: 1050.123 ms (00:01.050)`
    let slow = times[0];
    let (ms, clock) = slow
        .strip_prefix("Time: ")
        .and_then(|t| t.split_once(" ms ("))
        .unwrap_or_else(|| panic!("{slow}"));
    let ms: f64 = ms.parse().unwrap();
    assert!(ms >= 1000.0, "{slow}");
    let secs = ms / 1000.0;
    assert_eq!(
        clock,
        format!("{:02}:{:06.3})", (secs / 60.0).floor() as u64, secs % 60.0),
        "{slow}"
    );
    // The failed statement is timed too, after its error.
    assert!(out.stderr.contains("division by zero"), "{out}");
    assert!(times[1].ends_with(" ms"), "{out}");
}
