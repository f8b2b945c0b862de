//! psql's backslash commands in `pgsh --psql`, byte for byte as psql: the same input goes through the
//! server's own psql and through pgsh against one throwaway cluster, and stdout, stderr and the exit code
//! must be equal. Covers the describe family (every `\d` form on an object zoo, `\l`, `\z`, `\sf`, `\sv`),
//! `\c` and `\conninfo`, the large-object commands, `\e`/`\ef`/`\ev` with a scripted editor, and
//! `\password`.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::{self, ClusterOptions, NativeCluster};

/// What one run printed.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// How to run a client: extra environment and, for `\password`, no controlling terminal.
#[derive(Clone, Default)]
struct How {
    env: Vec<(String, String)>,
    /// Run in a new session (no /dev/tty), so prompts read stdin as psql's and rpassword's fallbacks do.
    detached: bool,
}

/// Inherited variables that would change what either client does.
fn leaks(key: &str) -> bool {
    key.starts_with("PG")
        || key.starts_with("PSQL")
        || matches!(key, "EDITOR" | "VISUAL" | "PAGER" | "TMPDIR" | "COLUMNS")
}

fn run(mut cmd: Command, stdin: &str, how: &How) -> Run {
    for (key, _) in std::env::vars_os() {
        if leaks(&key.to_string_lossy()) {
            cmd.env_remove(key);
        }
    }
    cmd.env("LC_ALL", "C");
    for (k, v) in &how.env {
        cmd.env(k, v);
    }
    if how.detached {
        // SAFETY: setsid is async-signal-safe and touches nothing of the parent's.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {cmd:?}: {e}"));
    let input = stdin.to_string();
    let mut pipe = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(p) = pipe.as_mut() {
            let _ = p.write_all(input.as_bytes());
        }
    });
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("could not wait for {cmd:?}: {e}"));
    let _ = writer.join();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// psql's connection arguments for `db` on the cluster's socket, as superuser.
fn conn_args(pg: &NativeCluster, db: &str) -> Vec<String> {
    vec![
        "-X".into(),
        "-h".into(),
        pg.socket_dir().display().to_string(),
        "-p".into(),
        pg.port().to_string(),
        "-U".into(),
        "postgres".into(),
        "-d".into(),
        db.into(),
    ]
}

fn psql(pg: &NativeCluster, args: &[String], stdin: &str, how: &How) -> Run {
    let mut cmd = Command::new(pg.psql_binary());
    cmd.args(args);
    run(cmd, stdin, how)
}

fn pgsh(pg: &NativeCluster, args: &[String], stdin: &str, how: &How) -> Run {
    let _ = pg;
    let (mut cmd, home) = common::pgsh().into_parts();
    cmd.arg("--psql").args(args);
    let r = run(cmd, stdin, how);
    drop(home);
    r
}

/// Fail with the first line where the two runs part, and both outputs in full.
fn assert_same(what: &str, psql: &Run, pgsh: &Run) {
    if psql == pgsh {
        return;
    }
    let first_difference = |a: &str, b: &str| {
        let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        let i = (0..al.len().max(bl.len()))
            .find(|&i| al.get(i) != bl.get(i))
            .unwrap_or(0);
        format!(
            "line {}:\n  psql: {:?}\n  pgsh: {:?}",
            i + 1,
            al.get(i),
            bl.get(i)
        )
    };
    let mut msg = format!("{what}: pgsh --psql differs from psql\n");
    if psql.code != pgsh.code {
        msg.push_str(&format!(
            "exit code: psql {:?}, pgsh {:?}\n",
            psql.code, pgsh.code
        ));
    }
    if psql.stdout != pgsh.stdout {
        msg.push_str(&format!(
            "stdout, {}\n",
            first_difference(&psql.stdout, &pgsh.stdout)
        ));
    }
    if psql.stderr != pgsh.stderr {
        msg.push_str(&format!(
            "stderr, {}\n",
            first_difference(&psql.stderr, &pgsh.stderr)
        ));
    }
    msg.push_str(&format!(
        "--- psql stdout ---\n{}\n--- psql stderr ---\n{}\n--- pgsh stdout ---\n{}\n--- pgsh stderr ---\n{}",
        psql.stdout, psql.stderr, pgsh.stdout, pgsh.stderr
    ));
    panic!("{msg}");
}

