//! The interactive REPL, driven through a pseudo-terminal: multi-line input and the prompt's transaction
//! marker, history, Tab completion, the rc file, the pager and colours, password prompts.

use crate::common;
use crate::common::{cmd, expect, expect_line, pty, pty_with_args};

#[test]
fn multi_line_input_and_the_transaction_marker() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    s.send_line("let x = [1,").unwrap();
    expect(&mut s, "postgres-#");
    s.send_line("2, 3]; x.len()").unwrap();
    // A line of its own: the typed `2, 3]` holds a 3 too.
    expect_line(&mut s, "3");
    expect(&mut s, "postgres=#");
    s.send_line("SELECT 1 +").unwrap();
    expect(&mut s, "postgres-#");
    s.send_line("41 AS answer;").unwrap();
    expect(&mut s, "42");
    expect(&mut s, "(1 row)");
    s.send_line("BEGIN;").unwrap();
    expect(&mut s, "postgres=*#");
    s.send_line("SELECT 1/0;").unwrap();
    expect(&mut s, "division by zero");
    expect(&mut s, "postgres=!#");
    s.send_line("ROLLBACK;").unwrap();
    expect_line(&mut s, "ROLLBACK");
    expect(&mut s, "postgres=#");
    // Quitting with a transaction open asks first.
    s.send_line("BEGIN;").unwrap();
    expect(&mut s, "postgres=*#");
    s.send_line("\\q").unwrap();
    expect(&mut s, "quit and roll it back? [y/N]");
    s.send_line("n").unwrap();
    expect(&mut s, "postgres=*#");
    s.send_line("\\q").unwrap();
    expect(&mut s, "[y/N]");
    s.send_line("y").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}

#[test]
fn history_persists_privately_and_without_passwords() {
    let home = tempfile::tempdir().unwrap();
    {
        let mut s = pty(home.path(), 100, &[]);
        expect(&mut s, "postgres=#");
        s.send_line("SELECT 'remember-me' AS marker;").unwrap();
        expect(&mut s, "(1 row)");
        // One line at a time (cmd waits for the next prompt): rustyline drops what was typed ahead of it.
        cmd(
            &mut s,
            "let u = \"postgres://bob:Hist-Secret-9@localhost/db\";",
        );
        s.send_line("\\q").unwrap();
        s.expect(expectrl::Eof).unwrap();
    }
    let hist = home.path().join(".local/share/pgsh/history");
    let text = std::fs::read_to_string(&hist).expect("history file");
    assert!(text.contains("remember-me"), "{text}");
    assert!(!text.contains("Hist-Secret-9"), "{text}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&hist).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    // Up three times (\q, the let, then the SELECT typed in the first session).
    s.send("\x1b[A\x1b[A\x1b[A").unwrap();
    s.send("\r").unwrap();
    expect(&mut s, "remember-me");
    expect(&mut s, "(1 row)");
    s.send_line("\\q").unwrap();
}

/// Two REPLs on the same HOME: neither loses the other's history when it saves.
#[test]
fn concurrent_sessions_keep_each_others_history() {
    let home = tempfile::tempdir().unwrap();
    let mut a = pty(home.path(), 100, &[]);
    expect(&mut a, "postgres=#");
    let mut b = pty(home.path(), 100, &[]);
    expect(&mut b, "postgres=#");
    assert!(cmd(&mut a, "SELECT 'from-a-1' AS m;").contains("(1 row)"));
    assert!(cmd(&mut b, "SELECT 'from-b' AS m;").contains("(1 row)"));
    assert!(cmd(&mut a, "SELECT 'from-a-2' AS m;").contains("(1 row)"));
    a.send_line("\\q").unwrap();
    a.expect(expectrl::Eof).unwrap();
    b.send_line("\\q").unwrap();
    b.expect(expectrl::Eof).unwrap();
    let hist = home.path().join(".local/share/pgsh/history");
    let text = std::fs::read_to_string(&hist).expect("history file");
    for entry in ["from-a-1", "from-b", "from-a-2"] {
        assert!(text.contains(entry), "{entry} missing from\n{text}");
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&hist).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn tab_completes_tables_and_columns() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    s.send_line("CREATE TABLE zebra_stripes (stripe_count int, zone text);")
        .unwrap();
    expect_line(&mut s, "CREATE TABLE");
    s.send("SELECT * FROM zebra_s\t").unwrap();
    expect(&mut s, "zebra_stripes");
    s.send(";\r").unwrap();
    expect(&mut s, "(0 rows)");
    // Columns are those of the tables the statement names (issue 16), FROM after the cursor included.
    s.send("SELECT stripe_c FROM zebra_stripes").unwrap();
    s.send("\x1b[D".repeat(" FROM zebra_stripes".len()))
        .unwrap();
    s.send("\t").unwrap();
    expect(&mut s, "stripe_count FROM");
    s.send("\x05;\r").unwrap();
    expect(&mut s, "stripe_count");
    expect(&mut s, "(0 rows)");
    // Inside a query string too.
    s.send("query(\"SELECT * FROM zebra_\t").unwrap();
    expect(&mut s, "zebra_stripes");
    s.send("\")\r").unwrap();
    expect(&mut s, "(0 rows)");
    s.send_line("\\q").unwrap();
}

#[test]
fn rc_file_runs_before_the_first_prompt_unless_no_rc() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".pgshrc.rhai"),
        "fn greet(n) { `hi ${n} from rc` }\nlet rc_loaded = true;\n",
    )
    .unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "greet(\"ada\")");
    assert!(out.contains("hi ada from rc"), "{out}");
    s.send_line("\\q").unwrap();
    let mut s = pty_with_args(home.path(), &["--no-rc"]);
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "greet(\"ada\")");
    assert!(out.contains("Function not found: greet"), "{out}");
    s.send_line("\\q").unwrap();
}

