//! Self-test of the shared test harness (tests/common): the native cluster lifecycle and its options.

use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::common;
use crate::common::{ClusterOptions, NativeCluster, SslFiles};

/// psql as `user` with extra environment; Ok(stdout) or Err(stderr).
fn try_psql(
    pg: &NativeCluster,
    user: &str,
    envs: &[(&str, &str)],
    extra_args: &[&str],
    sql: &str,
) -> Result<String, String> {
    let out = pg
        .psql_command("postgres", user)
        .envs(envs.iter().copied())
        .args(extra_args)
        .arg("-c")
        .arg(sql)
        .stdin(Stdio::null())
        .output()
        .expect("run psql");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// psql with nothing from the cluster or the developer's environment, to check what the harness hands out.
fn bare_psql(pg: &NativeCluster) -> Command {
    let mut cmd = Command::new(pg.psql_binary());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PG") {
            cmd.env_remove(key);
        }
    }
    cmd
}

fn connects(pg: &NativeCluster) -> bool {
    try_psql(pg, "postgres", &[], &[], "select 1").is_ok()
}

#[test]
fn starts_and_runs_sql() {
    let t = Instant::now();
    let Some(pg) = common::native() else { return };
    eprintln!("cluster ready in {:?}", t.elapsed());
    assert_eq!(pg.psql("select 1"), "1");
    assert_eq!(
        pg.psql("create table t(x int); insert into t values (1), (2); select sum(x) from t;"),
        "3"
    );
    assert_eq!(pg.psql("show fsync"), "off");
    assert_eq!(pg.psql("show server_encoding"), "UTF8");
    assert_eq!(pg.psql("show timezone"), "UTC");
    assert_eq!(pg.psql("show listen_addresses"), "");
    assert!(pg.tcp_port().is_none());
    assert!(pg.data_dir().join("PG_VERSION").is_file());
    assert!(pg
        .socket_dir()
        .join(format!(".s.PGSQL.{}", pg.port()))
        .exists());

    let url = pg.url();
    assert!(
        url.starts_with("postgres://postgres@/postgres?host=%2F"),
        "{url}"
    );
    assert!(url.ends_with(&format!("&port={}", pg.port())), "{url}");
    // psql takes the URL as-is: proves the percent-encoding is what libpq expects.
    let via_url = bare_psql(&pg)
        .args(["-X", "-At", "-c", "select current_database()"])
        .arg(pg.url_for("template1", "postgres"))
        .output()
        .expect("run psql with the cluster URL");
    assert_eq!(
        String::from_utf8_lossy(&via_url.stdout).trim(),
        "template1",
        "psql with {}: {}",
        pg.url_for("template1", "postgres"),
        String::from_utf8_lossy(&via_url.stderr)
    );

    let via_env = bare_psql(&pg)
        .args([
            "-X",
            "-At",
            "-c",
            "select current_user || '@' || current_database()",
        ])
        .envs(pg.env())
        .output()
        .expect("run psql with the cluster env");
    assert_eq!(
        String::from_utf8_lossy(&via_env.stdout).trim(),
        "postgres@postgres",
        "{}",
        String::from_utf8_lossy(&via_env.stderr)
    );

    assert_eq!(pg.psql("create database other"), "");
    assert_eq!(pg.psql_db("other", "select current_database()"), "other");
    assert!(
        pg.log_tail().contains("ready to accept connections"),
        "log: {}",
        pg.log_tail()
    );
}

#[test]
fn psql_file_runs_a_script() {
    let Some(pg) = common::native() else { return };
    let (_dir, path) = common::script_file_named(
        "setup.sql",
        "create database filedb;\n\\c filedb\ncreate table f(x int);\ninsert into f values (5);\n",
    );
    pg.psql_file("postgres", &path);
    assert_eq!(pg.psql_db("filedb", "select x from f"), "5");
    let (_bad_dir, bad) = common::script_file_named("bad.sql", "select 1;\nselect nope;\n");
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pg.psql_file("postgres", &bad)
    }))
    .expect_err("a failing script should panic");
    let msg = err
        .downcast_ref::<String>()
        .expect("panic message is a String");
    assert!(msg.contains("bad.sql:2: ERROR"), "{msg}");
}

