//! Connections you can trust: the retry policy against real failures (server late, absent, full, restarted,
//! killed), credentials that never leak, the pool's hygiene, Ctrl-C, TLS and multi-host targets.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{ClusterOptions, NativeCluster, SslFiles};

/// Spawn pgsh in the background (stdout/stderr piped), keeping its temp HOME alive.
fn spawn(cmd: common::Pgsh) -> (Child, std::sync::Arc<tempfile::TempDir>) {
    let (mut c, home) = cmd.into_parts();
    let child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pgsh");
    (child, home)
}

fn finish(mut child: Child, limit: Duration) -> (Option<i32>, String, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut out = String::new();
            let mut err = String::new();
            child.stdout.take().map(|mut s| s.read_to_string(&mut out));
            child.stderr.take().map(|mut s| s.read_to_string(&mut err));
            return (status.code(), out, err);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("pgsh did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Wait until the cluster shows a pgsh session (so an external action hits an established connection).
fn wait_for_pgsh_session(pg: &NativeCluster) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh'") != "0" {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("pgsh never connected");
}

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
        .args(["-e", "print(query_value(\"SELECT 'up'\"))"])
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
        .args(["-e", "query_value(\"SELECT 1\")"])
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
            "-e",
            "query_value(\"SELECT 1\")",
        ])
        .run();
    out.assert_code(2);
    assert!(!out.stderr.contains("retrying in"), "{}", out.stderr);
    assert!(out.stderr.contains("gave up after"), "{}", out.stderr);
}

#[test]
fn bad_credentials_and_unknown_database_fail_at_once() {
    let pg = require_native!(ClusterOptions {
        password_user: Some(("alice".into(), "Right-Pw-123".into())),
        ..ClusterOptions::default()
    });
    let started = Instant::now();
    let out = common::pgsh()
        .envs(pg.env())
        .env("PGUSER", "alice")
        .env("PGPASSWORD", "Wrong-Pw-987")
        .args(["-e", "query_value(\"SELECT 1\")"])
        .run();
    out.assert_code(2);
    // Far less than the 30 s retry deadline: it was not retried (the lines below say so too).
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(out.stderr.contains("28P01"), "{}", out.stderr);
    assert!(!out.stderr.contains("retrying"), "{}", out.stderr);
    assert!(!out.stderr.contains("Wrong-Pw-987"), "{}", out.stderr);

    let out = common::pgsh()
        .envs(pg.env())
        .env("PGDATABASE", "no_such_db")
        .args(["-e", "query_value(\"SELECT 1\")"])
        .run();
    out.assert_code(2);
    assert!(out.stderr.contains("3D000"), "{}", out.stderr);
    assert!(out.stderr.contains("no_such_db"), "{}", out.stderr);
    assert!(!out.stderr.contains("retrying"), "{}", out.stderr);

    // The right password works (from PGPASSWORD, and from the URL).
    let out = common::pgsh()
        .envs(pg.env())
        .env("PGUSER", "alice")
        .env("PGPASSWORD", "Right-Pw-123")
        .args(["-e", "print(query_value(\"SELECT current_user\"))"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "alice");
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
            .args(["-e", "print(query_value(\"SELECT 'in'\"))"]),
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
fn a_restart_between_statements_reconnects_with_a_notice() {
    let pg = require_native!();
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args([
        "-e",
        "print(query_value(\"SELECT 1\")); sleep(2); print(query_value(\"SELECT 2\"));",
    ]));
    wait_for_pgsh_session(&pg);
    // Restart only once the first statement has run, i.e. between statements.
    let start = Instant::now();
    while pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh' AND query LIKE 'SELECT 1%' AND state = 'idle'") == "0" {
        assert!(start.elapsed() < Duration::from_secs(10), "the first statement never ran");
        std::thread::sleep(Duration::from_millis(10));
    }
    pg.restart();
    let (code, out, err) = finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(out, "1\n2\n");
    assert!(err.contains("was lost; reconnecting"), "{err}");
}