/// Run `input` on stdin of both clients connected to `db` and compare.
fn same_on_stdin(pg: &NativeCluster, db: &str, input: &str, how: &How) -> Run {
    let args = conn_args(pg, db);
    let a = psql(pg, &args, input, how);
    let b = pgsh(pg, &args, input, how);
    assert_same(&format!("input:\n{input}"), &a, &b);
    a
}

/// A cluster whose sizes stay put between the two runs (no autovacuum writing behind them).
fn quiet_cluster(opts: ClusterOptions) -> Option<NativeCluster> {
    let mut opts = opts;
    opts.extra_conf.push("autovacuum = off".into());
    common::native_with(opts)
}

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/psql/describe/testdata")
        .join(name)
}

/// Tables, views, sequences, partitions, inheritance, keys, triggers, rules, policies, functions and
/// privileges, for the table-centred describe commands and `\sf`/`\sv`.
const TABLE_ZOO: &str = r#"
SET client_min_messages = warning;
CREATE SCHEMA tz;
CREATE TABLE tz.parent (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x', created timestamptz);
COMMENT ON TABLE tz.parent IS 'parents';
COMMENT ON COLUMN tz.parent.name IS 'what they are called';
CREATE TABLE tz.child (id serial PRIMARY KEY, parent_id int REFERENCES tz.parent(id) ON DELETE CASCADE,
  note varchar(20) UNIQUE, CHECK (id > 0));
CREATE INDEX child_note_lower ON tz.child (lower(note)) WHERE id > 10;
CREATE VIEW tz.v AS SELECT p.id, c.note FROM tz.parent p JOIN tz.child c ON c.parent_id = p.id;
CREATE VIEW tz.v_check WITH (security_barrier) AS SELECT * FROM tz.parent WHERE id > 1 WITH LOCAL CHECK OPTION;
CREATE MATERIALIZED VIEW tz.mv AS SELECT count(*) AS n FROM tz.child;
CREATE SEQUENCE tz.seq START 10 INCREMENT 5;
CREATE TABLE tz.measure (city int, logdate date NOT NULL, peak int) PARTITION BY RANGE (logdate);
CREATE TABLE tz.measure_2024 PARTITION OF tz.measure FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE tz.measure_def PARTITION OF tz.measure DEFAULT;
CREATE INDEX measure_city ON tz.measure (city);
CREATE TABLE tz.inh_base (a int);
CREATE TABLE tz.inh_kid (b int) INHERITS (tz.inh_base);
CREATE FUNCTION tz.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER child_touch BEFORE UPDATE ON tz.child FOR EACH ROW EXECUTE FUNCTION tz.touch();
CREATE RULE parent_notify AS ON DELETE TO tz.parent DO ALSO NOTIFY parent_gone;
ALTER TABLE tz.parent ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_sel ON tz.parent FOR SELECT USING (id > 0);
CREATE FUNCTION tz.add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE FUNCTION tz.ret(x int) RETURNS int LANGUAGE sql RETURN x * 2;
CREATE FUNCTION tz.longer(t text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  r text;
BEGIN
  r := upper(t);
  RETURN r || '!';
END
$$;
CREATE PROCEDURE tz.proc() LANGUAGE plpgsql AS $$BEGIN NULL; END$$;
GRANT SELECT ON tz.parent TO PUBLIC;
GRANT UPDATE (name) ON tz.parent TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA tz GRANT SELECT ON TABLES TO PUBLIC;
"#;

/// The table-centred commands run on [`TABLE_ZOO`], including psql's error cases.
const TABLE_COMMANDS: &str = r#"\d
\d+
\d tz.*
\d+ tz.parent
\d tz.child
\d+ tz.v
\d tz.mv
\d+ tz.seq
\d+ tz.measure
\d tz.measure_2024
\d tz.child_note_lower
\d tz.inh_kid
\d+ tz.inh_base
\dS pg_am
\dt tz.*
\dt+ tz.*
\dtvS pg_class
\dv tz.*
\dm+ tz.*
\di tz.*
\di+ tz.*
\ds tz.*
\dE
\dP tz.*
\dPt
\dPi+
\dPn+
\dp tz.*
\z tz.*
\z
\ddp
\dd tz.*
\ddS
\df tz.*
\df+ tz.add
\dfn tz.*
\dfp+ tz.*
\df tz.add int int
\do + integer integer
\dconfig work_mem
\dconfig+ work*
\du
\dg+
\drds
\drds postgres desc2zoo
\d nosuch
\d tz.nosuch
\dt a.b.c.d
\dt otherdb.tz.x
\dQ
\dR
\de
\dAx foo bar
\dfx
\drd
\dFx
\dPS
\sf tz.add
\sf+ tz.add
\sf tz.ret
\sf+ tz.longer
\sf tz.proc
\sf tz.add(int, int)
\sf nosuch
\sf
\sf tz.add(
\sv tz.v
\sv+ tz.v_check
\sv tz.nosuch
\sv tz.add
\sv
\l
\l nosuch*
\l+ nosuch*
\set ECHO_HIDDEN on
\dt tz.parent
\sf tz.ret
\set ECHO_HIDDEN noexec
\d tz.parent
\sv tz.v
\set ECHO_HIDDEN off
\if false
\d tz.parent
\sf tz.add
\lo_list
\z
\endif
\echo done
"#;

// The describe family end to end: psql's list commands on desc2's fixture (the commands of
// src/psql/describe/testdata/lists_commands.txt) and the table-centred ones on a zoo of our own.
#[test]
fn describe_commands_match_psql() {
    let Some(pg) = quiet_cluster(ClusterOptions::default()) else {
        return;
    };
    pg.psql("CREATE DATABASE desc2zoo");
    pg.psql_file("desc2zoo", &testdata("lists_fixture.sql"));
    pg.psql_db("desc2zoo", TABLE_ZOO);
    let lists = std::fs::read_to_string(testdata("lists_commands.txt"))
        .unwrap_or_else(|e| panic!("lists_commands.txt: {e}"));
    let mut input = String::new();
    for line in lists
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        input.push_str(line.strip_prefix("noexec ").unwrap_or(line));
        input.push('\n');
    }
    input.push_str(TABLE_COMMANDS);
    let r = same_on_stdin(&pg, "desc2zoo", &input, &How::default());
    assert!(r.stdout.ends_with("done\n"), "{}", r.stdout);
    // Errors were met on the way (the unknown commands, missing objects), in psql's words.
    assert!(r.stderr.contains("invalid command \\dQ"), "{}", r.stderr);
}

// `\c` in a script: success (the long form when the host changes), the reuse rules, bad arguments, and
// failures, after which psql drops the connection and the script ends with exit code 2.
#[test]
fn connect_and_conninfo_match_psql() {
    let Some(pg) = common::native() else {
        return;
    };
    pg.psql("CREATE DATABASE other; CREATE ROLE bob LOGIN");
    let dir = pg.socket_dir().display().to_string();
    let port = pg.port();
    let cases = [
        String::new(),
        "other".to_string(),
        "other bob".to_string(),
        format!("- - {dir}/"),
        format!("other postgres {dir} {port}"),
        format!("\"host={dir} port={port} dbname=other\""),
        format!("postgresql:///other?host={dir}&port={port}"),
        "-reuse-previous=on dbname=other".to_string(),
        format!("-reuse-previous=off \"dbname=other host={dir} port={port} user=bob\""),
        "\"\" postgres".to_string(),
        "- - - abc".to_string(),
        "- - - 0".to_string(),
        "- - - 99999".to_string(),
        "\"dbname=x foo\"".to_string(),
        "dbname=other user=bob".to_string(),
        "-reuse-previous=maybe".to_string(),
        "nosuchdb".to_string(),
        "- nosuchrole".to_string(),
        format!("\"host={dir} port={port} dbname=other user=nosuchrole\""),
    ];
    for args in &cases {
        let input = format!(
            "\\conninfo\n\\c {args}\n\\echo :DBNAME :USER :HOST :PORT\n\\conninfo\nSELECT current_user, current_database();\n"
        );
        same_on_stdin(&pg, "postgres", &input, &How::default());
    }
    // Reused parameters carry on through several switches; \connect is the long name.
    let input = "\\c other\n\\connect - bob\n\\c postgres\n\\conninfo\n";
    let r = same_on_stdin(&pg, "postgres", input, &How::default());
    assert!(
        r.stdout
            .contains("You are now connected to database \"other\" as user \"bob\"."),
        "{}",
        r.stdout
    );
    // -c commands run one by one: after the failed \c the connection is gone, and the last -c (which
    // succeeds, so psql exits 0) says so.
    let mut args = conn_args(&pg, "postgres");
    for c in [
        "\\conninfo",
        "\\c other",
        "\\conninfo",
        "\\c nosuchdb",
        "\\conninfo",
    ] {
        args.push("-c".into());
        args.push(c.into());
    }
    let a = psql(&pg, &args, "", &How::default());
    let b = pgsh(&pg, &args, "", &How::default());
    assert_same("\\c with -c", &a, &b);
    assert!(
        a.stdout
            .ends_with("You are currently not connected to a database.\n"),
        "{a:?}"
    );
}

// Interactively a failed \c keeps the old connection (psql: "Previous connection kept").
#[test]
fn failed_connect_keeps_the_connection_at_the_prompt() {
    let Some(pg) = common::native() else {
        return;
    };
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = pg.socket_dir().display().to_string();
    let port = pg.port().to_string();
    let mut s = common::pty_with_args(
        home.path(),
        &[
            "--psql", "-X", "-h", &dir, "-p", &port, "-U", "postgres", "-d", "postgres",
        ],
    );
    common::expect(&mut s, "postgres=#");
    let out = common::cmd(&mut s, "\\c nosuchdb");
    // psql 15's words (command.c, do_connect), the server's message as libpq prefixes it.
    assert!(
        out.contains(&format!(
            "connection to server on socket \"{dir}/.s.PGSQL.{port}\" failed: FATAL:  database \"nosuchdb\" does not exist"
        )),
        "{out}"
    );
    assert!(out.contains("Previous connection kept"), "{out}");
    let out = common::cmd(&mut s, "SELECT current_database() AS db;");
    assert!(out.contains(" postgres\n"), "{out}");
}

/// psql and pgsh each start from no large objects; OIDs differ between the runs, so numbers of five or
/// more digits read `N` (the tests' own numbers are shorter).
fn without_oids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 5 {
            out.push('N');
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            flush(&mut digits, &mut out);
            out.push(ch);
        }
    }
    flush(&mut digits, &mut out);
    out
}

