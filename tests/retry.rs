//! The retry policy against real failures: a server late, never up or full, nothing listening on a local
//! socket, the settings' precedence, and the status line a terminal shows while retrying.

use std::io::Read;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common;
use crate::common::{expect, finish, pty, spawn, ClusterOptions};

#[test]
fn server_that_comes_up_late_is_waited_for_with_retry_lines() {
    let pg = require_native!(ClusterOptions {
        start: false,
        ..ClusterOptions::default()
    });
    let starter = pg.start_in_background_after(Duration::from_secs(3));
    let started = Instant::now();
    // Nothing listens on the socket until the server starts: a retry setting says to wait for it.
    let out = common::pgsh()
        .envs(pg.env())
        .env("PGSH_RETRY_DEADLINE", "60s")
        .args(["--eval", "print(query_value(\"SELECT 'up'\"))"])
        .run();
    starter.join().expect("starter thread");
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "up");
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert!(
        out.stderr.contains("connection attempt 1"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("retrying in"), "{}", out.stderr);
}

#[test]
fn server_that_never_comes_up_fails_after_the_deadline() {
    let pg = require_native!(ClusterOptions {
        start: false,
        ..ClusterOptions::default()
    });
    let started = Instant::now();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--retry-deadline", "2s", "--connect-timeout", "1s"])
        .args(["--eval", "query_value(\"SELECT 1\")"])
        .run();
    let took = started.elapsed();
    out.assert_code(2);
    assert!(took >= Duration::from_secs(2), "{took:?}");
    assert!(took < Duration::from_secs(4), "{took:?}");
    assert!(out.stderr.contains("gave up after"), "{}", out.stderr);
    assert!(out.stderr.contains("attempts over 2"), "{}", out.stderr);
    // Quiet mode hides the retry lines but not the failure.
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "-q",
            "--retry-deadline",
            "1s",
            "--eval",
            "query_value(\"SELECT 1\")",
        ])
        .run();
    out.assert_code(2);
    assert!(!out.stderr.contains("retrying in"), "{}", out.stderr);
    assert!(out.stderr.contains("gave up after"), "{}", out.stderr);
}

#[test]
fn a_full_server_is_retried_until_a_slot_frees() {
    let pg = require_native!(ClusterOptions {
        max_connections: Some(5),
        ..ClusterOptions::default()
    });
    pg.psql("CREATE ROLE app LOGIN");
    // Two non-superuser slots exist (3 of 5 are reserved): fill them until pgsh has been refused, then free
    // them. The holders sleep far longer than the test needs, so a slow machine cannot empty the slots early.
    // Each holder says when it is in, and no superuser polls meanwhile: a superuser connection takes an
    // unreserved slot while one is free, and would make the second holder's attempt fail.
    let mut holders: Vec<Child> = Vec::new();
    for _ in 0..2 {
        let mut h = pg
            .psql_command("postgres", "app")
            .args([
                "-At",
                "-c",
                "SELECT 'connected'",
                "-c",
                "SELECT pg_sleep(120)",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("psql");
        let mut first = [0u8; 9];
        let read = h.stdout.as_mut().expect("stdout").read_exact(&mut first);
        if read.is_err() || &first != b"connected" {
            let _ = h.kill();
            let mut err = String::new();
            h.stderr.take().map(|mut s| s.read_to_string(&mut err));
            panic!("a holder could not connect: {err}");
        }
        holders.push(h);
    }
    let (mut child, _home) = spawn(
        common::pgsh()
            .envs(pg.env())
            .env("PGUSER", "app")
            .env("PGSH_RETRY_DEADLINE", "60s")
            .args(["--eval", "print(query_value(\"SELECT 'in'\"))"]),
    );
    // Read stderr as it comes, so the slots are freed only after pgsh has seen the server full.
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut all = String::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            all.push_str(&line);
            all.push('\n');
            let _ = tx.send(line);
        }
        all
    });
    let refused = loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.contains("retrying in") => break true,
            Ok(_) => continue,
            Err(_) => break false,
        }
    };
    pg.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'app'");
    for h in holders.iter_mut() {
        let _ = h.wait();
    }
    let (code, out, _) = finish(child, Duration::from_secs(90));
    let err = reader.join().expect("stderr reader");
    assert!(refused, "pgsh never reported a retry:\n{err}");
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(out.trim(), "in");
    assert!(err.contains("SQLSTATE 53300"), "{err}");
}

#[test]
fn retry_settings_follow_their_precedence() {
    // Nothing listens on port 1: each run fails after exactly the configured number of attempts.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        "[retry]\nattempts = 2\ndelay = \"10ms\"\n\n[profiles.nowhere]\nhost = \"127.0.0.1\"\nport = 1\nretry = { attempts = 3 }\n",
    )
    .unwrap();
    let attempts =
        |out: &common::Output| -> usize { out.stderr.matches("retrying in").count() + 1 };
    let base = || {
        common::pgsh()
            .env("PGSH_CONFIG", &cfg)
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", "1")
    };
    let q = "query_value(\"SELECT 1\")";
    let file_only = base().args(["--eval", q]).run();
    file_only.assert_code(2);
    assert_eq!(attempts(&file_only), 2, "{}", file_only.stderr);
    let profile = base().args(["--profile", "nowhere", "--eval", q]).run();
    assert_eq!(attempts(&profile), 3, "{}", profile.stderr);
    let env = base()
        .env("PGSH_RETRY_ATTEMPTS", "4")
        .args(["--profile", "nowhere", "--eval", q])
        .run();
    assert_eq!(attempts(&env), 4, "{}", env.stderr);
    let flag = base()
        .env("PGSH_RETRY_ATTEMPTS", "4")
        .args(["--retry-attempts", "5", "--eval", q])
        .run();
    assert_eq!(attempts(&flag), 5, "{}", flag.stderr);
    let script = base()
        .env("PGSH_RETRY_ATTEMPTS", "4")
        .args([
            "--retry-attempts",
            "5",
            "--eval",
            "connect(#{profile: \"nowhere\", retry: #{attempts: 6}}).query(\"SELECT 1\")",
        ])
        .run();
    script.assert_code(2);
    assert_eq!(attempts(&script), 6, "{}", script.stderr);
    assert!(
        script.stderr.contains("attempt 1 of 6"),
        "{}",
        script.stderr
    );
    // A bad setting anywhere is an error that names it.
    let bad = base()
        .env("PGSH_RETRY_DELAY", "soon")
        .args(["--eval", q])
        .run();
    bad.assert_code(1);
    assert!(
        bad.stderr.contains("PGSH_RETRY_DELAY") || bad.stderr.contains("delay"),
        "{}",
        bad.stderr
    );
}

