//! The retry policy against real failures: a server late, never up or full, and the settings' precedence.

use std::io::Read;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common;
use crate::common::{finish, spawn, ClusterOptions};

#[test]
fn server_that_comes_up_late_is_waited_for_with_retry_lines() {
    let pg = require_native!(ClusterOptions {
        start: false,
        ..ClusterOptions::default()
    });
    let starter = pg.start_in_background_after(Duration::from_secs(3));
    let started = Instant::now();
    let out = common::pgsh()
        .envs(pg.env())
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