// \lo_import (with its comment and LASTOID), \lo_list, \lo_export, \lo_unlink, the transaction psql opens
// itself (and AUTOCOMMIT off, where it stays open), and the error cases.
#[test]
fn large_objects_round_trip_as_psql() {
    let Some(pg) = common::native() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = dir.path().join("in.bin");
    // Every byte value, and more than one transfer's worth.
    let data: Vec<u8> = (0..700_000u32).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(&src, &data).unwrap_or_else(|e| panic!("{e}"));
    let out_for = |who: &str| dir.path().join(format!("out-{who}.bin"));
    let input = |who: &str| {
        format!(
            r#"\lo_import {src} 'it''s mine'
\echo :LASTOID
\lo_list
\lo_list+
\dl
\lo_export :LASTOID {out}
\lo_export :LASTOID /nonexistent/dir/x
\lo_import /nonexistent/file
\lo_unlink :LASTOID
\lo_unlink 4242
\lo_unlink abc
\lo_export 4242 {out}.none
\lo_import
\lo_export 1
\lo_unlink
\lo_nosuch
BEGIN;
SELECT 1/0;
\lo_import {src}
ROLLBACK;
\set AUTOCOMMIT off
\lo_import {src}
\echo :LASTOID
ROLLBACK;
\set AUTOCOMMIT on
\lo_list
\pset format html
\lo_import {src}
\lo_unlink :LASTOID
\set QUIET on
\lo_import {src}
\lo_unlink :LASTOID
\echo end
"#,
            src = src.display(),
            out = out_for(who).display()
        )
    };
    let args = conn_args(&pg, "postgres");
    let a = psql(&pg, &args, &input("psql"), &How::default());
    pg.psql("SELECT count(lo_unlink(oid)) FROM pg_largeobject_metadata");
    let b = pgsh(&pg, &args, &input("pgsh"), &How::default());
    let norm = |r: &Run, who: &str| Run {
        code: r.code,
        stdout: without_oids(&r.stdout.replace(&format!("out-{who}"), "out-X")),
        stderr: without_oids(&r.stderr.replace(&format!("out-{who}"), "out-X")),
    };
    assert_same("large objects", &norm(&a, "psql"), &norm(&b, "pgsh"));
    assert!(a.stdout.contains("it's mine"), "{}", a.stdout);
    for who in ["psql", "pgsh"] {
        let got = std::fs::read(out_for(who)).unwrap_or_else(|e| panic!("{who}'s export: {e}"));
        assert!(
            got == data,
            "{who} exported {} bytes, not the file",
            got.len()
        );
    }
    assert_eq!(pg.psql("SELECT count(*) FROM pg_largeobject_metadata"), "0");
}

