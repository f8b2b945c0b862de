//! `fan_out`: one statement over three native clusters, one of them stopped (the default throws naming
//! it, `keep_going` returns the others' rows and lists it), passwords in no output, targets run at once
//! up to `concurrency`, `timeout` per target, Ctrl-C cancelling every statement, the embedded database
//! refused.

use std::time::{Duration, Instant};

use crate::common;
use crate::common::{lines, ClusterOptions, NativeCluster};

const PASSWORD: &str = "Fan-Out-Pw-731";

/// `postgres://alice:<password>@/postgres?host=<socket dir>&port=<port>`: a target with a password in it.
fn url_with_password(pg: &NativeCluster) -> String {
    pg.url_for("postgres", "alice")
        .replacen("alice@", &format!("alice:{PASSWORD}@"), 1)
}

fn script(targets: &[String], body: &str) -> String {
    let list: Vec<String> = targets.iter().map(|t| format!("{t:?}")).collect();
    format!("let targets = [{}];\n{body}", list.join(", "))
}

#[test]
fn fan_out_over_three_clusters_with_one_stopped() {
    let a = require_native!(ClusterOptions {
        password_user: Some(("alice".into(), PASSWORD.into())),
        ..ClusterOptions::default()
    });
    let b = require_native!();
    let c = require_native!();
    let targets = [url_with_password(&a), b.url(), c.url()];

    // All three up: every target's rows, in the order of the targets, led by its name.
    let out = common::pgsh()
        .arg("--eval")
        .arg(script(
            &targets,
            r#"let rows = fan_out(targets, "SELECT current_user AS who, $1::int + n AS n FROM generate_series(1, 2) n", [40]);
print(rows.columns);
for r in rows { print(`${r.who} ${r.n} ${r.target.contains("@")}`); }
print(rows.failures);
"#,
        ))
        .run();
    out.assert_ok();
    assert_eq!(
        lines(&out.stdout),
        [
            r#"["target", "who", "n"]"#,
            "alice 41 true",
            "alice 42 true",
            "postgres 41 true",
            "postgres 42 true",
            "postgres 41 true",
            "postgres 42 true",
            "[]",
        ],
        "{out}"
    );
    assert!(
        !out.stdout.contains(PASSWORD) && !out.stderr.contains(PASSWORD),
        "{out}"
    );

    b.stop();
    // One attempt each, so the stopped cluster fails at once rather than after the retry deadline.
    let retry_once = r#"let targets = targets.map(|t| #{url: t, retry: #{attempts: 1}});"#;
    let out = common::pgsh()
        .arg("--eval")
        .arg(script(
            &targets,
            &format!(
                r#"{retry_once}
try {{ fan_out(targets, "SELECT 1 AS one"); print("no error"); }}
catch (e) {{ print(e.to_string()); }}
let rows = fan_out(targets, "SELECT 1 AS one", #{{keep_going: true}});
print(rows.len());
for r in rows {{ print(r.target); }}
for f in rows.failures {{ print(`failed: ${{f.target}} | ${{f.message}} | ${{f.code}}`); }}
print(rows);
"#
            ),
        ))
        .run();
    out.assert_ok();
    let stdout = lines(&out.stdout);
    let b_name = format!(
        "postgres@{}:{}/postgres",
        b.socket_dir().display(),
        b.port()
    );
    let a_name = format!("alice@{}:{}/postgres", a.socket_dir().display(), a.port());
    let c_name = format!(
        "postgres@{}:{}/postgres",
        c.socket_dir().display(),
        c.port()
    );
    assert!(
        stdout[0].contains("fan_out: 1 of 3 targets failed")
            && stdout[0].contains(&format!("{b_name}: cannot connect")),
        "{out}"
    );
    assert!(
        !stdout[0].contains(&a_name) && !stdout[0].contains(&c_name),
        "{out}"
    );
    assert_eq!(stdout[1], "2", "{out}");
    assert_eq!(stdout[2], a_name, "{out}");
    assert_eq!(stdout[3], c_name, "{out}");
    assert!(
        stdout[4].starts_with(&format!("failed: {b_name} | cannot connect")),
        "{out}"
    );
    assert!(stdout[4].ends_with("| 08001"), "{out}");
    assert!(
        !out.stdout.contains(PASSWORD) && !out.stderr.contains(PASSWORD),
        "{out}"
    );

    // Uncaught, the error names the failed target on stderr (and still no password).
    let out = common::pgsh()
        .arg("--eval")
        .arg(script(
            &targets,
            &format!("{retry_once}\nfan_out(targets, \"SELECT 1\")"),
        ))
        .run();
    assert_ne!(out.status, Some(0), "{out}");
    assert!(out.stderr.contains(&b_name), "{out}");
    assert!(
        !out.stdout.contains(PASSWORD) && !out.stderr.contains(PASSWORD),
        "{out}"
    );
    b.start_again();
}

/// Targets run at once, up to `concurrency`; `timeout` bounds each and cancels its statement.
#[test]
fn fan_out_runs_targets_at_once_and_bounds_each() {
    let pg = require_native!();
    let eight: Vec<String> = (0..8).map(|_| pg.url()).collect();
    let timed = |body: &str| {
        let started = Instant::now();
        let out = common::pgsh().arg("--eval").arg(script(&eight, body)).run();
        (out, started.elapsed())
    };
    let (one, one_took) = timed(r#"print(fan_out([targets[0]], "SELECT pg_sleep(0.5)").len());"#);
    one.assert_ok();
    let (all, all_took) = timed(r#"print(fan_out(targets, "SELECT pg_sleep(0.5)").len());"#);
    all.assert_ok();
    assert_eq!(all.stdout.trim(), "8");
    // Eight sleeps of 0.5 s one after another would take 4 s; at once they take about one's time.
    assert!(
        all_took < one_took + Duration::from_millis(1500),
        "8 targets: {all_took:?}, one: {one_took:?}"
    );
    let (two, two_took) = timed(
        r#"print(fan_out(targets.extract(0, 4), "SELECT pg_sleep(0.5)", #{concurrency: 2}).len());"#,
    );
    two.assert_ok();
    assert_eq!(two.stdout.trim(), "4");
    // Four targets two at a time: two rounds of 0.5 s at least.
    assert!(two_took >= Duration::from_millis(1000), "{two_took:?}");

    let (out, took) = timed(
        r#"let rows = fan_out(targets.extract(0, 2), "SELECT pg_sleep(30)", #{timeout: 1, keep_going: true});
print(rows.len());
for f in rows.failures { print(`${f.message} ${f.code}`); }
try { fan_out([targets[0]], "SELECT pg_sleep(30)", #{timeout: "500ms"}); } catch (e) { print(e.message); }
"#,
    );
    out.assert_ok();
    let got = lines(&out.stdout);
    assert_eq!(
        got[..3],
        ["0", "timed out after 1s 57014", "timed out after 1s 57014"],
        "{out}"
    );
    assert!(
        lines(&out.stdout)[3].contains("timed out after 500ms"),
        "{out}"
    );
    assert!(took < Duration::from_secs(15), "{took:?}");
    // The timed-out statements were cancelled on the server.
    let deadline = Instant::now() + Duration::from_secs(10);
    while pg.psql(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'",
    ) != "0"
    {
        assert!(Instant::now() < deadline, "the timed-out statements still run");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_c_cancels_every_fan_out_statement() {
    let pg = require_native!();
    let running = || {
        pg.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' AND state = 'active'",
        ) == "3"
    };
    let started = Instant::now();
    let (code, err) = common::interrupt_when(
        common::pgsh().arg("--eval").arg(script(
            &[pg.url(), pg.url(), pg.url()],
            r#"fan_out(targets, "SELECT pg_sleep(60)")"#,
        )),
        running,
    );
    assert_eq!(code, Some(130), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        pg.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' AND state = 'active'"),
        "0"
    );
}

#[test]
fn the_embedded_database_is_not_a_fan_out_target() {
    let out = common::embedded()
        .args([
            "--eval",
            r#"query_value("SELECT 1"); try { fan_out([#{dbname: "postgres"}], "SELECT 1"); } catch (e) { print(e.message); }
try { fan_out(["dbname=postgres"], "SELECT 1"); } catch (e) { print(e.message); }
try { fan_out([42], "SELECT 1"); } catch (e) { print(e.message); }
try { fan_out(["no_such_profile"], "SELECT 1"); } catch (e) { print(e.message); }
try { fan_out([], "SELECT 1", #{concurrency: 0}); } catch (e) { print(e.message); }
print(fan_out([], "SELECT 1").len());"#,
        ])
        .env_remove("PGHOST")
        .env_remove("PGPORT")
        .env_remove("DATABASE_URL")
        .run();
    out.assert_ok();
    let got = lines(&out.stdout);
    assert!(
        got[0].contains("target 0 is the embedded database"),
        "{out}"
    );
    assert!(
        got[1].contains("target 0 is the embedded database"),
        "{out}"
    );
    assert!(got[2].contains("target 0 is integer"), "{out}");
    assert!(got[3].contains("no profile \"no_such_profile\""), "{out}");
    assert!(
        got[4].contains("\"concurrency\" must be a positive integer"),
        "{out}"
    );
    assert_eq!(got[5], "0", "{out}");
}

/// Failing targets that carry a password (in a URL, a connection string, a connect map, a profile's
/// `password_env`; nothing listening, or the password wrong) and working ones given as a URL with a
/// password and as a profile: no password shows in the rows' `target` names, `rows.failures`, the error
/// thrown (caught, and uncaught on stderr), or anything else printed.
#[test]
fn fan_out_failures_never_show_a_password() {
    const WRONG: &str = "Wrong-Fan-Pw-5150";
    let a = require_native!(ClusterOptions {
        password_user: Some(("alice".into(), PASSWORD.into())),
        ..ClusterOptions::default()
    });
    let nothing_here = tempfile::tempdir().unwrap();
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = cfg_dir.path().join("config.toml");
    // One attempt each, so a target with nothing listening fails at once rather than after the retry
    // deadline.
    std::fs::write(
        &cfg,
        format!(
            "[retry]\nattempts = 1\n\n[profiles.good]\nhost = \"{}\"\nport = {}\nuser = \"alice\"\ndbname = \"postgres\"\npassword_env = \"FAN_PW\"\n\n[profiles.broken]\nhost = \"127.0.0.1\"\nport = 1\nuser = \"alice\"\ndbname = \"postgres\"\npassword_env = \"FAN_PW\"\n",
            a.socket_dir().display(),
            a.port()
        ),
    )
    .unwrap();
    let targets = format!(
        r#"let targets = [
    {good_url:?},
    "good",
    "postgres://alice:{PASSWORD}@127.0.0.1:1/postgres",
    {wrong:?},
    "broken",
    "host=127.0.0.1 port=1 user=alice password={PASSWORD} dbname=postgres",
    #{{host: {no_socket:?}, port: 5432, user: "alice", password: "{PASSWORD}", dbname: "postgres"}},
];
"#,
        good_url = url_with_password(&a),
        wrong = url_with_password(&a).replace(PASSWORD, WRONG),
        no_socket = nothing_here.path().display().to_string(),
    );
    let run = |body: &str| {
        common::pgsh()
            .env("PGSH_CONFIG", &cfg)
            .env("FAN_PW", PASSWORD)
            .arg("--eval")
            .arg(format!("{targets}{body}"))
            .run()
    };
    let no_password = |out: &common::Output| {
        for secret in [PASSWORD, WRONG] {
            assert!(
                !out.stdout.contains(secret) && !out.stderr.contains(secret),
                "{secret} shown:\n{out}"
            );
        }
    };

    let out = run(r#"
try { fan_out(targets, "SELECT 1 AS one"); print("no error"); }
catch (e) { print(`caught: ${e.to_string()}`); print(`message: ${e.message}`); }
let rows = fan_out(targets, "SELECT current_user AS who", #{keep_going: true});
for r in rows { print(`row: ${r.target} ${r.who}`); }
for f in rows.failures { print(`failed: ${f.target} | ${f.message} | ${f.code}`); }
print(rows);
print(rows.failures);
"#);
    out.assert_ok();
    no_password(&out);
    let got = lines(&out.stdout);
    assert!(
        got[0].starts_with("caught: ") && got[0].contains("5 of 7 targets failed"),
        "{out}"
    );
    assert!(
        got.iter()
            .any(|l| l.starts_with("message: ") && l.contains("5 of 7 targets failed")),
        "{out}"
    );
    let a_name = format!("alice@{}:{}/postgres", a.socket_dir().display(), a.port());
    // The error names each failed target with its cause (the profile by its name).
    for named in [
        "alice@127.0.0.1:1/postgres: cannot connect".to_string(),
        format!("{a_name}: cannot connect"),
        "broken: cannot connect".to_string(),
        "password authentication failed".to_string(),
    ] {
        assert!(out.stdout.contains(&named), "{named}\n{out}");
    }
    let rows: Vec<&str> = got
        .iter()
        .filter(|l| l.starts_with("row: "))
        .copied()
        .collect();
    assert_eq!(
        rows,
        [format!("row: {a_name} alice").as_str(), "row: good alice"],
        "{out}"
    );
    let failed: Vec<&str> = got
        .iter()
        .filter(|l| l.starts_with("failed: "))
        .copied()
        .collect();
    assert_eq!(failed.len(), 5, "{out}");
    // The failures come in the order of the targets, each named, the wrong password by its server's
    // answer (28P01), the others by not connecting (08001).
    for (f, (name, code)) in failed.iter().zip([
        ("alice@127.0.0.1:1/postgres", "08001"),
        (a_name.as_str(), "28P01"),
        ("broken", "08001"),
        ("alice@127.0.0.1:1/postgres", "08001"),
        ("alice@", "08001"),
    ]) {
        assert!(
            f.starts_with(&format!("failed: {name}")) && f.ends_with(&format!("| {code}")),
            "{f}\n{out}"
        );
    }

    // Uncaught, the error goes to stderr: still no password.
    let out = run(r#"fan_out(targets, "SELECT 1")"#);
    assert_ne!(out.status, Some(0), "{out}");
    assert!(out.stderr.contains("5 of 7 targets failed"), "{out}");
    no_password(&out);
}