#[test]
fn retry_options_take_whole_numbers_and_the_sqlstate_is_said_once() {
    // Nothing listens on port 1.
    let out = common::pgsh()
        .args([
            "--eval",
            r#"connect(#{host: "127.0.0.1", port: 1, retry: #{attempts: 2, backoff: 2, delay: 0, connect_timeout: 1}})"#,
        ])
        .run();
    out.assert_code(2);
    assert_eq!(
        out.stderr.matches("retrying in").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("gave up after 2 attempts"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.matches("SQLSTATE").count(), 1, "{}", out.stderr);
}

/// No server on a local socket (its file absent, or left behind by a server that died): psql fails at once,
/// and so does pgsh, saying so and suggesting the embedded database, unless a retry setting asks to wait.
#[test]
fn nothing_listening_on_a_local_socket_fails_at_once_with_a_hint() {
    let pg = require_native!(ClusterOptions {
        start: false,
        ..ClusterOptions::default()
    });
    let socket = format!("{}/.s.PGSQL.{}", pg.socket_dir().display(), pg.port());
    // A socket file nothing accepts on: bound, then closed (the file stays).
    let stale = tempfile::tempdir().unwrap();
    let stale_socket = stale.path().join(".s.PGSQL.5432");
    drop(std::os::unix::net::UnixListener::bind(&stale_socket).unwrap());
    let stale_env = [
        ("PGHOST", stale.path().display().to_string()),
        ("PGPORT", "5432".to_string()),
    ];
    // (environment, cause, socket path)
    type Case = (Vec<(String, String)>, &'static str, String);
    let cases: [Case; 2] = [
        (pg.env(), "no such socket file", socket),
        (
            stale_env.map(|(k, v)| (k.to_string(), v)).to_vec(),
            "connection refused",
            stale_socket.display().to_string(),
        ),
    ];
    for (env, cause, path) in cases {
        for args in [
            &["-c", "SELECT 1"][..],
            &["--eval", "query_value(\"SELECT 1\")"],
        ] {
            let started = Instant::now();
            let out = common::pgsh().envs(env.clone()).args(args).run();
            out.assert_code(2);
            // A hang bound, not a timing claim: the default policy would retry for 30 s.
            assert!(started.elapsed() < Duration::from_secs(20), "{out}");
            out.assert_stderr_contains(&format!(
                "{cause}: no server is running on socket \"{path}\""
            ));
            out.assert_stderr_contains("pgsh --embedded");
            assert!(!out.stderr.contains("retrying in"), "{out}");
        }
    }
    // Asked to wait, pgsh retries as before (and gives up at the deadline).
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--retry-attempts", "2", "--retry-delay", "10ms"])
        .args(["-c", "SELECT 1"])
        .run();
    out.assert_code(2);
    out.assert_stderr_contains("retrying in");
    out.assert_stderr_contains("gave up after 2 attempts");
    // As psql, pgsh says what psql says.
    let ours = common::pgsh()
        .envs(pg.env())
        .args(["--psql", "-X", "-c", "SELECT 1"])
        .run();
    let psql = pg
        .psql_command("postgres", "postgres")
        .args(["-c", "SELECT 1"])
        .output()
        .expect("psql");
    assert_eq!(psql.status.code(), Some(2));
    assert_eq!(ours.stderr, String::from_utf8_lossy(&psql.stderr), "{ours}");
}

/// On a terminal, retrying shows one status line that each attempt rewrites (attempt, time so far, how to
/// stop, cause), not a line per attempt; Ctrl-C ends the wait.
#[test]
fn an_interactive_start_shows_one_status_line_while_retrying() {
    let home = tempfile::tempdir().unwrap();
    // Nothing listens on TCP port 1, and that is retried (a remote server may be restarting).
    let env: Vec<(String, String)> = [
        ("PGHOST", "127.0.0.1"),
        ("PGPORT", "1"),
        ("PGSH_RETRY_DEADLINE", "5m"),
        ("PGSH_RETRY_MAX_DELAY", "200ms"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut s = pty(home.path(), 200, &env);
    expect(&mut s, "attempt 1, ");
    let between = expect(&mut s, "attempt 4, ");
    assert!(!between.contains('\n'), "a line per attempt: {between:?}");
    assert!(
        between.contains("\r\x1b[K"),
        "not rewritten in place: {between:?}"
    );
    assert!(between.contains("attempt 2, "), "{between:?}");
    assert!(
        between.contains("so far, next in ")
            && between.contains("(Ctrl-C to stop): connection refused"),
        "{between:?}"
    );
    s.send(expectrl::ControlCode::EndOfText).unwrap();
    expect(&mut s, "interrupted");
    let status = s.get_process_mut().wait().unwrap();
    assert!(
        matches!(status, expectrl::WaitStatus::Exited(_, 130)),
        "{status:?}"
    );
}