#[test]
fn psql_failure_panics_with_stderr() {
    let Some(pg) = common::native() else { return };
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pg.psql("select * from no_such_table")
    }))
    .expect_err("psql on a missing table should panic");
    let msg = err
        .downcast_ref::<String>()
        .expect("panic message is a String");
    assert!(
        msg.contains("relation \"no_such_table\" does not exist"),
        "{msg}"
    );
}

#[test]
fn stop_start_again_restart() {
    let Some(pg) = common::native() else { return };
    pg.psql("create table kept(x int); insert into kept values (42);");

    let t = Instant::now();
    pg.stop();
    eprintln!("stop (fast) took {:?}", t.elapsed());
    assert!(!pg.is_running());
    assert!(!connects(&pg), "server still answers after stop()");
    pg.stop(); // idempotent

    let t = Instant::now();
    pg.start_again();
    eprintln!("start_again took {:?}", t.elapsed());
    assert_eq!(pg.psql("select x from kept"), "42");

    let started_before = pg.psql("select pg_postmaster_start_time()");
    let t = Instant::now();
    pg.restart();
    eprintln!("restart took {:?}", t.elapsed());
    assert_ne!(pg.psql("select pg_postmaster_start_time()"), started_before);
    assert_eq!(pg.psql("select x from kept"), "42");
}

#[test]
fn kill_and_recover() {
    let Some(pg) = common::native() else { return };
    pg.psql("create table kept(x int); insert into kept values (7);");
    // A session open across the crash must see its connection drop.
    let mut victim = pg
        .psql_command("postgres", "postgres")
        .args(["-c", "select pg_sleep(60)"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn a long-running psql");
    let started = Instant::now();
    while pg.psql("select count(*) from pg_stat_activity where query like 'select pg_sleep%'")
        != "1"
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "victim query never showed up"
        );
        thread::sleep(Duration::from_millis(20));
    }

    let t = Instant::now();
    pg.kill();
    eprintln!("kill took {:?}", t.elapsed());
    assert!(!connects(&pg), "server still answers after kill()");
    let status = victim.wait().expect("wait for the victim psql");
    assert!(
        !status.success(),
        "the session should have been cut by the crash"
    );

    let t = Instant::now();
    pg.start_again();
    eprintln!(
        "start_again after kill (crash recovery) took {:?}",
        t.elapsed()
    );
    assert_eq!(pg.psql("select x from kept"), "7");
    assert!(
        pg.log_tail().contains("not properly shut down"),
        "expected crash recovery in the log:\n{}",
        pg.log_tail()
    );

    // And a second crash cycle, to prove the stale lock files are handled each time.
    pg.kill();
    pg.start_again();
    assert_eq!(pg.psql("select x from kept"), "7");
}

#[test]
fn parallel_clusters_are_independent() {
    let Some(first) = common::native() else {
        return;
    };
    let handles: Vec<_> = (0..3)
        .map(|i| {
            thread::spawn(move || {
                let pg = NativeCluster::start().expect("second cluster when the first one worked");
                pg.psql(&format!(
                    "create table mine(x int); insert into mine values ({i});"
                ));
                (
                    pg.port(),
                    pg.socket_dir().to_path_buf(),
                    pg.psql("select x from mine"),
                )
            })
        })
        .collect();
    let mut seen = Vec::new();
    for (i, h) in handles.into_iter().enumerate() {
        let (port, dir, x) = h.join().expect("parallel cluster thread");
        assert_eq!(x, i.to_string());
        assert!(!dir.exists(), "dropped cluster left {}", dir.display());
        seen.push((port, dir));
    }
    seen.push((first.port(), first.socket_dir().to_path_buf()));
    seen.sort();
    seen.dedup_by(|a, b| a.0 == b.0 || a.1 == b.1);
    assert_eq!(seen.len(), 4, "clusters shared a port or a dir");
    assert!(
        first.psql("select count(*) from pg_class where relname = 'mine'") == "0",
        "the first cluster saw another cluster's table"
    );
}

