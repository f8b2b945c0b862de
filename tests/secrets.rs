//! Secrets never shown: passwords stay out of output, errors, `--echo` and files pgsh writes.

use crate::common;
use crate::common::{cmd, expect, lines, pty, walk, ClusterOptions};

/// Every output of a run that used a password: none may contain it.
#[test]
fn the_password_never_appears_anywhere() {
    let secret = "Zq7-Very-Secret-Pw";
    let pg = require_native!(ClusterOptions {
        password_user: Some(("bob".into(), secret.into())),
        ..ClusterOptions::default()
    });
    let url = format!(
        "postgres://bob:{secret}@/postgres?host={}&port={}",
        pg.socket_dir().display(),
        pg.port()
    );
    let script = format!(
        r#"let db = connect("{url}");
        print(db); print(db.info()); debug(db);
        try {{ db.query("SELECT nope"); }} catch (e) {{ print(e); print(e.sql); }}
        let bad = "{}";
        try {{ connect(bad); }} catch (e) {{ print(e); }}
        try {{ connect(#{{url: "{url}", port: 1, retry: #{{attempts: 2, delay: "10ms"}}}}); }} catch (e) {{ print(e); }}
        db.query("SELECT $1::text", ["{url}"]);
        query("SELECT 1/0");"#,
        url.replace(secret, "wrong-pw"),
    );
    let out = common::pgsh().args(["--echo", "--eval", &script]).run();
    out.assert_code(3);
    assert!(out.stdout.contains("Db(bob@"), "{}", out.stdout);
    for (name, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(!text.contains(secret), "{name} shows the password:\n{text}");
    }
    // A -e run writes no file (no history): files under HOME are checked where the REPL writes history,
    // in `passwords_typed_at_the_prompt_are_masked_in_the_history`.
}

#[test]
fn sql_passwords_are_redacted_in_echo_and_errors() {
    let pg = require_native!();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--echo", "--eval", r#"execute("CREATE ROLE bob"); execute("ALTER ROLE bob PASSWORD 'hunter2'"); execute("ALTER ROLE bob PASSWORD 'hunter3' NOSUCH")"#])
        .run();
    out.assert_code(3);
    assert!(
        out.stderr.contains("ALTER ROLE bob PASSWORD '****'"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("hunter"), "{}", out.stderr);
}

#[test]
fn dollar_quoted_passwords_are_masked_too() {
    let pg = require_native!();
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "--echo",
            "--eval",
            r#"execute("CREATE ROLE carol"); execute("ALTER ROLE carol PASSWORD $$Dollar-Pw-1$$ NOSUCH")"#,
        ])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("PASSWORD $$****$$"), "{}", out.stderr);
    assert!(!out.stderr.contains("Dollar-Pw"), "{}", out.stderr);
}

/// What is typed at the prompt goes to the history file with its secrets masked: a SQL `PASSWORD '…'` and
/// the `password` of a `connect()` map (which must still reach the server as typed). No file pgsh writes under
/// HOME holds either secret.
#[test]
fn passwords_typed_at_the_prompt_are_masked_in_the_history() {
    let (typed_sql, typed_map) = ("Typed-Secret-1", "Map-Secret-2");
    let pg = require_native!(ClusterOptions {
        password_user: Some(("bob".into(), typed_map.into())),
        ..ClusterOptions::default()
    });
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 250, &pg.env());
    expect(&mut s, "postgres=#");
    let out = cmd(
        &mut s,
        &format!("CREATE ROLE carol LOGIN PASSWORD '{typed_sql}';"),
    );
    assert!(lines(&out).contains(&"CREATE ROLE"), "{out:?}");
    let out = cmd(
        &mut s,
        &format!(
            "connect(#{{host: \"{}\", port: {}, user: \"bob\", dbname: \"postgres\", password: \"{typed_map}\"}}).query_value(\"SELECT 'as ' || current_user\")",
            pg.socket_dir().display(),
            pg.port()
        ),
    );
    assert!(lines(&out).contains(&"as bob"), "{out:?}");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");

    let hist = home.path().join(".local/share/pgsh/history");
    let text = std::fs::read_to_string(&hist).expect("history file");
    // The lines are there, masked.
    assert!(
        text.contains("CREATE ROLE carol LOGIN PASSWORD '****';"),
        "{text}"
    );
    assert!(text.contains("password: \"****\"}).query_value("), "{text}");
    let files = walk(home.path());
    assert!(files.contains(&hist), "{files:?}");
    for file in files {
        let content =
            String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned();
        for secret in [typed_sql, typed_map] {
            assert!(
                !content.contains(secret),
                "{} holds {secret}:\n{content}",
                file.display()
            );
        }
    }
}
