//! The REPL: driven through a pseudo-terminal for the interactive parts (multi-line input, history, Tab
//! completion, Ctrl-C, the transaction marker, `\d`, `\x auto`), through piped stdin for every meta-command,
//! and compared with psql for table rendering.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::{ControlCode, Regex, Session};

/// A pty session whose whole conversation is logged to stderr (shown when a test fails).
type Pty = Session<
    expectrl::session::OsProcess,
    expectrl::stream::log::LogStream<expectrl::session::OsProcessStream, std::io::Stderr>,
>;

/// pgsh in a pseudo-terminal of `cols` columns, with the harness's clean environment and `home` as HOME.
fn pty(home: &Path, cols: u16, extra_env: &[(String, String)]) -> Pty {
    spawn_pty(home, cols, &[], extra_env)
}

/// Like [`pty`], with extra pgsh arguments.
fn pty_with_args(home: &Path, args: &[&str]) -> Pty {
    spawn_pty(home, 100, args, &[])
}

fn spawn_pty(home: &Path, cols: u16, args: &[&str], extra_env: &[(String, String)]) -> Pty {
    // Everything (HOME, XDG dirs including the runtime dir that holds the embedded server's socket)
    // points into `home`, which the test keeps, not into the harness's temp HOME dropped here.
    let (cmd, _unused_home) = common::pgsh().home_at(home).into_parts();
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!(
            "stty cols {cols} rows 50; exec \"$0\" {}",
            quoted.join(" ")
        ))
        .arg(cmd.get_program());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => {
                sh.env(k, v);
            }
            None => {
                sh.env_remove(k);
            }
        }
    }
    // No pager in tests.
    sh.env("PAGER", "").env("TERM", "xterm").current_dir(home);
    for (k, v) in extra_env {
        // An empty NO_COLOR means "not set" (the harness sets it for every run).
        if k == "NO_COLOR" && v.is_empty() {
            sh.env_remove(k);
        } else {
            sh.env(k, v);
        }
    }
    let mut s = Session::spawn(sh).expect("spawn pgsh in a pty");
    // ptyprocess sets 80x24 on the master after forking, racing the child's stty: set the size again from
    // here, after that, so it holds whichever came first (pgsh reads it at each output).
    s.get_process_mut()
        .set_window_size(cols, 50)
        .expect("set the pty size");
    let mut s = expectrl::session::log(s, std::io::stderr()).expect("log the pty session");
    // Generous: a loaded CI machine can take many seconds to start or stop the embedded server.
    s.set_expect_timeout(Some(Duration::from_secs(60)));
    s
}

/// Wait for a line of output that is exactly `text` (so the echo of what was typed does not count).
fn expect_line(s: &mut Pty, text: &str) -> String {
    let re = format!("\\n{}\\r?\\n", regex_escape(text));
    match s.expect(Regex(re.as_str())) {
        Ok(found) => String::from_utf8_lossy(found.before()).into_owned(),
        Err(e) => panic!("expected the line {text:?}: {e}"),
    }
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Send a line and return what pgsh printed in answer: everything between the end of the echoed input
/// (rustyline turns bracketed paste off, `ESC[?2004l`) and the next prompt (`ESC[?2004h`).
fn cmd(s: &mut Pty, line: &str) -> String {
    s.send_line(line).unwrap();
    if let Err(e) = s.expect("\x1b[?2004l") {
        panic!("no echo of {line:?}: {e}");
    }
    match s.expect("\x1b[?2004h") {
        Ok(found) => String::from_utf8_lossy(found.before()).replace("\r\n", "\n"),
        Err(e) => panic!("no prompt after {line:?}: {e}"),
    }
}

fn expect(s: &mut Pty, text: &str) -> String {
    match s.expect(text) {
        Ok(found) => String::from_utf8_lossy(found.before()).into_owned(),
        Err(e) => panic!("expected {text:?}: {e}"),
    }
}

#[test]
fn multi_line_input_and_the_transaction_marker() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    s.send_line("let x = [1,").unwrap();
    expect(&mut s, "postgres-#");
    s.send_line("2, 3]; x.len()").unwrap();
    expect(&mut s, "3");
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
    s.send("SELECT stripe_c\t").unwrap();
    expect(&mut s, "stripe_count");
    s.send(" FROM zebra_stripes;\r").unwrap();
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
fn ctrl_c_cancels_a_query_and_returns_to_the_prompt() {
    let pg = require_native!();
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &pg.env());
    expect(&mut s, "postgres=#");
    s.send_line("SELECT pg_sleep(30);").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let started = std::time::Instant::now();
    s.send(ControlCode::EndOfText).unwrap();
    expect(&mut s, "canceling statement due to user request");
    expect(&mut s, "postgres=#");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    s.send_line("SELECT 'still here' AS s;").unwrap();
    expect(&mut s, "still here");
    // Ctrl-C at the prompt discards the line. Each key waits for the editor: typed ahead while a result is
    // still printing, the Ctrl-C would be a signal and the terminal would drop what follows it.
    expect(&mut s, "postgres=#");
    s.send("SELECT 'discarded'").unwrap();
    expect(&mut s, "'discarded'");
    s.send(ControlCode::EndOfText).unwrap();
    expect(&mut s, "postgres=#");
    s.send_line("SELECT 6 * 7 AS v;").unwrap();
    let before = expect(&mut s, "42");
    assert!(!before.contains("discarded |"), "{before}");
    s.send_line("\\q").unwrap();
}