#[test]
fn prepared_but_not_started_then_comes_up_later() {
    let opts = ClusterOptions {
        start: false,
        ..ClusterOptions::default()
    };
    let Some(pg) = common::native_with(opts) else {
        return;
    };
    assert!(!pg.is_running());
    assert!(
        !connects(&pg),
        "a not-started cluster accepted a connection"
    );
    let url_before = pg.url();

    let t = Instant::now();
    let starter = pg.start_in_background_after(Duration::from_millis(500));
    let mut attempts = 0;
    while !connects(&pg) {
        attempts += 1;
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "server never came up:\n{}",
            pg.log_tail()
        );
        thread::sleep(Duration::from_millis(50));
    }
    assert!(
        t.elapsed() >= Duration::from_millis(500),
        "came up before the delay"
    );
    assert!(attempts > 0);
    starter.join().expect("background start");
    assert_eq!(pg.url(), url_before);
    assert_eq!(pg.psql("select 1"), "1");
}

#[test]
fn dropping_cancels_a_pending_background_start() {
    let Some(pg) = common::native_with(ClusterOptions {
        start: false,
        ..ClusterOptions::default()
    }) else {
        return;
    };
    let dir = pg.socket_dir().to_path_buf();
    let starter = pg.start_in_background_after(Duration::from_millis(200));
    drop(pg);
    starter
        .join()
        .expect("cancelled background start must not panic");
    assert!(!dir.exists());
}

#[test]
fn tcp_mode() {
    let Some(pg) = common::native_with(ClusterOptions {
        tcp: true,
        ..ClusterOptions::default()
    }) else {
        return;
    };
    let port = pg.tcp_port().expect("tcp_port with tcp: true");
    assert_eq!(port, pg.port());
    let out = bare_psql(&pg)
        .args(["-X", "-At", "-w", "-c", "select inet_server_addr()"])
        .arg(pg.tcp_url_for("postgres", "postgres").expect("tcp url"))
        .output()
        .expect("run psql over TCP");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "127.0.0.1",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The socket still works as well.
    assert_eq!(pg.psql("select inet_server_addr() is null"), "t");
    pg.restart();
    assert_eq!(pg.tcp_port(), Some(port), "restart moved the port");
}

#[test]
fn password_user_requires_scram() {
    let Some(pg) = common::native_with(ClusterOptions {
        tcp: true,
        password_user: Some(("alice".into(), "s3cr'et".into())),
        ..ClusterOptions::default()
    }) else {
        return;
    };
    let port = pg.tcp_port().expect("tcp port").to_string();
    let tcp: &[&str] = &["-h", "127.0.0.1", "-p", &port];
    for extra in [&[][..], tcp] {
        assert_eq!(
            try_psql(
                &pg,
                "alice",
                &[("PGPASSWORD", "s3cr'et")],
                extra,
                "select current_user"
            ),
            Ok("alice".to_string()),
            "right password via {extra:?}"
        );
        let wrong = try_psql(&pg, "alice", &[("PGPASSWORD", "nope")], extra, "select 1")
            .expect_err("wrong password accepted");
        assert!(
            wrong.contains("password authentication failed"),
            "{extra:?}: {wrong}"
        );
        let none =
            try_psql(&pg, "alice", &[], extra, "select 1").expect_err("missing password accepted");
        assert!(
            none.contains("no password supplied") || none.contains("password authentication"),
            "{extra:?}: {none}"
        );
        // Everyone else stays trusted.
        assert_eq!(
            try_psql(&pg, "postgres", &[], extra, "select 1"),
            Ok("1".to_string())
        );
    }
    assert_eq!(
        pg.psql("select rolpassword like 'SCRAM-SHA-256$%' from pg_authid where rolname = 'alice'"),
        "t"
    );
    // alice can create tables in public (PG 15 no longer grants that by default).
    assert_eq!(
        try_psql(
            &pg,
            "alice",
            &[("PGPASSWORD", "s3cr'et")],
            &[],
            "create table alices(x int)"
        ),
        Ok(String::new())
    );
}