#[test]
fn a_terminated_session_reconnects_but_a_transaction_is_reported_lost() {
    let pg = require_native!();
    let script = r#"
        let db = connect();
        let admin = connect();
        db.execute("CREATE TABLE t (n int)");
        let pid = db.query_value("SELECT pg_backend_pid()");
        admin.execute("SELECT pg_terminate_backend($1)", [pid]);
        sleep(0.3);
        print(db.query_value("SELECT 42"));
        db.begin();
        db.execute("INSERT INTO t VALUES (1)");
        admin.execute("SELECT pg_terminate_backend($1)", [db.query_value("SELECT pg_backend_pid()")]);
        sleep(0.3);
        try { db.execute("INSERT INTO t VALUES (2)"); } catch (e) { print(`${e.kind} ${e.message}`); }
        print(db.in_transaction());
        print(db.query_value("SELECT count(*) FROM t"));
    "#;
    let out = common::pgsh().envs(pg.env()).args(["-e", script]).run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "42");
    assert!(lines[1].starts_with("connection_lost"), "{}", out.stdout);
    assert!(lines[1].contains("transaction is lost"), "{}", out.stdout);
    assert_eq!(&lines[2..], ["false", "0"]);
    assert_eq!(
        out.stderr.matches("reconnecting").count(),
        1,
        "{}",
        out.stderr
    );
}

#[test]
fn a_server_killed_during_a_statement_is_an_error_and_nothing_is_replayed() {
    let pg = require_native!();
    pg.psql("CREATE TABLE t (n int)");
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args([
        "-e",
        r#"try { execute("INSERT INTO t SELECT 1 FROM pg_sleep(2)"); print("no error"); }
           catch (e) { print(e.kind); }
           sleep(2);
           print(query_value("SELECT count(*) FROM t"));"#,
    ]));
    wait_for_pgsh_session(&pg);
    std::thread::sleep(Duration::from_millis(300));
    pg.kill();
    pg.start_again();
    let (code, out, err) = finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(out, "connection_lost\n0\n", "{err}");
    assert_eq!(pg.psql("SELECT count(*) FROM t"), "0");
}

#[test]
fn ctrl_c_cancels_the_running_statement_and_exits_130() {
    let pg = require_native!();
    let (child, _home) = spawn(
        common::pgsh()
            .envs(pg.env())
            .args(["-e", "query(\"SELECT pg_sleep(30)\")"]),
    );
    wait_for_pgsh_session(&pg);
    std::thread::sleep(Duration::from_millis(200));
    let sent = Instant::now();
    // SAFETY: plain kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let (code, _out, err) = finish(child, Duration::from_secs(10));
    // The sleep would last 30 s: ending this soon means it was cancelled (the bound is loose for loaded CI
    // machines; a cancel normally takes a few milliseconds).
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(code, Some(130), "{err}");
    assert!(
        err.contains("canceling statement due to user request"),
        "{err}"
    );
    // The server is no longer running the sleep.
    assert_eq!(
        pg.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'"),
        "0"
    );
}