#[test]
fn describe_shows_indexes_and_keys_and_x_auto_expands() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 50, &[]);
    expect(&mut s, "postgres=#");
    assert!(cmd(
        &mut s,
        "CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);"
    )
    .contains("CREATE TABLE"));
    assert!(cmd(
        &mut s,
        "CREATE TABLE book (id serial PRIMARY KEY, author_id int REFERENCES author(id), title text UNIQUE);"
    )
    .contains("CREATE TABLE"));
    assert!(cmd(
        &mut s,
        "CREATE INDEX book_title_lower ON book (lower(title));"
    )
    .contains("CREATE INDEX"));
    let out = cmd(&mut s, "\\d book");
    for want in [
        "Table \"public.book\"",
        "nextval('book_id_seq'::regclass)",
        "Indexes:",
        "\"book_pkey\" PRIMARY KEY, btree (id)",
        "\"book_title_key\" UNIQUE CONSTRAINT, btree (title)",
        "\"book_title_lower\" btree (lower(title))",
        "Foreign-key constraints:",
        "\"book_author_id_fkey\" FOREIGN KEY (author_id) REFERENCES author(id)",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let out = cmd(&mut s, "\\d author");
    assert!(out.contains("Referenced by:"), "{out}");
    assert!(
        out.contains("TABLE \"book\" CONSTRAINT \"book_author_id_fkey\""),
        "{out}"
    );
    assert!(cmd(&mut s, "\\x auto").contains("Expanded display is used automatically."));
    let narrow = cmd(&mut s, "SELECT 1 AS a, 'short' AS b;");
    assert!(narrow.contains(" a |   b"), "{narrow}");
    assert!(!narrow.contains("RECORD"), "{narrow}");
    let wide = cmd(
        &mut s,
        "SELECT repeat('x', 40) AS wide, repeat('y', 30) AS wider;",
    );
    assert!(wide.contains("-[ RECORD 1 ]"), "{wide}");
    assert!(wide.contains("wide  | xxxx"), "{wide}");
    s.send_line("\\q").unwrap();
}

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
\h
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
        " shop ",
        "List of relations",
        " item ",
        "item_names",
        "item_pkey",
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
        "(null)",
        "from sql file",
        "from rhai file",
        "edited",
        "(every 0.05s)",
        "hello world",
        "lessons",
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
    // The unknown command, on its own, suggests the close one.
    let out = common::pgsh().stdin_str("\\dz\n").run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("invalid command \\dz"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
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

/// Tables printed by pgsh are byte-for-byte psql's: unicode, wide values, NULLs, numbers, multi-line.
#[test]
fn result_tables_match_psql() {
    let pg = require_native!();
    let queries = [
        "SELECT 1 AS n, 'x' AS t",
        "SELECT * FROM (VALUES (1, 'é日本語🎉', NULL::text, 3.14159::numeric, -2.5::float8), (22222, '', 'wide value here', NULL, 1e20)) v(id, uni, nul, num, fl)",
        "SELECT 'line one' || chr(10) || 'line two' AS multi, 42 AS after",
        "SELECT generate_series(1, 3) AS g, repeat('ab', generate_series(1, 3)) AS r",
        "SELECT true AS yes, false AS no, NULL::bool AS unknown, '{1,2,NULL}'::int[] AS arr",
        "SELECT * FROM pg_catalog.pg_class WHERE false",
        "SELECT 12345678901234567890::numeric AS big, -0.0001::numeric AS small, 'NaN'::float8 AS nan",
        "SELECT '{\"b\":1, \"a\":[2, 3.0]}'::json AS j, '{\"b\":1.50,\"a\":2}'::jsonb AS jb, '\"s\"'::json AS s, \
         ARRAY['{\"a\": 1}'::json] AS ja, ROW(1, '{\"k\": \"v\"}'::jsonb) AS r",
        "SELECT '[2:3]={a,\"b c\"}'::text[] AS arr, '[0:1][1:2]={{1,2},{3,NULL}}'::int[] AS m, '{1,2}'::int[] AS plain",
    ];
    for q in queries {
        let ours = common::pgsh().envs(pg.env()).args(["-c", q]).run();
        ours.assert_ok();
        let theirs = pg
            .psql_command("postgres", "postgres")
            .args(["-P", "format=aligned", "-P", "tuples_only=off", "-c", q])
            .output()
            .unwrap();
        let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
        assert_eq!(ours.stdout, theirs, "for {q}");
    }
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
            .contains("pgsh:<stdin>:2: unrecognized value \"maybe\" for \"expanded\""),
        "{out}"
    );
}