#[test]
fn long_results_go_through_the_pager_and_colours_follow_no_color() {
    let home = tempfile::tempdir().unwrap();
    // A "pager" that marks every line it shows.
    let mut s = pty(
        home.path(),
        100,
        &[("PAGER".to_string(), "sed 's/^/PAGED:/'".to_string())],
    );
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "SELECT g FROM generate_series(1, 200) g;");
    assert!(out.contains("PAGED: 200"), "{out}");
    // Short results are printed directly.
    let out = cmd(&mut s, "SELECT 1 AS one;");
    assert!(!out.contains("PAGED:"), "{out}");
    assert!(out.contains("one"), "{out}");
    assert!(cmd(&mut s, "\\pset pager off").contains("Pager usage is off."));
    let out = cmd(&mut s, "SELECT g FROM generate_series(1, 200) g;");
    assert!(!out.contains("PAGED:"), "{out}");
    s.send_line("\\q").unwrap();

    // NO_COLOR is set by the harness: no escape codes in the echo of typed SQL...
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    s.send("SELECT 42").unwrap();
    let echoed = expect(&mut s, "42");
    assert!(!echoed.contains("\u{1b}[1;35m"), "{echoed:?}");
    s.send_line(";").unwrap();
    s.send_line("\\q").unwrap();
    // ...and without it, keywords are coloured.
    let mut s = pty(home.path(), 100, &[("NO_COLOR".to_string(), String::new())]);
    expect(&mut s, "postgres=#");
    s.send("SELECT 42").unwrap();
    expect(&mut s, "\u{1b}[1;35mSELECT");
    s.send_line(";").unwrap();
    s.send_line("\\q").unwrap();
}