/// An editor that rewrites its file as `EDIT_MODE` says and records how it was called (line number
/// argument first, the file last).
fn editor_script(dir: &Path) -> PathBuf {
    let path = dir.join("editor.sh");
    let script = r#"#!/bin/sh
for last; do :; done
if [ "$#" -gt 1 ]; then echo "editor line argument: $1" >&2; fi
case "$EDIT_MODE" in
  query) printf 'SELECT 42 AS answer;\n' > "$last" ;;
  nosemi) printf 'SELECT 43 AS answer' > "$last" ;;
  keep) : ;;
  fail) exit 3 ;;
  append) printf -- '-- edited\n' >> "$last" ;;
  func) sed -i 's/a + b/a + b + 100/' "$last" ;;
esac
"#;
    std::fs::write(&path, script).unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    path
}

// \e on the query buffer, on the previous query and on a file (with a line number), \ef and \ev on an
// object, a line number and the templates, with an editor that changes the text, keeps it, or fails.
#[test]
fn edit_commands_match_psql() {
    let Some(pg) = common::native() else {
        return;
    };
    pg.psql(
        "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS $$ SELECT a + b $$; \
         CREATE VIEW v AS SELECT 1 AS one",
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let editor = editor_script(dir.path());
    let file = dir.path().join("query.sql");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap_or_else(|e| panic!("{e}"));
    let input = format!(
        r#"SELECT 'previous' AS p;
\e
\p
\echo after-e
\e {file}
\p
\r
\e {file} 3
\e 0
\e 5
SELECT 'buffer'
\e
\p
\ef add
\ef add 2
\ev v
\ef nosuch
\ef add 0
\ef
\p
\r
\ev
\p
\r
\e {dir}/nosuchdir/x.sql
\echo end
"#,
        file = file.display(),
        dir = dir.path().display()
    );
    for mode in ["query", "nosemi", "keep", "fail", "append"] {
        let how = How {
            env: vec![
                ("EDITOR".into(), editor.display().to_string()),
                ("EDIT_MODE".into(), mode.into()),
                ("PSQL_EDITOR_LINENUMBER_ARG".into(), "+".into()),
                ("TMPDIR".into(), tmp.display().to_string()),
            ],
            detached: false,
        };
        let args = conn_args(&pg, "postgres");
        std::fs::write(&file, "SELECT 1\n").unwrap_or_else(|e| panic!("{e}"));
        let a = psql(&pg, &args, &input, &how);
        let after_psql = std::fs::read_to_string(&file).unwrap_or_default();
        std::fs::write(&file, "SELECT 1\n").unwrap_or_else(|e| panic!("{e}"));
        let b = pgsh(&pg, &args, &input, &how);
        let after_pgsh = std::fs::read_to_string(&file).unwrap_or_default();
        assert_same(&format!("\\e with the editor in mode {mode}"), &a, &b);
        assert_eq!(after_psql, after_pgsh, "the edited file, mode {mode}");
        // Temporary files are removed afterwards.
        let left: Vec<_> = std::fs::read_dir(&tmp)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "left in TMPDIR: {left:?}");
    }
    // \ef, edited and ended with a semicolon, replaces the function.
    let how = How {
        env: vec![
            ("EDITOR".into(), editor.display().to_string()),
            ("EDIT_MODE".into(), "func".into()),
            ("TMPDIR".into(), tmp.display().to_string()),
        ],
        detached: false,
    };
    let args = conn_args(&pg, "postgres");
    let b = pgsh(&pg, &args, "\\ef add\n;\nSELECT add(1, 2);\n", &how);
    assert!(b.stdout.contains("CREATE FUNCTION"), "{b:?}");
    assert!(b.stdout.contains("103"), "{b:?}");
    // psql refuses \e without a query buffer (-c).
    let mut args = conn_args(&pg, "postgres");
    args.extend(["-c".to_string(), "\\e".to_string()]);
    let a = psql(&pg, &args, "", &how);
    let b = pgsh(&pg, &args, "", &how);
    assert_same("\\e under -c", &a, &b);
}

