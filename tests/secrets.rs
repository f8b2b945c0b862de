//! Secrets never shown: passwords stay out of output, errors, `--echo` and files pgsh writes.

use crate::common;
use crate::common::{walk, ClusterOptions};

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
    let out = common::pgsh().args(["--echo", "-e", &script]).run();
    out.assert_code(3);
    assert!(out.stdout.contains("Db(bob@"), "{}", out.stdout);
    for (name, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(!text.contains(secret), "{name} shows the password:\n{text}");
    }
    // Nothing pgsh wrote under HOME holds it either.
    for entry in walk(out.home()) {
        let content = std::fs::read(&entry).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&content).contains(secret),
            "{} holds the password",
            entry.display()
        );
    }
}

#[test]
fn sql_passwords_are_redacted_in_echo_and_errors() {
    let pg = require_native!();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--echo", "-e", r#"execute("CREATE ROLE bob"); execute("ALTER ROLE bob PASSWORD 'hunter2'"); execute("ALTER ROLE bob PASSWORD 'hunter3' NOSUCH")"#])
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
            "-e",
            r#"execute("CREATE ROLE carol"); execute("ALTER ROLE carol PASSWORD $$Dollar-Pw-1$$ NOSUCH")"#,
        ])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("PASSWORD $$****$$"), "{}", out.stderr);
    assert!(!out.stderr.contains("Dollar-Pw"), "{}", out.stderr);
}