#[test]
fn ctrl_c_stops_a_busy_rhai_loop_quickly() {
    let (child, _home) = spawn(common::pgsh().args(["-e", "let x = 0; loop { x += 1; }"]));
    std::thread::sleep(Duration::from_millis(500));
    let sent = Instant::now();
    // SAFETY: plain kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let (code, _out, _err) = finish(child, Duration::from_secs(10));
    // The loop never ends by itself; the bound is loose for loaded CI machines (it stops in milliseconds).
    assert!(
        sent.elapsed() < Duration::from_secs(3),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(code, Some(130));
}

#[test]
fn a_session_closed_inside_a_transaction_leaks_nothing_into_the_pool() {
    let pg = require_native!();
    pg.psql("CREATE TABLE t (n int)");
    let script = r#"
        let a = connect(#{pool_size: 1});
        let pid = a.query_value("SELECT pg_backend_pid()");
        a.execute("SET application_name = 'leaky'");
        a.execute("CREATE TEMP TABLE scratch (x int)");
        a.begin();
        a.execute("INSERT INTO t VALUES (1)");
        a.close();
        let b = connect(#{pool_size: 1});
        print(b.query_value("SELECT pg_backend_pid()") == pid);
        print(b.in_transaction());
        print(b.query_value("SELECT count(*) FROM t"));
        print(b.query_value("SELECT current_setting('application_name')"));
        print(b.query_value("SELECT count(*) FROM pg_tables WHERE tablename = 'scratch'"));
    "#;
    let out = common::pgsh().envs(pg.env()).args(["-e", script]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "true\nfalse\n0\npgsh\n0\n", "{}", out.stderr);
    assert!(out.stderr.contains("rolled back"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM t"), "0");
}

#[test]
fn two_connects_are_two_sessions() {
    let pg = require_native!();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-e", r#"let a = connect(); let b = connect();
            print(a.query_value("SELECT pg_backend_pid()") != b.query_value("SELECT pg_backend_pid()"));
            a.execute("SET search_path TO pg_catalog"); print(b.query_value("SHOW search_path"));
            b.close(); try { b.query("SELECT 1"); } catch (e) { print(e.message); }"#])
        .run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "true");
    assert_eq!(lines[1], "\"$user\", public");
    assert!(lines[2].contains("closed"), "{}", out.stdout);
}

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

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn pgpass_is_used_when_private_and_ignored_with_a_warning_when_not() {
    let pg = require_native!(ClusterOptions {
        password_user: Some(("carol".into(), "Pgpass-Pw-42".into())),
        ..ClusterOptions::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pgpass");
    std::fs::write(&file, format!("*:{}:*:carol:Pgpass-Pw-42\n", pg.port())).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = || {
        common::pgsh()
            .envs(pg.env())
            .env("PGUSER", "carol")
            .env("PGPASSFILE", &file)
            .args(["-e", "print(query_value(\"SELECT current_user\"))"])
            .run()
    };
    let out = run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "carol");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run();
    out.assert_code(2);
    assert!(
        out.stderr.contains("has group or world access"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("password"), "{}", out.stderr);
}

#[test]
fn require_against_a_server_without_tls_fails_clearly() {
    let pg = require_native!(ClusterOptions {
        tcp: true,
        ..ClusterOptions::default()
    });
    let url = pg.tcp_url_for("postgres", "postgres").unwrap();
    let out = common::pgsh()
        .args([
            "-d",
            &format!("{url}?sslmode=require"),
            "-e",
            "query_value(\"SELECT 1\")",
        ])
        .run();
    out.assert_code(2);
    let err = out.stderr.to_lowercase();
    assert!(err.contains("tls") || err.contains("ssl"), "{}", out.stderr);
    assert!(!err.contains("retrying"), "{}", out.stderr);
    // prefer falls back to plain text.
    let out = common::pgsh()
        .args([
            "-d",
            &format!("{url}?sslmode=prefer"),
            "-e",
            "print(query_value(\"SELECT 1\"))",
        ])
        .run();
    out.assert_ok();
}

struct Pki {
    _dir: tempfile::TempDir,
    ca: std::path::PathBuf,
    other_ca: std::path::PathBuf,
    files: SslFiles,
}

/// A CA, a server certificate for "localhost" signed by it, and an unrelated CA.
fn make_pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let dir = tempfile::tempdir().unwrap();
    let ca = |name: &str| {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        (cert, Issuer::new(params, key))
    };
    let (ca_cert, issuer) = ca("pgsh test CA");
    let (other_cert, _) = ca("someone else's CA");
    let server_key = KeyPair::generate().unwrap();
    let mut server_params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    server_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    let server_cert = server_params.signed_by(&server_key, &issuer).unwrap();
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let files = SslFiles {
        cert: write("server.crt", server_cert.pem()),
        key: write("server.key", server_key.serialize_pem()),
        root_cert: None,
    };
    Pki {
        ca: write("root.crt", ca_cert.pem()),
        other_ca: write("other.crt", other_cert.pem()),
        files,
        _dir: dir,
    }
}

#[test]
fn tls_verify_full_checks_the_chain_and_the_host_name() {
    let pki = make_pki();
    let pg = require_native!(ClusterOptions {
        tcp: true,
        ssl: Some(pki.files.clone()),
        ..ClusterOptions::default()
    });
    let port = pg.tcp_port().unwrap();
    let check = |host: &str, mode: &str, root: &Path| {
        common::pgsh()
            .args([
                "-d",
                &format!(
                    "host={host} port={port} user=postgres dbname=postgres sslmode={mode} sslrootcert={}",
                    root.display()
                ),
                "--retry-attempts",
                "1",
                "-e",
                "print(query_value(\"SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()\"))",
            ])
            .run()
    };
    let ok = check("localhost", "verify-full", &pki.ca);
    ok.assert_ok();
    assert_eq!(ok.stdout.trim(), "true");
    // Right CA, wrong name: verify-full refuses, verify-ca accepts.
    let wrong_name = check("127.0.0.1", "verify-full", &pki.ca);
    wrong_name.assert_code(2);
    assert!(
        wrong_name.stderr.to_lowercase().contains("tls")
            || wrong_name.stderr.contains("certificate"),
        "{}",
        wrong_name.stderr
    );
    check("127.0.0.1", "verify-ca", &pki.ca).assert_ok();
    // Another CA: refused in both verifying modes, and by require too, since a root file exists (libpq:
    // require then behaves as verify-ca); without a root file require encrypts without checking.
    check("localhost", "verify-ca", &pki.other_ca).assert_code(2);
    check("127.0.0.1", "require", &pki.other_ca).assert_code(2);
    let req = check("127.0.0.1", "require", Path::new("/nonexistent/root.crt"));
    req.assert_ok();
    assert_eq!(req.stdout.trim(), "true");
    // A missing root file is explained.
    let missing = check(
        "localhost",
        "verify-full",
        Path::new("/nonexistent/root.crt"),
    );
    missing.assert_code(2);
    assert!(
        missing.stderr.contains("root certificate file"),
        "{}",
        missing.stderr
    );
}

#[test]
fn multi_host_targets_skip_down_and_read_only_servers() {
    let down = require_native!(ClusterOptions {
        start: false,
        ..ClusterOptions::default()
    });
    let read_only = require_native!(ClusterOptions {
        extra_conf: vec!["default_transaction_read_only = on".into()],
        ..ClusterOptions::default()
    });
    let primary = require_native!();
    let hosts = [&down, &read_only, &primary]
        .iter()
        .map(|c| c.socket_dir().display().to_string())
        .collect::<Vec<_>>()
        .join(",");
    let ports = [&down, &read_only, &primary]
        .iter()
        .map(|c| c.port().to_string())
        .collect::<Vec<_>>()
        .join(",");
    let run = |attrs: &str| {
        common::pgsh()
            .args([
                "-d",
                &format!("host={hosts} port={ports} user=postgres dbname=postgres target_session_attrs={attrs}"),
                "-e",
                "print(query_value(\"SELECT current_setting('port')\"))",
            ])
            .run()
    };
    let any = run("any");
    any.assert_ok();
    assert_eq!(any.stdout.trim(), read_only.port().to_string());
    let rw = run("read-write");
    rw.assert_ok();
    assert_eq!(rw.stdout.trim(), primary.port().to_string());
}

#[test]
fn each_host_gets_its_own_timeout_password_and_tls_rules() {
    let pg = require_native!(ClusterOptions {
        tcp: true,
        password_user: Some(("alice".into(), "Alice-Pw-77".into())),
        ..ClusterOptions::default()
    });
    let port = pg.tcp_port().expect("tcp port");
    // A host that accepts TCP connections and never answers: the kernel completes the handshakes.
    let hung = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let hung_port = hung.local_addr().expect("addr").port();
    // The hung host uses up its own timeout; the next host is still tried within the same attempt.
    let started = Instant::now();
    let out = common::pgsh()
        .args([
            "-d",
            &format!(
                "host=127.0.0.1,127.0.0.1 port={hung_port},{port} user=postgres dbname=postgres"
            ),
            "--connect-timeout",
            "2s",
            "--retry-deadline",
            "20s",
            "-e",
            "print(query_value(\"SELECT current_setting('port')\"))",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), port.to_string());
    assert!(!out.stderr.contains("retrying"), "{}", out.stderr);
    assert!(started.elapsed() < Duration::from_secs(15));
    // connect_timeout inside a connection string counts (a libpq integer: seconds).
    let out = common::pgsh()
        .args([
            "-d",
            &format!("postgres://postgres@127.0.0.1:{hung_port}/postgres?connect_timeout=2"),
            "--retry-attempts",
            "1",
            "-e",
            "query_value(\"SELECT 1\")",
        ])
        .run();
    out.assert_code(2);
    assert!(
        out.stderr.contains("timeout expired after 2s"),
        "{}",
        out.stderr
    );
    // .pgpass is looked up for the host actually tried, not only the first one.
    let home = common::pgsh();
    let pgpass = home.home().join(".pgpass");
    std::fs::write(&pgpass, format!("127.0.0.1:{port}:*:alice:Alice-Pw-77\n")).unwrap();
    std::fs::set_permissions(&pgpass, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let out = home
        .args([
            "-d",
            &format!("host=127.0.0.1,127.0.0.1 port=1,{port} user=alice dbname=postgres"),
            "-e",
            "print(query_value(\"SELECT current_user\"))",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "alice");
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    // sslmode does not apply to unix sockets (libpq): a global PGSSLMODE=require still works there.
    let out = common::pgsh()
        .envs(pg.env())
        .env("PGSSLMODE", "require")
        .args(["-e", "print(query_value(\"SELECT 'socket'\"))"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "socket");
    drop(hung);
}

#[test]
fn no_writable_host_is_retried_and_every_host_is_named() {
    let read_only = require_native!(ClusterOptions {
        extra_conf: vec!["default_transaction_read_only = on".into()],
        ..ClusterOptions::default()
    });
    let dir = read_only.socket_dir().display().to_string();
    let out = common::pgsh()
        .args([
            "-d",
            &format!(
                "host=127.0.0.1,{dir} port=1,{} user=postgres dbname=postgres target_session_attrs=read-write",
                read_only.port()
            ),
            "--retry-attempts",
            "2",
            "--retry-delay",
            "10ms",
            "-e",
            "query_value(\"SELECT 1\")",
        ])
        .run();
    out.assert_code(2);
    // A standby may be promoted: waiting can help, so it is retried.
    assert_eq!(
        out.stderr.matches("retrying in").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("127.0.0.1:1: connection refused"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("does not allow writes"),
        "{}",
        out.stderr
    );
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
    let file_only = base().args(["-e", q]).run();
    file_only.assert_code(2);
    assert_eq!(attempts(&file_only), 2, "{}", file_only.stderr);
    let profile = base().args(["--profile", "nowhere", "-e", q]).run();
    assert_eq!(attempts(&profile), 3, "{}", profile.stderr);
    let env = base()
        .env("PGSH_RETRY_ATTEMPTS", "4")
        .args(["--profile", "nowhere", "-e", q])
        .run();
    assert_eq!(attempts(&env), 4, "{}", env.stderr);
    let flag = base()
        .env("PGSH_RETRY_ATTEMPTS", "4")
        .args(["--retry-attempts", "5", "-e", q])
        .run();
    assert_eq!(attempts(&flag), 5, "{}", flag.stderr);
    let script = base()
        .env("PGSH_RETRY_ATTEMPTS", "4")
        .args([
            "--retry-attempts",
            "5",
            "-e",
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
    let bad = base().env("PGSH_RETRY_DELAY", "soon").args(["-e", q]).run();
    bad.assert_code(1);
    assert!(
        bad.stderr.contains("PGSH_RETRY_DELAY") || bad.stderr.contains("delay"),
        "{}",
        bad.stderr
    );
}

#[test]
fn the_embedded_server_is_never_started_for_a_server_run() {
    let pg = require_native!();
    let started = Instant::now();
    let out = common::pgsh().args(["--version"]).run();
    out.assert_ok();
    let cache = tempfile::tempdir().unwrap();
    let out = common::pgsh()
        .envs(pg.env())
        .env("XDG_CACHE_HOME", cache.path())
        .args(["-e", "print(query_value(\"SELECT version()\"))"])
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("PostgreSQL 15"), "{}", out.stdout);
    // No runtime was unpacked into the run's private cache.
    let cached: Vec<_> = walk(cache.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("pglite"))
        .collect();
    assert!(cached.is_empty(), "{cached:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
    let _ = Command::new("true").status();
}

#[test]
fn connect_with_a_profile_from_the_config_file() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "[profiles.local]\nhost = \"{}\"\nport = {}\nuser = \"postgres\"\ndbname = \"postgres\"\napplication_name = \"from-profile\"\n",
            pg.socket_dir().display(),
            pg.port()
        ),
    )
    .unwrap();
    // No PG* variables: only the profile says where the server is.
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["-e", "print(connect(#{profile: \"local\"}).query_value(\"SELECT current_setting('application_name')\"))"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "from-profile");
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args([
            "--profile",
            "local",
            "-e",
            "print(query_value(\"SELECT current_setting('application_name')\"))",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "from-profile");
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["-e", "connect(#{profile: \"nope\"})"])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("no profile \"nope\""), "{}", out.stderr);
}

#[test]
fn passwords_from_named_environment_variables() {
    let pg = require_native!(ClusterOptions {
        password_user: Some(("alice".into(), "Env-Pw-4242".into())),
        ..ClusterOptions::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "[profiles.app]\nhost = \"{}\"\nport = {}\nuser = \"alice\"\ndbname = \"postgres\"\npassword_env = \"APP_PW\"\n",
            pg.socket_dir().display(),
            pg.port()
        ),
    )
    .unwrap();
    let script = format!(
        r#"print(connect(#{{host: "{}", port: {}, user: "alice", dbname: "postgres", password_env: "APP_PW"}}).query_value("SELECT current_user"));
        print(connect(#{{profile: "app"}}).query_value("SELECT current_user"));"#,
        pg.socket_dir().display(),
        pg.port()
    );
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .env("APP_PW", "Env-Pw-4242")
        .args(["-e", &script])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "alice\nalice\n");
    // The variable named must be set; its value never shows.
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .args(["-e", &script])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("APP_PW"), "{}", out.stderr);
    let out = common::pgsh()
        .env("PGSH_CONFIG", &cfg)
        .env("APP_PW", "Wrong-Pw-0000")
        .args(["-e", &script])
        .run();
    out.assert_code(2);
    assert!(out.stderr.contains("28P01"), "{}", out.stderr);
    assert!(!out.stderr.contains("Wrong-Pw"), "{}", out.stderr);
}

#[test]
fn the_pool_size_bounds_concurrent_sessions() {
    let pg = require_native!();
    let script = "let a = connect(); let b = connect(); print(b.query_value(\"SELECT 2\"));";
    // The default pool holds four sessions per target.
    let out = common::pgsh().envs(pg.env()).args(["-e", script]).run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "2");
    for run in [
        common::pgsh()
            .envs(pg.env())
            .args(["--pool-size", "1", "-e", script]),
        common::pgsh()
            .envs(pg.env())
            .env("PGSH_POOL_SIZE", "1")
            .args(["-e", script]),
    ] {
        let out = run.run();
        out.assert_code(2);
        assert!(
            out.stderr.contains("all 1 connections of the pool"),
            "{}",
            out.stderr
        );
    }
    // Closing a session gives its connection back.
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "--pool-size",
            "1",
            "-e",
            "let a = connect(); a.close(); print(connect().query_value(\"SELECT 3\"));",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "3");
}

#[test]
fn a_connection_lost_during_commit_has_an_unknown_outcome() {
    let pg = require_native!();
    // A deferred constraint trigger that sleeps: COMMIT is slow, and the backend dies in the middle of it.
    pg.psql(
        "CREATE TABLE t (n int);
         CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
         CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow();",
    );
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args([
        "-e",
        "begin(); execute(\"INSERT INTO t VALUES (1)\"); try { commit(); } catch (e) { print(`${e.code} ${e.message}`); } print(in_transaction());",
    ]));
    let start = Instant::now();
    while pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh' AND query = 'COMMIT' AND state = 'active'") == "0" {
        assert!(start.elapsed() < Duration::from_secs(30), "COMMIT never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    pg.psql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgsh'",
    );
    let (code, out, err) = finish(child, Duration::from_secs(60));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.starts_with("08007 "), "{out}\n{err}");
    assert!(
        out.contains("outcome of the transaction is unknown"),
        "{out}"
    );
    assert!(out.ends_with("false\n"), "{out}");
}

/// A fake server on 127.0.0.1 that asks for a cleartext password and records what it gets.
fn password_catcher() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut c) = conn else { continue };
            let mut serve = || -> std::io::Result<()> {
                let read_msg = |c: &mut std::net::TcpStream,
                                len_only: bool|
                 -> std::io::Result<Vec<u8>> {
                    if !len_only {
                        let mut t = [0u8; 1];
                        c.read_exact(&mut t)?;
                    }
                    let mut len = [0u8; 4];
                    c.read_exact(&mut len)?;
                    let mut body = vec![0u8; (i32::from_be_bytes(len) as usize).saturating_sub(4)];
                    c.read_exact(&mut body)?;
                    Ok(body)
                };
                let mut startup = read_msg(&mut c, true)?;
                if startup.len() == 4 && startup == 80877103i32.to_be_bytes() {
                    c.write_all(b"N")?;
                    startup = read_msg(&mut c, true)?;
                }
                let _ = startup;
                c.write_all(&[b'R', 0, 0, 0, 8, 0, 0, 0, 3])?;
                let pw = read_msg(&mut c, false)?;
                seen.lock().unwrap().push(
                    String::from_utf8_lossy(&pw)
                        .trim_end_matches('\0')
                        .to_string(),
                );
                let fields = b"SFATAL\0C28P01\0Mno\0\0";
                let mut e = vec![b'E'];
                e.extend(((fields.len() + 4) as i32).to_be_bytes());
                e.extend(fields);
                c.write_all(&e)
            };
            let _ = serve();
        }
    });
    (port, got)
}