/// Describe output goes through the pager like query results, and `\d name` is never expanded.
#[test]
fn describe_output_is_paged_and_never_expanded() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(
        home.path(),
        100,
        &[("PAGER".to_string(), "sed 's/^/PAGED:/'".to_string())],
    );
    expect(&mut s, "postgres=#");
    assert!(cmd(
        &mut s,
        "DO $$ BEGIN FOR i IN 1..60 LOOP EXECUTE format('CREATE TABLE many_%s (c int)', i); END LOOP; END $$;"
    )
    .contains("DO"));
    let out = cmd(&mut s, "\\dt many_*");
    assert!(out.contains("PAGED: public | many_60"), "{out}");
    let out = cmd(&mut s, "\\d many_1");
    assert!(!out.contains("PAGED:"), "{out}");
    assert!(cmd(&mut s, "\\x on").contains("Expanded display is on."));
    let out = cmd(&mut s, "\\d many_1");
    assert!(
        out.contains(" Column |  Type   | Collation | Nullable | Default"),
        "{out}"
    );
    assert!(!out.contains("RECORD"), "{out}");
    s.send_line("\\q").unwrap();
}

#[test]
fn the_server_asking_for_a_password_gets_a_prompt_without_echo() {
    let pg = require_native!(common::ClusterOptions {
        password_user: Some(("pat".into(), "Prompt-Pw-7".into())),
        ..common::ClusterOptions::default()
    });
    let home = tempfile::tempdir().unwrap();
    let mut env = pg.env();
    env.retain(|(k, _)| k != "PGUSER");
    env.push(("PGUSER".into(), "pat".into()));
    let mut s = pty(home.path(), 100, &env);
    expect(&mut s, "Password for user pat:");
    s.send_line("Prompt-Pw-7").unwrap();
    let banner = expect(&mut s, "postgres=>");
    assert!(!banner.contains("Prompt-Pw-7"), "{banner}");
    let out = cmd(&mut s, "SELECT current_user;");
    assert!(out.contains(" pat"), "{out}");
    s.send_line("\\q").unwrap();
}

/// A terminated backend, as psql handles it at the prompt: the statement fails, the connection is reset,
/// and the prompt is back with the database name.
#[test]
fn the_prompt_after_the_backend_is_terminated() {
    let pg = require_native!();
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &pg.env());
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "SELECT 'pid=' || pg_backend_pid() AS p;");
    let pid: String = out
        .split("pid=")
        .nth(1)
        .map(|t| t.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_else(|| panic!("{out}"));
    assert!(!pid.is_empty(), "{out}");
    pg.psql(&format!("SELECT pg_terminate_backend({pid})"));
    s.send_line("SELECT 1;").unwrap();
    expect(&mut s, "terminat");
    expect(&mut s, "Attempting reset: Succeeded.");
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "SELECT 'pid=' || pg_backend_pid() AS p;");
    assert!(!out.contains(&format!("pid={pid}")), "a new backend: {out}");
    s.send_line("\\q").unwrap();
}

/// Lines that reach the terminal in one write (typed ahead, or pasted without bracketed paste) all run, in
/// order, SQL and Rhai alike.
#[test]
fn lines_arriving_together_all_run() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    s.send("SELECT 1 AS one;\rSELECT 2 AS two;\rlet z = 5;\rz * 21\r")
        .unwrap();
    expect(&mut s, " two ");
    expect_line(&mut s, "105");
    // A bracketed paste of the same kind.
    s.send("\x1b[200~SELECT 3 AS three;\rlet w = 6;\rw * 7\r\x1b[201~")
        .unwrap();
    s.send("\r").unwrap();
    expect(&mut s, " three ");
    expect_line(&mut s, "42");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}

/// `\i` of a lesson (which connects and closes sessions of its own) leaves the prompt connected, and the
/// SQL typed after it runs.
#[test]
fn the_prompt_after_a_lesson_is_connected() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    let lesson = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts/lessons/01_first_contact.rhai");
    s.send_line(format!("\\i {}", lesson.display())).unwrap();
    expect(&mut s, "Lesson 1 complete");
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "SELECT 'after the lesson' AS a;");
    assert!(out.contains("after the lesson"), "{out}");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}