// \password: prompted twice without echo (read from stdin when there is no terminal, as psql does), the
// mismatch refused, the new password hashed on the client (SCRAM-SHA-256 or md5 as password_encryption
// says) and never shown, and the role can log in with it.
#[test]
fn password_sets_a_hashed_password() {
    let Some(pg) = common::native_with(ClusterOptions {
        password_user: Some(("pwuser".into(), "Old-Pw-1".into())),
        ..ClusterOptions::default()
    }) else {
        return;
    };
    let detached = How {
        env: Vec::new(),
        detached: true,
    };
    let script = "\\password pwuser\n";
    // Both read the script from a file, the two answers from stdin.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let script_path = common::write(dir.path(), "pw.sql", script);
    let mut args = conn_args(&pg, "postgres");
    args.extend(["-f".to_string(), script_path.display().to_string()]);
    let a = psql(&pg, &args, "Psql-New-1\nPsql-New-1\n", &detached);
    let b = pgsh(&pg, &args, "Pgsh-New-2\nPgsh-New-2\n", &detached);
    assert_same("\\password", &a, &b);
    assert!(!b.stdout.contains("Pgsh-New-2") && !b.stderr.contains("Pgsh-New-2"));
    let verifier = pg.psql("SELECT rolpassword FROM pg_authid WHERE rolname = 'pwuser'");
    assert!(verifier.starts_with("SCRAM-SHA-256$4096:"), "{verifier}");
    let login = |pw: &str| {
        let mut cmd = pg.psql_command("postgres", "pwuser");
        cmd.env("PGPASSWORD", pw).args(["-c", "SELECT 1"]);
        cmd.output()
            .map(|o| o.status.success())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(login("Pgsh-New-2"), "the new password is refused");
    assert!(!login("Psql-New-1"), "the previous password still works");
    // Mismatch, and md5 when the session asks for it; ECHO_HIDDEN shows only the hash.
    let script = "\\password pwuser\nSET password_encryption = md5;\n\\set ECHO_HIDDEN on\n\\password pwuser\n";
    let script_path = common::write(dir.path(), "pw2.sql", script);
    let mut args = conn_args(&pg, "postgres");
    args.extend(["-f".to_string(), script_path.display().to_string()]);
    let b = pgsh(&pg, &args, "One-1\nTwo-2\nMd5-Pw-3\nMd5-Pw-3\n", &detached);
    assert!(b.stderr.contains("Passwords didn't match."), "{b:?}");
    for secret in ["One-1", "Two-2", "Md5-Pw-3"] {
        assert!(
            !b.stdout.contains(secret) && !b.stderr.contains(secret),
            "{secret} shown: {b:?}"
        );
    }
    let verifier = pg.psql("SELECT rolpassword FROM pg_authid WHERE rolname = 'pwuser'");
    let expected = pg.psql("SELECT 'md5' || md5('Md5-Pw-3' || 'pwuser')");
    assert_eq!(verifier, expected);
    assert!(
        b.stdout
            .contains(&format!("ALTER USER pwuser PASSWORD '{expected}'")),
        "{b:?}"
    );
}

/// psql mode connects as psql does: once (pg_regress polls a starting server with `psql -X postgres` once a
/// second and waits for each answer), reporting libpq's words for why it could not, and names itself psql
/// to the server.
#[test]
fn startup_connects_once_with_libpqs_message_and_psqls_application_name() {
    let Some(pg) = quiet_cluster(ClusterOptions::default()) else {
        return;
    };
    let how = How::default();
    let empty = tempfile::tempdir().unwrap();
    let nowhere = empty.path().display().to_string();
    for args in [
        // No server on that socket; a refused TCP port; a database that does not exist.
        vec![
            "-X".to_string(),
            "-h".into(),
            nowhere.clone(),
            "-p".into(),
            "1".into(),
            "postgres".into(),
        ],
        vec![
            "-X".to_string(),
            "-h".into(),
            "127.0.0.1".into(),
            "-p".into(),
            "1".into(),
            "postgres".into(),
        ],
        {
            let mut a = conn_args(&pg, "nosuchdb");
            a.push("-c".into());
            a.push("SELECT 1".into());
            a
        },
    ] {
        let a = psql(&pg, &args, "", &how);
        let b = pgsh(&pg, &args, "", &how);
        assert_same(&format!("psql {args:?}"), &a, &b);
        assert_eq!(a.code, Some(2), "{a:?}");
    }
    same_on_stdin(&pg, "postgres", "SHOW application_name;\n", &how);
}

/// libpq sends PGTZ, PGDATESTYLE and PGGEQO as run-time parameters in the startup packet (pg_regress sets the
/// first two for every test), so the session starts with them: the vendored tokio-postgres's
/// `Config::startup_param` (vendor/README.md). The expected output is psql's own, on the same cluster.
#[test]
fn libpq_environment_parameters_reach_the_session_at_startup() {
    let Some(pg) = quiet_cluster(ClusterOptions::default()) else {
        return;
    };
    let how = How {
        env: vec![
            ("PGTZ".into(), "America/New_York".into()),
            ("PGDATESTYLE".into(), "German, DMY".into()),
            ("PGGEQO".into(), "off".into()),
        ],
        ..How::default()
    };
    let run = same_on_stdin(
        &pg,
        "postgres",
        "SHOW timezone;\nSHOW datestyle;\nSHOW geqo;\nSELECT timestamptz '2024-01-02 03:04:05+00';\n",
        &how,
    );
    // What psql printed is what libpq's environment asked for, so the comparison tests something.
    assert!(run.stdout.contains("America/New_York"), "{run:?}");
    assert!(run.stdout.contains("German, DMY"), "{run:?}");
    assert!(run.stdout.contains("01.01.2024 22:04:05 EST"), "{run:?}");
}

/// `service=NAME` and PGSERVICE read libpq's service file (PGSERVICEFILE here): its section fills what
/// nothing else set; a service that is not defined is libpq's error, not a connection somewhere else.
#[test]
fn a_service_file_names_the_server_as_for_libpq() {
    let Some(pg) = quiet_cluster(ClusterOptions::default()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pg_service.conf");
    std::fs::write(
        &file,
        format!(
            "# a comment\n[other]\nhost=/nonexistent\n\n[zoo]\nhost={}\nport={}\nuser=postgres\ndbname=template1\n[broken]\nport = 1\n",
            pg.socket_dir().display(),
            pg.port()
        ),
    )
    .unwrap();
    let how = How {
        env: vec![
            ("PGSERVICEFILE".into(), file.display().to_string()),
            ("PGSYSCONFDIR".into(), dir.path().display().to_string()),
        ],
        ..How::default()
    };
    let query = "SELECT current_database(), current_user";
    for args in [
        vec!["-X", "-At", "-d", "service=zoo", "-c", query],
        vec!["-X", "-At", "-d", "service=nosuch", "-c", query],
        vec!["-X", "-At", "-d", "service=broken", "-c", query],
    ] {
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let a = psql(&pg, &args, "", &how);
        let b = pgsh(&pg, &args, "", &how);
        assert_same(&format!("psql {args:?}"), &a, &b);
    }
    let mut env_how = how.clone();
    env_how.env.push(("PGSERVICE".into(), "zoo".into()));
    let args: Vec<String> = vec!["-X".into(), "-At".into(), "-c".into(), query.into()];
    let a = psql(&pg, &args, "", &env_how);
    assert_eq!(a.stdout, "template1|postgres\n", "{a:?}");
    assert_same("PGSERVICE=zoo", &a, &pgsh(&pg, &args, "", &env_how));
    // pgsh's own mode takes the service too (a service names a server: no embedded database).
    let (mut cmd, _home) = common::pgsh().into_parts();
    cmd.args(["-At", "-c", query]);
    let own = run(cmd, "", &env_how);
    assert_eq!(own.stdout, "template1|postgres\n", "{own:?}");
}

/// A NUL byte in the input ends what psql keeps of that line (fgets and strlen), and the next line carries
/// on the statement: the server answers with a syntax error, the connection stays (pgsh once sent the NUL
/// and the server dropped the connection).
#[test]
fn a_nul_byte_in_the_input_is_read_as_psql_reads_it() {
    let Some(pg) = quiet_cluster(ClusterOptions::default()) else {
        return;
    };
    let r = same_on_stdin(
        &pg,
        "postgres",
        "SELECT 1;\nSELECT $$a\0b$$;\nSELECT 3 AS three;\nSELECT 'x\0' AS y;\n",
        &How::default(),
    );
    assert!(
        r.stderr.contains("unterminated dollar-quoted string"),
        "{r:?}"
    );
}

/// psql 16's `\bind`: the next query goes with its parameters (extended protocol, text values, never
/// quoted into the SQL). psql 15 has no `\bind`, so the expected output is psql's for the same query with
/// the values written as literals; a bad value is the server's error, nothing prepared stays behind, and
/// the parameters apply to that one query only.
#[test]
fn bind_sends_the_next_query_with_parameters() {
    let Some(pg) = quiet_cluster(ClusterOptions::default()) else {
        return;
    };
    let args = conn_args(&pg, "postgres");
    let literal = psql(
        &pg,
        &args,
        "SELECT 'it''s' AS a, '41'::int + 1 AS b;\nSELECT count(*) FROM pg_prepared_statements;\n",
        &How::default(),
    );
    let bound = pgsh(
        &pg,
        &args,
        "SELECT $1 AS a, $2::int + 1 AS b \\bind 'it''s' 41 \\g\nSELECT count(*) FROM pg_prepared_statements;\n",
        &How::default(),
    );
    assert_same("\\bind", &literal, &bound);
    let out = pgsh(
        &pg,
        &args,
        "SELECT $1::int AS n \\bind nope \\g\nSELECT $1 AS again;\nSELECT 'went on' AS w;\n",
        &How::default(),
    );
    assert!(
        out.stderr
            .contains("ERROR:  invalid input syntax for type integer: \"nope\""),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("ERROR:  there is no parameter $1"),
        "{out:?}"
    );
    assert!(out.stdout.contains("went on"), "{out:?}");
}