#[test]
fn backslash_c_never_sends_a_password_to_another_server() {
    let pg = require_native!(ClusterOptions {
        tcp: true,
        password_user: Some(("alice".into(), "Main-Pw-31".into())),
        ..ClusterOptions::default()
    });
    let tcp = pg.tcp_port().expect("tcp port");
    let (fake, got) = password_catcher();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgresql://alice:Main-Pw-31@127.0.0.1:{tcp}/postgres?sslmode=disable");
    // The same server: the password still applies.
    let same = dir.path().join("same.sql");
    std::fs::write(&same, "\\c postgres\nSELECT current_user;\n").unwrap();
    let out = common::pgsh().args(["-d", &url, "-f"]).arg(&same).run();
    out.assert_ok();
    assert!(out.stdout.contains("alice"), "{}", out.stdout);
    // Another port: the password is not sent there (psql drops it too).
    for line in [
        format!("\\c - - 127.0.0.1 {fake}"),
        format!("\\connect -reuse-previous=on \"host=127.0.0.1 port={fake}\""),
    ] {
        let other = dir.path().join("other.sql");
        std::fs::write(&other, format!("SELECT 1;\n{line}\n")).unwrap();
        let out = common::pgsh().args(["-d", &url, "-f"]).arg(&other).run();
        assert_ne!(out.status, Some(0), "{}", out.stderr);
        assert!(!out.stderr.contains("Main-Pw"), "{}", out.stderr);
    }
    // The catcher does catch passwords sent to it.
    let out = common::pgsh()
        .args([
            "-e",
            &format!("connect(\"postgresql://x:Control-Pw@127.0.0.1:{fake}/db?sslmode=disable\")"),
        ])
        .run();
    out.assert_code(2);
    let got = got.lock().unwrap();
    assert!(got.iter().any(|p| p == "Control-Pw"), "{got:?}");
    assert!(got.iter().all(|p| !p.contains("Main-Pw")), "{got:?}");
}

#[test]
fn backslash_c_is_refused_inside_the_single_transaction() {
    let pg = require_native!();
    pg.psql("CREATE TABLE ci (n int)");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("switch.sql");
    std::fs::write(
        &f,
        "INSERT INTO ci VALUES (1);\n\\c postgres\nINSERT INTO ci VALUES (2);\n",
    )
    .unwrap();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-1", "-f"])
        .arg(&f)
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("single transaction"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM ci"), "0");
}