#[test]
fn password_user_with_late_start() {
    let Some(pg) = common::native_with(ClusterOptions {
        start: false,
        password_user: Some(("bob".into(), "pw".into())),
        ..ClusterOptions::default()
    }) else {
        return;
    };
    pg.start_again();
    assert_eq!(
        try_psql(
            &pg,
            "bob",
            &[("PGPASSWORD", "pw")],
            &[],
            "select current_user"
        ),
        Ok("bob".to_string())
    );
    // The role is created once, not again on restart.
    pg.restart();
    assert_eq!(
        pg.psql("select count(*) from pg_roles where rolname = 'bob'"),
        "1"
    );
}

#[test]
fn max_connections_is_enforced() {
    let Some(pg) = common::native_with(ClusterOptions {
        max_connections: Some(3),
        extra_conf: vec!["log_connections = on".into()],
        ..ClusterOptions::default()
    }) else {
        return;
    };
    assert_eq!(pg.psql("show max_connections"), "3");
    assert_eq!(pg.psql("show log_connections"), "on");
    // Fill the slots with sleeping sessions until a probe is refused. A holder can itself lose the race for
    // the last slot against a probe and exit; it is replaced on the next round.
    let mut holders: Vec<std::process::Child> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let refused = loop {
        assert!(
            Instant::now() < deadline,
            "never refused a connection with max_connections = 3"
        );
        holders.retain_mut(|h| matches!(h.try_wait(), Ok(None)));
        match try_psql(&pg, "postgres", &[], &[], "select 1") {
            Err(e) if e.contains("too many clients") => break e,
            Err(e) => panic!("unexpected psql failure: {e}"),
            Ok(_) if holders.len() < 3 => holders.push(
                pg.psql_command("postgres", "postgres")
                    .args(["-c", "select pg_sleep(30)"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn a connection holder"),
            ),
            Ok(_) => thread::sleep(Duration::from_millis(20)),
        }
    };
    assert!(refused.contains("too many clients"), "{refused}");
    for mut h in holders {
        let _ = h.kill();
        let _ = h.wait();
    }
}

#[test]
fn ssl_over_tcp() {
    let Ok(dir) = tempfile::tempdir() else {
        panic!("create a temp dir for certificates")
    };
    let (crt, key) = (dir.path().join("server.crt"), dir.path().join("server.key"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .output();
    match made {
        Ok(out) if out.status.success() => {}
        other => {
            eprintln!("openssl unavailable or failed ({other:?}): skipping ssl_over_tcp");
            return;
        }
    }
    let Some(pg) = common::native_with(ClusterOptions {
        tcp: true,
        ssl: Some(SslFiles {
            cert: crt.clone(),
            key,
            root_cert: Some(crt),
        }),
        ..ClusterOptions::default()
    }) else {
        return;
    };
    let port = pg.tcp_port().expect("tcp port").to_string();
    let ssl = try_psql(
        &pg,
        "postgres",
        &[("PGSSLMODE", "require")],
        &["-h", "127.0.0.1", "-p", &port],
        "select ssl from pg_stat_ssl where pid = pg_backend_pid()",
    );
    assert_eq!(ssl, Ok("t".to_string()));
}

#[test]
fn require_native_macro_and_env_for_clients() {
    let pg = require_native!();
    let out = bare_psql(&pg)
        .args(["-X", "-At", "-c", "select 2"])
        .envs(pg.env())
        .output()
        .expect("run psql with the cluster env");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2");
}