/// psql's describe commands and patterns, compared byte for byte with psql on the same database.
#[test]
fn describe_commands_match_psql() {
    let pg = require_native!();
    pg.psql(
        "CREATE TABLE genre (id int PRIMARY KEY, name text); \
         CREATE TABLE \"a*b\" (i int); CREATE TABLE aab (i int); \
         CREATE VIEW gv AS SELECT id FROM genre; \
         CREATE TABLE meas (id int, logdate date NOT NULL) PARTITION BY RANGE (logdate); \
         CREATE TABLE meas_2020 PARTITION OF meas FOR VALUES FROM ('2020-01-01') TO ('2021-01-01'); \
         CREATE TABLE meas_2021 PARTITION OF meas FOR VALUES FROM ('2021-01-01') TO ('2022-01-01'); \
         CREATE INDEX meas_day ON meas (logdate); \
         CREATE TABLE lst (k text) PARTITION BY LIST (k); CREATE TABLE lst_d PARTITION OF lst DEFAULT; \
         CREATE TABLE empty_p (k int) PARTITION BY HASH (k); \
         CREATE TABLE par (i int); CREATE TABLE ch1 () INHERITS (par); \
         CREATE TABLE idt (id int GENERATED ALWAYS AS IDENTITY, s serial); \
         CREATE ROLE r1; CREATE ROLE r2 LOGIN; GRANT r1 TO r2; \
         CREATE TABLE noted (a int, b text COMPRESSION pglz) WITH (fillfactor = 70); \
         ALTER TABLE noted ALTER a SET STATISTICS 50; COMMENT ON TABLE noted IS 'a table'; \
         COMMENT ON COLUMN noted.b IS 'the b'; COMMENT ON ROLE r1 IS 'first role'; \
         CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x; \
         CREATE FUNCTION addone(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1'; \
         COMMENT ON FUNCTION addone(int) IS 'adds one';",
    );
    let commands = [
        // The `+` forms: psql's extra columns and footers.
        "\\l",
        "\\dt+",
        "\\dv+",
        "\\dm+",
        "\\dm",
        "\\di+ genre*",
        "\\ds+",
        "\\dn+",
        "\\du+ r*",
        "\\df+ addone",
        "\\d+",
        "\\d+ noted",
        "\\d+ genre",
        "\\d+ genre_pkey",
        "\\d+ gv",
        "\\d+ mv",
        "\\d+ idt",
        "\\d genre",
        "\\d public.*",
        "\\dt \"a*b\"",
        "\\dt a?b",
        "\\dt genre|aab",
        "\\dt pg_class",
        "\\dt postgres.public.genre",
        "\\dt *.*",
        "\\df now",
        "\\dv pg_stat_a*",
        "\\di pg_class*",
        "\\dn *",
        "\\dn",
        "\\df nosuch",
        "\\dn nosuch",
        "\\du nosuch",
        "\\du",
        "\\du r*",
        "\\d gv",
        "\\d meas",
        "\\d meas_2020",
        "\\d meas_day",
        "\\d meas_2020_logdate_idx",
        "\\d lst_d",
        "\\d empty_p",
        "\\d par",
        "\\d ch1",
        "\\d idt_s_seq",
        "\\d idt_id_seq",
    ];
    for c in commands {
        let ours = common::pgsh()
            .envs(pg.env())
            .stdin_str(&format!("{c}\n"))
            .run();
        ours.assert_ok();
        let theirs = pg
            .psql_command("postgres", "postgres")
            .args(["-P", "format=aligned", "-P", "tuples_only=off", "-c", c])
            .output()
            .unwrap();
        let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
        assert_eq!(ours.stdout, theirs, "for {c}");
    }
    // \d * describes every visible relation, system catalogs included.
    let out = common::pgsh().envs(pg.env()).stdin_str("\\d *\n").run();
    out.assert_ok();
    for want in [
        "Table \"public.genre\"",
        "Table \"pg_catalog.pg_class\"",
        "View \"public.gv\"",
    ] {
        assert!(out.stdout.contains(want), "missing {want} in {out}");
    }
    // \d+ adds a view's definition and lists partitions.
    let out = common::pgsh()
        .envs(pg.env())
        .stdin_str("\\d+ gv\n\\d+ meas\n")
        .run();
    out.assert_ok();
    assert!(
        out.stdout
            .contains("View definition:\n SELECT genre.id\n   FROM genre;\n"),
        "{out}"
    );
    assert!(
        out.stdout.contains(
            "Partitions: meas_2020 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01'),\n            meas_2021 FOR VALUES"
        ),
        "{out}"
    );
    // \l+ adds sizes (compared by shape: a database's size may move between two runs).
    let out = common::pgsh().envs(pg.env()).args(["-c", "\\l+"]).run();
    out.assert_ok();
    let header = out.stdout.lines().nth(1).unwrap_or_default().to_string();
    for col in [
        "ICU Locale",
        "Locale Provider",
        "Size",
        "Tablespace",
        "Description",
    ] {
        assert!(header.contains(col), "no {col} in {out}");
    }
    assert!(
        out.stdout
            .contains("| pg_default | default administrative connection database"),
        "{out}"
    );
    // Nothing found: a relation list says so on stderr and goes on; \d of a missing name is an error.
    let out = common::pgsh()
        .envs(pg.env())
        .stdin_str("\\dt nosuch\nSELECT 'went on' AS w;\n\\d nosuch\nSELECT 'stopped' AS s;\n")
        .run();
    assert_ne!(out.status, Some(0), "{out}");
    assert!(
        out.stderr
            .contains("Did not find any relation named \"nosuch\".\n"),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("pgsh:<stdin>:3: Did not find any relation named \"nosuch\"."),
        "{out}"
    );
    assert!(out.stdout.contains("went on"), "{out}");
    assert!(!out.stdout.contains("stopped"), "{out}");
    // Bad qualified names, as psql words them.
    for (pattern, msg) in [
        (
            "a.b.c.d",
            "improper qualified name (too many dotted names): a.b.c.d",
        ),
        (
            "other.public.t",
            "cross-database references are not implemented: other.public.t",
        ),
    ] {
        let out = common::pgsh()
            .envs(pg.env())
            .stdin_str(&format!("\\dt {pattern}\n"))
            .run();
        assert!(out.stderr.contains(msg), "{out}");
    }
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
            "unrecognized value \"sometimes\" for \"pager\": Boolean expected",
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

/// A lost connection keeps the database name and `#` in the prompt: `postgres=?#`.
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
    expect(&mut s, "postgres=?#");
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

/// `\copy … from stdin` in piped input takes the lines that follow, up to `\.`, as psql does (it used to wait
/// forever on stdin, which the input loop itself holds).
#[test]
fn backslash_copy_from_stdin_reads_the_piped_input() {
    let out = common::pgsh()
        .stdin_str(
            "CREATE TABLE cc (a int, b text);\n\\copy cc from stdin\n1\tone\n2\ttwo\n\\.\n\\copy cc from stdin csv\n3,three\n\\.\nSELECT string_agg(b, ',' ORDER BY a) FROM cc;\n",
        )
        .timeout(std::time::Duration::from_secs(60))
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("COPY 2\nCOPY 1\n"), "{}", out.stdout);
    assert!(out.stdout.contains("one,two,three"), "{}", out.stdout);
}

/// On the embedded PostgreSQL 17, \l has psql 17's locale columns and the `+` forms work as on a server.
#[test]
fn verbose_describe_commands_on_the_embedded_server() {
    let out = common::pgsh()
        .args([
            "-c",
            "CREATE TABLE noted (a int, b text); COMMENT ON COLUMN noted.b IS 'the b';",
            "-c",
            "\\l+",
            "-c",
            "\\d+ noted",
            "-c",
            "\\dt+ noted",
        ])
        .run();
    out.assert_ok();
    let o = &out.stdout;
    // A line of the output whose cells are exactly `names`.
    let has_header = |names: &[&str]| {
        o.lines()
            .any(|l| l.split('|').map(str::trim).eq(names.iter().copied()))
    };
    let db_header = has_header(&[
        "Name",
        "Owner",
        "Encoding",
        "Locale Provider",
        "Collate",
        "Ctype",
        "Locale",
        "ICU Rules",
        "Access privileges",
        "Size",
        "Tablespace",
        "Description",
    ]);
    assert!(db_header, "{out}");
    let storage_header = has_header(&[
        "Column",
        "Type",
        "Collation",
        "Nullable",
        "Default",
        "Storage",
        "Compression",
        "Stats target",
        "Description",
    ]);
    assert!(storage_header, "{out}");
    assert!(
        o.contains("| extended |             |              | the b"),
        "{out}"
    );
    assert!(o.contains("Access method: heap"), "{out}");
    assert!(o.contains("| permanent   | heap          |"), "{out}");
}
